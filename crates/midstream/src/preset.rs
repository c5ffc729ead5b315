//! Policy presets: scenario files shipped with the data, each with its sources.

use midstream_graph::Scenario;
use serde::{Deserialize, Serialize};

use crate::Error;

/// A publication a preset rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PresetSource {
    /// Who published it.
    pub publisher: String,
    /// Its title.
    pub title: String,
    /// Year of publication.
    pub year: i32,
    /// Where to read it.
    pub url: String,
    /// When the URL was read (`YYYY-MM-DD`).
    pub accessed: String,
    /// What in it the preset uses.
    pub note: String,
}

/// A policy preset: a named, sourced scenario for one dataset (an export control, a halt of
/// shipments, a feed disruption).
///
/// ```
/// use midstream::{Analysis, Preset};
/// let p = Preset::load("cn-2025-04-hree-licence")?;
/// assert_eq!(p.dataset, "rare-earths-2025");
/// let analysis = Analysis::embedded(&p.dataset)?;
/// let dy = "Dy:oxide".parse()?;
/// let c = analysis.compare(&dy, &midstream::graph::Scenario::baseline(), &p.scenario)?;
/// assert!(c.scenario_balance.deliverable < c.baseline_balance.deliverable);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// The name it is loaded by.
    pub name: String,
    /// The embedded dataset it is written for (its links and compositions).
    pub dataset: String,
    /// One line on what it models.
    pub title: String,
    /// The measure or event, what the preset assumes of it and what it leaves out.
    pub description: String,
    /// Where the measure or event is reported.
    pub sources: Vec<PresetSource>,
    /// The scenario.
    pub scenario: Scenario,
}

impl Preset {
    /// Loads the embedded preset called `name`.
    ///
    /// # Errors
    /// [`Error::UnknownPreset`] (listing the known ones), or [`Error::Preset`] if an embedded
    /// preset does not parse (a bug: the tests make sure none is).
    pub fn load(name: &str) -> Result<Self, Error> {
        let found = midstream_data::preset(name).ok_or_else(|| Error::UnknownPreset {
            name: name.to_owned(),
            available: Self::names().collect(),
        })?;
        serde_json::from_str(found.json).map_err(|e| Error::Preset {
            name: found.name,
            message: e.to_string(),
        })
    }

    /// The names of the embedded presets.
    pub fn names() -> impl Iterator<Item = &'static str> {
        midstream_data::PRESETS.iter().map(|p| p.name)
    }
}
