//! The summary sections of the `reglas informe` page: counts per level and
//! per breakdown, rejected rows, provisional results, criteria, what decided
//! each level and the rules without effect.

use std::fmt::Write;

use super::super::aggregate::{Agregado, Conteo, Desglose, FilaDesglose, TOP};
use super::super::svg::{self, Barra};
use super::super::{Informe, Perfil};
use super::{e, ids, insignia, marcas, num};
use crate::text::{percent, percent_text, plural};

pub(super) fn resumen(b: &mut String, a: &Agregado) {
    b.push_str("<section id=\"resumen\">\n<h2>Resumen</h2>\n");
    tarjetas(b, a);
    b.push_str("<h3>Organizaciones por nivel</h3>\n");
    grafico_niveles(b, a);
    tabla_niveles(b, a);
    for d in &a.desgloses {
        desglose(b, a, d);
    }
    incumplidos(b, a);
    faltantes(b, a);
    b.push_str("</section>\n");
}

/// The criteria most often unmet, over the organizations they apply to.
fn incumplidos(b: &mut String, a: &Agregado) {
    let top = a.mas_incumplidos(TOP);
    b.push_str("<div class=\"bloque\">\n<h3>Criterios que más organizaciones no cumplen</h3>\n");
    if top.is_empty() {
        b.push_str("<p class=\"vacio\">Ninguno: cada organización cumple todos los criterios que se le aplican (o le faltan datos).</p>\n</div>\n");
        return;
    }
    let bars: Vec<Barra> = top
        .iter()
        .map(|c| Barra {
            etiqueta: &c.id,
            valor: c.no_cumplen,
            color: svg::ROJO,
        })
        .collect();
    b.push_str(&svg::barras(
        "Organizaciones que no cumplen cada criterio",
        &bars,
    ));
    b.push_str("<table>\n<thead><tr><th>Criterio</th><th class=\"n\">No lo cumplen</th><th class=\"n\">de las que se aplica</th><th class=\"n\">%</th></tr></thead>\n");
    for c in top {
        let applicable = c.cumplen + c.no_cumplen + c.sin_dato;
        let _ = writeln!(
            b,
            "<tr><td>{} <span class=\"id\">{}</span></td>{}<td class=\"n\">{applicable}</td><td class=\"n\">{}</td></tr>",
            e(&c.titulo),
            e(&c.id),
            num(c.no_cumplen),
            percent(c.no_cumplen, applicable)
                .map(percent_text)
                .unwrap_or_default()
        );
    }
    b.push_str("</table>\n</div>\n");
}

/// The data most often missing where it could change a level.
fn faltantes(b: &mut String, a: &Agregado) {
    b.push_str("<div class=\"bloque\">\n<h3>Datos que más faltan</h3>\n");
    if a.datos_faltantes.is_empty() {
        b.push_str("<p class=\"vacio\">Ninguno: a ninguna organización le falta un dato que pueda cambiar su nivel.</p>\n</div>\n");
        return;
    }
    let _ = writeln!(
        b,
        "<p>Datos en blanco que dejan un resultado provisional ({} de {} organizaciones evaluadas): completarlos en la ficha puede cambiar el nivel.</p>",
        a.provisionales, a.evaluadas
    );
    let bars: Vec<Barra> = a
        .datos_faltantes
        .iter()
        .take(TOP)
        .map(|c| Barra {
            etiqueta: &c.nombre,
            valor: c.organizaciones,
            color: svg::GRIS,
        })
        .collect();
    b.push_str(&svg::barras(
        "Organizaciones a las que les falta cada dato",
        &bars,
    ));
    b.push_str("</div>\n");
}

