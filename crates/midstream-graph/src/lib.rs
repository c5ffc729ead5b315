//! # midstream-graph
//!
//! Supply-chain graphs and the flow algorithms that find where they choke.

#![doc(test(attr(deny(warnings))))]

mod algo;
mod criticality;
mod error;
pub mod generate;
mod report;
mod scenario;
mod supply;
pub mod units;

pub use algo::{FlowNetwork, FlowPath, FlowRemoval, MaxFlow, MinCut, max_flow};
pub use criticality::{
    CountryCriticality, CriticalityOptions, CriticalityReport, FacilityCriticality, LossMethod,
};
pub use error::GraphError;
pub use report::{
    BottleneckReport, CountryShare, CutMember, StageCountryFlow, StageShare, SupplyPath,
    Utilisation,
};
pub use scenario::Scenario;
pub use supply::{
    Arc, ArcKind, DemandNode, FacilityNode, FacilityStatus, LinkArc, NodeKind, SupplyGraph,
};
