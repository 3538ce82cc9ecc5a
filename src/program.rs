//! The checked program: every name resolved to an index, every expression
//! typed and compiled, values and criteria in dependency order. Built once by
//! [`crate::check`]; evaluation never looks a name up again.

use std::sync::Arc;

use crate::ast::{ArithOp, BlankPolicy, CmpOp};
use crate::data::Schema;
use crate::source::{SourceMap, Span};

/// Static type of an expression. In a trace file's header (`docs/esquema-json.md`)
/// it is written with its Spanish name.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Ty {
    #[serde(rename = "si_no")]
    Bool,
    /// entero
    #[serde(rename = "entero")]
    Integer,
    /// número
    #[serde(rename = "numero")]
    Number,
    /// porcentaje (0–100)
    #[serde(rename = "porcentaje")]
    Percent,
    #[serde(rename = "texto")]
    Text,
    /// A category: the index of the field that declares its values.
    #[serde(rename = "categoria")]
    Category(usize),
}

impl Ty {
    pub fn is_numeric(&self) -> bool {
        matches!(self, Ty::Integer | Ty::Number | Ty::Percent)
    }

    /// Spanish name for messages.
    pub fn word(&self) -> &'static str {
        match self {
            Ty::Bool => "sí/no",
            Ty::Integer => "entero",
            Ty::Number => "número",
            Ty::Percent => "porcentaje",
            Ty::Text => "texto",
            Ty::Category(_) => "categoría",
        }
    }
}

/// Built-in functions over numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Func {
    /// porcentaje(a, b) = a / b × 100
    Percent,
    /// promedio(a, b, ...)
    Average,
    /// suma(a, b, ...)
    Sum,
    /// mayor(a, b, ...)
    Max,
    /// menor(a, b, ...)
    Min,
}

/// What a group function computes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GroupFunc {
    /// cumplidos(g): applicable criteria met
    Count,
    /// proporcion(g): share of applicable criteria met, as a percent
    Share,
    /// puntaje(g): sum of the points of the criteria met
    Score,
}

/// A compiled expression. Children are boxed; nesting depth is bounded by
/// the parser, so recursive evaluation is safe.
#[derive(Debug, Clone)]
pub enum CExpr {
    Num(f64),
    Bool(bool),
    Text(Arc<str>),
    Cat(u32),
    Field(usize),
    Param(usize),
    Value(usize),
    Criterion(usize),
    Not(Box<CExpr>),
    And(Vec<CExpr>),
    Or(Vec<CExpr>),
    Neg(Box<CExpr>),
    Cmp(CmpOp, Box<CExpr>, Box<CExpr>),
    Arith(ArithOp, Box<CExpr>, Box<CExpr>, Span),
    HasData(Box<CExpr>),
    IsBlank(Box<CExpr>),
    InCats {
        expr: Box<CExpr>,
        cats: Vec<u32>,
        negated: bool,
    },
    /// `texto en [a, b]`: a multiple-choice answer (options separated by
    /// spaces, as Kobo writes them) includes at least one of the words.
    HasWord {
        expr: Box<CExpr>,
        words: Vec<String>,
        negated: bool,
    },
    /// `al menos N de`, `todos de`, `ninguno de` over a list (a group's
    /// members are expanded to criterion references).
    Quant {
        kind: QuantKind,
        items: Vec<CExpr>,
    },
    If(Box<CExpr>, Box<CExpr>, Box<CExpr>),
    Call(Func, Vec<CExpr>, Span),
    Group(GroupFunc, usize),
}

#[derive(Debug, Clone)]
pub enum QuantKind {
    AtLeast(Box<CExpr>),
    /// `al menos 60% de`: the share of the applicable items.
    AtLeastShare(f64),
    /// `tolera N de`: all the applicable items but at most N.
    Tolerate(Box<CExpr>),
    All,
    None,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub ty: Ty,
    /// Category values, when the type is a category.
    pub categories: Vec<String>,
    /// What people read for each value (its label, or the value itself).
    pub category_labels: Vec<String>,
    pub question: Option<String>,
    pub section: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub ty: Ty,
    pub value: f64,
    /// Bool and category parameters keep their value here as well.
    pub constant: Constant,
    pub title: Option<String>,
    pub span: Span,
}

/// The value of a parameter, computed at check time.
#[derive(Debug, Clone, PartialEq)]
pub enum Constant {
    Num(f64),
    Bool(bool),
    Text(Arc<str>),
    Cat(u32),
}

#[derive(Debug, Clone)]
pub struct Value {
    pub name: String,
    pub ty: Ty,
    pub expr: CExpr,
    /// Source text of the calculation, for comparisons between versions.
    pub expr_text: String,
    pub title: Option<String>,
    pub section: Option<String>,
    pub span: Span,
}

/// Something a sentence or an explanation can quote. In a trace file's
/// header: `{"campo": 3}`, by index.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Ref {
    #[serde(rename = "campo")]
    Field(usize),
    #[serde(rename = "parametro")]
    Param(usize),
    #[serde(rename = "valor")]
    Value(usize),
    #[serde(rename = "criterio")]
    Criterion(usize),
}

/// A sentence with `{name}` placeholders resolved.
#[derive(Debug, Clone, Default)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

/// In a trace file's header: a string, or what to put there (`{"valor": 0}`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum TemplatePart {
    Text(String),
    Ref(Ref),
}

