//! Checks of `rare-earths-2025` against the publications its figures come from: a drifted total,
//! a missing source or basis, a project without a date, or a headline figure out of line with
//! the IEA makes a test fail.

use std::collections::BTreeMap;

use midstream_data::load;
use midstream_domain::{CapacityBasis, Commodity, Country, Stage, ValidDataset};
use midstream_graph::{BalanceModel, BalanceReport, Scenario};
use rust_decimal::Decimal;

fn data() -> ValidDataset {
    load("rare-earths-2025").unwrap_or_else(|e| panic!("{e}"))
}

fn country(s: &str) -> Country {
    s.parse().unwrap()
}

fn f64_of(d: Decimal) -> f64 {
    d.to_string().parse().unwrap()
}

fn balance(data: &ValidDataset, target: &str, year: i32) -> BalanceReport {
    solve(
        data,
        target,
        &Scenario {
            year: Some(year),
            ..Scenario::default()
        },
    )
}

fn solve(data: &ValidDataset, target: &str, scenario: &Scenario) -> BalanceReport {
    BalanceModel::build(data, &target.parse().unwrap())
        .unwrap()
        .solve(scenario)
        .unwrap()
}

/// USGS Mineral Commodity Summaries 2026, Rare Earths, world mine production, 2025 estimated,
/// t REO, typed here from the publication (not read from the dataset).
const USGS_2025: &[(&str, u32)] = &[
    ("US", 51_000),
    ("AU", 29_000),
    ("BR", 2_000),
    ("MM", 22_000),
    ("CN", 270_000),
    ("IN", 2_900),
    ("MG", 2_700),
    ("MY", 110),
    ("NG", 1_500),
    ("RU", 2_600),
    ("TH", 4_800),
    ("VN", 150),
];
/// The same table's "Other countries" row (no country, so no facility) and its rounded world
/// total.
const USGS_OTHER_2025: u32 = 550;
const USGS_WORLD_2025: u32 = 390_000;

/// Mine production by country in 2025, from the dataset's producing mines.
fn mining_2025(data: &ValidDataset) -> BTreeMap<Country, f64> {
    let reo: Commodity = "REO:concentrate".parse().unwrap();
    let mut by_country = BTreeMap::new();
    for f in data.facilities.iter().filter(|f| f.stage == Stage::Mining) {
        if !f.maturity.is_producing() {
            continue;
        }
        if let Some(c) = f.capacity(&reo) {
            *by_country.entry(f.country).or_insert(0.0) += f64_of(c.in_year(2025).value());
        }
    }
    by_country
}

#[test]
fn mine_production_matches_usgs_by_country_and_in_total() {
    let data = data();
    let mined = mining_2025(&data);
    assert_eq!(mined.len(), USGS_2025.len(), "{mined:?}");
    for (code, usgs) in USGS_2025 {
        let ours = mined.get(&country(code)).copied().unwrap_or(0.0);
        let usgs = f64::from(*usgs);
        // MP Materials' reported 50,692 t stands for the US (USGS: 51,000, rounded); every
        // other row is the USGS figure itself.
        assert!(
            (ours - usgs).abs() <= 0.01 * usgs,
            "{code}: {ours} t against USGS {usgs} t"
        );
    }
    let total: f64 = mined.values().sum::<f64>() + f64::from(USGS_OTHER_2025);
    // USGS rounds the world total to two significant figures.
    assert!(
        (total - f64::from(USGS_WORLD_2025)).abs() <= 5_000.0,
        "{total} t against USGS's {USGS_WORLD_2025} t"
    );
}

#[test]
fn china_is_split_into_its_published_quotas() {
    let data = data();
    let reo: Commodity = "REO:concentrate".parse().unwrap();
    let cap = |id: &str| data.facility(id).unwrap().capacity(&reo).unwrap().clone();
    let rock = cap("cn-mining-rock");
    let ionic = cap("cn-mining-ionic");
    let separation = cap("cn-separation-quota");
    // 2024 mining quota 270,000 t (MIIT); ionic 19,100 t (2023, the latest published split);
    // 2024 smelting and separation quota 254,000 t.
    assert_eq!(
        rock.tonnes_per_year.value() + ionic.tonnes_per_year.value(),
        270_000.into()
    );
    assert_eq!(ionic.tonnes_per_year.value(), 19_100.into());
    assert_eq!(separation.tonnes_per_year.value(), 254_000.into());
    for c in [&rock, &ionic, &separation] {
        assert_eq!(c.basis, Some(CapacityBasis::Quota));
    }
    // The rock figure is an estimate and says how it was made.
    assert!(rock.estimate.is_some());
}

