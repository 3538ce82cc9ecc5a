//! CSV, TSV and TXT files, streamed record by record.
//!
//! Detected when opening: the encoding (a BOM, else UTF-8 or Windows-1252 as
//! Spanish-locale Excel writes it, see `choose_encoding`), a leading `sep=;`
//! line, the separator (`,` `;` or tab), title rows above the header and a
//! Kobo HXL row under it. The file is read once, in 64 KiB blocks.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use csv::ByteRecord;
use encoding_rs::{CoderResult, Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use super::cell::RawCell;
use super::error::{path_text, DataFileError};
use super::header::{find_header, is_hxl_row, map_columns, HeaderMatcher, HEADER_SEARCH_ROWS};
use super::row::RowBuilder;
use super::schema::{Row, Schema};
use super::{Detected, ReadOptions};
use crate::text::backquoted_list;
use crate::text::system_error;

const BUFFER: usize = 64 * 1024;

/// Rows named in the warning about rows read as Windows-1252.
const ROWS_NAMED: usize = 10;

/// Appended after the file's bytes. When every quote is closed it reads as a
/// record of its own, [`END_RECORD`], that marks the end; when a quote is never
/// closed it ends up inside that quoted cell, which tells the two apart (the
/// CSV parser itself ends such a cell at the end of the file without a word).
/// Its leading `\n` also ends an unterminated last record, so the parser's
/// line count after a record is always its last line + 1.
const END_MARK: &[u8] = b"\n\x00\x00reglas:fin\x00\x00\n";
const END_RECORD: &[u8] = b"\x00\x00reglas:fin\x00\x00";

const INVALID_UTF8: &str = "la celda tiene caracteres que no son UTF-8; si el archivo viene de \
     Excel en castellano, léalo con la codificación windows-1252";

/// The CSV reader over the decoded file.
type Records = csv::Reader<Box<dyn Read + Send>>;

pub(crate) struct CsvSource {
    reader: Records,
    record: ByteRecord,
    /// Records read ahead while looking for the header, with their row number.
    pending: VecDeque<(ByteRecord, usize, Option<OpenQuote>)>,
    /// The quote problem of the record in `record`, if any.
    open_quote: Option<OpenQuote>,
    /// Rows to hand out before reading on (the rows an open quote swallowed).
    queued: VecDeque<Row>,
    separator: u8,
    builder: RowBuilder,
    /// `(column, field)` of the columns that hold fields.
    field_columns: Vec<(usize, usize)>,
    /// Columns `field/option` of a multiple-choice field (usually none).
    option_columns: Vec<usize>,
    /// Rows the user sees that the CSV parser did not (`sep=` line).
    line_offset: usize,
    /// Line breaks inside quoted cells so far: a spreadsheet shows each record
    /// as one row, whatever its number of lines.
    embedded_newlines: usize,
    /// Cells that are not UTF-8 are read as Windows-1252 (see `choose_encoding`).
    late_1252: bool,
    /// Rows with cells read as Windows-1252 that way (the first ones), and
    /// how many in all; see `DataSource`, which tells the user.
    pub(crate) rows_1252: Vec<usize>,
    pub(crate) rows_1252_count: usize,
    /// The start of the file looks Windows-1252 as a whole...
    looks_1252: bool,
    /// ...until a row has accents written in UTF-8.
    pub(crate) utf8_accents: bool,
    finished: bool,
}

/// A cell whose opening quote swallowed the rows after it: a quote typed in a
/// name and never closed, or closed many rows later. The parser reads all of
/// it as one cell; those rows are rejected with the reason instead of being
/// lost or graded with another organization's data.
#[derive(Clone, Debug)]
struct OpenQuote {
    /// Column of the cell that opens the quote.
    column: usize,
    /// Rows inside the cell after the one that opens it: row number and the
    /// text of that line.
    swallowed: Vec<(usize, Vec<u8>)>,
    /// Whether the quote closes at all (else it runs to the end of the file).
    closed: bool,
}

pub(crate) fn open(
    path: &Path,
    schema: &Schema,
    opts: &ReadOptions,
) -> Result<(CsvSource, Detected), DataFileError> {
    let mut file = File::open(path).map_err(|e| DataFileError::io(path, &e))?;
    let (encoding, bom_len, late_1252, looks_1252) = choose_encoding(path, &mut file, opts)?;
    file.seek(SeekFrom::Start(bom_len as u64))
        .map_err(|e| DataFileError::io(path, &e))?;
    let (reader, separator, sep_line) = records(path, file, encoding, opts)?;
    let mut source = CsvSource {
        reader,
        record: ByteRecord::new(),
        pending: VecDeque::new(),
        open_quote: None,
        queued: VecDeque::new(),
        separator,
        builder: RowBuilder::new(schema, &super::header::ColumnMap::empty()),
        field_columns: Vec::new(),
        option_columns: Vec::new(),
        line_offset: usize::from(sep_line > 0),
        embedded_newlines: 0,
        late_1252,
        rows_1252: Vec::new(),
        rows_1252_count: 0,
        looks_1252,
        utf8_accents: false,
        finished: false,
    };
    let (headers, header_row) = source.find_header(path, schema, separator)?;
    if headers.iter().any(|h| h.contains('\u{FFFD}')) && encoding == UTF_8 {
        return Err(DataFileError::Encoding {
            path: path_text(path),
            detail: "la fila de encabezados tiene caracteres que no son UTF-8; quite la opción \
                     de codificación para que se detecte sola, o indique windows-1252"
                .to_string(),
        });
    }
    let map = map_columns(
        &HeaderMatcher::new(schema),
        schema,
        headers,
        path,
        opts.missing_as_blank,
    )?;
    source.builder = RowBuilder::new(schema, &map);
    source.field_columns = source.builder.field_columns();
    source.option_columns = source.builder.option_columns();
    source.skip_hxl_row(path)?;
    let mut encoding_name = if looks_1252 {
        WINDOWS_1252.name().to_string()
    } else {
        encoding.name().to_string()
    };
    if bom_len > 0 {
        encoding_name.push_str(" con BOM");
    }
    let detected = Detected {
        format: "csv".to_string(),
        separator: Some(char::from(separator)),
        encoding: Some(encoding_name),
        sheet: None,
        header_row,
        warnings: map.warnings,
        ignored_columns: map.ignored,
    };
    Ok((source, detected))
}

/// The CSV reader over the file (positioned after its BOM) decoded to
/// UTF-8, after a `sep=` line; with the separator and that line's length.
fn records(
    path: &Path,
    file: File,
    encoding: &'static Encoding,
    opts: &ReadOptions,
) -> Result<(Records, u8, usize), DataFileError> {
    let decoded: Box<dyn Read + Send> = if encoding == UTF_8 {
        Box::new(file)
    } else {
        Box::new(DecodingReader::new(
            BufReader::with_capacity(BUFFER, file),
            encoding,
        ))
    };
    let raw = LoneCr::new(BufReader::with_capacity(BUFFER, decoded));
    let mut input = BufReader::with_capacity(BUFFER, raw);
    let peek = input.fill_buf().map_err(|e| DataFileError::io(path, &e))?;
    let (sep_line, sep_from_line) = sep_line(peek);
    input.consume(sep_line);
    let peek = input.fill_buf().map_err(|e| DataFileError::io(path, &e))?;
    if peek.iter().all(u8::is_ascii_whitespace) {
        return Err(DataFileError::Empty {
            path: path_text(path),
        });
    }
    let separator = opts
        .separator
        .or(sep_from_line)
        .unwrap_or_else(|| sniff_separator(peek));
    // Records end at `\n` (a `\r` before it is trimmed with the cell; a lone
    // `\r`, the old Mac line end, became `\n` in `LoneCr`), so the reader's
    // line count after a record is its last line + 1.
    let terminator = csv::Terminator::Any(b'\n');
    let boxed: Box<dyn Read + Send> = Box::new(input.chain(END_MARK));
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .terminator(terminator)
        .buffer_capacity(BUFFER)
        .from_reader(boxed);
    Ok((reader, separator, sep_line))
}

/// The encoding, the length of the byte order mark to skip, whether bytes
/// that are not UTF-8 may be read as Windows-1252, and whether the file looks
/// like Windows-1252 as a whole (then that is its name, and no row is
/// pointed out for it).
///
/// Without a BOM or an option, each cell decides: UTF-8 when it is valid
/// UTF-8, else Windows-1252 (Excel in Spanish). Valid UTF-8 is practically
/// never Windows-1252 text (its `ó` is one byte UTF-8 rejects), so one pasted
/// row in either encoding never turns the rest into `sÃ­`. The first 64 KiB
/// only name the file: not UTF-8 and no UTF-8 accent → Windows-1252.
fn choose_encoding(
    path: &Path,
    file: &mut File,
    opts: &ReadOptions,
) -> Result<(&'static Encoding, usize, bool, bool), DataFileError> {
    let mut head = [0u8; 3];
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(DataFileError::io(path, &e)),
        }
    }
    let head = &head[..n];
    let bom = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        Some((UTF_8, 3))
    } else if head.starts_with(&[0xFF, 0xFE]) {
        Some((UTF_16LE, 2))
    } else if head.starts_with(&[0xFE, 0xFF]) {
        Some((UTF_16BE, 2))
    } else {
        None
    };
    if let Some(label) = &opts.encoding {
        let Some(enc) = Encoding::for_label(label.trim().as_bytes()) else {
            return Err(DataFileError::UnknownEncoding {
                path: path_text(path),
                label: label.clone(),
            });
        };
        let bom_len = match bom {
            Some((b, len)) if b == enc => len,
            _ => 0,
        };
        return Ok((enc, bom_len, false, false));
    }
    if let Some((enc, len)) = bom {
        return Ok((enc, len, false, false));
    }
    file.seek(SeekFrom::Start(0))
        .map_err(|e| DataFileError::io(path, &e))?;
    let mut head = Vec::with_capacity(BUFFER);
    file.take(BUFFER as u64)
        .read_to_end(&mut head)
        .map_err(|e| DataFileError::io(path, &e))?;
    let looks_1252 = match std::str::from_utf8(&head) {
        Ok(_) => false,
        // A character cut by the end of the sample is fine.
        Err(e) if e.error_len().is_none() => false,
        Err(_) => !has_utf8_accents(&head),
    };
    Ok((UTF_8, 0, true, looks_1252))
}

