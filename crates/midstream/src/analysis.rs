//! `Analysis`: graph and risk together, over one dataset.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;

use midstream_domain::{Commodity, Country, FacilityId, Share, Stage, Tonnes, ValidDataset};
use midstream_graph::{
    BalanceModel, BalanceOptions, BalanceReport, BottleneckReport, CutMember, GraphError, Scenario,
    StageRange, SupplyGraph,
};
use midstream_risk::{
    DeliveryAssessment, DeliveryContext, DeliveryParams, GovernanceTable, assess_dataset_delivery,
    metallurgical_base,
};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::Error;

/// A dataset with the settings to analyse it: governance estimates and delivery parameters.
///
/// The analysis crates stay independent (graph never imports risk); this is where they meet:
/// the minimum cut comes from the graph, the delivery probabilities of projects from risk.
///
/// ```
/// use midstream::prelude::*;
/// use midstream::Analysis;
/// let data = Dataset::from_json_str(r#"{
///   "format_version": 1, "name": "toy", "as_of": "2024-12-31",
///   "facilities": [
///     {"id": "mine", "name": "Mine", "country": "AU", "stage": "mining", "maturity": "operating",
///      "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "100"}]},
///     {"id": "sep", "name": "Separator", "country": "MY", "stage": "separation",
///      "maturity": "operating", "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "60"}]},
///     {"id": "kz", "name": "Project", "country": "KZ", "stage": "separation",
///      "maturity": "letter_of_interest",
///      "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "40"}]}
///   ]
/// }"#)?.validate()?;
/// let analysis = Analysis::new(data);
/// let ndpr: Commodity = "NdPr:oxide".parse()?;
/// let b = analysis.bottleneck(&ndpr, &Scenario::baseline())?;
/// assert_eq!(b.report.deliverable.to_string(), "60 t");
/// // With the project online, 40 t more could flow: a real but unlikely option.
/// let online = Scenario { all_projects_online: true, ..Scenario::default() };
/// let c = analysis.compare(&ndpr, &Scenario::baseline(), &online)?;
/// assert_eq!(c.deliverable_change.to_string(), "40 t");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Analysis {
    pub(crate) data: ValidDataset,
    pub(crate) governance: GovernanceTable,
    delivery: DeliveryParams,
}

/// What the analysis asks of the material balance: marginal values and the ranges a report
/// shows (by stage and country, links, by-products), not one range per facility (ask
/// [`BalanceModel::solve`] for those, as `midstream export --as dot` does).
/// The deliverable alone: no marginal values, no ranges (outlook draws, project rankings).
pub(crate) const QUICK: BalanceOptions = BalanceOptions::DELIVERABLE_ONLY;

pub(crate) const REPORT_OPTIONS: BalanceOptions = BalanceOptions {
    marginals: true,
    ranges: true,
    facility_ranges: false,
    threads: 0,
};

/// The bottleneck of one commodity in one scenario, with the delivery risk of what is in it.
///
/// Two views of one question. `balance` is the material-balance program's answer (joint
/// products, recipes, link bounds): the deliverable, every bound that binds with what one tonne
/// of it is worth, and the least and the most each facility and stage carries over all optimal
/// solutions. `report` is the single-product max-flow graph's: the minimum cut by stage and
/// country and the paths. On a format-1 dataset both give the same deliverable (a tested
/// invariant); on format 2 only `balance` follows the chain's materials, and
/// [`BottleneckAnalysis::single_product`] says so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct BottleneckAnalysis {
    /// The graph's report: deliverable, shortfall, the cut, utilisation, paths. Empty
    /// ([`BottleneckReport::empty`]) for a format-2 product no facility states a capacity of
    /// (one stated in feed only): read `balance`.
    pub report: BottleneckReport,
    /// Delivery assessments of the facilities in the cut, in cut order.
    pub cut_delivery: Vec<DeliveryAssessment>,
    /// The material-balance answer: deliverable, marginal values, ranges by stage and country,
    /// by-products (no per-facility ranges: see `REPORT_OPTIONS` in the source).
    pub balance: BalanceReport,
    /// Whether the single-product graph stands for the whole chain (a format-1 dataset), so
    /// that its minimum cut is the binding set; otherwise read the binding set from `balance`.
    pub single_product: bool,
}

