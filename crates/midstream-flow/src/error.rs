//! The crate's error type.

use thiserror::Error;

use crate::lp::index::{Bound, Column};

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
    /// Too many columns, rows, nodes or arcs for 32-bit indices.
    #[error("too many {what}: {count} (the limit is 2^31 - 1)")]
    TooLarge {
        /// "columns", "rows", "nodes" or "arcs".
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
    /// An edge names a node outside the network.
    #[error("edge {edge} names node {node}, but the network has {node_count} nodes")]
    NodeOutOfRange {
        /// Index of the edge in the input.
        edge: usize,
        /// The offending node.
        node: usize,
        /// Number of nodes.
        node_count: usize,
    },
    /// A source or sink outside the network.
    #[error("terminal node {node} is outside the network of {node_count} nodes")]
    TerminalOutOfRange {
        /// The offending node.
        node: usize,
        /// Number of nodes.
        node_count: usize,
    },
    /// An edge index outside the network.
    #[error("edge {edge} does not exist; the network has {edge_count} edges")]
    EdgeOutOfRange {
        /// The offending edge.
        edge: usize,
        /// Number of edges.
        edge_count: usize,
    },
    /// The source is the sink.
    #[error("the source and the sink are the same node ({node})")]
    SourceIsSink {
        /// The node.
        node: usize,
    },
    /// A negative capacity.
    #[error("edge {edge} has negative capacity {capacity}")]
    NegativeCapacity {
        /// Index of the edge in the input.
        edge: usize,
        /// The capacity.
        capacity: i64,
    },
    /// A sum does not fit the integer units.
    #[error("overflow: {what} does not fit in 64-bit integer units")]
    Overflow {
        /// What overflowed.
        what: &'static str,
    },
    /// A DIMACS file could not be read.
    #[error("DIMACS line {line}: {message}")]
    Dimacs {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
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
    /// A broken internal invariant (a bug: please report it with the input).
    #[error("internal error: {reason}")]
    Internal {
        /// What broke.
        reason: &'static str,
    },
    /// Clarabel refused the model or the settings (a bug: please report it with the input).
    #[error("the solver refused the model: {message}")]
    Solver {
        /// Clarabel's message.
        message: String,
    },
}
