//! SVG charts for notebooks and reports, written directly (no plotting dependency, no fonts
//! needed, same bytes for the same result).
//!
//! - [`outlook_band`]: deliverable supply by year: the P10–P90 band, the median, the expected
//!   value, producing-only and all-projects lines.
//! - [`cut_by_country`]: the bottleneck's binding capacity by country, as horizontal bars.

use std::fmt::Write as _;

use midstream_graph::BottleneckReport;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::outlook::Outlook;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 400.0;
const LEFT: f64 = 80.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 50.0;

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A round step for `count` ticks up to `max` (1, 2 or 5 times a power of ten).
fn tick_step(max: f64, count: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let raw = max / count;
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power)
}

/// A line of the outlook chart: label, colour, dash pattern, and the value it draws.
type Series = (
    &'static str,
    &'static str,
    &'static str,
    fn(&crate::OutlookYear) -> Decimal,
);

fn header(out: &mut String, title: &str) {
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        out,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        out,
        r#"<text x="{LEFT}" y="24" font-size="15" font-weight="bold">{}</text>"#,
        escape(title)
    );
}

/// The outlook band as an SVG line chart (tonnes per year against years).
///
/// ```
/// # use midstream::prelude::*;
/// # use midstream::{Analysis, OutlookOptions};
/// # let data = Dataset::from_json_str(r#"{"format_version": 1, "name": "toy", "as_of": "2024-12-31",
/// #  "facilities": [{"id": "m", "name": "Mine", "country": "AU", "stage": "mining",
/// #   "maturity": "operating", "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "100"}]}]}"#)?
/// #   .validate()?;
/// let outlook = Analysis::new(data).outlook(&"NdPr:oxide".parse()?, 2025..=2030, &OutlookOptions::default())?;
/// let svg = midstream::svg::outlook_band(&outlook);
/// assert!(svg.starts_with("<svg"));
/// assert!(svg.contains("P10–P90"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn outlook_band(o: &Outlook) -> String {
    let mut out = String::new();
    header(
        &mut out,
        &format!("{}: deliverable supply by year (t/yr)", o.commodity),
    );
    let (Some(first), Some(last)) = (o.years.first(), o.years.last()) else {
        let _ = writeln!(out, "</svg>");
        return out;
    };
    let max = o
        .years
        .iter()
        .map(|y| f(y.all_projects.value()).max(f(y.p90.value())))
        .fold(0.0, f64::max);
    let step = tick_step(max, 5.0);
    let top_value = (max / step).ceil().max(1.0) * step;
    let span_years = f64::from((last.year - first.year).max(1));
    let x = |year: i32| LEFT + f64::from(year - first.year) / span_years * (WIDTH - LEFT - RIGHT);
    let y = |t: f64| HEIGHT - BOTTOM - t / top_value * (HEIGHT - TOP - BOTTOM);
    // Axes and grid.
    let mut tick = 0.0;
    while tick <= top_value + step / 2.0 {
        let _ = writeln!(
            out,
            r##"<line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#dddddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{tick}</text>"##,
            y(tick),
            WIDTH - RIGHT,
            y(tick),
            LEFT - 6.0,
            y(tick) + 4.0
        );
        tick += step;
    }
    for point in &o.years {
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x(point.year),
            HEIGHT - BOTTOM + 18.0,
            point.year
        );
    }
    // The band: P90 forwards, P10 backwards.
    let mut band = String::new();
    for p in &o.years {
        let _ = write!(band, "{:.1},{:.1} ", x(p.year), y(f(p.p90.value())));
    }
    for p in o.years.iter().rev() {
        let _ = write!(band, "{:.1},{:.1} ", x(p.year), y(f(p.p10.value())));
    }
    let _ = writeln!(
        out,
        r##"<polygon points="{}" fill="#9ecae1" fill-opacity="0.6" stroke="none"/>"##,
        band.trim_end()
    );
    let series: [Series; 4] = [
        ("producing only", "#636363", "4,3", |p| {
            p.operating_only.value()
        }),
        ("all projects on schedule", "#e6550d", "4,3", |p| {
            p.all_projects.value()
        }),
        ("median (P50)", "#08519c", "", |p| p.p50.value()),
        ("expected", "#31a354", "1,2", |p| p.expected.value()),
    ];
    for (i, (label, colour, dash, value)) in series.iter().enumerate() {
        let points: Vec<String> = o
            .years
            .iter()
            .map(|p| format!("{:.1},{:.1}", x(p.year), y(f(value(p)))))
            .collect();
        let _ = writeln!(
            out,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>"#,
            points.join(" ")
        );
        let legend_y = TOP + 14.0 * f64::from(u8::try_from(i).unwrap_or(0));
        let _ = writeln!(
            out,
            r#"<line x1="{:.1}" y1="{legend_y:.1}" x2="{:.1}" y2="{legend_y:.1}" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/><text x="{:.1}" y="{:.1}">{label}</text>"#,
            WIDTH - 220.0,
            WIDTH - 196.0,
            WIDTH - 190.0,
            legend_y + 4.0
        );
    }
    let legend_y = TOP + 14.0 * 4.0;
    let _ = writeln!(
        out,
        r##"<rect x="{:.1}" y="{:.1}" width="24" height="8" fill="#9ecae1"/><text x="{:.1}" y="{:.1}">P10–P90 ({} samples, seed {})</text>"##,
        WIDTH - 220.0,
        legend_y - 4.0,
        WIDTH - 190.0,
        legend_y + 4.0,
        o.samples,
        o.seed
    );
    let _ = writeln!(out, "</svg>");
    out
}

