//! The files the page can choose: the folder's rule files and data files,
//! and data files uploaded from the browser (kept in a temporary folder
//! that is removed when the server stops).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

use super::folder::relative_name;
use super::http::WebError;
use crate::text::system_error;

/// Extensions the data readers open (`data::open`).
pub const DATA_EXTENSIONS: &[&str] = &[
    "csv", "tsv", "json", "jsonl", "ndjson", "xlsx", "xlsm", "xls", "ods",
];

/// How deep the listing looks into subfolders, and how many files it lists
/// at most: a folder given by mistake (a whole disk) must not hang the page.
const MAX_DEPTH: usize = 4;
const MAX_LISTED: usize = 2000;

/// The rule file chosen when the folder has it.
const PREFERRED_RULES: &str = "cepac.reglas";

/// Prefix of an uploaded file's name in requests: `subido:3`.
const UPLOAD_PREFIX: &str = "subido:";

#[derive(Debug, Serialize)]
pub struct Listing {
    pub carpeta: String,
    pub reglas: Vec<String>,
    pub datos: Vec<String>,
    /// The rule file to preselect (the CEPAC rules when they are there).
    pub preseleccion: Option<String>,
}

/// The folder's rule and data files, sorted, names relative to the root.
pub fn list(root: &Path) -> Listing {
    let mut found = Vec::new();
    walk(root, 0, &mut found);
    found.sort();
    let names: Vec<String> = found.iter().map(|p| relative_name(root, p)).collect();
    let reglas: Vec<String> = names
        .iter()
        .filter(|n| extension(n) == "reglas")
        .cloned()
        .collect();
    let datos = names
        .iter()
        .filter(|n| DATA_EXTENSIONS.contains(&extension(n).as_str()))
        .cloned()
        .collect();
    let preseleccion = reglas
        .iter()
        .find(|n| n.as_str() == PREFERRED_RULES || n.ends_with(&format!("/{PREFERRED_RULES}")))
        .or(reglas.first())
        .cloned();
    Listing {
        carpeta: root.display().to_string(),
        reglas,
        datos,
        preseleccion,
    }
}

fn extension(name: &str) -> String {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// Files (not links: a link may lead out of the folder), skipping hidden
/// folders and build output.
fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if out.len() >= MAX_LISTED {
            return;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if name.starts_with('.') || kind.is_symlink() {
            continue;
        }
        if kind.is_dir() && depth < MAX_DEPTH && name != "target" {
            walk(&entry.path(), depth + 1, out);
        } else if kind.is_file() {
            let ext = extension(&name);
            if ext == "reglas" || DATA_EXTENSIONS.contains(&ext.as_str()) {
                out.push(entry.path());
            }
        }
    }
}

/// Data files sent from the browser, in a temporary folder made at the
/// first upload (a server nobody uploads to leaves nothing behind) and
/// removed when the server is dropped or, through the command line's
/// Ctrl-C handler, stopped.
pub struct Uploads {
    dir: PathBuf,
    files: Mutex<Vec<Upload>>,
}

struct Upload {
    name: String,
    path: PathBuf,
}

#[derive(Debug, Serialize)]
pub struct Uploaded {
    /// What the page sends back to name this file: `subido:3`.
    pub datos: String,
    pub nombre: String,
}

impl Uploads {
    /// `unique`: random text that makes the folder's name unguessable.
    pub fn new(unique: &str) -> Uploads {
        Uploads {
            dir: std::env::temp_dir().join(format!("reglas-web-{unique}")),
            files: Mutex::new(Vec::new()),
        }
    }

    /// The temporary folder of the uploads (it may not exist yet).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Makes the folder, only readable by this user; an existing one (not
    /// made by this server) is refused.
    fn make_dir(&self) -> std::io::Result<()> {
        #[cfg(unix)]
        let builder = {
            use std::os::unix::fs::DirBuilderExt;
            let mut b = std::fs::DirBuilder::new();
            b.mode(0o700);
            b
        };
        // Windows has no mode bits: the folder inherits the permissions of
        // the folder it is made in.
        #[cfg(not(unix))]
        let builder = std::fs::DirBuilder::new();
        builder.create(&self.dir)
    }

    /// Keeps `body` under `name` (its extension chooses the reader).
    pub fn add(&self, name: &str, body: &[u8]) -> Result<Uploaded, WebError> {
        let name = clean_name(name);
        let ext = extension(&name);
        if !DATA_EXTENSIONS.contains(&ext.as_str()) {
            return Err(WebError::bad(format!(
                "`{name}` no es un archivo de datos que reglas sepa leer"
            ))
            .help("Use una planilla .xlsx u .ods, un archivo .csv (también la exportación de Kobo) o .json."));
        }
        let mut files = self
            .files
            .lock()
            .map_err(|_| WebError::internal("el servidor se detuvo por un error anterior"))?;
        if files.is_empty() {
            self.make_dir().map_err(|e| {
                WebError::internal(format!(
                    "no se pudo preparar una carpeta temporal para los archivos subidos: {}",
                    system_error(&e)
                ))
            })?;
        }
        let id = files.len() + 1;
        // Each upload in its own subfolder, so the file keeps its own name
        // (the data readers and the audit record show it).
        let sub = self.dir.join(id.to_string());
        let path = sub.join(&name);
        std::fs::create_dir_all(&sub)
            .and_then(|_| std::fs::write(&path, body))
            .map_err(|e| {
                WebError::internal(format!("no se pudo guardar `{name}`: {}", system_error(&e)))
            })?;
        files.push(Upload {
            name: name.clone(),
            path,
        });
        Ok(Uploaded {
            datos: format!("{UPLOAD_PREFIX}{id}"),
            nombre: name,
        })
    }

    /// The path of `subido:N`, or None when `datos` is not an upload.
    pub fn find(&self, datos: &str) -> Option<Result<(PathBuf, String), WebError>> {
        let id = datos.strip_prefix(UPLOAD_PREFIX)?;
        let missing = || {
            WebError::new(404, "el archivo subido ya no está en el servidor")
                .help("Vuelva a elegir el archivo de datos.")
        };
        let files = match self.files.lock() {
            Ok(f) => f,
            Err(_) => return Some(Err(missing())),
        };
        let found = id
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| files.get(i))
            .map(|u| (u.path.clone(), u.name.clone()));
        Some(found.ok_or_else(missing))
    }
}

impl Drop for Uploads {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The last component of a browser's file name, without characters that
/// could make it a path.
fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "datos".to_string()
    } else {
        cleaned
    }
}
