//! Values as analysts read them (`33,3 %`, `sí`, `sin dato`) and reasons
//! for blanks.

use super::value::{Blank, V};
use crate::program::{Program, Ty};
use crate::text::number;

pub fn show(p: &Program, v: V, ty: &Ty) -> String {
    match v {
        V::Bool(b) => if b { "sí" } else { "no" }.to_string(),
        V::Num(n) if *ty == Ty::Percent => format!("{} %", number(n)),
        V::Num(n) => number(n),
        V::Text(t) => t.to_string(),
        // People read the label (`Amboró`); machines (JSON) the name.
        V::Cat(c) => category(p, ty, c, true),
        V::Blank(_) => "sin dato".to_string(),
    }
}

/// A category value: its label (what people read) or its name (what the
/// rules and JSON use).
fn category(p: &Program, ty: &Ty, c: u32, label: bool) -> String {
    match ty {
        Ty::Category(f) => {
            let field = &p.fields[*f];
            let values = if label {
                &field.category_labels
            } else {
                &field.categories
            };
            values.get(c as usize).cloned().unwrap_or_default()
        }
        _ => c.to_string(),
    }
}

pub fn json_value(p: &Program, v: V, ty: &Ty) -> serde_json::Value {
    json(p, v, ty)
}

fn json(p: &Program, v: V, ty: &Ty) -> serde_json::Value {
    match v {
        V::Bool(b) => b.into(),
        V::Num(n) => serde_json::Number::from_f64(n)
            .map(Into::into)
            .unwrap_or(serde_json::Value::Null),
        V::Text(t) => t.into(),
        V::Cat(c) => category(p, ty, c, false).into(),
        V::Blank(_) => serde_json::Value::Null,
    }
}

pub fn blank_reason(p: &Program, b: Blank) -> String {
    match b {
        Blank::Missing(f) => format!("falta el dato {}", field_named(p, f)),
        Blank::DivZero(_, Some(f)) => format!(
            "no se puede calcular: la organización registra 0 en {}",
            field_named(p, f)
        ),
        Blank::DivZero(span, None) => {
            format!("no se puede calcular: el divisor es 0 ({})", p.place(span))
        }
        Blank::Undecided(c) => format!("el criterio `{}` no se pudo decidir", p.criteria[c].name),
        Blank::EmptyGroup(g) => format!("ningún criterio del grupo `{}` aplica", p.groups[g].name),
        Blank::Unknown => "faltan datos".to_string(),
    }
}

/// A field as a person reads it: its name and, when the rules give one,
/// the survey question (`socios_total` («Número total de socios y socias»)).
pub fn field_named(p: &Program, f: usize) -> String {
    let field = &p.fields[f];
    field_with_question(&field.name, field.question.as_deref())
}

/// `name` («question»), or `name` alone when there is no question: how
/// every output names a field to a person.
pub fn field_with_question(name: &str, question: Option<&str>) -> String {
    match question {
        Some(q) => format!("`{name}` («{q}»)"),
        None => format!("`{name}`"),
    }
}
