//! Shared by `tests/web.rs` and `tests/web_navegador.rs` (included with
//! `mod common;`): what the command line says about the same files the web
//! app is given, to compare the two.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// (code, `key`) of each organization of `reglas evaluar --formato jsonl`:
/// `key` is `nivel` (the id) or `nivel_titulo`; None when it has no level.
pub fn cli_levels(rules: &Path, data: &Path, key: &str) -> Vec<(String, Option<String>)> {
    let out = Command::new(env!("CARGO_BIN_EXE_reglas"))
        .args(["evaluar", "--formato", "jsonl"])
        .arg(rules)
        .arg(data)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v.get("codigo").is_some())
        .map(|v| {
            (
                v["codigo"].as_str().unwrap().to_string(),
                v[key].as_str().map(str::to_string),
            )
        })
        .collect()
}
