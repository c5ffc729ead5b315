//! Solves a DIMACS max-flow file with `petgraph::algo::dinics` (petgraph 0.8.3), timing it the
//! way `maxflow_dimacs` times midstream's engine. petgraph has no minimum-cut function; the time
//! is the max-flow alone.
//!
//! ```sh
//! cargo run --release --example petgraph_dinics -- FILE.dimacs
//! ```

// Reason: `read_dimacs` checks every node id and the terminals against the node count.
#![allow(clippy::indexing_slicing)]

use std::io::BufReader;
use std::time::Instant;

use midstream::graph::read_dimacs;
use petgraph::graph::{DiGraph, NodeIndex};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: petgraph_dinics FILE.dimacs")?;
    let started = Instant::now();
    let file = std::fs::File::open(&path).map_err(|e| format!("{path}: {e}"))?;
    let problem = read_dimacs(BufReader::new(file))?;
    let mut graph = DiGraph::<(), u64>::with_capacity(problem.nodes, problem.arcs.len());
    let nodes: Vec<NodeIndex> = (0..problem.nodes).map(|_| graph.add_node(())).collect();
    for &(u, v, c) in &problem.arcs {
        graph.add_edge(nodes[u as usize], nodes[v as usize], c.unsigned_abs());
    }
    let parsed = started.elapsed();
    let solve = Instant::now();
    let (value, _) = petgraph::algo::dinics(&graph, nodes[problem.source], nodes[problem.sink]);
    let solved = solve.elapsed();
    println!(
        "petgraph value={value} parse_s={:.6} solve_s={:.6}",
        parsed.as_secs_f64(),
        solved.as_secs_f64()
    );
    Ok(())
}
