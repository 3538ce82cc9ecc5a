//! Banco de escala de las reglas (`cargo bench --bench escala`): cómo crece el
//! tiempo de `reglas verificar` y de evaluar con el tamaño del archivo de
//! reglas, no con el de los datos (issue 11, punto 13).
//!
//! Genera en memoria tres formas de archivo, cada una con N = 1 000 y 10 000
//! (u otros tamaños como argumentos: `cargo bench --bench escala -- 500 5000`):
//!
//! - `grupo`: N criterios en un solo grupo, todos sobre el mismo campo
//!   (`x >= i`), y un nivel `al menos 1 de grupo g`;
//! - `campos`: N campos sí/no y un criterio con puntos sobre cada uno, en un
//!   grupo, con `puntaje(g)` y `al menos N/2 de grupo g`;
//! - `cadena`: N valores encadenados (`v_i = v_{i-1} + 1`) y un criterio sobre
//!   el último.
//!
//! Para cada uno mide la carga completa (análisis, revisión y las
//! advertencias de `lint`, lo que hace `reglas verificar`) y la evaluación de 1 000 filas. Se informa
//! el tiempo y la razón entre un tamaño y el anterior: con un crecimiento
//! lineal, ×10 en N da cerca de ×10 en tiempo. No hay aserciones de tiempo.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use reglas::data::{Row, Value};
use reglas::eval::Evaluator;

fn grupo(n: usize) -> String {
    let mut s = String::from(
        "reglas \"Escala\" versión \"1\"\ncampo codigo: texto\ncampo x: entero\ngrupo g \"Grupo\"\n",
    );
    for i in 0..n {
        let _ = writeln!(
            s,
            "criterio c{i} \"C {i}\"\n  grupo g\n  condición x >= {i}"
        );
    }
    s.push_str("nivel alto \"Alto\"\n  condición al menos 1 de grupo g\nnivel bajo \"Bajo\"\n  en otro caso\n");
    s
}

fn campos(n: usize) -> String {
    let mut s = String::from("reglas \"Escala\" versión \"1\"\ncampo codigo: texto\n");
    for i in 0..n {
        let _ = writeln!(s, "campo f{i}: sí/no");
    }
    s.push_str("grupo g \"Grupo\"\n");
    for i in 0..n {
        let _ = writeln!(
            s,
            "criterio c{i} \"C {i}\"\n  grupo g\n  condición f{i}\n  puntos 2"
        );
    }
    let _ = write!(
        s,
        "valor p = puntaje(g)\nnivel alto \"Alto\"\n  condición al menos {} de grupo g\n\
         nivel medio \"Medio\"\n  condición p >= 10\nnivel bajo \"Bajo\"\n  en otro caso\n",
        n / 2
    );
    s
}

fn cadena(n: usize) -> String {
    let mut s = String::from(
        "reglas \"Escala\" versión \"1\"\ncampo codigo: texto\ncampo x: entero\nvalor v0 = x\n",
    );
    for i in 1..n {
        let _ = writeln!(s, "valor v{i} = v{} + 1", i - 1);
    }
    let _ = write!(
        s,
        "criterio c \"C\"\n  condición v{} >= 10\nnivel alto \"Alto\"\n  condición c\n\
         nivel bajo \"Bajo\"\n  en otro caso\n",
        n - 1
    );
    s
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000]
    } else {
        sizes
    };
    println!(
        "{:<8} {:>7} {:>12} {:>8} {:>16} {:>8}",
        "forma", "N", "verificar", "razón", "evaluar 1000", "razón"
    );
    for (name, make) in [
        ("grupo", grupo as fn(usize) -> String),
        ("campos", campos),
        ("cadena", cadena),
    ] {
        let mut last: Option<(f64, f64)> = None;
        for &n in &sizes {
            let text = make(n);
            let start = Instant::now();
            let loaded = reglas::load::load_text("escala.reglas", text);
            let program = loaded.program.expect("el archivo generado es correcto");
            std::hint::black_box(reglas::lint::lint(&program));
            let load = start.elapsed();
            let ev = Evaluator::new(&program);
            let rows: Vec<Row> = (0..1000)
                .map(|k| Row {
                    line: k + 2,
                    codigo: Some(format!("O{k}")),
                    nombre: None,
                    values: program
                        .fields
                        .iter()
                        .enumerate()
                        .map(|(i, f)| match (i, &f.ty) {
                            (0, _) => Some(Value::Text(format!("O{k}"))),
                            (_, reglas::program::Ty::Bool) => Some(Value::Bool((k + i) % 2 == 0)),
                            _ => Some(Value::Number((k % 50) as f64)),
                        })
                        .collect(),
                    errors: Vec::new(),
                })
                .collect();
            let start = Instant::now();
            for r in &rows {
                std::hint::black_box(ev.evaluate(r, false));
            }
            let eval = start.elapsed();
            let ratio = |now: f64, before: Option<f64>| {
                before.map_or(String::new(), |b| format!("×{:.1}", now / b.max(1e-9)))
            };
            println!(
                "{name:<8} {n:>7} {:>12} {:>8} {:>16} {:>8}",
                secs(load),
                ratio(load.as_secs_f64(), last.map(|l| l.0)),
                secs(eval),
                ratio(eval.as_secs_f64(), last.map(|l| l.1)),
            );
            last = Some((load.as_secs_f64(), eval.as_secs_f64()));
        }
    }
}
