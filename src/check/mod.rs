//! Stage 2: the AST of a rule file → a checked [`Program`]. Resolves every
//! name, checks types, orders values and criteria by dependency (reporting
//! cycles), checks the level ladder and the recommendations, and warns about
//! declarations nothing uses. Every problem is reported, not just the first.

mod compile;
mod deps;
mod examples;
pub mod suggest;
mod symbols;
mod templates;
pub(crate) mod unused;

use std::collections::{BTreeSet, HashMap};

use crate::ast::{self, BlankPolicy, Decl, TypeKind};
use crate::codes::Code;
use crate::data::{FieldSpec, FieldType, Schema};
use crate::diagnostic::{Problem, Problems};
use crate::program::*;
use crate::source::{SourceMap, Span};
use compile::{Compiler, Env, Mode};
use symbols::Sym;

/// Checks a parsed file. On success returns the program and its warnings; on
/// failure, every error (and warning) found.
pub fn check(sources: SourceMap, file: &ast::File) -> Result<(Program, Problems), Problems> {
    match check_all(sources, file) {
        Ok((program, mut problems)) => {
            explain_removed(&mut problems, &file.removed);
            Ok((program, problems))
        }
        Err(mut problems) => {
            explain_removed(&mut problems, &file.removed);
            Err(problems)
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
            .find(|(n, _)| p.message.contains(&format!("`{n}`")))
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

fn check_all(sources: SourceMap, file: &ast::File) -> Result<(Program, Problems), Problems> {
    let mut problems = Problems::new();
    let (decls, syms) = symbols::collect(file, &mut problems);

    // ---- fields
    let mut field_tys = Vec::new();
    let mut field_cats = Vec::new();
    let mut field_names = Vec::new();
    for (i, f) in decls.fields.iter().enumerate() {
        field_names.push(f.name.text.clone());
        let (ty, cats) = match &f.ty {
            TypeKind::Bool => (Ty::Bool, vec![]),
            TypeKind::Integer => (Ty::Integer, vec![]),
            TypeKind::Number => (Ty::Number, vec![]),
            TypeKind::Percent => (Ty::Percent, vec![]),
            TypeKind::Text => (Ty::Text, vec![]),
            TypeKind::Category(values) => {
                let mut seen: Vec<String> = Vec::new();
                for v in values {
                    if seen.contains(&v.text) {
                        problems.push(
                            Problem::error(
                                Code::Duplicate,
                                format!("el valor `{}` aparece dos veces en la categoría", v.text),
                            )
                            .label(v.span, "repetido")
                            .help("Deje cada valor una sola vez en la lista."),
                        );
                    } else {
                        seen.push(v.text.clone());
                    }
                }
                (Ty::Category(i), seen)
            }
        };
        field_tys.push(ty);
        field_cats.push(cats);
    }
    let code_field = decls.fields.iter().position(|f| f.name.text == "codigo");
    match code_field {
        None => problems.push(
            Problem::error(Code::MissingCodeField, "el archivo no declara el campo `codigo`")
                .label(file.header.as_ref().map(|h| h.span).unwrap_or(Span::new(file.id, 0, 0)), "aquí empieza el archivo")
                .help("Cada organización se identifica por su código: declare `campo codigo: texto pregunta \"Código de la organización\"`."),
        ),
        Some(i) if field_tys[i] != Ty::Text => problems.push(
            Problem::error(Code::MissingCodeField, "el campo `codigo` debe ser de tipo `texto`")
                .label(decls.fields[i].ty_span, "otro tipo")
                .help("Los códigos se guardan como texto para no perder ceros ni dígitos: `campo codigo: texto`."),
        ),
        _ => {}
    }

    // ---- groups: members come from each criterion's `grupo` clause
    let mut group_members: Vec<Vec<usize>> = vec![Vec::new(); decls.groups.len()];
    let mut criterion_group: Vec<Option<usize>> = vec![None; decls.criteria.len()];
    for (ci, c) in decls.criteria.iter().enumerate() {
        if let Some(g) = &c.group {
            match syms.get(&g.text) {
                Some(Sym::Group(gi)) => {
                    group_members[gi].push(ci);
                    criterion_group[ci] = Some(gi);
                }
                Some(other) => problems.push(
                    Problem::error(
                        Code::WrongKind,
                        format!("`{}` es {}, no un grupo", g.text, other.described()),
                    )
                    .label(g.span, "se esperaba un grupo")
                    .help("Declare el grupo con `grupo nombre \"título\"`."),
                ),
                None => {
                    let mut p = Problem::error(
                        Code::UnknownName,
                        format!("no existe el grupo `{}`", g.text),
                    )
                    .label(g.span, "grupo desconocido");
                    let names: Vec<&str> =
                        decls.groups.iter().map(|g| g.name.text.as_str()).collect();
                    p = match suggest::did_you_mean(&g.text, names) {
                        Some(s) => p.help(format!("¿Quiso decir `{s}`?")),
                        None => p.help("Declare el grupo con `grupo nombre \"título\"`."),
                    };
                    problems.push(p);
                }
            }
        }
    }

    // ---- parameters, in declaration order (a parameter may use earlier ones)
    let mut params: Vec<Option<(Ty, Constant)>> = vec![None; decls.params.len()];
    let mut param_out = Vec::new();
    let value_tys_empty: Vec<Option<Ty>> = vec![None; decls.values.len()];
    for (i, p) in decls.params.iter().enumerate() {
        let env = Env {
            syms: &syms,
            field_tys: &field_tys,
            field_names: &field_names,
            field_cats: &field_cats,
            params: &params,
            value_tys: &value_tys_empty,
            group_members: &group_members,
        };
        let mut c = Compiler::new(&env, &mut problems, Mode::Constant);
        let compiled = c.expr(&p.value);
        let later = c
            .reads
            .iter()
            .any(|r| matches!(r, Ref::Param(j) if *j >= i));
        drop(c);
        if let Some((e, ty)) = compiled {
            match crate::eval::constant(&e) {
                Some(k) => params[i] = Some((ty.clone(), k.clone())),
                None => problems.push(
                    Problem::error(
                        Code::NotConstant,
                        format!(
                            "no se puede calcular el valor del parámetro `{}`",
                            p.name.text
                        ),
                    )
                    .label(p.value.span, "no es un valor fijo")
                    .help("Un parámetro es un número, porcentaje o sí/no fijo, por ejemplo `40%`."),
                ),
            }
            let _ = later;
        }
        param_out.push(p);
    }
    // Parameters used before their declaration are reported by name lookup
    // returning nothing; make that explicit.
    for p in &decls.params {
        let mut refs = Vec::new();
        collect_names(&p.value, &mut refs);
        for n in refs {
            if let Some(Sym::Param(j)) = syms.get(&n.text) {
                if params[j].is_none() && decls.params[j].name.span.start > p.name.span.start {
                    problems.push(
                        Problem::error(
                            Code::UnknownName,
                            format!("el parámetro `{}` se usa antes de declararlo", n.text),
                        )
                        .label(n.span, "usado aquí")
                        .label(decls.params[j].name.span, "declarado después")
                        .help("Mueva la declaración del parámetro más arriba en el archivo."),
                    );
                }
            }
        }
    }

    // ---- dependency order of values and criteria
    let mut nodes = Vec::new();
    let mut edges: HashMap<Ref, Vec<(Ref, Span)>> = HashMap::new();
    for (i, v) in decls.values.iter().enumerate() {
        let mut out = Vec::new();
        deps::refs_in(&v.expr, &syms, &group_members, &mut out);
        nodes.push(Ref::Value(i));
        edges.insert(Ref::Value(i), out);
    }
    for (i, c) in decls.criteria.iter().enumerate() {
        let mut out = Vec::new();
        for e in c.condition.iter().chain(c.applies_if.iter()) {
            deps::refs_in(e, &syms, &group_members, &mut out);
        }
        nodes.push(Ref::Criterion(i));
        edges.insert(Ref::Criterion(i), out);
    }
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
    let eval_order = deps::order(&nodes, &edges, &name_of, &mut problems);
    let has_cycles = problems.errors().count() > cycle_errors_before;

    // ---- values and criteria, compiled in dependency order
    let mut value_tys: Vec<Option<Ty>> = vec![None; decls.values.len()];
    let mut values: Vec<Option<Value>> = vec![None; decls.values.len()];
    let mut criteria: Vec<Option<Criterion>> = vec![None; decls.criteria.len()];
    // What each value and criterion reads directly; `close_over` follows it.
    let mut transitive: HashMap<Ref, Vec<Ref>> = HashMap::new();
    for node in &eval_order {
        let env = Env {
            syms: &syms,
            field_tys: &field_tys,
            field_names: &field_names,
            field_cats: &field_cats,
            params: &params,
            value_tys: &value_tys,
            group_members: &group_members,
        };
        match *node {
            Ref::Value(i) => {
                let v = decls.values[i];
                let mut c = Compiler::new(&env, &mut problems, Mode::Data);
                let compiled = c.expr(&v.expr);
                let reads = c.reads.clone();
                if let Some((expr, ty)) = compiled {
                    value_tys[i] = Some(ty.clone());
                    values[i] = Some(Value {
                        name: v.name.text.clone(),
                        ty,
                        expr,
                        expr_text: source_text(&sources, Some(v.expr.span)),
                        title: v.title.as_ref().map(|s| s.text.clone()),
                        section: v.section.as_ref().map(|s| s.text.clone()),
                        span: v.span,
                    });
                }
                transitive.insert(*node, reads);
            }
            Ref::Criterion(i) => {
                let cd = decls.criteria[i];
                let mut c = Compiler::new(&env, &mut problems, Mode::Data);
                let condition = match &cd.condition {
                    Some(e) => c.condition(e, "la condición de un criterio"),
                    None => None,
                };
                let applies_if = cd
                    .applies_if
                    .as_ref()
                    .map(|e| c.condition(e, "`aplica si`"));
                let mut reads = c.reads.clone();
                drop(c);
                if cd.condition.is_none() {
                    problems.push(
                        Problem::error(Code::MissingCondition, format!("el criterio `{}` no tiene condición", cd.name.text))
                            .label(cd.name.span, "sin `condición`")
                            .help("Añada una línea `condición …`, por ejemplo `condición personeria_juridica`."),
                    );
                }
                let deps_reads = reads.clone();
                let when_met = cd
                    .when_met
                    .as_ref()
                    .map(|s| templates::compile(s, &syms, &mut problems, &mut reads));
                let when_failed = cd
                    .when_failed
                    .as_ref()
                    .map(|s| templates::compile(s, &syms, &mut problems, &mut reads));
                if let (Some(condition), applies) = (condition, applies_if) {
                    let applies_if = match applies {
                        Some(Some(a)) => Some(a),
                        Some(None) => None,
                        None => None,
                    };
                    criteria[i] = Some(Criterion {
                        name: cd.name.text.clone(),
                        title: cd.title.text.clone(),
                        group: criterion_group[i],
                        section: cd.section.as_ref().map(|s| s.text.clone()),
                        condition,
                        condition_text: source_text(
                            &sources,
                            cd.condition.as_ref().map(|e| e.span),
                        ),
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
                        span: cd.span,
                    });
                }
                transitive.insert(*node, deps_reads);
            }
            _ => {}
        }
    }

    // ---- levels
    let mut levels = Vec::new();
    let mut level_reads_all: Vec<Ref> = Vec::new();
    if decls.levels.is_empty() {
        problems.push(
            Problem::error(Code::NoLevels, "el archivo no declara ningún nivel")
                .label(file.header.as_ref().map(|h| h.span).unwrap_or(Span::new(file.id, 0, 0)), "aquí empieza el archivo")
                .help("Declare los niveles de mayor a menor, por ejemplo `nivel consolidada \"…\" condición …`, y termine con uno `en otro caso`."),
        );
    }
    for (li, l) in decls.levels.iter().enumerate() {
        let last = li + 1 == decls.levels.len();
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
        let env = Env {
            syms: &syms,
            field_tys: &field_tys,
            field_names: &field_names,
            field_cats: &field_cats,
            params: &params,
            value_tys: &value_tys,
            group_members: &group_members,
        };
        let mut c = Compiler::new(&env, &mut problems, Mode::Data);
        let condition = l
            .condition
            .as_ref()
            .and_then(|e| c.condition(e, "la condición de un nivel"));
        let reads = c.reads.clone();
        drop(c);
        level_reads_all.extend(reads.iter().copied());
        let all = close_over(&reads, &transitive);
        let mut crits: Vec<usize> = all
            .iter()
            .filter_map(|r| {
                if let Ref::Criterion(i) = r {
                    Some(*i)
                } else {
                    None
                }
            })
            .collect();
        crits.sort_unstable();
        crits.dedup();
        let mut fields: BTreeSet<usize> = all
            .iter()
            .filter_map(|r| {
                if let Ref::Field(i) = r {
                    Some(*i)
                } else {
                    None
                }
            })
            .collect();
        for &ci in &crits {
            if let Some(Some(cr)) = criteria.get(ci) {
                for r in &cr.reads {
                    if let Ref::Field(f) = r {
                        fields.insert(*f);
                    }
                }
            }
        }
        levels.push(Level {
            name: l.name.text.clone(),
            title: l.title.text.clone(),
            section: l.section.as_ref().map(|s| s.text.clone()),
            condition,
            condition_text: source_text(&sources, l.condition.as_ref().map(|e| e.span)),
            criteria: crits,
            fields: fields.into_iter().collect(),
            reads: reads
                .into_iter()
                .filter(|r| !matches!(r, Ref::Criterion(_)))
                .collect(),
            span: l.span,
        });
    }

    // ---- recommendations
    let mut recommendations = Vec::new();
    for r in &decls.recommendations {
        let (name, want_level) = match &r.target {
            ast::Target::Level(n) => (n, true),
            ast::Target::Criterion(n) => (n, false),
        };
        let target = match (syms.get(&name.text), want_level) {
            (Some(Sym::Level(i)), true) => Some(RecTarget::Level(i)),
            (Some(Sym::Criterion(i)), false) => Some(RecTarget::Criterion(i)),
            (found, _) => {
                let kind = if want_level { "nivel" } else { "criterio" };
                let candidates: Vec<&str> = if want_level {
                    decls.levels.iter().map(|l| l.name.text.as_str()).collect()
                } else {
                    decls
                        .criteria
                        .iter()
                        .map(|c| c.name.text.as_str())
                        .collect()
                };
                let msg = match found {
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
                let mut p = Problem::error(Code::BadTarget, msg)
                    .label(name.span, format!("{kind} desconocido"));
                p = match suggest::did_you_mean(&name.text, candidates.iter().copied()) {
                    Some(s) => p.help(format!("¿Quiso decir `{s}`?")),
                    None => p.help(format!(
                        "Los {} declarados son: {}.",
                        if want_level { "niveles" } else { "criterios" },
                        candidates.join(", ")
                    )),
                };
                problems.push(p);
                None
            }
        };
        if let Some(target) = target {
            let reason = match target {
                RecTarget::Level(_) => format!("nivel {}", name.text),
                RecTarget::Criterion(_) => format!("criterio {} no se cumple", name.text),
            };
            recommendations.push(Recommendation {
                name: r.name.text.clone(),
                target,
                reason,
                section: r.section.as_ref().map(|s| s.text.clone()),
                text: r.text.text.clone(),
                span: r.span,
            });
        }
    }

    // ---- examples (test cases in the rule file)
    // `máximo otro_campo`: the field it may not exceed.
    let field_at_most: Vec<Option<usize>> = decls
        .fields
        .iter()
        .map(|f| {
            f.at_most.as_ref().and_then(|e| match &e.kind {
                ast::ExprKind::Name(n) => match syms.get(&n.text) {
                    Some(Sym::Field(j)) => Some(j),
                    _ => None,
                },
                _ => None,
            })
        })
        .collect();
    let examples = examples::compile(
        &decls,
        &syms,
        &examples::FieldInfo {
            names: &field_names,
            tys: &field_tys,
            cats: &field_cats,
            at_most: &field_at_most,
        },
        &mut problems,
    );

    // ---- unused declarations (only meaningful when everything resolved)
    if !problems.has_errors() && !has_cycles {
        warn_unused(
            &sources,
            file,
            &decls,
            &transitive,
            &level_reads_all,
            &criteria,
            &group_members,
            &mut problems,
        );
    }

    silence_allowed_warnings(&sources, file, &mut problems);
    problems.sort();
    // A ladder without `en otro caso` still gets a program built, to find an
    // organization that falls through it and show it in the error.
    let only_catch_all = |ps: &Problems| ps.errors().all(|p| p.code == Code::NoCatchAll);
    if problems.has_errors() && !only_catch_all(&problems) {
        return Err(problems);
    }

    let header = file.header.as_ref();
    let schema = Schema {
        fields: decls
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| FieldSpec {
                name: f.name.text.clone(),
                ty: match &field_tys[i] {
                    Ty::Bool => FieldType::Bool,
                    Ty::Integer => FieldType::Integer,
                    Ty::Number => FieldType::Number,
                    Ty::Percent => FieldType::Percent,
                    Ty::Text => FieldType::Text,
                    Ty::Category(_) => FieldType::Category(field_cats[i].clone()),
                },
                aliases: f.aliases.iter().map(|a| a.text.clone()).collect(),
                question: f.question.as_ref().map(|q| q.text.clone()),
                at_most_field: field_at_most[i],
            })
            .collect(),
    };
    check_at_most(&decls, &syms, &field_tys, &mut problems);
    if problems.has_errors() && !only_catch_all(&problems) {
        return Err(problems);
    }
    let fields = decls
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| Field {
            name: f.name.text.clone(),
            ty: field_tys[i].clone(),
            categories: field_cats[i].clone(),
            question: f.question.as_ref().map(|q| q.text.clone()),
            section: f.section.as_ref().map(|q| q.text.clone()),
            span: f.span,
        })
        .collect();
    let params_out = decls
        .params
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let (ty, k) = params[i].clone()?;
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
        })
        .collect();
    let program = Program {
        title: header.map(|h| h.title.text.clone()).unwrap_or_default(),
        version: header.and_then(|h| h.version.as_ref().map(|v| v.text.clone())),
        schema,
        fields,
        params: params_out,
        values: values.into_iter().flatten().collect(),
        groups: decls
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| Group {
                name: g.name.text.clone(),
                title: g.title.text.clone(),
                section: g.section.as_ref().map(|s| s.text.clone()),
                members: group_members[i].clone(),
                span: g.span,
            })
            .collect(),
        criteria: criteria.into_iter().flatten().collect(),
        eval_order,
        levels,
        recommendations,
        examples,
        overrides: file.overrides.clone(),
        code_field: code_field.unwrap_or(0),
        name_field: decls.fields.iter().position(|f| f.name.text == "nombre"),
        sources,
    };
    if problems.has_errors() {
        if let Some(example) = crate::lint::counterexample_without_level(&program) {
            for p in problems
                .items
                .iter_mut()
                .filter(|p| p.code == Code::NoCatchAll)
            {
                let before = p.help.clone().unwrap_or_default();
                p.help = Some(format!(
                    "{before}\n\nPor ejemplo, esta organización no cumple ningún nivel (puede pegarla en el archivo como caso de prueba):\n\n{example}"
                ));
            }
        }
        return Err(problems);
    }
    Ok((program, problems))
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

