//! What-if settings applied when a supply graph is built.

use std::collections::{BTreeMap, BTreeSet};

use midstream_domain::{
    Alignment, Commodity, CompositionId, Control, Country, Element, FacilityId, LinkId, MAX_TONNES,
    MAX_YEAR, MIN_YEAR, Tonnes, ValidDataset,
};
use serde::{Deserialize, Serialize};

use crate::error::GraphError;

/// A what-if: which year, which suppliers count, which capacities change.
///
/// The default scenario is the dataset as it stands: its as-of year, every producing facility at
/// its capacity for that year, no project assumed online, no country excluded.
///
/// ```
/// use midstream_graph::Scenario;
/// let s: Scenario = serde_json::from_str(r#"{
///     "year": 2027,
///     "export_stops": ["CN"],
///     "aligned_up_to": "partner",
///     "projects_online": ["kz-separation"]
/// }"#)?;
/// assert_eq!(s.year, Some(2027));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Scenario {
    /// The calendar year: ramp schedules and demand are read for it. Default: the dataset's
    /// as-of year.
    pub year: Option<i32>,
    /// Countries whose facilities are removed entirely (sanctions, conflict, a "what if they
    /// were gone").
    pub exclude_countries: BTreeSet<Country>,
    /// Countries whose output may not leave the country: their facilities still supply their
    /// own country's facilities and buyers, but nothing abroad (e.g. an export ban on Dy and Tb).
    pub export_stops: BTreeSet<Country>,
    /// Export controls on some commodities only (China's 2025 licensing of seven medium and
    /// heavy rare earths): like an export stop, for the commodities each control covers.
    pub export_controls: Vec<ExportControl>,
    /// Facilities removed.
    pub exclude_facilities: BTreeSet<FacilityId>,
    /// Only suppliers the dataset's perspective country regards at least this closely count
    /// (`partner`: allies and partners; `multi_vector`: also multi-vector countries).
    /// Countries the perspective does not classify are excluded under a filter.
    pub aligned_up_to: Option<Alignment>,
    /// Capacities replaced (tonnes per year of the graph's commodity), whatever the maturity.
    pub capacity_overrides: BTreeMap<FacilityId, Tonnes>,
    /// Projects assumed to produce (per their ramp schedule or planned first production).
    pub projects_online: BTreeSet<FacilityId>,
    /// Every project assumed to produce.
    pub all_projects_online: bool,
    /// Links with a restriction (export licence, quota, ban) carry nothing.
    pub block_restricted_links: bool,
    /// Whose country an export stop, an exclusion and an alignment filter look at: the site's
    /// (default) or the owner's (material-balance model; format 2 names owners).
    pub control: Control,
    /// Links that carry nothing (material-balance model).
    pub cut_links: BTreeSet<LinkId>,
    /// Links capped at these tonnes per year (material-balance model).
    pub link_caps: BTreeMap<LinkId, Tonnes>,
    /// Links forced to carry at least these tonnes per year (material-balance model).
    pub forced_links: BTreeMap<LinkId, Tonnes>,
    /// Feed compositions that are not available (e.g. no Myanmar ionic-clay feed): their
    /// extraction produces nothing (material-balance model).
    pub exclude_compositions: BTreeSet<CompositionId>,
    /// The named demand case to read (material-balance model); without it, demand records
    /// without a case.
    pub demand_case: Option<String>,
    /// Facilities whose capacities are read at one end of their stated range
    /// (`Capacity::range`) instead of their figure: the outlook's input uncertainty. Set by
    /// programs, not read from scenario files.
    #[serde(skip)]
    #[schemars(skip)]
    pub capacity_ends: BTreeMap<FacilityId, RangeEnd>,
}

/// One end of a capacity's stated range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RangeEnd {
    /// The low end.
    Low,
    /// The high end.
    High,
}

