//! The formatter (`reglas formatear`): the canonical layout of a messy file
//! (snapshot), the shipped rule files, comments, and two properties checked
//! on mutated real files and on generated files: formatting is idempotent,
//! and the formatted file parses to the same syntax tree.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use reglas::ast::{Decl, File};
use reglas::diagnostic::Problems;
use reglas::format::format_source;
use reglas::source::SourceMap;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn parse(text: &str) -> Result<File, Problems> {
    let mut sources = SourceMap::new();
    let id = sources.add("prueba.reglas", text.to_string());
    reglas::syntax::parse(&sources, id).map(normalize)
}

/// `quita recomendacion x` keeps the kind as written (for messages); the
/// formatter writes it with its accent, which means the same.
fn normalize(mut f: File) -> File {
    for d in &mut f.decls {
        if let Decl::Remove(r) = d {
            r.kind = r
                .kind
                .chars()
                .map(|c| match c {
                    'á' => 'a',
                    'é' => 'e',
                    'í' => 'i',
                    'ó' => 'o',
                    'ú' => 'u',
                    c => c,
                })
                .collect();
        }
    }
    f
}

fn messages(p: &Problems) -> Vec<String> {
    p.items.iter().map(|x| x.message.clone()).collect()
}

fn format_ok(text: &str) -> String {
    match format_source(text) {
        Ok(s) => s,
        Err(p) => panic!("no se pudo formatear: {:?}\n{text}", messages(&p)),
    }
}

/// Every `.reglas` file under `rules/`, and the formatter's fixtures.
fn rule_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "reglas") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("rules"), &mut out);
    walk(&root().join("tests/fixtures/formato"), &mut out);
    out
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

/// Both properties for one text that parses.
fn check_properties(text: &str) -> Result<(), String> {
    let before = parse(text).map_err(|p| format!("la entrada no se lee: {:?}", messages(&p)))?;
    let once = format_source(text).map_err(|p| format!("no se formatea: {:?}", messages(&p)))?;
    let after = parse(&once).map_err(|p| {
        format!(
            "el resultado no se lee: {:?}\n--- resultado\n{once}",
            messages(&p)
        )
    })?;
    if before != after {
        return Err(format!(
            "el árbol cambió\n--- entrada\n{text}\n--- resultado\n{once}"
        ));
    }
    let twice = format_source(&once).map_err(|p| format!("{:?}", messages(&p)))?;
    if once != twice {
        return Err(format!(
            "no es idempotente\n--- entrada\n{text}\n--- una vez\n{once}\n--- dos veces\n{twice}"
        ));
    }
    if comment_texts(text) != comment_texts(&once) {
        return Err(format!(
            "se perdió o cambió un comentario\n--- entrada\n{text}\n--- resultado\n{once}"
        ));
    }
    Ok(())
}

