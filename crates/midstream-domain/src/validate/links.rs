//! The rules of the links between facilities: both ends known, stages that can feed each
//! other, and commodities the supplier makes.

use super::report::{Rule, Section};
use super::{At, Checker};

impl Checker<'_> {
    pub(super) fn links(&mut self) {
        for (i, l) in self.data.links.iter().enumerate() {
            let at = At {
                section: Section::Links,
                index: Some(i),
                record: Some(l.id.as_str()),
            };
            self.source_ref(at, &"source", l.source.as_ref());
            if let Some(r) = &l.restriction {
                self.source_ref(at, &"restriction.source", r.source.as_ref());
            }
            if let Some(t) = l.tonnes_per_year {
                self.non_negative(at, &"tonnes_per_year", t);
            }
            let from = self.facilities.get(l.from.as_str()).map(|&(_, f)| f);
            let to = self.facilities.get(l.to.as_str()).map(|&(_, f)| f);
            for (field, id, found) in [("from", &l.from, from), ("to", &l.to, to)] {
                if found.is_none() {
                    self.error(
                        Rule::UnknownFacility,
                        at,
                        &field,
                        format!("facility {:?} does not exist", id.as_str()),
                    );
                }
            }
            if l.from == l.to {
                self.error(
                    Rule::SelfLink,
                    at,
                    &"to",
                    "a link from a facility to itself".to_owned(),
                );
                continue;
            }
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            if !from.stage.can_feed(to.stage) {
                self.error(
                    Rule::StagesCannotFeed,
                    at,
                    &"to",
                    format!(
                        "{} ({}) cannot feed {} ({})",
                        from.id, from.stage, to.id, to.stage
                    ),
                );
            }
            if let Some(c) = l.commodity
                && !from.capacities.is_empty()
                && from.capacity(&c).is_none()
            {
                self.error(
                    Rule::LinkCommodityNotProduced,
                    at,
                    &"commodity",
                    format!("{} has no capacity for {c}", from.id),
                );
            }
        }
    }
}