/// The four counts, with a warning for rejected rows and provisional results.
fn tarjetas(b: &mut String, a: &Agregado) {
    let _ = writeln!(
        b,
        "<div class=\"tarjetas\"><div class=\"tarjeta\"><b>{}</b><span>filas leídas</span></div>\
         <div class=\"tarjeta\"><b>{}</b><span>organizaciones evaluadas</span></div>\
         <div class=\"tarjeta\"><b>{}</b><span>filas rechazadas</span></div>\
         <div class=\"tarjeta\"><b>{}</b><span>resultados provisionales</span></div></div>",
        a.leidas, a.evaluadas, a.rechazadas, a.provisionales
    );
    if a.rechazadas > 0 {
        let _ = writeln!(
            b,
            "<p class=\"aviso\">{} no se {} por errores en los datos: vea <a href=\"#rechazos\">Filas rechazadas</a>. No cuentan en ningún nivel.</p>",
            plural(a.rechazadas, "fila", "filas"),
            if a.rechazadas == 1 { "evaluó" } else { "evaluaron" }
        );
    }
    if a.provisionales > 0 {
        let _ = writeln!(
            b,
            "<p class=\"aviso\">{}: faltan datos que podrían cambiar el nivel (vea <a href=\"#provisionales\">Provisionales</a>).</p>",
            plural(a.provisionales, "resultado es provisional", "resultados son provisionales")
        );
    }
}

/// A bar per level, then `sin nivel` and (when there are any) the rejected rows.
fn grafico_niveles(b: &mut String, a: &Agregado) {
    let n = a.niveles.len();
    let mut bars: Vec<Barra> = a
        .niveles
        .iter()
        .enumerate()
        .map(|(i, l)| Barra {
            etiqueta: &l.id,
            valor: l.organizaciones,
            color: svg::color_nivel(i, n),
        })
        .collect();
    bars.push(Barra {
        etiqueta: "sin nivel",
        valor: a.sin_nivel,
        color: "#8a8f8c",
    });
    if a.rechazadas > 0 {
        bars.push(Barra {
            etiqueta: "rechazadas",
            valor: a.rechazadas,
            color: svg::MARRON,
        });
    }
    b.push_str(&svg::barras("Organizaciones por nivel", &bars));
}

fn tabla_niveles(b: &mut String, a: &Agregado) {
    b.push_str("<table>\n<thead><tr><th>Nivel</th><th>Descripción</th><th class=\"n\">Organizaciones</th><th class=\"n\">%</th><th class=\"n\">de ellas provisionales</th></tr></thead>\n");
    for l in &a.niveles {
        let _ = writeln!(
            b,
            "<tr><td>{}</td><td>{}</td>{}<td class=\"n\">{}</td>{}</tr>",
            insignia(a, Some(&l.id)),
            e(&l.titulo),
            num(l.organizaciones),
            percent(l.organizaciones, a.evaluadas)
                .map(percent_text)
                .unwrap_or_default(),
            num(l.provisionales)
        );
    }
    let _ = writeln!(
        b,
        "<tr><td>{}</td><td>los datos no alcanzan para decidir</td>{}<td class=\"n\">{}</td>{}</tr>",
        insignia(a, None),
        num(a.sin_nivel),
        percent(a.sin_nivel, a.evaluadas).map(percent_text).unwrap_or_default(),
        num(a.sin_nivel)
    );
    let _ = writeln!(b, "<tr class=\"total\"><td colspan=\"2\">Total evaluadas</td><td class=\"n\">{}</td><td></td><td class=\"n\">{}</td></tr>\n</table>", a.evaluadas, a.provisionales);
}

/// Organizations per level for each value of one breakdown field.
fn desglose(b: &mut String, a: &Agregado, d: &Desglose) {
    let _ = writeln!(
        b,
        "<div class=\"bloque\">\n<h3>Por {}</h3>\n<p class=\"leyenda\">Organizaciones en cada nivel y, al lado, qué parte son del total de la fila.</p>",
        e(&d.titulo.to_lowercase())
    );
    b.push_str("<table>\n<thead><tr><th>");
    b.push_str(&e(&d.titulo));
    b.push_str("</th>");
    for l in &a.niveles {
        let _ = write!(b, "<th class=\"n\">{}</th>", e(&l.id));
    }
    b.push_str("<th class=\"n\">sin nivel</th><th class=\"n\">rechazadas</th><th class=\"n\">total</th><th>distribución</th></tr></thead>\n");
    for f in &d.filas {
        fila_desglose(b, a, f);
    }
    b.push_str("</table>\n</div>\n");
}

