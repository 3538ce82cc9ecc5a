//! Cell conversion: from what a file holds (text, a spreadsheet number, a JSON
//! bool…) to a typed [`Value`] of the declared field, or a Spanish message.

use super::schema::{FieldSpec, FieldType, Value};
use crate::text::{name_key, name_key_into, plain_number, similarity};

/// A cell as read from a file, before typing.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RawCell<'a> {
    Blank,
    Text(&'a str),
    /// A native number (spreadsheet or JSON). `percent_format` is true for an
    /// XLSX cell shown as a percentage (`78,5 %` is stored as 0.785).
    Number {
        value: f64,
        percent_format: bool,
    },
    Bool(bool),
    /// A cell that cannot hold a value (an Excel `#DIV/0!`, a JSON list, bytes
    /// that are not text): shown as `raw`, reported with `mensaje`.
    Invalid {
        raw: &'a str,
        mensaje: &'a str,
    },
}

impl RawCell<'_> {
    /// A blank or whitespace-only cell: sin dato.
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            RawCell::Blank => true,
            RawCell::Text(s) => trim_cell(s).is_empty(),
            _ => false,
        }
    }

    /// The cell as the user wrote it, for error reports.
    pub(crate) fn raw_text(&self) -> Option<String> {
        match self {
            RawCell::Blank => None,
            RawCell::Text(s) => Some(trim_cell(s).to_string()),
            RawCell::Number { value, .. } => Some(plain_number(*value)),
            RawCell::Bool(b) => Some(if *b { "verdadero" } else { "falso" }.to_string()),
            RawCell::Invalid { raw, .. } => Some(raw.to_string()),
        }
    }
}

/// `str::trim`, with a fast exit for the usual cell that needs none.
#[inline]
pub(crate) fn trim_cell(s: &str) -> &str {
    let bytes = s.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return s;
    };
    let clean_start = if first.is_ascii() {
        !first.is_ascii_whitespace()
    } else {
        !s.chars().next().is_some_and(char::is_whitespace)
    };
    let clean_end = if last.is_ascii() {
        !last.is_ascii_whitespace()
    } else {
        !s.chars().next_back().is_some_and(char::is_whitespace)
    };
    if clean_start && clean_end {
        s
    } else {
        s.trim()
    }
}

/// What the converter needs to know about one field, prepared once.
#[derive(Debug)]
pub(crate) struct FieldConv {
    pub name: String,
    pub ty: FieldType,
    /// Keys of the declared categories (`name_key`), same order as declared.
    category_keys: Vec<String>,
    /// Keys of their labels (`Amboró` → `amboro`), same order: a form that
    /// exports labels instead of names is read the same.
    label_keys: Vec<String>,
}

impl FieldConv {
    pub(crate) fn new(spec: &FieldSpec) -> FieldConv {
        let category_keys = match &spec.ty {
            FieldType::Category(values) => values
                .iter()
                .map(|v| {
                    let mut k = String::new();
                    name_key_into(v, &mut k);
                    k
                })
                .collect(),
            _ => Vec::new(),
        };
        FieldConv {
            name: spec.name.clone(),
            ty: spec.ty.clone(),
            category_keys,
            label_keys: spec.category_labels.iter().map(|l| name_key(l)).collect(),
        }
    }
}

/// The common well-formed cells, typed with no detour (`si`, `120`, `78,5`,
/// a category as declared, a text); `None` sends the cell to [`convert`],
/// which handles everything else and explains errors. `s` is trimmed, not blank.
#[inline]
pub(crate) fn fast_value(field: &FieldConv, s: &str) -> Option<Value> {
    match &field.ty {
        FieldType::Text => Some(Value::Text(s.to_string())),
        FieldType::Bool => fast_bool(s.as_bytes()).map(Value::Bool),
        FieldType::Integer => plain_decimal(s)
            .filter(|d| d.frac_digits == 0)
            .map(|d| Value::Number(d.value)),
        FieldType::Number => plain_decimal(s)
            .filter(|d| !d.looks_grouped)
            .map(|d| Value::Number(d.value)),
        FieldType::Percent => plain_decimal(s)
            .filter(|d| d.value <= 100.0)
            .map(|d| Value::Number(d.value)),
        FieldType::Category(values) => values
            .iter()
            .position(|v| v == s)
            .map(|i| Value::Category(i as u32)),
    }
}

