//! `Analysis`: bottleneck with risk, scenario comparison, outlook band.

use midstream::prelude::*;
use midstream::{Analysis, FlowSpan, OutlookOptions};
use serde_json::json;

fn cap(t: &str) -> serde_json::Value {
    json!([{"commodity": "NdPr:oxide", "tonnes_per_year": t}])
}

/// Mines 600 t; operating separation 100 t (MY) + 150 t (CN); projects: a financed plant in AU
/// (120 t, first production planned 2027) and a letter of interest in KZ (200 t, 2028).
fn analysis() -> Analysis {
    let v = json!({
        "format_version": 1, "name": "outlook", "as_of": "2025-12-31",
        "facilities": [
            {"id": "mine", "name": "Mine", "country": "AU", "stage": "mining", "maturity": "operating", "capacities": cap("600")},
            {"id": "my-sep", "name": "MY separation", "country": "MY", "stage": "separation", "maturity": "operating", "capacities": cap("100")},
            {"id": "cn-sep", "name": "CN separation", "country": "CN", "stage": "separation", "maturity": "operating", "capacities": cap("150")},
            {"id": "au-sep", "name": "AU project", "country": "AU", "stage": "separation", "maturity": "financed", "capacities": cap("120"),
             "milestones": [{"kind": "first_production", "date": "2027-06-30", "status": "planned"}]},
            {"id": "kz-sep", "name": "KZ project", "country": "KZ", "stage": "separation", "maturity": "letter_of_interest", "capacities": cap("200"),
             "milestones": [{"kind": "first_production", "date": "2028-06-30", "status": "planned"}]}
        ]
    });
    let data = Dataset::from_json_str(&v.to_string())
        .unwrap()
        .validate()
        .unwrap();
    Analysis::new(data)
}

fn ndpr() -> Commodity {
    "NdPr:oxide".parse().unwrap()
}

fn t(x: &str) -> Tonnes {
    x.parse().unwrap()
}

#[test]
fn bottleneck_carries_the_delivery_risk_of_the_cut() {
    let b = analysis()
        .bottleneck(&ndpr(), &Scenario::baseline())
        .unwrap();
    assert_eq!(b.report.deliverable, t("250"));
    let ids: Vec<&str> = b.cut_delivery.iter().map(|a| a.facility.as_str()).collect();
    assert_eq!(ids, vec!["cn-sep", "my-sep"]);
    assert!(
        b.cut_delivery
            .iter()
            .all(|a| a.probability.value() > "0.9".parse().unwrap())
    );
}

#[test]
fn comparison_says_where_the_flow_moved() {
    let stop = Scenario {
        exclude_countries: ["CN".parse().unwrap()].into(),
        ..Scenario::default()
    };
    let c = analysis()
        .compare(&ndpr(), &Scenario::baseline(), &stop)
        .unwrap();
    assert_eq!(c.deliverable_change, t("-150"));
    assert_eq!(c.shortfall_change, None);
    // The largest changes: Chinese separation and the Australian mine feeding it, both -150 t
    // (ties by stage: mining first). Each is one value here: nothing else could route it.
    let span = |least: &str, most: &str| FlowSpan {
        least: t(least),
        most: t(most),
    };
    let top: Vec<(Stage, &str, FlowSpan, FlowSpan)> = c.by_stage_country[..2]
        .iter()
        .map(|d| (d.stage, d.country.code(), d.baseline, d.scenario))
        .collect();
    assert_eq!(
        top,
        vec![
            (Stage::Mining, "AU", span("250", "250"), span("100", "100")),
            (Stage::Separation, "CN", span("150", "150"), span("0", "0")),
        ]
    );
    let sep = c
        .by_stage
        .iter()
        .find(|s| s.stage == Stage::Separation)
        .unwrap();
    assert_eq!(
        (sep.baseline, sep.scenario),
        (span("250", "250"), span("100", "100"))
    );
    assert!(!c.bottleneck_moved);
}

