//! The `tabla` format of `reglas evaluar`: one line per organization (its
//! level by title), with what a person must know about it (provisional,
//! missing answers, data to check) on the lines below; then the counts per
//! level. Meant for a terminal; streams line by line.

use std::io::{self, Write};
use std::sync::Arc;

use super::labels::Labels;
use super::results::{ResultWriter, Totals};
use crate::eval::{BatchEncoder, Salida, Summary};
use crate::provenance::Auditoria;

pub struct Table<W: Write> {
    out: W,
    totals: Totals,
    header_written: bool,
    audit: Option<Auditoria>,
    layout: Arc<Layout>,
}

/// The columns' widths and the titles they show.
struct Layout {
    labels: Labels,
    name: usize,
    level: usize,
}

/// The table fits 100 columns: the level column is as wide as the longest
/// title (up to 40), the name column takes what is left (up to 40).
const WIDTH: usize = 100;
/// Row number, code and the spaces between columns.
const FIXED: usize = 5 + 2 + 10 + 2 + 2;

impl Layout {
    fn new(program: &crate::program::Program) -> Layout {
        let labels = Labels::new(program);
        let level = labels
            .level_titles()
            .chain(["REVISAR DATOS", "(sin nivel)", "RECHAZADA"])
            .map(|t| t.chars().count())
            .max()
            .unwrap_or(14)
            .min(40);
        Layout {
            labels,
            name: (WIDTH - 1 - FIXED - level).min(40),
            level,
        }
    }
}

impl<W: Write> Table<W> {
    pub fn new(out: W, program: &crate::program::Program) -> Self {
        Table {
            out,
            totals: Totals::new(program),
            header_written: false,
            audit: None,
            layout: Arc::new(Layout::new(program)),
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
    let n = char_count(s);
    if n <= width {
        out.extend_from_slice(s.as_bytes());
        out.resize(out.len() + (width - n), b' ');
        return;
    }
    let end = s
        .char_indices()
        .nth(width.saturating_sub(1))
        .map_or(s.len(), |(i, _)| i);
    out.extend_from_slice(&s.as_bytes()[..end]);
    out.extend_from_slice("…".as_bytes());
}

/// `s`, then spaces up to `width` characters (never cut).
fn pad(out: &mut Vec<u8>, s: &str, width: usize) {
    out.extend_from_slice(s.as_bytes());
    out.resize(out.len() + width.saturating_sub(char_count(s)), b' ');
}

/// Characters in `s`: its bytes that start one. A plain count the compiler
/// does 32 bytes at a time; `chars().count()` walked the name character by
/// character on every row of the table.
fn char_count(s: &str) -> usize {
    s.bytes().filter(|&b| (b & 0xC0) != 0x80).count()
}

/// One organization's line of the table, and its observations below it.
fn line(out: &mut Vec<u8>, s: &Salida, layout: &Layout) {
    use std::io::Write as _;
    let (fila, codigo, nombre) = match s {
        Salida::Evaluada(r) => (r.fila, &r.codigo, &r.nombre),
        Salida::Rechazada(r) => (r.fila, &r.codigo, &r.nombre),
    };
    // The row number right-aligned in 5 (wider ones push the line).
    let mut digits = [0u8; 20];
    let mut n = fila;
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let width = digits.len() - at;
    out.resize(out.len() + 5usize.saturating_sub(width), b' ');
    out.extend_from_slice(&digits[at..]);
    out.extend_from_slice(b"  ");
    code_cell(out, codigo.as_deref().unwrap_or("?"));
    out.extend_from_slice(b"  ");
    cut(out, nombre.as_deref().unwrap_or(""), layout.name);
    out.extend_from_slice(b"  ");
    let labels = &layout.labels;
    let mut obs = Vec::new();
    match s {
        Salida::Evaluada(r) => {
            let nivel = match (&r.nivel, r.revisar_datos.is_empty()) {
                (_, false) => "REVISAR DATOS",
                (Some(n), true) => labels.level(n),
                (None, true) => "(sin nivel)",
            };
            cut(out, nivel, layout.level);
            // Rows with the general rules say nothing: the line above the
            // table says the rows without a variant use them.
            match r.variante.as_deref() {
                Some(crate::variants::GENERAL) | None => {}
                Some(v) => obs.push(format!("Evaluada con la variante {v}.")),
            }
            if !r.revisar_datos.is_empty() {
                obs.push(format!("Revisar datos: {}", r.revisar_datos.join(" ")));
            }
            if r.provisional {
                let higher: Vec<String> = r
                    .posibles
                    .iter()
                    .filter(|p| Some(*p) != r.nivel.as_ref())
                    .map(|p| format!("«{}»", labels.level(p)))
                    .collect();
                let higher = crate::text::spanish_list(&higher, "o");
                obs.push(match r.nivel {
                    Some(_) => format!("Provisional: podría subir a {higher}."),
                    None => format!("Sin nivel por ahora: podría ser {higher}."),
                });
            }
            if !r.faltan.is_empty() {
                let named: Vec<String> = r.faltan.iter().map(|f| labels.field(f)).collect();
                obs.push(format!(
                    "{} {}.",
                    if named.len() == 1 { "Falta" } else { "Faltan" },
                    crate::text::spanish_list(&named, "y")
                ));
            }
        }
        Salida::Rechazada(r) => {
            pad(out, "RECHAZADA", layout.level);
            obs.push(format!(
                "{} en los datos: {}",
                crate::text::plural(r.errores.len(), "error", "errores"),
                r.errores.first().map(|e| e.mensaje.as_str()).unwrap_or("")
            ));
        }
    }
    // No spaces at the end of the line.
    while out.last() == Some(&b' ') {
        out.pop();
    }
    out.push(b'\n');
    // Below the row, each wrapped to the table's width.
    let wrap = textwrap::Options::new(WIDTH - 1)
        .initial_indent("       ")
        .subsequent_indent("         ")
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    for o in obs {
        for l in textwrap::wrap(&super::terminal_safe(&o, false), &wrap) {
            let _ = writeln!(out, "{l}");
        }
    }
}

/// Lines of the table, made on the evaluating threads.
struct TableEncoder(Arc<Layout>);

impl BatchEncoder for TableEncoder {
    fn encode(&self, rows: &[Salida], out: &mut Vec<u8>) -> io::Result<()> {
        for s in rows {
            line(out, s, &self.0);
        }
        Ok(())
    }
}

impl<W: Write> Table<W> {
    fn header(&mut self) -> io::Result<()> {
        if !self.header_written {
            let l = &self.layout;
            writeln!(
                self.out,
                "{:>5}  {:<10}  {:<name$}  nivel",
                "fila",
                "código",
                "nombre",
                name = l.name
            )?;
            writeln!(self.out, "{}", "─".repeat(FIXED + l.name + l.level))?;
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
        line(&mut bytes, s, &self.layout);
        self.out.write_all(&bytes)
    }

    fn encoder(&self) -> Option<Box<dyn BatchEncoder>> {
        Some(Box::new(TableEncoder(self.layout.clone())))
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
        let w = self.layout.level;
        for (_, title, n) in &t.por_nivel {
            writeln!(self.out, "  {title:<w$} {n:>6}")?;
        }
        if t.sin_nivel > 0 {
            writeln!(
                self.out,
                "  {:<w$} {:>6}   (faltan datos para decidir)",
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
