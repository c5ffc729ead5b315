//! How risky: concentration by stage on the material balance, losses, EU supply risk.

use midstream::prelude::*;
use midstream::{Analysis, RiskAssessment};
use rust_decimal::Decimal;

fn risk(dataset: &str, commodity: &str) -> RiskAssessment {
    Analysis::embedded(dataset)
        .unwrap()
        .risk(&commodity.parse().unwrap(), &Scenario::baseline())
        .unwrap()
}

#[test]
fn separation_is_more_concentrated_than_mining_and_counted_in_oxide() {
    let r = risk("rare-earths-2025", "NdPr:oxide");
    let stage = |s: Stage| r.stages.iter().find(|x| x.stage == s).unwrap();
    let (mining, separation) = (stage(Stage::Mining), stage(Stage::Separation));
    assert_eq!(separation.unit.to_string(), "NdPr:oxide");
    assert_eq!(mining.unit.to_string(), "REO:concentrate");
    assert!(separation.hhi_least > mining.hhi_most);
    let cn = &separation.countries[0];
    assert_eq!(cn.country.code(), "CN");
    // China separates about 87 % of the NdPr oxide (the IEA: about 90 % of separation).
    assert!(
        cn.share_least.value() > Decimal::new(80, 2),
        "{:?}",
        cn.share_least
    );
    assert!(cn.share_most.value() < Decimal::new(95, 2));
    // Every stage's index lies between 1/n and 1.
    for s in &r.stages {
        let n = s
            .countries
            .iter()
            .filter(|c| !c.tonnes.most.is_zero())
            .count();
        assert!(s.hhi_least * Decimal::from(n) >= Decimal::from(10_000) - Decimal::ONE);
        assert!(s.hhi_most <= Decimal::from(10_000));
        assert!(
            s.governance_weighted.is_some(),
            "{:?}",
            s.missing_governance
        );
    }
    assert!(
        r.governance
            .as_deref()
            .unwrap()
            .contains("Worldwide Governance Indicators")
    );
}

#[test]
fn a_countrys_export_stop_costs_what_the_comparison_says() {
    let analysis = Analysis::embedded("rare-earths-2025").unwrap();
    let ndpr: Commodity = "NdPr:oxide".parse().unwrap();
    let r = analysis.risk(&ndpr, &Scenario::baseline()).unwrap();
    let cn = r
        .countries
        .iter()
        .find(|c| c.country.code() == "CN")
        .unwrap();
    let stop = Scenario {
        export_stops: ["CN".parse().unwrap()].into(),
        ..Scenario::default()
    };
    let c = analysis
        .compare(&ndpr, &Scenario::baseline(), &stop)
        .unwrap();
    assert_eq!(-cn.exports_stop.value(), c.deliverable_change.value());
    // Largest loss first; no loss above the deliverable; the plants' stop costs at least the
    // exports' (the world buys inside the country too).
    for pair in r.facilities.windows(2) {
        assert!(pair[0].loss >= pair[1].loss);
    }
    for f in &r.facilities {
        assert!(f.loss <= r.deliverable);
    }
    for c in &r.countries {
        assert!(c.plants_stop >= c.exports_stop);
    }
}

#[test]
fn dysprosium_eu_supply_risk_is_close_to_the_published_one() {
    let r = risk("rare-earths-2025", "Dy:oxide");
    let dy = r.eu.iter().find(|e| e.element == "Dy").unwrap();
    let (published, stage) = dy.published_supply_risk.clone().unwrap();
    assert_eq!(stage, "processing");
    // All Dy is separated in China: 5.58 (its 2023 WGI, scaled) × 0.99 × 0.99 = 5.5, against
    // the EU's 5.6 (2016-2020 shares and governance).
    assert_eq!(dy.supply_risk, (Decimal::new(55, 1), Decimal::new(55, 1)));
    assert!((dy.supply_risk.0 - published).abs() <= Decimal::new(2, 1));
    assert_eq!(dy.meets_thresholds, Some(true));
    let processing = dy
        .stages
        .iter()
        .find(|s| s.eu_stage == midstream::risk::EuStage::Processing)
        .unwrap();
    // Exact flows: explained supplier by supplier, the factors adding up to the score.
    let why = processing.explanation.as_ref().unwrap();
    let sum: Decimal = why.factors.iter().map(|f| f.contribution).sum();
    assert_eq!(sum.round_dp(6), why.score.round_dp(6));
}

