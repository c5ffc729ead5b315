//! # midstream-data
//!
//! Reference datasets embedded in the library (JSON under `data/`, included at compile time),
//! loadable by name. Every figure carries its source (publisher, title, year, URL) and the
//! dataset's as-of date; an estimate says so and how it was made. See `docs/datasets.md`.
//!
//! | name | what it holds |
//! |---|---|
//! | `rare-earths-2025` | the rare-earth chain to separated oxide as of end 2025 (format 2): mine production by country, China's quota mining, separation of domestic and imported feed and recycling, the feeds that reach China, Lynas and MP Materials, projects at their maturity, feed compositions, the IEA's demand cases |
//! | `rare-earths-2024` | the NdPr (and Dy/Tb) chain as of end 2024: mining by country, named mines, China's midstream at country level, named separation, metal and magnet plants outside China, projects, demand |
//! | `kazakhstan-2025` | Kazakhstan's critical-minerals position and pipeline: occurrences and their caveats, the metallurgical base, the 2025 MoU, tungsten projects at their true maturity |
//! | `critical-minerals-2024` | country-level mine and refinery production of tungsten, uranium, chromium, titanium sponge, aluminium and copper |
//!
//! ```
//! let names: Vec<&str> = midstream_data::names().collect();
//! assert!(names.contains(&"rare-earths-2025"));
//! let data = midstream_data::load("rare-earths-2025")?;
//! assert!(data.facilities.len() > 10);
//! assert!(midstream_data::load("no-such-dataset").is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Governance: the World Bank's Worldwide Governance Indicators, 2024 Update (estimates for
//! 2023, 212 economies), as [`wgi`] with its source [`WGI_SOURCE`].
//!
//! The EU's 2023 criticality figures of the elements the datasets make ([`EU_2023`]): recycling
//! rates and substitution indexes for its supply-risk method, and published results.
//!
//! Policy presets ([`PRESETS`]) ship as scenario files with their sources: China's April 2025
//! export licensing of seven medium and heavy rare earths, its October 2025 expansion (suspended)
//! and a hypothetical resumption, MP Materials' halt of shipments to China, and a Myanmar (Kachin)
//! feed disruption. `midstream::Preset` reads them.
//!
//! Synthetic datasets ([`synthetic`]): seeded rare-earth-like networks of any size, for tests
//! and benchmarks, marked as synthetic in their name and sources.
//!
//! ## Features
//! None.

#![doc(test(attr(deny(warnings))))]

mod eu;
mod governance;
pub mod synthetic;

pub use eu::{EU_2023, EU_2023_SOURCE, EuMaterial, eu_2023};
pub use governance::{WGI_CSV, WGI_SOURCE, WgiRow, WgiSource, wgi};
use midstream_domain::{Dataset, LoadError, ValidDataset, ValidationReport};
use thiserror::Error;

/// An embedded dataset: its name and its JSON text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Embedded {
    /// The name it is loaded by, e.g. `"rare-earths-2024"`.
    pub name: &'static str,
    /// One line on what it holds.
    pub summary: &'static str,
    /// The JSON text.
    pub json: &'static str,
}

/// Every embedded dataset, by name.
pub const DATASETS: &[Embedded] = &[
    Embedded {
        name: "rare-earths-2025",
        summary: "The rare-earth chain to separated oxide as of end 2025 (format 2): mines, China's quota and imported feed, recycling, Lynas, MP, projects, compositions, IEA demand cases",
        json: include_str!("../data/rare-earths-2025.json"),
    },
    Embedded {
        name: "rare-earths-2024",
        summary: "The NdPr and Dy/Tb chain as of end 2024 (format 1, superseded by rare-earths-2025; kept as the format-1 chain): mines, China's midstream, plants and projects outside China, demand",
        json: include_str!("../data/rare-earths-2024.json"),
    },
    Embedded {
        name: "kazakhstan-2025",
        summary: "Kazakhstan's critical-minerals base and pipeline, each project at its true maturity",
        json: include_str!("../data/kazakhstan-2025.json"),
    },
    Embedded {
        name: "critical-minerals-2024",
        summary: "Country-level mine and refinery production: tungsten, uranium, chromium, titanium sponge, aluminium, copper",
        json: include_str!("../data/critical-minerals-2024.json"),
    },
];

