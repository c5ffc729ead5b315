//! Dataset validation: every rule checked, every problem reported at once, each naming the
//! record (section, index, id) and the field.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::{self, Display};

use chrono::Datelike;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::dataset::{Dataset, FORMAT_VERSION, SUPPORTED_FORMAT_VERSIONS};
use crate::facility::{Facility, MilestoneStatus};
use crate::quantity::Tonnes;
use crate::source::SourceId;

/// Earliest calendar year accepted in ramp schedules, demand and sources.
pub const MIN_YEAR: i32 = 1900;
/// Latest calendar year accepted in ramp schedules, demand and sources.
pub const MAX_YEAR: i32 = 2100;

/// Largest tonnage a dataset may state: 10^12 t (a trillion tonnes; the largest mineral flows,
/// iron ore and sand, are a few billion tonnes a year). The supply graph counts kilograms in
/// 64 bits (up to 9.2 x 10^15 t), so every accepted figure converts, and the sum of up to 9,000
/// figures at the limit still fits; a larger sum is reported as an overflow by the graph.
pub const MAX_TONNES: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// How serious an issue is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The dataset is wrong; validation fails.
    Error,
    /// Worth a look; validation passes and the warning travels with the dataset.
    Warning,
}

/// The rule an issue breaks. The snake-case name is stable and appears in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rule {
    /// `format_version` is not one this crate reads.
    UnsupportedFormatVersion,
    /// A required text (name, title, buyer, ...) is empty or blank.
    EmptyText,
    /// Two records of the same section share an id.
    DuplicateId,
    /// A source id that no source in the dataset has.
    UnknownSource,
    /// A link names a facility that does not exist.
    UnknownFacility,
    /// A link from a facility to itself.
    SelfLink,
    /// A link between stages that cannot feed each other ([`crate::Stage::can_feed`]).
    StagesCannotFeed,
    /// A link carries a commodity its supplier has no capacity for.
    LinkCommodityNotProduced,
    /// A quantity that must not be negative is.
    NegativeQuantity,
    /// A capital cost of zero or less.
    NonPositiveCapex,
    /// A tonnage above [`MAX_TONNES`]: no real figure is that large, and the supply graph counts
    /// kilograms in 64 bits.
    QuantityTooLarge,
    /// A dataset without any facility: there is nothing to analyse.
    NoFacilities,
    /// A capacity of zero or less (omit the entry instead, or give the figure).
    NonPositiveCapacity,
    /// A facility lists the same commodity twice.
    DuplicateCapacity,
    /// Ramp-schedule years are not strictly increasing.
    RampNotIncreasing,
    /// A ramp step exceeds the nameplate capacity.
    RampAboveNameplate,
    /// A capacity's stated range does not hold its figure (low above it, or high below it).
    RangeOutsideFigure,
    /// A year (or the year of a date) outside [`MIN_YEAR`]..=[`MAX_YEAR`].
    YearOutOfRange,
    /// A later development milestone is dated before an earlier one.
    MilestonesOutOfOrder,
    /// A milestone marked achieved is dated after the dataset's as-of date.
    AchievedAfterAsOf,
    /// An operating or commissioning facility without any capacity.
    ProducingWithoutCapacity,
    /// An offtake for a commodity the facility has no capacity for.
    OfftakeNotProduced,
    /// Offtakes active in the same year exceed the nameplate capacity (binding ones: error;
    /// all including non-binding: warning).
    OfftakeOverCapacity,
    /// An offtake or term that ends before it starts.
    TermEndsBeforeStart,
    /// A derived capacity whose base capacity is missing, which derives from itself (directly
    /// or in a cycle), or whose value does not match base × factor at the stated precision.
    DerivedMismatch,
    /// A derivation factor of zero or less.
    NonPositiveFactor,
    /// A country appears twice in the perspective's alignment table.
    DuplicateAlignment,
    /// A format-2 field (process, basis, composition, link bounds, demand case, owner country)
    /// in a format-1 dataset.
    NeedsFormat2,
    /// A composition's shares and `other` do not sum to exactly one.
    CompositionSum,
    /// A reference to a composition the dataset does not have.
    UnknownComposition,
    /// A process that its facility's stage does not perform (e.g. separation at a mine).
    ProcessStage,
    /// A capacity of a commodity that the facility's process neither takes nor makes, or a
    /// process without what it needs (a separation without products, a recipe without inputs,
    /// a multi-element reduction without a mix).
    ProcessCommodity,
    /// A recipe input that no facility of the dataset makes.
    UnknownProduct,
    /// A format-2 capacity without a basis, or an output or quota figure without its year.
    MissingBasis,
    /// A link whose lower bound exceeds its upper bound.
    LinkBounds,
    /// A link whose validity ends before it starts, or lies after a facility it joins closed.
    LinkYears,
    /// A source that nothing references (warning).
    UnusedSource,
    /// A facility with no source anywhere in its record (warning).
    Unsourced,
}

