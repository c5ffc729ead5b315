//! Markdown rendering of analysis results: readable tables and a short narrative.
//!
//! Every renderer is deterministic (the results are sorted upstream) and writes only what the
//! result holds. Every tonnage is stated by one rule, [`midstream_domain::Tonnes::readable`]
//! (the JSON keeps the kilograms); outlook bands, Monte Carlo estimates, in whole tonnes.

use std::fmt::Write as _;

use midstream_graph::{BalanceReport, BindingKind, BottleneckReport, CutMember, StageRange};

use rust_decimal::Decimal;

use crate::analysis::{BottleneckAnalysis, Comparison};
use crate::outlook::Outlook;
use crate::{Candidate, CountryProfile};
use midstream_domain::Stage;

fn pct(share: midstream_domain::Share) -> String {
    format!("{} %", share.percent().round_dp(1))
}

/// Writes a line; `String` never fails to take it.
macro_rules! line {
    ($out:expr) => { let _ = writeln!($out); };
    ($out:expr, $($arg:tt)*) => { let _ = writeln!($out, $($arg)*); };
}

/// The full report as Markdown: per commodity the bottleneck, the export stop and the outlook;
/// supply against demand; the concentration by stage; the country profiles.
#[must_use]
pub fn report(r: &crate::Report) -> String {
    let mut md = String::new();
    line!(md, "# midstream report: {} (as of {})", r.dataset, r.as_of);
    line!(md);
    if r.bottlenecks.is_empty() {
        line!(
            md,
            "No commodity of this dataset has capacity at two stages or more, so there is no \
             chain to find a bottleneck in; the concentration of each stage follows."
        );
        line!(md);
    }
    let analysed: Vec<midstream_domain::Commodity> =
        r.bottlenecks.iter().map(|b| b.balance.target).collect();
    for b in &r.bottlenecks {
        let commodity = b.balance.target;
        md.push_str(&bottleneck(b));
        // The export stop is the binding country's (as `Analysis::report` chose it).
        if let (Some(c), Some(country)) = (
            r.export_stops
                .iter()
                .find(|c| c.baseline_balance.target == commodity),
            b.binding_country(),
        ) {
            md.push_str(&comparison(
                c,
                &format!("If {} stops exporting", country.name()),
            ));
        }
        if let Some(o) = r.outlooks.iter().find(|o| o.commodity == commodity) {
            md.push_str(&outlook(o));
        }
        if let Some(x) = r.risks.iter().find(|x| x.commodity == commodity) {
            md.push_str(&risk(x));
        }
        if let Some(i) = r.investments.iter().find(|i| i.commodity == commodity) {
            md.push_str(&investment(i));
        }
    }
    for o in r
        .outlooks
        .iter()
        .filter(|o| !analysed.contains(&o.commodity))
    {
        md.push_str(&outlook(o));
    }
    for note in &r.notes {
        line!(md, "_{note}_");
        line!(md);
    }
    if !r.concentration.is_empty() {
        let year = r
            .as_of
            .get(..4)
            .and_then(|y| y.parse::<i32>().ok())
            .unwrap_or_default();
        md.push_str(&concentration(&r.concentration, year));
    }
    for p in &r.profiles {
        if p.dataset != r.dataset {
            line!(
                md,
                "_{} has no facility in {}; its profile comes from `{}`._",
                p.country.name(),
                r.dataset,
                p.dataset
            );
            line!(md);
        }
        md.push_str(&profile(p));
    }
    md
}

