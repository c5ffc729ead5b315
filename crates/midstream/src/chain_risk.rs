//! How risky one commodity's chain is: the concentration of each stage by country, side by
//! side, on the flows that deliver the most (ranges where many flows do); what each facility's
//! and each country's loss would cost; governance-weighted concentration (World Bank WGI).
//!
//! Concentration is measured on the material balance, not on listed capacity: what each stage
//! carries in each country over all flows that deliver the most, in one unit per stage
//! ([`midstream_graph::StageRange::unit`]: mined feed, separated product, metal, magnets).
//! Listed capacities mix feed and product, nameplate, output and quota, so they do not add up
//! on a format-2 dataset; the flows do.

use std::collections::BTreeMap;

use midstream_domain::{Commodity, Country, FacilityId, Share, Stage, Tonnes};
use midstream_graph::{BalanceModel, Scenario, StageRange};
use midstream_risk::{Band2010, GovernanceTable, Hhi};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::{Analysis, Error, FlowSpan};

/// Most facilities and countries [`RiskAssessment`] lists by what their loss costs.
pub const MAX_LOSSES: usize = 12;

/// How risky one commodity's chain is, in one scenario and year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct RiskAssessment {
    /// The commodity.
    pub commodity: Commodity,
    /// The year.
    pub year: i32,
    /// Deliverable supply in the scenario, tonnes per year.
    pub deliverable: Tonnes,
    /// The concentration of each stage of the chain, in stage order (mining first).
    pub stages: Vec<StageRisk>,
    /// What the loss of each facility would cost the deliverable (every plant of the chain
    /// stopped in turn), largest first, at most [`MAX_LOSSES`] with a loss.
    pub facilities: Vec<FacilityLoss>,
    /// What each country's loss would cost: its plants stopped, or only its exports, largest
    /// first, at most [`MAX_LOSSES`] with a loss.
    pub countries: Vec<CountryLoss>,
    /// The EU method's supply risk of each element of the commodity the EU assessed in 2023,
    /// computed on this chain's shares, beside the EU's published figures.
    pub eu: Vec<EuElementRisk>,
    /// The governance estimates used, if any: their source and year.
    pub governance: Option<String>,
    /// What the assessment left out, and why, in sentences.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// The EU method's supply risk of one element, computed on the chain's stage shares.
///
/// `SR = HHI_WGI × (1 − EoL-RIR) × SI_SR` per stage on global supply only (the dataset says
/// where a stage's tonnes are, not what the EU sources), the higher of extraction and
/// processing reported (`docs/methodology.md` §3). The stage shares are of the chain's
/// product (mined feed, separated oxide), not of the element alone, and are this dataset's, not
/// the EU's 2016-2020 averages: the published figure is beside it for comparison, not as a
/// check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct EuElementRisk {
    /// The element's symbol.
    pub element: String,
    /// End-of-life recycling input rate (fraction), the EU's 2023 figure.
    pub end_of_life_recycling_input_rate: Decimal,
    /// Substitution index of supply risk, the EU's 2023 figure.
    pub substitution_index: Decimal,
    /// Per stage (extraction from mining; processing from separation, else metal refining).
    pub stages: Vec<EuStageRisk>,
    /// The higher stage's supply risk, least and most, rounded to one decimal.
    pub supply_risk: (Decimal, Decimal),
    /// The EU's published supply risk and its stage, where the copy read is consistent.
    pub published_supply_risk: Option<(Decimal, String)>,
    /// The EU's published economic importance.
    pub economic_importance: Decimal,
    /// Whether the computed supply risk and the published economic importance meet the EU
    /// thresholds (SR ≥ 1.0 and EI ≥ 2.8 after rounding): `None` where the computed range
    /// straddles the threshold.
    pub meets_thresholds: Option<bool>,
    /// About the EU's figures of the element (why a published value is left out).
    pub note: String,
    /// Where the EU's figures come from.
    pub source: String,
}

/// One stage of an [`EuElementRisk`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct EuStageRisk {
    /// The EU's stage.
    pub eu_stage: midstream_risk::EuStage,
    /// The chain's stage it is read from.
    pub stage: Stage,
    /// Supply risk, least and most (one value where the stage's flows are exact), rounded to
    /// one decimal.
    pub supply_risk: (Decimal, Decimal),
    /// Its factors, supplier by supplier, where the stage's flows are exact.
    pub explanation: Option<midstream_risk::Explained>,
}

