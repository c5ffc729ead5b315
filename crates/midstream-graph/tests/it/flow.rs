//! The flow engine against petgraph's `dinics` and against its own invariants, on random graphs
//! with cycles, zero capacities, parallel edges and unreachable sinks, by each algorithm.

use midstream_graph::{Algorithm, FlowNetwork, FlowRemoval, max_flow, max_flow_with};
use petgraph::graph::{DiGraph, NodeIndex};
use proptest::prelude::*;

/// A random network: node count, edges (with self-loops, parallel edges, zeros), source, sink.
fn network() -> impl Strategy<Value = (usize, Vec<(u32, u32, i64)>, usize, usize)> {
    (2u32..24).prop_flat_map(|n| {
        let edge = (
            0..n,
            0..n,
            prop_oneof![Just(0i64), 0i64..20, 0i64..1_000_000],
        );
        let n = n as usize;
        (
            Just(n),
            proptest::collection::vec(edge, 0..n * 4),
            0..n,
            0..n,
        )
            .prop_filter("source differs from sink", |(_, _, s, t)| s != t)
    })
}

fn oracle(n: usize, edges: &[(u32, u32, i64)], s: usize, t: usize) -> i64 {
    let mut g = DiGraph::<(), u64>::new();
    let nodes: Vec<NodeIndex> = (0..n).map(|_| g.add_node(())).collect();
    for &(u, v, c) in edges {
        g.add_edge(nodes[u as usize], nodes[v as usize], c.unsigned_abs());
    }
    i64::try_from(petgraph::algo::dinics(&g, nodes[s], nodes[t]).0).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn agrees_with_petgraph_and_is_a_feasible_maximum(
        (n, edges, s, t) in network(),
        algorithm in prop_oneof![Just(Algorithm::Auto), Just(Algorithm::Dinic), Just(Algorithm::PushRelabel)],
    ) {
        let net = FlowNetwork::from_edges(n, &edges).unwrap();
        let flow = max_flow_with(&net, s, t, algorithm).unwrap();
        prop_assert_eq!(flow.value(), oracle(n, &edges, s, t));

        // Feasible: 0 <= f <= c on every edge; conserved at every node but s and t.
        let flows = flow.edge_flows();
        let mut balance = vec![0i64; n];
        for (e, &(u, v, c)) in edges.iter().enumerate() {
            prop_assert!(flows[e] >= 0 && flows[e] <= c, "edge {} carries {} of {}", e, flows[e], c);
            balance[u as usize] -= flows[e];
            balance[v as usize] += flows[e];
        }
        for (v, &b) in balance.iter().enumerate() {
            if v == s {
                prop_assert_eq!(b, -flow.value());
            } else if v == t {
                prop_assert_eq!(b, flow.value());
            } else {
                prop_assert_eq!(b, 0, "node {} is not conserved", v);
            }
        }

        // The cut: capacity equals the flow, every cut edge is saturated, s in, t out.
        let cut = flow.min_cut();
        prop_assert_eq!(cut.capacity, flow.value());
        prop_assert!(cut.source_side[s] && !cut.source_side[t]);
        for &e in &cut.edges {
            prop_assert_eq!(flows[e], edges[e].2);
        }
        // Every edge from the sink side back to the source side carries nothing.
        for (e, &(u, v, _)) in edges.iter().enumerate() {
            if !cut.source_side[u as usize] && cut.source_side[v as usize] {
                prop_assert_eq!(flows[e], 0);
            }
        }
    }

    #[test]
    fn removal_matches_recomputation(
        (n, edges, s, t) in network(),
        picks in proptest::collection::vec(any::<proptest::sample::Index>(), 0..4),
        algorithm in prop_oneof![Just(Algorithm::Dinic), Just(Algorithm::PushRelabel)],
    ) {
        prop_assume!(!edges.is_empty());
        let net = FlowNetwork::from_edges(n, &edges).unwrap();
        // Re-routing starts from any maximum flow, whichever algorithm found it.
        let flow = max_flow_with(&net, s, t, algorithm).unwrap();
        let mut removal = FlowRemoval::new(&flow);
        let mut removed: Vec<usize> = picks.iter().map(|i| i.index(edges.len())).collect();
        removed.sort_unstable();
        removed.dedup();
        let warm = removal.value_without(&removed).unwrap();
        let mut kept = edges.clone();
        for &e in &removed {
            kept[e].2 = 0;
        }
        let cold = max_flow(&FlowNetwork::from_edges(n, &kept).unwrap(), s, t).unwrap().value();
        prop_assert_eq!(warm, cold);
        // Removing supply never raises the flow; queries leave no trace.
        prop_assert!(warm <= flow.value());
        prop_assert_eq!(removal.value_without(&[]).unwrap(), flow.value());
    }
}

#[test]
fn clrs_network_cut() {
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
    let net = FlowNetwork::from_edges(6, &edges).unwrap();
    let flow = max_flow(&net, 0, 5).unwrap();
    let cut = flow.min_cut();
    assert_eq!(cut.capacity, 23);
    // The source side reachable in the residual graph: {s, v1, v2, v4}; cut = v1->v3, v4->v3, v4->t.
    assert_eq!(cut.source_side, vec![true, true, true, false, true, false]);
    assert_eq!(cut.edges, vec![2, 7, 8]);
}
