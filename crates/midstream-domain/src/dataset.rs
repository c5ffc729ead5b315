//! A dataset: metadata, sources, facilities, links and demand, and its validated form.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::commodity::Commodity;
use crate::country::Perspective;
use crate::facility::{Facility, FacilityId};
use crate::material::FeedComposition;
use crate::network::{Demand, Link};
use crate::source::Source;
use crate::stage::Stage;
use crate::validate::{Issue, Severity, ValidationReport};

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

    /// Checks every rule and returns the validated dataset, or a report of every error (and
    /// warning) found. Warnings alone do not fail validation; they travel with the result.
    ///
    /// # Errors
    /// [`ValidationReport`] listing each problem with its record id and field.
    pub fn validate(self) -> Result<ValidDataset, ValidationReport> {
        let issues = self.check();
        if issues.iter().any(|i| i.severity == Severity::Error) {
            return Err(ValidationReport { issues });
        }
        let facility_index = self
            .facilities
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.clone(), i))
            .collect();
        Ok(ValidDataset {
            dataset: self,
            warnings: issues,
            facility_index,
        })
    }
}

/// A dataset that passed [`Dataset::validate`]: ids are unique, references resolve, links join
/// stages that can feed each other, quantities are in range. Read it through `Deref` to
/// [`Dataset`]; it cannot be changed in place (change the [`Dataset`] and validate again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidDataset {
    dataset: Dataset,
    warnings: Vec<Issue>,
    facility_index: BTreeMap<FacilityId, usize>,
}

impl ValidDataset {
    /// The warnings validation raised (e.g. an unused source).
    #[must_use]
    pub fn warnings(&self) -> &[Issue] {
        &self.warnings
    }

    /// The facility with this id.
    #[must_use]
    pub fn facility(&self, id: &str) -> Option<&Facility> {
        self.facility_index
            .get(id)
            .and_then(|i| self.dataset.facilities.get(*i))
    }

    /// The composition with this id.
    #[must_use]
    pub fn composition(&self, id: &str) -> Option<&FeedComposition> {
        self.dataset
            .compositions
            .iter()
            .find(|c| c.id.as_str() == id)
    }

    /// The stages of `commodity`'s chain: those where some facility states capacity of it,
    /// in stage order (empty for a commodity the dataset does not have).
    ///
    /// ```
    /// use midstream_domain::{Dataset, Stage};
    /// let data = Dataset::from_json_str(r#"{"format_version": 1, "name": "t",
    ///     "as_of": "2024-12-31",
    ///     "sources": [{"id": "usgs", "publisher": "USGS", "title": "MCS 2025", "year": 2025}],
    ///     "facilities": [
    ///     {"id": "m", "name": "M", "country": "AU", "stage": "mining", "maturity": "operating",
    ///      "sources": ["usgs"],
    ///      "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": 10}]},
    ///     {"id": "s", "name": "S", "country": "MY", "stage": "separation",
    ///      "maturity": "operating", "sources": ["usgs"],
    ///      "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": 5}]}]}"#)?
    ///     .validate()?;
    /// let stages: Vec<Stage> = data.stages_of(&"NdPr:oxide".parse()?).into_iter().collect();
    /// assert_eq!(stages, [Stage::Mining, Stage::Separation]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn stages_of(&self, commodity: &Commodity) -> BTreeSet<Stage> {
        self.dataset
            .facilities
            .iter()
            .filter(|f| f.capacity(commodity).is_some())
            .map(|f| f.stage)
            .collect()
    }

    /// Every commodity some facility states capacity of, with the stages of its chain (see
    /// [`ValidDataset::stages_of`]).
    #[must_use]
    pub fn chains(&self) -> BTreeMap<Commodity, BTreeSet<Stage>> {
        let mut chains: BTreeMap<Commodity, BTreeSet<Stage>> = BTreeMap::new();
        for f in &self.dataset.facilities {
            for c in &f.capacities {
                chains.entry(c.commodity).or_default().insert(f.stage);
            }
        }
        chains
    }

    /// The underlying dataset.
    #[must_use]
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// Gives the dataset back, e.g. to edit it and validate again.
    #[must_use]
    pub fn into_dataset(self) -> Dataset {
        self.dataset
    }
}

impl Deref for ValidDataset {
    type Target = Dataset;

    fn deref(&self) -> &Dataset {
        &self.dataset
    }
}

impl Serialize for ValidDataset {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.dataset.serialize(s)
    }
}