/// `si`, `sí`, `Si`, `Sí`, `SI`, `SÍ`, `1` / `no`, `No`, `NO`, `0`; others
/// go through the full converter. Compared as bytes: a string `match` called
/// `memcmp` for every pattern, 18 times a row in a typical survey.
#[inline]
fn fast_bool(b: &[u8]) -> Option<bool> {
    match *b {
        [b'1'] => Some(true),
        [b'0'] => Some(false),
        [b's', b'i'] | [b'S', b'i'] | [b'S', b'I'] => Some(true),
        [b'n', b'o'] | [b'N', b'o'] | [b'N', b'O'] => Some(false),
        // sí, Sí, SÍ (í = C3 AD, Í = C3 8D)
        [b's', 0xC3, 0xAD] | [b'S', 0xC3, 0xAD] | [b'S', 0xC3, 0x8D] => Some(true),
        _ => None,
    }
}

struct PlainDecimal {
    value: f64,
    frac_digits: usize,
    /// One separator followed by exactly three digits (`1.200`): thousands
    /// or decimals, depending on the field.
    looks_grouped: bool,
}

/// `120`, `78,5` or `78.5`: digits with at most one decimal mark, at most 15
/// digits in all (so the value is exact: one correctly rounded division).
#[inline]
fn plain_decimal(s: &str) -> Option<PlainDecimal> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let b = s.as_bytes();
    if b.len() > 16 {
        return None;
    }
    let mut n = 0u64;
    let mut sep = None;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => n = n * 10 + u64::from(c - b'0'),
            b'.' | b',' if sep.is_none() && i > 0 && i + 1 < b.len() => sep = Some(i),
            _ => return None,
        }
    }
    let (frac_digits, looks_grouped) = match sep {
        None => (0, false),
        Some(i) => {
            let frac = b.len() - i - 1;
            (frac, frac == 3 && i <= 3 && b[0] != b'0')
        }
    };
    let digits = b.len() - usize::from(sep.is_some());
    if digits > 15 {
        return None;
    }
    Some(PlainDecimal {
        value: n as f64 / POW10[frac_digits],
        frac_digits,
        looks_grouped,
    })
}

/// Converts one non-blank cell. `scratch` is a reused buffer. Blank cells are
/// handled by the caller (`None`, sin dato).
pub(crate) fn convert(
    field: &FieldConv,
    cell: RawCell<'_>,
    scratch: &mut String,
) -> Result<Value, String> {
    match cell {
        RawCell::Blank => Err("celda vacía".to_string()),
        RawCell::Invalid { mensaje, .. } => Err(mensaje.to_string()),
        RawCell::Text(s) => convert_text(field, trim_cell(s), scratch),
        RawCell::Number {
            value,
            percent_format,
        } => convert_number(field, value, percent_format, scratch),
        RawCell::Bool(b) => convert_bool(field, b, scratch),
    }
}

/// Words people type for "no data": they are not blank, so they are errors,
/// with a hint to leave the cell empty.
fn looks_like_no_data(s: &str) -> bool {
    const WORDS: [&str; 13] = [
        "na",
        "n/a",
        "n.a.",
        "nd",
        "n/d",
        "s/d",
        "sd",
        "sin dato",
        "sin datos",
        "-",
        "--",
        "?",
        "null",
    ];
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
}

fn convert_text(field: &FieldConv, s: &str, scratch: &mut String) -> Result<Value, String> {
    convert_text_inner(field, s, scratch).map_err(|mut msg| {
        if looks_like_no_data(s) {
            msg.push_str(" (si no hay dato, deje la celda vacía)");
        }
        msg
    })
}

