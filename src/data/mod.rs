//! Data readers: turn a spreadsheet or JSON file into typed [`Row`]s, one per
//! organization, following the [`Schema`] declared by the rule file.

pub mod schema;

pub use schema::{CellError, FieldSpec, FieldType, Row, Schema, Value};
