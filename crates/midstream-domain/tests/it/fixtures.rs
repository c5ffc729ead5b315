//! A small valid dataset and helpers to break it one field at a time.

use midstream_domain::{Dataset, Issue, Rule, Section, Severity};
use serde_json::{Value, json};

/// A valid dataset touching every record type: no errors, no warnings.
pub(crate) fn base() -> Value {
    json!({
        "format_version": 1,
        "name": "fixture",
        "description": "Illustrative records for the tests; not real facilities.",
        "as_of": "2024-12-31",
        "perspective": {
            "country": "US",
            "alignments": [
                {"country": "AU", "alignment": "ally", "source": "s-policy"},
                {"country": "KZ", "alignment": "multi_vector"},
                {"country": "CN", "alignment": "adversary"}
            ],
            "default_alignment": "non_aligned"
        },
        "sources": [
            {"id": "s-report", "publisher": "Example agency", "title": "Annual report", "year": 2024},
            {"id": "s-policy", "publisher": "Example ministry", "title": "Policy", "year": 2023}
        ],
        "facilities": [
            {
                "id": "mine", "name": "Example mine", "country": "AU", "stage": "mining",
                "maturity": "operating", "sources": ["s-report"],
                "capacities": [
                    {"commodity": "REO:concentrate", "tonnes_per_year": "1000"},
                    {"commodity": "NdPr:oxide", "tonnes_per_year": "245",
                     "derived": {"from": "REO:concentrate", "factor": "0.245",
                                 "note": "NdPr share of REO", "source": "s-report"}}
                ]
            },
            {
                "id": "sep", "name": "Example separator", "country": "MY",
                "stage": "separation", "maturity": "operating", "sources": ["s-report"],
                "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "200"}],
                "offtakes": [
                    {"buyer": "Magnet maker", "commodity": "NdPr:oxide", "tonnes_per_year": "120",
                     "start": "2024-01-01", "end": "2028-12-31", "binding": true},
                    {"buyer": "Other maker", "commodity": "NdPr:oxide", "tonnes_per_year": "60",
                     "binding": false}
                ],
                "milestones": [
                    {"kind": "construction_start", "date": "2019-03-01", "status": "achieved"},
                    {"kind": "first_production", "date": "2021-06-01", "status": "achieved"}
                ]
            },
            {
                "id": "project", "name": "Example project", "country": "KZ",
                "stage": "separation", "maturity": "letter_of_interest", "sources": ["s-report"],
                "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "500",
                                "estimate": {"method": "announced target"},
                                "ramp": [{"year": 2028, "tonnes": "250"},
                                         {"year": 2030, "tonnes": "500"}]}],
                "milestones": [
                    {"kind": "letter_of_interest", "date": "2024-11-01", "status": "achieved"},
                    {"kind": "first_production", "date": "2028-01-01", "status": "planned"}
                ],
                "financing": [
                    {"instrument": "letter_of_interest", "lender": "Example export bank",
                     "amount": "100000000", "status": "interest_letter", "date": "2024-11-01"}
                ]
            },
            {
                "id": "magnets", "name": "Example magnet plant", "country": "US",
                "stage": "manufacturing", "maturity": "construction", "sources": ["s-report"]
            }
        ],
        "links": [
            {"id": "mine-sep", "from": "mine", "to": "sep", "commodity": "NdPr:oxide"},
            {"id": "sep-magnets", "from": "sep", "to": "magnets", "tonnes_per_year": "100",
             "restriction": {"kind": "export_licence", "imposed_by": "MY"}}
        ],
        "demand": [
            {"id": "us-2025", "buyer": "US magnet makers", "country": "US",
             "commodity": "NdPr:oxide", "tonnes_per_year": "150", "year": 2025,
             "source": "s-report"}
        ]
    })
}

/// Loads a JSON value as a dataset; panics with the load error if it does not parse.
pub(crate) fn load(value: &Value) -> Dataset {
    let text = serde_json::to_string_pretty(value).unwrap();
    Dataset::from_json_str(&text).unwrap_or_else(|e| panic!("fixture does not parse: {e}"))
}

/// Sets the value at a JSON pointer (the parent must exist).
pub(crate) fn set(value: &mut Value, pointer: &str, new: Value) {
    *value
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in the fixture")) = new;
}

/// Breaks the base dataset with `edit`, validates it and checks that exactly one issue is
/// raised, with the expected rule, severity and location.
pub(crate) fn check(
    edit: impl FnOnce(&mut Value),
    rule: Rule,
    severity: Severity,
    section: Section,
    record: Option<&str>,
    field: &str,
) -> Issue {
    let mut value = base();
    edit(&mut value);
    let issues = load(&value).check();
    assert_eq!(issues.len(), 1, "expected one issue, got: {issues:#?}");
    let issue = issues.into_iter().next().unwrap();
    assert_eq!(issue.rule, rule, "{issue}");
    assert_eq!(issue.severity, severity, "{issue}");
    assert_eq!(issue.location.section, section, "{issue}");
    assert_eq!(issue.location.record.as_deref(), record, "{issue}");
    assert_eq!(issue.location.field, field, "{issue}");
    // The message names the record, so that it reads on its own.
    if let Some(id) = record {
        assert!(issue.to_string().contains(id), "{issue}");
    }
    issue
}
