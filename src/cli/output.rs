//! Where results go: standard output, or a file written atomically (a
//! temporary file in the same folder, renamed at the end), so a failed run
//! never leaves a half-written file behind. Never over one of the inputs nor
//! over a rule file. `-` is standard output; a device or a named pipe
//! (`/dev/null`, a FIFO) is written to directly, never replaced by a file.
//!
//! Temporary files get a random name and are created exclusively (never
//! through a link planted at their name); Ctrl-C removes them
//! ([`remove_temporaries_on_interrupt`]). Standard output that cannot be
//! written is remembered ([`note_stdout`]) so the run ends with an error.
//! (A standard output closed at start, `>&-`, is `/dev/null` for Rust
//! programs: the runtime opens it there.)

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use tempfile::NamedTempFile;

use super::EXIT_FAILED;

/// Exit code after Ctrl-C (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: i32 = 130;

/// Temporary files being written, for the Ctrl-C handler.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes this run's temporary files when the user presses Ctrl-C (or the
/// run is sent SIGTERM/SIGHUP), then exits with [`EXIT_INTERRUPTED`]. Files
/// already in place are left as they were: results are only renamed into
/// place once complete.
pub fn remove_temporaries_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        if let Ok(list) = TEMPORARIES.lock() {
            for p in list.iter() {
                let _ = std::fs::remove_file(p);
            }
        }
        if let Ok(Some(server)) = SERVER_STOP.lock().as_deref() {
            let _ = std::fs::remove_dir_all(&server.1);
            let _ = writeln!(io::stderr(), "\n{}", server.0);
            std::process::exit(super::EXIT_OK);
        }
        let _ = writeln!(
            io::stderr(),
            "\nInterrumpido: no se escribió ninguna salida nueva (las que ya existían quedan como estaban)."
        );
        std::process::exit(EXIT_INTERRUPTED);
    });
}

/// For `reglas web`, where Ctrl-C is the way to stop: what to say, and its
/// temporary folder to remove.
static SERVER_STOP: Mutex<Option<(String, PathBuf)>> = Mutex::new(None);

/// Makes Ctrl-C stop a server: remove `temporary_dir`, print `message`,
/// and end with exit code 0.
pub fn stop_server_on_interrupt(message: &str, temporary_dir: PathBuf) {
    if let Ok(mut stop) = SERVER_STOP.lock() {
        *stop = Some((message.to_string(), temporary_dir));
    }
}

/// A temporary file next to `dest`, to be renamed over it when complete;
/// removed if dropped (an error) or on Ctrl-C.
pub struct Temporary {
    file: Option<NamedTempFile>,
    /// Flushes what is written to disk while the run goes on.
    early: Option<EarlySync>,
    /// Bytes written since the last early flush.
    unsynced: usize,
}

/// Bytes written between two early flushes.
const EARLY_SYNC_EVERY: usize = 16 << 20;

/// A thread that asks the disk to store a large output while it is still
/// being written (`fdatasync` on a second handle of the same file), so the
/// sync before the rename only waits for the last few megabytes: for a
/// 100 MB output that wait was 10–15 % of the whole run. Small outputs
/// never start it.
struct EarlySync {
    wake: std::sync::mpsc::SyncSender<()>,
    thread: std::thread::JoinHandle<io::Result<()>>,
}

impl EarlySync {
    fn start(file: &File) -> io::Result<EarlySync> {
        let handle = file.try_clone()?;
        let (wake, woken) = std::sync::mpsc::sync_channel::<()>(1);
        let thread = std::thread::spawn(move || {
            // Both handles share one open file, so an error this thread
            // sees is not seen again by the final sync: keep the first.
            let mut result = Ok(());
            for () in woken {
                if let Err(e) = handle.sync_data() {
                    result = result.and(Err(e));
                }
            }
            result
        });
        Ok(EarlySync { wake, thread })
    }

    /// Waits for the thread; the first error it met, if any.
    fn finish(self) -> io::Result<()> {
        drop(self.wake);
        self.thread
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("el guardado en el disco se interrumpió")))
    }
}

