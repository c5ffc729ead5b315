//! Facilities (operating plants and projects alike) and what is known about them: capacity,
//! maturity, milestones, offtake and financing.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::commodity::Commodity;
use crate::country::Country;
use crate::id::record_id;
use crate::quantity::{Tonnes, Usd};
use crate::source::SourceId;
use crate::stage::Stage;
use crate::value_error::ParseError;

record_id!(
    /// Identifier of a [`Facility`], unique in its dataset.
    FacilityId,
    "facility"
);

/// How far a facility is from delivering: the ladder from a mapped occurrence to an operating
/// plant, plus the two states after operation.
///
/// The ladder is what separates signals from supply: a letter of interest or an MoU is a step
/// above a defined resource and far below a financed or operating plant.
///
/// ```
/// use midstream_domain::Maturity;
/// assert!(Maturity::LetterOfInterest < Maturity::Financed);
/// assert!(Maturity::Operating.is_operating());
/// assert!(!Maturity::Construction.is_operating());
/// assert!(Maturity::Construction.is_project());
/// ```
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Maturity {
    /// A known mineral occurrence; no resource estimate.
    Occurrence,
    /// Under exploration (drilling, sampling).
    Exploration,
    /// A resource estimate exists (reported to a code such as JORC or NI 43-101, or announced
    /// without one; the milestones and sources say which).
    ResourceDefined,
    /// A letter of interest, letter of intent or memorandum of understanding: a signal, not a
    /// commitment.
    LetterOfInterest,
    /// Engineering studies under way or done (scoping/PEA, pre-feasibility, definitive
    /// feasibility).
    Studies,
    /// Main permits granted.
    Permitted,
    /// Financing committed (final investment decision taken).
    Financed,
    /// Under construction.
    Construction,
    /// Commissioning and ramp-up.
    Commissioning,
    /// In commercial operation.
    Operating,
    /// Operation suspended (care and maintenance).
    Suspended,
    /// Closed for good.
    Closed,
}

impl Maturity {
    /// Every maturity, in ladder order.
    pub const ALL: [Maturity; 12] = [
        Maturity::Occurrence,
        Maturity::Exploration,
        Maturity::ResourceDefined,
        Maturity::LetterOfInterest,
        Maturity::Studies,
        Maturity::Permitted,
        Maturity::Financed,
        Maturity::Construction,
        Maturity::Commissioning,
        Maturity::Operating,
        Maturity::Suspended,
        Maturity::Closed,
    ];

    /// The development ladder, occurrence to operating, in order (suspension and closure are
    /// off it: they are where a facility goes after operating, not steps towards it).
    pub const LADDER: [Maturity; 10] = [
        Maturity::Occurrence,
        Maturity::Exploration,
        Maturity::ResourceDefined,
        Maturity::LetterOfInterest,
        Maturity::Studies,
        Maturity::Permitted,
        Maturity::Financed,
        Maturity::Construction,
        Maturity::Commissioning,
        Maturity::Operating,
    ];

    /// Whether the facility produces now (operating, or commissioning and ramping up).
    #[must_use]
    pub const fn is_producing(self) -> bool {
        matches!(self, Maturity::Commissioning | Maturity::Operating)
    }

    /// Whether the facility is in commercial operation.
    #[must_use]
    pub const fn is_operating(self) -> bool {
        matches!(self, Maturity::Operating)
    }

    /// Whether the facility has not reached production yet (occurrence through construction).
    #[must_use]
    pub const fn is_project(self) -> bool {
        (self as u8) < (Maturity::Commissioning as u8)
    }

    /// The snake-case name used in datasets.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Maturity::Occurrence => "occurrence",
            Maturity::Exploration => "exploration",
            Maturity::ResourceDefined => "resource_defined",
            Maturity::LetterOfInterest => "letter_of_interest",
            Maturity::Studies => "studies",
            Maturity::Permitted => "permitted",
            Maturity::Financed => "financed",
            Maturity::Construction => "construction",
            Maturity::Commissioning => "commissioning",
            Maturity::Operating => "operating",
            Maturity::Suspended => "suspended",
            Maturity::Closed => "closed",
        }
    }
}

