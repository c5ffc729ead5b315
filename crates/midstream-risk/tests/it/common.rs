//! Small helpers shared by the tests.

use midstream_domain::{Country, Facility};
use midstream_risk::{GovernanceTable, Shares, Wgi};
use rust_decimal::Decimal;

/// A decimal from text.
pub(crate) fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// A country from its code.
pub(crate) fn c(code: &str) -> Country {
    code.parse().unwrap()
}

/// Country shares in percent, without remainder.
pub(crate) fn percent(rows: &[(&str, &str)], other: Option<&str>) -> Shares<Country> {
    Shares::from_percent(rows.iter().map(|(k, v)| (c(k), d(v))), other.map(d)).unwrap()
}

/// A WGI mean whose EU-scaled value is `scaled` (scaled = 5 − 2 × WGI).
pub(crate) fn wgi_scaled(scaled: Decimal) -> Wgi {
    Wgi::new((Decimal::from(5) - scaled) / Decimal::TWO).unwrap()
}

/// China at the reference's scaled WGI of 5.66 (WGI mean −0.33).
pub(crate) fn china_governance() -> GovernanceTable {
    let mut g = GovernanceTable::default();
    g.insert(c("CN"), wgi_scaled(d("5.66")));
    g
}

/// A facility from JSON.
pub(crate) fn facility(json: &str) -> Facility {
    serde_json::from_str(json).unwrap()
}
