//! The material-balance model (`BalanceModel`) on generated format-2 networks
//! (`generate_material`: compositions, joint products, reduction, recipes) and on the embedded
//! rare-earth chain.
//!
//! ```sh
//! cargo bench --bench material_balance                        # 200 and 1000 facilities
//! MIDSTREAM_BENCH_LARGE=1 cargo bench --bench material_balance   # adds 1e4 (long)
//! ```
//!
//! Groups (`balance/<step>/<case>`):
//! - `build`: validated dataset to a factorised program, target NdPr magnets;
//! - `solve`: the deliverable on a model built once, two scenarios alternating (baseline and
//!   a Chinese export stop): what a year, a scenario or a Monte Carlo draw costs;
//! - `rebuild_and_solve`: the same deliverable, building the model each time: the saving of
//!   building once is `rebuild_and_solve - solve`;
//! - `analysis`: deliverable, marginal values and every range a report shows (by stage and
//!   country, links, by-products; not per facility), on a model built once (the target: under
//!   200 ms at about 200 facilities);
//! - `analysis/rare-earths-2024`: the same for NdPr oxide on the embedded dataset.
//!
//! - `highs/solve`, `highs/analysis` (feature `highs`:
//!   `cargo bench -p midstream --features highs --bench material_balance -- highs`): the same
//!   on HiGHS' dual simplex, each re-solve from the previous optimal basis.
//!
//! Each benchmark checks its deliverable against a first solve, so a fast wrong answer fails.

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

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use midstream::data::synthetic::{MaterialConfig, generate_material};
use midstream::domain::{Commodity, ValidDataset};
use midstream::graph::{BalanceModel, BalanceOptions, Scenario};

/// What a report shows: marginal values, ranges by stage and country, links, by-products.
const REPORT: BalanceOptions = BalanceOptions {
    marginals: true,
    ranges: true,
    facility_ranges: false,
    threads: 0,
};

const DELIVERABLE_ONLY: BalanceOptions = BalanceOptions {
    marginals: false,
    ranges: false,
    facility_ranges: false,
    threads: 0,
};

fn sizes() -> Vec<usize> {
    let mut sizes = vec![200, 1_000];
    if std::env::var_os("MIDSTREAM_BENCH_LARGE").is_some() {
        sizes.push(10_000);
    }
    sizes
}

fn magnets() -> Commodity {
    "NdPr:magnet".parse().unwrap()
}

fn scenarios() -> [Scenario; 2] {
    [
        Scenario::baseline(),
        Scenario {
            export_stops: ["CN".parse().unwrap()].into(),
            ..Scenario::default()
        },
    ]
}

fn balance(c: &mut Criterion) {
    let mut group = c.benchmark_group("balance");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for size in sizes() {
        let data: ValidDataset = generate_material(&MaterialConfig::new(size, 42))
            .validate()
            .unwrap();
        let target = magnets();
        let id = size.to_string();
        let mut model = BalanceModel::build(&data, &target).unwrap();
        let expected: Vec<_> = scenarios()
            .iter()
            .map(|s| model.solve_with(s, &DELIVERABLE_ONLY).unwrap().deliverable)
            .collect();
        assert!(
            !expected[0].is_zero(),
            "the generated chain delivers magnets"
        );
        group.bench_with_input(BenchmarkId::new("build", &id), &data, |b, data| {
            b.iter(|| black_box(BalanceModel::build(data, &target).unwrap()));
        });
        let scenarios = scenarios();
        group.bench_function(BenchmarkId::new("solve", &id), |b| {
            let mut k = 0;
            b.iter(|| {
                let r = model
                    .solve_with(&scenarios[k % 2], &DELIVERABLE_ONLY)
                    .unwrap();
                assert_eq!(r.deliverable, expected[k % 2]);
                k += 1;
            });
        });
        group.bench_function(BenchmarkId::new("rebuild_and_solve", &id), |b| {
            let mut k = 0;
            b.iter(|| {
                let mut fresh = BalanceModel::build(&data, &target).unwrap();
                let r = fresh
                    .solve_with(&scenarios[k % 2], &DELIVERABLE_ONLY)
                    .unwrap();
                assert_eq!(r.deliverable, expected[k % 2]);
                k += 1;
            });
        });
        #[cfg(feature = "highs")]
        {
            let mut highs = BalanceModel::build(&data, &target)
                .unwrap()
                .with_backend(midstream::graph::LpBackend::Highs)
                .unwrap();
            group.bench_function(BenchmarkId::new("highs/solve", &id), |b| {
                let mut k = 0;
                b.iter(|| {
                    let r = highs
                        .solve_with(&scenarios[k % 2], &DELIVERABLE_ONLY)
                        .unwrap();
                    assert_eq!(r.deliverable, expected[k % 2]);
                    k += 1;
                });
            });
            if size <= 200 {
                group.bench_function(BenchmarkId::new("highs/analysis", &id), |b| {
                    b.iter(|| {
                        let r = highs.solve_with(&Scenario::baseline(), &REPORT).unwrap();
                        assert_eq!(r.deliverable, expected[0]);
                        black_box(r)
                    });
                });
            }
        }
        if size <= 200 {
            group.bench_function(BenchmarkId::new("analysis", &id), |b| {
                b.iter(|| {
                    let r = model.solve_with(&Scenario::baseline(), &REPORT).unwrap();
                    assert_eq!(r.deliverable, expected[0]);
                    black_box(r)
                });
            });
        }
    }
    let data = midstream::data::load("rare-earths-2024").unwrap();
    let ndpr: Commodity = "NdPr:oxide".parse().unwrap();
    let mut model = BalanceModel::build(&data, &ndpr).unwrap();
    let expected = model.solve(&Scenario::baseline()).unwrap().deliverable;
    group.bench_function(BenchmarkId::new("analysis", "rare-earths-2024"), |b| {
        b.iter(|| {
            let r = model.solve_with(&Scenario::baseline(), &REPORT).unwrap();
            assert_eq!(r.deliverable, expected);
            black_box(r)
        });
    });
    group.finish();
}

criterion_group!(benches, balance);
criterion_main!(benches);
