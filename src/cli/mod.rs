//! The command line: argument parsing, dispatch to one module per
//! subcommand, exit codes.
//!
//! Exit codes: 0 all evaluated (or no errors); 1 nothing evaluated (errors in
//! the rule file, or a data file that cannot be read; or standard output
//! could not be written); 2 usage error; 3 evaluated, but some rows were
//! rejected for data errors; 70 internal error, 130 interrupted (see
//! `output`). All are listed in docs/errores.md.

/// Like `print!`/`println!`, but a closed pipe (`reglas explicar … | head`)
/// ends the output quietly instead of panicking, and any other failure (a
/// full disk) makes the run fail at the end (`output::stdout_result`).
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        $crate::cli::output::note_stdout(write!(std::io::stdout().lock(), $($t)*));
    }};
}
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        $crate::cli::output::note_stdout(writeln!(std::io::stdout().lock(), $($t)*));
    }};
}

mod args;
mod avance;
mod clap_errors;
mod comparar;
mod evaluar;
mod explicar;
mod fail;
mod formatear;
mod informe;
pub mod output;
mod pdf;
mod plantilla;
mod probar;
mod report;
mod spanish;
mod variantes;
mod verificar;
mod web;
mod welcome;

use std::io::IsTerminal;

use args::{Cli, Command, ErrorFormatArg, ReadArgs};
use reglas::codes::Code;
use reglas::diagnostic::Failure;
use reglas::render::diagnostics::ErrorFormat;

pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_ROWS_REJECTED: i32 = 3;

/// Parses the arguments and runs the command. Long only because it has one
/// arm per command, each handing its arguments on; splitting it would only
/// scatter that list.
pub fn run() -> i32 {
    if let Some(code) = welcome::if_no_arguments() {
        return code;
    }
    let matches = match spanish::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return clap_errors::report(e),
    };
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return clap_errors::report(e),
    };
    let errors = match cli.global.error_format {
        ErrorFormatArg::Humano => human_errors(),
        ErrorFormatArg::Plano => ErrorFormat::Plain,
        ErrorFormatArg::Json => ErrorFormat::Json,
    };
    match cli.command {
        Command::Verificar { reglas } => verificar::run(&reglas, errors),
        Command::Formatear { reglas, verificar } => formatear::run(&reglas, verificar, errors),
        Command::Plantilla {
            reglas,
            formato,
            salida,
            sobrescribir,
        } => plantilla::run(
            &reglas,
            formato,
            salida.as_deref(),
            sobrescribir.yes,
            errors,
        ),
        Command::Probar {
            reglas,
            casos,
            cobertura,
            lectura,
        } => probar::run(&reglas, &casos, cobertura, &lectura, errors),
        Command::Comparar {
            antes,
            despues,
            datos,
            formato,
            lectura,
        } => comparar::run(&antes, &despues, &datos, formato, &lectura, errors),
        Command::Evaluar {
            reglas,
            datos,
            formato,
            salida,
            sobrescribir,
            separador_salida,
            detalle_completo,
            variantes,
            variante_por,
            lectura,
            auditoria,
        } => evaluar::run(
            &reglas,
            &datos,
            evaluar::OutputArgs {
                format: formato,
                out: salida.as_deref(),
                overwrite: sobrescribir.yes,
                separator: separador_salida.as_deref(),
                full_detail: detalle_completo,
            },
            variantes.as_deref().map(|folder| variantes::VariantArgs {
                folder,
                field: variante_por.as_deref().unwrap_or("region"),
            }),
            &lectura,
            &auditoria,
            errors,
        ),
        Command::Informe {
            reglas,
            datos,
            salida,
            sobrescribir,
            formato,
            presentacion,
            lectura,
            auditoria,
        } => informe::run(
            &reglas,
            &datos,
            formato,
            (salida.as_deref(), sobrescribir.yes),
            &presentacion,
            &lectura,
            &auditoria,
            errors,
        ),
        Command::Avance {
            reglas,
            linea_base,
            seguimiento,
            reglas_seguimiento,
            formato,
            salida,
            sobrescribir,
            lectura,
            auditoria,
        } => avance::run(
            &reglas,
            &linea_base,
            &seguimiento,
            reglas_seguimiento.as_deref(),
            formato,
            (salida.as_deref(), sobrescribir.yes),
            &lectura,
            &auditoria,
            errors,
        ),
        Command::Explicar {
            reglas,
            datos,
            codigo,
            desde,
            fila,
            formato,
            detalle,
            lectura,
            correcciones,
        } => match (desde, reglas, datos, codigo) {
            // With `--desde`, the one argument is the code (clap puts it first).
            (Some(file), code, None, None) => {
                let wanted = match (fila, code) {
                    (Some(n), None) => explicar::Wanted::Row(n),
                    (None, Some(c)) => explicar::Wanted::Code(c.display().to_string()),
                    _ => return explicar_usage(errors),
                };
                explicar::from_trace(&file, wanted, (formato, detalle), errors)
            }
            (None, Some(reglas), Some(datos), Some(codigo)) => explicar::run(
                &reglas,
                &datos,
                &codigo,
                (formato, detalle),
                &lectura,
                correcciones.as_deref(),
                errors,
            ),
            _ => explicar_usage(errors),
        },
        Command::Web { carpeta, no_abrir } => web::run(
            carpeta.as_deref().unwrap_or(std::path::Path::new(".")),
            !no_abrir,
            errors,
        ),
    }
}

