//! Supply risk: the concentration of supply weighted by governance, trade restrictions and
//! import reliance, stage by stage, and the stage that bottlenecks.

use midstream_domain::Country;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::{EuParams, EuStage, SupplyBasis};
use crate::arith;
use crate::check::{check_fraction, check_non_negative, check_positive, collect_problems, note};
use crate::error::RiskError;
use crate::explain::{Explained, Factor, percent, short};
use crate::governance::{GovernanceTable, TradeParameters};
use crate::shares::{OTHER, Shares};

/// The inputs of one stage's EU supply risk.
///
/// Reading from JSON checks the inputs ([`EuStageInputs::validate`]); the trade parameters
/// may be left out (1 everywhere).
///
/// ```
/// use midstream_risk::{EuStage, EuStageInputs};
/// let inputs: EuStageInputs = serde_json::from_str(r#"{
///     "stage": "processing",
///     "global_supply": {"unit": "fraction", "suppliers": [{"supplier": "CN", "value": "1"}]},
///     "import_reliance": "0", "end_of_life_recycling_input_rate": "0.01",
///     "substitution_index": "1"}"#)?;
/// assert_eq!(inputs.stage, EuStage::Processing);
/// assert!(serde_json::from_str::<EuStageInputs>(r#"{"stage": "processing",
///     "import_reliance": "0", "end_of_life_recycling_input_rate": "1.5",
///     "substitution_index": "1"}"#).is_err()); // no shares, and a rate above 1
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "EuStageInputsForm")]
pub struct EuStageInputs {
    /// The stage.
    pub stage: EuStage,
    /// Country shares of global supply (GS), if known.
    pub global_supply: Option<Shares<Country>>,
    /// Trade parameters on the global-supply side.
    pub global_trade: TradeParameters,
    /// Country shares of EU sourcing (EU production plus imports by origin), if known.
    pub eu_sourcing: Option<Shares<Country>>,
    /// Trade parameters on the EU-sourcing side (they may differ, e.g. 0.8 for a country with
    /// an EU trade agreement).
    pub eu_trade: TradeParameters,
    /// EU import reliance, 0..1 (see [`import_reliance`]).
    pub import_reliance: Decimal,
    /// End-of-life recycling input rate, 0..1.
    pub end_of_life_recycling_input_rate: Decimal,
    /// Substitution index for supply risk, 0..1 (1 = no substitute).
    pub substitution_index: Decimal,
}

/// The JSON form of [`EuStageInputs`], checked on conversion.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct EuStageInputsForm {
    pub(super) stage: EuStage,
    #[serde(default)]
    pub(super) global_supply: Option<Shares<Country>>,
    #[serde(default)]
    pub(super) global_trade: TradeParameters,
    #[serde(default)]
    pub(super) eu_sourcing: Option<Shares<Country>>,
    #[serde(default)]
    pub(super) eu_trade: TradeParameters,
    pub(super) import_reliance: Decimal,
    pub(super) end_of_life_recycling_input_rate: Decimal,
    pub(super) substitution_index: Decimal,
}

impl TryFrom<EuStageInputsForm> for EuStageInputs {
    type Error = RiskError;

    fn try_from(f: EuStageInputsForm) -> Result<Self, RiskError> {
        let inputs = Self {
            stage: f.stage,
            global_supply: f.global_supply,
            global_trade: f.global_trade,
            eu_sourcing: f.eu_sourcing,
            eu_trade: f.eu_trade,
            import_reliance: f.import_reliance,
            end_of_life_recycling_input_rate: f.end_of_life_recycling_input_rate,
            substitution_index: f.substitution_index,
        };
        inputs.validate()?;
        Ok(inputs)
    }
}

