//! Flow algorithms on a compact residual network, one algorithm per file.

// Reason: the algorithms index CSR arrays (offsets, heads, capacities, levels, current arcs)
// with node and arc numbers that `FlowNetwork::from_edges` checks once, at construction (every
// tail and head below the node count, offsets monotone, fewer than 2^31 arcs), and terminals
// checked on entry (`check_terminals`). Indexing stays bounds-checked, so a broken invariant
// would be a bug caught by a panic, never a wrong answer; `.get()` in these inner loops would
// add branches and error paths that cannot be taken, in the code the benchmarks time.
#![allow(clippy::indexing_slicing)]

mod cancel;
mod decompose;
mod max_flow;
mod min_cut;
mod network;
mod profile;
mod push_relabel;
mod removal;
mod search;

pub use decompose::FlowPath;
pub use max_flow::{MaxFlow, SHALLOW_DEPTH, max_flow, max_flow_with};
pub use min_cut::MinCut;
pub use network::FlowNetwork;
pub(crate) use network::to_u32;
pub use profile::{Algorithm, FlowProfile};
pub use removal::FlowRemoval;
