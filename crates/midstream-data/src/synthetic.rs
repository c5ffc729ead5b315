//! A seeded generator of synthetic supply-chain datasets, for tests and benchmarks.
//!
//! The networks look like a rare-earth chain: many mines and magnet makers, few separation and
//! metal plants (the designed bottleneck), heavy-tailed (Pareto) capacities, links mostly within
//! a region and otherwise preferential by size, a few links that skip a stage, and recycling
//! loops (magnet makers send scrap to recyclers, which feed separation). The same seed gives
//! the same dataset, byte for byte. The figures are synthetic, and the dataset says so.

// Reason: the generator indexes its own tables (regions, stages, facilities it has just made)
// with positions it drew below their lengths; its only inputs are a size (raised to at least
// 12) and a seed, so no input reaches an index.
#![allow(clippy::indexing_slicing)]

use chrono::NaiveDate;
use midstream_domain::{
    Capacity, Commodity, Country, Dataset, Demand, Estimate, Facility, Link, Maturity, Stage,
    Tonnes,
};
use rust_decimal::Decimal;

use midstream_flow::SplitMix64;

/// The shape of a generated network.
#[derive(Clone, Debug, PartialEq)]
pub struct GeneratorConfig {
    /// Facilities plus demand records (the "nodes" before splitting).
    pub size: usize,
    /// The seed.
    pub seed: u64,
    /// The commodity every capacity is stated in.
    pub commodity: Commodity,
    /// The year of the capacities and demand.
    pub year: i32,
}

impl GeneratorConfig {
    /// A network of `size` facilities and demand records, NdPr oxide, 2024.
    #[must_use]
    pub fn new(size: usize, seed: u64) -> Self {
        Self {
            size,
            seed,
            commodity: Commodity::new(
                midstream_domain::ElementSet::new([
                    midstream_domain::Element::Nd,
                    midstream_domain::Element::Pr,
                ])
                .unwrap_or_else(midstream_domain::ElementSet::rare_earths),
                midstream_domain::Form::Oxide,
            ),
            year: 2024,
        }
    }
}

/// Share of the records per stage (the rest of the 100 %, 14 %, are demand records), and the
/// stage's total capacity relative to mining. Separation is the designed bottleneck.
const STAGES: [(Stage, f64, f64); 6] = [
    (Stage::Mining, 0.40, 1.00),
    (Stage::Beneficiation, 0.195, 1.10),
    (Stage::Separation, 0.03, 0.60),
    (Stage::MetalRefining, 0.03, 0.80),
    (Stage::Manufacturing, 0.20, 1.00),
    (Stage::Recycling, 0.005, 0.05),
];
/// Total demand relative to mining capacity.
const DEMAND_TOTAL: f64 = 0.9;
/// Mining capacity per record, in tonnes (sets the scale of all figures).
const MINING_TONNES_PER_RECORD: f64 = 50.0;
/// Pareto shape of facility sizes.
const PARETO_SHAPE: f64 = 1.3;

/// Countries by region; separation and metal refining are weighted towards China.
const REGIONS: [&[&str]; 5] = [
    &["CN", "MN", "KZ", "RU"],
    &["AU", "MY", "VN", "TH", "MM", "ID", "JP", "KR"],
    &["US", "CA", "MX", "BR"],
    &["DE", "FR", "EE", "NO", "SE", "FI", "GB"],
    &["ZA", "NG", "MG", "TZ", "IN"],
];

