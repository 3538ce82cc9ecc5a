//! Data templates made from a rule file's fields, for `reglas plantilla`:
//! an empty CSV with the declared columns, an XLSX workbook whose first sheet
//! is ready to fill in (with drop-down lists and checks) and whose second
//! sheet documents each field, and an XLSForm for KoboToolbox/ODK, so that the
//! field team collects exactly the data the rules need.

mod xlsform;
mod xlsx;

use crate::data::{FieldType, Schema};
use crate::program::Program;

pub use xlsform::xlsform;
pub use xlsx::xlsx;

/// A template could not be built (the workbook writer failed).
#[derive(Debug, thiserror::Error)]
#[error("no se pudo crear la planilla: {0}")]
pub struct TemplateError(String);

impl From<rust_xlsxwriter::XlsxError> for TemplateError {
    fn from(e: rust_xlsxwriter::XlsxError) -> TemplateError {
        TemplateError(e.to_string())
    }
}

/// One declared field, with what a template says about it.
#[derive(Debug, Clone)]
pub struct TemplateField {
    pub name: String,
    pub ty: FieldType,
    pub question: Option<String>,
    pub section: Option<String>,
    pub aliases: Vec<String>,
    /// The field this one may not exceed (`máximo socios_total`).
    pub at_most: Option<String>,
    /// For a category: what people read for each value (its label, or the
    /// value itself).
    pub labels: Vec<String>,
}

impl TemplateField {
    /// The question, or the field's name when it has none.
    pub fn label(&self) -> &str {
        self.question.as_deref().unwrap_or(&self.name)
    }

    /// The type in Spanish, as written in the rule file.
    pub fn type_word(&self) -> &'static str {
        match self.ty {
            FieldType::Bool => "sí/no",
            FieldType::Integer => "entero",
            FieldType::Number => "número",
            FieldType::Percent => "porcentaje",
            FieldType::Text => "texto",
            FieldType::Category(_) => "categoría",
        }
    }

    /// What may be written in the cell, in Spanish.
    pub fn allowed(&self) -> String {
        let mut s = match &self.ty {
            FieldType::Bool => "sí o no".to_string(),
            FieldType::Integer => "un número entero, 0 o más".to_string(),
            FieldType::Number => "un número (con coma o punto decimal)".to_string(),
            FieldType::Percent => "un número de 0 a 100 (con o sin %)".to_string(),
            FieldType::Text => "texto libre".to_string(),
            FieldType::Category(values) => values
                .iter()
                .zip(&self.labels)
                .map(|(v, l)| {
                    if v == l {
                        v.clone()
                    } else {
                        format!("{l} ({v})")
                    }
                })
                .collect::<Vec<_>>()
                .join(", "),
        };
        if let Some(other) = &self.at_most {
            s.push_str(&format!("; no mayor que {other}"));
        }
        s
    }
}

/// The fields of a checked program, in declaration order.
pub fn fields(program: &Program) -> Vec<TemplateField> {
    fields_of(&program.schema, |i| {
        program.fields.get(i).and_then(|f| f.section.clone())
    })
}

fn fields_of(schema: &Schema, section: impl Fn(usize) -> Option<String>) -> Vec<TemplateField> {
    schema
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| TemplateField {
            name: f.name.clone(),
            ty: f.ty.clone(),
            question: f.question.clone(),
            section: section(i),
            aliases: f.aliases.clone(),
            at_most: f
                .at_most_field
                .and_then(|j| schema.fields.get(j))
                .map(|o| o.name.clone()),
            labels: f.category_labels.clone(),
        })
        .collect()
}

/// An empty data file: UTF-8 with BOM (so Excel reads the accents), the
/// header row only, `;`-separated like the CSV Excel writes and opens in
/// Spanish (the readers detect either separator).
pub fn csv(program: &Program) -> Vec<u8> {
    let names: Vec<String> = fields(program).into_iter().map(|f| f.name).collect();
    let mut out = "\u{FEFF}".as_bytes().to_vec();
    out.extend_from_slice(names.join(";").as_bytes());
    out.extend_from_slice(b"\r\n");
    out
}

/// A form id for XLSForm settings from a file name: lowercase letters,
/// digits and `_` (`cepac.reglas` → `cepac`).
pub fn form_id(stem: &str) -> String {
    let mut id: String = stem
        .chars()
        .map(|c| match c {
            'á' | 'Á' => 'a',
            'é' | 'É' => 'e',
            'í' | 'Í' => 'i',
            'ó' | 'Ó' => 'o',
            'ú' | 'Ú' | 'ü' | 'Ü' => 'u',
            'ñ' | 'Ñ' => 'n',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => '_',
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.insert_str(0, "reglas_");
    }
    id
}
