//! The full report (`midstream report --format json`) and its JSON Schema.

use serde::Serialize;

use crate::analysis::{BottleneckAnalysis, Comparison, CountryProfile};
use crate::outlook::Outlook;

/// Everything `midstream report` finds for a dataset: per commodity, the bottleneck, the
/// export stop of the country holding most of it and the outlook band; the concentration of
/// capacity by stage; then country profiles.
///
/// This is the JSON the CLI prints with `--format json`; its schema is [`report_schema`] (the
/// committed copy is `docs/report.schema.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Report {
    /// The dataset's name.
    pub dataset: String,
    /// The dataset's as-of date (`YYYY-MM-DD`).
    pub as_of: String,
    /// One bottleneck per commodity, in the report's order.
    pub bottlenecks: Vec<BottleneckAnalysis>,
    /// Baseline against an export stop of the country holding most of each bottleneck.
    pub export_stops: Vec<Comparison>,
    /// The outlook band per commodity (commodities with deliverable supply).
    pub outlooks: Vec<Outlook>,
    /// Country profiles ("signals or supply").
    pub profiles: Vec<CountryProfile>,
    /// Concentration of producing capacity by country, per commodity and stage (format-1
    /// datasets: a format-2 capacity may be stated in feed, oxide or metal, so capacities of
    /// one stage do not add up).
    pub concentration: Vec<midstream_risk::StageConcentration>,
}

/// The JSON Schema (draft 2020-12) of a [`Report`], as `midstream schema --of report` prints it.
///
/// The committed copy is `docs/report.schema.json`; a test fails when it is out of date
/// (regenerate with `MIDSTREAM_BLESS=1 cargo test -p midstream --test it report_schema`).
///
/// ```
/// let schema = midstream::report_schema();
/// assert_eq!(schema["title"], "Report");
/// assert!(schema["properties"]["bottlenecks"].is_object());
/// ```
#[must_use]
pub fn report_schema() -> serde_json::Value {
    schemars::schema_for!(Report).to_value()
}