impl Temporary {
    /// Created exclusively (`O_EXCL`: never opens a file or a link that is
    /// already there) with a random name in `dest`'s folder.
    pub fn next_to(dest: &Path) -> io::Result<Temporary> {
        let dir = parent_dir(dest);
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut builder = tempfile::Builder::new();
        let prefix = format!(".{name}.");
        builder.prefix(&prefix).suffix(".tmp").rand_bytes(10);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // As `File::create` would (the umask applies), not tempfile's 0600.
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let file = builder.tempfile_in(dir)?;
        if let Ok(mut list) = TEMPORARIES.lock() {
            list.push(file.path().to_path_buf());
        }
        Ok(Temporary {
            file: Some(file),
            early: None,
            unsynced: 0,
        })
    }

    pub fn file(&self) -> io::Result<&File> {
        self.file
            .as_ref()
            .map(NamedTempFile::as_file)
            .ok_or_else(|| io::Error::other("archivo temporal ya usado"))
    }

    /// Syncs it to disk and renames it to `dest` (replacing a link there,
    /// never writing through it).
    pub fn persist(mut self, dest: &Path) -> io::Result<()> {
        let Some(file) = self.file.take() else {
            return Err(io::Error::other("archivo temporal ya usado"));
        };
        forget_temporary(file.path());
        if let Some(early) = self.early.take() {
            early.finish()?;
        }
        file.as_file().sync_all()?;
        file.persist(dest).map(drop).map_err(|e| e.error)
    }

    /// Counts what was written; past [`EARLY_SYNC_EVERY`] bytes, wakes the
    /// early flush (if it is still busy with the last one, it will catch up).
    fn written(&mut self, n: usize) -> io::Result<()> {
        self.unsynced += n;
        if self.unsynced < EARLY_SYNC_EVERY {
            return Ok(());
        }
        self.unsynced = 0;
        let early = match &mut self.early {
            Some(e) => e,
            None => {
                let started = EarlySync::start(self.file()?)?;
                self.early.insert(started)
            }
        };
        let _ = early.wake.try_send(());
        Ok(())
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if let Some(file) = &self.file {
            forget_temporary(file.path());
        }
        if let Some(early) = self.early.take() {
            let _ = early.finish();
        }
    }
}

impl Write for Temporary {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file()?.write(buf)?;
        self.written(n)?;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file()?.flush()
    }
}

/// Writes a whole small file the way outputs are written: a temporary file
/// beside it, synced to disk, then renamed over `dest`.
pub fn write_durably(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut tmp = Temporary::next_to(dest)?;
    tmp.write_all(bytes)?;
    tmp.persist(dest)
}

fn forget_temporary(path: &Path) {
    if let Ok(mut list) = TEMPORARIES.lock() {
        list.retain(|p| p != path);
    }
}

fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Set when standard output could not be written (other than a closed pipe).
static STDOUT_FAILED: AtomicBool = AtomicBool::new(false);

/// Records the result of a write to standard output; see [`stdout_result`].
pub fn note_stdout(result: io::Result<()>) {
    if let Err(e) = result {
        if e.kind() != io::ErrorKind::BrokenPipe {
            STDOUT_FAILED.store(true, Ordering::Relaxed);
        }
    }
}

/// The exit code once the command is done: `code`, unless something meant
/// for standard output could not be written (a full disk, a closed output),
/// which is said in Spanish and fails the run.
pub fn stdout_result(code: i32) -> i32 {
    if io::stdout().flush().is_err() {
        STDOUT_FAILED.store(true, Ordering::Relaxed);
    }
    if STDOUT_FAILED.load(Ordering::Relaxed) && code != EXIT_INTERRUPTED {
        let failure = reglas::diagnostic::Failure::new(
            reglas::codes::Code::Output,
            "no se pudo escribir la salida estándar (¿disco lleno?): el resultado está incompleto",
        )
        .help("Use `--salida ARCHIVO` para escribirlo en un archivo.");
        // In the error format asked for, like every other failure (an
        // editor reading JSON gets JSON); never a crash if stderr fails too.
        let errors = super::clap_errors::asked_error_format();
        let _ = write!(
            io::stderr(),
            "{}",
            reglas::render::diagnostics::render_failure(&failure, errors)
        );
        return code.max(EXIT_FAILED);
    }
    code
}

