//! Spreadsheets (`.xlsx`, `.xls`, `.ods`) through calamine: the first sheet
//! unless another is named; title rows above the header are tolerated.
//!
//! Numbers keep their type (a code typed as a number becomes text without
//! `.0`); an XLSX cell formatted as a percentage (stored as 0.785) counts as
//! 78.5 in a `porcentaje` field; so does an ODS percentage cell (its value
//! type is read from the sheet's XML, `ods_percent.rs`). XLS does not expose
//! cell formats through calamine: there a `porcentaje` column whose numbers
//! all lie between 0 and 1 is taken for cells formatted as percentages (0.785
//! is 78.5 %), with a warning; the sheet is read whole, so the whole column
//! can be looked at.

use std::collections::HashSet;
use std::path::Path;

use calamine::{open_workbook_auto, Cell, Data, DataRef, Range, Reader, Sheets, StyleRange};

use super::cell::RawCell;
use super::csv_source::no_header;
use super::error::{path_text, DataFileError};
use super::header::{
    find_header, is_hxl_row, map_columns, ColumnMap, HeaderMatcher, HEADER_SEARCH_ROWS,
};
use super::row::RowBuilder;
use super::schema::{FieldType, Row, Schema};
use super::text::excel_serial_to_text;
use super::{Detected, ReadOptions};
use crate::text::{backquoted_list, fold, plain_number};

/// The most cells read from one sheet, counted as rows × columns from the
/// first cell with something in it to the last (a spreadsheet is read
/// whole, about 32 bytes a cell): 10 million, for example 100 000 rows by 100
/// columns. A few bytes of a file can claim billions (a cell at XFD1048576, a
/// value repeated over a whole sheet): such a sheet is refused before
/// anything that size is allocated. Documented in docs/preparar-datos.md.
pub const MAX_SHEET_CELLS: u64 = 10_000_000;

type Workbook = Sheets<std::io::BufReader<std::fs::File>>;

pub(crate) struct SheetSource {
    range: Range<Data>,
    styles: Option<StyleRange>,
    /// Absolute position of the range's top-left cell.
    origin: (u32, u32),
    /// Next row to read, relative to the range.
    next: usize,
    builder: RowBuilder,
    /// Columns holding a `porcentaje` field.
    percent_columns: Vec<bool>,
    /// `porcentaje` columns of an XLS sheet written as fractions (0–1).
    fraction_columns: Vec<bool>,
    /// ODS: the percentage cells, by absolute position.
    ods_percent: HashSet<(u32, u32)>,
    scratch: String,
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => plain_number(*f),
        Data::Int(i) => i.to_string(),
        Data::DateTime(dt) => excel_serial_to_text(dt.as_f64()),
        other => other.to_string(),
    }
}

fn is_blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// Whether an Excel number format shows the value as a percentage.
fn is_percent_format(code: &str) -> bool {
    let mut in_quotes = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => in_quotes = !in_quotes,
            '%' if !in_quotes => return true,
            _ => {}
        }
    }
    false
}

fn spreadsheet_error(path: &Path, e: calamine::Error) -> DataFileError {
    match e {
        calamine::Error::Io(io) => DataFileError::io(path, &io),
        other => DataFileError::Spreadsheet {
            path: path_text(path),
            detail: spreadsheet_detail(&other.to_string()),
        },
    }
}

/// calamine's messages are in English and sometimes debug prints: the
/// usual causes in words, the original kept for whoever helps.
fn spreadsheet_detail(raw: &str) -> String {
    let lower = raw.to_lowercase();
    let word = |w: &str| lower.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
    let why = if lower.contains("boolean") {
        "una celda de tipo verdadero/falso tiene un valor que no es ni verdadero ni falso; \
         escriba en ella VERDADERO o FALSO, o el texto sí o no"
    } else if lower.contains("password") || lower.contains("encrypt") {
        "el libro está protegido con contraseña"
    } else if lower.contains("eocd") || lower.contains("zip") || lower.contains("archive") {
        "no es un archivo de planilla completo (está dañado, se copió a medias, o es otro tipo de archivo con esa extensión)"
    } else if word("cfb") || word("ole") {
        "no es un libro de Excel antiguo (.xls) válido"
    } else {
        return raw.to_string();
    };
    format!("{why}; en inglés: {raw}")
}

