//! The canonical layout, built by walking the pest pairs of a file that
//! parsed (the pairs keep the exact tokens) together with the comments found
//! between them in the source text.
//!
//! Every token goes through [`Layout::tok`], which first emits any comment
//! that comes before it in the source: no comment is ever dropped, and
//! comments keep their order. Declarations, clauses, the operands of a broken
//! `y`/`o` chain and list items first take the comments before them, so that
//! those land on their own lines at the right indentation.
//!
//! Any construct this module does not know (the grammar grows) is kept as
//! written, so formatting never changes what a file means.

use pest::iterators::Pair;

use super::comments::{blank_lines_before, is_space, Comment};
use super::doc::{concat, group, indent, print, text, Doc};
use crate::syntax::Rule;

type P<'a> = Pair<'a, Rule>;

/// Lines are kept to this many characters where they can be broken (the
/// width of the chapter banners of `rules/cepac.reglas`).
pub const WIDTH: usize = 80;
/// Clauses are indented this much under their declaration.
const CLAUSE: usize = 2;
/// Continuation lines of a broken condition start at this column.
const CONTINUATION: usize = 4;
/// Items of a broken list are indented this much more than the line that
/// opens it; the closing bracket, half as much.
const LIST_ITEMS: usize = 4;
const LIST_CLOSE: usize = 2;
/// Blank lines kept before a declaration, and before a comment (chapter
/// banners are often preceded by two).
const MAX_BLANK_BEFORE_DECL: usize = 1;
const MAX_BLANK_BEFORE_COMMENT: usize = 2;

/// Formats a whole file from its `file` pair. The result ends with one line
/// break (or is empty).
pub fn format_file(file: P, text: &str, comments: Vec<Comment>) -> String {
    let mut l = Layout {
        text,
        comments,
        next: 0,
    };
    let kids: Vec<P> = file.into_inner().collect();
    let mut items: Vec<Item> = Vec::new();
    for (i, kid) in kids.iter().enumerate() {
        let start = kid.as_span().start();
        while let Some(c) = l.comments.get(l.next).filter(|c| c.start < start) {
            items.push(Item {
                text: c.text.clone(),
                blank_before: c.blank_before,
                is_comment: true,
            });
            l.next += 1;
        }
        if kid.as_rule() == Rule::EOI {
            continue;
        }
        let next_start = kids.get(i + 1).map_or(text.len(), |k| k.as_span().start());
        let doc = l.top(kid, next_start);
        items.push(Item {
            text: print(&doc, WIDTH),
            blank_before: blank_lines_before(text, start),
            is_comment: false,
        });
    }
    // Anything left (nothing, for a file that parsed) goes at the end.
    for c in l.comments.get(l.next..).unwrap_or(&[]) {
        items.push(Item {
            text: c.text.clone(),
            blank_before: c.blank_before,
            is_comment: true,
        });
    }
    assemble(&items)
}

/// A top-level piece of the file: a declaration (printed) or a comment line.
struct Item {
    text: String,
    blank_before: usize,
    is_comment: bool,
}

/// Joins the top-level pieces: the blank lines of the source are kept up to
/// one before a declaration and two before a comment, and a declaration that
/// takes several lines is set apart by a blank line (except from the comment
/// right above it, which belongs to it).
fn assemble(items: &[Item]) -> String {
    let mut out = String::new();
    let mut prev_multiline = false;
    let mut prev_comment = false;
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            let cap = if it.is_comment {
                MAX_BLANK_BEFORE_COMMENT
            } else {
                MAX_BLANK_BEFORE_DECL
            };
            let mut blanks = it.blank_before.min(cap);
            let multiline = !it.is_comment && it.text.contains('\n');
            if prev_multiline || (multiline && !prev_comment) {
                blanks = blanks.max(1);
            }
            out.push('\n');
            out.extend(std::iter::repeat_n('\n', blanks));
        }
        out.push_str(&it.text);
        prev_multiline = it.text.contains('\n');
        prev_comment = it.is_comment;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

struct Layout<'a> {
    text: &'a str,
    comments: Vec<Comment>,
    /// The first comment not emitted yet.
    next: usize,
}

impl<'a> Layout<'a> {
    // ------------------------------------------------------------ comments

