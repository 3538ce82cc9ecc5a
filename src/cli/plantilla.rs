//! `reglas plantilla REGLAS`: an empty data file (CSV or XLSX) or an XLSForm
//! with the fields the rules declare (see `reglas::template`). Never writes
//! over an existing file: it could be a template already filled in.

use std::io::Write;
use std::path::{Path, PathBuf};

use reglas::render::diagnostics::ErrorFormat;

use super::args::TemplateFormat;
use super::output::Sink;
use super::{report, EXIT_FAILED, EXIT_OK};

pub fn run(
    rules: &Path,
    format: Option<TemplateFormat>,
    dest: Option<&Path>,
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
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_FAILED;
        }
    };

    if dest == Some(Path::new("-")) {
        if format != TemplateFormat::Csv {
            eprintln!("error: una planilla XLSX no se puede mostrar en pantalla; indique un archivo con --salida");
            return EXIT_FAILED;
        }
        let mut out = std::io::stdout().lock();
        return match out.write_all(&bytes).and_then(|_| out.flush()) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                eprintln!(
                    "error: no se pudo escribir la plantilla: {}",
                    super::output::system_error(&e)
                );
                EXIT_FAILED
            }
        };
    }

    let dest: PathBuf = match dest {
        Some(d) => d.to_path_buf(),
        None => PathBuf::from(match format {
            TemplateFormat::Csv => format!("{stem}-plantilla.csv"),
            TemplateFormat::Xlsx => format!("{stem}-plantilla.xlsx"),
            TemplateFormat::Xlsform => format!("{stem}-formulario.xlsx"),
        }),
    };
    if dest.exists() {
        eprintln!(
            "error: ya existe `{}`; no se sobrescribe (podría tener datos). Elija otro nombre con --salida o borre ese archivo.",
            dest.display()
        );
        return EXIT_FAILED;
    }
    let mut sink = match Sink::open(Some(&dest), &[rules]) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_FAILED;
        }
    };
    let written = sink.write_all(&bytes);
    if !sink.finish(written, &format!("`{}`", dest.display())) {
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
