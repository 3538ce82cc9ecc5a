//! Regional variants: a rule file `basado en` another is composed with its
//! base before checking. Every change is explicit: `cambia` replaces the
//! clauses it writes, `quita` removes a declaration, anything else is new. A
//! base name declared again without `cambia` is an error, and so is a
//! `cambia` of a name the base does not have. Spans keep their file, so
//! diagnostics point into the right file.

use crate::ast::{Decl, File, RemoveDecl};
use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};
use crate::source::Span;

/// Applies `variant` on top of `base` (both already parsed).
pub fn compose(base: File, variant: File) -> Result<File, Problems> {
    let mut problems = Problems::new();
    // The base's examples test the base's rules; a variant writes its own.
    let mut decls: Vec<Decl> = base
        .decls
        .into_iter()
        .filter(|d| !matches!(d, Decl::Example(_)))
        .collect();
    let mut overrides = base.overrides;
    let mut removed = base.removed;
    for d in variant.decls {
        let applied = match d {
            Decl::Override(inner) => apply_override(&mut decls, &mut overrides, *inner),
            Decl::Remove(r) => apply_remove(&mut decls, &mut removed, &r),
            Decl::Example(_) => {
                decls.push(d);
                Ok(())
            }
            other => add_new(&mut decls, other),
        };
        if let Err(p) = applied {
            problems.push(p);
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(File {
        id: variant.id,
        header: variant.header,
        decls,
        overrides,
        removed,
    })
}

/// `cambia`: merges the clauses written into the base declaration of the
/// same name and kind.
fn apply_override(
    decls: &mut [Decl],
    overrides: &mut Vec<(String, Span)>,
    inner: Decl,
) -> Result<(), Problem> {
    let name = inner.name().clone();
    let Some(i) = find(decls, &name.text) else {
        return Err(missing(&name, inner.kind_word(), "cambia", decls));
    };
    if !same_kind(&decls[i], &inner) {
        return Err(Problem::error(
            Code::OverrideMissing,
            format!(
                "`cambia {} {}`: en el archivo base `{}` es {} {}",
                inner.kind_word(),
                name.text,
                name.text,
                article(decls[i].kind_word()),
                decls[i].kind_word()
            ),
        )
        .label(name.span, "aquí")
        .label(decls[i].name().span, "declarado así en el archivo base")
        .help(format!(
            "Escriba `cambia {} {}`.",
            decls[i].kind_word(),
            name.text
        )));
    }
    overrides.push((name.text.clone(), decls[i].span()));
    decls[i] = merge(decls[i].clone(), inner);
    Ok(())
}

/// `quita`: removes the base declaration of that name and kind.
fn apply_remove(
    decls: &mut Vec<Decl>,
    removed: &mut Vec<(String, Span)>,
    r: &RemoveDecl,
) -> Result<(), Problem> {
    let Some(i) = find(decls, &r.name.text) else {
        return Err(missing(&r.name, &r.kind, "quita", decls));
    };
    if !kind_matches(&decls[i], &r.kind) {
        return Err(Problem::error(
            Code::OverrideMissing,
            format!(
                "`quita {} {}`: en el archivo base es {} {}",
                r.kind,
                r.name.text,
                article(decls[i].kind_word()),
                decls[i].kind_word()
            ),
        )
        .label(r.name.span, "aquí")
        .help(format!(
            "Escriba `quita {} {}`.",
            decls[i].kind_word(),
            r.name.text
        )));
    }
    decls.remove(i);
    removed.push((r.name.text.clone(), r.name.span));
    Ok(())
}

/// A new declaration; one that reuses a base name without `cambia` is an error.
fn add_new(decls: &mut Vec<Decl>, d: Decl) -> Result<(), Problem> {
    let name = d.name().clone();
    if let Some(i) = find(decls, &name.text) {
        return Err(Problem::error(
            Code::Redefined,
            format!("`{}` ya está declarado en el archivo base", name.text),
        )
        .label(name.span, "se declara otra vez")
        .label(decls[i].name().span, "declaración del archivo base")
        .help(format!(
            "Para cambiarlo escriba `cambia {} {} …` con las cláusulas que cambian; para uno nuevo, use otro nombre.",
            decls[i].kind_word(),
            name.text
        )));
    }
    insert_new(decls, d);
    Ok(())
}

/// The indefinite article for a declaration kind (`una recomendación`, `un criterio`).
fn article(kind_word: &str) -> &'static str {
    if kind_word == "recomendación" {
        "una"
    } else {
        "un"
    }
}

/// `cambia` and `quita` only make sense in a variant.
pub fn reject_changes_without_base(file: &File) -> Problems {
    let mut problems = Problems::new();
    for d in &file.decls {
        let (word, span) = match d {
            Decl::Override(inner) => ("cambia", inner.name().span),
            Decl::Remove(r) => ("quita", r.name.span),
            _ => continue,
        };
        problems.push(
            Problem::error(Code::NoBase, format!("`{word}` solo se usa en un archivo basado en otro"))
                .label(span, "aquí")
                .help(if word == "cambia" {
                    "Indique el archivo base en el encabezado: `reglas \"Chaco\" versión \"1.0\" basado en \"../cepac.reglas\"`; o declare sin `cambia`."
                } else {
                    "Indique el archivo base en el encabezado: `reglas \"Chaco\" versión \"1.0\" basado en \"../cepac.reglas\"`; en un archivo propio, simplemente borre la declaración."
                }),
        );
    }
    problems
}

fn find(decls: &[Decl], name: &str) -> Option<usize> {
    decls
        .iter()
        .position(|d| !matches!(d, Decl::Example(_)) && d.name().text == name)
}

fn same_kind(a: &Decl, b: &Decl) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

fn kind_matches(d: &Decl, written: &str) -> bool {
    let canonical = crate::text::fold(written);
    crate::text::fold(d.kind_word()) == canonical
}

fn missing(name: &crate::ast::Name, kind: &str, verb: &str, decls: &[Decl]) -> Problem {
    let candidates: Vec<&str> = decls
        .iter()
        .filter(|d| !matches!(d, Decl::Example(_)) && kind_matches(d, kind))
        .map(|d| d.name().text.as_str())
        .collect();
    let mut p = Problem::error(
        Code::OverrideMissing,
        format!(
            "`{verb} {kind} {}`: el archivo base no tiene {} {kind} con ese nombre",
            name.text,
            if kind.starts_with("recomendaci") {
                "ninguna"
            } else {
                "ningún"
            }
        ),
    )
    .label(name.span, "no existe en el archivo base");
    p = match crate::text::did_you_mean(&name.text, candidates) {
        Some(s) => p.help(format!("¿Quiso decir `{s}`?")),
        None => p.help(if kind.starts_with("recomendaci") {
            format!("Para añadir una {kind} nueva, declárela sin `{verb}`.")
        } else {
            format!("Para añadir un {kind} nuevo, declárelo sin `{verb}`.")
        }),
    };
    p
}

/// New levels go before the base's catch-all, which must stay last.
fn insert_new(decls: &mut Vec<Decl>, d: Decl) {
    if let Decl::Level(l) = &d {
        if !l.is_otherwise {
            if let Some(i) = decls
                .iter()
                .rposition(|x| matches!(x, Decl::Level(b) if b.is_otherwise))
            {
                decls.insert(i, d);
                return;
            }
        }
    }
    decls.push(d);
}

/// Replaces, in `base`, the clauses `change` writes.
fn merge(base: Decl, change: Decl) -> Decl {
    match (base, change) {
        (Decl::Criterion(mut b), Decl::Criterion(c)) => {
            if !c.title.text.is_empty() {
                b.title = c.title;
            }
            b.group = c.group.or(b.group);
            b.section = c.section.or(b.section);
            b.condition = c.condition.or(b.condition);
            b.applies_if = c.applies_if.or(b.applies_if);
            b.when_met = c.when_met.or(b.when_met);
            b.when_failed = c.when_failed.or(b.when_failed);
            b.blank_policy = c.blank_policy.or(b.blank_policy);
            b.points = c.points.or(b.points);
            b.span = c.span;
            Decl::Criterion(b)
        }
        (Decl::Level(mut b), Decl::Level(c)) => {
            if !c.title.text.is_empty() {
                b.title = c.title;
            }
            b.section = c.section.or(b.section);
            b.requires = c.requires.or(b.requires);
            if c.condition.is_some() {
                b.condition = c.condition;
                b.otherwise = None;
                b.is_otherwise = false;
            }
            if c.is_otherwise {
                b.otherwise = c.otherwise;
                b.is_otherwise = true;
                b.condition = None;
            }
            b.span = c.span;
            Decl::Level(b)
        }
        (Decl::Group(mut b), Decl::Group(c)) => {
            if !c.title.text.is_empty() {
                b.title = c.title;
            }
            b.section = c.section.or(b.section);
            b.span = c.span;
            Decl::Group(b)
        }
        (Decl::Param(b), Decl::Param(mut c)) => {
            c.title = c.title.or(b.title);
            c.section = c.section.or(b.section);
            Decl::Param(c)
        }
        (Decl::Value(b), Decl::Value(mut c)) => {
            c.title = c.title.or(b.title);
            c.section = c.section.or(b.section);
            Decl::Value(c)
        }
        (_, change) => change,
    }
}
