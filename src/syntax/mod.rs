//! Stage 1: source text → [`crate::ast::File`]. Parsing with pest, then lowering
//! pest pairs to the typed AST by hand. Syntax errors are translated to Spanish
//! and, after an error, parsing resumes at the next declaration so that every
//! broken declaration is reported, not just the first.

mod grammar;
mod lower;
mod nesting;
mod pest_errors;

use pest::Parser;

use crate::ast;
use crate::diagnostic::{Problem, Problems};
use crate::source::{FileId, SourceMap};

pub use grammar::{ReglasParser, Rule};
pub use nesting::MAX_NESTING;

/// At most this many syntax errors are reported for one file.
const MAX_SYNTAX_ERRORS: usize = 20;

/// Parses one source file of the map.
pub fn parse(sources: &SourceMap, id: FileId) -> Result<ast::File, Problems> {
    let text = sources.get(id).text.clone();
    let mut problems = Problems::new();

    if let Some(p) = nesting::check(&text, id) {
        problems.push(p);
        return Err(problems);
    }
    // Deep recursion the pre-scan does not see (thousands of `no no no ...`)
    // is caught by pest's own stack guard and reported as a nesting error.
    let parsed = {
        let _no_writer = ERROR_DETAIL.read().unwrap_or_else(|e| e.into_inner());
        pest::set_error_detail(false);
        ReglasParser::parse(Rule::file, &text)
    };
    match parsed {
        Ok(mut pairs) => {
            let Some(file_pair) = pairs.next() else {
                return Err(internal(id));
            };
            lower::lower_file(file_pair, id)
        }
        Err(_) => Err(with_error_detail(|| {
            // Literal tokens (`:`, `)`) are only named in errors with error
            // detail on: the failed text is parsed again with it.
            match ReglasParser::parse(Rule::file, &text) {
                Ok(_) => internal(id),
                Err(first) => {
                    problems.push(pest_errors::to_problem(&first, &text, id, 0));
                    collect_more_errors(&text, id, &first, &mut problems);
                    problems
                }
            }
        })),
    }
}

/// pest's error detail (every token it expected at the failing place) is a
/// global switch, and tracking it took a quarter of the time of parsing a
/// file that has no error. Files are parsed with it off; a file with errors
/// is parsed again with it on, holding this lock for writing so that no
/// parse on another thread runs meanwhile (they hold it for reading).
static ERROR_DETAIL: std::sync::RwLock<()> = std::sync::RwLock::new(());

fn with_error_detail<T>(f: impl FnOnce() -> T) -> T {
    let _alone = ERROR_DETAIL.write().unwrap_or_else(|e| e.into_inner());
    pest::set_error_detail(true);
    let out = f();
    pest::set_error_detail(false);
    out
}

/// After a syntax error, resumes at the next line that starts (in column 1)
/// with a declaration keyword and parses from there, to report later errors
/// too. Each resumption reports at most one error: the root cause.
fn collect_more_errors(
    text: &str,
    id: FileId,
    first: &pest::error::Error<Rule>,
    problems: &mut Problems,
) {
    let mut error_at = pest_errors::error_offset(first, text);
    while problems.items.len() < MAX_SYNTAX_ERRORS {
        let Some(resume) = next_declaration_start(text, error_at) else {
            return;
        };
        let rest = &text[resume..];
        match ReglasParser::parse(Rule::file, rest) {
            Ok(_) => return,
            Err(e) => {
                problems.push(pest_errors::to_problem(&e, rest, id, resume));
                error_at = resume + pest_errors::error_offset(&e, rest).max(1);
            }
        }
    }
}

const DECLARATION_KEYWORDS: &[&str] = &[
    "campo",
    "parámetro",
    "parametro",
    "valor",
    "grupo",
    "criterio",
    "nivel",
    "recomendación",
    "recomendacion",
    "cambia",
    "quita",
    "ejemplo",
];

fn next_declaration_start(text: &str, after: usize) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if start < after {
            continue;
        }
        let starts_decl = DECLARATION_KEYWORDS.iter().any(|kw| {
            line.strip_prefix(kw)
                .is_some_and(|rest| rest.starts_with([' ', '\t']))
        });
        if starts_decl {
            return Some(start);
        }
    }
    None
}

fn internal(id: FileId) -> Problems {
    let mut p = Problems::new();
    p.push(
        Problem::error(
            crate::codes::Code::Syntax,
            "error interno del analizador: el archivo no produjo ningún resultado",
        )
        .label(crate::source::Span::new(id, 0, 0), "")
        .help("Esto es un error de `reglas`; por favor avise a los desarrolladores."),
    );
    p
}
