//! Analysis checks of the `kazakhstan-2025` dataset: signals (occurrences, letters of interest)
//! are kept apart from supply (operating plants with sourced capacities), every capacity states
//! its basis, and the processing base, the owners and the one failed rare-earth plant are there.

use std::collections::BTreeSet;

use midstream_data::load;
use midstream_domain::{
    Alignment, Basis, CapacityBasis, Commodity, Country, Element, Facility, FinancingStatus, Form,
    Instrument, Maturity, MilestoneKind, MilestoneStatus, Stage, Tonnes, Usd, ValidDataset,
};
use midstream_graph::{
    BalanceModel, BalanceReport, BindingKind, FacilityStatus, Scenario, SupplyGraph,
};
use rust_decimal::Decimal;

fn data() -> ValidDataset {
    load("kazakhstan-2025").unwrap()
}

fn t(s: &str) -> Tonnes {
    s.parse().unwrap()
}

fn commodity(s: &str) -> Commodity {
    s.parse().unwrap()
}

fn country(s: &str) -> Country {
    s.parse().unwrap()
}

/// The bottleneck of `c` in the dataset as it stands.
fn baseline(data: &ValidDataset, c: &str) -> midstream_graph::BottleneckReport {
    SupplyGraph::build(data, &commodity(c), &Scenario::baseline())
        .unwrap()
        .bottleneck()
        .unwrap()
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

/// The URL of the source `id` cites for `commodity`.
fn capacity_url(data: &ValidDataset, id: &str, commodity_text: &str) -> String {
    let cap = facility(data, id)
        .capacity(&commodity(commodity_text))
        .unwrap_or_else(|| panic!("{id} has no {commodity_text} capacity"));
    let source_id = cap.source.as_ref().unwrap();
    data.sources
        .iter()
        .find(|s| &s.id == source_id)
        .and_then(|s| s.url.clone())
        .unwrap_or_else(|| panic!("{id}: the source of {commodity_text} has no URL"))
}

const TUNGSTEN_PROJECTS: [&str; 2] = ["kz-w-northern-katpar", "kz-w-upper-kairakty"];

/// ERG's plants (Luxembourg-registered group, Kazakh state the largest single shareholder).
const ERG_PLANTS: [&str; 4] = [
    "kazchrome-aksu-ferroalloys",
    "kazchrome-aktobe-ferroalloys",
    "pavlodar-alumina-refinery",
    "kazakhstan-aluminium-smelter",
];

/// Country aggregates: many owners, so no owner country.
const AGGREGATES: [&str; 4] = [
    "kz-uranium-mining",
    "kz-chromite-mining",
    "kz-copper-mining",
    "kz-refined-copper",
];

#[test]
fn the_dataset_is_about_kazakhstan_as_of_end_2025() {
    let data = data();
    // The sourcing module checks every dataset in turn and stops at the first failure; this
    // one is checked here on its own too.
    assert!(data.warnings().is_empty(), "{:#?}", data.warnings());
    assert_eq!(data.name, "kazakhstan-2025");
    assert_eq!(data.as_of.to_string(), "2025-12-31");
    // Format 2: capacity bases and owner countries.
    assert_eq!(data.format_version, 2);
    // Every plant stands in Kazakhstan, whoever owns it.
    assert!(data.facilities.iter().all(|f| f.country.code() == "KZ"));
    // World totals and shares are the critical-minerals dataset's job: no demand, no other
    // country's facilities, so no share of world supply can be read off this one.
    assert!(data.demand.is_empty());
    assert!(data.links.is_empty());
}

#[test]
fn every_capacity_states_its_basis_and_output_its_year() {
    let data = data();
    let as_of = data.as_of_year();
    for f in &data.facilities {
        for c in &f.capacities {
            let basis = c
                .basis
                .unwrap_or_else(|| panic!("{} {}: no basis", f.id, c.commodity));
            match basis {
                CapacityBasis::Output => {
                    let year = c.year.unwrap_or_else(|| {
                        panic!("{} {}: output without a year", f.id, c.commodity)
                    });
                    assert!(year <= as_of, "{} {}: output in {year}", f.id, c.commodity);
                    // Output used as a capacity is marked as an estimate that says so.
                    let method = &c
                        .estimate
                        .as_ref()
                        .unwrap_or_else(|| {
                            panic!(
                                "{} {}: output of {year} used as capacity",
                                f.id, c.commodity
                            )
                        })
                        .method;
                    assert!(
                        method.contains("proxy"),
                        "{} {}: {method}",
                        f.id,
                        c.commodity
                    );
                }
                CapacityBasis::Nameplate => {
                    assert!(c.year.is_none(), "{} {}", f.id, c.commodity);
                }
                CapacityBasis::Quota => panic!("{} {}: no quota in Kazakhstan", f.id, c.commodity),
            }
        }
    }
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
    // The only rare-earth capacity in the dataset is SARECO's design, and SARECO does not
    // produce: no producing facility states a rare-earth capacity.
    let mut with_ree_capacity = Vec::new();
    for f in &data.facilities {
        if f.capacities
            .iter()
            .any(|c| c.commodity.elements().iter().any(Element::is_rare_earth))
        {
            assert!(
                !f.maturity.is_producing() && !f.maturity.is_project(),
                "{} ({}) states a rare-earth capacity",
                f.id,
                f.maturity
            );
            with_ree_capacity.push(f.id.as_str());
        }
    }
    assert_eq!(with_ree_capacity, ["sareco-stepnogorsk"]);
    // So no separated rare earth can be had from Kazakhstan, and the mixed-chemical graph
    // delivers nothing.
    let ndpr = commodity("NdPr:oxide");
    assert!(SupplyGraph::build(&data, &ndpr, &Scenario::baseline()).is_err());
    let mixed = baseline(&data, "REO:mixed_chemical");
    assert_eq!(mixed.deliverable, Tonnes::ZERO);

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
fn sareco_is_the_rare_earth_plant_that_opened_in_2012_and_stopped() {
    let data = data();
    let f = facility(&data, "sareco-stepnogorsk");
    // Suspended (or, if a closure is ever sourced, closed): neither a project nor producing.
    assert!(
        matches!(f.maturity, Maturity::Suspended | Maturity::Closed),
        "SARECO is {}",
        f.maturity
    );
    assert!(!f.maturity.is_producing() && !f.maturity.is_project());
    // A leaching plant making mixed concentrate, not a separation plant.
    assert_eq!(f.stage, Stage::Cracking);
    assert_eq!(f.owner_country, Some(country("KZ")), "Kazatomprom 51%");
    // Opened on 2 November 2012.
    let opened = f
        .milestones
        .iter()
        .find(|m| m.kind == MilestoneKind::CommissioningStart)
        .expect("an opening milestone");
    assert_eq!(opened.status, MilestoneStatus::Achieved);
    assert_eq!(opened.date.to_string(), "2012-11-02");
    assert!(opened.source.is_some());
    // Trial output from June 2014, and nothing at nameplate, ever.
    let first = f
        .milestones
        .iter()
        .find(|m| m.kind == MilestoneKind::FirstProduction)
        .expect("a first-production milestone");
    assert!(
        first.date.to_string().starts_with("2014-"),
        "{}",
        first.date
    );
    assert!(
        f.milestones
            .iter()
            .all(|m| m.kind != MilestoneKind::Nameplate)
    );
    // The design (1,500 t/yr REO) is recorded as nameplate; the best year (240.4 t of
    // concentrate in 2014) and the aim it never approached are kept beside it.
    let design = f
        .capacity(&commodity("REO:mixed_chemical"))
        .expect("the design capacity");
    assert_eq!(design.tonnes_per_year, t("1500"));
    assert_eq!(design.basis, Some(CapacityBasis::Nameplate));
    let note = f.note.as_deref().unwrap();
    assert!(note.contains("240.4") && note.contains("2015"), "{note}");
    let aim = f.aim.as_ref().expect("the announced aim");
    assert!(aim.tonnes_per_year > design.tonnes_per_year);
    // A suspended plant carries nothing: in the mixed-chemical graph it is not producing.
    let report = baseline(&data, "REO:mixed_chemical");
    let u = report
        .utilisation
        .iter()
        .find(|u| u.id.as_str() == "sareco-stepnogorsk")
        .unwrap();
    assert!(
        matches!(u.status, FacilityStatus::NotProducing { .. }),
        "{:?}",
        u.status
    );
    assert_eq!(u.throughput, Tonnes::ZERO);
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
        // Cove Kaz Capital Group (US) holds 70%.
        assert_eq!(f.owner_country, Some(country("US")), "{id}");
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

/// The operating base: facility, commodity, tonnes per year, and a word of the cited source's
/// title.
const OPERATING_BASE: [(&str, &str, &str, &str); 13] = [
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
    ("boguty-tungsten-mine", "W:ore", "6798", "Jiaxin"),
    (
        "kazchrome-aksu-ferroalloys",
        "Cr:alloy@product",
        "269000",
        "ferroalloys",
    ),
    (
        "kazchrome-aktobe-ferroalloys",
        "Cr:alloy@product",
        "440000",
        "Актюбинскую",
    ),
    (
        "pavlodar-alumina-refinery",
        "Al:oxide",
        "1338000",
        "alumina",
    ),
    (
        "ulba-metallurgical-plant",
        "Be:metal@product",
        "1687",
        "uranium producer in 2015",
    ),
    (
        "ulba-metallurgical-plant",
        "Ta:metal@product",
        "141.251",
        "uranium producer in 2015",
    ),
    (
        "ulba-metallurgical-plant",
        "Nb:metal@product",
        "96.944",
        "uranium producer in 2015",
    ),
];

#[test]
fn the_operating_base_matches_the_cited_figures() {
    let data = data();
    for (id, c, tonnes, title) in OPERATING_BASE {
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
    // Production used as a capacity is marked as an estimate, on basis output in 2024; a
    // design capacity is not an estimate and is a nameplate.
    for id in AGGREGATES {
        let c = &facility(&data, id).capacities[0];
        assert!(c.estimate.is_some(), "{id}");
        assert_eq!(c.basis, Some(CapacityBasis::Output), "{id}");
        assert_eq!(c.year, Some(2024), "{id}");
    }
    for id in [
        "kazakhstan-aluminium-smelter",
        "kazchrome-aktobe-ferroalloys",
    ] {
        let c = &facility(&data, id).capacities[0];
        assert!(c.estimate.is_none(), "{id}");
        assert_eq!(c.basis, Some(CapacityBasis::Nameplate), "{id}");
    }
}

#[test]
fn the_processing_base_is_recorded() {
    let data = data();
    // ERG's ferrochrome: the Aksu and Aktobe smelters, ferrochrome counted as alloy shipped.
    let ferrochrome = commodity("Cr:alloy@product");
    for id in ["kazchrome-aksu-ferroalloys", "kazchrome-aktobe-ferroalloys"] {
        let f = facility(&data, id);
        assert_eq!(f.stage, Stage::Alloying, "{id}");
        assert_eq!(f.maturity, Maturity::Operating, "{id}");
        assert!(f.capacity(&ferrochrome).is_some(), "{id}");
        assert!(f.operator.as_deref().unwrap().contains("Kazchrome"), "{id}");
    }
    // Aksu's figure is its 2018 output, with ERG's 2024 target beside it as an aim (never
    // counted).
    let aksu = facility(&data, "kazchrome-aksu-ferroalloys");
    let c = aksu.capacity(&ferrochrome).unwrap();
    assert_eq!((c.basis, c.year), (Some(CapacityBasis::Output), Some(2018)));
    let aim = aksu.aim.as_ref().unwrap();
    assert_eq!((aim.tonnes_per_year, aim.year), (t("503000"), Some(2024)));
    // Aktobe: the design of the smelting shop opened in June 2014.
    let aktobe = facility(&data, "kazchrome-aktobe-ferroalloys");
    assert!(
        aktobe
            .milestones
            .iter()
            .any(|m| m.kind == MilestoneKind::CommissioningStart
                && m.date.to_string() == "2014-06-23")
    );
    // The two smelters make one single-stage chain.
    let r = SupplyGraph::build(&data, &ferrochrome, &Scenario::baseline())
        .unwrap()
        .bottleneck()
        .unwrap();
    assert_eq!(r.deliverable, t("709000"));

    // The Pavlodar alumina refinery feeds the smelter: alumina in t Al2O3, output in 2022.
    let alumina = facility(&data, "pavlodar-alumina-refinery");
    let c = alumina.capacity(&commodity("Al:oxide")).unwrap();
    assert_eq!(c.tonnes_per_year, t("1338000"));
    assert_eq!((c.basis, c.year), (Some(CapacityBasis::Output), Some(2022)));
    assert_eq!(c.commodity.basis(), Basis::OxideEquivalent);
    assert!(
        facility(&data, "kazakhstan-aluminium-smelter")
            .note
            .as_deref()
            .unwrap()
            .contains("pavlodar-alumina-refinery")
    );

    // Ulba: beryllium, tantalum and niobium, from the only published (2015) output, in product
    // tonnes, flagged as old.
    let ulba = facility(&data, "ulba-metallurgical-plant");
    assert_eq!(ulba.stage, Stage::MetalRefining);
    let elements: BTreeSet<Element> = ulba
        .capacities
        .iter()
        .flat_map(|c| c.commodity.elements().iter().collect::<Vec<_>>())
        .collect();
    assert_eq!(
        elements,
        [Element::Be, Element::Nb, Element::Ta]
            .into_iter()
            .collect::<BTreeSet<_>>()
    );
    for c in &ulba.capacities {
        assert_eq!(c.commodity.basis(), Basis::ProductMass, "{}", c.commodity);
        assert_eq!(
            (c.basis, c.year),
            (Some(CapacityBasis::Output), Some(2015)),
            "{}",
            c.commodity
        );
        let method = &c
            .estimate
            .as_ref()
            .expect("an old output is flagged")
            .method;
        assert!(method.contains("ten years"), "{method}");
    }
    // Product tonnes of beryllium are not beryllium content: the note says so.
    assert!(
        ulba.note
            .as_deref()
            .unwrap()
            .contains("not element content")
    );
}

#[test]
fn mined_copper_is_not_refined_copper() {
    let data = data();
    // No mine states a metal: refined copper belongs to the refinery records only.
    for f in data.facilities.iter().filter(|f| f.stage == Stage::Mining) {
        for c in &f.capacities {
            assert!(
                !matches!(c.commodity.form(), Form::Metal | Form::Alloy),
                "{} (mining) states {}",
                f.id,
                c.commodity
            );
        }
    }
    let mine = facility(&data, "kz-copper-mining");
    assert_eq!(mine.capacities.len(), 1);
    let c = &mine.capacities[0];
    assert_eq!(c.commodity, commodity("Cu:concentrate"));
    assert_eq!(c.tonnes_per_year, t("740000"));
    assert!(c.derived.is_none());
    // Nothing is derived from mined copper either.
    let concentrate = commodity("Cu:concentrate");
    assert!(
        data.facilities
            .iter()
            .flat_map(|f| &f.capacities)
            .all(|c| c.derived.as_ref().is_none_or(|d| d.from != concentrate))
    );
    // Every Cu:metal capacity is at a refinery.
    let metal = commodity("Cu:metal");
    let refiners: Vec<&str> = data
        .facilities
        .iter()
        .filter(|f| f.capacity(&metal).is_some())
        .map(|f| {
            assert_eq!(f.stage, Stage::MetalRefining, "{}", f.id);
            f.id.as_str()
        })
        .collect();
    assert_eq!(
        refiners,
        ["kz-refined-copper", "kaz-minerals-aktogay-smelter"]
    );
}

#[test]
fn boguty_is_chinese_owned_and_stated_in_contained_wo3() {
    let data = data();
    let f = facility(&data, "boguty-tungsten-mine");
    assert_eq!(f.country, country("KZ"));
    assert_eq!(
        f.owner_country,
        Some(country("CN")),
        "Jiaxin (Chinese-owned)"
    );
    assert_eq!(f.maturity, Maturity::Operating);
    // Not ore tonnes: no capacity in product mass, and every tungsten figure counts WO3.
    assert!(!f.capacities.is_empty());
    for c in &f.capacities {
        assert_ne!(c.commodity.basis(), Basis::ProductMass, "{}", c.commodity);
        assert!(
            c.commodity.elements().contains(Element::W),
            "{}",
            c.commodity
        );
        assert_eq!(
            c.commodity.basis(),
            Basis::OxideEquivalent,
            "{}",
            c.commodity
        );
    }
    assert!(f.capacity(&commodity("W:ore@product")).is_none());
    // The WO3 in the design ore throughput at the reserve grade: an estimate that shows its
    // arithmetic, and far below the 3.3 Mt of ore it is computed from.
    let c = f
        .capacity(&commodity("W:ore"))
        .expect("WO3 contained in ore");
    let ore: Decimal = "3300000".parse().unwrap();
    let grade: Decimal = "0.00206".parse().unwrap();
    assert_eq!(c.tonnes_per_year.value(), ore * grade);
    assert!(c.tonnes_per_year < t("10000"));
    assert_eq!(c.basis, Some(CapacityBasis::Nameplate));
    let method = &c
        .estimate
        .as_ref()
        .expect("a derived figure is an estimate")
        .method;
    assert!(
        method.contains("3,300,000") && method.contains("0.206%") && method.contains("6,798"),
        "{method}"
    );
    // No concentrate figure is published, so none is stated.
    assert!(f.capacity(&commodity("W:concentrate")).is_none());
}

#[test]
fn titanium_sponge_is_reconciled_with_critical_minerals() {
    let kz = data();
    let cm = load("critical-minerals-2024").unwrap();
    let ti = commodity("Ti:metal");
    // Here: UKTMP's capacity, USGS year-end 2024 operating capacity, as nameplate.
    let uktmp = facility(&kz, "kz-titanium-sponge");
    let capacity = uktmp.capacity(&ti).unwrap();
    assert_eq!(capacity.tonnes_per_year, t("26000"));
    assert_eq!(capacity.basis, Some(CapacityBasis::Nameplate));
    // There: the same plant's 2024 production as USGS estimated it, the capacity proxy of a
    // production table; one Kazakh row only.
    let rows: Vec<&Facility> = cm
        .facilities
        .iter()
        .filter(|f| f.country == country("KZ") && f.capacity(&ti).is_some())
        .collect();
    assert_eq!(rows.len(), 1);
    let row = rows[0];
    let production = row.capacity(&ti).unwrap();
    assert_eq!(production.tonnes_per_year, t("14000"));
    assert!(
        production
            .estimate
            .as_ref()
            .unwrap()
            .method
            .contains("2024 production")
    );
    // Both figures come from the same USGS table.
    let url = "https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-titanium.pdf";
    assert_eq!(capacity_url(&kz, "kz-titanium-sponge", "Ti:metal"), url);
    let cm_source = production.source.as_ref().unwrap();
    assert_eq!(
        cm.sources
            .iter()
            .find(|s| &s.id == cm_source)
            .and_then(|s| s.url.as_deref()),
        Some(url)
    );
    // Each record names the other's figure and basis, and the producer's own 2024 output,
    // which lies between them.
    let here = uktmp.note.as_deref().unwrap();
    let there = row.note.as_deref().unwrap();
    for (text, other_figure, other_dataset) in [
        (here, "14,000", "critical-minerals-2024"),
        (there, "26,000", "kazakhstan-2025"),
    ] {
        assert!(
            text.contains(other_figure) && text.contains(other_dataset) && text.contains("19,000"),
            "{text}"
        );
    }
    assert!(production.tonnes_per_year < t("19000") && t("19000") < capacity.tonnes_per_year);
}

#[test]
fn owners_are_recorded_where_sourced() {
    let data = data();
    let owner = |id: &str| facility(&data, id).owner_country;
    assert_eq!(owner("kz-titanium-sponge"), Some(country("BE")));
    assert_eq!(owner("boguty-tungsten-mine"), Some(country("CN")));
    assert_eq!(owner("kaz-minerals-aktogay-smelter"), Some(country("KZ")));
    assert_eq!(owner("ulba-metallurgical-plant"), Some(country("KZ")));
    assert_eq!(owner("sareco-stepnogorsk"), Some(country("KZ")));
    for id in ["kz-ree-akbulak", "kz-ree-gremyachinsky"] {
        assert_eq!(owner(id), Some(country("US")), "{id}");
    }
    // ERG is registered in Luxembourg, with the Kazakh state its largest shareholder: the
    // choice of KZ is stated where the shareholding is given.
    for id in ERG_PLANTS {
        assert_eq!(owner(id), Some(country("KZ")), "{id}");
    }
    let erg = facility(&data, "kazakhstan-aluminium-smelter")
        .note
        .as_deref()
        .unwrap();
    assert!(erg.contains("Luxembourg") && erg.contains("40%"), "{erg}");
    // Country aggregates have many owners, so none.
    for id in AGGREGATES {
        assert_eq!(owner(id), None, "{id}");
    }
    // Every owner recorded is explained in the facility's note.
    for f in data.facilities.iter().filter(|f| f.owner_country.is_some()) {
        let note = f.note.as_deref().unwrap_or_default();
        assert!(
            note.contains("Owner country") || note.contains("owner country"),
            "{}: {note}",
            f.id
        );
    }
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

/// The refined-copper chain on the material balance: the refineries take copper in
/// concentrate (a conversion at recovery 1), so mining caps what a new smelter can add.
#[test]
fn copper_refining_binds_and_a_built_smelter_is_capped_by_the_mines() {
    let data = data();
    let cu = commodity("Cu:metal");
    let mut model = BalanceModel::build(&data, &cu).unwrap();
    let binds = |r: &BalanceReport, id: &str| {
        r.binding.iter().any(|m| {
            matches!(&m.what, BindingKind::Capacity { facility, .. } if facility.as_str() == id)
                && m.loss_per_tonne.is_some_and(|l| l > Decimal::ZERO)
        })
    };
    // 2025 as it stands: 470 kt of refining out of 740 kt mined; refining binds, mining does
    // not.
    let now = model.solve(&Scenario::baseline()).unwrap();
    assert_eq!(now.deliverable, t("470000"));
    assert!(binds(&now, "kz-refined-copper"));
    assert!(!binds(&now, "kz-copper-mining"));

    // The Aktogay smelter, if built, adds nothing before its planned first production...
    let early = Scenario {
        year: Some(2027),
        all_projects_online: true,
        ..Scenario::default()
    };
    assert_eq!(model.solve(&early).unwrap().deliverable, t("470000"));

    // ...and afterwards 270 kt, not its 300 kt nameplate: the mines' 740 kt bind.
    let built = Scenario {
        year: Some(2029),
        all_projects_online: true,
        ..Scenario::default()
    };
    let r2029 = model.solve(&built).unwrap();
    assert_eq!(r2029.deliverable, t("740000"));
    assert!(binds(&r2029, "kz-copper-mining"));
    assert!(!binds(&r2029, "kz-refined-copper"));
}

#[test]
fn single_stage_chains_deliver_their_operating_capacity() {
    let data = data();
    for (c, tonnes) in [
        ("Ti:metal", "26000"),
        ("Al:metal", "250000"),
        ("Al:oxide", "1338000"),
        ("U:concentrate@contained", "23270"),
        ("Cr:concentrate@product", "6500000"),
        ("Cr:alloy@product", "709000"),
        ("W:ore", "6798"),
        ("Be:metal@product", "1687"),
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
