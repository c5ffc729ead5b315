//! Level-by-level breadth-first search over residual arcs, shared by Dinic's labelling (from
//! the sinks, backwards) and the minimum cut (from the source, forwards).

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering::Relaxed};

use crate::maxflow::network::{FlowNetwork, to_u32};

/// The level of a node the search has not reached.
pub(crate) const UNREACHED: u32 = u32::MAX;

/// Frontiers of at least this many nodes are expanded by two threads. A thread is started per
/// level, and on this project's 2-core virtual machine waiting for it costs from tens of
/// microseconds to milliseconds (when the other core is taken): at 8,192 the 1e5-node benchmark
/// ran 17 % slower than on one thread; from 65,536 on, only the large levels of million-node
/// networks are shared, where it pays.
const PARALLEL_FRONTIER: usize = 65_536;

/// Frontiers of at least this many nodes are put in node order before they are expanded.
const ORDERED_FRONTIER: usize = 1024;

/// The frontier is ordered by blocks of `1 << BLOCK_SHIFT` node indices (a counting sort on
/// `node >> BLOCK_SHIFT`): enough for the arcs of consecutive frontier nodes to be read from
/// nearby memory, at the cost of one counting pass.
const BLOCK_SHIFT: u32 = 6;

/// Which residual arcs a search follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    /// From a node to the nodes it can send to: arcs with residual capacity.
    Forward,
    /// From a node to the nodes that can send to it: arcs whose partner has residual capacity.
    Backward,
}

/// Scratch space of a breadth-first search, reusable across searches on one network.
#[derive(Debug)]
pub(crate) struct Search {
    /// Levels. Atomic so that a level can be expanded from two threads; every access is
    /// `Relaxed` (a plain load or store on common targets): the threads only write the same
    /// level value, and a thread's scope end orders its writes before the next level starts.
    pub(crate) dist: Vec<AtomicU32>,
    frontier: Vec<u32>,
    next: Vec<u32>,
    spare: Vec<u32>,
    /// Marks the nodes still to be reached; the search stops once all are.
    wanted: Vec<AtomicBool>,
    /// The nodes marked in `wanted` for the next search.
    waiting: Vec<u32>,
    /// Frontier size from which a level is expanded by two threads.
    pub(crate) parallel_from: usize,
    /// Bucket counts of the frontier's counting sort (one per block of nodes).
    blocks: Vec<u32>,
    /// Every node labelled since the last `clear`, level by level (a node that two threads
    /// labelled at once appears twice).
    visited: Vec<u32>,
    /// Where each level starts in `visited`.
    levels: Vec<usize>,
}

impl Search {
    pub(crate) fn new(node_count: usize) -> Self {
        Self {
            dist: (0..node_count).map(|_| AtomicU32::new(UNREACHED)).collect(),
            frontier: Vec::new(),
            next: Vec::new(),
            spare: Vec::new(),
            wanted: (0..node_count).map(|_| AtomicBool::new(false)).collect(),
            waiting: Vec::new(),
            parallel_from: PARALLEL_FRONTIER,
            blocks: vec![0; (node_count >> BLOCK_SHIFT) + 1],
            visited: Vec::new(),
            levels: Vec::new(),
        }
    }

    /// The level of `u`.
    pub(crate) fn dist(&self, u: usize) -> u32 {
        self.dist[u].load(Relaxed)
    }

    /// Every node labelled since the last `clear`, level by level (a node that two threads
    /// labelled at once appears twice).
    pub(crate) fn visited(&self) -> &[u32] {
        &self.visited
    }

    /// Forgets every level and every root.
    pub(crate) fn clear(&mut self) {
        for &u in &self.visited {
            self.dist[u as usize].store(UNREACHED, Relaxed);
        }
        self.visited.clear();
        self.levels.clear();
        self.frontier.clear();
    }

    /// Starts the next search from `u` (level 0).
    pub(crate) fn root(&mut self, u: usize) {
        if self.levels.is_empty() {
            self.levels.push(0);
        }
        self.dist[u].store(0, Relaxed);
        self.frontier.push(to_u32(u));
        self.visited.push(to_u32(u));
    }

    /// Keeps the levels `0..=keep` of the last search and forgets the others, so that the next
    /// search goes on from level `keep`. The caller knows that those levels still hold. Returns
    /// false, and keeps nothing, if the last search did not label beyond level `keep`.
    pub(crate) fn resume(&mut self, keep: u32) -> bool {
        let keep = keep as usize;
        let (Some(&first), Some(&end)) = (self.levels.get(keep), self.levels.get(keep + 1)) else {
            return false;
        };
        for &u in &self.visited[end..] {
            self.dist[u as usize].store(UNREACHED, Relaxed);
        }
        self.visited.truncate(end);
        self.levels.truncate(keep + 1);
        self.frontier.clear();
        self.frontier.extend_from_slice(&self.visited[first..end]);
        true
    }

