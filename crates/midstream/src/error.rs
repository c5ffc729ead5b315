//! The facade's error type.

use thiserror::Error;

/// Any error of an analysis.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// A dataset could not be read.
    #[error(transparent)]
    Load(#[from] midstream_domain::LoadError),
    /// A dataset broke validation rules.
    #[error(transparent)]
    Validation(#[from] midstream_domain::ValidationReport),
    /// A dataset file broke validation rules.
    #[error("{}: {report}", file.display())]
    InvalidFile {
        /// The file.
        file: std::path::PathBuf,
        /// Every issue found.
        #[source]
        report: midstream_domain::ValidationReport,
    },
    /// An embedded dataset could not be loaded.
    #[error(transparent)]
    Data(#[from] midstream_data::DataError),
    /// A quantity overflowed or could not be read.
    #[error(transparent)]
    Quantity(#[from] midstream_domain::QuantityError),
    /// The graph could not be built or solved.
    #[error(transparent)]
    Graph(#[from] midstream_graph::GraphError),
    /// A risk score could not be computed.
    #[error(transparent)]
    Risk(#[from] midstream_risk::RiskError),
    /// No embedded preset has this name.
    #[error("no preset is called {name:?}; available: {}", available.join(", "))]
    UnknownPreset {
        /// The name asked for.
        name: String,
        /// The names there are.
        available: Vec<&'static str>,
    },
    /// An embedded preset does not parse (a bug in the preset: please report it).
    #[error("embedded preset {name:?} does not parse: {message}")]
    Preset {
        /// The preset.
        name: &'static str,
        /// Why.
        message: String,
    },
    /// An outlook asked for zero Monte Carlo samples.
    #[error("an outlook needs at least one Monte Carlo sample")]
    NoSamples,
    /// An outlook asked for more than [`crate::MAX_OUTLOOK_SAMPLES`] samples per year.
    #[error("{samples} Monte Carlo samples per year: the limit is {limit}")]
    TooManySamples {
        /// Samples asked for.
        samples: usize,
        /// The limit.
        limit: usize,
    },
    /// An outlook asked for the supply outside a country where the dataset has no facility.
    #[error(
        "the outlook's view outside {} ({}) says nothing: the dataset has no facility there",
        country.name(), country.code()
    )]
    UnknownOutside {
        /// The country asked for.
        country: midstream_domain::Country,
    },
    /// Common-cause correlations that add up to more than 1.
    #[error(
        "the common-cause correlations of country ({}) and sponsor ({}) add up to more than 1",
        country.value(), sponsor.value()
    )]
    CommonCause {
        /// The country correlation asked for.
        country: midstream_domain::Share,
        /// The sponsor correlation asked for.
        sponsor: midstream_domain::Share,
    },
    /// A broken internal invariant (a bug: please report it with the input).
    #[error("internal error: {reason}")]
    Internal {
        /// What broke.
        reason: &'static str,
    },
}

impl Error {
    /// Whether this is a bug of the program or of its embedded data (a broken invariant, an
    /// embedded dataset or table that does not load), not a fault of the input: what a caller
    /// reports as an internal failure (the CLI exits 1 for it, 2 for bad input).
    ///
    /// ```
    /// let bad = midstream::Error::NoSamples;
    /// assert!(bad.is_input() && !bad.is_internal());
    /// let bug = midstream::Error::Internal { reason: "a broken invariant" };
    /// assert!(bug.is_internal());
    /// ```
    #[must_use]
    pub fn is_internal(&self) -> bool {
        match self {
            Self::Internal { .. } => true,
            Self::Graph(e) => e.is_internal(),
            Self::Data(e) => e.is_internal(),
            _ => false,
        }
    }

    /// Whether this is a fault of the input (a file, a dataset, a scenario, an option): every
    /// error that is not [`Error::is_internal`].
    #[must_use]
    pub fn is_input(&self) -> bool {
        !self.is_internal()
    }
}
