//! Properties of the material-balance model on generated single-product networks (the
//! generator of `midstream_data::synthetic`): agreement with the max-flow engine, monotonicity,
//! scaling, irrelevance, ranges and marginal values.

use midstream_data::synthetic::{GeneratorConfig, generate};
use midstream_domain::{Capacity, Commodity, Country, Dataset, Facility, Tonnes, ValidDataset};
use midstream_graph::{BalanceModel, BalanceOptions, BindingKind, Scenario, SupplyGraph};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn ndpr() -> Commodity {
    "NdPr:oxide".parse().unwrap()
}

fn network(size: usize, seed: u64) -> Dataset {
    generate(&GeneratorConfig::new(size, seed))
}

fn valid(data: Dataset) -> ValidDataset {
    data.validate().unwrap()
}

const MARGINALS_ONLY: BalanceOptions = BalanceOptions {
    marginals: true,
    ranges: false,
    facility_ranges: false,
    threads: 0,
};

const DELIVERABLE_ONLY: BalanceOptions = BalanceOptions {
    marginals: false,
    ranges: false,
    facility_ranges: false,
    threads: 0,
};

fn deliverable(model: &mut BalanceModel, scenario: &Scenario) -> Tonnes {
    model
        .solve_with(scenario, &DELIVERABLE_ONLY)
        .unwrap()
        .deliverable
}