/// A country's control of its exports of some commodities: what it covers may not leave the
/// country (read, like an export stop, by [`Scenario::control`]); the rest moves freely.
///
/// A commodity is covered when it is listed, or when its element set holds a listed element
/// (`Dy:oxide`, `DyTb:oxide` and `REO:concentrate` hold Dy; `NdPr:oxide` does not). A product
/// made by recipe is covered only when listed: `NdPr:magnet` names no Dy even where its recipe
/// uses some.
///
/// ```
/// use midstream_graph::Scenario;
/// let s = Scenario::from_json_str(r#"{"export_controls": [
///     {"country": "CN", "elements": ["Dy", "Tb"], "commodities": ["NdPr:magnet"]}]}"#)?;
/// let cn = "CN".parse()?;
/// assert!(s.stops_export(cn, &"Dy:oxide".parse()?));
/// assert!(s.stops_export(cn, &"NdPr:magnet".parse()?));
/// assert!(!s.stops_export(cn, &"NdPr:oxide".parse()?));
/// assert!(!s.stops_export("AU".parse()?, &"Dy:oxide".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportControl {
    /// The controlling country.
    pub country: Country,
    /// Elements whose commodities are covered.
    #[serde(default)]
    pub elements: BTreeSet<Element>,
    /// Commodities covered by name.
    #[serde(default)]
    pub commodities: BTreeSet<Commodity>,
    /// The measure (an announcement, its date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl ExportControl {
    /// Whether the control covers `commodity`.
    #[must_use]
    pub fn covers(&self, commodity: &Commodity) -> bool {
        self.commodities.contains(commodity)
            || self
                .elements
                .iter()
                .any(|e| commodity.elements().contains(*e))
    }
}

impl Scenario {
    /// Whether `country`'s exports of `commodity` are stopped: by an export stop, or by an
    /// export control that covers the commodity.
    #[must_use]
    pub fn stops_export(&self, country: Country, commodity: &Commodity) -> bool {
        self.export_stops.contains(&country)
            || self
                .export_controls
                .iter()
                .any(|c| c.country == country && c.covers(commodity))
    }

    /// The baseline: the dataset as it stands.
    #[must_use]
    pub fn baseline() -> Self {
        Self::default()
    }

    /// Reads a scenario from JSON, refusing unknown fields.
    ///
    /// ```
    /// use midstream_graph::{GraphError, Scenario};
    /// let s = Scenario::from_json_str(r#"{"export_stops": ["CN"]}"#)?;
    /// assert_eq!(s.export_stops.len(), 1);
    /// let e = Scenario::from_json_str("{\n  \"year\": \"soon\"\n}").unwrap_err();
    /// assert!(matches!(e, GraphError::ScenarioParse { line: 2, ref path, .. } if path == "year"));
    /// # Ok::<(), GraphError>(())
    /// ```
    ///
    /// # Errors
    /// [`GraphError::ScenarioParse`] with the line, column and JSON path of the first problem.
    pub fn from_json_str(text: &str) -> Result<Self, GraphError> {
        let located = |path: String, e: &serde_json::Error| {
            // serde_json appends the position to its message; it is reported on its own here.
            let message = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            GraphError::ScenarioParse {
                line: e.line(),
                column: e.column(),
                path,
                message: message.strip_suffix(&suffix).unwrap_or(&message).to_owned(),
            }
        };
        // The shape first: one JSON object, no key twice in any object (serde would keep the
        // last of a map's duplicates), every number exact.
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize::<_, UniqueKeys>(&mut de)
            .map_err(|e| located(e.path().to_string(), e.inner()))?;
        if let Some((offset, number)) = midstream_domain::inexact_json_numbers(text).first() {
            let before = text.get(..*offset).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let column = before
                .rfind('\n')
                .map_or(before.len(), |n| before.len() - n - 1)
                + 1;
            return Err(GraphError::ScenarioParse {
                line,
                column,
                path: String::from("."),
                message: format!(
                    "the number {number} cannot be read exactly; write it as a string (\"{number}\") \
                     or with at most {} significant digits",
                    midstream_domain::MAX_EXACT_JSON_NUMBER_DIGITS
                ),
            });
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let scenario: Self = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| located(e.path().to_string(), e.inner()))?;
        de.end().map_err(|e| located(String::from("."), &e))?;
        Ok(scenario)
    }

