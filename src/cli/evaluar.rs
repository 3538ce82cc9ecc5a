//! `reglas evaluar REGLAS DATOS`: evaluates every organization in one
//! streaming pass and writes one result per input row.

use std::io::IsTerminal;
use std::path::Path;

use reglas::batch;
use reglas::codes::Code;
use reglas::data::Row;
use reglas::diagnostic::Failure;
use reglas::eval::{Detail, Evaluator, Prepared, Salida};
use reglas::provenance::Auditoria;
use reglas::render::diagnostics::ErrorFormat;
use reglas::render::results::{
    audit_json, audit_path, Csv, Format, JsonArray, JsonLines, ResultWriter, Totals,
};
use reglas::render::summary::Table;
use reglas::render::xlsx::Xlsx;

use super::args::{AuditArgs, OutputFormat, ReadArgs};
use super::output::{write_durably, Sink};
use super::variantes::{self, VariantArgs};
use super::{fail, read_corrections, report, EXIT_FAILED, EXIT_OK, EXIT_ROWS_REJECTED, EXIT_USAGE};
use reglas::text::system_error;

/// What the user asked about the output of `evaluar`.
pub struct OutputArgs<'a> {
    pub format: Option<OutputFormat>,
    pub out: Option<&'a Path>,
    /// `--sobrescribir`: an existing output file may be replaced.
    pub overwrite: bool,
    pub separator: Option<&'a str>,
    pub full_detail: bool,
}

pub fn run(
    rules: &Path,
    data: &Path,
    output: OutputArgs,
    variants: Option<VariantArgs>,
    read: &ReadArgs,
    audit_args: &AuditArgs,
    errors: ErrorFormat,
) -> i32 {
    let loaded = reglas::load::load_file(rules);
    if report::rule_problems(&loaded, errors) {
        report::nothing_evaluated(errors);
        return EXIT_FAILED;
    }
    let Some(program) = loaded.program.as_ref() else {
        return EXIT_FAILED;
    };
    let mut source = match super::open_data(program, data, read, errors) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let correcciones = audit_args.correcciones.as_deref();
    let mut regional = match &variants {
        Some(v) => match variantes::prepare(program, rules, data, v, read, correcciones, errors) {
            Ok(r) => Some(r),
            Err(code) => return code,
        },
        None => None,
    };
    match &regional {
        Some(r) => r.describe(data, rules, &source, errors),
        None if errors != ErrorFormat::Json => super::describe_input(data, source.detected()),
        None => {}
    }
    let warnings_before = source.detected().warnings.len();
    let mut corrections = match read_corrections(correcciones, &program.schema, errors) {
        Ok(c) => c,
        Err(code) => return code,
    };
    // Made while the rows are evaluated when the output ends with it.
    let detected = source.detected().clone();
    let auditoria = || super::audit_record(program, data, &detected, audit_args);
    let mut inputs = vec![rules, data];
    inputs.extend(correcciones);
    let (format, separator) = match output_choice(&output, &inputs) {
        Ok(choice) => choice,
        Err((f, code)) => {
            fail::print(&f, errors);
            return code;
        }
    };
    let mut sink = match Sink::open(output.out, output.overwrite, &inputs) {
        Ok(s) => s,
        Err(f) => return fail::failed(f, errors),
    };
    let evaluator = Evaluator::new(program);
    let (result, unused_codes) = {
        let detail = detail(format, output.full_detail, regional.is_some());
        let header = (detail == Detail::Trace).then(|| evaluator.header().clone());
        let mut writer = match writer(
            format,
            &mut sink,
            separator,
            program,
            (regional.is_some(), header),
        ) {
            Ok(w) => w,
            Err(f) => return fail::failed(f, errors),
        };
        let progress = progress_bar();
        let mut unused_codes: Option<Vec<String>> = None;
        let result = match regional.as_mut() {
            None => batch::evaluate_into(
                &evaluator,
                auditoria,
                &mut source,
                corrections.as_mut(),
                writer.as_mut(),
                detail,
                &|n| progress.inc(n as u64),
            ),
            Some(r) => {
                let regional_audit = r.audit(auditoria());
                let evaluators: Vec<Evaluator> = std::iter::once(evaluator)
                    .chain(r.set.variants.iter().map(|v| Evaluator::new(&v.program)))
                    .collect();
                let mut sources: Vec<Box<dyn Iterator<Item = Row> + '_>> =
                    vec![Box::new(&mut source)];
                sources.extend(
                    r.sources
                        .iter_mut()
                        .map(|s| Box::new(s) as Box<dyn Iterator<Item = Row>>),
                );
                let mut logs: Vec<_> = std::iter::once(corrections.take())
                    .chain(r.corrections.drain(..))
                    .collect();
                let result = batch::evaluate_variants_into(
                    &r.set,
                    &evaluators,
                    &regional_audit,
                    sources,
                    &mut logs,
                    writer.as_mut(),
                    detail,
                    &|n| progress.inc(n as u64),
                );
                // A code is unused only if no variant's log used it.
                let unused: Vec<Vec<String>> = logs.iter().flatten().map(|l| l.unused()).collect();
                unused_codes = unused.first().map(|first| {
                    first
                        .iter()
                        .filter(|c| unused.iter().all(|u| u.contains(c)))
                        .cloned()
                        .collect()
                });
                result
            }
        };
        progress.finish_and_clear();
        (result, unused_codes)
    };
    // Noticed while reading (cells that are not UTF-8 further down).
    if errors != ErrorFormat::Json && result.is_ok() {
        for w in source.detected().warnings.iter().skip(warnings_before) {
            eprintln!("advertencia: {w}");
        }
    }
    if let Ok(outcome) = &result {
        if outcome.totals.leidas == 0 {
            // Nothing to write: leave no empty results file behind (nor
            // replace an earlier one).
            sink.abandon();
            return fail::failed(super::no_rows(data), errors);
        }
    }
    let (finished, outcome) = match result {
        Ok(outcome) => (sink.finish(Ok(()), "la salida", errors), Some(outcome)),
        Err(e) => (sink.finish(Err(e), "la salida", errors), None),
    };
    let (Some(outcome), true) = (outcome, finished) else {
        return EXIT_FAILED;
    };
    if format == OutputFormat::Csv && !write_csv_audit(output.out, &outcome.audit, errors) {
        return EXIT_FAILED;
    }
    let unused = unused_codes
        .or_else(|| corrections.as_ref().map(|l| l.unused()))
        .unwrap_or_default();
    tell(&outcome, &unused, data, format, output.out, errors);
    if outcome.totals.rechazadas > 0 {
        EXIT_ROWS_REJECTED
    } else {
        EXIT_OK
    }
}

