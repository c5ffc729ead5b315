//! Bottleneck analysis on generated supply networks.
//!
//! ```sh
//! cargo bench --bench bottleneck                      # 1e3, 1e4, 1e5 records
//! MIDSTREAM_BENCH_LARGE=1 cargo bench --bench bottleneck   # adds 1e6 (long)
//! cargo bench --bench bottleneck -- --save-baseline main    # save, then compare with
//! cargo bench --bench bottleneck -- --baseline main
//! ```
//!
//! Groups (names are hierarchical: `bottleneck/<step>/<size>`):
//! - `build`: validated dataset to `SupplyGraph`;
//! - `max_flow`: CSR snapshot + Dinic + min cut;
//! - `report`: the full `bottleneck()` report (flow, cut, utilisation, paths);
//! - `petgraph_dinics`: `petgraph::algo::dinics` on the same graph (up to 1e4: it takes
//!   minutes beyond);
//! - `criticality/top20`, `criticality/countries`: exact top-20 facilities, all countries;
//! - `criticality/countries_naive`: one max-flow from scratch per country;
//! - `loading/dimacs_parse`, `loading/dimacs_network`: a DIMACS text (in memory) to arcs, and
//!   arcs to the CSR network;
//! - `loading/dataset_json`, `loading/validate`: a dataset's JSON text to a `Dataset`, and its
//!   validation.
//!
//! Each benchmark asserts its result against the engine's max-flow value, so a fast wrong
//! answer cannot pass.

// Reason: a benchmark fails by panicking, as tests do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use midstream::data::synthetic::{GeneratorConfig, generate};
use midstream::domain::{Dataset, ValidDataset};
use midstream::graph::{
    CriticalityOptions, Scenario, SupplyGraph, max_flow, parse_dimacs, write_dimacs,
};

fn sizes() -> Vec<usize> {
    let mut sizes = vec![1_000, 10_000, 100_000];
    if std::env::var_os("MIDSTREAM_BENCH_LARGE").is_some() {
        sizes.push(1_000_000);
    }
    sizes
}

fn label(size: usize) -> String {
    format!("1e{}", size.ilog10())
}

struct Case {
    size: usize,
    data: ValidDataset,
    graph: SupplyGraph,
    value: i64,
}

fn case(size: usize) -> Case {
    let config = GeneratorConfig::new(size, 42);
    let data = generate(&config).validate().unwrap();
    let graph = SupplyGraph::build(&data, &config.commodity, &Scenario::baseline()).unwrap();
    let net = graph.network().unwrap();
    let value = max_flow(&net, graph.source(), graph.sink())
        .unwrap()
        .value();
    assert!(value > 0);
    Case {
        size,
        data,
        graph,
        value,
    }
}

/// The generated networks, built once for all groups.
fn cases() -> &'static [Case] {
    static CASES: std::sync::OnceLock<Vec<Case>> = std::sync::OnceLock::new();
    CASES.get_or_init(|| sizes().into_iter().map(case).collect())
}

fn bottleneck(c: &mut Criterion) {
    let cases = cases();
    let mut group = c.benchmark_group("bottleneck");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for case in cases {
        let id = label(case.size);
        let commodity = case.graph.commodity();
        group.bench_with_input(BenchmarkId::new("build", &id), case, |b, case| {
            b.iter(|| {
                let g =
                    SupplyGraph::build(black_box(&case.data), &commodity, &Scenario::baseline())
                        .unwrap();
                assert_eq!(g.arc_count(), case.graph.arc_count());
                g
            });
        });
        group.bench_with_input(BenchmarkId::new("max_flow", &id), case, |b, case| {
            b.iter(|| {
                let net = case.graph.network().unwrap();
                let flow = max_flow(&net, case.graph.source(), case.graph.sink()).unwrap();
                let cut = flow.min_cut();
                assert_eq!(cut.capacity, case.value);
                black_box(cut.edges.len())
            });
        });
        group.bench_with_input(BenchmarkId::new("report", &id), case, |b, case| {
            b.iter(|| {
                let report = black_box(&case.graph).bottleneck().unwrap();
                assert_eq!(
                    report.deliverable,
                    midstream::graph::units::kg_to_tonnes(case.value)
                );
                report
            });
        });
        if case.size <= 10_000 {
            group.bench_with_input(BenchmarkId::new("petgraph_dinics", &id), case, |b, case| {
                // The same graph in petgraph, arc for arc.
                use petgraph::graph::NodeIndex;
                let mut g = petgraph::graph::DiGraph::<(), u64>::new();
                for _ in 0..case.graph.node_count() {
                    g.add_node(());
                }
                for k in 0..case.graph.arc_count() {
                    let (tail, head, arc) = case.graph.arc(k).unwrap();
                    g.add_edge(
                        NodeIndex::new(tail),
                        NodeIndex::new(head),
                        arc.capacity.unsigned_abs(),
                    );
                }
                let (source, sink) = (
                    NodeIndex::new(case.graph.source()),
                    NodeIndex::new(case.graph.sink()),
                );
                b.iter(|| {
                    let (value, _) = petgraph::algo::dinics(&g, source, sink);
                    assert_eq!(i64::try_from(value).unwrap(), case.value);
                    value
                });
            });
        }
    }
    group.finish();
}

