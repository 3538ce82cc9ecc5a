//! The `tabla` format of `reglas evaluar`: one line per organization, then
//! the counts per level. Meant for a terminal; streams line by line.

use std::io::{self, Write};

use super::results::{ResultWriter, Totals};
use crate::eval::Salida;
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
fn code_cell(code: &str) -> String {
    let code = super::terminal_safe(code, false);
    format!("{code:<10}")
}

fn cut(s: &str, width: usize) -> String {
    let s = &*super::terminal_safe(s, false);
    let n = s.chars().count();
    if n <= width {
        format!("{s:<width$}")
    } else {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}

impl<W: Write> ResultWriter for Table<W> {
    fn audit(&mut self, a: &Auditoria) -> io::Result<()> {
        self.audit = Some(a.clone());
        Ok(())
    }

    fn write(&mut self, s: &Salida) -> io::Result<()> {
        if !self.header_written {
            writeln!(
                self.out,
                "{:>5}  {:<10}  {:<40}  {:<14}  observaciones",
                "fila", "código", "nombre", "nivel"
            )?;
            writeln!(self.out, "{}", "─".repeat(100))?;
            self.header_written = true;
        }
        self.totals.add(s);
        match s {
            Salida::Evaluada(r) => {
                let nivel = match (&r.nivel, r.revisar_datos.is_empty()) {
                    (_, false) => "REVISAR DATOS".to_string(),
                    (Some(n), true) => n.clone(),
                    (None, true) => "(sin nivel)".into(),
                };
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
                writeln!(
                    self.out,
                    "{:>5}  {:<10}  {}  {:<14}  {}",
                    r.fila,
                    code_cell(r.codigo.as_deref().unwrap_or("?")),
                    cut(r.nombre.as_deref().unwrap_or(""), 40),
                    nivel,
                    obs.join("; ")
                )
            }
            Salida::Rechazada(r) => writeln!(
                self.out,
                "{:>5}  {:<10}  {}  {:<14}  {} en los datos: {}",
                r.fila,
                code_cell(r.codigo.as_deref().unwrap_or("?")),
                cut(r.nombre.as_deref().unwrap_or(""), 40),
                "RECHAZADA",
                crate::text::plural(r.errores.len(), "error", "errores"),
                super::terminal_safe(
                    r.errores.first().map(|e| e.mensaje.as_str()).unwrap_or(""),
                    false
                )
            ),
        }
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
