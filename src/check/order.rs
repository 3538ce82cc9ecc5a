//! Pass: the order in which values and criteria are computed, from what
//! each one reads; a cycle is an error.

use std::collections::HashMap;

use super::deps;
use super::Checker;
use crate::diagnostic::Problems;
use crate::program::Ref;
use crate::source::Span;

impl Checker<'_> {
    pub(super) fn dependency_order(&mut self, problems: &mut Problems) {
        let (syms, members) = (&self.syms, &self.group_members);
        let mut nodes = Vec::new();
        let mut edges: HashMap<Ref, Vec<(Ref, Span)>> = HashMap::new();
        for (i, v) in self.decls.values.iter().enumerate() {
            let mut out = Vec::new();
            deps::refs_in(&v.expr, syms, members, &mut out);
            nodes.push(Ref::Value(i));
            edges.insert(Ref::Value(i), out);
        }
        for (i, c) in self.decls.criteria.iter().enumerate() {
            let mut out = Vec::new();
            for e in c.condition.iter().chain(c.applies_if.iter()) {
                deps::refs_in(e, syms, members, &mut out);
            }
            nodes.push(Ref::Criterion(i));
            edges.insert(Ref::Criterion(i), out);
        }
        let decls = &self.decls;
        let name_of = |r: Ref| -> (String, Span) {
            match r {
                Ref::Value(i) => (decls.values[i].name.text.clone(), decls.values[i].name.span),
                Ref::Criterion(i) => (
                    decls.criteria[i].name.text.clone(),
                    decls.criteria[i].name.span,
                ),
                _ => (String::new(), Span::default()),
            }
        };
        let cycle_errors_before = problems.errors().count();
        self.eval_order = deps::order(&nodes, &edges, &name_of, problems);
        self.has_cycles = problems.errors().count() > cycle_errors_before;
    }
}
