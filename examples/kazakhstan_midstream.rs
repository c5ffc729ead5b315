//! # Kazakhstan's midstream: signals or supply?
//!
//! Kazakhstan presents itself as an alternative to China's rare-earth processing: it has a
//! Soviet-era metallurgical base (copper, uranium, chromium, titanium, aluminium) and, since
//! 2025, letters of interest from US agencies for tungsten and announced rare-earth finds. This
//! notebook separates the two: what **operates** (supply) from what is **announced** (signals),
//! weighs each project by its chance of delivering, looks at the one chain where an announced
//! project would move the bottleneck (copper), and puts the operating base in world context.
//!
//! Data: the embedded `kazakhstan-2025` dataset (as of 31 December 2025) and, for world shares,
//! `critical-minerals-2024` (USGS Mineral Commodity Summaries 2025 and the World Nuclear
//! Association). Both are described in `docs/datasets.md`.
//!
//! Run it from the repository root:
//!
//! ```sh
//! cargo run --example kazakhstan_midstream
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

use midstream::domain::{FinancingStatus, MilestoneKind};
use midstream::graph::BindingKind;
use midstream::prelude::*;
use midstream::{Analysis, ProfileLine};

// Headings, paragraphs and numbers as printed, shared by the examples (items some examples
// do not use are allowed to stay unused).
#[allow(dead_code)]
mod narrate;
use narrate::{conclude, note, paragraph, section, share_of, t, title, whole, words, year_or_none};

/// Stops the example when a statement of the commentary does not hold for the data.
fn ensure(holds: bool, statement: &str) -> Result<(), Box<dyn Error>> {
    if holds {
        Ok(())
    } else {
        Err(format!("the commentary no longer matches the data: {statement}").into())
    }
}

/// Prints a sub-heading within a section and what it shows.
fn subsection(heading: &str, intro: &str) {
    println!();
    println!("### {heading}");
    println!();
    paragraph(intro, "");
    println!();
}

/// An ordinal number: `1st`, `2nd`, `3rd`, `4th`, ..., `11th`, `21st`.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The calendar year of a dataset's as-of date.
fn as_of_year(data: &ValidDataset) -> Result<i32, Box<dyn Error>> {
    Ok(data.as_of.format("%Y").to_string().parse()?)
}

/// A share as a percentage with one decimal, e.g. `38.6 %`.
fn pct(share: Share) -> String {
    format!("{:.1} %", share.percent().round_dp(1))
}

/// Whether some facility of `stage` with capacity does not run at full capacity.
fn spare_at(balance: &BalanceReport, stage: Stage) -> bool {
    !balance.binding.iter().any(|m| {
        m.stage == Some(stage)
            && matches!(m.what, BindingKind::Capacity { .. })
            && m.loss_per_tonne.is_some_and(|l| !l.is_zero())
    })
}

/// Prints what binds: each capacity whose loss of a tonne costs deliverable supply.
fn print_binding(balance: &BalanceReport) {
    println!(
        "  {:<30} {:<15} {:>14} {:>22}",
        "binding capacity", "stage", "capacity, t/yr", "cost of a tonne less"
    );
    for m in &balance.binding {
        if let (BindingKind::Capacity { facility, .. }, Some(loss)) = (&m.what, m.loss_per_tonne)
            && !loss.is_zero()
        {
            let cost = format!("{} t", loss.round_dp(2).normalize());
            println!(
                "  {:<30} {:<15} {:>14} {:>22}",
                facility.to_string(),
                m.stage.map(|s| words(&s)).unwrap_or_default(),
                whole(m.bound),
                cost
            );
        }
    }
}