/// The bottleneck of one commodity: deliverable, shortfall, the cut by stage and country, the
/// cut's members with their delivery risk, and the main flows.
#[must_use]
#[allow(clippy::too_many_lines)] // Reason: one report, table by table.
pub fn bottleneck(b: &BottleneckAnalysis) -> String {
    let r = &b.report;
    let balance = &b.balance;
    let mut out = String::new();
    line!(out, "## {} in {}", r.commodity, r.year);
    line!(out);
    if b.single_product {
        line!(out, "{}", narrative(r));
    } else {
        line!(out, "{}", balance_narrative(b));
    }
    line!(out);
    line!(out, "| | tonnes per year |");
    line!(out, "|---|---|");
    // Rounded as the sentence above says them (the JSON keeps the kilograms).
    line!(out, "| deliverable | {} |", balance.deliverable.readable());
    if let (Some(d), Some(shortfall)) = (balance.demand, balance.shortfall()) {
        line!(out, "| demand | {} |", d.readable());
        line!(out, "| shortfall | {} |", shortfall.readable());
    }
    line!(out);
    if b.single_product && !r.cut_by_stage.is_empty() {
        line!(out, "**Bottleneck by stage**");
        line!(out);
        line!(
            out,
            "| stage | midstream | binding capacity (t/yr) | share of cut |"
        );
        line!(out, "|---|---|---|---|");
        for s in &r.cut_by_stage {
            line!(
                out,
                "| {} | {} | {} | {} |",
                s.stage,
                if s.midstream { "yes" } else { "no" },
                s.capacity.readable(),
                pct(s.share)
            );
        }
        line!(out);
        line!(out, "**Bottleneck by country**");
        line!(out);
        line!(out, "| country | binding capacity (t/yr) | share of cut |");
        line!(out, "|---|---|---|");
        for c in &r.cut_by_country {
            line!(
                out,
                "| {} ({}) | {} | {} |",
                c.name,
                c.country,
                c.capacity.readable(),
                pct(c.share)
            );
        }
        line!(out);
    }
    if b.single_product && !r.cut.is_empty() {
        line!(out, "**What binds** (the minimum cut)");
        line!(out);
        line!(
            out,
            "| member | stage | country | capacity (t/yr) | delivery |"
        );
        line!(out, "|---|---|---|---|---|");
        for m in &r.cut {
            match m {
                CutMember::Facility {
                    id,
                    name,
                    stage,
                    country,
                    capacity,
                } => {
                    let delivery = b
                        .cut_delivery
                        .iter()
                        .find(|a| &a.facility == id)
                        // Without the nameplate: it names one of the facility's commodities,
                        // maybe not this table's, which has its own capacity column.
                        .map(|a| a.describe(false))
                        .unwrap_or_default();
                    line!(
                        out,
                        "| {name} (`{id}`) | {stage} | {country} | {} | {delivery} |",
                        capacity.readable()
                    );
                }
                CutMember::Link {
                    id,
                    from,
                    to,
                    capacity,
                } => {
                    line!(
                        out,
                        "| link `{id}` ({from} → {to}) | | | {} | |",
                        capacity.readable()
                    );
                }
                CutMember::Demand {
                    id,
                    buyer,
                    country,
                    capacity,
                } => {
                    line!(
                        out,
                        "| demand of {buyer} (`{id}`), fully met | | {} | {} | |",
                        country.map_or("world", |c| c.code()),
                        capacity.readable()
                    );
                }
            }
        }
        line!(out);
    }
    recipe_limits(&mut out, balance);
    marginal_values(&mut out, balance);
    let flows: Vec<&StageRange> = balance
        .stages
        .iter()
        .filter(|f| f.stage.is_midstream() && f.country.is_some())
        .collect();
    if !flows.is_empty() {
        line!(
            out,
            "**Where deliverable supply is processed** (midstream stages)"
        );
        line!(out);
        line!(
            out,
            "Many flows deliver the same maximum; each row gives the least and the most a stage \
             carries in a country over all of them, so a country that could be left out shows 0."
        );
        if !b.single_product {
            line!(
                out,
                "Separation is counted in the separated product of the target's elements, \
                 whether its plants state feed or product; the other stages in what their \
                 plants state capacity in (feed, metal, magnets). The most includes feed whose \
                 other products are stocked or sold outside the chain."
            );
        }
        line!(out);
        if b.single_product {
            line!(
                out,
                "| stage | country | least (t/yr) | most (t/yr) | most as share of deliverable |"
            );
            line!(out, "|---|---|---|---|---|");
        } else {
            line!(
                out,
                "| stage | country | counted in | least (t/yr) | most (t/yr) |"
            );
            line!(out, "|---|---|---|---|---|");
        }
        for f in flows {
            let unit = if b.single_product {
                String::new()
            } else {
                format!(
                    " {} |",
                    f.unit
                        .map_or_else(|| String::from("mixed"), |u| u.to_string())
                )
            };
            let share = match (b.single_product, balance.deliverable.is_zero()) {
                (false, _) => String::new(),
                (true, true) => String::from(" - |"),
                (true, false) => format!(
                    " {} % |",
                    (f.most.value() * Decimal::ONE_HUNDRED / balance.deliverable.value())
                        .round_dp(1)
                ),
            };
            line!(
                out,
                "| {} | {} |{unit} {} | {} |{share}",
                f.stage,
                f.country.map_or("", |c| c.code()),
                f.least.readable(),
                f.most.readable(),
            );
        }
        line!(out);
    }
    // Products no separator makes in the scenario (every plant of them idle) are left out of
    // the table; the JSON keeps them.
    let made: Vec<_> = balance
        .by_products
        .iter()
        .filter(|p| !p.most.is_zero())
        .collect();
    if !made.is_empty() {
        line!(
            out,
            "**Separated alongside it** (by-products of the same feed)"
        );
        line!(out);
        line!(out, "| product | least (t/yr) | most (t/yr) |");
        line!(out, "|---|---|---|");
        for p in made {
            line!(
                out,
                "| {} | {} | {} |",
                p.commodity,
                p.least.readable(),
                p.most.readable()
            );
        }
        line!(out);
    }
    out
}

/// For a product made by recipe: what each input's supply allows, and which binds.
fn recipe_limits(out: &mut String, balance: &BalanceReport) {
    let limits = &balance.recipe_limits;
    let Some(first) = limits.first() else {
        return;
    };
    line!(out, "**Which input binds** ({} by recipe)", balance.target);
    line!(out);
    // The first input binds only if the product is made to what it allows; otherwise the
    // makers' own capacity (or another bound) stops the product first.
    let slack = first.allows.value() - balance.deliverable.value();
    if slack > Decimal::new(1, 3) {
        line!(
            out,
            "No input binds: {} t of {} are made, below the {} t that {}, the scarcest input, \
             would allow; the makers' capacity or another bound limits it first.",
            balance.deliverable.readable(),
            balance.target,
            first.allows.readable(),
            first.input
        );
    }
    match limits.get(1).filter(|_| slack <= Decimal::new(1, 3)) {
        Some(next) => {
            line!(
                out,
                "{} binds: its supply of {} t allows {} t of {}; {} would allow {} t, {} t more.",
                first.input,
                first.supply.readable(),
                first.allows.readable(),
                balance.target,
                next.input,
                next.allows.readable(),
                midstream_domain::Tonnes::new(next.allows.value() - first.allows.value())
                    .readable()
            );
        }
        None if slack <= Decimal::new(1, 3) => {
            line!(
                out,
                "{} is the only input: its supply of {} t allows {} t of {}.",
                first.input,
                first.supply.readable(),
                first.allows.readable(),
                balance.target
            );
        }
        None => {}
    }
    line!(out);
    line!(
        out,
        "| input | supply (t/yr) | tonnes per tonne of product | allows (t/yr of product) |"
    );
    line!(out, "|---|---|---|---|");
    for l in limits {
        line!(
            out,
            "| {} | {} | {} | {} |",
            l.input,
            l.supply.readable(),
            l.tonnes_per_tonne.normalize(),
            l.allows.readable()
        );
    }
    line!(out);
}

