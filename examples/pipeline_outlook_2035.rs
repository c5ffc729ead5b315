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
use midstream::risk::Factor;
use midstream::{Analysis, Candidate, Outlook, OutlookOptions};

// Headings, paragraphs and numbers as printed, shared by the examples (items some examples
// do not use are allowed to stay unused).
#[allow(dead_code)]
mod narrate;
use narrate::{conclude, note, paragraph, section, share_of, t, title, whole, words, year_or_none};

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

/// An amount in millions of US dollars, e.g. `US$ 918 m`.
fn usd_millions(amount: Usd) -> String {
    let millions = amount
        .value()
        .checked_div(Decimal::from(1_000_000))
        .unwrap_or_default()
        .round_dp(0);
    format!("US$ {millions} m")
}

/// A share as a percentage with one decimal, e.g. `11.6 %`.
fn pct(share: Share) -> String {
    format!("{:.1} %", share.percent().round_dp(1))
}

/// Prints an outlook as a table, in whole tonnes a year.
fn print_outlook(outlook: &Outlook) {
    println!(
        "  {:>4} {:>10} {:>10} {:>10} {:>10} {:>10} {:>14}",
        "year", "producing", "P10", "P50", "P90", "expected", "every project"
    );
    for y in &outlook.years {
        println!(
            "  {:>4} {:>10} {:>10} {:>10} {:>10} {:>10} {:>14}",
            y.year,
            whole(y.operating_only),
            whole(y.p10),
            whole(y.p50),
            whole(y.p90),
            whole(y.expected),
            whole(y.all_projects)
        );
    }
}

/// Prints a ranking of candidate projects, then each one's verdict.
fn print_candidates(candidates: &[Candidate]) {
    println!(
        "  {:<20} {:<14} {:>11} {:>7} {:>20} {:>12}",
        "project", "stage", "adds, t/yr", "p", "risk-adjusted, t/yr", "capex"
    );
    for c in candidates {
        println!(
            "  {:<20} {:<14} {:>11} {:>7} {:>20} {:>12}",
            c.facility.to_string(),
            c.stage.to_string(),
            whole(c.added),
            pct(c.probability),
            whole(c.risk_adjusted),
            c.capex.map_or_else(|| "none".to_owned(), usd_millions)
        );
    }
    println!();
    for c in candidates {
        // The summary starts with the facility id.
        paragraph(&c.summary, "    ");
    }
}

/// The weight of the factor `name` in a delivery explanation, to three decimals (zero if absent).
fn weight_of(factors: &[Factor], name: &str) -> Decimal {
    factors
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.weight.round_dp(3).normalize())
        .unwrap_or_default()
}

