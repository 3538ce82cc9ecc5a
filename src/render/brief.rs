//! The explanation an analyst reads first: the verdict in one sentence,
//! what the organization lacks for the next level, the first
//! recommendations and where to look for more. Built as data from a result
//! with its full trace ([`brief`]), so the terminal ([`brief_text`]), the
//! HTML and Markdown profiles and a web page all say the same thing.

use serde::Serialize;

use crate::eval::{CriterioTraza, Dato, Explicacion, Pendiente, Resultado, Tri};
use crate::text::{plural, spanish_list};

/// How many recommendations the short view lists; the rest are counted.
pub const TOP_RECOMMENDATIONS: usize = 5;

/// How many things it lacks the terminal lists (a profile lists them all).
const TOP_LACKS: usize = 8;

/// The short explanation of one organization.
#[derive(Debug, Clone, Serialize)]
pub struct Brief {
    /// "Organización AMB-001 — Nombre (fila 2)".
    pub organizacion: String,
    /// The verdict in one sentence: the level (by title), whether it is
    /// provisional, and why.
    pub veredicto: String,
    /// Failures the level tolerates: "Se tolera: …".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerados: Option<String>,
    /// The title of the next level up, when there is one to aim at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub siguiente: Option<String>,
    /// What it lacks for `siguiente`.
    pub le_falta: Vec<Falta>,
    /// Answers that, changed by one unit, would move it to another level.
    pub fragil: Vec<String>,
    /// The first recommendations, by priority (their text).
    pub recomendaciones: Vec<String>,
    /// How many more there are beyond those.
    pub mas_recomendaciones: usize,
}

/// One thing the next level needs: a criterion (its title, the value it has
/// and the value needed), or a choice among several.
#[derive(Debug, Clone, Serialize)]
pub struct Falta {
    pub texto: String,
    /// For "cumplir N de estos": the options, each like `texto`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub opciones: Vec<String>,
}

/// A result with its short explanation, for `reglas explicar --formato
/// json`: every key of the result, and `resumen` with what the text says
/// first (so a program shows the same as the terminal).
#[derive(Debug, Clone, Serialize)]
pub struct WithBrief<'a> {
    #[serde(flatten)]
    pub resultado: &'a Resultado,
    pub resumen: Brief,
}

