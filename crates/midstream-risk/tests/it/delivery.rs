//! Signal or supply: project delivery risk.

use chrono::NaiveDate;
use midstream_domain::{Dataset, Maturity};
use midstream_risk::{
    DeliveryContext, DeliveryParams, assess_dataset_delivery, assess_delivery, metallurgical_base,
};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::common::{c, d, facility};

fn ctx() -> DeliveryContext {
    DeliveryContext::new(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(), 2026..=2035)
}

/// A separation project announced with an export-credit interest letter, a non-binding
/// marketing agreement and a first-production target about 3.5 years out (the pattern of the
/// Kazakh announcements of November 2025 in the reference figures; numbers illustrative).
const LETTER: &str = r#"{
    "id": "kz-letter", "name": "Announced separation plant", "country": "KZ",
    "stage": "separation", "maturity": "letter_of_interest",
    "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "1000"}],
    "offtakes": [{"buyer": "Marketing partner", "commodity": "NdPr:oxide",
                  "tonnes_per_year": "1000", "binding": false}],
    "financing": [{"instrument": "letter_of_interest", "lender": "Export credit agency",
                   "amount": "900000000", "status": "interest_letter"}],
    "milestones": [
        {"kind": "letter_of_interest", "date": "2025-11-06", "status": "achieved"},
        {"kind": "first_production", "date": "2029-06-30", "status": "planned"}
    ]
}"#;

/// An operating separation plant with the same nameplate and a binding offtake.
const PLANT: &str = r#"{
    "id": "my-plant", "name": "Operating separation plant", "country": "MY",
    "stage": "separation", "maturity": "operating",
    "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "1000"}],
    "offtakes": [{"buyer": "Magnet maker", "commodity": "NdPr:oxide",
                  "tonnes_per_year": "600", "binding": true}],
    "milestones": [{"kind": "first_production", "date": "2013-01-01", "status": "achieved"}]
}"#;

/// `ln(p / (1 − p))` in `f64`.
fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

/// `1 / (1 + e^−x)` in `f64`.
fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn f(x: Decimal) -> f64 {
    x.to_f64().unwrap()
}

/// Checks an assessment against the model computed here in `f64` from the base probability
/// and the likelihood ratios the test expects (named): `p = logistic(logit(base) + Σ ln r)`,
/// each factor's contribution `ln r`, the maturity's `logit(base)`, the score `logit(p)`.
fn check_against_the_model(
    a: &midstream_risk::DeliveryAssessment,
    base: f64,
    ratios: &[(&str, f64)],
) {
    let expected_log_odds = logit(base) + ratios.iter().map(|(_, r)| r.ln()).sum::<f64>();
    let p = f(a.probability.value());
    assert!((p - logistic(expected_log_odds)).abs() < 1e-12, "{p} {a:?}");
    let e = a.explanation.as_ref().unwrap();
    assert!((f(e.score) - expected_log_odds).abs() < 1e-10, "{e}");
    assert!((f(e.score) - logit(p)).abs() < 1e-9, "{e}");
    let maturity = e.factor("maturity").unwrap();
    assert!(
        (f(maturity.contribution) - logit(base)).abs() < 1e-11,
        "{e}"
    );
    for (name, r) in ratios {
        let factor = e.factor(name).unwrap();
        assert!((f(factor.weight) - r).abs() < 1e-12, "{name}: {e}");
        assert!(
            (f(factor.contribution) - r.ln()).abs() < 1e-11,
            "{name}: {e}"
        );
    }
    // Every factor not named has ratio 1 and contributes nothing.
    for factor in &e.factors {
        if factor.name != "maturity" && !ratios.iter().any(|(n, _)| *n == factor.name) {
            assert_eq!(factor.weight, Decimal::ONE, "{}", factor.name);
            assert_eq!(factor.contribution, Decimal::ZERO, "{}", factor.name);
        }
    }
}