#[allow(clippy::too_many_lines)] // Reason: a notebook, section after section.
fn main() -> Result<(), Box<dyn Error>> {
    let analysis = Analysis::new(midstream::data::load("rare-earths-2024")?);
    let data = analysis.data().clone();
    let ndpr: Commodity = "NdPr:oxide".parse()?;
    let baseline = Scenario::baseline();
    let as_of_year = analysis.bottleneck(&ndpr, &baseline)?.report.year;
    title(
        &format!("The pipeline to {HORIZON}: what projects add, and where money would count"),
        &[
            &format!(
                "Announced projects make headlines; the question is how much deliverable supply \
                 they add, and when. This walkthrough builds the outlook of NdPr oxide year by \
                 year to {HORIZON}: what producing plants deliver, what every project on \
                 schedule would deliver, and the band in between from a seeded Monte Carlo over \
                 which projects actually deliver. Then it ranks the projects by what each adds \
                 to deliverable supply, raw and weighted by its chance of delivering, and shows \
                 with NdFeB magnets why a letter of interest appears as an option: a large \
                 payoff, rarely collected."
            ),
            &format!(
                "Data: the embedded {} dataset, as of {} (see docs/datasets.md). Chances of \
                 delivering come from the risk model (docs/methodology.md): maturity, \
                 financing, offtakes, technical difficulty, and how realistic the announced \
                 timeline is. Each conclusion (the lines marked >) is checked against the \
                 results before it is printed: if the data change so that one no longer holds, \
                 the example stops with an error that names it.",
                data.name,
                data.as_of.format("%-d %B %Y")
            ),
        ],
    );

    // ## 1. Which projects can add NdPr oxide at all?
    section(
        "1. Which projects can add NdPr oxide at all?",
        "A project counts in the NdPr oxide graph only if its record states an NdPr oxide \
         capacity. The rare-earth projects on record, with their stage, maturity, NdPr oxide \
         capacity and any other capacity they state (t/yr):",
    );
    let projects: Vec<Facility> = data
        .facilities
        .iter()
        .filter(|f| f.maturity.is_project())
        .filter(|f| f.capacities.iter().all(|c| c.commodity.is_rare_earth()))
        .cloned()
        .collect();
    println!(
        "  {:<20} {:<14} {:<19} {:>17}  other capacities, t/yr",
        "project", "stage", "maturity", "NdPr oxide, t/yr"
    );
    for f in &projects {
        let capacity = f
            .capacity(&ndpr)
            .map_or_else(|| "none".to_owned(), |c| whole(c.tonnes_per_year));
        let other: Vec<String> = f
            .capacities
            .iter()
            .filter(|c| c.commodity != ndpr)
            .map(|c| format!("{} {}", c.commodity, whole(c.tonnes_per_year)))
            .collect();
        println!(
            "  {:<20} {:<14} {:<19} {capacity:>17}  {}",
            f.id.to_string(),
            f.stage.to_string(),
            words(&f.maturity),
            if other.is_empty() {
                "none".to_owned()
            } else {
                other.join(", ")
            }
        );
    }
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
    let nameplate = ndpr_projects
        .first()
        .and_then(|f| f.capacity(&ndpr))
        .ok_or("no NdPr capacity")?
        .tonnes_per_year;
    ensure(
        ndpr_projects.iter().all(|f| {
            f.operator
                .as_ref()
                .is_some_and(|o| o.contains("Energy Fuels"))
        }),
        "White Mesa Phase 2/3 is Energy Fuels' plan",
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
    let eneabba_reo = eneabba
        .capacity(&reo)
        .map(|c| c.tonnes_per_year)
        .unwrap_or_default();
    let magnets: Commodity = "NdPr:magnet".parse()?;
    ensure(
        projects
            .iter()
            .filter(|f| f.stage == Stage::Manufacturing)
            .all(|f| f.capacities.iter().all(|c| c.commodity == magnets)),
        "the magnet plants state magnet capacities only",
    )?;
    ensure(
        data.facility("lynas-malaysia-hre")
            .is_some_and(|f| f.maturity.is_project() && f.capacities.is_empty()),
        "Lynas's heavy rare-earth circuit has no published capacity",
    )?;
    conclude(&format!(
        "Only one project states an NdPr oxide capacity: Energy Fuels' White Mesa Phase 2/3 \
         plan, {} t/yr. Iluka's Eneabba refinery is financed, but its capacity is recorded as \
         total rare-earth oxide ({} t/yr, with no sourced NdPr share), so it cannot enter the \
         NdPr oxide graph; the magnet plants make magnets, a different commodity (section 4); \
         Lynas's heavy rare-earth circuit has no published capacity.",
        whole(nameplate),
        whole(eneabba_reo)
    ));

    // ## 2. The outlook of NdPr oxide to 2035
    let options = OutlookOptions {
        samples: 1000,
        seed: 2024,
        scenario: Scenario::default(),
        ..OutlookOptions::default()
    };
    let outlook = analysis.outlook(&ndpr, as_of_year + 1..=HORIZON, &options)?;
    section(
        &format!("2. The outlook of NdPr oxide to {HORIZON}"),
        &format!(
            "NdPr oxide deliverable each year, t/yr: from producing plants only; from every \
             project on schedule; and, from seeded Monte Carlo samples of which projects \
             deliver (each project drawn with its chance of delivering by that year; {} \
             samples to start, doubled until no percentile moves: {} here, seed {}), the \
             expected value and the P10, P50 and P90. The same seed gives the same band.",
            options.samples, outlook.samples, outlook.seed
        ),
    );
    print_outlook(&outlook);

    // An earlier release counted Solvay's aim of 4,500 t of magnet rare earths by 2030 as a
    // ramp from 2030; an aim is not a capacity, and the dataset no longer counts it.
    let steps: Vec<i32> = outlook
        .years
        .windows(2)
        .filter_map(|pair| match pair {
            [before, after] if after.operating_only != before.operating_only => Some(after.year),
            _ => None,
        })
        .collect();
    ensure(steps.is_empty(), "the producing line is flat")?;
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
    let last = outlook.years.last().cloned().ok_or("an empty outlook")?;
    let first_year = outlook.years.first().cloned().ok_or("an empty outlook")?;
    conclude(&format!(
        "The producing line is flat at {}: no producing plant has a ramp schedule in the \
         period. P10 and P50 stay on it in every year: in most futures, the pipeline adds no \
         NdPr oxide by {HORIZON}. The expected value lies between the producing line and the \
         every-project line, much closer to the first: {} in {}, against {} and {}.",
        t(first_year.operating_only),
        t(last.expected),
        last.year,
        t(last.operating_only),
        t(last.all_projects)
    ));

    let white_mesa_risk = analysis
        .delivery(as_of_year + 1..=HORIZON)?
        .into_iter()
        .find(|a| a.facility.as_str() == "white-mesa-phase2")
        .ok_or("White Mesa Phase 2/3 is not assessed")?;
    let by_horizon = white_mesa_risk
        .probability_by(HORIZON)
        .unwrap_or(Share::ZERO);
    note(
        "Why does the every-project line part from the band? The one NdPr project as the risk \
         model reads it, and where the 90th percentile stands in the last year:",
    );
    println!(
        "  White Mesa Phase 2/3: announced start {}, expected start {}, chance of delivering by \
         {HORIZON}: {}",
        year_or_none(white_mesa_risk.announced_start_year),
        year_or_none(white_mesa_risk.expected_start_year),
        pct(by_horizon)
    );
    println!(
        "  P90 in {}: {}, its 95 % interval {} to {}",
        last.year,
        t(last.p90),
        t(last.p90_interval.low),
        t(last.p90_interval.high)
    );
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
    conclude(&format!(
        "The every-project line leaves the producing line in {}, the first production White \
         Mesa Phase 2/3's feasibility study gives: \"on schedule\" takes that date at its word. \
         The risk model reads the same record soberly: from the studies stage, typical \
         development times put its expected start in {}, and its chance of having delivered by \
         {HORIZON} is {}, about one in ten. In about nine futures out of ten the pipeline adds \
         no NdPr oxide by {HORIZON}, and the tenth sits right at the 90th percentile: P90 is on \
         the edge between the two lines, and the sample count, not the project, would decide \
         which one a single figure shows. Its 95 % interval says so: {} to {}.",
        leaves
            .first()
            .map_or_else(|| "none".to_owned(), i32::to_string),
        year_or_none(white_mesa_risk.expected_start_year),
        pct(by_horizon),
        t(last.p90_interval.low),
        t(last.p90_interval.high)
    ));

    let mines = Tonnes::checked_sum(
        data.facilities
            .iter()
            .filter(|f| f.stage == Stage::Mining && f.maturity.is_producing())
            .filter_map(|f| f.capacity(&ndpr).map(|c| c.in_year(HORIZON))),
    )?;
    println!();
    println!(
        "  NdPr oxide content of the producing mines on record, {HORIZON}: {}",
        t(mines)
    );
    ensure(
        last.all_projects < mines,
        "with every project online, the mines still have room",
    )?;
    ensure(
        last.all_projects.checked_sub(last.operating_only)? == nameplate,
        "every project adds White Mesa's full nameplate",
    )?;
    conclude(&format!(
        "With every project online, separation still binds: the every-project line, {} in \
         {HORIZON}, stays below the {} of NdPr oxide in the producing mines on record, so the \
         pipeline's one NdPr project is used in full ({} t/yr).",
        t(last.all_projects),
        t(mines),
        whole(nameplate)
    ));

    // ## 3. Where would money count? Ranking the projects
    let ranking = analysis.invest(&ndpr, HORIZON, &Scenario::baseline())?;
    let with_capex: Vec<FacilityId> = data
        .facilities
        .iter()
        .filter(|f| f.capex.is_some())
        .map(|f| f.id.clone())
        .collect();
    ensure(
        with_capex.len() == 1,
        "the dataset has a capital cost for one project only",
    )?;
    section(
        "3. Where would money count? Ranking the projects",
        &format!(
            "Each project alone, put online on schedule: the deliverable NdPr oxide it adds in \
             {HORIZON} (t/yr), its chance of delivering by then (p), and the gain weighted by \
             that chance (risk-adjusted). Ranking per dollar would need capital costs, which \
             the dataset records for one project only ({}, in section 4). Under the table, \
             each project's verdict.",
            with_capex
                .first()
                .map(ToString::to_string)
                .unwrap_or_default()
        ),
    );
    print_candidates(&ranking);
    let white_mesa = ranking.first().cloned().ok_or("no candidate")?;
    ensure(
        white_mesa.added == nameplate,
        "White Mesa Phase 2/3 adds its full nameplate",
    )?;
    ensure(
        white_mesa.risk_adjusted < white_mesa.added.checked_mul("0.25".parse()?)?,
        "its risk-adjusted gain is a small fraction of the raw gain",
    )?;
    conclude(&format!(
        "White Mesa Phase 2/3 adds its full nameplate, {} a year in {HORIZON}: with it online \
         the mines still have room (section 2). Weighted by its chance of delivering ({}), the \
         gain is {}, under a quarter of that.",
        t(white_mesa.added),
        pct(white_mesa.probability),
        t(white_mesa.risk_adjusted)
    ));

    // ## 4. Magnets: a letter of interest as an option
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
    section(
        "4. Magnets: a letter of interest as an option",
        &format!(
            "The NdPr oxide pipeline has no letter of interest, but the magnet pipeline has \
             one: Vulcan Elements' planned plant. Magnets are their own commodity in this \
             dataset (no sourced magnet composition links them to the oxide graph), so this is \
             a graph of magnet plants. Only allies' and partners' plants count (China's magnet \
             makers are out). The magnet projects, ranked by risk-adjusted gain in {HORIZON}, \
             t/yr of magnets:"
        ),
    );
    print_candidates(&ranking);
    let (lois, others): (Vec<Candidate>, Vec<Candidate>) = ranking.iter().cloned().partition(|c| {
        data.facility(c.facility.as_str())
            .is_some_and(|f| f.maturity == Maturity::LetterOfInterest)
    });
    ensure(
        lois.len() == 1,
        "one magnet project is a letter of interest",
    )?;
    let loi = lois.first().cloned().ok_or("no letter of interest")?;
    ensure(
        loi.name.contains("Vulcan Elements"),
        "the magnet letter of interest is Vulcan Elements' plant",
    )?;
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
    conclude(&format!(
        "The letter of interest ({}) adds the most tonnes if it delivers, {} a year, and the \
         least once weighted by its chance of delivering by {HORIZON} ({}, below one in ten): \
         {}, last in the ranking. That is what an option looks like: a large payoff with a \
         small probability.",
        loi.facility,
        t(loi.added),
        pct(loi.probability),
        t(loi.risk_adjusted)
    ));

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
    ensure(
        solid.checked_mul("2".parse()?)? > total,
        "projects under construction or financed carry most of the risk-adjusted gain",
    )?;
    conclude(&format!(
        "Projects under construction or financed carry most of the risk-adjusted gain: {} of \
         {} ({}).",
        t(solid),
        t(total),
        pct(share_of(solid, total)?)
    ));

    let assessment = analysis
        .delivery(HORIZON..=HORIZON)?
        .into_iter()
        .find(|a| a.facility == loi.facility)
        .ok_or("no assessment of the letter of interest")?;
    note(&format!(
        "Why is the chance so low? The delivery assessment of {} explains it factor by factor. \
         The first factor is the maturity's base probability, written as odds (its weight); \
         each further factor multiplies those odds, up (above 1) or down (below 1). Its \
         chance of ever delivering: {}; announced start {}, expected start {}.",
        loi.facility,
        pct(assessment.probability),
        year_or_none(assessment.announced_start_year),
        year_or_none(assessment.expected_start_year),
    ));
    let factors = assessment
        .explanation
        .clone()
        .map(|e| e.factors)
        .unwrap_or_default();
    println!("  {:<22} {:>7}  reason", "factor", "weight");
    for f in &factors {
        let weight = format!("x{}", f.weight.round_dp(3).normalize());
        println!("  {:<22} {weight:>7}  {}", f.name, f.reason);
    }
    let one: Share = "1".parse()?;
    let maturity_weight = weight_of(&factors, "maturity");
    let financing_weight = weight_of(&factors, "financing");
    let timeline_weight = weight_of(&factors, "timeline");
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
    conclude(&format!(
        "A letter of interest starts from low base odds (x{maturity_weight}); a conditional \
         financing commitment raises them (x{financing_weight}); an announced start ({}) that \
         typical development times do not allow lowers them (x{timeline_weight}) and pushes \
         the expected start back to {}.",
        year_or_none(assessment.announced_start_year),
        year_or_none(assessment.expected_start_year)
    ));

    let outlook = analysis.outlook(
        &magnets,
        as_of_year + 1..=HORIZON,
        &OutlookOptions {
            scenario: aligned,
            ..options
        },
    )?;
    note(&format!(
        "The outlook shows the same option from another side. Magnets from allies and \
         partners, t/yr, year by year to {HORIZON} (same columns and seed as in section 2; {} \
         samples):",
        outlook.samples
    ));
    print_outlook(&outlook);
    let magnets_last = outlook.years.last().cloned().ok_or("an empty outlook")?;
    let gap = magnets_last.all_projects.checked_sub(magnets_last.p90)?;
    ensure(
        gap >= loi.added,
        "the gap between P90 and every project is at least the letter of interest's capacity",
    )?;
    conclude(&format!(
        "The letter of interest is in the every-project line, but even P90 leaves it out: in \
         {}, P90 is {} against {} for every project, a gap of {}, at least the letter of \
         interest's {}.",
        magnets_last.year,
        t(magnets_last.p90),
        t(magnets_last.all_projects),
        t(gap),
        t(loi.added)
    ));

    // ## What this says
    section(
        "What this says",
        &format!(
            "For NdPr oxide, the pipeline on record is thin: one plan at the studies stage \
             (White Mesa Phase 2/3, {} t/yr), which in most futures adds nothing by {HORIZON} \
             (its chance of having delivered by then is {}; the expected value in {HORIZON} is \
             {}, against {} from producing plants), and whose full delivery would still leave \
             separation binding. For magnets, projects under construction or financed carry \
             most of the risk-adjusted gain ({} of {}), and the letter of interest is an \
             option ({} chance to deliver {} a year): worth tracking, not worth counting as supply.",
            whole(nameplate),
            pct(by_horizon),
            t(last.expected),
            t(last.operating_only),
            t(solid),
            t(total),
            pct(loi.probability),
            t(loi.added)
        ),
    );
    Ok(())
}
