//! Commodities: what flows through a supply chain, as a set of elements in a form, measured on a
//! stated quantity basis.
//!
//! # Notation
//! `ELEMENTS:form[@basis]`, e.g. `NdPr:oxide`, `Dy:metal`, `REO:concentrate`,
//! `NdPr:magnet@contained`.
//! - ELEMENTS: element symbols written together (`NdPr`, `DyTb`), or `REO` (also `REE`, `TREO`)
//!   for all 17 rare earths as a mix. Symbols are case-sensitive here (`Nd`, not `ND`), which
//!   keeps `NdPr` unambiguous. Displayed in descending atomic number, which gives the trade's
//!   usual `NdPr` and `DyTb`.
//! - form: one of [`Form`]'s names (`ore`, `concentrate`, `mixed_chemical`, `oxide`, `metal`,
//!   `alloy`, `magnet`, `scrap`).
//! - basis: `oxide` (oxide equivalent, e.g. t REO), `contained` (contained element) or
//!   `product` (gross product mass). When omitted, the form's default ([`Form::default_basis`])
//!   applies, and `Display` omits it again, so that `parse(display(c)) == c`.
//!
//! # Conversions between bases
//! Oxide-equivalent and contained-element tonnes convert by exact stoichiometric factors from
//! atomic weights ([`crate::Oxide::metal_per_oxide`]); a mix needs its composition
//! ([`Composition`]). Product mass converts only with a factor the data supplies (a magnet's
//! rare-earth content is a property of the product, not of chemistry), so
//! [`Commodity::convert`] refuses it.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::element::Element;
use crate::quantity::{Share, Tonnes};
use crate::value_error::{ConversionError, Overflow, ParseError, QuantityError};

/// The physical form of a commodity, roughly in chain order.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Form {
    /// Run-of-mine ore.
    Ore,
    /// Mineral concentrate (bastnäsite, monazite, wolframite, copper concentrate, ...).
    Concentrate,
    /// Mixed chemical intermediate after cracking/leaching (mixed carbonate, chloride, MREC).
    MixedChemical,
    /// Separated oxide (NdPr oxide, Dy2O3, U3O8, alumina).
    Oxide,
    /// Metal (NdPr metal, titanium sponge, copper cathode, aluminium).
    Metal,
    /// Alloy (NdFeB strip-cast alloy, ferrochrome, Dy-Fe).
    Alloy,
    /// Permanent magnet (sintered or bonded NdFeB, SmCo).
    Magnet,
    /// Scrap and swarf, the feed of recycling.
    Scrap,
}

impl Form {
    /// Every form, in chain order.
    pub const ALL: [Form; 8] = [
        Form::Ore,
        Form::Concentrate,
        Form::MixedChemical,
        Form::Oxide,
        Form::Metal,
        Form::Alloy,
        Form::Magnet,
        Form::Scrap,
    ];

    /// The notation name, e.g. `"mixed_chemical"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Form::Ore => "ore",
            Form::Concentrate => "concentrate",
            Form::MixedChemical => "mixed_chemical",
            Form::Oxide => "oxide",
            Form::Metal => "metal",
            Form::Alloy => "alloy",
            Form::Magnet => "magnet",
            Form::Scrap => "scrap",
        }
    }

    /// The basis a form is reported on unless stated: ore, concentrate, mixed chemical and oxide
    /// on oxide equivalent (if every element has a conventional oxide, otherwise contained
    /// element, as for copper); metal and alloy on contained element; magnet and scrap on
    /// product mass.
    #[must_use]
    pub fn default_basis(self, elements: &ElementSet) -> Basis {
        match self {
            Form::Ore | Form::Concentrate | Form::MixedChemical | Form::Oxide => {
                if elements.iter().all(|e| e.oxide().is_some()) {
                    Basis::OxideEquivalent
                } else {
                    Basis::ContainedElement
                }
            }
            Form::Metal | Form::Alloy => Basis::ContainedElement,
            Form::Magnet | Form::Scrap => Basis::ProductMass,
        }
    }
}

impl fmt::Display for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Form {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        Form::ALL
            .iter()
            .copied()
            .find(|f| f.as_str() == s.trim())
            .ok_or_else(|| {
                ParseError::new(
                    "form",
                    s,
                    "expected ore, concentrate, mixed_chemical, oxide, metal, alloy, magnet or scrap",
                )
            })
    }
}

