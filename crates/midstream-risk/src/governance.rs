//! Country governance: the World Bank's Worldwide Governance Indicators (WGI) and the EU trade
//! parameter.

use std::collections::BTreeMap;

use midstream_domain::Country;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::arith;
use crate::check::check_positive;
use crate::error::RiskError;

/// Lowest and highest WGI estimate accepted (the indicators' documented range is about
/// −2.5 to +2.5).
const WGI_BOUND: Decimal = Decimal::from_parts(25, 0, 0, false, 1);

/// A WGI estimate (the mean of the six indicators, or one indicator) in `[-2.5, 2.5]`, higher
/// is better governed.
///
/// ```
/// use midstream_risk::Wgi;
/// use rust_decimal::Decimal;
/// // China's mean estimate of about −0.33 is about 5.66 on the EU's inverted 0..10 scale.
/// let cn = Wgi::new(Decimal::new(-33, 2))?;
/// assert_eq!(cn.eu_scaled(), Decimal::new(566, 2));
/// assert_eq!(cn.risk_fraction(), Decimal::new(566, 3));
/// assert!(Wgi::new(Decimal::from(3)).is_err());
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
pub struct Wgi(Decimal);

impl Wgi {
    /// An estimate, if it lies in `[-2.5, 2.5]`.
    ///
    /// # Errors
    /// [`RiskError::WgiOutOfRange`].
    pub fn new(value: Decimal) -> Result<Self, RiskError> {
        Self::checked("input", "mean", value)
    }

    /// An estimate for a named subject and indicator (for the error message).
    fn checked(subject: &str, indicator: &'static str, value: Decimal) -> Result<Self, RiskError> {
        if value < -WGI_BOUND || value > WGI_BOUND {
            return Err(RiskError::WgiOutOfRange {
                subject: subject.to_owned(),
                indicator,
                value,
            });
        }
        Ok(Self(value))
    }

    /// The estimate.
    #[must_use]
    pub const fn value(self) -> Decimal {
        self.0
    }

    /// The EU criticality methodology's rescaling: `(2.5 − WGI) × 2`, from 0 (best governed)
    /// to 10 (worst).
    #[must_use]
    pub fn eu_scaled(self) -> Decimal {
        (Decimal::new(25, 1) - self.0) * Decimal::TWO
    }

    /// The same rescaling on 0..1 (`(2.5 − WGI) / 5`): 0 best governed, 1 worst. Used as the
    /// governance risk of the USGS disruption potential and of the country risk score.
    #[must_use]
    pub fn risk_fraction(self) -> Decimal {
        (Decimal::new(25, 1) - self.0) / Decimal::from(5)
    }
}

impl TryFrom<Decimal> for Wgi {
    type Error = RiskError;

    fn try_from(value: Decimal) -> Result<Self, RiskError> {
        Self::new(value)
    }
}

impl From<Wgi> for Decimal {
    fn from(w: Wgi) -> Decimal {
        w.0
    }
}

/// The six Worldwide Governance Indicators of one country and year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WgiIndicators {
    /// Voice and accountability (`va`).
    pub voice_and_accountability: Decimal,
    /// Political stability and absence of violence/terrorism (`pv`).
    pub political_stability: Decimal,
    /// Government effectiveness (`ge`).
    pub government_effectiveness: Decimal,
    /// Regulatory quality (`rq`).
    pub regulatory_quality: Decimal,
    /// Rule of law (`rl`).
    pub rule_of_law: Decimal,
    /// Control of corruption (`cc`).
    pub control_of_corruption: Decimal,
}

impl WgiIndicators {
    /// The unweighted mean of the six, as the EU methodology uses it.
    ///
    /// # Errors
    /// [`RiskError::WgiOutOfRange`] naming the first indicator outside `[-2.5, 2.5]`.
    pub fn mean(&self, subject: &str) -> Result<Wgi, RiskError> {
        let named = [
            ("voice_and_accountability", self.voice_and_accountability),
            ("political_stability", self.political_stability),
            ("government_effectiveness", self.government_effectiveness),
            ("regulatory_quality", self.regulatory_quality),
            ("rule_of_law", self.rule_of_law),
            ("control_of_corruption", self.control_of_corruption),
        ];
        for (indicator, value) in named {
            Wgi::checked(subject, indicator, value)?;
        }
        let sum = arith::sum(named.iter().map(|(_, v)| *v), "the WGI mean")?;
        Wgi::checked(subject, "mean", sum / Decimal::from(6))
    }
}

