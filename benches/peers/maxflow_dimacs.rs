//! Solves a DIMACS max-flow file with midstream's engine and prints the value and the timings,
//! parse separately from max-flow + min cut, in the same format as the peer scripts.
//!
//! ```sh
//! cargo run --release --example maxflow_dimacs -- FILE.dimacs
//! ```

use std::io::BufReader;
use std::time::Instant;

use midstream::graph::{max_flow, read_dimacs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: maxflow_dimacs FILE.dimacs")?;
    let started = Instant::now();
    let file = std::fs::File::open(&path).map_err(|e| format!("{path}: {e}"))?;
    let problem = read_dimacs(BufReader::new(file))?;
    let net = problem.network()?;
    let parsed = started.elapsed();
    let solve = Instant::now();
    let flow = max_flow(&net, problem.source, problem.sink)?;
    let cut = flow.min_cut();
    let solved = solve.elapsed();
    println!(
        "midstream value={} cut_edges={} parse_s={:.6} solve_s={:.6}",
        flow.value(),
        cut.edges.len(),
        parsed.as_secs_f64(),
        solved.as_secs_f64()
    );
    Ok(())
}
