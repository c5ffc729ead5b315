//! Analysis checks of the `critical-minerals-2024` dataset: every country row of the USGS MCS 2025
//! and WNA tables, summing to the published world totals, with the published leading shares.

use std::collections::BTreeSet;

use midstream_data::load;
use midstream_domain::{Alignment, Commodity, Country, Maturity, Stage, Tonnes, ValidDataset};
use midstream_graph::{CriticalityOptions, Scenario, SupplyGraph};

const NAME: &str = "critical-minerals-2024";

/// One chain of the dataset and what its publication says about it (2024).
struct Chain {
    what: &'static str,
    commodity: &'static str,
    stage: Stage,
    /// Number of named countries in the publication's table (2024 column, non-zero rows).
    countries: usize,
    /// The published world total, tonnes.
    world: &'static str,
    /// The publication's own "Other countries" row, tonnes.
    other_row: &'static str,
    /// Half a unit of the world total's last rounded digit, tonnes (0 where it is exact).
    rounding: &'static str,
    /// The leading producer and its share of the world total, % to one decimal
    /// (figures.md section 4, computed from the same tables).
    top: &'static str,
    top_share_percent: &'static str,
}

const CHAINS: [Chain; 7] = [
    Chain {
        what: "tungsten mine",
        commodity: "W:concentrate@contained",
        stage: Stage::Mining,
        countries: 10,
        world: "81000",
        other_row: "1500",
        rounding: "500",
        top: "CN",
        top_share_percent: "82.7",
    },
    Chain {
        what: "uranium mine",
        commodity: "U:concentrate@contained",
        stage: Stage::Mining,
        countries: 12,
        world: "60213",
        other_row: "155",
        rounding: "0",
        top: "KZ",
        top_share_percent: "38.6",
    },
    Chain {
        what: "chromite",
        commodity: "Cr:concentrate@product",
        stage: Stage::Mining,
        countries: 7,
        world: "47000000",
        other_row: "2900000",
        rounding: "500000",
        top: "ZA",
        top_share_percent: "44.7",
    },
    Chain {
        what: "titanium sponge",
        commodity: "Ti:metal",
        stage: Stage::MetalRefining,
        countries: 6,
        world: "320000",
        other_row: "0",
        rounding: "5000",
        top: "CN",
        top_share_percent: "68.8",
    },
    Chain {
        what: "primary aluminium",
        commodity: "Al:metal",
        stage: Stage::MetalRefining,
        countries: 12,
        world: "72000000",
        other_row: "6800000",
        rounding: "500000",
        top: "CN",
        top_share_percent: "59.7",
    },
    Chain {
        what: "copper mine",
        commodity: "Cu:concentrate",
        stage: Stage::Mining,
        countries: 14,
        world: "23000000",
        other_row: "2700000",
        rounding: "500000",
        top: "CL",
        top_share_percent: "23.0",
    },
    Chain {
        what: "refined copper",
        commodity: "Cu:metal",
        stage: Stage::MetalRefining,
        countries: 17,
        world: "27000000",
        other_row: "2500000",
        rounding: "500000",
        top: "CN",
        top_share_percent: "44.4",
    },
];

