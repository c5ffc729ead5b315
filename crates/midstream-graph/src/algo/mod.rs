//! Flow algorithms on a compact residual network, one algorithm per file.

mod decompose;
mod max_flow;
mod min_cut;
mod network;
mod removal;

pub use decompose::FlowPath;
pub use max_flow::{MaxFlow, max_flow};
pub use min_cut::MinCut;
pub use network::FlowNetwork;
pub(crate) use network::to_u32;
pub use removal::FlowRemoval;
