//! One organization's profile in the `reglas informe` page: its level, why,
//! what it lacks for the next one and its recommendations.

use std::fmt::Write;

use super::super::aggregate::Agregado;
use super::super::svg;
use super::super::{titulo_desglose, PasoNivel, Perfil};
use super::{e, insignia, marcas};
use crate::eval::Tri;
use crate::render::verdict;
use crate::text::plural;

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
    // recommendations, then every criterion's result in a dense table. On
    // paper that is all (about a page): the chart and the steps down the
    // ladder are for the screen.
    encabezado(b, a, p, i);
    le_falta(b, p);
    recomendaciones(b, a, p);
    tabla_criterios(b, a, p);
    b.push_str(
        "<div class=\"cols solo-pantalla\">\n<div>\n<h4>Criterios cumplidos por dimensión</h4>\n",
    );
    grupos(b, a, p);
    b.push_str("</div>\n<div>\n<h4>¿Por qué este nivel?</h4>\n<ol class=\"pasos\">\n");
    por_que(b, a, p);
    b.push_str("</div>\n</div>\n");
    sostienen(b, a, p);
    b.push_str("</article>\n");
}

/// Every criterion's result, a row per dimension with how many it meets:
/// the whole evaluation at a glance, and what a printed profile keeps of
/// the detail.
fn tabla_criterios(b: &mut String, a: &Agregado, p: &Perfil) {
    if p.resultados.is_empty() {
        return;
    }
    let mut filas: Vec<(Option<&str>, &str)> = a
        .grupos
        .iter()
        .map(|g| (Some(g.id.as_str()), g.titulo.as_str()))
        .collect();
    if a.criterios.iter().any(|c| c.grupo.is_none()) {
        filas.push((None, "Sin grupo"));
    }
    let sostienen = p.sostienen();
    let margen = p.margen();
    // The legend beside the heading, where a line has room for it.
    b.push_str("<div class=\"titulo-tabla\"><h4>Resultado de cada criterio</h4>\n<p class=\"leyenda\">✓ cumple · ✗ no cumple · ? sin dato · – no se aplica");
    if !sostienen.is_empty() {
        b.push_str(
            " · <span class=\"sost\">subrayado</span>: lo sostiene (bajaría de nivel sin él)",
        );
    }
    if !margen.is_empty() {
        b.push_str(" · <b>±1</b>: cambiaría con una respuesta una unidad más alta o más baja");
    }
    b.push_str("</p></div>\n<table class=\"cada-criterio\">\n");
    for (grupo, titulo) in filas {
        let mut cumple = 0;
        let mut aplican = 0;
        let mut celdas = String::new();
        let of_group = a
            .criterios
            .iter()
            .zip(&p.resultados)
            .filter(|(c, _)| c.grupo.as_deref() == grupo);
        for (c, o) in of_group {
            let (class, mark, word) = match (o.aplica, o.resultado) {
                (false, _) => ("na", "–", "no se aplica"),
                (true, Tri::Yes) => ("si", "✓", "cumple"),
                (true, Tri::No) => ("no", "✗", "no cumple"),
                (true, Tri::Unknown) => ("sd", "?", "sin dato"),
            };
            aplican += usize::from(o.aplica);
            cumple += usize::from(o.aplica && o.resultado == Tri::Yes);
            let holds = if sostienen.contains(&c.id) {
                " sost"
            } else {
                ""
            };
            let narrow = if margen.contains(&c.id) {
                "\u{a0}<b>±1</b>"
            } else {
                ""
            };
            let _ = write!(
                celdas,
                "<span class=\"c {class}{holds}\" title=\"{word}\">{mark}\u{a0}{}{narrow}</span> ",
                e(&c.titulo)
            );
        }
        let _ = writeln!(
            b,
            "<tr><th>{} <small>{cumple}\u{a0}de\u{a0}{aplican}</small></th><td>{}</td></tr>",
            e(titulo),
            celdas.trim_end()
        );
    }
    b.push_str("</table>\n");
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

/// The steps down the ladder.
fn por_que(b: &mut String, a: &Agregado, p: &Perfil) {
    for (k, s) in p.por_que.iter().enumerate() {
        paso(b, a, p, s, p.detalla(k));
    }
    b.push_str("</ol>\n");
}

/// What holds the level and what was decided by a narrow margin (on
/// paper, the marks in the table of each criterion say it).
fn sostienen(b: &mut String, a: &Agregado, p: &Perfil) {
    if !p.sostienen().is_empty() {
        let _ = writeln!(
            b,
            "<p class=\"solo-pantalla\">Lo sostienen (bajaría de nivel sin cualquiera de ellos): {}.</p>",
            titulos(a, p.sostienen())
        );
    }
    if !p.margen().is_empty() {
        let _ = writeln!(
            b,
            "<p class=\"solo-pantalla\">Cambiarían con una respuesta una unidad más alta o más baja: {}.</p>",
            titulos(a, p.margen())
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
/// rest on screen (paper says how many more there are, and where).
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
            let more = p.recomendaciones.len() - first;
            let _ = writeln!(
                b,
                "</ol>\n<p class=\"solo-impresa\">Y {} en la página del informe (HTML) y en <code>reglas explicar</code>.</p>\n<div class=\"solo-pantalla\">\n<p>Otras {more} recomendaciones:</p>\n<ul>",
                plural(more, "recomendación más", "recomendaciones más")
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
        "</ul>\n</div>\n"
    } else {
        "</ol>\n"
    });
}
