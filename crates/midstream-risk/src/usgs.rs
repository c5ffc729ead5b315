//! The USGS 2021 supply-risk method (Nassar & Fortier, OFR 2021-1045, behind the 2022 U.S.
//! list of critical minerals): disruption potential, trade exposure and economic vulnerability,
//! combined by a geometric mean and compared with 0.40.
//!
//! The official text was not read: the indicator forms follow the secondary description the
//! reference cites (Nassar et al. 2020 as implemented in a public model), and the governance
//! weighting of the disruption potential is a per-country input. See `docs/methodology.md`.

use std::collections::BTreeMap;

use midstream_domain::Country;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::arith;
use crate::check::{
    check_fraction, check_non_negative, check_positive, check_weight, collect_problems, note,
};
use crate::error::RiskError;
use crate::explain::{Explained, Factor, from_f64, percent, short, to_f64};
use crate::governance::GovernanceTable;
use crate::shares::{OTHER, Shares};

/// Exponents of the three indicators in the (weighted) geometric mean; normalised to add up to
/// one. Equal by default, which is the plain geometric mean `(DP × TE × EV)^(1/3)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct UsgsWeights {
    /// Weight of the disruption potential.
    pub disruption_potential: Decimal,
    /// Weight of the trade exposure.
    pub trade_exposure: Decimal,
    /// Weight of the economic vulnerability.
    pub economic_vulnerability: Decimal,
}

impl Default for UsgsWeights {
    fn default() -> Self {
        Self {
            disruption_potential: Decimal::ONE,
            trade_exposure: Decimal::ONE,
            economic_vulnerability: Decimal::ONE,
        }
    }
}

/// Method parameters of the USGS supply risk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct UsgsParams {
    /// The indicators' weights in the geometric mean.
    pub weights: UsgsWeights,
    /// Supply risk at or above which a commodity was recommended for the 2022 list (0.40).
    pub threshold: Decimal,
    /// Supplier risk (0..1) of the unlisted remainder of the production shares. `None` (the
    /// default): the remainder adds nothing, a lower bound.
    pub other_supplier_risk: Option<Decimal>,
    /// Decimals the floating-point geometric mean is rounded to when brought back to an exact
    /// decimal (default 12).
    pub decimals: u32,
}

impl Default for UsgsParams {
    fn default() -> Self {
        Self {
            weights: UsgsWeights::default(),
            threshold: Decimal::new(40, 2),
            other_supplier_risk: None,
            decimals: 12,
        }
    }
}

/// The inputs of one commodity-year.
///
/// Reading from JSON checks the inputs ([`UsgsInputs::validate`]); `trade_adjustment` may be
/// left out (no adjustment).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "UsgsInputsForm")]
pub struct UsgsInputs {
    /// Country shares of world production.
    pub production: Shares<Country>,
    /// Each producer's supplier risk, 0 (no risk) .. 1: a governance-based score, e.g.
    /// [`supplier_risk_from_wgi`] or `1 − PPI/100`.
    pub supplier_risk: BTreeMap<Country, Decimal>,
    /// Each producer's trade-tie adjustment to its risk as seen from the United States, 0..1;
    /// 1 (no adjustment) where absent.
    pub trade_adjustment: BTreeMap<Country, Decimal>,
    /// Trade exposure (net import reliance), 0..1; see [`trade_exposure`].
    pub trade_exposure: Decimal,
    /// Economic vulnerability, 0..1; see [`economic_vulnerability`].
    pub economic_vulnerability: Decimal,
}

/// The JSON form of [`UsgsInputs`], checked on conversion.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct UsgsInputsForm {
    production: Shares<Country>,
    supplier_risk: BTreeMap<Country, Decimal>,
    #[serde(default)]
    trade_adjustment: BTreeMap<Country, Decimal>,
    trade_exposure: Decimal,
    economic_vulnerability: Decimal,
}

impl TryFrom<UsgsInputsForm> for UsgsInputs {
    type Error = RiskError;

    fn try_from(f: UsgsInputsForm) -> Result<Self, RiskError> {
        let inputs = Self {
            production: f.production,
            supplier_risk: f.supplier_risk,
            trade_adjustment: f.trade_adjustment,
            trade_exposure: f.trade_exposure,
            economic_vulnerability: f.economic_vulnerability,
        };
        inputs.validate()?;
        Ok(inputs)
    }
}

