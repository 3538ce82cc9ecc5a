//! «Reglas»: open a rule file, check the text being edited as `reglas
//! verificar` does (problems by line, in Spanish, with the suggestion), list
//! its parameters as a form, and save it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Level;
use crate::load::Loaded;
use crate::provenance::sha256_bytes;
use crate::text::system_error;

use super::folder::{self, relative_name};
use super::http::{json_body, query_value, Handled, Reply, WebError};
use super::state::State;

/// One problem, placed on its line of the file being edited.
#[derive(Debug, Serialize)]
pub struct Diagnostico {
    /// 1-based; 1 when the problem is in another file (a base file).
    pub linea: usize,
    pub columna: usize,
    /// "error" or "advertencia".
    pub gravedad: &'static str,
    pub codigo: &'static str,
    pub mensaje: String,
    /// What the label under the place says.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detalle: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ayuda: Option<String>,
    /// `cepac.reglas:12` when the problem is in another file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub en_otro_archivo: Option<String>,
}

/// A parameter as the form shows it.
#[derive(Debug, Serialize)]
pub struct Parametro {
    pub nombre: String,
    pub titulo: Option<String>,
    /// The value as written (`40%`).
    pub valor: String,
    /// The comment lines just above the declaration (why this value).
    pub comentario: String,
    pub linea: usize,
    /// False when it is declared in another file (the base of a variant).
    pub editable: bool,
    pub lugar: String,
}

#[derive(Debug, Serialize)]
struct Checked {
    diagnosticos: Vec<Diagnostico>,
    errores: usize,
    advertencias: usize,
    /// The parameters, when the text has no errors.
    parametros: Option<Vec<Parametro>>,
}

#[derive(Debug, Serialize)]
struct Opened {
    archivo: String,
    texto: String,
    /// SHA-256 of the file as read: a save checks it is still the same.
    version: String,
    /// Rule files of the folder based on this one.
    variantes: Vec<String>,
    #[serde(flatten)]
    checked: Checked,
}

/// `GET /api/reglas?archivo=cepac.reglas`
pub fn open(state: &State, query: &str) -> Handled {
    let name = query_value(query, "archivo").unwrap_or_default();
    let path = rule_file(state, &name)?;
    let bytes = std::fs::read(&path).map_err(|e| {
        WebError::new(
            404,
            format!("no se pudo leer `{name}`: {}", system_error(&e)),
        )
    })?;
    // Read as `load` reads it (a Windows-1252 file too: saving writes UTF-8).
    let texto = crate::load::read_source(&path)
        .map_err(|p| {
            let mut e = WebError::bad(p.message);
            e.ayuda = p.help;
            e
        })?
        .text;
    let checked = check_text(state, &path, texto.clone())?;
    Ok(Reply::json(&Opened {
        archivo: name,
        version: sha256_bytes(&bytes),
        variantes: variants_of(state, &path),
        texto,
        checked,
    }))
}

#[derive(Debug, Deserialize)]
struct Edited {
    archivo: String,
    texto: String,
}

/// `POST /api/verificar {archivo, texto}`
pub fn check(state: &State, body: &[u8]) -> Handled {
    let edited: Edited = json_body(body)?;
    let path = rule_file(state, &edited.archivo)?;
    Ok(Reply::json(&check_text(state, &path, edited.texto)?))
}

/// A `.reglas` file inside the folder.
fn rule_file(state: &State, name: &str) -> Result<PathBuf, WebError> {
    let path = folder::resolve(&state.root, name)?;
    let is_rules = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("reglas"));
    if !is_rules || !path.is_file() {
        return Err(WebError::bad(format!(
            "`{name}` no es un archivo de reglas (.reglas)"
        )));
    }
    Ok(path)
}

/// Everything `reglas verificar` says of the text, lints included.
fn check_text(state: &State, path: &Path, text: String) -> Result<Checked, WebError> {
    let mut loaded = crate::load::load_text(&path.display().to_string(), text);
    folder::check_inside(&state.root, &loaded)?;
    if let Some(program) = &loaded.program {
        loaded.problems.extend(crate::lint::lint(program));
        loaded.problems.sort();
    }
    let diagnosticos: Vec<Diagnostico> = loaded
        .problems
        .errors()
        .chain(loaded.problems.warnings())
        .map(|p| diagnostic(&loaded, p))
        .collect();
    let errores = loaded.problems.errors().count();
    Ok(Checked {
        advertencias: diagnosticos.len() - errores,
        errores,
        diagnosticos,
        parametros: loaded.program.as_ref().map(|p| parameters(&loaded, p)),
    })
}

/// The file being edited is the first one loaded.
const EDITED: crate::source::FileId = crate::source::FileId(0);

fn diagnostic(loaded: &Loaded, p: &crate::diagnostic::Problem) -> Diagnostico {
    let span = p.primary_span();
    let (linea, columna, en_otro_archivo) = match span {
        Some(s) if s.file == EDITED => {
            let (l, c) = loaded.sources.get(s.file).line_col(s.start);
            (l, c, None)
        }
        Some(s) => (1, 1, Some(loaded.sources.short_location(s))),
        None => (1, 1, None),
    };
    Diagnostico {
        linea,
        columna,
        gravedad: match p.level {
            Level::Error => "error",
            Level::Warning => "advertencia",
        },
        codigo: p.code.as_str(),
        mensaje: p.message.clone(),
        detalle: p.labels.first().map(|l| l.1.clone()).unwrap_or_default(),
        ayuda: p.help.clone(),
        en_otro_archivo,
    }
}

