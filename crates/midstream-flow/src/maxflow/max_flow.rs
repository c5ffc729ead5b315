//! Maximum flow by Dinic's algorithm, with distances measured from the sink; and the choice
//! between it and push-relabel by the network's depth.

use std::sync::atomic::Ordering::Relaxed;

use crate::error::FlowError;
use crate::maxflow::network::{FlowNetwork, to_u32};
use crate::maxflow::profile::{Algorithm, FlowProfile};
use crate::maxflow::push_relabel::PushRelabel;
use crate::maxflow::search::{Direction, Search, UNREACHED};

/// A maximum flow from `source` to `sink` in a [`FlowNetwork`], with its residual graph.
#[derive(Clone, Debug)]
pub struct MaxFlow<'n> {
    pub(crate) net: &'n FlowNetwork,
    pub(crate) source: usize,
    pub(crate) sink: usize,
    pub(crate) value: i64,
    pub(crate) residual: Vec<i64>,
    pub(crate) profile: FlowProfile,
}

/// A network whose sink every node reaches in at most this many residual arcs (its *depth*,
/// measured by one breadth-first search back from the sink) is solved by Dinic's algorithm
/// under [`Algorithm::Auto`]; a deeper one by push-relabel.
///
/// Dinic's phases each lengthen the shortest augmenting path by at least one arc, so their
/// number grows with the lengths paths can take. On the supply networks of this project (depth
/// 12) and a plain layered supply chain (depth 6) it took 13 to 15 phases; on grids of frames
/// and random level graphs (depth 64 to 15,625) 159 to 905 phases at 1e5 nodes, where
/// push-relabel was 10 to 50 times faster (docs/benchmarks.md, "Families of networks").
pub const SHALLOW_DEPTH: u32 = 32;

impl MaxFlow<'_> {
    /// How many phases Dinic's algorithm ran (each a breadth-first labelling from the sink and
    /// a blocking flow): what a profile of a slow network looks at first, as each phase costs
    /// about one pass over the arcs. 0 when push-relabel computed the flow.
    #[must_use]
    pub fn phases(&self) -> u64 {
        self.profile.phases
    }

    /// What the run did: the algorithm and its counts.
    #[must_use]
    pub fn profile(&self) -> FlowProfile {
        self.profile
    }

    /// The value of the flow (total leaving the source).
    #[must_use]
    pub fn value(&self) -> i64 {
        self.value
    }

    /// The source node.
    #[must_use]
    pub fn source(&self) -> usize {
        self.source
    }

    /// The sink node.
    #[must_use]
    pub fn sink(&self) -> usize {
        self.sink
    }

    /// The flow on input edge `edge` (0 for an unknown edge).
    #[must_use]
    pub fn edge_flow(&self, edge: usize) -> i64 {
        self.net.edge_arc.get(edge).map_or(0, |&a| {
            let a = a as usize;
            self.net.capacity[a] - self.residual[a]
        })
    }

    /// The flow on every input edge, in input order.
    #[must_use]
    pub fn edge_flows(&self) -> Vec<i64> {
        (0..self.net.edge_count())
            .map(|e| self.edge_flow(e))
            .collect()
    }
}

/// Computes a maximum flow from `source` to `sink`.
///
/// The algorithm is chosen by the network's depth ([`Algorithm::Auto`], [`SHALLOW_DEPTH`]):
/// Dinic's algorithm on shallow networks, such as supply chains; push-relabel on deep ones. The
/// choice depends only on the network, so the same input gives the same flow.
///
/// Dinic's algorithm: each phase labels nodes with their residual distance to the sink by a
/// breadth-first search backwards from the sink (stopping once the source is labelled; large
/// levels are expanded by two threads; see `docs/supply-graph.md` §10), then
/// sends a blocking flow along arcs that step one closer to the sink, with a current-arc pointer
/// per node so that each arc is scanned once per phase. The search is iterative (no recursion),
/// so path length is bounded by memory, not by the stack.
///
/// # Arguments
/// - `net`: the network.
/// - `source`, `sink`: node indices.
///
/// # Returns
/// The flow, from which [`MaxFlow::value`], the flow per edge and the minimum cut
/// ([`MaxFlow::min_cut`]) are read.
///
/// # Complexity
/// Dinic: O(|V|² |E|) in the worst case; on the shallow layered networks of supply chains the
/// number of phases is small and each costs O(|E|). Push-relabel: O(|V|² √|E|) with the highest
/// label first. Memory O(|V| + |E|).
///
/// # Errors
/// [`FlowError::TerminalOutOfRange`] for an unknown node, [`FlowError::SourceIsSink`], and
/// [`FlowError::Overflow`] if the capacity leaving the source does not fit in an `i64`.
///
/// # Example
/// ```
/// use midstream_flow::{FlowNetwork, max_flow};
/// //      3       2
/// //  s ----> a ----> t
/// //  |               ^
/// //  +--2--> b --4---+
/// let net = FlowNetwork::from_edges(4, &[(0, 1, 3), (1, 3, 2), (0, 2, 2), (2, 3, 4)])?;
/// let flow = max_flow(&net, 0, 3)?;
/// assert_eq!(flow.value(), 4);
/// assert_eq!(flow.edge_flows(), vec![2, 2, 2, 2]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn max_flow(net: &FlowNetwork, source: usize, sink: usize) -> Result<MaxFlow<'_>, FlowError> {
    max_flow_with(net, source, sink, Algorithm::Auto)
}

