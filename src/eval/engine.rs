//! The expression interpreter and the level decision.

use std::cmp::Ordering;

use super::outcome::*;
use super::value::{num_cmp, Blank, Tri, V};
use crate::ast::{ArithOp, BlankPolicy, CmpOp};
use crate::data::{Row, Value as Cell};
use crate::program::*;

/// A criterion's result for one row.
#[derive(Debug, Clone, Copy)]
pub struct CritResult {
    pub outcome: Tri,
    pub applies: bool,
    /// The blank policy turned an undecided condition into "no cumple".
    pub policy_applied: bool,
    pub blank: Option<Blank>,
}

/// Per-row computed state.
pub struct State<'a> {
    pub row: &'a Row,
    pub values: Vec<V<'a>>,
    pub criteria: Vec<CritResult>,
}

/// Evaluates rows against one program.
pub struct Evaluator<'p> {
    pub program: &'p Program,
    /// What every full explanation shares, made once (on first use).
    header: std::sync::OnceLock<super::record::TraceHeader>,
}

impl<'p> Evaluator<'p> {
    pub fn new(program: &'p Program) -> Self {
        Evaluator {
            program,
            header: std::sync::OnceLock::new(),
        }
    }

    /// The header of a trace file of this program ([`super::record`]).
    pub fn header(&self) -> &super::record::TraceHeader {
        self.header
            .get_or_init(|| super::record::TraceHeader::of(self.program))
    }

    /// Evaluates one row. With `trace`, the result carries the full
    /// explanation; without it, only level, recommendations and missing data.
    pub fn evaluate(&self, row: &Row, trace: bool) -> Resultado {
        self.evaluate_with(row, if trace { Detail::Full } else { Detail::Level })
    }

    /// Evaluates one row with the chosen amount of detail.
    pub fn evaluate_with(&self, row: &Row, detail: Detail) -> Resultado {
        let state = self.compute(row);
        self.decide_with(&state, detail)
    }

    /// Computes every value and criterion of the row, in dependency order.
    pub fn compute<'a>(&'a self, row: &'a Row) -> State<'a> {
        let p = self.program;
        let mut st = State {
            row,
            values: vec![V::Blank(Blank::Unknown); p.values.len()],
            criteria: vec![
                CritResult {
                    outcome: Tri::Unknown,
                    applies: true,
                    policy_applied: false,
                    blank: None,
                };
                p.criteria.len()
            ],
        };
        for node in &p.eval_order {
            match *node {
                Ref::Value(i) => {
                    let v = self.eval(&p.values[i].expr, &st);
                    st.values[i] = v;
                }
                Ref::Criterion(i) => {
                    let r = self.criterion(&p.criteria[i], &st);
                    st.criteria[i] = r;
                }
                _ => {}
            }
        }
        st
    }

