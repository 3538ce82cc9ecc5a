//! `--formato xlsx`: a workbook with a sheet of results (one row per input
//! row, rejected ones included), a sheet with each criterion's outcome per
//! organization, a sheet of rejected rows with their errors, the audit
//! record and a «Leyenda» that explains every column.
//!
//! [`Libro`] is the one way a workbook is written (here and in the
//! reports): text is always a text cell, never a formula, and a text that
//! Excel would take for one when edited (`=SUMA(…)`) gets the cell's hidden
//! quote prefix instead of a visible apostrophe; numbers are numbers; columns
//! are as wide as their contents; the header row is frozen and has a filter;
//! level cells have the level's colour.

use std::io::{self, Write};

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, XlsxError};

use super::labels::Labels;
use super::results::ResultWriter;
use super::verdict::color_nivel;
use crate::eval::{
    CriterionOutcome, GroupTally, Rechazo, RecomendacionOut, Resultado, Salida, Tri,
};
use crate::program::{Criterion, Program};
use crate::provenance::Auditoria;

fn xerr(e: XlsxError) -> io::Error {
    match e {
        XlsxError::RowColumnLimitError => io::Error::other(
            "una hoja de Excel admite como mucho 1 048 576 filas: para más organizaciones use \
             --formato csv o --formato jsonl",
        ),
        XlsxError::IoError(e) => e,
        other => io::Error::other(format!("error al armar el libro de Excel ({other})")),
    }
}

/// A cell of a workbook row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Num(f64),
    /// A level id: the level's title, coloured as the level; an unknown id
    /// is plain text.
    Level(String),
    Empty,
}

/// A text cell (empty text is an empty cell).
pub fn t(s: impl Into<String>) -> Cell {
    let s = s.into();
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}

/// A count as a number cell.
pub fn n(v: usize) -> Cell {
    Cell::Num(v as f64)
}

/// A percentage (0–100) as a number cell; empty when there is none.
pub fn pct(p: Option<f64>) -> Cell {
    p.map(Cell::Num).unwrap_or(Cell::Empty)
}

/// Widest column, in characters: a long text wraps in the formula bar.
const MAX_WIDTH: f64 = 60.0;

struct Sheet {
    rows: u32,
    cols: u16,
    widths: Vec<f64>,
}

/// A workbook written row by row (constant memory: a sheet of a million
/// rows does not stay in memory), with the conventions described above.
pub struct Libro {
    wb: Workbook,
    sheets: Vec<Sheet>,
    header: Format,
    quoted: Format,
    /// (id, title, colour) of each level.
    levels: Vec<(String, String, Format)>,
}