/// WGI estimates by country (the caller's data: a WGI release, a year or a multi-year mean).
///
/// ```
/// use midstream_risk::{GovernanceTable, Wgi};
/// use rust_decimal::Decimal;
/// let mut table = GovernanceTable::default();
/// table.insert("CN".parse()?, Wgi::new(Decimal::new(-33, 2))?);
/// assert!(table.get("CN".parse()?).is_some());
/// assert!(table.get("MY".parse()?).is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GovernanceTable {
    /// The estimates.
    pub estimates: BTreeMap<Country, Wgi>,
    /// What the figures are (release, years averaged), for reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl GovernanceTable {
    /// Adds or replaces a country's estimate.
    pub fn insert(&mut self, country: Country, wgi: Wgi) {
        self.estimates.insert(country, wgi);
    }

    /// A country's estimate, if the table has one.
    #[must_use]
    pub fn get(&self, country: Country) -> Option<Wgi> {
        self.estimates.get(&country).copied()
    }

    /// A country's estimate.
    ///
    /// # Errors
    /// [`RiskError::MissingGovernance`].
    pub fn require(&self, country: Country) -> Result<Wgi, RiskError> {
        self.get(country)
            .ok_or(RiskError::MissingGovernance { country })
    }
}

/// The EU trade-related parameter `t` by country (1 where absent).
///
/// In the EU 2023 data the values seen range from 0.8 (an EU trade agreement covers the
/// country) to 1.5 (heavy export restrictions); see `docs/methodology.md`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TradeParameters {
    /// The parameters that differ from 1.
    pub values: BTreeMap<Country, Decimal>,
}

impl TradeParameters {
    /// A table from (country, t) pairs.
    ///
    /// # Errors
    /// [`RiskError::NotPositive`] for a parameter of zero or below.
    pub fn new<I: IntoIterator<Item = (Country, Decimal)>>(values: I) -> Result<Self, RiskError> {
        let mut map = BTreeMap::new();
        for (country, t) in values {
            check_positive(&format!("trade parameter of {country}"), t)?;
            map.insert(country, t);
        }
        Ok(Self { values: map })
    }

    /// `t` for a country: its entry, else 1.
    ///
    /// # Errors
    /// [`RiskError::NotPositive`] if an entry (set through the public field) is zero or below.
    pub fn of(&self, country: Country) -> Result<Decimal, RiskError> {
        match self.values.get(&country) {
            Some(t) => check_positive(&format!("trade parameter of {country}"), *t),
            None => Ok(Decimal::ONE),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn eu_rescaling_matches_the_critmat_form() {
        // CritMAT: mean = (mean - 2.5) * -2.
        for text in ["-2.5", "-1", "0", "0.37", "2.5"] {
            let v = d(text);
            assert_eq!(Wgi::new(v).unwrap().eu_scaled(), (v - d("2.5")) * d("-2"));
        }
        assert_eq!(Wgi::new(d("-2.5")).unwrap().eu_scaled(), d("10"));
        assert_eq!(Wgi::new(d("2.5")).unwrap().eu_scaled(), Decimal::ZERO);
        assert_eq!(Wgi::new(d("2.5")).unwrap().risk_fraction(), Decimal::ZERO);
        assert_eq!(Wgi::new(d("-2.5")).unwrap().risk_fraction(), Decimal::ONE);
    }

    #[test]
    fn out_of_range_estimates_are_named() {
        let err = Wgi::new(d("-2.51")).unwrap_err();
        assert!(matches!(
            err,
            RiskError::WgiOutOfRange {
                indicator: "mean",
                ..
            }
        ));
        let ind = WgiIndicators {
            voice_and_accountability: d("-1.6"),
            political_stability: d("-2.6"),
            government_effectiveness: d("0.8"),
            regulatory_quality: d("-0.2"),
            rule_of_law: d("-0.1"),
            control_of_corruption: d("0.1"),
        };
        let err = ind.mean("CN").unwrap_err();
        assert_eq!(
            err,
            RiskError::WgiOutOfRange {
                subject: "CN".into(),
                indicator: "political_stability",
                value: d("-2.6")
            }
        );
        let ok = WgiIndicators {
            political_stability: d("-0.2"),
            ..ind
        };
        assert_eq!(ok.mean("CN").unwrap().value(), d("-0.2"));
        assert!(serde_json::from_str::<Wgi>("\"2.6\"").is_err());
    }

    #[test]
    fn trade_parameters_default_to_one() {
        let cn: Country = "CN".parse().unwrap();
        let ca: Country = "CA".parse().unwrap();
        let t = TradeParameters::new([(cn, d("1.1"))]).unwrap();
        assert_eq!(t.of(cn).unwrap(), d("1.1"));
        assert_eq!(t.of(ca).unwrap(), Decimal::ONE);
        assert!(TradeParameters::new([(ca, Decimal::ZERO)]).is_err());
        assert_eq!(
            GovernanceTable::default().require(cn),
            Err(RiskError::MissingGovernance { country: cn })
        );
    }
}
