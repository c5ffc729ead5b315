//! A compact residual network (CSR) that the flow algorithms run on.

use crate::error::FlowError;

/// A directed network with integer arc capacities, stored as a compressed sparse row (CSR)
/// residual graph: every input edge becomes a forward arc and a reverse arc, the arcs of a node
/// are contiguous, and indices are 32-bit.
///
/// Build it once (from an edge list or a DIMACS file); the algorithms then
/// work on its residual capacities without allocating per augmenting path.
///
/// ```
/// use midstream_flow::FlowNetwork;
/// //  0 --3--> 1 --2--> 3
/// //  0 --2--> 2 --4--> 3
/// let net = FlowNetwork::from_edges(4, &[(0, 1, 3), (1, 3, 2), (0, 2, 2), (2, 3, 4)])?;
/// assert_eq!(net.node_count(), 4);
/// assert_eq!(net.edge_count(), 4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct FlowNetwork {
    /// `start[u]..start[u + 1]` are the arcs leaving `u` (forward and reverse).
    pub(crate) start: Vec<u32>,
    /// Head of each arc.
    pub(crate) head: Vec<u32>,
    /// Index of each arc's partner (the reverse of a forward arc and vice versa).
    pub(crate) rev: Vec<u32>,
    /// Capacity of each arc in the input (0 for reverse arcs).
    pub(crate) capacity: Vec<i64>,
    /// The capacity of each arc's pair: `capacity[a] + capacity[rev[a]]`, the same for both arcs
    /// of an edge. Every augmentation keeps `residual[a] + residual[rev[a]] == pair[a]`, so the
    /// residual capacity of the reverse arc is `pair[a] - residual[a]`, read from arc `a`'s own
    /// slots instead of the partner's (which sits anywhere in memory). The breadth-first search
    /// from the sink, which asks that question of every arc, runs on sequential reads.
    pub(crate) pair: Vec<i64>,
    /// The forward arc of each input edge, in input order.
    pub(crate) edge_arc: Vec<u32>,
}

impl FlowNetwork {
    /// Builds the network of `node_count` nodes from `(tail, head, capacity)` edges.
    ///
    /// Parallel edges and self-loops are allowed (a self-loop never carries flow).
    ///
    /// # Errors
    /// [`FlowError::NodeOutOfRange`] for an endpoint `>= node_count`,
    /// [`FlowError::NegativeCapacity`] for a capacity below zero, and
    /// [`FlowError::TooLarge`] past 2^31 nodes or arcs.
    pub fn from_edges(node_count: usize, edges: &[(u32, u32, i64)]) -> Result<Self, FlowError> {
        Self::build(node_count, edges, PARALLEL_EDGES)
    }

    /// [`FlowNetwork::from_edges`], laying the arcs out with two threads from `parallel_from`
    /// edges on (tests compare both ways on small networks).
    fn build(
        node_count: usize,
        edges: &[(u32, u32, i64)],
        parallel_from: usize,
    ) -> Result<Self, FlowError> {
        let arc_count = edges.len().checked_mul(2).ok_or(FlowError::TooLarge {
            what: "arcs",
            count: usize::MAX,
        })?;
        if node_count >= i32::MAX as usize {
            return Err(FlowError::TooLarge {
                what: "nodes",
                count: node_count,
            });
        }
        if arc_count >= i32::MAX as usize {
            return Err(FlowError::TooLarge {
                what: "arcs",
                count: arc_count,
            });
        }
        let mut degree = vec![0u32; node_count + 1];
        for (i, &(u, v, c)) in edges.iter().enumerate() {
            for endpoint in [u, v] {
                if endpoint as usize >= node_count {
                    return Err(FlowError::NodeOutOfRange {
                        edge: i,
                        node: endpoint as usize,
                        node_count,
                    });
                }
            }
            if c < 0 {
                return Err(FlowError::NegativeCapacity {
                    edge: i,
                    capacity: c,
                });
            }
            degree[u as usize] += 1;
            degree[v as usize] += 1;
        }
        // Prefix sums: start[u] = first arc of u.
        let mut start = vec![0u32; node_count + 1];
        let mut sum = 0u32;
        for (u, d) in degree.iter().take(node_count).enumerate() {
            start[u] = sum;
            sum += d;
        }
        start[node_count] = sum;
        let mut head = vec![0u32; arc_count];
        let mut rev = vec![0u32; arc_count];
        let mut capacity = vec![0i64; arc_count];
        let mut pair = vec![0i64; arc_count];
        let mut edge_arc = vec![0u32; edges.len()];
        let whole = ArcSlots::all(&mut head, &mut rev, &mut capacity, &mut pair);
        if edges.len() < parallel_from {
            whole.fill(edges, &start, Some(&mut edge_arc));
        } else {
            // Two threads, each writing the arcs of one half of the nodes (halves of equal arc
            // count); both walk every edge to know each arc's partner.
            let middle = start.partition_point(|&a| a < sum / 2).min(node_count);
            let (low, high) = whole.split_at(start[middle]);
            let helped = std::thread::scope(|scope| {
                let helper = std::thread::Builder::new().spawn_scoped(scope, {
                    let start = &start;
                    move || high.fill(edges, start, None)
                });
                low.fill(edges, &start, Some(&mut edge_arc));
                helper.is_ok()
            });
            if !helped {
                // No thread to be had (a platform without threads, a resource limit): this
                // thread writes every arc (the low half again, the same values).
                ArcSlots::all(&mut head, &mut rev, &mut capacity, &mut pair)
                    .fill(edges, &start, None);
            }
        }
        Ok(Self {
            start,
            head,
            rev,
            capacity,
            pair,
            edge_arc,
        })
    }