#[test]
fn a_single_stage_chain_is_its_capacity_shares() {
    // Format 1, one stage: the flows are the listed output.
    let r = risk("critical-minerals-2024", "Al:metal");
    let smelting = &r.stages[0];
    assert!(smelting.exact);
    let cn = &smelting.countries[0];
    assert_eq!(cn.country.code(), "CN");
    let expected = (cn.tonnes.least.value() / smelting.total.least.value()).round_dp(6);
    assert_eq!(cn.share_least.value(), expected);
}

#[test]
fn a_risk_assessment_round_trips_through_json() {
    let r = risk("rare-earths-2025", "NdPr:magnet");
    let json = serde_json::to_string(&r).unwrap();
    let back: RiskAssessment = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
    // Metal and magnets: small plants outside China may or may not run; the bounds say so.
    assert!(r.stages.iter().any(|s| !s.exact));
}

#[test]
fn a_project_is_ranked_with_the_projects_that_feed_it() {
    // Iluka's Eneabba refinery has nothing to separate without the Eneabba feed project.
    let analysis = Analysis::embedded("rare-earths-2025").unwrap();
    let ndpr: Commodity = "NdPr:oxide".parse().unwrap();
    let list = analysis.invest(&ndpr, 2030, &Scenario::baseline()).unwrap();
    let eneabba = list
        .iter()
        .find(|c| c.facility.as_str() == "iluka-eneabba")
        .unwrap();
    assert_eq!(eneabba.with.len(), 1);
    assert_eq!(eneabba.with[0].as_str(), "eneabba-feed");
    assert!(eneabba.added.value() > Decimal::ZERO);
    // Both must deliver: the joint chance is below either's.
    let alone = analysis.delivery(2030..=2030).unwrap();
    let p = |id: &str| {
        alone
            .iter()
            .find(|a| a.facility.as_str() == id)
            .unwrap()
            .probability_by_year[0]
            .probability
    };
    assert!(eneabba.probability < p("iluka-eneabba"));
    assert!(eneabba.probability < p("eneabba-feed"));
}

#[test]
fn a_format_1_heavy_chain_is_measured_in_its_own_unit() {
    // rare-earths-2024 lists NdPr, Dy and Tb plants; a Dy chain counts only its Dy plants.
    let r = risk("rare-earths-2024", "Dy:oxide");
    let separation = r
        .stages
        .iter()
        .find(|s| s.stage == Stage::Separation)
        .unwrap();
    assert_eq!(separation.unit.to_string(), "Dy:oxide");
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

#[test]
fn a_contained_target_is_counted_in_element_tonnes() {
    let r = risk("rare-earths-2025", "NdPr:oxide@contained");
    let separation = r
        .stages
        .iter()
        .find(|s| s.stage == Stage::Separation)
        .unwrap();
    assert_eq!(separation.unit.to_string(), "NdPr:oxide@contained");
}

#[test]
fn losses_keep_the_scenarios_exclusions() {
    let analysis = Analysis::embedded("rare-earths-2025").unwrap();
    let ndpr: Commodity = "NdPr:oxide".parse().unwrap();
    let without_mp = Scenario {
        exclude_facilities: ["mp-separation".parse().unwrap()].into(),
        ..Scenario::default()
    };
    let r = analysis.risk(&ndpr, &without_mp).unwrap();
    assert!(
        r.facilities
            .iter()
            .all(|f| f.facility.as_str() != "mp-separation")
    );
    // No plant's loss exceeds what the scenario delivers.
    assert!(r.facilities.iter().all(|f| f.loss <= r.deliverable));
}

#[test]
fn without_governance_nothing_is_weighted_and_the_eu_risk_says_why() {
    let analysis = Analysis::embedded("rare-earths-2025")
        .unwrap()
        .with_governance(midstream::risk::GovernanceTable::default());
    let dy: Commodity = "Dy:oxide".parse().unwrap();
    let r = analysis.risk(&dy, &Scenario::baseline()).unwrap();
    assert!(r.stages.iter().all(|s| s.governance_weighted.is_none()));
    assert!(r.eu.is_empty());
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("EU supply risk of Dy is not computed")),
        "{:?}",
        r.notes
    );
}
