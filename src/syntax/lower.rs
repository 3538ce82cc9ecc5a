//! Lowers pest pairs to the typed AST, one `lower_<rule>` function per grammar
//! rule. The grammar guarantees the shapes; an unexpected shape becomes an
//! internal error with a span, never a panic. A clause written twice in one
//! declaration is reported here, since the grammar allows any order.
//! This file lowers the header and the declarations; `lower/expr.rs` the
//! expressions inside them.

use pest::iterators::{Pair, Pairs};

use super::grammar::Rule;
use crate::ast::*;
use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};
use crate::source::{FileId, Span};

type P<'a> = Pair<'a, Rule>;

mod expr;

struct Lowerer {
    id: FileId,
    problems: Problems,
    depth: usize,
}

pub fn lower_file(pair: P, id: FileId) -> Result<File, Problems> {
    let mut l = Lowerer {
        id,
        problems: Problems::new(),
        depth: 0,
    };
    let mut header = None;
    let mut decls = Vec::new();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::header => header = Some(l.header(p)),
            Rule::EOI => {}
            _ => {
                if let Some(d) = l.decl(p) {
                    decls.push(d);
                }
            }
        }
    }
    if l.problems.has_errors() {
        return Err(l.problems);
    }
    Ok(File {
        id,
        header,
        decls,
        overrides: Vec::new(),
        removed: Vec::new(),
    })
}

impl Lowerer {
    /// A pair's span without the whitespace and comments pest skips after
    /// its last token (a condition's span must not swallow the comment that
    /// follows it).
    fn span(&self, p: &P) -> Span {
        let s = p.as_span();
        let end = p
            .clone()
            .into_inner()
            .flatten()
            .filter(|x| x.clone().into_inner().next().is_none())
            .map(|x| x.as_span().end())
            .max()
            .map(|e| e.min(s.end()))
            .unwrap_or(s.end());
        // Closing brackets are literals, not pairs: keep up to them.
        let mut end = end;
        while let Some(e) = closing_bracket_end(p.as_str(), s.start(), end) {
            end = e;
        }
        Span::new(self.id, s.start(), end)
    }

    fn internal(&mut self, p: &P) {
        self.problems.push(
            Problem::error(Code::Syntax, "construcción no reconocida")
                .label(self.span(p), "aquí")
                .help(
                    "Esto es un error interno de `reglas`; por favor avise a los desarrolladores.",
                ),
        );
    }

    fn name(&self, p: P) -> Name {
        Name {
            text: p.as_str().to_string(),
            span: self.span(&p),
        }
    }

    fn string(&self, p: P) -> Str {
        // string = "\"" ~ string_inner ~ "\""; the inner pair holds the text.
        let span = self.span(&p);
        let text = p
            .into_inner()
            .next()
            .map(|i| i.as_str().to_string())
            .unwrap_or_default();
        Str { text, span }
    }

    /// The first inner pair's text as a string literal (for `sección "…"` etc.).
    fn inner_string(&self, p: P) -> Str {
        let span = self.span(&p);
        match p.into_inner().find(|i| i.as_rule() == Rule::string) {
            Some(s) => self.string(s),
            None => Str {
                text: String::new(),
                span,
            },
        }
    }

    fn repeated(&mut self, clause: &str, span: Span) {
        self.problems.push(
            Problem::error(
                Code::RepeatedClause,
                format!("la cláusula `{clause}` aparece dos veces"),
            )
            .label(span, "segunda vez")
            .help(format!(
                "Deje una sola cláusula `{clause}` en esta declaración."
            )),
        );
    }

    fn set<T>(&mut self, slot: &mut Option<T>, value: T, clause: &str, span: Span) {
        if slot.is_some() {
            self.repeated(clause, span);
        } else {
            *slot = Some(value);
        }
    }

