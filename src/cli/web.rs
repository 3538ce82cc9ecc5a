//! `reglas web [CARPETA]`: serves the browser app on 127.0.0.1 and opens
//! it in the default browser; Ctrl-C (or closing the console) stops it.

use std::path::Path;

use reglas::render::diagnostics::ErrorFormat;
use reglas::web::{Options, Server};

use super::{fail, output, EXIT_OK};

pub fn run(folder: &Path, open_browser: bool, errors: ErrorFormat) -> i32 {
    match start(folder, open_browser, errors) {
        Ok(server) => {
            outln!("Para detener el servidor, pulse Ctrl-C o cierre esta ventana.");
            server.run();
            EXIT_OK
        }
        Err(code) => code,
    }
}

/// Opens the server on `folder`, prints the address and opens the
/// browser; answering is left to the caller ([`Server::run`]). Err is the
/// exit code, after the error was printed.
pub fn start(folder: &Path, open_browser: bool, errors: ErrorFormat) -> Result<Server, i32> {
    let server = Server::start(Options::new(folder)).map_err(|f| fail::failed(f, errors))?;
    output::stop_server_on_interrupt("Servidor detenido.", server.uploads_dir().to_path_buf());
    let url = server.url();
    outln!("reglas web: carpeta {}", server.folder().display());
    outln!("Dirección: {url}");
    if open_browser {
        match open(&url) {
            Ok(()) => outln!("Se abrió el navegador con esa dirección."),
            Err(why) => outln!("No se pudo abrir el navegador ({why}): copie la dirección en uno."),
        }
    }
    Ok(server)
}

/// Opens the default browser. Without a graphical session (a server over
/// SSH) there is none to open: say so instead of starting a text browser
/// in this console.
fn open(url: &str) -> Result<(), String> {
    if cfg!(all(unix, not(target_os = "macos")))
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        return Err("no hay una sesión gráfica".into());
    }
    opener::open_browser(url).map_err(|_| "no se encontró un navegador".to_string())
}
