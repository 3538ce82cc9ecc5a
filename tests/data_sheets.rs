//! Data readers: XLSX workbooks, generated here with rust_xlsxwriter (the ODS
//! fixture is read in data_readers.rs).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "fixtures/datos/esquema.rs"]
mod esquema;

use std::path::Path;

use esquema::{get, mini};
use reglas::data::{open, DataFileError, ReadOptions, Row};
use rust_xlsxwriter::{Format, Workbook};
use serde_json::json;

const HEADER: [&str; 11] = [
    "codigo",
    "nombre",
    "region",
    "forma_juridica",
    "personeria_juridica",
    "nit",
    "lista_socios",
    "socios_total",
    "socias",
    "asistencia_asambleas",
    "ventas_anuales",
];

/// A workbook like an analyst's: a title, a blank row, the header on row 3,
/// typed cells, percent-formatted cells, blank rows at the end, and a second
/// sheet.
fn write_workbook(path: &Path) {
    let mut wb = Workbook::new();
    let percent = Format::new().set_num_format("0.0%");
    let ws = wb.add_worksheet();
    ws.set_name("Datos").unwrap();
    ws.write_string(0, 0, "Caracterización de OECAs — CEPAC 2024")
        .unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    // Row 4: native types; 78.5 % stored as 0.785.
    ws.write_string(3, 0, "X01").unwrap();
    ws.write_string(3, 1, "Asociación XLSX").unwrap();
    ws.write_string(3, 2, "amboro").unwrap();
    ws.write_string(3, 3, "asociacion").unwrap();
    ws.write_boolean(3, 4, true).unwrap();
    ws.write_string(3, 5, "no").unwrap();
    ws.write_string(3, 6, "actualizada").unwrap();
    ws.write_number(3, 7, 120.0).unwrap();
    ws.write_number(3, 8, 45.0).unwrap();
    ws.write_number_with_format(3, 9, 0.785, &percent).unwrap();
    ws.write_number(3, 10, 15000.5).unwrap();
    // Row 5: a code typed as a number, 1/0 for sí/no, labels for categories.
    ws.write_number(4, 0, 1234567890123.0).unwrap();
    ws.write_string(4, 1, "Código numérico").unwrap();
    ws.write_string(4, 2, "Norte Integrado").unwrap();
    ws.write_string(4, 3, "Cooperativa").unwrap();
    ws.write_number(4, 4, 1.0).unwrap();
    ws.write_number(4, 5, 0.0).unwrap();
    ws.write_string(4, 6, "Básica").unwrap();
    ws.write_number(4, 7, 12.0).unwrap();
    ws.write_number(4, 8, 3.0).unwrap();
    ws.write_number(4, 9, 78.5).unwrap();
    ws.write_string(4, 10, "1.234,5").unwrap();
    // Row 6: problems.
    ws.write_string(5, 0, "X03").unwrap();
    ws.write_string(5, 1, "Con errores").unwrap();
    ws.write_string(5, 2, "chaco").unwrap();
    ws.write_string(5, 3, "otra").unwrap();
    ws.write_string(5, 4, "tal vez").unwrap();
    ws.write_boolean(5, 5, false).unwrap();
    ws.write_string(5, 6, "basica").unwrap();
    ws.write_number(5, 7, 12.5).unwrap();
    ws.write_number(5, 8, -1.0).unwrap();
    ws.write_number_with_format(5, 9, 1.5, &percent).unwrap();
    ws.write_number(5, 10, 7.0).unwrap();
    // Trailing rows that only look used.
    ws.write_string(6, 0, " ").unwrap();
    ws.write_string(9, 3, "").unwrap();

    let ws = wb.add_worksheet();
    ws.set_name("Seguimiento").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in [
        "Y01",
        "Segunda hoja",
        "chaco",
        "otra",
        "si",
        "si",
        "basica",
        "5",
        "2",
        "40",
        "",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    wb.save(path).unwrap();
}

fn read(path: &Path, sheet: Option<&str>) -> (reglas::data::Detected, Vec<Row>) {
    let opts = ReadOptions {
        sheet: sheet.map(String::from),
        ..Default::default()
    };
    let source = open(path, &mini(), &opts).unwrap();
    (source.detected().clone(), source.collect())
}

#[test]
fn xlsx_with_a_title_row_typed_cells_and_percent_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("planilla.xlsx");
    write_workbook(&path);
    let (d, rows) = read(&path, None);
    assert_eq!(d.format, "xlsx");
    assert_eq!(d.sheet.as_deref(), Some("Datos"));
    assert_eq!(d.header_row, 3);
    assert_eq!(d.separator, None);
    let lines: Vec<_> = rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [4, 5, 6]);
    let s = mini();

    let x01 = &rows[0];
    assert!(x01.errors.is_empty(), "{:?}", x01.errors);
    assert_eq!(get(&s, x01, "personeria_juridica"), json!(true));
    assert_eq!(get(&s, x01, "socios_total"), json!(120.0));
    assert_eq!(get(&s, x01, "asistencia_asambleas"), json!(78.5));
    assert_eq!(get(&s, x01, "ventas_anuales"), json!(15000.5));

    let coded = &rows[1];
    assert!(coded.errors.is_empty(), "{:?}", coded.errors);
    // A numeric code becomes text with every digit and no `.0`.
    assert_eq!(coded.codigo.as_deref(), Some("1234567890123"));
    assert_eq!(get(&s, coded, "codigo"), json!("1234567890123"));
    assert_eq!(get(&s, coded, "region"), json!("norte_integrado"));
    assert_eq!(get(&s, coded, "forma_juridica"), json!("cooperativa"));
    assert_eq!(get(&s, coded, "personeria_juridica"), json!(true));
    assert_eq!(get(&s, coded, "nit"), json!(false));
    assert_eq!(get(&s, coded, "lista_socios"), json!("basica"));
    assert_eq!(get(&s, coded, "socios_total"), json!(12.0));
    // A plain number in a percentage column is already 0–100.
    assert_eq!(get(&s, coded, "asistencia_asambleas"), json!(78.5));
    assert_eq!(get(&s, coded, "ventas_anuales"), json!(1234.5));

    let broken = &rows[2];
    let columns: Vec<_> = broken
        .errors
        .iter()
        .map(|e| e.columna.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        columns,
        [
            "personeria_juridica",
            "socios_total",
            "socias",
            "asistencia_asambleas"
        ]
    );
    assert_eq!(broken.errors[3].valor.as_deref(), Some("1.5"));
    assert!(broken.errors[3].mensaje.contains("fuera de rango"));
    assert_eq!(get(&s, broken, "nit"), json!(false));
}

