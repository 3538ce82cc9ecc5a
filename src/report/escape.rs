//! Escaping text that comes from data files (names, codes, cell values,
//! error messages quoting them) before it goes into HTML or Markdown. An
//! organization named `<script>alert(1)</script>` must show as text.

/// Escapes text for HTML element content and quoted attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline have no place in
            // a page; they could also break the layout.
            c if c.is_control() && c != '\t' && c != '\n' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a sentence of ours for HTML, and shows the names it quotes
/// between backticks (a field, as `excedentes`) as code, the way the
/// terminal and Markdown show them. Unpaired backticks stay as they are.
pub fn html_code(s: &str) -> String {
    let escaped = html(s);
    if !escaped.matches('`').count().is_multiple_of(2) {
        return escaped;
    }
    let mut out = String::with_capacity(escaped.len() + 16);
    for (k, part) in escaped.split('`').enumerate() {
        if k % 2 == 1 {
            out.push_str("<code>");
            out.push_str(part);
            out.push_str("</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Escapes text for Markdown running text and table cells: the characters
/// that would start emphasis, links, HTML, code or a table column are
/// backslash-escaped (CommonMark), and line breaks become spaces.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            // An underscore inside a word (`en_proceso`) never starts
            // emphasis in CommonMark; only one at a word's edge is escaped.
            '_' if i > 0
                && chars[i - 1].is_alphanumeric()
                && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric()) =>
            {
                out.push(c)
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup() {
        assert_eq!(
            html("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(html(r#"a "b" & 'c'"#), "a &quot;b&quot; &amp; &#39;c&#39;");
        assert_eq!(html("Asociación Amboró"), "Asociación Amboró");
    }

    #[test]
    fn html_code_shows_quoted_names_as_code_and_still_escapes() {
        assert_eq!(
            html_code("faltan `excedentes` y `a<b`"),
            "faltan <code>excedentes</code> y <code>a&lt;b</code>"
        );
        // An odd backtick (from data) is left alone.
        assert_eq!(html_code("`uno` y `"), "`uno` y `");
    }

    #[test]
    fn md_escapes_markup() {
        assert_eq!(md("<b>x</b> | *y*"), "\\<b\\>x\\</b\\> \\| \\*y\\*");
        assert_eq!(md("a\nb"), "a b");
        assert_eq!(md("en_proceso _x_"), "en_proceso \\_x\\_");
    }
}
