//! Scenario parsing + checking + graph build + comparison, on arbitrary text, against the
//! embedded rare-earth dataset.
//!
//! Oracles: a parse error names a line and column; an accepted scenario either is refused by
//! `Scenario::check` with a typed error or compares against the baseline without failing.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use midstream::Analysis;
use midstream::domain::Commodity;
use midstream::graph::{GraphError, Scenario};

fn analysis() -> &'static Analysis {
    static ANALYSIS: OnceLock<Analysis> = OnceLock::new();
    ANALYSIS.get_or_init(|| {
        let data = midstream::data::load("rare-earths-2024").expect("the embedded dataset loads");
        Analysis::new(data)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let scenario = match Scenario::from_json_str(text) {
        Ok(s) => s,
        Err(GraphError::ScenarioParse { line, column, .. }) => {
            assert!(
                line >= 1 && column <= text.len() + 1,
                "a parse error without a position"
            );
            return;
        }
        Err(e) => panic!("from_json_str returned another error: {e}"),
    };
    let analysis = analysis();
    if scenario.check(analysis.data()).is_err() {
        return;
    }
    let commodity: Commodity = "NdPr:oxide".parse().expect("a valid commodity");
    let c = analysis
        .compare(&commodity, &Scenario::baseline(), &scenario)
        .expect("a checked scenario compares");
    let _ = serde_json::to_string(&c).expect("a comparison serialises");
});
