//! The formatter behind `reglas formatear`: rewrites a rule file in one
//! canonical layout without changing what it means and without losing a
//! comment.
//!
//! The canonical layout (documented for analysts in `docs/herramientas.md`):
//! - one declaration head per line (`campo x: tipo`, `criterio x "título"`);
//!   each clause on its own line, indented 2 spaces, in the order written;
//!   a group's `sección` stays on its line, a recommendation's text goes on
//!   the next line;
//! - lines of at most 80 characters where they can be broken: a long
//!   condition breaks before each `y`/`o` of its outermost level, continuation
//!   lines at column 4; a long list `[a, b, c]` puts one item per line; the
//!   data of an example's `con` fill their lines like a paragraph;
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
//! tree (property tests in `tests/format.rs`; [`format_file`] also checks the
//! second on every file it formats). A construct the layout does not know
//! (the grammar grows) is kept as written.

mod comments;
mod doc;
mod layout;

use pest::Parser;

use crate::ast;
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
    let before = crate::syntax::parse(sources, id)?;
    let text: &str = &sources.get(id).text;
    let file = ReglasParser::parse(Rule::file, text)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .ok_or_else(|| internal(id, "el archivo no se pudo leer de nuevo"))?;
    let found = comments::scan(text);
    let out = restore_encoding_marks(text, layout::format_file(file, text, found));
    // Safety net: the result must mean exactly the same (the tests check
    // this on many files; here it protects the analyst's file anyway).
    let mut check = SourceMap::new();
    let again = check.add("formateado", out.clone());
    let same = crate::syntax::parse(&check, again)
        .is_ok_and(|after| normalized(after) == normalized(before));
    if same {
        Ok(out)
    } else {
        Err(internal(
            id,
            "el resultado no significaría lo mismo; el archivo no se modificó",
        ))
    }
}

/// The syntax tree keeps the kind of a `quita` as written (`recomendacion`
/// or `recomendación`); both mean the same.
fn normalized(mut f: ast::File) -> ast::File {
    for d in &mut f.decls {
        if let ast::Decl::Remove(r) = d {
            r.kind = crate::text::fold(&r.kind);
        }
    }
    f
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

fn internal(id: FileId, what: &str) -> Problems {
    let mut p = Problems::new();
    p.push(
        Problem::error(
            Code::Syntax,
            format!("error interno del formateador: {what}"),
        )
        .label(Span::new(id, 0, 0), "")
        .help("Esto es un error de `reglas`; por favor avise a los desarrolladores."),
    );
    p
}
