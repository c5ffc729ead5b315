//! Maximum flow after removing edges, by warm start from an existing maximum flow.

use crate::algo::max_flow::{Dinic, MaxFlow};
use crate::algo::network::{FlowNetwork, to_u32};
use crate::error::GraphError;

/// Answers "what is the maximum flow without these edges?" many times over, each time starting
/// from the residual graph of one maximum flow instead of solving from scratch.
///
/// To remove an edge `u -> v` that carries `f` units: zero it; re-route up to `f` units from `u`
/// to `v` around it through the residual graph (flow value unchanged); return the `e` units that
/// could not be re-routed to the source (`u -> s`) and withdraw them from the sink
/// (`t -> v`), which leaves a feasible flow of value `F - e`; once every edge of the set is
/// removed, augment from source to sink again. Flow decomposition guarantees the two returns
/// succeed once re-routing is exhausted. The residual graph is restored from an undo log after
/// each query, so queries are independent.
///
/// # Complexity
/// Each query costs a few searches over the part of the residual graph they reach, instead of a
/// full max-flow; memory O(|V| + |E|) once.
///
/// # Example
/// ```
/// use midstream_graph::{FlowNetwork, FlowRemoval, max_flow};
/// //        +--3--> a --3--+
/// //  s ----|              +--> t
/// //        +--2--> b --2--+
/// let net = FlowNetwork::from_edges(4, &[(0, 1, 3), (1, 3, 3), (0, 2, 2), (2, 3, 2)])?;
/// let flow = max_flow(&net, 0, 3)?;
/// let mut removal = FlowRemoval::new(&flow);
/// assert_eq!(removal.value_without(&[1])?, 2); // without a -> t, only b's 2 units remain
/// assert_eq!(removal.value_without(&[0, 2])?, 0);
/// assert_eq!(removal.value_without(&[])?, 5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct FlowRemoval<'n> {
    net: &'n FlowNetwork,
    source: usize,
    sink: usize,
    value: i64,
    residual: Vec<i64>,
    dinic: Dinic<'n>,
    log: Vec<(u32, i64)>,
}

impl<'n> FlowRemoval<'n> {
    /// Prepares queries against a maximum flow.
    #[must_use]
    pub fn new(flow: &MaxFlow<'n>) -> Self {
        Self {
            net: flow.net,
            source: flow.source,
            sink: flow.sink,
            value: flow.value,
            residual: flow.residual.clone(),
            dinic: Dinic::new(flow.net),
            log: Vec::new(),
        }
    }

    /// The maximum flow value with the given input edges removed.
    ///
    /// # Errors
    /// [`GraphError::EdgeOutOfRange`] for an unknown edge; [`GraphError::Internal`] if the flow
    /// given to [`FlowRemoval::new`] was not a maximum flow of this network (re-routing failed).
    pub fn value_without(&mut self, edges: &[usize]) -> Result<i64, GraphError> {
        let result = self.remove_and_solve(edges);
        // Undo in reverse order, whatever happened.
        while let Some((a, old)) = self.log.pop() {
            self.residual[a as usize] = old;
        }
        result
    }

    fn remove_and_solve(&mut self, edges: &[usize]) -> Result<i64, GraphError> {
        let net = self.net;
        let (s, t) = (self.source, self.sink);
        let mut lost = 0i64;
        for &edge in edges {
            let a = *net.edge_arc.get(edge).ok_or(GraphError::EdgeOutOfRange {
                edge,
                edge_count: net.edge_count(),
            })? as usize;
            let b = net.rev[a] as usize;
            let (u, v) = (net.tail(a), net.head[a] as usize);
            // The current flow on the arc (its reverse residual minus what the reverse arc's own
            // capacity, always 0 for a reverse arc, would add).
            let f = self.residual[b];
            self.log.push((to_u32(a), self.residual[a]));
            self.log.push((to_u32(b), self.residual[b]));
            self.residual[a] = 0;
            self.residual[b] = 0;
            if f == 0 || u == v {
                continue;
            }
            let rerouted = self
                .dinic
                .augment(&mut self.residual, u, v, f, Some(&mut self.log));
            let excess = f - rerouted;
            if excess == 0 {
                continue;
            }
            if u != s {
                let back =
                    self.dinic
                        .augment(&mut self.residual, u, s, excess, Some(&mut self.log));
                if back != excess {
                    return Err(GraphError::Internal {
                        reason: "flow into a removed edge could not be returned to the source",
                    });
                }
            }
            if v != t {
                let back =
                    self.dinic
                        .augment(&mut self.residual, t, v, excess, Some(&mut self.log));
                if back != excess {
                    return Err(GraphError::Internal {
                        reason: "flow out of a removed edge could not be withdrawn from the sink",
                    });
                }
            }
            lost += excess;
        }
        if lost == 0 {
            return Ok(self.value);
        }
        let regained = self
            .dinic
            .augment(&mut self.residual, s, t, lost, Some(&mut self.log));
        Ok(self.value - lost + regained)
    }
}
