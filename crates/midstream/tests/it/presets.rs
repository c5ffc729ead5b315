//! The policy presets shipped with the data: each loads, fits its dataset, is sourced, and moves
//! the numbers its description says it moves.

use midstream::prelude::*;
use midstream::{Analysis, Preset};

fn delta(preset: &str, target: &str) -> (f64, f64) {
    let p = Preset::load(preset).unwrap();
    let analysis = Analysis::embedded(&p.dataset).unwrap();
    let baseline = Scenario {
        year: p.scenario.year,
        ..Scenario::default()
    };
    let c = analysis
        .compare(&target.parse().unwrap(), &baseline, &p.scenario)
        .unwrap();
    let f = |t: Tonnes| -> f64 { t.value().to_string().parse().unwrap() };
    (
        f(c.baseline_balance.deliverable),
        f(c.scenario_balance.deliverable),
    )
}

#[test]
fn every_preset_loads_fits_its_dataset_and_is_sourced() {
    let names: Vec<&str> = Preset::names().collect();
    assert!(names.len() >= 4, "{names:?}");
    for name in names {
        let p = Preset::load(name).unwrap();
        assert_eq!(p.name, name);
        let data = midstream::data::load(&p.dataset).unwrap();
        p.scenario
            .check(&data)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!p.sources.is_empty(), "{name}");
        for s in &p.sources {
            assert!(s.url.starts_with("https://"), "{name}: {}", s.url);
        }
        assert!(p.description.len() > 200, "{name}: say what it assumes");
    }
    assert!(matches!(
        Preset::load("no-such-preset"),
        Err(midstream::Error::UnknownPreset { .. })
    ));
}

#[test]
fn china_licensing_stops_heavy_rare_earths_and_leaves_ndpr_alone() {
    // With no licence granted, no Dy or Tb oxide separated in China leaves it, and no plant
    // outside China separates Dy from a feed the dataset ties to it.
    let (base, dy) = delta("cn-2025-04-hree-licence", "Dy:oxide");
    assert!(base > 3_000.0, "{base}");
    assert!(dy.abs() < 0.001, "{dy}");
    let (_, tb) = delta("cn-2025-04-hree-licence", "Tb:oxide");
    assert!(tb.abs() < 0.001, "{tb}");
    // NdPr is not covered.
    let (base, ndpr) = delta("cn-2025-04-hree-licence", "NdPr:oxide");
    assert!((base - ndpr).abs() < 0.001, "{base} -> {ndpr}");
}

#[test]
fn myanmar_disruption_takes_its_clays_dy_out() {
    // Myanmar's 22,000 t of ionic-clay feed at 6.7 % Dy oxide.
    let (base, after) = delta("mm-kachin-disruption", "Dy:oxide");
    assert!(
        (base - after - 22_000.0 * 0.067).abs() < 0.01,
        "{base} -> {after}"
    );
}

#[test]
fn mp_halt_costs_china_the_ndpr_in_mountain_pass_concentrate() {
    // 32,703 t REO sold in 2024 at Mountain Pass's 15.7 % NdPr; the concentrate stays unsold.
    let (base, after) = delta("us-mp-halt", "NdPr:oxide");
    assert!(
        (base - after - 32_703.0 * 0.157).abs() < 0.01,
        "{base} -> {after}"
    );
}
