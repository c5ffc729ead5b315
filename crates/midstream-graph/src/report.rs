//! The bottleneck report: deliverable supply, the minimum cut by stage and country,
//! utilisation, and supply paths.

use std::collections::BTreeMap;

use midstream_domain::{Commodity, Country, DemandId, FacilityId, LinkId, Share, Stage, Tonnes};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::GraphError;
use crate::supply::{ArcKind, FacilityStatus, SupplyGraph};
use crate::units::kg_to_tonnes;
use midstream_flow::{FlowNetwork, max_flow};

/// A member of the minimum cut: what limits deliverable supply.
#[derive(
    Clone,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CutMember {
    /// A facility at full capacity.
    Facility {
        /// Its id.
        id: FacilityId,
        /// Its name.
        name: String,
        /// Its stage.
        stage: Stage,
        /// Its country.
        country: Country,
        /// Its capacity, all of it used.
        capacity: Tonnes,
    },
    /// An explicit link at full capacity (a contract, a quota).
    Link {
        /// Its id.
        id: LinkId,
        /// The supplier.
        from: FacilityId,
        /// The receiver.
        to: FacilityId,
        /// Its capacity.
        capacity: Tonnes,
    },
    /// A buyer whose demand is fully met: supply is not the limit there.
    Demand {
        /// The demand's id.
        id: DemandId,
        /// The buyer.
        buyer: String,
        /// The buyer's country (none for a global figure).
        country: Option<Country>,
        /// The demand.
        capacity: Tonnes,
    },
}

impl CutMember {
    /// The member's capacity.
    #[must_use]
    pub fn capacity(&self) -> Tonnes {
        match self {
            CutMember::Facility { capacity, .. }
            | CutMember::Link { capacity, .. }
            | CutMember::Demand { capacity, .. } => *capacity,
        }
    }
}

/// Cut capacity at one stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct StageShare {
    /// The stage.
    pub stage: Stage,
    /// Whether it is a midstream stage.
    pub midstream: bool,
    /// Cut capacity at the stage.
    pub capacity: Tonnes,
    /// Its share of the cut's facility and link capacity.
    pub share: Share,
}

/// Cut capacity in one country.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct CountryShare {
    /// The country.
    pub country: Country,
    /// Its English name.
    pub name: String,
    /// Cut capacity in the country.
    pub capacity: Tonnes,
    /// Its share of the cut's facility and link capacity.
    pub share: Share,
}

/// How much of a facility's capacity the maximum flow uses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Utilisation {
    /// Its id.
    pub id: FacilityId,
    /// Its stage.
    pub stage: Stage,
    /// Its country.
    pub country: Country,
    /// Why its capacity is what it is in the scenario.
    pub status: FacilityStatus,
    /// Capacity in the scenario year.
    pub capacity: Tonnes,
    /// Flow through it.
    pub throughput: Tonnes,
    /// Throughput / capacity; `None` where the capacity is zero.
    pub utilisation: Option<Share>,
}

/// Deliverable supply that passes through a stage in a country.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct StageCountryFlow {
    /// The stage.
    pub stage: Stage,
    /// The country.
    pub country: Country,
    /// Deliverable tonnes whose path passes through the country's facilities at the stage.
    pub tonnes: Tonnes,
    /// `tonnes` / deliverable.
    pub share_of_deliverable: Share,
}

/// One supply path: the facilities a share of deliverable supply passes through, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct SupplyPath {
    /// Facility ids from mine (or entry point) to the last stage.
    pub facilities: Vec<FacilityId>,
    /// Tonnes per year along the path.
    pub tonnes: Tonnes,
}

