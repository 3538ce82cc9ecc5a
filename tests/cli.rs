//! The `reglas` program as analysts run it: exit codes, Spanish messages,
//! output formats, and clear errors for missing, empty or broken files.
//! Runs the built binary from the crate root, with relative paths, so
//! outputs and snapshots hold no absolute paths.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

const RULES: &str = "rules/cepac.reglas";
const DATA: &str = "rules/ejemplos/organizaciones.csv";
const DATA_ERRORS: &str = "rules/ejemplos/organizaciones-con-errores.csv";
const BROKEN: &str = "tests/fixtures/diagnosticos/varios_errores.reglas";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn reglas(args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_reglas"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("se ejecuta reglas");
    Run {
        code: out.status.code().expect("terminó con un código"),
        stdout: String::from_utf8(out.stdout).expect("salida en UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("errores en UTF-8"),
    }
}

/// Words of clap's (or miette's) English that must never reach an analyst.
const ENGLISH: &[&str] = &[
    "Usage:",
    "Options:",
    "Commands:",
    "Arguments:",
    "Print help",
    "Print version",
    "[OPTIONS]",
    "[default:",
    "possible values",
    "For more information",
    "error: unexpected",
    "error: unrecognized",
    "error: invalid value",
    "error: the following",
    "tip:",
    "panicked",
];

fn assert_spanish(text: &str) {
    for w in ENGLISH {
        assert!(!text.contains(w), "«{w}» en:\n{text}");
    }
}

/// `Leídas N filas: E evaluadas (P provisionales), R rechazadas …`
fn counts(stderr: &str) -> (usize, usize, usize) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("Leídas "))
        .unwrap_or_else(|| panic!("sin totales:\n{stderr}"));
    let nums: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    // leídas, evaluadas, provisionales, rechazadas
    assert_eq!(nums.len(), 4, "{line}");
    (nums[0], nums[1], nums[3])
}

fn jsonl(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("línea JSON no válida ({e}): {l}"))
        })
        .collect()
}

/// Splits `evaluar`'s JSON records into the audit record (always the first,
/// and only once: docs/esquema-json.md) and one record per input row.
fn audit_and_rows(records: Vec<serde_json::Value>) -> (serde_json::Value, Vec<serde_json::Value>) {
    let mut it = records.into_iter();
    let audit = it.next().expect("registro de auditoría");
    assert!(
        audit.get("auditoria").is_some(),
        "el primer registro no es la auditoría: {audit}"
    );
    let rows: Vec<serde_json::Value> = it.collect();
    assert!(
        rows.iter().all(|r| r.get("auditoria").is_none()),
        "más de un registro de auditoría"
    );
    (audit, rows)
}

