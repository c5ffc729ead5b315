//! The supply graph of one commodity: facilities, markets, demand, source and sink.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use midstream_domain::{
    Commodity, Country, DemandId, Facility, FacilityId, LinkId, Maturity, MilestoneKind,
    MilestoneStatus, Overflow, Stage, Tonnes, ValidDataset,
};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use serde::Serialize;

use crate::error::GraphError;
use crate::scenario::Scenario;
use crate::units::{kg_to_tonnes, tonnes_to_kg};

/// What a node of the supply graph stands for.
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
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum NodeKind {
    /// The super source: where supply enters.
    Source,
    /// The super sink: where deliverable supply ends.
    Sink,
    /// Where material enters a facility (index into [`SupplyGraph::facilities`]).
    FacilityIn {
        /// Facility index.
        facility: usize,
    },
    /// Where material leaves a facility.
    FacilityOut {
        /// Facility index.
        facility: usize,
    },
    /// The market that feeds facilities of a stage: every facility upstream without explicit
    /// links sells into it. `domestic` is set for the closed market of an export-stopped
    /// country.
    Market {
        /// The stage the market feeds.
        stage: Stage,
        /// The country of a domestic (export-stopped) market.
        domestic: Option<Country>,
    },
    /// Where the chain's last stage delivers, before demand.
    Exit {
        /// The country of a domestic (export-stopped) exit.
        domestic: Option<Country>,
    },
    /// A buyer's demand (index into [`SupplyGraph::demands`]).
    Demand {
        /// Demand index.
        demand: usize,
    },
}

/// What an arc of the supply graph stands for.
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
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ArcKind {
    /// Source to a facility where supply enters (mines, recycling, chain entry points), with
    /// the facility's capacity: when it binds, it is the facility that binds.
    Entry {
        /// Facility index.
        facility: usize,
    },
    /// A facility's own capacity (its in-node to its out-node).
    Facility {
        /// Facility index.
        facility: usize,
    },
    /// An explicit link of the dataset.
    Link {
        /// Index into [`SupplyGraph::links`].
        link: usize,
    },
    /// A facility sells into a market.
    ToMarket,
    /// A market supplies a facility.
    FromMarket,
    /// A last-stage facility delivers to an exit.
    ToExit,
    /// An exit serves a buyer, or the sink directly when the dataset has no demand.
    Delivery,
    /// A buyer's demand, capped at its tonnes.
    Demand {
        /// Demand index.
        demand: usize,
    },
}

/// An arc of the supply graph: its capacity in kilograms per year and what it stands for.
/// (Named apart from `std::sync::Arc`, which it used to shadow.)
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct SupplyArc {
    /// Capacity in kilograms per year ([`SupplyGraph::unbounded`] where nothing limits it).
    pub capacity: i64,
    /// What it is.
    pub kind: ArcKind,
}

/// The former name of [`SupplyArc`].
#[deprecated(note = "renamed `SupplyArc`: `Arc` shadowed `std::sync::Arc`")]
pub type Arc = SupplyArc;

/// Why a facility contributes nothing (or something else than its nameplate) in a scenario.
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
#[serde(rename_all = "snake_case", tag = "status")]
pub enum FacilityStatus {
    /// Producing (or a project assumed online) at its capacity for the year.
    Active,
    /// A project not assumed online, or a suspended or closed facility.
    NotProducing {
        /// Its maturity.
        maturity: Maturity,
    },
    /// Capacity replaced by the scenario.
    Overridden,
    /// Removed by the scenario.
    Excluded {
        /// Why.
        reason: String,
    },
}

/// A facility as the graph sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct FacilityNode {
    /// The dataset id.
    pub id: FacilityId,
    /// The name.
    pub name: String,
    /// Its stage.
    pub stage: Stage,
    /// Its country.
    pub country: Country,
    /// Its maturity.
    pub maturity: Maturity,
    /// Capacity in the scenario year, kilograms per year.
    pub capacity_kg: i64,
    /// Why the capacity is what it is.
    pub status: FacilityStatus,
    /// The arc of its capacity (in-node to out-node): its index among the graph's arcs
    /// ([`SupplyGraph::arc`]) and the edges of [`SupplyGraph::network`].
    #[serde(skip)]
    pub edge: usize,
}

