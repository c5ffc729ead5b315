//! Market concentration: the Herfindahl-Hirschman index, top-k shares and the US merger
//! guidelines' bands.

use std::fmt::Display;

use midstream_domain::Share;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::arith;
use crate::check::check_fraction;
use crate::error::RiskError;
use crate::explain::{percent, short};
use crate::shares::{Shares, SupplierShare};

/// A Herfindahl-Hirschman index, stored on the 0..1 scale (shares as fractions).
///
/// ```
/// use midstream_risk::Hhi;
/// use rust_decimal::Decimal;
/// let h = Hhi::from_fraction(Decimal::new(3, 1))?;
/// assert_eq!(h.points(), Decimal::from(3000));
/// assert!(Hhi::from_fraction(Decimal::from(3000)).is_err()); // points are not a fraction
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct Hhi(Decimal);

impl Hhi {
    /// An index on the 0..1 scale.
    ///
    /// # Errors
    /// [`RiskError::FractionOutOfRange`] outside `[0, 1]` (an index in points must be divided by
    /// 10,000 first).
    pub fn from_fraction(value: Decimal) -> Result<Self, RiskError> {
        check_fraction("HHI (0..1 scale)", value).map(Self)
    }

    /// An index computed from validated shares, which lies in `[0, 1]` by construction.
    pub(crate) const fn from_shares(value: Decimal) -> Self {
        Self(value)
    }

    /// The index on the 0..1 scale (shares as fractions), as the EU supply-risk formula uses it.
    #[must_use]
    pub const fn fraction(self) -> Decimal {
        self.0
    }

    /// The index on the 0..10,000 scale (shares as percentages), as the merger guidelines use
    /// it.
    #[must_use]
    pub fn points(self) -> Decimal {
        self.0.saturating_mul(Decimal::from(10_000))
    }

    /// The number of equal-sized suppliers that would give this index (`1 / HHI`); `None` for
    /// an index of zero.
    #[must_use]
    pub fn equivalent_suppliers(self) -> Option<Decimal> {
        Decimal::ONE.checked_div(self.0)
    }
}

impl TryFrom<Decimal> for Hhi {
    type Error = RiskError;

    fn try_from(value: Decimal) -> Result<Self, RiskError> {
        Self::from_fraction(value)
    }
}

impl From<Hhi> for Decimal {
    fn from(h: Hhi) -> Decimal {
        h.0
    }
}

/// Concentration bands of the US DOJ/FTC Horizontal Merger Guidelines (2010, §5.3).
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
pub enum Band2010 {
    /// HHI below 1500.
    Unconcentrated,
    /// HHI from 1500 to 2500 inclusive.
    ModeratelyConcentrated,
    /// HHI above 2500.
    HighlyConcentrated,
}

impl Band2010 {
    /// The band of an index.
    ///
    /// ```
    /// use midstream_risk::{Band2010, Hhi};
    /// use rust_decimal::Decimal;
    /// let band = |points: i64| Hhi::from_fraction(Decimal::new(points, 4)).map(Band2010::of);
    /// assert_eq!(band(1499)?, Band2010::Unconcentrated);
    /// assert_eq!(band(1500)?, Band2010::ModeratelyConcentrated);
    /// assert_eq!(band(2500)?, Band2010::ModeratelyConcentrated);
    /// assert_eq!(band(2501)?, Band2010::HighlyConcentrated);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn of(hhi: Hhi) -> Self {
        let points = hhi.points();
        if points < Decimal::from(1500) {
            Band2010::Unconcentrated
        } else if points <= Decimal::from(2500) {
            Band2010::ModeratelyConcentrated
        } else {
            Band2010::HighlyConcentrated
        }
    }

    /// Words for reports.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Band2010::Unconcentrated => "unconcentrated",
            Band2010::ModeratelyConcentrated => "moderately concentrated",
            Band2010::HighlyConcentrated => "highly concentrated",
        }
    }
}