fn convert_text_inner(field: &FieldConv, s: &str, scratch: &mut String) -> Result<Value, String> {
    match &field.ty {
        FieldType::Text => Ok(Value::Text(s.to_string())),
        FieldType::Bool => parse_bool(s)
            .map(Value::Bool)
            .ok_or_else(|| bool_error(s)),
        FieldType::Integer => match parse_number(s, NumMode::Integer) {
            NumParse::Ok(v) => check_integer(v, s),
            _ => Err(format!(
                "`{s}` no es un número entero; escriba solo cifras, por ejemplo 120"
            )),
        },
        FieldType::Number => match parse_number(s, NumMode::Number) {
            NumParse::Ok(v) => Ok(Value::Number(v)),
            NumParse::Ambiguous { thousands, decimal } => Err(format!(
                "`{s}` es ambiguo: puede ser {} (con separador de miles) o {} (con decimales); \
                 escríbalo sin separador de miles, por ejemplo {}, o con coma decimal, por ejemplo {}",
                plain_number(thousands),
                plain_number(decimal).replace('.', ","),
                plain_number(thousands),
                plain_number(decimal).replace('.', ","),
            )),
            NumParse::Invalid => Err(format!(
                "`{s}` no es un número; use cifras con punto o coma decimal, por ejemplo 78,5"
            )),
        },
        FieldType::Percent => {
            let body = s.strip_suffix('%').unwrap_or(s).trim_end();
            match parse_number(body, NumMode::Percent) {
                NumParse::Ok(v) => check_percent(v, s),
                _ => Err(format!(
                    "`{s}` no es un porcentaje; escriba un número de 0 a 100, por ejemplo 78,5 o 78,5%"
                )),
            }
        }
        FieldType::Category(values) => match_category(field, values, s, scratch),
    }
}

fn convert_number(
    field: &FieldConv,
    v: f64,
    percent_format: bool,
    scratch: &mut String,
) -> Result<Value, String> {
    let shown = plain_number(v);
    if !v.is_finite() {
        return Err(format!("`{shown}` no es un número válido"));
    }
    match &field.ty {
        FieldType::Text => Ok(Value::Text(shown)),
        FieldType::Bool => {
            if v == 1.0 {
                Ok(Value::Bool(true))
            } else if v == 0.0 {
                Ok(Value::Bool(false))
            } else {
                Err(bool_error(&shown))
            }
        }
        FieldType::Integer => {
            // Tolerate float noise from spreadsheet formulas (12.000000000000002).
            let r = v.round();
            let v = if (v - r).abs() < 1e-9 { r } else { v };
            check_integer(v, &shown)
        }
        FieldType::Number => Ok(Value::Number(v)),
        FieldType::Percent => {
            let v = if percent_format {
                // 0.785 shown as 78.5 %: remove the binary noise of ×100.
                (v * 100.0 * 1e9).round() / 1e9
            } else {
                v
            };
            check_percent(v, &shown)
        }
        FieldType::Category(values) => match_category(field, values, &shown, scratch),
    }
}

fn convert_bool(field: &FieldConv, b: bool, scratch: &mut String) -> Result<Value, String> {
    let shown = if b { "sí" } else { "no" };
    match &field.ty {
        FieldType::Bool => Ok(Value::Bool(b)),
        FieldType::Text => Ok(Value::Text(shown.to_string())),
        FieldType::Category(values) => match_category(field, values, shown, scratch),
        FieldType::Integer | FieldType::Number | FieldType::Percent => Err(format!(
            "la celda tiene un valor de sí/no (`{shown}`), pero `{}` espera un número",
            field.name
        )),
    }
}

fn bool_error(s: &str) -> String {
    format!(
        "`{s}` no es un valor de sí/no; escriba sí o no (también valen si, s, no, n, 1, 0, verdadero, falso)"
    )
}

/// The largest whole number held exactly (2^53 − 1): past it, two different
/// quantities can compare equal.
const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_991.0;

fn check_integer(v: f64, shown: &str) -> Result<Value, String> {
    if v < 0.0 {
        Err(format!(
            "`{shown}` no puede ser negativo: es una cantidad; escriba 0 o más"
        ))
    } else if v.fract() != 0.0 {
        Err(format!(
            "`{shown}` no es un número entero (tiene decimales); escriba una cantidad sin decimales"
        ))
    } else if v > MAX_EXACT_INTEGER {
        Err(format!(
            "`{shown}` es demasiado grande para una cantidad (el máximo es 9007199254740991); \
             revise que no se hayan pegado varias cifras"
        ))
    } else {
        Ok(Value::Number(v))
    }
}

fn check_percent(v: f64, shown: &str) -> Result<Value, String> {
    if (0.0..=100.0).contains(&v) {
        Ok(Value::Number(v))
    } else {
        Err(format!(
            "`{shown}` está fuera de rango: un porcentaje va de 0 a 100"
        ))
    }
}

