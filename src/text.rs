//! Spanish text helpers, the one home for them: folding (case and tildes),
//! keys for matching names, the "¿quiso decir…?" suggester, plurals, lists,
//! and numbers, percentages and dates as analysts read them.
//!
//! A leaf: it imports nothing from the crate, so every layer may use it.

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

/// Lower case without tildes, surrounding spaces trimmed: `" Sí "` → `"si"`,
/// `Proporción` → `proporcion`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// Like [`fold`], writing into a reused buffer.
pub fn fold_into(s: &str, out: &mut String) {
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
pub fn name_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    name_key_into(s, &mut out);
    out
}

/// Like [`name_key`], writing into a reused buffer.
pub fn name_key_into(s: &str, out: &mut String) {
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
pub fn question_key(s: &str) -> String {
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
pub fn similarity(a: &str, b: &str) -> Option<f64> {
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

/// "¿Quiso decir …?": the candidate that looks most like `word` by
/// [`similarity`] (compared folded, so case and tildes do not count), if any
/// is close enough to be a likely typo. The first of equally close wins.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let w = fold(word);
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let Some(score) = similarity(&w, &fold(c)) else {
            continue;
        };
        if score > best.map(|b| b.0).unwrap_or(0.0) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// "1 fila", "3 filas": a count with its noun in the right number.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "a, b y c" (or "a, b o c" with `conjunction` "o").
pub fn spanish_list<S: AsRef<str>>(items: &[S], conjunction: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == items.len() { " " } else { ", " });
            if i + 1 == items.len() {
                out.push_str(conjunction);
                out.push(' ');
            }
        }
        out.push_str(item.as_ref());
    }
    out
}

/// `a`, `b` y `c` — a Spanish list of backquoted names, cut after `max`.
pub fn backquoted_list<S: AsRef<str>>(items: &[S], max: usize) -> String {
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

/// A number for people: decimal comma and at most two decimals (`33,33`).
pub fn number(n: f64) -> String {
    let rounded = (n * 100.0).round() / 100.0;
    let s = if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        let s = format!("{rounded:.2}");
        s.trim_end_matches('0').to_string()
    };
    s.replace('.', ",")
}

/// A number as a user would type it into a cell: decimal point, no `.0` on
/// whole numbers, never scientific notation (`1234567890123.0` →
/// `"1234567890123"`).
pub fn plain_number(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        // Exact: |v| < 2^53.
        format!("{}", v as i64)
    } else {
        // Rust's `Display` for f64 never uses an exponent.
        format!("{v}")
    }
}

/// A percentage (0 to 100) for people, one decimal at most: `12.5` → `12,5 %`.
pub fn percent_text(p: f64) -> String {
    let r = (p * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{} %", r as i64)
    } else {
        format!("{r:.1} %").replace('.', ",")
    }
}

/// `part / whole` as a percent rounded to one decimal, None when `whole` is 0.
pub fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| ((part as f64 / whole as f64) * 1000.0).round() / 10.0)
}

/// Civil dates from days since 1970-01-01; they live in `civil_date`, which
/// `build.rs` shares to stamp the build date.
pub use crate::civil_date::{civil_from_days, date_from_days};

/// Today's date in UTC, `AAAA-MM-DD`, from the system clock.
pub fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    crate::civil_date::from_unix_seconds(secs)
}