/// One stage's concentration by country.
///
/// Shares are of what the stage carries in the flows that deliver the most. Where those flows
/// differ in how much a country carries, each share is a range, and the index is given as
/// bounds that hold for every such flow (each country's share is taken at its least and most
/// given the others' ranges and the stage's total); `exact` says whether the flows agree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct StageRisk {
    /// The stage.
    pub stage: Stage,
    /// What the tonnes are of (mined feed, the separated product, metal, magnets).
    pub unit: Commodity,
    /// The stage's total, least and most.
    pub total: FlowSpan,
    /// Each country that carries something in some optimal flow, largest first.
    pub countries: Vec<CountryShareRange>,
    /// Whether every country carries the same in every optimal flow (then each least equals
    /// its most).
    pub exact: bool,
    /// Herfindahl-Hirschman index, 0 to 10,000 points: at least.
    pub hhi_least: Decimal,
    /// At most.
    pub hhi_most: Decimal,
    /// The 2010 US merger guidelines' band of `hhi_least`.
    pub band_least: Band2010,
    /// The band of `hhi_most`.
    pub band_most: Band2010,
    /// Share of the largest country: at least.
    pub cr1_least: Share,
    /// At most.
    pub cr1_most: Share,
    /// Share of the three largest: at least.
    pub cr3_least: Share,
    /// At most.
    pub cr3_most: Share,
    /// Governance-weighted concentration, the EU method's `HHI_WGI` (shares as fractions,
    /// squared, times the country's WGI rescaled to 0 best .. 10 worst, trade parameter 1):
    /// least and most. `None` where a country that carries something has no estimate
    /// (`missing_governance`).
    pub governance_weighted: Option<(Decimal, Decimal)>,
    /// Countries that carry something but have no governance estimate.
    pub missing_governance: Vec<Country>,
}

/// One country's tonnes and share at a stage, least and most over all optimal flows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct CountryShareRange {
    /// The country.
    pub country: Country,
    /// Tonnes per year, least and most.
    pub tonnes: FlowSpan,
    /// Its share: at least.
    pub share_least: Share,
    /// At most.
    pub share_most: Share,
}

/// What a facility's loss would cost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct FacilityLoss {
    /// The facility.
    pub facility: FacilityId,
    /// Its name.
    pub name: String,
    /// Its country.
    pub country: Country,
    /// Its stage.
    pub stage: Stage,
    /// Deliverable lost if it stops, tonnes per year.
    pub loss: Tonnes,
    /// The loss as a share of the deliverable.
    pub share: Share,
}

/// What a country's loss would cost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct CountryLoss {
    /// The country.
    pub country: Country,
    /// Deliverable lost if all its plants stop, tonnes per year.
    pub plants_stop: Tonnes,
    /// Deliverable lost if it stops exporting (its plants still supply its own plants and
    /// buyers), tonnes per year.
    pub exports_stop: Tonnes,
    /// `plants_stop` as a share of the deliverable.
    pub share: Share,
}

/// Decimal places of the index in points and of the governance-weighted index.
const INDEX_DP: u32 = 1;
/// Decimal places of shares (a ten-thousandth of a percent: a report rounds them once more).
const SHARE_DP: u32 = 6;

/// `a / b`, or zero where `b` is zero.
fn ratio(a: Decimal, b: Decimal) -> Decimal {
    a.checked_div(b).unwrap_or(Decimal::ZERO)
}

/// A range of one value: two solves of the same flow agree to within 10 kg.
const EXACT_TOLERANCE: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// How a figure is rounded: an upper bound up and a lower bound down, so that a bound stays a
/// bound; a value that is no bound (`exact`), to the nearest, half away from zero.
fn rounding(up: bool, exact: bool) -> rust_decimal::RoundingStrategy {
    if exact {
        rust_decimal::RoundingStrategy::MidpointAwayFromZero
    } else if up {
        rust_decimal::RoundingStrategy::ToPositiveInfinity
    } else {
        rust_decimal::RoundingStrategy::ToNegativeInfinity
    }
}

