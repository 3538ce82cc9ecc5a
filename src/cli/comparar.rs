//! `reglas comparar ANTES DESPUES DATOS`: what a revision of the rules would
//! change, before adopting it.

use std::path::Path;

use reglas::compare::{
    compare_row, rule_differences, Comparison, CriterionChange, LevelChange, Titles,
};
use reglas::eval::{Evaluator, Tri};
use reglas::render::diagnostics::ErrorFormat;

use super::args::{ExplainFormat, ReadArgs};
use super::{fail, read_options, report, EXIT_FAILED, EXIT_OK};
use reglas::codes::Code;
use reglas::diagnostic::Failure;

pub fn run(
    before: &Path,
    after: &Path,
    data: &Path,
    format: ExplainFormat,
    read: &ReadArgs,
    errors: ErrorFormat,
) -> i32 {
    let la = reglas::load::load_file(before);
    let lb = reglas::load::load_file(after);
    let bad_a = report::rule_problems(&la, errors);
    let bad_b = report::rule_problems(&lb, errors);
    let (Some(pa), Some(pb)) = (la.program.as_ref(), lb.program.as_ref()) else {
        return EXIT_FAILED;
    };
    if bad_a || bad_b {
        return EXIT_FAILED;
    }
    let opts = match read_options(read) {
        Ok(o) => o,
        Err(f) => return fail::usage(f, errors),
    };
    // The data is read once per version: each has its own declared fields.
    let (sa, sb) = match (
        reglas::data::open(data, &pa.schema, &opts),
        reglas::data::open(data, &pb.schema, &opts),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            report::data_file_error(&e, errors);
            return EXIT_FAILED;
        }
    };
    let mut c = rule_differences(pa, pb);
    let (ea, eb) = (Evaluator::new(pa), Evaluator::new(pb));
    for (a, b) in sa.zip(sb) {
        compare_row(&mut c, &ea, &eb, &a, &b);
    }
    match format {
        ExplainFormat::Json => match serde_json::to_string_pretty(&c) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                let f = Failure::new(
                    Code::Output,
                    format!("no se pudo preparar el resultado en JSON: {e}"),
                );
                return fail::failed(f, errors);
            }
        },
        ExplainFormat::Texto => out!("{}", text(&c, before, after, &Titles::new(pa, pb))),
    }
    EXIT_OK
}

fn tri(t: Option<Tri>) -> &'static str {
    match t {
        Some(Tri::Yes) => "cumple",
        Some(Tri::No) => "no cumple",
        Some(Tri::Unknown) => "sin decidir",
        None => "no existe",
    }
}

/// Why an organization changed level although no criterion changed result:
/// the levels' conditions, or parameters they read, changed.
fn unchanged_criteria_reason(c: &Comparison, t: &Titles) -> String {
    let mut parts = Vec::new();
    if !c.niveles_con_otra_condicion.is_empty() {
        let levels: Vec<String> = c
            .niveles_con_otra_condicion
            .iter()
            .map(|l| t.level(Some(l)))
            .collect();
        parts.push(format!("la condición de {}", levels.join(", ")));
    }
    if !c.parametros_cambiados.is_empty() {
        let names: Vec<&str> = c
            .parametros_cambiados
            .iter()
            .map(|p| p.nombre.as_str())
            .collect();
        parts.push(format!("los parámetros {}", names.join(", ")));
    }
    if parts.is_empty() {
        "ningún criterio cambió de resultado: cambió el conjunto o el orden de los niveles"
            .to_string()
    } else {
        format!(
            "ningún criterio cambió de resultado; cambiaron {}",
            parts.join(" y ")
        )
    }
}

