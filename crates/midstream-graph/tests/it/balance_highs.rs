//! The HiGHS backend (feature `highs`) answers what Clarabel answers: the same deliverable,
//! marginal values, ranges and by-products on every embedded dataset and the worked example,
//! though one solves from the centre of the optimal face and the other from a vertex.

use midstream_data::synthetic::{MaterialConfig, generate_material};
use midstream_domain::{Commodity, Dataset, ValidDataset};
use midstream_graph::{BalanceModel, BalanceOptions, LpBackend, Scenario};

use crate::balance::{embedded_files, root};

fn datasets() -> Vec<(String, ValidDataset)> {
    let mut files = embedded_files();
    files.push(root().join("tests/material/worked-example.json"));
    files.sort();
    let mut all: Vec<(String, ValidDataset)> = files
        .into_iter()
        .map(|file| {
            let data = Dataset::from_json_file(&file).unwrap().validate().unwrap();
            (file.display().to_string(), data)
        })
        .collect();
    all.push((
        "generated 200".to_owned(),
        generate_material(&MaterialConfig::new(200, 42))
            .validate()
            .unwrap(),
    ));
    all
}

fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario::baseline(),
        Scenario {
            export_stops: ["CN".parse().unwrap()].into(),
            ..Scenario::default()
        },
    ]
}

#[test]
fn highs_gives_the_analysis_clarabel_gives() {
    let options = BalanceOptions {
        threads: 1,
        ..BalanceOptions::default()
    };
    let mut compared = 0;
    for (name, data) in datasets() {
        let targets: std::collections::BTreeSet<Commodity> = data
            .facilities
            .iter()
            .flat_map(|f| f.capacities.iter().map(|c| c.commodity))
            .collect();
        for target in targets {
            let Ok(mut clarabel) = BalanceModel::build(&data, &target) else {
                continue;
            };
            let mut highs = BalanceModel::build(&data, &target)
                .unwrap()
                .with_backend(LpBackend::Highs)
                .unwrap();
            for scenario in scenarios() {
                let (Ok(a), Ok(b)) = (
                    clarabel.solve_with(&scenario, &options),
                    highs.solve_with(&scenario, &options),
                ) else {
                    continue;
                };
                let (a, b) = (
                    serde_json::to_value(&a).unwrap(),
                    serde_json::to_value(&b).unwrap(),
                );
                let mut differ = Vec::new();
                agree(&a, &b, "", &mut differ);
                assert!(
                    differ.is_empty(),
                    "{name}, {target}, export stops {:?}: Clarabel | HiGHS\n{}",
                    scenario.export_stops,
                    differ.join("\n")
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 20, "only {compared} analyses compared");
}

/// Where two reports differ: the same shape and text; the deliverable and other tonnages to
/// within a few grams plus 1e-8 of the value; marginal values exactly (both are rounded to the
/// decimals their accuracy supports). A range is taken over the solutions within a tolerance of
/// the optimum: 1e-9 of it on Clarabel, 1e-12 on HiGHS, whose vertex is exact to its 1e-7 t
/// feasibility tolerance. A flow that adds little to the target can move much further within
/// Clarabel's band (by the band divided by its rate), and an interior-point range solve stops
/// short of its end (on the generated chain, a by-product's least read 70.986 t against
/// HiGHS' 70.953): the ends agree to 1e-3 of the value.
fn agree(a: &serde_json::Value, b: &serde_json::Value, path: &str, differ: &mut Vec<String>) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => agree(v, w, &format!("{path}.{k}"), differ),
                    None => differ.push(format!("{path}.{k}: missing")),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                agree(v, w, &format!("{path}[{i}]"), differ);
            }
        }
        (Value::String(x), Value::String(y)) if x != y => {
            let close = match (x.parse::<f64>(), y.parse::<f64>()) {
                (Ok(p), Ok(q)) => {
                    let noise = 0.005 + 1e-8 * p.abs().max(q.abs());
                    let band = 0.005 + 1e-3 * p.abs();
                    if path.ends_with("least") || path.ends_with("most") {
                        (p - q).abs() <= band
                    } else if ["deliverable", "bound", "supply", "allows"]
                        .iter()
                        .any(|k| path.ends_with(k))
                    {
                        (p - q).abs() <= noise
                    } else {
                        false
                    }
                }
                _ => false,
            };
            if !close {
                differ.push(format!("{path}: {x} | {y}"));
            }
        }
        _ if a == b => {}
        _ => differ.push(format!("{path}: {a} | {b}")),
    }
}
