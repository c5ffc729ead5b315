//! Countries (ISO 3166-1 alpha-2) and how a chosen buyer country sees them ([`Alignment`]).

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::source::SourceId;
use crate::value_error::ParseError;

/// A country or territory with an officially assigned ISO 3166-1 alpha-2 code.
///
/// The table of codes and English short names comes from the `rust_iso3166` crate, which tracks
/// the ISO 3166 Maintenance Agency. Codes are read case-insensitively and shown upper-case.
///
/// ```
/// use midstream_domain::Country;
/// let kz: Country = "kz".parse()?;
/// assert_eq!(kz.code(), "KZ");
/// assert_eq!(kz.name(), "Kazakhstan");
/// assert!("XX".parse::<Country>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Country(&'static rust_iso3166::CountryCode);

impl PartialOrd for Country {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Countries order by their alpha-2 code (not by name), so that output sorted by country is
/// stable whatever the names' spelling.
impl Ord for Country {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.code().cmp(other.code())
    }
}

impl Country {
    /// The two-letter code, e.g. `"CN"`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.0.alpha2
    }

    /// The three-letter code, e.g. `"CHN"`.
    #[must_use]
    pub fn alpha3(&self) -> &'static str {
        self.0.alpha3
    }

    /// The English short name as ISO publishes it, e.g. `"China"`, `"Korea (Republic of)"`.
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.0.name
    }

    /// Every assigned country, ordered by code.
    pub fn all() -> impl Iterator<Item = Country> {
        let mut all: Vec<Country> = rust_iso3166::ALL.iter().map(Country).collect();
        all.sort();
        all.into_iter()
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Country({})", self.code())
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Country {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        let code = s.trim().as_bytes();
        let (Some(&a), Some(&b), 2) = (code.first(), code.get(1), code.len()) else {
            return Err(not_a_code(s));
        };
        let (a, b) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
        if !a.is_ascii_uppercase() || !b.is_ascii_uppercase() {
            return Err(not_a_code(s));
        }
        by_code()
            .get(usize::from(a - b'A') * 26 + usize::from(b - b'A'))
            .copied()
            .flatten()
            .map(Country)
            .ok_or_else(|| {
                ParseError::new("country code", s, "not an assigned ISO 3166-1 alpha-2 code")
            })
    }
}

fn not_a_code(s: &str) -> ParseError {
    ParseError::new(
        "country code",
        s,
        "expected an ISO 3166-1 alpha-2 code such as CN, US, KZ",
    )
}

/// Every assigned code, indexed by its two letters (`(first - 'A') * 26 + (second - 'A')`),
/// built once: a dataset of a million facilities parses a million country codes.
fn by_code() -> &'static [Option<&'static rust_iso3166::CountryCode>] {
    static TABLE: std::sync::OnceLock<Vec<Option<&'static rust_iso3166::CountryCode>>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = vec![None; 26 * 26];
        for c in rust_iso3166::ALL {
            if let [a @ b'A'..=b'Z', b @ b'A'..=b'Z'] = c.alpha2.as_bytes()
                && let Some(slot) =
                    table.get_mut(usize::from(a - b'A') * 26 + usize::from(b - b'A'))
            {
                *slot = Some(c);
            }
        }
        table
    })
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// Datasets write codes upper-case, as the JSON Schema says; `FromStr` is the lenient reader.
impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(d)?;
        if text.bytes().any(|b| b.is_ascii_lowercase()) {
            return Err(serde::de::Error::custom(ParseError::new(
                "country code",
                &text,
                "write ISO 3166-1 alpha-2 codes in upper case, e.g. \"CN\"",
            )));
        }
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Country {
    fn schema_name() -> Cow<'static, str> {
        "Country".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = Country::all().map(|c| c.code()).collect();
        json_schema!({
            "description": "ISO 3166-1 alpha-2 country code (upper case).",
            "type": "string",
            "enum": codes
        })
    }
}

/// How the perspective (buyer) country of a dataset regards a supplier country.
///
/// This is a per-dataset assumption, not a property of the country: the same supplier may be an
/// ally from one perspective and an adversary from another. Ordered from closest to farthest.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Alignment {
    /// Treaty ally.
    Ally,
    /// Close partner without a treaty (e.g. a free-trade or minerals-security partner).
    Partner,
    /// Deliberately balances between blocs (e.g. Kazakhstan's multi-vector policy).
    MultiVector,
    /// Neither aligned nor hostile.
    NonAligned,
    /// Strategic rival; assumed willing to restrict exports.
    Adversary,
}

