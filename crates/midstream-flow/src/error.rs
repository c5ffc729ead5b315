//! The crate's error type.

use thiserror::Error;

use crate::lp::{Bound, Column};

/// Any error of the numeric engines.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum FlowError {
    /// A bound or coefficient that is NaN or infinite.
    #[error("{what} is {value}, not a finite number")]
    NonFinite {
        /// Which number.
        what: &'static str,
        /// The value.
        value: f64,
    },
    /// A column that the program does not have.
    #[error("column {column} does not exist; the program has {columns} columns")]
    UnknownColumn {
        /// The column index.
        column: usize,
        /// How many columns the program has.
        columns: usize,
    },
    /// A bound that the program was built without (its structure is fixed).
    #[error("the program has no bound {bound:?}: it was built without it")]
    NoSuchBound {
        /// The bound asked for.
        bound: Bound,
    },
    /// Too many columns or rows for 32-bit indices.
    #[error("too many {what}: {count} (the limit is 2^31 - 1)")]
    TooLarge {
        /// "columns" or "rows".
        what: &'static str,
        /// How many.
        count: usize,
    },
    /// No solution satisfies every bound. `bounds` are the bounds of Clarabel's certificate of
    /// infeasibility: relaxing some of them is necessary to make the program feasible.
    #[error("the program is infeasible: {} bounds conflict", bounds.len())]
    Infeasible {
        /// The conflicting bounds.
        bounds: Vec<Bound>,
    },
    /// The objective grows without limit along the given columns.
    #[error("the program is unbounded: {} columns grow without limit", columns.len())]
    Unbounded {
        /// The columns of the unbounded direction.
        columns: Vec<Column>,
    },
    /// The solver stopped without a solution or a certificate.
    #[error("the solver stopped after {iterations} iterations with status {status}")]
    NotSolved {
        /// Clarabel's status.
        status: String,
        /// Iterations taken.
        iterations: u32,
    },
    /// Clarabel refused the model or the settings (a bug: please report it with the input).
    #[error("the solver refused the model: {message}")]
    Solver {
        /// Clarabel's message.
        message: String,
    },
}