    pub(super) fn criterion<'a>(&'a self, c: &'a Criterion, st: &State<'a>) -> CritResult {
        if let Some(a) = &c.applies_if {
            match self.eval(a, st) {
                V::Bool(false) => {
                    return CritResult {
                        outcome: Tri::Yes,
                        applies: false,
                        policy_applied: false,
                        blank: None,
                    }
                }
                V::Bool(true) => {}
                // Whether it applies is unknown: undecided, whatever the
                // blank policy says (it may not apply at all).
                other => {
                    return CritResult {
                        outcome: Tri::Unknown,
                        applies: true,
                        policy_applied: false,
                        blank: Some(blank_of(other)),
                    };
                }
            }
        }
        match self.eval(&c.condition, st) {
            V::Bool(b) => CritResult {
                outcome: Tri::from_bool(b),
                applies: true,
                policy_applied: false,
                blank: None,
            },
            other => self.undecided(c, blank_of(other)),
        }
    }

    fn undecided(&self, c: &Criterion, blank: Blank) -> CritResult {
        let fails = c.blank_policy == BlankPolicy::Fails;
        CritResult {
            outcome: if fails { Tri::No } else { Tri::Unknown },
            applies: true,
            policy_applied: fails,
            blank: Some(blank),
        }
    }

    pub fn field<'a>(&'a self, i: usize, row: &'a Row) -> V<'a> {
        match row.values.get(i) {
            Some(Some(Cell::Bool(b))) => V::Bool(*b),
            Some(Some(Cell::Number(n))) => V::Num(*n),
            Some(Some(Cell::Text(t))) => V::Text(t),
            Some(Some(Cell::Category(c))) => V::Cat(*c),
            _ => V::Blank(Blank::Missing(i)),
        }
    }

    pub fn param(&self, i: usize) -> V<'_> {
        match self.program.params.get(i).map(|p| &p.constant) {
            Some(Constant::Num(n)) => V::Num(*n),
            Some(Constant::Bool(b)) => V::Bool(*b),
            Some(Constant::Cat(c)) => V::Cat(*c),
            Some(Constant::Text(t)) => V::Text(t),
            None => V::Blank(Blank::Unknown),
        }
    }

    /// One expression's value for this row. Long only because it is one
    /// `match` arm per kind of expression, each a few lines.
    pub fn eval<'a>(&'a self, e: &'a CExpr, st: &State<'a>) -> V<'a> {
        match e {
            CExpr::Num(n) => V::Num(*n),
            CExpr::Bool(b) => V::Bool(*b),
            CExpr::Text(t) => V::Text(t),
            CExpr::Cat(c) => V::Cat(*c),
            CExpr::Field(i) => self.field(*i, st.row),
            CExpr::Param(i) => self.param(*i),
            CExpr::Value(i) => st.values[*i],
            CExpr::Criterion(i) => {
                let r = st.criteria[*i];
                match r.outcome {
                    Tri::Yes => V::Bool(true),
                    Tri::No => V::Bool(false),
                    Tri::Unknown => V::Blank(Blank::Undecided(*i)),
                }
            }
            CExpr::Not(a) => match self.eval(a, st) {
                V::Bool(b) => V::Bool(!b),
                other => other,
            },
            CExpr::And(items) => {
                let mut blank = None;
                for i in items {
                    match self.eval(i, st) {
                        V::Bool(false) => return V::Bool(false),
                        V::Bool(true) => {}
                        other => blank = blank.or(Some(blank_of(other))),
                    }
                }
                blank.map(V::Blank).unwrap_or(V::Bool(true))
            }
            CExpr::Or(items) => {
                let mut blank = None;
                for i in items {
                    match self.eval(i, st) {
                        V::Bool(true) => return V::Bool(true),
                        V::Bool(false) => {}
                        other => blank = blank.or(Some(blank_of(other))),
                    }
                }
                blank.map(V::Blank).unwrap_or(V::Bool(false))
            }
            CExpr::Neg(a) => match self.eval(a, st) {
                V::Num(n) => V::Num(-n),
                other => other,
            },
            CExpr::Cmp(op, a, b) => {
                if let Some(v) = self.group_range_cmp(*op, a, b, st) {
                    return v;
                }
                let (x, y) = (self.eval(a, st), self.eval(b, st));
                compare(*op, x, y)
            }
            CExpr::Arith(op, a, b, span) => match (self.eval(a, st), self.eval(b, st)) {
                (V::Num(x), V::Num(y)) => match op {
                    ArithOp::Add => V::Num(x + y),
                    ArithOp::Sub => V::Num(x - y),
                    ArithOp::Mul => V::Num(x * y),
                    ArithOp::Div if y == 0.0 => V::Blank(Blank::DivZero(*span, field_of(b))),
                    ArithOp::Div => V::Num(x / y),
                },
                (V::Blank(b), _) | (_, V::Blank(b)) => V::Blank(b),
                _ => V::Blank(Blank::Unknown),
            },
            CExpr::HasData(a) => V::Bool(!self.eval(a, st).is_blank()),
            CExpr::IsBlank(a) => V::Bool(self.eval(a, st).is_blank()),
            CExpr::InCats {
                expr,
                cats,
                negated,
            } => match self.eval(expr, st) {
                V::Cat(c) => V::Bool(cats.contains(&c) != *negated),
                other => V::Blank(blank_of(other)),
            },
            CExpr::HasWord {
                expr,
                words,
                negated,
            } => match self.eval(expr, st) {
                V::Text(t) => V::Bool(
                    t.split_whitespace()
                        .any(|w| words.iter().any(|x| x.eq_ignore_ascii_case(w)))
                        != *negated,
                ),
                other => V::Blank(blank_of(other)),
            },
            CExpr::Quant { kind, items } => self.quantifier(kind, items, st),
            CExpr::If(c, a, b) => match self.eval(c, st) {
                V::Bool(true) => self.eval(a, st),
                V::Bool(false) => self.eval(b, st),
                other => {
                    let (x, y) = (self.eval(a, st), self.eval(b, st));
                    if x == y {
                        x
                    } else {
                        V::Blank(blank_of(other))
                    }
                }
            },
            CExpr::Call(f, args, span) => self.call(*f, args, *span, st),
            CExpr::Group(f, g) => self.group(*f, *g, st),
        }
    }

    /// Counts met / unmet / undecided items; criteria that do not apply are
    /// left out of the count and of the total.
    fn tally<'a>(
        &'a self,
        items: &'a [CExpr],
        st: &State<'a>,
    ) -> (usize, usize, usize, Option<Blank>) {
        let (mut yes, mut no, mut unknown, mut blank) = (0, 0, 0, None);
        for i in items {
            if let CExpr::Criterion(c) = i {
                if !st.criteria[*c].applies {
                    continue;
                }
            }
            match self.eval(i, st) {
                V::Bool(true) => yes += 1,
                V::Bool(false) => no += 1,
                other => {
                    unknown += 1;
                    blank = blank.or(Some(blank_of(other)));
                }
            }
        }
        (yes, no, unknown, blank)
    }

    fn quantifier<'a>(&'a self, kind: &'a QuantKind, items: &'a [CExpr], st: &State<'a>) -> V<'a> {
        let (yes, no, unknown, blank) = self.tally(items, st);
        let total = yes + no + unknown;
        let needed: f64 = match kind {
            QuantKind::All => total as f64,
            QuantKind::None => {
                return if yes > 0 {
                    V::Bool(false)
                } else if unknown > 0 {
                    V::Blank(blank.unwrap_or(Blank::Unknown))
                } else {
                    V::Bool(true)
                };
            }
            QuantKind::AtLeastShare(share) => (share / 100.0 * total as f64 - 1e-9).ceil(),
            QuantKind::AtLeast(n) => match self.eval(n, st) {
                V::Num(n) => n,
                other => return V::Blank(blank_of(other)),
            },
            QuantKind::Tolerate(n) => match self.eval(n, st) {
                V::Num(n) => total as f64 - n,
                other => return V::Blank(blank_of(other)),
            },
        };
        if yes as f64 >= needed {
            V::Bool(true)
        } else if ((yes + unknown) as f64) < needed {
            V::Bool(false)
        } else {
            V::Blank(blank.unwrap_or(Blank::Unknown))
        }
    }

    fn group<'a>(&'a self, f: GroupFunc, g: usize, st: &State<'a>) -> V<'a> {
        let t = self.tally_group(g, st);
        if let Some(m) = t.first_unknown {
            return V::Blank(Blank::Undecided(m));
        }
        match f {
            GroupFunc::Count => V::Num(t.yes as f64),
            GroupFunc::Score => V::Num(t.score),
            GroupFunc::Share if t.applicable == 0 => V::Blank(Blank::EmptyGroup(g)),
            GroupFunc::Share => V::Num(t.yes as f64 / t.applicable as f64 * 100.0),
        }
    }

    /// The members of group `g` that apply, by outcome (with their points).
    fn tally_group(&self, g: usize, st: &State) -> GroupTally {
        let p = self.program;
        let mut t = GroupTally::default();
        for &m in &p.groups[g].members {
            let r = st.criteria[m];
            if !r.applies {
                continue;
            }
            t.applicable += 1;
            match r.outcome {
                Tri::Yes => {
                    t.yes += 1;
                    t.score += p.criteria[m].points;
                }
                Tri::Unknown => {
                    t.unknown += 1;
                    t.score_unknown += p.criteria[m].points;
                    t.first_unknown = t.first_unknown.or(Some(m));
                }
                Tri::No => {}
            }
        }
        t
    }

    /// `cumplidos(g) >= 2` with 2 met and 1 undecided is already "sí": with
    /// undecided members a group function has a range of possible values,
    /// and the comparison is decided when it gives the same answer over the
    /// whole range.
    fn group_range_cmp<'a>(
        &'a self,
        op: CmpOp,
        a: &'a CExpr,
        b: &'a CExpr,
        st: &State<'a>,
    ) -> Option<V<'a>> {
        let (group, other, flipped) = match (a, b) {
            (CExpr::Group(f, g), other) => ((*f, *g), other, false),
            (other, CExpr::Group(f, g)) => ((*f, *g), other, true),
            _ => return None,
        };
        let V::Num(x) = self.eval(other, st) else {
            return None;
        };
        let (lo, hi) = self.group_range(group.0, group.1, st)?;
        let holds = |v: f64| match compare(
            op,
            if flipped { V::Num(x) } else { V::Num(v) },
            if flipped { V::Num(v) } else { V::Num(x) },
        ) {
            V::Bool(b) => b,
            _ => false,
        };
        let (at_lo, at_hi) = (holds(lo), holds(hi));
        // Counts move in whole steps; checking both ends is enough for the
        // ordering comparisons, and `=`/`!=` only decide on a single point.
        let decided = match op {
            CmpOp::Eq | CmpOp::Ne => lo == hi,
            _ => at_lo == at_hi,
        };
        Some(if decided {
            V::Bool(at_lo)
        } else {
            V::Blank(
                self.tally_group(group.1, st)
                    .first_unknown
                    .map(Blank::Undecided)
                    .unwrap_or(Blank::Unknown),
            )
        })
    }

    /// Smallest and largest value a group function can take given the
    /// undecided members; None when it is already decided (no range needed).
    fn group_range(&self, f: GroupFunc, g: usize, st: &State) -> Option<(f64, f64)> {
        let t = self.tally_group(g, st);
        if t.unknown == 0 || t.applicable == 0 {
            return None;
        }
        let applicable = t.applicable as f64;
        Some(match f {
            GroupFunc::Count => (t.yes as f64, (t.yes + t.unknown) as f64),
            GroupFunc::Score => (t.score, t.score + t.score_unknown),
            GroupFunc::Share => (
                t.yes as f64 / applicable * 100.0,
                (t.yes + t.unknown) as f64 / applicable * 100.0,
            ),
        })
    }

    fn call<'a>(
        &'a self,
        f: Func,
        args: &'a [CExpr],
        span: crate::source::Span,
        st: &State<'a>,
    ) -> V<'a> {
        // Folded as the arguments are read: a list per call was two
        // allocations a row on the bench (its `porcentaje` calls).
        let (mut sum, mut max, mut min) = (-0.0, f64::NEG_INFINITY, f64::INFINITY);
        let mut firsts = [0.0; 2];
        for (k, a) in args.iter().enumerate() {
            let n = match self.eval(a, st) {
                V::Num(n) => n,
                other => return V::Blank(blank_of(other)),
            };
            if let Some(slot) = firsts.get_mut(k) {
                *slot = n;
            }
            sum += n;
            max = f64::max(max, n);
            min = f64::min(min, n);
        }
        match f {
            Func::Percent => {
                if args.len() != 2 || firsts[1] == 0.0 {
                    V::Blank(Blank::DivZero(span, args.get(1).and_then(field_of)))
                } else {
                    V::Num(firsts[0] / firsts[1] * 100.0)
                }
            }
            Func::Sum => V::Num(sum),
            Func::Average => V::Num(sum / args.len().max(1) as f64),
            Func::Max => V::Num(max),
            Func::Min => V::Num(min),
        }
    }
}