    fn header(&mut self, p: P) -> Header {
        let span = self.span(&p);
        let mut title = None;
        let mut version = None;
        let mut base = None;
        for i in p.into_inner() {
            match i.as_rule() {
                Rule::string => title = Some(self.string(i)),
                Rule::version => version = Some(self.inner_string(i)),
                Rule::base => base = Some(self.inner_string(i)),
                _ => {}
            }
        }
        Header {
            title: title.unwrap_or(Str {
                text: String::new(),
                span,
            }),
            version,
            base,
            span,
        }
    }

    fn decl(&mut self, p: P) -> Option<Decl> {
        Some(match p.as_rule() {
            Rule::campo => Decl::Field(self.campo(p)?),
            Rule::parametro => {
                let (name, value, title, section, span) = self.named_expr(p)?;
                Decl::Param(ParamDecl {
                    name,
                    value,
                    title,
                    section,
                    span,
                })
            }
            Rule::valor => {
                let (name, expr, title, section, span) = self.named_expr(p)?;
                Decl::Value(ValueDecl {
                    name,
                    expr,
                    title,
                    section,
                    span,
                })
            }
            Rule::grupo | Rule::grupo_cambio => Decl::Group(self.grupo(p)?),
            Rule::criterio | Rule::criterio_cambio => Decl::Criterion(self.criterio(p)?),
            Rule::nivel | Rule::nivel_cambio => Decl::Level(self.nivel(p)?),
            Rule::cambia => {
                let inner = p.into_inner().find(|i| !is_keyword(i))?;
                Decl::Override(Box::new(self.decl(inner)?))
            }
            Rule::quita => Decl::Remove(self.quita(p)?),
            Rule::ejemplo => Decl::Example(self.ejemplo(p)?),
            Rule::revisar => Decl::Check(self.revisar(p)?),
            Rule::recomendacion => Decl::Recommendation(self.recomendacion(p)?),
            _ => {
                self.internal(&p);
                return None;
            }
        })
    }

    /// A title that was not written (in `cambia`: keep the base's).
    fn empty_str(&self, span: Span) -> Str {
        Str {
            text: String::new(),
            span: Span::new(span.file, span.start as usize, span.start as usize),
        }
    }

    fn quita(&mut self, p: P) -> Option<RemoveDecl> {
        let span = self.span(&p);
        let mut inner = p.into_inner().filter(|i| !is_keyword(i));
        // Canonical spelling, so `quita recomendacion` and `quita
        // recomendación` are the same tree.
        let kind = match crate::text::fold(inner.next()?.as_str()).as_str() {
            "recomendacion" => "recomendación",
            "parametro" => "parámetro",
            other => match other {
                "criterio" => "criterio",
                "nivel" => "nivel",
                "grupo" => "grupo",
                _ => "valor",
            },
        }
        .to_string();
        let name = self.name(inner.next()?);
        Some(RemoveDecl { kind, name, span })
    }

    fn name_list(&self, p: P) -> Vec<Name> {
        p.into_inner()
            .filter(|x| x.as_rule() == Rule::lista_nombres)
            .flat_map(|l| l.into_inner())
            .filter(|x| x.as_rule() == Rule::name)
            .map(|x| self.name(x))
            .collect()
    }

    fn ejemplo(&mut self, p: P) -> Option<ExampleDecl> {
        let span = self.span(&p);
        let mut inner = p.into_inner().filter(|i| !is_keyword(i));
        let name = self.name(inner.next()?);
        let mut e = ExampleDecl {
            name,
            title: None,
            like: None,
            expect_level: None,
            expect_failed: None,
            expect_recommendations: None,
            data: Vec::new(),
            span,
        };
        for c in inner {
            let cs = self.span(&c);
            match c.as_rule() {
                Rule::string => e.title = Some(self.string(c)),
                Rule::como => {
                    let n = c
                        .into_inner()
                        .find(|i| i.as_rule() == Rule::name)
                        .map(|i| self.name(i))?;
                    self.set(&mut e.like, n, "como", cs);
                }
                Rule::espera_nivel => {
                    let n = c
                        .into_inner()
                        .find(|i| i.as_rule() == Rule::name)
                        .map(|i| self.name(i))?;
                    self.set(&mut e.expect_level, n, "espera nivel", cs);
                }
                Rule::espera_fallan => {
                    let l = self.name_list(c);
                    self.set(&mut e.expect_failed, l, "espera fallan", cs);
                }
                Rule::espera_recomendaciones => {
                    let l = self.name_list(c);
                    self.set(
                        &mut e.expect_recommendations,
                        l,
                        "espera recomendaciones",
                        cs,
                    );
                }
                Rule::con => {
                    for a in c.into_inner().filter(|i| i.as_rule() == Rule::asignacion) {
                        let mut parts = a.into_inner();
                        let field = self.name(parts.next()?);
                        let value = parts.next()?.into_inner().next()?;
                        let v = if value.as_rule() == Rule::sin_dato_lit {
                            None
                        } else {
                            Some(self.expr(value)?)
                        };
                        e.data.push((field, v));
                    }
                }
                _ => self.internal(&c),
            }
        }
        Some(e)
    }

