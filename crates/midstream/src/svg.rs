//! SVG charts for notebooks and reports, written directly (no plotting dependency, no fonts
//! needed, same bytes for the same result).
//!
//! - [`outlook_band`]: deliverable supply by year: the P10–P90 band, the median, the expected
//!   value, producing-only and all-projects lines.
//! - [`cut_by_country`]: the bottleneck's binding capacity by country, as horizontal bars.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use midstream_domain::{Stage, ValidDataset};
use midstream_graph::{BottleneckReport, ShipmentFlow};
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

/// The opening of a chart: the canvas (`width` x `height`, text of `font_size`), the title at
/// `x`, and a subtitle (the unit) under it if there is one.
fn header(
    out: &mut String,
    (width, height, font_size): (f64, f64, u8),
    x: f64,
    title: &str,
    subtitle: &str,
) {
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="{font_size}">"#
    );
    let _ = writeln!(
        out,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        out,
        r#"<text x="{x}" y="22" font-size="15" font-weight="bold">{}</text>"#,
        escape(title)
    );
    if !subtitle.is_empty() {
        let _ = writeln!(
            out,
            r##"<text x="{x}" y="40" fill="#555555">{}</text>"##,
            escape(subtitle)
        );
    }
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
    let title = format!(
        "{}: supply by year{}",
        o.commodity,
        if o.demand.is_empty() {
            ""
        } else {
            " against demand"
        }
    );
    header(&mut out, (OUTLOOK_WIDTH, HEIGHT, 12), LEFT, &title, "");
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
    header(&mut out, (WIDTH, HEIGHT, 12), LEFT, title, subtitle);
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

/// Width and height of the Sankey chart.
const SANKEY_WIDTH: f64 = 1000.0;
const SANKEY_HEIGHT: f64 = 600.0;

/// Colours of the countries in a Sankey, largest supplier first; the rest are grey.
const COUNTRY_COLOURS: [&str; 8] = [
    "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#bcbd22",
];

/// A node of the Sankey: a stage and a country, or the buyers.
type SankeyNode = (Option<Stage>, Option<midstream_domain::Country>);

