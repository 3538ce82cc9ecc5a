//! `reglas avance --salida avance.xlsx`: the baseline vs follow-up
//! comparison as a workbook, with the same conventions as every workbook
//! ([`crate::render::xlsx::Libro`]): numbers as numbers, percentages as
//! numbers from 0 to 100, coloured levels, a filter on every sheet and a
//! «Leyenda».

use std::io;

use super::progress::{row_shares, Avance, Cambio, Estado, Presencia};
use crate::provenance::Auditoria;
use crate::render::xlsx::{n, pct, t, Cell, Libro};

fn state(e: &Estado) -> Cell {
    match e {
        Estado::Nivel(l) => Cell::Level(l.clone()),
        other => t(other.texto()),
    }
}

fn header(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|c| c.to_string()).collect()
}

/// The whole comparison as the bytes of an `.xlsx` file.
pub fn avance(av: &Avance, au: &Auditoria) -> io::Result<Vec<u8>> {
    let levels: Vec<(String, String)> = av.estados[..av.estados.len().saturating_sub(2)]
        .iter()
        .map(|id| (id.clone(), av.titulo(id).to_string()))
        .collect();
    let mut l = Libro::new(&levels);
    l.fecha(au.fecha.as_deref());
    resumen(&mut l, av)?;
    matriz(&mut l, av)?;
    for d in &av.desgloses {
        let s = l.hoja(
            &format!("por_{}", d.campo),
            &header(&[
                &d.campo,
                "en_ambos",
                "suben",
                "suben_%",
                "se_mantienen",
                "se_mantienen_%",
                "bajan",
                "bajan_%",
                "sin_comparar",
                "sin_comparar_%",
            ]),
        )?;
        for f in &d.filas {
            let mut cells = vec![
                t(f.valor.clone().unwrap_or_else(|| "sin dato".into())),
                n(f.conteos.en_ambos),
            ];
            cells.extend(
                f.conteos
                    .con_porcentajes(&f.porcentajes)
                    .into_iter()
                    .flat_map(|(count, share)| [n(count), pct(share)]),
            );
            l.fila(s, &cells)?;
        }
    }
    organizaciones(&mut l, av)?;
    for (name, list) in [
        ("solo_linea_base", &av.solo_linea_base),
        ("solo_seguimiento", &av.solo_seguimiento),
    ] {
        presencias(&mut l, name, list)?;
    }
    auditoria(&mut l, au)?;
    l.leyenda(&leyenda(av))?;
    l.guardar()
}

/// The indicators, one per row: warnings first.
fn resumen(l: &mut Libro, av: &Avance) -> io::Result<()> {
    let s = l.hoja("resumen", &header(&["indicador", "organizaciones", "%"]))?;
    for w in &av.advertencias {
        l.fila(s, &[t(format!("¡ATENCIÓN! {w}")), Cell::Empty, Cell::Empty])?;
    }
    let p = &av.porcentajes;
    let rows = [
        ("en los dos archivos", av.conteos.en_ambos, None),
        ("subieron de nivel", av.conteos.suben, p.suben),
        ("se mantuvieron", av.conteos.se_mantienen, p.se_mantienen),
        ("bajaron de nivel", av.conteos.bajan, p.bajan),
        (
            "sin comparar (sin nivel o rechazadas en alguno)",
            av.conteos.sin_comparar,
            p.sin_comparar,
        ),
        ("solo en la línea base", av.solo_linea_base.len(), None),
        ("solo en el seguimiento", av.solo_seguimiento.len(), None),
    ];
    for (label, count, share) in rows {
        l.fila(s, &[t(label), n(count), pct(share)])?;
    }
    if let (Some(desde), Some(hasta)) = (&av.meta.desde, &av.meta.hasta) {
        l.fila(
            s,
            &[
                t(format!("en «{}» en la línea base", av.titulo(desde))),
                n(av.meta.en_linea_base),
                Cell::Empty,
            ],
        )?;
        l.fila(
            s,
            &[
                t(format!(
                    "de ellas, llegaron a «{}» o más (meta)",
                    av.titulo(hasta)
                )),
                n(av.meta.alcanzaron),
                pct(av.meta.proporcion),
            ],
        )?;
    }
    Ok(())
}

/// The transition matrix: counts, then the same in percent of each row.
fn matriz(l: &mut Libro, av: &Avance) -> io::Result<()> {
    let mut cols = vec!["línea base \\ seguimiento".to_string()];
    cols.extend(av.estados.iter().map(|e| av.titulo(e).to_string()));
    cols.push("total".into());
    let s = l.hoja("matriz", &cols)?;
    for (i, row) in av.matriz.iter().enumerate() {
        let mut cells = vec![t(av.titulo(&av.estados[i]))];
        cells.extend(row.iter().map(|c| n(*c)));
        cells.push(n(row.iter().sum()));
        l.fila(s, &cells)?;
    }
    cols[0] = "línea base \\ seguimiento (% de la fila)".into();
    cols.pop();
    let s = l.hoja("matriz_%", &cols)?;
    for (i, row) in row_shares(&av.matriz).iter().enumerate() {
        let mut cells = vec![t(av.titulo(&av.estados[i]))];
        cells.extend(row.iter().map(|p| pct(*p)));
        l.fila(s, &cells)?;
    }
    Ok(())
}