/// Most rows of the marginal-value table.
const MARGINAL_ROWS: usize = 12;

/// The bounds that bind, with what one tonne of each is worth; then, in one sentence, the
/// capacities at zero in the scenario (projects not producing yet) whose first tonne would add.
fn marginal_values(out: &mut String, balance: &BalanceReport) {
    let (idle, binding): (Vec<_>, Vec<_>) = balance
        .binding
        .iter()
        .partition(|m| matches!(m.what, BindingKind::Capacity { .. }) && m.bound.is_zero());
    if !binding.is_empty() {
        let heading = if binding.len() > MARGINAL_ROWS {
            format!("the {MARGINAL_ROWS} most valuable of {}", binding.len())
        } else if binding.len() == 1 {
            String::from("one bound")
        } else {
            format!("{} bounds", binding.len())
        };
        line!(out, "**What one tonne is worth** ({heading})");
        line!(out);
        line!(
            out,
            "Tonnes of {} gained per tonne added to each bound that binds, and lost per tonne \
             taken from it; the two differ where another bound takes over.",
            balance.target
        );
        line!(out);
        line!(
            out,
            "| what binds | stage | country | bound (t/yr) | gain per t added | loss per t removed |"
        );
        line!(out, "|---|---|---|---|---|---|");
        for m in binding.iter().take(MARGINAL_ROWS) {
            let what = match &m.what {
                BindingKind::Capacity {
                    facility,
                    commodity,
                } => format!("capacity of `{facility}` ({commodity})"),
                BindingKind::Link { link, floor: false } => format!("cap of link `{link}`"),
                BindingKind::Link { link, floor: true } => format!("floor of link `{link}`"),
                BindingKind::Demand { demand } => format!("demand `{demand}`"),
            };
            line!(
                out,
                "| {what} | {} | {} | {} | {} | {} |",
                m.stage.map(|s| s.to_string()).unwrap_or_default(),
                m.country.map_or("", |c| c.code()),
                m.bound.readable(),
                m.gain_per_tonne,
                m.loss_per_tonne
                    .map_or_else(|| String::from("cannot rise"), |l| l.to_string())
            );
        }
        line!(out);
    }
    if !idle.is_empty() {
        let names: Vec<String> = idle
            .iter()
            .filter_map(|m| match &m.what {
                BindingKind::Capacity { facility, .. } => {
                    Some(format!("`{facility}` ({} t)", m.gain_per_tonne))
                }
                _ => None,
            })
            .collect();
        line!(
            out,
            "At zero in {} (a project not producing yet, or a capacity the scenario takes out) but worth a tonne of capacity (tonnes of {} per tonne): {}.",
            balance.year,
            balance.target,
            names.join(", ")
        );
        line!(out);
    }
}

/// One paragraph on what limits supply, from the material balance (a chain with joint
/// products or recipes, where no single-product cut stands for it).
fn balance_narrative(b: &BottleneckAnalysis) -> String {
    let balance = &b.balance;
    if balance.deliverable.is_zero() {
        return format!(
            "Nothing is deliverable in {}: no chain of producing facilities reaches buyers of {}.",
            balance.year, balance.target
        );
    }
    let mut text = format!(
        "Deliverable supply is {} t per year.",
        balance.deliverable.readable()
    );
    match (b.binding_stage(), b.binding_country()) {
        (Some(stage), Some(country)) => {
            let _ = write!(
                text,
                " What binds most is {stage}{}, above all in {}.",
                if stage.is_midstream() {
                    ", in the midstream"
                } else {
                    ""
                },
                country.name()
            );
        }
        _ => text.push_str(" No capacity binds: demand or link bounds do."),
    }
    if let (Some(d), Some(shortfall)) = (balance.demand, balance.shortfall()) {
        let _ = write!(
            text,
            " Demand is {} t; the shortfall is {} t.",
            d.readable(),
            shortfall.readable()
        );
    }
    text
}

/// One paragraph on what limits supply.
fn narrative(r: &BottleneckReport) -> String {
    if r.deliverable.is_zero() {
        let producing = r
            .utilisation
            .iter()
            .filter(|u| u.capacity.value() > rust_decimal::Decimal::ZERO)
            .count();
        return format!(
            "Nothing is deliverable in {}: {} of the {} facilities with a capacity for {} \
             produce in this scenario, and no chain of producing facilities reaches buyers \
             (the others are projects not assumed online, or excluded).",
            r.year,
            producing,
            r.utilisation.len(),
            r.commodity
        );
    }
    let Some(top_stage) = r.binding_stage() else {
        return format!(
            "Deliverable supply is {} t per year; demand, not supply, is what binds.",
            r.deliverable.readable()
        );
    };
    let countries: Vec<String> = r
        .cut_by_country
        .iter()
        .take(3)
        .map(|c| format!("{} {}", c.name, pct(c.share)))
        .collect();
    let mut text = format!(
        "Deliverable supply is {} t per year. The bottleneck is {}{} ({} of the binding capacity), \
         held by {}.",
        r.deliverable.readable(),
        top_stage.stage,
        if r.bottleneck_is_midstream {
            ", in the midstream"
        } else {
            ""
        },
        pct(top_stage.share),
        countries.join(", ")
    );
    if let (Some(d), Some(s)) = (r.demand, r.shortfall) {
        let _ = write!(
            text,
            " Demand is {} t; the shortfall is {} t.",
            d.readable(),
            s.readable()
        );
    }
    text
}