/// The sheet to read: by name (any case, with or without tildes) or by number.
fn choose_sheet(
    path: &Path,
    names: &[String],
    wanted: Option<&str>,
) -> Result<String, DataFileError> {
    let Some(wanted) = wanted.map(str::trim) else {
        return names.first().cloned().ok_or_else(|| DataFileError::Empty {
            path: path_text(path),
        });
    };
    let found = names
        .iter()
        .find(|n| n.as_str() == wanted)
        .or_else(|| names.iter().find(|n| fold(n) == fold(wanted)))
        .or_else(|| {
            let i: usize = wanted.parse().ok()?;
            names.get(i.checked_sub(1)?)
        });
    found.cloned().ok_or_else(|| DataFileError::SheetNotFound {
        path: path_text(path),
        sheet: wanted.to_string(),
        available: backquoted_list(names, 20),
    })
}

pub(crate) fn open(
    path: &Path,
    schema: &Schema,
    opts: &ReadOptions,
    format: &str,
) -> Result<(SheetSource, Detected), DataFileError> {
    // calamine reads the whole sheet here. Some impossible contents make it
    // panic instead of returning an error (a cell reference with too many
    // digits overflows a multiplication, found by fuzzing): a damaged file,
    // reported as such, not a crash.
    let read = std::panic::AssertUnwindSafe(|| open_sheet(path, schema, opts, format));
    std::panic::catch_unwind(read).unwrap_or_else(|_| {
        Err(DataFileError::Spreadsheet {
            path: path_text(path),
            detail: "la planilla tiene contenido imposible (por ejemplo, una referencia de \
                     celda con demasiadas cifras): está dañada"
                .to_string(),
        })
    })
}

fn open_sheet(
    path: &Path,
    schema: &Schema,
    opts: &ReadOptions,
    format: &str,
) -> Result<(SheetSource, Detected), DataFileError> {
    // calamine's own message for a missing file is in English: check first.
    std::fs::File::open(path).map_err(|e| DataFileError::io(path, &e))?;
    if format == "ods" {
        // calamine reads every sheet of an ODS when opening it.
        if let Some((sheet, rows, columns)) =
            super::ods_percent::oversized_sheet(path, MAX_SHEET_CELLS)
        {
            return Err(too_large(path, &sheet, rows, columns));
        }
    }
    let mut workbook = open_workbook_auto(path).map_err(|e| spreadsheet_error(path, e))?;
    let (sheet, range, found, mut warnings) = sheet_with_header(&mut workbook, path, schema, opts)?;
    let has_percent = schema.fields.iter().any(|f| f.ty == FieldType::Percent);
    let styles = if has_percent {
        workbook.worksheet_style(&sheet).ok()
    } else {
        None
    };
    let origin = range.start().unwrap_or((0, 0));
    let HeaderFound {
        row: header_rel,
        map,
    } = found;
    let builder = RowBuilder::new(schema, &map);
    let percent_columns: Vec<bool> = map
        .columns
        .iter()
        .map(|f| matches!(f, Some(f) if schema.fields.get(*f).is_some_and(|s| s.ty == FieldType::Percent)))
        .collect();
    let next = first_data_row(&range, header_rel);
    warnings.extend(map.warnings);
    let fraction_columns = fraction_columns(format, &percent_columns, &range, next);
    warnings.extend(fraction_warnings(&fraction_columns, &map.headers));
    let ods_percent = if format == "ods" && has_percent {
        super::ods_percent::percent_cells(path, &sheet)
    } else {
        HashSet::new()
    };
    let detected = Detected {
        format: format.to_string(),
        separator: None,
        encoding: None,
        sheet: Some(sheet),
        header_row: origin.0 as usize + header_rel + 1,
        warnings,
        ignored_columns: map.ignored,
    };
    let source = SheetSource {
        range,
        styles,
        origin,
        next,
        builder,
        percent_columns,
        fraction_columns,
        ods_percent,
        scratch: String::new(),
    };
    Ok((source, detected))
}

