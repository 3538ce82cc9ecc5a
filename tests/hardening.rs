//! Hostile and careless inputs (issue 11): data never lost or merged
//! silently, outputs never written over rules or inputs, memory bounded by
//! the real content, foreign files never read nor echoed, no crash. Runs the
//! built binary from the crate root with relative paths.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

const RULES: &str = "tests/fixtures/hardening/reglas.reglas";

fn fixture(name: &str) -> String {
    format!("tests/fixtures/hardening/{name}")
}

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
        .stdin(Stdio::null())
        .output()
        .expect("se ejecuta reglas");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
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
    (nums[0], nums[1], nums[3])
}

/// The result records of `--formato jsonl` (the audit record left out).
fn rows(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v.get("auditoria").is_none())
        .collect()
}

/// `(fila, codigo, rejected)` of every result record.
fn row_summary(stdout: &str) -> Vec<(u64, String, bool)> {
    rows(stdout)
        .iter()
        .map(|r| {
            (
                r["fila"].as_u64().unwrap(),
                r["codigo"].as_str().unwrap_or("").to_string(),
                r.get("errores").is_some(),
            )
        })
        .collect()
}

/// Data lines of a text file (not blank, header left out).
fn data_lines(path: &str) -> usize {
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    bytes
        .split(|&b| b == b'\n' || b == b'\r')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .count()
        - 1
}

/// `reglas evaluar RULES data --formato jsonl`, with a fixed date.
fn evaluar_jsonl(data: &str) -> Run {
    reglas(&[
        "evaluar",
        RULES,
        data,
        "--formato",
        "jsonl",
        "--fecha",
        "2026-01-01",
    ])
}

fn assert_has(text: &str, part: &str) {
    assert!(text.contains(part), "«{part}» no está en:\n{text}");
}

fn error_lines(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| l.starts_with("error:") || l.starts_with("advertencia:"))
        .collect::<Vec<_>>()
        .join("\n")
}

// 1. An unclosed quote swallowed the following rows silently.

#[test]
fn unclosed_quote_rejects_every_row_it_swallows() {
    for (name, evaluated) in [
        ("comilla_sin_cerrar.csv", 4),
        ("comilla_sin_cerrar_sin_salto.csv", 4),
        ("comilla_cerrada_lejos.csv", 5),
    ] {
        let data = fixture(name);
        let r = evaluar_jsonl(&data);
        assert_eq!(r.code, 3, "{}", r.stderr);
        let (read, ok, rejected) = counts(&r.stderr);
        assert_eq!(read, data_lines(&data), "{name}: {}", r.stderr);
        assert_eq!((ok, read - rejected), (evaluated, evaluated), "{name}");
        // Every row of the file comes out once, in order, with its own number.
        let out = row_summary(&r.stdout);
        let lines: Vec<u64> = out.iter().map(|(l, _, _)| *l).collect();
        assert_eq!(lines, (2..2 + read as u64).collect::<Vec<_>>(), "{name}");
        let codes: Vec<String> = out.iter().map(|(_, c, _)| c.clone()).collect();
        let expected: Vec<String> = (1..=read).map(|i| format!("C{i:03}")).collect();
        assert_eq!(codes, expected, "{name}");
        insta::assert_snapshot!(format!("comillas_{name}"), error_lines(&r.stderr));
    }
}

// 12. A lone CR (old Mac line end) merged rows.

#[test]
fn lone_carriage_return_ends_a_row() {
    for name in ["solo_cr.csv", "cr_suelto.csv"] {
        let data = fixture(name);
        let r = evaluar_jsonl(&data);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        let out = row_summary(&r.stdout);
        assert_eq!(
            out,
            vec![
                (2, "C001".to_string(), false),
                (3, "C002".to_string(), false),
                (4, "C003".to_string(), false)
            ],
            "{name}"
        );
        assert!(r.stdout.contains("\"nivel\":\"bajo\""), "{}", r.stdout);
    }
}

// 2. `--salida` could overwrite the base a variant is `basado en`.

