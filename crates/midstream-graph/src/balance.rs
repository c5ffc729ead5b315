//! The material-balance model: joint production, compositions, recipes and bounded links,
//! solved as a linear program (docs/material-balance.md).
//!
//! [`BalanceModel::build`] lays out the program of one dataset and one target product once;
//! [`BalanceModel::solve`] sets the bounds of a [`Scenario`] (year, exclusions, export stops,
//! link cuts, caps and floors, missing feeds, demand case) and answers: the deliverable tonnes,
//! what binds and what one tonne more or less of it is worth, and the least and most each
//! facility, country and stage carries among all optimal solutions.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use midstream_domain::{
    Basis, Commodity, Control, Country, Element, FacilityId, FeedComposition, Form, LinkId,
    Process, Stage, Tonnes, ValidDataset,
};
use midstream_flow::{
    Bound, Column, FlowError, LinearProgram, LpOptions, LpSolution, LpSolver, Row, RowBounds,
};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde::{Deserialize, Serialize};

use crate::error::GraphError;
use crate::scenario::Scenario;
use crate::supply::scenario_capacity;
use crate::units::{kg_to_tonnes, tonnes_to_kg};

/// What flows in the program: a commodity and, for mixed material, its composition class (an
/// index into the dataset's compositions).
type Material = (Commodity, Option<usize>);

/// A market: where the producers of one material at one stage, in one (site, owner) country
/// pair, sell.
type MarketKey = (Material, Stage, Country, Country);

/// A linear expression: (column, coefficient) terms.
type Terms = Vec<(Column, f64)>;

/// A stage (or stage and country) whose flow range is taken: its terms, the sum of its
/// members' values while each is fixed, and the unit its members count in.
struct Group {
    terms: Terms,
    fixed: Option<f64>,
    /// The sum of the members' capacities, while each member's measure is its throughput
    /// under a capacity: no solution exceeds it.
    ceiling: Option<f64>,
    unit: Option<Commodity>,
}

/// The ranges a report shows (see [`BalanceReport`]).
#[derive(Default)]
struct Ranges {
    facilities: Vec<FlowRange>,
    stages: Vec<StageRange>,
    links: Vec<FlowRange>,
    by_products: Vec<ByProduct>,
}

/// Terms per facility and commodity: a capacity's expression, or a by-product's output.
type PerFacility = Vec<(usize, Commodity, Terms)>;

/// What a capacity row limits.
#[derive(Clone, Debug)]
struct CapacityRow {
    facility: usize,
    commodity: Commodity,
    row: Row,
}

/// A link's columns (one per material it carries) and its bound row.
#[derive(Clone, Debug)]
struct LinkRows {
    link: usize,
    from: usize,
    to: usize,
    columns: Vec<Column>,
    row: Row,
}

/// An arc from a market to a consumer (or a buyer) that an export stop may close.
#[derive(Clone, Debug)]
struct MarketArc {
    column: Column,
    /// What it carries (export controls cover some commodities only).
    commodity: Commodity,
    /// Site and owner country of the market's producers.
    origin: (Country, Country),
    /// The consumer's (or buyer's) country; `None` for a buyer with no country.
    destination: Option<Country>,
}

/// A node of the shipment network, for tracing flows from supplier to consumer
/// ([`BalanceModel::flows`]): a facility, or a junction that mixes what it receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    /// A facility (its index in the dataset).
    Facility(usize),
    /// A market of several sellers.
    Market(MarketKey),
    /// The world pool of a material and stage.
    Pool((Material, Stage)),
    /// A country's hub of a material and stage (several consumers).
    Hub((Material, Stage, Country)),
    /// What leaves the chain to its buyers.
    Exit,
}

impl Node {
    /// Tracing order: a junction's inflows all come from junctions earlier in this order.
    fn rank(self) -> u8 {
        match self {
            Node::Facility(_) => 0,
            Node::Market(_) => 1,
            Node::Pool(_) => 2,
            Node::Hub(_) => 3,
            Node::Exit => 4,
        }
    }
}

/// One optimal flow of material from a facility to a consumer, or to the target's buyers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ShipmentFlow {
    /// The supplier.
    pub from: FacilityId,
    /// The consumer; `None` for the target's buyers.
    pub to: Option<FacilityId>,
    /// What flows (tonnes on its basis).
    pub commodity: Commodity,
    /// Tonnes per year, to the kilogram.
    pub tonnes: Tonnes,
}

/// Most deliverables a [`BalanceModel`] remembers ([`BalanceModel::deliverable`]); beyond it,
/// each new state is solved and not kept.
pub const DELIVERABLE_MEMO: usize = 4_096;

/// A 128-bit digest of a right-hand side (two `SipHash` passes under different prefixes, each
/// deterministic): the memo of [`BalanceModel::deliverable`] keeps this, not the vector, so its
/// memory does not grow with the program. Two different states share a digest with a chance of
/// about one in 2^128 per pair.
fn digest(rhs: &[f64]) -> (u64, u64) {
    use std::hash::{Hash, Hasher};
    let pass = |prefix: u8| {
        let mut h = std::hash::DefaultHasher::new();
        prefix.hash(&mut h);
        for v in rhs {
            v.to_bits().hash(&mut h);
        }
        h.finish()
    };
    (pass(1), pass(2))
}

/// Who buys the target in a model.
#[derive(Clone, Copy, Debug)]
enum Buyers<'a> {
    /// The dataset's demand records of the target, each capped at its demand; the world
    /// without a cap when there are none.
    Demand,
    /// The world, without a cap.
    World,
    /// One buyer without a cap in each country (the supply of a recipe input that can reach
    /// the makers of the product).
    At(&'a [Country]),
}

/// A buyer of the target: a demand record, or the world when the dataset has none.
#[derive(Clone, Debug)]
struct Buyer {
    /// The buyer's name in the dataset's demand records (`None`: a buyer without a cap).
    demand: Option<String>,
    /// The buyer's country, which with the name picks its demand records.
    country: Option<Country>,
    column: Column,
}

/// The program of one dataset and one target product, built once and solved per scenario.
///
/// See docs/material-balance.md for the formulation and a worked example.
///
/// ```
/// use midstream_domain::Dataset;
/// use midstream_graph::{BalanceModel, Scenario};
/// // A mine of 1,000 t REO, 20 % of it NdPr oxide, and a separator recovering 90 % of each
/// // element into NdPr and La oxide (joint products).
/// let data = Dataset::from_json_str(r#"{"format_version": 2, "name": "toy",
///   "as_of": "2024-12-31",
///   "compositions": [{"id": "bastnaesite", "name": "Bastnaesite",
///     "shares": {"Nd": "0.15", "Pr": "0.05", "La": "0.3"}, "other": "0.5"}],
///   "facilities": [
///     {"id": "mine", "name": "Mine", "country": "US", "stage": "mining",
///      "maturity": "operating", "process": {"kind": "extraction", "composition": "bastnaesite"},
///      "capacities": [{"commodity": "REO:concentrate", "tonnes_per_year": "1000",
///                      "basis": "nameplate"}]},
///     {"id": "sep", "name": "Separator", "country": "MY", "stage": "separation",
///      "maturity": "operating", "process": {"kind": "separation", "feed": "REO:concentrate",
///        "products": ["NdPr:oxide", "La:oxide"], "recovery": "0.9"},
///      "capacities": [{"commodity": "REO:concentrate", "tonnes_per_year": "800",
///                      "basis": "nameplate"}]}]}"#)?.validate()?;
/// let mut model = BalanceModel::build(&data, &"NdPr:oxide".parse()?)?;
/// let r = model.solve(&Scenario::baseline())?;
/// // The separator's 800 t of feed bind: 0.9 x 0.20 x 800 = 144 t, 0.18 t per tonne of feed.
/// assert_eq!(r.deliverable.to_string(), "144 t");
/// assert_eq!(r.binding[0].loss_per_tonne.map(|d| d.to_string()), Some("0.18".to_owned()));
/// // Lanthanum comes with it: 0.9 x 0.30 x 800 = 216 t.
/// assert_eq!(r.by_products[0].most.to_string(), "216 t");
/// // Build once, solve many: Malaysia stops exporting, on the same model.
/// let stop = Scenario { export_stops: ["MY".parse()?].into(), ..Scenario::default() };
/// assert_eq!(model.solve(&stop)?.deliverable.to_string(), "0 t");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct BalanceModel {
    data: ValidDataset,
    target: Commodity,
    solver: LpSolver,
    capacities: Vec<CapacityRow>,
    links: Vec<LinkRows>,
    market_arcs: Vec<MarketArc>,
    buyers: Vec<Buyer>,
    deliveries: Vec<Column>,
    floor: Row,
    /// Per facility, the expression of its throughput: of its capacity in the target, or of its
    /// first capacity.
    throughput: Vec<Vec<(Column, f64)>>,
    /// Per facility, what its stage counts of it and in which unit: its throughput, except at
    /// separation (the separated product of the target's elements).
    measure: Vec<(Terms, Option<Commodity>)>,
    /// Per facility, the capacity row on its throughput (for telling a facility at capacity
    /// in every optimal solution).
    throughput_cap: Vec<Option<Row>>,
    /// By-products per separation facility: (product, columns of its output).
    by_products: PerFacility,
    /// Whether links are exclusive and every present stage mandatory (format 1).
    format_1: bool,
    /// For a product made by recipe, a model per input.
    ingredients: Vec<Ingredient>,
    /// Columns and rows of the program.
    size: (usize, usize),
    /// A copy of `solver` for a second thread, made on first use.
    helper: Option<LpSolver>,
    /// Per facility of the dataset: whether it can add to the target (see
    /// [`BalanceModel::feeds_target`]).
    upstream: Vec<bool>,
    /// Deliverables already solved, by the program's right-hand side (see
    /// [`BalanceModel::deliverable`]).
    memo: std::collections::HashMap<(u64, u64), Tonnes>,
    /// Every shipment column: from, to, what it carries (see [`BalanceModel::flows`]).
    shipments: Vec<(Column, Node, Node, Commodity)>,
    /// Whether solutions already found settle range ends and marginal values (always, except
    /// in the test that checks they settle them as a solve would).
    settle: bool,
}

/// One input of the recipes that make the target, with the model of its own supply.
#[derive(Debug)]
struct Ingredient {
    input: Commodity,
    /// The least tonnes of it per tonne of target among the recipes that make the target.
    ratio: Decimal,
    /// `None` where nothing in the dataset makes it.
    model: Option<Box<BalanceModel>>,
}

/// How much of a recipe product one input's supply allows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecipeLimit {
    /// The input (e.g. `Dy:metal`).
    pub input: Commodity,
    /// Its deliverable supply in the scenario, tonnes per year (its own material balance,
    /// with nothing else competing for it).
    pub supply: Tonnes,
    /// Tonnes of it per tonne of the product: the least among the recipes that make the
    /// product, so that `allows` is the most this input could support.
    pub tonnes_per_tonne: Decimal,
    /// `supply / tonnes_per_tonne`: tonnes of product this input alone allows, to the kilogram.
    pub allows: Tonnes,
}

/// The value of a bound that binds: what one tonne more or one tonne less of it changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Marginal {
    /// What binds.
    pub what: BindingKind,
    /// Its stage (a facility's or a link's receiving facility's).
    pub stage: Option<Stage>,
    /// Its country (site).
    pub country: Option<Country>,
    /// Its bound in the scenario, tonnes per year.
    pub bound: Tonnes,
    /// Tonnes of target gained by adding one tonne to the bound (or, for a bound below a
    /// tonne, per tonne over what it has); for a floor, by taking one tonne from it. The mean
    /// slope over that tonne: the right derivative where no other bound starts to bind within
    /// it, less where one does. Stated to the decimals the solve supports (at most six).
    pub gain_per_tonne: Decimal,
    /// Tonnes of target lost by taking one tonne from the bound (for a floor, by adding one),
    /// the mean slope over the tonne below; never less than the gain, the optimum being
    /// concave in a bound. `None` where that tonne makes the scenario infeasible (a floor
    /// already at the most that can flow).
    pub loss_per_tonne: Option<Decimal>,
}

/// A bound of the material-balance program.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum BindingKind {
    /// A facility's capacity of one commodity.
    Capacity {
        /// The facility.
        facility: FacilityId,
        /// The commodity the capacity is stated in.
        commodity: Commodity,
    },
    /// A link's cap (or floor, when `floor`).
    Link {
        /// The link id.
        link: LinkId,
        /// Whether the floor binds (a forced flow costs target).
        floor: bool,
    },
    /// A buyer's demand.
    Demand {
        /// The buyer, as its demand records name it (one buyer's records of several years
        /// make one bound).
        demand: String,
    },
}

/// The least and the most a facility or a link carries among all optimal solutions, in tonnes
/// per year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FlowRange {
    /// What: a facility id or a link id.
    pub of: String,
    /// The least (what the target cannot do without).
    pub least: Tonnes,
    /// The most (its room).
    pub most: Tonnes,
}

