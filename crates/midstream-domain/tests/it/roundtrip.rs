//! Property tests: parse/display and serde round-trips, and no input panics the loader or the
//! validator.

use midstream_domain::{
    Alignment, Basis, Commodity, Country, Dataset, Element, ElementSet, Form, Maturity, Share,
    Stage, Tonnes, Usd,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::fixtures::base;

fn element() -> impl Strategy<Value = Element> {
    proptest::sample::select(Element::ALL)
}

fn commodity() -> impl Strategy<Value = Commodity> {
    (
        proptest::collection::vec(element(), 1..4),
        proptest::sample::select(Form::ALL.to_vec()),
        proptest::option::of(proptest::sample::select(vec![
            Basis::OxideEquivalent,
            Basis::ContainedElement,
            Basis::ProductMass,
        ])),
    )
        .prop_filter_map("oxide basis needs oxides", |(elements, form, basis)| {
            let set = ElementSet::new(elements)?;
            match basis {
                Some(b) => Commodity::with_basis(set, form, b).ok(),
                None => Some(Commodity::new(set, form)),
            }
        })
}

fn decimal() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), 0u32..=12).prop_map(|(m, scale)| Decimal::new(m, scale))
}

fn country() -> impl Strategy<Value = Country> {
    let all: Vec<Country> = Country::all().collect();
    proptest::sample::select(all)
}

fn json_roundtrip<T>(value: &T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    serde_json::from_str(&serde_json::to_string(value).unwrap()).unwrap()
}

