//! «Resultados»: a whole data file evaluated, as `reglas evaluar` does, and
//! kept on the server for the pages of its table (`table`).

use serde::Deserialize;

use crate::data::Row;
use crate::eval::{Detail, Evaluator, Prepared, Rechazo, Salida, StreamOptions};
use crate::render::results::Totals;
use crate::report::svg::color_nivel;

use super::http::{json_body, query_value, Handled, Reply, WebError};
use super::state::{program_of, State};
use super::table::{distinct, Evaluation, LevelTotal, OrgRow};

/// Rejected rows sent to the page (all are counted; all are in downloads).
const REJECTED_SHOWN: usize = 500;

/// What to evaluate: a rule file of the folder (or the text being edited
/// in its place) and a data file.
#[derive(Debug, Deserialize)]
pub struct Choice {
    pub reglas: String,
    #[serde(default)]
    pub texto: Option<String>,
    pub datos: String,
}

/// Grey for organizations without a level (the report's colour).
const NO_LEVEL_COLOR: &str = crate::report::svg::GRIS;

pub fn evaluate(state: &State, body: &[u8]) -> Handled {
    let choice: Choice = json_body(body)?;
    let loaded = state.rules(&choice.reglas, choice.texto)?;
    let program = program_of(&loaded)?;
    let (path, shown) = state.data_path(&choice.datos)?;
    let source = state.open_data(program, &path)?;
    let lectura = crate::provenance::LecturaUsada::new(&path, source.detected()).describir();
    let mut advertencias = source.detected().warnings.clone();
    let (rows, totals, rejected) = evaluate_rows(program, source, &mut advertencias)?;
    if totals.leidas == 0 {
        return Err(WebError::bad(format!(
            "`{shown}` no tiene ninguna organización (solo encabezados)"
        ))
        .help("Revise que el archivo sea el de los datos y que tenga al menos una fila después de los encabezados."));
    }
    let n = program.levels.len();
    let niveles = totals
        .por_nivel
        .iter()
        .enumerate()
        .map(|(i, (id, titulo, total))| LevelTotal {
            id: id.clone(),
            titulo: titulo.clone(),
            color: color_nivel(i, n).to_string(),
            total: *total,
        })
        .collect();
    let evaluation = state.keep(|id| Evaluation {
        id,
        reglas: choice.reglas.clone(),
        datos: shown,
        lectura,
        advertencias,
        niveles,
        regiones: distinct(&rows, |r| r.region.as_deref()),
        rubros: distinct(&rows, |r| r.rubro.as_deref()),
        totales: totals,
        rechazadas: rejected,
        rows,
    })?;
    Ok(Reply::json(&*evaluation))
}

/// Every row through the evaluator on all cores, as `batch` does, keeping
/// what the table shows. Region and rubro are read from the row before it
/// is evaluated (the result does not carry fields no rule reads).
fn evaluate_rows(
    program: &crate::program::Program,
    mut source: crate::data::DataSource,
    warnings: &mut Vec<String>,
) -> Result<(Vec<OrgRow>, Totals, Vec<Rechazo>), WebError> {
    let evaluator = Evaluator::new(program);
    // (row, region, rubro) of every row read, rejected ones too.
    let mut labels: Vec<Labels> = Vec::new();
    let mut rows: Vec<OrgRow> = Vec::new();
    let mut totals = Totals::new(program);
    let mut rejected = Vec::new();
    let prepare = |row: Row| {
        labels.push(region_and_rubro(program, &row));
        Prepared::from(row)
    };
    // Compact: the outcome of each criterion, for the count of unmet ones
    // (twice the time of the level alone; see docs/usar-desde-el-navegador.md).
    let options = StreamOptions {
        detail: Detail::Compact,
        encoder: None,
        threads: 0,
    };
    let levels = program.levels.len();
    let seen = warnings.len();
    evaluator.evaluate_stream(&mut source, prepare, options, |batch| {
        for e in &batch.rows {
            totals.add_summary(&e.summary);
            match &e.salida {
                Some(Salida::Evaluada(r)) => rows.push(org_row(r, e.summary.level, levels)),
                Some(Salida::Rechazada(r)) if rejected.len() < REJECTED_SHOWN => {
                    rejected.push(r.clone())
                }
                _ => {}
            }
        }
        Ok::<(), WebError>(())
    })?;
    // Noticed while reading (cells that are not UTF-8 further down).
    warnings.extend(source.detected().warnings.iter().skip(seen).cloned());
    attach_labels(&mut rows, labels);
    Ok((rows, totals, rejected))
}

type Labels = (usize, Option<String>, Option<String>);

/// Both lists are in file order; the table has only the evaluated rows.
fn attach_labels(rows: &mut [OrgRow], labels: Vec<Labels>) {
    let mut labels = labels.into_iter();
    for r in rows {
        for (line, region, rubro) in labels.by_ref() {
            if line == r.fila {
                r.region = region;
                r.rubro = rubro;
                break;
            }
        }
    }
}

fn region_and_rubro(program: &crate::program::Program, row: &Row) -> Labels {
    let mut region = None;
    let mut rubro = None;
    for e in crate::report::etiquetas(program, row) {
        match e.campo.as_str() {
            "region" => region = e.valor,
            "rubro" => rubro = e.valor,
            _ => {}
        }
    }
    (row.line, region, rubro)
}

fn org_row(r: &crate::eval::Resultado, level: Option<usize>, levels: usize) -> OrgRow {
    let no_cumple = r
        .traza
        .as_ref()
        .map(|t| t.criterios.0.iter().filter(|(_, v)| *v == "no").count())
        .unwrap_or(0);
    OrgRow {
        fila: r.fila,
        codigo: r.codigo.clone(),
        nombre: r.nombre.clone(),
        nivel: r.nivel.clone(),
        nivel_titulo: r.nivel_titulo.clone(),
        orden: level.unwrap_or(levels),
        color: level
            .map(|i| color_nivel(i, levels))
            .unwrap_or(NO_LEVEL_COLOR)
            .to_string(),
        provisional: r.provisional,
        no_cumple,
        region: None,
        rubro: None,
    }
}

/// `GET /api/filas?id=1&…`: a page of an evaluation's table.
pub fn page(state: &State, query: &str) -> Handled {
    let id = query_value(query, "id")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let evaluation = state.evaluation(id)?;
    let reply = Reply::json(&super::table::page(&evaluation, query));
    Ok(reply)
}
