//! The HTML report: one self-contained page (inline CSS and SVG, no
//! scripts, no fonts or images from elsewhere) that opens offline and prints
//! well. A Content-Security-Policy forbids loading anything, as a second
//! line of defence behind the escaping of every text from the data.

use std::fmt::Write;
use std::io;

use super::aggregate::Agregado;
use super::escape::html as e;
use super::svg;
use super::{Informe, Perfil};
use crate::provenance::Auditoria;

mod avance;
mod perfil;
mod resumen;

pub use avance::{avance, seccion_avance};
use perfil::perfil;
use resumen::{criterios, decisivos, provisionales, rechazos, resumen, sin_efecto};

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
.tarjeta b small { font-size: .55em; font-weight: 600; color: var(--suave); }
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
.portada .proyecto { color: var(--acento); font-weight: 600; text-transform: uppercase; letter-spacing: .04em; font-size: .85rem; margin: 0 0 4px; }
.portada .periodo { font-size: 1.05rem; margin: 2px 0 6px; }
.portada .filtro { display: inline-block; background: #eef3ef; border: 1px solid #b9d3c2; border-radius: 6px; padding: 4px 10px; margin: 4px 0 10px; }
td small { color: var(--suave); font-size: .8em; margin-left: 3px; }
table.cada-criterio th { width: 26%; }
table.cada-criterio th small { color: var(--suave); font-weight: 400; white-space: nowrap; }
table.cada-criterio td { line-height: 1.55; }
.c { margin-right: .7em; }
.c.si { color: #1e6b3f; }
.c.no { color: #a63f2a; font-weight: 600; }
.c.sd { color: #8a5a00; }
.c.na { color: #8a8f8c; }
.sost { text-decoration: underline; text-decoration-thickness: 1.5px; text-underline-offset: 2px; }
.solo-impresa { display: none; }
.titulo-tabla { display: flex; flex-wrap: wrap; align-items: baseline; column-gap: 16px; }
.titulo-tabla .leyenda { margin: 0; }
@media print {
  @page { size: A4; margin: 12mm 12mm 14mm; }
  body { background: #fff; font-size: 9pt; line-height: 1.3; }
  main { max-width: none; padding: 0; }
  /* Paper keeps what a reader needs; the long detail stays on screen. */
  nav.indice, .solo-pantalla { display: none !important; }
  .solo-impresa { display: revert; }
  .portada { border-bottom: 3px solid var(--acento); padding-bottom: 6px; margin-bottom: 8px; }
  .sub { margin-bottom: 6px; }
  p { margin: 4px 0; }
  h1 { font-size: 18pt; }
  h2 { font-size: 12.5pt; margin: 14px 0 6px; padding-bottom: 3px; }
  h3 { font-size: 10.5pt; margin: 10px 0 4px; }
  h4 { font-size: 8.5pt; margin: 8px 0 3px; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  /* A heading never ends a page: it stays with what follows. */
  h2 + *, h3 + *, h4 + *, h2 + p + *, h3 + p + * { break-before: avoid; page-break-before: avoid; }
  /* The few lines that introduce a table or chart stay whole with it. */
  h2 + p, h3 + p { break-inside: avoid; page-break-inside: avoid; }
  table { font-size: 8pt; margin: 3px 0 8px; }
  th, td { padding: 2px 5px; }
  thead { display: table-header-group; }
  /* A list item with a list inside may be long: only the innermost ones
     stay whole, or a long one would be pushed to the next page first. */
  tr, li:not(:has(ul, ol)), .grafico, .tarjetas, .aviso, .peligro { break-inside: avoid; page-break-inside: avoid; }
  .tarjetas { margin: 6px 0 8px; }
  .tarjeta { padding: 4px 10px; min-width: 0; flex: 1; }
  .tarjeta b { font-size: 1.15rem; }
  .aviso { padding: 5px 10px; margin: 6px 0; }
  .grafico { margin: 2px 0 4px; max-height: 55mm; width: auto; }
  .leyenda { font-size: 7.5pt; }
  /* The criteria tables: one line per criterion where the title allows. */
  section#criterios table { table-layout: fixed; }
  section#criterios th:first-child { width: 40%; }
  section#criterios th:nth-child(2) { width: 9%; }
  section#criterios th:nth-child(3) { width: 12%; }
  section#criterios th.n { white-space: normal; font-size: 7pt; padding: 2px 3px; }
  section#criterios .id { font-size: 7pt; }
  section#criterios svg.medidor { width: 40px; }
  table.decisivos { font-size: 7.5pt; }
  table.decisivos code { font-size: 7pt; }
  table.decisivos td:nth-child(1) { width: 31%; } table.decisivos td:nth-child(2) { width: 19%; } table.decisivos td:nth-child(3) { width: 22%; }
  td .nivel, td .marca { font-size: 7pt; padding: 0 6px; }
  table.cambios td:nth-child(1) { width: 30%; } table.cambios td:nth-child(4) { width: 9%; }
  section#sin-efecto table { font-size: 7.5pt; }
  section#sin-efecto td { padding: 1px 5px; }
  /* Each profile on a page of its own, and on one page: the verdict, what
     it lacks (in two columns when long), the first recommendations and
     the table of each criterion. */
  section#perfiles { break-before: page; page-break-before: always; }
  section#perfiles article.perfil + article.perfil { break-before: page; page-break-before: always; }
  section#perfiles article.perfil { border: none; padding: 0; margin: 0; }
  article.perfil { font-size: 8.5pt; line-height: 1.25; }
  article.perfil > header { padding-bottom: 4px; break-after: avoid; page-break-after: avoid; }
  article.perfil .etiquetas, article.perfil .id, article.perfil code { font-size: .9em; }
  article.perfil > ul { font-size: 8pt; columns: 2; column-gap: 18px; }
  article.perfil > ul:not(:has(> li:nth-child(3))) { columns: 1; }
  article.perfil li { margin: 1px 0; }
  ul.alternativas { columns: 2; }
  table.cada-criterio { font-size: 7.5pt; }
  table.cada-criterio th { width: 21%; }
  table.cada-criterio td { line-height: 1.4; }
  .titulo-tabla { break-after: avoid; page-break-after: avoid; }
  .titulo-tabla h4 { margin-bottom: 2px; }
  footer { break-before: avoid; margin-top: 10px; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// The start of a page, up to the opening of `<main>`. `pie` is the text
/// printed at the foot of each page, next to the page number.
fn cabecera(titulo: &str, pie: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"generator\" content=\"reglas {}\">\n\
         <title>{}</title>\n<style>{CSS}\n@page {{ @bottom-left {{ content: {}; font: 8pt sans-serif; color: #5b635e; }} \
         @bottom-right {{ content: \"Página \" counter(page) \" de \" counter(pages); font: 8pt sans-serif; color: #5b635e; }} }}\n</style>\n</head>\n<body>\n<main>\n",
        crate::build_info::TEXTO,
        e(titulo),
        css_string(pie)
    )
}

/// A CSS string literal: quotes and backslashes escaped, and `<` written as
/// an escape so no text can close the `<style>` element.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("\\3c "),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const PIE: &str = "</main>\n</body>\n</html>\n";

/// A complete page around `cuerpo`.
fn pagina(titulo: &str, cuerpo: &str) -> String {
    format!("{}{cuerpo}{PIE}", cabecera(titulo, titulo))
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

/// The `provisional` and `frágil` marks of a profile (empty when not).
fn marcas(p: &Perfil) -> (&'static str, &'static str) {
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
    (prov, fragil)
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

/// The whole `reglas informe` page, written piece by piece (one profile at
/// a time) so a large report is never held in memory as a whole.
pub fn escribir_informe(inf: &Informe, w: &mut dyn io::Write) -> io::Result<()> {
    let a = &inf.resumen;
    let pr = &inf.presentacion;
    let titulo = pr.titulo.as_deref().unwrap_or(super::TITULO);
    let pie: Vec<&str> = [pr.proyecto.as_deref(), Some(titulo), pr.periodo.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let mut b = cabecera(titulo, &pie.join(" — "));
    portada(&mut b, inf, titulo);
    indice(&mut b, inf);
    resumen(&mut b, a);
    rechazos(&mut b, a);
    provisionales(&mut b, a);
    criterios(&mut b, a);
    w.write_all(b.as_bytes())?;
    let mut b = String::new();
    if inf.con_perfiles() {
        decisivos(&mut b, inf);
    }
    sin_efecto(&mut b, a);
    if !inf.con_perfiles() {
        sin_perfiles(&mut b, inf);
        w.write_all(b.as_bytes())?;
        let mut b = String::new();
        auditoria(&mut b, &inf.auditoria);
        b.push_str(PIE);
        return w.write_all(b.as_bytes());
    }
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

/// The title block: project, title, period, what was evaluated and, when
/// filtered, which part of the data.
fn portada(b: &mut String, inf: &Informe, titulo: &str) {
    let a = &inf.resumen;
    let pr = &inf.presentacion;
    b.push_str("<header class=\"portada\">\n");
    if let Some(p) = &pr.proyecto {
        let _ = writeln!(b, "<p class=\"proyecto\">{}</p>", e(p));
    }
    let _ = writeln!(b, "<h1>{}</h1>", e(titulo));
    if let Some(p) = &pr.periodo {
        let _ = writeln!(b, "<p class=\"periodo\">Período: {}</p>", e(p));
    }
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
    let _ = writeln!(
        b,
        "<p class=\"sub\">Reglas: <b>{}</b>{version} · Datos: {datos}{fecha}</p>",
        e(&a.reglas)
    );
    if let Some(f) = inf.filtrado.frase(a.leidas) {
        let _ = writeln!(b, "<p class=\"filtro\">{}</p>", e(&f));
    }
    b.push_str("</header>\n");
}

/// The table of contents (not printed).
fn indice(b: &mut String, inf: &Informe) {
    b.push_str(
        "<nav class=\"indice\" aria-label=\"Contenido\"><a href=\"#resumen\">Resumen</a><a href=\"#rechazos\">Filas rechazadas</a>\
         <a href=\"#provisionales\">Provisionales</a><a href=\"#criterios\">Criterios</a>",
    );
    if inf.con_perfiles() {
        b.push_str("<a href=\"#decisivos\">Qué decidió cada nivel</a>");
    }
    b.push_str("<a href=\"#sin-efecto\">Reglas sin efecto</a>");
    if inf.con_perfiles() {
        b.push_str("<a href=\"#perfiles\">Perfiles</a>");
    }
    b.push_str("<a href=\"#auditoria\">Auditoría</a></nav>\n");
}

/// In place of the profiles: why they are not here and where each
/// organization's result is.
fn sin_perfiles(b: &mut String, inf: &Informe) {
    let Some(limite) = inf.resumen.recortado else {
        return;
    };
    let donde = match &inf.presentacion.organizaciones {
        Some(f) => format!(
            "El resultado de cada organización (nivel, datos que faltan, recomendaciones y cada criterio) está en el libro <code>{}</code>.",
            e(f)
        ),
        None => "Para el resultado de cada organización, genere el informe con <code>--organizaciones organizaciones.xlsx</code> o use <code>reglas evaluar … --salida resultados.xlsx</code>.".to_string(),
    };
    let _ = writeln!(
        b,
        "<section id=\"perfiles\">\n<h2>Perfiles de las organizaciones</h2>\n<p class=\"aviso\">Con más de {limite} organizaciones el informe no incluye un perfil por organización (sería demasiado largo para leer o imprimir): tiene el resumen, los gráficos y las tablas. {donde}</p>\n</section>"
    );
}

/// The whole `reglas informe` page as one text.
pub fn informe(inf: &Informe) -> String {
    let mut out = Vec::new();
    let _ = escribir_informe(inf, &mut out);
    String::from_utf8_lossy(&out).into_owned()
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
