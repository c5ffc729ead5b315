//! Composite scores on 0..1 (1 = riskiest) for a country, a facility and a commodity chain,
//! each a weighted sum of named factors.

use chrono::Datelike;
use midstream_domain::{
    Alignment, Commodity, Country, Facility, Overflow, RestrictionKind, Stage, ValidDataset,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::arith;
use crate::capacity::{CapacityScope, capacity_shares_by_country};
use crate::check::{check_fraction, check_weight, collect_problems, note};
use crate::concentration::Concentration;
use crate::delivery::{
    DeliveryAssessment, DeliveryContext, DeliveryParams, MAX_YEARS, assess_delivery,
};
use crate::error::RiskError;
use crate::eu::{EuParams, hhi_wgi_t};
use crate::explain::{Explained, Factor, percent, short};
use crate::governance::{GovernanceTable, TradeParameters};

/// A factor before weighting: name, value on 0..1, raw weight, reason.
struct Part {
    name: &'static str,
    value: Decimal,
    weight: Decimal,
    reason: String,
}

/// Weighted mean `Σ wᵢ vᵢ / Σ wᵢ`, computed with one division at the end; each factor's
/// contribution is its normalised weight `wᵢ / Σ w` times its value, computed separately, so
/// that the contributions add up to the score up to the 28th significant digit.
fn weighted(score: &str, parts: Vec<Part>) -> Result<Explained, RiskError> {
    const WHAT: &str = "a composite score";
    let mut problems = Vec::new();
    for p in &parts {
        note(
            &mut problems,
            check_weight(&format!("{score}.{}", p.name), p.weight),
        );
        note(
            &mut problems,
            check_fraction(&format!("{score} factor {}", p.name), p.value),
        );
    }
    collect_problems(problems)?;
    let total = arith::sum(parts.iter().map(|p| p.weight), WHAT)?;
    if total.is_zero() {
        return Err(RiskError::ZeroWeights {
            score: score.to_owned(),
        });
    }
    let mut weighted_sum = Decimal::ZERO;
    let mut factors = Vec::with_capacity(parts.len());
    for p in parts {
        weighted_sum = arith::add(weighted_sum, arith::mul(p.weight, p.value, WHAT)?, WHAT)?;
        let w = arith::div(p.weight, total, WHAT)?;
        factors.push(Factor {
            name: p.name.to_owned(),
            input: p.value,
            weight: w,
            contribution: arith::mul(w, p.value, WHAT)?,
            reason: p.reason,
        });
    }
    Ok(Explained::new(
        arith::div(weighted_sum, total, WHAT)?,
        factors,
    ))
}

/// Risk (0..1) of each alignment of a supplier as seen by the buyer. The reasons for the
/// defaults are in `docs/methodology.md` (§6.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct AlignmentRisk {
    /// An ally (default 0): it keeps supplying under stress.
    pub ally: Decimal,
    /// A partner without alliance commitments (default 0.2): supply continues, but its policy
    /// may diverge under stress.
    pub partner: Decimal,
    /// A multi-vector country (default 0.4): hedging between blocs, below non-aligned.
    pub multi_vector: Decimal,
    /// A non-aligned country (default 0.5): no commitment either way, the middle of the scale.
    pub non_aligned: Decimal,
    /// An adversary (default 1): supply can be withheld as leverage.
    pub adversary: Decimal,
    /// A country the perspective does not classify, or no perspective (default 0.5, the
    /// middle of the scale): missing data, counted as neither friend nor rival; the factor's
    /// reason says "unclassified".
    pub unclassified: Decimal,
}

impl Default for AlignmentRisk {
    fn default() -> Self {
        Self {
            ally: Decimal::ZERO,
            partner: Decimal::new(2, 1),
            multi_vector: Decimal::new(4, 1),
            non_aligned: Decimal::new(5, 1),
            adversary: Decimal::ONE,
            unclassified: Decimal::new(5, 1),
        }
    }
}