    fn campo(&mut self, p: P) -> Option<FieldDecl> {
        let span = self.span(&p);
        let mut inner = p.into_inner().filter(|i| !is_keyword(i));
        let name = self.name(inner.next()?);
        let ty_pair = inner.next()?;
        let ty_span = self.span(&ty_pair);
        let ty = self.tipo(ty_pair)?;
        let mut f = FieldDecl {
            name,
            ty,
            ty_span,
            question: None,
            section: None,
            aliases: Vec::new(),
            at_most: None,
            span,
        };
        for c in inner {
            let cs = self.span(&c);
            match c.as_rule() {
                Rule::pregunta => {
                    let s = self.inner_string(c);
                    self.set(&mut f.question, s, "pregunta", cs);
                }
                Rule::seccion => {
                    let s = self.inner_string(c);
                    self.set(&mut f.section, s, "sección", cs);
                }
                Rule::alias => {
                    for s in c.into_inner().filter(|i| i.as_rule() == Rule::string) {
                        let s = self.string(s);
                        f.aliases.push(s);
                    }
                }
                Rule::maximo => {
                    let e = self.first_expr(c)?;
                    self.set(&mut f.at_most, e, "máximo", cs);
                }
                _ => self.internal(&c),
            }
        }
        Some(f)
    }

    fn tipo(&mut self, p: P) -> Option<TypeKind> {
        let t = p.into_inner().next()?;
        Some(match t.as_rule() {
            Rule::t_sino => TypeKind::Bool,
            Rule::t_entero => TypeKind::Integer,
            Rule::t_numero => TypeKind::Number,
            Rule::t_porcentaje => TypeKind::Percent,
            Rule::t_texto => TypeKind::Text,
            Rule::t_categoria => TypeKind::Category(
                t.into_inner()
                    .filter(|i| i.as_rule() == Rule::categoria_valor)
                    .filter_map(|v| {
                        let mut parts = v.into_inner();
                        let name = self.name(parts.next()?);
                        let label = parts.next().map(|s| self.string(s));
                        Some(CategoryValue { name, label })
                    })
                    .collect(),
            ),
            _ => {
                self.internal(&t);
                return None;
            }
        })
    }

    #[allow(clippy::type_complexity)]
    fn named_expr(&mut self, p: P) -> Option<(Name, Expr, Option<Str>, Option<Str>, Span)> {
        let span = self.span(&p);
        let mut inner = p.into_inner().filter(|i| !is_keyword(i));
        let name = self.name(inner.next()?);
        let expr = self.expr(inner.next()?)?;
        let mut title = None;
        let mut section = None;
        for c in inner {
            let cs = self.span(&c);
            match c.as_rule() {
                Rule::titulo => {
                    let s = self.inner_string(c);
                    self.set(&mut title, s, "título", cs);
                }
                Rule::seccion => {
                    let s = self.inner_string(c);
                    self.set(&mut section, s, "sección", cs);
                }
                _ => self.internal(&c),
            }
        }
        Some((name, expr, title, section, span))
    }