/// Baseline against scenario, for one commodity.
///
/// Deliverable and shortfall come from the material-balance program (see
/// [`BottleneckAnalysis`]); where the flow goes is stated as the least and the most each stage
/// and country carries over all optimal solutions, never as one solver's choice among them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Comparison {
    /// The baseline's max-flow report.
    pub baseline: BottleneckReport,
    /// The scenario's max-flow report.
    pub scenario: BottleneckReport,
    /// The baseline's material balance.
    pub baseline_balance: BalanceReport,
    /// The scenario's material balance.
    pub scenario_balance: BalanceReport,
    /// Scenario deliverable minus baseline deliverable (material balance).
    pub deliverable_change: Tonnes,
    /// Scenario shortfall minus baseline shortfall, if there is demand.
    pub shortfall_change: Option<Tonnes>,
    /// What passes through each stage, in stage order.
    pub by_stage: Vec<StageDelta>,
    /// What passes through each stage in each country, largest change of the range's midpoint
    /// first (ties by stage, then country).
    pub by_stage_country: Vec<StageCountryDelta>,
    /// Whether the binding stage moved (the cut's largest stage in each; on a dataset that is
    /// not single-product, the stage of the most valuable binding capacity).
    pub bottleneck_moved: bool,
}

/// The least and the most that passes somewhere over all optimal solutions, tonnes per year.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct FlowSpan {
    /// The least.
    pub least: Tonnes,
    /// The most.
    pub most: Tonnes,
}

impl FlowSpan {
    /// `least + most`: twice the midpoint, exact, for ordering changes.
    fn twice_midpoint(self) -> Decimal {
        self.least.value() + self.most.value()
    }
}

impl std::fmt::Display for FlowSpan {
    /// `1200` when least and most agree, `0 to 1200` otherwise, each as
    /// [`Tonnes::readable`] states it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (least, most) = (self.least.readable(), self.most.readable());
        if least == most {
            write!(f, "{least}")
        } else {
            write!(f, "{least} to {most}")
        }
    }
}

/// What passes through one stage, baseline and scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct StageDelta {
    /// The stage.
    pub stage: Stage,
    /// Baseline least and most through it.
    pub baseline: FlowSpan,
    /// Scenario least and most through it.
    pub scenario: FlowSpan,
}

/// What passes through one stage in one country, baseline and scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct StageCountryDelta {
    /// The stage.
    pub stage: Stage,
    /// The country (site, or owner when the scenario's control says so).
    pub country: Country,
    /// Baseline least and most through the country's facilities at the stage.
    pub baseline: FlowSpan,
    /// Scenario least and most.
    pub scenario: FlowSpan,
}

impl Analysis {
    /// An analysis of `data` with the embedded governance estimates ([`crate::default_governance`]:
    /// the World Bank's WGI, 2024 Update) and the default delivery parameters.
    #[must_use]
    pub fn new(data: ValidDataset) -> Self {
        Self {
            data,
            governance: crate::default_governance(),
            delivery: DeliveryParams::default(),
        }
    }

