//! Building one [`Row`] from its cells: typing each cell, and the checks that
//! need the whole row (blank or repeated code, `máximo` between two fields).

use super::cell::{convert, fast_value, parse_bool, trim_cell, FieldConv, RawCell};
use super::codes::CodeSet;
use super::header::{ColumnMap, OptionColumn};
use super::schema::{exceeded, exceeded_message, CellError, Row, Schema, Value};
use crate::text::plain_number;

/// Per-file state for typing rows: prepared once when the file is opened.
pub(crate) struct RowBuilder {
    fields: Vec<FieldConv>,
    /// Column of the file → field.
    columns: Vec<Option<usize>>,
    /// Headers as written in the file, per column.
    headers: Vec<String>,
    /// Field → column of the file.
    field_column: Vec<Option<usize>>,
    codigo: Option<usize>,
    nombre: Option<usize>,
    /// `(field, limit)`: the first may not exceed the second.
    at_most: Vec<(usize, usize)>,
    /// Columns `field/option` (1/0) that make up a multiple-choice field.
    options: Vec<OptionColumn>,
    /// Column of the file → index in `options`.
    option_at: Vec<Option<usize>>,
    /// Codes seen so far, with the row where each first appeared.
    seen: CodeSet,
    scratch: String,
}

impl RowBuilder {
    pub(crate) fn new(schema: &Schema, map: &ColumnMap) -> RowBuilder {
        let mut field_column = vec![None; schema.fields.len()];
        for (c, f) in map.columns.iter().enumerate() {
            if let Some(f) = f {
                if let Some(slot) = field_column.get_mut(*f) {
                    *slot = Some(c);
                }
            }
        }
        let at_most = schema.at_most_pairs();
        RowBuilder {
            fields: schema.fields.iter().map(FieldConv::new).collect(),
            columns: map.columns.clone(),
            headers: map.headers.clone(),
            field_column,
            codigo: schema.index_of("codigo"),
            nombre: schema.index_of("nombre"),
            at_most,
            options: map.options.clone(),
            option_at: {
                let mut at = vec![None; map.columns.len()];
                for (k, o) in map.options.iter().enumerate() {
                    if let Some(slot) = at.get_mut(o.column) {
                        *slot = Some(k);
                    }
                }
                at
            },
            seen: CodeSet::default(),
            scratch: String::new(),
        }
    }

    /// The codes seen so far.
    pub(crate) fn codes(&mut self) -> &mut CodeSet {
        &mut self.seen
    }

    /// Number of columns in the header.
    pub(crate) fn width(&self) -> usize {
        self.columns.len()
    }

    /// Whether column `c` holds a declared field (or one of its options).
    pub(crate) fn is_field_column(&self, c: usize) -> bool {
        matches!(self.columns.get(c), Some(Some(_)))
            || matches!(self.option_at.get(c), Some(Some(_)))
    }

    /// The columns that hold options of a multiple-choice field.
    pub(crate) fn option_columns(&self) -> Vec<usize> {
        self.options.iter().map(|o| o.column).collect()
    }

    pub(crate) fn start(&self, line: usize) -> Row {
        Row {
            line,
            codigo: None,
            nombre: None,
            values: std::iter::repeat_with(|| None)
                .take(self.fields.len())
                .collect(),
            errors: Vec::new(),
        }
    }

    /// `(column, field)` for every column that holds a field, by column.
    pub(crate) fn field_columns(&self) -> Vec<(usize, usize)> {
        self.columns
            .iter()
            .enumerate()
            .filter_map(|(c, f)| f.map(|f| (c, f)))
            .collect()
    }

    /// The hot path for a text cell of column `c`, which holds field `f`.
    #[inline]
    pub(crate) fn text_cell(&mut self, row: &mut Row, c: usize, f: usize, s: &str) {
        let s = trim_cell(s);
        if s.is_empty() {
            return;
        }
        if Some(f) != self.codigo && Some(f) != self.nombre {
            if let (Some(field), Some(slot)) = (self.fields.get(f), row.values.get_mut(f)) {
                if let Some(v) = fast_value(field, s) {
                    *slot = Some(v);
                    return;
                }
            }
        }
        self.typed_cell(row, c, f, RawCell::Text(s));
    }

    /// Types the cell of column `c` into `row`, or records why it can't.
    pub(crate) fn cell(&mut self, row: &mut Row, c: usize, cell: RawCell<'_>) {
        let Some(Some(f)) = self.columns.get(c).copied() else {
            if let Some(Some(k)) = self.option_at.get(c).copied() {
                self.option_cell(row, c, k, cell);
            }
            return;
        };
        // Trimmed once here: what follows sees no surrounding spaces.
        let cell = match cell {
            RawCell::Text(s) => RawCell::Text(trim_cell(s)),
            other => other,
        };
        if !cell.is_blank() {
            self.typed_cell(row, c, f, cell);
        }
    }

