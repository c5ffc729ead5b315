//! The crate's errors: one [`Error`] enum over the specific error types.

use thiserror::Error;

use crate::load::LoadError;
use crate::validate::ValidationReport;
use crate::value_error::{ConversionError, ParseError, QuantityError};

/// Any error of this crate, named for it as `FlowError`, `GraphError` and `RiskError` are.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum DomainError {
    /// A value's text could not be read (an element symbol, a commodity, a country code, ...).
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// A quantity could not be read exactly, or arithmetic on it overflowed.
    #[error(transparent)]
    Quantity(#[from] QuantityError),
    /// A quantity could not be converted between bases.
    #[error(transparent)]
    Conversion(#[from] ConversionError),
    /// A dataset file could not be read or parsed.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A parsed dataset broke one or more validation rules.
    #[error(transparent)]
    Validation(#[from] ValidationReport),
}

/// The crate's error under its former name.
#[deprecated(
    since = "0.1.0",
    note = "renamed `DomainError`, after its crate as `FlowError` and `GraphError`"
)]
pub type Error = DomainError;