    /// The comments before `pos` not emitted yet.
    fn drain_before(&mut self, pos: usize) -> Doc {
        let mut out = Vec::new();
        while let Some(c) = self.comments.get(self.next).filter(|c| c.start < pos) {
            out.push(Doc::Comment {
                text: c.text.clone(),
                trailing: !c.own_line,
            });
            self.next += 1;
        }
        concat(out)
    }

    /// A token at `pos`, preceded by the comments before it.
    fn tok(&mut self, pos: usize, s: impl Into<String>) -> Doc {
        concat(vec![self.drain_before(pos), text(s)])
    }

    /// After a declaration: the comments at the end of its last line, then
    /// indented comments right below it (no blank line between), which stay
    /// with it, at clause indentation.
    fn decl_tail(&mut self, next_start: usize) -> Doc {
        let mut out = Vec::new();
        while let Some(c) = self
            .comments
            .get(self.next)
            .filter(|c| c.start < next_start && !c.own_line)
        {
            out.push(Doc::Comment {
                text: c.text.clone(),
                trailing: true,
            });
            self.next += 1;
        }
        let mut below = Vec::new();
        while let Some(c) = self
            .comments
            .get(self.next)
            .filter(|c| c.start < next_start && c.own_line && c.column > 0 && c.blank_before == 0)
        {
            below.push(Doc::Comment {
                text: c.text.clone(),
                trailing: false,
            });
            self.next += 1;
        }
        out.push(indent(CLAUSE, concat(below)));
        concat(out)
    }

    /// Source text of a construct as written, with the comments inside it.
    fn verbatim(&mut self, p: &P) -> Doc {
        let start = p.as_span().start();
        let end = self.content_end(p).max(start);
        while self.comments.get(self.next).is_some_and(|c| c.start < end) {
            self.next += 1;
        }
        Doc::Verbatim(self.text.get(start..end).unwrap_or("").to_string())
    }

    /// The end of a pair's last token: pest may include the whitespace and
    /// comments that follow it.
    fn content_end(&self, p: &P) -> usize {
        let start = p.as_span().start();
        let mut end = p.as_span().end();
        loop {
            let before = self.text.get(start..end).unwrap_or("");
            let trimmed = before.trim_end_matches(|c: char| is_space(c) || c == '\n');
            end = start + trimmed.len();
            match self
                .comments
                .iter()
                .find(|c| c.end == end && c.start >= start)
            {
                Some(c) => end = c.start,
                None => return end,
            }
        }
    }

    // ------------------------------------------------------------ declarations

    fn top(&mut self, p: &P, next_start: usize) -> Doc {
        let saved = self.next;
        let body = match self.decl(p) {
            Some(d) => d,
            None => {
                self.next = saved;
                let d = self.drain_before(p.as_span().start());
                concat(vec![d, self.verbatim(p)])
            }
        };
        let tail = self.decl_tail(next_start);
        concat(vec![body, tail])
    }

    fn decl(&mut self, p: &P) -> Option<Doc> {
        let kids: Vec<P> = p.clone().into_inner().collect();
        match p.as_rule() {
            Rule::header => {
                let parts = kids
                    .iter()
                    .map(|k| self.part(k))
                    .collect::<Option<Vec<_>>>()?;
                Some(join(parts))
            }
            Rule::campo => self.campo(&kids),
            Rule::parametro | Rule::valor => self.named_expr(&kids),
            Rule::grupo => {
                // Everything on one line: the section is part of the head.
                let parts = kids
                    .iter()
                    .map(|k| self.part(k))
                    .collect::<Option<Vec<_>>>()?;
                Some(join(parts))
            }
            Rule::criterio
            | Rule::nivel
            | Rule::criterio_cambio
            | Rule::nivel_cambio
            | Rule::ejemplo => {
                // The head is the keyword, the name and the title, if any.
                let n = kids
                    .iter()
                    .position(|k| !is_head_token(k.as_rule()))
                    .unwrap_or(kids.len());
                let (head, clauses) = kids.split_at(n);
                let head = head
                    .iter()
                    .map(|k| self.part(k))
                    .collect::<Option<Vec<_>>>()?;
                self.with_clauses(vec![join(head)], clauses)
            }
            Rule::grupo_cambio | Rule::quita => {
                let parts = kids
                    .iter()
                    .map(|k| self.part(k))
                    .collect::<Option<Vec<_>>>()?;
                Some(join(parts))
            }
            // `cambia` and the declaration it changes, on the same line.
            Rule::cambia => {
                let [kw, inner] = kids.as_slice() else {
                    return None;
                };
                let kw = self.part(kw)?;
                let inner = self.decl(inner)?;
                Some(concat(vec![kw, text(" "), inner]))
            }
            Rule::recomendacion | Rule::revisar => self.recomendacion(&kids),
            _ => None,
        }
    }