    /// Number of nodes.
    #[must_use]
    pub fn node_count(&self) -> usize {
        self.start.len() - 1
    }

    /// Number of input edges.
    #[must_use]
    pub fn edge_count(&self) -> usize {
        self.edge_arc.len()
    }

    /// Tail, head and capacity of input edge `edge`.
    #[must_use]
    pub fn edge(&self, edge: usize) -> Option<(usize, usize, i64)> {
        let a = *self.edge_arc.get(edge)? as usize;
        let tail = self.head[self.rev[a] as usize] as usize;
        Some((tail, self.head[a] as usize, self.capacity[a]))
    }

    /// The arcs leaving `u` (forward and reverse).
    pub(crate) fn arcs(&self, u: usize) -> std::ops::Range<usize> {
        self.start[u] as usize..self.start[u + 1] as usize
    }

    /// The tail of arc `a`.
    pub(crate) fn tail(&self, a: usize) -> usize {
        self.head[self.rev[a] as usize] as usize
    }
}

/// Networks of at least this many edges are laid out by two threads (below it, starting a
/// thread costs more than it saves).
const PARALLEL_EDGES: usize = 1 << 16;

/// The arc slots `first..first + head.len()` of a network under construction, one value per
/// slot in each array.
struct ArcSlots<'a> {
    first: u32,
    head: &'a mut [u32],
    rev: &'a mut [u32],
    capacity: &'a mut [i64],
    pair: &'a mut [i64],
}

impl<'a> ArcSlots<'a> {
    /// Every slot of the arrays.
    fn all(
        head: &'a mut [u32],
        rev: &'a mut [u32],
        capacity: &'a mut [i64],
        pair: &'a mut [i64],
    ) -> Self {
        Self {
            first: 0,
            head,
            rev,
            capacity,
            pair,
        }
    }

    /// Splits into the slots before arc `at` and the slots from it on.
    fn split_at(self, at: u32) -> (Self, Self) {
        let k = (at - self.first) as usize;
        let (head, head2) = self.head.split_at_mut(k);
        let (rev, rev2) = self.rev.split_at_mut(k);
        let (capacity, capacity2) = self.capacity.split_at_mut(k);
        let (pair, pair2) = self.pair.split_at_mut(k);
        (
            ArcSlots {
                first: self.first,
                head,
                rev,
                capacity,
                pair,
            },
            ArcSlots {
                first: at,
                head: head2,
                rev: rev2,
                capacity: capacity2,
                pair: pair2,
            },
        )
    }

    /// Lays out `edges` as in [`FlowNetwork::from_edges`], writing the arcs that fall in these
    /// slots (every edge is walked: an arc's partner may lie outside) and, if given, the
    /// forward arc of every edge into `edge_arc`. Reverse arcs keep capacity 0. `start` is the
    /// finished prefix sum of degrees; the edges have been checked.
    fn fill(self, edges: &[(u32, u32, i64)], start: &[u32], mut edge_arc: Option<&mut [u32]>) {
        let mut next: Vec<u32> = start[..start.len() - 1].to_vec();
        let end = self.first + to_u32(self.head.len());
        let mine = self.first..end;
        for (e, &(u, v, c)) in edges.iter().enumerate() {
            let a = next[u as usize];
            next[u as usize] += 1;
            let b = next[v as usize];
            next[v as usize] += 1;
            if let Some(edge_arc) = edge_arc.as_deref_mut() {
                edge_arc[e] = a;
            }
            if mine.contains(&a) {
                let i = (a - self.first) as usize;
                self.head[i] = v;
                self.rev[i] = b;
                self.capacity[i] = c;
                self.pair[i] = c;
            }
            if mine.contains(&b) {
                let i = (b - self.first) as usize;
                self.head[i] = u;
                self.rev[i] = a;
                self.pair[i] = c;
            }
        }
    }
}

