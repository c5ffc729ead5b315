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
/// Where a bar chart's first bar starts, under the title and subtitle.
const BARS_TOP: f64 = 56.0;

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

/// The opening of a chart: the canvas, the title, and a subtitle (the unit) under it.
fn header(out: &mut String, title: &str, subtitle: &str) {
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
        r#"<text x="{LEFT}" y="22" font-size="15" font-weight="bold">{}</text>"#,
        escape(title)
    );
    let _ = writeln!(
        out,
        r##"<text x="{LEFT}" y="40" fill="#555555">{}</text>"##,
        escape(subtitle)
    );
}

/// Width of the outlook chart: the plot, then the legend to its right, outside the plot.
const OUTLOOK_WIDTH: f64 = 920.0;
/// Right edge of the outlook's plot area.
const PLOT_RIGHT: f64 = 640.0;
/// Left edge of the outlook's legend.
const LEGEND_LEFT: f64 = 662.0;

/// A whole number with thousands separators (`120,000`), for axis labels.
fn grouped(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < -0.5 { format!("-{out}") } else { out }
}

/// A line of the outlook chart: its label, colour, dash pattern and points (year, tonnes).
struct Line {
    label: String,
    colour: &'static str,
    dash: &'static str,
    points: Vec<(i32, f64)>,
}

/// Colours of the demand cases, in case order.
const DEMAND_COLOURS: [&str; 4] = ["#7b3294", "#d7191c", "#a6611a", "#018571"];