impl fmt::Display for Maturity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Maturity {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        let key = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let alias = match key.as_str() {
            "loi" | "mou" | "letter_of_intent" => Some(Maturity::LetterOfInterest),
            _ => None,
        };
        alias
            .or_else(|| Maturity::ALL.into_iter().find(|m| m.as_str() == key))
            .ok_or_else(|| ParseError::new("maturity", s, "not a step of the maturity ladder"))
    }
}

/// A capital cost as published: what building (or expanding) the facility costs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Capex {
    /// Total capital cost in US dollars. A figure published in another currency is converted
    /// and marked as an estimate, with the rate and its source in the method.
    pub amount: Usd,
    /// The year of the figure (announcement or price basis), if stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Set when the figure is an estimate (a range's end, a conversion), with how it was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Estimate>,
    /// Where it is reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceId>,
    /// What the figure covers (phases, stages, what is shared with other facilities).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Marks a figure as an estimate and says how it was made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Estimate {
    /// How the figure was estimated (inputs, arithmetic, assumptions).
    pub method: String,
}

/// A figure computed from another capacity of the same facility by a factor (e.g. contained
/// NdPr oxide = REO output × NdPr share of the ore's REO).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Derivation {
    /// The commodity of the capacity this one is derived from (same facility).
    pub from: Commodity,
    /// The factor applied: this capacity = that capacity × factor, to the precision this one
    /// is stated with.
    #[serde(deserialize_with = "crate::quantity::deserialize_decimal")]
    #[serde(serialize_with = "serialize_decimal_str")]
    #[schemars(schema_with = "factor_schema")]
    pub factor: Decimal,
    /// Where the factor comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceId>,
    /// How the factor was obtained (e.g. "Nd2O3 + Pr6O11 share of TREO in the ore").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

pub(crate) fn factor_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "A positive decimal factor (dimensionless), exact.",
        "type": ["string", "number"],
        "pattern": "^[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$"
    })
}

pub(crate) fn serialize_decimal_str<S: serde::Serializer>(
    d: &Decimal,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.to_string())
}

/// Capacity from a given year on (a step of a ramp-up or expansion schedule).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RampStep {
    /// First calendar year at this capacity.
    pub year: i32,
    /// Tonnes per year from that year on.
    pub tonnes: Tonnes,
}

/// A facility's yearly capacity for one commodity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Capacity {
    /// What the capacity is of (the facility's output, on the commodity's basis).
    pub commodity: Commodity,
    /// Capacity in tonnes per year, on the basis `basis` says (nameplate unless stated).
    pub tonnes_per_year: Tonnes,
    /// What the figure measures: nameplate, output in `year`, or a quota for `year`. Required
    /// in format 2; a format-1 figure states none (and is read as nameplate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<crate::material::CapacityBasis>,
    /// The year an output or quota figure belongs to (format 2; required for those bases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Ramp or expansion schedule: from each step's year on, the capacity is that step's
    /// tonnes; before the first step it is zero. Empty: nameplate in every year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ramp: Vec<RampStep>,
    /// The stated low and high of the figure (format 2): a guidance range, an estimate's
    /// bounds. The outlook draws the capacity within them (docs/methodology.md §5.5); every
    /// other analysis uses `tonnes_per_year`.
    /// (Boxed: most capacities state none, and a million of them should pay little for it.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<Box<CapacityRange>>,
    /// Set when the figure is an estimate rather than a reported number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Estimate>,
    /// Set when the figure is derived from another capacity of the facility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived: Option<Derivation>,
    /// Where the figure comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceId>,
}

/// The stated low and high of a capacity figure, in tonnes per year (the figure itself lies
/// between them). With a ramp, each year's capacity moves by the same proportions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityRange {
    /// The low end.
    pub low: Tonnes,
    /// The high end.
    pub high: Tonnes,
}

