//! Integration tests of midstream-data, compiled as one binary.

// Reason: test helpers outside `#[test]` functions fail the test by panicking, as tests do.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod critical_minerals;
mod kazakhstan;
mod rare_earths;
mod rare_earths_2025;
mod sourcing;
