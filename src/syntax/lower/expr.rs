//! Lowering of expressions: precedence levels, operators, quantifiers,
//! conditionals and calls. The nesting depth of the tree is bounded here.

use super::super::grammar::Rule;
use super::super::nesting::{too_deep_expr, MAX_NESTING};
use super::{is_keyword, Lowerer, P};
use crate::ast::*;
use crate::source::Span;

impl Lowerer {
    pub(super) fn first_expr(&mut self, p: P) -> Option<Expr> {
        let e = p.into_inner().find(|i| i.as_rule() == Rule::expr)?;
        self.expr(e)
    }

    /// Lowers an expression. Pairs that only wrap one child (most precedence
    /// levels, and parentheses) are walked through in a loop: only pairs
    /// that build a node recurse, so the stack grows with the tree, not with
    /// the grammar. `depth` bounds the depth of that tree (every later stage
    /// recurses over it): each parenthesis, `no`, operator or call is one
    /// level, and a chain `a + b + c` is as deep as it has operators.
    pub(super) fn expr(&mut self, p: P) -> Option<Expr> {
        let mut p = p;
        let mut cost = 0;
        // The result takes the span of the outermost wrapper that has one of
        // its own (a parenthesized expression includes its parentheses).
        let mut outer: Option<P> = None;
        loop {
            let child = match p.as_rule() {
                Rule::expr | Rule::unario | Rule::parentesis => {
                    p.clone().into_inner().find(|i| !is_keyword(i))
                }
                Rule::disjuncion
                | Rule::conjuncion
                | Rule::comparacion
                | Rule::suma
                | Rule::producto
                | Rule::factor => {
                    let mut it = p.clone().into_inner().filter(|i| !is_keyword(i));
                    match (it.next(), it.next()) {
                        (Some(only), None) => Some(only),
                        _ => None,
                    }
                }
                _ => None,
            };
            let Some(child) = child else { break };
            let own_span = matches!(
                p.as_rule(),
                Rule::expr | Rule::unario | Rule::parentesis | Rule::suma | Rule::producto
            );
            if own_span && outer.is_none() {
                outer = Some(p.clone());
            }
            if p.as_rule() == Rule::parentesis {
                cost += 1;
            }
            p = child;
        }
        let cost = cost + nesting_cost(&p);
        if self.depth + cost > MAX_NESTING {
            let width = p.as_str().chars().next().map_or(0, char::len_utf8);
            self.problems
                .push(too_deep_expr(self.id, p.as_span().start(), width));
            return None;
        }
        self.depth += cost;
        let mut result = self.expr_inner(p);
        self.depth -= cost;
        if let (Some(e), Some(o)) = (result.as_mut(), outer) {
            e.span = self.span(&o);
        }
        result
    }

