//! `reglas informe REGLAS DATOS --salida informe.html`: the HTML report (or
//! Markdown profiles) of a whole data file.

use std::io::IsTerminal;
use std::path::Path;

use reglas::codes::Code;
use reglas::diagnostic::Failure;
use reglas::eval::{Detail, Evaluator, Prepared, Rechazo};
use reglas::program::Program;
use reglas::render::diagnostics::ErrorFormat;
use reglas::render::results::ResultWriter;
use reglas::report::filtro::Filtro;
use reglas::report::{self, Informe};

use super::args::{AuditArgs, PresentationArgs, ReadArgs, ReportFormat};
use super::output::Sink;
use super::{fail, read_corrections, report as problems, EXIT_FAILED, EXIT_OK, EXIT_ROWS_REJECTED};
use reglas::render::xlsx::Xlsx;
use std::io::Write;

/// Rejected rows detailed on the terminal (all of them are in the report).
const REJECTED_SHOWN: usize = 30;

/// What a report adds to the evaluation of a data file: filters, a limit
/// on the profiles kept, and a workbook that gets every result.
#[derive(Default)]
pub struct Extras<'a> {
    pub filtros: Vec<Filtro>,
    pub limite: Option<usize>,
    pub libro: Option<&'a mut dyn ResultWriter>,
}

