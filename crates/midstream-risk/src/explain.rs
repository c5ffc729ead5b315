//! Explained scores: a value and the factors it is made of.

use std::fmt;

use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::RiskError;

/// One factor of a score: what went in, how much it counts, what it added, and why.
///
/// The meaning of `weight` depends on the score (a composite weight, a likelihood ratio, a
/// multiplier); each score's documentation says which. `contribution` is always in the score's
/// own units, so that the contributions of a score's factors add up to the score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Factor {
    /// Short name, e.g. `maturity`, `CN global supply`, `end-of-life recycling`.
    pub name: String,
    /// The input value the factor was computed from (a share, a WGI estimate, a probability).
    pub input: Decimal,
    /// How much the factor counts (see the score's documentation).
    pub weight: Decimal,
    /// What the factor adds to the score (negative: it lowers the score).
    pub contribution: Decimal,
    /// One line saying why, in words a report can quote.
    pub reason: String,
}

/// A score with the factors it is made of; the contributions add up to the score.
///
/// ```
/// use midstream_risk::{Explained, Factor};
/// use rust_decimal::Decimal;
///
/// let e = Explained::from_factors(vec![
///     Factor { name: "a".into(), input: Decimal::ONE, weight: Decimal::new(6, 1),
///              contribution: Decimal::new(6, 1), reason: "a is high".into() },
///     Factor { name: "b".into(), input: Decimal::ZERO, weight: Decimal::new(4, 1),
///              contribution: Decimal::ZERO, reason: "b is low".into() },
/// ]);
/// assert_eq!(e.score, Decimal::new(6, 1));
/// assert!(e.residual().is_zero());
/// assert_eq!(e.factor("a").map(|f| f.reason.as_str()), Some("a is high"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Explained {
    /// The score.
    pub score: Decimal,
    /// Its factors, in the order the method applies them.
    pub factors: Vec<Factor>,
}

impl Explained {
    /// A score computed by its formula, with factors computed alongside.
    #[must_use]
    pub fn new(score: Decimal, factors: Vec<Factor>) -> Self {
        Self { score, factors }
    }

    /// A score that is by definition the sum of its factors' contributions. Saturates at
    /// `Decimal::MAX` rather than overflowing (no score of this crate comes near it).
    #[must_use]
    pub fn from_factors(factors: Vec<Factor>) -> Self {
        let score = factors
            .iter()
            .fold(Decimal::ZERO, |acc, f| acc.saturating_add(f.contribution));
        Self { score, factors }
    }

    /// The sum of the factors' contributions.
    #[must_use]
    pub fn contributions_sum(&self) -> Decimal {
        self.factors
            .iter()
            .fold(Decimal::ZERO, |acc, f| acc.saturating_add(f.contribution))
    }

    /// The score minus the sum of contributions: zero, or a rounding remainder in the 28th
    /// significant digit where an intermediate product needed more digits than a `Decimal` has.
    #[must_use]
    pub fn residual(&self) -> Decimal {
        self.score.saturating_sub(self.contributions_sum())
    }

    /// The factor with this name, if any.
    #[must_use]
    pub fn factor(&self, name: &str) -> Option<&Factor> {
        self.factors.iter().find(|f| f.name == name)
    }
}

impl fmt::Display for Explained {
    /// One line for the score, then one line per factor.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "score {}", self.score.normalize())?;
        for factor in &self.factors {
            writeln!(
                f,
                "- {}: input {}, weight {}, contribution {}: {}",
                factor.name,
                factor.input.normalize(),
                factor.weight.normalize(),
                factor.contribution.normalize(),
                factor.reason
            )?;
        }
        Ok(())
    }
}

/// The nearest `f64` of a decimal, for the logarithms and powers that exact decimals lack.
pub(crate) fn to_f64(value: Decimal, what: &'static str) -> Result<f64, RiskError> {
    value.to_f64().ok_or_else(|| RiskError::NotFinite {
        what,
        reason: format!("{value} has no f64 value"),
    })
}

/// An `f64` brought back to a decimal, rounded half away from zero to `decimals` places.
pub(crate) fn from_f64(
    value: f64,
    decimals: u32,
    what: &'static str,
) -> Result<Decimal, RiskError> {
    if !value.is_finite() {
        return Err(RiskError::NotFinite {
            what,
            reason: format!("{value} is not finite"),
        });
    }
    Decimal::from_f64(value)
        .map(|d| d.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero))
        .ok_or_else(|| RiskError::NotFinite {
            what,
            reason: format!("{value} is outside the decimal range"),
        })
}

/// The natural logarithm of a positive decimal, rounded to `decimals` places.
pub(crate) fn ln(value: Decimal, decimals: u32, what: &'static str) -> Result<Decimal, RiskError> {
    if value <= Decimal::ZERO {
        return Err(RiskError::NotFinite {
            what,
            reason: format!("the logarithm of {value} is not finite"),
        });
    }
    from_f64(to_f64(value, what)?.ln(), decimals, what)
}

/// Formats a fraction as a percentage with at most one decimal, for reasons.
pub(crate) fn percent(fraction: Decimal) -> String {
    let p = (fraction * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    format!("{p}%")
}

/// Formats a decimal with at most `dp` decimals, for reasons.
pub(crate) fn short(value: Decimal, dp: u32) -> String {
    value
        .round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factor(name: &str, contribution: i64) -> Factor {
        Factor {
            name: name.to_owned(),
            input: Decimal::ONE,
            weight: Decimal::ONE,
            contribution: Decimal::from(contribution),
            reason: format!("{name} because"),
        }
    }

    #[test]
    fn residual_and_display() {
        let e = Explained::new(Decimal::from(5), vec![factor("x", 3), factor("y", 1)]);
        assert_eq!(e.residual(), Decimal::ONE);
        let text = e.to_string();
        assert!(text.starts_with("score 5\n"), "{text}");
        assert!(text.contains("- y: input 1, weight 1, contribution 1: y because"));
        assert!(e.factor("z").is_none());
    }

    #[test]
    fn logarithms_are_rounded_and_refuse_zero() {
        assert_eq!(ln(Decimal::ONE, 12, "x").unwrap(), Decimal::ZERO);
        assert_eq!(
            ln(Decimal::new(3, 0), 12, "x").unwrap(),
            Decimal::new(1_098_612_288_668, 12)
        );
        assert!(ln(Decimal::ZERO, 12, "x").is_err());
        assert!(from_f64(f64::NAN, 12, "x").is_err());
    }

    #[test]
    fn formatting_helpers() {
        assert_eq!(percent(Decimal::new(849, 3)), "84.9%");
        assert_eq!(percent(Decimal::ONE), "100%");
        assert_eq!(short(Decimal::new(56_034, 4), 2), "5.6");
        assert_eq!(short(Decimal::new(5_665, 3), 2), "5.67");
    }
}
