//! Property tests of the invariants: HHI bounds, monotonicity of supply risk and delivery
//! probability, scores against values computed here from the inputs, the probability of
//! delivering by a year, and serialisation round trips.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use midstream_domain::{Country, Facility, Maturity};
use midstream_risk::{
    Concentration, DeliveryAssessment, DeliveryContext, DeliveryParams, EuParams, EuStage,
    EuStageInputs, GovernanceTable, Shares, TradeParameters, UsgsInputs, UsgsParams,
    assess_delivery, eu_stage_supply_risk, usgs_supply_risk,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::common::{c, facility, wgi_scaled};

const CODES: [&str; 8] = ["CN", "AU", "MY", "US", "KZ", "BR", "IN", "RU"];

/// Hundredths as a decimal: `cents(566)` is 5.66.
fn cents(n: u32) -> Decimal {
    Decimal::new(i64::from(n), 2)
}

/// Integer percentages for up to eight countries plus the remainder to 100.
fn percent_shares() -> impl Strategy<Value = (Vec<(Country, Decimal)>, Decimal)> {
    prop::collection::vec(0_u32..=100, 1..=8).prop_map(|ps| {
        let mut left = 100;
        let named: Vec<(Country, Decimal)> = ps
            .iter()
            .zip(CODES)
            .map(|(p, code)| {
                let take = (*p).min(left);
                left -= take;
                (c(code), Decimal::from(take))
            })
            .collect();
        (named, Decimal::from(left))
    })
}

/// Scaled WGI (0..10 in hundredths) and trade parameter (0.8..1.5) for every country.
fn governance() -> impl Strategy<Value = (Vec<u32>, Vec<u32>)> {
    (
        prop::collection::vec(0_u32..=1000, 8),
        prop::collection::vec(80_u32..=150, 8),
    )
}

fn tables(wgi: &[u32], t: &[u32]) -> (GovernanceTable, TradeParameters) {
    let mut g = GovernanceTable::default();
    for (code, w) in CODES.iter().zip(wgi) {
        g.insert(c(code), wgi_scaled(cents(*w)));
    }
    let t =
        TradeParameters::new(CODES.iter().zip(t).map(|(code, v)| (c(code), cents(*v)))).unwrap();
    (g, t)
}

fn stage(
    named: &[(Country, Decimal)],
    other: Decimal,
    trade: &TradeParameters,
    ir: u32,
    eol: u32,
    si: u32,
) -> EuStageInputs {
    let shares = Shares::from_percent(named.iter().copied(), Some(other)).unwrap();
    EuStageInputs {
        stage: EuStage::Processing,
        global_supply: Some(shares.clone()),
        global_trade: trade.clone(),
        eu_sourcing: Some(shares),
        eu_trade: trade.clone(),
        import_reliance: cents(ir),
        end_of_life_recycling_input_rate: cents(eol),
        substitution_index: cents(si),
    }
}

proptest! {
    #[test]
    fn hhi_lies_between_one_over_n_and_one(amounts in prop::collection::vec(1_u32..=100_000, 1..=30)) {
        let named: Vec<(usize, Decimal)> =
            amounts.iter().enumerate().map(|(i, a)| (i, Decimal::from(*a))).collect();
        let shares = Shares::from_amounts(named, None).unwrap();
        let conc = Concentration::of(&shares).unwrap();
        let n = Decimal::from(amounts.len());
        prop_assert!(conc.hhi.fraction() >= Decimal::ONE / n, "{:?}", conc.hhi);
        prop_assert!(conc.hhi.fraction() <= Decimal::ONE);
        prop_assert!(conc.hhi.points() >= Decimal::from(10_000) / n);
        prop_assert!(conc.hhi.points() <= Decimal::from(10_000));
        prop_assert!(conc.cr1 <= conc.cr3);
        prop_assert!(conc.hhi <= conc.hhi_upper);
    }

    #[test]
    fn worse_governance_never_lowers_eu_supply_risk(
        (named, other) in percent_shares(),
        (wgi, t) in governance(),
        which in 0_usize..8,
        worse_by in 0_u32..=1000,
        ir in 0_u32..=100, eol in 0_u32..=100, si in 0_u32..=100,
    ) {
        let (g, trade) = tables(&wgi, &t);
        let inputs = stage(&named, other, &trade, ir, eol, si);
        let before = eu_stage_supply_risk(&inputs, &g, &EuParams::default()).unwrap();
        let mut worse = wgi.clone();
        worse[which] = (worse[which] + worse_by).min(1000);
        let (g2, _) = tables(&worse, &t);
        let after = eu_stage_supply_risk(&inputs, &g2, &EuParams::default()).unwrap();
        prop_assert!(after.supply_risk >= before.supply_risk);
    }

    #[test]
    fn more_concentration_never_lowers_eu_supply_risk(
        (named, other) in percent_shares(),
        (wgi, t) in governance(),
        i in 0_usize..8, j in 0_usize..8,
        ir in 0_u32..=100, eol in 0_u32..=100, si in 0_u32..=100,
    ) {
        prop_assume!(i < named.len() && j < named.len() && i != j);
        let (g, trade) = tables(&wgi, &t);
        // Merge supplier j into the one of the two whose WGI × t is higher (or equal): the
        // market is more concentrated and no supplier's governance improves.
        let weight = |k: usize| cents(wgi[k]) * cents(t[k]);
        let (into, from) = if weight(i) >= weight(j) { (i, j) } else { (j, i) };
        let mut merged = named.clone();
        let moved = merged[from].1;
        merged[into].1 += moved;
        merged[from].1 = Decimal::ZERO;
        let before = eu_stage_supply_risk(&stage(&named, other, &trade, ir, eol, si), &g, &EuParams::default()).unwrap();
        let after = eu_stage_supply_risk(&stage(&merged, other, &trade, ir, eol, si), &g, &EuParams::default()).unwrap();
        prop_assert!(after.supply_risk >= before.supply_risk);
        // With uniform governance, supply risk follows the HHI.
        let uniform = vec![wgi[0]; 8];
        let ones = vec![100; 8];
        let (gu, tu) = tables(&uniform, &ones);
        let hhi = |s: &[(Country, Decimal)]| {
            Shares::from_percent(s.iter().copied(), Some(other)).unwrap().hhi(false).unwrap()
        };
        let b = eu_stage_supply_risk(&stage(&named, other, &tu, ir, eol, si), &gu, &EuParams::default()).unwrap();
        let a = eu_stage_supply_risk(&stage(&merged, other, &tu, ir, eol, si), &gu, &EuParams::default()).unwrap();
        prop_assert!(hhi(&merged) >= hhi(&named));
        prop_assert!(a.supply_risk >= b.supply_risk);
    }

    #[test]
    fn eu_contributions_add_up_to_the_supply_risk(
        (named, other) in percent_shares(),
        (wgi, t) in governance(),
        ir in 0_u32..=100, eol in 0_u32..=100, si in 0_u32..=100,
        other_wgi in prop::option::of(0_u32..=1000),
    ) {
        let (g, trade) = tables(&wgi, &t);
        let params = EuParams {
            other_supplier_wgi: other_wgi.map(|w| wgi_scaled(cents(w))),
            ..EuParams::default()
        };
        let sr = eu_stage_supply_risk(&stage(&named, other, &trade, ir, eol, si), &g, &params).unwrap();
        prop_assert_eq!(sr.explanation.contributions_sum(), sr.supply_risk);
        // The same supply risk computed here from the inputs. Both sides carry the same
        // shares, so the bracket is HHI_WGI,t itself: Σ (p/100)² × WGI_scaled × t, plus the
        // remainder as one supplier (t = 1) when it is given a WGI.
        let mut hhi_wgi_t = Decimal::ZERO;
        for (country, percent) in &named {
            let k = CODES.iter().position(|code| c(code) == *country).unwrap();
            let s = *percent / Decimal::ONE_HUNDRED;
            hhi_wgi_t += s * s * cents(wgi[k]) * cents(t[k]);
        }
        if let Some(w) = other_wgi {
            let o = other / Decimal::ONE_HUNDRED;
            hhi_wgi_t += o * o * cents(w);
        }
        let expected = hhi_wgi_t * (Decimal::ONE - cents(eol)) * cents(si);
        prop_assert!((sr.supply_risk - expected).abs() < Decimal::new(1, 20), "{} {}", sr.supply_risk, expected);
    }

    #[test]
    fn usgs_supply_risk_is_the_geometric_mean_and_rises_with_supplier_risk(
        (named, other) in percent_shares(),
        risks in prop::collection::vec(0_u32..=100, 8),
        te in 0_u32..=100, ev in 0_u32..=100,
        which in 0_usize..8, worse_by in 0_u32..=100,
    ) {
        let make = |r: &[u32]| UsgsInputs {
            production: Shares::from_percent(named.iter().copied(), Some(other)).unwrap(),
            supplier_risk: CODES.iter().zip(r).map(|(k, v)| (c(k), cents(*v))).collect(),
            trade_adjustment: BTreeMap::new(),
            trade_exposure: cents(te),
            economic_vulnerability: cents(ev),
        };
        let before = usgs_supply_risk(&make(&risks), &UsgsParams::default()).unwrap();
        // DP computed here: Σ (p/100)² × r; the remainder adds nothing by default.
        let mut dp = Decimal::ZERO;
        for (country, percent) in &named {
            let k = CODES.iter().position(|code| c(code) == *country).unwrap();
            let s = *percent / Decimal::ONE_HUNDRED;
            dp += s * s * cents(risks[k]);
        }
        prop_assert_eq!(before.disruption_potential, dp);
        prop_assert_eq!(before.disruption_potential_explained.contributions_sum(), dp);
        // SR = (DP × TE × EV)^(1/3), computed here in f64.
        let x = [f(dp), f(cents(te)), f(cents(ev))];
        let expected = (x[0] * x[1] * x[2]).cbrt();
        prop_assert!((f(before.supply_risk) - expected).abs() < 1e-9, "{} {}", before.supply_risk, expected);
        match &before.explanation {
            None => {
                prop_assert!(x.contains(&0.0));
                prop_assert!(before.supply_risk.is_zero());
            }
            Some(log) => {
                // ln SR = Σ ln xᵢ / 3, each indicator adding its own third.
                prop_assert!((f(log.score) - (x[0] * x[1] * x[2]).ln() / 3.0).abs() < 1e-9);
                let names = ["disruption potential", "trade exposure", "economic vulnerability"];
                for (name, xi) in names.iter().zip(x) {
                    let contribution = f(log.factor(name).unwrap().contribution);
                    prop_assert!((contribution - xi.ln() / 3.0).abs() < 1e-11, "{name}");
                }
                // The indicator that raises the risk most has the largest contribution.
                let largest = log.factors.iter().max_by_key(|f| f.contribution).unwrap();
                let max_x = x.iter().copied().fold(0.0_f64, f64::max);
                prop_assert!((f(largest.input) - max_x).abs() < 1e-15, "{log}");
            }
        }
        let mut worse = risks.clone();
        worse[which] = (worse[which] + worse_by).min(100);
        let after = usgs_supply_risk(&make(&worse), &UsgsParams::default()).unwrap();
        prop_assert!(after.supply_risk >= before.supply_risk);
    }

    #[test]
    fn shares_and_inputs_round_trip_through_json(
        (named, other) in percent_shares(),
        unit in 0_usize..3,
        wgi in prop::collection::vec(0_u32..=1000, 8),
        t in prop::collection::vec(80_u32..=150, 8),
        ir in 0_u32..=100, eol in 0_u32..=100, si in 0_u32..=100,
    ) {
        let fractions = || named.iter().map(|(k, v)| (*k, *v / Decimal::ONE_HUNDRED));
        let shares = match unit {
            0 => Shares::from_fractions(fractions(), Some(other / Decimal::ONE_HUNDRED)),
            1 => Shares::from_percent(named.iter().copied(), Some(other)),
            _ => {
                // Amounts need a positive total.
                let total: Decimal = named.iter().map(|(_, v)| *v).sum::<Decimal>() + other;
                prop_assume!(!total.is_zero());
                Shares::from_amounts(named.iter().copied(), Some(other))
            }
        }
        .unwrap();
        let json = serde_json::to_string(&shares).unwrap();
        let back: Shares<Country> = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &shares);
        prop_assert_eq!(back.hhi(true).unwrap(), shares.hhi(true).unwrap());

        let (_, trade) = tables(&wgi, &t);
        let eu = stage(&named, other, &trade, ir, eol, si);
        let json = serde_json::to_string(&eu).unwrap();
        let back: EuStageInputs = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &eu);

        let usgs = UsgsInputs {
            production: shares,
            supplier_risk: CODES.iter().zip(&wgi).map(|(k, w)| (c(k), Decimal::new(i64::from(*w), 3))).collect(),
            trade_adjustment: BTreeMap::from([(c("AU"), cents(ir))]),
            trade_exposure: cents(eol),
            economic_vulnerability: cents(si),
        };
        let json = serde_json::to_string(&usgs).unwrap();
        let back: UsgsInputs = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &usgs);
    }
}