    /// The head of a declaration, then each clause on its own line.
    fn with_clauses(&mut self, head: Vec<Doc>, clauses: &[P]) -> Option<Doc> {
        let mut body = Vec::new();
        for c in clauses {
            body.push(self.drain_before(c.as_span().start()));
            body.push(Doc::HardLine);
            body.push(self.clause(c)?);
        }
        Some(concat(vec![concat(head), indent(CLAUSE, concat(body))]))
    }

    fn campo(&mut self, kids: &[P]) -> Option<Doc> {
        let [kw, name, tipo, clauses @ ..] = kids else {
            return None;
        };
        if kw.as_rule() != Rule::kw_campo
            || name.as_rule() != Rule::name
            || tipo.as_rule() != Rule::tipo
        {
            return None;
        }
        let head = vec![
            self.part(kw)?,
            text(" "),
            self.part(name)?,
            text(": "),
            self.tipo(tipo)?,
        ];
        self.with_clauses(head, clauses)
    }

    fn tipo(&mut self, p: &P) -> Option<Doc> {
        let t = p.clone().into_inner().next()?;
        let kids: Vec<P> = t.clone().into_inner().collect();
        match t.as_rule() {
            Rule::t_categoria => {
                let (kw, names) = kids.split_first()?;
                let kw = self.part(kw)?;
                let close = t.as_span().end().checked_sub(1)?;
                let list = self.list("(", names, close, ")")?;
                Some(concat(vec![kw, text(" "), list]))
            }
            _ => {
                let [kw] = kids.as_slice() else {
                    return None;
                };
                self.part(kw)
            }
        }
    }

    fn named_expr(&mut self, kids: &[P]) -> Option<Doc> {
        let [kw, name, expr, clauses @ ..] = kids else {
            return None;
        };
        if name.as_rule() != Rule::name || expr.as_rule() != Rule::expr {
            return None;
        }
        let head = vec![
            self.part(kw)?,
            text(" "),
            self.part(name)?,
            text(" = "),
            self.top_expr(expr, CONTINUATION)?,
        ];
        self.with_clauses(head, clauses)
    }

    fn recomendacion(&mut self, kids: &[P]) -> Option<Doc> {
        let (last, head) = kids.split_last()?;
        if last.as_rule() != Rule::string {
            return None;
        }
        let head = head
            .iter()
            .map(|k| self.part(k))
            .collect::<Option<Vec<_>>>()?;
        let before = self.drain_before(last.as_span().start());
        let body = concat(vec![before, Doc::HardLine, self.part(last)?]);
        Some(concat(vec![join(head), indent(CLAUSE, body)]))
    }

    fn clause(&mut self, p: &P) -> Option<Doc> {
        match p.as_rule() {
            Rule::pregunta
            | Rule::seccion
            | Rule::titulo
            | Rule::en_grupo
            | Rule::si_cumple
            | Rule::si_no_cumple
            | Rule::puntos
            | Rule::en_otro_caso
            | Rule::condicion
            | Rule::aplica
            | Rule::maximo => {
                let kids: Vec<P> = p.clone().into_inner().collect();
                let mut parts = Vec::new();
                for k in &kids {
                    if k.as_rule() == Rule::expr {
                        parts.push(self.top_expr(k, CONTINUATION - CLAUSE)?);
                    } else {
                        parts.push(self.part(k)?);
                    }
                }
                Some(join(parts))
            }
            Rule::como
            | Rule::espera_nivel
            | Rule::espera_fallan
            | Rule::espera_recomendaciones => {
                let parts = p
                    .clone()
                    .into_inner()
                    .map(|k| self.part(&k))
                    .collect::<Option<Vec<_>>>()?;
                Some(join(parts))
            }
            Rule::con => self.con(p),
            Rule::sin_dato_politica => {
                let kids: Vec<P> = p.clone().into_inner().collect();
                let [kw, policy] = kids.as_slice() else {
                    return None;
                };
                Some(concat(vec![self.part(kw)?, text(": "), self.part(policy)?]))
            }
            Rule::alias => self.alias(p),
            // A clause this version does not know: as written.
            _ => {
                let d = self.drain_before(p.as_span().start());
                Some(concat(vec![d, self.verbatim(p)]))
            }
        }
    }