/// The least and the most passing through one stage (in one country, or in all) among all
/// optimal solutions, in tonnes per year of [`StageRange::unit`]: what the stage's facilities
/// state capacity in, except at separation, which counts the separated product of the target's
/// elements (NdPr oxide for an NdPr target, each part in element tonnes for a composite one),
/// whether its plants state capacity in feed or in product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StageRange {
    /// The stage.
    pub stage: Stage,
    /// The country (site or owner, as the scenario's control says); `None` for the whole stage.
    pub country: Option<Country>,
    /// What the tonnes are of; `None` where the stage's plants state capacity in different
    /// commodities (the tonnes then add up different things).
    pub unit: Option<Commodity>,
    /// The least.
    pub least: Tonnes,
    /// The most.
    pub most: Tonnes,
}

/// A by-product that separating for the target yields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ByProduct {
    /// The product (e.g. `La:oxide`).
    pub commodity: Commodity,
    /// The least and most separated among optimal solutions, tonnes per year.
    pub least: Tonnes,
    /// See `least`.
    pub most: Tonnes,
}

/// What [`BalanceModel::solve_with`] computes beyond the deliverable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BalanceOptions {
    /// Marginal values of the bounds that bind (two solves per candidate bound) and, for a
    /// product made by recipe, what each input allows (one solve per input).
    pub marginals: bool,
    /// Ranges per stage and country, link and by-product (two solves each, except where the
    /// central solution shows the range is one value).
    pub ranges: bool,
    /// Ranges per facility too (with `ranges`; two solves per facility that is neither idle
    /// nor full in every optimal solution).
    pub facility_ranges: bool,
    /// Threads for the re-solves of marginal values and ranges: 1 or 2 (0: two where the
    /// machine has them). The answer is the same on either.
    pub threads: usize,
}

impl BalanceOptions {
    /// The deliverable alone: no marginal values, no ranges (an outlook draw, a ranking).
    pub const DELIVERABLE_ONLY: Self = Self {
        marginals: false,
        ranges: false,
        facility_ranges: false,
        threads: 1,
    };
}

impl Default for BalanceOptions {
    fn default() -> Self {
        Self {
            marginals: true,
            ranges: true,
            facility_ranges: true,
            threads: 0,
        }
    }
}

/// What [`BalanceModel::solve`] answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BalanceReport {
    /// The target product.
    pub target: Commodity,
    /// The scenario year.
    pub year: i32,
    /// Deliverable tonnes per year of the target to its buyers, rounded to the kilogram.
    pub deliverable: Tonnes,
    /// Total demand of the buyers, if the dataset states any for the year and case.
    pub demand: Option<Tonnes>,
    /// Every bound that binds (loss per tonne above the tolerance), most valuable first.
    pub binding: Vec<Marginal>,
    /// Least and most per facility that carries anything in some optimal solution (empty when
    /// nothing is deliverable, every feasible flow being then optimal, or when not asked for:
    /// [`BalanceOptions::facility_ranges`]).
    pub facilities: Vec<FlowRange>,
    /// Least and most per stage (country `None`), then per stage and country, in stage
    /// order.
    pub stages: Vec<StageRange>,
    /// Least and most per explicit link.
    pub links: Vec<FlowRange>,
    /// By-products of separation, for a separated target.
    pub by_products: Vec<ByProduct>,
    /// For a product made by recipe (magnets): what each input's supply allows, least first.
    /// The first is the input that binds; the gap to the second is by how much.
    pub recipe_limits: Vec<RecipeLimit>,
}

impl BalanceReport {
    /// The capacities that bind: those that cost the target when lowered (a loss per tonne
    /// above zero, or none stated, as after a reduced-accuracy solve), not the projects at
    /// zero whose first tonne would only add. In [`BalanceReport::binding`]'s order.
    pub fn binding_capacities(&self) -> impl Iterator<Item = &Marginal> {
        self.binding.iter().filter(|m| {
            matches!(m.what, BindingKind::Capacity { .. })
                && m.loss_per_tonne.is_none_or(|l| l > Decimal::ZERO)
        })
    }

    /// Demand not met: demand minus deliverable, never below zero; `None` without demand.
    #[must_use]
    pub fn shortfall(&self) -> Option<Tonnes> {
        self.demand
            .map(|d| Tonnes::new((d.value() - self.deliverable.value()).max(Decimal::ZERO)))
    }
}

/// Relative slack on the optimum when ranges are taken: a range is over the solutions within
/// this share of the optimum (1e-9 of 50,000 t is 0.05 kg).
const TOLERANCE: f64 = 1e-9;

/// Tonnes: an expression of non-negative terms at most this (0.1 kg) in an optimal solution
/// has least zero for the report, which rounds to the kilogram (its solved least would lie
/// between zero and this).
const ZERO_WITNESS: f64 = 1e-4;

/// Tonnes: an expression within this of its ceiling (a sum of capacities or a link's upper
/// bound, which no solution exceeds) in an optimal solution has that ceiling as its most.
const CEILING_WITNESS: f64 = 1e-6;

/// A pooled range solve (see `BalanceModel::range_ends`) is tried while at least this many open
/// ends could settle, and repeated while the last one settled at least this many.
const POOL_MINIMUM: usize = 2;

/// Range ends solved between two looks at the solutions met so far (see
/// `BalanceModel::range_ends`): fewer looks keep two threads busy, more settle more ends.
const RANGE_ROUND: usize = 16;

/// [`TOLERANCE`] on a simplex backend, whose optimum is a vertex exact to its feasibility
/// tolerance (1e-12 of 50,000 t is 0.05 g).
const VERTEX_TOLERANCE: f64 = 1e-12;

/// The relative accuracy the solve reaches in practice (the solver's tolerance is 1e-13; kg
/// agreement with the max-flow engine was checked up to 6.5e7 t): marginal values are stated
/// to the decimals this supports.
const RELATIVE_ACCURACY: f64 = 1e-11;

/// The same for a solve retried at a looser tolerance (down to Clarabel's default, 1e-8).
const LOOSE_RELATIVE_ACCURACY: f64 = 1e-8;

fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Tonnes as the whole kilograms the max-flow engine uses, back in tonnes as `f64`.
fn kg_tonnes(t: Tonnes, what: impl FnOnce() -> String) -> Result<f64, GraphError> {
    tonnes_to_kg(t, what).map(|kg| {
        #[allow(clippy::cast_precision_loss)] // Reason: below 2^53 kg (MAX_TONNES is 1e12 t).
        let kg = kg as f64;
        kg / 1000.0
    })
}

/// Rounds `f64` tonnes to whole kilograms, as exact tonnes (negative noise becomes zero).
fn round_kg(t: f64) -> Tonnes {
    #[allow(clippy::cast_possible_truncation)] // Reason: finite and below 2^63 kg.
    let kg = (t * 1000.0).round().max(0.0) as i64;
    kg_to_tonnes(kg)
}

#[allow(clippy::needless_pass_by_value)] // Reason: used as `map_err(lp_error)`.
fn lp_error(e: FlowError) -> GraphError {
    GraphError::Lp {
        message: e.to_string(),
        records: Vec::new(),
    }
}

impl BalanceModel {
    /// Lays out the program of `target` in `data` (format 1 or 2).
    ///
    /// # Errors
    /// [`GraphError::UnknownCommodity`] if no facility makes the target;
    /// [`GraphError::Lp`] if the solver refuses the model.
    pub fn build(data: &ValidDataset, target: &Commodity) -> Result<Self, GraphError> {
        Self::build_for(data, target, Buyers::Demand)
    }

    /// [`BalanceModel::build`] with one buyer, the world, and no cap on it: what the chain can
    /// make and deliver of `target` whatever the demand records say (the supply side of a
    /// supply-demand balance). Under an export stop, the world buyer stands outside the
    /// stopped countries: what reaches buyers elsewhere.
    ///
    /// # Errors
    /// As [`BalanceModel::build`].
    pub fn build_supply(data: &ValidDataset, target: &Commodity) -> Result<Self, GraphError> {
        Self::build_for(data, target, Buyers::World)
    }

