//! A dataset: metadata, sources, facilities, links and demand, as read (its validated form is
//! in `valid.rs`).

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::country::Perspective;
use crate::facility::Facility;
use crate::material::FeedComposition;
use crate::network::{Demand, Link};
use crate::source::Source;
#[cfg(doc)] // For the link in `Dataset`'s documentation only.
use crate::valid::ValidDataset;

/// The newest dataset format version this crate reads and writes. Format 1 files load as well
/// ([`SUPPORTED_FORMAT_VERSIONS`]); format 2 adds compositions, processes, capacity bases,
/// bounded links, demand cases and owner countries (docs/material-balance.md).
pub const FORMAT_VERSION: u32 = 2;

/// The format versions this crate reads.
pub const SUPPORTED_FORMAT_VERSIONS: [u32; 2] = [1, 2];

/// A supply-chain dataset as read from JSON, not yet validated.
///
/// Load one with [`Dataset::from_json_str`] or [`Dataset::from_json_file`] (which report every
/// broken record with line, column and JSON path), then call [`Dataset::validate`] (which reports
/// every rule broken, naming record and field) to get a [`ValidDataset`], the only form the
/// analysis crates accept.
///
/// ```
/// use midstream_domain::Dataset;
/// let json = r#"{
///   "format_version": 1,
///   "name": "two plants",
///   "as_of": "2024-12-31",
///   "sources": [{"id": "s", "publisher": "P", "title": "T", "year": 2024}],
///   "facilities": [
///     {"id": "mine", "name": "Mine", "country": "AU", "stage": "mining",
///      "maturity": "operating", "sources": ["s"],
///      "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "100"}]},
///     {"id": "sep", "name": "Separator", "country": "MY", "stage": "separation",
///      "maturity": "operating", "sources": ["s"],
///      "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "80"}]}
///   ],
///   "links": [{"id": "mine-sep", "from": "mine", "to": "sep"}]
/// }"#;
/// let valid = Dataset::from_json_str(json)?.validate()?;
/// assert_eq!(valid.facilities.len(), 2);
/// assert!(valid.warnings().is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// The format version: 1 or 2 ([`SUPPORTED_FORMAT_VERSIONS`]).
    pub format_version: u32,
    /// A short name.
    pub name: String,
    /// What the dataset covers and how it was compiled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The date the data describe (e.g. the end of the reporting year).
    #[serde(deserialize_with = "crate::date::required")]
    pub as_of: NaiveDate,
    /// Whose supply security the dataset is about, and how that buyer sees the suppliers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub perspective: Option<Perspective>,
    /// The publications the figures come from.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Feed compositions (format 2), referred to by extraction processes and reductions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compositions: Vec<FeedComposition>,
    /// Plants and projects.
    #[serde(default)]
    pub facilities: Vec<Facility>,
    /// Explicit flows between facilities.
    #[serde(default)]
    pub links: Vec<Link>,
    /// Needs per buyer, commodity and year.
    #[serde(default)]
    pub demand: Vec<Demand>,
}

impl Dataset {
    /// The calendar year of the as-of date (the default scenario year).
    #[must_use]
    pub fn as_of_year(&self) -> i32 {
        chrono::Datelike::year(&self.as_of)
    }

    /// Whether a facility of the dataset sits in `country`.
    #[must_use]
    pub fn has_facility_in(&self, country: crate::Country) -> bool {
        self.facilities.iter().any(|f| f.country == country)
    }
}
