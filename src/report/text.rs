//! `reglas avance --formato tabla`: the comparison as text for a terminal.

use std::fmt::Write;

use super::progress::{row_shares, Avance, Cambio, Conteos, Porcentajes};
use crate::text::{percent_text, plural};

/// A multi-line warning with its continuation lines indented.
pub fn sangrar(w: &str) -> String {
    w.replace('\n', "\n  ")
}

/// The whole comparison as text.
pub fn avance(a: &Avance) -> String {
    let mut o = String::new();
    let _ = write_avance(&mut o, a);
    o
}

fn write_avance(o: &mut String, a: &Avance) -> std::fmt::Result {
    for w in &a.advertencias {
        writeln!(o, "¡ATENCIÓN! {}\n", sangrar(w))?;
    }
    write_files(o, a)?;
    write_matrix(o, a)?;
    write_counts(o, a)?;
    write_meta(o, a)?;
    write_breakdowns(o, a)?;
    write_changes(o, a)?;
    write_unmatched(o, a)?;
    for w in &a.advertencias {
        writeln!(o, "\n¡ATENCIÓN! {}", sangrar(w))?;
    }
    Ok(())
}

/// The title and the two data files compared.
fn write_files(o: &mut String, a: &Avance) -> std::fmt::Result {
    writeln!(o, "Avance entre la línea base y el seguimiento")?;
    for (name, c) in [
        ("Línea base: ", &a.linea_base),
        ("Seguimiento:", &a.seguimiento),
    ] {
        writeln!(
            o,
            "  {name} {} ({}), reglas {}",
            c.datos.archivo,
            plural(c.organizaciones, "organización", "organizaciones"),
            c.reglas
                .first()
                .map(|r| r.nombre_reglas())
                .unwrap_or_default()
        )?;
    }
    Ok(())
}

/// The transition matrix with row and column totals.
fn write_matrix(o: &mut String, a: &Avance) -> std::fmt::Result {
    writeln!(
        o,
        "\nMatriz de transición (filas: nivel en la línea base; columnas: nivel en el seguimiento)"
    )?;
    // Rows say each level by its title, numbered; the columns, too wide
    // for titles, by the same number.
    let levels = a.estados.len().saturating_sub(2);
    let rows: Vec<String> = a
        .estados
        .iter()
        .enumerate()
        .map(|(i, e)| match i < levels {
            true => format!("({}) {}", i + 1, a.titulo(e)),
            false => e.clone(),
        })
        .collect();
    let cols: Vec<String> = a
        .estados
        .iter()
        .enumerate()
        .map(|(i, e)| match i < levels {
            true => format!("({})", i + 1),
            false => e.clone(),
        })
        .collect();
    let w0 = rows
        .iter()
        .map(|r| r.chars().count())
        .max()
        .unwrap_or(0)
        .max(11);
    let widths: Vec<usize> = cols.iter().map(|c| c.chars().count().max(6)).collect();
    write!(o, "  {:<w0$}", "")?;
    for (c, w) in cols.iter().zip(&widths) {
        write!(o, "  {c:>w$}")?;
    }
    writeln!(o, "  {:>5}", "total")?;
    let mut col_totals = vec![0usize; a.estados.len()];
    for (i, row) in a.matriz.iter().enumerate() {
        write!(o, "  {:<w0$}", rows[i])?;
        for (j, (n, w)) in row.iter().zip(&widths).enumerate() {
            col_totals[j] += n;
            let cell = if *n == 0 {
                "·".to_string()
            } else {
                n.to_string()
            };
            write!(o, "  {cell:>w$}")?;
        }
        writeln!(o, "  {:>5}", row.iter().sum::<usize>())?;
    }
    write!(o, "  {:<w0$}", "total")?;
    for (n, w) in col_totals.iter().zip(&widths) {
        write!(o, "  {n:>w$}")?;
    }
    writeln!(o, "  {:>5}", col_totals.iter().sum::<usize>())?;
    writeln!(
        o,
        "\nLa misma matriz en % de cada fila (de cada nivel en la línea base, a dónde fueron)"
    )?;
    write!(o, "  {:<w0$}", "")?;
    for (c, w) in cols.iter().zip(&widths) {
        write!(o, "  {c:>w$}")?;
    }
    writeln!(o)?;
    for (i, row) in row_shares(&a.matriz).iter().enumerate() {
        if row.iter().all(Option::is_none) {
            continue;
        }
        write!(o, "  {:<w0$}", rows[i])?;
        for (p, w) in row.iter().zip(&widths) {
            let cell = match p {
                Some(p) if *p > 0.0 => percent_text(*p),
                _ => "·".to_string(),
            };
            write!(o, "  {cell:>w$}")?;
        }
        writeln!(o)?;
    }
    Ok(())
}