impl Libro {
    /// `levels`: the level ids and titles, highest first (for their
    /// colours; a level cell shows the title).
    pub fn new(levels: &[(String, String)]) -> Libro {
        let count = levels.len();
        Libro {
            wb: Workbook::new(),
            sheets: Vec::new(),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xF1F0EB))
                .set_border_bottom(FormatBorder::Thin),
            quoted: Format::new().set_quote_prefix(),
            levels: levels
                .iter()
                .enumerate()
                .map(|(i, (id, title))| {
                    let rgb =
                        u32::from_str_radix(color_nivel(i, count).trim_start_matches('#'), 16)
                            .unwrap_or(0x8A8F8C);
                    let f = Format::new()
                        .set_background_color(Color::RGB(rgb))
                        .set_font_color(Color::White)
                        .set_bold();
                    (id.clone(), title.clone(), f)
                })
                .collect(),
        }
    }

    /// The workbook's creation time, `AAAA-MM-DD` (so the same inputs and
    /// date give the same bytes).
    pub fn fecha(&mut self, fecha: Option<&str>) {
        let Some((y, m, d)) = fecha.and_then(parse_date) else {
            return;
        };
        if let Ok(dt) = rust_xlsxwriter::ExcelDateTime::from_ymd(y, m, d) {
            let props = rust_xlsxwriter::DocProperties::new().set_creation_datetime(&dt);
            self.wb.set_properties(&props);
        }
    }

    /// Adds a sheet with its header row; returns its index.
    pub fn hoja(&mut self, name: &str, header: &[String]) -> io::Result<usize> {
        let ws = self.wb.add_worksheet_with_constant_memory().map_err(xerr)?;
        ws.set_name(name).map_err(xerr)?;
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &self.header)
                .map_err(xerr)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xerr)?;
        self.sheets.push(Sheet {
            rows: 1,
            cols: header.len() as u16,
            // Room for the filter's arrow next to the heading.
            widths: header.iter().map(|h| width(h) + 3.0).collect(),
        });
        Ok(self.sheets.len() - 1)
    }

    /// Appends a row to a sheet.
    pub fn fila(&mut self, sheet: usize, cells: &[Cell]) -> io::Result<()> {
        let Some(state) = self.sheets.get_mut(sheet) else {
            return Err(io::Error::other("hoja inexistente en el libro de Excel"));
        };
        let row = state.rows;
        let ws = self.wb.worksheet_from_index(sheet).map_err(xerr)?;
        for (c, cell) in cells.iter().enumerate() {
            let col = c as u16;
            let w = match cell {
                Cell::Empty => 0.0,
                Cell::Text(s) => {
                    if s.starts_with(['=', '+', '-', '@']) {
                        ws.write_string_with_format(row, col, s, &self.quoted)
                    } else {
                        ws.write_string(row, col, s)
                    }
                    .map_err(xerr)?;
                    width(s)
                }
                Cell::Num(v) => {
                    ws.write_number(row, col, *v).map_err(xerr)?;
                    width(&crate::text::number(*v))
                }
                Cell::Level(id) => {
                    let (text, f) = match self.levels.iter().find(|(l, _, _)| l == id) {
                        Some((_, title, f)) => (title.as_str(), Some(f)),
                        None => (id.as_str(), None),
                    };
                    match f {
                        Some(f) => ws.write_string_with_format(row, col, text, f),
                        None => ws.write_string(row, col, text),
                    }
                    .map_err(xerr)?;
                    width(text) + 1.0
                }
            };
            if let Some(cur) = state.widths.get_mut(c) {
                *cur = cur.max(w);
            } else {
                state.widths.push(w);
            }
        }
        state.rows += 1;
        Ok(())
    }

    /// Column widths and filters, then the file's bytes.
    pub fn guardar(mut self) -> io::Result<Vec<u8>> {
        for (i, s) in self.sheets.iter().enumerate() {
            let ws = self.wb.worksheet_from_index(i).map_err(xerr)?;
            for (c, w) in s.widths.iter().enumerate() {
                ws.set_column_width(c as u16, (w + 1.0).min(MAX_WIDTH))
                    .map_err(xerr)?;
            }
            if s.cols > 0 {
                ws.autofilter(0, 0, s.rows.saturating_sub(1), s.cols - 1)
                    .map_err(xerr)?;
            }
        }
        self.wb.save_to_buffer().map_err(xerr)
    }

    /// A «Leyenda» sheet: one row per column of the other sheets, with
    /// what it means.
    pub fn leyenda(&mut self, filas: &[(String, String, String)]) -> io::Result<()> {
        let header = ["hoja", "columna", "qué significa"].map(String::from);
        let sheet = self.hoja("Leyenda", &header)?;
        for (hoja, col, text) in filas {
            self.fila(sheet, &[t(hoja.clone()), t(col.clone()), t(text.clone())])?;
        }
        Ok(())
    }
}

/// Characters, as Excel measures a column (roughly one per character).
fn width(s: &str) -> f64 {
    s.lines().map(|l| l.chars().count()).max().unwrap_or(0) as f64
}

pub struct Xlsx<W: Write> {
    out: W,
    libro: Libro,
    /// Each group's criteria (indices).
    groups: Vec<Vec<usize>>,
    /// Titles, questions and recommendation texts (a compact trace has no
    /// text).
    labels: Labels,
}

const RESULTS: usize = 0;
const CRITERIA: usize = 1;
const REJECTED: usize = 2;
const AUDIT: usize = 3;

/// The columns of the results sheet before the groups', with their meaning.
const RESULT_COLUMNS: &[(&str, &str)] = &[
    ("codigo", "código de la organización (columna `codigo` de los datos)"),
    ("nombre", "nombre de la organización"),
    ("fila", "número de fila en el archivo de datos (la fila 1 es el encabezado)"),
    ("nivel", "nivel asignado, por su título (vacío: los datos no alcanzan para decidir, o fila rechazada)"),
    ("id_nivel", "el mismo nivel, por su nombre en las reglas"),
    ("provisional", "«sí» cuando faltan datos que podrían subir el nivel"),
    ("posibles", "niveles posibles de un resultado provisional, por su título, separados por «|»"),
    ("id_posibles", "los mismos niveles, por su nombre en las reglas"),
    ("faltan", "datos que faltan y que pueden cambiar el nivel: cada campo con su pregunta de la ficha, separados por «|»"),
    ("id_faltan", "los mismos datos, por su nombre de columna"),
    ("siguiente_nivel", "el nivel de arriba, por su título"),
    ("id_siguiente_nivel", "el mismo nivel, por su nombre en las reglas"),
    ("recomendaciones", "el texto de las recomendaciones que corresponden, en orden de prioridad, separadas por «|»"),
    ("id_recomendaciones", "las mismas recomendaciones, por su nombre en las reglas"),
    ("estado", "«evaluada» (con la variante regional, si se usó una) o «rechazada» (errores en los datos: vea la hoja rechazadas)"),
];

