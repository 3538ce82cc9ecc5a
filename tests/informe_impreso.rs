//! The printed report, checked on paper: `reglas informe … --salida
//! informe.pdf` prints the page with headless Chromium, and poppler's
//! `pdftotext -layout` reads each page back. On every page: no heading (a
//! section, a profile's title or one of its parts) is the last line, the
//! foot says «Página N de M», a table continued from the page before
//! starts with a whole row; each profile starts a page; and the 20
//! example organizations print on a bounded number of pages.
//!
//! Without Chromium or pdftotext the test says so and passes, unless
//! `REGLAS_PROBAR_NAVEGADOR` is set (CI installs both and sets it).
//! With `REGLAS_ACTUALIZAR_CAPTURA` set, the pictures of
//! docs/informe-para-donantes.md are made from the PDF (pdftoppm).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";
const CEPAC: &str = "rules/cepac.reglas";
const ORGS: &str = "rules/ejemplos/organizaciones.csv";

/// Pages the full report of the 20 example organizations may take: one
/// per profile and a few for the summary.
const PAGINAS_COMPLETO: usize = 28;
/// Pages of the summary alone.
const PAGINAS_RESUMEN: usize = 7;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether the tools are here; without them the test is skipped, or
/// fails when CI asked for it.
fn herramientas() -> bool {
    let pdftotext = Command::new("pdftotext").arg("-v").output().is_ok();
    let chromium = Path::new(CHROMIUM).exists();
    if chromium && pdftotext {
        return true;
    }
    assert!(
        std::env::var_os("REGLAS_PROBAR_NAVEGADOR").is_none(),
        "REGLAS_PROBAR_NAVEGADOR está definida pero falta {}",
        if chromium {
            "pdftotext (poppler-utils)"
        } else {
            CHROMIUM
        }
    );
    eprintln!(
        "SE OMITE: falta Chromium ({CHROMIUM}) o pdftotext; instálelos con `apt-get install chromium poppler-utils`"
    );
    false
}

/// The report written to `name` (HTML or PDF by its extension).
fn informe(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let out_path = dir.join(name);
    let out = Command::new(env!("CARGO_BIN_EXE_reglas"))
        .args(["informe", CEPAC, ORGS, "--fecha", "2025-06-30"])
        .args(extra)
        .arg("--salida")
        .arg(&out_path)
        .current_dir(root())
        .env("REGLAS_NAVEGADOR", CHROMIUM)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out_path
}

/// Each page's text, laid out as printed.
fn paginas(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext falló con {}",
        pdf.display()
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    // A form feed ends each page.
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Spaces collapsed and lower case: how a heading and a printed line are
/// compared (`h4` is printed in capitals).
fn normal(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The text of some markup: tags dropped, entities decoded, normalised.
fn texto(markup: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in markup.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    normal(
        &text
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// The text of every heading (h1 to h4) of the page.
fn titulos(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<h") {
        rest = &rest[i + 2..];
        if !rest.starts_with(['1', '2', '3', '4']) {
            continue;
        }
        let (Some(open), Some(close)) = (rest.find('>'), rest.find("</h")) else {
            break;
        };
        out.push(texto(&rest[open + 1..close]));
        rest = &rest[close..];
    }
    out
}

/// The header cells of every table with a `<thead>` (repeated at the top
/// of each page the table continues on).
fn encabezados(html: &str) -> Vec<Vec<String>> {
    html.split("<thead>")
        .skip(1)
        .filter_map(|t| t.split("</thead>").next())
        .map(|row| {
            row.split("<th")
                .skip(1)
                .filter_map(|c| c.split_once('>').map(|(_, rest)| rest))
                .map(|c| texto(c.split("</th>").next().unwrap_or("")))
                .collect()
        })
        .collect()
}

/// When a page starts with a table's header, its first row must start in
/// the first column: a row cut across pages goes on, at the top of the
/// next page, with its first cell empty (the text is indented).
fn fila_cortada(body: &[&str], encabezados: &[Vec<String>]) -> Option<String> {
    let first = normal(body.first()?);
    let header = encabezados
        .iter()
        .find(|h| h.len() > 1 && first.starts_with(&format!("{} {}", h[0], h[1])))?;
    // A header cell may wrap onto a second line.
    let words: Vec<&str> = header.iter().flat_map(|c| c.split(' ')).collect();
    let row = body
        .iter()
        .skip(1)
        .find(|l| !normal(l).split(' ').all(|w| words.contains(&w)))?;
    let indent = row.len() - row.trim_start().len();
    (indent > 3).then(|| row.to_string())
}

/// The heading a printed line is (it starts with one, as a profile's title
/// followed by its level; or it is the first part of a long one).
fn es_titulo<'a>(linea: &str, titulos: &'a [String]) -> Option<&'a String> {
    let l = normal(linea);
    titulos
        .iter()
        .find(|t| l.starts_with(t.as_str()) || (l.chars().count() >= 15 && t.starts_with(&l)))
}

/// Checks the pages of a printed report: the foot of each, no heading at
/// the end of any, and (when given) the headings that must start a page.
/// Returns the pages' count.
fn revisar(pdf: &Path, html: &str, empiezan: &[String]) -> usize {
    let pages = paginas(pdf);
    let n = pages.len();
    let info = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Pages:") && l.split_whitespace().last() == Some(&n.to_string())),
        "pdfinfo y pdftotext no cuentan las mismas páginas ({n}):\n{info}"
    );
    let titulos = titulos(html);
    assert!(titulos.len() >= 10, "{titulos:?}");
    let encabezados = encabezados(html);
    assert!(encabezados.len() >= 5, "{encabezados:?}");
    let mut comienzos = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        let (foot, body) = lines
            .split_last()
            .unwrap_or_else(|| panic!("la página {} está vacía", i + 1));
        let numero = format!("Página {} de {n}", i + 1);
        assert!(
            foot.contains(&numero),
            "la página {} no termina con «{numero}»: {foot:?}",
            i + 1
        );
        let last = body
            .last()
            .unwrap_or_else(|| panic!("la página {} solo tiene el pie", i + 1));
        if let Some(t) = es_titulo(last, &titulos) {
            panic!(
                "la página {} de {} termina con el título «{t}», separado de lo que encabeza:\n{}",
                i + 1,
                pdf.display(),
                body[body.len().saturating_sub(6)..].join("\n")
            );
        }
        if let Some(row) = fila_cortada(body, &encabezados) {
            panic!(
                "la página {} de {} empieza con el resto de una fila cortada entre dos páginas: {row:?}",
                i + 1,
                pdf.display()
            );
        }
        // The first profile comes under the section's title.
        let mut top = body.iter().map(|l| normal(l));
        if let Some(first) = top.next() {
            if first == "perfiles de las organizaciones" {
                comienzos.extend(top.next());
            }
            comienzos.push(first);
        }
    }
    for t in empiezan {
        assert!(
            comienzos.iter().any(|c| c.starts_with(t.as_str())),
            "«{t}» no empieza una página"
        );
    }
    n
}

