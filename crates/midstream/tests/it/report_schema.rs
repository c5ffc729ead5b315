//! The committed report schema matches the one generated from the types.

#[test]
fn committed_report_schema_is_current() {
    let generated = serde_json::to_string_pretty(&midstream::report_schema()).unwrap() + "\n";
    let path =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/report.schema.json");
    if std::env::var_os("MIDSTREAM_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/report.schema.json is out of date; regenerate it with \
         `MIDSTREAM_BLESS=1 cargo test -p midstream --test it report_schema`"
    );
}
