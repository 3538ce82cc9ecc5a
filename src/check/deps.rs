//! Dependencies between values and criteria, read from the syntax before
//! compiling: they give the evaluation order and reveal cycles.

use std::collections::HashMap;

use super::symbols::{Sym, Symbols};
use crate::ast::{Expr, ExprKind, QuantOver};
use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};
use crate::program::Ref;
use crate::source::Span;

/// Values and criteria read by an expression (groups expand to their members).
pub fn refs_in(e: &Expr, syms: &Symbols, members: &[Vec<usize>], out: &mut Vec<(Ref, Span)>) {
    let push_group = |name: &str, span: Span, out: &mut Vec<(Ref, Span)>| {
        if let Some(Sym::Group(g)) = syms.get(name) {
            for &m in &members[g] {
                out.push((Ref::Criterion(m), span));
            }
        }
    };
    match &e.kind {
        ExprKind::Name(n) => match syms.get(&n.text) {
            Some(Sym::Value(i)) => out.push((Ref::Value(i), n.span)),
            Some(Sym::Criterion(i)) => out.push((Ref::Criterion(i), n.span)),
            _ => {}
        },
        ExprKind::Not(a) | ExprKind::Neg(a) | ExprKind::HasData(a) | ExprKind::IsBlank(a) => {
            refs_in(a, syms, members, out)
        }
        ExprKind::In { expr, .. } => refs_in(expr, syms, members, out),
        ExprKind::And(v) | ExprKind::Or(v) => v.iter().for_each(|x| refs_in(x, syms, members, out)),
        ExprKind::Cmp(_, a, b) | ExprKind::Arith(_, a, b) => {
            refs_in(a, syms, members, out);
            refs_in(b, syms, members, out);
        }
        ExprKind::If(a, b, c) => {
            refs_in(a, syms, members, out);
            refs_in(b, syms, members, out);
            refs_in(c, syms, members, out);
        }
        ExprKind::Quant { quantity, over } => {
            if let crate::ast::Quantity::AtLeast(n) | crate::ast::Quantity::Tolerate(n) = quantity {
                refs_in(n, syms, members, out);
            }
            match over {
                QuantOver::List(v) => v.iter().for_each(|x| refs_in(x, syms, members, out)),
                QuantOver::Group(g) => push_group(&g.text, g.span, out),
            }
        }
        ExprKind::Call(_, args) => {
            for a in args {
                if let ExprKind::Name(n) = &a.kind {
                    push_group(&n.text, n.span, out);
                }
                refs_in(a, syms, members, out);
            }
        }
        ExprKind::Number(_) | ExprKind::Percent(_) | ExprKind::Text(_) | ExprKind::Bool(_) => {}
    }
}

/// Orders the nodes so each comes after what it reads. A cycle is reported
/// once, with its whole path, and its nodes are left out of the order.
pub fn order(
    nodes: &[Ref],
    edges: &HashMap<Ref, Vec<(Ref, Span)>>,
    names: &dyn Fn(Ref) -> (String, Span),
    problems: &mut Problems,
) -> Vec<Ref> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let mut mark: HashMap<Ref, Mark> = nodes.iter().map(|n| (*n, Mark::New)).collect();
    let mut out = Vec::new();
    // Iterative DFS: the stack holds (node, next edge index).
    for &start in nodes {
        if mark.get(&start) != Some(&Mark::New) {
            continue;
        }
        let mut stack: Vec<(Ref, usize)> = vec![(start, 0)];
        mark.insert(start, Mark::Active);
        while let Some((node, i)) = stack.last().copied() {
            let next = edges.get(&node).and_then(|e| e.get(i)).copied();
            match next {
                Some((dep, span)) => {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                    match mark.get(&dep).copied() {
                        Some(Mark::New) => {
                            mark.insert(dep, Mark::Active);
                            stack.push((dep, 0));
                        }
                        Some(Mark::Active) => {
                            let pos = stack.iter().position(|(n, _)| *n == dep).unwrap_or(0);
                            let path: Vec<Ref> = stack[pos..].iter().map(|(n, _)| *n).collect();
                            report_cycle(&path, dep, span, names, problems);
                        }
                        _ => {}
                    }
                }
                None => {
                    stack.pop();
                    mark.insert(node, Mark::Done);
                    out.push(node);
                }
            }
        }
    }
    out
}

fn report_cycle(
    path: &[Ref],
    back_to: Ref,
    span: Span,
    names: &dyn Fn(Ref) -> (String, Span),
    problems: &mut Problems,
) {
    let mut words: Vec<String> = path.iter().map(|r| format!("`{}`", names(*r).0)).collect();
    words.push(format!("`{}`", names(back_to).0));
    let (first_name, first_span) = names(back_to);
    problems.push(
        Problem::error(
            Code::Cycle,
            format!("`{first_name}` depende de sí mismo: {}", words.join(" → ")),
        )
        .label(span, "aquí se cierra el ciclo")
        .label(first_span, "declarado aquí")
        .help("Un valor o criterio no puede usarse, directa o indirectamente, en su propia definición."),
    );
}
