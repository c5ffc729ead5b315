//! The European Commission's 2023 criticality assessment, for the elements whose chains the
//! embedded datasets hold: the method's parameters (end-of-life recycling input rate and the
//! substitution index of supply risk) and its published results (economic importance, and
//! supply risk where the copy read is consistent).

/// Where the EU figures come from.
pub const EU_2023_SOURCE: &str = "European Commission, Study on the Critical Raw Materials for \
    the EU 2023: Final Report (Grohol and Veeh, doi:10.2873/725585), results table as extracted \
    in GitHub meyerdata/CritMAT, input_data/seeds/eureport_results.csv (commit \
    0bd897788ddd82bc58752e5460c53b924cbc63bc), read 2026-12-07; secondary: the report's own \
    tables were not read";

/// One element's figures in the EU 2023 assessment, as decimal text (exact as published).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EuMaterial {
    /// The element's chemical symbol, e.g. `"Dy"`.
    pub element: &'static str,
    /// End-of-life recycling input rate, percent.
    pub eol_rir_percent: &'static str,
    /// Substitution index of supply risk (0 to 1).
    pub si_sr: &'static str,
    /// Economic importance as published (0 to 10).
    pub economic_importance: &'static str,
    /// Supply risk as published, with its stage (`extraction` or `processing`), where the copy
    /// read is consistent; `None` where it is not (see `note`).
    pub supply_risk: Option<(&'static str, &'static str)>,
    /// What to know about the row.
    pub note: &'static str,
}

/// The EU 2023 figures of the elements the embedded datasets make (rare earths of magnets,
/// tungsten, chromium, aluminium). Left out, with the reason: copper and titanium (two copies
/// disagree on their recycling rates: 55 % or 17 % for copper, 1 % or 19 % for titanium),
/// uranium (not assessed), the light and heavy rare-earth groups (no substitution index in the
/// copy read).
pub const EU_2023: &[EuMaterial] = &[
    EuMaterial {
        element: "Nd",
        eol_rir_percent: "1",
        si_sr: "0.99",
        economic_importance: "7.2",
        supply_risk: None,
        note: "The copy's supply risks (4.5 at extraction, 3.7 at processing) make neodymium the \
               only rare earth bottlenecked at extraction, and its processing value equals the \
               light-rare-earth group's: not used until read in the report.",
    },
    EuMaterial {
        element: "Pr",
        eol_rir_percent: "1",
        si_sr: "0.98",
        economic_importance: "7.0",
        supply_risk: None,
        note: "The copy gives a supply risk of 3.2 at processing but leaves the processing cell \
               empty: not used until read in the report.",
    },
    EuMaterial {
        element: "Dy",
        eol_rir_percent: "1",
        si_sr: "0.99",
        economic_importance: "7.8",
        supply_risk: Some(("5.6", "processing")),
        note: "",
    },
    EuMaterial {
        element: "Tb",
        eol_rir_percent: "1",
        si_sr: "0.92",
        economic_importance: "6.4",
        supply_risk: Some(("4.9", "processing")),
        note: "",
    },
    EuMaterial {
        element: "W",
        eol_rir_percent: "42",
        si_sr: "0.96",
        economic_importance: "8.7",
        supply_risk: Some(("1.2", "processing")),
        note: "",
    },
    EuMaterial {
        element: "Cr",
        eol_rir_percent: "21",
        si_sr: "0.93",
        economic_importance: "7.2",
        supply_risk: Some(("0.7", "extraction")),
        note: "",
    },
    EuMaterial {
        element: "Al",
        eol_rir_percent: "32",
        si_sr: "0.86",
        economic_importance: "5.8",
        supply_risk: Some(("1.2", "extraction")),
        note: "Assessed as aluminium and bauxite together.",
    },
];

/// The EU 2023 figures of an element, by chemical symbol.
///
/// ```
/// let dy = midstream_data::eu_2023("Dy").ok_or("no Dy")?;
/// assert_eq!(dy.supply_risk, Some(("5.6", "processing")));
/// assert!(midstream_data::eu_2023("U").is_none());
/// # Ok::<(), &str>(())
/// ```
#[must_use]
pub fn eu_2023(element: &str) -> Option<&'static EuMaterial> {
    EU_2023.iter().find(|m| m.element == element)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn every_figure_reads_and_lies_in_its_range() {
        for m in EU_2023 {
            let d = |s: &str| s.parse::<Decimal>().unwrap();
            assert!((Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&d(m.eol_rir_percent)));
            assert!((Decimal::ZERO..=Decimal::ONE).contains(&d(m.si_sr)));
            assert!((Decimal::ZERO..=Decimal::TEN).contains(&d(m.economic_importance)));
            if let Some((sr, stage)) = m.supply_risk {
                assert!(d(sr) >= Decimal::ZERO);
                assert!(stage == "extraction" || stage == "processing");
            } else {
                assert!(
                    !m.note.is_empty(),
                    "{}: no supply risk and no reason",
                    m.element
                );
            }
            assert!(m.element.parse::<midstream_domain::Element>().is_ok());
        }
    }
}
