//! Data readers: turn a spreadsheet or JSON file into typed [`Row`]s, one per
//! organization, following the [`Schema`] declared by the rule file.
//!
//! [`open`] reads the header, matches columns to fields once and fails only when
//! the file cannot be read at all ([`DataFileError`]). The [`DataSource`] then
//! yields every non-empty row, in file order, exactly once: problems with a row
//! (a cell that does not fit its type, a repeated code…) go into
//! [`Row::errors`], the row is never dropped. CSV and JSON Lines are streamed;
//! JSON lists and spreadsheets are loaded whole.
//!
//! Formats by extension: `.csv` `.tsv` `.txt`; `.json`; `.jsonl` `.ndjson`;
//! `.xlsx` `.xlsm` `.xlsb` `.xls` `.ods`.

mod cell;
mod codes;
mod csv_source;
mod error;
mod header;
mod json_source;
mod ods_percent;
mod row;
pub mod schema;
mod sheet_source;
mod single;
mod text;

use std::path::Path;

pub use codes::code_key;
pub use error::{DataFileError, MissingColumn};
pub use schema::{CellError, FieldSpec, FieldType, Row, Schema, Value};
pub use single::{decode_text, parse_value};

/// Choices the user can force; `None` = detect.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// CSV separator byte (`b';'`, `b','`, `b'\t'`).
    pub separator: Option<u8>,
    /// CSV encoding label: `utf-8`, `windows-1252`, `latin1` (any WHATWG label).
    pub encoding: Option<String>,
    /// Spreadsheet sheet, by name or by number (`"2"` = the second sheet).
    pub sheet: Option<String>,
    /// A declared field with no column is blank ("sin dato") in every row,
    /// with a warning, instead of refusing the file: a spreadsheet made
    /// before a field was added to the rules still reads.
    pub missing_as_blank: bool,
}

/// What [`open`] found out about the file, for the user to check.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Detected {
    /// `csv`, `json`, `jsonl`, `xlsx`, `xls`, `ods`…
    pub format: String,
    /// CSV only.
    pub separator: Option<char>,
    /// Text formats: `UTF-8`, `UTF-8 con BOM`, `windows-1252`, `UTF-16LE`…
    pub encoding: Option<String>,
    /// Spreadsheets: the sheet read.
    pub sheet: Option<String>,
    /// Row number of the header as the user sees it (1 = first row; counts a
    /// `sep=` line and title rows). 0 for JSON, which has no header row.
    pub header_row: usize,
    /// Spanish sentences: unknown columns, columns ignored in favour of another…
    pub warnings: Vec<String>,
    /// Columns skipped on purpose, without a warning: Kobo/ODK metadata
    /// (`_uuid`, `start`…) and multiple-choice option columns (`campo/opcion`).
    pub ignored_columns: Vec<String>,
}

/// The rows of an opened data file; see [`open`].
pub struct DataSource {
    detected: Detected,
    inner: Inner,
    /// CSV: rows read as Windows-1252 told so far, and where the warning is.
    rows_1252_noted: usize,
    encoding_warning: Option<usize>,
    /// CSV: the start of the file looks Windows-1252 as a whole: its rows
    /// are only named if rows in UTF-8 turn up too.
    whole_file_1252: bool,
}

/// "las filas 3, 9 y 12 tienen texto…": the rows read as Windows-1252.
fn rows_1252_warning(rows: &[usize], count: usize) -> String {
    let mut list: Vec<String> = rows.iter().map(usize::to_string).collect();
    let more = count.saturating_sub(rows.len());
    let who = match (list.len(), more) {
        (1, 0) => format!("la fila {} tiene", list[0]),
        (_, 0) => {
            let last = list.pop().unwrap_or_default();
            format!("las filas {} y {last} tienen", list.join(", "))
        }
        _ => format!("las filas {} y {more} más tienen", list.join(", ")),
    };
    format!(
        "{who} texto que no está en UTF-8: esas celdas se leyeron como windows-1252 (Excel en \
         castellano) y el resto como UTF-8; revise los acentos de esas filas"
    )
}

enum Inner {
    Csv(Box<csv_source::CsvSource>),
    Json(json_source::JsonArraySource),
    JsonLines(json_source::JsonLinesSource),
    Sheet(Box<sheet_source::SheetSource>),
}

impl DataSource {
    /// What was found when opening. One thing can change while reading: in a
    /// CSV read as UTF-8, cells that are not UTF-8 are read as Windows-1252,
    /// noted here (`encoding`, and one warning naming those rows, kept up to
    /// date) from the first such row on.
    pub fn detected(&self) -> &Detected {
        &self.detected
    }
}