/// The 2023 Merger Guidelines' line above which a market is highly concentrated (HHI points).
pub const HIGHLY_CONCENTRATED_2023: u32 = 1800;

/// The concentration of one market: shares, index, top-k shares and bands.
///
/// With an unnamed remainder (`other`) the index is only known between two bounds: `hhi`
/// counts the remainder as many small suppliers (a lower bound), `hhi_upper` as one supplier
/// (an upper bound). `band_2010` and `highly_concentrated_2023` are those of the lower bound;
/// `band_2010_upper` and `highly_concentrated_2023_upper` those of the upper bound. When they
/// differ, the band is not determined by the data ([`Concentration::band_is_ambiguous`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Concentration<K> {
    /// The named suppliers, largest first (ties by key).
    pub suppliers: Vec<SupplierShare<K>>,
    /// The unnamed remainder.
    pub other: Share,
    /// The index with the remainder counted as many small suppliers (contributing nothing): a
    /// lower bound.
    pub hhi: Hhi,
    /// The index with the remainder counted as one supplier: an upper bound. Equal to `hhi`
    /// when there is no remainder.
    pub hhi_upper: Hhi,
    /// Share of the largest supplier (CR1).
    pub cr1: Share,
    /// Combined share of the three largest (CR3).
    pub cr3: Share,
    /// The 2010 guidelines' band of `hhi`, the lower bound.
    pub band_2010: Band2010,
    /// The 2010 guidelines' band of `hhi_upper`, the upper bound.
    pub band_2010_upper: Band2010,
    /// Whether `hhi`, the lower bound, is above the 2023 guidelines' 1800 points.
    pub highly_concentrated_2023: bool,
    /// Whether `hhi_upper`, the upper bound, is above 1800 points.
    pub highly_concentrated_2023_upper: bool,
}

impl<K: Ord + Clone + Display> Concentration<K> {
    /// Measures the concentration of `shares`.
    ///
    /// # Complexity
    /// O(n) in the number of suppliers (the shares are sorted when built).
    ///
    /// # Errors
    /// [`RiskError::Overflow`] for amounts whose squares leave the decimal range.
    ///
    /// ```
    /// use midstream_risk::{Band2010, Concentration, Shares};
    /// use rust_decimal::Decimal;
    ///
    /// // Shares 40/30/20/10 give an HHI of 3000 (the textbook example).
    /// let shares = Shares::from_percent(
    ///     [("A", Decimal::from(40)), ("B", Decimal::from(30)),
    ///      ("C", Decimal::from(20)), ("D", Decimal::from(10))], None)?;
    /// let c = Concentration::of(&shares)?;
    /// assert_eq!(c.hhi.points(), Decimal::from(3000));
    /// assert_eq!(c.hhi.fraction(), Decimal::new(3, 1));
    /// assert_eq!(c.cr1.percent(), Decimal::from(40));
    /// assert_eq!(c.cr3.percent(), Decimal::from(90));
    /// assert_eq!(c.band_2010, Band2010::HighlyConcentrated);
    /// assert!(c.highly_concentrated_2023);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of(shares: &Shares<K>) -> Result<Self, RiskError> {
        let hhi = Hhi::from_shares(shares.hhi(false)?);
        let hhi_upper = Hhi::from_shares(shares.hhi(true)?);
        let above_1800 = |h: Hhi| h.points() > Decimal::from(HIGHLY_CONCENTRATED_2023);
        Ok(Self {
            suppliers: shares.suppliers(),
            other: shares.other(),
            hhi,
            hhi_upper,
            cr1: shares.top(1),
            cr3: shares.top(3),
            band_2010: Band2010::of(hhi),
            band_2010_upper: Band2010::of(hhi_upper),
            highly_concentrated_2023: above_1800(hhi),
            highly_concentrated_2023_upper: above_1800(hhi_upper),
        })
    }

    /// Whether the unnamed remainder leaves the 2010 band or the 2023 line undetermined: the
    /// lower and upper bounds of the index fall on different sides of a threshold.
    #[must_use]
    pub fn band_is_ambiguous(&self) -> bool {
        self.band_2010 != self.band_2010_upper
            || self.highly_concentrated_2023 != self.highly_concentrated_2023_upper
    }

    /// A one-line summary for reports, e.g. `HHI 7325 (highly concentrated); CR1 84.9% (CN);
    /// CR3 97.3%`. With a remainder, both bounds: `HHI 1077..1158 (unconcentrated)`, or
    /// `HHI 1400..1600 (unconcentrated to moderately concentrated)` when the band is ambiguous.
    #[must_use]
    pub fn summary(&self) -> String {
        let leader = self
            .suppliers
            .first()
            .map(|s| format!(" ({})", s.supplier))
            .unwrap_or_default();
        let index = if self.hhi == self.hhi_upper {
            short(self.hhi.points(), 0)
        } else {
            format!(
                "{}..{}",
                short(self.hhi.points(), 0),
                short(self.hhi_upper.points(), 0)
            )
        };
        let band = if self.band_2010 == self.band_2010_upper {
            self.band_2010.as_str().to_owned()
        } else {
            format!(
                "{} to {}",
                self.band_2010.as_str(),
                self.band_2010_upper.as_str()
            )
        };
        format!(
            "HHI {index} ({band}); CR1 {}{leader}; CR3 {}",
            percent(self.cr1.value()),
            percent(self.cr3.value())
        )
    }
}

