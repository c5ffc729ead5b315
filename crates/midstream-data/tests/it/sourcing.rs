//! Every embedded dataset loads, validates without a warning, and sources every figure.

use midstream_data::{DATASETS, parse};

#[test]
fn every_dataset_validates_without_warnings() {
    // Every dataset is checked, and every failure reported, before the test fails.
    let mut problems = Vec::new();
    for entry in DATASETS {
        let data = match parse(entry) {
            Ok(data) => data,
            Err(e) => {
                problems.push(format!("{e}"));
                continue;
            }
        };
        if !data.warnings().is_empty() {
            problems.push(format!("{}: {:#?}", entry.name, data.warnings()));
        }
        if data.name != entry.name {
            problems.push(format!(
                "{}: the dataset calls itself {:?}",
                entry.name, data.name
            ));
        }
        if data.facilities.is_empty() {
            problems.push(format!("{} has no facilities", entry.name));
        }
        if data.description.as_deref().is_none_or(|d| d.len() <= 40) {
            problems.push(format!("{}: describe it", entry.name));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_figure_carries_its_source() {
    for entry in DATASETS {
        let data = parse(entry).unwrap();
        let name = entry.name;
        for s in &data.sources {
            assert!(
                s.url.as_deref().is_some_and(|u| u.starts_with("http")),
                "{name}: source {} has no URL",
                s.id
            );
            // A year typed wrong, not an old source: the oldest cited is a 1988 paper.
            assert!(s.year >= 1950, "{name}: source {} year {}", s.id, s.year);
        }
        for f in &data.facilities {
            for (i, c) in f.capacities.iter().enumerate() {
                let sourced =
                    c.source.is_some() || c.derived.as_ref().is_some_and(|d| d.source.is_some());
                assert!(
                    sourced,
                    "{name}: {} capacities[{i}] ({}) has no source",
                    f.id, c.commodity
                );
                if let Some(e) = &c.estimate {
                    assert!(
                        e.method.len() > 20,
                        "{name}: {} capacities[{i}]: say how it was estimated",
                        f.id
                    );
                }
                if let Some(d) = &c.derived {
                    assert!(
                        d.note.as_deref().is_some_and(|n| !n.is_empty()),
                        "{name}: {} capacities[{i}]: say what the factor is",
                        f.id
                    );
                }
            }
            for (i, m) in f.milestones.iter().enumerate() {
                assert!(
                    m.source.is_some(),
                    "{name}: {} milestones[{i}] has no source",
                    f.id
                );
            }
            for (i, o) in f.offtakes.iter().enumerate() {
                assert!(
                    o.source.is_some(),
                    "{name}: {} offtakes[{i}] has no source",
                    f.id
                );
            }
            for (i, x) in f.financing.iter().enumerate() {
                assert!(
                    x.source.is_some(),
                    "{name}: {} financing[{i}] has no source",
                    f.id
                );
            }
        }
        for d in &data.demand {
            assert!(d.source.is_some(), "{name}: demand {} has no source", d.id);
        }
        for l in &data.links {
            assert!(l.source.is_some(), "{name}: link {} has no source", l.id);
        }
    }
}

#[test]
fn unknown_names_list_the_known_ones() {
    let err = midstream_data::load("rare-earths-1999")
        .unwrap_err()
        .to_string();
    assert!(err.contains("rare-earths-2024"), "{err}");
    assert!(err.contains("kazakhstan-2025"), "{err}");
}
