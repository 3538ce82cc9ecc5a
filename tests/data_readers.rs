//! Data readers: every format of tests/fixtures/datos/ read into typed rows.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "fixtures/datos/esquema.rs"]
mod esquema;

use std::path::{Path, PathBuf};

use esquema::{get, mini, show};
use reglas::data::{open, Detected, ReadOptions, Row, Schema};
use serde_json::json;

fn fixture(name: &str) -> PathBuf {
    Path::new("tests/fixtures/datos").join(name)
}

fn read_with(path: &Path, schema: &Schema, opts: &ReadOptions) -> (Detected, Vec<Row>) {
    let source = open(path, schema, opts)
        .unwrap_or_else(|e| panic!("{} no se pudo abrir: {e:?}", path.display()));
    let detected = source.detected().clone();
    (detected, source.collect())
}

fn read(name: &str) -> (Detected, Vec<Row>) {
    read_with(&fixture(name), &mini(), &ReadOptions::default())
}

fn codes(rows: &[Row]) -> Vec<&str> {
    rows.iter()
        .map(|r| r.codigo.as_deref().unwrap_or(""))
        .collect()
}

fn lines(rows: &[Row]) -> Vec<usize> {
    rows.iter().map(|r| r.line).collect()
}

fn assert_no_errors(rows: &[Row]) {
    for r in rows {
        assert!(r.errors.is_empty(), "fila {}: {:?}", r.line, r.errors);
    }
}

/// All rows of a fixture as one JSON snapshot, stored beside the fixtures.
fn snapshot(name: &str, detected: &Detected, rows: &[Row]) {
    let schema = mini();
    let value = json!({
        "detectado": detected,
        "filas": rows.iter().map(|r| show(&schema, r)).collect::<Vec<_>>(),
    });
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("fixtures/datos/instantaneas");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_json_snapshot!(format!("lectura__{name}"), value));
}

#[test]
fn comma_csv_with_quotes_multiline_cells_and_a_blank_line() {
    let (d, rows) = read("coma.csv");
    assert_eq!(d.format, "csv");
    assert_eq!(d.separator, Some(','));
    assert_eq!(d.encoding.as_deref(), Some("UTF-8"));
    assert_eq!(d.header_row, 1);
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert_eq!(codes(&rows), ["A01", "A02", "A03", "A04"]);
    // A03 spans two lines in the file but is one spreadsheet row; the blank
    // line after it is a row of its own in a spreadsheet.
    assert_eq!(lines(&rows), [2, 3, 4, 6]);
    assert_no_errors(&rows);
    let s = mini();
    assert_eq!(
        rows[0].nombre.as_deref(),
        Some("Asociación de Apicultores \"Flor de Monte\"")
    );
    assert_eq!(get(&s, &rows[0], "personeria_juridica"), json!(true));
    assert_eq!(get(&s, &rows[0], "nit"), json!(false));
    assert_eq!(get(&s, &rows[0], "asistencia_asambleas"), json!(78.5));
    assert_eq!(get(&s, &rows[0], "ventas_anuales"), json!(15000.5));
    assert_eq!(get(&s, &rows[1], "region"), json!("norte_integrado"));
    assert_eq!(get(&s, &rows[1], "nit"), json!(true));
    assert_eq!(get(&s, &rows[1], "socios_total"), json!(1200.0));
    assert_eq!(get(&s, &rows[2], "nombre"), json!("Productores de\ncacao"));
    assert_eq!(get(&s, &rows[2], "forma_juridica"), json!("coraca"));
    assert_eq!(get(&s, &rows[2], "lista_socios"), json!("no_tiene"));
    // Blank is sin dato: never false, never 0.
    assert_eq!(get(&s, &rows[2], "socias"), json!(null));
    assert_eq!(get(&s, &rows[3], "personeria_juridica"), json!(null));
    assert_eq!(get(&s, &rows[3], "lista_socios"), json!(null));
    snapshot("coma", &d, &rows);
}

