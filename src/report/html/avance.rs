//! The `reglas avance --formato html` page: baseline against follow-up.

use std::fmt::Write;

use super::super::progress::{row_shares, Avance, Cambio, Conteos, Estado, Porcentajes};
use super::super::svg;
use super::{auditoria, e, pagina};
use crate::provenance::Auditoria;
use crate::text::{percent_text, plural};

/// The `reglas avance --formato html` page.
pub fn avance(av: &Avance, au: &Auditoria) -> String {
    let mut b = String::new();
    b.push_str("<header>\n<h1>Avance entre la línea base y el seguimiento</h1>\n");
    let rules = |c: &super::super::progress::Corte| {
        c.reglas
            .first()
            .map(|r| r.nombre_reglas())
            .unwrap_or_default()
    };
    let reglas = if av.comparables {
        e(&rules(&av.linea_base))
    } else {
        format!(
            "{} (línea base) y {} (seguimiento)",
            e(&rules(&av.linea_base)),
            e(&rules(&av.seguimiento))
        )
    };
    let _ = writeln!(
        b,
        "<p class=\"sub\">Línea base: <code>{}</code> · Seguimiento: <code>{}</code> · Reglas: {reglas}</p>\n</header>",
        e(&av.linea_base.datos.archivo),
        e(&av.seguimiento.datos.archivo),
    );
    seccion_avance(&mut b, av);
    auditoria(&mut b, au);
    pagina("Avance entre la línea base y el seguimiento", &b)
}

fn estado_badge(av: &Avance, s: &Estado) -> String {
    let levels = av.estados.len().saturating_sub(2);
    match s {
        Estado::Nivel(n) => {
            let i = av.estados.iter().position(|x| x == n).unwrap_or(0);
            format!(
                r#"<span class="nivel" style="background:{}">{}</span>"#,
                svg::color_nivel(i, levels),
                e(av.titulo(n))
            )
        }
        Estado::SinNivel => r#"<span class="nivel sin">sin nivel</span>"#.to_string(),
        Estado::Rechazada => r#"<span class="nivel rech">rechazada</span>"#.to_string(),
    }
}

/// The comparison as an HTML section (warnings first).
pub fn seccion_avance(b: &mut String, av: &Avance) {
    for w in &av.advertencias {
        let _ = writeln!(
            b,
            "<p class=\"peligro\" role=\"alert\">⚠ {}</p>",
            e(w).replace('\n', "<br>")
        );
    }
    b.push_str("<section id=\"avance\">\n<h2>Resumen</h2>\n");
    tarjetas(b, av);
    meta(b, av);
    b.push_str("<p><b>Sin comparar</b>: organizaciones sin nivel (faltan datos) o rechazadas por errores en alguno de los dos archivos.</p>\n");
    matriz(b, av);
    if !av.desgloses.is_empty() {
        b.push_str("<h2>Por región, rubro y forma jurídica</h2>\n");
        desgloses(b, av);
    }
    cambios(b, av);
    sin_emparejar(b, av);
    b.push_str("</section>\n");
}

/// `21,1 %`, or nothing.
fn pct(p: Option<f64>) -> String {
    p.map(percent_text).unwrap_or_default()
}

fn tarjetas(b: &mut String, av: &Avance) {
    // `4 <small>21,1 %</small>`
    let [suben, se_mantienen, bajan, sin_comparar] = av
        .conteos
        .con_porcentajes(&av.porcentajes)
        .map(|(n, p)| format!("{n} <small>{}</small>", pct(p)));
    let _ = writeln!(
        b,
        "<div class=\"tarjetas\"><div class=\"tarjeta\"><b>{}</b><span>en los dos archivos</span></div>\
         <div class=\"tarjeta\"><b class=\"sube-t\">{suben}</b><span>subieron de nivel</span></div>\
         <div class=\"tarjeta\"><b>{se_mantienen}</b><span>se mantuvieron</span></div>\
         <div class=\"tarjeta\"><b class=\"baja-t\">{bajan}</b><span>bajaron de nivel</span></div>\
         <div class=\"tarjeta\"><b>{sin_comparar}</b><span>sin comparar</span></div></div>\n\
         <p class=\"leyenda\">Porcentajes sobre las {} organizaciones que están en los dos archivos.</p>",
        av.conteos.en_ambos,
        av.conteos.en_ambos
    );
}

