//! The DIMACS maximum-flow format, both ways.
//!
//! ```text
//! c a comment
//! p max NODES ARCS
//! n ID s
//! n ID t
//! a FROM TO CAPACITY
//! ```
//! Node ids are 1-based. The reader checks everything the format promises (one problem line
//! first, `max`, ids in range, exactly one source and one sink and distinct, as many arcs as
//! announced, non-negative capacities that fit an `i64`) and names the line of any problem.

use std::io::{BufRead, Write};

use crate::error::FlowError;
use crate::maxflow::FlowNetwork;

/// Most nodes a DIMACS instance may declare beyond the two ends of its arcs: `p max N M` is
/// refused when `N > 2 * M + MAX_SPARE_NODES`. Every node costs memory whether or not an arc
/// touches it, so without this bound a 20-byte file could ask for gigabytes; with it, memory
/// stays proportional to the file.
pub const MAX_SPARE_NODES: usize = 1 << 20;

/// A maximum-flow instance read from DIMACS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DimacsProblem {
    /// Number of nodes.
    pub nodes: usize,
    /// The source (0-based).
    pub source: usize,
    /// The sink (0-based).
    pub sink: usize,
    /// Arcs as (tail, head, capacity), 0-based, in file order.
    pub arcs: Vec<(u32, u32, i64)>,
}

impl DimacsProblem {
    /// The flow network of the instance.
    ///
    /// # Errors
    /// As [`FlowNetwork::from_edges`].
    pub fn network(&self) -> Result<FlowNetwork, FlowError> {
        FlowNetwork::from_edges(self.nodes, &self.arcs)
    }
}

fn err(line: usize, message: impl Into<String>) -> FlowError {
    FlowError::Dimacs {
        line,
        message: message.into(),
    }
}

/// The whitespace-separated fields of one line, as bytes.
struct Fields<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let begin = self.rest.iter().position(|b| !b.is_ascii_whitespace())?;
        let rest = self.rest.get(begin..).unwrap_or_default();
        let len = rest
            .iter()
            .position(u8::is_ascii_whitespace)
            .unwrap_or(rest.len());
        let (field, after) = rest.split_at(len);
        self.rest = after;
        Some(field)
    }
}

/// A field as text for a message (lossy: the file may not be UTF-8).
fn shown(field: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(field))
}

/// A decimal number of ASCII digits, without sign, that fits in a `u64`.
fn digits(field: &[u8]) -> Option<u64> {
    if field.is_empty() {
        return None;
    }
    // Leading zeros do not count towards the 20 digits a u64 can have.
    let start = field.iter().position(|&b| b != b'0').unwrap_or(field.len());
    let significant = field.get(start..).unwrap_or_default();
    if significant.len() > 20 {
        return None;
    }
    significant.iter().try_fold(0u64, |n, &b| {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n.checked_mul(10)?.checked_add(u64::from(d))
    })
}

fn count(field: Option<&[u8]>, line: usize, what: &str) -> Result<usize, FlowError> {
    let field = field.ok_or_else(|| err(line, format!("missing {what}")))?;
    digits(field)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| {
            err(
                line,
                format!("{what} {} is not a valid number", shown(field)),
            )
        })
}