fn match_category(
    field: &FieldConv,
    values: &[String],
    s: &str,
    scratch: &mut String,
) -> Result<Value, String> {
    // Fast path: the value exactly as declared.
    if let Some(i) = values.iter().position(|v| v == s) {
        return Ok(Value::Category(i as u32));
    }
    name_key_into(s, scratch);
    if let Some(i) = field.category_keys.iter().position(|k| k == scratch) {
        return Ok(Value::Category(i as u32));
    }
    if let Some(i) = field.label_keys.iter().position(|k| k == scratch) {
        return Ok(Value::Category(i as u32));
    }
    let mut msg = format!(
        "`{s}` no es un valor permitido para `{}`; valores permitidos: {}",
        field.name,
        values.join(", ")
    );
    let best = field
        .category_keys
        .iter()
        .enumerate()
        .filter_map(|(i, k)| similarity(scratch, k).map(|score| (score, i)))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((_, i)) = best {
        if let Some(v) = values.get(i) {
            msg.push_str(&format!(". ¿Quiso decir `{v}`?"));
        }
    }
    Err(msg)
}

/// sí/no words: `sí si s yes y verdadero true v 1` and `no n falso false f 0`,
/// any case, with or without tilde.
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    // The usual spellings first, without case folding.
    match s {
        "si" | "sí" | "Si" | "Sí" | "SI" | "SÍ" | "1" => return Some(true),
        "no" | "No" | "NO" | "0" => return Some(false),
        _ => {}
    }
    const TRUE: [&str; 8] = ["si", "s", "yes", "y", "verdadero", "true", "v", "1"];
    const FALSE: [&str; 6] = ["no", "n", "falso", "false", "f", "0"];
    if s.is_ascii() {
        if TRUE.iter().any(|w| w.eq_ignore_ascii_case(s)) {
            return Some(true);
        }
        if FALSE.iter().any(|w| w.eq_ignore_ascii_case(s)) {
            return Some(false);
        }
        return None;
    }
    // "sí" with a tilde in any case.
    let mut chars = s.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some('s' | 'S'), Some('í' | 'Í'), None) => Some(true),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum NumMode {
    /// `1.200` is one thousand two hundred.
    Integer,
    /// `1.200` is ambiguous.
    Number,
    /// `12.500` is twelve and a half (a percentage is at most 100).
    Percent,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum NumParse {
    Ok(f64),
    Ambiguous { thousands: f64, decimal: f64 },
    Invalid,
}

/// Parses a number written by hand or by a spreadsheet in any locale: decimal
/// point or comma, thousands separators (`.` `,`) only in groups of three.
/// A number too large to be held exactly (400 digits would become
/// infinity, equal to any other) is not a number.
pub(crate) fn parse_number(s: &str, mode: NumMode) -> NumParse {
    match parse_number_any(s, mode) {
        NumParse::Ok(v) if !v.is_finite() => NumParse::Invalid,
        NumParse::Ambiguous { thousands, decimal }
            if !(thousands.is_finite() && decimal.is_finite()) =>
        {
            NumParse::Invalid
        }
        other => other,
    }
}

fn parse_number_any(s: &str, mode: NumMode) -> NumParse {
    let (sign, body) = split_sign(trim_cell(s));
    let bytes = body.as_bytes();
    if bytes.is_empty() {
        return NumParse::Invalid;
    }
    // Fast path: plain digits, exact as an integer up to 15 digits.
    if bytes.len() <= 15 && bytes.iter().all(u8::is_ascii_digit) {
        let n = bytes.iter().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
        return NumParse::Ok(sign * n as f64);
    }
    if bytes.iter().all(u8::is_ascii_digit) {
        return match body.parse::<f64>() {
            Ok(v) => NumParse::Ok(sign * v),
            Err(_) => NumParse::Invalid,
        };
    }
    if !bytes
        .iter()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b'e' | b'E' | b'+' | b'-'))
    {
        return NumParse::Invalid;
    }
    let dots = bytes.iter().filter(|&&b| b == b'.').count();
    let commas = bytes.iter().filter(|&&b| b == b',').count();
    if bytes.iter().any(|b| matches!(b, b'e' | b'E' | b'+' | b'-')) {
        // Scientific notation, as some programs write it (1.5e-05).
        if commas > 0 || dots > 1 || !(bytes[0].is_ascii_digit() || bytes[0] == b'.') {
            return NumParse::Invalid;
        }
        return match body.parse::<f64>() {
            Ok(v) if v.is_finite() => NumParse::Ok(sign * v),
            _ => NumParse::Invalid,
        };
    }
    match (dots, commas) {
        (0, 0) => NumParse::Invalid,
        (_, 0) => one_separator(body, '.', dots, mode, sign),
        (0, _) => one_separator(body, ',', commas, mode, sign),
        _ => both_separators(body, dots, commas, sign),
    }
}