/// One organization: its levels, then each criterion that changed result
/// and what in the rules changed it.
fn write_change(o: &mut String, c: &Comparison, ch: &LevelChange, t: &Titles) {
    use std::fmt::Write;
    let lvl = |l: &Option<String>| t.level(l.as_deref());
    let levels = if ch.antes == ch.despues {
        format!("sigue en {}", lvl(&ch.antes))
    } else {
        format!("{} → {}", lvl(&ch.antes), lvl(&ch.despues))
    };
    let _ = writeln!(
        o,
        "  {} {} (fila {}): {levels}",
        ch.codigo.as_deref().unwrap_or("?"),
        ch.nombre.as_deref().unwrap_or(""),
        ch.fila,
    );
    for cr in &ch.criterios {
        let _ = writeln!(
            o,
            "      {}: {} → {}{}",
            t.criterion(&cr.id),
            tri(cr.antes),
            tri(cr.despues),
            cause(c, cr)
        );
    }
}

/// `  (por el parámetro umbral: 60 % → 50 %)`, or nothing when the rules
/// say nothing about it (it changed through another criterion or a value).
fn cause(c: &Comparison, cr: &CriterionChange) -> String {
    let mut parts: Vec<String> = cr
        .parametros
        .iter()
        .filter_map(|name| c.parametros_cambiados.iter().find(|p| &p.nombre == name))
        .map(|p| {
            format!(
                "el parámetro {}: {} → {}",
                p.nombre,
                p.antes.as_deref().unwrap_or("(no existe)"),
                p.despues.as_deref().unwrap_or("(no existe)")
            )
        })
        .collect();
    if cr.condicion_cambiada {
        parts.push("su condición cambió".into());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("  (por {})", parts.join("; "))
    }
}

fn text(c: &Comparison, before: &Path, after: &Path, t: &Titles) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Comparación de reglas\n  antes:   {}\n  después: {}",
        before.display(),
        after.display()
    );
    let _ = writeln!(o, "\nCambios en las reglas:");
    let mut any = false;
    for p in &c.parametros_cambiados {
        any = true;
        let _ = writeln!(
            o,
            "  parámetro {}: {} → {}",
            t.param(&p.nombre),
            p.antes.as_deref().unwrap_or("(no existe)"),
            p.despues.as_deref().unwrap_or("(no existe)")
        );
    }
    for (label, list) in [
        ("criterios nuevos", &c.criterios_nuevos),
        ("criterios quitados", &c.criterios_quitados),
        (
            "criterios con otra condición",
            &c.criterios_con_otra_condicion,
        ),
    ] {
        if !list.is_empty() {
            any = true;
            let named: Vec<String> = list.iter().map(|id| t.criterion(id)).collect();
            let _ = writeln!(o, "  {label}: {}", named.join(", "));
        }
    }
    if !any {
        let _ = writeln!(
            o,
            "  (ninguno en parámetros, criterios, niveles ni valores)"
        );
    }
    let _ = writeln!(
        o,
        "\nOrganizaciones que cambian de nivel: {} de {}",
        c.cambios.len(),
        c.evaluadas
    );
    for ch in &c.cambios {
        write_change(&mut o, c, ch, t);
        if ch.criterios.is_empty() {
            let _ = writeln!(o, "      ({})", unchanged_criteria_reason(c, t));
        }
    }
    let _ = writeln!(
        o,
        "\nOrganizaciones que siguen en el mismo nivel pero cambian de criterios: {} de {}",
        c.cambios_de_criterios.len(),
        c.evaluadas
    );
    for ch in &c.cambios_de_criterios {
        write_change(&mut o, c, ch, t);
    }
    let _ = writeln!(o, "\nTotales por nivel (antes → después):");
    let names: Vec<String> = c
        .niveles
        .iter()
        .map(|l| match l.as_str() {
            "sin nivel" => l.clone(),
            id => t.level(Some(id)).trim_matches(['«', '»']).to_string(),
        })
        .collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(14);
    for (l, name) in c.niveles.iter().zip(&names) {
        let a = c.antes.get(l).copied().unwrap_or(0);
        let b = c.despues.get(l).copied().unwrap_or(0);
        let diff = b as i64 - a as i64;
        let _ = writeln!(
            o,
            "  {name:<width$} {a:>6} → {b:<6} ({}{diff})",
            if diff > 0 { "+" } else { "" }
        );
    }
    if c.rechazadas > 0 {
        let _ = writeln!(
            o,
            "\n{} filas con errores en los datos no se compararon (vea `reglas evaluar`).",
            c.rechazadas
        );
    }
    o
}