/// [`max_flow`] by a given algorithm. Every algorithm gives the same value; the flows may
/// differ where several are maximum.
///
/// ```
/// use midstream_flow::{Algorithm, FlowNetwork, max_flow_with};
/// let net = FlowNetwork::from_edges(4, &[(0, 1, 3), (1, 3, 2), (0, 2, 2), (2, 3, 4)])?;
/// for algorithm in [Algorithm::Auto, Algorithm::Dinic, Algorithm::PushRelabel] {
///     let flow = max_flow_with(&net, 0, 3, algorithm)?;
///     assert_eq!(flow.value(), 4);
///     assert_eq!(flow.min_cut().capacity, 4);
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`max_flow`].
pub fn max_flow_with(
    net: &FlowNetwork,
    source: usize,
    sink: usize,
    algorithm: Algorithm,
) -> Result<MaxFlow<'_>, FlowError> {
    check_terminals(net, source, sink)?;
    let mut residual = net.capacity.clone();
    let limit = source_capacity(net, source)?;
    let mut profile = FlowProfile::default();
    let mut dinic = Dinic::new(net);
    let algorithm = match algorithm {
        Algorithm::Auto => {
            // The depth comes from the labelling Dinic's first phase needs anyway.
            profile.depth = dinic.label_all(sink);
            if profile.depth <= SHALLOW_DEPTH {
                Algorithm::Dinic
            } else {
                Algorithm::PushRelabel
            }
        }
        chosen => chosen,
    };
    profile.algorithm = algorithm;
    let value = if algorithm == Algorithm::PushRelabel {
        let mut pr = PushRelabel::new(net);
        let value = pr.max_flow(&mut residual, source, sink);
        profile = FlowProfile {
            algorithm,
            depth: profile.depth,
            ..pr.profile
        };
        value
    } else {
        let value = dinic.augment(&mut residual, &net.pair, source, sink, limit, None);
        profile.phases = dinic.phases;
        value
    };
    Ok(MaxFlow {
        net,
        source,
        sink,
        value,
        residual,
        profile,
    })
}

pub(crate) fn check_terminals(
    net: &FlowNetwork,
    source: usize,
    sink: usize,
) -> Result<(), FlowError> {
    let n = net.node_count();
    for node in [source, sink] {
        if node >= n {
            return Err(FlowError::TerminalOutOfRange {
                node,
                node_count: n,
            });
        }
    }
    if source == sink {
        return Err(FlowError::SourceIsSink { node: source });
    }
    Ok(())
}

/// The total capacity leaving `source`, an upper bound of any flow value.
pub(crate) fn source_capacity(net: &FlowNetwork, source: usize) -> Result<i64, FlowError> {
    net.arcs(source)
        .map(|a| net.capacity[a])
        .try_fold(0i64, i64::checked_add)
        .ok_or(FlowError::Overflow {
            what: "the total capacity leaving the source",
        })
}

/// A terminal of a multi-terminal augmentation: a node and how much it may still send (a
/// source) or receive (a sink).
pub(crate) type Terminal = (usize, i64);