/// A share in `[0, 1]` rounded to [`SHARE_DP`] places as `how` says (clamped only against
/// that rounding, never against a value outside the range: the inputs are non-negative parts
/// of their total).
fn share(value: Decimal, how: rust_decimal::RoundingStrategy) -> Share {
    Share::new(
        value
            .round_dp_with_strategy(SHARE_DP, how)
            .clamp(Decimal::ZERO, Decimal::ONE),
    )
    .unwrap_or(Share::ZERO)
}

/// The concentration of one stage from its ranges: `total` is the stage's own range, `rows`
/// each country's.
///
/// Bounds: country `c`'s share is at most `most_c / max(total.least, most_c + Σ_{d≠c}
/// least_d)` and at least `least_c / min(total.most, least_c + Σ_{d≠c} most_d)`, which holds
/// for every flow whose country amounts lie in their ranges. The index is at most
/// `min(Σ most², max most)` (a sum of squared shares never exceeds the largest share) and at
/// least `max(Σ least², 1/n)` over the `n` countries that carry anything. With point ranges
/// both bounds are the index.
fn stage_risk(
    stage: Stage,
    unit: Commodity,
    total: &StageRange,
    rows: &[&StageRange],
    governance: &GovernanceTable,
) -> Option<StageRisk> {
    let least_sum: Decimal = rows.iter().map(|r| r.least.value()).sum();
    let most_sum: Decimal = rows.iter().map(|r| r.most.value()).sum();
    // Ranges solved separately agree to the solver's accuracy, not to the digit: within
    // EXACT_TOLERANCE a range is one value.
    let point = |l: Tonnes, u: Tonnes| (u.value() - l.value()).abs() <= EXACT_TOLERANCE;
    let exact = rows.iter().all(|r| point(r.least, r.most)) && point(total.least, total.most);
    let mut countries: Vec<(Country, FlowSpan, Decimal, Decimal)> = Vec::new();
    for r in rows {
        let country = r.country?;
        let (l, u) = (r.least.value(), r.most.value());
        let (least, most) = if exact {
            // One flow: each country's share of what the countries carry, adding up to one.
            let s = ratio(u, most_sum);
            (s, s)
        } else {
            (
                ratio(l, (l + most_sum - u).min(total.most.value())),
                ratio(u, (u + least_sum - l).max(total.least.value())),
            )
        };
        countries.push((
            country,
            FlowSpan {
                least: r.least,
                most: r.most,
            },
            least,
            most,
        ));
    }
    if countries.is_empty() || total.most.value() <= Decimal::ZERO {
        return None;
    }
    countries.sort_by(|a, b| (b.2 + b.3).cmp(&(a.2 + a.3)).then_with(|| a.0.cmp(&b.0)));
    let carrying = countries.iter().filter(|c| c.3 > Decimal::ZERO).count();
    let sum_sq = |pick: fn(&(Country, FlowSpan, Decimal, Decimal)) -> Decimal| -> Decimal {
        countries.iter().map(|c| pick(c) * pick(c)).sum()
    };
    let largest_most = countries.iter().map(|c| c.3).max().unwrap_or_default();
    let largest_least = countries.iter().map(|c| c.2).max().unwrap_or_default();
    let (hhi_least, hhi_most) = if exact {
        let h = sum_sq(|c| c.2);
        (h, h)
    } else {
        let floor = ratio(Decimal::ONE, Decimal::from(carrying.max(1)));
        (
            sum_sq(|c| c.2).max(floor),
            sum_sq(|c| c.3).min(largest_most).min(Decimal::ONE),
        )
    };
    let mut by_least: Vec<Decimal> = countries.iter().map(|c| c.2).collect();
    by_least.sort_by(|a, b| b.cmp(a));
    let mut by_most: Vec<Decimal> = countries.iter().map(|c| c.3).collect();
    by_most.sort_by(|a, b| b.cmp(a));
    let top3 = |v: &[Decimal]| v.iter().take(3).copied().sum::<Decimal>().min(Decimal::ONE);
    let points = |h: Decimal, up: bool| {
        (h * Decimal::from(10_000)).round_dp_with_strategy(INDEX_DP, rounding(up, exact))
    };
    let share = |v: Decimal, up: bool| share(v, rounding(up, exact));
    let band = |h: Decimal| {
        Hhi::from_fraction(h.clamp(Decimal::ZERO, Decimal::ONE))
            .map_or(Band2010::HighlyConcentrated, Band2010::of)
    };
    let missing_governance: Vec<Country> = countries
        .iter()
        .filter(|c| c.3 > Decimal::ZERO && governance.get(c.0).is_none())
        .map(|c| c.0)
        .collect();
    let governance_weighted = missing_governance
        .is_empty()
        .then(|| governance_weighted(&countries, exact, hhi_least, governance));
    Some(StageRisk {
        stage,
        unit,
        total: FlowSpan {
            least: total.least,
            most: total.most,
        },
        exact,
        hhi_least: points(hhi_least, false),
        hhi_most: points(hhi_most, true),
        band_least: band(hhi_least),
        band_most: band(hhi_most),
        cr1_least: share(largest_least, false),
        cr1_most: share(largest_most, true),
        cr3_least: share(top3(&by_least), false),
        cr3_most: share(top3(&by_most), true),
        governance_weighted,
        missing_governance,
        countries: countries
            .into_iter()
            .map(|(country, tonnes, least, most)| CountryShareRange {
                country,
                tonnes,
                share_least: share(least, false),
                share_most: share(most, true),
            })
            .collect(),
    })
}