/// Where the supply chain of one commodity chokes, in one scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct BottleneckReport {
    /// The commodity.
    pub commodity: Commodity,
    /// The scenario year.
    pub year: i32,
    /// Tonnes per year that reach buyers (the maximum flow).
    pub deliverable: Tonnes,
    /// Total demand of the commodity in the year, if the dataset has any.
    pub demand: Option<Tonnes>,
    /// Demand not met (`demand - deliverable`), if there is demand.
    pub shortfall: Option<Tonnes>,
    /// The minimum cut: facilities (by stage, then id), then links (by id), then demand (by id).
    pub cut: Vec<CutMember>,
    /// Facility and link cut capacity by stage, in chain order.
    pub cut_by_stage: Vec<StageShare>,
    /// Facility and link cut capacity by country, largest first (ties by code).
    pub cut_by_country: Vec<CountryShare>,
    /// Share of the facility and link cut capacity at midstream stages.
    pub midstream_share_of_cut: Share,
    /// Whether most of the binding capacity (more than half) is midstream.
    pub bottleneck_is_midstream: bool,
    /// Every facility's capacity and throughput, in dataset order.
    pub utilisation: Vec<Utilisation>,
    /// Deliverable supply by the stage and country it passes through, by stage then share.
    pub flow_by_stage_country: Vec<StageCountryFlow>,
    /// Supply paths, largest first (ties by facility ids).
    pub paths: Vec<SupplyPath>,
}

impl BottleneckReport {
    /// The stage that binds: the one holding the most of the cut's facility and link
    /// capacity (ties: the earlier stage); `None` when nothing is cut (demand binds, or
    /// nothing is deliverable).
    #[must_use]
    pub fn binding_stage(&self) -> Option<&StageShare> {
        self.cut_by_stage
            .iter()
            .max_by(|x, y| x.capacity.cmp(&y.capacity).then(y.stage.cmp(&x.stage)))
    }

    /// The report of a chain the single-product graph does not have: nothing deliverable, no
    /// cut, no flows. On a format-2 dataset a product may be stated in feed only (what a
    /// separator makes from the tonnes it takes): the max-flow graph has no capacity of it, and
    /// the material balance answers instead.
    ///
    /// ```
    /// use midstream_graph::BottleneckReport;
    /// let r = BottleneckReport::empty("NdPr:oxide".parse()?, 2025);
    /// assert!(r.deliverable.is_zero() && r.cut.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn empty(commodity: Commodity, year: i32) -> Self {
        Self {
            commodity,
            year,
            deliverable: Tonnes::ZERO,
            demand: None,
            shortfall: None,
            cut: Vec::new(),
            cut_by_stage: Vec::new(),
            cut_by_country: Vec::new(),
            midstream_share_of_cut: Share::ZERO,
            bottleneck_is_midstream: false,
            utilisation: Vec::new(),
            flow_by_stage_country: Vec::new(),
            paths: Vec::new(),
        }
    }
}

/// `part / whole`, rounded to six decimals. Callers pass `0 <= part <= whole` (a part of a
/// flow or of a cut); a zero whole gives zero.
pub(crate) fn share(part: i64, whole: i64) -> Share {
    debug_assert!(0 <= part && part <= whole.max(0), "share {part} of {whole}");
    if whole <= 0 {
        return Share::ZERO;
    }
    let value = (Decimal::from(part) / Decimal::from(whole)).round_dp(6);
    Share::new(value).unwrap_or(Share::ZERO)
}

impl SupplyGraph {
    /// The flow network of the graph: edge `i` of the network is arc `i` of the graph ([`Self::arc`]).
    ///
    /// # Errors
    /// [`midstream_flow::FlowError::TooLarge`] (as [`GraphError::Flow`]) past 2^31 nodes or
    /// arcs.
    pub fn network(&self) -> Result<FlowNetwork, GraphError> {
        let edges: Vec<(u32, u32, i64)> = self
            .graph
            .raw_edges()
            .iter()
            .map(|e| {
                (
                    index_u32(e.source().index()),
                    index_u32(e.target().index()),
                    e.weight.capacity,
                )
            })
            .collect();
        Ok(FlowNetwork::from_edges(self.graph.node_count(), &edges)?)
    }

