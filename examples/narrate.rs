//! Printing helpers the examples share: headings, wrapped paragraphs, conclusions, and numbers
//! as a reader wants them (whole tonnes with thousands separators, percentages). Each example
//! includes this file (`mod narrate;`); the notebooks inline it into their helper cell.

use std::error::Error;

use midstream::prelude::*;

/// The width the narrative is wrapped to, in characters.
pub(crate) const WIDTH: usize = 96;

/// Whether a word is a unit that stays on the line of the number before it (`t`, `t/yr`, `%`).
pub(crate) fn is_unit(word: &str) -> bool {
    word.starts_with('%')
        || word
            .strip_prefix('t')
            .is_some_and(|rest| !rest.starts_with(char::is_alphabetic))
}

/// Prints a paragraph wrapped at [`WIDTH`], each line after `margin`; a number and its unit
/// stay together.
pub(crate) fn paragraph(text: &str, margin: &str) {
    let mut words: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match words.last_mut() {
            Some(number) if is_unit(word) => {
                number.push(' ');
                number.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
    }
    let mut line = String::new();
    for word in &words {
        if !line.is_empty() && margin.len() + line.len() + 1 + word.len() > WIDTH {
            println!("{margin}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        println!("{margin}{line}");
    }
}

/// Prints the walkthrough's title and its introduction, one paragraph per item.
pub(crate) fn title(title: &str, intro: &[&str]) {
    println!("# {title}");
    for text in intro {
        println!();
        paragraph(text, "");
    }
}

/// Prints a section's heading and what it shows, before its tables.
pub(crate) fn section(heading: &str, intro: &str) {
    println!();
    println!("## {heading}");
    println!();
    paragraph(intro, "");
    println!();
}

/// Prints what the next table shows, within a section.
pub(crate) fn note(text: &str) {
    println!();
    paragraph(text, "");
    println!();
}

/// Prints a conclusion drawn from the results, once the checks behind it have passed.
pub(crate) fn conclude(text: &str) {
    println!();
    paragraph(text, "> ");
}

/// Whole tonnes with thousands separators and no unit, e.g. `470,000` (half away from zero).
pub(crate) fn whole(tonnes: Tonnes) -> String {
    let rounded = format!("{tonnes:.0}");
    let number = rounded.trim_end_matches(" t");
    let (sign, digits) = number.strip_prefix('-').map_or(("", number), |d| ("-", d));
    let sign = if digits.chars().all(|c| c == '0') {
        ""
    } else {
        sign
    };
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}")
}

/// Whole tonnes with thousands separators and the unit, e.g. `470,000 t`.
pub(crate) fn t(tonnes: Tonnes) -> String {
    format!("{} t", whole(tonnes))
}

/// `part / whole` as a share.
pub(crate) fn share_of(part: Tonnes, whole: Tonnes) -> Result<Share, Box<dyn Error>> {
    let ratio = part
        .value()
        .checked_div(whole.value())
        .ok_or("a share of nothing")?;
    Ok(Share::new(ratio)?)
}

/// A dataset word in plain words: `letter_of_interest` → `letter of interest`.
pub(crate) fn words(value: &impl std::fmt::Display) -> String {
    value.to_string().replace('_', " ")
}

/// A year, or `none`.
pub(crate) fn year_or_none(year: Option<i32>) -> String {
    year.map_or_else(|| "none".to_owned(), |y| y.to_string())
}