#[test]
fn semicolon_csv_with_decimal_comma_and_thousands_dots() {
    let (d, rows) = read("punto_y_coma.csv");
    assert_eq!(d.separator, Some(';'));
    assert_no_errors(&rows);
    assert_eq!(lines(&rows), [2, 3, 4]);
    let s = mini();
    assert_eq!(get(&s, &rows[0], "socios_total"), json!(1200.0));
    assert_eq!(get(&s, &rows[0], "asistencia_asambleas"), json!(78.5));
    assert_eq!(get(&s, &rows[0], "ventas_anuales"), json!(15000.5));
    assert_eq!(get(&s, &rows[1], "asistencia_asambleas"), json!(66.7));
    assert_eq!(get(&s, &rows[1], "ventas_anuales"), json!(1234567.0));
    assert_eq!(get(&s, &rows[1], "personeria_juridica"), json!(true));
    assert_eq!(get(&s, &rows[1], "nit"), json!(false));
    assert_eq!(get(&s, &rows[2], "socios_total"), json!(12.0));
    assert_eq!(get(&s, &rows[2], "asistencia_asambleas"), json!(0.5));
    assert_eq!(get(&s, &rows[2], "ventas_anuales"), json!(3.25));
    snapshot("punto_y_coma", &d, &rows);
}

#[test]
fn windows_1252_is_detected_when_the_bytes_are_not_utf8() {
    let (d, rows) = read("windows1252.csv");
    assert_eq!(d.encoding.as_deref(), Some("windows-1252"));
    assert_no_errors(&rows);
    let s = mini();
    assert_eq!(
        rows[0].nombre.as_deref(),
        Some("Asociación de Productores de Caña")
    );
    assert_eq!(get(&s, &rows[0], "region"), json!("chiquitania"));
    assert_eq!(get(&s, &rows[0], "forma_juridica"), json!("asociacion"));
    assert_eq!(get(&s, &rows[0], "lista_socios"), json!("basica"));
    assert_eq!(get(&s, &rows[0], "ventas_anuales"), json!(1500.75));
    assert_eq!(get(&s, &rows[1], "region"), json!("amboro"));
    assert_eq!(get(&s, &rows[1], "nit"), json!(true));
    snapshot("windows1252", &d, &rows);
}

#[test]
fn encoding_can_be_forced() {
    let path = fixture("windows1252.csv");
    let latin1 = ReadOptions {
        encoding: Some("latin1".into()),
        ..Default::default()
    };
    let (d, rows) = read_with(&path, &mini(), &latin1);
    assert_eq!(d.encoding.as_deref(), Some("windows-1252"));
    assert_no_errors(&rows);

    // Forced to UTF-8, a header that is not UTF-8 stops the reading…
    let utf8 = ReadOptions {
        encoding: Some("utf-8".into()),
        ..Default::default()
    };
    let err = open(&path, &mini(), &utf8).err().expect("debe fallar");
    assert!(
        matches!(err, reglas::data::DataFileError::Encoding { .. }),
        "{err:?}"
    );

    // …and cells that are not UTF-8 are reported, the rows still come.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("celdas.csv");
    let header = "codigo;nombre;region;forma_juridica;personeria_juridica;nit;lista_socios;socios_total;socias;asistencia_asambleas;ventas_anuales\n";
    let mut bytes = header.as_bytes().to_vec();
    bytes.extend_from_slice(b"W01;Asociaci\xf3n;amboro;asociacion;si;no;basica;1;1;1;1\nW02;Bien;amboro;asociacion;si;no;basica;1;1;1;1\n");
    std::fs::write(&path, bytes).unwrap();
    let (_, rows) = read_with(&path, &mini(), &utf8);
    assert_eq!(codes(&rows), ["W01", "W02"]);
    assert_eq!(rows[0].errors.len(), 1, "{:?}", rows[0].errors);
    assert_eq!(rows[0].errors[0].columna.as_deref(), Some("nombre"));
    assert!(rows[0].errors[0].mensaje.contains("windows-1252"));
    assert!(rows[1].errors.is_empty());
}

#[test]
fn utf8_with_bom() {
    let (d, rows) = read("bom.csv");
    assert_eq!(d.encoding.as_deref(), Some("UTF-8 con BOM"));
    assert_eq!(codes(&rows), ["U01"]);
    assert_eq!(rows[0].nombre.as_deref(), Some("Asociación Ñandú"));
    assert_no_errors(&rows);
}

