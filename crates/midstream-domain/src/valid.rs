//! A dataset that passed validation: [`Dataset::validate`] and what a [`ValidDataset`] answers.
//! Apart from `dataset.rs`, so that the dataset's type does not import its checks (the checks
//! read the dataset; the validated form uses both).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;

use serde::Serialize;

use crate::commodity::Commodity;
use crate::dataset::Dataset;
use crate::facility::{Facility, FacilityId};
use crate::material::FeedComposition;
use crate::stage::Stage;
use crate::validate::{Issue, Severity, ValidationReport};

impl Dataset {
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