#[test]
fn outlook_band_lies_between_operating_only_and_all_projects() {
    let a = analysis();
    let o = a
        .outlook(&ndpr(), 2026..=2032, &OutlookOptions::default())
        .unwrap();
    assert_eq!(o.years.len(), 7);
    for y in &o.years {
        assert!(y.operating_only <= y.p10, "{y:?}");
        assert!(y.p10 <= y.p50 && y.p50 <= y.p90, "{y:?}");
        assert!(y.p90 <= y.all_projects, "{y:?}");
        assert!(
            y.operating_only <= y.expected && y.expected <= y.all_projects,
            "{y:?}"
        );
    }
    // Before any planned start, projects add nothing, on schedule or not.
    assert_eq!(o.years[0].all_projects, o.years[0].operating_only);
    // By 2032 both projects are due: on schedule they add 320 t.
    let last = o.years.last().unwrap();
    assert_eq!(last.all_projects, t("570"));
    // The expected value grows year on year (one draw per project and sample).
    assert!(o.years.windows(2).all(|w| w[0].expected <= w[1].expected));
    // A letter of interest is an option, not supply: the median stays well below all-on.
    assert!(last.p50 < last.all_projects);
}

#[test]
fn outlook_is_reproducible_from_its_seed() {
    let a = analysis();
    let opts = OutlookOptions {
        samples: 64,
        seed: 7,
        ..OutlookOptions::default()
    };
    let one = a.outlook(&ndpr(), 2026..=2030, &opts).unwrap();
    let two = a.outlook(&ndpr(), 2026..=2030, &opts).unwrap();
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&two).unwrap()
    );
    let none = OutlookOptions {
        samples: 0,
        ..OutlookOptions::default()
    };
    assert!(matches!(
        a.outlook(&ndpr(), 2026..=2030, &none),
        Err(midstream::Error::NoSamples)
    ));
    let too_many = OutlookOptions {
        samples: midstream::MAX_OUTLOOK_SAMPLES + 1,
        ..OutlookOptions::default()
    };
    let err = a.outlook(&ndpr(), 2026..=2030, &too_many).unwrap_err();
    assert!(matches!(err, midstream::Error::TooManySamples { .. }));
    assert!(err.to_string().contains("100001"), "{err}");
}

#[test]
fn invest_ranks_by_risk_adjusted_gain() {
    let ranked = analysis()
        .invest(&ndpr(), 2030, &Scenario::baseline())
        .unwrap();
    let ids: Vec<&str> = ranked.iter().map(|c| c.facility.as_str()).collect();
    // The letter of interest adds more on paper (200 t vs 120 t), but the financed plant is
    // far likelier to deliver: it ranks first on the risk-adjusted gain.
    assert_eq!(ids, vec!["au-sep", "kz-sep"]);
    assert_eq!(ranked[0].added, t("120"));
    assert_eq!(ranked[1].added, t("200"));
    assert!(ranked[0].risk_adjusted > ranked[1].risk_adjusted);
    for c in &ranked {
        assert!(c.risk_adjusted <= c.added);
        // No capex in this dataset: nothing is ranked per dollar.
        assert!(c.capex.is_none() && c.risk_adjusted_per_million_usd.is_none());
    }
    assert!(midstream::markdown::candidates(&ranked, 2030).contains("none is ranked per dollar"));
}

#[test]
fn invest_per_dollar_where_capex_is_known() {
    // The same dataset with a capital cost on the KZ letter of interest only.
    let mut data = analysis().data().dataset().clone();
    let kz = data
        .facilities
        .iter_mut()
        .find(|f| f.id.as_str() == "kz-sep")
        .unwrap();
    kz.capex = Some(serde_json::from_value(json!({"amount": "50000000", "year": 2025})).unwrap());
    let a = Analysis::new(data.validate().unwrap());
    let ranked = a.invest(&ndpr(), 2030, &Scenario::baseline()).unwrap();
    let kz = ranked
        .iter()
        .find(|c| c.facility.as_str() == "kz-sep")
        .unwrap();
    // risk-adjusted tonnes / US$ 50 million
    let expected = (kz.risk_adjusted.value() / rust_decimal::Decimal::from(50)).round_dp(3);
    assert_eq!(kz.risk_adjusted_per_million_usd, Some(expected));
    let au = ranked
        .iter()
        .find(|c| c.facility.as_str() == "au-sep")
        .unwrap();
    assert_eq!(au.risk_adjusted_per_million_usd, None);
    let md = midstream::markdown::candidates(&ranked, 2030);
    assert!(md.contains("Per dollar (1 of 2 candidates"), "{md}");
    assert!(md.contains("| KZ project (`kz-sep`) | 50 |"), "{md}");
}

