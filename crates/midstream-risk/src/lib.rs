//! # midstream-risk
//!
//! Risk scoring for critical-mineral supply chains, on the vocabulary of
//! [`midstream_domain`]. Every score is exact decimal arithmetic (`rust_decimal`), except the
//! logarithms and fractional powers noted below; returns its factors ([`Explained`]: name,
//! input, weight, contribution, one-line reason, contributions adding up to the score); and
//! takes its method parameters from a struct with a documented [`Default`]. Scores that are
//! products (the USGS geometric mean, the delivery odds) are explained in log space, where
//! their factors add up. The formulas, their sources and grades of evidence, and the reason for
//! every default are in `docs/methodology.md`.
//!
//! - **Concentration**: [`Shares`] (validated: no negative share, no duplicate, fractions adding
//!   up to one unless an explicit `other` remainder is given), [`Concentration`] (HHI on the
//!   0..1 and 0..10,000 scales, CR1, CR3, the 2010 DOJ/FTC [`Band2010`], the 2023 1800 line),
//!   [`ConcentrationChange`] (ΔHHI, 2010 guidance, 2023 structural presumption), and per stage
//!   and commodity from a dataset's capacities ([`concentration_table`]).
//! - **EU supply risk** (2017 guidelines, 2020 and 2023 lists, Regulation (EU) 2024/1252
//!   Annex II): [`eu_stage_supply_risk`] (`HHI_WGI,t`, import-reliance blend, recycling,
//!   substitution), the bottleneck rule ([`EuSupplyRisk`], [`bottleneck_stage`]),
//!   [`economic_importance`] and [`assess_eu_criticality`] (SR ≥ 1.0 and EI ≥ 2.8 after rounding).
//! - **USGS supply risk** (OFR 2021-1045): [`usgs_supply_risk`], the geometric mean of
//!   disruption potential, trade exposure and economic vulnerability against 0.40, explained in
//!   log space. Its fractional power and the logarithms of the log-space explanations are the
//!   only floating point, converted back to decimals under a documented rule.
//! - **Project delivery risk**: [`assess_delivery`] answers "is it a plant or a letter?" with a
//!   probability, an expected start year, the probability of delivering by each year and
//!   risk-adjusted capacity by year.
//! - **Composite scores**: [`country_risk`], [`facility_risk`], [`chain_risk`].
//!
//! Governance enters as World Bank WGI estimates the caller supplies ([`GovernanceTable`]);
//! the domain dataset does not carry them.
//!
//! Output is deterministic: suppliers are sorted by share then key, maps are `BTreeMap`s.
//!
//! ```
//! use chrono::NaiveDate;
//! use midstream_domain::{Country, Facility, Maturity};
//! use midstream_risk::{
//!     assess_delivery, eu_stage_supply_risk, Concentration, DeliveryContext, DeliveryParams,
//!     EuParams, EuStage, EuStageInputs, GovernanceTable, Shares, Wgi,
//! };
//! use rust_decimal::Decimal;
//!
//! // Light rare-earth processing, EU 2023 global supply shares (%).
//! let p = |s: &str| s.parse::<Decimal>();
//! let c = |s: &str| s.parse::<Country>();
//! let lree = Shares::from_percent([
//!     (c("CN")?, p("84.9")?), (c("MY")?, p("10.5")?), (c("RU")?, p("1.9")?),
//!     (c("IN")?, p("1.6")?), (c("VN")?, p("1.0")?), (c("NO")?, p("0.1")?),
//! ], None)?;
//! let lree = Concentration::of(&lree)?;
//! assert_eq!(lree.hhi.points(), p("7325.44")?);
//! assert_eq!(lree.cr3.percent(), p("97.3")?);
//!
//! // An individual heavy rare earth's processing: 100 % China, WGI 5.66 scaled, EoL-RIR 1 %,
//! // SI 1.0 gives 5.6, the published SR of Er, Eu, Ho, Lu, Tm and Yb (the HREE group's is 5.1).
//! let cn = c("CN")?;
//! let mut governance = GovernanceTable::default();
//! governance.insert(cn, Wgi::new(p("-0.33")?)?);
//! let hree = EuStageInputs::global_only(
//!     EuStage::Processing, Shares::from_fractions([(cn, Decimal::ONE)], None)?,
//!     p("0.01")?, Decimal::ONE);
//! let sr = eu_stage_supply_risk(&hree, &governance, &EuParams::default())?;
//! assert_eq!(sr.rounded, p("5.6")?);
//!
//! // A letter of interest is not a plant.
//! let plant: Facility = serde_json::from_str(r#"{"id": "sep", "name": "Separator",
//!     "country": "KZ", "stage": "separation", "maturity": "operating",
//!     "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "1000"}]}"#)?;
//! let letter = Facility { maturity: Maturity::LetterOfInterest, ..plant.clone() };
//! let ctx = DeliveryContext::new(NaiveDate::from_ymd_opt(2025, 12, 31).ok_or("date")?,
//!                                2026..=2035);
//! let operating = assess_delivery(&plant, &ctx, &DeliveryParams::default())?;
//! let signal = assess_delivery(&letter, &ctx, &DeliveryParams::default())?;
//! assert!(signal.probability.value() * Decimal::TEN < operating.probability.value());
//! if let Some(why) = &signal.explanation {
//!     println!("{why}"); // log-odds factors: maturity, financing, offtake, ...
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Features
//! None.

