//! Project delivery risk: is it a plant or a letter? The probability that a facility delivers
//! its capacity, the probability that it does so by each year, and its risk-adjusted capacity
//! by year.
//!
//! The model starts from a base probability for the facility's [`Maturity`] and applies
//! likelihood ratios on the odds (`p / (1 − p)`) for the evidence the record holds: offtake,
//! financing, technical difficulty, governance, an existing metallurgical base and the realism
//! of the announced timeline. Working on the odds keeps the probability in `[0, 1]` without a
//! cap, and makes a given piece of evidence move a long shot more than a near-certainty. The
//! explanation is in log-odds, where the evidence adds up independently of its order. A
//! start-delay distribution around the scheduled start turns the probability into a
//! probability of delivering by each year. Every number is a documented judgement and a field
//! of [`DeliveryParams`]; see `docs/methodology.md`.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};
use midstream_domain::{
    Commodity, Country, Facility, FacilityId, FinancingStatus, GroupConvention, Maturity,
    MilestoneKind, MilestoneStatus, ReeGroup, Share, Stage, Tonnes, ValidDataset,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{
    Error, arith, check_non_negative, check_positive, check_probability, collect_problems, note,
};
use crate::explain::{Explained, Factor, ln, percent, short};
use crate::governance::GovernanceTable;

/// Longest year range a delivery assessment reports, and the most typical years accepted for
/// one maturity (or for the extra years of a mine). A century is beyond any planning horizon;
/// the bound keeps a mistyped range (`2025..=20250`) from producing a million rows and keeps
/// year arithmetic far from overflow.
pub const MAX_YEARS: i32 = 100;

/// Decimals the log-odds contributions are rounded to (computed in `f64`, like the USGS
/// geometric mean): far finer than any probability a report shows.
const LOG_DECIMALS: u32 = 12;

/// One value per [`Maturity`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[allow(missing_docs)] // Reason: each field is the maturity of the same name.
pub struct ByMaturity<T> {
    pub occurrence: T,
    pub exploration: T,
    pub resource_defined: T,
    pub letter_of_interest: T,
    pub studies: T,
    pub permitted: T,
    pub financed: T,
    pub construction: T,
    pub commissioning: T,
    pub operating: T,
    pub suspended: T,
    pub closed: T,
}

impl<T: Copy> ByMaturity<T> {
    /// The value for `maturity`.
    #[must_use]
    pub fn get(&self, maturity: Maturity) -> T {
        match maturity {
            Maturity::Occurrence => self.occurrence,
            Maturity::Exploration => self.exploration,
            Maturity::ResourceDefined => self.resource_defined,
            Maturity::LetterOfInterest => self.letter_of_interest,
            Maturity::Studies => self.studies,
            Maturity::Permitted => self.permitted,
            Maturity::Financed => self.financed,
            Maturity::Construction => self.construction,
            Maturity::Commissioning => self.commissioning,
            Maturity::Operating => self.operating,
            Maturity::Suspended => self.suspended,
            Maturity::Closed => self.closed,
        }
    }
}

/// Likelihood ratios (odds multipliers) of offtake coverage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct OfftakeOdds {
    /// Odds multiplier when binding offtake covers the whole nameplate (default 3, at least 1);
    /// partial coverage scales linearly from 1.
    pub binding_full_coverage: Decimal,
    /// Odds multiplier when non-binding offtake (MoU, term sheet) covers the whole nameplate
    /// (default 1.2, at least 1); may not exceed the binding one.
    pub non_binding_full_coverage: Decimal,
}

impl Default for OfftakeOdds {
    fn default() -> Self {
        Self {
            binding_full_coverage: Decimal::from(3),
            non_binding_full_coverage: Decimal::new(12, 1),
        }
    }
}

/// Likelihood ratios of the best financing status on record. The five statuses of an active
/// financing must be at least 1 and may not fall from `interest_letter` to `disbursed`, so that
/// better financing never lowers the odds; `withdrawn_only` lies in `(0, 1]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
#[allow(missing_docs)] // Reason: each field is the financing status of the same name.
pub struct FinancingOdds {
    pub interest_letter: Decimal,
    pub applied: Decimal,
    pub conditional_commitment: Decimal,
    pub committed: Decimal,
    pub disbursed: Decimal,
    /// When every financing on record was withdrawn.
    pub withdrawn_only: Decimal,
}

impl Default for FinancingOdds {
    fn default() -> Self {
        Self {
            interest_letter: Decimal::ONE,
            applied: Decimal::new(11, 1),
            conditional_commitment: Decimal::new(15, 1),
            committed: Decimal::new(25, 1),
            disbursed: Decimal::from(3),
            withdrawn_only: Decimal::new(6, 1),
        }
    }
}

impl FinancingOdds {
    fn get(&self, status: FinancingStatus) -> Decimal {
        match status {
            FinancingStatus::InterestLetter => self.interest_letter,
            FinancingStatus::Applied => self.applied,
            FinancingStatus::ConditionalCommitment => self.conditional_commitment,
            FinancingStatus::Committed => self.committed,
            FinancingStatus::Disbursed => self.disbursed,
            FinancingStatus::Withdrawn => self.withdrawn_only,
        }
    }
}

/// Likelihood ratios of technical difficulty, applied to projects only (a producing plant has
/// shown it can do it). Each is a penalty in `(0, 1]`, and the heavy one may not be milder than
/// the light one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct TechnicalOdds {
    /// Separation or metal refining of heavy rare earths (default 0.6).
    pub heavy_rare_earth_processing: Decimal,
    /// Rare-earth processing without heavy separation: cracking of any rare earth, or
    /// separation or metal refining of light rare earths only (default 0.85).
    pub light_rare_earth_processing: Decimal,
    /// A first-of-a-kind plant (a process or a scale not yet run commercially; default 0.6).
    pub first_of_a_kind: Decimal,
    /// Which elements count as heavy (default [`GroupConvention::Usgs`]: terbium to lutetium
    /// and yttrium; [`GroupConvention::Eu2023`] adds europium and gadolinium).
    pub group_convention: GroupConvention,
}

