//! Values as analysts read them (`33,3 %`, `sí`, `sin dato`) and reasons
//! for blanks. What they need of the rules (names, questions, category
//! labels) comes through [`Vocab`]: the program has it, and so does the
//! header of a trace file, so a trace row is explained the same way
//! without the rule file.

use super::value::{Blank, V};
use crate::program::{Program, Ty};
use crate::text::number;

/// The names an explanation quotes, by index.
pub trait Vocab {
    fn field_name(&self, f: usize) -> &str;
    fn field_question(&self, f: usize) -> Option<&str>;
    fn field_ty(&self, f: usize) -> Option<&Ty>;
    /// A category value of field `f`: its label (`label`) or its name.
    fn category(&self, f: usize, c: u32, label: bool) -> &str;
    fn criterion_name(&self, c: usize) -> &str;
    fn group_name(&self, g: usize) -> &str;
    fn level_name(&self, l: usize) -> &str;
    fn level_title(&self, l: usize) -> &str;
}

impl Vocab for Program {
    fn field_name(&self, f: usize) -> &str {
        self.fields.get(f).map_or("", |x| &x.name)
    }
    fn field_question(&self, f: usize) -> Option<&str> {
        self.fields.get(f).and_then(|x| x.question.as_deref())
    }
    fn field_ty(&self, f: usize) -> Option<&Ty> {
        self.fields.get(f).map(|x| &x.ty)
    }
    fn category(&self, f: usize, c: u32, label: bool) -> &str {
        let Some(field) = self.fields.get(f) else {
            return "";
        };
        let values = if label {
            &field.category_labels
        } else {
            &field.categories
        };
        values.get(c as usize).map_or("", String::as_str)
    }
    fn criterion_name(&self, c: usize) -> &str {
        self.criteria.get(c).map_or("", |x| &x.name)
    }
    fn group_name(&self, g: usize) -> &str {
        self.groups.get(g).map_or("", |x| &x.name)
    }
    fn level_name(&self, l: usize) -> &str {
        self.levels.get(l).map_or("", |x| &x.name)
    }
    fn level_title(&self, l: usize) -> &str {
        self.levels.get(l).map_or("", |x| &x.title)
    }
}

pub fn show<N: Vocab + ?Sized>(p: &N, v: V, ty: &Ty) -> String {
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
fn category<N: Vocab + ?Sized>(p: &N, ty: &Ty, c: u32, label: bool) -> String {
    match ty {
        Ty::Category(f) => p.category(*f, c, label).to_string(),
        _ => c.to_string(),
    }
}

pub fn json_value<N: Vocab + ?Sized>(p: &N, v: V, ty: &Ty) -> serde_json::Value {
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

/// Why a value is blank, without the rule file's spans: what a trace row
/// keeps of a [`Blank`] (a division's place is already a `file:line`).
#[derive(Debug, Clone, PartialEq)]
pub enum BlankCause {
    Missing(usize),
    /// Division by zero where the divisor is field `f`.
    ZeroField(usize),
    /// Division by zero elsewhere: where, `cepac.reglas:120`.
    ZeroAt(String),
    Undecided(usize),
    EmptyGroup(usize),
    Unknown,
}

impl BlankCause {
    pub fn of(p: &Program, b: Blank) -> BlankCause {
        match b {
            Blank::Missing(f) => BlankCause::Missing(f),
            Blank::DivZero(_, Some(f)) => BlankCause::ZeroField(f),
            Blank::DivZero(span, None) => BlankCause::ZeroAt(p.place(span)),
            Blank::Undecided(c) => BlankCause::Undecided(c),
            Blank::EmptyGroup(g) => BlankCause::EmptyGroup(g),
            Blank::Unknown => BlankCause::Unknown,
        }
    }

    /// In Spanish: `falta el dato `socios_total``.
    pub fn reason<N: Vocab + ?Sized>(&self, p: &N) -> String {
        match self {
            BlankCause::Missing(f) => format!("falta el dato {}", field_named(p, *f)),
            BlankCause::ZeroField(f) => format!(
                "no se puede calcular: la organización registra 0 en {}",
                field_named(p, *f)
            ),
            BlankCause::ZeroAt(place) => {
                format!("no se puede calcular: el divisor es 0 ({place})")
            }
            BlankCause::Undecided(c) => {
                format!("el criterio `{}` no se pudo decidir", p.criterion_name(*c))
            }
            BlankCause::EmptyGroup(g) => {
                format!("ningún criterio del grupo `{}` aplica", p.group_name(*g))
            }
            BlankCause::Unknown => "faltan datos".to_string(),
        }
    }
}

pub fn blank_reason(p: &Program, b: Blank) -> String {
    BlankCause::of(p, b).reason(p)
}

/// A field as a person reads it: its name and, when the rules give one,
/// the survey question (`socios_total` («Número total de socios y socias»)).
pub fn field_named<N: Vocab + ?Sized>(p: &N, f: usize) -> String {
    field_with_question(p.field_name(f), p.field_question(f))
}

/// `name` («question»), or `name` alone when there is no question: how
/// every output names a field to a person.
pub fn field_with_question(name: &str, question: Option<&str>) -> String {
    match question {
        Some(q) => format!("`{name}` («{q}»)"),
        None => format!("`{name}`"),
    }
}