/// A figure written in a dataset's description, e.g. `world 60,213 tU` → 60213 t: the number
/// that follows `after` in the sentence that starts with `sentence`.
fn figure_in(text: &str, sentence: &str, after: &str) -> Result<Tonnes, Box<dyn Error>> {
    let missing = || format!("the description has no {after:?} in {sentence:?}");
    let start = text.find(sentence).ok_or_else(missing)?;
    let rest = &text[start..];
    let sentence_text = rest.find(". ").map_or(rest, |end| &rest[..end]);
    let at = sentence_text.find(after).ok_or_else(missing)? + after.len();
    let digits: String = sentence_text[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    Ok(digits.parse()?)
}

#[allow(clippy::too_many_lines)] // Reason: a notebook, section after section.
fn main() -> Result<(), Box<dyn Error>> {
    title(
        "Kazakhstan's midstream: signals or supply?",
        &[
            "Kazakhstan presents itself as an alternative to China's rare-earth processing: it \
             has a Soviet-era metallurgical base (copper, uranium, chromium, titanium, aluminium) \
             and, since 2025, letters of interest from US agencies for tungsten and announced \
             rare-earth finds. This walkthrough separates what operates (supply) from what is \
             announced (signals), weighs each project by its chance of delivering, looks at the \
             one chain where an announced project would move the bottleneck (copper), and puts \
             the operating base in world context.",
            "Data: the embedded kazakhstan-2025 dataset and, for world shares, \
             critical-minerals-2024 (USGS Mineral Commodity Summaries 2025 and the World Nuclear \
             Association), both described in docs/datasets.md. Each conclusion (the lines marked \
             >) is checked against the results before it is printed: if the data change so that \
             one no longer holds, the example stops with an error that names it.",
        ],
    );

    // ## 1. What Kazakhstan operates, and what it announces
    let kz = Analysis::new(midstream::data::load("kazakhstan-2025")?);
    // The profile is read some years after the as-of date, as the `midstream profile` command
    // does.
    let years_ahead = 5;
    let year = as_of_year(kz.data())? + years_ahead;
    let kazakhstan: Country = "KZ".parse()?;
    let profile = kz.profile(kazakhstan, year)?;
    section(
        "1. What Kazakhstan operates, and what it announces",
        &format!(
            "Kazakhstan's capacity commodity by commodity and stage by stage, in {year}, \
             {years_ahead} years after the dataset's as-of date ({}). \"Operating\" is what \
             producing plants can put out today: the supply. \"Announced\" is what projects say \
             they will add, and \"risk-adjusted\" weighs it by each project's chance of \
             delivering by {year}. A commodity reads element:form (Cu:metal is refined copper, \
             W:ore is tungsten, as WO3, contained in ore).",
            kz.data().as_of.format("%-d %B %Y")
        ),
    );
    println!(
        "  {:<24} {:<15} {:>16} {:>16} {:>20}",
        "commodity", "stage", "operating, t/yr", "announced, t/yr", "risk-adjusted, t/yr"
    );
    for line in &profile.lines {
        println!(
            "  {:<24} {:<15} {:>16} {:>16} {:>20}",
            line.commodity.to_string(),
            words(&line.stage),
            whole(line.operating),
            whole(line.announced),
            whole(line.risk_adjusted)
        );
    }
    let announced: Vec<ProfileLine> = profile
        .lines
        .iter()
        .filter(|l| !l.announced.is_zero())
        .cloned()
        .collect();
    let smelter_line = announced.first().cloned().ok_or("nothing is announced")?;
    ensure(
        announced.len() == 1
            && smelter_line.commodity == "Cu:metal".parse()?
            && smelter_line.stage == Stage::MetalRefining,
        "copper refining is the only line with announced capacity",
    )?;
    ensure(
        smelter_line.projects == [("kaz-minerals-aktogay-smelter".parse()?, Maturity::Studies)],
        "its one project is the Aktogay smelter, at the studies stage",
    )?;
    ensure(
        smelter_line.risk_adjusted.is_zero(),
        "the smelter's risk-adjusted capacity in the profile year is zero",
    )?;
    let mixed: Commodity = "REO:mixed_chemical".parse()?;
    let rare_earth: Vec<ProfileLine> = profile
        .lines
        .iter()
        .filter(|l| l.commodity.is_rare_earth())
        .cloned()
        .collect();
    ensure(
        rare_earth.len() == 1
            && rare_earth
                .iter()
                .all(|l| l.commodity == mixed && l.operating.is_zero() && l.announced.is_zero()),
        "the one rare-earth line is a mixed chemical at zero",
    )?;
    let sareco = kz
        .data()
        .facility("sareco-stepnogorsk")
        .cloned()
        .ok_or("SARECO is not in the dataset")?;
    let sareco_opened = sareco
        .milestones
        .iter()
        .find(|m| m.kind == MilestoneKind::CommissioningStart)
        .map(|m| m.date.format("%Y").to_string())
        .ok_or("SARECO has no commissioning date")?;
    ensure(
        sareco.maturity == Maturity::Suspended && sareco.capacity(&mixed).is_some(),
        "SARECO's mixed-chemical plant is suspended",
    )?;
    let tungsten_ore: Commodity = "W:ore".parse()?;
    ensure(
        profile
            .lines
            .iter()
            .filter(|l| l.commodity.elements().contains(Element::W))
            .all(|l| l.commodity == tungsten_ore),
        "tungsten appears only as ore",
    )?;
    let tungsten = profile
        .lines
        .iter()
        .find(|l| l.commodity == tungsten_ore)
        .map(|l| l.operating)
        .ok_or("no tungsten line")?;
    let boguty = kz
        .data()
        .facility("boguty-tungsten-mine")
        .cloned()
        .ok_or("Boguty is not in the dataset")?;
    ensure(
        boguty.owner_country == Some("CN".parse()?)
            && boguty.capacity(&tungsten_ore).map(|c| c.tonnes_per_year) == Some(tungsten),
        "the tungsten in ore is Boguty's, a Chinese-owned mine",
    )?;
    let operating_lines = profile
        .lines
        .iter()
        .filter(|l| !l.operating.is_zero())
        .count();
    conclude(&format!(
        "{operating_lines} of the {} lines operate today: that is the supply, a metallurgical \
         base of mining, alloying, alumina and metal refining.",
        profile.lines.len()
    ));
    conclude(&format!(
        "Only one line has announced capacity: copper refining, with {} t/yr from KAZ Minerals' \
         Aktogay smelter, at the studies stage. Its risk-adjusted capacity in {year} is {}: the \
         smelter is not expected to produce by then (section 2 gives its expected start).",
        whole(smelter_line.announced),
        t(smelter_line.risk_adjusted)
    ));
    conclude(&format!(
        "The one rare-earth line, SARECO's mixed rare-earth chemical, is at zero in every \
         column: the plant opened in {sareco_opened}, never reached its design capacity of {} \
         t/yr and is suspended. Tungsten appears only as ore, {} t/yr of WO3 at the Boguty \
         mine (Chinese-owned), not as concentrate.",
        whole(
            sareco
                .capacity(&mixed)
                .map(|c| c.tonnes_per_year)
                .unwrap_or_default()
        ),
        whole(tungsten)
    ));

    // ## 2. The signals: what each project's delivery assessment says
    section(
        "2. The signals: what each project's delivery assessment says",
        &format!(
            "The risk model assesses each project from its record, as of {}: its maturity (the \
             base probability), its financing and offtakes, the technical difficulty of its \
             step, and how realistic its announced timeline is for that maturity. p is the \
             chance of ever delivering; the expected start is the one typical development times \
             allow. Under each project, the model's one-line verdict.",
            kz.data().as_of.format("%-d %B %Y")
        ),
    );
    println!(
        "  {:<30} {:<19} {:>7} {:>16} {:>15}",
        "project", "maturity", "p", "announced start", "expected start"
    );
    for a in &profile.projects {
        println!(
            "  {:<30} {:<19} {:>7} {:>16} {:>15}",
            a.facility.to_string(),
            words(&a.maturity),
            pct(a.probability),
            year_or_none(a.announced_start_year),
            year_or_none(a.expected_start_year),
        );
        // The summary starts with the facility id, already in the row above.
        let prefix = format!("{}: ", a.facility);
        paragraph(
            a.summary.strip_prefix(&prefix).unwrap_or(&a.summary),
            "      ",
        );
    }
    ensure(
        profile
            .projects
            .iter()
            .all(|a| a.summary.contains("a signal, not supply")),
        "every Kazakh project is assessed as a signal, not supply",
    )?;
    let smelter: FacilityId = "kaz-minerals-aktogay-smelter".parse()?;
    let smelter_assessment = profile
        .projects
        .iter()
        .find(|a| a.facility == smelter)
        .cloned()
        .ok_or("the smelter is not assessed")?;
    // (Section 1's claim: the smelter is not expected to produce by the profile year.)
    ensure(
        smelter_assessment
            .expected_start_year
            .is_some_and(|y| y > year),
        "the smelter's expected start is after the profile year",
    )?;
    ensure(
        profile
            .projects
            .iter()
            .all(|a| a.probability <= smelter_assessment.probability),
        "the smelter has the best chance of delivering",
    )?;
    conclude(&format!(
        "All {} projects are assessed as signals, not supply. The best chance of delivering, \
         {}, is the Aktogay smelter's, and its expected start, {}, is after {year} (announced: \
         {}).",
        profile.projects.len(),
        pct(smelter_assessment.probability),
        year_or_none(smelter_assessment.expected_start_year),
        year_or_none(smelter_assessment.announced_start_year)
    ));

    // ### The tungsten letters of interest
    let lois: Vec<_> = profile
        .projects
        .iter()
        .filter(|a| a.maturity == Maturity::LetterOfInterest)
        .cloned()
        .collect();
    let by_year = kz.delivery(year..=year + 10)?;
    subsection(
        "The tungsten letters of interest",
        &format!(
            "The tungsten projects that hold letters of interest from US agencies. For each: \
             the financing on record (lender, instrument, status), how many capacities its \
             record states, and its chance of having delivered by {year}, {} and {}.",
            year + 5,
            year + 10
        ),
    );
    for a in &lois {
        let facility = kz
            .data()
            .facility(a.facility.as_str())
            .ok_or("an assessed project is not in the dataset")?;
        println!("  {} ({})", facility.name, words(&facility.maturity));
        println!("    financing on record:");
        for f in &facility.financing {
            println!(
                "      {}: {}, status {}",
                f.lender,
                words(&f.instrument),
                words(&f.status)
            );
        }
        println!("    capacities recorded: {}", facility.capacities.len());
        let assessed = by_year
            .iter()
            .find(|x| x.facility == a.facility)
            .ok_or("no assessment")?;
        let chances: Vec<String> = (year..=year + 10)
            .step_by(5)
            .map(|y| {
                let p = assessed.probability_by(y).unwrap_or(Share::ZERO);
                format!("by {y} {}", pct(p))
            })
            .collect();
        println!("    chance of delivering: {}", chances.join(", "));
        ensure(
            facility.capacities.is_empty(),
            "a tungsten letter of interest has no capacity",
        )?;
        ensure(
            !facility.financing.is_empty()
                && facility
                    .financing
                    .iter()
                    .all(|f| f.status == FinancingStatus::InterestLetter),
            "its only financing is letters of interest",
        )?;
        ensure(
            ["EXIM", "DFC"]
                .iter()
                .all(|who| facility.financing.iter().any(|f| f.lender.contains(who))),
            "the letters come from EXIM and DFC",
        )?;
        ensure(
            a.probability < "0.05".parse()?,
            "its chance of delivering is below one in twenty",
        )?;
        ensure(
            matches!((a.announced_start_year, a.expected_start_year),
                     (Some(announced), Some(expected)) if expected > announced),
            "its expected start is later than the announced one",
        )?;
        let expected = a.expected_start_year.ok_or("no expected start")?;
        ensure(
            assessed
                .probability_by_year
                .iter()
                .filter(|p| p.year < expected)
                .all(|p| p.probability == Share::ZERO),
            "its chance of delivering is zero until its expected start",
        )?;
    }
    ensure(
        lois.len() == 2,
        "there are two tungsten letters of interest",
    )?;
    let loi = lois.first().cloned().ok_or("no letter of interest")?;
    ensure(
        lois.iter().all(|a| {
            a.probability == loi.probability
                && a.announced_start_year == loi.announced_start_year
                && a.expected_start_year == loi.expected_start_year
        }),
        "the two letters of interest are assessed alike",
    )?;
    conclude(&format!(
        "Both hold letters of interest from EXIM and DFC and no other financing, and neither \
         records a capacity (the output was announced without saying whether it is tungsten, \
         WO3 or APT), so neither can add a tonne to any graph. Their chance of ever delivering \
         is {}, below one in twenty, and typical development times put their expected start in \
         {}, against {} announced; until then their chance of delivering is zero.",
        pct(loi.probability),
        year_or_none(loi.expected_start_year),
        year_or_none(loi.announced_start_year)
    ));

    // ### The rare-earth announcements
    let ree_sites: Vec<Facility> = kz
        .data()
        .facilities
        .iter()
        .filter(|f| matches!(f.maturity, Maturity::Occurrence | Maturity::Exploration))
        .cloned()
        .collect();
    subsection(
        "The rare-earth announcements",
        "The sites behind Kazakhstan's announced rare-earth finds: each with its maturity, the \
         number of capacities its record states, and its chance of ever delivering (p).",
    );
    println!(
        "  {:<26} {:<12} {:>10} {:>6}",
        "site", "maturity", "capacities", "p"
    );
    let mut best_site = Share::ZERO;
    for f in &ree_sites {
        let p = profile
            .projects
            .iter()
            .find(|a| a.facility == f.id)
            .map_or(Share::ZERO, |a| a.probability);
        best_site = best_site.max(p);
        println!(
            "  {:<26} {:<12} {:>10} {:>6}",
            f.id.to_string(),
            words(&f.maturity),
            f.capacities.len(),
            pct(p)
        );
        paragraph(&f.name, "      ");
    }
    ensure(
        !ree_sites.is_empty() && ree_sites.iter().all(|f| f.name.contains("rare-earth")),
        "the sites at occurrence or exploration are the rare-earth sites",
    )?;
    ensure(
        ree_sites.iter().all(|f| f.capacities.is_empty()),
        "no rare-earth site has a capacity",
    )?;
    ensure(
        kz.data()
            .facilities
            .iter()
            .filter(|f| f.capacities.iter().any(|c| c.commodity.is_rare_earth()))
            .all(|f| f.id.as_str() == "sareco-stepnogorsk" && !f.maturity.is_producing()),
        "the only rare-earth capacity is SARECO's, which does not produce",
    )?;
    conclude(&format!(
        "All {} rare-earth sites are at the occurrence or exploration stage: the ministry's \
         figures are forecasts with no published resource estimate, and the best chance of \
         delivering is {}. None records a capacity, and the only rare-earth capacity in the \
         dataset is SARECO's suspended plant, so a rare-earth supply graph of Kazakhstan would \
         be empty: the rare-earth story is geology, not supply.",
        ree_sites.len(),
        pct(best_site)
    ));

    // ## 3. Copper: where the chain binds, and what the Aktogay smelter would relieve
    let copper: Commodity = "Cu:metal".parse()?;
    let in_year = Scenario {
        year: Some(year),
        ..Scenario::default()
    };
    let base = kz.bottleneck(&copper, &in_year)?;
    section(
        "3. Copper: where the chain binds, and what the Aktogay smelter would relieve",
        &format!(
            "Copper is the one chain where an announced project meets a bottleneck. The \
             material balance of refined copper follows the chain as the data state it: the \
             refineries (the country aggregate and the planned smelter) take copper in \
             concentrate from the mines. Below: refined copper deliverable in {year}, and each \
             capacity that binds, with what a tonne less of it would cost in deliverable \
             copper."
        ),
    );
    println!(
        "  Refined copper deliverable in {year}: {}",
        t(base.balance.deliverable)
    );
    print_binding(&base.balance);
    ensure(
        base.binding_stage() == Some(Stage::MetalRefining)
            && !spare_at(&base.balance, Stage::MetalRefining),
        "copper refining is the binding stage",
    )?;
    ensure(
        spare_at(&base.balance, Stage::Mining),
        "mining has capacity to spare",
    )?;
    let relief = profile
        .relief
        .iter()
        .find(|r| r.commodity == copper)
        .cloned()
        .ok_or("no copper relief")?;
    ensure(
        profile.relief.len() == 1,
        "copper is the one chain with a project that has a capacity",
    )?;
    ensure(
        relief.at_binding_stage && relief.with_projects > relief.baseline,
        "the smelter sits at the binding stage and relieves it",
    )?;
    let concentrate: Commodity = "Cu:concentrate".parse()?;
    let copper_mining = profile
        .lines
        .iter()
        .find(|l| l.commodity == concentrate && l.stage == Stage::Mining)
        .map(|l| l.operating)
        .ok_or("no copper mining line")?;
    ensure(
        copper_mining > base.balance.deliverable,
        "the mines hold more copper than the refineries deliver",
    )?;
    conclude(&format!(
        "Refining binds: Kazakhstan mines {} of copper in concentrate a year but refines {}, so \
         the bottleneck is a midstream stage and mining has capacity to spare. The Aktogay \
         smelter would sit exactly at that stage.",
        t(copper_mining),
        t(base.balance.deliverable)
    ));

    let nameplate = kz
        .data()
        .facility(smelter.as_str())
        .and_then(|f| f.capacity(&copper))
        .ok_or("the smelter has no copper capacity")?
        .tonnes_per_year;
    let on_schedule = Scenario {
        projects_online: [smelter.clone()].into(),
        ..in_year.clone()
    };
    let with_smelter = kz.compare(&copper, &in_year, &on_schedule)?;
    note(&format!(
        "What if the smelter ({} t/yr nameplate) starts on schedule? The same balance in \
         {year} with it online:",
        whole(nameplate)
    ));
    println!(
        "  Refined copper in {year}: {} without the smelter, {} with it ({} more)",
        t(with_smelter.baseline_balance.deliverable),
        t(with_smelter.scenario_balance.deliverable),
        t(with_smelter.deliverable_change)
    );
    print_binding(&with_smelter.scenario_balance);
    ensure(
        with_smelter.deliverable_change > Tonnes::ZERO
            && with_smelter.deliverable_change < nameplate,
        "the smelter adds refined copper, less than its nameplate",
    )?;
    ensure(
        !spare_at(&with_smelter.scenario_balance, Stage::Mining)
            && spare_at(&with_smelter.scenario_balance, Stage::MetalRefining),
        "with the smelter, mining runs full and refining has room to spare",
    )?;
    conclude(&format!(
        "On schedule, the smelter adds {} of refined copper, less than its {} nameplate: once \
         it runs, refining is no longer the limit and the bottleneck moves upstream to mining, \
         which runs at full capacity while refining has room to spare.",
        t(with_smelter.deliverable_change),
        t(nameplate)
    ));

    let last = year + 5;
    let assessment = kz
        .delivery(year..=last)?
        .into_iter()
        .find(|a| a.facility == smelter)
        .ok_or("the smelter is not assessed")?;
    note(&format!(
        "\"On schedule\" takes the announced start at its word. The risk model is less \
         trusting: its schedule starts at the expected start (section 2), and it weighs the \
         scheduled capacity by the chance of delivering by each year. The smelter's copper \
         capacity year by year, scheduled and risk-adjusted, then the gain in {last} under each:"
    ));
    println!(
        "  {:>4} {:>16} {:>20}",
        "year", "scheduled, t/yr", "risk-adjusted, t/yr"
    );
    for c in assessment
        .capacity_by_year
        .iter()
        .filter(|c| c.commodity == copper)
    {
        println!(
            "  {:>4} {:>16} {:>20}",
            c.year,
            whole(c.scheduled),
            whole(c.risk_adjusted)
        );
    }
    let first_scheduled = assessment
        .capacity_by_year
        .iter()
        .find(|c| c.commodity == copper && !c.scheduled.is_zero())
        .map(|c| c.year);
    ensure(
        first_scheduled.is_some() && first_scheduled == assessment.expected_start_year,
        "the risk crate's schedule starts at the expected start",
    )?;
    let risk_adjusted = assessment
        .capacity_by_year
        .iter()
        .find(|c| c.year == last && c.commodity == copper)
        .ok_or("no capacity in the last year")?
        .risk_adjusted;
    let in_last = Scenario {
        year: Some(last),
        ..Scenario::default()
    };
    let scheduled = kz.compare(
        &copper,
        &in_last,
        &Scenario {
            projects_online: [smelter.clone()].into(),
            ..in_last.clone()
        },
    )?;
    let weighted = kz.compare(
        &copper,
        &in_last,
        &Scenario {
            capacity_overrides: [(smelter.clone(), risk_adjusted)].into(),
            ..in_last.clone()
        },
    )?;
    println!(
        "  Gain in {last}: {} on schedule, {} at the risk-adjusted capacity",
        t(scheduled.deliverable_change),
        t(weighted.deliverable_change)
    );
    ensure(
        weighted.deliverable_change < scheduled.deliverable_change,
        "the risk-adjusted gain is below the on-schedule gain",
    )?;
    ensure(
        kz.data().facility(smelter.as_str()).is_some_and(|f| {
            f.maturity == Maturity::Studies
                && f.financing.is_empty()
                && !f
                    .milestones
                    .iter()
                    .any(|m| m.kind == MilestoneKind::FinalInvestmentDecision)
        }),
        "the smelter is at the studies stage with no financing or investment decision on record",
    )?;
    let weighted_share = share_of(weighted.deliverable_change, scheduled.deliverable_change)?;
    conclude(&format!(
        "The risk model's schedule starts in {}, the expected start. In {last}, the \
         risk-adjusted gain is {}, {} of the {} on schedule: a smelter at the studies stage, \
         with no financing or investment decision on record, is an option on relief, not \
         relief.",
        year_or_none(first_scheduled),
        t(weighted.deliverable_change),
        pct(weighted_share),
        t(scheduled.deliverable_change)
    ));

    // ## 4. The operating base in world context
    let world = midstream::data::load("critical-minerals-2024")?;
    let description = world.description.clone().unwrap_or_default();
    section(
        "4. The operating base in world context",
        "Kazakhstan's 2024 output against the world's, from the critical-minerals-2024 dataset: \
         every country's output (one country aggregate per country and chain) and, in its \
         description, the published world total, in tonnes (uranium as contained U). USGS \
         rounds world totals, so where the listed countries add up to more than the world \
         total (titanium sponge), the share is of the listed countries.",
    );
    println!(
        "  {:<16} {:>12} {:>12} {:>12} {:>7} {:>8}  largest producer",
        "chain", "Kazakhstan", "world", "listed", "share", "rank"
    );
    let chains = [
        ("U:concentrate@contained", "Uranium mine:", "uranium mining"),
        ("Cr:concentrate@product", "Chromite:", "chromite mining"),
        ("Ti:metal", "Titanium sponge:", "titanium sponge"),
    ];
    let mut shares = Vec::new();
    for (commodity, sentence, label) in chains {
        let commodity: Commodity = commodity.parse()?;
        let mut by_country: Vec<(Country, Tonnes)> = world
            .facilities
            .iter()
            .filter_map(|f| {
                f.capacity(&commodity)
                    .map(|c| (f.country, c.tonnes_per_year))
            })
            .collect();
        by_country.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let listed = Tonnes::checked_sum(by_country.iter().map(|(_, t)| *t))?;
        let stated_listed = figure_in(&description, sentence, "listed countries ")?;
        let world_total = figure_in(&description, sentence, "world ")?;
        ensure(
            listed == stated_listed,
            "the listed countries add up to the description's figure",
        )?;
        let (rank, kz_output) = by_country
            .iter()
            .enumerate()
            .find(|(_, (c, _))| *c == kazakhstan)
            .map(|(i, (_, t))| (i + 1, *t))
            .ok_or("Kazakhstan is not listed")?;
        let share = share_of(kz_output, world_total.max(listed))?;
        let (leader, leader_output) = by_country.first().copied().ok_or("no country")?;
        let leader_share = share_of(leader_output, world_total.max(listed))?;
        let rank_of = format!("{rank} of {}", by_country.len());
        println!(
            "  {label:<16} {:>12} {:>12} {:>12} {:>7} {:>8}  {} ({})",
            whole(kz_output),
            whole(world_total),
            whole(listed),
            pct(share),
            rank_of,
            leader.name(),
            pct(leader_share),
        );
        shares.push((share, rank, leader, leader_share, kz_output, world_total));
    }
    let [uranium, chromite, titanium]: [(Share, usize, Country, Share, Tonnes, Tonnes); 3] =
        shares.try_into().map_err(|_| "expected three chains")?;
    ensure(
        uranium.1 == 1 && uranium.0 > "0.333".parse()?,
        "Kazakhstan is the largest uranium miner, with over a third of world output",
    )?;
    ensure(chromite.1 <= 3, "Kazakhstan is a top-three chromite miner")?;
    ensure(
        titanium.2 == "CN".parse()? && titanium.0 < "0.1".parse()?,
        "China leads titanium sponge and Kazakhstan's share is small",
    )?;
    conclude(&format!(
        "Kazakhstan is the world's largest uranium miner, with {} of world output ({} of {}, \
         over a third). It is the {} largest chromite miner ({}). In titanium sponge, which China \
         leads with {}, its share is small: {}.",
        pct(uranium.0),
        t(uranium.4),
        t(uranium.5),
        ordinal(chromite.1),
        pct(chromite.0),
        pct(titanium.3),
        pct(titanium.0)
    ));

    let ti: Commodity = "Ti:metal".parse()?;
    let capacity = Tonnes::checked_sum(
        kz.data()
            .facilities
            .iter()
            .filter(|f| f.country == kazakhstan)
            .filter_map(|f| f.capacity(&ti).map(|c| c.tonnes_per_year)),
    )?;
    let output = Tonnes::checked_sum(
        world
            .facilities
            .iter()
            .filter(|f| f.country == kazakhstan)
            .filter_map(|f| f.capacity(&ti).map(|c| c.tonnes_per_year)),
    )?;
    let used = share_of(output, capacity)?;
    note(
        "Is the operating base all supply? The titanium sponge plant's 2024 output (from \
         critical-minerals-2024) against its capacity (from kazakhstan-2025):",
    );
    println!(
        "  titanium sponge: 2024 output {} of {} capacity ({} used)",
        t(output),
        t(capacity),
        pct(used)
    );
    ensure(
        used < "0.75".parse()?,
        "the sponge plant runs well below capacity",
    )?;
    conclude(&format!(
        "Even the operating base is not all supply: the titanium sponge plant ran at {} of its \
         capacity in 2024, {} of {}.",
        pct(used),
        t(output),
        t(capacity)
    ));

    // ## What this says
    let risk_adjusted_total = Tonnes::checked_sum(profile.lines.iter().map(|l| l.risk_adjusted))?;
    ensure(
        risk_adjusted_total.is_zero(),
        "at their risk-adjusted rates, the projects add nothing in the profile year",
    )?;
    section(
        "What this says",
        &format!(
            "Supply: Kazakhstan's operating base is real and, in uranium, world-leading ({} of \
             world output); in copper, its midstream is the binding stage (refining, {} a year, \
             against {} mined). Signals: the {} tungsten projects are letters of interest \
             without a stated capacity ({} chance of ever delivering), the {} rare-earth sites \
             are forecasts without a resource estimate (at most {}), and the copper smelter is \
             at the studies stage ({}). At their risk-adjusted rates, none of them is supply \
             yet: together they add {} of capacity in {year}, and by {last} the smelter would \
             add {} of refined copper, against {} on schedule.",
            pct(uranium.0),
            t(base.balance.deliverable),
            t(copper_mining),
            lois.len(),
            pct(loi.probability),
            ree_sites.len(),
            pct(best_site),
            pct(smelter_assessment.probability),
            t(risk_adjusted_total),
            t(weighted.deliverable_change),
            t(scheduled.deliverable_change)
        ),
    );
    Ok(())
}
