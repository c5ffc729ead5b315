//! The parameters of the delivery model: base probabilities by maturity, the likelihood
//! ratios of each kind of evidence, the timeline and start-delay distribution, and their checks.

use midstream_domain::{FinancingStatus, GroupConvention, Maturity};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::check::{check_probability, collect_problems, note};
use crate::error::RiskError;

use super::MAX_YEARS;

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
    pub(super) fn get(&self, status: FinancingStatus) -> Decimal {
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
pub(super) fn invalid(parameter: &str, reason: &str) -> RiskError {
    RiskError::InvalidParameter {
        parameter: parameter.to_owned(),
        reason: reason.to_owned(),
    }
}

/// Checks that a penalty ratio lies in `(0, 1]`.
pub(super) fn check_penalty(parameter: &str, value: Decimal) -> Result<(), RiskError> {
    if value <= Decimal::ZERO || value > Decimal::ONE {
        return Err(invalid(
            parameter,
            &format!("is {value}; a penalty must lie in (0, 1]"),
        ));
    }
    Ok(())
}

/// Checks that a ratio for favourable evidence is at least 1.
pub(super) fn check_support(parameter: &str, value: Decimal) -> Result<(), RiskError> {
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
    pub fn problems(&self) -> Vec<RiskError> {
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
    pub(super) fn ratio_problems(&self) -> Vec<RiskError> {
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
    /// The one problem found ([`RiskError::ProbabilityOutOfRange`], [`RiskError::InvalidParameter`]),
    /// or [`RiskError::InvalidParameters`] listing all of them.
    pub fn validate(&self) -> Result<(), RiskError> {
        collect_problems(self.problems())
    }
}

/// Problems with a start-delay distribution.
pub(super) fn start_delay_problems(cumulative: &[Decimal]) -> Vec<RiskError> {
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
