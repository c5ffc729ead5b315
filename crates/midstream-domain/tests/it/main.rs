//! Integration tests of midstream-domain.