/// How the members of a group came out, for the group functions.
#[derive(Default)]
struct GroupTally {
    yes: usize,
    unknown: usize,
    applicable: usize,
    score: f64,
    score_unknown: f64,
    first_unknown: Option<usize>,
}

pub fn blank_of(v: V) -> Blank {
    match v {
        V::Blank(b) => b,
        _ => Blank::Unknown,
    }
}

fn compare<'a>(op: CmpOp, x: V<'a>, y: V<'a>) -> V<'a> {
    let ord = match (x, y) {
        (V::Blank(b), _) | (_, V::Blank(b)) => return V::Blank(b),
        (V::Num(a), V::Num(b)) => num_cmp(a, b),
        (V::Bool(a), V::Bool(b)) => a.cmp(&b),
        (V::Cat(a), V::Cat(b)) => a.cmp(&b),
        (V::Text(a), V::Text(b)) => a.cmp(b),
        _ => return V::Blank(Blank::Unknown),
    };
    V::Bool(match op {
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
        CmpOp::Ge => ord != Ordering::Less,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Lt => ord == Ordering::Less,
    })
}

/// The field an expression simply reads (what to name when it is 0).
fn field_of(e: &CExpr) -> Option<usize> {
    match e {
        CExpr::Field(i) => Some(*i),
        _ => None,
    }
}
