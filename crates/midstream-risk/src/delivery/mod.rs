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

mod evidence;
mod params;
mod schedule;

pub use params::{
    ByMaturity, DeliveryLabels, DeliveryParams, FinancingOdds, OfftakeOdds, TechnicalOdds,
    TimelineParams,
};

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};
use midstream_domain::{
    Commodity, Country, Facility, FacilityId, Maturity, Share, Stage, Tonnes, ValidDataset,
};
use serde::Serialize;

use crate::error::RiskError;
use crate::explain::{Explained, percent};
use crate::governance::GovernanceTable;

use evidence::{
    check_facility, combine, financing_evidence, governance_evidence, log_odds, maturity_reason,
    metallurgical_base_evidence, offtake_evidence, technical_evidence, timeline_evidence,
};
use schedule::schedule;

/// Longest year range a delivery assessment reports, and the most typical years accepted for
/// one maturity (or for the extra years of a mine). A century is beyond any planning horizon;
/// the bound keeps a mistyped range (`2025..=20250`) from producing a million rows and keeps
/// year arithmetic far from overflow.
pub const MAX_YEARS: i32 = 100;

/// Decimals the log-odds contributions are rounded to (computed in `f64`, like the USGS
/// geometric mean): far finer than any probability a report shows.
const LOG_DECIMALS: u32 = 12;

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

/// What an assessment makes of a facility, by its probability against [`DeliveryLabels`].
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryVerdict {
    /// Below [`DeliveryLabels::signal_below`]: "a signal, not supply".
    Signal,
    /// Between the two labels: "possible supply".
    PossibleSupply,
    /// From [`DeliveryLabels::supply_from`] on: "supply".
    Supply,
}

impl std::fmt::Display for DeliveryVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Signal => "a signal, not supply",
            Self::PossibleSupply => "possible supply",
            Self::Supply => "supply",
        })
    }
}

/// The capacity a delivery summary names: the facility's first by commodity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct NamedCapacity {
    /// The commodity.
    pub commodity: Commodity,
    /// Tonnes per year, as the record states them.
    pub tonnes_per_year: Tonnes,
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
    /// Signal or supply.
    pub verdict: DeliveryVerdict,
    /// Why the base probability is what it is: the maturity's reason, in words.
    pub basis: String,
    /// The capacity the summary names (the facility's first by commodity), if it has one.
    pub nameplate: Option<NamedCapacity>,
    /// One line for reports: the facility, then [`DeliveryAssessment::describe`] with the
    /// nameplate.
    pub summary: String,
}

impl DeliveryAssessment {
    /// The assessment in words, without the facility's id: verdict, chance, basis, the
    /// nameplate if `nameplate` (a table with its own capacity column leaves it out: it names
    /// one commodity, maybe not the table's) and the expected start.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use midstream_domain::Facility;
    /// use midstream_risk::{DeliveryContext, DeliveryParams, assess_delivery};
    /// let plant: Facility = serde_json::from_str(r#"{"id": "mk-sep", "name": "Separator",
    ///     "country": "MY", "stage": "separation", "maturity": "operating",
    ///     "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "10000"}]}"#)?;
    /// let ctx = DeliveryContext::new(NaiveDate::from_ymd_opt(2025, 1, 1).ok_or("date")?,
    ///                                2025..=2030);
    /// let a = assess_delivery(&plant, &ctx, &DeliveryParams::default())?;
    /// assert_eq!(a.summary, format!("mk-sep: {}", a.describe(true)));
    /// assert!(!a.describe(false).contains("nameplate"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn describe(&self, nameplate: bool) -> String {
        let named = self
            .nameplate
            .as_ref()
            .filter(|_| nameplate)
            .map(|c| format!("; {} {} nameplate", c.tonnes_per_year, c.commodity))
            .unwrap_or_default();
        format!(
            "{}: {} chance to deliver ({}){named}; expected start {}",
            self.verdict,
            percent(self.probability.value()),
            self.basis,
            self.expected_start_year
                .map_or_else(|| "none".to_owned(), |y| y.to_string())
        )
    }

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
/// Any error of [`DeliveryParams::validate`]; [`RiskError::NegativeQuantity`] naming the facility
/// and field for a negative capacity, ramp step or offtake (several as
/// [`RiskError::InvalidParameters`]); [`RiskError::InvalidYears`] for an empty range or one longer
/// than [`MAX_YEARS`]; [`RiskError::Overflow`].
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
) -> Result<DeliveryAssessment, RiskError> {
    params.validate()?;
    check_facility(facility)?;
    let (from, to) = (*context.years.start(), *context.years.end());
    match to.checked_sub(from) {
        Some(span) if (0..MAX_YEARS).contains(&span) => {}
        _ => {
            return Err(RiskError::InvalidYears {
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
    let verdict = if probability.value() < params.labels.signal_below {
        DeliveryVerdict::Signal
    } else if probability.value() >= params.labels.supply_from {
        DeliveryVerdict::Supply
    } else {
        DeliveryVerdict::PossibleSupply
    };
    let nameplate = facility
        .capacities
        .iter()
        .min_by_key(|c| c.commodity)
        .map(|c| NamedCapacity {
            commodity: c.commodity,
            tonnes_per_year: c.tonnes_per_year,
        });
    let mut assessment = DeliveryAssessment {
        facility: facility.id.clone(),
        maturity,
        probability,
        announced_start_year: timing.announced,
        expected_start_year: timing.expected,
        delay_years: timing.delay,
        probability_by_year,
        capacity_by_year,
        explanation,
        verdict,
        basis: maturity_reason(maturity).to_owned(),
        nameplate,
        summary: String::new(),
    };
    assessment.summary = format!("{}: {}", facility.id, assessment.describe(true));
    Ok(assessment)
}

/// Assesses every facility of a dataset, in id order, with the dataset's `as_of` date.
///
/// # Errors
/// As [`assess_delivery`].
pub fn assess_dataset_delivery(
    data: &ValidDataset,
    context: &DeliveryContext,
    params: &DeliveryParams,
) -> Result<Vec<DeliveryAssessment>, RiskError> {
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
    use midstream_domain::GroupConvention;
    use rust_decimal::Decimal;

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
            RiskError::InvalidParameter { ref parameter, .. } if parameter == "maturity_probability.studies"
        ));
        let mut p = DeliveryParams::default();
        p.maturity_probability.operating = d("1.5");
        assert!(matches!(
            p.validate().unwrap_err(),
            RiskError::ProbabilityOutOfRange { .. }
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
                RiskError::InvalidParameter { parameter, .. } => parameter.clone(),
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
            RiskError::InvalidParameters { ref problems } if problems.len() == names.len()
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
            RiskError::NegativeQuantity {
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
            RiskError::InvalidYears { .. }
        ));
        c.years = RangeInclusive::new(i32::MIN, i32::MAX);
        assert!(matches!(
            assess_delivery(&closed, &c, &DeliveryParams::default()).unwrap_err(),
            RiskError::InvalidYears { .. }
        ));
    }
}
