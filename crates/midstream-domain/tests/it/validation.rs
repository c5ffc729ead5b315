//! One test per validation rule: the rule fires, alone, naming the record and the field.

use midstream_domain::{Rule, Section, Severity};
use serde_json::json;

use crate::fixtures::{base, check, load, set};

use Section::{Dataset, Demand, Facilities, Links, Perspective, Sources};
use Severity::{Error, Warning};

#[test]
fn the_fixture_is_clean() {
    let issues = load(&base()).check();
    assert!(issues.is_empty(), "{issues:#?}");
    let valid = load(&base()).validate().unwrap();
    assert!(valid.warnings().is_empty());
    assert_eq!(
        valid.facility("sep").map(|f| f.name.as_str()),
        Some("Example separator")
    );
    assert!(valid.facility("nowhere").is_none());
}

#[test]
fn unsupported_format_version() {
    check(
        |v| set(v, "/format_version", json!(3)),
        Rule::UnsupportedFormatVersion,
        Error,
        Dataset,
        None,
        "format_version",
    );
}

#[test]
fn empty_text() {
    check(
        |v| set(v, "/facilities/1/name", json!("  ")),
        Rule::EmptyText,
        Error,
        Facilities,
        Some("sep"),
        "name",
    );
    check(
        |v| set(v, "/facilities/1/offtakes/0/buyer", json!("")),
        Rule::EmptyText,
        Error,
        Facilities,
        Some("sep"),
        "offtakes[0].buyer",
    );
}

#[test]
fn duplicate_id() {
    let issue = check(
        |v| set(v, "/facilities/2/id", json!("mine")),
        Rule::DuplicateId,
        Error,
        Facilities,
        Some("mine"),
        "id",
    );
    assert_eq!(issue.location.index, Some(2));
    assert!(issue.message.contains("facilities[0]"), "{issue}");
}

#[test]
fn unknown_source() {
    check(
        |v| v["facilities"][1]["capacities"][0]["source"] = json!("s-missing"),
        Rule::UnknownSource,
        Error,
        Facilities,
        Some("sep"),
        "capacities[0].source",
    );
    check(
        |v| set(v, "/demand/0/source", json!("s-missing")),
        Rule::UnknownSource,
        Error,
        Demand,
        Some("us-2025"),
        "source",
    );
}

#[test]
fn unknown_facility() {
    let issue = check(
        |v| set(v, "/links/1/to", json!("nowhere")),
        Rule::UnknownFacility,
        Error,
        Links,
        Some("sep-magnets"),
        "to",
    );
    assert!(issue.message.contains("nowhere"), "{issue}");
}

#[test]
fn self_link() {
    check(
        |v| set(v, "/links/1/to", json!("sep")),
        Rule::SelfLink,
        Error,
        Links,
        Some("sep-magnets"),
        "to",
    );
}

#[test]
fn stages_cannot_feed() {
    let issue = check(
        |v| {
            set(v, "/links/1/from", json!("magnets"));
            set(v, "/links/1/to", json!("sep"));
        },
        Rule::StagesCannotFeed,
        Error,
        Links,
        Some("sep-magnets"),
        "to",
    );
    assert!(issue.message.contains("manufacturing"), "{issue}");
}

#[test]
fn link_commodity_not_produced() {
    check(
        |v| set(v, "/links/0/commodity", json!("Dy:oxide")),
        Rule::LinkCommodityNotProduced,
        Error,
        Links,
        Some("mine-sep"),
        "commodity",
    );
}

#[test]
fn negative_quantity() {
    check(
        |v| set(v, "/demand/0/tonnes_per_year", json!("-1")),
        Rule::NegativeQuantity,
        Error,
        Demand,
        Some("us-2025"),
        "tonnes_per_year",
    );
    check(
        |v| set(v, "/facilities/2/financing/0/amount", json!(-5)),
        Rule::NegativeQuantity,
        Error,
        Facilities,
        Some("project"),
        "financing[0].amount",
    );
    check(
        |v| set(v, "/links/1/tonnes_per_year", json!("-0.5")),
        Rule::NegativeQuantity,
        Error,
        Links,
        Some("sep-magnets"),
        "tonnes_per_year",
    );
}