/// Scratch space of Dinic's algorithm, reusable across calls on one network.
#[derive(Debug)]
pub(crate) struct Dinic<'n> {
    net: &'n FlowNetwork,
    /// The breadth-first search from the sinks, whose levels are the distance labels.
    search: Search,
    current: Vec<u32>,
    stack: Vec<u32>,
    /// What each sink node may still receive in the current call (0 elsewhere).
    room: Vec<i64>,
    /// Phases run so far (labellings that found the sink), for profiles.
    phases: u64,
    /// Whether the search holds a full labelling from the sink (`label_all`) that the next
    /// call's first phase may use.
    prelabelled: bool,
    /// Tests: compare every resumed search with a search from scratch.
    #[cfg(test)]
    check_resume: bool,
}

impl<'n> Dinic<'n> {
    pub(crate) fn new(net: &'n FlowNetwork) -> Self {
        let n = net.node_count();
        Self {
            net,
            search: Search::new(n),
            current: vec![0; n],
            stack: Vec::new(),
            room: vec![0; n],
            phases: 0,
            prelabelled: false,
            #[cfg(test)]
            check_resume: false,
        }
    }

    /// Asserts that a search from scratch labels as the resumed one did: the same level for
    /// every node both label, and the same nodes below the last level (where a search may stop
    /// part way, once the sources are found).
    #[cfg(test)]
    fn assert_fresh_levels(&self, residual: &[i64], pair: &[i64], sources: &[Terminal]) {
        let n = self.net.node_count();
        let mut fresh = Search::new(n);
        for (t, &room) in self.room.iter().enumerate() {
            if room > 0 {
                fresh.root(t);
            }
        }
        let mut wanted = false;
        for &(s, left) in sources {
            if left > 0 && fresh.dist(s) == UNREACHED {
                fresh.want(s);
                wanted = true;
            }
        }
        if wanted {
            fresh.run(self.net, residual, pair, Direction::Backward);
        }
        let last = (0..n)
            .map(|u| fresh.dist(u))
            .filter(|&d| d != UNREACHED)
            .max()
            .unwrap_or(0);
        for u in 0..n {
            let (a, b) = (fresh.dist(u), self.dist(u));
            if a != UNREACHED && b != UNREACHED {
                assert_eq!(a, b, "node {u}");
            } else {
                assert!(a.min(b) >= last, "node {u}: {a} fresh, {b} resumed");
            }
        }
    }

    /// The same, expanding every frontier of at least `size` nodes with two threads (tests use
    /// 1 to run the two-thread path on small networks).
    #[cfg(test)]
    fn with_parallel_from(net: &'n FlowNetwork, size: usize) -> Self {
        let mut dinic = Self::new(net);
        dinic.search.parallel_from = size;
        dinic
    }

    fn dist(&self, u: usize) -> u32 {
        self.search.dist(u)
    }

    fn set_dist(&self, u: usize, d: u32) {
        self.search.dist[u].store(d, Relaxed);
    }

    /// Labels every node that can reach `sink` in the untouched network with its distance to
    /// it, and returns the number of levels (the network's depth). The next `augment` to this
    /// sink starts from these labels instead of searching again.
    fn label_all(&mut self, sink: usize) -> u32 {
        let net = self.net;
        self.search.clear();
        self.search.root(sink);
        self.search
            .run(net, &net.capacity, &net.pair, Direction::Backward);
        self.prelabelled = true;
        self.search
            .visited()
            .last()
            .map_or(0, |&v| self.search.dist(v as usize))
    }

    /// Labels nodes with their residual distance to the nearest sink that can still receive,
    /// level by level, stopping once every source that can still send is labelled. Returns
    /// whether any is.
    ///
    /// `keep`: the levels `0..=keep` of the previous search still hold, no arc leaving a node
    /// of those levels having closed and no sink having filled since; the search then resumes
    /// from level `keep` instead of starting again from the sinks. (Residual distances never
    /// fall during Dinic's algorithm, and a node of level `j <= keep` keeps its shortest path,
    /// whose arcs all leave levels `<= j`; so those levels are exactly the same.)
    fn label(
        &mut self,
        residual: &[i64],
        pair: &[i64],
        sources: &[Terminal],
        keep: Option<u32>,
    ) -> bool {
        // Labels from `label_all` serve the first phase: they are the same search from the
        // same sink, carried past the source's level (levels above it never lie on a path the
        // phase uses, and the next phases resume from lower levels).
        let prelabelled = std::mem::take(&mut self.prelabelled) && keep.is_none();
        let resumed = prelabelled || keep.is_some_and(|k| self.search.resume(k));
        if !resumed {
            self.search.clear();
            for (t, &room) in self.room.iter().enumerate() {
                if room > 0 {
                    self.search.root(t);
                }
            }
        }
        let mut wanted = false;
        for &(s, left) in sources {
            if left > 0 && self.dist(s) == UNREACHED {
                self.search.want(s);
                wanted = true;
            }
        }
        // With no source left to label (each is a sink, or has nothing to send), there is
        // nothing to search for.
        if wanted {
            self.search
                .run(self.net, residual, pair, Direction::Backward);
        }
        #[cfg(test)]
        if resumed && self.check_resume {
            self.assert_fresh_levels(residual, pair, sources);
        }
        sources
            .iter()
            .any(|&(s, left)| left > 0 && self.dist(s) != UNREACHED)
    }