impl EuStageInputs {
    /// Checks every input and reports every problem: import reliance, recycling input rate and
    /// substitution index in `[0, 1]`, at least one side's shares, trade parameters positive.
    /// (The shares are checked when built.)
    ///
    /// # Errors
    /// [`RiskError::FractionOutOfRange`], [`RiskError::NoSupplyData`], [`RiskError::NotPositive`], or
    /// [`RiskError::InvalidParameters`] listing several of them.
    pub fn validate(&self) -> Result<(), RiskError> {
        let mut problems = Vec::new();
        note(
            &mut problems,
            check_fraction("import_reliance", self.import_reliance),
        );
        note(
            &mut problems,
            check_fraction(
                "end_of_life_recycling_input_rate",
                self.end_of_life_recycling_input_rate,
            ),
        );
        note(
            &mut problems,
            check_fraction("substitution_index", self.substitution_index),
        );
        if self.global_supply.is_none() && self.eu_sourcing.is_none() {
            problems.push(RiskError::NoSupplyData {
                stage: self.stage.as_str(),
            });
        }
        for trade in [&self.global_trade, &self.eu_trade] {
            for (country, t) in &trade.values {
                note(
                    &mut problems,
                    check_positive(&format!("trade parameter of {country}"), *t),
                );
            }
        }
        collect_problems(problems)
    }

    /// A stage with global-supply shares only (the EU tables' `GSonly`), `t = 1` everywhere and
    /// no import reliance.
    #[must_use]
    pub fn global_only(
        stage: EuStage,
        global_supply: Shares<Country>,
        end_of_life_recycling_input_rate: Decimal,
        substitution_index: Decimal,
    ) -> Self {
        Self {
            stage,
            global_supply: Some(global_supply),
            global_trade: TradeParameters::default(),
            eu_sourcing: None,
            eu_trade: TradeParameters::default(),
            import_reliance: Decimal::ZERO,
            end_of_life_recycling_input_rate,
            substitution_index,
        }
    }
}

/// One stage's EU supply risk with its parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct EuStageSupplyRisk {
    /// The stage.
    pub stage: EuStage,
    /// Which supply data were used.
    pub basis: SupplyBasis,
    /// `HHI_WGI,t` of global supply, if used.
    pub hhi_wgi_global: Option<Decimal>,
    /// `HHI_WGI,t` of EU sourcing, if used.
    pub hhi_wgi_eu: Option<Decimal>,
    /// The supply risk, unrounded.
    pub supply_risk: Decimal,
    /// The supply risk rounded to the thresholds' decimals, as published.
    pub rounded: Decimal,
    /// Factors: one per supplier and side (contribution before recycling and substitution),
    /// then `end-of-life recycling` and `substitution` (negative contributions).
    pub explanation: Explained,
}

