//! The formatter behind `reglas formatear`: rewrites a rule file in one
//! canonical layout without changing what it means and without losing a
//! comment.
//!
//! The canonical layout (documented for analysts in `docs/herramientas.md`):
//! - one declaration head per line (`campo x: tipo`, `criterio x "título"`);
//!   each clause on its own line, indented 2 spaces, in the order written;
//!   a group's `sección` stays on its line, a recommendation's text goes on
//!   the next line;
//! - lines of at most 100 characters where they can be broken: a long
//!   condition breaks before each `y`/`o` of its outermost level, continuation
//!   lines at column 4; a long list `[a, b, c]` puts one item per line;
//! - one space around operators and after commas; keywords in their accented
//!   spelling (`sección`, `condición`…); `>=`, `<=`, `!=` for `≥`, `≤`, `≠`;
//!   optional colons and trailing commas dropped (except `si falta dato:`);
//! - strings, names and numbers exactly as written;
//! - every comment kept, in order: comments between declarations stay there
//!   with their blank lines (at most one blank line before a declaration, two
//!   before a comment); a comment inside a declaration keeps its place among
//!   the clauses or conditions; a comment at the end of a line stays there;
//! - a multi-line declaration is followed by a blank line; the file ends with
//!   one line break; a file with Windows line breaks (CRLF) or a BOM keeps them.
//!
//! Formatting is idempotent, and the formatted file parses to the same syntax
//! tree (property tests in `tests/format.rs`).

mod comments;
mod doc;
mod layout;

use pest::Parser;

use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::{ReglasParser, Rule};

pub use layout::WIDTH;

/// Formats rule text. Fails with the syntax errors when the text does not
/// parse (a file with errors is never reformatted).
pub fn format_source(text: &str) -> Result<String, Problems> {
    let mut sources = SourceMap::new();
    let id = sources.add("reglas", text.to_string());
    format_file(&sources, id)
}

/// Formats one file of a source map; errors point into it.
pub fn format_file(sources: &SourceMap, id: FileId) -> Result<String, Problems> {
    // The parser proper reports syntax errors in Spanish, with recovery.
    crate::syntax::parse(sources, id)?;
    let text: &str = &sources.get(id).text;
    let file = ReglasParser::parse(Rule::file, text)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .ok_or_else(|| internal(id))?;
    let found = comments::scan(text);
    let out = layout::format_file(file, text, found);
    Ok(restore_encoding_marks(text, out))
}

/// Keeps a leading BOM and Windows line breaks, as the editor wrote them.
fn restore_encoding_marks(original: &str, formatted: String) -> String {
    let mut out = formatted;
    if original.contains("\r\n") {
        out = out.replace('\n', "\r\n");
    }
    if original.starts_with('\u{FEFF}') {
        out.insert(0, '\u{FEFF}');
    }
    out
}

fn internal(id: FileId) -> Problems {
    let mut p = Problems::new();
    p.push(
        Problem::error(Code::Syntax, "error interno del formateador: el archivo no se pudo leer de nuevo")
            .label(Span::new(id, 0, 0), "")
            .help("Esto es un error de `reglas`; por favor avise a los desarrolladores."),
    );
    p
}
