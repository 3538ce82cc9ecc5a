//! `reglas informe REGLAS DATOS --salida informe.html`: the HTML report (or
//! Markdown profiles) of a whole data file.

use std::io::IsTerminal;
use std::path::Path;

use reglas::codes::Code;
use reglas::diagnostic::Failure;
use reglas::eval::{Evaluator, Rechazo};
use reglas::program::Program;
use reglas::render::diagnostics::ErrorFormat;
use reglas::report::{self, Informe};

use super::args::{AuditArgs, ReadArgs, ReportFormat};
use super::evaluar::evaluate_row;
use super::output::Sink;
use super::{fail, read_corrections, report as problems, EXIT_FAILED, EXIT_OK, EXIT_ROWS_REJECTED};

/// Rejected rows detailed on the terminal (all of them are in the report).
const REJECTED_SHOWN: usize = 30;

/// Evaluates a data file into an [`Informe`], printing the data problems
/// on standard error. Err carries the exit code.
pub fn evaluate_file(
    program: &Program,
    data: &Path,
    read: &ReadArgs,
    audit: &AuditArgs,
    errors: ErrorFormat,
) -> Result<Informe, i32> {
    let mut source = super::open_data(program, data, read, errors)?;
    if errors != ErrorFormat::Json {
        super::describe_input(data, source.detected());
    }
    let warnings_before = source.detected().warnings.len();
    let mut log = read_corrections(audit.correcciones.as_deref(), &program.schema, errors)?;
    let auditoria = super::audit_record(program, data, source.detected(), audit);
    let evaluator = Evaluator::new(program);
    let evaluate = |mut row: reglas::data::Row| {
        let applied = match log.as_mut() {
            Some(l) => l.apply(&mut row),
            None => Vec::new(),
        };
        let mut salida = evaluate_row(&evaluator, row, true);
        if let reglas::eval::Salida::Evaluada(r) = &mut salida {
            r.correcciones = applied;
        }
        salida
    };
    let inf = report::recolectar(program, &mut source, evaluate, auditoria);
    // Noticed while reading (a Windows-1252 row far down the file).
    if errors != ErrorFormat::Json {
        for w in source.detected().warnings.iter().skip(warnings_before) {
            eprintln!("advertencia: {w}");
        }
    }
    let a = &inf.resumen;
    let rejected: Vec<Rechazo> = a
        .rechazos
        .iter()
        .take(REJECTED_SHOWN)
        .map(|r| Rechazo {
            codigo: r.codigo.clone(),
            nombre: r.nombre.clone(),
            fila: r.fila,
            errores: r.errores.clone(),
            variante: None,
        })
        .collect();
    problems::rejected_rows(&data.display().to_string(), &rejected, a.rechazadas, errors);
    if a.leidas == 0 {
        return Err(fail::failed(super::no_rows(data), errors));
    }
    Ok(inf)
}

/// Loads a rule file, printing its problems. None when it has errors.
pub fn load_rules(rules: &Path, errors: ErrorFormat) -> Option<reglas::load::Loaded> {
    let loaded = reglas::load::load_file(rules);
    if problems::rule_problems(&loaded, errors) || loaded.program.is_none() {
        problems::nothing_evaluated(errors);
        return None;
    }
    Some(loaded)
}

/// The format asked for; else `md` for a `.md` output; else HTML.
fn choose_format(asked: Option<ReportFormat>, out: Option<&Path>) -> ReportFormat {
    if let Some(f) = asked {
        return f;
    }
    match super::extension(out).as_deref() {
        Some("md") | Some("markdown") => ReportFormat::Md,
        _ => ReportFormat::Html,
    }
}

pub fn run(
    rules: &Path,
    data: &Path,
    format: Option<ReportFormat>,
    (out, overwrite): (Option<&Path>, bool),
    read: &ReadArgs,
    audit: &AuditArgs,
    errors: ErrorFormat,
) -> i32 {
    let format = choose_format(format, out);
    if out.is_none() && format == ReportFormat::Html && std::io::stdout().is_terminal() {
        let f = Failure::new(
            Code::BadOption,
            "el informe es una página HTML, no se muestra en la pantalla",
        )
        .help(format!(
            "Indique dónde guardarla, por ejemplo:\n  reglas informe {} {} --salida informe.html",
            rules.display(),
            data.display()
        ));
        return fail::usage(f, errors);
    }
    let Some(loaded) = load_rules(rules, errors) else {
        return EXIT_FAILED;
    };
    let Some(program) = loaded.program.as_ref() else {
        return EXIT_FAILED;
    };
    // Open the output first: a wrong folder should fail before the work.
    let mut inputs = vec![rules, data];
    inputs.extend(audit.correcciones.as_deref());
    let mut sink = match Sink::open(out, overwrite, &inputs) {
        Ok(s) => s,
        Err(f) => return fail::failed(f, errors),
    };
    let inf = match evaluate_file(program, data, read, audit, errors) {
        Ok(i) => i,
        Err(code) => {
            sink.abandon();
            return code;
        }
    };
    let written = match format {
        ReportFormat::Html => report::html::escribir_informe(&inf, &mut sink),
        ReportFormat::Md => report::markdown::escribir_perfiles(&inf, &mut sink),
    };
    if !sink.finish(written, "el informe", errors) {
        return EXIT_FAILED;
    }
    let a = &inf.resumen;
    if errors != ErrorFormat::Json {
        let levels: Vec<String> = a
            .niveles
            .iter()
            .map(|l| format!("{} {}", l.id, l.organizaciones))
            .collect();
        let sin_nivel = if a.sin_nivel > 0 {
            format!(", sin nivel {}", a.sin_nivel)
        } else {
            String::new()
        };
        eprintln!("Por nivel: {}{sin_nivel}", levels.join(", "));
        eprintln!(
            "Leídas {} filas: {} evaluadas ({} provisionales), {} rechazadas por errores en los datos.",
            a.leidas, a.evaluadas, a.provisionales, a.rechazadas
        );
        if let Some(p) = out {
            match format {
                ReportFormat::Html => eprintln!("Informe escrito en {} (ábralo con el navegador; se puede imprimir o guardar como PDF).", p.display()),
                ReportFormat::Md => eprintln!("Perfiles escritos en {} ({} organizaciones).", p.display(), inf.perfiles.len()),
            }
        }
    }
    if a.rechazadas > 0 {
        EXIT_ROWS_REJECTED
    } else {
        EXIT_OK
    }
}
