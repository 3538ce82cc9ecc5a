//! Bounds nesting before pest sees the text: deeply nested parentheses would
//! otherwise make the recursive parser (and every later recursive pass) use
//! unbounded stack. The error points at the opening bracket that goes too deep.

use crate::codes::Code;
use crate::diagnostic::Problem;
use crate::source::{FileId, Span};

/// Deepest nesting of `(` and `[` accepted. Real rule files stay under 10.
pub const MAX_NESTING: usize = 64;

pub fn check(text: &str, id: FileId) -> Option<Problem> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    for (i, c) in text.char_indices() {
        match c {
            '\n' => {
                in_comment = false;
                in_string = false;
            }
            _ if in_comment => {}
            '"' => in_string = !in_string,
            _ if in_string => {}
            '#' => in_comment = true,
            '(' | '[' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(too_deep(id, i));
                }
            }
            ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

pub fn too_deep(id: FileId, at: usize) -> Problem {
    Problem::error(
        Code::Nesting,
        format!("hay más de {MAX_NESTING} paréntesis o corchetes anidados"),
    )
    .label(Span::new(id, at, at + 1), "aquí se supera el límite")
    .help(
        "Divida la condición en partes con nombre: declare `valor` o `criterio` \
         intermedios y úselos por su nombre.",
    )
}

/// An expression nested too deeply without brackets: a long run of `no`,
/// `si … entonces`, `-`, or a very long chain of `+` or `*`.
pub fn too_deep_expr(id: FileId, at: usize, width: usize) -> Problem {
    Problem::error(
        Code::Nesting,
        format!(
            "esta expresión tiene más de {MAX_NESTING} niveles anidados (paréntesis, `no`, \
             `si … entonces`, operaciones encadenadas)"
        ),
    )
    .label(Span::new(id, at, at + width), "aquí se supera el límite")
    .help(
        "Divida la condición en partes con nombre: declare `valor` o `criterio` \
         intermedios y úselos por su nombre. Para sumar muchos campos use `suma(a, b, c)`.",
    )
}
