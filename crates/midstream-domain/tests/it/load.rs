//! Parsing: every broken record reported with line, column, JSON path and id.

use midstream_domain::{Dataset, LoadError};
use serde_json::json;

use crate::fixtures::{base, set};

fn problems(text: &str) -> Vec<(usize, usize, String, Option<String>, String)> {
    match Dataset::from_json_str(text) {
        Ok(_) => panic!("parsed: {text}"),
        Err(e) => e
            .problems()
            .iter()
            .map(|p| {
                (
                    p.line,
                    p.column,
                    p.path.clone(),
                    p.record.clone(),
                    p.message.clone(),
                )
            })
            .collect(),
    }
}

#[test]
fn several_broken_records_are_reported_together() {
    let mut v = base();
    set(&mut v, "/facilities/0/country", json!("XX"));
    set(
        &mut v,
        "/facilities/1/capacities/0/tonnes_per_year",
        json!("12 t"),
    );
    set(&mut v, "/facilities/2/maturity", json!("rumoured"));
    set(&mut v, "/links/0/commodity", json!("NdPr"));
    set(&mut v, "/demand/0/year", json!("2025"));
    let text = serde_json::to_string_pretty(&v).unwrap();
    let found = problems(&text);
    let paths: Vec<&str> = found.iter().map(|p| p.2.as_str()).collect();
    // In file order; serde_json writes the sections alphabetically (demand first).
    assert_eq!(
        paths,
        vec![
            "demand[0].year",
            "facilities[0].country",
            "facilities[1].capacities[0].tonnes_per_year",
            "facilities[2].maturity",
            "links[0].commodity",
        ]
    );
    let records: Vec<Option<&str>> = found.iter().map(|p| p.3.as_deref()).collect();
    assert_eq!(
        records,
        vec![
            Some("us-2025"),
            Some("mine"),
            Some("sep"),
            Some("project"),
            Some("mine-sep")
        ]
    );
    // Each line number points at the offending value in the pretty-printed text.
    let lines: Vec<&str> = text.lines().collect();
    for (line, _, path, _, _) in &found {
        let field = path.rsplit('.').next().unwrap();
        assert!(
            lines[line - 1].contains(&format!("\"{field}\"")),
            "line {line} = {:?} does not hold {field}",
            lines[line - 1]
        );
    }
    assert!(
        found[1].4.contains("not an assigned ISO 3166-1"),
        "{}",
        found[1].4
    );
    assert!(
        found[3].4.contains("unknown variant `rumoured`"),
        "{}",
        found[3].4
    );
}

