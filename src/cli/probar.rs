//! `reglas probar REGLAS... [--casos F] [--cobertura]`: runs the example
//! organizations and reports like a test runner. Exit 0 only when all pass.

use std::path::{Path, PathBuf};

use reglas::render::diagnostics::ErrorFormat;
use reglas::testing::{coverage, read_cases_file, run_case, CaseOutcome, CasesFileError};

use super::args::ReadArgs;
use super::{fail, read_options, report, EXIT_FAILED, EXIT_OK};
use reglas::codes::Code;
use reglas::diagnostic::Failure;

pub fn run(
    rules: &[PathBuf],
    cases_files: &[PathBuf],
    with_coverage: bool,
    read: &ReadArgs,
    errors: ErrorFormat,
) -> i32 {
    let opts = match read_options(read) {
        Ok(o) => o,
        Err(f) => return fail::usage(f, errors),
    };
    let mut all_ok = true;
    let (mut passed, mut failed) = (0usize, 0usize);
    for path in rules {
        let loaded = reglas::load::load_file(path);
        if report::rule_problems(&loaded, errors) {
            all_ok = false;
            continue;
        }
        let Some(program) = loaded.program.as_ref() else {
            continue;
        };
        let mut cases = reglas::testing::cases_in_program(program);
        for f in cases_files {
            match read_cases_file(program, f, &opts) {
                Ok(mut c) => cases.append(&mut c),
                Err(CasesFileError::Data(e)) => {
                    report::data_file_error(&e, errors);
                    all_ok = false;
                }
                Err(CasesFileError::Other(msg)) => {
                    fail::print(&Failure::new(Code::InputFile, msg).file(f), errors);
                    all_ok = false;
                }
            }
        }
        outln!(
            "Probando {} ({})",
            path.display(),
            reglas::text::plural(cases.len(), "caso", "casos")
        );
        if cases.is_empty() {
            outln!("  no hay casos: escriba declaraciones `ejemplo` en las reglas o use --casos PLANILLA");
            all_ok = false;
            continue;
        }
        let outcomes: Vec<CaseOutcome> = cases.iter().map(|c| run_case(program, c)).collect();
        for o in &outcomes {
            print_outcome(o);
            if o.correcto {
                passed += 1;
            } else {
                failed += 1;
                all_ok = false;
            }
        }
        if with_coverage {
            print_coverage(path, &coverage(program, &outcomes));
        }
    }
    outln!();
    outln!(
        "Resultado: {passed} {} correctos, {failed} {}",
        if passed == 1 { "caso" } else { "casos" },
        if failed == 1 { "fallido" } else { "fallidos" }
    );
    if all_ok {
        EXIT_OK
    } else {
        EXIT_FAILED
    }
}

fn print_outcome(o: &CaseOutcome) {
    let title = o
        .titulo
        .as_ref()
        .map(|t| format!(" — {t}"))
        .unwrap_or_default();
    if o.correcto {
        outln!("  correcto  {}{title}", o.nombre);
    } else {
        outln!("  FALLA     {}{title} ({})", o.nombre, o.origen);
        for d in &o.diferencias {
            outln!("            {d}");
        }
    }
}

fn print_coverage(path: &Path, c: &reglas::testing::Coverage) {
    outln!("\nCobertura de {}:", path.display());
    let line = |label: &str, items: &[String]| {
        if items.is_empty() {
            let none = if label.starts_with("recomendaciones") {
                "ninguna"
            } else {
                "ninguno"
            };
            outln!("  {label}: {none}");
        } else {
            outln!("  {label} ({}): {}", items.len(), items.join(", "));
        }
    };
    line(
        "criterios que ningún caso cumple",
        &c.criterios_nunca_cumplidos,
    );
    line(
        "criterios que ningún caso deja de cumplir",
        &c.criterios_nunca_fallidos,
    );
    line(
        "niveles que ningún caso alcanza",
        &c.niveles_nunca_alcanzados,
    );
    line(
        "recomendaciones que ningún caso recibe",
        &c.recomendaciones_nunca_dadas,
    );
}
