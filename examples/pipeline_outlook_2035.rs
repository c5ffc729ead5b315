//! # The pipeline to 2035: what projects add, and where money would count
//!
//! Announced projects make headlines; the question is how much deliverable supply they add, and
//! when. This notebook builds the outlook of NdPr oxide year by year to 2035: what producing
//! plants deliver, what every project on schedule would deliver, and the band in between from a
//! seeded Monte Carlo over which projects actually deliver. Then it ranks the projects by what
//! each adds to deliverable supply, raw and weighted by its chance of delivering, and shows with
//! NdFeB magnets why a letter of interest appears as an option: a large payoff, rarely collected.
//!
//! Data: the embedded `rare-earths-2024` dataset (as of 31 December 2024; see
//! `docs/datasets.md`). Delivery probabilities come from the risk crate (`docs/methodology.md`):
//! maturity, financing, offtakes, technical difficulty, and how realistic the announced
//! timeline is.
//!
//! Run it from the repository root:
//!
//! ```sh
//! cargo run --example pipeline_outlook_2035
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
//! Then paste the `use` lines and the helper functions into one cell, and each section of `main`
//! (from one `// ##` heading to the next) into a cell of its own, without the final `Ok(())`.
//! No section keeps a borrowed value or a closure at its top level, so each cell's variables
//! stay available to the next.
//!
//! Every statement the commentary makes about a result is checked by the code (`ensure`): if the
//! data or the model change so that a statement no longer holds, the example stops with an error
//! that names the statement.

use std::error::Error;

use midstream::prelude::*;
use midstream::{Analysis, Candidate, Outlook, OutlookOptions};

/// The last year of the outlook: the question's horizon.
const HORIZON: i32 = 2035;

/// Stops the example when a statement of the commentary does not hold for the data.
fn ensure(holds: bool, statement: &str) -> Result<(), Box<dyn Error>> {
    if holds {
        Ok(())
    } else {
        Err(format!("the commentary no longer matches the data: {statement}").into())
    }
}

/// A share as a percentage with one decimal, e.g. `11.6 %`.
fn pct(share: Share) -> String {
    format!("{:.1} %", share.percent().round_dp(1))
}

/// Prints an outlook as a table.
fn print_outlook(outlook: &Outlook) {
    println!(
        "  {:>4} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "year", "producing", "P10", "P50", "P90", "expected", "every proj"
    );
    for y in &outlook.years {
        println!(
            "  {:>4} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
            y.year,
            y.operating_only.value(),
            y.p10.value(),
            y.p50.value(),
            y.p90.value(),
            y.expected.value().round_dp(0),
            y.all_projects.value()
        );
    }
}

/// Prints a ranking of candidate projects.
fn print_candidates(candidates: &[Candidate]) {
    println!(
        "  {:<20} {:<14} {:>8} {:>8} {:>13}",
        "project", "stage", "adds", "p", "risk-adjusted"
    );
    for c in candidates {
        println!(
            "  {:<20} {:<14} {:>8} {:>8} {:>13}",
            c.facility.to_string(),
            c.stage.to_string(),
            c.added.value(),
            pct(c.probability),
            c.risk_adjusted.value().round_dp(0)
        );
    }
}