/// The same counts per region, rubro and legal form.
fn desgloses(b: &mut String, av: &Avance) {
    for d in &av.desgloses {
        let _ = writeln!(
            b,
            "<div class=\"bloque\">\n<h3>Por {}</h3>\n<table>\n<thead><tr><th>{}</th><th class=\"n\">En los dos archivos</th><th class=\"n\">Subieron</th><th class=\"n\">Se mantuvieron</th><th class=\"n\">Bajaron</th><th class=\"n\">Sin comparar</th></tr></thead>",
            e(&d.titulo.to_lowercase()),
            e(&d.titulo)
        );
        for f in &d.filas {
            let valor = match &f.valor {
                Some(v) => e(v),
                None => "<span class=\"vacio\">sin dato</span>".to_string(),
            };
            fila_conteos(b, &valor, &f.conteos, &f.porcentajes);
        }
        b.push_str("</table>\n</div>\n");
    }
}

fn fila_conteos(b: &mut String, label: &str, c: &Conteos, p: &Porcentajes) {
    let cells = c
        .con_porcentajes(p)
        .map(|(n, p)| format!("<td class=\"n\">{n}<small>{}</small></td>", pct(p)))
        .concat();
    let _ = writeln!(
        b,
        "<tr><td>{label}</td><td class=\"n\">{}</td>{cells}</tr>",
        c.en_ambos,
    );
}

/// The project goal, when the ladder has at least two levels.
fn meta(b: &mut String, av: &Avance) {
    let (Some(desde), Some(hasta)) = (&av.meta.desde, &av.meta.hasta) else {
        return;
    };
    match av.meta.proporcion {
        Some(p) => {
            let _ = write!(
                b,
                "<p><b>Meta:</b> de {} en el nivel «{}» en la línea base, <b>{} ({})</b> llegaron a «{}» o más.",
                plural(av.meta.en_linea_base, "organización", "organizaciones"),
                e(av.titulo(desde)),
                av.meta.alcanzaron,
                percent_text(p),
                e(av.titulo(hasta))
            );
        }
        None => {
            let _ = write!(b, "<p><b>Meta:</b> ninguna organización estaba en el nivel «{}» en la línea base y en el seguimiento.", e(av.titulo(desde)));
        }
    }
    if av.meta.sin_seguimiento > 0 {
        let _ = write!(
            b,
            " ({} en ese nivel en la línea base no aparecen en el seguimiento y no se cuentan.)",
            av.meta.sin_seguimiento
        );
    }
    b.push_str("</p>\n");
}

/// The transition matrix, its cells coloured by direction, with totals.
fn matriz(b: &mut String, av: &Avance) {
    b.push_str("<h2>Matriz de transición</h2>\n<p>Filas: nivel en la línea base. Columnas: nivel en el seguimiento. Sobre la diagonal se mantienen; a la derecha de la diagonal bajan; a la izquierda suben. Al lado de cada cifra, qué parte es de su fila (de las organizaciones de ese nivel en la línea base).</p>\n");
    b.push_str("<table class=\"matriz\">\n<tr><th>Línea base ↓ / Seguimiento →</th>");
    for s in &av.estados {
        let _ = write!(b, "<th class=\"n\">{}</th>", e(av.titulo(s)));
    }
    b.push_str("<th class=\"n\">total</th></tr>\n");
    let levels = av.estados.len().saturating_sub(2);
    let mut totals = vec![0usize; av.estados.len()];
    let shares = row_shares(&av.matriz);
    for (i, row) in av.matriz.iter().enumerate() {
        let _ = write!(b, "<tr><th>{}</th>", e(av.titulo(&av.estados[i])));
        for (j, n) in row.iter().enumerate() {
            totals[j] += n;
            let class = clase_celda(i, j, levels);
            let share = match shares[i][j] {
                Some(p) if *n > 0 => format!("<small>{}</small>", percent_text(p)),
                _ => String::new(),
            };
            let zero = if *n == 0 { " cero" } else { "" };
            let _ = write!(b, "<td class=\"n {class}{zero}\">{n}{share}</td>");
        }
        let _ = writeln!(b, "<td class=\"n\">{}</td></tr>", row.iter().sum::<usize>());
    }
    b.push_str("<tr class=\"total\"><td>total</td>");
    for t in &totals {
        let _ = write!(b, "<td class=\"n\">{t}</td>");
    }
    let _ = writeln!(
        b,
        "<td class=\"n\">{}</td></tr>\n</table>",
        totals.iter().sum::<usize>()
    );
}