    fn expr_inner(&mut self, p: P) -> Option<Expr> {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::expr | Rule::unario | Rule::parentesis => {
                let inner = p.into_inner().find(|i| !is_keyword(i))?;
                let mut e = self.expr(inner)?;
                e.span = span;
                Some(e)
            }
            Rule::disjuncion => self.chain(p, span, ExprKind::Or),
            Rule::conjuncion => self.chain(p, span, ExprKind::And),
            Rule::negacion => {
                let inner = p.into_inner().find(|i| !is_keyword(i))?;
                let e = self.expr(inner)?;
                Some(Expr {
                    kind: ExprKind::Not(Box::new(e)),
                    span,
                })
            }
            Rule::comparacion => self.comparacion(p, span),
            Rule::suma | Rule::producto => self.arith(p, span),
            Rule::factor => self.factor(p, span),
            Rule::numero => Some(Expr {
                kind: ExprKind::Number(p.as_str().parse().unwrap_or(0.0)),
                span,
            }),
            Rule::porcentaje => {
                let n = p
                    .into_inner()
                    .next()
                    .and_then(|n| n.as_str().parse().ok())
                    .unwrap_or(0.0);
                Some(Expr {
                    kind: ExprKind::Percent(n),
                    span,
                })
            }
            Rule::texto => {
                let s = self.string(p.into_inner().next()?);
                Some(Expr {
                    kind: ExprKind::Text(s.text),
                    span,
                })
            }
            Rule::booleano => {
                let kw = p.into_inner().next()?;
                Some(Expr {
                    kind: ExprKind::Bool(kw.as_rule() != Rule::kw_no),
                    span,
                })
            }
            Rule::name => Some(Expr {
                kind: ExprKind::Name(self.name(p)),
                span,
            }),
            Rule::cuantificador => self.cuantificador(p, span),
            Rule::condicional => self.condicional(p, span),
            Rule::llamada => self.llamada(p, span),
            _ => {
                self.internal(&p);
                None
            }
        }
    }

    /// An atom after any number of `-`.
    fn factor(&mut self, p: P, span: Span) -> Option<Expr> {
        let mut minus = 0;
        let mut atom = None;
        for i in p.into_inner() {
            if i.as_rule() == Rule::menos {
                minus += 1;
            } else {
                atom = Some(i);
            }
        }
        let mut e = self.expr(atom?)?;
        for _ in 0..minus {
            e = Expr {
                kind: ExprKind::Neg(Box::new(e)),
                span,
            };
        }
        Some(e)
    }

    /// `si c entonces a si no b`.
    fn condicional(&mut self, p: P, span: Span) -> Option<Expr> {
        let mut es = p.into_inner().filter(|i| i.as_rule() == Rule::expr);
        let c = self.expr(es.next()?)?;
        let a = self.expr(es.next()?)?;
        let b = self.expr(es.next()?)?;
        Some(Expr {
            kind: ExprKind::If(Box::new(c), Box::new(a), Box::new(b)),
            span,
        })
    }

    /// `función(argumentos)`.
    fn llamada(&mut self, p: P, span: Span) -> Option<Expr> {
        let mut inner = p.into_inner();
        let f = inner.next()?;
        let fname = Name {
            text: f.as_str().to_string(),
            span: self.span(&f),
        };
        let mut args = Vec::new();
        for a in inner {
            args.push(self.expr(a)?);
        }
        Some(Expr {
            kind: ExprKind::Call(fname, args),
            span,
        })
    }

    fn chain(&mut self, p: P, span: Span, make: fn(Vec<Expr>) -> ExprKind) -> Option<Expr> {
        let mut items = Vec::new();
        for i in p.into_inner().filter(|i| !is_keyword(i)) {
            items.push(self.expr(i)?);
        }
        if items.len() == 1 {
            return items.pop();
        }
        Some(Expr {
            kind: make(items),
            span,
        })
    }

    fn comparacion(&mut self, p: P, span: Span) -> Option<Expr> {
        let mut inner = p.into_inner();
        let mut left = self.expr(inner.next()?)?;
        for i in inner {
            let is = self.span(&i);
            match i.as_rule() {
                Rule::op_cmp => {
                    let op = match i.as_str() {
                        ">=" | "≥" => CmpOp::Ge,
                        "<=" | "≤" => CmpOp::Le,
                        ">" => CmpOp::Gt,
                        "<" => CmpOp::Lt,
                        "=" => CmpOp::Eq,
                        _ => CmpOp::Ne,
                    };
                    // The right operand follows the operator.
                    left = Expr {
                        kind: ExprKind::Cmp(op, Box::new(left), Box::new(placeholder(is))),
                        span,
                    };
                }
                Rule::suma => {
                    let right = self.expr(i)?;
                    if let ExprKind::Cmp(_, _, r) = &mut left.kind {
                        **r = right;
                    }
                }
                Rule::tiene_dato => {
                    left = Expr {
                        kind: ExprKind::HasData(Box::new(left)),
                        span,
                    }
                }
                Rule::sin_dato => {
                    left = Expr {
                        kind: ExprKind::IsBlank(Box::new(left)),
                        span,
                    }
                }
                Rule::pertenece | Rule::no_pertenece => {
                    let negated = i.as_rule() == Rule::no_pertenece;
                    let list = i
                        .into_inner()
                        .find(|x| x.as_rule() == Rule::lista_nombres)?;
                    let values = list
                        .into_inner()
                        .filter(|x| x.as_rule() == Rule::name)
                        .map(|x| self.name(x))
                        .collect();
                    left = Expr {
                        kind: ExprKind::In {
                            expr: Box::new(left),
                            values,
                            negated,
                        },
                        span,
                    }
                }
                _ => self.internal(&i),
            }
        }
        Some(left)
    }

    fn arith(&mut self, p: P, span: Span) -> Option<Expr> {
        let mut inner = p.into_inner();
        let mut left = self.expr(inner.next()?)?;
        while let Some(op) = inner.next() {
            let op = match op.as_str() {
                "+" => ArithOp::Add,
                "-" => ArithOp::Sub,
                "*" => ArithOp::Mul,
                _ => ArithOp::Div,
            };
            let right = self.expr(inner.next()?)?;
            let s = left.span.to(right.span);
            left = Expr {
                kind: ExprKind::Arith(op, Box::new(left), Box::new(right)),
                span: s,
            };
        }
        left.span = span;
        Some(left)
    }

    fn cuantificador(&mut self, p: P, span: Span) -> Option<Expr> {
        let mut inner = p.into_inner().filter(|i| !is_keyword(i));
        let cuantia = inner.next()?.into_inner().next()?;
        let quantity = match cuantia.as_rule() {
            Rule::al_menos => {
                let n = cuantia.into_inner().find(|i| !is_keyword(i))?;
                Quantity::AtLeast(Box::new(self.expr(n)?))
            }
            Rule::tolera => {
                let n = cuantia.into_inner().find(|i| !is_keyword(i))?;
                Quantity::Tolerate(Box::new(self.expr(n)?))
            }
            Rule::todos => Quantity::All,
            _ => Quantity::None,
        };
        let over_pair = inner.next()?;
        let over = match over_pair.as_rule() {
            Rule::de_grupo => {
                let n = over_pair
                    .into_inner()
                    .find(|i| i.as_rule() == Rule::name)
                    .map(|i| self.name(i))?;
                QuantOver::Group(n)
            }
            _ => {
                let mut items = Vec::new();
                for e in over_pair.into_inner() {
                    items.push(self.expr(e)?);
                }
                QuantOver::List(items)
            }
        };
        Some(Expr {
            kind: ExprKind::Quant { quantity, over },
            span,
        })
    }
}

/// How many levels of the syntax tree a pair adds (see `Lowerer::expr`).
fn nesting_cost(p: &P) -> usize {
    match p.as_rule() {
        Rule::parentesis
        | Rule::negacion
        | Rule::condicional
        | Rule::cuantificador
        | Rule::llamada => 1,
        Rule::disjuncion | Rule::conjuncion => {
            usize::from(p.clone().into_inner().filter(|i| !is_keyword(i)).count() > 1)
        }
        // operand (operator operand)*: one level per operator.
        Rule::suma | Rule::producto => p.clone().into_inner().count() / 2,
        Rule::factor => p
            .clone()
            .into_inner()
            .filter(|i| i.as_rule() == Rule::menos)
            .count(),
        // Each comparison or suffix wraps what is on its left.
        Rule::comparacion => p
            .clone()
            .into_inner()
            .filter(|i| i.as_rule() != Rule::suma)
            .count(),
        _ => 0,
    }
}

fn placeholder(span: Span) -> Expr {
    Expr {
        kind: ExprKind::Bool(false),
        span,
    }
}