/// The EU method's `HHI_WGI` of a stage, least and most: each share squared times the
/// country's scaled WGI `w` (0 where the table has none; the caller checks that none is
/// missing). Where the flows differ, the bounds are also capped by what any flow allows: at most
/// `max(most_c × w_c)` (a sum `Σ s² w` never exceeds `max(s w) × Σ s`), at least the least index
/// times the smallest `w` of a country that carries something; so they stay within 0..10. Kept
/// to [`GW_DP`] places, rounded outward, so that the supply risk computed from it rounds once.
fn governance_weighted(
    countries: &[(Country, FlowSpan, Decimal, Decimal)],
    exact: bool,
    hhi_least: Decimal,
    governance: &GovernanceTable,
) -> (Decimal, Decimal) {
    let w = |c: Country| {
        governance
            .get(c)
            .map_or(Decimal::ZERO, midstream_risk::Wgi::eu_scaled)
    };
    let weighted = |pick: fn(&(Country, FlowSpan, Decimal, Decimal)) -> Decimal| -> Decimal {
        countries.iter().map(|c| pick(c) * pick(c) * w(c.0)).sum()
    };
    let (least, most) = if exact {
        let v = weighted(|c| c.2);
        (v, v)
    } else {
        let cap = countries
            .iter()
            .map(|c| c.3 * w(c.0))
            .max()
            .unwrap_or_default();
        let floor = countries
            .iter()
            .filter(|c| c.3 > Decimal::ZERO)
            .map(|c| w(c.0))
            .min()
            .unwrap_or_default()
            * hhi_least;
        (weighted(|c| c.2).max(floor), weighted(|c| c.3).min(cap))
    };
    (
        least.round_dp_with_strategy(GW_DP, rounding(false, exact)),
        most.round_dp_with_strategy(GW_DP, rounding(true, exact)),
    )
}

/// Decimal places the governance-weighted index is kept to.
const GW_DP: u32 = 6;

impl Analysis {
    /// How risky the chain of `commodity` is in `scenario`: each stage's concentration by
    /// country on the flows that deliver the most (side by side, so that "mining is spread,
    /// separation is not" shows as numbers), governance-weighted where every country that
    /// carries something has a WGI estimate, and what the loss of each facility and each
    /// country (its plants, or only its exports) would cost.
    ///
    /// ```
    /// use midstream::prelude::*;
    ///
    /// let analysis = midstream::Analysis::embedded("rare-earths-2025")?;
    /// let ndpr: Commodity = "NdPr:oxide".parse()?;
    /// let risk = analysis.risk(&ndpr, &Scenario::baseline())?;
    /// let stage = |s: Stage| risk.stages.iter().find(|r| r.stage == s);
    /// let (mining, separation) = (stage(Stage::Mining), stage(Stage::Separation));
    /// // Separation is more concentrated than mining.
    /// assert!(separation.map(|s| s.hhi_least) > mining.map(|s| s.hhi_most));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Analysis::bottleneck`].
    pub fn risk(
        &self,
        commodity: &Commodity,
        scenario: &Scenario,
    ) -> Result<RiskAssessment, Error> {
        let mut model = BalanceModel::build(&self.data, commodity)?;
        self.risk_with(&mut model, commodity, scenario)
    }