fn risk_adjusted(a: &midstream_risk::DeliveryAssessment, year: i32) -> Decimal {
    a.capacity_by_year
        .iter()
        .find(|y| y.year == year)
        .unwrap()
        .risk_adjusted
        .value()
}

#[test]
fn a_letter_and_a_plant_with_the_same_nameplate_differ_and_say_why() {
    let params = DeliveryParams::default();
    let letter = assess_delivery(&facility(LETTER), &ctx(), &params).unwrap();
    let plant = assess_delivery(&facility(PLANT), &ctx(), &params).unwrap();

    // The plant: 0.97 base; binding offtake for 60 % (odds × (1 + 2 × 0.6) = 2.2); producing,
    // so no technical or timeline penalty.
    check_against_the_model(&plant, 0.97, &[("offtake", 2.2)]);
    assert!(plant.probability.value() > d("0.98"), "{plant:?}");
    // The letter: 0.05 base; interest letter × 1; non-binding full coverage × 1.2; light
    // rare-earth separation × 0.85; the 2029 target is 4 years earlier than 8 typical years
    // allow (× 0.85⁴ = 0.522, above the 0.5 floor).
    check_against_the_model(
        &letter,
        0.05,
        &[
            ("offtake", 1.2),
            ("technical difficulty", 0.85),
            ("timeline", 0.85_f64.powi(4)),
        ],
    );
    assert!(letter.probability.value() < d("0.04"), "{letter:?}");
    assert!(letter.probability.value() * Decimal::from(25) < plant.probability.value());

    // Capacity by year: the plant counts ~986 t every year (it has started); the letter
    // nothing before its expected start (2033, not the announced 2029), then p × F(y) of
    // 1000 t with F = 0.5, 0.75, 0.9 in 2033, 2034, 2035.
    assert_eq!(plant.expected_start_year, Some(2013));
    assert_eq!(letter.announced_start_year, Some(2029));
    assert_eq!(letter.expected_start_year, Some(2033));
    assert_eq!(letter.delay_years, 4);
    let p_plant = f(plant.probability.value());
    assert!((f(risk_adjusted(&plant, 2026)) - 1000.0 * p_plant).abs() < 1e-9);
    assert!(risk_adjusted(&letter, 2030).is_zero());
    assert!(risk_adjusted(&letter, 2032).is_zero());
    let p_letter = f(letter.probability.value());
    for (year, started) in [(2033, 0.5), (2034, 0.75), (2035, 0.9)] {
        let expected = 1000.0 * p_letter * started;
        assert!(
            (f(risk_adjusted(&letter, year)) - expected).abs() < 1e-9,
            "{year}: {}",
            risk_adjusted(&letter, year)
        );
    }
    assert!(risk_adjusted(&letter, 2035) < d("40"));
    assert_eq!(plant.capacity_by_year.len(), 10);
    assert_eq!(plant.probability_by_year.len(), 10);

    // The explanation says why, factor by factor.
    let text = letter.explanation.as_ref().unwrap().to_string();
    assert!(text.contains("a signal, not a commitment"), "{text}");
    assert!(
        text.contains("an interest letter (no commitment)"),
        "{text}"
    );
    assert!(text.contains("non-binding 100%"), "{text}");
    assert!(
        text.contains("4 years earlier than the typical 8"),
        "{text}"
    );
    assert!(
        letter.summary.contains("a signal, not supply"),
        "{}",
        letter.summary
    );
    assert!(plant.summary.contains(": supply:"), "{}", plant.summary);
    let plant_text = plant.explanation.as_ref().unwrap().to_string();
    assert!(
        plant_text.contains("binding offtake covers 60%"),
        "{plant_text}"
    );
}

