//! Reading a dataset from JSON, reporting every broken record at once.
//!
//! The loader reads in two passes. First the document's skeleton: the top-level object, with
//! each field and each record kept as raw text (a syntax error stops here, with its line and
//! column). Then each top-level field and each record on its own, so that a wrong type in one
//! facility does not hide a wrong type in the next: every record that fails is reported with its
//! line, column, JSON path (`facilities[3].capacities[0].tonnes_per_year`) and, where it can be
//! read, its id. Unknown fields are errors (a misspelt field would otherwise be lost silently).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use thiserror::Error;

use crate::dataset::Dataset;

/// Largest dataset file accepted, in bytes (256 MiB).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// One problem found while parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseProblem {
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column (in bytes) in that line.
    pub column: usize,
    /// JSON path of the failing value, e.g. `facilities[3].capacities[0].tonnes_per_year`.
    pub path: String,
    /// The id of the record, if it could be read.
    pub record: Option<String>,
    /// The parser's message.
    pub message: String,
}

impl fmt::Display for ParseProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.path)?;
        if let Some(id) = &self.record {
            write!(f, " (record {id:?})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A dataset could not be read or parsed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("{} is {size} bytes; the limit is {limit} bytes", file.display())]
    TooLarge {
        /// The file.
        file: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The text is not a valid dataset: every problem found, in file order.
    #[error("{}", ParseProblems { file: file.as_deref(), problems })]
    Parse {
        /// The file, if the text came from one.
        file: Option<PathBuf>,
        /// The problems, in file order.
        problems: Vec<ParseProblem>,
    },
}

impl LoadError {
    /// The parse problems (empty for I/O and size errors).
    #[must_use]
    pub fn problems(&self) -> &[ParseProblem] {
        match self {
            LoadError::Parse { problems, .. } => problems,
            _ => &[],
        }
    }
}

struct ParseProblems<'a> {
    file: Option<&'a Path>,
    problems: &'a [ParseProblem],
}

impl fmt::Display for ParseProblems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self
            .file
            .map_or_else(|| "<input>".to_owned(), |p| p.display().to_string());
        let n = self.problems.len();
        write!(
            f,
            "{name}: {n} problem{} reading the dataset:",
            if n == 1 { "" } else { "s" }
        )?;
        for p in self.problems {
            write!(f, "\n  {name}:{p}")?;
        }
        Ok(())
    }
}

/// The skeleton: every top-level field as raw text. A field given as `null` is kept (as the raw
/// text `null`) so that it is reported as the wrong type, not as missing.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Skeleton<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    format_version: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    name: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    description: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    as_of: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    perspective: Option<&'a RawValue>,
    #[serde(borrow, default)]
    sources: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    compositions: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    facilities: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    links: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    demand: Vec<&'a RawValue>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&'de RawValue>::deserialize(d).map(Some)
}

/// Byte offsets of JSON numbers (outside strings) that an `f64` cannot hold exactly: more than
/// [`crate::MAX_EXACT_JSON_NUMBER_DIGITS`] significant digits with a fraction or an exponent, or an
/// integer beyond the 64-bit range. serde reads other integers exactly. Other JSON inputs of the
/// project (scenario files) refuse them as the dataset loader does.
///
/// ```
/// let found = midstream_domain::inexact_json_numbers(r#"{"a": 0.30000000000000001, "b": "0.3"}"#);
/// assert_eq!(found, vec![(6, "0.30000000000000001")]);
/// ```
#[must_use]
pub fn inexact_json_numbers(text: &str) -> Vec<(usize, &str)> {
    inexact_numbers(text)
}

fn inexact_numbers(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    let mut in_string = false;
    while let Some(&b) = bytes.get(i) {
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if b == b'-' || b.is_ascii_digit() {
            let start = i;
            while bytes.get(i).is_some_and(|c| {
                c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E')
            }) {
                i += 1;
            }
            let token = text.get(start..i).unwrap_or_default();
            let inexact = if token.contains(['.', 'e', 'E']) {
                crate::quantity::significant_digits(token) > crate::MAX_EXACT_JSON_NUMBER_DIGITS
            } else {
                token.parse::<i64>().is_err() && token.parse::<u64>().is_err()
            };
            if inexact {
                found.push((start, token));
            }
            continue;
        }
        i += 1;
    }
    found
}

#[derive(Deserialize)]
struct IdProbe {
    id: Option<serde_json::Value>,
}