#[test]
fn salida_never_writes_over_a_rule_file_of_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = dir.path().join("base.reglas");
    std::fs::copy(root.join(RULES), &base).unwrap();
    let variant = dir.path().join("variante.reglas");
    std::fs::write(
        &variant,
        "reglas \"Variante\" versión \"1\" basado en \"base.reglas\"\n",
    )
    .unwrap();
    let link = dir.path().join("enlace.csv");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&base, &link).unwrap();
    let before = std::fs::read(&base).unwrap();
    let data = root.join(fixture("datos.csv"));
    let (variant, data) = (variant.to_str().unwrap(), data.to_str().unwrap());
    let base_upper = dir.path().join("BASE.REGLAS");
    let mut targets = vec![base.clone(), base_upper];
    if cfg!(unix) {
        targets.push(link.clone());
    }
    for target in &targets {
        let target = target.to_str().unwrap();
        for args in [
            vec![
                "evaluar",
                variant,
                data,
                "--formato",
                "csv",
                "--salida",
                target,
            ],
            vec![
                "informe",
                variant,
                data,
                "--formato",
                "html",
                "--salida",
                target,
            ],
            vec!["avance", variant, data, data, "--salida", target],
        ] {
            let r = reglas(&args);
            assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
            assert!(
                r.stderr.contains("es un archivo de reglas (`.reglas`)"),
                "{args:?}: {}",
                r.stderr
            );
            assert_eq!(std::fs::read(&base).unwrap(), before, "{args:?}");
        }
    }
    assert!(!dir.path().join("BASE.REGLAS").exists());
}

// 5. The temporary file followed a link planted at its predictable name, and
// `formatear` changed the permissions of the file it pointed to.

#[cfg(unix)]
#[test]
fn temporary_files_never_follow_a_planted_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victima.txt");
    std::fs::write(&victim, "secreto\n").unwrap();
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o600)).unwrap();
    let rules = dir.path().join("r.reglas");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(RULES)).unwrap();
    std::fs::write(
        &rules,
        text.replace("campo socios: entero", "campo   socios:   entero"),
    )
    .unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture("datos.csv"));
    // `exec` keeps the shell's process number, which the old names used.
    let script = format!(
        "ln -s victima.txt .r.reglas.$$.formato.tmp && ln -s victima.txt .salida.jsonl.$$.tmp && \
         exec {bin} {args}",
        bin = env!("CARGO_BIN_EXE_reglas"),
        args = "\"$@\"",
    );
    for args in [
        vec!["formatear", "r.reglas"],
        vec![
            "evaluar",
            "r.reglas",
            data.to_str().unwrap(),
            "--salida",
            "salida.jsonl",
        ],
    ] {
        let out = Command::new("sh")
            .arg("-c")
            .arg(&script)
            .arg("sh")
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            std::fs::read_to_string(&victim).unwrap(),
            "secreto\n",
            "{args:?}"
        );
        let mode = std::fs::metadata(&victim).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{args:?}");
        for e in std::fs::read_dir(dir.path()).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "tmp") {
                std::fs::remove_file(p).unwrap();
            }
        }
    }
    assert!(std::fs::read_to_string(&rules)
        .unwrap()
        .contains("campo socios: entero"));
    assert!(std::fs::read_to_string(dir.path().join("salida.jsonl"))
        .unwrap()
        .contains("C002"));
}

// 10. Ctrl-C left hidden temporary files behind.

