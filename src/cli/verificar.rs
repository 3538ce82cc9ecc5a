//! `reglas verificar REGLAS...`: checks rule files, prints every problem.

use std::path::PathBuf;

use reglas::render::diagnostics::ErrorFormat;

use super::{report, EXIT_FAILED, EXIT_OK};

pub fn run(files: &[PathBuf], errors: ErrorFormat) -> i32 {
    let mut failed = false;
    for path in files {
        let mut loaded = reglas::load::load_file(path);
        // Lints probe the rules with made-up organizations: only here, not
        // on every load.
        if let Some(program) = &loaded.program {
            let lints = reglas::lint::lint(program);
            loaded.problems.extend(lints);
            loaded.problems.sort();
        }
        let has_errors = report::rule_problems(&loaded, errors);
        if errors != ErrorFormat::Json {
            let verdict = if has_errors {
                "con errores"
            } else {
                "correcto"
            };
            eprintln!(
                "{}: {verdict} ({})",
                path.display(),
                report::summary_line(&loaded)
            );
        }
        failed |= has_errors;
    }
    if failed {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