/// Whether some character outside ASCII is written as UTF-8.
fn has_utf8_accents(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii())
}

/// A leading `sep=;` line (Excel): its length with the line break, and the
/// separator it names.
fn sep_line(peek: &[u8]) -> (usize, Option<u8>) {
    if peek.len() < 4 || !peek[..4].eq_ignore_ascii_case(b"sep=") {
        return (0, None);
    }
    let end = peek
        .iter()
        .position(|&b| b == b'\n')
        .map_or(peek.len(), |p| p + 1);
    let sep = match peek.get(4) {
        Some(b'\r' | b'\n') | None => None,
        Some(&b) => Some(b),
    };
    (end, sep)
}

/// The separator among `;` tab `,` that appears most on one line of the first
/// lines (outside quotes). Ties prefer `;`, then tab.
fn sniff_separator(peek: &[u8]) -> u8 {
    const CANDIDATES: [u8; 3] = [b';', b'\t', b','];
    let mut best = [0usize; 3];
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let mut lines = 0;
    for &b in peek {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                for i in 0..3 {
                    best[i] = best[i].max(counts[i]);
                    counts[i] = 0;
                }
                lines += 1;
                if lines >= HEADER_SEARCH_ROWS {
                    break;
                }
            }
            _ if !in_quotes => {
                if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    for i in 0..3 {
        best[i] = best[i].max(counts[i]);
    }
    let mut choice = 2; // ',' when nothing is found (a single column)
    for i in [2, 1, 0] {
        if best[i] > 0 && best[i] >= best[choice] {
            choice = i;
        }
    }
    CANDIDATES[choice]
}

fn is_blank_record(rec: &ByteRecord) -> bool {
    rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
}

/// The cells of a record as text: UTF-8, or Windows-1252 when `late_1252`
/// and the cell is not UTF-8.
fn record_texts(rec: &ByteRecord, late_1252: bool) -> Vec<String> {
    rec.iter()
        .map(|f| match std::str::from_utf8(f) {
            Ok(s) => s.trim().to_string(),
            Err(_) if late_1252 => WINDOWS_1252
                .decode_without_bom_handling(f)
                .0
                .trim()
                .to_string(),
            Err(_) => String::from_utf8_lossy(f).trim().to_string(),
        })
        .collect()
}

impl CsvSource {
    pub(crate) fn builder(&mut self) -> &mut RowBuilder {
        &mut self.builder
    }

    /// Reads the next record into `self.record` with its row number as seen in
    /// a spreadsheet; `Ok(None)` at the end.
    fn read_record(&mut self) -> Result<Option<usize>, csv::Error> {
        if let Some((rec, line, quote)) = self.pending.pop_front() {
            self.record = rec;
            self.open_quote = quote;
            return Ok(Some(line));
        }
        self.open_quote = None;
        if !self.reader.read_byte_record(&mut self.record)? {
            return Ok(None);
        }
        if self.record.len() == 1 && &self.record[0] == END_RECORD {
            return Ok(None);
        }
        // Line breaks inside quoted cells of this record.
        let inner = newlines(self.record.as_slice());
        let last_line = (self.reader.position().line() as usize).saturating_sub(1);
        let first_line = last_line.saturating_sub(inner);
        let never_closed = self.strip_end_mark();
        // The parser does not count the last line break of the mark when a
        // quote runs into it.
        let first_line = first_line + usize::from(never_closed);
        let line = first_line + self.line_offset - self.embedded_newlines.min(first_line);
        let inner = newlines(self.record.as_slice());
        if inner > 0 && self.builder.width() > 0 {
            self.open_quote = self.swallowing_cell(line, never_closed);
        }
        // Rows swallowed by a quote are rows of their own, not line breaks
        // inside one cell.
        if self.open_quote.is_none() {
            self.embedded_newlines += inner;
        }
        Ok(Some(line))
    }

    /// Removes [`END_MARK`] (and the file's last line break) from the last
    /// cell when a quote ran to the end of the file; says whether it did.
    fn strip_end_mark(&mut self) -> bool {
        let Some(last) = self.record.iter().next_back() else {
            return false;
        };
        let Some(body) = last.strip_suffix(END_MARK) else {
            return false;
        };
        let body = body
            .strip_suffix(b"\n")
            .map_or(body, |b| b.strip_suffix(b"\r").unwrap_or(b));
        let mut fixed = ByteRecord::new();
        let n = self.record.len();
        for (i, f) in self.record.iter().enumerate() {
            fixed.push_field(if i + 1 == n { body } else { f });
        }
        self.record = fixed;
        true
    }

    /// The cell of this record that swallowed rows, if any: its quote never
    /// closes, or a line inside it has as many separators as a whole row.
    fn swallowing_cell(&self, line: usize, never_closed: bool) -> Option<OpenQuote> {
        let width = self.builder.width();
        let (column, cell) = self
            .record
            .iter()
            .enumerate()
            .find(|(_, f)| f.contains(&b'\n'))?;
        let mut lines = cell.split(|&b| b == b'\n').skip(1);
        let looks_like_rows = width >= 3
            && lines
                .clone()
                .any(|l| l.iter().filter(|&&b| b == self.separator).count() + 1 >= width);
        if !never_closed && !looks_like_rows {
            return None;
        }
        let swallowed = (1..)
            .zip(lines.by_ref())
            .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
            .map(|(k, l)| (line + k, l.to_vec()))
            .collect();
        Some(OpenQuote {
            column,
            swallowed,
            closed: !never_closed,
        })
    }

    /// The row that opens the quote, rejected with the reason; the rows the
    /// quote swallowed are queued, each rejected too.
    fn open_quote_rows(&mut self, line: usize, quote: OpenQuote) -> Row {
        let mut row = self.build_row(line);
        // The cell as typed on its own row, not the rows it swallowed.
        if let Some(first) = row
            .nombre
            .as_mut()
            .and_then(|n| n.lines().next().map(str::to_string))
        {
            row.nombre = Some(first);
        }
        let column = self.builder.header(quote.column).unwrap_or("?").to_string();
        let rows = match (quote.swallowed.first(), quote.swallowed.last()) {
            (Some((a, _)), Some((b, _))) if a == b => format!("la fila {a} quedó"),
            (Some((a, _)), Some((b, _))) => format!("las filas {a} a {b} quedaron"),
            _ => "el resto de la fila quedó".to_string(),
        };
        let until = match (quote.closed, quote.swallowed.last()) {
            (true, Some((b, _))) => format!("no se cierran hasta la fila {b}"),
            _ => "no se cierran nunca (llegan al final del archivo)".to_string(),
        };
        row.errors.insert(
            0,
            super::schema::CellError {
                columna: Some(column.clone()),
                valor: None,
                mensaje: format!(
                    "las comillas (\") que abren la celda de la columna `{column}` en esta fila \
                     {until}: {rows} dentro de esa celda y se rechaza{plural} también; cierre las \
                     comillas o quítelas y vuelva a leer el archivo",
                    plural = if quote.swallowed.len() > 1 { "n" } else { "" }
                ),
            },
        );
        let code_column = self
            .builder
            .codigo_field()
            .and_then(|f| self.builder.column_of(f));
        for (n, text) in &quote.swallowed {
            let mut r = self.builder.start(*n);
            r.codigo = code_column.and_then(|c| {
                let cell = text.split(|&b| b == self.separator).nth(c)?;
                let cell = String::from_utf8_lossy(cell);
                let cell = cell.trim().trim_matches('"').trim();
                (!cell.is_empty()).then(|| cell.to_string())
            });
            RowBuilder::row_error(
                &mut r,
                format!(
                    "esta fila quedó dentro de una celda: las comillas (\") que se abren en la fila \
                     {line}, columna `{column}`, no se cierran antes; corrija esas comillas y \
                     vuelva a leer el archivo"
                ),
            );
            self.queued.push_back(r);
        }
        row
    }

    /// Reads up to the header row; returns its cells and its row number. Rows
    /// read past it are kept in `pending`.
    fn find_header(
        &mut self,
        path: &Path,
        schema: &Schema,
        separator: u8,
    ) -> Result<(Vec<String>, usize), DataFileError> {
        let matcher = HeaderMatcher::new(schema);
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut read: Vec<(ByteRecord, usize, Option<OpenQuote>)> = Vec::new();
        while rows.len() < HEADER_SEARCH_ROWS {
            let line = match self.read_record() {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(e) => return Err(csv_error(path, &e)),
            };
            if is_blank_record(&self.record) {
                continue;
            }
            rows.push(record_texts(&self.record, self.late_1252));
            read.push((self.record.clone(), line, self.open_quote.clone()));
            if matcher.header_score(&rows[rows.len() - 1]) > 0 {
                break;
            }
        }
        let Some(first) = rows.first() else {
            return Err(DataFileError::Empty {
                path: path_text(path),
            });
        };
        let Some(h) = find_header(&matcher, &rows) else {
            return Err(no_header(path, schema, first, Some(separator)));
        };
        // Rows read past the header are data: keep them for the iterator.
        let line = read.get(h).map_or(0, |(_, line, _)| *line);
        self.pending.extend(read.drain(..).skip(h + 1));
        Ok((rows.swap_remove(h), line))
    }

    fn skip_hxl_row(&mut self, path: &Path) -> Result<(), DataFileError> {
        let line = match self.read_record() {
            Ok(Some(line)) => line,
            Ok(None) => return Ok(()),
            Err(e) => return Err(csv_error(path, &e)),
        };
        let hxl = is_hxl_row(
            self.record
                .iter()
                .map(|f| std::str::from_utf8(f).unwrap_or("")),
        );
        if !hxl {
            self.pending.push_front((
                std::mem::take(&mut self.record),
                line,
                self.open_quote.take(),
            ));
        }
        Ok(())
    }

    fn build_row(&mut self, line: usize) -> Row {
        let width = self.builder.width();
        let mut row = self.builder.start(line);
        let len = self.record.len();
        let extra = len > width
            && self
                .record
                .iter()
                .skip(width)
                .any(|f| !f.iter().all(u8::is_ascii_whitespace));
        // Validate the record's UTF-8 once, not cell by cell; a cell is then a
        // slice of it (unless a character straddles two cells: slow path).
        let record = &self.record;
        let mut fast = false;
        if let Ok(text) = std::str::from_utf8(record.as_slice()) {
            fast = true;
            if self.looks_1252 && !self.utf8_accents && !text.is_ascii() {
                self.utf8_accents = true;
            }
            for &(c, f) in &self.field_columns {
                if c >= len {
                    break;
                }
                match record.range(c).and_then(|r| text.get(r)) {
                    Some(s) => self.builder.text_cell(&mut row, c, f, s),
                    None => {
                        fast = false;
                        break;
                    }
                }
            }
            for &c in self.option_columns.iter().filter(|&&c| c < len) {
                match record.range(c).and_then(|r| text.get(r)) {
                    Some(s) => self.builder.cell(&mut row, c, RawCell::Text(s)),
                    None => fast = false,
                }
            }
        }
        if !fast {
            row = self.builder.start(line);
            self.cells_with_bad_bytes(&mut row, width, line);
        }
        if len < width && (len..width).any(|c| self.builder.is_field_column(c)) {
            RowBuilder::row_error(
                &mut row,
                format!(
                    "la fila tiene {len} celdas pero el encabezado tiene {width} columnas: faltan \
                     celdas al final (¿se perdió un separador o la fila quedó cortada?)"
                ),
            );
        }
        if extra {
            RowBuilder::row_error(
                &mut row,
                format!(
                    "la fila tiene {len} celdas, más que las {width} columnas del encabezado, y \
                     no se sabe cuál sobra (¿hay un separador dentro de un valor sin comillas, como \
                     una coma decimal en un archivo separado por comas?)"
                ),
            );
        }
        self.builder.finish(&mut row);
        row
    }
}

impl CsvSource {
    /// The slow path for a record that is not all UTF-8 (a forced encoding).
    fn cells_with_bad_bytes(&mut self, row: &mut Row, width: usize, line: usize) {
        let mut noted = false;
        for (c, bytes) in self.record.iter().enumerate().take(width) {
            if !self.builder.is_field_column(c) {
                continue;
            }
            match std::str::from_utf8(bytes) {
                Ok(s) => self.builder.cell(row, c, RawCell::Text(s)),
                Err(_) if self.late_1252 => {
                    if !noted {
                        noted = true;
                        self.rows_1252_count += 1;
                        if self.rows_1252.len() < ROWS_NAMED {
                            self.rows_1252.push(line);
                        }
                    }
                    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                    self.builder.cell(row, c, RawCell::Text(&text));
                }
                Err(_) => {
                    let raw = String::from_utf8_lossy(bytes);
                    let cell = RawCell::Invalid {
                        raw: &raw,
                        mensaje: INVALID_UTF8,
                    };
                    self.builder.cell(row, c, cell);
                }
            }
        }
    }
}

impl Iterator for CsvSource {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        if let Some(row) = self.queued.pop_front() {
            return Some(row);
        }
        if self.finished {
            return None;
        }
        loop {
            match self.read_record() {
                Ok(Some(line)) => {
                    if let Some(quote) = self.open_quote.take() {
                        return Some(self.open_quote_rows(line, quote));
                    }
                    if is_blank_record(&self.record) {
                        continue;
                    }
                    return Some(self.build_row(line));
                }
                Ok(None) => {
                    self.finished = true;
                    return None;
                }
                Err(e) => {
                    // Nothing after a read error can be trusted: report and stop.
                    self.finished = true;
                    let line = e
                        .position()
                        .map_or(0, |p| p.line() as usize + self.line_offset);
                    let mut row = self.builder.start(line);
                    RowBuilder::row_error(
                        &mut row,
                        format!("no se pudo leer el resto del archivo: {}", csv_detail(&e)),
                    );
                    return Some(row);
                }
            }
        }
    }
}