/// `máximo otro_campo` must name a numeric field.
fn check_at_most(
    decls: &symbols::Decls,
    syms: &symbols::Symbols,
    tys: &[Ty],
    problems: &mut Problems,
) {
    for (i, f) in decls.fields.iter().enumerate() {
        let Some(e) = &f.at_most else { continue };
        let ok = match &e.kind {
            ast::ExprKind::Name(n) => {
                matches!(syms.get(&n.text), Some(Sym::Field(j)) if tys[j].is_numeric())
            }
            _ => false,
        };
        if !ok || !tys[i].is_numeric() {
            problems.push(
                Problem::error(
                    Code::TypeMismatch,
                    format!("`máximo` de `{}` debe ser otro campo numérico", f.name.text),
                )
                .label(e.span, "aquí")
                .help("Por ejemplo `campo socias: entero máximo socios_total`."),
            );
        }
    }
}

fn collect_names<'a>(e: &'a ast::Expr, out: &mut Vec<&'a ast::Name>) {
    use ast::ExprKind::*;
    match &e.kind {
        Name(n) => out.push(n),
        Not(a) | Neg(a) | HasData(a) | IsBlank(a) => collect_names(a, out),
        And(v) | Or(v) => v.iter().for_each(|x| collect_names(x, out)),
        Cmp(_, a, b) | Arith(_, a, b) => {
            collect_names(a, out);
            collect_names(b, out);
        }
        Call(_, args) => args.iter().for_each(|x| collect_names(x, out)),
        _ => {}
    }
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

