//! Hostile input never crashes the front end: deep nesting gets a clear
//! diagnostic instead of a stack overflow, and arbitrary text (or a damaged
//! copy of `rules/cepac.reglas`) never makes `load_text` panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use reglas::codes::Code;
use reglas::data::{Row, Value};
use reglas::eval::Evaluator;
use reglas::load::{load_text, Loaded};

const HEAD: &str = "reglas \"Prueba\"\ncampo codigo: texto\ncampo a: sí/no\ncampo n: entero\n";
const TAIL: &str = "\nnivel b \"B\" en otro caso\n";

/// A rule file whose first level has this condition.
fn with_condition(condition: &str) -> String {
    format!("{HEAD}nivel alto \"A\" condición {condition}{TAIL}")
}

fn codes(l: &Loaded) -> Vec<Code> {
    l.problems.items.iter().map(|p| p.code).collect()
}

/// Evaluates one row (a = sí, n = 2) when the file loaded.
fn evaluate(l: &Loaded) -> Option<reglas::eval::Resultado> {
    let program = l.program.as_ref()?;
    let mut values = vec![None; program.schema.fields.len()];
    for (i, f) in program.schema.fields.iter().enumerate() {
        values[i] = match f.name.as_str() {
            "codigo" => Some(Value::Text("X-1".into())),
            "a" => Some(Value::Bool(true)),
            "n" => Some(Value::Number(2.0)),
            _ => None,
        };
    }
    let row = Row {
        line: 2,
        codigo: Some("X-1".into()),
        nombre: None,
        values,
        errors: Vec::new(),
    };
    Some(Evaluator::new(program).evaluate(&row, true))
}

fn assert_nesting_error(l: &Loaded) {
    assert!(l.program.is_none());
    assert_eq!(codes(l), [Code::Nesting], "{:?}", l.problems);
    let p = &l.problems.items[0];
    assert!(p.message.contains("64"), "{}", p.message);
    assert!(p.help.is_some());
    // It renders (the label is inside the text).
    let out = reglas::render::diagnostics::render_problems(
        &l.problems,
        &l.sources,
        reglas::render::diagnostics::ErrorFormat::Plain,
    );
    assert!(out.contains("reglas::anidamiento"), "{out}");
}

#[test]
fn ten_thousand_nested_parentheses() {
    let n = 10_000;
    let text = with_condition(&format!("{}n >= 1{}", "(".repeat(n), ")".repeat(n)));
    let l = load_text("parentesis.reglas", text);
    assert_nesting_error(&l);
    // The label points at the opening parenthesis that goes too deep.
    let span = l.problems.items[0].primary_span().unwrap();
    assert_eq!(l.sources.get(span.file).slice(span), "(");
}

#[test]
fn ten_thousand_nested_brackets() {
    let n = 10_000;
    let text = with_condition(&format!("{}a{}", "todos de [".repeat(n), "]".repeat(n)));
    assert_nesting_error(&load_text("corchetes.reglas", text));
}

#[test]
fn ten_thousand_no() {
    let text = with_condition(&format!("{}a", "no ".repeat(10_000)));
    let l = load_text("no.reglas", text);
    // An error or not, but a clean one.
    if l.program.is_none() {
        assert!(
            codes(&l)
                .iter()
                .all(|c| *c == Code::Nesting || *c == Code::Syntax),
            "{:?}",
            codes(&l)
        );
    }
}

#[test]
fn ten_thousand_nested_conditionals() {
    let text = format!(
        "{HEAD}valor v = {}0\nnivel alto \"A\" condición v >= 1{TAIL}",
        "si a entonces 1 si no ".repeat(10_000)
    );
    let l = load_text("si.reglas", text);
    assert!(l.program.is_none());
    assert!(codes(&l).contains(&Code::Nesting), "{:?}", codes(&l));
}

/// A chain of additions has no parentheses but builds a deep tree all the
/// same; it must not overflow the stack in any later stage.
#[test]
fn ten_thousand_additions() {
    let text = with_condition(&format!("n{} >= 1", " + n".repeat(10_000)));
    let l = load_text("suma.reglas", text);
    if l.program.is_none() {
        assert_eq!(codes(&l), [Code::Nesting], "{:?}", l.problems);
    }
    let _ = evaluate(&l);
}

#[test]
fn ten_thousand_minus_signs() {
    let text = with_condition(&format!("{}n >= 1", "-".repeat(10_000)));
    let l = load_text("menos.reglas", text);
    if l.program.is_none() {
        assert_eq!(codes(&l), [Code::Nesting], "{:?}", l.problems);
    }
    let _ = evaluate(&l);
}

/// `y` and `o` are flat lists, not nesting: a long one is fine.
#[test]
fn ten_thousand_conjuncts() {
    let text = with_condition(&format!("a{}", " y n >= 1".repeat(10_000)));
    let l = load_text("y.reglas", text);
    assert!(l.problems.is_empty(), "{:?}", codes(&l));
    assert_eq!(evaluate(&l).unwrap().nivel.as_deref(), Some("alto"));
}

