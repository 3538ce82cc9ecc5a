//! Warnings for declarations nothing uses. A comment line
//! `# permitir: <código>` right above a declaration silences that warning for
//! it, so a deliberate exception is written down where it is made.

use crate::ast::Decl;
use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};
use crate::source::{SourceMap, Span};

/// True when the lines just above the declaration allow this code.
pub fn allowed(sources: &SourceMap, decl: &Decl, code: Code) -> bool {
    allowed_above(sources, decl.span(), code)
}

/// True when the comment lines just above the line where `span` starts say
/// `# permitir: <código>` for this code.
pub fn allowed_above(sources: &SourceMap, span: Span, code: Code) -> bool {
    let text = &sources.get(span.file).text;
    let before = text.get(..span.start as usize).unwrap_or("");
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let short = code.as_str().trim_start_matches("reglas::");
    for line in text[..line_start]
        .lines()
        .rev()
        .skip_while(|l| l.trim().is_empty())
    {
        let l = line.trim();
        if !l.starts_with('#') {
            break;
        }
        if let Some(rest) = l.trim_start_matches('#').trim().strip_prefix("permitir:") {
            if rest
                .split(',')
                .any(|c| c.trim() == short || c.trim() == code.as_str())
            {
                return true;
            }
        }
    }
    false
}

pub fn warn(sources: &SourceMap, decl: &Decl, code: Code, what: &str, problems: &mut Problems) {
    if allowed(sources, decl, code) {
        return;
    }
    let name = decl.name();
    problems.push(
        Problem::warning(code, format!("{what} `{}` no se usa en ninguna regla", name.text))
            .label(name.span, "declarado aquí")
            .help(format!(
                "Úselo en alguna condición o bórrelo. Si se deja a propósito, escriba encima `# permitir: {}`.",
                code.as_str().trim_start_matches("reglas::")
            )),
    );
}
