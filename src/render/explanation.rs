//! The text of `reglas explicar`: first the prose (why this level, from the
//! criteria's own sentences), then the structured trace. Both are read from
//! the same [`Resultado`], so they can never disagree.

use std::fmt::Write;

use crate::eval::{CriterioTraza, Dato, Explicacion, Fragilidad, Resultado, Tri};

fn mark(t: Tri, aplica: bool) -> &'static str {
    match (aplica, t) {
        (false, _) => "no aplica",
        (true, Tri::Yes) => "cumple",
        (true, Tri::No) => "NO cumple",
        (true, Tri::Unknown) => "sin decidir",
    }
}

fn datos(ds: &[Dato]) -> String {
    ds.iter()
        .map(|d| match &d.cambia {
            Some(c) => format!("{} = {} ({c})", d.nombre, d.texto),
            None => format!("{} = {}", d.nombre, d.texto),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// ", cambia cepac.reglas:441" for what a regional variant overrode.
fn changed(c: &Option<String>) -> String {
    match c {
        Some(place) => format!(", cambia {place}"),
        None => String::new(),
    }
}

fn section(s: &Option<String>) -> String {
    match s {
        Some(s) => format!("§{s}, "),
        None => String::new(),
    }
}

/// The full explanation of one organization.
pub fn explain(r: &Resultado) -> String {
    let mut o = String::new();
    let _ = write_explanation(&mut o, r);
    // Names and values come from the data: never terminal commands.
    super::terminal_safe(&o, true).into_owned()
}

fn write_explanation(o: &mut String, r: &Resultado) -> std::fmt::Result {
    write_heading(o, r)?;
    write_corrections(o, r)?;
    let Some(e) = &r.explicacion else {
        return Ok(());
    };
    match (&e.version, e.reglas.is_empty()) {
        (Some(v), false) => writeln!(o, "Reglas: {} (versión {v})", e.reglas)?,
        (None, false) => writeln!(o, "Reglas: {}", e.reglas)?,
        (Some(v), true) => writeln!(o, "Reglas: versión {v}")?,
        (None, true) => {}
    }
    write_levels(o, e)?;
    if let Some(g) = &r.le_falta {
        write_gap(o, e, g)?;
    }
    if let Some(f) = r.fragil.as_ref().filter(|f| f.is_fragile()) {
        write_fragile(o, r, f)?;
    }
    write_recommendations(o, r)?;
    write_trace(o, e)
}

/// The organization and the verdict in one sentence (the same as the
/// short view's), with the failures the level tolerates.
fn write_heading(o: &mut String, r: &Resultado) -> std::fmt::Result {
    writeln!(o, "{}", super::brief::organization(r))?;
    writeln!(o, "{}", super::brief::verdict(r))?;
    if let Some(t) = super::brief::tolerated(r) {
        writeln!(o, "{t}")?;
    }
    Ok(())
}

/// The data corrected from the corrections log before evaluating.
fn write_corrections(o: &mut String, r: &Resultado) -> std::fmt::Result {
    if r.correcciones.is_empty() {
        return Ok(());
    }
    writeln!(
        o,
        "Datos corregidos antes de evaluar (registro de correcciones):"
    )?;
    let show = |v: &str| {
        if v.is_empty() {
            "(vacío)".to_string()
        } else {
            v.to_string()
        }
    };
    for c in &r.correcciones {
        writeln!(
            o,
            "  - {}: {} → {} ({}; {})",
            c.campo,
            show(&c.valor_anterior),
            show(&c.valor_nuevo),
            if c.motivo.is_empty() {
                "sin motivo escrito"
            } else {
                &c.motivo
            },
            c.origen
        )?;
    }
    Ok(())
}

/// Each level tried, with its verdict and the criteria it counts.
fn write_levels(o: &mut String, e: &Explicacion) -> std::fmt::Result {
    writeln!(o, "\n¿Por qué este nivel?")?;
    writeln!(
        o,
        "Se prueban los niveles de mayor a menor; se asigna el primero cuya condición se cumple."
    )?;
    for (i, l) in e.niveles.iter().enumerate() {
        let verdict = match (l.resultado, l.en_otro_caso) {
            (Tri::Yes, true) => "se asigna porque ningún nivel anterior se cumple",
            (Tri::Unknown, true) => "no se puede asignar: un nivel anterior quedó sin decidir",
            (Tri::Yes, false) => "SE CUMPLE",
            (Tri::No, _) => "no se cumple",
            (Tri::Unknown, false) => "SIN DECIDIR por falta de datos",
        };
        writeln!(
            o,
            "\n{}. {} — {} ({}{}{})",
            i + 1,
            l.id,
            l.titulo,
            section(&l.seccion),
            l.lugar,
            changed(&l.cambia)
        )?;
        writeln!(o, "   {verdict}.")?;
        if !l.en_otro_caso {
            writeln!(o, "   Condición: {}", l.condicion)?;
        }
        if !l.datos.is_empty() {
            writeln!(o, "   Lee: {}", datos(&l.datos))?;
        }
        for cid in &l.criterios {
            if let Some(c) = e.criterios.iter().find(|c| &c.id == cid) {
                write_criterion_line(o, c)?;
            }
        }
        if !l.tolerados.is_empty() {
            let titles: Vec<String> = l
                .tolerados
                .iter()
                .map(|id| match e.criterios.iter().find(|c| &c.id == id) {
                    Some(c) => format!("{} ({id})", c.titulo),
                    None => id.clone(),
                })
                .collect();
            writeln!(
                o,
                "   Se tolera: {} (no se cumple, pero el nivel lo admite).",
                titles.join("; ")
            )?;
        }
    }
    Ok(())
}

fn write_fragile(o: &mut String, r: &Resultado, f: &Fragilidad) -> std::fmt::Result {
    let e = r.explicacion.as_ref();
    let titled = |ids: &[String]| -> String {
        ids.iter()
            .map(
                |id| match e.and_then(|e| e.criterios.iter().find(|c| &c.id == id)) {
                    Some(c) => format!("{} ({id})", c.titulo),
                    None => id.clone(),
                },
            )
            .collect::<Vec<_>>()
            .join("; ")
    };
    writeln!(o, "\nResultado frágil")?;
    if f.sube {
        writeln!(
            o,
            "  - Le falta un solo cambio para subir al nivel {}.",
            r.siguiente_nivel
                .as_deref()
                .map(|n| titled_level(e, n))
                .unwrap_or_else(|| "superior".to_string())
        )?;
    }
    if !f.baja.is_empty() {
        writeln!(
            o,
            "  - Bajaría de nivel si dejara de cumplir cualquiera de: {}.",
            titled(&f.baja)
        )?;
    }
    for c in &f.cambios {
        let nivel = match c.nivel.as_deref() {
            Some("") => ", y el nivel no se podría decidir".to_string(),
            Some(n) => format!(", y el nivel sería {n}"),
            None => String::new(),
        };
        writeln!(
            o,
            "  - Con {} = {} (ahora {}) cambiaría {}{nivel}.",
            c.campo,
            c.seria,
            c.ahora,
            titled(&c.criterios)
        )?;
    }
    Ok(())
}

fn write_recommendations(o: &mut String, r: &Resultado) -> std::fmt::Result {
    writeln!(o, "\nRecomendaciones")?;
    if r.recomendaciones.is_empty() {
        writeln!(o, "  (ninguna)")?;
    }
    for rec in &r.recomendaciones {
        let lugar = if rec.lugar.is_empty() {
            String::new()
        } else {
            format!("; {}", rec.lugar)
        };
        writeln!(
            o,
            "  - {} ({}{}{lugar})",
            rec.texto,
            section(&rec.seccion),
            rec.motivo,
        )?;
    }
    Ok(())
}

/// Every group, value and criterion, as evaluated.
fn write_trace(o: &mut String, e: &Explicacion) -> std::fmt::Result {
    writeln!(o, "\nTraza completa")?;
    for g in &e.grupos {
        writeln!(
            o,
            "  grupo {} — {}: cumplen {}, no cumplen {}, sin decidir {}, no aplican {}",
            g.id, g.titulo, g.cumplidos, g.no_cumplidos, g.sin_dato, g.no_aplican
        )?;
    }
    for v in &e.valores {
        match &v.motivo {
            Some(m) => writeln!(o, "  valor {} = {} ({m})", v.nombre, v.texto)?,
            None => writeln!(o, "  valor {} = {}", v.nombre, v.texto)?,
        }
    }
    for c in &e.criterios {
        write_trace_criterion(o, c)?;
    }
    Ok(())
}

fn write_trace_criterion(o: &mut String, c: &CriterioTraza) -> std::fmt::Result {
    writeln!(
        o,
        "  criterio {} [{}] ({}{}{}{}): {}",
        c.id,
        mark(c.resultado, c.aplica),
        section(&c.seccion),
        c.grupo
            .as_ref()
            .map(|g| format!("grupo {g}, "))
            .unwrap_or_default(),
        c.lugar,
        changed(&c.cambia),
        c.titulo
    )?;
    writeln!(o, "      condición: {}", c.condicion)?;
    if !c.datos.is_empty() {
        writeln!(o, "      datos: {}", datos(&c.datos))?;
    }
    if let Some(p) = &c.politica_sin_dato {
        writeln!(o, "      sin dato → {p}")?;
    }
    Ok(())
}

/// `consolidada («Organización consolidada»)`: a level's id with its title.
fn titled_level(e: Option<&Explicacion>, id: &str) -> String {
    match e.and_then(|e| e.niveles.iter().find(|l| l.id == id)) {
        Some(l) => format!("{id} («{}»)", l.titulo),
        None => id.to_string(),
    }
}

fn write_gap(o: &mut String, e: &Explicacion, g: &crate::eval::LeFalta) -> std::fmt::Result {
    let plural = if g.minimo == 1 { "cambio" } else { "cambios" };
    writeln!(
        o,
        "\n¿Qué le falta para el nivel {}? (al menos {} {plural})",
        titled_level(Some(e), &g.nivel),
        g.minimo
    )?;
    let pend = |p: &crate::eval::Pendiente| {
        let state = if p.resultado == Tri::Unknown {
            "sin dato: completar primero"
        } else {
            "no cumple"
        };
        let d = datos(&p.datos);
        if d.is_empty() {
            format!("{} — {} ({state})", p.id, p.titulo)
        } else {
            format!("{} — {} ({state}; {d})", p.id, p.titulo)
        }
    };
    for p in &g.criterios {
        writeln!(o, "  - Cumplir {}", pend(p))?;
    }
    for e in &g.alternativas {
        writeln!(
            o,
            "  - Cumplir {} de estos {}:",
            e.cuantos,
            e.opciones.len()
        )?;
        for p in &e.opciones {
            writeln!(o, "      · {}", pend(p))?;
        }
    }
    for c in &g.condiciones {
        writeln!(o, "  - Que se cumpla {c}")?;
    }
    if !g.recomendaciones.is_empty() {
        writeln!(
            o,
            "  Recomendaciones para esos criterios: {}.",
            g.recomendaciones.join(", ")
        )?;
    }
    Ok(())
}

fn write_criterion_line(o: &mut String, c: &CriterioTraza) -> std::fmt::Result {
    let detail = match (&c.frase, &c.politica_sin_dato) {
        (_, Some(p)) => p.clone(),
        (Some(f), None) => f.clone(),
        (None, None) => datos(&c.datos),
    };
    writeln!(
        o,
        "   - [{}] {} ({}{}): {}",
        mark(c.resultado, c.aplica),
        c.titulo,
        c.lugar,
        changed(&c.cambia),
        detail
    )
}