/// What the 2010 guidelines say of a change in concentration (§5.3).
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
pub enum Guidance2010 {
    /// ΔHHI below 100 points: unlikely to have adverse competitive effects.
    SmallChange,
    /// The market is unconcentrated afterwards: unlikely to have adverse effects.
    Unconcentrated,
    /// Moderately concentrated afterwards with ΔHHI of 100 or more, or highly concentrated with
    /// ΔHHI of 100 to 200: potentially raises significant competitive concerns.
    PotentialConcerns,
    /// Highly concentrated afterwards with ΔHHI above 200: presumed likely to enhance market
    /// power.
    PresumedMarketPower,
}

/// A change in concentration (a merger, a consolidation, a plant opening or closing), judged by
/// the 2010 bands and the 2023 structural presumption, on the lower-bound index (an unnamed
/// remainder counts as many small suppliers; see [`Concentration`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ConcentrationChange {
    /// Index before.
    pub before: Hhi,
    /// Index after.
    pub after: Hhi,
    /// `after − before` in points (negative when concentration falls).
    pub delta_points: Decimal,
    /// The 2010 band after the change.
    pub band_after_2010: Band2010,
    /// What the 2010 guidelines say of it.
    pub guidance_2010: Guidance2010,
    /// Whether the 2023 guidelines' structural presumption applies: HHI above 1800 and ΔHHI
    /// above 100, or (for a merger) a merged share above 30 % and ΔHHI above 100.
    pub presumption_2023: bool,
    /// The merged firm's share, for a merger.
    pub merged_share: Option<Share>,
    /// One line saying why.
    pub reason: String,
}

impl ConcentrationChange {
    /// Judges the change from `before` to `after` (e.g. a scenario's shares against the
    /// baseline's).
    ///
    /// # Errors
    /// [`RiskError::Overflow`] as for [`Concentration::of`].
    pub fn between<K: Ord + Clone + Display>(
        before: &Shares<K>,
        after: &Shares<K>,
    ) -> Result<Self, RiskError> {
        let b = Hhi::from_shares(before.hhi(false)?);
        let a = Hhi::from_shares(after.hhi(false)?);
        Self::judge(b, a, None)
    }