    /// [`BalanceModel::build`], with the target's buyers as `who_buys` says.
    #[allow(clippy::too_many_lines)]
    // Reason: one pass over the model's rules, in order.
    // Reason: `takes`, `makes`, `throughput`, `incoming` and `outgoing` hold one entry per
    // facility of `data`, and every index used is a position in `data.facilities` (an
    // enumeration of it, or a value of `index`, or of `consumers`, built from those positions).
    #[allow(clippy::indexing_slicing)]
    fn build_for(
        data: &ValidDataset,
        target: &Commodity,
        who_buys: Buyers<'_>,
    ) -> Result<Self, GraphError> {
        let format_1 = data.format_version == 1;
        let facilities = &data.facilities;
        let n = facilities.len();
        // Composition classes of each mixed commodity, to a fixpoint through conversions and
        // pass-through facilities.
        let mut classes: BTreeMap<Commodity, BTreeSet<usize>> = BTreeMap::new();
        for f in facilities {
            if let Some(Process::Extraction { composition }) = &f.process
                && let Some(k) = data.compositions.iter().position(|c| c.id == *composition)
            {
                for c in &f.capacities {
                    classes.entry(c.commodity).or_default().insert(k);
                }
            }
        }
        loop {
            let mut changed = false;
            for f in facilities {
                if let Some(Process::Conversion { input, output, .. }) = &f.process {
                    let from: Vec<usize> =
                        classes.get(input).into_iter().flatten().copied().collect();
                    let to = classes.entry(*output).or_default();
                    for k in from {
                        changed |= to.insert(k);
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let materials_of = |c: Commodity| -> Vec<Material> {
            match classes.get(&c) {
                Some(ks) if !ks.is_empty() => ks.iter().map(|&k| (c, Some(k))).collect(),
                _ => vec![(c, None)],
            }
        };

        let mut lp = LinearProgram::new();
        // Per facility: material -> (coefficient, column) terms of what it takes and makes.
        let mut takes: Vec<BTreeMap<Material, Vec<(Column, f64)>>> = vec![BTreeMap::new(); n];
        let mut makes: Vec<BTreeMap<Material, Vec<(Column, f64)>>> = vec![BTreeMap::new(); n];
        let mut throughput: Vec<Vec<(Column, f64)>> = vec![Vec::new(); n];
        let mut shown_of: Vec<Option<Commodity>> = vec![None; n];
        let mut by_products_of: PerFacility = Vec::new();
        let mut capacity_terms: PerFacility = Vec::new();

        let present: BTreeSet<(Commodity, Stage)> = facilities
            .iter()
            .flat_map(|f| f.capacities.iter().map(move |c| (c.commodity, f.stage)))
            .collect();
        for (i, f) in facilities.iter().enumerate() {
            if f.capacities.is_empty() {
                continue;
            }
            let first = f.capacities.first().map(|c| c.commodity);
            // The throughput a report shows: in the target where the facility states a
            // capacity of it (a format-1 plant lists NdPr, Dy and Tb), else in its first.
            let shown = f
                .capacities
                .iter()
                .find(|c| c.commodity == *target)
                .or(f.capacities.first())
                .map(|c| c.commodity);
            shown_of[i] = shown;
            match &f.process {
                None | Some(Process::Extraction { .. }) => {
                    // Pass-through (format 1, or no process): per capacity commodity, one
                    // column per material; a source where nothing upstream can feed it.
                    for c in &f.capacities {
                        let upstream = present.iter().any(|(commodity, stage)| {
                            *commodity == c.commodity
                                && *stage != Stage::Recycling
                                && stage.can_feed(f.stage)
                        });
                        let source = matches!(f.stage, Stage::Mining | Stage::Recycling)
                            || matches!(f.process, Some(Process::Extraction { .. }))
                            || !upstream;
                        let mut terms = Vec::new();
                        for m in materials_of(c.commodity) {
                            // A source yields only its own class: an extraction its
                            // composition's, a source without a process none (it cannot
                            // stand in for a feed whose composition it does not state).
                            let own_class = match (&f.process, m.1) {
                                (Some(Process::Extraction { composition }), Some(k)) => data
                                    .compositions
                                    .get(k)
                                    .is_some_and(|x| x.id == *composition),
                                (None, Some(_)) => !source,
                                (_, None) => true,
                                _ => false,
                            };
                            if !own_class {
                                continue;
                            }
                            let x = lp.add_column(0.0, None).map_err(lp_error)?;
                            if !source {
                                takes[i].entry(m).or_default().push((x, 1.0));
                            }
                            makes[i].entry(m).or_default().push((x, 1.0));
                            terms.push((x, 1.0));
                        }
                        if shown == Some(c.commodity) {
                            throughput[i].clone_from(&terms);
                        }
                        capacity_terms.push((i, c.commodity, terms));
                    }
                }
                Some(Process::Conversion {
                    input,
                    output,
                    recovery,
                }) => {
                    let r = f64_of(recovery.value());
                    let mut input_terms = Vec::new();
                    let mut output_terms = Vec::new();
                    for m in materials_of(*input) {
                        let x = lp.add_column(0.0, None).map_err(lp_error)?;
                        takes[i].entry(m).or_default().push((x, 1.0));
                        makes[i].entry((*output, m.1)).or_default().push((x, r));
                        input_terms.push((x, 1.0));
                        output_terms.push((x, r));
                    }
                    for c in &f.capacities {
                        let terms = if c.commodity == *input {
                            &input_terms
                        } else {
                            &output_terms
                        };
                        if shown == Some(c.commodity) {
                            throughput[i].clone_from(terms);
                        }
                        capacity_terms.push((i, c.commodity, terms.clone()));
                    }
                }
                Some(Process::Separation {
                    feed,
                    products,
                    recovery,
                }) => {
                    let r = f64_of(recovery.value());
                    let mut feed_terms = Vec::new();
                    let mut product_terms: BTreeMap<Commodity, Vec<(Column, f64)>> =
                        BTreeMap::new();
                    for m in materials_of(*feed) {
                        let Some(k) = m.1 else { continue };
                        let Some(composition) = data.compositions.get(k) else {
                            continue;
                        };
                        let x = lp.add_column(0.0, None).map_err(lp_error)?;
                        takes[i].entry(m).or_default().push((x, 1.0));
                        feed_terms.push((x, 1.0));
                        for p in products {
                            let share = f64_of(composition.share_of(p.elements()));
                            if share > 0.0 {
                                makes[i].entry((*p, None)).or_default().push((x, r * share));
                                product_terms.entry(*p).or_default().push((x, r * share));
                            }
                        }
                    }
                    for c in &f.capacities {
                        let terms = if c.commodity == *feed {
                            feed_terms.clone()
                        } else {
                            product_terms.get(&c.commodity).cloned().unwrap_or_default()
                        };
                        if shown == Some(c.commodity) {
                            throughput[i].clone_from(&terms);
                        }
                        capacity_terms.push((i, c.commodity, terms));
                    }
                    // Products that count toward the target are dropped below.
                    for (p, terms) in product_terms {
                        by_products_of.push((i, p, terms));
                    }
                }
                Some(Process::Reduction { yield_, mix }) => {
                    let y = f64_of(yield_.value());
                    let mix = mix.as_ref().and_then(|id| data.composition(id.as_str()));
                    for c in &f.capacities {
                        let oxide = Commodity::new(c.commodity.elements(), Form::Oxide);
                        let metal = Commodity::new(c.commodity.elements(), Form::Metal);
                        let factor = metal_per_oxide(c.commodity, mix).unwrap_or(0.0) * y;
                        let x = lp.add_column(0.0, None).map_err(lp_error)?;
                        takes[i].entry((oxide, None)).or_default().push((x, 1.0));
                        makes[i].entry((metal, None)).or_default().push((x, factor));
                        let terms = if c.commodity.form() == Form::Oxide {
                            vec![(x, 1.0)]
                        } else {
                            vec![(x, factor)]
                        };
                        if shown == Some(c.commodity) {
                            throughput[i].clone_from(&terms);
                        }
                        capacity_terms.push((i, c.commodity, terms));
                    }
                }
                Some(Process::Recipe { inputs }) => {
                    let Some(output) = first else { continue };
                    let y = lp.add_column(0.0, None).map_err(lp_error)?;
                    for input in inputs {
                        takes[i]
                            .entry((input.commodity, None))
                            .or_default()
                            .push((y, f64_of(input.tonnes_per_tonne)));
                    }
                    makes[i].entry((output, None)).or_default().push((y, 1.0));
                    throughput[i] = vec![(y, 1.0)];
                    capacity_terms.push((i, output, vec![(y, 1.0)]));
                }
            }
        }

        // What counts toward the target: the target itself, or the products that add up to a
        // target on the contained-element basis.
        let parts = parts_of(
            data,
            target,
            makes.iter().flat_map(|m| m.keys().map(|k| k.0)),
        )?;
        // What a stage counts in: each facility's throughput in what it states capacity in,
        // except separation, whose plants state feed or product: there, the separated product
        // of the target's elements (the target's parts, else its oxide), so that a stage adds
        // up in one unit.
        let mut measure: Vec<(Terms, Option<Commodity>)> = throughput
            .iter()
            .cloned()
            .zip(shown_of.iter().copied())
            .collect();
        let oxide_of_target = Commodity::new(target.elements(), Form::Oxide);
        let separated_parts: BTreeMap<Commodity, f64> =
            if by_products_of.iter().any(|(_, p, _)| parts.contains_key(p)) {
                parts.clone()
            } else {
                BTreeMap::from([(oxide_of_target, 1.0)])
            };
        // The separated oxide itself (factor 1) is counted in oxide tonnes; parts at a
        // contained-element factor are counted in the target's (element) tonnes.
        #[allow(clippy::float_cmp)] // Reason: 1.0 is set exactly for the product itself.
        let unit = if separated_parts.len() == 1
            && separated_parts
                .get(&oxide_of_target)
                .is_some_and(|&f| f == 1.0)
        {
            oxide_of_target
        } else {
            *target
        };
        let mut separated: BTreeMap<usize, Terms> = BTreeMap::new();
        for (i, p, terms) in &by_products_of {
            if let Some(&factor) = separated_parts.get(p) {
                separated
                    .entry(*i)
                    .or_default()
                    .extend(terms.iter().map(|&(c, a)| (c, a * factor)));
            }
        }
        for (i, f) in facilities.iter().enumerate() {
            if matches!(f.process, Some(Process::Separation { .. }))
                && let Some(m) = measure.get_mut(i)
            {
                *m = match separated.remove(&i) {
                    Some(terms) => (terms, Some(unit)),
                    None => (Vec::new(), None),
                };
            }
        }
        by_products_of.retain(|(_, p, _)| !parts.contains_key(p));
        // Facilities upstream of the target: a maker of a part, or a maker of what one of them
        // takes, and so on (a superset: stages and links are not checked).
        let mut producers: BTreeMap<Material, Vec<usize>> = BTreeMap::new();
        for (i, m) in makes.iter().enumerate() {
            for material in m.keys() {
                producers.entry(*material).or_default().push(i);
            }
        }
        let mut upstream = vec![false; n];
        let mut queue: Vec<usize> = (0..n)
            .filter(|&i| makes[i].keys().any(|m| parts.contains_key(&m.0)))
            .collect();
        for &i in &queue {
            upstream[i] = true;
        }
        while let Some(j) = queue.pop() {
            for m in takes[j].keys() {
                for &i in producers.get(m).into_iter().flatten() {
                    if !upstream[i] {
                        upstream[i] = true;
                        queue.push(i);
                    }
                }
            }
        }

        // Capacity rows (values set per scenario).
        let mut capacities = Vec::with_capacity(capacity_terms.len());
        for (facility, commodity, terms) in capacity_terms {
            let row = lp
                .add_row(&terms, RowBounds::AtMost(0.0))
                .map_err(lp_error)?;
            capacities.push(CapacityRow {
                facility,
                commodity,
                row,
            });
        }
        // The capacity row whose terms are each facility's throughput.
        let throughput_cap: Vec<Option<Row>> = (0..n)
            .map(|i| {
                capacities
                    .iter()
                    .find(|c| c.facility == i && Some(c.commodity) == shown_of[i])
                    .map(|c| c.row)
            })
            .collect();

        // Who consumes each material, and at which stage.
        let consumers: BTreeMap<Material, Vec<usize>> = {
            let mut map: BTreeMap<Material, Vec<usize>> = BTreeMap::new();
            for (i, t) in takes.iter().enumerate() {
                for m in t.keys() {
                    map.entry(*m).or_default().push(i);
                }
            }
            map
        };
        // Shipments: out of each facility's makes, into each consumer's takes.
        let mut outgoing: Vec<BTreeMap<Material, Vec<(Column, f64)>>> = vec![BTreeMap::new(); n];
        let mut incoming: Vec<BTreeMap<Material, Vec<(Column, f64)>>> = vec![BTreeMap::new(); n];

        // Explicit links.
        let index: BTreeMap<&str, usize> = facilities
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.as_str(), i))
            .collect();
        // Exclusive links take a material of their supplier off the market (and a consumer's
        // intake of it off the market), per material.
        let mut exclusive_out: BTreeSet<(usize, Material)> = BTreeSet::new();
        let mut exclusive_in: BTreeSet<(usize, Material)> = BTreeSet::new();
        let mut links = Vec::new();
        // Every shipment column, with where it comes from and goes to (for tracing flows).
        let mut shipments: Vec<(Column, Node, Node, Commodity)> = Vec::new();
        for (l, link) in data.links.iter().enumerate() {
            let (Some(&from), Some(&to)) =
                (index.get(link.from.as_str()), index.get(link.to.as_str()))
            else {
                continue;
            };
            let carried: Vec<Material> = makes[from]
                .keys()
                .filter(|m| takes[to].contains_key(m))
                .filter(|m| link.commodity.is_none_or(|c| c == m.0))
                .copied()
                .collect();
            if carried.is_empty() {
                continue;
            }
            let exclusive = link.exclusive.unwrap_or(format_1);
            let mut columns = Vec::new();
            for m in carried {
                if exclusive {
                    // A scrap link into recycling is a side outlet: the supplier keeps its market.
                    if facilities[to].stage != Stage::Recycling {
                        exclusive_out.insert((from, m));
                    }
                    exclusive_in.insert((to, m));
                }
                let x = lp.add_column(0.0, None).map_err(lp_error)?;
                outgoing[from].entry(m).or_default().push((x, 1.0));
                incoming[to].entry(m).or_default().push((x, 1.0));
                shipments.push((x, Node::Facility(from), Node::Facility(to), m.0));
                columns.push(x);
            }
            let terms: Vec<(Column, f64)> = columns.iter().map(|&c| (c, 1.0)).collect();
            let row = lp
                .add_row(&terms, RowBounds::Between(0.0, 0.0))
                .map_err(lp_error)?;
            links.push(LinkRows {
                link: l,
                from,
                to,
                columns,
                row,
            });
        }

        // Markets: producers sell into the market of their material, stage and countries;
        // consumers buy from every market whose stage can feed theirs (format 1: only from the
        // next stage present, as the max-flow graph reads it).
        let next_stage = |m: &Material, stage: Stage| -> Option<Stage> {
            consumers.get(m).and_then(|cs| {
                cs.iter()
                    .map(|&c| facilities[c].stage)
                    .filter(|s| *s != Stage::Recycling && stage.can_feed(*s))
                    .min()
            })
        };
        // Sellers per market; a market of one seller is that seller (no column, no row).
        let mut sellers: BTreeMap<MarketKey, Vec<usize>> = BTreeMap::new();
        // Per (site, owner, part of the target): what leaves the chain, in tonnes of target.
        let mut to_exit: BTreeMap<(Country, Country, Commodity), Terms> = BTreeMap::new();
        for (i, f) in facilities.iter().enumerate() {
            let owner = f.country_by(Control::Owner);
            for m in makes[i].keys() {
                if exclusive_out.contains(&(i, *m)) {
                    continue;
                }
                let stage = if format_1 {
                    next_stage(m, f.stage)
                } else {
                    Some(f.stage)
                };
                let has_consumer = consumers.get(m).is_some_and(|cs| {
                    cs.iter()
                        .any(|&c| c != i && f.stage.can_feed(facilities[c].stage))
                });
                if let Some(stage) = stage.filter(|_| has_consumer) {
                    sellers
                        .entry((*m, stage, f.country, owner))
                        .or_default()
                        .push(i);
                }
                let last = if format_1 { stage.is_none() } else { true };
                if let Some(&weight) = parts.get(&m.0).filter(|_| last) {
                    let x = lp.add_column(0.0, None).map_err(lp_error)?;
                    outgoing[i].entry(*m).or_default().push((x, 1.0));
                    shipments.push((x, Node::Facility(i), Node::Exit, m.0));
                    to_exit
                        .entry((f.country, owner, m.0))
                        .or_default()
                        .push((x, weight));
                }
            }
        }
        // A market reaches the consumers it feeds without one arc per consumer. What an export
        // stop closes depends only on the origin (site or owner) and the destination country,
        // so each market has a domestic arc to its site country and one to its owner's (where
        // they differ), and an export arc to a world pool of its material and stage; the pool
        // reaches every destination country. A destination country with one consumer is that
        // consumer; with several, a hub row they draw from. Arcs grow with markets plus
        // countries, not markets x consumers (the model of a 200-facility chain went from
        // 8,550 columns to about 2,700).
        let mut markets: BTreeMap<MarketKey, (Terms, Terms)> = BTreeMap::new();
        for (key, list) in &sellers {
            if let [_, _, ..] = list.as_slice() {
                let market = markets.entry(*key).or_default();
                for &i in list {
                    let x = lp.add_column(0.0, None).map_err(lp_error)?;
                    outgoing[i].entry(key.0).or_default().push((x, 1.0));
                    market.0.push((x, 1.0));
                    shipments.push((x, Node::Facility(i), Node::Market(*key), key.0.0));
                }
            }
        }
        let mut market_arcs = Vec::new();
        let mut fed: BTreeMap<(Material, Stage), BTreeMap<Country, Vec<usize>>> = BTreeMap::new();
        for &(m, stage, _, _) in sellers.keys() {
            let Entry::Vacant(e) = fed.entry((m, stage)) else {
                continue;
            };
            let by_country = e.insert(BTreeMap::new());
            for &c in consumers.get(&m).into_iter().flatten() {
                let g = &facilities[c];
                let feeds = if format_1 {
                    g.stage == stage
                } else {
                    stage.can_feed(g.stage)
                };
                if feeds && !exclusive_in.contains(&(c, m)) {
                    by_country.entry(g.country).or_default().push(c);
                }
            }
        }
        // Per (material, stage): the terms into each destination country (a consumer's
        // incoming, or a hub row's inflow) and the world pool row.
        let mut hubs: BTreeMap<(Material, Stage, Country), Terms> = BTreeMap::new();
        let mut pools: BTreeMap<(Material, Stage), (Terms, Terms)> = BTreeMap::new();
        for (&(m, stage), by_country) in &fed {
            for (&country, cs) in by_country {
                if let [_, _, ..] = cs.as_slice() {
                    let mut out = Vec::new();
                    for &c in cs {
                        let y = lp.add_column(0.0, None).map_err(lp_error)?;
                        incoming[c].entry(m).or_default().push((y, 1.0));
                        out.push((y, -1.0));
                        shipments.push((y, Node::Hub((m, stage, country)), Node::Facility(c), m.0));
                    }
                    hubs.insert((m, stage, country), out);
                }
            }
            if by_country.len() > 1 {
                let pool = pools.entry((m, stage)).or_default();
                for &country in by_country.keys() {
                    let w = lp.add_column(0.0, None).map_err(lp_error)?;
                    pool.1.push((w, 1.0));
                    if let Some(to) =
                        deliver_to(&mut incoming, &mut hubs, by_country, (m, stage, country), w)
                    {
                        shipments.push((w, Node::Pool((m, stage)), to, m.0));
                    }
                }
            }
        }
        for (&key, list) in &sellers {
            let (m, stage, site, owner) = key;
            let Some(by_country) = fed.get(&(m, stage)) else {
                continue;
            };
            let mut arcs: Vec<(Column, Option<Country>, Option<Node>)> = Vec::new();
            for country in [site, owner] {
                if by_country.contains_key(&country) && !arcs.iter().any(|a| a.1 == Some(country)) {
                    let x = lp.add_column(0.0, Some(0.0)).map_err(lp_error)?;
                    let to =
                        deliver_to(&mut incoming, &mut hubs, by_country, (m, stage, country), x);
                    arcs.push((x, Some(country), to));
                }
            }
            if let Some(pool) = pools.get_mut(&(m, stage)) {
                let x = lp.add_column(0.0, Some(0.0)).map_err(lp_error)?;
                pool.0.push((x, 1.0));
                arcs.push((x, None, Some(Node::Pool((m, stage)))));
            } else if let Some((&country, _)) = by_country.iter().next()
                && !arcs.iter().any(|a| a.1 == Some(country))
            {
                // One destination country, neither the site's nor the owner's.
                let x = lp.add_column(0.0, Some(0.0)).map_err(lp_error)?;
                let to = deliver_to(&mut incoming, &mut hubs, by_country, (m, stage, country), x);
                arcs.push((x, Some(country), to));
            }
            for (x, destination, to) in arcs {
                let from = match (markets.get_mut(&key), list.as_slice()) {
                    (Some(market), _) => {
                        market.1.push((x, 1.0));
                        Some(Node::Market(key))
                    }
                    (None, [only]) => {
                        outgoing[*only].entry(m).or_default().push((x, 1.0));
                        Some(Node::Facility(*only))
                    }
                    (None, _) => None,
                };
                if let (Some(from), Some(to)) = (from, to) {
                    shipments.push((x, from, to, m.0));
                }
                market_arcs.push(MarketArc {
                    column: x,
                    commodity: m.0,
                    origin: (site, owner),
                    destination,
                });
            }
        }
        for inflow in hubs.values() {
            lp.add_row(inflow, RowBounds::Equal(0.0))
                .map_err(lp_error)?;
        }
        for (inflow, outflow) in pools.values() {
            let mut terms = inflow.clone();
            terms.extend(outflow.iter().map(|&(c, a)| (c, -a)));
            lp.add_row(&terms, RowBounds::Equal(0.0))
                .map_err(lp_error)?;
        }
        for (inflow, outflow) in markets.values() {
            let mut terms = inflow.clone();
            terms.extend(outflow.iter().map(|&(c, a)| (c, -a)));
            lp.add_row(&terms, RowBounds::Equal(0.0))
                .map_err(lp_error)?;
        }

        // Buyers: the demand records of the target (any year and case: bounds per scenario),
        // one column per distinct (buyer, country); without any, the world.
        let mut buyer_keys: BTreeMap<(String, Option<Country>), usize> = BTreeMap::new();
        let mut buyers = Vec::new();
        let mut deliveries = Vec::new();
        let mut exit_rows: BTreeMap<(Country, Country, Commodity), Terms> = BTreeMap::new();
        let demand_records: Vec<_> = data
            .demand
            .iter()
            .filter(|d| d.commodity == *target)
            .collect();
        let mut buyer_specs: Vec<(Option<String>, Option<Country>)> = Vec::new();
        if let Buyers::At(countries) = who_buys {
            buyer_specs.extend(countries.iter().map(|c| (None, Some(*c))));
        }
        for d in demand_records
            .iter()
            .filter(|_| matches!(who_buys, Buyers::Demand))
        {
            let key = (d.buyer.clone(), d.country);
            if let std::collections::btree_map::Entry::Vacant(e) = buyer_keys.entry(key) {
                e.insert(buyer_specs.len());
                buyer_specs.push((Some(d.buyer.clone()), d.country));
            }
        }
        if buyer_specs.is_empty() {
            buyer_specs.push((None, None));
        }
        for (buyer, country) in &buyer_specs {
            let delivered = lp.add_column(0.0, Some(0.0)).map_err(lp_error)?;
            let mut inflow = Vec::new();
            for &(site, owner, part) in to_exit.keys() {
                let x = lp.add_column(0.0, Some(0.0)).map_err(lp_error)?;
                exit_rows
                    .entry((site, owner, part))
                    .or_default()
                    .push((x, 1.0));
                inflow.push((x, 1.0));
                market_arcs.push(MarketArc {
                    column: x,
                    commodity: part,
                    origin: (site, owner),
                    destination: *country,
                });
            }
            inflow.push((delivered, -1.0));
            lp.add_row(&inflow, RowBounds::Equal(0.0))
                .map_err(lp_error)?;
            deliveries.push(delivered);
            buyers.push(Buyer {
                demand: buyer.clone(),
                country: *country,
                column: delivered,
            });
        }
        for (origin, inflow) in &to_exit {
            let mut terms = inflow.clone();
            terms.extend(
                exit_rows
                    .get(origin)
                    .into_iter()
                    .flatten()
                    .map(|&(c, a)| (c, -a)),
            );
            lp.add_row(&terms, RowBounds::Equal(0.0))
                .map_err(lp_error)?;
        }

        // Facility balances: what it takes arrives; what it makes leaves (joint by-products of
        // separation that are not the target may stay: stock or uses outside the chain).
        for i in 0..n {
            for (m, uses) in &takes[i] {
                let mut terms: Vec<(Column, f64)> = incoming[i].get(m).cloned().unwrap_or_default();
                terms.extend(uses.iter().map(|&(c, a)| (c, -a)));
                lp.add_row(&terms, RowBounds::Equal(0.0))
                    .map_err(lp_error)?;
            }
            for (m, made) in &makes[i] {
                let mut terms: Vec<(Column, f64)> = made.clone();
                terms.extend(
                    outgoing[i]
                        .get(m)
                        .into_iter()
                        .flatten()
                        .map(|&(c, a)| (c, -a)),
                );
                let separated_by_product =
                    matches!(facilities[i].process, Some(Process::Separation { .. }))
                        && !parts.contains_key(&m.0);
                let bounds = if separated_by_product {
                    RowBounds::AtLeast(0.0)
                } else {
                    RowBounds::Equal(0.0)
                };
                lp.add_row(&terms, bounds).map_err(lp_error)?;
            }
        }
        let objective: Vec<(Column, f64)> = deliveries.iter().map(|&c| (c, 1.0)).collect();
        let floor = lp
            .add_row(&objective, RowBounds::AtLeast(0.0))
            .map_err(lp_error)?;
        let size = (lp.columns(), lp.rows());
        let solver = LpSolver::new(&lp, &LpOptions::default()).map_err(lp_error)?;
        // For a product made by recipe: one model per input, to say which input binds.
        // An input limits the product only if every recipe that makes it uses the input; its
        // supply is what can reach the makers' countries.
        let mut ratios: BTreeMap<Commodity, (Decimal, usize)> = BTreeMap::new();
        let mut makers = 0;
        let mut maker_countries = BTreeSet::new();
        for f in facilities {
            if let Some(Process::Recipe { inputs }) = &f.process
                && f.capacities.first().is_some_and(|c| c.commodity == *target)
            {
                makers += 1;
                maker_countries.insert(f.country);
                for input in inputs {
                    let entry = ratios
                        .entry(input.commodity)
                        .or_insert((input.tonnes_per_tonne, 0));
                    entry.0 = entry.0.min(input.tonnes_per_tonne);
                    entry.1 += 1;
                }
            }
        }
        let buyers_at: Vec<Country> = maker_countries.into_iter().collect();
        let mut ingredients = Vec::with_capacity(ratios.len());
        for (input, (ratio, users)) in ratios {
            if users < makers {
                continue;
            }
            let model = match Self::build_for(data, &input, Buyers::At(&buyers_at)) {
                Ok(model) => Some(Box::new(model)),
                // An input nothing in the dataset makes: no supply at all.
                Err(GraphError::UnknownCommodity { .. }) => None,
                Err(e) => return Err(e),
            };
            ingredients.push(Ingredient {
                input,
                ratio,
                model,
            });
        }
        Ok(Self {
            data: data.clone(),
            target: *target,
            solver,
            capacities,
            links,
            market_arcs,
            buyers,
            deliveries,
            floor,
            throughput,
            measure,
            throughput_cap,
            by_products: by_products_of,
            format_1,
            ingredients,
            size,
            helper: None,
            upstream,
            memo: std::collections::HashMap::new(),
            shipments,
            settle: true,
        })
    }

    /// The same model solved by `backend` (the models of a recipe's inputs too). With
    /// [`LpBackend::Highs`](midstream_flow::LpBackend) (feature `highs`), each re-solve of an
    /// analysis starts from the previous optimal basis; the answers are the same, but
    /// [`BalanceModel::flows`] then returns one vertex of the optimal face, not its centre.
    ///
    /// # Errors
    /// [`GraphError::Lp`] if the solver refuses the model.
    pub fn with_backend(mut self, backend: midstream_flow::LpBackend) -> Result<Self, GraphError> {
        self.solver = self.solver.with_backend(backend).map_err(lp_error)?;
        self.helper = None;
        for ingredient in &mut self.ingredients {
            if let Some(model) = ingredient.model.take() {
                ingredient.model = Some(Box::new(model.with_backend(backend)?));
            }
        }
        Ok(self)
    }

    /// Columns (variables) and rows (constraints) of the program, without the models of a
    /// recipe's inputs.
    #[must_use]
    pub fn size(&self) -> (usize, usize) {
        self.size
    }

    /// Writes the program of `scenario` (its bounds set as [`BalanceModel::solve`] sets them,
    /// the deliverable as objective) in free MPS, for comparing solvers on the identical model
    /// (`benches/peers/highs_lp.py` reads it with `HiGHS`). The models of a recipe's inputs are not
    /// included: the objective is the target's deliverable only.
    ///
    /// # Errors
    /// The scenario's errors, as [`BalanceModel::solve`]; [`GraphError::Lp`] if writing fails.
    pub fn write_mps(
        &mut self,
        scenario: &Scenario,
        out: impl std::io::Write,
    ) -> Result<(), GraphError> {
        self.set_scenario(scenario)?;
        self.solver
            .set_bound(Bound::RowLower(self.floor), 0.0)
            .map_err(lp_error)?;
        let objective: Vec<(Column, f64)> = self.deliveries.iter().map(|&c| (c, 1.0)).collect();
        let name = format!("{}-{}", self.data.name, self.target);
        self.solver
            .write_mps(&name, &objective, out)
            .map_err(lp_error)
    }

    /// Whether the facility `id` can add to the target: it makes a part of it, or something a
    /// maker of it takes, and so on up the chain. A facility for which this is false (a magnet
    /// maker, for an oxide target) never changes the deliverable, whatever its capacity. False
    /// for an id the dataset does not have.
    #[must_use]
    pub fn feeds_target(&self, id: &str) -> bool {
        self.data
            .facilities
            .iter()
            .position(|f| f.id.as_str() == id)
            .and_then(|i| self.upstream.get(i))
            .copied()
            .unwrap_or(false)
    }

    /// The target product.
    #[must_use]
    pub fn target(&self) -> Commodity {
        self.target
    }

    /// Sets the bounds of `scenario`: capacities of the year, exclusions, export stops, link
    /// cuts, caps and floors, missing feeds and the demand case.
    #[allow(clippy::too_many_lines)] // Reason: one kind of bound after another.
    fn set_scenario(&mut self, scenario: &Scenario) -> Result<(i32, Option<Tonnes>), GraphError> {
        scenario.check(&self.data)?;
        let year = scenario.year.unwrap_or_else(|| self.data.as_of.year());
        let set = |solver: &mut LpSolver, bound: Bound, value: f64| {
            solver.set_bound(bound, value).map_err(lp_error)
        };
        // No flow exceeds the sum of every capacity: it stands for "unbounded".
        let unbounded = self.capacity_sum(scenario)?;
        for cap in &self.capacities {
            let Some(f) = self.data.facilities.get(cap.facility) else {
                continue;
            };
            let (tonnes, _status) =
                scenario_capacity(&self.data, f, &cap.commodity, scenario, year);
            let missing_feed = matches!(&f.process, Some(Process::Extraction { composition })
                if scenario.exclude_compositions.contains(composition));
            let value = if missing_feed {
                0.0
            } else {
                kg_tonnes(tonnes, || {
                    format!(
                        "the {} capacity of facility {:?}",
                        cap.commodity,
                        f.id.as_str()
                    )
                })?
            };
            set(&mut self.solver, Bound::RowUpper(cap.row), value)?;
        }
        for lr in &self.links {
            let Some(link) = self.data.links.get(lr.link) else {
                continue;
            };
            let (Some(from), Some(to)) = (
                self.data.facilities.get(lr.from),
                self.data.facilities.get(lr.to),
            ) else {
                continue;
            };
            // A link without a commodity carries whatever its supplier makes: a control
            // covering any of it closes the link.
            let exporter = from.country_by(scenario.control);
            let stopped = from.country != to.country
                && match link.commodity {
                    Some(c) => scenario.stops_export(exporter, &c),
                    None => from
                        .capacities
                        .iter()
                        .any(|c| scenario.stops_export(exporter, &c.commodity)),
                };
            let restricted = scenario.block_restricted_links && link.restriction.is_some();
            let valid =
                link.from_year.is_none_or(|y| y <= year) && link.to_year.is_none_or(|y| year <= y);
            let closed = stopped || restricted || !valid || scenario.cut_links.contains(&link.id);
            let what = || format!("the capacity of link {:?}", link.id.as_str());
            let mut upper = match scenario
                .link_caps
                .get(&link.id)
                .or(link.tonnes_per_year.as_ref())
            {
                Some(t) => kg_tonnes(*t, what)?,
                None => unbounded,
            };
            let mut lower = match scenario
                .forced_links
                .get(&link.id)
                .or(link.min_tonnes_per_year.as_ref())
            {
                Some(t) => kg_tonnes(*t, || format!("the floor of link {:?}", link.id.as_str()))?,
                None => 0.0,
            };
            if closed {
                upper = 0.0;
                lower = 0.0;
            }
            set(&mut self.solver, Bound::RowUpper(lr.row), upper)?;
            set(&mut self.solver, Bound::RowLower(lr.row), lower.min(upper))?;
        }
        for arc in &self.market_arcs {
            let (site, owner) = arc.origin;
            let origin = match scenario.control {
                Control::Site => site,
                Control::Owner => owner,
            };
            let stopped =
                scenario.stops_export(origin, &arc.commodity) && arc.destination != Some(origin);
            let value = if stopped { 0.0 } else { unbounded };
            set(&mut self.solver, Bound::ColumnUpper(arc.column), value)?;
        }
        // Demand of the year and case, interpolated between stated years per buyer. As in the
        // max-flow graph, the buyers with a figure for the year are capped at it and the others
        // take nothing; where no buyer has one (no record of the year or of the case), demand
        // is not stated and every buyer takes what the chain can make.
        let figures: Vec<Option<Decimal>> = self
            .buyers
            .iter()
            .map(|b| {
                b.demand.as_ref().and_then(|buyer| {
                    demand_in(
                        &self.data,
                        &self.target,
                        (buyer, b.country),
                        scenario.demand_case.as_deref(),
                        year,
                        !self.format_1,
                    )
                    // An interpolated demand is stated to the kilogram, as every tonnage is.
                    .map(|d| d.round_dp(3))
                })
            })
            .collect();
        let stated = figures.iter().any(Option::is_some);
        let mut total: Option<Decimal> = None;
        for (b, figure) in self.buyers.iter().zip(&figures) {
            let value = match (&b.demand, figure) {
                (Some(_), Some(d)) => {
                    total = Some(total.unwrap_or(Decimal::ZERO) + d);
                    f64_of(*d)
                }
                (Some(_), None) if stated => 0.0,
                _ => unbounded,
            };
            set(&mut self.solver, Bound::ColumnUpper(b.column), value)?;
        }
        Ok((year, total.map(Tonnes::new)))
    }

    /// The sum of every capacity in the dataset and every tonnage the scenario sets, in tonnes:
    /// no flow can exceed it, so it stands for "unbounded" where the solver needs a number.
    fn capacity_sum(&self, scenario: &Scenario) -> Result<f64, GraphError> {
        let mut total = 1.0;
        // A scenario may raise a capacity beyond the dataset's: count its tonnes too.
        for tonnes in scenario
            .capacity_overrides
            .values()
            .chain(scenario.link_caps.values())
            .chain(scenario.forced_links.values())
        {
            total += kg_tonnes(*tonnes, || String::from("a scenario tonnage"))?;
        }
        for f in &self.data.facilities {
            for c in &f.capacities {
                total += kg_tonnes(c.tonnes_per_year, || {
                    format!("the capacity of facility {:?}", f.id.as_str())
                })?;
                for step in &c.ramp {
                    total += kg_tonnes(step.tonnes, String::new)?;
                }
            }
        }
        Ok(total)
    }

    /// The deliverable of `scenario` alone (no marginal values, no ranges), remembered by the
    /// program's bounds: a scenario whose bounds equal those of one already solved on this model
    /// (another year with the same capacities, a repeated Monte Carlo draw) is answered without
    /// solving again. The answer is the one [`BalanceModel::solve_with`] gives: each solve starts
    /// afresh from its bounds. At most [`DELIVERABLE_MEMO`] answers are kept.
    ///
    /// # Errors
    /// As [`BalanceModel::solve`].
    pub fn deliverable(&mut self, scenario: &Scenario) -> Result<Tonnes, GraphError> {
        self.set_scenario(scenario)?;
        self.free_floor()?;
        let key = digest(self.solver.right_hand_side());
        if let Some(t) = self.memo.get(&key) {
            return Ok(*t);
        }
        // The bounds are set: solve them as they stand (as `solve_with` would, without setting
        // them again).
        let t = round_kg(self.maximize_current()?.objective().max(0.0));
        if self.memo.len() < DELIVERABLE_MEMO {
            self.memo.insert(key, t);
        }
        Ok(t)
    }

    /// Sets `scenario`'s bounds (the objective's floor free) and maximises the deliverable:
    /// the year, the buyers' demand, and the central solution.
    fn maximize(
        &mut self,
        scenario: &Scenario,
    ) -> Result<(i32, Option<Tonnes>, midstream_flow::LpSolution), GraphError> {
        let (year, demand) = self.set_scenario(scenario)?;
        self.free_floor()?;
        Ok((year, demand, self.maximize_current()?))
    }

    /// Frees the objective's floor (ranges and marginal values raise it).
    fn free_floor(&mut self) -> Result<(), GraphError> {
        self.solver
            .set_bound(Bound::RowLower(self.floor), 0.0)
            .map_err(lp_error)
    }

    /// Maximises the deliverable under the bounds as they stand.
    fn maximize_current(&mut self) -> Result<midstream_flow::LpSolution, GraphError> {
        let objective: Vec<(Column, f64)> = self.deliveries.iter().map(|&c| (c, 1.0)).collect();
        match self.solver.maximize(&objective) {
            Ok(best) => Ok(best),
            Err(FlowError::Infeasible { bounds }) => Err(self.infeasible(&bounds)),
            Err(e) => Err(lp_error(e)),
        }
    }

    /// One optimal flow of `scenario`, supplier to consumer: the central solution of the
    /// program (the interior-point method converges to the centre of the optimal face, so
    /// every optimal route carries some of the flow; no vertex is picked among many), traced
    /// through markets, pools and hubs in proportion to what each receives from each supplier.
    /// What leaves the chain to the target's buyers has `to: None`. Flows below half a
    /// kilogram (the solver's tolerance) are left out. For what each facility and stage carries
    /// over all optimal flows, ask [`BalanceModel::solve`] for ranges.
    ///
    /// # Errors
    /// As [`BalanceModel::solve`].
    pub fn flows(&mut self, scenario: &Scenario) -> Result<Vec<ShipmentFlow>, GraphError> {
        let (_, _, best) = self.maximize(scenario)?;
        let mut edges: Vec<(Node, Node, Commodity, f64)> = self
            .shipments
            .iter()
            .map(|&(column, from, to, commodity)| (from, to, commodity, best.value(column)))
            .filter(|e| e.3 >= 0.0005)
            .collect();
        edges.sort_by_key(|e| e.0.rank());
        // What each junction holds from each supplier (by facility and commodity).
        let mut held: BTreeMap<Node, BTreeMap<(usize, Commodity), f64>> = BTreeMap::new();
        let mut direct: BTreeMap<(usize, Option<usize>, Commodity), f64> = BTreeMap::new();
        for (from, to, commodity, value) in edges {
            let sources: Vec<((usize, Commodity), f64)> = match from {
                Node::Facility(i) => vec![((i, commodity), value)],
                junction => {
                    let mix = held.get(&junction).cloned().unwrap_or_default();
                    let total: f64 = mix.values().sum();
                    if total <= 0.0 {
                        continue;
                    }
                    mix.into_iter()
                        .map(|(k, v)| (k, value * v / total))
                        .collect()
                }
            };
            for ((i, c), v) in sources {
                match to {
                    Node::Facility(j) => *direct.entry((i, Some(j), c)).or_default() += v,
                    Node::Exit => *direct.entry((i, None, c)).or_default() += v,
                    junction => *held.entry(junction).or_default().entry((i, c)).or_default() += v,
                }
            }
        }
        let facilities = &self.data.facilities;
        Ok(direct
            .into_iter()
            .filter(|e| e.1 >= 0.0005)
            .filter_map(|((i, j, commodity), tonnes)| {
                Some(ShipmentFlow {
                    from: facilities.get(i)?.id.clone(),
                    to: match j {
                        Some(j) => Some(facilities.get(j)?.id.clone()),
                        None => None,
                    },
                    commodity,
                    tonnes: round_kg(tonnes),
                })
            })
            .collect())
    }

    /// Solves `scenario`: deliverable, binding bounds with their marginal values, and ranges.
    ///
    /// # Errors
    /// The scenario's errors ([`Scenario::check`]); [`GraphError::Lp`] naming the records whose
    /// bounds conflict when the scenario is infeasible (e.g. a forced flow above what can reach
    /// the link).
    pub fn solve(&mut self, scenario: &Scenario) -> Result<BalanceReport, GraphError> {
        self.solve_with(scenario, &BalanceOptions::default())
    }

    /// Solves `scenario`, computing only what `options` asks for (each marginal value costs two
    /// solves, each range two more).
    ///
    /// # Errors
    /// As [`BalanceModel::solve`].
    #[allow(clippy::too_many_lines)] // Reason: solve, marginal values, ranges, in order.
    pub fn solve_with(
        &mut self,
        scenario: &Scenario,
        options: &BalanceOptions,
    ) -> Result<BalanceReport, GraphError> {
        let (year, demand, best) = self.maximize(scenario)?;
        let optimum = best.objective().max(0.0);
        let recipe_limits = if options.marginals {
            self.recipe_limits(scenario)?
        } else {
            Vec::new()
        };

        // Marginal values: the central dual is positive exactly where some optimal dual is, so
        // it picks the candidates; each candidate's one-sided derivatives come from re-solving
        // with one tonne more and one tonne less.
        let mut binding = Vec::new();
        let mut candidates: Vec<(Bound, BindingKind, Option<Stage>, Option<Country>)> = Vec::new();
        for cap in &self.capacities {
            let Some(f) = self.data.facilities.get(cap.facility) else {
                continue;
            };
            candidates.push((
                Bound::RowUpper(cap.row),
                BindingKind::Capacity {
                    facility: f.id.clone(),
                    commodity: cap.commodity,
                },
                Some(f.stage),
                Some(f.country),
            ));
        }
        for lr in &self.links {
            let Some(link) = self.data.links.get(lr.link) else {
                continue;
            };
            let to = self.data.facilities.get(lr.to);
            for (bound, floor) in [
                (Bound::RowUpper(lr.row), false),
                (Bound::RowLower(lr.row), true),
            ] {
                candidates.push((
                    bound,
                    BindingKind::Link {
                        link: link.id.clone(),
                        floor,
                    },
                    to.map(|f| f.stage),
                    to.map(|f| f.country),
                ));
            }
        }
        for b in &self.buyers {
            if let Some(buyer) = &b.demand {
                candidates.push((
                    Bound::ColumnUpper(b.column),
                    BindingKind::Demand {
                        demand: buyer.clone(),
                    },
                    None,
                    None,
                ));
            }
        }
        let scale = 1.0 + optimum;
        if !options.marginals {
            candidates.clear();
        }
        // Each candidate: its bound value, the step, and the re-solves it needs (jobs).
        let mut measured = Vec::new();
        let mut jobs: Vec<(Bound, f64, f64)> = Vec::new(); // (bound, value to solve at, value)
        // A central dual is positive exactly where some optimal dual is. A vertex's dual says
        // less (zero there may be positive in another optimal dual), so on a simplex backend
        // every bound that holds with equality is a candidate.
        let central_solution = self.solver.is_central();
        for (bound, what, stage, country) in candidates {
            let dual = best.dual(bound).unwrap_or(0.0).abs();
            let candidate = if central_solution {
                dual > 1e-6
            } else {
                dual > 1e-6 || best.slack(bound).is_some_and(|s| s <= TOLERANCE * scale)
            };
            if !candidate {
                continue;
            }
            let Some(value) = self.solver.bound(bound) else {
                continue;
            };
            let floor = matches!(bound, Bound::RowLower(_));
            if floor && value <= 0.0 {
                continue;
            }
            // One tonne, or what there is of a smaller bound. For a cap: one tonne more and
            // one less (none below zero). For a floor: one tonne less (relaxed) and one more
            // (tightened; `None` if that cannot hold).
            let step = if value > 0.0 { value.min(1.0) } else { 1.0 };
            let (relax, tighten) = if floor {
                (value - step, Some(value + step))
            } else {
                (value + step, (value > 0.0).then_some(value - step))
            };
            // A vertex whose dual on the bound is zero has an optimal dual that is: relaxing
            // the bound then gains nothing (the optimum is concave in it and cannot fall), so
            // only tightening is solved.
            let relaxes = central_solution || dual > 1e-9;
            let relaxed = relaxes.then(|| {
                jobs.push((bound, relax, value));
                jobs.len() - 1
            });
            let tightened = tighten.map(|t| {
                jobs.push((bound, t, value));
                jobs.len() - 1
            });
            measured.push((what, stage, country, value, step, relaxed, tightened));
        }
        let objective_terms: Vec<(Column, f64)> =
            self.deliveries.iter().map(|&c| (c, 1.0)).collect();
        // Ranges first: every solution they find is optimal, and may show that a marginal
        // value's re-solve has nothing to find. Nothing delivered: every feasible flow is
        // optimal, and its ranges say nothing.
        let (ranges, witnesses) = if options.ranges && optimum > TOLERANCE * scale {
            self.ranges(scenario, options, &best, optimum)?
        } else {
            (Ranges::default(), Vec::new())
        };
        // The solve is good to about 1e-11 of the optimum (1e-8 where a solve was retried at
        // a looser tolerance): derivatives are stated to the decimals that this supports (six
        // at most).
        let decimals_at = |step: f64, reduced: bool| -> u32 {
            let accuracy = if reduced {
                LOOSE_RELATIVE_ACCURACY
            } else {
                RELATIVE_ACCURACY
            };
            let noise = accuracy * scale / step;
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            // Reason: clamped to 0..=6 first.
            let decimals = (-noise.log10()).floor().clamp(0.0, 6.0) as u32;
            decimals
        };
        // A tightened bound that an optimal solution already keeps loses at most what that
        // solution falls short of the optimum: where that rounds to nothing at the decimals
        // stated, the re-solve would say the same and is not run. (On a simplex backend the
        // face is held within 1e-12 of the optimum, and a degenerate bound is often settled
        // so; on Clarabel's 1e-9 it never is.)
        let short: Vec<f64> = witnesses
            .iter()
            .map(|w| {
                let delivered: f64 = objective_terms.iter().map(|&(c, a)| a * w.value(c)).sum();
                (optimum - delivered).max(0.0)
            })
            .collect();
        let known: Vec<Option<(Option<f64>, bool)>> = jobs
            .iter()
            .map(|&(bound, at, value)| {
                if !self.settle {
                    return None;
                }
                let floor = matches!(bound, Bound::RowLower(_) | Bound::ColumnLower(_));
                let step = (at - value).abs();
                if (at > value) != floor || step <= 0.0 {
                    return None;
                }
                let negligible = 0.5 / 10_f64.powi(decimals_at(step, false).cast_signed());
                witnesses
                    .iter()
                    .zip(&short)
                    .any(|(w, &short)| {
                        short / step < negligible && w.slack(bound).is_some_and(|s| s >= step)
                    })
                    .then_some((Some(optimum), false))
            })
            .collect();
        let pending: Vec<(Bound, f64, f64)> = jobs
            .iter()
            .zip(&known)
            .filter(|(_, k)| k.is_none())
            .map(|(&job, _)| job)
            .collect();
        // Each re-solve: its optimum (none if the bound cannot hold) and whether it reached
        // only a reduced accuracy.
        // A bound's two re-solves run one after the other on one solver: the second starts
        // from the first's basis, one bound away.
        let mut groups: Vec<&[(Bound, f64, f64)]> = Vec::new();
        let mut rest: &[(Bound, f64, f64)] = &pending;
        while let Some(&(bound, _, _)) = rest.first() {
            let same = rest.iter().take_while(|j| j.0 == bound).count();
            let (group, after) = rest.split_at(same);
            groups.push(group);
            rest = after;
        }
        let solved = self.run_jobs(options.threads, &groups, |solver, group| {
            group
                .iter()
                .map(|&(bound, at, value)| {
                    solver.set_bound(bound, at)?;
                    let r = solver.maximize(&objective_terms);
                    solver.set_bound(bound, value)?;
                    match r {
                        Ok(s) => Ok((Some(s.objective()), s.reduced_accuracy())),
                        Err(FlowError::Infeasible { .. }) => Ok((None, false)),
                        Err(e) => Err(e),
                    }
                })
                .collect::<Result<Vec<_>, FlowError>>()
        })?;
        let solved: Vec<(Option<f64>, bool)> = solved.into_iter().flatten().collect();
        let mut solved = solved.into_iter();
        let optima: Vec<(Option<f64>, bool)> = known
            .into_iter()
            .map(|k| k.or_else(|| solved.next()).unwrap_or((None, false)))
            .collect();
        for (what, stage, country, value, step, relaxed, tightened) in measured {
            let solved = |k: usize| optima.get(k).copied().unwrap_or((None, false));
            let (relaxed, relaxed_reduced) = relaxed.map_or((Some(optimum), false), solved);
            let (tightened, tightened_reduced) = tightened.map_or((Some(optimum), false), solved);
            let decimals = decimals_at(
                step,
                relaxed_reduced || tightened_reduced || best.reduced_accuracy(),
            );
            let round = |v: f64| {
                Decimal::from_f64(v)
                    .unwrap_or_default()
                    .round_dp(decimals)
                    .max(Decimal::ZERO)
                    .normalize()
            };
            let gain = relaxed.map_or(Decimal::ZERO, |r| round((r - optimum) / step));
            let loss = tightened.map(|t| round((optimum - t) / step));
            if gain.is_zero() && loss == Some(Decimal::ZERO) {
                continue;
            }
            binding.push(Marginal {
                what,
                stage,
                country,
                bound: round_kg(value),
                gain_per_tonne: gain,
                loss_per_tonne: loss,
            });
        }
        // Most valuable first: a floor that cannot rise (no loss stated) before any loss.
        binding.sort_by(|a, b| {
            let key = |m: &Marginal| m.loss_per_tonne.map_or((0, Decimal::ZERO), |l| (1, -l));
            key(a).cmp(&key(b)).then_with(|| a.what.cmp(&b.what))
        });

        Ok(BalanceReport {
            target: self.target,
            year,
            deliverable: round_kg(optimum),
            demand,
            binding,
            facilities: ranges.facilities,
            stages: ranges.stages,
            links: ranges.links,
            by_products: ranges.by_products,
            recipe_limits,
        })
    }

    /// Least and most of every expression a report shows over the optimal face of
    /// `scenario` (whose optimum `best` found), with every optimal solution the solves met.
    #[allow(clippy::too_many_lines)] // Reason: one pass over facilities, groups, links, by-products.
    fn ranges(
        &mut self,
        scenario: &Scenario,
        options: &BalanceOptions,
        best: &LpSolution,
        optimum: f64,
    ) -> Result<(Ranges, Vec<LpSolution>), GraphError> {
        let scale = 1.0 + optimum;
        let central_solution = self.solver.is_central();
        // A vertex is exact to the simplex's feasibility tolerance (1e-7 t, absolute): its face
        // is taken much closer to the optimum than the interior point's.
        let level = if central_solution {
            optimum - TOLERANCE * scale
        } else {
            optimum - VERTEX_TOLERANCE * scale
        };
        self.solver
            .set_bound(Bound::RowLower(self.floor), level.max(0.0))
            .map_err(lp_error)?;
        // The solve returned the centre of the optimal face, where a column that is zero, or
        // a capacity that is full, is so in every optimal solution (its slack or value is
        // bounded away from zero otherwise): such expressions are fixed and need no solve.
        let eps = TOLERANCE * scale;
        // Only a central solve at full accuracy is trusted to tell (a vertex is one corner of
        // the face, where a column may be zero that another optimal solution uses).
        let screen = central_solution && !best.reduced_accuracy();
        // At a vertex, a dual tells instead: every feasible flow delivers the optimum less
        // each bound's dual times the flow's distance from it, so within `optimum - level` of
        // the optimum a bound whose dual is above `pinned` holds to within 0.1 kg.
        let pinned = (optimum - level).max(0.0) / 1e-4;
        let held =
            |bound: Bound| !central_solution && best.dual(bound).is_some_and(|d| d.abs() > pinned);
        let central = |terms: &[(Column, f64)]| -> f64 {
            terms.iter().map(|&(c, a)| a * best.value(c)).sum()
        };
        let fixed_at_zero = |terms: &[(Column, f64)]| {
            terms.iter().all(|&(c, _)| {
                best.value(c).abs() <= eps && (screen || held(Bound::ColumnLower(c)))
            })
        };
        // What each reported range needs: a value the centre fixes, or two solves.
        // An expression asked for twice (a stage in one country is the whole stage; a
        // facility alone in its country) is solved once.
        // Each job: its terms and a value no solution exceeds, where one is known (the lowest
        // of those its askers know).
        let mut wanted: Vec<Result<f64, usize>> = Vec::new();
        let mut jobs: Vec<Terms> = Vec::new();
        let mut ceilings: Vec<Option<f64>> = Vec::new();
        let mut asked: BTreeMap<Vec<(Column, u64)>, usize> = BTreeMap::new();
        let mut want = |terms: &[(Column, f64)], fixed: Option<f64>, ceiling: Option<f64>| {
            wanted.push(fixed.ok_or_else(|| {
                let mut key: Vec<(Column, f64)> = terms.to_vec();
                key.sort_by_key(|&(c, _)| c);
                let key: Vec<(Column, u64)> = key.iter().map(|&(c, a)| (c, a.to_bits())).collect();
                let job = *asked.entry(key).or_insert_with(|| {
                    jobs.push(terms.to_vec());
                    ceilings.push(None);
                    jobs.len() - 1
                });
                if let Some(slot) = ceilings.get_mut(job) {
                    *slot = match (*slot, ceiling) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
                job
            }));
        };
        let mut facility_ids = Vec::new();
        // Per group: its terms, while every member is fixed the sum of their values, and the
        // unit its members count in (`None` once two differ).
        let mut groups: BTreeMap<(Stage, Option<Country>), Group> = BTreeMap::new();
        for (i, terms) in self.throughput.iter().enumerate() {
            let Some(f) = self.data.facilities.get(i) else {
                continue;
            };
            if terms.is_empty() {
                continue;
            }
            let cap_row = self.throughput_cap.get(i).copied().flatten();
            let ceiling = cap_row.and_then(|row| self.solver.bound(Bound::RowUpper(row)));
            let full = cap_row.zip(ceiling).and_then(|(row, cap)| {
                let pinned = screen || held(Bound::RowUpper(row));
                (pinned && cap - central(terms) <= eps).then_some(cap)
            });
            let fixed = if fixed_at_zero(terms) {
                Some(0.0)
            } else {
                full
            };
            // Only what can feed the target counts toward a stage (another product's plants
            // would mix units into it and carry none of the target).
            // On format 1 each commodity is its own chain: a plant that states no capacity of
            // the target carries none of it.
            if let Some((measured, unit)) = self.measure.get(i)
                && !measured.is_empty()
                && self.upstream.get(i).copied().unwrap_or(false)
                && (!self.format_1 || *unit == Some(self.target))
            {
                // A full plant's throughput is fixed; what it separates of one product need
                // not be (its feed's mix may vary).
                let fixed_measure = if fixed_at_zero(measured) {
                    Some(0.0)
                } else if measured == terms {
                    fixed
                } else {
                    None
                };
                for key in [
                    (f.stage, None),
                    (f.stage, Some(f.country_by(scenario.control))),
                ] {
                    let group = groups.entry(key).or_insert_with(|| Group {
                        terms: Vec::new(),
                        fixed: Some(0.0),
                        ceiling: Some(0.0),
                        unit: *unit,
                    });
                    group.terms.extend(measured.iter().copied());
                    group.fixed = group.fixed.zip(fixed_measure).map(|(a, b)| a + b);
                    let member_ceiling = ceiling.filter(|_| measured == terms);
                    group.ceiling = group.ceiling.zip(member_ceiling).map(|(a, b)| a + b);
                    if group.unit != *unit {
                        group.unit = None;
                    }
                }
            }
            if options.facility_ranges {
                want(terms, fixed, ceiling);
                facility_ids.push(f.id.as_str().to_owned());
            }
        }
        for group in groups.values() {
            want(&group.terms, group.fixed, group.ceiling);
        }
        let mut link_ids = Vec::new();
        for lr in &self.links {
            let Some(link) = self.data.links.get(lr.link) else {
                continue;
            };
            let terms: Vec<(Column, f64)> = lr.columns.iter().map(|&c| (c, 1.0)).collect();
            let ceiling = self
                .solver
                .bound(Bound::RowUpper(lr.row))
                .filter(|v| v.is_finite());
            want(&terms, fixed_at_zero(&terms).then_some(0.0), ceiling);
            link_ids.push(link.id.as_str().to_owned());
        }
        let mut by_product_terms: BTreeMap<Commodity, Vec<(Column, f64)>> = BTreeMap::new();
        for (_, p, terms) in &self.by_products {
            by_product_terms
                .entry(*p)
                .or_default()
                .extend(terms.iter().copied());
        }
        for terms in by_product_terms.values() {
            want(terms, fixed_at_zero(terms).then_some(0.0), None);
        }
        // Every expression's most, then every least (on a simplex, consecutive objectives
        // then push the same way, so each re-solve starts near its answer). Every solution met
        // on the way is optimal, and may settle an end without a solve: an expression that
        // reaches its ceiling there has that most; one of non-negative terms that is (nearly)
        // zero there has least zero. Either rounds to the same kilogram as a solve would.
        let at = |w: &LpSolution, terms: &Terms| -> f64 {
            terms.iter().map(|&(c, a)| a * w.value(c)).sum()
        };
        let nonnegative: Vec<bool> = jobs
            .iter()
            .map(|terms| {
                terms.iter().all(|&(c, a)| {
                    a >= 0.0
                        && self
                            .solver
                            .bound(Bound::ColumnLower(c))
                            .is_some_and(|l| l >= 0.0)
                })
            })
            .collect();
        let mut witnesses = vec![best.clone()];
        let settle = self.settle;
        // A pooled solve may settle many ends at once: the weight of each open end that a
        // solution can settle (a most with a ceiling, over that ceiling; a least of non-negative
        // terms, over its value at the optimum found first).
        let most_weights: Vec<Option<f64>> = ceilings
            .iter()
            .map(|&ceiling| ceiling.filter(|&c| settle && c > 0.0).map(|c| 1.0 / c))
            .collect();
        let least_weights: Vec<Option<f64>> = jobs
            .iter()
            .zip(&nonnegative)
            .map(|(terms, &nonnegative)| {
                let value = at(best, terms);
                (settle && nonnegative && value > ZERO_WITNESS).then(|| 1.0 / value)
            })
            .collect();
        let mosts = self.range_ends(
            options.threads,
            &jobs,
            true,
            &mut witnesses,
            &most_weights,
            |k, w| {
                if !settle {
                    return None;
                }
                let ceiling = ceilings.get(k).copied().flatten()?;
                let terms = jobs.get(k)?;
                (at(w, terms) >= ceiling - CEILING_WITNESS).then_some(ceiling)
            },
        )?;
        let leasts = self.range_ends(
            options.threads,
            &jobs,
            false,
            &mut witnesses,
            &least_weights,
            |k, w| {
                if !settle {
                    return None;
                }
                let terms = jobs.get(k)?;
                (nonnegative.get(k).copied().unwrap_or(false) && at(w, terms) <= ZERO_WITNESS)
                    .then_some(0.0)
            },
        )?;
        let solved: Vec<(f64, f64)> = leasts.into_iter().zip(mosts).collect();
        let mut ranges = wanted
            .into_iter()
            .map(|want| match want {
                Ok(v) => Some((v, v)),
                Err(job) => solved.get(job).copied(),
            })
            .map(Option::unwrap_or_default);
        let mut facilities = Vec::new();
        for of in facility_ids {
            let (least, most) = ranges.next().unwrap_or_default();
            if most > eps {
                facilities.push(FlowRange {
                    of,
                    least: round_kg(least),
                    most: round_kg(most),
                });
            }
        }
        let mut stages = Vec::new();
        for (&(stage, country), group) in &groups {
            let (least, most) = ranges.next().unwrap_or_default();
            if most > eps {
                stages.push(StageRange {
                    stage,
                    country,
                    unit: group.unit,
                    least: round_kg(least),
                    most: round_kg(most),
                });
            }
        }
        let mut links = Vec::new();
        for of in link_ids {
            let (least, most) = ranges.next().unwrap_or_default();
            links.push(FlowRange {
                of,
                least: round_kg(least),
                most: round_kg(most),
            });
        }
        let mut by_products = Vec::new();
        for &commodity in by_product_terms.keys() {
            let (least, most) = ranges.next().unwrap_or_default();
            by_products.push(ByProduct {
                commodity,
                least: round_kg(least),
                most: round_kg(most),
            });
        }
        self.solver
            .set_bound(Bound::RowLower(self.floor), 0.0)
            .map_err(lp_error)?;
        Ok((
            Ranges {
                facilities,
                stages,
                links,
                by_products,
            },
            witnesses,
        ))
    }

    /// What each recipe input's own supply allows of the target, least first (ties by input).
    fn recipe_limits(&mut self, scenario: &Scenario) -> Result<Vec<RecipeLimit>, GraphError> {
        let mut limits = Vec::with_capacity(self.ingredients.len());
        for ingredient in &mut self.ingredients {
            let supply = match &mut ingredient.model {
                Some(model) => {
                    model
                        .solve_with(scenario, &BalanceOptions::DELIVERABLE_ONLY)?
                        .deliverable
                }
                None => Tonnes::ZERO,
            };
            let allows = supply
                .value()
                .checked_div(ingredient.ratio)
                .map_or(Tonnes::ZERO, |t| Tonnes::new(t.round_dp(3)));
            limits.push(RecipeLimit {
                input: ingredient.input,
                supply,
                tonnes_per_tonne: ingredient.ratio,
                allows,
            });
        }
        limits.sort_by(|a, b| a.allows.cmp(&b.allows).then(a.input.cmp(&b.input)));
        Ok(limits)
    }

    /// One end of each of `jobs` (the most, or the least) over the face the floor row holds,
    /// solved in rounds of [`RANGE_ROUND`]: before each round, the solutions met so far
    /// (`witnesses`, which gains every solution solved) settle what they can (`settles` gives
    /// a job's end from one solution, or `None`), and only the rest is solved.
    ///
    /// Pooled solves: one solve of the weighted sum of every open job that a solution can
    /// settle (`weights`: each job's weight, or `None` for one that no solution settles),
    /// pushed the same way, makes many reach their ceiling (or zero) at once. A round holds
    /// one pooled solve beside the open jobs that no solution settles, while the last pooled
    /// solve settled at least [`POOL_MINIMUM`] ends; then rounds hold any open jobs.
    fn range_ends(
        &mut self,
        threads: usize,
        jobs: &[Terms],
        most: bool,
        witnesses: &mut Vec<LpSolution>,
        weights: &[Option<f64>],
        settles: impl Fn(usize, &LpSolution) -> Option<f64>,
    ) -> Result<Vec<f64>, GraphError> {
        let mut ends: Vec<Option<f64>> = vec![None; jobs.len()];
        let mut checked = 0; // Witnesses before this one were tried on every open job.
        let mut pooling = true;
        loop {
            for (k, end) in ends.iter_mut().enumerate() {
                if end.is_none() {
                    *end = witnesses
                        .get(checked..)
                        .unwrap_or_default()
                        .iter()
                        .find_map(|w| settles(k, w));
                }
            }
            checked = witnesses.len();
            // A pooled solve of every open end a solution can settle while pooling pays, with
            // the open ends that no solution settles beside it; otherwise any open ends.
            let mut pool: BTreeMap<Column, f64> = BTreeMap::new();
            let mut pooled = 0;
            if pooling {
                for (k, terms) in jobs.iter().enumerate() {
                    if ends.get(k).is_some_and(Option::is_none)
                        && let Some(&Some(w)) = weights.get(k)
                    {
                        pooled += 1;
                        for &(c, a) in terms {
                            *pool.entry(c).or_default() += w * a;
                        }
                    }
                }
            }
            pooling = pooled >= POOL_MINIMUM;
            let round: Vec<usize> = (0..jobs.len())
                .filter(|&k| {
                    ends.get(k).is_some_and(Option::is_none)
                        && !(pooling && weights.get(k).is_some_and(Option::is_some))
                })
                .take(RANGE_ROUND - usize::from(pooling))
                .collect();
            let pool: Terms = pool.into_iter().collect();
            let terms: Vec<&Terms> = pooling
                .then_some(&pool)
                .into_iter()
                .chain(round.iter().filter_map(|&k| jobs.get(k)))
                .collect();
            if terms.is_empty() {
                break;
            }
            let mut found = self
                .run_jobs(threads, &terms, |solver, terms| {
                    solver.range_end(terms, most)
                })?
                .into_iter();
            if pooling && let Some(solution) = found.next() {
                let settled = (0..jobs.len())
                    .filter(|&k| {
                        ends.get(k).is_some_and(Option::is_none)
                            && weights.get(k).is_some_and(Option::is_some)
                            && settles(k, &solution).is_some()
                    })
                    .count();
                pooling = settled >= POOL_MINIMUM;
                witnesses.push(solution);
            }
            for (&k, solution) in round.iter().zip(found) {
                if let Some(end) = ends.get_mut(k) {
                    *end = Some(solution.objective());
                }
                witnesses.push(solution);
            }
        }
        Ok(ends.into_iter().map(Option::unwrap_or_default).collect())
    }

    /// Runs independent solves: in order on the model's solver, or, with two threads or more
    /// and at least four jobs, on it and on a copy of it on a helper thread (same bounds), each
    /// taking the next job not yet taken, so that neither waits while the other has a long
    /// solve. A job gives the same answer on either solver (Clarabel starts every solve afresh;
    /// HiGHS' answers are optimal values, equal to its tolerance), and results come back in job
    /// order.
    fn run_jobs<J: Sync, T: Send>(
        &mut self,
        threads: usize,
        jobs: &[J],
        work: impl Fn(&mut LpSolver, &J) -> Result<T, FlowError> + Sync,
    ) -> Result<Vec<T>, GraphError> {
        let threads = match threads {
            0 => std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            n => n,
        };
        if threads < 2 || jobs.len() < 4 {
            return jobs
                .iter()
                .map(|j| work(&mut self.solver, j).map_err(lp_error))
                .collect();
        }
        let helper = match &mut self.helper {
            Some(h) => {
                h.copy_bounds_from(&self.solver);
                h
            }
            slot @ None => slot.insert(self.solver.try_clone().map_err(lp_error)?),
        };
        let main = &mut self.solver;
        let work = &work;
        let next = std::sync::atomic::AtomicUsize::new(0);
        let next = &next;
        // Each thread: (job index, result) for every job it took.
        let take = move |solver: &mut LpSolver| {
            let mut done = Vec::new();
            loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(job) = jobs.get(k) else {
                    return done;
                };
                done.push((k, work(solver, job)));
            }
        };
        let (first, second) = std::thread::scope(|scope| {
            let other = scope.spawn(move || take(helper));
            let first = take(main);
            (first, other.join())
        });
        let second = second.map_err(|_| GraphError::Internal {
            reason: "a solver thread panicked",
        })?;
        let mut results: Vec<Option<Result<T, FlowError>>> =
            std::iter::repeat_with(|| None).take(jobs.len()).collect();
        for (k, r) in first.into_iter().chain(second) {
            if let Some(slot) = results.get_mut(k) {
                *slot = Some(r);
            }
        }
        results
            .into_iter()
            .map(|r| {
                r.ok_or(GraphError::Internal {
                    reason: "a solve's result is missing",
                })?
                .map_err(lp_error)
            })
            .collect()
    }

    /// The records whose bounds conflict, as a typed error.
    fn infeasible(&self, bounds: &[Bound]) -> GraphError {
        let mut records = BTreeSet::new();
        for bound in bounds {
            for cap in &self.capacities {
                if *bound == Bound::RowUpper(cap.row)
                    && let Some(f) = self.data.facilities.get(cap.facility)
                {
                    records.insert(format!("facility {} ({} capacity)", f.id, cap.commodity));
                }
            }
            for lr in &self.links {
                if matches!(bound, Bound::RowUpper(r) | Bound::RowLower(r) if *r == lr.row)
                    && let Some(l) = self.data.links.get(lr.link)
                {
                    let side = if matches!(bound, Bound::RowLower(_)) {
                        "floor"
                    } else {
                        "cap"
                    };
                    records.insert(format!("link {} ({side})", l.id));
                }
            }
        }
        GraphError::Lp {
            message: "the scenario's bounds cannot all hold".to_owned(),
            records: records.into_iter().collect(),
        }
    }
}

/// Sends column `x` into a destination country of a market's material and stage: into its
/// one consumer's incoming terms, or into its hub row (whose terms hold the consumers' draws).
#[allow(clippy::indexing_slicing)] // Reason: consumers are positions in `incoming`.
fn deliver_to(
    incoming: &mut [BTreeMap<Material, Terms>],
    hubs: &mut BTreeMap<(Material, Stage, Country), Terms>,
    by_country: &BTreeMap<Country, Vec<usize>>,
    (m, stage, country): (Material, Stage, Country),
    x: Column,
) -> Option<Node> {
    match by_country.get(&country).map(Vec::as_slice) {
        Some([only]) => {
            incoming[*only].entry(m).or_default().push((x, 1.0));
            Some(Node::Facility(*only))
        }
        Some(_) => {
            let hub = hubs.get_mut(&(m, stage, country))?;
            hub.push((x, 1.0));
            Some(Node::Hub((m, stage, country)))
        }
        None => None,
    }
}

/// What counts toward `target`, with tonnes of target per tonne of each part: the target itself
/// where a facility makes it (`made` lists what facilities make); otherwise, for a target on the
/// contained-element basis, every product of its form whose elements are among the target's
/// (separated NdPr, Dy, Tb and `DyTb` oxide for `DyTbNdPr:oxide@contained`), each at its
/// contained-element factor. Each tonne leaves the chain once, as one product, so products that
/// share an element (`DyTb` and Dy oxide) are not counted twice. The factor is the exact
/// stoichiometric one for a single element; for a mix (NdPr), the one of the composition a
/// reduction of it names (`mix`: the Nd and Pr metal the dataset's own metal makers get from a
/// tonne), else the smallest of its elements' factors (a lower bound: supply is never
/// overstated).
///
/// # Errors
/// [`GraphError::UnknownCommodity`] if nothing makes the target or any product of it;
/// [`GraphError::CompositeTarget`] if an element of the target is in no product.
fn parts_of(
    data: &ValidDataset,
    target: &Commodity,
    made: impl Iterator<Item = Commodity>,
) -> Result<BTreeMap<Commodity, f64>, GraphError> {
    let made: BTreeSet<Commodity> = made.collect();
    if made.contains(target) {
        return Ok(BTreeMap::from([(*target, 1.0)]));
    }
    let unknown = || GraphError::UnknownCommodity { commodity: *target };
    if target.basis() != Basis::ContainedElement {
        return Err(unknown());
    }
    let candidates: Vec<Commodity> = made
        .into_iter()
        .filter(|c| {
            c.form() == target.form()
                && c.basis() != Basis::ContainedElement
                && target.elements().includes(&c.elements())
        })
        .collect();
    if candidates.is_empty() {
        return Err(unknown());
    }
    let missing: Vec<&str> = target
        .elements()
        .iter()
        .filter(|e| !candidates.iter().any(|c| c.elements().contains(*e)))
        .map(Element::symbol)
        .collect();
    if !missing.is_empty() {
        return Err(GraphError::CompositeTarget {
            target: *target,
            reason: format!(
                "no facility makes {} in {} form",
                missing.join(", "),
                target.form()
            ),
        });
    }
    let mut parts = BTreeMap::new();
    for c in candidates {
        // The mix a reduction of it names; where several do, the first by id (not by record
        // order, so the answer does not depend on it).
        let mix = data
            .facilities
            .iter()
            .filter_map(|f| match &f.process {
                Some(Process::Reduction { mix: Some(id), .. })
                    if f.capacities
                        .iter()
                        .any(|k| k.commodity.elements() == c.elements()) =>
                {
                    Some(id.as_str())
                }
                _ => None,
            })
            .min()
            .and_then(|id| data.composition(id));
        let smallest = || {
            c.elements()
                .iter()
                .filter_map(|e| e.oxide().map(|o| f64_of(o.metal_per_oxide())))
                .reduce(f64::min)
        };
        let factor = metal_per_oxide(c, mix).or_else(smallest).ok_or_else(|| {
            GraphError::CompositeTarget {
                target: *target,
                reason: format!("{c} has no conventional oxide to count its elements from"),
            }
        })?;
        parts.insert(c, factor);
    }
    Ok(parts)
}

/// Metal per tonne of oxide for `commodity`'s elements: the exact stoichiometric factor for one
/// element; for several, the mean of their factors weighted by their shares in `mix`.
fn metal_per_oxide(commodity: Commodity, mix: Option<&FeedComposition>) -> Option<f64> {
    let elements: Vec<Element> = commodity.elements().iter().collect();
    if let [single] = elements.as_slice() {
        return single.oxide().map(|o| f64_of(o.metal_per_oxide()));
    }
    let mix = mix?;
    let mut total = Decimal::ZERO;
    let mut weighted = Decimal::ZERO;
    for element in &elements {
        if let Some(share) = mix.shares.get(element) {
            total += share.value();
            weighted += share.value() * element.oxide()?.metal_per_oxide();
        }
    }
    (!total.is_zero()).then(|| f64_of(weighted / total))
}

/// The total demand for `target` in `year` and `case` over the dataset's buyers: per buyer the
/// stated figures of the year (several records of one year add up), or on format 2 a linear
/// interpolation between the stated years around it (no extrapolation); `None` where a buyer of
/// the case has no figure for the year (a partial total would read as the whole demand). This is the
/// demand a [`BalanceModel`] built with [`BalanceModel::build`] caps its buyers at.
///
/// ```
/// # use midstream_domain::Dataset;
/// let data = Dataset::from_json_str(r#"{"format_version": 2, "name": "d", "as_of": "2024-12-31",
///   "facilities": [{"id": "m", "name": "M", "country": "AU", "stage": "mining",
///     "maturity": "operating", "capacities": [{"commodity": "NdPr:oxide",
///     "tonnes_per_year": "10", "basis": "nameplate"}]}],
///   "demand": [
///     {"id": "a", "buyer": "World", "commodity": "NdPr:oxide", "tonnes_per_year": "100",
///      "year": 2024, "case": "base"},
///     {"id": "b", "buyer": "World", "commodity": "NdPr:oxide", "tonnes_per_year": "160",
///      "year": 2030, "case": "base"}]}"#)?.validate()?;
/// let ndpr = "NdPr:oxide".parse()?;
/// let d = midstream_graph::stated_demand(&data, &ndpr, Some("base"), 2026);
/// assert_eq!(d.map(|t| t.to_string()), Some("120 t".to_owned()));
/// assert_eq!(midstream_graph::stated_demand(&data, &ndpr, Some("base"), 2031), None);
/// assert_eq!(midstream_graph::demand_cases(&data, &ndpr), vec![Some("base".to_owned())]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn stated_demand(
    data: &ValidDataset,
    target: &Commodity,
    case: Option<&str>,
    year: i32,
) -> Option<Tonnes> {
    let buyers: BTreeSet<(&str, Option<Country>)> = data
        .demand
        .iter()
        .filter(|d| d.commodity == *target && d.case.as_deref() == case)
        .map(|d| (d.buyer.as_str(), d.country))
        .collect();
    // Every buyer of the case must have a figure for the year: a total that leaves one out
    // would read as the whole demand.
    let figures: Option<Vec<Decimal>> = buyers
        .into_iter()
        .map(|b| demand_in(data, target, b, case, year, data.format_version >= 2))
        .map(|d| d.map(|d| d.round_dp(3)))
        .collect();
    figures
        .filter(|f| !f.is_empty())
        .map(|f| Tonnes::new(f.into_iter().sum()))
}

/// The named demand cases of `target` in the dataset, in order (`None` for records without a
/// case).
#[must_use]
pub fn demand_cases(data: &ValidDataset, target: &Commodity) -> Vec<Option<String>> {
    let cases: BTreeSet<Option<String>> = data
        .demand
        .iter()
        .filter(|d| d.commodity == *target)
        .map(|d| d.case.clone())
        .collect();
    cases.into_iter().collect()
}

/// A buyer's (name and country) demand for `target` in `year` and `case`: the stated figures
/// of the year (summed), or, when `interpolate`, a linear interpolation between the stated
/// years around it; `None` otherwise (format 1 reads the year's records only, as the max-flow
/// graph does).
fn demand_in(
    data: &ValidDataset,
    target: &Commodity,
    (buyer, country): (&str, Option<Country>),
    case: Option<&str>,
    year: i32,
    interpolate: bool,
) -> Option<Decimal> {
    // The buyer's demand per stated year (several records of one year add up).
    let mut by_year: BTreeMap<i32, Decimal> = BTreeMap::new();
    for d in data.demand.iter().filter(|d| {
        d.commodity == *target
            && d.buyer == buyer
            && d.country == country
            && d.case.as_deref() == case
    }) {
        *by_year.entry(d.year).or_default() += d.tonnes_per_year.value();
    }
    if let Some(stated) = by_year.get(&year) {
        return Some(*stated);
    }
    let points: Vec<(i32, Decimal)> = by_year.into_iter().collect();
    if !interpolate {
        return None;
    }
    let before = points.iter().rev().find(|p| p.0 < year)?;
    let after = points.iter().find(|p| p.0 > year)?;
    let span = Decimal::from(after.0 - before.0);
    let into = Decimal::from(year - before.0);
    Some(before.1 + (after.1 - before.1) * into / span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use midstream_data::synthetic::{MaterialConfig, generate_material};

    /// Range ends and marginal values that earlier solutions settle read as a solve gives
    /// them: the analysis with settling equals the one that solves every end and re-solve,
    /// on a generated chain (magnets by recipe, joint separation) and an embedded dataset.
    #[test]
    fn settled_ends_and_marginal_values_match_solved_ones() {
        let generated = generate_material(&MaterialConfig::new(60, 7))
            .validate()
            .unwrap();
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../midstream-data/data/rare-earths-2025.json");
        let embedded = midstream_domain::Dataset::from_json_file(&file)
            .unwrap()
            .validate()
            .unwrap();
        let cases = [
            (&generated, "NdPr:magnet"),
            (&generated, "NdPr:oxide"),
            (&embedded, "NdPr:oxide"),
            (&embedded, "Dy:oxide"),
        ];
        let options = BalanceOptions {
            threads: 1,
            ..BalanceOptions::default()
        };
        let backends = [
            midstream_flow::LpBackend::Clarabel,
            #[cfg(feature = "highs")]
            midstream_flow::LpBackend::Highs,
        ];
        let mut settled_any = false;
        for ((data, target), backend) in cases
            .into_iter()
            .flat_map(|case| backends.iter().map(move |&b| (case, b)))
        {
            let target: Commodity = target.parse().unwrap();
            let build = || {
                BalanceModel::build(data, &target)
                    .unwrap()
                    .with_backend(backend)
                    .unwrap()
            };
            let mut settled = build();
            let mut solved = build();
            solved.settle = false;
            for scenario in [
                Scenario::baseline(),
                Scenario {
                    export_stops: ["CN".parse().unwrap()].into(),
                    ..Scenario::default()
                },
            ] {
                let a = settled.solve_with(&scenario, &options).unwrap();
                let b = solved.solve_with(&scenario, &options).unwrap();
                assert_eq!(a, b, "{target} on {backend:?} under {scenario:?}");
                settled_any |= !a.stages.is_empty();
            }
        }
        assert!(settled_any, "the cases have ranges to settle");
    }
}