/// A count with its share of the row, `3 60 %`.
fn num_pct(n: usize, total: usize) -> String {
    if n == 0 {
        return num(0);
    }
    let p = percent(n, total).map(percent_text).unwrap_or_default();
    format!("<td class=\"n\">{n}<small>{p}</small></td>")
}

fn fila_desglose(b: &mut String, a: &Agregado, f: &FilaDesglose) {
    let n = a.niveles.len();
    let valor = match &f.valor {
        Some(v) => e(v),
        None => "<span class=\"vacio\">sin dato</span>".to_string(),
    };
    let _ = write!(b, "<tr><td>{valor}</td>");
    for c in &f.por_nivel {
        b.push_str(&num_pct(*c, f.total));
    }
    let mut segs: Vec<(usize, &str, &str)> = f
        .por_nivel
        .iter()
        .zip(&a.niveles)
        .enumerate()
        .map(|(i, (c, l))| (*c, svg::color_nivel(i, n), l.id.as_str()))
        .collect();
    segs.push((f.sin_nivel, "#8a8f8c", "sin nivel"));
    segs.push((f.rechazadas, svg::MARRON, "rechazadas"));
    let _ = writeln!(
        b,
        "{}{}<td class=\"n\">{}</td><td class=\"celda-barra\">{}</td></tr>",
        num_pct(f.sin_nivel, f.total),
        num_pct(f.rechazadas, f.total),
        f.total,
        svg::apilada(&segs, 120.0)
    );
}

pub(super) fn rechazos(b: &mut String, a: &Agregado) {
    b.push_str("<section id=\"rechazos\">\n<h2>Filas rechazadas y por qué</h2>\n");
    if a.rechazos.is_empty() {
        b.push_str(
            "<p class=\"vacio\">Ninguna: todas las filas se pudieron evaluar.</p>\n</section>\n",
        );
        return;
    }
    b.push_str("<p>Estas filas tienen errores en los datos y no se evaluaron. Corrija la planilla y vuelva a generar el informe.</p>\n");
    tabla_conteos(b, "Columna con el error", "Filas", &a.motivos_rechazo);
    b.push_str("<table>\n<thead><tr><th class=\"n\">Fila</th><th>Código</th><th>Nombre</th><th>Errores</th></tr></thead>\n");
    for r in a.rechazos.iter().take(shown(a)) {
        let errs = r
            .errores
            .iter()
            .map(|x| {
                let col = x
                    .columna
                    .as_deref()
                    .map(|c| format!("columna <code>{}</code>", e(c)))
                    .unwrap_or_else(|| "fila".into());
                let val = x
                    .valor
                    .as_deref()
                    .map(|v| format!(", valor <code>{}</code>", e(v)))
                    .unwrap_or_default();
                format!("<li>{col}{val}: {}</li>", e(&x.mensaje))
            })
            .collect::<String>();
        let _ = writeln!(
            b,
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td><ul>{errs}</ul></td></tr>",
            r.fila,
            e(r.codigo.as_deref().unwrap_or("")),
            e(r.nombre.as_deref().unwrap_or(""))
        );
    }
    b.push_str("</table>\n");
    cut_note(b, a, a.rechazadas, "filas rechazadas");
    b.push_str("</section>\n");
}

/// Rows a list shows: all of them, or the first ones in a report of too
/// many organizations.
fn shown(a: &Agregado) -> usize {
    if a.recortado.is_some() {
        LIST_CUT
    } else {
        usize::MAX
    }
}

/// Rows of a list shown in a report of too many organizations.
const LIST_CUT: usize = 100;

