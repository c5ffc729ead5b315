//! Same input, same bytes out: every analysis of every embedded dataset, run several times from
//! scratch, renders to identical JSON and Markdown; and reordering a dataset's records changes
//! nothing that does not depend on the order of equal maximum flows (deliverable, shortfall, the
//! cut and its shares by stage and country).

use std::collections::BTreeSet;

use midstream::prelude::*;
use midstream::{Analysis, OutlookOptions, markdown};

/// Commodities with capacities at two stages or more.
fn chains(data: &ValidDataset) -> Vec<Commodity> {
    let mut stages: std::collections::BTreeMap<Commodity, BTreeSet<Stage>> =
        std::collections::BTreeMap::new();
    for f in &data.facilities {
        for c in &f.capacities {
            stages.entry(c.commodity).or_default().insert(f.stage);
        }
    }
    stages
        .into_iter()
        .filter(|(_, s)| s.len() >= 2)
        .map(|(c, _)| c)
        .collect()
}

/// Everything the report prints for one dataset, as one string of JSON and Markdown.
fn render_all(name: &str) -> String {
    let analysis = Analysis::embedded(name).unwrap();
    let year = analysis.data().as_of_year();
    let mut out = String::new();
    for c in chains(analysis.data()) {
        let b = analysis.bottleneck(&c, &Scenario::baseline()).unwrap();
        out += &serde_json::to_string(&b).unwrap();
        out += &markdown::bottleneck(&b);
        let top = b.report.cut_by_country.first().map(|s| s.country);
        if let Some(top) = top {
            let stop = Scenario {
                export_stops: [top].into(),
                ..Scenario::default()
            };
            let cmp = analysis.compare(&c, &Scenario::baseline(), &stop).unwrap();
            out += &serde_json::to_string(&cmp).unwrap();
            out += &markdown::comparison(&cmp, "Export stop");
        }
        let options = OutlookOptions {
            samples: 40,
            ..OutlookOptions::default()
        };
        let o = analysis.outlook(&c, year + 1..=year + 6, &options).unwrap();
        out += &serde_json::to_string(&o).unwrap();
        out += &markdown::outlook(&o);
        let candidates = analysis
            .invest(&c, year + 5, &Scenario::baseline())
            .unwrap();
        out += &serde_json::to_string(&candidates).unwrap();
        out += &markdown::candidates(&candidates, year + 5);
    }
    let countries: BTreeSet<Country> = analysis
        .data()
        .facilities
        .iter()
        .map(|f| f.country)
        .collect();
    for country in countries {
        let p = analysis.profile(country, year + 5).unwrap();
        out += &serde_json::to_string(&p).unwrap();
        out += &markdown::profile(&p);
    }
    out
}

#[test]
fn every_analysis_renders_the_same_bytes_every_time() {
    for name in midstream::data::names() {
        let first = render_all(name);
        assert!(first.len() > 1000, "{name}: {} bytes", first.len());
        for run in 1..3 {
            let again = render_all(name);
            assert!(
                again == first,
                "{name}: run {run} differs from run 0 at byte {}",
                first
                    .bytes()
                    .zip(again.bytes())
                    .position(|(a, b)| a != b)
                    .unwrap_or(first.len().min(again.len()))
            );
        }
    }
}

/// The cut and the deliverable depend on the network, not on the order of its records.
#[test]
fn reordering_records_keeps_the_bottleneck() {
    for name in midstream::data::names() {
        let data = midstream::data::load(name).unwrap();
        let mut reversed = data.dataset().clone();
        reversed.facilities.reverse();
        reversed.links.reverse();
        reversed.demand.reverse();
        reversed.sources.reverse();
        let reversed = reversed.validate().unwrap();
        let (a, b) = (Analysis::new(data), Analysis::new(reversed));
        for c in chains(a.data()) {
            let x = a.bottleneck(&c, &Scenario::baseline()).unwrap().report;
            let y = b.bottleneck(&c, &Scenario::baseline()).unwrap().report;
            assert_eq!(x.deliverable, y.deliverable, "{name} {c}");
            assert_eq!(x.shortfall, y.shortfall, "{name} {c}");
            assert_eq!(x.cut, y.cut, "{name} {c}");
            assert_eq!(x.cut_by_stage, y.cut_by_stage, "{name} {c}");
            assert_eq!(x.cut_by_country, y.cut_by_country, "{name} {c}");
        }
    }
}
