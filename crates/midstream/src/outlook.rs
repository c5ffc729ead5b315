//! The outlook: is there enough? Deliverable supply year by year with the band of project
//! delivery risk, for the world and for buyers outside one country, against each demand case
//! the dataset states.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;

use midstream_domain::{Commodity, Country, FacilityId, Share, Tonnes, ValidDataset};
use midstream_graph::SplitMix64;
use midstream_graph::{BalanceModel, RangeEnd, Scenario, SupplyGraph, demand_cases, stated_demand};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde::Serialize;

use crate::analysis::Analysis;
use crate::error::Error;

/// Most Monte Carlo samples per year an outlook takes.
pub const MAX_OUTLOOK_SAMPLES: usize = 100_000;

/// Monte Carlo samples per year to start from (the outlook doubles them until the band
/// settles, [`OutlookOptions::settle`]): at 2,000 the 95 % interval of P10 and P90 spans their
/// rank ± 1.3 points and that of P50 ± 2.2 points ([`OutlookYear::p90_interval`]).
pub const DEFAULT_OUTLOOK_SAMPLES: usize = 2_000;

/// The seed of an outlook's draws unless another is given ([`OutlookOptions::seed`]): the same
/// seed, the same bands.
pub const DEFAULT_OUTLOOK_SEED: u64 = 2024;

/// How far a percentile may move when the samples double and still count as settled: half a
/// percent of its value, and never less than a tonne.
pub const SETTLE_TOLERANCE: Decimal = Decimal::from_parts(5, 0, 0, false, 3);

/// Whether two values of a percentile agree within [`SETTLE_TOLERANCE`].
fn within_tolerance(a: Tonnes, b: Tonnes) -> bool {
    let allowed = (a.value().abs().max(b.value().abs()) * SETTLE_TOLERANCE).max(Decimal::ONE);
    (a.value() - b.value()).abs() <= allowed
}

/// Most samples per year the outlook doubles to while it settles
/// ([`OutlookOptions::settle`]); a start above it is kept as it is.
pub const MAX_SETTLED_SAMPLES: usize = 64_000;

/// How the outlook samples which projects deliver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutlookOptions {
    /// Monte Carlo samples per year.
    pub samples: usize,
    /// The seed: the same seed gives the same band, whatever the order of the dataset's records.
    pub seed: u64,
    /// Settings applied in every year (its `year` and project fields are set per sample).
    pub scenario: Scenario,
    /// Also the supply that reaches buyers outside this country if it exports none of the
    /// commodity (`CN`: outside China); `None` for the world view only.
    pub outside: Option<Country>,
    /// Threads to solve years on (0: as many as the machine has). The band does not depend on
    /// it.
    pub threads: usize,
    /// How strongly projects of one country, and of one sponsor, slip together.
    pub common_cause: CommonCause,
    /// Whether to double the samples (from `samples`) until no P10, P50 or P90 of any year and
    /// view moves by more than [`SETTLE_TOLERANCE`] between two counts, up to
    /// [`MAX_SETTLED_SAMPLES`]; otherwise exactly `samples`.
    pub settle: bool,
    /// The year in which to measure what drives the band ([`Outlook::drivers`]): each project,
    /// and each country's projects, forced to deliver and not to. `None`: no drivers (they
    /// cost two more passes over the draws per project and country).
    pub drivers_in: Option<i32>,
}

/// Common-cause delivery risk: projects of one country (permits, policy, a coup) or of one
/// sponsor (its balance sheet, its management) slip together. Each project delivers by a year
/// when its draw falls below its probability for the year; the draw is a one-factor Gaussian
/// copula, `Φ(√c·Z_country + √s·Z_sponsor + √(1−c−s)·ε)`, so each project keeps its own
/// probability and two projects' latent draws correlate by `country` when they share a
/// country and by `sponsor` more when they share a sponsor (the facility's operator).
/// [`CommonCause::INDEPENDENT`] is the special case of independent projects. The defaults are
/// judgement (docs/methodology.md §5.4).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct CommonCause {
    /// The correlation of two projects in one country.
    pub country: Share,
    /// The further correlation of two projects of one sponsor.
    pub sponsor: Share,
}

impl CommonCause {
    /// Projects deliver independently of each other.
    pub const INDEPENDENT: Self = Self {
        country: Share::ZERO,
        sponsor: Share::ZERO,
    };
}

impl Default for CommonCause {
    /// Country 0.25, sponsor 0.5 (judgement: docs/methodology.md §5.4).
    fn default() -> Self {
        Self {
            country: Share::new(Decimal::new(25, 2)).unwrap_or(Share::ZERO),
            sponsor: Share::new(Decimal::new(5, 1)).unwrap_or(Share::ZERO),
        }
    }
}

impl Default for OutlookOptions {
    /// From [`DEFAULT_OUTLOOK_SAMPLES`] samples until settled, [`DEFAULT_OUTLOOK_SEED`], the
    /// baseline scenario, the world view, the default common-cause correlation, no drivers.
    fn default() -> Self {
        Self {
            samples: DEFAULT_OUTLOOK_SAMPLES,
            seed: DEFAULT_OUTLOOK_SEED,
            scenario: Scenario::default(),
            outside: None,
            threads: 0,
            common_cause: CommonCause::default(),
            settle: true,
            drivers_in: None,
        }
    }
}

/// Where a percentile lies with 95 % confidence, given the number of samples.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Interval {
    /// The lower end.
    pub low: Tonnes,
    /// The upper end.
    pub high: Tonnes,
}

