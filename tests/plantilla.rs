//! Data templates (`reglas plantilla`): the CSV and XLSX templates read back
//! by the data readers with the same rules (no rows, no missing column), the
//! XLSX read with calamine (sheets, header, field documentation), and the
//! XLSForm (survey, choices, settings).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{open_workbook_auto, Data, Reader};
use reglas::data::{open, ReadOptions};
use reglas::program::Program;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn program(rules: &str) -> Program {
    let loaded = reglas::load::load_file(&root().join(rules));
    assert!(!loaded.problems.has_errors());
    loaded.program.unwrap()
}

fn field_names(p: &Program) -> Vec<String> {
    p.schema.fields.iter().map(|f| f.name.clone()).collect()
}

/// A sheet as rows of text (empty cells as "").
fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn sheet_names(path: &Path) -> Vec<String> {
    open_workbook_auto(path).unwrap().sheet_names().to_vec()
}

/// Opens a template with the data readers: every declared column found, no
/// organization.
fn reads_back_empty(path: &Path, p: &Program) {
    let source = match open(path, &p.schema, &ReadOptions::default()) {
        Ok(s) => s,
        Err(e) => panic!("{}: {e}", path.display()),
    };
    assert!(
        source.detected().warnings.is_empty(),
        "{:?}",
        source.detected().warnings
    );
    assert_eq!(source.count(), 0);
}

#[test]
fn csv_template_has_the_declared_columns_and_no_rows() {
    let p = program("rules/cepac.reglas");
    let bytes = reglas::template::csv(&p);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.starts_with('\u{FEFF}'));
    assert_eq!(text.lines().count(), 1);
    let header: Vec<String> = text
        .trim_start_matches('\u{FEFF}')
        .trim_end()
        .split(';')
        .map(str::to_string)
        .collect();
    assert_eq!(header, field_names(&p));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plantilla.csv");
    std::fs::write(&path, &bytes).unwrap();
    reads_back_empty(&path, &p);
}

#[test]
fn xlsx_template_opens_and_documents_each_field() {
    let p = program("rules/cepac.reglas");
    let bytes = reglas::template::xlsx(&p).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plantilla.xlsx");
    std::fs::write(&path, &bytes).unwrap();

    assert_eq!(sheet_names(&path), ["datos", "campos"]);
    let datos = sheet(&path, "datos");
    assert_eq!(datos.len(), 1, "only the header row");
    assert_eq!(datos[0], field_names(&p));

    let campos = sheet(&path, "campos");
    assert_eq!(
        campos[0],
        [
            "campo",
            "tipo",
            "pregunta",
            "valores permitidos",
            "sección",
            "otros nombres de columna aceptados"
        ]
    );
    let row = |name: &str| campos.iter().find(|r| r[0] == name).unwrap().clone();
    assert_eq!(row("region")[1], "categoría");
    // The label people read (with its accents), and the value's name.
    assert_eq!(
        row("region")[3],
        "Amboró (amboro), Norte Integrado (norte_integrado), Chiquitanía (chiquitania), Chaco (chaco)"
    );
    assert_eq!(row("region")[4], "II");
    assert_eq!(row("personeria_juridica")[1], "sí/no");
    assert_eq!(row("personeria_juridica")[2], "¿Tiene Personería Jurídica?");
    assert_eq!(
        row("socias")[3],
        "un número entero, 0 o más; no mayor que socios_total"
    );
    assert_eq!(row("socios_total")[5], "total_socios, numero_socios");
    assert_eq!(row("asistencia_asambleas")[1], "porcentaje");
    assert_eq!(
        campos.iter().filter(|r| !r[1].is_empty()).count(),
        p.schema.fields.len() + 1
    );

    // The data readers take it as an (empty) data file.
    reads_back_empty(&path, &p);
}