    fn grupo(&mut self, p: P) -> Option<GroupDecl> {
        let span = self.span(&p);
        let mut inner = p.into_inner().filter(|i| !is_keyword(i));
        let name = self.name(inner.next()?);
        let mut title = self.empty_str(span);
        let mut section = None;
        for i in inner {
            match i.as_rule() {
                Rule::string => title = self.string(i),
                _ => section = Some(self.inner_string(i)),
            }
        }
        Some(GroupDecl {
            name,
            title,
            section,
            span,
        })
    }

    fn criterio(&mut self, p: P) -> Option<CriterionDecl> {
        let span = self.span(&p);
        let mut inner = p.into_inner().filter(|i| !is_keyword(i));
        let name = self.name(inner.next()?);
        let mut inner = inner.peekable();
        let title = match inner.peek().map(|i| i.as_rule()) {
            Some(Rule::string) => self.string(inner.next()?),
            _ => self.empty_str(span),
        };
        let mut c = CriterionDecl {
            name,
            title,
            group: None,
            section: None,
            condition: None,
            applies_if: None,
            when_met: None,
            when_failed: None,
            blank_policy: None,
            points: None,
            span,
        };
        for clause in inner {
            let cs = self.span(&clause);
            match clause.as_rule() {
                Rule::en_grupo => {
                    let n = clause
                        .into_inner()
                        .find(|i| i.as_rule() == Rule::name)
                        .map(|i| self.name(i))?;
                    self.set(&mut c.group, n, "grupo", cs);
                }
                Rule::seccion => {
                    let s = self.inner_string(clause);
                    self.set(&mut c.section, s, "sección", cs);
                }
                Rule::condicion => {
                    let e = self.first_expr(clause)?;
                    self.set(&mut c.condition, e, "condición", cs);
                }
                Rule::aplica => {
                    let e = self.first_expr(clause)?;
                    self.set(&mut c.applies_if, e, "aplica si", cs);
                }
                Rule::si_cumple => {
                    let s = self.inner_string(clause);
                    self.set(&mut c.when_met, s, "si cumple", cs);
                }
                Rule::si_no_cumple => {
                    let s = self.inner_string(clause);
                    self.set(&mut c.when_failed, s, "si no cumple", cs);
                }
                Rule::sin_dato_politica => {
                    let policy = if clause
                        .into_inner()
                        .any(|i| i.as_rule() == Rule::politica_no_cumple)
                    {
                        BlankPolicy::Fails
                    } else {
                        BlankPolicy::Undecided
                    };
                    self.set(&mut c.blank_policy, (policy, cs), "si falta dato", cs);
                }
                Rule::puntos => {
                    let n = clause
                        .into_inner()
                        .find(|i| i.as_rule() == Rule::number)
                        .and_then(|i| i.as_str().parse::<f64>().ok())
                        .unwrap_or(1.0);
                    self.set(&mut c.points, (n, cs), "puntos", cs);
                }
                _ => self.internal(&clause),
            }
        }
        Some(c)
    }

    fn nivel(&mut self, p: P) -> Option<LevelDecl> {
        let span = self.span(&p);
        let mut inner = p.into_inner().filter(|i| !is_keyword(i));
        let name = self.name(inner.next()?);
        let mut inner = inner.peekable();
        let title = match inner.peek().map(|i| i.as_rule()) {
            Some(Rule::string) => self.string(inner.next()?),
            _ => self.empty_str(span),
        };
        let mut l = LevelDecl {
            name,
            title,
            section: None,
            condition: None,
            requires: None,
            otherwise: None,
            is_otherwise: false,
            span,
        };
        for clause in inner {
            let cs = self.span(&clause);
            match clause.as_rule() {
                Rule::seccion => {
                    let s = self.inner_string(clause);
                    self.set(&mut l.section, s, "sección", cs);
                }
                Rule::condicion => {
                    let e = self.first_expr(clause)?;
                    self.set(&mut l.condition, e, "condición", cs);
                }
                Rule::requiere => {
                    let n = clause.into_inner().find(|i| i.as_rule() == Rule::name)?;
                    let n = self.name(n);
                    self.set(&mut l.requires, n, "requiere nivel", cs);
                }
                Rule::en_otro_caso => {
                    self.set(&mut l.otherwise, cs, "en otro caso", cs);
                    l.is_otherwise = true;
                }
                _ => self.internal(&clause),
            }
        }
        Some(l)
    }