/// One year's flows as a Sankey diagram, mine to buyers: one column per stage (recycling first,
/// as a source), one node per country at each stage (its height the larger of what it receives
/// and what it sends, in tonnes of what flows: ore, oxide, metal and magnets do not weigh the
/// same), the buyers last; bands coloured by the country they leave. `flows` come from
/// [`crate::Analysis::flows`] (the central optimal flow, traced supplier to consumer). A flow
/// between two facilities of one stage and country stays inside its node and is not drawn.
#[must_use]
#[allow(clippy::too_many_lines)] // Reason: one chart, layer by layer.
pub fn sankey(data: &ValidDataset, flows: &[ShipmentFlow], title: &str) -> String {
    let node_of = |id: &midstream_domain::FacilityId| -> Option<SankeyNode> {
        data.facility(id.as_str())
            .map(|f| (Some(f.stage), Some(f.country)))
    };
    // Bands between nodes, summed.
    let mut bands: BTreeMap<(SankeyNode, SankeyNode), f64> = BTreeMap::new();
    for flow in flows {
        let Some(from) = node_of(&flow.from) else {
            continue;
        };
        let to = match &flow.to {
            Some(id) => match node_of(id) {
                Some(n) => n,
                None => continue,
            },
            None => (None, None),
        };
        if from != to {
            *bands.entry((from, to)).or_default() += f(flow.tonnes.value());
        }
    }
    let column_of = |n: &SankeyNode| -> usize {
        match n.0 {
            None => usize::MAX,
            Some(Stage::Recycling) => 0,
            Some(stage) => 1 + Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0),
        }
    };
    let mut nodes: BTreeMap<SankeyNode, (f64, f64)> = BTreeMap::new();
    for ((from, to), v) in &bands {
        nodes.entry(*from).or_default().1 += v;
        nodes.entry(*to).or_default().0 += v;
    }
    let mut columns: Vec<usize> = nodes.keys().map(column_of).collect();
    columns.sort_unstable();
    columns.dedup();
    // Countries by what they send, for colours.
    let mut sent: BTreeMap<midstream_domain::Country, f64> = BTreeMap::new();
    for ((from, _), v) in &bands {
        if let Some(c) = from.1 {
            *sent.entry(c).or_default() += v;
        }
    }
    let mut ranked: Vec<(midstream_domain::Country, f64)> = sent.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let colour = |c: Option<midstream_domain::Country>| -> &'static str {
        c.and_then(|c| ranked.iter().position(|r| r.0 == c))
            .and_then(|k| COUNTRY_COLOURS.get(k).copied())
            .unwrap_or("#999999")
    };
    // Layout: columns evenly spaced; in each, nodes largest first, stacked with gaps.
    let (top, bottom, left, right, node_width) = (50.0, 20.0, 20.0, 150.0, 14.0);
    // Gaps between a column's nodes: 13 px, less where a column has many nodes, so that gaps
    // never take more than half the height.
    let most_nodes = {
        let mut per: BTreeMap<usize, usize> = BTreeMap::new();
        for n in nodes.keys() {
            *per.entry(column_of(n)).or_default() += 1;
        }
        per.values().copied().max().unwrap_or(1)
    };
    #[allow(clippy::cast_precision_loss)] // Reason: a count of nodes.
    let gap = (0.5 * (SANKEY_HEIGHT - top - bottom) / most_nodes.saturating_sub(1).max(1) as f64)
        .min(13.0);
    let value = |n: &SankeyNode| nodes.get(n).map_or(0.0, |(i, o)| i.max(*o));
    let mut by_column: BTreeMap<usize, Vec<SankeyNode>> = BTreeMap::new();
    for n in nodes.keys() {
        by_column.entry(column_of(n)).or_default().push(*n);
    }
    for list in by_column.values_mut() {
        list.sort_by(|a, b| value(b).total_cmp(&value(a)).then(a.cmp(b)));
    }
    let scale = by_column
        .values()
        .map(|list| {
            let total: f64 = list.iter().map(&value).sum();
            #[allow(clippy::cast_precision_loss)] // Reason: a handful of nodes.
            let gaps = gap * list.len().saturating_sub(1) as f64;
            if total > 0.0 {
                (SANKEY_HEIGHT - top - bottom - gaps) / total
            } else {
                f64::INFINITY
            }
        })
        .fold(f64::INFINITY, f64::min);
    let scale = if scale.is_finite() { scale } else { 0.0 };
    #[allow(clippy::cast_precision_loss)] // Reason: a handful of columns.
    let step = (SANKEY_WIDTH - left - right - node_width)
        / (columns.len().saturating_sub(1).max(1)) as f64;
    let mut position: BTreeMap<SankeyNode, (f64, f64)> = BTreeMap::new();
    for (k, column) in columns.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)] // Reason: a handful of columns.
        let x = left + step * k as f64;
        let mut y = top;
        for n in by_column.get(column).into_iter().flatten() {
            position.insert(*n, (x, y));
            y += value(n) * scale + gap;
        }
    }
    let mut out = String::new();
    header(
        &mut out,
        (SANKEY_WIDTH, SANKEY_HEIGHT, 11),
        left,
        title,
        "tonnes per year of what flows (ore, oxide, metal, magnets); one optimal flow: the \
         centre of all optimal flows",
    );
    // Bands: each node's outgoing bands stacked from its top, incoming likewise.
    let mut out_used: BTreeMap<SankeyNode, f64> = BTreeMap::new();
    let mut in_used: BTreeMap<SankeyNode, f64> = BTreeMap::new();
    let mut ordered: Vec<(&(SankeyNode, SankeyNode), &f64)> = bands.iter().collect();
    ordered.sort_by(|a, b| {
        let ya = position.get(&a.0.1).map_or(0.0, |p| p.1);
        let yb = position.get(&b.0.1).map_or(0.0, |p| p.1);
        ya.total_cmp(&yb).then(a.0.cmp(b.0))
    });
    for ((from, to), v) in ordered {
        let (Some(&(x0, y0)), Some(&(x1, y1))) = (position.get(from), position.get(to)) else {
            continue;
        };
        let h = v * scale;
        let s0 = out_used.entry(*from).or_default();
        let a = y0 + *s0;
        *s0 += h;
        let s1 = in_used.entry(*to).or_default();
        let b = y1 + *s1;
        *s1 += h;
        let (xa, xb) = (x0 + node_width, x1);
        let mid = f64::midpoint(xa, xb);
        let _ = writeln!(
            out,
            r#"<path d="M{xa:.1},{a:.1} C{mid:.1},{a:.1} {mid:.1},{b:.1} {xb:.1},{b:.1} L{xb:.1},{:.1} C{mid:.1},{:.1} {mid:.1},{:.1} {xa:.1},{:.1} Z" fill="{}" fill-opacity="0.45"/>"#,
            b + h,
            b + h,
            a + h,
            a + h,
            colour(from.1)
        );
    }
    // Nodes and their labels (to the right; the buyers' to the left of the last column).
    for (n, &(x, y)) in &position {
        let h = (value(n) * scale).max(1.0);
        let _ = writeln!(
            out,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{node_width}" height="{h:.1}" fill="{}" stroke="#333333" stroke-width="0.5"/>"##,
            if n.0.is_none() {
                "#555555"
            } else {
                colour(n.1)
            }
        );
        // A short country name where it is short, else its code.
        let country = |c: midstream_domain::Country| {
            if c.name().chars().count() <= 12 {
                c.name().to_owned()
            } else {
                c.code().to_owned()
            }
        };
        let name = match n {
            (None, _) => String::from("buyers"),
            (Some(stage), Some(c)) => {
                format!("{} {}", stage.to_string().replace('_', " "), country(*c))
            }
            (Some(stage), None) => stage.to_string().replace('_', " "),
        };
        let label = format!("{name}: {} t", grouped(value(n)));
        // Labels right of the nodes in the left half, left of them in the right half.
        let (lx, anchor) = if x < SANKEY_WIDTH / 2.0 {
            (x + node_width + 4.0, "start")
        } else {
            (x - 4.0, "end")
        };
        let _ = writeln!(
            out,
            r#"<text x="{lx:.1}" y="{:.1}" text-anchor="{anchor}">{}</text>"#,
            y + h / 2.0 + 4.0,
            escape(&label)
        );
    }
    let _ = writeln!(out, "</svg>");
    out
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