impl Default for TechnicalOdds {
    fn default() -> Self {
        Self {
            heavy_rare_earth_processing: Decimal::new(6, 1),
            light_rare_earth_processing: Decimal::new(85, 2),
            first_of_a_kind: Decimal::new(6, 1),
            // Named, not `GroupConvention::default()`, so that a change of the domain's default
            // cannot change this model silently; see docs/methodology.md for the reason.
            group_convention: GroupConvention::Usgs,
        }
    }
}

/// How the announced timeline is judged against typical development times, and how the actual
/// start spreads around the scheduled one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct TimelineParams {
    /// Typical whole years from each maturity to first production of a processing plant (each
    /// at most [`MAX_YEARS`], non-increasing along the ladder).
    pub years_to_first_production: ByMaturity<u32>,
    /// Extra years for a mine (or beneficiation plant) not yet under construction (default 3,
    /// at most [`MAX_YEARS`]).
    pub extra_years_for_mines: u32,
    /// Odds multiplier per year the announced start is earlier than the typical time allows
    /// (default 0.85, in `(0, 1]`), applied to projects only.
    pub odds_per_year_early: Decimal,
    /// Lowest timeline multiplier (default 0.5, in `(0, 1]`).
    pub floor: Decimal,
    /// The start-delay distribution `F`: element `k` is the probability that a facility that
    /// delivers has started by `k` years after its scheduled start (`k = 0, 1, ...`; the last
    /// value holds for every later year). Non-decreasing, each in `[0, 1]`, the last exactly 1,
    /// at most [`MAX_YEARS`] values. Default `[0.5, 0.75, 0.9, 1]`. Applies to facilities not
    /// yet producing (projects and suspended plants); a producing one has started.
    pub started_by_years_late: Vec<Decimal>,
}

impl Default for TimelineParams {
    fn default() -> Self {
        Self {
            years_to_first_production: ByMaturity {
                occurrence: 15,
                exploration: 12,
                resource_defined: 10,
                letter_of_interest: 8,
                studies: 6,
                permitted: 4,
                financed: 3,
                construction: 2,
                commissioning: 0,
                operating: 0,
                suspended: 2,
                closed: 0,
            },
            extra_years_for_mines: 3,
            odds_per_year_early: Decimal::new(85, 2),
            floor: Decimal::new(5, 1),
            started_by_years_late: vec![
                Decimal::new(5, 1),
                Decimal::new(75, 2),
                Decimal::new(9, 1),
                Decimal::ONE,
            ],
        }
    }
}

/// Labels of the delivery probability for summaries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct DeliveryLabels {
    /// Below this probability a facility is "a signal, not supply" (default 0.15).
    pub signal_below: Decimal,
    /// From this probability on it is "supply" (default 0.8).
    pub supply_from: Decimal,
}

impl Default for DeliveryLabels {
    fn default() -> Self {
        Self {
            signal_below: Decimal::new(15, 2),
            supply_from: Decimal::new(8, 1),
        }
    }
}

/// Every parameter of the delivery model; the defaults are documented judgement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct DeliveryParams {
    /// Base probability of delivering nameplate capacity, by maturity; non-decreasing from
    /// occurrence to operating.
    pub maturity_probability: ByMaturity<Decimal>,
    /// Offtake likelihood ratios.
    pub offtake: OfftakeOdds,
    /// Financing likelihood ratios.
    pub financing: FinancingOdds,
    /// Technical-difficulty likelihood ratios.
    pub technical: TechnicalOdds,
    /// Governance: odds multiplier `1 + k × WGI` (default k = 0.12, so 0.7 at WGI −2.5 and
    /// 1.3 at +2.5; `k` in `[0, 0.4)` so that the multiplier stays positive).
    pub governance_odds_per_wgi_point: Decimal,
    /// Odds multiplier for a country with an existing metallurgical base (default 1.25, at
    /// least 1).
    pub metallurgical_base: Decimal,
    /// Timeline realism and the start-delay distribution.
    pub timeline: TimelineParams,
    /// Summary labels.
    pub labels: DeliveryLabels,
}

impl Default for DeliveryParams {
    fn default() -> Self {
        let p = |n: i64, scale: u32| Decimal::new(n, scale);
        Self {
            maturity_probability: ByMaturity {
                occurrence: p(1, 2),
                exploration: p(2, 2),
                resource_defined: p(4, 2),
                letter_of_interest: p(5, 2),
                studies: p(15, 2),
                permitted: p(3, 1),
                financed: p(6, 1),
                construction: p(75, 2),
                commissioning: p(85, 2),
                operating: p(97, 2),
                suspended: p(2, 1),
                closed: Decimal::ZERO,
            },
            offtake: OfftakeOdds::default(),
            financing: FinancingOdds::default(),
            technical: TechnicalOdds::default(),
            governance_odds_per_wgi_point: p(12, 2),
            metallurgical_base: p(125, 2),
            timeline: TimelineParams::default(),
            labels: DeliveryLabels::default(),
        }
    }
}

/// An `InvalidParameter` error.
fn invalid(parameter: &str, reason: &str) -> Error {
    Error::InvalidParameter {
        parameter: parameter.to_owned(),
        reason: reason.to_owned(),
    }
}

/// Checks that a penalty ratio lies in `(0, 1]`.
fn check_penalty(parameter: &str, value: Decimal) -> Result<(), Error> {
    if value <= Decimal::ZERO || value > Decimal::ONE {
        return Err(invalid(
            parameter,
            &format!("is {value}; a penalty must lie in (0, 1]"),
        ));
    }
    Ok(())
}

/// Checks that a ratio for favourable evidence is at least 1.
fn check_support(parameter: &str, value: Decimal) -> Result<(), Error> {
    if value < Decimal::ONE {
        return Err(invalid(
            parameter,
            &format!("is {value}; favourable evidence may not lower the odds (at least 1)"),
        ));
    }
    Ok(())
}