fn organizaciones(l: &mut Libro, av: &Avance) -> io::Result<()> {
    let s = l.hoja(
        "organizaciones",
        &header(&[
            "codigo",
            "nombre",
            "linea_base",
            "provisional_linea_base",
            "seguimiento",
            "provisional_seguimiento",
            "cambio",
            "ganados",
            "id_ganados",
            "perdidos",
            "id_perdidos",
        ]),
    )?;
    let yes_no = |b: bool| t(if b { "sí" } else { "no" });
    for o in &av.organizaciones {
        let cambio = match o.cambio {
            Cambio::Sube => "sube",
            Cambio::Baja => "baja",
            other => other.texto(),
        };
        l.fila(
            s,
            &[
                t(o.codigo.clone()),
                t(o.nombre.clone().unwrap_or_default()),
                state(&o.linea_base),
                yes_no(o.provisional_linea_base),
                state(&o.seguimiento),
                yes_no(o.provisional_seguimiento),
                t(cambio),
                t(titles(av, &o.ganados)),
                t(o.ganados.join(" ")),
                t(titles(av, &o.perdidos)),
                t(o.perdidos.join(" ")),
            ],
        )?;
    }
    Ok(())
}

/// Criteria by title, for one cell: `Excedentes estables | Mercado concreto logrado`.
fn titles(av: &Avance, ids: &[String]) -> String {
    ids.iter()
        .map(|c| av.titulo_criterio(c))
        .collect::<Vec<_>>()
        .join(" | ")
}

fn presencias(l: &mut Libro, name: &str, list: &[Presencia]) -> io::Result<()> {
    let s = l.hoja(name, &header(&["codigo", "nombre", "estado"]))?;
    for p in list {
        l.fila(
            s,
            &[
                t(p.codigo.clone()),
                t(p.nombre.clone().unwrap_or_default()),
                state(&p.estado),
            ],
        )?;
    }
    Ok(())
}

fn auditoria(l: &mut Libro, au: &Auditoria) -> io::Result<()> {
    let s = l.hoja("auditoria", &header(&["dato", "valor"]))?;
    l.fila(s, &[t("programa"), t(au.programa())])?;
    for r in &au.reglas {
        l.fila(
            s,
            &[
                t("reglas"),
                t(format!("{} — {}", r.archivo, r.nombre_reglas())),
            ],
        )?;
        l.fila(
            s,
            &[
                t("sha256 de las reglas"),
                t(r.sha256.clone().unwrap_or_default()),
            ],
        )?;
    }
    for d in &au.datos {
        l.fila(s, &[t("datos"), t(d.archivo.clone())])?;
        l.fila(
            s,
            &[
                t("sha256 de los datos"),
                t(d.sha256.clone().unwrap_or_default()),
            ],
        )?;
    }
    l.fila(
        s,
        &[
            t("fecha de evaluación"),
            t(au.fecha.clone().unwrap_or_default()),
        ],
    )
}

/// What each sheet and column means.
fn leyenda(av: &Avance) -> Vec<(String, String, String)> {
    let row = |h: &str, c: &str, m: &str| (h.to_string(), c.to_string(), m.to_string());
    let mut out = vec![
        row("resumen", "indicador", "qué se cuenta; los porcentajes son sobre las organizaciones que están en los dos archivos (la meta: sobre las que estaban en el nivel más bajo)"),
        row("resumen", "organizaciones", "cuántas"),
        row("resumen", "%", "porcentaje, de 0 a 100"),
        row("matriz", "línea base \\ seguimiento", "cada fila: el nivel en la línea base; cada columna: el nivel en el seguimiento; a la izquierda de la diagonal subieron, a la derecha bajaron"),
        row("matriz_%", "(cada columna)", "la matriz en porcentaje de cada fila: de las organizaciones de ese nivel en la línea base, qué parte fue a cada nivel"),
    ];
    for d in &av.desgloses {
        let h = format!("por_{}", d.campo);
        out.push(row(
            &h,
            &d.campo,
            &format!(
                "{} de la organización (en el seguimiento)",
                d.titulo.to_lowercase()
            ),
        ));
        out.push(row(&h, "en_ambos", "organizaciones en los dos archivos"));
        out.push(row(
            &h,
            "suben, se_mantienen, bajan, sin_comparar",
            "cuántas, y al lado (_%) su porcentaje de en_ambos",
        ));
    }
    out.extend([
        row("organizaciones", "codigo, nombre", "la organización (emparejada por código)"),
        row("organizaciones", "linea_base, seguimiento", "su nivel en cada momento, por su título («sin nivel»: faltan datos; «rechazada»: errores en los datos)"),
        row("organizaciones", "provisional_linea_base, provisional_seguimiento", "«sí» cuando faltaban datos que podían subir el nivel"),
        row("organizaciones", "cambio", "sube, se mantiene, baja o sin comparar"),
        row("organizaciones", "ganados, perdidos", "criterios que cumple ahora y antes no, y al revés, por su título, separados por «|»"),
        row("organizaciones", "id_ganados, id_perdidos", "los mismos criterios, por su nombre en las reglas"),
        row("solo_linea_base, solo_seguimiento", "codigo, nombre, estado", "organizaciones que están en un solo archivo: no visitadas o nuevas"),
        row("auditoria", "dato, valor", "con qué se produjo este libro: programa, reglas y datos con su huella SHA-256 y la fecha"),
    ]);
    out
}
