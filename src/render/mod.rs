//! Stage 4: rendering. Everything here turns data (problems, results) into
//! text for people or machines; nothing here decides anything.

pub mod diagnostics;
pub mod explanation;
pub mod results;
pub mod summary;
pub mod verdict;
pub mod xlsx;

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
    if !s.chars().any(unsafe_char) {
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