/// An operating-system error in words an analyst understands, never the
/// system's English text ("No space left on device (os error 28)"). Errors
/// the program made itself (`io::Error::other("…")`) are already Spanish.
pub fn system_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let text = match e.kind() {
        NotFound => "no existe",
        PermissionDenied => "no tiene permiso",
        IsADirectory => "es una carpeta, no un archivo",
        NotADirectory => "una parte de la ruta no es una carpeta",
        AlreadyExists => "ya existe",
        StorageFull => "el disco está lleno: libere espacio o escriba en otro disco",
        QuotaExceeded => "se alcanzó la cuota de disco: libere espacio o escriba en otro disco",
        ReadOnlyFilesystem => "el disco es de solo lectura",
        FileTooLarge => "el archivo es demasiado grande",
        InvalidFilename => "el nombre del archivo no es válido",
        ResourceBusy | ExecutableFileBusy => "el archivo está en uso por otro programa",
        CrossesDevices => "no se puede mover el archivo entre discos distintos",
        InvalidData => "contenido no válido",
        UnexpectedEof => "el archivo termina antes de lo esperado",
        BrokenPipe => "el programa que recibía la salida se cerró",
        Interrupted => "la operación se interrumpió",
        TimedOut => "se agotó el tiempo de espera",
        OutOfMemory => "no hay memoria suficiente",
        WriteZero => "no se pudo escribir nada más",
        _ if e.raw_os_error().is_none() && e.get_ref().is_some() => return e.to_string(),
        _ => {
            return match e.raw_os_error() {
                Some(n) => format!("error del sistema número {n}"),
                None => "error de lectura o escritura".to_string(),
            }
        }
    };
    text.to_string()
}

/// Text from the data made safe for a terminal: control characters (an
/// escape sequence that would recolour the screen or move the cursor, a
/// carriage return that would overwrite the line) and bidirectional
/// overrides are written as escapes (`\u{1b}`), so what a cell holds is
/// shown, never obeyed. Line breaks are kept when `keep_line_breaks` (text
/// of many lines), escaped otherwise (a cell in a one-line table).
pub fn terminal_safe(s: &str, keep_line_breaks: bool) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && !(keep_line_breaks && c == '\n'))
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    // Every such character starts with a control byte, 0xC2 (C1 controls)
    // or 0xE2 (the direction marks): most text has none of those bytes.
    let suspect = |b: &u8| *b < 0x20 || *b == 0x7F || *b == 0xC2 || *b == 0xE2;
    if !s.as_bytes().iter().any(suspect) || !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(fold(" Sí "), "si");
        assert_eq!(fold("Proporción"), "proporcion");
        assert_eq!(name_key("No  tiene"), "no_tiene");
        assert_eq!(name_key("Asambleas_Año"), "asambleas_ano");
        assert_eq!(question_key("¿Tiene NIT?"), "tiene nit");
    }

    #[test]
    fn numbers_as_text() {
        assert_eq!(plain_number(1234567890123.0), "1234567890123");
        assert_eq!(plain_number(12.5), "12.5");
        assert_eq!(plain_number(1e20), "100000000000000000000");
        assert_eq!(number(33.3333), "33,33");
        assert_eq!(number(40.0), "40");
        assert_eq!(percent_text(12.5), "12,5 %");
        assert_eq!(percent(1, 8), Some(12.5));
        assert_eq!(percent(1, 0), None);
    }

    #[test]
    fn system_errors_in_spanish() {
        let full = std::io::Error::from_raw_os_error(28);
        assert!(system_error(&full).starts_with("el disco está lleno"));
        let own = std::io::Error::other("la hoja tiene demasiadas filas");
        assert_eq!(system_error(&own), "la hoja tiene demasiadas filas");
        let odd = std::io::Error::from_raw_os_error(71);
        assert_eq!(system_error(&odd), "error del sistema número 71");
    }

    #[test]
    fn dates() {
        assert_eq!(date_from_days(0), "1970-01-01");
        assert_eq!(date_from_days(19_797), "2024-03-15");
        assert_eq!(date_from_days(11_016), "2000-02-29");
    }

    #[test]
    fn suggestions() {
        assert!(similarity("socios_totales", "socios_total").is_some());
        assert!(similarity("actualizado", "actualizada").is_some());
        assert!(similarity("region", "cuenta_bancaria").is_none());
        assert_eq!(
            did_you_mean("Proporcion", ["proporción", "socios"]).as_deref(),
            Some("proporción")
        );
        assert_eq!(did_you_mean("xyz", ["proporción"]), None);
        assert_eq!(plural(1, "fila", "filas"), "1 fila");
        assert_eq!(backquoted_list(&["a", "b", "c"], 2), "`a`, `b` y 1 más");
    }
}
