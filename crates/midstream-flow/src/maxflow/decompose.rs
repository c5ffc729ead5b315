//! Flow decomposition into source-to-sink paths.

use crate::maxflow::max_flow::MaxFlow;

/// One path of a flow decomposition: the input edges from source to sink and the flow on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowPath {
    /// Input edges, in order from the source.
    pub edges: Vec<usize>,
    /// The flow the path carries.
    pub value: i64,
}

impl MaxFlow<'_> {
    /// Decomposes the flow into source-to-sink paths (cycles of flow, which deliver nothing,
    /// are cancelled along the way). The paths' values sum to the flow value, and on every edge
    /// the paths through it carry no more than the edge's flow.
    ///
    /// Deterministic: paths follow edges in input order.
    ///
    /// # Complexity
    /// O(|E| · L) for L the longest path: each path or cycle found empties at least one edge.
    ///
    /// # Example
    /// ```
    /// use midstream_flow::{FlowNetwork, max_flow};
    /// //  s --2--> a --2--> t
    /// //  s --1--> b --1--> t
    /// let net = FlowNetwork::from_edges(4, &[(0, 1, 2), (1, 3, 2), (0, 2, 1), (2, 3, 1)])?;
    /// let paths = max_flow(&net, 0, 3)?.decompose();
    /// assert_eq!(paths.len(), 2);
    /// assert_eq!((paths[0].edges.clone(), paths[0].value), (vec![0, 1], 2));
    /// assert_eq!((paths[1].edges.clone(), paths[1].value), (vec![2, 3], 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn decompose(&self) -> Vec<FlowPath> {
        let net = self.net;
        let n = net.node_count();
        let mut remaining = self.edge_flows();
        // Outgoing input edges of each node, in input order.
        let mut start = vec![0usize; n + 1];
        let mut tails = Vec::with_capacity(remaining.len());
        for e in 0..remaining.len() {
            let (u, v, _) = net.edge(e).unwrap_or((0, 0, 0));
            tails.push((u, v));
            start[u + 1] += 1;
        }
        for u in 0..n {
            start[u + 1] += start[u];
        }
        let mut fill = start.clone();
        let mut out = vec![0usize; remaining.len()];
        for (e, &(u, _)) in tails.iter().enumerate() {
            out[fill[u]] = e;
            fill[u] += 1;
        }
        let mut next = start.clone();
        // Position of a node on the current path, plus one (0: not on it).
        let mut on_path = vec![0usize; n];
        let mut path: Vec<usize> = Vec::new();
        let mut paths = Vec::new();
        let (s, t) = (self.source, self.sink);
        let mut u = s;
        on_path[s] = 1;
        loop {
            if u == t {
                let value = path.iter().map(|&e| remaining[e]).min().unwrap_or(0);
                for &e in &path {
                    remaining[e] -= value;
                    on_path[tails[e].1] = 0;
                }
                paths.push(FlowPath {
                    edges: std::mem::take(&mut path),
                    value,
                });
                u = s;
                continue;
            }
            while next[u] < start[u + 1] && remaining[out[next[u]]] == 0 {
                next[u] += 1;
            }
            if next[u] == start[u + 1] {
                // Only the source can run dry while conserving flow; stop there.
                if u == s {
                    break;
                }
                // Unreachable for a conserved flow; retreat rather than loop.
                on_path[u] = 0;
                let Some(e) = path.pop() else { break };
                u = tails[e].0;
                next[u] += 1;
                continue;
            }
            let e = out[next[u]];
            let v = tails[e].1;
            if on_path[v] > 0 {
                // A cycle: cancel it and continue from where it started.
                let from = on_path[v] - 1;
                let cycle_min = path[from..]
                    .iter()
                    .map(|&c| remaining[c])
                    .chain(std::iter::once(remaining[e]))
                    .min()
                    .unwrap_or(0);
                for &c in &path[from..] {
                    remaining[c] -= cycle_min;
                }
                remaining[e] -= cycle_min;
                for &c in &path[from..] {
                    on_path[tails[c].1] = 0;
                }
                on_path[v] = from + 1;
                path.truncate(from);
                u = v;
                continue;
            }
            path.push(e);
            on_path[v] = path.len() + 1;
            u = v;
        }
        paths
    }
}