/// What a tonnage of a commodity counts.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Tonnes of the conventional oxide (e.g. t REO, t Nd2O3 + Pr6O11, t WO3, t U3O8).
    OxideEquivalent,
    /// Tonnes of the contained element(s).
    ContainedElement,
    /// Tonnes of the product as shipped (magnet, concentrate gross weight).
    ProductMass,
}

impl Basis {
    /// The notation suffix: `oxide`, `contained` or `product`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Basis::OxideEquivalent => "oxide",
            Basis::ContainedElement => "contained",
            Basis::ProductMass => "product",
        }
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Basis {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        match s.trim() {
            "oxide" => Ok(Basis::OxideEquivalent),
            "contained" => Ok(Basis::ContainedElement),
            "product" => Ok(Basis::ProductMass),
            _ => Err(ParseError::new(
                "basis",
                s,
                "expected oxide, contained or product",
            )),
        }
    }
}

/// A non-empty set of elements, iterated in ascending atomic number.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ElementSet(u64);

impl ElementSet {
    fn bit(e: Element) -> u64 {
        // `Element::ALL` has fewer than 64 entries; the position is always found.
        let index = Element::ALL.iter().position(|x| *x == e).unwrap_or(0);
        1u64 << index
    }

    /// The set of the given elements, or `None` if it would be empty.
    pub fn new<I: IntoIterator<Item = Element>>(elements: I) -> Option<Self> {
        let bits = elements.into_iter().fold(0, |acc, e| acc | Self::bit(e));
        (bits != 0).then_some(Self(bits))
    }

    /// A single element.
    #[must_use]
    pub fn single(e: Element) -> Self {
        Self(Self::bit(e))
    }

    /// All 17 rare earths.
    #[must_use]
    pub fn rare_earths() -> Self {
        Self(Element::rare_earths().fold(0, |acc, e| acc | Self::bit(e)))
    }

    /// Whether the set holds `e`.
    #[must_use]
    pub fn contains(&self, e: Element) -> bool {
        self.0 & Self::bit(e) != 0
    }

    /// The only element, if the set has exactly one.
    #[must_use]
    pub fn as_single(&self) -> Option<Element> {
        let mut it = self.iter();
        match (it.next(), it.next()) {
            (Some(e), None) => Some(e),
            _ => None,
        }
    }

    /// The number of elements.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    /// Always false: an `ElementSet` is never empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// Whether `other` is a subset of `self`.
    #[must_use]
    pub fn includes(&self, other: &ElementSet) -> bool {
        self.0 & other.0 == other.0
    }

    /// The elements, sorted by atomic number.
    pub fn iter(&self) -> impl Iterator<Item = Element> + '_ {
        let mut v: Vec<Element> = Element::ALL
            .iter()
            .copied()
            .filter(|e| self.contains(*e))
            .collect();
        v.sort_by_key(|e| e.atomic_number());
        v.into_iter()
    }
}

impl fmt::Debug for ElementSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ElementSet({self})")
    }
}

impl fmt::Display for ElementSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Self::rare_earths() {
            return f.write_str("REO");
        }
        let mut elements: Vec<Element> = self.iter().collect();
        elements.reverse();
        for e in elements {
            f.write_str(e.symbol())?;
        }
        Ok(())
    }
}

impl FromStr for ElementSet {
    type Err = ParseError;