/// The sheet to read, its range and header, and a note when it is not the
/// one asked for. The first sheet may be instructions, a cover or a list of
/// the columns: without `--hoja`, the first sheet whose header has every
/// declared field is read, and the user told.
fn sheet_with_header(
    workbook: &mut Workbook,
    path: &Path,
    schema: &Schema,
    opts: &ReadOptions,
) -> Result<(String, Range<Data>, HeaderFound, Vec<String>), DataFileError> {
    let names = workbook.sheet_names();
    let sheet = choose_sheet(path, &names, opts.sheet.as_deref())?;
    let matcher = HeaderMatcher::new(schema);
    let first_error = match locate_header(
        workbook,
        &sheet,
        &matcher,
        schema,
        path,
        opts.missing_as_blank,
    ) {
        Ok((range, found)) => return Ok((sheet, range, found, Vec::new())),
        Err(e) if opts.sheet.is_none() && names.len() > 1 => e,
        Err(e) => return Err(e),
    };
    let other = names.iter().skip(1).find_map(|name| {
        locate_header(
            workbook,
            name,
            &matcher,
            schema,
            path,
            opts.missing_as_blank,
        )
        .ok()
        .map(|(range, found)| (name.clone(), range, found))
    });
    let Some((name, range, found)) = other else {
        return Err(with_sheet_list(first_error, &names));
    };
    let note = format!(
        "la primera hoja, `{sheet}`, no tiene la fila de encabezados con todos los campos: \
         se leyó la hoja `{name}`; para elegir otra, use --hoja"
    );
    Ok((name, range, found, vec![note]))
}

/// The row after the header, or the one after that when it is an HXL tag row.
fn first_data_row(range: &Range<Data>, header_rel: usize) -> usize {
    let next = header_rel + 1;
    let hxl_cells: Vec<String> = (0..range.width())
        .map(|c| range.get((next, c)).map(cell_text).unwrap_or_default())
        .collect();
    if next < range.height() && is_hxl_row(hxl_cells.iter().map(String::as_str)) {
        next + 1
    } else {
        next
    }
}

/// The percent columns of an old `.xls` read as cells formatted as
/// percentages: those whose numbers all lie between 0 and 1.
fn fraction_columns(
    format: &str,
    percent_columns: &[bool],
    range: &Range<Data>,
    first: usize,
) -> Vec<bool> {
    if format != "xls" {
        return vec![false; percent_columns.len()];
    }
    percent_columns
        .iter()
        .enumerate()
        .map(|(c, &percent)| percent && written_as_fractions(range, first, c))
        .collect()
}

/// A warning for each column read as fractions.
fn fraction_warnings(fraction_columns: &[bool], headers: &[String]) -> Vec<String> {
    fraction_columns
        .iter()
        .enumerate()
        .filter(|(_, f)| **f)
        .map(|(c, _)| {
            let header = headers.get(c).map_or("", |h| h.trim());
            format!(
                "los números de la columna `{header}` están todos entre 0 y 1: se leen como celdas con \
                 formato de porcentaje (0,785 es 78,5 %); si alguno es de verdad menor que 1 %, \
                 escríbalo como texto con el signo % (0,5 %)"
            )
        })
        .collect()
}

/// Whether the numbers of column `c` from row `first` on all lie between 0
/// and 1, some strictly: what a column formatted as percentages holds.
fn written_as_fractions(range: &Range<Data>, first: usize, c: usize) -> bool {
    let mut fraction = false;
    for r in first..range.height() {
        let value = match range.get((r, c)) {
            Some(Data::Float(f)) => *f,
            Some(Data::Int(i)) => *i as f64,
            _ => continue,
        };
        if !(0.0..=1.0).contains(&value) {
            return false;
        }
        fraction |= value > 0.0 && value < 1.0;
    }
    fraction
}

/// The header row of a sheet: its index in the range, and which column
/// holds which field.
struct HeaderFound {
    row: usize,
    map: ColumnMap,
}

