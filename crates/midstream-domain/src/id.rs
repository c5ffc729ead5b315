//! Record identifiers.
//!
//! An id is 1 to 128 characters from `A-Z a-z 0-9 . _ : -`, so that it can stand in a file name,
//! a DOT node name or a URL fragment unquoted. Ids are compared exactly (case-sensitive).

/// Longest id accepted, in characters.
pub const MAX_ID_LEN: usize = 128;

/// Checks the id syntax; the reason names the first offending character.
pub(crate) fn check_id(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("an id may not be empty".to_owned());
    }
    if text.len() > MAX_ID_LEN {
        return Err(format!(
            "an id may have at most {MAX_ID_LEN} characters, this has {}",
            text.len()
        ));
    }
    match text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-')))
    {
        Some(c) => Err(format!(
            "{c:?} is not allowed in an id (use A-Z a-z 0-9 . _ : -)"
        )),
        None => Ok(()),
    }
}

macro_rules! record_id {
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The id's text.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::value_error::ParseError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $crate::id::check_id(s)
                    .map(|()| Self(s.to_owned()))
                    .map_err(|reason| $crate::value_error::ParseError::new($what, s, reason))
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "description": concat!("Identifier of a ", $what, ": 1 to 128 characters from A-Z a-z 0-9 . _ : -"),
                    "type": "string",
                    "pattern": "^[A-Za-z0-9._:-]{1,128}$"
                })
            }
        }
    };
}

pub(crate) use record_id;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_syntax() {
        assert!(check_id("lynas-kuantan").is_ok());
        assert!(check_id("usgs:mcs2025.rare_earths").is_ok());
        assert!(check_id("").is_err());
        assert!(check_id("a b").is_err());
        assert!(check_id("é").is_err());
        assert!(check_id(&"a".repeat(MAX_ID_LEN)).is_ok());
        assert!(check_id(&"a".repeat(MAX_ID_LEN + 1)).is_err());
    }
}