impl AlignmentRisk {
    fn get(&self, a: Option<Alignment>) -> Decimal {
        match a {
            Some(Alignment::Ally) => self.ally,
            Some(Alignment::Partner) => self.partner,
            Some(Alignment::MultiVector) => self.multi_vector,
            Some(Alignment::NonAligned) => self.non_aligned,
            Some(Alignment::Adversary) => self.adversary,
            None => self.unclassified,
        }
    }
}

/// Parameters of the country risk score. Every value lies in `[0, 1]`; restriction values are
/// ordered `export_licence <= quota <= ban`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct CountryRiskParams {
    /// Weight of governance (default 0.4).
    pub governance_weight: Decimal,
    /// Weight of alignment (default 0.3).
    pub alignment_weight: Decimal,
    /// Weight of export restrictions (default 0.3).
    pub restriction_weight: Decimal,
    /// Governance risk used when the table has no WGI estimate for the country (default 0.5,
    /// the scale's middle: missing data, guessed neither way; the factor's reason says so).
    pub missing_governance_risk: Decimal,
    /// Alignment risks.
    pub alignment_risk: AlignmentRisk,
    /// Restriction risk of an export ban (default 1): supply stops.
    pub ban: Decimal,
    /// Of a quota (default 0.7): volume is capped by the exporter, who can tighten the cap;
    /// above a licence, below a ban.
    pub quota: Decimal,
    /// Of an export licence requirement (default 0.5): supply continues case by case, but
    /// every shipment needs the exporter's approval; the middle of the scale.
    pub export_licence: Decimal,
}

impl Default for CountryRiskParams {
    fn default() -> Self {
        Self {
            governance_weight: Decimal::new(4, 1),
            alignment_weight: Decimal::new(3, 1),
            restriction_weight: Decimal::new(3, 1),
            missing_governance_risk: Decimal::new(5, 1),
            alignment_risk: AlignmentRisk::default(),
            ban: Decimal::ONE,
            quota: Decimal::new(7, 1),
            export_licence: Decimal::new(5, 1),
        }
    }
}

impl CountryRiskParams {
    /// Checks every parameter and reports every problem.
    ///
    /// # Errors
    /// [`RiskError::NegativeWeight`], [`RiskError::FractionOutOfRange`], [`RiskError::InvalidParameter`]
    /// (restriction values out of order), or [`RiskError::InvalidParameters`] listing several.
    pub fn validate(&self) -> Result<(), RiskError> {
        let mut problems = Vec::new();
        for (name, w) in [
            ("governance_weight", self.governance_weight),
            ("alignment_weight", self.alignment_weight),
            ("restriction_weight", self.restriction_weight),
        ] {
            note(&mut problems, check_weight(name, w));
        }
        let a = &self.alignment_risk;
        for (name, v) in [
            ("missing_governance_risk", self.missing_governance_risk),
            ("alignment_risk.ally", a.ally),
            ("alignment_risk.partner", a.partner),
            ("alignment_risk.multi_vector", a.multi_vector),
            ("alignment_risk.non_aligned", a.non_aligned),
            ("alignment_risk.adversary", a.adversary),
            ("alignment_risk.unclassified", a.unclassified),
            ("ban", self.ban),
            ("quota", self.quota),
            ("export_licence", self.export_licence),
        ] {
            note(&mut problems, check_fraction(name, v));
        }
        if !(self.export_licence <= self.quota && self.quota <= self.ban) {
            problems.push(RiskError::InvalidParameter {
                parameter: "quota".to_owned(),
                reason: "restriction risks must be ordered export_licence <= quota <= ban"
                    .to_owned(),
            });
        }
        collect_problems(problems)
    }
}

