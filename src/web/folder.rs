//! The chosen folder: every path the page names is resolved inside it, and
//! anything that leads out (`..`, an absolute path, a link to elsewhere) is
//! refused.

use std::path::{Component, Path, PathBuf};

use crate::codes::Code;
use crate::diagnostic::Failure;
use crate::text::system_error;

use super::http::WebError;

/// The folder as the system names it (links resolved), which must exist.
pub fn open_root(folder: &Path) -> Result<PathBuf, Failure> {
    let root = folder.canonicalize().map_err(|e| {
        Failure::new(
            Code::InputFile,
            format!(
                "no se puede abrir la carpeta `{}`: {}",
                folder.display(),
                system_error(&e)
            ),
        )
        .file(folder)
    })?;
    if !root.is_dir() {
        return Err(Failure::new(
            Code::InputFile,
            format!("`{}` no es una carpeta", folder.display()),
        )
        .help(
            "Indique la carpeta que tiene los archivos de reglas, por ejemplo `reglas web rules`.",
        )
        .file(folder));
    }
    Ok(root)
}

/// An existing file named relative to the root (`regiones/chaco.reglas`),
/// resolved and checked to be inside it.
pub fn resolve(root: &Path, relative: &str) -> Result<PathBuf, WebError> {
    let outside = || {
        WebError::new(
            403,
            format!("`{relative}` está fuera de la carpeta abierta"),
        )
        .help("Solo se pueden usar los archivos de la carpeta que se abrió con `reglas web`.")
    };
    let rel = Path::new(relative);
    if relative.is_empty() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(outside());
    }
    let path = root.join(rel).canonicalize().map_err(|e| {
        WebError::new(
            404,
            format!("no se puede abrir `{relative}`: {}", system_error(&e)),
        )
    })?;
    if !path.starts_with(root) {
        return Err(outside());
    }
    Ok(path)
}

/// The name the page shows of a file inside the root: `regiones/chaco.reglas`.
pub fn relative_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every file a loaded rule set read (a variant reads its base) must be
/// inside the root.
pub fn check_inside(root: &Path, loaded: &crate::load::Loaded) -> Result<(), WebError> {
    for f in loaded.sources.files() {
        let inside = f
            .path
            .canonicalize()
            .map(|p| p.starts_with(root))
            .unwrap_or(true);
        if !inside {
            return Err(WebError::new(
                403,
                format!(
                    "estas reglas se basan en `{}`, que está fuera de la carpeta abierta",
                    f.name
                ),
            )
            .help("Abra con `reglas web` la carpeta que contiene las reglas y su archivo base."));
        }
    }
    Ok(())
}