/// A buyer's demand as the graph sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct DemandNode {
    /// The dataset id.
    pub id: DemandId,
    /// The buyer.
    pub buyer: String,
    /// The buyer's country (none for a global figure).
    pub country: Option<Country>,
    /// Demand in kilograms per year.
    pub demand_kg: i64,
    /// The arc from the demand node to the sink (an index as for [`FacilityNode::edge`]).
    #[serde(skip)]
    pub edge: usize,
}

/// An explicit link as the graph sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct LinkArc {
    /// The dataset id.
    pub id: LinkId,
    /// The supplying facility (index into [`SupplyGraph::facilities`]).
    pub from: usize,
    /// The receiving facility.
    pub to: usize,
    /// Capacity in kilograms per year (unbounded where the link states none; 0 if blocked).
    pub capacity_kg: i64,
    /// The arc (an index as for [`FacilityNode::edge`]).
    #[serde(skip)]
    pub edge: usize,
}

/// The supply chain of one commodity in one scenario, as a flow network on petgraph.
///
/// # Model
/// - Every facility with a capacity for the commodity is split into an in-node and an out-node
///   joined by an arc of its capacity (node splitting). Its capacity in the scenario year comes
///   from its maturity: producing facilities (operating, commissioning) at their ramp-schedule
///   capacity; projects only if the scenario assumes them online; suspended and closed ones not.
/// - A facility with explicit links in the dataset ships (or buys) only along them (a scrap link
///   into recycling does not count: the facility keeps selling into its market). Without, it
///   sells into the *market* of the next stage present in the dataset for this commodity, and
///   buys from the market of its own stage, so N suppliers and M buyers cost N + M arcs, not
///   N × M. Recycling sells into the market of the first stage it can feed (separation onward).
/// - The source feeds mines, recycling and any facility with nothing upstream of it (a chain
///   entry point); facilities with nothing downstream deliver to the exit.
/// - The exit serves each demand record of the commodity and year, each capped at its tonnes,
///   and the demands drain into the sink. Without demand records the exit drains into the sink
///   unbounded, and the flow is the chain's deliverable capacity.
/// - Export stops: an export-stopped country's facilities sell into domestic markets (and a
///   domestic exit) that serve only facilities and buyers in that country; they may still buy
///   from world markets. Explicit links out of the country carry nothing. Without demand
///   records there is no buyer inside the country to serve, so deliverable supply is what
///   reaches the rest of the world.
/// - The topology depends on the dataset only; scenarios change capacities. So the same dataset
///   gives the same nodes and arcs in every scenario, and reports compare.
///
/// # Units
/// Kilograms in `i64`, rounded down from tonnes ([`crate::units`]). "Unbounded" arcs carry the
/// sum of all facility capacities plus one, which no flow can reach.
#[derive(Clone, Debug)]
pub struct SupplyGraph {
    pub(crate) graph: DiGraph<NodeKind, SupplyArc>,
    pub(crate) commodity: Commodity,
    pub(crate) year: i32,
    pub(crate) source: NodeIndex,
    pub(crate) sink: NodeIndex,
    pub(crate) facilities: Vec<FacilityNode>,
    pub(crate) demands: Vec<DemandNode>,
    pub(crate) links: Vec<LinkArc>,
    pub(crate) unbounded: i64,
    /// Total demand in kilograms, if there is demand.
    pub(crate) demand_total_kg: Option<i64>,
}

/// Market key: the stage it feeds and the country of a domestic market.
type MarketKey = (Stage, Option<Country>);