/// Deliverable supply in one year of an outlook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct OutlookYear {
    /// The year.
    pub year: i32,
    /// Producing facilities only (no project delivers).
    pub operating_only: Tonnes,
    /// Every project on schedule.
    pub all_projects: Tonnes,
    /// Mean over the samples.
    pub expected: Tonnes,
    /// The standard error of `expected`: the samples' standard deviation over the square root
    /// of their number, to the kilogram.
    pub expected_error: Tonnes,
    /// 10th percentile of the samples.
    pub p10: Tonnes,
    /// Median.
    pub p50: Tonnes,
    /// 90th percentile.
    pub p90: Tonnes,
    /// Where the true P10 lies with 95 % confidence: the samples at ranks n·q ∓ 1.96·√(n·q·(1−q))
    /// (distribution-free, from the order statistics of n samples). Where it is wide, more
    /// samples would move the percentile.
    pub p10_interval: Interval,
    /// The same for P50.
    pub p50_interval: Interval,
    /// The same for P90.
    pub p90_interval: Interval,
}

/// Supply that reaches buyers outside one country if that country exports none of the
/// commodity (the country's own plants serve only itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct OutsideView {
    /// The country left out (e.g. `CN`).
    pub country: Country,
    /// The band per year, as [`Outlook::years`].
    pub years: Vec<OutlookYear>,
    /// What drives the band outside the country, as [`Outlook::drivers`].
    pub drivers: Option<Drivers>,
}

/// World supply against one year's demand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct DemandYear {
    /// The year.
    pub year: i32,
    /// Demand of the year over the dataset's buyers: stated, or (format 2) interpolated
    /// linearly between the stated years around it.
    pub demand: Tonnes,
    /// Supply minus demand with producing facilities only (negative: a shortfall).
    pub operating_only: Tonnes,
    /// Supply minus demand at the band's P10 (negative: a shortfall).
    pub p10: Tonnes,
    /// Supply minus demand at the band's median.
    pub p50: Tonnes,
    /// Supply minus demand at the band's P90.
    pub p90: Tonnes,
    /// Supply minus demand with every project on schedule.
    pub all_projects: Tonnes,
    /// The share of the draws whose supply covers demand, to four decimals.
    pub covered: Share,
}

/// World supply against one demand case, year by year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct DemandCase {
    /// The case (e.g. the IEA's `STEPS`), `None` for records without one.
    pub case: Option<String>,
    /// The years of the outlook for which the case states demand (no extrapolation).
    pub years: Vec<DemandYear>,
}

/// Deliverable supply by year, with the band of project delivery risk, and against demand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Outlook {
    /// The commodity.
    pub commodity: Commodity,
    /// Samples per year (after settling, if asked).
    pub samples: usize,
    /// Whether the band settled: `Some(true)` if doubling to `samples` moved no P10, P50 or P90
    /// of any year and view by more than [`SETTLE_TOLERANCE`], `Some(false)` if
    /// [`MAX_SETTLED_SAMPLES`] was reached first, `None` if settling was not asked for or the
    /// start was too close to the limit to double.
    pub settled: Option<bool>,
    /// The seed.
    pub seed: u64,
    /// How strongly projects slipped together in the draws.
    pub common_cause: CommonCause,
    /// World supply, the years ascending. Demand does not cap it: it is what the chain can make
    /// and deliver.
    pub years: Vec<OutlookYear>,
    /// What drives the world band in [`OutlookOptions::drivers_in`], if asked for.
    pub drivers: Option<Drivers>,
    /// Supply outside one country, if asked for ([`OutlookOptions::outside`]).
    pub outside: Option<OutsideView>,
    /// World supply against each demand case of the commodity in the dataset (none if it
    /// states no demand for it).
    pub demand: Vec<DemandCase>,
}

/// What drives the band in one year: each project, and each country's projects, forced to
/// deliver and forced not to, on the same draws of every other project. The difference is what
/// its delivery moves supply (and so the shortfall) by; "where to invest" follows from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Drivers {
    /// The year.
    pub year: i32,
    /// The projects, the largest swing of the mean first (ties by id).
    pub projects: Vec<ProjectDriver>,
    /// The countries, the largest swing of the mean first (ties by code).
    pub countries: Vec<CountryDriver>,
}

/// One project's part in the band of a year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct ProjectDriver {
    /// The project.
    pub facility: FacilityId,
    /// Its name.
    pub name: String,
    /// Its country.
    pub country: Country,
    /// Its probability of delivering by the year (risk crate), to four decimals.
    pub probability: Share,
    /// Mean supply when it delivers.
    pub expected_with: Tonnes,
    /// Mean supply when it does not.
    pub expected_without: Tonnes,
    /// Median supply when it delivers.
    pub p50_with: Tonnes,
    /// Median supply when it does not.
    pub p50_without: Tonnes,
    /// What making its delivery certain adds to the band's mean (`expected_with` minus the
    /// mean): the risk-adjusted value of securing it.
    pub certainty_gain: Tonnes,
    /// Its capital cost, where the dataset has one.
    pub capex: Option<midstream_domain::Usd>,
    /// `certainty_gain` per million US dollars of capital cost, to three decimals.
    pub gain_per_million_usd: Option<Decimal>,
}

/// One country's projects' part in the band of a year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct CountryDriver {
    /// The country.
    pub country: Country,
    /// How many of the projects drawn are there.
    pub projects: usize,
    /// Mean supply when all of them deliver.
    pub expected_with: Tonnes,
    /// Mean supply when none does.
    pub expected_without: Tonnes,
    /// Median supply when all deliver.
    pub p50_with: Tonnes,
    /// Median supply when none does.
    pub p50_without: Tonnes,
}

/// A project drawn in the outlook: its id and its probability of delivering by each year.
type Drawn = (FacilityId, BTreeMap<i32, f64>);