impl Capacity {
    /// The capacity available in `year`, per the ramp schedule (nameplate if there is none).
    ///
    /// ```
    /// use midstream_domain::Capacity;
    /// let c: Capacity = serde_json::from_str(r#"{
    ///     "commodity": "NdPr:oxide", "tonnes_per_year": "1000",
    ///     "ramp": [{"year": 2026, "tonnes": "400"}, {"year": 2027, "tonnes": "1000"}]
    /// }"#)?;
    /// assert!(c.in_year(2025).is_zero());
    /// assert_eq!(c.in_year(2026).to_string(), "400 t");
    /// assert_eq!(c.in_year(2030).to_string(), "1000 t");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn in_year(&self, year: i32) -> Tonnes {
        if self.ramp.is_empty() {
            return self.tonnes_per_year;
        }
        self.ramp
            .iter()
            .filter(|step| step.year <= year)
            .max_by_key(|step| step.year)
            .map_or(Tonnes::ZERO, |step| step.tonnes)
    }
}

/// The kind of a dated event in a facility's life, in the order they normally happen.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MilestoneKind {
    /// Project or intention announced.
    Announced,
    /// Resource estimate published.
    ResourceEstimate,
    /// Letter of interest, of intent, or MoU signed.
    LetterOfInterest,
    /// Scoping study / preliminary economic assessment completed.
    ScopingStudy,
    /// Pre-feasibility study completed.
    PreFeasibilityStudy,
    /// Definitive (bankable) feasibility study completed.
    FeasibilityStudy,
    /// Main permits granted.
    PermitGranted,
    /// Final investment decision taken.
    FinalInvestmentDecision,
    /// Construction started.
    ConstructionStart,
    /// Commissioning started.
    CommissioningStart,
    /// First product shipped or produced.
    FirstProduction,
    /// Nameplate capacity reached.
    Nameplate,
    /// Operation suspended.
    Suspended,
    /// Closed.
    Closed,
}

impl MilestoneKind {
    /// The chain of milestones whose dates must not go backwards that this kind belongs to, and
    /// its position in it: the studies (scoping → pre-feasibility → feasibility) and the build
    /// (construction start → commissioning start → first production → nameplate). Other kinds
    /// (announcement, resource estimate, letter of interest, permit, investment decision,
    /// suspension, closure) have no fixed place: a permit may precede the feasibility study, an
    /// export-credit letter often follows it, early works may start before the decision.
    #[must_use]
    pub const fn chain(self) -> Option<(MilestoneChain, u8)> {
        match self {
            MilestoneKind::ScopingStudy => Some((MilestoneChain::Studies, 0)),
            MilestoneKind::PreFeasibilityStudy => Some((MilestoneChain::Studies, 1)),
            MilestoneKind::FeasibilityStudy => Some((MilestoneChain::Studies, 2)),
            MilestoneKind::ConstructionStart => Some((MilestoneChain::Build, 0)),
            MilestoneKind::CommissioningStart => Some((MilestoneChain::Build, 1)),
            MilestoneKind::FirstProduction => Some((MilestoneChain::Build, 2)),
            MilestoneKind::Nameplate => Some((MilestoneChain::Build, 3)),
            _ => None,
        }
    }

    /// The snake-case name used in datasets, e.g. `"first_production"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            MilestoneKind::Announced => "announced",
            MilestoneKind::ResourceEstimate => "resource_estimate",
            MilestoneKind::LetterOfInterest => "letter_of_interest",
            MilestoneKind::ScopingStudy => "scoping_study",
            MilestoneKind::PreFeasibilityStudy => "pre_feasibility_study",
            MilestoneKind::FeasibilityStudy => "feasibility_study",
            MilestoneKind::PermitGranted => "permit_granted",
            MilestoneKind::FinalInvestmentDecision => "final_investment_decision",
            MilestoneKind::ConstructionStart => "construction_start",
            MilestoneKind::CommissioningStart => "commissioning_start",
            MilestoneKind::FirstProduction => "first_production",
            MilestoneKind::Nameplate => "nameplate",
            MilestoneKind::Suspended => "suspended",
            MilestoneKind::Closed => "closed",
        }
    }
}

