//! Supply graphs built from datasets: markets, links, scenarios, the report.

use midstream_domain::{Commodity, Dataset, ValidDataset};
use midstream_graph::{
    BalanceModel, CutMember, FacilityStatus, GraphError, NodeKind, Scenario, SupplyGraph,
};
use serde_json::{Value, json};

fn ndpr() -> Commodity {
    "NdPr:oxide".parse().unwrap()
}

fn cap(t: &str) -> Value {
    json!([{"commodity": "NdPr:oxide", "tonnes_per_year": t}])
}

/// Two mines (AU 100 t, CN 300 t), separation in MY (80 t) and CN (250 t), magnets in JP
/// (200 t) and CN (150 t), buyers in US (150 t) and CN (200 t), a KZ separation project (120 t).
pub(crate) fn chain() -> Value {
    json!({
        "format_version": 1, "name": "chain", "as_of": "2024-12-31",
        "perspective": {"country": "US", "alignments": [
            {"country": "AU", "alignment": "ally"}, {"country": "JP", "alignment": "ally"},
            {"country": "MY", "alignment": "partner"}, {"country": "KZ", "alignment": "multi_vector"},
            {"country": "CN", "alignment": "adversary"}]},
        "facilities": [
            {"id": "au-mine", "name": "AU mine", "country": "AU", "stage": "mining", "maturity": "operating", "capacities": cap("100")},
            {"id": "cn-mine", "name": "CN mine", "country": "CN", "stage": "mining", "maturity": "operating", "capacities": cap("300")},
            {"id": "my-sep", "name": "MY separation", "country": "MY", "stage": "separation", "maturity": "operating", "capacities": cap("80")},
            {"id": "cn-sep", "name": "CN separation", "country": "CN", "stage": "separation", "maturity": "operating", "capacities": cap("250")},
            {"id": "kz-sep", "name": "KZ separation", "country": "KZ", "stage": "separation", "maturity": "letter_of_interest",
             "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "120", "ramp": [{"year": 2028, "tonnes": "60"}, {"year": 2030, "tonnes": "120"}]}]},
            {"id": "jp-mag", "name": "JP magnets", "country": "JP", "stage": "manufacturing", "maturity": "operating", "capacities": cap("200")},
            {"id": "cn-mag", "name": "CN magnets", "country": "CN", "stage": "manufacturing", "maturity": "operating", "capacities": cap("150")}
        ],
        "demand": [
            {"id": "us", "buyer": "US", "country": "US", "commodity": "NdPr:oxide", "tonnes_per_year": "150", "year": 2024},
            {"id": "cn", "buyer": "CN", "country": "CN", "commodity": "NdPr:oxide", "tonnes_per_year": "200", "year": 2024},
            {"id": "us-2030", "buyer": "US", "country": "US", "commodity": "NdPr:oxide", "tonnes_per_year": "150", "year": 2030}
        ]
    })
}

pub(crate) fn valid(v: &Value) -> ValidDataset {
    Dataset::from_json_str(&v.to_string())
        .unwrap()
        .validate()
        .unwrap()
}

fn report(v: &Value, scenario: &Scenario) -> midstream_graph::BottleneckReport {
    SupplyGraph::build(&valid(v), &ndpr(), scenario)
        .unwrap()
        .bottleneck()
        .unwrap()
}

fn t(x: &str) -> midstream_domain::Tonnes {
    x.parse().unwrap()
}

#[test]
fn baseline_separation_is_the_bottleneck() {
    let r = report(&chain(), &Scenario::baseline());
    // Separation 80 + 250 = 330 < mining 400, magnets 350, demand 350.
    assert_eq!(r.deliverable, t("330"));
    assert_eq!(r.demand, Some(t("350")));
    assert_eq!(r.shortfall, Some(t("20")));
    assert!(r.bottleneck_is_midstream);
    let ids: Vec<String> = r
        .cut
        .iter()
        .map(|m| match m {
            CutMember::Facility { id, .. } => id.to_string(),
            other => panic!("unexpected cut member {other:?}"),
        })
        .collect();
    assert_eq!(ids, vec!["cn-sep", "my-sep"]);
    assert_eq!(r.cut_by_country[0].country.code(), "CN");
    assert_eq!(r.cut_by_country[0].share.value().to_string(), "0.757576");
    assert_eq!(r.cut_by_country[0].share.to_string(), "75.8 %");
    // Every deliverable tonne passes a separation plant; shares by country add up.
    let sep: Vec<_> = r
        .flow_by_stage_country
        .iter()
        .filter(|f| f.stage.is_midstream())
        .collect();
    let total: rust_decimal::Decimal = sep.iter().map(|f| f.tonnes.value()).sum();
    assert_eq!(total, t("330").value());
    let paths: rust_decimal::Decimal = r.paths.iter().map(|p| p.tonnes.value()).sum();
    assert_eq!(paths, t("330").value());
    // The project is not producing.
    let kz = r
        .utilisation
        .iter()
        .find(|u| u.id.as_str() == "kz-sep")
        .unwrap();
    assert!(matches!(kz.status, FacilityStatus::NotProducing { .. }));
}

#[test]
fn china_export_stop_keeps_chinese_output_at_home() {
    let scenario: Scenario = serde_json::from_value(json!({"export_stops": ["CN"]})).unwrap();
    let r = report(&chain(), &scenario);
    // Outside China: AU mine 100 -> MY sep 80 -> JP magnets -> US 150: 80 t.
    // Inside China: CN mine 300 -> CN sep 250 -> CN magnets 150 -> CN buyers 200: 150 t.
    // The AU ore may also go to CN separation (imports are allowed) but cannot leave again.
    assert_eq!(r.deliverable, t("230"));
    let us = r
        .utilisation
        .iter()
        .find(|u| u.id.as_str() == "jp-mag")
        .unwrap();
    assert_eq!(us.throughput, t("80"));
}

#[test]
fn aligned_suppliers_only() {
    let scenario = Scenario {
        aligned_up_to: Some(midstream_domain::Alignment::Partner),
        ..Scenario::default()
    };
    let r = report(&chain(), &scenario);
    // CN is excluded: AU 100 -> MY 80 -> JP 200 -> buyers.
    assert_eq!(r.deliverable, t("80"));
    let cn = r
        .utilisation
        .iter()
        .find(|u| u.id.as_str() == "cn-sep")
        .unwrap();
    assert!(
        matches!(&cn.status, FacilityStatus::Excluded { reason } if reason.contains("adversary"))
    );
}

#[test]
fn the_project_delivers_from_its_ramp_year_when_assumed_online() {
    let mut scenario = Scenario {
        year: Some(2030),
        exclude_countries: ["CN".parse().unwrap()].into(),
        ..Scenario::default()
    };
    // 2030, China gone, project off: AU 100 -> MY 80 -> JP -> US 150 (2030 demand).
    assert_eq!(report(&chain(), &scenario).deliverable, t("80"));
    scenario.projects_online = ["kz-sep".parse().unwrap()].into();
    // Project on: AU 100 -> MY 80 + KZ 20 (ore-limited).
    assert_eq!(report(&chain(), &scenario).deliverable, t("100"));
    scenario.year = Some(2027);
    // Before its first ramp year the project produces nothing; there is no 2027 demand either,
    // so the chain's capacity is what is deliverable.
    let r = report(&chain(), &scenario);
    assert_eq!(r.deliverable, t("80"));
    assert_eq!(r.demand, None);
}

#[test]
fn explicit_links_replace_the_market() {
    let mut v = chain();
    v["links"] = json!([
        {"id": "au-my", "from": "au-mine", "to": "my-sep", "tonnes_per_year": "30"}
    ]);
    let r = report(&v, &Scenario::baseline());
    // AU ore goes only to MY (30 t cap); MY has no other supply; CN ore feeds CN sep.
    assert_eq!(r.deliverable, t("280"));
    assert!(
        r.cut
            .iter()
            .any(|m| matches!(m, CutMember::Link { id, .. } if id.as_str() == "au-my"))
    );
}

#[test]
fn capacity_override_and_exclusion() {
    let scenario: Scenario = serde_json::from_value(json!({
        "capacity_overrides": {"my-sep": "200"},
        "exclude_facilities": ["cn-mag"]
    }))
    .unwrap();
    let r = report(&chain(), &scenario);
    // Magnets: JP 200 only; separation 450 > 200. Demand 350.
    assert_eq!(r.deliverable, t("200"));
    assert!(!r.bottleneck_is_midstream);
}

#[test]
fn demand_met_means_demand_is_the_cut() {
    // Magnets (350) would tie with demand (350): the reported cut is the one closest to the
    // source, so magnets. With more magnet capacity, demand alone binds.
    let scenario: Scenario =
        serde_json::from_value(json!({"capacity_overrides": {"my-sep": "500"}})).unwrap();
    let r = report(&chain(), &scenario);
    assert!(r.cut.iter().all(|m| matches!(m, CutMember::Facility { stage, .. } if *stage == midstream_domain::Stage::Manufacturing)));
    let scenario: Scenario =
        serde_json::from_value(json!({"capacity_overrides": {"my-sep": "500", "jp-mag": "500"}}))
            .unwrap();
    let r = report(&chain(), &scenario);
    assert_eq!(r.deliverable, t("350"));
    assert_eq!(r.shortfall, Some(t("0")));
    assert!(r.cut.iter().all(|m| matches!(m, CutMember::Demand { .. })));
    assert!(!r.bottleneck_is_midstream);
}

#[test]
fn bad_input_gets_typed_errors() {
    let data = valid(&chain());
    let dy: Commodity = "Dy:oxide".parse().unwrap();
    assert!(matches!(
        SupplyGraph::build(&data, &dy, &Scenario::baseline()),
        Err(GraphError::UnknownCommodity { .. })
    ));
    let s: Scenario = serde_json::from_value(json!({"exclude_facilities": ["nowhere"]})).unwrap();
    let err = SupplyGraph::build(&data, &ndpr(), &s).unwrap_err();
    assert!(err.to_string().contains("exclude_facilities"), "{err}");
    let s: Scenario = serde_json::from_value(json!({"export_stops": ["BR"]})).unwrap();
    assert!(matches!(
        SupplyGraph::build(&data, &ndpr(), &s),
        Err(GraphError::UnknownCountry {
            field: "export_stops",
            ..
        })
    ));
    let mut v = chain();
    v.as_object_mut().unwrap().remove("perspective");
    let s = Scenario {
        aligned_up_to: Some(midstream_domain::Alignment::Ally),
        ..Scenario::default()
    };
    assert!(matches!(
        SupplyGraph::build(&valid(&v), &ndpr(), &s),
        Err(GraphError::NoPerspective)
    ));
    assert!(serde_json::from_value::<Scenario>(json!({"exclude_country": ["CN"]})).is_err());
}

#[test]
fn huge_capacities_are_errors_not_wraps() {
    // Each figure is within the dataset limit (10^12 t), but 10,000 of them sum to 10^16 t =
    // 10^19 kg, past i64: the graph says so instead of wrapping.
    let mines: Vec<Value> = (0..10_000)
        .map(|i| {
            json!({"id": format!("m{i}"), "name": format!("Mine {i}"), "country": "AU",
                   "stage": "mining", "maturity": "operating",
                   "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "1000000000000"}]})
        })
        .collect();
    let v =
        json!({"format_version": 1, "name": "huge", "as_of": "2024-12-31", "facilities": mines});
    let data = valid(&v);
    let err = SupplyGraph::build(&data, &ndpr(), &Scenario::baseline()).unwrap_err();
    assert!(matches!(err, GraphError::Overflow(_)), "{err}");
    // A single figure past the limit never reaches the graph: validation refuses it.
    let mut v = chain();
    v["facilities"][0]["capacities"][0]["tonnes_per_year"] = json!("9000000000000000");
    let report = Dataset::from_json_str(&v.to_string())
        .unwrap()
        .validate()
        .unwrap_err();
    assert!(
        report
            .errors()
            .any(|i| i.rule == midstream_domain::Rule::QuantityTooLarge)
    );
}

#[test]
fn same_input_same_bytes() {
    let a = serde_json::to_string(&report(&chain(), &Scenario::baseline())).unwrap();
    let b = serde_json::to_string(&report(&chain(), &Scenario::baseline())).unwrap();
    assert_eq!(a, b);
}

#[test]
fn dimacs_round_trip_gives_the_same_flow() {
    let data = midstream_data::synthetic::generate(
        &midstream_data::synthetic::GeneratorConfig::new(300, 11),
    )
    .validate()
    .unwrap();
    let graph = SupplyGraph::build(&data, &ndpr(), &Scenario::baseline()).unwrap();
    let mut text = Vec::new();
    graph.write_dimacs(&mut text).unwrap();
    let problem = midstream_graph::read_dimacs(text.as_slice()).unwrap();
    let net = problem.network().unwrap();
    let value = midstream_graph::max_flow(&net, problem.source, problem.sink)
        .unwrap()
        .value();
    let report = graph.bottleneck().unwrap();
    assert_eq!(
        midstream_graph::units::kg_to_tonnes(value),
        report.deliverable
    );
    assert!(report.deliverable > t("0"));
    // Every binding arc is reported: the cut's capacity is the deliverable flow.
    let cut: rust_decimal::Decimal = report.cut.iter().map(|m| m.capacity().value()).sum();
    assert_eq!(cut, report.deliverable.value());
}

#[test]
fn dot_marks_the_cut_and_ranks_stages() {
    let graph = SupplyGraph::build(&valid(&chain()), &ndpr(), &Scenario::baseline()).unwrap();
    let dot = graph.to_dot(None).unwrap();
    assert!(
        dot.contains("\"f:cn-sep\" [shape=box, label=\"CN separation\\nCN · 250 t/yr\", color=red")
    );
    assert!(dot.contains("subgraph \"cluster_separation\""));
    assert!(dot.contains("\"f:au-mine\" -> \"market:separation\";"));
    assert_eq!(dot, graph.to_dot(None).unwrap());
    // With the material balance, each facility carries its range over all optimal flows.
    let balance = BalanceModel::build(&valid(&chain()), &ndpr())
        .unwrap()
        .solve(&Scenario::baseline())
        .unwrap();
    let ranged = graph.to_dot(Some(&balance)).unwrap();
    for f in &balance.facilities {
        assert!(
            ranged.contains(&format!("\"f:{}\" [shape=box", f.of)),
            "{}",
            f.of
        );
    }
    assert!(ranged.contains("carries"));
    assert!(
        !ranged.contains("label=\"0\""),
        "no arc is labelled with one flow"
    );
}

#[test]
fn a_scrap_link_to_recycling_keeps_the_market() {
    let mut v = chain();
    v["facilities"].as_array_mut().unwrap().push(json!(
        {"id": "jp-rec", "name": "JP recycler", "country": "JP", "stage": "recycling",
         "maturity": "operating", "capacities": cap("10")}
    ));
    v["links"] = json!([{"id": "scrap", "from": "jp-mag", "to": "jp-rec"}]);
    let r = report(&v, &Scenario::baseline());
    // Recycling adds 10 t at separation (its first stage): separation 330 still binds, and the
    // magnet maker keeps delivering to buyers.
    assert_eq!(r.deliverable, t("330"));
    let jp = r
        .utilisation
        .iter()
        .find(|u| u.id.as_str() == "jp-mag")
        .unwrap();
    assert!(jp.throughput > t("0"));
}

#[test]
fn a_binding_mine_is_in_the_cut() {
    // Separation capacity far above mining: the mines bind (their entry arcs saturate with
    // them), and the report names them.
    let scenario: Scenario = serde_json::from_value(json!({
        "capacity_overrides": {"my-sep": "1000", "cn-sep": "1000", "jp-mag": "1000", "cn-mag": "1000"}
    }))
    .unwrap();
    let mut v = chain();
    v.as_object_mut().unwrap().remove("demand");
    let r = report(&v, &scenario);
    assert_eq!(r.deliverable, t("400"));
    let ids: Vec<String> = r
        .cut
        .iter()
        .map(|m| match m {
            CutMember::Facility { id, .. } => id.to_string(),
            other => panic!("unexpected cut member {other:?}"),
        })
        .collect();
    assert_eq!(ids, vec!["au-mine", "cn-mine"]);
    assert!(!r.bottleneck_is_midstream);
    let total: rust_decimal::Decimal = r.cut.iter().map(|m| m.capacity().value()).sum();
    assert_eq!(
        total,
        r.deliverable.value(),
        "the cut's capacity is the deliverable flow"
    );
}

/// On the single-product graph an export control is an export stop of the commodities it
/// covers, and nothing for the others.
#[test]
fn an_export_control_is_an_export_stop_of_what_it_covers() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../midstream-data/data/rare-earths-2024.json");
    let data = Dataset::from_json_file(path).unwrap().validate().unwrap();
    let value = |commodity: &str, s: &Scenario| {
        SupplyGraph::build(&data, &commodity.parse().unwrap(), s)
            .unwrap()
            .bottleneck()
            .unwrap()
            .deliverable
    };
    let control = Scenario::from_json_str(
        r#"{"export_controls": [{"country": "CN", "elements": ["Dy", "Tb"]}]}"#,
    )
    .unwrap();
    let stop = Scenario {
        export_stops: ["CN".parse().unwrap()].into(),
        ..Scenario::default()
    };
    assert_eq!(value("Dy:oxide", &control), value("Dy:oxide", &stop));
    assert!(value("Dy:oxide", &stop) < value("Dy:oxide", &Scenario::baseline()));
    assert_eq!(
        value("NdPr:oxide", &control),
        value("NdPr:oxide", &Scenario::baseline())
    );
}

/// Scenario files are read strictly: one JSON object, no key twice (a map would keep the
/// last), every number exact; each refusal names the line, column and path.
#[test]
fn scenario_files_are_read_strictly() {
    let refuse = |text: &str, says: &str| {
        let e = Scenario::from_json_str(text).unwrap_err();
        assert!(e.to_string().contains(says), "{text}: {e}");
        assert!(matches!(e, GraphError::ScenarioParse { .. }), "{e:?}");
    };
    refuse("[2030]", "the file holds a list");
    refuse("2030", "a scenario file is one JSON object");
    refuse(
        r#"{"capacity_overrides": {"a": "1", "a": "2"}}"#,
        "the key \"a\" appears twice",
    );
    refuse(r#"{"year": 2030, "year": 2031}"#, "appears twice");
    refuse(
        r#"{"capacity_overrides": {"a": 0.30000000000000001}}"#,
        "cannot be read exactly",
    );
    // Keys may repeat in different objects; exact numbers pass.
    let s = Scenario::from_json_str(
        r#"{"capacity_overrides": {"a": 0.3}, "link_caps": {"a": "5"}, "year": 2030}"#,
    )
    .unwrap();
    assert_eq!(s.year, Some(2030));
}

/// The graph's nodes and arcs, read without petgraph, are the flow network's, number for
/// number: each facility's arc carries its capacity, from its in-node to its out-node.
#[test]
fn nodes_and_arcs_match_the_network() {
    let data: ValidDataset = Dataset::from_json_str(&chain().to_string())
        .unwrap()
        .validate()
        .unwrap();
    let g = SupplyGraph::build(&data, &ndpr(), &Scenario::baseline()).unwrap();
    let net = g.network().unwrap();
    assert_eq!(g.node_count(), net.node_count());
    assert_eq!(g.arc_count(), net.edge_count());
    for k in 0..g.arc_count() {
        let (tail, head, arc) = g.arc(k).unwrap();
        assert_eq!(net.edge(k), Some((tail, head, arc.capacity)));
    }
    assert!(g.arc(g.arc_count()).is_none() && g.node(g.node_count()).is_none());
    assert!(matches!(g.node(g.source()), Some(NodeKind::Source)));
    assert!(matches!(g.node(g.sink()), Some(NodeKind::Sink)));
    for f in g.facilities() {
        let (tail, head, arc) = g.arc(f.edge).unwrap();
        assert_eq!(arc.capacity, f.capacity_kg);
        assert!(matches!(g.node(tail), Some(NodeKind::FacilityIn { .. })));
        assert!(matches!(g.node(head), Some(NodeKind::FacilityOut { .. })));
    }
}
