//! What validation reports: each issue's severity, rule and location (section, record, field),
//! and the report of every issue a dataset has.

use std::fmt;

use serde::{Deserialize, Serialize};

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
    /// A tonnage above [`MAX_TONNES`](super::MAX_TONNES): no real figure is that large, and the supply graph counts
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
    /// A year (or the year of a date) outside [`MIN_YEAR`](super::MIN_YEAR)..=[`MAX_YEAR`](super::MAX_YEAR).
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

/// Every issue validation found; the error of
/// [`Dataset::validate`](crate::Dataset::validate).
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
