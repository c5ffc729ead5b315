//! # Build your own dataset
//!
//! The embedded datasets are examples; the point of midstream is to analyse your own chain. This
//! notebook writes a small dataset by hand (in JSON, the format of `docs/data-model.md`), with a
//! few typical mistakes in it, and shows how validation reports all of them at once, each with
//! its record and field. Then it fixes them, finds the bottleneck, runs a what-if, and exports
//! the graph to Graphviz DOT.
//!
//! Every name and figure below is invented ("Example mine", "Example separator"); only the
//! country codes are real, because the format requires assigned ISO codes.
//!
//! Run it from the repository root:
//!
//! ```sh
//! cargo run --example build_your_own_dataset
//! ```
//!
//! In a Rust notebook (`evcxr_jupyter`, or the evcxr REPL; see `docs/notebooks.md`), first load
//! the facade by its absolute path (a relative path is resolved against the kernel's working
//! directory, not this repository):
//!
//! ```text
//! :dep midstream = { path = "/path/to/midstream/crates/midstream" }
//! ```
//!
//! Then paste the `use` lines, the `BROKEN` constant and the helper functions into one cell, and
//! each section of `main` (from one `// ##` heading to the next) into a cell of its own, without
//! the final `Ok(())`.
//! No section keeps a borrowed value or a closure at its top level, so each cell's variables
//! stay available to the next.
//!
//! With your own file, use `Dataset::from_json_file("my-chain.json")` instead of
//! `Dataset::from_json_str`.
//!
//! Every statement the commentary makes about a result is checked by the code (`ensure`): if the
//! library changes so that a statement no longer holds, the example stops with an error that
//! names the statement.

use std::collections::BTreeSet;
use std::error::Error;

use midstream::Analysis;
use midstream::domain::Rule;
use midstream::prelude::*;

