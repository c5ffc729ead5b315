//! Concentration on published shares (reference §1.5, §1.6, §4, §5).

use midstream_risk::{
    Band2010, Concentration, ConcentrationChange, Guidance2010, RiskError, Shares,
};
use rust_decimal::Decimal;

use crate::common::{c, d, percent};

/// `check(shares, hhi points, cr1 %, cr3 %, band)`.
fn check(
    shares: &Shares<midstream_domain::Country>,
    hhi: &str,
    cr1: &str,
    cr3: &str,
    band: Band2010,
) {
    let conc = Concentration::of(shares).unwrap();
    assert_eq!(conc.hhi.points(), d(hhi), "HHI");
    assert_eq!(
        conc.hhi.fraction() * Decimal::from(10_000),
        d(hhi),
        "0..1 scale"
    );
    assert_eq!(conc.cr1.percent(), d(cr1), "CR1");
    assert_eq!(conc.cr3.percent(), d(cr3), "CR3");
    assert_eq!(conc.band_2010, band);
}

#[test]
fn textbook_example_40_30_20_10_is_3000() {
    // Reference §4 [primary]: shares 40/30/20/10 give HHI 3000.
    let s = Shares::from_percent(
        [
            ("A", d("40")),
            ("B", d("30")),
            ("C", d("20")),
            ("D", d("10")),
        ],
        None,
    )
    .unwrap();
    let conc = Concentration::of(&s).unwrap();
    assert_eq!(conc.hhi.points(), d("3000"));
    assert_eq!(conc.hhi.fraction(), d("0.3"));
}

#[test]
fn eu_2023_processing_shares() {
    // §1.5: LREE and germanium processing (global supply); HREE processing is 100 % China.
    check(
        &percent(
            &[
                ("CN", "84.9"),
                ("MY", "10.5"),
                ("RU", "1.9"),
                ("IN", "1.6"),
                ("VN", "1.0"),
                ("NO", "0.1"),
            ],
            None,
        ),
        "7325.44",
        "84.9",
        "97.3",
        Band2010::HighlyConcentrated,
    );
    check(
        &percent(
            &[
                ("CN", "89.6"),
                ("RU", "5.4"),
                ("US", "2.1"),
                ("JP", "1.9"),
                ("UA", "1.0"),
            ],
            None,
        ),
        "8066.34",
        "89.6",
        "97.1",
        Band2010::HighlyConcentrated,
    );
    check(
        &percent(&[("CN", "100")], None),
        "10000",
        "100",
        "100",
        Band2010::HighlyConcentrated,
    );
}

#[test]
fn eu_2020_lists_need_their_remainder() {
    // §1.6 lists countries >= 1 % in integer percent; titanium's ten add up to 91 %.
    let rows = [
        ("CA", "19"),
        ("CN", "15"),
        ("AU", "13"),
        ("ZA", "12"),
        ("MZ", "6"),
        ("NO", "6"),
        ("UA", "6"),
        ("IN", "6"),
        ("VN", "5"),
        ("MG", "3"),
    ];
    let err = Shares::from_percent(rows.iter().map(|(k, v)| (c(k), d(v))), None).unwrap_err();
    assert_eq!(
        err,
        RiskError::SharesDoNotSumToOne {
            named_sum: d("0.91"),
            other: None,
            total: d("0.91")
        }
    );
    let ti = percent(&rows, Some("9"));
    let conc = Concentration::of(&ti).unwrap();
    // 361 + 225 + 169 + 144 + 4 × 36 + 25 + 9 = 1077; the remainder alone adds at most 81.
    assert_eq!(conc.hhi.points(), d("1077"));
    assert_eq!(conc.hhi_upper.points(), d("1158"));
    assert_eq!(conc.band_2010, Band2010::Unconcentrated);
    assert_eq!(conc.band_2010_upper, Band2010::Unconcentrated);
    assert!(!conc.highly_concentrated_2023);
    assert!(!conc.band_is_ambiguous());
    assert_eq!(conc.cr3.percent(), d("47"));
    // Niobium: Brazil 92, Canada 8 add up to 100 without remainder.
    check(
        &percent(&[("BR", "92"), ("CA", "8")], None),
        "8528",
        "92",
        "100",
        Band2010::HighlyConcentrated,
    );
    // Lithium (CL 38, AU 36, AR 12, CN 7, US 3, ZW 2, BR 1 = 99): highly concentrated.
    let li = percent(
        &[
            ("CL", "38"),
            ("AU", "36"),
            ("AR", "12"),
            ("CN", "7"),
            ("US", "3"),
            ("ZW", "2"),
            ("BR", "1"),
        ],
        Some("1"),
    );
    let conc = Concentration::of(&li).unwrap();
    assert_eq!(conc.hhi.points(), d("2947")); // 1444 + 1296 + 144 + 49 + 9 + 4 + 1
    assert_eq!(conc.band_2010, Band2010::HighlyConcentrated);
}

