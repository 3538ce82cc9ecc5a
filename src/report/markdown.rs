//! `reglas informe --formato md`: one Markdown profile per organization,
//! for pasting into project reports. Text from the data is escaped.

use std::fmt::Write as _;
use std::io;

use super::aggregate::Agregado;
use super::escape::md;
use super::{titulo_desglose, Informe, PasoNivel, Perfil};
use crate::eval::{LeFalta, Pendiente, Tri};
use crate::render::verdict;
use crate::text::percent_text;

/// Every profile, under a short header, written as it is produced.
pub fn escribir_perfiles(inf: &Informe, w: &mut dyn io::Write) -> io::Result<()> {
    let a = &inf.resumen;
    let mut o = String::new();
    let version = a
        .version
        .as_deref()
        .map(|v| format!(", versión {}", md(v)))
        .unwrap_or_default();
    let _ = writeln!(o, "# Perfiles de organizaciones\n");
    let datos = inf
        .auditoria
        .datos
        .iter()
        .map(|d| format!("`{}`", d.archivo.replace('`', "'")))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(o, "Reglas: {}{version}. Datos: {datos}.", md(&a.reglas));
    let niveles = a
        .niveles
        .iter()
        .map(|l| format!("{} {}", l.organizaciones, md(&l.id)))
        .collect::<Vec<_>>()
        .join(", ");
    let sin_nivel = if a.sin_nivel > 0 {
        format!(", {} sin nivel", a.sin_nivel)
    } else {
        String::new()
    };
    let _ = writeln!(
        o,
        "Organizaciones evaluadas: {} ({niveles}{sin_nivel}); filas rechazadas por errores en los datos: {}.",
        a.evaluadas, a.rechazadas
    );
    if let Some(limite) = a.recortado {
        let _ = writeln!(
            o,
            "\nCon más de {limite} organizaciones no se escribe un perfil por organización: use `reglas evaluar … --salida resultados.xlsx` para el resultado de cada una."
        );
    }
    w.write_all(o.as_bytes())?;
    for p in &inf.perfiles {
        w.write_all(b"\n---\n\n")?;
        w.write_all(perfil(a, p).as_bytes())?;
    }
    Ok(())
}

/// Every profile, as one text.
pub fn perfiles(inf: &Informe) -> String {
    let mut out = Vec::new();
    let _ = escribir_perfiles(inf, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn lista(ids: &[String]) -> String {
    ids.iter().map(|s| md(s)).collect::<Vec<_>>().join(", ")
}

/// One organization's profile.
pub fn perfil(a: &Agregado, p: &Perfil) -> String {
    let mut o = String::new();
    let _ = write_perfil(&mut o, a, p);
    o
}

fn write_perfil(o: &mut String, a: &Agregado, p: &Perfil) -> std::fmt::Result {
    write_encabezado(o, p)?;
    write_grupos(o, a, p)?;
    write_por_que(o, a, p)?;
    if let Some(g) = &p.le_falta {
        write_le_falta(o, g)?;
    }
    write_recomendaciones(o, a, p)
}

/// Name, level (and why it is provisional), labels and row.
fn write_encabezado(o: &mut String, p: &Perfil) -> std::fmt::Result {
    match &p.nombre {
        Some(n) => writeln!(o, "## {} — {}\n", md(&p.quien()), md(n))?,
        None => writeln!(o, "## {}\n", md(&p.quien()))?,
    }
    let nivel = verdict::level(p.nivel.as_deref(), p.nivel_titulo.as_deref());
    write!(o, "**Nivel:** {}", md(&nivel))?;
    if let Some(prov) = verdict::provisional(p.provisional, &p.posibles, &p.faltan) {
        write!(o, " — {}", md(&prov))?;
    }
    writeln!(o, "  ")?;
    let labels: Vec<String> = p
        .etiquetas
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                md(titulo_desglose(&e.campo)),
                e.valor
                    .as_deref()
                    .map(md)
                    .unwrap_or_else(|| "sin dato".into())
            )
        })
        .collect();
    if !labels.is_empty() {
        writeln!(o, "{}  ", labels.join(" · "))?;
    }
    writeln!(o, "Fila {} del archivo de datos.\n", p.fila)
}

/// Criteria met per group, as a table.
fn write_grupos(o: &mut String, a: &Agregado, p: &Perfil) -> std::fmt::Result {
    if p.grupos.is_empty() {
        return Ok(());
    }
    writeln!(o, "| Dimensión | Cumple | Aplican | % | Sin dato |")?;
    writeln!(o, "|---|---:|---:|---:|---:|")?;
    for (g, t) in p.grupos.iter().zip(&a.grupos) {
        let applicable = g.aplicables();
        let share = crate::text::percent(g.cumplidos as usize, applicable as usize)
            .map(percent_text)
            .unwrap_or_else(|| "—".into());
        writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            md(&t.titulo),
            g.cumplidos,
            applicable,
            share,
            g.sin_dato
        )?;
    }
    writeln!(o)
}