/// Every tonnage of the dataset (capacities, ramps, link caps and floors, demand) times `k`.
fn scaled(mut data: Dataset, k: Decimal) -> Dataset {
    let times = |t: Tonnes| t.checked_mul(k).unwrap();
    for f in &mut data.facilities {
        for c in &mut f.capacities {
            c.tonnes_per_year = times(c.tonnes_per_year);
            for r in &mut c.ramp {
                r.tonnes = times(r.tonnes);
            }
        }
    }
    for l in &mut data.links {
        l.tonnes_per_year = l.tonnes_per_year.map(times);
        l.min_tonnes_per_year = l.min_tonnes_per_year.map(times);
    }
    for d in &mut data.demand {
        d.tonnes_per_year = times(d.tonnes_per_year);
    }
    data
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The LP's deliverable is the max-flow value to the kilogram, every member of the minimum
    /// cut binds at one tonne per tonne, and every marginal value of a single product lies in
    /// [0, 1] with the gain never above the loss (above a bound of zero): the optimum is concave in a bound, so its
    /// mean slope over the tonne above is at most that over the tonne below (a gain of 0.421 t
    /// per tonne is found here: another bound binds 0.421 t above this one).
    #[test]
    fn agrees_with_max_flow(seed in any::<u64>(), size in 12usize..80) {
        let data = valid(network(size, seed));
        let mut model = BalanceModel::build(&data, &ndpr()).unwrap();
        let lp = model.solve_with(&Scenario::baseline(), &MARGINALS_ONLY).unwrap();
        let flow = SupplyGraph::build(&data, &ndpr(), &Scenario::baseline())
            .unwrap()
            .bottleneck()
            .unwrap();
        prop_assert_eq!(lp.deliverable, flow.deliverable);
        let unit = Decimal::ZERO..=Decimal::ONE;
        for m in &lp.binding {
            prop_assert!(unit.contains(&m.gain_per_tonne), "{:?}", m);
            if let Some(loss) = m.loss_per_tonne {
                prop_assert!(unit.contains(&loss), "{:?}", m);
                // At a bound of zero nothing can be taken: the loss is 0 whatever the gain.
                prop_assert!(m.bound.is_zero() || m.gain_per_tonne <= loss, "{:?}", m);
            }
        }
        for member in &flow.cut {
            if let midstream_graph::CutMember::Facility { id, .. } = member {
                prop_assert!(
                    lp.binding.iter().any(|m| matches!(&m.what, BindingKind::Capacity { facility, .. } if facility == id)
                        && m.loss_per_tonne == Some(Decimal::ONE)),
                    "cut member {} does not bind", id
                );
            }
        }
    }

    /// More capacity at one facility never lowers deliverable; an export stop of any country
    /// never raises it; both on one model built once.
    #[test]
    fn monotone_in_capacity_and_export_stops(
        seed in any::<u64>(),
        size in 12usize..80,
        pick in any::<usize>(),
        extra in 1u32..5_000,
    ) {
        let data = valid(network(size, seed));
        let mut model = BalanceModel::build(&data, &ndpr()).unwrap();
        let base = deliverable(&mut model, &Scenario::baseline());
        let f = &data.facilities[pick % data.facilities.len()];
        let capacity = f.capacity(&ndpr()).map_or(Tonnes::ZERO, |c| c.tonnes_per_year);
        let raised = Scenario {
            capacity_overrides: [(f.id.clone(), capacity.checked_add(Tonnes::new(Decimal::from(extra))).unwrap())].into(),
            ..Scenario::default()
        };
        prop_assert!(deliverable(&mut model, &raised) >= base);
        let countries: std::collections::BTreeSet<Country> =
            data.facilities.iter().map(|f| f.country).collect();
        for country in countries {
            let stop = Scenario { export_stops: [country].into(), ..Scenario::default() };
            prop_assert!(deliverable(&mut model, &stop) <= base, "stop {}", country);
        }
    }

    /// An export control sits between nothing and an export stop: covering the target (Nd) it
    /// is the country's export stop, covering none of its elements (Dy) it changes nothing.
    #[test]
    fn an_export_control_is_a_stop_of_what_it_covers(seed in any::<u64>(), size in 12usize..60) {
        let data = valid(network(size, seed));
        let mut model = BalanceModel::build(&data, &ndpr()).unwrap();
        let base = deliverable(&mut model, &Scenario::baseline());
        let countries: std::collections::BTreeSet<Country> =
            data.facilities.iter().map(|f| f.country).collect();
        for country in countries {
            let control = |element: &str| {
                Scenario::from_json_str(&format!(
                    r#"{{"export_controls": [{{"country": "{}", "elements": ["{element}"]}}]}}"#,
                    country.code()
                ))
                .unwrap()
            };
            let stop = Scenario { export_stops: [country].into(), ..Scenario::default() };
            let stopped = deliverable(&mut model, &stop);
            prop_assert_eq!(deliverable(&mut model, &control("Nd")), stopped, "{}", country);
            prop_assert_eq!(deliverable(&mut model, &control("Dy")), base, "{}", country);
        }
    }

    /// Every tonnage times k gives k times the deliverable (to the kilogram, k × rounding).
    #[test]
    fn scales_with_capacity(seed in any::<u64>(), size in 12usize..60, k in 2u32..20) {
        let k = Decimal::from(k);
        let data = network(size, seed);
        let base = deliverable(&mut BalanceModel::build(&valid(data.clone()), &ndpr()).unwrap(), &Scenario::baseline());
        let big = valid(scaled(data, k));
        let scaled_deliverable = deliverable(&mut BalanceModel::build(&big, &ndpr()).unwrap(), &Scenario::baseline());
        let expected = base.value() * k;
        prop_assert!(
            (scaled_deliverable.value() - expected).abs() <= Decimal::new(1, 3) * k,
            "{} x {} = {} vs {}", base, k, expected, scaled_deliverable
        );
    }

    /// A facility of another commodity (a copper smelter) changes neither the deliverable nor
    /// what binds.
    #[test]
    fn an_unrelated_facility_changes_nothing(seed in any::<u64>(), size in 12usize..60) {
        let data = network(size, seed);
        let mut with = data.clone();
        let mut smelter: Facility = data.facilities[0].clone();
        smelter.id = "unrelated-copper-smelter".parse().unwrap();
        smelter.name = "Unrelated copper smelter".to_owned();
        smelter.stage = midstream_domain::Stage::MetalRefining;
        smelter.capacities = vec![Capacity {
            commodity: "Cu:metal".parse().unwrap(),
            ..data.facilities[0].capacities[0].clone()
        }];
        with.facilities.push(smelter);
        let a = BalanceModel::build(&valid(data), &ndpr()).unwrap().solve_with(&Scenario::baseline(), &MARGINALS_ONLY).unwrap();
        let b = BalanceModel::build(&valid(with), &ndpr()).unwrap().solve_with(&Scenario::baseline(), &MARGINALS_ONLY).unwrap();
        prop_assert_eq!(a, b);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// The max-flow engine's flow is an optimal solution: each facility's throughput in it lies
    /// within the LP's least and most (to a kilogram plus 2e-9 of the deliverable).
    #[test]
    fn ranges_contain_the_max_flow(seed in any::<u64>(), size in 12usize..40) {
        let data = valid(network(size, seed));
        let lp = BalanceModel::build(&data, &ndpr()).unwrap().solve(&Scenario::baseline()).unwrap();
        let flow = SupplyGraph::build(&data, &ndpr(), &Scenario::baseline())
            .unwrap()
            .bottleneck()
            .unwrap();
        let slack = Decimal::new(1, 3) + lp.deliverable.value() * Decimal::new(2, 9);
        for u in &flow.utilisation {
            let (least, most) = lp
                .facilities
                .iter()
                .find(|r| r.of == u.id.as_str())
                .map_or((Decimal::ZERO, Decimal::ZERO), |r| (r.least.value(), r.most.value()));
            prop_assert!(
                least - slack <= u.throughput.value() && u.throughput.value() <= most + slack,
                "{}: {} outside {}..{}", u.id, u.throughput, least, most
            );
        }
    }
}

/// Marginal values and ranges are the same computed on one thread or on two (each re-solve
/// starts afresh; results are assembled in job order), on a format-2 network with joint
/// products and recipes.
#[test]
fn one_thread_or_two_give_the_same_answer() {
    use midstream_data::synthetic::{MaterialConfig, generate_material};
    let data = generate_material(&MaterialConfig::new(24, 3))
        .validate()
        .unwrap();
    let magnets: Commodity = "NdPr:magnet".parse().unwrap();
    let solve = |threads: usize| {
        let options = BalanceOptions {
            threads,
            facility_ranges: false,
            ..BalanceOptions::default()
        };
        BalanceModel::build(&data, &magnets)
            .unwrap()
            .solve_with(&Scenario::baseline(), &options)
            .unwrap()
    };
    let one = solve(1);
    assert!(!one.binding.is_empty() && !one.stages.is_empty());
    assert_eq!(one, solve(2));
}