/// Under a list that shows only its first rows: how many there are.
fn cut_note(b: &mut String, a: &Agregado, total: usize, what: &str) {
    if a.recortado.is_some() && total > LIST_CUT {
        let _ = writeln!(
            b,
            "<p class=\"aviso\">Se muestran las primeras {LIST_CUT} de {total} {what}: todas están en el resultado de cada organización (<code>reglas evaluar … --salida resultados.xlsx</code>).</p>"
        );
    }
}

/// A two-column table: a name (as code) and how many.
fn tabla_conteos(b: &mut String, name: &str, count: &str, rows: &[Conteo]) {
    let _ = writeln!(
        b,
        "<table>\n<thead><tr><th>{name}</th><th class=\"n\">{count}</th></tr></thead>"
    );
    for m in rows {
        let _ = writeln!(
            b,
            "<tr><td><code>{}</code></td>{}</tr>",
            e(&m.nombre),
            num(m.organizaciones)
        );
    }
    b.push_str("</table>\n");
}

pub(super) fn provisionales(b: &mut String, a: &Agregado) {
    b.push_str(
        "<section id=\"provisionales\">\n<h2>Resultados provisionales y datos que faltan</h2>\n",
    );
    if a.provisionales_detalle.is_empty() {
        b.push_str("<p class=\"vacio\">Ninguno: a ninguna organización le faltan datos que puedan cambiar su nivel.</p>\n</section>\n");
        return;
    }
    b.push_str("<p>Un resultado es <b>provisional</b> cuando faltan datos para descartar un nivel más alto: la organización tiene al menos el nivel indicado, pero podría estar más arriba. Completar estos datos en la ficha es lo primero.</p>\n");
    tabla_conteos(b, "Dato que falta", "Organizaciones", &a.datos_faltantes);
    b.push_str("<table>\n<thead><tr><th>Código</th><th>Nombre</th><th>Nivel</th><th>Niveles posibles</th><th>Datos que faltan</th></tr></thead>\n");
    for p in a.provisionales_detalle.iter().take(shown(a)) {
        let _ = writeln!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(p.codigo.as_deref().unwrap_or("")),
            e(p.nombre.as_deref().unwrap_or("")),
            insignia(a, p.nivel.as_deref()),
            ids(&p.posibles),
            ids(&p.faltan)
        );
    }
    b.push_str("</table>\n");
    cut_note(b, a, a.provisionales, "resultados provisionales");
    b.push_str("</section>\n");
}

pub(super) fn criterios(b: &mut String, a: &Agregado) {
    b.push_str(
        "<section id=\"criterios\">\n<h2>Criterios: quién los cumple y cuáles frenan</h2>\n",
    );
    b.push_str(
        "<p><b>Cumplen</b>: organizaciones que cumplen el criterio, sobre aquellas a las que se aplica. \
         <b>Frena</b>: organizaciones para las que este criterio está entre lo que les falta para subir al nivel siguiente. \
         <b>Sostiene</b>: organizaciones que bajarían de nivel si dejaran de cumplirlo.</p>\n",
    );
    let mut top: Vec<_> = a.criterios.iter().filter(|c| c.impide_subir > 0).collect();
    top.sort_by(|x, y| {
        y.impide_subir.cmp(&x.impide_subir).then(
            x.proporcion
                .partial_cmp(&y.proporcion)
                .unwrap_or(std::cmp::Ordering::Equal),
        )
    });
    if !top.is_empty() {
        b.push_str("<h3>Los criterios que más frenan a las organizaciones</h3>\n");
        let bars: Vec<Barra> = top
            .iter()
            .take(8)
            .map(|c| Barra {
                etiqueta: &c.id,
                valor: c.impide_subir,
                color: svg::ROJO,
            })
            .collect();
        b.push_str(&svg::barras(
            "Organizaciones a las que cada criterio impide subir de nivel",
            &bars,
        ));
    }
    for g in &a.grupos {
        let media = g
            .proporcion_media
            .map(percent_text)
            .unwrap_or_else(|| "—".into());
        let _ = writeln!(
            b,
            "<h3>{} <span class=\"id\">({})</span></h3>\n<p>En promedio, cada organización cumple el {media} de estos criterios; {} todos.</p>",
            e(&g.titulo),
            e(&g.id),
            plural(g.cumplen_todos, "organización los cumple", "organizaciones los cumplen")
        );
        tabla_criterios(b, a, Some(&g.id));
    }
    if a.criterios.iter().any(|c| c.grupo.is_none()) {
        b.push_str("<h3>Criterios sin grupo</h3>\n");
        tabla_criterios(b, a, None);
    }
    b.push_str("</section>\n");
}