#[test]
fn another_sheet_by_name_or_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("planilla.xlsx");
    write_workbook(&path);
    for sheet in ["Seguimiento", "seguimiento", "2"] {
        let (d, rows) = read(&path, Some(sheet));
        assert_eq!(d.sheet.as_deref(), Some("Seguimiento"));
        assert_eq!(d.header_row, 1);
        let codes: Vec<_> = rows.iter().map(|r| r.codigo.clone()).collect();
        assert_eq!(codes, [Some("Y01".to_string())]);
        assert!(rows[0].errors.is_empty());
    }
    let err = open(
        &path,
        &mini(),
        &ReadOptions {
            sheet: Some("3".into()),
            ..Default::default()
        },
    )
    .err()
    .unwrap();
    let DataFileError::SheetNotFound { available, .. } = err else {
        panic!("{err:?}");
    };
    assert_eq!(available, "`Datos`, `Seguimiento`");
}

/// A workbook whose first sheet is instructions, not data.
fn with_cover(path: &Path, data_sheet: bool) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Instrucciones").unwrap();
    ws.write_string(0, 0, "Llene una fila por organización")
        .unwrap();
    ws.write_string(1, 0, "Use sí o no en las preguntas cerradas")
        .unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Datos").unwrap();
    if data_sheet {
        for (c, h) in HEADER.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (c, v) in [
            "Z01", "Asoc", "chaco", "otra", "si", "si", "basica", "5", "2", "40", "",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(1, c as u16, *v).unwrap();
        }
    } else {
        ws.write_string(0, 0, "vacía por ahora").unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn a_first_sheet_without_the_header_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("con-portada.xlsx");
    with_cover(&path, true);
    let (d, rows) = read(&path, None);
    assert_eq!(d.sheet.as_deref(), Some("Datos"));
    assert_eq!(
        d.warnings,
        [
            "la primera hoja, `Instrucciones`, no tiene la fila de encabezados con todos los campos: se leyó la hoja \
          `Datos`; para elegir otra, use --hoja"
        ]
    );
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].codigo.as_deref(), Some("Z01"));
    // Asked for by name, the first sheet is not replaced.
    let err = open(
        &path,
        &mini(),
        &ReadOptions {
            sheet: Some("Instrucciones".into()),
            ..Default::default()
        },
    )
    .err()
    .unwrap();
    assert!(matches!(err, DataFileError::NoHeader { .. }), "{err:?}");
}

#[test]
fn no_sheet_with_the_header_lists_the_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sin-datos.xlsx");
    with_cover(&path, false);
    let err = open(&path, &mini(), &ReadOptions::default()).err().unwrap();
    let DataFileError::NoHeader { help, .. } = err else {
        panic!("{err:?}");
    };
    assert!(
        help.ends_with(
            "Ninguna hoja tiene esos encabezados: el libro tiene las hojas `Instrucciones`, \
             `Datos`; si los datos están en otra, indíquela con --hoja"
        ),
        "{help}"
    );
}

#[test]
fn a_first_sheet_that_lists_some_column_names_is_skipped_too() {
    // Like the `campos` sheet of `reglas plantilla`: a header-looking row
    // that does not have every field.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("campos-primero.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("campos").unwrap();
    for (r, h) in ["codigo", "nombre", "region"].iter().enumerate() {
        ws.write_string(r as u32, 0, *h).unwrap();
    }
    ws.write_string(0, 1, "nombre").unwrap();
    ws.write_string(0, 2, "region").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("datos").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "W01").unwrap();
    wb.save(&path).unwrap();
    let (d, rows) = read(&path, None);
    assert_eq!(d.sheet.as_deref(), Some("datos"));
    assert_eq!(rows.len(), 1);
    assert!(
        d.warnings[0].starts_with("la primera hoja, `campos`"),
        "{:?}",
        d.warnings
    );
}