/// A supplier country's risk to the dataset's buyer (its perspective), 0..1: governance
/// (`(2.5 − WGI) / 5`), alignment, and the strongest export restriction the country imposes on
/// any link of the dataset; the weighted mean of the three.
///
/// Missing governance: without a WGI estimate for the country, the governance value is
/// `params.missing_governance_risk` (default 0.5, mid-scale) and the factor's reason says the
/// data was missing. A country risk is asked of every supplier, and one gap should not hide
/// the other two factors.
///
/// # Errors
/// Those of [`CountryRiskParams::validate`]; [`RiskError::ZeroWeights`].
///
/// ```
/// use midstream_domain::Dataset;
/// use midstream_risk::{country_risk, CountryRiskParams, GovernanceTable, Wgi};
/// use rust_decimal::Decimal;
///
/// let data = Dataset::from_json_str(r#"{"format_version": 1, "name": "x",
///   "as_of": "2025-12-31",
///   "perspective": {"country": "US",
///                   "alignments": [{"country": "CN", "alignment": "adversary"}]},
///   "facilities": [{"id": "cn-deposit", "name": "A deposit", "country": "CN",
///                   "stage": "mining", "maturity": "exploration"}]}"#)?
///   .validate()?;
/// let mut governance = GovernanceTable::default();
/// governance.insert("CN".parse()?, Wgi::new(Decimal::new(-33, 2))?);
/// let r = country_risk(&data, "CN".parse()?, &governance, &CountryRiskParams::default())?;
/// // 0.4 × 0.566 + 0.3 × 1 + 0.3 × 0 = 0.5264
/// assert_eq!(r.score, Decimal::new(5264, 4));
/// assert_eq!(r.contributions_sum(), r.score);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn country_risk(
    data: &ValidDataset,
    country: Country,
    governance: &GovernanceTable,
    params: &CountryRiskParams,
) -> Result<Explained, RiskError> {
    params.validate()?;
    let (gov, gov_reason) = match governance.get(country) {
        Some(w) => (
            w.risk_fraction(),
            format!(
                "WGI {} puts {country} at {} of the way from best to worst governed",
                short(w.value(), 2),
                percent(w.risk_fraction())
            ),
        ),
        None => (
            params.missing_governance_risk,
            format!(
                "no WGI estimate for {country}: governance data missing, counted as {}",
                short(params.missing_governance_risk, 3)
            ),
        ),
    };
    let alignment = data
        .perspective
        .as_ref()
        .and_then(|p| p.alignment_of(country));
    let buyer = data.perspective.as_ref().map_or_else(
        || "no buyer perspective".to_owned(),
        |p| format!("seen from {}", p.country),
    );
    let strongest = data
        .links
        .iter()
        .filter_map(|l| l.restriction.as_ref())
        .filter(|r| r.imposed_by == country)
        .map(|r| match r.kind {
            RestrictionKind::ExportLicence => (params.export_licence, "an export licence"),
            RestrictionKind::Quota => (params.quota, "a quota"),
            // A restriction kind added later counts as a ban until it is given its own value.
            _ => (params.ban, "a ban"),
        })
        .max_by_key(|(v, _)| *v);
    weighted(
        "country risk",
        vec![
            Part {
                name: "governance",
                value: gov,
                weight: params.governance_weight,
                reason: gov_reason,
            },
            Part {
                name: "alignment",
                value: params.alignment_risk.get(alignment),
                weight: params.alignment_weight,
                reason: format!(
                    "{country} is {} ({buyer})",
                    alignment.map_or("unclassified", Alignment::as_str)
                ),
            },
            Part {
                name: "export restrictions",
                value: strongest.map_or(Decimal::ZERO, |s| s.0),
                weight: params.restriction_weight,
                reason: strongest.map_or_else(
                    || format!("no export restriction by {country} in the dataset"),
                    |s| format!("{country} imposes {} on a link of the dataset", s.1),
                ),
            },
        ],
    )
}

/// Weights of the facility risk score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct FacilityRiskParams {
    /// Weight of delivery risk, `1 − p(delivery)` (default 0.6).
    pub delivery_weight: Decimal,
    /// Weight of the host country's risk (default 0.4).
    pub country_weight: Decimal,
}

impl Default for FacilityRiskParams {
    fn default() -> Self {
        Self {
            delivery_weight: Decimal::new(6, 1),
            country_weight: Decimal::new(4, 1),
        }
    }
}

