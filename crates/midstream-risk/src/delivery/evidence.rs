//! The evidence a facility record holds, each piece a likelihood ratio on the odds with its
//! reason: offtake, financing, technical difficulty, governance, metallurgical base, timeline.

use std::ops::RangeInclusive;

use chrono::Datelike;
use midstream_domain::{
    Facility, FinancingStatus, GroupConvention, Maturity, MilestoneKind, MilestoneStatus, Overflow,
    ReeGroup, Stage,
};
use rust_decimal::Decimal;

use crate::arith;
use crate::check::{check_non_negative, check_positive, collect_problems, note};
use crate::error::RiskError;
use crate::explain::{Explained, Factor, ln, percent, short};

use super::params::DeliveryParams;
use super::schedule::Timing;
use super::{DeliveryContext, LOG_DECIMALS};

/// One piece of evidence: a likelihood ratio on the odds.
pub(super) struct Evidence {
    pub(super) name: &'static str,
    pub(super) input: Decimal,
    pub(super) ratio: Decimal,
    pub(super) reason: String,
}

impl Evidence {
    pub(super) fn new(name: &'static str, input: Decimal, ratio: Decimal, reason: String) -> Self {
        Self {
            name,
            input,
            ratio,
            reason,
        }
    }
}

/// `p` from the base probability and the evidence: `odds = base / (1 − base) × Π ratios`,
/// `p = odds / (1 + odds)`, exact except for the 28th digit.
pub(super) fn combine(base: Decimal, evidence: &[Evidence]) -> Result<Decimal, RiskError> {
    const WHAT: &str = "the delivery probability";
    if base.is_zero() || base == Decimal::ONE {
        return Ok(base);
    }
    let mut odds = arith::div(base, Decimal::ONE - base, WHAT)?;
    for e in evidence {
        odds = arith::mul(odds, e.ratio, WHAT)?;
    }
    arith::div(odds, arith::add(Decimal::ONE, odds, WHAT)?, WHAT)
}

/// The log-odds explanation (see [`DeliveryAssessment::explanation`]).
pub(super) fn log_odds(
    base: Decimal,
    maturity: Maturity,
    evidence: Vec<Evidence>,
) -> Result<Option<Explained>, RiskError> {
    const WHAT: &str = "the delivery log-odds";
    if base.is_zero() || base == Decimal::ONE {
        return Ok(None);
    }
    let base_odds = arith::div(base, Decimal::ONE - base, WHAT)?;
    let mut factors = vec![Factor {
        name: "maturity".to_owned(),
        input: base,
        weight: base_odds,
        contribution: ln(base_odds, LOG_DECIMALS, WHAT)?,
        reason: format!(
            "{maturity}: {}, base probability {}",
            maturity_reason(maturity),
            percent(base)
        ),
    }];
    for e in evidence {
        factors.push(Factor {
            name: e.name.to_owned(),
            input: e.input,
            weight: e.ratio,
            contribution: ln(e.ratio, LOG_DECIMALS, WHAT)?,
            reason: e.reason,
        });
    }
    let score = arith::sum(factors.iter().map(|f| f.contribution), WHAT)?;
    Ok(Some(Explained::new(score, factors)))
}

/// The start year a record announces.
pub(super) fn announced_start(facility: &Facility) -> Option<i32> {
    let by_kind = |kind: MilestoneKind| {
        facility
            .milestones
            .iter()
            .filter(|m| m.kind == kind)
            .map(|m| m.date.year())
            .min()
    };
    by_kind(MilestoneKind::FirstProduction)
        .or_else(|| by_kind(MilestoneKind::CommissioningStart))
        .or_else(|| {
            facility
                .capacities
                .iter()
                .flat_map(|c| c.ramp.iter().map(|s| s.year))
                .min()
        })
}

pub(super) fn achieved_start(facility: &Facility) -> Option<i32> {
    facility
        .milestones
        .iter()
        .filter(|m| {
            m.status == MilestoneStatus::Achieved
                && matches!(
                    m.kind,
                    MilestoneKind::FirstProduction | MilestoneKind::CommissioningStart
                )
        })
        .map(|m| m.date.year())
        .min()
}

pub(super) fn has_heavy_ree(facility: &Facility, convention: GroupConvention) -> Option<bool> {
    let ree: Vec<_> = facility
        .capacities
        .iter()
        .flat_map(|c| c.commodity.elements().iter().collect::<Vec<_>>())
        .filter(|e| e.is_rare_earth())
        .collect();
    if ree.is_empty() {
        return None;
    }
    Some(
        ree.iter()
            .any(|e| e.ree_group(convention) == Some(ReeGroup::Heavy)),
    )
}

