//! Stages of a mineral supply chain and which stage may feed which.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::value_error::ParseError;

/// A stage of the chain, from the mine to the component, plus recycling.
///
/// The linear chain is Mining → Beneficiation → Cracking → Separation → Metal refining →
/// Alloying → Manufacturing; Recycling takes scrap from the metal stages onward and feeds the
/// midstream and later stages back.
///
/// ```
/// use midstream_domain::Stage;
/// assert!(Stage::Separation.is_midstream());
/// assert!(Stage::Mining.can_feed(Stage::Separation)); // a mine may ship straight to a separator
/// assert!(!Stage::Separation.can_feed(Stage::Mining));
/// assert!(Stage::Recycling.can_feed(Stage::Separation));
/// assert!(Stage::Manufacturing.can_feed(Stage::Recycling));
/// ```
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Extraction of ore.
    Mining,
    /// Concentration of ore into a mineral concentrate (flotation, gravity, magnetic).
    Beneficiation,
    /// Cracking/leaching of concentrate into a mixed chemical (acid bake, caustic crack).
    Cracking,
    /// Separation of a mix into individual oxides (solvent extraction, ion exchange).
    Separation,
    /// Reduction of oxides to metal (molten-salt electrolysis, metallothermic reduction).
    MetalRefining,
    /// Alloying of metals (NdFeB strip casting, ferroalloys).
    Alloying,
    /// Making components from alloys (magnets, motors).
    Manufacturing,
    /// Recovery of material from scrap and end-of-life products.
    Recycling,
}

impl Stage {
    /// Every stage, in chain order (recycling last).
    pub const ALL: [Stage; 8] = [
        Stage::Mining,
        Stage::Beneficiation,
        Stage::Cracking,
        Stage::Separation,
        Stage::MetalRefining,
        Stage::Alloying,
        Stage::Manufacturing,
        Stage::Recycling,
    ];

    /// Position in the chain, 0 for mining; recycling is 7 (it sits outside the linear order).
    #[must_use]
    pub const fn order(self) -> u8 {
        self as u8
    }

    /// The snake-case name used in datasets, e.g. `"metal_refining"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Stage::Mining => "mining",
            Stage::Beneficiation => "beneficiation",
            Stage::Cracking => "cracking",
            Stage::Separation => "separation",
            Stage::MetalRefining => "metal_refining",
            Stage::Alloying => "alloying",
            Stage::Manufacturing => "manufacturing",
            Stage::Recycling => "recycling",
        }
    }

    /// Whether the stage is midstream: cracking/leaching, separation and metal refining, the
    /// chemical processing between a concentrate and a metal. Beneficiation counts as upstream
    /// (it happens at or near the mine), alloying as downstream (it is part of magnet making).
    #[must_use]
    pub const fn is_midstream(self) -> bool {
        matches!(
            self,
            Stage::Cracking | Stage::Separation | Stage::MetalRefining
        )
    }

    /// Whether material may flow from a facility at `self` to one at `to`.
    ///
    /// - Along the linear chain, any later stage (stages may be skipped: a mine with an on-site
    ///   concentrator ships concentrate straight to a cracker, an integrated plant cracks and
    ///   separates under one roof). Never backwards, never to the same stage.
    /// - Recycling feeds separation, metal refining, alloying and manufacturing (recycled oxide,
    ///   metal, alloy), and is fed by metal refining, alloying and manufacturing (swarf and
    ///   scrap) and by nothing upstream of metal.
    #[must_use]
    pub const fn can_feed(self, to: Stage) -> bool {
        match (self, to) {
            (Stage::Recycling, Stage::Recycling) => false,
            (Stage::Recycling, to) => to.order() >= Stage::Separation.order(),
            (from, Stage::Recycling) => from.order() >= Stage::MetalRefining.order(),
            (from, to) => from.order() < to.order(),
        }
    }

    /// The stages `self` may feed, in chain order.
    pub fn feeds(self) -> impl Iterator<Item = Stage> {
        Stage::ALL.into_iter().filter(move |to| self.can_feed(*to))
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Stage {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        let key = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Stage::ALL
            .into_iter()
            .find(|st| st.as_str() == key)
            .ok_or_else(|| {
                ParseError::new(
                    "stage",
                    s,
                    "expected mining, beneficiation, cracking, separation, metal_refining, \
                     alloying, manufacturing or recycling",
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_midstream() {
        let orders: Vec<u8> = Stage::ALL.iter().map(|s| s.order()).collect();
        assert_eq!(orders, (0..8).collect::<Vec<u8>>());
        let mid: Vec<Stage> = Stage::ALL
            .into_iter()
            .filter(|s| s.is_midstream())
            .collect();
        assert_eq!(
            mid,
            vec![Stage::Cracking, Stage::Separation, Stage::MetalRefining]
        );
    }

    #[test]
    fn feeding_rules() {
        use Stage::*;
        for s in Stage::ALL {
            assert!(!s.can_feed(s), "{s} feeds itself");
        }
        assert!(Mining.can_feed(Beneficiation));
        assert!(Beneficiation.can_feed(Separation));
        assert!(!Alloying.can_feed(Separation));
        assert!(!Mining.can_feed(Recycling));
        assert!(!Separation.can_feed(Recycling));
        assert!(MetalRefining.can_feed(Recycling));
        assert!(!Recycling.can_feed(Mining));
        assert!(!Recycling.can_feed(Cracking));
        assert_eq!(
            Recycling.feeds().collect::<Vec<_>>(),
            vec![Separation, MetalRefining, Alloying, Manufacturing]
        );
        assert_eq!(Manufacturing.feeds().collect::<Vec<_>>(), vec![Recycling]);
    }

    #[test]
    fn the_linear_chain_has_no_cycle_without_recycling() {
        for a in Stage::ALL {
            for b in Stage::ALL {
                if a.can_feed(b) && b.can_feed(a) {
                    assert!(
                        a == Stage::Recycling || b == Stage::Recycling,
                        "{a} <-> {b}"
                    );
                }
            }
        }
    }

    #[test]
    fn parse_display() {
        for s in Stage::ALL {
            assert_eq!(s.to_string().parse::<Stage>().unwrap(), s);
        }
        assert_eq!(
            "Metal Refining".parse::<Stage>().unwrap(),
            Stage::MetalRefining
        );
        assert!("smelting".parse::<Stage>().is_err());
        assert_eq!(
            serde_json::to_string(&Stage::MetalRefining).unwrap(),
            "\"metal_refining\""
        );
    }
}
