//! Markdown rendering of analysis results: readable tables and a short narrative.
//!
//! Every renderer is deterministic (the results are sorted upstream) and writes only what the
//! result holds.

use std::fmt::Write as _;

use midstream_graph::{BottleneckReport, CutMember};

use rust_decimal::Decimal;

use crate::analysis::{BottleneckAnalysis, Candidate, Comparison, CountryProfile, Outlook};

/// A delivery summary without the facility id the risk crate starts it with (the tables name the
/// facility already).
fn summary(a: &midstream_risk::DeliveryAssessment) -> &str {
    let prefix = format!("{}: ", a.facility);
    a.summary.strip_prefix(&prefix).unwrap_or(&a.summary)
}

/// A delivery summary for a table that has its own capacity column for one commodity: without
/// the facility id and without the nameplate clause (`; 39878 t NdPr:oxide nameplate`), which
/// names one of the facility's commodities and could be another than the table's.
fn delivery_cell(a: &midstream_risk::DeliveryAssessment) -> String {
    summary(a)
        .split("; ")
        .filter(|part| !part.ends_with(" nameplate"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn pct(share: midstream_domain::Share) -> String {
    format!("{} %", share.percent().round_dp(1))
}

/// Writes a line; `String` never fails to take it.
macro_rules! line {
    ($out:expr) => { let _ = writeln!($out); };
    ($out:expr, $($arg:tt)*) => { let _ = writeln!($out, $($arg)*); };
}

/// The bottleneck of one commodity: deliverable, shortfall, the cut by stage and country, the
/// cut's members with their delivery risk, and the main flows.
#[must_use]
#[allow(clippy::too_many_lines)] // Reason: one report, table by table.
pub fn bottleneck(b: &BottleneckAnalysis) -> String {
    let r = &b.report;
    let mut out = String::new();
    line!(out, "## {} in {}", r.commodity, r.year);
    line!(out);
    line!(out, "{}", narrative(r));
    line!(out);
    line!(out, "| | tonnes per year |");
    line!(out, "|---|---|");
    line!(out, "| deliverable | {} |", r.deliverable.value());
    if let (Some(d), Some(s)) = (r.demand, r.shortfall) {
        line!(out, "| demand | {} |", d.value());
        line!(out, "| shortfall | {} |", s.value());
    }
    line!(out);
    if !r.cut_by_stage.is_empty() {
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
                s.capacity.value(),
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
                c.capacity.value(),
                pct(c.share)
            );
        }
        line!(out);
    }
    if !r.cut.is_empty() {
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
                        .map(delivery_cell)
                        .unwrap_or_default();
                    line!(
                        out,
                        "| {name} (`{id}`) | {stage} | {country} | {} | {delivery} |",
                        capacity.value()
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
                        capacity.value()
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
                        capacity.value()
                    );
                }
            }
        }
        line!(out);
    }
    let flows: Vec<_> = r
        .flow_by_stage_country
        .iter()
        .filter(|f| f.stage.is_midstream())
        .collect();
    if !flows.is_empty() {
        line!(
            out,
            "**Where deliverable supply is processed** (midstream stages)"
        );
        line!(out);
        line!(
            out,
            "| stage | country | tonnes per year | share of deliverable |"
        );
        line!(out, "|---|---|---|---|");
        for f in flows {
            line!(
                out,
                "| {} | {} | {} | {} |",
                f.stage,
                f.country,
                f.tonnes.value(),
                pct(f.share_of_deliverable)
            );
        }
        line!(out);
    }
    out
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
    let Some(top_stage) = r
        .cut_by_stage
        .iter()
        .max_by(|a, b| a.capacity.cmp(&b.capacity))
    else {
        return format!(
            "Deliverable supply is {} t per year; demand, not supply, is what binds.",
            r.deliverable.value()
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
        r.deliverable.value(),
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
            d.value(),
            s.value()
        );
    }
    text
}

