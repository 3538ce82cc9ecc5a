//! Diagnostics of broken rule files: one fixture per case in
//! `tests/fixtures/diagnosticos/`, each rendered in full (every problem of the
//! file) and compared with its snapshot. Each fixture's header says which
//! codes it must produce (see the README of that folder).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use reglas::codes::Code;
use reglas::load::{load_file, load_text, Loaded};
use reglas::render::diagnostics::{render_problems, ErrorFormat};

const HUMAN: ErrorFormat = ErrorFormat::Human { color: false };
const FIXTURES: &str = "tests/fixtures/diagnosticos";

/// The codes a fixture declares in its header comments:
/// `# espera: reglas::a, reglas::b x2` (the file must produce exactly these
/// problems, `x2` = twice) and `# no espera: reglas::c` (must not produce it).
struct Expected {
    codes: BTreeMap<String, usize>,
    forbidden: Vec<String>,
}

fn expected(text: &str) -> Expected {
    let mut codes = BTreeMap::new();
    let mut forbidden = Vec::new();
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        let line = line.trim_start_matches('#').trim();
        if let Some(rest) = line.strip_prefix("espera:") {
            for item in rest.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let (code, n) = match item.split_once(" x") {
                    Some((c, n)) => (
                        c.trim(),
                        n.trim().parse::<usize>().expect("número tras `x`"),
                    ),
                    None => (item, 1),
                };
                *codes.entry(code.to_string()).or_insert(0) += n;
            }
        } else if let Some(rest) = line.strip_prefix("no espera:") {
            forbidden.extend(
                rest.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
            );
        }
    }
    Expected { codes, forbidden }
}

fn produced(loaded: &Loaded) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for p in &loaded.problems.items {
        *out.entry(p.code.as_str().to_string()).or_insert(0) += 1;
    }
    out
}

/// The name a fixture is loaded with: its path from the crate root (where
/// `cargo test` runs), so `basado en "base/…"` resolves and no snapshot
/// holds an absolute path.
fn fixture_name(file: &str) -> String {
    format!("{FIXTURES}/{file}")
}

fn load_fixture(file: &str) -> (String, Loaded) {
    let name = fixture_name(file);
    let text = std::fs::read_to_string(&name).unwrap();
    let loaded = load_text(&name, text.clone());
    (text, loaded)
}

#[test]
fn every_fixture_reports_its_expected_codes() {
    insta::glob!("fixtures/diagnosticos/*.reglas", |path| {
        let name = fixture_name(path.file_name().unwrap().to_str().unwrap());
        let text = std::fs::read_to_string(path).unwrap();
        let want = expected(&text);
        assert!(
            !want.codes.is_empty(),
            "{name}: falta la línea `# espera: reglas::…` al principio"
        );
        let loaded = load_text(&name, text);

        let got = produced(&loaded);
        assert_eq!(
            got, want.codes,
            "{name}: los códigos producidos no son los de `# espera:`"
        );
        for code in &want.forbidden {
            assert!(
                !got.contains_key(code),
                "{name}: no debería producir {code}"
            );
        }
        // A file loads (has a program) exactly when it has no errors.
        assert_eq!(
            loaded.program.is_some(),
            !loaded.problems.has_errors(),
            "{name}"
        );
        // Every problem points somewhere in the file, and says how to fix it.
        for p in &loaded.problems.items {
            let span = p
                .primary_span()
                .unwrap_or_else(|| panic!("{name}: {} sin lugar", p.message));
            assert!(
                span.end as usize <= loaded.sources.get(span.file).text.len(),
                "{name}: {}",
                p.message
            );
            // (Syntax errors only have a hint for the common slips.)
            assert!(
                p.help.is_some() || p.code == Code::Syntax,
                "{name}: `{}` no tiene ayuda",
                p.message
            );
        }

        let rendered = render_problems(&loaded.problems, &loaded.sources, HUMAN);
        // Every problem is in the rendering, with its code.
        for p in &loaded.problems.items {
            assert!(rendered.contains(p.code.as_str()), "{name}");
        }
        insta::assert_snapshot!(rendered);
    });
}