/// Diagnostics for people, in colour on a terminal unless `NO_COLOR` is set.
pub fn human_errors() -> ErrorFormat {
    ErrorFormat::Human {
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// A rule file given where the data goes: say so before trying to read it
/// as a spreadsheet.
pub fn looks_like_rules(data: &std::path::Path) -> Option<Failure> {
    let is_rules = data
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("reglas"));
    is_rules.then(|| {
        Failure::new(
            Code::InputFile,
            format!("`{}` es un archivo de reglas, no de datos", data.display()),
        )
        .help("Primero van las reglas y después los datos: `reglas evaluar rules/cepac.reglas datos.csv`. ¿Invirtió el orden?")
        .file(data)
    })
}

/// Where the results come from: program version, rule and data files with
/// their SHA-256, how the data was read, and the evaluation date.
pub fn audit_record(
    program: &reglas::program::Program,
    data: &std::path::Path,
    detected: &reglas::data::Detected,
    args: &args::AuditArgs,
) -> reglas::provenance::Auditoria {
    let fecha = args.fecha.clone().unwrap_or_else(reglas::text::today_utc);
    reglas::provenance::Auditoria::of_run(
        program,
        data,
        detected,
        args.correcciones.as_deref(),
        fecha,
    )
}

/// What was read, and what the reader noticed, before the results.
pub fn describe_input(data: &std::path::Path, d: &reglas::data::Detected) {
    let lectura = reglas::provenance::LecturaUsada::new(data, d);
    eprintln!("Datos: {} ({})", data.display(), lectura.describir());
    for w in &d.warnings {
        eprintln!("advertencia: {w}");
    }
}

/// The extension of an output file, in lower case, to choose its format.
pub fn extension(out: Option<&std::path::Path>) -> Option<String> {
    out.and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// A data file with a header and no organization.
pub fn no_rows(data: &std::path::Path) -> Failure {
    Failure::new(
        Code::InputFile,
        format!("`{}` no tiene ninguna organización (solo encabezados)", data.display()),
    )
    .help("Revise que el archivo sea el de los datos y que tenga al menos una fila después de los encabezados.")
    .file(data)
}

/// Opens a data file for a checked program, printing what is wrong; Err is
/// the exit code (a rule file given as data, bad read options, a file that
/// cannot be read as a whole).
pub fn open_data(
    program: &reglas::program::Program,
    data: &std::path::Path,
    read: &ReadArgs,
    errors: ErrorFormat,
) -> Result<reglas::data::DataSource, i32> {
    if let Some(f) = looks_like_rules(data) {
        return Err(fail::failed(f, errors));
    }
    let opts = read_options(read).map_err(|f| fail::usage(f, errors))?;
    reglas::data::open(data, &program.schema, &opts).map_err(|e| {
        report::data_file_error(&e, errors);
        EXIT_FAILED
    })
}

/// Reads a cleaning log, printing its errors; Err is the exit code.
pub fn read_corrections(
    path: Option<&std::path::Path>,
    schema: &reglas::data::Schema,
    errors: ErrorFormat,
) -> Result<Option<reglas::corrections::CleaningLog>, i32> {
    let Some(path) = path else { return Ok(None) };
    match reglas::corrections::CleaningLog::read(path, schema) {
        Ok(log) => Ok(Some(log)),
        Err(failures) => {
            for f in &failures {
                fail::print(f, errors);
            }
            Err(EXIT_FAILED)
        }
    }
}

/// Read options from the command line; a bad `--separador` is a usage error.
pub fn read_options(a: &ReadArgs) -> Result<reglas::data::ReadOptions, Failure> {
    let separator = match a.separador.as_deref() {
        None => None,
        Some(",") | Some("coma") => Some(b','),
        Some(";") | Some("punto_y_coma") | Some("puntoycoma") => Some(b';'),
        Some("tab") | Some("\\t") | Some("\t") | Some("tabulador") => Some(b'\t'),
        Some("|") => Some(b'|'),
        Some(other) => {
            return Err(
                Failure::new(Code::BadOption, format!("separador no válido `{other}`"))
                    .help("Use `--separador` con `,` `;` `tab` o `|`."),
            )
        }
    };
    Ok(reglas::data::ReadOptions {
        separator,
        encoding: a.codificacion.clone(),
        sheet: a.hoja.clone(),
        missing_as_blank: a.columnas_faltantes_sin_dato,
    })
}

/// `explicar` with `--desde` and the rules and data too, or without the code.
fn explicar_usage(errors: ErrorFormat) -> i32 {
    let f = Failure::new(
        Code::BadOption,
        "`reglas explicar` necesita REGLAS DATOS CODIGO, o `--desde ARCHIVO` con un código o `--fila N`",
    )
    .help("Por ejemplo: `reglas explicar cepac.reglas datos.csv AMB-001` o `reglas explicar --desde resultados.jsonl AMB-001`.");
    fail::print(&f, errors);
    EXIT_USAGE
}
