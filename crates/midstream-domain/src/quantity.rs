//! Exact quantities: [`Tonnes`], [`Usd`] and [`Share`] over [`rust_decimal::Decimal`].
//!
//! # Reading and writing
//! Quantities are written to JSON as strings (`"5000"`, `"0.857"`), which keeps every digit. They
//! are read from a string, an integer or a JSON number. A JSON number goes through an `f64`, so it
//! is exact only while it has at most 15 significant digits (every such decimal survives the round
//! trip through `f64` and back): a number with more digits is refused with an error that says to
//! write it as a string, rather than rounded silently. `NaN`, infinities and exponents beyond
//! `Decimal`'s 28 digits are refused as well.
//!
//! # Arithmetic
//! Sums and products are checked: an overflow is a [`QuantityError::Overflow`], never a wrap or a
//! panic.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::value_error::{Overflow, QuantityError};

/// Largest number of significant digits a JSON number may carry and still be read exactly.
pub const MAX_EXACT_JSON_NUMBER_DIGITS: usize = 15;

/// Parses a decimal from text: plain notation (`-12.5`), or scientific notation (`1.2e5`).
pub(crate) fn parse_decimal(text: &str) -> Result<Decimal, QuantityError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(QuantityError::Invalid {
            text: text.to_owned(),
            reason: "empty".to_owned(),
        });
    }
    let parsed = if trimmed.contains(['e', 'E']) {
        Decimal::from_scientific(trimmed)
    } else {
        Decimal::from_str_exact(trimmed)
    };
    parsed.map_err(|e| QuantityError::Invalid {
        text: text.to_owned(),
        reason: e.to_string(),
    })
}

/// Counts the significant digits of a decimal rendering such as `0.00120` or `1.5e-7`.
pub(crate) fn significant_digits(rendered: &str) -> usize {
    let mantissa = rendered.split(['e', 'E']).next().unwrap_or(rendered);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let trimmed = digits.trim_start_matches('0').trim_end_matches('0');
    trimmed.len().max(1)
}

