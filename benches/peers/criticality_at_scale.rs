//! One-shot timing of exact criticality on a generated network, as multiples of one max-flow
//! measured in the same process (criterion's ten samples take too long at 1e6).
//!
//! ```sh
//! cargo run --release --example criticality_at_scale -- 1000000
//! ```
//!
//! Prints the max-flow time (median of three), the exact top-20 facility criticality and the
//! all-country criticality, each once, and their ratios to one max-flow.

// Reason: a benchmark tool fails by panicking, as tests do.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Instant;

use midstream::data::synthetic::{GeneratorConfig, generate};
use midstream::graph::{CriticalityOptions, Scenario, SupplyGraph, max_flow};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let size: usize = std::env::args().nth(1).map_or(Ok(100_000), |s| s.parse())?;
    let config = GeneratorConfig::new(size, 42);
    let data = generate(&config).validate()?;
    let graph = SupplyGraph::build(&data, &config.commodity, &Scenario::baseline())?;
    let mut times = Vec::new();
    let mut value = 0;
    for _ in 0..3 {
        let started = Instant::now();
        let net = graph.network()?;
        let flow = max_flow(&net, graph.source(), graph.sink())?;
        let cut = flow.min_cut();
        times.push(started.elapsed().as_secs_f64());
        value = cut.capacity;
    }
    times.sort_by(f64::total_cmp);
    let one = times[1];
    let top20 = CriticalityOptions {
        top_k: 20,
        all_facilities: false,
        countries: false,
        single_point_threshold: None,
        threads: 0,
    };
    let started = Instant::now();
    let r = graph.criticality(&top20, |_, _| {})?;
    let top = started.elapsed().as_secs_f64();
    assert_eq!(r.deliverable, midstream::graph::units::kg_to_tonnes(value));
    let countries = CriticalityOptions {
        top_k: 0,
        countries: true,
        ..top20
    };
    let started = Instant::now();
    let c = graph.criticality(&countries, |_, _| {})?;
    let all = started.elapsed().as_secs_f64();
    let one_thread = CriticalityOptions {
        threads: 1,
        ..countries
    };
    let started = Instant::now();
    let c1 = graph.criticality(&one_thread, |_, _| {})?;
    let all1 = started.elapsed().as_secs_f64();
    assert_eq!(c.countries, c1.countries);
    println!(
        "size={size} facilities={} max_flow_s={one:.3} top20_s={top:.3} ({:.1}x, {} re-routings) \
         countries_s={all:.3} ({:.1}x, {} countries) countries_one_thread_s={all1:.3} ({:.1}x)",
        graph.facilities().len(),
        top / one,
        r.reroutings,
        all / one,
        c.countries.len(),
        all1 / one
    );
    Ok(())
}
