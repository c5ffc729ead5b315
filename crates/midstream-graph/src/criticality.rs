//! Criticality: deliverable supply lost when a facility or a whole country drops out.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::sync::atomic::{AtomicUsize, Ordering};

use midstream_domain::{Commodity, Country, FacilityId, Share, Stage, Tonnes};
use petgraph::algo::dominators;
use petgraph::visit::EdgeFiltered;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::GraphError;
use crate::report::share;
use crate::supply::SupplyGraph;
use crate::units::kg_to_tonnes;
use midstream_flow::{FlowError, FlowRemoval, MaxFlow, max_flow};

/// What to compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CriticalityOptions {
    /// How many facilities get an exact loss (the largest ones); the others get a bound.
    pub top_k: usize,
    /// Exact loss for every facility (slower: one re-routing per facility that carries flow).
    pub all_facilities: bool,
    /// Whether to compute every country's loss.
    pub countries: bool,
    /// A facility or country whose loss is at least this share of deliverable supply is a
    /// single point of failure. Every facility that could pass it gets an exact loss.
    /// `None`: no single points of failure are looked for.
    pub single_point_threshold: Option<Share>,
    /// Threads that share the countries' re-routings, each on its own copy of the residual
    /// graph (0: as many as the machine has). The answer is the same on any number.
    pub threads: usize,
}

impl Default for CriticalityOptions {
    /// Top 20 facilities exact, every country, single point of failure at half of deliverable
    /// supply.
    fn default() -> Self {
        Self {
            top_k: 20,
            all_facilities: false,
            countries: true,
            single_point_threshold: Share::new(Decimal::new(5, 1)).ok(),
            threads: 0,
        }
    }
}

/// How a facility's loss was established.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LossMethod {
    /// It carries no flow: removing it loses nothing (exact).
    NoFlow,
    /// Every path to buyers passes through it: removing it loses everything (exact).
    Dominator,
    /// Its flow was re-routed around it from the maximum flow's residual graph (exact).
    Rerouted,
    /// Not evaluated: the loss is at most its throughput (an upper bound).
    Bound,
}

/// The loss if one facility drops out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct FacilityCriticality {
    /// Its id.
    pub id: FacilityId,
    /// Its name.
    pub name: String,
    /// Its stage.
    pub stage: Stage,
    /// Its country.
    pub country: Country,
    /// Flow through it in the maximum flow.
    pub throughput: Tonnes,
    /// Deliverable tonnes lost without it (exact, or an upper bound for [`LossMethod::Bound`]).
    pub loss: Tonnes,
    /// `loss` / deliverable.
    pub share_of_deliverable: Share,
    /// How the loss was established.
    pub method: LossMethod,
}

/// The loss if every facility of one country drops out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct CountryCriticality {
    /// The country.
    pub country: Country,
    /// Its English name.
    pub name: String,
    /// Its facilities with capacity in the scenario.
    pub facilities: usize,
    /// Deliverable tonnes lost without them (exact).
    pub loss: Tonnes,
    /// `loss` / deliverable.
    pub share_of_deliverable: Share,
}

/// Criticality of the facilities and countries of one supply graph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct CriticalityReport {
    /// The commodity.
    pub commodity: Commodity,
    /// The scenario year.
    pub year: i32,
    /// Deliverable supply with everything in place.
    pub deliverable: Tonnes,
    /// Facilities: exact losses first (largest first), then bounds (largest first); ties by id.
    pub facilities: Vec<FacilityCriticality>,
    /// Countries, largest loss first; ties by code (empty unless asked for).
    pub countries: Vec<CountryCriticality>,
    /// Facility ids whose exact loss reaches the threshold, largest first.
    pub single_point_facilities: Vec<FacilityId>,
    /// Countries whose loss reaches the threshold, largest first.
    pub single_point_countries: Vec<Country>,
    /// How many re-routings were run (facilities and countries).
    pub reroutings: usize,
}

