//! The HTML report: one self-contained page (inline CSS and SVG, no
//! scripts, no fonts or images from elsewhere) that opens offline and prints
//! well. A Content-Security-Policy forbids loading anything, as a second
//! line of defence behind the escaping of every text from the data.

use std::fmt::Write;
use std::io;

use super::aggregate::Agregado;
use super::audit::Auditoria;
use super::escape::html as e;
use super::progress::{Avance, Cambio, Estado};
use super::svg::{self, Barra};
use super::{por_ciento, proporcion, Informe, PasoNivel, Perfil};
use crate::eval::{Pendiente, Tri};

const CSS: &str = r#"
:root { --tinta:#1f2522; --suave:#5b635e; --linea:#d9d8d2; --fondo:#fbfaf7; --papel:#fff; --acento:#2e7d4f; --aviso:#fff4d6; --aviso-borde:#e0a526; --peligro:#fde8e4; --peligro-borde:#c0503a; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin:0; background:var(--fondo); color:var(--tinta); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 32px 60px; }
h1 { font-size: 1.75rem; margin: 0 0 4px; line-height:1.2; }
h2 { font-size: 1.3rem; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--acento); }
h3 { font-size: 1.08rem; margin: 22px 0 8px; }
h4 { font-size: .95rem; margin: 16px 0 6px; color: var(--suave); text-transform: uppercase; letter-spacing: .03em; }
p { margin: 6px 0; }
a { color: var(--acento); }
.sub { color: var(--suave); margin: 0 0 16px; }
code, .id { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .86em; color: #3d4b44; }
nav.indice { background: var(--papel); border: 1px solid var(--linea); border-radius: 8px; padding: 10px 16px; margin: 16px 0; font-size: .92rem; }
nav.indice a { color: var(--acento); text-decoration: none; margin-right: 14px; white-space: nowrap; }
nav.indice a:hover { text-decoration: underline; }
.tarjetas { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0 18px; }
.tarjeta { background: var(--papel); border: 1px solid var(--linea); border-radius: 8px; padding: 10px 16px; min-width: 140px; }
.tarjeta b { display: block; font-size: 1.6rem; line-height: 1.2; }
.tarjeta span { color: var(--suave); font-size: .88rem; }
.aviso { background: var(--aviso); border: 1px solid var(--aviso-borde); border-left-width: 6px; border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
.peligro { background: var(--peligro); border: 1px solid var(--peligro-borde); border-left-width: 8px; border-radius: 6px; padding: 12px 16px; margin: 14px 0; font-weight: 600; }
table { border-collapse: collapse; width: 100%; background: var(--papel); margin: 8px 0 14px; font-size: .9rem; }
th, td { border: 1px solid var(--linea); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f1f0eb; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.cero { color: #b3b3ad; }
tr.total td { font-weight: 600; background: #f6f5f1; }
.nivel { display: inline-block; padding: 1px 9px; border-radius: 10px; color: #fff; font-size: .85rem; font-weight: 600; white-space: nowrap; }
.nivel.sin { background: #8a8f8c; }
.nivel.rech { background: #6d4c41; }
.marca { display: inline-block; padding: 0 7px; border-radius: 8px; font-size: .78rem; font-weight: 600; border: 1px solid; margin-left: 6px; white-space: nowrap; }
.marca.prov { color: #8a5a00; border-color: #e0a526; background: #fff7e0; }
.marca.fragil { color: #8c3a26; border-color: #d9826b; background: #fdeee9; }
.grafico { max-width: 100%; height: auto; display: block; margin: 6px 0 10px; }
.grafico text { font-size: 12.5px; fill: var(--tinta); font-family: inherit; }
.grafico text.val { fill: var(--suave); }
.grafico text.eti-grupo { font-size: 12.5px; font-weight: 600; }
svg.apilada, svg.medidor { vertical-align: middle; }
.leyenda { font-size: .82rem; color: var(--suave); margin: 2px 0 8px; }
.leyenda i { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin: 0 4px -1px 10px; }
.leyenda i:first-child { margin-left: 0; }
ul { margin: 4px 0 8px; padding-left: 22px; }
li { margin: 2px 0; }
.vacio { color: var(--suave); font-style: italic; }
article.perfil { background: var(--papel); border: 1px solid var(--linea); border-radius: 10px; padding: 16px 20px 12px; margin: 18px 0; }
article.perfil > header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 12px; border-bottom: 1px solid var(--linea); padding-bottom: 8px; }
article.perfil > header h3 { margin: 0; }
.etiquetas { color: var(--suave); font-size: .88rem; margin: 6px 0 2px; }
.cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 8px 28px; }
.pasos > li { margin-bottom: 6px; }
.pasos ul { font-size: .88rem; color: #3a413d; }
.pendiente-sd { color: #6b6b6b; }
ul.alternativas { columns: 2; column-gap: 32px; }
ul.alternativas li { break-inside: avoid; }
.celda-barra { width: 150px; white-space: nowrap; }
table.decisivos td:nth-child(1) { width: 24%; } table.decisivos td:nth-child(2) { width: 13%; } table.decisivos td:nth-child(3) { width: 27%; }
table.auditoria th { width: 150px; }
footer { margin-top: 40px; color: var(--suave); font-size: .82rem; border-top: 1px solid var(--linea); padding-top: 10px; }
.matriz td.diag { background: #eef3ef; font-weight: 600; }
.matriz td.sube { background: #e4f1e8; }
.matriz td.baja { background: #fbe9e4; }
.sube-t { color: #1e6b3f; font-weight: 600; }
.baja-t { color: #a63f2a; font-weight: 600; }
.hash { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .8rem; word-break: break-all; }
@media (max-width: 760px) { .cols { grid-template-columns: 1fr; } ul.alternativas { columns: 1; } main { padding: 16px; } }
@media print {
  @page { margin: 14mm 12mm; }
  body { background: #fff; font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav.indice { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3, h4 { break-after: avoid; page-break-after: avoid; }
  table, .grafico, .tarjetas, .aviso, .peligro { break-inside: avoid; page-break-inside: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  section#perfiles article.perfil { break-before: page; page-break-before: always; border: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// The start of a page, up to the opening of `<main>`.
fn cabecera(titulo: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"generator\" content=\"reglas {}\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        crate::build_info::TEXTO,
        e(titulo)
    )
}

const PIE: &str = "</main>\n</body>\n</html>\n";

/// A complete page around `cuerpo`.
fn pagina(titulo: &str, cuerpo: &str) -> String {
    format!("{}{cuerpo}{PIE}", cabecera(titulo))
}

fn color(a: &Agregado, id: &str) -> Option<&'static str> {
    let n = a.niveles.len();
    a.niveles
        .iter()
        .position(|l| l.id == id)
        .map(|i| svg::color_nivel(i, n))
}

/// A coloured level badge; grey "sin nivel" when None.
fn insignia(a: &Agregado, nivel: Option<&str>) -> String {
    match nivel {
        Some(n) => match color(a, n) {
            Some(c) => format!(
                r#"<span class="nivel" style="background:{c}">{}</span>"#,
                e(n)
            ),
            None => format!(r#"<span class="nivel sin">{}</span>"#, e(n)),
        },
        None => r#"<span class="nivel sin">sin nivel</span>"#.to_string(),
    }
}

fn num(n: usize) -> String {
    if n == 0 {
        r#"<td class="n cero">0</td>"#.to_string()
    } else {
        format!(r#"<td class="n">{n}</td>"#)
    }
}

fn ids(list: &[String]) -> String {
    list.iter()
        .map(|s| format!("<code>{}</code>", e(s)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The whole `reglas informe` page, written piece by piece (one profile at
/// a time) so a large report is never held in memory as a whole.
pub fn escribir_informe(inf: &Informe, w: &mut dyn io::Write) -> io::Result<()> {
    let a = &inf.resumen;
    let mut b = cabecera(&format!("Informe — {}", a.reglas));
    let version = a
        .version
        .as_deref()
        .map(|v| format!(" — versión {}", e(v)))
        .unwrap_or_default();
    let datos = inf
        .auditoria
        .datos
        .iter()
        .map(|d| format!("<code>{}</code>", e(&d.archivo)))
        .collect::<Vec<_>>()
        .join(", ");
    let fecha = inf
        .auditoria
        .fecha
        .as_deref()
        .map(|f| format!(" · evaluado el {}", e(f)))
        .unwrap_or_default();
    let _ = write!(
        b,
        "<header>\n<h1>Informe de caracterización de organizaciones</h1>\n<p class=\"sub\">Reglas: <b>{}</b>{version} · Datos: {datos}{fecha}</p>\n</header>\n",
        e(&a.reglas)
    );
    b.push_str(
        "<nav class=\"indice\" aria-label=\"Contenido\"><a href=\"#resumen\">Resumen</a><a href=\"#rechazos\">Filas rechazadas</a>\
         <a href=\"#provisionales\">Provisionales</a><a href=\"#criterios\">Criterios</a><a href=\"#decisivos\">Qué decidió cada nivel</a>\
         <a href=\"#sin-efecto\">Reglas sin efecto</a><a href=\"#perfiles\">Perfiles</a><a href=\"#auditoria\">Auditoría</a></nav>\n",
    );
    resumen(&mut b, a);
    rechazos(&mut b, a);
    provisionales(&mut b, a);
    criterios(&mut b, a);
    w.write_all(b.as_bytes())?;
    let mut b = String::new();
    decisivos(&mut b, inf);
    sin_efecto(&mut b, a);
    b.push_str("<section id=\"perfiles\">\n<h2>Perfiles de las organizaciones</h2>\n");
    if inf.perfiles.is_empty() {
        b.push_str("<p class=\"vacio\">No se evaluó ninguna organización.</p>\n");
    }
    w.write_all(b.as_bytes())?;
    for (i, p) in inf.perfiles.iter().enumerate() {
        let mut b = String::new();
        perfil(&mut b, a, p, i);
        w.write_all(b.as_bytes())?;
    }
    let mut b = String::from("</section>\n");
    auditoria(&mut b, &inf.auditoria);
    b.push_str(PIE);
    w.write_all(b.as_bytes())
}

/// The whole `reglas informe` page as one text.
pub fn informe(inf: &Informe) -> String {
    let mut out = Vec::new();
    let _ = escribir_informe(inf, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn resumen(b: &mut String, a: &Agregado) {
    b.push_str("<section id=\"resumen\">\n<h2>Resumen</h2>\n");
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
    b.push_str("<h3>Organizaciones por nivel</h3>\n");
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
    b.push_str("<table>\n<tr><th>Nivel</th><th>Descripción</th><th class=\"n\">Organizaciones</th><th class=\"n\">%</th><th class=\"n\">de ellas provisionales</th></tr>\n");
    for l in &a.niveles {
        let _ = writeln!(
            b,
            "<tr><td>{}</td><td>{}</td>{}<td class=\"n\">{}</td>{}</tr>",
            insignia(a, Some(&l.id)),
            e(&l.titulo),
            num(l.organizaciones),
            proporcion(l.organizaciones, a.evaluadas)
                .map(por_ciento)
                .unwrap_or_default(),
            num(l.provisionales)
        );
    }
    let _ = writeln!(
        b,
        "<tr><td>{}</td><td>los datos no alcanzan para decidir</td>{}<td class=\"n\">{}</td>{}</tr>",
        insignia(a, None),
        num(a.sin_nivel),
        proporcion(a.sin_nivel, a.evaluadas).map(por_ciento).unwrap_or_default(),
        num(a.sin_nivel)
    );
    let _ = writeln!(b, "<tr class=\"total\"><td colspan=\"2\">Total evaluadas</td><td class=\"n\">{}</td><td></td><td class=\"n\">{}</td></tr>\n</table>", a.evaluadas, a.provisionales);

    for d in &a.desgloses {
        let _ = writeln!(b, "<h3>Por {}</h3>", e(&d.titulo.to_lowercase()));
        b.push_str("<table>\n<tr><th>");
        b.push_str(&e(&d.titulo));
        b.push_str("</th>");
        for l in &a.niveles {
            let _ = write!(b, "<th class=\"n\">{}</th>", e(&l.id));
        }
        b.push_str("<th class=\"n\">sin nivel</th><th class=\"n\">rechazadas</th><th class=\"n\">total</th><th>distribución</th></tr>\n");
        for f in &d.filas {
            let valor = match &f.valor {
                Some(v) => e(v),
                None => "<span class=\"vacio\">sin dato</span>".to_string(),
            };
            let _ = write!(b, "<tr><td>{valor}</td>");
            for c in &f.por_nivel {
                b.push_str(&num(*c));
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
                num(f.sin_nivel),
                num(f.rechazadas),
                f.total,
                svg::apilada(&segs, 120.0)
            );
        }
        b.push_str("</table>\n");
    }
    b.push_str("</section>\n");
}

fn rechazos(b: &mut String, a: &Agregado) {
    b.push_str("<section id=\"rechazos\">\n<h2>Filas rechazadas y por qué</h2>\n");
    if a.rechazos.is_empty() {
        b.push_str(
            "<p class=\"vacio\">Ninguna: todas las filas se pudieron evaluar.</p>\n</section>\n",
        );
        return;
    }
    b.push_str("<p>Estas filas tienen errores en los datos y no se evaluaron. Corrija la planilla y vuelva a generar el informe.</p>\n");
    b.push_str("<table>\n<tr><th>Columna con el error</th><th class=\"n\">Filas</th></tr>\n");
    for m in &a.motivos_rechazo {
        let _ = writeln!(
            b,
            "<tr><td><code>{}</code></td>{}</tr>",
            e(&m.nombre),
            num(m.organizaciones)
        );
    }
    b.push_str("</table>\n<table>\n<tr><th class=\"n\">Fila</th><th>Código</th><th>Nombre</th><th>Errores</th></tr>\n");
    for r in &a.rechazos {
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
    b.push_str("</table>\n</section>\n");
}

fn provisionales(b: &mut String, a: &Agregado) {
    b.push_str(
        "<section id=\"provisionales\">\n<h2>Resultados provisionales y datos que faltan</h2>\n",
    );
    if a.provisionales_detalle.is_empty() {
        b.push_str("<p class=\"vacio\">Ninguno: a ninguna organización le faltan datos que puedan cambiar su nivel.</p>\n</section>\n");
        return;
    }
    b.push_str("<p>Un resultado es <b>provisional</b> cuando faltan datos para descartar un nivel más alto: la organización tiene al menos el nivel indicado, pero podría estar más arriba. Completar estos datos en la ficha es lo primero.</p>\n");
    b.push_str("<table>\n<tr><th>Dato que falta</th><th class=\"n\">Organizaciones</th></tr>\n");
    for c in &a.datos_faltantes {
        let _ = writeln!(
            b,
            "<tr><td><code>{}</code></td>{}</tr>",
            e(&c.nombre),
            num(c.organizaciones)
        );
    }
    b.push_str("</table>\n<table>\n<tr><th>Código</th><th>Nombre</th><th>Nivel</th><th>Niveles posibles</th><th>Datos que faltan</th></tr>\n");
    for p in &a.provisionales_detalle {
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
    b.push_str("</table>\n</section>\n");
}

fn criterios(b: &mut String, a: &Agregado) {
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
            .map(por_ciento)
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
    b.push_str("<table>\n<tr><th>Criterio</th><th class=\"n\">Cumplen</th><th>%</th><th class=\"n\">No cumplen</th><th class=\"n\">Sin dato</th><th class=\"n\">No aplica</th><th class=\"n\">Frena</th><th class=\"n\">Sostiene</th></tr>\n");
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
            c.proporcion.map(por_ciento).unwrap_or_else(|| "—".into()),
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
        "para <b>{}</b> ({} {}): {}",
        e(&g.nivel),
        g.minimo,
        if g.minimo == 1 { "cambio" } else { "cambios" },
        parts.join("; ")
    )
}

fn decisivos(b: &mut String, inf: &Informe) {
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
    b.push_str("<table class=\"decisivos\">\n<tr><th>Organización</th><th>Nivel</th><th>Lo sostienen</th><th>Le impide subir</th></tr>\n");
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
            ids(p.sostienen())
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
        let fragil = if p.fragil.as_ref().is_some_and(|f| f.is_fragile()) {
            "<span class=\"marca fragil\">frágil</span>"
        } else {
            ""
        };
        let prov = if p.provisional {
            "<span class=\"marca prov\">provisional</span>"
        } else {
            ""
        };
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

fn sin_efecto(b: &mut String, a: &Agregado) {
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
    b.push_str("</ul>\n<h3>Recomendaciones: a cuántas organizaciones se dan</h3>\n<table>\n<tr><th>Recomendación</th><th>Se da por</th><th class=\"n\">Organizaciones</th></tr>\n");
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

fn pendiente(c: &Pendiente) -> String {
    let datos = c
        .datos
        .iter()
        .map(|d| format!("{} = {}", e(&d.nombre), e(&d.texto)))
        .collect::<Vec<_>>()
        .join("; ");
    let estado = if c.resultado == Tri::Unknown {
        "sin dato: completar primero"
    } else {
        "no cumple"
    };
    let datos = if datos.is_empty() {
        String::new()
    } else {
        format!("; {datos}")
    };
    format!(
        "{} <span class=\"id\">{}</span> <span class=\"etiquetas\">({estado}{datos})</span>",
        e(&c.titulo),
        e(&c.id)
    )
}

fn paso(b: &mut String, a: &Agregado, p: &Perfil, s: &PasoNivel, detail: bool) {
    let assigned = p.nivel.as_deref() == Some(s.id.as_str());
    let verdict = match (s.resultado, s.en_otro_caso) {
        (Tri::Yes, true) => "se asigna porque no cumple ningún nivel anterior".to_string(),
        (Tri::Yes, false) => format!(
            "<b>se cumple</b>: cumple {} de {} criterios que cuenta este nivel",
            s.cumplidos, s.aplicables
        ),
        (Tri::No, _) => format!(
            "no se cumple: cumple {} de {} criterios",
            s.cumplidos, s.aplicables
        ),
        (Tri::Unknown, true) => {
            "no se puede asignar: un nivel anterior quedó sin decidir".to_string()
        }
        (Tri::Unknown, false) => format!(
            "<b>sin decidir</b> por falta de datos: cumple {} de {}",
            s.cumplidos, s.aplicables
        ),
    };
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
            " {}: {titles} (vea qué le falta).",
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

fn perfil(b: &mut String, a: &Agregado, p: &Perfil, i: usize) {
    let prov = if p.provisional {
        "<span class=\"marca prov\">provisional</span>"
    } else {
        ""
    };
    let fragil = if p.fragil.as_ref().is_some_and(|f| f.is_fragile()) {
        "<span class=\"marca fragil\">frágil</span>"
    } else {
        ""
    };
    let _ = writeln!(
        b,
        "<article class=\"perfil\" id=\"org-{i}\">\n<header><h3>{} — {}</h3>{}{prov}{fragil}</header>",
        e(&p.quien()),
        e(p.nombre.as_deref().unwrap_or("(sin nombre)")),
        insignia(a, p.nivel.as_deref())
    );
    let mut labels: Vec<String> = p
        .etiquetas
        .iter()
        .map(|t| {
            let title = super::DESGLOSES
                .iter()
                .find(|d| d.0 == t.campo)
                .map(|d| d.1)
                .unwrap_or(&t.campo);
            format!(
                "{}: {}",
                e(title),
                t.valor
                    .as_deref()
                    .map(e)
                    .unwrap_or_else(|| "sin dato".into())
            )
        })
        .collect();
    labels.push(format!("fila {}", p.fila));
    let _ = writeln!(b, "<p class=\"etiquetas\">{}</p>", labels.join(" · "));
    if p.provisional {
        let faltan = if p.faltan.is_empty() {
            String::new()
        } else {
            format!(" Complete: {}.", ids(&p.faltan))
        };
        let _ = writeln!(
            b,
            "<p class=\"aviso\">Resultado provisional: niveles posibles {}.{faltan}</p>",
            ids(&p.posibles)
        );
    }
    b.push_str("<div class=\"cols\">\n<div>\n<h4>Criterios cumplidos por dimensión</h4>\n");
    let grupos: Vec<(&str, super::Cuentas)> = a
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
    b.push_str("</div>\n<div>\n<h4>¿Por qué este nivel?</h4>\n<ol class=\"pasos\">\n");
    for (k, s) in p.por_que.iter().enumerate() {
        paso(b, a, p, s, p.detalla(k));
    }
    b.push_str("</ol>\n");
    if !p.sostienen().is_empty() {
        let _ = writeln!(
            b,
            "<p>Lo sostienen (bajaría de nivel sin cualquiera de ellos): {}.</p>",
            ids(p.sostienen())
        );
    }
    if let Some(f) = p.fragil.as_ref().filter(|f| !f.margen.is_empty()) {
        let _ = writeln!(
            b,
            "<p>Decididos por una unidad o menos de su umbral: {}.</p>",
            ids(&f.margen)
        );
    }
    b.push_str("</div>\n</div>\n");
    if let Some(g) = &p.le_falta {
        let _ = writeln!(
            b,
            "<h4>Qué le falta para {}</h4>\n<p>Al menos {} {}:</p>\n<ul>",
            insignia(a, Some(&g.nivel)),
            g.minimo,
            if g.minimo == 1 { "cambio" } else { "cambios" }
        );
        for c in &g.criterios {
            let _ = writeln!(b, "<li>Cumplir {}</li>", pendiente(c));
        }
        for alt in &g.alternativas {
            let class = if alt.opciones.len() > 3 {
                " class=\"alternativas\""
            } else {
                ""
            };
            let _ = write!(
                b,
                "<li>Cumplir {} de estos {}:<ul{class}>",
                alt.cuantos,
                alt.opciones.len()
            );
            for c in &alt.opciones {
                let _ = write!(b, "<li>{}</li>", pendiente(c));
            }
            b.push_str("</ul></li>\n");
        }
        for c in &g.condiciones {
            let _ = writeln!(b, "<li>Que se cumpla {}</li>", e(c));
        }
        b.push_str("</ul>\n");
    }
    b.push_str("<h4>Recomendaciones</h4>\n");
    if p.recomendaciones.is_empty() {
        b.push_str("<p class=\"vacio\">Ninguna.</p>\n");
    } else {
        b.push_str("<ul>\n");
        for r in p
            .recomendaciones
            .iter()
            .filter_map(|&i| a.recomendaciones.get(i as usize))
        {
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
        b.push_str("</ul>\n");
    }
    b.push_str("</article>\n");
}

/// The audit block: program, rule and data files with their SHA-256, read
/// options and date.
pub fn auditoria(b: &mut String, au: &Auditoria) {
    b.push_str("<section id=\"auditoria\">\n<h2>Auditoría</h2>\n<p>Con qué se produjo este informe. Con los mismos archivos (la misma huella SHA-256) y la misma versión de <code>reglas</code>, los resultados son los mismos.</p>\n<table class=\"auditoria\">\n");
    let _ = writeln!(
        b,
        "<tr><th>Programa</th><td colspan=\"2\">{}</td></tr>",
        e(&au.programa())
    );
    for r in &au.reglas {
        let _ = writeln!(
            b,
            "<tr><th>Reglas</th><td><code>{}</code><br>{}</td><td class=\"hash\">SHA-256 {}</td></tr>",
            e(&r.archivo),
            e(&r.nombre_reglas()),
            e(r.sha256.as_deref().unwrap_or("no disponible"))
        );
    }
    for (i, d) in au.datos.iter().enumerate() {
        let lectura = au
            .lectura
            .get(i)
            .map(|l| format!("<br>leído como: {}", e(&l.describir())))
            .unwrap_or_default();
        let _ = writeln!(
            b,
            "<tr><th>Datos</th><td><code>{}</code>{lectura}</td><td class=\"hash\">SHA-256 {}</td></tr>",
            e(&d.archivo),
            e(d.sha256.as_deref().unwrap_or("no disponible"))
        );
    }
    let _ = writeln!(
        b,
        "<tr><th>Fecha de evaluación</th><td colspan=\"2\">{}</td></tr>",
        e(au.fecha.as_deref().unwrap_or("no registrada"))
    );
    b.push_str("</table>\n</section>\n<footer>Generado por <code>reglas informe</code>. Este archivo no necesita conexión a internet: se puede abrir, guardar e imprimir sin red.</footer>\n");
}

/// The `reglas avance --formato html` page.
pub fn avance(av: &Avance, au: &Auditoria) -> String {
    let mut b = String::new();
    b.push_str("<header>\n<h1>Avance entre la línea base y el seguimiento</h1>\n");
    let rules = |c: &super::progress::Corte| {
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
                e(n)
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
    let _ = writeln!(
        b,
        "<div class=\"tarjetas\"><div class=\"tarjeta\"><b>{}</b><span>en los dos archivos</span></div>\
         <div class=\"tarjeta\"><b class=\"sube-t\">{}</b><span>suben de nivel</span></div>\
         <div class=\"tarjeta\"><b>{}</b><span>se mantienen</span></div>\
         <div class=\"tarjeta\"><b class=\"baja-t\">{}</b><span>bajan de nivel</span></div>\
         <div class=\"tarjeta\"><b>{}</b><span>sin comparar</span></div></div>",
        av.en_ambos, av.suben, av.se_mantienen, av.bajan, av.sin_comparar
    );
    if let (Some(desde), Some(hasta)) = (&av.meta.desde, &av.meta.hasta) {
        match av.meta.proporcion {
            Some(p) => {
                let _ = write!(
                    b,
                    "<p><b>Meta:</b> de {} en el nivel <code>{}</code> en la línea base, <b>{} ({})</b> llegaron a <code>{}</code> o más.",
                    plural(av.meta.en_linea_base, "organización", "organizaciones"),
                    e(desde),
                    av.meta.alcanzaron,
                    por_ciento(p),
                    e(hasta)
                );
            }
            None => {
                let _ = write!(b, "<p><b>Meta:</b> ninguna organización estaba en el nivel <code>{}</code> en la línea base y en el seguimiento.", e(desde));
            }
        }
        if av.meta.sin_seguimiento > 0 {
            let _ = write!(b, " ({} en ese nivel en la línea base no aparecen en el seguimiento y no se cuentan.)", av.meta.sin_seguimiento);
        }
        b.push_str("</p>\n");
    }
    b.push_str("<p><b>Sin comparar</b>: organizaciones sin nivel (faltan datos) o rechazadas por errores en alguno de los dos archivos.</p>\n");

    b.push_str("<h2>Matriz de transición</h2>\n<p>Filas: nivel en la línea base. Columnas: nivel en el seguimiento. Sobre la diagonal se mantienen; a la derecha de la diagonal bajan; a la izquierda suben.</p>\n");
    b.push_str("<table class=\"matriz\">\n<tr><th>Línea base ↓ / Seguimiento →</th>");
    for s in &av.estados {
        let _ = write!(b, "<th class=\"n\">{}</th>", e(s));
    }
    b.push_str("<th class=\"n\">total</th></tr>\n");
    let levels = av.estados.len().saturating_sub(2);
    let mut totals = vec![0usize; av.estados.len()];
    for (i, row) in av.matriz.iter().enumerate() {
        let _ = write!(b, "<tr><th>{}</th>", e(&av.estados[i]));
        for (j, n) in row.iter().enumerate() {
            totals[j] += n;
            let class = if i < levels && j < levels {
                if i == j {
                    "diag"
                } else if j < i {
                    "sube"
                } else {
                    "baja"
                }
            } else {
                ""
            };
            let zero = if *n == 0 { " cero" } else { "" };
            let _ = write!(b, "<td class=\"n {class}{zero}\">{n}</td>");
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

    b.push_str("<h2>Cambios por organización</h2>\n<table>\n<tr><th>Organización</th><th>Línea base</th><th>Seguimiento</th><th>Cambio</th><th>Criterios ganados</th><th>Criterios perdidos</th></tr>\n");
    let title = |id: &str| {
        av.criterios
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.titulo.clone())
            .unwrap_or_default()
    };
    let list = |v: &[String]| -> String {
        if v.is_empty() {
            return String::new();
        }
        format!(
            "<ul>{}</ul>",
            v.iter()
                .map(|id| format!(
                    "<li>{} <span class=\"id\">{}</span></li>",
                    e(&title(id)),
                    e(id)
                ))
                .collect::<String>()
        )
    };
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
            list(&c.ganados),
            list(&c.perdidos)
        );
    }
    b.push_str("</table>\n");
    for (t, v) in [
        ("Solo en la línea base", &av.solo_linea_base),
        ("Solo en el seguimiento", &av.solo_seguimiento),
    ] {
        let _ = writeln!(b, "<h3>{t} ({})</h3>", v.len());
        if v.is_empty() {
            b.push_str("<p class=\"vacio\">Ninguna.</p>\n");
            continue;
        }
        b.push_str("<table>\n<tr><th>Código</th><th>Nombre</th><th>Estado</th></tr>\n");
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
    b.push_str("</section>\n");
}
