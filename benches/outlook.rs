//! The outlook of the default rare-earth dataset (`rare-earths-2025`): every product the report
//! analyses plus the magnet rare earths the IEA's demand is stated in, 10,000 samples a year,
//! 2026 to 2035, the world and the view outside China (issue target: under 2 s on this 2-core
//! machine). No drivers (they are asked for one year at a time).
//!
//! ```sh
//! cargo bench --bench outlook
//! ```
//!
//! Groups (`outlook/<case>`):
//! - `all_products/10000`: the six outlooks one after the other, on as many threads as the
//!   machine has;
//! - `all_products_one_thread/10000`: the same on one thread (the bytes are the same: checked).
//!
//! Each run checks its outlooks against a first run, so a fast wrong answer fails.

// Reason: a benchmark fails by panicking, as tests do.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use midstream::domain::Commodity;
use midstream::{Analysis, Outlook, OutlookOptions};

const PRODUCTS: [&str; 6] = [
    "NdPr:oxide",
    "Dy:oxide",
    "Tb:oxide",
    "NdPr:metal",
    "NdPr:magnet",
    "DyTbNdPr:oxide@contained",
];

fn all(analysis: &Analysis, threads: usize) -> Vec<Outlook> {
    let options = OutlookOptions {
        samples: 10_000,
        settle: false,
        outside: Some("CN".parse().unwrap()),
        threads,
        ..OutlookOptions::default()
    };
    PRODUCTS
        .iter()
        .map(|p| {
            let c: Commodity = p.parse().unwrap();
            analysis.outlook(&c, 2026..=2035, &options).unwrap()
        })
        .collect()
}

fn outlook(c: &mut Criterion) {
    let analysis = Analysis::embedded("rare-earths-2025").unwrap();
    let expected = all(&analysis, 0);
    assert_eq!(expected, all(&analysis, 1), "one thread and two differ");
    let mut group = c.benchmark_group("outlook");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("all_products/10000", |b| {
        b.iter(|| {
            let got = all(black_box(&analysis), 0);
            assert_eq!(got, expected);
        });
    });
    group.bench_function("all_products_one_thread/10000", |b| {
        b.iter(|| {
            let got = all(black_box(&analysis), 1);
            assert_eq!(got, expected);
        });
    });
    group.finish();
}

criterion_group!(benches, outlook);
criterion_main!(benches);
