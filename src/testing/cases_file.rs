//! Test cases kept in a spreadsheet: the organization's data columns (read
//! by the ordinary data readers) plus three columns with what is expected.
//! The expected columns are read separately, by row number.

use std::collections::HashMap;
use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};

use super::Case;
use crate::data::{DataFileError, ReadOptions};
use crate::program::Program;

pub const EXPECTED_COLUMNS: [&str; 3] = [
    "nivel_esperado",
    "fallan_esperados",
    "recomendaciones_esperadas",
];

#[derive(Debug)]
pub enum CasesFileError {
    Data(DataFileError),
    /// Spanish message.
    Other(String),
}

/// Reads the cases of a CSV or spreadsheet file.
pub fn read_cases_file(
    program: &Program,
    path: &Path,
    opts: &ReadOptions,
) -> Result<Vec<Case>, CasesFileError> {
    let source = crate::data::open(path, &program.schema, opts).map_err(CasesFileError::Data)?;
    let detected = source.detected().clone();
    let expected = read_expected(path, &detected).map_err(CasesFileError::Other)?;
    if expected.is_empty() {
        return Err(CasesFileError::Other(format!(
            "`{}` no tiene ninguna de las columnas de resultados esperados ({}); añada al menos `nivel_esperado`",
            path.display(),
            EXPECTED_COLUMNS.join(", ")
        )));
    }
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut cases = Vec::new();
    for row in source {
        let exp = expected.get(&row.line).cloned().unwrap_or_default();
        let list = |s: &Option<String>| -> Option<Vec<String>> {
            s.as_ref().map(|t| {
                t.split([',', ';', ' '])
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(String::from)
                    .collect()
            })
        };
        let level = exp.first().cloned().flatten().map(|l| {
            let l = l.trim().to_string();
            if l.is_empty() || l == "ninguno" || l == "sin_nivel" {
                None
            } else {
                Some(l)
            }
        });
        cases.push(Case {
            name: row
                .codigo
                .clone()
                .unwrap_or_else(|| format!("fila {}", row.line)),
            title: row.nombre.clone(),
            origin: format!("{file}, fila {}", row.line),
            expect_level: level,
            expect_failed: list(exp.get(1).unwrap_or(&None)).filter(|v| !v.is_empty()),
            expect_recommendations: list(exp.get(2).unwrap_or(&None)).filter(|v| !v.is_empty()),
            row,
        });
    }
    Ok(cases)
}

type Expected = HashMap<usize, Vec<Option<String>>>;

/// Row number (as the user sees it) → the three expected cells.
fn read_expected(path: &Path, d: &crate::data::Detected) -> Result<Expected, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let rows: Vec<Vec<String>> = match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" | "xlsb" => {
            let mut wb = open_workbook_auto(path)
                .map_err(|e| format!("no se pudo abrir `{}`: {e}", path.display()))?;
            let name = d
                .sheet
                .clone()
                .or_else(|| wb.sheet_names().first().cloned())
                .unwrap_or_default();
            let range = wb
                .worksheet_range(&name)
                .map_err(|e| format!("no se pudo leer la hoja `{name}`: {e}"))?;
            let start = range.start().map(|s| s.0 as usize).unwrap_or(0);
            let mut out = vec![Vec::new(); start];
            for r in range.rows() {
                out.push(r.iter().map(cell_text).collect());
            }
            out
        }
        _ => {
            let bytes = std::fs::read(path)
                .map_err(|e| format!("no se pudo leer `{}`: {e}", path.display()))?;
            let text = crate::data::decode_text(&bytes);
            let sep = d.separator.unwrap_or(',') as u8;
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(sep)
                .from_reader(text.as_bytes());
            let mut out = Vec::new();
            for rec in reader.records() {
                let rec =
                    rec.map_err(|e| format!("`{}` no se pudo leer como CSV: {e}", path.display()))?;
                out.push(rec.iter().map(String::from).collect());
            }
            // A `sep=;` line is a row the reader above also counts.
            out
        }
    };
    let header_idx = d.header_row.saturating_sub(1);
    let Some(header) = rows.get(header_idx) else {
        return Ok(HashMap::new());
    };
    let cols: Vec<Option<usize>> = EXPECTED_COLUMNS
        .iter()
        .map(|c| {
            header
                .iter()
                .position(|h| crate::text::fold(h.trim()) == *c)
        })
        .collect();
    if cols.iter().all(Option::is_none) {
        return Ok(HashMap::new());
    }
    let mut out = HashMap::new();
    for (i, r) in rows.iter().enumerate().skip(header_idx + 1) {
        let cells = cols
            .iter()
            .map(|c| {
                c.and_then(|c| r.get(c))
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            })
            .collect();
        out.insert(i + 1, cells);
    }
    Ok(out)
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}