#[test]
fn non_positive_capacity() {
    for bad in ["0", "-10"] {
        check(
            |v| {
                set(v, "/facilities/2/capacities/0/tonnes_per_year", json!(bad));
                set(v, "/facilities/2/capacities/0/ramp", json!([]));
            },
            Rule::NonPositiveCapacity,
            Error,
            Facilities,
            Some("project"),
            "capacities[0].tonnes_per_year",
        );
    }
}

#[test]
fn duplicate_capacity() {
    check(
        |v| {
            let cap = v.pointer("/facilities/2/capacities/0").unwrap().clone();
            v.pointer_mut("/facilities/2/capacities")
                .unwrap()
                .as_array_mut()
                .unwrap()
                .push(cap);
        },
        Rule::DuplicateCapacity,
        Error,
        Facilities,
        Some("project"),
        "capacities[1].commodity",
    );
}

#[test]
fn ramp_not_increasing() {
    check(
        |v| set(v, "/facilities/2/capacities/0/ramp/1/year", json!(2028)),
        Rule::RampNotIncreasing,
        Error,
        Facilities,
        Some("project"),
        "capacities[0].ramp[1].year",
    );
}

#[test]
fn ramp_above_nameplate() {
    check(
        |v| {
            set(
                v,
                "/facilities/2/capacities/0/ramp/1/tonnes",
                json!("500.1"),
            );
        },
        Rule::RampAboveNameplate,
        Error,
        Facilities,
        Some("project"),
        "capacities[0].ramp[1].tonnes",
    );
}

#[test]
fn year_out_of_range() {
    check(
        |v| set(v, "/demand/0/year", json!(20250)),
        Rule::YearOutOfRange,
        Error,
        Demand,
        Some("us-2025"),
        "year",
    );
    check(
        |v| set(v, "/sources/0/year", json!(1066)),
        Rule::YearOutOfRange,
        Error,
        Sources,
        Some("s-report"),
        "year",
    );
}

#[test]
fn milestones_out_of_order() {
    let issue = check(
        |v| set(v, "/facilities/1/milestones/1/date", json!("2018-01-01")),
        Rule::MilestonesOutOfOrder,
        Error,
        Facilities,
        Some("sep"),
        "milestones[1].date",
    );
    assert!(issue.message.contains("2018-01-01"), "{issue}");
}

#[test]
fn milestones_out_of_order_within_a_chain_only() {
    // Same kind twice does not hide an inversion against the rest of the chain.
    let mut v = base();
    v["facilities"][1]["milestones"] = json!([
        {"kind": "construction_start", "date": "2019-03-01", "status": "achieved"},
        {"kind": "construction_start", "date": "2017-03-01", "status": "achieved"},
        {"kind": "first_production", "date": "2018-06-01", "status": "achieved"}
    ]);
    let issues = load(&v).check();
    assert_eq!(issues.len(), 1, "{issues:#?}");
    assert_eq!(issues[0].location.field, "milestones[2].date");
    assert!(
        issues[0].message.contains("first_production on 2018-06-01"),
        "{}",
        issues[0]
    );
    // Kinds outside a chain may come in any order: a letter of interest after the feasibility
    // study, a permit before it.
    let mut v = base();
    v["facilities"][2]["milestones"] = json!([
        {"kind": "feasibility_study", "date": "2023-01-01", "status": "achieved"},
        {"kind": "permit_granted", "date": "2022-01-01", "status": "achieved"},
        {"kind": "letter_of_interest", "date": "2024-11-01", "status": "achieved"},
        {"kind": "announced", "date": "2024-12-01", "status": "achieved"}
    ]);
    assert!(load(&v).check().is_empty());
}