#[test]
fn profile_separates_signals_from_supply() {
    let a = analysis();
    let kz = a.profile("KZ".parse().unwrap(), 2030).unwrap();
    assert_eq!(kz.lines.len(), 1);
    let line = &kz.lines[0];
    assert_eq!((line.operating, line.announced), (t("0"), t("200")));
    assert!(
        line.risk_adjusted < t("50"),
        "a letter of interest is mostly a signal: {line:?}"
    );
    assert_eq!(kz.relief.len(), 1);
    assert_eq!(kz.relief[0].baseline, t("250"));
    assert_eq!(kz.relief[0].with_projects, t("450"));
    assert!(kz.relief[0].at_binding_stage);
    let au = a.profile("AU".parse().unwrap(), 2030).unwrap();
    let mining = au.lines.iter().find(|l| l.stage == Stage::Mining).unwrap();
    assert_eq!((mining.operating, mining.announced), (t("600"), t("0")));
}

/// On a format-2 chain with a recipe, the report reads the balance: which input binds and by
/// how much, marginal values, ranges in each stage's own unit (no share of a magnet tonnage).
#[test]
fn a_recipe_chain_says_which_input_binds() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/material/worked-example.json");
    let analysis = Analysis::from_file(path).unwrap();
    let magnet: Commodity = "NdPr:magnet".parse().unwrap();
    let b = analysis.bottleneck(&magnet, &Scenario::baseline()).unwrap();
    assert!(!b.single_product);
    assert_eq!(b.balance.deliverable, t("3448.276"));
    assert_eq!(b.binding_stage(), Some(Stage::MetalRefining));
    assert_eq!(b.binding_country(), Some("CN".parse().unwrap()));
    let md = midstream::markdown::bottleneck(&b);
    assert!(
        md.contains("NdPr:metal binds: its supply of 1000 t allows 3448 t of NdPr:magnet; Dy:metal would allow 5960 t, 2512 t more."),
        "{md}"
    );
    assert!(md.contains("| capacity of `metal` (NdPr:metal) | metal_refining | CN | 1000 | 3.448276 | 3.448276 |"), "{md}");
    assert!(!md.contains("share of deliverable"), "{md}");
    // The minimum cut of the single-product graph does not stand for this chain.
    assert!(!md.contains("(the minimum cut)"), "{md}");
}

/// When the magnet makers' own capacity stops the product before any input, the report does
/// not say that an input binds.
#[test]
fn a_recipe_chain_limited_by_its_makers_says_no_input_binds() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/material/worked-example.json");
    let analysis = Analysis::from_file(path).unwrap();
    let magnet: Commodity = "NdPr:magnet".parse().unwrap();
    let small = Scenario {
        capacity_overrides: [("magnets".parse().unwrap(), t("1000"))].into(),
        ..Scenario::default()
    };
    let b = analysis.bottleneck(&magnet, &small).unwrap();
    assert_eq!(b.balance.deliverable, t("1000"));
    assert_eq!(b.binding_stage(), Some(Stage::Manufacturing));
    let md = midstream::markdown::bottleneck(&b);
    assert!(
        md.contains("No input binds: 1000 t of NdPr:magnet are made, below the 3448 t that NdPr:metal, the scarcest input, would allow"),
        "{md}"
    );
    assert!(!md.contains("NdPr:metal binds"), "{md}");
}

/// A format-2 outlook runs on the material balance: its producing line is the balance's
/// deliverable, the band lies between it and every project on schedule, and the same seed gives
/// the same band.
#[test]
fn a_format_2_outlook_runs_on_the_material_balance() {
    let a = Analysis::embedded("rare-earths-2025").unwrap();
    let ndpr = ndpr();
    let opts = OutlookOptions {
        samples: 100,
        ..OutlookOptions::default()
    };
    let o = a.outlook(&ndpr, 2026..=2030, &opts).unwrap();
    let balance = a
        .bottleneck(
            &ndpr,
            &Scenario {
                year: Some(2026),
                ..Scenario::default()
            },
        )
        .unwrap()
        .balance;
    assert_eq!(o.years[0].operating_only, balance.deliverable);
    for y in &o.years {
        assert!(
            y.operating_only <= y.p10 && y.p10 <= y.p50 && y.p50 <= y.p90,
            "{y:?}"
        );
        assert!(
            y.p90 <= y.all_projects && y.expected <= y.all_projects,
            "{y:?}"
        );
        assert!(y.expected >= y.operating_only, "{y:?}");
    }
    // Eneabba's refinery and its feed deliver on schedule from 2027: every project adds more
    // then than in 2026.
    assert!(o.years[1].all_projects > o.years[0].all_projects, "{o:?}");
    assert_eq!(o, a.outlook(&ndpr, 2026..=2030, &opts).unwrap());
}
