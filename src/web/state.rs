//! What the server keeps between requests: the folder, the key, uploads,
//! recent evaluations; and the loading steps every handler shares.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::data::{DataSource, ReadOptions};
use crate::load::Loaded;

use super::files::Uploads;
use super::folder;
use super::http::WebError;
use super::table::Evaluation;

/// Evaluations kept for paging through their table.
const EVALUATIONS_KEPT: usize = 8;

pub struct State {
    pub root: PathBuf,
    /// `127.0.0.1:PORT`, the only `Host` answered.
    pub host: String,
    pub key: String,
    pub max_upload: u64,
    pub uploads: Uploads,
    /// Held while a rule file is saved.
    pub saving: Mutex<()>,
    evaluations: Mutex<Vec<Arc<Evaluation>>>,
    next_id: Mutex<u64>,
}

impl State {
    pub fn new(
        root: PathBuf,
        addr: SocketAddr,
        key: String,
        max_upload: u64,
    ) -> Result<State, crate::diagnostic::Failure> {
        Ok(State {
            root,
            host: addr.to_string(),
            key,
            max_upload,
            // Its own random name: folder names in the temporary folder can
            // be listed by other users, so never the key.
            uploads: Uploads::new(&super::guard::random_key()?),
            saving: Mutex::new(()),
            evaluations: Mutex::new(Vec::new()),
            next_id: Mutex::new(0),
        })
    }

    /// Loads a rule file of the folder, or the text the page is editing in
    /// its place (so its `basado en` is read from the same folder). Rules
    /// with errors are refused with the first error.
    pub fn rules(&self, name: &str, text: Option<String>) -> Result<Loaded, WebError> {
        let path = folder::resolve(&self.root, name)?;
        let loaded = match text {
            Some(t) => crate::load::load_text(&path.display().to_string(), t),
            None => crate::load::load_file(&path),
        };
        folder::check_inside(&self.root, &loaded)?;
        if let Some(first) = loaded.problems.errors().next() {
            let n = loaded.problems.errors().count();
            let place = first
                .primary_span()
                .map(|s| {
                    format!(
                        " (línea {})",
                        loaded.sources.get(s.file).line_col(s.start).0
                    )
                })
                .unwrap_or_default();
            return Err(WebError::new(
                422,
                format!(
                    "las reglas de `{name}` tienen {}: {}{place}",
                    crate::text::plural(n, "error", "errores"),
                    first.message
                ),
            )
            .help("Corrija las reglas en la pestaña «Reglas»: cada error aparece bajo su línea."));
        }
        Ok(loaded)
    }

    /// The path of a data file of the folder or of an upload, and the name
    /// to show.
    pub fn data_path(&self, datos: &str) -> Result<(PathBuf, String), WebError> {
        if let Some(upload) = self.uploads.find(datos) {
            return upload;
        }
        let path = folder::resolve(&self.root, datos)?;
        Ok((path, datos.to_string()))
    }

    /// Opens a data file for a program, as `reglas evaluar` does with no
    /// reading options (separator, encoding and sheet are detected).
    pub fn open_data(
        &self,
        program: &crate::program::Program,
        path: &Path,
    ) -> Result<DataSource, WebError> {
        crate::data::open(path, &program.schema, &ReadOptions::default()).map_err(|e| {
            let help = miette::Diagnostic::help(&e).map(|h| h.to_string());
            let mut err = WebError::bad(e.to_string());
            err.ayuda = help;
            err
        })
    }

    /// Keeps an evaluation for its table pages; the oldest are dropped.
    pub fn keep(&self, make: impl FnOnce(u64) -> Evaluation) -> Result<Arc<Evaluation>, WebError> {
        let id = {
            let mut next = self.next_id.lock().map_err(|_| poisoned())?;
            *next += 1;
            *next
        };
        let evaluation = Arc::new(make(id));
        let mut kept = self.evaluations.lock().map_err(|_| poisoned())?;
        kept.push(Arc::clone(&evaluation));
        if kept.len() > EVALUATIONS_KEPT {
            kept.remove(0);
        }
        Ok(evaluation)
    }

    pub fn evaluation(&self, id: u64) -> Result<Arc<Evaluation>, WebError> {
        let kept = self.evaluations.lock().map_err(|_| poisoned())?;
        kept.iter().find(|e| e.id == id).cloned().ok_or_else(|| {
            WebError::new(404, "esa evaluación ya no está en el servidor")
                .help("Vuelva a pulsar «Evaluar».")
        })
    }
}

/// The program of rules loaded by [`State::rules`] (which refuses rules
/// with errors, so there is one).
pub fn program_of(loaded: &Loaded) -> Result<&crate::program::Program, WebError> {
    loaded
        .program
        .as_ref()
        .ok_or_else(|| WebError::internal("las reglas no se pudieron preparar"))
}

fn poisoned() -> WebError {
    WebError::internal("el servidor se detuvo por un error anterior: vuelva a abrirlo")
}