/// Rounds half away from zero, as spreadsheets and the published tables do.
pub(crate) fn round_half_up(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// `HHI_WGI,t` of one side with its factors (contribution = term × `side_weight`).
pub(crate) fn hhi_wgi_t(
    side: &str,
    shares: &Shares<Country>,
    trade: &TradeParameters,
    governance: &GovernanceTable,
    params: &EuParams,
    side_weight: Decimal,
    factors: &mut Vec<Factor>,
) -> Result<Decimal, RiskError> {
    const WHAT: &str = "HHI_WGI,t";
    let mut total = Decimal::ZERO;
    for (country, share) in shares.fractions() {
        // A supplier with no share adds nothing, whatever its governance: it needs no estimate.
        if share.is_zero() {
            continue;
        }
        let wgi = governance.require(*country)?;
        let t = trade.of(*country)?;
        let multiplier = arith::mul(wgi.eu_scaled(), t, WHAT)?;
        let term = arith::mul(arith::mul(share, share, WHAT)?, multiplier, WHAT)?;
        total = arith::add(total, term, WHAT)?;
        let weight = arith::mul(multiplier, side_weight, WHAT)?;
        factors.push(Factor {
            name: format!("{country} {side}"),
            input: share,
            weight,
            contribution: arith::mul(term, side_weight, WHAT)?,
            reason: format!(
                "{country} holds {} of {side}; WGI {} scales to {} (10 = worst), t {}",
                percent(share),
                short(wgi.value(), 2),
                short(wgi.eu_scaled(), 2),
                t.normalize()
            ),
        });
    }
    let other = shares.other().value();
    if !other.is_zero() {
        let (term, weight, reason) = match params.other_supplier_wgi {
            Some(wgi) => {
                let term = arith::mul(arith::mul(other, other, WHAT)?, wgi.eu_scaled(), WHAT)?;
                (
                    term,
                    arith::mul(wgi.eu_scaled(), side_weight, WHAT)?,
                    format!(
                        "the unlisted {} of {side} counts as one supplier of WGI {}",
                        percent(other),
                        short(wgi.value(), 2)
                    ),
                )
            }
            None => (
                Decimal::ZERO,
                Decimal::ZERO,
                format!(
                    "the unlisted {} of {side} counts as many small suppliers, adding nothing",
                    percent(other)
                ),
            ),
        };
        total = arith::add(total, term, WHAT)?;
        factors.push(Factor {
            name: format!("{OTHER} {side}"),
            input: other,
            weight,
            contribution: arith::mul(term, side_weight, WHAT)?,
            reason,
        });
    }
    Ok(total)
}

/// One stage's EU supply risk:
///
/// ```text
/// SR = [ HHI_WGI,t(GS) × IR/2 + HHI_WGI,t(EUs) × (1 − IR/2) ] × (1 − EoL_RIR) × SI_SR
/// HHI_WGI,t = Σ_c S_c² × WGI_scaled,c × t_c
/// ```
///
/// With only global supply (or only EU sourcing) the bracket is that side's `HHI_WGI,t`.
///
/// # Arguments
/// - `inputs`: the stage's shares, trade parameters, import reliance, recycling and
///   substitution.
/// - `governance`: a WGI estimate for every named supplier country.
/// - `params`: the treatment of unlisted remainders and the rounding.
///
/// # Returns
/// The unrounded and rounded supply risk and its factors: one per supplier and side, whose
/// contribution is its term of the bracket (weight = `WGI_scaled × t × side weight`), then the
/// recycling and substitution reductions; they add up to the supply risk.
///
/// # Errors
/// Those of [`EuStageInputs::validate`] ([`RiskError::NoSupplyData`]; [`RiskError::FractionOutOfRange`]
/// for an import reliance, recycling rate or substitution index outside 0..1;
/// [`RiskError::NotPositive`] for a trade parameter; several at once as
/// [`RiskError::InvalidParameters`]); [`RiskError::MissingGovernance`] for a supplier country without
/// a WGI estimate: the method has no neutral value for governance, so a gap is an error.
///
/// # Example
/// The processing stage of an individual heavy rare earth (EU 2023): 100 % in China, global
/// supply only, China's scaled WGI about 5.66, end-of-life recycling input rate 1 %,
/// substitution index 1.0. This gives 5.6, the published SR of erbium, europium, holmium,
/// lutetium, thulium and ytterbium (whose `SI_SR` is 1.0). It is not the HREE group's published
/// SR, which is 5.1.
///
/// ```
/// use midstream_risk::{eu_stage_supply_risk, EuParams, EuStage, EuStageInputs,
///                      GovernanceTable, Shares, Wgi};
/// use rust_decimal::Decimal;
///
/// let cn = "CN".parse()?;
/// let mut governance = GovernanceTable::default();
/// governance.insert(cn, Wgi::new(Decimal::new(-33, 2))?); // scaled 5.66
/// let shares = Shares::from_fractions([(cn, Decimal::ONE)], None)?;
/// let inputs = EuStageInputs::global_only(
///     EuStage::Processing, shares, Decimal::new(1, 2), Decimal::ONE);
/// let sr = eu_stage_supply_risk(&inputs, &governance, &EuParams::default())?;
/// assert_eq!(sr.supply_risk, Decimal::new(56034, 4)); // 5.66 × 0.99
/// assert_eq!(sr.rounded, Decimal::new(56, 1));        // published for Er, Eu, Ho, Lu, Tm, Yb
/// assert!(sr.explanation.residual().is_zero());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn eu_stage_supply_risk(
    inputs: &EuStageInputs,
    governance: &GovernanceTable,
    params: &EuParams,
) -> Result<EuStageSupplyRisk, RiskError> {
    const WHAT: &str = "the EU supply risk";
    inputs.validate()?;
    let ir = inputs.import_reliance;
    let eol = inputs.end_of_life_recycling_input_rate;
    let si = inputs.substitution_index;
    let half_ir = ir / Decimal::TWO;
    let (basis, gs_weight, eu_weight) = match (&inputs.global_supply, &inputs.eu_sourcing) {
        (Some(_), Some(_)) => (SupplyBasis::GlobalAndEu, half_ir, Decimal::ONE - half_ir),
        (Some(_), None) => (SupplyBasis::GlobalOnly, Decimal::ONE, Decimal::ZERO),
        (None, Some(_)) => (SupplyBasis::EuOnly, Decimal::ZERO, Decimal::ONE),
        (None, None) => {
            return Err(RiskError::NoSupplyData {
                stage: inputs.stage.as_str(),
            });
        }
    };
    let mut factors = Vec::new();
    let hhi_wgi_global = inputs
        .global_supply
        .as_ref()
        .map(|s| {
            hhi_wgi_t(
                "global supply",
                s,
                &inputs.global_trade,
                governance,
                params,
                gs_weight,
                &mut factors,
            )
        })
        .transpose()?;
    let hhi_wgi_eu = inputs
        .eu_sourcing
        .as_ref()
        .map(|s| {
            hhi_wgi_t(
                "EU sourcing",
                s,
                &inputs.eu_trade,
                governance,
                params,
                eu_weight,
                &mut factors,
            )
        })
        .transpose()?;
    let blended = arith::add(
        arith::mul(hhi_wgi_global.unwrap_or_default(), gs_weight, WHAT)?,
        arith::mul(hhi_wgi_eu.unwrap_or_default(), eu_weight, WHAT)?,
        WHAT,
    )?;
    let supply_risk = arith::mul(arith::mul(blended, Decimal::ONE - eol, WHAT)?, si, WHAT)?;
    factors.push(Factor {
        name: "end-of-life recycling".to_owned(),
        input: eol,
        weight: -blended,
        contribution: -arith::mul(blended, eol, WHAT)?,
        reason: format!(
            "recycled scrap supplies {} of EU input, scaling supply risk by {}",
            percent(eol),
            (Decimal::ONE - eol).normalize()
        ),
    });
    let after_recycling = arith::mul(blended, Decimal::ONE - eol, WHAT)?;
    factors.push(Factor {
        name: "substitution".to_owned(),
        input: si,
        weight: -after_recycling,
        contribution: -arith::mul(after_recycling, Decimal::ONE - si, WHAT)?,
        reason: if si == Decimal::ONE {
            "no substitute lowers the risk (substitution index 1)".to_owned()
        } else {
            format!(
                "substitutes lower the risk: substitution index {}",
                si.normalize()
            )
        },
    });
    Ok(EuStageSupplyRisk {
        stage: inputs.stage,
        basis,
        hhi_wgi_global,
        hhi_wgi_eu,
        supply_risk,
        rounded: round_half_up(supply_risk, params.thresholds.decimals),
        explanation: Explained::new(supply_risk, factors),
    })
}

