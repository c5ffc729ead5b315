//! Maximum flow after removing edges, by warm start from an existing maximum flow.

use std::collections::BTreeMap;

use crate::error::FlowError;
use crate::maxflow::cancel::{Cancel, Walk};
use crate::maxflow::max_flow::{Dinic, MaxFlow, Terminal};
use crate::maxflow::network::{FlowNetwork, to_u32};

/// Answers "what is the maximum flow without these edges?" many times over, each time starting
/// from the residual graph of one maximum flow instead of solving from scratch.
///
/// To remove a set of edges: zero them, which leaves the flow they carried as an excess at each
/// tail and a deficit at each head. Send each excess back along the flow that brought it (to
/// the source, the sink, or a deficit: flow decomposition says it came from one of them), then
/// withdraw each remaining deficit along the flow it sent (to the sink or the source), by
/// depth-first walks over the arcs that carry flow; this leaves a feasible flow. Finally augment
/// from source to sink again (Dinic's algorithm from the residual graph), which re-routes around
/// the removed edges whatever can be. The residual graph is restored from an undo log after each
/// query, so queries are independent.
///
/// (Re-routing excess to deficits first, by a multi-terminal augmentation, was slower: each of
/// its phases labels most of the network when the removed edges are spread over it, as a
/// country's plants are, and the final augmentation has to label it anyway.)
///
/// # Complexity
/// The walks cost about the flow they cancel; the augmentation a few labellings of the residual
/// graph, fewer than a max-flow from scratch. Memory O(|V| + |E|) once.
///
/// # Example
/// ```
/// use midstream_flow::{FlowNetwork, FlowRemoval, max_flow};
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
    cancel: Cancel,
    log: Vec<(u32, i64)>,
    /// Whether each arc is the forward arc of an input edge.
    forward: Vec<bool>,
    /// The network's pair capacities with the removed edges zeroed while a removal is solved
    /// (so that `residual[a] + residual[rev[a]] == pair[a]` keeps holding).
    pair: Vec<i64>,
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
            cancel: Cancel::new(flow.net.node_count()),
            log: Vec::new(),
            forward: {
                let mut forward = vec![false; flow.net.head.len()];
                for &a in &flow.net.edge_arc {
                    forward[a as usize] = true;
                }
                forward
            },
            pair: flow.net.pair.clone(),
        }
    }

    /// The maximum flow value with the given input edges removed.
    ///
    /// # Errors
    /// [`FlowError::EdgeOutOfRange`] for an unknown edge; [`FlowError::Internal`] if the flow
    /// given to [`FlowRemoval::new`] was not a maximum flow of this network (re-routing failed).
    pub fn value_without(&mut self, edges: &[usize]) -> Result<i64, FlowError> {
        let result = self.remove_and_solve(edges);
        // Undo in reverse order, whatever happened.
        while let Some((a, old)) = self.log.pop() {
            self.residual[a as usize] = old;
        }
        for &edge in edges {
            if let Some(&a) = self.net.edge_arc.get(edge) {
                let a = a as usize;
                let b = self.net.rev[a] as usize;
                self.pair[a] = self.net.pair[a];
                self.pair[b] = self.net.pair[b];
            }
        }
        result
    }

    fn remove_and_solve(&mut self, edges: &[usize]) -> Result<i64, FlowError> {
        let net = self.net;
        let (s, t) = (self.source, self.sink);
        // Zero the edges; the flow they carried leaves an excess at each tail and a deficit at
        // each head (netted per node; the source and sink may be out of balance anyway).
        let mut balance: BTreeMap<usize, i64> = BTreeMap::new();
        for &edge in edges {
            let a = *net.edge_arc.get(edge).ok_or(FlowError::EdgeOutOfRange {
                edge,
                edge_count: net.edge_count(),
            })? as usize;
            let b = net.rev[a] as usize;
            let (u, v) = (net.tail(a), net.head[a] as usize);
            let f = self.residual[b];
            self.log.push((to_u32(a), self.residual[a]));
            self.log.push((to_u32(b), self.residual[b]));
            self.residual[a] = 0;
            self.residual[b] = 0;
            self.pair[a] = 0;
            self.pair[b] = 0;
            if f > 0 && u != v {
                *balance.entry(u).or_default() += f;
                *balance.entry(v).or_default() -= f;
            }
        }
        let mut excess: Vec<Terminal> = Vec::new();
        let mut deficit: Vec<Terminal> = Vec::new();
        for (&node, &b) in &balance {
            if node == s || node == t {
                continue;
            }
            if b > 0 {
                excess.push((node, b));
            } else if b < 0 {
                deficit.push((node, -b));
            }
        }
        // 1. Send the excess back along the flow that brought it: to the source, the sink
        // or a deficit (flow decomposition says one of them is where it came from).
        // 2. Withdraw the rest of the deficit along the flow it sent: to the sink or the
        // source.
        if !excess.is_empty() {
            let mut targets = deficit.clone();
            targets.extend([(s, i64::MAX), (t, i64::MAX)]);
            self.cancel.run(
                net,
                &mut self.residual,
                &mut excess,
                &mut targets,
                Walk::Back,
                &mut self.log,
            );
            for (d, r) in deficit.iter_mut().zip(&targets) {
                d.1 = r.1;
            }
        }
        deficit.retain(|&(_, left)| left > 0);
        if !deficit.is_empty() {
            let mut targets = [(t, i64::MAX), (s, i64::MAX)];
            self.cancel.run(
                net,
                &mut self.residual,
                &mut deficit,
                &mut targets,
                Walk::Forward,
                &mut self.log,
            );
        }
        if excess.iter().chain(&deficit).any(|&(_, left)| left > 0) {
            return Err(FlowError::Internal {
                reason: "flow around removed edges could not be returned to the terminals",
            });
        }
        let value = self.inflow(t);
        if value >= self.value {
            return Ok(value);
        }
        // 3. Augment again from source to sink; the value cannot exceed the original one.
        let regained = self.dinic.augment(
            &mut self.residual,
            &self.pair,
            s,
            t,
            self.value - value,
            Some(&mut self.log),
        );
        Ok(value + regained)
    }

    /// The net flow into `node`: flow on input edges into it minus flow on edges out of it.
    /// The flow of an edge is the residual capacity of its reverse arc (which stays right for
    /// removed edges, whose arcs are both zero).
    fn inflow(&self, node: usize) -> i64 {
        let net = self.net;
        net.arcs(node)
            .map(|a| {
                let partner = net.rev[a] as usize;
                if self.forward[a] {
                    -self.residual[partner]
                } else {
                    self.residual[a]
                }
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::maxflow::max_flow::max_flow;

    /// A maximum flow may carry flow into the source on a cycle (push-relabel returns excess to
    /// the source along any arc): the walks still find where each excess came from.
    #[test]
    fn flow_into_the_source_on_a_cycle() {
        use crate::maxflow::max_flow::max_flow_with;
        use crate::maxflow::profile::Algorithm;
        // 0 -> 1 (3), 1 -> 0 (1), 1 -> 2 (1): the flow is 1.
        let edges = [(1, 0, 1), (0, 1, 3), (1, 2, 1)];
        let net = FlowNetwork::from_edges(3, &edges).unwrap();
        for algorithm in [Algorithm::Dinic, Algorithm::PushRelabel] {
            let flow = max_flow_with(&net, 0, 2, algorithm).unwrap();
            assert_eq!(flow.value(), 1);
            let mut removal = FlowRemoval::new(&flow);
            assert_eq!(removal.value_without(&[0]).unwrap(), 1, "{algorithm:?}");
            assert_eq!(removal.value_without(&[1]).unwrap(), 0, "{algorithm:?}");
            assert_eq!(removal.value_without(&[2]).unwrap(), 0, "{algorithm:?}");
            assert_eq!(removal.residual, flow.residual);
        }
    }

    /// An edge listed twice is removed once and restored once: the pair capacities and the
    /// residuals come back, so a later query answers as a fresh solve does.
    #[test]
    fn an_edge_listed_twice_leaves_no_trace() {
        //  0 -> 1 -> 3 and 0 -> 2 -> 3, and a cross edge 1 -> 2
        let edges = [(0, 1, 5), (1, 3, 3), (0, 2, 4), (2, 3, 6), (1, 2, 2)];
        let net = FlowNetwork::from_edges(4, &edges).unwrap();
        let flow = max_flow(&net, 0, 3).unwrap();
        let mut removal = FlowRemoval::new(&flow);
        let without = |skip: &[usize]| {
            let kept: Vec<(u32, u32, i64)> = edges
                .iter()
                .enumerate()
                .map(|(i, &(u, v, c))| (u, v, if skip.contains(&i) { 0 } else { c }))
                .collect();
            let net = FlowNetwork::from_edges(4, &kept).unwrap();
            max_flow(&net, 0, 3).unwrap().value()
        };
        assert_eq!(removal.value_without(&[1, 1]).unwrap(), without(&[1]));
        assert_eq!(removal.pair, net.pair);
        assert_eq!(removal.residual, flow.residual);
        for query in [[3, 3], [0, 4], [2, 2]] {
            assert_eq!(
                removal.value_without(&query).unwrap(),
                without(&query),
                "{query:?}"
            );
        }
    }
}