fn csv_detail(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => system_error(io),
        _ => e.to_string(),
    }
}

fn csv_error(path: &Path, e: &csv::Error) -> DataFileError {
    DataFileError::Unreadable {
        path: path_text(path),
        detail: csv_detail(e),
    }
}

/// No row among the first ones names a declared field.
pub(crate) fn no_header(
    path: &Path,
    schema: &Schema,
    first_row: &[String],
    separator: Option<u8>,
) -> DataFileError {
    let names: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
    let cells: Vec<&str> = first_row
        .iter()
        .map(String::as_str)
        .filter(|c| !c.is_empty())
        .collect();
    let mut help = format!(
        "la fila de encabezados debe tener los nombres de los campos declarados, por ejemplo {}; \
         la primera fila del archivo tiene: {}",
        backquoted_list(&names, 5),
        backquoted_list(&cells, 8)
    );
    if let (Some(sep), [only]) = (separator, cells.as_slice()) {
        if only.contains([';', ',', '\t', '|']) {
            let shown = if sep == b'\t' {
                "tabulador".to_string()
            } else {
                format!("`{}`", char::from(sep))
            };
            help.push_str(&format!(
                ". Todas las columnas quedaron en una sola: el separador no parece ser {shown}; \
                 indíquelo con la opción de separador"
            ));
        }
    }
    DataFileError::NoHeader {
        path: path_text(path),
        help,
    }
}

