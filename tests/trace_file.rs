//! A trace file (`evaluar --formato jsonl --detalle-completo`) keeps every
//! fact of the full explanation: a trace row and its header, written as
//! JSON and read back, expand to exactly the result the evaluator gives
//! with the full explanation. Over the semantics fixtures (blanks, division
//! by zero, `aplica si`, quantifiers, fragility…), the CEPAC examples and
//! the regional variants, and over CEPAC rows changed at random.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use proptest::prelude::*;
use reglas::data::{Row, Value};
use reglas::eval::record::{expand, read_header, TraceHeader, TraceRow};
use reglas::eval::{Detail, Evaluator, Salida};
use reglas::program::Program;

fn load(rules: &str) -> Program {
    let loaded = reglas::load::load_file(Path::new(rules));
    assert!(!loaded.problems.has_errors(), "{rules}");
    loaded.program.expect("programa")
}

fn rows(program: &Program, data: &str) -> Vec<Row> {
    reglas::data::open(Path::new(data), &program.schema, &Default::default())
        .unwrap_or_else(|e| panic!("{data}: {e:?}"))
        .filter(|r| r.errors.is_empty())
        .collect()
}

/// The header as the first line of a file carries it, read back.
fn header_through_json(h: &TraceHeader) -> TraceHeader {
    let line = serde_json::json!({"auditoria": {}, "traza": h}).to_string();
    read_header(&line).unwrap()
}

/// Evaluates `row` for a trace file, writes the trace row as JSON, reads it
/// back and expands it: the same result, key by key, as the full
/// explanation.
fn round_trip(ev: &Evaluator, header: &TraceHeader, row: &Row) {
    let full = ev.evaluate_with(row, Detail::Full);
    let traced = ev.evaluate_with(row, Detail::Trace);
    let record = traced.registro.as_deref().expect("registro");
    let line = serde_json::to_string(record).unwrap();
    let back: TraceRow = serde_json::from_str(&line).unwrap();
    assert_eq!(&back, record, "{line}");
    header.check(&back).unwrap();
    let expanded = expand(header, &back);
    assert_eq!(
        serde_json::to_value(&expanded).unwrap(),
        serde_json::to_value(&full).unwrap(),
        "fila {}: {line}",
        row.line
    );
    // What counts in totals comes with the trace row, without expanding.
    assert_eq!(traced.nivel, full.nivel);
    assert_eq!(traced.provisional, full.provisional);
    // And the renderings people read.
    assert_eq!(
        reglas::render::explanation::explain(&expanded),
        reglas::render::explanation::explain(&full)
    );
}

fn check_file(rules: &str, data: &[&str]) -> usize {
    let program = load(rules);
    let ev = Evaluator::new(&program);
    let header = header_through_json(ev.header());
    assert_eq!(&header, ev.header(), "{rules}");
    let mut n = 0;
    for d in data {
        for row in rows(&program, d) {
            round_trip(&ev, &header, &row);
            n += 1;
        }
    }
    for example in &program.examples {
        round_trip(&ev, &header, &example.row);
        n += 1;
    }
    n
}

#[test]
fn semantics_fixtures_round_trip() {
    let dir = "tests/fixtures/semantica";
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "reglas") {
            let rules = path.to_str().unwrap().to_string();
            let data = rules.replace(".reglas", ".csv");
            n += check_file(&rules, &[&data]);
        }
    }
    assert!(n > 40, "{n}");
}

#[test]
fn cepac_and_regions_round_trip() {
    let n = check_file(
        "rules/cepac.reglas",
        &[
            "rules/ejemplos/organizaciones.csv",
            "rules/ejemplos/organizaciones-con-errores.csv",
            "rules/ejemplos/seguimiento.csv",
        ],
    );
    assert!(n > 40, "{n}");
    // Variants: parameters they change say where (`cambia`).
    check_file(
        "rules/regiones/chaco.reglas",
        &["rules/regiones/ejemplos/chaco.csv"],
    );
    check_file(
        "rules/regiones/chiquitania.reglas",
        &["rules/regiones/ejemplos/chiquitania.csv"],
    );
}