const REJECTED_COLUMNS: &[(&str, &str)] = &[
    ("fila", "número de fila en el archivo de datos"),
    ("codigo", "código de la organización"),
    ("nombre", "nombre de la organización"),
    (
        "columna",
        "columna con el error (vacía: un error de la fila entera)",
    ),
    ("valor", "el valor escrito en esa celda"),
    ("mensaje", "qué está mal y cómo corregirlo"),
];

impl<W: Write> Xlsx<W> {
    pub fn new(out: W, program: &Program) -> io::Result<Self> {
        let levels: Vec<(String, String)> = program
            .levels
            .iter()
            .map(|l| (l.name.clone(), l.title.clone()))
            .collect();
        let mut libro = Libro::new(&levels);
        let mut results_header: Vec<String> =
            RESULT_COLUMNS.iter().map(|c| c.0.to_string()).collect();
        for g in &program.groups {
            results_header.push(format!("cumplidos_{}", g.name));
            results_header.push(format!("aplicables_{}", g.name));
        }
        let mut criteria_header = vec!["codigo".to_string(), "nombre".into(), "nivel".into()];
        // The criteria sheet's columns say what each criterion is.
        criteria_header.extend(program.criteria.iter().map(criterion_column));
        libro.hoja("resultados", &results_header)?;
        libro.hoja("criterios", &criteria_header)?;
        let rejected: Vec<String> = REJECTED_COLUMNS.iter().map(|c| c.0.to_string()).collect();
        libro.hoja("rechazadas", &rejected)?;
        libro.hoja("auditoria", &["dato".to_string(), "valor".into()])?;
        libro.leyenda(&leyenda(program))?;
        Ok(Xlsx {
            out,
            libro,
            groups: program.groups.iter().map(|g| g.members.clone()).collect(),
            labels: Labels::new(program),
        })
    }

    /// The output the workbook was written to (after [`ResultWriter::finish`]).
    pub fn into_inner(self) -> W {
        self.out
    }

    /// A row in the results sheet, with two numbers per group, and a row in
    /// the criteria sheet.
    fn write_evaluated(&mut self, r: &Resultado) -> io::Result<()> {
        let l = &self.labels;
        let siguiente = r.siguiente_nivel.as_deref().unwrap_or_default();
        let mut cells = vec![
            t(r.codigo.clone().unwrap_or_default()),
            t(r.nombre.clone().unwrap_or_default()),
            n(r.fila),
            level(r.nivel.as_deref()),
            t(r.nivel.clone().unwrap_or_default()),
            t(if r.provisional { "sí" } else { "no" }),
            t(l.levels_cell(&r.posibles)),
            t(r.posibles.join(" ")),
            t(l.fields_cell(&r.faltan)),
            t(r.faltan.join(" ")),
            t(l.level(siguiente)),
            t(siguiente),
            t(r.recomendaciones
                .iter()
                .map(|x| self.recommendation_text(r, x))
                .collect::<Vec<_>>()
                .join(" | ")),
            t(r.recomendaciones
                .iter()
                .map(|x| x.id.as_str())
                .collect::<Vec<_>>()
                .join(" ")),
            t(match &r.variante {
                Some(v) => format!("evaluada (variante {v})"),
                None => "evaluada".to_string(),
            }),
        ];
        let mut crit_cells = vec![
            t(r.codigo.clone().unwrap_or_default()),
            t(r.nombre.clone().unwrap_or_default()),
            level(r.nivel.as_deref()),
        ];
        // From a full or a compact trace.
        if let Some(outcomes) = r.criterion_outcomes() {
            for members in &self.groups {
                let g = GroupTally::of(members, &outcomes);
                cells.extend([n(g.cumplidos), n(g.aplicables())]);
            }
            crit_cells.extend(outcomes.iter().map(|o| t(criterion_result(o))));
        }
        self.libro.fila(RESULTS, &cells)?;
        self.libro.fila(CRITERIA, &crit_cells)
    }

    /// A recommendation's text, from the result or (a compact trace has
    /// none) from the rules.
    fn recommendation_text(&self, res: &Resultado, r: &RecomendacionOut) -> String {
        if !r.texto.is_empty() {
            return r.texto.clone();
        }
        self.labels.recommendation(&r.id, &res.faltan)
    }

