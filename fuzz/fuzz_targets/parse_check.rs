//! Objetivo de fuzzing `parse_check`: bytes arbitrarios como archivo de reglas.
//!
//! Los bytes pasan a texto (sin pérdida cuando son UTF-8 válido; si no, con
//! U+FFFD en los bytes inválidos) y van a `reglas::load::load_text` (análisis
//! + revisión). Se dibujan todos los problemas (como en `reglas verificar`) y,
//! si resulta un programa, se evalúan tres filas casi vacías (todo sin dato,
//! todo "uno/sí/primera categoría", todo "cero/no/última categoría") con la
//! explicación completa, que se serializa a JSON y se redacta como texto.
//! Nada de esto debe entrar en pánico, desbordar la pila ni colgarse.
//!
//! Correr: `cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run parse_check` (ver
//! docs/rendimiento.md).

#![no_main]

use libfuzzer_sys::fuzz_target;
use reglas::data::{Row, Value};
use reglas::eval::Evaluator;
use reglas::program::{Program, Ty};
use reglas::render::diagnostics::{render_problems, ErrorFormat};

#[derive(Clone, Copy)]
enum Fill {
    Blank,
    High,
    Low,
}

fn row(program: &Program, fill: Fill) -> Row {
    let values = program
        .fields
        .iter()
        .map(|f| {
            let high = matches!(fill, Fill::High);
            match (fill, &f.ty) {
                (Fill::Blank, _) => None,
                (_, Ty::Bool) => Some(Value::Bool(high)),
                (_, Ty::Integer | Ty::Number | Ty::Percent) => {
                    Some(Value::Number(if high { 1.0 } else { 0.0 }))
                }
                (_, Ty::Text) => Some(Value::Text(if high { "x" } else { "" }.to_string())),
                (_, Ty::Category(_)) if f.categories.is_empty() => None,
                (_, Ty::Category(_)) => Some(Value::Category(if high {
                    0
                } else {
                    f.categories.len() as u32 - 1
                })),
            }
        })
        .collect();
    Row {
        line: 2,
        codigo: Some("FUZZ-1".to_string()),
        nombre: None,
        values,
        errors: Vec::new(),
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let loaded = reglas::load::load_text("fuzz.reglas", text);
    let _ = render_problems(
        &loaded.problems,
        &loaded.sources,
        ErrorFormat::Human { color: false },
    );
    let _ = render_problems(&loaded.problems, &loaded.sources, ErrorFormat::Json);
    if let Some(program) = &loaded.program {
        let ev = Evaluator::new(program);
        for fill in [Fill::Blank, Fill::High, Fill::Low] {
            let r = ev.evaluate(&row(program, fill), true);
            let _ = serde_json::to_string(&r);
            let _ = reglas::render::explanation::explain(&r);
        }
    }
});