impl Rule {
    /// The stable snake-case name, e.g. `"duplicate_id"`.
    #[must_use]
    pub fn name(self) -> String {
        crate::facility::serde_name(&self)
    }
}

/// A top-level section of a dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// The dataset's own fields (`format_version`, `name`, ...).
    Dataset,
    /// The perspective and its alignment table.
    Perspective,
    /// The sources.
    Sources,
    /// The feed compositions (format 2).
    Compositions,
    /// The facilities.
    Facilities,
    /// The links.
    Links,
    /// The demand.
    Demand,
}

impl Section {
    /// The section's field name in the dataset, e.g. `"facilities"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Section::Dataset => "dataset",
            Section::Perspective => "perspective",
            Section::Sources => "sources",
            Section::Compositions => "compositions",
            Section::Facilities => "facilities",
            Section::Links => "links",
            Section::Demand => "demand",
        }
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an issue is: the section, the record's index and id, and the field path inside it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    /// Top-level section.
    pub section: Section,
    /// Index of the record in its section.
    pub index: Option<usize>,
    /// The record's id.
    pub record: Option<String>,
    /// Path of the field inside the record, e.g. `capacities[0].tonnes_per_year`.
    pub field: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.section.as_str())?;
        if let Some(i) = self.index {
            write!(f, "[{i}]")?;
        }
        if !self.field.is_empty() {
            write!(f, ".{}", self.field)?;
        }
        if let Some(id) = &self.record {
            write!(f, " (record {id:?})")?;
        }
        Ok(())
    }
}

/// One problem found by validation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Issue {
    /// Error or warning.
    pub severity: Severity,
    /// The rule broken.
    pub rule: Rule,
    /// Where.
    pub location: Location,
    /// What is wrong, with the offending value.
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{severity}[{}] {}: {}",
            self.rule.name(),
            self.location,
            self.message
        )
    }
}

/// Every issue validation found; the error of [`Dataset::validate`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationReport {
    /// Errors first, then warnings, each in dataset order.
    pub issues: Vec<Issue>,
}

impl ValidationReport {
    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }
}

impl fmt::Display for ValidationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self.errors().count();
        let warnings = self.issues.len() - errors;
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("1 {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        write!(
            f,
            "the dataset has {} and {}:",
            plural(errors, "error"),
            plural(warnings, "warning")
        )?;
        for issue in &self.issues {
            write!(f, "\n  {issue}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationReport {}

impl Dataset {
    /// Every issue with the dataset, errors first, then warnings, each in dataset order.
    /// [`Dataset::validate`] fails if any is an error.
    #[must_use]
    pub fn check(&self) -> Vec<Issue> {
        let mut checker = Checker::new(self);
        checker.run();
        let mut issues = checker.issues;
        // Stable sort: by severity, then section and record in dataset order; within a record,
        // in the order the rules were checked.
        issues.sort_by_key(|i| (i.severity, i.location.section, i.location.index));
        issues
    }
}

/// The path of a field inside a record (`capacities[0].ramp[1]`), written out only when an
/// issue names it: checking a million facilities builds no string for the fields that pass.
struct Field<'p> {
    parent: Option<&'p dyn Display>,
    name: &'static str,
    index: Option<usize>,
}

impl<'p> Field<'p> {
    /// `parent.name[index]`, or `name[index]` at the top of the record.
    fn item(parent: Option<&'p dyn Display>, name: &'static str, index: usize) -> Self {
        Self {
            parent,
            name,
            index: Some(index),
        }
    }

    /// `parent.name`.
    fn child(parent: &'p dyn Display, name: &'static str) -> Self {
        Self {
            parent: Some(parent),
            name,
            index: None,
        }
    }
}

impl Display for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            write!(f, "{parent}.")?;
        }
        f.write_str(self.name)?;
        if let Some(i) = self.index {
            write!(f, "[{i}]")?;
        }
        Ok(())
    }
}