    /// [`Analysis::risk`] on a model already built for `commodity`.
    fn risk_with(
        &self,
        model: &mut BalanceModel,
        commodity: &Commodity,
        scenario: &Scenario,
    ) -> Result<RiskAssessment, Error> {
        let balance = model.solve_with(scenario, &crate::analysis::REPORT_OPTIONS)?;
        self.risk_of(model, commodity, scenario, &balance)
    }

    /// [`Analysis::risk`] from the model's answer to `scenario` with ranges by stage and
    /// country (a report has it from the bottleneck already).
    pub(crate) fn risk_of(
        &self,
        model: &mut BalanceModel,
        commodity: &Commodity,
        scenario: &Scenario,
        balance: &midstream_graph::BalanceReport,
    ) -> Result<RiskAssessment, Error> {
        let year = balance.year;
        let scenario = Scenario {
            year: Some(year),
            ..scenario.clone()
        };
        let deliverable = balance.deliverable;
        let mut by_stage: BTreeMap<Stage, (Option<&StageRange>, Vec<&StageRange>)> =
            BTreeMap::new();
        for r in &balance.stages {
            let entry = by_stage.entry(r.stage).or_default();
            match r.country {
                None => entry.0 = Some(r),
                Some(_) => entry.1.push(r),
            }
        }
        let mut notes = Vec::new();
        let mut stages: Vec<StageRisk> = Vec::new();
        for (stage, (total, rows)) in by_stage {
            let Some(total) = total else { continue };
            match total.unit {
                Some(unit) => {
                    stages.extend(stage_risk(stage, unit, total, &rows, &self.governance));
                }
                None => notes.push(format!(
                    "{stage} is left out: its plants state capacity in different commodities, \
                     so their tonnes do not add up to shares."
                )),
            }
        }

        let (facilities, countries, facilities_omitted, countries_omitted) =
            self.losses(model, &scenario, deliverable)?;
        for (n, what) in [
            (facilities_omitted, "plants"),
            (countries_omitted, "countries"),
        ] {
            if n > 0 {
                notes.push(format!(
                    "{n} more {what} whose loss would cost something are not listed (the \
                     {MAX_LOSSES} largest are)."
                ));
            }
        }
        let (eu, eu_notes) = eu_risk(commodity, &stages, &self.governance)?;
        notes.extend(eu_notes);
        Ok(RiskAssessment {
            commodity: *commodity,
            year,
            deliverable,
            eu,
            stages,
            facilities,
            countries,
            governance: self.governance.source.clone(),
            notes,
        })
    }

