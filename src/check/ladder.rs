//! Pass: the level ladder. Levels are tried from the top; the last one is
//! `en otro caso`, so no organization is left without a level.

use std::collections::BTreeSet;

use super::compile::{Compiler, Mode};
use super::{close_over, source_text, Checker};
use crate::ast::LevelDecl;
use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};
use crate::program::{CExpr, Level, Ref};
use crate::source::Span;

impl Checker<'_> {
    pub(super) fn levels(&mut self, problems: &mut Problems) {
        if self.decls.levels.is_empty() {
            let file = self.file;
            problems.push(
                Problem::error(Code::NoLevels, "el archivo no declara ningún nivel")
                    .label(file.header.as_ref().map(|h| h.span).unwrap_or(Span::new(file.id, 0, 0)), "aquí empieza el archivo")
                    .help("Declare los niveles de mayor a menor, por ejemplo `nivel consolidada \"…\" condición …`, y termine con uno `en otro caso`."),
            );
        }
        for li in 0..self.decls.levels.len() {
            let l = self.decls.levels[li];
            let last = li + 1 == self.decls.levels.len();
            ladder_shape(l, last, problems);
            let level = self.level(l, problems);
            self.levels.push(level);
        }
        self.nest_required_levels(problems);
    }

    /// `requiere nivel x`: `x` must be a conditional level below this one.
    /// From the bottom up, each level's condition becomes "the required
    /// level's (already nested) condition, and its own", and it inherits
    /// what that level reads, so the explanation lists it all.
    fn nest_required_levels(&mut self, problems: &mut Problems) {
        let decls = self.decls.levels.clone();
        for li in (0..decls.len()).rev() {
            let Some(req) = &decls[li].requires else {
                continue;
            };
            let Some(ri) = decls.iter().position(|l| l.name.text == req.text) else {
                let names = decls.iter().map(|l| l.name.text.as_str());
                let mut p = Problem::error(
                    Code::UnknownName,
                    format!(
                        "`requiere nivel {}`: no hay un nivel con ese nombre",
                        req.text
                    ),
                )
                .label(req.span, "nivel desconocido")
                .about(&req.text);
                if let Some(s) = crate::text::did_you_mean(&req.text, names) {
                    p = p.help(format!("¿Quiso decir `{s}`?"));
                }
                problems.push(p);
                continue;
            };
            if ri <= li || decls[ri].is_otherwise {
                let why = if ri <= li {
                    "un nivel solo puede requerir un nivel que está después (más bajo)"
                } else {
                    "el nivel `en otro caso` no tiene condición que requerir"
                };
                problems.push(
                    Problem::error(Code::WrongKind, format!("`requiere nivel {}` no es válido: {why}", req.text))
                        .label(req.span, "aquí")
                        .help("Escriba los niveles de mayor a menor y haga que cada uno requiera el que le sigue, por ejemplo `requiere nivel en_proceso`."),
                );
                continue;
            }
            let below = self.levels[ri].clone();
            let l = &mut self.levels[li];
            l.requires = Some(ri);
            l.condition = match (below.condition, l.condition.take()) {
                (Some(b), Some(own)) => Some(CExpr::And(vec![b, own])),
                (b, own) => b.or(own),
            };
            l.condition_text = if l.condition_text.is_empty() {
                format!("nivel {}", below.name)
            } else {
                format!("nivel {} y {}", below.name, l.condition_text)
            };
            for c in below.criteria {
                if !l.criteria.contains(&c) {
                    l.criteria.push(c);
                }
            }
            l.criteria.sort_unstable();
            for f in below.fields {
                if !l.fields.contains(&f) {
                    l.fields.push(f);
                }
            }
            l.fields.sort_unstable();
            for t in below.tolerated {
                if !l.tolerated.contains(&t) {
                    l.tolerated.push(t);
                }
            }
        }
    }

    /// Compiles one level's condition and gathers the criteria and fields
    /// it depends on (for explanations and for "faltan datos").
    fn level(&mut self, l: &LevelDecl, problems: &mut Problems) -> Level {
        let env = self.env();
        let mut c = Compiler::new(&env, problems, Mode::Data);
        let condition = l
            .condition
            .as_ref()
            .and_then(|e| c.condition(e, "la condición de un nivel"));
        let reads = c.reads.clone();
        let tolerated = c.tolerated.clone();
        self.level_reads.extend(reads.iter().copied());
        let all = close_over(&reads, &self.transitive);
        let mut criteria: Vec<usize> = all
            .iter()
            .filter_map(|r| match r {
                Ref::Criterion(i) => Some(*i),
                _ => None,
            })
            .collect();
        criteria.sort_unstable();
        criteria.dedup();
        let mut fields: BTreeSet<usize> = all
            .iter()
            .filter_map(|r| match r {
                Ref::Field(i) => Some(*i),
                _ => None,
            })
            .collect();
        for &ci in &criteria {
            if let Some(Some(cr)) = self.criteria.get(ci) {
                fields.extend(cr.reads.iter().filter_map(|r| match r {
                    Ref::Field(f) => Some(*f),
                    _ => None,
                }));
            }
        }
        Level {
            name: l.name.text.clone(),
            title: l.title.text.clone(),
            section: l.section.as_ref().map(|s| s.text.clone()),
            condition,
            condition_text: source_text(&self.sources, l.condition.as_ref().map(|e| e.span)),
            criteria,
            fields: fields.into_iter().collect(),
            reads: reads
                .into_iter()
                .filter(|r| !matches!(r, Ref::Criterion(_)))
                .collect(),
            requires: None,
            tolerated,
            span: l.span,
        }
    }
}

/// `en otro caso` only on the last level, and only there; every other
/// level has a condition.
fn ladder_shape(l: &LevelDecl, last: bool, problems: &mut Problems) {
    if l.is_otherwise && !last {
        problems.push(
            Problem::error(Code::CatchAllNotLast, format!("el nivel `{}` es `en otro caso` pero no es el último", l.name.text))
                .label(l.otherwise.unwrap_or(l.name.span), "en otro caso")
                .help("Los niveles se prueban en orden; el nivel `en otro caso` va al final, porque los que lo siguen nunca se alcanzarían."),
        );
    }
    if l.is_otherwise && l.condition.is_some() {
        problems.push(
            Problem::error(Code::RepeatedClause, format!("el nivel `{}` tiene condición y también `en otro caso`", l.name.text))
                .label(l.name.span, "aquí")
                .help("Un nivel `en otro caso` no lleva condición: se asigna cuando ningún nivel anterior se cumple."),
        );
    }
    if !l.is_otherwise && l.condition.is_none() {
        problems.push(
            Problem::error(
                Code::MissingCondition,
                format!("el nivel `{}` no tiene condición", l.name.text),
            )
            .label(l.name.span, "sin `condición`")
            .help("Añada `condición …`, o `en otro caso` si es el último nivel."),
        );
    }
    if last && !l.is_otherwise {
        problems.push(
            Problem::error(Code::NoCatchAll, "el último nivel no es `en otro caso`")
                .label(l.name.span, "último nivel")
                .help(format!(
                    "Sin un nivel final `en otro caso`, una organización que no cumple ningún nivel quedaría sin clasificar. Añada por ejemplo:\n\nnivel sin_clasificar \"Sin clasificar\"\n  en otro caso\n\n(o escriba `en otro caso` en lugar de la condición de `{}`).",
                    l.name.text
                )),
        );
    }
}
