//! The EU critical raw materials method (EC 2017 guidelines, used for the 2017, 2020 and 2023
//! lists, codified in Regulation (EU) 2024/1252 Annex II): supply risk, economic importance and
//! the criticality test.

use std::fmt;

use midstream_domain::Country;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::{
    Error, arith, check_fraction, check_non_negative, check_positive, collect_problems, note,
};
use crate::explain::{Explained, Factor, percent, short};
use crate::governance::{GovernanceTable, TradeParameters, Wgi};
use crate::shares::{OTHER, Shares};

/// The two stages the EU method assesses separately.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EuStage {
    /// Extraction (mining).
    Extraction,
    /// Processing (refining, separation).
    Processing,
}

impl EuStage {
    /// `extraction` or `processing`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            EuStage::Extraction => "extraction",
            EuStage::Processing => "processing",
        }
    }
}

impl fmt::Display for EuStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which supply data a stage's supply risk was computed from (the EU 2023 tables' `GS+EU`,
/// `GSonly`, `EUonly`).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SupplyBasis {
    /// Global supply and EU sourcing, blended by import reliance.
    GlobalAndEu,
    /// Global supply only.
    GlobalOnly,
    /// EU sourcing only.
    EuOnly,
}

/// Method parameters of the EU supply-risk and criticality computation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct EuParams {
    /// Governance assumed for the unnamed remainder of a share table. `None` (the default):
    /// the remainder is many small suppliers and adds nothing to `HHI_WGI,t`, a lower bound;
    /// `Some(w)`: it counts as one supplier with governance `w` and `t = 1`.
    pub other_supplier_wgi: Option<Wgi>,
    /// The criticality thresholds.
    pub thresholds: EuThresholds,
}

/// The EU criticality thresholds and the rounding applied before comparing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct EuThresholds {
    /// Supply risk at or above which a material may be critical (default 1.0).
    pub supply_risk: Decimal,
    /// Economic importance at or above which a material may be critical (default 2.8).
    pub economic_importance: Decimal,
    /// Decimals both scores are rounded to (half away from zero) before comparing (default 1).
    pub decimals: u32,
}

impl Default for EuThresholds {
    fn default() -> Self {
        Self {
            supply_risk: Decimal::ONE,
            economic_importance: Decimal::new(28, 1),
            decimals: 1,
        }
    }
}

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
struct EuStageInputsForm {
    stage: EuStage,
    #[serde(default)]
    global_supply: Option<Shares<Country>>,
    #[serde(default)]
    global_trade: TradeParameters,
    #[serde(default)]
    eu_sourcing: Option<Shares<Country>>,
    #[serde(default)]
    eu_trade: TradeParameters,
    import_reliance: Decimal,
    end_of_life_recycling_input_rate: Decimal,
    substitution_index: Decimal,
}

impl TryFrom<EuStageInputsForm> for EuStageInputs {
    type Error = Error;

