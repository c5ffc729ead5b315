//! Integration tests of midstream-graph, compiled as one binary.

// Reason: test helpers outside `#[test]` functions fail the test by panicking, as tests do.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod balance;
#[cfg(feature = "highs")]
mod balance_highs;
mod balance_props;
mod criticality;
mod flow;
mod supply;
