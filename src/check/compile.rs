//! Resolves names and types in one expression and compiles it to a
//! [`CExpr`]. Errors are pushed to the shared problem list and compilation
//! goes on with the siblings, so one pass reports every mistake.

use std::collections::BTreeSet;

use super::symbols::{Sym, Symbols};
use crate::ast::{ArithOp, CmpOp, Expr, ExprKind, Name, QuantOver, Quantity};
use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};
use crate::program::{CExpr, Constant, Func, GroupFunc, QuantKind, Ref, Ty};
use crate::source::Span;
use crate::text::did_you_mean;
use crate::text::number;

/// What an expression may refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Parameters: constants and other parameters only.
    Constant,
    /// Everything else: data, values, criteria, groups.
    Data,
}

/// Everything the compiler needs to know about declared names.
pub struct Env<'a> {
    pub syms: &'a Symbols,
    pub field_tys: &'a [Ty],
    pub field_names: &'a [String],
    pub field_cats: &'a [Vec<String>],
    pub params: &'a [Option<(Ty, Constant)>],
    /// Types of values compiled so far (None: not yet, or failed).
    pub value_tys: &'a [Option<Ty>],
    pub group_members: &'a [Vec<usize>],
}

/// Per-expression state: where errors go and what the expression read.
pub struct Compiler<'a, 'p> {
    pub env: &'a Env<'a>,
    pub problems: &'p mut Problems,
    pub mode: Mode,
    /// Everything read, in first-use order (for explanations and dependencies).
    pub reads: Vec<Ref>,
    pub groups_read: BTreeSet<usize>,
    /// Criteria listed in a `tolera N de`: their failures may be tolerated.
    pub tolerated: Vec<usize>,
}

type Out = Option<(CExpr, Ty)>;

impl<'a, 'p> Compiler<'a, 'p> {
    pub fn new(env: &'a Env<'a>, problems: &'p mut Problems, mode: Mode) -> Self {
        Compiler {
            env,
            problems,
            mode,
            reads: Vec::new(),
            groups_read: BTreeSet::new(),
            tolerated: Vec::new(),
        }
    }

    fn read(&mut self, r: Ref) {
        if !self.reads.contains(&r) {
            self.reads.push(r);
        }
    }

    fn error(&mut self, p: Problem) {
        self.problems.push(p);
    }

    /// Compiles an expression that must be a condition (sí/no).
    pub fn condition(&mut self, e: &Expr, what: &str) -> Option<CExpr> {
        let (c, ty) = self.expr(e)?;
        if ty != Ty::Bool {
            self.error(
                Problem::error(
                    Code::TypeMismatch,
                    format!(
                        "{what} debe ser una condición (sí/no), pero esto es {}",
                        article(&ty)
                    ),
                )
                .label(e.span, format!("esto es {}", article(&ty)))
                .help("Compare el valor con algo, por ejemplo `… >= 3` o `… = sí`."),
            );
            return None;
        }
        Some(c)
    }