/// Each code a rule file can produce has at least one fixture. The three
/// codes about reading the file itself are covered by the tests below.
#[test]
fn every_code_has_a_fixture() {
    let mut covered: BTreeSet<String> = BTreeSet::new();
    for entry in std::fs::read_dir(FIXTURES).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("reglas") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        covered.extend(expected(&text).codes.into_keys());
    }
    // Codes of whole files and of the command line (tests/cli.rs).
    let file_level = [
        Code::NotUtf8,
        Code::EmptyFile,
        Code::FileNotFound,
        Code::BadOption,
        Code::Output,
        Code::InputFile,
        Code::Variants,
    ];
    // (`archivo_base` has a fixture too: a `basado en` a missing file.)
    // Lints come from `reglas::lint` (run by `verificar`), not from loading.
    let lints = [
        "reglas::criterio_constante",
        "reglas::nivel_inalcanzable",
        "reglas::escalera_no_anidada",
        "reglas::tramos",
        "reglas::nombre_confuso",
    ];
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !file_level.contains(c))
        .map(|c| c.as_str())
        .filter(|c| !lints.contains(c))
        .filter(|c| !covered.contains(*c))
        .collect();
    assert!(
        missing.is_empty(),
        "códigos sin caso en {FIXTURES}: {missing:?}"
    );
    assert!(
        covered.len() >= 15,
        "solo {} códigos distintos",
        covered.len()
    );
    for c in &covered {
        assert!(
            Code::ALL.iter().any(|k| k.as_str() == c),
            "código desconocido en una cabecera: {c}"
        );
    }
}

// ---------------------------------------------------------------- positions

/// Line and column count characters, not bytes: the unknown name comes after
/// `año_fundación` and `señal_cañería` on the same line.
#[test]
fn positions_after_multibyte_names_count_characters() {
    let (text, loaded) = load_fixture("nombre_desconocido.reglas");
    let p = &loaded.problems.items[0];
    assert_eq!(p.code, Code::UnknownName);
    let span = p.primary_span().unwrap();
    let file = loaded.sources.get(span.file);
    // The span covers exactly the misspelt name (bytes are right)…
    assert_eq!(file.slice(span), "numero_de_socio");
    assert_eq!(span.start as usize, text.find("numero_de_socio").unwrap());
    // …and the column is the character count before it, plus one.
    let line_text = text
        .lines()
        .find(|l| l.contains("numero_de_socio"))
        .unwrap();
    let byte_col = line_text.find("numero_de_socio").unwrap();
    let char_col = line_text[..byte_col].chars().count() + 1;
    assert!(
        char_col < byte_col + 1,
        "la línea debe tener caracteres de varios bytes"
    );
    let at = format!(
        "{}:12:{char_col}",
        fixture_name("nombre_desconocido.reglas")
    );
    assert_eq!(loaded.sources.location(span), at);
    let human = render_problems(&loaded.problems, &loaded.sources, HUMAN);
    assert!(human.contains(&format!("[{at}]")), "{human}");
    let plain = render_problems(&loaded.problems, &loaded.sources, ErrorFormat::Plain);
    let end = char_col + "numero_de_socio".len() - 1;
    assert!(
        plain.contains(&format!(
            "marca en la línea 12, columnas {char_col} a {end}"
        )),
        "{plain}"
    );
    assert!(
        human.contains("¿Quiso decir `número_de_socios`?"),
        "{human}"
    );
}

#[test]
fn syntax_errors_in_two_declarations_are_both_reported() {
    let (_, loaded) = load_fixture("sintaxis_dos_declaraciones.reglas");
    let lines: Vec<usize> = loaded
        .problems
        .items
        .iter()
        .map(|p| {
            assert_eq!(p.code, Code::Syntax);
            let s = p.primary_span().unwrap();
            loaded.sources.get(s.file).line_col(s.start).0
        })
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0] < lines[1], "{lines:?}");
}

