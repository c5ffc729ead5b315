//! Integration tests of midstream-domain, compiled as one binary.

// Reason: test helpers outside `#[test]` functions fail the test by panicking, as tests do.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod fixtures;
mod format2;
mod load;
mod roundtrip;
mod schema;
mod validation;
