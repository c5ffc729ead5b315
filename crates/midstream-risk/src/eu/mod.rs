//! The EU critical raw materials method (EC 2017 guidelines, used for the 2017, 2020 and 2023
//! lists, codified in Regulation (EU) 2024/1252 Annex II): supply risk, economic importance and
//! the criticality test.

mod criticality;
mod economic_importance;
mod supply_risk;

#[allow(deprecated)] // Reason: re-exported under the old names too.
pub use criticality::{Criticality, assess_criticality};
pub use criticality::{EuCriticality, assess_eu_criticality};
pub use economic_importance::{
    EconomicImportance, EiInputs, EiNormaliser, SectorUse, economic_importance,
};
pub(crate) use supply_risk::hhi_wgi_t;
pub use supply_risk::{
    EuStageInputs, EuStageSupplyRisk, EuSupplyRisk, bottleneck_stage, eu_stage_supply_risk,
    import_reliance,
};

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::governance::Wgi;

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

#[cfg(test)]
mod tests {
    use super::supply_risk::round_half_up;
    use super::*;
    use crate::error::RiskError;
    use crate::governance::{GovernanceTable, TradeParameters};
    use crate::shares::Shares;
    use midstream_domain::Country;

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
            RiskError::MissingGovernance { country: c("BR") }
        );
        inputs.substitution_index = d("1.2");
        assert!(matches!(
            eu_stage_supply_risk(&inputs, &gov, &EuParams::default()).unwrap_err(),
            RiskError::FractionOutOfRange { ref parameter, .. } if parameter == "substitution_index"
        ));
        inputs.substitution_index = Decimal::ONE;
        inputs.global_supply = None;
        assert_eq!(
            eu_stage_supply_risk(&inputs, &gov, &EuParams::default()).unwrap_err(),
            RiskError::NoSupplyData {
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
        let meets = |sr: &str, ei: &str| assess_eu_criticality(d(sr), d(ei), &t).unwrap();
        // 0.95 rounds to 1.0 and 2.75 to 2.8: both thresholds met.
        assert!(meets("0.95", "2.75").meets_thresholds);
        // Half away from zero, not to even: 0.25 -> 0.3 (banker's rounding would give 0.2).
        assert_eq!(round_half_up(d("0.25"), 1), d("0.3"));
        assert!(!meets("0.949", "5").meets_thresholds);
        assert!(!meets("3", "2.749").meets_thresholds);
        let r = meets("0.1", "4.0");
        assert_eq!(r.reason, "below the thresholds: SR 0.1 < 1 and EI 4 >= 2.8");
        let err = assess_eu_criticality(d("-0.1"), d("-2"), &t).unwrap_err();
        assert!(
            matches!(err, RiskError::InvalidParameters { ref problems } if problems.len() == 2),
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
            RiskError::SharesDoNotSumToOne { .. }
        ));
    }
}
