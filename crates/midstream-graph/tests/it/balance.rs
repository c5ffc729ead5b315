//! The material-balance model: the worked example of docs/material-balance.md checked by hand,
//! and agreement with the max-flow engine on every single-product chain.

use std::path::PathBuf;

use midstream_domain::{Commodity, Dataset, Tonnes, ValidDataset};
use midstream_graph::{
    BalanceModel, BalanceOptions, BindingKind, GraphError, Scenario, SupplyGraph,
};
use rust_decimal::Decimal;

fn c(s: &str) -> Commodity {
    s.parse().unwrap()
}

fn t(s: &str) -> Tonnes {
    s.parse().unwrap()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every embedded dataset file, in file name order.
pub(crate) fn embedded_files() -> Vec<PathBuf> {
    let dir = root().join("crates/midstream-data/data");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Every embedded format-1 dataset, in file name order, with the commodities it has capacity
/// for.
fn format_1_chains() -> Vec<(PathBuf, ValidDataset, std::collections::BTreeSet<Commodity>)> {
    embedded_files()
        .into_iter()
        .map(|file| {
            let data = Dataset::from_json_file(&file).unwrap().validate().unwrap();
            let commodities = data
                .facilities
                .iter()
                .flat_map(|f| f.capacities.iter().map(|c| c.commodity))
                .collect();
            (file, data, commodities)
        })
        .filter(|(_, data, _)| data.format_version == 1)
        .collect()
}

fn worked_example() -> ValidDataset {
    Dataset::from_json_file(root().join("tests/material/worked-example.json"))
        .unwrap()
        .validate()
        .unwrap()
}

fn stop(country: &str) -> Scenario {
    Scenario {
        export_stops: [country.parse().unwrap()].into(),
        ..Scenario::default()
    }
}

/// NdPr oxide: 0.9 × (0.20 × 10,000 + 0.06 × 2,000) = 1,908 t; both mines bind, mine A worth
/// 0.9 × 0.20 = 0.18 t per t, mine B 0.9 × 0.06 = 0.054.
#[test]
fn worked_example_ndpr_oxide() {
    let data = worked_example();
    let mut model = BalanceModel::build(&data, &c("NdPr:oxide")).unwrap();
    let r = model.solve(&Scenario::baseline()).unwrap();
    assert_eq!(r.deliverable, t("1908"));
    let worth = |id: &str| {
        r.binding
            .iter()
            .find(|m| matches!(&m.what, BindingKind::Capacity { facility, .. } if facility.as_str() == id))
            .map(|m| (m.gain_per_tonne, m.loss_per_tonne))
    };
    assert_eq!(
        worth("mine-a"),
        Some((d("0.18"), Some(d("0.18")))),
        "{:#?}",
        r.binding
    );
    assert_eq!(
        worth("mine-b"),
        Some((d("0.054"), Some(d("0.054")))),
        "{:#?}",
        r.binding
    );
    assert_eq!(worth("sep-x"), None, "{:#?}", r.binding);
    // All 12,000 t of feed are separated. Y's NdPr output is capped at 500 t, so Y takes at
    // most all of B's clay (2,000 t, 108 t NdPr) and (500 - 108) / 0.18 = 2,177.778 t of A:
    // X takes at least 12,000 - 4,177.778 = 7,822.222 t, and at most its 8,000 t quota.
    let range = |of: &str| {
        r.facilities
            .iter()
            .find(|f| f.of == of)
            .map(|f| (f.least, f.most))
    };
    assert_eq!(range("sep-x"), Some((t("7822.222"), t("8000"))));
    // Y's throughput is its NdPr output: at most 0.18 × 2,000 + 0.054 × 2,000 = 468 t when X
    // is full, i.e. the 4,000 t X leaves; the least is with X full of A: Y gets 2,000 t of A and
    // 2,000 t of B, the same 468 t; the most is its 500 t when X takes some clay.
    assert_eq!(range("sep-y"), Some((t("468"), t("500"))));
    // The link from A to Y is not exclusive: A also sells into the market. Y must take the
    // 4,000 t X cannot, within 500 t of NdPr: 0.18 a + 0.054 (4,000 - a) <= 500 gives at most
    // 2,253.968 t of A at Y (below the link's 2,500 t cap), and the link may carry none.
    assert_eq!(r.links.len(), 1);
    assert_eq!((r.links[0].least, r.links[0].most), (t("0"), t("2253.968")));
    // By-products: La 0.9 × 0.33 × 10,000 + 0.9 × 0.2 × 2,000 = 3,330 t; Dy 0.9 × 0.04 × 2,000 = 72 t.
    let by = |p: &str| {
        r.by_products
            .iter()
            .find(|b| b.commodity == c(p))
            .map(|b| (b.least, b.most))
    };
    assert_eq!(by("La:oxide"), Some((t("3330"), t("3330"))));
    assert_eq!(by("Dy:oxide"), Some((t("72"), t("72"))));
}

/// China stops exports: only Separator Y's 500 t of NdPr leave, and its capacity binds at 1.
#[test]
fn worked_example_export_stop() {
    let data = worked_example();
    let mut model = BalanceModel::build(&data, &c("NdPr:oxide")).unwrap();
    let r = model.solve(&stop("CN")).unwrap();
    assert_eq!(r.deliverable, t("500"));
    let y = r
        .binding
        .iter()
        .find(|m| matches!(&m.what, BindingKind::Capacity { facility, .. } if facility.as_str() == "sep-y"))
        .unwrap();
    assert_eq!((y.gain_per_tonne, y.loss_per_tonne), (d("1"), Some(d("1"))));
    // Build once, solve many: the baseline again on the same model.
    assert_eq!(
        model.solve(&Scenario::baseline()).unwrap().deliverable,
        t("1908")
    );
}

/// Dy oxide comes from the clay only: 0.9 × 0.04 × 2,000 = 72 t; without Myanmar's clay, none.
#[test]
fn worked_example_dy_and_a_missing_feed() {
    let data = worked_example();
    let mut model = BalanceModel::build(&data, &c("Dy:oxide")).unwrap();
    assert_eq!(
        model.solve(&Scenario::baseline()).unwrap().deliverable,
        t("72")
    );
    let no_clay = Scenario {
        exclude_compositions: ["ionic-clay".parse().unwrap()].into(),
        ..Scenario::default()
    };
    assert_eq!(model.solve(&no_clay).unwrap().deliverable, t("0"));
}

/// Magnets: 0.29 t NdPr metal per t; the metal plant's 1,000 t NdPr metal allow 3,448.276 t,
/// while Dy (72 t oxide × 0.871 × 0.95 = 59.6 t metal, 0.01 t per t) would allow 5,960 t:
/// NdPr metal capacity binds, worth 1 / 0.29 = 3.448276 t of magnet per t.
#[test]
fn worked_example_magnets() {
    let data = worked_example();
    let mut model = BalanceModel::build(&data, &c("NdPr:magnet")).unwrap();
    let r = model.solve(&Scenario::baseline()).unwrap();
    assert_eq!(r.deliverable, t("3448.276"));
    let first = &r.binding[0];
    assert!(
        matches!(&first.what, BindingKind::Capacity { facility, commodity } if facility.as_str() == "metal" && *commodity == c("NdPr:metal")),
        "{:#?}",
        r.binding
    );
    assert_eq!(first.loss_per_tonne, Some(d("3.448276")), "{first:?}");
    // Which input binds, and by how much: NdPr metal's 1,000 t allow 1,000 / 0.29 = 3,448.276 t
    // of magnets; Dy metal's 72 × (2 × 162.5 / 372.997) × 0.95 = 59.598 t allow 5,959.8 t.
    let limits: Vec<(Commodity, Tonnes)> = r
        .recipe_limits
        .iter()
        .map(|l| (l.input, l.allows))
        .collect();
    assert_eq!(limits[0], (c("NdPr:metal"), t("3448.276")), "{limits:?}");
    assert_eq!(limits[1].0, c("Dy:metal"));
    assert!(
        (limits[1].1.value() - d("5959.8")).abs() < d("0.1"),
        "{limits:?}"
    );
    assert_eq!(r.recipe_limits[1].supply.value().round_dp(1), d("59.6"));
}

/// A forced flow above what can reach the link is a typed error naming the link.
#[test]
fn infeasible_floor_names_the_link() {
    let data = worked_example();
    let mut model = BalanceModel::build(&data, &c("NdPr:oxide")).unwrap();
    // The link must carry 2,500 t, but mine A may ship only 1,000 t.
    let forced = Scenario {
        forced_links: [("a-to-y".parse().unwrap(), t("2500"))].into(),
        capacity_overrides: [("mine-a".parse().unwrap(), t("1000"))].into(),
        ..Scenario::default()
    };
    let err = model.solve(&forced).unwrap_err();
    let GraphError::Lp { records, .. } = &err else {
        panic!("{err}")
    };
    assert!(records.iter().any(|r| r.contains("a-to-y")), "{err}");
    assert!(records.iter().any(|r| r.contains("mine-a")), "{err}");
}

/// Every format-1 dataset in the repository, every commodity, three scenarios: the LP's
/// deliverable equals the max-flow value to the kilogram, and every member of the max-flow
/// minimum cut binds in the LP with a loss of one tonne per tonne.
#[test]
fn agrees_with_max_flow_on_every_format_1_chain() {
    let mut checked = 0;
    for (file, data, commodities) in format_1_chains() {
        let countries: std::collections::BTreeSet<_> =
            data.facilities.iter().map(|f| f.country).collect();
        for commodity in commodities {
            let mut model = BalanceModel::build(&data, &commodity).unwrap();
            let mut scenarios = vec![
                Scenario::baseline(),
                Scenario {
                    all_projects_online: true,
                    ..Scenario::default()
                },
            ];
            if let Some(first) = countries.iter().next() {
                scenarios.push(Scenario {
                    export_stops: [*first].into(),
                    ..Scenario::default()
                });
            }
            if countries.contains(&"CN".parse().unwrap()) {
                scenarios.push(stop("CN"));
            }
            for scenario in &scenarios {
                let flow = SupplyGraph::build(&data, &commodity, scenario)
                    .unwrap()
                    .bottleneck()
                    .unwrap();
                let only_marginals = BalanceOptions {
                    marginals: true,
                    ranges: false,
                    facility_ranges: false,
                    threads: 0,
                };
                let lp = model.solve_with(scenario, &only_marginals).unwrap();
                assert_eq!(
                    lp.deliverable,
                    flow.deliverable,
                    "{} {commodity} {scenario:?}",
                    file.display()
                );
                for m in &lp.binding {
                    let unit = Decimal::ZERO..=Decimal::ONE;
                    assert!(
                        m.loss_per_tonne.is_some_and(|l| {
                            unit.contains(&l) && (m.bound.is_zero() || m.gain_per_tonne <= l)
                        }) && unit.contains(&m.gain_per_tonne),
                        "single product: marginal values in [0, 1], gain <= loss above 0: {m:?}"
                    );
                }
                for member in &flow.cut {
                    if let midstream_graph::CutMember::Facility { id, .. } = member {
                        assert!(
                            lp.binding.iter().any(|m| matches!(&m.what, BindingKind::Capacity { facility, .. } if facility == id) && m.loss_per_tonne == Some(Decimal::ONE)),
                            "{} {commodity}: cut member {id} does not bind in the LP: {:#?}",
                            file.display(),
                            lp.binding
                        );
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} chains checked");
}

/// The max-flow engine's flow is one optimal solution, so on every format-1 chain each
/// facility's throughput in it lies within the LP's least and most (to the kilogram), and a
/// facility the LP leaves out carries nothing in it; every stage and country the flow passes
/// is within the stage-country range. Ranges are good to about 2e-9 of the deliverable (the
/// floor on the optimum is 1e-9 below it, each end solved at 1e-10), so the check allows one
/// kilogram plus that.
#[test]
fn max_flow_lies_within_the_ranges_on_every_format_1_chain() {
    let kg = t("0.001");
    let mut checked = 0;
    for (file, data, commodities) in format_1_chains() {
        for commodity in commodities {
            let scenario = Scenario::baseline();
            let flow = SupplyGraph::build(&data, &commodity, &scenario)
                .unwrap()
                .bottleneck()
                .unwrap();
            let lp = BalanceModel::build(&data, &commodity)
                .unwrap()
                .solve(&scenario)
                .unwrap();
            let slack = kg.value() + lp.deliverable.value() * Decimal::new(2, 9);
            for u in &flow.utilisation {
                let range = lp.facilities.iter().find(|r| r.of == u.id.as_str());
                let (least, most) =
                    range.map_or((Tonnes::ZERO, Tonnes::ZERO), |r| (r.least, r.most));
                assert!(
                    least.value() - slack <= u.throughput.value()
                        && u.throughput.value() <= most.value() + slack,
                    "{} {commodity} {}: max flow {} outside {least}..{most}",
                    file.display(),
                    u.id,
                    u.throughput
                );
            }
            for f in &flow.flow_by_stage_country {
                let range = lp
                    .stages
                    .iter()
                    .find(|r| r.stage == f.stage && r.country == Some(f.country));
                let (least, most) =
                    range.map_or((Tonnes::ZERO, Tonnes::ZERO), |r| (r.least, r.most));
                assert!(
                    least.value() - slack <= f.tonnes.value()
                        && f.tonnes.value() <= most.value() + slack,
                    "{} {commodity} {} {}: max flow {} outside {least}..{most}",
                    file.display(),
                    f.stage,
                    f.country,
                    f.tonnes
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} chains checked");
}

/// An input that not every maker uses limits nothing: with a second magnet maker whose recipe
/// needs no Dy, only NdPr metal is listed.
#[test]
fn an_input_some_recipes_skip_is_no_limit() {
    let path = root().join("tests/material/worked-example.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let facilities = json["facilities"].as_array_mut().unwrap();
    let mut second = facilities.last().unwrap().clone();
    second["id"] = "magnets-no-dy".into();
    second["process"]["inputs"] = serde_json::json!([
        {"commodity": "NdPr:metal", "tonnes_per_tonne": "0.3"}
    ]);
    facilities.push(second);
    let data = Dataset::from_json_str(&json.to_string())
        .unwrap()
        .validate()
        .unwrap();
    let mut model = BalanceModel::build(&data, &c("NdPr:magnet")).unwrap();
    let r = model.solve(&Scenario::baseline()).unwrap();
    let inputs: Vec<Commodity> = r.recipe_limits.iter().map(|l| l.input).collect();
    assert_eq!(inputs, vec![c("NdPr:metal")]);
    // The least NdPr per tonne among the recipes: 0.29 t, so 1,000 t allow 3,448.276 t.
    assert_eq!(r.recipe_limits[0].allows, t("3448.276"));
}

/// A mine that states no process (and so no composition) cannot stand in for a feed of known
/// composition: it adds nothing to separated NdPr, whatever classes other mines give the feed.
#[test]
fn a_mine_without_a_composition_feeds_no_separator() {
    let path = root().join("tests/material/worked-example.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let facilities = json["facilities"].as_array_mut().unwrap();
    let mut bare = facilities[0].clone();
    bare["id"] = "mine-c".into();
    bare["country"] = "VN".into();
    bare.as_object_mut().unwrap().remove("process");
    facilities.push(bare);
    let data = Dataset::from_json_str(&json.to_string())
        .unwrap()
        .validate()
        .unwrap();
    let r = BalanceModel::build(&data, &c("NdPr:oxide"))
        .unwrap()
        .solve(&Scenario::baseline())
        .unwrap();
    // As without mine C: 0.9 × (0.20 × 10,000 + 0.06 × 2,000) = 1,908 t.
    assert_eq!(r.deliverable, t("1908"));
    assert!(
        !r.binding.iter().any(|m| matches!(&m.what,
            BindingKind::Capacity { facility, .. } if facility.as_str() == "mine-c")),
        "{:?}",
        r.binding
    );
}

/// An export control covers some commodities only: China's control of Dy takes China's Dy
/// oxide off the world market and leaves its NdPr; on NdPr it differs from an export stop.
#[test]
fn an_export_control_stops_only_what_it_covers() {
    let data = worked_example();
    let control = Scenario::from_json_str(
        r#"{"export_controls": [{"country": "CN", "elements": ["Dy", "Tb"]}]}"#,
    )
    .unwrap();
    let solve = |target: &str, s: &Scenario| {
        BalanceModel::build(&data, &c(target))
            .unwrap()
            .solve(s)
            .unwrap()
            .deliverable
    };
    // Dy oxide: only separator Y (MY) may export; at 500 t of NdPr it takes at most
    // 2,000 t of clay (all of B, 108 t of NdPr): 0.9 × 0.04 × 2,000 = 72 t, as before, now
    // all through Y. A stop of MY's exports as well leaves nothing.
    assert_eq!(solve("Dy:oxide", &control), t("72"));
    let mut both = control.clone();
    both.export_stops.insert("MY".parse().unwrap());
    assert_eq!(solve("Dy:oxide", &both), t("0"));
    // NdPr oxide is not covered: as in the baseline, and unlike China's export stop.
    assert_eq!(solve("NdPr:oxide", &control), t("1908"));
    assert!(solve("NdPr:oxide", &stop("CN")) < t("1908"));
    // A control that covers nothing, or names a country without facilities, is refused.
    let empty = Scenario::from_json_str(r#"{"export_controls": [{"country": "CN"}]}"#).unwrap();
    assert!(empty.check(&data).is_err());
    let absent =
        Scenario::from_json_str(r#"{"export_controls": [{"country": "FR", "elements": ["Dy"]}]}"#)
            .unwrap();
    assert!(absent.check(&data).is_err());
}

/// What can add to a target: the chain above its makers, not what lies below them.
#[test]
fn only_facilities_upstream_of_the_target_feed_it() {
    let data = worked_example();
    let oxide = BalanceModel::build_supply(&data, &c("NdPr:oxide")).unwrap();
    for id in ["mine-a", "mine-b", "sep-x", "sep-y"] {
        assert!(oxide.feeds_target(id), "{id}");
    }
    for id in ["metal", "magnets", "no-such-facility"] {
        assert!(!oxide.feeds_target(id), "{id}");
    }
    let magnets = BalanceModel::build_supply(&data, &c("NdPr:magnet")).unwrap();
    assert!(
        ["mine-a", "sep-y", "metal", "magnets"]
            .iter()
            .all(|id| magnets.feeds_target(id))
    );
}

/// A target on the contained-element basis counts its parts in element tonnes: NdPr and Dy
/// oxide together, each at its stoichiometric factor, never more than the parts apart.
#[test]
fn a_composite_target_counts_its_parts_in_element_tonnes() {
    let data = worked_example();
    let most = |target: &str| {
        BalanceModel::build_supply(&data, &c(target))
            .unwrap()
            .solve(&Scenario::baseline())
            .unwrap()
            .deliverable
            .value()
    };
    let both = most("DyNdPr:oxide@contained");
    let ndpr = most("NdPr:oxide");
    let dy = most("Dy:oxide");
    // Dy oxide is 0.8713 t of Dy per tonne; NdPr between Pr's 0.8277 and Nd's 0.8574.
    assert!(both <= ndpr * d("0.8574") + dy * d("0.8713"), "{both}");
    assert!(both >= ndpr * d("0.8277"), "{both}");
    // Dy alone, on the contained basis: the exact factor (to the kilogram).
    let factor = midstream_domain::Element::Dy
        .oxide()
        .unwrap()
        .metal_per_oxide();
    assert_eq!(most("Dy:oxide@contained"), (dy * factor).round_dp(3));
}

/// One optimal flow, supplier to consumer: what reaches the buyers adds up to the deliverable,
/// and what each facility receives is what it processes (nothing appears or vanishes in the
/// tracing through markets and pools).
#[test]
fn flows_trace_supplier_to_consumer() {
    let data = worked_example();
    for target in ["NdPr:oxide", "NdPr:magnet"] {
        let mut model = BalanceModel::build_supply(&data, &c(target)).unwrap();
        let r = model.solve(&Scenario::baseline()).unwrap();
        let flows = model.flows(&Scenario::baseline()).unwrap();
        assert!(
            flows.iter().all(|f| f.tonnes.value() > Decimal::ZERO),
            "{flows:?}"
        );
        let delivered: Decimal = flows
            .iter()
            .filter(|f| f.to.is_none())
            .map(|f| f.tonnes.value())
            .sum();
        let gap = (delivered - r.deliverable.value()).abs();
        assert!(
            gap <= d("0.01"),
            "{target}: {delivered} vs {}",
            r.deliverable
        );
        // Every flow into a facility is a material it takes, and each facility's intake lies
        // within its range over all optimal flows.
        let ranges = model
            .solve_with(
                &Scenario::baseline(),
                &BalanceOptions {
                    facility_ranges: true,
                    ..BalanceOptions::default()
                },
            )
            .unwrap();
        assert!(!flows.iter().any(|f| f.to.as_ref() == Some(&f.from)));
        // A facility whose capacity is stated in what it receives: its intake in the traced
        // flow lies within its least..most over all optimal flows.
        let mut checked = 0;
        for fac in &data.facilities {
            let Some(cap) = fac.capacities.first() else {
                continue;
            };
            let intake: Decimal = flows
                .iter()
                .filter(|f| f.to.as_ref() == Some(&fac.id) && f.commodity == cap.commodity)
                .map(|f| f.tonnes.value())
                .sum();
            let Some(range) = ranges.facilities.iter().find(|r| r.of == fac.id.as_str()) else {
                continue;
            };
            if intake.is_zero() {
                continue;
            }
            checked += 1;
            assert!(
                range.least.value() - d("0.01") <= intake
                    && intake <= range.most.value() + d("0.01"),
                "{target} {}: {intake} outside {range:?}",
                fac.id
            );
        }
        assert!(checked >= 1, "{target}: no facility checked");
    }
    // Under China's export stop on the oxide, nothing from a Chinese plant reaches the buyers.
    let mut model = BalanceModel::build_supply(&data, &c("NdPr:oxide")).unwrap();
    let stop = stop("CN");
    for f in model
        .flows(&stop)
        .unwrap()
        .iter()
        .filter(|f| f.to.is_none())
    {
        let from = data.facilities.iter().find(|x| x.id == f.from).unwrap();
        assert_ne!(from.country.code(), "CN", "{f:?}");
    }
}

/// Demand as the max-flow graph reads it: buyers with a figure for the year are capped at it;
/// a year (or a case) with no figure leaves supply uncapped, on the LP as on the graph.
#[test]
fn a_year_without_demand_leaves_supply_uncapped() {
    let data = Dataset::from_json_str(
        r#"{"format_version": 1, "name": "d", "as_of": "2024-12-31",
        "facilities": [
          {"id": "m", "name": "M", "country": "AU", "stage": "mining", "maturity": "operating",
           "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "100"}]},
          {"id": "s", "name": "S", "country": "MY", "stage": "separation", "maturity": "operating",
           "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "80"}]}],
        "demand": [{"id": "d", "buyer": "B", "commodity": "NdPr:oxide",
                    "tonnes_per_year": "50", "year": 2024}]}"#,
    )
    .unwrap()
    .validate()
    .unwrap();
    let ndpr = c("NdPr:oxide");
    let mut model = BalanceModel::build(&data, &ndpr).unwrap();
    for (year, expected) in [(2024, "50"), (2025, "80")] {
        let scenario = Scenario {
            year: Some(year),
            ..Scenario::default()
        };
        let lp = model.solve(&scenario).unwrap().deliverable;
        let graph = SupplyGraph::build(&data, &ndpr, &scenario)
            .unwrap()
            .bottleneck()
            .unwrap()
            .deliverable;
        assert_eq!((lp, graph), (t(expected), t(expected)), "{year}");
    }
}