/// An arc line in its usual form, `a TAIL HEAD CAPACITY` with at most 19 ASCII digits per
/// number (so that no check for overflow is needed), read in one pass from the start of a line;
/// returns the three numbers and the length of the line with its newline. `None` for anything
/// else: the general reader then reads the line and explains any problem.
fn quick_arc(text: &[u8]) -> Option<(u64, u64, u64, usize)> {
    let mut i = 1;
    if text.first() != Some(&b'a') {
        return None;
    }
    let mut values = [0u64; 3];
    for value in &mut values {
        let blanks = i;
        while matches!(text.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        let digits = i;
        while let Some(&b) = text.get(i).filter(|b| b.is_ascii_digit()) {
            // At most 19 digits: 10^19 - 1 fits in a u64, so nothing can overflow.
            if i - digits == 19 {
                return None;
            }
            *value = *value * 10 + u64::from(b - b'0');
            i += 1;
        }
        if digits == blanks || i == digits {
            return None;
        }
    }
    loop {
        match text.get(i) {
            Some(b'\n') => return Some((values[0], values[1], values[2], i + 1)),
            None => return Some((values[0], values[1], values[2], i)),
            Some(b) if b.is_ascii_whitespace() => i += 1,
            Some(_) => return None,
        }
    }
}

/// Reads a DIMACS maximum-flow instance (see [`parse_dimacs`]).
///
/// ```
/// use midstream_flow::{max_flow, read_dimacs};
/// let text = "c two paths\np max 4 4\nn 1 s\nn 4 t\na 1 2 3\na 2 4 2\na 1 3 2\na 3 4 4\n";
/// let problem = read_dimacs(text.as_bytes())?;
/// let net = problem.network()?;
/// assert_eq!(max_flow(&net, problem.source, problem.sink)?.value(), 4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`parse_dimacs`]; [`FlowError::Io`] if reading fails.
pub fn read_dimacs(mut reader: impl BufRead) -> Result<DimacsProblem, FlowError> {
    let mut text = Vec::new();
    reader
        .read_to_end(&mut text)
        .map_err(|source| FlowError::Io {
            file: std::path::PathBuf::from("<dimacs input>"),
            source,
        })?;
    parse_dimacs(&text)
}

/// Parses a DIMACS maximum-flow instance held in memory, on bytes: no UTF-8 decoding, no
/// allocation per line, integers parsed by hand, and arc lines in their usual form read in a
/// single pass (the format is ASCII; a stray byte is reported with its line). A large file's
/// second half (from 1 MiB on) is read by a second thread while the first half is read as
/// usual; the result, errors included, is the same as reading it in one pass.
///
/// # Errors
/// [`FlowError::Dimacs`] naming the line of the first problem.
pub fn parse_dimacs(text: &[u8]) -> Result<DimacsProblem, FlowError> {
    parse(text, PARALLEL_TEXT)
}

/// [`parse_dimacs`], splitting the text in two from `parallel_from` bytes on (tests compare
/// both ways on small texts).
fn parse(text: &[u8], parallel_from: usize) -> Result<DimacsProblem, FlowError> {
    let mut parser = Parser {
        line_no: 0,
        header: None,
        source: None,
        sink: None,
        arcs: Vec::new(),
        text_len: text.len(),
    };
    let mut rest = text;
    let mut split = false;
    while !rest.is_empty() {
        if let Some((n, m)) = parser.header
            && !split
            && rest.len() >= parallel_from
        {
            split = true;
            rest = parser.two_halves(rest, n, m)?;
            continue;
        }
        parser.line(&mut rest)?;
    }
    let Parser {
        line_no,
        header,
        source,
        sink,
        arcs,
        ..
    } = parser;
    let (nodes, m) = header.ok_or_else(|| err(line_no, "no problem line"))?;
    if arcs.len() != m {
        return Err(err(
            line_no,
            format!("{} arcs, but the problem line announced {m}", arcs.len()),
        ));
    }
    let source = source.ok_or_else(|| err(line_no, "no source (`n ID s`)"))?;
    let sink = sink.ok_or_else(|| err(line_no, "no sink (`n ID t`)"))?;
    if source == sink {
        return Err(err(line_no, "the source is the sink"));
    }
    Ok(DimacsProblem {
        nodes,
        source,
        sink,
        arcs,
    })
}

/// Texts of at least this many bytes (past the problem line) are read by two threads: the
/// second half's arc lines in their usual form by a helper, everything else as usual.
const PARALLEL_TEXT: usize = 1 << 20;

/// An arc line in its usual form whose numbers are valid for `n` nodes: the arc (0-based) and
/// the length of the line. `None` sends the line to the general reader.
fn quick_valid_arc(text: &[u8], n: usize) -> Option<((u32, u32, i64), usize)> {
    let (tail, head, capacity, len) = quick_arc(text)?;
    if !(1..=n as u64).contains(&tail) || !(1..=n as u64).contains(&head) {
        return None;
    }
    let arc = (
        u32::try_from(tail - 1).ok()?,
        u32::try_from(head - 1).ok()?,
        i64::try_from(capacity).ok()?,
    );
    Some((arc, len))
}

/// The arc lines in their usual form at the start of `text`, up to the first other line:
/// the arcs, the bytes and the lines they take. Room is made for `expected` arcs.
fn quick_arcs(text: &[u8], n: usize, expected: usize) -> (Vec<(u32, u32, i64)>, usize, usize) {
    let mut arcs = Vec::with_capacity(expected.min(text.len() / 8));
    let mut used = 0;
    while let Some((arc, len)) = text.get(used..).and_then(|rest| quick_valid_arc(rest, n)) {
        arcs.push(arc);
        used += len;
    }
    let lines = arcs.len();
    (arcs, used, lines)
}

/// The state of a pass over the lines of a DIMACS text.
struct Parser {
    line_no: usize,
    header: Option<(usize, usize)>,
    source: Option<usize>,
    sink: Option<usize>,
    arcs: Vec<(u32, u32, i64)>,
    text_len: usize,
}

impl Parser {
    /// Reads `text` (past the problem line) in two halves split at a line break: this thread
    /// reads the first as usual while a helper reads the arc lines in their usual form at the
    /// start of the second. Returns what is left to read as usual: the second half from the
    /// first line the helper did not take (all of it if the helper could not run, or if its arcs
    /// would exceed the `m` announced, so that the usual reader reports the line).
    fn two_halves<'t>(
        &mut self,
        text: &'t [u8],
        n: usize,
        m: usize,
    ) -> Result<&'t [u8], FlowError> {
        let middle = text
            .get(text.len() / 2..)
            .and_then(|half| half.iter().position(|&b| b == b'\n'))
            .map_or(text.len(), |i| text.len() / 2 + i + 1);
        let (first, second) = text.split_at(middle);
        // The arcs still to come, shared out by length, with a little room to spare.
        let left = m.saturating_sub(self.arcs.len());
        let expected = usize::try_from(
            (left as u128 * second.len() as u128 / text.len().max(1) as u128) * 21 / 20,
        )
        .unwrap_or(left);
        let (read, helped) = std::thread::scope(|scope| {
            let helper =
                std::thread::Builder::new().spawn_scoped(scope, || quick_arcs(second, n, expected));
            let mut part = first;
            let mut read = Ok(());
            while !part.is_empty() && read.is_ok() {
                read = self.line(&mut part);
            }
            (read, helper.ok().and_then(|h| h.join().ok()))
        });
        read?;
        match helped {
            Some((arcs, used, lines)) if self.arcs.len() + arcs.len() <= m => {
                self.arcs.extend_from_slice(&arcs);
                self.line_no += lines;
                Ok(second.get(used..).unwrap_or_default())
            }
            _ => Ok(second),
        }
    }

    /// Reads the line at the start of `rest` and moves `rest` past it.
    #[allow(clippy::too_many_lines)] // Reason: one line, each kind in turn.
    fn line(&mut self, rest: &mut &[u8]) -> Result<(), FlowError> {
        self.line_no += 1;
        let line_no = self.line_no;
        if let Some((n, m)) = self.header
            && self.arcs.len() < m
            && let Some((arc, len)) = quick_valid_arc(rest, n)
        {
            self.arcs.push(arc);
            *rest = rest.get(len..).unwrap_or_default();
            return Ok(());
        }
        let len = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        let (buffer, after) = rest.split_at(len);
        *rest = after;
        let mut fields = Fields { rest: buffer };
        let Some(kind) = fields.next() else {
            return Ok(());
        };
        match kind {
            b"c" => return Ok(()),
            b"p" => {
                if self.header.is_some() {
                    return Err(err(line_no, "a second problem line"));
                }
                if fields.next() != Some(b"max".as_slice()) {
                    return Err(err(line_no, "the problem must be `max`"));
                }
                let n = count(fields.next(), line_no, "node count")?;
                let m = count(fields.next(), line_no, "arc count")?;
                if n < 2 {
                    return Err(err(line_no, "a flow problem needs at least two nodes"));
                }
                // The limits of FlowNetwork: fewer than 2^31 - 1 nodes and arcs (two per edge).
                if n >= i32::MAX as usize || m >= (i32::MAX as usize) / 2 {
                    return Err(err(
                        line_no,
                        format!(
                            "{n} nodes and {m} arcs exceed the limit of 2^31 - 1 nodes and 2^30 arcs"
                        ),
                    ));
                }
                if n > m.saturating_mul(2).saturating_add(MAX_SPARE_NODES) {
                    return Err(err(
                        line_no,
                        format!(
                            "{n} nodes for {m} arcs: at most 2 x arcs + {MAX_SPARE_NODES} nodes \
                             (isolated nodes cost memory and carry no flow)"
                        ),
                    ));
                }
                // Trust the header only so far: an arc line takes at least 8 bytes, so a lying
                // header cannot reserve more than the text could hold.
                self.arcs.reserve(m.min(self.text_len / 8));
                self.header = Some((n, m));
            }
            b"n" | b"a" => {
                let (n, m) = self
                    .header
                    .ok_or_else(|| err(line_no, "a node or arc line before the problem line"))?;
                let id = |field: Option<&[u8]>, what: &str| -> Result<u32, FlowError> {
                    let id = count(field, line_no, what)?;
                    if id == 0 || id > n {
                        return Err(err(line_no, format!("{what} {id} is outside 1..={n}")));
                    }
                    // n < 2^31 - 1, checked on the problem line.
                    Ok(crate::maxflow::to_u32(id - 1))
                };
                if kind == b"n" {
                    let node = id(fields.next(), "node")? as usize;
                    let slot = match fields.next() {
                        Some(b"s") => &mut self.source,
                        Some(b"t") => &mut self.sink,
                        other => {
                            return Err(err(
                                line_no,
                                format!(
                                    "expected `s` or `t`, found {}",
                                    other.map_or_else(|| "nothing".to_owned(), shown)
                                ),
                            ));
                        }
                    };
                    if slot.is_some() {
                        return Err(err(line_no, "a second source or sink"));
                    }
                    *slot = Some(node);
                } else {
                    if self.arcs.len() == m {
                        return Err(err(line_no, format!("more arcs than the {m} announced")));
                    }
                    let from = id(fields.next(), "tail")?;
                    let to = id(fields.next(), "head")?;
                    let field = fields
                        .next()
                        .ok_or_else(|| err(line_no, "missing capacity"))?;
                    let capacity = match field.split_first() {
                        Some((b'-', magnitude)) if digits(magnitude).is_some() => {
                            return Err(err(
                                line_no,
                                format!("negative capacity {}", String::from_utf8_lossy(field)),
                            ));
                        }
                        _ => digits(field).and_then(|c| i64::try_from(c).ok()),
                    };
                    let capacity = capacity.ok_or_else(|| {
                        err(
                            line_no,
                            format!(
                                "capacity {} is not a whole number of at most {} (64 bits)",
                                shown(field),
                                i64::MAX
                            ),
                        )
                    })?;
                    self.arcs.push((from, to, capacity));
                }
            }
            other => {
                return Err(err(line_no, format!("unknown line type {}", shown(other))));
            }
        }
        if let Some(extra) = fields.next() {
            return Err(err(
                line_no,
                format!("unexpected {} at the end of the line", shown(extra)),
            ));
        }
        Ok(())
    }
}

