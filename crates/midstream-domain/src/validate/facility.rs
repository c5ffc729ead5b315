//! The rules of one facility record: its text, capacities and their ramps, milestones,
//! offtakes and financing, and what can be derived from them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;

use chrono::Datelike;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::facility::{Facility, MilestoneStatus};
use crate::quantity::Tonnes;

use super::report::{Rule, Section, Severity};
use super::{At, Checker, Field};

impl<'a> Checker<'a> {
    #[allow(clippy::too_many_lines)] // Reason: one rule after another, reads best in one place.
    pub(super) fn facility(&mut self, index: usize, f: &'a Facility) {
        let at = At {
            section: Section::Facilities,
            index: Some(index),
            record: Some(f.id.as_str()),
        };
        self.text(at, &"name", &f.name);
        let mut sourced = !f.sources.is_empty();
        for (i, s) in f.sources.iter().enumerate() {
            self.source_ref(at, &format_args!("sources[{i}]"), Some(s));
        }

        // Capacities.
        let mut commodities = BTreeSet::new();
        for (i, c) in f.capacities.iter().enumerate() {
            let field = Field::item(None, "capacities", i);
            sourced |= c.source.is_some();
            self.source_ref(at, &format_args!("{field}.source"), c.source.as_ref());
            if !commodities.insert(c.commodity) {
                self.error(
                    Rule::DuplicateCapacity,
                    at,
                    &format_args!("{field}.commodity"),
                    format!("{} is listed more than once", c.commodity),
                );
            }
            if c.tonnes_per_year.is_negative() || c.tonnes_per_year.is_zero() {
                self.error(
                    Rule::NonPositiveCapacity,
                    at,
                    &format_args!("{field}.tonnes_per_year"),
                    format!(
                        "capacity {} per year is not positive; give the figure or omit the entry",
                        c.tonnes_per_year
                    ),
                );
            }
            self.not_too_large(
                at,
                &format_args!("{field}.tonnes_per_year"),
                c.tonnes_per_year,
            );
            let mut previous_year = None;
            for (j, step) in c.ramp.iter().enumerate() {
                let step_field = Field::item(Some(&field), "ramp", j);
                self.year(at, &format_args!("{step_field}.year"), step.year);
                self.non_negative(at, &format_args!("{step_field}.tonnes"), step.tonnes);
                if previous_year.is_some_and(|p| step.year <= p) {
                    self.error(
                        Rule::RampNotIncreasing,
                        at,
                        &format_args!("{step_field}.year"),
                        format!(
                            "year {} does not follow the previous step's year",
                            step.year
                        ),
                    );
                }
                previous_year = Some(step.year);
                if step.tonnes > c.tonnes_per_year {
                    self.error(
                        Rule::RampAboveNameplate,
                        at,
                        &format_args!("{step_field}.tonnes"),
                        format!(
                            "{} exceeds the nameplate capacity {}",
                            step.tonnes, c.tonnes_per_year
                        ),
                    );
                }
            }
            if let Some(r) = &c.range {
                self.non_negative(at, &format_args!("{field}.range.low"), r.low);
                self.not_too_large(at, &format_args!("{field}.range.high"), r.high);
                if !(r.low <= c.tonnes_per_year && c.tonnes_per_year <= r.high) {
                    self.error(
                        Rule::RangeOutsideFigure,
                        at,
                        &format_args!("{field}.range"),
                        format!(
                            "the range {} to {} does not hold the figure {}",
                            r.low, r.high, c.tonnes_per_year
                        ),
                    );
                }
            }
            if let Some(d) = &c.derived {
                self.source_ref(
                    at,
                    &format_args!("{field}.derived.source"),
                    d.source.as_ref(),
                );
                sourced |= d.source.is_some();
                self.derived(at, &field, f, c.commodity, c.tonnes_per_year, d);
            }
        }
        if f.maturity.is_producing() && f.capacities.is_empty() {
            self.error(
                Rule::ProducingWithoutCapacity,
                at,
                &"capacities",
                format!(
                    "a facility at maturity `{}` must state its capacity",
                    f.maturity
                ),
            );
        }

        // Milestones: within a chain, a later step may not be dated before an earlier one.
        for (i, m) in f.milestones.iter().enumerate() {
            let Some((chain, rank)) = m.kind.chain() else {
                continue;
            };
            let earlier_step_later_date = f.milestones.iter().find(|o| {
                o.kind
                    .chain()
                    .is_some_and(|(c, r)| c == chain && r < rank && o.date > m.date)
            });
            if let Some(o) = earlier_step_later_date {
                self.error(
                    Rule::MilestonesOutOfOrder,
                    at,
                    &format_args!("milestones[{i}].date"),
                    format!(
                        "{} on {} comes before {} on {}",
                        m.kind, m.date, o.kind, o.date
                    ),
                );
            }
        }
        for (i, m) in f.milestones.iter().enumerate() {
            sourced |= m.source.is_some();
            self.source_ref(
                at,
                &format_args!("milestones[{i}].source"),
                m.source.as_ref(),
            );
            self.date(at, &format_args!("milestones[{i}].date"), m.date);
            if m.status == MilestoneStatus::Achieved && m.date > self.data.as_of {
                self.error(
                    Rule::AchievedAfterAsOf,
                    at,
                    &format_args!("milestones[{i}].date"),
                    format!(
                        "achieved on {} but the dataset is as of {}; mark it planned",
                        m.date, self.data.as_of
                    ),
                );
            }
        }

        // Offtakes.
        for (i, o) in f.offtakes.iter().enumerate() {
            let field = Field::item(None, "offtakes", i);
            sourced |= o.source.is_some();
            self.source_ref(at, &format_args!("{field}.source"), o.source.as_ref());
            self.text(at, &format_args!("{field}.buyer"), &o.buyer);
            self.non_negative(
                at,
                &format_args!("{field}.tonnes_per_year"),
                o.tonnes_per_year,
            );
            for (name, date) in [("start", o.start), ("end", o.end)] {
                if let Some(d) = date {
                    self.date(at, &format_args!("{field}.{name}"), d);
                }
            }
            if let (Some(s), Some(e)) = (o.start, o.end)
                && e < s
            {
                self.error(
                    Rule::TermEndsBeforeStart,
                    at,
                    &format_args!("{field}.end"),
                    format!("ends on {e}, before it starts on {s}"),
                );
            }
            if f.capacity(&o.commodity).is_none() {
                self.error(
                    Rule::OfftakeNotProduced,
                    at,
                    &format_args!("{field}.commodity"),
                    format!("the facility has no capacity for {}", o.commodity),
                );
            }
        }
        self.offtake_totals(at, f);

        // Financing.
        for (i, fin) in f.financing.iter().enumerate() {
            let field = Field::item(None, "financing", i);
            sourced |= fin.source.is_some();
            self.source_ref(at, &format_args!("{field}.source"), fin.source.as_ref());
            self.text(at, &format_args!("{field}.lender"), &fin.lender);
            if let Some(d) = fin.date {
                self.date(at, &format_args!("{field}.date"), d);
            }
            if let Some(amount) = fin.amount
                && amount.is_negative()
            {
                self.error(
                    Rule::NegativeQuantity,
                    at,
                    &format_args!("{field}.amount"),
                    format!("{amount} is negative"),
                );
            }
        }

        // Capital cost.
        if let Some(capex) = &f.capex {
            sourced |= capex.source.is_some();
            self.source_ref(at, &"capex.source", capex.source.as_ref());
            if let Some(year) = capex.year {
                self.year(at, &"capex.year", year);
            }
            if capex.amount.is_negative() || capex.amount.is_zero() {
                self.error(
                    Rule::NonPositiveCapex,
                    at,
                    &"capex.amount",
                    format!("capital cost {} is not positive", capex.amount),
                );
            }
        }

        if !sourced {
            self.push(
                Severity::Warning,
                Rule::Unsourced,
                at,
                &"sources",
                "no source is given for this facility or any of its figures".to_owned(),
            );
        }
    }

