//! Reports: the aggregate data and Markdown profiles of `reglas informe`,
//! the escaping of text from the data, the baseline vs follow-up comparison
//! of `reglas avance`, the two commands run as a user would, and the HTML
//! rendered in a real headless browser (Debian's chromium) when installed,
//! and the workbooks (`evaluar --salida …xlsx`, `avance --salida …xlsx`)
//! opened with a real reader (calamine): cell types and contents, the hidden
//! quote prefix instead of a visible apostrophe, widths, frozen header,
//! filters, level colours and the «Leyenda» sheet.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use calamine::{open_workbook_auto, Data, Range, Reader};
use reglas::data::{open, ReadOptions, Row};
use reglas::eval::{Detail, Evaluator, Prepared, Salida};
use reglas::provenance::{ArchivoHuella, Auditoria, LecturaUsada};
use reglas::report::{self, Informe};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const CEPAC: &str = "rules/cepac.reglas";
const ORGS: &str = "rules/ejemplos/organizaciones.csv";
const ERRORES: &str = "rules/ejemplos/organizaciones-con-errores.csv";
const SEGUIMIENTO: &str = "rules/ejemplos/seguimiento.csv";
const CHIQUITANIA: &str = "rules/regiones/chiquitania.reglas";

/// The same as the CLI's `evaluate_row`, with the trace on.
fn evaluate(ev: &Evaluator, row: Row) -> Salida {
    ev.salida(Prepared::from(row), Detail::Full)
}

/// Evaluates a data file into a report, with a fixed date.
fn informe(rules: &str, data: &str) -> Informe {
    let rules = root().join(rules);
    let data = root().join(data);
    let loaded = reglas::load::load_file(&rules);
    let program = loaded.program.as_ref().expect("las reglas cargan");
    let source = open(&data, &program.schema, &ReadOptions::default()).expect("los datos se leen");
    let lectura = LecturaUsada::new(&data, source.detected());
    let auditoria = Auditoria {
        version_programa: "prueba".into(),
        commit_programa: "0123456789ab".into(),
        fecha_compilacion: "2025-01-01".into(),
        reglas: ArchivoHuella::de_programa(program),
        datos: vec![ArchivoHuella::datos(&data)],
        lectura: vec![lectura],
        fecha: Some("2025-01-31".into()),
    };
    let ev = Evaluator::new(program);
    report::recolectar(program, source, |row| evaluate(&ev, row), auditoria)
}

/// The report with file paths made relative and hashes removed, so
/// snapshots do not depend on where the repository is or on edits of the
/// example files.
fn sin_rutas(mut inf: Informe) -> Informe {
    let base = format!("{}/", root().display());
    for f in inf
        .auditoria
        .reglas
        .iter_mut()
        .chain(inf.auditoria.datos.iter_mut())
    {
        f.archivo = f.archivo.replace(&base, "");
        f.sha256 = None;
    }
    for l in &mut inf.auditoria.lectura {
        l.archivo = l.archivo.replace(&base, "");
    }
    inf
}

// ------------------------------------------------------------ aggregates

#[test]
fn agregado_organizaciones() {
    let inf = informe(CEPAC, ORGS);
    let a = &inf.resumen;
    // The counts in rules/ejemplos/LEEME.md.
    assert_eq!(
        (
            a.leidas,
            a.evaluadas,
            a.rechazadas,
            a.provisionales,
            a.sin_nivel
        ),
        (20, 20, 0, 6, 3)
    );
    let per_level: Vec<(&str, usize)> = a
        .niveles
        .iter()
        .map(|l| (l.id.as_str(), l.organizaciones))
        .collect();
    assert_eq!(
        per_level,
        [("consolidada", 1), ("en_proceso", 12), ("embrionaria", 4)]
    );
    // Every breakdown adds up to the rows read.
    assert_eq!(a.desgloses.len(), 3);
    for d in &a.desgloses {
        assert_eq!(
            d.filas.iter().map(|f| f.total).sum::<usize>(),
            20,
            "{}",
            d.campo
        );
    }
    assert_eq!(inf.perfiles.len(), 20);
    insta::assert_json_snapshot!("agregado_organizaciones", a);
}

/// The counts from compact traces (what a report of many organizations
/// uses) are those from full ones.
#[test]
fn agregado_con_traza_compacta() {
    let rules = root().join(CEPAC);
    let loaded = reglas::load::load_file(&rules);
    let program = loaded.program.as_ref().unwrap();
    let ev = Evaluator::new(program);
    let run = |detail: Detail| {
        let source = open(&root().join(ORGS), &program.schema, &ReadOptions::default()).unwrap();
        report::recolectar(
            program,
            source,
            |row| ev.salida(Prepared::from(row), detail),
            Auditoria::default(),
        )
        .resumen
    };
    let (full, compact) = (run(Detail::Full), run(Detail::Compact));
    assert_eq!(
        serde_json::to_value(&full.criterios).unwrap(),
        serde_json::to_value(&compact.criterios).unwrap()
    );
    assert_eq!(
        serde_json::to_value(&full.grupos).unwrap(),
        serde_json::to_value(&compact.grupos).unwrap()
    );
    assert_eq!(
        serde_json::to_value(&full.niveles).unwrap(),
        serde_json::to_value(&compact.niveles).unwrap()
    );
    assert!(full
        .criterios
        .iter()
        .any(|c| c.cumplen > 0 && c.impide_subir > 0));
}

#[test]
fn agregado_con_filas_rechazadas() {
    let inf = informe(CEPAC, ERRORES);
    let a = &inf.resumen;
    assert_eq!(a.leidas, 14);
    assert_eq!(a.rechazadas, 9);
    assert_eq!(a.evaluadas + a.rechazadas, a.leidas);
    assert_eq!(a.rechazos.len(), 9);
    // The repeated code is rejected and says so.
    assert!(a
        .rechazos
        .iter()
        .any(|r| r.fila == 13 && r.errores.iter().any(|e| e.mensaje.contains("se repite"))));
    insta::assert_json_snapshot!(
        "agregado_con_errores",
        (&a.rechazos, &a.motivos_rechazo, &a.niveles)
    );
}

