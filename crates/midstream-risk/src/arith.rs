//! Checked decimal arithmetic that names what overflowed: an overflow is an
//! [`RiskError::Overflow`] naming the quantity, never a panic or a wrapped value.

use midstream_domain::Overflow;
use rust_decimal::Decimal;

use crate::error::RiskError;

pub(crate) fn add(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, RiskError> {
    a.checked_add(b).ok_or(Overflow::decimal(what).into())
}

pub(crate) fn sub(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, RiskError> {
    a.checked_sub(b).ok_or(Overflow::decimal(what).into())
}

pub(crate) fn mul(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, RiskError> {
    a.checked_mul(b).ok_or(Overflow::decimal(what).into())
}

pub(crate) fn div(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, RiskError> {
    a.checked_div(b).ok_or(Overflow::decimal(what).into())
}

pub(crate) fn sum<I: IntoIterator<Item = Decimal>>(
    items: I,
    what: &'static str,
) -> Result<Decimal, RiskError> {
    items
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, x| add(acc, x, what))
}

#[cfg(test)]
mod tests {
    use midstream_domain::Overflow;
    use rust_decimal::Decimal;

    use crate::error::RiskError;

    #[test]
    fn overflow_names_the_quantity() {
        assert_eq!(
            super::add(Decimal::MAX, Decimal::ONE, "x"),
            Err(RiskError::Overflow(Overflow::decimal("x")))
        );
    }
}
