//! # If China stops exporting: NdPr, and then dysprosium and terbium
//!
//! China separates most of the world's rare earths. This notebook asks what is left for buyers
//! outside China if China's rare-earth output stays at home: first for NdPr oxide, the magnet
//! rare earths the dataset covers in depth, then for dysprosium and terbium, the heavy rare
//! earths that China's export controls have targeted, where the dataset is thinner and says so.
//! Last, it asks the stricter question of supply-security planners: what is left if only allies
//! and partners count?
//!
//! Data: the embedded `rare-earths-2024` dataset (as of 31 December 2024; see
//! `docs/datasets.md`). An export stop is modelled as in `docs/supply-graph.md` §7: Chinese
//! facilities still supply each other, but nothing leaves China; with no demand records for the
//! year, "deliverable" means deliverable to the rest of the world.
//!
//! Run it from the repository root:
//!
//! ```sh
//! cargo run --example china_heavy_ree_export_stop
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
use midstream::{Analysis, Comparison, FlowSpan, OutlookOptions, StageCountryDelta};

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

/// A commodity in running text: `Dy:oxide` → `Dy oxide`.
fn prose(commodity: &Commodity) -> String {
    commodity.to_string().replace(':', " ")
}

/// A flow range in whole tonnes: `39,878` when least and most agree, `0 to 7,065` otherwise.
fn span(flow: FlowSpan) -> String {
    let (least, most) = (whole(flow.least), whole(flow.most));
    if least == most {
        most
    } else {
        format!("{least} to {most}")
    }
}

/// A share as a percentage with one decimal, e.g. `81.0 %`.
fn pct(share: Share) -> String {
    format!("{:.1} %", share.percent().round_dp(1))
}

/// Baseline and scenario flow through a stage in a country (least and most over all optimal
/// flows), if either has any.
fn flow_change(cmp: &Comparison, stage: Stage, country: Country) -> Option<(FlowSpan, FlowSpan)> {
    cmp.by_stage_country
        .iter()
        .find(|d| d.stage == stage && d.country == country)
        .map(|d| (d.baseline, d.scenario))
}

/// Whether a facility runs at its full (non-zero) capacity in a report.
fn runs_full(report: &BottleneckReport, id: &str) -> bool {
    report
        .utilisation
        .iter()
        .any(|u| u.id.as_str() == id && !u.capacity.is_zero() && u.throughput == u.capacity)
}

/// What a facility carries and its capacity in a report.
fn use_of(report: &BottleneckReport, id: &str) -> Result<(Tonnes, Tonnes), Box<dyn Error>> {
    report
        .utilisation
        .iter()
        .find(|u| u.id.as_str() == id)
        .map(|u| (u.throughput, u.capacity))
        .ok_or_else(|| format!("{id} is not in the report").into())
}

/// Prints every facility with capacity in the report: capacity, throughput and their ratio.
fn print_utilisation(report: &BottleneckReport) {
    println!(
        "  {:<28} {:<11} {:<7} {:>14} {:>10} {:>7}",
        "facility", "stage", "country", "capacity, t/yr", "used, t/yr", "used"
    );
    for u in report.utilisation.iter().filter(|u| !u.capacity.is_zero()) {
        println!(
            "  {:<28} {:<11} {:<7} {:>14} {:>10} {:>7}",
            u.id.to_string(),
            u.stage.to_string(),
            u.country.to_string(),
            whole(u.capacity),
            whole(u.throughput),
            u.utilisation.map(pct).unwrap_or_default()
        );
    }
}