/// Exit code of a defect of the program (a panic), instead of Rust's 101.
pub const EXIT_INTERNAL: i32 = 70;

/// Runs the command so that it never crashes with Rust's English panic: a
/// defect is reported in Spanish with exit code [`EXIT_INTERNAL`]; standard
/// error that cannot be written (a full disk) is not a defect, and ends the
/// run quietly with [`EXIT_FAILED`] (there is nowhere to say it).
pub fn run_guarded(run: fn() -> i32) -> i32 {
    // The hook only remembers where: a panic the library catches (a damaged
    // spreadsheet) is not reported as a defect; one that reaches here is.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        if let Ok(mut last) = LAST_PANIC_PLACE.lock() {
            *last = place;
        }
    }));
    match std::panic::catch_unwind(run) {
        Ok(code) => code,
        Err(payload) if panic_text(payload.as_ref()).starts_with("failed printing to stderr") => {
            EXIT_FAILED
        }
        Err(payload) => {
            let msg = panic_text(payload.as_ref());
            let place = LAST_PANIC_PLACE
                .lock()
                .map(|p| p.clone())
                .unwrap_or_default();
            let _ = writeln!(
                io::stderr(),
                "error interno de reglas: un defecto del programa, no de sus datos ni de sus \
                 reglas{place}: {msg}. Avise a quien mantiene `reglas`, con el comando que usó."
            );
            EXIT_INTERNAL
        }
    }
}

/// Where the last panic happened, for the message of [`run_guarded`].
static LAST_PANIC_PLACE: Mutex<String> = Mutex::new(String::new());

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        String::new()
    }
}

use reglas::text::system_error;

use reglas::codes::Code;
use reglas::diagnostic::Failure;
use reglas::render::diagnostics::ErrorFormat;

pub enum Sink {
    Stdout(BufWriter<io::Stdout>),
    /// A device or a named pipe: written as it is.
    Direct(BufWriter<File>),
    File {
        dest: PathBuf,
        file: BufWriter<Temporary>,
    },
}

impl Sink {
    /// Opens the destination; refuses to write over any of `inputs`, and
    /// over an existing file unless `overwrite` (`--sobrescribir`).
    pub fn open(dest: Option<&Path>, overwrite: bool, inputs: &[&Path]) -> Result<Sink, Failure> {
        let failure = |msg: String| Failure::new(Code::Output, msg);
        let Some(dest) = dest.filter(|d| d.as_os_str() != "-") else {
            return Ok(Sink::Stdout(BufWriter::new(io::stdout())));
        };
        if let Ok(meta) = std::fs::metadata(dest) {
            if !meta.is_file() && !meta.is_dir() {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(dest)
                    .map_err(|e| {
                        failure(format!(
                            "no se pudo abrir `{}`: {}",
                            dest.display(),
                            system_error(&e)
                        ))
                    })?;
                return Ok(Sink::Direct(BufWriter::with_capacity(1 << 20, file)));
            }
        }
        if dest.is_dir() {
            return Err(failure(format!(
                "`{}` es una carpeta: indique el nombre del archivo de salida, por ejemplo `{}`",
                dest.display(),
                dest.join("resultados.csv").display()
            )));
        }
        Sink::refuse_inputs(dest, inputs).map_err(failure)?;
        Sink::refuse_existing(dest, overwrite)?;
        let dir = parent_dir(dest);
        if !dir.is_dir() {
            return Err(failure(format!(
                "no existe la carpeta `{}` para la salida",
                dir.display()
            )));
        }
        let file = Temporary::next_to(dest).map_err(|e| {
            let why = match e.kind() {
                io::ErrorKind::PermissionDenied => {
                    "no tiene permiso para escribir en esa carpeta".to_string()
                }
                _ => system_error(&e),
            };
            failure(format!("no se pudo crear `{}`: {why}", dest.display()))
        })?;
        Ok(Sink::File {
            dest: dest.to_path_buf(),
            file: BufWriter::with_capacity(1 << 20, file),
        })
    }