    /// Judges the merger of `parties` into one supplier, e.g. two refiners combining.
    ///
    /// # Errors
    /// [`RiskError::DuplicateSupplier`] if `into` names a supplier outside `parties`;
    /// [`RiskError::Overflow`].
    ///
    /// ```
    /// use midstream_risk::{ConcentrationChange, Guidance2010, Shares};
    /// use rust_decimal::Decimal;
    /// let shares = Shares::from_percent(
    ///     [("A", Decimal::from(30)), ("B", Decimal::from(20)), ("C", Decimal::from(50))], None)?;
    /// let m = ConcentrationChange::merger(&shares, &["A", "B"], &"AB")?;
    /// assert_eq!(m.delta_points, Decimal::from(1200)); // 2 × 30 × 20
    /// assert_eq!(m.guidance_2010, Guidance2010::PresumedMarketPower);
    /// assert!(m.presumption_2023);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn merger<K: Ord + Clone + Display>(
        shares: &Shares<K>,
        parties: &[K],
        into: &K,
    ) -> Result<Self, RiskError> {
        let merged = shares.merged(parties, into.clone())?;
        let b = Hhi::from_shares(shares.hhi(false)?);
        let a = Hhi::from_shares(merged.hhi(false)?);
        Self::judge(b, a, Some(merged.share(into)))
    }

    fn judge(before: Hhi, after: Hhi, merged_share: Option<Share>) -> Result<Self, RiskError> {
        let delta = arith::sub(after.points(), before.points(), "the change in HHI")?;
        let band = Band2010::of(after);
        let hundred = Decimal::ONE_HUNDRED;
        let guidance_2010 = if delta < hundred {
            Guidance2010::SmallChange
        } else {
            match band {
                Band2010::Unconcentrated => Guidance2010::Unconcentrated,
                Band2010::HighlyConcentrated if delta > Decimal::from(200) => {
                    Guidance2010::PresumedMarketPower
                }
                Band2010::ModeratelyConcentrated | Band2010::HighlyConcentrated => {
                    Guidance2010::PotentialConcerns
                }
            }
        };
        let by_level = after.points() > Decimal::from(HIGHLY_CONCENTRATED_2023);
        let by_share = merged_share.is_some_and(|s| s.value() > Decimal::new(3, 1));
        let presumption_2023 = delta > hundred && (by_level || by_share);
        let reason = format!(
            "HHI {} -> {} (Δ {}): {} after; 2010 guidelines: {}; 2023 presumption {}",
            short(before.points(), 0),
            short(after.points(), 0),
            short(delta, 0),
            band.as_str(),
            match guidance_2010 {
                Guidance2010::SmallChange => "small change, unlikely adverse effects",
                Guidance2010::Unconcentrated => "unconcentrated market, unlikely adverse effects",
                Guidance2010::PotentialConcerns => "potentially significant competitive concerns",
                Guidance2010::PresumedMarketPower => "presumed likely to enhance market power",
            },
            if presumption_2023 {
                "applies"
            } else {
                "does not apply"
            }
        );
        Ok(Self {
            before,
            after,
            delta_points: delta,
            band_after_2010: band,
            guidance_2010,
            presumption_2023,
            merged_share,
            reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn monopoly_and_equal_split() {
        let c = Concentration::of(&Shares::from_fractions([("CN", Decimal::ONE)], None).unwrap())
            .unwrap();
        assert_eq!(c.hhi.fraction(), Decimal::ONE);
        assert_eq!(c.hhi.points(), Decimal::from(10_000));
        assert_eq!(c.hhi.equivalent_suppliers(), Some(Decimal::ONE));
        assert!(!c.band_is_ambiguous());
        let four = Shares::from_amounts(
            [("a", d("5")), ("b", d("5")), ("c", d("5")), ("d", d("5"))],
            None,
        )
        .unwrap();
        let c = Concentration::of(&four).unwrap();
        assert_eq!(c.hhi.points(), Decimal::from(2500));
        assert_eq!(c.band_2010, Band2010::ModeratelyConcentrated);
        assert!(c.highly_concentrated_2023);
        assert_eq!(c.cr3.value(), d("0.75"));
        assert_eq!(
            c.summary(),
            "HHI 2500 (moderately concentrated); CR1 25% (a); CR3 75%"
        );
    }

    #[test]
    fn a_remainder_can_leave_the_band_open() {
        // Named 35 %, 10 %, remainder 55 %: 1225 + 100 = 1325 points at least (unconcentrated),
        // 1325 + 3025 = 4350 at most (highly concentrated).
        let s = Shares::from_percent([("a", d("35")), ("b", d("10"))], Some(d("55"))).unwrap();
        let c = Concentration::of(&s).unwrap();
        assert_eq!(c.hhi.points(), d("1325"));
        assert_eq!(c.hhi_upper.points(), d("4350"));
        assert_eq!(c.band_2010, Band2010::Unconcentrated);
        assert_eq!(c.band_2010_upper, Band2010::HighlyConcentrated);
        assert!(!c.highly_concentrated_2023);
        assert!(c.highly_concentrated_2023_upper);
        assert!(c.band_is_ambiguous());
        assert_eq!(
            c.summary(),
            "HHI 1325..4350 (unconcentrated to highly concentrated); CR1 35% (a); CR3 45%"
        );
        assert!(Hhi::from_fraction(d("-0.1")).is_err());
        assert!(serde_json::from_str::<Hhi>("\"1.5\"").is_err());
        assert_eq!(
            serde_json::from_str::<Hhi>("\"0.5\"").unwrap().points(),
            d("5000")
        );
    }

    #[test]
    fn guidance_bands_of_a_change() {
        let judge = |b: i64, a: i64| {
            ConcentrationChange::judge(
                Hhi::from_fraction(Decimal::new(b, 4)).unwrap(),
                Hhi::from_fraction(Decimal::new(a, 4)).unwrap(),
                None,
            )
            .unwrap()
        };
        assert_eq!(judge(3000, 3050).guidance_2010, Guidance2010::SmallChange);
        assert_eq!(
            judge(1000, 1400).guidance_2010,
            Guidance2010::Unconcentrated
        );
        assert_eq!(
            judge(1500, 1700).guidance_2010,
            Guidance2010::PotentialConcerns
        );
        assert_eq!(
            judge(2500, 2650).guidance_2010,
            Guidance2010::PotentialConcerns
        );
        assert_eq!(
            judge(2500, 2750).guidance_2010,
            Guidance2010::PresumedMarketPower
        );
        // 2023: above 1800 with an increase above 100.
        assert!(judge(1700, 1850).presumption_2023);
        assert!(!judge(1750, 1850).presumption_2023); // Δ exactly 100 is not above 100
        assert!(!judge(1600, 1800).presumption_2023); // 1800 is not above 1800
        let falling = judge(9000, 7000);
        assert_eq!(falling.delta_points, Decimal::from(-2000));
        assert_eq!(falling.guidance_2010, Guidance2010::SmallChange);
        assert!(falling.reason.contains("Δ -2000"), "{}", falling.reason);
    }

    #[test]
    fn merger_share_prong_of_2023() {
        // Post-merger HHI below 1800 but merged share above 30 % with Δ above 100.
        let shares = Shares::from_percent(
            [
                ("a", d("16")),
                ("b", d("16")),
                ("c", d("10")),
                ("d", d("10")),
                ("e", d("10")),
                ("f", d("10")),
                ("g", d("10")),
                ("h", d("10")),
                ("i", d("8")),
            ],
            None,
        )
        .unwrap();
        let m = ConcentrationChange::merger(&shares, &["a", "b"], &"ab").unwrap();
        assert_eq!(m.delta_points, Decimal::from(512));
        assert!(m.after.points() < Decimal::from(1800));
        assert_eq!(m.merged_share.unwrap().value(), d("0.32"));
        assert!(m.presumption_2023);
    }
}
