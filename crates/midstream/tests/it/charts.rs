//! The charts, rendered by a real SVG renderer (resvg): a malformed chart fails to parse, text
//! that leaves the canvas or a legend inside the plot fails a bound, and the drawn colours are
//! looked for in the pixels.

use midstream::prelude::*;
use midstream::{Analysis, OutlookOptions, svg};
use resvg::tiny_skia::Pixmap;
use resvg::usvg::{self, Node};

/// Parses and renders `svg` with the system fonts; set `MIDSTREAM_CHART_PNG=DIR` to keep the
/// PNG for a look.
fn render(name: &str, svg: &str) -> (usvg::Tree, Pixmap) {
    let mut options = usvg::Options::default();
    let fonts = options.fontdb_mut();
    fonts.load_system_fonts();
    // The charts ask for Helvetica, Arial or any sans-serif: point the generic family at a
    // face the machine has (DejaVu Sans on Debian).
    let family = fonts
        .faces()
        .filter_map(|f| f.families.first().map(|(name, _)| name.clone()))
        .find(|name| name.contains("Sans"));
    if let Some(family) = family {
        fonts.set_sans_serif_family(family);
    }
    let tree = usvg::Tree::from_str(svg, &options).unwrap_or_else(|e| panic!("{name}: {e}"));
    let size = tree.size().to_int_size();
    let mut pixmap = Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    if let Some(dir) = std::env::var_os("MIDSTREAM_CHART_PNG") {
        pixmap
            .save_png(std::path::Path::new(&dir).join(format!("{name}.png")))
            .unwrap();
    }
    (tree, pixmap)
}

/// Whether the machine has a font the renderer can lay text out with.
fn has_fonts() -> bool {
    let mut db = usvg::fontdb::Database::new();
    db.load_system_fonts();
    !db.is_empty()
}

/// Every text's bounding box, as (left, top, right, bottom), from the rendered tree.
fn text_boxes(group: &usvg::Group, out: &mut Vec<(f32, f32, f32, f32)>) {
    for node in group.children() {
        match node {
            Node::Group(g) => text_boxes(g, out),
            Node::Text(t) => {
                let b = t.abs_bounding_box();
                out.push((b.left(), b.top(), b.right(), b.bottom()));
            }
            _ => {}
        }
    }
}

/// Whether some pixel in the box has the colour (within a few levels of blending).
fn has_colour(p: &Pixmap, (r, g, b): (u8, u8, u8), x: std::ops::Range<u32>) -> bool {
    let close = |a: u8, b: u8| a.abs_diff(b) <= 24;
    (0..p.height()).any(|row| {
        x.clone().any(|col| {
            p.pixel(col, row)
                .map(|c| c.demultiply())
                .is_some_and(|c| close(c.red(), r) && close(c.green(), g) && close(c.blue(), b))
        })
    })
}

#[test]
fn the_outlook_chart_renders_with_demand_and_its_legend_outside_the_plot() {
    let a = Analysis::embedded("rare-earths-2025").unwrap();
    let o = a
        .outlook(
            &"DyTbNdPr:oxide@contained".parse().unwrap(),
            2026..=2035,
            &OutlookOptions {
                samples: 200,
                outside: Some("CN".parse().unwrap()),
                ..OutlookOptions::default()
            },
        )
        .unwrap();
    let chart = svg::outlook_band(&o);
    for label in [
        "demand, STEPS",
        "demand, NZE",
        "median outside China",
        "shortfall at the median, STEPS",
        "tonnes per year",
        ">year<",
        "100,000",
    ] {
        assert!(chart.contains(label), "missing {label:?}");
    }
    let (tree, pixmap) = render("outlook", &chart);
    let (width, height) = (tree.size().width(), tree.size().height());
    let mut boxes = Vec::new();
    text_boxes(tree.root(), &mut boxes);
    // With fonts on the machine, every text is inside the canvas (nothing clipped), and the
    // legend's texts (right of the plot's edge at 640) never reach into the plot.
    if has_fonts() {
        assert!(boxes.len() > 20, "the texts were not laid out: {boxes:?}");
        for (left, top, right, bottom) in &boxes {
            assert!(
                *left >= 0.0 && *top >= 0.0 && *right <= width && *bottom <= height,
                "a text leaves the canvas: {left} {top} {right} {bottom}"
            );
        }
        assert!(
            boxes.iter().filter(|b| b.0 >= 662.0).count() >= 8,
            "{boxes:?}"
        );
        assert!(
            boxes.iter().all(|b| b.0 >= 662.0 || b.2 < 662.0),
            "a text of the plot reaches into the legend: {boxes:?}"
        );
    }
    // In the plot: the band, a demand line (the first case's purple) and the shaded shortfall.
    let plot = 81..639;
    assert!(
        has_colour(&pixmap, (0x7b, 0x32, 0x94), plot.clone()),
        "demand line"
    );
    assert!(
        has_colour(&pixmap, (0x08, 0x51, 0x9c), plot.clone()),
        "median line"
    );
    // The shortfall's fill blended on white: #fc9272 at 45 %.
    assert!(
        has_colour(&pixmap, (0xfd, 0xcb, 0xbb), plot),
        "shaded shortfall"
    );
    // The legend's swatches, outside the plot.
    assert!(has_colour(&pixmap, (0x7b, 0x32, 0x94), 662..700), "legend");
}

#[test]
fn the_bar_charts_render() {
    let a = Analysis::embedded("rare-earths-2025").unwrap();
    let b = a
        .bottleneck(&"Dy:oxide".parse().unwrap(), &Scenario::baseline())
        .unwrap();
    let (tree, pixmap) = render("binding", &svg::binding_by_country(&b));
    let mut boxes = Vec::new();
    text_boxes(tree.root(), &mut boxes);
    assert!(
        !has_fonts() || !boxes.is_empty(),
        "the texts were not laid out"
    );
    for (left, _, right, _) in &boxes {
        assert!(
            *left >= 0.0 && *right <= tree.size().width(),
            "{left} {right}"
        );
    }
    // The bars' red.
    assert!(has_colour(&pixmap, (0xde, 0x2d, 0x26), 170..700));
}

#[test]
fn the_sankey_renders_mine_to_magnet() {
    let a = Analysis::embedded("rare-earths-2025").unwrap();
    let flows = a
        .flows(&"NdPr:magnet".parse().unwrap(), &Scenario::baseline())
        .unwrap();
    let chart = svg::sankey(
        a.data(),
        &flows,
        "NdFeB magnets in 2025: flows by stage and country",
    );
    for label in [
        "mining China",
        "separation China",
        "manufacturing China",
        "buyers",
    ] {
        assert!(chart.contains(label), "missing {label:?}");
    }
    let (tree, pixmap) = render("sankey", &chart);
    let mut boxes = Vec::new();
    text_boxes(tree.root(), &mut boxes);
    assert!(
        !has_fonts() || boxes.len() > 5,
        "the texts were not laid out"
    );
    for (left, top, right, bottom) in &boxes {
        assert!(
            *left >= 0.0
                && *top >= 0.0
                && *right <= tree.size().width()
                && *bottom <= tree.size().height(),
            "a text leaves the canvas: {left} {top} {right} {bottom}"
        );
    }
    // China's bands (the largest supplier's colour) are drawn.
    assert!(has_colour(&pixmap, (0xd6, 0x27, 0x28), 0..1000));
}