/// Baseline against scenario.
#[must_use]
pub fn comparison(c: &Comparison, title: &str) -> String {
    let (base, alt) = (&c.baseline_balance, &c.scenario_balance);
    let mut out = String::new();
    line!(out, "## {title}: {} in {}", alt.target, alt.year);
    line!(out);
    line!(out, "| | baseline | scenario | change |");
    line!(out, "|---|---|---|---|");
    line!(
        out,
        "| deliverable (t/yr) | {} | {} | {} |",
        base.deliverable.readable(),
        alt.deliverable.readable(),
        c.deliverable_change.readable()
    );
    if let (Some(a), Some(b), Some(d)) = (base.shortfall(), alt.shortfall(), c.shortfall_change) {
        line!(
            out,
            "| shortfall (t/yr) | {} | {} | {} |",
            a.readable(),
            b.readable(),
            d.readable()
        );
    }
    line!(out);
    line!(
        out,
        "{}",
        if alt.deliverable.value().is_zero() {
            "Nothing is deliverable in this scenario: no chain of producing facilities reaches the buyers it counts."
        } else if c.bottleneck_moved {
            "The bottleneck moved to another stage."
        } else {
            "The bottleneck stays at the same stage."
        }
    );
    line!(out);
    marginal_values(&mut out, alt);
    let changed: Vec<_> = c
        .by_stage_country
        .iter()
        .filter(|d| d.baseline != d.scenario)
        .collect();
    if changed.is_empty() {
        line!(
            out,
            "No stage or country carries a different range of flow."
        );
        line!(out);
        return out;
    }
    let which = if changed.len() > 12 {
        format!("the 12 largest changes of {}", changed.len())
    } else {
        String::from("largest change first")
    };
    line!(
        out,
        "Flow by stage and country where it changes ({which}). Each cell is the least to the \
         most the stage carries in the country over all flows that deliver the maximum:"
    );
    line!(out);
    line!(
        out,
        "| stage | country | baseline (t/yr) | scenario (t/yr) |"
    );
    line!(out, "|---|---|---|---|");
    for d in changed.into_iter().take(12) {
        line!(
            out,
            "| {} | {} | {} | {} |",
            d.stage,
            d.country,
            d.baseline,
            d.scenario
        );
    }
    line!(out);
    out
}

/// The outlook: the band by year for the world and, if asked, outside one country, then
/// world supply against each demand case, each with a sentence on what it says.
#[must_use]
pub fn outlook(o: &Outlook) -> String {
    let mut out = String::new();
    if o.demand.is_empty() {
        line!(out, "## Outlook: {}", o.commodity);
    } else {
        line!(out, "## Is there enough? {} against demand", o.commodity);
    }
    line!(out);
    line!(
        out,
        "Deliverable supply per year, whatever the demand: producing facilities only, every \
         project on schedule, and the band of a Monte Carlo of {} samples over which projects deliver \
         (seed {}). Producing facilities keep their latest stated figures (and ramps as \
         stated) and only the dataset's projects add: a flat producing line is what the data \
         holds, not a forecast that nothing grows. {} {}",
        o.samples,
        o.seed,
        settled(o),
        common_cause(o.common_cause)
    );
    line!(out);
    band_table(&mut out, &o.years);
    line!(
        out,
        "{}",
        band_summary(&o.years, o.drivers.as_ref().map(|d| d.year), "")
    );
    line!(out);
    line!(out, "{}", precision(&o.years));
    line!(out);
    if let Some(d) = &o.drivers {
        drivers(&mut out, d, "world supply");
    }
    if let Some(view) = &o.outside {
        outside_view(&mut out, view);
    }
    for case in &o.demand {
        demand_case(&mut out, case);
    }
    out
}

/// The band outside one country, with what moves it.
fn outside_view(out: &mut String, view: &crate::OutsideView) {
    let name = view.country.name();
    line!(out, "### Outside {name}");
    line!(out);
    line!(
        out,
        "What reaches buyers outside {name} if {name} exports none of it (its own plants then \
         serve only {name})."
    );
    line!(out);
    if view.years.iter().all(|y| y.all_projects.is_zero()) {
        line!(
            out,
            "Nothing reaches buyers outside {name} in any year, even with every project on \
             schedule."
        );
        line!(out);
        return;
    }
    band_table(out, &view.years);
    line!(
        out,
        "{}",
        band_summary(
            &view.years,
            view.drivers.as_ref().map(|d| d.year),
            &format!(" outside {name}")
        )
    );
    line!(out);
    line!(out, "{}", precision(&view.years));
    line!(out);
    if let Some(d) = &view.drivers {
        drivers(out, d, &format!("supply outside {name}"));
    }
}

/// World supply against one demand case: the balance table and a sentence on its last year.
fn demand_case(out: &mut String, case: &crate::DemandCase) {
    let name = case.case.as_deref().unwrap_or("the stated demand");
    line!(out, "### World supply against demand: {name}");
    line!(out);
    if case.years.is_empty() {
        line!(
            out,
            "The case states no demand for these years (demand is interpolated between stated \
             years, never extrapolated)."
        );
        line!(out);
        return;
    }
    line!(
        out,
        "Supply minus demand in t/yr (negative: a shortfall), and the share of draws in which \
         supply covers demand."
    );
    line!(out);
    line!(
        out,
        "| year | demand (t/yr) | producing only | P10 | P50 | P90 | every project | covered |"
    );
    line!(out, "|---|---|---|---|---|---|---|---|");
    for y in &case.years {
        line!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            y.year,
            whole(y.demand),
            whole(y.operating_only),
            whole(y.p10),
            whole(y.p50),
            whole(y.p90),
            whole(y.all_projects),
            pct(y.covered)
        );
    }
    line!(out);
    if let Some(last) = case.years.last() {
        let gap = if last.p50.is_negative() {
            format!("a median shortfall of {} t", whole(last.p50).abs())
        } else {
            format!("a median surplus of {} t", whole(last.p50))
        };
        line!(
            out,
            "In {}, demand of {} t meets {gap}: supply covers it in {} of the draws{}.",
            last.year,
            whole(last.demand),
            pct(last.covered),
            if last.all_projects.is_negative() {
                ", and not even with every project on schedule"
            } else {
                ""
            }
        );
        line!(out);
    }
}

