//! `reglas evaluar REGLAS DATOS`: evaluates every organization in one
//! streaming pass and writes one result per input row.

use std::io::IsTerminal;
use std::path::Path;

use reglas::data::Row;
use reglas::eval::{Detail, Evaluator, Prepared, Rechazo, Salida, StreamOptions};
use reglas::render::diagnostics::ErrorFormat;
use reglas::render::results::{Csv, Format, JsonArray, JsonLines, ResultWriter, Totals};
use reglas::render::summary::Table;
use reglas::render::xlsx::Xlsx;

use super::args::{AuditArgs, OutputFormat, ReadArgs};
use super::output::Sink;
use super::{read_corrections, report, EXIT_FAILED, EXIT_OK, EXIT_ROWS_REJECTED, EXIT_USAGE};

/// Rejected rows kept in memory to detail on the terminal at the end.
const REJECTED_KEPT: usize = 100;

/// What the user asked about the output of `evaluar`.
pub struct OutputArgs<'a> {
    pub format: Option<OutputFormat>,
    pub out: Option<&'a Path>,
    pub separator: Option<&'a str>,
    pub full_detail: bool,
}

pub fn run(
    rules: &Path,
    data: &Path,
    output: OutputArgs,
    read: &ReadArgs,
    audit_args: &AuditArgs,
    errors: ErrorFormat,
) -> i32 {
    let OutputArgs {
        format,
        out,
        separator: out_separator,
        full_detail,
    } = output;
    let loaded = reglas::load::load_file(rules);
    if report::rule_problems(&loaded, errors) {
        eprintln!(
            "No se evaluó ninguna organización: corrija primero los errores del archivo de reglas."
        );
        return EXIT_FAILED;
    }
    let Some(program) = loaded.program.as_ref() else {
        return EXIT_FAILED;
    };
    let mut source = match super::open_data(program, data, read, errors) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if errors != ErrorFormat::Json {
        describe_input(data, source.detected());
    }
    let warnings_before = source.detected().warnings.len();
    let Ok(mut corrections) = read_corrections(audit_args.correcciones.as_deref(), &program.schema)
    else {
        return EXIT_FAILED;
    };
    let auditoria = audit_record(program, data, source.detected(), audit_args);

    // Writing over an input is refused before anything else about the output.
    let mut inputs = vec![rules, data];
    inputs.extend(audit_args.correcciones.as_deref());
    if let Some(o) = out {
        if let Err(msg) = Sink::refuse_inputs(o, &inputs) {
            eprintln!("error: {msg}");
            return EXIT_FAILED;
        }
    }
    let format = match choose_format(format, out) {
        Ok(f) => f,
        Err(msg) => {
            eprintln!("error: {msg}");
            return EXIT_USAGE;
        }
    };
    let output_separator = match out_separator {
        None | Some(";") => b';',
        Some(",") => b',',
        Some("tab") | Some("\t") => b'\t',
        Some(other) => {
            eprintln!("error: separador de salida no válido `{other}`: use `;`, `,` o `tab`");
            return EXIT_USAGE;
        }
    };
    if format == OutputFormat::Xlsx && out.is_none() {
        eprintln!("error: un libro de Excel no se puede mostrar en la pantalla; indique el archivo con --salida resultados.xlsx");
        return EXIT_USAGE;
    }
    let mut sink = match Sink::open(out, &inputs) {
        Ok(s) => s,
        Err(msg) => {
            eprintln!("error: {msg}");
            return EXIT_FAILED;
        }
    };
    let totals = Totals::new(program);
    let evaluator = Evaluator::new(program);
    // Many organizations in JSON get the compact trace (outcomes by id);
    // `--detalle completo` adds titles, sentences, data and places.
    let detail = match (format, full_detail) {
        (OutputFormat::Tabla | OutputFormat::Csv, _) => Detail::Level,
        (OutputFormat::Xlsx, _) | (_, true) => Detail::Full,
        _ => Detail::Compact,
    };
    let mut rejected: Vec<Rechazo> = Vec::new();
    let mut counts = totals.clone();
    let result = {
        let mut writer: Box<dyn ResultWriter + '_> = match format {
            OutputFormat::Tabla => Box::new(Table::new(&mut sink, totals)),
            OutputFormat::Csv => match Csv::new(&mut sink, output_separator) {
                Ok(w) => Box::new(w),
                Err(e) => {
                    eprintln!("error: no se pudo escribir la salida: {e}");
                    return EXIT_FAILED;
                }
            },
            OutputFormat::Jsonl => Box::new(JsonLines(&mut sink)),
            OutputFormat::Json => Box::new(JsonArray::new(&mut sink)),
            OutputFormat::Xlsx => match Xlsx::new(&mut sink, program) {
                Ok(w) => Box::new(w),
                Err(e) => {
                    eprintln!("error: no se pudo preparar el libro de Excel: {e}");
                    return EXIT_FAILED;
                }
            },
        };
        let progress = progress_bar();
        let io_result = writer.audit(&auditoria).and_then(|_| {
            // Corrections are applied on the reading thread, in file order.
            let prepare = |mut row: Row| {
                let corrections = match corrections.as_mut() {
                    Some(log) => log.apply(&mut row),
                    None => Vec::new(),
                };
                Prepared { row, corrections }
            };
            // JSON and CSV records are encoded on the evaluating threads.
            let encoder = writer.encoder();
            let options = StreamOptions {
                detail,
                encoder: encoder.as_deref(),
                threads: 0,
            };
            evaluator.evaluate_stream(&mut source, prepare, options, |batch| {
                progress.inc(batch.rows.len() as u64);
                for e in &batch.rows {
                    counts.add_summary(&e.summary);
                    if let Some(r) = &e.summary.rejected {
                        if rejected.len() < REJECTED_KEPT {
                            rejected.push(r.clone());
                        }
                    }
                    if let Some(salida) = &e.salida {
                        writer.write(salida)?;
                    }
                }
                if encoder.is_some() {
                    writer.write_encoded(&batch.encoded)?;
                }
                Ok(())
            })
        });
        progress.finish_and_clear();
        io_result.and_then(|_| writer.finish())
    };
    // Noticed while reading (cells that are not UTF-8 further down).
    if errors != ErrorFormat::Json && result.is_ok() {
        for w in source.detected().warnings.iter().skip(warnings_before) {
            eprintln!("advertencia: {w}");
        }
    }
    let file = data.display().to_string();
    if result.is_ok() && counts.leidas == 0 {
        // Nothing to write: leave no empty results file behind (nor
        // replace an earlier one).
        sink.abandon();
        eprintln!("error: `{file}` no tiene ninguna organización (solo encabezados)");
        return EXIT_FAILED;
    }
    if !sink.finish(result, "la salida") {
        return EXIT_FAILED;
    }
    if let Some(log) = &corrections {
        for code in log.unused() {
            eprintln!("advertencia: el registro de correcciones tiene correcciones para `{code}`, que no está en los datos");
        }
    }

    report::rejected_rows(&file, &rejected, counts.rechazadas, errors);
    if errors != ErrorFormat::Json {
        print_totals(&counts, format, out);
    }
    if counts.rechazadas > 0 {
        EXIT_ROWS_REJECTED
    } else {
        EXIT_OK
    }
}