#[test]
fn perfiles_markdown() {
    let inf = sin_rutas(informe(CEPAC, ORGS));
    let md = report::markdown::perfiles(&inf);
    // The summary, then the 20 profiles.
    assert_eq!(md.matches("\n## ").count(), 21);
    assert!(md.find("\n## Resumen\n").unwrap() < md.find("\n## AMB-001").unwrap());
    insta::assert_snapshot!("perfiles_md", md);
}

#[test]
fn informe_md_con_las_opciones_del_informe() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("resumen.md");
    let out = reglas(&[
        "informe",
        CEPAC,
        ORGS,
        "--solo-resumen",
        "--region",
        "chaco",
        "--titulo",
        "Informe semestral",
        "--proyecto",
        "Café Amboró",
        "--periodo",
        "enero a junio de 2025",
        "--fecha",
        "2025-06-30",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("Resumen escrito en"));
    let md = std::fs::read_to_string(&path).unwrap();
    assert!(
        md.starts_with("**Café Amboró**\n\n# Informe semestral\n\nPeríodo: enero a junio de 2025.")
    );
    assert!(md.contains("Solo las organizaciones con región = Chaco: 6 de 20 filas leídas."));
    // Only the summary: no profile of any organization.
    assert!(!md.contains("## CHA-001"), "{md}");
    assert!(!md.contains("\n---\n"));
    insta::assert_snapshot!("resumen_md", md);

    // Past the limit, the Markdown says where each result went.
    let xlsx = dir.path().join("organizaciones.xlsx");
    let path = dir.path().join("grande.md");
    let out = reglas(&[
        "informe",
        CEPAC,
        ORGS,
        "--limite-perfiles",
        "5",
        "--organizaciones",
        xlsx.to_str().unwrap(),
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let md = std::fs::read_to_string(&path).unwrap();
    assert!(md.contains("Con más de 5 organizaciones no se escribe un perfil por organización: el resultado de cada una está en el libro `organizaciones.xlsx`."), "{md}");
    assert!(!md.contains("## AMB-001"));
    assert_eq!(sheet(&xlsx, "resultados").height(), 21);
}

// ------------------------------------------------------------ escaping

#[test]
fn escape_html() {
    use reglas::report::escape::{html, md};
    assert_eq!(
        html("<script>alert(1)</script>"),
        "&lt;script&gt;alert(1)&lt;/script&gt;"
    );
    assert_eq!(
        html(r#""><img src=x onerror=alert(1)>"#),
        "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
    );
    assert_eq!(html("O'Brien & Cía."), "O&#39;Brien &amp; Cía.");
    assert_eq!(html("Café Amboró — Ñandú"), "Café Amboró — Ñandú");
    assert_eq!(
        md("<script>alert(1)</script>"),
        "\\<script\\>alert(1)\\</script\\>"
    );
    assert_eq!(md("a | b *c* [d](e)"), "a \\| b \\*c\\* \\[d\\](e)");
}

const MALICIOSO: &str = "<script>alert(1)</script>";

/// A copy of the example data with some text replaced (each once).
fn datos_cambiados(dir: &Path, name: &str, changes: &[(&str, &str)]) -> PathBuf {
    let mut text = std::fs::read_to_string(root().join(ORGS)).unwrap();
    for (from, to) in changes {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A copy of the example data with a name and a rubro made of markup.
fn datos_maliciosos(dir: &Path) -> PathBuf {
    datos_cambiados(
        dir,
        "maliciosos.csv",
        &[
            (
                "Asociación de Productores de Café Ecológico Amboró",
                MALICIOSO,
            ),
            (
                "amboro,miel,",
                "amboro,\"\"\"><img src=x onerror=alert(2)>\",",
            ),
        ],
    )
}

#[test]
fn el_informe_escapa_el_texto_de_los_datos() {
    let dir = tempfile::tempdir().unwrap();
    let data = datos_maliciosos(dir.path());
    let rules = root().join(CEPAC);
    let loaded = reglas::load::load_file(&rules);
    let program = loaded.program.as_ref().unwrap();
    let source = open(&data, &program.schema, &ReadOptions::default()).unwrap();
    let ev = Evaluator::new(program);
    let inf = report::recolectar(
        program,
        source,
        |row| evaluate(&ev, row),
        Auditoria::default(),
    );
    let page = report::html::informe(&inf);
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        !page.contains("<script"),
        "el HTML no debe tener ningún <script>"
    );
    assert!(
        !page.contains("<img"),
        "el HTML no debe tener ninguna etiqueta que venga de los datos"
    );
    assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
    let md = report::markdown::perfiles(&inf);
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"));
    // Every `<` in the Markdown is escaped.
    assert!(md.match_indices('<').all(|(i, _)| md[..i].ends_with('\\')));
}

// ------------------------------------------------------------ avance

fn avance_ejemplo() -> report::Avance {
    report::comparar(&informe(CEPAC, ORGS), &informe(CEPAC, SEGUIMIENTO))
}

#[test]
fn avance_matriz_y_conteos() {
    let av = avance_ejemplo();
    assert!(av.comparables);
    assert!(av.advertencias.is_empty(), "{:?}", av.advertencias);
    assert_eq!(
        av.estados,
        [
            "consolidada",
            "en_proceso",
            "embrionaria",
            "sin nivel",
            "rechazada"
        ]
    );
    assert_eq!(
        av.matriz,
        vec![
            vec![1, 0, 0, 0, 0],
            vec![2, 9, 0, 0, 0],
            vec![0, 2, 2, 0, 0],
            vec![1, 1, 0, 1, 0],
            vec![0, 0, 0, 0, 0],
        ]
    );
    assert_eq!(
        (
            av.conteos.en_ambos,
            av.conteos.suben,
            av.conteos.se_mantienen,
            av.conteos.bajan,
            av.conteos.sin_comparar
        ),
        (19, 4, 12, 0, 3)
    );
    assert_eq!(av.meta.desde.as_deref(), Some("embrionaria"));
    assert_eq!(av.meta.hasta.as_deref(), Some("en_proceso"));
    assert_eq!(
        (
            av.meta.en_linea_base,
            av.meta.alcanzaron,
            av.meta.proporcion
        ),
        (4, 2, Some(50.0))
    );

    let codes =
        |v: &[report::progress::Presencia]| v.iter().map(|p| p.codigo.clone()).collect::<Vec<_>>();
    assert_eq!(codes(&av.solo_linea_base), ["NOR-004"]);
    assert_eq!(codes(&av.solo_seguimiento), ["AMB-006"]);

    let org = |c: &str| av.organizaciones.iter().find(|o| o.codigo == c).unwrap();
    let chi1 = org("CHI-001");
    // Already en_proceso in the baseline (3.3.1 tolerates no missing
    // condition): it loses a criterion but keeps its level.
    assert_eq!(chi1.cambio, report::progress::Cambio::SeMantiene);
    assert_eq!(chi1.perdidos, ["decisiones_informadas"]);
    let amb3 = org("AMB-003");
    assert_eq!(amb3.cambio, report::progress::Cambio::Sube);
    assert!(amb3.ganados.contains(&"genera_excedentes".to_string()));
    assert!(amb3.perdidos.is_empty());
    // Matched by code, even with the name written differently.
    assert_eq!(
        org("NOR-002").nombre.as_deref(),
        Some("Asoc. de Piscicultores de Yapacaní")
    );

    // The logframe indicator, over the 19 organizations in both files.
    assert_eq!(av.porcentajes.suben, Some(21.1));
    assert_eq!(av.porcentajes.bajan, Some(0.0));
    // By region: every organization in both files counted once.
    let region = av.desgloses.iter().find(|d| d.campo == "region").unwrap();
    assert_eq!(
        region
            .filas
            .iter()
            .map(|f| f.conteos.en_ambos)
            .sum::<usize>(),
        av.conteos.en_ambos
    );
    let chaco = region
        .filas
        .iter()
        .find(|f| f.valor.as_deref() == Some("Chaco"))
        .unwrap();
    assert_eq!((chaco.conteos.en_ambos, chaco.conteos.suben), (6, 2));
    assert_eq!(chaco.porcentajes.suben, Some(33.3));
    // Row percentages of the matrix: each row adds up to 100 %.
    for (row, counts) in report::progress::row_shares(&av.matriz)
        .iter()
        .zip(&av.matriz)
    {
        let total: f64 = row.iter().flatten().sum();
        if counts.iter().sum::<usize>() > 0 {
            assert!((total - 100.0).abs() < 0.2, "{row:?}");
        }
    }

    let mut av = av;
    for f in av
        .linea_base
        .reglas
        .iter_mut()
        .chain(av.seguimiento.reglas.iter_mut())
    {
        f.sha256 = None;
        f.archivo = f.archivo.replace(&format!("{}/", root().display()), "");
    }
    for f in [&mut av.linea_base.datos, &mut av.seguimiento.datos] {
        f.sha256 = None;
        f.archivo = f.archivo.replace(&format!("{}/", root().display()), "");
    }
    insta::assert_json_snapshot!("avance_ejemplo", av);
}

#[test]
fn avance_con_filas_rechazadas() {
    // Baseline and follow-up the same file: rejected rows stay rejected,
    // and the same-file warning is given.
    let inf = informe(CEPAC, ERRORES);
    let av = report::comparar(&inf, &inf);
    let rej = av.estados.iter().position(|e| e == "rechazada").unwrap();
    // AMB-010 appears twice: its first (valid) row is the one matched.
    assert_eq!(av.matriz[rej][rej], 8);
    assert_eq!(av.conteos.sin_comparar, 8);
    assert!(av.comparables);
    assert!(av
        .advertencias
        .iter()
        .any(|w| w.contains("mismo archivo de datos")));
}

/// A copy of the CEPAC rules with `cambio` applied to its text.
fn reglas_modificadas(dir: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(root().join(CEPAC)).unwrap();
    assert!(text.contains(from));
    let path = dir.join(name);
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

fn informe_en(rules: &Path, data: &str) -> Informe {
    informe(rules.to_str().unwrap(), data)
}

#[test]
fn avance_advierte_si_las_reglas_difieren() {
    let dir = tempfile::tempdir().unwrap();
    let base = informe(CEPAC, ORGS);

    // Another version.
    let v11 = reglas_modificadas(
        dir.path(),
        "v11.reglas",
        "versión \"1.0\"",
        "versión \"1.1\"",
    );
    let av = report::comparar(&base, &informe_en(&v11, SEGUIMIENTO));
    assert!(!av.comparables);
    assert_eq!(av.advertencias.len(), 1);
    assert!(av.advertencias[0].contains("RESULTADOS NO COMPARABLES"));
    assert!(av.advertencias[0].contains("distinto título o versión"));

    // Same title and version, different content (a parameter changed).
    let tweaked = reglas_modificadas(
        dir.path(),
        "cambiada.reglas",
        "parámetro umbral_asistencia = 60%",
        "parámetro umbral_asistencia = 50%",
    );
    let av = report::comparar(&base, &informe_en(&tweaked, SEGUIMIENTO));
    assert!(!av.comparables);
    assert!(av.advertencias[0].contains("mismo título y versión, pero su contenido es distinto"));

    // A byte-identical copy elsewhere is the same rules.
    let copy = reglas_modificadas(dir.path(), "copia.reglas", "reglas", "reglas");
    let av = report::comparar(&base, &informe_en(&copy, SEGUIMIENTO));
    assert!(av.comparables, "{:?}", av.advertencias);
    assert!(av.advertencias.is_empty());

    // A regional variant of the same rules.
    let av = report::comparar(&base, &informe(CHIQUITANIA, SEGUIMIENTO));
    assert!(!av.comparables);
}

// ------------------------------------------------------------ command line

fn reglas(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reglas"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn cli_informe_html_y_md() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("informe.html");
    let out = reglas(&["informe", CEPAC, ORGS, "--salida", html.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("Informe escrito en"), "{err}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    for part in [
        "id=\"resumen\"",
        "id=\"rechazos\"",
        "id=\"provisionales\"",
        "id=\"criterios\"",
        "id=\"decisivos\"",
        "id=\"sin-efecto\"",
        "id=\"perfiles\"",
        "id=\"auditoria\"",
        "<svg",
        "@media print",
    ] {
        assert!(page.contains(part), "falta {part}");
    }
    assert_eq!(page.matches("<article class=\"perfil\"").count(), 20);
    // Each profile is verdict first, as `reglas explicar`: the verdict,
    // what it lacks, the recommendations (5 numbered, then the rest), and
    // only then the detail.
    let amb001 = &page[page.find("id=\"org-0\"").unwrap()..];
    let amb001 = &amb001[..amb001.find("</article>").unwrap()];
    let at = |s: &str| amb001.find(s).unwrap_or_else(|| panic!("falta {s}"));
    assert!(
        at("<p class=\"veredicto\">Nivel «Organización en proceso de consolidación»")
            < at("<h4>Qué le falta para «Organización consolidada»</h4>")
    );
    assert!(at("Qué le falta") < at("<h4>Recomendaciones</h4>"));
    assert!(at("<h4>Recomendaciones</h4>") < at("<h4>Resultado de cada criterio</h4>"));
    assert!(at("<h4>Resultado de cada criterio</h4>") < at("Criterios cumplidos por dimensión"));
    // The level badge in the header says the level's title, not its id.
    let header = &amb001[..at("</header>")];
    assert!(
        header.contains(">Organización en proceso de consolidación</span>"),
        "{header}"
    );
    assert!(!header.contains(">en_proceso<"), "{header}");
    // An undecided result is told to complete the survey, first, as
    // `reglas explicar` says (it used to read «Ninguna»).
    let amb004 = &page[page.find("id=\"org-3\"").unwrap()..];
    let amb004 = &amb004[..amb004.find("</article>").unwrap()];
    assert!(amb004.contains("AMB-004"), "{amb004}");
    let recs = &amb004[amb004.find("<h4>Recomendaciones</h4>").unwrap()..];
    assert!(
        recs.starts_with(
            "<h4>Recomendaciones</h4>\n<ol>\n<li>Completar la ficha: faltan <code>excedentes</code>"
        ),
        "{recs}"
    );
    // A person reads titles and survey questions in the summary too: the
    // possible levels and the missing data of a provisional result, what
    // keeps an organization from the next level.
    let provisional = &page[page.find("id=\"provisionales\"").unwrap()..];
    let provisional = &provisional[..provisional.find("</section>").unwrap()];
    assert!(provisional
        .contains("«Organización consolidada», «Organización en proceso de consolidación»"));
    assert!(provisional.contains(
        "<code>mercado_concreto</code> («¿Ha logrado un mercado concreto que mejora el ingreso de sus socios?»)"
    ));
    let decisive = &page[page.find("id=\"decisivos\"").unwrap()..];
    let decisive = &decisive[..decisive.find("</section>").unwrap()];
    assert!(decisive.contains(
        "para <b>Organización consolidada</b> (1 cambio): «Liderazgo femenino en el directorio»"
    ));
    for id in ["liderazgo_femenino", "genera_excedentes", "consolidada"] {
        assert!(
            !decisive.contains(&format!("<code>{id}</code>")),
            "{decisive}"
        );
    }
    // Rules without effect: criteria by title, recommendations by text,
    // each with its name in the rules for whoever edits them.
    let unused = &page[page.find("id=\"sin-efecto\"").unwrap()..];
    let unused = &unused[..unused.find("<h3>").unwrap()];
    assert!(
        unused.contains("«Se organizó de forma libre y voluntaria, sin afiliación política» (<code>libre_y_voluntaria</code>)"),
        "{unused}"
    );
    assert!(
        unused.contains("» (<code>mercados_y_certificaciones</code>)"),
        "{unused}"
    );
    assert_eq!(amb001.matches("<ol>\n<li>").count(), 1);
    // Paper keeps the first recommendations and says how many more there
    // are; the rest, the chart and the steps are for the screen.
    assert!(amb001.contains("<div class=\"solo-pantalla\">\n<p>Otras 2 recomendaciones:</p>"));
    assert!(amb001
        .contains("<p class=\"solo-impresa\">Y 2 recomendaciones más en la página del informe"));
    assert!(amb001.contains("<div class=\"cols solo-pantalla\">"));
    // The table of each criterion: a row per dimension, each criterion
    // marked, the one it lacks among them.
    assert_eq!(amb001.matches("<tr><th>").count(), 5);
    assert!(
        amb001.contains("<th>A nivel organizativo interno <small>12\u{a0}de\u{a0}13</small></th>")
    );
    assert!(amb001.contains(
        "<span class=\"c no\" title=\"no cumple\">✗\u{a0}Liderazgo femenino en el directorio"
    ));
    // The provisional ones say it in one sentence, marked.
    assert!(page.contains("<p class=\"veredicto aviso\">Provisional: es al menos «"));
    assert!(!page.contains("http://") && !page.contains("https://"));
    assert!(!page.contains("<script"));
    // The SHA-256 of the data file is in the audit block.
    let sha = reglas::provenance::sha256_file(&root().join(ORGS)).unwrap();
    assert!(page.contains(&sha));

    // Markdown, chosen by the extension.
    let md = dir.path().join("perfiles.md");
    let out = reglas(&["informe", CEPAC, ORGS, "-o", md.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.starts_with("# Perfiles de organizaciones"));
    assert!(text(&out.stderr).contains("Resumen y perfiles escritos en"));
    assert!(md.contains("## AMB-001 — Asociación de Productores de Café Ecológico Amboró"));

    // Rows with errors: the report is written, the exit code says 3.
    let html2 = dir.path().join("errores.html");
    let out = reglas(&[
        "informe",
        CEPAC,
        ERRORES,
        "--salida",
        html2.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(std::fs::read_to_string(&html2)
        .unwrap()
        .contains("Filas rechazadas y por qué"));
}

#[test]
fn cli_informe_no_sobrescribe_los_datos() {
    let before = std::fs::read(root().join(ORGS)).unwrap();
    let out = reglas(&["informe", CEPAC, ORGS, "--salida", ORGS]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("es uno de los archivos de entrada"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(root().join(ORGS)).unwrap(), before);
}

#[test]
fn cli_avance_formatos() {
    let out = reglas(&["avance", CEPAC, ORGS, SEGUIMIENTO]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(
        table.contains("Suben de nivel: 4 (21,1 %). Se mantienen: 12 (63,2 %). Bajan: 0 (0 %)."),
        "{table}"
    );
    assert!(
        table.contains("2 (50 %) llegaron a «Organización en proceso de consolidación» o más"),
        "{table}"
    );
    assert!(table.contains("NOR-004"));
    // Levels by title everywhere: the matrix rows, each organization's
    // states, the criteria it gained.
    assert!(
        table.contains("\n  (2) Organización en proceso de consolidación       2       9"),
        "{table}"
    );
    assert!(!table.contains("en_proceso"), "{table}");
    assert!(
        table.contains("+ cumple ahora: «Excedentes estables»"),
        "{table}"
    );
    assert!(!table.contains("ATENCIÓN"));

    let out = reglas(&["avance", CEPAC, ORGS, SEGUIMIENTO, "--formato", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["suben"], 4);
    assert_eq!(v["bajan"], 0);
    assert_eq!(v["comparables"], true);
    assert_eq!(v["solo_seguimiento"][0]["codigo"], "AMB-006");

    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("avance.html");
    let out = reglas(&[
        "avance",
        CEPAC,
        ORGS,
        SEGUIMIENTO,
        "--salida",
        html.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("Matriz de transición"));
    assert!(!page.contains("http://") && !page.contains("https://"));
}

#[test]
fn cli_avance_reglas_distintas_en_todos_los_formatos() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("avance.html");
    let json = dir.path().join("avance.json");
    let common = [
        "avance",
        CEPAC,
        ORGS,
        SEGUIMIENTO,
        "--reglas-seguimiento",
        CHIQUITANIA,
    ];

    let out = reglas(&common);
    assert_eq!(out.status.code(), Some(0));
    let table = text(&out.stdout);
    assert!(
        table.starts_with("¡ATENCIÓN! RESULTADOS NO COMPARABLES"),
        "{table}"
    );

    let mut args = common.to_vec();
    args.extend(["--salida", json.to_str().unwrap()]);
    let out = reglas(&args);
    assert!(text(&out.stderr).contains("RESULTADOS NO COMPARABLES"));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["comparables"], false);
    assert!(v["advertencias"][0]
        .as_str()
        .unwrap()
        .contains("RESULTADOS NO COMPARABLES"));

    let mut args = common.to_vec();
    args.extend(["--salida", html.to_str().unwrap()]);
    let out = reglas(&args);
    assert!(text(&out.stderr).contains("RESULTADOS NO COMPARABLES"));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("class=\"peligro\" role=\"alert\">⚠ RESULTADOS NO COMPARABLES"));
}

// ------------------------------------------------------------ real browser

const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs chromium headless with no network services; kills it after 2
/// minutes. Its output goes to files (a pipe could fill up and block it).
fn chromium(args: &[&str], work: &Path) -> (String, String) {
    std::fs::create_dir_all(work).unwrap();
    let out_path = work.join("salida.txt");
    let err_path = work.join("errores.txt");
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", work.join("perfil").display()))
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium no terminó en 2 minutos");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (
        std::fs::read_to_string(out_path).unwrap_or_default(),
        std::fs::read_to_string(err_path).unwrap_or_default(),
    )
}

#[test]
fn navegador_real_muestra_el_informe() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!(
            "AVISO: prueba omitida: no está {CHROMIUM} (instálelo con `apt-get install chromium`)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("informe.html");
    let out = reglas(&["informe", CEPAC, ORGS, "--salida", html.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "el informe no debe pedir nada a la red"
    );

    let png = dir.path().join("informe.png");
    let url = format!("file://{}", html.display());
    let (_, err) = chromium(
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1280,2000",
            &url,
        ],
        &dir.path().join("chromium1"),
    );
    let bytes =
        std::fs::read(&png).unwrap_or_else(|_| panic!("chromium no hizo la captura: {err}"));
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    // A blank page compresses to a few kilobytes; the report is much more.
    assert!(
        bytes.len() > 50_000,
        "captura sospechosamente pequeña: {} bytes",
        bytes.len()
    );
    if std::env::var_os("REGLAS_ACTUALIZAR_CAPTURA").is_some() {
        std::fs::create_dir_all(root().join("docs/img")).unwrap();
        std::fs::copy(&png, root().join("docs/img/informe.png")).unwrap();
    }

    // The browser's own DOM: the markup from the data is text, not elements.
    let evil = datos_maliciosos(dir.path());
    let evil_html = dir.path().join("malicioso.html");
    let out = reglas(&[
        "informe",
        CEPAC,
        evil.to_str().unwrap(),
        "--salida",
        evil_html.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (dom, _) = chromium(
        &["--dump-dom", &format!("file://{}", evil_html.display())],
        &dir.path().join("chromium2"),
    );
    assert!(
        dom.contains("Perfiles de las organizaciones"),
        "el navegador no mostró el informe"
    );
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        !dom.contains("<script"),
        "el navegador creó un elemento <script>"
    );
    assert!(!dom.contains("<img"), "el navegador creó un elemento <img>");
}

// ------------------------------------------------------------ workbooks

fn sheet(path: &Path, name: &str) -> Range<Data> {
    let mut wb = open_workbook_auto(path).unwrap();
    wb.worksheet_range(name).unwrap()
}

fn header(r: &Range<Data>) -> Vec<String> {
    r.rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect()
}

fn column(r: &Range<Data>, name: &str) -> usize {
    header(r)
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("falta la columna {name}: {:?}", header(r)))
}

/// The row whose first cell is `code`.
fn row<'a>(r: &'a Range<Data>, code: &str) -> &'a [Data] {
    r.rows()
        .find(|row| row[0] == Data::String(code.into()))
        .unwrap_or_else(|| panic!("falta la fila {code}"))
}

/// A file of the workbook's zip, as text.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// A copy of the example data whose first name and a code look like formulas.
fn formula_like(dir: &Path) -> PathBuf {
    datos_cambiados(
        dir,
        "formulas.csv",
        &[
            (
                "Asociación de Productores de Café Ecológico Amboró",
                "=1+2 Amboró",
            ),
            ("AMB-002,", "-AMB-002,"),
        ],
    )
}

#[test]
fn results_workbook_types_and_contents() {
    let dir = tempfile::tempdir().unwrap();
    let data = formula_like(dir.path());
    let out = dir.path().join("r.xlsx");
    let r = reglas(&[
        "evaluar",
        CEPAC,
        data.to_str().unwrap(),
        "--salida",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    let res = sheet(&out, "resultados");
    assert_eq!(res.height(), 21);

    // Text that looks like a formula is text, with no apostrophe added.
    let amb1 = row(&res, "AMB-001");
    assert_eq!(
        amb1[column(&res, "nombre")],
        Data::String("=1+2 Amboró".into())
    );
    assert_eq!(row(&res, "-AMB-002")[0], Data::String("-AMB-002".into()));
    let styles = part(&out, "xl/styles.xml");
    assert!(styles.contains("quotePrefix=\"1\""), "{styles}");
    let sheet1 = part(&out, "xl/worksheets/sheet1.xml");
    assert!(!sheet1.contains("<f>"), "ninguna fórmula en la hoja");

    // Numbers are numbers: the row and each group's two counts.
    assert_eq!(amb1[column(&res, "fila")], Data::Float(2.0));
    // The level by its title (coloured), its id in the next column.
    assert_eq!(
        amb1[column(&res, "nivel")],
        Data::String("Organización en proceso de consolidación".into())
    );
    assert_eq!(
        amb1[column(&res, "id_nivel")],
        Data::String("en_proceso".into())
    );
    assert_eq!(
        amb1[column(&res, "siguiente_nivel")],
        Data::String("Organización consolidada".into())
    );
    // A provisional result: possible levels by title, missing data with
    // its survey question, and their names for machines.
    let cha6 = row(&res, "CHA-006");
    assert_eq!(
        cha6[column(&res, "posibles")],
        Data::String("Organización consolidada | Organización en proceso de consolidación".into())
    );
    assert_eq!(
        cha6[column(&res, "id_posibles")],
        Data::String("consolidada en_proceso".into())
    );
    assert_eq!(
        cha6[column(&res, "faltan")],
        Data::String(
            "`mercado_concreto` («¿Ha logrado un mercado concreto que mejora el ingreso de sus socios?»)"
                .into()
        )
    );
    assert_eq!(
        cha6[column(&res, "id_faltan")],
        Data::String("mercado_concreto".into())
    );
    assert!(cha6[column(&res, "recomendaciones")]
        .to_string()
        .starts_with("Completar la ficha: falta `mercado_concreto` («¿Ha logrado"));
    let met = column(&res, "cumplidos_interno");
    let app = column(&res, "aplicables_interno");
    assert_eq!(app, met + 1);
    assert_eq!(amb1[met], Data::Float(12.0));
    assert_eq!(amb1[app], Data::Float(13.0));
    assert!(!header(&res).iter().any(|h| h.contains('/')));

    // Frozen header, a filter over the whole table, fitted widths.
    assert!(sheet1.contains("state=\"frozen\""));
    assert!(sheet1.contains("<autoFilter ref=\"A1:"), "{sheet1}");
    assert!(sheet1.contains("<cols>"));
    // Level cells are coloured: one fill per level, white bold text.
    assert!(
        styles
            .matches("<patternFill patternType=\"solid\">")
            .count()
            >= 4
    );

    // The «Leyenda» explains every column of the results sheet.
    let leyenda = sheet(&out, "Leyenda");
    assert_eq!(header(&leyenda), ["hoja", "columna", "qué significa"]);
    let explained: Vec<String> = leyenda
        .rows()
        .filter(|r| r[0] == Data::String("resultados".into()))
        .map(|r| r[1].to_string())
        .collect();
    assert_eq!(explained, header(&res));
    let crit = sheet(&out, "criterios");
    for name in header(&crit).iter().skip(3) {
        assert!(
            leyenda.rows().any(|r| &r[1].to_string() == name),
            "la Leyenda no explica {name}"
        );
    }
}

#[test]
fn rejected_rows_are_numbers_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.xlsx");
    let r = reglas(&["evaluar", CEPAC, ERRORES, "--salida", out.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(3));
    let rej = sheet(&out, "rechazadas");
    assert_eq!(header(&rej)[0], "fila");
    let first = rej.rows().nth(1).unwrap();
    assert_eq!(first[0], Data::Float(4.0));
    assert_eq!(first[3], Data::String("nit".into()));
    let res = sheet(&out, "resultados");
    let chi10 = row(&res, "CHI-010");
    assert_eq!(
        chi10[column(&res, "estado")],
        Data::String("rechazada".into())
    );
    assert_eq!(chi10[column(&res, "nivel")], Data::Empty);
}

#[test]
fn avance_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("avance.xlsx");
    let r = reglas(&[
        "avance",
        CEPAC,
        ORGS,
        SEGUIMIENTO,
        "--salida",
        out.to_str().unwrap(),
        "--fecha",
        "2025-01-31",
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    let res = sheet(&out, "resumen");
    let subieron = res
        .rows()
        .find(|r| r[0] == Data::String("subieron de nivel".into()))
        .unwrap();
    assert_eq!(subieron[1], Data::Float(4.0));
    assert_eq!(subieron[2], Data::Float(21.1));
    let m = sheet(&out, "matriz");
    // Levels by title.
    assert_eq!(header(&m)[1], "Organización consolidada");
    // en_proceso at baseline: 2 to consolidada, 9 stay, 11 in all.
    let en_proceso = m.rows().nth(2).unwrap();
    assert_eq!(
        en_proceso[0],
        Data::String("Organización en proceso de consolidación".into())
    );
    assert_eq!(en_proceso[1], Data::Float(2.0));
    assert_eq!(en_proceso[2], Data::Float(9.0));
    assert_eq!(*en_proceso.last().unwrap(), Data::Float(11.0));
    let pct = sheet(&out, "matriz_%");
    assert_eq!(pct.rows().nth(2).unwrap()[1], Data::Float(18.2));
    let region = sheet(&out, "por_region");
    let chaco = row(&region, "Chaco");
    assert_eq!(chaco[column(&region, "suben")], Data::Float(2.0));
    assert_eq!(chaco[column(&region, "suben_%")], Data::Float(33.3));
    let orgs = sheet(&out, "organizaciones");
    assert_eq!(
        row(&orgs, "AMB-003")[column(&orgs, "cambio")],
        Data::String("sube".into())
    );
    assert_eq!(
        row(&sheet(&out, "solo_seguimiento"), "AMB-006")[0],
        Data::String("AMB-006".into())
    );
    let leyenda = sheet(&out, "Leyenda");
    for name in [
        "resumen",
        "matriz",
        "matriz_%",
        "por_region",
        "organizaciones",
    ] {
        assert!(
            leyenda.rows().any(|r| r[0] == Data::String(name.into())),
            "la Leyenda no explica la hoja {name}"
        );
    }
    let styles = part(&out, "xl/styles.xml");
    assert!(styles.contains("<patternFill patternType=\"solid\">"));
    insta::assert_snapshot!("avance_xlsx", workbook_outline(&out));
}

/// Each sheet of a workbook with its rows, as text (what a snapshot keeps).
fn workbook_outline(path: &Path) -> String {
    let mut wb = open_workbook_auto(path).unwrap();
    let mut out = String::new();
    for name in wb.sheet_names() {
        if name == "auditoria" {
            continue;
        }
        let range = wb.worksheet_range(&name).unwrap();
        out.push_str(&format!("## {name}\n"));
        for row in range.rows() {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{f}"),
                    Data::Empty => String::new(),
                    other => format!("«{other}»"),
                })
                .collect();
            out.push_str(&cells.join(" | "));
            out.push('\n');
        }
    }
    out
}

/// The headings of a page (h1 to h3), indented by level, and the title block's lines:
/// what a variant of the report holds, without its styles.
fn outline(page: &str) -> String {
    let mut out = String::new();
    let mut rest = page;
    while let Some(i) = rest.find("<h") {
        rest = &rest[i + 2..];
        let Some(level) = rest.chars().next().filter(|c| ('1'..='3').contains(c)) else {
            continue;
        };
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let Some(close) = rest.find("</h") else { break };
        let inner = &rest[open_end + 1..close];
        let mut text = String::new();
        let mut in_tag = false;
        for c in inner.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let depth = level.to_digit(10).unwrap() as usize;
        out.push_str(&format!("{}{}\n", "  ".repeat(depth - 1), text.trim()));
        rest = &rest[close..];
    }
    for class in ["proyecto", "periodo", "filtro"] {
        let marker = format!("<p class=\"{class}\">");
        if let Some(i) = page.find(&marker) {
            let line = &page[i + marker.len()..];
            out.push_str(&format!(
                "[{class}] {}\n",
                &line[..line.find("</p>").unwrap()]
            ));
        }
    }
    if let Some(i) = page.find("@bottom-left { content: ") {
        let line = &page[i..];
        out.push_str(&format!("[pie] {}\n", &line[..line.find(';').unwrap()]));
    }
    out
}

fn informe_html(dir: &Path, name: &str, extra: &[&str]) -> String {
    let html = dir.join(name);
    let mut args = vec!["informe", CEPAC, ORGS, "--salida", html.to_str().unwrap()];
    args.extend(extra);
    let out = reglas(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    std::fs::read_to_string(&html).unwrap()
}

#[test]
fn informe_para_donantes_variantes() {
    let dir = tempfile::tempdir().unwrap();
    let full = informe_html(
        dir.path(),
        "completo.html",
        &[
            "--titulo",
            "Caracterización de OECAs 2025",
            "--proyecto",
            "Café Amboró",
            "--periodo",
            "enero a junio de 2025",
        ],
    );
    assert!(full.contains("<h1>Caracterización de OECAs 2025</h1>"));
    assert!(full.contains("counter(page)"));
    assert_eq!(full.matches("<article class=\"perfil\"").count(), 20);
    insta::assert_snapshot!("informe_completo", outline(&full));

    let summary = informe_html(dir.path(), "resumen.html", &["--solo-resumen"]);
    assert!(!summary.contains("<article class=\"perfil\""));
    assert!(!summary.contains("id=\"decisivos\""));
    assert!(summary.contains("Criterios que más organizaciones no cumplen"));
    assert!(summary.contains("Datos que más faltan"));
    insta::assert_snapshot!("informe_solo_resumen", outline(&summary));

    let amboro = informe_html(
        dir.path(),
        "amboro.html",
        &[
            "--region",
            "Amboró",
            "--filtro",
            "forma_juridica=asociacion",
        ],
    );
    assert!(amboro.contains("5 de 20 filas leídas") || amboro.contains("de 20 filas leídas"));
    assert!(amboro.contains("AMB-001"));
    assert!(!amboro.contains("CHA-001"));
    insta::assert_snapshot!("informe_filtrado", outline(&amboro));
}

#[test]
fn informe_de_muchas_organizaciones_sin_perfiles() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("organizaciones.xlsx");
    let page = informe_html(
        dir.path(),
        "grande.html",
        &[
            "--limite-perfiles",
            "5",
            "--organizaciones",
            xlsx.to_str().unwrap(),
        ],
    );
    assert!(!page.contains("<article class=\"perfil\""));
    assert!(page.contains("Con más de 5 organizaciones el informe no incluye un perfil"));
    assert!(page.contains("<code>organizaciones.xlsx</code>"));
    // The counts are still those of all 20.
    assert!(page.contains("<b>20</b><span>organizaciones evaluadas</span>"));
    // Each organization's result is in the workbook, the same as with
    // `evaluar` (past the limit the evaluation keeps only a compact trace).
    let res = sheet(&xlsx, "resultados");
    assert_eq!(res.height(), 21);
    let full = dir.path().join("evaluar.xlsx");
    let r = reglas(&["evaluar", CEPAC, ORGS, "--salida", full.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(0));
    for name in ["resultados", "criterios"] {
        let (a, b) = (sheet(&xlsx, name), sheet(&full, name));
        for (i, (ra, rb)) in a.rows().zip(b.rows()).enumerate() {
            for (j, (ca, cb)) in ra.iter().zip(rb).enumerate() {
                assert_eq!(ca, cb, "hoja {name}, fila {i}, columna {}", header(&a)[j]);
            }
        }
        assert_eq!(a.get_size(), b.get_size(), "hoja {name}");
    }
    insta::assert_snapshot!("informe_sin_perfiles", outline(&page));
}

#[test]
fn informe_opciones_mal_escritas() {
    let out = reglas(&["informe", CEPAC, ORGS, "--region", "yungas", "-o", "x.html"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("`yungas` no es un valor de `region`"), "{err}");
    assert!(
        err.contains("amboro, norte_integrado, chiquitania, chaco"),
        "{err}"
    );
    let out = reglas(&[
        "informe",
        CEPAC,
        ORGS,
        "--filtro",
        "regon=amboro",
        "-o",
        "x.html",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("¿Quiso decir `region`?"));
    let out = reglas(&["informe", CEPAC, ORGS, "--filtro", "amboro", "-o", "x.html"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no tiene la forma CAMPO=VALOR"));
    assert!(!root().join("x.html").exists());
}

#[test]
fn informe_pdf_sin_navegador() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("informe.pdf");
    let out = Command::new(env!("CARGO_BIN_EXE_reglas"))
        .args(["informe", CEPAC, ORGS, "--salida", pdf.to_str().unwrap()])
        .current_dir(root())
        .env("PATH", dir.path())
        .env_remove("REGLAS_NAVEGADOR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("no se encontró Chromium, Chrome ni Edge"),
        "{err}"
    );
    assert!(err.contains("Guardar como PDF"), "{err}");
    assert!(!pdf.exists());
}

#[test]
fn informe_pdf_con_chromium() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!("AVISO: prueba omitida: no está {CHROMIUM}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("informe.pdf");
    let out = Command::new(env!("CARGO_BIN_EXE_reglas"))
        .args([
            "informe",
            CEPAC,
            ORGS,
            "--solo-resumen",
            "--salida",
            pdf.to_str().unwrap(),
        ])
        .current_dir(root())
        .env("REGLAS_NAVEGADOR", CHROMIUM)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(text(&out.stderr).contains("(PDF)"));
}

#[test]
fn comparar_separa_nivel_y_criterios() {
    let dir = tempfile::tempdir().unwrap();
    let tweaked = reglas_modificadas(
        dir.path(),
        "asistencia.reglas",
        "parámetro umbral_asistencia = 60%",
        "parámetro umbral_asistencia = 45%",
    );
    let out = reglas(&[
        "comparar",
        CEPAC,
        tweaked.to_str().unwrap(),
        ORGS,
        "--formato",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let same = v["cambios_de_criterios"].as_array().unwrap();
    assert!(!same.is_empty());
    for ch in same {
        assert_eq!(ch["antes"], ch["despues"]);
        let c = &ch["criterios"][0];
        assert_eq!(c["id"], "participacion_reuniones");
        assert_eq!(c["parametros"][0], "umbral_asistencia");
    }
    let out = reglas(&["comparar", CEPAC, tweaked.to_str().unwrap(), ORGS]);
    let t = text(&out.stdout).replace(&dir.path().display().to_string(), "<tmp>");
    insta::assert_snapshot!("comparar_mismo_nivel", t);
}
