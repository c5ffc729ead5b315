//! The material-balance model of a generated format-2 network (`generate_material`), written
//! as MPS for `HiGHS`, and solved by midstream on the same model.
//!
//! ```sh
//! cargo run --release -p midstream --example balance_mps -- 1000 42 /tmp/balance-1000.mps
//! benches/peers/.venv/bin/python benches/peers/highs_lp.py /tmp/balance-1000.mps
//! ```
//!
//! Prints one line: the size of the program, the build time, the solve time (the deliverable of
//! NdPr magnets, baseline scenario, on the model just built) and the optimum, which `HiGHS` must
//! match. Peak memory: run under `/usr/bin/time -f %M`.

// Reason: a measuring program fails by panicking on bad arguments.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Instant;

use midstream::data::synthetic::{MaterialConfig, generate_material};
use midstream::graph::{BalanceModel, BalanceOptions, Scenario};

fn main() {
    let mut args = std::env::args().skip(1);
    let size: usize = args.next().and_then(|a| a.parse().ok()).expect("SIZE");
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).expect("SEED");
    let path = args.next().expect("OUT.mps");
    let data = generate_material(&MaterialConfig::new(size, seed))
        .validate()
        .unwrap();
    let target = "NdPr:magnet".parse().unwrap();
    let t0 = Instant::now();
    let mut model = BalanceModel::build(&data, &target).unwrap();
    let build = t0.elapsed().as_secs_f64();
    let file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    model.write_mps(&Scenario::baseline(), file).unwrap();
    let only = BalanceOptions {
        marginals: false,
        ranges: false,
        facility_ranges: false,
        threads: 0,
    };
    let t1 = Instant::now();
    let r = model.solve_with(&Scenario::baseline(), &only).unwrap();
    let solve = t1.elapsed().as_secs_f64();
    let (columns, rows) = model.size();
    println!(
        "midstream columns={columns} rows={rows} build_s={build:.6} solve_s={solve:.6} objective={}",
        r.deliverable.value()
    );
}
