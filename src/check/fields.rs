//! Pass: fields. Their types, the values of each category, the required
//! `codigo` field, and `máximo otro_campo`.

use super::symbols::Sym;
use super::Checker;
use crate::ast::{self, TypeKind};
use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};
use crate::program::Ty;
use crate::source::Span;

impl Checker<'_> {
    /// Each field's type; a category keeps its values once each.
    pub(super) fn fields(&mut self, problems: &mut Problems) {
        for (i, f) in self.decls.fields.iter().enumerate() {
            self.field_names.push(f.name.text.clone());
            let (ty, (cats, labels)) = match &f.ty {
                TypeKind::Bool => (Ty::Bool, Default::default()),
                TypeKind::Integer => (Ty::Integer, Default::default()),
                TypeKind::Number => (Ty::Number, Default::default()),
                TypeKind::Percent => (Ty::Percent, Default::default()),
                TypeKind::Text => (Ty::Text, Default::default()),
                TypeKind::Category(values) => (Ty::Category(i), category_values(values, problems)),
            };
            self.field_tys.push(ty);
            self.field_cats.push(cats);
            self.field_cat_labels.push(labels);
        }
        self.field_at_most = self
            .decls
            .fields
            .iter()
            .map(|f| {
                f.at_most.as_ref().and_then(|e| match &e.kind {
                    ast::ExprKind::Name(n) => match self.syms.get(&n.text) {
                        Some(Sym::Field(j)) => Some(j),
                        _ => None,
                    },
                    _ => None,
                })
            })
            .collect();
    }

    /// Every organization is identified by a `codigo` of type `texto`.
    pub(super) fn code_field(&mut self, problems: &mut Problems) {
        let file = self.file;
        self.code_field = self
            .decls
            .fields
            .iter()
            .position(|f| f.name.text == "codigo");
        match self.code_field {
            None => problems.push(
                Problem::error(Code::MissingCodeField, "el archivo no declara el campo `codigo`")
                    .label(file.header.as_ref().map(|h| h.span).unwrap_or(Span::new(file.id, 0, 0)), "aquí empieza el archivo")
                    .help("Cada organización se identifica por su código: declare `campo codigo: texto pregunta \"Código de la organización\"`."),
            ),
            Some(i) if self.field_tys[i] != Ty::Text => problems.push(
                Problem::error(Code::MissingCodeField, "el campo `codigo` debe ser de tipo `texto`")
                    .label(self.decls.fields[i].ty_span, "otro tipo")
                    .help("Los códigos se guardan como texto para no perder ceros ni dígitos: `campo codigo: texto`."),
            ),
            _ => {}
        }
    }

    /// `máximo otro_campo` must name a numeric field.
    pub(super) fn at_most(&self, problems: &mut Problems) {
        for (i, f) in self.decls.fields.iter().enumerate() {
            let Some(e) = &f.at_most else { continue };
            let ok = match &e.kind {
                ast::ExprKind::Name(n) => {
                    matches!(self.syms.get(&n.text), Some(Sym::Field(j)) if self.field_tys[j].is_numeric())
                }
                _ => false,
            };
            if !ok || !self.field_tys[i].is_numeric() {
                problems.push(
                    Problem::error(
                        Code::TypeMismatch,
                        format!("`máximo` de `{}` debe ser otro campo numérico", f.name.text),
                    )
                    .label(e.span, "aquí")
                    .help("Por ejemplo `campo socias: entero máximo socios_total`."),
                );
            }
        }
    }
}

/// The values of a category, each once; a repeated one is an error.
/// The values of a category, once each, and what people read for each
/// (its label, or its name when it has none).
fn category_values(
    values: &[ast::CategoryValue],
    problems: &mut Problems,
) -> (Vec<String>, Vec<String>) {
    let mut seen: Vec<String> = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    for v in values {
        let name = &v.name;
        if seen.contains(&name.text) {
            problems.push(
                Problem::error(
                    Code::Duplicate,
                    format!("el valor `{}` aparece dos veces en la categoría", name.text),
                )
                .label(name.span, "repetido")
                .help("Deje cada valor una sola vez en la lista."),
            );
            continue;
        }
        seen.push(name.text.clone());
        let label = v
            .label
            .as_ref()
            .map(|l| l.text.trim())
            .filter(|l| !l.is_empty());
        labels.push(label.unwrap_or(&name.text).to_string());
    }
    ambiguous_labels(values, &seen, problems);
    (seen, labels)
}

/// A label that reads like another value (its name or its label): a cell
/// with it could mean either, so the data readers could not tell.
fn ambiguous_labels(values: &[ast::CategoryValue], names: &[String], problems: &mut Problems) {
    use crate::text::name_key;
    let mut keys: Vec<(String, &str)> = names.iter().map(|n| (name_key(n), n.as_str())).collect();
    for v in values {
        let Some(label) = &v.label else {
            continue;
        };
        let key = name_key(&label.text);
        match keys
            .iter()
            .find(|(k, owner)| *k == key && *owner != v.name.text)
        {
            Some((_, other)) => problems.push(
                Problem::error(
                    Code::Duplicate,
                    format!(
                        "la etiqueta \"{}\" de `{}` se lee igual que el valor `{other}`",
                        label.text, v.name.text
                    ),
                )
                .label(label.span, "se confunde con otro valor")
                .help("En la planilla no se sabría cuál de los dos es: use otra etiqueta."),
            ),
            None => keys.push((key, v.name.text.as_str())),
        }
    }
}
