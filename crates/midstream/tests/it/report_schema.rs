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

/// A saved report reads back: every output type derives `Deserialize`, and the JSON of a
/// report (bottleneck, export stop, outlook with demand, drivers and the view outside China,
/// concentration, profiles, notes) parses into the same value.
#[test]
fn a_report_round_trips_through_json() {
    use midstream::{Analysis, OutlookOptions, Report, ReportOptions};
    for (name, commodities, outside) in [
        ("rare-earths-2025", vec!["Dy:oxide"], Some("CN")),
        ("rare-earths-2024", vec!["NdPr:oxide"], None),
        ("critical-minerals-2024", vec![], None),
    ] {
        let analysis = Analysis::embedded(name).unwrap();
        let options = ReportOptions {
            commodities: commodities.iter().map(|c| c.parse().unwrap()).collect(),
            outlook_to: 2028,
            outlook: OutlookOptions {
                samples: 40,
                settle: false,
                outside: outside.map(|c| c.parse().unwrap()),
                drivers_in: Some(2027),
                ..OutlookOptions::default()
            },
            ..ReportOptions::default()
        };
        let report = analysis.report(&options).unwrap();
        let json = serde_json::to_string(&report).unwrap();
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back, report, "{name}");
        assert_eq!(serde_json::to_string(&back).unwrap(), json, "{name}");
    }
}