/// Writes a network as a DIMACS maximum-flow instance (ids 1-based, arcs in edge order).
///
/// # Errors
/// [`FlowError::Io`] if writing fails.
pub fn write_dimacs(
    net: &FlowNetwork,
    source: usize,
    sink: usize,
    comment: &str,
    mut out: impl Write,
) -> Result<(), FlowError> {
    let io = |source| FlowError::Io {
        file: std::path::PathBuf::from("<dimacs output>"),
        source,
    };
    for line in comment.lines() {
        writeln!(out, "c {line}").map_err(io)?;
    }
    writeln!(out, "p max {} {}", net.node_count(), net.edge_count()).map_err(io)?;
    writeln!(out, "n {} s", source + 1).map_err(io)?;
    writeln!(out, "n {} t", sink + 1).map_err(io)?;
    for e in 0..net.edge_count() {
        if let Some((u, v, c)) = net.edge(e) {
            writeln!(out, "a {} {} {c}", u + 1, v + 1).map_err(io)?;
        }
    }
    out.flush().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> Result<DimacsProblem, String> {
        read_dimacs(text.as_bytes()).map_err(|e| e.to_string())
    }

    /// Read in two halves, any text gives what it gives read in one pass: the same problem, or
    /// the same error on the same line. The texts are valid instances with one line replaced
    /// by another kind (comments, blank lines, odd spacing, node lines, bad or surplus arcs, a
    /// second problem line), in either half.
    #[test]
    fn two_halves_read_as_one_pass() {
        let mut rng = crate::rng::SplitMix64::new(5);
        let odd = [
            "c a comment",
            "",
            "a 1 2 3 ",
            "a\t2\t3\t4",
            "a 01 2 3",
            "a 1 2 +3",
            "a 1 2 -3",
            "a 1 99 3",
            "a 1 2 99999999999999999999",
            "n 2 s",
            "p max 9 9",
            "x",
            "a 1 2 3\r",
            "a 1 2 3 4",
        ];
        for case in 0..400 {
            let n = 2 + rng.below(12);
            let m = rng.below(40);
            let mut lines = vec![
                format!("p max {n} {m}"),
                "n 1 s".to_owned(),
                format!("n {n} t"),
            ];
            for _ in 0..m {
                let (u, v, c) = (1 + rng.below(n), 1 + rng.below(n), rng.below(100));
                lines.push(format!("a {u} {v} {c}"));
            }
            for _ in 0..rng.below(3) {
                let at = 1 + rng.below(lines.len());
                let line = odd[rng.below(odd.len())].to_owned();
                if rng.below(2) == 0 && at < lines.len() {
                    lines[at] = line;
                } else {
                    lines.insert(at.min(lines.len()), line);
                }
            }
            let mut text = lines.join("\n");
            if rng.below(2) == 0 {
                text.push('\n');
            }
            let one = parse(text.as_bytes(), usize::MAX).map_err(|e| e.to_string());
            let two = parse(text.as_bytes(), 1).map_err(|e| e.to_string());
            assert_eq!(one, two, "case {case}:\n{text}");
        }
    }

    #[test]
    fn round_trip() {
        let net = FlowNetwork::from_edges(3, &[(0, 1, 5), (1, 2, 3), (0, 2, 0)]).unwrap();
        let mut text = Vec::new();
        write_dimacs(&net, 0, 2, "test\nsecond line", &mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(text.starts_with("c test\nc second line\np max 3 3\nn 1 s\nn 3 t\na 1 2 5\n"));
        let p = problem(&text).unwrap();
        assert_eq!(p.arcs, vec![(0, 1, 5), (1, 2, 3), (0, 2, 0)]);
        assert_eq!((p.nodes, p.source, p.sink), (3, 0, 2));
    }

    #[test]
    fn quick_arcs_take_only_the_usual_form() {
        assert_eq!(quick_arc(b"a 1 2 3\nnext"), Some((1, 2, 3, 8)));
        assert_eq!(quick_arc(b"a\t10  20 \t30\r\n"), Some((10, 20, 30, 14)));
        assert_eq!(
            quick_arc(b"a 1 2 9999999999999999999"),
            Some((1, 2, 9_999_999_999_999_999_999, 25))
        );
        for line in [
            b"a1 2 3".as_slice(),
            b"a 1 2",
            b"a 1 2 3 4",
            b"a 1 2 -3",
            b"a 1 2 +3",
            b"a 1 2 3x",
            b"a 1 2 10000000000000000000",
            b"a 1 2 3 \x00",
            b"n 1 2 3",
            b"",
        ] {
            assert_eq!(quick_arc(line), None, "{:?}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn leading_zeros_do_not_count() {
        let p = problem("p max 02 1\nn 1 s\nn 2 t\na 1 2 0000000000000000000000005\n").unwrap();
        assert_eq!(p.arcs, vec![(0, 1, 5)]);
        assert_eq!(digits(b"000"), Some(0));
        assert_eq!(digits(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(digits(b"18446744073709551616"), None);
    }

    #[test]
    fn a_stray_byte_is_a_located_error() {
        let e = read_dimacs(b"p max 2 1\nn 1 s\nn 2 t\na \xff 2 3\n".as_slice())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 4: tail \"\u{fffd}\" is not a valid number"),
            "{e}"
        );
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("", "no problem line"),
            ("p min 2 1\n", "must be `max`"),
            ("a 1 2 3\n", "before the problem line"),
            (
                "p max 2 1\nn 1 s\nn 2 t\na 1 3 4\n",
                "line 4: head 3 is outside 1..=2",
            ),
            ("p max 2 1\nn 1 s\nn 2 t\na 1 2 -4\n", "negative capacity"),
            (
                "p max 2 1\nn 1 s\nn 2 t\na 1 2 99999999999999999999\n",
                "is not a whole number of at most 9223372036854775807",
            ),
            (
                "p max 2 1\nn 1 s\nn 2 t\na 1 2 9223372036854775808\n",
                "is not a whole number",
            ),
            (
                "p max 2 1\nn 1 s\nn 2 t\na 1 2 +3\n",
                "\"+3\" is not a whole",
            ),
            (
                "p max 2 1\nn 1 s\nn 2 t\na 1 2 3x\n",
                "\"3x\" is not a whole",
            ),
            (
                "p max 2 1\nn 1 s\nn 2 t\na 1 x 3\n",
                "head \"x\" is not a valid number",
            ),
            (
                "p max 2 1\nn 1 s\nn 2 t\na 1 2\n",
                "line 4: missing capacity",
            ),
            (
                "p max 2 0\nn 1 s\nn 2\n",
                "expected `s` or `t`, found nothing",
            ),
            (
                "p max 2 2\nn 1 s\nn 2 t\na 1 2 4\n",
                "1 arcs, but the problem line announced 2",
            ),
            ("p max 2 0\nn 1 s\nn 1 t\n", "the source is the sink"),
            ("p max 2 0\nn 1 s\nn 2 s\n", "a second source or sink"),
            ("p max 2 0\nn 1 s\nn 2 x\n", "expected `s` or `t`"),
            ("p max 2 0\nn 1 s\n", "no sink"),
            ("p max 2 0\nn 1 s\nn 2 t\nx\n", "unknown line type"),
            ("p max 2 0 7\n", "unexpected \"7\""),
            ("p max 3000000000 1\n", "exceed the limit"),
        ];
        for (text, expected) in cases {
            let e = problem(text).unwrap_err();
            assert!(e.contains(expected), "{text:?}: {e}");
        }
    }
}
