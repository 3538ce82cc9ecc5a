//! Where results go: standard output, or a file written atomically (a
//! temporary file in the same folder, renamed at the end), so a failed run
//! never leaves a half-written file behind. Never over one of the inputs.
//! `-` is standard output; a device or a named pipe (`/dev/null`, a FIFO) is
//! written to directly, never replaced by a file.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

pub use reglas::text::system_error;

use reglas::codes::Code;
use reglas::diagnostic::Failure;
use reglas::render::diagnostics::ErrorFormat;

pub enum Sink {
    Stdout(BufWriter<io::Stdout>),
    /// A device or a named pipe: written as it is.
    Direct(BufWriter<File>),
    File {
        tmp: PathBuf,
        dest: PathBuf,
        file: BufWriter<File>,
    },
}

impl Sink {
    /// Opens the destination; refuses to write over any of `inputs`.
    pub fn open(dest: Option<&Path>, inputs: &[&Path]) -> Result<Sink, String> {
        let Some(dest) = dest.filter(|d| d.as_os_str() != "-") else {
            return Ok(Sink::Stdout(BufWriter::new(io::stdout())));
        };
        if let Ok(meta) = std::fs::metadata(dest) {
            if !meta.is_file() && !meta.is_dir() {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(dest)
                    .map_err(|e| {
                        format!(
                            "no se pudo abrir `{}`: {}",
                            dest.display(),
                            system_error(&e)
                        )
                    })?;
                return Ok(Sink::Direct(BufWriter::with_capacity(1 << 20, file)));
            }
        }
        if dest.is_dir() {
            return Err(format!(
                "`{}` es una carpeta: indique el nombre del archivo de salida, por ejemplo `{}`",
                dest.display(),
                dest.join("resultados.csv").display()
            ));
        }
        Sink::refuse_inputs(dest, inputs)?;
        let dir = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !dir.is_dir() {
            return Err(format!(
                "no existe la carpeta `{}` para la salida",
                dir.display()
            ));
        }
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let file = File::create(&tmp).map_err(|e| {
            let why = match e.kind() {
                io::ErrorKind::PermissionDenied => {
                    "no tiene permiso para escribir en esa carpeta".to_string()
                }
                _ => system_error(&e),
            };
            format!("no se pudo crear `{}`: {why}", dest.display())
        })?;
        Ok(Sink::File {
            tmp,
            dest: dest.to_path_buf(),
            file: BufWriter::with_capacity(1 << 20, file),
        })
    }

    /// An error when `dest` is one of the input files.
    pub fn refuse_inputs(dest: &Path, inputs: &[&Path]) -> Result<(), String> {
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
            Sink::File { tmp, dest, file } => {
                let written = file
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .and_then(|f| f.sync_all());
                if let Err(e) = written {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(format!(
                        "no se pudo escribir `{}`: {}",
                        dest.display(),
                        system_error(&e)
                    ));
                }
                std::fs::rename(&tmp, &dest).map_err(|e| {
                    format!(
                        "no se pudo escribir `{}`: {}",
                        dest.display(),
                        system_error(&e)
                    )
                })
            }
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

    /// Removes the temporary file after a failure.
    pub fn abandon(self) {
        if let Sink::File { tmp, .. } = self {
            let _ = std::fs::remove_file(tmp);
        }
    }
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
