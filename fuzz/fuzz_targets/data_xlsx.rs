//! Objetivo de fuzzing `data_xlsx`: bytes arbitrarios como archivo `.xlsx` de
//! datos, leídos con las reglas de `common::RULES`; comprueba lo que dice
//! `common/mod.rs` (nada entra en pánico; cada fila sale una vez, evaluada o
//! rechazada; la salida se vuelve a leer). Ver docs/desarrollo.md.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (_dir, path) = common::data_file(data, "xlsx");
    common::with_program(|p| {
        common::read_and_check(p, &path, &reglas::data::ReadOptions::default());
    });
});