/// `4 (21,1 %)`.
pub fn with_share(n: usize, p: Option<f64>) -> String {
    match p {
        Some(p) => format!("{n} ({})", percent_text(p)),
        None => n.to_string(),
    }
}

/// `suben`, `se_mantienen`, `bajan` and `sin_comparar` as `4 (21,1 %)`.
pub fn counts_with_shares(c: &Conteos, p: &Porcentajes) -> [String; 4] {
    c.con_porcentajes(p).map(|(n, p)| with_share(n, p))
}

fn write_counts(o: &mut String, a: &Avance) -> std::fmt::Result {
    let [suben, se_mantienen, bajan, sin_comparar] = counts_with_shares(&a.conteos, &a.porcentajes);
    writeln!(
        o,
        "\nEn los dos archivos: {}. Suben de nivel: {suben}. Se mantienen: {se_mantienen}. Bajan: {bajan}. Sin comparar (sin nivel o rechazadas en alguno): {sin_comparar}.",
        a.conteos.en_ambos,
    )?;
    writeln!(
        o,
        "  (porcentajes sobre las {} organizaciones que están en los dos archivos)",
        a.conteos.en_ambos
    )
}

/// The same counts per region, rubro and legal form.
fn write_breakdowns(o: &mut String, a: &Avance) -> std::fmt::Result {
    for d in &a.desgloses {
        writeln!(o, "\nPor {}", d.titulo.to_lowercase())?;
        let w0 = d
            .filas
            .iter()
            .map(|f| f.valor.as_deref().unwrap_or("sin dato").chars().count())
            .max()
            .unwrap_or(0)
            .max(d.titulo.chars().count());
        writeln!(
            o,
            "  {:<w0$}  {:>8}  {:>14}  {:>14}  {:>14}  {:>14}",
            d.titulo, "en ambos", "suben", "se mantienen", "bajan", "sin comparar"
        )?;
        for f in &d.filas {
            write_breakdown_row(
                o,
                f.valor.as_deref().unwrap_or("sin dato"),
                w0,
                &f.conteos,
                &f.porcentajes,
            )?;
        }
    }
    Ok(())
}

fn write_breakdown_row(
    o: &mut String,
    label: &str,
    w0: usize,
    c: &Conteos,
    p: &Porcentajes,
) -> std::fmt::Result {
    let [suben, se_mantienen, bajan, sin_comparar] = counts_with_shares(c, p);
    writeln!(
        o,
        "  {label:<w0$}  {:>8}  {suben:>14}  {se_mantienen:>14}  {bajan:>14}  {sin_comparar:>14}",
        c.en_ambos,
    )
}

