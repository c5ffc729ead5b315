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

/// Stops the example when a statement of the commentary does not hold for the data.
fn ensure(holds: bool, statement: &str) -> Result<(), Box<dyn Error>> {
    if holds {
        Ok(())
    } else {
        Err(format!("the commentary no longer matches the data: {statement}").into())
    }
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
    for m in &balance.binding {
        if let (BindingKind::Capacity { facility, .. }, Some(loss)) = (&m.what, m.loss_per_tonne)
            && !loss.is_zero()
        {
            println!(
                "  binds: {:<30} {:<15} {:>9} t (a tonne less costs {} t)",
                facility.to_string(),
                m.stage.map(|s| s.to_string()).unwrap_or_default(),
                m.bound.value(),
                loss
            );
        }
    }
}

/// `part / whole` as a share.
fn share_of(part: Tonnes, whole: Tonnes) -> Result<Share, Box<dyn Error>> {
    let ratio = part
        .value()
        .checked_div(whole.value())
        .ok_or("a share of nothing")?;
    Ok(Share::new(ratio)?)
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
    // ## 1. What Kazakhstan operates, and what it announces
    //
    // `Analysis::profile` splits a country's capacity, commodity by commodity and stage by stage,
    // into what producing plants can put out today ("operating") and what projects announce
    // ("announced"), and weighs the announced capacity by each project's probability of
    // delivering by the profile year ("risk-adjusted"). We read the profile five years after the
    // as-of date, as the `midstream profile` command does.
    let kz = Analysis::new(midstream::data::load("kazakhstan-2025")?);
    let year = as_of_year(kz.data())? + 5;
    let kazakhstan: Country = "KZ".parse()?;
    let profile = kz.profile(kazakhstan, year)?;

    println!("Kazakhstan in {year}: operating vs announced capacity (t/yr)");
    println!(
        "  {:<26} {:<15} {:>12} {:>12} {:>14}",
        "commodity", "stage", "operating", "announced", "risk-adjusted"
    );
    for line in &profile.lines {
        println!(
            "  {:<26} {:<15} {:>12} {:>12} {:>14}",
            line.commodity.to_string(),
            line.stage.to_string(),
            line.operating.value(),
            line.announced.value(),
            line.risk_adjusted.value()
        );
    }
    // The operating column is the supply: uranium and chromite mining, copper mining (copper in
    // concentrate) and refining, titanium sponge, the processing base the seed article credits
    // (ERG's ferrochrome at Aksu and Aktobe, the Pavlodar alumina refinery, aluminium, and Ulba's
    // beryllium, tantalum and niobium, on 2015 output figures), and tungsten in ore at Boguty,
    // a Chinese-owned mine. Exactly one line has announced capacity: copper refining, where KAZ
    // Minerals' Aktogay smelter (at the `studies` stage) is planned. Its risk-adjusted capacity
    // in the profile year is zero: the smelter is not expected to produce by then (its expected
    // start is in section 2). The one rare-earth line is SARECO's mixed chemical, at zero in
    // every column: a plant opened in 2012 that never reached its design and is suspended.
    // Tungsten appears only as WO3 in ore, not as concentrate.
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
        smelter_line.risk_adjusted.is_zero(),
        "the smelter's risk-adjusted capacity in the profile year is zero",
    )?;
    let mixed: Commodity = "REO:mixed_chemical".parse()?;
    let rare_earth: Vec<&ProfileLine> = profile
        .lines
        .iter()
        .filter(|l| l.commodity.is_rare_earth())
        .collect();
    ensure(
        rare_earth.len() == 1
            && rare_earth
                .iter()
                .all(|l| l.commodity == mixed && l.operating.is_zero() && l.announced.is_zero()),
        "the one rare-earth line is a mixed chemical at zero",
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

    // ## 2. The signals: what each project's delivery assessment says
    //
    // The risk crate assesses each project from its record: its maturity (the base
    // probability), its financing and offtakes, the technical difficulty of its step, and how
    // realistic its announced timeline is for that maturity. The profile carries these
    // assessments; we print each project's probability of ever delivering, its announced and
    // expected start, and the one-line verdict.
    println!();
    println!("Kazakhstan's projects, as assessed at {}:", kz.data().as_of);
    for a in &profile.projects {
        println!(
            "  {:<30} {:<19} p = {:>6}  announced start {:<5} expected start {}",
            a.facility.to_string(),
            a.maturity.to_string(),
            pct(a.probability),
            a.announced_start_year
                .map_or_else(|| "none".to_owned(), |y| y.to_string()),
            a.expected_start_year
                .map_or_else(|| "none".to_owned(), |y| y.to_string()),
        );
        println!("      {}", a.summary);
    }
    // Every project is labelled a signal, not supply.
    ensure(
        profile
            .projects
            .iter()
            .all(|a| a.summary.contains("a signal, not supply")),
        "every Kazakh project is assessed as a signal, not supply",
    )?;
    // (Section 1's claim: the smelter is not expected to produce by the profile year.)
    ensure(
        profile
            .projects
            .iter()
            .filter(|a| a.facility.as_str() == "kaz-minerals-aktogay-smelter")
            .all(|a| a.expected_start_year.is_some_and(|y| y > year)),
        "the smelter's expected start is after the profile year",
    )?;

    // ### The tungsten letters of interest
    //
    // Northern Katpar and Upper Kairakty each hold letters of interest from EXIM and DFC, and no
    // other financing. Their records carry no capacity (the output was announced without saying
    // whether it is tungsten, WO3 or APT), so they cannot add a tonne to any graph. Their
    // probability of ever delivering is small, and typical development times push the expected
    // start well past the announced one. Year by year, the chance that they deliver is zero
    // until the expected start.
    let lois: Vec<_> = profile
        .projects
        .iter()
        .filter(|a| a.maturity == Maturity::LetterOfInterest)
        .cloned()
        .collect();
    let by_year = kz.delivery(year..=year + 10)?;
    println!();
    println!("The tungsten letters of interest:");
    for a in &lois {
        let facility = kz
            .data()
            .facility(a.facility.as_str())
            .ok_or("an assessed project is not in the dataset")?;
        let lenders: Vec<String> = facility
            .financing
            .iter()
            .map(|f| format!("{} ({:?}, {:?})", f.lender, f.instrument, f.status))
            .collect();
        println!("  {}: {}", facility.name, facility.maturity);
        println!("    financing: {}", lenders.join("; "));
        println!("    capacities recorded: {}", facility.capacities.len());
        let assessed = by_year
            .iter()
            .find(|x| x.facility == a.facility)
            .ok_or("no assessment")?;
        for y in (year..=year + 10).step_by(5) {
            let p = assessed
                .probability_by_year
                .iter()
                .find(|p| p.year == y)
                .map_or(Share::ZERO, |p| p.probability);
            println!("    probability of delivering by {y}: {}", pct(p));
        }
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

    // ### The rare-earth announcements
    //
    // The rare-earth sites are at `occurrence` or `exploration`: the ministry's figures are
    // forecasts with no published resource estimate. None has a capacity, and no facility in the
    // dataset has a rare-earth capacity of any kind, so a rare-earth supply graph of Kazakhstan
    // would be empty: the rare-earth story is geology, not supply.
    let ree_sites: Vec<Facility> = kz
        .data()
        .facilities
        .iter()
        .filter(|f| matches!(f.maturity, Maturity::Occurrence | Maturity::Exploration))
        .cloned()
        .collect();
    println!();
    println!("Rare-earth sites:");
    for f in &ree_sites {
        let p = profile
            .projects
            .iter()
            .find(|a| a.facility == f.id)
            .map_or(Share::ZERO, |a| a.probability);
        println!(
            "  {} ({}): {} capacities, p = {}",
            f.name,
            f.maturity,
            f.capacities.len(),
            pct(p)
        );
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

    // ## 3. Copper: where the chain binds, and what the Aktogay smelter would relieve
    //
    // Copper is the one chain where an announced project meets a bottleneck. The material
    // balance of refined copper (`Cu:metal`) reads the chain as the data state it: the
    // refineries (the country aggregate and the planned smelter) take copper in concentrate
    // from the mines (the country aggregate, in contained copper). Which one binds?
    let copper: Commodity = "Cu:metal".parse()?;
    let in_year = Scenario {
        year: Some(year),
        ..Scenario::default()
    };
    let base = kz.bottleneck(&copper, &in_year)?;
    println!();
    println!(
        "Refined copper in {year}: {} deliverable",
        base.balance.deliverable
    );
    print_binding(&base.balance);
    // Refining binds: the country mines more copper than it can smelt and refine, so what
    // binds is the refining stage (a midstream stage) and mining has capacity to spare.
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

    // On schedule, the smelter adds less than its nameplate: once it runs, refining is no
    // longer the limit, and the bottleneck moves upstream to mining, which runs at full
    // capacity while refining has room to spare.
    let smelter: FacilityId = "kaz-minerals-aktogay-smelter".parse()?;
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
    println!();
    println!(
        "With the Aktogay smelter ({nameplate} nameplate) on schedule in {year}: {} -> {} ({} more)",
        with_smelter.baseline_balance.deliverable,
        with_smelter.scenario_balance.deliverable,
        with_smelter.deliverable_change
    );
    print_binding(&with_smelter.scenario_balance);
    ensure(
        with_smelter.deliverable_change < nameplate,
        "the smelter adds less than its nameplate",
    )?;
    ensure(
        !spare_at(&with_smelter.scenario_balance, Stage::Mining)
            && spare_at(&with_smelter.scenario_balance, Stage::MetalRefining),
        "with the smelter, mining runs full and refining has room to spare",
    )?;

    // "On schedule" takes the announced start at its word. The risk crate is less trusting: its
    // schedule starts at the expected start (later than the announced one, see section 2), and
    // it weighs the scheduled capacity by the probability of delivering by each year. Here is
    // that schedule year by year, and the comparison in its last year, with the smelter's
    // capacity replaced by its risk-adjusted amount.
    let last = year + 5;
    let assessment = kz
        .delivery(year..=last)?
        .into_iter()
        .find(|a| a.facility == smelter)
        .ok_or("the smelter is not assessed")?;
    println!();
    println!("Aktogay smelter, scheduled vs risk-adjusted copper capacity:");
    for c in assessment
        .capacity_by_year
        .iter()
        .filter(|c| c.commodity == copper)
    {
        println!(
            "  {}: scheduled {:>9}  risk-adjusted {:>9}",
            c.year,
            c.scheduled.value(),
            c.risk_adjusted.value().round_dp(0)
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
        "  in {last}: on schedule {} more refined copper; at the risk-adjusted rate {} t more",
        scheduled.deliverable_change,
        weighted.deliverable_change.value().round_dp(0)
    );
    // The risk-adjusted gain is a fraction of the on-schedule one: a smelter at the studies
    // stage, with no financing or investment decision on record, is an option on relief, not
    // relief.
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

    // ## 4. The operating base in world context
    //
    // The kazakhstan-2025 dataset states no world totals; the critical-minerals-2024 dataset
    // has every country's 2024 output (one country aggregate per country and chain) and, in its
    // description, the published world total of each chain. USGS rounds world totals, so where
    // the listed countries add up to more than the world total (titanium sponge), the share is
    // of the listed countries. We also check that the listed countries add up to what the
    // description says.
    let world = midstream::data::load("critical-minerals-2024")?;
    let description = world.description.clone().unwrap_or_default();
    println!();
    println!("Kazakhstan's share of world output in 2024:");
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
        println!(
            "  {label:<16} {:>12} of world {:>12} (listed {listed}): {:>6}, rank {rank} of {}; largest: {} ({})",
            kz_output.to_string(),
            world_total.to_string(),
            pct(share),
            by_country.len(),
            leader.name(),
            pct(share_of(leader_output, world_total.max(listed))?),
        );
        shares.push((share, rank, leader));
    }
    // Kazakhstan is the world's largest uranium miner, with over a third of world output; it
    // is a top-three chromite miner; and in titanium sponge, which China leads, it has a small
    // share.
    let [uranium, chromite, titanium]: [(Share, usize, Country); 3] =
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

    // Even the operating base is not all supply: the titanium sponge plant's 2024 output (from
    // critical-minerals-2024) is well below its capacity (from kazakhstan-2025).
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
    println!(
        "  titanium sponge: 2024 output {output} of {capacity} capacity ({} used)",
        pct(used)
    );
    ensure(
        used < "0.75".parse()?,
        "the sponge plant runs well below capacity",
    )?;

    // ## What this says
    //
    // Supply: Kazakhstan's operating base is real and, in uranium, world-leading; in copper its
    // midstream (refining) is the binding stage. Signals: the tungsten projects are letters of
    // interest without a stated capacity, the rare-earth sites are forecasts without a resource
    // estimate, and the copper smelter is at the studies stage; at their risk-adjusted rates,
    // none of them is supply yet.
    Ok(())
}
