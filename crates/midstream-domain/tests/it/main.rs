//! Integration tests of midstream-domain, compiled as one binary.

mod fixtures;
mod load;
mod roundtrip;
mod schema;
mod validation;