    /// An analysis of a dataset file: read (at most [`midstream_domain::MAX_FILE_BYTES`]),
    /// parsed and validated.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("midstream-doc-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir)?;
    /// let path = dir.join("empty.json");
    /// std::fs::write(&path, r#"{"format_version": 1, "name": "empty", "as_of": "2024-12-31"}"#)?;
    /// let err = midstream::Analysis::from_file(&path).unwrap_err();
    /// // The error names the file and the rule: a dataset needs at least one facility.
    /// assert!(err.to_string().contains("empty.json"));
    /// assert!(err.to_string().contains("no_facilities"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Load`] if the file cannot be read or parsed (every broken record, with line,
    /// column, JSON path and record id); [`Error::InvalidFile`] if it breaks validation rules.
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let data = midstream_domain::Dataset::from_json_file(path)?
            .validate()
            .map_err(|report| Error::InvalidFile {
                file: path.to_owned(),
                report,
            })?;
        Ok(Self::new(data))
    }

    /// An analysis of an embedded dataset (see [`midstream_data::names`]).
    ///
    /// ```
    /// let analysis = midstream::Analysis::embedded("rare-earths-2024")?;
    /// assert!(!analysis.data().facilities.is_empty());
    /// assert!(midstream::Analysis::embedded("no-such-dataset").is_err());
    /// # Ok::<(), midstream::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Data`] for an unknown name.
    pub fn embedded(name: &str) -> Result<Self, Error> {
        Ok(Self::new(midstream_data::load(name)?))
    }

    /// Sets the governance estimates used by the delivery scores and the governance-weighted
    /// concentration (replacing the embedded WGI table).
    #[must_use]
    pub fn with_governance(mut self, governance: GovernanceTable) -> Self {
        self.governance = governance;
        self
    }

    /// Sets the delivery-risk parameters.
    #[must_use]
    pub fn with_delivery_params(mut self, params: DeliveryParams) -> Self {
        self.delivery = params;
        self
    }

    /// The dataset.
    #[must_use]
    pub fn data(&self) -> &ValidDataset {
        &self.data
    }

    fn context(&self, years: RangeInclusive<i32>) -> DeliveryContext {
        DeliveryContext {
            governance: self.governance.clone(),
            metallurgical_base: metallurgical_base(&self.data),
            ..DeliveryContext::new(self.data.as_of, years)
        }
    }

    /// Delivery assessments of every facility, for the given years.
    ///
    /// # Errors
    /// The risk crate's errors (invalid parameters, quantities).
    pub fn delivery(&self, years: RangeInclusive<i32>) -> Result<Vec<DeliveryAssessment>, Error> {
        Ok(assess_dataset_delivery(
            &self.data,
            &self.context(years),
            &self.delivery,
        )?)
    }

    /// The bottleneck of `commodity` in `scenario`, with the delivery risk of the facilities
    /// in the cut.
    ///
    /// # Errors
    /// The graph's errors (unknown commodity, scenario naming unknown facilities or countries,
    /// overflow) and the risk crate's.
    pub fn bottleneck(
        &self,
        commodity: &Commodity,
        scenario: &Scenario,
    ) -> Result<BottleneckAnalysis, Error> {
        let mut model = BalanceModel::build(&self.data, commodity)?;
        self.bottleneck_with(&mut model, commodity, scenario)
    }

    /// [`Analysis::bottleneck`] on a material-balance model already built for `commodity`.
    pub(crate) fn bottleneck_with(
        &self,
        model: &mut BalanceModel,
        commodity: &Commodity,
        scenario: &Scenario,
    ) -> Result<BottleneckAnalysis, Error> {
        let report = match SupplyGraph::build(&self.data, commodity, scenario) {
            Ok(graph) => graph.bottleneck()?,
            // On format 2 a product may be stated in feed only (a separator's products): the
            // single-product graph has no chain of it, and the material balance answers.
            Err(GraphError::UnknownCommodity { .. }) if self.data.format_version >= 2 => {
                let year = scenario.year.unwrap_or_else(|| self.data.as_of_year());
                BottleneckReport::empty(*commodity, year)
            }
            Err(e) => return Err(e.into()),
        };
        let balance = model.solve_with(scenario, &REPORT_OPTIONS)?;
        let in_cut: Vec<&FacilityId> = report
            .cut
            .iter()
            .filter_map(|m| match m {
                CutMember::Facility { id, .. } => Some(id),
                _ => None,
            })
            .collect();
        let year = report.year;
        let assessments = self.delivery(year..=year)?;
        let cut_delivery = in_cut
            .iter()
            .filter_map(|id| assessments.iter().find(|a| &a.facility == *id).cloned())
            .collect();
        Ok(BottleneckAnalysis {
            report,
            cut_delivery,
            balance,
            single_product: self.data.format_version == 1,
        })
    }

    /// Baseline against scenario: deliverable, shortfall, and where the flow moved. The
    /// material-balance model is built once and solved for both.
    ///
    /// # Errors
    /// As [`Analysis::bottleneck`].
    pub fn compare(
        &self,
        commodity: &Commodity,
        baseline: &Scenario,
        scenario: &Scenario,
    ) -> Result<Comparison, Error> {
        let mut model = BalanceModel::build(&self.data, commodity)?;
        let base = self.bottleneck_with(&mut model, commodity, baseline)?;
        let alt = self.bottleneck_with(&mut model, commodity, scenario)?;
        let change = |a: Tonnes, b: Tonnes| b.checked_sub(a).map_err(Error::from);
        let deliverable_change = change(base.balance.deliverable, alt.balance.deliverable)?;
        let shortfall_change = match (base.balance.shortfall(), alt.balance.shortfall()) {
            (Some(a), Some(b)) => Some(change(a, b)?),
            _ => None,
        };
        let spans = |b: &BalanceReport| -> BTreeMap<(Stage, Option<Country>), FlowSpan> {
            b.stages
                .iter()
                .map(|r: &StageRange| {
                    let span = FlowSpan {
                        least: r.least,
                        most: r.most,
                    };
                    ((r.stage, r.country), span)
                })
                .collect()
        };
        let (before, after) = (spans(&base.balance), spans(&alt.balance));
        let keys: BTreeSet<(Stage, Option<Country>)> =
            before.keys().chain(after.keys()).copied().collect();
        let mut by_stage = Vec::new();
        let mut by_stage_country = Vec::new();
        for key in keys {
            let baseline = before.get(&key).copied().unwrap_or_default();
            let scenario = after.get(&key).copied().unwrap_or_default();
            match key {
                (stage, None) => by_stage.push(StageDelta {
                    stage,
                    baseline,
                    scenario,
                }),
                (stage, Some(country)) => by_stage_country.push(StageCountryDelta {
                    stage,
                    country,
                    baseline,
                    scenario,
                }),
            }
        }
        by_stage_country.sort_by(|a, b| {
            let da = (a.scenario.twice_midpoint() - a.baseline.twice_midpoint()).abs();
            let db = (b.scenario.twice_midpoint() - b.baseline.twice_midpoint()).abs();
            db.cmp(&da)
                .then(a.stage.cmp(&b.stage))
                .then(a.country.cmp(&b.country))
        });
        let bottleneck_moved = base.binding_stage() != alt.binding_stage();
        Ok(Comparison {
            baseline: base.report,
            scenario: alt.report,
            baseline_balance: base.balance,
            scenario_balance: alt.balance,
            deliverable_change,
            shortfall_change,
            by_stage,
            by_stage_country,
            bottleneck_moved,
        })
    }
}

