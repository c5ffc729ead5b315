//! Chemical elements: the 17 rare earths and the other critical minerals midstream tracks.
//!
//! Atomic weights are the IUPAC CIAAW standard atomic weights (Prohaska et al., "Standard atomic
//! weights of the elements 2021", Pure Appl. Chem. 94 (2022) 573-600, doi:10.1515/pac-2019-0603,
//! with the 2024 CIAAW revisions of gadolinium (157.249) and lutetium (174.96669)). Where CIAAW
//! gives an interval (Li, C, O, Mg) the value is its *conventional* atomic weight. Promethium has
//! no stable isotope and no standard atomic weight: 145 is the mass number of its longest-lived
//! isotope, the usual stand-in, and [`Element::has_standard_atomic_weight`] says so.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::value_error::ParseError;

/// Conventional atomic weight of oxygen (CIAAW interval [15.99903, 15.99977]).
#[must_use]
pub fn oxygen_atomic_weight() -> Decimal {
    Decimal::new(15_999, 3)
}

/// How rare earths are split into light and heavy groups. The conventions disagree on europium,
/// gadolinium and (for some authors) samarium, so the convention is always named.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum GroupConvention {
    /// USGS (D. J. Cordier, USGS rare-earth commodity specialist, "Mineral Resource of the
    /// Month: Rare Earth Elements", EARTH Magazine): light = lanthanum (57) through gadolinium
    /// (64); heavy = terbium (65) through lutetium (71) plus yttrium; scandium is neither. The
    /// default.
    #[default]
    Usgs,
    /// European Commission, Study on the Critical Raw Materials for the EU 2023: light = La, Ce,
    /// Pr, Nd, Sm; heavy = Eu, Gd, Tb, Dy, Ho, Er, Tm, Yb, Lu and Y. Scandium is assessed on its
    /// own and promethium not at all, so both are in neither group.
    Eu2023,
}

/// Light or heavy rare earth, under a named [`GroupConvention`].
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReeGroup {
    /// Light rare earth (LREE).
    Light,
    /// Heavy rare earth (HREE).
    Heavy,
}

/// The conventional oxide in which an element's tonnage is reported, as `M_m O_n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Oxide {
    /// The metal.
    pub element: Element,
    /// Metal atoms per formula unit (`m`).
    pub metal_atoms: u8,
    /// Oxygen atoms per formula unit (`n`).
    pub oxygen_atoms: u8,
}

impl Oxide {
    /// The formula, e.g. `Nd2O3`, `CeO2`, `Pr6O11`, `MgO`.
    #[must_use]
    pub fn formula(self) -> String {
        let count = |n: u8| if n == 1 { String::new() } else { n.to_string() };
        format!(
            "{}{}O{}",
            self.element.symbol(),
            count(self.metal_atoms),
            count(self.oxygen_atoms)
        )
    }

    /// Molar mass of one formula unit in g/mol.
    #[must_use]
    pub fn molar_mass(self) -> Decimal {
        self.metal_mass() + Decimal::from(self.oxygen_atoms) * oxygen_atomic_weight()
    }

    fn metal_mass(self) -> Decimal {
        Decimal::from(self.metal_atoms) * self.element.atomic_weight()
    }

    /// Mass of metal per unit mass of oxide: `m·Ar(M) / (m·Ar(M) + n·Ar(O))`, e.g. about
    /// 0.857 for Nd2O3. Exact to `Decimal`'s 28 digits.
    ///
    /// ```
    /// use midstream_domain::Element;
    /// let f = Element::Nd.oxide().map(|o| o.metal_per_oxide()).unwrap_or_default();
    /// assert_eq!(f.round_dp(4).to_string(), "0.8574");
    /// ```
    #[must_use]
    pub fn metal_per_oxide(self) -> Decimal {
        self.metal_mass() / self.molar_mass()
    }

    /// Mass of oxide per unit mass of metal, the inverse of [`Oxide::metal_per_oxide`].
    #[must_use]
    pub fn oxide_per_metal(self) -> Decimal {
        self.molar_mass() / self.metal_mass()
    }
}

