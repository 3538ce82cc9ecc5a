//! Reads a rule file from disk and runs the whole front end on it:
//! read → parse → check. The entry point the CLI and the tests use.

use std::path::Path;

use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};
use crate::program::Program;
use crate::source::SourceMap;

/// The outcome of loading a rule file: the program (when there are no
/// errors), every problem found, and the sources to render them with.
pub struct Loaded {
    pub sources: SourceMap,
    pub program: Option<Program>,
    pub problems: Problems,
}

/// Loads, parses and checks one rule file.
pub fn load_file(path: &Path) -> Loaded {
    let name = path.display().to_string();
    match read_source(path) {
        Ok(text) => load_text(&name, text),
        Err(p) => {
            let mut problems = Problems::new();
            problems.push(p);
            Loaded {
                sources: SourceMap::new(),
                program: None,
                problems,
            }
        }
    }
}

/// Parses and checks rule text already in memory (tests, docs, fuzzing).
pub fn load_text(name: &str, text: String) -> Loaded {
    let mut sources = SourceMap::new();
    let id = sources.add(name, text);
    let file = match crate::syntax::parse(&sources, id) {
        Ok(f) => f,
        Err(problems) => {
            return Loaded {
                sources,
                program: None,
                problems,
            }
        }
    };
    match crate::check::check(sources.clone(), &file) {
        Ok((program, problems)) => Loaded {
            sources,
            program: Some(program),
            problems,
        },
        Err(problems) => Loaded {
            sources,
            program: None,
            problems,
        },
    }
}

fn read_source(path: &Path) -> Result<String, Problem> {
    let shown = path.display();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Problem::error(Code::FileNotFound, format!("no existe el archivo de reglas `{shown}`"))
                .help("Revise la ruta y el nombre del archivo (por ejemplo `rules/cepac.reglas`)."));
        }
        Err(e) => {
            let why = if path.is_dir() {
                "es una carpeta, no un archivo".to_string()
            } else {
                match e.kind() {
                    std::io::ErrorKind::PermissionDenied => "no tiene permiso de lectura".to_string(),
                    _ => format!("error del sistema ({e})"),
                }
            };
            return Err(Problem::error(Code::FileNotFound, format!("no se pudo leer el archivo de reglas `{shown}`: {why}"))
                .help("Indique un archivo `.reglas` que exista y se pueda leer."));
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
            return Err(Problem::error(
                Code::NotUtf8,
                format!("el archivo de reglas `{shown}` no está en UTF-8 (primer carácter ilegible en la línea {line})"),
            )
            .help("Guárdelo como UTF-8: en el Bloc de notas, «Guardar como» → Codificación: UTF-8; en otros editores, «Reabrir con codificación» Windows-1252 y guardar en UTF-8."));
        }
    };
    if text.trim().is_empty() {
        return Err(Problem::error(Code::EmptyFile, format!("el archivo de reglas `{shown}` está vacío"))
            .help("Un archivo de reglas declara al menos `campo codigo: texto` y sus niveles; vea `rules/cepac.reglas` como ejemplo."));
    }
    Ok(text)
}
