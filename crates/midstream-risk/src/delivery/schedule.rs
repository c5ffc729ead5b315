//! When a project starts: its announced and expected start, and the probability that it has
//! started by each year under the start-delay distribution.

use std::ops::RangeInclusive;

use midstream_domain::{Facility, Overflow, Share, Tonnes};
use rust_decimal::Decimal;

use crate::arith;
use crate::error::RiskError;

use super::params::{DeliveryParams, invalid};
use super::{YearCapacity, YearProbability};

/// Announced and scheduled start, and the delay between them.
pub(super) struct Timing {
    pub(super) announced: Option<i32>,
    pub(super) expected: Option<i32>,
    pub(super) delay: i32,
    /// Whether the start is still to come (a project or a suspended plant), so that the
    /// start-delay distribution applies.
    pub(super) not_started: bool,
}

/// `F(year)`: the probability that the start has happened by `year`.
pub(super) fn started_by(
    timing: &Timing,
    year: i32,
    cumulative: &[Decimal],
) -> Result<Decimal, RiskError> {
    let Some(start) = timing.expected else {
        return Ok(Decimal::ZERO);
    };
    if year < start {
        return Ok(Decimal::ZERO);
    }
    if !timing.not_started {
        return Ok(Decimal::ONE);
    }
    let late = usize::try_from(i64::from(year) - i64::from(start))
        .map_err(|_| Overflow::integer("the start year"))?;
    cumulative
        .get(late)
        .or(cumulative.last())
        .copied()
        .ok_or_else(|| invalid("timeline.started_by_years_late", "needs at least one value"))
}

pub(super) fn schedule(
    facility: &Facility,
    timing: &Timing,
    years: RangeInclusive<i32>,
    probability: Share,
    params: &DeliveryParams,
) -> Result<(Vec<YearProbability>, Vec<YearCapacity>), RiskError> {
    const WHAT: &str = "the capacity by year";
    let mut capacities: Vec<_> = facility.capacities.iter().collect();
    capacities.sort_by_key(|c| c.commodity);
    let mut by_year = Vec::new();
    let mut out = Vec::new();
    for year in years {
        let f = started_by(timing, year, &params.timeline.started_by_years_late)?;
        let p_by = Share::new(arith::mul(probability.value(), f, WHAT)?)?;
        by_year.push(YearProbability {
            year,
            probability: p_by,
        });
        for c in &capacities {
            let scheduled = match timing.expected {
                Some(start) if year >= start => c.in_year(
                    year.checked_sub(timing.delay)
                        .ok_or(Overflow::integer(WHAT))?,
                ),
                _ => Tonnes::ZERO,
            };
            out.push(YearCapacity {
                year,
                commodity: c.commodity,
                scheduled,
                risk_adjusted: scheduled.checked_mul(p_by.value())?,
            });
        }
    }
    Ok((by_year, out))
}