/// Converts the `f64` a JSON parser produced back to the decimal that was written.
fn decimal_from_json_f64(value: f64) -> Result<Decimal, QuantityError> {
    if !value.is_finite() {
        return Err(QuantityError::Invalid {
            text: value.to_string(),
            reason: "not a finite number".to_owned(),
        });
    }
    // `{}` prints the shortest decimal that reads back as the same f64.
    let rendered = format!("{value}");
    if significant_digits(&rendered) > MAX_EXACT_JSON_NUMBER_DIGITS {
        return Err(QuantityError::Inexact { text: rendered });
    }
    parse_decimal(&rendered)
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number, as a string (\"12.5\") or a JSON number")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Decimal, E> {
        Decimal::try_from_i128_with_scale(v, 0)
            .map_err(|_| E::custom(Overflow::decimal("a JSON integer")))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Decimal, E> {
        i128::try_from(v)
            .ok()
            .and_then(|v| Decimal::try_from_i128_with_scale(v, 0).ok())
            .ok_or_else(|| E::custom(Overflow::decimal("a JSON integer")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        decimal_from_json_f64(v).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse_decimal(v).map_err(E::custom)
    }
}

/// Reads a decimal the way this module documents (string, integer or short JSON number).
pub(crate) fn deserialize_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(DecimalVisitor)
}

fn decimal_schema(description: &str, unit_interval: bool) -> Schema {
    let mut schema = json_schema!({
        "description": description,
        "type": ["string", "number"],
        "pattern": "^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$"
    });
    if unit_interval {
        schema.insert("minimum".to_owned(), serde_json::json!(0));
        schema.insert("maximum".to_owned(), serde_json::json!(1));
    }
    schema
}

macro_rules! decimal_quantity {
    ($(#[$meta:meta])* $name:ident, unit = $unit:literal, display_dp = $dp:literal, schema = $desc:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Decimal);

        impl $name {
            /// Zero.
            pub const ZERO: Self = Self(Decimal::ZERO);

            /// Wraps an exact decimal value.
            #[must_use]
            pub const fn new(value: Decimal) -> Self {
                Self(value)
            }

            /// The exact decimal value.
            #[must_use]
            pub const fn value(self) -> Decimal {
                self.0
            }

            /// Whether the value is below zero.
            #[must_use]
            pub const fn is_negative(self) -> bool {
                self.0.is_sign_negative() && !self.0.is_zero()
            }

            /// Whether the value is zero.
            #[must_use]
            pub const fn is_zero(self) -> bool {
                self.0.is_zero()
            }

            /// `self + other`, or [`QuantityError::Overflow`] (see [`Overflow`]).
            pub fn checked_add(self, other: Self) -> Result<Self, QuantityError> {
                self.0
                    .checked_add(other.0)
                    .map(Self)
                    .ok_or(Overflow::decimal("a sum of quantities").into())
            }

            /// `self - other`, or [`QuantityError::Overflow`].
            pub fn checked_sub(self, other: Self) -> Result<Self, QuantityError> {
                self.0
                    .checked_sub(other.0)
                    .map(Self)
                    .ok_or(Overflow::decimal("a difference of quantities").into())
            }

            /// `self × factor`, or [`QuantityError::Overflow`].
            pub fn checked_mul(self, factor: Decimal) -> Result<Self, QuantityError> {
                self.0
                    .checked_mul(factor)
                    .map(Self)
                    .ok_or(Overflow::decimal("a multiple of a quantity").into())
            }

            /// Shows the value in a Rust notebook (evcxr) as `Display` prints it, rounded with
            /// its unit, instead of its `Debug` form.
            pub fn evcxr_display(&self) {
                println!("EVCXR_BEGIN_CONTENT text/plain\n{self}\nEVCXR_END_CONTENT");
            }

            /// Sums an iterator of quantities, or [`QuantityError::Overflow`].
            pub fn checked_sum<I: IntoIterator<Item = Self>>(items: I) -> Result<Self, QuantityError> {
                items.into_iter().try_fold(Self::ZERO, Self::checked_add)
            }
        }

        impl fmt::Display for $name {
            /// The value rounded (half away from zero) to the formatter's precision if it has
            /// one (`{:.0}`), else to
            #[doc = concat!(stringify!($dp), " decimal places,")]
            /// without trailing zeros, then the unit. The exact value is
            #[doc = concat!("[`", stringify!($name), "::value`]; serialisation keeps it whole.")]
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let dp = f.precision().map_or($dp, |p| u32::try_from(p).unwrap_or(u32::MAX));
                let shown = self
                    .0
                    .round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .normalize();
                write!(f, concat!("{}", $unit), shown)
            }
        }

        impl FromStr for $name {
            type Err = QuantityError;

            /// Parses the bare number (`"12.5"`); a trailing unit as printed by `Display` is
            /// accepted too.
            fn from_str(s: &str) -> Result<Self, QuantityError> {
                let bare = s.trim().strip_suffix($unit.trim()).unwrap_or(s);
                parse_decimal(bare).map(Self)
            }
        }

        impl From<Decimal> for $name {
            fn from(value: Decimal) -> Self {
                Self(value)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0.to_string())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                deserialize_decimal(d).map(Self)
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                decimal_schema($desc, false)
            }
        }
    };
}

decimal_quantity!(
    /// A mass in metric tonnes (1 t = 1000 kg), exact. Signed, so that it can carry a difference
    /// (a shortfall, a scenario delta); the dataset validator rejects negative capacities.
    ///
    /// ```
    /// use midstream_domain::Tonnes;
    /// let a: Tonnes = "1200.5".parse()?;
    /// let b: Tonnes = "799.5".parse()?;
    /// assert_eq!(a.checked_add(b)?.to_string(), "2000 t");
    /// // Printed to the kilogram, or to the precision asked for; the value stays exact.
    /// let c: Tonnes = "6181.1282728430470767".parse()?;
    /// assert_eq!(c.to_string(), "6181.128 t");
    /// assert_eq!(format!("{c:.0}"), "6181 t");
    /// assert_eq!(c.value().to_string(), "6181.1282728430470767");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Tonnes,
    unit = " t",
    display_dp = 3,
    schema = "Metric tonnes, exact decimal. Write as a string to keep more than 15 significant digits."
);

impl Tonnes {
    /// The value as a report states it, by one rule for every tonnage a person reads: whole
    /// tonnes from 100 t up (what a capacity or a flow is known to), three significant figures
    /// below, never finer than the kilogram. Halves round away from zero (1995.5 t reads
    /// 1996). The value itself stays exact; JSON output keeps it whole.
    ///
    /// ```
    /// use midstream_domain::Tonnes;
    /// let t = |s: &str| s.parse::<Tonnes>().map(|t| t.readable().to_string());
    /// assert_eq!(t("101570.74")?, "101571");
    /// assert_eq!(t("65217.74")?, "65218");
    /// assert_eq!(t("-91721.74")?, "-91722");
    /// assert_eq!(t("99.96")?, "100");
    /// assert_eq!(t("12.345")?, "12.3");
    /// assert_eq!(t("0.0004")?, "0");
    /// assert_eq!(t("0.25")?, "0.25");
    /// assert_eq!(t("1995.5")?, "1996");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn readable(self) -> Decimal {
        let half_up = rust_decimal::RoundingStrategy::MidpointAwayFromZero;
        let v = self.value();
        if v.abs() >= Decimal::ONE_HUNDRED {
            v.round_dp_with_strategy(0, half_up).normalize()
        } else {
            v.round_sf_with_strategy(3, half_up)
                .unwrap_or(v)
                .round_dp_with_strategy(3, half_up)
                .normalize()
        }
    }
}

