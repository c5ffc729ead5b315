//! Integration tests of midstream-risk, compiled as one binary.

// Reason: test helpers outside `#[test]` functions fail the test by panicking, as tests do.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
mod concentration;
mod delivery;
mod eu_published;
mod properties;
mod scores;