    /// What the loss of each plant of the chain, and of each country's plants or exports,
    /// would cost `deliverable` in `scenario`: the largest [`MAX_LOSSES`] of each, and how many
    /// more of each had a loss.
    fn losses(
        &self,
        model: &mut BalanceModel,
        scenario: &Scenario,
        deliverable: Tonnes,
    ) -> Result<(Vec<FacilityLoss>, Vec<CountryLoss>, usize, usize), Error> {
        let base = deliverable.value();
        // Losing a plant or a country never adds supply (a tested invariant of the program);
        // the solver's answers agree to the kilogram they are rounded to, so a gain of at most
        // one kilogram is noise and reads as no loss, and a larger one is a bug.
        let lost = |with: Tonnes| -> Result<Tonnes, Error> {
            let loss = base - with.value();
            if loss < Decimal::new(-1, 3) {
                return Err(Error::Internal {
                    reason: "a plant's or a country's loss raised deliverable supply",
                });
            }
            Ok(Tonnes::new(loss.max(Decimal::ZERO)))
        };
        // What runs in the scenario: producing plants, and the projects it brings online.
        let runs = |f: &midstream_domain::Facility| {
            !scenario.exclude_facilities.contains(&f.id)
                && (f.maturity.is_producing()
                    || (f.maturity.is_project()
                        && (scenario.all_projects_online
                            || scenario.projects_online.contains(&f.id))))
        };
        let mut facilities = Vec::new();
        for f in &self.data.facilities {
            if f.capacities.is_empty() || !runs(f) || !model.feeds_target(f.id.as_str()) {
                continue;
            }
            let without = Scenario {
                exclude_facilities: scenario
                    .exclude_facilities
                    .iter()
                    .cloned()
                    .chain([f.id.clone()])
                    .collect(),
                ..scenario.clone()
            };
            let loss = lost(model.deliverable(&without)?)?;
            if loss.value() > Decimal::ZERO {
                facilities.push(FacilityLoss {
                    facility: f.id.clone(),
                    name: f.name.clone(),
                    country: f.country,
                    stage: f.stage,
                    loss,
                    share: share(ratio(loss.value(), base), rounding(false, false)),
                });
            }
        }
        facilities.sort_by(|a, b| {
            b.loss
                .cmp(&a.loss)
                .then_with(|| a.facility.cmp(&b.facility))
        });
        let facilities_omitted = facilities.len().saturating_sub(MAX_LOSSES);
        facilities.truncate(MAX_LOSSES);

        let mut countries = Vec::new();
        let chain_countries: std::collections::BTreeSet<Country> = self
            .data
            .facilities
            .iter()
            .filter(|f| runs(f) && model.feeds_target(f.id.as_str()))
            .map(|f| f.country_by(scenario.control))
            .collect();
        for country in chain_countries {
            let plants = Scenario {
                exclude_countries: scenario
                    .exclude_countries
                    .iter()
                    .copied()
                    .chain([country])
                    .collect(),
                ..scenario.clone()
            };
            let exports = Scenario {
                export_stops: scenario
                    .export_stops
                    .iter()
                    .copied()
                    .chain([country])
                    .collect(),
                ..scenario.clone()
            };
            let plants_stop = lost(model.deliverable(&plants)?)?;
            let exports_stop = lost(model.deliverable(&exports)?)?;
            if plants_stop.value() > Decimal::ZERO || exports_stop.value() > Decimal::ZERO {
                countries.push(CountryLoss {
                    country,
                    plants_stop,
                    exports_stop,
                    share: share(ratio(plants_stop.value(), base), rounding(false, false)),
                });
            }
        }
        countries.sort_by(|a, b| {
            b.plants_stop
                .cmp(&a.plants_stop)
                .then(b.exports_stop.cmp(&a.exports_stop))
                .then_with(|| a.country.cmp(&b.country))
        });
        let countries_omitted = countries.len().saturating_sub(MAX_LOSSES);
        countries.truncate(MAX_LOSSES);
        Ok((facilities, countries, facilities_omitted, countries_omitted))
    }
}

/// The EU method on the chain's stages, for each element of `commodity` the EU 2023 data has.
fn eu_risk(
    commodity: &Commodity,
    stages: &[StageRisk],
    governance: &GovernanceTable,
) -> Result<(Vec<EuElementRisk>, Vec<String>), Error> {
    use midstream_risk::EuStage;
    use rust_decimal::RoundingStrategy::MidpointAwayFromZero;
    // The embedded figures are read by the data crate's tests; a failure here is a bug.
    let parse = |text: &str| {
        text.parse::<Decimal>().map_err(|_| Error::Internal {
            reason: "an embedded EU 2023 figure does not read as a decimal",
        })
    };
    let find = |s: Stage| stages.iter().find(|r| r.stage == s);
    let extraction = find(Stage::Mining);
    let processing = find(Stage::Separation).or_else(|| find(Stage::MetalRefining));
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for element in commodity.elements().iter() {
        let Some(m) = midstream_data::eu_2023(element.symbol()) else {
            continue;
        };
        let eol = parse(m.eol_rir_percent)? / Decimal::ONE_HUNDRED;
        let si = parse(m.si_sr)?;
        let round = |d: Decimal| d.round_dp_with_strategy(1, MidpointAwayFromZero);
        let (eu_stages, missing) = eu_stages(
            [
                (EuStage::Extraction, extraction),
                (EuStage::Processing, processing),
            ],
            eol,
            si,
            governance,
        )?;
        if eu_stages.is_empty() {
            if !missing.is_empty() {
                notes.push(format!(
                    "The EU supply risk of {} is not computed: {}.",
                    element.symbol(),
                    missing.join("; ")
                ));
            }
            continue;
        }
        let supply_risk = eu_stages
            .iter()
            .map(|s| s.supply_risk)
            .fold((Decimal::ZERO, Decimal::ZERO), |a, b| {
                (a.0.max(b.0), a.1.max(b.1))
            });
        let economic_importance = parse(m.economic_importance)?;
        let thresholds = midstream_risk::EuThresholds::default();
        let ei_ok = round(economic_importance) >= thresholds.economic_importance;
        let meets_thresholds = if !missing.is_empty() {
            None
        } else if !ei_ok || supply_risk.1 < thresholds.supply_risk {
            Some(false)
        } else if supply_risk.0 >= thresholds.supply_risk {
            Some(true)
        } else {
            None
        };
        let published_supply_risk = match m.supply_risk {
            Some((sr, stage)) => Some((parse(sr)?, stage.to_owned())),
            None => None,
        };
        out.push(EuElementRisk {
            element: element.symbol().to_owned(),
            end_of_life_recycling_input_rate: eol,
            substitution_index: si,
            stages: eu_stages,
            supply_risk,
            published_supply_risk,
            economic_importance,
            meets_thresholds,
            note: eu_note(m.note, &missing),
            source: midstream_data::EU_2023_SOURCE.to_owned(),
        });
    }
    Ok((out, notes))
}