impl UsgsInputs {
    /// Checks every input and reports every problem: trade exposure, economic vulnerability,
    /// each supplier risk and each trade adjustment in `[0, 1]`, and a supplier risk for every
    /// named producer.
    ///
    /// # Errors
    /// [`RiskError::FractionOutOfRange`], [`RiskError::MissingCountryValue`], or
    /// [`RiskError::InvalidParameters`] listing several of them.
    pub fn validate(&self) -> Result<(), RiskError> {
        let mut problems = Vec::new();
        note(
            &mut problems,
            check_fraction("trade_exposure", self.trade_exposure),
        );
        note(
            &mut problems,
            check_fraction("economic_vulnerability", self.economic_vulnerability),
        );
        for (country, r) in &self.supplier_risk {
            note(
                &mut problems,
                check_fraction(&format!("supplier_risk of {country}"), *r),
            );
        }
        for (country, a) in &self.trade_adjustment {
            note(
                &mut problems,
                check_fraction(&format!("trade_adjustment of {country}"), *a),
            );
        }
        for (country, _) in self.production.fractions() {
            if !self.supplier_risk.contains_key(country) {
                problems.push(RiskError::MissingCountryValue {
                    what: "supplier risk",
                    country: *country,
                });
            }
        }
        collect_problems(problems)
    }
}

/// A commodity-year's USGS supply risk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct UsgsSupplyRisk {
    /// Disruption potential `Σ_c s_c² × r_c × a_c`, 0..1.
    pub disruption_potential: Decimal,
    /// Trade exposure, 0..1.
    pub trade_exposure: Decimal,
    /// Economic vulnerability, 0..1.
    pub economic_vulnerability: Decimal,
    /// The weighted geometric mean of the three, rounded to `decimals`.
    pub supply_risk: Decimal,
    /// Whether this one year's supply risk reaches the threshold. The 2022 list compared a
    /// 2015–2018 recency-weighted mean of yearly supply risks with 0.40, not a single year:
    /// this flag is the single-year test only.
    pub single_year_at_or_above_threshold: bool,
    /// The supply risk in log space: score `ln SR`, and one factor per indicator with
    /// weight = its normalised exponent `wᵢ` and contribution `wᵢ × ln xᵢ` (each rounded to
    /// `decimals`), so that the contributions add up to the score. Every contribution is at
    /// most 0, and the indicator nearest 1 (the one that raises the risk most) has the largest
    /// (least negative) one. `None` when an indicator with a positive weight is zero: then
    /// `SR = 0` and `ln SR` is minus infinity (`zero_indicator` names it).
    pub explanation: Option<Explained>,
    /// The indicator with a positive weight that is zero, if any.
    pub zero_indicator: Option<String>,
    /// The disruption potential's own factors, one per producer (they add up to it exactly).
    pub disruption_potential_explained: Explained,
}

/// Supplier risk from governance: `(2.5 − WGI) / 5`, 0 for the best governed, 1 for the worst.
/// One choice among the WGI-derived scores the method is described with (unverified).
#[must_use]
pub fn supplier_risk_from_wgi(governance: &GovernanceTable) -> BTreeMap<Country, Decimal> {
    governance
        .estimates
        .iter()
        .map(|(c, w)| (*c, w.risk_fraction()))
        .collect()
}

/// Flows of one commodity and year in one country, for the trade exposure.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TradeFlows {
    /// Primary (mine) production.
    pub primary_production: Decimal,
    /// Secondary (recycled) production.
    pub secondary_production: Decimal,
    /// Imports.
    pub imports: Decimal,
    /// Exports.
    pub exports: Decimal,
    /// Net release from stocks (positive: stocks drawn down, adding to supply).
    pub stock_release: Decimal,
}

/// Trade exposure, net import reliance as a share of apparent consumption:
/// `(I − E + ΔS) / (PP + SP + I − E + ΔS)`, 0 for a net exporter.
///
/// # Errors
/// [`RiskError::NegativeQuantity`] for a negative production, import or export;
/// [`RiskError::NotPositive`] when apparent consumption is zero or below.
///
/// ```
/// use midstream_risk::{trade_exposure, TradeFlows};
/// use rust_decimal::Decimal;
/// let flows = TradeFlows { primary_production: Decimal::from(20), imports: Decimal::from(85),
///                          exports: Decimal::from(5), ..TradeFlows::default() };
/// assert_eq!(trade_exposure(&flows)?, Decimal::new(8, 1)); // 80 / 100
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn trade_exposure(flows: &TradeFlows) -> Result<Decimal, RiskError> {
    const WHAT: &str = "the trade exposure";
    check_non_negative("primary_production", flows.primary_production)?;
    check_non_negative("secondary_production", flows.secondary_production)?;
    check_non_negative("imports", flows.imports)?;
    check_non_negative("exports", flows.exports)?;
    let net = arith::add(
        arith::sub(flows.imports, flows.exports, WHAT)?,
        flows.stock_release,
        WHAT,
    )?;
    let production = arith::add(flows.primary_production, flows.secondary_production, WHAT)?;
    let consumption = arith::add(production, net, WHAT)?;
    check_positive("apparent consumption", consumption)?;
    if net <= Decimal::ZERO {
        return Ok(Decimal::ZERO);
    }
    arith::div(net, consumption, WHAT)
}