/// Each parameter with its value as written and the comment above it.
fn parameters(loaded: &Loaded, program: &crate::program::Program) -> Vec<Parametro> {
    program
        .params
        .iter()
        .map(|p| {
            let file = loaded.sources.get(p.span.file);
            let (linea, _) = file.line_col(p.span.start);
            let lines: Vec<&str> = file.text.lines().collect();
            let declaration = lines.get(linea - 1).copied().unwrap_or("");
            Parametro {
                nombre: p.name.clone(),
                titulo: p.title.clone(),
                valor: value_as_written(declaration),
                comentario: comment_above(&lines, linea),
                linea,
                editable: p.span.file == EDITED,
                lugar: loaded.sources.short_location(p.span),
            }
        })
        .collect()
}

/// `parámetro umbral = 40%  # …` → `40%`.
fn value_as_written(line: &str) -> String {
    let value = line.split_once('=').map(|(_, v)| v).unwrap_or("");
    let value = value.split_once('#').map(|(v, _)| v).unwrap_or(value);
    value.trim().to_string()
}

/// The `#` lines right above line `linea` (1-based), without the `#`.
fn comment_above(lines: &[&str], linea: usize) -> String {
    let mut above: Vec<&str> = lines[..linea.saturating_sub(1).min(lines.len())]
        .iter()
        .rev()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .collect();
    above.reverse();
    above.join("\n")
}

/// The folder's rule files whose `basado en` names `path`.
fn variants_of(state: &State, path: &Path) -> Vec<String> {
    let listing = super::files::list(&state.root);
    listing
        .reglas
        .iter()
        .filter(|name| {
            let other = state.root.join(name);
            other != path && base_of(&other).is_some_and(|b| b == path)
        })
        .cloned()
        .collect()
}

/// The file a rule file is `basado en`, resolved, when it has one.
fn base_of(path: &Path) -> Option<PathBuf> {
    let text = crate::load::read_source(path).ok()?.text;
    let mut sources = crate::source::SourceMap::new();
    let id = sources.add(path.display().to_string(), text);
    let file = crate::syntax::parse(&sources, id).ok()?;
    let base = file.header?.base?;
    path.parent()?.join(&base.text).canonicalize().ok()
}

#[derive(Debug, Deserialize)]
struct Save {
    archivo: String,
    texto: String,
    /// The version the page loaded (see [`Opened::version`]).
    version: String,
    /// The analyst was told the file is the base of variants, and agreed.
    #[serde(default)]
    confirmar_base: bool,
}

#[derive(Debug, Serialize)]
struct Saved {
    version: String,
    respaldo: String,
}

/// The answer when the file is the base of variants and the page has not
/// said the analyst agreed.
#[derive(Debug, Serialize)]
struct BaseOfVariants {
    error: String,
    ayuda: &'static str,
    variantes: Vec<String>,
    /// The page asks the analyst, and sends `confirmar_base` if they agree.
    confirmar: bool,
}

/// `POST /api/guardar`: a backup copy next to the file, then the new text
/// written to a temporary file and renamed over it (never half a file).
/// Refused when the file changed since the page loaded it.
pub fn save(state: &State, body: &[u8]) -> Handled {
    let asked: Save = json_body(body)?;
    let path = rule_file(state, &asked.archivo)?;
    // One save at a time: the version check and the write go together.
    let _saving = state.saving.lock().map_err(|_| {
        WebError::internal("el servidor se detuvo por un error anterior: vuelva a abrirlo")
    })?;
    let current = std::fs::read(&path).map_err(|e| {
        WebError::internal(format!(
            "no se pudo leer `{}`: {}",
            asked.archivo,
            system_error(&e)
        ))
    })?;
    if sha256_bytes(&current) != asked.version {
        return Err(WebError::new(
            409,
            format!("`{}` cambió desde que lo abrió (en otra pestaña o en otro programa)", asked.archivo),
        )
        .help("Copie sus cambios, vuelva a abrir el archivo y aplíquelos de nuevo: así no se pierde ninguno de los dos."));
    }
    let variants = variants_of(state, &path);
    if !variants.is_empty() && !asked.confirmar_base {
        let mut reply = Reply::json(&BaseOfVariants {
            error: format!(
                "`{}` es la base de {}: {}. Los cambios también valen para ellas.",
                asked.archivo,
                crate::text::plural(variants.len(), "variante", "variantes"),
                variants.join(", ")
            ),
            ayuda: "Guarde solo si el cambio debe valer también para esas variantes.",
            variantes: variants,
            confirmar: true,
        });
        reply.status = 409;
        return Ok(reply);
    }
    let backup = write_backup(&path, &current)?;
    write_atomically(&path, asked.texto.as_bytes())?;
    Ok(Reply::json(&Saved {
        version: sha256_bytes(asked.texto.as_bytes()),
        respaldo: relative_name(&state.root, &backup),
    }))
}

/// `cepac.reglas` → `cepac.reglas.respaldo` (the last version before this
/// save).
fn write_backup(path: &Path, current: &[u8]) -> Result<PathBuf, WebError> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".respaldo");
    let backup = path.with_file_name(name);
    write_atomically(&backup, current)?;
    Ok(backup)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), WebError> {
    let fail = |e: std::io::Error| {
        WebError::internal(format!(
            "no se pudo guardar `{}`: {}",
            path.display(),
            system_error(&e)
        ))
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".reglas-web.")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(fail)?;
    // Keep the file's permissions (a temporary file is private).
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