impl fmt::Display for MilestoneKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A sequence of milestones whose dates must not go backwards ([`MilestoneKind::chain`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MilestoneChain {
    /// Scoping study → pre-feasibility → feasibility.
    Studies,
    /// Construction start → commissioning start → first production → nameplate.
    Build,
}

/// Whether a milestone has happened.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    /// It happened on the date given.
    Achieved,
    /// It is announced or expected for the date given.
    Planned,
}

/// A dated event in a facility's life.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// What happened or is to happen.
    pub kind: MilestoneKind,
    /// When (for a planned milestone: the announced target).
    #[serde(deserialize_with = "crate::date::required")]
    pub date: NaiveDate,
    /// Achieved or planned.
    pub status: MilestoneStatus,
    /// Where it is reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceId>,
    /// Details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An agreement to buy part of a facility's output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Offtake {
    /// The buyer.
    pub buyer: String,
    /// The buyer's country, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_country: Option<Country>,
    /// What is bought (one of the facility's capacity commodities).
    pub commodity: Commodity,
    /// Tonnes per year (or the stated maximum, for a take-or-pay range).
    pub tonnes_per_year: Tonnes,
    /// First day of the term, if stated.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::date::optional"
    )]
    pub start: Option<NaiveDate>,
    /// Last day of the term, if stated.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::date::optional"
    )]
    pub end: Option<NaiveDate>,
    /// Whether it is a binding contract (as opposed to an MoU, term sheet or letter of intent).
    pub binding: bool,
    /// Where it is reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceId>,
    /// Terms the fields do not hold (a price floor, "ten years from commissioning").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Offtake {
    /// Whether the term covers any day of `year` (an open start or end is unbounded).
    #[must_use]
    pub fn is_active_in(&self, year: i32) -> bool {
        use chrono::Datelike;
        self.start.is_none_or(|s| s.year() <= year) && self.end.is_none_or(|e| e.year() >= year)
    }
}

/// The financing instrument.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Instrument {
    /// A letter of interest (e.g. from an export-credit agency): no commitment.
    LetterOfInterest,
    /// A loan.
    Loan,
    /// A loan guarantee.
    LoanGuarantee,
    /// Equity.
    Equity,
    /// A grant or subsidy.
    Grant,
    /// Prepayment by an offtaker.
    OfftakePrepayment,
}

/// Where a financing stands, from an interest letter to money paid out.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FinancingStatus {
    /// Interest expressed (letter of interest or support).
    InterestLetter,
    /// Application filed or under due diligence.
    Applied,
    /// Conditional commitment (term sheet, conditional approval).
    ConditionalCommitment,
    /// Committed (approved, agreement signed).
    Committed,
    /// Disbursed, at least in part.
    Disbursed,
    /// Withdrawn, cancelled or lapsed.
    Withdrawn,
}

/// The snake-case name of a unit enum variant, as written in datasets (e.g.
/// `letter_of_interest`).
pub(crate) fn serde_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl fmt::Display for Instrument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_name(self))
    }
}

impl fmt::Display for FinancingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_name(self))
    }
}

/// A financing of a facility.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Financing {
    /// The instrument.
    pub instrument: Instrument,
    /// Who provides it (a bank, an agency, an investor).
    pub lender: String,
    /// The amount, where stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Usd>,
    /// Where it stands.
    pub status: FinancingStatus,
    /// Date of the latest status.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::date::optional"
    )]
    pub date: Option<NaiveDate>,
    /// Where it is reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceId>,
    /// Terms the fields do not hold (e.g. one letter covering two projects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A plant or a project at one stage of the chain. Operating plants and projects share this