/// A policy preset shipped with the data: a scenario file with its sources, as JSON text. The
/// facade (`midstream::Preset`) reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmbeddedPreset {
    /// The name it is loaded by, e.g. `"cn-2025-04-hree-licence"`.
    pub name: &'static str,
    /// The JSON text: name, dataset, title, description, sources and the scenario.
    pub json: &'static str,
}

/// Every embedded policy preset, by name (the files under `scenarios/`).
pub const PRESETS: &[EmbeddedPreset] = &[
    EmbeddedPreset {
        name: "cn-2025-04-hree-licence",
        json: include_str!("../scenarios/cn-2025-04-hree-licence.json"),
    },
    EmbeddedPreset {
        name: "cn-2025-10-expansion",
        json: include_str!("../scenarios/cn-2025-10-expansion.json"),
    },
    EmbeddedPreset {
        name: "cn-2026-11-snapback",
        json: include_str!("../scenarios/cn-2026-11-snapback.json"),
    },
    EmbeddedPreset {
        name: "us-mp-halt",
        json: include_str!("../scenarios/us-mp-halt.json"),
    },
    EmbeddedPreset {
        name: "mm-kachin-disruption",
        json: include_str!("../scenarios/mm-kachin-disruption.json"),
    },
];

/// The embedded preset called `name`, if any.
#[must_use]
pub fn preset(name: &str) -> Option<&'static EmbeddedPreset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// An embedded dataset could not be had.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum DataError {
    /// No embedded dataset has this name.
    #[error("no embedded dataset is called {name:?}; available: {}", available.join(", "))]
    UnknownDataset {
        /// The name asked for.
        name: String,
        /// The names there are.
        available: Vec<&'static str>,
    },
    /// The embedded JSON does not parse (a bug in the dataset: please report it).
    #[error("embedded dataset {name:?} does not parse: {source}")]
    Load {
        /// The dataset.
        name: &'static str,
        /// Why.
        #[source]
        source: LoadError,
    },
    /// An embedded table does not read (a bug in the table: please report it).
    #[error("embedded table {table}, line {line}, column {column}: {why}")]
    Table {
        /// The table's file.
        table: &'static str,
        /// The line (1 is the header).
        line: usize,
        /// The column.
        column: &'static str,
        /// Why.
        why: String,
    },
    /// The embedded dataset does not validate (a bug in the dataset: please report it).
    #[error("embedded dataset {name:?} does not validate: {source}")]
    Invalid {
        /// The dataset.
        name: &'static str,
        /// Why.
        #[source]
        source: ValidationReport,
    },
}

impl DataError {
    /// Whether an embedded dataset or table is broken (a bug of the program's data), rather
    /// than a name asked for that does not exist.
    #[must_use]
    pub fn is_internal(&self) -> bool {
        !matches!(self, Self::UnknownDataset { .. })
    }
}

/// The names of the embedded datasets, in the order of [`DATASETS`].
pub fn names() -> impl Iterator<Item = &'static str> {
    DATASETS.iter().map(|d| d.name)
}

/// The embedded dataset called `name`, if any.
#[must_use]
pub fn embedded(name: &str) -> Option<&'static Embedded> {
    DATASETS.iter().find(|d| d.name == name)
}

/// Loads and validates the embedded dataset called `name`.
///
/// # Errors
/// [`DataError::UnknownDataset`] for an unknown name (listing the known ones);
/// [`DataError::Load`] or [`DataError::Invalid`] if an embedded dataset is broken (the tests
/// of this crate make sure none is).
pub fn load(name: &str) -> Result<ValidDataset, DataError> {
    let found = embedded(name).ok_or_else(|| DataError::UnknownDataset {
        name: name.to_owned(),
        available: names().collect(),
    })?;
    parse(found)
}

/// Loads the dataset of an [`Embedded`] entry.
///
/// # Errors
/// As [`load`].
pub fn parse(entry: &Embedded) -> Result<ValidDataset, DataError> {
    Dataset::from_json_str(entry.json)
        .map_err(|source| DataError::Load {
            name: entry.name,
            source,
        })?
        .validate()
        .map_err(|source| DataError::Invalid {
            name: entry.name,
            source,
        })
}
