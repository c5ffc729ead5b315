//! Validated supply shares: who supplies how much of a whole, with an explicit remainder.

use std::fmt::Display;

use midstream_domain::Share;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::arith;
use crate::error::RiskError;

/// The name used for the unlisted remainder in messages and factors.
pub(crate) const OTHER: &str = "other";

/// One supplier and its share of the whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct SupplierShare<K> {
    /// The supplier (a country, an operator, a sector).
    pub supplier: K,
    /// Its share of the whole, remainder included.
    pub share: Share,
}

/// How the values of a [`Shares`] were given: the constructor used, and the form they are
/// written in JSON.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ShareUnit {
    /// Fractions of one ([`Shares::from_fractions`]): they must add up to exactly 1.
    Fraction,
    /// Percentages ([`Shares::from_percent`]): they must add up to exactly 100.
    Percent,
    /// Amounts such as tonnes or money ([`Shares::from_amounts`]), divided by their total.
    Amount,
}

/// Shares of a whole held by named suppliers, plus an optional unnamed remainder (`other`).
///
/// Built from fractions, percentages or amounts (tonnes, money), always checked: no negative
/// share, no supplier twice, and fractions or percentages that add up to exactly one (or 100)
/// once the explicit remainder is counted. Amounts are divided by their total, so they need no
/// remainder to add up. Internally the amounts are kept, so that the Herfindahl-Hirschman index
/// is computed as `Σ aᵢ² / T²` with a single rounding.
///
/// Suppliers are kept in decreasing order of share, ties in increasing order of key, so that
/// every output built from them is deterministic.
///
/// # Serialisation
/// Written as the values given, with their unit, e.g. `{"unit": "percent", "suppliers":
/// [{"supplier": "CN", "value": "84.9"}, ...], "other": "2"}` (`other` omitted when zero).
/// Reading goes through the constructor of the unit, so that JSON is checked like code: shares
/// that do not add up, negative values or duplicates are refused.
///
/// ```
/// use midstream_risk::Shares;
/// use rust_decimal::Decimal;
///
/// let d = |s: &str| s.parse::<Decimal>();
/// // EU 2020 bauxite shares (integer %, countries >= 1 %) name 92 %; the source's own
/// // "other 3" and the 5 % of rounding and small producers are the explicit remainder.
/// let named = vec![("AU", d("28")?), ("CN", d("20")?), ("BR", d("13")?), ("IN", d("8")?),
///                  ("GN", d("8")?), ("ID", d("7")?), ("JM", d("3")?), ("MY", d("3")?),
///                  ("RU", d("2")?)];
/// assert!(Shares::from_percent(named.clone(), None).is_err());
/// let shares = Shares::from_percent(named, Some(d("8")?))?;
/// assert_eq!(shares.other().value(), d("0.08")?);
/// assert_eq!(shares.suppliers()[0].supplier, "AU");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shares<K> {
    /// (supplier, amount), sorted by amount descending then key ascending.
    entries: Vec<(K, Decimal)>,
    other: Decimal,
    total: Decimal,
    unit: ShareUnit,
}

/// One supplier's value in the JSON form of [`Shares`].
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct SupplierValue<K> {
    supplier: K,
    value: Decimal,
}

/// The JSON form of [`Shares`].
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct SharesForm<K> {
    unit: ShareUnit,
    suppliers: Vec<SupplierValue<K>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    other: Option<Decimal>,
}

impl<K: schemars::JsonSchema> schemars::JsonSchema for Shares<K> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Shares_{}", K::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        SharesForm::<K>::json_schema(generator)
    }
}

impl<K: Serialize> Serialize for Shares<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SharesForm {
            unit: self.unit,
            suppliers: self
                .entries
                .iter()
                .map(|(supplier, value)| SupplierValue {
                    supplier,
                    value: *value,
                })
                .collect(),
            other: (!self.other.is_zero()).then_some(self.other),
        }
        .serialize(serializer)
    }
}

impl<'de, K> Deserialize<'de> for Shares<K>
where
    K: Deserialize<'de> + Ord + Clone + Display,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let form = SharesForm::<K>::deserialize(deserializer)?;
        let named = form.suppliers.into_iter().map(|s| (s.supplier, s.value));
        match form.unit {
            ShareUnit::Fraction => Self::from_fractions(named, form.other),
            ShareUnit::Percent => Self::from_percent(named, form.other),
            ShareUnit::Amount => Self::from_amounts(named, form.other),
        }
        .map_err(serde::de::Error::custom)
    }
}