    /// Reads a scenario file (at most [`midstream_domain::MAX_FILE_BYTES`]) and checks it
    /// against `data`, reporting every problem at once: the file's first syntax or type
    /// problem (reading stops there), or every reference and value the dataset refuses.
    ///
    /// ```
    /// # use midstream_domain::Dataset;
    /// # use midstream_graph::{GraphError, Scenario};
    /// # let data = Dataset::from_json_str(r#"{"format_version": 1, "name": "toy",
    /// #   "as_of": "2024-12-31", "facilities": [
    /// #   {"id": "mine", "name": "Mine", "country": "AU", "stage": "mining", "maturity": "operating",
    /// #    "capacities": [{"commodity": "NdPr:oxide", "tonnes_per_year": "100"}]}]}"#)?.validate()?;
    /// let path = std::env::temp_dir().join(format!("scenario-doc-{}.json", std::process::id()));
    /// std::fs::write(&path, r#"{"export_stops": ["CN"], "projects_online": ["nope"], "year": 3000}"#)?;
    /// let err = Scenario::from_json_file(&path, &data).unwrap_err();
    /// let GraphError::ScenarioFile { problems, .. } = &err else { panic!("{err}") };
    /// assert_eq!(problems.len(), 3); // the year, the facility, the country: all at once
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`GraphError::Io`] if the file cannot be read; [`GraphError::ScenarioFile`] naming the
    /// file, with the problems.
    pub fn from_json_file(
        path: impl AsRef<std::path::Path>,
        data: &ValidDataset,
    ) -> Result<Self, GraphError> {
        let path = path.as_ref();
        let failed = |problems: Vec<GraphError>| GraphError::ScenarioFile {
            file: path.to_owned(),
            problems,
        };
        let text = midstream_domain::read_text_file(path).map_err(|e| match e {
            midstream_domain::LoadError::Io { file, source } => GraphError::Io { file, source },
            other => failed(vec![GraphError::ScenarioValue {
                field: String::from("(the file)"),
                message: other.to_string(),
            }]),
        })?;
        let scenario = Self::from_json_str(&text).map_err(|e| failed(vec![e]))?;
        let problems = scenario.problems(data);
        if problems.is_empty() {
            Ok(scenario)
        } else {
            Err(failed(problems))
        }
    }

    /// Checks the scenario against `data` ([`Scenario::problems`]) and returns the first
    /// problem.
    ///
    /// # Errors
    /// [`GraphError::UnknownFacility`], [`GraphError::UnknownCountry`],
    /// [`GraphError::NoPerspective`] or [`GraphError::ScenarioValue`], naming the scenario field.
    pub fn check(&self, data: &ValidDataset) -> Result<(), GraphError> {
        match self.problems(data).into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// Every problem of the scenario against `data`, in field order: every facility, link,
    /// composition and country it names must exist in the dataset, an alignment filter needs a
    /// perspective to read, the year must lie in [`MIN_YEAR`]..=[`MAX_YEAR`] and tonnages in
    /// 0..=[`MAX_TONNES`] (the dataset's own rules).
    #[must_use]
    pub fn problems(&self, data: &ValidDataset) -> Vec<GraphError> {
        let mut problems = Vec::new();
        if let Some(year) = self.year
            && !(MIN_YEAR..=MAX_YEAR).contains(&year)
        {
            problems.push(GraphError::ScenarioValue {
                field: String::from("year"),
                message: format!("{year} is outside {MIN_YEAR}..={MAX_YEAR}"),
            });
        }
        for (id, tonnes) in &self.capacity_overrides {
            if tonnes.is_negative() || tonnes.value() > MAX_TONNES {
                problems.push(GraphError::ScenarioValue {
                    field: format!("capacity_overrides.{}", id.as_str()),
                    message: format!("{tonnes} is outside 0..={MAX_TONNES} t"),
                });
            }
        }
        for (field, map) in [
            ("link_caps", &self.link_caps),
            ("forced_links", &self.forced_links),
        ] {
            for (id, tonnes) in map {
                if tonnes.is_negative() || tonnes.value() > MAX_TONNES {
                    problems.push(GraphError::ScenarioValue {
                        field: format!("{field}.{}", id.as_str()),
                        message: format!("{tonnes} is outside 0..={MAX_TONNES} t"),
                    });
                }
            }
        }
        let links: BTreeSet<&str> = data.links.iter().map(|l| l.id.as_str()).collect();
        for (field, ids) in [
            ("cut_links", self.cut_links.iter().collect::<Vec<_>>()),
            ("link_caps", self.link_caps.keys().collect()),
            ("forced_links", self.forced_links.keys().collect()),
        ] {
            for id in ids.into_iter().filter(|id| !links.contains(id.as_str())) {
                problems.push(GraphError::ScenarioValue {
                    field: field.to_owned(),
                    message: format!("link {:?} is not in the dataset", id.as_str()),
                });
            }
        }
        for id in self
            .exclude_compositions
            .iter()
            .filter(|id| data.composition(id.as_str()).is_none())
        {
            problems.push(GraphError::ScenarioValue {
                field: String::from("exclude_compositions"),
                message: format!("composition {:?} is not in the dataset", id.as_str()),
            });
        }
        let facility_lists: [(&'static str, Vec<&FacilityId>); 3] = [
            (
                "exclude_facilities",
                self.exclude_facilities.iter().collect(),
            ),
            (
                "capacity_overrides",
                self.capacity_overrides.keys().collect(),
            ),
            ("projects_online", self.projects_online.iter().collect()),
        ];
        for (field, ids) in facility_lists {
            for id in ids
                .into_iter()
                .filter(|id| data.facility(id.as_str()).is_none())
            {
                problems.push(GraphError::UnknownFacility {
                    field,
                    facility: id.clone(),
                });
            }
        }
        self.country_problems(data, &mut problems);
        if self.aligned_up_to.is_some() && data.perspective.is_none() {
            problems.push(GraphError::NoPerspective);
        }
        problems
    }

    /// The problems of the fields that name countries: each must have a facility (by site or
    /// owner) in the dataset, and an export control must cover something.
    fn country_problems(&self, data: &ValidDataset, problems: &mut Vec<GraphError>) {
        let present: BTreeSet<Country> = data
            .facilities
            .iter()
            .flat_map(|f| [f.country, f.country_by(Control::Owner)])
            .collect();
        for (field, countries) in [
            ("exclude_countries", &self.exclude_countries),
            ("export_stops", &self.export_stops),
        ] {
            for c in countries.iter().filter(|c| !present.contains(c)) {
                problems.push(GraphError::UnknownCountry { field, country: *c });
            }
        }
        for (k, control) in self.export_controls.iter().enumerate() {
            if !present.contains(&control.country) {
                problems.push(GraphError::UnknownCountry {
                    field: "export_controls",
                    country: control.country,
                });
            }
            if control.elements.is_empty() && control.commodities.is_empty() {
                problems.push(GraphError::ScenarioValue {
                    field: format!("export_controls[{k}]"),
                    message: String::from(
                        "covers nothing: list the elements or commodities it controls",
                    ),
                });
            }
        }
    }
}

/// A JSON document checked for its shape only: an object at the top, and no key twice in any
/// object. Deserialising it reads the whole document and keeps nothing.
struct UniqueKeys;

impl<'de> serde::Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ShapeVisitor { top: true })
            .map(|()| UniqueKeys)
    }
}

