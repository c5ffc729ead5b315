//! The rules of the dataset as a whole: its own fields, perspective, sources, demand, ids
//! unique in each section, and sources that no record cites.

use std::collections::{BTreeSet, HashMap};

use crate::dataset::{FORMAT_VERSION, SUPPORTED_FORMAT_VERSIONS};

use super::report::{Rule, Section, Severity};
use super::{At, Checker};

impl Checker<'_> {
    pub(super) fn dataset_fields(&mut self) {
        let at = At {
            section: Section::Dataset,
            index: None,
            record: None,
        };
        self.date(at, &"as_of", self.data.as_of);
        if self.data.facilities.is_empty() {
            self.error(
                Rule::NoFacilities,
                At {
                    section: Section::Facilities,
                    index: None,
                    record: None,
                },
                &"facilities",
                "the dataset has no facility: there is nothing to analyse".to_owned(),
            );
        }
        if !SUPPORTED_FORMAT_VERSIONS.contains(&self.data.format_version) {
            self.error(
                Rule::UnsupportedFormatVersion,
                at,
                &"format_version",
                format!(
                    "format version {} is not supported; this version of midstream reads 1 to {FORMAT_VERSION}",
                    self.data.format_version
                ),
            );
        }
        self.text(at, &"name", &self.data.name);
    }

    pub(super) fn perspective(&mut self) {
        let Some(p) = &self.data.perspective else {
            return;
        };
        let mut seen = BTreeSet::new();
        for (i, entry) in p.alignments.iter().enumerate() {
            let at = At {
                section: Section::Perspective,
                index: None,
                record: Some(entry.country.code()),
            };
            if !seen.insert(entry.country) {
                self.error(
                    Rule::DuplicateAlignment,
                    at,
                    &format_args!("alignments[{i}].country"),
                    format!(
                        "{} appears more than once in the alignment table",
                        entry.country
                    ),
                );
            }
            self.source_ref(
                at,
                &format_args!("alignments[{i}].source"),
                entry.source.as_ref(),
            );
        }
    }

    pub(super) fn sources(&mut self) {
        for (i, s) in self.data.sources.iter().enumerate() {
            let at = At {
                section: Section::Sources,
                index: Some(i),
                record: Some(s.id.as_str()),
            };
            self.text(at, &"publisher", &s.publisher);
            self.text(at, &"title", &s.title);
            self.year(at, &"year", s.year);
        }
    }

    pub(super) fn demand(&mut self) {
        for (i, d) in self.data.demand.iter().enumerate() {
            let at = At {
                section: Section::Demand,
                index: Some(i),
                record: Some(d.id.as_str()),
            };
            self.text(at, &"buyer", &d.buyer);
            self.non_negative(at, &"tonnes_per_year", d.tonnes_per_year);
            self.year(at, &"year", d.year);
            self.source_ref(at, &"source", d.source.as_ref());
        }
    }

    pub(super) fn duplicates(&mut self) {
        // Facilities: the index of each id's first facility is already at hand.
        let facilities = &self.facilities;
        let repeated: Vec<(usize, &str, usize)> = self
            .data
            .facilities
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let id = f.id.as_str();
                let &(j, _) = facilities.get(id)?;
                (j != i).then_some((i, id, j))
            })
            .collect();
        self.duplicate_ids(Section::Facilities, repeated);
        let others: [(Section, Vec<&str>); 4] = [
            (
                Section::Sources,
                self.data.sources.iter().map(|s| s.id.as_str()).collect(),
            ),
            (
                Section::Compositions,
                self.data
                    .compositions
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect(),
            ),
            (
                Section::Links,
                self.data.links.iter().map(|l| l.id.as_str()).collect(),
            ),
            (
                Section::Demand,
                self.data.demand.iter().map(|d| d.id.as_str()).collect(),
            ),
        ];
        for (section, ids) in others {
            // Looked up only; issues come out in record order.
            let mut first: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
            let mut repeated = Vec::new();
            for (i, &id) in ids.iter().enumerate() {
                match first.get(id) {
                    Some(&j) => repeated.push((i, id, j)),
                    None => {
                        first.insert(id, i);
                    }
                }
            }
            self.duplicate_ids(section, repeated);
        }
    }

    /// Reports each `(index, id, first index)` of `section` whose id an earlier record took.
    pub(super) fn duplicate_ids(&mut self, section: Section, repeated: Vec<(usize, &str, usize)>) {
        for (i, id, j) in repeated {
            self.error(
                Rule::DuplicateId,
                At {
                    section,
                    index: Some(i),
                    record: Some(id),
                },
                &"id",
                format!("id {id:?} is already used by {section}[{j}]"),
            );
        }
    }

    pub(super) fn unused_sources(&mut self) {
        let unused: Vec<(usize, &str)> = self
            .data
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.id.as_str()))
            .filter(|(_, id)| !self.used_sources.contains(id))
            .collect();
        for (i, id) in unused {
            self.push(
                Severity::Warning,
                Rule::UnusedSource,
                At {
                    section: Section::Sources,
                    index: Some(i),
                    record: Some(id),
                },
                &"id",
                "no record cites this source".to_owned(),
            );
        }
    }
}