    pub(super) fn derived(
        &mut self,
        at: At<'_>,
        field: &dyn Display,
        f: &Facility,
        commodity: crate::Commodity,
        stated: Tonnes,
        d: &crate::facility::Derivation,
    ) {
        let field = Field::child(field, "derived");
        if d.factor <= Decimal::ZERO {
            self.error(
                Rule::NonPositiveFactor,
                at,
                &format_args!("{field}.factor"),
                format!("factor {} is not positive", d.factor),
            );
            return;
        }
        // Follow the chain of derivations; coming back to a commodity already seen is a cycle.
        let mut seen = vec![commodity];
        let mut next = Some(d.from);
        while let Some(c) = next {
            if seen.contains(&c) {
                self.error(
                    Rule::DerivedMismatch,
                    at,
                    &format_args!("{field}.from"),
                    format!("{commodity} is derived from itself through {c}"),
                );
                return;
            }
            seen.push(c);
            next = f
                .capacity(&c)
                .and_then(|cap| cap.derived.as_ref())
                .map(|d| d.from);
        }
        let Some(base) = f.capacity(&d.from) else {
            self.error(
                Rule::DerivedMismatch,
                at,
                &format_args!("{field}.from"),
                format!("the facility has no capacity for {} to derive from", d.from),
            );
            return;
        };
        let computed = base.tonnes_per_year.value().checked_mul(d.factor).map(|v| {
            v.round_dp_with_strategy(
                stated.value().scale(),
                RoundingStrategy::MidpointAwayFromZero,
            )
        });
        if computed != Some(stated.value()) {
            let shown = computed.map_or_else(|| "an overflow".to_owned(), |v| v.to_string());
            self.error(
                Rule::DerivedMismatch,
                at,
                &format_args!("{field}.factor"),
                format!(
                    "{} × {} gives {shown}, not the stated {}",
                    base.tonnes_per_year.value(),
                    d.factor,
                    stated.value()
                ),
            );
        }
    }