#[test]
fn sep_line_is_honoured_and_counted() {
    let (d, rows) = read("sep.csv");
    assert_eq!(d.separator, Some(';'));
    assert_eq!(d.header_row, 2);
    assert_eq!(lines(&rows), [3, 4]);
    assert_eq!(get(&mini(), &rows[0], "ventas_anuales"), json!(10.5));
    assert_no_errors(&rows);
}

#[test]
fn separator_can_be_forced() {
    let opts = ReadOptions {
        separator: Some(b';'),
        ..Default::default()
    };
    let (d, rows) = read_with(&fixture("punto_y_coma.csv"), &mini(), &opts);
    assert_eq!(d.separator, Some(';'));
    assert_eq!(rows.len(), 3);
}

#[test]
fn tsv_with_aliases_and_headers_in_any_case() {
    let (d, rows) = read("tabulador.tsv");
    assert_eq!(d.separator, Some('\t'));
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert_no_errors(&rows);
    let s = mini();
    assert_eq!(codes(&rows), ["T01", "T02"]);
    assert_eq!(get(&s, &rows[0], "socios_total"), json!(15.0));
    assert_eq!(get(&s, &rows[0], "ventas_anuales"), json!(1200.5));
    assert_eq!(get(&s, &rows[1], "personeria_juridica"), json!(false));
}

#[test]
fn title_rows_above_the_header_are_skipped_and_counted() {
    let (d, rows) = read("titulo.csv");
    assert_eq!(d.header_row, 3);
    assert_eq!(lines(&rows), [4]);
    assert_no_errors(&rows);
}

#[test]
fn kobo_export_with_groups_metadata_and_hxl_row() {
    let (d, rows) = read("kobo.csv");
    assert_eq!(d.separator, Some(';'));
    assert_eq!(codes(&rows), ["K01", "K02"]);
    // The HXL row is row 2: the first organization is row 3.
    assert_eq!(lines(&rows), [3, 4]);
    assert_no_errors(&rows);
    for meta in [
        "start",
        "end",
        "_uuid",
        "_index",
        "__version__",
        "meta/instanceID",
    ] {
        assert!(d.ignored_columns.iter().any(|c| c == meta), "{meta}");
    }
    assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
    assert!(d.warnings[0].contains("`certificaciones_tipo/organica`"));
    let s = mini();
    assert_eq!(get(&s, &rows[0], "personeria_juridica"), json!(true));
    assert_eq!(get(&s, &rows[0], "asistencia_asambleas"), json!(72.5));
    assert_eq!(get(&s, &rows[1], "nit"), json!(null));
    snapshot("kobo", &d, &rows);
}

#[test]
fn odk_central_export_with_dash_paths() {
    let (d, rows) = read("odk.csv");
    assert_eq!(d.separator, Some(','));
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert!(d.ignored_columns.iter().any(|c| c == "meta-instanceID"));
    assert!(d.ignored_columns.iter().any(|c| c == "SubmissionDate"));
    assert_no_errors(&rows);
    let s = mini();
    assert_eq!(codes(&rows), ["D01"]);
    assert_eq!(get(&s, &rows[0], "personeria_juridica"), json!(true));
    assert_eq!(get(&s, &rows[0], "nit"), json!(false));
    assert_eq!(get(&s, &rows[0], "asistencia_asambleas"), json!(64.5));
}