impl SupplyGraph {
    /// Ranks facilities and countries by the deliverable supply lost without them.
    ///
    /// # Method
    /// One maximum flow, then for each facility evaluated, its flow is re-routed around it from
    /// the residual graph ([`FlowRemoval`]), never a new max-flow from scratch. Facilities are
    /// evaluated by descending throughput (no facility loses more than it carries), and the
    /// evaluation stops once the next throughput is below the k-th largest exact loss. A
    /// facility carrying no flow loses nothing; one that dominates the sink (every path from
    /// source to sink over arcs with capacity passes through it) loses everything. Countries
    /// are all exact (all their facilities removed together).
    ///
    /// `progress` is called with (done, total) as facilities are evaluated.
    ///
    /// # Complexity
    /// One max-flow, one dominator tree (petgraph's `simple_fast`, O(|V|²) in the worst case and
    /// near linear on shallow graphs), plus a few searches per evaluated facility and per
    /// country.
    ///
    /// # Errors
    /// As [`SupplyGraph::bottleneck`]; [`GraphError::Internal`] on a broken invariant.
    #[allow(clippy::too_many_lines)] // Reason: one method, in the order the docs describe.
    #[allow(clippy::indexing_slicing)]
    // Reason: facility, link and demand numbers in arc and node kinds are positions in
    // `self.facilities`, `self.links` and `self.demands`, assigned by `SupplyGraph::build`, and
    // edge flows have one entry per edge of `self.graph`; the indices cannot be out of range.
    pub fn criticality(
        &self,
        options: &CriticalityOptions,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<CriticalityReport, GraphError> {
        let net = self.network()?;
        let flow = max_flow(&net, self.source.index(), self.sink.index())?;
        let total = flow.value();
        let flows = flow.edge_flows();
        let mut removal = FlowRemoval::new(&flow);
        let mut reroutings = 0usize;

        // Facilities that dominate the sink over arcs with positive capacity.
        let positive = EdgeFiltered::from_fn(
            &self.graph,
            |e: petgraph::graph::EdgeReference<'_, crate::SupplyArc>| e.weight().capacity > 0,
        );
        let tree = dominators::simple_fast(&positive, self.source);
        let dominating: BTreeSet<usize> = tree
            .dominators(self.sink)
            .map(|nodes| {
                nodes
                    .filter_map(|n| match self.graph.node_weight(n) {
                        Some(
                            crate::NodeKind::FacilityIn { facility }
                            | crate::NodeKind::FacilityOut { facility },
                        ) => Some(*facility),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();

        let throughput: Vec<i64> = self.facilities.iter().map(|f| flows[f.edge]).collect();
        let mut candidates: Vec<usize> = (0..self.facilities.len())
            .filter(|&i| throughput[i] > 0)
            .collect();
        candidates.sort_by(|&a, &b| {
            throughput[b]
                .cmp(&throughput[a])
                .then_with(|| self.facilities[a].id.cmp(&self.facilities[b].id))
        });
        let threshold_kg = options
            .single_point_threshold
            .map_or(i64::MAX, |t| threshold_kg(t, total));
        let mut loss: Vec<Option<(i64, LossMethod)>> = vec![None; self.facilities.len()];
        for (i, l) in loss.iter_mut().enumerate() {
            if throughput[i] == 0 {
                *l = Some((0, LossMethod::NoFlow));
            }
        }
        let mut top: BinaryHeap<Reverse<i64>> = BinaryHeap::new();
        let count = candidates.len();
        for (done, &i) in candidates.iter().enumerate() {
            // The k-th largest exact loss so far (none yet: every candidate may enter).
            let kth = if options.top_k == 0 {
                i64::MAX
            } else if top.len() < options.top_k {
                i64::MIN
            } else {
                top.peek().map_or(i64::MIN, |r| r.0)
            };
            let beyond_top_k = throughput[i] < kth;
            let below_threshold = throughput[i] < threshold_kg;
            if !options.all_facilities && beyond_top_k && below_threshold {
                break;
            }
            let (lost, method) = if dominating.contains(&i) {
                (total, LossMethod::Dominator)
            } else {
                reroutings += 1;
                let without = removal.value_without(&[self.facilities[i].edge])?;
                (total - without, LossMethod::Rerouted)
            };
            loss[i] = Some((lost, method));
            top.push(Reverse(lost));
            if top.len() > options.top_k {
                top.pop();
            }
            progress(done + 1, count);
        }
        // The rest is settled by the bound.
        progress(count, count);

        let mut facilities: Vec<FacilityCriticality> = self
            .facilities
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let (lost, method) = loss[i].unwrap_or((throughput[i], LossMethod::Bound));
                FacilityCriticality {
                    id: f.id.clone(),
                    name: f.name.clone(),
                    stage: f.stage,
                    country: f.country,
                    throughput: kg_to_tonnes(throughput[i]),
                    loss: kg_to_tonnes(lost),
                    share_of_deliverable: share(lost, total),
                    method,
                }
            })
            .collect();
        facilities.sort_by(|a, b| {
            (a.method == LossMethod::Bound)
                .cmp(&(b.method == LossMethod::Bound))
                .then(b.loss.cmp(&a.loss))
                .then_with(|| a.id.cmp(&b.id))
        });

        // Countries: all their facilities with capacity, removed together.
        let mut by_country: BTreeMap<Country, Vec<usize>> = BTreeMap::new();
        for f in self
            .facilities
            .iter()
            .filter(|f| options.countries && f.capacity_kg > 0)
        {
            by_country.entry(f.country).or_default().push(f.edge);
        }
        let groups: Vec<(Country, Vec<usize>)> = by_country.into_iter().collect();
        reroutings += groups.len();
        let without = values_without(&flow, &mut removal, &groups, options.threads)?;
        let mut countries = Vec::with_capacity(groups.len());
        for ((country, edges), value) in groups.into_iter().zip(without) {
            let lost = total - value;
            countries.push(CountryCriticality {
                country,
                name: country.name().to_owned(),
                facilities: edges.len(),
                loss: kg_to_tonnes(lost),
                share_of_deliverable: share(lost, total),
            });
        }
        countries.sort_by(|a, b| b.loss.cmp(&a.loss).then(a.country.cmp(&b.country)));

        let reaches = |lost: Tonnes| {
            options.single_point_threshold.is_some()
                && total > 0
                && lost >= kg_to_tonnes(threshold_kg)
        };
        let single_point_facilities = facilities
            .iter()
            .filter(|f| f.method != LossMethod::Bound && reaches(f.loss))
            .map(|f| f.id.clone())
            .collect();
        let single_point_countries = countries
            .iter()
            .filter(|c| reaches(c.loss))
            .map(|c| c.country)
            .collect();
        Ok(CriticalityReport {
            commodity: self.commodity,
            year: self.year,
            deliverable: kg_to_tonnes(total),
            facilities,
            countries,
            single_point_facilities,
            single_point_countries,
            reroutings,
        })
    }
}

/// The maximum flow without each group's edges, in group order, by warm start from `flow`.
/// With two threads or more, the groups go to workers as they free up, each worker with its own
/// copy of the residual graph (`removal` is the first's); every query starts from the same
/// residual graph, so the answers do not depend on which worker ran them.
fn values_without(
    flow: &MaxFlow<'_>,
    removal: &mut FlowRemoval<'_>,
    groups: &[(Country, Vec<usize>)],
    threads: usize,
) -> Result<Vec<i64>, GraphError> {
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        n => n,
    }
    .min(groups.len());
    if threads < 2 {
        return groups
            .iter()
            .map(|(_, edges)| removal.value_without(edges).map_err(GraphError::from))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let work = |removal: &mut FlowRemoval<'_>| {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((_, edges)) = groups.get(i) else {
                return Ok::<_, FlowError>(done);
            };
            done.push((i, removal.value_without(edges)?));
        }
    };
    let answers = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads)
            .map(|_| scope.spawn(|| work(&mut FlowRemoval::new(flow))))
            .collect();
        let mut answers = vec![work(removal)];
        for other in others {
            answers.push(other.join().unwrap_or(Err(FlowError::Internal {
                reason: "a re-routing thread panicked",
            })));
        }
        answers
    });
    let mut values = vec![0i64; groups.len()];
    for answer in answers {
        for (i, value) in answer? {
            if let Some(slot) = values.get_mut(i) {
                *slot = value;
            }
        }
    }
    Ok(values)
}

/// The threshold in kilograms: `ceil(share × total)`, so that "at least the share" is exact.
fn threshold_kg(threshold: Share, total: i64) -> i64 {
    let exact = threshold.value() * Decimal::from(total);
    rust_decimal::prelude::ToPrimitive::to_i64(&exact.ceil()).unwrap_or(total)
}