/// Baseline against scenario.
#[must_use]
pub fn comparison(c: &Comparison, title: &str) -> String {
    let mut out = String::new();
    line!(
        out,
        "## {title}: {} in {}",
        c.scenario.commodity,
        c.scenario.year
    );
    line!(out);
    line!(out, "| | baseline | scenario | change |");
    line!(out, "|---|---|---|---|");
    line!(
        out,
        "| deliverable (t/yr) | {} | {} | {} |",
        c.baseline.deliverable.value(),
        c.scenario.deliverable.value(),
        c.deliverable_change.value()
    );
    if let (Some(a), Some(b), Some(d)) = (
        c.baseline.shortfall,
        c.scenario.shortfall,
        c.shortfall_change,
    ) {
        line!(
            out,
            "| shortfall (t/yr) | {} | {} | {} |",
            a.value(),
            b.value(),
            d.value()
        );
    }
    line!(out);
    line!(
        out,
        "{}",
        if c.scenario.deliverable.value().is_zero() {
            "Nothing is deliverable in this scenario: no chain of producing facilities reaches the buyers it counts."
        } else if c.bottleneck_moved {
            "The bottleneck moved to another stage."
        } else {
            "The bottleneck stays at the same stage."
        }
    );
    line!(out);
    let changed: Vec<_> = c
        .by_stage_country
        .iter()
        .filter(|d| d.baseline != d.scenario)
        .collect();
    if changed.is_empty() {
        line!(out, "No stage or country carries a different flow.");
        line!(out);
        return out;
    }
    line!(
        out,
        "Flow by stage and country where it changes (largest changes first, at most 12 of {}):",
        changed.len()
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
            d.baseline.value(),
            d.scenario.value()
        );
    }
    line!(out);
    out
}

/// The outlook band by year.
#[must_use]
pub fn outlook(o: &Outlook) -> String {
    let mut out = String::new();
    line!(out, "## Outlook: {}", o.commodity);
    line!(out);
    line!(
        out,
        "Deliverable supply per year: producing facilities only, every project on schedule, and \
               the band of a {}-sample Monte Carlo over which projects deliver (seed {}).",
        o.samples,
        o.seed
    );
    line!(out);
    line!(
        out,
        "| year | producing only | P10 | P50 | expected | P90 | all projects |"
    );
    line!(out, "|---|---|---|---|---|---|---|");
    for y in &o.years {
        line!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            y.year,
            y.operating_only.value(),
            y.p10.value(),
            y.p50.value(),
            y.expected.value(),
            y.p90.value(),
            y.all_projects.value()
        );
    }
    line!(out);
    out
}

/// Projects ranked by what they would add.
#[must_use]
pub fn candidates(list: &[Candidate], year: i32) -> String {
    let mut out = String::new();
    line!(out, "## Where to invest ({year})");
    line!(out);
    line!(
        out,
        "| project | stage | country | adds (t/yr) | P(delivers by {year}) | risk-adjusted (t/yr) |"
    );
    line!(out, "|---|---|---|---|---|---|");
    for c in list {
        line!(
            out,
            "| {} (`{}`) | {} | {} | {} | {} | {} |",
            c.name,
            c.facility,
            c.stage,
            c.country,
            c.added.value(),
            pct(c.probability),
            c.risk_adjusted.value()
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
                c.risk_adjusted.value(),
                c.risk_adjusted_per_million_usd.unwrap_or_default()
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
    line!(
        out,
        "| commodity | stage | operating (t/yr) | announced (t/yr) | risk-adjusted (t/yr) |"
    );
    line!(out, "|---|---|---|---|---|");
    for l in &p.lines {
        line!(
            out,
            "| {} | {} | {} | {} | {} |",
            l.commodity,
            l.stage,
            l.operating.value(),
            l.announced.value(),
            l.risk_adjusted.value()
        );
    }
    line!(out);
    if !p.projects.is_empty() {
        line!(out, "**Projects**");
        line!(out);
        for a in &p.projects {
            line!(out, "- `{}` ({}): {}", a.facility, a.maturity, summary(a));
        }
        line!(out);
    }
    for r in &p.relief {
        line!(
            out,
            "If all its {} projects delivered on schedule, deliverable supply would go from {} to {} t per year{}.",
            r.commodity,
            r.baseline.value(),
            r.with_projects.value(),
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
