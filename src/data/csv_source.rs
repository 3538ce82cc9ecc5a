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

const INVALID_UTF8: &str = "la celda tiene caracteres que no son UTF-8; si el archivo viene de \
     Excel en castellano, léalo con la codificación windows-1252";

/// The CSV reader over the decoded file.
type Records = csv::Reader<Box<dyn Read + Send>>;

pub(crate) struct CsvSource {
    reader: Records,
    record: ByteRecord,
    /// Records read ahead while looking for the header, with their row number.
    pending: VecDeque<(ByteRecord, usize)>,
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
    /// The first row read as Windows-1252 that way.
    pub(crate) switched_to_1252: Option<usize>,
    finished: bool,
}

pub(crate) fn open(
    path: &Path,
    schema: &Schema,
    opts: &ReadOptions,
) -> Result<(CsvSource, Detected), DataFileError> {
    let mut file = File::open(path).map_err(|e| DataFileError::io(path, &e))?;
    let (encoding, bom_len, late_1252) = choose_encoding(path, &mut file, opts)?;
    file.seek(SeekFrom::Start(bom_len as u64))
        .map_err(|e| DataFileError::io(path, &e))?;
    let (reader, separator, sep_line) = records(path, file, encoding, opts)?;
    let mut source = CsvSource {
        reader,
        record: ByteRecord::new(),
        pending: VecDeque::new(),
        builder: RowBuilder::new(schema, &super::header::ColumnMap::empty()),
        field_columns: Vec::new(),
        option_columns: Vec::new(),
        line_offset: usize::from(sep_line > 0),
        embedded_newlines: 0,
        late_1252,
        switched_to_1252: None,
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
    let map = map_columns(&HeaderMatcher::new(schema), schema, headers, path)?;
    source.builder = RowBuilder::new(schema, &map);
    source.field_columns = source.builder.field_columns();
    source.option_columns = source.builder.option_columns();
    source.skip_hxl_row(path)?;
    source.expect_rows(path);
    let mut encoding_name = encoding.name().to_string();
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
    let raw: Box<dyn Read + Send> = if encoding == UTF_8 {
        Box::new(file)
    } else {
        Box::new(DecodingReader::new(
            BufReader::with_capacity(BUFFER, file),
            encoding,
        ))
    };
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
    // Records end at `\n` (a `\r` before it is trimmed with the cell), so the
    // reader's line count after a record is its last line + 1; the extra `\n`
    // makes that true of an unterminated last record too. Old Mac files (`\r`
    // alone) keep the CSV default, at the price of row numbers.
    let terminator = if peek.contains(&b'\n') || !peek.contains(&b'\r') {
        csv::Terminator::Any(b'\n')
    } else {
        csv::Terminator::CRLF
    };
    let boxed: Box<dyn Read + Send> = Box::new(input.chain(&b"\n"[..]));
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .terminator(terminator)
        .buffer_capacity(BUFFER)
        .from_reader(boxed);
    Ok((reader, separator, sep_line))
}

/// The encoding, the length of the byte order mark to skip, and whether bytes
/// that are not UTF-8 further down may still be read as Windows-1252.
///
/// Without a BOM or an option, the first 64 KiB decide: not UTF-8 →
/// Windows-1252; UTF-8 with accents → UTF-8; plain ASCII → UTF-8 so far (both
/// read ASCII alike), and a later cell that is not UTF-8 is read as
/// Windows-1252. The file is read once.
fn choose_encoding(
    path: &Path,
    file: &mut File,
    opts: &ReadOptions,
) -> Result<(&'static Encoding, usize, bool), DataFileError> {
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
        return Ok((enc, bom_len, false));
    }
    if let Some((enc, len)) = bom {
        return Ok((enc, len, false));
    }
    file.seek(SeekFrom::Start(0))
        .map_err(|e| DataFileError::io(path, &e))?;
    let mut head = Vec::with_capacity(BUFFER);
    file.take(BUFFER as u64)
        .read_to_end(&mut head)
        .map_err(|e| DataFileError::io(path, &e))?;
    Ok(match std::str::from_utf8(&head) {
        Ok(text) => (UTF_8, 0, text.is_ascii()),
        // A character cut by the end of the sample is fine.
        Err(e) if e.error_len().is_none() => (UTF_8, 0, head.is_ascii()),
        // Mostly UTF-8 with a few rows pasted from Excel: UTF-8, and the
        // cells that are not, as Windows-1252.
        Err(_) if mostly_utf8(&head) => (UTF_8, 0, true),
        Err(_) => (WINDOWS_1252, 0, false),
    })
}