/// What the fixtures lack: a division by 0 whose divisor is not a field
/// (the cause is a place in the rules), text and category values.
#[test]
fn division_by_an_expression_texts_and_categories_round_trip() {
    let rules = r#"reglas "Traza: casos raros"

campo codigo: texto
campo socios: entero
campo bajas: entero
campo zona: categoría (norte "Zona norte", sur "Zona sur")
campo nota: texto

valor activos = socios / (socios - bajas)
valor lugar = zona
valor comentario = nota

criterio pocas_bajas "Pocas bajas"
  condición activos >= 1
  si cumple "Activos: {activos}, zona {zona}, nota {nota}."
  si no cumple "Activos: {activos}."

criterio en_el_norte "En el norte"
  condición zona = norte

nivel bien "Bien" condición pocas_bajas y en_el_norte
nivel otra "Otra" en otro caso
"#;
    let loaded = reglas::load::load_text("raros.reglas", rules.to_string());
    assert!(
        !loaded.problems.has_errors(),
        "{:#?}",
        loaded.problems.items
    );
    let program = loaded.program.expect("programa");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("raros.csv");
    std::fs::write(
        &data,
        "codigo,socios,bajas,zona,nota\nA,5,5,norte,\"dice \"\"hola\"\"\"\nB,5,1,sur,\nC,,1,,x\n",
    )
    .unwrap();
    let ev = Evaluator::new(&program);
    let header = header_through_json(ev.header());
    let rows = rows(&program, data.to_str().unwrap());
    assert_eq!(rows.len(), 3);
    let first = ev.evaluate_with(&rows[0], Detail::Trace);
    let line = serde_json::to_string(first.registro.as_deref().unwrap()).unwrap();
    assert!(line.contains("\"@raros.reglas:"), "{line}");
    for row in &rows {
        round_trip(&ev, &header, row);
    }
}

#[test]
fn rejected_rows_stay_as_they_are() {
    let program = load("rules/cepac.reglas");
    let ev = Evaluator::new(&program);
    let source = reglas::data::open(
        Path::new("rules/ejemplos/organizaciones-con-errores.csv"),
        &program.schema,
        &Default::default(),
    )
    .unwrap();
    let rejected: Vec<Salida> = source
        .filter(|r| !r.errors.is_empty())
        .map(|r| ev.salida(r.into(), Detail::Trace))
        .collect();
    assert!(!rejected.is_empty());
    for s in rejected {
        assert!(matches!(s, Salida::Rechazada(_)));
    }
}

fn cepac() -> &'static Program {
    static P: std::sync::OnceLock<Program> = std::sync::OnceLock::new();
    P.get_or_init(|| load("rules/cepac.reglas"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// An example organization with answers blanked and numbers moved:
    /// blanks, undecided criteria and levels, zeros that divide.
    #[test]
    fn changed_rows_round_trip(
        which in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, -3.0f64..3.0), 0..12)
    ) {
        let program = cepac();
        let ev = Evaluator::new(program);
        let mut row = program.examples[which.index(program.examples.len())].row.clone();
        for (at, kind, delta) in edits {
            let f = at.index(row.values.len());
            match (kind, &row.values[f]) {
                (0, _) => row.values[f] = None,
                (1, Some(Value::Number(_))) => row.values[f] = Some(Value::Number(0.0)),
                (_, Some(Value::Number(x))) => {
                    row.values[f] = Some(Value::Number((x + delta.round()).max(0.0)))
                }
                (_, Some(Value::Bool(b))) => row.values[f] = Some(Value::Bool(!b)),
                _ => {}
            }
        }
        round_trip(&ev, ev.header(), &row);
    }
}

/// `docs/ejemplos/esquema-traza.jsonl`, which the schema's examples explain
/// with `explicar --desde`, is what `evaluar` writes today (but for the
/// build's commit and date in the audit record).
#[test]
fn the_documented_trace_file_is_current() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reglas"))
        .args([
            "evaluar",
            "docs/ejemplos/esquema.reglas",
            "docs/ejemplos/esquema.csv",
        ])
        .args([
            "--formato",
            "jsonl",
            "--detalle-completo",
            "--fecha",
            "2025-03-15",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let now = String::from_utf8(out.stdout).unwrap();
    let saved = std::fs::read_to_string("docs/ejemplos/esquema-traza.jsonl").unwrap();
    let (now_lines, saved_lines): (Vec<&str>, Vec<&str>) =
        (now.lines().collect(), saved.lines().collect());
    assert_eq!(now_lines.len(), saved_lines.len());
    assert_eq!(now_lines[1..], saved_lines[1..]);
    let first = |l: &str| {
        let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
        v["auditoria"]["commit_programa"] = "<commit>".into();
        v["auditoria"]["fecha_compilacion"] = "<AAAA-MM-DD>".into();
        v
    };
    assert_eq!(first(now_lines[0]), first(saved_lines[0]));
}
