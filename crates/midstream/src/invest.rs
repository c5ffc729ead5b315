//! Where to invest: projects ranked by what they would add ([`Analysis::invest`]).

use midstream_domain::{Commodity, Country, FacilityId, Stage, Tonnes};
use midstream_graph::{BalanceModel, Scenario};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::analysis::QUICK;
use crate::{Analysis, Error};

/// A candidate project ranked by what it would add to deliverable supply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Candidate {
    /// The project.
    pub facility: FacilityId,
    /// Its name.
    pub name: String,
    /// Its country.
    pub country: Country,
    /// Its stage.
    pub stage: Stage,
    /// Deliverable tonnes added in the year if it alone comes online (on schedule).
    pub added: Tonnes,
    /// Projects that feed it through the dataset's links (and their own feeding projects),
    /// brought online with it: without them it has nothing to process.
    #[serde(default)]
    pub with: Vec<FacilityId>,
    /// The probability it delivers by the year (risk crate); with feeding projects, that all
    /// of them do, taken as independent (a lower bound: projects of one sponsor or country
    /// slip together).
    pub probability: midstream_domain::Share,
    /// `added × probability`, rounded to the kilogram.
    pub risk_adjusted: Tonnes,
    /// The project's capital cost, where the dataset has one (`Facility::capex`).
    pub capex: Option<midstream_domain::Usd>,
    /// Risk-adjusted tonnes per year added per million US dollars of capital cost,
    /// `risk_adjusted / (capex / 10^6)`, rounded to three decimals; none without a capex.
    pub risk_adjusted_per_million_usd: Option<Decimal>,
    /// The risk crate's one-line summary (signal or supply, and why).
    pub summary: String,
}

impl Analysis {
    /// Ranks the projects that have a capacity for `commodity` (in a format-2 dataset, also
    /// those upstream that add to it) by the deliverable tonnes each adds in `year` if it alone
    /// comes online, on the material balance, and by that gain weighted by its probability of
    /// delivering by the year. Largest risk-adjusted gain first (ties by id).
    ///
    /// Where a project has a capital cost (`Facility::capex`), its candidate also carries the
    /// risk-adjusted tonnes per million US dollars, for ranking by cost
    /// ([`crate::markdown::candidates`] prints that ranking too).
    ///
    /// # Errors
    /// As [`Analysis::bottleneck`].
    pub fn invest(
        &self,
        commodity: &Commodity,
        year: i32,
        scenario: &Scenario,
    ) -> Result<Vec<Candidate>, Error> {
        // On the material balance, built once: a project upstream of the commodity (a mine, a
        // separator stated in feed) counts by what it adds to it. On a single-product chain it
        // is the max-flow answer (tested).
        let mut model = BalanceModel::build(&self.data, commodity)?;
        self.invest_on(&mut model, commodity, year, scenario)
    }

    /// [`Analysis::invest`] on a model already built for `commodity` (the report's).
    pub(crate) fn invest_on(
        &self,
        model: &mut BalanceModel,
        commodity: &Commodity,
        year: i32,
        scenario: &Scenario,
    ) -> Result<Vec<Candidate>, Error> {
        let base_scenario = Scenario {
            year: Some(year),
            ..scenario.clone()
        };
        let base = model.solve_with(&base_scenario, &QUICK)?.deliverable;
        let assessments = self.delivery(year..=year)?;
        let mut out = Vec::new();
        for f in self.data.facilities.iter().filter(|f| {
            f.maturity.is_project()
                && (f.capacity(commodity).is_some()
                    || (self.data.format_version >= 2 && !f.capacities.is_empty()))
        }) {
            // Projects linked into it, transitively.
            let mut with: Vec<FacilityId> = Vec::new();
            let mut queue = vec![f.id.clone()];
            while let Some(to) = queue.pop() {
                for link in self.data.links.iter().filter(|l| l.to == to) {
                    let feeds_project = self
                        .data
                        .facility(link.from.as_str())
                        .is_some_and(|g| g.maturity.is_project());
                    if feeds_project && link.from != f.id && !with.contains(&link.from) {
                        with.push(link.from.clone());
                        queue.push(link.from.clone());
                    }
                }
            }
            with.sort();
            let online = Scenario {
                projects_online: with.iter().cloned().chain([f.id.clone()]).collect(),
                ..base_scenario.clone()
            };
            let added = model
                .solve_with(&online, &QUICK)?
                .deliverable
                .checked_sub(base)?;
            // A format-2 project that states no capacity of the commodity is a candidate only
            // where it adds to it.
            if f.capacity(commodity).is_none() && added.value() <= Decimal::ZERO {
                continue;
            }
            let probability_of =
                |id: &FacilityId| crate::analysis::probability_by(&assessments, id, year);
            let assessment = assessments.iter().find(|a| a.facility == f.id);
            let joint = with
                .iter()
                .fold(probability_of(&f.id), |p, id| p * probability_of(id));
            let probability = midstream_domain::Share::new(joint.round_dp(12))?;
            let risk_adjusted =
                Tonnes::new(added.checked_mul(probability.value())?.value().round_dp(3));
            let capex = f.capex.as_ref().map(|c| c.amount);
            let per_million = capex
                .map(|c| c.value() / Decimal::from(1_000_000))
                .filter(|m| !m.is_zero())
                .and_then(|m| risk_adjusted.value().checked_div(m))
                .map(|d| d.round_dp(3));
            out.push(Candidate {
                facility: f.id.clone(),
                name: f.name.clone(),
                country: f.country,
                stage: f.stage,
                added,
                with,
                probability,
                risk_adjusted,
                capex,
                risk_adjusted_per_million_usd: per_million,
                summary: assessment.map(|a| a.summary.clone()).unwrap_or_default(),
            });
        }
        out.sort_by(|a, b| {
            b.risk_adjusted
                .cmp(&a.risk_adjusted)
                .then(b.added.cmp(&a.added))
                .then_with(|| a.facility.cmp(&b.facility))
        });
        Ok(out)
    }

    /// [`Analysis::invest`] with what it ranks for: the commodity and the year, as the report
    /// and `midstream invest --format json` give it.
    ///
    /// # Errors
    /// As [`Analysis::invest`].
    pub fn investment(
        &self,
        commodity: &Commodity,
        year: i32,
        scenario: &Scenario,
    ) -> Result<crate::Investment, Error> {
        Ok(crate::Investment {
            commodity: *commodity,
            year,
            candidates: self.invest(commodity, year, scenario)?,
        })
    }
}
