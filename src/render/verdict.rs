//! The one wording of a level step, used by every output that states it
//! in words (the HTML and Markdown profiles). The verdict of a whole result
//! is [`super::brief::verdict`].

use crate::eval::Tri;

/// One level of the ladder as it was tried: whether it holds and how many
/// of the criteria it counts were met. `strong` marks the key words
/// (`<b>…</b>` in HTML, `**…**` in Markdown).
pub fn level_step(
    result: Tri,
    otherwise: bool,
    met: impl std::fmt::Display,
    counted: impl std::fmt::Display,
    strong: impl Fn(&str) -> String,
) -> String {
    match (result, otherwise) {
        (Tri::Yes, true) => "se asigna porque no cumple ningún nivel anterior".to_string(),
        (Tri::Yes, false) => format!(
            "{}: cumple {met} de {counted} criterios que cuenta este nivel",
            strong("se cumple")
        ),
        (Tri::No, _) => format!("no se cumple: cumple {met} de {counted} criterios"),
        (Tri::Unknown, true) => {
            "no se puede asignar: un nivel anterior quedó sin decidir".to_string()
        }
        (Tri::Unknown, false) => format!(
            "{} por falta de datos: cumple {met} de {counted} criterios",
            strong("sin decidir")
        ),
    }
}

const PALETTE: &[&str] = &["#2e7d4f", "#78a33b", "#e0a526", "#dd7a3a", "#c0503a"];

/// Colour of the `i`-th level of `n` (highest first): green to terracotta.
/// The same in the HTML charts and in the level cells of a workbook.
pub fn color_nivel(i: usize, n: usize) -> &'static str {
    if n <= 1 {
        return PALETTE[0];
    }
    let last = PALETTE.len() - 1;
    let pos = if n == 2 {
        i * last
    } else {
        (i * last + (n - 1) / 2) / (n - 1)
    };
    PALETTE[pos.min(last)]
}
