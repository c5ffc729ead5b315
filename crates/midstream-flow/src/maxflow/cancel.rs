//! Cancelling flow along the flow itself: an excess is sent back the way it came, a deficit's
//! outflow is withdrawn the way it went, by depth-first walks over the arcs that carry flow.
//!
//! Where a removal leaves an excess at a node, the flow that brought it there can be traced
//! back to where it started: the source, the sink (a flow may leave it on a cycle), or a node
//! that now has a deficit (flow decomposition). So a walk backwards along arcs that carry flow
//! into the node always ends at one of those, and cancelling the flow along the walk moves the
//! excess there; likewise forwards for a deficit. The walks only ever lower flows, so an arc
//! that carries nothing, or a node from which no walk gets anywhere (*dead*), stays so for the
//! rest of the call: each arc is passed over once, and a call costs about the flow it touches,
//! not a pass over the network as a breadth-first search does. A walk that meets its own path
//! has found a cycle of flow, which it cancels (no balance changes) before going on.

use crate::maxflow::max_flow::Terminal;
use crate::maxflow::network::{FlowNetwork, to_u32};

/// Which way the walks follow the flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Walk {
    /// Back along the flow into each node: returns an excess to where it came from.
    Back,
    /// Forward along the flow out of each node: withdraws a deficit's outflow.
    Forward,
}

/// Scratch space, reusable across calls on one network.
#[derive(Debug)]
pub(crate) struct Cancel {
    /// What each target can still take (0 elsewhere); `i64::MAX` takes anything.
    room: Vec<i64>,
    /// The call in which a node was found dead.
    dead: Vec<u32>,
    /// The call in which a node's current arc was last set.
    touched: Vec<u32>,
    current: Vec<u32>,
    /// A node's position on the walk plus one (0: not on it).
    on_path: Vec<u32>,
    /// The walk: its arcs (the way the cancelled flow moves) and its nodes.
    arcs: Vec<u32>,
    nodes: Vec<u32>,
    call: u32,
}

impl Cancel {
    pub(crate) fn new(nodes: usize) -> Self {
        Self {
            room: vec![0; nodes],
            dead: vec![0; nodes],
            touched: vec![0; nodes],
            current: vec![0; nodes],
            on_path: vec![0; nodes],
            arcs: Vec::new(),
            nodes: Vec::new(),
            call: 0,
        }
    }

    /// Moves each terminal's amount to the targets by cancelling flow (see the module), and
    /// decreases both by what moved. Every change of a residual capacity is appended to `log`.
    pub(crate) fn run(
        &mut self,
        net: &FlowNetwork,
        residual: &mut [i64],
        terminals: &mut [Terminal],
        targets: &mut [Terminal],
        walk: Walk,
        log: &mut Vec<(u32, i64)>,
    ) {
        self.call = self.call.wrapping_add(1);
        if self.call == 0 {
            self.dead.fill(0);
            self.touched.fill(0);
            self.call = 1;
        }
        for &(node, amount) in targets.iter() {
            self.room[node] = self.room[node].saturating_add(amount.max(0));
        }
        for terminal in terminals.iter_mut() {
            while terminal.1 > 0 {
                if !self.walk_once(net, residual, terminal, walk, log) {
                    break;
                }
            }
        }
        for target in targets.iter_mut() {
            target.1 = target.1.min(self.room[target.0].max(0));
        }
        for &(node, _) in targets.iter() {
            self.room[node] = 0;
        }
    }

    /// The flow an arc lets a walk cancel, the arc the cancelled flow moves along and the next
    /// node, for arc `c` of the current node.
    fn step(net: &FlowNetwork, residual: &[i64], c: usize, walk: Walk) -> (i64, usize, usize) {
        let w = net.head[c] as usize;
        let arc = match walk {
            // Flow w -> x sits on the partner of the arc x -> w: cancel it by pushing along c.
            Walk::Back => c,
            // Flow x -> w on c: cancel it by pushing along its partner, w -> x.
            Walk::Forward => net.rev[c] as usize,
        };
        (cancellable(net, residual, arc), arc, w)
    }

    /// One walk from the terminal: cancels what it can along the first path to a target (and
    /// any cycle met on the way). Returns false once the terminal is dead.
    fn walk_once(
        &mut self,
        net: &FlowNetwork,
        residual: &mut [i64],
        terminal: &mut Terminal,
        walk: Walk,
        log: &mut Vec<(u32, i64)>,
    ) -> bool {
        let call = self.call;
        let from = terminal.0;
        self.arcs.clear();
        self.nodes.clear();
        self.nodes.push(to_u32(from));
        self.on_path[from] = 1;
        let mut x = from;
        let reached = loop {
            if x != from && self.room[x] > 0 {
                break true;
            }
            if self.touched[x] != call {
                self.touched[x] = call;
                self.current[x] = net.start[x];
            }
            let end = net.start[x + 1];
            let mut next = None;
            while self.current[x] < end {
                let c = self.current[x] as usize;
                let (flow, arc, w) = Self::step(net, residual, c, walk);
                if flow > 0 && self.dead[w] != call {
                    next = Some((arc, w));
                    break;
                }
                self.current[x] += 1;
            }
            match next {
                Some((arc, w)) if self.on_path[w] > 0 => {
                    // A cycle of flow: cancel it, and go on from where it closes.
                    let at = self.on_path[w] as usize - 1;
                    self.arcs.push(to_u32(arc));
                    let cycle = &self.arcs[at..];
                    let amount = cycle
                        .iter()
                        .map(|&a| cancellable(net, residual, a as usize))
                        .min()
                        .unwrap_or(0);
                    for &a in cycle {
                        push(net, residual, a as usize, amount, log);
                    }
                    for &v in &self.nodes[at + 1..] {
                        self.on_path[v as usize] = 0;
                    }
                    self.arcs.truncate(at);
                    self.nodes.truncate(at + 1);
                    x = w;
                }
                Some((arc, w)) => {
                    self.arcs.push(to_u32(arc));
                    self.nodes.push(to_u32(w));
                    self.on_path[w] = to_u32(self.nodes.len());
                    x = w;
                }
                None => {
                    // Dead: no walk from x gets anywhere now, nor will it.
                    self.dead[x] = call;
                    self.on_path[x] = 0;
                    if x == from {
                        return false;
                    }
                    self.arcs.pop();
                    self.nodes.pop();
                    x = self.nodes.last().map_or(from, |&v| v as usize);
                }
            }
        };
        if reached {
            let mut amount = terminal.1.min(self.room[x]);
            for &a in &self.arcs {
                amount = amount.min(cancellable(net, residual, a as usize));
            }
            for &a in &self.arcs {
                push(net, residual, a as usize, amount, log);
            }
            if self.room[x] != i64::MAX {
                self.room[x] -= amount;
            }
            terminal.1 -= amount;
        }
        for &v in &self.nodes {
            self.on_path[v as usize] = 0;
        }
        true
    }
}

/// The flow that pushing along arc `a` cancels: its residual capacity beyond its own capacity,
/// which is the flow its partner carries.
fn cancellable(net: &FlowNetwork, residual: &[i64], a: usize) -> i64 {
    residual[a] - net.capacity[a]
}

/// Pushes `amount` along arc `a`, logging both arcs' residual capacities before.
fn push(net: &FlowNetwork, residual: &mut [i64], a: usize, amount: i64, log: &mut Vec<(u32, i64)>) {
    let b = net.rev[a] as usize;
    log.push((to_u32(a), residual[a]));
    log.push((to_u32(b), residual[b]));
    residual[a] -= amount;
    residual[b] += amount;
}