/// `m` random edges among `n` nodes, each with a capacity below `capacity_below` (tests).
#[cfg(test)]
pub(crate) fn random_edges(
    rng: &mut crate::rng::SplitMix64,
    n: usize,
    m: usize,
    capacity_below: usize,
) -> Vec<(u32, u32, i64)> {
    (0..m)
        .map(|_| {
            let capacity = i64::try_from(rng.below(capacity_below)).unwrap_or(i64::MAX);
            (to_u32(rng.below(n)), to_u32(rng.below(n)), capacity)
        })
        .collect()
}

/// A layered network (tests): a source (node 0) feeding every node of the first of `layers`
/// layers of `width` nodes, each node with `degree` random arcs to the next layer, and every
/// node of the last layer feeding the sink (the last node). Capacities below
/// `capacity_below`, at least 1. Levels `width` wide exercise the two-thread search.
#[cfg(test)]
pub(crate) fn layered_edges(
    rng: &mut crate::rng::SplitMix64,
    layers: usize,
    width: usize,
    degree: usize,
    capacity_below: usize,
) -> (usize, Vec<(u32, u32, i64)>) {
    let n = layers * width + 2;
    let sink = n - 1;
    let node = |layer: usize, i: usize| 1 + layer * width + i;
    let capacity = |rng: &mut crate::rng::SplitMix64| {
        i64::try_from(1 + rng.below(capacity_below)).unwrap_or(i64::MAX)
    };
    let mut edges = Vec::new();
    for i in 0..width {
        edges.push((0, to_u32(node(0, i)), capacity(rng)));
        edges.push((to_u32(node(layers - 1, i)), to_u32(sink), capacity(rng)));
    }
    for layer in 0..layers - 1 {
        for i in 0..width {
            for _ in 0..degree {
                let j = rng.below(width);
                edges.push((
                    to_u32(node(layer, i)),
                    to_u32(node(layer + 1, j)),
                    capacity(rng),
                ));
            }
        }
    }
    (n, edges)
}

/// Converts an index known to fit (the network checks its sizes) to `u32`.
pub(crate) fn to_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csr_layout_pairs_arcs() {
        let net =
            FlowNetwork::from_edges(3, &[(0, 1, 5), (1, 2, 7), (0, 2, 1), (0, 1, 2)]).unwrap();
        assert_eq!(net.node_count(), 3);
        assert_eq!(net.edge_count(), 4);
        for a in 0..net.head.len() {
            assert_eq!(net.rev[net.rev[a] as usize] as usize, a);
            assert_eq!(net.tail(net.rev[a] as usize), net.head[a] as usize);
        }
        assert_eq!(net.edge(1), Some((1, 2, 7)));
        assert_eq!(net.edge(3), Some((0, 1, 2)));
        assert_eq!(net.edge(4), None);
        assert_eq!(net.arcs(0).len(), 3);
    }

    /// Laid out by two threads, a network is the same, slot for slot, as laid out by one; and
    /// every arc pairs with its partner.
    #[test]
    fn two_threads_lay_out_the_same_arcs() {
        let mut rng = crate::rng::SplitMix64::new(11);
        for case in 0..200 {
            let n = 1 + rng.below(40);
            let m = rng.below(6 * n);
            let edges = crate::maxflow::network::random_edges(&mut rng, n, m, 50);
            let one = FlowNetwork::build(n, &edges, usize::MAX).unwrap();
            let two = FlowNetwork::build(n, &edges, 1).unwrap();
            assert_eq!(one.start, two.start, "case {case}");
            assert_eq!(one.head, two.head, "case {case}");
            assert_eq!(one.rev, two.rev, "case {case}");
            assert_eq!(one.capacity, two.capacity, "case {case}");
            assert_eq!(one.pair, two.pair, "case {case}");
            assert_eq!(one.edge_arc, two.edge_arc, "case {case}");
            for (e, &(u, v, c)) in edges.iter().enumerate() {
                assert_eq!(
                    two.edge(e),
                    Some((u as usize, v as usize, c)),
                    "case {case}"
                );
                let b = two.rev[two.edge_arc[e] as usize] as usize;
                assert_eq!(two.capacity[b], 0, "case {case}");
                assert_eq!(two.pair[b], c, "case {case}");
            }
            for a in 0..two.head.len() {
                assert_eq!(two.rev[two.rev[a] as usize] as usize, a, "case {case}");
            }
        }
    }

    #[test]
    fn rejects_bad_edges() {
        assert!(matches!(
            FlowNetwork::from_edges(2, &[(0, 2, 1)]),
            Err(FlowError::NodeOutOfRange {
                edge: 0,
                node: 2,
                ..
            })
        ));
        assert!(matches!(
            FlowNetwork::from_edges(2, &[(0, 1, 1), (0, 1, -1)]),
            Err(FlowError::NegativeCapacity { edge: 1, .. })
        ));
    }
}