/// The steps down the ladder, what holds the level and what was decided by
/// a narrow margin.
fn write_por_que(o: &mut String, a: &Agregado, p: &Perfil) -> std::fmt::Result {
    writeln!(o, "### ¿Por qué este nivel?\n")?;
    for (i, paso) in p.por_que.iter().enumerate() {
        write_paso(o, a, paso, p, p.detalla(i))?;
    }
    if !p.sostienen().is_empty() {
        writeln!(
            o,
            "\nLo sostienen (bajaría de nivel si dejara de cumplir cualquiera): {}.",
            lista(p.sostienen())
        )?;
    }
    if let Some(f) = &p.fragil {
        if !f.margen.is_empty() {
            writeln!(
                o,
                "\nCriterios decididos por una unidad o menos de su umbral: {}.",
                lista(&f.margen)
            )?;
        }
    }
    Ok(())
}

fn write_le_falta(o: &mut String, g: &LeFalta) -> std::fmt::Result {
    let plural = if g.minimo == 1 { "cambio" } else { "cambios" };
    writeln!(o, "\n### ¿Qué le falta para el nivel {}?\n", md(&g.nivel))?;
    writeln!(o, "Al menos {} {plural}:\n", g.minimo)?;
    for c in &g.criterios {
        writeln!(o, "- Cumplir: {}", pendiente(c))?;
    }
    for e in &g.alternativas {
        writeln!(o, "- Cumplir {} de estos {}:", e.cuantos, e.opciones.len())?;
        for c in &e.opciones {
            writeln!(o, "  - {}", pendiente(c))?;
        }
    }
    for c in &g.condiciones {
        writeln!(o, "- Que se cumpla {}", md(c))?;
    }
    Ok(())
}

fn write_recomendaciones(o: &mut String, a: &Agregado, p: &Perfil) -> std::fmt::Result {
    writeln!(o, "\n### Recomendaciones\n")?;
    if p.recomendaciones.is_empty() {
        writeln!(o, "(ninguna)")?;
    }
    for r in p
        .recomendaciones
        .iter()
        .filter_map(|&i| a.recomendaciones.get(i as usize))
    {
        let sec = r
            .seccion
            .as_deref()
            .map(|s| format!("§{}, ", md(s)))
            .unwrap_or_default();
        writeln!(o, "- {} ({sec}{})", md(&r.texto), md(&r.motivo()))?;
    }
    Ok(())
}

fn pendiente(c: &Pendiente) -> String {
    let status = verdict::pending_status(c, |s| md(s).to_string());
    format!("{} ({status})", md(&c.titulo))
}

fn write_paso(
    o: &mut String,
    a: &Agregado,
    paso: &PasoNivel,
    p: &Perfil,
    detail: bool,
) -> std::fmt::Result {
    let assigned = p.nivel.as_deref() == Some(paso.id.as_str());
    let verdict = verdict::level_step(
        paso.resultado,
        paso.en_otro_caso,
        paso.cumplidos,
        paso.aplicables,
        |w| format!("**{w}**"),
    );
    writeln!(
        o,
        "- **{}** ({}): {verdict}.",
        md(a.titulo_nivel(&paso.id)),
        md(&paso.id)
    )?;
    if paso.pendientes.is_empty() || !detail {
        return Ok(());
    }
    if p.compacto(paso) {
        let titles = paso
            .pendientes
            .iter()
            .map(|m| md(a.titulo_criterio(&m.id)))
            .collect::<Vec<_>>()
            .join("; ");
        writeln!(
            o,
            "  {}: {titles} (vea qué le falta, abajo).",
            paso.encabezado_pendientes()
        )?;
        return Ok(());
    }
    if assigned {
        writeln!(
            o,
            "  {} (dentro de lo que el nivel tolera):",
            paso.encabezado_pendientes()
        )?;
    } else {
        writeln!(o, "  {}:", paso.encabezado_pendientes())?;
    }
    for m in &paso.pendientes {
        let frase = m.frase.as_deref().map(md).unwrap_or_default();
        let mark = if m.resultado == Tri::Unknown {
            "sin decidir"
        } else {
            "no"
        };
        writeln!(o, "  - {} [{mark}]: {frase}", md(a.titulo_criterio(&m.id)))?;
    }
    Ok(())
}