    /// A row in the results sheet and one per error in the rejected sheet.
    fn write_rejected(&mut self, r: &Rechazo) -> io::Result<()> {
        let mut cells = vec![
            t(r.codigo.clone().unwrap_or_default()),
            t(r.nombre.clone().unwrap_or_default()),
            n(r.fila),
        ];
        cells.extend(std::iter::repeat_n(Cell::Empty, RESULT_COLUMNS.len() - 4));
        cells.push(t("rechazada"));
        self.libro.fila(RESULTS, &cells)?;
        for e in &r.errores {
            let cells = vec![
                n(r.fila),
                t(r.codigo.clone().unwrap_or_default()),
                t(r.nombre.clone().unwrap_or_default()),
                t(e.columna.clone().unwrap_or_default()),
                t(e.valor.clone().unwrap_or_default()),
                t(e.mensaje.clone()),
            ];
            self.libro.fila(REJECTED, &cells)?;
        }
        Ok(())
    }
}

/// A criterion's column in the criteria sheet: `Title (id)`.
fn criterion_column(c: &Criterion) -> String {
    format!("{} ({})", c.title, c.name)
}

/// A level cell, coloured; empty for no level.
fn level(nivel: Option<&str>) -> Cell {
    nivel
        .map(|l| Cell::Level(l.to_string()))
        .unwrap_or(Cell::Empty)
}

/// What each column of the results workbook means.
fn leyenda(program: &Program) -> Vec<(String, String, String)> {
    let mut rows: Vec<(String, String, String)> = RESULT_COLUMNS
        .iter()
        .map(|(c, m)| ("resultados".into(), (*c).into(), (*m).into()))
        .collect();
    for g in &program.groups {
        rows.push((
            "resultados".into(),
            format!("cumplidos_{}", g.name),
            format!("criterios cumplidos de «{}»", g.title),
        ));
        rows.push((
            "resultados".into(),
            format!("aplicables_{}", g.name),
            format!(
                "criterios de «{}» que se aplican a la organización",
                g.title
            ),
        ));
    }
    rows.push((
        "criterios".into(),
        "codigo, nombre, nivel".into(),
        "la organización y su nivel".into(),
    ));
    for c in &program.criteria {
        rows.push((
            "criterios".into(),
            criterion_column(c),
            format!(
                "{}: «cumple», «no cumple», «sin dato» (falta un dato para decidir) o «no aplica»",
                c.title
            ),
        ));
    }
    rows.extend(
        REJECTED_COLUMNS
            .iter()
            .map(|(c, m)| ("rechazadas".into(), (*c).into(), (*m).into())),
    );
    rows.push((
        "auditoria".into(),
        "dato, valor".into(),
        "con qué se produjo este libro: programa, reglas y datos con su huella SHA-256, cómo se leyeron y la fecha".into(),
    ));
    rows
}

/// `AAAA-MM-DD` → (year, month, day).
fn parse_date(s: &str) -> Option<(u16, u8, u8)> {
    let mut it = s.split('-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    Some((y, m, d))
}

fn criterion_result(o: &CriterionOutcome) -> &'static str {
    match (o.aplica, o.resultado) {
        (false, _) => "no aplica",
        (true, Tri::Yes) => "cumple",
        (true, Tri::No) => "no cumple",
        (true, Tri::Unknown) => "sin dato",
    }
}

impl<W: Write> ResultWriter for Xlsx<W> {
    fn audit(&mut self, a: &Auditoria) -> io::Result<()> {
        // The workbook's own creation time is the evaluation date, so the
        // same inputs and `--fecha` give the same bytes.
        self.libro.fecha(a.fecha.as_deref());
        let mut rows = vec![("programa".to_string(), a.programa())];
        for r in &a.reglas {
            rows.push((
                "reglas".into(),
                format!("{} — {}", r.archivo, r.nombre_reglas()),
            ));
            rows.push((
                "sha256 de las reglas".into(),
                r.sha256.clone().unwrap_or_default(),
            ));
        }
        for d in &a.datos {
            rows.push(("datos".into(), d.archivo.clone()));
            rows.push((
                "sha256 de los datos".into(),
                d.sha256.clone().unwrap_or_default(),
            ));
        }
        for l in &a.lectura {
            rows.push(("lectura".into(), l.describir()));
        }
        rows.push((
            "fecha de evaluación".into(),
            a.fecha.clone().unwrap_or_default(),
        ));
        for (k, v) in rows {
            self.libro.fila(AUDIT, &[t(k), t(v)])?;
        }
        Ok(())
    }

    fn write(&mut self, s: &Salida) -> io::Result<()> {
        match s {
            Salida::Evaluada(r) => self.write_evaluated(r),
            Salida::Rechazada(r) => self.write_rejected(r),
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        let libro = std::mem::replace(&mut self.libro, Libro::new(&[]));
        let bytes = libro.guardar()?;
        self.out.write_all(&bytes)?;
        self.out.flush()
    }
}
