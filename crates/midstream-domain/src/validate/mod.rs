//! Dataset validation: every rule checked, every problem reported at once, each naming the
//! record (section, index, id) and the field.

mod dataset;
mod facility;
mod links;
mod material;
mod report;

pub use report::{Issue, Location, Rule, Section, Severity, ValidationReport};

use std::collections::{BTreeSet, HashMap};
use std::fmt::{self, Display};

use chrono::Datelike;
use rust_decimal::Decimal;

use crate::dataset::Dataset;
use crate::facility::Facility;
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
}
