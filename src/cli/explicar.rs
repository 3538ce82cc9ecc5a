//! `reglas explicar REGLAS DATOS CODIGO`: the whole explanation of one
//! organization, prose and trace from the same evaluation.

use std::path::Path;

use reglas::eval::record::{expand, read_header, TraceRow};
use reglas::eval::{Evaluator, Rechazo, Resultado, Salida};
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
                let more = more_lines(&[rules, data], &shell_word(code));
                show(&r, (format, detail), &more, errors)
            }
            Salida::Rechazada(r) => rejected(&data.display().to_string(), code, r, errors),
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

/// The explanation of one result, as asked.
fn show(
    r: &Resultado,
    (format, detail): (ExplainFormat, ExplainDetail),
    more: &[String],
    errors: ErrorFormat,
) -> i32 {
    match format {
        ExplainFormat::Texto if detail == ExplainDetail::Completo => {
            out!("{}", reglas::render::explanation::explain(r))
        }
        ExplainFormat::Texto => {
            let brief = reglas::render::brief::brief(r);
            out!("{}", reglas::render::brief::brief_text(&brief, more))
        }
        ExplainFormat::Json => {
            match serde_json::to_string_pretty(&reglas::render::brief::WithBrief::new(r)) {
                Ok(s) => outln!("{s}"),
                Err(e) => {
                    let f = Failure::new(
                        Code::Output,
                        format!("no se pudo preparar la explicación en JSON: {e}"),
                    );
                    return fail::failed(f, errors);
                }
            }
        }
    }
    EXIT_OK
}

fn rejected(file: &str, code: &str, r: Rechazo, errors: ErrorFormat) -> i32 {
    eprintln!("La organización {code} no se puede evaluar: su fila tiene errores en los datos.");
    report::rejected_rows(file, &[r], 1, errors);
    EXIT_ROWS_REJECTED
}

/// Which organization of a trace file: by code or by row.
pub enum Wanted {
    Code(String),
    Row(usize),
}

/// `reglas explicar --desde resultados.jsonl CODIGO` (or `--fila N`): the
/// explanation of one row of a trace file (`evaluar --formato jsonl
/// --detalle-completo`), without the rules or the data: its header has all
/// the rows share.
pub fn from_trace(
    file: &Path,
    wanted: Wanted,
    how: (ExplainFormat, ExplainDetail),
    errors: ErrorFormat,
) -> i32 {
    let bad = |msg: String| {
        let f = Failure::new(Code::InputFile, format!("{}: {msg}", file.display()))
            .file(file)
            .help("Use el archivo que escribe `reglas evaluar REGLAS DATOS --formato jsonl --detalle-completo --salida resultados.jsonl`.");
        fail::failed(f, errors)
    };
    let opened = match std::fs::File::open(file) {
        Ok(f) => f,
        Err(e) => {
            return bad(format!(
                "no se pudo abrir: {}",
                reglas::text::system_error(&e)
            ))
        }
    };
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(opened));
    // The rows are those of the data file the audit record names.
    let mut data_file = file.display().to_string();
    let header = match lines.next() {
        Some(Ok(first)) => match read_header(&first) {
            Ok(h) => {
                let audit: serde_json::Value = serde_json::from_str(&first).unwrap_or_default();
                if let Some(name) = audit["auditoria"]["datos"][0]["archivo"].as_str() {
                    data_file = name.to_string();
                }
                h
            }
            Err(msg) => return bad(msg),
        },
        Some(Err(e)) => {
            return bad(format!(
                "no se pudo leer: {}",
                reglas::text::system_error(&e)
            ))
        }
        None => return bad("está vacío".to_string()),
    };
    let key = match &wanted {
        Wanted::Code(c) => reglas::data::code_key(c.trim()),
        Wanted::Row(_) => String::new(),
    };
    let mut codes = Vec::new();
    for (n, line) in lines.enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                return bad(format!(
                    "no se pudo leer: {}",
                    reglas::text::system_error(&e)
                ))
            }
        };
        // serde's messages are English: say what is wrong in Spanish instead.
        let at = |_: serde_json::Error| {
            format!(
                "la línea {} no es un resultado de la traza que este programa pueda leer",
                n + 2
            )
        };
        // Only the keys that say which organization it is, first.
        let which: Which = match serde_json::from_str(&line) {
            Ok(w) => w,
            Err(e) => return bad(at(e)),
        };
        let same = match &wanted {
            Wanted::Code(_) => which
                .codigo
                .as_deref()
                .is_some_and(|c| reglas::data::code_key(c.trim()) == key),
            Wanted::Row(r) => which.fila == Some(*r),
        };
        if !same {
            codes.extend(which.codigo);
            continue;
        }
        let name = which
            .codigo
            .clone()
            .unwrap_or_else(|| format!("de la fila {}", which.fila.unwrap_or(0)));
        if which.errores.is_some() {
            return match serde_json::from_str::<Rechazo>(&line) {
                Ok(r) => rejected(&data_file, &name, r, errors),
                Err(e) => bad(at(e)),
            };
        }
        let row: TraceRow = match serde_json::from_str(&line) {
            Ok(r) => r,
            Err(e) => return bad(at(e)),
        };
        if let Err(msg) = header.check(&row) {
            return bad(format!("línea {}: {msg}", n + 2));
        }
        let r = expand(&header, &row);
        let asked = match &wanted {
            Wanted::Code(c) => shell_word(c),
            Wanted::Row(r) => format!("--fila {r}"),
        };
        let more = more_lines(&[Path::new("--desde"), file], &asked);
        return show(&r, how, &more, errors);
    }
    let f = match &wanted {
        Wanted::Code(code) => {
            let f = Failure::new(
                Code::InputFile,
                format!(
                    "no hay ninguna organización con código `{code}` en {}",
                    file.display()
                ),
            )
            .file(file);
            match did_you_mean(code, codes.iter().map(String::as_str)) {
                Some(s) => f.help(format!("¿Quiso decir `{s}`?")),
                None => f.help("Escriba el código como figura en la clave `codigo` del archivo."),
            }
        }
        Wanted::Row(r) => Failure::new(
            Code::InputFile,
            format!(
                "no hay ninguna organización de la fila {r} en {}",
                file.display()
            ),
        )
        .file(file)
        .help("La fila es la de la planilla (la clave `fila` de cada línea)."),
    };
    fail::failed(f, errors)
}

/// What says which organization a line is.
#[derive(serde::Deserialize)]
struct Which {
    codigo: Option<String>,
    fila: Option<usize>,
    errores: Option<serde::de::IgnoredAny>,
}

/// Where the short view says to look for more: the same command with
/// `--detalle completo`, and the page that explains how to read it. `asked`
/// is the organization as typed on the command line (a quoted code, or
/// `--fila N`).
fn more_lines(files: &[&Path], asked: &str) -> Vec<String> {
    let files: Vec<String> = files
        .iter()
        .map(|f| shell_word(&f.display().to_string()))
        .collect();
    vec![
        format!(
            "reglas explicar {} {asked} --detalle completo   (cada nivel, criterio y dato)",
            files.join(" "),
        ),
        "docs/leer-una-explicacion.md   (cómo leer una explicación)".to_string(),
    ]
}

/// `s` as one word of a command line: quoted when it has spaces.
fn shell_word(s: &str) -> String {
    if s.contains(char::is_whitespace) {
        format!("\"{s}\"")
    } else {
        s.to_string()
    }
}