    /// Sends up to `limit` units from `s` to `t`; returns how much was sent. `pair` is
    /// [`FlowNetwork::pair`], or a copy with removed edges zeroed (see `FlowRemoval`).
    pub(crate) fn augment(
        &mut self,
        residual: &mut [i64],
        pair: &[i64],
        s: usize,
        t: usize,
        limit: i64,
        log: Option<&mut Vec<(u32, i64)>>,
    ) -> i64 {
        let mut sources = [(s, limit)];
        let mut sinks = [(t, limit)];
        self.augment_many(residual, pair, &mut sources, &mut sinks, log)
    }

    /// Sends flow from `source` along admissible arcs (one level down each) until it has sent
    /// its amount or no admissible path is left (the source's part of a blocking flow),
    /// decreasing its amount. Lowers `closed` to the lowest level from which an arc closed, or
    /// to 0 if a sink filled. Returns the amount sent.
    fn send_from(
        &mut self,
        residual: &mut [i64],
        source: &mut Terminal,
        closed: &mut u32,
        mut log: Option<&mut Vec<(u32, i64)>>,
    ) -> i64 {
        let net = self.net;
        let s = source.0;
        let top = self.dist(s);
        if source.1 <= 0 || top == UNREACHED {
            return 0;
        }
        let mut sent = 0i64;
        self.stack.clear();
        let mut u = s;
        loop {
            if self.dist(u) == 0 && self.room[u] > 0 {
                let mut pushed = source.1.min(self.room[u]);
                for &a in &self.stack {
                    pushed = pushed.min(residual[a as usize]);
                }
                // The k-th arc of the path leaves level `top - k`.
                for (k, &a) in (0u32..).zip(&self.stack) {
                    let a = a as usize;
                    let b = net.rev[a] as usize;
                    if let Some(log) = log.as_deref_mut() {
                        log.push((to_u32(a), residual[a]));
                        log.push((to_u32(b), residual[b]));
                    }
                    residual[a] -= pushed;
                    residual[b] += pushed;
                    if residual[a] == 0 {
                        *closed = (*closed).min(top - k);
                    }
                }
                self.room[u] -= pushed;
                if self.room[u] == 0 {
                    *closed = 0;
                }
                source.1 -= pushed;
                sent += pushed;
                if source.1 == 0 {
                    break;
                }
                // Retreat to the tail of the first saturated arc; if none saturated,
                // the sink is full and is the dead end.
                if let Some(k) = self.stack.iter().position(|&a| residual[a as usize] == 0) {
                    self.stack.truncate(k);
                    u = self
                        .stack
                        .last()
                        .map_or(s, |&a| net.head[a as usize] as usize);
                } else {
                    match self.retreat(u, s) {
                        Some(tail) => u = tail,
                        None => break,
                    }
                }
                continue;
            }
            // An admissible arc has residual capacity and steps one level closer
            // to the sink (an unlabelled head never does).
            let du = self.dist(u);
            let end = net.start[u + 1];
            let mut arc = self.current[u];
            let mut advanced = false;
            while arc < end {
                let a = arc as usize;
                if residual[a] > 0 {
                    let v = net.head[a] as usize;
                    let dv = self.dist(v);
                    if dv != UNREACHED && dv + 1 == du {
                        self.stack.push(arc);
                        advanced = true;
                        break;
                    }
                }
                arc += 1;
            }
            self.current[u] = arc;
            if advanced {
                u = net.head[arc as usize] as usize;
            } else {
                match self.retreat(u, s) {
                    Some(tail) => u = tail,
                    None => break,
                }
            }
        }
        sent
    }

    /// Marks `u` a dead end for this phase and steps back along the path from `s`: to the tail
    /// of the last arc (the head of the arc below it, read from memory just visited, or `s`),
    /// whose current arc moves on. `None` once the path is empty.
    fn retreat(&mut self, u: usize, s: usize) -> Option<usize> {
        self.set_dist(u, UNREACHED);
        self.stack.pop()?;
        let tail = self
            .stack
            .last()
            .map_or(s, |&b| self.net.head[b as usize] as usize);
        self.current[tail] += 1;
        Some(tail)
    }

