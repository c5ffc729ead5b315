//! Graphviz DOT export of a supply graph, with the bottleneck highlighted.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use petgraph::visit::EdgeRef;

use midstream_domain::Tonnes;

use crate::balance::{BalanceReport, FlowRange};
use crate::error::GraphError;
use crate::supply::{ArcKind, NodeKind, SupplyGraph};
use crate::units::kg_to_tonnes;
use midstream_flow::max_flow;

/// Escapes a string for a double-quoted DOT id or label.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Least and most by facility or link id.
fn ranges_by_id(list: Option<&[FlowRange]>) -> BTreeMap<&str, (Tonnes, Tonnes)> {
    list.into_iter()
        .flatten()
        .map(|r| (r.of.as_str(), (r.least, r.most)))
        .collect()
}

impl SupplyGraph {
    /// The graph in Graphviz DOT: one box per facility (its in- and out-nodes drawn as one),
    /// markets, exits and buyers; facilities of a stage on one rank, left to right in chain
    /// order; the minimum cut in red.
    ///
    /// No arc carries one flow: many flows deliver the same maximum, and drawing one solver's
    /// choice would show a trade that nothing forces. Given the material balance of the same
    /// commodity and scenario ([`crate::BalanceModel::solve`]), each facility and explicit link
    /// is labelled with the least and the most it carries over all optimal flows, and a facility
    /// that carries nothing in any of them is dashed.
    ///
    /// ```
    /// # use midstream_domain::Dataset;
    /// # use midstream_graph::{Scenario, SupplyGraph};
    /// # let data = Dataset::from_json_str(r#"{"format_version": 1, "name": "toy",
    /// #   "as_of": "2024-12-31", "facilities": [
    /// #   {"id": "mine", "name": "Mine", "country": "AU", "stage": "mining", "maturity": "operating",
    /// #    "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "100"}]},
    /// #   {"id": "sep", "name": "Separator", "country": "MY", "stage": "separation",
    /// #    "maturity": "operating", "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "60"}]}]
    /// # }"#)?.validate()?;
    /// let graph = SupplyGraph::build(&data, &"NdPr:oxide".parse()?, &Scenario::baseline())?;
    /// let balance = midstream_graph::BalanceModel::build(&data, &"NdPr:oxide".parse()?)?
    ///     .solve(&Scenario::baseline())?;
    /// let dot = graph.to_dot(Some(&balance))?;
    /// assert!(dot.starts_with("digraph supply {"));
    /// assert!(dot.contains("color=red")); // the separator is the bottleneck
    /// assert!(dot.contains("carries 60 t/yr")); // in every optimal flow
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`SupplyGraph::bottleneck`].
    #[allow(clippy::too_many_lines)] // Reason: one drawing, element by element.
    #[allow(clippy::indexing_slicing)]
    // Reason: facility, link and demand numbers in arc and node kinds are positions in
    // `self.facilities`, `self.links` and `self.demands`, assigned by `SupplyGraph::build`, and
    // edge flows have one entry per edge of `self.graph`; the indices cannot be out of range.
    pub fn to_dot(&self, ranges: Option<&BalanceReport>) -> Result<String, GraphError> {
        let net = self.network()?;
        let flow = max_flow(&net, self.source.index(), self.sink.index())?;
        let cut = flow.min_cut();
        let mut in_cut: std::collections::BTreeSet<usize> = cut.edges.iter().copied().collect();
        // A saturated entry arc stands for its facility (see `bottleneck`).
        for e in &cut.edges {
            if let Some(ArcKind::Entry { facility }) =
                self.graph.raw_edges().get(*e).map(|x| x.weight.kind)
            {
                in_cut.insert(self.facilities[facility].edge);
            }
        }
        let span = |least: Tonnes, most: Tonnes| {
            let (least, most) = (least.value().round(), most.value().round());
            if least == most {
                format!("{most} t/yr")
            } else {
                format!("{least} to {most} t/yr")
            }
        };
        // Ranges by facility or link id, looked up once per node or arc.
        let facility_ranges = ranges_by_id(ranges.map(|r| r.facilities.as_slice()));
        let link_ranges = ranges_by_id(ranges.map(|r| r.links.as_slice()));
        // Per facility id: its label line and whether it carries nothing in any optimal flow.
        let carries = |id: &str| -> Option<(String, bool)> {
            ranges?;
            Some(match facility_ranges.get(id) {
                Some(&(least, most)) => (format!("carries {}", span(least, most)), false),
                None => ("carries nothing".to_owned(), true),
            })
        };
        // Facility in- and out-nodes are drawn as one node named after the facility.
        let name = |n: petgraph::graph::NodeIndex| -> String {
            match self.graph[n] {
                NodeKind::Source => "source".to_owned(),
                NodeKind::Sink => "sink".to_owned(),
                NodeKind::FacilityIn { facility } | NodeKind::FacilityOut { facility } => {
                    format!("f:{}", self.facilities[facility].id)
                }
                NodeKind::Market { stage, domestic } => match domestic {
                    Some(c) => format!("market:{stage}:{c}"),
                    None => format!("market:{stage}"),
                },
                NodeKind::Exit { domestic } => match domestic {
                    Some(c) => format!("exit:{c}"),
                    None => "exit".to_owned(),
                },
                NodeKind::Demand { demand } => format!("d:{}", self.demands[demand].id),
            }
        };
        let mut out = String::new();
        let _ = writeln!(out, "digraph supply {{");
        let _ = writeln!(out, "  rankdir=LR;");
        let _ = writeln!(
            out,
            "  label={};",
            quote(&format!(
                "{} in {}: {} deliverable",
                self.commodity,
                self.year,
                kg_to_tonnes(flow.value())
            ))
        );
        let _ = writeln!(out, "  node [fontname=\"Helvetica\"];");
        let _ = writeln!(out, "  source [shape=point]; sink [shape=point];");
        let mut stages: Vec<_> = self.facilities.iter().map(|f| f.stage).collect();
        stages.sort();
        stages.dedup();
        for stage in stages {
            let _ = writeln!(out, "  subgraph {} {{", quote(&format!("cluster_{stage}")));
            let _ = writeln!(out, "    label={}; rank=same;", quote(stage.as_str()));
            for f in self.facilities.iter().filter(|f| f.stage == stage) {
                let bottleneck = in_cut.contains(&f.edge);
                let mut label = format!(
                    "{}\n{} · {} t/yr",
                    f.name,
                    f.country,
                    kg_to_tonnes(f.capacity_kg).value()
                );
                let mut style = "";
                if let Some((line, idle)) = carries(f.id.as_str()) {
                    label.push('\n');
                    label.push_str(&line);
                    if idle {
                        style = ", style=dashed";
                    }
                }
                let _ = writeln!(
                    out,
                    "    {} [shape=box, label={}{}{style}];",
                    quote(&format!("f:{}", f.id)),
                    quote(&label),
                    if bottleneck {
                        ", color=red, penwidth=3"
                    } else {
                        ""
                    }
                );
            }
            let _ = writeln!(out, "  }}");
        }
        for n in self.graph.node_indices() {
            match self.graph[n] {
                NodeKind::Market { .. } | NodeKind::Exit { .. } => {
                    let _ = writeln!(out, "  {} [shape=ellipse];", quote(&name(n)));
                }
                NodeKind::Demand { demand } => {
                    let d = &self.demands[demand];
                    let bottleneck = in_cut.contains(&d.edge);
                    let label = format!(
                        "{} ({})\n{} t/yr",
                        d.buyer,
                        d.country.map_or("world", |c| c.code()),
                        kg_to_tonnes(d.demand_kg).value()
                    );
                    let _ = writeln!(
                        out,
                        "  {} [shape=house, label={}{}];",
                        quote(&name(n)),
                        quote(&label),
                        if bottleneck {
                            ", color=red, penwidth=3"
                        } else {
                            ""
                        }
                    );
                }
                _ => {}
            }
        }
        for e in self.graph.edge_references() {
            if matches!(e.weight().kind, ArcKind::Facility { .. }) {
                continue;
            }
            let (from, to) = (name(e.source()), name(e.target()));
            let mut attrs = Vec::new();
            if let ArcKind::Link { link } = e.weight().kind {
                let id = self.links[link].id.as_str();
                let range = link_ranges
                    .get(id)
                    .map(|&(least, most)| format!(", {}", span(least, most)))
                    .unwrap_or_default();
                attrs.push(format!("label={}", quote(&format!("link {id}{range}"))));
            }
            if in_cut.contains(&e.id().index()) {
                attrs.push("color=red".to_owned());
                attrs.push("penwidth=3".to_owned());
            }
            if attrs.is_empty() {
                let _ = writeln!(out, "  {} -> {};", quote(&from), quote(&to));
            } else {
                let _ = writeln!(
                    out,
                    "  {} -> {} [{}];",
                    quote(&from),
                    quote(&to),
                    attrs.join(", ")
                );
            }
        }
        let _ = writeln!(out, "}}");
        Ok(out)
    }
}
