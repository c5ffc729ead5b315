//! The committed JSON Schema matches the one generated from the types.

use std::path::PathBuf;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/dataset.schema.json")
}

#[test]
fn committed_schema_is_current() {
    let generated =
        serde_json::to_string_pretty(&midstream_domain::dataset_schema()).unwrap() + "\n";
    let path = committed_path();
    if std::env::var_os("MIDSTREAM_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/dataset.schema.json is out of date; regenerate it with \
         `MIDSTREAM_BLESS=1 cargo test -p midstream-domain --test it schema`"
    );
}

#[test]
fn schema_describes_the_records() {
    let schema = midstream_domain::dataset_schema();
    let defs = &schema["$defs"];
    for name in [
        "Facility",
        "Capacity",
        "Link",
        "Demand",
        "Source",
        "Perspective",
        "Maturity",
    ] {
        assert!(defs[name].is_object(), "no {name} in the schema");
    }
    let required = schema["required"].as_array().unwrap();
    for field in ["format_version", "name", "as_of"] {
        assert!(required.iter().any(|r| r == field), "{field} not required");
    }
    assert_eq!(defs["Facility"]["additionalProperties"], false);
}