    /// Sends flow from the sources to the sinks through the residual capacities, each source
    /// sending at most its amount and each sink receiving at most its amount, as if a super
    /// source and a super sink were joined to them by arcs of those capacities. The amounts are
    /// decreased by what was sent and received (a node listed twice as a sink shares one
    /// budget). Returns the total. Every change of a residual capacity is appended to `log`
    /// (arc, value before) if given. `residual[a] + residual[rev[a]] == pair[a]` must hold for
    /// every arc on entry, and holds on return.
    pub(crate) fn augment_many(
        &mut self,
        residual: &mut [i64],
        pair: &[i64],
        sources: &mut [Terminal],
        sinks: &mut [Terminal],
        mut log: Option<&mut Vec<(u32, i64)>>,
    ) -> i64 {
        let net = self.net;
        let mut total = 0i64;
        for &(t, room) in sinks.iter() {
            self.room[t] = self.room[t].saturating_add(room.max(0));
        }
        // The levels the next search may keep (see `Search::resume`): none at first.
        let mut keep = None;
        while self.label(residual, pair, sources, keep) {
            self.phases += 1;
            let n = net.node_count();
            self.current.copy_from_slice(&net.start[..n]);
            // The lowest level from which an arc closed (or a sink filled) in this phase.
            let mut closed = u32::MAX;
            for source in sources.iter_mut() {
                total += self.send_from(residual, source, &mut closed, log.as_deref_mut());
            }
            // Every level below the lowest closing is the same in the next phase.
            keep = closed.checked_sub(1).filter(|_| closed != u32::MAX);
        }
        // Report what each sink can still receive, and leave the scratch clean.
        for sink in sinks.iter_mut() {
            let t = sink.0;
            sink.1 = sink.1.min(self.room[t].max(0));
        }
        for &(t, _) in sinks.iter() {
            self.room[t] = 0;
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_count_the_distinct_path_lengths_used() {
        // 0 -> 3 directly (length 1), and 0 -> 1 -> 2 -> 3 (length 3): one phase per length,
        // then a last labelling that no longer reaches the sink (not counted).
        let net =
            FlowNetwork::from_edges(4, &[(0, 3, 5), (0, 1, 2), (1, 2, 2), (2, 3, 2)]).unwrap();
        let flow = max_flow(&net, 0, 3).unwrap();
        assert_eq!(flow.value(), 7);
        assert_eq!(flow.phases(), 2);
        let path = FlowNetwork::from_edges(3, &[(0, 1, 4), (1, 2, 4)]).unwrap();
        assert_eq!(max_flow(&path, 0, 2).unwrap().phases(), 1);
    }

    fn value(n: usize, edges: &[(u32, u32, i64)], s: usize, t: usize) -> i64 {
        max_flow(&FlowNetwork::from_edges(n, edges).unwrap(), s, t)
            .unwrap()
            .value()
    }

    /// The flow value on one thread and on two (levels from `parallel_from` nodes wide), and
    /// the residual capacities the two-thread search leaves.
    fn one_thread_and_two(
        net: &FlowNetwork,
        s: usize,
        t: usize,
        parallel_from: usize,
    ) -> (i64, i64, Vec<i64>) {
        let limit = source_capacity(net, s).unwrap();
        let mut one = net.capacity.clone();
        let mut two = net.capacity.clone();
        let a = Dinic::with_parallel_from(net, usize::MAX)
            .augment(&mut one, &net.pair, s, t, limit, None);
        let b = Dinic::with_parallel_from(net, parallel_from)
            .augment(&mut two, &net.pair, s, t, limit, None);
        (a, b, two)
    }

    /// The two-thread search finds the same maximum flow value as the one-thread search, on
    /// random networks where every level is expanded by two threads.
    #[test]
    fn two_threads_agree_with_one() {
        let mut rng = crate::rng::SplitMix64::new(7);
        for case in 0..300 {
            let n = 2 + rng.below(60);
            let m = rng.below(4 * n);
            let edges = crate::maxflow::network::random_edges(&mut rng, n, m, 20);
            let net = FlowNetwork::from_edges(n, &edges).unwrap();
            let (s, t) = (0, n - 1);
            let (a, b, _) = one_thread_and_two(&net, s, t, 1);
            assert_eq!(a, b, "case {case}");
            assert_eq!(
                a,
                max_flow(&net, s, t).unwrap().min_cut().capacity,
                "case {case}"
            );
        }
    }

    /// On a layered network with levels of 2,000 nodes, the two-thread search gives the same
    /// value as one thread, and every arc pair keeps
    /// `residual[a] + residual[rev[a]] == pair[a]`. (Supply networks from the graph crate's
    /// generator are checked the same way in its tests.)
    #[test]
    fn two_threads_on_a_wide_network() {
        let mut rng = crate::rng::SplitMix64::new(5);
        let (n, edges) = crate::maxflow::network::layered_edges(&mut rng, 12, 2_000, 3, 50);
        let net = FlowNetwork::from_edges(n, &edges).unwrap();
        let (s, t) = (0, n - 1);
        // Levels of 1,024 nodes and more go to two threads: most levels of this network.
        let (a, b, two) = one_thread_and_two(&net, s, t, 1024);
        assert_eq!(a, b);
        for (x, &r) in two.iter().enumerate() {
            assert_eq!(r + two[net.rev[x] as usize], net.pair[x], "arc {x}");
        }
    }

    /// A search resumed from the levels that held labels what a search from scratch labels, in
    /// every phase, on random networks and on a layered network.
    #[test]
    fn resumed_searches_match_fresh_ones() {
        let mut rng = crate::rng::SplitMix64::new(13);
        let mut nets = Vec::new();
        for _ in 0..300 {
            let n = 2 + rng.below(60);
            let m = rng.below(4 * n);
            let edges = crate::maxflow::network::random_edges(&mut rng, n, m, 20);
            nets.push((FlowNetwork::from_edges(n, &edges).unwrap(), 0, n - 1));
        }
        let (n, edges) = crate::maxflow::network::layered_edges(&mut rng, 20, 150, 3, 20);
        nets.push((FlowNetwork::from_edges(n, &edges).unwrap(), 0, n - 1));
        for (case, (net, s, t)) in nets.iter().enumerate() {
            let limit = source_capacity(net, *s).unwrap();
            let mut residual = net.capacity.clone();
            let mut dinic = Dinic::new(net);
            dinic.check_resume = true;
            let value = dinic.augment(&mut residual, &net.pair, *s, *t, limit, None);
            assert_eq!(
                value,
                max_flow(net, *s, *t).unwrap().min_cut().capacity,
                "case {case}"
            );
        }
    }

    #[test]
    fn textbook_network() {
        // CLRS figure 26.1: max flow 23.
        let edges = [
            (0, 1, 16),
            (0, 2, 13),
            (1, 3, 12),
            (2, 1, 4),
            (2, 4, 14),
            (3, 2, 9),
            (3, 5, 20),
            (4, 3, 7),
            (4, 5, 4),
        ];
        assert_eq!(value(6, &edges, 0, 5), 23);
    }

    #[test]
    fn degenerate_cases() {
        assert_eq!(value(2, &[], 0, 1), 0);
        assert_eq!(value(3, &[(0, 1, 5)], 0, 2), 0);
        assert_eq!(value(2, &[(0, 1, 0)], 0, 1), 0);
        assert_eq!(value(2, &[(0, 0, 9), (0, 1, 2), (0, 1, 3)], 0, 1), 5);
        assert_eq!(value(3, &[(0, 1, 5), (1, 0, 5), (1, 2, 1)], 0, 2), 1);
        let net = FlowNetwork::from_edges(2, &[(0, 1, 1)]).unwrap();
        assert!(matches!(
            max_flow(&net, 0, 0),
            Err(FlowError::SourceIsSink { node: 0 })
        ));
        assert!(max_flow(&net, 0, 5).is_err());
    }

    #[test]
    fn long_path_does_not_overflow_the_stack() {
        let n: u32 = 200_000;
        let edges: Vec<(u32, u32, i64)> = (0..n - 1).map(|i| (i, i + 1, 7)).collect();
        assert_eq!(value(n as usize, &edges, 0, n as usize - 1), 7);
    }

    #[test]
    fn overflowing_source_capacity_is_an_error() {
        let net = FlowNetwork::from_edges(2, &[(0, 1, i64::MAX), (0, 1, 1)]).unwrap();
        assert!(matches!(
            max_flow(&net, 0, 1),
            Err(FlowError::Overflow { .. })
        ));
    }
}
