//! `reglas probar`: example organizations with their expected results, run
//! like a test suite. Cases come from `ejemplo` declarations in the rule
//! file or from a spreadsheet (one organization per row plus the columns
//! `nivel_esperado`, `fallan_esperados`, `recomendaciones_esperadas`).

mod cases_file;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::data::Row;
use crate::eval::{Evaluator, Explicacion, Resultado, Tri};
use crate::program::Program;

pub use cases_file::{read_cases_file, CasesFileError, EXPECTED_COLUMNS};

/// One test case.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub title: Option<String>,
    /// `cepac.reglas:900` or `casos.csv, fila 4`.
    pub origin: String,
    pub row: Row,
    /// `Some(None)`: no level expected.
    pub expect_level: Option<Option<String>>,
    pub expect_failed: Option<Vec<String>>,
    pub expect_recommendations: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseOutcome {
    pub nombre: String,
    pub titulo: Option<String>,
    pub origen: String,
    pub correcto: bool,
    /// Spanish lines saying what differs.
    pub diferencias: Vec<String>,
    #[serde(skip)]
    pub result: Option<Resultado>,
}

/// The cases written in the rule file.
pub fn cases_in_program(p: &Program) -> Vec<Case> {
    p.examples
        .iter()
        .map(|e| Case {
            name: e.name.clone(),
            title: e.title.clone(),
            origin: p.place(e.span),
            row: e.row.clone(),
            expect_level: e.expect_level.map(|l| l.map(|i| p.levels[i].name.clone())),
            expect_failed: e.expect_failed.clone(),
            expect_recommendations: e.expect_recommendations.clone(),
        })
        .collect()
}

/// Runs one case and compares with what it expects.
pub fn run_case(program: &Program, case: &Case) -> CaseOutcome {
    if !case.row.errors.is_empty() {
        return outcome(case, data_errors(case), None);
    }
    let ev = Evaluator::new(program);
    let r = ev.evaluate(&case.row, true);
    if let Some(Some(name)) = &case.expect_level {
        if !program.levels.iter().any(|l| &l.name == name) {
            let hint = did_you_mean_hint(name, program.levels.iter().map(|l| l.name.as_str()));
            let diferencias = vec![format!(
                "el nivel esperado `{name}` no existe en estas reglas{hint}"
            )];
            return outcome(case, diferencias, Some(r));
        }
    }
    let mut diferencias = Vec::new();
    if let Some(expected) = &case.expect_level {
        if *expected != r.nivel {
            // The name the case uses, and the title a person knows it by.
            let show = |l: &Option<String>| match l {
                Some(id) => match program.levels.iter().find(|x| &x.name == id) {
                    Some(x) => format!("`{id}` («{}»)", x.title),
                    None => format!("`{id}`"),
                },
                None => "ninguno".into(),
            };
            diferencias.push(format!(
                "nivel esperado: {}; obtenido: {}",
                show(expected),
                show(&r.nivel)
            ));
            diferencias.extend(level_difference(program, &r, expected.as_deref()));
        }
    }
    if let (Some(expected), Some(e)) = (&case.expect_failed, &r.explicacion) {
        diferencias.extend(failed_differences(program, expected, e));
    }
    if let Some(expected) = &case.expect_recommendations {
        diferencias.extend(recommendation_differences(program, expected, &r));
    }
    outcome(case, diferencias, Some(r))
}

/// The case's own data errors: it cannot be evaluated.
fn data_errors(case: &Case) -> Vec<String> {
    case.row
        .errors
        .iter()
        .map(|e| {
            format!(
                "los datos del caso tienen un error{}: {}",
                e.columna
                    .as_ref()
                    .map(|c| format!(" en `{c}`"))
                    .unwrap_or_default(),
                e.mensaje
            )
        })
        .collect()
}

/// `; ¿quiso decir `x`?` when a candidate is close to `name`, else empty.
fn did_you_mean_hint<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    crate::text::did_you_mean(name, candidates)
        .map(|s| format!("; ¿quiso decir `{s}`?"))
        .unwrap_or_default()
}

/// Each criterion expected to fail that does not, or that does not exist.
fn failed_differences(program: &Program, expected: &[String], e: &Explicacion) -> Vec<String> {
    let mut diferencias = Vec::new();
    for c in expected {
        let actual = e.criterios.iter().find(|x| &x.id == c);
        match actual {
            Some(x) if x.aplica && x.resultado == Tri::No => {}
            Some(x) => diferencias.push(format!(
                "se esperaba que fallara `{c}` («{}»), pero {}",
                x.titulo,
                match (x.aplica, x.resultado) {
                    (false, _) => "no aplica a esta organización".to_string(),
                    (true, Tri::Yes) => format!(
                        "se cumple{}",
                        x.frase
                            .as_ref()
                            .map(|f| format!(": {f}"))
                            .unwrap_or_default()
                    ),
                    _ => "quedó sin decidir por falta de datos".to_string(),
                }
            )),
            None => {
                let hint = did_you_mean_hint(c, program.criteria.iter().map(|x| x.name.as_str()));
                diferencias.push(format!("`{c}` no es un criterio de estas reglas{hint}"))
            }
        }
    }
    diferencias
}

