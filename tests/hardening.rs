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
        let r = reglas(&["evaluar", RULES, &data, "--formato", "jsonl", "--fecha", "2026-01-01"]);
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
        let r = reglas(&["evaluar", RULES, &data, "--formato", "jsonl", "--fecha", "2026-01-01"]);
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