impl Alignment {
    /// Every alignment, closest first.
    pub const ALL: [Alignment; 5] = [
        Alignment::Ally,
        Alignment::Partner,
        Alignment::MultiVector,
        Alignment::NonAligned,
        Alignment::Adversary,
    ];

    /// The snake-case name used in datasets.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Alignment::Ally => "ally",
            Alignment::Partner => "partner",
            Alignment::MultiVector => "multi_vector",
            Alignment::NonAligned => "non_aligned",
            Alignment::Adversary => "adversary",
        }
    }
}

impl fmt::Display for Alignment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Alignment {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        let key = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Alignment::ALL
            .into_iter()
            .find(|a| a.as_str() == key)
            .ok_or_else(|| {
                ParseError::new(
                    "alignment",
                    s,
                    "expected ally, partner, multi_vector, non_aligned or adversary",
                )
            })
    }
}

/// One row of a perspective's alignment table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AlignmentEntry {
    /// The supplier country.
    pub country: Country,
    /// How the perspective country regards it.
    pub alignment: Alignment,
    /// Why, in a sentence (a treaty, an agreement, a policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// Where the rationale comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceId>,
}

/// The buyer's point of view: whose supply security the dataset is about, and how that buyer
/// regards the supplier countries.
///
/// ```
/// use midstream_domain::{Alignment, Perspective};
/// let p: Perspective = serde_json::from_str(r#"{
///     "country": "US",
///     "alignments": [{"country": "KZ", "alignment": "multi_vector"}],
///     "default_alignment": "non_aligned"
/// }"#)?;
/// assert_eq!(p.alignment_of("US".parse()?), Some(Alignment::Ally));
/// assert_eq!(p.alignment_of("KZ".parse()?), Some(Alignment::MultiVector));
/// assert_eq!(p.alignment_of("BR".parse()?), Some(Alignment::NonAligned));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Perspective {
    /// The buyer country.
    pub country: Country,
    /// The alignment table; a country appears at most once.
    #[serde(default)]
    pub alignments: Vec<AlignmentEntry>,
    /// The alignment of countries not in the table; without it they are unclassified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_alignment: Option<Alignment>,
}

impl Perspective {
    /// How the perspective regards `country`: the table's entry; else [`Alignment::Ally`] for the
    /// perspective country itself; else the default; else `None` (unclassified).
    #[must_use]
    pub fn alignment_of(&self, country: Country) -> Option<Alignment> {
        self.alignments
            .iter()
            .find(|e| e.country == country)
            .map(|e| e.alignment)
            .or_else(|| (country == self.country).then_some(Alignment::Ally))
            .or(self.default_alignment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_assigned_code_has_a_name() {
        let all: Vec<Country> = Country::all().collect();
        assert!(all.len() >= 249, "only {} codes", all.len());
        for c in &all {
            assert_eq!(c.code().parse::<Country>().unwrap(), *c);
            assert!(!c.name().is_empty());
        }
        assert!(all.windows(2).all(|w| w[0].code() < w[1].code()));
    }

    #[test]
    fn names_of_the_countries_midstream_talks_about() {
        let name = |c: &str| c.parse::<Country>().unwrap().name();
        assert_eq!(name("CN"), "China");
        assert_eq!(name("KZ"), "Kazakhstan");
        assert_eq!(name("MY"), "Malaysia");
        assert_eq!(name("AU"), "Australia");
        assert_eq!("cn".parse::<Country>().unwrap().alpha3(), "CHN");
    }

    #[test]
    fn rejects_unassigned_and_malformed_codes() {
        for bad in ["", "C", "CHN", "XX", "ZZ", "1A", "É1", "U S"] {
            assert!(bad.parse::<Country>().is_err(), "{bad:?} was accepted");
        }
        assert!(serde_json::from_str::<Country>("\"QQ\"").is_err());
        assert!(serde_json::from_str::<Country>("\"kz\"").is_err());
        assert_eq!(
            serde_json::from_str::<Country>("\"KZ\"").unwrap().code(),
            "KZ"
        );
    }

    #[test]
    fn alignment_parse_display() {
        for a in Alignment::ALL {
            assert_eq!(a.to_string().parse::<Alignment>().unwrap(), a);
        }
        assert_eq!(
            "Multi-Vector".parse::<Alignment>().unwrap(),
            Alignment::MultiVector
        );
        assert!("friend".parse::<Alignment>().is_err());
    }

    #[test]
    fn table_entry_overrides_self_and_default() {
        let us: Country = "US".parse().unwrap();
        let p = Perspective {
            country: us,
            alignments: vec![],
            default_alignment: None,
        };
        assert_eq!(p.alignment_of("CN".parse().unwrap()), None);
        assert_eq!(p.alignment_of(us), Some(Alignment::Ally));
    }
}