impl<K: Ord + Clone + Display> Shares<K> {
    /// Shares given as fractions of one. Without `other`, they must add up to exactly one;
    /// with it, named shares plus `other` must.
    ///
    /// # Errors
    /// [`RiskError::NegativeShare`], [`RiskError::ShareAboveOne`], [`RiskError::DuplicateSupplier`],
    /// [`RiskError::SharesDoNotSumToOne`].
    pub fn from_fractions<I>(named: I, other: Option<Decimal>) -> Result<Self, RiskError>
    where
        I: IntoIterator<Item = (K, Decimal)>,
    {
        Self::from_unit_shares(named, other, Decimal::ONE)
    }

    /// Shares given as percentages of 100. Without `other`, they must add up to exactly 100;
    /// with it, named shares plus `other` must.
    ///
    /// # Errors
    /// As [`Shares::from_fractions`], with values read as percentages.
    pub fn from_percent<I>(named: I, other: Option<Decimal>) -> Result<Self, RiskError>
    where
        I: IntoIterator<Item = (K, Decimal)>,
    {
        Self::from_unit_shares(named, other, Decimal::ONE_HUNDRED)
    }

    /// Shares from amounts (tonnes of capacity or production, money), each divided by the total
    /// (remainder included). `other` is the amount supplied by unnamed suppliers.
    ///
    /// # Errors
    /// [`RiskError::NegativeShare`] for a negative amount, [`RiskError::DuplicateSupplier`],
    /// [`RiskError::ZeroTotal`] when everything adds up to zero.
    pub fn from_amounts<I>(named: I, other: Option<Decimal>) -> Result<Self, RiskError>
    where
        I: IntoIterator<Item = (K, Decimal)>,
    {
        let (entries, other) = Self::collect(named, other)?;
        let total = Self::total_of(&entries, other)?;
        if total.is_zero() {
            return Err(RiskError::ZeroTotal {
                what: "the suppliers".to_owned(),
            });
        }
        Ok(Self {
            entries,
            other,
            total,
            unit: ShareUnit::Amount,
        })
    }

    fn from_unit_shares<I>(
        named: I,
        other: Option<Decimal>,
        whole: Decimal,
    ) -> Result<Self, RiskError>
    where
        I: IntoIterator<Item = (K, Decimal)>,
    {
        let given_other = other;
        let (entries, other) = Self::collect(named, other)?;
        for (k, v) in &entries {
            if *v > whole {
                return Err(RiskError::ShareAboveOne {
                    supplier: k.to_string(),
                    value: *v,
                });
            }
        }
        if other > whole {
            return Err(RiskError::ShareAboveOne {
                supplier: OTHER.to_owned(),
                value: other,
            });
        }
        let named_sum = arith::sum(entries.iter().map(|(_, v)| *v), "the sum of shares")?;
        let total = arith::add(named_sum, other, "the sum of shares")?;
        if total != whole {
            return Err(RiskError::SharesDoNotSumToOne {
                named_sum: arith::div(named_sum, whole, "the sum of shares")?,
                other: given_other
                    .map(|o| arith::div(o, whole, "the sum of shares"))
                    .transpose()?,
                total: arith::div(total, whole, "the sum of shares")?,
            });
        }
        Ok(Self {
            entries,
            other,
            total: whole,
            unit: if whole == Decimal::ONE {
                ShareUnit::Fraction
            } else {
                ShareUnit::Percent
            },
        })
    }

    fn collect<I>(
        named: I,
        other: Option<Decimal>,
    ) -> Result<(Vec<(K, Decimal)>, Decimal), RiskError>
    where
        I: IntoIterator<Item = (K, Decimal)>,
    {
        let mut entries: Vec<(K, Decimal)> = named.into_iter().collect();
        for (k, v) in &entries {
            if v.is_sign_negative() && !v.is_zero() {
                return Err(RiskError::NegativeShare {
                    supplier: k.to_string(),
                    value: *v,
                });
            }
        }
        let other = other.unwrap_or(Decimal::ZERO);
        if other.is_sign_negative() && !other.is_zero() {
            return Err(RiskError::NegativeShare {
                supplier: OTHER.to_owned(),
                value: other,
            });
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(twice) = entries.windows(2).find_map(|pair| match pair {
            [a, b] if a.0 == b.0 => Some(&a.0),
            _ => None,
        }) {
            return Err(RiskError::DuplicateSupplier {
                supplier: twice.to_string(),
            });
        }
        entries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok((entries, other))
    }

    fn total_of(entries: &[(K, Decimal)], other: Decimal) -> Result<Decimal, RiskError> {
        let named = arith::sum(entries.iter().map(|(_, v)| *v), "the total amount")?;
        arith::add(named, other, "the total amount")
    }

    /// The named suppliers with their shares, largest first (ties by key).
    #[must_use]
    pub fn suppliers(&self) -> Vec<SupplierShare<K>> {
        self.entries
            .iter()
            .map(|(k, a)| SupplierShare {
                supplier: k.clone(),
                share: self.share_of_amount(*a),
            })
            .collect()
    }

    /// The share of `supplier` (zero if it is not named).
    #[must_use]
    pub fn share(&self, supplier: &K) -> Share {
        self.entries
            .iter()
            .find(|(k, _)| k == supplier)
            .map_or(Share::ZERO, |(_, a)| self.share_of_amount(*a))
    }

    /// The unit the values were given in.
    #[must_use]
    pub const fn unit(&self) -> ShareUnit {
        self.unit
    }

    /// The unnamed remainder's share.
    #[must_use]
    pub fn other(&self) -> Share {
        self.share_of_amount(self.other)
    }

    /// Number of named suppliers with a positive share.
    #[must_use]
    pub fn supplier_count(&self) -> usize {
        self.entries.iter().filter(|(_, a)| !a.is_zero()).count()
    }

    /// The named suppliers' exact shares as decimals, in order (for the formulas).
    pub(crate) fn fractions(&self) -> impl Iterator<Item = (&K, Decimal)> + '_ {
        self.entries
            .iter()
            .map(|(k, a)| (k, self.share_of_amount(*a).value()))
    }

