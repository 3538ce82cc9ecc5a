//! A small pretty-printing document algebra (after Wadler and Prettier): text,
//! line breaks that a [`Doc::Group`] either keeps all on one line or breaks all,
//! indentation, and comments. A group that holds a comment always breaks,
//! since a `#` comment runs to the end of its line.

#[derive(Debug, Clone)]
pub enum Doc {
    /// Text without line breaks.
    Text(String),
    /// A space when the enclosing group is flat, a line break otherwise.
    Line,
    /// Nothing when the enclosing group is flat, a line break otherwise.
    SoftLine,
    /// Always a line break (never two in a row: see [`Printer`]).
    HardLine,
    Concat(Vec<Doc>),
    /// Indents the line breaks inside by this many more spaces.
    Indent(usize, Box<Doc>),
    Group {
        doc: Box<Doc>,
        /// Holds a hard line break or a comment: never flat.
        forced: bool,
    },
    /// A `#` comment. A trailing one stays at the end of the current line;
    /// otherwise it goes on a line of its own. A line break always follows.
    Comment {
        text: String,
        trailing: bool,
    },
    /// Source text kept as written (may span lines; only its first line is
    /// indented).
    Verbatim(String),
    /// Items and separators alternating (`[item, Line, item, Line, item]`):
    /// as many items on each line as fit (like words in a paragraph).
    Fill(Vec<Doc>),
}

pub fn text(s: impl Into<String>) -> Doc {
    Doc::Text(s.into())
}

pub fn concat(v: Vec<Doc>) -> Doc {
    Doc::Concat(v)
}

pub fn indent(n: usize, d: Doc) -> Doc {
    Doc::Indent(n, Box::new(d))
}

pub fn group(d: Doc) -> Doc {
    let forced = forces_break(&d);
    Doc::Group {
        doc: Box::new(d),
        forced,
    }
}

fn forces_break(d: &Doc) -> bool {
    match d {
        Doc::HardLine | Doc::Comment { .. } => true,
        Doc::Verbatim(s) => s.contains('\n'),
        Doc::Group { forced, .. } => *forced,
        Doc::Concat(v) | Doc::Fill(v) => v.iter().any(forces_break),
        Doc::Indent(_, d) => forces_break(d),
        Doc::Text(_) | Doc::Line | Doc::SoftLine => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Flat,
    Break,
}

/// What is left to print: a document, or the rest of a [`Doc::Fill`].
#[derive(Clone, Copy)]
enum Item<'a> {
    Doc(&'a Doc),
    FillRest(&'a [Doc]),
}

type Cmd<'a> = (usize, Mode, Item<'a>);

/// Prints a document in lines of at most `width` characters where possible.
/// The result has no trailing spaces and no final line break.
pub fn print(doc: &Doc, width: usize) -> String {
    let mut p = Printer {
        out: String::new(),
        col: 0,
        at_start: true,
        pending: 0,
    };
    let mut stack: Vec<Cmd> = vec![(0, Mode::Break, Item::Doc(doc))];
    while let Some((ind, mode, item)) = stack.pop() {
        let d = match item {
            Item::Doc(d) => d,
            Item::FillRest(parts) => {
                fill(&mut p, &mut stack, width, ind, mode, parts);
                continue;
            }
        };
        match d {
            Doc::Text(s) => p.text(s),
            Doc::Line => match mode {
                Mode::Flat => {
                    if !p.at_start {
                        p.text(" ")
                    }
                }
                Mode::Break => p.newline(ind),
            },
            Doc::SoftLine => {
                if mode == Mode::Break {
                    p.newline(ind)
                }
            }
            Doc::HardLine => p.newline(ind),
            Doc::Concat(v) => {
                for x in v.iter().rev() {
                    stack.push((ind, mode, Item::Doc(x)));
                }
            }
            Doc::Fill(v) => fill(&mut p, &mut stack, width, ind, mode, v),
            Doc::Indent(n, x) => stack.push((ind + n, mode, Item::Doc(x))),
            Doc::Group { doc, forced } => {
                let m = if *forced {
                    Mode::Break
                } else if mode == Mode::Flat {
                    Mode::Flat
                } else {
                    let room = width as isize - p.col as isize;
                    if fits(room, (ind, Mode::Flat, Item::Doc(doc)), &stack) {
                        Mode::Flat
                    } else {
                        Mode::Break
                    }
                };
                stack.push((ind, m, Item::Doc(doc)));
            }
            Doc::Comment { text, trailing } => p.comment(text, *trailing, ind),
            Doc::Verbatim(s) => p.verbatim(s),
        }
    }
    let trimmed = p.out.trim_end().len();
    p.out.truncate(trimmed);
    p.out
}

/// One step of a fill: the first item (flat if it fits), then the separator,
/// which breaks only when the next item does not fit on the line.
fn fill<'a>(
    p: &mut Printer,
    stack: &mut Vec<Cmd<'a>>,
    width: usize,
    ind: usize,
    mode: Mode,
    parts: &'a [Doc],
) {
    let Some((content, rest)) = parts.split_first() else {
        return;
    };
    let room = width as isize - p.col as isize;
    if mode == Mode::Flat {
        for x in parts.iter().rev() {
            stack.push((ind, Mode::Flat, Item::Doc(x)));
        }
        return;
    }
    let content_flat =
        !forces_break(content) && fits(room, (ind, Mode::Flat, Item::Doc(content)), &[]);
    let content_mode = if content_flat {
        Mode::Flat
    } else {
        Mode::Break
    };
    let Some((sep, after)) = rest.split_first() else {
        stack.push((ind, content_mode, Item::Doc(content)));
        return;
    };
    let both_fit = content_flat
        && after.first().is_some_and(|next| {
            !forces_break(next)
                && fits(
                    room,
                    (ind, Mode::Flat, Item::Doc(content)),
                    &[
                        (ind, Mode::Flat, Item::Doc(next)),
                        (ind, Mode::Flat, Item::Doc(sep)),
                    ],
                )
        });
    stack.push((ind, mode, Item::FillRest(after)));
    stack.push((
        ind,
        if both_fit { Mode::Flat } else { Mode::Break },
        Item::Doc(sep),
    ));
    stack.push((ind, content_mode, Item::Doc(content)));
}