#[test]
fn el_informe_impreso_no_deja_titulos_solos_y_tiene_pocas_paginas() {
    if !herramientas() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let opciones = [
        "--titulo",
        "Informe semestral de caracterización",
        "--proyecto",
        "Café Amboró",
        "--periodo",
        "enero a junio de 2025",
    ];
    let html = std::fs::read_to_string(informe(dir.path(), "completo.html", &opciones)).unwrap();
    let pdf = informe(dir.path(), "completo.pdf", &opciones);
    // Each profile's title starts a page.
    let perfiles: Vec<String> = html
        .split("<article class=\"perfil\"")
        .skip(1)
        .map(|a| titulos(a).remove(0))
        .collect();
    assert_eq!(perfiles.len(), 20, "{perfiles:?}");
    let n = revisar(&pdf, &html, &perfiles);
    assert!(
        n <= PAGINAS_COMPLETO,
        "el informe de las 20 organizaciones de ejemplo ocupa {n} páginas (a lo sumo {PAGINAS_COMPLETO})"
    );
    // The project, title and period at the foot of every page.
    for (i, page) in paginas(&pdf).iter().enumerate() {
        assert!(
            page.contains(
                "Café Amboró — Informe semestral de caracterización — enero a junio de 2025"
            ),
            "pie de la página {}",
            i + 1
        );
    }

    let resumen = ["--solo-resumen"];
    let html = std::fs::read_to_string(informe(dir.path(), "resumen.html", &resumen)).unwrap();
    let pdf_resumen = informe(dir.path(), "resumen.pdf", &resumen);
    let n = revisar(&pdf_resumen, &html, &[]);
    assert!(
        n <= PAGINAS_RESUMEN,
        "el resumen ocupa {n} páginas (a lo sumo {PAGINAS_RESUMEN})"
    );

    // Other cuts of the same data put the page breaks elsewhere.
    for (name, extra) in [
        ("chaco", &["--region", "chaco"][..]),
        ("cafe", &["--rubro", "café", "--solo-resumen"][..]),
    ] {
        let html =
            std::fs::read_to_string(informe(dir.path(), &format!("{name}.html"), extra)).unwrap();
        let pdf = informe(dir.path(), &format!("{name}.pdf"), extra);
        revisar(&pdf, &html, &[]);
    }

    if std::env::var_os("REGLAS_ACTUALIZAR_CAPTURA").is_some() {
        // The first page and the first profile's, as the docs show them.
        let first_profile = paginas(&pdf)
            .iter()
            .position(|p| normal(p).contains(&perfiles[0]))
            .unwrap()
            + 1;
        for (page, name) in [
            (1, "informe-impreso"),
            (first_profile, "informe-impreso-perfil"),
        ] {
            let prefix = dir.path().join(name);
            let status = Command::new("pdftoppm")
                .args(["-png", "-r", "80", "-singlefile"])
                .args(["-f", &page.to_string(), "-l", &page.to_string()])
                .arg(&pdf)
                .arg(&prefix)
                .status()
                .unwrap();
            assert!(status.success());
            std::fs::copy(
                prefix.with_extension("png"),
                root().join(format!("docs/img/{name}.png")),
            )
            .unwrap();
        }
    }
}