#[cfg(unix)]
#[test]
fn interrupting_removes_temporary_files_and_keeps_earlier_outputs() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("muchas.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&data).unwrap());
    writeln!(f, "codigo;nombre;socios;activa;rubro").unwrap();
    for i in 0..400_000 {
        writeln!(f, "C{i};Organización {i};{};sí;café", i % 40).unwrap();
    }
    drop(f);
    let out = dir.path().join("resultados.jsonl");
    std::fs::write(&out, "resultados anteriores\n").unwrap();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join(RULES);
    let mut child = Command::new(env!("CARGO_BIN_EXE_reglas"))
        .args(["evaluar", rules.to_str().unwrap(), data.to_str().unwrap()])
        .arg("--salida")
        .arg(&out)
        .arg("--sobrescribir")
        .args(["--formato", "jsonl"])
        .arg("--detalle-completo")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .current_dir(dir.path())
        .spawn()
        .unwrap();
    // Wait for the temporary file to appear, then press Ctrl-C.
    let temporaries = || {
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .count()
    };
    let mut seen = false;
    for _ in 0..3000 {
        if temporaries() > 0 {
            seen = true;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(seen, "no temporary file appeared");
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert_eq!(status.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("Interrumpido"), "{stderr}");
    assert_eq!(temporaries(), 0);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "resultados anteriores\n"
    );
}

// 9. A standard output that cannot be written gave exit 0; a standard
// error that cannot be written made the program panic.

#[cfg(target_os = "linux")]
#[test]
fn unwritable_standard_streams_fail_without_a_crash() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let data = fixture("datos.csv");
    let run = |args: &[&str], stdout_full: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_reglas"));
        c.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
        if stdout_full {
            c.stdout(full()).stderr(Stdio::piped());
        } else {
            c.stdout(Stdio::null()).stderr(full());
        }
        c.output().unwrap()
    };
    for args in [
        vec!["evaluar", RULES, &data],
        vec!["evaluar", RULES, &data, "--formato", "tabla"],
        vec!["explicar", RULES, &data, "C001"],
        vec!["informe", RULES, &data],
        vec!["plantilla", RULES, "--salida", "-"],
    ] {
        let out = run(&args, true);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("no se pudo escribir"), "{args:?}: {stderr}");
        assert!(!stderr.contains("os error"), "{args:?}: {stderr}");
        // Standard error full: never Rust's panic (101).
        let out = run(&args, false);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {:?}",
            out.status
        );
    }
    let out = run(
        &[
            "verificar",
            "tests/fixtures/diagnosticos/varios_errores.reglas",
        ],
        false,
    );
    assert_eq!(out.status.code(), Some(1));
    // An editor that asked for JSON errors gets this one in JSON too.
    let out = run(
        &[
            "evaluar",
            RULES,
            &data,
            "--formato",
            "tabla",
            "--formato-errores",
            "json",
        ],
        true,
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last: serde_json::Value = serde_json::from_str(stderr.lines().last().unwrap())
        .unwrap_or_else(|e| panic!("{e}: {stderr}"));
    assert_eq!(last["code"], "reglas::salida", "{stderr}");
}

// 3. A tiny spreadsheet claiming a huge sheet made the reader allocate
// hundreds of gigabytes. Run under a 2 GB memory limit, so that the old
// behaviour fails (abort) instead of eating the machine.

#[cfg(unix)]
fn reglas_limited(args: &[&str]) -> Run {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 2000000; exec {} \"$@\"",
            env!("CARGO_BIN_EXE_reglas")
        ))
        .arg("sh")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[cfg(unix)]
#[test]
fn huge_claimed_sheets_are_refused_with_bounded_memory() {
    for name in ["dimension_enorme.xlsx", "repeticion_enorme.ods"] {
        let data = fixture(name);
        let r = reglas_limited(&["evaluar", RULES, &data]);
        assert_eq!(r.code, 1, "{name}: {}", r.stderr);
        assert!(r.stdout.is_empty());
        insta::assert_snapshot!(format!("hoja_enorme_{name}"), r.stderr);
    }
}

// 12. A boolean XLSX cell with a bad value was diagnosed as a broken `.xls`.

#[test]
fn bad_boolean_cell_is_not_called_an_xls_file() {
    let r = reglas(&["evaluar", RULES, &fixture("booleano_malo.xlsx")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stderr.contains(".xls)"), "{}", r.stderr);
    assert!(r.stderr.contains("verdadero/falso"), "{}", r.stderr);
}

// 4. A diagnostic past column 65,535 (one very long line) panicked in
// English (exit 101).

#[test]
fn a_place_past_column_65535_is_reported_not_a_crash() {
    let long = fixture("linea_larga.reglas");
    let data = fixture("datos.csv");
    for args in [
        vec!["verificar", &long],
        vec!["evaluar", &long, &data],
        vec!["explicar", &long, &data, "C001"],
        vec!["informe", &long, &data],
        vec!["avance", &long, &data, &data],
        vec!["probar", &long],
        vec!["comparar", RULES, &long, &data],
        vec!["plantilla", &long, "--salida", "-"],
        vec!["--formato-errores", "plano", "verificar", &long],
        vec!["--formato-errores", "json", "verificar", &long],
    ] {
        let r = reglas(&args);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("interno"), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("desconocido") || r.stderr.contains("errores"),
            "{args:?}: {}",
            r.stderr
        );
    }
    let r = reglas(&["verificar", &long]);
    insta::assert_snapshot!("linea_larga", r.stderr);
}

// 6. `basado en` read any path (devices, pipes, any file) and its errors
// showed lines of the file it read.

