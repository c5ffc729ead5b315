//! Integration tests of the facade, compiled as one binary.

// Reason: test helpers outside `#[test]` functions fail the test by panicking, as tests do.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod analysis;
mod charts;
mod determinism;
mod notebook;
mod outlook;
mod presets;
mod report_schema;
mod risk;