/// Reads a sheet, finds its header among the first rows and maps its
/// columns (an error when a declared field has no column).
fn locate_header(
    workbook: &mut Workbook,
    sheet: &str,
    matcher: &HeaderMatcher,
    schema: &Schema,
    path: &Path,
    missing_as_blank: bool,
) -> Result<(Range<Data>, HeaderFound), DataFileError> {
    let range = sheet_range(workbook, sheet, path)?;
    let width = range.width();
    let mut candidates = Vec::new();
    let mut candidate_rows = Vec::new();
    for r in 0..range.height() {
        if candidates.len() >= HEADER_SEARCH_ROWS {
            break;
        }
        let cells: Vec<String> = (0..width)
            .map(|c| range.get((r, c)).map(cell_text).unwrap_or_default())
            .collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let found = matcher.header_score(&cells) > 0;
        candidates.push(cells);
        candidate_rows.push(r);
        if found {
            break;
        }
    }
    let Some(first) = candidates.first() else {
        return Err(DataFileError::Empty {
            path: path_text(path),
        });
    };
    let Some(h) = find_header(matcher, &candidates) else {
        return Err(no_header(path, schema, first, None));
    };
    let row = candidate_rows[h];
    let headers = candidates.swap_remove(h);
    let map = map_columns(matcher, schema, headers, path, missing_as_blank)?;
    Ok((range, HeaderFound { row, map }))
}

/// The cells of a sheet. XLSX and XLSB sheets are read cell by cell, and
/// refused when the cells span more than [`MAX_SHEET_CELLS`], before the
/// range is laid out in memory; XLS sheets cannot be larger than that, and ODS
/// sheets were checked before opening.
fn sheet_range(
    workbook: &mut Workbook,
    sheet: &str,
    path: &Path,
) -> Result<Range<Data>, DataFileError> {
    let cells = match workbook {
        Sheets::Xlsx(x) => {
            let mut reader = x
                .worksheet_cells_reader(sheet)
                .map_err(|e| spreadsheet_error(path, e.into()))?;
            collect_cells(|| reader.next_cell().map_err(calamine::Error::from))
        }
        Sheets::Xlsb(x) => {
            let mut reader = x
                .worksheet_cells_reader(sheet)
                .map_err(|e| spreadsheet_error(path, e.into()))?;
            collect_cells(|| reader.next_cell().map_err(calamine::Error::from))
        }
        other => {
            return other
                .worksheet_range(sheet)
                .map_err(|e| spreadsheet_error(path, e))
        }
    };
    match cells {
        Ok(cells) => Ok(Range::from_sparse(cells)),
        Err(CellsError::Read(e)) => Err(spreadsheet_error(path, e)),
        Err(CellsError::TooLarge { rows, columns }) => Err(too_large(path, sheet, rows, columns)),
    }
}

enum CellsError {
    Read(calamine::Error),
    TooLarge { rows: u64, columns: u64 },
}

/// The non-empty cells from `next`, as long as they span at most
/// [`MAX_SHEET_CELLS`] (checked as they come: memory stays bounded by what
/// the file really holds).
fn collect_cells<'a>(
    mut next: impl FnMut() -> Result<Option<Cell<DataRef<'a>>>, calamine::Error>,
) -> Result<Vec<Cell<Data>>, CellsError> {
    let mut cells = Vec::new();
    let (mut top, mut left, mut bottom, mut right) = (u32::MAX, u32::MAX, 0u32, 0u32);
    while let Some(cell) = next().map_err(CellsError::Read)? {
        let value = cell.get_value();
        if matches!(value, DataRef::Empty) {
            continue;
        }
        let (r, c) = cell.get_position();
        (top, left, bottom, right) = (top.min(r), left.min(c), bottom.max(r), right.max(c));
        let rows = u64::from(bottom - top) + 1;
        let columns = u64::from(right - left) + 1;
        if rows.saturating_mul(columns) > MAX_SHEET_CELLS {
            return Err(CellsError::TooLarge { rows, columns });
        }
        cells.push(Cell::new((r, c), Data::from(value.clone())));
    }
    Ok(cells)
}

