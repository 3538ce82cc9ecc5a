//! The typed syntax tree of a `.reglas` file. Produced by [`crate::syntax`],
//! consumed by [`crate::check`]. Every node keeps its [`Span`].

use serde::Serialize;

use crate::source::{FileId, Span};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct File {
    #[serde(skip)]
    pub id: FileId,
    pub header: Option<Header>,
    pub decls: Vec<Decl>,
    /// After composing a variant with its base: for each overridden
    /// declaration, its name and where the base declared it.
    #[serde(skip)]
    pub overrides: Vec<(String, Span)>,
    /// After composing: each name a `quita` removed, and where.
    #[serde(skip)]
    pub removed: Vec<(String, Span)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    pub title: Str,
    pub version: Option<Str>,
    /// `basado en "…"`: the rule file this one adapts.
    pub base: Option<Str>,
    #[serde(skip)]
    pub span: Span,
}

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Name {
    pub text: String,
    #[serde(skip)]
    pub span: Span,
}

/// A string literal (without quotes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Str {
    pub text: String,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Decl {
    Field(FieldDecl),
    Param(ParamDecl),
    Value(ValueDecl),
    Group(GroupDecl),
    Criterion(CriterionDecl),
    Level(LevelDecl),
    Recommendation(RecommendationDecl),
    /// `cambia …`: replaces the clauses written of a declaration of the base
    /// file (an empty title means "keep the base's").
    Override(Box<Decl>),
    /// `quita criterio x`
    Remove(RemoveDecl),
    /// `ejemplo …`: a test case written in the rule file.
    Example(ExampleDecl),
    /// `revisar x si … "…"`: a consistency check on the data.
    Check(CheckDecl),
}

/// `revisar NOMBRE si CONDICIÓN "MENSAJE"`: when the condition holds for a
/// row, its data cannot be right; the row gets the message, not a level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckDecl {
    pub name: Name,
    pub condition: Expr,
    pub message: Str,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemoveDecl {
    /// "criterio", "nivel"… as written.
    pub kind: String,
    pub name: Name,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleDecl {
    pub name: Name,
    pub title: Option<Str>,
    /// `como otro`: starts from another example's data.
    pub like: Option<Name>,
    pub expect_level: Option<Name>,
    pub expect_failed: Option<Vec<Name>>,
    pub expect_recommendations: Option<Vec<Name>>,
    /// `con campo = valor, …`; `None` value = `sin dato`.
    pub data: Vec<(Name, Option<Expr>)>,
    #[serde(skip)]
    pub span: Span,
}

impl Decl {
    pub fn name(&self) -> &Name {
        match self {
            Decl::Field(d) => &d.name,
            Decl::Param(d) => &d.name,
            Decl::Value(d) => &d.name,
            Decl::Group(d) => &d.name,
            Decl::Criterion(d) => &d.name,
            Decl::Level(d) => &d.name,
            Decl::Recommendation(d) => &d.name,
            Decl::Override(d) => d.name(),
            Decl::Remove(d) => &d.name,
            Decl::Example(d) => &d.name,
            Decl::Check(d) => &d.name,
        }
    }

    /// Spanish word for the kind of declaration, for messages.
    pub fn kind_word(&self) -> &'static str {
        match self {
            Decl::Field(_) => "campo",
            Decl::Param(_) => "parámetro",
            Decl::Value(_) => "valor",
            Decl::Group(_) => "grupo",
            Decl::Criterion(_) => "criterio",
            Decl::Level(_) => "nivel",
            Decl::Recommendation(_) => "recomendación",
            Decl::Override(d) => d.kind_word(),
            Decl::Remove(_) => "quita",
            Decl::Example(_) => "ejemplo",
            Decl::Check(_) => "revisar",
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Decl::Field(d) => d.span,
            Decl::Param(d) => d.span,
            Decl::Value(d) => d.span,
            Decl::Group(d) => d.span,
            Decl::Criterion(d) => d.span,
            Decl::Level(d) => d.span,
            Decl::Recommendation(d) => d.span,
            Decl::Override(d) => d.span(),
            Decl::Remove(d) => d.span,
            Decl::Example(d) => d.span,
            Decl::Check(d) => d.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TypeKind {
    Bool,
    Integer,
    Number,
    Percent,
    Text,
    Category(Vec<CategoryValue>),
}

/// One value of a category: its name in the rules and the data, and the
/// label people read (`amboro "Amboró"`), when given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryValue {
    pub name: Name,
    pub label: Option<Str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldDecl {
    pub name: Name,
    pub ty: TypeKind,
    #[serde(skip)]
    pub ty_span: Span,
    pub question: Option<Str>,
    pub section: Option<Str>,
    pub aliases: Vec<Str>,
    /// `máximo otro_campo`: the value may not exceed that field (checked on data).
    pub at_most: Option<Expr>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamDecl {
    pub name: Name,
    pub value: Expr,
    pub title: Option<Str>,
    pub section: Option<Str>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueDecl {
    pub name: Name,
    pub expr: Expr,
    pub title: Option<Str>,
    pub section: Option<Str>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupDecl {
    pub name: Name,
    pub title: Str,
    pub section: Option<Str>,
    #[serde(skip)]
    pub span: Span,
}

/// What a blank (sin dato) means for a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum BlankPolicy {
    /// Stays undecided (the default).
    #[default]
    Undecided,
    /// Counts as not met.
    Fails,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionDecl {
    pub name: Name,
    pub title: Str,
    pub group: Option<Name>,
    pub section: Option<Str>,
    pub condition: Option<Expr>,
    pub applies_if: Option<Expr>,
    pub when_met: Option<Str>,
    pub when_failed: Option<Str>,
    pub blank_policy: Option<(BlankPolicy, Span)>,
    pub points: Option<(f64, Span)>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelDecl {
    pub name: Name,
    pub title: Str,
    pub section: Option<Str>,
    pub condition: Option<Expr>,
    /// `requiere nivel x`: the level also needs what level `x` needs.
    pub requires: Option<Name>,
    /// `en otro caso`: the catch-all level.
    #[serde(skip)]
    pub otherwise: Option<Span>,
    pub is_otherwise: bool,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Target {
    Level(Name),
    Criterion(Name),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecommendationDecl {
    pub name: Name,
    pub target: Target,
    /// `si …`: given only where this condition holds.
    pub condition: Option<Expr>,
    pub section: Option<Str>,
    pub text: Str,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CmpOp {
    Ge,
    Le,
    Gt,
    Lt,
    Eq,
    Ne,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Ge => ">=",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Lt => "<",
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl ArithOp {
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Quantity {
    /// `al menos N de` (N a count, a percent, or a parameter name)
    AtLeast(Box<Expr>),
    /// `tolera N de`: every item must hold except at most N.
    Tolerate(Box<Expr>),
    All,
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum QuantOver {
    List(Vec<Expr>),
    Group(Name),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expr {
    pub kind: ExprKind,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ExprKind {
    Number(f64),
    Percent(f64),
    Text(String),
    Bool(bool),
    Name(Name),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Neg(Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    HasData(Box<Expr>),
    IsBlank(Box<Expr>),
    In {
        expr: Box<Expr>,
        values: Vec<Name>,
        negated: bool,
    },
    Quant {
        quantity: Quantity,
        over: QuantOver,
    },
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(Name, Vec<Expr>),
}