/// Generates a valid dataset (see the module docs).
///
/// ```
/// use midstream_data::synthetic::{GeneratorConfig, generate};
/// let data = generate(&GeneratorConfig::new(200, 7)).validate()?;
/// assert!(data.facilities.len() > 150);
/// let again = generate(&GeneratorConfig::new(200, 7));
/// assert_eq!(*data, again);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
#[allow(clippy::too_many_lines)] // Reason: one recipe, step by step.
pub fn generate(config: &GeneratorConfig) -> Dataset {
    let mut rng = SplitMix64::new(config.seed);
    let size = config.size.max(12);
    let countries: Vec<Vec<Country>> = REGIONS
        .iter()
        .map(|r| r.iter().filter_map(|c| c.parse().ok()).collect())
        .collect();
    let china: Option<Country> = "CN".parse().ok();

    // Facilities per stage, with Pareto weights scaled to the stage total.
    #[allow(clippy::cast_precision_loss)] // Reason: sizes are far below 2^52.
    let mining_total = size as f64 * 0.40 * MINING_TONNES_PER_RECORD;
    let mut facilities: Vec<Facility> = Vec::new();
    let mut by_stage: Vec<Vec<usize>> = vec![Vec::new(); STAGES.len()];
    let mut region_of: Vec<usize> = Vec::new();
    for (si, &(stage, fraction, relative)) in STAGES.iter().enumerate() {
        let weights = pareto_weights(&mut rng, size, fraction);
        let sum: f64 = weights.iter().sum();
        for w in weights {
            let midstream = matches!(stage, Stage::Separation | Stage::MetalRefining);
            let region = if midstream && rng.unit() < 0.85 {
                0
            } else {
                rng.below(REGIONS.len())
            };
            let country = if midstream && region == 0 {
                china
            } else {
                countries[region]
                    .get(rng.below(countries[region].len()))
                    .copied()
            }
            .or(china);
            let Some(country) = country else { continue };
            let tonnes = w / sum * mining_total * relative;
            let index = facilities.len();
            facilities.push(facility(index, stage, country, tonnes, config.commodity));
            by_stage[si].push(index);
            region_of.push(region);
        }
    }

    // Links: each facility ships to 2..8 facilities of the next stage (occasionally the one
    // after), 70 % within its region, 30 % preferentially to large ones.
    let capacity_of = |f: &Facility| {
        f.capacities
            .first()
            .map_or(0.0, |c| decimal_to_f64(c.tonnes_per_year.value()))
    };
    let cumulative: Vec<Vec<f64>> = by_stage
        .iter()
        .map(|ids| {
            let mut acc = 0.0;
            ids.iter()
                .map(|&i| {
                    acc += capacity_of(&facilities[i]);
                    acc
                })
                .collect()
        })
        .collect();
    // Facilities of each stage by region, for regional picks.
    let mut regional: Vec<Vec<Vec<usize>>> = vec![vec![Vec::new(); REGIONS.len()]; STAGES.len()];
    for (si, ids) in by_stage.iter().enumerate() {
        for &i in ids {
            regional[si][region_of[i]].push(i);
        }
    }
    let mut links: Vec<Link> = Vec::new();
    let chain = [0usize, 1, 2, 3, 4]; // mining .. manufacturing, by STAGES index
    for (pos, &si) in chain.iter().enumerate().take(chain.len() - 1) {
        for &from in &by_stage[si] {
            let skip = pos + 2 < chain.len() && rng.unit() < 0.02;
            let target = if skip { chain[pos + 2] } else { chain[pos + 1] };
            // Out-degree 2..=7, skewed towards 2: 2 + the smaller of two uniform draws in 0..6.
            let degree = 2 + rng.below(6).min(rng.below(6));
            let mut chosen: Vec<usize> = Vec::with_capacity(degree);
            for _ in 0..degree {
                let pool = &by_stage[target];
                let pick = if rng.unit() < 0.7 {
                    let local = &regional[target][region_of[from]];
                    if local.is_empty() {
                        pool[rng.below(pool.len())]
                    } else {
                        local[rng.below(local.len())]
                    }
                } else {
                    let cum = &cumulative[target];
                    let x = rng.unit() * cum.last().copied().unwrap_or(0.0);
                    pool[cum.partition_point(|&c| c <= x).min(pool.len() - 1)]
                };
                if !chosen.contains(&pick) {
                    chosen.push(pick);
                }
            }
            chosen.sort_unstable();
            for to in chosen {
                links.push(link(links.len(), &facilities[from], &facilities[to]));
            }
        }
    }
    // Recycling loops: some magnet makers send scrap to recyclers, which feed separation.
    let recyclers = &by_stage[5];
    if !recyclers.is_empty() {
        for &from in &by_stage[4] {
            if rng.unit() < 0.05 {
                let to = recyclers[rng.below(recyclers.len())];
                links.push(link(links.len(), &facilities[from], &facilities[to]));
            }
        }
        for &from in recyclers {
            let pool = &by_stage[2];
            let to = pool[rng.below(pool.len())];
            links.push(link(links.len(), &facilities[from], &facilities[to]));
        }
    }

    // Demand records.
    let weights = pareto_weights(&mut rng, size, 0.14);
    let sum: f64 = weights.iter().sum();
    let demand = weights
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let region = rng.below(REGIONS.len());
            let country = countries[region][rng.below(countries[region].len())];
            synthetic_demand(
                i,
                Some(country),
                config.commodity,
                w / sum * mining_total * DEMAND_TOTAL,
                config.year,
            )
        })
        .collect();

    Dataset {
        // Format 1: one commodity passed through every stage, links exclusive.
        format_version: 1,
        name: format!("synthetic-{}-seed-{}", config.size, config.seed),
        description: Some(
            "Synthetic network from midstream_data::synthetic::generate; not real facilities or figures."
                .to_owned(),
        ),
        as_of: NaiveDate::from_ymd_opt(config.year, 12, 31).unwrap_or_default(),
        perspective: None,
        sources: Vec::new(),
        compositions: Vec::new(),
        facilities,
        links,
        demand,
    }
}

