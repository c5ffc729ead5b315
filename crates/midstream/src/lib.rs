//! # midstream
//!
//! Map critical-mineral supply chains and find where they choke. This facade re-exports the
//! member crates under short names and gathers the everyday types in a [`prelude`].
//!
//! - [`domain`]: the vocabulary (elements, commodities, stages, countries, quantities,
//!   facilities, datasets and their validation).
//! - [`data`]: the embedded reference datasets, loadable by name.
//! - [`graph`]: supply graphs, max-flow / min-cut bottlenecks, criticality, DOT and DIMACS.
//! - [`Analysis`]: graph and risk together (bottleneck with the delivery risk of what binds,
//!   scenario comparison, outlook band, where to invest, country profile), rendered by
//!   [`markdown`], drawn by [`svg`] or serialised as JSON.
//! - [`risk`]: concentration, EU and USGS supply risk, project delivery risk, composite scores,
//!   each with its factors explained.
//!
//! ```
//! use midstream::prelude::*;
//!
//! let ndpr: Commodity = "NdPr:oxide".parse()?;
//! assert!(ndpr.is_rare_earth());
//! assert!(Stage::Separation.is_midstream());
//! let kz: Country = "KZ".parse()?;
//! assert_eq!(kz.name(), "Kazakhstan");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Features
//! None yet.

#![doc(test(attr(deny(warnings))))]

mod analysis;
mod chain_risk;
pub mod csv;
mod error;
mod invest;
pub mod markdown;
mod notebook;
mod outlook;
mod preset;
mod profile;
mod report;
pub mod svg;

pub use analysis::{
    Analysis, BottleneckAnalysis, Comparison, FlowSpan, StageCountryDelta, StageDelta,
};
pub use chain_risk::{
    CountryLoss, CountryShareRange, EuElementRisk, EuStageRisk, FacilityLoss, MAX_LOSSES,
    RiskAssessment, StageRisk,
};
pub use error::Error;
pub use invest::Candidate;
pub use midstream_data as data;
pub use midstream_domain as domain;
pub use midstream_graph as graph;
pub use midstream_risk as risk;
pub use outlook::{
    CommonCause, CountryDriver, DEFAULT_OUTLOOK_SAMPLES, DEFAULT_OUTLOOK_SEED, DemandCase,
    DemandYear, Drivers, Interval, MAX_OUTLOOK_SAMPLES, MAX_SETTLED_SAMPLES, Outlook,
    OutlookOptions, OutlookYear, OutsideView, ProjectDriver, SETTLE_TOLERANCE,
};
pub use preset::{Preset, PresetSource};
pub use profile::{CountryProfile, ProfileLine, Relief};
pub use report::{Investment, Report, ReportOptions, ReportStep, report_schema};

/// The governance estimates an [`Analysis`] uses unless told otherwise: the mean of the six
/// World Bank Worldwide Governance Indicators of each economy ([`midstream_data::wgi`], the 2024
/// Update, estimates for 2023), for every economy with all six; its `source` names the release.
/// Economies with an indicator missing (nine territories) have no estimate.
///
/// Read once per process. Should the embedded table not read (a bug its tests rule out), the
/// table is empty and its `source` says why, so a report shows it.
///
/// ```
/// let table = midstream::default_governance();
/// let cn = table.get("CN".parse()?).ok_or("no CN")?;
/// assert!(cn.eu_scaled() > rust_decimal::Decimal::from(5));  // China: about 5.6 of 10
/// assert!(table.source.as_deref().is_some_and(|s| s.contains("2024 Update")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn default_governance() -> risk::GovernanceTable {
    static TABLE: std::sync::OnceLock<risk::GovernanceTable> = std::sync::OnceLock::new();
    TABLE
        .get_or_init(|| {
            let source = &midstream_data::WGI_SOURCE;
            let mut table = risk::GovernanceTable {
                source: Some(format!(
                    "{}, {}, estimates for {} (mean of the six indicators)",
                    source.publisher, source.title, source.data_year
                )),
                ..risk::GovernanceTable::default()
            };
            match midstream_data::wgi() {
                Ok(rows) => {
                    for row in rows {
                        let [Some(va), Some(pv), Some(ge), Some(rq), Some(rl), Some(cc)] =
                            row.estimates
                        else {
                            continue;
                        };
                        // The release's estimates run slightly beyond ±2.5 (down to −2.75 for
                        // one indicator of one economy); the mean of the six stays inside, as the
                        // methodology's rescaling needs.
                        let mean = (va + pv + ge + rq + rl + cc) / rust_decimal::Decimal::from(6);
                        match risk::Wgi::new(mean) {
                            Ok(wgi) => table.insert(row.country, wgi),
                            Err(e) => {
                                table.source = Some(format!(
                                    "the embedded WGI table, except {}: {e}",
                                    row.country
                                ));
                            }
                        }
                    }
                }
                Err(e) => {
                    table.source = Some(format!("none: the embedded WGI table did not read ({e})"));
                }
            }
            table
        })
        .clone()
}

/// The README's Rust code, run as a doctest so that it stays true as pasted.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The types most programs need, for a glob import.
pub mod prelude {
    /// The date type of `Dataset::as_of` and the delivery context.
    pub use midstream_domain::chrono::NaiveDate;
    pub use midstream_domain::{
        Alignment, Basis, Capacity, Commodity, Country, Dataset, Demand, Element, Facility,
        FacilityId, Financing, FinancingStatus, Form, Instrument, Link, Maturity, Milestone,
        MilestoneKind, Offtake, Perspective, Share, Source, Stage, Tonnes, Usd, ValidDataset,
    };
    pub use midstream_graph::{
        BalanceModel, BalanceReport, BottleneckReport, CriticalityOptions, CriticalityReport,
        CutMember, Scenario, SupplyGraph,
    };
    pub use midstream_risk::{
        Band2010, Concentration, DeliveryAssessment, DeliveryParams, GovernanceTable, Shares, Wgi,
    };
    /// The exact decimal every quantity is made of, so that notebooks can name it.
    pub use rust_decimal::Decimal;

    pub use crate::{
        Analysis, BottleneckAnalysis, Candidate, Comparison, CountryProfile, Outlook,
        OutlookOptions, Report, ReportOptions, RiskAssessment,
    };
}

/// `serde_json`, so that a user can read and write the library's JSON (a saved report, a
/// scenario) without naming the crate and its version.
pub use serde_json;
