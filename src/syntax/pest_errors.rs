//! Translates pest's errors into Spanish diagnostics. Rule names never reach the
//! user: each expected rule is described in words an analyst understands, and
//! common slips (decimal comma, unclosed quotes, a reserved word used as a
//! name) get a specific hint.

use pest::error::{Error, ErrorVariant, InputLocation};

use super::grammar::Rule;
use super::nesting;
use crate::codes::Code;
use crate::diagnostic::Problem;
use crate::source::{FileId, Span};

const DECLARATION: &str =
    "una declaración (`campo`, `parámetro`, `valor`, `grupo`, `criterio`, `nivel` o `recomendación`)";
const EXPRESSION: &str = "un valor o una condición";

/// Where the error really is: pest's own location only counts rule attempts,
/// so a missing literal (`:` after a field name) would be reported at the start
/// of the declaration; the furthest attempted token is the root cause.
pub fn error_offset(e: &Error<Rule>, text: &str) -> usize {
    let at = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    match e.parse_attempts() {
        Some(a) if a.max_position > at => back_to_word_start(text, a.max_position),
        _ => at,
    }
}

/// A keyword's `!ident_char` check looks one character past the word; an
/// error found there belongs to the word itself (a reserved word where a name
/// or a value was expected), and so does one found inside a word (`or`: the
/// keyword `o`, then `r`).
fn back_to_word_start(text: &str, at: usize) -> usize {
    let before = text.get(..at).unwrap_or("");
    // Inside an unclosed text the error is where the closing quote is
    // missing, not at the start of the last word of the text.
    let line_before = before.rsplit('\n').next().unwrap_or("");
    if line_before.matches('"').count() % 2 == 1 {
        return at;
    }
    let word_len: usize = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .map(char::len_utf8)
        .sum();
    at - word_len
}

/// Builds the diagnostic for a pest error on `text`, which starts at byte
/// `base` of the file.
pub fn to_problem(e: &Error<Rule>, text: &str, id: FileId, base: usize) -> Problem {
    let at = error_offset(e, text);
    if let ErrorVariant::CustomError { message } = &e.variant {
        if message.contains("limit") {
            return nesting::too_deep(id, base + at);
        }
    }
    if let Some(p) = value_missing_before_clause(text, at, id, base) {
        return p;
    }
    let found = found_token(text, at);
    let expected = expected_descriptions(e, text);
    let line_before = text
        .get(..at)
        .unwrap_or("")
        .rsplit('\n')
        .next()
        .unwrap_or("");
    if let Some(p) = field_in_variant(line_before, &found, id, base + at) {
        return p;
    }
    let unclosed_text = line_before.matches('"').count() % 2 == 1;
    let message = match (expected.is_empty(), &found) {
        (_, Found::End | Found::LineEnd) if unclosed_text => {
            "falta cerrar las comillas del texto antes del fin de la línea".to_string()
        }
        (true, Found::End) => "el archivo termina antes de tiempo".to_string(),
        (true, Found::LineEnd) => "la línea termina antes de tiempo".to_string(),
        (false, Found::LineEnd) => format!(
            "se esperaba {} antes del fin de la línea",
            join_alternatives(&expected)
        ),
        (true, Found::Token(t)) => format!("no se esperaba `{t}` aquí"),
        (false, Found::End) => format!(
            "se esperaba {} pero el archivo termina aquí",
            join_alternatives(&expected)
        ),
        (false, Found::Token(t)) => {
            format!("se esperaba {}, no `{t}`", join_alternatives(&expected))
        }
    };
    let width = match &found {
        Found::Token(t) => t.len(),
        Found::End | Found::LineEnd => 0,
    };
    let label = match &found {
        Found::End => "aquí termina el archivo".to_string(),
        Found::LineEnd => "aquí termina la línea".to_string(),
        Found::Token(_) => "aquí".to_string(),
    };
    let mut p = Problem::error(Code::Syntax, message)
        .label(Span::new(id, base + at, base + at + width), label);
    // A missing `)` is noticed far from where it belongs: also point at
    // the bracket that was opened and never closed.
    if expected
        .iter()
        .any(|d| d.starts_with("`)`") || d.starts_with("`]`"))
    {
        if let Some(open) = unmatched_open_bracket(text, at) {
            p = p.label(
                Span::new(id, base + open, base + open + 1),
                "este no se cierra",
            );
        }
    }
    if let Some(h) = hint(text, at, &found, &expected) {
        p = p.help(h);
    }
    p
}

