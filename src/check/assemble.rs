//! The last step: what the passes learned, put together as a [`Program`].
//! Runs only when no pass found an error (or only a ladder without
//! `en otro caso`, whose program is used to show a counterexample).

use super::{close_over, Checker};
use crate::data::{FieldSpec, FieldType, Schema};
use crate::program::{Constant, Field, Group, Param, Program, Ref, Ty};

impl Checker<'_> {
    pub(super) fn into_program(mut self) -> Program {
        self.criterion_params();
        let header = self.file.header.as_ref();
        let field_dependents = self.field_dependents();
        Program {
            field_dependents,
            title: header.map(|h| h.title.text.clone()).unwrap_or_default(),
            version: header.and_then(|h| h.version.as_ref().map(|v| v.text.clone())),
            schema: self.schema(),
            fields: self.program_fields(),
            params: self.program_params(),
            groups: self.program_groups(),
            values: self.values.into_iter().flatten().collect(),
            criteria: self.criteria.into_iter().flatten().collect(),
            eval_order: self.eval_order,
            levels: self.levels,
            recommendations: self.recommendations,
            checks: self.checks,
            examples: self.examples,
            overrides: self.file.overrides.clone(),
            code_field: self.code_field.unwrap_or(0),
            name_field: self
                .decls
                .fields
                .iter()
                .position(|f| f.name.text == "nombre"),
            sources: self.sources,
        }
    }

    /// Each criterion's parameters, followed through values and criteria.
    fn criterion_params(&mut self) {
        for (i, c) in self.criteria.iter_mut().enumerate() {
            if let Some(c) = c {
                c.params = close_over(&[Ref::Criterion(i)], &self.transitive)
                    .into_iter()
                    .filter_map(|r| match r {
                        Ref::Param(p) => Some(p),
                        _ => None,
                    })
                    .collect();
            }
        }
    }

    /// What the data readers need to know of each field.
    fn schema(&self) -> Schema {
        let fields = self
            .decls
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| FieldSpec {
                name: f.name.text.clone(),
                ty: match &self.field_tys[i] {
                    Ty::Bool => FieldType::Bool,
                    Ty::Integer => FieldType::Integer,
                    Ty::Number => FieldType::Number,
                    Ty::Percent => FieldType::Percent,
                    Ty::Text => FieldType::Text,
                    Ty::Category(_) => FieldType::Category(self.field_cats[i].clone()),
                },
                aliases: f.aliases.iter().map(|a| a.text.clone()).collect(),
                question: f.question.as_ref().map(|q| q.text.clone()),
                at_most_field: self.field_at_most[i],
                category_labels: self.field_cat_labels[i].clone(),
            });
        Schema {
            fields: fields.collect(),
        }
    }

    /// For each field, the values and criteria that depend on it (directly
    /// or through others), in evaluation order: what to compute again when
    /// one answer changes.
    fn field_dependents(&self) -> Vec<Vec<Ref>> {
        let mut out = vec![Vec::new(); self.decls.fields.len()];
        for node in &self.eval_order {
            if !matches!(node, Ref::Value(_) | Ref::Criterion(_)) {
                continue;
            }
            for r in super::close_over(&[*node], &self.transitive) {
                if let Some(list) = match r {
                    Ref::Field(f) => out.get_mut(f),
                    _ => None,
                } {
                    if !list.contains(node) {
                        list.push(*node);
                    }
                }
            }
        }
        out
    }

    fn program_fields(&self) -> Vec<Field> {
        let fields = self.decls.fields.iter().enumerate().map(|(i, f)| Field {
            name: f.name.text.clone(),
            ty: self.field_tys[i].clone(),
            categories: self.field_cats[i].clone(),
            category_labels: self.field_cat_labels[i].clone(),
            question: f.question.as_ref().map(|q| q.text.clone()),
            section: f.section.as_ref().map(|q| q.text.clone()),
            span: f.span,
        });
        fields.collect()
    }

    fn program_params(&self) -> Vec<Param> {
        let params = self.decls.params.iter().enumerate().filter_map(|(i, p)| {
            let (ty, k) = self.params[i].clone()?;
            Some(Param {
                name: p.name.text.clone(),
                ty,
                value: match k {
                    Constant::Num(x) => x,
                    _ => 0.0,
                },
                constant: k,
                title: p.title.as_ref().map(|t| t.text.clone()),
                span: p.span,
            })
        });
        params.collect()
    }

    fn program_groups(&self) -> Vec<Group> {
        let groups = self.decls.groups.iter().enumerate().map(|(i, g)| Group {
            name: g.name.text.clone(),
            title: g.title.text.clone(),
            section: g.section.as_ref().map(|s| s.text.clone()),
            members: self.group_members[i].clone(),
            span: g.span,
        });
        groups.collect()
    }
}
