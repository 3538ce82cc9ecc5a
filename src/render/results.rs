//! Writers for `reglas evaluar` results, one row at a time (streaming):
//! JSON Lines, a JSON array, and CSV (UTF-8 with BOM, so Spanish Excel opens
//! it correctly). Text that could run as a spreadsheet formula is neutralised.
//! JSON outputs carry the audit record as their first record; a CSV does not
//! (repeated on every row it tripled the file, and a comment line would show
//! in Excel): the CLI writes it once, beside the CSV ([`audit_json`]).

use std::io::{self, Write};

use std::sync::Arc;

use super::labels::Labels;
use crate::eval::record::TraceHeader;
use crate::eval::{BatchEncoder, Salida, Summary, Tri};
use crate::program::Program;
use crate::provenance::Auditoria;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Jsonl,
    Json,
    Xlsx,
}

impl Format {
    /// Whether rows need their full explanation.
    pub fn needs_trace(self) -> bool {
        matches!(self, Format::Jsonl | Format::Json | Format::Xlsx)
    }
}

pub trait ResultWriter {
    /// Records where the results come from; called once, before any row
    /// (or, if [`ResultWriter::audit_at_end`], after the last one).
    fn audit(&mut self, a: &Auditoria) -> io::Result<()>;

    /// Whether the record is only needed at the end (a table's footer, a
    /// CSV's side file): then it can be made while rows are evaluated.
    fn audit_at_end(&self) -> bool {
        false
    }
    fn write(&mut self, s: &Salida) -> io::Result<()>;
    fn finish(&mut self) -> io::Result<()>;

    /// For outputs made of independent records (JSON, CSV): an encoder the
    /// evaluating threads can run, so that writing is only copying bytes
    /// (see [`ResultWriter::write_encoded`]). Ask after [`ResultWriter::audit`].
    fn encoder(&self) -> Option<Box<dyn BatchEncoder>> {
        None
    }

    /// Counts a row whose record came from [`ResultWriter::encoder`], for
    /// writers that end with totals.
    fn count(&mut self, s: &Summary) {
        let _ = s;
    }

    /// Writes records made by this writer's [`ResultWriter::encoder`].
    fn write_encoded(&mut self, bytes: &[u8]) -> io::Result<()> {
        let _ = bytes;
        Err(io::Error::other(
            "este formato no admite registros ya codificados",
        ))
    }
}

/// One JSON object per line: a trace row when the result carries one
/// ([`Detail::Trace`](crate::eval::Detail::Trace)), else the result itself.
struct JsonLinesEncoder;

impl BatchEncoder for JsonLinesEncoder {
    fn encode(&self, rows: &[Salida], out: &mut Vec<u8>) -> io::Result<()> {
        for s in rows {
            json_line(s, out)?;
        }
        Ok(())
    }
}

fn json_line(s: &Salida, out: &mut Vec<u8>) -> io::Result<()> {
    match s {
        Salida::Evaluada(r) if r.registro.is_some() => {
            serde_json::to_writer(&mut *out, &r.registro)?
        }
        _ => serde_json::to_writer(&mut *out, s)?,
    }
    out.push(b'\n');
    Ok(())
}

/// Elements of a JSON array after the first (the audit record): `,\n{…}`.
struct JsonArrayEncoder;

impl BatchEncoder for JsonArrayEncoder {
    fn encode(&self, rows: &[Salida], out: &mut Vec<u8>) -> io::Result<()> {
        for s in rows {
            out.extend_from_slice(b",\n");
            serde_json::to_writer(&mut *out, s)?;
        }
        Ok(())
    }
}

/// The first record of a JSON output: `{"auditoria": {…}}`.
#[derive(serde::Serialize)]
struct AuditRecord<'a> {
    auditoria: &'a Auditoria,
}

/// The audit record as written beside a CSV output (`*.auditoria.json`):
/// the same object that opens a JSON Lines output, and a line end.
pub fn audit_json(a: &Auditoria) -> io::Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(&AuditRecord { auditoria: a })?;
    out.push(b'\n');
    Ok(out)
}

/// JSON Lines. With a trace header ([`JsonLines::with_trace`]) it is a
/// trace file: the first line carries the header beside the audit record,
/// and each evaluated row is a trace row (evaluate with `Detail::Trace`).
pub struct JsonLines<W: Write> {
    out: W,
    header: Option<TraceHeader>,
    scratch: Vec<u8>,
}

/// The first line of a trace file: `{"auditoria": {…}, "traza": {…}}`.
#[derive(serde::Serialize)]
struct TraceFirstLine<'a> {
    auditoria: &'a Auditoria,
    traza: &'a TraceHeader,
}

impl<W: Write> JsonLines<W> {
    pub fn new(out: W) -> Self {
        JsonLines {
            out,
            header: None,
            scratch: Vec::new(),
        }
    }

    pub fn with_trace(out: W, header: TraceHeader) -> Self {
        JsonLines {
            out,
            header: Some(header),
            scratch: Vec::new(),
        }
    }
}

