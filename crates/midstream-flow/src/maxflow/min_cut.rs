//! The minimum cut of a maximum flow.

use std::sync::atomic::Ordering::Relaxed;

use crate::maxflow::max_flow::MaxFlow;
use crate::maxflow::search::{Direction, Search, UNREACHED};

/// A minimum s-t cut: the source side and the edges that leave it.
///
/// Minimum cuts are not unique. This one is always the *smallest* source side: the nodes
/// reachable from the source in the residual graph. It is the cut closest to the source, it
/// depends only on the flow value's residual graph (not on the order of augmentations), and so
/// reports are the same from run to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MinCut {
    /// `source_side[v]` is true if `v` is on the source side.
    pub source_side: Vec<bool>,
    /// The input edges from the source side to the sink side with positive capacity, in input
    /// order. Each is saturated by the maximum flow.
    pub edges: Vec<usize>,
    /// The total capacity of `edges`, equal to the maximum flow value.
    pub capacity: i64,
}

impl MaxFlow<'_> {
    /// The minimum cut whose source side is the set of nodes reachable from the source in the
    /// residual graph.
    ///
    /// # Complexity
    /// O(|V| + |E|).
    ///
    /// # Example
    /// ```
    /// use midstream_flow::{FlowNetwork, max_flow};
    /// //  s --5--> a --1--> t      the bottleneck is a -> t
    /// let net = FlowNetwork::from_edges(3, &[(0, 1, 5), (1, 2, 1)])?;
    /// let cut = max_flow(&net, 0, 2)?.min_cut();
    /// assert_eq!(cut.edges, vec![1]);
    /// assert_eq!(cut.capacity, 1);
    /// assert_eq!(cut.source_side, vec![true, true, false]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn min_cut(&self) -> MinCut {
        let net = self.net;
        let source_side = residual_reachable(net, &self.residual, self.source);
        let mut edges = Vec::new();
        let mut capacity = 0i64;
        for (e, &a) in net.edge_arc.iter().enumerate() {
            let a = a as usize;
            // The head first: the tail costs two more reads, needed only for edges into the
            // sink side.
            if source_side[net.head[a] as usize] || net.capacity[a] == 0 {
                continue;
            }
            if source_side[net.tail(a)] {
                edges.push(e);
                capacity = capacity.saturating_add(net.capacity[a]);
            }
        }
        MinCut {
            source_side,
            edges,
            capacity,
        }
    }
}

/// Nodes reachable from `from` over arcs with positive residual capacity (a breadth-first
/// search, level by level, large levels in node order and on two threads).
pub(crate) fn residual_reachable(
    net: &crate::maxflow::network::FlowNetwork,
    residual: &[i64],
    from: usize,
) -> Vec<bool> {
    let mut search = Search::new(net.node_count());
    search.root(from);
    search.run(net, residual, &net.pair, Direction::Forward);
    search
        .dist
        .iter()
        .map(|d| d.load(Relaxed) != UNREACHED)
        .collect()
}