    /// Reads `REO`/`REE`/`TREO` or symbols written together (`NdPr`), case-sensitively.
    fn from_str(s: &str) -> Result<Self, ParseError> {
        let text = s.trim();
        if matches!(text, "REO" | "REE" | "TREO") {
            return Ok(Self::rare_earths());
        }
        let mut elements = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            // A symbol is an upper-case letter and at most one lower-case letter.
            let mut chars = rest.char_indices();
            let first_ok = chars.next().is_some_and(|(_, c)| c.is_ascii_uppercase());
            if !first_ok {
                return Err(ParseError::new(
                    "element set",
                    s,
                    format!(
                        "expected an element symbol starting with an upper-case letter at {rest:?}"
                    ),
                ));
            }
            let len = match chars.next() {
                Some((_, c)) if c.is_ascii_lowercase() => 2,
                _ => 1,
            };
            let (symbol, tail) = rest.split_at(len);
            let element = Element::ALL
                .iter()
                .copied()
                .find(|e| e.symbol() == symbol)
                .ok_or_else(|| {
                    ParseError::new(
                        "element set",
                        s,
                        format!("{symbol:?} is not a tracked element symbol"),
                    )
                })?;
            if elements.contains(&element) {
                return Err(ParseError::new(
                    "element set",
                    s,
                    format!("{symbol} appears twice"),
                ));
            }
            elements.push(element);
            rest = tail;
        }
        Self::new(elements).ok_or_else(|| {
            ParseError::new(
                "element set",
                s,
                "expected element symbols such as NdPr, or REO",
            )
        })
    }
}

/// What flows: a set of elements in a [`Form`], counted on a [`Basis`].
///
/// ```
/// use midstream_domain::{Basis, Commodity, Element, Form};
/// let ndpr: Commodity = "NdPr:oxide".parse()?;
/// assert_eq!(ndpr.form(), Form::Oxide);
/// assert_eq!(ndpr.basis(), Basis::OxideEquivalent);
/// assert!(ndpr.elements().contains(Element::Pr));
/// assert_eq!(ndpr.to_string(), "NdPr:oxide");
/// // Bases other than the form's default are written out.
/// let magnet: Commodity = "NdPr:magnet@contained".parse()?;
/// assert_eq!(magnet.to_string(), "NdPr:magnet@contained");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Commodity {
    elements: ElementSet,
    form: Form,
    basis: Basis,
}

impl Commodity {
    /// A commodity on the form's default basis.
    #[must_use]
    pub fn new(elements: ElementSet, form: Form) -> Self {
        let basis = form.default_basis(&elements);
        Self {
            elements,
            form,
            basis,
        }
    }

    /// A commodity on an explicit basis. Oxide-equivalent needs every element to have a
    /// conventional oxide.
    pub fn with_basis(elements: ElementSet, form: Form, basis: Basis) -> Result<Self, ParseError> {
        if basis == Basis::OxideEquivalent && elements.iter().any(|e| e.oxide().is_none()) {
            return Err(ParseError::new(
                "commodity",
                &format!("{elements}:{form}@{basis}"),
                "oxide basis for an element with no conventional oxide (Cu, Co, Ni, C)",
            ));
        }
        Ok(Self {
            elements,
            form,
            basis,
        })
    }

    /// The elements.
    #[must_use]
    pub const fn elements(&self) -> ElementSet {
        self.elements
    }

    /// The form.
    #[must_use]
    pub const fn form(&self) -> Form {
        self.form
    }

    /// The quantity basis.
    #[must_use]
    pub const fn basis(&self) -> Basis {
        self.basis
    }

    /// Whether every element is a rare earth.
    #[must_use]
    pub fn is_rare_earth(&self) -> bool {
        self.elements.iter().all(Element::is_rare_earth)
    }