#[test]
fn dates_out_of_range() {
    check(
        |v| set(v, "/facilities/1/milestones/0/date", json!("1850-01-01")),
        Rule::YearOutOfRange,
        Error,
        Facilities,
        Some("sep"),
        "milestones[0].date",
    );
    check(
        |v| set(v, "/facilities/2/financing/0/date", json!("2200-01-01")),
        Rule::YearOutOfRange,
        Error,
        Facilities,
        Some("project"),
        "financing[0].date",
    );
    check(
        |v| set(v, "/facilities/1/offtakes/0/end", json!("2101-01-01")),
        Rule::YearOutOfRange,
        Error,
        Facilities,
        Some("sep"),
        "offtakes[0].end",
    );
}

#[test]
fn issues_come_in_dataset_order() {
    let mut v = base();
    set(&mut v, "/sources/1/id", json!("s-report")); // duplicate source id (sources[1])
    set(&mut v, "/demand/0/year", json!(3000)); // demand[0]
    set(&mut v, "/facilities/2/id", json!("mine")); // duplicate facility id (facilities[2])
    let issues = load(&v).check();
    let places: Vec<String> = issues
        .iter()
        .filter(|i| i.severity == Error)
        .map(|i| i.location.to_string())
        .collect();
    assert_eq!(
        places,
        vec![
            "perspective.alignments[0].source (record \"AU\")",
            "sources[1].id (record \"s-report\")",
            "facilities[2].id (record \"mine\")",
            "demand[0].year (record \"us-2025\")",
        ]
    );
}

#[test]
fn achieved_after_as_of() {
    check(
        |v| set(v, "/facilities/2/milestones/1/status", json!("achieved")),
        Rule::AchievedAfterAsOf,
        Error,
        Facilities,
        Some("project"),
        "milestones[1].date",
    );
}

#[test]
fn producing_without_capacity() {
    check(
        |v| set(v, "/facilities/3/maturity", json!("commissioning")),
        Rule::ProducingWithoutCapacity,
        Error,
        Facilities,
        Some("magnets"),
        "capacities",
    );
}

#[test]
fn offtake_not_produced() {
    check(
        |v| set(v, "/facilities/1/offtakes/1/commodity", json!("NdPr:metal")),
        Rule::OfftakeNotProduced,
        Error,
        Facilities,
        Some("sep"),
        "offtakes[1].commodity",
    );
}

#[test]
fn binding_offtake_over_capacity_is_an_error() {
    let issue = check(
        |v| set(v, "/facilities/1/offtakes/0/tonnes_per_year", json!("201")),
        Rule::OfftakeOverCapacity,
        Error,
        Facilities,
        Some("sep"),
        "offtakes",
    );
    assert!(issue.message.contains("201"), "{issue}");
}

#[test]
fn non_binding_offtake_over_capacity_is_a_warning() {
    check(
        |v| set(v, "/facilities/1/offtakes/1/tonnes_per_year", json!("81")),
        Rule::OfftakeOverCapacity,
        Warning,
        Facilities,
        Some("sep"),
        "offtakes",
    );
    // Offtakes whose terms do not overlap do not add up.
    let mut v = base();
    set(
        &mut v,
        "/facilities/1/offtakes/1/tonnes_per_year",
        json!("200"),
    );
    v["facilities"][1]["offtakes"][1]["start"] = json!("2029-01-01");
    assert!(load(&v).check().is_empty());
}

#[test]
fn term_ends_before_start() {
    check(
        |v| set(v, "/facilities/1/offtakes/0/end", json!("2023-12-31")),
        Rule::TermEndsBeforeStart,
        Error,
        Facilities,
        Some("sep"),
        "offtakes[0].end",
    );
}