fn data() -> ValidDataset {
    load(NAME).unwrap_or_else(|e| panic!("{e}"))
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

/// The chain's (country, 2024 tonnes) rows, in dataset order.
fn rows(data: &ValidDataset, chain: &Chain) -> Vec<(Country, Tonnes)> {
    let c = commodity(chain.commodity);
    data.facilities
        .iter()
        .filter_map(|f| f.capacity(&c).map(|cap| (f, cap)))
        .map(|(f, cap)| {
            assert_eq!(f.stage, chain.stage, "{}: {} stage", chain.what, f.id);
            (f.country, cap.in_year(2024))
        })
        .collect()
}

/// Whole tonnes as an integer (every figure of this dataset is a whole number of tonnes).
fn whole(x: Tonnes) -> i128 {
    let text = x.value().normalize().to_string();
    text.parse()
        .unwrap_or_else(|_| panic!("{text} is not a whole number of tonnes"))
}

fn total(rows: &[(Country, Tonnes)]) -> i128 {
    rows.iter().map(|(_, x)| whole(*x)).sum()
}

/// `part / whole` in percent, rounded half away from zero to one decimal, as text ("82.7").
fn percent_1dp(part: i128, of: i128) -> String {
    assert!(part >= 0 && of > 0);
    let tenths = (2 * 1000 * part + of) / (2 * of);
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[test]
fn loads_with_us_perspective_and_as_of_end_2024() {
    let data = data();
    assert_eq!(data.name, NAME);
    assert!(data.warnings().is_empty(), "{:#?}", data.warnings());
    assert_eq!(data.as_of.to_string(), "2024-12-31");
    let p = data.perspective.as_ref().expect("a perspective");
    assert_eq!(p.country.code(), "US");
    assert_eq!(p.default_alignment, Some(Alignment::NonAligned));
    for e in &p.alignments {
        assert!(
            e.source.is_some() && e.rationale.as_deref().is_some_and(|r| r.len() > 10),
            "alignment of {} needs a rationale and a source",
            e.country.code()
        );
    }
}

#[test]
fn one_operating_country_aggregate_per_country_commodity_and_stage() {
    let data = data();
    let mut seen = BTreeSet::new();
    for f in &data.facilities {
        assert_eq!(f.maturity, Maturity::Operating, "{}", f.id);
        assert_eq!(f.capacities.len(), 1, "{}: one figure per facility", f.id);
        let cap = &f.capacities[0];
        assert!(
            CHAINS
                .iter()
                .any(|c| commodity(c.commodity) == cap.commodity),
            "{}: unexpected commodity {}",
            f.id,
            cap.commodity
        );
        let method = &cap
            .estimate
            .as_ref()
            .expect("production used as capacity is an estimate")
            .method;
        assert!(
            method.contains("2024 production used as a capacity proxy"),
            "{}: {method}",
            f.id
        );
        assert!(
            seen.insert((f.country, cap.commodity.to_string(), f.stage)),
            "{}: two facilities for the same country, commodity and stage",
            f.id
        );
    }
    let expected: usize = CHAINS.iter().map(|c| c.countries).sum();
    assert_eq!(data.facilities.len(), expected);
}

#[test]
fn every_chain_has_every_country_of_its_table() {
    let data = data();
    for chain in &CHAINS {
        let rows = rows(&data, chain);
        assert_eq!(rows.len(), chain.countries, "{}", chain.what);
        let world = whole(t(chain.world));
        for (c, x) in &rows {
            // A footnote digit glued to a figure (16,000 read as 116,000) would break this.
            assert!(
                whole(*x) > 0 && whole(*x) < world,
                "{}: {} has {x}",
                chain.what,
                c.code()
            );
        }
    }
}

#[test]
fn countries_plus_the_other_row_make_the_world_total() {
    let data = data();
    for chain in &CHAINS {
        let listed = total(&rows(&data, chain));
        let world = whole(t(chain.world));
        let other = whole(t(chain.other_row));
        let rounding = whole(t(chain.rounding));
        let gap = (listed + other - world).abs();
        assert!(
            gap <= rounding,
            "{}: listed {listed} + other {other} = {} vs world {world} (rounding {rounding})",
            chain.what,
            listed + other
        );
        // The dataset documents the world total and the remainder.
        let description = data.description.as_deref().unwrap();
        let remainder = world - listed;
        let grouped = |n: i128| {
            let digits = n.abs().to_string();
            let mut out = String::new();
            for (i, ch) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    out.push(',');
                }
                out.push(ch);
            }
            if n < 0 { format!("-{out}") } else { out }
        };
        assert!(
            description.contains(&format!("world {}", grouped(world))),
            "{}: description lacks the world total",
            chain.what
        );
        assert!(
            description.contains(&format!("remainder {}", grouped(remainder)))
                || description.contains(&format!(
                    "remainder to the world total {}",
                    grouped(remainder)
                )),
            "{}: description lacks the remainder {remainder}",
            chain.what
        );
    }
}

#[test]
fn leading_producer_shares_match_the_published_shares() {
    let data = data();
    for chain in &CHAINS {
        let rows = rows(&data, chain);
        let listed = total(&rows);
        // Shares of the world total: the listed countries plus the explicit unnamed remainder.
        let remainder = whole(t(chain.world)) - listed;
        let whole_world = listed + remainder;
        let (top, top_tonnes) = rows
            .iter()
            .max_by_key(|(_, x)| whole(*x))
            .map(|(c, x)| (*c, whole(*x)))
            .unwrap();
        assert_eq!(top, country(chain.top), "{}: leading producer", chain.what);
        assert_eq!(
            percent_1dp(top_tonnes, whole_world),
            chain.top_share_percent,
            "{}: share of {}",
            chain.what,
            chain.top
        );
    }
}