pub(super) fn convention_words(convention: GroupConvention) -> &'static str {
    match convention {
        GroupConvention::Usgs => "the USGS grouping",
        GroupConvention::Eu2023 => "the EU 2023 grouping",
    }
}

/// Refuses negative tonnages in a facility record (the assessment takes records that have not
/// been through dataset validation), naming the facility and the field; reports all of them.
pub(super) fn check_facility(facility: &Facility) -> Result<(), RiskError> {
    let id = &facility.id;
    let mut problems = Vec::new();
    for (i, c) in facility.capacities.iter().enumerate() {
        note(
            &mut problems,
            check_non_negative(
                &format!(
                    "facility {id}: capacities[{i}] ({}).tonnes_per_year",
                    c.commodity
                ),
                c.tonnes_per_year.value(),
            ),
        );
        for (j, step) in c.ramp.iter().enumerate() {
            note(
                &mut problems,
                check_non_negative(
                    &format!(
                        "facility {id}: capacities[{i}] ({}).ramp[{j}].tonnes",
                        c.commodity
                    ),
                    step.tonnes.value(),
                ),
            );
        }
    }
    for (k, o) in facility.offtakes.iter().enumerate() {
        note(
            &mut problems,
            check_non_negative(
                &format!("facility {id}: offtakes[{k}].tonnes_per_year"),
                o.tonnes_per_year.value(),
            ),
        );
    }
    collect_problems(problems)
}

/// Offtake coverage of the best-covered commodity: (binding, non-binding, binding before the
/// cap at 1), the first two in 0..1 and together at most 1. An offtake counts when its term
/// covers one of the years assessed; a capacity of zero has nothing to cover.
pub(super) fn offtake_coverage(
    facility: &Facility,
    years: &RangeInclusive<i32>,
) -> Result<(Decimal, Decimal, Decimal), RiskError> {
    const WHAT: &str = "the offtake coverage";
    let mut best = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for capacity in &facility.capacities {
        let nameplate = capacity.tonnes_per_year.value();
        if nameplate.is_zero() {
            continue;
        }
        let mut binding = Decimal::ZERO;
        let mut non_binding = Decimal::ZERO;
        for o in facility.offtakes.iter().filter(|o| {
            o.commodity == capacity.commodity && years.clone().any(|y| o.is_active_in(y))
        }) {
            let t = o.tonnes_per_year.value();
            if o.binding {
                binding = arith::add(binding, t, WHAT)?;
            } else {
                non_binding = arith::add(non_binding, t, WHAT)?;
            }
        }
        let raw_binding = arith::div(binding, nameplate, WHAT)?;
        let b = raw_binding.min(Decimal::ONE);
        let nb = arith::div(non_binding, nameplate, WHAT)?.min(Decimal::ONE - b);
        if (b, nb) > (best.0, best.1) {
            best = (b, nb, raw_binding);
        }
    }
    Ok(best)
}

pub(super) fn status_words(s: FinancingStatus) -> &'static str {
    match s {
        FinancingStatus::InterestLetter => "an interest letter (no commitment)",
        FinancingStatus::Applied => "an application under review",
        FinancingStatus::ConditionalCommitment => "a conditional commitment",
        FinancingStatus::Committed => "a committed financing",
        FinancingStatus::Disbursed => "money disbursed",
        FinancingStatus::Withdrawn => "a withdrawn financing",
    }
}

pub(super) fn maturity_reason(m: Maturity) -> &'static str {
    match m {
        Maturity::Occurrence => "a known occurrence, no resource estimate",
        Maturity::Exploration => "under exploration, no resource yet",
        Maturity::ResourceDefined => "a resource estimate, no plan to build",
        Maturity::LetterOfInterest => "a letter of interest or MoU: a signal, not a commitment",
        Maturity::Studies => "engineering studies, no permit or financing yet",
        Maturity::Permitted => "permitted, not yet financed",
        Maturity::Financed => "financing committed (investment decision taken)",
        Maturity::Construction => "under construction",
        Maturity::Commissioning => "commissioning and ramping up",
        Maturity::Operating => "in commercial operation",
        Maturity::Suspended => "suspended: a restart is uncertain",
        Maturity::Closed => "closed for good",
    }
}