    pub fn expr(&mut self, e: &Expr) -> Out {
        match &e.kind {
            ExprKind::Number(n) => Some((CExpr::Num(*n), Ty::Number)),
            ExprKind::Percent(n) => Some((CExpr::Num(*n), Ty::Percent)),
            ExprKind::Text(t) => Some((CExpr::Text(t.as_str().into()), Ty::Text)),
            ExprKind::Bool(b) => Some((CExpr::Bool(*b), Ty::Bool)),
            ExprKind::Name(n) => self.name(n),
            ExprKind::Not(a) => {
                let c = self.condition(a, "lo que sigue a `no`")?;
                Some((CExpr::Not(Box::new(c)), Ty::Bool))
            }
            ExprKind::And(items) => {
                let out = self.conditions(items, "cada lado de `y`")?;
                Some((CExpr::And(out), Ty::Bool))
            }
            ExprKind::Or(items) => {
                let out = self.conditions(items, "cada lado de `o`")?;
                Some((CExpr::Or(out), Ty::Bool))
            }
            ExprKind::Neg(a) => {
                let (c, ty) = self.numeric(a, "`-`")?;
                Some((CExpr::Neg(Box::new(c)), ty))
            }
            ExprKind::Cmp(op, a, b) => self.comparison(*op, a, b, e.span),
            ExprKind::Arith(op, a, b) => self.arithmetic(*op, a, b, e.span),
            ExprKind::HasData(a) => {
                let (c, _) = self.expr(a)?;
                Some((CExpr::HasData(Box::new(c)), Ty::Bool))
            }
            ExprKind::IsBlank(a) => {
                let (c, _) = self.expr(a)?;
                Some((CExpr::IsBlank(Box::new(c)), Ty::Bool))
            }
            ExprKind::In {
                expr,
                values,
                negated,
            } => self.membership(expr, values, *negated),
            ExprKind::Quant { quantity, over } => self.quantifier(quantity, over),
            ExprKind::If(c, a, b) => self.conditional(c, a, b, e.span),
            ExprKind::Call(f, args) => self.call(f, args, e.span),
        }
    }