/// A CSV's audit record is written once, beside it (`resultados.csv` →
/// `resultados.auditoria.json`), as durably as the CSV. A CSV on standard
/// output or a device has nowhere beside it: the user is told. False if the
/// record could not be written.
fn write_csv_audit(out: Option<&Path>, auditoria: &Auditoria, errors: ErrorFormat) -> bool {
    let Some(csv) = out.filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file())) else {
        if errors != ErrorFormat::Json {
            eprintln!(
                "Nota: el registro de auditoría de un CSV va en un archivo aparte; \
                 con `--salida resultados.csv` se escribe en `resultados.auditoria.json`."
            );
        }
        return true;
    };
    let path = audit_path(csv);
    let written = audit_json(auditoria).and_then(|bytes| write_durably(&path, &bytes));
    if let Err(e) = written {
        let msg = format!(
            "no se pudo escribir el registro de auditoría `{}`: {}",
            path.display(),
            system_error(&e)
        );
        fail::print(&Failure::new(Code::Output, msg).file(&path), errors);
        return false;
    }
    true
}

/// After the run, on the terminal: cleaning-log codes not in the data, the
/// rejected rows and the totals.
fn tell(
    outcome: &batch::Outcome,
    unused_corrections: &[String],
    data: &Path,
    format: OutputFormat,
    out: Option<&Path>,
    errors: ErrorFormat,
) {
    for code in unused_corrections {
        eprintln!("advertencia: el registro de correcciones tiene correcciones para `{code}`, que no está en los datos");
    }
    let counts = &outcome.totals;
    let file = data.display().to_string();
    report::rejected_rows(&file, &outcome.rejected, counts.rechazadas, errors);
    if errors != ErrorFormat::Json {
        print_totals(counts, format, out);
    }
}

