//! Which maximum-flow algorithm runs and what it did: a leaf module that the dispatcher
//! (`max_flow.rs`) and each algorithm name.

/// Which algorithm computes a maximum flow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// Dinic's algorithm on shallow networks, push-relabel on deep ones (see
    /// [`SHALLOW_DEPTH`](super::SHALLOW_DEPTH)). What [`max_flow`](super::max_flow) uses.
    #[default]
    Auto,
    /// Dinic's algorithm: few phases on shallow layered networks such as supply chains, where
    /// each phase is one pass over the arcs.
    Dinic,
    /// Push-relabel, highest label first, with global relabelling and the gap heuristic: no
    /// phases, so it does not slow down where augmenting paths lengthen step by step (grids,
    /// long chains of levels).
    PushRelabel,
}

/// What a maximum-flow run did, for profiles: the algorithm and its counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FlowProfile {
    /// The algorithm that ran ([`Algorithm::Dinic`] or [`Algorithm::PushRelabel`]).
    pub algorithm: Algorithm,
    /// The network's depth as [`Algorithm::Auto`] measured it (0 when no choice was made).
    pub depth: u32,
    /// Dinic's phases (each a breadth-first labelling from the sink and a blocking flow).
    pub phases: u64,
    /// Push-relabel's pushes (each moves flow along one arc).
    pub pushes: u64,
    /// Push-relabel's relabels of one node.
    pub relabels: u64,
    /// Push-relabel's global relabellings (each a breadth-first search back from the sink).
    pub global_relabels: u64,
    /// Push-relabel's gaps (a label left with no node: every node above it is cut off).
    pub gaps: u64,
}
