//! # midstream-graph
//!
//! Supply-chain graphs and the flow algorithms that find where they choke.

#![doc(test(attr(deny(warnings))))]

mod algo;
mod error;

pub use algo::{FlowNetwork, FlowRemoval, MaxFlow, MinCut, max_flow};
pub use error::GraphError;
