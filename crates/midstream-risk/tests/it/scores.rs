//! Composite scores, serialisation and errors across the API.

use chrono::NaiveDate;
use midstream_domain::{Dataset, Stage, ValidDataset};
use midstream_risk::{
    ChainRiskParams, CountryRiskParams, DeliveryContext, DeliveryParams, FacilityRiskParams,
    GovernanceTable, RiskError, Wgi, assess_delivery, chain_risk, country_risk, facility_risk,
};
use rust_decimal::Decimal;

use crate::common::{c, d, wgi_scaled};

fn data() -> ValidDataset {
    Dataset::from_json_str(
        r#"{
      "format_version": 1, "name": "x", "as_of": "2025-12-31",
      "perspective": {"country": "US", "alignments": [
          {"country": "CN", "alignment": "adversary"},
          {"country": "KZ", "alignment": "multi_vector"},
          {"country": "MY", "alignment": "partner"}]},
      "sources": [{"id": "s", "publisher": "P", "title": "T", "year": 2025}],
      "facilities": [
        {"id": "cn-sep", "name": "C", "country": "CN", "stage": "separation",
         "maturity": "operating", "sources": ["s"],
         "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "9000"}]},
        {"id": "my-sep", "name": "M", "country": "MY", "stage": "separation",
         "maturity": "operating", "sources": ["s"],
         "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "1000"}]},
        {"id": "kz-sep", "name": "K", "country": "KZ", "stage": "separation",
         "maturity": "construction", "sources": ["s"],
         "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "1000"}],
         "milestones": [{"kind": "first_production", "date": "2028-01-01", "status": "planned"}]}
      ]
    }"#,
    )
    .unwrap()
    .validate()
    .unwrap()
}

fn governance() -> GovernanceTable {
    let mut g = GovernanceTable::default();
    g.insert(c("CN"), wgi_scaled(d("5.66")));
    g.insert(c("MY"), wgi_scaled(d("4.4")));
    g.insert(c("KZ"), Wgi::new(d("-0.3")).unwrap());
    g
}

fn context() -> DeliveryContext {
    let mut ctx = DeliveryContext::new(data().as_of, 2026..=2032);
    ctx.governance = governance();
    ctx
}

/// The delivery probability of the KZ project, computed here from the model's defaults: base
/// 0.75 (construction), light rare-earth separation × 0.85, KZ governance 1 + 0.12 × (−0.3) =
/// 0.964; no financing, offtake or metallurgical base on record, and the 2028 start allows the
/// typical 2 years.
fn kz_probability() -> Decimal {
    let odds = d("0.75") / d("0.25") * d("0.85") * d("0.964");
    odds / (Decimal::ONE + odds)
}

#[test]
fn country_risk_is_the_weighted_mean_of_its_factors() {
    let data = data();
    // Computed here from the inputs: governance (2.5 − WGI) / 5 with the WGI mean of 5.66
    // scaled (−0.33) and 4.4 scaled (0.3); alignment adversary 1, partner 0.2; no restriction.
    for (country, governance_risk, alignment_risk) in [
        ("CN", "0.566", "1"),
        ("MY", "0.44", "0.2"),
        ("KZ", "0.56", "0.4"),
    ] {
        let r = country_risk(
            &data,
            c(country),
            &governance(),
            &CountryRiskParams::default(),
        )
        .unwrap();
        let expected = d("0.4") * d(governance_risk) + d("0.3") * d(alignment_risk);
        assert_eq!(r.score, expected, "{country}");
        assert_eq!(r.contributions_sum(), expected, "{country}");
        assert_eq!(
            r.factor("alignment").unwrap().contribution,
            d("0.3") * d(alignment_risk)
        );
    }
    // Unequal weights that do not add up to one are normalised: 1 : 1 : 0.
    let params = CountryRiskParams {
        governance_weight: Decimal::ONE,
        alignment_weight: Decimal::ONE,
        restriction_weight: Decimal::ZERO,
        ..CountryRiskParams::default()
    };
    let r = country_risk(&data, c("CN"), &governance(), &params).unwrap();
    assert_eq!(r.score, (d("0.566") + Decimal::ONE) / Decimal::TWO);
    assert_eq!(r.contributions_sum(), r.score);
}

#[test]
fn facility_risk_combines_delivery_and_country() {
    let data = data();
    let kz = data.facility("kz-sep").unwrap();
    let delivery = assess_delivery(kz, &context(), &DeliveryParams::default()).unwrap();
    assert_eq!(delivery.probability.value(), kz_probability());
    let country =
        country_risk(&data, c("KZ"), &governance(), &CountryRiskParams::default()).unwrap();
    // Governance (2.5 + 0.3) / 5 = 0.56; multi-vector 0.4; no restriction:
    // 0.4 × 0.56 + 0.3 × 0.4 = 0.344.
    assert_eq!(country.score, d("0.344"));
    let r = facility_risk(kz, &delivery, &country, &FacilityRiskParams::default()).unwrap();
    let expected = d("0.6") * (Decimal::ONE - kz_probability()) + d("0.4") * d("0.344");
    assert_eq!(r.score, expected);
    assert_eq!(r.contributions_sum(), expected);
    assert!(
        r.factor("delivery")
            .unwrap()
            .reason
            .contains("construction")
    );
    let zero = FacilityRiskParams {
        delivery_weight: Decimal::ZERO,
        country_weight: Decimal::ZERO,
    };
    assert!(matches!(
        facility_risk(kz, &delivery, &country, &zero).unwrap_err(),
        RiskError::ZeroWeights { .. }
    ));
    let negative = FacilityRiskParams {
        delivery_weight: d("-1"),
        ..FacilityRiskParams::default()
    };
    assert!(matches!(
        facility_risk(kz, &delivery, &country, &negative).unwrap_err(),
        RiskError::NegativeWeight { .. }
    ));
}

#[test]
fn chain_risk_is_deterministic_and_serialises() {
    let chain = [(Stage::Separation, "NdPr:oxide".parse().unwrap())];
    let a = chain_risk(&data(), &chain, &context(), &ChainRiskParams::default()).unwrap();
    let b = chain_risk(&data(), &chain, &context(), &ChainRiskParams::default()).unwrap();
    let ja = serde_json::to_string(&a).unwrap();
    assert_eq!(ja, serde_json::to_string(&b).unwrap());
    assert!(ja.contains("\"bottleneck\":0"), "{ja}");
    // 0.81 × 5.66 + 0.01 × 4.4 = 4.5846 + 0.044 = 4.6286
    assert_eq!(a.steps[0].hhi_wgi, d("4.6286"));
    // Pipeline judged in 2030 (as of 2025 + 5): the KZ project (1000 t, scheduled 2028) has
    // started by then with F(2 years late) = 0.9, so 1000 × p × 0.9 t is expected.
    assert_eq!(a.pipeline_year, 2030);
    let pipeline = a.explanation.factor("pipeline discount").unwrap();
    let discount = Decimal::ONE - kz_probability() * d("0.9");
    // Tonnes are multiplied and divided back, which can move the last of 28 digits.
    let close = |a: Decimal, b: Decimal| (a - b).abs() < d("1e-24");
    assert!(close(pipeline.input, discount), "{}", pipeline.input);
    assert!(
        pipeline.reason.contains("1 project announces 1000 t/yr"),
        "{}",
        pipeline.reason
    );
    // The score from the inputs: 0.5 × 4.6286 / 10 + 0.3 × 0.9 (CN is the adversary) + 0.2 ×
    // the discount.
    let expected = d("0.5") * d("0.46286") + d("0.3") * d("0.9") + d("0.2") * discount;
    assert!(close(a.explanation.score, expected), "{}", a.explanation);
    assert!(
        close(a.explanation.contributions_sum(), expected),
        "{}",
        a.explanation
    );
}

#[test]
fn parameters_round_trip_through_json_with_defaults() {
    let p: DeliveryParams = serde_json::from_str(
        r#"{"maturity_probability": {
            "occurrence": "0.01", "exploration": "0.02", "resource_defined": "0.03",
            "letter_of_interest": "0.04", "studies": "0.1", "permitted": "0.2",
            "financed": "0.5", "construction": "0.7", "commissioning": "0.8",
            "operating": "0.95", "suspended": "0.1", "closed": "0"}}"#,
    )
    .unwrap();
    assert_eq!(p.maturity_probability.letter_of_interest, d("0.04"));
    assert_eq!(p.offtake, DeliveryParams::default().offtake);
    p.validate().unwrap();
    let json = serde_json::to_string(&DeliveryParams::default()).unwrap();
    let back: DeliveryParams = serde_json::from_str(&json).unwrap();
    assert_eq!(back, DeliveryParams::default());
    let ctx = DeliveryContext::new(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), 2025..=2025);
    let mut bad = DeliveryParams::default();
    bad.maturity_probability.financed = d("-0.1");
    let f = data().facility("kz-sep").unwrap().clone();
    // Out of range, and below the permitted rung: both reported.
    assert_eq!(
        assess_delivery(&f, &ctx, &bad).unwrap_err(),
        RiskError::InvalidParameters {
            problems: vec![
                RiskError::ProbabilityOutOfRange {
                    parameter: "maturity_probability.financed".into(),
                    value: d("-0.1")
                },
                RiskError::InvalidParameter {
                    parameter: "maturity_probability.financed".into(),
                    reason: "below maturity_probability.permitted: advancing may not lower it"
                        .into()
                },
            ]
        }
    );
    // Values read from JSON are checked like values set in code.
    let early: DeliveryParams =
        serde_json::from_str(r#"{"timeline": {"odds_per_year_early": "1.5"}}"#).unwrap();
    assert!(matches!(
        early.validate().unwrap_err(),
        RiskError::InvalidParameter { ref parameter, .. } if parameter == "timeline.odds_per_year_early"
    ));
}
