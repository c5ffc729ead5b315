//! Push-relabel, highest label first, with global relabelling and the gap heuristic (Goldberg
//! and Tarjan 1988; Cherkassky and Goldberg 1997, "On implementing the push-relabel method
//! for the maximum flow problem"): for networks where Dinic's phases multiply, such as grids of
//! frames and random level graphs, whose augmenting paths lengthen by one node per phase.
//!
//! The first stage finds a maximum *preflow*: every node that can still reach the sink has sent
//! all it received. The value is then known, and the second stage returns the excess stranded
//! at nodes cut off from the sink to the source by the same method, with the source as the
//! target; that leaves a maximum flow (and the residual graph the minimum cut is read from).

use crate::maxflow::network::{FlowNetwork, to_u32};
use crate::maxflow::profile::FlowProfile;
use crate::maxflow::search::{Direction, Search, UNREACHED};

/// No node (the end of a list).
const NONE: u32 = u32::MAX;

/// Work charged per relabel on top of the arcs it scans (Cherkassky and Goldberg's β).
const RELABEL_WORK: u64 = 12;

/// A global relabelling runs once the work since the last one exceeds
/// `GLOBAL_FACTOR × (6 |V| + |E|)` (their α = 6 and frequency 0.5).
const GLOBAL_FACTOR: u64 = 2;

/// Scratch space and state of one run.
pub(crate) struct PushRelabel<'n> {
    net: &'n FlowNetwork,
    /// Distance labels: a lower bound on each node's residual distance to the sink; `n` for
    /// the source and for nodes cut off from the sink.
    label: Vec<u32>,
    /// `n`: the label of a node that cannot reach the sink.
    cut_off: u32,
    excess: Vec<i64>,
    current: Vec<u32>,
    /// Per label, a stack of the active nodes (excess, label below `n`) linked by `next_active`.
    active: Vec<u32>,
    next_active: Vec<u32>,
    /// Per label, every node of that label, doubly linked (for the gap heuristic).
    first: Vec<u32>,
    next: Vec<u32>,
    prev: Vec<u32>,
    /// The highest label that may hold an active node, and the highest label in use.
    max_active: usize,
    max_label: usize,
    search: Search,
    work: u64,
    /// Its counts (pushes, relabels, global relabellings, gaps).
    pub(crate) profile: FlowProfile,
}

impl<'n> PushRelabel<'n> {
    pub(crate) fn new(net: &'n FlowNetwork) -> Self {
        let n = net.node_count();
        Self {
            net,
            label: vec![0; n],
            cut_off: to_u32(n),
            excess: vec![0; n],
            current: net.start[..n].to_vec(),
            active: vec![NONE; n + 1],
            next_active: vec![NONE; n],
            first: vec![NONE; n + 1],
            next: vec![NONE; n],
            prev: vec![NONE; n],
            max_active: 0,
            max_label: 0,
            search: Search::new(n),
            work: 0,
            profile: FlowProfile::default(),
        }
    }

    /// Finds a maximum flow from `s` to `t`, starting from no flow in `residual` (the network's
    /// capacities): a maximum preflow first, then the excess stranded at nodes cut off from the
    /// sink is pushed back to the source the same way (it can always get there: tracing it
    /// back along the flow ends at the source). Returns the flow value.
    pub(crate) fn max_flow(&mut self, residual: &mut [i64], s: usize, t: usize) -> i64 {
        let net = self.net;
        let cut_off = self.cut_off;
        // Rounds: saturate the arcs from the source into nodes that can reach the sink (the
        // others' excess could only be returned), then discharge. An arc from the source is
        // saturated once: nothing flows back into the source in this stage.
        loop {
            self.global_relabel(residual, t, s);
            let mut saturated = false;
            for a in net.arcs(s) {
                let r = residual[a];
                let v = net.head[a] as usize;
                if r > 0 && v != s && self.label[v] < cut_off {
                    residual[a] = 0;
                    residual[net.rev[a] as usize] += r;
                    if self.excess[v] == 0 && v != t {
                        self.activate(v, self.label[v] as usize);
                    }
                    self.excess[v] += r;
                    saturated = true;
                }
            }
            if !saturated {
                break;
            }
            self.discharge_all(residual, t, s);
        }
        let value = self.excess[t];
        self.global_relabel(residual, s, t);
        self.discharge_all(residual, s, t);
        value
    }

    /// Discharges active nodes, highest label first, until no node that can reach `sink` holds
    /// excess, relabelling globally from time to time. `blocked` never sends or receives (the
    /// source in the first stage, the sink in the second).
    fn discharge_all(&mut self, residual: &mut [i64], sink: usize, blocked: usize) {
        let net = self.net;
        let n = net.node_count() as u64;
        let threshold = GLOBAL_FACTOR * (6 * n + net.head.len() as u64 / 2);
        loop {
            while self.max_active > 0 && self.active[self.max_active] == NONE {
                self.max_active -= 1;
            }
            let u = self.active[self.max_active];
            if u == NONE {
                break;
            }
            self.active[self.max_active] = self.next_active[u as usize];
            self.discharge(residual, u as usize, sink);
            if self.work > threshold {
                self.global_relabel(residual, sink, blocked);
            }
        }
    }

