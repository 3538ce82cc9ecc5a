//! `reglas informe --formato md`: the summary and one Markdown profile per
//! organization, for pasting into project reports. Text from the data is
//! escaped.

use std::fmt::Write as _;
use std::io;

use super::aggregate::{Agregado, TOP};
use super::escape::md;
use super::{titulo_desglose, Informe, PasoNivel, Perfil};
use crate::eval::Tri;
use crate::render::verdict;
use crate::text::{percent, percent_text};

/// The header (title, project, period, filter, counts), the summary and,
/// unless only the summary was asked for, every profile, written as it is
/// produced.
pub fn escribir_perfiles(inf: &Informe, w: &mut dyn io::Write) -> io::Result<()> {
    let a = &inf.resumen;
    let mut o = String::new();
    encabezado(&mut o, inf);
    resumen(&mut o, a);
    if let Some(limite) = a.recortado {
        let donde = match &inf.presentacion.organizaciones {
            Some(f) => format!(
                "el resultado de cada una está en el libro `{}`",
                f.replace('`', "'")
            ),
            None => "use `reglas evaluar … --salida resultados.xlsx` para el resultado de cada una"
                .to_string(),
        };
        let _ = writeln!(
            o,
            "\nCon más de {limite} organizaciones no se escribe un perfil por organización: {donde}."
        );
    }
    w.write_all(o.as_bytes())?;
    if !inf.con_perfiles() {
        return Ok(());
    }
    for p in &inf.perfiles {
        w.write_all(b"\n---\n\n")?;
        w.write_all(perfil(a, p).as_bytes())?;
    }
    Ok(())
}

/// The title (with the project above and the period below), the rules and
/// data, the filter and the counts.
fn encabezado(o: &mut String, inf: &Informe) {
    let a = &inf.resumen;
    let pr = &inf.presentacion;
    // Without a title, the profiles' own; only the summary is a report.
    let titulo = pr.titulo.as_deref().unwrap_or(if pr.solo_resumen {
        super::TITULO
    } else {
        "Perfiles de organizaciones"
    });
    if let Some(p) = &pr.proyecto {
        let _ = writeln!(o, "**{}**\n", md(p));
    }
    let _ = writeln!(o, "# {}\n", md(titulo));
    if let Some(p) = &pr.periodo {
        let _ = writeln!(o, "Período: {}.  ", md(p));
    }
    let version = a
        .version
        .as_deref()
        .map(|v| format!(", versión {}", md(v)))
        .unwrap_or_default();
    let datos = inf
        .auditoria
        .datos
        .iter()
        .map(|d| format!("`{}`", d.archivo.replace('`', "'")))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(o, "Reglas: {}{version}. Datos: {datos}.", md(&a.reglas));
    if let Some(f) = inf.filtrado.frase(a.leidas) {
        let _ = writeln!(o, "{}", md(&f));
    }
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
}

/// `3 (60 %)`, or `0`.
fn con_pct(n: usize, total: usize) -> String {
    match percent(n, total) {
        Some(p) if n > 0 => format!("{n} ({})", percent_text(p)),
        _ => n.to_string(),
    }
}

/// The summary: organizations per level and per breakdown field, the
/// criteria most often unmet and the data most often missing.
fn resumen(o: &mut String, a: &Agregado) {
    let _ = writeln!(o, "\n## Resumen\n");
    let _ = writeln!(
        o,
        "| Nivel | Descripción | Organizaciones | De ellas provisionales |\n|---|---|---:|---:|"
    );
    for l in &a.niveles {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            md(&l.id),
            md(&l.titulo),
            con_pct(l.organizaciones, a.evaluadas),
            l.provisionales
        );
    }
    let _ = writeln!(
        o,
        "| sin nivel | los datos no alcanzan para decidir | {} | {} |\n| **Total evaluadas** | | **{}** | **{}** |",
        con_pct(a.sin_nivel, a.evaluadas),
        a.sin_nivel,
        a.evaluadas,
        a.provisionales
    );
    for d in &a.desgloses {
        let _ = writeln!(
            o,
            "\n### Por {}\n\nOrganizaciones en cada nivel y qué parte son del total de la fila.\n",
            md(&d.titulo.to_lowercase())
        );
        let niveles: String = a
            .niveles
            .iter()
            .map(|l| format!(" {} |", md(&l.id)))
            .collect();
        let _ = writeln!(
            o,
            "| {} |{niveles} sin nivel | rechazadas | total |\n|---|{}---:|---:|---:|",
            md(&d.titulo),
            "---:|".repeat(a.niveles.len())
        );
        for f in &d.filas {
            let counts: String = f
                .por_nivel
                .iter()
                .map(|n| format!(" {} |", con_pct(*n, f.total)))
                .collect();
            let _ = writeln!(
                o,
                "| {} |{counts} {} | {} | {} |",
                f.valor
                    .as_deref()
                    .map(md)
                    .unwrap_or_else(|| "sin dato".into()),
                con_pct(f.sin_nivel, f.total),
                con_pct(f.rechazadas, f.total),
                f.total
            );
        }
    }
    let top = a.mas_incumplidos(TOP);
    if !top.is_empty() {
        let _ = writeln!(
            o,
            "\n### Criterios que más organizaciones no cumplen\n\n| Criterio | No lo cumplen | De las que se aplica | % |\n|---|---:|---:|---:|"
        );
        for c in top {
            let applicable = c.cumplen + c.no_cumplen + c.sin_dato;
            let _ = writeln!(
                o,
                "| {} (`{}`) | {} | {applicable} | {} |",
                md(&c.titulo),
                c.id.replace('`', "'"),
                c.no_cumplen,
                percent(c.no_cumplen, applicable)
                    .map(percent_text)
                    .unwrap_or_default()
            );
        }
    }
    if !a.datos_faltantes.is_empty() {
        let _ = writeln!(
            o,
            "\n### Datos que más faltan\n\nDatos en blanco que dejan un resultado provisional ({} de {} organizaciones evaluadas).\n\n| Dato | Organizaciones |\n|---|---:|",
            a.provisionales, a.evaluadas
        );
        for c in a.datos_faltantes.iter().take(TOP) {
            let _ = writeln!(
                o,
                "| `{}` | {} |",
                c.nombre.replace('`', "'"),
                c.organizaciones
            );
        }
    }
}