    fn try_from(f: EuStageInputsForm) -> Result<Self, Error> {
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
    /// [`Error::FractionOutOfRange`], [`Error::NoSupplyData`], [`Error::NotPositive`], or
    /// [`Error::InvalidParameters`] listing several of them.
    pub fn validate(&self) -> Result<(), Error> {
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
            problems.push(Error::NoSupplyData {
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
) -> Result<Decimal, Error> {
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
/// Those of [`EuStageInputs::validate`] ([`Error::NoSupplyData`]; [`Error::FractionOutOfRange`]
/// for an import reliance, recycling rate or substitution index outside 0..1;
/// [`Error::NotPositive`] for a trade parameter; several at once as
/// [`Error::InvalidParameters`]); [`Error::MissingGovernance`] for a supplier country without
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
) -> Result<EuStageSupplyRisk, Error> {
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
            return Err(Error::NoSupplyData {
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
/// [`Error::NegativeQuantity`] for a negative flow; [`Error::NotPositive`] when apparent
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
) -> Result<Decimal, Error> {
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
    /// [`Error::NoSupplyData`] when `stages` is empty; [`Error::InvalidParameter`] when a stage
    /// appears twice.
    pub fn from_stages(mut stages: Vec<EuStageSupplyRisk>) -> Result<Self, Error> {
        stages.sort_by_key(|s| s.stage);
        if let Some(twice) = stages.windows(2).find_map(|pair| match pair {
            [a, b] if a.stage == b.stage => Some(a.stage),
            _ => None,
        }) {
            return Err(Error::InvalidParameter {
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
                Error::NoSupplyData {
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

/// How economic importance is scaled to 0..10: `EI = Σ A_s·Q_s × 10 / N × SI_EI`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EiNormaliser {
    /// `N` = the largest value added among the sectors given (the form of the secondary
    /// implementation the reference cites).
    LargestGivenSector,
    /// `N` = a given value added, e.g. that of the largest NACE Rev.2 manufacturing sector
    /// (the guidelines' form as remembered, unverified), in the units of the sectors' values.
    ValueAdded(Decimal),
}

/// One end-use sector of a material.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SectorUse {
    /// The NACE Rev.2 2-digit sector, e.g. `C29`.
    pub sector: String,
    /// `A_s`: the share of the material's end use in this sector, 0..1.
    pub end_use_share: Decimal,
    /// `Q_s`: the sector's value added (money, or a share of the economy; one unit for all).
    pub value_added: Decimal,
}

/// The inputs of the EU economic importance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EiInputs {
    /// End uses by sector; shares add up to 1 with `unallocated_share`.
    pub sectors: Vec<SectorUse>,
    /// End use not allocated to a sector (adds nothing).
    #[serde(default)]
    pub unallocated_share: Option<Decimal>,
    /// Substitution index for economic importance, 0..1.
    pub substitution_index: Decimal,
    /// The scaling to 0..10.
    pub normaliser: EiNormaliser,
}

/// An economic importance with its factors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct EconomicImportance {
    /// The value, unrounded.
    pub value: Decimal,
    /// Rounded to the thresholds' decimals.
    pub rounded: Decimal,
    /// One factor per sector: input `A_s`, weight `Q_s × 10 / N × SI_EI`.
    pub explanation: Explained,
}

/// The EU economic importance `EI = Σ_s (A_s × Q_s) × 10 / N × SI_EI`.
///
/// # Errors
/// Share errors of [`Shares::from_fractions`] for the end-use shares;
/// [`Error::NegativeQuantity`] for a negative value added; [`Error::NotPositive`] for a
/// normaliser of zero; [`Error::FractionOutOfRange`] for the substitution index.
///
/// ```
/// use midstream_risk::{economic_importance, EiInputs, EiNormaliser, EuThresholds, SectorUse};
/// use rust_decimal::Decimal;
/// let inputs = EiInputs {
///     sectors: vec![
///         SectorUse { sector: "C29".into(), end_use_share: Decimal::new(6, 1),
///                     value_added: Decimal::from(200) },
///         SectorUse { sector: "C27".into(), end_use_share: Decimal::new(4, 1),
///                     value_added: Decimal::from(100) },
///     ],
///     unallocated_share: None,
///     substitution_index: Decimal::new(9, 1),
///     normaliser: EiNormaliser::ValueAdded(Decimal::from(250)),
/// };
/// let ei = economic_importance(&inputs, &EuThresholds::default())?;
/// // (0.6 × 200 + 0.4 × 100) × 10 / 250 × 0.9 = 5.76
/// assert_eq!(ei.value, Decimal::new(576, 2));
/// assert_eq!(ei.rounded, Decimal::new(58, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn economic_importance(
    inputs: &EiInputs,
    thresholds: &EuThresholds,
) -> Result<EconomicImportance, Error> {
    const WHAT: &str = "the economic importance";
    let si = check_fraction("substitution_index", inputs.substitution_index)?;
    let shares = Shares::from_fractions(
        inputs
            .sectors
            .iter()
            .map(|s| (s.sector.clone(), s.end_use_share)),
        inputs.unallocated_share,
    )?;
    for s in &inputs.sectors {
        check_non_negative(&format!("value_added of {}", s.sector), s.value_added)?;
    }
    let normaliser = match &inputs.normaliser {
        EiNormaliser::LargestGivenSector => inputs
            .sectors
            .iter()
            .map(|s| s.value_added)
            .max()
            .unwrap_or_default(),
        EiNormaliser::ValueAdded(v) => *v,
    };
    check_positive("the EI normaliser (value added)", normaliser)?;
    let scale = arith::div(arith::mul(Decimal::TEN, si, WHAT)?, normaliser, WHAT)?;
    let mut weighted = Decimal::ZERO;
    let mut factors = Vec::with_capacity(inputs.sectors.len());
    for supplier in shares.suppliers() {
        let Some(sector) = inputs
            .sectors
            .iter()
            .find(|s| s.sector == supplier.supplier)
        else {
            continue;
        };
        let a = supplier.share.value();
        let aq = arith::mul(a, sector.value_added, WHAT)?;
        weighted = arith::add(weighted, aq, WHAT)?;
        factors.push(Factor {
            name: sector.sector.clone(),
            input: a,
            weight: arith::mul(sector.value_added, scale, WHAT)?,
            contribution: arith::mul(aq, scale, WHAT)?,
            reason: format!(
                "{} of end use is in sector {} (value added {})",
                percent(a),
                sector.sector,
                sector.value_added.normalize()
            ),
        });
    }
    let value = arith::mul(weighted, scale, WHAT)?;
    Ok(EconomicImportance {
        value,
        rounded: round_half_up(value, thresholds.decimals),
        explanation: Explained::new(value, factors),
    })
}

/// The EU threshold test of one material: whether its scores make it critical by the method.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Criticality {
    /// Supply risk after rounding.
    pub supply_risk: Decimal,
    /// Economic importance after rounding.
    pub economic_importance: Decimal,
    /// Whether both thresholds are met ("critical by the method"). This is not the same as
    /// being on the legal list: see [`assess_criticality`].
    pub meets_thresholds: bool,
    /// One line saying why.
    pub reason: String,
}

/// The criticality test of the EU method: a material meets it when its rounded supply risk and
/// economic importance both reach their thresholds (default SR ≥ 1.0 and EI ≥ 2.8).
///
/// Meeting the thresholds makes a material critical *by the method*. The legal list of
/// Regulation (EU) 2024/1252 (Annex II, Section 1) is not only that: every strategic raw
/// material (Annex I, Section 1) is put on the critical list by a separate rule, whatever its
/// scores. Copper and nickel are on the list that way, although their EU 2023 supply risks
/// (0.1 and 0.5) are below 1.0. This function computes only the threshold test; list
/// membership needs the strategic list, which is data (see `docs/methodology.md`).
///
/// # Errors
/// [`Error::NegativeQuantity`] for a negative supply risk or economic importance (neither
/// formula can produce one).
///
/// ```
/// use midstream_risk::{assess_criticality, EuThresholds};
/// use rust_decimal::Decimal;
/// let t = EuThresholds::default();
/// // EU 2023: titanium metal (SR 1.6, EI 6.3) meets the thresholds, titanium (SR 0.5, EI 5.4)
/// // does not.
/// assert!(assess_criticality(Decimal::new(16, 1), Decimal::new(63, 1), &t)?.meets_thresholds);
/// assert!(!assess_criticality(Decimal::new(5, 1), Decimal::new(54, 1), &t)?.meets_thresholds);
/// assert!(assess_criticality(Decimal::new(-1, 1), Decimal::ONE, &t).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn assess_criticality(
    supply_risk: Decimal,
    economic_importance: Decimal,
    thresholds: &EuThresholds,
) -> Result<Criticality, Error> {
    let mut problems = Vec::new();
    note(
        &mut problems,
        check_non_negative("supply_risk", supply_risk),
    );
    note(
        &mut problems,
        check_non_negative("economic_importance", economic_importance),
    );
    collect_problems(problems)?;
    let sr = round_half_up(supply_risk, thresholds.decimals);
    let ei = round_half_up(economic_importance, thresholds.decimals);
    let sr_ok = sr >= thresholds.supply_risk;
    let ei_ok = ei >= thresholds.economic_importance;
    let cmp = |ok: bool| if ok { ">=" } else { "<" };
    let reason = format!(
        "{}: SR {} {} {} and EI {} {} {}",
        if sr_ok && ei_ok {
            "meets the thresholds"
        } else {
            "below the thresholds"
        },
        sr.normalize(),
        cmp(sr_ok),
        thresholds.supply_risk.normalize(),
        ei.normalize(),
        cmp(ei_ok),
        thresholds.economic_importance.normalize()
    );
    Ok(Criticality {
        supply_risk: sr,
        economic_importance: ei,
        meets_thresholds: sr_ok && ei_ok,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn c(code: &str) -> Country {
        code.parse().unwrap()
    }

    #[test]
    fn blend_by_import_reliance_and_factor_sum() {
        let mut gov = GovernanceTable::default();
        gov.insert(c("CN"), Wgi::new(d("-0.33")).unwrap()); // 5.66
        gov.insert(c("NO"), Wgi::new(d("1.7")).unwrap()); // 1.6
        let inputs = EuStageInputs {
            stage: EuStage::Processing,
            global_supply: Some(Shares::from_fractions([(c("CN"), Decimal::ONE)], None).unwrap()),
            global_trade: TradeParameters::new([(c("CN"), d("1.1"))]).unwrap(),
            eu_sourcing: Some(
                Shares::from_fractions([(c("CN"), d("0.5")), (c("NO"), d("0.5"))], None).unwrap(),
            ),
            eu_trade: TradeParameters::new([(c("NO"), d("0.8"))]).unwrap(),
            import_reliance: d("0.6"),
            end_of_life_recycling_input_rate: d("0.1"),
            substitution_index: d("0.9"),
        };
        let sr = eu_stage_supply_risk(&inputs, &gov, &EuParams::default()).unwrap();
        // GS: 1 × 5.66 × 1.1 = 6.226; EU: 0.25 × 5.66 + 0.25 × 1.6 × 0.8 = 1.415 + 0.32 = 1.735
        assert_eq!(sr.hhi_wgi_global, Some(d("6.226")));
        assert_eq!(sr.hhi_wgi_eu, Some(d("1.735")));
        // (6.226 × 0.3 + 1.735 × 0.7) × 0.9 × 0.9 = (1.8678 + 1.2145) × 0.81 = 2.496663
        assert_eq!(sr.supply_risk, d("2.496663"));
        assert_eq!(sr.rounded, d("2.5"));
        assert_eq!(sr.basis, SupplyBasis::GlobalAndEu);
        assert!(sr.explanation.residual().is_zero(), "{}", sr.explanation);
        let no = sr.explanation.factor("NO EU sourcing").unwrap();
        assert_eq!(no.contribution, d("0.224")); // 0.25 × 1.6 × 0.8 × 0.7
    }

    #[test]
    fn inputs_round_trip_through_json_and_are_checked_on_reading() {
        let inputs = EuStageInputs {
            stage: EuStage::Extraction,
            global_supply: Some(
                Shares::from_percent([(c("CN"), d("70")), (c("AU"), d("20"))], Some(d("10")))
                    .unwrap(),
            ),
            global_trade: TradeParameters::new([(c("CN"), d("1.1"))]).unwrap(),
            eu_sourcing: Some(Shares::from_amounts([(c("NO"), d("5"))], None).unwrap()),
            eu_trade: TradeParameters::new([(c("NO"), d("0.8"))]).unwrap(),
            import_reliance: d("0.6"),
            end_of_life_recycling_input_rate: d("0.1"),
            substitution_index: d("0.9"),
        };
        let json = serde_json::to_string(&inputs).unwrap();
        let back: EuStageInputs = serde_json::from_str(&json).unwrap();
        assert_eq!(back, inputs);
        let bad = json
            .replace("\"0.8\"", "\"-0.8\"")
            .replace("\"0.6\"", "\"6\"");
        let err = serde_json::from_str::<EuStageInputs>(&bad).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("2 problems"), "{text}");
        assert!(text.contains("import_reliance is 6"), "{text}");
        assert!(text.contains("trade parameter of NO"), "{text}");
    }

    #[test]
    fn missing_data_and_bad_fractions_are_errors() {
        let gov = GovernanceTable::default();
        let mut inputs = EuStageInputs::global_only(
            EuStage::Extraction,
            Shares::from_fractions([(c("BR"), Decimal::ONE)], None).unwrap(),
            Decimal::ZERO,
            Decimal::ONE,
        );
        assert_eq!(
            eu_stage_supply_risk(&inputs, &gov, &EuParams::default()).unwrap_err(),
            Error::MissingGovernance { country: c("BR") }
        );
        inputs.substitution_index = d("1.2");
        assert!(matches!(
            eu_stage_supply_risk(&inputs, &gov, &EuParams::default()).unwrap_err(),
            Error::FractionOutOfRange { ref parameter, .. } if parameter == "substitution_index"
        ));
        inputs.substitution_index = Decimal::ONE;
        inputs.global_supply = None;
        assert_eq!(
            eu_stage_supply_risk(&inputs, &gov, &EuParams::default()).unwrap_err(),
            Error::NoSupplyData {
                stage: "extraction"
            }
        );
    }

    #[test]
    fn remainder_treatment() {
        let mut gov = GovernanceTable::default();
        gov.insert(c("CN"), Wgi::new(d("-0.5")).unwrap()); // 6
        let shares = Shares::from_fractions([(c("CN"), d("0.8"))], Some(d("0.2"))).unwrap();
        let inputs =
            EuStageInputs::global_only(EuStage::Extraction, shares, Decimal::ZERO, Decimal::ONE);
        let low = eu_stage_supply_risk(&inputs, &gov, &EuParams::default()).unwrap();
        assert_eq!(low.supply_risk, d("3.84"));
        let params = EuParams {
            other_supplier_wgi: Some(Wgi::new(Decimal::ZERO).unwrap()), // 5
            ..EuParams::default()
        };
        let high = eu_stage_supply_risk(&inputs, &gov, &params).unwrap();
        assert_eq!(high.supply_risk, d("4.04")); // + 0.04 × 5
        assert!(high.explanation.residual().is_zero());
    }

    #[test]
    fn bottleneck_prefers_the_higher_then_extraction() {
        assert_eq!(
            bottleneck_stage(Some(d("0.1")), Some(d("0.1"))),
            Some((EuStage::Extraction, d("0.1")))
        );
        assert_eq!(
            bottleneck_stage(None, Some(d("3.9"))),
            Some((EuStage::Processing, d("3.9")))
        );
        assert_eq!(bottleneck_stage(None, None), None);
        assert!(EuSupplyRisk::from_stages(vec![]).is_err());
    }

    #[test]
    fn rounding_is_half_away_from_zero_before_the_thresholds() {
        let t = EuThresholds::default();
        let meets = |sr: &str, ei: &str| assess_criticality(d(sr), d(ei), &t).unwrap();
        // 0.95 rounds to 1.0 and 2.75 to 2.8: both thresholds met.
        assert!(meets("0.95", "2.75").meets_thresholds);
        // Half away from zero, not to even: 0.25 -> 0.3 (banker's rounding would give 0.2).
        assert_eq!(round_half_up(d("0.25"), 1), d("0.3"));
        assert!(!meets("0.949", "5").meets_thresholds);
        assert!(!meets("3", "2.749").meets_thresholds);
        let r = meets("0.1", "4.0");
        assert_eq!(r.reason, "below the thresholds: SR 0.1 < 1 and EI 4 >= 2.8");
        let err = assess_criticality(d("-0.1"), d("-2"), &t).unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameters { ref problems } if problems.len() == 2),
            "{err}"
        );
    }

    #[test]
    fn import_reliance_bounds() {
        assert!(import_reliance(d("0"), d("0"), d("0")).is_err());
        assert!(import_reliance(d("-1"), d("5"), d("0")).is_err());
        assert_eq!(
            import_reliance(d("0"), d("5"), d("0")).unwrap(),
            Decimal::ONE
        );
    }

    #[test]
    fn economic_importance_largest_sector_normaliser() {
        let inputs = EiInputs {
            sectors: vec![
                SectorUse {
                    sector: "C29".into(),
                    end_use_share: d("0.5"),
                    value_added: d("100"),
                },
                SectorUse {
                    sector: "C28".into(),
                    end_use_share: d("0.3"),
                    value_added: d("50"),
                },
            ],
            unallocated_share: Some(d("0.2")),
            substitution_index: Decimal::ONE,
            normaliser: EiNormaliser::LargestGivenSector,
        };
        let ei = economic_importance(&inputs, &EuThresholds::default()).unwrap();
        // (50 + 15) × 10 / 100 = 6.5
        assert_eq!(ei.value, d("6.5"));
        assert!(ei.explanation.residual().is_zero());
        let mut bad = inputs.clone();
        bad.unallocated_share = None;
        assert!(matches!(
            economic_importance(&bad, &EuThresholds::default()).unwrap_err(),
            Error::SharesDoNotSumToOne { .. }
        ));
    }
}