fn f(x: Decimal) -> f64 {
    x.to_f64().unwrap()
}

const STAGES: [&str; 4] = ["mining", "cracking", "separation", "metal_refining"];
const COMMODITIES: [&str; 3] = ["NdPr:oxide", "Dy:oxide", "W:oxide"];
const FINANCING: [&str; 6] = [
    "interest_letter",
    "applied",
    "conditional_commitment",
    "committed",
    "disbursed",
    "withdrawn",
];

/// A facility record with random evidence, at a given maturity.
#[derive(Clone, Debug)]
struct Record {
    stage: usize,
    commodity: usize,
    nameplate: u32,
    binding: u32,
    non_binding: u32,
    financing: Option<usize>,
    start: Option<i32>,
    wgi: Option<u32>,
    base: bool,
    foak: bool,
}

fn record() -> impl Strategy<Value = Record> {
    (
        (
            0_usize..4,
            0_usize..3,
            1_u32..=5000,
            0_u32..=6000,
            0_u32..=6000,
        ),
        (
            prop::option::of(0_usize..6),
            prop::option::of(2020_i32..=2045),
            prop::option::of(0_u32..=1000),
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (stage, commodity, nameplate, binding, non_binding),
                (financing, start, wgi, base, foak),
            )| Record {
                stage,
                commodity,
                nameplate,
                binding,
                non_binding,
                financing,
                start,
                wgi,
                base,
                foak,
            },
        )
}