/// A facility's risk as a source of supply, 0..1: its delivery risk `1 − p` and its host
/// country's risk, weighted.
///
/// # Errors
/// [`RiskError::AssessmentMismatch`] when `delivery` is not the assessment of `facility`;
/// [`RiskError::FractionOutOfRange`] for a country score outside 0..1 (a country risk is a
/// weighted mean of values in 0..1, so another value is not one);
/// [`RiskError::NegativeWeight`], [`RiskError::ZeroWeights`].
pub fn facility_risk(
    facility: &Facility,
    delivery: &DeliveryAssessment,
    country: &Explained,
    params: &FacilityRiskParams,
) -> Result<Explained, RiskError> {
    if delivery.facility != facility.id {
        return Err(RiskError::AssessmentMismatch {
            expected: facility.id.to_string(),
            found: delivery.facility.to_string(),
        });
    }
    let country_score = check_fraction(
        &format!("country risk score of {}", facility.country),
        country.score,
    )?;
    let p = delivery.probability.value();
    weighted(
        "facility risk",
        vec![
            Part {
                name: "delivery",
                value: Decimal::ONE - p,
                weight: params.delivery_weight,
                reason: format!(
                    "{} has a {} chance to deliver ({})",
                    facility.id,
                    percent(p),
                    facility.maturity
                ),
            },
            Part {
                name: "country",
                value: country_score,
                weight: params.country_weight,
                reason: format!(
                    "{} country risk {}",
                    facility.country,
                    short(country_score, 3)
                ),
            },
        ],
    )
}

/// Parameters of the chain risk score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ChainRiskParams {
    /// Weight of the bottleneck step's governance-weighted concentration (default 0.5).
    pub bottleneck_weight: Decimal,
    /// Weight of the share of the bottleneck held by adversaries (default 0.3).
    pub adversary_weight: Decimal,
    /// Weight of the pipeline discount at the bottleneck (default 0.2).
    pub pipeline_weight: Decimal,
    /// Years after the dataset's `as_of` year at which the pipeline is judged (default 5, at
    /// most [`MAX_YEARS`]): long enough for a financed project (3 typical years) or one under
    /// construction (2) to start even a year or two late, too short for a letter of interest
    /// (8); so the factor measures the relief the pipeline can bring in the medium term.
    pub pipeline_horizon_years: u32,
    /// Which facilities and figures make up current capacity.
    pub scope: CapacityScope,
    /// The delivery model for the pipeline.
    pub delivery: DeliveryParams,
}

impl Default for ChainRiskParams {
    fn default() -> Self {
        Self {
            bottleneck_weight: Decimal::new(5, 1),
            adversary_weight: Decimal::new(3, 1),
            pipeline_weight: Decimal::new(2, 1),
            pipeline_horizon_years: 5,
            scope: CapacityScope::default(),
            delivery: DeliveryParams::default(),
        }
    }
}

/// One step of a chain with its concentration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ChainStep {
    /// The stage.
    pub stage: Stage,
    /// The commodity at that stage.
    pub commodity: Commodity,
    /// `HHI_WGI` (EU form, t = 1) of country capacity shares, 0..10.
    pub hhi_wgi: Decimal,
    /// Its terms, one per country (they add up to `hhi_wgi`).
    pub hhi_wgi_explained: Explained,
    /// The country concentration.
    pub concentration: Concentration<Country>,
}

/// A commodity chain's risk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ChainRisk {
    /// The steps, in the order given.
    pub steps: Vec<ChainStep>,
    /// Index of the bottleneck step (highest `hhi_wgi`; the first on a tie).
    pub bottleneck: usize,
    /// The year the pipeline was judged at (`as_of` year + `pipeline_horizon_years`).
    pub pipeline_year: i32,
    /// The score and its factors: `bottleneck` (`hhi_wgi / 10`), `adversary share`,
    /// `pipeline discount` (the part of the bottleneck's announced project capacity that the
    /// delivery model does not expect by `pipeline_year`).
    pub explanation: Explained,
}

