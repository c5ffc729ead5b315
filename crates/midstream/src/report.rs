//! The full report: what `midstream report` prints, built by [`Analysis::report`], and its
//! JSON Schema.

use std::collections::BTreeSet;

use midstream_domain::{Commodity, Country, Element, GroupConvention, Process, ReeGroup};
use midstream_graph::Scenario;
use serde::Serialize;

use crate::CountryProfile;
use crate::analysis::{Analysis, BottleneckAnalysis, Comparison};
use crate::error::Error;
use crate::outlook::{Outlook, OutlookOptions};

/// Everything `midstream report` finds for a dataset: per commodity, the bottleneck, the
/// export stop of the country holding most of it and the outlook band; the concentration of
/// capacity by stage; then country profiles.
///
/// This is the JSON the CLI prints with `--format json`; its schema is [`report_schema`] (the
/// committed copy is `docs/report.schema.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Report {
    /// The dataset's name.
    pub dataset: String,
    /// The dataset's as-of date (`YYYY-MM-DD`).
    pub as_of: String,
    /// One bottleneck per commodity, in the report's order.
    pub bottlenecks: Vec<BottleneckAnalysis>,
    /// Baseline against an export stop of the country holding most of each bottleneck.
    pub export_stops: Vec<Comparison>,
    /// The outlook band per commodity (commodities with deliverable supply).
    pub outlooks: Vec<Outlook>,
    /// Country profiles ("signals or supply").
    pub profiles: Vec<CountryProfile>,
    /// How risky each commodity's chain is (concentration by stage, losses, EU supply risk),
    /// for each commodity with deliverable supply.
    #[serde(default)]
    pub risks: Vec<crate::RiskAssessment>,
    /// Where to invest: each commodity's projects ranked, five years after the as-of date
    /// (commodities with at least one candidate).
    #[serde(default)]
    pub investments: Vec<Investment>,
    /// Concentration of producing capacity by country, per commodity and stage (format-1
    /// datasets: a format-2 capacity may be stated in feed, oxide or metal, so capacities of
    /// one stage do not add up).
    pub concentration: Vec<midstream_risk::StageConcentration>,
    /// What the report left out, and why, in sentences (e.g. demand for a commodity nothing in
    /// the dataset makes).
    pub notes: Vec<String>,
}

/// One commodity's projects ranked by what they would add ([`Analysis::invest`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Investment {
    /// The commodity.
    pub commodity: Commodity,
    /// The year the projects' gains and probabilities are read for.
    pub year: i32,
    /// The candidates, largest risk-adjusted gain first.
    pub candidates: Vec<crate::Candidate>,
}

/// A step of [`Analysis::report_with_progress`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReportStep<'a> {
    /// Its number, from 1.
    pub index: usize,
    /// How many steps the report takes.
    pub total: usize,
    /// What it does, e.g. `NdPr:oxide: bottleneck, risk, export stop, outlook, projects`.
    pub what: &'a str,
}

/// The JSON Schema (draft 2020-12) of a [`Report`], as `midstream schema --of report` prints it.
///
/// The committed copy is `docs/report.schema.json`; a test fails when it is out of date
/// (regenerate with `MIDSTREAM_BLESS=1 cargo test -p midstream --test it report_schema`).
///
/// ```
/// let schema = midstream::report_schema();
/// assert_eq!(schema["title"], "Report");
/// assert!(schema["properties"]["bottlenecks"].is_object());
/// ```
#[must_use]
pub fn report_schema() -> serde_json::Value {
    schemars::schema_for!(Report).to_value()
}

/// What [`Analysis::report`] covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportOptions {
    /// The commodities to analyse, in order; empty: [`Analysis::chain_commodities`].
    pub commodities: Vec<Commodity>,
    /// The outlook's last year; no outlook if it is not after the dataset's as-of year.
    pub outlook_to: i32,
    /// How the outlooks sample (from the year after the as-of date).
    pub outlook: OutlookOptions,
    /// Countries to profile, in order.
    pub profiles: Vec<Country>,
    /// The embedded dataset to profile a country from when the analysed one has none of its
    /// facilities (`None`: such a country is profiled from the analysed dataset, empty).
    pub profile_dataset: Option<String>,
}

impl Default for ReportOptions {
    /// Every chain, world outlooks to 2035 (set `outlook.outside` for the view outside a
    /// country, as the CLI does for China) with what moves them five years after the as-of date
    /// (set by [`Analysis::report`] when `outlook.drivers_in` is `None`), Kazakhstan profiled
    /// from `kazakhstan-2025` when the dataset has no Kazakh facility.
    fn default() -> Self {
        Self {
            commodities: Vec::new(),
            outlook_to: 2035,
            outlook: OutlookOptions::default(),
            profiles: "KZ".parse::<Country>().into_iter().collect(),
            profile_dataset: Some(String::from("kazakhstan-2025")),
        }
    }
}

