//! The outlook as a supply-demand balance: demand cases, the view outside one country, the
//! sampling error, and draws that depend on neither record order nor threads.

use midstream::prelude::*;
use midstream::{Analysis, CommonCause, OutlookOptions};
use serde_json::{Value, json};

fn t(s: &str) -> Tonnes {
    s.parse().unwrap()
}

/// A format-2 chain: an Australian mine (1,000 t REO, 20 % NdPr oxide) feeding a Malaysian
/// separator (500 t of feed) and a Chinese one (400 t); a US separator under construction
/// (300 t of feed, first production mid-2027); NdPr demand in two cases, 2025 and 2030.
fn chain() -> Value {
    let sep = |id: &str, country: &str, maturity: &str, feed: &str| {
        json!({"id": id, "name": id, "country": country, "stage": "separation",
               "maturity": maturity,
               "process": {"kind": "separation", "feed": "REO:concentrate",
                           "products": ["NdPr:oxide"], "recovery": "1"},
               "capacities": [{"commodity": "REO:concentrate", "tonnes_per_year": feed,
                               "basis": "nameplate"}]})
    };
    let mut us = sep("us-sep", "US", "construction", "300");
    us["milestones"] =
        json!([{"kind": "first_production", "date": "2027-06-30", "status": "planned"}]);
    let demand = |id: &str, case: &str, year: i32, tonnes: &str| {
        json!({"id": id, "buyer": "World", "commodity": "NdPr:oxide",
               "tonnes_per_year": tonnes, "year": year, "case": case})
    };
    json!({
        "format_version": 2, "name": "balance", "as_of": "2025-12-31",
        "compositions": [{"id": "ore", "name": "Ore", "shares": {"Nd": "0.15", "Pr": "0.05"},
                          "other": "0.8"}],
        "facilities": [
            {"id": "mine", "name": "Mine", "country": "AU", "stage": "mining",
             "maturity": "operating", "process": {"kind": "extraction", "composition": "ore"},
             "capacities": [{"commodity": "REO:concentrate", "tonnes_per_year": "1000",
                             "basis": "output", "year": 2025}]},
            sep("my-sep", "MY", "operating", "500"),
            sep("cn-sep", "CN", "operating", "400"),
            us
        ],
        "demand": [
            demand("low-2025", "low", 2025, "150"), demand("low-2030", "low", 2030, "200"),
            demand("high-2025", "high", 2025, "190"), demand("high-2030", "high", 2030, "290")
        ]
    })
}

fn analysis_of(v: &Value) -> Analysis {
    Analysis::new(
        Dataset::from_json_str(&v.to_string())
            .unwrap()
            .validate()
            .unwrap(),
    )
}

fn ndpr() -> Commodity {
    "NdPr:oxide".parse().unwrap()
}

fn options(samples: usize) -> OutlookOptions {
    OutlookOptions {
        samples,
        outside: Some("CN".parse().unwrap()),
        ..OutlookOptions::default()
    }
}