    /// Each item as a condition; None when any fails (after reporting all).
    fn conditions(&mut self, items: &[Expr], what: &str) -> Option<Vec<CExpr>> {
        let mut out = Vec::new();
        let mut ok = true;
        for i in items {
            match self.condition(i, what) {
                Some(c) => out.push(c),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// `+ - * /`: percent plus or minus percent stays a percent, integers
    /// added, subtracted or multiplied stay integers.
    fn arithmetic(&mut self, op: ArithOp, a: &Expr, b: &Expr, span: Span) -> Out {
        let l = self.numeric(a, &format!("`{}`", op.symbol()));
        let r = self.numeric(b, &format!("`{}`", op.symbol()));
        let ((lc, lt), (rc, rt)) = (l?, r?);
        let ty = match op {
            ArithOp::Add | ArithOp::Sub if lt == Ty::Percent && rt == Ty::Percent => Ty::Percent,
            ArithOp::Add | ArithOp::Sub | ArithOp::Mul
                if lt == Ty::Integer && rt == Ty::Integer =>
            {
                Ty::Integer
            }
            _ => Ty::Number,
        };
        Some((CExpr::Arith(op, Box::new(lc), Box::new(rc), span), ty))
    }

    /// `si … entonces … si no …`: both branches of one type (or both numeric).
    fn conditional(&mut self, c: &Expr, a: &Expr, b: &Expr, span: Span) -> Out {
        let c = self.condition(c, "la condición de `si … entonces`");
        let a = self.expr(a);
        let b = self.expr(b);
        let (c, (ac, at), (bc, bt)) = (c?, a?, b?);
        let ty = if at == bt {
            at
        } else if at.is_numeric() && bt.is_numeric() {
            Ty::Number
        } else {
            self.error(
                Problem::error(
                    Code::TypeMismatch,
                    format!(
                        "las dos ramas de `si … entonces … si no …` deben ser del mismo tipo: una es {} y la otra {}",
                        at.word(),
                        bt.word()
                    ),
                )
                .label(span, "aquí")
                .help("Haga que ambas ramas den números, o ambas sí/no."),
            );
            return None;
        };
        Some((CExpr::If(Box::new(c), Box::new(ac), Box::new(bc)), ty))
    }

    fn numeric(&mut self, e: &Expr, op: &str) -> Out {
        let (c, ty) = self.expr(e)?;
        if !ty.is_numeric() {
            self.error(
                Problem::error(
                    Code::TypeMismatch,
                    format!("{op} necesita números, pero esto es {}", article(&ty)),
                )
                .label(e.span, format!("esto es {}", article(&ty)))
                .help("Las operaciones aritméticas solo se hacen con campos `entero`, `número` o `porcentaje`."),
            );
            return None;
        }
        Some((c, ty))
    }

    fn name(&mut self, n: &Name) -> Out {
        let Some(sym) = self.env.syms.get(&n.text) else {
            self.unknown_name(n, &[]);
            return None;
        };
        if self.mode == Mode::Constant && !matches!(sym, Sym::Param(_)) {
            self.error(
                Problem::error(
                    Code::NotConstant,
                    format!("un parámetro no puede depender de {} (`{}`)", sym.described(), n.text),
                )
                .label(n.span, "esto depende de los datos de cada organización")
                .help("Un parámetro es un número fijo (como `40%`). Para un cálculo con datos, declare un `valor`."),
            );
            return None;
        }
        match sym {
            Sym::Field(i) => {
                self.read(Ref::Field(i));
                Some((CExpr::Field(i), self.env.field_tys[i].clone()))
            }
            Sym::Param(i) => {
                let (ty, k) = self.env.params.get(i)?.clone()?;
                self.read(Ref::Param(i));
                // Parameters are inlined: evaluation never looks them up.
                let c = match k {
                    Constant::Num(x) => CExpr::Num(x),
                    Constant::Bool(b) => CExpr::Bool(b),
                    Constant::Text(t) => CExpr::Text(t),
                    Constant::Cat(c) => CExpr::Cat(c),
                };
                Some((c, ty))
            }
            Sym::Value(i) => {
                let ty = self.env.value_tys.get(i)?.clone()?;
                self.read(Ref::Value(i));
                Some((CExpr::Value(i), ty))
            }
            Sym::Criterion(i) => {
                self.read(Ref::Criterion(i));
                Some((CExpr::Criterion(i), Ty::Bool))
            }
            Sym::Group(_) => {
                self.error(
                    Problem::error(
                        Code::WrongKind,
                        format!("`{}` es un grupo, no un valor ni una condición", n.text),
                    )
                    .label(n.span, "un grupo")
                    .help(format!(
                        "Use `todos de grupo {0}`, `al menos 3 de grupo {0}`, `cumplidos({0})` o `proporcion({0})`.",
                        n.text
                    )),
                );
                None
            }
            Sym::Level(_) | Sym::Recommendation(_) => {
                self.error(
                    Problem::error(
                        Code::WrongKind,
                        format!(
                            "`{}` es {} y no puede usarse en una condición",
                            n.text,
                            sym.described()
                        ),
                    )
                    .label(n.span, "aquí")
                    .help("Las condiciones usan campos, parámetros, valores, criterios y grupos."),
                );
                None
            }
        }
    }

    pub fn unknown_name(&mut self, n: &Name, extra: &[String]) {
        let candidates: Vec<&str> = self
            .env
            .syms
            .names()
            .chain(extra.iter().map(|s| s.as_str()))
            .collect();
        let mut p = Problem::error(
            Code::UnknownName,
            format!("no se conoce el nombre `{}`", n.text),
        )
        .about(&n.text)
        .label(n.span, "no está declarado");
        let boolean = ["true", "false", "verdadero", "falso"];
        p = match did_you_mean(&n.text, candidates) {
            _ if boolean.contains(&n.text.to_lowercase().as_str()) => {
                p.help("Los valores de sí/no se escriben `sí` y `no`: `personeria_juridica = sí`.")
            }
            Some(s) => p.help(format!("¿Quiso decir `{s}`?")),
            None => p.help("Declárelo con `campo`, `parámetro`, `valor` o `criterio`, o revise cómo está escrito."),
        };
        self.error(p);
    }

    /// A bare name (or text) on the other side of a category resolves to one
    /// of that category's values.
    fn category_value(&mut self, field: usize, e: &Expr) -> Option<Option<u32>> {
        let (text, span) = match &e.kind {
            ExprKind::Name(n) => {
                // A declared name keeps its meaning unless it is also a value
                // of this category.
                let cats = &self.env.field_cats[field];
                if self.env.syms.get(&n.text).is_some() && !cats.contains(&n.text) {
                    return None;
                }
                (n.text.as_str(), n.span)
            }
            ExprKind::Text(t) => (t.as_str(), e.span),
            _ => return None,
        };
        Some(self.category_index(field, text, span))
    }

    fn category_index(&mut self, field: usize, text: &str, span: Span) -> Option<u32> {
        let cats = &self.env.field_cats[field];
        if let Some(i) = cats.iter().position(|c| c == text) {
            return Some(i as u32);
        }
        let fname = &self.env.field_names[field];
        let mut p = Problem::error(
            Code::UnknownCategory,
            format!("`{text}` no es un valor de la categoría `{fname}`"),
        )
        .label(span, "valor desconocido");
        let list = cats.join(", ");
        p = match did_you_mean(text, cats.iter().map(|s| s.as_str())) {
            Some(s) => p.help(format!("¿Quiso decir `{s}`? Valores de `{fname}`: {list}.")),
            None => p.help(format!("Valores de `{fname}`: {list}.")),
        };
        self.error(p);
        None
    }

    fn comparison(&mut self, op: CmpOp, a: &Expr, b: &Expr, span: Span) -> Out {
        // Category on the left, a value name on the right (or the reverse).
        if let Some(out) = self.category_comparison(op, a, b, span) {
            return out;
        }
        if let Some(out) = self.category_comparison(op, b, a, span) {
            return out;
        }
        let l = self.expr(a);
        let r = self.expr(b);
        let ((lc, lt), (rc, rt)) = (l?, r?);
        let ordering = matches!(op, CmpOp::Ge | CmpOp::Le | CmpOp::Gt | CmpOp::Lt);
        let compatible = (lt.is_numeric() && rt.is_numeric())
            || (!ordering && lt == rt && !matches!(lt, Ty::Category(_)))
            || (!ordering && matches!((&lt, &rt), (Ty::Category(x), Ty::Category(y)) if x == y));
        if !compatible {
            let msg = if ordering && lt == rt {
                format!(
                    "`{}` solo compara números; aquí se comparan valores de tipo {}",
                    op.symbol(),
                    lt.word()
                )
            } else {
                format!("no se puede comparar {} con {}", article(&lt), article(&rt))
            };
            self.error(
                Problem::error(Code::TypeMismatch, msg)
                    .label(a.span, lt.word())
                    .label(b.span, rt.word())
                    .help(compare_help(&lt, &rt)),
            );
            return None;
        }
        self.percent_over_100(&lt, &rc, &rt, b.span);
        self.percent_over_100(&rt, &lc, &lt, a.span);
        self.param_without_percent(&lt, b, &rt);
        self.param_without_percent(&rt, a, &lt);
        Some((CExpr::Cmp(op, Box::new(lc), Box::new(rc)), Ty::Bool))
    }

    /// `umbral_asistencia = 60` compared with a percentage works, but the
    /// explanations then show "60" instead of "60 %": ask for `60%`.
    fn param_without_percent(&mut self, ty: &Ty, other: &Expr, other_ty: &Ty) {
        if *ty != Ty::Percent || !matches!(other_ty, Ty::Number | Ty::Integer) {
            return;
        }
        let ExprKind::Name(n) = &other.kind else {
            return;
        };
        if !matches!(self.env.syms.get(&n.text), Some(Sym::Param(_))) {
            return;
        }
        let message = format!(
            "el parámetro `{}` se compara con un porcentaje pero está escrito sin `%`",
            n.text
        );
        // Once per parameter, however many comparisons use it.
        if self.problems.items.iter().any(|p| p.message == message) {
            return;
        }
        self.problems.push(
            Problem::warning(Code::ParamWithoutPercent, message)
            .label(other.span, "sin %")
            .help(format!(
                "Declárelo con `%` (por ejemplo `parámetro {} = 60%`): el resultado es el mismo, y las explicaciones lo muestran como porcentaje.",
                n.text
            )),
        );
    }

    fn percent_over_100(&mut self, ty: &Ty, other: &CExpr, other_ty: &Ty, span: Span) {
        if *ty == Ty::Percent {
            if let CExpr::Num(n) = other {
                if *n > 0.0 && *n < 1.0 && *other_ty != Ty::Percent {
                    self.problems.push(
                        Problem::warning(
                            Code::PercentAsFraction,
                            format!(
                                "un porcentaje se compara con {}, que es {} %, no {} %",
                                number(*n),
                                number(*n),
                                number(n * 100.0)
                            ),
                        )
                        .label(span, "¿una fracción?")
                        .help(format!(
                            "Los porcentajes van de 0 a 100: si quiso decir {} %, escriba `{}%`.",
                            number(n * 100.0),
                            n * 100.0
                        )),
                    );
                }
                if *n > 100.0 {
                    self.problems.push(
                        Problem::warning(
                            Code::PercentOver100,
                            format!(
                                "un porcentaje nunca es mayor que 100, pero se compara con {n}"
                            ),
                        )
                        .label(span, "mayor que 100")
                        .help("Los porcentajes van de 0 a 100: escriba por ejemplo `40%`."),
                    );
                }
            }
        }
    }

    fn category_comparison(
        &mut self,
        op: CmpOp,
        cat_side: &Expr,
        value_side: &Expr,
        span: Span,
    ) -> Option<Out> {
        if !matches!(value_side.kind, ExprKind::Name(_) | ExprKind::Text(_)) {
            return None;
        }
        // Only a category-typed side can turn a bare name into a category value;
        // peek at its type without reporting errors twice.
        let field = self.category_field_of(cat_side)?;
        let idx = self.category_value(field, value_side)?;
        let (c, _) = match self.expr(cat_side) {
            Some(x) => x,
            None => return Some(None),
        };
        let Some(idx) = idx else { return Some(None) };
        if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
            self.error(
                Problem::error(
                    Code::TypeMismatch,
                    format!(
                        "una categoría solo se compara con `=` o `!=`, no con `{}`",
                        op.symbol()
                    ),
                )
                .label(span, "aquí")
                .help("Para varias opciones use `campo en [valor1, valor2]`."),
            );
            return Some(None);
        }
        Some(Some((
            CExpr::Cmp(op, Box::new(c), Box::new(CExpr::Cat(idx))),
            Ty::Bool,
        )))
    }

    /// The field whose categories an expression has, if it is simply a
    /// category field, value or parameter.
    fn category_field_of(&self, e: &Expr) -> Option<usize> {
        let ExprKind::Name(n) = &e.kind else {
            return None;
        };
        let ty = match self.env.syms.get(&n.text)? {
            Sym::Field(i) => self.env.field_tys.get(i)?.clone(),
            Sym::Value(i) => self.env.value_tys.get(i)?.clone()?,
            Sym::Param(i) => self.env.params.get(i)?.clone()?.0,
            _ => return None,
        };
        match ty {
            Ty::Category(f) => Some(f),
            _ => None,
        }
    }

    fn membership(&mut self, e: &Expr, values: &[Name], negated: bool) -> Out {
        let (c, ty) = self.expr(e)?;
        if ty == Ty::Text {
            // A multiple-choice answer: the options chosen, separated by spaces.
            let words = values.iter().map(|v| v.text.clone()).collect();
            return Some((
                CExpr::HasWord {
                    expr: Box::new(c),
                    words,
                    negated,
                },
                Ty::Bool,
            ));
        }
        let Ty::Category(field) = ty else {
            self.error(
                Problem::error(
                    Code::TypeMismatch,
                    format!(
                        "`en [ … ]` es para campos de categoría o de texto (opción múltiple), pero esto es {}",
                        article(&ty)
                    ),
                )
                .label(e.span, ty.word())
                .help(
                    "Use `en [ … ]` con un campo `categoría (…)` o `texto`; para números use comparaciones.",
                ),
            );
            return None;
        };
        let mut cats = Vec::new();
        let mut ok = true;
        for v in values {
            match self.category_index(field, &v.text, v.span) {
                Some(i) => cats.push(i),
                None => ok = false,
            }
        }
        ok.then_some((
            CExpr::InCats {
                expr: Box::new(c),
                cats,
                negated,
            },
            Ty::Bool,
        ))
    }

    fn quantifier(&mut self, q: &Quantity, over: &QuantOver) -> Out {
        let items = match over {
            QuantOver::List(list) => self.conditions(list, "cada elemento de la lista")?,
            QuantOver::Group(g) => {
                let gi = self.group(g)?;
                self.env.group_members[gi]
                    .iter()
                    .map(|&m| {
                        self.read(Ref::Criterion(m));
                        CExpr::Criterion(m)
                    })
                    .collect()
            }
        };
        let kind = match q {
            Quantity::All => QuantKind::All,
            Quantity::None => QuantKind::None,
            Quantity::Tolerate(n) => {
                let kind = self.tolerance(n, items.len())?;
                for i in &items {
                    if let CExpr::Criterion(c) = i {
                        if !self.tolerated.contains(c) {
                            self.tolerated.push(*c);
                        }
                    }
                }
                kind
            }
            Quantity::AtLeast(n) => self.at_least(n, items.len())?,
        };
        Some((CExpr::Quant { kind, items }, Ty::Bool))
    }

    /// `al menos n de` over `count` items: a share with `%`, else a whole
    /// number of items no larger than `count`.
    fn at_least(&mut self, n: &Expr, count: usize) -> Option<QuantKind> {
        let (nc, nt) = self.expr(n)?;
        match (&nc, &nt) {
            (CExpr::Num(x), Ty::Percent) => self.at_least_share(*x, n.span, count),
            (CExpr::Num(x), _) if x.fract() != 0.0 => {
                let help = if *x > 0.0 && *x < 1.0 {
                    format!(
                        "¿Quiso decir una proporción? Escríbala con `%`: `al menos {}% de`.",
                        number(x * 100.0)
                    )
                } else {
                    format!("Use un número entero entre 1 y {count}, o un porcentaje como `60%`.")
                };
                self.error(
                    Problem::error(
                        Code::BadQuantity,
                        format!(
                            "`al menos {} de` cuenta criterios: debe ser un número entero",
                            number(*x)
                        ),
                    )
                    .label(n.span, "no es un número entero")
                    .help(help),
                );
                None
            }
            (CExpr::Num(x), _) if *x > count as f64 => {
                self.error(
                    Problem::error(
                        Code::BadQuantity,
                        format!(
                            "`al menos {x} de` una lista de {count} condiciones nunca puede cumplirse"
                        ),
                    )
                    .label(n.span, "cantidad imposible")
                    .help(format!("Use un número entero entre 1 y {count}.")),
                );
                None
            }
            _ if nt.is_numeric() => Some(QuantKind::AtLeast(Box::new(nc))),
            _ => {
                self.error(
                    Problem::error(
                        Code::BadQuantity,
                        "la cantidad de `al menos … de` debe ser un número",
                    )
                    .label(n.span, nt.word())
                    .help(
                        "Escriba un número (`al menos 3 de`) o un porcentaje (`al menos 60% de`).",
                    ),
                );
                None
            }
        }
    }

    /// `al menos x% de`: over 100% is an error; a share of less than one
    /// item is a warning (one is then enough).
    fn at_least_share(&mut self, x: f64, span: Span, count: usize) -> Option<QuantKind> {
        if x > 100.0 {
            self.error(
                Problem::error(
                    Code::BadQuantity,
                    format!("`al menos {x}%` nunca puede cumplirse"),
                )
                .label(span, "más de 100%")
                .help("Use un porcentaje entre 0% y 100%."),
            );
            return None;
        }
        let items = count as f64;
        if x > 0.0 && x / 100.0 * items < 1.0 && items > 0.0 {
            self.problems.push(
                Problem::warning(
                    Code::BadQuantity,
                    format!(
                        "`al menos {}%` de {count} criterios es menos de uno: basta con cumplir uno",
                        number(x),
                    ),
                )
                .label(span, "porcentaje muy pequeño")
                .help(format!(
                    "¿Quiso decir `al menos {} de` (una cantidad de criterios)? Sin `%` el número cuenta criterios.",
                    number(x)
                )),
            );
        }
        Some(QuantKind::AtLeastShare(x))
    }

    /// `tolera N de` a list of `len` items: N a whole number (or a
    /// numeric parameter) smaller than the list, so something is required.
    fn tolerance(&mut self, n: &Expr, len: usize) -> Option<QuantKind> {
        let (nc, nt) = self.expr(n)?;
        let bad = match (&nc, &nt) {
            (_, Ty::Percent) => Some(
                "`tolera N de` cuenta criterios: escriba un número entero, sin `%`".to_string(),
            ),
            (CExpr::Num(x), _) if x.fract() != 0.0 || *x < 0.0 => Some(format!(
                "`tolera {} de` cuenta criterios: debe ser un número entero",
                number(*x)
            )),
            (CExpr::Num(x), _) if *x >= len as f64 => Some(format!(
                "`tolera {} de` una lista de {len} condiciones no exige ninguna",
                number(*x)
            )),
            _ if nt.is_numeric() => None,
            _ => Some("la cantidad de `tolera … de` debe ser un número".to_string()),
        };
        match bad {
            Some(msg) => {
                self.error(
                    Problem::error(Code::BadQuantity, msg)
                        .label(n.span, "cantidad no válida")
                        .help(format!(
                            "Escriba cuántas faltas se toleran, un número entero entre 0 y {}: `tolera 1 de [a, b, c]`.",
                            len.saturating_sub(1)
                        )),
                );
                None
            }
            None => Some(QuantKind::Tolerate(Box::new(nc))),
        }
    }

    fn group(&mut self, g: &Name) -> Option<usize> {
        match self.env.syms.get(&g.text) {
            Some(Sym::Group(i)) => {
                self.groups_read.insert(i);
                Some(i)
            }
            Some(other) => {
                self.error(
                    Problem::error(Code::WrongKind, format!("`{}` es {}, no un grupo", g.text, other.described()))
                        .label(g.span, "se esperaba un grupo")
                        .help("Declare el grupo con `grupo nombre \"título\"` y ponga `grupo nombre` en sus criterios."),
                );
                None
            }
            None => {
                self.unknown_name(g, &[]);
                None
            }
        }
    }

    fn call(&mut self, f: &Name, args: &[Expr], span: Span) -> Out {
        let key = crate::text::fold(&f.text);
        let group_func = match key.as_str() {
            "cumplidos" => Some(GroupFunc::Count),
            "proporcion" => Some(GroupFunc::Share),
            "puntaje" => Some(GroupFunc::Score),
            _ => None,
        };
        if let Some(gf) = group_func {
            return self.group_call(gf, f, args, span);
        }
        let func = self.function(f, &key)?;
        self.check_arity(func, f, args, span)?;
        let mut cs = Vec::new();
        let mut tys = Vec::new();
        let mut ok = true;
        for a in args {
            match self.numeric(a, &format!("`{}`", f.text)) {
                Some((c, t)) => {
                    cs.push(c);
                    tys.push(t);
                }
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let ty = match func {
            Func::Percent => Ty::Percent,
            _ if tys.iter().all(|t| *t == Ty::Percent) => Ty::Percent,
            Func::Sum | Func::Max | Func::Min if tys.iter().all(|t| *t == Ty::Integer) => {
                Ty::Integer
            }
            _ => Ty::Number,
        };
        Some((CExpr::Call(func, cs, span), ty))
    }

    /// `cumplidos(g)`, `proporcion(g)`, `puntaje(g)`: one group name.
    fn group_call(&mut self, gf: GroupFunc, f: &Name, args: &[Expr], span: Span) -> Out {
        let arg = match args {
            [Expr {
                kind: ExprKind::Name(n),
                ..
            }] => n,
            _ => {
                self.error(
                    Problem::error(
                        Code::Arity,
                        format!("`{}` recibe el nombre de un grupo", f.text),
                    )
                    .label(span, "aquí")
                    .help(format!("Por ejemplo `{}(interno)`.", f.text)),
                );
                return None;
            }
        };
        let gi = self.group(arg)?;
        for &m in &self.env.group_members[gi] {
            self.read(Ref::Criterion(m));
        }
        let ty = match gf {
            GroupFunc::Count => Ty::Integer,
            GroupFunc::Share => Ty::Percent,
            GroupFunc::Score => Ty::Number,
        };
        Some((CExpr::Group(gf, gi), ty))
    }

    /// The numeric function `key` (the name folded) names, or an error.
    fn function(&mut self, f: &Name, key: &str) -> Option<Func> {
        match key {
            "porcentaje" => Some(Func::Percent),
            "promedio" => Some(Func::Average),
            "suma" => Some(Func::Sum),
            "mayor" => Some(Func::Max),
            "menor" => Some(Func::Min),
            _ => {
                let known = [
                    "porcentaje",
                    "promedio",
                    "suma",
                    "mayor",
                    "menor",
                    "cumplidos",
                    "proporcion",
                    "puntaje",
                ];
                let mut p = Problem::error(
                    Code::UnknownFunction,
                    format!("no existe la función `{}`", f.text),
                )
                .label(f.span, "función desconocida");
                // Excel's logical functions, in Spanish or in English.
                let excel = ["si", "y", "o", "no", "if", "and", "or", "not"];
                p = match did_you_mean(&f.text, known.iter().copied()) {
                    _ if excel.contains(&f.text.to_lowercase().as_str()) => p.help(
                        "Es una función de Excel; aquí se escribe entre las condiciones: \
                         `a y b`, `a o b`, `no a`, `si a entonces b si no c`.",
                    ),
                    Some(s) => p.help(format!(
                        "¿Quiso decir `{s}`? Funciones: {}.",
                        known.join(", ")
                    )),
                    None => p.help(format!("Funciones: {}.", known.join(", "))),
                };
                self.error(p);
                None
            }
        }
    }

    /// `porcentaje` takes two arguments, the others at least one.
    fn check_arity(&mut self, func: Func, f: &Name, args: &[Expr], span: Span) -> Option<()> {
        let arity_ok = match func {
            Func::Percent => args.len() == 2,
            _ => !args.is_empty(),
        };
        if arity_ok {
            return Some(());
        }
        let want = if func == Func::Percent {
            "dos argumentos: `porcentaje(parte, total)`"
        } else {
            "al menos un argumento"
        };
        self.error(
            Problem::error(Code::Arity, format!("`{}` necesita {want}", f.text))
                .label(span, format!("tiene {} argumento(s)", args.len()))
                .help("Revise los argumentos entre paréntesis, separados por comas."),
        );
        None
    }
}

fn article(t: &Ty) -> String {
    match t {
        Ty::Bool => "un sí/no".into(),
        Ty::Integer => "un entero".into(),
        Ty::Number => "un número".into(),
        Ty::Percent => "un porcentaje".into(),
        Ty::Text => "un texto".into(),
        Ty::Category(_) => "una categoría".into(),
    }
}

fn compare_help(l: &Ty, r: &Ty) -> String {
    match (l, r) {
        (Ty::Bool, t) | (t, Ty::Bool) if t.is_numeric() => {
            "Un campo sí/no ya es una condición: escriba solo su nombre (o `no campo`), o compárelo con `sí`/`no`.".into()
        }
        (Ty::Category(_), _) | (_, Ty::Category(_)) => {
            "Compare una categoría con uno de sus valores: `campo = valor` o `campo en [valor1, valor2]`.".into()
        }
        _ => "Compare valores del mismo tipo: números con números, sí/no con sí/no.".into(),
    }
}