    /// Converts `tonnes` of this commodity to the same commodity on `to` basis.
    ///
    /// Oxide-equivalent ↔ contained-element uses the stoichiometric factor of the single element,
    /// or of `composition` for a mix (required then). Product mass never converts here.
    ///
    /// ```
    /// use midstream_domain::{Basis, Commodity, Composition, Element, Share};
    /// let oxide: Commodity = "Nd:oxide".parse()?;
    /// let (metal, t) = oxide.convert("100".parse()?, Basis::ContainedElement, None)?;
    /// assert_eq!(metal.to_string(), "Nd:oxide@contained");
    /// assert_eq!(t.value().round_dp(2).to_string(), "85.74");
    /// // A mix needs its composition (shares of oxide mass).
    /// let ndpr: Commodity = "NdPr:oxide".parse()?;
    /// let mix = Composition::new(vec![
    ///     (Element::Nd, "0.75".parse::<Share>()?),
    ///     (Element::Pr, "0.25".parse::<Share>()?),
    /// ])?;
    /// let (_, t) = ndpr.convert("100".parse()?, Basis::ContainedElement, Some(&mix))?;
    /// assert_eq!(t.value().round_dp(2).to_string(), "84.99");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn convert(
        &self,
        tonnes: Tonnes,
        to: Basis,
        composition: Option<&Composition>,
    ) -> Result<(Commodity, Tonnes), ConversionError> {
        let target = Commodity { basis: to, ..*self };
        if to == self.basis {
            return Ok((target, tonnes));
        }
        let no_factor = |reason: &str| ConversionError::NoStoichiometry {
            commodity: self.to_string(),
            from: self.basis.to_string(),
            to: to.to_string(),
            reason: reason.to_owned(),
        };
        if self.basis == Basis::ProductMass || to == Basis::ProductMass {
            return Err(no_factor(
                "product mass converts only with a factor from the data",
            ));
        }
        let metal_per_oxide = match (self.elements.as_single(), composition) {
            (_, Some(c)) => {
                if !c.elements().all(|e| self.elements.contains(*e)) {
                    return Err(no_factor(
                        "the composition names elements outside the commodity",
                    ));
                }
                c.metal_per_oxide()
                    .ok_or_else(|| no_factor("an element has no oxide"))?
            }
            (Some(e), None) => e
                .oxide()
                .map(crate::element::Oxide::metal_per_oxide)
                .ok_or_else(|| no_factor("the element has no conventional oxide"))?,
            (None, None) => return Err(no_factor("a mix needs its composition")),
        };
        let factor = if to == Basis::ContainedElement {
            metal_per_oxide
        } else {
            Decimal::ONE
                .checked_div(metal_per_oxide)
                .ok_or(QuantityError::from(Overflow::decimal(
                    "an oxide-per-metal factor",
                )))?
        };
        Ok((target, tonnes.checked_mul(factor)?))
    }
}

impl fmt::Debug for Commodity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Commodity({self})")
    }
}

impl fmt::Display for Commodity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.elements, self.form)?;
        if self.basis != self.form.default_basis(&self.elements) {
            write!(f, "@{}", self.basis)?;
        }
        Ok(())
    }
}

impl FromStr for Commodity {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        let wrap = |e: ParseError| ParseError::new("commodity", s, e.to_string());
        let (head, basis) = match s.trim().split_once('@') {
            Some((head, basis)) => (head, Some(basis.parse::<Basis>().map_err(wrap)?)),
            None => (s.trim(), None),
        };
        let (elements, form) = head.split_once(':').ok_or_else(|| {
            ParseError::new(
                "commodity",
                s,
                "expected ELEMENTS:form[@basis], e.g. NdPr:oxide, Dy:metal, REO:concentrate",
            )
        })?;
        let elements: ElementSet = elements.parse().map_err(wrap)?;
        let form: Form = form.parse().map_err(wrap)?;
        match basis {
            Some(basis) => Self::with_basis(elements, form, basis).map_err(wrap),
            None => Ok(Self::new(elements, form)),
        }
    }
}

impl Serialize for Commodity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Commodity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Commodity {
    fn schema_name() -> Cow<'static, str> {
        "Commodity".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "ELEMENTS:form[@basis], e.g. NdPr:oxide, Dy:metal, REO:concentrate, NdPr:magnet@contained.",
            "type": "string",
            "pattern": "^([A-Z][a-z]?)+:(ore|concentrate|mixed_chemical|oxide|metal|alloy|magnet|scrap)(@(oxide|contained|product))?$"
        })
    }
}

/// The make-up of a mixed commodity, as shares of oxide mass summing to exactly one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Composition(Vec<(Element, Share)>);

impl Composition {
    /// A composition; the shares must sum to exactly 1 and elements may not repeat.
    pub fn new(parts: Vec<(Element, Share)>) -> Result<Self, ConversionError> {
        let sum = parts
            .iter()
            .try_fold(Decimal::ZERO, |acc, (_, s)| acc.checked_add(s.value()))
            .ok_or(QuantityError::from(Overflow::decimal(
                "a composition's sum",
            )))?;
        if sum != Decimal::ONE {
            return Err(ConversionError::CompositionSum { sum });
        }
        for (i, (e, _)) in parts.iter().enumerate() {
            if parts.iter().take(i).any(|(x, _)| x == e) {
                return Err(ConversionError::DuplicateElement {
                    element: e.symbol().to_owned(),
                });
            }
        }
        Ok(Self(parts))
    }