/// One sentence on the band in `year` (the drivers' year, else the last): the median, the
/// P10–P90 range and every project on schedule.
fn band_summary(years: &[crate::OutlookYear], year: Option<i32>, place: &str) -> String {
    let Some(y) = year
        .and_then(|at| years.iter().find(|y| y.year == at))
        .or(years.last())
    else {
        return String::new();
    };
    if y.p10 == y.p90 {
        return format!(
            "In {}, supply{place} is {} t at P10, P50 and P90 alike; with every project on \
             schedule, {} t.",
            y.year,
            whole(y.p50),
            whole(y.all_projects)
        );
    }
    format!(
        "In {}, supply{place} is {} t at the median, between {} t (P10) and {} t (P90); with \
         every project on schedule, {} t.",
        y.year,
        whole(y.p50),
        whole(y.p10),
        whole(y.p90),
        whole(y.all_projects)
    )
}

/// Most rows of a drivers table.
const DRIVER_ROWS: usize = 10;

/// What moves the band in one year: the projects (and countries) whose delivery moves the
/// mean most, with what securing each would add.
fn drivers(out: &mut String, d: &crate::Drivers, what: &str) {
    let moving: Vec<&crate::ProjectDriver> = d
        .projects
        .iter()
        .filter(|p| p.expected_with != p.expected_without)
        .collect();
    line!(out, "#### What moves {what} in {}", d.year);
    line!(out);
    if moving.is_empty() {
        line!(
            out,
            "No project moves it in {}: none can add to it, or none is due by then.",
            d.year
        );
        line!(out);
        return;
    }
    line!(
        out,
        "Each project forced to deliver and forced not to, every other project drawn as before: \
         the swing is what its delivery moves supply (and any shortfall) by; securing it adds \
         its with-mean minus the band's mean."
    );
    line!(out);
    line!(
        out,
        "| project | country | P(delivers by {}) | mean with (t/yr) | mean without | swing | securing it adds | per $1M capex |",
        d.year
    );
    line!(out, "|---|---|---|---|---|---|---|---|");
    for p in moving.iter().take(DRIVER_ROWS) {
        line!(
            out,
            "| {} (`{}`) | {} | {} | {} | {} | {} | {} | {} |",
            p.name,
            p.facility,
            p.country,
            pct(p.probability),
            whole(p.expected_with),
            whole(p.expected_without),
            p.expected_with.value().round() - p.expected_without.value().round(),
            whole(p.certainty_gain),
            p.gain_per_million_usd.map_or_else(
                || String::from("no capex"),
                |g| format!("{} t", g.round_dp(1))
            )
        );
    }
    if moving.len() > DRIVER_ROWS {
        line!(
            out,
            "\n{} more projects move it less (the JSON lists them all).",
            moving.len() - DRIVER_ROWS
        );
    }
    line!(out);
    let countries: Vec<String> = d
        .countries
        .iter()
        .filter(|c| c.expected_with != c.expected_without)
        .map(|c| {
            format!(
                "{} ({} t over {} project{})",
                c.country.name(),
                c.expected_with.value().round() - c.expected_without.value().round(),
                c.projects,
                if c.projects == 1 { "" } else { "s" }
            )
        })
        .collect();
    if !countries.is_empty() {
        line!(
            out,
            "By country, all of its projects delivering against none: {}.",
            countries.join(", ")
        );
        line!(out);
    }
}

/// One sentence on whether the band settled as the samples doubled.
fn settled(o: &Outlook) -> String {
    match o.settled {
        Some(true) => format!(
            "The band is settled: doubling the samples to {} moved no P10, P50 or P90 by more \
             than half a percent.",
            o.samples
        ),
        Some(false) => format!(
            "The band did not settle by {} samples (some percentile still moved when they \
             doubled): read P10, P50 and P90 with their intervals below.",
            o.samples
        ),
        None => String::from("The sample count was fixed."),
    }
}

/// One sentence on how the draws tie projects together.
fn common_cause(c: crate::CommonCause) -> String {
    if c == crate::CommonCause::INDEPENDENT {
        return String::from("Projects deliver independently of each other.");
    }
    format!(
        "Projects slip together: the delivery draws of two projects in one country correlate \
         by {}, of one sponsor by {} more.",
        c.country.value().normalize(),
        c.sponsor.value().normalize()
    )
}

/// Whole tonnes: the band is a Monte Carlo estimate, and its decimals mean nothing (the JSON
/// keeps them).
fn whole(t: midstream_domain::Tonnes) -> Decimal {
    t.value().round()
}

/// The band table of an outlook's years.
fn band_table(out: &mut String, years: &[crate::OutlookYear]) {
    line!(
        out,
        "| year | producing only (t/yr) | P10 | P50 | expected | P90 | all projects |"
    );
    line!(out, "|---|---|---|---|---|---|---|");
    for y in years {
        line!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            y.year,
            whole(y.operating_only),
            whole(y.p10),
            whole(y.p50),
            whole(y.expected),
            whole(y.p90),
            whole(y.all_projects)
        );
    }
    line!(out);
}