/// The comments of a text, in order (independent of the formatter's own
/// scanner: strings end at a quote or a line break).
fn comment_texts(text: &str) -> Vec<String> {
    segments(text)
        .into_iter()
        .filter_map(|s| match s {
            Seg::Comment(c) => Some(c.trim_end().to_string()),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------- examples

#[test]
fn messy_file_in_canonical_layout() {
    let text = read(&root().join("tests/fixtures/formato/desordenado.reglas"));
    let out = format_ok(&text);
    insta::assert_snapshot!("desordenado", out);
    check_properties(&text).unwrap();
}

#[test]
fn shipped_rule_files_format_idempotently_and_keep_their_meaning() {
    let files = rule_files();
    assert!(files.len() >= 3, "{files:?}");
    for f in files {
        let text = read(&f);
        if let Err(e) = check_properties(&text) {
            panic!("{}: {e}", f.display());
        }
    }
}

#[test]
fn cepac_keeps_every_comment_line() {
    let text = read(&root().join("rules/cepac.reglas"));
    let out = format_ok(&text);
    let comment_lines = |t: &str| -> Vec<String> {
        t.lines()
            .map(str::trim)
            .filter(|l| l.starts_with('#'))
            .map(str::to_string)
            .collect()
    };
    let before = comment_lines(&text);
    let after = comment_lines(&out);
    assert!(before.len() > 250, "{}", before.len());
    assert_eq!(before.len(), after.len());
    assert_eq!(before, after);
    // `# permitir:` stays right above its declaration.
    for (i, line) in out.lines().enumerate() {
        if line.starts_with("# permitir:") {
            let next = out.lines().nth(i + 1).unwrap_or("");
            assert!(
                next.starts_with("campo ") || next.starts_with('#'),
                "{line} / {next}"
            );
        }
    }
}

#[test]
fn keywords_spacing_and_comments() {
    let text = "reglas \"T\" version \"1\"\n\
                campo codigo : texto\n\
                campo n:numero # cantidad\n\
                  maximo   codigo\n\
                parametro p=40 %\n\
                criterio c \"C\" condicion: n≥p   y\n\
                  # por qué\n\
                  n ≠ 3\n\
                  si cumple: \"a  #  b\"\n\
                nivel x \"X\"\n  en otro caso\n";
    let out = format_ok(text);
    assert_eq!(
        out,
        "reglas \"T\" versión \"1\"\n\
         campo codigo: texto\n\
         \n\
         campo n: número # cantidad\n\
        \x20 máximo codigo\n\
         \n\
         parámetro p = 40%\n\
         \n\
         criterio c \"C\"\n\
        \x20 condición n >= p\n\
        \x20   # por qué\n\
        \x20   y n != 3\n\
        \x20 si cumple \"a  #  b\"\n\
         \n\
         nivel x \"X\"\n\
        \x20 en otro caso\n"
    );
}

#[test]
fn category_labels_keep_their_accents_and_their_place() {
    let text = "campo region:categoria(amboro   \"Amboró\" ,chaco,# el Chaco\n  chiquitania \"Chiquitanía\")\n";
    let out = format_ok(text);
    assert_eq!(
        out,
        "campo region: categoría (\n\
        \x20   amboro \"Amboró\",\n\
        \x20   chaco, # el Chaco\n\
        \x20   chiquitania \"Chiquitanía\"\n\
        \x20 )\n"
    );
    assert_eq!(format_ok(&out), out);
    let short = format_ok("campo r: categoría (a \"Á\", b)\n");
    assert_eq!(short, "campo r: categoría (a \"Á\", b)\n");
}

#[test]
fn long_conditions_and_lists_break() {
    let text = "criterio c \"C\" condición alfa_uno >= 10 y beta_dos en [uno, dos, tres] y gamma_tres o delta_cuatro_cinco_seis\n\
                criterio d \"D\" condición al menos 2 de [primer_criterio_largo, segundo_criterio_largo, tercer_criterio_largo]\n";
    let out = format_ok(text);
    assert_eq!(
        out,
        "criterio c \"C\"\n\
        \x20 condición alfa_uno >= 10 y beta_dos en [uno, dos, tres] y gamma_tres\n\
        \x20   o delta_cuatro_cinco_seis\n\
         \n\
         criterio d \"D\"\n\
        \x20 condición al menos 2 de [\n\
        \x20     primer_criterio_largo,\n\
        \x20     segundo_criterio_largo,\n\
        \x20     tercer_criterio_largo\n\
        \x20   ]\n"
    );
}

#[test]
fn windows_line_breaks_and_bom_are_kept() {
    let text = "\u{FEFF}# uno\r\ncampo codigo:texto\r\n  pregunta \"C\"\r\n";
    let out = format_ok(text);
    assert_eq!(
        out,
        "\u{FEFF}# uno\r\ncampo codigo: texto\r\n  pregunta \"C\"\r\n"
    );
    assert_eq!(format_ok(&out), out);
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(format_ok(""), "");
    assert_eq!(format_ok("\n\n  \n"), "");
    assert_eq!(
        format_ok("  # solo\n\n\n\n# esto\n"),
        "# solo\n\n\n# esto\n"
    );
}

#[test]
fn syntax_errors_are_reported_not_formatted() {
    let err = format_source("campo x texto\n").unwrap_err();
    assert!(err.has_errors());
    assert!(
        messages(&err)[0].contains("se esperaba"),
        "{:?}",
        messages(&err)
    );
}

// ---------------------------------------------------------------- CLI

fn reglas(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reglas"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_verificar_lists_files_that_would_change() {
    let dir = tempfile::tempdir().unwrap();
    let good = "campo codigo: texto\n";
    let messy = "campo   codigo :texto\n";
    std::fs::write(dir.path().join("bien.reglas"), good).unwrap();
    std::fs::write(dir.path().join("mal.reglas"), messy).unwrap();
    std::fs::write(dir.path().join("roto.reglas"), "campo x texto\n").unwrap();

    let (code, out, err) = reglas(&["formatear", "--verificar", "bien.reglas"], dir.path());
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(err.contains("ya tiene la forma canónica"), "{err}");

    let (code, out, err) = reglas(
        &["formatear", "--verificar", "bien.reglas", "mal.reglas"],
        dir.path(),
    );
    assert_eq!((code, out.as_str()), (1, "mal.reglas\n"), "{err}");
    // --verificar changes nothing.
    assert_eq!(read(&dir.path().join("mal.reglas")), messy);

    let (code, out, err) = reglas(&["formatear", "bien.reglas", "mal.reglas"], dir.path());
    assert_eq!(
        (code, out.as_str()),
        (0, "mal.reglas: formateado\n"),
        "{err}"
    );
    assert_eq!(read(&dir.path().join("mal.reglas")), good);
    assert_eq!(read(&dir.path().join("bien.reglas")), good);

    let (code, _, _) = reglas(
        &["formatear", "--verificar", "bien.reglas", "mal.reglas"],
        dir.path(),
    );
    assert_eq!(code, 0);

    // A file with syntax errors is reported and left alone.
    let (code, _, err) = reglas(&["formatear", "roto.reglas"], dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("no se modificó"), "{err}");
    assert_eq!(read(&dir.path().join("roto.reglas")), "campo x texto\n");
    let (code, _, _) = reglas(&["formatear", "--verificar", "roto.reglas"], dir.path());
    assert_eq!(code, 1);

    let (code, _, err) = reglas(&["formatear", "no_existe.reglas"], dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("no existe"), "{err}");
    // No temporary file left behind.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

// ---------------------------------------------------------------- mutations

/// A rule file cut into pieces that mutations may change independently.
#[derive(Debug, Clone)]
enum Seg {
    Ws(String),
    Str(String),
    Comment(String),
    Word(String),
    Punct(String),
}

fn segments(text: &str) -> Vec<Seg> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let take = |i: &mut usize, f: &dyn Fn(char) -> bool| {
        let start = *i;
        while *i < chars.len() && f(chars[*i]) {
            *i += 1;
        }
        chars[start..*i].iter().collect::<String>()
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == '\u{FEFF}' {
            out.push(Seg::Ws(take(&mut i, &|c| {
                c.is_whitespace() || c == '\u{FEFF}'
            })));
        } else if c == '"' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != '"' && chars[i] != '\n' {
                i += 1;
            }
            if i < chars.len() && chars[i] == '"' {
                i += 1;
            }
            out.push(Seg::Str(chars[start..i].iter().collect()));
        } else if c == '#' {
            out.push(Seg::Comment(take(&mut i, &|c| c != '\n')));
        } else if c.is_alphanumeric() || c == '_' {
            out.push(Seg::Word(take(&mut i, &|c| {
                c.is_alphanumeric() || c == '_'
            })));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            if [">=", "<=", "!="].contains(&two.as_str()) {
                out.push(Seg::Punct(two));
                i += 2;
            } else {
                out.push(Seg::Punct(c.to_string()));
                i += 1;
            }
        }
    }
    out
}

/// Keyword spellings the grammar accepts, both ways, and operator symbols.
const RESPELL: &[(&str, &str)] = &[
    ("sección", "seccion"),
    ("condición", "condicion"),
    ("versión", "version"),
    ("parámetro", "parametro"),
    ("recomendación", "recomendacion"),
    ("categoría", "categoria"),
    ("número", "numero"),
    ("título", "titulo"),
    ("también", "tambien"),
    ("máximo", "maximo"),
    ("sí", "si"),
    (">=", "≥"),
    ("<=", "≤"),
    ("!=", "≠"),
];

/// A tiny deterministic generator, so a failing case is reproducible from
/// its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

const SPACES: &[&str] = &[
    " ", "  ", "\t", "\n", "\n\n", "\n    ", "\n\n\n", " \n  ", "\r\n", "\u{A0}",
];
const COMMENTS: &[&str] = &[
    " # nota añadida\n",
    "\n# comentario en su línea\n",
    "\n    # comentario con sangría\n",
    "\n\n# después de una línea en blanco\n\n",
    "  #sin espacio\n  ",
];

/// Changes whitespace, line breaks, comments and keyword spellings, but
/// never what the file means.
fn mutate(text: &str, seed: u64, ws_rate: u64, comment_rate: u64, kw_rate: u64) -> String {
    let mut rng = Rng(seed | 1);
    let segs = segments(text);
    let mut out = String::new();
    for (i, s) in segs.iter().enumerate() {
        match s {
            Seg::Ws(w) => {
                let prev = i.checked_sub(1).and_then(|j| segs.get(j));
                let next = segs.get(i + 1);
                let after_comment = matches!(prev, Some(Seg::Comment(_)));
                fn word(s: Option<&Seg>) -> &str {
                    match s {
                        Some(Seg::Word(w)) => w.as_str(),
                        _ => "",
                    }
                }
                // `40 %` allows one space only; `si falta dato` allows no comment.
                let before_percent = matches!(next, Some(Seg::Punct(p)) if p == "%");
                let in_falta = word(next) == "falta" || word(prev) == "falta";
                if before_percent {
                    out.push_str(w);
                } else if !in_falta && rng.chance(comment_rate) {
                    let c = rng.pick(COMMENTS);
                    if after_comment && !c.starts_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(c);
                } else if rng.chance(ws_rate) {
                    let mut r = rng.pick(SPACES).to_string();
                    if after_comment && !r.contains('\n') {
                        r.insert(0, '\n');
                    }
                    out.push_str(&r);
                } else {
                    out.push_str(w);
                }
            }
            Seg::Word(w) | Seg::Punct(w) => {
                let swap = RESPELL.iter().find_map(|(a, b)| {
                    if w == a {
                        Some(*b)
                    } else if w == b {
                        Some(*a)
                    } else {
                        None
                    }
                });
                match swap {
                    Some(other) if rng.chance(kw_rate) => out.push_str(other),
                    _ => out.push_str(w),
                }
            }
            Seg::Str(x) | Seg::Comment(x) => out.push_str(x),
        }
    }
    out
}

#[test]
fn mutations_keep_the_file_readable() {
    // The mutator itself must not break files (else the properties below
    // would test nothing).
    for f in rule_files() {
        let text = read(&f);
        for seed in 1..6 {
            let m = mutate(&text, seed, 30, 5, 50);
            let a = parse(&text).unwrap();
            let b =
                parse(&m).unwrap_or_else(|p| panic!("{}: {:?}\n{m}", f.display(), messages(&p)));
            assert_eq!(a, b, "{}", f.display());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn mutated_real_files_format_idempotently_and_keep_their_meaning(
        file in 0usize..16,
        seed in any::<u64>(),
        ws_rate in 0u64..60,
        comment_rate in 0u64..8,
        kw_rate in 0u64..100,
    ) {
        let files = rule_files();
        let f = &files[file % files.len()];
        let text = mutate(&read(f), seed, ws_rate, comment_rate, kw_rate);
        prop_assume!(parse(&text).is_ok());
        if let Err(e) = check_properties(&text) {
            prop_assert!(false, "{} (semilla {seed}): {e}", f.display());
        }
    }
}

// ---------------------------------------------------------------- generated files

const NAMES: &[&str] = &[
    "a", "b", "socios", "socias", "ventas", "región", "año_2", "x1", "g1", "alto",
];

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_string)
}

fn string_lit() -> impl Strategy<Value = String> {
    prop::sample::select(
        &[
            "\"\"",
            "\"texto\"",
            "\"con # almohadilla\"",
            "\"{socios} de {b}\"",
            "\"  espacios  \"",
        ][..],
    )
    .prop_map(str::to_string)
}

/// An expression and whether it can stand as an operand without parentheses.
fn expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        4 => name().prop_map(|n| (n, true)),
        2 => (0u32..5000).prop_map(|n| (n.to_string(), true)),
        1 => (0u32..100, 0u32..10).prop_map(|(a, b)| (format!("{a}.{b}"), true)),
        2 => (0u32..101).prop_map(|n| (format!("{n}%"), true)),
        1 => prop::sample::select(&["sí", "no"][..]).prop_map(|s| (s.to_string(), true)),
        1 => string_lit().prop_map(|s| (s, true)),
    ];
    let tree = leaf.prop_recursive(4, 40, 5, |inner| {
        let wrap = |(s, atomic): (String, bool)| if atomic { s } else { format!("({s})") };
        let w = inner.clone().prop_map(wrap);
        prop_oneof![
            // a y b o c: chains with both precedences
            prop::collection::vec(prop::collection::vec(w.clone(), 1..4), 1..4).prop_map(|ors| {
                let s = ors
                    .iter()
                    .map(|ands| ands.join(" y "))
                    .collect::<Vec<_>>()
                    .join(" o ");
                let atomic = ors.len() == 1 && ors[0].len() == 1;
                (s, atomic)
            }),
            (
                w.clone(),
                prop::sample::select(&[">=", "<=", ">", "<", "=", "!=", "≥", "≠"][..]),
                w.clone()
            )
                .prop_map(|(a, op, b)| (format!("{a} {op} {b}"), false)),
            (
                w.clone(),
                prop::sample::select(&["+", "-", "*", "/"][..]),
                w.clone()
            )
                .prop_map(|(a, op, b)| (format!("{a} {op} {b}"), false)),
            w.clone().prop_map(|a| (format!("-{a}"), true)),
            w.clone().prop_map(|a| (format!("no {a}"), false)),
            (
                w.clone(),
                prop::sample::select(&["tiene dato", "sin dato"][..])
            )
                .prop_map(|(a, s)| (format!("{a} {s}"), false)),
            (
                w.clone(),
                any::<bool>(),
                prop::collection::vec(name(), 1..5)
            )
                .prop_map(|(a, neg, l)| (
                    format!("{a} {}en [{}]", if neg { "no " } else { "" }, l.join(", ")),
                    false
                )),
            (
                prop_oneof![
                    (0u32..9).prop_map(|n| n.to_string()),
                    (0u32..101).prop_map(|n| format!("{n} %")),
                    name(),
                ],
                prop::collection::vec(inner.clone().prop_map(|(s, _)| s), 1..5)
            )
                .prop_map(|(n, l)| (format!("al menos {n} de [{}]", l.join(", ")), false)),
            name().prop_map(|g| (format!("todos de grupo {g}"), false)),
            prop::collection::vec(inner.clone().prop_map(|(s, _)| s), 1..4)
                .prop_map(|l| (format!("ninguno de [{},]", l.join(",")), false)),
            (inner.clone(), inner.clone(), w.clone())
                .prop_map(|((c, _), (a, _), b)| (format!("si {c} entonces {a} si no {b}"), false)),
            (
                prop::sample::select(&["porcentaje", "promedio", "suma"][..]),
                prop::collection::vec(inner.clone().prop_map(|(s, _)| s), 0..3)
            )
                .prop_map(|(f, args)| (format!("{f}({})", args.join(", ")), true)),
            inner.prop_map(|(s, _)| (format!("( {s} )"), true)),
        ]
    });
    tree.prop_map(|(s, _)| s)
}