#[allow(clippy::too_many_lines)] // Reason: a notebook, section after section.
fn main() -> Result<(), Box<dyn Error>> {
    let china: Country = "CN".parse()?;
    let analysis = Analysis::new(midstream::data::load("rare-earths-2024")?);
    let ndpr: Commodity = "NdPr:oxide".parse()?;
    title(
        "If China stops exporting: NdPr, and then dysprosium and terbium",
        &[
            "China separates most of the world's rare earths. This walkthrough asks what is left \
             for buyers outside China if China's rare-earth output stays at home: first for NdPr \
             oxide, the magnet rare earths the dataset covers in depth, then for dysprosium and \
             terbium, the heavy rare earths that China's export controls have targeted, where \
             the dataset is thinner and says so. Last, it asks the stricter question of \
             supply-security planners: what is left if only allies and partners count?",
            &format!(
                "Data: the embedded {} dataset, as of {} (see docs/datasets.md). An export stop \
                 is modelled as in docs/supply-graph.md section 7: Chinese facilities still \
                 supply each other, but nothing leaves China; with no demand records for the \
                 year, \"deliverable\" means deliverable to the rest of the world. Each \
                 conclusion (the lines marked >) is checked against the results before it is \
                 printed: if the data change so that one no longer holds, the example stops \
                 with an error that names it.",
                analysis.data().name,
                analysis.data().as_of.format("%-d %B %Y")
            ),
        ],
    );

    // ## 1. The baseline: where NdPr oxide chokes today
    let baseline = analysis.bottleneck(&ndpr, &Scenario::baseline())?;
    let base = baseline.report.clone();
    section(
        "1. The baseline: where NdPr oxide chokes today",
        &format!(
            "The maximum flow from mines through separation is the NdPr oxide the world can \
             deliver in {}; the minimum cut is the set of capacities that limits it. Below: the \
             binding capacity by stage and by country (t/yr, and share of the cut), then the \
             delivery assessment of each facility in the cut.",
            base.year
        ),
    );
    println!(
        "  NdPr oxide deliverable in {}: {}",
        base.year,
        t(base.deliverable)
    );
    println!();
    println!("  {:<26} {:>8} {:>7}", "binding stage", "t/yr", "share");
    for s in &base.cut_by_stage {
        let stage = if s.midstream {
            format!("{} (midstream)", s.stage)
        } else {
            s.stage.to_string()
        };
        println!("  {stage:<26} {:>8} {:>7}", whole(s.capacity), pct(s.share));
    }
    println!();
    println!("  {:<26} {:>8} {:>7}", "binding country", "t/yr", "share");
    for c in &base.cut_by_country {
        println!(
            "  {:<26} {:>8} {:>7}",
            c.name,
            whole(c.capacity),
            pct(c.share)
        );
    }
    println!();
    println!("  in the cut:");
    for a in &baseline.cut_delivery {
        paragraph(&a.summary, "    ");
    }
    ensure(
        base.bottleneck_is_midstream,
        "the NdPr bottleneck is midstream",
    )?;
    let top = base
        .cut_by_country
        .first()
        .cloned()
        .ok_or("the cut is empty")?;
    ensure(
        top.country == china && top.share > "0.5".parse()?,
        "China holds most of the binding capacity",
    )?;
    let separation_cut = base
        .cut_by_stage
        .iter()
        .find(|s| s.stage == Stage::Separation && s.midstream)
        .cloned()
        .ok_or("separation is not in the cut")?;
    ensure(
        separation_cut.share > "0.5".parse()?,
        "separation holds most of the binding capacity",
    )?;
    conclude(&format!(
        "The bottleneck is midstream: separation holds {} of the binding capacity ({}), and \
         China holds most of it: {} ({}).",
        t(separation_cut.capacity),
        pct(separation_cut.share),
        t(top.capacity),
        pct(top.share)
    ));

    note(&format!(
        "Utilisation tells the rest of the story: which plants run full, and which have room. \
         Every facility with a capacity in {}, and what it carries in the maximum flow:",
        base.year
    ));
    print_utilisation(&base);
    let lynas_feeds: Vec<String> = analysis
        .data()
        .links
        .iter()
        .filter(|l| l.to.as_str() == "lynas-malaysia" && l.commodity.is_none_or(|c| c == ndpr))
        .map(|l| l.from.to_string())
        .collect();
    ensure(
        lynas_feeds == ["mount-weld"] && runs_full(&base, "mount-weld"),
        "Lynas Malaysia's only NdPr feed is Mount Weld, which runs full",
    )?;
    ensure(
        !runs_full(&base, "lynas-malaysia"),
        "Lynas Malaysia has idle capacity",
    )?;
    ensure(
        runs_full(&base, "mp-mountain-pass-separation") && runs_full(&base, "white-mesa-phase1"),
        "the US separators run full",
    )?;
    let market_mines = Tonnes::checked_sum(
        base.utilisation
            .iter()
            .filter(|u| u.stage == Stage::Mining && u.id.as_str() != "mount-weld")
            .map(|u| u.capacity),
    )?;
    let market_separation = Tonnes::checked_sum(
        base.utilisation
            .iter()
            .filter(|u| u.stage == Stage::Separation && u.id.as_str() != "lynas-malaysia")
            .map(|u| u.throughput),
    )?;
    ensure(
        market_mines > market_separation,
        "the other mines hold more NdPr than their separators take",
    )?;
    let (lynas_used, lynas_capacity) = use_of(&base, "lynas-malaysia")?;
    let (mount_weld_used, _) = use_of(&base, "mount-weld")?;
    conclude(&format!(
        "Lynas's Malaysian separator has idle capacity: it uses {} of {}, because its only \
         NdPr feed in the dataset is Mount Weld, which runs full at {}. The US separators \
         (Mountain Pass and White Mesa) run full.",
        t(lynas_used),
        t(lynas_capacity),
        t(mount_weld_used)
    ));
    conclude(&format!(
        "The other mines together hold {} of NdPr, more than the {} their separators take. \
         They sell into a common market, so how the flow splits between them is one of several \
         equally good answers: a mine may show as idle while another carries its share.",
        t(market_mines),
        t(market_separation)
    ));

    // ## 2. China stops exporting NdPr
    let stop = Scenario {
        export_stops: [china].into(),
        ..Scenario::default()
    };
    let cmp = analysis.compare(&ndpr, &Scenario::baseline(), &stop)?;
    let kept = share_of(cmp.scenario.deliverable, cmp.baseline.deliverable)?;
    section(
        "2. China stops exporting NdPr",
        "The same chain with and without Chinese exports: NdPr oxide deliverable to the rest of \
         the world, then the flow through each stage and country where it changes (t/yr). A \
         flow is a range, least to most: mines sell into a common market, so several routings \
         of the same maximum are equally good, and a mine's row spans them all.",
    );
    println!(
        "  NdPr oxide deliverable: {} in the baseline, {} with China's exports stopped ({})",
        t(cmp.baseline.deliverable),
        t(cmp.scenario.deliverable),
        t(cmp.deliverable_change)
    );
    println!();
    println!(
        "  {:<11} {:<26} {:>18} {:>18}",
        "stage", "country", "baseline, t/yr", "stop, t/yr"
    );
    for d in cmp
        .by_stage_country
        .iter()
        .filter(|d| d.baseline != d.scenario)
    {
        println!(
            "  {:<11} {:<26} {:>18} {:>18}",
            d.stage.to_string(),
            d.country.name(),
            span(d.baseline),
            span(d.scenario)
        );
    }
    ensure(
        kept < "0.5".parse()?,
        "the rest of the world keeps less than half",
    )?;
    ensure(
        [Stage::Separation, Stage::Mining].into_iter().all(|stage| {
            matches!(flow_change(&cmp, stage, china), Some((b, s)) if !b.most.is_zero() && s.most.is_zero())
        }),
        "China's separation and mining lose all their flow",
    )?;
    let separation_abroad: Vec<StageCountryDelta> = cmp
        .by_stage_country
        .iter()
        .filter(|d| d.stage == Stage::Separation && d.country != china)
        .cloned()
        .collect();
    ensure(
        separation_abroad
            .iter()
            .all(|d| d.scenario.most <= d.baseline.most && d.baseline.least == d.baseline.most),
        "no separator outside China carries more than before",
    )?;
    ensure(
        Tonnes::checked_sum(separation_abroad.iter().map(|d| d.baseline.most))?
            == cmp.scenario.deliverable,
        "what is left is what non-Chinese separators delivered in the baseline",
    )?;
    conclude(&format!(
        "China's export stop leaves {} of {} ({}) for the rest of the world: less than half.",
        t(cmp.scenario.deliverable),
        t(cmp.baseline.deliverable),
        pct(kept)
    ));
    conclude(
        "China's separation stage loses all its flow to buyers abroad, and so do China's mines \
         (their ore cannot leave China either). No separator outside China carries more than \
         before: they were already full, or held back by their feed, so nothing outside China \
         picks up the slack. What is left is exactly what the non-Chinese separators delivered \
         in the baseline.",
    );

    note("What binds outside China under the stop? Every facility with a capacity:");
    print_utilisation(&cmp.scenario);
    ensure(
        runs_full(&cmp.scenario, "mp-mountain-pass-separation")
            && runs_full(&cmp.scenario, "white-mesa-phase1")
            && runs_full(&cmp.scenario, "mount-weld")
            && !runs_full(&cmp.scenario, "lynas-malaysia"),
        "outside China, the US separators and Mount Weld run full, Lynas Malaysia does not",
    )?;
    let (lynas_stop, _) = use_of(&cmp.scenario, "lynas-malaysia")?;
    conclude(&format!(
        "The same plants bind as before: the US separators and Mount Weld run full, and Lynas \
         Malaysia, held back by Mount Weld, uses {} of its {}.",
        t(lynas_stop),
        t(lynas_capacity)
    ));

    // ## 3. Dysprosium and terbium: what the dataset holds
    let as_of_year = base.year;
    let heavies: [Commodity; 2] = ["Dy:oxide".parse()?, "Tb:oxide".parse()?];
    section(
        "3. Dysprosium and terbium: what the dataset holds",
        "Heavy rare earths are where an export stop bites hardest, and where the public record \
         is thinnest. Before computing anything, look at what the dataset has: every facility \
         with a Dy or Tb oxide capacity (t/yr), and every separation facility outside China \
         with no capacity on record.",
    );
    let mut on_record: Vec<(Commodity, Tonnes, Tonnes)> = Vec::new();
    for commodity in &heavies {
        let holders: Vec<Facility> = analysis
            .data()
            .facilities
            .iter()
            .filter(|f| f.capacity(commodity).is_some())
            .cloned()
            .collect();
        println!("  Facilities with a {commodity} capacity:");
        for f in &holders {
            let capacity = f
                .capacity(commodity)
                .map(|c| c.tonnes_per_year)
                .unwrap_or_default();
            println!(
                "    {:>6} t/yr  {} ({}, {})",
                whole(capacity),
                f.name,
                f.country.name(),
                f.maturity
            );
        }
        ensure(
            holders.len() == 2
                && holders
                    .iter()
                    .any(|f| f.country == china && !f.maturity.is_project())
                && holders
                    .iter()
                    .filter(|f| f.country != china)
                    .all(|f| f.maturity.is_project()),
            "Dy/Tb capacity on record: China's output and one project outside China",
        )?;
        let china_record = holders
            .iter()
            .filter(|f| f.country == china)
            .find_map(|f| f.capacity(commodity))
            .cloned()
            .ok_or("no Chinese capacity")?;
        ensure(
            china_record.estimate.is_some()
                && china_record
                    .source
                    .as_ref()
                    .is_some_and(|s| s.as_str().starts_with("smm")),
            "China's figure is an estimate from SMM's surveys",
        )?;
        let project = Tonnes::checked_sum(
            holders
                .iter()
                .filter(|f| f.country != china)
                .filter_map(|f| f.capacity(commodity).map(|c| c.tonnes_per_year)),
        )?;
        on_record.push((*commodity, china_record.tonnes_per_year, project));
        println!();
    }
    let silent: Vec<Facility> = analysis
        .data()
        .facilities
        .iter()
        .filter(|f| f.stage == Stage::Separation && f.country != china && f.capacities.is_empty())
        .cloned()
        .collect();
    println!("  Separation facilities outside China with no capacity on record:");
    for f in &silent {
        println!("    {} ({}, {})", f.name, f.country.name(), f.maturity);
    }
    ensure(
        silent.iter().any(|f| f.id.as_str() == "lynas-malaysia-hre"),
        "Lynas's heavy rare-earth circuit is on record without a capacity",
    )?;
    let records: Vec<String> = on_record
        .iter()
        .map(|(c, cn, project)| {
            format!(
                "{}: {} t/yr in China, {} t/yr planned outside",
                prose(c),
                whole(*cn),
                whole(*project)
            )
        })
        .collect();
    conclude(&format!(
        "Each heavy rare earth has two records: China's separation output (a {as_of_year} \
         run-rate from SMM's monthly surveys, flagged as an estimate) and one project outside \
         China, Energy Fuels' White Mesa plan ({}). Nobody outside China separated Dy or Tb at \
         commercial scale in {as_of_year}. Lynas's heavy rare-earth circuit in Malaysia is on \
         record, but no Dy or Tb capacity was published for it, so it cannot enter a graph.",
        records.join("; ")
    ));

    note(&format!(
        "So what can the graph say? Dy and Tb oxide deliverable in {as_of_year}, with and \
         without China's exports, and the country that holds the binding capacity:"
    ));
    println!(
        "  {:<9} {:>16} {:>24} {:>22}",
        "commodity", "baseline, t/yr", "binding capacity", "China's stop, t/yr"
    );
    let mut heavy_baseline: Vec<(Commodity, Tonnes)> = Vec::new();
    for commodity in &heavies {
        let cmp = analysis.compare(commodity, &Scenario::baseline(), &stop)?;
        let b = analysis.bottleneck(commodity, &Scenario::baseline())?;
        let holder = b.report.cut_by_country.first().map_or_else(
            || "none".to_owned(),
            |c| format!("{} {}", c.country.name(), pct(c.share)),
        );
        println!(
            "  {:<9} {:>16} {:>24} {:>22}",
            commodity.to_string(),
            whole(cmp.baseline.deliverable),
            holder,
            whole(cmp.scenario.deliverable)
        );
        ensure(
            !cmp.baseline.deliverable.is_zero()
                && b.report.bottleneck_is_midstream
                && b.report.cut_by_country.len() == 1
                && b.report.cut_by_country.iter().all(|c| c.country == china)
                && cmp.scenario.deliverable.is_zero(),
            "China alone separates Dy/Tb, and a stop leaves nothing for the rest of the world",
        )?;
        heavy_baseline.push((*commodity, cmp.baseline.deliverable));
    }
    let lost: Vec<String> = heavy_baseline
        .iter()
        .map(|(c, tonnes)| format!("{} of {}", t(*tonnes), prose(c)))
        .collect();
    conclude(&format!(
        "The bottleneck is separation, and it is entirely Chinese: China separates all of it, \
         {} a year (run-rates, not capacities). Under the stop the rest of the world gets \
         nothing: of the facilities on record, none outside China could separate a tonne of Dy \
         or Tb that year. The whole of China's output is the shortfall abroad until a project \
         delivers.",
        lost.join(" and ")
    ));

    let options = OutlookOptions {
        samples: 1000,
        scenario: stop.clone(),
        ..OutlookOptions::default()
    };
    let horizon = as_of_year + 11;
    let white_mesa = analysis
        .delivery(as_of_year + 1..=horizon)?
        .into_iter()
        .find(|a| a.facility.as_str() == "white-mesa-phase2")
        .ok_or("White Mesa Phase 2/3 is not assessed")?;
    let chance_by_horizon = white_mesa.probability_by(horizon).unwrap_or(Share::ZERO);
    note(&format!(
        "When might that change? The outlook weighs the one project by its chance of \
         delivering, year by year to {horizon}, under the stop. Columns (t/yr outside China): \
         producing plants only; the expected value and the median (P50) and 90th percentile \
         (P90) of seeded samples of which projects deliver; every project on schedule."
    ));
    let mut heavy_outlook: Vec<(Commodity, Tonnes)> = Vec::new();
    for (i, commodity) in heavies.iter().enumerate() {
        let outlook = analysis.outlook(commodity, as_of_year + 1..=horizon, &options)?;
        if i > 0 {
            println!();
        }
        println!("  {commodity} outside China ({} samples)", outlook.samples);
        println!(
            "  {:>4} {:>10} {:>9} {:>6} {:>6} {:>13}",
            "year", "producing", "expected", "P50", "P90", "every project"
        );
        for y in &outlook.years {
            println!(
                "  {:>4} {:>10} {:>9} {:>6} {:>6} {:>13}",
                y.year,
                whole(y.operating_only),
                whole(y.expected),
                whole(y.p50),
                whole(y.p90),
                whole(y.all_projects)
            );
        }
        let last = outlook.years.last().cloned().ok_or("an empty outlook")?;
        println!(
            "  P90 in {}: {}, its 95 % interval {} to {}",
            last.year,
            t(last.p90),
            t(last.p90_interval.low),
            t(last.p90_interval.high)
        );
        ensure(
            outlook
                .years
                .iter()
                .all(|y| y.operating_only.is_zero() && y.p50.is_zero()),
            "no producing plant and no median future delivers Dy/Tb outside China",
        )?;
        for y in &outlook.years {
            ensure(
                (y.year < 2029) == y.all_projects.is_zero()
                    && (y.all_projects.is_zero()
                        || y.expected < y.all_projects.checked_mul("0.25".parse()?)?),
                "every project counts from 2029; the expected value stays under a quarter of it",
            )?;
        }
        let first_counted = outlook
            .years
            .iter()
            .find(|y| !y.all_projects.is_zero())
            .map(|y| y.year);
        ensure(
            first_counted.is_some() && first_counted == white_mesa.announced_start_year,
            "every project counts the White Mesa plan from its announced first production",
        )?;
        ensure(
            outlook.years.iter().all(|y| y.p90_interval.low.is_zero())
                && last.p90_interval.high == last.all_projects,
            "P90 is on the edge: its interval spans zero and the project by the end",
        )?;
        conclude(&format!(
            "{}: no producing plant outside China delivers in any year, and neither \
             does the median future. The every-project column counts White Mesa from {}, the \
             first production its feasibility study gives, at {}; the expected value stays \
             under a quarter of that ({} in {}). P90 is on the edge: its 95 % interval runs \
             from {} to {}, so whether it shows the project depends on the draws, not on the \
             data.",
            prose(commodity),
            year_or_none(first_counted),
            t(last.all_projects),
            t(last.expected),
            last.year,
            t(last.p90_interval.low),
            t(last.p90_interval.high)
        ));
        heavy_outlook.push((*commodity, last.expected));
    }
    ensure(
        chance_by_horizon < "0.5".parse()?,
        "in most futures the project has not delivered by the end of the outlook",
    )?;
    conclude(&format!(
        "The project's chance of having delivered by {horizon} is {}: in most futures, nothing \
         outside China separates Dy or Tb by then.",
        pct(chance_by_horizon)
    ));

    // ## 4. Only aligned suppliers
    let perspective = analysis
        .data()
        .perspective
        .clone()
        .ok_or("the dataset has no perspective")?;
    let aligned = Scenario {
        aligned_up_to: Some(Alignment::Partner),
        ..Scenario::default()
    };
    let malaysia: Country = "MY".parse()?;
    ensure(
        perspective.alignment_of(malaysia) == Some(Alignment::NonAligned),
        "Malaysia is non-aligned under the dataset's assumption",
    )?;
    let cmp_aligned = analysis.compare(&ndpr, &Scenario::baseline(), &aligned)?;
    section(
        "4. Only aligned suppliers",
        &format!(
            "Supply-security planning often counts only allies and partners, here of the {} \
             (the dataset's perspective; the alignments are the dataset's assumption). That is \
             stricter than a Chinese export stop: Malaysia, where Lynas separates Australian \
             ore, is non-aligned under this assumption. Below: NdPr oxide deliverable with \
             every supplier and with allies and partners only, and separation by country \
             (t/yr).",
            perspective.country.name()
        ),
    );
    println!(
        "  NdPr oxide deliverable: {} with every supplier, {} from allies and partners only",
        t(cmp_aligned.baseline.deliverable),
        t(cmp_aligned.scenario.deliverable)
    );
    println!();
    println!(
        "  {:<26} {:<13} {:>14} {:>20}",
        "separation in", "alignment", "all, t/yr", "aligned only, t/yr"
    );
    for d in cmp_aligned
        .by_stage_country
        .iter()
        .filter(|d| d.stage == Stage::Separation)
    {
        let alignment = perspective
            .alignment_of(d.country)
            .map_or_else(|| "unclassified".to_owned(), |a| words(&a));
        println!(
            "  {:<26} {:<13} {:>14} {:>20}",
            d.country.name(),
            alignment,
            span(d.baseline),
            span(d.scenario)
        );
    }
    ensure(
        cmp_aligned.scenario.deliverable < cmp.scenario.deliverable,
        "aligned-only leaves less than a Chinese export stop",
    )?;
    let us: Country = "US".parse()?;
    ensure(
        cmp_aligned
            .scenario
            .flow_by_stage_country
            .iter()
            .filter(|f| f.stage == Stage::Separation && !f.tonnes.is_zero())
            .all(|f| f.country == us),
        "only the US separators remain",
    )?;
    let aligned_kept = share_of(
        cmp_aligned.scenario.deliverable,
        cmp_aligned.baseline.deliverable,
    )?;
    conclude(&format!(
        "Counting only allies and partners leaves {} of {} ({}), less than the {} a Chinese \
         export stop leaves: only the US separators remain.",
        t(cmp_aligned.scenario.deliverable),
        t(cmp_aligned.baseline.deliverable),
        pct(aligned_kept),
        t(cmp.scenario.deliverable)
    ));

    let later_year = as_of_year + 5;
    let later = Scenario {
        year: Some(later_year),
        all_projects_online: true,
        ..aligned.clone()
    };
    note(&format!(
        "And if every project on record came online on schedule? Allies' and partners' supply \
         in {later_year}:"
    ));
    let ndpr_later = analysis.bottleneck(&ndpr, &later)?.report.deliverable;
    println!("  {:<10} {:>10}", "commodity", "t/yr");
    println!("  {:<10} {:>10}", ndpr.to_string(), whole(ndpr_later));
    ensure(
        ndpr_later > cmp_aligned.scenario.deliverable
            && ndpr_later.checked_mul("2".parse()?)? < cmp_aligned.baseline.deliverable,
        "aligned NdPr grows with the projects but stays below half the baseline",
    )?;
    let mut heavies_later: Vec<String> = Vec::new();
    for commodity in &heavies {
        let later_tonnes = analysis.bottleneck(commodity, &later)?.report.deliverable;
        println!(
            "  {:<10} {:>10}",
            commodity.to_string(),
            whole(later_tonnes)
        );
        ensure(
            !later_tonnes.is_zero(),
            "the heavy rare-earth project would deliver",
        )?;
        heavies_later.push(format!("{} of {}", t(later_tonnes), prose(commodity)));
    }
    conclude(&format!(
        "With every project on schedule, aligned supply grows, NdPr and heavies alike: {} of \
         NdPr oxide, {} in {later_year}. But NdPr oxide stays below half of the baseline, in \
         which China separates: {} of {} ({}).",
        t(ndpr_later),
        heavies_later.join(" and "),
        t(ndpr_later),
        t(cmp_aligned.baseline.deliverable),
        pct(share_of(ndpr_later, cmp_aligned.baseline.deliverable)?)
    ));

    // ## What this says
    let expected_heavies: Vec<String> = heavy_outlook
        .iter()
        .map(|(c, tonnes)| format!("{} of {}", t(*tonnes), prose(c)))
        .collect();
    section(
        "What this says",
        &format!(
            "NdPr: the bottleneck is separation, and it is Chinese ({} of the binding \
             capacity). If China stops exporting, the rest of the world keeps {} of {} ({}), \
             what Lynas and the US separators already deliver, because the plants outside \
             China are full or short of feed. Dy and Tb: separation is China alone; a stop \
             takes away all of it ({} a year in {as_of_year}), no plant outside China on record \
             separated Dy or Tb in {as_of_year}, and the one planned project is, in most \
             futures, not delivering by {horizon} (its expected contribution then: {}). \
             Counting only allies and partners is stricter still, {} of NdPr oxide, because \
             Malaysia drops out.",
            pct(top.share),
            t(cmp.scenario.deliverable),
            t(cmp.baseline.deliverable),
            pct(kept),
            lost.join(" and "),
            expected_heavies.join(" and "),
            t(cmp_aligned.scenario.deliverable)
        ),
    );
    Ok(())
}
