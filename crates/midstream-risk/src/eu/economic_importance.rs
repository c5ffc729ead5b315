//! Economic importance: the value added of the sectors that use the material, scaled by how
//! hard it is to substitute.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::EuThresholds;
use super::supply_risk::round_half_up;
use crate::arith;
use crate::check::{check_fraction, check_non_negative, check_positive};
use crate::error::RiskError;
use crate::explain::{Explained, Factor, percent};
use crate::shares::Shares;

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
/// [`RiskError::NegativeQuantity`] for a negative value added; [`RiskError::NotPositive`] for a
/// normaliser of zero; [`RiskError::FractionOutOfRange`] for the substitution index.
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
) -> Result<EconomicImportance, RiskError> {
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