/// More accented characters written as UTF-8 than bytes that are not
/// UTF-8. A Windows-1252 file practically never has the former: its `ó`
/// is one byte that UTF-8 rejects.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut accented, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        accented += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    accented > invalid
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

fn record_texts(rec: &ByteRecord) -> Vec<String> {
    rec.iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_string())
        .collect()
}

impl CsvSource {
    /// Estimates the number of rows from the first one, to size the code table.
    fn expect_rows(&mut self, path: &Path) {
        if let (Some((first, _)), Ok(meta)) = (self.pending.front(), std::fs::metadata(path)) {
            let row_bytes = first.as_slice().len() + first.len() + 1;
            self.builder
                .expect_rows(usize::try_from(meta.len()).unwrap_or(0) / row_bytes.max(8));
        }
    }

    /// Reads the next record into `self.record` with its row number as seen in
    /// a spreadsheet; `Ok(None)` at the end.
    fn read_record(&mut self) -> Result<Option<usize>, csv::Error> {
        if let Some((rec, line)) = self.pending.pop_front() {
            self.record = rec;
            return Ok(Some(line));
        }
        if !self.reader.read_byte_record(&mut self.record)? {
            return Ok(None);
        }
        // Line breaks inside quoted cells of this record.
        let bytes = self.record.as_slice();
        let inner = if bytes.contains(&b'\n') {
            bytes.iter().filter(|&&b| b == b'\n').count()
        } else {
            0
        };
        let last_line = (self.reader.position().line() as usize).saturating_sub(1);
        let first_line = last_line.saturating_sub(inner);
        let line = first_line + self.line_offset - self.embedded_newlines.min(first_line);
        self.embedded_newlines += inner;
        Ok(Some(line))
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
        let mut read: Vec<(ByteRecord, usize)> = Vec::new();
        while rows.len() < HEADER_SEARCH_ROWS {
            let line = match self.read_record() {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(e) => return Err(csv_error(path, &e)),
            };
            if is_blank_record(&self.record) {
                continue;
            }
            rows.push(record_texts(&self.record));
            read.push((self.record.clone(), line));
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
        let line = read.get(h).map_or(0, |(_, line)| *line);
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
            self.pending
                .push_front((std::mem::take(&mut self.record), line));
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
        for (c, bytes) in self.record.iter().enumerate().take(width) {
            if !self.builder.is_field_column(c) {
                continue;
            }
            match std::str::from_utf8(bytes) {
                Ok(s) => self.builder.cell(row, c, RawCell::Text(s)),
                Err(_) if self.late_1252 => {
                    self.switched_to_1252.get_or_insert(line);
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
        if self.finished {
            return None;
        }
        loop {
            match self.read_record() {
                Ok(Some(line)) => {
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
    fn decodes_windows_1252() -> io::Result<()> {
        let bytes: &[u8] = b"Regi\xf3n;Ca\xf1a\n";
        let mut r = DecodingReader::new(BufReader::with_capacity(4, bytes), WINDOWS_1252);
        let mut s = String::new();
        r.read_to_string(&mut s)?;
        assert_eq!(s, "Región;Caña\n");
        Ok(())
    }
}