    /// Combined share of the `k` largest named suppliers (`CRk`); the remainder never counts as
    /// one supplier here.
    #[must_use]
    pub fn top(&self, k: usize) -> Share {
        let amount = self
            .entries
            .iter()
            .take(k)
            .fold(Decimal::ZERO, |acc, (_, a)| acc.saturating_add(*a));
        self.share_of_amount(amount)
    }

    /// Combined share of the named suppliers for which `member` holds, computed from their
    /// amounts with a single division (so that it never exceeds one).
    pub(crate) fn share_where(&self, member: impl Fn(&K) -> bool) -> Result<Share, RiskError> {
        let amount = arith::sum(
            self.entries
                .iter()
                .filter(|(k, _)| member(k))
                .map(|(_, a)| *a),
            "a combined share",
        )?;
        Ok(self.share_of_amount(amount))
    }

    /// Herfindahl-Hirschman index on the 0..1 scale, `Σ sᵢ²` over the named suppliers. With
    /// `other_as_single_supplier`, the remainder counts as one more supplier (an upper bound);
    /// without, as infinitely many small ones contributing nothing (a lower bound).
    ///
    /// # Errors
    /// [`RiskError::Overflow`] if squaring the amounts leaves the decimal range.
    pub fn hhi(&self, other_as_single_supplier: bool) -> Result<Decimal, RiskError> {
        const WHAT: &str = "the Herfindahl-Hirschman index";
        let mut squares = Decimal::ZERO;
        for (_, a) in &self.entries {
            squares = arith::add(squares, arith::mul(*a, *a, WHAT)?, WHAT)?;
        }
        if other_as_single_supplier {
            squares = arith::add(squares, arith::mul(self.other, self.other, WHAT)?, WHAT)?;
        }
        let total_sq = arith::mul(self.total, self.total, WHAT)?;
        arith::div(squares, total_sq, WHAT)
    }

    /// The same shares with `members` merged into one supplier named `into` (for a merger or
    /// a consolidation). `into` may be one of the members; members not present are ignored.
    ///
    /// # Errors
    /// [`RiskError::DuplicateSupplier`] if `into` is already a supplier outside `members`.
    pub fn merged(&self, members: &[K], into: K) -> Result<Self, RiskError> {
        let mut merged_amount = Decimal::ZERO;
        let mut rest = Vec::with_capacity(self.entries.len());
        for (k, a) in &self.entries {
            if members.contains(k) {
                merged_amount = arith::add(merged_amount, *a, "a merged share")?;
            } else {
                rest.push((k.clone(), *a));
            }
        }
        rest.push((into, merged_amount));
        let (entries, other) = Self::collect(rest, Some(self.other))?;
        Ok(Self {
            entries,
            other,
            total: self.total,
            unit: self.unit,
        })
    }