/// Between two levels: the diagonal stays, left of it moves up, right of it
/// moves down. Rows and columns past the levels are not a direction.
fn clase_celda(i: usize, j: usize, levels: usize) -> &'static str {
    if i < levels && j < levels {
        if i == j {
            "diag"
        } else if j < i {
            "sube"
        } else {
            "baja"
        }
    } else {
        ""
    }
}

/// One row per organization in both files.
fn cambios(b: &mut String, av: &Avance) {
    b.push_str("<h2>Cambios por organización</h2>\n<table class=\"cambios\">\n<thead><tr><th>Organización</th><th>Línea base</th><th>Seguimiento</th><th>Cambio</th><th>Criterios ganados</th><th>Criterios perdidos</th></tr></thead>\n");
    for c in &av.organizaciones {
        let prov = |p: bool| {
            if p {
                "<span class=\"marca prov\">provisional</span>"
            } else {
                ""
            }
        };
        let cambio = match c.cambio {
            Cambio::Sube => "<span class=\"sube-t\">▲ sube</span>".to_string(),
            Cambio::Baja => "<span class=\"baja-t\">▼ baja</span>".to_string(),
            other => e(other.texto()),
        };
        let _ = writeln!(
            b,
            "<tr><td>{} {}</td><td>{}{}</td><td>{}{}</td><td>{cambio}</td><td>{}</td><td>{}</td></tr>",
            e(&c.codigo),
            e(c.nombre.as_deref().unwrap_or("")),
            estado_badge(av, &c.linea_base),
            prov(c.provisional_linea_base),
            estado_badge(av, &c.seguimiento),
            prov(c.provisional_seguimiento),
            lista_criterios(av, &c.ganados),
            lista_criterios(av, &c.perdidos)
        );
    }
    b.push_str("</table>\n");
}

/// The criteria named, each with its title; empty when there are none.
fn lista_criterios(av: &Avance, v: &[String]) -> String {
    if v.is_empty() {
        return String::new();
    }
    format!(
        "<ul>{}</ul>",
        v.iter()
            .map(|id| format!(
                "<li>{} <span class=\"id\">{}</span></li>",
                e(av.titulo_criterio(id)),
                e(id)
            ))
            .collect::<String>()
    )
}

/// Organizations in only one file, and rows without a code.
fn sin_emparejar(b: &mut String, av: &Avance) {
    for (t, v) in [
        ("Solo en la línea base", &av.solo_linea_base),
        ("Solo en el seguimiento", &av.solo_seguimiento),
    ] {
        let _ = writeln!(b, "<h3>{t} ({})</h3>", v.len());
        if v.is_empty() {
            b.push_str("<p class=\"vacio\">Ninguna.</p>\n");
            continue;
        }
        b.push_str(
            "<table>\n<thead><tr><th>Código</th><th>Nombre</th><th>Estado</th></tr></thead>\n",
        );
        for p in v.iter() {
            let _ = writeln!(
                b,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                e(&p.codigo),
                e(p.nombre.as_deref().unwrap_or("")),
                estado_badge(av, &p.estado)
            );
        }
        b.push_str("</table>\n");
    }
    if av.sin_codigo_linea_base + av.sin_codigo_seguimiento > 0 {
        let _ = writeln!(
            b,
            "<p class=\"aviso\">Filas sin código, que no se pueden emparejar: {} en la línea base, {} en el seguimiento.</p>",
            av.sin_codigo_linea_base, av.sin_codigo_seguimiento
        );
    }
}
