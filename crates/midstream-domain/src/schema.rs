//! The JSON Schema of the dataset format, generated from the types.

/// The JSON Schema (draft 2020-12) of a [`crate::Dataset`] file.
///
/// The committed copy is `docs/dataset.schema.json`; a test fails when it is out of date
/// (regenerate with `MIDSTREAM_BLESS=1 cargo test -p midstream-domain --test it schema`).
///
/// ```
/// let schema = midstream_domain::dataset_schema();
/// assert_eq!(schema["title"], "Dataset");
/// assert!(schema["properties"]["facilities"].is_object());
/// ```
#[must_use]
pub fn dataset_schema() -> serde_json::Value {
    schemars::schema_for!(crate::Dataset).to_value()
}