#[derive(Debug, Clone)]
pub struct Criterion {
    pub name: String,
    pub title: String,
    pub group: Option<usize>,
    pub section: Option<String>,
    pub condition: CExpr,
    /// Source text of the condition, for explanations.
    pub condition_text: String,
    pub applies_if: Option<CExpr>,
    pub when_met: Option<Template>,
    pub when_failed: Option<Template>,
    pub blank_policy: BlankPolicy,
    pub points: f64,
    /// Fields, parameters and values the condition reads directly, for the trace.
    pub reads: Vec<Ref>,
    /// Parameters the condition depends on, directly or through values
    /// and other criteria (indices into `Program::params`): what can
    /// change its result when only the rules change (`reglas comparar`).
    pub params: Vec<usize>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub name: String,
    pub title: String,
    pub section: Option<String>,
    pub members: Vec<usize>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Level {
    pub name: String,
    pub title: String,
    pub section: Option<String>,
    /// None for the catch-all (`en otro caso`).
    pub condition: Option<CExpr>,
    pub condition_text: String,
    /// Criteria the condition depends on (directly or through groups and
    /// values), in declaration order: what the explanation lists.
    pub criteria: Vec<usize>,
    /// Fields the condition depends on, transitively (for `faltan`).
    pub fields: Vec<usize>,
    pub reads: Vec<Ref>,
    /// `requiere nivel x`: the index of `x` (already folded into `condition`).
    pub requires: Option<usize>,
    /// Criteria of a `tolera N de` list: a failure there is tolerated.
    pub tolerated: Vec<usize>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RecTarget {
    Level(usize),
    /// Fires when the criterion is not met.
    Criterion(usize),
}

#[derive(Debug, Clone)]
pub struct Recommendation {
    pub name: String,
    pub target: RecTarget,
    /// "nivel embrionaria" / "criterio x no se cumple", written once.
    pub reason: String,
    /// `si …`: given only where this holds (not when it is undecided).
    pub condition: Option<CExpr>,
    pub section: Option<String>,
    pub text: String,
    pub span: Span,
}

/// `revisar x si … "…"`: data that cannot be right.
#[derive(Debug, Clone)]
pub struct Check {
    pub name: String,
    pub condition: CExpr,
    pub message: String,
    pub span: Span,
}

/// A test case written in the rule file (`ejemplo`), with its data typed.
#[derive(Debug, Clone)]
pub struct Example {
    pub name: String,
    pub title: Option<String>,
    pub row: crate::data::Row,
    /// `Some(None)`: expects no level (`espera nivel ninguno`).
    pub expect_level: Option<Option<usize>>,
    pub expect_failed: Option<Vec<String>>,
    pub expect_recommendations: Option<Vec<String>>,
    pub span: Span,
}

/// A checked rule set, ready to evaluate any number of rows.
#[derive(Debug, Clone)]
pub struct Program {
    pub sources: SourceMap,
    pub title: String,
    pub version: Option<String>,
    pub schema: Schema,
    pub fields: Vec<Field>,
    pub params: Vec<Param>,
    /// In declaration order; `eval_order` gives the evaluation order.
    pub values: Vec<Value>,
    pub groups: Vec<Group>,
    /// In declaration order; `eval_order` gives the evaluation order.
    pub criteria: Vec<Criterion>,
    /// Values and criteria in dependency order (only `Ref::Value` and
    /// `Ref::Criterion`): each reads only what comes before it.
    pub eval_order: Vec<Ref>,
    /// For each field, the values and criteria that depend on it (directly
    /// or through others), in `eval_order`: what one changed answer makes
    /// compute again.
    pub field_dependents: Vec<Vec<Ref>>,
    pub levels: Vec<Level>,
    pub recommendations: Vec<Recommendation>,
    /// `revisar …`: consistency checks on each row's data.
    pub checks: Vec<Check>,
    pub examples: Vec<Example>,
    /// Declarations a regional variant overrode: name and where the base
    /// declared it.
    pub overrides: Vec<(String, Span)>,
    /// Index of the `codigo` and `nombre` fields.
    pub code_field: usize,
    pub name_field: Option<usize>,
}

impl Program {
    /// `cepac.reglas:120`, for explanations.
    pub fn place(&self, span: Span) -> String {
        self.sources.short_location(span)
    }

    /// Where the base file declared what a variant overrode, if it did.
    pub fn overridden(&self, name: &str) -> Option<String> {
        self.overrides
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| self.place(*s))
    }
}

/// Computes a constant expression (parameters) at check time.
pub fn constant(e: &CExpr) -> Option<Constant> {
    match e {
        CExpr::Num(n) => Some(Constant::Num(*n)),
        CExpr::Bool(b) => Some(Constant::Bool(*b)),
        CExpr::Text(t) => Some(Constant::Text(t.clone())),
        CExpr::Cat(c) => Some(Constant::Cat(*c)),
        CExpr::Neg(a) => match constant(a)? {
            Constant::Num(n) => Some(Constant::Num(-n)),
            _ => None,
        },
        CExpr::Arith(op, a, b, _) => match (constant(a)?, constant(b)?) {
            (Constant::Num(x), Constant::Num(y)) => Some(Constant::Num(match op {
                ArithOp::Add => x + y,
                ArithOp::Sub => x - y,
                ArithOp::Mul => x * y,
                ArithOp::Div if y != 0.0 => x / y,
                ArithOp::Div => return None,
            })),
            _ => None,
        },
        _ => None,
    }
}