    /// `con a = 1, b = sí, …`: as many data on each line as fit.
    fn con(&mut self, p: &P) -> Option<Doc> {
        let kids: Vec<P> = p.clone().into_inner().collect();
        let (kw, data) = kids.split_first()?;
        let kw = self.part(kw)?;
        // Comments go after the comma before them, so they end a line.
        let mut items = Vec::new();
        let mut current: Vec<Doc> = Vec::new();
        for (i, d) in data.iter().enumerate() {
            let before = self.drain_before(d.as_span().start());
            current.push(before);
            if i > 0 {
                items.push(concat(std::mem::take(&mut current)));
                items.push(Doc::Line);
            }
            current.push(self.part(d)?);
            if i + 1 < data.len() {
                current.push(text(","));
            }
        }
        items.push(concat(current));
        Some(concat(vec![
            kw,
            text(" "),
            indent(CONTINUATION, Doc::Fill(items)),
        ]))
    }

    /// `también "a", "b", …`: broken after the commas when too long.
    fn alias(&mut self, p: &P) -> Option<Doc> {
        let kids: Vec<P> = p.clone().into_inner().collect();
        let (kw, strings) = kids.split_first()?;
        let mut rest = Vec::new();
        for (i, s) in strings.iter().enumerate() {
            if i == 0 {
                rest.push(text(" "));
                rest.push(self.drain_before(s.as_span().start()));
            } else {
                rest.push(text(","));
                rest.push(self.drain_before(s.as_span().start()));
                rest.push(Doc::Line);
            }
            rest.push(self.part(s)?);
        }
        Some(group(concat(vec![
            self.part(kw)?,
            indent(CONTINUATION - CLAUSE, concat(rest)),
        ])))
    }

    // ------------------------------------------------------------ tokens and phrases

    /// A token, a list, or a phrase of tokens separated by spaces.
    fn part(&mut self, p: &P) -> Option<Doc> {
        let pos = p.as_span().start();
        match p.as_rule() {
            Rule::name | Rule::string | Rule::number | Rule::numero | Rule::funcion => {
                Some(self.tok(pos, p.as_str()))
            }
            Rule::porcentaje => {
                let n = p.clone().into_inner().next()?;
                Some(self.tok(pos, format!("{}%", n.as_str())))
            }
            Rule::op_cmp => {
                let op = match p.as_str() {
                    "≥" => ">=",
                    "≤" => "<=",
                    "≠" => "!=",
                    other => other,
                };
                Some(self.tok(pos, op))
            }
            Rule::op_suma | Rule::op_producto => Some(self.tok(pos, p.as_str())),
            Rule::lista_nombres | Rule::lista_condiciones => {
                let items: Vec<P> = p.clone().into_inner().collect();
                let close = p.as_span().end().checked_sub(1)?;
                self.list("[", &items, close, "]")
            }
            Rule::expr => self.expr(p),
            Rule::asignacion => {
                let kids: Vec<P> = p.clone().into_inner().collect();
                let [name, value] = kids.as_slice() else {
                    return None;
                };
                Some(concat(vec![
                    self.part(name)?,
                    text(" = "),
                    self.part(value)?,
                ]))
            }
            // Phrases: keywords, names and lists separated by spaces.
            Rule::version
            | Rule::seccion
            | Rule::destino
            | Rule::destino_nivel
            | Rule::destino_criterio
            | Rule::politica_no_cumple
            | Rule::politica_sin_decidir
            | Rule::tiene_dato
            | Rule::sin_dato
            | Rule::pertenece
            | Rule::no_pertenece
            | Rule::cuantia
            | Rule::al_menos
            | Rule::todos
            | Rule::ninguno
            | Rule::de_grupo
            | Rule::cuantificador
            | Rule::booleano
            | Rule::texto
            | Rule::base
            | Rule::quita_clase
            | Rule::dato_valor
            | Rule::categoria_valor
            | Rule::sin_dato_lit => {
                let parts = p
                    .clone()
                    .into_inner()
                    .map(|k| self.part(&k))
                    .collect::<Option<Vec<_>>>()?;
                Some(join(parts))
            }
            r => {
                let kw = keyword(r)?;
                Some(self.tok(pos, kw))
            }
        }
    }