pub(super) fn financing_evidence(facility: &Facility, params: &DeliveryParams) -> Evidence {
    let active = facility
        .financing
        .iter()
        .filter(|f| f.status != FinancingStatus::Withdrawn)
        .max_by_key(|f| f.status);
    match active {
        Some(best) => {
            let ratio = params.financing.get(best.status);
            Evidence::new(
                "financing",
                ratio,
                ratio,
                format!(
                    "best financing on record: {} from {}",
                    status_words(best.status),
                    best.lender
                ),
            )
        }
        None if !facility.financing.is_empty() => {
            let ratio = params.financing.withdrawn_only;
            Evidence::new(
                "financing",
                ratio,
                ratio,
                "every financing on record was withdrawn".to_owned(),
            )
        }
        None => Evidence::new(
            "financing",
            Decimal::ONE,
            Decimal::ONE,
            "no financing on record beyond what the maturity implies".to_owned(),
        ),
    }
}

pub(super) fn offtake_evidence(
    facility: &Facility,
    years: &RangeInclusive<i32>,
    params: &DeliveryParams,
) -> Result<Evidence, RiskError> {
    const WHAT: &str = "the offtake multiplier";
    let (binding, non_binding, raw_binding) = offtake_coverage(facility, years)?;
    let o = &params.offtake;
    let ratio = arith::add(
        arith::add(
            Decimal::ONE,
            arith::mul(o.binding_full_coverage - Decimal::ONE, binding, WHAT)?,
            WHAT,
        )?,
        arith::mul(
            o.non_binding_full_coverage - Decimal::ONE,
            non_binding,
            WHAT,
        )?,
        WHAT,
    )?;
    let reason = if binding.is_zero() && non_binding.is_zero() {
        format!(
            "no offtake on record whose term covers {}..={}",
            years.start(),
            years.end()
        )
    } else {
        format!(
            "binding offtake covers {} of nameplate{}, non-binding {}",
            percent(raw_binding),
            if raw_binding > Decimal::ONE {
                " (counted as 100%)"
            } else {
                ""
            },
            percent(non_binding)
        )
    };
    Ok(Evidence::new("offtake", binding, ratio, reason))
}

pub(super) fn technical_evidence(
    facility: &Facility,
    context: &DeliveryContext,
    params: &DeliveryParams,
) -> Result<Evidence, RiskError> {
    let t = &params.technical;
    let grouping = convention_words(t.group_convention);
    let (difficulty, what) = match (has_heavy_ree(facility, t.group_convention), facility.stage) {
        (Some(true), Stage::Separation | Stage::MetalRefining) => (
            t.heavy_rare_earth_processing,
            format!(
                "heavy rare earths ({grouping}) at {}: the hardest step of the chain",
                facility.stage
            ),
        ),
        (Some(true), Stage::Cracking) => (
            t.light_rare_earth_processing,
            format!(
                "rare-earth cracking, heavy rare earths ({grouping}) included: established \
                 chemistry, demanding at scale; the heavy penalty applies at separation and \
                 refining"
            ),
        ),
        (Some(false), Stage::Cracking | Stage::Separation | Stage::MetalRefining) => (
            t.light_rare_earth_processing,
            format!(
                "light rare earths only ({grouping}) at {}: established chemistry, demanding \
                 at scale",
                facility.stage
            ),
        ),
        _ => (
            Decimal::ONE,
            "no rare-earth processing difficulty applies".to_owned(),
        ),
    };
    let foak = context.first_of_a_kind.contains(&facility.id);
    let technical = if foak {
        arith::mul(difficulty, t.first_of_a_kind, "technical difficulty")?
    } else {
        difficulty
    };
    Ok(if facility.maturity.is_project() {
        Evidence::new(
            "technical difficulty",
            technical,
            technical,
            format!("{what}{}", if foak { "; first of a kind" } else { "" }),
        )
    } else {
        Evidence::new(
            "technical difficulty",
            technical,
            Decimal::ONE,
            "not a project: the plant has shown it can run".to_owned(),
        )
    })
}

