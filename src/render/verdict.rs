//! The one wording of a level verdict, used by every output that states it
//! in words (the explanation, the HTML and Markdown profiles).

use crate::eval::{Pendiente, Tri};

/// "Consolidada (consolidada)", or the sentence for no level at all.
pub fn level(nivel: Option<&str>, titulo: Option<&str>) -> String {
    match (nivel, titulo) {
        (Some(n), Some(t)) => format!("{t} ({n})"),
        (Some(n), None) => n.to_string(),
        _ => "no se puede decidir con los datos disponibles".to_string(),
    }
}

/// For data that cannot be right (`revisar …` in the rules): the sentence
/// that stands in for the level. None when the data passed every check.
pub fn check_data(revisar_datos: &[String]) -> Option<String> {
    (!revisar_datos.is_empty())
        .then(|| format!("no se asigna: revisar datos. {}", revisar_datos.join(" ")))
}

/// For a provisional result: why, which levels are still possible, and the
/// data that would decide. None for a result that is not provisional.
pub fn provisional(provisional: bool, posibles: &[String], faltan: &[String]) -> Option<String> {
    if !provisional {
        return None;
    }
    let posibles = posibles.join(", ");
    Some(if faltan.is_empty() {
        // Undecided without a blank field: a division by zero or a group
        // where no criterion applies (the trace says which).
        format!("Resultado provisional: un nivel superior no se puede decidir (por ejemplo, por una división por cero). Niveles posibles: {posibles}.")
    } else {
        format!(
            "Resultado provisional: faltan datos para descartar un nivel superior. Niveles posibles: {posibles}. Datos que faltan y que pueden cambiar el nivel: {}.",
            faltan.join(", ")
        )
    })
}

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

/// Why a criterion the next level needs is pending, with the data it read:
/// `no cumple; socias = 3`, or `sin dato: completar primero`. `escape` makes
/// the data safe for the output (HTML, Markdown).
pub fn pending_status(c: &Pendiente, escape: impl Fn(&str) -> String) -> String {
    let estado = if c.resultado == Tri::Unknown {
        "sin dato: completar primero"
    } else {
        "no cumple"
    };
    let datos: Vec<String> = c
        .datos
        .iter()
        .map(|d| format!("{} = {}", escape(&d.nombre), escape(&d.texto)))
        .collect();
    if datos.is_empty() {
        estado.to_string()
    } else {
        format!("{estado}; {}", datos.join("; "))
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
