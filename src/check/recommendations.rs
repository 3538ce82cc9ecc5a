//! Pass: recommendations, each for a level or for a criterion not met.

use super::compile::{Compiler, Mode};
use super::symbols::Sym;
use super::Checker;
use crate::ast::{self, Name, RecommendationDecl};
use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};
use crate::program::{RecTarget, Recommendation};

impl Checker<'_> {
    pub(super) fn recommendations(&mut self, problems: &mut Problems) {
        for r in self.decls.recommendations.clone() {
            let Some((target, name)) = self.target(r, problems) else {
                continue;
            };
            // By title: people read it beside the recommendation.
            let reason = match target {
                RecTarget::Level(i) => match self.decls.levels.get(i) {
                    Some(l) => format!("nivel «{}»", l.title.text),
                    None => format!("nivel {}", name.text),
                },
                RecTarget::Criterion(i) => match self.decls.criteria.get(i) {
                    Some(c) => format!("no cumple «{}»", c.title.text),
                    None => format!("criterio {} no se cumple", name.text),
                },
            };
            let condition = r.condition.as_ref().and_then(|e| {
                let env = self.env();
                let mut c = Compiler::new(&env, problems, Mode::Data);
                let out = c.condition(e, "la condición de una recomendación");
                let reads = c.reads.clone();
                self.level_reads.extend(reads);
                out
            });
            let reason = match (&condition, &r.condition) {
                (Some(_), Some(e)) => format!(
                    "{reason}, si {}",
                    self.criteria_by_title(&super::source_text(&self.sources, Some(e.span)))
                ),
                _ => reason,
            };
            self.recommendations.push(Recommendation {
                name: r.name.text.clone(),
                target,
                reason,
                condition,
                section: r.section.as_ref().map(|s| s.text.clone()),
                text: r.text.text.clone(),
                span: r.span,
            });
        }
    }

    /// A condition's text as a person reads it: each criterion by its
    /// title (`no productos_diferenciados` → `no cumple «Productos
    /// diferenciados»`); fields and values stay as written.
    fn criteria_by_title(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find(|c: char| c.is_alphanumeric() || c == '_') {
            out.push_str(&rest[..start]);
            rest = &rest[start..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let word = &rest[..end];
            match self.decls.criteria.iter().find(|c| c.name.text == word) {
                Some(c) => out.push_str(&format!("cumple «{}»", c.title.text)),
                None => out.push_str(word),
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }

    /// The level or criterion a recommendation is for; an error when the
    /// name is not one of that kind.
    fn target<'r>(
        &self,
        r: &'r RecommendationDecl,
        problems: &mut Problems,
    ) -> Option<(RecTarget, &'r Name)> {
        let (name, want_level) = match &r.target {
            ast::Target::Level(n) => (n, true),
            ast::Target::Criterion(n) => (n, false),
        };
        match (self.syms.get(&name.text), want_level) {
            (Some(Sym::Level(i)), true) => return Some((RecTarget::Level(i), name)),
            (Some(Sym::Criterion(i)), false) => return Some((RecTarget::Criterion(i), name)),
            _ => {}
        }
        problems.push(self.bad_target(name, want_level));
        None
    }

    fn bad_target(&self, name: &Name, want_level: bool) -> Problem {
        let kind = if want_level { "nivel" } else { "criterio" };
        let candidates: Vec<&str> = if want_level {
            self.decls
                .levels
                .iter()
                .map(|l| l.name.text.as_str())
                .collect()
        } else {
            self.decls
                .criteria
                .iter()
                .map(|c| c.name.text.as_str())
                .collect()
        };
        let msg = match self.syms.get(&name.text) {
            Some(s) => format!(
                "la recomendación es para el {kind} `{}`, pero `{}` es {}",
                name.text,
                name.text,
                s.described()
            ),
            None => format!(
                "la recomendación es para el {kind} `{}`, que no existe",
                name.text
            ),
        };
        let p =
            Problem::error(Code::BadTarget, msg).label(name.span, format!("{kind} desconocido"));
        match crate::text::did_you_mean(&name.text, candidates.iter().copied()) {
            Some(s) => p.help(format!("¿Quiso decir `{s}`?")),
            None => p.help(format!(
                "Los {} declarados son: {}.",
                if want_level { "niveles" } else { "criterios" },
                candidates.join(", ")
            )),
        }
    }
}
