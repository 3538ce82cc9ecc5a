//! Data cleaning log (`--correcciones`): manual fixes recorded as
//! `codigo, campo, valor_anterior, valor_nuevo, motivo`, applied to the rows
//! before evaluation. A correction whose old value does not match the data is
//! an error on that row (the data changed since the log was written), and
//! every applied correction is shown in the organization's explanation.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::codes::Code;
use crate::data::schema::{exceeded, exceeded_message};
use crate::data::{code_key, parse_value, CellError, Row, Schema, Value};
use crate::diagnostic::Failure;

#[derive(Debug, Clone)]
pub struct Correction {
    /// Row of the log, as the user sees it.
    pub line: usize,
    pub field: usize,
    pub field_name: String,
    pub old_text: String,
    pub old: Option<Value>,
    /// The old value is not valid for the field (`tal vez` in a sí/no): the
    /// correction can only fix a cell the reader rejected.
    pub old_invalid: bool,
    pub new_text: String,
    pub new: Option<Value>,
    pub reason: String,
}

/// A correction applied to one organization, for its explanation.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct CorreccionAplicada {
    pub campo: String,
    pub valor_anterior: String,
    pub valor_nuevo: String,
    pub motivo: String,
    /// `correcciones.csv, fila 3`
    pub origen: String,
}

pub struct CleaningLog {
    file: String,
    /// Per field: the column names it is read from (folded), to find the
    /// error of a rejected cell.
    headers: Vec<Vec<String>>,
    /// `máximo` pairs (field, the field it may not exceed), rechecked after
    /// a correction.
    at_most: Vec<(usize, usize)>,
    names: Vec<String>,
    /// Category names per field, to show values as the user wrote them.
    categories: Vec<Vec<String>>,
    /// Keyed by the code in lower case: codes are compared without case, as
    /// when the reader looks for repeated codes (`OECA-1` = `oeca-1`).
    by_code: HashMap<String, Vec<Correction>>,
    /// Per code (lower case): as written in the log, and whether a row had it.
    used: HashMap<String, (String, bool)>,
    /// The fields the row also keeps apart (`Row::codigo`, `Row::nombre`).
    codigo: Option<usize>,
    nombre: Option<usize>,
}

const COLUMNS: [&str; 5] = ["codigo", "campo", "valor_anterior", "valor_nuevo", "motivo"];

/// The log's text; an error says why the file could not be read.
fn read_text(path: &Path, shown: &str) -> Result<String, Vec<String>> {
    let bytes = std::fs::read(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no existe; revise la ruta y el nombre".to_string(),
            _ if path.is_dir() => "es una carpeta, no un archivo".to_string(),
            _ => crate::text::system_error(&e),
        };
        vec![format!(
            "no se pudo leer el registro de correcciones `{shown}`: {why}"
        )]
    })?;
    Ok(crate::data::decode_text(&bytes))
}

/// `;` when the first line has more of them than commas, else `,`.
fn separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// Where each of [`COLUMNS`] is in the file (`motivo` may be missing).
fn column_indices(
    reader: &mut csv::Reader<&[u8]>,
    shown: &str,
) -> Result<Vec<Option<usize>>, Vec<String>> {
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|x| crate::text::fold(x.trim())).collect(),
        Err(e) => return Err(vec![format!("`{shown}` no se pudo leer como CSV: {e}")]),
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    let missing: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| *c != "motivo" && col(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(vec![format!(
            "al registro de correcciones `{shown}` le faltan las columnas: {}; debe tener {}",
            missing.join(", "),
            COLUMNS.join(", ")
        )]);
    }
    Ok(COLUMNS.iter().map(|c| col(c)).collect())
}