    /// The elements of the composition.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.0.iter().map(|(e, _)| e)
    }

    /// The parts.
    #[must_use]
    pub fn parts(&self) -> &[(Element, Share)] {
        &self.0
    }

    /// Metal per unit oxide of the mix: `Σ share_i × metal_per_oxide_i`; `None` if an element
    /// has no conventional oxide.
    #[must_use]
    pub fn metal_per_oxide(&self) -> Option<Decimal> {
        self.0.iter().try_fold(Decimal::ZERO, |acc, (e, share)| {
            let f = e.oxide()?.metal_per_oxide();
            acc.checked_add(share.value().checked_mul(f)?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notation_round_trips() {
        for text in [
            "NdPr:oxide",
            "Dy:metal",
            "Tb:metal",
            "REO:concentrate",
            "DyTb:oxide",
            "NdPr:magnet",
            "NdPr:magnet@contained",
            "Cu:concentrate",
            "W:concentrate",
            "U:oxide",
            "Ti:metal",
            "NdPr:oxide@contained",
            "NdPr:mixed_chemical",
        ] {
            let c: Commodity = text.parse().unwrap();
            assert_eq!(c.to_string(), text);
        }
    }

    #[test]
    fn element_order_is_canonical() {
        let a: Commodity = "PrNd:oxide".parse().unwrap();
        let b: Commodity = "NdPr:oxide".parse().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "NdPr:oxide");
        assert_eq!(
            "REE:ore".parse::<Commodity>().unwrap().to_string(),
            "REO:ore"
        );
        assert_eq!(
            "TREO:ore".parse::<Commodity>().unwrap().to_string(),
            "REO:ore"
        );
    }

    #[test]
    fn default_bases() {
        let basis = |t: &str| t.parse::<Commodity>().unwrap().basis();
        assert_eq!(basis("REO:concentrate"), Basis::OxideEquivalent);
        assert_eq!(basis("Cu:concentrate"), Basis::ContainedElement);
        assert_eq!(basis("Dy:metal"), Basis::ContainedElement);
        assert_eq!(basis("NdPr:magnet"), Basis::ProductMass);
    }

    #[test]
    fn rejects_bad_notation() {
        for bad in [
            "",
            "NdPr",
            "NdPr:",
            ":oxide",
            "ND:oxide",
            "NdNd:oxide",
            "Fe:metal",
            "NdPr:powder",
            "NdPr:oxide@weird",
            "NdPr:Oxide",
            "NdPr:oxide@Contained",
            "NdPr:oxide@metal",
            "Cu:concentrate@oxide",
            "nd:oxide",
        ] {
            assert!(bad.parse::<Commodity>().is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn conversions() {
        let dy: Commodity = "Dy:oxide".parse().unwrap();
        let hundred: Tonnes = "100".parse().unwrap();
        let (metal, t) = dy.convert(hundred, Basis::ContainedElement, None).unwrap();
        assert_eq!(t.value().round_dp(3).to_string(), "87.132");
        let (back, t2) = metal.convert(t, Basis::OxideEquivalent, None).unwrap();
        assert_eq!(back, dy);
        assert_eq!(t2.value().round_dp(20), Decimal::from(100));
        let magnet: Commodity = "NdPr:magnet".parse().unwrap();
        assert!(
            magnet
                .convert(hundred, Basis::ContainedElement, None)
                .is_err()
        );
        let ndpr: Commodity = "NdPr:oxide".parse().unwrap();
        assert!(
            ndpr.convert(hundred, Basis::ContainedElement, None)
                .is_err()
        );
        let wrong_mix = Composition::new(vec![(Element::Dy, Share::ONE)]).unwrap();
        assert!(
            ndpr.convert(hundred, Basis::ContainedElement, Some(&wrong_mix))
                .is_err()
        );
    }

    #[test]
    fn composition_must_sum_to_one() {
        let half = Share::new(Decimal::new(5, 1)).unwrap();
        assert!(Composition::new(vec![(Element::Nd, half)]).is_err());
        assert!(Composition::new(vec![(Element::Nd, half), (Element::Nd, half)]).is_err());
        assert!(Composition::new(vec![(Element::Nd, half), (Element::Pr, half)]).is_ok());
    }
}
