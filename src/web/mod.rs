//! `reglas web`: the whole loop (rules, data, levels, explanations, editing)
//! in a browser, served by this program on the analyst's own machine.
//!
//! A thin layer, like the command line: each handler reads the request,
//! calls the library (load, evaluate, render, compare) and answers JSON.
//! The pages, script and styles are compiled into the program (`assets`).
//!
//! Safety: the server listens on 127.0.0.1 only, answers only requests whose
//! `Host` is the address it printed and that carry the random key of the
//! address it opened (`guard`), and reads and writes only inside the chosen
//! folder (`folder`).

mod api;
mod assets;
mod compare;
mod download;
mod explain;
mod files;
mod folder;
mod guard;
mod http;
mod results;
mod rules;
mod state;
mod table;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::codes::Code;
use crate::diagnostic::Failure;

pub use http::Reply;

/// The largest data file accepted from the browser. A spreadsheet of
/// 200,000 organizations is about 60 MB as CSV.
pub const MAX_UPLOAD_BYTES: u64 = 100 * 1024 * 1024;

/// What the server may do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder whose files it reads and writes (nothing outside).
    pub folder: PathBuf,
    pub max_upload: u64,
}

impl Options {
    pub fn new(folder: &Path) -> Options {
        Options {
            folder: folder.to_path_buf(),
            max_upload: MAX_UPLOAD_BYTES,
        }
    }
}

/// A server listening on a free port of 127.0.0.1, not yet answering.
pub struct Server {
    http: Arc<tiny_http::Server>,
    state: Arc<state::State>,
    addr: SocketAddr,
}

impl Server {
    /// Opens the folder and the port; nothing is served until [`Server::run`].
    pub fn start(options: Options) -> Result<Server, Failure> {
        let root = folder::open_root(&options.folder)?;
        let http = tiny_http::Server::http("127.0.0.1:0").map_err(|e| {
            Failure::new(
                Code::Output,
                format!("no se pudo abrir el servidor local: {e}"),
            )
        })?;
        let addr = http.server_addr().to_ip().ok_or_else(|| {
            Failure::new(Code::Output, "el servidor local no tiene una dirección")
        })?;
        let key = guard::random_key()?;
        let state = state::State::new(root, addr, key, options.max_upload)?;
        Ok(Server {
            http: Arc::new(http),
            state: Arc::new(state),
            addr,
        })
    }

    /// The address to open, with the key: `http://127.0.0.1:PORT/?clave=…`.
    pub fn url(&self) -> String {
        format!("http://{}/?clave={}", self.addr, self.state.key)
    }

    pub fn address(&self) -> SocketAddr {
        self.addr
    }

    /// The folder served, as the system names it.
    pub fn folder(&self) -> &Path {
        &self.state.root
    }

    /// The temporary folder where uploaded data files are kept, made at
    /// the first upload (removed when the server is dropped; the command
    /// line removes it on Ctrl-C).
    pub fn uploads_dir(&self) -> &Path {
        self.state.uploads.dir()
    }

    /// Answers requests until the process ends, each on its own thread so
    /// that a long evaluation never blocks the page.
    pub fn run(&self) {
        for request in self.http.incoming_requests() {
            let state = Arc::clone(&self.state);
            std::thread::spawn(move || api::handle(&state, request));
        }
    }
}
