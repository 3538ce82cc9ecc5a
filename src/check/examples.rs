//! `ejemplo` declarations: test cases written in the rule file. Their data
//! is typed against the declared fields here, once, so `reglas probar` only
//! evaluates.

use std::collections::HashMap;

use super::symbols::{Decls, Sym, Symbols};
use crate::ast::{ExampleDecl, ExprKind, Name};
use crate::codes::Code;
use crate::data::schema::exceeded;
use crate::data::{Row, Value};
use crate::diagnostic::{Problem, Problems};
use crate::program::{Example, Ty};
use crate::text::did_you_mean;

pub struct FieldInfo<'a> {
    pub names: &'a [String],
    pub tys: &'a [Ty],
    pub cats: &'a [Vec<String>],
    /// `máximo`: the field each one may not exceed.
    pub at_most: &'a [Option<usize>],
}

pub fn compile(
    decls: &Decls,
    syms: &Symbols,
    fields: &FieldInfo,
    problems: &mut Problems,
) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for e in &decls.examples {
        if let Some(&prev) = by_name.get(&e.name.text) {
            problems.push(
                Problem::error(
                    Code::Duplicate,
                    format!("ya hay un ejemplo llamado `{}`", e.name.text),
                )
                .label(e.name.span, "otra vez")
                .label(out[prev].span, "primer ejemplo")
                .help("Cada ejemplo necesita un nombre propio."),
            );
            continue;
        }
        let (ex, _ok) = compile_one(e, &out, &by_name, decls, syms, fields, problems);
        // Kept even with errors (the program is rejected anyway), so that a
        // later `como` does not report a second, cascading error.
        by_name.insert(e.name.text.clone(), out.len());
        out.push(ex);
    }
    out
}

fn compile_one(
    e: &ExampleDecl,
    earlier: &[Example],
    by_name: &HashMap<String, usize>,
    decls: &Decls,
    syms: &Symbols,
    fields: &FieldInfo,
    problems: &mut Problems,
) -> (Example, bool) {
    let mut values = inherited_values(e, earlier, by_name, fields, problems);
    let mut ok = write_data(e, fields, &mut values, problems);
    ok &= check_at_most(e, fields, &values, problems);
    let expect_level = expected_level(e, decls, syms, problems, &mut ok);
    let expect_failed = resolve_list(
        &e.expect_failed,
        "el criterio",
        |s| matches!(s, Sym::Criterion(_)),
        syms,
        decls.criteria.iter().map(|c| c.name.text.as_str()),
        problems,
        &mut ok,
    );
    let expect_recs = resolve_list(
        &e.expect_recommendations,
        "la recomendación",
        |s| matches!(s, Sym::Recommendation(_)),
        syms,
        decls.recommendations.iter().map(|r| r.name.text.as_str()),
        problems,
        &mut ok,
    );
    let title = e.title.as_ref().map(|t| t.text.clone());
    set_identity(&mut values, fields, e, &title);
    let example = Example {
        name: e.name.text.clone(),
        title: title.clone(),
        row: Row {
            line: 0,
            codigo: Some(e.name.text.clone()),
            nombre: title,
            values,
            errors: Vec::new(),
        },
        expect_level,
        expect_failed,
        expect_recommendations: expect_recs,
        span: e.span,
    };
    (example, ok)
}

/// The data of the example named in `como`, or all blank.
fn inherited_values(
    e: &ExampleDecl,
    earlier: &[Example],
    by_name: &HashMap<String, usize>,
    fields: &FieldInfo,
    problems: &mut Problems,
) -> Vec<Option<Value>> {
    let blank = vec![None; fields.names.len()];
    let Some(like) = &e.like else {
        return blank;
    };
    if let Some(&i) = by_name.get(&like.text) {
        return earlier[i].row.values.clone();
    }
    let names: Vec<&str> = by_name.keys().map(String::as_str).collect();
    let p = Problem::error(
        Code::UnknownName,
        format!("no hay un ejemplo anterior llamado `{}`", like.text),
    )
    .about(&like.text)
    .label(like.span, "ejemplo desconocido");
    problems.push(match did_you_mean(&like.text, names) {
        Some(s) => p.help(format!(
            "¿Quiso decir `{s}`? (`como` usa un ejemplo declarado más arriba)"
        )),
        None => p.help("`como` copia los datos de un ejemplo declarado más arriba en el archivo."),
    });
    blank
}