/// The sign (`-`, `+` or the minus sign `−`) as a factor, and the rest.
fn split_sign(s: &str) -> (f64, &str) {
    match s.as_bytes().first() {
        Some(b'-') => (-1.0, &s[1..]),
        Some(b'+') => (1.0, &s[1..]),
        _ => match s.strip_prefix('−') {
            Some(rest) => (-1.0, rest),
            None => (1.0, s),
        },
    }
}

fn signed(v: Option<f64>, sign: f64) -> NumParse {
    v.map_or(NumParse::Invalid, |v| NumParse::Ok(sign * v))
}

/// Only `.` or only `,` (`count` of them): several group thousands; one
/// followed by three digits may group thousands or mark decimals, which
/// `mode` decides.
fn one_separator(body: &str, sep: char, count: usize, mode: NumMode, sign: f64) -> NumParse {
    if count > 1 {
        return signed(grouped_integer(body, sep), sign);
    }
    let Some((int, frac)) = body.split_once(sep) else {
        return NumParse::Invalid;
    };
    let looks_grouped = frac.len() == 3 && (1..=3).contains(&int.len()) && !int.starts_with('0');
    let decimal = decimal_value(int, frac);
    if !looks_grouped {
        return signed(decimal, sign);
    }
    let thousands = grouped_integer(body, sep);
    match mode {
        NumMode::Integer => signed(thousands, sign),
        NumMode::Percent => signed(decimal, sign),
        NumMode::Number => match (thousands, decimal) {
            (Some(t), Some(d)) => NumParse::Ambiguous {
                thousands: sign * t,
                decimal: sign * d,
            },
            _ => NumParse::Invalid,
        },
    }
}

/// Both `.` and `,`: the last one is the decimal mark, the other groups
/// thousands.
fn both_separators(body: &str, dots: usize, commas: usize, sign: f64) -> NumParse {
    let (Some(last_dot), Some(last_comma)) = (body.rfind('.'), body.rfind(',')) else {
        return NumParse::Invalid;
    };
    let (dec, group) = if last_dot > last_comma {
        ('.', ',')
    } else {
        (',', '.')
    };
    let dec_count = if dec == '.' { dots } else { commas };
    if dec_count != 1 {
        return NumParse::Invalid;
    }
    let Some((int, frac)) = body.split_once(dec) else {
        return NumParse::Invalid;
    };
    match (grouped_integer(int, group), decimal_value("0", frac)) {
        (Some(i), Some(f)) if !frac.is_empty() => NumParse::Ok(sign * (i + f)),
        _ => NumParse::Invalid,
    }
}

/// `1.234.567` → 1234567 when every group after the first has three digits.
fn grouped_integer(s: &str, sep: char) -> Option<f64> {
    let mut parts = s.split(sep);
    let first = parts.next()?;
    if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if first.len() > 1 && first.starts_with('0') {
        return None;
    }
    let mut buf = NumBuf::default();
    buf.push(first)?;
    for p in parts {
        if p.len() != 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        buf.push(p)?;
    }
    buf.parse()
}

/// `int` and `frac` digit strings (either may be empty, not both) as a number.
fn decimal_value(int: &str, frac: &str) -> Option<f64> {
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut buf = NumBuf::default();
    buf.push(if int.is_empty() { "0" } else { int })?;
    buf.push(".")?;
    buf.push(if frac.is_empty() { "0" } else { frac })?;
    buf.parse()
}

/// A stack buffer to rebuild a number without separators (no allocation).
struct NumBuf {
    bytes: [u8; 64],
    len: usize,
}

impl Default for NumBuf {
    fn default() -> Self {
        NumBuf {
            bytes: [0; 64],
            len: 0,
        }
    }
}

impl NumBuf {
    fn push(&mut self, s: &str) -> Option<()> {
        let end = self.len + s.len();
        self.bytes
            .get_mut(self.len..end)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Some(())
    }