    fn revisar(&mut self, p: P) -> Option<CheckDecl> {
        let span = self.span(&p);
        let mut inner = p.into_inner().filter(|i| !is_keyword(i));
        let name = self.name(inner.next()?);
        let condition = self.expr(inner.next()?)?;
        let message = self.string(inner.next()?);
        Some(CheckDecl {
            name,
            condition,
            message,
            span,
        })
    }

    fn recomendacion(&mut self, p: P) -> Option<RecommendationDecl> {
        let span = self.span(&p);
        let mut inner = p.into_inner().filter(|i| !is_keyword(i));
        let name = self.name(inner.next()?);
        let destino = inner.next()?.into_inner().next()?;
        let target_name = destino
            .clone()
            .into_inner()
            .find(|i| i.as_rule() == Rule::name)
            .map(|i| self.name(i))?;
        let target = match destino.as_rule() {
            Rule::destino_nivel => Target::Level(target_name),
            _ => Target::Criterion(target_name),
        };
        let mut section = None;
        let mut text = None;
        let mut condition = None;
        for c in inner {
            match c.as_rule() {
                Rule::rec_si => condition = Some(self.first_expr(c)?),
                Rule::seccion => section = Some(self.inner_string(c)),
                Rule::string => text = Some(self.string(c)),
                _ => self.internal(&c),
            }
        }
        Some(RecommendationDecl {
            name,
            target,
            condition,
            section,
            text: text?,
            span,
        })
    }
}

/// After the last inner token of a bracketed construct, the closing `)` or
/// `]` (skipping spaces) belongs to it.
fn closing_bracket_end(text: &str, start: usize, end: usize) -> Option<usize> {
    let rel = end.checked_sub(start)?;
    let rest = text.get(rel..)?;
    let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n', ',']);
    let skipped = rest.len() - trimmed.len();
    trimmed.starts_with([')', ']']).then_some(end + skipped + 1)
}

/// Keyword pairs carry no information once the rule matched.
fn is_keyword(p: &P) -> bool {
    matches!(
        p.as_rule(),
        Rule::kw_reglas
            | Rule::kw_version
            | Rule::kw_requiere
            | Rule::kw_tolera
            | Rule::kw_revisar
            | Rule::kw_campo
            | Rule::kw_pregunta
            | Rule::kw_tambien
            | Rule::kw_maximo
            | Rule::kw_parametro
            | Rule::kw_valor
            | Rule::kw_titulo
            | Rule::kw_grupo
            | Rule::kw_criterio
            | Rule::kw_condicion
            | Rule::kw_aplica
            | Rule::kw_cumple
            | Rule::kw_puntos
            | Rule::kw_nivel
            | Rule::kw_recomendacion
            | Rule::kw_para
            | Rule::kw_seccion
            | Rule::kw_y
            | Rule::kw_o
            | Rule::kw_no
            | Rule::kw_si
            | Rule::kw_en
            | Rule::kw_de
            | Rule::kw_al
            | Rule::kw_menos
            | Rule::kw_entonces
            | Rule::kw_tiene
            | Rule::kw_dato
            | Rule::kw_sin
            | Rule::kw_otro
            | Rule::kw_caso
            | Rule::kw_decidir
            | Rule::kw_si_falta_dato
            | Rule::kw_basado
            | Rule::kw_cambia
            | Rule::kw_quita
            | Rule::kw_ejemplo
            | Rule::kw_como
            | Rule::kw_espera
            | Rule::kw_fallan
            | Rule::kw_recomendaciones
            | Rule::kw_con
    )
}

#[allow(dead_code)]
fn _assert_pairs(_: Pairs<Rule>) {}