/// A fictional NdPr chain, with five mistakes in it (see section 1).
const BROKEN: &str = r#"{
  "format_version": 1,
  "name": "Example NdPr chain (fictional)",
  "description": "A made-up chain for the build_your_own_dataset example: every name and figure is invented.",
  "as_of": "2024-12-31",
  "sources": [
    {"id": "example-notes", "publisher": "Example Publisher", "title": "Made-up figures for a tutorial", "year": 2024}
  ],
  "facilities": [
    {"id": "example-mine", "name": "Example mine", "country": "AU", "stage": "mining",
     "maturity": "operating",
     "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "5000", "source": "example-notes"}]},
    {"id": "example-mine", "name": "Second example mine", "country": "CA", "stage": "mining",
     "maturity": "operating",
     "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "3000", "source": "example-report"}]},
    {"id": "example-separator", "name": "Example separator", "country": "MY", "stage": "separation",
     "maturity": "operating",
     "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "0", "source": "example-notes"}]},
    {"id": "example-separation-project", "name": "Example separation project", "country": "CA",
     "stage": "separation", "maturity": "construction",
     "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "2500", "source": "example-notes"}],
     "milestones": [{"kind": "first_production", "date": "2026-06-30", "status": "achieved",
                     "source": "example-notes"}]}
  ],
  "links": [
    {"id": "mine-to-separator", "from": "example-mine", "to": "example-seperator",
     "commodity": "NdPr:oxide", "tonnes_per_year": "4500", "source": "example-notes"}
  ],
  "demand": [
    {"id": "magnets-2024", "buyer": "Example magnet makers", "country": "US",
     "commodity": "NdPr:oxide", "tonnes_per_year": "7000", "year": 2024, "source": "example-notes"},
    {"id": "magnets-2027", "buyer": "Example magnet makers", "country": "US",
     "commodity": "NdPr:oxide", "tonnes_per_year": "8000", "year": 2027, "source": "example-notes"}
  ]
}"#;

/// Stops the example when a statement of the commentary does not hold.
fn ensure(holds: bool, statement: &str) -> Result<(), Box<dyn Error>> {
    if holds {
        Ok(())
    } else {
        Err(format!("the commentary no longer matches the result: {statement}").into())
    }
}

/// Replaces `wrong` by `right` in `text`, where `wrong` occurs exactly once.
fn fix(text: &str, wrong: &str, right: &str) -> Result<String, Box<dyn Error>> {
    match text.matches(wrong).count() {
        1 => Ok(text.replacen(wrong, right, 1)),
        n => Err(format!("{wrong:?} occurs {n} times, not once").into()),
    }
}

/// The ids of a cut's facilities.
fn cut_facilities(report: &BottleneckReport) -> Vec<String> {
    report
        .cut
        .iter()
        .filter_map(|m| match m {
            CutMember::Facility { id, .. } => Some(id.to_string()),
            _ => None,
        })
        .collect()
}

/// Whether the DOT drawing shows facility `id` in red (in the bottleneck).
fn drawn_red(dot: &str, id: &str) -> bool {
    dot.lines()
        .any(|l| l.contains(&format!("\"f:{id}\" [")) && l.contains("color=red"))
}

/// Prints the headline of a bottleneck report.
fn print_report(report: &BottleneckReport) {
    println!(
        "  {}: deliverable {}, demand {}, shortfall {}",
        report.year,
        report.deliverable,
        report
            .demand
            .map_or_else(|| "none".to_owned(), |t| t.to_string()),
        report
            .shortfall
            .map_or_else(|| "none".to_owned(), |t| t.to_string())
    );
    for member in &report.cut {
        match member {
            CutMember::Facility {
                name,
                stage,
                country,
                capacity,
                ..
            } => println!("    limited by {name} ({stage}, {country}): {capacity}"),
            other => println!("    limited by {other:?}"),
        }
    }
}

#[allow(clippy::too_many_lines)] // Reason: a notebook, section after section.
fn main() -> Result<(), Box<dyn Error>> {
    // ## 1. A dataset with mistakes
    //
    // The JSON above (`BROKEN`) describes two mines, a separator and a separation project, a
    // contract link from a mine to the separator, and the demand of a magnet maker. It parses (the
    // shape is right), but it has five mistakes of substance:
    //
    // - two facilities share the id `example-mine`;
    // - a capacity cites a source, `example-report`, that the dataset does not have;
    // - the separator's capacity is zero;
    // - the project's first production is marked achieved on a date after the as-of date;
    // - the link points to `example-seperator`, a misspelling.
    //
    // `Dataset::from_json_str` checks the shape; `validate()` checks the rules and reports every
    // broken one, with its record and field, instead of stopping at the first.
    let report = Dataset::from_json_str(BROKEN)?
        .validate()
        .err()
        .ok_or("the broken dataset passed validation")?;
    println!("{report}");
    // All five mistakes are reported in one go, each under its rule.
    let rules: BTreeSet<Rule> = report.errors().map(|i| i.rule).collect();
    for expected in [
        Rule::DuplicateId,
        Rule::UnknownSource,
        Rule::NonPositiveCapacity,
        Rule::AchievedAfterAsOf,
        Rule::UnknownFacility,
    ] {
        ensure(
            rules.contains(&expected),
            &format!("validation reports {}", expected.name()),
        )?;
    }

    // ## 2. Fixing them
    //
    // Each fix replaces one piece of the text (and `fix` refuses to run if that piece is not
    // there exactly once). In a real project you would edit the file; the validator's messages
    // name the record and the field to look at.
    let text = fix(
        BROKEN,
        r#""id": "example-mine", "name": "Second example mine""#,
        r#""id": "second-example-mine", "name": "Second example mine""#,
    )?;
    let text = fix(&text, r#""example-report""#, r#""example-notes""#)?;
    let text = fix(
        &text,
        r#""tonnes_per_year": "0""#,
        r#""tonnes_per_year": "4000""#,
    )?;
    let text = fix(&text, r#""status": "achieved""#, r#""status": "planned""#)?;
    let text = fix(&text, r#""example-seperator""#, r#""example-separator""#)?;
    let data = Dataset::from_json_str(&text)?.validate()?;
    println!();
    println!(
        "Fixed: {} validates with {} facilities, {} link(s), {} demand record(s) and {} warning(s).",
        data.name,
        data.facilities.len(),
        data.links.len(),
        data.demand.len(),
        data.warnings().len()
    );
    // It validates, and without a single warning.
    ensure(
        data.warnings().is_empty(),
        "the fixed dataset has no warning",
    )?;

    // ## 3. Where does the chain bind?
    //
    // The supply graph joins the stages through markets, except where links say otherwise. A
    // facility with a link on a side trades only along its links on that side: the first mine
    // ships only to the separator, and the separator buys only from the first mine. The second
    // mine sells into the separation market, where only the project buys; the project is not
    // producing in the as-of year, so the second mine has no buyer yet. Demand is read for the
    // scenario year, so deliverable supply cannot exceed what the buyer needs, and the gap is
    // the shortfall.
    let analysis = Analysis::new(data.clone());
    let ndpr: Commodity = "NdPr:oxide".parse()?;
    let baseline = analysis.bottleneck(&ndpr, &Scenario::baseline())?;
    println!();
    println!("Baseline:");
    print_report(&baseline.report);
    for a in &baseline.cut_delivery {
        println!("    {}", a.summary);
    }
    // The separator is the bottleneck, a midstream one, and demand is not met. The second mine
    // ships nothing.
    ensure(
        cut_facilities(&baseline.report) == ["example-separator"]
            && baseline.report.bottleneck_is_midstream,
        "the separator alone is the bottleneck",
    )?;
    ensure(
        baseline.report.shortfall.is_some_and(|s| !s.is_zero()),
        "demand is not met",
    )?;
    let second_mine_ships = baseline
        .report
        .utilisation
        .iter()
        .find(|u| u.id.as_str() == "second-example-mine")
        .map(|u| u.throughput)
        .ok_or("the second mine is not in the graph")?;
    println!("  the second mine ships {second_mine_ships}");
    ensure(second_mine_ships.is_zero(), "the second mine ships nothing")?;

    // ## 4. What if the project delivers?
    //
    // The project plans its first production the year before the one we look at (printed). In
    // 2027, with and without it online (the 2027 demand record applies in both):
    let planned: Vec<String> = data
        .facility("example-separation-project")
        .map(|f| {
            f.milestones
                .iter()
                .map(|m| format!("{} {} ({:?})", m.kind, m.date, m.status))
                .collect()
        })
        .unwrap_or_default();
    println!();
    println!("The project's milestones: {}", planned.join("; "));
    ensure(
        planned
            .iter()
            .any(|m| m.starts_with("first_production 2026")),
        "the project plans its first production the year before",
    )?;
    let in_2027 = Scenario {
        year: Some(2027),
        ..Scenario::default()
    };
    let with_project = Scenario {
        projects_online: ["example-separation-project".parse()?].into(),
        ..in_2027.clone()
    };
    let cmp = analysis.compare(&ndpr, &in_2027, &with_project)?;
    println!("2027 without the project:");
    print_report(&cmp.baseline);
    println!("2027 with the project:");
    print_report(&cmp.scenario);
    println!(
        "  change: deliverable {}, shortfall {}",
        cmp.deliverable_change,
        cmp.shortfall_change
            .map_or_else(|| "none".to_owned(), |t| t.to_string())
    );
    // The project adds its full capacity (the second mine has ore to spare for it), so the
    // shortfall shrinks, but it does not close: separation still binds, now at both plants.
    let project_capacity = data
        .facility("example-separation-project")
        .and_then(|f| f.capacity(&ndpr))
        .ok_or("the project has no capacity")?
        .tonnes_per_year;
    ensure(
        cmp.deliverable_change == project_capacity,
        "the project adds its full capacity",
    )?;
    ensure(
        cmp.scenario.shortfall.is_some_and(|s| !s.is_zero())
            && cmp.scenario.shortfall < cmp.baseline.shortfall,
        "the shortfall shrinks but does not close",
    )?;
    ensure(
        cut_facilities(&cmp.scenario) == ["example-separation-project", "example-separator"],
        "separation binds at both plants",
    )?;

    // ## 5. Drawing the graph
    //
    // `SupplyGraph::to_dot` writes the flow network in Graphviz DOT: one box per facility, grouped
    // by stage, the markets, links and demand, and the bottleneck drawn in red. Given the
    // material balance of the same scenario, each facility is labelled with the least and the
    // most it carries over all flows that deliver the maximum (never one arbitrary flow). Save
    // it and render it with `dot -Tsvg chain.dot > chain.svg`.
    let graph = SupplyGraph::build(&data, &ndpr, &with_project)?;
    let balance = BalanceModel::build(&data, &ndpr)?.solve(&with_project)?;
    let dot = graph.to_dot(Some(&balance))?;
    println!();
    println!("{dot}");
    // The two separators are drawn in red; the mines are not.
    ensure(
        drawn_red(&dot, "example-separator") && drawn_red(&dot, "example-separation-project"),
        "the separators are drawn in red",
    )?;
    ensure(
        !drawn_red(&dot, "example-mine") && !drawn_red(&dot, "second-example-mine"),
        "the mines are not drawn in red",
    )?;
    Ok(())
}
