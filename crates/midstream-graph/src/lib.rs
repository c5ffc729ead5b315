//! # midstream-graph
//!
//! Supply-chain graphs of critical-mineral facilities, and the flow algorithms that find where
//! they choke.
//!
//! - [`SupplyGraph::build`] turns a validated dataset, a commodity and a [`Scenario`] into a
//!   flow network on petgraph: facilities split into in/out nodes carrying their capacity, stages
//!   joined through markets (or the dataset's explicit links), a source over mines, recycling and
//!   chain entry points, a sink over demand. Tonnes become whole kilograms once ([`units`]).
//! - [`SupplyGraph::bottleneck`] gives the [`BottleneckReport`]: deliverable tonnes, shortfall,
//!   the minimum cut by stage and country, utilisation, and supply paths.
//! - [`SupplyGraph::criticality`] ranks facilities and countries by the supply lost without
//!   them, re-routing flow from one maximum flow instead of solving again.
//! - The engine underneath works on any network: [`FlowNetwork`] (compact CSR), [`max_flow`]
//!   (Dinic), [`MinCut`], [`FlowRemoval`], flow decomposition ([`FlowPath`]).
//! - Export and import: [`SupplyGraph::to_dot`] (Graphviz), [`read_dimacs`] /
//!   [`write_dimacs`]. (Seeded synthetic datasets for tests and benchmarks are
//!   `midstream_data::synthetic`.)
//!
//! ```
//! use midstream_domain::Dataset;
//! use midstream_graph::{CriticalityOptions, Scenario, SupplyGraph};
//!
//! //  AU mine 100 t --+                    +--> JP magnets 200 t --> buyers 150 t
//! //                  +--> MY sep 80 t ----+
//! //  CN mine 300 t --+--> CN sep 250 t ---+--> CN magnets 150 t
//! let data = Dataset::from_json_str(r#"{
//!   "format_version": 1, "name": "toy", "as_of": "2024-12-31",
//!   "facilities": [
//!     {"id": "au-mine", "name": "AU mine", "country": "AU", "stage": "mining", "maturity": "operating",
//!      "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "100"}]},
//!     {"id": "cn-mine", "name": "CN mine", "country": "CN", "stage": "mining", "maturity": "operating",
//!      "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "300"}]},
//!     {"id": "my-sep", "name": "MY separation", "country": "MY", "stage": "separation",
//!      "maturity": "operating", "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "80"}]},
//!     {"id": "cn-sep", "name": "CN separation", "country": "CN", "stage": "separation",
//!      "maturity": "operating", "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "250"}]},
//!     {"id": "jp-mag", "name": "JP magnets", "country": "JP", "stage": "manufacturing",
//!      "maturity": "operating", "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "200"}]},
//!     {"id": "cn-mag", "name": "CN magnets", "country": "CN", "stage": "manufacturing",
//!      "maturity": "operating", "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "150"}]}
//!   ]
//! }"#)?.validate()?;
//! let ndpr = "NdPr:oxide".parse()?;
//! let graph = SupplyGraph::build(&data, &ndpr, &Scenario::baseline())?;
//! let report = graph.bottleneck()?;
//! assert_eq!(report.deliverable.to_string(), "330 t"); // separation: 80 + 250
//! assert!(report.bottleneck_is_midstream);
//!
//! // If China's exports stop, the rest of the world keeps the Malaysian line. (Without demand
//! // records, deliverable means deliverable outside export-stopped countries; with demand
//! // records, China's own buyers count too.)
//! let stop = Scenario { export_stops: ["CN".parse()?].into(), ..Scenario::default() };
//! let stopped = SupplyGraph::build(&data, &ndpr, &stop)?.bottleneck()?;
//! assert_eq!(stopped.deliverable.to_string(), "80 t");
//!
//! let critical = graph.criticality(&CriticalityOptions::default(), |_, _| {})?;
//! assert_eq!(critical.countries[0].country.code(), "CN");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Features
//! None.

#![doc(test(attr(deny(warnings))))]

mod balance;
mod criticality;
mod dimacs;
mod dot;
mod error;
mod report;
mod scenario;
mod supply;
pub mod units;

pub use balance::{
    BalanceModel, BalanceOptions, BalanceReport, BindingKind, ByProduct, DELIVERABLE_MEMO,
    FlowRange, Marginal, RecipeLimit, ShipmentFlow, StageRange, demand_cases, stated_demand,
};
pub use criticality::{
    CountryCriticality, CriticalityOptions, CriticalityReport, FacilityCriticality, LossMethod,
};
pub use error::GraphError;
pub use midstream_flow::{
    Algorithm, DimacsProblem, FlowError, FlowNetwork, FlowPath, FlowProfile, FlowRemoval,
    LpBackend, MAX_SPARE_NODES, MaxFlow, MinCut, SHALLOW_DEPTH, SplitMix64, max_flow,
    max_flow_with, parse_dimacs, read_dimacs, write_dimacs,
};
pub use report::{
    BottleneckReport, CountryShare, CutMember, StageCountryFlow, StageShare, SupplyPath,
    Utilisation,
};
pub use scenario::{ExportControl, RangeEnd, Scenario};
#[allow(deprecated)] // Reason: the old name stays importable, with its deprecation warning.
pub use supply::Arc;
pub use supply::{
    ArcKind, DemandNode, FacilityNode, FacilityStatus, LinkArc, NodeKind, SupplyArc, SupplyGraph,
};
