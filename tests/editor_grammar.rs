//! The editor grammar (`editores/vscode/syntaxes/reglas.tmLanguage.json`,
//! TextMate, as VS Code uses it) against the real parser: every shipped rule
//! file is tokenized by VS Code's own tokenizer (`vscode-textmate` with the
//! Oniguruma engine, run by `editores/vscode/prueba/tokenizar.js` under node)
//! and each piece the pest grammar recognizes must be colored as what it is:
//! keywords as keywords, strings, numbers, percentages and comments as such,
//! and names never as keywords, numbers or text.
//!
//! It needs node and the two npm packages (`npm ci` in
//! `editores/vscode/prueba`). Without them the test says so and passes,
//! unless `REGLAS_PROBAR_GRAMATICA=1` is set, as `.ci/run` does: then their
//! absence is a failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use pest::Parser;
use reglas::syntax::{ReglasParser, Rule};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What the parser says a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Keyword,
    String,
    Number,
    Percentage,
    Comment,
    Name,
}

impl Kind {
    /// Whether a token with these TextMate scopes shows this kind.
    fn shown_by(self, scopes: &str) -> bool {
        let any = |prefixes: &[&str]| {
            scopes
                .split(' ')
                .any(|s| prefixes.iter().any(|p| s.starts_with(p)))
        };
        match self {
            Kind::Keyword => any(&["keyword.", "storage.type."]),
            Kind::String => any(&["string.quoted."]),
            Kind::Number => any(&["constant.numeric."]),
            Kind::Percentage => any(&["constant.numeric.percentage."]),
            Kind::Comment => any(&["comment.line."]),
            Kind::Name => !any(&["keyword.", "storage.", "constant.", "string.", "comment."]),
        }
    }
}

/// The rule files an analyst gets: `rules/` and the examples in `docs/`.
fn shipped_rule_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "reglas") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root().join("rules"), &mut files);
    walk(&root().join("docs"), &mut files);
    files.sort();
    files
}

/// Byte spans of the file with the kind the parser gives them. Comments are
/// silent in the grammar: a `#` outside every string starts one.
fn expected_spans(text: &str) -> Option<Vec<(usize, usize, Kind)>> {
    let pairs = ReglasParser::parse(Rule::file, text).ok()?;
    let mut spans = Vec::new();
    for p in pairs.flatten() {
        let rule = format!("{:?}", p.as_rule());
        let kind = match rule.as_str() {
            r if r.starts_with("kw_") => Kind::Keyword,
            "string" => Kind::String,
            "numero" | "number" => Kind::Number,
            "porcentaje" => Kind::Percentage,
            "name" | "funcion" => Kind::Name,
            _ => continue,
        };
        let s = p.as_span();
        spans.push((s.start(), s.end(), kind));
    }
    let strings: Vec<(usize, usize)> = spans
        .iter()
        .filter(|(_, _, k)| *k == Kind::String)
        .map(|(a, b, _)| (*a, *b))
        .collect();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let hash = line.char_indices().map(|(i, _)| offset + i).find(|&i| {
            text.as_bytes()[i] == b'#' && !strings.iter().any(|&(a, b)| a <= i && i < b)
        });
        if let Some(start) = hash {
            let end = offset + line.trim_end_matches(['\n', '\r']).len();
            spans.push((start, end, Kind::Comment));
        }
        offset += line.len();
    }
    Some(spans)
}

fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// Tokens of each file: byte start, byte end, TextMate scopes.
type Tokens = BTreeMap<String, Vec<(usize, usize, String)>>;

/// Runs the node tokenizer; None when node or its packages are missing.
fn tokenize(files: &[PathBuf]) -> Option<Tokens> {
    let dir = root().join("editores/vscode/prueba");
    if !dir.join("node_modules/vscode-textmate").is_dir() {
        return None;
    }
    let out = Command::new("node")
        .arg(dir.join("tokenizar.js"))
        .arg(root().join("editores/vscode/syntaxes/reglas.tmLanguage.json"))
        .args(files)
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "el tokenizador falló:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("JSON del tokenizador"))
}