impl SupplyGraph {
    /// Builds the graph of `commodity` in `scenario` from a validated dataset.
    ///
    /// ```
    /// use midstream_domain::Dataset;
    /// use midstream_graph::{Scenario, SupplyGraph};
    /// let data = Dataset::from_json_str(r#"{
    ///   "format_version": 1, "name": "toy", "as_of": "2024-12-31",
    ///   "facilities": [
    ///     {"id": "mine", "name": "Mine", "country": "AU", "stage": "mining",
    ///      "maturity": "operating",
    ///      "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "100"}]},
    ///     {"id": "sep", "name": "Separator", "country": "MY", "stage": "separation",
    ///      "maturity": "operating",
    ///      "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "60"}]}
    ///   ]
    /// }"#)?.validate()?;
    /// let graph = SupplyGraph::build(&data, &"NdPr:oxide".parse()?, &Scenario::baseline())?;
    /// assert_eq!(graph.facilities().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`GraphError::UnknownCommodity`] if no facility has a capacity for `commodity`; the
    /// scenario's errors ([`Scenario::check`]); [`GraphError::QuantityTooLarge`] or
    /// [`GraphError::Overflow`] if capacities do not fit the integer units.
    #[allow(clippy::too_many_lines)]
    // Reason: one pass over the model's rules, in order.
    // Reason: `from`, `to` and `i` are positions in `members`, which `facilities`, `ends`,
    // `has_in` and `has_out` are built alongside (one entry per member), looked up through
    // `by_id`, which maps only member ids; the indices cannot be out of range.
    #[allow(clippy::indexing_slicing)]
    pub fn build(
        data: &ValidDataset,
        commodity: &Commodity,
        scenario: &Scenario,
    ) -> Result<Self, GraphError> {
        scenario.check(data)?;
        // The graph carries one commodity: an export control covering it is an export stop.
        let stopped: BTreeSet<Country> = scenario
            .export_stops
            .iter()
            .copied()
            .chain(
                scenario
                    .export_controls
                    .iter()
                    .filter(|c| c.covers(commodity))
                    .map(|c| c.country),
            )
            .collect();
        let year = scenario.year.unwrap_or_else(|| data.as_of.year());
        let members: Vec<&Facility> = data
            .facilities
            .iter()
            .filter(|f| f.capacity(commodity).is_some())
            .collect();
        if members.is_empty() {
            return Err(GraphError::UnknownCommodity {
                commodity: *commodity,
            });
        }
        let by_id: BTreeMap<&str, usize> = members
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.as_str(), i))
            .collect();

        let mut graph = DiGraph::<NodeKind, SupplyArc>::new();
        let source = graph.add_node(NodeKind::Source);
        let sink = graph.add_node(NodeKind::Sink);
        let placeholder = |kind| SupplyArc { capacity: 0, kind };

        // Facilities: split nodes and their capacity arcs.
        let mut facilities = Vec::with_capacity(members.len());
        let mut ends = Vec::with_capacity(members.len());
        let mut total: i64 = 0;
        for (i, f) in members.iter().enumerate() {
            let (tonnes, status) = scenario_capacity(data, f, commodity, scenario, year);
            let capacity_kg = tonnes_to_kg(tonnes, || {
                format!("the {commodity} capacity of facility {:?}", f.id.as_str())
            })?;
            total = total
                .checked_add(capacity_kg)
                .ok_or(Overflow::kilograms("the sum of all facility capacities"))?;
            let node_in = graph.add_node(NodeKind::FacilityIn { facility: i });
            let node_out = graph.add_node(NodeKind::FacilityOut { facility: i });
            let edge = graph.add_edge(
                node_in,
                node_out,
                SupplyArc {
                    capacity: capacity_kg,
                    kind: ArcKind::Facility { facility: i },
                },
            );
            ends.push((node_in, node_out));
            facilities.push(FacilityNode {
                id: f.id.clone(),
                name: f.name.clone(),
                stage: f.stage,
                country: f.country,
                maturity: f.maturity,
                capacity_kg,
                status,
                edge: edge.index(),
            });
        }
        let unbounded = total
            .checked_add(1)
            .ok_or(Overflow::kilograms("the sum of all facility capacities"))?;

        // Explicit links between member facilities, for this commodity.
        let mut has_in = vec![false; members.len()];
        let mut has_out = vec![false; members.len()];
        let mut links = Vec::new();
        for link in &data.links {
            if link.commodity.is_some_and(|c| c != *commodity) {
                continue;
            }
            let (Some(&from), Some(&to)) =
                (by_id.get(link.from.as_str()), by_id.get(link.to.as_str()))
            else {
                continue;
            };
            // A scrap link into recycling is a side outlet: the facility keeps its market.
            if facilities[to].stage != Stage::Recycling {
                has_out[from] = true;
            }
            has_in[to] = true;
            let mut capacity = match link.tonnes_per_year {
                Some(t) => {
                    tonnes_to_kg(t, || format!("the capacity of link {:?}", link.id.as_str()))?
                }
                None => unbounded,
            };
            let blocked_by_stop = stopped.contains(&facilities[from].country)
                && facilities[from].country != facilities[to].country;
            let blocked_by_restriction =
                scenario.block_restricted_links && link.restriction.is_some();
            if blocked_by_stop || blocked_by_restriction {
                capacity = 0;
            }
            let edge = graph.add_edge(
                ends[from].1,
                ends[to].0,
                SupplyArc {
                    capacity,
                    kind: ArcKind::Link { link: links.len() },
                },
            );
            links.push(LinkArc {
                id: link.id.clone(),
                from,
                to,
                capacity_kg: capacity,
                edge: edge.index(),
            });
        }

        // Markets and exits, created on first use in a deterministic order.
        let present = data.stages_of(commodity);
        let next_stage = |stage: Stage| -> Option<Stage> {
            present
                .iter()
                .copied()
                .filter(|s| *s != Stage::Recycling && stage.can_feed(*s))
                .min()
        };
        let mut markets: BTreeMap<MarketKey, NodeIndex> = BTreeMap::new();
        let mut exits: BTreeMap<Option<Country>, NodeIndex> = BTreeMap::new();
        for (i, f) in facilities.iter().enumerate() {
            if has_out[i] {
                continue;
            }
            let domestic = stopped.contains(&f.country).then_some(f.country);
            let target = match next_stage(f.stage) {
                Some(stage) => *markets
                    .entry((stage, domestic))
                    .or_insert_with(|| graph.add_node(NodeKind::Market { stage, domestic })),
                None => *exits
                    .entry(domestic)
                    .or_insert_with(|| graph.add_node(NodeKind::Exit { domestic })),
            };
            let kind = if next_stage(f.stage).is_some() {
                ArcKind::ToMarket
            } else {
                ArcKind::ToExit
            };
            graph.add_edge(ends[i].1, target, placeholder(kind));
        }
        for (i, f) in facilities.iter().enumerate() {
            // Supply enters at mines, at recycling, and at facilities with nothing upstream of
            // them in the dataset (no explicit in-link, no present stage that can feed theirs).
            let nothing_upstream = !present
                .iter()
                .any(|s| *s != Stage::Recycling && s.can_feed(f.stage));
            let entry = matches!(f.stage, Stage::Mining | Stage::Recycling)
                || (!has_in[i] && nothing_upstream);
            if entry {
                // The facility's own capacity bounds its entry: the flow is the same as with an
                // unbounded arc, and the source's total stays within the sum of capacities.
                graph.add_edge(
                    source,
                    ends[i].0,
                    SupplyArc {
                        capacity: f.capacity_kg,
                        kind: ArcKind::Entry { facility: i },
                    },
                );
            } else if !has_in[i] {
                for domestic in [None, Some(f.country)] {
                    if let Some(&market) = markets.get(&(f.stage, domestic)) {
                        graph.add_edge(market, ends[i].0, placeholder(ArcKind::FromMarket));
                    }
                }
            }
        }

        // Demand of this commodity in this year.
        let mut demands = Vec::new();
        let mut demand_total: i64 = 0;
        for d in data
            .demand
            .iter()
            .filter(|d| d.commodity == *commodity && d.year == year)
        {
            let demand_kg = tonnes_to_kg(d.tonnes_per_year, || {
                format!("the demand {:?}", d.id.as_str())
            })?;
            demand_total = demand_total
                .checked_add(demand_kg)
                .ok_or(Overflow::kilograms("the total demand"))?;
            let index = demands.len();
            let node = graph.add_node(NodeKind::Demand { demand: index });
            let edge = graph.add_edge(
                node,
                sink,
                SupplyArc {
                    capacity: demand_kg,
                    kind: ArcKind::Demand { demand: index },
                },
            );
            for (&domestic, &exit) in &exits {
                if domestic.is_none_or(|c| Some(c) == d.country) {
                    graph.add_edge(exit, node, placeholder(ArcKind::Delivery));
                }
            }
            demands.push(DemandNode {
                id: d.id.clone(),
                buyer: d.buyer.clone(),
                country: d.country,
                demand_kg,
                edge: edge.index(),
            });
        }
        if demands.is_empty()
            && let Some(&exit) = exits.get(&None)
        {
            graph.add_edge(exit, sink, placeholder(ArcKind::Delivery));
        }
        // Every arc created with a placeholder capacity is unbounded.
        for arc in graph.edge_weights_mut() {
            if matches!(
                arc.kind,
                ArcKind::ToMarket | ArcKind::FromMarket | ArcKind::ToExit | ArcKind::Delivery
            ) {
                arc.capacity = unbounded;
            }
        }
        let demand_total_kg = (!demands.is_empty()).then_some(demand_total);
        Ok(Self {
            graph,
            commodity: *commodity,
            year,
            source,
            sink,
            facilities,
            demands,
            demand_total_kg,
            links,
            unbounded,
        })
    }

    /// How many nodes the graph has (numbered `0..node_count()`, as in [`SupplyGraph::network`]).
    #[must_use]
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// How many arcs the graph has (numbered `0..arc_count()`, as the edges of
    /// [`SupplyGraph::network`]).
    #[must_use]
    pub fn arc_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// What node `index` stands for, or `None` past [`SupplyGraph::node_count`].
    #[must_use]
    pub fn node(&self, index: usize) -> Option<&NodeKind> {
        self.graph.node_weight(NodeIndex::new(index))
    }

    /// Arc `index`: its tail, its head and what it carries, or `None` past
    /// [`SupplyGraph::arc_count`].
    #[must_use]
    pub fn arc(&self, index: usize) -> Option<(usize, usize, &SupplyArc)> {
        let edge = EdgeIndex::new(index);
        let (tail, head) = self.graph.edge_endpoints(edge)?;
        Some((tail.index(), head.index(), self.graph.edge_weight(edge)?))
    }

    /// The commodity.
    #[must_use]
    pub fn commodity(&self) -> Commodity {
        self.commodity
    }

    /// The scenario year.
    #[must_use]
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The super source's node number (in [`SupplyGraph::network`] too).
    #[must_use]
    pub fn source(&self) -> usize {
        self.source.index()
    }

    /// The super sink's node number.
    #[must_use]
    pub fn sink(&self) -> usize {
        self.sink.index()
    }

    /// The facilities with a capacity for the commodity, in dataset order.
    #[must_use]
    pub fn facilities(&self) -> &[FacilityNode] {
        &self.facilities
    }

    /// The demand records of the commodity and year, in dataset order.
    #[must_use]
    pub fn demands(&self) -> &[DemandNode] {
        &self.demands
    }

    /// The explicit links between the graph's facilities, for this commodity, in dataset order.
    #[must_use]
    pub fn links(&self) -> &[LinkArc] {
        &self.links
    }

    /// The capacity given to unbounded arcs, in kilograms (the sum of all capacities plus one).
    #[must_use]
    pub fn unbounded(&self) -> i64 {
        self.unbounded
    }

    /// Total demand in the year, if the dataset has any for the commodity.
    #[must_use]
    pub fn total_demand(&self) -> Option<Tonnes> {
        self.demand_total_kg.map(kg_to_tonnes)
    }
}