#[allow(clippy::too_many_arguments)]
fn warn_unused(
    sources: &SourceMap,
    file: &ast::File,
    decls: &symbols::Decls,
    transitive: &HashMap<Ref, Vec<Ref>>,
    level_reads: &[Ref],
    criteria: &[Option<Criterion>],
    group_members: &[Vec<usize>],
    problems: &mut Problems,
) {
    // What the levels use, transitively, plus what sentences quote.
    let mut used: BTreeSet<(u8, usize)> = BTreeSet::new();
    let key = |r: &Ref| match r {
        Ref::Field(i) => (0u8, *i),
        Ref::Param(i) => (1, *i),
        Ref::Value(i) => (2, *i),
        Ref::Criterion(i) => (3, *i),
    };
    for r in close_over(level_reads, transitive) {
        used.insert(key(&r));
    }
    // Every criterion's own reads count, even for criteria the levels do not
    // use: an unused criterion is one warning, not one per field it reads.
    for c in criteria.iter().flatten() {
        for r in &c.reads {
            used.insert(key(r));
        }
    }
    for (node, reads) in transitive {
        if matches!(node, Ref::Value(_) | Ref::Criterion(_)) {
            for r in reads {
                if matches!(r, Ref::Field(_) | Ref::Param(_)) {
                    used.insert(key(r));
                }
            }
        }
    }
    for f in &decls.fields {
        if let Some(e) = &f.at_most {
            if let ast::ExprKind::Name(n) = &e.kind {
                if let Some(i) = decls.fields.iter().position(|x| x.name.text == n.text) {
                    used.insert((0, i));
                }
            }
        }
    }
    let groups_used: BTreeSet<usize> = group_members
        .iter()
        .enumerate()
        .filter(|(_, m)| m.iter().any(|c| used.contains(&(3, *c))))
        .map(|(g, _)| g)
        .collect();
    let (mut fi, mut pi, mut vi, mut ci, mut gi) = (0, 0, 0, 0, 0);
    for d in &file.decls {
        match d {
            Decl::Field(f) => {
                let identification = f.name.text == "codigo" || f.name.text == "nombre";
                if !identification && !used.contains(&(0, fi)) {
                    unused::warn(sources, d, Code::UnusedField, "el campo", problems);
                }
                fi += 1;
            }
            Decl::Param(_) => {
                if !used.contains(&(1, pi)) {
                    unused::warn(sources, d, Code::UnusedParam, "el parámetro", problems);
                }
                pi += 1;
            }
            Decl::Value(_) => {
                if !used.contains(&(2, vi)) {
                    unused::warn(sources, d, Code::UnusedValue, "el valor", problems);
                }
                vi += 1;
            }
            Decl::Criterion(_) => {
                if !used.contains(&(3, ci)) {
                    unused::warn(sources, d, Code::UnusedCriterion, "el criterio", problems);
                }
                ci += 1;
            }
            Decl::Group(_) => {
                if !groups_used.contains(&gi) {
                    unused::warn(sources, d, Code::UnusedGroup, "el grupo", problems);
                }
                gi += 1;
            }
            _ => {}
        }
    }
}