fn newlines(bytes: &[u8]) -> usize {
    if bytes.contains(&b'\n') {
        bytes.iter().filter(|&&b| b == b'\n').count()
    } else {
        0
    }
}

/// Turns a lone `\r` (the old Mac line end, or one stray in a file of `\n`
/// lines) into `\n`, so that it ends a row instead of merging two; `\r\n`
/// is left alone.
struct LoneCr<R> {
    inner: R,
    /// A `\r` was the last byte read: whether it is alone depends on the next.
    held_cr: bool,
}

impl<R: BufRead> LoneCr<R> {
    fn new(inner: R) -> Self {
        LoneCr {
            inner,
            held_cr: false,
        }
    }
}

impl<R: BufRead> Read for LoneCr<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let src = self.inner.fill_buf()?;
            if self.held_cr {
                self.held_cr = false;
                buf[0] = if src.first() == Some(&b'\n') {
                    b'\r'
                } else {
                    b'\n'
                };
                return Ok(1);
            }
            let n = src.len().min(buf.len());
            buf[..n].copy_from_slice(&src[..n]);
            let mut out = n;
            let mut from = 0;
            // memchr: a `\r` is rare, and a byte-by-byte search was ~5 % of
            // the time spent reading a large file.
            while let Some(p) = memchr::memchr(b'\r', &buf[from..out]) {
                let i = from + p;
                match src.get(i + 1) {
                    Some(b'\n') => {}
                    Some(_) => buf[i] = b'\n',
                    None => {
                        // The end of what is buffered: decide with the next byte.
                        self.held_cr = true;
                        out = i;
                        break;
                    }
                }
                from = i + 1;
            }
            let consumed = out + usize::from(self.held_cr);
            self.inner.consume(consumed);
            if out > 0 || !self.held_cr {
                return Ok(out);
            }
        }
    }
}