/// Every profile, as one text.
pub fn perfiles(inf: &Informe) -> String {
    let mut out = Vec::new();
    let _ = escribir_perfiles(inf, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Criteria by title: "Liderazgo femenino; Excedentes estables".
fn titulos(a: &Agregado, ids: &[String]) -> String {
    ids.iter()
        .map(|s| md(a.titulo_criterio(s)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One organization's profile.
pub fn perfil(a: &Agregado, p: &Perfil) -> String {
    let mut o = String::new();
    let _ = write_perfil(&mut o, a, p);
    o
}

fn write_perfil(o: &mut String, a: &Agregado, p: &Perfil) -> std::fmt::Result {
    // Verdict first, as in `reglas explicar`: what it lacks and the first
    // recommendations, then the detail (groups and each level tried).
    write_encabezado(o, p)?;
    write_le_falta(o, p)?;
    write_recomendaciones(o, a, p)?;
    writeln!(o, "\n### Detalle\n")?;
    write_grupos(o, a, p)?;
    write_por_que(o, a, p)
}

/// Name, the verdict in one sentence (and what the level tolerates),
/// labels and row.
fn write_encabezado(o: &mut String, p: &Perfil) -> std::fmt::Result {
    match &p.nombre {
        Some(n) => writeln!(o, "## {} — {}\n", md(&p.quien()), md(n))?,
        None => writeln!(o, "## {}\n", md(&p.quien()))?,
    }
    writeln!(o, "**{}**  ", md(&p.resumen.veredicto))?;
    if let Some(t) = &p.resumen.tolerados {
        writeln!(o, "{}  ", md(t))?;
    }
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
            titulos(a, p.sostienen())
        )?;
    }
    if let Some(f) = &p.fragil {
        if !f.margen.is_empty() {
            writeln!(
                o,
                "\nCriterios que cambiarían con una respuesta una unidad más alta o más baja: {}.",
                titulos(a, &f.margen)
            )?;
        }
    }
    Ok(())
}

/// What it lacks for the next level (titles, the value it has and the
/// one needed), and the single answers that would change its level.
fn write_le_falta(o: &mut String, p: &Perfil) -> std::fmt::Result {
    let b = &p.resumen;
    if let Some(next) = &b.siguiente {
        writeln!(o, "### Qué le falta para {}\n", md(next))?;
        for f in &b.le_falta {
            writeln!(o, "- {}", md(&f.texto))?;
            for opt in &f.opciones {
                writeln!(o, "  - {}", md(opt))?;
            }
        }
        writeln!(o)?;
    }
    if !b.fragil.is_empty() {
        writeln!(o, "Resultado frágil (una sola respuesta lo cambia):\n")?;
        for f in &b.fragil {
            writeln!(o, "- {}", md(f))?;
        }
        writeln!(o)?;
    }
    Ok(())
}

/// The recommendations by priority: the first ones, then the rest.
fn write_recomendaciones(o: &mut String, a: &Agregado, p: &Perfil) -> std::fmt::Result {
    writeln!(o, "### Recomendaciones\n")?;
    if p.recomendaciones.is_empty() {
        writeln!(o, "(ninguna)")?;
    }
    let first = crate::render::brief::TOP_RECOMMENDATIONS;
    for (i, r) in p
        .recomendaciones
        .iter()
        .filter_map(|&i| a.recomendaciones.get(i as usize))
        .enumerate()
    {
        if i == first {
            writeln!(
                o,
                "\nOtras {} recomendaciones:\n",
                p.recomendaciones.len() - first
            )?;
        }
        let sec = r
            .seccion
            .as_deref()
            .map(|s| format!("§{}, ", md(s)))
            .unwrap_or_default();
        if i < first {
            writeln!(o, "{}. {} ({sec}{})", i + 1, md(&r.texto), md(&r.motivo()))?;
        } else {
            writeln!(o, "- {} ({sec}{})", md(&r.texto), md(&r.motivo()))?;
        }
    }
    Ok(())
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
            "  {}: {titles} (vea qué le falta, arriba).",
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
