//! Conversion between exact tonnes and the integer units the flow engine computes in.
//!
//! # Rules
//! - The internal unit is the **kilogram**, held in an `i64` (up to about 9.2e15 t).
//! - Capacities and demands are converted once, when the graph is built, by **rounding down** to
//!   whole kilograms: a capacity is never overstated, so a deliverable figure is never
//!   overstated either. Below a kilogram, figures are not resolved.
//! - A quantity that does not fit is a [`GraphError::QuantityTooLarge`], never a wrap or a clamp.
//! - Results convert back exactly: `kg / 1000` as a `Decimal`.

use midstream_domain::Tonnes;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::error::GraphError;

/// Kilograms per tonne.
pub const KG_PER_TONNE: i64 = 1000;

/// Converts tonnes to whole kilograms, rounding down.
///
/// # Errors
/// [`GraphError::QuantityTooLarge`] if the value is negative or does not fit an `i64` of
/// kilograms; `what` names the quantity in the message.
pub fn tonnes_to_kg(tonnes: Tonnes, what: impl FnOnce() -> String) -> Result<i64, GraphError> {
    let too_large = |what: String| GraphError::QuantityTooLarge {
        what,
        tonnes: tonnes.value().to_string(),
    };
    if tonnes.is_negative() {
        return Err(too_large(what()));
    }
    tonnes
        .value()
        .checked_mul(Decimal::from(KG_PER_TONNE))
        .map(|kg| kg.floor())
        .and_then(|kg| kg.to_i64())
        .ok_or_else(|| too_large(what()))
}

/// Converts kilograms back to exact tonnes.
#[must_use]
pub fn kg_to_tonnes(kg: i64) -> Tonnes {
    Tonnes::new(Decimal::new(kg, 3).normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Tonnes {
        s.parse().unwrap()
    }

    #[test]
    fn rounds_down_to_kilograms() {
        assert_eq!(tonnes_to_kg(t("1.2345"), String::new).unwrap(), 1234);
        assert_eq!(tonnes_to_kg(t("0.0009"), String::new).unwrap(), 0);
        assert_eq!(tonnes_to_kg(t("270000"), String::new).unwrap(), 270_000_000);
        assert_eq!(kg_to_tonnes(1234), t("1.234"));
        assert_eq!(kg_to_tonnes(270_000_000).to_string(), "270000 t");
    }

    #[test]
    fn too_large_or_negative_is_an_error() {
        let err = tonnes_to_kg(t("1e17"), || "capacity of x".to_owned()).unwrap_err();
        assert!(err.to_string().contains("capacity of x"), "{err}");
        assert!(tonnes_to_kg(t("-1"), String::new).is_err());
        assert!(tonnes_to_kg(t("9223372036854775.807"), String::new).is_ok());
        assert!(tonnes_to_kg(t("9223372036854775.808"), String::new).is_err());
    }
}