/// Whether `first` printed flat, followed by the rest of the line, fits in
/// `room` characters.
fn fits(mut room: isize, first: Cmd, rest: &[Cmd]) -> bool {
    let mut stack = vec![first];
    let mut rest_left = rest.len();
    loop {
        let (ind, mode, item) = match stack.pop() {
            Some(c) => c,
            None => {
                if rest_left == 0 {
                    return true;
                }
                rest_left -= 1;
                rest[rest_left]
            }
        };
        let d = match item {
            Item::Doc(d) => d,
            Item::FillRest(parts) => {
                for x in parts.iter().rev() {
                    stack.push((ind, mode, Item::Doc(x)));
                }
                continue;
            }
        };
        match d {
            Doc::Text(s) => room -= width_of(s) as isize,
            Doc::Line => match mode {
                Mode::Flat => room -= 1,
                Mode::Break => return true,
            },
            Doc::SoftLine => {
                if mode == Mode::Break {
                    return true;
                }
            }
            Doc::HardLine | Doc::Comment { .. } => return true,
            Doc::Verbatim(s) => {
                room -= width_of(s.split('\n').next().unwrap_or("")) as isize;
                if s.contains('\n') {
                    return room >= 0;
                }
            }
            Doc::Concat(v) | Doc::Fill(v) => {
                for x in v.iter().rev() {
                    stack.push((ind, mode, Item::Doc(x)));
                }
            }
            Doc::Indent(n, x) => stack.push((ind + n, mode, Item::Doc(x))),
            Doc::Group { doc, forced } => {
                let m = if *forced { Mode::Break } else { mode };
                stack.push((ind, m, Item::Doc(doc)));
            }
        }
        if room < 0 {
            return false;
        }
    }
}

pub fn width_of(s: &str) -> usize {
    s.chars().count()
}

struct Printer {
    out: String,
    col: usize,
    /// Nothing written on the current line yet.
    at_start: bool,
    /// Indentation of the current line, written with its first text.
    pending: usize,
}

impl Printer {
    /// A comment ends its line: after the code when trailing, else on a
    /// line of its own at this indentation.
    fn comment(&mut self, text: &str, trailing: bool, ind: usize) {
        if trailing && !self.at_start {
            if !self.out.ends_with(' ') {
                self.text(" ");
            }
        } else {
            self.newline(ind);
        }
        self.text(text);
        self.newline(ind);
    }

    /// Text as written, its lines without trailing spaces.
    fn verbatim(&mut self, s: &str) {
        let mut lines = s.split('\n');
        if let Some(first) = lines.next() {
            self.text(first.trim_end());
        }
        for line in lines {
            self.raw_line(line.trim_end());
        }
    }

    fn text(&mut self, s: &str) {
        // Nothing to write, or only spaces at the start of a line (after a
        // comment ended it).
        if s.is_empty() || (self.at_start && s.trim().is_empty()) {
            return;
        }
        if self.at_start {
            self.out.extend(std::iter::repeat_n(' ', self.pending));
            self.col = self.pending;
            self.at_start = false;
        }
        self.out.push_str(s);
        self.col += width_of(s);
    }

    /// Ends the current line; at the start of a line only sets the indentation
    /// of the next text, so line breaks never pile up into blank lines.
    fn newline(&mut self, ind: usize) {
        self.pending = ind;
        self.col = ind;
        if self.at_start {
            return;
        }
        let kept = self.out.trim_end_matches(' ').len();
        self.out.truncate(kept);
        self.out.push('\n');
        self.at_start = true;
    }

    /// A line of verbatim text, not indented.
    fn raw_line(&mut self, line: &str) {
        let kept = self.out.trim_end_matches(' ').len();
        self.out.truncate(kept);
        self.out.push('\n');
        self.out.push_str(line);
        self.col = width_of(line);
        self.at_start = line.is_empty();
        self.pending = 0;
    }
}