#![doc(test(attr(deny(warnings))))]

mod arith;
mod capacity;
mod check;
mod composite;
mod concentration;
mod delivery;
mod error;
mod eu;
mod explain;
mod governance;
mod shares;
mod usgs;

pub use capacity::{
    CapacityMeasure, CapacityScope, StageConcentration, capacity_shares_by_country,
    capacity_shares_by_operator, concentration_table,
};
pub use composite::{
    AlignmentRisk, ChainRisk, ChainRiskParams, ChainStep, CountryRiskParams, FacilityRiskParams,
    chain_risk, country_risk, facility_risk,
};
pub use concentration::{
    Band2010, Concentration, ConcentrationChange, Guidance2010, HIGHLY_CONCENTRATED_2023, Hhi,
};
pub use delivery::{
    ByMaturity, DeliveryAssessment, DeliveryContext, DeliveryLabels, DeliveryParams,
    DeliveryVerdict, FinancingOdds, MAX_YEARS, NamedCapacity, OfftakeOdds, TechnicalOdds,
    TimelineParams, YearCapacity, YearProbability, assess_dataset_delivery, assess_delivery,
    metallurgical_base,
};
pub use error::RiskError;

/// The crate's error under its former name.
#[deprecated(
    since = "0.1.0",
    note = "renamed `RiskError`, after its crate as `FlowError` and `GraphError`"
)]
pub type Error = RiskError;
#[allow(deprecated)] // Reason: the old names stay importable, with their deprecation warning.
pub use eu::{Criticality, assess_criticality};
pub use eu::{
    EconomicImportance, EiInputs, EiNormaliser, EuCriticality, EuParams, EuStage, EuStageInputs,
    EuStageSupplyRisk, EuSupplyRisk, EuThresholds, SectorUse, SupplyBasis, assess_eu_criticality,
    bottleneck_stage, economic_importance, eu_stage_supply_risk, import_reliance,
};
pub use explain::{Explained, Factor};
pub use governance::{GovernanceTable, TradeParameters, Wgi, WgiIndicators};
pub use shares::{ShareUnit, Shares, SupplierShare};
pub use usgs::{
    IndustryExposure, TradeFlows, UsgsInputs, UsgsParams, UsgsSupplyRisk, UsgsWeights,
    economic_vulnerability, supplier_risk_from_wgi, trade_exposure, usgs_supply_risk,
};
