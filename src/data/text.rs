//! Text helpers shared by the readers: folding (case and tildes), keys for
//! matching headers and categories, similarity for "¿quiso decir…?" hints, and
//! number formatting without scientific notation.

/// Removes the accent of a Spanish (or common Latin) letter, keeping its case.
fn strip_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'ä' | 'â' => 'a',
        'Á' | 'À' | 'Ä' | 'Â' => 'A',
        'é' | 'è' | 'ë' | 'ê' => 'e',
        'É' | 'È' | 'Ë' | 'Ê' => 'E',
        'í' | 'ì' | 'ï' | 'î' => 'i',
        'Í' | 'Ì' | 'Ï' | 'Î' => 'I',
        'ó' | 'ò' | 'ö' | 'ô' => 'o',
        'Ó' | 'Ò' | 'Ö' | 'Ô' => 'O',
        'ú' | 'ù' | 'ü' | 'û' => 'u',
        'Ú' | 'Ù' | 'Ü' | 'Û' => 'U',
        'ñ' => 'n',
        'Ñ' => 'N',
        'ç' => 'c',
        'Ç' => 'C',
        _ => c,
    }
}

/// Lower case without tildes, surrounding spaces trimmed: `" Sí "` → `"si"`.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// Like [`fold`], writing into a reused buffer.
pub(crate) fn fold_into(s: &str, out: &mut String) {
    out.clear();
    for c in s.trim().chars() {
        let c = strip_accent(c);
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// Key for names (headers, aliases, categories): folded, and runs of spaces,
/// hyphens or underscores become one `_`: `"No tiene"` → `"no_tiene"`.
pub(crate) fn name_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    name_key_into(s, &mut out);
    out
}

/// Like [`name_key`], writing into a reused buffer.
pub(crate) fn name_key_into(s: &str, out: &mut String) {
    out.clear();
    let mut pending_sep = false;
    for c in s.trim().chars() {
        if c.is_whitespace() || c == '-' || c == '_' {
            pending_sep = !out.is_empty();
            continue;
        }
        if pending_sep {
            out.push('_');
            pending_sep = false;
        }
        let c = strip_accent(c);
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// Key for question texts (Kobo "labels" headers): folded, punctuation
/// removed, spaces collapsed: `"¿Tiene NIT?"` → `"tiene nit"`.
pub(crate) fn question_key(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::with_capacity(folded.len());
    for word in folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// How much two keys look alike (0 to 1), or `None` when they are not close
/// enough to suggest one for the other.
pub(crate) fn similarity(a: &str, b: &str) -> Option<f64> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    if a == b {
        return Some(1.0);
    }
    let contains = a.len().min(b.len()) >= 4 && (a.contains(b) || b.contains(a));
    let jw = strsim::jaro_winkler(a, b);
    let dl = strsim::normalized_damerau_levenshtein(a, b);
    let score = jw.max(dl);
    if contains {
        Some(score.max(0.9))
    } else if jw >= 0.9 || dl >= 0.7 {
        Some(score)
    } else {
        None
    }
}

/// A number as a user would type it: no `.0` on whole numbers, never
/// scientific notation (`1234567890123.0` → `"1234567890123"`).
pub(crate) fn format_number(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        // Exact: |v| < 2^53.
        format!("{}", v as i64)
    } else {
        // Rust's `Display` for f64 never uses an exponent.
        format!("{v}")
    }
}

/// `2024-03-15` (or `2024-03-15 08:30:00`) from an Excel serial date
/// (days since 1899-12-30, fraction = time of day).
pub(crate) fn excel_serial_to_text(serial: f64) -> String {
    if !serial.is_finite() {
        return format_number(serial);
    }
    let days = serial.floor() as i64;
    let secs = ((serial - serial.floor()) * 86_400.0).round() as i64;
    // Days from 1970-01-01 to 1899-12-30 is -25569.
    let (y, m, d) = crate::civil_date::civil_from_days(days - 25_569);
    if secs == 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        let (h, mi, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
        format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    }
}

/// `a`, `b` y `c` — a Spanish list of backquoted names, cut after `max`.
pub(crate) fn backquoted_list<S: AsRef<str>>(items: &[S], max: usize) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().take(max).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(item.as_ref());
        out.push('`');
    }
    if items.len() > max {
        out.push_str(&format!(" y {} más", items.len() - max));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(fold(" Sí "), "si");
        assert_eq!(name_key("No  tiene"), "no_tiene");
        assert_eq!(name_key("Asambleas_Año"), "asambleas_ano");
        assert_eq!(question_key("¿Tiene NIT?"), "tiene nit");
    }

    #[test]
    fn numbers_as_text() {
        assert_eq!(format_number(1234567890123.0), "1234567890123");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(format_number(1e20), "100000000000000000000");
    }

    #[test]
    fn dates() {
        assert_eq!(excel_serial_to_text(45366.0), "2024-03-15");
        assert_eq!(excel_serial_to_text(45366.5), "2024-03-15 12:00:00");
    }

    #[test]
    fn similar_names() {
        assert!(similarity("socios_totales", "socios_total").is_some());
        assert!(similarity("actualizado", "actualizada").is_some());
        assert!(similarity("region", "cuenta_bancaria").is_none());
    }
}
