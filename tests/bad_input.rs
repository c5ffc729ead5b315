//! The bad-input suite: one case per file under `tests/bad-input/`.
//!
//! Each file is fed to the path a user would take: a dataset (`*.json`) through
//! [`Analysis::from_file`] and then a bottleneck for every commodity it has capacities for, a
//! DIMACS instance (`*.dimacs`) through `read_dimacs` and `max_flow`, a scenario
//! (`*.scenario.json`) through `Scenario::from_json_str` and a comparison against the embedded
//! rare-earth dataset. Each case states the error's kind and what its message must name (file,
//! line/column or record id, field). A few valid but awkward inputs (no path to demand, a
//! recycling cycle, a DIMACS instance with no path) must give the correct result instead.
//! Cases too large to commit (deep nesting, a million facilities) are generated here.
//! `every_file_has_a_case` keeps the folder and the list in step.

// Reason: a failed expectation fails the test by panicking.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use midstream::domain::{Commodity, LoadError, Rule};
use midstream::graph::{CutMember, FlowError, GraphError, Scenario, max_flow, read_dimacs};
use midstream::{Analysis, Error};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/bad-input")
}

/// What a case must produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// The dataset text cannot be parsed: `LoadError::Parse`.
    Parse,
    /// The dataset parses but breaks this validation rule.
    Invalid(Rule),
    /// A DIMACS file is refused with `GraphError::Dimacs`.
    Dimacs,
    /// The flow overflows 64-bit integers: `GraphError::Overflow`.
    Overflow,
    /// A scenario's text cannot be parsed: `GraphError::ScenarioParse`.
    ScenarioParse,
    /// A scenario parses but names what the dataset lacks or holds a value out of range.
    ScenarioRefused,
}

/// The error's message (with the file name, as the CLI prints it) or the result's summary.
fn outcome(file: &str) -> Result<String, (Kind, String)> {
    let path = dir().join(file);
    if file.ends_with(".scenario.json") {
        return scenario(&path);
    }
    if file.ends_with(".dimacs") {
        return dimacs(&path);
    }
    dataset(&path)
}

fn dataset(path: &std::path::Path) -> Result<String, (Kind, String)> {
    let analysis = match Analysis::from_file(path) {
        Ok(a) => a,
        Err(e @ Error::Load(LoadError::Parse { .. })) => return Err((Kind::Parse, e.to_string())),
        Err(Error::InvalidFile { file, report }) => {
            let rules: BTreeSet<Rule> = report.errors().map(|i| i.rule).collect();
            assert_eq!(rules.len(), 1, "one rule per case: {report}");
            let rule = rules.into_iter().next().unwrap();
            return Err((Kind::Invalid(rule), format!("{}: {report}", file.display())));
        }
        Err(e) => panic!("{}: unexpected error kind: {e:?}", path.display()),
    };
    let commodities: BTreeSet<Commodity> = analysis
        .data()
        .facilities
        .iter()
        .flat_map(|f| f.capacities.iter().map(|c| c.commodity))
        .collect();
    let mut summary = String::new();
    for c in &commodities {
        let b = analysis
            .bottleneck(c, &Scenario::baseline())
            .map_err(|e| match e {
                Error::Graph(GraphError::Overflow { .. } | GraphError::QuantityTooLarge { .. }) => {
                    (Kind::Overflow, format!("{}: {e}", path.display()))
                }
                other => panic!("{}: unexpected error kind: {other:?}", path.display()),
            })?;
        let r = &b.report;
        write!(
            summary,
            "{c}: deliverable {} shortfall {} cut [{}]; ",
            r.deliverable.value(),
            r.shortfall
                .map_or_else(|| "-".to_owned(), |s| s.value().to_string()),
            r.cut
                .iter()
                .map(|m| match m {
                    CutMember::Facility { id, .. } => format!("facility {id}"),
                    CutMember::Link { id, .. } => format!("link {id}"),
                    CutMember::Demand { id, .. } => format!("demand {id}"),
                })
                .collect::<Vec<_>>()
                .join(", ")
        )
        .unwrap();
    }
    Ok(summary)
}

fn dimacs(path: &std::path::Path) -> Result<String, (Kind, String)> {
    let file = std::fs::File::open(path).unwrap();
    let named = |e: FlowError| format!("{}: {e}", path.display());
    let problem = read_dimacs(std::io::BufReader::new(file)).map_err(|e| match e {
        FlowError::Dimacs { .. } => (Kind::Dimacs, named(e)),
        other => panic!("{}: unexpected error kind: {other:?}", path.display()),
    })?;
    let net = problem.network().unwrap();
    let flow = max_flow(&net, problem.source, problem.sink).map_err(|e| match e {
        FlowError::Overflow { .. } => (Kind::Overflow, named(e)),
        other => panic!("{}: unexpected error kind: {other:?}", path.display()),
    })?;
    let cut = flow.min_cut();
    assert_eq!(cut.capacity, flow.value());
    Ok(format!(
        "value {} cut edges {}",
        flow.value(),
        cut.edges.len()
    ))
}