fn too_large(path: &Path, sheet: &str, rows: u64, columns: u64) -> DataFileError {
    DataFileError::SheetTooLarge {
        path: path_text(path),
        sheet: sheet.to_string(),
        rows,
        columns,
        limit: "10 millones de".to_string(),
    }
}

/// No sheet has the header: say which sheets the workbook has.
fn with_sheet_list(error: DataFileError, names: &[String]) -> DataFileError {
    let sheets = format!(
        "el libro tiene las hojas {}; si los datos están en otra, indíquela con --hoja",
        backquoted_list(names, 20)
    );
    match error {
        DataFileError::MissingColumns {
            path,
            missing,
            message,
            help,
        } => DataFileError::MissingColumns {
            path,
            missing,
            message,
            help: format!("{help}. Ninguna otra hoja tiene todos los campos: {sheets}"),
        },
        DataFileError::NoHeader { path, help } => DataFileError::NoHeader {
            path,
            help: format!("{help}. Ninguna hoja tiene esos encabezados: {sheets}"),
        },
        DataFileError::Empty { path } => DataFileError::NoHeader {
            path,
            help: format!(
                "la primera hoja está vacía y ninguna otra tiene los encabezados: {sheets}"
            ),
        },
        other => other,
    }
}

impl SheetSource {
    pub(crate) fn builder(&mut self) -> &mut RowBuilder {
        &mut self.builder
    }

    fn is_percent_cell(&self, r: usize, c: usize) -> bool {
        let pos = (self.origin.0 + r as u32, self.origin.1 + c as u32);
        if self.ods_percent.contains(&pos) {
            return true;
        }
        let Some(styles) = &self.styles else {
            return false;
        };
        styles
            .get(pos)
            .and_then(|s| s.number_format.as_ref())
            .is_some_and(|f| is_percent_format(&f.format_code))
    }

    fn build_row(&mut self, r: usize) -> Row {
        let line = self.origin.0 as usize + r + 1;
        let mut row = self.builder.start(line);
        for c in 0..self.builder.width() {
            if !self.builder.is_field_column(c) {
                continue;
            }
            let Some(data) = self.range.get((r, c)) else {
                continue;
            };
            let cell = match data {
                Data::Empty => RawCell::Blank,
                Data::String(s) => RawCell::Text(s),
                Data::Bool(b) => RawCell::Bool(*b),
                Data::Int(i) => RawCell::Number {
                    value: *i as f64,
                    percent_format: false,
                },
                Data::Float(f) => RawCell::Number {
                    value: *f,
                    percent_format: self.fraction_columns.get(c).copied().unwrap_or(false)
                        || (self.percent_columns.get(c).copied().unwrap_or(false)
                            && self.is_percent_cell(r, c)),
                },
                Data::DateTime(dt) => {
                    self.scratch = excel_serial_to_text(dt.as_f64());
                    RawCell::Text(&self.scratch)
                }
                Data::DateTimeIso(s) | Data::DurationIso(s) => RawCell::Text(s),
                Data::Error(e) => {
                    self.scratch = e.to_string();
                    let mensaje = format!(
                        "la celda tiene un error de fórmula ({e}); corrija la fórmula o escriba el valor"
                    );
                    self.builder.cell(
                        &mut row,
                        c,
                        RawCell::Invalid {
                            raw: &self.scratch,
                            mensaje: &mensaje,
                        },
                    );
                    continue;
                }
            };
            self.builder.cell(&mut row, c, cell);
        }
        self.builder.finish(&mut row);
        row
    }
}

impl Iterator for SheetSource {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        let height = self.range.height();
        let width = self.range.width();
        while self.next < height {
            let r = self.next;
            self.next += 1;
            let blank = (0..width).all(|c| self.range.get((r, c)).is_none_or(is_blank));
            if !blank {
                return Some(self.build_row(r));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_formats() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.0%"));
        assert!(!is_percent_format("0.00"));
        assert!(!is_percent_format("0\\%"));
        assert!(!is_percent_format("\"%\"0"));
    }
}