/// Visits any JSON value; maps must not repeat a key; the top value must be a map.
struct ShapeVisitor {
    top: bool,
}

/// Any JSON value below the top, checked for repeated keys.
struct AnyValue;

impl<'de> serde::Deserialize<'de> for AnyValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ShapeVisitor { top: false })
            .map(|()| AnyValue)
    }
}

impl<'de> serde::de::Visitor<'de> for ShapeVisitor {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.top {
            f.write_str("a JSON object (a scenario's fields by name)")
        } else {
            f.write_str("a JSON value")
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(serde::de::Error::custom(format!(
                    "the key {key:?} appears twice; give it once"
                )));
            }
            map.next_value::<AnyValue>()?;
        }
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.top {
            return Err(serde::de::Error::custom(
                "the file holds a list; a scenario file is one JSON object (its fields by name)",
            ));
        }
        while seq.next_element::<AnyValue>()?.is_some() {}
        Ok(())
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(serde::de::Unexpected::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(serde::de::Unexpected::Signed(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(serde::de::Unexpected::Unsigned(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        self.scalar(serde::de::Unexpected::Float(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        self.scalar(serde::de::Unexpected::Str(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.scalar(serde::de::Unexpected::Unit)
    }
}

impl ShapeVisitor {
    /// A scalar: fine below the top, refused as the whole document.
    fn scalar<E: serde::de::Error>(&self, what: serde::de::Unexpected<'_>) -> Result<(), E> {
        if self.top {
            Err(E::custom(format!(
                "the file holds {what}; a scenario file is one JSON object (its fields by name)"
            )))
        } else {
            Ok(())
        }
    }
}