macro_rules! elements {
    ($( $variant:ident, $symbol:literal, $name:literal, $z:literal, ($mantissa:literal, $scale:literal),
        $oxide:expr, $ree:literal ; )*) => {
        /// A chemical element that midstream tracks: all 17 rare earths (Sc, Y, La..Lu) and the
        /// other critical minerals of its datasets. Parsed from a symbol or an English name
        /// (case-insensitive), displayed and serialised as its symbol.
        ///
        /// ```
        /// use midstream_domain::{Element, GroupConvention, ReeGroup};
        /// let dy: Element = "dysprosium".parse()?;
        /// assert_eq!(dy, Element::Dy);
        /// assert_eq!(dy.to_string(), "Dy");
        /// assert_eq!(dy.atomic_number(), 66);
        /// assert_eq!(dy.ree_group(GroupConvention::Usgs), Some(ReeGroup::Heavy));
        /// assert_eq!(Element::Eu.ree_group(GroupConvention::Usgs), Some(ReeGroup::Light));
        /// assert_eq!(Element::Eu.ree_group(GroupConvention::Eu2023), Some(ReeGroup::Heavy));
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Element {
            $( #[doc = $name] $variant, )*
        }

        impl Element {
            /// Every element, rare earths first (by atomic number), then the others.
            pub const ALL: &'static [Element] = &[$(Element::$variant),*];

            /// The chemical symbol, e.g. `"Nd"`.
            #[must_use]
            pub const fn symbol(self) -> &'static str {
                match self { $(Element::$variant => $symbol,)* }
            }

            /// The English name (IUPAC spelling), e.g. `"neodymium"`, `"aluminium"`.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $(Element::$variant => $name,)* }
            }

            /// The atomic number Z.
            #[must_use]
            pub const fn atomic_number(self) -> u8 {
                match self { $(Element::$variant => $z,)* }
            }

            /// The standard atomic weight in g/mol (see the module docs for the source and the
            /// promethium stand-in).
            #[must_use]
            pub fn atomic_weight(self) -> Decimal {
                match self { $(Element::$variant => Decimal::new($mantissa, $scale),)* }
            }

            /// The conventional reporting oxide, if the trade reports this element as one.
            /// Copper, cobalt, nickel and graphite are reported as contained metal (or carbon),
            /// so they have none.
            #[must_use]
            pub const fn oxide(self) -> Option<Oxide> {
                match self {
                    $(Element::$variant => {
                        let oxide: Option<(u8, u8)> = $oxide;
                        match oxide {
                            Some((metal_atoms, oxygen_atoms)) => Some(Oxide {
                                element: self, metal_atoms, oxygen_atoms,
                            }),
                            None => None,
                        }
                    })*
                }
            }

            /// Whether this is one of the 17 rare-earth elements (Sc, Y and the lanthanides).
            #[must_use]
            pub const fn is_rare_earth(self) -> bool {
                match self { $(Element::$variant => $ree,)* }
            }
        }
    };
}

elements! {
    // Rare earths, by atomic number.
    Sc, "Sc", "scandium", 21, (44_955_907, 6), Some((2, 3)), true;
    Y, "Y", "yttrium", 39, (88_905_838, 6), Some((2, 3)), true;
    La, "La", "lanthanum", 57, (13_890_547, 5), Some((2, 3)), true;
    Ce, "Ce", "cerium", 58, (140_116, 3), Some((1, 2)), true;
    Pr, "Pr", "praseodymium", 59, (14_090_766, 5), Some((6, 11)), true;
    Nd, "Nd", "neodymium", 60, (144_242, 3), Some((2, 3)), true;
    Pm, "Pm", "promethium", 61, (145, 0), Some((2, 3)), true;
    Sm, "Sm", "samarium", 62, (15_036, 2), Some((2, 3)), true;
    Eu, "Eu", "europium", 63, (151_964, 3), Some((2, 3)), true;
    Gd, "Gd", "gadolinium", 64, (157_249, 3), Some((2, 3)), true;
    Tb, "Tb", "terbium", 65, (158_925_354, 6), Some((4, 7)), true;
    Dy, "Dy", "dysprosium", 66, (1_625, 1), Some((2, 3)), true;
    Ho, "Ho", "holmium", 67, (164_930_329, 6), Some((2, 3)), true;
    Er, "Er", "erbium", 68, (167_259, 3), Some((2, 3)), true;
    Tm, "Tm", "thulium", 69, (168_934_219, 6), Some((2, 3)), true;
    Yb, "Yb", "ytterbium", 70, (173_045, 3), Some((2, 3)), true;
    Lu, "Lu", "lutetium", 71, (17_496_669, 5), Some((2, 3)), true;
    // Other critical minerals, by atomic number.
    Li, "Li", "lithium", 3, (694, 2), Some((2, 1)), false;
    Be, "Be", "beryllium", 4, (90_121_831, 7), Some((1, 1)), false;
    C, "C", "carbon (graphite)", 6, (12_011, 3), None, false;
    Mg, "Mg", "magnesium", 12, (24_305, 3), Some((1, 1)), false;
    Al, "Al", "aluminium", 13, (269_815_384, 7), Some((2, 3)), false;
    Ti, "Ti", "titanium", 22, (47_867, 3), Some((1, 2)), false;
    V, "V", "vanadium", 23, (509_415, 4), Some((2, 5)), false;
    Cr, "Cr", "chromium", 24, (519_961, 4), Some((2, 3)), false;
    Co, "Co", "cobalt", 27, (58_933_194, 6), None, false;
    Ni, "Ni", "nickel", 28, (586_934, 4), None, false;
    Cu, "Cu", "copper", 29, (63_546, 3), None, false;
    Ga, "Ga", "gallium", 31, (69_723, 3), Some((2, 3)), false;
    Ge, "Ge", "germanium", 32, (7_263, 2), Some((1, 2)), false;
    Nb, "Nb", "niobium", 41, (9_290_637, 5), Some((2, 5)), false;
    Sb, "Sb", "antimony", 51, (12_176, 2), Some((2, 3)), false;
    Ta, "Ta", "tantalum", 73, (18_094_788, 5), Some((2, 5)), false;
    W, "W", "tungsten", 74, (18_384, 2), Some((1, 3)), false;
    U, "U", "uranium", 92, (23_802_891, 5), Some((3, 8)), false;
}