/// The output format and CSV separator asked for, checked before anything
/// is written; writing over an input is refused first of all. Err carries
/// the exit code.
fn output_choice(
    output: &OutputArgs,
    inputs: &[&Path],
) -> Result<(OutputFormat, u8), (Failure, i32)> {
    if let Some(o) = output.out {
        Sink::refuse_inputs(o, inputs)
            .map_err(|msg| (Failure::new(Code::Output, msg).file(o), EXIT_FAILED))?;
    }
    let usage = |f: Failure| (f, EXIT_USAGE);
    let format = choose_format(output.format, output.out).map_err(usage)?;
    if let (OutputFormat::Csv, Some(o)) = (format, output.out) {
        let beside = audit_path(o);
        Sink::refuse_inputs(&beside, inputs)
            .map_err(|msg| (Failure::new(Code::Output, msg).file(&beside), EXIT_FAILED))?;
    }
    let separator = match output.separator {
        None | Some(";") => b';',
        Some(",") => b',',
        Some("tab") | Some("\t") => b'\t',
        Some(other) => {
            return Err(usage(
                Failure::new(
                    Code::BadOption,
                    format!("separador de salida no válido `{other}`"),
                )
                .help("Use `--separador-salida` con `;`, `,` o `tab`."),
            ))
        }
    };
    if format == OutputFormat::Xlsx && output.out.is_none() {
        return Err(usage(
            Failure::new(
                Code::BadOption,
                "un libro de Excel no se puede mostrar en la pantalla",
            )
            .help("Indique el archivo con `--salida resultados.xlsx`."),
        ));
    }
    Ok((format, separator))
}

/// Many organizations in JSON get the compact trace (outcomes by id);
/// `--detalle-completo` adds titles, sentences, data and places: in JSON
/// Lines as a trace file (what all rows share once, in the first line),
/// except with variants (rows of several rule files), which get the
/// explanation itself, as JSON does. A workbook needs only the outcomes (it
/// takes the recommendations' texts from the rules).
fn detail(format: OutputFormat, full_detail: bool, variants: bool) -> Detail {
    match (format, full_detail) {
        (OutputFormat::Tabla | OutputFormat::Csv, _) => Detail::Level,
        (OutputFormat::Jsonl, true) if !variants => Detail::Trace,
        (_, true) => Detail::Full,
        _ => Detail::Compact,
    }
}

fn writer<'s>(
    format: OutputFormat,
    sink: &'s mut Sink,
    separator: u8,
    program: &reglas::program::Program,
    (variants, trace): (bool, Option<reglas::eval::record::TraceHeader>),
) -> Result<Box<dyn ResultWriter + 's>, Failure> {
    let could_not = |what: &str, e: std::io::Error| {
        Failure::new(
            Code::Output,
            format!("no se pudo {what}: {}", system_error(&e)),
        )
    };
    Ok(match format {
        OutputFormat::Tabla => Box::new(Table::new(sink, program)),
        OutputFormat::Csv => Box::new(
            Csv::with_variants(sink, program, separator, variants)
                .map_err(|e| could_not("escribir la salida", e))?,
        ),
        OutputFormat::Jsonl => match trace {
            Some(header) => Box::new(JsonLines::with_trace(sink, header)),
            None => Box::new(JsonLines::new(sink)),
        },
        OutputFormat::Json => Box::new(JsonArray::new(sink)),
        OutputFormat::Xlsx => Box::new(
            Xlsx::new(sink, program).map_err(|e| could_not("preparar el libro de Excel", e))?,
        ),
    })
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

/// The format asked for; else the output file's extension; else a table.
fn choose_format(asked: Option<OutputFormat>, out: Option<&Path>) -> Result<OutputFormat, Failure> {
    if let Some(f) = asked {
        return Ok(f);
    }
    if let Some(p) = out {
        return match super::extension(Some(p)).unwrap_or_default().as_str() {
            "csv" => Ok(OutputFormat::Csv),
            "json" => Ok(OutputFormat::Json),
            "jsonl" | "ndjson" => Ok(OutputFormat::Jsonl),
            "xlsx" => Ok(OutputFormat::Xlsx),
            "txt" => Ok(OutputFormat::Tabla),
            _ => Err(Failure::new(
                Code::BadOption,
                format!("no se sabe qué formato escribir en `{}`", p.display()),
            )
            .help("Use una extensión .csv, .xlsx, .jsonl, .json o .txt, o indique `--formato`.")),
        };
    }
    // The same table wherever standard output goes (a terminal, a pipe, a
    // file): a format that changed with the destination surprised analysts.
    Ok(OutputFormat::Tabla)
}

fn print_totals(t: &Totals, format: OutputFormat, out: Option<&Path>) {
    if format != OutputFormat::Tabla || out.is_some() {
        let levels: Vec<String> = t
            .por_nivel
            .iter()
            .map(|(_, title, n)| format!("{title}: {n}"))
            .collect();
        eprintln!(
            "Por nivel: {}{}",
            levels.join("; "),
            if t.sin_nivel > 0 {
                format!("; sin nivel: {}", t.sin_nivel)
            } else {
                String::new()
            }
        );
    }
    use reglas::text::plural;
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