#[test]
fn json_array_with_native_types_and_nested_groups() {
    let (d, rows) = read("datos.json");
    assert_eq!(d.format, "json");
    assert_eq!(d.header_row, 0);
    assert_eq!(lines(&rows), [1, 2, 3, 4]);
    let s = mini();
    assert_no_errors(&rows[..2]);
    assert_eq!(get(&s, &rows[0], "personeria_juridica"), json!(true));
    assert_eq!(get(&s, &rows[0], "nit"), json!(true));
    assert_eq!(get(&s, &rows[0], "lista_socios"), json!("actualizada"));
    assert_eq!(get(&s, &rows[0], "ventas_anuales"), json!(15000.5));
    // A long numeric code keeps every digit, as text.
    assert_eq!(rows[1].codigo.as_deref(), Some("12345678901234567"));
    assert_eq!(get(&s, &rows[1], "codigo"), json!("12345678901234567"));
    assert_eq!(get(&s, &rows[1], "socias"), json!(null));
    assert_eq!(get(&s, &rows[1], "asistencia_asambleas"), json!(85.0));
    let columns: Vec<_> = rows[2]
        .errors
        .iter()
        .map(|e| e.columna.as_deref().unwrap_or(""))
        .collect();
    // Keys of a JSON object come in alphabetical order.
    assert_eq!(
        columns,
        ["asistencia_asambleas", "lista_socios", "socios_total"]
    );
    assert_eq!(rows[3].codigo, None);
    assert_eq!(rows[3].errors.len(), 1);
    snapshot("json", &d, &rows);
}

#[test]
fn json_lines_streamed_with_a_broken_line() {
    let (d, rows) = read("datos.jsonl");
    assert_eq!(d.format, "jsonl");
    assert!(d.ignored_columns.iter().any(|c| c == "_uuid"));
    assert_eq!(lines(&rows), [1, 3, 4, 5]);
    assert_eq!(codes(&rows), ["L01", "L02", "", "L04"]);
    assert_no_errors(&rows[..2]);
    assert!(rows[2].errors[0]
        .mensaje
        .contains("no es un objeto JSON válido"));
    // Keys Kobo leaves out are sin dato.
    assert_no_errors(&rows[3..]);
    assert_eq!(get(&mini(), &rows[3], "socios_total"), json!(null));
    snapshot("jsonl", &d, &rows);
}

#[test]
fn ods_with_a_title_row() {
    let (d, rows) = read("planilla.ods");
    assert_eq!(d.format, "ods");
    assert_eq!(d.sheet.as_deref(), Some("Datos"));
    assert_eq!(d.header_row, 3);
    assert_eq!(lines(&rows), [4, 5]);
    assert_no_errors(&rows);
    let s = mini();
    assert_eq!(get(&s, &rows[0], "personeria_juridica"), json!(true));
    assert_eq!(get(&s, &rows[0], "nit"), json!(false));
    assert_eq!(get(&s, &rows[0], "asistencia_asambleas"), json!(62.5));
    assert_eq!(rows[1].codigo.as_deref(), Some("1234567890123"));
    assert_eq!(get(&s, &rows[1], "nit"), json!(true));
    assert_eq!(get(&s, &rows[1], "socios_total"), json!(12.0));
    snapshot("ods", &d, &rows);
}

/// LibreOffice stores a cell shown as `78,5 %` as 0.785 with the value type
/// `percentage`, which calamine does not pass on: read from the XML.
#[test]
fn ods_percentage_cells_are_read_as_percentages() {
    let (d, rows) = read("porcentajes.ods");
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    let s = mini();
    let values: Vec<_> = rows
        .iter()
        .map(|r| get(&s, r, "asistencia_asambleas"))
        .collect();
    assert_eq!(
        values,
        [
            json!(78.5),
            json!(100.0),
            json!(50.0),
            json!(null),
            json!(72.5),
            json!(null)
        ]
    );
    assert_no_errors(&rows[..5]);
    let e = &rows[5].errors;
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].mensaje.contains("fuera de rango"), "{}", e[0].mensaje);
    // Whole percentages (62.5) stay as they are.
    let (d, rows) = read("planilla.ods");
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert_eq!(get(&s, &rows[0], "asistencia_asambleas"), json!(62.5));
}

#[test]
fn a_header_only_file_has_no_rows() {
    let (_, rows) = read("solo_encabezado.csv");
    assert!(rows.is_empty());
}

