//! Errors of single values: text that does not read as the value named, quantity arithmetic
//! that overflows, and conversions between bases that do not exist. A leaf module: the modules
//! of values use it, and the crate's [`DomainError`](crate::DomainError) wraps it, so no import loop runs
//! through the crate's error.

use rust_decimal::Decimal;
use thiserror::Error;

/// Arithmetic left the range it is computed in: the one overflow error of every crate (the
/// domain's quantities, the graph's integer kilograms, the risk crate's scores), each crate's
/// error taking it in with `#[from]`. (The flow engine, which knows no domain type, has its
/// own `FlowError::Overflow`.)
///
/// ```
/// use midstream_domain::{Overflow, Tonnes};
/// let max = Tonnes::new(rust_decimal::Decimal::MAX);
/// let err = max.checked_add(max).unwrap_err();
/// assert_eq!(err.to_string(),
///            "arithmetic overflow: a sum of quantities leaves the range of an exact decimal");
/// assert_eq!(Overflow::kilograms("the total capacity").to_string(),
///            "arithmetic overflow: the total capacity leaves the range of 64-bit integer kilograms");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[error("arithmetic overflow: {what} leaves the range of {range}")]
pub struct Overflow {
    /// What was being computed.
    pub what: &'static str,
    /// The range it left.
    pub range: OverflowRange,
}

impl Overflow {
    /// `what` left the range of an exact decimal (`rust_decimal`, about ±7.9e28).
    #[must_use]
    pub fn decimal(what: &'static str) -> Self {
        Self {
            what,
            range: OverflowRange::Decimal,
        }
    }

    /// `what` (a year, a count of years or records) left the range of its machine integer.
    #[must_use]
    pub fn integer(what: &'static str) -> Self {
        Self {
            what,
            range: OverflowRange::Integer,
        }
    }

    /// `what` left the range of whole kilograms in an `i64` (about 9.2e15 t).
    #[must_use]
    pub fn kilograms(what: &'static str) -> Self {
        Self {
            what,
            range: OverflowRange::Kilograms,
        }
    }
}

/// The range an [`Overflow`] left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OverflowRange {
    /// An exact decimal (`rust_decimal`: 96 bits of mantissa, about ±7.9e28).
    Decimal,
    /// Whole kilograms in an `i64`, the flow graph's unit.
    Kilograms,
    /// A machine integer: a year, a count.
    Integer,
}

impl std::fmt::Display for OverflowRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Decimal => "an exact decimal",
            Self::Kilograms => "64-bit integer kilograms",
            Self::Integer => "its machine integer",
        })
    }
}

/// A value's text could not be read as the named kind of value.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("cannot read {input:?} as {what}: {reason}")]
pub struct ParseError {
    /// What was expected, e.g. `"element"`, `"commodity"`, `"country code"`.
    pub what: &'static str,
    /// The text that was given.
    pub input: String,
    /// Why it was refused, with the accepted forms where helpful.
    pub reason: String,
}

impl ParseError {
    pub(crate) fn new(what: &'static str, input: &str, reason: impl Into<String>) -> Self {
        Self {
            what,
            input: input.to_owned(),
            reason: reason.into(),
        }
    }
}

/// A quantity could not be read exactly, or arithmetic on it overflowed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum QuantityError {
    /// The text is not a decimal number (or is `NaN`, infinite, or beyond 28 digits).
    #[error("{text:?} is not an exact decimal number: {reason}")]
    Invalid {
        /// The offending text.
        text: String,
        /// The parser's reason.
        reason: String,
    },
    /// A JSON number with more significant digits than an `f64` keeps.
    #[error(
        "the JSON number {text} has more than 15 significant digits and cannot be read exactly; \
         write it as a string, e.g. \"{text}\""
    )]
    Inexact {
        /// The number as the JSON parser read it.
        text: String,
    },
    /// Arithmetic left the range of `Decimal` (about ±7.9e28).
    #[error(transparent)]
    Overflow(#[from] Overflow),
    /// A share outside `[0, 1]`.
    #[error("a share must lie in [0, 1], got {value}")]
    ShareOutOfRange {
        /// The offending value.
        value: Decimal,
    },
}

/// A quantity could not be converted between quantity bases.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ConversionError {
    /// There is no stoichiometric factor for this conversion (no conventional oxide, or a
    /// product-mass basis whose composition only the data can give).
    #[error("no stoichiometric conversion from {from} to {to} for {commodity}: {reason}")]
    NoStoichiometry {
        /// The commodity being converted.
        commodity: String,
        /// The source basis.
        from: String,
        /// The target basis.
        to: String,
        /// Why no factor exists.
        reason: String,
    },
    /// A composition whose shares do not sum to exactly one.
    #[error("composition shares sum to {sum}, not 1")]
    CompositionSum {
        /// The sum of the given shares.
        sum: Decimal,
    },
    /// An element listed twice in a composition.
    #[error("{element} appears more than once in the composition")]
    DuplicateElement {
        /// The repeated element's symbol.
        element: String,
    },
    /// The arithmetic overflowed.
    #[error(transparent)]
    Quantity(#[from] QuantityError),
}