impl DeliveryParams {
    /// Every problem with the parameters, in the order of the fields; empty when they are
    /// valid. See [`DeliveryParams::validate`] for the rules.
    #[must_use]
    pub fn problems(&self) -> Vec<Error> {
        let mut problems = Vec::new();
        let probability = &self.maturity_probability;
        for m in Maturity::ALL {
            note(
                &mut problems,
                check_probability(&format!("maturity_probability.{m}"), probability.get(m)),
            );
        }
        let years = &self.timeline.years_to_first_production;
        let max_years = MAX_YEARS.unsigned_abs();
        for m in Maturity::ALL {
            if years.get(m) > max_years {
                problems.push(invalid(
                    &format!("timeline.years_to_first_production.{m}"),
                    &format!("is {}; at most {MAX_YEARS}", years.get(m)),
                ));
            }
        }
        if self.timeline.extra_years_for_mines > max_years {
            problems.push(invalid(
                "timeline.extra_years_for_mines",
                &format!("at most {MAX_YEARS}"),
            ));
        }
        for pair in Maturity::LADDER.windows(2) {
            let &[lower, higher] = pair else { continue };
            if probability.get(higher) < probability.get(lower) {
                problems.push(invalid(
                    &format!("maturity_probability.{higher}"),
                    &format!("below maturity_probability.{lower}: advancing may not lower it"),
                ));
            }
            if years.get(higher) > years.get(lower) {
                problems.push(invalid(
                    &format!("timeline.years_to_first_production.{higher}"),
                    &format!("above the value for {lower}: advancing may not add years"),
                ));
            }
        }
        problems.extend(self.ratio_problems());
        let tl = &self.timeline;
        note(
            &mut problems,
            check_penalty("timeline.odds_per_year_early", tl.odds_per_year_early),
        );
        note(&mut problems, check_penalty("timeline.floor", tl.floor));
        problems.extend(start_delay_problems(&tl.started_by_years_late));
        let l = &self.labels;
        note(
            &mut problems,
            check_probability("labels.signal_below", l.signal_below),
        );
        note(
            &mut problems,
            check_probability("labels.supply_from", l.supply_from),
        );
        if l.signal_below > l.supply_from {
            problems.push(invalid("labels.signal_below", "above labels.supply_from"));
        }
        problems
    }

    /// Problems with the likelihood ratios of offtake, financing, technical difficulty,
    /// governance and metallurgical base.
    fn ratio_problems(&self) -> Vec<Error> {
        let mut problems = Vec::new();
        let o = &self.offtake;
        note(
            &mut problems,
            check_support("offtake.binding_full_coverage", o.binding_full_coverage),
        );
        note(
            &mut problems,
            check_support(
                "offtake.non_binding_full_coverage",
                o.non_binding_full_coverage,
            ),
        );
        if o.non_binding_full_coverage > o.binding_full_coverage {
            problems.push(invalid(
                "offtake.non_binding_full_coverage",
                "a non-binding offtake may not count more than a binding one",
            ));
        }
        let f = &self.financing;
        let ladder = [
            ("financing.interest_letter", f.interest_letter),
            ("financing.applied", f.applied),
            ("financing.conditional_commitment", f.conditional_commitment),
            ("financing.committed", f.committed),
            ("financing.disbursed", f.disbursed),
        ];
        for (name, value) in ladder {
            note(&mut problems, check_support(name, value));
        }
        for pair in ladder.windows(2) {
            let [(lower_name, lower), (higher_name, higher)] = pair else {
                continue;
            };
            if higher < lower {
                problems.push(invalid(
                    higher_name,
                    &format!("below {lower_name}: better financing may not lower the odds"),
                ));
            }
        }
        note(
            &mut problems,
            check_penalty("financing.withdrawn_only", f.withdrawn_only),
        );
        let t = &self.technical;
        for (name, value) in [
            (
                "technical.heavy_rare_earth_processing",
                t.heavy_rare_earth_processing,
            ),
            (
                "technical.light_rare_earth_processing",
                t.light_rare_earth_processing,
            ),
            ("technical.first_of_a_kind", t.first_of_a_kind),
        ] {
            note(&mut problems, check_penalty(name, value));
        }
        if t.heavy_rare_earth_processing > t.light_rare_earth_processing {
            problems.push(invalid(
                "technical.heavy_rare_earth_processing",
                "above the light one: heavy separation may not count as easier",
            ));
        }
        let k = self.governance_odds_per_wgi_point;
        match k.checked_mul(Decimal::new(25, 1)) {
            Some(at_worst) if k >= Decimal::ZERO && at_worst < Decimal::ONE => {}
            _ => problems.push(invalid(
                "governance_odds_per_wgi_point",
                &format!("is {k}; must lie in [0, 0.4) so that 1 + k × WGI stays positive"),
            )),
        }
        note(
            &mut problems,
            check_support("metallurgical_base", self.metallurgical_base),
        );
        problems
    }

    /// Checks every parameter and reports every problem: probabilities in `[0, 1]` and
    /// non-decreasing along the ladder; typical years at most [`MAX_YEARS`] and non-increasing
    /// along it; offtake, active-financing and metallurgical-base ratios at least 1 (a
    /// non-binding offtake not above a binding one, financing non-decreasing with status);
    /// penalties (withdrawn financing, technical difficulty, early timeline, floor) in
    /// `(0, 1]`, heavy not milder than light; governance multipliers positive over the whole
    /// WGI range; the start-delay distribution non-decreasing in `[0, 1]` and ending at 1;
    /// labels in `[0, 1]` and ordered.
    ///
    /// # Errors
    /// The one problem found ([`Error::ProbabilityOutOfRange`], [`Error::InvalidParameter`]),
    /// or [`Error::InvalidParameters`] listing all of them.
    pub fn validate(&self) -> Result<(), Error> {
        collect_problems(self.problems())
    }
}