/// Types each value the example writes into `values`; false on an error.
fn write_data(
    e: &ExampleDecl,
    fields: &FieldInfo,
    values: &mut [Option<Value>],
    problems: &mut Problems,
) -> bool {
    let mut ok = true;
    for (field, value) in &e.data {
        let Some(fi) = fields.names.iter().position(|n| *n == field.text) else {
            let mut p = Problem::error(
                Code::UnknownName,
                format!("`{}` no es un campo declarado", field.text),
            )
            .about(&field.text)
            .label(field.span, "campo desconocido");
            p = match did_you_mean(&field.text, fields.names.iter().map(String::as_str)) {
                Some(s) => p.help(format!("¿Quiso decir `{s}`?")),
                None => p.help("Los datos de un ejemplo usan los nombres de los campos declarados con `campo`."),
            };
            problems.push(p);
            ok = false;
            continue;
        };
        match value {
            None => values[fi] = None,
            Some(v) => match literal(v, fi, fields) {
                Ok(val) => values[fi] = Some(val),
                Err(p) => {
                    problems.push(p);
                    ok = false;
                }
            },
        }
    }
    ok
}

/// `máximo`, as the data readers check it: socias ≤ socios_total (also
/// when one of the two comes from `como otro`). False on an error.
fn check_at_most(
    e: &ExampleDecl,
    fields: &FieldInfo,
    values: &[Option<Value>],
    problems: &mut Problems,
) -> bool {
    let pairs = fields
        .at_most
        .iter()
        .enumerate()
        .filter_map(|(fi, g)| g.map(|gi| (fi, gi)));
    let mut ok = true;
    for (fi, gi, a, b) in exceeded(values, pairs) {
        let (fname, gname) = (&fields.names[fi], &fields.names[gi]);
        let written = |f: &str| {
            e.data
                .iter()
                .find(|(n, _)| n.text == f)
                .map(|(n, v)| v.as_ref().map_or(n.span, |v| v.span))
        };
        let span = written(fname)
            .or_else(|| written(gname))
            .unwrap_or(e.name.span);
        problems.push(
            Problem::error(
                Code::ExampleData,
                format!(
                    "en el ejemplo `{}`, `{fname}` ({a}) es mayor que `{gname}` ({b}): el campo tiene `máximo {gname}`",
                    e.name.text
                ),
            )
            .label(span, "mayor que lo permitido")
            .help(format!(
                "Unos datos así se rechazan al leer la planilla; corrija el ejemplo para que `{fname}` no pase de `{gname}`."
            )),
        );
        ok = false;
    }
    ok
}

/// `nivel …`: None when not written, Some(None) for no level.
fn expected_level(
    e: &ExampleDecl,
    decls: &Decls,
    syms: &Symbols,
    problems: &mut Problems,
    ok: &mut bool,
) -> Option<Option<usize>> {
    match &e.expect_level {
        None => None,
        Some(n) if n.text == "ninguno" || n.text == "sin_nivel" => Some(None),
        Some(n) => match syms.get(&n.text) {
            Some(Sym::Level(i)) => Some(Some(i)),
            _ => {
                problems.push(unknown(
                    n,
                    "el nivel",
                    decls.levels.iter().map(|l| l.name.text.as_str()),
                ));
                *ok = false;
                None
            }
        },
    }
}

/// The example's name is its `codigo`, and its title its `nombre` unless
/// the data writes one.
fn set_identity(
    values: &mut [Option<Value>],
    fields: &FieldInfo,
    e: &ExampleDecl,
    title: &Option<String>,
) {
    let code_idx = fields.names.iter().position(|n| n == "codigo");
    let name_idx = fields.names.iter().position(|n| n == "nombre");
    if let Some(i) = code_idx {
        values[i] = Some(Value::Text(e.name.text.clone()));
    }
    if let (Some(i), Some(t)) = (name_idx, title) {
        if values[i].is_none() {
            values[i] = Some(Value::Text(t.clone()));
        }
    }
}

