//! Concentration per stage and commodity from a dataset's facility capacities.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use midstream_domain::{Commodity, Country, Facility, Maturity, Stage, Tonnes, ValidDataset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::arith;
use crate::concentration::Concentration;
use crate::error::RiskError;
use crate::shares::Shares;

/// Which capacity figure of a facility counts.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CapacityMeasure {
    /// Capacity in the dataset's `as_of` year, per the ramp schedule
    /// (`Capacity::in_year`). The default.
    #[default]
    AsOfYear,
    /// Capacity in a given year, per the ramp schedule.
    InYear(i32),
    /// Nameplate (design) capacity, ramp ignored.
    Nameplate,
}

/// Which facilities and which figure a concentration is computed from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct CapacityScope {
    /// The capacity figure.
    pub measure: CapacityMeasure,
    /// The maturities counted. Default: commissioning and operating (what produces now).
    /// Add project maturities for an "as announced" pipeline view.
    pub maturities: BTreeSet<Maturity>,
}

impl Default for CapacityScope {
    fn default() -> Self {
        Self {
            measure: CapacityMeasure::AsOfYear,
            maturities: BTreeSet::from([Maturity::Commissioning, Maturity::Operating]),
        }
    }
}

impl CapacityScope {
    fn tonnes(&self, data: &ValidDataset, f: &Facility, commodity: &Commodity) -> Option<Tonnes> {
        if !self.maturities.contains(&f.maturity) {
            return None;
        }
        let c = f.capacity(commodity)?;
        Some(match self.measure {
            CapacityMeasure::AsOfYear => c.in_year(data.as_of.year()),
            CapacityMeasure::InYear(y) => c.in_year(y),
            CapacityMeasure::Nameplate => c.tonnes_per_year,
        })
    }
}

fn grouped<K: Ord>(
    data: &ValidDataset,
    stage: Stage,
    commodity: &Commodity,
    scope: &CapacityScope,
    key: impl Fn(&Facility) -> K,
) -> Result<BTreeMap<K, Decimal>, RiskError> {
    let mut by: BTreeMap<K, Decimal> = BTreeMap::new();
    for f in data.facilities.iter().filter(|f| f.stage == stage) {
        if let Some(t) = scope.tonnes(data, f, commodity) {
            let slot = by.entry(key(f)).or_default();
            *slot = arith::add(*slot, t.value(), "capacity by supplier")?;
        }
    }
    if by.values().all(Decimal::is_zero) {
        return Err(RiskError::NoCapacity {
            stage,
            commodity: *commodity,
        });
    }
    Ok(by)
}

/// Country shares of a stage's capacity for a commodity.
///
/// # Errors
/// [`RiskError::NoCapacity`] when no facility in scope has capacity; [`RiskError::Overflow`].
///
/// ```
/// use midstream_domain::{Dataset, Stage};
/// use midstream_risk::{capacity_shares_by_country, CapacityScope, Concentration};
/// use rust_decimal::Decimal;
///
/// let data = Dataset::from_json_str(r#"{
///   "format_version": 1, "name": "x", "as_of": "2024-12-31",
///   "sources": [{"id": "s", "publisher": "P", "title": "T", "year": 2024}],
///   "facilities": [
///     {"id": "a", "name": "A", "country": "CN", "stage": "separation", "maturity": "operating",
///      "sources": ["s"], "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "900"}]},
///     {"id": "b", "name": "B", "country": "MY", "stage": "separation", "maturity": "operating",
///      "sources": ["s"], "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "100"}]},
///     {"id": "c", "name": "C", "country": "KZ", "stage": "separation",
///      "maturity": "letter_of_interest", "sources": ["s"],
///      "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "500"}]}
///   ]}"#)?.validate()?;
/// let shares = capacity_shares_by_country(
///     &data, Stage::Separation, &"NdPr:oxide".parse()?, &CapacityScope::default())?;
/// let c = Concentration::of(&shares)?;
/// assert_eq!(c.hhi.points(), Decimal::from(8200)); // 90² + 10²; the letter does not count
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn capacity_shares_by_country(
    data: &ValidDataset,
    stage: Stage,
    commodity: &Commodity,
    scope: &CapacityScope,
) -> Result<Shares<Country>, RiskError> {
    let by = grouped(data, stage, commodity, scope, |f| f.country)?;
    Shares::from_amounts(by, None)
}

/// Operator shares of a stage's capacity for a commodity; a facility without an operator
/// counts as its own firm, named `facility:<id>`.
///
/// # Errors
/// As [`capacity_shares_by_country`].
pub fn capacity_shares_by_operator(
    data: &ValidDataset,
    stage: Stage,
    commodity: &Commodity,
    scope: &CapacityScope,
) -> Result<Shares<String>, RiskError> {
    let by = grouped(data, stage, commodity, scope, |f| {
        f.operator
            .clone()
            .unwrap_or_else(|| format!("facility:{}", f.id))
    })?;
    Shares::from_amounts(by, None)
}

/// The concentration of one stage and commodity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct StageConcentration {
    /// The stage.
    pub stage: Stage,
    /// The commodity.
    pub commodity: Commodity,
    /// Total capacity in scope.
    pub total: Tonnes,
    /// By country.
    pub by_country: Concentration<Country>,
    /// By operator.
    pub by_operator: Concentration<String>,
}