    fn parse(&self) -> Option<f64> {
        let s = std::str::from_utf8(self.bytes.get(..self.len)?).ok()?;
        s.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str, mode: NumMode) -> NumParse {
        parse_number(s, mode)
    }

    #[test]
    fn fast_booleans_are_the_listed_spellings() {
        for t in ["si", "sí", "Si", "Sí", "SI", "SÍ", "1"] {
            assert_eq!(fast_bool(t.as_bytes()), Some(true), "{t}");
        }
        for f in ["no", "No", "NO", "0"] {
            assert_eq!(fast_bool(f.as_bytes()), Some(false), "{f}");
        }
        for other in ["", "sI", "nO", "sÍ", "s", "yes", "si ", "2", "Sì"] {
            assert_eq!(fast_bool(other.as_bytes()), None, "{other}");
        }
    }

    #[test]
    fn numbers() {
        use NumMode::*;
        assert_eq!(n("120", Integer), NumParse::Ok(120.0));
        assert_eq!(n("1.200", Integer), NumParse::Ok(1200.0));
        assert_eq!(n("1,200", Integer), NumParse::Ok(1200.0));
        assert_eq!(n("12.0", Integer), NumParse::Ok(12.0));
        assert_eq!(n("1.234.567", Integer), NumParse::Ok(1_234_567.0));
        assert_eq!(n("78,5", Percent), NumParse::Ok(78.5));
        assert_eq!(n("12.500", Percent), NumParse::Ok(12.5));
        assert_eq!(n("1.234,5", Number), NumParse::Ok(1234.5));
        assert_eq!(n("1,234.5", Number), NumParse::Ok(1234.5));
        assert_eq!(n("0.785", Number), NumParse::Ok(0.785));
        assert_eq!(n("-3,5", Number), NumParse::Ok(-3.5));
        assert_eq!(n("1.5e-05", Number), NumParse::Ok(1.5e-05));
        assert_eq!(
            n("1.200", Number),
            NumParse::Ambiguous {
                thousands: 1200.0,
                decimal: 1.2
            }
        );
        for bad in [
            "",
            "abc",
            "1.2.3",
            "1,2,3",
            "12a",
            "inf",
            "NaN",
            "1.234,5,6",
            "1..2",
            ".",
        ] {
            assert_eq!(n(bad, Number), NumParse::Invalid, "{bad}");
        }
    }

    proptest::proptest! {
        /// The fast path never disagrees with the full converter.
        #[test]
        fn fast_path_agrees_with_convert(s in "[0-9]{0,4}([.,][0-9]{0,4})?|[sSnN][iIoOíÍ]?|[0-9]{14,17}") {
            let fields = [
                FieldType::Integer,
                FieldType::Number,
                FieldType::Percent,
                FieldType::Bool,
                FieldType::Text,
                FieldType::Category(vec!["si".into(), "12".into()]),
            ];
            for ty in fields {
                let field = FieldConv::new(&crate::data::FieldSpec {
                    name: "x".into(),
                    ty,
                    aliases: Vec::new(),
                    question: None,
                    at_most_field: None,
                    category_labels: Vec::new(),
                });
                if s.is_empty() {
                    continue;
                }
                if let Some(fast) = fast_value(&field, &s) {
                    let full = convert(&field, RawCell::Text(&s), &mut String::new());
                    proptest::prop_assert_eq!(Ok(fast), full, "{} as {:?}", s, field.ty);
                }
            }
        }
    }

    #[test]
    fn trimming() {
        for (raw, trimmed) in [
            ("sí", "sí"),
            (" sí\u{a0}", "sí"),
            ("\u{a0}12", "12"),
            ("a b", "a b"),
            ("  ", ""),
            ("", ""),
            ("\tx\r", "x"),
        ] {
            assert_eq!(trim_cell(raw), trimmed, "{raw:?}");
        }
    }

    #[test]
    fn bools() {
        for t in [
            "sí",
            "SÍ",
            "Sí",
            "si",
            "SI",
            "s",
            "yes",
            "Y",
            "verdadero",
            "TRUE",
            "v",
            "1",
        ] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["no", "NO", "n", "falso", "False", "f", "0"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        for x in ["", "2", "quizás", "nó", "sii"] {
            assert_eq!(parse_bool(x), None, "{x}");
        }
    }
}