#[test]
fn iea_top_three_shares_of_magnet_rare_earths() {
    // §5 [primary, news summaries of GCMO 2024]. Where the three largest shares are all
    // published, their sum is checked against the published top-3 share: a consistency check
    // of the published figures and of CR3.
    // 2030 refining (base case): China 77, Malaysia 12, Australia 3 -> top-3 92 %.
    let refining_2030 = percent(&[("CN", "77"), ("MY", "12"), ("AU", "3")], Some("8"));
    let conc = Concentration::of(&refining_2030).unwrap();
    assert_eq!(conc.cr3.percent(), d("92"));
    assert_eq!(conc.cr1.percent(), d("77"));
    // 2030 mining: China 54, Australia 18, Myanmar 9 -> top-3 81 %.
    let mining_2030 = percent(&[("CN", "54"), ("AU", "18"), ("MM", "9")], Some("19"));
    assert_eq!(
        Concentration::of(&mining_2030).unwrap().cr3.percent(),
        d("81")
    );
    // 2023 refining: China 92 %, Malaysia 5 %, top-3 98 %; Australia's share is not published.
    // ARITHMETIC, NOT A REPRODUCTION: Australia's 1 % below is worked back from the top-3
    // share (98 − 92 − 5), so CR3 = 98 holds by construction and the 2023 index includes an
    // inferred 1 point.
    let refining_2023 = percent(&[("CN", "92"), ("MY", "5"), ("AU", "1")], Some("2"));
    // The projected fall in refining concentration, 2023 -> 2030, judged as a change (lower
    // bounds: the remainders count as many small refiners).
    let change = ConcentrationChange::between(&refining_2023, &refining_2030).unwrap();
    assert_eq!(change.before.points(), d("8490")); // 8464 + 25 + 1 (inferred)
    assert_eq!(change.after.points(), d("6082")); // 5929 + 144 + 9
    assert_eq!(change.guidance_2010, Guidance2010::SmallChange);
    assert!(!change.presumption_2023);
    // The 2030 remainder of 8 % cannot change the band: 6082..6146 is highly concentrated.
    assert!(!conc.band_is_ambiguous());
    assert_eq!(conc.hhi_upper.points(), d("6146"));
}

#[test]
fn a_consolidation_among_refiners_is_judged_by_both_guidelines() {
    // Hypothetical refiners; the 2023 presumption needs HHI > 1800 and Δ > 100.
    let s = Shares::from_percent(
        [
            ("R1", d("30")),
            ("R2", d("25")),
            ("R3", d("20")),
            ("R4", d("15")),
            ("R5", d("10")),
        ],
        None,
    )
    .unwrap();
    let m = ConcentrationChange::merger(&s, &["R4", "R5"], &"R45").unwrap();
    // Before 900 + 625 + 400 + 225 + 100 = 2250; the merger adds 2 × 15 × 10 = 300.
    assert_eq!(m.before.points(), d("2250"));
    assert_eq!(m.delta_points, d("300"));
    assert_eq!(m.after.points(), d("2550"));
    assert_eq!(m.band_after_2010, Band2010::HighlyConcentrated);
    assert_eq!(m.guidance_2010, Guidance2010::PresumedMarketPower);
    assert!(m.presumption_2023);
    assert!(
        m.reason.contains("presumed likely to enhance market power"),
        "{}",
        m.reason
    );
}
