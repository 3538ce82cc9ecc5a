//! Printing diagnostics and data problems on standard error.

use reglas::data::{CellError, DataFileError};
use reglas::eval::Rechazo;
use reglas::load::Loaded;
use reglas::render::diagnostics::{render_one, render_problems, tally, ErrorFormat};

/// Prints a rule file's problems. Returns true when it has errors.
pub fn rule_problems(loaded: &Loaded, format: ErrorFormat) -> bool {
    eprint!(
        "{}",
        render_problems(&loaded.problems, &loaded.sources, format)
    );
    loaded.problems.has_errors()
}

/// After the rule file's errors, in words (not in JSON, where each error is
/// already one object).
pub fn nothing_evaluated(format: ErrorFormat) {
    if format != ErrorFormat::Json {
        eprintln!(
            "No se evaluó ninguna organización: corrija primero los errores del archivo de reglas."
        );
    }
}

pub fn data_file_error(e: &DataFileError, format: ErrorFormat) {
    eprint!("{}", render_one(e, format));
}

/// How many rejected rows are detailed on the terminal (all of them are in
/// the output anyway).
const MAX_ROWS_SHOWN: usize = 30;

/// Prints the errors of rejected rows: file, row, column, value, reason.
pub fn rejected_rows(file: &str, rows: &[Rechazo], total: usize, format: ErrorFormat) {
    if format == ErrorFormat::Json {
        for r in rows {
            for e in &r.errores {
                // The same keys as miette's JSON for rule-file errors, so
                // an editor reads both kinds alike; the row's place is added.
                let line = serde_json::json!({
                    "message": e.mensaje,
                    "code": "reglas::datos::fila",
                    "severity": "error",
                    "filename": file,
                    "labels": [],
                    "related": [],
                    "fila": r.fila,
                    "organizacion": r.codigo,
                    "columna": e.columna,
                    "valor": e.valor,
                });
                eprintln!("{line}");
            }
        }
        return;
    }
    for r in rows.iter().take(MAX_ROWS_SHOWN) {
        for e in &r.errores {
            eprintln!("{}", row_error_line(file, r, e));
        }
    }
    if total > MAX_ROWS_SHOWN {
        eprintln!(
            "… y {} filas rechazadas más (todas figuran en la salida con sus errores).",
            total - MAX_ROWS_SHOWN
        );
    }
}

pub fn row_error_line(file: &str, r: &Rechazo, e: &CellError) -> String {
    let who = match &r.codigo {
        Some(c) => format!(" (organización {c})"),
        None => String::new(),
    };
    let column = match &e.columna {
        Some(c) => format!(", columna `{c}`"),
        None => String::new(),
    };
    let value = match &e.valor {
        Some(v) => format!(", valor `{v}`"),
        None => String::new(),
    };
    let line = format!(
        "error: {file}: fila {}{who}{column}{value}: {}",
        r.fila, e.mensaje
    );
    reglas::render::terminal_safe(&line, false).into_owned()
}

pub fn summary_line(loaded: &Loaded) -> String {
    tally(&loaded.problems)
}