#[test]
fn the_whole_ficha_reads_without_errors() {
    let schema = esquema::ficha();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ficha.csv");
    let header: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
    let mut text = header.join(";") + "\n";
    for i in 0..3 {
        let cells: Vec<String> = schema
            .fields
            .iter()
            .map(|f| match &f.ty {
                reglas::data::FieldType::Text => format!("{}-{i}", f.name),
                reglas::data::FieldType::Bool => ["sí", "no", ""][i].to_string(),
                reglas::data::FieldType::Integer => (i * 3).to_string(),
                reglas::data::FieldType::Number => "1,5".to_string(),
                reglas::data::FieldType::Percent => "55,5".to_string(),
                reglas::data::FieldType::Category(v) => v[i % v.len()].clone(),
            })
            .collect();
        text.push_str(&cells.join(";"));
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    let (d, rows) = read_with(&path, &schema, &ReadOptions::default());
    assert!(d.warnings.is_empty());
    assert_eq!(codes(&rows), ["codigo-0", "codigo-1", "codigo-2"]);
    assert_no_errors(&rows);
    assert_eq!(rows[0].values.len(), schema.fields.len());
    assert!(rows[0].values.iter().all(Option::is_some));
}

/// A temporary file with `bytes`, for cases not worth a committed fixture.
fn temp_file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

const MINI_HEADER: &str = "codigo;nombre;region;forma_juridica;personeria_juridica;nit;lista_socios;socios_total;socias;asistencia_asambleas;ventas_anuales";

#[test]
fn excel_unicode_text_is_utf16_with_bom() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{}\r\nZ01\tAsociación Ñandú\tchaco\totra\tsí\tno\tbasica\t5\t2\t40\t\r\n",
        MINI_HEADER.replace(';', "\t")
    );
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let path = temp_file(&dir, "unicode.txt", &bytes);
    let (d, rows) = read_with(&path, &mini(), &ReadOptions::default());
    assert_eq!(d.encoding.as_deref(), Some("UTF-16LE con BOM"));
    assert_eq!(d.separator, Some('\t'));
    assert_no_errors(&rows);
    assert_eq!(rows[0].nombre.as_deref(), Some("Asociación Ñandú"));
}

#[test]
fn kobo_labels_mode_headers_match_question_texts() {
    let dir = tempfile::tempdir().unwrap();
    // `nit` declares the question «¿Tiene NIT?»; Kobo writes it with its group.
    let header = MINI_HEADER.replace(";nit;", ";Legal/¿Tiene NIT?;");
    let text = format!("{header}\nQ01;Asoc;amboro;otra;si;Sí;basica;5;2;40;\n");
    let path = temp_file(&dir, "etiquetas.csv", text.as_bytes());
    let (d, rows) = read_with(&path, &mini(), &ReadOptions::default());
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert_no_errors(&rows);
    assert_eq!(get(&mini(), &rows[0], "nit"), json!(true));
}

#[test]
fn a_form_with_many_questions_the_rules_do_not_use() {
    // Fewer than half of the columns are declared fields: still the header.
    let dir = tempfile::tempdir().unwrap();
    let extra: Vec<String> = (1..=30).map(|i| format!("pregunta_{i}")).collect();
    let header = format!("{MINI_HEADER};{}", extra.join(";"));
    let row = format!(
        "E01;Asoc;amboro;otra;si;no;basica;5;2;40;;{}",
        vec!["x"; 30].join(";")
    );
    let text = format!("Encuesta completa\n{header}\n{row}\n");
    let path = temp_file(&dir, "completa.csv", text.as_bytes());
    let (d, rows) = read_with(&path, &mini(), &ReadOptions::default());
    assert_eq!(d.header_row, 2);
    assert_eq!(d.warnings.len(), 1);
    assert!(
        d.warnings[0].starts_with("30 columnas no corresponden"),
        "{}",
        d.warnings[0]
    );
    assert_eq!(lines(&rows), [3]);
    assert_no_errors(&rows);
}