    /// Makes the next search stop once `u` (and every other wanted node) is reached.
    pub(crate) fn want(&mut self, u: usize) {
        if self.dist(u) == UNREACHED && !self.wanted[u].swap(true, Relaxed) {
            self.waiting.push(to_u32(u));
        }
    }

    /// Labels every node reached from the roots over `direction` residual arcs with its
    /// distance, level by level; stops once every wanted node is labelled (after the level
    /// that labels the last one) if any is wanted, or when nothing is left to reach. Large levels are expanded
    /// by two threads, each over half the frontier. `pair` is the pair capacity of every arc
    /// (see `FlowNetwork::pair`). Leaves no node wanted.
    pub(crate) fn run(
        &mut self,
        net: &FlowNetwork,
        residual: &[i64],
        pair: &[i64],
        direction: Direction,
    ) {
        let found = AtomicUsize::new(0);
        let waiting = self.waiting.len();
        // The level of the frontier: 0 (the roots), or the level a search resumes from.
        let mut level = to_u32(self.levels.len().saturating_sub(1));
        while (waiting == 0 || found.load(Relaxed) < waiting) && !self.frontier.is_empty() {
            level += 1;
            if self.frontier.len() >= ORDERED_FRONTIER {
                order_by_block(&mut self.frontier, &mut self.next, &mut self.blocks);
            }
            self.next.clear();
            let level = Level {
                net,
                residual,
                pair,
                dist: &self.dist,
                wanted: &self.wanted,
                found: &found,
                waiting,
                depth: level,
            };
            if self.frontier.len() >= self.parallel_from {
                let (mine, theirs) = self.frontier.split_at(self.frontier.len() / 2);
                let mut other = std::mem::take(&mut self.spare);
                other.clear();
                let next = &mut self.next;
                let level = &level;
                std::thread::scope(|scope| {
                    let helper = std::thread::Builder::new()
                        .spawn_scoped(scope, || level.expand(direction, theirs, &mut other));
                    level.expand(direction, mine, next);
                    // No thread to be had (a platform without threads, a resource limit):
                    // this thread expands the other half too.
                    if helper.is_err() {
                        level.expand(direction, theirs, next);
                    }
                });
                self.next.extend_from_slice(&other);
                self.spare = other;
            } else {
                level.expand(direction, &self.frontier, &mut self.next);
            }
            std::mem::swap(&mut self.frontier, &mut self.next);
            self.levels.push(self.visited.len());
            self.visited.extend_from_slice(&self.frontier);
        }
        for &u in &self.waiting {
            self.wanted[u as usize].store(false, Relaxed);
        }
        self.waiting.clear();
    }
}

/// The shared, read-only state of one level of a search.
struct Level<'a> {
    net: &'a FlowNetwork,
    residual: &'a [i64],
    pair: &'a [i64],
    dist: &'a [AtomicU32],
    wanted: &'a [AtomicBool],
    found: &'a AtomicUsize,
    /// Wanted nodes in all (0: none, never stop early).
    waiting: usize,
    /// The level the expansion labels.
    depth: u32,
}

impl Level<'_> {
    /// Labels `level` on every unlabelled node at the other end of a followed arc of a node of
    /// `frontier`, and appends it to `out`. Stops early once every wanted node is found.
    fn expand(&self, direction: Direction, frontier: &[u32], out: &mut Vec<u32>) {
        let (net, residual) = (self.net, self.residual);
        for (i, &u) in frontier.iter().enumerate() {
            if self.waiting > 0 && i % 64 == 0 && self.found.load(Relaxed) >= self.waiting {
                return;
            }
            for a in net.arcs(u as usize) {
                // Backward, the arc that enters `u` from `v` is the partner of the arc
                // u -> v; its residual capacity is `pair[a] - residual[a]` (see
                // `FlowNetwork::pair`), read without visiting the partner.
                let open = match direction {
                    Direction::Forward => residual[a] > 0,
                    Direction::Backward => residual[a] < self.pair[a],
                };
                if open {
                    let v = net.head[a] as usize;
                    if self.dist[v].load(Relaxed) == UNREACHED {
                        // Two threads may both label `v` (with the same level) and both queue
                        // it; the second expansion of `v` then labels nothing new.
                        self.dist[v].store(self.depth, Relaxed);
                        out.push(to_u32(v));
                        if self.waiting > 0
                            && self.wanted[v].load(Relaxed)
                            && self.wanted[v].swap(false, Relaxed)
                        {
                            self.found.fetch_add(1, Relaxed);
                        }
                    }
                }
            }
        }
    }
}