#[test]
fn derived_mismatch() {
    let issue = check(
        |v| {
            set(
                v,
                "/facilities/0/capacities/1/tonnes_per_year",
                json!("246"),
            );
        },
        Rule::DerivedMismatch,
        Error,
        Facilities,
        Some("mine"),
        "capacities[1].derived.factor",
    );
    assert!(issue.message.contains("245"), "{issue}");
    // Stated to one decimal, the derived figure must match to one decimal.
    let mut v = base();
    set(
        &mut v,
        "/facilities/0/capacities/1/derived/factor",
        json!("0.24537"),
    );
    set(
        &mut v,
        "/facilities/0/capacities/1/tonnes_per_year",
        json!("245.4"),
    );
    assert!(load(&v).check().is_empty());
    check(
        |v| {
            set(
                v,
                "/facilities/0/capacities/1/derived/from",
                json!("REO:ore"),
            );
        },
        Rule::DerivedMismatch,
        Error,
        Facilities,
        Some("mine"),
        "capacities[1].derived.from",
    );
    check(
        |v| {
            set(
                v,
                "/facilities/0/capacities/1/derived/from",
                json!("NdPr:oxide"),
            );
        },
        Rule::DerivedMismatch,
        Error,
        Facilities,
        Some("mine"),
        "capacities[1].derived.from",
    );
}

#[test]
fn derivation_cycles() {
    // REO derived from NdPr, NdPr derived from REO: a cycle, reported on both capacities.
    let mut v = base();
    v["facilities"][0]["capacities"][0]["derived"] =
        json!({"from": "NdPr:oxide", "factor": "4.081632653"});
    let issues = load(&v).check();
    let cycles: Vec<&str> = issues
        .iter()
        .filter(|i| i.rule == Rule::DerivedMismatch && i.message.contains("derived from itself"))
        .map(|i| i.location.field.as_str())
        .collect();
    assert_eq!(
        cycles,
        vec!["capacities[0].derived.from", "capacities[1].derived.from"]
    );
}

#[test]
fn non_positive_factor() {
    for bad in ["-0.245", "0"] {
        check(
            |v| set(v, "/facilities/0/capacities/1/derived/factor", json!(bad)),
            Rule::NonPositiveFactor,
            Error,
            Facilities,
            Some("mine"),
            "capacities[1].derived.factor",
        );
    }
}

#[test]
fn duplicate_alignment() {
    check(
        |v| set(v, "/perspective/alignments/2/country", json!("KZ")),
        Rule::DuplicateAlignment,
        Error,
        Perspective,
        Some("KZ"),
        "alignments[2].country",
    );
}

#[test]
fn unused_source_is_a_warning() {
    let issue = check(
        |v| {
            v["sources"]
                .as_array_mut()
                .unwrap()
                .push(json!({"id": "s-unused", "publisher": "P", "title": "T", "year": 2020}));
        },
        Rule::UnusedSource,
        Warning,
        Sources,
        Some("s-unused"),
        "id",
    );
    assert_eq!(issue.location.index, Some(2));
}

#[test]
fn unsourced_facility_is_a_warning() {
    check(
        |v| set(v, "/facilities/3/sources", json!([])),
        Rule::Unsourced,
        Warning,
        Facilities,
        Some("magnets"),
        "sources",
    );
}

#[test]
fn warnings_do_not_fail_validation_but_travel_with_the_dataset() {
    let mut v = base();
    set(&mut v, "/facilities/3/sources", json!([]));
    let valid = load(&v).validate().unwrap();
    assert_eq!(valid.warnings().len(), 1);
    assert_eq!(valid.warnings()[0].rule, Rule::Unsourced);
}