    /// An error when `dest` is a file that already exists and the user did
    /// not say `--sobrescribir`: it may hold work (a filled-in template, a
    /// report already sent). The same rule in every command.
    pub fn refuse_existing(dest: &Path, overwrite: bool) -> Result<(), Failure> {
        // A link counts as a file, even one that leads nowhere.
        let exists = std::fs::symlink_metadata(dest).is_ok_and(|m| !m.is_dir());
        if overwrite || !exists {
            return Ok(());
        }
        Err(Failure::new(
            Code::Output,
            format!("ya existe `{}`; no se sobrescribe", dest.display()),
        )
        .help("Agregue `--sobrescribir` para reemplazarlo, o elija otro nombre con `--salida`.")
        .file(dest))
    }

    /// An error when `dest` is one of the input files or a rule file (the
    /// rules given, or a base they are `basado en`: those are `.reglas` too).
    pub fn refuse_inputs(dest: &Path, inputs: &[&Path]) -> Result<(), String> {
        let is_rules = |p: &Path| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("reglas"))
        };
        if is_rules(dest) || dest.canonicalize().is_ok_and(|d| is_rules(&d)) {
            return Err(format!(
                "la salida `{}` es un archivo de reglas (`.reglas`); elija otro nombre para no \
                 borrar reglas, por ejemplo `resultados.csv`",
                dest.display()
            ));
        }
        for input in inputs {
            if same_file(dest, input) {
                return Err(format!(
                    "la salida `{}` es uno de los archivos de entrada; elija otro nombre para no borrar sus datos",
                    dest.display()
                ));
            }
        }
        Ok(())
    }

    /// Moves the finished file into place.
    pub fn commit(self) -> Result<(), String> {
        match self {
            Sink::Stdout(mut s) => s.flush().map_err(|e| system_error(&e)),
            Sink::Direct(mut f) => f.flush().map_err(|e| system_error(&e)),
            Sink::File { dest, file } => file
                .into_inner()
                .map_err(|e| e.into_error())
                .and_then(|tmp| tmp.persist(&dest))
                .map_err(|e| {
                    format!(
                        "no se pudo escribir `{}`: {}",
                        dest.display(),
                        system_error(&e)
                    )
                }),
        }
    }

    /// Ends the output after `written`: on a write error (quiet for a closed
    /// pipe, `| head`) removes the temporary file, otherwise moves it into
    /// place. Says what went wrong; false if anything did.
    pub fn finish(self, written: io::Result<()>, what: &str, errors: ErrorFormat) -> bool {
        if let Err(e) = written {
            if e.kind() != io::ErrorKind::BrokenPipe {
                let msg = format!("no se pudo escribir {what}: {}", system_error(&e));
                super::fail::print(&Failure::new(Code::Output, msg), errors);
            }
            self.abandon();
            return false;
        }
        if let Err(msg) = self.commit() {
            super::fail::print(&Failure::new(Code::Output, msg), errors);
            return false;
        }
        true
    }

    /// Removes the temporary file after a failure (dropping it does).
    pub fn abandon(self) {}
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(s) => s.write(buf),
            Sink::Direct(f) => f.write(buf),
            Sink::File { file, .. } => file.write(buf),
        }
    }
    // serde_json writes many small fragments with `write_all`: forward it
    // to the buffer instead of looping through `write`.
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Sink::Stdout(s) => s.write_all(buf),
            Sink::Direct(f) => f.write_all(buf),
            Sink::File { file, .. } => file.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(s) => s.flush(),
            Sink::Direct(f) => f.flush(),
            Sink::File { file, .. } => file.flush(),
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
