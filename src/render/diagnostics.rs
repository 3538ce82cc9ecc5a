//! Diagnostics in the three forms `--formato-errores` offers: `humano`
//! (miette's graphical report), `plano` (miette's narratable report, for
//! screen readers) and `json` (one JSON object per line, for editors).

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, JSONReportHandler, NarratableReportHandler,
};

use crate::diagnostic::{Failure, Problems};
use crate::source::SourceMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFormat {
    Human { color: bool },
    Plain,
    Json,
}

/// A diagnostic whose message and help are shown with their control
/// characters escaped: they may quote a data file (a header, a cell), and
/// what a file holds is shown on a terminal, never obeyed. JSON escapes
/// them by itself.
struct TerminalSafe<'a>(&'a dyn Diagnostic);

impl std::fmt::Debug for TerminalSafe<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.0, f)
    }
}

impl std::fmt::Display for TerminalSafe<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::terminal_safe(&self.0.to_string(), true))
    }
}

impl std::error::Error for TerminalSafe<'_> {}

impl Diagnostic for TerminalSafe<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.0.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.0.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        let help = self.0.help()?.to_string();
        Some(Box::new(
            crate::text::terminal_safe(&help, true).into_owned(),
        ))
    }
    fn url<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.0.url()
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.0.source_code()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.0.labels()
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        self.0.related()
    }
    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.0.diagnostic_source()
    }
}

/// Renders one diagnostic in the chosen form.
pub fn render_one(d: &dyn Diagnostic, format: ErrorFormat) -> String {
    let safe = TerminalSafe(d);
    let d: &dyn Diagnostic = if format == ErrorFormat::Json {
        d
    } else {
        &safe
    };
    let mut out = String::new();
    let result = match format {
        ErrorFormat::Human { color } => {
            let theme = if color {
                GraphicalTheme::unicode()
            } else {
                GraphicalTheme::unicode_nocolor()
            };
            GraphicalReportHandler::new_themed(theme)
                .with_width(100)
                // Never split an option like `--formato-errores` at a hyphen.
                .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
                .render_report(&mut out, d)
        }
        ErrorFormat::Plain => NarratableReportHandler::new().render_report(&mut out, d),
        ErrorFormat::Json => JSONReportHandler::new().render_report(&mut out, d),
    };
    if result.is_err() {
        out = format!("{d}");
    } else if format == ErrorFormat::Plain {
        out = plain_in_spanish(&out);
    } else if matches!(format, ErrorFormat::Human { .. }) {
        out = help_in_spanish(&out);
    }
    if format == ErrorFormat::Json && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Renders a failure of the command line or of a file; in JSON, with the
/// same keys as every other diagnostic plus `filename` when it has one.
pub fn render_failure(f: &Failure, format: ErrorFormat) -> String {
    if format != ErrorFormat::Json {
        return render_one(f, format);
    }
    let mut object = serde_json::json!({
        "message": f.message,
        "code": f.code.as_str(),
        "severity": "error",
        "causes": [],
        "labels": [],
        "related": [],
    });
    if let Some(help) = &f.help {
        object["help"] = help.as_str().into();
    }
    if let Some(file) = &f.file {
        object["filename"] = file.as_str().into();
    }
    format!("{object}\n")
}

/// Renders every problem, errors and warnings, in source order.
pub fn render_problems(problems: &Problems, sources: &SourceMap, format: ErrorFormat) -> String {
    let mut out = String::new();
    for p in &problems.items {
        let r = p.render_with(sources);
        out.push_str(&render_one(&r, format));
        if format != ErrorFormat::Json {
            out.push('\n');
        }
    }
    out
}

/// A one-line count: "2 errores y 1 advertencia".
pub fn tally(problems: &Problems) -> String {
    let e = problems.errors().count();
    let w = problems.warnings().count();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} y {}",
        plural(e, "error", "errores"),
        plural(w, "advertencia", "advertencias")
    )
}

/// miette's graphical report labels the help `help:`; analysts read
/// `ayuda:`. The help's continuation lines move one column right with it.
fn help_in_spanish(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_help = false;
    for line in text.split_inclusive('\n') {
        let lead = leading_space_and_colour(line);
        if line[lead..].starts_with("help:") {
            out.push_str(&line[..lead]);
            out.push_str("ayuda:");
            out.push_str(&line[lead + "help:".len()..]);
            in_help = true;
        } else if in_help && line.starts_with("        ") {
            out.push(' ');
            out.push_str(line);
        } else {
            in_help = false;
            out.push_str(line);
        }
    }
    out
}

/// Length of the spaces and ANSI colour codes that start a line.
fn leading_space_and_colour(line: &str) -> usize {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' => i += 1,
            0x1b => match line[i..].find('m') {
                Some(end) => i += end + 1,
                None => break,
            },
            _ => break,
        }
    }
    i
}

/// miette's narratable report frames each diagnostic with English phrases
/// ("Begin snippet for…", "label at line…"); a screen reader must read them
/// in Spanish like everything else. Only those fixed prefixes are replaced:
/// the message, the source lines and the labels are left as they are.
fn plain_in_spanish(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        out.push_str(&plain_line(body));
        out.push_str(end);
    }
    out
}

fn plain_line(line: &str) -> String {
    if let Some(sev) = line.strip_prefix("    Diagnostic severity: ") {
        let sev = match sev {
            "error" => "error",
            "warning" => "advertencia",
            "advice" => "consejo",
            other => other,
        };
        return format!("    gravedad: {sev}");
    }
    if let Some(rest) = line.strip_prefix("Begin snippet") {
        let (name, place) = match rest.rfind(" starting at line ") {
            Some(i) => (&rest[..i], &rest[i + " starting at line ".len()..]),
            None => (rest, ""),
        };
        let name = name
            .strip_prefix(" for ")
            .map(|n| format!(" de {n}"))
            .unwrap_or_default();
        return format!(
            "Fragmento{name} desde la línea {}",
            place.replacen(", column ", ", columna ", 1)
        );
    }
    if let Some(rest) = line.strip_prefix("snippet line ") {
        return format!("línea {rest}");
    }
    for (en, es) in [
        ("    label at line ", "    marca en la línea "),
        ("    label starting at line ", "    marca desde la línea "),
        ("    label ending at line ", "    marca hasta la línea "),
    ] {
        if let Some(rest) = line.strip_prefix(en) {
            // `N, columns A to B: label` or `N, column A: label`
            let (place, label) = match rest.find(':') {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, ""),
            };
            let place = place
                .replacen(", columns ", ", columnas ", 1)
                .replacen(", column ", ", columna ", 1)
                .replacen(" to ", " a ", 1);
            return format!("{es}{place}{label}");
        }
    }
    for (en, es) in [
        ("diagnostic help: ", "ayuda: "),
        ("diagnostic code: ", "código: "),
        ("    Caused by: ", "    causa: "),
        ("For more details, see:", "Más detalles en:"),
    ] {
        if let Some(rest) = line.strip_prefix(en) {
            return format!("{es}{rest}");
        }
    }
    line.to_string()
}
