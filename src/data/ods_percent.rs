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