    /// `[a, b, c]` on one line, or one item per line.
    fn list(&mut self, open: &str, items: &[P], close_pos: usize, close: &str) -> Option<Doc> {
        if items.is_empty() {
            let d = self.drain_before(close_pos);
            return Some(concat(vec![text(open), d, text(close)]));
        }
        let mut inner = Vec::new();
        for (i, it) in items.iter().enumerate() {
            if i > 0 {
                inner.push(text(","));
            }
            inner.push(self.drain_before(it.as_span().start()));
            inner.push(if i == 0 { Doc::SoftLine } else { Doc::Line });
            inner.push(self.part(it)?);
        }
        inner.push(self.drain_before(close_pos));
        Some(group(concat(vec![
            text(open),
            indent(LIST_ITEMS, concat(inner)),
            indent(LIST_CLOSE, Doc::SoftLine),
            text(close),
        ])))
    }

    // ------------------------------------------------------------ expressions

    /// An expression that fills the rest of a line: its outermost `y`/`o`
    /// chain breaks with continuation lines `cont` columns further in.
    fn top_expr(&mut self, p: &P, cont: usize) -> Option<Doc> {
        let mut cur = p.clone();
        loop {
            match cur.as_rule() {
                Rule::expr => cur = only_child(&cur)?,
                Rule::disjuncion | Rule::conjuncion => {
                    if cur.clone().into_inner().count() > 1 {
                        return self.chain(&cur, cont);
                    }
                    cur = only_child(&cur)?;
                }
                _ => return self.expr(&cur),
            }
        }
    }

    /// `a y b y c`: on one line, or one operand per line, each continuation
    /// line starting with its `y`/`o`.
    fn chain(&mut self, p: &P, cont: usize) -> Option<Doc> {
        let kids: Vec<P> = p.clone().into_inner().collect();
        let (first, rest) = kids.split_first()?;
        let first = self.expr(first)?;
        let mut more = Vec::new();
        for pair in rest.chunks(2) {
            let [kw, operand] = pair else {
                return None;
            };
            // Comments between the operands (even after the `y`) go before
            // the continuation line, which starts with its `y`/`o`.
            more.push(self.drain_before(operand.as_span().start()));
            more.push(Doc::Line);
            more.push(self.part(kw)?);
            more.push(text(" "));
            more.push(self.expr(operand)?);
        }
        Some(group(concat(vec![first, indent(cont, concat(more))])))
    }

    fn expr(&mut self, p: &P) -> Option<Doc> {
        let kids: Vec<P> = p.clone().into_inner().collect();
        match p.as_rule() {
            Rule::expr | Rule::unario => self.expr(&only_child(p)?),
            Rule::disjuncion | Rule::conjuncion => {
                if kids.len() > 1 {
                    self.chain(p, CONTINUATION)
                } else {
                    self.expr(kids.first()?)
                }
            }
            Rule::negacion => {
                let [kw, e] = kids.as_slice() else {
                    return None;
                };
                Some(concat(vec![self.part(kw)?, text(" "), self.expr(e)?]))
            }
            Rule::comparacion | Rule::suma | Rule::producto => {
                let mut parts = Vec::new();
                for k in &kids {
                    match k.as_rule() {
                        Rule::suma | Rule::producto | Rule::factor => parts.push(self.expr(k)?),
                        _ => parts.push(self.part(k)?),
                    }
                }
                Some(join(parts))
            }
            Rule::factor => {
                let mut parts = Vec::new();
                for k in &kids {
                    match k.as_rule() {
                        Rule::menos => parts.push(self.tok(k.as_span().start(), "-")),
                        _ => parts.push(self.expr(k)?),
                    }
                }
                Some(concat(parts))
            }
            Rule::parentesis => {
                let [e] = kids.as_slice() else {
                    return None;
                };
                let open = self.tok(p.as_span().start(), "(");
                let inner = self.expr(e)?;
                let close_pos = p.as_span().end().checked_sub(1)?;
                let before_close = self.drain_before(close_pos);
                Some(concat(vec![open, inner, before_close, text(")")]))
            }
            Rule::condicional => {
                let [si, cond, entonces, a, si2, no, b] = kids.as_slice() else {
                    return None;
                };
                let head = concat(vec![self.part(si)?, text(" "), self.expr(cond)?]);
                let mut rest = vec![self.drain_before(entonces.as_span().start()), Doc::Line];
                rest.extend([self.part(entonces)?, text(" "), self.expr(a)?]);
                rest.extend([self.drain_before(si2.as_span().start()), Doc::Line]);
                rest.extend([self.part(si2)?, text(" "), self.part(no)?, text(" ")]);
                rest.push(self.expr(b)?);
                Some(group(concat(vec![
                    head,
                    indent(CONTINUATION, concat(rest)),
                ])))
            }
            Rule::llamada => {
                let (f, args) = kids.split_first()?;
                let f = self.part(f)?;
                let close = p.as_span().end().checked_sub(1)?;
                let list = self.list("(", args, close, ")")?;
                Some(concat(vec![f, list]))
            }
            _ => self.part(p),
        }
    }
}

