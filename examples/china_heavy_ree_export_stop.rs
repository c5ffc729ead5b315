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

/// Stops the example when a statement of the commentary does not hold for the data.
fn ensure(holds: bool, statement: &str) -> Result<(), Box<dyn Error>> {
    if holds {
        Ok(())
    } else {
        Err(format!("the commentary no longer matches the data: {statement}").into())
    }
}

/// A share as a percentage with one decimal, e.g. `81.0 %`.
fn pct(share: Share) -> String {
    format!("{:.1} %", share.percent().round_dp(1))
}

/// `part / whole` as a share.
fn share_of(part: Tonnes, whole: Tonnes) -> Result<Share, Box<dyn Error>> {
    let ratio = part
        .value()
        .checked_div(whole.value())
        .ok_or("a share of nothing")?;
    Ok(Share::new(ratio)?)
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

/// Prints every facility with capacity in the report: capacity and throughput.
fn print_utilisation(report: &BottleneckReport) {
    for u in report.utilisation.iter().filter(|u| !u.capacity.is_zero()) {
        println!(
            "  {:<28} {:<11} {} capacity {:>6} used {:>6}",
            u.id.to_string(),
            u.stage.to_string(),
            u.country,
            u.capacity.value(),
            u.throughput.value()
        );
    }
}

#[allow(clippy::too_many_lines)] // Reason: a notebook, section after section.
fn main() -> Result<(), Box<dyn Error>> {
    let china: Country = "CN".parse()?;
    let analysis = Analysis::new(midstream::data::load("rare-earths-2024")?);
    let ndpr: Commodity = "NdPr:oxide".parse()?;

    // ## 1. The baseline: where NdPr oxide chokes today
    //
    // The maximum flow from mines through separation is the NdPr oxide the world can deliver;
    // the minimum cut is the capacity that limits it. Here is the cut by stage and by country.
    let baseline = analysis.bottleneck(&ndpr, &Scenario::baseline())?;
    let base = baseline.report.clone();
    println!(
        "NdPr oxide in {}: {} deliverable",
        base.year, base.deliverable
    );
    for s in &base.cut_by_stage {
        println!(
            "  binding stage {} (midstream: {}): {} ({})",
            s.stage,
            s.midstream,
            s.capacity,
            pct(s.share)
        );
    }
    for c in &base.cut_by_country {
        println!(
            "  binding capacity in {}: {} ({})",
            c.name,
            c.capacity,
            pct(c.share)
        );
    }
    for a in &baseline.cut_delivery {
        println!("  in the cut: {}", a.summary);
    }
    // The bottleneck is midstream (separation), and China holds most of the binding capacity.
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

    // Utilisation tells the rest of the story: which plants run full, and which have room.
    println!("Utilisation in {}:", base.year);
    print_utilisation(&base);
    // Lynas's Malaysian separator has idle capacity: its only NdPr feed in the dataset is Mount
    // Weld, which runs full. The US separators run full. The other mines together hold more NdPr
    // than the separators they sell to can take; they sell into a common market, so how the
    // flow splits between them is one of several equally good answers (a mine may show as idle
    // while another carries its share).
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

    // ## 2. China stops exporting NdPr
    //
    // `Analysis::compare` builds both graphs and reports the change in deliverable supply and
    // the change of flow through each stage and country.
    let stop = Scenario {
        export_stops: [china].into(),
        ..Scenario::default()
    };
    let cmp = analysis.compare(&ndpr, &Scenario::baseline(), &stop)?;
    let kept = share_of(cmp.scenario.deliverable, cmp.baseline.deliverable)?;
    println!();
    println!(
        "China stops exporting: {} -> {} deliverable to the rest of the world ({}; {} of the baseline kept)",
        cmp.baseline.deliverable,
        cmp.scenario.deliverable,
        cmp.deliverable_change,
        pct(kept)
    );
    println!("  change by stage and country (baseline -> scenario, least to most t/yr):");
    for d in cmp
        .by_stage_country
        .iter()
        .filter(|d| d.baseline != d.scenario)
    {
        println!(
            "    {:<11} {}: {} -> {}",
            d.stage.to_string(),
            d.country.name(),
            d.baseline,
            d.scenario
        );
    }
    // The rest of the world keeps only a small part of the baseline. China's separation stage
    // loses all its flow to buyers abroad, and so do China's mines (their ore cannot leave China
    // either). Each row is a range: mines sell into a common market, so several routings of the
    // same maximum are equally good, and a mine's row spans them all. The separation rows are
    // fixed: no separator outside China can carry more than before. They were already full, or
    // held back by their feed, so nothing outside China picks up the slack: what is left is
    // exactly what the non-Chinese separators delivered in the baseline.
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

    // What binds outside China? The same plants as before: the US separators run full, and
    // Lynas Malaysia is held back by Mount Weld.
    println!("  utilisation under the stop:");
    print_utilisation(&cmp.scenario);
    ensure(
        runs_full(&cmp.scenario, "mp-mountain-pass-separation")
            && runs_full(&cmp.scenario, "white-mesa-phase1")
            && runs_full(&cmp.scenario, "mount-weld")
            && !runs_full(&cmp.scenario, "lynas-malaysia"),
        "outside China, the US separators and Mount Weld run full, Lynas Malaysia does not",
    )?;

    // ## 3. Dysprosium and terbium: what the dataset holds
    //
    // Heavy rare earths are where an export stop bites hardest, and where the public record is
    // thinnest. Before computing anything, look at what the dataset has: every facility with a
    // Dy or Tb oxide capacity, and every separation facility outside China without any capacity.
    let as_of_year = base.year;
    let heavies: [Commodity; 2] = ["Dy:oxide".parse()?, "Tb:oxide".parse()?];
    println!();
    for commodity in &heavies {
        let holders: Vec<&Facility> = analysis
            .data()
            .facilities
            .iter()
            .filter(|f| f.capacity(commodity).is_some())
            .collect();
        println!("Facilities with a {commodity} capacity:");
        for f in &holders {
            let capacity = f.capacity(commodity).map(|c| c.tonnes_per_year);
            println!(
                "  {} ({}, {}): {}",
                f.name,
                f.country.name(),
                f.maturity,
                capacity.unwrap_or_default()
            );
        }
        // Two records: China's separation output (a 2024 run-rate from SMM's monthly surveys,
        // flagged as an estimate) and one project outside China (Energy Fuels' plan). Nobody
        // outside China separated Dy or Tb at commercial scale in 2024.
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
    }
    let silent: Vec<Facility> = analysis
        .data()
        .facilities
        .iter()
        .filter(|f| f.stage == Stage::Separation && f.country != china && f.capacities.is_empty())
        .cloned()
        .collect();
    println!("Separation facilities outside China with no capacity on record:");
    for f in &silent {
        println!("  {} ({}, {})", f.name, f.country.name(), f.maturity);
    }
    // The dataset knows of a heavy rare-earth circuit under construction at Lynas Malaysia, but
    // no Dy or Tb capacity for it was published, so it cannot enter a graph.
    ensure(
        silent.iter().any(|f| f.id.as_str() == "lynas-malaysia-hre"),
        "Lynas's heavy rare-earth circuit is on record without a capacity",
    )?;

    // So what can the graph say? Deliverable Dy and Tb oxide in the as-of year, with and without
    // China's exports:
    for commodity in &heavies {
        let cmp = analysis.compare(commodity, &Scenario::baseline(), &stop)?;
        let b = analysis.bottleneck(commodity, &Scenario::baseline())?;
        println!(
            "{commodity} in {as_of_year}: {} deliverable, all of it separated in China ({} of the \
             cut); with China's exports stopped: {}",
            cmp.baseline.deliverable,
            b.report.cut_by_country.first().map_or_else(
                || "none".to_owned(),
                |c| format!("{} {} %", c.country.name(), c.share.percent().round_dp(1))
            ),
            cmp.scenario.deliverable
        );
        ensure(
            !cmp.baseline.deliverable.is_zero()
                && b.report.bottleneck_is_midstream
                && b.report.cut_by_country.len() == 1
                && b.report.cut_by_country.iter().all(|c| c.country == china)
                && cmp.scenario.deliverable.is_zero(),
            "China alone separates Dy/Tb, and a stop leaves nothing for the rest of the world",
        )?;
    }
    // The baseline is China's 2024 output: about 2,600 t of Dy oxide and 490 t of Tb oxide a
    // year (run-rates, not capacities; Benchmark Mineral Intelligence puts China at 99.9 % of
    // heavy rare-earth separation). The bottleneck is separation and it is entirely Chinese.
    // Under the stop, the rest of the world gets nothing: of the facilities on record, none
    // outside China could separate a tonne of Dy or Tb that year. The whole of China's output is
    // the shortfall abroad until a project delivers.
    //
    // When might that be? The outlook weighs the one project by its chance of delivering, year
    // by year, under the stop.
    let options = OutlookOptions {
        samples: 1000,
        scenario: stop.clone(),
        ..OutlookOptions::default()
    };
    for commodity in &heavies {
        let outlook = analysis.outlook(commodity, as_of_year + 1..=as_of_year + 11, &options)?;
        println!(
            "{commodity} outside China, by year (producing only / expected / P50 / P90 / every project):"
        );
        for y in &outlook.years {
            println!(
                "  {}: {:>5} {:>8} {:>5} {:>5} {:>5}",
                y.year,
                y.operating_only.value(),
                y.expected.value().round_dp(1),
                y.p50.value(),
                y.p90.value(),
                y.all_projects.value()
            );
        }
        // Producing plants deliver nothing in any year, and the median future has nothing either:
        // the every-project column counts the project from 2029, the first production its
        // feasibility study gives, and the expected value stays well below that (under a quarter
        // of it). The chance that the project has delivered by the end of the period is about
        // one in ten, so nine futures in ten see nothing outside China, and the tenth sits on
        // the 90th percentile: P90 is on the edge (printed with its 95 % interval), zero or the
        // project's 150 t as the draws fall, and never above every project.
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
        let last = outlook.years.last().ok_or("an empty outlook")?;
        println!(
            "  P90 in {}: {} t, its 95 % interval {} to {} t",
            last.year,
            last.p90.value(),
            last.p90_interval.low.value(),
            last.p90_interval.high.value()
        );
        ensure(
            outlook.years.iter().all(|y| y.p90_interval.low.is_zero())
                && last.p90_interval.high == last.all_projects,
            "P90 is on the edge: its interval spans zero and the project by the end",
        )?;
    }

    // ## 4. Only aligned suppliers
    //
    // Supply-security planning often counts only allies and partners (from the dataset's
    // perspective, the United States; the alignments are the dataset's assumption). That is
    // stricter than a Chinese export stop: Malaysia, where Lynas separates Australian ore, is
    // non-aligned under this assumption.
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
    println!();
    println!(
        "Only allies and partners of {}: NdPr oxide {} -> {}",
        perspective.country.name(),
        cmp_aligned.baseline.deliverable,
        cmp_aligned.scenario.deliverable
    );
    for d in cmp_aligned
        .by_stage_country
        .iter()
        .filter(|d| d.stage == Stage::Separation)
    {
        let alignment = perspective
            .alignment_of(d.country)
            .map_or_else(|| "unclassified".to_owned(), |a| a.to_string());
        println!(
            "  separation in {} ({alignment}): {} -> {}",
            d.country.name(),
            d.baseline,
            d.scenario
        );
    }
    // Less is left than under the Chinese stop: only the US separators remain.
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

    // And if every project on record came online on schedule, five years on? Aligned supply
    // grows, NdPr and heavies alike, but stays far below the baseline, in which China separates.
    let later = Scenario {
        year: Some(as_of_year + 5),
        all_projects_online: true,
        ..aligned.clone()
    };
    let ndpr_later = analysis.bottleneck(&ndpr, &later)?.report.deliverable;
    println!(
        "  with every project on schedule in {}: NdPr oxide {ndpr_later}",
        as_of_year + 5
    );
    ensure(
        ndpr_later > cmp_aligned.scenario.deliverable
            && ndpr_later.checked_mul("2".parse()?)? < cmp_aligned.baseline.deliverable,
        "aligned NdPr grows with the projects but stays below the baseline",
    )?;
    for commodity in &heavies {
        let t = analysis.bottleneck(commodity, &later)?.report.deliverable;
        println!(
            "  with every project on schedule in {}: {commodity} {t}",
            as_of_year + 5
        );
        ensure(!t.is_zero(), "the heavy rare-earth project would deliver")?;
    }

    // ## What this says
    //
    // NdPr: the bottleneck is separation, and it is Chinese. If China stops exporting, the rest
    // of the world keeps only what Lynas and the US separators already deliver, because the
    // plants outside China are full or short of feed. Dy and Tb: separation is China alone; a
    // stop takes away all of it (about 2,600 t of Dy oxide and 490 t of Tb oxide a year in
    // 2024), no plant outside China on record separated Dy or Tb in 2024, and the one planned
    // project is, in most futures, not delivering by the end of the outlook. Counting only
    // allies and partners is stricter still, because Malaysia drops out.
    Ok(())
}
