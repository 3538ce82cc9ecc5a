//! One value typed outside a data file (a cleaning log's old and new values,
//! a value typed by hand): the same rules as a spreadsheet cell.

use super::cell::{convert, trim_cell, FieldConv, RawCell};
use super::schema::{FieldSpec, Value};

/// `Ok(None)` for a blank text (sin dato); `Err` with a Spanish reason when
/// the text cannot be read as the field's type.
pub fn parse_value(spec: &FieldSpec, text: &str) -> Result<Option<Value>, String> {
    if trim_cell(text).is_empty() {
        return Ok(None);
    }
    let conv = FieldConv::new(spec);
    let mut scratch = String::new();
    convert(&conv, RawCell::Text(text), &mut scratch).map(Some)
}