impl<W: Write> ResultWriter for JsonLines<W> {
    fn audit(&mut self, a: &Auditoria) -> io::Result<()> {
        match &self.header {
            Some(traza) => serde_json::to_writer(
                &mut self.out,
                &TraceFirstLine {
                    auditoria: a,
                    traza,
                },
            )?,
            None => serde_json::to_writer(&mut self.out, &AuditRecord { auditoria: a })?,
        }
        self.out.write_all(b"\n")
    }

    fn write(&mut self, s: &Salida) -> io::Result<()> {
        self.scratch.clear();
        json_line(s, &mut self.scratch)?;
        self.out.write_all(&self.scratch)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
    fn encoder(&self) -> Option<Box<dyn BatchEncoder>> {
        Some(Box::new(JsonLinesEncoder))
    }
    fn write_encoded(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }
}

pub struct JsonArray<W: Write> {
    out: W,
    first: bool,
}

impl<W: Write> JsonArray<W> {
    pub fn new(out: W) -> Self {
        JsonArray { out, first: true }
    }
}

impl<W: Write> ResultWriter for JsonArray<W> {
    fn audit(&mut self, a: &Auditoria) -> io::Result<()> {
        self.out.write_all(b"[\n")?;
        self.first = false;
        serde_json::to_writer(&mut self.out, &AuditRecord { auditoria: a })?;
        Ok(())
    }

    fn write(&mut self, s: &Salida) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"[\n" } else { b",\n" })?;
        self.first = false;
        serde_json::to_writer(&mut self.out, s)?;
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
    fn encoder(&self) -> Option<Box<dyn BatchEncoder>> {
        // Every encoded element starts with a comma: only once one is written.
        (!self.first).then(|| Box::new(JsonArrayEncoder) as Box<dyn BatchEncoder>)
    }
    fn write_encoded(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }
}

pub struct Csv<W: Write> {
    out: W,
    encoder: CsvEncoder,
    scratch: Vec<u8>,
}

/// Where the audit record of a CSV output goes: `resultados.csv` →
/// `resultados.auditoria.json`, in the same folder.
pub fn audit_path(csv: &std::path::Path) -> std::path::PathBuf {
    let stem = csv
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    csv.with_file_name(format!("{stem}.auditoria.json"))
}

/// What a person reads comes first (titles, fields with their question,
/// recommendation texts); the `id_…` column after it has the same by name,
/// for machines.
const CSV_HEADER: &[&str] = &[
    "codigo",
    "nombre",
    "fila",
    "nivel",
    "id_nivel",
    "provisional",
    "posibles",
    "id_posibles",
    "faltan",
    "id_faltan",
    "recomendaciones",
    "id_recomendaciones",
    "errores",
];

impl<W: Write> Csv<W> {
    /// `separator`: `;` by default, because Excel set to Spanish (decimal
    /// comma) splits columns at `;` and would show a comma file in one column.
    pub fn new(out: W, program: &Program, separator: u8) -> io::Result<Self> {
        Csv::with_variants(out, program, separator, false)
    }

    /// `variants`: a `variante` column after `errores` says which regional
    /// rules each row was evaluated with (`--variantes`).
    pub fn with_variants(
        mut out: W,
        program: &Program,
        separator: u8,
        variants: bool,
    ) -> io::Result<Self> {
        // BOM: Excel only reads a CSV as UTF-8 when it starts with one.
        out.write_all("\u{FEFF}".as_bytes())?;
        let mut header = csv_writer(&mut out, separator);
        let errores = CSV_HEADER.iter().position(|h| *h == "errores").unwrap_or(0);
        for (i, h) in CSV_HEADER.iter().enumerate() {
            header.write_field(h).map_err(io::Error::other)?;
            if i == errores && variants {
                header.write_field("variante").map_err(io::Error::other)?;
            }
        }
        header
            .write_record(None::<&[u8]>)
            .map_err(io::Error::other)?;
        header.flush()?;
        drop(header);
        Ok(Csv {
            out,
            encoder: CsvEncoder {
                separator,
                variants,
                labels: Arc::new(Labels::new(program)),
            },
            scratch: Vec::new(),
        })
    }
}

/// Keeps a spreadsheet from running text from the data as a formula.
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

impl<W: Write> ResultWriter for Csv<W> {
    /// Not in the file: see [`audit_json`].
    fn audit(&mut self, _: &Auditoria) -> io::Result<()> {
        Ok(())
    }

    fn audit_at_end(&self) -> bool {
        true
    }

    fn write(&mut self, s: &Salida) -> io::Result<()> {
        self.scratch.clear();
        self.encoder
            .encode(std::slice::from_ref(s), &mut self.scratch)?;
        self.out.write_all(&self.scratch)
    }

    fn encoder(&self) -> Option<Box<dyn BatchEncoder>> {
        Some(Box::new(self.encoder.clone()))
    }