#[test]
fn studies_stage_rare_earth_projects_fall_below_the_signal_line() {
    // docs/methodology.md §5.3: the studies base of 0.15 sits on the 0.15 label line, and the
    // technical penalty of a rare-earth processing project takes it below: odds 0.15/0.85 ×
    // 0.85 -> p = 0.1304 for light (NdPr) separation, × 0.6 -> 0.0957 for heavy (Dy).
    let params = DeliveryParams::default();
    for (commodity, expected) in [
        ("NdPr:oxide", 0.130_434_782_6),
        ("Dy:oxide", 0.095_744_680_9),
    ] {
        let mut project = facility(&LETTER.replace("NdPr:oxide", commodity));
        project.maturity = Maturity::Studies;
        project.offtakes.clear();
        project.milestones.clear();
        let a = assess_delivery(&project, &ctx(), &params).unwrap();
        let p = f(a.probability.value());
        assert!((p - expected).abs() < 1e-9, "{commodity}: {p}");
        assert!(a.summary.contains("a signal, not supply"), "{}", a.summary);
    }
}

#[test]
fn each_rung_of_the_ladder_moves_the_same_project() {
    // The same record at each maturity: probabilities rise, expected starts come closer.
    let params = DeliveryParams::default();
    let mut last_p = Decimal::ZERO;
    let mut last_start = i32::MAX;
    for m in [
        Maturity::LetterOfInterest,
        Maturity::Studies,
        Maturity::Permitted,
        Maturity::Financed,
        Maturity::Construction,
        Maturity::Commissioning,
        Maturity::Operating,
    ] {
        let mut f = facility(LETTER);
        f.maturity = m;
        let a = assess_delivery(&f, &ctx(), &params).unwrap();
        assert!(a.probability.value() > last_p, "{m}");
        let start = a.expected_start_year.unwrap();
        assert!(start <= last_start, "{m}");
        last_p = a.probability.value();
        last_start = start;
    }
}

#[test]
fn dataset_assessment_uses_as_of_and_finds_the_metallurgical_base() {
    let data = Dataset::from_json_str(&format!(
        r#"{{"format_version": 1, "name": "x", "as_of": "2025-12-31",
            "sources": [{{"id": "s", "publisher": "P", "title": "T", "year": 2025}}],
            "facilities": [
              {{"id": "kz-ti", "name": "Titanium sponge plant", "country": "KZ",
                "stage": "metal_refining", "maturity": "operating", "sources": ["s"],
                "capacities": [{{"commodity": "Ti:metal", "tonnes_per_year": "26000"}}]}},
              {},
              {}
            ]}}"#,
        LETTER.replacen('{', r#"{"sources": ["s"], "#, 1),
        PLANT.replacen('{', r#"{"sources": ["s"], "#, 1)
    ))
    .unwrap()
    .validate()
    .unwrap();
    // Producing midstream plants of any commodity: the KZ titanium sponge plant and the MY
    // separation plant; the KZ letter of interest is not one.
    let base = metallurgical_base(&data);
    assert_eq!(base.into_iter().collect::<Vec<_>>(), vec![c("KZ"), c("MY")]);
    let base = metallurgical_base(&data);
    let mut context = ctx();
    context.metallurgical_base = base;
    let all = assess_dataset_delivery(&data, &context, &DeliveryParams::default()).unwrap();
    let ids: Vec<&str> = all.iter().map(|a| a.facility.as_str()).collect();
    assert_eq!(ids, vec!["kz-letter", "kz-ti", "my-plant"]);
    let letter = &all[0];
    let base = letter
        .explanation
        .as_ref()
        .unwrap()
        .factor("metallurgical base")
        .unwrap();
    assert_eq!(base.weight, d("1.25"));
    assert!(
        base.reason
            .contains("KZ has producing metallurgical plants"),
        "{}",
        base.reason
    );
    // The same letter as in the first test, with the base's × 1.25 added.
    check_against_the_model(
        letter,
        0.05,
        &[
            ("offtake", 1.2),
            ("technical difficulty", 0.85),
            ("metallurgical base", 1.25),
            ("timeline", 0.85_f64.powi(4)),
        ],
    );
}
