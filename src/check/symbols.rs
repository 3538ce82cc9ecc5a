//! The symbol table: every declared name and what it is. All declarations
//! share one namespace, so a level and a criterion can never be confused.

use std::collections::HashMap;

use crate::ast::{Decl, File};
use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sym {
    Field(usize),
    Param(usize),
    Value(usize),
    Group(usize),
    Criterion(usize),
    Level(usize),
    Recommendation(usize),
}

impl Sym {
    /// "el campo", "el grupo"… for messages.
    pub fn described(self) -> &'static str {
        match self {
            Sym::Field(_) => "un campo",
            Sym::Param(_) => "un parámetro",
            Sym::Value(_) => "un valor",
            Sym::Group(_) => "un grupo",
            Sym::Criterion(_) => "un criterio",
            Sym::Level(_) => "un nivel",
            Sym::Recommendation(_) => "una recomendación",
        }
    }
}

/// Declarations split by kind, each kind in declaration order.
#[derive(Default)]
pub struct Decls<'a> {
    pub fields: Vec<&'a crate::ast::FieldDecl>,
    pub params: Vec<&'a crate::ast::ParamDecl>,
    pub values: Vec<&'a crate::ast::ValueDecl>,
    pub groups: Vec<&'a crate::ast::GroupDecl>,
    pub criteria: Vec<&'a crate::ast::CriterionDecl>,
    pub levels: Vec<&'a crate::ast::LevelDecl>,
    pub recommendations: Vec<&'a crate::ast::RecommendationDecl>,
    pub examples: Vec<&'a crate::ast::ExampleDecl>,
    pub checks: Vec<&'a crate::ast::CheckDecl>,
}

pub struct Symbols {
    pub map: HashMap<String, (Sym, Span)>,
}

impl Symbols {
    pub fn get(&self, name: &str) -> Option<Sym> {
        self.map.get(name).map(|(s, _)| *s)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(|k| k.as_str())
    }
}

pub fn collect<'a>(file: &'a File, problems: &mut Problems) -> (Decls<'a>, Symbols) {
    let mut d = Decls::default();
    let mut map: HashMap<String, (Sym, Span)> = HashMap::new();
    for decl in &file.decls {
        let sym = match decl {
            Decl::Field(f) => {
                d.fields.push(f);
                Sym::Field(d.fields.len() - 1)
            }
            Decl::Param(p) => {
                d.params.push(p);
                Sym::Param(d.params.len() - 1)
            }
            Decl::Value(v) => {
                d.values.push(v);
                Sym::Value(d.values.len() - 1)
            }
            Decl::Group(g) => {
                d.groups.push(g);
                Sym::Group(d.groups.len() - 1)
            }
            Decl::Criterion(c) => {
                d.criteria.push(c);
                Sym::Criterion(d.criteria.len() - 1)
            }
            Decl::Level(l) => {
                d.levels.push(l);
                Sym::Level(d.levels.len() - 1)
            }
            Decl::Recommendation(r) => {
                d.recommendations.push(r);
                Sym::Recommendation(d.recommendations.len() - 1)
            }
            // Examples have their own namespace; overrides and removals were
            // applied when composing a variant with its base.
            Decl::Example(e) => {
                d.examples.push(e);
                continue;
            }
            // Consistency checks are named only for the reader.
            Decl::Check(c) => {
                d.checks.push(c);
                continue;
            }
            Decl::Override(_) | Decl::Remove(_) => continue,
        };
        let name = decl.name();
        if let Some((prev, prev_span)) = map.get(&name.text) {
            problems.push(
                Problem::error(
                    Code::Duplicate,
                    format!("`{}` ya está declarado", name.text),
                )
                .label(
                    name.span,
                    format!("se declara otra vez como {}", decl.kind_word()),
                )
                .label(
                    *prev_span,
                    format!("primera declaración ({})", prev.described()),
                )
                .help("Cada nombre se declara una sola vez; cambie uno de los dos nombres."),
            );
        } else {
            map.insert(name.text.clone(), (sym, name.span));
        }
    }
    (d, Symbols { map })
}
