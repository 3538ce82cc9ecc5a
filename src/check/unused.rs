//! Warnings for declarations nothing uses. A comment line
//! `# permitir: <código>` right above a declaration silences that warning for
//! it, so a deliberate exception is written down where it is made.

use std::collections::BTreeSet;

use super::{close_over, Checker};
use crate::ast::{self, Decl};
use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};
use crate::program::Ref;
use crate::source::{SourceMap, Span};

/// True when the lines just above the declaration allow this code.
pub fn allowed(sources: &SourceMap, decl: &Decl, code: Code) -> bool {
    allowed_above(sources, decl.span(), code)
}

/// True when the comment lines just above the line where `span` starts say
/// `# permitir: <código>` for this code.
pub fn allowed_above(sources: &SourceMap, span: Span, code: Code) -> bool {
    let text = &sources.get(span.file).text;
    let before = text.get(..span.start as usize).unwrap_or("");
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let short = code.as_str().trim_start_matches("reglas::");
    for line in text[..line_start]
        .lines()
        .rev()
        .skip_while(|l| l.trim().is_empty())
    {
        let l = line.trim();
        if !l.starts_with('#') {
            break;
        }
        if let Some(rest) = l.trim_start_matches('#').trim().strip_prefix("permitir:") {
            if rest
                .split(',')
                .any(|c| c.trim() == short || c.trim() == code.as_str())
            {
                return true;
            }
        }
    }
    false
}

pub fn warn(sources: &SourceMap, decl: &Decl, code: Code, what: &str, problems: &mut Problems) {
    if allowed(sources, decl, code) {
        return;
    }
    let name = decl.name();
    problems.push(
        Problem::warning(code, format!("{what} `{}` no se usa en ninguna regla", name.text))
            .label(name.span, "declarado aquí")
            .help(format!(
                "Úselo en alguna condición o bórrelo. Si se deja a propósito, escriba encima `# permitir: {}`.",
                code.as_str().trim_start_matches("reglas::")
            )),
    );
}

impl Checker<'_> {
    /// Pass: declarations nothing uses (only meaningful when every name
    /// resolved and there is no cycle).
    pub(super) fn unused(&self, problems: &mut Problems) {
        if problems.has_errors() || self.has_cycles {
            return;
        }
        let used = self.used();
        let sources = &self.sources;
        let groups_used: BTreeSet<usize> = self
            .group_members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.iter().any(|c| used.contains(&(3, *c))))
            .map(|(g, _)| g)
            .collect();
        let (mut fi, mut pi, mut vi, mut ci, mut gi) = (0, 0, 0, 0, 0);
        for d in &self.file.decls {
            match d {
                Decl::Field(f) => {
                    let identification = f.name.text == "codigo" || f.name.text == "nombre";
                    if !identification && !used.contains(&(0, fi)) {
                        warn(sources, d, Code::UnusedField, "el campo", problems);
                    }
                    fi += 1;
                }
                Decl::Param(_) => {
                    if !used.contains(&(1, pi)) {
                        warn(sources, d, Code::UnusedParam, "el parámetro", problems);
                    }
                    pi += 1;
                }
                Decl::Value(_) => {
                    if !used.contains(&(2, vi)) {
                        warn(sources, d, Code::UnusedValue, "el valor", problems);
                    }
                    vi += 1;
                }
                Decl::Criterion(_) => {
                    if !used.contains(&(3, ci)) {
                        warn(sources, d, Code::UnusedCriterion, "el criterio", problems);
                    }
                    ci += 1;
                }
                Decl::Group(_) => {
                    if !groups_used.contains(&gi) {
                        warn(sources, d, Code::UnusedGroup, "el grupo", problems);
                    }
                    gi += 1;
                }
                _ => {}
            }
        }
    }

    /// What the levels use, transitively, plus what sentences quote, keyed
    /// by kind (0 field, 1 parameter, 2 value, 3 criterion) and index.
    fn used(&self) -> BTreeSet<(u8, usize)> {
        let mut used: BTreeSet<(u8, usize)> = BTreeSet::new();
        let key = |r: &Ref| match r {
            Ref::Field(i) => (0u8, *i),
            Ref::Param(i) => (1, *i),
            Ref::Value(i) => (2, *i),
            Ref::Criterion(i) => (3, *i),
        };
        for r in close_over(&self.level_reads, &self.transitive) {
            used.insert(key(&r));
        }
        // Every criterion's own reads count, even for criteria the levels do not
        // use: an unused criterion is one warning, not one per field it reads.
        for c in self.criteria.iter().flatten() {
            for r in &c.reads {
                used.insert(key(r));
            }
        }
        for (node, reads) in &self.transitive {
            if matches!(node, Ref::Value(_) | Ref::Criterion(_)) {
                for r in reads {
                    if matches!(r, Ref::Field(_) | Ref::Param(_)) {
                        used.insert(key(r));
                    }
                }
            }
        }
        for f in &self.decls.fields {
            if let Some(e) = &f.at_most {
                if let ast::ExprKind::Name(n) = &e.kind {
                    if let Some(i) = self.decls.fields.iter().position(|x| x.name.text == n.text) {
                        used.insert((0, i));
                    }
                }
            }
        }
        used
    }
}
