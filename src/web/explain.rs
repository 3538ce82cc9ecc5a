//! «Explicación»: one organization evaluated with the whole trace, as
//! `reglas explicar` does: the same text, and the same result as data so
//! the page can open each criterion to its data, rule and place.

use serde::{Deserialize, Serialize};

use crate::eval::{Detail, Evaluator, Prepared, Rechazo, Resultado, Salida};

use super::http::{json_body, Handled, Reply, WebError};
use super::state::{program_of, State};

#[derive(Debug, Deserialize)]
struct Asked {
    reglas: String,
    #[serde(default)]
    texto: Option<String>,
    datos: String,
    /// The organization's row in the data file.
    fila: usize,
}

#[derive(Debug, Serialize)]
struct Explained {
    /// The verdict-first explanation (`render::brief`): the verdict in one
    /// sentence, what it lacks for the next level, the first
    /// recommendations; the same words as the terminal and the profiles.
    resumen: crate::render::brief::Brief,
    /// The text of `reglas explicar`.
    texto: String,
    resultado: Box<Resultado>,
    /// Line numbers and text of the rule file, for each criterion's place.
    fuente: Vec<SourceLine>,
}

#[derive(Debug, Serialize)]
struct Rejected {
    rechazada: Rechazo,
}

/// A line of a rule file the explanation points at (`cepac.reglas:445`).
#[derive(Debug, Serialize)]
struct SourceLine {
    lugar: String,
    texto: String,
}

pub fn explain(state: &State, body: &[u8]) -> Handled {
    let asked: Asked = json_body(body)?;
    let loaded = state.rules(&asked.reglas, asked.texto)?;
    let program = program_of(&loaded)?;
    let (path, shown) = state.data_path(&asked.datos)?;
    let source = state.open_data(program, &path)?;
    let evaluator = Evaluator::new(program);
    let Some(row) = source.into_iter().find(|r| r.line == asked.fila) else {
        return Err(
            WebError::new(404, format!("`{shown}` no tiene la fila {}", asked.fila))
                .help("Vuelva a evaluar: el archivo de datos pudo cambiar."),
        );
    };
    match evaluator.salida(Prepared::from(row), Detail::Full) {
        Salida::Evaluada(r) => {
            let fuente = rule_lines(&loaded.sources, &r);
            Ok(Reply::json(&Explained {
                resumen: crate::render::brief::brief(&r),
                texto: crate::render::explanation::explain(&r),
                resultado: r,
                fuente,
            }))
        }
        Salida::Rechazada(r) => Ok(Reply::json(&Rejected { rechazada: r })),
    }
}

/// The text of every line the explanation names (`archivo.reglas:120`),
/// so the page can show the rule as written.
fn rule_lines(sources: &crate::source::SourceMap, r: &Resultado) -> Vec<SourceLine> {
    let Some(e) = &r.explicacion else {
        return Vec::new();
    };
    let places = e
        .criterios
        .iter()
        .map(|c| &c.lugar)
        .chain(e.niveles.iter().map(|l| &l.lugar));
    let mut out: Vec<SourceLine> = Vec::new();
    for place in places {
        if out.iter().any(|s| &s.lugar == place) {
            continue;
        }
        if let Some(texto) = declaration_text(sources, place) {
            out.push(SourceLine {
                lugar: place.clone(),
                texto,
            });
        }
    }
    out
}

/// The declaration starting at `file:line`: that line and the indented
/// lines after it.
fn declaration_text(sources: &crate::source::SourceMap, place: &str) -> Option<String> {
    let (file, line) = place.rsplit_once(':')?;
    let line: usize = line.parse().ok()?;
    let source = sources.files().iter().find(|f| {
        f.name == file
            || std::path::Path::new(&f.name)
                .file_name()
                .and_then(|n| n.to_str())
                == Some(file)
    })?;
    let mut lines = source.text.lines().skip(line.checked_sub(1)?);
    let first = lines.next()?;
    let mut text = vec![first];
    text.extend(lines.take_while(|l| l.starts_with(' ') || l.starts_with('\t')));
    Some(text.join("\n"))
}
