//! Stage 4: rendering. Everything here turns data (problems, results) into
//! text for people or machines; nothing here decides anything.

pub mod diagnostics;
pub mod explanation;
pub mod results;
pub mod summary;
pub mod xlsx;

/// "1 fila", "3 filas": a count with its noun in the right number.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