impl Record {
    fn facility(&self, maturity: Maturity, extra_binding: u32) -> Facility {
        let commodity = COMMODITIES[self.commodity];
        let mut offtakes = vec![];
        for (tonnes, binding) in [
            (self.binding, true),
            (self.non_binding, false),
            (extra_binding, true),
        ] {
            if tonnes > 0 {
                offtakes.push(format!(
                    r#"{{"buyer": "b", "commodity": "{commodity}", "tonnes_per_year": "{tonnes}", "binding": {binding}}}"#
                ));
            }
        }
        let financing = self.financing.map_or(String::new(), |i| {
            format!(
                r#"{{"instrument": "loan", "lender": "l", "status": "{}"}}"#,
                FINANCING[i]
            )
        });
        let milestones = self.start.map_or(String::new(), |y| {
            format!(r#"{{"kind": "first_production", "date": "{y}-01-01", "status": "planned"}}"#)
        });
        facility(&format!(
            r#"{{"id": "f", "name": "F", "country": "KZ", "stage": "{}", "maturity": "{maturity}",
                "capacities": [{{"commodity": "{commodity}", "tonnes_per_year": "{}"}}],
                "offtakes": [{}], "financing": [{financing}], "milestones": [{milestones}]}}"#,
            STAGES[self.stage],
            self.nameplate,
            offtakes.join(",")
        ))
    }

    fn context(&self) -> DeliveryContext {
        let mut ctx =
            DeliveryContext::new(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(), 2026..=2040);
        if let Some(w) = self.wgi {
            ctx.governance.insert(c("KZ"), wgi_scaled(cents(w)));
        }
        if self.base {
            ctx.metallurgical_base.insert(c("KZ"));
        }
        if self.foak {
            ctx.first_of_a_kind.insert("f".parse().unwrap());
        }
        ctx
    }

    fn assess(&self, maturity: Maturity, extra_binding: u32) -> DeliveryAssessment {
        assess_delivery(
            &self.facility(maturity, extra_binding),
            &self.context(),
            &DeliveryParams::default(),
        )
        .unwrap()
    }

    fn probability(&self, maturity: Maturity, extra_binding: u32) -> Decimal {
        let a = self.assess(maturity, extra_binding);
        check_log_odds(
            &a,
            DeliveryParams::default().maturity_probability.get(maturity),
        );
        a.probability.value()
    }
}