#[test]
fn supply_is_set_against_each_demand_case() {
    let o = analysis_of(&chain())
        .outlook(&ndpr(), 2026..=2030, &options(400))
        .unwrap();
    // Supply is not capped by demand: 900 t of feed x 20 % = 180 t, above the low case.
    assert_eq!(o.years[0].operating_only, t("180"));
    // With the US plant, the mine's 1,000 t bind: 200 t.
    assert_eq!(o.years[4].all_projects, t("200"));
    let cases: Vec<Option<&str>> = o.demand.iter().map(|c| c.case.as_deref()).collect();
    assert_eq!(cases, [Some("high"), Some("low")]);
    let low = &o.demand[1];
    assert_eq!(low.years.len(), 5);
    // Interpolated between 2025 (150 t) and 2030 (200 t).
    assert_eq!(low.years[0].demand, t("160"));
    assert_eq!(low.years[4].demand, t("200"));
    for (case, y) in o
        .demand
        .iter()
        .flat_map(|c| c.years.iter().map(move |y| (c, y)))
    {
        let band = o.years.iter().find(|b| b.year == y.year).unwrap();
        let less = |s: Tonnes| Tonnes::new(s.value() - y.demand.value());
        assert_eq!(y.p10, less(band.p10), "{case:?}");
        assert_eq!(y.p50, less(band.p50), "{case:?}");
        assert_eq!(y.p90, less(band.p90), "{case:?}");
        assert_eq!(y.operating_only, less(band.operating_only), "{case:?}");
        assert_eq!(y.all_projects, less(band.all_projects), "{case:?}");
        // Every draw lies between producing only and every project: coverage is certain or
        // impossible at those ends.
        if band.operating_only >= y.demand {
            assert_eq!(y.covered, Share::ONE, "{case:?} {y:?}");
        }
        if band.all_projects < y.demand {
            assert_eq!(y.covered, Share::ZERO, "{case:?} {y:?}");
        }
    }
    // The high case in 2030 (290 t) is out of reach even with the US plant (200 t).
    assert_eq!(o.demand[0].years[4].covered, Share::ZERO);
    assert_eq!(o.demand[0].years[4].all_projects, t("-90"));
    // The low case in 2030 (200 t) is met only when the US plant delivers: coverage is its
    // probability of delivering by 2030, strictly between 0 and 1.
    let covered = low.years[4].covered;
    assert!(covered > Share::ZERO && covered < Share::ONE, "{covered:?}");
}

#[test]
fn the_view_outside_a_country_is_its_export_stop() {
    let a = analysis_of(&chain());
    let o = a.outlook(&ndpr(), 2026..=2030, &options(200)).unwrap();
    let outside = o.outside.as_ref().unwrap();
    assert_eq!(outside.country.code(), "CN");
    // Without China's 400 t of feed: Malaysia's 500 t (100 t), and the US plant when it comes.
    assert_eq!(outside.years[0].operating_only, t("100"));
    assert_eq!(outside.years[4].all_projects, t("160"));
    // The same band as a world outlook of the export stop, draw for draw.
    let stop = OutlookOptions {
        samples: 200,
        scenario: Scenario {
            export_stops: ["CN".parse().unwrap()].into(),
            ..Scenario::default()
        },
        ..OutlookOptions::default()
    };
    let by_hand = a.outlook(&ndpr(), 2026..=2030, &stop).unwrap();
    assert_eq!(outside.years, by_hand.years);
    for (w, x) in o.years.iter().zip(&outside.years) {
        assert!(
            x.p10 <= w.p10 && x.p50 <= w.p50 && x.p90 <= w.p90,
            "{w:?} {x:?}"
        );
    }
}

#[test]
fn the_band_depends_on_neither_record_order_nor_threads() {
    let v = chain();
    let mut reversed = v.clone();
    reversed["facilities"].as_array_mut().unwrap().reverse();
    reversed["demand"].as_array_mut().unwrap().reverse();
    let one = OutlookOptions {
        threads: 1,
        ..options(300)
    };
    let two = OutlookOptions {
        threads: 2,
        ..options(300)
    };
    let a = analysis_of(&v).outlook(&ndpr(), 2026..=2031, &one).unwrap();
    let b = analysis_of(&reversed)
        .outlook(&ndpr(), 2026..=2031, &two)
        .unwrap();
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
}

#[test]
fn intervals_contain_their_percentiles_and_narrow_with_samples() {
    let a = analysis_of(&chain());
    let fixed = |samples: usize| OutlookOptions {
        settle: false,
        ..options(samples)
    };
    let small = a.outlook(&ndpr(), 2030..=2030, &fixed(100)).unwrap();
    let large = a.outlook(&ndpr(), 2030..=2030, &fixed(6400)).unwrap();
    assert_eq!((small.samples, small.settled), (100, None));
    for o in [&small, &large] {
        let y = &o.years[0];
        for (p, i) in [
            (y.p10, y.p10_interval),
            (y.p50, y.p50_interval),
            (y.p90, y.p90_interval),
        ] {
            assert!(i.low <= p && p <= i.high, "{y:?}");
        }
    }
    // The standard error of the mean falls as one over the square root of the samples: 64
    // times the samples, an eighth of the error (within the draws' own noise).
    let ratio = small.years[0].expected_error.value() / large.years[0].expected_error.value();
    assert!(
        ratio > Decimal::from(6) && ratio < Decimal::from(10),
        "{ratio}"
    );
    // The US plant delivers by 2030 in most draws: the mean lies within three standard errors
    // of the large run's.
    let gap = (small.years[0].expected.value() - large.years[0].expected.value()).abs();
    assert!(
        gap <= Decimal::from(3) * small.years[0].expected_error.value(),
        "{gap}"
    );
}