/// The EU supply risk of each stage given, on global supply only, with end-of-life recycling
/// `eol` and substitution `si`; and the stages that could not be computed (a country without a
/// governance estimate), in words.
fn eu_stages(
    stages: [(midstream_risk::EuStage, Option<&StageRisk>); 2],
    eol: Decimal,
    si: Decimal,
    governance: &GovernanceTable,
) -> Result<(Vec<EuStageRisk>, Vec<String>), Error> {
    use midstream_risk::{EuParams, EuStageInputs, Shares, eu_stage_supply_risk};
    use rust_decimal::RoundingStrategy::MidpointAwayFromZero;
    let factor = (Decimal::ONE - eol) * si;
    let round = |d: Decimal| d.round_dp_with_strategy(1, MidpointAwayFromZero);
    let mut eu_stages = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for (eu_stage, stage) in stages {
        let Some(stage) = stage else { continue };
        let Some((least, most)) = stage.governance_weighted else {
            missing.push(format!(
                "{} ({} has no governance estimate for {})",
                eu_stage.as_str(),
                stage.stage,
                stage
                    .missing_governance
                    .iter()
                    .map(Country::code)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            continue;
        };
        let explanation = if stage.exact {
            let amounts = stage
                .countries
                .iter()
                .filter(|c| c.tonnes.most.value() > Decimal::ZERO)
                .map(|c| (c.country, c.tonnes.most.value()));
            let shares = Shares::from_amounts(amounts, None)?;
            let inputs = EuStageInputs::global_only(eu_stage, shares, eol, si);
            Some(eu_stage_supply_risk(&inputs, governance, &EuParams::default())?.explanation)
        } else {
            None
        };
        eu_stages.push(EuStageRisk {
            eu_stage,
            stage: stage.stage,
            supply_risk: (round(least * factor), round(most * factor)),
            explanation,
        });
    }
    Ok((eu_stages, missing))
}

/// The note of an element's EU figures, with the stages that could not be computed.
fn eu_note(note: &str, missing: &[String]) -> String {
    if missing.is_empty() {
        return note.to_owned();
    }
    let lead = if note.is_empty() {
        String::new()
    } else {
        format!("{note} ")
    };
    format!(
        "{lead}Not computed: {}; the supply risk is of the other stage only, and no threshold \
         verdict is given.",
        missing.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const COUNTRIES: [&str; 6] = ["CN", "AU", "US", "MY", "MM", "TH"];

    fn range(country: Option<&str>, least: u32, most: u32) -> StageRange {
        StageRange {
            stage: Stage::Separation,
            country: country.map(|c| c.parse().unwrap()),
            unit: "NdPr:oxide".parse().ok(),
            least: Tonnes::new(Decimal::from(least)),
            most: Tonnes::new(Decimal::from(most)),
        }
    }

    fn risk_of(rows: &[StageRange], total: &StageRange) -> StageRisk {
        let refs: Vec<&StageRange> = rows.iter().collect();
        stage_risk(
            Stage::Separation,
            "NdPr:oxide".parse().unwrap(),
            total,
            &refs,
            &crate::default_governance(),
        )
        .unwrap()
    }

    #[test]
    fn point_ranges_give_the_exact_index() {
        // 80 / 20: HHI 0.68, 6800 points; CR1 80 %.
        let rows = [range(Some("CN"), 80, 80), range(Some("AU"), 20, 20)];
        let r = risk_of(&rows, &range(None, 100, 100));
        assert!(r.exact);
        assert_eq!(r.hhi_least, Decimal::from(6800));
        assert_eq!(r.hhi_most, Decimal::from(6800));
        assert_eq!(r.cr1_least.value(), Decimal::new(8, 1));
        assert_eq!(r.band_least, Band2010::HighlyConcentrated);
        // Σ s² × WGI scaled: 0.64 × CN + 0.04 × AU, both from the embedded table.
        let g = crate::default_governance();
        let w = |c: &str| g.get(c.parse().unwrap()).unwrap().eu_scaled();
        let expected = (Decimal::new(64, 2) * w("CN") + Decimal::new(4, 2) * w("AU"))
            .round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        assert_eq!(r.governance_weighted, Some((expected, expected)));
    }

    #[test]
    fn a_country_without_an_estimate_leaves_the_weighted_index_out() {
        let rows = [range(Some("CN"), 80, 80), range(Some("AU"), 20, 20)];
        let refs: Vec<&StageRange> = rows.iter().collect();
        let r = stage_risk(
            Stage::Separation,
            "NdPr:oxide".parse().unwrap(),
            &range(None, 100, 100),
            &refs,
            &GovernanceTable::default(),
        )
        .unwrap();
        assert_eq!(r.governance_weighted, None);
        assert_eq!(r.missing_governance.len(), 2);
    }

    proptest! {
        /// Every flow whose country amounts lie in their ranges has its shares, its index and
        /// its largest share inside the reported bounds, and the bounds lie in [1/n, 1].
        #[test]
        fn bounds_hold_for_every_flow_in_the_ranges(
            spans in prop::collection::vec((0u32..1000, 0u32..1000, 0u32..=100), 1..6),
        ) {
            // Each country: least, most, and where the flow sits between them (percent).
            let mut rows = Vec::new();
            let mut flow = Vec::new();
            for (k, (a, b, at)) in spans.iter().enumerate() {
                let (l, u) = (*a.min(b), *a.max(b));
                rows.push(range(Some(COUNTRIES[k]), l, u));
                flow.push(Decimal::from(l) + Decimal::from(u - l) * Decimal::from(*at) / Decimal::ONE_HUNDRED);
            }
            let least: u32 = rows.iter().map(|r| u32::try_from(r.least.value().mantissa()).unwrap()).sum();
            let most: u32 = rows.iter().map(|r| u32::try_from(r.most.value().mantissa()).unwrap()).sum();
            prop_assume!(most > 0);
            let total: Decimal = flow.iter().sum();
            prop_assume!(total > Decimal::ZERO);
            let r = risk_of(&rows, &range(None, least, most));
            let hhi: Decimal = flow.iter().map(|x| (x / total) * (x / total)).sum::<Decimal>()
                * Decimal::from(10_000);
            let slack = Decimal::ONE; // a point of index, for rounding to a tenth
            prop_assert!(r.hhi_least - slack <= hhi && hhi <= r.hhi_most + slack,
                "HHI {hhi} outside {}..{}", r.hhi_least, r.hhi_most);
            let carrying = rows.iter().filter(|r| r.most.value() > Decimal::ZERO).count();
            let floor = Decimal::from(10_000) / Decimal::from(carrying);
            prop_assert!(r.hhi_least + slack >= floor);
            prop_assert!(r.hhi_most <= Decimal::from(10_000));
            let tenth = Decimal::new(1, 4); // shares are rounded to 0.01 %
            for (row, x) in rows.iter().zip(&flow) {
                let s = x / total;
                let c = r.countries.iter().find(|c| Some(c.country) == row.country).unwrap();
                prop_assert!(c.share_least.value() - tenth <= s && s <= c.share_most.value() + tenth);
            }
            let g = crate::default_governance();
            let gw: Decimal = rows.iter().zip(&flow).map(|(row, x)| {
                let s = x / total;
                s * s * g.get(row.country.unwrap()).unwrap().eu_scaled()
            }).sum();
            let (gl, gm) = r.governance_weighted.unwrap();
            prop_assert!(gl - tenth <= gw && gw <= gm + tenth, "HHI_WGI {gw} outside {gl}..{gm}");
            prop_assert!(gl >= Decimal::ZERO && gm <= Decimal::TEN);
            let largest = flow.iter().max().copied().unwrap_or_default() / total;
            prop_assert!(r.cr1_least.value() - tenth <= largest && largest <= r.cr1_most.value() + tenth);
        }
    }
}
