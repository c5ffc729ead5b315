//! Dataset format 2: the worked example of docs/material-balance.md validates, and each
//! format-2 rule reports its record and field.

use midstream_domain::{Dataset, Rule, Section, Severity};
use serde_json::{Value, json};

use crate::fixtures::{load, set};

/// The worked example (docs/material-balance.md, also the graph crate's LP test).
fn example() -> Value {
    let text = include_str!("../../../../tests/material/worked-example.json");
    serde_json::from_str(text).unwrap()
}

fn one_issue(value: &Value, rule: Rule, section: Section, record: &str, field: &str) {
    let issues = load(value).check();
    assert_eq!(issues.len(), 1, "expected one issue, got: {issues:#?}");
    let issue = &issues[0];
    assert_eq!(
        (issue.rule, issue.severity, issue.location.section),
        (rule, Severity::Error, section),
        "{issue}"
    );
    assert_eq!(issue.location.record.as_deref(), Some(record), "{issue}");
    assert_eq!(issue.location.field, field, "{issue}");
}

#[test]
fn the_worked_example_is_valid_and_round_trips() {
    let data = load(&example());
    assert!(data.check().is_empty(), "{:#?}", data.check());
    let text = serde_json::to_string(&data).unwrap();
    assert_eq!(Dataset::from_json_str(&text).unwrap(), data);
    let valid = data.validate().unwrap();
    assert!(valid.composition("bastnaesite").is_some());
}

#[test]
fn compositions_sum_to_one() {
    let mut v = example();
    set(&mut v, "/compositions/0/other", json!("0.03"));
    one_issue(
        &v,
        Rule::CompositionSum,
        Section::Compositions,
        "bastnaesite",
        "shares",
    );
}

#[test]
fn unknown_composition() {
    let mut v = example();
    set(
        &mut v,
        "/facilities/0/process/composition",
        json!("bayan-obo"),
    );
    one_issue(
        &v,
        Rule::UnknownComposition,
        Section::Facilities,
        "mine-a",
        "process.composition",
    );
}

#[test]
fn process_at_the_wrong_stage() {
    let mut v = example();
    set(&mut v, "/facilities/0/stage", json!("cracking"));
    one_issue(
        &v,
        Rule::ProcessStage,
        Section::Facilities,
        "mine-a",
        "process.kind",
    );
}

#[test]
fn recipe_naming_an_unknown_product() {
    let mut v = example();
    set(
        &mut v,
        "/facilities/5/process/inputs/1/commodity",
        json!("Tb:metal"),
    );
    one_issue(
        &v,
        Rule::UnknownProduct,
        Section::Facilities,
        "magnets",
        "process.inputs[1].commodity",
    );
}

#[test]
fn capacity_outside_the_process() {
    let mut v = example();
    set(
        &mut v,
        "/facilities/3/capacities/0/commodity",
        json!("Tb:oxide"),
    );
    one_issue(
        &v,
        Rule::ProcessCommodity,
        Section::Facilities,
        "sep-y",
        "capacities[0].commodity",
    );
}

#[test]
fn multi_element_reduction_needs_a_mix() {
    let mut v = example();
    v["facilities"][4]["process"]
        .as_object_mut()
        .unwrap()
        .remove("mix");
    one_issue(
        &v,
        Rule::ProcessCommodity,
        Section::Facilities,
        "metal",
        "process.mix",
    );
}

#[test]
fn capacity_basis_and_its_year() {
    let mut v = example();
    v["facilities"][1]["capacities"][0]
        .as_object_mut()
        .unwrap()
        .remove("year");
    one_issue(
        &v,
        Rule::MissingBasis,
        Section::Facilities,
        "mine-b",
        "capacities[0].year",
    );
    let mut v = example();
    v["facilities"][0]["capacities"][0]
        .as_object_mut()
        .unwrap()
        .remove("basis");
    one_issue(
        &v,
        Rule::MissingBasis,
        Section::Facilities,
        "mine-a",
        "capacities[0].basis",
    );
}

#[test]
fn link_floor_above_its_cap() {
    let mut v = example();
    v["links"][0]["min_tonnes_per_year"] = json!("3000");
    one_issue(
        &v,
        Rule::LinkBounds,
        Section::Links,
        "a-to-y",
        "min_tonnes_per_year",
    );
}

#[test]
fn link_that_ends_before_it_starts() {
    let mut v = example();
    v["links"][0]["to_year"] = json!(2020);
    one_issue(&v, Rule::LinkYears, Section::Links, "a-to-y", "to_year");
}

#[test]
fn format_1_may_not_use_format_2_fields() {
    let mut v = crate::fixtures::base();
    v["links"][0]["exclusive"] = json!(true);
    one_issue(
        &v,
        Rule::NeedsFormat2,
        Section::Links,
        "mine-sep",
        "exclusive",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut v = example();
    set(&mut v, "/compositions/0/other", json!("0.03"));
    v["links"][0]["to_year"] = json!(2020);
    set(&mut v, "/facilities/0/stage", json!("cracking"));
    let issues = load(&v).check();
    let rules: Vec<Rule> = issues.iter().map(|i| i.rule).collect();
    for rule in [Rule::CompositionSum, Rule::LinkYears, Rule::ProcessStage] {
        assert!(rules.contains(&rule), "{issues:#?}");
    }
}
