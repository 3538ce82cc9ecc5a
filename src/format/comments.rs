//! Comments recovered from the source text. pest's `COMMENT` is silent, so the
//! parse tree has no trace of them: they are found by scanning the text
//! (skipping string literals, which cannot hold a line break) and handed to
//! the layout in source order.

/// One `# …` comment.
#[derive(Debug, Clone)]
pub struct Comment {
    /// Byte offset of the `#`.
    pub start: usize,
    /// Byte offset just after the comment (before the line break).
    pub end: usize,
    /// The comment from `#`, without trailing whitespace.
    pub text: String,
    /// Nothing but whitespace before it on its line.
    pub own_line: bool,
    /// Characters before the `#` on its line (only meaningful when `own_line`).
    pub column: usize,
    /// Blank lines between the previous non-blank text and this comment.
    pub blank_before: usize,
}

/// Whitespace as the grammar sees it, apart from line breaks.
pub fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\u{FEFF}' | '\u{A0}')
}

/// Every comment of a file that parsed, in order.
pub fn scan(text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                // A string ends at the next quote (or, in a broken file, at
                // the end of the line).
                for (_, d) in chars.by_ref() {
                    if d == '"' || d == '\n' {
                        break;
                    }
                }
            }
            '#' => {
                let mut end = text.len();
                while let Some(&(j, d)) = chars.peek() {
                    if d == '\n' {
                        end = j;
                        break;
                    }
                    chars.next();
                }
                let body = text
                    .get(i..end)
                    .unwrap_or("")
                    .trim_end_matches(is_trailing_space);
                let line_start = text
                    .get(..i)
                    .and_then(|b| b.rfind('\n'))
                    .map_or(0, |n| n + 1);
                let before = text.get(line_start..i).unwrap_or("");
                let own_line = before.chars().all(is_space);
                out.push(Comment {
                    start: i,
                    end: i + body.len(),
                    text: body.to_string(),
                    own_line,
                    column: before.chars().filter(|c| *c != '\u{FEFF}').count(),
                    blank_before: blank_lines_before(text, i),
                });
            }
            _ => {}
        }
    }
    out
}

fn is_trailing_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{FEFF}'
}

/// Blank lines between the last non-blank character before `pos` and the
/// line `pos` is on.
pub fn blank_lines_before(text: &str, pos: usize) -> usize {
    let before = text.get(..pos).unwrap_or("");
    let mut newlines = 0usize;
    for c in before.chars().rev() {
        if c == '\n' {
            newlines += 1;
        } else if !is_space(c) {
            return newlines.saturating_sub(1);
        }
    }
    // Start of file: nothing before.
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_comments_outside_strings() {
        let t = "campo a: texto # uno\n  pregunta \"¿# no?\"\n\n\n  # dos  \n";
        let c = scan(t);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].text, "# uno");
        assert!(!c[0].own_line);
        assert_eq!(c[1].text, "# dos");
        assert!(c[1].own_line);
        assert_eq!(c[1].column, 2);
        assert_eq!(c[1].blank_before, 2);
    }
}