#[test]
fn uranium_rows_are_exactly_the_wna_table() {
    let data = data();
    let uranium = &CHAINS[1];
    let rows = rows(&data, uranium);
    let get = |code: &str| {
        rows.iter()
            .find(|(c, _)| c.code() == code)
            .map_or_else(|| panic!("no uranium row for {code}"), |(_, x)| whole(*x))
    };
    assert_eq!(get("KZ"), 23_270);
    assert_eq!(get("CA"), 14_309);
    assert_eq!(get("NA"), 7_333);
    // WNA gives an exact total: the rows and "Others" (155 t) add up to it to the tonne.
    assert_eq!(total(&rows) + 155, 60_213);
}

/// Share (%, one decimal) of a chain's world total held by the countries whose US alignment
/// `pick` accepts.
fn share_of(data: &ValidDataset, chain: &Chain, pick: impl Fn(Alignment) -> bool) -> String {
    let p = data.perspective.as_ref().unwrap();
    let rows = rows(data, chain);
    let part: i128 = rows
        .iter()
        .filter(|(c, _)| pick(p.alignment_of(*c).expect("every country is classified")))
        .map(|(_, x)| whole(*x))
        .sum();
    percent_1dp(part, whole(t(chain.world)))
}

#[test]
fn us_perspective_tungsten_is_adversary_supply_uranium_is_not() {
    let data = data();
    // Tungsten: China 67,000 + Russia 2,000 + North Korea 1,700 = 70,700 t of 81,000 t.
    assert_eq!(
        share_of(&data, &CHAINS[0], |a| a == Alignment::Adversary),
        "87.3"
    );
    // Allies and partners: Australia 1,000 + Spain 700 + Portugal 500 = 2,200 t.
    assert_eq!(
        share_of(&data, &CHAINS[0], |a| a <= Alignment::Partner),
        "2.7"
    );
    // Uranium: Canada 14,309 + Australia 4,598 + India 500 + United States 260 = 19,667 tU.
    assert_eq!(
        share_of(&data, &CHAINS[1], |a| a <= Alignment::Partner),
        "32.7"
    );
    // Kazakhstan, multi-vector, holds more than allies and partners together.
    assert_eq!(
        share_of(&data, &CHAINS[1], |a| a == Alignment::MultiVector),
        "38.6"
    );
}

#[test]
fn graph_of_tungsten_shrinks_to_allied_mines_under_an_alignment_filter() {
    let data = data();
    let w = commodity("W:concentrate@contained");
    let all = SupplyGraph::build(&data, &w, &Scenario::baseline())
        .unwrap()
        .bottleneck()
        .unwrap();
    assert_eq!(
        all.deliverable,
        t("79900"),
        "listed countries, without 'other'"
    );
    let aligned = Scenario {
        aligned_up_to: Some(Alignment::Partner),
        ..Scenario::default()
    };
    let allied = SupplyGraph::build(&data, &w, &aligned)
        .unwrap()
        .bottleneck()
        .unwrap();
    assert_eq!(allied.deliverable, t("2200"), "Australia, Spain, Portugal");
}

#[test]
fn the_most_critical_country_of_each_chain_is_its_leading_producer() {
    let data = data();
    // Single points of failure (loss of at least half of the deliverable supply, which counts
    // the listed countries only, without the unnamed remainder): China for tungsten mining
    // (67,000 of 79,900 t), titanium sponge (220,000 of 324,300 t) and primary aluminium
    // (43,000 of 64,820 kt); nobody else reaches half, China's refined copper not quite
    // (12,000 of 24,710 kt = 48.6 %).
    let single: [&[&str]; 7] = [&["CN"], &[], &[], &["CN"], &["CN"], &[], &[]];
    for (chain, single) in CHAINS.iter().zip(single) {
        let graph =
            SupplyGraph::build(&data, &commodity(chain.commodity), &Scenario::baseline()).unwrap();
        let critical = graph
            .criticality(&CriticalityOptions::default(), |_, _| {})
            .unwrap();
        assert_eq!(
            critical.countries[0].country,
            country(chain.top),
            "{}",
            chain.what
        );
        let expected: Vec<Country> = single.iter().map(|c| country(c)).collect();
        assert_eq!(
            critical.single_point_countries, expected,
            "{}: single points of failure",
            chain.what
        );
    }
}
