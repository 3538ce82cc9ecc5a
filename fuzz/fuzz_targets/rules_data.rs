//! Objetivo de fuzzing `rules_data`: reglas y datos juntos. Los bytes hasta la
//! primera línea `---` son un archivo de reglas; lo que sigue, un CSV de datos.
//! Si las reglas se cargan sin errores, los datos se leen con ellas y se
//! comprueba lo de `common/mod.rs` (cada fila sale una vez, evaluada o
//! rechazada; la salida se vuelve a leer). Ver docs/desarrollo.md.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::quiet_caught_panics();
    let text = String::from_utf8_lossy(data);
    let (rules, csv) = text.split_once("\n---\n").unwrap_or((&text, ""));
    let loaded = reglas::load::load_text("fuzz.reglas", rules.to_string());
    let Some(program) = &loaded.program else {
        return;
    };
    let (_dir, path) = common::data_file(csv.as_bytes(), "csv");
    common::read_and_check(program, &path, &reglas::data::ReadOptions::default());
});