fn scenario(path: &std::path::Path) -> Result<String, (Kind, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let named = |e: GraphError| format!("{}: {e}", path.display());
    let scenario = Scenario::from_json_str(&text).map_err(|e| match e {
        GraphError::ScenarioParse { .. } => (Kind::ScenarioParse, named(e)),
        other => panic!("{}: unexpected error kind: {other:?}", path.display()),
    })?;
    let analysis = Analysis::embedded("rare-earths-2024").unwrap();
    scenario.check(analysis.data()).map_err(|e| match e {
        GraphError::UnknownFacility { .. }
        | GraphError::UnknownCountry { .. }
        | GraphError::ScenarioValue { .. }
        | GraphError::NoPerspective => (Kind::ScenarioRefused, named(e)),
        other => panic!("{}: unexpected error kind: {other:?}", path.display()),
    })?;
    let ndpr: Commodity = "NdPr:oxide".parse().unwrap();
    let c = analysis
        .compare(&ndpr, &Scenario::baseline(), &scenario)
        .unwrap();
    Ok(format!("deliverable {}", c.scenario.deliverable))
}

/// Asserts that `file` fails with `kind` and that the message names every fragment.
fn fails(file: &str, kind: Kind, mentions: &[&str]) {
    match outcome(file) {
        Ok(summary) => panic!("{file}: expected a {kind:?} error, got a result: {summary}"),
        Err((got, message)) => {
            assert_eq!(got, kind, "{file}: {message}");
            assert!(
                message.contains(file),
                "{file}: the message names no file: {message}"
            );
            for m in mentions {
                assert!(message.contains(m), "{file}: {m:?} is not in: {message}");
            }
        }
    }
}

/// Asserts that `file` gives a result whose summary holds every fragment.
fn succeeds(file: &str, mentions: &[&str]) {
    match outcome(file) {
        Ok(summary) => {
            for m in mentions {
                assert!(summary.contains(m), "{file}: {m:?} is not in: {summary}");
            }
        }
        Err((kind, message)) => panic!("{file}: expected a result, got {kind:?}: {message}"),
    }
}

/// Every case, as (file, test). The test for each file is generated below.
macro_rules! cases {
    ($($name:ident: $file:literal => $body:expr;)*) => {
        const FILES: &[&str] = &[$($file),*];
        $(
            #[test]
            fn $name() {
                let file: &str = $file;
                let check: &dyn Fn(&str) = &$body;
                check(file);
            }
        )*
    };
}