/// EU import reliance `(import − export) / (domestic production + import − export)`, 0 for a
/// net exporter.
///
/// # Errors
/// [`RiskError::NegativeQuantity`] for a negative flow; [`RiskError::NotPositive`] when apparent
/// consumption (the denominator) is zero or below.
///
/// ```
/// use midstream_risk::import_reliance;
/// use rust_decimal::Decimal;
/// let ir = import_reliance(Decimal::from(20), Decimal::from(90), Decimal::from(10))?;
/// assert_eq!(ir, Decimal::new(8, 1)); // 80 / 100
/// assert_eq!(import_reliance(Decimal::from(50), Decimal::from(5), Decimal::from(20))?,
///            Decimal::ZERO);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn import_reliance(
    domestic_production: Decimal,
    imports: Decimal,
    exports: Decimal,
) -> Result<Decimal, RiskError> {
    const WHAT: &str = "import reliance";
    check_non_negative("domestic_production", domestic_production)?;
    check_non_negative("imports", imports)?;
    check_non_negative("exports", exports)?;
    let net = arith::sub(imports, exports, WHAT)?;
    let consumption = arith::add(domestic_production, net, WHAT)?;
    check_positive("apparent consumption", consumption)?;
    if net <= Decimal::ZERO {
        return Ok(Decimal::ZERO);
    }
    arith::div(net, consumption, WHAT)
}

