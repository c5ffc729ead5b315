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
pub mod csv;
mod error;
pub mod markdown;
mod outlook;
mod preset;
mod report;
pub mod svg;

pub use analysis::{
    Analysis, BottleneckAnalysis, Candidate, Comparison, CountryProfile, FlowSpan, ProfileLine,
    Relief, StageCountryDelta, StageDelta,
};
pub use error::Error;
pub use midstream_data as data;
pub use midstream_domain as domain;
pub use midstream_graph as graph;
pub use midstream_risk as risk;
pub use outlook::{
    CommonCause, CountryDriver, DEFAULT_OUTLOOK_SAMPLES, DemandCase, DemandYear, Drivers, Interval,
    MAX_OUTLOOK_SAMPLES, MAX_SETTLED_SAMPLES, Outlook, OutlookOptions, OutlookYear, OutsideView,
    ProjectDriver, SETTLE_TOLERANCE,
};
pub use preset::{Preset, PresetSource};
pub use report::{Report, ReportOptions, report_schema};

/// The README's Rust code, run as a doctest so that it stays true as pasted.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The types most programs need, for a glob import.
pub mod prelude {
    pub use midstream_domain::{
        Alignment, Basis, Capacity, Commodity, Country, Dataset, Demand, Element, Facility,
        FacilityId, Financing, FinancingStatus, Form, Instrument, Link, Maturity, Milestone,
        MilestoneKind, Offtake, Perspective, Share, Source, Stage, Tonnes, Usd, ValidDataset,
    };
    pub use midstream_graph::{
        BalanceModel, BalanceReport, BottleneckReport, CriticalityOptions, CriticalityReport,
        CutMember, Scenario, SupplyGraph,
    };
    /// The exact decimal every quantity is made of, so that notebooks can name it.
    pub use rust_decimal::Decimal;

    pub use crate::{Analysis, OutlookOptions};
}
