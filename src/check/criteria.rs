//! Pass: values and criteria, compiled in dependency order, so a value's
//! type is known before anything that reads it.

use super::compile::{Compiler, Mode};
use super::templates;
use super::{source_text, Checker};
use crate::ast::BlankPolicy;
use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};
use crate::program::{Criterion, Ref, Value};

impl Checker<'_> {
    pub(super) fn values_and_criteria(&mut self, problems: &mut Problems) {
        self.values = vec![None; self.decls.values.len()];
        self.criteria = vec![None; self.decls.criteria.len()];
        for node in self.eval_order.clone() {
            match node {
                Ref::Value(i) => self.value(i, problems),
                Ref::Criterion(i) => self.criterion(i, problems),
                _ => {}
            }
        }
    }

    fn value(&mut self, i: usize, problems: &mut Problems) {
        let v = self.decls.values[i];
        let env = self.env();
        let mut c = Compiler::new(&env, problems, Mode::Data);
        let compiled = c.expr(&v.expr);
        let reads = c.reads.clone();
        if let Some((expr, ty)) = compiled {
            self.value_tys[i] = Some(ty.clone());
            self.values[i] = Some(Value {
                name: v.name.text.clone(),
                ty,
                expr,
                expr_text: source_text(&self.sources, Some(v.expr.span)),
                title: v.title.as_ref().map(|s| s.text.clone()),
                section: v.section.as_ref().map(|s| s.text.clone()),
                span: v.span,
            });
        }
        self.transitive.insert(Ref::Value(i), reads);
    }

    fn criterion(&mut self, i: usize, problems: &mut Problems) {
        let cd = self.decls.criteria[i];
        let env = self.env();
        let mut c = Compiler::new(&env, problems, Mode::Data);
        let condition = match &cd.condition {
            Some(e) => c.condition(e, "la condición de un criterio"),
            None => None,
        };
        // `aplica si` that failed to compile is dropped with its error.
        let applies_if = cd
            .applies_if
            .as_ref()
            .and_then(|e| c.condition(e, "`aplica si`"));
        let mut reads = c.reads.clone();
        if cd.condition.is_none() {
            problems.push(
                Problem::error(
                    Code::MissingCondition,
                    format!("el criterio `{}` no tiene condición", cd.name.text),
                )
                .label(cd.name.span, "sin `condición`")
                .help(
                    "Añada una línea `condición …`, por ejemplo `condición personeria_juridica`.",
                ),
            );
        }
        let deps_reads = reads.clone();
        let syms = &self.syms;
        let mut sentence = |s: &Option<crate::ast::Str>| {
            s.as_ref()
                .map(|s| templates::compile(s, syms, problems, &mut reads))
        };
        let when_met = sentence(&cd.when_met);
        let when_failed = sentence(&cd.when_failed);
        if let Some(condition) = condition {
            self.criteria[i] = Some(Criterion {
                name: cd.name.text.clone(),
                title: cd.title.text.clone(),
                group: self.criterion_group[i],
                section: cd.section.as_ref().map(|s| s.text.clone()),
                condition,
                condition_text: source_text(&self.sources, cd.condition.as_ref().map(|e| e.span)),
                applies_if,
                when_met,
                when_failed,
                blank_policy: cd
                    .blank_policy
                    .map(|(p, _)| p)
                    .unwrap_or(BlankPolicy::Undecided),
                points: cd.points.map(|(p, _)| p).unwrap_or(1.0),
                reads: reads
                    .into_iter()
                    .filter(|r| !matches!(r, Ref::Criterion(_)))
                    .collect(),
                // Filled in by `into_program`, when every read is known.
                params: Vec::new(),
                span: cd.span,
            });
        }
        self.transitive.insert(Ref::Criterion(i), deps_reads);
    }
}