#[test]
fn independent_errors_are_all_reported_in_source_order() {
    let (_, loaded) = load_fixture("varios_errores.reglas");
    let starts: Vec<u32> = loaded
        .problems
        .items
        .iter()
        .map(|p| p.primary_span().unwrap().start)
        .collect();
    assert_eq!(starts.len(), 6);
    let mut sorted = starts.clone();
    sorted.sort_unstable();
    assert_eq!(starts, sorted);
}

// ---------------------------------------------------------------- other renderings

/// `plano` is for screen readers: sentences, no drawing characters.
#[test]
fn plain_rendering() {
    let (_, loaded) = load_fixture("varios_errores.reglas");
    let plain = render_problems(&loaded.problems, &loaded.sources, ErrorFormat::Plain);
    for c in ['╭', '│', '─', '×'] {
        assert!(!plain.contains(c), "`{c}` en la salida plana");
    }
    assert_eq!(plain.matches("código: reglas::").count(), 6);
    // Read aloud in Spanish: none of miette's English framing.
    for w in [
        "snippet",
        "Diagnostic",
        "diagnostic code",
        "diagnostic help",
        "label at",
        "severity",
    ] {
        assert!(!plain.contains(w), "«{w}» en la salida plana:\n{plain}");
    }
    insta::assert_snapshot!("plano__varios_errores", plain);

    let (_, loaded) = load_fixture("nombre_desconocido.reglas");
    let plain = render_problems(&loaded.problems, &loaded.sources, ErrorFormat::Plain);
    insta::assert_snapshot!("plano__nombre_desconocido", plain);
}

/// `json`: one object per line, with byte offsets into the file.
#[test]
fn json_rendering() {
    for name in ["nombre_desconocido.reglas", "sin_uso.reglas"] {
        let (text, loaded) = load_fixture(name);
        let json = render_problems(&loaded.problems, &loaded.sources, ErrorFormat::Json);
        let lines: Vec<serde_json::Value> = json
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        assert_eq!(lines.len(), loaded.problems.items.len());
        for (v, p) in lines.iter().zip(&loaded.problems.items) {
            assert_eq!(v["code"], p.code.as_str());
            assert_eq!(v["filename"], fixture_name(name).as_str());
            let want = if p.is_error() { "error" } else { "warning" };
            assert_eq!(v["severity"], want);
            let span = p.primary_span().unwrap();
            assert_eq!(v["labels"][0]["span"]["offset"], span.start as u64);
            let off = span.start as usize;
            let len = v["labels"][0]["span"]["length"].as_u64().unwrap() as usize;
            assert_eq!(
                &text[off..off + len],
                loaded.sources.get(span.file).slice(span)
            );
        }
        insta::assert_snapshot!(format!("json__{name}"), json);
    }
}

// ---------------------------------------------------------------- reading the file

/// Problems with the file itself (`load_file`): missing, empty, not UTF-8.
/// The path in the messages is the one given, here relative.
#[test]
fn file_level_problems() {
    let cases = [
        (
            "no_existe.reglas",
            Code::FileNotFound,
            "no existe el archivo de reglas",
        ),
        ("vacio.reglas", Code::EmptyFile, "está vacío"),
        (
            "no_es_texto.reglas",
            Code::NotUtf8,
            "no está en UTF-8 ni parece texto (primer carácter ilegible en la línea 2)",
        ),
    ];
    let mut all = String::new();
    for (file, code, words) in cases {
        let path = format!("{FIXTURES}/archivo/{file}");
        let loaded = load_file(Path::new(&path));
        assert!(loaded.program.is_none(), "{file}");
        assert_eq!(loaded.problems.items.len(), 1, "{file}");
        let p = &loaded.problems.items[0];
        assert_eq!(p.code, code, "{file}");
        assert!(p.is_error());
        assert!(p.message.contains(words), "{file}: {}", p.message);
        assert!(p.message.contains(&path), "{file}: {}", p.message);
        assert!(p.help.is_some());
        all.push_str(&render_problems(&loaded.problems, &loaded.sources, HUMAN));
    }
    insta::assert_snapshot!("archivo", all);

    // Saved by the old Notepad ("ANSI"): read as Windows-1252, said first
    // as a warning, and then checked like any file (this one has no level).
    let path = format!("{FIXTURES}/archivo/windows1252.reglas");
    let loaded = load_file(Path::new(&path));
    let first = &loaded.problems.items[0];
    assert_eq!(first.code, Code::NotUtf8);
    assert!(!first.is_error());
    assert!(
        first.message.contains("se leyó como Windows-1252"),
        "{}",
        first.message
    );
    assert!(loaded.sources.files()[0].text.contains("campo año: entero"));
    assert_eq!(loaded.problems.items[1].code, Code::NoLevels);

    // A folder is not a rule file.
    let loaded = load_file(Path::new(FIXTURES));
    assert_eq!(loaded.problems.items[0].code, Code::FileNotFound);
    assert!(
        loaded.problems.items[0].message.contains("es una carpeta"),
        "{}",
        loaded.problems.items[0].message
    );
}