/// Nesting that real rule files use is accepted and evaluated (the limit is
/// 64 levels; rule files stay under 10).
#[test]
fn moderate_nesting_is_accepted() {
    for depth in [1, 7, 10, 20, 40] {
        let cond = format!("{}a y n >= 1{}", "(".repeat(depth), ")".repeat(depth));
        let l = load_text("anidado.reglas", with_condition(&cond));
        assert!(
            !l.problems.has_errors(),
            "{depth} paréntesis: {:?}",
            l.problems
        );
        assert_eq!(
            evaluate(&l).unwrap().nivel.as_deref(),
            Some("alto"),
            "{depth}"
        );

        let cond = format!("{}a", "no no ".repeat(depth / 2 + 1));
        let l = load_text("no.reglas", with_condition(&cond));
        assert!(!l.problems.has_errors(), "{depth} `no`: {:?}", l.problems);
        assert_eq!(
            evaluate(&l).unwrap().nivel.as_deref(),
            Some("alto"),
            "{depth}"
        );

        let cond = format!("n{} >= {}", " + n".repeat(depth), 2 * (depth + 1));
        let l = load_text("suma.reglas", with_condition(&cond));
        assert!(!l.problems.has_errors(), "{depth} sumas: {:?}", l.problems);
        assert_eq!(
            evaluate(&l).unwrap().nivel.as_deref(),
            Some("alto"),
            "{depth}"
        );
    }
}

/// The deepest accepted expression also goes through check and evaluation
/// (with the explanation) without exhausting a test thread's stack.
#[test]
fn deepest_accepted_expression_evaluates() {
    let max = reglas::syntax::MAX_NESTING;
    let mut accepted = None;
    for depth in (1..=max).rev() {
        let cond = format!("{}a{}", "(no ".repeat(depth), ")".repeat(depth));
        let l = load_text("limite.reglas", with_condition(&cond));
        if !l.problems.has_errors() {
            accepted = Some((depth, l));
            break;
        }
        assert_eq!(codes(&l), [Code::Nesting], "{depth}");
    }
    let (depth, l) = accepted.expect("some nesting is accepted");
    assert!(depth >= 20, "solo {depth} niveles");
    let r = evaluate(&l).unwrap();
    let want = if depth % 2 == 0 { "alto" } else { "b" };
    assert_eq!(r.nivel.as_deref(), Some(want));
}

#[test]
fn text_after_the_end_and_odd_characters() {
    for text in [
        "",
        "\u{FEFF}",
        "#",
        "reglas",
        "reglas \"",
        "campo",
        "campo codigo: categoría (",
        "nivel x \"X\" condición",
        "\0\0\0",
        "campo ñ: entero\u{0}",
        "reglas \"x\"\ncampo codigo: texto\nnivel a \"A\" condición {",
        "criterio c \"C\" condición a\nrecomendación r para criterio c \"{\"",
        "criterio c \"C\" si cumple \"{}{{}}{a\"",
    ] {
        let l = load_text("raro.reglas", text.to_string());
        assert!(!l.problems.is_empty() || l.program.is_some(), "{text:?}");
    }
}

// ---------------------------------------------------------------- property tests

fn cepac() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| std::fs::read_to_string("rules/cepac.reglas").unwrap())
}

/// Words and symbols of the language, to build text that gets past the
/// parser more often than random characters do.
const VOCABULARY: &[&str] = &[
    "reglas",
    "\"t\"",
    "campo",
    "codigo",
    ":",
    "texto",
    "entero",
    "sí/no",
    "porcentaje",
    "categoría",
    "(",
    ")",
    "[",
    "]",
    ",",
    "a",
    "b",
    "n",
    "x",
    "parámetro",
    "valor",
    "=",
    "grupo",
    "g",
    "criterio",
    "condición",
    "nivel",
    "en",
    "otro",
    "caso",
    "recomendación",
    "para",
    "y",
    "o",
    "no",
    "si",
    "entonces",
    "al",
    "menos",
    "de",
    "todos",
    "ninguno",
    "2",
    "60%",
    "0.5",
    ">=",
    "<",
    "+",
    "-",
    "*",
    "/",
    "tiene",
    "dato",
    "sin",
    "aplica",
    "cumple",
    "falta",
    "puntos",
    "porcentaje(",
    "cumplidos(",
    "\"{a}\"",
    "\n",
    "sección",
    "\"3.1\"",
    "máximo",
    "basado",
    "cambia",
    "quita",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = load_text("azar.reglas", text);
    }

    #[test]
    fn token_soup_never_panics(words in prop::collection::vec(prop::sample::select(VOCABULARY), 0..80)) {
        let text = words.join(" ");
        let l = load_text("sopa.reglas", text);
        let _ = evaluate(&l);
    }

    /// A valid header followed by token soup: reaches the checker more often.
    #[test]
    fn soup_after_a_valid_start_never_panics(words in prop::collection::vec(prop::sample::select(VOCABULARY), 0..60)) {
        let text = format!("{HEAD}{}{TAIL}", words.join(" "));
        let l = load_text("sopa.reglas", text);
        let _ = evaluate(&l);
    }
}

proptest! {
    // The CEPAC file is 50 KB (~70 ms to load in a debug build): fewer
    // cases, each a few byte-level edits.
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn damaged_cepac_never_panics(
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<u8>()), 1..6)
    ) {
        let mut bytes = cepac().as_bytes().to_vec();
        for (at, kind, byte) in edits {
            let i = at.index(bytes.len() + 1);
            match kind {
                0 if i < bytes.len() => { bytes.remove(i); }
                1 => bytes.insert(i, byte),
                _ if i < bytes.len() => bytes[i] = byte,
                _ => {}
            }
        }
        // load_text takes a String: the edits may break UTF-8, which the
        // reader reports (`reglas::codificacion`) before this point.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let l = load_text("cepac.reglas", text);
        let _ = evaluate(&l);
    }

    #[test]
    fn cepac_with_a_line_removed_never_panics(line in any::<prop::sample::Index>()) {
        let lines: Vec<&str> = cepac().lines().collect();
        let skip = line.index(lines.len());
        let text: Vec<&str> = lines.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, l)| *l).collect();
        let l = load_text("cepac.reglas", text.join("\n"));
        let _ = evaluate(&l);
    }
}