    fn write_encoded(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// One CSV record (with the `variante` column when `variants`).
fn csv_record<W: Write>(
    w: &mut csv::Writer<W>,
    s: &Salida,
    variants: bool,
    labels: &Labels,
) -> io::Result<()> {
    // Field by field, without building the record first: this runs
    // once per organization.
    let field = |w: &mut csv::Writer<W>, text: &str| {
        w.write_field(neutralise(text).as_bytes())
            .map_err(io::Error::other)
    };
    match s {
        Salida::Evaluada(r) => {
            field(w, r.codigo.as_deref().unwrap_or(""))?;
            field(w, r.nombre.as_deref().unwrap_or(""))?;
            w.write_field(r.fila.to_string())
                .map_err(io::Error::other)?;
            let nivel = r.nivel.as_deref().unwrap_or("");
            field(w, labels.level(nivel))?;
            w.write_field(nivel).map_err(io::Error::other)?;
            w.write_field(if r.provisional { "sí" } else { "no" })
                .map_err(io::Error::other)?;
            field(w, &labels.levels_cell(&r.posibles))?;
            w.write_field(r.posibles.join(" "))
                .map_err(io::Error::other)?;
            field(w, &labels.fields_cell(&r.faltan))?;
            w.write_field(r.faltan.join(" "))
                .map_err(io::Error::other)?;
            // Their text for people, separated by ` | ` (one line per
            // record keeps line-based tools working); their ids in the next
            // column for machines.
            let mut texts = String::new();
            let mut ids = String::new();
            for (i, x) in r.recomendaciones.iter().enumerate() {
                if i > 0 {
                    texts.push_str(" | ");
                    ids.push(' ');
                }
                if x.texto.is_empty() {
                    texts.push_str(&labels.recommendation(&x.id, &r.faltan));
                } else {
                    texts.push_str(&x.texto);
                }
                ids.push_str(&x.id);
            }
            field(w, &texts)?;
            w.write_field(ids).map_err(io::Error::other)?;
            w.write_field("").map_err(io::Error::other)?;
        }
        Salida::Rechazada(r) => {
            field(w, r.codigo.as_deref().unwrap_or(""))?;
            field(w, r.nombre.as_deref().unwrap_or(""))?;
            w.write_field(r.fila.to_string())
                .map_err(io::Error::other)?;
            for _ in 0..CSV_HEADER.len() - 4 {
                w.write_field("").map_err(io::Error::other)?;
            }
            let errors = r
                .errores
                .iter()
                .map(|e| match &e.columna {
                    Some(c) => format!("{c}: {}", e.mensaje),
                    None => e.mensaje.clone(),
                })
                .collect::<Vec<_>>()
                .join("; ");
            field(w, &errors)?;
        }
    }
    if variants {
        w.write_field(s.variante().unwrap_or(""))
            .map_err(io::Error::other)?;
    }
    w.write_record(None::<&[u8]>).map_err(io::Error::other)
}

#[derive(Clone)]
struct CsvEncoder {
    separator: u8,
    /// Whether the `variante` column is written.
    variants: bool,
    labels: Arc<Labels>,
}

impl BatchEncoder for CsvEncoder {
    fn encode(&self, rows: &[Salida], out: &mut Vec<u8>) -> io::Result<()> {
        let mut w = csv_writer(&mut *out, self.separator);
        for s in rows {
            csv_record(&mut w, s, self.variants, &self.labels)?;
        }
        w.flush()
    }
}

fn csv_writer<W: Write>(out: W, separator: u8) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(separator)
        .from_writer(out)
}

/// Running counts over a batch; they always add up: read = evaluated + rejected.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Totals {
    pub leidas: usize,
    pub evaluadas: usize,
    pub rechazadas: usize,
    pub provisionales: usize,
    pub sin_nivel: usize,
    /// (level id, title, count), in ladder order.
    pub por_nivel: Vec<(String, String, usize)>,
}

impl Totals {
    pub fn new(program: &crate::program::Program) -> Totals {
        Totals {
            por_nivel: program
                .levels
                .iter()
                .map(|l| (l.name.clone(), l.title.clone(), 0))
                .collect(),
            ..Totals::default()
        }
    }

    pub fn add(&mut self, s: &Salida) {
        let summary = Summary::of(s, self.por_nivel.iter().map(|e| e.0.as_str()));
        self.add_summary(&summary);
    }

    /// The same as [`Totals::add`], from what the evaluating threads keep.
    pub fn add_summary(&mut self, s: &Summary) {
        self.leidas += 1;
        if s.rejected.is_some() {
            self.rechazadas += 1;
            return;
        }
        self.evaluadas += 1;
        if s.provisional {
            self.provisionales += 1;
        }
        match s.level.and_then(|i| self.por_nivel.get_mut(i)) {
            Some(e) => e.2 += 1,
            None => self.sin_nivel += 1,
        }
    }
}

/// "sí" / "no" / "sin dato" for a three-valued result.
pub fn tri_word(t: Tri) -> &'static str {
    t.word()
}
