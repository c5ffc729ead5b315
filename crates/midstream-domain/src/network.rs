//! How facilities connect ([`Link`]) and who needs the output ([`Demand`]).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::commodity::Commodity;
use crate::country::Country;
use crate::facility::{Estimate, FacilityId};
use crate::id::record_id;
use crate::quantity::Tonnes;
use crate::source::SourceId;

record_id!(
    /// Identifier of a [`Link`], unique in its dataset.
    LinkId,
    "link"
);

record_id!(
    /// Identifier of a [`Demand`], unique in its dataset.
    DemandId,
    "demand"
);

/// The kind of a restriction on a link.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RestrictionKind {
    /// Shipments need an export licence (e.g. China's 2025 controls on Dy and Tb).
    ExportLicence,
    /// Shipments are capped by a quota.
    Quota,
    /// Shipments are banned.
    Ban,
}

/// A restriction on what may flow over a link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Restriction {
    /// What kind of restriction.
    pub kind: RestrictionKind,
    /// The country that imposes it.
    pub imposed_by: Country,
    /// Details (the measure, its date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where it is reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceId>,
}

/// A possible flow from one facility to another.
///
/// Links are optional: where a dataset gives none between two stages, the graph connects them
/// through market hubs. A link's stages must be able to feed each other
/// ([`crate::Stage::can_feed`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// Identifier, unique among the dataset's links.
    pub id: LinkId,
    /// The supplying facility.
    pub from: FacilityId,
    /// The receiving facility.
    pub to: FacilityId,
    /// What flows; without it, any commodity the supplier produces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commodity: Option<Commodity>,
    /// A cap in tonnes per year (a contract, a quota); without it, no cap beyond the
    /// facilities' own capacities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tonnes_per_year: Option<Tonnes>,
    /// A floor in tonnes per year (a take-or-pay offtake, a known trade), format 2: the flow
    /// must carry at least this much while the link is valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_tonnes_per_year: Option<Tonnes>,
    /// First calendar year the link holds (format 2); without it, from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_year: Option<i32>,
    /// Last calendar year the link holds (format 2); without it, open-ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_year: Option<i32>,
    /// Whether the link takes the supplier off the market: it then ships only along its
    /// exclusive links. Default: exclusive in format 1 (as format 1 always read links), not
    /// exclusive in format 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive: Option<bool>,
    /// A restriction on the flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restriction: Option<Restriction>,
    /// Where it is reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceId>,
}

/// A buyer's yearly need for a commodity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    /// Identifier, unique among the dataset's demands.
    pub id: DemandId,
    /// Who needs it (a country's industry, a company, a region).
    pub buyer: String,
    /// Where the buyer is; absent for a global or regional figure that no one country holds
    /// (such demand is served from world markets only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
    /// What is needed.
    pub commodity: Commodity,
    /// Tonnes per year.
    pub tonnes_per_year: Tonnes,
    /// The calendar year of the need.
    pub year: i32,
    /// The named demand case the figure belongs to (format 2), e.g. `"IEA STEPS"`; between the
    /// stated years of one buyer, commodity and case, demand is interpolated linearly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// Set when the figure is an estimate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Estimate>,
    /// Where it is reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceId>,
    /// What the figure covers, where the fields do not say it (e.g. which elements).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
