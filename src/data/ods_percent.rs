//! Which cells of an ODS sheet are percentages. LibreOffice stores a cell
//! shown as `78,5 %` as `office:value-type="percentage" office:value="0.785"`,
//! and calamine gives only the 0.785: this reads the sheet's XML once more for
//! the value types. Positions are counted as calamine counts them (repeated
//! rows and columns expanded), so they match the cells of its range.

use std::collections::HashSet;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Repeats larger than this are the empty filler LibreOffice writes to the
/// end of the sheet, never data.
const MAX_REPEAT: u32 = 10_000;

/// `(row, column)`, from 0, of every percentage cell of `sheet`; empty when
/// the file cannot be read this way (then nothing is a percentage).
pub(crate) fn percent_cells(path: &Path, sheet: &str) -> HashSet<(u32, u32)> {
    read(path, sheet).unwrap_or_default()
}

fn read(path: &Path, sheet: &str) -> Option<HashSet<(u32, u32)>> {
    let mut zip = zip::ZipArchive::new(File::open(path).ok()?).ok()?;
    let content = zip.by_name("content.xml").ok()?;
    let mut reader = Reader::from_reader(BufReader::new(content));
    reader.config_mut().expand_empty_elements = true;
    let mut found = HashSet::new();
    let mut buf = Vec::new();
    let (mut in_sheet, mut row, mut col, mut row_repeat) = (false, 0u32, 0u32, 1u32);
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) => match e.name().as_ref() {
                "table:table" if !in_sheet => {
                    in_sheet = attribute(&e, "table:name").as_deref() == Some(sheet);
                    row = 0;
                }
                "table:table-row" if in_sheet => {
                    row_repeat = repeat(&e, "table:number-rows-repeated");
                    col = 0;
                }
                "table:table-cell" | "table:covered-table-cell" if in_sheet => {
                    let columns = repeat(&e, "table:number-columns-repeated");
                    if attribute(&e, "office:value-type").as_deref() == Some("percentage") {
                        for r in row..row.saturating_add(row_repeat.min(MAX_REPEAT)) {
                            for c in col..col.saturating_add(columns.min(MAX_REPEAT)) {
                                found.insert((r, c));
                            }
                        }
                    }
                    col = col.saturating_add(columns);
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" if in_sheet => row = row.saturating_add(row_repeat),
                "table:table" if in_sheet => return Some(found),
                _ => {}
            },
            Event::Eof => return Some(found),
            _ => {}
        }
        buf.clear();
    }
}

/// The first sheet whose cells with something in them span more than `limit`
/// cells (rows × columns, repeats expanded as calamine expands them): its
/// name, rows and columns. Read from the XML without expanding anything, so
/// a few bytes that repeat a value over a whole sheet cost nothing here.
/// `None` when every sheet fits, or when the file cannot be read this way
/// (calamine then says what is wrong).
pub(crate) fn oversized_sheet(path: &Path, limit: u64) -> Option<(String, u64, u64)> {
    let mut zip = zip::ZipArchive::new(File::open(path).ok()?).ok()?;
    let content = zip.by_name("content.xml").ok()?;
    let mut reader = Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut name = String::new();
    let (mut row, mut col, mut row_repeat) = (0u64, 0u64, 1u64);
    // Rows and columns of the first and last cells with content.
    let mut bounds: Option<(u64, u64, u64, u64)> = None;
    loop {
        let (e, has_content) = match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(row_repeat);
                buf.clear();
                continue;
            }
            Event::Eof => return None,
            _ => {
                buf.clear();
                continue;
            }
        };
        match e.name().as_ref() {
            "table:table" => {
                name = attribute(&e, "table:name").unwrap_or_default();
                (row, bounds) = (0, None);
            }
            "table:table-row" => {
                row_repeat = u64::from(repeat(&e, "table:number-rows-repeated"));
                col = 0;
                if !has_content {
                    row = row.saturating_add(row_repeat);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let columns = u64::from(repeat(&e, "table:number-columns-repeated"));
                let filled = has_content
                    || e.try_get_attribute("office:value-type")
                        .ok()
                        .flatten()
                        .is_some();
                if filled {
                    let (last_row, last_col) =
                        (row + row_repeat - 1, col.saturating_add(columns - 1));
                    let (top, left, bottom, right) =
                        bounds.unwrap_or((row, col, last_row, last_col));
                    let b = (
                        top.min(row),
                        left.min(col),
                        bottom.max(last_row),
                        right.max(last_col),
                    );
                    let (rows, cols) = (b.2 - b.0 + 1, b.3 - b.1 + 1);
                    if rows.saturating_mul(cols) > limit {
                        return Some((name, rows, cols));
                    }
                    bounds = Some(b);
                }
                col = col.saturating_add(columns);
            }
            _ => {}
        }
        buf.clear();
    }
}

fn attribute(e: &BytesStart, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    Some(
        a.normalized_value(quick_xml::XmlVersion::default())
            .ok()?
            .into_owned(),
    )
}

fn repeat(e: &BytesStart, name: &str) -> u32 {
    attribute(e, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
        .max(1)
}