#[test]
fn xlsform_has_survey_choices_and_settings() {
    let p = program("rules/cepac.reglas");
    let bytes = reglas::template::xlsform(&p, "cepac").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("formulario.xlsx");
    std::fs::write(&path, &bytes).unwrap();

    assert_eq!(sheet_names(&path), ["survey", "choices", "settings"]);
    let survey = sheet(&path, "survey");
    assert_eq!(
        survey[0],
        [
            "type",
            "name",
            "label",
            "required",
            "constraint",
            "constraint_message"
        ]
    );
    let names: Vec<String> = survey[1..].iter().map(|r| r[1].clone()).collect();
    assert_eq!(names, field_names(&p));
    let row = |name: &str| survey.iter().find(|r| r[1] == name).unwrap().clone();
    assert_eq!(
        row("codigo")[..4],
        ["text", "codigo", "Código de la organización", "yes"]
    );
    assert_eq!(row("nit")[0], "select_one sino");
    assert_eq!(row("region")[0], "select_one region");
    assert_eq!(row("socios_total")[0], "integer");
    assert_eq!(row("socios_total")[4], ". >= 0");
    assert_eq!(row("socias")[4], ". >= 0 and . <= ${socios_total}");
    assert_eq!(row("asistencia_asambleas")[0], "decimal");
    assert_eq!(row("asistencia_asambleas")[4], ". >= 0 and . <= 100");
    assert_eq!(row("rubro")[0], "text");

    let choices = sheet(&path, "choices");
    assert_eq!(choices[0], ["list_name", "name", "label"]);
    assert!(choices.contains(&vec!["sino".into(), "si".into(), "Sí".into()]));
    assert!(choices.contains(&vec!["sino".into(), "no".into(), "No".into()]));
    // The labels the rules give, accents kept; without one, made from the name.
    assert!(choices.contains(&vec![
        "region".into(),
        "norte_integrado".into(),
        "Norte Integrado".into()
    ]));
    assert!(choices.contains(&vec!["region".into(), "amboro".into(), "Amboró".into()]));
    assert!(choices.contains(&vec![
        "region".into(),
        "chiquitania".into(),
        "Chiquitanía".into()
    ]));
    let excedentes: Vec<&str> = choices
        .iter()
        .filter(|r| r[0] == "excedentes")
        .map(|r| r[1].as_str())
        .collect();
    assert_eq!(excedentes, ["ninguno", "inestables", "estables"]);

    let settings = sheet(&path, "settings");
    assert_eq!(settings[0], ["form_title", "form_id", "version"]);
    assert_eq!(
        settings[1],
        [p.title.clone(), "cepac".to_string(), "1.0".to_string()]
    );

    // The whole survey, for review.
    let text: String = survey.iter().map(|r| r.join(" | ") + "\n").collect();
    insta::assert_snapshot!("xlsform_survey_cepac", text);
}

#[test]
fn a_regional_variant_template_has_its_added_fields() {
    let p = program("rules/regiones/chaco.reglas");
    assert!(field_names(&p).contains(&"acceso_agua".to_string()));
    let text = String::from_utf8(reglas::template::csv(&p)).unwrap();
    assert!(
        text.trim_end().ends_with("acceso_agua") || text.contains(",acceso_agua"),
        "{text}"
    );
}

#[test]
fn form_ids_are_plain() {
    assert_eq!(reglas::template::form_id("cepac"), "cepac");
    assert_eq!(
        reglas::template::form_id("Chiquitanía 2024"),
        "chiquitania_2024"
    );
    assert_eq!(reglas::template::form_id("2024"), "reglas_2024");
}

// ---------------------------------------------------------------- CLI

fn reglas(args: &[&str], dir: &Path) -> (i32, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reglas"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_writes_templates_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let rules = root().join("rules/cepac.reglas");
    let rules = rules.to_str().unwrap();

    // Default: CSV named after the rule file, in the current folder.
    let (code, _, err) = reglas(&["plantilla", rules], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("cepac-plantilla.csv: planilla vacía con 42 campos"),
        "{err}"
    );
    assert!(dir.path().join("cepac-plantilla.csv").is_file());

    // Never over an existing file, unless asked with --sobrescribir.
    let (code, _, err) = reglas(&["plantilla", rules], dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("ya existe"), "{err}");
    assert!(err.contains("--sobrescribir"), "{err}");
    let (code, _, err) = reglas(&["plantilla", rules, "--sobrescribir"], dir.path());
    assert_eq!(code, 0, "{err}");

    // The format follows --salida's extension; xlsform is asked for.
    let (code, _, err) = reglas(&["plantilla", rules, "--salida", "datos.xlsx"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        sheet_names(&dir.path().join("datos.xlsx")),
        ["datos", "campos"]
    );
    let (code, _, err) = reglas(&["plantilla", rules, "--formato", "xlsform"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        sheet_names(&dir.path().join("cepac-formulario.xlsx")),
        ["survey", "choices", "settings"]
    );

    // `-`: the CSV on standard output; a workbook cannot go there.
    let (code, out, _) = reglas(&["plantilla", rules, "--salida", "-"], dir.path());
    assert_eq!(code, 0);
    assert!(out.starts_with("\u{FEFF}codigo;nombre;".as_bytes()));
    let (code, out, err) = reglas(
        &["plantilla", rules, "--formato", "xlsx", "--salida", "-"],
        dir.path(),
    );
    // A usage error, as the same request is in `evaluar`.
    assert_eq!((code, out.len()), (2, 0));
    assert!(err.contains("--salida"), "{err}");

    // A rule file with errors gives no template.
    std::fs::write(dir.path().join("roto.reglas"), "campo x texto\n").unwrap();
    let (code, _, err) = reglas(&["plantilla", "roto.reglas"], dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("corríjalos"), "{err}");
    assert!(!dir.path().join("roto-plantilla.csv").exists());
}