/// The headline question on the embedded dataset: world magnet rare-earth supply against the
/// IEA's cases, and outside China.
#[test]
fn magnet_rare_earths_against_the_iea_cases() {
    let a = Analysis::embedded("rare-earths-2025").unwrap();
    let magnet_rees: Commodity = "DyTbNdPr:oxide@contained".parse().unwrap();
    let o = a.outlook(&magnet_rees, 2030..=2030, &options(200)).unwrap();
    let cases: Vec<&str> = o.demand.iter().filter_map(|c| c.case.as_deref()).collect();
    assert_eq!(cases, ["APS", "NZE", "STEPS"]);
    // The composite counts the separated oxides in element tonnes: at least the most NdPr
    // oxide alone (x 0.85, its contained share), at most the sum of each part at its own most.
    let most = |c: &str| {
        let mut m = BalanceModel::build_supply(a.data(), &c.parse().unwrap()).unwrap();
        m.solve(&Scenario {
            year: Some(2030),
            ..Scenario::default()
        })
        .unwrap()
        .deliverable
        .value()
    };
    let contained = |c: &str, e: &str| most(c) * e.parse::<Decimal>().unwrap();
    let world = o.years[0].operating_only.value();
    assert!(world >= contained("NdPr:oxide", "0.85"), "{world}");
    let sum = contained("NdPr:oxide", "0.8536")
        + contained("Dy:oxide", "0.8713")
        + contained("Tb:oxide", "0.8502");
    assert!(world <= sum, "{world} > {sum}");
    // Outside China, a small fraction of it.
    let outside = o.outside.as_ref().unwrap().years[0].operating_only.value();
    assert!(outside < world / Decimal::from(5), "{outside} of {world}");
}

#[test]
fn a_composite_target_needs_every_element_made() {
    let a = analysis_of(&chain());
    let err = a
        .outlook(
            &"DyNdPr:oxide@contained".parse().unwrap(),
            2026..=2026,
            &options(10),
        )
        .unwrap_err();
    assert!(err.to_string().contains("no facility makes Dy"), "{err}");
}

/// Two US projects of one sponsor (200 t of NdPr oxide each, first production 2027) beside a
/// producing Malaysian plant (100 t); demand of 500 t needs both projects, 300 t either one.
fn two_projects() -> Value {
    let sep = |id: &str, country: &str, maturity: &str, feed: &str| {
        let mut f = json!({"id": id, "name": id, "country": country, "stage": "separation",
               "maturity": maturity, "operator": "Sponsor",
               "process": {"kind": "separation", "feed": "REO:concentrate",
                           "products": ["NdPr:oxide"], "recovery": "1"},
               "capacities": [{"commodity": "REO:concentrate", "tonnes_per_year": feed,
                               "basis": "nameplate"}]});
        if maturity != "operating" {
            f["milestones"] =
                json!([{"kind": "first_production", "date": "2027-06-30", "status": "planned"}]);
        }
        f
    };
    let demand = |case: &str, tonnes: &str| {
        json!({"id": case, "buyer": "World", "commodity": "NdPr:oxide",
               "tonnes_per_year": tonnes, "year": 2030, "case": case})
    };
    json!({
        "format_version": 2, "name": "two", "as_of": "2025-12-31",
        "compositions": [{"id": "ore", "name": "Ore", "shares": {"Nd": "0.15", "Pr": "0.05"},
                          "other": "0.8"}],
        "facilities": [
            {"id": "mine", "name": "Mine", "country": "AU", "stage": "mining",
             "maturity": "operating", "process": {"kind": "extraction", "composition": "ore"},
             "capacities": [{"commodity": "REO:concentrate", "tonnes_per_year": "10000",
                             "basis": "nameplate"}]},
            sep("my-sep", "MY", "operating", "500"),
            sep("us-a", "US", "construction", "1000"),
            sep("us-b", "US", "construction", "1000")
        ],
        "demand": [demand("both", "500"), demand("either", "300")]
    })
}

