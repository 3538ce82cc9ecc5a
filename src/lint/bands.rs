//! Threshold bands: conditions that cut one value into ranges (`x < 40%`,
//! `x >= 41% y x < 80%`, `x >= 80%`). Within the levels, and within each
//! group's criteria, ranges on the same value must not leave gaps (40.5 %
//! would fall in no band) nor overlap.

use crate::ast::CmpOp;
use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};
use crate::program::{CExpr, Program, Ty};
use crate::source::Span;
use crate::text::number;

#[derive(Debug, Clone, Copy)]
struct Band {
    lo: f64,
    lo_incl: bool,
    hi: f64,
    hi_incl: bool,
    span: Span,
}

/// The value a comparison is about: a field or a derived value.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Var {
    Field(usize),
    Value(usize),
}

pub fn check(p: &Program, out: &mut Problems) {
    // Scope 1: the level ladder.
    let levels: Vec<(&CExpr, Span)> = p
        .levels
        .iter()
        .filter_map(|l| l.condition.as_ref().map(|c| (c, l.span)))
        .collect();
    check_scope(p, &levels, "los niveles", out);
    // Scope 2: the criteria outside any group, together.
    let loose: Vec<(&CExpr, Span)> = p
        .criteria
        .iter()
        .filter(|c| c.group.is_none())
        .map(|c| (&c.condition, c.span))
        .collect();
    check_scope(p, &loose, "los criterios sin grupo", out);
    // Scope 3: each group's criteria.
    for g in &p.groups {
        let conds: Vec<(&CExpr, Span)> = g
            .members
            .iter()
            .map(|&m| (&p.criteria[m].condition, p.criteria[m].span))
            .collect();
        check_scope(p, &conds, &format!("el grupo `{}`", g.name), out);
    }
}

fn check_scope(p: &Program, conds: &[(&CExpr, Span)], scope: &str, out: &mut Problems) {
    let mut by_var: Vec<(Var, Vec<Band>)> = Vec::new();
    for (c, span) in conds {
        if let Some((var, band)) = band_of(c, *span) {
            match by_var.iter_mut().find(|(v, _)| *v == var) {
                Some((_, list)) => list.push(band),
                None => by_var.push((var, vec![band])),
            }
        }
    }
    for (var, mut bands) in by_var {
        // Only a set with at least one closed band describes "tramos".
        if bands.len() < 2 || !bands.iter().any(|b| b.lo.is_finite() && b.hi.is_finite()) {
            continue;
        }
        bands.sort_by(|a, b| a.lo.total_cmp(&b.lo));
        let integer = var_ty(p, var) == Ty::Integer;
        let name = var_name(p, var);
        for w in bands.windows(2) {
            let (a, b) = (w[0], w[1]);
            let gap = if integer {
                // Whole numbers strictly between the two bands.
                let first_out = if a.hi_incl { a.hi + 1.0 } else { a.hi };
                let last_out = if b.lo_incl { b.lo - 1.0 } else { b.lo };
                first_out.floor() <= last_out.ceil()
                    && first_out <= last_out
                    && (a.hi < b.lo || (!a.hi_incl && !b.lo_incl))
            } else {
                a.hi < b.lo || (a.hi == b.lo && !a.hi_incl && !b.lo_incl)
            };
            let overlap = a.hi > b.lo || (a.hi == b.lo && a.hi_incl && b.lo_incl);
            if gap {
                let example = if a.hi == b.lo {
                    a.hi
                } else {
                    (a.hi + b.lo) / 2.0
                };
                out.push(
                    Problem::warning(
                        Code::Bands,
                        format!(
                            "en {scope}, los tramos de `{name}` dejan un hueco entre {} y {}: un valor como {} no cae en ninguno",
                            number(a.hi),
                            number(b.lo),
                            number(example)
                        ),
                    )
                    .label(a.span, "un tramo termina aquí")
                    .label(b.span, "el siguiente empieza aquí")
                    .help("Haga que cada tramo empiece donde termina el anterior, por ejemplo `< 40%` y `>= 40%`."),
                );
            } else if overlap {
                out.push(
                    Problem::warning(
                        Code::Bands,
                        format!(
                            "en {scope}, los tramos de `{name}` se superponen entre {} y {}",
                            number(b.lo),
                            number(a.hi)
                        ),
                    )
                    .label(a.span, "un tramo")
                    .label(b.span, "se superpone con este")
                    .help("Un valor en la zona común cumple los dos tramos; use `<` en uno y `>=` en el otro."),
                );
            }
        }
    }
}

fn var_ty(p: &Program, v: Var) -> Ty {
    match v {
        Var::Field(i) => p.fields[i].ty.clone(),
        Var::Value(i) => p.values[i].ty.clone(),
    }
}

fn var_name(p: &Program, v: Var) -> String {
    match v {
        Var::Field(i) => p.fields[i].name.clone(),
        Var::Value(i) => p.values[i].name.clone(),
    }
}

/// The range a condition imposes on one value, when the condition is one or
/// two comparisons of that value with constants.
fn band_of(c: &CExpr, span: Span) -> Option<(Var, Band)> {
    let parts: Vec<&CExpr> = match c {
        CExpr::And(items) if items.len() == 2 => items.iter().collect(),
        CExpr::Cmp(..) => vec![c],
        _ => return None,
    };
    let mut band = Band {
        lo: f64::NEG_INFINITY,
        lo_incl: false,
        hi: f64::INFINITY,
        hi_incl: false,
        span,
    };
    let mut var = None;
    for part in parts {
        let CExpr::Cmp(op, a, b) = part else {
            return None;
        };
        let (v, k, op) = match (a.as_ref(), b.as_ref()) {
            (CExpr::Field(i), CExpr::Num(k)) => (Var::Field(*i), *k, *op),
            (CExpr::Value(i), CExpr::Num(k)) => (Var::Value(*i), *k, *op),
            (CExpr::Num(k), CExpr::Field(i)) => (Var::Field(*i), *k, flip(*op)),
            (CExpr::Num(k), CExpr::Value(i)) => (Var::Value(*i), *k, flip(*op)),
            _ => return None,
        };
        if var.is_some_and(|x| x != v) {
            return None;
        }
        var = Some(v);
        match op {
            CmpOp::Ge => (band.lo, band.lo_incl) = (k, true),
            CmpOp::Gt => (band.lo, band.lo_incl) = (k, false),
            CmpOp::Le => (band.hi, band.hi_incl) = (k, true),
            CmpOp::Lt => (band.hi, band.hi_incl) = (k, false),
            _ => return None,
        }
    }
    Some((var?, band))
}

fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Ge => CmpOp::Le,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Lt => CmpOp::Gt,
        other => other,
    }
}