/// `cambia campo …` / `quita campo …`: fields are the survey's questions,
/// the data must bring them whatever the region.
fn field_in_variant(line_before: &str, found: &Found, id: FileId, at: usize) -> Option<Problem> {
    let Found::Token(t) = found else {
        return None;
    };
    let verb = line_before
        .trim()
        .strip_suffix(' ')
        .unwrap_or(line_before.trim());
    if t != "campo" || !matches!(verb, "cambia" | "quita") {
        return None;
    }
    Some(
        Problem::error(
            Code::Syntax,
            format!("`{verb} campo` no existe: una variante no puede cambiar ni quitar los campos del archivo base"),
        )
        .label(Span::new(id, at, at + t.len()), "aquí")
        .help(
            "Los campos son las preguntas de la ficha y los datos de todas las regiones los traen. \
             Una variante puede declarar campos nuevos con `campo` (sin `cambia`); para aceptar otro \
             encabezado de columna, agregue `también \"OTRO_ENCABEZADO\"` al campo en el archivo base.",
        ),
    )
}

/// The last `(` or `[` before `at` that has no closing partner (strings
/// and comments skipped).
fn unmatched_open_bracket(text: &str, at: usize) -> Option<usize> {
    let mut stack = Vec::new();
    let (mut in_string, mut in_comment) = (false, false);
    for (i, c) in text.get(..at)?.char_indices() {
        match c {
            '\n' => {
                in_string = false;
                in_comment = false;
            }
            _ if in_comment => {}
            '"' => in_string = !in_string,
            _ if in_string => {}
            '#' => in_comment = true,
            '(' | '[' => stack.push(i),
            ')' | ']' => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.pop()
}

/// `condición socios >=` followed by a line `si cumple "…"`: pest reads
/// `si cumple …` as the start of a `si … entonces`, so the error would land
/// on the sentence and list operators. The mistake is the operator left
/// without its value at the end of the line above.
fn value_missing_before_clause(text: &str, at: usize, id: FileId, base: usize) -> Option<Problem> {
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].trim_start();
    let clause = [
        "si cumple",
        "si no cumple",
        "si falta dato",
        "sí cumple",
        "sí no cumple",
        "sí falta dato",
    ]
    .iter()
    .any(|c| line.starts_with(c));
    if !clause {
        return None;
    }
    let before = text[..line_start].trim_end();
    const OPERATORS: &[&str] = &[
        ">=", "<=", "!=", "≥", "≤", "≠", ">", "<", "=", "+", "-", "*", "/", " y", " o", " de",
    ];
    let op = OPERATORS.iter().find(|o| before.ends_with(*o))?;
    let end = before.len();
    let start = end - op.trim_start().len();
    Some(
        Problem::error(
            Code::Syntax,
            format!("falta un valor después de `{}`", op.trim_start()),
        )
        .label(
            Span::new(id, base + start, base + end),
            "aquí termina la condición",
        )
        .help(
            "Complete la condición antes de la línea siguiente, por ejemplo `socios_total >= 10`.",
        ),
    )
}

enum Found {
    End,
    LineEnd,
    Token(String),
}

/// The word or symbol at the error position, as the user wrote it.
fn found_token(text: &str, at: usize) -> Found {
    let rest = text.get(at..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return Found::End;
    };
    if first == '\n' || first == '\r' {
        return Found::LineEnd;
    }
    if first.is_alphanumeric() || first == '_' {
        let end = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '.'))
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        Found::Token(rest[..end].to_string())
    } else if first == '"' {
        let line = rest.lines().next().unwrap_or("");
        let shown: String = line.chars().take(30).collect();
        Found::Token(shown)
    } else {
        Found::Token(first.to_string())
    }
}