    /// Finds the bottleneck: the maximum deliverable flow, the minimum cut that limits it, and
    /// the flow's paths through the facilities.
    ///
    /// ```
    /// use midstream_domain::Dataset;
    /// use midstream_graph::{CutMember, Scenario, SupplyGraph};
    /// //  mine (AU, 100 t) --> separator (MY, 60 t) --> buyers (80 t)
    /// let data = Dataset::from_json_str(r#"{
    ///   "format_version": 1, "name": "toy", "as_of": "2024-12-31",
    ///   "facilities": [
    ///     {"id": "mine", "name": "Mine", "country": "AU", "stage": "mining",
    ///      "maturity": "operating",
    ///      "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "100"}]},
    ///     {"id": "sep", "name": "Separator", "country": "MY", "stage": "separation",
    ///      "maturity": "operating",
    ///      "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "60"}]}
    ///   ],
    ///   "demand": [{"id": "d", "buyer": "Magnet makers", "country": "US",
    ///               "commodity": "NdPr:oxide", "tonnes_per_year": "80", "year": 2024}]
    /// }"#)?.validate()?;
    /// let graph = SupplyGraph::build(&data, &"NdPr:oxide".parse()?, &Scenario::baseline())?;
    /// let report = graph.bottleneck()?;
    /// assert_eq!(report.deliverable.to_string(), "60 t");
    /// assert_eq!(report.shortfall.map(|t| t.to_string()), Some("20 t".to_owned()));
    /// assert!(report.bottleneck_is_midstream);
    /// assert!(matches!(&report.cut[0], CutMember::Facility { id, .. } if id.as_str() == "sep"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`GraphError::TooLarge`] past 2^31 nodes or arcs; [`GraphError::Overflow`] if the
    /// capacity leaving the source does not fit.
    #[allow(clippy::too_many_lines)] // Reason: one report, section by section.
    #[allow(clippy::indexing_slicing)]
    // Reason: facility, link and demand numbers in arc and node kinds are positions in
    // `self.facilities`, `self.links` and `self.demands`, assigned by `SupplyGraph::build`, and
    // edge flows have one entry per edge of `self.graph`; the indices cannot be out of range.
    pub fn bottleneck(&self) -> Result<BottleneckReport, GraphError> {
        let net = self.network()?;
        let flow = max_flow(&net, self.source.index(), self.sink.index())?;
        let cut = flow.min_cut();
        let flows = flow.edge_flows();
        let value = flow.value();
        let edges = self.graph.raw_edges();

        // The cut.
        let mut members = Vec::new();
        let mut by_stage: BTreeMap<Stage, i64> = BTreeMap::new();
        let mut by_country: BTreeMap<Country, i64> = BTreeMap::new();
        let mut supply_cut = 0i64;
        for &e in &cut.edges {
            let Some(edge) = edges.get(e) else { continue };
            let capacity = edge.weight.capacity;
            let member = match edge.weight.kind {
                // An entry arc carries its facility's capacity: it saturates with it, and the cut
                // closest to the source picks it; either way the facility is what binds.
                ArcKind::Facility { facility } | ArcKind::Entry { facility } => {
                    let f = &self.facilities[facility];
                    *by_stage.entry(f.stage).or_default() += capacity;
                    *by_country.entry(f.country).or_default() += capacity;
                    supply_cut += capacity;
                    CutMember::Facility {
                        id: f.id.clone(),
                        name: f.name.clone(),
                        stage: f.stage,
                        country: f.country,
                        capacity: kg_to_tonnes(capacity),
                    }
                }
                ArcKind::Link { link } => {
                    let l = &self.links[link];
                    let from = &self.facilities[l.from];
                    // A link is counted at its supplier's stage and country.
                    *by_stage.entry(from.stage).or_default() += capacity;
                    *by_country.entry(from.country).or_default() += capacity;
                    supply_cut += capacity;
                    CutMember::Link {
                        id: l.id.clone(),
                        from: from.id.clone(),
                        to: self.facilities[l.to].id.clone(),
                        capacity: kg_to_tonnes(capacity),
                    }
                }
                ArcKind::Demand { demand } => {
                    let d = &self.demands[demand];
                    CutMember::Demand {
                        id: d.id.clone(),
                        buyer: d.buyer.clone(),
                        country: d.country,
                        capacity: kg_to_tonnes(capacity),
                    }
                }
                // Unbounded arcs never saturate, so they are never cut.
                _ => continue,
            };
            members.push(member);
        }
        members.sort_by_key(cut_order);
        let cut_by_stage: Vec<StageShare> = by_stage
            .iter()
            .map(|(&stage, &kg)| StageShare {
                stage,
                midstream: stage.is_midstream(),
                capacity: kg_to_tonnes(kg),
                share: share(kg, supply_cut),
            })
            .collect();
        let mut cut_by_country: Vec<CountryShare> = by_country
            .iter()
            .map(|(&country, &kg)| CountryShare {
                country,
                name: country.name().to_owned(),
                capacity: kg_to_tonnes(kg),
                share: share(kg, supply_cut),
            })
            .collect();
        cut_by_country.sort_by(|a, b| b.capacity.cmp(&a.capacity).then(a.country.cmp(&b.country)));
        let midstream_kg: i64 = by_stage
            .iter()
            .filter(|(s, _)| s.is_midstream())
            .map(|(_, kg)| kg)
            .sum();

        // Utilisation.
        let utilisation = self
            .facilities
            .iter()
            .map(|f| {
                let through = flows[f.edge];
                Utilisation {
                    id: f.id.clone(),
                    stage: f.stage,
                    country: f.country,
                    status: f.status.clone(),
                    capacity: kg_to_tonnes(f.capacity_kg),
                    throughput: kg_to_tonnes(through),
                    utilisation: (f.capacity_kg > 0).then(|| share(through, f.capacity_kg)),
                }
            })
            .collect();

        // Paths, and deliverable by stage and country passed through.
        let mut through: BTreeMap<(Stage, Country), i64> = BTreeMap::new();
        let mut paths: Vec<(Vec<usize>, i64)> = Vec::new();
        for p in flow.decompose() {
            let chain: Vec<usize> = p
                .edges
                .iter()
                .filter_map(|&e| match edges.get(e).map(|x| x.weight.kind) {
                    Some(ArcKind::Facility { facility }) => Some(facility),
                    _ => None,
                })
                .collect();
            let mut visited: Vec<(Stage, Country)> = chain
                .iter()
                .map(|&i| (self.facilities[i].stage, self.facilities[i].country))
                .collect();
            visited.sort();
            visited.dedup();
            for key in visited {
                *through.entry(key).or_default() += p.value;
            }
            paths.push((chain, p.value));
        }
        // Paths through the same facilities (via different markets) are one supply path.
        let mut merged: BTreeMap<Vec<usize>, i64> = BTreeMap::new();
        for (chain, v) in paths {
            *merged.entry(chain).or_default() += v;
        }
        let mut paths: Vec<SupplyPath> = merged
            .into_iter()
            .map(|(chain, v)| SupplyPath {
                facilities: chain
                    .iter()
                    .map(|&i| self.facilities[i].id.clone())
                    .collect(),
                tonnes: kg_to_tonnes(v),
            })
            .collect();
        paths.sort_by(|a, b| {
            b.tonnes
                .cmp(&a.tonnes)
                .then_with(|| a.facilities.cmp(&b.facilities))
        });
        let mut flow_by_stage_country: Vec<StageCountryFlow> = through
            .into_iter()
            .map(|((stage, country), kg)| StageCountryFlow {
                stage,
                country,
                tonnes: kg_to_tonnes(kg),
                share_of_deliverable: share(kg, value),
            })
            .collect();
        flow_by_stage_country.sort_by(|a, b| {
            a.stage
                .cmp(&b.stage)
                .then(b.tonnes.cmp(&a.tonnes))
                .then(a.country.cmp(&b.country))
        });

        let demand_kg = self.demand_total_kg;
        Ok(BottleneckReport {
            commodity: self.commodity,
            year: self.year,
            deliverable: kg_to_tonnes(value),
            demand: demand_kg.map(kg_to_tonnes),
            // Deliverable never exceeds demand: every unit reaches the sink through a demand.
            shortfall: demand_kg.map(|kg| kg_to_tonnes(kg - value)),
            cut: members,
            cut_by_stage,
            cut_by_country,
            midstream_share_of_cut: share(midstream_kg, supply_cut),
            bottleneck_is_midstream: midstream_kg > supply_cut - midstream_kg,
            utilisation,
            flow_by_stage_country,
            paths,
        })
    }
}

/// Cut members: facilities and links by stage then id, then demand by id.
fn cut_order(m: &CutMember) -> (u8, Option<Stage>, String) {
    match m {
        CutMember::Facility { id, stage, .. } => (0, Some(*stage), id.to_string()),
        CutMember::Link { id, .. } => (1, None, id.to_string()),
        CutMember::Demand { id, .. } => (2, None, id.to_string()),
    }
}

/// An index as `u32`; one past 2^32 becomes `u32::MAX`, which `FlowNetwork::from_edges`
/// refuses with a typed error (it checks every node against the node count).
fn index_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}