/// A facility's capacity for `commodity` in the scenario year, and why: at one end of its
/// stated range where the scenario asks (`Scenario::capacity_ends`), the year's capacity moved
/// by the same proportion as the figure (rounded to the kilogram).
pub(crate) fn scenario_capacity(
    data: &ValidDataset,
    f: &Facility,
    commodity: &Commodity,
    scenario: &Scenario,
    year: i32,
) -> (Tonnes, FacilityStatus) {
    let (tonnes, status) = stated_capacity(data, f, commodity, scenario, year);
    let ranged = scenario
        .capacity_ends
        .get(&f.id)
        .zip(f.capacity(commodity))
        .and_then(|(end, c)| c.range.as_deref().map(|r| (*end, *r, c.tonnes_per_year)));
    match (ranged, &status) {
        (Some((end, range, figure)), FacilityStatus::Active) if !figure.is_zero() => {
            let at = match end {
                crate::scenario::RangeEnd::Low => range.low,
                crate::scenario::RangeEnd::High => range.high,
            };
            let moved = tonnes
                .value()
                .checked_mul(at.value())
                .and_then(|v| v.checked_div(figure.value()))
                .map_or(tonnes, |v| Tonnes::new(v.round_dp(3)));
            (moved, status)
        }
        _ => (tonnes, status),
    }
}