    fn share_of_amount(&self, amount: Decimal) -> Share {
        // amount <= total and both are non-negative with total > 0, so the quotient is in
        // [0, 1]; a rounding in the 28th digit cannot take it past 1.
        amount
            .checked_div(self.total)
            .and_then(|v| Share::new(v.min(Decimal::ONE)).ok())
            .unwrap_or(Share::ZERO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn fractions_must_add_up_unless_other_is_given() {
        assert!(Shares::from_fractions([("a", d("0.5")), ("b", d("0.5"))], None).is_ok());
        let err = Shares::from_fractions([("a", d("0.5")), ("b", d("0.4"))], None).unwrap_err();
        assert!(
            matches!(err, RiskError::SharesDoNotSumToOne { .. }),
            "{err}"
        );
        let s = Shares::from_fractions([("a", d("0.5")), ("b", d("0.4"))], Some(d("0.1"))).unwrap();
        assert_eq!(s.other().value(), d("0.1"));
        let err = Shares::from_fractions([("a", d("0.5"))], Some(d("0.6"))).unwrap_err();
        assert!(
            matches!(err, RiskError::SharesDoNotSumToOne { .. }),
            "{err}"
        );
    }

    #[test]
    fn refuses_negative_duplicate_and_oversized_shares() {
        let err = Shares::from_fractions([("a", d("1.2")), ("b", d("-0.2"))], None).unwrap_err();
        assert_eq!(
            err,
            RiskError::NegativeShare {
                supplier: "b".into(),
                value: d("-0.2")
            }
        );
        let err = Shares::from_fractions([("a", d("0.5")), ("a", d("0.5"))], None).unwrap_err();
        assert_eq!(
            err,
            RiskError::DuplicateSupplier {
                supplier: "a".into()
            }
        );
        let err = Shares::from_fractions([("a", d("1.5"))], None).unwrap_err();
        assert!(matches!(err, RiskError::ShareAboveOne { .. }));
        let err = Shares::from_fractions([("a", d("0.5"))], Some(d("-0.5"))).unwrap_err();
        assert!(
            matches!(err, RiskError::NegativeShare { ref supplier, .. } if supplier == "other")
        );
        let err = Shares::<&str>::from_amounts([("a", d("0"))], None).unwrap_err();
        assert!(matches!(err, RiskError::ZeroTotal { .. }));
    }

    #[test]
    fn amounts_are_divided_by_their_total_and_sorted() {
        let s = Shares::from_amounts([("b", d("1")), ("c", d("3")), ("a", d("1"))], None).unwrap();
        let order: Vec<&str> = s.suppliers().iter().map(|x| x.supplier).collect();
        assert_eq!(order, vec!["c", "a", "b"]);
        assert_eq!(s.share(&"c").value(), d("0.6"));
        assert_eq!(s.share(&"z"), Share::ZERO);
        assert_eq!(s.top(1).value(), d("0.6"));
        assert_eq!(s.top(3).value(), Decimal::ONE);
        assert_eq!(s.top(10).value(), Decimal::ONE);
        // Σ aᵢ² / T² = (9 + 1 + 1) / 25.
        assert_eq!(s.hhi(false).unwrap(), d("0.44"));
    }

    #[test]
    fn remainder_bounds_the_index() {
        let s = Shares::from_percent([("a", d("50"))], Some(d("50"))).unwrap();
        assert_eq!(s.hhi(false).unwrap(), d("0.25"));
        assert_eq!(s.hhi(true).unwrap(), d("0.5"));
        assert_eq!(s.supplier_count(), 1);
    }

    #[test]
    fn json_form_round_trips_and_is_checked() {
        let s = Shares::from_percent([("b", d("30")), ("a", d("60"))], Some(d("10"))).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(
            json,
            r#"{"unit":"percent","suppliers":[{"supplier":"a","value":"60"},{"supplier":"b","value":"30"}],"other":"10"}"#
        );
        let back: Shares<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back.share(&"a".to_owned()).value(), d("0.6"));
        assert_eq!(back.unit(), ShareUnit::Percent);
        let short = r#"{"unit":"fraction","suppliers":[{"supplier":"a","value":"0.9"}]}"#;
        let err = serde_json::from_str::<Shares<String>>(short).unwrap_err();
        assert!(err.to_string().contains("explicit `other`"), "{err}");
        let amounts = r#"{"unit":"amount","suppliers":[{"supplier":"a","value":"9"}]}"#;
        let a: Shares<String> = serde_json::from_str(amounts).unwrap();
        assert_eq!(a.share(&"a".to_owned()), Share::ONE);
        let negative = r#"{"unit":"amount","suppliers":[{"supplier":"a","value":"-9"}]}"#;
        assert!(serde_json::from_str::<Shares<String>>(negative).is_err());
    }

    #[test]
    fn merging_adds_the_members() {
        let s =
            Shares::from_percent([("a", d("40")), ("b", d("30")), ("c", d("30"))], None).unwrap();
        let m = s.merged(&["b", "c"], "bc").unwrap();
        assert_eq!(m.share(&"bc").value(), d("0.6"));
        assert_eq!(m.suppliers()[0].supplier, "bc");
        assert!(s.merged(&["b"], "a").is_err());
    }
}
