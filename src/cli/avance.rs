//! `reglas avance REGLAS LINEA_BASE SEGUIMIENTO`: baseline vs follow-up,
//! organizations matched by code.

use std::io::{IsTerminal, Write};
use std::path::Path;

use reglas::codes::Code;
use reglas::diagnostic::Failure;
use reglas::provenance::Auditoria;
use reglas::render::diagnostics::ErrorFormat;
use reglas::report;

use super::args::{ProgressFormat, ReadArgs};
use super::informe::{evaluate_file, load_rules};
use super::output::Sink;
use super::{fail, EXIT_FAILED, EXIT_OK, EXIT_ROWS_REJECTED};

/// The format asked for; else by the output's extension; else a table.
fn choose_format(asked: Option<ProgressFormat>, out: Option<&Path>) -> ProgressFormat {
    if let Some(f) = asked {
        return f;
    }
    match super::extension(out).as_deref() {
        Some("json") => ProgressFormat::Json,
        Some("html") | Some("htm") => ProgressFormat::Html,
        Some("xlsx") => ProgressFormat::Xlsx,
        _ => ProgressFormat::Tabla,
    }
}

#[allow(clippy::too_many_arguments)]
pub fn run(
    rules: &Path,
    baseline: &Path,
    followup: &Path,
    followup_rules: Option<&Path>,
    format: Option<ProgressFormat>,
    (out, overwrite): (Option<&Path>, bool),
    read: &ReadArgs,
    audit: &super::args::AuditArgs,
    errors: ErrorFormat,
) -> i32 {
    let format = match check_options(format, out, audit) {
        Ok(f) => f,
        Err(f) => return fail::usage(f, errors),
    };
    let Some(loaded_b) = load_rules(rules, errors) else {
        return EXIT_FAILED;
    };
    let loaded_s = match followup_rules {
        Some(p) => match load_rules(p, errors) {
            Some(l) => Some(l),
            None => return EXIT_FAILED,
        },
        None => None,
    };
    let Some(program_b) = loaded_b.program.as_ref() else {
        return EXIT_FAILED;
    };
    let program_s = match loaded_s.as_ref().and_then(|l| l.program.as_ref()) {
        Some(p) => p,
        None => program_b,
    };
    let mut inputs: Vec<&Path> = vec![rules, baseline, followup];
    if let Some(p) = followup_rules {
        inputs.push(p);
    }
    let mut sink = match Sink::open(out, overwrite, &inputs) {
        Ok(s) => s,
        Err(f) => return fail::failed(f, errors),
    };
    let (base, seg) = match (
        evaluate_file(program_b, baseline, read, audit, errors, Default::default()),
        evaluate_file(program_s, followup, read, audit, errors, Default::default()),
    ) {
        (Ok(b), Ok(s)) => (b, s),
        (Err(code), _) | (_, Err(code)) => {
            sink.abandon();
            return code;
        }
    };
    let avance = report::comparar(&base, &seg);
    let text = match render(format, &avance, &base.auditoria, &seg.auditoria) {
        Ok(t) => t,
        Err(f) => {
            sink.abandon();
            return fail::failed(f, errors);
        }
    };
    let written = sink.write_all(&text);
    if !sink.finish(written, "el resultado", errors) {
        return EXIT_FAILED;
    }
    tell(&avance, format, out, errors);
    if base.resumen.rechazadas + seg.resumen.rechazadas > 0 {
        EXIT_ROWS_REJECTED
    } else {
        EXIT_OK
    }
}

/// The format to write; options that cannot go together are usage errors.
fn check_options(
    format: Option<ProgressFormat>,
    out: Option<&Path>,
    audit: &super::args::AuditArgs,
) -> Result<ProgressFormat, Failure> {
    if audit.correcciones.is_some() {
        // A cleaning log belongs to one data file; here there are two.
        return Err(Failure::new(Code::BadOption, "`--correcciones` se aplica a un solo archivo de datos, y aquí hay dos")
            .help("Corrija cada archivo con `reglas evaluar … --correcciones` o en la planilla antes de comparar."));
    }
    let format = choose_format(format, out);
    if out.is_none() && format == ProgressFormat::Xlsx {
        return Err(Failure::new(
            Code::BadOption,
            "un libro de Excel no se muestra en la pantalla",
        )
        .help("Indique dónde guardarlo con `--salida avance.xlsx`."));
    }
    if out.is_none() && format == ProgressFormat::Html && std::io::stdout().is_terminal() {
        return Err(Failure::new(
            Code::BadOption,
            "el resultado en HTML es una página, no se muestra en la pantalla",
        )
        .help("Indique dónde guardarla con `--salida avance.html`."));
    }
    Ok(format)
}

/// The comparison in the chosen format; the HTML page records both
/// evaluations' provenance.
fn render(
    format: ProgressFormat,
    avance: &report::Avance,
    base: &Auditoria,
    seg: &Auditoria,
) -> Result<Vec<u8>, Failure> {
    Ok(match format {
        ProgressFormat::Tabla => report::text::avance(avance).into_bytes(),
        ProgressFormat::Json => (serde_json::to_string_pretty(avance).map_err(|e| {
            Failure::new(
                Code::Output,
                format!("no se pudo preparar el resultado en JSON: {e}"),
            )
        })? + "\n")
            .into_bytes(),
        ProgressFormat::Html => report::html::avance(avance, &base.with(seg)).into_bytes(),
        ProgressFormat::Xlsx => report::libro::avance(avance, &base.with(seg)).map_err(|e| {
            Failure::new(
                Code::Output,
                format!(
                    "no se pudo preparar el libro de Excel: {}",
                    reglas::text::system_error(&e)
                ),
            )
        })?,
    })
}

/// Warnings and counts on the terminal (in JSON, the warnings only).
fn tell(avance: &report::Avance, format: ProgressFormat, out: Option<&Path>, errors: ErrorFormat) {
    if errors != ErrorFormat::Json {
        // A table on standard output already shows the warnings and the
        // counts; anything else (a file, JSON or HTML in a pipe) gets them
        // on the terminal too, so they are never missed.
        if out.is_some() || format != ProgressFormat::Tabla {
            for w in &avance.advertencias {
                eprintln!("¡ATENCIÓN! {}", report::text::sangrar(w));
            }
            let [suben, se_mantienen, bajan, sin_comparar] =
                report::text::counts_with_shares(&avance.conteos, &avance.porcentajes);
            eprintln!(
                "En los dos archivos: {}. Suben: {suben}, se mantienen: {se_mantienen}, bajan: {bajan}, sin comparar: {sin_comparar}. Solo en la línea base: {}; solo en el seguimiento: {}.",
                avance.conteos.en_ambos,
                avance.solo_linea_base.len(),
                avance.solo_seguimiento.len()
            );
        }
        if let Some(p) = out {
            eprintln!("Resultado escrito en {}", p.display());
        }
    } else {
        for w in &avance.advertencias {
            let line = serde_json::json!({
                "codigo": "reglas::avance::advertencia",
                "severidad": "advertencia",
                "mensaje": w,
            });
            eprintln!("{line}");
        }
    }
}
