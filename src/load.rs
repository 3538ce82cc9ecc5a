//! Reads a rule file from disk and runs the whole front end on it:
//! read → parse → check. The entry point the CLI and the tests use.

use std::path::Path;

use crate::ast;
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

/// How many files a chain of `basado en` may have.
const MAX_BASE_DEPTH: usize = 8;

/// The largest rule file read (the CEPAC rules are about 30 KB): a device or
/// a huge file given by mistake is refused instead of filling the memory.
const MAX_RULES_BYTES: u64 = 4 * 1024 * 1024;

/// Loads, parses and checks one rule file (and the files it is based on).
pub fn load_file(path: &Path) -> Loaded {
    let mut sources = SourceMap::new();
    match read_source(path) {
        Ok(SourceText { text, note }) => {
            let mut notes = Problems::new();
            notes.items.extend(note);
            let parsed = parse_composed(&mut sources, path, text, &mut Vec::new(), &mut notes);
            with_notes(finish(sources, parsed), notes)
        }
        Err(p) => {
            let mut problems = Problems::new();
            problems.push(p);
            Loaded {
                sources,
                program: None,
                problems,
            }
        }
    }
}

/// Parses and checks rule text already in memory (tests, docs, fuzzing). A
/// `basado en` path is taken relative to `name`'s folder.
pub fn load_text(name: &str, text: String) -> Loaded {
    let mut sources = SourceMap::new();
    let mut notes = Problems::new();
    let parsed = parse_composed(
        &mut sources,
        Path::new(name),
        text,
        &mut Vec::new(),
        &mut notes,
    );
    with_notes(finish(sources, parsed), notes)
}

/// The warnings about reading the files, before the other problems.
fn with_notes(mut loaded: Loaded, mut notes: Problems) -> Loaded {
    notes.extend(std::mem::take(&mut loaded.problems));
    loaded.problems = notes;
    loaded
}

/// Parses a file and, if it is `basado en` another, composes it with its
/// base (recursively). Warnings about reading the files go to `notes`.
fn parse_composed(
    sources: &mut SourceMap,
    path: &Path,
    text: String,
    chain: &mut Vec<std::path::PathBuf>,
    notes: &mut Problems,
) -> Result<ast::File, Problems> {
    let id = sources.add(path.display().to_string(), text);
    let file = crate::syntax::parse(sources, id)?;
    let Some(base) = file.header.as_ref().and_then(|h| h.base.clone()) else {
        let problems = crate::compose::reject_changes_without_base(&file);
        return if problems.has_errors() {
            Err(problems)
        } else {
            Ok(file)
        };
    };
    let dir = path.parent().unwrap_or(Path::new(""));
    let base_path = dir.join(&base.text);
    let key = base_path
        .canonicalize()
        .unwrap_or_else(|_| base_path.clone());
    let fail = |message: String, help: &str| {
        let mut p = Problems::new();
        p.push(
            Problem::error(Code::BaseFile, message)
                .label(base.span, "archivo base")
                .help(help.to_string()),
        );
        p
    };
    if chain.contains(&key) || chain.len() >= MAX_BASE_DEPTH {
        return Err(fail(
            format!("los archivos se basan unos en otros en círculo (o hay más de {MAX_BASE_DEPTH} niveles): `{}`", base.text),
            "Un archivo regional se basa en el general, y el general en ninguno.",
        ));
    }
    chain.push(key);
    if let Err(why) = check_base(&base_path) {
        return Err(fail(
            format!("no se puede usar `{}` como archivo base: {why}", base.text),
            "`basado en` solo acepta archivos de reglas `.reglas` comunes (no carpetas, \
             dispositivos ni tuberías); la ruta es relativa a la carpeta de este archivo, por \
             ejemplo `basado en \"../cepac.reglas\"`.",
        ));
    }
    let base_text = match read_source(&base_path) {
        Ok(SourceText { text, note }) => {
            notes.items.extend(note);
            text
        }
        Err(p) => {
            return Err(fail(
                format!("no se pudo leer el archivo base `{}`: {}", base_path.display(), p.message),
                "La ruta de `basado en` es relativa a la carpeta de este archivo, por ejemplo `basado en \"../cepac.reglas\"`.",
            ))
        }
    };
    let base_file = parse_composed(sources, &base_path, base_text, chain, notes)?;
    crate::compose::compose(base_file, file)
}

