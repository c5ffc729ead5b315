//! The material-balance vocabulary of dataset format 2: feed compositions, processes with
//! yields and recipes, the basis of a capacity, and a project's aim.
//!
//! A format-2 facility says what it *does* ([`Process`]): extraction yields a mixed feed of a
//! named [`FeedComposition`]; conversion (concentration, cracking) keeps the composition with a
//! recovery; separation turns a mixed feed into separated products in the proportions of its
//! composition, times a recovery; reduction turns an oxide into its metal by the stoichiometric
//! factor, times a yield; a recipe makes an alloy or a magnet from stated tonnes of inputs per
//! tonne. A facility without a process passes its capacity commodity through unchanged (as
//! every facility of format 1 does).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::commodity::{Commodity, ElementSet};
use crate::element::Element;
use crate::id::record_id;
use crate::quantity::{Share, Tonnes};
use crate::source::SourceId;

record_id!(
    /// Identifier of a [`FeedComposition`], unique in its dataset.
    CompositionId,
    "composition"
);

/// The rare-earth distribution of a mixed feed (a deposit type, a concentrate, an intermediate):
/// the share of each element's oxide in its total rare-earth oxide (REO). The shares and
/// `other` sum to exactly one.
///
/// Mixed material keeps its composition until separation (a *composition class*), which keeps
/// the material balance linear.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedComposition {
    /// Identifier, unique among the dataset's compositions.
    pub id: CompositionId,
    /// Name, e.g. "Bayan Obo bastnaesite-monazite".
    pub name: String,
    /// The deposit type it stands for, where several deposits share it (e.g. "ionic clay").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deposit_type: Option<String>,
    /// Share of each element oxide in the REO, by element symbol (`{"Nd": "0.185"}`).
    pub shares: BTreeMap<Element, Share>,
    /// The share not itemised by element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<Share>,
    /// Where it is reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceId>,
    /// What the figures cover (the analysis, the sample).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl FeedComposition {
    /// The share of a product's elements in the feed's REO: the sum of their shares (an element
    /// the composition does not itemise counts zero).
    ///
    /// ```
    /// use midstream_domain::{ElementSet, FeedComposition};
    /// let c: FeedComposition = serde_json::from_str(r#"{"id": "c", "name": "C",
    ///     "shares": {"Nd": "0.15", "Pr": "0.05", "Ce": "0.5"}, "other": "0.3"}"#)?;
    /// assert_eq!(c.share_of("NdPr".parse::<ElementSet>()?).to_string(), "0.20");
    /// assert_eq!(c.total().map(|t| t.to_string()), Some("1.00".to_owned()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn share_of(&self, elements: ElementSet) -> Decimal {
        self.shares
            .iter()
            .filter(|(e, _)| elements.contains(**e))
            .fold(Decimal::ZERO, |acc, (_, s)| acc + s.value())
    }

    /// The sum of the shares and `other` (`None` on overflow, which shares in [0, 1] of fewer
    /// than 2^64 elements cannot reach).
    #[must_use]
    pub fn total(&self) -> Option<Decimal> {
        self.shares
            .values()
            .chain(self.other.iter())
            .try_fold(Decimal::ZERO, |acc, s| acc.checked_add(s.value()))
    }
}

/// What a capacity figure measures.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CapacityBasis {
    /// What the plant is built to do in a year.
    Nameplate,
    /// What it actually produced (or processed) in the stated year.
    Output,
    /// What a government allows for the stated year (China's mining and separation quotas).
    Quota,
}

impl CapacityBasis {
    /// The snake-case name, as in datasets.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            CapacityBasis::Nameplate => "nameplate",
            CapacityBasis::Output => "output",
            CapacityBasis::Quota => "quota",
        }
    }

    /// Whether a figure of this basis belongs to one year (output, quota), so that the capacity
    /// must say which.
    #[must_use]
    pub const fn is_yearly(self) -> bool {
        matches!(self, CapacityBasis::Output | CapacityBasis::Quota)
    }
}