/// The risk of a chain of (stage, commodity) steps, e.g. mining `REO:concentrate` →
/// separation `NdPr:oxide` → metal refining `NdPr:metal`.
///
/// # Arguments
/// - `context`: governance (for `HHI_WGI` and the delivery model), metallurgical base and
///   first-of-a-kind flags. Its `as_of` and `years` are replaced by the dataset's `as_of` and
///   the pipeline year.
///
/// Missing governance is an error, as in the EU method the bottleneck factor follows: a gap
/// would silently lower `HHI_WGI`.
///
/// # Errors
/// [`RiskError::InvalidParameter`] for an empty chain or a horizon above [`MAX_YEARS`];
/// [`RiskError::NoCapacity`] for a step without capacity in scope; [`RiskError::MissingGovernance`]
/// for a supplier country without a WGI estimate; errors of [`assess_delivery`] and of the
/// weights.
pub fn chain_risk(
    data: &ValidDataset,
    chain: &[(Stage, Commodity)],
    context: &DeliveryContext,
    params: &ChainRiskParams,
) -> Result<ChainRisk, RiskError> {
    const WHAT: &str = "the chain risk";
    if chain.is_empty() {
        return Err(RiskError::InvalidParameter {
            parameter: "chain".to_owned(),
            reason: "a chain needs at least one step".to_owned(),
        });
    }
    if params.pipeline_horizon_years > MAX_YEARS.unsigned_abs() {
        return Err(RiskError::InvalidParameter {
            parameter: "pipeline_horizon_years".to_owned(),
            reason: format!("at most {MAX_YEARS}"),
        });
    }
    let pipeline_year = i32::try_from(params.pipeline_horizon_years)
        .ok()
        .and_then(|h| data.as_of.year().checked_add(h))
        .ok_or(Overflow::integer("the pipeline year"))?;
    let steps = chain
        .iter()
        .map(|(stage, commodity)| chain_step(data, *stage, commodity, context, params))
        .collect::<Result<Vec<_>, RiskError>>()?;
    // The first step with the highest HHI-WGI (ties: the earlier stage).
    let (bottleneck, b) = steps
        .iter()
        .enumerate()
        .reduce(|best, s| {
            if s.1.hhi_wgi > best.1.hhi_wgi {
                s
            } else {
                best
            }
        })
        .ok_or_else(|| RiskError::InvalidParameter {
            parameter: "chain".to_owned(),
            reason: "a chain needs at least one step".to_owned(),
        })?;
    let b_shares = capacity_shares_by_country(data, b.stage, &b.commodity, &params.scope)?;
    let adversary = b_shares
        .share_where(|c| {
            data.perspective.as_ref().and_then(|p| p.alignment_of(*c)) == Some(Alignment::Adversary)
        })?
        .value();
    let pipeline_context = DeliveryContext {
        as_of: data.as_of,
        years: pipeline_year..=pipeline_year,
        ..context.clone()
    };
    let (discount, pipeline_reason) =
        pipeline_discount(data, b, &pipeline_context, &params.delivery)?;
    let explanation = weighted(
        "chain risk",
        vec![
            Part {
                name: "bottleneck",
                // HHI_WGI <= 10: shares squared add up to at most 1, scaled WGI is at most 10.
                value: arith::div(b.hhi_wgi, Decimal::TEN, WHAT)?,
                weight: params.bottleneck_weight,
                reason: format!(
                    "{} {} is the most governance-weighted concentrated step: {}, HHI_WGI {}",
                    b.stage,
                    b.commodity,
                    b.concentration.summary(),
                    short(b.hhi_wgi, 2)
                ),
            },
            Part {
                name: "adversary share",
                value: adversary,
                weight: params.adversary_weight,
                reason: match &data.perspective {
                    Some(p) => format!(
                        "{} of {} capacity is in countries {} regards as adversaries",
                        percent(adversary),
                        b.stage,
                        p.country
                    ),
                    None => "no buyer perspective: no country is classed an adversary".to_owned(),
                },
            },
            Part {
                name: "pipeline discount",
                value: discount,
                weight: params.pipeline_weight,
                reason: pipeline_reason,
            },
        ],
    )?;
    Ok(ChainRisk {
        steps,
        bottleneck,
        pipeline_year,
        explanation,
    })
}