fn criticality(c: &mut Criterion) {
    let cases = cases();
    let mut group = c.benchmark_group("criticality");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for case in cases.iter().filter(|c| c.size >= 10_000) {
        let id = label(case.size);
        let top20 = CriticalityOptions {
            top_k: 20,
            all_facilities: false,
            countries: false,
            single_point_threshold: None,
            threads: 0,
        };
        group.bench_with_input(BenchmarkId::new("top20", &id), case, |b, case| {
            b.iter(|| {
                let r = case.graph.criticality(&top20, |_, _| {}).unwrap();
                assert_eq!(
                    r.deliverable,
                    midstream::graph::units::kg_to_tonnes(case.value)
                );
                r.reroutings
            });
        });
        let countries = CriticalityOptions {
            top_k: 0,
            countries: true,
            ..top20
        };
        group.bench_with_input(BenchmarkId::new("countries", &id), case, |b, case| {
            b.iter(|| {
                case.graph
                    .criticality(&countries, |_, _| {})
                    .unwrap()
                    .countries
                    .len()
            });
        });
        let one_thread = CriticalityOptions {
            threads: 1,
            ..countries
        };
        group.bench_with_input(
            BenchmarkId::new("countries_one_thread", &id),
            case,
            |b, case| {
                b.iter(|| {
                    case.graph
                        .criticality(&one_thread, |_, _| {})
                        .unwrap()
                        .countries
                        .len()
                });
            },
        );
        group.bench_with_input(BenchmarkId::new("countries_naive", &id), case, |b, case| {
            let present: std::collections::BTreeSet<_> =
                case.graph.facilities().iter().map(|f| f.country).collect();
            let commodity = case.graph.commodity();
            b.iter(|| {
                let mut worst = 0i64;
                for country in &present {
                    let scenario = Scenario {
                        exclude_countries: [*country].into(),
                        ..Scenario::default()
                    };
                    let g = SupplyGraph::build(&case.data, &commodity, &scenario).unwrap();
                    let net = g.network().unwrap();
                    let v = max_flow(&net, g.source(), g.sink()).unwrap().value();
                    worst = worst.max(case.value - v);
                }
                worst
            });
        });
    }
    group.finish();
}

fn loading(c: &mut Criterion) {
    let cases = cases();
    let mut group = c.benchmark_group("loading");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for case in cases.iter().filter(|c| c.size >= 10_000) {
        let id = label(case.size);
        let net = case.graph.network().unwrap();
        let (source, sink) = (case.graph.source(), case.graph.sink());
        let mut dimacs = Vec::new();
        write_dimacs(&net, source, sink, "bench", &mut dimacs).unwrap();
        group.bench_with_input(BenchmarkId::new("dimacs_parse", &id), &dimacs, |b, text| {
            b.iter(|| {
                let problem = parse_dimacs(black_box(text)).unwrap();
                assert_eq!(problem.arcs.len(), net.edge_count());
                problem
            });
        });
        let problem = parse_dimacs(&dimacs).unwrap();
        group.bench_with_input(
            BenchmarkId::new("dimacs_network", &id),
            &problem,
            |b, problem| {
                b.iter(|| {
                    let built = black_box(problem).network().unwrap();
                    assert_eq!(built.edge_count(), net.edge_count());
                    built
                });
            },
        );
        let json = serde_json::to_string(case.data.dataset()).unwrap();
        group.bench_with_input(BenchmarkId::new("dataset_json", &id), &json, |b, text| {
            b.iter(|| {
                let data = Dataset::from_json_str(black_box(text)).unwrap();
                assert_eq!(data.facilities.len(), case.data.facilities.len());
                data
            });
        });
        group.bench_with_input(BenchmarkId::new("validate", &id), case, |b, case| {
            b.iter_batched(
                || case.data.dataset().clone(),
                |data| {
                    let valid = data.validate().unwrap();
                    assert_eq!(valid.facilities.len(), case.data.facilities.len());
                    valid
                },
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, bottleneck, criticality, loading);
criterion_main!(benches);