/// Common-cause risk keeps each project's chance and makes them slip together: both deliver
/// more often, at least one less often, and the mean does not move.
#[test]
fn projects_of_one_country_and_sponsor_slip_together() {
    let a = analysis_of(&two_projects());
    let run = |common: CommonCause| {
        a.outlook(
            &ndpr(),
            2030..=2030,
            &OutlookOptions {
                samples: 20_000,
                settle: false,
                common_cause: common,
                ..OutlookOptions::default()
            },
        )
        .unwrap()
    };
    let independent = run(CommonCause::INDEPENDENT);
    let together = run(CommonCause::default());
    let covered = |o: &midstream::Outlook, case: &str| {
        o.demand
            .iter()
            .find(|c| c.case.as_deref() == Some(case))
            .unwrap()
            .years[0]
            .covered
            .value()
    };
    // The chance of each project, from the mean: 100 + 200 (p + p).
    let p = (independent.years[0].expected.value() - Decimal::from(100)) / Decimal::from(400);
    let both = covered(&independent, "both");
    let either = covered(&independent, "either");
    // Independent: both = p², either = 1 − (1 − p)², within sampling error.
    let tolerance: Decimal = "0.015".parse().unwrap();
    assert!((both - p * p).abs() < tolerance, "{both} vs {}", p * p);
    let one_minus = Decimal::ONE - p;
    assert!(
        (either - (Decimal::ONE - one_minus * one_minus)).abs() < tolerance,
        "{either}"
    );
    // Together: both more often, either less often, by far more than sampling error.
    let gap: Decimal = "0.05".parse().unwrap();
    assert!(covered(&together, "both") > both + gap, "{together:?}");
    assert!(covered(&together, "either") < either - gap, "{together:?}");
    // Each project keeps its chance: the means agree within four standard errors.
    let (x, y) = (&independent.years[0], &together.years[0]);
    let se = x.expected_error.value() + y.expected_error.value();
    assert!(
        (x.expected.value() - y.expected.value()).abs() < Decimal::from(4) * se,
        "{x:?} {y:?}"
    );
    // Correlations above 1 in all are refused.
    let err = a
        .outlook(
            &ndpr(),
            2030..=2030,
            &OutlookOptions {
                common_cause: CommonCause {
                    country: Share::new("0.6".parse().unwrap()).unwrap(),
                    sponsor: Share::new("0.5".parse().unwrap()).unwrap(),
                },
                ..OutlookOptions::default()
            },
        )
        .unwrap_err();
    assert!(matches!(err, midstream::Error::CommonCause { .. }), "{err}");
}

