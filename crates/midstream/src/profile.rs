//! Signals or supply: a country's operating base against its announced pipeline
//! ([`Analysis::profile`]).

use std::collections::{BTreeMap, BTreeSet};

use midstream_domain::{Commodity, Country, FacilityId, Stage, Tonnes};
use midstream_graph::{BalanceModel, BalanceOptions, Scenario};
use midstream_risk::DeliveryAssessment;
use serde::Serialize;

use crate::analysis::QUICK;
use crate::{Analysis, Error};

/// A country's operating capacity against its announced pipeline, for one commodity and stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct ProfileLine {
    /// The commodity.
    pub commodity: Commodity,
    /// The stage.
    pub stage: Stage,
    /// Capacity of producing facilities (nameplate).
    pub operating: Tonnes,
    /// Capacity of projects (nameplate), whatever their maturity.
    pub announced: Tonnes,
    /// Projects' capacity weighted by their probability of delivering by the profile year.
    pub risk_adjusted: Tonnes,
    /// The projects, with their maturity, most mature first.
    pub projects: Vec<(FacilityId, midstream_domain::Maturity)>,
}

/// "Signals or supply": what a country operates, what it announces, and what its projects would
/// relieve if they delivered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct CountryProfile {
    /// The country.
    pub country: Country,
    /// The dataset the profile was read from.
    pub dataset: String,
    /// The year project probabilities are read for.
    pub year: i32,
    /// Operating vs announced capacity by commodity and stage.
    pub lines: Vec<ProfileLine>,
    /// For each commodity its projects produce: deliverable supply gained if all of them came
    /// online on schedule, and whether they sit at the binding stage of the baseline.
    pub relief: Vec<Relief>,
    /// Delivery assessments of its projects.
    pub projects: Vec<DeliveryAssessment>,
}

/// What a country's projects would relieve for one commodity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Relief {
    /// The commodity.
    pub commodity: Commodity,
    /// Deliverable supply without the projects.
    pub baseline: Tonnes,
    /// Deliverable supply with all of the country's projects on schedule.
    pub with_projects: Tonnes,
    /// Whether a project of the country sits at the stage that binds in the baseline.
    pub at_binding_stage: bool,
}

impl Analysis {
    /// The profile of `country` in `year`: operating against announced capacity by commodity
    /// and stage, risk-adjusted, and what its projects would relieve.
    ///
    /// # Errors
    /// As [`Analysis::bottleneck`].
    pub fn profile(&self, country: Country, year: i32) -> Result<CountryProfile, Error> {
        let assessments = self.delivery(year..=year)?;
        let probability_of =
            |id: &FacilityId| crate::analysis::probability_by(&assessments, id, year);
        let in_country: Vec<&midstream_domain::Facility> = self
            .data
            .facilities
            .iter()
            .filter(|f| f.country == country)
            .collect();
        let mut lines: BTreeMap<(Commodity, Stage), ProfileLine> = BTreeMap::new();
        for f in &in_country {
            for c in &f.capacities {
                let line = lines
                    .entry((c.commodity, f.stage))
                    .or_insert_with(|| ProfileLine {
                        commodity: c.commodity,
                        stage: f.stage,
                        operating: Tonnes::ZERO,
                        announced: Tonnes::ZERO,
                        risk_adjusted: Tonnes::ZERO,
                        projects: Vec::new(),
                    });
                if f.maturity.is_producing() {
                    line.operating = line.operating.checked_add(c.tonnes_per_year)?;
                } else if f.maturity.is_project() {
                    line.announced = line.announced.checked_add(c.tonnes_per_year)?;
                    let weighted = c.tonnes_per_year.checked_mul(probability_of(&f.id))?;
                    line.risk_adjusted = Tonnes::new(
                        line.risk_adjusted
                            .checked_add(weighted)?
                            .value()
                            .round_dp(3),
                    );
                    line.projects.push((f.id.clone(), f.maturity));
                }
            }
        }
        let mut lines: Vec<ProfileLine> = lines.into_values().collect();
        for line in &mut lines {
            line.projects
                .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        let projects: BTreeSet<FacilityId> = in_country
            .iter()
            .filter(|f| f.maturity.is_project())
            .map(|f| f.id.clone())
            .collect();
        let relief = self.relief(&in_country, &projects, year)?;
        Ok(CountryProfile {
            country,
            dataset: self.data.name.clone(),
            year,
            lines,
            relief,
            projects: assessments
                .into_iter()
                .filter(|a| projects.contains(&a.facility))
                .collect(),
        })
    }

    /// For each commodity the projects produce: deliverable with and without them all, and
    /// whether one sits at the baseline's binding stage.
    fn relief(
        &self,
        in_country: &[&midstream_domain::Facility],
        projects: &BTreeSet<FacilityId>,
        year: i32,
    ) -> Result<Vec<Relief>, Error> {
        let commodities: BTreeSet<Commodity> = in_country
            .iter()
            .filter(|f| f.maturity.is_project())
            .flat_map(|f| f.capacities.iter().map(|c| c.commodity))
            .collect();
        // On the material balance, so that a chain of several commodities (copper in
        // concentrate to refined copper) is read as one: a project at refining is capped by the
        // mines. On a single-product chain it equals the max-flow graph (tested).
        let options = BalanceOptions {
            marginals: true,
            ..QUICK
        };
        let mut relief = Vec::new();
        for commodity in commodities {
            let base_scenario = Scenario {
                year: Some(year),
                ..Scenario::default()
            };
            let mut model = BalanceModel::build(&self.data, &commodity)?;
            let base = model.solve_with(&base_scenario, &options)?;
            let with = model.solve_with(
                &Scenario {
                    projects_online: projects.clone(),
                    ..base_scenario
                },
                &QUICK,
            )?;
            let binding: BTreeSet<Stage> =
                base.binding_capacities().filter_map(|m| m.stage).collect();
            let at_binding_stage = in_country.iter().any(|f| {
                f.maturity.is_project()
                    && f.capacity(&commodity).is_some()
                    && binding.contains(&f.stage)
            });
            relief.push(Relief {
                commodity,
                baseline: base.deliverable,
                with_projects: with.deliverable,
                at_binding_stage,
            });
        }
        Ok(relief)
    }
}