pub(super) fn governance_evidence(
    facility: &Facility,
    context: &DeliveryContext,
    params: &DeliveryParams,
) -> Result<Evidence, RiskError> {
    Ok(match context.governance.get(facility.country) {
        Some(wgi) => {
            let ratio = arith::add(
                Decimal::ONE,
                arith::mul(
                    params.governance_odds_per_wgi_point,
                    wgi.value(),
                    "governance",
                )?,
                "governance",
            )?;
            // Positive by validation (k < 0.4, |WGI| <= 2.5); checked again for the log.
            check_positive("the governance multiplier", ratio)?;
            Evidence::new(
                "governance",
                wgi.value(),
                ratio,
                format!(
                    "{} WGI {} ({} governed than the world average of 0)",
                    facility.country,
                    short(wgi.value(), 2),
                    if wgi.value() < Decimal::ZERO {
                        "worse"
                    } else {
                        "not worse"
                    }
                ),
            )
        }
        None => Evidence::new(
            "governance",
            Decimal::ZERO,
            Decimal::ONE,
            format!(
                "no WGI estimate for {}: governance data missing, counted as neutral (ratio 1)",
                facility.country
            ),
        ),
    })
}

pub(super) fn metallurgical_base_evidence(
    facility: &Facility,
    context: &DeliveryContext,
    params: &DeliveryParams,
) -> Evidence {
    if context.metallurgical_base.contains(&facility.country) {
        Evidence::new(
            "metallurgical base",
            Decimal::ONE,
            params.metallurgical_base,
            format!(
                "{} has producing metallurgical plants to draw skills and services from",
                facility.country
            ),
        )
    } else {
        Evidence::new(
            "metallurgical base",
            Decimal::ZERO,
            Decimal::ONE,
            format!(
                "no existing metallurgical base recorded in {}",
                facility.country
            ),
        )
    }
}

pub(super) fn timeline_evidence(
    facility: &Facility,
    as_of_year: i32,
    params: &DeliveryParams,
) -> Result<(Timing, Evidence), RiskError> {
    const WHAT: &str = "the timeline";
    let tl = &params.timeline;
    let maturity = facility.maturity;
    let mut typical = tl.years_to_first_production.get(maturity);
    if matches!(facility.stage, Stage::Mining | Stage::Beneficiation)
        && maturity < Maturity::Construction
    {
        typical = typical
            .checked_add(tl.extra_years_for_mines)
            .ok_or(Overflow::integer(WHAT))?;
    }
    // At most 2 × MAX_YEARS after validation.
    let typical = i32::try_from(typical).map_err(|_| Overflow::integer(WHAT))?;
    let announced = announced_start(facility);
    let earliest = as_of_year
        .checked_add(typical)
        .ok_or(Overflow::integer(WHAT))?;
    let (expected, early) = match maturity {
        Maturity::Closed => (None, 0),
        Maturity::Commissioning | Maturity::Operating => (
            Some(achieved_start(facility).or(announced).unwrap_or(as_of_year)),
            0,
        ),
        // A suspended plant's announced start is history: only the restart time counts.
        Maturity::Suspended => (Some(earliest), 0),
        _ => match announced {
            Some(a) if a < earliest => (
                Some(earliest),
                earliest.checked_sub(a).ok_or(Overflow::integer(WHAT))?,
            ),
            Some(a) => (Some(a), 0),
            None => (Some(earliest), 0),
        },
    };
    let mut ratio = Decimal::ONE;
    for _ in 0..early {
        ratio = arith::mul(ratio, tl.odds_per_year_early, WHAT)?;
        if ratio <= tl.floor {
            break;
        }
    }
    let ratio = ratio.max(tl.floor);
    let years = |n: i32| {
        if n == 1 {
            String::from("1 year")
        } else {
            format!("{n} years")
        }
    };
    let reason = match announced {
        _ if maturity == Maturity::Closed => "closed: no start expected".to_owned(),
        _ if maturity.is_producing() => "producing: no development time left".to_owned(),
        _ if maturity == Maturity::Suspended => {
            format!(
                "suspended: a restart takes a typical {}, so {earliest}",
                years(typical)
            )
        }
        None => format!("no announced start; typical time from {maturity} gives {earliest}"),
        Some(a) if early > 0 => format!(
            "announced start {a} is {} earlier than the typical {} from {maturity} allow; \
             expected {earliest}",
            years(early),
            years(typical)
        ),
        Some(a) => format!("announced start {a} allows the typical {}", years(typical)),
    };
    Ok((
        Timing {
            announced,
            expected,
            delay: early,
            not_started: maturity.is_project() || maturity == Maturity::Suspended,
        },
        Evidence::new("timeline", Decimal::from(early), ratio, reason),
    ))
}