mod material;

struct Checker<'a> {
    data: &'a Dataset,
    issues: Vec<Issue>,
    source_ids: BTreeSet<&'a str>,
    used_sources: BTreeSet<&'a str>,
    /// Facilities by id (the first of each id, with its index), for lookups only: never
    /// iterated, so the hash order cannot reach the output.
    facilities: HashMap<&'a str, (usize, &'a Facility)>,
}

/// A record being checked: its section, index and id.
#[derive(Clone, Copy)]
struct At<'a> {
    section: Section,
    index: Option<usize>,
    record: Option<&'a str>,
}

impl<'a> Checker<'a> {
    fn new(data: &'a Dataset) -> Self {
        let mut facilities = HashMap::with_capacity(data.facilities.len());
        for (i, f) in data.facilities.iter().enumerate() {
            facilities.entry(f.id.as_str()).or_insert((i, f));
        }
        Self {
            data,
            issues: Vec::new(),
            source_ids: data.sources.iter().map(|s| s.id.as_str()).collect(),
            used_sources: BTreeSet::new(),
            facilities,
        }
    }

    fn push(
        &mut self,
        severity: Severity,
        rule: Rule,
        at: At<'_>,
        field: &dyn Display,
        message: String,
    ) {
        self.issues.push(Issue {
            severity,
            rule,
            location: Location {
                section: at.section,
                index: at.index,
                record: at.record.map(str::to_owned),
                field: field.to_string(),
            },
            message,
        });
    }

    fn error(&mut self, rule: Rule, at: At<'_>, field: &dyn Display, message: String) {
        self.push(Severity::Error, rule, at, field, message);
    }

    fn run(&mut self) {
        self.dataset_fields();
        self.perspective();
        self.sources();
        for (i, f) in self.data.facilities.iter().enumerate() {
            self.facility(i, f);
        }
        self.links();
        self.demand();
        self.material_balance();
        self.duplicates();
        self.unused_sources();
    }

    fn text(&mut self, at: At<'_>, field: &dyn Display, value: &str) {
        if value.trim().is_empty() {
            self.error(Rule::EmptyText, at, field, format!("`{field}` is empty"));
        }
    }

    fn source_ref(&mut self, at: At<'_>, field: &dyn Display, id: Option<&'a SourceId>) {
        let Some(id) = id else { return };
        self.used_sources.insert(id.as_str());
        if !self.source_ids.contains(id.as_str()) {
            self.error(
                Rule::UnknownSource,
                at,
                field,
                format!(
                    "source {:?} is not among the dataset's sources",
                    id.as_str()
                ),
            );
        }
    }

    fn non_negative(&mut self, at: At<'_>, field: &dyn Display, value: Tonnes) {
        self.not_too_large(at, field, value);
        if value.is_negative() {
            self.error(
                Rule::NegativeQuantity,
                at,
                field,
                format!("{value} is negative"),
            );
        }
    }

    fn not_too_large(&mut self, at: At<'_>, field: &dyn Display, value: Tonnes) {
        if value.value() > MAX_TONNES {
            self.error(
                Rule::QuantityTooLarge,
                at,
                field,
                format!("{value} is above the limit of {MAX_TONNES} t"),
            );
        }
    }