#[test]
fn kobo_api_json_with_results() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"{"count": 1, "next": null, "results": [
        {"_id": 7, "identificacion/codigo": "R01", "identificacion/nombre": "Asoc",
         "identificacion/region": "chaco", "identificacion/forma_juridica": "otra",
         "legal/personeria_juridica": "si", "legal/nit": "no", "socios/lista_socios": "basica",
         "socios/socios_total": "12", "socios/socias": "3", "socios/asistencia_asambleas": "50",
         "economia/ventas_anuales": "1,5"}]}"#;
    let path = temp_file(&dir, "kobo.json", text.as_bytes());
    let (d, rows) = read_with(&path, &mini(), &ReadOptions::default());
    assert_eq!(d.ignored_columns, ["_id"]);
    assert_eq!(codes(&rows), ["R01"]);
    assert_no_errors(&rows);
    assert_eq!(get(&mini(), &rows[0], "ventas_anuales"), json!(1.5));
}

#[test]
fn a_data_source_can_move_to_another_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<reglas::data::DataSource>();
    assert_send::<reglas::data::DataFileError>();
}

#[test]
fn windows_1252_found_after_the_first_64_kib() {
    // Plain ASCII at first (same bytes in both encodings), then an accent.
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = format!("{MINI_HEADER}\n").into_bytes();
    let n = 1500;
    for i in 0..n {
        bytes.extend(format!("A{i};Asociacion {i};chaco;otra;si;no;basica;5;2;40;\n").bytes());
    }
    bytes.extend_from_slice(b"Z1;Asociaci\xf3n Ca\xf1era;chaco;otra;s\xed;no;b\xe1sica;5;2;40;\n");
    assert!(bytes.len() > 64 * 1024);
    let path = temp_file(&dir, "tarde.csv", &bytes);
    let mut source = open(&path, &mini(), &ReadOptions::default()).unwrap();
    assert_eq!(source.detected().encoding.as_deref(), Some("UTF-8"));
    let rows: Vec<Row> = source.by_ref().collect();
    assert_eq!(rows.len(), n + 1);
    assert_no_errors(&rows);
    let last = &rows[n];
    assert_eq!(last.line, n + 2);
    assert_eq!(last.nombre.as_deref(), Some("Asociación Cañera"));
    assert_eq!(get(&mini(), last, "personeria_juridica"), json!(true));
    assert_eq!(get(&mini(), last, "lista_socios"), json!("basica"));
    let d = source.detected();
    assert_eq!(d.encoding.as_deref(), Some("UTF-8 y windows-1252"));
    assert!(d.warnings[0].starts_with(&format!("la fila {} tiene texto", n + 2)));
}

#[test]
fn a_windows_1252_row_among_utf8_rows_at_the_start() {
    // Rows pasted from two files: UTF-8 accents, and one Windows-1252 row
    // within the first 64 KiB. Each cell is read in its own encoding.
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = format!("{MINI_HEADER}\n").into_bytes();
    bytes.extend("U1;Asociación Uno;chaco;otra;sí;no;básica;5;2;40;\n".bytes());
    bytes.extend_from_slice(b"W1;Asociaci\xf3n Dos;chaco;otra;s\xed;no;b\xe1sica;5;2;40;\n");
    bytes.extend("U2;Cooperativa Tres;chaco;otra;sí;no;básica;5;2;40;\n".bytes());
    let path = temp_file(&dir, "mezcla.csv", &bytes);
    let mut source = open(&path, &mini(), &ReadOptions::default()).unwrap();
    let rows: Vec<Row> = source.by_ref().collect();
    assert_no_errors(&rows);
    let names: Vec<_> = rows.iter().map(|r| r.nombre.clone().unwrap()).collect();
    assert_eq!(
        names,
        ["Asociación Uno", "Asociación Dos", "Cooperativa Tres"]
    );
    assert_eq!(get(&mini(), &rows[1], "personeria_juridica"), json!(true));
    let d = source.detected();
    assert_eq!(d.encoding.as_deref(), Some("UTF-8 y windows-1252"));
    assert!(
        d.warnings[0].starts_with("la fila 3 tiene texto"),
        "{:?}",
        d.warnings
    );
}