/// type; [`Maturity`] tells them apart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Facility {
    /// Identifier, unique among the dataset's facilities.
    pub id: FacilityId,
    /// Name.
    pub name: String,
    /// Operator or owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// Where it is.
    pub country: Country,
    /// The country of its owner or controlling shareholder, where it differs from the site's
    /// (format 2): alignment and export stops can be judged by owner as well as by site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_country: Option<Country>,
    /// The stage it performs. An integrated site with several stages is several facilities
    /// linked together.
    pub stage: Stage,
    /// How far it is from delivering.
    pub maturity: Maturity,
    /// Yearly capacity per commodity; at most one entry per commodity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacities: Vec<Capacity>,
    /// How it turns inputs into outputs (format 2). Without one, it passes each capacity
    /// commodity through unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<crate::material::Process>,
    /// A sponsor's stated aim (format 2): reported, never counted as capacity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aim: Option<crate::material::Aim>,
    /// Dated events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    /// Offtake agreements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offtakes: Vec<Offtake>,
    /// Financing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub financing: Vec<Financing>,
    /// Capital cost, where one is published (projects: what it takes to build).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capex: Option<Capex>,
    /// Sources for the record as a whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceId>,
    /// Free-text remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Facility {
    /// The capacity entry for `commodity`, if any.
    #[must_use]
    pub fn capacity(&self, commodity: &Commodity) -> Option<&Capacity> {
        self.capacities.iter().find(|c| &c.commodity == commodity)
    }

    /// The country whose alignment and export policy governs the facility under `control`:
    /// the site's, or the owner's where the dataset names one.
    #[must_use]
    pub fn country_by(&self, control: crate::material::Control) -> Country {
        match control {
            crate::material::Control::Site => self.country,
            crate::material::Control::Owner => self.owner_country.unwrap_or(self.country),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maturity_ladder() {
        assert!(Maturity::ALL.windows(2).all(|w| w[0] < w[1]));
        let projects: Vec<_> = Maturity::ALL
            .into_iter()
            .filter(|m| m.is_project())
            .collect();
        assert_eq!(projects.len(), 8);
        assert_eq!(projects.last(), Some(&Maturity::Construction));
        assert!(Maturity::Commissioning.is_producing());
        assert!(!Maturity::Suspended.is_producing());
        assert!(!Maturity::Suspended.is_project());
        for m in Maturity::ALL {
            assert_eq!(m.to_string().parse::<Maturity>().unwrap(), m);
            assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{m}\""));
        }
        assert_eq!(
            "MoU".parse::<Maturity>().unwrap(),
            Maturity::LetterOfInterest
        );
    }

    #[test]
    fn milestone_names_match_serde() {
        for kind in [
            MilestoneKind::Announced,
            MilestoneKind::ResourceEstimate,
            MilestoneKind::LetterOfInterest,
            MilestoneKind::ScopingStudy,
            MilestoneKind::PreFeasibilityStudy,
            MilestoneKind::FeasibilityStudy,
            MilestoneKind::PermitGranted,
            MilestoneKind::FinalInvestmentDecision,
            MilestoneKind::ConstructionStart,
            MilestoneKind::CommissioningStart,
            MilestoneKind::FirstProduction,
            MilestoneKind::Nameplate,
            MilestoneKind::Suspended,
            MilestoneKind::Closed,
        ] {
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{kind}\""));
        }
    }

    #[test]
    fn financing_enums_display_as_in_datasets() {
        assert_eq!(
            Instrument::LetterOfInterest.to_string(),
            "letter_of_interest"
        );
        assert_eq!(
            FinancingStatus::ConditionalCommitment.to_string(),
            "conditional_commitment"
        );
    }

    #[test]
    fn ramp_is_a_step_function() {
        let c: Capacity = serde_json::from_str(
            r#"{"commodity": "Dy:oxide", "tonnes_per_year": 100,
                "ramp": [{"year": 2027, "tonnes": 100}, {"year": 2025, "tonnes": 50}]}"#,
        )
        .unwrap();
        assert!(c.in_year(2024).is_zero());
        assert_eq!(c.in_year(2025).value(), Decimal::from(50));
        assert_eq!(c.in_year(2026).value(), Decimal::from(50));
        assert_eq!(c.in_year(2027).value(), Decimal::from(100));
    }

    #[test]
    fn offtake_terms() {
        let o: Offtake = serde_json::from_str(
            r#"{"buyer": "B", "commodity": "NdPr:oxide", "tonnes_per_year": 1,
                "start": "2025-07-01", "end": "2030-06-30", "binding": true}"#,
        )
        .unwrap();
        assert!(!o.is_active_in(2024));
        assert!(o.is_active_in(2025));
        assert!(o.is_active_in(2030));
        assert!(!o.is_active_in(2031));
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let err = serde_json::from_str::<Milestone>(
            r#"{"kind": "announced", "date": "2025-01-01", "status": "achieved", "when": 1}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown field `when`"), "{err}");
    }
}