/// The exact probability (a product of odds in decimals) against its log-odds explanation
/// (logarithms in `f64`): `p = logistic(Σ contributions)`, the maturity's contribution is
/// `logit(base)` and every other one `ln(weight)`.
fn check_log_odds(a: &DeliveryAssessment, base: Decimal) {
    let p = f(a.probability.value());
    let Some(e) = &a.explanation else {
        assert!(base.is_zero() || base == Decimal::ONE, "{a:?}");
        assert_eq!(a.probability.value(), base);
        return;
    };
    let b = f(base);
    let maturity = e.factor("maturity").unwrap();
    assert!(
        (f(maturity.contribution) - (b / (1.0 - b)).ln()).abs() < 1e-11,
        "{e}"
    );
    for factor in e.factors.iter().filter(|x| x.name != "maturity") {
        assert!(
            (f(factor.contribution) - f(factor.weight).ln()).abs() < 1e-11,
            "{e}"
        );
    }
    let from_factors = 1.0 / (1.0 + (-f(e.contributions_sum())).exp());
    assert!((p - from_factors).abs() < 1e-10, "{p} {from_factors}: {e}");
}

/// `F(k)` of the default start-delay distribution.
const STARTED_BY: [&str; 4] = ["0.5", "0.75", "0.9", "1"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn advancing_maturity_never_lowers_the_delivery_probability(
        r in record(), i in 0_usize..10, j in 0_usize..10,
    ) {
        let (lo, hi) = (i.min(j), i.max(j));
        prop_assert!(r.probability(Maturity::LADDER[lo], 0) <= r.probability(Maturity::LADDER[hi], 0));
    }

    #[test]
    fn adding_binding_offtake_never_lowers_the_delivery_probability(
        r in record(), m in 0_usize..12, extra in 1_u32..=6000,
    ) {
        let maturity = Maturity::ALL[m];
        prop_assert!(r.probability(maturity, 0) <= r.probability(maturity, extra));
    }

    #[test]
    fn probability_by_year_rises_to_p_and_weights_the_schedule(r in record(), m in 0_usize..12) {
        let maturity = Maturity::ALL[m];
        let a = r.assess(maturity, 0);
        let p = a.probability.value();
        let mut last = Decimal::ZERO;
        for y in &a.probability_by_year {
            let by = y.probability.value();
            prop_assert!(by >= last, "{:?}", a.probability_by_year);
            prop_assert!(by <= p);
            last = by;
            // P(by y) computed here: 0 before the scheduled start; then p for a producing
            // facility, p × F(y − start) for one still to start.
            let started = match a.expected_start_year {
                Some(start) if y.year >= start => {
                    if maturity.is_producing() {
                        Decimal::ONE
                    } else {
                        let late = usize::try_from(y.year - start).unwrap().min(3);
                        STARTED_BY[late].parse().unwrap()
                    }
                }
                _ => Decimal::ZERO,
            };
            prop_assert_eq!(by, p * started, "{}", y.year);
        }
        for y in &a.capacity_by_year {
            let by = a.probability_by_year.iter().find(|b| b.year == y.year).unwrap();
            prop_assert_eq!(y.risk_adjusted.value(), y.scheduled.value() * by.probability.value());
            if a.expected_start_year.is_none_or(|s| y.year < s) {
                prop_assert!(y.scheduled.is_zero());
            }
        }
    }
}