/// The bottleneck's binding capacity by country, as horizontal bars with their shares.
#[must_use]
pub fn cut_by_country(r: &BottleneckReport) -> String {
    let rows: Vec<(String, f64, String)> = r
        .cut_by_country
        .iter()
        .map(|c| {
            (
                c.name.clone(),
                f(c.capacity.value()),
                format!("{} t ({:.1} %)", c.capacity.value(), c.share.percent()),
            )
        })
        .collect();
    bar_chart(
        &format!("{} in {}: binding capacity by country", r.commodity, r.year),
        &rows,
    )
}

/// A horizontal bar chart: one bar per row (label, value, the text after the bar), the longest
/// bar at full width.
fn bar_chart(title: &str, rows: &[(String, f64, String)]) -> String {
    let mut out = String::new();
    header(&mut out, title);
    let max = rows.iter().map(|r| r.1).fold(0.0, f64::max);
    #[allow(clippy::cast_precision_loss)] // Reason: a handful of rows.
    let row_height = ((HEIGHT - TOP - BOTTOM) / rows.len().max(1) as f64).min(40.0);
    let label_width = 170.0;
    for (i, (label, value, text)) in rows.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)] // Reason: a handful of rows.
        let top = TOP + i as f64 * row_height;
        let width = if max > 0.0 {
            value / max * (WIDTH - label_width - RIGHT - 120.0)
        } else {
            0.0
        };
        let _ = writeln!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect x="{label_width}" y="{:.1}" width="{width:.1}" height="{:.1}" fill="#de2d26"/><text x="{:.1}" y="{:.1}">{}</text>"##,
            label_width - 8.0,
            top + row_height / 2.0 + 4.0,
            escape(label),
            top + 4.0,
            row_height - 8.0,
            label_width + width + 6.0,
            top + row_height / 2.0 + 4.0,
            text
        );
    }
    let _ = writeln!(out, "</svg>");
    out
}

/// What binds by country, for any chain: the minimum cut by country on a single-product chain
/// ([`cut_by_country`]); on the material balance, the tonnes of the target each country's
/// binding capacities carry ([`crate::BottleneckAnalysis::binding_by_country`]).
#[must_use]
pub fn binding_by_country(b: &crate::BottleneckAnalysis) -> String {
    if b.single_product {
        return cut_by_country(&b.report);
    }
    let bars = b.binding_by_country();
    let total: f64 = bars.iter().map(|(_, t)| f(*t)).sum();
    let rows: Vec<(String, f64, String)> = bars
        .iter()
        .map(|(country, tonnes)| {
            let value = f(*tonnes);
            let share = if total > 0.0 {
                value / total * 100.0
            } else {
                0.0
            };
            (
                country.name().to_owned(),
                value,
                format!("{} t ({share:.1} %)", tonnes.round()),
            )
        })
        .collect();
    bar_chart(
        &format!(
            "{} in {}: what binds, by country (t of {} the binding capacities carry)",
            b.balance.target, b.balance.year, b.balance.target
        ),
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_ticks() {
        assert!((tick_step(49_222.0, 5.0) - 10_000.0).abs() < 1e-9);
        assert!((tick_step(7.0, 5.0) - 2.0).abs() < 1e-9);
        assert!((tick_step(0.0, 5.0) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