/// Clauses, each at most once, in any order.
fn clauses(options: Vec<BoxedStrategy<Option<String>>>) -> impl Strategy<Value = String> {
    options
        .prop_map(|cs| cs.into_iter().flatten().collect::<Vec<_>>())
        .prop_shuffle()
        .prop_map(|cs| cs.iter().map(|c| format!("\n  {c}")).collect::<String>())
}

fn opt<S: Strategy<Value = String> + 'static>(s: S) -> BoxedStrategy<Option<String>> {
    prop::option::of(s).boxed()
}

fn criterion_clauses() -> impl Strategy<Value = String> {
    clauses(vec![
        opt(name().prop_map(|g| format!("grupo {g}"))),
        opt(string_lit().prop_map(|s| format!("sección {s}"))),
        opt(expr().prop_map(|e| format!("condición {e}"))),
        opt(expr().prop_map(|e| format!("aplica si {e}"))),
        opt(string_lit().prop_map(|s| format!("si cumple {s}"))),
        opt(string_lit().prop_map(|s| format!("si no cumple: {s}"))),
        opt(
            prop::sample::select(&["si falta dato: no cumple", "si falta dato sin decidir"][..])
                .prop_map(str::to_string),
        ),
        opt((1u32..5).prop_map(|n| format!("puntos {n}"))),
    ])
}