fn tabla_criterios(b: &mut String, a: &Agregado, grupo: Option<&str>) {
    b.push_str("<table>\n<thead><tr><th>Criterio</th><th class=\"n\">Cumplen</th><th>%</th><th class=\"n\">No cumplen</th><th class=\"n\">Sin dato</th><th class=\"n\">No aplica</th><th class=\"n\">Frena</th><th class=\"n\">Sostiene</th></tr></thead>\n");
    for c in a.criterios.iter().filter(|c| c.grupo.as_deref() == grupo) {
        let applicable = c.cumplen + c.no_cumplen + c.sin_dato;
        let _ = writeln!(
            b,
            "<tr><td>{} <span class=\"id\">{}</span></td><td class=\"n\">{} de {}</td><td class=\"celda-barra\">{} {}</td>{}{}{}{}{}</tr>",
            e(&c.titulo),
            e(&c.id),
            c.cumplen,
            applicable,
            svg::medidor(c.proporcion, 70.0),
            c.proporcion.map(percent_text).unwrap_or_else(|| "—".into()),
            num(c.no_cumplen),
            num(c.sin_dato),
            num(c.no_aplican),
            num(c.impide_subir),
            num(c.sostiene_nivel)
        );
    }
    b.push_str("</table>\n");
}

fn gap_text(p: &Perfil) -> String {
    let Some(g) = &p.le_falta else {
        return String::new();
    };
    let mut parts: Vec<String> = g
        .criterios
        .iter()
        .map(|c| format!("<code>{}</code>", e(&c.id)))
        .collect();
    for alt in &g.alternativas {
        parts.push(format!(
            "{} de: {}",
            alt.cuantos,
            alt.opciones
                .iter()
                .map(|c| format!("<code>{}</code>", e(&c.id)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for c in &g.condiciones {
        parts.push(e(c));
    }
    format!(
        "para <b>{}</b> ({} {}){}",
        e(&g.nivel),
        g.minimo,
        if g.minimo == 1 { "cambio" } else { "cambios" },
        lista_impresa(&parts, "; ")
    )
}

/// Criteria listed in a table of all organizations: on paper a long list
/// is left to the organization's profile, which explains each one.
const LISTA_IMPRESA: usize = 3;

/// `: a; b` after a count, or, when the list is long, the list on screen
/// and on paper only where to find it.
fn lista_impresa(parts: &[String], sep: &str) -> String {
    let list = parts.join(sep);
    if parts.len() <= LISTA_IMPRESA {
        return format!(": {list}");
    }
    format!(
        "<span class=\"solo-pantalla\">: {list}</span><span class=\"solo-impresa\">: vea su perfil</span>"
    )
}

pub(super) fn decisivos(b: &mut String, inf: &Informe) {
    let a = &inf.resumen;
    b.push_str("<section id=\"decisivos\">\n<h2>Qué decidió el nivel de cada organización</h2>\n");
    b.push_str(
        "<p><b>Lo sostienen</b>: criterios que, si dejara de cumplir cualquiera de ellos, la harían bajar de nivel. \
         <b>Le impide subir</b>: lo mínimo que le falta para el nivel siguiente. En una organización sin nivel, decide la falta de datos.</p>\n",
    );
    if inf.perfiles.is_empty() {
        b.push_str("<p class=\"vacio\">No se evaluó ninguna organización.</p>\n</section>\n");
        return;
    }
    b.push_str("<table class=\"decisivos\">\n<thead><tr><th>Organización</th><th>Nivel</th><th>Lo sostienen</th><th>Le impide subir</th></tr></thead>\n");
    for (i, p) in inf.perfiles.iter().enumerate() {
        let base_level = p
            .por_que
            .last()
            .is_some_and(|s| s.en_otro_caso && p.nivel.as_deref() == Some(s.id.as_str()));
        let sostienen = if p.sostienen().is_empty() {
            if p.nivel.is_none() {
                format!("faltan datos: {}", ids(&p.faltan))
            } else if base_level {
                "<span class=\"vacio\">es el nivel de base (no cumple ningún nivel anterior)</span>"
                    .to_string()
            } else {
                "<span class=\"vacio\">ningún criterio por sí solo</span>".to_string()
            }
        } else {
            let parts: Vec<String> = p
                .sostienen()
                .iter()
                .map(|c| format!("<code>{}</code>", e(c)))
                .collect();
            format!(
                "{}{}",
                plural(parts.len(), "criterio", "criterios"),
                lista_impresa(&parts, ", ")
            )
        };
        let sube = if p.le_falta.is_some() {
            gap_text(p)
        } else if p.nivel.as_deref() == a.niveles.first().map(|l| l.id.as_str()) {
            "<span class=\"vacio\">está en el nivel más alto</span>".to_string()
        } else if p.nivel.is_none() {
            format!("según los datos que faltan, puede ser {}", ids(&p.posibles))
        } else {
            String::new()
        };
        let (prov, fragil) = marcas(p);
        let _ = writeln!(
            b,
            "<tr><td><a href=\"#org-{i}\">{}</a> {}</td><td>{}{prov}{fragil}</td><td>{sostienen}</td><td>{sube}</td></tr>",
            e(&p.quien()),
            e(p.nombre.as_deref().unwrap_or("")),
            insignia(a, p.nivel.as_deref())
        );
    }
    b.push_str("</table>\n<p class=\"leyenda\"><span class=\"marca fragil\">frágil</span> a un solo cambio de subir o bajar de nivel, o con un criterio decidido por una unidad o menos de su umbral.</p>\n</section>\n");
}

pub(super) fn sin_efecto(b: &mut String, a: &Agregado) {
    let s = &a.sin_efecto;
    b.push_str("<section id=\"sin-efecto\">\n<h2>Reglas sin efecto en estos datos</h2>\n");
    b.push_str("<p>Criterios y recomendaciones que no distinguen a ninguna organización de este archivo. No es un error: puede ser una señal para revisar un umbral, o que faltan organizaciones de algún tipo.</p>\n<ul>\n");
    let item = |b: &mut String, label: &str, list: &[String]| {
        let v = if list.is_empty() {
            "<span class=\"vacio\">ninguno</span>".to_string()
        } else {
            ids(list)
        };
        let _ = writeln!(b, "<li><b>{label}</b>: {v}</li>");
    };
    item(
        b,
        "Criterios que ninguna organización cumple",
        &s.nunca_se_cumplen,
    );
    item(
        b,
        "Criterios que cumplen todas las organizaciones a las que se aplican",
        &s.siempre_se_cumplen,
    );
    item(
        b,
        "Criterios que no se aplican a ninguna organización",
        &s.nunca_aplican,
    );
    item(
        b,
        "Recomendaciones que no se dan a ninguna organización",
        &s.recomendaciones_nunca,
    );
    b.push_str("</ul>\n<h3>Recomendaciones: a cuántas organizaciones se dan</h3>\n<table>\n<thead><tr><th>Recomendación</th><th>Se da por</th><th class=\"n\">Organizaciones</th></tr></thead>\n");
    for r in &a.recomendaciones {
        let _ = writeln!(
            b,
            "<tr><td><code>{}</code></td><td>{}</td>{}</tr>",
            e(&r.id),
            e(&r.para),
            num(r.organizaciones)
        );
    }
    b.push_str("</table>\n</section>\n");
}