impl Element {
    /// The 17 rare earths, by atomic number.
    pub fn rare_earths() -> impl Iterator<Item = Element> {
        Self::ALL.iter().copied().filter(|e| e.is_rare_earth())
    }

    /// Whether CIAAW gives a standard atomic weight (false only for promethium).
    #[must_use]
    pub const fn has_standard_atomic_weight(self) -> bool {
        !matches!(self, Element::Pm)
    }

    /// The light/heavy group of a rare earth under `convention`; `None` for elements that are
    /// not rare earths and for those the convention leaves out (scandium; promethium under
    /// [`GroupConvention::Eu2023`]).
    #[must_use]
    pub const fn ree_group(self, convention: GroupConvention) -> Option<ReeGroup> {
        if !self.is_rare_earth() || matches!(self, Element::Sc) {
            return None;
        }
        let z = self.atomic_number();
        match convention {
            GroupConvention::Usgs => {
                if matches!(self, Element::Y) || z >= 65 {
                    Some(ReeGroup::Heavy)
                } else {
                    Some(ReeGroup::Light)
                }
            }
            GroupConvention::Eu2023 => match self {
                Element::Pm => None,
                Element::La | Element::Ce | Element::Pr | Element::Nd | Element::Sm => {
                    Some(ReeGroup::Light)
                }
                _ => Some(ReeGroup::Heavy),
            },
        }
    }

    /// Looks an element up by its atomic number.
    #[must_use]
    pub fn from_atomic_number(z: u8) -> Option<Element> {
        Self::ALL.iter().copied().find(|e| e.atomic_number() == z)
    }
}

impl PartialOrd for Element {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Elements order by atomic number.
impl Ord for Element {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.atomic_number().cmp(&other.atomic_number())
    }
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

impl FromStr for Element {
    type Err = ParseError;

    /// Reads a symbol (`"Nd"`, `"nd"`) or an English name (`"Neodymium"`, `"aluminum"`,
    /// `"graphite"`), ignoring case and surrounding spaces.
    fn from_str(s: &str) -> Result<Self, ParseError> {
        let text = s.trim();
        let lower = text.to_ascii_lowercase();
        let alias = match lower.as_str() {
            "aluminum" => Some(Element::Al),
            "graphite" | "carbon" => Some(Element::C),
            _ => None,
        };
        alias
            .or_else(|| {
                Self::ALL.iter().copied().find(|e| {
                    e.symbol().eq_ignore_ascii_case(text) || e.name().eq_ignore_ascii_case(text)
                })
            })
            .ok_or_else(|| {
                ParseError::new(
                    "element",
                    s,
                    "not a symbol or name of a tracked element (the 17 rare earths, Li, Be, C, \
                     Mg, Al, Ti, V, Cr, Co, Ni, Cu, Ga, Ge, Nb, Sb, Ta, W, U)",
                )
            })
    }
}

impl Serialize for Element {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.symbol())
    }
}

impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Element {
    fn schema_name() -> Cow<'static, str> {
        "Element".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let symbols: Vec<&str> = Element::ALL.iter().map(|e| e.symbol()).collect();
        json_schema!({
            "description": "Chemical symbol of a tracked element (names are accepted on input too).",
            "type": "string",
            "enum": symbols
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seventeen_rare_earths_with_unique_symbols_and_numbers() {
        assert_eq!(Element::rare_earths().count(), 17);
        let mut z: Vec<u8> = Element::ALL.iter().map(|e| e.atomic_number()).collect();
        z.sort_unstable();
        z.dedup();
        assert_eq!(z.len(), Element::ALL.len());
        for e in Element::rare_earths() {
            let z = e.atomic_number();
            assert!(
                z == 21 || z == 39 || (57..=71).contains(&z),
                "{e} has Z {z}"
            );
        }
    }

    #[test]
    fn parses_symbols_and_names_in_any_case() {
        for e in Element::ALL {
            assert_eq!(e.symbol().parse::<Element>().unwrap(), *e);
            assert_eq!(e.symbol().to_uppercase().parse::<Element>().unwrap(), *e);
            if *e != Element::C {
                assert_eq!(e.name().to_uppercase().parse::<Element>().unwrap(), *e);
            }
        }
        assert_eq!("Aluminum".parse::<Element>().unwrap(), Element::Al);
        assert_eq!(" graphite ".parse::<Element>().unwrap(), Element::C);
        assert!("Fe".parse::<Element>().is_err());
        assert!("".parse::<Element>().is_err());
    }

    #[test]
    fn usgs_groups() {
        use ReeGroup::{Heavy, Light};
        let g = |e: Element| e.ree_group(GroupConvention::Usgs);
        assert_eq!(g(Element::Sc), None);
        assert_eq!(g(Element::Y), Some(Heavy));
        assert_eq!(g(Element::La), Some(Light));
        assert_eq!(g(Element::Eu), Some(Light));
        assert_eq!(g(Element::Gd), Some(Light));
        assert_eq!(g(Element::Tb), Some(Heavy));
        assert_eq!(g(Element::Lu), Some(Heavy));
        assert_eq!(g(Element::Cu), None);
    }

    #[test]
    fn eu_groups() {
        use Element::*;
        use ReeGroup::{Heavy, Light};
        let g = |e: Element| e.ree_group(GroupConvention::Eu2023);
        let light: Vec<_> = Element::rare_earths()
            .filter(|e| g(*e) == Some(Light))
            .collect();
        let heavy: Vec<_> = Element::rare_earths()
            .filter(|e| g(*e) == Some(Heavy))
            .collect();
        assert_eq!(light, vec![La, Ce, Pr, Nd, Sm]);
        assert_eq!(heavy, vec![Y, Eu, Gd, Tb, Dy, Ho, Er, Tm, Yb, Lu]);
        assert_eq!(g(Pm), None);
        assert_eq!(g(Sc), None);
    }

    #[test]
    fn stoichiometric_factors() {
        let f = |e: Element| e.oxide().unwrap().metal_per_oxide().round_dp(4).to_string();
        assert_eq!(f(Element::Nd), "0.8574");
        assert_eq!(f(Element::Pr), "0.8277");
        assert_eq!(f(Element::Dy), "0.8713");
        assert_eq!(f(Element::Tb), "0.8502");
        assert_eq!(f(Element::Ce), "0.8141");
        assert_eq!(f(Element::U), "0.8480");
        assert_eq!(f(Element::W), "0.7930");
        let nd = Element::Nd.oxide().unwrap();
        assert_eq!(nd.formula(), "Nd2O3");
        assert_eq!(Element::Pr.oxide().unwrap().formula(), "Pr6O11");
        assert_eq!(Element::Mg.oxide().unwrap().formula(), "MgO");
        assert_eq!(Element::U.oxide().unwrap().formula(), "U3O8");
        assert_eq!(nd.molar_mass().to_string(), "336.481");
        // The two factors are inverse to within Decimal's precision.
        let product = nd.metal_per_oxide() * nd.oxide_per_metal();
        assert!((product - Decimal::ONE).abs() < Decimal::new(1, 25));
        assert!(Element::Cu.oxide().is_none());
    }

    #[test]
    fn serde_as_symbol() {
        assert_eq!(serde_json::to_string(&Element::Tb).unwrap(), "\"Tb\"");
        assert_eq!(
            serde_json::from_str::<Element>("\"terbium\"").unwrap(),
            Element::Tb
        );
        assert!(serde_json::from_str::<Element>("\"Xx\"").is_err());
    }
}