#[test]
fn textmate_grammar_colors_what_the_parser_reads() {
    let files = shipped_rule_files();
    assert!(files.len() >= 5, "{files:?}");
    let Some(tokens) = tokenize(&files) else {
        let required = std::env::var_os("REGLAS_PROBAR_GRAMATICA").is_some();
        assert!(
            !required,
            "REGLAS_PROBAR_GRAMATICA está puesto, pero faltan node o los paquetes de \
             editores/vscode/prueba (npm ci en esa carpeta)"
        );
        eprintln!(
            "no se prueba la gramática TextMate: faltan node o `npm ci` en editores/vscode/prueba"
        );
        return;
    };
    let mut failures = Vec::new();
    let mut checked: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut parsed = 0;
    for file in &files {
        // The examples of errors in docs/ (not UTF-8, not parseable) have
        // nothing to compare.
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let Some(spans) = expected_spans(&text) else {
            continue;
        };
        parsed += 1;
        let toks = &tokens[file.to_str().unwrap()];
        let shown = file.strip_prefix(root()).unwrap().display().to_string();
        for (start, end, kind) in spans {
            *checked.entry(kind).or_default() += 1;
            let wrong: Vec<&str> = toks
                .iter()
                .filter(|(a, b, _)| *a < end && start < *b)
                .filter(|(_, _, scopes)| !kind.shown_by(scopes))
                .map(|(_, _, scopes)| scopes.as_str())
                .collect();
            if !wrong.is_empty() {
                let (l, c) = line_col(&text, start);
                failures.push(format!(
                    "{shown}:{l}:{c}: `{}` es {kind:?} para el analizador, pero la gramática le da {wrong:?}",
                    &text[start..end]
                ));
            }
        }
    }
    assert!(parsed >= 5, "solo {parsed} archivos se analizaron");
    for kind in [
        Kind::Keyword,
        Kind::String,
        Kind::Number,
        Kind::Percentage,
        Kind::Comment,
        Kind::Name,
    ] {
        assert!(
            checked.get(&kind).copied().unwrap_or(0) > 0,
            "ningún {kind:?} en los archivos: la prueba no prueba nada"
        );
    }
    assert!(
        failures.is_empty(),
        "{} diferencias entre la gramática TextMate y el analizador:\n{}",
        failures.len(),
        failures
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The extension folder is complete: its `package.json` names files that
/// exist, for the language `.reglas`.
#[test]
fn vscode_extension_names_its_files() {
    let dir = root().join("editores/vscode");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("package.json")).unwrap()).unwrap();
    let contributes = &manifest["contributes"];
    let lang = &contributes["languages"][0];
    assert_eq!(lang["extensions"][0], ".reglas");
    let config = lang["configuration"].as_str().unwrap();
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(config)).unwrap()).unwrap();
    assert_eq!(config["comments"]["lineComment"], "#");
    let grammar = &contributes["grammars"][0];
    assert_eq!(grammar["scopeName"], "source.reglas");
    let path = dir.join(grammar["path"].as_str().unwrap());
    let grammar: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(grammar["scopeName"], "source.reglas");
}

/// The quoted literals of the `kw_…` rules of `grammar/reglas.pest`: every
/// word the language reserves or reads as a keyword somewhere.
fn pest_keywords() -> Vec<String> {
    let pest = std::fs::read_to_string(root().join("grammar/reglas.pest")).unwrap();
    let mut words = Vec::new();
    for line in pest.lines().filter(|l| l.starts_with("kw_")) {
        let mut parts = line.split('"').skip(1).step_by(2);
        for w in parts.by_ref() {
            if w.chars().all(char::is_alphabetic) && !words.iter().any(|x| x == w) {
                words.push(w.to_string());
            }
        }
    }
    words
}

/// The Notepad++ language file is well-formed XML and knows every keyword
/// of the grammar, `#` comments, double-quoted text and the `.reglas`
/// extension.
#[test]
fn notepad_plus_plus_language_has_every_keyword() {
    let path = root().join("editores/notepad++/reglas.xml");
    let xml = std::fs::read_to_string(&path).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("reglas.xml no es XML válido: {e}"),
        }
    }
    assert!(xml.contains(r#"<UserLang name="Reglas" ext="reglas""#));
    // `<Keywords name="N">words</Keywords>`, unescaped.
    let lists: BTreeMap<&str, String> = xml
        .split("<Keywords name=\"")
        .skip(1)
        .map(|rest| {
            let (name, rest) = rest.split_once("\">").unwrap();
            let (words, _) = rest.split_once("</Keywords>").unwrap();
            let words = words
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            (name, words)
        })
        .collect();
    assert!(
        lists["Comments"].starts_with("00# "),
        "{}",
        lists["Comments"]
    );
    assert!(
        lists["Delimiters"].starts_with("00\" 01 02\""),
        "{}",
        lists["Delimiters"]
    );
    let known: Vec<&str> = (1..=8)
        .flat_map(|i| lists[format!("Keywords{i}").as_str()].split_whitespace())
        .collect();
    let keywords = pest_keywords();
    assert!(keywords.len() > 40, "{keywords:?}");
    let missing: Vec<&String> = keywords
        .iter()
        .filter(|w| !known.contains(&w.as_str()))
        .collect();
    assert!(missing.is_empty(), "faltan en reglas.xml: {missing:?}");
}