fn decl() -> impl Strategy<Value = String> {
    let ty = prop_oneof![
        Just("sí/no".to_string()),
        Just("entero".to_string()),
        Just("número".to_string()),
        Just("porcentaje".to_string()),
        Just("texto".to_string()),
        // Values with or without a label for people (`amboro "Amboró"`).
        prop::collection::vec(
            (name(), prop::option::of(string_lit())).prop_map(|(n, l)| match l {
                Some(l) => format!("{n} {l}"),
                None => n,
            }),
            1..9
        )
        .prop_map(|v| format!("categoría ({})", v.join(", "))),
    ];
    let titled =
        |kw: &'static str| (name(), string_lit()).prop_map(move |(n, t)| format!("{kw} {n} {t}"));
    prop_oneof![
        (
            name(),
            ty,
            clauses(vec![
                opt(string_lit().prop_map(|s| format!("pregunta {s}"))),
                opt(string_lit().prop_map(|s| format!("sección {s}"))),
                opt(prop::collection::vec(string_lit(), 1..4)
                    .prop_map(|v| format!("también {}", v.join(", ")))),
                opt(name().prop_map(|n| format!("máximo {n}"))),
            ])
        )
            .prop_map(|(n, t, c)| format!("campo {n}: {t}{c}")),
        (
            prop::sample::select(&["parámetro", "valor", "cambia parámetro", "cambia valor"][..]),
            name(),
            expr(),
            clauses(vec![
                opt(string_lit().prop_map(|s| format!("título {s}"))),
                opt(string_lit().prop_map(|s| format!("sección {s}"))),
            ])
        )
            .prop_map(|(kw, n, e, c)| format!("{kw} {n} = {e}{c}")),
        (
            titled("grupo"),
            opt(string_lit().prop_map(|s| format!("sección {s}")))
        )
            .prop_map(|(h, s)| format!("{h} {}", s.unwrap_or_default())),
        (titled("criterio"), criterion_clauses()).prop_map(|(h, c)| format!("{h}{c}")),
        (name(), criterion_clauses()).prop_map(|(n, c)| format!("cambia criterio {n}{c}")),
        (
            titled("nivel"),
            opt(string_lit().prop_map(|s| format!("sección {s}"))),
            prop_oneof![
                expr().prop_map(|e| format!("condición {e}")),
                Just("en otro caso".to_string())
            ]
        )
            .prop_map(|(h, s, c)| format!("{h}\n  {}\n  {c}", s.unwrap_or_default())),
        (
            name(),
            prop::sample::select(&["nivel", "criterio"][..]),
            name(),
            opt(string_lit().prop_map(|s| format!("sección {s}"))),
            string_lit()
        )
            .prop_map(|(n, k, t, s, txt)| format!(
                "recomendación {n} para {k} {t} {} {txt}",
                s.unwrap_or_default()
            )),
        (
            prop::sample::select(
                &[
                    "criterio",
                    "recomendación",
                    "nivel",
                    "grupo",
                    "valor",
                    "parámetro"
                ][..]
            ),
            name()
        )
            .prop_map(|(k, n)| format!("quita {k} {n}")),
        (
            name(),
            opt(string_lit()),
            clauses(vec![
                opt(name().prop_map(|n| format!("como {n}"))),
                opt(name().prop_map(|n| format!("espera nivel {n}"))),
                opt(prop::collection::vec(name(), 1..8)
                    .prop_map(|v| format!("espera fallan [{}]", v.join(", ")))),
                opt(prop::collection::vec(name(), 1..3)
                    .prop_map(|v| format!("espera recomendaciones [{}]", v.join(",")))),
                opt(prop::collection::vec(
                    (
                        name(),
                        prop_oneof![
                            (0u32..500).prop_map(|n| n.to_string()),
                            (0u32..101).prop_map(|n| format!("{n}%")),
                            Just("sí".to_string()),
                            Just("no".to_string()),
                            Just("sin dato".to_string()),
                            string_lit(),
                            name(),
                        ]
                    ),
                    1..14
                )
                .prop_map(|v| format!(
                    "con {}",
                    v.iter()
                        .map(|(n, x)| format!("{n} = {x}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))),
            ])
        )
            .prop_map(|(n, t, c)| format!("ejemplo {n} {}{c}", t.unwrap_or_default())),
    ]
}

fn rule_file() -> impl Strategy<Value = String> {
    (
        prop::option::of((string_lit(), opt(string_lit()), any::<bool>())),
        prop::collection::vec(decl(), 0..8),
    )
        .prop_map(|(header, decls)| {
            let mut out = String::new();
            if let Some((t, v, base)) = header {
                out.push_str(&format!("reglas {t}"));
                if let Some(v) = v {
                    out.push_str(&format!(" versión {v}"));
                }
                if base {
                    out.push_str(" basado en \"../cepac.reglas\"");
                }
                out.push('\n');
            }
            for d in decls {
                out.push_str(&d);
                out.push('\n');
            }
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn generated_files_format_idempotently_and_keep_their_meaning(
        text in rule_file(),
        seed in any::<u64>(),
        ws_rate in 0u64..80,
        comment_rate in 0u64..20,
        kw_rate in 0u64..100,
    ) {
        let text = mutate(&text, seed, ws_rate, comment_rate, kw_rate);
        prop_assume!(parse(&text).is_ok());
        if let Err(e) = check_properties(&text) {
            prop_assert!(false, "{e}");
        }
    }
}