/// One manufacturing industry's exposure to a commodity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IndustryExposure {
    /// The industry (e.g. a NAICS code).
    pub industry: String,
    /// Its value added.
    pub value_added: Decimal,
    /// What it spends on the commodity.
    pub spend_on_commodity: Decimal,
    /// Its operating profit.
    pub operating_profit: Decimal,
}

/// Economic vulnerability `Σ_j (VA_j / GDP) × (EXP_j / OP_j)`.
///
/// The result is not bounded by one (an industry may spend more on a commodity than it makes
/// in profit); [`usgs_supply_risk`] requires 0..1, so rescale larger values first.
///
/// # Errors
/// [`RiskError::NotPositive`] for a GDP or operating profit of zero or below;
/// [`RiskError::NegativeQuantity`] for a negative value added or spend.
pub fn economic_vulnerability(
    industries: &[IndustryExposure],
    gdp: Decimal,
) -> Result<Decimal, RiskError> {
    const WHAT: &str = "the economic vulnerability";
    check_positive("gdp", gdp)?;
    let mut total = Decimal::ZERO;
    for i in industries {
        check_non_negative(&format!("value_added of {}", i.industry), i.value_added)?;
        check_non_negative(
            &format!("spend_on_commodity of {}", i.industry),
            i.spend_on_commodity,
        )?;
        check_positive(
            &format!("operating_profit of {}", i.industry),
            i.operating_profit,
        )?;
        let term = arith::mul(
            arith::div(i.value_added, gdp, WHAT)?,
            arith::div(i.spend_on_commodity, i.operating_profit, WHAT)?,
            WHAT,
        )?;
        total = arith::add(total, term, WHAT)?;
    }
    Ok(total)
}

fn disruption_potential(inputs: &UsgsInputs, params: &UsgsParams) -> Result<Explained, RiskError> {
    const WHAT: &str = "the disruption potential";
    let mut total = Decimal::ZERO;
    let mut factors = Vec::new();
    for (country, share) in inputs.production.fractions() {
        let risk =
            inputs
                .supplier_risk
                .get(country)
                .copied()
                .ok_or(RiskError::MissingCountryValue {
                    what: "supplier risk",
                    country: *country,
                })?;
        check_fraction(&format!("supplier_risk of {country}"), risk)?;
        let adjustment = inputs
            .trade_adjustment
            .get(country)
            .copied()
            .unwrap_or(Decimal::ONE);
        check_fraction(&format!("trade_adjustment of {country}"), adjustment)?;
        let weight = arith::mul(risk, adjustment, WHAT)?;
        let term = arith::mul(arith::mul(share, share, WHAT)?, weight, WHAT)?;
        total = arith::add(total, term, WHAT)?;
        factors.push(Factor {
            name: country.to_string(),
            input: share,
            weight,
            contribution: term,
            reason: format!(
                "{country} produces {}; supplier risk {}, trade-tie adjustment {}",
                percent(share),
                short(risk, 3),
                short(adjustment, 3)
            ),
        });
    }
    let other = inputs.production.other().value();
    if !other.is_zero() {
        let risk = params
            .other_supplier_risk
            .map(|r| check_fraction("other_supplier_risk", r))
            .transpose()?;
        let term = match risk {
            Some(r) => arith::mul(arith::mul(other, other, WHAT)?, r, WHAT)?,
            None => Decimal::ZERO,
        };
        total = arith::add(total, term, WHAT)?;
        factors.push(Factor {
            name: OTHER.to_owned(),
            input: other,
            weight: risk.unwrap_or_default(),
            contribution: term,
            reason: match risk {
                Some(r) => format!(
                    "the unlisted {} counts as one producer of supplier risk {}",
                    percent(other),
                    short(r, 3)
                ),
                None => format!(
                    "the unlisted {} counts as many small producers, adding nothing",
                    percent(other)
                ),
            },
        });
    }
    Ok(Explained::new(total, factors))
}

