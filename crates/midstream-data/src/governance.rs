//! The World Bank's Worldwide Governance Indicators, embedded (`data/wgi-2024.csv`).

use midstream_domain::Country;
use rust_decimal::Decimal;

use crate::DataError;

/// The WGI table's text: `iso2,iso3,year,va,pv,ge,rq,rl,cc`, one economy per line, the six
/// estimates as the release stores them (an empty cell where the release has none).
pub const WGI_CSV: &str = include_str!("../data/wgi-2024.csv");

/// Where the WGI table comes from.
pub const WGI_SOURCE: WgiSource = WgiSource {
    publisher: "World Bank",
    title: "Worldwide Governance Indicators, 2024 Update (Kaufmann and Kraay), estimates of the \
            six indicators",
    release_year: 2024,
    data_year: 2023,
    url: "https://www.worldbank.org/en/publication/worldwide-governance-indicators",
    copy: "The release workbook wgidataset.xlsx as committed in GitHub lmorgans/WGIdata \
           (commit 27e92b2fde3d134e7ee30bc31cda3c37ccd65b5b; the workbook's metadata names the \
           WGI team's 2024 Update folder, last modified 2024-09-27); the 2023 estimates agree \
           cell for cell with two other committed copies of the release and, rounded, with the \
           2-decimal CSV beside it.",
    accessed: "2026-12-07",
};

/// The publication a governance table comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WgiSource {
    /// The publisher.
    pub publisher: &'static str,
    /// The title.
    pub title: &'static str,
    /// The year of the release.
    pub release_year: i32,
    /// The year the estimates describe.
    pub data_year: i32,
    /// The publication's page.
    pub url: &'static str,
    /// The copy the figures were read from.
    pub copy: &'static str,
    /// When the copy was read (`YYYY-MM-DD`).
    pub accessed: &'static str,
}

/// One economy's six estimates (on the WGI scale, about −2.5 to 2.5); `None` where the
/// release has no estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WgiRow {
    /// The economy (ISO 3166-1 alpha-2; the release's codes that are not ISO, such as ZAR and
    /// ROM, were mapped to CD and RO; Kosovo, which has no ISO code, is left out).
    pub country: Country,
    /// The year the estimates describe.
    pub year: i32,
    /// Voice and accountability, political stability, government effectiveness, regulatory
    /// quality, rule of law, control of corruption, in that order.
    pub estimates: [Option<Decimal>; 6],
}

/// The embedded WGI table, one row per economy in code order.
///
/// ```
/// let rows = midstream_data::wgi()?;
/// assert!(rows.len() > 200);
/// let cn: midstream_domain::Country = "CN".parse()?;
/// let china = rows.iter().find(|r| r.country == cn).ok_or("no CN")?;
/// assert_eq!(china.year, midstream_data::WGI_SOURCE.data_year);
/// assert!(china.estimates.iter().all(Option::is_some));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`DataError::Table`] naming the line and column of a cell that does not read (a bug in the
/// embedded file: the tests of this crate read it).
pub fn wgi() -> Result<Vec<WgiRow>, DataError> {
    parse_wgi(WGI_CSV)
}

/// The columns of `data/wgi-2024.csv`.
const COLUMNS: [&str; 9] = ["iso2", "iso3", "year", "va", "pv", "ge", "rq", "rl", "cc"];
/// The six indicators' columns, in order.
const INDICATORS: [&str; 6] = ["va", "pv", "ge", "rq", "rl", "cc"];

fn parse_wgi(text: &str) -> Result<Vec<WgiRow>, DataError> {
    let bad = |line: usize, column: &'static str, why: String| DataError::Table {
        table: "wgi-2024.csv",
        line,
        column,
        why,
    };
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.split(',').eq(COLUMNS) => {}
        _ => return Err(bad(1, "header", format!("expected {}", COLUMNS.join(",")))),
    }
    let mut rows: Vec<WgiRow> = Vec::new();
    for (i, line) in lines {
        let n = i + 1;
        let cells: Vec<&str> = line.split(',').collect();
        let [iso2, _iso3, year, values @ ..] = cells.as_slice() else {
            return Err(bad(n, "row", format!("{} cells, expected 9", cells.len())));
        };
        if values.len() != INDICATORS.len() {
            return Err(bad(n, "row", format!("{} cells, expected 9", cells.len())));
        }
        let country: Country = iso2.parse().map_err(|e| bad(n, "iso2", format!("{e}")))?;
        if rows.iter().any(|r| r.country == country) {
            return Err(bad(n, "iso2", format!("{country} appears twice")));
        }
        let year: i32 = year.parse().map_err(|e| bad(n, "year", format!("{e}")))?;
        let mut estimates = [None; 6];
        for ((slot, cell), column) in estimates.iter_mut().zip(values).zip(INDICATORS) {
            if cell.is_empty() {
                continue;
            }
            let value: Decimal = cell
                .parse()
                .map_err(|e| bad(n, column, format!("{cell:?}: {e}")))?;
            if value.abs() > Decimal::from(5) {
                return Err(bad(n, column, format!("{value} is not a WGI estimate")));
            }
            *slot = Some(value);
        }
        rows.push(WgiRow {
            country,
            year,
            estimates,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_cell_is_named_by_line_and_column() {
        let text = "iso2,iso3,year,va,pv,ge,rq,rl,cc\nCN,CHN,2023,-1.5,x,0,0,0,0\n";
        let err = parse_wgi(text).unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("pv"), "{err}");
        let twice =
            "iso2,iso3,year,va,pv,ge,rq,rl,cc\nCN,CHN,2023,0,0,0,0,0,0\nCN,CHN,2023,0,0,0,0,0,0\n";
        assert!(parse_wgi(twice).unwrap_err().to_string().contains("twice"));
        assert!(parse_wgi("iso2\n").is_err());
    }

    #[test]
    fn the_embedded_table_reads_and_covers_every_dataset_country() {
        let rows = wgi().unwrap();
        assert_eq!(rows.len(), 212);
        for name in crate::names() {
            let data = crate::load(name).unwrap();
            for f in &data.facilities {
                let row = rows.iter().find(|r| r.country == f.country);
                assert!(
                    row.is_some_and(|r| r.estimates.iter().all(Option::is_some)),
                    "{name}: no full WGI row for {}",
                    f.country
                );
            }
        }
    }
}