/// Problems with a start-delay distribution.
fn start_delay_problems(cumulative: &[Decimal]) -> Vec<Error> {
    const NAME: &str = "timeline.started_by_years_late";
    let mut problems = Vec::new();
    let Some(last) = cumulative.last() else {
        return vec![invalid(NAME, "needs at least one value")];
    };
    if cumulative.len() > MAX_YEARS.unsigned_abs() as usize {
        problems.push(invalid(NAME, &format!("at most {MAX_YEARS} values")));
    }
    for (k, v) in cumulative.iter().enumerate() {
        note(
            &mut problems,
            check_probability(&format!("{NAME}[{k}]"), *v),
        );
    }
    for (k, pair) in cumulative.windows(2).enumerate() {
        if let [before, after] = pair
            && after < before
        {
            problems.push(invalid(
                &format!("{NAME}[{}]", k + 1),
                "below the value before it: a cumulative probability may not fall",
            ));
        }
    }
    if *last != Decimal::ONE {
        problems.push(invalid(
            NAME,
            "the last value must be 1: a facility that delivers starts at some point",
        ));
    }
    problems
}

/// What an assessment needs beyond the facility record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryContext {
    /// The date the assessment is made at (e.g. the dataset's `as_of`).
    pub as_of: NaiveDate,
    /// The years assessed: capacity and the probability of delivering by each year are
    /// reported for them, and an offtake counts when its term covers one of them.
    pub years: RangeInclusive<i32>,
    /// Governance estimates, where known. A missing estimate is neutral (see
    /// [`assess_delivery`]).
    pub governance: GovernanceTable,
    /// Countries with an existing metallurgical base (see [`metallurgical_base`]).
    pub metallurgical_base: BTreeSet<Country>,
    /// Facilities that are first of a kind.
    pub first_of_a_kind: BTreeSet<FacilityId>,
}

impl DeliveryContext {
    /// A context with no governance data, no metallurgical base and no first-of-a-kind plant.
    #[must_use]
    pub fn new(as_of: NaiveDate, years: RangeInclusive<i32>) -> Self {
        Self {
            as_of,
            years,
            governance: GovernanceTable::default(),
            metallurgical_base: BTreeSet::new(),
            first_of_a_kind: BTreeSet::new(),
        }
    }
}

/// Countries with an existing metallurgical base in a dataset: those with a producing
/// (commissioning or operating) facility at a midstream stage (cracking, separation, metal
/// refining) or at alloying, of any commodity.
#[must_use]
pub fn metallurgical_base(data: &ValidDataset) -> BTreeSet<Country> {
    data.facilities
        .iter()
        .filter(|f| f.maturity.is_producing())
        .filter(|f| f.stage.is_midstream() || f.stage == Stage::Alloying)
        .map(|f| f.country)
        .collect()
}

/// The probability that a facility delivers its capacity by a given year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct YearProbability {
    /// The year.
    pub year: i32,
    /// `p × F(year)`: the delivery probability times the probability that the start has
    /// happened by then. Non-decreasing in the year, never above `p`.
    pub probability: Share,
}

/// One year of a facility's capacity for one commodity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct YearCapacity {
    /// The year.
    pub year: i32,
    /// The commodity.
    pub commodity: Commodity,
    /// Capacity on the schedule (zero before the scheduled start; the record's ramp shifted by
    /// the delay).
    pub scheduled: Tonnes,
    /// `scheduled × P(delivering by this year)`.
    pub risk_adjusted: Tonnes,
}

/// A facility's delivery assessment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct DeliveryAssessment {
    /// The facility.
    pub facility: FacilityId,
    /// Its maturity.
    pub maturity: Maturity,
    /// Probability `p` that it delivers its capacity at all.
    pub probability: Share,
    /// The start year the record announces (planned or achieved first production; else
    /// commissioning start; else the first ramp step).
    pub announced_start_year: Option<i32>,
    /// The scheduled (expected) start year: the announced one, or later if typical development
    /// times do not allow it; `None` for a closed facility. The start-delay distribution
    /// spreads the actual start from this year on.
    pub expected_start_year: Option<i32>,
    /// Expected minus announced start, in years (0 when on time or unannounced).
    pub delay_years: i32,
    /// The probability of delivering by each year assessed, years ascending.
    pub probability_by_year: Vec<YearProbability>,
    /// Capacity by year and commodity, years ascending, commodities in order.
    pub capacity_by_year: Vec<YearCapacity>,
    /// The factors in log-odds: score `logit(p) = ln(p / (1 − p))`; factor `maturity` with
    /// input the base probability, weight the base odds and contribution `logit(base)`; then
    /// one factor per piece of evidence with weight its odds multiplier and contribution
    /// `ln(multiplier)`, each rounded to 12 decimals. The contributions add up to the score and
    /// do not depend on the order the evidence is applied in. `None` when the base probability
    /// is 0 or 1 (e.g. a closed facility): no evidence can move it and its log-odds is infinite.
    pub explanation: Option<Explained>,
    /// One line for reports: signal or supply, and why.
    pub summary: String,
}

impl DeliveryAssessment {
    /// The probability of delivering by `year`, if the assessment covers the year.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use midstream_domain::Facility;
    /// use midstream_risk::{DeliveryContext, DeliveryParams, assess_delivery};
    /// let plant: Facility = serde_json::from_str(r#"{"id": "sep", "name": "Separator",
    ///     "country": "KZ", "stage": "separation", "maturity": "operating",
    ///     "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "1000"}]}"#)?;
    /// let ctx = DeliveryContext::new(NaiveDate::from_ymd_opt(2025, 12, 31).ok_or("date")?,
    ///                                2026..=2030);
    /// let a = assess_delivery(&plant, &ctx, &DeliveryParams::default())?;
    /// assert!(a.probability_by(2030).is_some());
    /// assert!(a.probability_by(2040).is_none()); // not assessed
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn probability_by(&self, year: i32) -> Option<Share> {
        self.probability_by_year
            .iter()
            .find(|y| y.year == year)
            .map(|y| y.probability)
    }
}

