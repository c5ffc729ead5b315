//! Display in Rust notebooks: evcxr's convention, without depending on evcxr.
//!
//! In an evcxr REPL or Jupyter kernel, a cell whose last expression is a value with an
//! `evcxr_display(&self)` method shows what the method prints: blocks of
//! `EVCXR_BEGIN_CONTENT <mime>` … `EVCXR_END_CONTENT`, one per representation, from which the
//! front end picks the richest it can draw. The main result types print a plain-text block (the
//! Markdown text, which reads as text), a Markdown block (tables that Jupyter draws), and, for
//! an outlook and a bottleneck, the SVG chart. [`Analysis`](crate::Analysis) results print the
//! same text as [`crate::markdown`]; `display_bundle` returns the blocks without printing them.

use crate::{
    BottleneckAnalysis, Comparison, CountryProfile, Investment, Outlook, Report, RiskAssessment,
};

/// The blocks of one value, each as evcxr reads it.
fn bundle(blocks: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (mime, content) in blocks {
        out.push_str("EVCXR_BEGIN_CONTENT ");
        out.push_str(mime);
        out.push('\n');
        out.push_str(content.trim_end());
        out.push_str("\nEVCXR_END_CONTENT\n");
    }
    out
}

/// Prints a bundle in one write, so that nothing else interleaves with it.
fn show(bundle: &str) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    // A notebook's stdout that cannot take the text has nowhere to say so either.
    let _ = stdout.write_all(bundle.as_bytes());
    let _ = stdout.flush();
}

macro_rules! notebook_display {
    ($ty:ty, $what:literal, |$v:ident| $markdown:expr $(, svg = |$s:ident| $svg:expr)?) => {
        impl $ty {
            #[doc = concat!("The blocks evcxr shows for ", $what, ": text, Markdown")]
            $(#[doc = concat!(", and the SVG chart (", stringify!($svg), ")")])?
            #[doc = ". See [`Self::evcxr_display`]."]
            #[must_use]
            pub fn display_bundle(&self) -> String {
                let $v = self;
                let markdown: String = $markdown;
                #[allow(unused_mut)]
                let mut blocks: Vec<(&str, String)> = vec![
                    ("text/plain", markdown.clone()),
                    ("text/markdown", markdown),
                ];
                $(
                    let $s = self;
                    blocks.push(("image/svg+xml", $svg));
                )?
                let refs: Vec<(&str, &str)> =
                    blocks.iter().map(|(m, c)| (*m, c.as_str())).collect();
                bundle(&refs)
            }

            #[doc = concat!("Shows ", $what, " in a Rust notebook (evcxr): a cell ending in \
                this value displays its tables, not its `Debug` form.")]
            pub fn evcxr_display(&self) {
                show(&self.display_bundle());
            }
        }
    };
}

notebook_display!(
    BottleneckAnalysis,
    "a bottleneck",
    |b| crate::markdown::bottleneck(b),
    svg = |s| crate::svg::binding_by_country(s)
);
notebook_display!(Comparison, "a comparison", |c| crate::markdown::comparison(
    c, "Scenario"
));
notebook_display!(
    Outlook,
    "an outlook",
    |o| crate::markdown::outlook(o),
    svg = |s| crate::svg::outlook_band(s)
);
notebook_display!(CountryProfile, "a country profile", |p| {
    crate::markdown::profile(p)
});
notebook_display!(RiskAssessment, "a chain's risk", |r| crate::markdown::risk(
    r
));
notebook_display!(Investment, "a project ranking", |i| {
    crate::markdown::investment(i)
});
notebook_display!(Report, "a full report", |r| crate::markdown::report(r));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_is_begin_and_end_pairs_of_each_representation() {
        let b = bundle(&[("text/plain", "a\n"), ("text/markdown", "| x |")]);
        assert_eq!(
            b,
            "EVCXR_BEGIN_CONTENT text/plain\na\nEVCXR_END_CONTENT\n\
             EVCXR_BEGIN_CONTENT text/markdown\n| x |\nEVCXR_END_CONTENT\n"
        );
    }
}
