//! `reglas explicar REGLAS DATOS CODIGO`: the whole explanation of one
//! organization, prose and trace from the same evaluation.

use std::path::Path;

use reglas::eval::{Evaluator, Salida};
use reglas::render::diagnostics::ErrorFormat;
use reglas::text::did_you_mean;

use super::args::{ExplainDetail, ExplainFormat, ReadArgs};
use super::evaluar::evaluate_row;
use super::{fail, read_corrections, report, EXIT_FAILED, EXIT_OK, EXIT_ROWS_REJECTED};
use reglas::codes::Code;
use reglas::diagnostic::Failure;

pub fn run(
    rules: &Path,
    data: &Path,
    code: &str,
    (format, detail): (ExplainFormat, ExplainDetail),
    read: &ReadArgs,
    corrections: Option<&Path>,
    errors: ErrorFormat,
) -> i32 {
    let loaded = reglas::load::load_file(rules);
    if report::rule_problems(&loaded, errors) {
        return EXIT_FAILED;
    }
    let Some(program) = loaded.program.as_ref() else {
        return EXIT_FAILED;
    };
    let source = match super::open_data(program, data, read, errors) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut log = match read_corrections(corrections, &program.schema, errors) {
        Ok(log) => log,
        Err(code) => return code,
    };
    let evaluator = Evaluator::new(program);
    let mut codes = Vec::new();
    let wanted = reglas::data::code_key(code.trim());
    for mut row in source {
        // Codes are compared without case, as everywhere else.
        let same = row
            .codigo
            .as_deref()
            .is_some_and(|c| reglas::data::code_key(c.trim()) == wanted);
        if !same {
            if let Some(c) = &row.codigo {
                codes.push(c.clone());
            }
            continue;
        }
        let applied = match log.as_mut() {
            Some(l) => l.apply(&mut row),
            None => Vec::new(),
        };
        return match evaluate_row(&evaluator, row, true) {
            Salida::Evaluada(mut r) => {
                r.correcciones = applied;
                match format {
                    ExplainFormat::Texto if detail == ExplainDetail::Completo => {
                        out!("{}", reglas::render::explanation::explain(&r))
                    }
                    ExplainFormat::Texto => {
                        let more = more_lines(rules, data, code);
                        let brief = reglas::render::brief::brief(&r);
                        out!("{}", reglas::render::brief::brief_text(&brief, &more))
                    }
                    ExplainFormat::Json => match serde_json::to_string_pretty(
                        &reglas::render::brief::WithBrief::new(&r),
                    ) {
                        Ok(s) => outln!("{s}"),
                        Err(e) => {
                            let f = Failure::new(
                                Code::Output,
                                format!("no se pudo preparar la explicación en JSON: {e}"),
                            );
                            return fail::failed(f, errors);
                        }
                    },
                }
                EXIT_OK
            }
            Salida::Rechazada(r) => {
                eprintln!(
                    "La organización {code} no se puede evaluar: su fila tiene errores en los datos."
                );
                report::rejected_rows(&data.display().to_string(), &[r], 1, errors);
                EXIT_ROWS_REJECTED
            }
        };
    }
    let f = Failure::new(
        Code::InputFile,
        format!(
            "no hay ninguna organización con código `{code}` en {}",
            data.display()
        ),
    )
    .file(data);
    let f = match did_you_mean(code, codes.iter().map(String::as_str)) {
        Some(s) => f.help(format!("¿Quiso decir `{s}`?")),
        None => f.help("Escriba el código como figura en la columna `codigo` de los datos."),
    };
    fail::failed(f, errors)
}

/// Where the short view says to look for more: the same command with
/// `--detalle completo`, and the page that explains how to read it.
fn more_lines(rules: &Path, data: &Path, code: &str) -> Vec<String> {
    let quoted = |s: &str| {
        if s.contains(char::is_whitespace) {
            format!("\"{s}\"")
        } else {
            s.to_string()
        }
    };
    vec![
        format!(
            "reglas explicar {} {} {} --detalle completo   (cada nivel, criterio y dato)",
            quoted(&rules.display().to_string()),
            quoted(&data.display().to_string()),
            quoted(code)
        ),
        "docs/leer-una-explicacion.md   (cómo leer una explicación)".to_string(),
    ]
}