#[test]
fn one_windows_1252_row_does_not_turn_later_utf8_into_mojibake() {
    // Issue 11: one Latin-1 byte in the first 64 KiB, no UTF-8 accent there,
    // UTF-8 accents further down. Each row keeps its own encoding, and the
    // rows that are not UTF-8 are named.
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = format!("{MINI_HEADER}\n").into_bytes();
    bytes.extend_from_slice(b"W1;Asociaci\xf3n Uno;chaco;otra;s\xed;no;b\xe1sica;5;2;40;\n");
    let n = 1500;
    for i in 0..n {
        bytes.extend(format!("A{i};Asociacion {i};chaco;otra;si;no;basica;5;2;40;\n").bytes());
    }
    bytes.extend("U1;Asociación Cañera;chaco;otra;sí;no;básica;5;2;40;\n".bytes());
    bytes.extend_from_slice(b"W2;Ca\xf1a;chaco;otra;s\xed;no;b\xe1sica;5;2;40;\n");
    assert!(bytes.len() > 64 * 1024);
    let path = temp_file(&dir, "un_byte.csv", &bytes);
    let mut source = open(&path, &mini(), &ReadOptions::default()).unwrap();
    let rows: Vec<Row> = source.by_ref().collect();
    assert_no_errors(&rows);
    let names: Vec<_> = [0, n + 1, n + 2]
        .iter()
        .map(|&i| rows[i].nombre.clone().unwrap())
        .collect();
    assert_eq!(names, ["Asociación Uno", "Asociación Cañera", "Caña"]);
    assert_eq!(
        get(&mini(), &rows[n + 1], "personeria_juridica"),
        json!(true)
    );
    let d = source.detected();
    assert_eq!(d.encoding.as_deref(), Some("UTF-8 y windows-1252"));
    assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
    assert!(
        d.warnings[0].starts_with(&format!("las filas 2 y {} tienen texto", n + 4)),
        "{:?}",
        d.warnings
    );
}

/// Kobo's "separate columns" export of a multiple-choice question: no
/// `economia/apoyos` column, only one 1/0 column per option.
#[test]
fn kobo_multiple_choice_as_one_column_per_option() {
    let program = reglas::load::load_file(Path::new("docs/ejemplos/mini-kobo.reglas"))
        .program
        .unwrap();
    let apoyos = program.schema.index_of("apoyos").unwrap();
    let text = std::fs::read_to_string("docs/ejemplos/kobo.csv").unwrap();
    let mut lines: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split(';').map(str::to_string).collect())
        .collect();
    let question = lines[0]
        .iter()
        .position(|h| h == "\"economia/apoyos\"")
        .unwrap();
    for l in &mut lines {
        l.remove(question);
    }
    // A third organization: the question was not asked (blank), and a
    // fourth with a value that is neither 1 nor 0.
    let mut blank = lines[3].clone();
    blank[5] = "\"KOBO-003\"".into();
    for cell in &mut blank[question..question + 3] {
        cell.clear();
    }
    let mut wrong = lines[3].clone();
    wrong[5] = "\"KOBO-004\"".into();
    wrong[question] = "\"x\"".into();
    lines.push(blank);
    lines.push(wrong);
    let dir = tempfile::tempdir().unwrap();
    let body: Vec<String> = lines.iter().map(|l| l.join(";")).collect();
    let path = temp_file(&dir, "opciones.csv", (body.join("\n") + "\n").as_bytes());

    let (d, rows) = read_with(&path, &program.schema, &ReadOptions::default());
    // The option columns make up the field: neither missing nor ignored.
    assert!(
        !d.ignored_columns.iter().any(|c| c.contains("apoyos")),
        "{:?}",
        d.ignored_columns
    );
    let values: Vec<Option<String>> = rows
        .iter()
        .map(|r| match &r.values[apoyos] {
            Some(reglas::data::Value::Text(t)) => Some(t.clone()),
            None => None,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        values,
        [
            Some("credito capacitacion".to_string()),
            Some("comercializacion".to_string()),
            None,
            Some("comercializacion".to_string()),
        ]
    );
    assert!(rows[..3].iter().all(|r| r.errors.is_empty()));
    let e = &rows[3].errors;
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].columna.as_deref(), Some("economia/apoyos/credito"));
    assert_eq!(e[0].valor.as_deref(), Some("x"));
    assert_eq!(
        e[0].mensaje,
        "en la columna de la opción `credito` se espera 1 (elegida) o 0 (no elegida)"
    );
}
