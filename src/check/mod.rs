//! Stage 2: the AST of a rule file → a checked [`Program`]. Checking is a
//! sequence of passes, each in its own file: [`fields`], [`groups`],
//! [`params`], dependency [`order`] (cycles), values and [`criteria`], the
//! level [`ladder`] (with `requiere nivel`), [`recommendations`], the
//! [`consistency`] checks (`revisar`), [`examples`] and [`unused`]
//! declarations; [`assemble`] builds the program. Every problem is
//! reported, not just the first.

mod assemble;
mod compile;
mod consistency;
mod criteria;
mod deps;
mod examples;
mod fields;
mod groups;
mod ladder;
mod order;
mod params;
mod recommendations;
mod symbols;
mod templates;
pub(crate) mod unused;

use std::collections::HashMap;

use crate::ast;
use crate::codes::Code;
use crate::diagnostic::Problems;
use crate::program::*;
use crate::source::{SourceMap, Span};
use compile::Env;

/// A rule file that did not check: every error (and warning) found. When
/// the only errors are about a ladder without `en otro caso`, the program
/// is built anyway, so that a later stage can look for an organization that
/// falls through the ladder and show it.
pub struct Rejected {
    pub problems: Problems,
    pub program: Option<Box<Program>>,
}

/// Checks a parsed file. On success returns the program and its warnings.
pub fn check(sources: SourceMap, file: &ast::File) -> Result<(Program, Problems), Rejected> {
    match check_all(sources, file) {
        Ok((program, mut problems)) => {
            explain_removed(&mut problems, &file.removed);
            Ok((program, problems))
        }
        Err(mut rejected) => {
            explain_removed(&mut rejected.problems, &file.removed);
            Err(rejected)
        }
    }
}

/// In a variant, a name that `quita` removed and something still uses is
/// not "unknown": say where it was removed and what to do.
fn explain_removed(problems: &mut Problems, removed: &[(String, Span)]) {
    for p in problems
        .items
        .iter_mut()
        .filter(|p| p.code == Code::UnknownName)
    {
        let Some((name, at)) = removed
            .iter()
            .find(|(n, _)| p.subject.as_deref() == Some(n.as_str()))
        else {
            continue;
        };
        p.message = format!("`{name}` se quitó con `quita`, pero todavía se usa");
        if let Some(first) = p.labels.first_mut() {
            first.1 = "se usa aquí".to_string();
        }
        p.labels.push((*at, "aquí se quita".to_string()));
        p.help = Some(format!(
            "Cambie también lo que lo usa (por ejemplo `cambia nivel NOMBRE condición …` sin `{name}`), o no lo quite."
        ));
    }
}

/// What the passes learn, in the order they learn it; each pass reads what
/// the ones before it left here and reports to the shared problem list.
struct Checker<'f> {
    sources: SourceMap,
    file: &'f ast::File,
    decls: symbols::Decls<'f>,
    syms: symbols::Symbols,
    field_tys: Vec<Ty>,
    field_cats: Vec<Vec<String>>,
    /// What people read for each category value: its label, or its name.
    field_cat_labels: Vec<Vec<String>>,
    field_names: Vec<String>,
    /// `máximo otro_campo`: the field each one may not exceed.
    field_at_most: Vec<Option<usize>>,
    code_field: Option<usize>,
    group_members: Vec<Vec<usize>>,
    criterion_group: Vec<Option<usize>>,
    params: Vec<Option<(Ty, Constant)>>,
    eval_order: Vec<Ref>,
    has_cycles: bool,
    value_tys: Vec<Option<Ty>>,
    values: Vec<Option<Value>>,
    criteria: Vec<Option<Criterion>>,
    /// What each value and criterion reads directly; `close_over` follows it.
    transitive: HashMap<Ref, Vec<Ref>>,
    levels: Vec<Level>,
    /// What the level conditions read directly.
    level_reads: Vec<Ref>,
    recommendations: Vec<Recommendation>,
    checks: Vec<Check>,
    examples: Vec<Example>,
}

