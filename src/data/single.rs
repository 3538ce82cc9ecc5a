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

/// The text of a small side file (a cleaning log, the expected columns of a
/// case sheet): UTF-8 without its BOM, or else Windows-1252, the two
/// encodings Excel saves CSV in.
pub fn decode_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{FEFF}').to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}
