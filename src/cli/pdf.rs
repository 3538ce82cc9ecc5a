//! `reglas informe … --salida informe.pdf`: the HTML report printed to PDF
//! by a Chromium-based browser (Chromium, Chrome or Edge) run headless. The
//! page is the same one the analyst can print from the browser; the browser
//! lays it out with the report's print style (page numbers, page breaks).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reglas::codes::Code;
use reglas::diagnostic::Failure;
use reglas::report::{self, Informe};
use reglas::text::system_error;

/// Names a Chromium-based browser has on the `PATH`.
const NAMES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "msedge",
];

/// Where Windows installs them (they are not on the `PATH` there).
#[cfg(windows)]
const WINDOWS_PATHS: &[&str] = &[
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
];

/// The longest a browser may take to print a report.
const TIMEOUT: Duration = Duration::from_secs(300);

/// The browser to print with: `REGLAS_NAVEGADOR` when set, else the first
/// one found.
pub fn find_browser() -> Result<PathBuf, Failure> {
    if let Some(p) = std::env::var_os("REGLAS_NAVEGADOR") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(Failure::new(
                Code::BadOption,
                format!(
                    "no se puede escribir el PDF: `REGLAS_NAVEGADOR` indica `{}`, que no existe",
                    p.display()
                ),
            )
            .help("Corrija la ruta al navegador (Chromium, Chrome o Edge) o quite la variable."))
        };
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    for dir in on_path {
        for name in NAMES {
            let candidate = dir
                .join(name)
                .with_extension(std::env::consts::EXE_EXTENSION);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    #[cfg(windows)]
    for p in WINDOWS_PATHS {
        if Path::new(p).is_file() {
            return Ok(PathBuf::from(p));
        }
    }
    Err(Failure::new(
        Code::BadOption,
        "no se puede escribir el PDF: no se encontró Chromium, Chrome ni Edge en esta computadora",
    )
    .help(
        "Guarde el informe como página (`--salida informe.html`), ábrala con el navegador y use \
         «Imprimir» → «Guardar como PDF». O instale Chromium (en Debian o Ubuntu: \
         `apt install chromium`) o indique dónde está con la variable `REGLAS_NAVEGADOR`.",
    ))
}

/// The report printed to PDF: its bytes.
pub fn print(browser: &Path, inf: &Informe) -> Result<Vec<u8>, Failure> {
    let fail = |what: &str, e: std::io::Error| {
        Failure::new(
            Code::Output,
            format!("no se pudo escribir el PDF: {what}: {}", system_error(&e)),
        )
    };
    let dir = tempfile::tempdir().map_err(|e| fail("carpeta temporal", e))?;
    let html = dir.path().join("informe.html");
    let pdf = dir.path().join("informe.pdf");
    let mut file = std::fs::File::create(&html).map_err(|e| fail("página temporal", e))?;
    report::html::escribir_informe(inf, &mut file).map_err(|e| fail("página temporal", e))?;
    drop(file);
    run_browser(browser, &html, &pdf, dir.path())?;
    std::fs::read(&pdf).map_err(|_| {
        Failure::new(
            Code::Output,
            format!(
                "no se pudo escribir el PDF: `{}` terminó sin producirlo",
                browser.display()
            ),
        )
        .help("Pruebe guardar el informe como página (`--salida informe.html`) e imprimirlo desde el navegador.")
    })
}

/// Runs the browser headless, with no network and its own profile folder,
/// and waits for it (at most [`TIMEOUT`]).
fn run_browser(browser: &Path, html: &Path, pdf: &Path, work: &Path) -> Result<(), Failure> {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-pdf-header-footer",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            // As root (a container) Chromium refuses to start with its sandbox.
            "--no-sandbox",
        ])
        .arg(format!("--user-data-dir={}", work.join("perfil").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(file_url(html))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            Failure::new(
                Code::Output,
                format!(
                    "no se pudo abrir el navegador `{}` para el PDF: {}",
                    browser.display(),
                    system_error(&e)
                ),
            )
        })?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => return Ok(()),
            Ok(None) if start.elapsed() < TIMEOUT => std::thread::sleep(Duration::from_millis(100)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Failure::new(
                    Code::Output,
                    format!(
                        "no se pudo escribir el PDF: el navegador `{}` no terminó en {} minutos",
                        browser.display(),
                        TIMEOUT.as_secs() / 60
                    ),
                ));
            }
        }
    }
}

/// `file:///…` for a local file (a path with spaces or tildes, encoded).
fn file_url(path: &Path) -> String {
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let text = abs.to_string_lossy().replace('\\', "/");
    // Windows' canonical form starts with `\\?\`.
    let text = text.trim_start_matches("//?/");
    let mut url = String::from("file://");
    if !text.starts_with('/') {
        url.push('/');
    }
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' | b':' => {
                url.push(b as char)
            }
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}