/// One sentence on how far the band's figures could move with more draws: the largest
/// standard error of a mean and the widest 95 % interval of a percentile.
fn precision(years: &[crate::OutlookYear]) -> String {
    let error = years
        .iter()
        .map(|y| y.expected_error.value())
        .max()
        .unwrap_or_default();
    let widest = years
        .iter()
        .flat_map(|y| [y.p10_interval, y.p50_interval, y.p90_interval].map(|i| (y.year, i)))
        .max_by_key(|(_, i)| i.high.value() - i.low.value());
    let mut text = if error.round().is_zero() {
        String::from(
            "Sampling error: the standard error of each expected value is under half a tonne",
        )
    } else {
        format!(
            "Sampling error: the standard error of each expected value is at most {} t",
            error.round()
        )
    };
    match widest {
        Some((year, i)) if i.high > i.low => {
            let _ = write!(
                text,
                "; the widest 95 % interval of a percentile is {} to {} t ({year}): there the \
                 draws split close to the percentile, so it could be either.",
                whole(i.low),
                whole(i.high)
            );
        }
        _ => text.push_str("; every percentile's 95 % interval is a single value."),
    }
    text
}

/// Projects ranked by what they would add.
#[must_use]
pub fn candidates(list: &[Candidate], year: i32) -> String {
    ranked(&format!("## Where to invest ({year})"), list, year)
}

/// One commodity's projects ranked ([`crate::Investment`]), as in the report.
#[must_use]
pub fn investment(i: &crate::Investment) -> String {
    ranked(
        &format!("## Where to invest: {} in {}", i.commodity, i.year),
        &i.candidates,
        i.year,
    )
}

