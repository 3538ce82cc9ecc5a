//! `reglas plantilla REGLAS`: an empty data file (CSV or XLSX) or an XLSForm
//! with the fields the rules declare (see `reglas::template`). Like every
//! command, writes over an existing file only with `--sobrescribir`: it
//! could be a template already filled in.

use std::io::Write;
use std::path::{Path, PathBuf};

use reglas::codes::Code;
use reglas::diagnostic::Failure;
use reglas::render::diagnostics::ErrorFormat;
use reglas::text::system_error;

use super::args::TemplateFormat;
use super::fail;
use super::output::Sink;
use super::{report, EXIT_FAILED, EXIT_OK};

pub fn run(
    rules: &Path,
    format: Option<TemplateFormat>,
    dest: Option<&Path>,
    overwrite: bool,
    errors: ErrorFormat,
) -> i32 {
    let loaded = reglas::load::load_file(rules);
    let program = match &loaded.program {
        Some(p) if !loaded.problems.has_errors() => p,
        _ => {
            report::rule_problems(&loaded, errors);
            eprintln!(
                "{}: tiene errores; corríjalos antes de crear la plantilla",
                rules.display()
            );
            return EXIT_FAILED;
        }
    };
    let format = format.unwrap_or_else(|| match dest.and_then(|d| d.extension()) {
        Some(e) if e.eq_ignore_ascii_case("xlsx") => TemplateFormat::Xlsx,
        _ => TemplateFormat::Csv,
    });
    let stem = rules
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "reglas".to_string());
    let bytes = match format {
        TemplateFormat::Csv => Ok(reglas::template::csv(program)),
        TemplateFormat::Xlsx => reglas::template::xlsx(program),
        TemplateFormat::Xlsform => {
            reglas::template::xlsform(program, &reglas::template::form_id(&stem))
        }
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return fail::failed(Failure::new(Code::Output, e.to_string()), errors),
    };

    if dest == Some(Path::new("-")) {
        return to_stdout(format, &bytes, errors);
    }
    let dest: PathBuf = match dest {
        Some(d) => d.to_path_buf(),
        None => PathBuf::from(match format {
            TemplateFormat::Csv => format!("{stem}-plantilla.csv"),
            TemplateFormat::Xlsx => format!("{stem}-plantilla.xlsx"),
            TemplateFormat::Xlsform => format!("{stem}-formulario.xlsx"),
        }),
    };
    let mut sink = match Sink::open(Some(&dest), overwrite, &[rules]) {
        Ok(s) => s,
        Err(f) => return fail::failed(f, errors),
    };
    let written = sink.write_all(&bytes);
    if !sink.finish(written, &format!("`{}`", dest.display()), errors) {
        return EXIT_FAILED;
    }
    let what = match format {
        TemplateFormat::Csv => "planilla vacía",
        TemplateFormat::Xlsx => "planilla de Excel",
        TemplateFormat::Xlsform => "formulario XLSForm",
    };
    eprintln!(
        "{}: {what} con {} campos",
        dest.display(),
        program.schema.fields.len()
    );
    EXIT_OK
}

/// `--salida -`: the CSV on standard output; a workbook cannot go there.
fn to_stdout(format: TemplateFormat, bytes: &[u8], errors: ErrorFormat) -> i32 {
    if format != TemplateFormat::Csv {
        let f = Failure::new(
            Code::BadOption,
            "una planilla XLSX no se puede mostrar en pantalla",
        )
        .help("Indique un archivo con `--salida`, por ejemplo `--salida plantilla.xlsx`.");
        return fail::usage(f, errors);
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let f = Failure::new(
                Code::Output,
                format!("no se pudo escribir la plantilla: {}", system_error(&e)),
            );
            fail::failed(f, errors)
        }
    }
}
