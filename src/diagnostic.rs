//! Diagnostics shared by every stage: a [`Problem`] says what is wrong, where
//! (spans into the rule files) and how to fix it, in Spanish. [`Problems`] holds
//! all the problems of a run, errors and warnings apart, and renders through
//! miette with the source text attached.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, NamedSource, Severity, SourceCode,
    SourceSpan, SpanContents,
};

use crate::source::{SourceMap, Span};

/// Stable error codes (documented in `docs/errores.md`).
pub use crate::codes::Code;

#[derive(Debug, Clone, PartialEq, Eq, Copy, serde::Serialize)]
pub enum Level {
    Error,
    Warning,
}

/// One problem found in a rule file.
#[derive(Debug, Clone)]
pub struct Problem {
    pub code: Code,
    pub level: Level,
    pub message: String,
    /// The first label is the primary location.
    pub labels: Vec<(Span, String)>,
    pub help: Option<String>,
    /// The declared name the problem is about (an unknown name, say), so
    /// later stages can refine it without reading the message.
    pub subject: Option<String>,
}

impl Problem {
    pub fn error(code: Code, message: impl Into<String>) -> Problem {
        Problem {
            code,
            level: Level::Error,
            message: message.into(),
            labels: Vec::new(),
            help: None,
            subject: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Problem {
        Problem {
            level: Level::Warning,
            ..Problem::error(code, message)
        }
    }

    pub fn label(mut self, span: Span, text: impl Into<String>) -> Problem {
        self.labels.push((span, text.into()));
        self
    }

    /// Records the name the problem is about (see [`Problem::subject`]).
    pub fn about(mut self, name: &str) -> Problem {
        self.subject = Some(name.to_string());
        self
    }

    pub fn help(mut self, text: impl Into<String>) -> Problem {
        self.help = Some(text.into());
        self
    }

    pub fn primary_span(&self) -> Option<Span> {
        self.labels.first().map(|(s, _)| s).copied()
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// Binds the problem to its source text so miette can render it.
    pub fn render_with(&self, sources: &SourceMap) -> Rendered {
        // A place far to the right on a very long line is not drawn (miette
        // pads up to it, which fails past column 65,535, and nobody reads
        // such a drawing): its labels are given as `file:line:column` text.
        let drawable = !self.labels.iter().any(|(s, _)| {
            let f = sources.get(s.file);
            f.line_col(s.end).1.max(f.line_col(s.start).1) > MAX_DRAWN_COLUMN
        });
        let src = self
            .primary_span()
            .filter(|_| drawable)
            .map(|s| CharColumns(sources.get(s.file).named_source()));
        let file = self.primary_span().map(|s| s.file).filter(|_| drawable);
        Rendered {
            code: self.code,
            level: self.level,
            message: self.message.clone(),
            help: self.help.clone(),
            labels: self
                .labels
                .iter()
                // Labels in another file than the primary one cannot be drawn
                // on the same snippet; they are rendered as text in the help.
                .filter(|(s, _)| Some(s.file) == file)
                .map(|(s, t)| (*s, t.clone()))
                .collect(),
            other_files: self
                .labels
                .iter()
                .filter(|(s, _)| Some(s.file) != file)
                .map(|(s, t)| format!("{}: {}", sources.location(*s), t))
                .collect(),
            src,
        }
    }
}

/// Columns past this are not drawn under the source line; see `render_with`.
const MAX_DRAWN_COLUMN: usize = 10_000;

/// A problem ready for miette: it owns its source text.
#[derive(Debug)]
pub struct Rendered {
    code: Code,
    level: Level,
    message: String,
    help: Option<String>,
    labels: Vec<(Span, String)>,
    other_files: Vec<String>,
    src: Option<CharColumns>,
}

/// The source text for miette, with columns counted in characters. miette
/// counts the column of `[file:line:column]` in bytes, so after `ñ` or a
/// tilde it would point past the real place (editors count characters).
#[derive(Debug)]
struct CharColumns(NamedSource<Arc<str>>);

impl SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self
            .0
            .read_span(span, context_lines_before, context_lines_after)?;
        // A column other than 0 is only given for a snippet that starts
        // mid-line (no context lines): recount it in characters.
        if contents.column() == 0 {
            return Ok(contents);
        }
        let text: &str = self.0.inner();
        let start = contents.span().offset();
        let Some(before) = text.get(..start) else {
            return Ok(contents);
        };
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let column = before[line_start..].chars().count();
        let mut fixed = MietteSpanContents::new_named(
            contents.name().unwrap_or_default().to_string(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
        );
        if let Some(lang) = contents.language() {
            fixed = fixed.with_language(lang);
        }
        Ok(Box::new(fixed))
    }
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code.as_str()))
    }

    fn severity(&self) -> Option<Severity> {
        Some(match self.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let mut parts: Vec<String> = self.help.iter().cloned().collect();
        parts.extend(self.other_files.iter().map(|s| format!("véase {s}")));
        if parts.is_empty() {
            None
        } else {
            Some(Box::new(parts.join("\n")))
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.src.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.src.is_none() || self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().enumerate().map(
            |(i, (s, t))| {
                let text = if t.is_empty() { None } else { Some(t.clone()) };
                if i == 0 {
                    LabeledSpan::new_primary_with_span(text, *s)
                } else {
                    LabeledSpan::new_with_span(text, *s)
                }
            },
        )))
    }
}

/// All the problems of one stage (or of a whole check), in source order.
#[derive(Debug, Clone, Default)]
pub struct Problems {
    pub items: Vec<Problem>,
}

impl Problems {
    pub fn new() -> Problems {
        Problems::default()
    }

    pub fn push(&mut self, p: Problem) {
        self.items.push(p);
    }

    pub fn extend(&mut self, other: Problems) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Problem::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.items.iter().filter(|p| p.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.items.iter().filter(|p| !p.is_error())
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorts by file and position, so reports read top to bottom.
    pub fn sort(&mut self) {
        self.items.sort_by_key(|p| {
            p.primary_span()
                .map(|s| (s.file.0, s.start))
                .unwrap_or((u32::MAX, 0))
        });
    }
}

/// A failure outside the text of a rule file: a file that cannot be read or
/// written, an option value that does not fit, an organization that is not
/// in the data. Shown like every other diagnostic (code, message, help) in
/// the three `--formato-errores`; `file` is where it happened, if anywhere.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub code: Code,
    pub message: String,
    pub help: Option<String>,
    pub file: Option<String>,
}

impl Failure {
    pub fn new(code: Code, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
            help: None,
            file: None,
        }
    }

    pub fn help(mut self, text: impl Into<String>) -> Failure {
        self.help = Some(text.into());
        self
    }

    /// The file the failure is about.
    pub fn file(mut self, path: &std::path::Path) -> Failure {
        self.file = Some(path.display().to_string());
        self
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

impl Diagnostic for Failure {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code.as_str()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
}
