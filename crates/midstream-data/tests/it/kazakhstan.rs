//! Analysis checks of the `kazakhstan-2025` dataset: signals (occurrences, letters of interest)
//! are kept apart from supply (operating plants with sourced capacities).

use std::collections::BTreeSet;

use midstream_data::load;
use midstream_domain::{
    Alignment, Commodity, Element, Facility, FinancingStatus, Instrument, Maturity, MilestoneKind,
    MilestoneStatus, Stage, Tonnes, Usd, ValidDataset,
};
use midstream_graph::{CutMember, FacilityStatus, Scenario, SupplyGraph};

fn data() -> ValidDataset {
    load("kazakhstan-2025").unwrap()
}

fn t(s: &str) -> Tonnes {
    s.parse().unwrap()
}

fn commodity(s: &str) -> Commodity {
    s.parse().unwrap()
}

fn facility<'a>(data: &'a ValidDataset, id: &str) -> &'a Facility {
    data.facility(id)
        .unwrap_or_else(|| panic!("no facility {id}"))
}

/// The capacity of `id` for `commodity`, and the title of the source it cites.
fn capacity_and_source(data: &ValidDataset, id: &str, commodity_text: &str) -> (Tonnes, String) {
    let cap = facility(data, id)
        .capacity(&commodity(commodity_text))
        .unwrap_or_else(|| panic!("{id} has no {commodity_text} capacity"));
    let source_id = cap
        .source
        .as_ref()
        .unwrap_or_else(|| panic!("{id}: {commodity_text} has no source"));
    let source = data.sources.iter().find(|s| &s.id == source_id).unwrap();
    (cap.tonnes_per_year, source.title.clone())
}

const TUNGSTEN_PROJECTS: [&str; 2] = ["kz-w-northern-katpar", "kz-w-upper-kairakty"];

#[test]
fn the_dataset_is_about_kazakhstan_as_of_end_2025() {
    let data = data();
    // The sourcing module checks every dataset in turn and stops at the first failure; this
    // one is checked here on its own too.
    assert!(data.warnings().is_empty(), "{:#?}", data.warnings());
    assert_eq!(data.name, "kazakhstan-2025");
    assert_eq!(data.as_of.to_string(), "2025-12-31");
    assert!(data.facilities.iter().all(|f| f.country.code() == "KZ"));
    // World totals and shares are the critical-minerals dataset's job: no demand, no other
    // country's facilities, so no share of world supply can be read off this one.
    assert!(data.demand.is_empty());
    assert!(data.links.is_empty());
}

#[test]
fn rare_earths_are_signals_not_supply() {
    let data = data();
    let ree: Vec<&Facility> = data
        .facilities
        .iter()
        .filter(|f| f.id.as_str().starts_with("kz-ree-"))
        .collect();
    assert_eq!(
        ree.len(),
        4,
        "Kuirektykol, Zhana Kazakhstan, Akbulak, Gremyachinsky"
    );
    for f in &ree {
        assert!(
            f.capacities.is_empty(),
            "{}: an occurrence has no capacity",
            f.id
        );
        assert!(
            matches!(f.maturity, Maturity::Occurrence | Maturity::Exploration),
            "{} is {}: no resource estimate was published, let alone a plant",
            f.id,
            f.maturity
        );
        assert!(!f.maturity.is_producing());
        assert!(f.financing.is_empty() && f.offtakes.is_empty(), "{}", f.id);
        // Announced forecast figures are not a published resource estimate.
        assert!(
            f.milestones
                .iter()
                .all(|m| m.kind != MilestoneKind::ResourceEstimate),
            "{}",
            f.id
        );
    }
    // No facility anywhere in the dataset states a rare-earth capacity, so no rare-earth
    // supply graph can be built from Kazakhstan.
    for f in &data.facilities {
        for c in &f.capacities {
            assert!(
                !c.commodity.elements().iter().any(Element::is_rare_earth),
                "{} states {}",
                f.id,
                c.commodity
            );
        }
    }
    let ndpr = commodity("NdPr:oxide");
    assert!(SupplyGraph::build(&data, &ndpr, &Scenario::baseline()).is_err());

    // The headline figures are kept with their caveats, at the right records.
    let kuirektykol = facility(&data, "kz-ree-kuirektykol");
    let notes: String = kuirektykol
        .milestones
        .iter()
        .filter_map(|m| m.note.clone())
        .collect();
    assert!(
        notes.contains("935,400") && notes.contains("800,000"),
        "{notes}"
    );
    assert!(kuirektykol.note.as_deref().unwrap().contains("JORC"));
    let zhana = facility(&data, "kz-ree-zhana-kazakhstan");
    assert_eq!(zhana.maturity, Maturity::Occurrence);
    let zhana_text = format!(
        "{} {}",
        zhana.milestones[0].note.as_deref().unwrap(),
        zhana.note.as_deref().unwrap()
    );
    assert!(zhana_text.contains("20 million tons") && zhana_text.contains("700 grams per ton"));
    assert!(zhana_text.contains("No public drilling results"));
}