impl<'a> WithBrief<'a> {
    pub fn new(r: &'a Resultado) -> WithBrief<'a> {
        WithBrief {
            resultado: r,
            resumen: brief(r),
        }
    }
}

/// The short explanation of `r` (evaluated with its full trace; without
/// it, only the verdict and the recommendations).
pub fn brief(r: &Resultado) -> Brief {
    let e = r.explicacion.as_ref();
    let siguiente = r
        .le_falta
        .as_ref()
        .map(|g| level_name(e, &g.nivel).to_string());
    let le_falta = r
        .le_falta
        .as_ref()
        .map(|g| {
            let mut out: Vec<Falta> = g
                .criterios
                .iter()
                .map(|p| Falta {
                    texto: pending(e, p),
                    opciones: Vec::new(),
                })
                .collect();
            out.extend(g.alternativas.iter().map(|a| Falta {
                texto: format!("Cumplir {} de estos {}:", a.cuantos, a.opciones.len()),
                opciones: a.opciones.iter().map(|p| pending(e, p)).collect(),
            }));
            out.extend(g.condiciones.iter().map(|c| Falta {
                texto: format!("Que se cumpla {c}."),
                opciones: Vec::new(),
            }));
            out
        })
        .unwrap_or_default();
    let recomendaciones: Vec<String> = r
        .recomendaciones
        .iter()
        .take(TOP_RECOMMENDATIONS)
        .map(|x| {
            if x.texto.is_empty() {
                x.id.clone()
            } else {
                x.texto.clone()
            }
        })
        .collect();
    Brief {
        organizacion: organization(r),
        veredicto: verdict(r),
        tolerados: tolerated(r),
        siguiente,
        le_falta,
        fragil: fragile(r),
        mas_recomendaciones: r.recomendaciones.len().saturating_sub(TOP_RECOMMENDATIONS),
        recomendaciones,
    }
}

/// "Organización AMB-001 — Nombre (fila 2)".
pub fn organization(r: &Resultado) -> String {
    let codigo = r.codigo.as_deref().unwrap_or("?");
    match &r.nombre {
        Some(n) => format!("Organización {codigo} — {n} (fila {})", r.fila),
        None => format!("Organización {codigo} (fila {})", r.fila),
    }
}

/// «Título» of a level, from the trace (the id when there is no trace).
fn level_title(e: Option<&Explicacion>, id: &str) -> String {
    format!("«{}»", level_name(e, id))
}

/// A level's title, from the trace (the id when there is no trace).
fn level_name<'a>(e: Option<&'a Explicacion>, id: &'a str) -> &'a str {
    e.and_then(|e| e.niveles.iter().find(|l| l.id == id))
        .map_or(id, |l| l.titulo.as_str())
}

/// The verdict in one sentence.
pub fn verdict(r: &Resultado) -> String {
    let e = r.explicacion.as_ref();
    if !r.revisar_datos.is_empty() {
        return format!(
            "No se asigna nivel: revisar datos. {}",
            r.revisar_datos.join(" ")
        );
    }
    let higher: Vec<String> = r
        .posibles
        .iter()
        .filter(|p| Some(p.as_str()) != r.nivel.as_deref())
        .map(|p| level_title(e, p))
        .collect();
    let nivel = r.nivel.as_deref().map(|n| level_title(e, n));
    let could_be = spanish_list(&higher, "o");
    let start = match (nivel, r.provisional) {
        (Some(n), false) => return format!("Nivel {n}: {}.", why_level(r)),
        (Some(n), true) => format!("Provisional: es al menos {n}; podría ser {could_be}"),
        (None, _) => format!("No se puede decidir el nivel: podría ser {could_be}"),
    };
    if r.faltan.is_empty() {
        // Undecided without a blank answer: a value that cannot be
        // computed, or a group where no criterion applies.
        return format!("{start}. {}", undecided_reasons(e));
    }
    let named: Vec<String> = r.faltan.iter().map(|f| field_named(e, f)).collect();
    format!(
        "{start} si las respuestas que faltan lo confirman. Faltan estos datos: {}.",
        spanish_list(&named, "y")
    )
}

/// Why the level holds and the next one up does not, in words.
fn why_level(r: &Resultado) -> String {
    let e = r.explicacion.as_ref();
    let assigned = e.and_then(|e| {
        e.niveles
            .iter()
            .find(|l| Some(l.id.as_str()) == r.nivel.as_deref())
    });
    let holds = match assigned {
        Some(l) if l.en_otro_caso => "no cumple lo que piden los niveles superiores".to_string(),
        Some(l) => {
            let met = l
                .criterios
                .iter()
                .filter(|c| {
                    e.and_then(|e| e.criterios.iter().find(|x| &x.id == *c))
                        .is_some_and(|x| x.aplica && x.resultado == Tri::Yes)
                })
                .count();
            let counted = l
                .criterios
                .iter()
                .filter(|c| {
                    e.and_then(|e| e.criterios.iter().find(|x| &x.id == *c))
                        .is_none_or(|x| x.aplica)
                })
                .count();
            format!("cumple lo que pide este nivel ({met} de {counted} criterios)")
        }
        None => "es el nivel que se asigna".to_string(),
    };
    match (&r.le_falta, assigned.is_some_and(|l| l.en_otro_caso)) {
        (Some(g), false) => format!(
            "{holds}, pero no llega a {} porque le {} {}",
            level_title(e, &g.nivel),
            if g.minimo == 1 { "falta" } else { "faltan" },
            plural(g.minimo, "cambio", "cambios")
        ),
        (Some(g), true) => format!(
            "{holds}; para llegar a {} le {} {}",
            level_title(e, &g.nivel),
            if g.minimo == 1 { "falta" } else { "faltan" },
            plural(g.minimo, "cambio", "cambios")
        ),
        (None, _) => holds,
    }
}

/// Why criteria stay undecided when no answer is missing, grouped by
/// reason: "Sin decidir: «a» y «b» (no se puede calcular: …)."
fn undecided_reasons(e: Option<&Explicacion>) -> String {
    let mut by_reason: Vec<(String, Vec<String>)> = Vec::new();
    for c in e
        .into_iter()
        .flat_map(|e| e.criterios.iter())
        .filter(|c| c.resultado == Tri::Unknown)
    {
        let Some(p) = &c.politica_sin_dato else {
            continue;
        };
        let why = p.trim_start_matches("sin decidir: ").to_string();
        let title = format!("«{}»", c.titulo);
        match by_reason.iter_mut().find(|(w, _)| *w == why) {
            Some((_, titles)) => titles.push(title),
            None => by_reason.push((why, vec![title])),
        }
    }
    if by_reason.is_empty() {
        return "Un nivel superior quedó sin decidir.".to_string();
    }
    let parts: Vec<String> = by_reason
        .iter()
        .map(|(why, titles)| format!("{} ({why})", spanish_list(titles, "y")))
        .collect();
    format!("Sin decidir: {}.", parts.join("; "))
}

/// A field by name with its survey question, from the trace.
fn field_named(e: Option<&Explicacion>, name: &str) -> String {
    let question = e.and_then(|e| {
        e.criterios
            .iter()
            .flat_map(|c| c.datos.iter())
            .chain(e.niveles.iter().flat_map(|l| l.datos.iter()))
            .find(|d| d.nombre == name && d.clase == "campo")
            .and_then(|d| d.pregunta.clone())
    });
    crate::eval::field_with_question(name, question.as_deref())
}

/// "Se tolera: «Título» (no se cumple, pero el nivel lo admite)."
pub fn tolerated(r: &Resultado) -> Option<String> {
    let e = r.explicacion.as_ref()?;
    let level = e
        .niveles
        .iter()
        .find(|l| Some(l.id.as_str()) == r.nivel.as_deref())?;
    if level.tolerados.is_empty() {
        return None;
    }
    let titles: Vec<String> = level
        .tolerados
        .iter()
        .map(|id| match e.criterios.iter().find(|c| &c.id == id) {
            Some(c) => format!("«{}»", c.titulo),
            None => format!("`{id}`"),
        })
        .collect();
    let (verb, pronoun) = if titles.len() == 1 {
        ("no se cumple", "lo")
    } else {
        ("no se cumplen", "los")
    };
    Some(format!(
        "Se tolera: {} ({verb}, pero el nivel {pronoun} admite).",
        spanish_list(&titles, "y")
    ))
}

/// A pending criterion: its title, then its own sentence (the value it has
/// and the one needed) or, without one, its data and its condition.
fn pending(e: Option<&Explicacion>, p: &Pendiente) -> String {
    let title = if p.titulo.is_empty() {
        p.id.as_str()
    } else {
        p.titulo.as_str()
    };
    let trace = e.and_then(|e| e.criterios.iter().find(|c| c.id == p.id));
    format!(
        "{title}: {}",
        criterion_detail(p.resultado, trace, &p.datos)
    )
}

fn criterion_detail(result: Tri, c: Option<&CriterioTraza>, datos: &[Dato]) -> String {
    if result == Tri::Unknown {
        let why = c
            .and_then(|c| c.politica_sin_dato.as_deref())
            .map(|p| p.trim_start_matches("sin decidir: ").to_string())
            .unwrap_or_else(|| "faltan datos".to_string());
        return format!("sin decidir porque {why}; complete ese dato primero.");
    }
    if let Some(f) = c.and_then(|c| c.frase.as_ref()) {
        return f.clone();
    }
    if let Some(p) = c.and_then(|c| c.politica_sin_dato.as_ref()) {
        return format!("{p}.");
    }
    let tiene: Vec<String> = datos
        .iter()
        .map(|d| format!("{} = {}", d.nombre, d.texto))
        .collect();
    match c {
        Some(c) if tiene.is_empty() => format!("se necesita que {}.", c.condicion),
        Some(c) => format!(
            "tiene {}; se necesita que {}.",
            tiene.join(", "),
            c.condicion
        ),
        None => tiene.join(", "),
    }
}

/// The answers that, changed by one unit, would move it to another level.
fn fragile(r: &Resultado) -> Vec<String> {
    let Some(f) = &r.fragil else {
        return Vec::new();
    };
    let e = r.explicacion.as_ref();
    f.cambios
        .iter()
        .filter_map(|c| {
            let nivel = c.nivel.as_deref()?;
            let to = match &c.nivel_titulo {
                _ if nivel.is_empty() => "el nivel no se podría decidir".to_string(),
                Some(t) => format!("sería «{t}»"),
                None => format!("sería {}", level_title(e, nivel)),
            };
            let criterios: Vec<String> = c
                .criterios
                .iter()
                .map(|id| {
                    e.and_then(|e| e.criterios.iter().find(|x| &x.id == id))
                        .map(|x| format!("«{}»", x.titulo))
                        .unwrap_or_else(|| format!("`{id}`"))
                })
                .collect();
            Some(format!(
                "Con {} = {} (ahora {}), {to}: cambiaría {}.",
                field_named(e, &c.campo),
                c.seria,
                c.ahora,
                spanish_list(&criterios, "y")
            ))
        })
        .collect()
}

/// The short explanation as text for the terminal. `more` says where to see
/// the whole explanation (the command, a link), one line each.
pub fn brief_text(b: &Brief, more: &[String]) -> String {
    let mut o = String::new();
    let mut line = |s: &str| {
        o.push_str(s);
        o.push('\n');
    };
    line(&b.organizacion);
    line(&b.veredicto);
    if let Some(t) = &b.tolerados {
        line(t);
    }
    if let Some(next) = &b.siguiente {
        line("");
        line(&format!("Qué le falta para «{next}»:"));
        for f in b.le_falta.iter().take(TOP_LACKS) {
            line(&format!("  - {}", f.texto));
            for opt in &f.opciones {
                line(&format!("      · {opt}"));
            }
        }
        if b.le_falta.len() > TOP_LACKS {
            line(&format!(
                "  … y {} más en el detalle completo.",
                b.le_falta.len() - TOP_LACKS
            ));
        }
    }
    if !b.fragil.is_empty() {
        line("");
        line("Resultado frágil (una sola respuesta lo cambia):");
        for f in &b.fragil {
            line(&format!("  - {f}"));
        }
    }
    line("");
    let total = b.recomendaciones.len() + b.mas_recomendaciones;
    if total == 0 {
        line("Recomendaciones: ninguna.");
    } else if b.mas_recomendaciones == 0 {
        line("Recomendaciones, por prioridad:");
    } else {
        line(&format!(
            "Recomendaciones, por prioridad (las {} primeras de {total}):",
            b.recomendaciones.len()
        ));
    }
    for (i, r) in b.recomendaciones.iter().enumerate() {
        line(&format!("  {}. {r}", i + 1));
    }
    if b.mas_recomendaciones > 0 {
        line(&format!(
            "  … y {} más en el detalle completo.",
            b.mas_recomendaciones
        ));
    }
    if !more.is_empty() {
        line("");
        line("Para ver más:");
        for m in more {
            line(&format!("  {m}"));
        }
    }
    super::terminal_safe(&o, true).into_owned()
}
