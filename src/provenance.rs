//! Provenance (the audit block of every output): which program, rule files and data files
//! produced it (with their SHA-256), how the data was read, and when.
//!
//! This is the hook for reproducibility metadata: any output can carry an
//! [`Auditoria`]; [`sha256_file`] is meant to be reused by other outputs.

use std::io::Read;
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::data::Detected;
use crate::program::Program;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Auditoria {
    /// `reglas` program version.
    pub version_programa: String,
    /// The git commit the program was built from (`desconocido` if unknown).
    pub commit_programa: String,
    /// The day the program was built, `AAAA-MM-DD`.
    pub fecha_compilacion: String,
    pub reglas: Vec<ArchivoHuella>,
    pub datos: Vec<ArchivoHuella>,
    /// How each data file was read (same order as `datos`).
    pub lectura: Vec<LecturaUsada>,
    /// Evaluation date (`2025-03-14`), when recorded.
    pub fecha: Option<String>,
}

impl Auditoria {
    /// A record of this very program (version, commit, build date) with no
    /// files yet.
    pub fn de_este_programa() -> Auditoria {
        Auditoria {
            version_programa: crate::build_info::VERSION.to_string(),
            commit_programa: crate::build_info::COMMIT.to_string(),
            fecha_compilacion: crate::build_info::FECHA_COMPILACION.to_string(),
            ..Auditoria::default()
        }
    }

    /// `reglas 0.1.0 (commit 1a2b3c4d5e6f, compilado el 2026-12-03)`, as
    /// `reglas --version` says it.
    pub fn programa(&self) -> String {
        format!(
            "reglas {} (commit {}, compilado el {})",
            self.version_programa, self.commit_programa, self.fecha_compilacion
        )
    }

    /// This record and `other`'s together (two evaluations compared): the
    /// rule files once each, both data files and how each was read.
    pub fn with(&self, other: &Auditoria) -> Auditoria {
        let mut au = self.clone();
        for r in &other.reglas {
            if !au.reglas.contains(r) {
                au.reglas.push(r.clone());
            }
        }
        au.datos.extend(other.datos.iter().cloned());
        au.lectura.extend(other.lectura.iter().cloned());
        au
    }

    /// The record of one evaluation of `data` (with its cleaning log, if
    /// any) against `program`, on `fecha` (`AAAA-MM-DD`).
    pub fn of_run(
        program: &Program,
        data: &Path,
        detected: &Detected,
        corrections: Option<&Path>,
        fecha: String,
    ) -> Auditoria {
        let mut datos = vec![ArchivoHuella::datos(data)];
        datos.extend(corrections.map(ArchivoHuella::datos));
        Auditoria {
            reglas: ArchivoHuella::de_programa(program),
            datos,
            lectura: vec![LecturaUsada::new(data, detected)],
            fecha: Some(fecha),
            ..Auditoria::de_este_programa()
        }
    }
}

/// A file as given on the command line, with its fingerprint.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ArchivoHuella {
    pub archivo: String,
    /// Lowercase hex; None when the file could not be read again.
    pub sha256: Option<String>,
    /// Rule files: the `reglas "…" versión "…"` header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub titulo: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl ArchivoHuella {
    pub fn datos(path: &Path) -> ArchivoHuella {
        ArchivoHuella {
            archivo: path.display().to_string(),
            sha256: sha256_file(path).ok(),
            titulo: None,
            version: None,
        }
    }

    pub fn reglas(path: &Path, program: &Program) -> ArchivoHuella {
        ArchivoHuella {
            titulo: Some(program.title.clone()),
            version: program.version.clone(),
            ..ArchivoHuella::datos(path)
        }
    }

    /// Every file a loaded program was read from (the rule file first, then
    /// the files it is `basado en`), with their fingerprints; the first one
    /// carries the title and version.
    pub fn de_programa(program: &Program) -> Vec<ArchivoHuella> {
        program
            .sources
            .files()
            .iter()
            .enumerate()
            .map(|(i, f)| ArchivoHuella {
                archivo: f.name.clone(),
                sha256: sha256_file(&f.path)
                    .ok()
                    .or_else(|| Some(sha256_bytes(f.text.as_bytes()))),
                titulo: (i == 0).then(|| program.title.clone()),
                version: if i == 0 {
                    program.version.clone()
                } else {
                    None
                },
            })
            .collect()
    }

    /// `«Caracterización de OECAs — CEPAC» versión 1.0`
    pub fn nombre_reglas(&self) -> String {
        let t = self.titulo.as_deref().unwrap_or(&self.archivo);
        match &self.version {
            Some(v) => format!("«{t}» versión {v}"),
            None => format!("«{t}» (sin versión)"),
        }
    }
}

/// The read options in effect (detected or forced), as text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LecturaUsada {
    pub archivo: String,
    pub formato: String,
    pub separador: Option<String>,
    pub codificacion: Option<String>,
    pub hoja: Option<String>,
    pub fila_encabezado: usize,
}

impl LecturaUsada {
    pub fn new(path: &Path, d: &Detected) -> LecturaUsada {
        LecturaUsada {
            archivo: path.display().to_string(),
            formato: d.format.clone(),
            separador: d.separator.map(|c| match c {
                '\t' => "tabulador".to_string(),
                c => c.to_string(),
            }),
            codificacion: d.encoding.clone(),
            hoja: d.sheet.clone(),
            fila_encabezado: d.header_row,
        }
    }

    /// `formato csv, separador `,`, codificación UTF-8` (as `reglas evaluar`
    /// says it); the header row only when it is not the first.
    pub fn describir(&self) -> String {
        let mut parts = vec![format!("formato {}", self.formato)];
        if let Some(s) = &self.separador {
            if s == "tabulador" {
                parts.push("separador tabulador".to_string());
            } else {
                parts.push(format!("separador `{s}`"));
            }
        }
        if let Some(c) = &self.codificacion {
            parts.push(format!("codificación {c}"));
        }
        if let Some(h) = &self.hoja {
            parts.push(format!("hoja `{h}`"));
        }
        if self.fila_encabezado > 1 {
            parts.push(format!("encabezados en la fila {}", self.fila_encabezado));
        }
        parts.join(", ")
    }
}

/// SHA-256 of a file's bytes, in lowercase hex. Streams the file.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finalize()))
}

/// SHA-256 of bytes in memory, in lowercase hex.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256_bytes(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
