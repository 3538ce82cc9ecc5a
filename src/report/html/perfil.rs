//! One organization's profile in the `reglas informe` page: its level, why,
//! what it lacks for the next one and its recommendations.

use std::fmt::Write;

use super::super::aggregate::Agregado;
use super::super::svg;
use super::super::{titulo_desglose, PasoNivel, Perfil};
use super::{e, insignia, marcas};
use crate::eval::Tri;
use crate::render::verdict;

/// Criteria by title: "Liderazgo femenino; Excedentes estables".
fn titulos(a: &Agregado, ids: &[String]) -> String {
    ids.iter()
        .map(|s| e(a.titulo_criterio(s)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn paso(b: &mut String, a: &Agregado, p: &Perfil, s: &PasoNivel, detail: bool) {
    let assigned = p.nivel.as_deref() == Some(s.id.as_str());
    let verdict = verdict::level_step(
        s.resultado,
        s.en_otro_caso,
        s.cumplidos,
        s.aplicables,
        |w| format!("<b>{w}</b>"),
    );
    let _ = write!(b, "<li>{} {verdict}.", insignia(a, Some(&s.id)));
    if detail && !s.pendientes.is_empty() && p.compacto(s) {
        let titles = s
            .pendientes
            .iter()
            .map(|m| e(a.titulo_criterio(&m.id)))
            .collect::<Vec<_>>()
            .join("; ");
        let _ = write!(
            b,
            " {}: {titles} (vea qué le falta, arriba).",
            s.encabezado_pendientes()
        );
    } else if detail && !s.pendientes.is_empty() {
        let intro = if assigned {
            format!(
                "{}, dentro de lo que el nivel tolera:",
                s.encabezado_pendientes()
            )
        } else {
            format!("{}:", s.encabezado_pendientes())
        };
        let _ = write!(b, " {intro}<ul>");
        for m in &s.pendientes {
            let class = if m.resultado == Tri::Unknown {
                " class=\"pendiente-sd\""
            } else {
                ""
            };
            let mark = if m.resultado == Tri::Unknown {
                "sin decidir"
            } else {
                "no"
            };
            let _ = write!(
                b,
                "<li{class}><b>{}</b> [{mark}]: {}</li>",
                e(a.titulo_criterio(&m.id)),
                e(m.frase.as_deref().unwrap_or(""))
            );
        }
        b.push_str("</ul>");
    }
    b.push_str("</li>\n");
}

pub(super) fn perfil(b: &mut String, a: &Agregado, p: &Perfil, i: usize) {
    // Verdict first, as in `reglas explicar`: what it lacks and the first
    // recommendations, then the detail (groups and each level tried).
    encabezado(b, a, p, i);
    le_falta(b, p);
    recomendaciones(b, a, p);
    b.push_str("<div class=\"cols\">\n<div>\n<h4>Criterios cumplidos por dimensión</h4>\n");
    grupos(b, a, p);
    b.push_str("</div>\n<div>\n<h4>¿Por qué este nivel?</h4>\n<ol class=\"pasos\">\n");
    por_que(b, a, p);
    b.push_str("</div>\n</div>\n");
    b.push_str("</article>\n");
}

/// The heading with the level and its marks, the labels and the verdict
/// in one sentence (a provisional one stands out).
fn encabezado(b: &mut String, a: &Agregado, p: &Perfil, i: usize) {
    let (prov, fragil) = marcas(p);
    let _ = writeln!(
        b,
        "<article class=\"perfil\" id=\"org-{i}\">\n<header><h3>{} — {}</h3>{}{prov}{fragil}</header>",
        e(&p.quien()),
        e(p.nombre.as_deref().unwrap_or("(sin nombre)")),
        insignia(a, p.nivel.as_deref())
    );
    let _ = writeln!(b, "<p class=\"etiquetas\">{}</p>", etiquetas(p).join(" · "));
    let class = if p.provisional || p.nivel.is_none() {
        "veredicto aviso"
    } else {
        "veredicto"
    };
    let _ = writeln!(b, "<p class=\"{class}\">{}</p>", e(&p.resumen.veredicto));
    if let Some(t) = &p.resumen.tolerados {
        let _ = writeln!(b, "<p>{}</p>", e(t));
    }
}

/// `Title: value` for each breakdown field, then the row number.
fn etiquetas(p: &Perfil) -> Vec<String> {
    let mut labels: Vec<String> = p
        .etiquetas
        .iter()
        .map(|t| {
            format!(
                "{}: {}",
                e(titulo_desglose(&t.campo)),
                t.valor
                    .as_deref()
                    .map(e)
                    .unwrap_or_else(|| "sin dato".into())
            )
        })
        .collect();
    labels.push(format!("fila {}", p.fila));
    labels
}

/// The criteria met per group, as a chart with its legend.
fn grupos(b: &mut String, a: &Agregado, p: &Perfil) {
    let grupos: Vec<(&str, super::super::Cuentas)> = a
        .grupos
        .iter()
        .map(|g| g.titulo.as_str())
        .zip(p.grupos.iter().copied())
        .collect();
    b.push_str(&svg::grupos(
        &format!("Criterios cumplidos por dimensión: {}", p.quien()),
        &grupos,
    ));
    let _ = writeln!(
        b,
        "<p class=\"leyenda\"><i style=\"background:{}\"></i>cumple<i style=\"background:{}\"></i>no cumple<i style=\"background:{}\"></i>sin dato</p>",
        svg::VERDE,
        svg::ROJO,
        svg::GRIS
    );
}

/// The steps down the ladder, then what holds the level and what was
/// decided by a narrow margin.
fn por_que(b: &mut String, a: &Agregado, p: &Perfil) {
    for (k, s) in p.por_que.iter().enumerate() {
        paso(b, a, p, s, p.detalla(k));
    }
    b.push_str("</ol>\n");
    if !p.sostienen().is_empty() {
        let _ = writeln!(
            b,
            "<p>Lo sostienen (bajaría de nivel sin cualquiera de ellos): {}.</p>",
            titulos(a, p.sostienen())
        );
    }
    if let Some(f) = p.fragil.as_ref().filter(|f| !f.margen.is_empty()) {
        let _ = writeln!(
            b,
            "<p>Cambiarían con una respuesta una unidad más alta o más baja: {}.</p>",
            titulos(a, &f.margen)
        );
    }
}

/// What the organization lacks for the next level (titles, the value it
/// has and the one needed), and the single answers that would change it.
fn le_falta(b: &mut String, p: &Perfil) {
    let r = &p.resumen;
    if let Some(next) = &r.siguiente {
        let _ = writeln!(b, "<h4>Qué le falta para {}</h4>\n<ul>", e(next));
        for f in &r.le_falta {
            if f.opciones.is_empty() {
                let _ = writeln!(b, "<li>{}</li>", e(&f.texto));
                continue;
            }
            let class = if f.opciones.len() > 3 {
                " class=\"alternativas\""
            } else {
                ""
            };
            let _ = write!(b, "<li>{}<ul{class}>", e(&f.texto));
            for o in &f.opciones {
                let _ = write!(b, "<li>{}</li>", e(o));
            }
            b.push_str("</ul></li>\n");
        }
        b.push_str("</ul>\n");
    }
    if !r.fragil.is_empty() {
        b.push_str("<p>Resultado frágil (una sola respuesta lo cambia):</p>\n<ul>\n");
        for f in &r.fragil {
            let _ = writeln!(b, "<li>{}</li>", e(f));
        }
        b.push_str("</ul>\n");
    }
}

/// The recommendations by priority: the first ones numbered, then the
/// rest (all of them shown: a printed report cannot unfold anything).
fn recomendaciones(b: &mut String, a: &Agregado, p: &Perfil) {
    b.push_str("<h4>Recomendaciones</h4>\n");
    if p.recomendaciones.is_empty() {
        b.push_str("<p class=\"vacio\">Ninguna.</p>\n");
        return;
    }
    let first = crate::render::brief::TOP_RECOMMENDATIONS;
    b.push_str("<ol>\n");
    for (k, r) in p
        .recomendaciones
        .iter()
        .filter_map(|&i| a.recomendaciones.get(i as usize))
        .enumerate()
    {
        if k == first {
            let _ = writeln!(
                b,
                "</ol>\n<p>Otras {} recomendaciones:</p>\n<ul>",
                p.recomendaciones.len() - first
            );
        }
        let sec = r
            .seccion
            .as_deref()
            .map(|s| format!("§{}, ", e(s)))
            .unwrap_or_default();
        let _ = writeln!(
            b,
            "<li>{} <span class=\"etiquetas\">({sec}{})</span></li>",
            e(&r.texto),
            e(&r.motivo())
        );
    }
    b.push_str(if p.recomendaciones.len() > first {
        "</ul>\n"
    } else {
        "</ol>\n"
    });
}