cases! {
    // Datasets that cannot be parsed: the position and the JSON path of the problem.
    truncated_json: "truncated.json" => |f| fails(f, Kind::Parse, &[":7:", "EOF while parsing"]);
    not_json: "not-json.json" => |f| fails(f, Kind::Parse, &[":1:1:", "JSON object"]);
    empty_file: "empty-file.json" => |f| fails(f, Kind::Parse, &["EOF while parsing"]);
    invalid_utf8: "invalid-utf8.json" => |f| fails(f, Kind::Parse, &[":4:35:", "not UTF-8", "0xff"]);
    wrong_type: "wrong-type.json" => |f| fails(f, Kind::Parse, &[
        "facilities[0].capacities[0].tonnes_per_year", "au-mine", "boolean"]);
    unknown_field: "unknown-field.json" => |f| fails(f, Kind::Parse, &[
        "facilities[0].colour", "au-mine", "unknown field `colour`"]);
    duplicate_key: "duplicate-key.json" => |f| fails(f, Kind::Parse, &[
        "facilities[0]", "au-mine", "duplicate field `stage`"]);
    nan_string: "nan-string.json" => |f| fails(f, Kind::Parse, &[
        "facilities[0].capacities[0].tonnes_per_year", "\"NaN\" is not an exact decimal number"]);
    infinity_string: "infinity-string.json" => |f| fails(f, Kind::Parse, &[
        "facilities[0].capacities[0].tonnes_per_year", "\"-inf\" is not an exact decimal number"]);
    number_out_of_range: "number-out-of-range.json" => |f| fails(f, Kind::Parse, &[
        "facilities[0].capacities[0].tonnes_per_year", "out of range"]);
    inexact_number: "inexact-number.json" => |f| fails(f, Kind::Parse, &[
        ":5:", "significant digits"]);
    records_as_arrays: "records-as-arrays.json" => |f| fails(f, Kind::Parse, &[
        ":3:3:", "facilities[0]", "JSON object", "an array"]);
    unknown_country: "unknown-country.json" => |f| fails(f, Kind::Parse, &[
        "facilities[2].country", "my-sep", "XM"]);
    bad_date: "bad-date.json" => |f| fails(f, Kind::Parse, &[
        ":2:", "as_of", "\"2024-13-01\" is not a calendar date (YYYY-MM-DD)"]);
    // Datasets that parse but break a rule: the record id and the field.
    duplicate_id: "duplicate-id.json" => |f| fails(f, Kind::Invalid(Rule::DuplicateId), &[
        "facilities[1].id", "au-mine"]);
    negative_capacity: "negative-capacity.json" => |f| fails(f, Kind::Invalid(Rule::NonPositiveCapacity), &[
        "facilities[0].capacities[0].tonnes_per_year", "au-mine", "-100"]);
    too_large_for_kilograms: "too-large-for-kilograms.json" => |f| fails(
        f, Kind::Invalid(Rule::QuantityTooLarge), &[
        "facilities[0].capacities[0].tonnes_per_year", "au-mine", "1000000000000"]);
    empty_dataset: "empty-dataset.json" => |f| fails(f, Kind::Invalid(Rule::NoFacilities), &[
        "facilities", "nothing to analyse"]);
    // Valid but awkward: a correct result, not an error.
    no_path_to_demand: "no-path.json" => |f| succeeds(f, &[
        "NdPr:oxide: deliverable 0 shortfall 40 cut []"]);
    recycling_cycle: "recycling-cycle.json" => |f| succeeds(f, &[
        "NdPr:oxide: deliverable 70 shortfall 130 cut [facility magnets]"]);
    // DIMACS instances: the line of the problem.
    dimacs_missing_sink: "missing-sink.dimacs" => |f| fails(f, Kind::Dimacs, &["line 3", "no sink"]);
    dimacs_fewer_arcs: "fewer-arcs-than-announced.dimacs" => |f| fails(f, Kind::Dimacs, &[
        "2 arcs, but the problem line announced 3"]);
    dimacs_too_many_nodes: "too-many-nodes.dimacs" => |f| fails(f, Kind::Dimacs, &[
        "line 2", "1000000000 nodes for 1 arcs"]);
    dimacs_negative_capacity: "negative-capacity.dimacs" => |f| fails(f, Kind::Dimacs, &[
        "line 4", "negative capacity -5"]);
    dimacs_capacity_too_large: "capacity-too-large.dimacs" => |f| fails(f, Kind::Dimacs, &[
        "line 4", "9223372036854775808", "64 bits"]);
    dimacs_capacity_overflow: "capacity-overflow.dimacs" => |f| fails(f, Kind::Overflow, &[
        "does not fit in 64-bit"]);
    dimacs_node_out_of_range: "node-out-of-range.dimacs" => |f| fails(f, Kind::Dimacs, &[
        "line 4", "head 4 is outside 1..=3"]);
    dimacs_source_is_sink: "source-is-sink.dimacs" => |f| fails(f, Kind::Dimacs, &[
        "the source is the sink"]);
    dimacs_unknown_line: "unknown-line.dimacs" => |f| fails(f, Kind::Dimacs, &[
        "line 4", "unknown line type \"x\""]);
    dimacs_arc_before_header: "arc-before-header.dimacs" => |f| fails(f, Kind::Dimacs, &[
        "line 1", "before the problem line"]);
    dimacs_no_path: "no-path.dimacs" => |f| succeeds(f, &["value 0 cut edges 0"]);
    // Scenarios: the line, column and field, or the field and the value refused.
    scenario_unknown_field: "unknown-field.scenario.json" => |f| fails(f, Kind::ScenarioParse, &[
        "line 3", "`exports`", "unknown field"]);
    scenario_wrong_type: "wrong-type.scenario.json" => |f| fails(f, Kind::ScenarioParse, &[
        "line 2", "`year`", "invalid type"]);
    scenario_unknown_facility: "unknown-facility.scenario.json" => |f| fails(
        f, Kind::ScenarioRefused, &["projects_online", "\"no-such-plant\""]);
    scenario_country_not_in_dataset: "country-not-in-dataset.scenario.json" => |f| fails(
        f, Kind::ScenarioRefused, &["export_stops", "NZ (New Zealand)"]);
    scenario_year_out_of_range: "year-out-of-range.scenario.json" => |f| fails(
        f, Kind::ScenarioRefused, &["year", "1066 is outside 1900..=2100"]);
    scenario_negative_override: "negative-override.scenario.json" => |f| fails(
        f, Kind::ScenarioRefused, &["capacity_overrides.lynas-malaysia", "-5"]);
}

#[test]
fn every_file_has_a_case() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = FILES.iter().map(|f| (*f).to_owned()).collect();
    assert_eq!(on_disk, listed, "tests/bad-input and the case list differ");
}

/// Deep nesting, generated: the loader answers with a located error, without recursing into
/// a stack overflow.
#[test]
fn deeply_nested_json() {
    let depth = 100_000;
    let deep = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let inside_record = format!(
        r#"{{"format_version": 1, "name": "deep", "as_of": "2024-12-31",
  "facilities": [{{"id": "a", "name": {deep}}}]}}"#
    );
    let at_top = "[".repeat(depth);
    let in_id = format!(
        r#"{{"format_version": 1, "name": "deep", "as_of": "2024-12-31",
  "facilities": [{{"id": {deep}}}]}}"#
    );
    for (case, text) in [
        ("inside a record", inside_record),
        ("at the top", at_top),
        ("in an id", in_id),
    ] {
        let err = midstream::domain::Dataset::from_json_str(&text).unwrap_err();
        let problems = err.problems();
        assert!(!problems.is_empty(), "{case}");
        assert!(
            problems[0].line >= 1 && problems[0].column >= 1,
            "{case}: {err}"
        );
    }
}