/// Puts `frontier` in order of node block (`node >> BLOCK_SHIFT`), keeping the order within a
/// block, by a counting sort through `scratch`. A frontier in discovery order sends the search
/// to random places of the arc arrays, one cache miss per node and array; in block order,
/// consecutive nodes' arcs are neighbours in memory and the reads stream. `blocks` has one
/// counter per block and is left zeroed.
fn order_by_block(frontier: &mut Vec<u32>, scratch: &mut Vec<u32>, blocks: &mut [u32]) {
    for &u in frontier.iter() {
        blocks[(u >> BLOCK_SHIFT) as usize] += 1;
    }
    let mut sum = 0u32;
    for count in blocks.iter_mut() {
        let c = *count;
        *count = sum;
        sum += c;
    }
    scratch.clear();
    scratch.resize(frontier.len(), 0);
    for &u in frontier.iter() {
        let slot = &mut blocks[(u >> BLOCK_SHIFT) as usize];
        scratch[*slot as usize] = u;
        *slot += 1;
    }
    blocks.fill(0);
    std::mem::swap(frontier, scratch);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nodes with a path from `root` over open arcs, by a plain depth-first search.
    fn reachable(
        net: &FlowNetwork,
        residual: &[i64],
        root: usize,
        direction: Direction,
    ) -> Vec<bool> {
        let mut seen = vec![false; net.node_count()];
        let mut stack = vec![root];
        seen[root] = true;
        while let Some(u) = stack.pop() {
            for a in net.arcs(u) {
                let open = match direction {
                    Direction::Forward => residual[a] > 0,
                    Direction::Backward => residual[net.rev[a] as usize] > 0,
                };
                let v = net.head[a] as usize;
                if open && !seen[v] {
                    seen[v] = true;
                    stack.push(v);
                }
            }
        }
        seen
    }

    /// Searches in either direction, on one thread or two, in node order or not, reach the
    /// nodes a plain depth-first search reaches, with levels that are shortest distances (each
    /// labelled node but the root has a neighbour one level lower, none two lower); and a
    /// search for a wanted node stops with it labelled.
    #[test]
    fn searches_reach_what_a_plain_search_reaches() {
        let mut rng = crate::rng::SplitMix64::new(3);
        for case in 0..300 {
            let n = 2 + rng.below(80);
            let m = rng.below(5 * n);
            let edges = crate::maxflow::network::random_edges(&mut rng, n, m, 3);
            let net = FlowNetwork::from_edges(n, &edges).unwrap();
            // Some flow on some arcs: move part of each pair's capacity to the reverse arc.
            let mut residual = net.capacity.clone();
            for a in 0..residual.len() {
                if net.capacity[a] > 0 && rng.below(2) == 0 {
                    let moved =
                        i64::try_from(rng.below(usize::try_from(net.capacity[a]).unwrap() + 1))
                            .unwrap();
                    residual[a] -= moved;
                    residual[net.rev[a] as usize] += moved;
                }
            }
            let root = rng.below(n);
            for direction in [Direction::Forward, Direction::Backward] {
                let expected = reachable(&net, &residual, root, direction);
                for parallel_from in [1, usize::MAX] {
                    let mut search = Search::new(n);
                    search.parallel_from = parallel_from;
                    search.root(root);
                    search.run(&net, &residual, &net.pair, direction);
                    let reached: Vec<bool> = (0..n).map(|u| search.dist(u) != UNREACHED).collect();
                    assert_eq!(reached, expected, "case {case} {direction:?}");
                    for u in (0..n).filter(|&u| reached[u] && u != root) {
                        let d = search.dist(u);
                        let lowest = net
                            .arcs(u)
                            .filter(|&a| match direction {
                                // Reached forwards: some node sends to `u`.
                                Direction::Forward => residual[net.rev[a] as usize] > 0,
                                Direction::Backward => residual[a] > 0,
                            })
                            .map(|a| search.dist(net.head[a] as usize))
                            .min();
                        assert_eq!(lowest, Some(d - 1), "case {case} node {u}");
                    }
                    // Wanting an unreached node: the search stops at its level or goes on to
                    // the end, and labels it iff it is reachable.
                    let target = rng.below(n);
                    search.clear();
                    search.root(root);
                    search.want(target);
                    search.run(&net, &residual, &net.pair, direction);
                    assert_eq!(
                        search.dist(target) != UNREACHED,
                        expected[target],
                        "case {case}"
                    );
                    assert!(search.waiting.is_empty());
                    assert!(search.wanted.iter().all(|w| !w.load(Relaxed)));
                }
            }
        }
    }

    #[test]
    fn order_by_block_is_a_stable_counting_sort() {
        let mut frontier: Vec<u32> = vec![700, 3, 65, 64, 1, 640, 2, 129];
        let mut scratch = Vec::new();
        let mut blocks = vec![0; 12];
        order_by_block(&mut frontier, &mut scratch, &mut blocks);
        assert_eq!(frontier, vec![3, 1, 2, 65, 64, 129, 700, 640]);
        assert!(blocks.iter().all(|&b| b == 0));
    }
}