/// The project goal, when the ladder has at least two levels.
fn write_meta(o: &mut String, a: &Avance) -> std::fmt::Result {
    let (Some(desde), Some(hasta)) = (&a.meta.desde, &a.meta.hasta) else {
        return Ok(());
    };
    match a.meta.proporcion {
        Some(p) => writeln!(
            o,
            "Meta: de {} en el nivel «{}» en la línea base, {} ({}) llegaron a «{}» o más.",
            plural(a.meta.en_linea_base, "organización", "organizaciones"),
            a.titulo(desde),
            a.meta.alcanzaron,
            percent_text(p),
            a.titulo(hasta)
        )?,
        None => writeln!(o, "Meta: ninguna organización estaba en el nivel «{}» en la línea base (y en el seguimiento).", a.titulo(desde))?,
    }
    if a.meta.sin_seguimiento > 0 {
        writeln!(
            o,
            "  ({} en el nivel «{}» en la línea base no {} en el seguimiento y no se cuentan.)",
            plural(a.meta.sin_seguimiento, "organización", "organizaciones"),
            a.titulo(desde),
            if a.meta.sin_seguimiento == 1 {
                "está"
            } else {
                "están"
            }
        )?;
    }
    Ok(())
}

/// One line per organization in both files: its two states, the change and
/// the criteria gained and lost.
fn write_changes(o: &mut String, a: &Avance) -> std::fmt::Result {
    writeln!(o, "\nCambios por organización")?;
    let wc = a
        .organizaciones
        .iter()
        .map(|c| c.codigo.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    let ws = a
        .estados
        .iter()
        .map(|e| a.titulo(e).chars().count() + 4)
        .max()
        .unwrap_or(12);
    writeln!(
        o,
        "  {:<wc$}  {:<ws$}  {:<ws$}  cambio",
        "código", "línea base", "seguimiento"
    )?;
    for c in &a.organizaciones {
        let line = format!(
            "  {:<wc$}  {:<ws$}  {:<ws$}  {}",
            c.codigo,
            mark(a.titulo(c.linea_base.texto()), c.provisional_linea_base),
            mark(a.titulo(c.seguimiento.texto()), c.provisional_seguimiento),
            cambio(c.cambio),
        );
        writeln!(o, "{}", line.trim_end())?;
        // The criteria it gained and lost, by title, below it.
        for (sign, list) in [
            ("+ cumple ahora", &c.ganados),
            ("− ya no cumple", &c.perdidos),
        ] {
            if !list.is_empty() {
                let titles: Vec<String> = list
                    .iter()
                    .map(|id| format!("«{}»", a.titulo_criterio(id)))
                    .collect();
                writeln!(o, "  {:wc$}  {sign}: {}", "", titles.join(", "))?;
            }
        }
    }
    if a.organizaciones
        .iter()
        .any(|c| c.provisional_linea_base || c.provisional_seguimiento)
    {
        writeln!(
            o,
            "  (p) = resultado provisional: faltan datos que podrían subir el nivel."
        )?;
    }
    Ok(())
}

fn mark(s: &str, provisional: bool) -> String {
    if provisional {
        format!("{s} (p)")
    } else {
        s.to_string()
    }
}

/// Moves up and down stand out in capitals.
fn cambio(c: Cambio) -> &'static str {
    match c {
        Cambio::Sube => "SUBE",
        Cambio::Baja => "BAJA",
        other => other.texto(),
    }
}

/// Organizations in only one file, and rows without a code.
fn write_unmatched(o: &mut String, a: &Avance) -> std::fmt::Result {
    for (title, list) in [
        ("Solo en la línea base", &a.solo_linea_base),
        ("Solo en el seguimiento", &a.solo_seguimiento),
    ] {
        writeln!(o, "\n{title} ({}):", list.len())?;
        if list.is_empty() {
            writeln!(o, "  (ninguna)")?;
        }
        for p in list {
            writeln!(
                o,
                "  {}  {}  ({})",
                p.codigo,
                p.nombre.as_deref().unwrap_or(""),
                a.titulo(p.estado.texto())
            )?;
        }
    }
    if a.sin_codigo_linea_base + a.sin_codigo_seguimiento > 0 {
        writeln!(
            o,
            "\nFilas sin código, que no se pueden emparejar: {} en la línea base, {} en el seguimiento.",
            a.sin_codigo_linea_base, a.sin_codigo_seguimiento
        )?;
    }
    Ok(())
}