/// Where the results come from: program version, rule and data files with
/// their SHA-256, how the data was read, and the evaluation date.
fn audit_record(
    program: &reglas::program::Program,
    data: &Path,
    detected: &reglas::data::Detected,
    args: &AuditArgs,
) -> reglas::report::audit::Auditoria {
    use reglas::report::audit::{hoy_utc, ArchivoHuella, Auditoria, LecturaUsada};
    let mut datos = vec![ArchivoHuella::datos(data)];
    if let Some(c) = &args.correcciones {
        datos.push(ArchivoHuella::datos(c));
    }
    Auditoria {
        reglas: ArchivoHuella::de_programa(program),
        datos,
        lectura: vec![LecturaUsada::new(data, detected)],
        fecha: Some(args.fecha.clone().unwrap_or_else(hoy_utc)),
        ..Auditoria::de_este_programa()
    }
}

/// A spinner with the running count, on standard error and only on a
/// terminal: nothing of it reaches files or pipes.
fn progress_bar() -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {pos} organizaciones evaluadas ({elapsed})",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

pub fn evaluate_row(evaluator: &Evaluator, row: Row, trace: bool) -> Salida {
    let detail = if trace { Detail::Full } else { Detail::Level };
    evaluator.salida(Prepared::from(row), detail)
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Format {
        match f {
            OutputFormat::Tabla => Format::Table,
            OutputFormat::Csv => Format::Csv,
            OutputFormat::Jsonl => Format::Jsonl,
            OutputFormat::Json => Format::Json,
            OutputFormat::Xlsx => Format::Xlsx,
        }
    }
}