fn ranked(heading: &str, list: &[Candidate], year: i32) -> String {
    let mut out = String::new();
    line!(out, "{heading}");
    line!(out);
    line!(
        out,
        "Each project brought online on schedule, with the projects that feed it through the \
         dataset's links (named after it), the others as they are: what it adds to deliverable \
         supply, its chance to deliver by {year} (with its feeding projects: that all deliver, \
         taken as independent, a lower bound), and the two multiplied."
    );
    line!(out);
    line!(
        out,
        "| project | stage | country | adds (t/yr) | P(delivers by {year}) | risk-adjusted (t/yr) |"
    );
    line!(out, "|---|---|---|---|---|---|");
    for c in list {
        let with = if c.with.is_empty() {
            String::new()
        } else {
            format!(
                ", with {}",
                c.with
                    .iter()
                    .map(|id| format!("`{id}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        line!(
            out,
            "| {} (`{}`{with}) | {} | {} | {} | {} | {} |",
            c.name,
            c.facility,
            c.stage,
            c.country,
            c.added.readable(),
            pct(c.probability),
            c.risk_adjusted.readable()
        );
    }
    line!(out);
    let mut priced: Vec<&Candidate> = list
        .iter()
        .filter(|c| c.risk_adjusted_per_million_usd.is_some())
        .collect();
    if priced.is_empty() {
        line!(
            out,
            "No candidate has a published capital cost, so none is ranked per dollar."
        );
    } else {
        priced.sort_by(|a, b| {
            b.risk_adjusted_per_million_usd
                .cmp(&a.risk_adjusted_per_million_usd)
                .then_with(|| a.facility.cmp(&b.facility))
        });
        line!(
            out,
            "Per dollar ({} of {} candidates have a published capital cost):",
            priced.len(),
            list.len()
        );
        line!(out);
        line!(
            out,
            "| project | capex (US$ million) | risk-adjusted (t/yr) | t/yr per US$ million |"
        );
        line!(out, "|---|---|---|---|");
        for c in priced {
            line!(
                out,
                "| {} (`{}`) | {} | {} | {} |",
                c.name,
                c.facility,
                c.capex
                    .map(|u| (u.value() / Decimal::from(1_000_000)).normalize())
                    .unwrap_or_default(),
                c.risk_adjusted.readable(),
                c.risk_adjusted_per_million_usd
                    .unwrap_or_default()
                    .round_dp(1)
                    .normalize()
            );
        }
    }
    line!(out);
    out
}

/// Signals or supply, for one country.
#[must_use]
pub fn profile(p: &CountryProfile) -> String {
    let mut out = String::new();
    line!(
        out,
        "## {} ({}): signals or supply, {}",
        p.country.name(),
        p.country,
        p.year
    );
    line!(out);
    if p.lines.is_empty() {
        line!(
            out,
            "The dataset `{}` has no facility in {}: nothing operates there and nothing is \
             announced.",
            p.dataset,
            p.country.name()
        );
        line!(out);
        return out;
    }
    line!(
        out,
        "Operating capacity, announced projects' capacity, and those projects' capacity weighted \
         by their chance of delivering by {} (risk-adjusted covers the announced projects only).",
        p.year
    );
    line!(out);
    line!(
        out,
        "| commodity | stage | operating (t/yr) | announced projects (t/yr) | projects, risk-adjusted (t/yr) |"
    );
    line!(out, "|---|---|---|---|---|");
    for l in &p.lines {
        line!(
            out,
            "| {} | {} | {} | {} | {} |",
            l.commodity,
            l.stage,
            l.operating.readable(),
            l.announced.readable(),
            l.risk_adjusted.readable()
        );
    }
    line!(out);
    if !p.projects.is_empty() {
        line!(out, "**Projects**");
        line!(out);
        for a in &p.projects {
            line!(
                out,
                "- `{}` ({}): {}",
                a.facility,
                a.maturity,
                a.describe(true)
            );
        }
        line!(out);
    }
    for r in &p.relief {
        line!(
            out,
            "If all its {} projects delivered on schedule, deliverable supply would go from {} to {} t per year{}.",
            r.commodity,
            r.baseline.readable(),
            r.with_projects.readable(),
            if r.at_binding_stage {
                "; they sit at the stage that binds today"
            } else {
                ""
            }
        );
    }
    line!(out);
    out
}

/// Concentration by stage: for each commodity and stage with capacity in scope, the total, the
/// number of countries, the largest country and its share, the top three's share and the
/// Herfindahl-Hirschman index (points, 0 to 10,000) with its band. Shares are of the capacity
/// the dataset lists.
#[must_use]
pub fn concentration(table: &[midstream_risk::StageConcentration], year: i32) -> String {
    let mut out = String::new();
    line!(out, "## Concentration by stage, {year}");
    line!(out);
    if table.is_empty() {
        line!(out, "No producing facility states a capacity.");
        line!(out);
        return out;
    }
    line!(
        out,
        "Producing capacity by country at each stage, as the dataset lists it (shares of the \
         listed capacity; countries the dataset does not list are not counted). The HHI is the \
         sum of squared percentage shares: above 2,500 points is highly concentrated (2010 US \
         merger guidelines; 1,800 in the 2023 ones)."
    );
    line!(out);
    line!(
        out,
        "| commodity | stage | capacity (t/yr) | countries | largest | CR3 | HHI |"
    );
    line!(out, "|---|---|---|---|---|---|---|");
    for s in table {
        let c = &s.by_country;
        let largest = c
            .suppliers
            .first()
            .map(|x| format!("{} {}", x.supplier.name(), pct(x.share)))
            .unwrap_or_default();
        line!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} ({}) |",
            s.commodity,
            s.stage,
            s.total.readable(),
            c.suppliers.len(),
            largest,
            pct(c.cr3),
            c.hhi.points().round_dp(0),
            c.band_2010.as_str()
        );
    }
    line!(out);
    out
}

/// A share range as a percentage: `86.9 %`, or `0 to 0.7 %` where the flows differ.
fn pct_range(least: midstream_domain::Share, most: midstream_domain::Share) -> String {
    // A share above zero that rounds to nothing reads "under 0.1", not "0".
    let text = |s: midstream_domain::Share| {
        let p = s.percent().round_dp(1);
        if p.is_zero() && !s.value().is_zero() {
            String::from("under 0.1")
        } else {
            format!("{p:.1}")
        }
    };
    let (l, m) = (text(least), text(most));
    if l == m {
        format!("{l} %")
    } else {
        format!("{l} to {m} %")
    }
}

/// A decimal range: `7661`, or `9660 to 10000`.
fn decimal_range(least: Decimal, most: Decimal, dp: u32) -> String {
    let (l, m) = (
        least.round_dp(dp).normalize(),
        most.round_dp(dp).normalize(),
    );
    if l == m {
        format!("{l}")
    } else {
        format!("{l} to {m}")
    }
}

/// How risky one chain is: the concentration of each stage side by side, what a loss would
/// cost, and the EU method's supply risk on the chain's shares.
#[must_use]
pub fn risk(r: &crate::RiskAssessment) -> String {
    let mut out = String::new();
    line!(out, "## How risky: {} in {}", r.commodity, r.year);
    line!(out);
    if r.deliverable.is_zero() {
        line!(
            out,
            "Nothing of {} is deliverable in {}, so no stage carries anything to measure.",
            r.commodity,
            r.year
        );
        line!(out);
        return out;
    }
    if r.stages.is_empty() {
        line!(
            out,
            "No stage of the chain can be measured in one unit (see below), so there is no \
             concentration table."
        );
        line!(out);
        for note in &r.notes {
            line!(out, "_{note}_");
            line!(out);
        }
        risk_losses(&mut out, r);
        return out;
    }
    line!(
        out,
        "Concentration of each stage by country, on the flows that deliver the most ({} t per \
         year): what each stage carries in each country, not listed capacity. HHI is the \
         Herfindahl-Hirschman index on 0 to 10,000 (above 2,500: highly concentrated in the \
         2010 US merger guidelines); governance-weighted is the EU method's HHI_WGI, each squared \
         share times the country's World Bank governance score rescaled from 0 (best) to 10.",
        whole(r.deliverable)
    );
    if r.stages.iter().any(|s| !s.exact) {
        line!(
            out,
            "Where the flows that deliver the most differ in what a country carries, shares are \
             ranges and the indexes bounds that hold for every such flow."
        );
    }
    line!(out);
    stage_table(&mut out, r);
    let find = |stage: Stage| r.stages.iter().find(|s| s.stage == stage);
    if let (Some(mining), Some(mid)) = (
        find(Stage::Mining),
        find(Stage::Separation).or_else(|| find(Stage::MetalRefining)),
    ) {
        let verdict = if mid.hhi_least > mining.hhi_most {
            "more concentrated than"
        } else if mid.hhi_most < mining.hhi_least {
            "less concentrated than"
        } else {
            "about as concentrated as"
        };
        line!(
            out,
            "{} is {verdict} mining: HHI {} against {}.",
            capitalised(&mid.stage.to_string().replace('_', " ")),
            decimal_range(mid.hhi_least, mid.hhi_most, 0),
            decimal_range(mining.hhi_least, mining.hhi_most, 0)
        );
        line!(out);
    }
    for note in &r.notes {
        line!(out, "_{note}_");
        line!(out);
    }
    side_by_side(&mut out, r);
    risk_losses(&mut out, r);
    eu_risk(&mut out, r);
    match &r.governance {
        Some(source) => {
            line!(out, "Governance: {source}.");
        }
        None => {
            line!(
                out,
                "Governance: no estimates were given, so nothing is governance-weighted."
            );
        }
    }
    line!(out);
    out
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Each country's share of each stage: one row per country, one column per stage.
fn side_by_side(out: &mut String, r: &crate::RiskAssessment) {
    // Shares side by side: one row per country, one column per stage.
    let mut countries: Vec<midstream_domain::Country> = Vec::new();
    for s in &r.stages {
        for c in &s.countries {
            if !countries.contains(&c.country) {
                countries.push(c.country);
            }
        }
    }
    line!(out, "**Shares by stage, side by side**");
    line!(out);
    let header: Vec<String> = r.stages.iter().map(|s| s.stage.to_string()).collect();
    line!(out, "| country | {} |", header.join(" | "));
    line!(out, "|---|{}", "---|".repeat(header.len()));
    for country in countries {
        let cells: Vec<String> = r
            .stages
            .iter()
            .map(|s| {
                s.countries
                    .iter()
                    .find(|c| c.country == country)
                    .map_or_else(
                        || String::from("-"),
                        |c| pct_range(c.share_least, c.share_most),
                    )
            })
            .collect();
        line!(
            out,
            "| {} {} | {} |",
            country.code(),
            country.name(),
            cells.join(" | ")
        );
    }
    line!(out);
}

/// What the loss of a country, then of a plant, would cost.
fn risk_losses(out: &mut String, r: &crate::RiskAssessment) {
    if !r.countries.is_empty() {
        line!(out, "**What a country's loss would cost**");
        line!(out);
        line!(
            out,
            "Deliverable lost if all of a country's plants stop, and if only its exports stop \
             (its plants still supply its own plants and buyers)."
        );
        line!(out);
        line!(
            out,
            "| country | plants stop (t/yr) | share | exports stop (t/yr) |"
        );
        line!(out, "|---|---|---|---|");
        for c in &r.countries {
            line!(
                out,
                "| {} {} | {} | {} | {} |",
                c.country.code(),
                c.country.name(),
                whole(c.plants_stop),
                pct(c.share),
                whole(c.exports_stop)
            );
        }
        line!(out);
    }
    if !r.facilities.is_empty() {
        line!(out, "**What a plant's loss would cost**");
        line!(out);
        line!(out, "| plant | stage | country | lost (t/yr) | share |");
        line!(out, "|---|---|---|---|---|");
        for f in &r.facilities {
            line!(
                out,
                "| {} (`{}`) | {} | {} | {} | {} |",
                f.name,
                f.facility,
                f.stage,
                f.country,
                whole(f.loss),
                pct(f.share)
            );
        }
        line!(out);
    }
}

/// The EU method's supply risk on the chain's shares, beside the EU's figures.
fn eu_risk(out: &mut String, r: &crate::RiskAssessment) {
    if !r.eu.is_empty() {
        line!(out, "**EU supply risk on this chain's shares**");
        line!(out);
        line!(
            out,
            "The EU method (2023 assessment) on this dataset's stage shares, global supply only: \
             HHI_WGI × (1 − end-of-life recycling input rate) × substitution index, the higher \
             of extraction and processing. The EU's own figures (2016-2020 shares, EU sourcing \
             included) are beside it; economic importance is the EU's. Critical by the method: \
             supply risk at least 1.0 and economic importance at least 2.8."
        );
        line!(out);
        line!(
            out,
            "| element | extraction | processing | supply risk | EU 2023 published | economic importance (EU) | meets the thresholds |"
        );
        line!(out, "|---|---|---|---|---|---|---|");
        for e in &r.eu {
            let stage = |s: midstream_risk::EuStage| {
                e.stages.iter().find(|x| x.eu_stage == s).map_or_else(
                    || String::from("-"),
                    |x| decimal_range(x.supply_risk.0, x.supply_risk.1, 1),
                )
            };
            let published = e.published_supply_risk.as_ref().map_or_else(
                || String::from("not used (see note)"),
                |(sr, stage)| format!("{sr} ({stage})"),
            );
            let meets = match e.meets_thresholds {
                Some(true) => "yes",
                Some(false) => "no",
                None => "not determined",
            };
            line!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                e.element,
                stage(midstream_risk::EuStage::Extraction),
                stage(midstream_risk::EuStage::Processing),
                decimal_range(e.supply_risk.0, e.supply_risk.1, 1),
                published,
                e.economic_importance,
                meets
            );
        }
        line!(out);
        for e in r.eu.iter().filter(|e| !e.note.is_empty()) {
            line!(out, "- {}: {}", e.element, e.note);
        }
        if let Some(e) = r.eu.first() {
            line!(out, "- Source: {}.", e.source);
        }
        line!(out);
    }
}

/// One row per stage: total, largest country, top three, index, band, governance-weighted.
fn stage_table(out: &mut String, r: &crate::RiskAssessment) {
    line!(
        out,
        "| stage | counted in | total (t/yr) | largest | top three | HHI | band | governance-weighted (0-10) |"
    );
    line!(out, "|---|---|---|---|---|---|---|---|");
    for s in &r.stages {
        let largest = s
            .countries
            .first()
            .map(|c| format!("{} {}", c.country, pct_range(c.share_least, c.share_most)))
            .unwrap_or_default();
        let band = if s.band_least == s.band_most {
            s.band_least.as_str().to_owned()
        } else {
            format!("{} to {}", s.band_least.as_str(), s.band_most.as_str())
        };
        let weighted = match s.governance_weighted {
            Some((l, m)) => decimal_range(l, m, 2),
            None => format!(
                "no estimate for {}",
                s.missing_governance
                    .iter()
                    .map(midstream_domain::Country::code)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        line!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            s.stage,
            s.unit,
            s.total,
            largest,
            pct_range(s.cr3_least, s.cr3_most),
            decimal_range(s.hhi_least, s.hhi_most, 0),
            band,
            weighted
        );
    }
    line!(out);
}
