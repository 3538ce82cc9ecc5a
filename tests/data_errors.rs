//! Data readers: files that cannot be read (one error for the whole file) and
//! rows with problems (reported in the row, never dropped).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "fixtures/datos/esquema.rs"]
mod esquema;

use std::path::{Path, PathBuf};

use esquema::{get, mini, show};
use miette::Diagnostic;
use reglas::data::{open, DataFileError, ReadOptions, Row};
use serde_json::json;

fn fixture(name: &str) -> PathBuf {
    Path::new("tests/fixtures/datos").join(name)
}

fn open_error(path: &Path, opts: &ReadOptions) -> DataFileError {
    match open(path, &mini(), opts) {
        Ok(_) => panic!("{} debía fallar", path.display()),
        Err(e) => e,
    }
}

/// What the user reads: code, message, help.
fn report(e: &DataFileError) -> serde_json::Value {
    json!({
        "codigo": e.code().map(|c| c.to_string()),
        "mensaje": e.to_string(),
        "ayuda": e.help().map(|h| h.to_string()),
    })
}

fn snapshot(name: &str, value: serde_json::Value) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("fixtures/datos/instantaneas");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_json_snapshot!(format!("errores__{name}"), value));
}

#[test]
fn file_errors_say_what_is_wrong_and_how_to_fix_it() {
    let none = ReadOptions::default();
    let cases = [
        ("no_existe", fixture("no_existe.csv"), none.clone()),
        ("vacio", fixture("vacio.csv"), none.clone()),
        ("formato_desconocido", fixture("datos.dat"), none.clone()),
        (
            "faltan_columnas",
            fixture("faltan_columnas.csv"),
            none.clone(),
        ),
        (
            "sin_encabezado",
            fixture("sin_encabezado.csv"),
            none.clone(),
        ),
        (
            "separador_raro",
            fixture("separador_raro.csv"),
            none.clone(),
        ),
        (
            "columna_repetida",
            fixture("columna_repetida.csv"),
            none.clone(),
        ),
        (
            "codificacion_desconocida",
            fixture("coma.csv"),
            ReadOptions {
                encoding: Some("klingon".into()),
                ..Default::default()
            },
        ),
        (
            "hoja_no_existe",
            fixture("planilla.ods"),
            ReadOptions {
                sheet: Some("Resumen".into()),
                ..Default::default()
            },
        ),
        (
            "planilla_ilegible",
            fixture("no_es_planilla.xlsx"),
            none.clone(),
        ),
        ("json_invalido", fixture("roto.json"), none.clone()),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut reports = serde_json::Map::new();
    for (name, path, opts) in cases {
        // Files that would clutter the fixtures folder are made here.
        let path = match name {
            "planilla_ilegible" => {
                let p = dir.path().join("no_es_planilla.xlsx");
                std::fs::write(&p, "esto no es un xlsx").unwrap();
                p
            }
            "json_invalido" => {
                let p = dir.path().join("roto.json");
                std::fs::write(&p, "[{\"codigo\": \"A\",}\n").unwrap();
                p
            }
            _ => path,
        };
        let mut r = report(&open_error(&path, &opts));
        // Temporary paths differ on every run.
        if let Some(m) = r["mensaje"].as_str() {
            let m = m.replace(&dir.path().display().to_string(), "[tmp]");
            r["mensaje"] = json!(m);
        }
        reports.insert(name.to_string(), r);
    }
    snapshot("archivos", serde_json::Value::Object(reports));
}

#[test]
fn missing_columns_are_all_listed_with_look_alikes() {
    let err = open_error(&fixture("faltan_columnas.csv"), &ReadOptions::default());
    let DataFileError::MissingColumns { missing, .. } = &err else {
        panic!("{err:?}");
    };
    let found: Vec<(&str, Vec<&str>)> = missing
        .iter()
        .map(|m| {
            (
                m.field.as_str(),
                m.similar.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("personeria_juridica", vec!["personeria"]),
            ("socios_total", vec!["socios_totales"]),
            ("socias", vec!["socias_mujeres"]),
        ]
    );
    let help = err.help().unwrap().to_string();
    assert!(help.contains("¿es la columna `socios_totales`?"), "{help}");
}

fn broken_rows() -> Vec<Row> {
    open(
        &fixture("filas_rotas.csv"),
        &mini(),
        &ReadOptions::default(),
    )
    .unwrap()
    .collect()
}

fn messages(row: &Row) -> Vec<String> {
    row.errors
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                e.columna.as_deref().unwrap_or("(fila)"),
                e.mensaje
            )
        })
        .collect()
}

#[test]
fn broken_rows_are_reported_never_dropped() {
    let rows = broken_rows();
    let codes: Vec<_> = rows
        .iter()
        .map(|r| r.codigo.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        codes,
        [
            "R01", "R02", "R03", "R04", "R05", "R06", "R07", "R08", "R09", "R01", "", "R12", "r01",
            "R14", "R15"
        ]
    );
    // Row 16 is blank (spaces only): skipped, but still counted.
    let lines: Vec<_> = rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17]);
    let s = mini();
    let by_code = |i: usize| &rows[i];

    assert!(by_code(0).errors.is_empty());
    assert_eq!(by_code(1).errors.len(), 2, "{:?}", messages(by_code(1)));
    assert!(messages(by_code(2))[0].contains("no puede ser negativo"));
    assert!(messages(by_code(3))[0].contains("no es un número entero"));
    assert!(messages(by_code(4))[0].contains("fuera de rango"));
    let categories = messages(by_code(5));
    assert_eq!(categories.len(), 3, "{categories:?}");
    assert!(categories[1].contains("¿Quiso decir `cooperativa`?"));
    assert!(categories[2].contains("¿Quiso decir `actualizada`?"));
    assert!(messages(by_code(6))[0]
        .contains("`socias` (120) no puede ser mayor que `socios_total` (100)"));
    assert!(messages(by_code(7))[0].contains("faltan celdas"));
    assert_eq!(get(&s, by_code(7), "nit"), json!(null));
    assert!(messages(by_code(8))[0].contains("más que las 11 columnas"));
    assert!(messages(by_code(9))[0].contains("ya apareció en la fila 2"));
    assert!(messages(by_code(10))[0].contains("falta el código"));
    assert_eq!(by_code(10).nombre.as_deref(), Some("Sin código"));
    assert_eq!(by_code(11).errors.len(), 4, "{:?}", messages(by_code(11)));
    assert!(messages(by_code(11))[3].contains("es ambiguo"));
    // Codes are compared without case.
    assert!(messages(by_code(12))[0].contains("ya apareció en la fila 2"));
    // Blank cells are sin dato, not errors.
    assert!(by_code(13).errors.is_empty());
    assert_eq!(get(&s, by_code(13), "socios_total"), json!(null));
    // `NA`, `N/A` and `-` are not blank: they must be read, and can't.
    assert_eq!(by_code(14).errors.len(), 3, "{:?}", messages(by_code(14)));
    // The row is kept with what could be read.
    assert_eq!(get(&s, by_code(14), "socias"), json!(10.0));

    let shown: Vec<_> = rows.iter().map(|r| show(&s, r)).collect();
    snapshot("filas_rotas", json!(shown));
}