#[cfg(unix)]
#[test]
fn basado_en_reads_only_regular_rule_files_and_never_shows_others() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secreto.txt");
    std::fs::write(&secret, "clave_secreta: 1234\n").unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("enlace.reglas")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("cero.reglas")).unwrap();
    let fifo = dir.path().join("tuberia.reglas");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    std::fs::create_dir(dir.path().join("carpeta.reglas")).unwrap();
    for (base, why) in [
        ("secreto.txt", "no es un archivo de reglas"),
        (
            "enlace.reglas",
            "es un enlace a un archivo que no es de reglas",
        ),
        ("/dev/zero", "no es un archivo de reglas"),
        ("cero.reglas", "no es un archivo común"),
        ("tuberia.reglas", "no es un archivo común"),
        ("carpeta.reglas", "es una carpeta"),
    ] {
        let variant = dir.path().join("variante.reglas");
        std::fs::write(
            &variant,
            format!("reglas \"Variante\" versión \"1\" basado en \"{base}\"\n"),
        )
        .unwrap();
        // Under a memory limit, and with a deadline: a pipe used to block.
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ulimit -v 2000000; exec {} verificar variante.reglas",
                env!("CARGO_BIN_EXE_reglas")
            ))
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut waited = 0;
        while child.try_wait().unwrap().is_none() && waited < 2000 {
            std::thread::sleep(std::time::Duration::from_millis(10));
            waited += 1;
        }
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            panic!("`basado en \"{base}\"` did not finish");
        }
        let out = child.wait_with_output().unwrap();
        // miette wraps lines: compare the words.
        let stderr = String::from_utf8_lossy(&out.stderr)
            .split(|c: char| c.is_whitespace() || c == '│')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(out.status.code(), Some(1), "{base}: {stderr}");
        assert!(stderr.contains("reglas::archivo_base"), "{base}: {stderr}");
        assert!(stderr.contains(why), "{base}: {stderr}");
        assert!(!stderr.contains("clave_secreta"), "{base}: {stderr}");
    }
    // A rule file that is too large is refused without reading it all.
    let r = reglas_limited(&["verificar", "/dev/zero"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("demasiado grande"), "{}", r.stderr);
}

// 7. Terminal escape sequences in the data reached the terminal raw.

#[test]
fn control_characters_in_data_are_shown_escaped() {
    let data = fixture("escapes.csv");
    let table = reglas(&[
        "evaluar",
        RULES,
        &data,
        "--formato",
        "tabla",
        "--fecha",
        "2026-01-01",
    ]);
    assert_eq!(table.code, 3, "{}", table.stderr);
    let explained = reglas(&["explicar", RULES, &data, "C001"]);
    assert_eq!(explained.code, 0, "{}", explained.stderr);
    for (what, text) in [
        ("tabla", &table.stdout),
        ("errores", &table.stderr),
        ("explicar", &explained.stdout),
    ] {
        assert!(
            !text.contains(['\u{1b}', '\u{7}', '\r', '\u{202e}']),
            "{what}: {text:?}"
        );
    }
    assert_has(&table.stdout, "\\u{1b}[31mRojo");
    assert_has(&table.stdout, "Dos\\u{7}\\tFALSO");
    assert_has(&table.stdout, "Tres \\u{202e}odnum");
    assert_has(&table.stderr, "valor `\\u{1b}[5m7`");
    // A header quoted in a warning.
    assert_has(&table.stderr, "`\\u{1b}[31mextra`");
    insta::assert_snapshot!("escapes_explicar", explained.stdout.lines().next().unwrap());
}

// 8. A 400-digit number became infinity, which compares equal to anything.

#[test]
fn numbers_too_large_are_row_errors() {
    for name in ["numeros_enormes.csv", "numeros_enormes.jsonl"] {
        let data = fixture(name);
        let r = evaluar_jsonl(&data);
        assert_eq!(r.code, 3, "{name}: {}", r.stderr);
        // The CSV has a header row; JSON Lines rows are numbered from 1.
        let first = if name.ends_with(".csv") { 2 } else { 1 };
        let rows: Vec<(u64, bool)> = row_summary(&r.stdout)
            .iter()
            .map(|(l, _, rejected)| (*l, *rejected))
            .collect();
        assert_eq!(
            rows,
            vec![(first, true), (first + 1, true), (first + 2, false)],
            "{name}"
        );
        assert!(!r.stdout.contains("inf"), "{}", r.stdout);
    }
    let r = reglas(&[
        "evaluar",
        RULES,
        &fixture("numeros_enormes.csv"),
        "--formato",
        "jsonl",
    ]);
    insta::assert_snapshot!("numeros_enormes", error_lines(&r.stderr));
}

// 12. Corrections to `nombre` and `codigo` were logged as applied but the
// result kept the old ones.