decimal_quantity!(
    /// An amount of money in United States dollars, exact (nominal, as reported).
    Usd,
    unit = " USD",
    display_dp = 2,
    schema = "US dollars, exact decimal. Write as a string to keep more than 15 significant digits."
);

/// A fraction in `[0, 1]`, exact (a market share, an offtake coverage, an ore grade).
///
/// ```
/// use midstream_domain::Share;
/// let share = Share::from_percent("91".parse()?)?;
/// assert_eq!(share.value().to_string(), "0.91");
/// assert_eq!(share.to_string(), "91.0 %");
/// assert!(Share::new("1.2".parse()?).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Share(Decimal);

impl Share {
    /// Zero.
    pub const ZERO: Self = Self(Decimal::ZERO);
    /// One (the whole).
    pub const ONE: Self = Self(Decimal::ONE);

    /// A share, if `value` lies in `[0, 1]`.
    pub fn new(value: Decimal) -> Result<Self, QuantityError> {
        if value < Decimal::ZERO || value > Decimal::ONE {
            return Err(QuantityError::ShareOutOfRange { value });
        }
        Ok(Self(value))
    }

    /// A share from a percentage in `[0, 100]`.
    pub fn from_percent(percent: Decimal) -> Result<Self, QuantityError> {
        let value = percent
            .checked_div(Decimal::ONE_HUNDRED)
            .ok_or(Overflow::decimal("a share from a percentage"))?;
        Self::new(value)
    }

    /// The exact fraction.
    #[must_use]
    pub const fn value(self) -> Decimal {
        self.0
    }

    /// The share as a percentage.
    #[must_use]
    pub fn percent(self) -> Decimal {
        self.0 * Decimal::ONE_HUNDRED
    }

    /// Shows the share in a Rust notebook (evcxr) as a rounded percentage, as `Display` prints
    /// it, instead of `Share(0.810166)`.
    pub fn evcxr_display(&self) {
        println!("EVCXR_BEGIN_CONTENT text/plain\n{self}\nEVCXR_END_CONTENT");
    }
}

impl fmt::Display for Share {
    /// As a percentage, rounded (half away from zero) to the formatter's precision if it has
    /// one, else to one decimal: `81.0 %` for 0.810166 (`{:.2}` gives `81.02 %`). The exact
    /// fraction is [`Share::value`]; serialisation keeps it whole, and parsing reads both
    /// forms.
    ///
    /// ```
    /// use midstream_domain::Share;
    /// let s: Share = "0.0584415584415584415584415584".parse()?;
    /// assert_eq!(s.to_string(), "5.8 %");
    /// assert_eq!(format!("{s:.2}"), "5.84 %");
    /// assert_eq!("5.8 %".parse::<Share>()?.value().to_string(), "0.058");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dp = f
            .precision()
            .map_or(1, |p| u32::try_from(p).unwrap_or(u32::MAX));
        let percent = self
            .percent()
            .round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        write!(f, "{percent} %")
    }
}

impl FromStr for Share {
    type Err = QuantityError;

    /// A fraction (`"0.25"`), or a percentage as `Display` prints it (`"25 %"`, `"25%"`).
    fn from_str(s: &str) -> Result<Self, QuantityError> {
        match s.trim().strip_suffix('%') {
            Some(percent) => Self::from_percent(parse_decimal(percent.trim())?),
            None => Self::new(parse_decimal(s)?),
        }
    }
}

impl TryFrom<Decimal> for Share {
    type Error = QuantityError;