impl Analysis {
    /// One optimal flow of `commodity` in `scenario`, supplier to consumer and to the buyers
    /// (the world, without a cap): the centre of all optimal flows, traced through markets in
    /// proportion ([`BalanceModel::flows`]). For a Sankey ([`crate::svg::sankey`]) or an edge
    /// list ([`crate::csv::flows`]); the ranges each facility and stage can carry are in
    /// [`Analysis::bottleneck`].
    ///
    /// ```
    /// use midstream::Analysis;
    /// let analysis = Analysis::embedded("rare-earths-2025")?;
    /// let flows = analysis.flows(&"NdPr:magnet".parse()?, &midstream::graph::Scenario::baseline())?;
    /// // Everything delivered leaves a magnet maker.
    /// assert!(flows.iter().any(|f| f.to.is_none()));
    /// let svg = midstream::svg::sankey(analysis.data(), &flows, "NdFeB magnets, 2025");
    /// assert!(svg.contains("buyers"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Analysis::bottleneck`].
    pub fn flows(
        &self,
        commodity: &Commodity,
        scenario: &Scenario,
    ) -> Result<Vec<midstream_graph::ShipmentFlow>, Error> {
        Ok(BalanceModel::build_supply(&self.data, commodity)?.flows(scenario)?)
    }
}

impl BottleneckAnalysis {
    /// The stage that binds: the minimum cut's largest stage on a single-product chain;
    /// otherwise the stage whose binding capacities carry the most target, each bound times
    /// its loss per tonne, as [`Self::binding_country`] ranks countries (ties: the earlier
    /// stage). A capacity whose loss is not stated (a reduced-accuracy solve) counts its bound.
    #[must_use]
    pub fn binding_stage(&self) -> Option<Stage> {
        if self.single_product {
            return self.report.binding_stage().map(|s| s.stage);
        }
        let mut by_stage: BTreeMap<Stage, Decimal> = BTreeMap::new();
        for m in self.balance.binding_capacities() {
            if let Some(stage) = m.stage {
                let loss = m.loss_per_tonne.unwrap_or(Decimal::ONE);
                *by_stage.entry(stage).or_default() += m.bound.value() * loss;
            }
        }
        by_stage
            .into_iter()
            .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))
            .map(|(stage, _)| stage)
    }

    /// The country that holds most of what binds: the cut's first country on a single-product
    /// chain; otherwise the country whose binding capacities carry the most target, each
    /// bound times its loss per tonne (capacities are stated in feed, oxide or metal: this
    /// puts them in tonnes of the target; ties by country code).
    #[must_use]
    pub fn binding_country(&self) -> Option<Country> {
        if self.single_product {
            return self.report.cut_by_country.first().map(|c| c.country);
        }
        self.binding_by_country().first().map(|(c, _)| *c)
    }

    /// On the material balance, what binds by country: per country, the tonnes of the target
    /// its binding capacities carry (each bound times its loss per tonne), largest first (ties
    /// by country code). Empty where nothing binds.
    ///
    /// ```
    /// use midstream::Analysis;
    /// let b = Analysis::embedded("rare-earths-2025")?
    ///     .bottleneck(&"Dy:oxide".parse()?, &midstream::graph::Scenario::baseline())?;
    /// let by_country = b.binding_by_country();
    /// assert_eq!(by_country.first().map(|(c, _)| c.code()), Some("CN"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn binding_by_country(&self) -> Vec<(Country, Decimal)> {
        let mut by_country: BTreeMap<Country, Decimal> = BTreeMap::new();
        for m in self.balance.binding_capacities() {
            if let (Some(country), Some(loss)) = (m.country, m.loss_per_tonne) {
                *by_country.entry(country).or_default() += m.bound.value() * loss;
            }
        }
        let mut list: Vec<(Country, Decimal)> = by_country.into_iter().collect();
        list.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        list
    }
}

/// The probability that a facility delivers by `year`, from its assessment (zero for a facility
/// without one: a producing plant is not assessed as a project).
pub(crate) fn probability_by(
    assessments: &[DeliveryAssessment],
    id: &FacilityId,
    year: i32,
) -> Decimal {
    assessments
        .iter()
        .find(|a| &a.facility == id)
        .and_then(|a| a.probability_by(year))
        .map_or(Decimal::ZERO, Share::value)
}
