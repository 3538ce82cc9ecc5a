//! Sentences with `{nombre}` placeholders: each placeholder must name a field,
//! parameter, value or criterion; it is resolved once, here.

use super::symbols::{Sym, Symbols};
use crate::ast::Str;
use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};
use crate::program::{Ref, Template, TemplatePart};
use crate::source::Span;
use crate::text::did_you_mean;

pub fn compile(s: &Str, syms: &Symbols, problems: &mut Problems, reads: &mut Vec<Ref>) -> Template {
    let mut parts = Vec::new();
    let mut rest = s.text.as_str();
    // +1: the span starts at the opening quote.
    let mut offset = s.span.start as usize + 1;
    while let Some(open) = rest.find('{') {
        let Some(close_rel) = rest[open..].find('}') else {
            break;
        };
        let close = open + close_rel;
        if open > 0 {
            parts.push(TemplatePart::Text(rest[..open].to_string()));
        }
        let name = rest[open + 1..close].trim();
        let span = Span::new(s.span.file, offset + open, offset + close + 1);
        let r = match syms.get(name) {
            Some(Sym::Field(i)) => Some(Ref::Field(i)),
            Some(Sym::Param(i)) => Some(Ref::Param(i)),
            Some(Sym::Value(i)) => Some(Ref::Value(i)),
            Some(Sym::Criterion(i)) => Some(Ref::Criterion(i)),
            _ => None,
        };
        match r {
            Some(r) => {
                if !reads.contains(&r) {
                    reads.push(r);
                }
                parts.push(TemplatePart::Ref(r));
            }
            None => {
                let mut p = Problem::error(
                    Code::Placeholder,
                    format!("la frase menciona `{{{name}}}`, que no es un campo, parámetro, valor ni criterio"),
                )
                .label(span, "marcador desconocido");
                p = match did_you_mean(name, syms.names()) {
                    Some(c) => p.help(format!("¿Quiso decir `{{{c}}}`?")),
                    None => p.help("Entre llaves va el nombre de algo declarado, por ejemplo `{socios_total}`."),
                };
                problems.push(p);
            }
        }
        offset += close + 1;
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(TemplatePart::Text(rest.to_string()));
    }
    Template { parts }
}
