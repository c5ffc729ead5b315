//! Notebook display: evcxr's blocks for the main result types.

use midstream::Analysis;
use midstream::prelude::*;

/// The MIME types of a bundle, in order, each block closed.
fn mimes(bundle: &str) -> Vec<String> {
    let begins: Vec<String> = bundle
        .lines()
        .filter_map(|l| l.strip_prefix("EVCXR_BEGIN_CONTENT "))
        .map(str::to_owned)
        .collect();
    let ends = bundle.lines().filter(|l| *l == "EVCXR_END_CONTENT").count();
    assert_eq!(begins.len(), ends, "unbalanced blocks");
    begins
}

#[test]
fn results_show_tables_and_charts_not_debug() {
    let analysis = Analysis::embedded("rare-earths-2024").unwrap();
    let ndpr: Commodity = "NdPr:oxide".parse().unwrap();
    let b = analysis.bottleneck(&ndpr, &Scenario::baseline()).unwrap();
    let shown = b.display_bundle();
    assert_eq!(
        mimes(&shown),
        ["text/plain", "text/markdown", "image/svg+xml"]
    );
    assert!(shown.contains("## NdPr:oxide in 2024"));
    assert!(!shown.contains("Tonnes("), "Debug form leaked");
    let r = analysis.risk(&ndpr, &Scenario::baseline()).unwrap();
    assert!(r.display_bundle().contains("## How risky: NdPr:oxide"));
    let o = analysis
        .outlook(
            &ndpr,
            2025..=2026,
            &OutlookOptions {
                samples: 100,
                settle: false,
                ..OutlookOptions::default()
            },
        )
        .unwrap();
    let shown = o.display_bundle();
    assert!(mimes(&shown).contains(&String::from("image/svg+xml")));
    assert!(shown.contains("<svg"));
}