    fn year(&mut self, at: At<'_>, field: &dyn Display, year: i32) {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            self.error(
                Rule::YearOutOfRange,
                at,
                field,
                format!("year {year} is outside {MIN_YEAR}..={MAX_YEAR}"),
            );
        }
    }

    fn date(&mut self, at: At<'_>, field: &dyn Display, date: chrono::NaiveDate) {
        self.year(at, field, date.year());
    }

    fn dataset_fields(&mut self) {
        let at = At {
            section: Section::Dataset,
            index: None,
            record: None,
        };
        self.date(at, &"as_of", self.data.as_of);
        if self.data.facilities.is_empty() {
            self.error(
                Rule::NoFacilities,
                At {
                    section: Section::Facilities,
                    index: None,
                    record: None,
                },
                &"facilities",
                "the dataset has no facility: there is nothing to analyse".to_owned(),
            );
        }
        if !SUPPORTED_FORMAT_VERSIONS.contains(&self.data.format_version) {
            self.error(
                Rule::UnsupportedFormatVersion,
                at,
                &"format_version",
                format!(
                    "format version {} is not supported; this version of midstream reads 1 to {FORMAT_VERSION}",
                    self.data.format_version
                ),
            );
        }
        self.text(at, &"name", &self.data.name);
    }

    fn perspective(&mut self) {
        let Some(p) = &self.data.perspective else {
            return;
        };
        let mut seen = BTreeSet::new();
        for (i, entry) in p.alignments.iter().enumerate() {
            let at = At {
                section: Section::Perspective,
                index: None,
                record: Some(entry.country.code()),
            };
            if !seen.insert(entry.country) {
                self.error(
                    Rule::DuplicateAlignment,
                    at,
                    &format_args!("alignments[{i}].country"),
                    format!(
                        "{} appears more than once in the alignment table",
                        entry.country
                    ),
                );
            }
            self.source_ref(
                at,
                &format_args!("alignments[{i}].source"),
                entry.source.as_ref(),
            );
        }
    }

    fn sources(&mut self) {
        for (i, s) in self.data.sources.iter().enumerate() {
            let at = At {
                section: Section::Sources,
                index: Some(i),
                record: Some(s.id.as_str()),
            };
            self.text(at, &"publisher", &s.publisher);
            self.text(at, &"title", &s.title);
            self.year(at, &"year", s.year);
        }
    }

    #[allow(clippy::too_many_lines)] // Reason: one rule after another, reads best in one place.
    fn facility(&mut self, index: usize, f: &'a Facility) {
        let at = At {
            section: Section::Facilities,
            index: Some(index),
            record: Some(f.id.as_str()),
        };
        self.text(at, &"name", &f.name);
        let mut sourced = !f.sources.is_empty();
        for (i, s) in f.sources.iter().enumerate() {
            self.source_ref(at, &format_args!("sources[{i}]"), Some(s));
        }

        // Capacities.
        let mut commodities = BTreeSet::new();
        for (i, c) in f.capacities.iter().enumerate() {
            let field = Field::item(None, "capacities", i);
            sourced |= c.source.is_some();
            self.source_ref(at, &format_args!("{field}.source"), c.source.as_ref());
            if !commodities.insert(c.commodity) {
                self.error(
                    Rule::DuplicateCapacity,
                    at,
                    &format_args!("{field}.commodity"),
                    format!("{} is listed more than once", c.commodity),
                );
            }
            if c.tonnes_per_year.is_negative() || c.tonnes_per_year.is_zero() {
                self.error(
                    Rule::NonPositiveCapacity,
                    at,
                    &format_args!("{field}.tonnes_per_year"),
                    format!(
                        "capacity {} per year is not positive; give the figure or omit the entry",
                        c.tonnes_per_year
                    ),
                );
            }
            self.not_too_large(
                at,
                &format_args!("{field}.tonnes_per_year"),
                c.tonnes_per_year,
            );
            let mut previous_year = None;
            for (j, step) in c.ramp.iter().enumerate() {
                let step_field = Field::item(Some(&field), "ramp", j);
                self.year(at, &format_args!("{step_field}.year"), step.year);
                self.non_negative(at, &format_args!("{step_field}.tonnes"), step.tonnes);
                if previous_year.is_some_and(|p| step.year <= p) {
                    self.error(
                        Rule::RampNotIncreasing,
                        at,
                        &format_args!("{step_field}.year"),
                        format!(
                            "year {} does not follow the previous step's year",
                            step.year
                        ),
                    );
                }
                previous_year = Some(step.year);
                if step.tonnes > c.tonnes_per_year {
                    self.error(
                        Rule::RampAboveNameplate,
                        at,
                        &format_args!("{step_field}.tonnes"),
                        format!(
                            "{} exceeds the nameplate capacity {}",
                            step.tonnes, c.tonnes_per_year
                        ),
                    );
                }
            }
            if let Some(r) = &c.range {
                self.non_negative(at, &format_args!("{field}.range.low"), r.low);
                self.not_too_large(at, &format_args!("{field}.range.high"), r.high);
                if !(r.low <= c.tonnes_per_year && c.tonnes_per_year <= r.high) {
                    self.error(
                        Rule::RangeOutsideFigure,
                        at,
                        &format_args!("{field}.range"),
                        format!(
                            "the range {} to {} does not hold the figure {}",
                            r.low, r.high, c.tonnes_per_year
                        ),
                    );
                }
            }
            if let Some(d) = &c.derived {
                self.source_ref(
                    at,
                    &format_args!("{field}.derived.source"),
                    d.source.as_ref(),
                );
                sourced |= d.source.is_some();
                self.derived(at, &field, f, c.commodity, c.tonnes_per_year, d);
            }
        }
        if f.maturity.is_producing() && f.capacities.is_empty() {
            self.error(
                Rule::ProducingWithoutCapacity,
                at,
                &"capacities",
                format!(
                    "a facility at maturity `{}` must state its capacity",
                    f.maturity
                ),
            );
        }

        // Milestones: within a chain, a later step may not be dated before an earlier one.
        for (i, m) in f.milestones.iter().enumerate() {
            let Some((chain, rank)) = m.kind.chain() else {
                continue;
            };
            let earlier_step_later_date = f.milestones.iter().find(|o| {
                o.kind
                    .chain()
                    .is_some_and(|(c, r)| c == chain && r < rank && o.date > m.date)
            });
            if let Some(o) = earlier_step_later_date {
                self.error(
                    Rule::MilestonesOutOfOrder,
                    at,
                    &format_args!("milestones[{i}].date"),
                    format!(
                        "{} on {} comes before {} on {}",
                        m.kind, m.date, o.kind, o.date
                    ),
                );
            }
        }
        for (i, m) in f.milestones.iter().enumerate() {
            sourced |= m.source.is_some();
            self.source_ref(
                at,
                &format_args!("milestones[{i}].source"),
                m.source.as_ref(),
            );
            self.date(at, &format_args!("milestones[{i}].date"), m.date);
            if m.status == MilestoneStatus::Achieved && m.date > self.data.as_of {
                self.error(
                    Rule::AchievedAfterAsOf,
                    at,
                    &format_args!("milestones[{i}].date"),
                    format!(
                        "achieved on {} but the dataset is as of {}; mark it planned",
                        m.date, self.data.as_of
                    ),
                );
            }
        }

        // Offtakes.
        for (i, o) in f.offtakes.iter().enumerate() {
            let field = Field::item(None, "offtakes", i);
            sourced |= o.source.is_some();
            self.source_ref(at, &format_args!("{field}.source"), o.source.as_ref());
            self.text(at, &format_args!("{field}.buyer"), &o.buyer);
            self.non_negative(
                at,
                &format_args!("{field}.tonnes_per_year"),
                o.tonnes_per_year,
            );
            for (name, date) in [("start", o.start), ("end", o.end)] {
                if let Some(d) = date {
                    self.date(at, &format_args!("{field}.{name}"), d);
                }
            }
            if let (Some(s), Some(e)) = (o.start, o.end)
                && e < s
            {
                self.error(
                    Rule::TermEndsBeforeStart,
                    at,
                    &format_args!("{field}.end"),
                    format!("ends on {e}, before it starts on {s}"),
                );
            }
            if f.capacity(&o.commodity).is_none() {
                self.error(
                    Rule::OfftakeNotProduced,
                    at,
                    &format_args!("{field}.commodity"),
                    format!("the facility has no capacity for {}", o.commodity),
                );
            }
        }
        self.offtake_totals(at, f);

        // Financing.
        for (i, fin) in f.financing.iter().enumerate() {
            let field = Field::item(None, "financing", i);
            sourced |= fin.source.is_some();
            self.source_ref(at, &format_args!("{field}.source"), fin.source.as_ref());
            self.text(at, &format_args!("{field}.lender"), &fin.lender);
            if let Some(d) = fin.date {
                self.date(at, &format_args!("{field}.date"), d);
            }
            if let Some(amount) = fin.amount
                && amount.is_negative()
            {
                self.error(
                    Rule::NegativeQuantity,
                    at,
                    &format_args!("{field}.amount"),
                    format!("{amount} is negative"),
                );
            }
        }

        // Capital cost.
        if let Some(capex) = &f.capex {
            sourced |= capex.source.is_some();
            self.source_ref(at, &"capex.source", capex.source.as_ref());
            if let Some(year) = capex.year {
                self.year(at, &"capex.year", year);
            }
            if capex.amount.is_negative() || capex.amount.is_zero() {
                self.error(
                    Rule::NonPositiveCapex,
                    at,
                    &"capex.amount",
                    format!("capital cost {} is not positive", capex.amount),
                );
            }
        }

        if !sourced {
            self.push(
                Severity::Warning,
                Rule::Unsourced,
                at,
                &"sources",
                "no source is given for this facility or any of its figures".to_owned(),
            );
        }
    }

    fn derived(
        &mut self,
        at: At<'_>,
        field: &dyn Display,
        f: &Facility,
        commodity: crate::Commodity,
        stated: Tonnes,
        d: &crate::facility::Derivation,
    ) {
        let field = Field::child(field, "derived");
        if d.factor <= Decimal::ZERO {
            self.error(
                Rule::NonPositiveFactor,
                at,
                &format_args!("{field}.factor"),
                format!("factor {} is not positive", d.factor),
            );
            return;
        }
        // Follow the chain of derivations; coming back to a commodity already seen is a cycle.
        let mut seen = vec![commodity];
        let mut next = Some(d.from);
        while let Some(c) = next {
            if seen.contains(&c) {
                self.error(
                    Rule::DerivedMismatch,
                    at,
                    &format_args!("{field}.from"),
                    format!("{commodity} is derived from itself through {c}"),
                );
                return;
            }
            seen.push(c);
            next = f
                .capacity(&c)
                .and_then(|cap| cap.derived.as_ref())
                .map(|d| d.from);
        }
        let Some(base) = f.capacity(&d.from) else {
            self.error(
                Rule::DerivedMismatch,
                at,
                &format_args!("{field}.from"),
                format!("the facility has no capacity for {} to derive from", d.from),
            );
            return;
        };
        let computed = base.tonnes_per_year.value().checked_mul(d.factor).map(|v| {
            v.round_dp_with_strategy(
                stated.value().scale(),
                RoundingStrategy::MidpointAwayFromZero,
            )
        });
        if computed != Some(stated.value()) {
            let shown = computed.map_or_else(|| "an overflow".to_owned(), |v| v.to_string());
            self.error(
                Rule::DerivedMismatch,
                at,
                &format_args!("{field}.factor"),
                format!(
                    "{} × {} gives {shown}, not the stated {}",
                    base.tonnes_per_year.value(),
                    d.factor,
                    stated.value()
                ),
            );
        }
    }

    /// Offtakes active in the same year must fit the nameplate: binding ones alone (error),
    /// and all of them (warning: oversubscribed interest is a signal, not a data error).
    fn offtake_totals(&mut self, at: At<'_>, f: &Facility) {
        let as_of_year = self.data.as_of.year();
        let mut by_commodity: BTreeMap<_, Vec<&crate::facility::Offtake>> = BTreeMap::new();
        for o in &f.offtakes {
            by_commodity.entry(o.commodity).or_default().push(o);
        }
        for (commodity, offtakes) in by_commodity {
            let Some(capacity) = f.capacity(&commodity) else {
                continue;
            };
            let mut years: BTreeSet<i32> = offtakes
                .iter()
                .map(|o| o.start.map_or(as_of_year, |s| s.year()))
                .collect();
            years.insert(as_of_year);
            for binding_only in [true, false] {
                let over = years.iter().find_map(|&y| {
                    let total = Tonnes::checked_sum(
                        offtakes
                            .iter()
                            .filter(|o| o.is_active_in(y) && (o.binding || !binding_only))
                            .map(|o| o.tonnes_per_year),
                    );
                    match total {
                        Ok(t) if t <= capacity.tonnes_per_year => None,
                        Ok(t) => Some((y, t.to_string())),
                        Err(_) => Some((y, "an overflowing total".to_owned())),
                    }
                });
                if let Some((year, total)) = over {
                    let (severity, kind) = if binding_only {
                        (Severity::Error, "binding offtakes")
                    } else {
                        (Severity::Warning, "offtakes (binding and non-binding)")
                    };
                    self.push(
                        severity,
                        Rule::OfftakeOverCapacity,
                        at,
                        &"offtakes",
                        format!(
                            "{kind} for {commodity} total {total} per year in {year}, above the \
                             nameplate capacity of {}",
                            capacity.tonnes_per_year
                        ),
                    );
                    // The binding excess implies the total excess; report it once.
                    break;
                }
            }
        }
    }

    fn links(&mut self) {
        for (i, l) in self.data.links.iter().enumerate() {
            let at = At {
                section: Section::Links,
                index: Some(i),
                record: Some(l.id.as_str()),
            };
            self.source_ref(at, &"source", l.source.as_ref());
            if let Some(r) = &l.restriction {
                self.source_ref(at, &"restriction.source", r.source.as_ref());
            }
            if let Some(t) = l.tonnes_per_year {
                self.non_negative(at, &"tonnes_per_year", t);
            }
            let from = self.facilities.get(l.from.as_str()).map(|&(_, f)| f);
            let to = self.facilities.get(l.to.as_str()).map(|&(_, f)| f);
            for (field, id, found) in [("from", &l.from, from), ("to", &l.to, to)] {
                if found.is_none() {
                    self.error(
                        Rule::UnknownFacility,
                        at,
                        &field,
                        format!("facility {:?} does not exist", id.as_str()),
                    );
                }
            }
            if l.from == l.to {
                self.error(
                    Rule::SelfLink,
                    at,
                    &"to",
                    "a link from a facility to itself".to_owned(),
                );
                continue;
            }
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            if !from.stage.can_feed(to.stage) {
                self.error(
                    Rule::StagesCannotFeed,
                    at,
                    &"to",
                    format!(
                        "{} ({}) cannot feed {} ({})",
                        from.id, from.stage, to.id, to.stage
                    ),
                );
            }
            if let Some(c) = l.commodity
                && !from.capacities.is_empty()
                && from.capacity(&c).is_none()
            {
                self.error(
                    Rule::LinkCommodityNotProduced,
                    at,
                    &"commodity",
                    format!("{} has no capacity for {c}", from.id),
                );
            }
        }
    }

    fn demand(&mut self) {
        for (i, d) in self.data.demand.iter().enumerate() {
            let at = At {
                section: Section::Demand,
                index: Some(i),
                record: Some(d.id.as_str()),
            };
            self.text(at, &"buyer", &d.buyer);
            self.non_negative(at, &"tonnes_per_year", d.tonnes_per_year);
            self.year(at, &"year", d.year);
            self.source_ref(at, &"source", d.source.as_ref());
        }
    }

    fn duplicates(&mut self) {
        // Facilities: the index of each id's first facility is already at hand.
        let facilities = &self.facilities;
        let repeated: Vec<(usize, &str, usize)> = self
            .data
            .facilities
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let id = f.id.as_str();
                let &(j, _) = facilities.get(id)?;
                (j != i).then_some((i, id, j))
            })
            .collect();
        self.duplicate_ids(Section::Facilities, repeated);
        let others: [(Section, Vec<&str>); 4] = [
            (
                Section::Sources,
                self.data.sources.iter().map(|s| s.id.as_str()).collect(),
            ),
            (
                Section::Compositions,
                self.data
                    .compositions
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect(),
            ),
            (
                Section::Links,
                self.data.links.iter().map(|l| l.id.as_str()).collect(),
            ),
            (
                Section::Demand,
                self.data.demand.iter().map(|d| d.id.as_str()).collect(),
            ),
        ];
        for (section, ids) in others {
            // Looked up only; issues come out in record order.
            let mut first: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
            let mut repeated = Vec::new();
            for (i, &id) in ids.iter().enumerate() {
                match first.get(id) {
                    Some(&j) => repeated.push((i, id, j)),
                    None => {
                        first.insert(id, i);
                    }
                }
            }
            self.duplicate_ids(section, repeated);
        }
    }

    /// Reports each `(index, id, first index)` of `section` whose id an earlier record took.
    fn duplicate_ids(&mut self, section: Section, repeated: Vec<(usize, &str, usize)>) {
        for (i, id, j) in repeated {
            self.error(
                Rule::DuplicateId,
                At {
                    section,
                    index: Some(i),
                    record: Some(id),
                },
                &"id",
                format!("id {id:?} is already used by {section}[{j}]"),
            );
        }
    }

    fn unused_sources(&mut self) {
        let unused: Vec<(usize, &str)> = self
            .data
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.id.as_str()))
            .filter(|(_, id)| !self.used_sources.contains(id))
            .collect();
        for (i, id) in unused {
            self.push(
                Severity::Warning,
                Rule::UnusedSource,
                At {
                    section: Section::Sources,
                    index: Some(i),
                    record: Some(id),
                },
                &"id",
                "no record cites this source".to_owned(),
            );
        }
    }
}