/// One step's country concentration and `HHI_WGI` (the EU form with `t = 1`).
fn chain_step(
    data: &ValidDataset,
    stage: Stage,
    commodity: &Commodity,
    context: &DeliveryContext,
    params: &ChainRiskParams,
) -> Result<ChainStep, RiskError> {
    let shares = capacity_shares_by_country(data, stage, commodity, &params.scope)?;
    let mut terms = Vec::new();
    let hhi_wgi = hhi_wgi_t(
        "capacity",
        &shares,
        &TradeParameters::default(),
        &context.governance,
        &EuParams::default(),
        Decimal::ONE,
        &mut terms,
    )?;
    Ok(ChainStep {
        stage,
        commodity: *commodity,
        hhi_wgi,
        hhi_wgi_explained: Explained::new(hhi_wgi, terms),
        concentration: Concentration::of(&shares)?,
    })
}

fn pipeline_discount(
    data: &ValidDataset,
    step: &ChainStep,
    context: &DeliveryContext,
    params: &DeliveryParams,
) -> Result<(Decimal, String), RiskError> {
    const WHAT: &str = "the pipeline discount";
    let year = *context.years.start();
    let mut nameplate = Decimal::ZERO;
    let mut adjusted = Decimal::ZERO;
    let mut projects: Vec<&Facility> = data
        .facilities
        .iter()
        .filter(|f| f.stage == step.stage && f.maturity.is_project())
        .filter(|f| f.capacity(&step.commodity).is_some())
        .collect();
    projects.sort_by(|a, b| a.id.cmp(&b.id));
    for f in &projects {
        let Some(c) = f.capacity(&step.commodity) else {
            continue;
        };
        nameplate = arith::add(nameplate, c.tonnes_per_year.value(), WHAT)?;
        let a = assess_delivery(f, context, params)?;
        let ra = arith::sum(
            a.capacity_by_year
                .iter()
                .filter(|y| y.commodity == step.commodity)
                .map(|y| y.risk_adjusted.value()),
            WHAT,
        )?;
        adjusted = arith::add(adjusted, ra, WHAT)?;
    }
    if nameplate.is_zero() {
        return Ok((
            Decimal::ONE,
            format!("no project at the {} step: no relief in sight", step.stage),
        ));
    }
    // Risk-adjusted capacity never exceeds nameplate in a valid dataset (a ramp step may not
    // exceed it, and the probability is at most 1); checked rather than assumed.
    let ratio = check_fraction(
        "risk-adjusted over announced pipeline capacity",
        arith::div(adjusted, nameplate, WHAT)?,
    )?;
    Ok((
        Decimal::ONE - ratio,
        format!(
            "{} project{} announce{} {} t/yr at {}; {} t/yr expected by {year} after delivery risk",
            projects.len(),
            if projects.len() == 1 { "" } else { "s" },
            if projects.len() == 1 { "s" } else { "" },
            nameplate.normalize(),
            step.stage,
            short(adjusted, 0)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Wgi;
    use midstream_domain::Dataset;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn data() -> ValidDataset {
        Dataset::from_json_str(
            r#"{
          "format_version": 1, "name": "x", "as_of": "2025-12-31",
          "perspective": {"country": "US", "alignments": [
              {"country": "CN", "alignment": "adversary"},
              {"country": "AU", "alignment": "ally"}]},
          "sources": [{"id": "s", "publisher": "P", "title": "T", "year": 2025}],
          "facilities": [
            {"id": "cn-mine", "name": "A", "country": "CN", "stage": "mining",
             "maturity": "operating", "sources": ["s"],
             "capacities": [{"commodity": "REO:concentrate", "tonnes_per_year": "600"}]},
            {"id": "au-mine", "name": "B", "country": "AU", "stage": "mining",
             "maturity": "operating", "sources": ["s"],
             "capacities": [{"commodity": "REO:concentrate", "tonnes_per_year": "400"}]},
            {"id": "cn-sep", "name": "C", "country": "CN", "stage": "separation",
             "maturity": "operating", "sources": ["s"],
             "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "900"}]},
            {"id": "au-sep", "name": "D", "country": "AU", "stage": "separation",
             "maturity": "operating", "sources": ["s"],
             "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "100"}]},
            {"id": "kz-sep", "name": "E", "country": "KZ", "stage": "separation",
             "maturity": "letter_of_interest", "sources": ["s"],
             "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "500"}]}
          ],
          "links": [{"id": "l", "from": "cn-mine", "to": "cn-sep",
                     "restriction": {"kind": "export_licence", "imposed_by": "CN"}}]
        }"#,
        )
        .unwrap()
        .validate()
        .unwrap()
    }

    fn gov() -> GovernanceTable {
        let mut g = GovernanceTable::default();
        g.insert("CN".parse().unwrap(), Wgi::new(d("-0.5")).unwrap()); // 6
        g.insert("AU".parse().unwrap(), Wgi::new(d("1.5")).unwrap()); // 2
        g.insert("KZ".parse().unwrap(), Wgi::new(d("-0.5")).unwrap());
        g
    }

    #[test]
    fn country_risk_factors() {
        let r = country_risk(
            &data(),
            "CN".parse().unwrap(),
            &gov(),
            &CountryRiskParams::default(),
        )
        .unwrap();
        // 0.4 × 0.6 + 0.3 × 1 + 0.3 × 0.5 = 0.69
        assert_eq!(r.score, d("0.69"));
        assert!(
            r.factor("export restrictions")
                .unwrap()
                .reason
                .contains("export licence")
        );
        let au = country_risk(
            &data(),
            "AU".parse().unwrap(),
            &gov(),
            &CountryRiskParams::default(),
        )
        .unwrap();
        assert_eq!(au.score, d("0.08")); // 0.4 × 0.2
        let zero = CountryRiskParams {
            governance_weight: Decimal::ZERO,
            alignment_weight: Decimal::ZERO,
            restriction_weight: Decimal::ZERO,
            ..CountryRiskParams::default()
        };
        assert!(matches!(
            country_risk(&data(), "AU".parse().unwrap(), &gov(), &zero).unwrap_err(),
            RiskError::ZeroWeights { .. }
        ));
    }

    fn context() -> DeliveryContext {
        let mut c = DeliveryContext::new(data().as_of, 2026..=2026);
        c.governance = gov();
        c
    }

    #[test]
    fn country_risk_parameters_are_checked_together() {
        let bad = CountryRiskParams {
            quota: d("1.2"),
            export_licence: d("0.9"),
            governance_weight: d("-1"),
            ..CountryRiskParams::default()
        };
        let err = country_risk(&data(), "CN".parse().unwrap(), &gov(), &bad).unwrap_err();
        assert!(
            matches!(err, RiskError::InvalidParameters { ref problems } if problems.len() == 3),
            "{err}"
        );
        let r = country_risk(
            &data(),
            "MY".parse().unwrap(),
            &GovernanceTable::default(),
            &CountryRiskParams::default(),
        )
        .unwrap();
        // No WGI (0.5, data missing), unclassified (0.5), no restriction: 0.4 × 0.5 + 0.3 × 0.5.
        assert_eq!(r.score, d("0.35"));
        let g = r.factor("governance").unwrap();
        assert!(g.reason.contains("data missing"), "{}", g.reason);
    }

    #[test]
    fn chain_risk_finds_the_bottleneck_and_discounts_the_pipeline() {
        let chain = [
            (Stage::Mining, "REO:concentrate".parse().unwrap()),
            (Stage::Separation, "NdPr:oxide".parse().unwrap()),
        ];
        let r = chain_risk(&data(), &chain, &context(), &ChainRiskParams::default()).unwrap();
        // Mining: 0.36 × 6 + 0.16 × 2 = 2.48; separation: 0.81 × 6 + 0.01 × 2 = 4.88.
        assert_eq!(r.steps[0].hhi_wgi, d("2.48"));
        assert_eq!(r.steps[1].hhi_wgi, d("4.88"));
        assert_eq!(
            r.steps[1]
                .hhi_wgi_explained
                .factor("CN capacity")
                .unwrap()
                .contribution,
            d("4.86")
        );
        assert_eq!(r.bottleneck, 1);
        // As of 2025-12-31 with the default horizon of 5 years.
        assert_eq!(r.pipeline_year, 2030);
        let e = &r.explanation;
        assert_eq!(e.factor("bottleneck").unwrap().input, d("0.488"));
        assert_eq!(e.factor("adversary share").unwrap().input, d("0.9"));
        // The letter of interest (500 t) is scheduled for 2033: nothing by 2030.
        assert_eq!(e.factor("pipeline discount").unwrap().input, Decimal::ONE);
        // 0.5 × 0.488 + 0.3 × 0.9 + 0.2 × 1 = 0.714
        assert_eq!(e.score, d("0.714"));
        assert!(e.residual().is_zero());
        // A horizon of 10 years reaches the letter's start (2033, F = 0.9 two years later).
        let long = ChainRiskParams {
            pipeline_horizon_years: 10,
            ..ChainRiskParams::default()
        };
        let r = chain_risk(&data(), &chain, &context(), &long).unwrap();
        assert_eq!(r.pipeline_year, 2035);
        let discount = r.explanation.factor("pipeline discount").unwrap().input;
        assert!(discount < Decimal::ONE && discount > d("0.9"), "{discount}");
        assert!(chain_risk(&data(), &[], &context(), &ChainRiskParams::default()).is_err());
        let mut missing = context();
        missing.governance.estimates.remove(&"AU".parse().unwrap());
        assert!(matches!(
            chain_risk(&data(), &chain, &missing, &ChainRiskParams::default()).unwrap_err(),
            RiskError::MissingGovernance { .. }
        ));
    }

    #[test]
    fn chain_risk_uses_the_context_for_the_pipeline() {
        let chain = [(Stage::Separation, "NdPr:oxide".parse().unwrap())];
        let params = ChainRiskParams {
            pipeline_horizon_years: 10,
            ..ChainRiskParams::default()
        };
        let plain = chain_risk(&data(), &chain, &context(), &params).unwrap();
        let mut with_base = context();
        with_base.metallurgical_base.insert("KZ".parse().unwrap());
        let based = chain_risk(&data(), &chain, &with_base, &params).unwrap();
        let discount = |r: &ChainRisk| r.explanation.factor("pipeline discount").unwrap().input;
        // A metallurgical base raises the project's odds, so less of the pipeline is discounted.
        assert!(discount(&based) < discount(&plain));
    }

    #[test]
    fn facility_risk_refuses_another_facilitys_assessment() {
        let set = data();
        let kz = set.facility("kz-sep").unwrap();
        let cn = set.facility("cn-sep").unwrap();
        let a = assess_delivery(cn, &context(), &DeliveryParams::default()).unwrap();
        let country =
            country_risk(&set, kz.country, &gov(), &CountryRiskParams::default()).unwrap();
        assert_eq!(
            facility_risk(kz, &a, &country, &FacilityRiskParams::default()).unwrap_err(),
            RiskError::AssessmentMismatch {
                expected: "kz-sep".into(),
                found: "cn-sep".into()
            }
        );
        let out_of_range = Explained::new(d("1.5"), vec![]);
        assert!(matches!(
            facility_risk(cn, &a, &out_of_range, &FacilityRiskParams::default()).unwrap_err(),
            RiskError::FractionOutOfRange { .. }
        ));
    }
}
