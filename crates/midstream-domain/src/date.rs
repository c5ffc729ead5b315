//! Calendar dates in datasets: `YYYY-MM-DD` text, read with a message that quotes the value.
//!
//! chrono's own serde reports only "input is out of range" for `2024-13-01`; these helpers say
//! which text is not a date and what form is expected. Used as `deserialize_with`.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

fn parse<E: serde::de::Error>(text: &str) -> Result<NaiveDate, E> {
    text.parse::<NaiveDate>()
        .map_err(|e| E::custom(format!("{text:?} is not a calendar date (YYYY-MM-DD): {e}")))
}

/// A required date.
pub(crate) fn required<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let text = String::deserialize(d)?;
    parse(&text)
}

/// An optional date (`null` or absent is `None`).
pub(crate) fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    match Option::<String>::deserialize(d)? {
        Some(text) => parse(&text).map(Some),
        None => Ok(None),
    }
}

/// A date read on its own (the dataset's `as_of`).
#[derive(Debug)]
pub(crate) struct Date(pub(crate) NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        required(d).map(Date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_date_is_quoted() {
        let e = serde_json::from_str::<Date>("\"2024-13-01\"").unwrap_err();
        assert!(
            e.to_string()
                .contains("\"2024-13-01\" is not a calendar date"),
            "{e}"
        );
        assert_eq!(
            serde_json::from_str::<Date>("\"2024-02-29\"").unwrap().0,
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert!(serde_json::from_str::<Date>("\"2023-02-29\"").is_err());
        assert!(serde_json::from_str::<Date>("20240101").is_err());
    }
}