/// Whether `path` may be read as the base of a variant: a regular `.reglas`
/// file, also after following links. Checked before opening it, so that
/// `basado en` never blocks on a pipe, never reads a device, and never shows
/// lines of a file that is not a rule file in an error message.
fn check_base(path: &Path) -> Result<(), String> {
    let is_rules = |p: &Path| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("reglas"))
    };
    if !is_rules(path) {
        return Err("no es un archivo de reglas (su nombre no termina en `.reglas`)".to_string());
    }
    let Ok(meta) = std::fs::metadata(path) else {
        // Missing or unreadable: `read_source` says which.
        return Ok(());
    };
    if !meta.is_file() {
        return Err(if meta.is_dir() {
            "es una carpeta".to_string()
        } else {
            "no es un archivo común (es un dispositivo o una tubería)".to_string()
        });
    }
    if path.canonicalize().is_ok_and(|real| !is_rules(&real)) {
        return Err("es un enlace a un archivo que no es de reglas".to_string());
    }
    Ok(())
}

fn finish(sources: SourceMap, parsed: Result<ast::File, Problems>) -> Loaded {
    let file = match parsed {
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
        Err(crate::check::Rejected {
            mut problems,
            program,
        }) => {
            if let Some(program) = program {
                crate::lint::show_fall_through(&mut problems, &program);
            }
            Loaded {
                sources,
                program: None,
                problems,
            }
        }
    }
}

/// Reads a rule file as text, with the errors in Spanish (missing, a
/// folder, unreadable, not text, empty). A file in Windows-1252 is read,
/// with a warning in [`SourceText::note`].
pub fn read_source(path: &Path) -> Result<SourceText, Problem> {
    let shown = path.display();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if matches!(
        ext.as_str(),
        "csv" | "tsv" | "xlsx" | "xls" | "xlsm" | "ods" | "json" | "jsonl" | "ndjson"
    ) {
        return Err(Problem::error(
            Code::FileNotFound,
            format!("`{shown}` parece un archivo de datos, no un archivo de reglas"),
        )
        .help("Primero van las reglas y después los datos: `reglas evaluar rules/cepac.reglas datos.csv`. ¿Invirtió el orden?"));
    }
    let read = std::fs::File::open(path).and_then(|f| {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_RULES_BYTES + 1), &mut bytes)?;
        Ok(bytes)
    });
    let bytes = match read {
        Ok(b) if b.len() as u64 > MAX_RULES_BYTES => {
            return Err(Problem::error(
                Code::FileNotFound,
                format!(
                    "`{shown}` es demasiado grande para ser un archivo de reglas (más de {} MB)",
                    MAX_RULES_BYTES / (1024 * 1024)
                ),
            )
            .help(
                "Indique un archivo `.reglas`; un archivo de reglas ocupa unos pocos kilobytes.",
            ));
        }
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Problem::error(
                Code::FileNotFound,
                format!("no existe el archivo de reglas `{shown}`"),
            )
            .help("Revise la ruta y el nombre del archivo (por ejemplo `rules/cepac.reglas`)."));
        }
        Err(e) => {
            let why = if path.is_dir() {
                "es una carpeta, no un archivo".to_string()
            } else {
                crate::text::system_error(&e)
            };
            return Err(Problem::error(
                Code::FileNotFound,
                format!("no se pudo leer el archivo de reglas `{shown}`: {why}"),
            )
            .help("Indique un archivo `.reglas` que exista y se pueda leer."));
        }
    };
    let mut note = None;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
            let save_as = "Guárdelo como UTF-8: en el Bloc de notas, «Guardar como» → Codificación: UTF-8; \
                           en otros editores, «Reabrir con codificación» Windows-1252 y guardar en UTF-8 \
                           (`reglas formatear` también lo guarda en UTF-8).";
            // The old Windows Notepad saved "ANSI" (Windows-1252): such a
            // file is read, and said so. Bytes that are not text at all
            // (control characters) are not a rule file in any encoding.
            let (decoded, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            if decoded
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            {
                return Err(Problem::error(
                    Code::NotUtf8,
                    format!("el archivo de reglas `{shown}` no está en UTF-8 ni parece texto (primer carácter ilegible en la línea {line})"),
                )
                .help(save_as));
            }
            note = Some(
                Problem::warning(
                    Code::NotUtf8,
                    format!("el archivo de reglas `{shown}` no está en UTF-8: se leyó como Windows-1252 (primer carácter de ese tipo en la línea {line})"),
                )
                .help(save_as),
            );
            decoded.into_owned()
        }
    };
    if text.trim().is_empty() {
        return Err(Problem::error(Code::EmptyFile, format!("el archivo de reglas `{shown}` está vacío"))
            .help("Un archivo de reglas declara al menos `campo codigo: texto` y sus niveles; vea `rules/cepac.reglas` como ejemplo."));
    }
    Ok(SourceText { text, note })
}

/// A rule file's text, and the warning to give when it had to be decoded
/// as Windows-1252.
pub struct SourceText {
    pub text: String,
    pub note: Option<Problem>,
}