    /// Labels every node with its exact residual distance to the sink (a breadth-first search
    /// backwards from it; `n` where it cannot reach the sink) and rebuilds the buckets.
    fn global_relabel(&mut self, residual: &[i64], t: usize, s: usize) {
        let net = self.net;
        let n = net.node_count();
        let cut_off = self.cut_off;
        self.profile.global_relabels += 1;
        self.work = 0;
        for k in 0..=self.max_label.min(n) {
            self.active[k] = NONE;
            self.first[k] = NONE;
        }
        self.max_active = 0;
        self.max_label = 0;
        self.label.fill(cut_off);
        self.search.clear();
        self.search.root(t);
        self.search
            .run(net, residual, &net.pair, Direction::Backward);
        // In node order, not the search's (which two threads may interleave): the order of
        // the buckets decides which optimal flow is found, and must not depend on threads.
        for v in 0..n {
            let d = self.search.dist(v);
            if d == UNREACHED || v == s {
                continue;
            }
            self.label[v] = d;
            self.current[v] = net.start[v];
            self.link(v, d as usize);
            if v != t && self.excess[v] > 0 {
                self.activate(v, d as usize);
            }
        }
    }

    fn link(&mut self, v: usize, k: usize) {
        let head = self.first[k];
        self.next[v] = head;
        self.prev[v] = NONE;
        if head != NONE {
            self.prev[head as usize] = to_u32(v);
        }
        self.first[k] = to_u32(v);
        self.max_label = self.max_label.max(k);
    }

    fn unlink(&mut self, v: usize, k: usize) {
        let (p, q) = (self.prev[v], self.next[v]);
        if p == NONE {
            self.first[k] = q;
        } else {
            self.next[p as usize] = q;
        }
        if q != NONE {
            self.prev[q as usize] = p;
        }
    }

    fn activate(&mut self, v: usize, k: usize) {
        self.next_active[v] = self.active[k];
        self.active[k] = to_u32(v);
        self.max_active = self.max_active.max(k);
    }

    /// Pushes `u`'s excess along admissible arcs, relabelling it when none is left, until the
    /// excess is gone or `u` is cut off from the sink.
    fn discharge(&mut self, residual: &mut [i64], u: usize, t: usize) {
        let net = self.net;
        let cut_off = self.cut_off;
        let end = net.start[u + 1] as usize;
        loop {
            let du = self.label[u];
            let mut a = self.current[u] as usize;
            while a < end {
                let r = residual[a];
                if r > 0 {
                    let v = net.head[a] as usize;
                    if self.label[v] + 1 == du {
                        let delta = r.min(self.excess[u]);
                        residual[a] = r - delta;
                        residual[net.rev[a] as usize] += delta;
                        if self.excess[v] == 0 && v != t {
                            self.activate(v, du as usize - 1);
                        }
                        self.excess[v] += delta;
                        self.excess[u] -= delta;
                        self.profile.pushes += 1;
                        if self.excess[u] == 0 {
                            break;
                        }
                    }
                }
                a += 1;
            }
            self.current[u] = to_u32(a);
            if self.excess[u] == 0 {
                return;
            }
            // Relabel; if `u` was the last node of its label, every node above is cut off.
            let old = du as usize;
            if self.first[old] == to_u32(u) && self.next[u] == NONE {
                self.gap(old);
                return;
            }
            self.unlink(u, old);
            self.profile.relabels += 1;
            let begin = net.start[u] as usize;
            let mut lowest = cut_off;
            let mut arc = begin;
            for (b, (&r, &v)) in residual[begin..end]
                .iter()
                .zip(&net.head[begin..end])
                .enumerate()
            {
                if r > 0 {
                    let d = self.label[v as usize];
                    if d < lowest {
                        lowest = d;
                        arc = begin + b;
                    }
                }
            }
            self.work += RELABEL_WORK + (end - begin) as u64;
            let new = lowest.saturating_add(1);
            if new >= cut_off {
                self.label[u] = cut_off;
                return;
            }
            self.label[u] = new;
            self.current[u] = to_u32(arc);
            self.link(u, new as usize);
            self.max_active = self.max_active.max(new as usize);
        }
    }

