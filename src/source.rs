//! Source files and byte spans. Every AST node carries a [`Span`]; a span knows
//! its file through [`FileId`], so diagnostics point into the right file even
//! when a rule file builds on another one.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{NamedSource, SourceSpan};

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct FileId(pub u32);

/// A byte range in one source file. Spans never take part in AST equality
/// (see [`Span::eq`]), so tests can compare structure.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl PartialEq for Span {
    fn eq(&self, _other: &Span) -> bool {
        true
    }
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

impl From<Span> for SourceSpan {
    fn from(s: Span) -> SourceSpan {
        SourceSpan::new((s.start as usize).into(), s.len())
    }
}

/// One loaded source file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as the user gave it (shown in diagnostics).
    pub name: String,
    pub path: PathBuf,
    pub text: Arc<str>,
    /// Byte offset where each line starts: `file:line` is asked for every
    /// criterion of every organization in an explanation, so it must not
    /// rescan the text.
    line_starts: Arc<[usize]>,
}

fn line_starts(text: &str) -> Arc<[usize]> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

impl SourceFile {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, (offset as usize).min(self.text.len()));
        // The last line start at or before the offset.
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let line_start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let col = self.text[line_start..offset].chars().count() + 1;
        (line, col)
    }

    pub fn named_source(&self) -> NamedSource<Arc<str>> {
        NamedSource::new(&self.name, self.text.clone()).with_language("reglas")
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// All source files of one run, indexed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a file from text already in memory (tests, fuzzing, docs).
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> FileId {
        let name = name.into();
        let id = FileId(self.files.len() as u32);
        let text: Arc<str> = text.into();
        self.files.push(SourceFile {
            path: PathBuf::from(&name),
            name,
            line_starts: line_starts(&text),
            text,
        });
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        // FileIds are only created by `add`, so the index is always valid;
        // fall back to the first file rather than panicking.
        self.files
            .get(id.0 as usize)
            .or_else(|| self.files.first())
            .unwrap_or_else(|| empty_file())
    }

    /// `file:line:column` of a span, as analysts cite rules.
    pub fn location(&self, span: Span) -> String {
        let f = self.get(span.file);
        let (line, col) = f.line_col(span.start);
        format!("{}:{}:{}", f.name, line, col)
    }

    /// `file:line`, shorter, for explanations.
    pub fn short_location(&self, span: Span) -> String {
        let f = self.get(span.file);
        let (line, _) = f.line_col(span.start);
        format!("{}:{}", display_name(&f.path), line)
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn empty_file() -> &'static SourceFile {
    static EMPTY: std::sync::OnceLock<SourceFile> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| SourceFile {
        name: String::new(),
        path: PathBuf::new(),
        text: Arc::from(""),
        line_starts: line_starts(""),
    })
}