#[test]
fn tungsten_projects_are_letters_of_interest_with_interest_letters_only() {
    let data = data();
    let mut exim_total = Usd::ZERO;
    let mut lenders = BTreeSet::new();
    for id in TUNGSTEN_PROJECTS {
        let f = facility(&data, id);
        assert_eq!(f.maturity, Maturity::LetterOfInterest, "{id}");
        assert_eq!(f.stage, Stage::Mining);
        // The planned output was reported without a basis (W, WO3, APT or concentrate mass):
        // no capacity, so the projects cannot be mistaken for supply in any graph.
        assert!(f.capacities.is_empty(), "{id}");
        // The ITA letter of intent states no tonnage: not an offtake.
        assert!(f.offtakes.is_empty(), "{id}");
        assert!(!f.financing.is_empty(), "{id}");
        for x in &f.financing {
            assert_eq!(
                x.instrument,
                Instrument::LetterOfInterest,
                "{id}: {}",
                x.lender
            );
            assert_eq!(
                x.status,
                FinancingStatus::InterestLetter,
                "{id}: {}",
                x.lender
            );
            lenders.insert(x.lender.clone());
            if x.lender.contains("EXIM") {
                exim_total = exim_total
                    .checked_add(x.amount.unwrap_or_default())
                    .unwrap();
            }
        }
        // The letters are achieved; construction and production are only planned, and later
        // than the as-of date.
        let loi = f
            .milestones
            .iter()
            .find(|m| m.kind == MilestoneKind::LetterOfInterest)
            .unwrap();
        assert_eq!(loi.status, MilestoneStatus::Achieved);
        assert_eq!(loi.date.to_string(), "2025-11-06");
        for kind in [
            MilestoneKind::ConstructionStart,
            MilestoneKind::FirstProduction,
        ] {
            let m = f.milestones.iter().find(|m| m.kind == kind).unwrap();
            assert_eq!(m.status, MilestoneStatus::Planned, "{id}: {kind:?}");
            assert!(m.date > data.as_of, "{id}: {kind:?}");
        }
    }
    assert_eq!(lenders.len(), 2, "EXIM and DFC: {lenders:?}");
    // One EXIM letter of US$900 million covers both projects and is counted once.
    assert_eq!(exim_total, "900000000".parse::<Usd>().unwrap());
}

#[test]
fn the_operating_base_matches_the_cited_figures() {
    let data = data();
    let cases = [
        ("kz-titanium-sponge", "Ti:metal", "26000", "Titanium"),
        (
            "kz-chromite-mining",
            "Cr:concentrate@product",
            "6500000",
            "Chromium",
        ),
        ("kz-copper-mining", "Cu:concentrate", "740000", "Copper"),
        ("kz-refined-copper", "Cu:metal", "470000", "Copper"),
        (
            "kz-uranium-mining",
            "U:concentrate@contained",
            "23270",
            "Uranium",
        ),
        (
            "kazakhstan-aluminium-smelter",
            "Al:metal",
            "250000",
            "Aluminium Smelter",
        ),
        (
            "boguty-tungsten-mine",
            "W:ore@product",
            "3300000",
            "Tungsten",
        ),
    ];
    for (id, c, tonnes, title) in cases {
        let f = facility(&data, id);
        assert_eq!(f.maturity, Maturity::Operating, "{id}");
        let (cap, source_title) = capacity_and_source(&data, id, c);
        assert_eq!(cap, t(tonnes), "{id} {c}");
        assert!(source_title.contains(title), "{id}: cited {source_title:?}");
    }
    // The USGS and WNA country figures are cited to the publications themselves.
    for id in [
        "kz-titanium-sponge",
        "kz-chromite-mining",
        "kz-refined-copper",
    ] {
        let (_, title) = capacity_and_source(
            &data,
            id,
            &facility(&data, id).capacities[0].commodity.to_string(),
        );
        assert!(
            title.starts_with("Mineral Commodity Summaries 2025"),
            "{id}: {title}"
        );
    }
    // Production used as a capacity is marked as an estimate; a design capacity is not.
    for id in [
        "kz-uranium-mining",
        "kz-chromite-mining",
        "kz-copper-mining",
        "kz-refined-copper",
    ] {
        assert!(facility(&data, id).capacities[0].estimate.is_some(), "{id}");
    }
    assert!(
        facility(&data, "kazakhstan-aluminium-smelter").capacities[0]
            .estimate
            .is_none()
    );
}