/// The outlook as an SVG chart a planner can put on a slide: the P10–P90 band, the median and
/// the expected supply, producing only and every project; the median outside one country where
/// the outlook has it; each demand case as a line, and the shortfall at the median against the
/// lowest case shaded. Axes carry their units; the legend sits outside the plot, on the right.
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
#[allow(clippy::too_many_lines)] // Reason: one chart, element by element.
pub fn outlook_band(o: &Outlook) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{OUTLOOK_WIDTH}" height="{HEIGHT}" viewBox="0 0 {OUTLOOK_WIDTH} {HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        out,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        out,
        r#"<text x="{LEFT}" y="24" font-size="15" font-weight="bold">{}: supply by year{}</text>"#,
        escape(&o.commodity.to_string()),
        if o.demand.is_empty() {
            ""
        } else {
            " against demand"
        }
    );
    let (Some(first), Some(last)) = (o.years.first(), o.years.last()) else {
        let _ = writeln!(out, "</svg>");
        return out;
    };
    let t = |d: midstream_domain::Tonnes| f(d.value());
    let mut lines = vec![
        Line {
            label: String::from("median (P50)"),
            colour: "#08519c",
            dash: "",
            points: o.years.iter().map(|p| (p.year, t(p.p50))).collect(),
        },
        Line {
            label: String::from("expected"),
            colour: "#31a354",
            dash: "1,2",
            points: o.years.iter().map(|p| (p.year, t(p.expected))).collect(),
        },
        Line {
            label: String::from("producing only"),
            colour: "#636363",
            dash: "4,3",
            points: o
                .years
                .iter()
                .map(|p| (p.year, t(p.operating_only)))
                .collect(),
        },
        Line {
            label: String::from("every project on schedule"),
            colour: "#e6550d",
            dash: "4,3",
            points: o
                .years
                .iter()
                .map(|p| (p.year, t(p.all_projects)))
                .collect(),
        },
    ];
    if let Some(view) = &o.outside {
        lines.push(Line {
            label: format!("median outside {}", view.country.name()),
            colour: "#e7298a",
            dash: "",
            points: view.years.iter().map(|p| (p.year, t(p.p50))).collect(),
        });
    }
    for (case, colour) in o.demand.iter().zip(DEMAND_COLOURS.iter().cycle()) {
        lines.push(Line {
            label: format!("demand, {}", case.case.as_deref().unwrap_or("stated")),
            colour,
            dash: "8,3",
            points: case.years.iter().map(|y| (y.year, t(y.demand))).collect(),
        });
    }
    let max = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .chain(o.years.iter().map(|p| t(p.p90)))
        .fold(0.0, f64::max);
    let step = tick_step(max, 5.0);
    let top_value = (max / step).ceil().max(1.0) * step;
    let span_years = f64::from((last.year - first.year).max(1));
    let x = |year: i32| LEFT + f64::from(year - first.year) / span_years * (PLOT_RIGHT - LEFT);
    let y = |v: f64| HEIGHT - BOTTOM - v / top_value * (HEIGHT - TOP - BOTTOM);
    // Axes, grid and units.
    let mut tick = 0.0;
    while tick <= top_value + step / 2.0 {
        let _ = writeln!(
            out,
            r##"<line x1="{LEFT}" y1="{:.1}" x2="{PLOT_RIGHT}" y2="{:.1}" stroke="#dddddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            y(tick),
            y(tick),
            LEFT - 6.0,
            y(tick) + 4.0,
            grouped(tick)
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
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">year</text>"#,
        f64::midpoint(LEFT, PLOT_RIGHT),
        HEIGHT - 12.0
    );
    let middle = f64::midpoint(TOP, HEIGHT - BOTTOM);
    let _ = writeln!(
        out,
        r#"<text x="16" y="{middle:.1}" text-anchor="middle" transform="rotate(-90 16 {middle:.1})">tonnes per year ({})</text>"#,
        escape(&o.commodity.to_string())
    );
    // The shortfall at the median against the lowest demand case: demand above the median.
    let lowest = o
        .demand
        .iter()
        .filter(|c| !c.years.is_empty())
        .min_by_key(|c| c.years.iter().map(|y| y.demand).max());
    if let Some(case) = lowest {
        let mut upper = String::new();
        let mut lower = String::new();
        for p in &o.years {
            let median = t(p.p50);
            let demand = case
                .years
                .iter()
                .find(|y| y.year == p.year)
                .map_or(median, |y| t(y.demand).max(median));
            let _ = write!(upper, "{:.1},{:.1} ", x(p.year), y(demand));
            lower.insert_str(0, &format!("{:.1},{:.1} ", x(p.year), y(median)));
        }
        let _ = writeln!(
            out,
            r##"<polygon points="{}{}" fill="#fc9272" fill-opacity="0.45" stroke="none"/>"##,
            upper,
            lower.trim_end()
        );
    }
    // The band: P90 forwards, P10 backwards.
    let mut band = String::new();
    for p in &o.years {
        let _ = write!(band, "{:.1},{:.1} ", x(p.year), y(t(p.p90)));
    }
    for p in o.years.iter().rev() {
        let _ = write!(band, "{:.1},{:.1} ", x(p.year), y(t(p.p10)));
    }
    let _ = writeln!(
        out,
        r##"<polygon points="{}" fill="#6baed6" fill-opacity="0.5" stroke="#6baed6" stroke-width="1"/>"##,
        band.trim_end()
    );
    for line in &lines {
        let points: Vec<String> = line
            .points
            .iter()
            .map(|(year, v)| format!("{:.1},{:.1}", x(*year), y(*v)))
            .collect();
        let _ = writeln!(
            out,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>"#,
            points.join(" "),
            line.colour,
            line.dash
        );
    }
    // The legend, outside the plot: swatches, then lines.
    let mut legend_y = TOP + 4.0;
    let mut swatch = |out: &mut String, colour: &str, opacity: &str, label: &str| {
        let _ = writeln!(
            out,
            r#"<rect x="{LEGEND_LEFT}" y="{:.1}" width="24" height="10" fill="{colour}" fill-opacity="{opacity}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            legend_y - 5.0,
            LEGEND_LEFT + 30.0,
            legend_y + 4.0,
            escape(label)
        );
        legend_y += 16.0;
    };
    swatch(
        &mut out,
        "#6baed6",
        "0.5",
        &format!("P10–P90 ({} samples, seed {})", o.samples, o.seed),
    );
    if let Some(case) = lowest {
        swatch(
            &mut out,
            "#fc9272",
            "0.45",
            &format!(
                "shortfall at the median, {}",
                case.case.as_deref().unwrap_or("stated demand")
            ),
        );
    }
    for line in &lines {
        let _ = writeln!(
            out,
            r#"<line x1="{LEGEND_LEFT}" y1="{legend_y:.1}" x2="{:.1}" y2="{legend_y:.1}" stroke="{}" stroke-width="2" stroke-dasharray="{}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            LEGEND_LEFT + 24.0,
            line.colour,
            line.dash,
            LEGEND_LEFT + 30.0,
            legend_y + 4.0,
            escape(&line.label)
        );
        legend_y += 16.0;
    }
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
        &format!(
            "tonnes per year of {} in the minimum cut, and its share",
            r.commodity
        ),
        &rows,
    )
}

/// A horizontal bar chart: one bar per row (label, value, the text after the bar), the longest
/// bar at full width.
fn bar_chart(title: &str, subtitle: &str, rows: &[(String, f64, String)]) -> String {
    let mut out = String::new();
    header(&mut out, title, subtitle);
    let max = rows.iter().map(|r| r.1).fold(0.0, f64::max);
    #[allow(clippy::cast_precision_loss)] // Reason: a handful of rows.
    let row_height = ((HEIGHT - BARS_TOP - BOTTOM) / rows.len().max(1) as f64).min(40.0);
    let label_width = 170.0;
    for (i, (label, value, text)) in rows.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)] // Reason: a handful of rows.
        let top = BARS_TOP + i as f64 * row_height;
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
            "{} in {}: what binds, by country",
            b.balance.target, b.balance.year
        ),
        &format!(
            "tonnes per year of {} the binding capacities carry, and their share",
            b.balance.target
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
    fn groups_thousands() {
        assert_eq!(grouped(0.0), "0");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(grouped(120_000.0), "120,000");
        assert_eq!(grouped(1_234_567.0), "1,234,567");
        assert_eq!(grouped(-2_500.0), "-2,500");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