/// A file with only a comment is not "empty" as bytes, but declares nothing:
/// it must still get a clear error (no code field, no levels), not a panic.
#[test]
fn comment_only_file() {
    let loaded = load_file(Path::new(&format!(
        "{FIXTURES}/archivo/solo_comentario.reglas"
    )));
    let codes: Vec<Code> = loaded.problems.items.iter().map(|p| p.code).collect();
    assert!(codes.contains(&Code::MissingCodeField), "{codes:?}");
    assert!(codes.contains(&Code::NoLevels), "{codes:?}");
    let human = render_problems(&loaded.problems, &loaded.sources, HUMAN);
    assert!(human.contains("no declara"), "{human}");
}

/// The header of a fixture is read as documented.
#[test]
fn fixture_header_format() {
    let e = expected("# espera: reglas::a, reglas::b x2\n# espera: reglas::a\n# no espera: reglas::c\nreglas \"x\"\n# espera: reglas::d\n");
    assert_eq!(e.codes.get("reglas::a"), Some(&2));
    assert_eq!(e.codes.get("reglas::b"), Some(&2));
    assert_eq!(e.codes.get("reglas::d"), None);
    assert_eq!(e.forbidden, vec!["reglas::c".to_string()]);
}

fn lint_codes(text: &str) -> Vec<reglas::codes::Code> {
    let loaded = reglas::load::load_text("prueba.reglas", text.to_string());
    let program = loaded.program.expect("the rules load");
    reglas::lint::lint(&program)
        .items
        .iter()
        .map(|p| p.code)
        .collect()
}

#[test]
fn a_text_compared_with_a_literal_is_not_constant() {
    let codes = lint_codes(
        "reglas \"Texto\" versión \"1\"\n\
         campo codigo: texto\n\
         campo apoyos: texto\n\
         criterio con_credito \"Recibe crédito\"\n  condición apoyos = \"credito\"\n\
         nivel con \"Con\" condición con_credito\n\
         nivel otro \"Otro\" en otro caso\n",
    );
    assert!(
        !codes.contains(&reglas::codes::Code::ConstantCriterion),
        "{codes:?}"
    );
}

/// A ladder whose upper level can hold without the one below it: the lint
/// says so and shows an organization that proves it; `requiere nivel`
/// silences it by construction.
#[test]
fn a_ladder_that_is_not_nested() {
    let text = "reglas \"Escalera\" versión \"1\"\n\
         campo codigo: texto\n\
         campo nit: sí/no\n\
         campo excedentes: sí/no\n\
         nivel consolidada \"Consolidada\" condición nit\n\
         nivel en_proceso \"En proceso\" condición excedentes\n\
         nivel embrionaria \"Embrionaria\" en otro caso\n";
    let loaded = reglas::load::load_text("escalera.reglas", text.to_string());
    let program = loaded.program.expect("the rules load");
    let lints = reglas::lint::lint(&program);
    let rendered = render_problems(&lints, &loaded.sources, HUMAN);
    insta::assert_snapshot!(rendered);

    let nested = text.replace(
        "nivel consolidada \"Consolidada\" condición nit",
        "nivel consolidada \"Consolidada\" requiere nivel en_proceso condición nit",
    );
    assert!(!lint_codes(&nested).contains(&Code::LadderNotNested));
}