/// The format asked for; else the output file's extension; else a table on
/// a terminal and JSON Lines in a pipe or a file.
fn choose_format(asked: Option<OutputFormat>, out: Option<&Path>) -> Result<OutputFormat, String> {
    if let Some(f) = asked {
        return Ok(f);
    }
    if let Some(p) = out {
        let ext = p
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        return match ext.as_str() {
            "csv" => Ok(OutputFormat::Csv),
            "json" => Ok(OutputFormat::Json),
            "jsonl" | "ndjson" => Ok(OutputFormat::Jsonl),
            "xlsx" => Ok(OutputFormat::Xlsx),
            "txt" => Ok(OutputFormat::Tabla),
            _ => Err(format!(
                "no se sabe qué formato escribir en `{}`: use una extensión .csv, .xlsx, .jsonl, .json o .txt, o indique --formato",
                p.display()
            )),
        };
    }
    Ok(if std::io::stdout().is_terminal() {
        OutputFormat::Tabla
    } else {
        OutputFormat::Jsonl
    })
}

fn describe_input(data: &Path, d: &reglas::data::Detected) {
    let mut parts = vec![format!("formato {}", d.format)];
    if let Some(s) = d.separator {
        let s = match s {
            '\t' => "tabulador".to_string(),
            c => format!("`{c}`"),
        };
        parts.push(format!("separador {s}"));
    }
    if let Some(e) = &d.encoding {
        parts.push(format!("codificación {e}"));
    }
    if let Some(h) = &d.sheet {
        parts.push(format!("hoja `{h}`"));
    }
    if d.header_row > 1 {
        parts.push(format!("encabezados en la fila {}", d.header_row));
    }
    eprintln!("Datos: {} ({})", data.display(), parts.join(", "));
    for w in &d.warnings {
        eprintln!("advertencia: {w}");
    }
}

fn print_totals(t: &Totals, format: OutputFormat, out: Option<&Path>) {
    if format != OutputFormat::Tabla || out.is_some() {
        let levels: Vec<String> = t
            .por_nivel
            .iter()
            .map(|(id, _, n)| format!("{id} {n}"))
            .collect();
        eprintln!(
            "Por nivel: {}{}",
            levels.join(", "),
            if t.sin_nivel > 0 {
                format!(", sin nivel {}", t.sin_nivel)
            } else {
                String::new()
            }
        );
    }
    use reglas::render::plural;
    eprintln!(
        "Leídas {}: {} ({}), {} por errores en los datos.",
        plural(t.leidas, "fila", "filas"),
        plural(t.evaluadas, "evaluada", "evaluadas"),
        plural(t.provisionales, "provisional", "provisionales"),
        plural(t.rechazadas, "rechazada", "rechazadas")
    );
    if let Some(p) = out {
        eprintln!("Resultados escritos en {}", p.display());
    }
}
