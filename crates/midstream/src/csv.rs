//! Flows as CSV, for other tools (spreadsheets, network and Sankey libraries).

use std::fmt::Write as _;

use midstream_domain::ValidDataset;
use midstream_graph::ShipmentFlow;

/// A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The flows as an edge list, one row per supplier, consumer and commodity: `from, from_name,
/// from_stage, from_country, to, to_name, to_stage, to_country, commodity, tonnes`. A flow to
/// the target's buyers has an empty `to` and `buyers` as its name. Tonnes to the kilogram.
///
/// ```
/// use midstream::Analysis;
/// let analysis = Analysis::embedded("rare-earths-2025")?;
/// let flows = analysis.flows(&"NdPr:oxide".parse()?, &midstream::graph::Scenario::baseline())?;
/// let csv = midstream::csv::flows(analysis.data(), &flows);
/// assert!(csv.starts_with("from,from_name,from_stage,from_country,to,"));
/// assert_eq!(csv.lines().count(), flows.len() + 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn flows(data: &ValidDataset, flows: &[ShipmentFlow]) -> String {
    let mut out = String::from(
        "from,from_name,from_stage,from_country,to,to_name,to_stage,to_country,commodity,tonnes\n",
    );
    let describe = |id: &str| {
        data.facility(id).map_or_else(
            || (String::new(), String::new(), String::new()),
            |f| {
                (
                    f.name.clone(),
                    f.stage.to_string(),
                    f.country.code().to_owned(),
                )
            },
        )
    };
    for f in flows {
        let (from_name, from_stage, from_country) = describe(f.from.as_str());
        let (to, (to_name, to_stage, to_country)) = match &f.to {
            Some(id) => (id.as_str().to_owned(), describe(id.as_str())),
            None => (
                String::new(),
                (String::from("buyers"), String::new(), String::new()),
            ),
        };
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{}",
            field(f.from.as_str()),
            field(&from_name),
            field(&from_stage),
            field(&from_country),
            field(&to),
            field(&to_name),
            field(&to_stage),
            field(&to_country),
            field(&f.commodity.to_string()),
            f.tonnes.value()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_when_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