#[test]
fn baseline_graphs_count_operating_plants_and_no_project() {
    let data = data();
    // Every commodity that some project states a capacity for.
    let with_projects: BTreeSet<Commodity> = data
        .facilities
        .iter()
        .filter(|f| f.maturity.is_project())
        .flat_map(|f| f.capacities.iter().map(|c| c.commodity))
        .collect();
    assert!(!with_projects.is_empty());
    for c in &with_projects {
        let report = SupplyGraph::build(&data, c, &Scenario::baseline())
            .unwrap()
            .bottleneck()
            .unwrap();
        for u in &report.utilisation {
            let f = facility(&data, u.id.as_str());
            if f.maturity.is_project() {
                assert!(
                    matches!(u.status, FacilityStatus::NotProducing { .. }),
                    "{c}: {}",
                    u.id
                );
                assert_eq!(u.throughput, Tonnes::ZERO, "{c}: {}", u.id);
            } else {
                assert!(u.throughput > Tonnes::ZERO, "{c}: {} carries nothing", u.id);
            }
        }
        assert!(report.deliverable > Tonnes::ZERO, "{c}");
    }
}

#[test]
fn copper_refining_binds_and_only_a_built_smelter_would_move_the_bottleneck() {
    let data = data();
    let cu = commodity("Cu:metal");
    // 2025 as it stands: 740 kt of mined copper, 470 kt of refining.
    let now = SupplyGraph::build(&data, &cu, &Scenario::baseline())
        .unwrap()
        .bottleneck()
        .unwrap();
    assert_eq!(now.deliverable, t("470000"));
    assert!(now.bottleneck_is_midstream);
    assert!(now.cut.iter().any(|m| matches!(
        m,
        CutMember::Facility { id, stage: Stage::MetalRefining, .. } if id.as_str() == "kz-refined-copper"
    )));

    // The Aktogay smelter, if built, adds nothing before its planned first production...
    let early = Scenario {
        year: Some(2027),
        all_projects_online: true,
        ..Scenario::default()
    };
    let r2027 = SupplyGraph::build(&data, &cu, &early)
        .unwrap()
        .bottleneck()
        .unwrap();
    assert_eq!(r2027.deliverable, t("470000"));

    // ...and afterwards refining (770 kt) exceeds mining (740 kt): the cut moves upstream.
    let built = Scenario {
        year: Some(2029),
        all_projects_online: true,
        ..Scenario::default()
    };
    let r2029 = SupplyGraph::build(&data, &cu, &built)
        .unwrap()
        .bottleneck()
        .unwrap();
    assert_eq!(r2029.deliverable, t("740000"));
    assert!(!r2029.bottleneck_is_midstream);
    assert!(r2029.cut.iter().all(|m| matches!(
        m,
        CutMember::Facility {
            stage: Stage::Mining,
            ..
        }
    )));
}

#[test]
fn single_stage_chains_deliver_their_operating_capacity() {
    let data = data();
    for (c, tonnes) in [
        ("Ti:metal", "26000"),
        ("Al:metal", "250000"),
        ("U:concentrate@contained", "23270"),
        ("Cr:concentrate@product", "6500000"),
    ] {
        let r = SupplyGraph::build(&data, &commodity(c), &Scenario::baseline())
            .unwrap()
            .bottleneck()
            .unwrap();
        assert_eq!(r.deliverable, t(tonnes), "{c}");
    }
}

#[test]
fn a_us_buyer_counting_only_allies_and_partners_gets_nothing_from_kazakhstan() {
    let data = data();
    let p = data.perspective.as_ref().unwrap();
    assert_eq!(p.country.code(), "US");
    let kz = "KZ".parse().unwrap();
    assert_eq!(p.alignment_of(kz), Some(Alignment::MultiVector));
    let entry = p.alignments.iter().find(|a| a.country == kz).unwrap();
    assert!(entry.source.is_some() && entry.rationale.is_some());

    let ti = commodity("Ti:metal");
    let partners = Scenario {
        aligned_up_to: Some(Alignment::Partner),
        ..Scenario::default()
    };
    let r = SupplyGraph::build(&data, &ti, &partners)
        .unwrap()
        .bottleneck()
        .unwrap();
    assert_eq!(r.deliverable, Tonnes::ZERO);
    let multi = Scenario {
        aligned_up_to: Some(Alignment::MultiVector),
        ..Scenario::default()
    };
    let r = SupplyGraph::build(&data, &ti, &multi)
        .unwrap()
        .bottleneck()
        .unwrap();
    assert_eq!(r.deliverable, t("26000"));
}

#[test]
fn the_mou_is_context_not_a_milestone() {
    let data = data();
    let mou = data
        .sources
        .iter()
        .find(|s| s.title.contains("memorandum on critical minerals"))
        .unwrap();
    // Cited as context by the tungsten projects announced the same day...
    for id in TUNGSTEN_PROJECTS {
        assert!(facility(&data, id).sources.contains(&mou.id), "{id}");
    }
    // ...but never as a milestone, an offtake or a financing of any facility.
    for f in &data.facilities {
        assert!(
            f.milestones
                .iter()
                .all(|m| m.source.as_ref() != Some(&mou.id))
        );
        assert!(
            f.financing
                .iter()
                .all(|x| x.source.as_ref() != Some(&mou.id))
        );
    }
    assert!(data.description.as_deref().unwrap().contains("MoU"));
}