/// Demand record `i` of a synthetic buyer.
fn synthetic_demand(
    i: usize,
    country: Option<Country>,
    commodity: Commodity,
    t: f64,
    year: i32,
) -> Demand {
    Demand {
        id: synthetic_id('d', i),
        buyer: format!("Synthetic buyer {i}"),
        country,
        commodity,
        tonnes_per_year: tonnes(t),
        year,
        case: None,
        estimate: Some(Estimate {
            method: "synthetic".to_owned(),
        }),
        source: None,
        note: None,
    }
}

/// Pareto(`PARETO_SHAPE`) weights of `fraction` of `size` records (at least one).
fn pareto_weights(rng: &mut SplitMix64, size: usize, fraction: f64) -> Vec<f64> {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    // Reason: a positive count far below usize::MAX.
    let count = ((size as f64 * fraction).round() as usize).max(1);
    (0..count)
        .map(|_| (1.0 - rng.unit()).powf(-1.0 / PARETO_SHAPE))
        .collect()
}

fn tonnes(value: f64) -> Tonnes {
    // Three decimals: whole kilograms.
    Tonnes::new(Decimal::from_f64_retain(value).map_or(Decimal::ZERO, |d| d.round_dp(3)))
}

fn decimal_to_f64(d: Decimal) -> f64 {
    rust_decimal::prelude::ToPrimitive::to_f64(&d).unwrap_or(0.0)
}

fn facility(
    index: usize,
    stage: Stage,
    country: Country,
    t: f64,
    commodity: Commodity,
) -> Facility {
    Facility {
        id: synthetic_id('f', index),
        name: format!("Synthetic {stage} {index}"),
        operator: None,
        country,
        owner_country: None,
        stage,
        maturity: Maturity::Operating,
        capacities: vec![Capacity {
            commodity,
            tonnes_per_year: tonnes(t.max(0.001)),
            basis: None,
            year: None,
            ramp: Vec::new(),
            range: None,
            estimate: Some(Estimate {
                method: "synthetic".to_owned(),
            }),
            derived: None,
            source: None,
        }],
        process: None,
        aim: None,
        milestones: Vec::new(),
        offtakes: Vec::new(),
        financing: Vec::new(),
        capex: None,
        sources: Vec::new(),
        note: None,
    }
}

