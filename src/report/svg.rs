//! Inline SVG charts (no scripts, no external resources). Every chart has a
//! `<title>` for screen readers, and the same numbers are always in a table
//! next to it. Labels go through [`super::escape::html`].

use std::fmt::Write;

use super::escape::html;
use super::Cuentas;
use crate::text::percent_text;

/// Colour of a met criterion / share.
pub const VERDE: &str = "#2e7d4f";
/// Not met.
pub const ROJO: &str = "#d9826b";
/// Undecided for lack of data.
pub const GRIS: &str = "#b8b8b8";
/// Not applicable / background track.
pub const FONDO: &str = "#ecebe6";
/// Rejected rows.
pub const MARRON: &str = "#6d4c41";

pub use crate::render::verdict::color_nivel;

/// One bar of a horizontal bar chart.
pub struct Barra<'a> {
    pub etiqueta: &'a str,
    pub valor: usize,
    pub color: &'a str,
}

/// Horizontal bars with their label on the left and the count on the right.
pub fn barras(titulo: &str, filas: &[Barra]) -> String {
    let max = filas.iter().map(|b| b.valor).max().unwrap_or(0).max(1);
    // Room for the longest label (about 7 units per character at 12.5px).
    let longest = filas
        .iter()
        .map(|b| b.etiqueta.chars().count())
        .max()
        .unwrap_or(0);
    let label_w = (longest as f64 * 7.2 + 12.0).clamp(170.0, 300.0);
    let (bar_w, row_h) = (380.0, 30.0);
    let h = row_h * filas.len() as f64 + 6.0;
    let w = label_w + bar_w + 60.0;
    let mut s = String::new();
    // The numbers in words too: what a screen reader reads, and what is
    // left when the drawing cannot be shown.
    let desc = filas
        .iter()
        .map(|b| format!("{}: {}", b.etiqueta, b.valor))
        .collect::<Vec<_>>()
        .join("; ");
    let _ = write!(
        s,
        r#"<svg class="grafico" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{t}: {d}"><title>{t}</title><desc>{d}</desc>"#,
        t = html(titulo),
        d = html(&desc)
    );
    for (i, b) in filas.iter().enumerate() {
        let y = i as f64 * row_h + 4.0;
        let bw = bar_w * b.valor as f64 / max as f64;
        let _ = write!(
            s,
            r#"<text x="{lx}" y="{ty}" text-anchor="end" class="eti">{e}</text><rect x="{label_w}" y="{y}" width="{bar_w}" height="20" rx="3" fill="{FONDO}"/><rect x="{label_w}" y="{y}" width="{bw:.1}" height="20" rx="3" fill="{c}"/><text x="{vx:.1}" y="{ty}" class="val">{v}</text>"#,
            lx = label_w - 8.0,
            ty = y + 15.0,
            e = html(b.etiqueta),
            c = b.color,
            vx = label_w + bw + 6.0,
            v = b.valor,
        );
    }
    s.push_str("</svg>");
    s
}

/// A thin stacked bar (for a table cell): segments of (count, colour, label).
pub fn apilada(segmentos: &[(usize, &str, &str)], ancho: f64) -> String {
    let total: usize = segmentos.iter().map(|s| s.0).sum();
    let title = segmentos
        .iter()
        .filter(|s| s.0 > 0)
        .map(|s| format!("{}: {}", s.2, s.0))
        .collect::<Vec<_>>()
        .join(", ");
    let mut s = format!(
        r#"<svg class="apilada" viewBox="0 0 {ancho} 14" width="{ancho}" height="14" role="img" aria-label="{t}"><title>{t}</title><rect width="{ancho}" height="14" rx="2" fill="{FONDO}"/>"#,
        t = html(&title)
    );
    if total > 0 {
        let mut x = 0.0;
        for (n, color, _) in segmentos {
            let w = ancho * *n as f64 / total as f64;
            if w > 0.0 {
                let _ = write!(
                    s,
                    r#"<rect x="{x:.2}" width="{w:.2}" height="14" fill="{color}"/>"#
                );
            }
            x += w;
        }
    }
    s.push_str("</svg>");
    s
}

/// A share from 0 to 100 as a small gauge, with its percent as the title.
pub fn medidor(p: Option<f64>, ancho: f64) -> String {
    let share = p.unwrap_or(0.0).clamp(0.0, 100.0);
    let t = match p {
        Some(p) => percent_text(p),
        None => "sin organizaciones a las que aplique".to_string(),
    };
    let color = if share >= 66.0 {
        VERDE
    } else if share >= 33.0 {
        "#e0a526"
    } else {
        ROJO
    };
    format!(
        r#"<svg class="medidor" viewBox="0 0 {ancho} 12" width="{ancho}" height="12" role="img" aria-label="{t}"><title>{t}</title><rect width="{ancho}" height="12" rx="2" fill="{FONDO}"/><rect width="{w:.1}" height="12" rx="2" fill="{color}"/></svg>"#,
        w = ancho * share / 100.0,
    )
}

/// An organization's criteria per group: one bar per group, met (green),
/// not met (terracotta) and undecided (grey) over the applicable criteria,
/// with the group's title above each bar.
pub fn grupos(titulo: &str, grupos: &[(&str, Cuentas)]) -> String {
    let (w, bar_w, row_h) = (560.0, 440.0, 42.0);
    let h = row_h * grupos.len() as f64 + 4.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="grafico perfil-grafico" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = html(titulo)
    );
    for (i, (name, g)) in grupos.iter().enumerate() {
        let y = i as f64 * row_h;
        let applicable = g.aplicables();
        let _ = write!(
            s,
            r#"<text x="0" y="{ty}" class="eti-grupo">{e}</text>"#,
            ty = y + 13.0,
            e = html(name)
        );
        let by = y + 18.0;
        let _ = write!(
            s,
            r#"<rect x="0" y="{by}" width="{bar_w}" height="16" rx="3" fill="{FONDO}"/>"#
        );
        if applicable > 0 {
            let mut x = 0.0;
            for (n, color) in [
                (g.cumplidos, VERDE),
                (g.no_cumplidos, ROJO),
                (g.sin_dato, GRIS),
            ] {
                let bw = bar_w * n as f64 / applicable as f64;
                if bw > 0.0 {
                    let _ = write!(
                        s,
                        r#"<rect x="{x:.1}" y="{by}" width="{bw:.1}" height="16" fill="{color}"/>"#
                    );
                }
                x += bw;
            }
            // Tick marks between criteria, so each one can be counted.
            for k in 1..applicable {
                let tx = bar_w * k as f64 / applicable as f64;
                let _ = write!(
                    s,
                    r##"<line x1="{tx:.1}" y1="{by}" x2="{tx:.1}" y2="{y2}" stroke="#fff" stroke-width="1"/>"##,
                    y2 = by + 16.0
                );
            }
        }
        let label = if applicable == 0 {
            "no aplica".to_string()
        } else if g.sin_dato > 0 {
            format!(
                "{} de {} ({} sin dato)",
                g.cumplidos, applicable, g.sin_dato
            )
        } else {
            format!("{} de {}", g.cumplidos, applicable)
        };
        let _ = write!(
            s,
            r#"<text x="{lx}" y="{ty}" class="val">{label}</text>"#,
            lx = bar_w + 8.0,
            ty = by + 12.5
        );
    }
    s.push_str("</svg>");
    s
}