impl Analysis {
    /// The commodities a report analyses by default: on a format-2 dataset every product of a
    /// separation, reduction or recipe that a producing facility states (or a single heavy rare
    /// earth, Dy or Tb, which matters even where none does); on format 1 every commodity with
    /// capacity at two stages or more, plus the heavy rare earths.
    #[must_use]
    pub fn chain_commodities(&self) -> Vec<Commodity> {
        let data = &self.data;
        let heavy = |c: &Commodity| {
            c.elements().as_single().is_some_and(|e: Element| {
                e.ree_group(GroupConvention::Usgs) == Some(ReeGroup::Heavy)
            })
        };
        if data.format_version >= 2 {
            let mut products: BTreeSet<Commodity> = BTreeSet::new();
            for f in &data.facilities {
                match &f.process {
                    Some(Process::Separation { products: p, .. }) => {
                        products.extend(p.iter().copied());
                    }
                    Some(Process::Reduction { .. } | Process::Recipe { .. }) => {
                        products.extend(f.capacities.iter().map(|c| c.commodity));
                    }
                    _ => {}
                }
            }
            let stated: BTreeSet<Commodity> = data
                .facilities
                .iter()
                .filter(|f| f.maturity.is_producing())
                .flat_map(|f| f.capacities.iter().map(|c| c.commodity))
                .collect();
            return products
                .into_iter()
                .filter(|c| stated.contains(c) || heavy(c))
                .collect();
        }
        data.chains()
            .into_iter()
            .filter(|(c, s)| s.len() >= 2 || heavy(c))
            .map(|(c, _)| c)
            .collect()
    }

    /// The full report: per commodity the bottleneck, the export stop of the country holding
    /// most of it and the outlook; supply against demand for each commodity the dataset states
    /// demand for that the chains do not cover; the concentration of capacity by stage (format
    /// 1); country profiles. [`crate::markdown::report`] renders it.
    ///
    /// ```
    /// use midstream::{Analysis, ReportOptions};
    /// let analysis = Analysis::embedded("rare-earths-2024")?;
    /// let options = ReportOptions {
    ///     commodities: vec!["NdPr:oxide".parse()?],
    ///     outlook_to: 2027,
    ///     profiles: Vec::new(),
    ///     ..ReportOptions::default()
    /// };
    /// let report = analysis.report(&options)?;
    /// assert_eq!(report.bottlenecks.len(), 1);
    /// assert!(midstream::markdown::report(&report).contains("## Outlook: NdPr:oxide"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Analysis::bottleneck`], [`Analysis::compare`], [`Analysis::outlook`] and
    /// [`Analysis::profile`]; [`Error::Data`] for an unknown profile dataset.
    pub fn report(&self, options: &ReportOptions) -> Result<Report, Error> {
        self.report_with_progress(options, |_| {})
    }

