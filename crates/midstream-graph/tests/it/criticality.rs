//! Criticality against naive recomputation.

use midstream_data::synthetic::{GeneratorConfig, generate};
use midstream_domain::Commodity;
use midstream_graph::{CriticalityOptions, LossMethod, Scenario, SupplyGraph};
use proptest::prelude::*;

fn ndpr() -> Commodity {
    "NdPr:oxide".parse().unwrap()
}

fn check(size: usize, seed: u64, options: &CriticalityOptions) {
    let data = generate(&GeneratorConfig::new(size, seed))
        .validate()
        .unwrap();
    let graph = SupplyGraph::build(&data, &ndpr(), &Scenario::baseline()).unwrap();
    let report = graph.criticality(options, |_, _| {}).unwrap();
    let total = report.deliverable;
    let naive = |scenario: Scenario| {
        let g = SupplyGraph::build(&data, &ndpr(), &scenario).unwrap();
        total
            .checked_sub(g.bottleneck().unwrap().deliverable)
            .unwrap()
    };
    let mut exact = 0;
    for f in &report.facilities {
        let without = naive(Scenario {
            exclude_facilities: [f.id.clone()].into(),
            ..Scenario::default()
        });
        if f.method == LossMethod::Bound {
            assert!(without <= f.loss, "{}: {without} > bound {}", f.id, f.loss);
        } else {
            exact += 1;
            assert_eq!(without, f.loss, "facility {} ({:?})", f.id, f.method);
        }
        assert!(f.loss <= f.throughput || f.method == LossMethod::Dominator);
    }
    for c in &report.countries {
        let without = naive(Scenario {
            exclude_countries: [c.country].into(),
            ..Scenario::default()
        });
        assert_eq!(without, c.loss, "country {}", c.country);
    }
    // The exact ones are the top k: no bound exceeds the k-th exact loss.
    if options.all_facilities {
        assert_eq!(exact, report.facilities.len());
        return;
    }
    // The evaluated losses (re-routed or dominator); a bound is below the k-th of them, so the
    // top k are exact.
    let mut losses: Vec<_> = report
        .facilities
        .iter()
        .filter(|f| matches!(f.method, LossMethod::Rerouted | LossMethod::Dominator))
        .map(|f| f.loss)
        .collect();
    losses.sort();
    losses.reverse();
    let bounds = report
        .facilities
        .iter()
        .filter(|f| f.method == LossMethod::Bound);
    if options.top_k == 0 {
        return;
    }
    match losses.get(options.top_k - 1) {
        Some(kth) => {
            for f in bounds {
                assert!(
                    f.loss < *kth,
                    "{} bound {} >= k-th exact {kth}",
                    f.id,
                    f.loss
                );
            }
        }
        None => assert_eq!(
            bounds.count(),
            0,
            "fewer than k evaluated, yet some were skipped"
        ),
    }
}

#[test]
fn every_mode_matches_naive_recomputation() {
    for seed in 0..6 {
        check(60, seed, &CriticalityOptions::default());
        check(
            60,
            seed,
            &CriticalityOptions {
                top_k: 3,
                ..CriticalityOptions::default()
            },
        );
        check(
            60,
            seed,
            &CriticalityOptions {
                all_facilities: true,
                ..CriticalityOptions::default()
            },
        );
        // Countries shared by one, two or three threads: the same answer.
        for threads in 1..=3 {
            check(
                60,
                seed,
                &CriticalityOptions {
                    threads,
                    ..CriticalityOptions::default()
                },
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn random_networks_match_naive(seed in any::<u64>(), size in 20usize..120, k in 0usize..6) {
        check(size, seed, &CriticalityOptions { top_k: k, ..CriticalityOptions::default() });
    }
}
