//! JSON files: `.json` holds a list of objects (also Kobo's `{"results": […]}`
//! and ODK's `{"value": […]}`); `.jsonl`/`.ndjson` one object per line, streamed.
//!
//! Each key is a column; nested objects are flattened with `/` (`{"gobernanza":
//! {"nit": "si"}}` → `gobernanza/nit`), so group paths match like in a CSV. A
//! key missing from an object, or `null`, is a blank cell.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde_json::{Map, Value as Json};

use super::cell::RawCell;
use super::error::{path_text, DataFileError};
use super::header::{map_columns, HeaderMatcher};
use super::row::RowBuilder;
use super::schema::{Row, Schema};
use super::Detected;

/// Prefix of the entry that keeps the values of a key repeated in one object
/// (see [`NoDuplicates`]); not a key anyone writes.
const REPEATED: &str = "\u{0}repetida\u{0}";

/// A JSON value as serde_json reads it, except that a key repeated in one
/// object is not silently replaced by its last value: the later values are
/// kept under [`REPEATED`] + the key, and the row is rejected for it.
struct NoDuplicates(Json);

impl<'de> serde::Deserialize<'de> for NoDuplicates {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NoDuplicatesVisitor).map(NoDuplicates)
    }
}

struct NoDuplicatesVisitor;