fn expected_descriptions(e: &Error<Rule>, text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    let at = error_offset(e, text);
    let pest_at = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    if let ErrorVariant::ParsingError { positives, .. } = &e.variant {
        // pest's positives belong to its own location; when a token was
        // attempted further on, they describe the wrong place.
        for r in positives.iter().filter(|_| pest_at == at) {
            if let Some(d) = describe_rule(*r) {
                add(d.to_string());
            }
        }
    }
    if let Some(attempts) = e
        .parse_attempts()
        .filter(|a| back_to_word_start(text, a.max_position) == at)
    {
        for stack in attempts.call_stacks() {
            // A token's attempt is reported as its enclosing rule: a whole
            // declaration says nothing about what was expected.
            if let Some(d) = attempted_rule(&stack.deepest).and_then(describe_rule) {
                if d != DECLARATION {
                    add(d.to_string());
                }
            }
        }
        for t in attempts.expected_tokens() {
            if let Some(d) = describe_token(&t.to_string()) {
                add(d);
            }
        }
    }
    // A missing closing bracket or quote is the likeliest cause: name it
    // first, so it is not cut off from the list of alternatives.
    let closing = |d: &String| d.starts_with("`)`") || d.starts_with("`]`") || d == "`\"`";
    let (mut first, rest): (Vec<String>, Vec<String>) = out.into_iter().partition(closing);
    first.extend(rest);
    let mut out = first;
    // `(` is implied by "a value or a condition".
    if out.iter().any(|d| d == EXPRESSION) {
        out.retain(|d| d != "`(`" && !d.starts_with("un nombre"));
    }
    // Where a new declaration may start, the end of the file may too.
    if out.iter().any(|d| d == DECLARATION) {
        out.retain(|d| d != "el final del archivo");
    }
    out
}

/// `token` is pest's display of an expected token: the literal itself, or
/// `a..z` for ranges and `BUILTIN_RULE` for built-ins (both ignored).
/// pest does not export the type of an attempt, only its Debug form
/// (`Rule(name)` or `Token`); tokens are described from `expected_tokens`.
fn attempted_rule(deepest: &impl std::fmt::Debug) -> Option<Rule> {
    let text = format!("{deepest:?}");
    let name = text.strip_prefix("Rule(")?.strip_suffix(')')?;
    Rule::all_rules()
        .iter()
        .copied()
        .find(|r| format!("{r:?}") == name)
}

fn describe_token(token: &str) -> Option<String> {
    match token {
        "BUILTIN_RULE" => None,
        t if t.len() > 3 && t.contains("..") => None,
        token => {
            let token = token.trim();
            match token {
                "\"" => Some("`\"`".into()),
                "" | "#" | "\u{FEFF}" | "\u{A0}" => None,
                "%" | "." => None,
                ":" => Some("`:`".into()),
                "=" => Some("`=`".into()),
                "(" => Some("`(`".into()),
                ")" => Some("`)` para cerrar el paréntesis".into()),
                "[" => Some("`[`".into()),
                "]" => Some("`]` para cerrar la lista".into()),
                "," => Some("`,`".into()),
                "/" | "+" | "-" | "*" | ">=" | "<=" | "!=" | ">" | "<" | "≥" | "≤" | "≠" => {
                    None
                }
                // Keyword literals are described through their rules.
                _ if token.chars().all(char::is_alphabetic) => None,
                _ => Some(format!("`{token}`")),
            }
        }
    }
}