/// The `id` of a raw record, if it has a string one.
fn record_id(raw: &RawValue) -> Option<String> {
    serde_json::from_str::<IdProbe>(raw.get())
        .ok()
        .and_then(|p| p.id)
        .and_then(|id| id.as_str().map(str::to_owned))
}

struct Reader<'a> {
    text: &'a str,
    problems: Vec<ParseProblem>,
    /// Where each line of the text starts, found on the first position asked for: a text with
    /// a million broken records is not scanned from its start once per problem.
    lines: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            problems: Vec::new(),
            lines: std::cell::OnceCell::new(),
        }
    }

    /// Line and column (1-based, bytes) of a byte offset into the text.
    fn position(&self, offset: usize) -> (usize, usize) {
        let starts = self.lines.get_or_init(|| {
            std::iter::once(0)
                .chain(
                    self.text
                        .bytes()
                        .enumerate()
                        .filter(|&(_, b)| b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect()
        });
        // The lines that start at or before `offset`; the last of them holds it.
        let line = starts.partition_point(|&start| start <= offset).max(1);
        let start = starts.get(line - 1).copied().unwrap_or(0);
        (line, offset.saturating_sub(start) + 1)
    }

    /// Byte offset of a raw value inside the text it was borrowed from.
    fn offset_of(&self, raw: &RawValue) -> usize {
        (raw.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize)
    }

    /// Parses one raw value; on failure records a problem at its absolute position.
    fn parse<T: DeserializeOwned>(
        &mut self,
        raw: &'a RawValue,
        path: &dyn fmt::Display,
    ) -> Option<T> {
        // Most values parse: read them straight, and track the path inside the value (which
        // costs a string per nested field) only to explain a failure.
        if let Ok(value) = serde_json::from_str::<T>(raw.get()) {
            return Some(value);
        }
        let path = path.to_string();
        let path = path.as_str();
        let mut de = serde_json::Deserializer::from_str(raw.get());
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(value) => Some(value),
            Err(err) => {
                let inner_path = err.path().to_string();
                let inner = err.into_inner();
                let base = self.offset_of(raw);
                let (base_line, base_column) = self.position(base);
                let (line, column) = if inner.line() <= 1 {
                    (base_line, base_column + inner.column().saturating_sub(1))
                } else {
                    (base_line + inner.line() - 1, inner.column())
                };
                let path = if inner_path == "." {
                    path.to_owned()
                } else if inner_path.starts_with('[') {
                    format!("{path}{inner_path}")
                } else {
                    format!("{path}.{inner_path}")
                };
                let record = record_id(raw);
                self.problems.push(ParseProblem {
                    line,
                    column,
                    path,
                    record,
                    message: strip_position(&inner.to_string()),
                });
                None
            }
        }
    }

    /// The record (section and index, and id if readable) whose text holds byte `offset`.
    fn locate(&self, skeleton: &Skeleton<'a>, offset: usize) -> (String, Option<String>) {
        let sections = [
            ("sources", &skeleton.sources),
            ("compositions", &skeleton.compositions),
            ("facilities", &skeleton.facilities),
            ("links", &skeleton.links),
            ("demand", &skeleton.demand),
        ];
        for (name, raws) in sections {
            // Records lie in text order: the last one starting at or before `offset` is the
            // only one that can hold it.
            let i = raws
                .partition_point(|raw| self.offset_of(raw) <= offset)
                .checked_sub(1);
            if let Some((i, raw)) = i.and_then(|i| Some((i, *raws.get(i)?))) {
                let start = self.offset_of(raw);
                if (start..start + raw.get().len()).contains(&offset) {
                    return (format!("{name}[{i}]"), record_id(raw));
                }
            }
        }
        ("$".to_owned(), None)
    }

    /// Parses a required top-level field, recording a problem if it is missing.
    fn required<T: DeserializeOwned>(
        &mut self,
        raw: Option<&'a RawValue>,
        field: &str,
    ) -> Option<T> {
        let Some(raw) = raw else {
            self.missing(field);
            return None;
        };
        self.parse(raw, &field)
    }

    fn missing(&mut self, field: &str) {
        self.problems.push(ParseProblem {
            line: 1,
            column: 1,
            path: field.to_owned(),
            record: None,
            message: format!("missing field `{field}`"),
        });
    }

    /// Parses each record of a section. A record must be a JSON object: serde would also read a
    /// struct from an array of its fields in order, which no dataset should rely on.
    ///
    /// Large sections are read by two threads, in chunks of [`RECORD_CHUNK`] records: this
    /// thread reads the even chunks, a helper the odd ones and hands each over as soon as it is
    /// read (at most two waiting), so records and problems come out in the same order as one
    /// thread gives and no more than a few chunks' records exist twice while they join.
    fn records<T: DeserializeOwned + Send>(
        &mut self,
        raws: &[&'a RawValue],
        section: &str,
    ) -> Vec<T> {
        let mut out = Vec::with_capacity(raws.len());
        if raws.len() < PARALLEL_RECORDS {
            self.records_into(raws, 0, section, &mut out);
            return out;
        }
        let chunks: Vec<(usize, &[&'a RawValue])> = raws
            .chunks(RECORD_CHUNK)
            .enumerate()
            .map(|(k, chunk)| (k * RECORD_CHUNK, chunk))
            .collect();
        let text = self.text;
        std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel::<Chunk<T>>(2);
            let odd = &chunks;
            let helper = std::thread::Builder::new().spawn_scoped(scope, move || {
                for &(first, chunk) in odd.iter().skip(1).step_by(2) {
                    let mut other = Reader::new(text);
                    let mut records = Vec::with_capacity(chunk.len());
                    other.records_into(chunk, first, section, &mut records);
                    if send.send((records, other.problems)).is_err() {
                        return;
                    }
                }
            });
            // Without a helper (none could be started, or it stopped), this thread reads the
            // chunks it would have handed over.
            let mut helped = helper.is_ok();
            for (k, &(first, chunk)) in chunks.iter().enumerate() {
                if k % 2 == 1 && helped {
                    if let Ok((records, problems)) = receive.recv() {
                        out.extend(records);
                        self.problems.extend(problems);
                        continue;
                    }
                    helped = false;
                }
                self.records_into(chunk, first, section, &mut out);
            }
            // Joined here, a helper that panicked is not a panic of this thread: its chunks
            // were read above.
            if let Ok(helper) = helper {
                drop(helper.join());
            }
        });
        out
    }

    /// [`Reader::records`] for the records `raws`, the first of which is number `first` of its
    /// section, appended to `out`.
    fn records_into<T: DeserializeOwned>(
        &mut self,
        raws: &[&'a RawValue],
        first: usize,
        section: &str,
        out: &mut Vec<T>,
    ) {
        out.extend(raws.iter().copied().zip(first..).filter_map(|(raw, i)| {
            if raw.get().starts_with('{') {
                self.parse(raw, &format_args!("{section}[{i}]"))
            } else {
                let (line, column) = self.position(self.offset_of(raw));
                self.problems.push(ParseProblem {
                    line,
                    column,
                    path: format!("{section}[{i}]"),
                    record: None,
                    message: format!(
                        "each entry of `{section}` is a JSON object ({{ ... }}), not {}",
                        json_kind(raw.get())
                    ),
                });
                None
            }
        }));
    }
}

/// The records of one chunk and the problems found in it.
type Chunk<T> = (Vec<T>, Vec<ParseProblem>);

/// Records per chunk when a section is read by two threads.
const RECORD_CHUNK: usize = 1024;

/// Sections of at least this many records are read by two threads.
const PARALLEL_RECORDS: usize = 4096;

/// Texts of at least this many bytes are scanned for inexact numbers by a second thread while
/// the first reads the skeleton.
const PARALLEL_SCAN: usize = 1 << 20;

/// The record part of a problem's path: `facilities[3]` of `facilities[3].capacities[0].x`.
fn record_path(path: &str) -> &str {
    path.find(']').and_then(|i| path.get(..=i)).unwrap_or(path)
}

/// What a raw JSON value is, in words.
fn json_kind(text: &str) -> &'static str {
    match text.as_bytes().first() {
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// serde_json appends " at line L column C" relative to the record; the loader gives the
/// absolute position separately, so the relative one is dropped.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Reads a text file for a loader: a regular file (checked before opening, since opening a FIFO
/// blocks until a writer appears) of at most [`MAX_FILE_BYTES`], in UTF-8.
///
/// # Errors
/// [`LoadError::Io`] if it cannot be read or is not a regular file, [`LoadError::TooLarge`] past
/// the limit, [`LoadError::Parse`] with the line and column of the first byte that is not UTF-8.
pub fn read_text_file(path: impl AsRef<Path>) -> Result<String, LoadError> {
    let path = path.as_ref();
    let io = |source| LoadError::Io {
        file: path.to_owned(),
        source,
    };
    // Look before opening: opening a FIFO would block until a writer appears.
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        )));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            file: path.to_owned(),
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    // Read at most one byte past the limit, in case the file grew since its size was read.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_FILE_BYTES + 1),
        &mut bytes,
    )
    .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            file: path.to_owned(),
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let valid =
                std::str::from_utf8(bytes.get(..bad).unwrap_or_default()).unwrap_or_default();
            let r = Reader::new(valid);
            let (line, column) = r.position(valid.len());
            Err(LoadError::Parse {
                file: Some(path.to_owned()),
                problems: vec![ParseProblem {
                    line,
                    column,
                    path: String::from("$"),
                    record: None,
                    message: format!(
                        "the file is not UTF-8 text: byte 0x{:02x} at offset {bad} is invalid",
                        bytes.get(bad).copied().unwrap_or_default()
                    ),
                }],
            })
        }
    }
}

