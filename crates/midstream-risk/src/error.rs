//! The crate's error: one [`RiskError`] enum, each variant naming the offending input.

use midstream_domain::{Commodity, Country, Overflow, QuantityError, Stage};
use rust_decimal::Decimal;
use thiserror::Error;

/// Any error of this crate. Every variant names the input or parameter that was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RiskError {
    /// A supplier's share (or amount) is below zero.
    #[error("the share of {supplier} is negative ({value})")]
    NegativeShare {
        /// The supplier (a country code, an operator, a sector, or `other`).
        supplier: String,
        /// The offending value.
        value: Decimal,
    },
    /// A supplier's share given as a fraction is above one.
    #[error("the share of {supplier} is {value}, above 1 (give fractions, or use percentages)")]
    ShareAboveOne {
        /// The supplier.
        supplier: String,
        /// The offending value.
        value: Decimal,
    },
    /// Shares do not add up to one, and no explicit `other` remainder makes them do so.
    #[error(
        "shares add up to {named_sum}{} = {total}, not 1; give the unlisted remainder \
         as an explicit `other` share",
        other.map(|o| format!(" + other {o}")).unwrap_or_default()
    )]
    SharesDoNotSumToOne {
        /// The sum of the named suppliers' shares.
        named_sum: Decimal,
        /// The explicit remainder, if one was given.
        other: Option<Decimal>,
        /// Named sum plus remainder.
        total: Decimal,
    },
    /// Amounts (tonnes, value) whose total is zero, so that no share can be formed.
    #[error("the amounts of {what} add up to zero; no shares can be formed")]
    ZeroTotal {
        /// What was being divided up.
        what: String,
    },
    /// The same supplier appears twice.
    #[error("{supplier} appears more than once")]
    DuplicateSupplier {
        /// The repeated supplier.
        supplier: String,
    },
    /// A World Governance Indicators estimate outside `[-2.5, 2.5]`.
    #[error("the WGI {indicator} of {subject} is {value}, outside [-2.5, 2.5]")]
    WgiOutOfRange {
        /// Whose estimate (a country code, or `input`).
        subject: String,
        /// Which indicator (`mean`, `voice_and_accountability`, ...).
        indicator: &'static str,
        /// The offending value.
        value: Decimal,
    },
    /// A probability outside `[0, 1]`.
    #[error("the probability {parameter} is {value}, outside [0, 1]")]
    ProbabilityOutOfRange {
        /// The parameter's path, e.g. `maturity_probability.letter_of_interest`.
        parameter: String,
        /// The offending value.
        value: Decimal,
    },
    /// A fraction (import reliance, recycling input rate, substitution index, ...) outside
    /// `[0, 1]`.
    #[error("{parameter} is {value}, outside [0, 1]")]
    FractionOutOfRange {
        /// The input's name.
        parameter: String,
        /// The offending value.
        value: Decimal,
    },
    /// A weight below zero.
    #[error("the weight {parameter} is negative ({value})")]
    NegativeWeight {
        /// The weight's name.
        parameter: String,
        /// The offending value.
        value: Decimal,
    },
    /// Every weight of a score is zero, so that the score is undefined.
    #[error("every weight of {score} is zero")]
    ZeroWeights {
        /// The score whose weights are all zero.
        score: String,
    },
    /// A value that must be strictly positive is zero or negative (a trade parameter, a value
    /// added, an operating profit, a likelihood ratio, ...).
    #[error("{parameter} must be positive, got {value}")]
    NotPositive {
        /// The input's name.
        parameter: String,
        /// The offending value.
        value: Decimal,
    },
    /// A quantity that may not be negative is (a tonnage, an import, a count of years).
    #[error("{parameter} may not be negative, got {value}")]
    NegativeQuantity {
        /// The input's name.
        parameter: String,
        /// The offending value.
        value: Decimal,
    },
    /// A supplier country has no governance estimate in the table used.
    #[error("no WGI estimate for {country} in the governance table")]
    MissingGovernance {
        /// The country without an estimate.
        country: Country,
    },
    /// A value needed for a country is missing from a per-country table.
    #[error("no {what} for {country}")]
    MissingCountryValue {
        /// What is missing (e.g. `supplier risk`).
        what: &'static str,
        /// The country.
        country: Country,
    },
    /// An EU supply-risk stage with neither global-supply nor EU-sourcing shares.
    #[error("the {stage} stage has neither global-supply nor EU-sourcing shares")]
    NoSupplyData {
        /// The stage (`extraction` or `processing`).
        stage: &'static str,
    },
    /// A year range that is empty or too long.
    #[error(
        "the years {from} to {to} are not a range of 1 to {max} years{}",
        if to < from { ": the last year comes before the first" } else { "" }
    )]
    InvalidYears {
        /// First year.
        from: i32,
        /// Last year.
        to: i32,
        /// Longest range accepted.
        max: i32,
    },
    /// A parameter set whose values contradict each other.
    #[error("invalid parameter {parameter}: {reason}")]
    InvalidParameter {
        /// The parameter's path.
        parameter: String,
        /// Why it was refused.
        reason: String,
    },
    /// No facility in the scope has capacity for the stage and commodity asked about.
    #[error("no capacity for {commodity} at the {stage} stage in the scope")]
    NoCapacity {
        /// The stage.
        stage: Stage,
        /// The commodity.
        commodity: Commodity,
    },
    /// The delivery assessment passed in is of another facility than the one scored.
    #[error("the delivery assessment is of facility {found}, not of {expected}")]
    AssessmentMismatch {
        /// The facility being scored.
        expected: String,
        /// The facility the assessment is of.
        found: String,
    },
    /// Several problems found at once: a validation reports every problem it finds (a single
    /// problem is returned as itself, not wrapped).
    #[error("{} problems: {}", problems.len(), join(problems))]
    InvalidParameters {
        /// Every problem, in the order checked.
        problems: Vec<RiskError>,
    },
    /// Arithmetic left the range of an exact decimal or of a year.
    #[error(transparent)]
    Overflow(#[from] Overflow),
    /// A fractional power (the USGS geometric mean) produced a number that is not finite or
    /// cannot be brought back to an exact decimal.
    #[error("{what} could not be computed in floating point: {reason}")]
    NotFinite {
        /// What was being computed.
        what: &'static str,
        /// Why.
        reason: String,
    },
    /// An error of the domain crate (e.g. a share out of range).
    #[error(transparent)]
    Quantity(#[from] QuantityError),
}

/// The problems' messages joined by `; `.
fn join(problems: &[RiskError]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_input() {
        let e = RiskError::SharesDoNotSumToOne {
            named_sum: Decimal::new(95, 2),
            other: None,
            total: Decimal::new(95, 2),
        };
        assert!(e.to_string().contains("explicit `other`"), "{e}");
        let e = RiskError::SharesDoNotSumToOne {
            named_sum: Decimal::new(95, 2),
            other: Some(Decimal::new(3, 2)),
            total: Decimal::new(98, 2),
        };
        assert!(e.to_string().contains("+ other 0.03 = 0.98"), "{e}");
    }
}