/// The USGS supply risk of one commodity-year:
///
/// ```text
/// DP = Σ_c s_c² × r_c × a_c        (production shares, supplier risk, trade-tie adjustment)
/// SR = DP^w1 × TE^w2 × EV^w3       (w normalised to add up to 1; equal by default)
/// ln SR = w1 ln DP + w2 ln TE + w3 ln EV
/// ```
///
/// The power is taken in `f64`: each indicator is converted to the nearest `f64`,
/// `exp(Σ wᵢ ln xᵢ)` is computed, and the result is brought back to a decimal rounded (half away
/// from zero) to `params.decimals` (12) places, far finer than the two decimals at which the
/// 0.40 threshold matters, and coarse enough that a last-bit difference between platforms'
/// `ln`/`exp` cannot show. An indicator of zero with a positive weight makes the risk zero.
///
/// The explanation is in log space (see [`UsgsSupplyRisk::explanation`]): a share of `SR`
/// itself cannot be given to each indicator of a product, while `ln SR` is a sum.
///
/// # Errors
/// Those of [`UsgsInputs::validate`] ([`RiskError::FractionOutOfRange`] for an indicator, supplier
/// risk or adjustment outside 0..1; [`RiskError::MissingCountryValue`] for a producer without a
/// supplier risk); [`RiskError::NegativeWeight`], [`RiskError::ZeroWeights`];
/// [`RiskError::FractionOutOfRange`] for the threshold or the remainder's supplier risk.
///
/// # Example
/// ```
/// use std::collections::BTreeMap;
/// use midstream_risk::{usgs_supply_risk, Shares, UsgsInputs, UsgsParams};
/// use rust_decimal::Decimal;
///
/// let cn = "CN".parse()?;
/// let inputs = UsgsInputs {
///     production: Shares::from_fractions([(cn, Decimal::new(8, 1))], Some(Decimal::new(2, 1)))?,
///     supplier_risk: BTreeMap::from([(cn, Decimal::ONE)]),
///     trade_adjustment: BTreeMap::new(),
///     trade_exposure: Decimal::ONE,
///     economic_vulnerability: Decimal::ONE,
/// };
/// let sr = usgs_supply_risk(&inputs, &UsgsParams::default())?;
/// assert_eq!(sr.disruption_potential, Decimal::new(64, 2)); // 0.8² × 1
/// assert_eq!(sr.supply_risk, Decimal::new(861773876013, 12)); // 0.64^(1/3)
/// assert!(sr.single_year_at_or_above_threshold);
/// // ln SR = ln(0.64) / 3 + 0 + 0: the disruption potential is what lowers it.
/// let log = sr.explanation.ok_or("log explanation")?;
/// assert_eq!(log.score, Decimal::new(-148_762_367_543, 12));
/// assert_eq!(log.factor("trade exposure").map(|f| f.contribution), Some(Decimal::ZERO));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn usgs_supply_risk(
    inputs: &UsgsInputs,
    params: &UsgsParams,
) -> Result<UsgsSupplyRisk, RiskError> {
    const WHAT: &str = "the USGS supply risk";
    inputs.validate()?;
    let te = inputs.trade_exposure;
    let ev = inputs.economic_vulnerability;
    check_fraction("threshold", params.threshold)?;
    let dp_explained = disruption_potential(inputs, params)?;
    let dp = dp_explained.score;
    let w = &params.weights;
    let raw = [
        (
            "disruption potential",
            check_weight("weights.disruption_potential", w.disruption_potential)?,
            dp,
        ),
        (
            "trade exposure",
            check_weight("weights.trade_exposure", w.trade_exposure)?,
            te,
        ),
        (
            "economic vulnerability",
            check_weight("weights.economic_vulnerability", w.economic_vulnerability)?,
            ev,
        ),
    ];
    let weight_sum = arith::sum(raw.iter().map(|r| r.1), WHAT)?;
    if weight_sum.is_zero() {
        return Err(RiskError::ZeroWeights {
            score: "the USGS supply risk".to_owned(),
        });
    }
    let mut normalised = [Decimal::ZERO; 3];
    for (n, r) in normalised.iter_mut().zip(&raw) {
        *n = arith::div(r.1, weight_sum, WHAT)?;
    }
    let zero_indicator = raw
        .iter()
        .zip(&normalised)
        .find(|(r, n)| r.2.is_zero() && !n.is_zero())
        .map(|(r, _)| r.0);
    let (supply_risk, explanation) = if zero_indicator.is_some() {
        (Decimal::ZERO, None)
    } else {
        // wᵢ ln xᵢ of each indicator (0 for a zero exponent).
        let mut logs = [0.0_f64; 3];
        for ((l, r), n) in logs.iter_mut().zip(&raw).zip(&normalised) {
            if !n.is_zero() {
                *l = to_f64(*n, WHAT)? * to_f64(r.2, WHAT)?.ln();
            }
        }
        let log_sum: f64 = logs.iter().sum();
        let supply_risk = from_f64(log_sum.exp(), params.decimals, WHAT)?;
        let mut factors = Vec::with_capacity(3);
        for ((r, n), l) in raw.iter().zip(normalised).zip(logs) {
            let contribution = from_f64(l, params.decimals, WHAT)?;
            factors.push(Factor {
                name: r.0.to_owned(),
                input: r.2,
                weight: n,
                contribution,
                reason: if n.is_zero() {
                    format!("{} has weight zero", r.0)
                } else {
                    format!(
                        "{} {} with exponent {}: adds {} to ln SR (0 would mean no reduction)",
                        r.0,
                        short(r.2, 3),
                        short(n, 3),
                        short(contribution, 3)
                    )
                },
            });
        }
        let score = arith::sum(factors.iter().map(|f| f.contribution), WHAT)?;
        (supply_risk, Some(Explained::new(score, factors)))
    };
    Ok(UsgsSupplyRisk {
        disruption_potential: dp,
        trade_exposure: te,
        economic_vulnerability: ev,
        supply_risk,
        single_year_at_or_above_threshold: supply_risk >= params.threshold,
        explanation,
        zero_indicator: zero_indicator.map(ToOwned::to_owned),
        disruption_potential_explained: dp_explained,
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

    fn inputs(te: &str, ev: &str) -> UsgsInputs {
        UsgsInputs {
            production: Shares::from_fractions([(c("CN"), d("0.6")), (c("AU"), d("0.4"))], None)
                .unwrap(),
            supplier_risk: BTreeMap::from([(c("CN"), d("0.6")), (c("AU"), d("0.1"))]),
            trade_adjustment: BTreeMap::from([(c("AU"), d("0.5"))]),
            trade_exposure: d(te),
            economic_vulnerability: d(ev),
        }
    }

    #[test]
    fn geometric_mean_at_the_threshold() {
        // DP = 0.36 × 0.6 + 0.16 × 0.1 × 0.5 = 0.216 + 0.008 = 0.224
        let sr = usgs_supply_risk(&inputs("1", "1"), &UsgsParams::default()).unwrap();
        assert_eq!(sr.disruption_potential, d("0.224"));
        assert!(sr.disruption_potential_explained.residual().is_zero());
        // 0.224^(1/3) = 0.6073178...
        assert_eq!(sr.supply_risk.round_dp(6), d("0.607318"));
        // Equal indicators of 0.4 give exactly 0.4 after rounding: at the threshold.
        let mut i = inputs("0.4", "0.4");
        i.production = Shares::from_fractions([(c("CN"), Decimal::ONE)], None).unwrap();
        i.supplier_risk = BTreeMap::from([(c("CN"), d("0.4"))]);
        let sr = usgs_supply_risk(&i, &UsgsParams::default()).unwrap();
        assert_eq!(sr.supply_risk, d("0.4"));
        assert!(sr.single_year_at_or_above_threshold);
        // ln 0.4 = -0.916290731874...; a third of it from each indicator.
        let log = sr.explanation.unwrap();
        for f in &log.factors {
            assert_eq!(f.contribution, d("-0.305430243958"), "{}", f.name);
        }
        assert_eq!(log.score, d("-0.916290731874"));
    }

    #[test]
    fn zero_indicator_and_weights() {
        let sr = usgs_supply_risk(&inputs("0", "1"), &UsgsParams::default()).unwrap();
        assert!(sr.supply_risk.is_zero());
        assert!(!sr.single_year_at_or_above_threshold);
        assert!(sr.explanation.is_none());
        assert_eq!(sr.zero_indicator.as_deref(), Some("trade exposure"));
        // With trade exposure weighted zero, it no longer matters.
        let params = UsgsParams {
            weights: UsgsWeights {
                trade_exposure: Decimal::ZERO,
                ..UsgsWeights::default()
            },
            ..UsgsParams::default()
        };
        let sr = usgs_supply_risk(&inputs("0", "1"), &params).unwrap();
        assert_eq!(sr.supply_risk.round_dp(6), d("0.473286")); // sqrt(0.224)
        let log = sr.explanation.unwrap();
        let te = log.factor("trade exposure").unwrap();
        assert_eq!((te.weight, te.contribution), (Decimal::ZERO, Decimal::ZERO));
        // ln 0.224 / 2 = -0.7480546...
        assert_eq!(log.score.round_dp(6), d("-0.748055"));
        let bad = UsgsParams {
            weights: UsgsWeights {
                disruption_potential: d("-1"),
                ..UsgsWeights::default()
            },
            ..UsgsParams::default()
        };
        assert!(matches!(
            usgs_supply_risk(&inputs("1", "1"), &bad).unwrap_err(),
            RiskError::NegativeWeight { .. }
        ));
        let zero = UsgsParams {
            weights: UsgsWeights {
                disruption_potential: Decimal::ZERO,
                trade_exposure: Decimal::ZERO,
                economic_vulnerability: Decimal::ZERO,
            },
            ..UsgsParams::default()
        };
        assert!(matches!(
            usgs_supply_risk(&inputs("1", "1"), &zero).unwrap_err(),
            RiskError::ZeroWeights { .. }
        ));
    }

    #[test]
    fn inputs_are_checked() {
        assert!(matches!(
            usgs_supply_risk(&inputs("1.5", "1"), &UsgsParams::default()).unwrap_err(),
            RiskError::FractionOutOfRange { ref parameter, .. } if parameter == "trade_exposure"
        ));
        let mut i = inputs("1", "1");
        i.supplier_risk.remove(&c("AU"));
        assert_eq!(
            usgs_supply_risk(&i, &UsgsParams::default()).unwrap_err(),
            RiskError::MissingCountryValue {
                what: "supplier risk",
                country: c("AU")
            }
        );
        let mut i = inputs("1", "1");
        i.supplier_risk.insert(c("AU"), d("2"));
        assert!(usgs_supply_risk(&i, &UsgsParams::default()).is_err());
    }

    #[test]
    fn inputs_round_trip_through_json_and_are_checked_on_reading() {
        let i = inputs("0.5", "0.25");
        let json = serde_json::to_string(&i).unwrap();
        let back: UsgsInputs = serde_json::from_str(&json).unwrap();
        assert_eq!(back, i);
        let bad = json.replace("\"AU\":\"0.1\"", "\"AU\":\"2\"");
        assert_ne!(bad, json);
        let err = serde_json::from_str::<UsgsInputs>(&bad).unwrap_err();
        assert!(err.to_string().contains("supplier_risk of AU"), "{err}");
    }

    #[test]
    fn trade_exposure_and_vulnerability_helpers() {
        let exporter = TradeFlows {
            primary_production: d("100"),
            exports: d("60"),
            imports: d("10"),
            ..TradeFlows::default()
        };
        assert_eq!(trade_exposure(&exporter).unwrap(), Decimal::ZERO);
        let drawdown = TradeFlows {
            primary_production: d("50"),
            imports: d("30"),
            stock_release: d("20"),
            ..TradeFlows::default()
        };
        assert_eq!(trade_exposure(&drawdown).unwrap(), d("0.5"));
        assert!(trade_exposure(&TradeFlows::default()).is_err());
        let ev = economic_vulnerability(
            &[
                IndustryExposure {
                    industry: "3363".into(),
                    value_added: d("50"),
                    spend_on_commodity: d("2"),
                    operating_profit: d("10"),
                },
                IndustryExposure {
                    industry: "3344".into(),
                    value_added: d("30"),
                    spend_on_commodity: d("1"),
                    operating_profit: d("5"),
                },
            ],
            d("1000"),
        )
        .unwrap();
        // 0.05 × 0.2 + 0.03 × 0.2 = 0.016
        assert_eq!(ev, d("0.016"));
        assert!(
            economic_vulnerability(
                &[IndustryExposure {
                    industry: "x".into(),
                    value_added: d("1"),
                    spend_on_commodity: d("1"),
                    operating_profit: Decimal::ZERO
                }],
                d("1")
            )
            .is_err()
        );
    }

    #[test]
    fn wgi_supplier_risk() {
        let mut g = GovernanceTable::default();
        g.insert(c("NO"), crate::Wgi::new(d("1.5")).unwrap());
        assert_eq!(supplier_risk_from_wgi(&g).get(&c("NO")), Some(&d("0.2")));
    }
}