impl std::fmt::Display for CapacityBasis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One input of a [`Process::Recipe`]: tonnes of a commodity per tonne of output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecipeInput {
    /// The input, e.g. `NdPr:metal`.
    pub commodity: Commodity,
    /// Tonnes of it per tonne of the facility's output (greater than zero).
    #[serde(deserialize_with = "crate::quantity::deserialize_decimal")]
    #[serde(serialize_with = "crate::facility::serialize_decimal_str")]
    #[schemars(schema_with = "crate::facility::factor_schema")]
    pub tonnes_per_tonne: Decimal,
}

/// How a facility turns what it takes into what it ships.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Process {
    /// Mining (or recycling into a mixed feed): yields its capacity commodity as mixed material
    /// of a composition, from nothing upstream.
    Extraction {
        /// The feed's composition.
        composition: CompositionId,
    },
    /// Concentration, cracking or leaching, or smelting a concentrate to metal on the same
    /// basis (copper in concentrate to copper): `output = recovery × input`, composition kept.
    Conversion {
        /// What it takes (e.g. `REO:ore`).
        input: Commodity,
        /// What it ships (e.g. `REO:concentrate`).
        output: Commodity,
        /// Share of the input's REO recovered in the output.
        recovery: Share,
    },
    /// Separation: a mixed feed into separated products (joint products), each
    /// `recovery × share of its elements in the feed's composition × feed`.
    Separation {
        /// The mixed feed it takes (e.g. `REO:mixed_chemical`).
        feed: Commodity,
        /// The products it separates (e.g. `NdPr:oxide`, `Dy:oxide`, `La:oxide`).
        products: Vec<Commodity>,
        /// Share of each element recovered into its product.
        recovery: Share,
    },
    /// Metal making: each capacity commodity's oxide into its metal, by the stoichiometric
    /// factor (from atomic weights) times `yield`.
    Reduction {
        /// Share of the metal content of the oxide recovered as metal.
        #[serde(rename = "yield")]
        yield_: Share,
        /// For a product of several elements (`NdPr`), the composition whose shares of those
        /// elements give the mix (e.g. Pr:Nd 1:3); unused for a single element.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mix: Option<CompositionId>,
    },
    /// Alloying or magnet making: tonnes of each input per tonne of the capacity commodity.
    Recipe {
        /// The inputs.
        inputs: Vec<RecipeInput>,
    },
}

impl Process {
    /// The snake-case name of the process kind.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Process::Extraction { .. } => "extraction",
            Process::Conversion { .. } => "conversion",
            Process::Separation { .. } => "separation",
            Process::Reduction { .. } => "reduction",
            Process::Recipe { .. } => "recipe",
        }
    }
}

/// Whose country counts for a facility: where it stands, or who owns it.
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
pub enum Control {
    /// The site's country.
    #[default]
    Site,
    /// The owner's country ([`crate::Facility::owner_country`]; the site's where none is given).
    Owner,
}

/// What a project's sponsor aims for: a target, not a capacity. It is recorded and reported,
/// never counted as supply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Aim {
    /// The commodity.
    pub commodity: Commodity,
    /// Tonnes per year aimed for.
    pub tonnes_per_year: Tonnes,
    /// By when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Where it is announced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceId>,
    /// How it is phrased (e.g. "30 % of EU demand").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processes_read_by_kind() {
        let p: Process = serde_json::from_str(
            r#"{"kind": "separation", "feed": "REO:mixed_chemical",
                "products": ["NdPr:oxide", "Dy:oxide"], "recovery": "0.95"}"#,
        )
        .unwrap();
        assert_eq!(p.kind(), "separation");
        let r: Process = serde_json::from_str(r#"{"kind": "reduction", "yield": "0.97"}"#).unwrap();
        assert!(matches!(r, Process::Reduction { mix: None, .. }));
        let e = serde_json::from_str::<Process>(r#"{"kind": "reduction", "yeld": "0.97"}"#)
            .unwrap_err();
        assert!(e.to_string().contains("yeld"), "{e}");
        let recipe: Process = serde_json::from_str(
            r#"{"kind": "recipe", "inputs": [{"commodity": "NdPr:metal", "tonnes_per_tonne": "0.29"}]}"#,
        )
        .unwrap();
        assert_eq!(
            serde_json::from_str::<Process>(&serde_json::to_string(&recipe).unwrap()).unwrap(),
            recipe
        );
    }
}