fn describe_rule(r: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match r {
        EOI => "el final del archivo",
        decl_keyword_rules!() => DECLARATION,
        header | kw_reglas => "`reglas \"título\"`",
        name | lista_nombres => "un nombre (letras, números y `_`, sin espacios)",
        string | string_inner | texto => "un texto entre comillas \"…\"",
        tipo | t_sino | t_entero | t_numero | t_porcentaje | t_texto | t_categoria | kw_si_no
        | kw_entero | kw_numero | kw_porcentaje | kw_texto | kw_categoria => {
            "un tipo (`sí/no`, `entero`, `número`, `porcentaje`, `texto` o `categoría (…)`)"
        }
        expr | disjuncion | conjuncion | unario | negacion | comparacion | suma | producto
        | factor | menos | parentesis | cuantificador | cuantia | al_menos | todos | ninguno
        | condicional | llamada | funcion | porcentaje | numero | booleano | kw_al | kw_todos
        | kw_ninguno | kw_si_lit | lista_condiciones => EXPRESSION,
        number => "un número",
        op_cmp => "un operador de comparación (`>=`, `<=`, `>`, `<`, `=`, `!=`)",
        op_suma | op_producto => "un operador (`+`, `-`, `*`, `/`)",
        kw_y | kw_o => "`y` u `o`",
        pregunta | kw_pregunta => "`pregunta \"…\"`",
        seccion | kw_seccion => "`sección \"…\"`",
        alias | kw_tambien => "`también \"…\"`",
        maximo | kw_maximo => "`máximo`",
        titulo | kw_titulo => "`título \"…\"`",
        condicion | kw_condicion => "`condición`",
        aplica | kw_aplica => "`aplica si …`",
        en_grupo => "`grupo`",
        puntos | kw_puntos => "`puntos`",
        si_cumple | si_no_cumple | kw_si => "`si cumple \"…\"` o `si no cumple \"…\"`",
        sin_dato_politica | kw_si_falta_dato => "`si falta dato: …`",
        politica_no_cumple | politica_sin_decidir => "`no cumple` o `sin decidir`",
        en_otro_caso | kw_otro | kw_caso => "`en otro caso`",
        kw_entonces => "`entonces`",
        kw_de => "`de`",
        kw_menos => "`menos`",
        kw_cumple => "`cumple`",
        kw_para => "`para`",
        destino | destino_nivel | destino_criterio => "`nivel` o `criterio`",
        kw_en | pertenece | no_pertenece => "`en [ … ]`",
        tiene_dato | sin_dato | kw_tiene | kw_dato | kw_sin => "`tiene dato` o `sin dato`",
        kw_decidir => "`decidir`",
        version | kw_version => "`versión \"…\"`",
        de_grupo => "`grupo`",
        base | kw_basado => "`basado en \"…\"`",
        quita_clase => "`criterio`, `nivel`, `grupo`, `valor`, `parámetro` o `recomendación`",
        grupo_cambio | criterio_cambio | nivel_cambio => {
            "lo que se cambia (`parámetro`, `criterio`, `nivel`…)"
        }
        como | kw_como => "`como`",
        espera_nivel | espera_fallan | espera_recomendaciones | kw_espera => {
            "`espera nivel …`, `espera fallan […]` o `espera recomendaciones […]`"
        }
        kw_fallan | kw_recomendaciones => "`fallan` o `recomendaciones`",
        con | kw_con => "`con campo = valor, …`",
        asignacion | dato_valor | sin_dato_lit => {
            "un valor (`sí`, `no`, un número, `40%`, un texto o `sin dato`)"
        }
        _ => return None,
    })
}

macro_rules! decl_keyword_rules {
    () => {
        campo
            | parametro
            | valor
            | grupo
            | criterio
            | nivel
            | recomendacion
            | kw_campo
            | kw_parametro
            | kw_valor
            | kw_grupo
            | kw_criterio
            | kw_nivel
            | kw_recomendacion
            | cambia
            | quita
            | ejemplo
            | kw_cambia
            | kw_quita
            | kw_ejemplo
    };
}
use decl_keyword_rules;

fn join_alternatives(items: &[String]) -> String {
    let items: Vec<&String> = items.iter().take(4).collect();
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => {
            let head: Vec<&str> = items[..n - 1].iter().map(|s| s.as_str()).collect();
            format!("{} o {}", head.join(", "), items[n - 1])
        }
    }
}

/// Keywords as analysts write them, for "¿quiso decir …?".
const KEYWORDS: &[&str] = &[
    "campo",
    "parámetro",
    "valor",
    "grupo",
    "criterio",
    "nivel",
    "recomendación",
    "ejemplo",
    "cambia",
    "quita",
    "condición",
    "sección",
    "pregunta",
    "título",
    "también",
    "máximo",
    "cumple",
    "entonces",
    "aplica",
    "puntos",
    "espera",
    "categoría",
    "entero",
    "número",
    "porcentaje",
    "texto",
    "reglas",
    "versión",
    "basado",
];

const RESERVED: &[&str] = &[
    "cambia",
    "quita",
    "ejemplo",
    "espera",
    "versión",
    "version",
    "campo",
    "pregunta",
    "también",
    "tambien",
    "máximo",
    "maximo",
    "parámetro",
    "parametro",
    "valor",
    "título",
    "titulo",
    "grupo",
    "criterio",
    "condición",
    "condicion",
    "aplica",
    "puntos",
    "nivel",
    "recomendación",
    "recomendacion",
    "para",
    "sección",
    "seccion",
    "y",
    "o",
    "no",
    "si",
    "sí",
    "en",
    "de",
    "al",
    "entonces",
    "tiene",
    "sin",
];

const UNCLOSED_QUOTE: &str =
    "Falta cerrar las comillas: un texto empieza y termina con `\"` en la misma línea.";