#[test]
fn every_composition_sums_to_one_and_every_capacity_states_basis_and_source() {
    let data = data();
    assert!(data.compositions.len() >= 6);
    for c in &data.compositions {
        assert_eq!(c.total(), Some(Decimal::ONE), "composition {}", c.id);
        assert!(c.source.is_some(), "composition {} has no source", c.id);
        assert!(
            c.note.is_some(),
            "composition {} does not say how it was made",
            c.id
        );
    }
    for f in &data.facilities {
        assert!(!f.sources.is_empty(), "{} has no source", f.id);
        for c in &f.capacities {
            let basis = c
                .basis
                .unwrap_or_else(|| panic!("{} {}: no basis", f.id, c.commodity));
            if basis.is_yearly() {
                assert!(c.year.is_some(), "{} {}: no year", f.id, c.commodity);
            }
            assert!(c.source.is_some(), "{} {}: no source", f.id, c.commodity);
        }
    }
    for s in &data.sources {
        assert!(s.url.is_some(), "source {} has no URL", s.id);
    }
}

/// Projects without a dated milestone, each for a stated reason.
const UNDATED: &[(&str, &str)] = &[
    ("nolans-mine", "final investment decision"),
    ("nolans-separation", "final investment decision"),
    ("lynas-seadrift", "unlikely to"),
];

#[test]
fn every_project_has_a_dated_milestone_or_says_why_not() {
    let data = data();
    let projects: Vec<_> = data
        .facilities
        .iter()
        .filter(|f| f.maturity.is_project())
        .collect();
    assert!(projects.len() >= 10, "{}", projects.len());
    for f in projects {
        let dated = f.milestones.iter().any(|m| {
            m.status == midstream_domain::MilestoneStatus::Planned
                && m.date.to_string().as_str() > "2025-12-31"
        });
        match UNDATED.iter().find(|(id, _)| *id == f.id.as_str()) {
            Some((_, reason)) => {
                assert!(!dated, "{} is dated now: take it off the list", f.id);
                let note = f.note.as_deref().unwrap_or_default();
                assert!(
                    note.contains(reason),
                    "{}: the note does not say {reason:?}",
                    f.id
                );
            }
            None => assert!(dated, "{} ({}) has no planned milestone", f.id, f.maturity),
        }
    }
}

#[test]
fn projects_sit_at_their_true_maturity() {
    let data = data();
    let maturity = |id: &str| data.facility(id).unwrap().maturity.to_string();
    // Energy Fuels' Phase 2: a feasibility study, permit expected mid-2027, commissioning 2029.
    assert_eq!(maturity("white-mesa-phase2"), "studies");
    assert_eq!(maturity("iluka-eneabba"), "construction");
    assert_eq!(maturity("nolans-separation"), "studies");
    // An aim is not capacity: Solvay's 4,500 t of NdPr by 2030 is recorded as an aim only.
    let solvay = data.facility("solvay-la-rochelle").unwrap();
    let ndpr: Commodity = "NdPr:oxide".parse().unwrap();
    assert!(solvay.capacity(&ndpr).is_none());
    assert_eq!(solvay.aim.as_ref().map(|a| a.commodity), Some(ndpr));
}

/// IEA Critical Minerals Dataset 2025: China's share of magnet rare-earth refining in 2024,
/// 73.76 of 80.81 kt (the IEA's "91 %").
const IEA_CHINA_REFINING_SHARE_2024: f64 = 73.76 / 80.81;

#[test]
fn ndpr_supply_and_chinas_share_are_in_line_with_the_iea() {
    let data = data();
    let r = balance(&data, "NdPr:oxide", 2025);
    let world = f64_of(r.deliverable.value());
    // IEA: 80.8 kt of magnet rare earths (Nd, Pr, Dy, Tb as elements) refined in 2024, about
    // 94 kt as oxides; NdPr oxide is most of it. Separation recovery is recorded as 1 (an
    // upper bound), so the dataset may stand somewhat above.
    assert!((85_000.0..=115_000.0).contains(&world), "{world} t");
    // NdPr oxide separated outside China: what is left when China's plants are taken out
    // (the feeds of the separators outside China do not pass through China).
    let outside = solve(
        &data,
        "NdPr:oxide",
        &Scenario {
            year: Some(2025),
            exclude_countries: [country("CN")].into(),
            ..Scenario::default()
        },
    );
    let outside = f64_of(outside.deliverable.value());
    let china_share = 1.0 - outside / world;
    assert!(
        (china_share - IEA_CHINA_REFINING_SHARE_2024).abs() <= 0.03,
        "China's share {china_share:.3} against the IEA's {IEA_CHINA_REFINING_SHARE_2024:.3}"
    );
}

