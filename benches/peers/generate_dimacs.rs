//! Writes the DIMACS max-flow file of a generated supply network, for peer comparisons.
//!
//! ```sh
//! cargo run --release --example generate_dimacs -- SIZE SEED OUT.dimacs
//! ```
//! SIZE is the number of facilities plus demand records (the generator's `size`).

use std::io::BufWriter;

use midstream::data::synthetic::{GeneratorConfig, generate};
use midstream::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [size, seed, out] = args.as_slice() else {
        return Err("usage: generate_dimacs SIZE SEED OUT.dimacs".into());
    };
    let config = GeneratorConfig::new(size.parse()?, seed.parse()?);
    let data = generate(&config).validate()?;
    let graph = SupplyGraph::build(&data, &config.commodity, &Scenario::baseline())?;
    let file = std::fs::File::create(out).map_err(|e| format!("{out}: {e}"))?;
    graph.write_dimacs(BufWriter::new(file))?;
    eprintln!(
        "{out}: {} nodes, {} arcs",
        graph.node_count(),
        graph.arc_count()
    );
    Ok(())
}