impl Dataset {
    /// Parses a dataset from JSON text, reporting every broken record.
    ///
    /// ```
    /// use midstream_domain::Dataset;
    /// let err = Dataset::from_json_str(r#"{
    ///   "format_version": 1, "name": "broken", "as_of": "2024-12-31",
    ///   "facilities": [
    ///     {"id": "a", "name": "A", "country": "XX", "stage": "mining", "maturity": "operating"},
    ///     {"id": "b", "name": "B", "country": "AU", "stage": "digging", "maturity": "operating"}
    ///   ]
    /// }"#).unwrap_err();
    /// assert_eq!(err.problems().len(), 2);
    /// assert_eq!(err.problems()[0].path, "facilities[0].country");
    /// assert_eq!(err.problems()[0].line, 4);
    /// assert_eq!(err.problems()[1].record.as_deref(), Some("b"));
    /// ```
    ///
    /// # Errors
    /// [`LoadError::Parse`] with every problem found.
    pub fn from_json_str(text: &str) -> Result<Dataset, LoadError> {
        Self::parse_text(text, None)
    }

    /// Reads and parses a dataset file (at most [`MAX_FILE_BYTES`]).
    ///
    /// # Errors
    /// [`LoadError::Io`] if the file cannot be read, [`LoadError::TooLarge`] past the limit,
    /// [`LoadError::Parse`] with every problem found, naming the file.
    pub fn from_json_file(path: impl AsRef<Path>) -> Result<Dataset, LoadError> {
        let path = path.as_ref();
        let text = read_text_file(path)?;
        Self::parse_text(&text, Some(path))
    }

