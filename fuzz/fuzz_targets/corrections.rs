//! Objetivo de fuzzing `corrections`: bytes arbitrarios como registro de
//! correcciones (`--correcciones`), aplicado a un CSV fijo de datos leído con
//! `common::RULES`. El registro se rechaza con mensajes, o se aplica: en los
//! dos casos, lo de `common/mod.rs` (cada fila sale una vez; la salida se
//! vuelve a leer). Ver docs/desarrollo.md.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use reglas::eval::Prepared;

const DATA: &[u8] = "codigo;nombre;socios;socias;asistencia;monto;activa;region;apoyos
C1;Uno;12;3;60;1500;sí;norte;agua riego
C2;Dos;4;9;40,5;10;no;sur;
C3;Tres;;;;;;;
c1;Repetido;1;1;1;1;sí;chaco;agua
C4;Mala;x;2;101;1.234;tal vez;este;riego
"
.as_bytes();

fuzz_target!(|data: &[u8]| {
    let (_dir, log_path) = common::data_file(data, "csv");
    let (_data_dir, data_path) = common::data_file(DATA, "csv");
    common::with_program(|p| {
        let Ok(mut log) = reglas::corrections::CleaningLog::read(&log_path, &p.schema) else {
            return;
        };
        let source = reglas::data::open(&data_path, &p.schema, &Default::default())
            .unwrap_or_else(|e| panic!("fixed data: {e}"));
        let rows: Vec<reglas::data::Row> = source.collect();
        common::check_rows(p, &rows, |mut row| {
            let corrections = log.apply(&mut row);
            Prepared { row, corrections }
        });
    });
});