#[test]
fn several_independent_mistakes_are_reported_together() {
    let mut v = base();
    let edits = [
        ("/facilities/2/id", json!("mine")), // duplicate id
        ("/links/0/to", json!("nowhere")),   // dangling link
        ("/facilities/1/capacities/0/tonnes_per_year", json!("-3")), // negative capacity
        ("/facilities/1/milestones/1/date", json!("2018-01-01")), // out of order
        ("/demand/0/source", json!("s-missing")), // dangling source
    ];
    for (pointer, value) in edits {
        set(&mut v, pointer, value);
    }
    let report = load(&v).validate().unwrap_err();
    let rules: Vec<Rule> = report.errors().map(|i| i.rule).collect();
    for rule in [
        Rule::DuplicateId,
        Rule::UnknownFacility,
        Rule::NonPositiveCapacity,
        Rule::MilestonesOutOfOrder,
        Rule::UnknownSource,
    ] {
        assert!(rules.contains(&rule), "{rule:?} missing from {report}");
    }
    // Negative capacity also breaks the binding offtakes' fit: reported, not hidden.
    assert!(rules.contains(&Rule::OfftakeOverCapacity), "{report}");
    let text = report.to_string();
    assert!(text.starts_with("the dataset has 6 errors and "), "{text}");
    assert!(text.contains("links[0].to (record \"mine-sep\")"), "{text}");
    assert!(
        text.contains("error[duplicate_id] facilities[2].id"),
        "{text}"
    );
}

#[test]
fn issues_serialise_for_machine_readers() {
    let mut v = base();
    set(&mut v, "/links/0/to", json!("nowhere"));
    let issues = load(&v).check();
    let json = serde_json::to_value(&issues).unwrap();
    assert_eq!(json[0]["rule"], "unknown_facility");
    assert_eq!(json[0]["location"]["section"], "links");
    assert_eq!(json[0]["location"]["record"], "mine-sep");
    assert_eq!(json[0]["location"]["field"], "to");
}

#[test]
fn quantity_too_large() {
    let issue = check(
        |v| {
            set(
                v,
                "/facilities/1/capacities/0/tonnes_per_year",
                json!("1000000000001"),
            );
        },
        Rule::QuantityTooLarge,
        Error,
        Facilities,
        Some("sep"),
        "capacities[0].tonnes_per_year",
    );
    assert!(issue.message.contains("1000000000000"), "{issue}");
    check(
        |v| set(v, "/demand/0/tonnes_per_year", json!("5e15")),
        Rule::QuantityTooLarge,
        Error,
        Demand,
        Some("us-2025"),
        "tonnes_per_year",
    );
    // The limit itself is accepted.
    let mut v = base();
    set(&mut v, "/demand/0/tonnes_per_year", json!("1000000000000"));
    assert!(load(&v).check().is_empty());
    assert_eq!(midstream_domain::MAX_TONNES.to_string(), "1000000000000");
}

#[test]
fn no_facilities() {
    let mut v = base();
    set(&mut v, "/facilities", json!([]));
    set(&mut v, "/links", json!([]));
    set(&mut v, "/demand", json!([]));
    set(&mut v, "/perspective", json!(null));
    set(&mut v, "/sources", json!([]));
    let issues = load(&v).check();
    let rules: Vec<Rule> = issues.iter().map(|i| i.rule).collect();
    assert_eq!(rules, vec![Rule::NoFacilities], "{issues:#?}");
    assert_eq!(issues[0].location.section, Facilities);
}

#[test]
fn non_positive_capex() {
    check(
        |v| {
            v["facilities"][2]["capex"] =
                json!({"amount": "0", "year": 2024, "source": "s-report"});
        },
        Rule::NonPositiveCapex,
        Error,
        Facilities,
        Some("project"),
        "capex.amount",
    );
    check(
        |v| v["facilities"][2]["capex"] = json!({"amount": "5000000", "source": "nowhere"}),
        Rule::UnknownSource,
        Error,
        Facilities,
        Some("project"),
        "capex.source",
    );
    check(
        |v| v["facilities"][2]["capex"] = json!({"amount": "5000000", "year": 1800}),
        Rule::YearOutOfRange,
        Error,
        Facilities,
        Some("project"),
        "capex.year",
    );
}
