//! # midstream-domain
//!
//! The vocabulary of [midstream](https://github.com/midstream-rs/midstream): the words every
//! other crate speaks, and nothing else (no graph, no scoring).
//!
//! - [`Element`]: the 17 rare earths and the other critical minerals, with atomic weights,
//!   light/heavy groups under a named [`GroupConvention`], and conventional oxides ([`Oxide`]) for
//!   exact stoichiometric factors.
//! - [`Commodity`]: what flows, a set of elements in a [`Form`] on a [`Basis`]
//!   (`NdPr:oxide`, `Dy:metal`, `REO:concentrate`).
//! - [`Stage`]: mining to manufacturing plus recycling, with [`Stage::can_feed`].
//! - [`Country`] (ISO 3166-1) and [`Alignment`] as seen from a dataset's [`Perspective`].
//! - Exact quantities: [`Tonnes`], [`Usd`], [`Share`] over `rust_decimal::Decimal`.
//! - Records: [`Facility`] (plants and projects, told apart by [`Maturity`]) with [`Capacity`],
//!   [`Milestone`], [`Offtake`] and [`Financing`]; [`Link`]; [`Demand`]; [`Source`].
//! - [`Dataset`]: loaded from JSON with every broken record reported ([`LoadError`]), then
//!   [`Dataset::validate`]d into a [`ValidDataset`] with every rule checked
//!   ([`ValidationReport`]).
//!
//! ```
//! use midstream_domain::{Commodity, Dataset, Stage};
//!
//! let json = r#"{
//!   "format_version": 1, "name": "example", "as_of": "2024-12-31",
//!   "sources": [{"id": "usgs", "publisher": "USGS", "title": "MCS 2025", "year": 2025}],
//!   "facilities": [
//!     {"id": "mine", "name": "A mine", "country": "US", "stage": "mining",
//!      "maturity": "operating", "sources": ["usgs"],
//!      "capacities": [{"commodity": "REO:concentrate", "tonnes_per_year": 45000}]},
//!     {"id": "sep", "name": "A separator", "country": "MY", "stage": "separation",
//!      "maturity": "letter_of_interest", "sources": ["usgs"]}
//!   ]
//! }"#;
//! let data = Dataset::from_json_str(json)?.validate()?;
//! let concentrate: Commodity = "REO:concentrate".parse()?;
//! let mine = data.facility("mine").ok_or("no mine")?;
//! assert_eq!(mine.capacity(&concentrate).map(|c| c.tonnes_per_year.to_string()),
//!            Some("45000 t".to_owned()));
//! assert!(mine.stage.can_feed(Stage::Separation));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Features
//! None: serde and JSON Schema support are part of the domain (datasets are JSON).

#![doc(test(attr(deny(warnings))))]

mod commodity;
mod country;
mod dataset;
mod date;
mod element;
mod error;
mod facility;
mod id;
mod load;
mod material;
mod network;
mod quantity;
mod schema;
mod source;
mod stage;
mod valid;
mod validate;
mod value_error;

/// The `chrono` crate, whose `NaiveDate` dates datasets and milestones.
pub use chrono;
pub use commodity::{Basis, Commodity, Composition, ElementSet, Form};
pub use country::{Alignment, AlignmentEntry, Country, Perspective};
pub use dataset::{Dataset, FORMAT_VERSION, SUPPORTED_FORMAT_VERSIONS};
pub use element::{Element, GroupConvention, Oxide, ReeGroup, oxygen_atomic_weight};
pub use error::DomainError;
#[allow(deprecated)] // Reason: the old name stays importable, with its deprecation warning.
pub use error::Error;
pub use facility::{
    Capacity, CapacityRange, Capex, Derivation, Estimate, Facility, FacilityId, Financing,
    FinancingStatus, Instrument, Maturity, Milestone, MilestoneChain, MilestoneKind,
    MilestoneStatus, Offtake, RampStep,
};
pub use id::MAX_ID_LEN;
pub use load::{LoadError, MAX_FILE_BYTES, ParseProblem, inexact_json_numbers, read_text_file};
pub use material::{
    Aim, CapacityBasis, CompositionId, Control, FeedComposition, Process, RecipeInput,
};
pub use network::{Demand, DemandId, Link, LinkId, Restriction, RestrictionKind};
pub use quantity::{MAX_EXACT_JSON_NUMBER_DIGITS, Share, Tonnes, Usd};
pub use schema::dataset_schema;
pub use source::{Source, SourceId};
pub use stage::Stage;
pub use valid::ValidDataset;
pub use validate::{
    Issue, Location, MAX_TONNES, MAX_YEAR, MIN_YEAR, Rule, Section, Severity, ValidationReport,
};
pub use value_error::{ConversionError, Overflow, OverflowRange, ParseError, QuantityError};