    /// Any non-blank cell (trimmed), through the full converter.
    fn typed_cell(&mut self, row: &mut Row, c: usize, f: usize, cell: RawCell<'_>) {
        if Some(f) == self.codigo {
            row.codigo = cell.raw_text();
        } else if Some(f) == self.nombre {
            row.nombre = cell.raw_text();
        }
        let Some(field) = self.fields.get(f) else {
            return;
        };
        let converted = match cell {
            RawCell::Text(s) => match fast_value(field, s) {
                Some(v) => Ok(v),
                None => convert(field, cell, &mut self.scratch),
            },
            _ => convert(field, cell, &mut self.scratch),
        };
        match converted {
            Ok(v) => {
                if let Some(slot) = row.values.get_mut(f) {
                    *slot = Some(v);
                }
            }
            Err(mensaje) => row.errors.push(CellError {
                columna: self.headers.get(c).cloned(),
                valor: cell.raw_text(),
                mensaje,
            }),
        }
    }

    /// A `field/option` cell: 1 adds the option to the field's text, 0
    /// leaves it out; blank in every option column is sin dato.
    fn option_cell(&mut self, row: &mut Row, c: usize, k: usize, cell: RawCell<'_>) {
        let chosen = match cell {
            RawCell::Blank => return,
            RawCell::Text(s) if trim_cell(s).is_empty() => return,
            RawCell::Text(s) => parse_bool(trim_cell(s)),
            RawCell::Number { value: 1.0, .. } => Some(true),
            RawCell::Number { value: 0.0, .. } => Some(false),
            RawCell::Bool(b) => Some(b),
            _ => None,
        };
        let Some(o) = self.options.get(k) else {
            return;
        };
        let Some(chosen) = chosen else {
            row.errors.push(CellError {
                columna: self.headers.get(c).cloned(),
                valor: cell.raw_text(),
                mensaje: format!(
                    "en la columna de la opción `{}` se espera 1 (elegida) o 0 (no elegida)",
                    o.option
                ),
            });
            return;
        };
        let Some(slot) = row.values.get_mut(o.field) else {
            return;
        };
        match slot {
            Some(Value::Text(t)) if chosen => {
                if !t.is_empty() {
                    t.push(' ');
                }
                t.push_str(&o.option);
            }
            Some(_) => {}
            None => {
                *slot = Some(Value::Text(if chosen {
                    o.option.clone()
                } else {
                    String::new()
                }))
            }
        }
    }

    /// A problem with the row as a whole.
    pub(crate) fn row_error(row: &mut Row, mensaje: String) {
        row.errors.push(CellError {
            columna: None,
            valor: None,
            mensaje,
        });
    }

    /// The header of column `c`, as written in the file.
    pub(crate) fn header(&self, c: usize) -> Option<&str> {
        self.headers.get(c).map(String::as_str)
    }

    /// The column of the file that holds field `f`.
    pub(crate) fn column_of(&self, f: usize) -> Option<usize> {
        self.field_column.get(f).copied().flatten()
    }

    /// The field index of `codigo`, when declared.
    pub(crate) fn codigo_field(&self) -> Option<usize> {
        self.codigo
    }

    fn header_of(&self, f: usize) -> Option<String> {
        let c = self.field_column.get(f).copied().flatten()?;
        self.headers.get(c).cloned()
    }

    /// Checks that need the whole row; call once all cells are in.
    pub(crate) fn finish(&mut self, row: &mut Row) {
        if let Some(f) = self.codigo {
            self.check_code(row, f);
        }
        for (f, g, a, b) in exceeded(&row.values, self.at_most.iter().copied()) {
            let (a, b) = (plain_number(a), plain_number(b));
            let (fname, gname) = (&self.fields[f].name, &self.fields[g].name);
            row.errors.push(CellError {
                columna: self.header_of(f),
                valor: Some(a.clone()),
                mensaje: exceeded_message(fname, gname, &a, &b),
            });
        }
    }

    fn check_code(&mut self, row: &mut Row, f: usize) {
        let Some(code) = &row.codigo else {
            row.errors.push(CellError {
                columna: self.header_of(f),
                valor: None,
                mensaje: "falta el código: toda organización necesita un código que la identifique"
                    .to_string(),
            });
            return;
        };
        if let Some(first) = self.seen.first_seen(code, row.line) {
            row.errors.push(CellError {
                columna: self.header_of(f),
                valor: Some(code.clone()),
                mensaje: format!(
                    "el código `{code}` se repite: ya apareció en la fila {first}; cada \
                     organización debe aparecer una sola vez (¿una visita repetida o un envío de prueba?)"
                ),
            });
        }
    }
}
