//! The EU criticality test (not flow criticality): a material is critical when its supply risk
//! and its economic importance both reach their thresholds.

use rust_decimal::Decimal;
use serde::Serialize;

use super::EuThresholds;
use super::supply_risk::round_half_up;
use crate::check::{check_non_negative, collect_problems, note};
use crate::error::RiskError;

/// The EU threshold test of one material: whether its scores make it critical by the method.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct EuCriticality {
    /// Supply risk after rounding.
    pub supply_risk: Decimal,
    /// Economic importance after rounding.
    pub economic_importance: Decimal,
    /// Whether both thresholds are met ("critical by the method"). This is not the same as
    /// being on the legal list: see [`assess_eu_criticality`].
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
/// [`RiskError::NegativeQuantity`] for a negative supply risk or economic importance (neither
/// formula can produce one).
///
/// ```
/// use midstream_risk::{assess_eu_criticality, EuThresholds};
/// use rust_decimal::Decimal;
/// let t = EuThresholds::default();
/// // EU 2023: titanium metal (SR 1.6, EI 6.3) meets the thresholds, titanium (SR 0.5, EI 5.4)
/// // does not.
/// assert!(assess_eu_criticality(Decimal::new(16, 1), Decimal::new(63, 1), &t)?.meets_thresholds);
/// assert!(!assess_eu_criticality(Decimal::new(5, 1), Decimal::new(54, 1), &t)?.meets_thresholds);
/// assert!(assess_eu_criticality(Decimal::new(-1, 1), Decimal::ONE, &t).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn assess_eu_criticality(
    supply_risk: Decimal,
    economic_importance: Decimal,
    thresholds: &EuThresholds,
) -> Result<EuCriticality, RiskError> {
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
    Ok(EuCriticality {
        supply_risk: sr,
        economic_importance: ei,
        meets_thresholds: sr_ok && ei_ok,
        reason,
    })
}

/// The former name of [`EuCriticality`].
#[deprecated(
    since = "0.1.0",
    note = "renamed `EuCriticality`, apart from the flow criticality of midstream-graph"
)]
pub type Criticality = EuCriticality;

/// The former name of [`assess_eu_criticality`].
///
/// # Errors
/// As [`assess_eu_criticality`].
#[deprecated(
    since = "0.1.0",
    note = "renamed `assess_eu_criticality`, apart from the flow criticality of midstream-graph"
)]
pub fn assess_criticality(
    supply_risk: Decimal,
    economic_importance: Decimal,
    thresholds: &EuThresholds,
) -> Result<EuCriticality, RiskError> {
    assess_eu_criticality(supply_risk, economic_importance, thresholds)
}