impl<'de> serde::de::Visitor<'de> for NoDuplicatesVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("un valor JSON")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
        Ok(Json::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Json, E> {
        Ok(Json::from(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
        Ok(Json::from(n))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Json, E> {
        Ok(serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number))
    }
    fn visit_str<E>(self, s: &str) -> Result<Json, E> {
        Ok(Json::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Json, E> {
        Ok(Json::String(s))
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(NoDuplicatesVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(NoDuplicates(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut obj = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let NoDuplicates(value) = map.next_value()?;
            if !obj.contains_key(&key) {
                obj.insert(key, value);
                continue;
            }
            let again = format!("{REPEATED}{key}");
            match obj.get_mut(&again) {
                Some(Json::Array(values)) => values.push(value),
                _ => {
                    obj.insert(again, Json::Array(vec![value]));
                }
            }
        }
        Ok(Json::Object(obj))
    }
}

const LIST_MESSAGE: &str =
    "la celda tiene una lista de valores; se esperaba un solo valor (texto, número o sí/no)";

/// Keys of the objects, in the order first seen, with their column number.
#[derive(Default)]
struct Keys {
    order: Vec<String>,
    index: HashMap<String, usize>,
}

impl Keys {
    fn collect(&mut self, obj: &Map<String, Json>, prefix: &mut String) {
        for (k, v) in obj.iter().filter(|(k, _)| !k.starts_with(REPEATED)) {
            let len = prefix.len();
            prefix.push_str(k);
            if let Json::Object(inner) = v {
                prefix.push('/');
                self.collect(inner, prefix);
            } else if !self.index.contains_key(prefix.as_str()) {
                self.index.insert(prefix.clone(), self.order.len());
                self.order.push(prefix.clone());
            }
            prefix.truncate(len);
        }
    }
}

/// Typed rows from JSON objects, shared by both JSON formats.
struct ObjectTyper {
    builder: RowBuilder,
    keys: HashMap<String, usize>,
    prefix: String,
}

impl ObjectTyper {
    fn new(
        path: &Path,
        schema: &Schema,
        keys: Keys,
        format: &str,
        missing_as_blank: bool,
    ) -> Result<(ObjectTyper, Detected), DataFileError> {
        if keys.order.is_empty() {
            return Err(DataFileError::Empty {
                path: path_text(path),
            });
        }
        let map = map_columns(
            &HeaderMatcher::new(schema),
            schema,
            keys.order,
            path,
            missing_as_blank,
        )?;
        let detected = Detected {
            format: format.to_string(),
            separator: None,
            encoding: Some("UTF-8".to_string()),
            sheet: None,
            header_row: 0,
            warnings: map.warnings.clone(),
            ignored_columns: map.ignored.clone(),
        };
        let typer = ObjectTyper {
            builder: RowBuilder::new(schema, &map),
            keys: keys.index,
            prefix: String::new(),
        };
        Ok((typer, detected))
    }

    fn row(&mut self, line: usize, value: &Json) -> Row {
        let mut row = self.builder.start(line);
        match value {
            Json::Object(obj) => {
                self.prefix.clear();
                self.fill(&mut row, obj);
                self.builder.finish(&mut row);
            }
            other => RowBuilder::row_error(
                &mut row,
                format!(
                    "se esperaba un objeto `{{\"codigo\": …}}` y hay {}",
                    json_kind(other)
                ),
            ),
        }
        row
    }

    fn fill(&mut self, row: &mut Row, obj: &Map<String, Json>) {
        for (k, v) in obj {
            if let Some(key) = k.strip_prefix(REPEATED) {
                // Only a key that holds a field matters.
                let full = format!("{}{key}", self.prefix);
                if !self
                    .keys
                    .get(full.as_str())
                    .is_some_and(|&c| self.builder.is_field_column(c))
                {
                    continue;
                }
                RowBuilder::row_error(
                    row,
                    format!(
                        "la clave `{full}` aparece más de una vez en este objeto y no se sabe \
                         cuál vale; deje una sola"
                    ),
                );
                continue;
            }
            let len = self.prefix.len();
            self.prefix.push_str(k);
            if let Json::Object(inner) = v {
                self.prefix.push('/');
                self.fill(row, inner);
            } else if let Some(&c) = self.keys.get(self.prefix.as_str()) {
                if self.builder.is_field_column(c) {
                    self.cell(row, c, v);
                }
            }
            self.prefix.truncate(len);
        }
    }

    fn cell(&mut self, row: &mut Row, c: usize, v: &Json) {
        match v {
            Json::Null => {}
            Json::Bool(b) => self.builder.cell(row, c, RawCell::Bool(*b)),
            Json::String(s) => self.builder.cell(row, c, RawCell::Text(s)),
            Json::Number(n) => {
                // Integers beyond 2^53 (an ID, a NIT) would lose digits as f64.
                const EXACT: u64 = 1 << 53;
                let big = n.as_u64().is_some_and(|u| u > EXACT)
                    || n.as_i64().is_some_and(|i| i.unsigned_abs() > EXACT);
                if big {
                    let text = n.to_string();
                    self.builder.cell(row, c, RawCell::Text(&text));
                } else if let Some(value) = n.as_f64() {
                    let cell = RawCell::Number {
                        value,
                        percent_format: false,
                    };
                    self.builder.cell(row, c, cell);
                }
            }
            Json::Array(_) | Json::Object(_) => {
                let raw = v.to_string();
                let cell = RawCell::Invalid {
                    raw: &raw,
                    mensaje: LIST_MESSAGE,
                };
                self.builder.cell(row, c, cell);
            }
        }
    }
}

fn json_kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "`null`",
        Json::Bool(_) => "un valor sí/no",
        Json::Number(_) => "un número",
        Json::String(_) => "un texto",
        Json::Array(_) => "una lista",
        Json::Object(_) => "un objeto",
    }
}

/// serde_json's message, in Spanish where it matters.
fn json_detail(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Eof => "el texto termina antes de cerrar todas las llaves o corchetes",
        Category::Syntax => "error de sintaxis",
        Category::Data => "datos inesperados",
        Category::Io => "error de lectura",
    };
    format!("{what} (línea {}, columna {})", e.line(), e.column())
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes)
}

/// A `.json` file: parsed whole (a list of objects is rarely large).
pub(crate) struct JsonArraySource {
    items: std::iter::Enumerate<std::vec::IntoIter<Json>>,
    typer: ObjectTyper,
}

pub(crate) fn open_array(
    path: &Path,
    schema: &Schema,
    missing_as_blank: bool,
) -> Result<(JsonArraySource, Detected), DataFileError> {
    let bytes = std::fs::read(path).map_err(|e| DataFileError::io(path, &e))?;
    let text = std::str::from_utf8(strip_bom(&bytes)).map_err(|e| DataFileError::Encoding {
        path: path_text(path),
        detail: format!("bytes no válidos en la posición {}", e.valid_up_to()),
    })?;
    if text.trim().is_empty() {
        return Err(DataFileError::Empty {
            path: path_text(path),
        });
    }
    let NoDuplicates(value) = serde_json::from_str(text).map_err(|e| DataFileError::Json {
        path: path_text(path),
        detail: json_detail(&e),
    })?;
    let items = match value {
        Json::Array(items) => items,
        Json::Object(mut obj) => {
            match ["results", "value"]
                .iter()
                .find_map(|k| match obj.remove(*k) {
                    Some(Json::Array(items)) => Some(items),
                    _ => None,
                }) {
                Some(items) => items,
                None => vec![Json::Object(obj)],
            }
        }
        other => {
            return Err(DataFileError::Json {
                path: path_text(path),
                detail: format!(
                    "se esperaba una lista de objetos y hay {}",
                    json_kind(&other)
                ),
            })
        }
    };
    let mut keys = Keys::default();
    let mut prefix = String::new();
    for item in &items {
        if let Json::Object(obj) = item {
            keys.collect(obj, &mut prefix);
        }
    }
    let (typer, detected) = ObjectTyper::new(path, schema, keys, "json", missing_as_blank)?;
    let source = JsonArraySource {
        items: items.into_iter().enumerate(),
        typer,
    };
    Ok((source, detected))
}

impl Iterator for JsonArraySource {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        let (i, item) = self.items.next()?;
        Some(self.typer.row(i + 1, &item))
    }
}

/// A `.jsonl` file: one pass to learn the keys, then streamed line by line.
impl JsonArraySource {
    pub(crate) fn builder(&mut self) -> &mut RowBuilder {
        &mut self.typer.builder
    }
}

impl JsonLinesSource {
    pub(crate) fn builder(&mut self) -> &mut RowBuilder {
        &mut self.typer.builder
    }
}

pub(crate) struct JsonLinesSource {
    reader: BufReader<File>,
    buf: Vec<u8>,
    line: usize,
    typer: ObjectTyper,
    finished: bool,
}

fn open_lines(path: &Path) -> Result<BufReader<File>, DataFileError> {
    let file = File::open(path).map_err(|e| DataFileError::io(path, &e))?;
    Ok(BufReader::with_capacity(64 * 1024, file))
}

pub(crate) fn open_lines_source(
    path: &Path,
    schema: &Schema,
    missing_as_blank: bool,
) -> Result<(JsonLinesSource, Detected), DataFileError> {
    let mut reader = open_lines(path)?;
    let mut keys = Keys::default();
    let mut prefix = String::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| DataFileError::io(path, &e))?;
        if n == 0 {
            break;
        }
        // Bad lines are reported as rows on the second pass.
        if let Ok(Json::Object(obj)) = serde_json::from_slice::<Json>(strip_bom(&buf)) {
            keys.collect(&obj, &mut prefix);
        }
    }
    let (typer, detected) = ObjectTyper::new(path, schema, keys, "jsonl", missing_as_blank)?;
    let source = JsonLinesSource {
        reader: open_lines(path)?,
        buf,
        line: 0,
        typer,
        finished: false,
    };
    Ok((source, detected))
}

impl Iterator for JsonLinesSource {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        while !self.finished {
            self.buf.clear();
            self.line += 1;
            let line = self.line;
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => self.finished = true,
                Ok(_) => {
                    let text = strip_bom(&self.buf);
                    if text.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(match serde_json::from_slice::<NoDuplicates>(text) {
                        Ok(NoDuplicates(value)) => self.typer.row(line, &value),
                        Err(e) => {
                            let mut row = self.typer.builder.start(line);
                            let detail = json_detail(&e);
                            let detail = detail.replace("(línea 1, ", "(");
                            RowBuilder::row_error(
                                &mut row,
                                format!("la línea no es un objeto JSON válido: {detail}"),
                            );
                            row
                        }
                    });
                }
                Err(e) => {
                    self.finished = true;
                    let mut row = self.typer.builder.start(line);
                    RowBuilder::row_error(
                        &mut row,
                        format!(
                            "no se pudo leer el resto del archivo: {}",
                            crate::text::system_error(&e)
                        ),
                    );
                    return Some(row);
                }
            }
        }
        None
    }
}