fn link(index: usize, from: &Facility, to: &Facility) -> Link {
    Link {
        id: synthetic_id('l', index),
        from: from.id.clone(),
        to: to.id.clone(),
        commodity: None,
        tonnes_per_year: None,
        min_tonnes_per_year: None,
        from_year: None,
        to_year: None,
        exclusive: None,
        restriction: None,
        source: None,
    }
}

/// An id made of a letter and digits, which always satisfies the id syntax.
#[allow(clippy::expect_used)] // Reason: a letter followed by digits is always a valid id.
fn synthetic_id<T: std::str::FromStr>(prefix: char, index: usize) -> T {
    format!("{prefix}{index}")
        .parse()
        .ok()
        .expect("a letter followed by digits is a valid id")
}

/// The shape of a generated material-balance network ([`generate_material`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaterialConfig {
    /// Facilities (demand records come on top, about 5 % of this).
    pub size: usize,
    /// The seed.
    pub seed: u64,
    /// Feed composition classes (deposit types), at least 1.
    pub classes: usize,
    /// The year of the capacities and demand.
    pub year: i32,
}

impl MaterialConfig {
    /// `size` facilities, 10 composition classes, 2024.
    #[must_use]
    pub fn new(size: usize, seed: u64) -> Self {
        Self {
            size,
            seed,
            classes: 10,
            year: 2024,
        }
    }
}

/// Elements itemised in generated compositions, with the mean weight of each in a light
/// (bastnaesite-like) and a heavy (ionic-clay-like) deposit; the rest is "other".
const ELEMENT_WEIGHTS: [(midstream_domain::Element, f64, f64); 9] = {
    use midstream_domain::Element::{Ce, Dy, Gd, La, Nd, Pr, Sm, Tb, Y};
    [
        (La, 0.32, 0.15),
        (Ce, 0.48, 0.05),
        (Pr, 0.045, 0.03),
        (Nd, 0.13, 0.10),
        (Sm, 0.01, 0.04),
        (Gd, 0.005, 0.05),
        (Tb, 0.0005, 0.01),
        (Dy, 0.001, 0.06),
        (Y, 0.002, 0.45),
    ]
};

/// Records per stage of a generated material network (the rest, 5 %, are demand records).
const MATERIAL_STAGES: [(Stage, f64); 5] = [
    (Stage::Mining, 0.45),
    (Stage::Cracking, 0.20),
    (Stage::Separation, 0.08),
    (Stage::MetalRefining, 0.07),
    (Stage::Manufacturing, 0.15),
];