/// One piece of evidence: a likelihood ratio on the odds.
struct Evidence {
    name: &'static str,
    input: Decimal,
    ratio: Decimal,
    reason: String,
}

impl Evidence {
    fn new(name: &'static str, input: Decimal, ratio: Decimal, reason: String) -> Self {
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
fn combine(base: Decimal, evidence: &[Evidence]) -> Result<Decimal, Error> {
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
fn log_odds(
    base: Decimal,
    maturity: Maturity,
    evidence: Vec<Evidence>,
) -> Result<Option<Explained>, Error> {
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
fn announced_start(facility: &Facility) -> Option<i32> {
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

fn achieved_start(facility: &Facility) -> Option<i32> {
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

fn has_heavy_ree(facility: &Facility, convention: GroupConvention) -> Option<bool> {
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

fn convention_words(convention: GroupConvention) -> &'static str {
    match convention {
        GroupConvention::Usgs => "the USGS grouping",
        GroupConvention::Eu2023 => "the EU 2023 grouping",
    }
}

/// Refuses negative tonnages in a facility record (the assessment takes records that have not
/// been through dataset validation), naming the facility and the field; reports all of them.
fn check_facility(facility: &Facility) -> Result<(), Error> {
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
fn offtake_coverage(
    facility: &Facility,
    years: &RangeInclusive<i32>,
) -> Result<(Decimal, Decimal, Decimal), Error> {
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

fn status_words(s: FinancingStatus) -> &'static str {
    match s {
        FinancingStatus::InterestLetter => "an interest letter (no commitment)",
        FinancingStatus::Applied => "an application under review",
        FinancingStatus::ConditionalCommitment => "a conditional commitment",
        FinancingStatus::Committed => "a committed financing",
        FinancingStatus::Disbursed => "money disbursed",
        FinancingStatus::Withdrawn => "a withdrawn financing",
    }
}

fn maturity_reason(m: Maturity) -> &'static str {
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

/// Assesses whether and when a facility delivers its capacity.
///
/// # Arguments
/// - `facility`: the record (maturity, capacities and ramps, milestones, offtakes, financing).
/// - `context`: the as-of date, the years assessed, governance, metallurgical base and
///   first-of-a-kind flags.
/// - `params`: the model's parameters (validated here).
///
/// # Returns
/// - `probability`: `p`, from the base probability of the maturity and the evidence as
///   likelihood ratios on the odds; its log-odds explanation (factors adding up to
///   `logit(p)`);
/// - the announced and the scheduled (expected) start year;
/// - `probability_by_year`: `P(delivering by y) = p × F(y)`, where `F` is the start-delay
///   distribution from the scheduled start (`TimelineParams::started_by_years_late`; 0 before
///   the scheduled start, 1 from it for a producing facility);
/// - `capacity_by_year`: scheduled capacity and risk-adjusted capacity
///   `scheduled(y) × P(delivering by y)`.
///
/// Missing governance is neutral: without a WGI estimate for the host country the governance
/// ratio is 1 and the factor's reason says the data was missing (the delivery question is
/// often asked of datasets without governance data, and the other evidence still answers it).
///
/// # Errors
/// Any error of [`DeliveryParams::validate`]; [`Error::NegativeQuantity`] naming the facility
/// and field for a negative capacity, ramp step or offtake (several as
/// [`Error::InvalidParameters`]); [`Error::InvalidYears`] for an empty range or one longer
/// than [`MAX_YEARS`]; [`Error::Overflow`].
///
/// # Example
/// The same 1000 t/yr nameplate as a letter of interest and as an operating plant:
///
/// ```
/// use chrono::NaiveDate;
/// use midstream_domain::{Facility, Maturity};
/// use midstream_risk::{assess_delivery, DeliveryContext, DeliveryParams};
///
/// let plant: Facility = serde_json::from_str(r#"{
///     "id": "plant", "name": "Plant", "country": "MY", "stage": "separation",
///     "maturity": "operating",
///     "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "1000"}]}"#)?;
/// let letter = Facility { maturity: Maturity::LetterOfInterest, ..plant.clone() };
/// let ctx = DeliveryContext::new(NaiveDate::from_ymd_opt(2025, 12, 31).ok_or("date")?,
///                                2026..=2035);
/// let params = DeliveryParams::default();
/// let a = assess_delivery(&plant, &ctx, &params)?;
/// let b = assess_delivery(&letter, &ctx, &params)?;
/// let in_year = |x: &midstream_risk::DeliveryAssessment, year: i32| x.capacity_by_year.iter()
///     .find(|y| y.year == year).map(|y| y.risk_adjusted.value()).unwrap_or_default();
/// assert_eq!(in_year(&a, 2030).normalize().to_string(), "970");
/// // The letter is scheduled for 2033 (8 typical years); half the starts happen on time.
/// assert_eq!(b.expected_start_year, Some(2033));
/// assert!(in_year(&b, 2032).is_zero());
/// assert!(in_year(&b, 2033) < in_year(&b, 2035));
/// assert!(in_year(&b, 2035) < in_year(&a, 2035) / rust_decimal::Decimal::from(10));
/// assert!(b.summary.contains("signal, not supply"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn assess_delivery(
    facility: &Facility,
    context: &DeliveryContext,
    params: &DeliveryParams,
) -> Result<DeliveryAssessment, Error> {
    params.validate()?;
    check_facility(facility)?;
    let (from, to) = (*context.years.start(), *context.years.end());
    match to.checked_sub(from) {
        Some(span) if (0..MAX_YEARS).contains(&span) => {}
        _ => {
            return Err(Error::InvalidYears {
                from,
                to,
                max: MAX_YEARS,
            });
        }
    }
    let maturity = facility.maturity;
    let base = params.maturity_probability.get(maturity);
    let (timing, timeline) = timeline_evidence(facility, context.as_of.year(), params)?;
    let evidence = vec![
        financing_evidence(facility, params),
        offtake_evidence(facility, &context.years, params)?,
        technical_evidence(facility, context, params)?,
        governance_evidence(facility, context, params)?,
        metallurgical_base_evidence(facility, context, params),
        timeline,
    ];
    let probability = Share::new(combine(base, &evidence)?)?;
    let explanation = log_odds(base, maturity, evidence)?;
    let (probability_by_year, capacity_by_year) =
        schedule(facility, &timing, from..=to, probability, params)?;
    let label = if probability.value() < params.labels.signal_below {
        "a signal, not supply"
    } else if probability.value() >= params.labels.supply_from {
        "supply"
    } else {
        "possible supply"
    };
    let nameplate = facility
        .capacities
        .iter()
        .min_by_key(|c| c.commodity)
        .map(|c| format!("; {} {} nameplate", c.tonnes_per_year, c.commodity))
        .unwrap_or_default();
    let summary = format!(
        "{}: {label}: {} chance to deliver ({}){nameplate}; expected start {}",
        facility.id,
        percent(probability.value()),
        maturity_reason(maturity),
        timing
            .expected
            .map_or_else(|| "none".to_owned(), |y| y.to_string())
    );
    Ok(DeliveryAssessment {
        facility: facility.id.clone(),
        maturity,
        probability,
        announced_start_year: timing.announced,
        expected_start_year: timing.expected,
        delay_years: timing.delay,
        probability_by_year,
        capacity_by_year,
        explanation,
        summary,
    })
}

fn financing_evidence(facility: &Facility, params: &DeliveryParams) -> Evidence {
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

fn offtake_evidence(
    facility: &Facility,
    years: &RangeInclusive<i32>,
    params: &DeliveryParams,
) -> Result<Evidence, Error> {
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

fn technical_evidence(
    facility: &Facility,
    context: &DeliveryContext,
    params: &DeliveryParams,
) -> Result<Evidence, Error> {
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

fn governance_evidence(
    facility: &Facility,
    context: &DeliveryContext,
    params: &DeliveryParams,
) -> Result<Evidence, Error> {
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

fn metallurgical_base_evidence(
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

/// Announced and scheduled start, and the delay between them.
struct Timing {
    announced: Option<i32>,
    expected: Option<i32>,
    delay: i32,
    /// Whether the start is still to come (a project or a suspended plant), so that the
    /// start-delay distribution applies.
    not_started: bool,
}

fn timeline_evidence(
    facility: &Facility,
    as_of_year: i32,
    params: &DeliveryParams,
) -> Result<(Timing, Evidence), Error> {
    const WHAT: &str = "the timeline";
    let tl = &params.timeline;
    let maturity = facility.maturity;
    let mut typical = tl.years_to_first_production.get(maturity);
    if matches!(facility.stage, Stage::Mining | Stage::Beneficiation)
        && maturity < Maturity::Construction
    {
        typical = typical
            .checked_add(tl.extra_years_for_mines)
            .ok_or(Error::Overflow { what: WHAT })?;
    }
    // At most 2 × MAX_YEARS after validation.
    let typical = i32::try_from(typical).map_err(|_| Error::Overflow { what: WHAT })?;
    let announced = announced_start(facility);
    let earliest = as_of_year
        .checked_add(typical)
        .ok_or(Error::Overflow { what: WHAT })?;
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
                earliest
                    .checked_sub(a)
                    .ok_or(Error::Overflow { what: WHAT })?,
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

/// `F(year)`: the probability that the start has happened by `year`.
fn started_by(timing: &Timing, year: i32, cumulative: &[Decimal]) -> Result<Decimal, Error> {
    let Some(start) = timing.expected else {
        return Ok(Decimal::ZERO);
    };
    if year < start {
        return Ok(Decimal::ZERO);
    }
    if !timing.not_started {
        return Ok(Decimal::ONE);
    }
    let late =
        usize::try_from(i64::from(year) - i64::from(start)).map_err(|_| Error::Overflow {
            what: "the start year",
        })?;
    cumulative
        .get(late)
        .or(cumulative.last())
        .copied()
        .ok_or_else(|| invalid("timeline.started_by_years_late", "needs at least one value"))
}

fn schedule(
    facility: &Facility,
    timing: &Timing,
    years: RangeInclusive<i32>,
    probability: Share,
    params: &DeliveryParams,
) -> Result<(Vec<YearProbability>, Vec<YearCapacity>), Error> {
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
                        .ok_or(Error::Overflow { what: WHAT })?,
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

/// Assesses every facility of a dataset, in id order, with the dataset's `as_of` date.
///
/// # Errors
/// As [`assess_delivery`].
pub fn assess_dataset_delivery(
    data: &ValidDataset,
    context: &DeliveryContext,
    params: &DeliveryParams,
) -> Result<Vec<DeliveryAssessment>, Error> {
    let context = DeliveryContext {
        as_of: data.as_of,
        ..context.clone()
    };
    let mut facilities: Vec<&Facility> = data.facilities.iter().collect();
    facilities.sort_by(|a, b| a.id.cmp(&b.id));
    facilities
        .into_iter()
        .map(|f| assess_delivery(f, &context, params))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn facility(json: &str) -> Facility {
        serde_json::from_str(json).unwrap()
    }

    fn ctx() -> DeliveryContext {
        DeliveryContext::new(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(), 2026..=2032)
    }

    const PROJECT: &str = r#"{
        "id": "p", "name": "P", "country": "KZ", "stage": "separation",
        "maturity": "letter_of_interest",
        "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "500",
                        "ramp": [{"year": 2028, "tonnes": "250"}, {"year": 2029, "tonnes": "500"}]}],
        "milestones": [{"kind": "first_production", "date": "2028-01-01", "status": "planned"}]
    }"#;

    fn factor_weight(a: &DeliveryAssessment, name: &str) -> Decimal {
        a.explanation.as_ref().unwrap().factor(name).unwrap().weight
    }

    #[test]
    fn defaults_are_valid_and_every_problem_is_reported() {
        DeliveryParams::default().validate().unwrap();
        let mut p = DeliveryParams::default();
        p.maturity_probability.studies = d("0.01");
        assert!(matches!(
            p.validate().unwrap_err(),
            Error::InvalidParameter { ref parameter, .. } if parameter == "maturity_probability.studies"
        ));
        let mut p = DeliveryParams::default();
        p.maturity_probability.operating = d("1.5");
        assert!(matches!(
            p.validate().unwrap_err(),
            Error::ProbabilityOutOfRange { .. }
        ));
        // Out-of-range ratios that are positive are refused too, all of them at once.
        let mut p = DeliveryParams::default();
        p.timeline.odds_per_year_early = d("1.2");
        p.timeline.floor = d("1.5");
        p.technical.first_of_a_kind = d("2");
        p.financing.withdrawn_only = d("1.1");
        p.offtake.non_binding_full_coverage = d("5");
        p.governance_odds_per_wgi_point = Decimal::MAX;
        p.timeline.years_to_first_production.occurrence = 1000;
        p.timeline.started_by_years_late = vec![d("0.5"), d("0.4")];
        let names: Vec<String> = p
            .problems()
            .iter()
            .map(|e| match e {
                Error::InvalidParameter { parameter, .. } => parameter.clone(),
                other => other.to_string(),
            })
            .collect();
        for expected in [
            "timeline.odds_per_year_early",
            "timeline.floor",
            "technical.first_of_a_kind",
            "financing.withdrawn_only",
            "offtake.non_binding_full_coverage",
            "governance_odds_per_wgi_point",
            "timeline.years_to_first_production.occurrence",
            "timeline.started_by_years_late[1]",
            "timeline.started_by_years_late",
        ] {
            assert!(names.iter().any(|n| n == expected), "{expected}: {names:?}");
        }
        assert!(matches!(
            p.validate().unwrap_err(),
            Error::InvalidParameters { ref problems } if problems.len() == names.len()
        ));
    }

    #[test]
    fn an_early_announcement_is_pushed_back_and_the_ramp_shifted() {
        let f = facility(PROJECT);
        let a = assess_delivery(&f, &ctx(), &DeliveryParams::default()).unwrap();
        // Letter of interest: 8 typical years from 2025 -> 2033, announced 2028: 5 years early.
        assert_eq!(a.announced_start_year, Some(2028));
        assert_eq!(a.expected_start_year, Some(2033));
        assert_eq!(a.delay_years, 5);
        assert!(a.capacity_by_year.iter().all(|y| y.scheduled.is_zero()));
        assert!(
            a.probability_by_year
                .iter()
                .all(|y| y.probability == Share::ZERO)
        );
        let t = a.explanation.as_ref().unwrap().factor("timeline").unwrap();
        assert_eq!(t.weight, d("0.5")); // 0.85^5 = 0.4437 floored at 0.5
        assert_eq!(t.contribution, d("-0.693147180560")); // ln 0.5
        assert!(t.reason.contains("5 years earlier"), "{}", t.reason);
        // Shifted ramp: with a wider window, 250 t in 2033 and 500 t from 2034, weighted by
        // p × F: F = 0.5, 0.75, 0.9 for 2033, 2034, 2035.
        let mut c = ctx();
        c.years = 2032..=2035;
        let a = assess_delivery(&f, &c, &DeliveryParams::default()).unwrap();
        let sched: Vec<String> = a
            .capacity_by_year
            .iter()
            .map(|y| y.scheduled.value().to_string())
            .collect();
        assert_eq!(sched, vec!["0", "250", "500", "500"]);
        let p = a.probability.value();
        let by: Vec<Decimal> = a
            .probability_by_year
            .iter()
            .map(|y| y.probability.value())
            .collect();
        assert_eq!(
            by,
            vec![Decimal::ZERO, p * d("0.5"), p * d("0.75"), p * d("0.9")]
        );
        assert_eq!(
            a.capacity_by_year[2].risk_adjusted.value(),
            d("500") * (p * d("0.75"))
        );
    }

    #[test]
    fn heavy_rare_earths_and_first_of_a_kind_are_harder() {
        let light = facility(&PROJECT.replace("\"letter_of_interest\"", "\"construction\""));
        let heavy = facility(
            &PROJECT
                .replace("\"letter_of_interest\"", "\"construction\"")
                .replace("NdPr:oxide", "Dy:oxide"),
        );
        let params = DeliveryParams::default();
        let pl = assess_delivery(&light, &ctx(), &params)
            .unwrap()
            .probability;
        let ph = assess_delivery(&heavy, &ctx(), &params)
            .unwrap()
            .probability;
        assert!(ph < pl, "{ph:?} {pl:?}");
        let mut c = ctx();
        c.first_of_a_kind.insert("p".parse().unwrap());
        let pf = assess_delivery(&heavy, &c, &params).unwrap().probability;
        assert!(pf < ph);
        // Gadolinium is light under the USGS grouping and heavy under the EU 2023 one.
        let gd = facility(
            &PROJECT
                .replace("\"letter_of_interest\"", "\"construction\"")
                .replace("NdPr:oxide", "Gd:oxide"),
        );
        let usgs = assess_delivery(&gd, &ctx(), &params).unwrap();
        assert_eq!(factor_weight(&usgs, "technical difficulty"), d("0.85"));
        let mut eu = params.clone();
        eu.technical.group_convention = GroupConvention::Eu2023;
        let eu = assess_delivery(&gd, &ctx(), &eu).unwrap();
        assert_eq!(factor_weight(&eu, "technical difficulty"), d("0.6"));
        // Cracking a heavy concentrate is not called light processing.
        let cracking = facility(
            &PROJECT
                .replace("\"separation\"", "\"cracking\"")
                .replace("NdPr:oxide", "Dy:oxide"),
        );
        let a = assess_delivery(&cracking, &ctx(), &params).unwrap();
        let t = a
            .explanation
            .as_ref()
            .unwrap()
            .factor("technical difficulty")
            .unwrap();
        assert!(
            t.reason.starts_with("rare-earth cracking, heavy"),
            "{}",
            t.reason
        );
        assert!(!t.reason.contains("light"), "{}", t.reason);
    }

    #[test]
    fn offtake_financing_governance_and_base_move_the_odds() {
        let base = facility(PROJECT);
        let params = DeliveryParams::default();
        let p0 = assess_delivery(&base, &ctx(), &params)
            .unwrap()
            .probability
            .value();
        let with_offtake = facility(&PROJECT.replace(
            "\"milestones\"",
            r#""offtakes": [{"buyer": "B", "commodity": "NdPr:oxide", "tonnes_per_year": "500",
                             "binding": true}], "milestones""#,
        ));
        let a = assess_delivery(&with_offtake, &ctx(), &params).unwrap();
        assert!(a.probability.value() > p0);
        assert_eq!(factor_weight(&a, "offtake"), d("3"));
        let with_letter = facility(&PROJECT.replace(
            "\"milestones\"",
            r#""financing": [{"instrument": "letter_of_interest", "lender": "EXIM",
                              "status": "interest_letter"}], "milestones""#,
        ));
        let a = assess_delivery(&with_letter, &ctx(), &params).unwrap();
        assert_eq!(a.probability.value(), p0, "an interest letter is not money");
        let withdrawn = facility(&PROJECT.replace(
            "\"milestones\"",
            r#""financing": [{"instrument": "loan", "lender": "L", "status": "withdrawn"}],
               "milestones""#,
        ));
        let a = assess_delivery(&withdrawn, &ctx(), &params).unwrap();
        assert!(a.probability.value() < p0);
        let without = assess_delivery(&base, &ctx(), &params).unwrap();
        let g = without
            .explanation
            .as_ref()
            .unwrap()
            .factor("governance")
            .unwrap();
        assert!(g.reason.contains("data missing"), "{}", g.reason);
        let mut c = ctx();
        c.governance
            .insert("KZ".parse().unwrap(), crate::Wgi::new(d("-0.3")).unwrap());
        c.metallurgical_base.insert("KZ".parse().unwrap());
        let a = assess_delivery(&base, &c, &params).unwrap();
        assert_eq!(factor_weight(&a, "governance"), d("0.964"));
        assert_eq!(factor_weight(&a, "metallurgical base"), d("1.25"));
    }

    #[test]
    fn offtakes_count_only_when_their_term_covers_the_years_assessed() {
        let offtake = |start: &str, end: &str| {
            facility(&PROJECT.replace(
                "\"milestones\"",
                &format!(
                    r#""offtakes": [{{"buyer": "B", "commodity": "NdPr:oxide",
                        "tonnes_per_year": "1000", "binding": true,
                        "start": "{start}", "end": "{end}"}}], "milestones""#
                ),
            ))
        };
        let params = DeliveryParams::default();
        // Years assessed 2026..=2032.
        let expired = assess_delivery(&offtake("2015-01-01", "2020-12-31"), &ctx(), &params);
        assert_eq!(factor_weight(&expired.unwrap(), "offtake"), Decimal::ONE);
        let later = assess_delivery(&offtake("2040-01-01", "2050-12-31"), &ctx(), &params);
        assert_eq!(factor_weight(&later.unwrap(), "offtake"), Decimal::ONE);
        let covering = assess_delivery(&offtake("2031-01-01", "2040-12-31"), &ctx(), &params);
        let covering = covering.unwrap();
        assert_eq!(factor_weight(&covering, "offtake"), d("3"));
        let reason = &covering
            .explanation
            .as_ref()
            .unwrap()
            .factor("offtake")
            .unwrap()
            .reason;
        assert!(
            reason.contains("200% of nameplate (counted as 100%)"),
            "{reason}"
        );
    }

    #[test]
    fn negative_quantities_are_named_errors() {
        let bad = facility(&PROJECT.replace(
            "\"milestones\"",
            r#""offtakes": [{"buyer": "B", "commodity": "NdPr:oxide", "tonnes_per_year": "-5",
                             "binding": true}], "milestones""#,
        ));
        assert_eq!(
            assess_delivery(&bad, &ctx(), &DeliveryParams::default()).unwrap_err(),
            Error::NegativeQuantity {
                parameter: "facility p: offtakes[0].tonnes_per_year".into(),
                value: d("-5")
            }
        );
        let bad = facility(
            &PROJECT
                .replace(
                    "\"tonnes_per_year\": \"500\"",
                    "\"tonnes_per_year\": \"-500\"",
                )
                .replace("\"tonnes\": \"250\"", "\"tonnes\": \"-250\""),
        );
        let err = assess_delivery(&bad, &ctx(), &DeliveryParams::default()).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("2 problems"), "{text}");
        assert!(
            text.contains("facility p: capacities[0] (NdPr:oxide).ramp[0].tonnes"),
            "{text}"
        );
    }

    #[test]
    fn closed_and_bad_years() {
        let closed = facility(&PROJECT.replace("\"letter_of_interest\"", "\"closed\""));
        let a = assess_delivery(&closed, &ctx(), &DeliveryParams::default()).unwrap();
        assert_eq!(a.probability, Share::ZERO);
        assert_eq!(a.expected_start_year, None);
        assert!(a.explanation.is_none());
        let mut c = ctx();
        c.years = RangeInclusive::new(2030, 2020);
        assert!(matches!(
            assess_delivery(&closed, &c, &DeliveryParams::default()).unwrap_err(),
            Error::InvalidYears { .. }
        ));
        c.years = RangeInclusive::new(i32::MIN, i32::MAX);
        assert!(matches!(
            assess_delivery(&closed, &c, &DeliveryParams::default()).unwrap_err(),
            Error::InvalidYears { .. }
        ));
    }
}
