//! Objetivo de fuzzing `data_csv`: bytes arbitrarios como archivo `.csv` de
//! datos, leídos con las reglas de `common::RULES`; comprueba lo que dice
//! `common/mod.rs` (nada entra en pánico; cada fila sale una vez, evaluada o
//! rechazada; la salida se vuelve a leer). El primer byte elige las opciones
//! de lectura (separador, codificación). Ver docs/desarrollo.md.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the options a user could force: none (detected),
    // a separator, an encoding.
    let (opts_byte, data) = data.split_first().map_or((0, data), |(b, d)| (*b, d));
    let opts = reglas::data::ReadOptions {
        separator: [None, Some(b';'), Some(b','), Some(b'\t')][usize::from(opts_byte & 3)],
        encoding: [None, None, Some("utf-8"), Some("windows-1252")]
            [usize::from((opts_byte >> 2) & 3)]
            .map(str::to_string),
        sheet: None,
        missing_as_blank: opts_byte & 16 != 0,
    };
    let (_dir, path) = common::data_file(data, "csv");
    common::with_program(|p| {
        common::read_and_check(p, &path, &opts);
    });
});