/// A facility's capacity for `commodity` in the scenario year at its stated figure, and why.
fn stated_capacity(
    data: &ValidDataset,
    f: &Facility,
    commodity: &Commodity,
    scenario: &Scenario,
    year: i32,
) -> (Tonnes, FacilityStatus) {
    let excluded = |reason: String| (Tonnes::ZERO, FacilityStatus::Excluded { reason });
    if scenario.exclude_facilities.contains(&f.id) {
        return excluded("facility excluded by the scenario".to_owned());
    }
    let country = f.country_by(scenario.control);
    if scenario.exclude_countries.contains(&country) {
        return excluded(format!("{country} excluded by the scenario"));
    }
    if let (Some(limit), Some(p)) = (scenario.aligned_up_to, &data.perspective) {
        match p.alignment_of(country) {
            Some(a) if a <= limit => {}
            Some(a) => {
                return excluded(format!(
                    "{country} is {a} from {}'s perspective, beyond {limit}",
                    p.country
                ));
            }
            None => {
                return excluded(format!(
                    "{country} has no alignment from {}'s perspective",
                    p.country
                ));
            }
        }
    }
    if let Some(&t) = scenario.capacity_overrides.get(&f.id) {
        return (t, FacilityStatus::Overridden);
    }
    let Some(capacity) = f.capacity(commodity) else {
        return (
            Tonnes::ZERO,
            FacilityStatus::NotProducing {
                maturity: f.maturity,
            },
        );
    };
    let online_project = f.maturity.is_project()
        && (scenario.all_projects_online || scenario.projects_online.contains(&f.id));
    if f.maturity.is_producing() {
        (capacity.in_year(year), FacilityStatus::Active)
    } else if online_project {
        if !capacity.ramp.is_empty() {
            return (capacity.in_year(year), FacilityStatus::Active);
        }
        let first = f
            .milestones
            .iter()
            .filter(|m| m.kind == MilestoneKind::FirstProduction)
            .filter(|m| m.status == MilestoneStatus::Planned)
            .map(|m| m.date.year())
            .min();
        if first.is_some_and(|y| y > year) {
            (
                Tonnes::ZERO,
                FacilityStatus::NotProducing {
                    maturity: f.maturity,
                },
            )
        } else {
            (capacity.tonnes_per_year, FacilityStatus::Active)
        }
    } else {
        (
            Tonnes::ZERO,
            FacilityStatus::NotProducing {
                maturity: f.maturity,
            },
        )
    }
}
