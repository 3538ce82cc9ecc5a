//! `reglas formatear REGLAS...`: rewrites rule files in the canonical layout
//! (see `reglas::format`). With `--verificar`, changes nothing and lists the
//! files that would change. A file with syntax errors is never touched.

use std::io::Write;
use std::path::{Path, PathBuf};

use reglas::codes::Code;
use reglas::diagnostic::{Failure, Problems};
use reglas::render::diagnostics::{render_problems, ErrorFormat};
use reglas::source::SourceMap;
use reglas::text::{plural, system_error};

use super::{fail, EXIT_FAILED, EXIT_OK};

pub fn run(files: &[PathBuf], check_only: bool, errors: ErrorFormat) -> i32 {
    let mut failed = 0usize;
    let mut changed = 0usize;
    let mut unchanged = 0usize;
    for path in files {
        let (text, recoded) = match reglas::load::read_source(path) {
            Ok(source) => {
                let recoded = source.note.is_some();
                if let Some(note) = source.note {
                    let mut problems = Problems::new();
                    problems.push(note);
                    eprint!("{}", render_problems(&problems, &SourceMap::new(), errors));
                }
                (source.text, recoded)
            }
            Err(p) => {
                let mut problems = Problems::new();
                problems.push(p);
                eprint!("{}", render_problems(&problems, &SourceMap::new(), errors));
                failed += 1;
                continue;
            }
        };
        let mut sources = SourceMap::new();
        let id = sources.add(path.display().to_string(), text.clone());
        match reglas::format::format_file(&sources, id) {
            Err(problems) => {
                eprint!("{}", render_problems(&problems, &sources, errors));
                if errors != ErrorFormat::Json {
                    eprintln!(
                        "{}: tiene errores de sintaxis; no se modificó",
                        path.display()
                    );
                }
                failed += 1;
            }
            // A Windows-1252 file is rewritten in UTF-8 even when its text
            // already has the canonical form.
            Ok(formatted) if formatted == text && !recoded => unchanged += 1,
            Ok(formatted) => {
                changed += 1;
                if check_only {
                    outln!("{}", path.display());
                } else {
                    match rewrite(path, &formatted) {
                        Ok(()) => outln!("{}: formateado", path.display()),
                        Err(e) => {
                            let f = Failure::new(
                                Code::Output,
                                format!(
                                    "no se pudo escribir `{}`: {}",
                                    path.display(),
                                    system_error(&e)
                                ),
                            )
                            .file(path);
                            fail::print(&f, errors);
                            failed += 1;
                        }
                    }
                }
            }
        }
    }
    if errors != ErrorFormat::Json {
        eprintln!("{}", summary(check_only, changed, unchanged, failed));
    }
    if failed > 0 || (check_only && changed > 0) {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

fn summary(check_only: bool, changed: usize, unchanged: usize, failed: usize) -> String {
    let files = |n: usize| plural(n, "archivo", "archivos");
    let mut parts = Vec::new();
    if check_only {
        if changed > 0 {
            parts.push(format!(
                "{} cambiaría{} con `reglas formatear`",
                files(changed),
                if changed == 1 { "" } else { "n" }
            ));
        }
        if unchanged > 0 {
            parts.push(format!(
                "{} ya {} la forma canónica",
                files(unchanged),
                if unchanged == 1 { "tiene" } else { "tienen" }
            ));
        }
    } else {
        if changed > 0 {
            parts.push(format!(
                "{} formateado{}",
                files(changed),
                if changed == 1 { "" } else { "s" }
            ));
        }
        if unchanged > 0 {
            parts.push(format!("{} sin cambios", files(unchanged)));
        }
    }
    if failed > 0 {
        parts.push(format!("{} con errores (sin modificar)", files(failed)));
    }
    let mut s = parts.join(", ");
    s.push('.');
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => s,
    }
}

/// Replaces the file's contents atomically: a temporary file in the same
/// folder (created exclusively, see `Temporary`), then a rename, so an
/// interrupted run never leaves half a file. The rule file keeps its
/// permissions; nothing else's are touched.
fn rewrite(path: &Path, text: &str) -> std::io::Result<()> {
    let mut tmp = super::output::Temporary::next_to(path)?;
    tmp.write_all(text.as_bytes())?;
    if let Ok(meta) = std::fs::metadata(path) {
        tmp.file()?.set_permissions(meta.permissions())?;
    }
    tmp.persist(path)
}