impl Iterator for DataSource {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        match &mut self.inner {
            Inner::Csv(s) => {
                let row = s.next();
                let mixed = !self.whole_file_1252 || s.utf8_accents;
                if mixed && s.rows_1252_count != self.rows_1252_noted {
                    // Rows that are not UTF-8 in a file that otherwise is:
                    // one warning, kept up to date, naming them.
                    self.rows_1252_noted = s.rows_1252_count;
                    self.detected.encoding = Some("UTF-8 y windows-1252".to_string());
                    let text = rows_1252_warning(&s.rows_1252, s.rows_1252_count);
                    match self.encoding_warning {
                        Some(i) => self.detected.warnings[i] = text,
                        None => {
                            self.encoding_warning = Some(self.detected.warnings.len());
                            self.detected.warnings.push(text);
                        }
                    }
                }
                row
            }
            Inner::Json(s) => s.next(),
            Inner::JsonLines(s) => s.next(),
            Inner::Sheet(s) => s.next(),
        }
    }
}

/// Opens a data file; fails as a whole only if the file cannot be read at all
/// (missing, empty, no header, a declared column missing, undecodable…).
/// Every declared field must have a column (unless
/// [`ReadOptions::missing_as_blank`]).
pub fn open(path: &Path, schema: &Schema, opts: &ReadOptions) -> Result<DataSource, DataFileError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let (inner, detected) = match ext.as_str() {
        "csv" | "tsv" | "txt" => {
            let (s, d) = csv_source::open(path, schema, opts)?;
            (Inner::Csv(Box::new(s)), d)
        }
        "json" => {
            let (s, d) = json_source::open_array(path, schema, opts.missing_as_blank)?;
            (Inner::Json(s), d)
        }
        "jsonl" | "ndjson" => {
            let (s, d) = json_source::open_lines_source(path, schema, opts.missing_as_blank)?;
            (Inner::JsonLines(s), d)
        }
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => {
            let (s, d) = sheet_source::open(path, schema, opts, &ext)?;
            (Inner::Sheet(Box::new(s)), d)
        }
        _ => {
            return Err(DataFileError::UnknownFormat {
                path: error::path_text(path),
            })
        }
    };
    let mut detected = detected;
    let sheet_format = matches!(inner, Inner::Sheet(_));
    if opts.sheet.is_some() && !sheet_format {
        detected.warnings.push(format!(
            "--hoja solo vale para planillas (.xlsx, .xls, .ods); este archivo es {} y se ignora",
            detected.format
        ));
    }
    if sheet_format && (opts.separator.is_some() || opts.encoding.is_some()) {
        detected.warnings.push(
            "--separador y --codificacion solo valen para archivos CSV; en una planilla se ignoran"
                .to_string(),
        );
    }
    // Warnings quote headers from the file: never terminal commands.
    for w in &mut detected.warnings {
        if let std::borrow::Cow::Owned(safe) = crate::text::terminal_safe(w, false) {
            *w = safe;
        }
    }
    let whole_file_1252 = detected.encoding.as_deref() == Some("windows-1252");
    let mut source = DataSource {
        detected,
        inner,
        rows_1252_noted: 0,
        encoding_warning: None,
        whole_file_1252,
    };
    // A file (not a pipe) can be read again to confirm a repeated code.
    if std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        let (path, schema, opts) = (path.to_path_buf(), schema.clone(), opts.clone());
        source.codes().set_rescan(Box::new(move |before, visit| {
            rescan_codes(&path, &schema, &opts, before, visit)
        }));
    }
    Ok(source)
}

impl DataSource {
    fn codes(&mut self) -> &mut codes::CodeSet {
        let builder = match &mut self.inner {
            Inner::Csv(s) => s.builder(),
            Inner::Json(s) => s.builder(),
            Inner::JsonLines(s) => s.builder(),
            Inner::Sheet(s) => s.builder(),
        };
        builder.codes()
    }
}

/// Reads the file again, handing each row's code to `visit` (see
/// [`codes::Rescan`]); the rows themselves are already checked.
fn rescan_codes(
    path: &Path,
    schema: &Schema,
    opts: &ReadOptions,
    before: usize,
    visit: &mut dyn FnMut(&str, usize) -> bool,
) {
    let Ok(mut again) = open(path, schema, opts) else {
        return;
    };
    again.codes().turn_off();
    for row in again {
        if row.line >= before {
            return;
        }
        if let Some(code) = &row.codigo {
            if !visit(&code_key(code), row.line) {
                return;
            }
        }
    }
}
