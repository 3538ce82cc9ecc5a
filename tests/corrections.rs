#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `--correcciones`: a cleaning log applied before evaluation. Old values
//! must match the data (or be the text of a rejected cell); every applied
//! correction shows in the organization's result.

use std::process::Command;

fn reglas(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_reglas"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn records(jsonl: &str) -> Vec<serde_json::Value> {
    jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn shipped_log_fixes_rejected_cells_and_is_recorded() {
    let (out, err, code) = reglas(&[
        "evaluar",
        "rules/cepac.reglas",
        "rules/ejemplos/organizaciones-con-errores.csv",
        "--correcciones",
        "rules/ejemplos/correcciones.csv",
        "--formato",
        "jsonl",
        "--fecha",
        "2026-01-01",
    ]);
    assert_eq!(code, 3, "other rows are still rejected: {err}");
    let recs = records(&out);
    let audit = &recs[0]["auditoria"];
    assert_eq!(
        audit["datos"][1]["archivo"],
        "rules/ejemplos/correcciones.csv"
    );
    for code in ["CHI-010", "NOR-011", "AMB-012"] {
        let r = recs
            .iter()
            .find(|r| r["codigo"] == code)
            .expect("row present");
        assert!(
            r.get("errores").is_none(),
            "{code} should be evaluated after the correction: {r}"
        );
        assert_eq!(
            r["correcciones"].as_array().map(Vec::len),
            Some(1),
            "{code}"
        );
    }
    let nor = recs.iter().find(|r| r["codigo"] == "NOR-011").expect("row");
    assert_eq!(nor["correcciones"][0]["valor_nuevo"], "30");
    assert!(nor["correcciones"][0]["origen"]
        .as_str()
        .unwrap_or("")
        .contains("fila 3"));
}

#[test]
fn old_value_that_does_not_match_rejects_the_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("log.csv");
    std::fs::write(
        &log,
        "codigo,campo,valor_anterior,valor_nuevo,motivo\nAMB-001,socios_total,999,50,prueba\n",
    )
    .expect("write");
    let (out, _err, code) = reglas(&[
        "evaluar",
        "rules/cepac.reglas",
        "rules/ejemplos/organizaciones.csv",
        "--correcciones",
        log.to_str().unwrap_or_default(),
        "--formato",
        "jsonl",
    ]);
    assert_eq!(code, 3);
    let recs = records(&out);
    let amb = recs.iter().find(|r| r["codigo"] == "AMB-001").expect("row");
    let msg = amb["errores"][0]["mensaje"].as_str().unwrap_or("");
    assert!(msg.contains("espera el valor anterior `999`"), "{msg}");
}

#[test]
fn unknown_field_in_log_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("log.csv");
    std::fs::write(
        &log,
        "codigo,campo,valor_anterior,valor_nuevo,motivo\nAMB-001,socios_totales,112,50,x\n",
    )
    .expect("write");
    let (_out, err, code) = reglas(&[
        "evaluar",
        "rules/cepac.reglas",
        "rules/ejemplos/organizaciones.csv",
        "--correcciones",
        log.to_str().unwrap_or_default(),
        "--formato-errores",
        "plano",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("`socios_totales` no es un campo"), "{err}");
    assert!(err.contains("¿Quiso decir `socios_total`?"), "{err}");
}

#[test]
fn same_inputs_and_date_give_identical_output() {
    let args = [
        "evaluar",
        "rules/cepac.reglas",
        "rules/ejemplos/organizaciones.csv",
        "--formato",
        "jsonl",
        "--fecha",
        "2026-02-02",
    ];
    let (a, _, _) = reglas(&args);
    let (b, _, _) = reglas(&args);
    assert_eq!(a, b);
    assert!(a.starts_with("{\"auditoria\""));
}

#[test]
fn codes_in_the_log_match_without_case_and_unused_ones_are_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("log.csv");
    let socios = "amb-001,socios_total,112,120,conteo nuevo\nXYZ-9,socios_total,1,2,otra\n";
    std::fs::write(
        &log,
        format!("codigo,campo,valor_anterior,valor_nuevo,motivo\n{socios}"),
    )
    .expect("write");
    // AMB-001 has 112 members in the example data.
    let data = std::fs::read_to_string("rules/ejemplos/organizaciones.csv").expect("data");
    assert!(data
        .lines()
        .any(|l| l.starts_with("AMB-001,") && l.contains(",112,")));
    let (out, err, code) = reglas(&[
        "evaluar",
        "rules/cepac.reglas",
        "rules/ejemplos/organizaciones.csv",
        "--correcciones",
        log.to_str().unwrap_or_default(),
        "--formato",
        "jsonl",
    ]);
    assert_eq!(code, 0, "{err}");
    let recs = records(&out);
    let amb = recs.iter().find(|r| r["codigo"] == "AMB-001").expect("row");
    assert_eq!(amb["correcciones"][0]["valor_nuevo"], "120", "{amb}");
    assert!(
        err.contains("tiene correcciones para `XYZ-9`, que no está en los datos"),
        "{err}"
    );
}