    fn try_from(value: Decimal) -> Result<Self, QuantityError> {
        Self::new(value)
    }
}

impl Serialize for Share {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for Share {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = deserialize_decimal(d)?;
        Self::new(value).map_err(de::Error::custom)
    }
}

impl JsonSchema for Share {
    fn schema_name() -> Cow<'static, str> {
        "Share".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        decimal_schema("A fraction in [0, 1], exact decimal.", true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_json<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_strings_integers_and_short_numbers_exactly() {
        assert_eq!(
            from_json::<Tonnes>("\"0.1\"").unwrap().value().to_string(),
            "0.1"
        );
        assert_eq!(
            from_json::<Tonnes>("270000").unwrap().value(),
            Decimal::from(270_000)
        );
        assert_eq!(
            from_json::<Tonnes>("0.1").unwrap().value().to_string(),
            "0.1"
        );
        assert_eq!(
            from_json::<Tonnes>("12.345").unwrap().value().to_string(),
            "12.345"
        );
        assert_eq!(
            from_json::<Tonnes>("1.5e3").unwrap().value(),
            Decimal::from(1500)
        );
        assert_eq!(
            from_json::<Tonnes>("\"2.5E2\"").unwrap().value(),
            Decimal::from(250)
        );
        assert_eq!(
            from_json::<Tonnes>("-3").unwrap().value(),
            Decimal::from(-3)
        );
    }

    #[test]
    fn refuses_numbers_it_cannot_read_exactly() {
        let err = from_json::<Tonnes>("0.12345678901234567").unwrap_err();
        assert!(err.contains("as a string"), "{err}");
        let err = from_json::<Tonnes>("123456789012345678901").unwrap_err();
        assert!(err.contains("as a string"), "{err}");
        // Exactly 15 significant digits are fine.
        assert_eq!(
            from_json::<Tonnes>("123456789.012345")
                .unwrap()
                .value()
                .to_string(),
            "123456789.012345"
        );
    }

    #[test]
    fn refuses_nan_infinity_garbage_and_overflow() {
        for bad in [
            "\"NaN\"",
            "\"inf\"",
            "\"-Infinity\"",
            "\"12 t\"",
            "\"\"",
            "\"1e40\"",
            "true",
        ] {
            assert!(from_json::<Tonnes>(bad).is_err(), "{bad} was accepted");
        }
        assert!(from_json::<Tonnes>("\"99999999999999999999999999999\"").is_err());
    }

    #[test]
    fn writes_strings() {
        let t = Tonnes::new(Decimal::new(12_500, 1));
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"1250.0\"");
        assert_eq!(t.to_string(), "1250 t");
        assert_eq!("1250 t".parse::<Tonnes>().unwrap(), t);
    }

    #[test]
    fn checked_arithmetic_reports_overflow() {
        let max = Tonnes::new(Decimal::MAX);
        let overflow = |what| Err(QuantityError::Overflow(Overflow::decimal(what)));
        assert_eq!(
            max.checked_add(Tonnes::new(Decimal::ONE)),
            overflow("a sum of quantities")
        );
        assert_eq!(
            Tonnes::new(Decimal::MIN).checked_sub(Tonnes::new(Decimal::ONE)),
            overflow("a difference of quantities")
        );
        assert_eq!(
            max.checked_mul(Decimal::TWO),
            overflow("a multiple of a quantity")
        );
        assert!(Tonnes::checked_sum([max, max]).is_err());
        assert_eq!(
            Tonnes::checked_sum([Tonnes::new(Decimal::ONE), Tonnes::new(Decimal::TWO)]).unwrap(),
            Tonnes::new(Decimal::from(3))
        );
    }

    #[test]
    fn share_bounds() {
        assert!(Share::new(Decimal::ZERO).is_ok());
        assert!(Share::new(Decimal::ONE).is_ok());
        assert!(Share::new(Decimal::NEGATIVE_ONE).is_err());
        assert!(from_json::<Share>("1.01").is_err());
        assert_eq!(
            from_json::<Share>("\"0.25\"").unwrap().percent(),
            Decimal::from(25)
        );
        assert!(Share::from_percent(Decimal::from(101)).is_err());
    }

    #[test]
    fn negative_zero_is_not_negative() {
        let t: Tonnes = "-0".parse().unwrap();
        assert!(!t.is_negative());
        assert!(t.is_zero());
    }
}
