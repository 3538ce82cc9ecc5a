//! Diagnostics in the three forms `--formato-errores` offers: `humano`
//! (miette's graphical report), `plano` (miette's narratable report, for
//! screen readers) and `json` (one JSON object per line, for editors).

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, JSONReportHandler, NarratableReportHandler};

use crate::diagnostic::Problems;
use crate::source::SourceMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFormat {
    Human { color: bool },
    Plain,
    Json,
}

/// Renders one diagnostic in the chosen form.
pub fn render_one(d: &dyn Diagnostic, format: ErrorFormat) -> String {
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
                .render_report(&mut out, d)
        }
        ErrorFormat::Plain => NarratableReportHandler::new().render_report(&mut out, d),
        ErrorFormat::Json => JSONReportHandler::new().render_report(&mut out, d),
    };
    if result.is_err() {
        out = format!("{d}");
    }
    if format == ErrorFormat::Json && !out.ends_with('\n') {
        out.push('\n');
    }
    out
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
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!("{} y {}", plural(e, "error", "errores"), plural(w, "advertencia", "advertencias"))
}
