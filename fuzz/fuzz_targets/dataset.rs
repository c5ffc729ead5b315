//! Dataset loader + validator + graph build + report, on arbitrary text.
//!
//! Oracles: a parse error always explains itself (at least one located problem); a dataset that
//! loads serialises to text that loads back to the same dataset; a valid dataset builds a graph
//! whose bottleneck report keeps deliverable within demand and its cut equal to the flow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use midstream::domain::{Commodity, Dataset, LoadError};
use midstream::graph::{Scenario, SupplyGraph};
use midstream::prelude::Decimal;
use std::collections::BTreeSet;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let dataset = match Dataset::from_json_str(text) {
        Ok(d) => d,
        Err(e) => {
            if let LoadError::Parse { problems, .. } = &e {
                assert!(!problems.is_empty(), "a parse error with no problem");
            }
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let json = serde_json::to_string(&dataset).expect("a dataset serialises");
    let again = Dataset::from_json_str(&json).expect("a serialised dataset loads back");
    assert_eq!(again, dataset, "round trip changed the dataset");
    let Ok(valid) = dataset.validate() else {
        return;
    };
    let commodities: BTreeSet<Commodity> = valid
        .facilities
        .iter()
        .flat_map(|f| f.capacities.iter().map(|c| c.commodity.clone()))
        .collect();
    for commodity in commodities.iter().take(4) {
        let Ok(graph) = SupplyGraph::build(&valid, commodity, &Scenario::baseline()) else {
            continue;
        };
        let Ok(report) = graph.bottleneck() else {
            continue;
        };
        let cut: Decimal = report.cut.iter().map(|m| m.capacity().value()).sum();
        assert_eq!(
            cut,
            report.deliverable.value(),
            "cut capacity differs from the flow"
        );
        if let (Some(demand), Some(shortfall)) = (report.demand, report.shortfall) {
            assert!(report.deliverable <= demand, "deliverable above demand");
            assert_eq!(
                shortfall.value(),
                demand.value() - report.deliverable.value(),
                "shortfall is not demand - deliverable"
            );
        }
        let _ = serde_json::to_string(&report).expect("a report serialises");
    }
});