/// One row of the log: the organization's code and the correction.
fn correction(
    rec: &csv::StringRecord,
    idx: &[Option<usize>],
    schema: &Schema,
    shown: &str,
    line: usize,
) -> Result<(String, Correction), String> {
    let get = |k: usize| {
        idx[k]
            .and_then(|c| rec.get(c))
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let (code, field_name, old_text, new_text, reason) = (get(0), get(1), get(2), get(3), get(4));
    if code.is_empty() {
        return Err(format!(
            "{shown}, fila {line}: falta el código de la organización"
        ));
    }
    let field = field_index(schema, &field_name).map_err(|hint| {
        format!("{shown}, fila {line}: `{field_name}` no es un campo de las reglas.{hint}")
    })?;
    let spec = &schema.fields[field];
    let parse = |t: &str, which: &str| {
        parse_value(spec, t).map_err(|e| format!("{shown}, fila {line}, {which}: {e}"))
    };
    // An invalid old value is the text of a rejected cell.
    let (old, old_invalid) = match parse(&old_text, "valor_anterior") {
        Ok(v) => (v, false),
        Err(_) => (None, true),
    };
    let new = parse(&new_text, "valor_nuevo")?;
    Ok((
        code,
        Correction {
            line,
            field,
            field_name: spec.name.clone(),
            old_text,
            old,
            old_invalid,
            new_text,
            new,
            reason,
        },
    ))
}

/// The field a log row names, as in the rules, without regard to case; the
/// error is a " ¿Quiso decir…?" hint, or empty.
fn field_index(schema: &Schema, field_name: &str) -> Result<usize, String> {
    let field = schema.index_of(field_name).or_else(|| {
        schema
            .fields
            .iter()
            .position(|f| f.name.to_lowercase() == field_name.to_lowercase())
    });
    field.ok_or_else(|| {
        crate::text::did_you_mean(field_name, schema.fields.iter().map(|f| f.name.as_str()))
            .map(|s| format!(" ¿Quiso decir `{s}`?"))
            .unwrap_or_default()
    })
}

impl CleaningLog {
    /// Reads the log. Errors (Spanish) name the file, row and column.
    pub fn read(path: &Path, schema: &Schema) -> Result<CleaningLog, Vec<Failure>> {
        CleaningLog::read_or_messages(path, schema).map_err(|messages| {
            let failure = |m| Failure::new(Code::InputFile, m).file(path);
            messages.into_iter().map(failure).collect()
        })
    }

    fn read_or_messages(path: &Path, schema: &Schema) -> Result<CleaningLog, Vec<String>> {
        let shown = path.display().to_string();
        let text = read_text(path, &shown)?;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(separator(&text))
            .flexible(true)
            .from_reader(text.as_bytes());
        let idx = column_indices(&mut reader, &shown)?;
        let mut errors = Vec::new();
        let mut by_code: HashMap<String, Vec<Correction>> = HashMap::new();
        let mut used: HashMap<String, (String, bool)> = HashMap::new();
        for (i, rec) in reader.records().enumerate() {
            let line = i + 2;
            let parsed = rec
                .map_err(|e| format!("{shown}, fila {line}: no se pudo leer: {e}"))
                .and_then(|rec| correction(&rec, &idx, schema, &shown, line));
            match parsed {
                Ok((code, c)) => {
                    used.entry(code_key(&code))
                        .or_insert_with(|| (code.clone(), false));
                    by_code.entry(code_key(&code)).or_default().push(c);
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or(shown);
        Ok(CleaningLog::new(schema, file, by_code, used))
    }

    /// The log, with what it needs of the schema to apply and check corrections.
    fn new(
        schema: &Schema,
        file: String,
        by_code: HashMap<String, Vec<Correction>>,
        used: HashMap<String, (String, bool)>,
    ) -> CleaningLog {
        let categories = schema
            .fields
            .iter()
            .map(|f| match &f.ty {
                crate::data::FieldType::Category(v) => v.clone(),
                _ => Vec::new(),
            })
            .collect();
        let fold = crate::text::fold;
        let headers = schema
            .fields
            .iter()
            .map(|f| {
                std::iter::once(fold(&f.name))
                    .chain(f.aliases.iter().map(|a| fold(a)))
                    .collect()
            })
            .collect();
        let at_most = schema.at_most_pairs();
        let names = schema.fields.iter().map(|f| f.name.clone()).collect();
        CleaningLog {
            headers,
            at_most,
            names,
            categories,
            file,
            by_code,
            used,
            codigo: schema.index_of("codigo"),
            nombre: schema.index_of("nombre"),
        }
    }

    /// Applies the corrections for this row's organization. A mismatching
    /// old value becomes an error of the row. A correction can also fix a
    /// cell the reader rejected (its old value is the rejected text).
    pub fn apply(&mut self, row: &mut Row) -> Vec<CorreccionAplicada> {
        let Some(code) = row.codigo.as_deref().map(code_key) else {
            return Vec::new();
        };
        let Some(list) = self.by_code.get(&code) else {
            return Vec::new();
        };
        if let Some(u) = self.used.get_mut(&code) {
            u.1 = true;
        }
        let mut applied = Vec::new();
        let mut touched = false;
        for c in list {
            let current = row.values.get(c.field).cloned().flatten();
            let rejected_cell = row.errors.iter().position(|e| {
                e.valor.as_deref().map(str::trim) == Some(c.old_text.as_str())
                    && self.is_column_of(e.columna.as_deref(), c.field)
            });
            let fixes_rejected = current.is_none() && rejected_cell.is_some();
            if (current != c.old || c.old_invalid) && !fixes_rejected {
                // A cell the reader rejected has no value; show what it held.
                let raw = row
                    .errors
                    .iter()
                    .find(|e| self.is_column_of(e.columna.as_deref(), c.field))
                    .and_then(|e| e.valor.clone());
                let shown = match (&current, raw) {
                    (None, Some(raw)) => raw,
                    _ => show(&current, &self.categories[c.field]),
                };
                row.errors.push(CellError {
                    columna: Some(c.field_name.clone()),
                    valor: Some(shown.clone()),
                    mensaje: format!(
                        "la corrección de {}, fila {} espera el valor anterior `{}`, pero el dato es `{}`: revise si los datos cambiaron después de registrar la corrección",
                        self.file,
                        c.line,
                        if c.old_text.is_empty() { "(vacío)" } else { &c.old_text },
                        shown
                    ),
                });
                continue;
            }
            if let (true, Some(i)) = (fixes_rejected, rejected_cell) {
                row.errors.remove(i);
            }
            if let Some(slot) = row.values.get_mut(c.field) {
                *slot = c.new.clone();
            }
            // The code and the name shown with the result are kept apart
            // from the values: correct them too.
            let new_text = (!c.new_text.is_empty()).then(|| c.new_text.clone());
            if Some(c.field) == self.codigo {
                row.codigo = new_text;
            } else if Some(c.field) == self.nombre {
                row.nombre = new_text;
            }
            touched = true;
            applied.push(CorreccionAplicada {
                campo: c.field_name.clone(),
                valor_anterior: c.old_text.clone(),
                valor_nuevo: c.new_text.clone(),
                motivo: c.reason.clone(),
                origen: format!("{}, fila {}", self.file, c.line),
            });
        }
        if touched {
            self.recheck_at_most(row);
        }
        applied
    }

    fn is_column_of(&self, column: Option<&str>, field: usize) -> bool {
        let Some(col) = column else { return false };
        let col = crate::text::fold(col.trim());
        self.headers[field].iter().any(|h| {
            col == *h || col.ends_with(&format!("/{h}")) || col.ends_with(&format!("-{h}"))
        })
    }

    /// `socias` ≤ `socios_total` again, after the values changed.
    fn recheck_at_most(&self, row: &mut Row) {
        let marker = "no puede ser mayor que `";
        row.errors.retain(|e| !e.mensaje.contains(marker));
        for (f, g, a, b) in exceeded(&row.values, self.at_most.iter().copied()) {
            let (a, b) = (crate::text::number(a), crate::text::number(b));
            row.errors.push(CellError {
                columna: Some(self.names[f].clone()),
                valor: Some(a.clone()),
                mensaje: exceeded_message(&self.names[f], &self.names[g], &a, &b),
            });
        }
    }

    /// Codes in the log that no row of the data had.
    pub fn unused(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .used
            .values()
            .filter(|(_, u)| !*u)
            .map(|(code, _)| code.clone())
            .collect();
        v.sort();
        v
    }
}

fn show(v: &Option<Value>, categories: &[String]) -> String {
    match v {
        None => "(vacío)".into(),
        Some(Value::Bool(b)) => if *b { "sí" } else { "no" }.into(),
        Some(Value::Number(n)) => crate::text::number(*n),
        Some(Value::Text(t)) => t.clone(),
        Some(Value::Category(c)) => categories.get(*c as usize).cloned().unwrap_or_default(),
    }
}