/// The stage the EU method reports: the one with the higher supply risk; on an exact tie,
/// extraction. `None` when neither stage was assessed.
///
/// ```
/// use midstream_risk::{bottleneck_stage, EuStage};
/// use rust_decimal::Decimal;
/// // Titanium metal, EU 2023: extraction 0.5, processing 1.6.
/// assert_eq!(bottleneck_stage(Some(Decimal::new(5, 1)), Some(Decimal::new(16, 1))),
///            Some((EuStage::Processing, Decimal::new(16, 1))));
/// ```
#[must_use]
pub fn bottleneck_stage(
    extraction: Option<Decimal>,
    processing: Option<Decimal>,
) -> Option<(EuStage, Decimal)> {
    match (extraction, processing) {
        (Some(e), Some(p)) if p > e => Some((EuStage::Processing, p)),
        (Some(e), _) => Some((EuStage::Extraction, e)),
        (None, Some(p)) => Some((EuStage::Processing, p)),
        (None, None) => None,
    }
}

/// A material's EU supply risk: the higher of its stages (the bottleneck rule).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct EuSupplyRisk {
    /// The stage reported.
    pub bottleneck: EuStage,
    /// Its supply risk, unrounded.
    pub supply_risk: Decimal,
    /// Rounded as published.
    pub rounded: Decimal,
    /// Every stage assessed, extraction first.
    pub stages: Vec<EuStageSupplyRisk>,
    /// One line saying which stage and why.
    pub reason: String,
}

impl EuSupplyRisk {
    /// Applies the bottleneck rule to the stages assessed (at most one per stage).
    ///
    /// # Errors
    /// [`RiskError::NoSupplyData`] when `stages` is empty; [`RiskError::InvalidParameter`] when a stage
    /// appears twice.
    pub fn from_stages(mut stages: Vec<EuStageSupplyRisk>) -> Result<Self, RiskError> {
        stages.sort_by_key(|s| s.stage);
        if let Some(twice) = stages.windows(2).find_map(|pair| match pair {
            [a, b] if a.stage == b.stage => Some(a.stage),
            _ => None,
        }) {
            return Err(RiskError::InvalidParameter {
                parameter: "stages".to_owned(),
                reason: format!("the {twice} stage is given twice"),
            });
        }
        let value = |stage: EuStage| {
            stages
                .iter()
                .find(|s| s.stage == stage)
                .map(|s| s.supply_risk)
        };
        let (bottleneck, supply_risk) =
            bottleneck_stage(value(EuStage::Extraction), value(EuStage::Processing)).ok_or(
                RiskError::NoSupplyData {
                    stage: "extraction or processing",
                },
            )?;
        let rounded = stages
            .iter()
            .find(|s| s.stage == bottleneck)
            .map_or(supply_risk, |s| s.rounded);
        let reason = match stages.len() {
            1 => format!("only the {bottleneck} stage was assessed"),
            _ => format!(
                "{bottleneck} is the bottleneck: its supply risk {} is the higher of the two",
                short(supply_risk, 2)
            ),
        };
        Ok(Self {
            bottleneck,
            supply_risk,
            rounded,
            stages,
            reason,
        })
    }

    /// The bottleneck stage's explanation.
    #[must_use]
    pub fn explanation(&self) -> Option<&Explained> {
        self.stages
            .iter()
            .find(|s| s.stage == self.bottleneck)
            .map(|s| &s.explanation)
    }
}