    /// Offtakes active in the same year must fit the nameplate: binding ones alone (error),
    /// and all of them (warning: oversubscribed interest is a signal, not a data error).
    pub(super) fn offtake_totals(&mut self, at: At<'_>, f: &Facility) {
        let as_of_year = self.data.as_of.year();
        let mut by_commodity: BTreeMap<_, Vec<&crate::facility::Offtake>> = BTreeMap::new();
        for o in &f.offtakes {
            by_commodity.entry(o.commodity).or_default().push(o);
        }
        for (commodity, offtakes) in by_commodity {
            let Some(capacity) = f.capacity(&commodity) else {
                continue;
            };
            let mut years: BTreeSet<i32> = offtakes
                .iter()
                .map(|o| o.start.map_or(as_of_year, |s| s.year()))
                .collect();
            years.insert(as_of_year);
            for binding_only in [true, false] {
                let over = years.iter().find_map(|&y| {
                    let total = Tonnes::checked_sum(
                        offtakes
                            .iter()
                            .filter(|o| o.is_active_in(y) && (o.binding || !binding_only))
                            .map(|o| o.tonnes_per_year),
                    );
                    match total {
                        Ok(t) if t <= capacity.tonnes_per_year => None,
                        Ok(t) => Some((y, t.to_string())),
                        Err(_) => Some((y, "an overflowing total".to_owned())),
                    }
                });
                if let Some((year, total)) = over {
                    let (severity, kind) = if binding_only {
                        (Severity::Error, "binding offtakes")
                    } else {
                        (Severity::Warning, "offtakes (binding and non-binding)")
                    };
                    self.push(
                        severity,
                        Rule::OfftakeOverCapacity,
                        at,
                        &"offtakes",
                        format!(
                            "{kind} for {commodity} total {total} per year in {year}, above the \
                             nameplate capacity of {}",
                            capacity.tonnes_per_year
                        ),
                    );
                    // The binding excess implies the total excess; report it once.
                    break;
                }
            }
        }
    }
}