#[allow(clippy::too_many_lines)] // Reason: a notebook, section after section.
fn main() -> Result<(), Box<dyn Error>> {
    let analysis = Analysis::new(midstream::data::load("rare-earths-2024")?);
    let data = analysis.data().clone();
    let ndpr: Commodity = "NdPr:oxide".parse()?;
    let baseline = Scenario::baseline();
    let as_of_year = analysis.bottleneck(&ndpr, &baseline)?.report.year;

    // ## 1. Which projects can add NdPr oxide at all?
    //
    // A project counts in the NdPr oxide graph only if its record states an NdPr oxide capacity.
    // Here are the rare-earth projects on record, and whether they do.
    println!("Rare-earth projects on record, and their NdPr oxide capacity:");
    let projects: Vec<Facility> = data
        .facilities
        .iter()
        .filter(|f| f.maturity.is_project())
        .filter(|f| f.capacities.iter().all(|c| c.commodity.is_rare_earth()))
        .cloned()
        .collect();
    for f in &projects {
        let capacity = f
            .capacity(&ndpr)
            .map_or_else(|| "none".to_owned(), |c| c.tonnes_per_year.to_string());
        let other: Vec<String> = f
            .capacities
            .iter()
            .filter(|c| c.commodity != ndpr)
            .map(|c| format!("{} {}", c.commodity, c.tonnes_per_year))
            .collect();
        println!(
            "  {:<20} {:<14} {:<19} NdPr oxide: {capacity:<7} other: {}",
            f.id.to_string(),
            f.stage.to_string(),
            f.maturity.to_string(),
            if other.is_empty() {
                "none".to_owned()
            } else {
                other.join(", ")
            }
        );
    }
    // Only one project states an NdPr oxide capacity: Energy Fuels' White Mesa Phase 2/3 plan.
    // Iluka's Eneabba refinery is financed, but its capacity is recorded as total rare-earth
    // oxide (no sourced NdPr share), so it cannot enter the NdPr oxide graph; the magnet plants
    // make magnets, a different commodity (section 4); Lynas's heavy rare-earth circuit has no
    // published capacity.
    let ndpr_projects: Vec<Facility> = projects
        .iter()
        .filter(|f| f.capacity(&ndpr).is_some())
        .cloned()
        .collect();
    ensure(
        ndpr_projects.len() == 1
            && ndpr_projects
                .first()
                .is_some_and(|f| f.id.as_str() == "white-mesa-phase2"),
        "White Mesa Phase 2/3 is the only NdPr oxide project",
    )?;
    let reo: Commodity = "REO:oxide".parse()?;
    let eneabba = data
        .facility("iluka-eneabba")
        .cloned()
        .ok_or("Eneabba is not on record")?;
    ensure(
        eneabba.maturity == Maturity::Financed
            && eneabba.capacity(&ndpr).is_none()
            && eneabba.capacities.iter().any(|c| c.commodity == reo),
        "Eneabba is financed, with a REO capacity and no NdPr capacity",
    )?;

    // ## 2. The outlook of NdPr oxide to 2035
    //
    // For each year: producing plants only; every project on schedule; and, from seeded Monte
    // Carlo samples of which projects deliver (each project by its probability of delivering by
    // that year; 1000 to start, doubled until no percentile moves), the expected value and the
    // P10, P50 and P90. The same seed gives the same band.
    let options = OutlookOptions {
        samples: 1000,
        seed: 2024,
        scenario: Scenario::default(),
        ..OutlookOptions::default()
    };
    let outlook = analysis.outlook(&ndpr, as_of_year + 1..=HORIZON, &options)?;
    println!();
    println!(
        "NdPr oxide deliverable, t/yr ({} samples, seed {}):",
        outlook.samples, outlook.seed
    );
    print_outlook(&outlook);

    // The producing line is flat: no producing plant has a ramp schedule in the period. (An
    // earlier release counted Solvay's aim of 4,500 t of magnet rare earths by 2030 as a ramp
    // from 2030; an aim is not a capacity, and the dataset no longer counts it.)
    let steps: Vec<i32> = outlook
        .years
        .windows(2)
        .filter_map(|pair| match pair {
            [before, after] if after.operating_only != before.operating_only => Some(after.year),
            _ => None,
        })
        .collect();
    ensure(steps.is_empty(), "the producing line is flat")?;

    // P10 and P50 stay on the producing line in every year: in most futures, the pipeline adds
    // no NdPr oxide by 2035. The expected value lies between the producing line and the
    // every-project line, much closer to the first (where the two differ).
    ensure(
        outlook
            .years
            .iter()
            .all(|y| y.p10 == y.operating_only && y.p50 == y.operating_only),
        "P10 and P50 stay on the producing line",
    )?;
    for y in &outlook.years {
        let gap_expected = y.expected.checked_sub(y.operating_only)?;
        let gap_all = y.all_projects.checked_sub(y.operating_only)?;
        ensure(
            y.expected >= y.operating_only
                && (gap_all.is_zero() || gap_expected.checked_mul("2".parse()?)? < gap_all),
            "the expected value lies closer to the producing line than to every project",
        )?;
    }
    // The every-project line leaves the producing line in 2029, the first production White
    // Mesa Phase 2/3's feasibility study (January 2026) gives: "on schedule" takes that date at
    // its word. The risk crate reads the same record soberly: from the studies stage, typical
    // development times put its expected start later (printed), and its chance of having
    // delivered by 2035 is about one in ten. In nine futures out of ten the pipeline adds no
    // NdPr oxide by 2035, and the tenth sits right at the 90th percentile: P90 is on the edge
    // between the two lines, and the sample count, not the project, would decide which one a
    // single figure shows. The outlook says so: P90's 95 % interval spans both lines.
    let white_mesa_risk = analysis
        .delivery(as_of_year + 1..=HORIZON)?
        .into_iter()
        .find(|a| a.facility.as_str() == "white-mesa-phase2")
        .ok_or("White Mesa Phase 2/3 is not assessed")?;
    let by_horizon = white_mesa_risk
        .probability_by_year
        .iter()
        .find(|p| p.year == HORIZON)
        .map_or(Share::ZERO, |p| p.probability);
    println!(
        "  White Mesa Phase 2/3: announced start {}, expected start {}, probability of delivering by {HORIZON}: {}",
        white_mesa_risk
            .announced_start_year
            .map_or_else(|| "none".to_owned(), |y| y.to_string()),
        white_mesa_risk
            .expected_start_year
            .map_or_else(|| "none".to_owned(), |y| y.to_string()),
        pct(by_horizon)
    );
    let last = outlook.years.last().cloned().ok_or("an empty outlook")?;
    let first_year = outlook.years.first().cloned().ok_or("an empty outlook")?;
    let leaves: Vec<i32> = outlook
        .years
        .iter()
        .filter(|y| y.all_projects > y.operating_only)
        .map(|y| y.year)
        .collect();
    ensure(
        first_year.all_projects == first_year.operating_only
            && leaves.first() == Some(&2029)
            && white_mesa_risk.announced_start_year == Some(2029)
            && white_mesa_risk
                .expected_start_year
                .is_some_and(|y| y > 2029),
        "on schedule counts White Mesa from 2029; the risk crate expects it later",
    )?;
    ensure(
        by_horizon >= "0.08".parse()? && by_horizon < "0.15".parse()?,
        "its chance of having delivered by 2035 is about one in ten",
    )?;
    println!(
        "  P90 in {}: {} t, its 95 % interval {} to {} t",
        last.year,
        last.p90.value().round(),
        last.p90_interval.low.value().round(),
        last.p90_interval.high.value().round()
    );
    ensure(
        outlook
            .years
            .iter()
            .all(|y| y.p90_interval.low == y.operating_only)
            && last.p90_interval.high == last.all_projects
            && last.expected > last.operating_only,
        "P90 is on the edge: its interval spans the producing line and every project by 2035, \
         while the expected value rises above the producing line",
    )?;

    // With every project online, separation still binds: the every-project line stays below the
    // NdPr content of the mines on record, so the pipeline's one NdPr project (White Mesa Phase
    // 2/3, 4,000 t) would be used in full.
    let mines = Tonnes::checked_sum(
        data.facilities
            .iter()
            .filter(|f| f.stage == Stage::Mining && f.maturity.is_producing())
            .filter_map(|f| f.capacity(&ndpr).map(|c| c.in_year(HORIZON))),
    )?;
    println!("  NdPr oxide content of the producing mines on record: {mines}");
    ensure(
        last.all_projects < mines,
        "with every project online, the mines still have room",
    )?;

    // ## 3. Where would money count? Ranking the projects
    //
    // `Analysis::invest` takes each project alone, puts it online on schedule, and measures the
    // deliverable tonnes it adds in a year; then it weights that gain by the project's
    // probability of delivering by the year. (Ranking per dollar would need capital costs, which
    // the dataset format does not carry yet.)
    let ranking = analysis.invest(&ndpr, HORIZON, &Scenario::baseline())?;
    println!();
    println!("Projects ranked by risk-adjusted NdPr oxide gain in {HORIZON}:");
    print_candidates(&ranking);
    for c in &ranking {
        println!("    {}", c.summary);
    }
    // White Mesa Phase 2/3 adds its full nameplate: with it online the mines still have room
    // (section 2). Weighted by its chance of delivering, the gain is a small fraction of that.
    let white_mesa = ranking.first().cloned().ok_or("no candidate")?;
    let nameplate = ndpr_projects
        .first()
        .and_then(|f| f.capacity(&ndpr))
        .ok_or("no NdPr capacity")?
        .tonnes_per_year;
    println!("  White Mesa Phase 2/3 nameplate: {nameplate}");
    ensure(
        white_mesa.added == nameplate,
        "White Mesa Phase 2/3 adds its full nameplate",
    )?;
    ensure(
        white_mesa.risk_adjusted < white_mesa.added.checked_mul("0.25".parse()?)?,
        "its risk-adjusted gain is a small fraction of the raw gain",
    )?;

    // ## 4. Magnets: a letter of interest as an option
    //
    // The NdPr oxide pipeline has no letter of interest, but the magnet pipeline has one:
    // Vulcan Elements' planned plant. Magnets are their own commodity in this dataset (no
    // sourced magnet composition links them to the oxide graph), so this is a graph of magnet
    // plants. We count only allies' and partners' plants (China's magnet makers are out), and
    // rank the projects in 2035.
    let magnets: Commodity = "NdPr:magnet".parse()?;
    let china: Country = "CN".parse()?;
    ensure(
        data.perspective
            .as_ref()
            .and_then(|p| p.alignment_of(china))
            .is_some_and(|a| a > Alignment::Partner),
        "China's magnet makers are not allies or partners",
    )?;
    let aligned = Scenario {
        aligned_up_to: Some(Alignment::Partner),
        ..Scenario::default()
    };
    let ranking = analysis.invest(&magnets, HORIZON, &aligned)?;
    println!();
    println!("Magnet projects of allies and partners, ranked by risk-adjusted gain in {HORIZON}:");
    print_candidates(&ranking);
    for c in &ranking {
        println!("    {}", c.summary);
    }
    let (lois, others): (Vec<Candidate>, Vec<Candidate>) = ranking.iter().cloned().partition(|c| {
        data.facility(c.facility.as_str())
            .is_some_and(|f| f.maturity == Maturity::LetterOfInterest)
    });
    ensure(
        lois.len() == 1,
        "one magnet project is a letter of interest",
    )?;
    let loi = lois.first().cloned().ok_or("no letter of interest")?;
    // The letter of interest adds the most tonnes if it delivers, and the least once weighted
    // by its chance of delivering: it ranks last. That is what an option looks like: a large
    // payoff with a small probability.
    ensure(
        others
            .iter()
            .all(|c| c.added <= loi.added && c.risk_adjusted > loi.risk_adjusted),
        "the letter of interest has the largest raw gain and the smallest risk-adjusted gain",
    )?;
    ensure(
        loi.probability < "0.1".parse()?,
        "its chance of delivering by 2035 is below one in ten",
    )?;

    // The projects under construction or financed carry most of the risk-adjusted gain.
    let solid = Tonnes::checked_sum(
        others
            .iter()
            .filter(|c| {
                data.facility(c.facility.as_str()).is_some_and(|f| {
                    matches!(f.maturity, Maturity::Construction | Maturity::Financed)
                })
            })
            .map(|c| c.risk_adjusted),
    )?;
    let total = Tonnes::checked_sum(ranking.iter().map(|c| c.risk_adjusted))?;
    println!("  risk-adjusted gain of projects under construction or financed: {solid} of {total}");
    ensure(
        solid.checked_mul("2".parse()?)? > total,
        "projects under construction or financed carry most of the risk-adjusted gain",
    )?;

    // Why so low? The delivery assessment explains the probability factor by factor. The first
    // line is the maturity's base probability, written as odds (its weight); each further line
    // multiplies those odds, up (above 1) or down (below 1).
    let assessment = analysis
        .delivery(HORIZON..=HORIZON)?
        .into_iter()
        .find(|a| a.facility == loi.facility)
        .ok_or("no assessment of the letter of interest")?;
    println!();
    println!(
        "Why {} is an option ({} to deliver at all; announced start {}, expected {}):",
        loi.name,
        pct(assessment.probability),
        assessment
            .announced_start_year
            .map_or_else(|| "none".to_owned(), |y| y.to_string()),
        assessment
            .expected_start_year
            .map_or_else(|| "none".to_owned(), |y| y.to_string()),
    );
    let factors = assessment
        .explanation
        .clone()
        .map(|e| e.factors)
        .unwrap_or_default();
    for f in &factors {
        println!("  {:<22} x{:<6} {}", f.name, f.weight.round_dp(3), f.reason);
    }
    // A letter of interest starts from a low base probability; a conditional financing
    // commitment raises the odds; an announced start that typical development times do not
    // allow lowers them and pushes the expected start back.
    let one: Share = "1".parse()?;
    ensure(
        factors
            .iter()
            .any(|f| f.name == "maturity" && f.weight < one.value())
            && factors.iter().any(|f| {
                f.name == "financing"
                    && f.weight > one.value()
                    && f.reason.contains("conditional commitment")
            })
            && factors
                .iter()
                .any(|f| f.name == "timeline" && f.weight < one.value()),
        "low base odds, raised by a conditional commitment, lowered by the timeline",
    )?;
    ensure(
        matches!((assessment.announced_start_year, assessment.expected_start_year),
                 (Some(a), Some(e)) if e > a),
        "its expected start is later than the announced one",
    )?;

    // The outlook shows the same option from another side: the letter of interest is in the
    // every-project line, but even the P90 leaves it out: the gap between the two is at least
    // its capacity.
    let outlook = analysis.outlook(
        &magnets,
        as_of_year + 1..=HORIZON,
        &OutlookOptions {
            scenario: aligned,
            ..options
        },
    )?;
    println!();
    println!("Magnets from allies and partners, t/yr:");
    print_outlook(&outlook);
    let last = outlook.years.last().cloned().ok_or("an empty outlook")?;
    ensure(
        last.all_projects.checked_sub(last.p90)? >= loi.added,
        "the gap between P90 and every project is at least the letter of interest's capacity",
    )?;

    // ## What this says
    //
    // For NdPr oxide, the pipeline on record is thin: one plan at the studies stage, which in
    // most futures adds nothing by 2035, and whose full delivery would move the bottleneck to
    // the mines. For magnets, projects under construction or financed carry most of the
    // risk-adjusted gain, and the letter of interest is an option: worth tracking, not worth
    // counting as supply.
    Ok(())
}