    /// [`Analysis::report`], telling `progress` each step it starts on, with its number and
    /// the number of steps (e.g. to draw a progress bar on a terminal: a report of the default
    /// dataset takes a few seconds).
    ///
    /// ```
    /// use midstream::{Analysis, ReportOptions};
    /// let analysis = Analysis::embedded("rare-earths-2024")?;
    /// let options = ReportOptions {
    ///     commodities: vec!["NdPr:oxide".parse()?],
    ///     outlook_to: 2026,
    ///     ..ReportOptions::default()
    /// };
    /// let mut steps = Vec::new();
    /// analysis.report_with_progress(&options, |s| steps.push((s.index, s.total)))?;
    /// // One chain, supply against demand for nothing else, one profile (Kazakhstan).
    /// assert_eq!(steps.last(), Some(&(steps.len(), steps.len())));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Analysis::report`].
    pub fn report_with_progress(
        &self,
        options: &ReportOptions,
        mut progress: impl FnMut(ReportStep<'_>),
    ) -> Result<Report, Error> {
        let data = &self.data;
        let commodities = if options.commodities.is_empty() {
            self.chain_commodities()
        } else {
            options.commodities.clone()
        };
        let as_of = data.as_of_year();
        let with_outlook = as_of < options.outlook_to;
        let mut outlook_options = options.outlook.clone();
        if outlook_options.drivers_in.is_none() {
            outlook_options.drivers_in = Some(OutlookOptions::default_drivers_in(
                as_of,
                &(as_of + 1..=options.outlook_to),
            ));
        }
        let years = as_of + 1..=options.outlook_to;
        let demanded: BTreeSet<Commodity> = data
            .demand
            .iter()
            .map(|d| d.commodity)
            .filter(|c| !commodities.contains(c))
            .collect();
        let total = commodities.len()
            + if with_outlook { demanded.len() } else { 0 }
            + options.profiles.len();
        let mut index = 0;
        let mut step = |what: String| {
            index += 1;
            progress(ReportStep {
                index,
                total,
                what: &what,
            });
        };
        let mut report = Report {
            dataset: data.name.clone(),
            as_of: data.as_of.to_string(),
            bottlenecks: Vec::new(),
            export_stops: Vec::new(),
            outlooks: Vec::new(),
            profiles: Vec::new(),
            risks: Vec::new(),
            investments: Vec::new(),
            concentration: Vec::new(),
            notes: Vec::new(),
        };
        for commodity in &commodities {
            step(format!(
                "{commodity}: bottleneck, risk, export stop, outlook, projects"
            ));
            let mut model = midstream_graph::BalanceModel::build(data, commodity)?;
            let b = self.bottleneck_with(&mut model, commodity, &Scenario::baseline())?;
            self.risk_and_projects(&mut model, &b, as_of + 5, &mut report)?;
            // The export stop of the country holding most of the bottleneck.
            if let Some(top) = b.binding_country() {
                let stop = Scenario {
                    export_stops: [top].into(),
                    ..Scenario::default()
                };
                report
                    .export_stops
                    .push(self.compare(commodity, &Scenario::baseline(), &stop)?);
            }
            if with_outlook && !b.balance.deliverable.is_zero() {
                report
                    .outlooks
                    .push(self.outlook(commodity, years.clone(), &outlook_options)?);
            }
            report.bottlenecks.push(b);
        }
        // Is there enough? Each commodity the dataset states demand for and the chains did not
        // cover (the IEA's magnet rare earths, counted from the separated oxides).
        for commodity in demanded.iter().filter(|_| with_outlook) {
            step(format!("{commodity}: supply against demand"));
            // A demand record for something the chain cannot make (or count) leaves that
            // commodity out, with a sentence, not the whole report.
            match self.outlook(commodity, years.clone(), &outlook_options) {
                Ok(o) => report.outlooks.push(o),
                Err(Error::Graph(
                    e @ (midstream_graph::GraphError::UnknownCommodity { .. }
                    | midstream_graph::GraphError::CompositeTarget { .. }),
                )) => report.notes.push(format!(
                    "The dataset states demand for {commodity}, but supply cannot be set \
                     against it: {e}."
                )),
                Err(e) => return Err(e),
            }
        }
        if data.format_version == 1 {
            report.concentration = midstream_risk::concentration_table(
                data,
                &midstream_risk::CapacityScope::default(),
            )?;
        }
        for &country in &options.profiles {
            step(format!("{}: profile", country.name()));
            report
                .profiles
                .push(self.profile_from(country, options.profile_dataset.as_deref())?);
        }
        Ok(report)
    }

    /// The risk of `b`'s chain (if anything is deliverable) and its projects ranked in `year`
    /// (if it has any), into `report`.
    fn risk_and_projects(
        &self,
        model: &mut midstream_graph::BalanceModel,
        b: &crate::BottleneckAnalysis,
        year: i32,
        report: &mut Report,
    ) -> Result<(), Error> {
        let commodity = b.balance.target;
        if !b.balance.deliverable.is_zero() {
            report.risks.push(self.risk_of(
                model,
                &commodity,
                &Scenario::baseline(),
                &b.balance,
            )?);
        }
        let candidates = self.invest_on(model, &commodity, year, &Scenario::baseline())?;
        if !candidates.is_empty() {
            report.investments.push(Investment {
                commodity,
                year,
                candidates,
            });
        }
        Ok(())
    }

    /// The profile of `country` five years after the as-of date, from `fallback` (an embedded
    /// dataset) when this one has none of its facilities.
    fn profile_from(
        &self,
        country: Country,
        fallback: Option<&str>,
    ) -> Result<crate::CountryProfile, Error> {
        match fallback {
            Some(name) if !self.data.has_facility_in(country) => {
                let other = Self::new(midstream_data::load(name)?);
                let year = other.data.as_of_year() + 5;
                other.profile(country, year)
            }
            _ => self.profile(country, self.data.as_of_year() + 5),
        }
    }
}
