//! Downloads: the same files the command line writes, made by the same
//! writers: `reglas evaluar --salida resultados.xlsx` (or `.csv`) and
//! `reglas informe --salida informe.html`, and the audit record `reglas
//! evaluar` writes beside a CSV. They use the rule file as saved.

use std::path::Path;

use crate::batch;
use crate::eval::{Detail, Evaluator, Prepared};
use crate::program::Program;
use crate::provenance::Auditoria;
use crate::render::results::{Csv, ResultWriter};
use crate::render::xlsx::Xlsx;

use super::http::{query_value, Handled, Reply, WebError};
use super::state::{program_of, State};

/// `GET /api/descargar?formato=xlsx&reglas=…&datos=…&clave=…`
pub fn download(state: &State, query: &str) -> Handled {
    let get = |k: &str| query_value(query, k).unwrap_or_default();
    let loaded = state.rules(&get("reglas"), None)?;
    let program = program_of(&loaded)?;
    let (path, _) = state.data_path(&get("datos"))?;
    match get("formato").as_str() {
        "xlsx" => results(state, program, &path, Kind::Xlsx),
        "csv" => results(state, program, &path, Kind::Csv),
        "html" => report(state, program, &path),
        "auditoria" => {
            let source = state.open_data(program, &path)?;
            let bytes = crate::render::results::audit_json(&audit(program, &path, &source))
                .map_err(could_not)?;
            Ok(Reply::download(
                "application/json; charset=utf-8",
                bytes,
                "resultados.auditoria.json".into(),
            ))
        }
        other => Err(
            WebError::bad(format!("no se puede descargar en el formato `{other}`"))
                .help("Los formatos son xlsx, csv y html."),
        ),
    }
}

enum Kind {
    Xlsx,
    Csv,
}

fn audit(program: &Program, path: &Path, source: &crate::data::DataSource) -> Auditoria {
    Auditoria::of_run(
        program,
        path,
        source.detected(),
        None,
        crate::text::today_utc(),
    )
}

fn could_not(e: std::io::Error) -> WebError {
    WebError::internal(format!(
        "no se pudo preparar el archivo: {}",
        crate::text::system_error(&e)
    ))
}

fn results(state: &State, program: &Program, path: &Path, kind: Kind) -> Handled {
    let mut source = state.open_data(program, path)?;
    let auditoria = audit(program, path, &source);
    let evaluator = Evaluator::new(program);
    let mut bytes = Vec::new();
    {
        // The detail `reglas evaluar` uses for each format.
        let (mut writer, detail): (Box<dyn ResultWriter + '_>, Detail) = match kind {
            Kind::Xlsx => (
                Box::new(Xlsx::new(&mut bytes, program).map_err(could_not)?),
                Detail::Full,
            ),
            // `;`: the separator `reglas evaluar` writes by default (Excel in Spanish).
            Kind::Csv => (
                Box::new(Csv::new(&mut bytes, program, b';').map_err(could_not)?),
                Detail::Level,
            ),
        };
        batch::evaluate_into(
            &evaluator,
            || auditoria.clone(),
            &mut source,
            None,
            writer.as_mut(),
            detail,
            &|_| {},
        )
        .map_err(could_not)?;
    }
    Ok(match kind {
        Kind::Xlsx => Reply::download(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            bytes,
            "resultados.xlsx".into(),
        ),
        Kind::Csv => Reply::download("text/csv; charset=utf-8", bytes, "resultados.csv".into()),
    })
}

fn report(state: &State, program: &Program, path: &Path) -> Handled {
    let source = state.open_data(program, path)?;
    let auditoria = audit(program, path, &source);
    let evaluator = Evaluator::new(program);
    let evaluate = |row| evaluator.salida(Prepared::from(row), Detail::Full);
    let inf = crate::report::recolectar(program, source, evaluate, auditoria);
    let page = crate::report::html::informe(&inf);
    Ok(Reply::download(
        "text/html; charset=utf-8",
        page.into_bytes(),
        "informe.html".into(),
    ))
}