fn only_child<'i>(p: &P<'i>) -> Option<P<'i>> {
    let mut inner = p.clone().into_inner();
    let first = inner.next()?;
    inner.next().is_none().then_some(first)
}

/// Tokens of a declaration's head: keywords, its name, its title.
fn is_head_token(r: Rule) -> bool {
    matches!(r, Rule::name | Rule::string) || keyword(r).is_some()
}

/// Parts separated by one space.
fn join(parts: Vec<Doc>) -> Doc {
    let mut out = Vec::with_capacity(parts.len() * 2);
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push(text(" "));
        }
        out.push(p);
    }
    concat(out)
}

/// The canonical spelling of a keyword (with its accents).
fn keyword(r: Rule) -> Option<&'static str> {
    Some(match r {
        Rule::kw_reglas => "reglas",
        Rule::kw_version => "versión",
        Rule::kw_campo => "campo",
        Rule::kw_pregunta => "pregunta",
        Rule::kw_tambien => "también",
        Rule::kw_maximo => "máximo",
        Rule::kw_si_no => "sí/no",
        Rule::kw_entero => "entero",
        Rule::kw_numero => "número",
        Rule::kw_porcentaje => "porcentaje",
        Rule::kw_texto => "texto",
        Rule::kw_categoria => "categoría",
        Rule::kw_parametro => "parámetro",
        Rule::kw_valor => "valor",
        Rule::kw_titulo => "título",
        Rule::kw_grupo => "grupo",
        Rule::kw_criterio => "criterio",
        Rule::kw_condicion => "condición",
        Rule::kw_aplica => "aplica",
        Rule::kw_cumple => "cumple",
        Rule::kw_puntos => "puntos",
        Rule::kw_nivel => "nivel",
        Rule::kw_recomendacion => "recomendación",
        Rule::kw_para => "para",
        Rule::kw_seccion => "sección",
        Rule::kw_y => "y",
        Rule::kw_o => "o",
        Rule::kw_no => "no",
        // `sí` (yes) is a value; `si` (if) starts a clause or a condition.
        Rule::kw_si_lit => "sí",
        Rule::kw_si => "si",
        Rule::kw_en => "en",
        Rule::kw_de => "de",
        Rule::kw_al => "al",
        Rule::kw_menos => "menos",
        Rule::kw_todos => "todos",
        Rule::kw_ninguno => "ninguno",
        Rule::kw_entonces => "entonces",
        Rule::kw_tiene => "tiene",
        Rule::kw_dato => "dato",
        Rule::kw_sin => "sin",
        Rule::kw_otro => "otro",
        Rule::kw_caso => "caso",
        Rule::kw_decidir => "decidir",
        Rule::kw_si_falta_dato => "si falta dato",
        Rule::kw_basado => "basado",
        Rule::kw_cambia => "cambia",
        Rule::kw_quita => "quita",
        Rule::kw_ejemplo => "ejemplo",
        Rule::kw_como => "como",
        Rule::kw_espera => "espera",
        Rule::kw_fallan => "fallan",
        Rule::kw_recomendaciones => "recomendaciones",
        Rule::kw_con => "con",
        _ => return None,
    })
}