fn check_all(sources: SourceMap, file: &ast::File) -> Result<(Program, Problems), Rejected> {
    let mut problems = Problems::new();
    let mut ck = Checker::new(sources, file, &mut problems);
    let p = &mut problems;
    ck.fields(p);
    ck.code_field(p);
    ck.groups(p);
    ck.params(p);
    ck.dependency_order(p);
    ck.values_and_criteria(p);
    ck.levels(p);
    ck.recommendations(p);
    ck.consistency(p);
    ck.examples(p);
    ck.unused(p);
    silence_allowed_warnings(&ck.sources, file, p);
    problems.sort();
    // A ladder without `en otro caso` still gets a program built, to find an
    // organization that falls through it and show it in the error.
    let only_catch_all = |ps: &Problems| ps.errors().all(|p| p.code == Code::NoCatchAll);
    let rejected = |problems| Rejected {
        problems,
        program: None,
    };
    if problems.has_errors() && !only_catch_all(&problems) {
        return Err(rejected(problems));
    }
    ck.at_most(&mut problems);
    if problems.has_errors() && !only_catch_all(&problems) {
        return Err(rejected(problems));
    }
    let program = ck.into_program();
    if problems.has_errors() {
        return Err(Rejected {
            problems,
            program: Some(Box::new(program)),
        });
    }
    Ok((program, problems))
}

impl<'f> Checker<'f> {
    fn new(sources: SourceMap, file: &'f ast::File, problems: &mut Problems) -> Checker<'f> {
        let (decls, syms) = symbols::collect(file, problems);
        Checker {
            sources,
            file,
            decls,
            syms,
            field_tys: Vec::new(),
            field_cats: Vec::new(),
            field_cat_labels: Vec::new(),
            field_names: Vec::new(),
            field_at_most: Vec::new(),
            code_field: None,
            group_members: Vec::new(),
            criterion_group: Vec::new(),
            params: Vec::new(),
            eval_order: Vec::new(),
            has_cycles: false,
            value_tys: Vec::new(),
            values: Vec::new(),
            criteria: Vec::new(),
            transitive: HashMap::new(),
            levels: Vec::new(),
            level_reads: Vec::new(),
            recommendations: Vec::new(),
            checks: Vec::new(),
            examples: Vec::new(),
        }
    }

    /// What an expression may refer to, as known so far.
    fn env(&self) -> Env<'_> {
        Env {
            syms: &self.syms,
            field_tys: &self.field_tys,
            field_names: &self.field_names,
            field_cats: &self.field_cats,
            params: &self.params,
            value_tys: &self.value_tys,
            group_members: &self.group_members,
        }
    }

    /// Pass: the test cases written in the rule file.
    fn examples(&mut self, problems: &mut Problems) {
        self.examples = examples::compile(
            &self.decls,
            &self.syms,
            &examples::FieldInfo {
                names: &self.field_names,
                tys: &self.field_tys,
                cats: &self.field_cats,
                at_most: &self.field_at_most,
            },
            problems,
        );
    }
}

/// Any warning can be silenced with `# permitir: <código>` above the
/// declaration it is about.
fn silence_allowed_warnings(sources: &SourceMap, file: &ast::File, problems: &mut Problems) {
    problems.items.retain(|p| {
        if p.is_error() {
            return true;
        }
        let Some(span) = p.primary_span() else {
            return true;
        };
        let owner = file.decls.iter().find(|d| {
            let ds = d.span();
            ds.file == span.file && ds.start <= span.start && span.start <= ds.end
        });
        !owner.is_some_and(|d| unused::allowed(sources, d, p.code))
    });
}

/// Everything reachable from `reads` through what values and criteria read
/// directly. Each is visited once, so this is linear in what is reachable
/// (keeping every closure, or searching a list for repeats, made long
/// chains of values cubic).
fn close_over(reads: &[Ref], direct: &HashMap<Ref, Vec<Ref>>) -> Vec<Ref> {
    let mut seen: std::collections::HashSet<Ref> = std::collections::HashSet::new();
    let mut out: Vec<Ref> = Vec::new();
    let mut stack: Vec<Ref> = reads.iter().rev().copied().collect();
    while let Some(r) = stack.pop() {
        if !seen.insert(r) {
            continue;
        }
        out.push(r);
        if let Some(more) = direct.get(&r) {
            stack.extend(more.iter().rev().copied());
        }
    }
    out
}

fn source_text(sources: &SourceMap, span: Option<Span>) -> String {
    match span {
        Some(s) => sources
            .get(s.file)
            .slice(s)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        None => "en otro caso".to_string(),
    }
}
