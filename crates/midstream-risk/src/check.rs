//! Validation of parameters: range checks that name the parameter they refuse, and the
//! collection of every problem a validation finds into one result.

use midstream_domain::Share;
use rust_decimal::Decimal;

use crate::error::RiskError;

/// Turns the problems a validation found into its result: none is `Ok`, one is that error,
/// several are [`RiskError::InvalidParameters`].
pub(crate) fn collect_problems(mut problems: Vec<RiskError>) -> Result<(), RiskError> {
    match problems.len() {
        0 => Ok(()),
        1 => Err(problems.remove(0)),
        _ => Err(RiskError::InvalidParameters { problems }),
    }
}

/// Records the error of `check`, if any, in `problems`.
pub(crate) fn note<T>(problems: &mut Vec<RiskError>, check: Result<T, RiskError>) {
    if let Err(e) = check {
        problems.push(e);
    }
}

/// Checks that `value` lies in `[0, 1]`, as a fraction named `parameter`. The range is the
/// domain's [`Share`]: one definition of a value in `[0, 1]` for every crate.
pub(crate) fn check_fraction(parameter: &str, value: Decimal) -> Result<Decimal, RiskError> {
    Share::new(value)
        .map(Share::value)
        .map_err(|_| RiskError::FractionOutOfRange {
            parameter: parameter.to_owned(),
            value,
        })
}

/// Checks that `value` lies in `[0, 1]`, as a probability named `parameter` (the range of
/// [`Share`], as [`check_fraction`]).
pub(crate) fn check_probability(parameter: &str, value: Decimal) -> Result<Decimal, RiskError> {
    check_fraction(parameter, value).map_err(|_| RiskError::ProbabilityOutOfRange {
        parameter: parameter.to_owned(),
        value,
    })
}

/// Checks that a weight is not negative.
pub(crate) fn check_weight(parameter: &str, value: Decimal) -> Result<Decimal, RiskError> {
    if value < Decimal::ZERO {
        return Err(RiskError::NegativeWeight {
            parameter: parameter.to_owned(),
            value,
        });
    }
    Ok(value)
}

/// Checks that `value` is strictly positive.
pub(crate) fn check_positive(parameter: &str, value: Decimal) -> Result<Decimal, RiskError> {
    if value <= Decimal::ZERO {
        return Err(RiskError::NotPositive {
            parameter: parameter.to_owned(),
            value,
        });
    }
    Ok(value)
}

/// Checks that `value` is not negative.
pub(crate) fn check_non_negative(parameter: &str, value: Decimal) -> Result<Decimal, RiskError> {
    if value < Decimal::ZERO {
        return Err(RiskError::NegativeQuantity {
            parameter: parameter.to_owned(),
            value,
        });
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_name_the_parameter() {
        assert!(
            check_probability("p.x", Decimal::TWO)
                .unwrap_err()
                .to_string()
                .contains("p.x")
        );
        assert!(check_fraction("ir", Decimal::NEGATIVE_ONE).is_err());
        assert!(check_weight("w", Decimal::NEGATIVE_ONE).is_err());
        assert!(check_positive("t", Decimal::ZERO).is_err());
        assert!(check_non_negative("q", Decimal::ZERO).is_ok());
    }

    #[test]
    fn problems_are_collected() {
        assert_eq!(collect_problems(vec![]), Ok(()));
        let one = RiskError::ZeroWeights { score: "s".into() };
        assert_eq!(collect_problems(vec![one.clone()]), Err(one.clone()));
        let two = collect_problems(vec![one.clone(), one]).unwrap_err();
        assert_eq!(
            two.to_string(),
            "2 problems: every weight of s is zero; every weight of s is zero"
        );
        let mut problems = Vec::new();
        note(&mut problems, check_weight("w", Decimal::NEGATIVE_ONE));
        note(&mut problems, check_weight("v", Decimal::ONE));
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn fractions_and_probabilities_are_shares_named_by_their_parameter() {
        for ok in [Decimal::ZERO, Decimal::new(5, 1), Decimal::ONE] {
            assert_eq!(check_fraction("f", ok).unwrap(), ok);
            assert_eq!(check_probability("p", ok).unwrap(), ok);
        }
        for bad in [Decimal::new(-1, 2), Decimal::new(101, 2)] {
            assert!(matches!(
                check_fraction("share_of_x", bad),
                Err(RiskError::FractionOutOfRange { parameter, value }) if parameter == "share_of_x" && value == bad
            ));
            assert!(matches!(
                check_probability("p_ship", bad),
                Err(RiskError::ProbabilityOutOfRange { parameter, value }) if parameter == "p_ship" && value == bad
            ));
        }
    }
}
