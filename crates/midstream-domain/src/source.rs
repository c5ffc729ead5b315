//! Where a figure comes from.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::id::record_id;

record_id!(
    /// Identifier of a [`Source`], referenced from any record.
    SourceId,
    "source"
);

/// A publication a dataset's figures come from.
///
/// ```
/// use midstream_domain::Source;
/// let s: Source = serde_json::from_str(r#"{
///     "id": "usgs-mcs-2025-ree",
///     "publisher": "U.S. Geological Survey",
///     "title": "Mineral Commodity Summaries 2025: Rare Earths",
///     "year": 2025,
///     "url": "https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-rare-earths.pdf"
/// }"#)?;
/// assert_eq!(s.year, 2025);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Identifier, unique among the dataset's sources.
    pub id: SourceId,
    /// Who published it (agency, company, journal).
    pub publisher: String,
    /// Title of the publication or page.
    pub title: String,
    /// Year of publication.
    pub year: i32,
    /// Where to read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When the URL was last read.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::date::optional"
    )]
    pub accessed: Option<chrono::NaiveDate>,
    /// What in it was used (table, page), or caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