/// Each recommendation expected that was not given, or that does not exist.
fn recommendation_differences(
    program: &Program,
    expected: &[String],
    r: &Resultado,
) -> Vec<String> {
    let got: BTreeSet<&str> = r.recomendaciones.iter().map(|x| x.id.as_str()).collect();
    let mut diferencias = Vec::new();
    for rec in expected {
        let known = rec == crate::eval::COMPLETE_THE_SURVEY
            || program.recommendations.iter().any(|x| &x.name == rec);
        if !known {
            let hint =
                did_you_mean_hint(rec, program.recommendations.iter().map(|x| x.name.as_str()));
            diferencias.push(format!(
                "`{rec}` no es una recomendación de estas reglas{hint}"
            ));
        } else if !got.contains(rec.as_str()) {
            let text = program
                .recommendations
                .iter()
                .find(|x| &x.name == rec)
                .map(|x| format!(" («{}»)", x.text))
                .unwrap_or_default();
            diferencias.push(format!(
                "se esperaba la recomendación `{rec}`{text}, que no se dio"
            ));
        }
    }
    diferencias
}

fn outcome(case: &Case, diferencias: Vec<String>, result: Option<Resultado>) -> CaseOutcome {
    CaseOutcome {
        nombre: case.name.clone(),
        titulo: case.title.clone(),
        origen: case.origin.clone(),
        correcto: diferencias.is_empty(),
        diferencias,
        result,
    }
}

/// Why the expected level was not the one assigned: the criteria of the
/// expected level that did not hold, or what made a higher level hold.
fn level_difference(p: &Program, r: &Resultado, expected: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    let Some(e) = &r.explicacion else { return out };
    let expected_idx = expected.and_then(|x| p.levels.iter().position(|l| l.name == x));
    let actual_idx = r
        .nivel
        .as_deref()
        .and_then(|x| p.levels.iter().position(|l| l.name == x));
    match (expected_idx, actual_idx) {
        (Some(ei), ai) if ai.is_none_or(|a| ei < a) => {
            let level = &p.levels[ei];
            let tried = e.niveles.iter().find(|n| n.id == level.name);
            if let Some(t) = tried {
                out.push(format!(
                    "la condición de `{}` dio «{}»: {}",
                    level.name,
                    t.resultado.word(),
                    t.condicion
                ));
            }
            for c in &level.criteria {
                let name = &p.criteria[*c].name;
                if let Some(x) = e.criterios.iter().find(|x| &x.id == name) {
                    if x.aplica && x.resultado != Tri::Yes {
                        let detail = x
                            .frase
                            .clone()
                            .or(x.politica_sin_dato.clone())
                            .unwrap_or_default();
                        out.push(format!(
                            "  `{name}` {}: {detail}",
                            if x.resultado == Tri::No {
                                "no se cumple"
                            } else {
                                "sin decidir"
                            }
                        ));
                    }
                }
            }
        }
        (_, Some(ai)) => {
            let level = &p.levels[ai];
            out.push(format!(
                "se asignó `{}` porque su condición se cumple: {}",
                level.name, level.condition_text
            ));
            if let Some(f) = &r.fragil {
                if !f.baja.is_empty() {
                    out.push(format!(
                        "  criterios que sostienen ese nivel: {}",
                        f.baja.join(", ")
                    ));
                }
            }
        }
        _ => {}
    }
    out
}

/// What no case exercised, both ways.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    pub criterios_nunca_cumplidos: Vec<String>,
    pub criterios_nunca_fallidos: Vec<String>,
    pub niveles_nunca_alcanzados: Vec<String>,
    pub recomendaciones_nunca_dadas: Vec<String>,
}

pub fn coverage(p: &Program, outcomes: &[CaseOutcome]) -> Coverage {
    let mut held = BTreeSet::new();
    let mut failed = BTreeSet::new();
    let mut levels = BTreeSet::new();
    let mut recs = BTreeSet::new();
    for o in outcomes {
        let Some(r) = &o.result else { continue };
        if let Some(l) = &r.nivel {
            levels.insert(l.clone());
        }
        for x in &r.recomendaciones {
            recs.insert(x.id.clone());
        }
        if let Some(e) = &r.explicacion {
            for c in &e.criterios {
                match (c.aplica, c.resultado) {
                    (true, Tri::Yes) => {
                        held.insert(c.id.clone());
                    }
                    (true, Tri::No) => {
                        failed.insert(c.id.clone());
                    }
                    _ => {}
                }
            }
        }
    }
    Coverage {
        criterios_nunca_cumplidos: p
            .criteria
            .iter()
            .filter(|c| !held.contains(&c.name))
            .map(|c| c.name.clone())
            .collect(),
        criterios_nunca_fallidos: p
            .criteria
            .iter()
            .filter(|c| !failed.contains(&c.name))
            .map(|c| c.name.clone())
            .collect(),
        niveles_nunca_alcanzados: p
            .levels
            .iter()
            .filter(|l| !levels.contains(&l.name))
            .map(|l| l.name.clone())
            .collect(),
        recomendaciones_nunca_dadas: p
            .recommendations
            .iter()
            .filter(|r| !recs.contains(&r.name))
            .map(|r| r.name.clone())
            .collect(),
    }
}