/// Hashes change with every edit of the rules or the data, and the build
/// stamp with every build: out of snapshots.
fn scrub_hashes(text: &str) -> String {
    let text = &text.replace(
        &format!(
            "(commit {}, compilado el {})",
            reglas::build_info::COMMIT,
            reglas::build_info::FECHA_COMPILACION
        ),
        "(commit [commit], compilado el [fecha])",
    );
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() >= 12 {
            out.push_str("[sha256]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() || ('a'..='f').contains(&c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn input_rows(data: &str) -> usize {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(data))
        .unwrap()
        .lines()
        .count()
        - 1
}

// ---------------------------------------------------------------- verificar

#[test]
fn verificar_cepac_is_correct() {
    let r = reglas(&["verificar", RULES]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("rules/cepac.reglas: correcto (0 errores"),
        "{}",
        r.stderr
    );
    assert_spanish(&r.stderr);
}

#[test]
fn verificar_broken_file_fails_in_spanish() {
    let r = reglas(&["verificar", BROKEN]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("con errores (6 errores"), "{}", r.stderr);
    assert!(
        r.stderr.contains("no se conoce el nombre `socios_totales`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("¿Quiso decir `socios_total`?"),
        "{}",
        r.stderr
    );
    // Not a terminal and NO_COLOR: no escape codes.
    assert!(!r.stderr.contains('\u{1b}'), "{}", r.stderr);
    assert_spanish(&r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn error_formats_plain_and_json() {
    let r = reglas(&["verificar", BROKEN, "--formato-errores", "plano"]);
    assert_eq!(r.code, 1);
    for c in ['╭', '│', '─', '×', '⚠'] {
        assert!(
            !r.stderr.contains(c),
            "`{c}` en la salida plana:\n{}",
            r.stderr
        );
    }
    assert!(
        r.stderr.contains("código: reglas::nombre_desconocido"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("no se conoce el nombre `socios_totales`"),
        "{}",
        r.stderr
    );
    for w in [
        "snippet",
        "Diagnostic",
        "diagnostic code",
        "diagnostic help",
        "label at",
    ] {
        assert!(
            !r.stderr.contains(w),
            "«{w}» en la salida plana:\n{}",
            r.stderr
        );
    }

    let r = reglas(&["--formato-errores", "json", "verificar", BROKEN]);
    assert_eq!(r.code, 1);
    // Only JSON on standard error, one object per line (for editors).
    let lines = jsonl(&r.stderr);
    assert_eq!(lines.len(), 6, "{}", r.stderr);
    for v in &lines {
        assert!(v["code"].as_str().unwrap().starts_with("reglas::"), "{v}");
        assert_eq!(v["severity"], "error");
        assert_eq!(v["filename"], BROKEN);
        assert!(v["labels"][0]["span"]["offset"].is_u64(), "{v}");
    }
}

// ---------------------------------------------------------------- evaluar

#[test]
fn evaluar_table() {
    let r = reglas(&[
        "evaluar",
        RULES,
        DATA,
        "--formato",
        "tabla",
        "--fecha",
        "2025-03-15",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_spanish(&r.stdout);
    assert_spanish(&r.stderr);
    for code in ["AMB-001", "NOR-004"] {
        assert!(r.stdout.contains(code), "{}", r.stdout);
    }
    assert_eq!(counts(&r.stderr), (20, 20, 0));
    // The rows and what is said below them fit a terminal of 100 columns
    // (the audit footer names files and may be longer).
    let rows = r
        .stdout
        .split("\nOrganizaciones por nivel:")
        .next()
        .unwrap();
    for line in rows.lines() {
        assert!(line.chars().count() < 100, "{line}");
    }
    // Levels by title, never by id.
    assert!(!rows.contains("en_proceso"), "{rows}");
    insta::assert_snapshot!("evaluar_tabla", scrub_hashes(&r.stdout));
}

#[test]
fn evaluar_csv() {
    let r = reglas(&[
        "evaluar",
        RULES,
        DATA,
        "--formato",
        "csv",
        "--fecha",
        "2025-03-15",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // UTF-8 with BOM, so that Excel reads the accents.
    assert!(r.stdout.starts_with('\u{FEFF}'));
    let text = r.stdout.trim_start_matches('\u{FEFF}');
    // `;` for Excel in Spanish, or `,`: whatever follows the first column.
    let sep = text.as_bytes()["codigo".len()];
    assert!(sep == b';' || sep == b',', "{text}");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[..4], ["codigo", "nombre", "fila", "nivel"]);
    assert_eq!(reader.records().count(), 20);
    insta::assert_snapshot!("evaluar_csv", scrub_hashes(&r.stdout));
}

#[test]
fn evaluar_jsonl_one_line_per_row() {
    let r = reglas(&["evaluar", RULES, DATA, "--formato", "jsonl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (audit, lines) = audit_and_rows(jsonl(&r.stdout));
    assert_eq!(lines.len(), input_rows(DATA));
    let audit = &audit["auditoria"];
    assert_eq!(audit["reglas"][0]["archivo"], RULES);
    assert_eq!(audit["datos"][0]["archivo"], DATA);
    assert_eq!(audit["reglas"][0]["sha256"].as_str().unwrap().len(), 64);
    for (i, v) in lines.iter().enumerate() {
        for key in [
            "codigo",
            "nombre",
            "nivel",
            "provisional",
            "posibles",
            "faltan",
            "recomendaciones",
            "explicacion",
        ] {
            assert!(v.get(key).is_some(), "línea {}: falta `{key}`: {v}", i + 1);
        }
        assert_eq!(v["fila"], i + 2);
        assert!(v["provisional"].is_boolean());
        assert!(v["nivel"].is_string() || v["nivel"].is_null());
    }
    assert_eq!(lines[0]["codigo"], "AMB-001");
    // No woman holds 2 of the 7 board seats: a primordial condition of 3.3.1.
    assert_eq!(lines[0]["nivel"], "en_proceso");
    // AMB-004: no level can be decided.
    assert_eq!(lines[3]["nivel"], serde_json::Value::Null);
    assert_eq!(
        lines[3]["faltan"],
        serde_json::json!(["excedentes", "punto_equilibrio_social"])
    );
}

#[test]
fn evaluar_json_array() {
    let r = reglas(&["evaluar", RULES, DATA, "--formato", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let (_, list) = audit_and_rows(v.as_array().unwrap().clone());
    assert_eq!(list.len(), 20);
    assert!(list.iter().all(|x| x.get("explicacion").is_some()));
}

/// Rows with data errors are not evaluated but never dropped: each appears
/// in the output with its errors, and the exit code is 3.
#[test]
fn evaluar_with_data_errors() {
    let r = reglas(&["evaluar", RULES, DATA_ERRORS, "--formato", "jsonl"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let (_, lines) = audit_and_rows(jsonl(&r.stdout));
    let input_rows = input_rows(DATA_ERRORS);
    assert_eq!(lines.len(), input_rows);
    let filas: Vec<u64> = lines.iter().map(|v| v["fila"].as_u64().unwrap()).collect();
    assert_eq!(filas, (2..2 + input_rows as u64).collect::<Vec<_>>());
    let (mut evaluated, mut rejected) = (0, 0);
    for v in &lines {
        if let Some(errors) = v.get("errores") {
            rejected += 1;
            assert!(v.get("nivel").is_none(), "{v}");
            let errors = errors.as_array().unwrap();
            assert!(!errors.is_empty());
            for e in errors {
                for key in ["columna", "valor", "mensaje"] {
                    assert!(e.get(key).is_some(), "falta `{key}`: {e}");
                }
                assert!(!e["mensaje"].as_str().unwrap().is_empty());
            }
        } else {
            evaluated += 1;
            assert!(v["nivel"].is_string(), "{v}");
        }
    }
    assert_eq!((evaluated, rejected), (5, 9));
    let (read, ev, rej) = counts(&r.stderr);
    assert_eq!(read, ev + rej);
    assert_eq!((read, ev, rej), (input_rows, evaluated, rejected));
    // Every rejected row is also reported on standard error, with its row.
    for fila in [4, 5, 6, 8, 9, 10, 11, 13, 14] {
        assert!(
            r.stderr.contains(&format!("fila {fila} ")),
            "fila {fila}:\n{}",
            r.stderr
        );
    }
    assert!(
        r.stderr.contains("¿Quiso decir `actualizada`?"),
        "{}",
        r.stderr
    );
    assert_spanish(&r.stderr);

    // The CSV output keeps the rejected rows too.
    let r = reglas(&["evaluar", RULES, DATA_ERRORS, "--formato", "csv"]);
    assert_eq!(r.code, 3);
    assert_eq!(r.stdout.lines().count(), input_rows + 1);
}

#[test]
fn csv_audit_record_goes_once_beside_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("resultados.csv");
    let r = reglas(&[
        "evaluar",
        RULES,
        DATA,
        "--salida",
        out.to_str().unwrap(),
        "--fecha",
        "2025-03-15",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The rows carry no audit columns: no hash in the CSV.
    let csv_text = std::fs::read_to_string(&out).unwrap();
    assert!(!csv_text.contains("sha256"), "{csv_text}");
    assert_eq!(csv_text.lines().count(), 21);
    // The record, once, as the first object of a JSON Lines output.
    let side = dir.path().join("resultados.auditoria.json");
    let audit: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&side).unwrap()).unwrap();
    let audit = &audit["auditoria"];
    assert_eq!(audit["reglas"][0]["archivo"], RULES);
    assert_eq!(audit["datos"][0]["archivo"], DATA);
    assert_eq!(audit["datos"][0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(audit["fecha"], "2025-03-15");
    // The same record a JSON Lines output starts with.
    let r = reglas(&[
        "evaluar",
        RULES,
        DATA,
        "--formato",
        "jsonl",
        "--fecha",
        "2025-03-15",
    ]);
    let first: serde_json::Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(&first["auditoria"], audit);
    // Nothing else left in the folder (no temporary files).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn salida_writes_a_file_and_never_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("resultados.jsonl");
    let r = reglas(&["evaluar", RULES, DATA, "--salida", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    // The format follows the extension.
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(audit_and_rows(jsonl(&written)).1.len(), 20);
    assert!(r.stderr.contains("Resultados escritos en"), "{}", r.stderr);
    // No temporary file left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");

    // Over the data file: refused, the data untouched.
    let data = dir.path().join("datos.csv");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(DATA), &data).unwrap();
    let before = std::fs::read(&data).unwrap();
    let r = reglas(&[
        "evaluar",
        RULES,
        data.to_str().unwrap(),
        "--formato",
        "csv",
        "--salida",
        data.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("es uno de los archivos de entrada"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read(&data).unwrap(), before);
    // Nor over the rule file.
    let rules = dir.path().join("reglas.reglas");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(RULES), &rules).unwrap();
    let r = reglas(&[
        "evaluar",
        rules.to_str().unwrap(),
        DATA,
        "--salida",
        rules.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(&rules).unwrap(),
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(RULES)).unwrap()
    );
}

// ---------------------------------------------------------------- explicar

#[test]
fn explicar_text() {
    // By default, the short view: verdict first, what it lacks, the first
    // recommendations, where to see more.
    let r = reglas(&["explicar", RULES, DATA, "AMB-001"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[1].starts_with("Nivel «Organización en proceso de consolidación»"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("--detalle completo"));
    assert_spanish(&r.stdout);
    insta::assert_snapshot!("explicar_amb001", r.stdout);
    // The whole trace, with titles beside identifiers.
    let r = reglas(&["explicar", RULES, DATA, "AMB-001", "--detalle", "completo"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Traza completa"));
    assert!(r.stdout.contains("consolidada — Organización consolidada"));
    assert_spanish(&r.stdout);
    insta::assert_snapshot!("explicar_amb001_completo", r.stdout);
}

#[test]
fn explicar_fits_one_screen_for_every_example() {
    let data = std::fs::read_to_string(DATA).unwrap();
    let codes: Vec<String> = data
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .map(str::to_string)
        .collect();
    assert!(codes.len() >= 20);
    for code in &codes {
        let r = reglas(&["explicar", RULES, DATA, code]);
        assert_eq!(r.code, 0, "{code}: {}", r.stderr);
        let lines = r.stdout.lines().count();
        assert!(lines <= 40, "{code}: {lines} líneas\n{}", r.stdout);
        // The verdict is the second line, and no user reads a division by zero.
        let verdict = r.stdout.lines().nth(1).unwrap_or_default();
        assert!(
            [
                "Nivel «",
                "Provisional: es al menos «",
                "No se puede decidir el nivel",
                "No se asigna nivel"
            ]
            .iter()
            .any(|s| verdict.starts_with(s)),
            "{code}: {verdict}"
        );
        assert!(!r.stdout.contains("división por cero"), "{code}");
    }
}

#[test]
fn explicar_provisional_and_undecided() {
    for code in ["NOR-001", "AMB-004"] {
        let r = reglas(&["explicar", RULES, DATA, code]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(
            r.stdout.matches("rovisional").count(),
            r.stdout.matches("Provisional:").count()
        );
        insta::assert_snapshot!(format!("explicar_{code}"), r.stdout);
    }
    // A provisional result keeps its level's recommendations, after
    // "completar la ficha".
    let r = reglas(&["explicar", RULES, DATA, "NOR-001"]);
    let recs: Vec<&str> = r
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Recomendaciones"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert!(recs[0].contains("Completar la ficha"), "{recs:?}");
    assert!(recs.len() > 2, "{recs:?}");
}

#[test]
fn explicar_json() {
    let r = reglas(&["explicar", RULES, DATA, "AMB-004", "--formato", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["codigo"], "AMB-004");
    assert_eq!(v["nivel"], serde_json::Value::Null);
    assert_eq!(v["provisional"], true);
    let e = &v["explicacion"];
    assert!(e["criterios"].as_array().unwrap().len() > 20);
    assert!(e["niveles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["resultado"] == "sin dato"));
}

/// The JSON has the same short explanation as the text, in `resumen`.
#[test]
fn explicar_json_carries_the_brief_of_the_text() {
    for code in ["AMB-001", "NOR-001", "CHA-001"] {
        let json = reglas(&["explicar", RULES, DATA, code, "--formato", "json"]);
        assert_eq!(json.code, 0, "{}", json.stderr);
        let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        let b = &v["resumen"];
        let text = reglas(&["explicar", RULES, DATA, code]).stdout;
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(b["organizacion"], lines[0]);
        assert_eq!(b["veredicto"], lines[1]);
        for f in b["le_falta"].as_array().unwrap() {
            let item = format!("  - {}", f["texto"].as_str().unwrap());
            assert!(lines.contains(&item.as_str()), "{item}\n{text}");
        }
        let recs = b["recomendaciones"].as_array().unwrap();
        assert!(!recs.is_empty());
        for (i, r) in recs.iter().enumerate() {
            let item = format!("  {}. {}", i + 1, r.as_str().unwrap());
            assert!(lines.contains(&item.as_str()), "{item}\n{text}");
        }
        for f in b["fragil"].as_array().unwrap() {
            let item = format!("  - {}", f.as_str().unwrap());
            assert!(lines.contains(&item.as_str()), "{item}\n{text}");
        }
        // The result's keys are all still there.
        assert_eq!(v["codigo"], code);
        assert!(v["explicacion"]["criterios"].is_array());
    }
    let v: serde_json::Value = serde_json::from_str(
        &reglas(&["explicar", RULES, DATA, "AMB-001", "--formato", "json"]).stdout,
    )
    .unwrap();
    assert_eq!(v["resumen"]["siguiente"], "Organización consolidada");
    assert!(v["resumen"]["le_falta"][0]["texto"]
        .as_str()
        .unwrap()
        .starts_with("Liderazgo femenino en el directorio: "));
}

#[test]
fn explicar_unknown_code_suggests_the_nearest() {
    let r = reglas(&["explicar", RULES, DATA, "AMB-01"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("no hay ninguna organización con código `AMB-01`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("¿Quiso decir `AMB-001`?"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

/// `evaluar --formato jsonl --detalle-completo` writes a trace file;
/// `explicar --desde` explains any of its rows exactly as `explicar` does
/// from the rules and the data: the short view (but for the line that
/// repeats the command), the whole trace and the JSON. Every example
/// organization, with the example cleaning log applied and with data errors.
#[test]
fn explicar_from_a_trace_file_is_the_same_explanation() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (DATA, Some("rules/ejemplos/correcciones.csv")),
        (DATA, None),
        (DATA_ERRORS, Some("rules/ejemplos/correcciones.csv")),
        ("rules/ejemplos/seguimiento.csv", None),
    ];
    let hint = |text: &str| -> String {
        text.lines()
            .filter(|l| !l.contains("reglas explicar "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut explained = 0;
    for (n, (data, log)) in cases.into_iter().enumerate() {
        let trace = dir.path().join(format!("traza{n}.jsonl"));
        let trace = trace.to_str().unwrap();
        let mut args = vec![
            "evaluar",
            RULES,
            data,
            "--formato",
            "jsonl",
            "--detalle-completo",
        ];
        args.extend(["--salida", trace]);
        args.extend(log.iter().flat_map(|l| ["--correcciones", l]));
        let r = reglas(&args);
        assert!(r.code == 0 || r.code == 3, "{}", r.stderr);
        let text = std::fs::read_to_string(trace).unwrap();
        let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(first["traza"]["formato"], "reglas-traza");
        assert!(first["auditoria"].is_object());
        let codes: Vec<String> = std::fs::read_to_string(data)
            .unwrap()
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').next())
            .map(str::to_string)
            .collect();
        // One line per row, in order, after the header.
        assert_eq!(text.lines().count(), codes.len() + 1);
        for code in &codes {
            for how in [&[][..], &["--detalle", "completo"], &["--formato", "json"]] {
                let mut direct = vec!["explicar", RULES, data, code];
                direct.extend(log.iter().flat_map(|l| ["--correcciones", l]));
                direct.extend(how);
                let mut from = vec!["explicar", "--desde", trace, code];
                from.extend(how);
                let (a, b) = (reglas(&direct), reglas(&from));
                assert_eq!(a.code, b.code, "{code} {how:?}: {}\n{}", a.stderr, b.stderr);
                assert_eq!(hint(&a.stdout), hint(&b.stdout), "{code} {how:?}");
                // A rejected row: the same errors, in the data file's name.
                if a.code == 3 {
                    assert_eq!(a.stderr, b.stderr, "{code} {how:?}");
                }
                explained += usize::from(a.code == 0);
            }
        }
    }
    assert!(explained > 150, "{explained}");
    // By row, too; and the command it suggests works.
    let trace = dir.path().join("traza1.jsonl");
    let trace = trace.to_str().unwrap();
    let r = reglas(&["explicar", "--desde", trace, "--fila", "2"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("AMB-001"), "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!(
            "reglas explicar --desde {trace} --fila 2 --detalle completo"
        )),
        "{}",
        r.stdout
    );
    assert_spanish(&r.stdout);
}

#[test]
fn explicar_desde_a_file_that_is_not_a_trace() {
    let dir = tempfile::tempdir().unwrap();
    let compact = dir.path().join("compacto.jsonl");
    let compact = compact.to_str().unwrap();
    let trace = dir.path().join("traza.jsonl");
    let trace = trace.to_str().unwrap();
    for (file, full) in [(compact, &[][..]), (trace, &["--detalle-completo"])] {
        let mut args = vec![
            "evaluar",
            RULES,
            DATA,
            "--formato",
            "jsonl",
            "--salida",
            file,
        ];
        args.extend(full);
        let r = reglas(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    for (file, says) in [
        (compact, "no tiene la traza completa"),
        (DATA, "no es el registro de auditoría"),
    ] {
        let r = reglas(&["explicar", "--desde", file, "AMB-001"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.contains(says), "{}", r.stderr);
        assert!(r.stdout.is_empty());
        assert_spanish(&r.stderr);
    }
    // A row edited by hand is refused, not guessed at.
    let text = std::fs::read_to_string(trace).unwrap();
    let broken = text.replacen("\"niveles\":\"", "\"niveles\":\"zz", 1);
    std::fs::write(trace, broken).unwrap();
    let r = reglas(&["explicar", "--desde", trace, "AMB-001"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("`niveles`"), "{}", r.stderr);
    let r = reglas(&["explicar", "--desde", trace, "AMB-01"]);
    assert!(r.stderr.contains("¿Quiso decir `AMB-001`?"), "{}", r.stderr);
    let r = reglas(&["explicar", "--desde", trace]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn explicar_a_rejected_row() {
    let r = reglas(&["explicar", RULES, DATA_ERRORS, "CHI-010"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("columna `nit`"), "{}", r.stderr);
}

// ---------------------------------------------------------------- usage

#[test]
fn help_is_spanish() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["evaluar", "--help"],
        &["verificar", "--help"],
        &["explicar", "--help"],
    ] {
        let r = reglas(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(r.stdout.contains("Uso:"), "{args:?}:\n{}", r.stdout);
        assert_spanish(&r.stdout);
    }
    let r = reglas(&["--help"]);
    for cmd in ["verificar", "evaluar", "explicar"] {
        assert!(r.stdout.contains(cmd), "{}", r.stdout);
    }
    let r = reglas(&["evaluar", "--help"]);
    for opt in ["--formato", "--salida"] {
        assert!(r.stdout.contains(opt), "{}", r.stdout);
    }
}

#[test]
fn usage_errors_exit_2_in_spanish() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["evaluarr", RULES, DATA],
            "no existe el comando `evaluarr`",
        ),
        (&["evaluar", RULES], "faltan argumentos"),
        (
            &["evaluar", RULES, DATA, "--formato", "excel"],
            "valor no válido `excel`",
        ),
        (
            &["evaluar", RULES, DATA, "--formto", "csv"],
            "no se reconoce la opción",
        ),
        (&["verificar"], "faltan argumentos"),
        (&[], ""),
    ];
    for (args, words) in cases {
        let r = reglas(args);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        let all = format!("{}{}", r.stdout, r.stderr);
        assert!(all.contains(words), "{args:?}: {all}");
        assert!(all.contains("Uso:"), "{args:?}: {all}");
        assert_spanish(&all);
    }
    // The unknown command gets a suggestion, the bad value the valid ones.
    assert!(reglas(&["evaluarr", RULES, DATA])
        .stderr
        .contains("¿Quiso decir `evaluar`?"));
    let r = reglas(&["evaluar", RULES, DATA, "--formato", "excel"]);
    for v in ["tabla", "csv", "jsonl", "json"] {
        assert!(r.stderr.contains(v), "{}", r.stderr);
    }
}

// ---------------------------------------------------------------- unreadable files

#[test]
fn missing_files() {
    let r = reglas(&["verificar", "rules/no_existe.reglas"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("no existe el archivo de reglas `rules/no_existe.reglas`"),
        "{}",
        r.stderr
    );

    let r = reglas(&["evaluar", "rules/no_existe.reglas", DATA]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("no existe el archivo de reglas"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());

    let r = reglas(&["evaluar", RULES, "rules/ejemplos/no_existe.csv"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("no_existe.csv"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert_spanish(&r.stderr);

    let r = reglas(&["explicar", RULES, "rules/ejemplos/no_existe.csv", "AMB-001"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn empty_and_non_utf8_rule_files() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("vacio.reglas");
    std::fs::write(&empty, "\n  \n").unwrap();
    let r = reglas(&["verificar", empty.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("reglas::archivo_vacio"), "{}", r.stderr);
    assert!(r.stderr.contains("está vacío"), "{}", r.stderr);

    let latin1 = dir.path().join("latin1.reglas");
    std::fs::write(
        &latin1,
        b"reglas \"Caracterizaci\xf3n\"\ncampo codigo: texto\n",
    )
    .unwrap();
    let r = reglas(&["evaluar", latin1.to_str().unwrap(), DATA]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("reglas::codificacion"), "{}", r.stderr);
    assert!(
        r.stderr.contains("no está en UTF-8: se leyó como"),
        "{}",
        r.stderr
    );
    // Read, so the next problem is the file's own: it declares no level.
    assert!(r.stderr.contains("reglas::sin_niveles"), "{}", r.stderr);
    assert!(r.stdout.is_empty());

    // A complete rule file saved by the old Notepad ("ANSI") evaluates,
    // with its accents, and says how to save it as UTF-8.
    let ansi = dir.path().join("ansi.reglas");
    let utf8 = std::fs::read_to_string("rules/cepac.reglas").unwrap();
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&utf8);
    assert!(!unmappable);
    std::fs::write(&ansi, &bytes).unwrap();
    let r = reglas(&["evaluar", ansi.to_str().unwrap(), DATA, "--formato", "csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("se leyó como Windows-1252"),
        "{}",
        r.stderr
    );
    let utf8_run = reglas(&["evaluar", RULES, DATA, "--formato", "csv"]);
    let levels = |s: &str| {
        s.lines()
            .map(|l| l.split(';').take(6).collect::<Vec<_>>().join(";"))
            .collect::<Vec<_>>()
    };
    assert_eq!(levels(&r.stdout), levels(&utf8_run.stdout));

    // Bytes that are not text in any encoding are still refused.
    let binary = dir.path().join("roto.reglas");
    std::fs::write(&binary, b"reglas \"x\"\n\x00\x01\xff\n").unwrap();
    let r = reglas(&["evaluar", binary.to_str().unwrap(), DATA]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("ni parece texto"), "{}", r.stderr);
    assert!(
        r.stderr.contains("No se evaluó ninguna organización"),
        "{}",
        r.stderr
    );

    let folder = reglas(&["verificar", "rules"]);
    assert_eq!(folder.code, 1);
    assert!(
        folder.stderr.contains("es una carpeta"),
        "{}",
        folder.stderr
    );
}

#[test]
fn data_file_with_only_a_header_or_empty() {
    let dir = tempfile::tempdir().unwrap();
    let header = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(DATA)).unwrap();
    let header = header.lines().next().unwrap();

    let only_header = dir.path().join("solo_encabezado.csv");
    std::fs::write(&only_header, format!("{header}\n")).unwrap();
    let r = reglas(&[
        "evaluar",
        RULES,
        only_header.to_str().unwrap(),
        "--formato",
        "jsonl",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("no tiene ninguna organización"),
        "{}",
        r.stderr
    );
    // At most the audit record, no result.
    assert!(
        jsonl(&r.stdout)
            .iter()
            .all(|v| v.get("auditoria").is_some()),
        "{}",
        r.stdout
    );
    assert_spanish(&r.stderr);

    let empty = dir.path().join("vacio.csv");
    std::fs::write(&empty, "").unwrap();
    let r = reglas(&[
        "evaluar",
        RULES,
        empty.to_str().unwrap(),
        "--formato",
        "jsonl",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("vacio.csv"), "{}", r.stderr);
    assert!(r.stderr.contains("vacío"), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_spanish(&r.stderr);
}

/// `reglas --version` names the exact build: version, git commit (the one
/// checked out, when the tests run in a git checkout) and build date.
#[test]
fn version_names_commit_and_build_date() {
    let r = reglas(&["--version"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = r.stdout.trim_end();
    let (version, rest) = line
        .strip_prefix("reglas ")
        .and_then(|l| l.split_once(" (commit "))
        .unwrap_or_else(|| panic!("{line}"));
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    let (commit, date) = rest
        .strip_suffix(')')
        .and_then(|r| r.split_once(", compilado el "))
        .unwrap_or_else(|| panic!("{line}"));
    let digits: Vec<&str> = date.split('-').collect();
    assert!(
        digits.len() == 3 && digits.iter().all(|d| d.parse::<u32>().is_ok()),
        "{date}"
    );
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match head {
        Some(h) if std::env::var_os("REGLAS_COMMIT").is_none() => assert_eq!(commit, h),
        _ => assert!(!commit.is_empty()),
    }
    // The same words in every audit record.
    let r = reglas(&["evaluar", RULES, DATA, "--formato", "jsonl"]);
    let (audit, _) = audit_and_rows(jsonl(&r.stdout));
    assert_eq!(audit["auditoria"]["commit_programa"], commit);
    assert_eq!(audit["auditoria"]["fecha_compilacion"], date);
    let r = reglas(&["evaluar", RULES, DATA, "--formato", "tabla"]);
    assert!(r.stdout.contains(line), "{}", r.stdout);
}

/// With no arguments on a terminal (here a pseudo-terminal made by
/// util-linux's `script`), a person gets a Spanish welcome instead of a usage
/// error, and its three commands work as written on the shipped examples.
/// Without a terminal (scripts, `usage_errors_exit_2_in_spanish`) nothing
/// changes.
#[test]
fn welcome_on_a_terminal_with_no_arguments() {
    let bin = env!("CARGO_BIN_EXE_reglas");
    let Ok(out) = Command::new("script")
        .args(["-qec", bin, "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .output()
    else {
        eprintln!("sin `script` (util-linux): no se prueba la bienvenida en una terminal");
        return;
    };
    let text = String::from_utf8(out.stdout).unwrap().replace("\r\n", "\n");
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("Bienvenido a reglas"), "{text}");
    assert!(text.contains("docs/guia-analistas.md"), "{text}");
    assert_spanish(&text);
    let commands: Vec<Vec<&str>> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("reglas "))
        .filter(|l| !l.starts_with(|c: char| c.is_ascii_digit()) && !l.starts_with("--"))
        .map(|l| l.split_whitespace().collect())
        .collect();
    let names: Vec<&str> = commands.iter().map(|c| c[0]).collect();
    assert_eq!(names, ["verificar", "evaluar", "explicar"], "{text}");
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("resultados.xlsx");
    for mut args in commands {
        if let Some(out) = args.iter().position(|a| *a == "--salida") {
            args[out + 1] = xlsx.to_str().unwrap();
        }
        let r = reglas(&args);
        assert_eq!(r.code, 0, "{args:?}: {}{}", r.stdout, r.stderr);
    }
    assert!(xlsx.exists());
}

/// With `--formato-errores json`, every failure, not only the rule file's,
/// is one JSON object per line with its code, message and (for a file) its
/// place; nothing else reaches standard error.
#[test]
fn every_failure_is_json_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let missing_folder = dir.path().join("no_existe").join("r.csv");
    let missing_folder = missing_folder.to_str().unwrap();
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["evaluar", RULES, "no-existe.csv"],
            1,
            "reglas::datos::no_existe",
        ),
        (&["evaluar", "no-existe.reglas", DATA], 1, "reglas::archivo"),
        (
            &["evaluar", RULES, DATA, "--separador", "x"],
            2,
            "reglas::opcion",
        ),
        (
            &["evaluar", RULES, DATA, "--formto", "csv"],
            2,
            "reglas::opcion",
        ),
        (&["evaluar", RULES], 2, "reglas::opcion"),
        (&["evaluar", RULES, RULES], 1, "reglas::entrada"),
        (
            &["explicar", RULES, DATA, "NO-EXISTE"],
            1,
            "reglas::entrada",
        ),
        (
            &["evaluar", RULES, DATA, "--salida", missing_folder],
            1,
            "reglas::salida",
        ),
        (
            &["informe", RULES, DATA, "--salida", RULES],
            1,
            "reglas::salida",
        ),
    ];
    for (args, exit, code) in cases {
        let mut all = vec!["--formato-errores", "json"];
        all.extend_from_slice(args);
        let r = reglas(&all);
        assert_eq!(r.code, *exit, "{args:?}: {}", r.stderr);
        let lines: Vec<&str> = r.stderr.lines().filter(|l| !l.is_empty()).collect();
        assert!(!lines.is_empty(), "{args:?}: nothing on stderr");
        let objects: Vec<serde_json::Value> = lines
            .iter()
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("{args:?}: `{l}` is not JSON: {e}"))
            })
            .collect();
        assert!(
            objects
                .iter()
                .any(|o| o["code"] == *code && o["message"].is_string()),
            "{args:?}: no {code} in {}",
            r.stderr
        );
    }
}

/// Operating-system errors reach the analyst in Spanish, with the code the
/// system gave only as a number.
#[test]
fn a_folder_as_rules_is_said_in_spanish() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("carpeta.reglas");
    std::fs::create_dir(&folder).unwrap();
    let r = reglas(&["verificar", folder.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(!r.stderr.contains("os error"), "{}", r.stderr);
    assert!(r.stderr.contains("carpeta"), "{}", r.stderr);
}

/// A path with a space written without quotes: the word left over is named
/// and the quoted path suggested.
#[test]
fn a_path_with_a_space_gets_the_quotes_suggested() {
    let r = reglas(&["evaluar", RULES, "Mis", "datos/Año.csv"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("sobra el argumento `datos/Año.csv`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("\"Mis datos/Año.csv\""), "{}", r.stderr);
    // A part that starts with `-` looks like an option to the parser.
    let r = reglas(&["evaluar", RULES, "Encuesta", "-Año.csv"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("\"Encuesta -Año.csv\""), "{}", r.stderr);
    assert!(r.stderr.contains("entre comillas"), "{}", r.stderr);
    // A mistyped option is not taken for a path.
    let r = reglas(&["evaluar", RULES, DATA, "-x"]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("entre comillas"), "{}", r.stderr);
}

/// The format never changes with where the output goes: piped or
/// redirected, `evaluar` writes the same table as on a terminal.
#[test]
fn the_table_is_the_default_also_in_a_pipe() {
    let r = reglas(&["evaluar", RULES, DATA]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.trim_start().starts_with('{'), "{}", r.stdout);
    assert!(r.stdout.contains("AMB-001"), "{}", r.stdout);
    assert!(r.stdout.contains("nivel"), "{}", r.stdout);
}

#[test]
fn every_command_that_writes_a_file_asks_before_replacing_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (csv, html, avance, plantilla) = (out("r.csv"), out("i.html"), out("a.json"), out("p.csv"));
    let commands: Vec<Vec<&str>> = vec![
        vec!["evaluar", RULES, DATA, "--salida", &csv],
        vec!["informe", RULES, DATA, "--salida", &html],
        vec!["avance", RULES, DATA, DATA, "--salida", &avance],
        vec!["plantilla", RULES, "--salida", &plantilla],
    ];
    for args in &commands {
        let first = reglas(args);
        assert!(
            first.code == 0 || first.code == 3,
            "{args:?}: {}",
            first.stderr
        );
        let dest = args[args.len() - 1];
        std::fs::write(dest, "trabajo de otra persona").unwrap();
        let again = reglas(args);
        assert_eq!(again.code, 1, "{args:?}: {}", again.stderr);
        assert!(
            again.stderr.contains("ya existe"),
            "{args:?}: {}",
            again.stderr
        );
        assert!(
            again.stderr.contains("--sobrescribir"),
            "{args:?}: {}",
            again.stderr
        );
        assert_eq!(
            std::fs::read_to_string(dest).unwrap(),
            "trabajo de otra persona"
        );
        let mut forced = args.clone();
        forced.push("--sobrescribir");
        let replaced = reglas(&forced);
        assert!(
            replaced.code == 0 || replaced.code == 3,
            "{forced:?}: {}",
            replaced.stderr
        );
        assert_ne!(
            std::fs::read_to_string(dest).unwrap(),
            "trabajo de otra persona"
        );
    }
}

#[test]
fn the_output_format_does_not_depend_on_where_it_goes() {
    // Standard output here is a pipe, not a terminal: still the table,
    // the same bytes as the `.txt` file.
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("r.txt");
    let piped = reglas(&["evaluar", RULES, DATA, "--fecha", "2025-01-01"]);
    let header = piped.stdout.lines().next().unwrap_or_default();
    assert!(
        header.contains("código") && header.contains("nivel"),
        "{}",
        piped.stdout
    );
    assert!(
        !piped.stdout.trim_start().starts_with('{'),
        "{}",
        piped.stdout
    );
    let filed = reglas(&[
        "evaluar",
        RULES,
        DATA,
        "--fecha",
        "2025-01-01",
        "--salida",
        txt.to_str().unwrap(),
    ]);
    assert_eq!(filed.code, 0, "{}", filed.stderr);
    assert_eq!(std::fs::read_to_string(&txt).unwrap(), piped.stdout);
    // `explicar`, `comparar`, `verificar` have one text format too.
    for args in [
        vec!["explicar", RULES, DATA, "AMB-001"],
        vec!["comparar", RULES, RULES, DATA],
    ] {
        let r = reglas(&args);
        assert!(
            !r.stdout.trim_start().starts_with('{'),
            "{args:?}: {}",
            r.stdout
        );
    }
}

/// A spreadsheet made before a field was added to the rules: refused, with
/// the option named; with the option, the column is "sin dato" everywhere
/// and said so, and no row is lost.
#[test]
fn missing_column_refused_or_read_as_blank() {
    const OLD: &str = "tests/fixtures/evaluar/sin_columna_socias.csv";
    let refused = reglas(&["evaluar", RULES, OLD, "--formato", "csv"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("falta la columna `socias`"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("--columnas-faltantes-sin-dato"),
        "{}",
        refused.stderr
    );
    assert!(refused.stdout.is_empty());

    let run = reglas(&[
        "evaluar",
        RULES,
        OLD,
        "--formato",
        "csv",
        "--columnas-faltantes-sin-dato",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "no está la columna `socias` en el archivo: se toma como sin dato en todas las filas"
        ),
        "{}",
        run.stderr
    );
    assert_spanish(&run.stderr);
    let records: Vec<&str> = run.stdout.lines().skip(1).collect();
    assert_eq!(records.len(), 5, "{}", run.stdout);
    // AMB-002 is en_proceso whatever its women members are; AMB-004 could
    // be consolidada, and now also needs `socias` to tell.
    assert!(
        records[1].starts_with("AMB-002;")
            && records[1].contains(";Organización en proceso de consolidación;en_proceso;no;")
    );
    assert!(records[3].starts_with("AMB-004;") && records[3].contains("socias"));
}

/// Level and possible levels of each row of a `--formato csv` output, by code.
fn levels_by_code(csv: &str) -> std::collections::BTreeMap<String, (String, String)> {
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (codigo, nivel, posibles) = (col("codigo"), col("id_nivel"), col("id_posibles"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(';').collect();
            (
                f[codigo].to_string(),
                (f[nivel].to_string(), f[posibles].to_string()),
            )
        })
        .collect()
}

/// One mixed file, each row with its region's variant: the same levels as
/// evaluating each region's file with its variant, and every output says
/// which rules each row used.
#[test]
fn variants_evaluate_each_row_with_its_region() {
    const MIXED: &str = "rules/regiones/ejemplos/mixto.csv";
    let run = reglas(&[
        "evaluar",
        RULES,
        MIXED,
        "--variantes",
        "rules/regiones",
        "--formato",
        "csv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(
        "Variantes: region = chaco → rules/regiones/chaco.reglas; region = chiquitania → rules/regiones/chiquitania.reglas"
    ), "{}", run.stderr);
    let header = run.stdout.lines().next().unwrap();
    assert!(header.ends_with(";errores;variante"), "{header}");
    let mixed = levels_by_code(&run.stdout);
    assert_eq!(mixed.len(), 20);
    for (region, data) in [
        ("chaco", "rules/regiones/ejemplos/chaco.csv"),
        ("chiquitania", "rules/regiones/ejemplos/chiquitania.csv"),
    ] {
        let rules = format!("rules/regiones/{region}.reglas");
        let alone = reglas(&["evaluar", &rules, data, "--formato", "csv"]);
        assert_eq!(alone.code, 0, "{}", alone.stderr);
        for (code, levels) in levels_by_code(&alone.stdout) {
            assert_eq!(mixed[&code], levels, "{code}");
        }
    }
    let row = |code: &str| {
        run.stdout
            .lines()
            .find(|l| l.starts_with(code))
            .unwrap()
            .to_string()
    };
    assert!(row("CHA-001;").ends_with(";chaco"));
    assert!(row("AMB-001;").ends_with(";general"));
    // The audit record beside the CSV names every rule file used.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mixto.csv");
    let saved = reglas(&[
        "evaluar",
        RULES,
        MIXED,
        "--variantes",
        "rules/regiones",
        "--salida",
        out.to_str().unwrap(),
    ]);
    assert_eq!(saved.code, 0, "{}", saved.stderr);
    let audit = std::fs::read_to_string(dir.path().join("mixto.auditoria.json")).unwrap();
    assert!(audit.contains("rules/regiones/chaco.reglas"), "{audit}");

    let jsonl = reglas(&[
        "evaluar",
        RULES,
        MIXED,
        "--variantes",
        "rules/regiones",
        "--formato",
        "jsonl",
    ]);
    assert_eq!(jsonl.code, 0, "{}", jsonl.stderr);
    let chi: serde_json::Value = serde_json::from_str(
        jsonl
            .stdout
            .lines()
            .find(|l| l.contains("\"CHI-002\""))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(chi["variante"], "chiquitania");
}

/// Every problem with the variants is reported, in Spanish, before anything
/// is evaluated.
#[test]
fn variants_that_cannot_be_used_are_refused() {
    let run = reglas(&[
        "evaluar",
        RULES,
        "rules/regiones/ejemplos/mixto.csv",
        "--variantes",
        "docs/ejemplos/variantes-con-errores",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_spanish(&run.stderr);
    assert_eq!(
        run.stderr.matches("reglas::variantes").count(),
        2,
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("variantes-con-errores/chaco.reglas` no está basada en"));
    assert!(run
        .stderr
        .contains("variantes-con-errores/yungas.reglas` no corresponde a ningún valor"));

    let no_column = reglas(&["evaluar", RULES, DATA, "--variantes", "rules/regiones"]);
    assert_eq!(no_column.code, 1, "{}", no_column.stderr);
    assert!(no_column.stderr.contains("falta la columna `acceso_agua`"));
    assert!(no_column
        .stderr
        .contains("(al leer los datos con las reglas de la variante rules/regiones/chaco.reglas)"));
}

/// `formatear` rewrites a rule file saved in Windows-1252 as UTF-8, as the
/// warning about it says.
#[test]
fn formatear_saves_a_windows_1252_file_as_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ansi.reglas");
    std::fs::copy("docs/ejemplos/errores/windows-1252.reglas", &file).unwrap();
    let f = file.to_str().unwrap();
    let run = reglas(&["formatear", f]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("reglas::codificacion"),
        "{}",
        run.stderr
    );
    let text = String::from_utf8(std::fs::read(&file).unwrap()).expect("UTF-8 ya");
    assert!(text.contains("reglas \"Participación\""), "{text}");
    let again = reglas(&["verificar", f]);
    assert!(
        again
            .stderr
            .contains("correcto (0 errores y 0 advertencias)"),
        "{}",
        again.stderr
    );
}
