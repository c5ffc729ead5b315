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
use midstream::domain::{MilestoneKind, Rule};
use midstream::prelude::*;

// Headings, paragraphs and numbers as printed, shared by the examples (items some examples
// do not use are allowed to stay unused).
#[allow(dead_code)]
mod narrate;
use narrate::{conclude, note, paragraph, section, t, title, whole};

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

/// `1 link`, `2 links`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

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

/// Whole tonnes with the unit, or `none`.
fn t_or_none(tonnes: Option<Tonnes>) -> String {
    tonnes.map_or_else(|| "none".to_owned(), t)
}

/// Prints the headline of a bottleneck report, then each capacity in the cut.
fn print_report(report: &BottleneckReport) {
    println!(
        "  {}: deliverable {}, demand {}, shortfall {}",
        report.year,
        t(report.deliverable),
        t_or_none(report.demand),
        t_or_none(report.shortfall)
    );
    for member in &report.cut {
        match member {
            CutMember::Facility {
                name,
                stage,
                country,
                capacity,
                ..
            } => println!(
                "    limited by {name} ({stage}, {country}): {} t/yr",
                whole(*capacity)
            ),
            other => println!("    limited by {other:?}"),
        }
    }
}

#[allow(clippy::too_many_lines)] // Reason: a notebook, section after section.
fn main() -> Result<(), Box<dyn Error>> {
    title(
        "Build your own dataset",
        &[
            "The embedded datasets are examples; the point of midstream is to analyse your own \
             chain. This walkthrough writes a small dataset by hand (in JSON, the format of \
             docs/data-model.md), with a few typical mistakes in it, and shows how validation \
             reports all of them at once, each with its record and field. Then it fixes them, \
             finds the bottleneck, runs a what-if, and exports the graph to Graphviz DOT.",
            "Every name and figure is invented (\"Example mine\", \"Example separator\"); only \
             the country codes are real, because the format requires assigned ISO codes. Each \
             conclusion (the lines marked >) is checked against the results before it is \
             printed: if the library changes so that one no longer holds, the example stops \
             with an error that names it.",
        ],
    );

    // ## 1. A dataset with mistakes
    section(
        "1. A dataset with mistakes",
        "The dataset below describes two mines, a separator and a separation project, a \
         contract link from a mine to the separator, and the demand of a magnet maker. It \
         parses (the shape is right), but it has five mistakes of substance:",
    );
    let mistakes = [
        "two facilities share the id example-mine;",
        "a capacity cites a source, example-report, that the dataset does not have;",
        "the separator's capacity is zero;",
        "the project's first production is marked achieved on a date after the as-of date;",
        "the link points to example-seperator, a misspelling.",
    ];
    for mistake in mistakes {
        println!("  - {mistake}");
    }
    println!();
    for line in BROKEN.lines() {
        println!("  {line}");
    }
    note(
        "Dataset::from_json_str checks the shape; validate() checks the rules and reports every \
         broken one, with its record and field, instead of stopping at the first. Its report:",
    );
    let report = Dataset::from_json_str(BROKEN)?
        .validate()
        .err()
        .ok_or("the broken dataset passed validation")?;
    for line in report.to_string().lines() {
        println!("  {line}");
    }
    let rules: BTreeSet<Rule> = report.errors().map(|i| i.rule).collect();
    let expected_rules = [
        Rule::DuplicateId,
        Rule::UnknownSource,
        Rule::NonPositiveCapacity,
        Rule::AchievedAfterAsOf,
        Rule::UnknownFacility,
    ];
    for expected in expected_rules {
        ensure(
            rules.contains(&expected),
            &format!("validation reports {}", expected.name()),
        )?;
    }
    let error_count = report.errors().count();
    ensure(
        error_count == mistakes.len() && expected_rules.len() == mistakes.len(),
        "validation reports one error per mistake",
    )?;
    let rule_names: Vec<String> = expected_rules.iter().map(|r| r.name()).collect();
    conclude(&format!(
        "All {error_count} mistakes are reported in one go, one error each, each under its \
         rule: {}.",
        rule_names.join(", ")
    ));

    // ## 2. Fixing them
    section(
        "2. Fixing them",
        "Each fix replaces one piece of the text, and refuses to run if that piece is not there \
         exactly once. In a real project you would edit the file; the validator's messages name \
         the record and the field to look at. The five replacements, in the order of the \
         mistakes above:",
    );
    let fixes = [
        (
            r#""id": "example-mine", "name": "Second example mine""#,
            r#""id": "second-example-mine", "name": "Second example mine""#,
        ),
        (r#""example-report""#, r#""example-notes""#),
        (r#""tonnes_per_year": "0""#, r#""tonnes_per_year": "4000""#),
        (r#""status": "achieved""#, r#""status": "planned""#),
        (r#""example-seperator""#, r#""example-separator""#),
    ];
    let mut text = BROKEN.to_owned();
    for (wrong, right) in fixes {
        println!("  {wrong}");
        println!("    -> {right}");
        text = fix(&text, wrong, right)?;
    }
    let data = Dataset::from_json_str(&text)?.validate()?;
    ensure(
        data.warnings().is_empty(),
        "the fixed dataset has no warning",
    )?;
    conclude(&format!(
        "Fixed: \"{}\" validates, with {}, {}, {} and not a single warning.",
        data.name,
        count(data.facilities.len(), "facility", "facilities"),
        count(data.links.len(), "link", "links"),
        count(data.demand.len(), "demand record", "demand records")
    ));

    // ## 3. Where does the chain bind?
    let analysis = Analysis::new(data.clone());
    let ndpr: Commodity = "NdPr:oxide".parse()?;
    let baseline = analysis.bottleneck(&ndpr, &Scenario::baseline())?;
    section(
        "3. Where does the chain bind?",
        &format!(
            "The supply graph joins the stages through markets, except where links say \
             otherwise. A facility with a link on a side trades only along its links on that \
             side: the first mine ships only to the separator, and the separator buys only \
             from the first mine. The second mine sells into the separation market, where only \
             the project buys, and the project is not producing in {}. Demand is read for the \
             scenario year, so deliverable supply cannot exceed what the buyer needs, and the \
             gap is the shortfall. The baseline, then what limits it and how likely each \
             limiting plant is to deliver:",
            baseline.report.year
        ),
    );
    print_report(&baseline.report);
    for a in &baseline.cut_delivery {
        paragraph(&a.summary, "    ");
    }
    let second_mine_ships = baseline
        .report
        .utilisation
        .iter()
        .find(|u| u.id.as_str() == "second-example-mine")
        .map(|u| u.throughput)
        .ok_or("the second mine is not in the graph")?;
    println!("  the second mine ships {}", t(second_mine_ships));
    ensure(
        cut_facilities(&baseline.report) == ["example-separator"]
            && baseline.report.bottleneck_is_midstream,
        "the separator alone is the bottleneck",
    )?;
    ensure(
        baseline.report.shortfall.is_some_and(|s| !s.is_zero()),
        "demand is not met",
    )?;
    ensure(second_mine_ships.is_zero(), "the second mine ships nothing")?;
    conclude(&format!(
        "The separator alone is the bottleneck, a midstream one: {} deliverable against a \
         demand of {}, a shortfall of {}. The second mine ships {}: it has no buyer yet.",
        t(baseline.report.deliverable),
        t_or_none(baseline.report.demand),
        t_or_none(baseline.report.shortfall),
        t(second_mine_ships)
    ));

    // ## 4. What if the project delivers?
    let project = data
        .facility("example-separation-project")
        .cloned()
        .ok_or("the project is not in the dataset")?;
    let planned: Vec<String> = project
        .milestones
        .iter()
        .map(|m| format!("{} {} ({:?})", m.kind, m.date, m.status))
        .collect();
    let first_production = project
        .milestones
        .iter()
        .find(|m| m.kind == MilestoneKind::FirstProduction)
        .map(|m| m.date)
        .ok_or("the project has no first production")?;
    let what_if_year = 2027;
    section(
        "4. What if the project delivers?",
        &format!(
            "The project plans its first production on {first_production}, the year before the \
             one we look at. The chain in {what_if_year}, without and with the project online \
             (the {what_if_year} demand record applies in both):"
        ),
    );
    println!("  The project's milestones: {}", planned.join("; "));
    ensure(
        first_production.format("%Y").to_string().parse::<i32>()? == what_if_year - 1,
        "the project plans its first production the year before",
    )?;
    let in_2027 = Scenario {
        year: Some(what_if_year),
        ..Scenario::default()
    };
    let with_project = Scenario {
        projects_online: ["example-separation-project".parse()?].into(),
        ..in_2027.clone()
    };
    let cmp = analysis.compare(&ndpr, &in_2027, &with_project)?;
    println!();
    println!("  Without the project:");
    print_report(&cmp.baseline);
    println!("  With the project:");
    print_report(&cmp.scenario);
    println!(
        "  Change: deliverable {}, shortfall {}",
        t(cmp.deliverable_change),
        t_or_none(cmp.shortfall_change)
    );
    let project_capacity = project
        .capacity(&ndpr)
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
    conclude(&format!(
        "The project adds its full capacity, {} (the second mine has ore to spare for it), so \
         the shortfall shrinks from {} to {}. But it does not close: separation still binds, \
         now at both plants.",
        t(cmp.deliverable_change),
        t_or_none(cmp.baseline.shortfall),
        t_or_none(cmp.scenario.shortfall)
    ));

    // ## 5. Drawing the graph
    section(
        "5. Drawing the graph",
        &format!(
            "SupplyGraph::to_dot writes the flow network of {what_if_year}, with the project \
             online, in Graphviz DOT: one box per facility, grouped by stage, the markets, \
             links and demand, and the bottleneck drawn in red. Each facility is labelled with \
             the least and the most it carries over all flows that deliver the maximum (never \
             one arbitrary flow). Save it as chain.dot and render it with Graphviz: dot -Tsvg \
             chain.dot > chain.svg."
        ),
    );
    let graph = SupplyGraph::build(&data, &ndpr, &with_project)?;
    // Given the material balance of the same scenario, the drawing labels each facility with
    // the range it carries.
    let balance = BalanceModel::build(&data, &ndpr)?.solve(&with_project)?;
    let dot = graph.to_dot(Some(&balance))?;
    println!("{}", dot.trim_end());
    ensure(
        drawn_red(&dot, "example-separator") && drawn_red(&dot, "example-separation-project"),
        "the separators are drawn in red",
    )?;
    ensure(
        !drawn_red(&dot, "example-mine") && !drawn_red(&dot, "second-example-mine"),
        "the mines are not drawn in red",
    )?;
    conclude("The two separators are drawn in red, as the bottleneck; the mines are not.");

    // ## What this says
    section(
        "What this says",
        &format!(
            "Validation found all {error_count} mistakes in one pass, each with its record and \
             field. Once fixed, the chain of {} facilities binds at separation: {} delivered \
             against {} demanded in {}. The project would add {} in {what_if_year} and cut the \
             shortfall to {}, and the DOT drawing shows where the chain binds. The same steps \
             work on your own file: load it with Dataset::from_json_file(\"my-chain.json\") \
             instead of Dataset::from_json_str.",
            data.facilities.len(),
            t(baseline.report.deliverable),
            t_or_none(baseline.report.demand),
            baseline.report.year,
            t(cmp.deliverable_change),
            t_or_none(cmp.scenario.shortfall)
        ),
    );
    Ok(())
}