/// Evaluates a data file into an [`Informe`], printing the data problems
/// on standard error. Err carries the exit code.
pub fn evaluate_file(
    program: &Program,
    data: &Path,
    read: &ReadArgs,
    audit: &AuditArgs,
    errors: ErrorFormat,
    extras: Extras,
) -> Result<Informe, i32> {
    let mut source = super::open_data(program, data, read, errors)?;
    if errors != ErrorFormat::Json {
        super::describe_input(data, source.detected());
    }
    let warnings_before = source.detected().warnings.len();
    let mut log = read_corrections(audit.correcciones.as_deref(), &program.schema, errors)?;
    let auditoria = super::audit_record(program, data, source.detected(), audit);
    let Extras {
        filtros,
        limite,
        mut libro,
    } = extras;
    let mut libro_error = match libro.as_mut() {
        Some(w) => w.audit(&auditoria).err(),
        None => None,
    };
    let evaluator = Evaluator::new(program);
    let mut count = 0usize;
    let evaluate = |mut row: reglas::data::Row| {
        let applied = match log.as_mut() {
            Some(l) => l.apply(&mut row),
            None => Vec::new(),
        };
        // Past the limit no profile is kept: the compact trace has all the
        // counts need, at a fraction of the cost.
        count += 1;
        let detail = match limite {
            Some(l) if count > l => Detail::Compact,
            _ => Detail::Full,
        };
        let mut salida = evaluator.salida(Prepared::from(row), detail);
        if let reglas::eval::Salida::Evaluada(r) = &mut salida {
            r.correcciones = applied;
        }
        if let (Some(w), None) = (libro.as_mut(), &libro_error) {
            libro_error = w.write(&salida).err();
        }
        salida
    };
    let mut excluidas = 0;
    let rows = source.by_ref().filter(|row| {
        let keep = filtros.iter().all(|f| f.acepta(program, row));
        excluidas += usize::from(!keep);
        keep
    });
    let mut inf = report::recolectar_hasta(program, rows, evaluate, auditoria, limite);
    inf.filtrado = report::filtro::Filtrado { filtros, excluidas };
    // Noticed while reading (a Windows-1252 row far down the file).
    if errors != ErrorFormat::Json {
        for w in source.detected().warnings.iter().skip(warnings_before) {
            eprintln!("advertencia: {w}");
        }
    }
    if let Some(e) = libro_error.or_else(|| libro.as_mut().and_then(|w| w.finish().err())) {
        let f = Failure::new(
            Code::Output,
            format!(
                "no se pudo escribir el libro de las organizaciones: {}",
                reglas::text::system_error(&e)
            ),
        );
        return Err(fail::failed(f, errors));
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
    if a.leidas == 0 && inf.filtrado.excluidas > 0 {
        let f = Failure::new(
            Code::BadOption,
            format!(
                "ninguna de las {} filas de `{}` tiene {}",
                inf.filtrado.excluidas,
                data.display(),
                inf.filtrado.describir()
            ),
        )
        .help("Revise el valor del filtro: se compara sin mayúsculas ni tildes con la celda de la planilla.");
        return Err(fail::failed(f, errors));
    }
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

/// The format asked for; else by the output's extension; else HTML.
fn choose_format(asked: Option<ReportFormat>, out: Option<&Path>) -> ReportFormat {
    if let Some(f) = asked {
        return f;
    }
    match super::extension(out).as_deref() {
        Some("md") | Some("markdown") => ReportFormat::Md,
        Some("pdf") => ReportFormat::Pdf,
        _ => ReportFormat::Html,
    }
}

/// A page (HTML or PDF) is not shown on a terminal.
fn check_output(
    format: ReportFormat,
    out: Option<&Path>,
    rules: &Path,
    data: &Path,
) -> Result<(), Failure> {
    let (what, example) = match format {
        ReportFormat::Md => return Ok(()),
        ReportFormat::Html if !std::io::stdout().is_terminal() => return Ok(()),
        ReportFormat::Html => ("el informe es una página HTML", "informe.html"),
        ReportFormat::Pdf => ("el informe en PDF", "informe.pdf"),
    };
    if out.is_some() {
        return Ok(());
    }
    Err(Failure::new(
        Code::BadOption,
        format!("{what}, no se muestra en la pantalla"),
    )
    .help(format!(
        "Indique dónde guardarlo, por ejemplo:\n  reglas informe {} {} --salida {example}",
        rules.display(),
        data.display()
    )))
}

/// `--region`, `--rubro` and each `--filtro`, checked against the rules.
fn filters(program: &Program, p: &PresentationArgs) -> Result<Vec<Filtro>, Failure> {
    let mut out = Vec::new();
    for (campo, valor) in [("region", &p.region), ("rubro", &p.rubro)] {
        if let Some(v) = valor {
            out.push(Filtro::nuevo(program, campo, v)?);
        }
    }
    for f in &p.filtro {
        out.push(Filtro::de_texto(program, f)?);
    }
    Ok(out)
}

/// The workbook of `--organizaciones`, opened before the work.
fn open_workbook(
    program: &Program,
    p: &PresentationArgs,
    overwrite: bool,
    inputs: &[&Path],
) -> Result<Option<Xlsx<Sink>>, Failure> {
    let Some(path) = p.organizaciones.as_deref() else {
        return Ok(None);
    };
    let sink = Sink::open(Some(path), overwrite, inputs)?;
    Xlsx::new(sink, program).map(Some).map_err(|e| {
        Failure::new(
            Code::Output,
            format!(
                "no se pudo preparar el libro de Excel: {}",
                reglas::text::system_error(&e)
            ),
        )
    })
}

#[allow(clippy::too_many_arguments)]
pub fn run(
    rules: &Path,
    data: &Path,
    format: Option<ReportFormat>,
    (out, overwrite): (Option<&Path>, bool),
    pres: &PresentationArgs,
    read: &ReadArgs,
    audit: &AuditArgs,
    errors: ErrorFormat,
) -> i32 {
    let format = choose_format(format, out);
    if let Err(f) = check_output(format, out, rules, data) {
        return fail::usage(f, errors);
    }
    // Without a browser there is no PDF: say so before the work.
    let browser = match format {
        ReportFormat::Pdf => match super::pdf::find_browser() {
            Ok(b) => Some(b),
            Err(f) => return fail::failed(f, errors),
        },
        _ => None,
    };
    let Some(loaded) = load_rules(rules, errors) else {
        return EXIT_FAILED;
    };
    let Some(program) = loaded.program.as_ref() else {
        return EXIT_FAILED;
    };
    let filtros = match filters(program, pres) {
        Ok(f) => f,
        Err(f) => return fail::usage(f, errors),
    };
    // Open the outputs first: a wrong folder should fail before the work.
    let mut inputs = vec![rules, data];
    inputs.extend(audit.correcciones.as_deref());
    let mut sink = match Sink::open(out, overwrite, &inputs) {
        Ok(s) => s,
        Err(f) => return fail::failed(f, errors),
    };
    let mut libro = match open_workbook(program, pres, overwrite, &inputs) {
        Ok(l) => l,
        Err(f) => return fail::failed(f, errors),
    };
    let extras = Extras {
        filtros,
        limite: Some(pres.limite_perfiles),
        libro: libro.as_mut().map(|x| x as &mut dyn ResultWriter),
    };
    let mut inf = match evaluate_file(program, data, read, audit, errors, extras) {
        Ok(i) => i,
        Err(code) => {
            sink.abandon();
            return code;
        }
    };
    if let Some(l) = libro {
        if !l
            .into_inner()
            .finish(Ok(()), "el libro de las organizaciones", errors)
        {
            return EXIT_FAILED;
        }
    }
    inf.presentacion = report::Presentacion {
        titulo: pres.titulo.clone(),
        proyecto: pres.proyecto.clone(),
        periodo: pres.periodo.clone(),
        solo_resumen: pres.solo_resumen,
        organizaciones: pres
            .organizaciones
            .as_deref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned()),
    };
    let written = match (format, &browser) {
        (ReportFormat::Html, _) => report::html::escribir_informe(&inf, &mut sink),
        (ReportFormat::Md, _) => report::markdown::escribir_perfiles(&inf, &mut sink),
        (ReportFormat::Pdf, Some(b)) => match super::pdf::print(b, &inf) {
            Ok(bytes) => sink.write_all(&bytes),
            Err(f) => {
                sink.abandon();
                return fail::failed(f, errors);
            }
        },
        (ReportFormat::Pdf, None) => Ok(()),
    };
    if !sink.finish(written, "el informe", errors) {
        return EXIT_FAILED;
    }
    if errors != ErrorFormat::Json {
        tell(&inf, format, out, pres);
    }
    if inf.resumen.rechazadas > 0 {
        EXIT_ROWS_REJECTED
    } else {
        EXIT_OK
    }
}

/// The counts and where the report went, on standard error.
fn tell(inf: &Informe, format: ReportFormat, out: Option<&Path>, pres: &PresentationArgs) {
    let a = &inf.resumen;
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
    if !inf.filtrado.filtros.is_empty() {
        eprintln!(
            "Filtro: {} ({} de {} filas).",
            inf.filtrado.describir(),
            a.leidas,
            a.leidas + inf.filtrado.excluidas
        );
    }
    eprintln!("Por nivel: {}{sin_nivel}", levels.join(", "));
    eprintln!(
        "Leídas {} filas: {} evaluadas ({} provisionales), {} rechazadas por errores en los datos.",
        a.leidas, a.evaluadas, a.provisionales, a.rechazadas
    );
    if let Some(limite) = a.recortado {
        eprintln!(
            "Más de {limite} organizaciones: el informe tiene el resumen, los gráficos y las tablas, sin un perfil por organización.{}",
            if pres.organizaciones.is_none() {
                " Para el resultado de cada una, agregue `--organizaciones organizaciones.xlsx`."
            } else {
                ""
            }
        );
    }
    if let Some(p) = &pres.organizaciones {
        eprintln!("Resultado de cada organización escrito en {}.", p.display());
    }
    if let Some(p) = out {
        match format {
            ReportFormat::Html => eprintln!("Informe escrito en {} (ábralo con el navegador; se puede imprimir o guardar como PDF).", p.display()),
            ReportFormat::Pdf => eprintln!("Informe escrito en {} (PDF).", p.display()),
            ReportFormat::Md if inf.con_perfiles() => eprintln!("Resumen y perfiles escritos en {} ({} organizaciones).", p.display(), inf.perfiles.len()),
            ReportFormat::Md => eprintln!("Resumen escrito en {} (sin los perfiles de cada organización).", p.display()),
        }
    }
}
