//! The `midstream` binary: exit codes, messages, formats.

// Reason: a failed expectation fails the test by panicking.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_midstream"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("midstream-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const TOY: &str = r#"{
  "format_version": 1, "name": "toy", "as_of": "2024-12-31",
  "facilities": [
    {"id": "au-mine", "name": "AU mine", "country": "AU", "stage": "mining", "maturity": "operating",
     "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "100"}]},
    {"id": "cn-mine", "name": "CN mine", "country": "CN", "stage": "mining", "maturity": "operating",
     "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "300"}]},
    {"id": "my-sep", "name": "MY separation", "country": "MY", "stage": "separation", "maturity": "operating",
     "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "80"}]},
    {"id": "cn-sep", "name": "CN separation", "country": "CN", "stage": "separation", "maturity": "operating",
     "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "250"}]},
    {"id": "kz-sep", "name": "KZ separation", "country": "KZ", "stage": "separation", "maturity": "letter_of_interest",
     "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "120"}]}
  ]
}"#;

/// The toy dataset in a directory of the calling test's own (tests run in parallel).
fn toy_file(test: &str) -> PathBuf {
    let path = temp_dir(test).join("toy.json");
    std::fs::write(&path, TOY).unwrap();
    path
}

#[test]
fn lists_datasets_and_prints_the_schema() {
    let o = run(&["datasets"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("rare-earths-2024"));
    let o = run(&["schema"]);
    assert!(o.status.success());
    let schema: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(schema["title"], "Dataset");
}

#[test]
fn validate_reports_every_problem_with_exit_code_2() {
    let dir = temp_dir("validate");
    let broken = dir.join("broken.json");
    std::fs::write(
        &broken,
        TOY.replace("\"my-sep\", \"name\"", "\"cn-sep\", \"name\"")
            .replace("\"300\"", "\"-300\""),
    )
    .unwrap();
    let o = run(&["validate", broken.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("broken.json"), "{err}");
    assert!(err.contains("duplicate_id"), "{err}");
    assert!(err.contains("non_positive_capacity"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let o = run(&[
        "validate",
        toy_file("validate_reports_every_problem_with_exit_code_2")
            .to_str()
            .unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("valid (5 facilities"));
}

#[test]
fn bad_input_exits_2_with_one_message() {
    for args in [
        vec!["validate", "/nonexistent/file.json"],
        vec!["validate", "/"],
        vec!["--no-such-flag"],
        vec!["--dataset", "nope", "datasets-not-a-command"],
        vec!["--dataset", "no-such-dataset", "profile", "KZ"],
        vec!["maxflow", "--dimacs", "/nonexistent.dimacs"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}");
    }
    let file = toy_file("bad_input_exits_2_with_one_message");
    let o = run(&[
        "--file",
        file.to_str().unwrap(),
        "scenario",
        "--commodity",
        "Dy:oxide",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Dy:oxide"), "{}", stderr(&o));
    let o = run(&[
        "--file",
        file.to_str().unwrap(),
        "scenario",
        "--commodity",
        "NdPr:oxide",
        "--exclude",
        "BR",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("exclude_countries"), "{}", stderr(&o));
}

#[test]
fn scenario_json_parses_and_shows_the_export_stop() {
    let file = toy_file("scenario_json_parses_and_shows_the_export_stop");
    let o = run(&[
        "--file",
        file.to_str().unwrap(),
        "--format",
        "json",
        "scenario",
        "--commodity",
        "NdPr:oxide",
        "--export-stop",
        "CN",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["baseline"]["deliverable"], "330");
    assert_eq!(v["scenario"]["deliverable"], "80");
    assert_eq!(v["deliverable_change"], "-250");
}

#[test]
fn report_names_the_bottleneck() {
    let file = toy_file("report_names_the_bottleneck");
    let o = run(&[
        "--file",
        file.to_str().unwrap(),
        "report",
        "--samples",
        "20",
        "--to",
        "2027",
        "--profile",
        "KZ",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(
        md.contains("The bottleneck is separation, in the midstream"),
        "{md}"
    );
    assert!(md.contains("If China stops exporting"), "{md}");
    assert!(md.contains("## Outlook: NdPr:oxide"), "{md}");
    assert!(md.contains("## Kazakhstan (KZ): signals or supply"), "{md}");
    let o = run(&[
        "--file",
        file.to_str().unwrap(),
        "--format",
        "json",
        "report",
        "--samples",
        "20",
        "--to",
        "2026",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["bottlenecks"][0]["report"]["deliverable"], "330");
}

#[test]
fn output_goes_to_a_file_or_fails_cleanly() {
    let dir = temp_dir("output");
    let out = dir.join("graph.dot");
    let file = toy_file("output_goes_to_a_file_or_fails_cleanly");
    let o = run(&[
        "--file",
        file.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "export",
        "--commodity",
        "NdPr:oxide",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("digraph supply {")
    );
    assert!(!dir.join(".graph.dot.tmp").exists());
    let o = run(&[
        "--file",
        file.to_str().unwrap(),
        "--output",
        "/nonexistent/dir/out.md",
        "export",
        "--commodity",
        "NdPr:oxide",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("/nonexistent/dir/out.md"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn maxflow_solves_dimacs() {
    let path = temp_dir("dimacs").join("two.dimacs");
    std::fs::write(
        &path,
        "p max 4 4\nn 1 s\nn 4 t\na 1 2 3\na 2 4 2\na 1 3 2\na 3 4 4\n",
    )
    .unwrap();
    let o = run(&["maxflow", "--dimacs", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("value=4 "), "{}", stdout(&o));
    std::fs::write(&path, "p max 4 1\nn 1 s\nn 4 t\na 1 9 3\n").unwrap();
    let o = run(&["maxflow", "--dimacs", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 4"), "{}", stderr(&o));
}

/// Compares `actual` with the committed golden file, or rewrites it under `MIDSTREAM_BLESS=1`.
fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("MIDSTREAM_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{name} differs from tests/golden/{name}; if the change is intended, regenerate with \
         `MIDSTREAM_BLESS=1 cargo test -p midstream-cli --test cli golden`\n--- actual ---\n{actual}"
    );
}

#[test]
fn golden_reports_of_the_embedded_dataset() {
    let md = run(&["report", "--samples", "50", "--fixed-samples"]);
    assert!(md.status.success(), "{}", stderr(&md));
    let text = stdout(&md);
    // What the default report must say (the README's promise).
    for expected in [
        "## NdPr:oxide in 2025",
        "What binds most is mining, above all in China",
        "## If China stops exporting: NdPr:oxide in 2025",
        "## Outlook: NdPr:oxide",
        "### Outside China",
        "## Is there enough? DyTbNdPr:oxide@contained against demand",
        "### World supply against demand: STEPS",
        "## Dy:oxide in 2025",
        "## Tb:oxide in 2025",
        "## Kazakhstan (KZ): signals or supply",
    ] {
        assert!(text.contains(expected), "missing {expected:?}");
    }
    golden("report.md", &text);
    let json = run(&[
        "--format",
        "json",
        "report",
        "--samples",
        "50",
        "--fixed-samples",
    ]);
    assert!(json.status.success(), "{}", stderr(&json));
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v["dataset"], "rare-earths-2025");
    assert!(v["bottlenecks"].as_array().is_some_and(|b| b.len() >= 3));
    assert_eq!(v["profiles"][0]["country"], "KZ");
    golden("report.json", &stdout(&json));
}

#[test]
fn charts_are_svg() {
    let o = run(&[
        "--dataset",
        "rare-earths-2024",
        "chart",
        "--commodity",
        "NdPr:oxide",
        "--samples",
        "20",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let svg = stdout(&o);
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("P10–P90"));
    let o = run(&[
        "--dataset",
        "rare-earths-2024",
        "chart",
        "--commodity",
        "NdPr:oxide",
        "--kind",
        "cut",
    ]);
    assert!(stdout(&o).contains("China"), "{}", stdout(&o));
    // On the default dataset (format 2) the bars are what binds on the material balance.
    let o = run(&["chart", "--commodity", "Dy:oxide", "--kind", "cut"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let svg = stdout(&o);
    assert!(svg.contains("what binds, by country"), "{svg}");
    assert!(svg.contains(">China<"), "{svg}");
    // The default dataset is format 2: its outlook runs on the material balance.
    let o = run(&["chart", "--commodity", "NdPr:oxide", "--samples", "20"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("P10–P90"));
}

/// `outlook` answers "is there enough": world supply against each demand case, and the supply
/// outside China by default where the dataset has Chinese plants.
#[test]
fn outlook_sets_supply_against_demand_and_outside_china() {
    let args = [
        "outlook",
        "--commodity",
        "DyTbNdPr:oxide@contained",
        "--samples",
        "50",
        "--to",
        "2030",
    ];
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for expected in [
        "### Outside China",
        "### World supply against demand: STEPS",
        "### World supply against demand: NZE",
        "| 2030 | 122850 |",
        "In 2030, demand of 122850 t meets a median shortfall of",
        "Sampling error:",
        "#### What moves world supply in 2030",
        "| Eneabba rare-earths refinery (`iluka-eneabba`) | AU |",
        "#### What moves supply outside China in 2030",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let o = run(&[&args[..], &["--outside", "none"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains("### Outside"));
    let o = run(&[&args[..], &["--outside", "XX"]].concat());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let json = run(&[&["--format", "json"][..], &args[..]].concat());
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v["outside"]["country"], "CN");
    assert_eq!(v["demand"][2]["case"], "STEPS");
}

/// `report --charts DIR` makes the folder (nested) before any work, and writes every chart;
/// a folder that cannot be made is refused before the analysis starts.
#[test]
fn report_charts_make_their_folder() {
    let dir = temp_dir("report_charts").join("nested").join("charts");
    let _ = std::fs::remove_dir_all(&dir);
    let o = run(&[
        "--dataset",
        "rare-earths-2024",
        "report",
        "--commodity",
        "NdPr:oxide",
        "--samples",
        "20",
        "--fixed-samples",
        "--charts",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for chart in ["NdPr-oxide-cut.svg", "NdPr-oxide-outlook.svg"] {
        let svg = std::fs::read_to_string(dir.join(chart)).unwrap();
        assert!(svg.starts_with("<svg"), "{chart}");
    }
    let blocked = temp_dir("report_charts_blocked").join("a-file");
    std::fs::write(&blocked, "not a folder").unwrap();
    let o = run(&[
        "report",
        "--charts",
        blocked.join("charts").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("a-file"), "{}", stderr(&o));
}

/// `export --as sankey` and `--as csv` write one year's flows, mine to buyers.
#[test]
fn export_writes_the_flows_as_a_sankey_and_a_csv() {
    let o = run(&["export", "--commodity", "NdPr:magnet", "--as", "sankey"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let svg = stdout(&o);
    assert!(svg.starts_with("<svg") && svg.contains("buyers"), "{svg}");
    let o = run(&[
        "export",
        "--commodity",
        "NdPr:oxide",
        "--as",
        "csv",
        "--year",
        "2025",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = stdout(&o);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "from,from_name,from_stage,from_country,to,to_name,to_stage,to_country,commodity,tonnes"
        )
    );
    // What reaches the buyers adds up to the deliverable (101,571 t, to the kilogram).
    let delivered: f64 = csv
        .lines()
        .filter(|l| l.contains(",buyers,"))
        .filter_map(|l| l.rsplit(',').next()?.parse::<f64>().ok())
        .sum();
    assert!((delivered - 101_571.0).abs() < 1.0, "{delivered}");
}

/// Faults around the files: each is exit code 2 with one line naming the path, never a trace.
#[test]
fn file_faults_exit_2_naming_the_path() {
    let dir = temp_dir("file_faults");
    let dimacs_dir = dir.join("a-directory.dimacs");
    std::fs::create_dir_all(&dimacs_dir).unwrap();
    let not_utf8 = dir.join("latin1.json");
    std::fs::write(&not_utf8, b"{\"name\": \"caf\xe9\"}").unwrap();
    let scenario_dir = dir.join("scenario-dir");
    std::fs::create_dir_all(&scenario_dir).unwrap();
    let out_dir = dir.join("out-is-a-directory");
    std::fs::create_dir_all(&out_dir).unwrap();
    let toy = toy_file("file_faults_exit_2_naming_the_path");
    let toy = toy.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["validate", "/nonexistent/file.json"],
            "/nonexistent/file.json",
        ),
        (
            vec!["validate", dir.to_str().unwrap()],
            dir.to_str().unwrap(),
        ),
        (vec!["validate", not_utf8.to_str().unwrap()], "not UTF-8"),
        (
            vec!["maxflow", "--dimacs", dimacs_dir.to_str().unwrap()],
            "not a regular file",
        ),
        (
            vec![
                "--file",
                toy,
                "scenario",
                "--commodity",
                "NdPr:oxide",
                "--scenario-file",
                scenario_dir.to_str().unwrap(),
            ],
            "not a regular file",
        ),
        (
            vec![
                "--file",
                toy,
                "--output",
                out_dir.to_str().unwrap(),
                "export",
                "--commodity",
                "NdPr:oxide",
            ],
            out_dir.to_str().unwrap(),
        ),
    ];
    for (args, names) in cases {
        let o = run(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(names), "{args:?}: {names:?} not in {err}");
        // One message: a first line, then (for a dataset) one indented line per problem.
        assert!(err.starts_with("midstream: "), "{args:?}: {err}");
        assert!(
            err.lines().skip(1).all(|l| l.starts_with("  ")),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // A failed write leaves neither a half file nor the temporary file behind.
    assert!(std::fs::read_dir(&out_dir).unwrap().next().is_none());
    assert!(!dir.join(".out-is-a-directory.tmp").exists());
}

/// A reader that goes away (`midstream report | head -1`) is not an error.
#[test]
fn a_closed_stdout_is_not_an_error() {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_midstream"))
        .args(["report", "--samples", "20"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the read end before the report is written.
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("internal error"), "{err}");
}

/// A scenario file: its fields and the flags combine, and its mistakes name the file, line and
/// field.
#[test]
fn scenario_files_combine_with_flags_and_report_their_mistakes() {
    let dir = temp_dir("scenario_files");
    let toy = toy_file("scenario_files_combine_with_flags_and_report_their_mistakes");
    let good = dir.join("stop.json");
    std::fs::write(&good, "{\"export_stops\": [\"CN\"]}\n").unwrap();
    let o = run(&[
        "--file",
        toy.to_str().unwrap(),
        "--format",
        "json",
        "scenario",
        "--commodity",
        "NdPr:oxide",
        "--scenario-file",
        good.to_str().unwrap(),
        "--exclude",
        "MY",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // China's 250 t separation stays home and Malaysia is gone: nothing reaches buyers abroad.
    assert_eq!(json["scenario"]["deliverable"], "0", "{json:#}");
    let bad = dir.join("typo.json");
    std::fs::write(&bad, "{\n  \"export_stop\": [\"CN\"]\n}\n").unwrap();
    let o = run(&[
        "--file",
        toy.to_str().unwrap(),
        "scenario",
        "--commodity",
        "NdPr:oxide",
        "--scenario-file",
        bad.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("typo.json"), "{err}");
    assert!(err.contains("line 2"), "{err}");
    assert!(err.contains("`export_stop`"), "{err}");
}

/// Separate processes, same bytes: nothing in the output depends on the process (hash seeds,
/// addresses, time).
#[test]
fn separate_runs_print_the_same_bytes() {
    for format in ["md", "json"] {
        // Two chains that exercise recipes, joint products and the export stop; a short,
        // fixed-size outlook (the library's determinism tests cover settled sampling).
        let args = [
            "--format",
            format,
            "report",
            "--commodity",
            "NdPr:magnet",
            "--commodity",
            "Dy:oxide",
            "--to",
            "2030",
            "--samples",
            "200",
            "--fixed-samples",
        ];
        let first = run(&args);
        assert!(first.status.success(), "{}", stderr(&first));
        for _ in 0..2 {
            let again = run(&args);
            assert!(again.stdout == first.stdout, "{format}: the output changed");
        }
    }
}

/// A small JSON Schema checker for what schemars emits (`$ref`, `type`, `const`, `enum`,
/// `properties`, `required`, `items`, `prefixItems`, `minItems`/`maxItems`, `oneOf`, `anyOf`,
/// `minimum`/`maximum`), stricter than the standard in one way: an object may hold only the
/// properties its schema declares, so that the schema documents every field the CLI prints.
/// `pattern` and `format` are not checked.
#[allow(clippy::too_many_lines)] // Reason: one keyword after another, as the standard lists them.
fn schema_errors(
    root: &serde_json::Value,
    schema: &serde_json::Value,
    value: &serde_json::Value,
    at: &str,
    errors: &mut Vec<String>,
) {
    use serde_json::Value;
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return schema_errors(root, &root["$defs"][name], value, at, errors);
    }
    let type_name = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if let Some(t) = schema.get("type") {
        let allowed: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = type_name(value);
        let ok = allowed
            .iter()
            .any(|&a| a == actual || (a == "number" && actual == "integer"));
        if !ok {
            errors.push(format!("{at}: {actual} is not {allowed:?}"));
            return;
        }
    }
    if let Some(c) = schema.get("const")
        && c != value
    {
        errors.push(format!("{at}: {value} is not {c}"));
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        errors.push(format!("{at}: {value} is not one of {options:?}"));
    }
    if let (Some(min), Some(n)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) && n < min
    {
        errors.push(format!("{at}: {n} < {min}"));
    }
    if let (Some(max), Some(n)) = (
        schema.get("maximum").and_then(Value::as_f64),
        value.as_f64(),
    ) && n > max
    {
        errors.push(format!("{at}: {n} > {max}"));
    }
    for (keyword, exactly_one) in [("oneOf", true), ("anyOf", false)] {
        if let Some(branches) = schema.get(keyword).and_then(Value::as_array) {
            let passing = branches
                .iter()
                .filter(|b| {
                    let mut e = Vec::new();
                    schema_errors(root, b, value, at, &mut e);
                    e.is_empty()
                })
                .count();
            if passing == 0 || (exactly_one && passing > 1) {
                errors.push(format!("{at}: {passing} branches of {keyword} match"));
            }
        }
    }
    if let Value::Object(map) = value {
        let properties = schema.get("properties").and_then(Value::as_object);
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for r in required.iter().filter_map(Value::as_str) {
                if !map.contains_key(r) {
                    errors.push(format!("{at}: missing `{r}`"));
                }
            }
        }
        if schema.get("oneOf").is_none() && schema.get("anyOf").is_none() {
            for (k, v) in map {
                match properties.and_then(|p| p.get(k)) {
                    Some(s) => schema_errors(root, s, v, &format!("{at}.{k}"), errors),
                    None => errors.push(format!("{at}: `{k}` is not in the schema")),
                }
            }
        }
    }
    if let Value::Array(items) = value {
        let prefix = schema.get("prefixItems").and_then(Value::as_array);
        for (i, item) in items.iter().enumerate() {
            let s = prefix
                .and_then(|p| p.get(i))
                .or_else(|| schema.get("items"));
            if let Some(s) = s {
                schema_errors(root, s, item, &format!("{at}[{i}]"), errors);
            }
        }
        let len = items.len() as u64;
        if schema
            .get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| len < m)
            || schema
                .get("maxItems")
                .and_then(Value::as_u64)
                .is_some_and(|m| len > m)
        {
            errors.push(format!("{at}: {len} items out of bounds"));
        }
    }
}

#[test]
fn report_json_matches_the_report_schema() {
    let o = run(&["schema", "--of", "report"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let schema: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/report.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(schema, committed, "docs/report.schema.json is out of date");
    // The default dataset (format 2, no outlook) and a format-1 one (with outlooks).
    let mut report = serde_json::Value::Null;
    for dataset in ["rare-earths-2025", "rare-earths-2024"] {
        let o = run(&[
            "--dataset",
            dataset,
            "--format",
            "json",
            "report",
            "--samples",
            "30",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        report = serde_json::from_str(&stdout(&o)).unwrap();
        let mut errors = Vec::new();
        schema_errors(&schema, &schema, &report, "$", &mut errors);
        assert!(errors.is_empty(), "{dataset}: {errors:#?}");
        assert!(!report["bottlenecks"].as_array().unwrap().is_empty());
    }
    // The checker can fail: a wrong type, a missing field and an undocumented field are caught.
    report["bottlenecks"][0]["report"]["deliverable"] = serde_json::json!(true);
    report["outlooks"][0]
        .as_object_mut()
        .unwrap()
        .remove("samples");
    report["profiles"][0]["surprise"] = serde_json::json!(1);
    let mut errors = Vec::new();
    schema_errors(&schema, &schema, &report, "$", &mut errors);
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

#[test]
fn presets_are_listed_and_run_with_their_sources() {
    let o = run(&["presets"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("`cn-2025-04-hree-licence` (rare-earths-2025)"));
    let o = run(&[
        "scenario",
        "--commodity",
        "Dy:oxide",
        "--preset",
        "mm-kachin-disruption",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(
        md.starts_with("## No ion-adsorption clay feed from Myanmar"),
        "{md}"
    );
    assert!(
        md.contains("| deliverable (t/yr) | 3761 | 2287 | -1474 |"),
        "{md}"
    );
    assert!(md.contains("Sources:\n- The Irrawaddy"), "{md}");
    // A preset written for another dataset is refused, naming the one to use.
    let o = run(&[
        "--dataset",
        "rare-earths-2024",
        "scenario",
        "--commodity",
        "Dy:oxide",
        "--preset",
        "mm-kachin-disruption",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--dataset rare-earths-2025"),
        "{}",
        stderr(&o)
    );
    let o = run(&["scenario", "--commodity", "Dy:oxide", "--preset", "nope"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("available: cn-2025-04-hree-licence"),
        "{}",
        stderr(&o)
    );
}

/// `critical-minerals-2024` holds six chains by country, each at one stage: the report gives
/// each its concentration (and says why there is no bottleneck section).
#[test]
fn critical_minerals_report_gives_every_chain_its_concentration() {
    let o = run(&["--dataset", "critical-minerals-2024", "report"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(
        md.contains("there is no chain to find a bottleneck in"),
        "{md}"
    );
    assert!(md.contains("## Concentration by stage, 2024"), "{md}");
    for row in [
        "| W:concentrate@contained | mining | 79900 | 10 | China 83.9 % |",
        "| U:concentrate@contained | mining | 60058 | 12 | Kazakhstan 38.7 % |",
        "| Cr:concentrate@product | mining | 44000000 | 7 | South Africa 47.7 % |",
        "| Ti:metal | metal_refining | 324300 | 6 | China 67.8 % |",
        "| Al:metal | metal_refining | 64820000 | 12 | China 66.3 % |",
        "| Cu:concentrate | mining | 19940000 | 14 | Chile 26.6 % |",
        "| Cu:metal | metal_refining | 24710000 | 17 | China 48.6 % |",
    ] {
        assert!(md.contains(row), "missing {row:?} in\n{md}");
    }
    let o = run(&[
        "--dataset",
        "critical-minerals-2024",
        "--format",
        "json",
        "report",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["concentration"].as_array().map(Vec::len), Some(7));
}

/// The README's commands on the example files it names (`examples/data/`) do what it says.
#[test]
fn the_readme_example_files_work() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let file = |name: &str| root.join(name).to_str().unwrap().to_owned();
    let o = run(&["validate", &file("examples/data/chain-with-mistakes.json")]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    for rule in ["composition_sum", "duplicate_id", "unknown_facility"] {
        assert!(err.contains(rule), "{err}");
    }
    let o = run(&[
        "scenario",
        "--commodity",
        "Dy:oxide",
        "--scenario-file",
        &file("examples/data/what-if.json"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[
        "maxflow",
        "--dimacs",
        &file("examples/data/instance.dimacs"),
    ]);
    assert!(stdout(&o).starts_with("value=4 "), "{}", stdout(&o));
    let o = run(&[
        "--file",
        &file("tests/material/worked-example.json"),
        "report",
        "--commodity",
        "NdPr:magnet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("**Which input binds**"),
        "{}",
        stdout(&o)
    );
}

/// Messages in plain words: a profile of a country without facilities says so in a sentence;
/// an outlook whose last year comes first says that; error counts are plural only when several.
#[test]
fn plain_messages_for_empty_and_reversed_inputs() {
    let o = run(&["--dataset", "kazakhstan-2025", "profile", "DE"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("has no facility in Germany"),
        "{}",
        stdout(&o)
    );
    let o = run(&["report", "--to=-5"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("must come after the dataset's as-of year"),
        "{}",
        stderr(&o)
    );
    let o = run(&["outlook", "--commodity", "NdPr:oxide", "--to", "2020"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the last year comes before the first") && !stderr(&o).contains("..="),
        "{}",
        stderr(&o)
    );
}

/// A global option a command does not use is refused, not silently ignored.
#[test]
fn each_command_takes_only_the_options_it_uses() {
    // Before the command: refused with a sentence.
    for (args, says) in [
        (
            vec!["--dataset", "kazakhstan-2025", "schema"],
            "leave out --dataset and --file",
        ),
        (
            vec!["--file", "x.json", "datasets"],
            "leave out --dataset and --file",
        ),
        (
            vec![
                "--format",
                "json",
                "maxflow",
                "--dimacs",
                "examples/data/instance.dimacs",
            ],
            "leave out --format",
        ),
        (
            vec!["--format", "json", "export", "--commodity", "NdPr:oxide"],
            "use --as json",
        ),
        (
            vec!["--format", "json", "chart", "--commodity", "NdPr:oxide"],
            "a chart is SVG",
        ),
        (
            vec![
                "--dataset",
                "rare-earths-2024",
                "risk",
                "--dataset",
                "rare-earths-2025",
                "--commodity",
                "NdPr:oxide",
            ],
            "given twice",
        ),
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    // After the command: not an option of it.
    for args in [
        vec!["schema", "--dataset", "kazakhstan-2025"],
        vec!["datasets", "--file", "x.json"],
        vec!["chart", "--commodity", "NdPr:oxide", "--format", "json"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("unexpected argument"), "{args:?}");
    }
    // A command's help lists only its options.
    let help = stdout(&run(&["schema", "--help"]));
    assert!(
        help.contains("--output") && !help.contains("--dataset"),
        "{help}"
    );
    let help = stdout(&run(&["datasets", "--help"]));
    assert!(
        help.contains("--format") && !help.contains("--file"),
        "{help}"
    );
    let help = stdout(&run(&["risk", "--help"]));
    assert!(
        help.contains("--dataset") && help.contains("--format"),
        "{help}"
    );
    // The same option before or after the command: the same output.
    let before = run(&[
        "--dataset",
        "rare-earths-2024",
        "--format",
        "json",
        "risk",
        "--commodity",
        "NdPr:oxide",
    ]);
    let after = run(&[
        "risk",
        "--commodity",
        "NdPr:oxide",
        "--dataset",
        "rare-earths-2024",
        "--format",
        "json",
    ]);
    assert!(before.status.success(), "{}", stderr(&before));
    assert_eq!(before.stdout, after.stdout);
}

#[test]
fn validate_answers_in_json_too() {
    let mistakes = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/data/chain-with-mistakes.json");
    let o = run(&["validate", mistakes.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["valid"], false);
    let issues = v["issues"].as_array().unwrap();
    assert!(
        issues
            .iter()
            .any(|i| i["rule"] == "duplicate_id" && i["location"]["record"] == "mine-b")
    );
    let file = toy_file("validate_answers_in_json_too");
    let o = run(&["validate", file.to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["valid"], true);
    assert!(v["facilities"].as_u64().is_some_and(|n| n > 0));
    let o = run(&["validate", "no-such-file.json", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        v["load_error"]
            .as_str()
            .is_some_and(|e| e.contains("no-such-file.json"))
    );
}

#[test]
fn risk_and_invest_answer_in_markdown_and_json() {
    let o = run(&["risk", "--commodity", "NdPr:oxide"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(md.contains("## How risky: NdPr:oxide in 2025"), "{md}");
    assert!(
        md.contains("Separation is more concentrated than mining"),
        "{md}"
    );
    let o = run(&["--format", "json", "risk", "--commodity", "Dy:oxide"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["eu"][0]["element"], "Dy");
    assert!(v["stages"].as_array().is_some_and(|s| !s.is_empty()));
    let o = run(&["invest", "--commodity", "NdPr:oxide", "--year", "2030"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("with `eneabba-feed`"), "{}", stdout(&o));
    let o = run(&["--format", "json", "invest", "--commodity", "NdPr:oxide"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // The ranking says what it is for: the commodity and the (default) year.
    assert_eq!(v["commodity"], "NdPr:oxide");
    assert_eq!(v["year"], 2030);
    assert!(v["candidates"].as_array().is_some_and(|a| !a.is_empty()));
    // A commodity nothing makes is an input error naming it.
    let o = run(&["risk", "--commodity", "Ho:oxide"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn completions_cover_every_command_and_parse() {
    let o = run(&["completions", "bash"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let script = stdout(&o);
    for command in [
        "report",
        "risk",
        "invest",
        "outlook",
        "validate",
        "completions",
    ] {
        assert!(
            script.contains(command),
            "no {command} in the bash completions"
        );
    }
    // The script is valid bash (where bash is installed).
    let dir = temp_dir("completions");
    let path = dir.join("midstream.bash");
    std::fs::write(&path, &script).unwrap();
    if let Ok(check) = Command::new("bash").arg("-n").arg(&path).output() {
        assert!(check.status.success(), "{}", stderr(&check));
    }
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        assert!(run(&["completions", shell]).status.success(), "{shell}");
    }
}

#[test]
fn no_progress_bar_off_a_terminal() {
    // The test's stderr is a pipe: the report draws nothing there.
    let o = run(&[
        "--dataset",
        "rare-earths-2024",
        "report",
        "--commodity",
        "NdPr:oxide",
        "--to",
        "2026",
        "--samples",
        "100",
        "--fixed-samples",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
}