fn resolve_list<'a>(
    list: &Option<Vec<Name>>,
    kind: &str,
    is_kind: impl Fn(Sym) -> bool,
    syms: &Symbols,
    candidates: impl Iterator<Item = &'a str> + Clone,
    problems: &mut Problems,
    ok: &mut bool,
) -> Option<Vec<String>> {
    let list = list.as_ref()?;
    let mut out = Vec::new();
    for n in list {
        match syms.get(&n.text) {
            Some(s) if is_kind(s) => out.push(n.text.clone()),
            _ => {
                problems.push(unknown(n, kind, candidates.clone()));
                *ok = false;
            }
        }
    }
    Some(out)
}

fn unknown<'a>(n: &Name, kind: &str, candidates: impl Iterator<Item = &'a str>) -> Problem {
    // `kind` comes with its article: "el nivel", "la recomendación".
    let mut p = Problem::error(Code::UnknownName, format!("no existe {kind} `{}`", n.text))
        .about(&n.text)
        .label(n.span, "nombre desconocido");
    p = match did_you_mean(&n.text, candidates) {
        Some(s) => p.help(format!("¿Quiso decir `{s}`?")),
        None => p.help(
            "Escriba el nombre tal como está declarado (sin tildes ni espacios si así se declaró).",
        ),
    };
    p
}

fn literal(v: &crate::ast::Expr, fi: usize, f: &FieldInfo) -> Result<Value, Problem> {
    let ty = &f.tys[fi];
    let fname = &f.names[fi];
    let wrong = |what: &str| {
        Problem::error(
            Code::TypeMismatch,
            format!("el campo `{fname}` es {}, pero se le da {what}", ty.word()),
        )
        .label(v.span, "valor de otro tipo")
        .help(match ty {
            Ty::Bool => "Escriba `sí` o `no`.".to_string(),
            Ty::Category(_) => format!("Escriba uno de: {}.", f.cats[fi].join(", ")),
            Ty::Text => "Escriba un texto entre comillas.".to_string(),
            _ => "Escriba un número (con punto decimal) o un porcentaje como `45%`.".to_string(),
        })
    };
    match (&v.kind, ty) {
        (ExprKind::Bool(b), Ty::Bool) => Ok(Value::Bool(*b)),
        (ExprKind::Number(n), Ty::Integer) if n.fract() == 0.0 => Ok(Value::Number(*n)),
        (ExprKind::Number(n), Ty::Number | Ty::Percent) | (ExprKind::Percent(n), Ty::Percent) => {
            Ok(Value::Number(*n))
        }
        (ExprKind::Text(t), Ty::Text) => Ok(Value::Text(t.clone())),
        (ExprKind::Name(_) | ExprKind::Text(_), Ty::Category(_)) => {
            let text = match &v.kind {
                ExprKind::Name(n) => n.text.clone(),
                ExprKind::Text(t) => t.clone(),
                _ => String::new(),
            };
            match f.cats[fi].iter().position(|c| *c == text) {
                Some(i) => Ok(Value::Category(i as u32)),
                None => {
                    let mut p = Problem::error(
                        Code::UnknownCategory,
                        format!("`{text}` no es un valor de la categoría `{fname}`"),
                    )
                    .label(v.span, "valor desconocido");
                    p = match did_you_mean(&text, f.cats[fi].iter().map(String::as_str)) {
                        Some(s) => p.help(format!(
                            "¿Quiso decir `{s}`? Valores: {}.",
                            f.cats[fi].join(", ")
                        )),
                        None => p.help(format!("Valores de `{fname}`: {}.", f.cats[fi].join(", "))),
                    };
                    Err(p)
                }
            }
        }
        (ExprKind::Bool(_), _) => Err(wrong("un sí/no")),
        (ExprKind::Number(_), Ty::Integer) => Err(wrong("un número con decimales")),
        (ExprKind::Number(_) | ExprKind::Percent(_), _) => Err(wrong("un número")),
        (ExprKind::Text(_), _) => Err(wrong("un texto")),
        _ => Err(wrong("otra cosa")),
    }
}
