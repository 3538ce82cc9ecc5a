//! What the data readers need to know about the declared fields: the contract
//! between the rule file (which declares the fields) and the readers (which
//! turn cells into typed values). Built once from the checked program.

use serde::Serialize;

/// The declared type of a field, as the survey sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum FieldType {
    /// sí/no
    Bool,
    /// entero (whole number, ≥ 0)
    Integer,
    /// número (any number)
    Number,
    /// porcentaje (0 to 100)
    Percent,
    /// texto (codes, names: never converted to numbers)
    Text,
    /// categoría with its declared values, in declaration order
    Category(Vec<String>),
}

/// One declared field.
#[derive(Debug, Clone, Serialize)]
pub struct FieldSpec {
    /// Name as declared in the rule file (`socios_total`).
    pub name: String,
    pub ty: FieldType,
    /// Other column headers accepted for this field (`también "total_socios"`).
    pub aliases: Vec<String>,
    /// Question text from the survey, for messages and templates.
    pub question: Option<String>,
    /// Index of another field this one may not exceed (`socias` ≤ `socios_total`).
    pub at_most_field: Option<usize>,
    /// For a category: what people read for each value (its label, or the
    /// value itself), same order. A cell may hold the label too.
    pub category_labels: Vec<String>,
}

/// The set of fields a rule file declares, in declaration order. A row's values
/// are stored in the same order (index = position here).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Schema {
    pub fields: Vec<FieldSpec>,
}

impl Schema {
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// `(field, limit)` for every `máximo`: the first may not exceed the second.
    pub fn at_most_pairs(&self) -> Vec<(usize, usize)> {
        self.fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.at_most_field.map(|g| (i, g)))
            .filter(|(_, g)| *g < self.fields.len())
            .collect()
    }
}

/// The `máximo` pairs a row's values break: `(field, limit, value, limit's
/// value)`. Checked the same way on spreadsheet rows, corrected rows and
/// `ejemplo` data.
pub fn exceeded<'a>(
    values: &'a [Option<Value>],
    pairs: impl IntoIterator<Item = (usize, usize)> + 'a,
) -> impl Iterator<Item = (usize, usize, f64, f64)> + 'a {
    pairs
        .into_iter()
        .filter_map(|(f, g)| match (values.get(f), values.get(g)) {
            (Some(Some(Value::Number(a))), Some(Some(Value::Number(b)))) if a > b => {
                Some((f, g, *a, *b))
            }
            _ => None,
        })
}

/// The row error for a broken `máximo`, with both values as shown to the user.
pub fn exceeded_message(field: &str, limit: &str, value: &str, limit_value: &str) -> String {
    format!(
        "`{field}` ({value}) no puede ser mayor que `{limit}` ({limit_value}); revise los dos valores"
    )
}

/// A typed cell value. A blank cell is `None` in [`Row::values`], never a value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Bool(bool),
    /// entero, número and porcentaje (percent stored as 0–100)
    Number(f64),
    Text(String),
    /// Index into the field's category list.
    #[serde(skip)]
    Category(u32),
}

/// A problem with one cell (or with the row as a whole when `column` is None).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct CellError {
    /// Column header as it appears in the file, or the field name.
    pub columna: Option<String>,
    /// The raw text of the cell.
    pub valor: Option<String>,
    /// Spanish explanation with a hint on how to fix it.
    pub mensaje: String,
}

/// One input row (one organization), typed according to the schema.
#[derive(Debug, Clone)]
pub struct Row {
    /// Row number as the user sees it in the spreadsheet (header is row 1 in a CSV
    /// with one header line, so the first organization is row 2).
    pub line: usize,
    /// The organization's code (`codigo` column), if it could be read.
    pub codigo: Option<String>,
    /// The organization's name (`nombre` column), if any.
    pub nombre: Option<String>,
    /// One slot per schema field; `None` = sin dato.
    pub values: Vec<Option<Value>>,
    /// Empty when the row is fine; otherwise the row is reported, not evaluated.
    pub errors: Vec<CellError>,
}