/// Generates a valid format-2 dataset with the material balance's features: feed compositions
/// (light and heavy deposit types), mines extracting ore of one class each, crackers turning ore
/// into concentrate, separators making six joint products (NdPr, Dy, Tb, La, Ce, Y oxide) with
/// capacities on the feed or on NdPr oxide, metal plants reducing NdPr, Dy and Tb oxide, magnet
/// makers by recipe, a few capped non-exclusive links, and magnet demand. Synthetic figures.
///
/// ```
/// use midstream_data::synthetic::{MaterialConfig, generate_material};
/// let data = generate_material(&MaterialConfig::new(200, 7)).validate()?;
/// assert_eq!(data.compositions.len(), 10);
/// assert_eq!(*data, generate_material(&MaterialConfig::new(200, 7)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
#[allow(clippy::too_many_lines)] // Reason: one recipe, stage by stage.
pub fn generate_material(config: &MaterialConfig) -> Dataset {
    use midstream_domain::{
        CapacityBasis, Element, FeedComposition, Form, Process, RecipeInput, Share,
    };
    let mut rng = SplitMix64::new(config.seed);
    let size = config.size.max(12);
    let classes = config.classes.max(1);
    let commodity = |text: &str| -> Commodity {
        text.parse().unwrap_or(Commodity::new(
            midstream_domain::ElementSet::rare_earths(),
            Form::Oxide,
        ))
    };
    let share =
        |thousandths: u32| Share::new(Decimal::new(i64::from(thousandths), 3)).unwrap_or_default();

    // Compositions: thousandths drawn around a light or a heavy profile, summing to 1000.
    let mut compositions = Vec::with_capacity(classes);
    for k in 0..classes {
        let heavy = k % 3 == 2;
        let mut parts: Vec<(Element, u32)> = Vec::new();
        let mut used = 0u32;
        for &(element, light_w, heavy_w) in &ELEMENT_WEIGHTS {
            let mean = if heavy { heavy_w } else { light_w };
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            // Reason: a positive number of thousandths far below u32::MAX.
            let t = (mean * (0.6 + 0.8 * rng.unit()) * 1000.0 * 0.97)
                .round()
                .max(1.0) as u32;
            used += t;
            parts.push((element, t));
        }
        // What is left (at least 1 ‰) is "other"; scale down if the draws overshoot.
        while used > 999 {
            if let Some(p) = parts.iter_mut().max_by_key(|p| p.1) {
                p.1 -= 1;
            }
            used -= 1;
        }
        compositions.push(FeedComposition {
            id: synthetic_id('c', k),
            name: format!(
                "Synthetic {} feed {k}",
                if heavy { "heavy" } else { "light" }
            ),
            deposit_type: Some(if heavy { "ionic clay" } else { "carbonatite" }.to_owned()),
            shares: parts.into_iter().map(|(e, t)| (e, share(t))).collect(),
            other: Some(share(1000 - used)),
            source: None,
            note: Some("synthetic".to_owned()),
        });
    }

    let ore = commodity("REO:ore");
    let concentrate = commodity("REO:concentrate");
    let products: Vec<Commodity> = [
        "NdPr:oxide",
        "Dy:oxide",
        "Tb:oxide",
        "La:oxide",
        "Ce:oxide",
        "Y:oxide",
    ]
    .iter()
    .map(|p| commodity(p))
    .collect();
    let magnet = commodity("NdPr:magnet");
    let countries: Vec<Country> = REGIONS
        .iter()
        .flat_map(|r| r.iter().filter_map(|c| c.parse().ok()))
        .collect();
    let china: Option<Country> = "CN".parse().ok();
    #[allow(clippy::cast_precision_loss)] // Reason: sizes are far below 2^52.
    let ore_total = size as f64 * 0.45 * 2_000.0;

    let mut facilities: Vec<Facility> = Vec::new();
    let mut by_stage: Vec<Vec<usize>> = vec![Vec::new(); MATERIAL_STAGES.len()];
    // Each stage's capacity relative to the ore mined (in its own unit: ore, feed, NdPr metal,
    // magnets), so that the midstream binds.
    let relative = [1.0, 0.8, 0.45, 0.06, 0.25];
    for (si, &(stage, fraction)) in MATERIAL_STAGES.iter().enumerate() {
        let weights = pareto_weights(&mut rng, size, fraction);
        let sum: f64 = weights.iter().sum();
        for w in weights {
            let midstream = matches!(stage, Stage::Separation | Stage::MetalRefining);
            let country = if midstream && rng.unit() < 0.8 {
                china
            } else {
                countries.get(rng.below(countries.len())).copied()
            }
            .or(china);
            let Some(country) = country else { continue };
            let t = w / sum * ore_total * relative[si];
            let index = facilities.len();
            let recovery = |rng: &mut SplitMix64, low: u32, spread: usize| {
                Share::new(thousandths(rng, low, spread)).unwrap_or_default()
            };
            let (process, capacities) = match stage {
                Stage::Mining => (
                    Process::Extraction {
                        composition: compositions[rng.below(classes)].id.clone(),
                    },
                    vec![(ore, t)],
                ),
                Stage::Cracking => (
                    Process::Conversion {
                        input: ore,
                        output: concentrate,
                        recovery: recovery(&mut rng, 600, 300),
                    },
                    vec![(ore, t)],
                ),
                Stage::Separation => {
                    // A third state capacity on NdPr oxide (about 15 % of the feed), the rest on feed.
                    let on_product = rng.unit() < 0.33;
                    (
                        Process::Separation {
                            feed: concentrate,
                            products: products.clone(),
                            recovery: recovery(&mut rng, 900, 80),
                        },
                        vec![if on_product {
                            (products[0], t * 0.15)
                        } else {
                            (concentrate, t)
                        }],
                    )
                }
                Stage::MetalRefining => (
                    Process::Reduction {
                        yield_: recovery(&mut rng, 920, 60),
                        mix: Some(compositions[rng.below(classes)].id.clone()),
                    },
                    vec![
                        (commodity("NdPr:metal"), t),
                        (commodity("Dy:metal"), t * 0.04),
                        (commodity("Tb:metal"), t * 0.01),
                    ],
                ),
                _ => {
                    let inputs = vec![
                        RecipeInput {
                            commodity: commodity("NdPr:metal"),
                            tonnes_per_tonne: thousandths(&mut rng, 280, 40),
                        },
                        RecipeInput {
                            commodity: commodity("Dy:metal"),
                            tonnes_per_tonne: thousandths(&mut rng, 5, 30),
                        },
                        RecipeInput {
                            commodity: commodity("Tb:metal"),
                            tonnes_per_tonne: thousandths(&mut rng, 1, 8),
                        },
                    ];
                    (Process::Recipe { inputs }, vec![(magnet, t)])
                }
            };
            let mut f = facility(index, stage, country, t, magnet);
            f.capacities = capacities
                .into_iter()
                .map(|(c, t)| Capacity {
                    commodity: c,
                    tonnes_per_year: tonnes(t.max(0.001)),
                    basis: Some(CapacityBasis::Nameplate),
                    ..f.capacities[0].clone()
                })
                .collect();
            f.process = Some(process);
            facilities.push(f);
            by_stage[si].push(index);
        }
    }

    // A few capped, non-exclusive links from mines to crackers (10 % of mines).
    let mut links = Vec::new();
    for &from in &by_stage[0] {
        if rng.unit() < 0.1 {
            let pool = &by_stage[1];
            let to = pool[rng.below(pool.len())];
            let cap = decimal_to_f64(facilities[from].capacities[0].tonnes_per_year.value()) * 0.5;
            let mut l = link(links.len(), &facilities[from], &facilities[to]);
            l.commodity = Some(ore);
            l.tonnes_per_year = Some(tonnes(cap));
            l.exclusive = Some(false);
            links.push(l);
        }
    }

    // Magnet demand: a twentieth of the records, about what the magnet makers could make.
    let weights = pareto_weights(&mut rng, size, 0.05);
    let sum: f64 = weights.iter().sum();
    let demand = weights
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let country = countries.get(rng.below(countries.len())).copied();
            synthetic_demand(i, country, magnet, w / sum * ore_total * 0.2, config.year)
        })
        .collect();

    Dataset {
        format_version: 2,
        name: format!("synthetic-material-{}-seed-{}", config.size, config.seed),
        description: Some(
            "Synthetic material network from midstream_data::synthetic::generate_material; not real facilities or figures."
                .to_owned(),
        ),
        as_of: NaiveDate::from_ymd_opt(config.year, 12, 31).unwrap_or_default(),
        perspective: None,
        sources: Vec::new(),
        compositions,
        facilities,
        links,
        demand,
    }
}

/// `low` plus a draw below `spread`, in thousandths.
fn thousandths(rng: &mut SplitMix64, low: u32, spread: usize) -> Decimal {
    let draw = u32::try_from(rng.below(spread)).unwrap_or(0);
    Decimal::new(i64::from(low + draw), 3)
}