/// The concentration of every (stage, commodity) with capacity in scope, in stage then
/// commodity order.
///
/// # Errors
/// [`RiskError::Overflow`].
pub fn concentration_table(
    data: &ValidDataset,
    scope: &CapacityScope,
) -> Result<Vec<StageConcentration>, RiskError> {
    let pairs: BTreeSet<(Stage, Commodity)> = data
        .chains()
        .into_iter()
        .flat_map(|(commodity, stages)| stages.into_iter().map(move |s| (s, commodity)))
        .collect();
    let mut out = Vec::new();
    for (stage, commodity) in pairs {
        let by_country = match capacity_shares_by_country(data, stage, &commodity, scope) {
            Ok(s) => s,
            Err(RiskError::NoCapacity { .. }) => continue,
            Err(e) => return Err(e),
        };
        let by_operator = capacity_shares_by_operator(data, stage, &commodity, scope)?;
        let total = data
            .facilities
            .iter()
            .filter(|f| f.stage == stage)
            .filter_map(|f| scope.tonnes(data, f, &commodity));
        out.push(StageConcentration {
            stage,
            commodity,
            total: Tonnes::checked_sum(total)?,
            by_country: Concentration::of(&by_country)?,
            by_operator: Concentration::of(&by_operator)?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use midstream_domain::Dataset;

    fn data() -> ValidDataset {
        Dataset::from_json_str(
            r#"{
          "format_version": 1, "name": "x", "as_of": "2024-12-31",
          "sources": [{"id": "s", "publisher": "P", "title": "T", "year": 2024}],
          "facilities": [
            {"id": "a", "name": "A", "operator": "Op1", "country": "CN", "stage": "separation",
             "maturity": "operating", "sources": ["s"],
             "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "600"}]},
            {"id": "b", "name": "B", "operator": "Op1", "country": "MY", "stage": "separation",
             "maturity": "operating", "sources": ["s"],
             "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "200"}]},
            {"id": "c", "name": "C", "country": "CN", "stage": "separation",
             "maturity": "commissioning", "sources": ["s"],
             "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "200",
                             "ramp": [{"year": 2024, "tonnes": "100"}, {"year": 2026, "tonnes": "200"}]}]},
            {"id": "m", "name": "M", "country": "AU", "stage": "mining",
             "maturity": "operating", "sources": ["s"],
             "capacities": [{"commodity": "REO:concentrate", "tonnes_per_year": "1000"}]},
            {"id": "p", "name": "P", "country": "KZ", "stage": "separation",
             "maturity": "financed", "sources": ["s"],
             "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "1000"}]}
          ]}"#,
        )
        .unwrap()
        .validate()
        .unwrap()
    }

    #[test]
    fn as_of_year_uses_the_ramp_and_skips_projects() {
        let ndpr: Commodity = "NdPr:oxide".parse().unwrap();
        let d = data();
        let s = capacity_shares_by_country(&d, Stage::Separation, &ndpr, &CapacityScope::default())
            .unwrap();
        // CN 600 + 100 (ramp 2024), MY 200: 700/900 and 200/900.
        assert_eq!(s.supplier_count(), 2);
        assert_eq!(
            s.share(&"CN".parse().unwrap())
                .value()
                .round_dp(6)
                .to_string(),
            "0.777778"
        );
        let nameplate = CapacityScope {
            measure: CapacityMeasure::Nameplate,
            ..CapacityScope::default()
        };
        let s = capacity_shares_by_country(&d, Stage::Separation, &ndpr, &nameplate).unwrap();
        assert_eq!(
            s.share(&"CN".parse().unwrap()).value(),
            "0.8".parse().unwrap()
        );
        let announced = CapacityScope {
            measure: CapacityMeasure::InYear(2030),
            maturities: Maturity::ALL.into_iter().collect(),
        };
        let s = capacity_shares_by_country(&d, Stage::Separation, &ndpr, &announced).unwrap();
        assert_eq!(
            s.share(&"KZ".parse().unwrap()).value(),
            "0.5".parse().unwrap()
        );
        let ops = capacity_shares_by_operator(&d, Stage::Separation, &ndpr, &nameplate).unwrap();
        assert_eq!(ops.suppliers()[0].supplier, "Op1");
        assert_eq!(ops.suppliers()[1].supplier, "facility:c");
    }

    #[test]
    fn table_covers_every_stage_and_commodity_in_order() {
        let t = concentration_table(&data(), &CapacityScope::default()).unwrap();
        let keys: Vec<String> = t
            .iter()
            .map(|c| format!("{}/{}", c.stage, c.commodity))
            .collect();
        assert_eq!(
            keys,
            vec!["mining/REO:concentrate", "separation/NdPr:oxide"]
        );
        assert_eq!(t[0].by_country.hhi.fraction(), Decimal::ONE);
        assert_eq!(t[1].total.value(), Decimal::from(900));
        let err = capacity_shares_by_country(
            &data(),
            Stage::Alloying,
            &"NdPr:alloy".parse().unwrap(),
            &CapacityScope::default(),
        )
        .unwrap_err();
        assert!(matches!(err, RiskError::NoCapacity { .. }));
    }
}