/// Transcodes a non-UTF-8 stream (Windows-1252, UTF-16) to UTF-8 on the fly.
struct DecodingReader<R> {
    inner: R,
    decoder: Decoder,
    out: Vec<u8>,
    pos: usize,
    len: usize,
    done: bool,
}

impl<R: BufRead> DecodingReader<R> {
    fn new(inner: R, encoding: &'static Encoding) -> Self {
        DecodingReader {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            out: Vec::new(),
            pos: 0,
            len: 0,
            done: false,
        }
    }
}

impl<R: BufRead> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.len {
            if self.done {
                return Ok(0);
            }
            let src = self.inner.fill_buf()?;
            let last = src.is_empty();
            let needed = self
                .decoder
                .max_utf8_buffer_length(src.len())
                .unwrap_or(src.len() * 3 + 16)
                .max(16);
            if self.out.len() < needed {
                self.out.resize(needed, 0);
            }
            let (result, read, written, _) = self.decoder.decode_to_utf8(src, &mut self.out, last);
            self.inner.consume(read);
            self.pos = 0;
            self.len = written;
            if last && result == CoderResult::InputEmpty {
                self.done = true;
            }
        }
        let n = buf.len().min(self.len - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators() {
        assert_eq!(sniff_separator(b"a;b;c\n1,5;2;3\n"), b';');
        assert_eq!(sniff_separator(b"a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_separator(b"a\tb\tc\n"), b'\t');
        assert_eq!(sniff_separator(b"\"x;y\",b\n"), b',');
        assert_eq!(sniff_separator(b"solo\n"), b',');
    }

    #[test]
    fn sep_lines() {
        assert_eq!(sep_line(b"sep=;\r\na;b"), (7, Some(b';')));
        assert_eq!(sep_line(b"SEP=,\n"), (6, Some(b',')));
        assert_eq!(sep_line(b"codigo;sep"), (0, None));
    }

    #[test]
    fn lone_carriage_returns_end_lines() -> io::Result<()> {
        for cap in [1, 2, 3, 64] {
            let bytes: &[u8] = b"a\rb\r\nc\r\rd\r";
            let mut r = LoneCr::new(BufReader::with_capacity(cap, bytes));
            let mut s = Vec::new();
            r.read_to_end(&mut s)?;
            assert_eq!(s, b"a\nb\r\nc\n\nd\n", "capacity {cap}");
        }
        Ok(())
    }

    #[test]
    fn decodes_windows_1252() -> io::Result<()> {
        let bytes: &[u8] = b"Regi\xf3n;Ca\xf1a\n";
        let mut r = DecodingReader::new(BufReader::with_capacity(4, bytes), WINDOWS_1252);
        let mut s = String::new();
        r.read_to_string(&mut s)?;
        assert_eq!(s, "Región;Caña\n");
        Ok(())
    }
}