    /// Every node of label `from` and above is cut off from the sink.
    fn gap(&mut self, from: usize) {
        self.profile.gaps += 1;
        for k in from..=self.max_label {
            let mut v = self.first[k];
            while v != NONE {
                self.label[v as usize] = self.cut_off;
                v = self.next[v as usize];
            }
            self.first[k] = NONE;
            self.active[k] = NONE;
        }
        self.max_label = from.saturating_sub(1);
        self.max_active = self.max_active.min(self.max_label);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::maxflow::max_flow::max_flow_with;
    use crate::maxflow::network::{layered_edges, random_edges};
    use crate::maxflow::profile::Algorithm;
    use crate::rng::SplitMix64;

    fn residual_after(net: &FlowNetwork, s: usize, t: usize, parallel_from: usize) -> Vec<i64> {
        let mut residual = net.capacity.clone();
        let mut pr = PushRelabel::new(net);
        pr.search.parallel_from = parallel_from;
        pr.max_flow(&mut residual, s, t);
        residual
    }

    /// Push-relabel finds Dinic's value on random networks (cycles, parallel edges, zero
    /// capacities, unreachable sinks), and leaves a flow: every pair of arcs keeps its pair
    /// capacity and every node but the terminals is balanced.
    #[test]
    fn agrees_with_dinic_and_leaves_a_flow() {
        let mut rng = SplitMix64::new(11);
        for case in 0..400 {
            let n = 2 + rng.below(60);
            let m = rng.below(4 * n);
            let edges = random_edges(&mut rng, n, m, 20);
            let net = FlowNetwork::from_edges(n, &edges).unwrap();
            let (s, t) = (0, n - 1);
            let dinic = max_flow_with(&net, s, t, Algorithm::Dinic).unwrap();
            let pr = max_flow_with(&net, s, t, Algorithm::PushRelabel).unwrap();
            assert_eq!(pr.value(), dinic.value(), "case {case}");
            assert_eq!(pr.min_cut().capacity, pr.value(), "case {case}");
            let mut balance = vec![0i64; n];
            for (e, f) in pr.edge_flows().into_iter().enumerate() {
                let (u, v, c) = edges[e];
                assert!((0..=c).contains(&f), "case {case}: edge {e}");
                balance[u as usize] -= f;
                balance[v as usize] += f;
            }
            for (v, b) in balance.into_iter().enumerate() {
                if v != s && v != t {
                    assert_eq!(b, 0, "case {case}: node {v}");
                }
            }
        }
    }

    /// A deep network (80 levels) is solved by push-relabel under `Auto`, to Dinic's value; a
    /// shallow one by Dinic.
    #[test]
    fn depth_chooses_the_algorithm() {
        let mut rng = SplitMix64::new(3);
        let (n, edges) = layered_edges(&mut rng, 80, 40, 3, 50);
        let net = FlowNetwork::from_edges(n, &edges).unwrap();
        let auto = max_flow_with(&net, 0, n - 1, Algorithm::Auto).unwrap();
        assert_eq!(auto.profile().algorithm, Algorithm::PushRelabel);
        assert_eq!(auto.profile().depth, 81);
        assert!(auto.profile().pushes > 0 && auto.phases() == 0);
        let dinic = max_flow_with(&net, 0, n - 1, Algorithm::Dinic).unwrap();
        assert_eq!(auto.value(), dinic.value());

        let (n, edges) = layered_edges(&mut rng, 6, 40, 3, 50);
        let net = FlowNetwork::from_edges(n, &edges).unwrap();
        let auto = max_flow_with(&net, 0, n - 1, Algorithm::Auto).unwrap();
        assert_eq!(auto.profile().algorithm, Algorithm::Dinic);
        assert_eq!(auto.profile().depth, 7);
    }

    /// The flow does not depend on whether the global relabelling's search ran on one thread
    /// or two.
    #[test]
    fn two_threads_give_the_same_flow() {
        let mut rng = SplitMix64::new(5);
        let (n, edges) = layered_edges(&mut rng, 40, 500, 3, 50);
        let net = FlowNetwork::from_edges(n, &edges).unwrap();
        assert_eq!(
            residual_after(&net, 0, n - 1, usize::MAX),
            residual_after(&net, 0, n - 1, 1)
        );
    }

    #[test]
    fn long_path_and_degenerate_cases() {
        let n: u32 = 200_000;
        let path: Vec<(u32, u32, i64)> = (0..n - 1).map(|i| (i, i + 1, 7)).collect();
        let net = FlowNetwork::from_edges(n as usize, &path).unwrap();
        let flow = max_flow_with(&net, 0, n as usize - 1, Algorithm::Auto).unwrap();
        assert_eq!(flow.profile().algorithm, Algorithm::PushRelabel);
        assert_eq!(flow.value(), 7);
        let value = |n: usize, edges: &[(u32, u32, i64)]| {
            let net = FlowNetwork::from_edges(n, edges).unwrap();
            max_flow_with(&net, 0, n - 1, Algorithm::PushRelabel)
                .unwrap()
                .value()
        };
        assert_eq!(value(2, &[]), 0);
        assert_eq!(value(3, &[(0, 1, 5)]), 0);
        assert_eq!(value(2, &[(0, 0, 9), (0, 1, 2), (0, 1, 3)]), 5);
        assert_eq!(value(3, &[(0, 1, 5), (1, 0, 5), (1, 2, 1)]), 1);
        // Flow into the source and out of the sink.
        assert_eq!(value(3, &[(1, 0, 4), (0, 1, 3), (1, 2, 9), (2, 1, 2)]), 3);
    }
}
