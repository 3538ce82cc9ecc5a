//! `--formato xlsx`: a workbook with a sheet of results (one row per input
//! row, rejected ones included), a sheet with each criterion's outcome per
//! organization, and a sheet of rejected rows with their errors. Text from the
//! data is always written as text (never as a formula) and neutralised like
//! in CSV.

use std::io::{self, Write};

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::results::{neutralise, ResultWriter};
use crate::eval::{Explicacion, Rechazo, Resultado, Salida, Tri};
use crate::program::Program;
use crate::provenance::Auditoria;

pub struct Xlsx<W: Write> {
    out: W,
    wb: Workbook,
    groups: Vec<String>,
    criteria: Vec<String>,
    rows: [u32; 4],
}

const RESULTS: usize = 0;
const CRITERIA: usize = 1;
const REJECTED: usize = 2;
const AUDIT: usize = 3;

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

impl<W: Write> Xlsx<W> {
    pub fn new(out: W, program: &Program) -> io::Result<Self> {
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold();
        let groups: Vec<String> = program.groups.iter().map(|g| g.name.clone()).collect();
        let criteria: Vec<String> = program.criteria.iter().map(|c| c.name.clone()).collect();
        // The criteria sheet's columns say what each criterion is.
        let criteria_titles: Vec<String> = program
            .criteria
            .iter()
            .map(|c| format!("{} ({})", c.title, c.name))
            .collect();
        let mut results_header = vec![
            "codigo".to_string(),
            "nombre".into(),
            "fila".into(),
            "nivel".into(),
            "nivel_titulo".into(),
            "provisional".into(),
            "posibles".into(),
            "faltan".into(),
            "siguiente_nivel".into(),
            "recomendaciones".into(),
            "id_recomendaciones".into(),
            "estado".into(),
        ];
        results_header.extend(groups.iter().map(|g| format!("cumplidos_{g}")));
        let mut criteria_header = vec!["codigo".to_string(), "nombre".into(), "nivel".into()];
        criteria_header.extend(criteria_titles);
        let rejected_header = ["fila", "codigo", "nombre", "columna", "valor", "mensaje"];
        for (name, header) in [
            ("resultados", results_header),
            ("criterios", criteria_header),
            (
                "rechazadas",
                rejected_header.iter().map(|s| s.to_string()).collect(),
            ),
            ("auditoria", vec!["dato".to_string(), "valor".into()]),
        ] {
            let ws = wb.add_worksheet_with_constant_memory().map_err(xerr)?;
            ws.set_name(name).map_err(xerr)?;
            for (c, h) in header.iter().enumerate() {
                ws.write_string_with_format(0, c as u16, h, &bold)
                    .map_err(xerr)?;
            }
            ws.set_freeze_panes(1, 0).map_err(xerr)?;
        }
        Ok(Xlsx {
            out,
            wb,
            groups,
            criteria,
            rows: [1, 1, 1, 1],
        })
    }

    /// A row in the results sheet, with a cell per group, and a row in the
    /// criteria sheet.
    fn write_evaluated(&mut self, r: &Resultado) -> io::Result<()> {
        let mut cells = vec![
            t(r.codigo.clone().unwrap_or_default()),
            t(r.nombre.clone().unwrap_or_default()),
            Cell::Num(r.fila as f64),
            t(r.nivel.clone().unwrap_or_default()),
            t(r.nivel_titulo.clone().unwrap_or_default()),
            t(if r.provisional { "sí" } else { "no" }),
            t(r.posibles.join(" ")),
            t(r.faltan.join(" ")),
            t(r.siguiente_nivel.clone().unwrap_or_default()),
            t(r.recomendaciones
                .iter()
                .map(|x| x.texto.as_str())
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
            t(r.nivel.clone().unwrap_or_default()),
        ];
        if let Some(e) = &r.explicacion {
            cells.extend(self.groups.iter().map(|g| t(group_share(e, g))));
            crit_cells.extend(self.criteria.iter().map(|c| t(criterion_result(e, c))));
        }
        self.put_row(RESULTS, &cells)?;
        self.put_row(CRITERIA, &crit_cells)
    }

    /// A row in the results sheet and one per error in the rejected sheet.
    fn write_rejected(&mut self, r: &Rechazo) -> io::Result<()> {
        let cells = vec![
            t(r.codigo.clone().unwrap_or_default()),
            t(r.nombre.clone().unwrap_or_default()),
            Cell::Num(r.fila as f64),
            t(""),
            t(""),
            t(""),
            t(""),
            t(""),
            t(""),
            t(""),
            t(""),
            t("rechazada"),
        ];
        self.put_row(RESULTS, &cells)?;
        for e in &r.errores {
            let cells = vec![
                Cell::Num(r.fila as f64),
                t(r.codigo.clone().unwrap_or_default()),
                t(r.nombre.clone().unwrap_or_default()),
                t(e.columna.clone().unwrap_or_default()),
                t(e.valor.clone().unwrap_or_default()),
                t(e.mensaje.clone()),
            ];
            self.put_row(REJECTED, &cells)?;
        }
        Ok(())
    }

    fn put_row(&mut self, sheet: usize, cells: &[Cell]) -> io::Result<()> {
        let row = self.rows[sheet];
        let ws = self.wb.worksheet_from_index(sheet).map_err(xerr)?;
        for (c, cell) in cells.iter().enumerate() {
            let col = c as u16;
            match cell {
                Cell::Text(t) if t.is_empty() => {}
                Cell::Text(t) => {
                    ws.write_string(row, col, neutralise(t)).map_err(xerr)?;
                }
                Cell::Num(n) => {
                    ws.write_number(row, col, *n).map_err(xerr)?;
                }
            }
        }
        self.rows[sheet] += 1;
        Ok(())
    }
}

/// `AAAA-MM-DD` → (year, month, day).
fn parse_date(s: &str) -> Option<(u16, u8, u8)> {
    let mut it = s.split('-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    Some((y, m, d))
}

enum Cell {
    Text(String),
    Num(f64),
}

/// `met/applicable` for one group; empty when the trace lacks it.
fn group_share(e: &Explicacion, group: &str) -> String {
    e.grupos
        .iter()
        .find(|x| x.id == group)
        .map(|x| {
            format!(
                "{}/{}",
                x.cumplidos,
                x.cumplidos + x.no_cumplidos + x.sin_dato
            )
        })
        .unwrap_or_default()
}

fn criterion_result(e: &Explicacion, criterion: &str) -> &'static str {
    e.criterios
        .iter()
        .find(|x| x.id == criterion)
        .map(|x| match (x.aplica, x.resultado) {
            (false, _) => "no aplica",
            (true, Tri::Yes) => "cumple",
            (true, Tri::No) => "no cumple",
            (true, Tri::Unknown) => "sin dato",
        })
        .unwrap_or("")
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

impl<W: Write> ResultWriter for Xlsx<W> {
    fn audit(&mut self, a: &Auditoria) -> io::Result<()> {
        // The workbook's own creation time is the evaluation date, so the
        // same inputs and `--fecha` give the same bytes.
        if let Some(date) = a.fecha.as_deref().and_then(parse_date) {
            if let Ok(dt) = rust_xlsxwriter::ExcelDateTime::from_ymd(date.0, date.1, date.2) {
                let props = rust_xlsxwriter::DocProperties::new().set_creation_datetime(&dt);
                self.wb.set_properties(&props);
            }
        }
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
            self.put_row(AUDIT, &[t(k), t(v)])?;
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
        let bytes = self.wb.save_to_buffer().map_err(xerr)?;
        self.out.write_all(&bytes)?;
        self.out.flush()
    }
}