#[test]
fn corrections_to_name_and_code_show_in_the_result() {
    let r = reglas(&[
        "evaluar",
        RULES,
        &fixture("datos.csv"),
        "--correcciones",
        &fixture("correcciones_nombre.csv"),
        "--formato",
        "jsonl",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = rows(&r.stdout);
    assert_eq!(out[0]["nombre"], "Asociación Uno");
    assert_eq!(out[0]["correcciones"][0]["valor_nuevo"], "Asociación Uno");
    assert_eq!(out[1]["codigo"], "C020");
    assert_eq!(out[1]["correcciones"][0]["campo"], "codigo");
    let explained = reglas(&[
        "explicar",
        RULES,
        &fixture("datos.csv"),
        "C001",
        "--correcciones",
        &fixture("correcciones_nombre.csv"),
    ]);
    assert!(
        explained
            .stdout
            .starts_with("Organización C001 — Asociación Uno (fila 2)"),
        "{}",
        explained.stdout
    );
}

// 12. A key repeated in one JSON object silently kept its last value.

#[test]
fn repeated_json_keys_reject_the_row() {
    for (name, rejected) in [
        ("claves_repetidas.jsonl", vec![1, 3]),
        ("claves_repetidas.json", vec![1]),
    ] {
        let r = reglas(&["evaluar", RULES, &fixture(name), "--formato", "jsonl"]);
        assert_eq!(r.code, 3, "{name}: {}", r.stderr);
        let got: Vec<u64> = row_summary(&r.stdout)
            .into_iter()
            .filter(|(_, _, rejected)| *rejected)
            .map(|(l, _, _)| l)
            .collect();
        assert_eq!(got, rejected, "{name}");
        insta::assert_snapshot!(format!("claves_{name}"), error_lines(&r.stderr));
    }
}

// 12. Names that differ only by a Cyrillic or Greek look-alike letter were
// accepted without a word.

#[test]
fn look_alike_letters_in_names_are_warned() {
    let r = reglas(&["verificar", &fixture("nombre_confuso.reglas")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("nombre_confuso", r.stderr);
    // Names in Latin letters with tildes and ñ are never flagged.
    let r = reglas(&["verificar", "rules/cepac.reglas"]);
    assert!(!r.stderr.contains("nombre_confuso"), "{}", r.stderr);
}

// Found by fuzzing (data_xlsx): a cell reference with too many digits made
// calamine overflow a multiplication and panic (with overflow checks on).

#[test]
fn a_spreadsheet_that_makes_calamine_panic_is_a_damaged_file() {
    let r = reglas(&["evaluar", RULES, &fixture("referencia_desbordada.xlsx")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_has(&r.stderr, "reglas::datos::planilla_ilegible");
    assert!(!r.stderr.contains("interno"), "{}", r.stderr);
}

// 7. (b) A header quoted in a diagnostic about the whole file (here, the
// column list of a missing-column error) reached the terminal raw too.

#[test]
fn control_characters_in_file_diagnostics_are_shown_escaped() {
    let data = fixture("escapes_encabezado.csv");
    for errors in ["humano", "plano"] {
        let run = reglas(&["evaluar", RULES, &data, "--formato-errores", errors]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(!run.stderr.contains('\u{1b}'), "{errors}: {:?}", run.stderr);
        assert_has(&run.stderr, "`\\u{1b}[2Jactiva`");
    }
}

// 11. (b) A Windows-1252 row found far down the file was said by `evaluar`
// but not by `informe` (nor `avance`, which reads through it).

#[test]
fn a_late_windows_1252_row_is_said_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"codigo;nombre;socios;activa;rubro\n".to_vec();
    for i in 0..3000 {
        bytes.extend(format!("A{i};Asociacion {i};12;si;cafe\n").bytes());
    }
    bytes.extend_from_slice(b"Z1;Asociaci\xf3n Ca\xf1era;12;s\xed;caf\xe9\n");
    assert!(bytes.len() > 64 * 1024);
    let data = dir.path().join("tarde.csv");
    std::fs::write(&data, &bytes).unwrap();
    let data = data.to_str().unwrap();
    let html = dir.path().join("informe.html");
    for args in [
        vec!["evaluar", RULES, data, "--formato", "csv"],
        vec!["informe", RULES, data, "--salida", html.to_str().unwrap()],
    ] {
        let run = reglas(&args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert_has(&run.stderr, "advertencia: la fila 3002 tiene texto");
    }
}
