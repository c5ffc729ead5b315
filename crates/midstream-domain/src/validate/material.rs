//! The rules of dataset format 2: compositions, processes, capacity bases, bounded links and
//! demand cases.

use std::collections::BTreeSet;

use chrono::Datelike;
use rust_decimal::Decimal;

use super::{At, Checker, Field, Rule, Section};
use crate::commodity::{Commodity, Form};
use crate::facility::{Facility, MilestoneKind, MilestoneStatus};
use crate::material::Process;
use crate::stage::Stage;

impl Checker<'_> {
    /// Every format-2 rule; in a format-1 dataset, only that no format-2 field is used.
    pub(super) fn material_balance(&mut self) {
        match self.data.format_version {
            1 => return self.format_1_fields(),
            2 => {}
            // An unsupported version is reported once, by its own rule.
            _ => return,
        }
        self.compositions();
        let made: BTreeSet<Commodity> = self
            .data
            .facilities
            .iter()
            .flat_map(|f| f.capacities.iter().map(|c| c.commodity))
            .chain(self.data.facilities.iter().flat_map(|f| match &f.process {
                Some(Process::Separation { products, .. }) => products.clone(),
                Some(Process::Conversion { output, .. }) => vec![*output],
                _ => Vec::new(),
            }))
            .collect();
        for (i, f) in self.data.facilities.iter().enumerate() {
            let at = At {
                section: Section::Facilities,
                index: Some(i),
                record: Some(f.id.as_str()),
            };
            self.bases(at, f);
            if let Some(process) = &f.process {
                self.process(at, f, process, &made);
            }
            if let Some(aim) = &f.aim {
                self.source_ref(at, &"aim.source", aim.source.as_ref());
                self.non_negative(at, &"aim.tonnes_per_year", aim.tonnes_per_year);
                if let Some(year) = aim.year {
                    self.year(at, &"aim.year", year);
                }
            }
        }
        self.link_bounds();
    }

    /// A format-1 dataset may not use a format-2 field: it would be read with format-1 rules.
    fn format_1_fields(&mut self) {
        let needs = |this: &mut Self, at: At<'_>, field: &dyn std::fmt::Display| {
            this.error(
                Rule::NeedsFormat2,
                at,
                field,
                format!("`{field}` is a format-2 field; set \"format_version\": 2"),
            );
        };
        if !self.data.compositions.is_empty() {
            let at = At {
                section: Section::Compositions,
                index: None,
                record: None,
            };
            needs(self, at, &"compositions");
        }
        for (i, f) in self.data.facilities.iter().enumerate() {
            let at = At {
                section: Section::Facilities,
                index: Some(i),
                record: Some(f.id.as_str()),
            };
            for (name, used) in [
                ("process", f.process.is_some()),
                ("aim", f.aim.is_some()),
                ("owner_country", f.owner_country.is_some()),
            ] {
                if used {
                    needs(self, at, &name);
                }
            }
            for (j, c) in f.capacities.iter().enumerate() {
                let field = Field::item(None, "capacities", j);
                if c.basis.is_some() {
                    needs(self, at, &Field::child(&field, "basis"));
                }
                if c.year.is_some() {
                    needs(self, at, &Field::child(&field, "year"));
                }
                if c.range.is_some() {
                    needs(self, at, &Field::child(&field, "range"));
                }
            }
        }
        for (i, l) in self.data.links.iter().enumerate() {
            let at = At {
                section: Section::Links,
                index: Some(i),
                record: Some(l.id.as_str()),
            };
            for (name, used) in [
                ("min_tonnes_per_year", l.min_tonnes_per_year.is_some()),
                ("from_year", l.from_year.is_some()),
                ("to_year", l.to_year.is_some()),
                ("exclusive", l.exclusive.is_some()),
            ] {
                if used {
                    needs(self, at, &name);
                }
            }
        }
        for (i, d) in self.data.demand.iter().enumerate() {
            if d.case.is_some() {
                let at = At {
                    section: Section::Demand,
                    index: Some(i),
                    record: Some(d.id.as_str()),
                };
                needs(self, at, &"case");
            }
        }
    }

    fn compositions(&mut self) {
        for (i, c) in self.data.compositions.iter().enumerate() {
            let at = At {
                section: Section::Compositions,
                index: Some(i),
                record: Some(c.id.as_str()),
            };
            self.text(at, &"name", &c.name);
            self.source_ref(at, &"source", c.source.as_ref());
            if c.total() != Some(Decimal::ONE) {
                let total = c
                    .total()
                    .map_or_else(|| "more than can be added".to_owned(), |t| t.to_string());
                self.error(
                    Rule::CompositionSum,
                    at,
                    &"shares",
                    format!(
                        "the shares and `other` sum to {total}, not 1; put what the source does \
                         not itemise (or its rounding) in `other`"
                    ),
                );
            }
        }
    }

    fn composition_ref(&mut self, at: At<'_>, field: &dyn std::fmt::Display, id: &str) {
        if !self.data.compositions.iter().any(|c| c.id.as_str() == id) {
            self.error(
                Rule::UnknownComposition,
                at,
                field,
                format!("composition {id:?} is not among the dataset's compositions"),
            );
        }
    }

    fn bases(&mut self, at: At<'_>, f: &Facility) {
        for (j, c) in f.capacities.iter().enumerate() {
            let field = Field::item(None, "capacities", j);
            match c.basis {
                None => self.error(
                    Rule::MissingBasis,
                    at,
                    &Field::child(&field, "basis"),
                    format!(
                        "the {} capacity states no basis: nameplate, output (in `year`) or quota \
                         (for `year`)",
                        c.commodity
                    ),
                ),
                Some(basis) if basis.is_yearly() && c.year.is_none() => self.error(
                    Rule::MissingBasis,
                    at,
                    &Field::child(&field, "year"),
                    format!("an {basis} figure belongs to a year; state it in `year`"),
                ),
                Some(_) => {}
            }
            if let Some(year) = c.year {
                self.year(at, &Field::child(&field, "year"), year);
            }
        }
    }

    #[allow(clippy::too_many_lines)] // Reason: one arm per process kind, each with its rules.
    fn process(&mut self, at: At<'_>, f: &Facility, process: &Process, made: &BTreeSet<Commodity>) {
        let fits = match process {
            Process::Extraction { .. } => matches!(f.stage, Stage::Mining | Stage::Recycling),
            Process::Conversion { .. } => matches!(
                f.stage,
                Stage::Beneficiation | Stage::Cracking | Stage::MetalRefining | Stage::Recycling
            ),
            Process::Separation { .. } => f.stage == Stage::Separation,
            Process::Reduction { .. } => f.stage == Stage::MetalRefining,
            Process::Recipe { .. } => matches!(f.stage, Stage::Alloying | Stage::Manufacturing),
        };
        if !fits {
            self.error(
                Rule::ProcessStage,
                at,
                &"process.kind",
                format!("a {} facility does not perform {}", f.stage, process.kind()),
            );
        }
        let capacity_commodities: Vec<Commodity> =
            f.capacities.iter().map(|c| c.commodity).collect();
        // What each capacity may be stated on: the process's input or output side.
        let (inputs, outputs): (Vec<Commodity>, Vec<Commodity>) = match process {
            Process::Extraction { composition } => {
                self.composition_ref(at, &"process.composition", composition.as_str());
                (Vec::new(), capacity_commodities.clone())
            }
            Process::Conversion { input, output, .. } => (vec![*input], vec![*output]),
            Process::Separation { feed, products, .. } => {
                if products.is_empty() {
                    self.error(
                        Rule::ProcessCommodity,
                        at,
                        &"process.products",
                        "a separation names the products it separates".to_owned(),
                    );
                }
                for (k, p) in products.iter().enumerate() {
                    if p.form() != Form::Oxide {
                        self.error(
                            Rule::ProcessCommodity,
                            at,
                            &format_args!("process.products[{k}]"),
                            format!("{p} is not a separated oxide"),
                        );
                    }
                }
                (vec![*feed], products.clone())
            }
            Process::Reduction { mix, .. } => {
                if let Some(mix) = mix {
                    self.composition_ref(at, &"process.mix", mix.as_str());
                }
                let mut inputs = Vec::new();
                let mut outputs = Vec::new();
                for (j, c) in f.capacities.iter().enumerate() {
                    if c.commodity.elements().len() > 1 && mix.is_none() {
                        self.error(
                            Rule::ProcessCommodity,
                            at,
                            &"process.mix",
                            format!(
                                "capacities[{j}] is of {}, a mix of elements: name the \
                                 composition whose shares give its oxide-to-metal factor",
                                c.commodity
                            ),
                        );
                    }
                    match c.commodity.form() {
                        Form::Metal => outputs.push(c.commodity),
                        Form::Oxide => inputs.push(c.commodity),
                        _ => {}
                    }
                }
                (inputs, outputs)
            }
            Process::Recipe { inputs } => {
                if inputs.is_empty() {
                    self.error(
                        Rule::ProcessCommodity,
                        at,
                        &"process.inputs",
                        "a recipe names its inputs".to_owned(),
                    );
                }
                for (k, input) in inputs.iter().enumerate() {
                    if input.tonnes_per_tonne <= Decimal::ZERO {
                        self.error(
                            Rule::NonPositiveFactor,
                            at,
                            &format_args!("process.inputs[{k}].tonnes_per_tonne"),
                            format!("{} t per t is not positive", input.tonnes_per_tonne),
                        );
                    }
                    if !made.contains(&input.commodity) {
                        self.error(
                            Rule::UnknownProduct,
                            at,
                            &format_args!("process.inputs[{k}].commodity"),
                            format!(
                                "no facility of the dataset makes {}, so the recipe can never run",
                                input.commodity
                            ),
                        );
                    }
                }
                if f.capacities.len() > 1 {
                    self.error(
                        Rule::ProcessCommodity,
                        at,
                        &"capacities",
                        "a recipe makes one product: state one capacity, of that product"
                            .to_owned(),
                    );
                }
                (
                    inputs.iter().map(|i| i.commodity).collect(),
                    capacity_commodities.clone(),
                )
            }
        };
        for (j, c) in capacity_commodities.iter().enumerate() {
            if !inputs.contains(c) && !outputs.contains(c) {
                self.error(
                    Rule::ProcessCommodity,
                    at,
                    &format_args!("capacities[{j}].commodity"),
                    format!(
                        "the facility's {} neither takes nor makes {c}",
                        process.kind()
                    ),
                );
            }
        }
    }

    fn link_bounds(&mut self) {
        for (i, l) in self.data.links.iter().enumerate() {
            let at = At {
                section: Section::Links,
                index: Some(i),
                record: Some(l.id.as_str()),
            };
            if let Some(min) = l.min_tonnes_per_year {
                self.non_negative(at, &"min_tonnes_per_year", min);
                if let Some(max) = l.tonnes_per_year
                    && min > max
                {
                    self.error(
                        Rule::LinkBounds,
                        at,
                        &"min_tonnes_per_year",
                        format!("the floor {min} is above the cap {max}"),
                    );
                }
            }
            for (name, year) in [("from_year", l.from_year), ("to_year", l.to_year)] {
                if let Some(y) = year {
                    self.year(at, &name, y);
                }
            }
            if let (Some(from), Some(to)) = (l.from_year, l.to_year)
                && to < from
            {
                self.error(
                    Rule::LinkYears,
                    at,
                    &"to_year",
                    format!("the link ends in {to}, before it starts in {from}"),
                );
            }
            // A link that starts after a facility it joins has closed can never carry anything.
            let start = l.from_year.unwrap_or(i32::MIN);
            for (end, id) in [("from", &l.from), ("to", &l.to)] {
                let Some(&(_, f)) = self.facilities.get(id.as_str()) else {
                    continue;
                };
                let closed = f
                    .milestones
                    .iter()
                    .filter(|m| {
                        m.kind == MilestoneKind::Closed && m.status == MilestoneStatus::Achieved
                    })
                    .map(|m| m.date.year())
                    .min();
                if let Some(closed) = closed
                    && closed < start
                {
                    self.error(
                        Rule::LinkYears,
                        at,
                        &"from_year",
                        format!(
                            "the link starts in {start}, after its `{end}` facility {:?} closed in {closed}",
                            id.as_str()
                        ),
                    );
                }
            }
        }
    }
}