fn hint(text: &str, at: usize, found: &Found, expected: &[String]) -> Option<String> {
    let before = &text[..at.min(text.len())];
    let line_before = before.rsplit('\n').next().unwrap_or("");
    let after = text.get(at..).unwrap_or("");
    let at_line_end = matches!(found, Found::End | Found::LineEnd);
    if line_before.matches('"').count() % 2 == 1
        || (at_line_end && expected.iter().any(|e| e == "`\"`"))
    {
        return Some(UNCLOSED_QUOTE.into());
    }
    let line_after = after.split('\n').next().unwrap_or("");
    if let Some(h) = foreign_habit(&format!("{line_before}{line_after}")) {
        return Some(h);
    }
    if let Found::Token(t) = found {
        let token_hint = two_word_name(t, line_before, expected)
            .or_else(|| keyword_typo(t, expected))
            .or_else(|| misplaced_token(t, line_before, after, expected));
        if token_hint.is_some() {
            return token_hint;
        }
    }
    if expected.iter().any(|e| e == DECLARATION) {
        return Some(
            "Cada declaración empieza con una palabra clave (`campo`, `criterio`, `nivel`…); \
             revise que la línea anterior esté completa."
                .into(),
        );
    }
    None
}

/// Habits from Excel or programming languages on the line of the error
/// (`and`, `&&`, `==`, `=>`, `if … then`), with the way to say it here.
fn foreign_habit(line: &str) -> Option<String> {
    // Quoted text (titles, sentences) may say anything.
    let code: String = line.split('"').step_by(2).collect::<Vec<_>>().join(" ");
    let code = code.split('#').next().unwrap_or("");
    let symbols = [
        (
            "&&",
            "Las condiciones se combinan con `y`, no con `&&`: `a y b`.",
        ),
        (
            "||",
            "Las condiciones se combinan con `o`, no con `||`: `a o b`.",
        ),
        (
            "==",
            "Para comparar se escribe un solo `=`: `forma_juridica = cooperativa`.",
        ),
        (
            "=>",
            "«Mayor o igual» se escribe `>=` (o `≥`), con el `>` primero: `socias >= 10`. \
             Si quería decir «implica», no existe: escriba `no a o b`, o use `aplica si` para \
             un criterio que solo vale en ciertos casos.",
        ),
        (
            "=<",
            "«Menor o igual» se escribe `<=` (o `≤`), con el `<` primero: `socias <= 10`.",
        ),
        (
            "<>",
            "«Distinto de» se escribe `!=` (o `≠`): `forma_juridica != cooperativa`.",
        ),
        (
            ":=",
            "Un parámetro o un valor se define con un solo `=`: `valor x = socias / socios_total`.",
        ),
    ];
    if let Some((_, h)) = symbols.iter().find(|(sym, _)| code.contains(sym)) {
        return Some((*h).to_string());
    }
    if let Some(h) = spreadsheet_habit(line, code) {
        return Some(h);
    }
    let words: Vec<String> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .map(str::to_lowercase)
        .collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    let english = [
        (
            "and",
            "Las condiciones se combinan con `y` (no `and`): `a y b`.",
        ),
        (
            "or",
            "Las condiciones se combinan con `o` (no `or`): `a o b`.",
        ),
        (
            "not",
            "Para negar se escribe `no` (no `not`): `no personeria_juridica`.",
        ),
        (
            "true",
            "Los valores de sí/no se escriben `sí` y `no` (no `true`/`false`).",
        ),
        (
            "false",
            "Los valores de sí/no se escriben `sí` y `no` (no `true`/`false`).",
        ),
    ];
    if let Some((_, h)) = english.iter().find(|(w, _)| has(w)) {
        return Some((*h).to_string());
    }
    if ["if", "then", "else", "elif", "elsif", "elseif", "endif"]
        .iter()
        .any(|w| has(w))
    {
        return Some(
            "Una condición con «si» se escribe en castellano: `si a entonces b si no c`."
                .to_string(),
        );
    }
    if code.contains('!') && !code.contains("!=") {
        return Some("Para negar se escribe `no`, no `!`: `no personeria_juridica`.".to_string());
    }
    None
}