impl Analysis {
    /// Is there enough? Deliverable supply year by year: producing facilities only, every
    /// project on schedule, and a seeded Monte Carlo band over which projects deliver by each
    /// year (each project's probability of delivering by the year from the risk crate; one
    /// uniform draw per project and sample, so a project that delivers by one year delivers in
    /// the later ones too). Supply is not capped by demand; each demand case of the commodity
    /// is set against it, with the share of draws that cover it. With
    /// [`OutlookOptions::outside`], the same band for buyers outside that country if it
    /// exports none of the commodity.
    ///
    /// Each project's draws come from its own stream, seeded by the seed and its id, so the
    /// band does not depend on the order of the dataset's records.
    ///
    /// A target on the contained-element basis made of several products (the IEA's magnet rare
    /// earths, `DyTbNdPr:oxide@contained`) counts the separated oxides that make it up, in
    /// tonnes of the elements ([`BalanceModel::build_supply`]).
    ///
    /// ```
    /// use midstream::{Analysis, OutlookOptions};
    /// let analysis = Analysis::embedded("rare-earths-2025")?;
    /// let magnet_rees = "DyTbNdPr:oxide@contained".parse()?;
    /// let options = OutlookOptions { samples: 100, outside: Some("CN".parse()?),
    ///                                ..OutlookOptions::default() };
    /// let o = analysis.outlook(&magnet_rees, 2030..=2030, &options)?;
    /// // The IEA's three cases, each against the same supply.
    /// assert_eq!(o.demand.len(), 3);
    /// let steps = o.demand.iter().find(|c| c.case.as_deref() == Some("STEPS")).unwrap();
    /// assert_eq!(steps.years[0].demand.to_string(), "122850 t");
    /// // Outside China there is far less.
    /// assert!(o.outside.unwrap().years[0].p50 < o.years[0].p50);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Analysis::bottleneck`]; [`Error::NoSamples`] for zero samples and
    /// [`Error::TooManySamples`] beyond [`MAX_OUTLOOK_SAMPLES`].
    pub fn outlook(
        &self,
        commodity: &Commodity,
        years: RangeInclusive<i32>,
        options: &OutlookOptions,
    ) -> Result<Outlook, Error> {
        options.check()?;
        let data = &self.data;
        let cases = demand_cases(data, commodity);
        let balance = data.format_version >= 2 || !cases.is_empty();
        let projects = self.drawn_projects(commodity, years.clone(), balance)?;
        let mut scenarios = vec![options.scenario.clone()];
        if let Some(country) = options.outside {
            if !data.has_facility_in(country) {
                return Err(Error::UnknownOutside { country });
            }
            let mut s = options.scenario.clone();
            s.export_stops.insert(country);
            scenarios.push(s);
        }
        let years: Vec<i32> = years.collect();
        // On the material balance: built once per thread, re-solved per draw; the world buys
        // without a cap. A project that cannot add to the commodity (a magnet maker, for an
        // oxide) is not drawn: it would only multiply the sets of projects to solve.
        let mut first = if balance {
            Some(BalanceModel::build_supply(data, commodity)?)
        } else {
            None
        };
        let projects: Vec<Drawn> = projects
            .into_iter()
            .filter(|(id, _)| first.as_ref().is_none_or(|m| m.feeds_target(id.as_str())))
            .collect();
        let countries: Vec<Option<Country>> = projects
            .iter()
            .map(|(id, _)| data.facility(id.as_str()).map(|f| f.country))
            .collect();
        let ranged = self.ranged_facilities(commodity, first.as_ref());
        let plan = Plan {
            data,
            projects: &projects,
            countries: &countries,
            ranged: &ranged,
            years: &years,
            scenarios: &scenarios,
            options,
        };
        let threads = match options.threads {
            0 => std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            n => n,
        }
        .clamp(1, (years.len() * scenarios.len()).max(1));
        let (mut bands, samples, settled) = if balance {
            let mut solvers = Vec::with_capacity(threads);
            for _ in 0..threads {
                let mut model = match first.take() {
                    Some(m) => m,
                    None => BalanceModel::build_supply(data, commodity)?,
                };
                solvers.push(move |s: &Scenario| -> Result<Tonnes, Error> {
                    Ok(model.deliverable(s)?)
                });
            }
            plan.run(&mut solvers)?
        } else {
            let mut solvers: Vec<_> = (0..threads)
                .map(|_| {
                    |s: &Scenario| -> Result<Tonnes, Error> {
                        Ok(SupplyGraph::build(data, commodity, s)?
                            .bottleneck()?
                            .deliverable)
                    }
                })
                .collect();
            plan.run(&mut solvers)?
        };
        let outside = if options.outside.is_some() {
            bands.pop()
        } else {
            None
        };
        let world = bands.pop().unwrap_or_default();
        let demand = DemandCase::all(data, commodity, cases, &world);
        let drivers_of = |list: &[YearBand]| self.drivers(&projects, list);
        Ok(Outlook {
            commodity: *commodity,
            samples,
            settled,
            seed: options.seed,
            common_cause: options.common_cause,
            drivers: drivers_of(&world),
            years: world.into_iter().map(|y| y.band).collect(),
            outside: options
                .outside
                .zip(outside)
                .map(|(country, years)| OutsideView {
                    country,
                    drivers: drivers_of(&years),
                    years: years.into_iter().map(|y| y.band).collect(),
                }),
            demand,
        })
    }