proptest! {
    #[test]
    fn element_round_trips(e in element()) {
        prop_assert_eq!(e.to_string().parse::<Element>().unwrap(), e);
        prop_assert_eq!(e.name().parse::<Element>().unwrap_or(e), e);
        prop_assert_eq!(json_roundtrip(&e), e);
    }

    #[test]
    fn commodity_round_trips(c in commodity()) {
        prop_assert_eq!(c.to_string().parse::<Commodity>().unwrap(), c);
        prop_assert_eq!(json_roundtrip(&c), c);
    }

    #[test]
    fn oxide_and_contained_conversions_invert(e in element(), m in 1i64..1_000_000_000, scale in 0u32..6) {
        prop_assume!(e.oxide().is_some());
        let oxide = Commodity::new(ElementSet::single(e), Form::Oxide);
        let t = Tonnes::new(Decimal::new(m, scale));
        let (metal, contained) = oxide.convert(t, Basis::ContainedElement, None).unwrap();
        prop_assert!(contained < t, "contained metal weighs less than its oxide");
        let (back, t2) = metal.convert(contained, Basis::OxideEquivalent, None).unwrap();
        prop_assert_eq!(back, oxide);
        prop_assert!((t2.value() - t.value()).abs() < Decimal::new(1, 12));
    }

    #[test]
    fn quantities_round_trip_exactly(d in decimal()) {
        let t = Tonnes::new(d);
        prop_assert_eq!(json_roundtrip(&t), t);
        prop_assert_eq!(json_roundtrip(&t).value().scale(), d.scale());
        let u = Usd::new(d);
        prop_assert_eq!(json_roundtrip(&u), u);
        // Printed at full precision it parses back exactly; by default, to the kilogram.
        prop_assert_eq!(format!("{t:.28}").parse::<Tonnes>().unwrap().value(), d.normalize());
        let kg = d.round_dp_with_strategy(3, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        prop_assert_eq!(t.to_string().parse::<Tonnes>().unwrap().value(), kg.normalize());
    }

    #[test]
    fn short_json_numbers_read_exactly(m in -999_999_999_999_999i64..=999_999_999_999_999, scale in 0u32..=15) {
        // At most 15 significant digits: written as a bare JSON number, read back exactly.
        let d = Decimal::new(m, scale);
        let t: Tonnes = serde_json::from_str(&d.to_string()).unwrap();
        prop_assert_eq!(t.value(), d);
    }

    #[test]
    fn share_round_trips_and_stays_in_range(n in 0i64..=1_000_000) {
        let s = Share::new(Decimal::new(n, 6)).unwrap();
        prop_assert_eq!(json_roundtrip(&s), s);
        prop_assert!(s.value() >= Decimal::ZERO && s.value() <= Decimal::ONE);
    }

    #[test]
    fn country_round_trips(c in country()) {
        prop_assert_eq!(c.code().parse::<Country>().unwrap(), c);
        prop_assert_eq!(c.code().to_lowercase().parse::<Country>().unwrap(), c);
        prop_assert_eq!(json_roundtrip(&c), c);
    }

    #[test]
    fn enums_round_trip(
        s in proptest::sample::select(Stage::ALL.to_vec()),
        m in proptest::sample::select(Maturity::ALL.to_vec()),
        a in proptest::sample::select(Alignment::ALL.to_vec()),
    ) {
        prop_assert_eq!(s.to_string().parse::<Stage>().unwrap(), s);
        prop_assert_eq!(json_roundtrip(&s), s);
        prop_assert_eq!(m.to_string().parse::<Maturity>().unwrap(), m);
        prop_assert_eq!(json_roundtrip(&m), m);
        prop_assert_eq!(a.to_string().parse::<Alignment>().unwrap(), a);
        prop_assert_eq!(json_roundtrip(&a), a);
    }

    #[test]
    fn parsers_never_panic(text in ".{0,24}") {
        let _ = text.parse::<Element>();
        let _ = text.parse::<Commodity>();
        let _ = text.parse::<Country>();
        let _ = text.parse::<Stage>();
        let _ = text.parse::<Tonnes>();
        let _ = text.parse::<Share>();
        let _ = text.parse::<Maturity>();
    }
}

/// Arbitrary JSON values, nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        proptest::sample::select(vec![
            "NdPr:oxide",
            "US",
            "mining",
            "operating",
            "2024-01-01",
            "-1",
            "0",
            "1e400",
            "sep",
            "mine",
            "s-report",
            "NaN",
            "",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every JSON pointer in a value (objects' keys and arrays' indices).
fn pointers(value: &Value, prefix: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{prefix}/{k}");
                out.push(p.clone());
                pointers(v, &p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{prefix}/{i}");
                out.push(p.clone());
                pointers(v, &p, out);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics_the_loader(text in ".{0,200}") {
        if let Ok(d) = Dataset::from_json_str(&text) {
            let _ = d.validate();
        }
    }

    #[test]
    fn arbitrary_json_never_panics_the_loader(value in json_value()) {
        if let Ok(d) = Dataset::from_json_str(&value.to_string()) {
            let _ = d.validate();
        }
    }

    #[test]
    fn mutated_datasets_never_panic_and_always_explain(
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), json_value()), 1..4)
    ) {
        let mut value = base();
        for (index, new) in edits {
            let mut all = Vec::new();
            pointers(&value, "", &mut all);
            let pointer = index.get(&all).clone();
            if let Some(slot) = value.pointer_mut(&pointer) {
                *slot = new;
            }
        }
        match Dataset::from_json_str(&serde_json::to_string_pretty(&value).unwrap()) {
            Err(e) => prop_assert!(!e.problems().is_empty(), "a parse failure without problems"),
            Ok(d) => match d.clone().validate() {
                Err(report) => prop_assert!(report.errors().count() > 0),
                Ok(valid) => {
                    // Whatever validates serialises and reads back to the same dataset.
                    let text = serde_json::to_string(&valid).unwrap();
                    let again = Dataset::from_json_str(&text).unwrap();
                    prop_assert_eq!(again, d);
                }
            },
        }
    }
}

#[test]
fn the_fixture_round_trips_through_serde() {
    let text = serde_json::to_string_pretty(&base()).unwrap();
    let d = Dataset::from_json_str(&text).unwrap();
    let again = Dataset::from_json_str(&serde_json::to_string(&d).unwrap()).unwrap();
    assert_eq!(again, d);
    // And derived Deserialize agrees with the record-by-record loader.
    let direct: Dataset = serde_json::from_str(&text).unwrap();
    assert_eq!(direct, d);
}
