//! The crate's error type.

use midstream_domain::{Commodity, Country, FacilityId, Overflow};
use thiserror::Error;

/// Any error of the graph crate.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum GraphError {
    /// The network is too large for 32-bit indices.
    #[error("too many {what}: {count} (the limit is 2^31 - 1)")]
    TooLarge {
        /// "nodes" or "arcs".
        what: &'static str,
        /// How many.
        count: usize,
    },
    /// A sum or conversion does not fit the integer units.
    #[error(transparent)]
    Overflow(#[from] Overflow),
    /// A quantity in tonnes does not fit the integer units (kilograms in an `i64`).
    #[error("{what} of {tonnes} t does not fit in 64-bit kilograms")]
    QuantityTooLarge {
        /// What the quantity is (facility, field).
        what: String,
        /// The quantity in tonnes, as written.
        tonnes: String,
    },
    /// No facility of the dataset has a capacity for the commodity.
    #[error("no facility in the dataset has a capacity for {commodity}")]
    UnknownCommodity {
        /// The commodity asked for.
        commodity: Commodity,
    },
    /// A target on the contained-element basis that no set of the dataset's products adds up
    /// to (e.g. `DyTbNdPr:oxide@contained` where nothing separates Tb oxide).
    #[error("{target} cannot be counted from the dataset's products: {reason}")]
    CompositeTarget {
        /// The target asked for.
        target: Commodity,
        /// Why not, in a sentence.
        reason: String,
    },
    /// A scenario names a facility the dataset does not have.
    #[error("the scenario's {field} names facility \"{}\", which is not in the dataset", facility.as_str())]
    UnknownFacility {
        /// The scenario field.
        field: &'static str,
        /// The facility id.
        facility: FacilityId,
    },
    /// A scenario names a country where the dataset has no facility.
    #[error("the scenario's {field} names {country} ({}), where the dataset has no facility", country.name())]
    UnknownCountry {
        /// The scenario field.
        field: &'static str,
        /// The country.
        country: Country,
    },
    /// A scenario value out of its range (a year, a capacity override).
    #[error("the scenario's {field}: {message}")]
    ScenarioValue {
        /// The scenario field, e.g. `capacity_overrides.lynas-malaysia`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// An alignment filter without a perspective in the dataset.
    #[error("the scenario filters suppliers by alignment, but the dataset has no perspective")]
    NoPerspective,
    /// A scenario's JSON text could not be read.
    #[error("scenario line {line}, column {column}, at `{path}`: {message}")]
    ScenarioParse {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// JSON path of the failing value (`.` for the whole scenario).
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A scenario file with problems: its first syntax or type problem, or every reference
    /// and value the dataset refuses ([`crate::Scenario::from_json_file`]).
    #[error("{}: {} problem{} in the scenario:{}", file.display(), problems.len(), if problems.len() == 1 { "" } else { "s" }, bullets(problems))]
    ScenarioFile {
        /// The file.
        file: std::path::PathBuf,
        /// The problems, in field order.
        problems: Vec<GraphError>,
    },
    /// An I/O error, with the file it concerns.
    #[error("{}: {source}", file.display())]
    Io {
        /// The file.
        file: std::path::PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The material-balance program could not be solved: its bounds conflict (`records` names
    /// the capacities and links involved) or the solver stopped.
    #[error("material balance: {message}{}", if records.is_empty() { String::new() } else { format!(" (involved: {})", records.join(", ")) })]
    Lp {
        /// What happened.
        message: String,
        /// The records whose bounds conflict, e.g. `link a-to-y (floor)`.
        records: Vec<String>,
    },
    /// An error of the numeric engines (max flow, DIMACS, a network too large).
    #[error(transparent)]
    Flow(#[from] midstream_flow::FlowError),
    /// A broken internal invariant (a bug: please report it with the input).
    #[error("internal error: {reason}")]
    Internal {
        /// What broke.
        reason: &'static str,
    },
}

impl GraphError {
    /// Whether this is a broken internal invariant (a bug), not a fault of the input.
    #[must_use]
    pub fn is_internal(&self) -> bool {
        matches!(self, Self::Internal { .. })
    }
}

/// One indented line per problem, each starting on a new line.
fn bullets(problems: &[GraphError]) -> String {
    use std::fmt::Write as _;
    problems.iter().fold(String::new(), |mut out, p| {
        let _ = write!(out, "\n  - {p}");
        out
    })
}
