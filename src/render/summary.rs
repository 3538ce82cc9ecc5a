//! The `tabla` format of `reglas evaluar`: one line per organization, then
//! the counts per level. Meant for a terminal; streams line by line.

use std::io::{self, Write};

use super::results::{ResultWriter, Totals};
use crate::eval::{BatchEncoder, Salida, Summary};
use crate::provenance::Auditoria;

pub struct Table<W: Write> {
    out: W,
    totals: Totals,
    header_written: bool,
    audit: Option<Auditoria>,
}

impl<W: Write> Table<W> {
    pub fn new(out: W, totals: Totals) -> Self {
        Table {
            out,
            totals,
            header_written: false,
            audit: None,
        }
    }
}

/// Codes are never cut (two cut codes could look the same): a long one
/// only pushes the rest of its line to the right.
fn code_cell(out: &mut Vec<u8>, code: &str) {
    pad(out, &super::terminal_safe(code, false), 10);
}

/// `s` in exactly `width` characters: padded with spaces, or cut with `…`.
fn cut(out: &mut Vec<u8>, s: &str, width: usize) {
    let s = &*super::terminal_safe(s, false);
    match s.char_indices().nth(width) {
        None => pad(out, s, width),
        Some(_) => {
            let end = s.char_indices().nth(width - 1).map_or(s.len(), |(i, _)| i);
            out.extend_from_slice(&s.as_bytes()[..end]);
            out.extend_from_slice("…".as_bytes());
        }
    }
}

/// `s`, then spaces up to `width` characters (never cut).
fn pad(out: &mut Vec<u8>, s: &str, width: usize) {
    out.extend_from_slice(s.as_bytes());
    let n = if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    };
    out.resize(out.len() + width.saturating_sub(n), b' ');
}

/// One organization's line of the table.
fn line(out: &mut Vec<u8>, s: &Salida) {
    use std::io::Write as _;
    let (fila, codigo, nombre) = match s {
        Salida::Evaluada(r) => (r.fila, &r.codigo, &r.nombre),
        Salida::Rechazada(r) => (r.fila, &r.codigo, &r.nombre),
    };
    // Writing to memory cannot fail.
    let _ = write!(out, "{fila:>5}  ");
    code_cell(out, codigo.as_deref().unwrap_or("?"));
    out.extend_from_slice(b"  ");
    cut(out, nombre.as_deref().unwrap_or(""), 40);
    out.extend_from_slice(b"  ");
    match s {
        Salida::Evaluada(r) => {
            let nivel = match (&r.nivel, r.revisar_datos.is_empty()) {
                (_, false) => "REVISAR DATOS",
                (Some(n), true) => n.as_str(),
                (None, true) => "(sin nivel)",
            };
            pad(out, nivel, 14);
            out.extend_from_slice(b"  ");
            let mut obs = Vec::new();
            if let Some(v) = &r.variante {
                obs.push(format!("variante {v}"));
            }
            if !r.revisar_datos.is_empty() {
                obs.push(r.revisar_datos.join(" "));
            }
            if r.provisional {
                obs.push(format!("provisional: posibles {}", r.posibles.join(", ")));
            }
            if !r.faltan.is_empty() {
                obs.push(format!("faltan {}", r.faltan.join(", ")));
            }
            out.extend_from_slice(obs.join("; ").as_bytes());
        }
        Salida::Rechazada(r) => {
            pad(out, "RECHAZADA", 14);
            let _ = write!(
                out,
                "  {} en los datos: {}",
                crate::text::plural(r.errores.len(), "error", "errores"),
                super::terminal_safe(
                    r.errores.first().map(|e| e.mensaje.as_str()).unwrap_or(""),
                    false
                )
            );
        }
    }
    out.push(b'\n');
}

/// Lines of the table, made on the evaluating threads.
struct TableEncoder;

impl BatchEncoder for TableEncoder {
    fn encode(&self, rows: &[Salida], out: &mut Vec<u8>) -> io::Result<()> {
        for s in rows {
            line(out, s);
        }
        Ok(())
    }
}

impl<W: Write> Table<W> {
    fn header(&mut self) -> io::Result<()> {
        if !self.header_written {
            writeln!(
                self.out,
                "{:>5}  {:<10}  {:<40}  {:<14}  observaciones",
                "fila", "código", "nombre", "nivel"
            )?;
            writeln!(self.out, "{}", "─".repeat(100))?;
            self.header_written = true;
        }
        Ok(())
    }
}

impl<W: Write> ResultWriter for Table<W> {
    fn audit(&mut self, a: &Auditoria) -> io::Result<()> {
        self.audit = Some(a.clone());
        Ok(())
    }

    /// The record goes in the footer.
    fn audit_at_end(&self) -> bool {
        true
    }

    fn write(&mut self, s: &Salida) -> io::Result<()> {
        self.header()?;
        self.totals.add(s);
        let mut bytes = Vec::new();
        line(&mut bytes, s);
        self.out.write_all(&bytes)
    }

    fn encoder(&self) -> Option<Box<dyn BatchEncoder>> {
        Some(Box::new(TableEncoder))
    }

    fn write_encoded(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.header()?;
        self.out.write_all(bytes)
    }

    fn count(&mut self, s: &Summary) {
        self.totals.add_summary(s);
    }

    fn finish(&mut self) -> io::Result<()> {
        let t = &self.totals;
        writeln!(self.out)?;
        writeln!(self.out, "Organizaciones por nivel:")?;
        for (id, title, n) in &t.por_nivel {
            writeln!(self.out, "  {id:<14} {n:>6}   {title}")?;
        }
        if t.sin_nivel > 0 {
            writeln!(
                self.out,
                "  {:<14} {:>6}   sin datos suficientes para decidir",
                "(sin nivel)", t.sin_nivel
            )?;
        }
        writeln!(
            self.out,
            "Leídas: {}  evaluadas: {}  rechazadas: {}  provisionales: {}",
            t.leidas, t.evaluadas, t.rechazadas, t.provisionales
        )?;
        if let Some(a) = &self.audit {
            let short = |h: &Option<String>| {
                h.as_deref()
                    .map(|x| x[..12.min(x.len())].to_string())
                    .unwrap_or_default()
            };
            if let Some(r) = a.reglas.first() {
                writeln!(
                    self.out,
                    "Reglas: {} ({}, sha256 {}…)",
                    r.nombre_reglas(),
                    r.archivo,
                    short(&r.sha256)
                )?;
            }
            for d in &a.datos {
                writeln!(
                    self.out,
                    "Datos: {} (sha256 {}…)",
                    d.archivo,
                    short(&d.sha256)
                )?;
            }
            writeln!(
                self.out,
                "Evaluado el {} con {}",
                a.fecha.as_deref().unwrap_or("?"),
                a.programa()
            )?;
        }
        self.out.flush()
    }
}