/// What drives the band: each project forced on and off on the same draws of the others, and
/// each country's projects together.
#[test]
fn drivers_say_what_each_project_and_country_moves() {
    let a = analysis_of(&two_projects());
    let asked = OutlookOptions {
        samples: 2_000,
        drivers_in: Some(2030),
        outside: Some("US".parse().unwrap()),
        ..OutlookOptions::default()
    };
    let o = a.outlook(&ndpr(), 2029..=2031, &asked).unwrap();
    let d = o.drivers.as_ref().unwrap();
    assert_eq!(d.year, 2030);
    // The mine (2,000 t of NdPr oxide) never binds: each plant adds its 200 t, whatever the other.
    assert_eq!(d.projects.len(), 2);
    for p in &d.projects {
        assert_eq!(
            p.expected_with.value() - p.expected_without.value(),
            Decimal::from(200)
        );
        assert_eq!(
            p.certainty_gain.value(),
            p.expected_with.value() - o.years[1].expected.value()
        );
        assert!(p.probability > Share::ZERO && p.probability < Share::ONE);
        assert_eq!(p.gain_per_million_usd, None);
    }
    assert_eq!(d.projects[0].facility.as_str(), "us-a", "ties by id");
    let us = &d.countries[0];
    assert_eq!((us.country.code(), us.projects), ("US", 2));
    assert_eq!(
        (us.expected_with, us.expected_without),
        (t("500"), t("100"))
    );
    assert_eq!((us.p50_with, us.p50_without), (t("500"), t("100")));
    // Outside the US, the US plants serve only the US: nothing moves there.
    let outside = o.outside.as_ref().unwrap().drivers.as_ref().unwrap();
    assert!(
        outside
            .projects
            .iter()
            .all(|p| p.expected_with == p.expected_without),
        "{outside:?}"
    );
    // Drivers are asked for: none by default, and none in another year.
    let plain = a
        .outlook(
            &ndpr(),
            2029..=2031,
            &OutlookOptions {
                samples: 100,
                ..OutlookOptions::default()
            },
        )
        .unwrap();
    // A view outside a country without facilities is refused, naming it.
    let err = a.outlook(&ndpr(), 2029..=2031, &options(100)).unwrap_err();
    assert!(
        matches!(err, midstream::Error::UnknownOutside { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("China (CN)"), "{err}");
    assert!(plain.drivers.is_none());
    let elsewhere = OutlookOptions {
        drivers_in: Some(2040),
        ..asked
    };
    assert!(
        a.outlook(&ndpr(), 2029..=2031, &elsewhere)
            .unwrap()
            .drivers
            .is_none()
    );
}

/// The band settles: the samples double until no percentile moves, and the band at the
/// settled count does not move when it doubles once more.
#[test]
fn the_band_settles_as_the_samples_double() {
    let a = Analysis::embedded("rare-earths-2025").unwrap();
    let magnet_rees: Commodity = "DyTbNdPr:oxide@contained".parse().unwrap();
    let settled = a
        .outlook(
            &magnet_rees,
            2027..=2031,
            &OutlookOptions {
                samples: 250,
                ..OutlookOptions::default()
            },
        )
        .unwrap();
    assert_eq!(settled.settled, Some(true));
    assert!(settled.samples > 250 && settled.samples <= midstream::MAX_SETTLED_SAMPLES);
    let doubled = a
        .outlook(
            &magnet_rees,
            2027..=2031,
            &OutlookOptions {
                samples: settled.samples * 2,
                settle: false,
                ..OutlookOptions::default()
            },
        )
        .unwrap();
    for (x, y) in settled.years.iter().zip(&doubled.years) {
        for (p, q) in [(x.p10, y.p10), (x.p50, y.p50), (x.p90, y.p90)] {
            let gap = (p.value() - q.value()).abs();
            assert!(
                gap <= (p.value() * midstream::SETTLE_TOLERANCE).max(Decimal::ONE),
                "{x:?} {y:?}"
            );
        }
    }
}

/// Demand: several records of one buyer and year add up before interpolating; a year some
/// buyer of the case does not cover has no total; a report with demand for something nothing
/// makes leaves it out with a sentence.
#[test]
fn demand_totals_are_whole_or_absent() {
    let mut v = chain();
    let record = |id: &str, buyer: &str, year: i32, tonnes: &str| {
        json!({"id": id, "buyer": buyer, "commodity": "NdPr:oxide", "tonnes_per_year": tonnes,
               "year": year, "case": "split"})
    };
    let demand = v["demand"].as_array_mut().unwrap();
    demand.extend([
        // One buyer, two records a year (e.g. by application): 100 + 50 in 2025, 200 + 100 in 2030.
        record("a-2025-1", "Buyer A", 2025, "100"),
        record("a-2025-2", "Buyer A", 2025, "50"),
        record("a-2030-1", "Buyer A", 2030, "200"),
        record("a-2030-2", "Buyer A", 2030, "100"),
        // Another buyer stated only to 2028.
        record("b-2025", "Buyer B", 2025, "10"),
        record("b-2028", "Buyer B", 2028, "10"),
        // Demand for something no facility makes.
        json!({"id": "tb", "buyer": "World", "commodity": "Tb:oxide", "tonnes_per_year": "5",
               "year": 2030}),
    ]);
    let a = analysis_of(&v);
    let ndpr = ndpr();
    let d = |year: i32| midstream::graph::stated_demand(a.data(), &ndpr, Some("split"), year);
    // 2026: A interpolates 150 -> 300 (180), B 10.
    assert_eq!(d(2026), Some(t("190")));
    // 2029: B has no figure: no total, rather than A's alone.
    assert_eq!(d(2029), None);
    // The chain's products are stated in feed only, so the report has no bottleneck section;
    // its "is there enough" part still covers NdPr oxide, and leaves Tb oxide out with a note.
    let report = a
        .report(&midstream::ReportOptions {
            commodities: Vec::new(),
            outlook_to: 2027,
            outlook: OutlookOptions {
                samples: 50,
                settle: false,
                ..OutlookOptions::default()
            },
            profiles: Vec::new(),
            profile_dataset: None,
        })
        .unwrap();
    assert!(report.bottlenecks.is_empty());
    assert_eq!(report.outlooks.len(), 1);
    assert_eq!(report.outlooks[0].commodity, ndpr);
    assert_eq!(report.notes.len(), 1, "{:?}", report.notes);
    assert!(report.notes[0].contains("Tb:oxide"), "{:?}", report.notes);
    assert!(
        midstream::markdown::report(&report).contains("_The dataset states demand for Tb:oxide")
    );
}

/// A format-2 product stated in feed only (what separators make) has no single-product chain:
/// the bottleneck and a scenario still answer, from the material balance.
#[test]
fn a_product_stated_in_feed_only_is_analysed_on_the_balance() {
    let a = analysis_of(&chain());
    let b = a.bottleneck(&ndpr(), &Scenario::baseline()).unwrap();
    assert!(!b.single_product);
    assert!(b.report.deliverable.is_zero() && b.report.cut.is_empty());
    assert_eq!(b.balance.deliverable, t("180"));
    let stop = Scenario {
        export_stops: ["CN".parse().unwrap()].into(),
        ..Scenario::default()
    };
    let c = a.compare(&ndpr(), &Scenario::baseline(), &stop).unwrap();
    // China's separator (400 t of feed, 80 t of NdPr oxide) no longer serves buyers abroad.
    assert_eq!(c.deliverable_change, t("-80"));
    assert!(midstream::markdown::bottleneck(&b).contains("## NdPr:oxide in 2025"));
}

/// Input uncertainty: a capacity with a stated range is drawn at its low end, its figure or
/// its high end (extended Pearson–Tukey: 0.185, 0.63, 0.185), and the band carries it.
#[test]
fn a_stated_capacity_range_widens_the_band() {
    let mut v = chain();
    // Malaysia's separator: 500 t of feed, stated as 400 to 600 t.
    v["facilities"][1]["capacities"][0]["range"] = json!({"low": "400", "high": "600"});
    let a = analysis_of(&v);
    let o = a
        .outlook(
            &ndpr(),
            2026..=2026,
            &OutlookOptions {
                samples: 4_000,
                settle: false,
                ..OutlookOptions::default()
            },
        )
        .unwrap();
    let y = &o.years[0];
    // 20 % of (400 t in China + 400, 500 or 600 t in Malaysia).
    assert_eq!(y.operating_only, t("180"));
    assert_eq!((y.p10, y.p50, y.p90), (t("160"), t("180"), t("200")));
    let mean = y.expected.value();
    assert!(
        (mean - Decimal::from(180)).abs() < Decimal::from(2),
        "{mean}"
    );
    // Without the range, every draw is the figure.
    let plain = analysis_of(&chain())
        .outlook(
            &ndpr(),
            2026..=2026,
            &OutlookOptions {
                samples: 400,
                settle: false,
                ..OutlookOptions::default()
            },
        )
        .unwrap();
    assert_eq!(
        (plain.years[0].p10, plain.years[0].p90),
        (t("180"), t("180"))
    );
    // A range that does not hold its figure is refused, naming the field.
    let mut bad = chain();
    bad["facilities"][1]["capacities"][0]["range"] = json!({"low": "550", "high": "600"});
    let err = Dataset::from_json_str(&bad.to_string())
        .unwrap()
        .validate()
        .unwrap_err();
    assert!(err.to_string().contains("capacities[0].range"), "{err}");
    assert!(err.to_string().contains("range_outside_figure"), "{err}");
}