    #[allow(clippy::too_many_lines)] // Reason: the skeleton, then each section in order.
    fn parse_text(text: &str, file: Option<&Path>) -> Result<Dataset, LoadError> {
        let fail = |problems| LoadError::Parse {
            file: file.map(Path::to_owned),
            problems,
        };
        // serde would read a struct from an array too; a dataset is an object.
        let first = text.find(|c: char| !c.is_whitespace());
        if let Some(offset) = first.filter(|&i| !text[i..].starts_with('{')) {
            let r = Reader::new(text);
            let (line, column) = r.position(offset);
            return Err(fail(vec![ParseProblem {
                line,
                column,
                path: String::from("$"),
                record: None,
                message: "a dataset is a JSON object ({ ... })".to_owned(),
            }]));
        }
        // The scan for inexact numbers reads the whole text, as does the skeleton: on a large
        // text, both at once.
        let (skeleton, inexact) = if text.len() >= PARALLEL_SCAN {
            std::thread::scope(|scope| {
                let helper =
                    std::thread::Builder::new().spawn_scoped(scope, || inexact_numbers(text));
                let skeleton = serde_json::from_str::<Skeleton<'_>>(text);
                (skeleton, helper.ok().and_then(|h| h.join().ok()))
            })
        } else {
            (serde_json::from_str::<Skeleton<'_>>(text), None)
        };
        let skeleton = match skeleton {
            Ok(s) => s,
            Err(e) => {
                return Err(fail(vec![ParseProblem {
                    line: e.line(),
                    column: e.column(),
                    path: String::from("$"),
                    record: None,
                    message: strip_position(&e.to_string()),
                }]));
            }
        };
        let mut r = Reader::new(text);
        let format_version = r.required::<u32>(skeleton.format_version, "format_version");
        let name = r.required::<String>(skeleton.name, "name");
        let as_of = r.required::<crate::date::Date>(skeleton.as_of, "as_of");
        let description = skeleton
            .description
            .and_then(|raw| r.parse::<Option<String>>(raw, &"description"))
            .flatten();
        let perspective = skeleton
            .perspective
            .and_then(|raw| r.parse::<Option<crate::Perspective>>(raw, &"perspective"))
            .flatten();
        let sources = r.records(&skeleton.sources, "sources");
        let compositions = r.records(&skeleton.compositions, "compositions");
        let facilities = r.records(&skeleton.facilities, "facilities");
        let links = r.records(&skeleton.links, "links");
        let demand = r.records(&skeleton.demand, "demand");
        let inexact = inexact.unwrap_or_else(|| inexact_numbers(text));
        let inexact: Vec<ParseProblem> = inexact
            .into_iter()
            .map(|(offset, token)| {
                let (line, column) = r.position(offset);
                let (path, record) = r.locate(&skeleton, offset);
                ParseProblem {
                    line,
                    column,
                    path,
                    record,
                    message: crate::QuantityError::Inexact {
                        text: token.to_owned(),
                    }
                    .to_string(),
                }
            })
            .collect();
        if !inexact.is_empty() {
            // A record's own parse may have refused the same numbers, less precisely placed:
            // those problems give way to the scan's, which name each number.
            let records: std::collections::BTreeSet<&str> =
                inexact.iter().map(|p| p.path.as_str()).collect();
            r.problems.retain(|p| {
                !(p.message.starts_with("the JSON number")
                    && records.contains(record_path(&p.path)))
            });
            r.problems.extend(inexact);
        }
        if !r.problems.is_empty() {
            let mut problems = r.problems;
            problems.sort_by_key(|p| (p.line, p.column));
            return Err(fail(problems));
        }
        match (format_version, name, as_of) {
            (Some(format_version), Some(name), Some(as_of)) => Ok(Dataset {
                format_version,
                name,
                description,
                as_of: as_of.0,
                perspective,
                sources,
                compositions,
                facilities,
                links,
                demand,
            }),
            // Each `None` above pushed a problem, so this arm is not reached; stay total anyway.
            _ => Err(fail(Vec::new())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A large text (two threads read its records, a second scans its numbers) reports the
    /// same problems, in file order with their paths, as records read one by one would; and
    /// the records that parse keep their order.
    #[test]
    fn large_sections_read_by_two_threads_keep_order_and_problems() {
        let n = 6000;
        let mut text = String::from(
            "{\"format_version\": 1, \"name\": \"big\", \"as_of\": \"2024-12-31\",\n\"facilities\": [\n",
        );
        for i in 0..n {
            let country = if i == 10 || i == 5990 { "XX" } else { "AU" };
            let tonnes = if i == 4000 {
                "1.00000000000000000001".to_owned()
            } else {
                format!("\"{i}\"")
            };
            let record = if i == 3001 {
                "[1, 2]".to_owned()
            } else {
                format!(
                    "{{\"id\": \"f{i}\", \"name\": \"Facility number {i}\", \"country\": \"{country}\", \
                     \"stage\": \"mining\", \"maturity\": \"operating\", \"capacities\": \
                     [{{\"commodity\": \"NdPr:oxide\", \"tonnes_per_year\": {tonnes}}}]}}"
                )
            };
            text.push_str(&record);
            text.push_str(if i + 1 < n { ",\n" } else { "\n" });
        }
        text.push_str("]}\n");
        assert!(text.len() >= PARALLEL_SCAN);
        let err = Dataset::from_json_str(&text).unwrap_err();
        let found: Vec<(usize, &str, Option<&str>)> = err
            .problems()
            .iter()
            .map(|p| (p.line, p.path.as_str(), p.record.as_deref()))
            .collect();
        assert_eq!(
            found,
            vec![
                (13, "facilities[10].country", Some("f10")),
                (3004, "facilities[3001]", None),
                (4003, "facilities[4000]", Some("f4000")),
                (5993, "facilities[5990].country", Some("f5990")),
            ]
        );
        assert!(err.problems()[2].message.contains("1.00000000000000000001"));
        // Without the broken records, every facility is read, in order.
        let fixed = text
            .replace("\"XX\"", "\"AU\"")
            .replace("[1, 2]", "{\"id\": \"f3001\", \"name\": \"x\", \"country\": \"AU\", \"stage\": \"mining\", \"maturity\": \"operating\"}")
            .replace("1.00000000000000000001", "\"1\"");
        let data = Dataset::from_json_str(&fixed).unwrap();
        assert_eq!(data.facilities.len(), n);
        for (i, f) in data.facilities.iter().enumerate() {
            assert_eq!(f.id.as_str(), format!("f{i}"));
        }
    }

    /// Every inexact number is reported, two in one record included, and a record's own
    /// "JSON number" problem gives way only to the scan's problems in that same record
    /// (`facilities[1]` is not a prefix match for `facilities[10]`).
    #[test]
    fn every_inexact_number_is_reported_in_its_own_record() {
        let record = |i: usize, tonnes: &str, ramp: &str| {
            format!(
                "{{\"id\": \"f{i}\", \"name\": \"F\", \"country\": \"AU\", \"stage\": \"mining\", \
                 \"maturity\": \"operating\", \"capacities\": [{{\"commodity\": \"NdPr:oxide\", \
                 \"tonnes_per_year\": {tonnes}, \"ramp\": [{ramp}]}}]}}"
            )
        };
        let mut records: Vec<String> = (0..11).map(|i| record(i, "\"5\"", "")).collect();
        records[1] = record(
            1,
            "1.00000000000000000001",
            "{\"year\": 2030, \"tonnes\": 2.00000000000000000002}",
        );
        let text = format!(
            "{{\"format_version\": 1, \"name\": \"x\", \"as_of\": \"2024-12-31\",\n\"facilities\": [\n{}\n]}}",
            records.join(",\n")
        );
        let err = Dataset::from_json_str(&text).unwrap_err();
        let inexact: Vec<(usize, &str)> = err
            .problems()
            .iter()
            .filter(|p| p.message.starts_with("the JSON number"))
            .map(|p| (p.line, p.path.as_str()))
            .collect();
        assert_eq!(inexact, vec![(4, "facilities[1]"), (4, "facilities[1]")]);
        let numbers: Vec<bool> = ["1.00000000000000000001", "2.00000000000000000002"]
            .iter()
            .map(|n| err.problems().iter().any(|p| p.message.contains(n)))
            .collect();
        assert_eq!(numbers, vec![true, true]);
    }

    /// A text with a great many broken records reports each at its own line (the line index is
    /// built once, not scanned again per problem).
    #[test]
    fn many_broken_records_each_at_its_line() {
        let n = 20_000;
        let records: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "{{\"id\": \"f{i}\", \"name\": \"F\", \"country\": \"XX\", \"stage\": \"mining\", \
                     \"maturity\": \"operating\"}}"
                )
            })
            .collect();
        let text = format!(
            "{{\"format_version\": 1, \"name\": \"x\", \"as_of\": \"2024-12-31\",\n\"facilities\": [\n{}\n]}}",
            records.join(",\n")
        );
        let err = Dataset::from_json_str(&text).unwrap_err();
        assert_eq!(err.problems().len(), n);
        for (i, p) in err.problems().iter().enumerate() {
            assert_eq!(p.line, i + 3, "{p}");
            assert_eq!(p.path, format!("facilities[{i}].country"));
        }
    }

    #[test]
    fn syntax_error_has_position() {
        let err = Dataset::from_json_str("{\n  \"name\": \"x\",\n  oops\n}").unwrap_err();
        let p = &err.problems()[0];
        assert_eq!((p.line, p.column), (3, 3));
        assert!(p.message.contains("key must be a string"), "{}", p.message);
    }

    #[test]
    fn positions_inside_records_are_absolute() {
        let text = "{\"format_version\": 1, \"name\": \"x\", \"as_of\": \"2024-01-01\",\n\
                    \"sources\": [\n  {\"id\": \"s\", \"publisher\": \"p\", \"title\": \"t\",\n   \"year\": \"soon\"}\n]}";
        let err = Dataset::from_json_str(text).unwrap_err();
        let p = &err.problems()[0];
        assert_eq!(p.path, "sources[0].year");
        assert_eq!(p.record.as_deref(), Some("s"));
        assert_eq!(p.line, 4);
        assert!(p.column > 1);
    }

    #[test]
    fn missing_required_fields_are_each_reported() {
        let err = Dataset::from_json_str("{}").unwrap_err();
        let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, vec!["format_version", "name", "as_of"]);
    }

    #[test]
    fn unknown_top_level_field_is_an_error() {
        let err = Dataset::from_json_str(
            r#"{"format_version": 1, "name": "x", "as_of": "2024-01-01", "facilitys": []}"#,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("unknown field `facilitys`"),
            "{err}"
        );
    }

    #[test]
    fn file_errors_name_the_file() {
        let err = Dataset::from_json_file("/nonexistent/dataset.json").unwrap_err();
        assert!(
            err.to_string().contains("/nonexistent/dataset.json"),
            "{err}"
        );
    }
}