/// Habits from spreadsheets (Excel or LibreOffice in Spanish): functions
/// `SI(…)`, `Y(…)`, `O(…)`, `NO(…)`, the `;` that separates their
/// arguments, and texts in single quotes. `code` is the line without its
/// quoted texts and comment.
fn spreadsheet_habit(line: &str, code: &str) -> Option<String> {
    let called = |f: &str| {
        code.match_indices(f).any(|(i, _)| {
            let before = code[..i].chars().next_back();
            let after = code[i + f.len()..].trim_start();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && after.starts_with('(')
        })
    };
    // `=socias > 10`: a formula's `=` at the start of a condition or value.
    let after_keyword = ["condición", "condicion", "aplica si", "si"]
        .iter()
        .find_map(|k| code.trim_start().strip_prefix(k))
        .or_else(|| code.split_once(" = ").map(|(_, v)| v));
    if after_keyword
        .is_some_and(|r| r.trim_start().starts_with('=') && !r.trim_start().starts_with("=="))
    {
        return Some(
            "Sin el `=` de Excel al comienzo: la condición o el cálculo se escriben \
             directamente (`condición socias >= 10`, `valor x = socias / socios_total`)."
                .into(),
        );
    }
    if called("SI") {
        return Some(
            "`SI(…)` es una función de Excel; aquí se escribe `si a entonces b si no c`, \
             o directamente la condición (`socias >= 10`)."
                .into(),
        );
    }
    if called("Y") || called("O") || called("NO") {
        return Some(
            "`Y(…)`, `O(…)` y `NO(…)` son funciones de Excel; aquí se escriben entre las \
             condiciones: `a y b`, `a o b`, `no a`."
                .into(),
        );
    }
    if code.contains(';') {
        return Some(
            "Las reglas no usan `;`: una lista se separa con comas (`[a, b]`), las \
             condiciones se unen con `y` / `o`, y una declaración termina donde empieza la \
             siguiente. Borre el `;`."
                .into(),
        );
    }
    // `'texto'`: the quotes are not removed from `code` (only `"…"` is).
    if line.split('"').step_by(2).any(|part| part.contains('\'')) {
        return Some("Los textos van entre comillas dobles: `\"así\"`, no `'así'`.".into());
    }
    None
}

/// Two words where one name was expected: `participacion reuniones`.
fn two_word_name(t: &str, line_before: &str, expected: &[String]) -> Option<String> {
    let after_name = line_before
        .trim_end()
        .ends_with(|c: char| c.is_alphanumeric() || c == '_')
        && line_before.ends_with(' ');
    (after_name
        && expected
            .iter()
            .any(|e| e.starts_with("un texto") || e == "`\"`")
        && t.chars().all(|c| c.is_alphanumeric() || c == '_'))
    .then(|| {
        "Un nombre es una sola palabra: una las palabras con `_` (por ejemplo `participacion_reuniones`), y ponga el título entre comillas."
            .into()
    })
}

/// A keyword written with a typo (`critero`, `si cunple`): at most two
/// letters off.
fn keyword_typo(t: &str, expected: &[String]) -> Option<String> {
    let wants_keyword = expected.iter().any(|e| {
        e == DECLARATION
            || (e.starts_with('`') && e.chars().nth(1).is_some_and(char::is_alphabetic))
    });
    if !wants_keyword || !t.chars().all(|c| c.is_alphabetic()) || RESERVED.contains(&t) {
        return None;
    }
    let fold = crate::text::fold;
    let typed = fold(t);
    let close = KEYWORDS
        .iter()
        .map(|k| (strsim::levenshtein(&fold(k), &typed), *k))
        .filter(|(d, _)| *d > 0 && *d <= 2 && typed.len() > 3)
        .min();
    close.map(|(_, k)| format!("¿Quiso decir `{k}`?"))
}

/// A token from another language or habit: an unclosed quote, a decimal
/// comma, `==`, a reserved word as a name, `&` `|` `!`.
fn misplaced_token(t: &str, line_before: &str, after: &str, expected: &[String]) -> Option<String> {
    if t.starts_with('"') && t[1..].find('"').is_none() {
        return Some(UNCLOSED_QUOTE.into());
    }
    if t == ","
        && line_before.ends_with(|c: char| c.is_ascii_digit())
        && after[1..].starts_with(|c: char| c.is_ascii_digit())
    {
        return Some("Los decimales se escriben con punto en las reglas: `0.5`, no `0,5`.".into());
    }
    if t == "=" && after.starts_with("==") {
        return Some("Para comparar se usa un solo `=`.".into());
    }
    let at_line_start = line_before.trim().is_empty();
    if RESERVED.contains(&t)
        && !at_line_start
        && expected.iter().any(|e| e.starts_with("un nombre"))
    {
        return Some(format!(
            "`{t}` es una palabra reservada del lenguaje; elija otro nombre (por ejemplo `{t}_1`)."
        ));
    }
    if t == "&" || t == "|" || t == "!" {
        return Some("Las condiciones se combinan con `y`, `o` y `no`.".into());
    }
    None
}