#[test]
fn message_names_file_line_column_path_and_record() {
    let dir = std::env::temp_dir().join(format!("midstream-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("broken.json");
    let mut v = base();
    set(&mut v, "/facilities/1/stage", json!("smelting"));
    std::fs::write(&file, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let err = Dataset::from_json_file(&file).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("broken.json:"), "{text}");
    assert!(
        text.contains("facilities[1].stage (record \"sep\")"),
        "{text}"
    );
    assert!(matches!(err, LoadError::Parse { .. }));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn truncated_json() {
    let text = serde_json::to_string_pretty(&base()).unwrap();
    let cut = &text[..text.len() / 2];
    let found = problems(cut);
    assert_eq!(found.len(), 1);
    assert!(found[0].4.contains("EOF"), "{:?}", found[0]);
}

#[test]
fn wrong_types_and_unknown_fields() {
    let mut v = base();
    set(&mut v, "/facilities/0/name", json!(42));
    v["facilities"][1]["capacity"] = json!("200");
    set(&mut v, "/sources/0/year", json!(2024.5));
    let found = problems(&serde_json::to_string(&v).unwrap());
    assert_eq!(found.len(), 3, "{found:#?}");
    assert_eq!(found[0].2, "facilities[0].name");
    assert!(found[0].4.contains("expected a string"), "{:?}", found[0]);
    assert!(
        found[1].4.contains("unknown field `capacity`"),
        "{:?}",
        found[1]
    );
    assert_eq!(found[2].2, "sources[0].year");
}

#[test]
fn duplicate_keys_are_errors() {
    let text = r#"{"format_version": 1, "name": "a", "name": "b", "as_of": "2024-01-01"}"#;
    let found = problems(text);
    assert!(found[0].4.contains("duplicate field `name`"), "{found:?}");
    let text = r#"{"format_version": 1, "name": "a", "as_of": "2024-01-01",
        "sources": [{"id": "s", "id": "t", "publisher": "p", "title": "t", "year": 2020}]}"#;
    let found = problems(text);
    assert_eq!(found[0].2, "sources[0]");
    assert!(found[0].4.contains("duplicate field `id`"), "{found:?}");
}

#[test]
fn numbers_that_cannot_be_exact_are_refused() {
    let mut v = base();
    set(
        &mut v,
        "/demand/0/tonnes_per_year",
        json!(0.123_456_789_012_345_67),
    );
    set(
        &mut v,
        "/facilities/1/capacities/0/tonnes_per_year",
        json!("NaN"),
    );
    set(
        &mut v,
        "/facilities/0/capacities/0/tonnes_per_year",
        json!("1e300"),
    );
    let found = problems(&serde_json::to_string(&v).unwrap());
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found.iter().any(|p| p.4.contains("write it as a string")),
        "{found:#?}"
    );
}

#[test]
fn long_numbers_are_refused_where_they_stand() {
    let mut v = base();
    set(&mut v, "/demand/0/tonnes_per_year", json!("PLACEHOLDER_A"));
    set(
        &mut v,
        "/facilities/1/capacities/0/tonnes_per_year",
        json!("PLACEHOLDER_B"),
    );
    let text = serde_json::to_string_pretty(&v)
        .unwrap()
        .replace("\"PLACEHOLDER_A\"", "0.30000000000000001")
        .replace("\"PLACEHOLDER_B\"", "100000000000000000001");
    let found = problems(&text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].2, "demand[0]");
    assert_eq!(found[0].3.as_deref(), Some("us-2025"));
    assert!(found[0].4.contains("0.30000000000000001"), "{:?}", found[0]);
    assert!(
        found[1].4.contains("write it as a string"),
        "{:?}",
        found[1]
    );
    let line = text.lines().nth(found[1].0 - 1).unwrap();
    assert_eq!(&line[found[1].1 - 1..found[1].1 + 2], "100");
    // Integers within 64 bits and short decimals are exact and pass.
    let ok = text
        .replace("0.30000000000000001", "0.3")
        .replace("100000000000000000001", "18446744073709551615");
    assert!(Dataset::from_json_str(&ok).is_ok());
}

#[test]
fn null_is_a_wrong_type_not_a_missing_field() {
    let found = problems(r#"{"format_version": null, "name": "x", "as_of": "2024-01-01"}"#);
    assert_eq!(found.len(), 1);
    assert!(found[0].4.contains("invalid type: null"), "{found:?}");
    let found =
        problems(r#"{"format_version": 1, "name": "x", "as_of": "2024-01-01", "sources": null}"#);
    assert!(found[0].4.contains("invalid type: null"), "{found:?}");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let depth = 100_000;
    let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let found = problems(&text);
    assert_eq!(found.len(), 1);
    let nested = format!(
        r#"{{"format_version": 1, "name": "x", "as_of": "2024-01-01", "description": {}{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert_eq!(problems(&nested).len(), 1);
}

#[test]
fn empty_and_non_object_documents() {
    for text in ["", "   ", "null", "[]", "42", "\"dataset\""] {
        assert_eq!(problems(text).len(), 1, "{text:?}");
    }
}

#[test]
fn an_empty_dataset_parses_but_does_not_validate() {
    let d =
        Dataset::from_json_str(r#"{"format_version": 1, "name": "empty", "as_of": "2024-01-01"}"#)
            .unwrap();
    assert!(d.facilities.is_empty());
    let report = d.validate().unwrap_err();
    assert_eq!(report.errors().count(), 1);
    let issue = report.errors().next().unwrap();
    assert_eq!(issue.rule, midstream_domain::Rule::NoFacilities);
    assert_eq!(issue.location.field, "facilities");
}

#[test]
fn records_must_be_objects() {
    let text = r#"{"format_version": 1, "name": "arrays", "as_of": "2024-12-31",
  "facilities": [
    ["a", "A", null, "AU", "mining", "operating"],
    "b",
    null
  ]
}"#;
    let p = problems(text);
    assert_eq!(p.len(), 3, "{p:#?}");
    assert_eq!(p[0].2, "facilities[0]");
    assert_eq!((p[0].0, p[0].1), (3, 5));
    assert!(p[0].4.contains("JSON object"), "{}", p[0].4);
    assert!(p[0].4.contains("an array"), "{}", p[0].4);
    assert!(p[1].4.contains("a string"), "{}", p[1].4);
    assert!(p[2].4.contains("null"), "{}", p[2].4);
}