    /// Facilities whose capacity states a range and that can add to `commodity` (by the
    /// model's reach on the material balance, by a capacity of it on the max-flow graph), by
    /// id: the outlook draws each at its low end, its figure or its high end.
    fn ranged_facilities(
        &self,
        commodity: &Commodity,
        model: Option<&BalanceModel>,
    ) -> Vec<FacilityId> {
        self.data
            .facilities
            .iter()
            .filter(|f| f.capacities.iter().any(|c| c.range.is_some()))
            .filter(|f| match model {
                Some(model) => model.feeds_target(f.id.as_str()),
                None => f.capacity(commodity).is_some(),
            })
            .map(|f| f.id.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    /// The drivers of the band in the year that has them, named from the dataset.
    fn drivers(&self, projects: &[Drawn], bands: &[YearBand]) -> Option<Drivers> {
        let y = bands.iter().find(|y| !y.swings.is_empty())?;
        let mean = y.band.expected;
        let mut project_drivers = Vec::new();
        let mut country_drivers = Vec::new();
        for swing in &y.swings {
            match swing.what {
                Swung::Project(p) => {
                    let Some((id, by_year)) = projects.get(p) else {
                        continue;
                    };
                    let Some(f) = self.data.facility(id.as_str()) else {
                        continue;
                    };
                    let probability = by_year
                        .get(&y.band.year)
                        .and_then(|p| Decimal::from_f64(*p))
                        .and_then(|p| Share::new(p.round_dp(4)).ok())
                        .unwrap_or(Share::ZERO);
                    let gain = Tonnes::new(swing.with.0.value() - mean.value());
                    let capex = f.capex.as_ref().map(|c| c.amount);
                    let per_million = capex
                        .map(|c| c.value() / Decimal::from(1_000_000))
                        .filter(|m| !m.is_zero())
                        .and_then(|m| gain.value().checked_div(m))
                        .map(|d| d.round_dp(3));
                    project_drivers.push(ProjectDriver {
                        facility: id.clone(),
                        name: f.name.clone(),
                        country: f.country,
                        probability,
                        expected_with: swing.with.0,
                        expected_without: swing.without.0,
                        p50_with: swing.with.1,
                        p50_without: swing.without.1,
                        certainty_gain: gain,
                        capex,
                        gain_per_million_usd: per_million,
                    });
                }
                Swung::Country(country, count) => country_drivers.push(CountryDriver {
                    country,
                    projects: count,
                    expected_with: swing.with.0,
                    expected_without: swing.without.0,
                    p50_with: swing.with.1,
                    p50_without: swing.without.1,
                }),
            }
        }
        let swing = |with: Tonnes, without: Tonnes| with.value() - without.value();
        project_drivers.sort_by(|a, b| {
            swing(b.expected_with, b.expected_without)
                .cmp(&swing(a.expected_with, a.expected_without))
                .then_with(|| a.facility.cmp(&b.facility))
        });
        country_drivers.sort_by(|a, b| {
            swing(b.expected_with, b.expected_without)
                .cmp(&swing(a.expected_with, a.expected_without))
                .then(a.country.cmp(&b.country))
        });
        Some(Drivers {
            year: y.band.year,
            projects: project_drivers,
            countries: country_drivers,
        })
    }
}

impl OutlookOptions {
    /// The year to measure drivers in by default: five years after the as-of year, kept
    /// within the outlook's `years`.
    ///
    /// ```
    /// assert_eq!(midstream::OutlookOptions::default_drivers_in(2025, &(2026..=2035)), 2030);
    /// assert_eq!(midstream::OutlookOptions::default_drivers_in(2025, &(2026..=2028)), 2028);
    /// ```
    #[must_use]
    pub fn default_drivers_in(as_of: i32, years: &RangeInclusive<i32>) -> i32 {
        let (from, to) = (*years.start(), *years.end());
        (as_of + 5).clamp(from, to.max(from))
    }

    /// The options' own errors: no samples, too many, correlations above 1 in all.
    fn check(&self) -> Result<(), Error> {
        if self.samples == 0 {
            return Err(Error::NoSamples);
        }
        if self.samples > MAX_OUTLOOK_SAMPLES {
            return Err(Error::TooManySamples {
                samples: self.samples,
                limit: MAX_OUTLOOK_SAMPLES,
            });
        }
        let common = self.common_cause;
        if common.country.value() + common.sponsor.value() > Decimal::ONE {
            return Err(Error::CommonCause {
                country: common.country,
                sponsor: common.sponsor,
            });
        }
        Ok(())
    }
}

impl Analysis {
    /// The projects an outlook draws, with P(delivering by year): on a single-product graph
    /// those with a capacity of the commodity; on the material balance (`balance`) every
    /// project with a capacity, since one upstream of the commodity (a mine, a separator
    /// stated in feed) adds to it too.
    fn drawn_projects(
        &self,
        commodity: &Commodity,
        years: RangeInclusive<i32>,
        balance: bool,
    ) -> Result<Vec<Drawn>, Error> {
        let data = &self.data;
        Ok(self
            .delivery(years)?
            .iter()
            .filter(|a| a.maturity.is_project())
            .filter(|a| {
                data.facility(a.facility.as_str()).is_some_and(|f| {
                    f.capacity(commodity).is_some() || (balance && !f.capacities.is_empty())
                })
            })
            .map(|a| {
                let by_year = a
                    .probability_by_year
                    .iter()
                    .filter_map(|y| y.probability.value().to_f64().map(|p| (y.year, p)))
                    .collect();
                (a.facility.clone(), by_year)
            })
            .collect())
    }
}

/// A stable 64-bit hash of a key (FNV-1a): a project id, `country:CN`, `sponsor:Lynas`. Each
/// key seeds its own stream, so draws depend on neither record order nor threads.
fn key_hash(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `samples` standard normal draws from the stream of `key` (Box–Muller, the cosine branch).
fn normals(seed: u64, key: &str, samples: usize) -> Vec<f64> {
    let mut rng = SplitMix64::new(seed ^ key_hash(key));
    (0..samples)
        .map(|_| {
            let u1 = 1.0 - rng.unit(); // in (0, 1]: its logarithm is finite
            let u2 = rng.unit();
            (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
        })
        .collect()
}

/// The standard normal distribution function, Φ(x) = erfc(−x/√2)/2, with the Chebyshev
/// approximation of erfc in Press et al., Numerical Recipes (2nd ed., §6.2): fractional error
/// below 1.2e-7 everywhere, far below the sampling error of any band.
fn normal_cdf(x: f64) -> f64 {
    let z = (x / std::f64::consts::SQRT_2).abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = [
        -1.265_512_23,
        1.000_023_68,
        0.374_091_96,
        0.096_784_18,
        -0.186_288_06,
        0.278_868_07,
        -1.135_203_98,
        1.488_515_87,
        -0.822_152_23,
        0.170_872_77,
    ]
    .iter()
    .rev()
    .fold(0.0, |acc, c| c + t * acc);
    let erfc = t * (-z * z + poly).exp();
    // erfc(-y) = 2 - erfc(y); Φ(x) = erfc(-x/√2) / 2.
    if x >= 0.0 {
        1.0 - erfc / 2.0
    } else {
        erfc / 2.0
    }
}

/// draws[p][k]: the uniform of project p in sample k under the common-cause copula of
/// `options`: `Φ(√c·Z_country + √s·Z_sponsor + √(1−c−s)·ε_project)`, each term from its own
/// keyed stream. A project without an operator on record has no sponsor term (its weight goes
/// to its own).
fn draws(
    data: &ValidDataset,
    projects: &[Drawn],
    options: &OutlookOptions,
    samples: usize,
) -> Vec<Vec<f64>> {
    let c = options.common_cause.country.value().to_f64().unwrap_or(0.0);
    let s = options.common_cause.sponsor.value().to_f64().unwrap_or(0.0);
    let mut shocks: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut shock = |key: String| -> Vec<f64> {
        shocks
            .entry(key)
            .or_insert_with_key(|k| normals(options.seed, k, samples))
            .clone()
    };
    projects
        .iter()
        .map(|(id, _)| {
            let facility = data.facility(id.as_str());
            let own = normals(options.seed, id.as_str(), samples);
            let country = facility
                .filter(|_| c > 0.0)
                .map(|f| shock(format!("country:{}", f.country.code())));
            let sponsor = facility
                .and_then(|f| f.operator.clone())
                .filter(|_| s > 0.0)
                .map(|name| shock(format!("sponsor:{name}")));
            let own_weight = 1.0 - c - if sponsor.is_some() { s } else { 0.0 };
            (0..samples)
                .map(|k| {
                    let at = |v: &Option<Vec<f64>>| {
                        v.as_ref().and_then(|v| v.get(k)).copied().unwrap_or(0.0)
                    };
                    let z = c.sqrt() * at(&country)
                        + s.sqrt() * at(&sponsor)
                        + own_weight.max(0.0).sqrt() * own.get(k).copied().unwrap_or(0.0);
                    normal_cdf(z)
                })
                .collect()
        })
        .collect()
}

/// What an outlook samples: the projects drawn, their draws (`draws[p][k]`: project p in
/// sample k), each project's country, how many samples, and the year of the drivers if any.
struct Sampling<'a> {
    projects: &'a [Drawn],
    draws: Vec<Vec<f64>>,
    countries: &'a [Option<Country>],
    /// Facilities with a stated capacity range, and per facility and sample the end drawn
    /// (`None`: the figure).
    ranged: &'a [FacilityId],
    ends: Vec<Vec<Option<RangeEnd>>>,
    samples: usize,
    drivers_in: Option<i32>,
}

/// Where the ends of ranged capacities sit among a set's entries (after the projects): entry
/// `RANGED + 2r` is facility r at its low end, `RANGED + 2r + 1` at its high end.
const RANGED: usize = 1 << 24;

/// The extended Pearson–Tukey weights (Keefer and Bodily 1983): a stated low and high read as
/// the 5th and 95th percentiles, the figure as the median, drawn with probabilities 0.185,
/// 0.63 and 0.185.
const PEARSON_TUKEY_TAIL: f64 = 0.185;

/// Per ranged facility, the end drawn in each sample, from the facility's own stream.
fn range_ends(seed: u64, ranged: &[FacilityId], samples: usize) -> Vec<Vec<Option<RangeEnd>>> {
    ranged
        .iter()
        .map(|id| {
            let mut rng = SplitMix64::new(seed ^ key_hash(&format!("range:{}", id.as_str())));
            (0..samples)
                .map(|_| {
                    let u = rng.unit();
                    if u < PEARSON_TUKEY_TAIL {
                        Some(RangeEnd::Low)
                    } else if u >= 1.0 - PEARSON_TUKEY_TAIL {
                        Some(RangeEnd::High)
                    } else {
                        None
                    }
                })
                .collect()
        })
        .collect()
}

/// The bands per scenario and year, the samples they took, and whether they settled.
type Settled = (Vec<Vec<YearBand>>, usize, Option<bool>);

/// Everything an outlook's runs share: the dataset, the projects drawn and their countries,
/// the years, the scenarios (world, and outside a country) and the options.
struct Plan<'a> {
    data: &'a ValidDataset,
    projects: &'a [Drawn],
    countries: &'a [Option<Country>],
    ranged: &'a [FacilityId],
    years: &'a [i32],
    scenarios: &'a [Scenario],
    options: &'a OutlookOptions,
}

impl Plan<'_> {
    /// The bands per scenario and year at `samples`, with drivers in `drivers_in`.
    fn bands_at<S>(
        &self,
        samples: usize,
        drivers_in: Option<i32>,
        solvers: &mut [S],
    ) -> Result<Vec<Vec<YearBand>>, Error>
    where
        S: FnMut(&Scenario) -> Result<Tonnes, Error> + Send,
    {
        let sampling = Sampling {
            projects: self.projects,
            draws: draws(self.data, self.projects, self.options, samples),
            countries: self.countries,
            ranged: self.ranged,
            ends: range_ends(self.options.seed, self.ranged, samples),
            samples,
            drivers_in,
        };
        bands(&sampling, self.years, self.scenarios, solvers)
    }

    /// The bands at the samples the options settle on, the number of samples, and whether
    /// they settled (see [`OutlookOptions::settle`]). Each project's stream is the same at every
    /// count (the first n draws of 2n are the n draws), and the solvers keep what they solved,
    /// so doubling costs only the sets of projects not met before. Drivers are measured once,
    /// at the final count.
    fn run<S>(&self, solvers: &mut [S]) -> Result<Settled, Error>
    where
        S: FnMut(&Scenario) -> Result<Tonnes, Error> + Send,
    {
        let percentiles = |bands: &[Vec<YearBand>]| -> Vec<(Tonnes, Tonnes, Tonnes)> {
            bands
                .iter()
                .flatten()
                .map(|y| (y.band.p10, y.band.p50, y.band.p90))
                .collect()
        };
        let options = self.options;
        let mut n = options.samples;
        let mut bands = self.bands_at(n, None, solvers)?;
        let mut settled = None;
        if options.settle {
            while n.saturating_mul(2) <= MAX_SETTLED_SAMPLES {
                settled = Some(false);
                let next = self.bands_at(n * 2, None, solvers)?;
                n *= 2;
                let same = percentiles(&bands)
                    .iter()
                    .zip(&percentiles(&next))
                    .all(|(a, b)| {
                        [(a.0, b.0), (a.1, b.1), (a.2, b.2)]
                            .iter()
                            .all(|(x, y)| within_tolerance(*x, *y))
                    });
                bands = next;
                if same {
                    settled = Some(true);
                    break;
                }
            }
        }
        if options.drivers_in.is_some_and(|y| self.years.contains(&y)) {
            bands = self.bands_at(n, options.drivers_in, solvers)?;
        }
        Ok((bands, n, settled))
    }
}

/// One year's band, its sorted samples, and in the drivers' year what moves it.
struct YearBand {
    band: OutlookYear,
    samples: Vec<Tonnes>,
    swings: Vec<Swing>,
}

/// What was forced on and off for a driver.
#[derive(Clone, Copy, Debug)]
enum Swung {
    /// One project (its index).
    Project(usize),
    /// Every project of a country (and how many).
    Country(Country, usize),
}

/// Mean and median supply with the forced projects delivering, and with them not delivering.
struct Swing {
    what: Swung,
    with: (Tonnes, Tonnes),
    without: (Tonnes, Tonnes),
}

/// The outlook bands of `scenarios` over `years`: per scenario, per year, deliverable with
/// producing facilities only, with every project, and over the samples' draws of which
/// projects deliver, with the year's sorted samples (and, in the drivers' year, the swings).
/// The (scenario, year) jobs are shared out over one thread per solver; every job is solved
/// afresh from its bounds, so the bands do not depend on the number of threads.
fn bands<S>(
    sampling: &Sampling<'_>,
    years: &[i32],
    scenarios: &[Scenario],
    solvers: &mut [S],
) -> Result<Vec<Vec<YearBand>>, Error>
where
    S: FnMut(&Scenario) -> Result<Tonnes, Error> + Send,
{
    let jobs: Vec<(&Scenario, i32)> = scenarios
        .iter()
        .flat_map(|s| years.iter().map(move |y| (s, *y)))
        .collect();
    let threads = solvers.len().max(1);
    let jobs = &jobs;
    // Thread t takes jobs t, t + threads, ...; results go back in job order.
    let mut done: Vec<Option<Result<YearBand, Error>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = solvers
            .iter_mut()
            .enumerate()
            .map(|(t, solve)| {
                scope.spawn(move || {
                    jobs.iter()
                        .enumerate()
                        .skip(t)
                        .step_by(threads)
                        .map(|(j, (s, y))| (j, year_band(sampling, *y, s, solve)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut done: Vec<Option<Result<YearBand, Error>>> = jobs.iter().map(|_| None).collect();
        for h in handles {
            let results = h.join().map_err(|_| Error::Internal {
                reason: "an outlook thread panicked",
            });
            match results {
                Ok(list) => {
                    for (j, r) in list {
                        if let Some(slot) = done.get_mut(j) {
                            *slot = Some(r);
                        }
                    }
                }
                Err(e) => return vec![Some(Err(e))],
            }
        }
        done
    });
    let mut out = Vec::with_capacity(scenarios.len());
    let mut results = done.iter_mut().map(Option::take);
    for _ in scenarios {
        let mut bands = Vec::with_capacity(years.len());
        for _ in years {
            match results.next().flatten() {
                Some(r) => bands.push(r?),
                None => {
                    return Err(Error::Internal {
                        reason: "an outlook job was not solved",
                    });
                }
            }
        }
        out.push(bands);
    }
    Ok(out)
}

/// Most solved sets a year keeps for the monotonicity shortcut ([`YearSets`]).
const SOLVED_SETS: usize = 4_096;

/// The sets of delivering projects of one year of one scenario, and their deliverables: each
/// set is solved at most once, and not at all where monotonicity settles it.
///
/// Deliverable is monotone in the set of delivering projects (a project coming online only
/// raises capacity bounds, and raising a bound never lowers a maximum). So a set lying between a
/// solved subset and a solved superset with the same deliverable has it too. Sets are bit masks
/// (up to 64 projects; beyond, every new set is solved).
struct YearSets<'a, F> {
    sampling: &'a Sampling<'a>,
    year: i32,
    base: &'a Scenario,
    deliverable: &'a mut F,
    seen: BTreeMap<Vec<usize>, Tonnes>,
    solved: Vec<(u64, Tonnes)>,
    masks: bool,
}

impl<F: FnMut(&Scenario) -> Result<Tonnes, Error>> YearSets<'_, F> {
    /// Solves the scenario of the year with `online` delivering (or every project, `all`).
    /// `online` holds project indices, then the ranged capacities read at an end (see
    /// [`RANGED`]).
    fn solve(&mut self, online: &[usize], all: bool) -> Result<Tonnes, Error> {
        let projects = self.sampling.projects;
        let ranged = self.sampling.ranged;
        let mut capacity_ends = BTreeMap::new();
        for &k in online.iter().filter(|&&k| k >= RANGED) {
            if let Some(id) = ranged.get((k - RANGED) / 2) {
                let end = if (k - RANGED).is_multiple_of(2) {
                    RangeEnd::Low
                } else {
                    RangeEnd::High
                };
                capacity_ends.insert(id.clone(), end);
            }
        }
        (self.deliverable)(&Scenario {
            year: Some(self.year),
            projects_online: online
                .iter()
                .filter(|&&k| k < RANGED)
                .filter_map(|&k| projects.get(k).map(|p| p.0.clone()))
                .collect(),
            all_projects_online: all,
            capacity_ends,
            ..self.base.clone()
        })
    }

    fn mask_of(online: &[usize]) -> u64 {
        online.iter().fold(0u64, |m, &p| {
            m | 1u64
                .checked_shl(u32::try_from(p).unwrap_or(64))
                .unwrap_or(0)
        })
    }

    /// The deliverable of one set: remembered, settled between a subset and a superset, or
    /// solved.
    fn value(&mut self, online: Vec<usize>) -> Result<Tonnes, Error> {
        if let Some(v) = self.seen.get(&online) {
            return Ok(*v);
        }
        let m = Self::mask_of(&online);
        let below = self
            .solved
            .iter()
            .filter(|(a, _)| a & !m == 0)
            .map(|x| x.1)
            .max();
        let above = self
            .solved
            .iter()
            .filter(|(b, _)| m & !b == 0)
            .map(|x| x.1)
            .min();
        // A settled set adds no bound that its subset and superset do not already give, so
        // only solved sets are kept, at most `SOLVED_SETS` of them (the scan is per new set).
        let v = match (below, above) {
            (Some(lo), Some(hi)) if self.masks && lo == hi => lo,
            _ => {
                let v = self.solve(&online, false)?;
                if self.masks && self.solved.len() < SOLVED_SETS {
                    self.solved.push((m, v));
                }
                v
            }
        };
        self.seen.insert(online, v);
        Ok(v)
    }

    /// The sorted samples of the year, with the `forced` projects delivering (`on`) or not.
    fn run(&mut self, forced: &[usize], on: bool) -> Result<Vec<Tonnes>, Error> {
        let sampling = self.sampling;
        let year = self.year;
        let mut samples = Vec::with_capacity(sampling.samples);
        for k in 0..sampling.samples {
            let mut online: Vec<usize> = sampling
                .projects
                .iter()
                .zip(&sampling.draws)
                .enumerate()
                .filter(|(p, ((_, by_year), u))| {
                    if forced.contains(p) {
                        return on;
                    }
                    by_year
                        .get(&year)
                        .is_some_and(|q| u.get(k).is_some_and(|u| u < q))
                })
                .map(|(p, _)| p)
                .collect();
            for (r, ends) in sampling.ends.iter().enumerate() {
                match ends.get(k).copied().flatten() {
                    Some(RangeEnd::Low) => online.push(RANGED + 2 * r),
                    Some(RangeEnd::High) => online.push(RANGED + 2 * r + 1),
                    None => {}
                }
            }
            samples.push(self.value(online)?);
        }
        samples.sort();
        Ok(samples)
    }
}

/// One year of one scenario: producing only, every project, the draws, and in the drivers'
/// year the swing of each project and country. A set of delivering projects already solved in
/// the year is not solved again (most draws repeat, and forcing one project on or off mostly
/// gives sets already seen).
fn year_band<F: FnMut(&Scenario) -> Result<Tonnes, Error>>(
    sampling: &Sampling<'_>,
    year: i32,
    base: &Scenario,
    deliverable: &mut F,
) -> Result<YearBand, Error> {
    let n = sampling.projects.len();
    let mut sets = YearSets {
        sampling,
        year,
        base,
        deliverable,
        seen: BTreeMap::new(),
        solved: Vec::new(),
        // Ranged capacities make the sets more than sets of projects: no shortcut then.
        masks: n <= 64 && sampling.ranged.is_empty(),
    };
    let operating_only = sets.solve(&[], false)?;
    let all_projects = sets.solve(&[], true)?;
    sets.seen.insert(Vec::new(), operating_only);
    sets.solved.push((0, operating_only));
    if sets.masks && n > 0 {
        let every: Vec<usize> = (0..n).collect();
        sets.value(every)?;
    }
    let samples = sets.run(&[], false)?;
    let band = OutlookYear::of(year, operating_only, all_projects, &samples)?;
    let swings = if sampling.drivers_in == Some(year) {
        swings(&mut sets, (operating_only, all_projects))?
    } else {
        Vec::new()
    };
    Ok(YearBand {
        band,
        samples,
        swings,
    })
}

/// Each project, and each country's projects, forced to deliver and not to.
fn swings<F: FnMut(&Scenario) -> Result<Tonnes, Error>>(
    sets: &mut YearSets<'_, F>,
    (operating_only, all_projects): (Tonnes, Tonnes),
) -> Result<Vec<Swing>, Error> {
    let sampling = sets.sampling;
    let year = sets.year;
    let mut groups: Vec<(Swung, Vec<usize>)> = (0..sampling.projects.len())
        .map(|p| (Swung::Project(p), vec![p]))
        .collect();
    let mut by_country: BTreeMap<Country, Vec<usize>> = BTreeMap::new();
    for (p, c) in sampling.countries.iter().enumerate() {
        if let Some(c) = c {
            by_country.entry(*c).or_default().push(p);
        }
    }
    groups.extend(
        by_country
            .into_iter()
            .map(|(c, list)| (Swung::Country(c, list.len()), list)),
    );
    let mut swings = Vec::with_capacity(groups.len());
    for (what, forced) in groups {
        let with = OutlookYear::of(
            year,
            operating_only,
            all_projects,
            &sets.run(&forced, true)?,
        )?;
        let without = OutlookYear::of(
            year,
            operating_only,
            all_projects,
            &sets.run(&forced, false)?,
        )?;
        swings.push(Swing {
            what,
            with: (with.expected, with.p50),
            without: (without.expected, without.p50),
        });
    }
    Ok(swings)
}

impl OutlookYear {
    /// The year's band from its sorted Monte Carlo samples: the mean (to the kilogram) with its
    /// standard error, and the P10, P50 and P90 by nearest rank with their 95 % intervals.
    fn of(
        year: i32,
        operating_only: Tonnes,
        all_projects: Tonnes,
        sorted: &[Tonnes],
    ) -> Result<Self, Error> {
        let sum = Tonnes::checked_sum(sorted.iter().copied())?;
        let count = Decimal::from(sorted.len().max(1));
        let mean = sum.value() / count;
        // The standard error is a statistic of the draws, computed in f64 and stated to the kg.
        let mean_f = mean.to_f64().unwrap_or(0.0);
        let n = as_f64(sorted.len().max(1));
        let variance = sorted
            .iter()
            .map(|t| {
                let d = t.value().to_f64().unwrap_or(0.0) - mean_f;
                d * d
            })
            .sum::<f64>()
            / (n - 1.0).max(1.0);
        let error = Decimal::from_f64((variance / n).sqrt())
            .unwrap_or(Decimal::ZERO)
            .round_dp(3);
        Ok(Self {
            year,
            operating_only,
            all_projects,
            expected: Tonnes::new(mean.round_dp(3)),
            expected_error: Tonnes::new(error),
            p10: percentile(sorted, 10),
            p50: percentile(sorted, 50),
            p90: percentile(sorted, 90),
            p10_interval: interval(sorted, 10),
            p50_interval: interval(sorted, 50),
            p90_interval: interval(sorted, 90),
        })
    }
}

impl DemandCase {
    /// World supply (its bands per year) against each of `cases` of `commodity`.
    fn all(
        data: &ValidDataset,
        commodity: &Commodity,
        cases: Vec<Option<String>>,
        world: &[YearBand],
    ) -> Vec<Self> {
        cases
            .into_iter()
            .map(|case| Self {
                years: world
                    .iter()
                    .filter_map(|y| {
                        stated_demand(data, commodity, case.as_deref(), y.band.year)
                            .map(|d| DemandYear::of(&y.band, &y.samples, d))
                    })
                    .collect(),
                case,
            })
            .collect()
    }
}

impl DemandYear {
    /// World supply of one year (its band and sorted samples) against `demand`.
    fn of(band: &OutlookYear, sorted: &[Tonnes], demand: Tonnes) -> Self {
        let less = |t: Tonnes| Tonnes::new(t.value() - demand.value());
        let covering = sorted.iter().filter(|t| **t >= demand).count();
        let covered = Decimal::from(covering) / Decimal::from(sorted.len().max(1));
        Self {
            year: band.year,
            demand,
            operating_only: less(band.operating_only),
            p10: less(band.p10),
            p50: less(band.p50),
            p90: less(band.p90),
            all_projects: less(band.all_projects),
            covered: Share::new(covered.round_dp(4)).unwrap_or(Share::ZERO),
        }
    }
}

/// A count as f64: samples are at most [`MAX_OUTLOOK_SAMPLES`], exact in u32 and f64.
fn as_f64(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The nearest-rank percentile of sorted samples (`q` in 1..=100).
fn percentile(sorted: &[Tonnes], q: usize) -> Tonnes {
    if sorted.is_empty() {
        return Tonnes::ZERO;
    }
    let rank = (q * sorted.len()).div_ceil(100).clamp(1, sorted.len());
    sorted.get(rank - 1).copied().unwrap_or(Tonnes::ZERO)
}

/// The 95 % interval of the `q`-th percentile of sorted samples: the samples at ranks
/// n·q ∓ 1.96·√(n·q·(1−q)), clamped to the samples (the normal approximation of the binomial
/// count of samples below the true percentile).
fn interval(sorted: &[Tonnes], q: usize) -> Interval {
    let n = sorted.len();
    if n == 0 {
        return Interval {
            low: Tonnes::ZERO,
            high: Tonnes::ZERO,
        };
    }
    let p = as_f64(q) / 100.0;
    let nf = as_f64(n);
    let half = 1.96 * (nf * p * (1.0 - p)).sqrt();
    // Ranks are 1-based; both ends are clamped to 1..=n, so the casts cannot wrap.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let rank = |r: f64| (r.clamp(1.0, nf) as usize).clamp(1, n);
    let at = |r: usize| sorted.get(r - 1).copied().unwrap_or(Tonnes::ZERO);
    Interval {
        low: at(rank((nf * p - half).floor())),
        high: at(rank((nf * p + half).ceil())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_distribution_function_matches_its_table() {
        for (x, phi) in [
            (0.0, 0.5),
            (1.0, 0.841_344_746),
            (-1.0, 0.158_655_254),
            (1.959_963_985, 0.975),
            (-3.0, 0.001_349_898),
        ] {
            assert!((normal_cdf(x) - phi).abs() < 1e-7, "{x}: {}", normal_cdf(x));
        }
    }

    #[test]
    fn normal_draws_have_mean_zero_and_unit_variance() {
        let v = normals(7, "x", 100_000);
        let n = as_f64(v.len());
        let mean = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
        assert!(mean.abs() < 0.01, "{mean}");
        assert!((var - 1.0).abs() < 0.02, "{var}");
    }
}