#[test]
fn trade_runs_the_real_way_mountain_pass_ships_to_china_in_2024_not_2025() {
    let data = data();
    let link = |r: &BalanceReport| {
        r.links
            .iter()
            .find(|l| l.of.contains("mountain-pass-to-china"))
            .map(|l| (f64_of(l.least.value()), f64_of(l.most.value())))
    };
    let r2024 = balance(&data, "NdPr:oxide", 2024);
    let (least, _) = link(&r2024).expect("the link is shown in 2024");
    // Every optimal flow of 2024 sends Mountain Pass concentrate to China.
    assert!(least > 20_000.0, "{least} t");
    let r2025 = balance(&data, "NdPr:oxide", 2025);
    if let Some((_, most)) = link(&r2025) {
        assert!(most.abs() < 0.5, "{most} t in 2025");
    }
    // And China's mines never feed US separators: the domestic ore is tied to the quota.
    let us_sep = r2025
        .stages
        .iter()
        .find(|s| s.stage == Stage::Separation && s.country == Some(country("US")))
        .unwrap();
    assert!(f64_of(us_sep.most.value()) <= 2_599.0 + 0.5, "{us_sep:?}");
}

#[test]
fn heavy_rare_earths_are_tied_to_the_ionic_clays_and_recycling() {
    let data = data();
    let r = balance(&data, "Dy:oxide", 2025);
    let dy = f64_of(r.deliverable.value());
    // China recovers 710 t of Dy oxide from scrap (Argus, 2024); the rest comes from the ionic
    // clays of southern China and Myanmar.
    assert!(dy > 710.0, "{dy} t");
    let without_myanmar = solve(
        &data,
        "Dy:oxide",
        &Scenario {
            year: Some(2025),
            exclude_countries: [country("MM")].into(),
            ..Scenario::default()
        },
    );
    let lost = dy - f64_of(without_myanmar.deliverable.value());
    // Myanmar's 22,000 t at 6.7 % Dy oxide.
    assert!((lost - 22_000.0 * 0.067).abs() < 1.0, "{lost} t");
}

/// Argus (Viewpoint, 2025) figures for China in 2024, typed from the publication: Pr-Nd metal
/// consumption and output, NdFeB output, Dy and Tb oxide output.
const ARGUS_CN_2024_PRND_METAL_USE: f64 = 80_000.0;
const ARGUS_CN_2024_PRND_METAL: f64 = 88_000.0;
const ARGUS_CN_2024_NDFEB: f64 = 300_000.0;
const ARGUS_CN_2024_DY_OXIDE: f64 = 3_500.0;
const ARGUS_CN_2024_TB_OXIDE: f64 = 650.0;

#[test]
fn the_magnet_recipe_is_argus_chinas_2024_ratios() {
    let data = data();
    let magnets = data.facility("cn-magnets").unwrap();
    let Some(midstream_domain::Process::Recipe { inputs }) = &magnets.process else {
        panic!("cn-magnets makes magnets by recipe");
    };
    let per = |c: &str| {
        let c: Commodity = c.parse().unwrap();
        f64_of(
            inputs
                .iter()
                .find(|i| i.commodity == c)
                .unwrap()
                .tonnes_per_tonne,
        )
    };
    let close = |ours: f64, theirs: f64| (ours - theirs).abs() <= 0.002 * theirs;
    assert!(close(
        per("NdPr:metal"),
        ARGUS_CN_2024_PRND_METAL_USE / ARGUS_CN_2024_NDFEB
    ));
    assert!(close(
        per("Dy:oxide"),
        ARGUS_CN_2024_DY_OXIDE / ARGUS_CN_2024_NDFEB
    ));
    assert!(close(
        per("Tb:oxide"),
        ARGUS_CN_2024_TB_OXIDE / ARGUS_CN_2024_NDFEB
    ));
    // Every magnet maker uses the one recipe.
    for f in data
        .facilities
        .iter()
        .filter(|f| f.stage == Stage::Manufacturing)
    {
        assert_eq!(f.process, magnets.process, "{}", f.id);
    }
}

#[test]
fn china_makes_the_metal_and_the_magnets() {
    let data = data();
    let metal = balance(&data, "NdPr:metal", 2025);
    let world = f64_of(metal.deliverable.value());
    // China's metal is limited by its NdPr oxide: below Argus's 88,000 t of 2024 output, and
    // not far below.
    assert!(
        (0.8 * ARGUS_CN_2024_PRND_METAL..=ARGUS_CN_2024_PRND_METAL + 1_000.0).contains(&world),
        "{world} t"
    );
    let china = metal
        .stages
        .iter()
        .find(|s| s.stage == Stage::MetalRefining && s.country == Some(country("CN")))
        .unwrap();
    assert!(f64_of(china.least.value()) / world > 0.99, "{china:?}");
    let magnets = balance(&data, "NdPr:magnet", 2025);
    let made = f64_of(magnets.deliverable.value());
    assert!((0.9 * ARGUS_CN_2024_NDFEB..=ARGUS_CN_2024_NDFEB + 5_000.0).contains(&made));
    // Outside China, magnet makers need Dy oxide that only China separates in this dataset:
    // with China's exports stopped, none are made.
    let stopped = solve(
        &data,
        "NdPr:magnet",
        &Scenario {
            year: Some(2025),
            export_stops: [country("CN")].into(),
            ..Scenario::default()
        },
    );
    assert!(stopped.deliverable.is_zero(), "{:?}", stopped.deliverable);
}
