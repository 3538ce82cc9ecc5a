//! Every example in `docs/` is executed here, so the documentation cannot
//! drift from the program. The conventions (documented in
//! `docs/desarrollo.md`, section «Ejemplos que se prueban»):
//!
//! - ```` ```reglas ````: a complete rule file; it must load with no errors
//!   and no warnings, lints included (what `reglas verificar` reports).
//! - ```` ```reglas error=reglas::tipos ```` (several codes separated by
//!   commas): it must fail with those codes and no other error code.
//! - ```` ```reglas advertencia=reglas::campo_sin_uso ````: it must load
//!   without errors and give exactly those warning codes.
//! - ```` ```reglas fragmento ````: declarations that are not a whole file. The
//!   test puts before them a header and every `campo` of `rules/cepac.reglas`
//!   (the fields of the survey), and after them a level `en otro caso` when the
//!   fragment declares no `nivel`. It must load without errors (warnings are
//!   ignored); `error=` works as above.
//! - ```` ```reglas expresiones ````: one expression per line (lines starting
//!   with `#` are comments); each becomes `valor ejemplo_N = …` in a fragment.
//! - `archivo=RUTA` (with `reglas` or `csv`): the block must be identical to
//!   that file of the repository.
//! - ```` ```consola ```` (optionally `salida=N`, default 0): lines `$ reglas …`
//!   are run from the repository root with the built binary; the lines after
//!   each command are its expected output, standard output and standard error
//!   together as a terminal shows them. A line `...` stands for any number of
//!   lines. Trailing spaces and a byte order mark (U+FEFF, which CSV output
//!   for Excel starts with) are ignored. Every command must end with exit
//!   code N. The commit and build date of the binary, which change with
//!   every build, are written `<commit>` and `<AAAA-MM-DD>` where the output
//!   names the program (`reglas --version`, the audit record).
//! - ```` ```json ````: must be valid JSON.
//! - ```` ```texto ````: not executed (templates, sketches). Any other kind of
//!   block, or a block with no kind, is an error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::PathBuf;
use std::process::Command;

use reglas::codes::Code;
use reglas::data::FieldType;
use reglas::diagnostic::Level;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn docs_dir() -> PathBuf {
    root().join("docs")
}

// ---------------------------------------------------------------- blocks

#[derive(Debug, Clone)]
struct Block {
    file: String,
    /// Line of the opening fence (1-based).
    line: usize,
    /// Indentation of the fence, removed from the body's lines.
    indent: usize,
    kind: String,
    options: BTreeMap<String, String>,
    body: String,
}

impl Block {
    fn at(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }

    fn codes(&self, key: &str) -> Vec<String> {
        self.options
            .get(key)
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn flag(&self, key: &str) -> bool {
        self.options.contains_key(key)
    }
}

/// The fenced blocks of one Markdown text. A fence is three or more
/// backticks; it closes with a line of at least as many. A fence may be
/// indented (inside a list); that indentation is removed from the lines.
fn parse_blocks(file: &str, text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let trimmed = line.trim_start();
        let ticks = trimmed.chars().take_while(|c| *c == '`').count();
        if ticks < 3 {
            continue;
        }
        let info = &trimmed[ticks..];
        let indent = line.len() - trimmed.len();
        let mut words = info.split_whitespace();
        let kind = words.next().unwrap_or("").to_string();
        let mut options = BTreeMap::new();
        for w in words {
            match w.split_once('=') {
                Some((k, v)) => options.insert(k.to_string(), v.to_string()),
                None => options.insert(w.to_string(), String::new()),
            };
        }
        let mut body = String::new();
        let mut closed = false;
        for (_, l) in lines.by_ref() {
            let t = l.trim();
            if t.len() >= ticks && t.chars().all(|c| c == '`') {
                closed = true;
                break;
            }
            let cut = l.len() - l.trim_start().len();
            body.push_str(&l[cut.min(indent)..]);
            body.push('\n');
        }
        assert!(closed, "{file}:{}: bloque sin cerrar", i + 1);
        out.push(Block {
            file: file.to_string(),
            line: i + 1,
            indent,
            kind,
            options,
            body,
        });
    }
    out
}

fn markdown_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![docs_dir()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

fn all_blocks() -> Vec<Block> {
    let mut out = Vec::new();
    for f in markdown_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        let name = f.strip_prefix(root()).unwrap().display().to_string();
        out.extend(parse_blocks(&name, &text));
    }
    out
}

fn blocks_of(kind: &str) -> Vec<Block> {
    all_blocks()
        .into_iter()
        .filter(|b| b.kind == kind)
        .collect()
}

// ---------------------------------------------------------------- rule blocks

/// Header and every field of the CEPAC survey, as `campo` declarations.
fn prelude() -> String {
    let loaded = reglas::load::load_file(&root().join("rules/cepac.reglas"));
    let program = loaded
        .program
        .expect("rules/cepac.reglas debe cargar sin errores");
    let mut s = String::from("reglas \"Fragmento de la documentación\"\n\n");
    for f in &program.schema.fields {
        let ty = match &f.ty {
            FieldType::Bool => "sí/no".to_string(),
            FieldType::Integer => "entero".to_string(),
            FieldType::Number => "número".to_string(),
            FieldType::Percent => "porcentaje".to_string(),
            FieldType::Text => "texto".to_string(),
            FieldType::Category(v) => format!("categoría ({})", v.join(", ")),
        };
        s.push_str(&format!("campo {}: {ty}\n", f.name));
    }
    s.push('\n');
    s
}

fn declares_level(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        l.strip_prefix("nivel")
            .is_some_and(|r| r.starts_with([' ', '\t']))
    })
}

/// The rule text a block stands for.
fn rule_text(b: &Block, prelude: &str) -> String {
    if b.flag("expresiones") {
        let mut s = prelude.to_string();
        let mut n = 0;
        for l in b.body.lines() {
            let t = l.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            n += 1;
            s.push_str(&format!("valor ejemplo_{n} = {t}\n"));
        }
        assert!(n > 0, "{}: bloque `expresiones` vacío", b.at());
        s.push_str("\nnivel unico \"Único\"\n  en otro caso\n");
        s
    } else if b.flag("fragmento") {
        let mut s = format!("{prelude}{}", b.body);
        if !declares_level(&b.body) {
            s.push_str("\nnivel unico \"Único\"\n  en otro caso\n");
        }
        s
    } else {
        b.body.clone()
    }
}

fn known_code(c: &str) -> bool {
    Code::ALL.iter().any(|k| k.as_str() == c)
}

fn check_rule_block(b: &Block, prelude: &str) -> Result<(), String> {
    for o in b.options.keys() {
        if ![
            "fragmento",
            "expresiones",
            "error",
            "advertencia",
            "archivo",
        ]
        .contains(&o.as_str())
        {
            return Err(format!(
                "{}: opción desconocida `{o}` en un bloque reglas",
                b.at()
            ));
        }
    }
    // `basado en` is relative to the block's file: the Markdown file, or the
    // rule file the block copies.
    let name = match b.options.get("archivo") {
        Some(path) => {
            let file = std::fs::read_to_string(root().join(path))
                .map_err(|e| format!("{}: no se pudo leer {path}: {e}", b.at()))?;
            if b.body != file {
                return Err(format!("{}: el bloque no es igual a {path}", b.at()));
            }
            root().join(path)
        }
        None => root().join(&b.file),
    };
    let text = rule_text(b, prelude);
    let mut loaded = reglas::load::load_text(&name.display().to_string(), text.clone());
    // As `reglas verificar` does: the lints run on every program that loads.
    if let Some(program) = &loaded.program {
        let lints = reglas::lint::lint(program);
        loaded.problems.extend(lints);
    }
    let codes = |level: Level| -> BTreeSet<String> {
        loaded
            .problems
            .items
            .iter()
            .filter(|p| p.level == level)
            .map(|p| p.code.as_str().to_string())
            .collect()
    };
    let errors = codes(Level::Error);
    let warnings = codes(Level::Warning);
    let messages = loaded
        .problems
        .items
        .iter()
        .map(|p| format!("  {} {}", p.code.as_str(), p.message))
        .collect::<Vec<_>>()
        .join("\n");
    let want_errors: BTreeSet<String> = b.codes("error").into_iter().collect();
    let want_warnings: BTreeSet<String> = b.codes("advertencia").into_iter().collect();
    for c in want_errors.iter().chain(&want_warnings) {
        if !known_code(c) {
            return Err(format!(
                "{}: `{c}` no es un código de reglas::codes",
                b.at()
            ));
        }
    }
    if want_errors.is_empty() {
        if !errors.is_empty() || loaded.program.is_none() {
            return Err(format!(
                "{}: el ejemplo debe cargar sin errores y da:\n{messages}",
                b.at()
            ));
        }
    } else if errors != want_errors || loaded.program.is_some() {
        return Err(format!(
            "{}: se esperaban los errores {want_errors:?} y se obtuvo:\n{messages}",
            b.at()
        ));
    }
    let fragment = b.flag("fragmento") || b.flag("expresiones");
    if !fragment && want_errors.is_empty() && warnings != want_warnings {
        return Err(format!(
            "{}: se esperaban las advertencias {want_warnings:?} y se obtuvo:\n{messages}",
            b.at()
        ));
    }
    Ok(())
}

#[test]
fn reglas_blocks() {
    let prelude = prelude();
    let blocks = blocks_of("reglas");
    assert!(!blocks.is_empty());
    let failures: Vec<String> = blocks
        .iter()
        .filter_map(|b| check_rule_block(b, &prelude).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} ejemplos de reglas fallan:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    eprintln!("bloques reglas probados: {}", blocks.len());
}

#[test]
fn prelude_alone_loads() {
    let mut text = prelude();
    text.push_str("nivel unico \"Único\"\n  en otro caso\n");
    let loaded = reglas::load::load_text("preludio", text);
    assert!(!loaded.problems.has_errors());
}

// ---------------------------------------------------------------- console blocks

/// Splits a command line on spaces; double quotes group words.
fn split_args(line: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    args.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        args.push(cur);
    }
    args
}

/// Runs the binary with stdout and stderr on the same pipe, as a terminal
/// shows them. Returns the output and the exit code.
fn run(args: &[String]) -> (String, i32) {
    let (mut reader, writer) = std::io::pipe().unwrap();
    let mut child = {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_reglas"));
        cmd.args(args)
            .current_dir(root())
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env_remove("RUST_BACKTRACE")
            .stdin(std::process::Stdio::null())
            .stdout(writer.try_clone().unwrap())
            .stderr(writer);
        cmd.spawn().unwrap()
    };
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).unwrap();
    let status = child.wait().unwrap();
    (
        String::from_utf8_lossy(&bytes).into_owned(),
        status.code().unwrap_or(-1),
    )
}

/// Output lines without trailing spaces, trailing empty lines, the byte
/// order mark that CSV output for Excel starts with, or this build's commit
/// and date.
fn normalize(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| scrub_build(l.trim_start_matches('\u{feff}').trim_end()))
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// The commit and build date where the program names itself, as
/// placeholders (only there: a date elsewhere in the output stays).
fn scrub_build(line: &str) -> String {
    use reglas::build_info::{COMMIT, FECHA_COMPILACION};
    line.replace(
        &format!("(commit {COMMIT}, compilado el {FECHA_COMPILACION})"),
        "(commit <commit>, compilado el <AAAA-MM-DD>)",
    )
    .replace(
        &format!("\"commit_programa\":\"{COMMIT}\",\"fecha_compilacion\":\"{FECHA_COMPILACION}\""),
        "\"commit_programa\":\"<commit>\",\"fecha_compilacion\":\"<AAAA-MM-DD>\"",
    )
}

/// Matches lines with `...` standing for any number of lines.
fn matches(expected: &[String], actual: &[String]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if e == "..." => (0..=actual.len()).any(|k| matches(rest, &actual[k..])),
        Some((e, rest)) => actual.first().is_some_and(|a| a == e) && matches(rest, &actual[1..]),
    }
}

struct Console {
    args: Vec<String>,
    expected: Vec<String>,
    /// Index in the block's body of the first expected line.
    first: usize,
}

fn commands(b: &Block) -> Vec<Console> {
    let mut out: Vec<Console> = Vec::new();
    for (i, line) in b.body.lines().enumerate() {
        if let Some(cmd) = line.strip_prefix("$ ") {
            let mut args = split_args(cmd);
            assert_eq!(
                args.first().map(String::as_str),
                Some("reglas"),
                "{}: solo se ejecuta `reglas`: {line}",
                b.at()
            );
            args.remove(0);
            out.push(Console {
                args,
                expected: Vec::new(),
                first: i + 1,
            });
        } else {
            let c = out.last_mut().unwrap_or_else(|| {
                panic!("{}: un bloque consola empieza con `$ reglas …`", b.at())
            });
            c.expected.push(line.trim_end().to_string());
        }
    }
    out
}

#[test]
fn consola_blocks() {
    let blocks = blocks_of("consola");
    assert!(!blocks.is_empty());
    // `REGLAS_DOCS_ACTUALIZAR=1 cargo test --test docs` rewrites the expected
    // outputs that differ (for intended changes; read the diff afterwards).
    let bless = std::env::var_os("REGLAS_DOCS_ACTUALIZAR").is_some();
    let mut edits: BTreeMap<String, Vec<(usize, usize, Vec<String>)>> = BTreeMap::new();
    let mut n = 0;
    let mut failures = Vec::new();
    for b in &blocks {
        for o in b.options.keys() {
            assert!(
                o == "salida",
                "{}: opción desconocida `{o}` en un bloque consola",
                b.at()
            );
        }
        let want_code: i32 = b
            .options
            .get("salida")
            .map(|s| s.parse().unwrap())
            .unwrap_or(0);
        for c in commands(b) {
            n += 1;
            let (out, code) = run(&c.args);
            let mut expected = c.expected.clone();
            while expected.last().is_some_and(|l| l.is_empty()) {
                expected.pop();
            }
            let actual = normalize(&out);
            if !matches(&expected, &actual) && code == want_code && bless {
                // Only outputs written out in full are rewritten: a `...`
                // was put there by hand and stays for a person to redo.
                if !expected.iter().any(|l| l == "...") {
                    let pad = " ".repeat(b.indent);
                    edits.entry(b.file.clone()).or_default().push((
                        b.line + c.first,
                        expected.len(),
                        actual
                            .iter()
                            .map(|l| {
                                if l.is_empty() {
                                    String::new()
                                } else {
                                    format!("{pad}{l}")
                                }
                            })
                            .collect(),
                    ));
                    continue;
                }
            }
            if !matches(&expected, &actual) || code != want_code {
                failures.push(format!(
                    "{}: `reglas {}`\n  código de salida {code} (se esperaba {want_code})\n--- esperado:\n{}\n--- obtenido:\n{}\n",
                    b.at(),
                    c.args.join(" "),
                    expected.join("\n"),
                    actual.join("\n")
                ));
            }
        }
    }
    for (file, mut list) in edits {
        let path = root().join(&file);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        list.sort_by_key(|e| std::cmp::Reverse(e.0));
        for (start, len, new) in list {
            lines.splice(start..start + len, new);
        }
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        eprintln!("actualizado: {file}");
    }
    assert!(
        failures.is_empty(),
        "{} ejemplos de consola no coinciden:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("comandos de consola probados: {n}");
}

#[test]
fn matcher() {
    let l = |s: &str| s.lines().map(String::from).collect::<Vec<_>>();
    assert!(matches(&l("a\n...\nd"), &l("a\nb\nc\nd")));
    assert!(matches(&l("a\n...\nb"), &l("a\nb")));
    assert!(matches(&l("..."), &l("")));
    assert!(!matches(&l("a\nb"), &l("a\nb\nc")));
    assert!(!matches(&l("a\n...\nd"), &l("a\nb\nc")));
    assert_eq!(
        split_args(r#"reglas explicar "a b.reglas" x"#),
        ["reglas", "explicar", "a b.reglas", "x"]
    );
}

// ---------------------------------------------------------------- other blocks

#[test]
fn json_csv_and_kinds() {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for b in all_blocks() {
        *counts.entry(b.kind.clone()).or_default() += 1;
        match b.kind.as_str() {
            "reglas" | "consola" | "texto" => {}
            "json" => {
                serde_json::from_str::<serde_json::Value>(&b.body)
                    .unwrap_or_else(|e| panic!("{}: JSON no válido: {e}", b.at()));
            }
            "csv" => {
                let path = b
                    .options
                    .get("archivo")
                    .unwrap_or_else(|| panic!("{}: un bloque csv lleva archivo=RUTA", b.at()));
                let file = std::fs::read_to_string(root().join(path)).unwrap();
                assert_eq!(b.body, file, "{}: el bloque no es igual a {path}", b.at());
            }
            "" => panic!(
                "{}: bloque sin tipo; use reglas, consola, json, csv o texto",
                b.at()
            ),
            other => panic!("{}: tipo de bloque desconocido `{other}`", b.at()),
        }
    }
    eprintln!("bloques por tipo: {counts:?}");
}

// ---------------------------------------------------------------- coverage

fn read_doc(name: &str) -> String {
    std::fs::read_to_string(docs_dir().join(name)).unwrap()
}

#[test]
fn every_code_is_documented() {
    let errores = read_doc("errores.md");
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !errores.contains(&format!("`{c}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/errores.md no documenta: {missing:?}"
    );
}

/// Codes of the data reader, read from the source (they are miette
/// attributes, not a list).
fn data_codes() -> BTreeSet<String> {
    let src = std::fs::read_to_string(root().join("src/data/error.rs")).unwrap();
    let mut out = BTreeSet::new();
    let mut rest = src.as_str();
    while let Some(i) = rest.find("code(reglas::datos::") {
        let tail = &rest[i + 5..];
        let end = tail.find(')').unwrap();
        out.insert(tail[..end].to_string());
        rest = &tail[end..];
    }
    assert!(!out.is_empty());
    out
}

#[test]
fn every_data_code_is_documented() {
    let errores = read_doc("errores.md");
    let missing: Vec<String> = data_codes()
        .into_iter()
        .filter(|c| !errores.contains(&format!("`{c}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/errores.md no documenta: {missing:?}"
    );
}

/// Headings `### \`reglas::…\`` of errores.md must be real codes.
#[test]
fn documented_codes_exist() {
    let errores = read_doc("errores.md");
    let data = data_codes();
    for line in errores.lines().filter(|l| l.starts_with('#')) {
        let Some(rest) = line
            .trim_start_matches('#')
            .trim()
            .strip_prefix("`reglas::")
        else {
            continue;
        };
        let code = format!("reglas::{}", &rest[..rest.find('`').unwrap()]);
        let code = code.as_str();
        assert!(
            known_code(code) || data.contains(code) || code == "reglas::datos::fila",
            "docs/errores.md documenta `{code}`, que no existe"
        );
    }
}

fn collect_keys(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                out.insert(k.clone());
                // The compact trace is keyed by the ids of the rule file
                // (levels, criteria, values): those are not schema keys.
                let keyed_by_id = matches!(
                    k.as_str(),
                    "niveles" | "criterios" | "valores" | "sin_decidir"
                ) && x.is_object();
                if !keyed_by_id {
                    collect_keys(x, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_keys(x, out)),
        _ => {}
    }
}

/// Every key `reglas evaluar --formato jsonl` writes is described in
/// docs/esquema-json.md.
#[test]
fn every_json_key_is_documented() {
    let esquema = read_doc("esquema-json.md");
    let mut keys = BTreeSet::new();
    for args in [
        &["rules/cepac.reglas", "rules/ejemplos/organizaciones.csv"][..],
        &[
            "rules/cepac.reglas",
            "rules/ejemplos/organizaciones-con-errores.csv",
        ],
        &["docs/ejemplos/mini.reglas", "docs/ejemplos/mini.csv"],
        &[
            "docs/ejemplos/mini-revision.reglas",
            "docs/ejemplos/mini.csv",
        ],
        &["docs/ejemplos/esquema.reglas", "docs/ejemplos/esquema.csv"],
        &[
            "docs/ejemplos/mini.reglas",
            "docs/ejemplos/mini.csv",
            "--correcciones",
            "docs/ejemplos/mini-correcciones.csv",
        ],
        &[
            "rules/cepac.reglas",
            "rules/ejemplos/organizaciones.csv",
            "--detalle-completo",
        ],
        &[
            "docs/ejemplos/esquema.reglas",
            "docs/ejemplos/esquema.csv",
            "--detalle-completo",
        ],
    ] {
        let (rules, data) = (args[0], args[1]);
        let out = Command::new(env!("CARGO_BIN_EXE_reglas"))
            .arg("evaluar")
            .args(args)
            .args(["--formato", "jsonl"])
            .current_dir(root())
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.is_empty(), "{rules} {data}: sin salida");
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            collect_keys(&v, &mut keys);
        }
    }
    let missing: Vec<&String> = keys
        .iter()
        .filter(|k| !esquema.contains(&format!("`{k}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/esquema-json.md no describe las claves: {missing:?}"
    );
}

/// Rule files under docs/ejemplos/ load cleanly; those under
/// docs/ejemplos/errores/ are examples of mistakes and must not.
#[test]
fn example_rule_files() {
    let dir = docs_dir().join("ejemplos");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "reglas") {
            n += 1;
            let loaded = reglas::load::load_file(&p);
            assert!(
                loaded.problems.is_empty(),
                "{}: {:?}",
                p.display(),
                loaded
                    .problems
                    .items
                    .iter()
                    .map(|x| &x.message)
                    .collect::<Vec<_>>()
            );
        }
    }
    for e in std::fs::read_dir(dir.join("errores")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "reglas") {
            n += 1;
            let loaded = reglas::load::load_file(&p);
            // A mistake is an error, or a warning (a file in Windows-1252).
            assert!(
                !loaded.problems.is_empty(),
                "{}: debería tener errores o advertencias",
                p.display()
            );
        }
    }
    assert!(n > 0);
}

// ---------------------------------------------------------------- links

/// GitHub's anchor for a heading: lower case, only letters, digits, `-`, `_`
/// and spaces kept, spaces turned into `-`.
fn slug(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Anchors of a Markdown file (headings outside code blocks; repeated
/// headings get `-1`, `-2`…).
fn anchors(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut fence = 0;
    for line in text.lines() {
        let t = line.trim_start();
        let ticks = t.chars().take_while(|c| *c == '`').count();
        if ticks >= 3 {
            if fence == 0 {
                fence = ticks;
            } else if ticks >= fence && t.chars().all(|c| c == '`') {
                fence = 0;
            }
            continue;
        }
        if fence > 0 || !line.starts_with('#') {
            continue;
        }
        let s = slug(line.trim_start_matches('#').trim());
        let n = seen.entry(s.clone()).or_default();
        out.insert(if *n == 0 {
            s.clone()
        } else {
            format!("{s}-{n}")
        });
        *n += 1;
    }
    out
}

/// Relative links between the documents point to files and headings that exist.
#[test]
fn links_resolve() {
    let mut broken = Vec::new();
    for f in markdown_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        let dir = f.parent().unwrap();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("](") {
            let tail = &rest[i + 2..];
            let Some(end) = tail.find(')') else { break };
            let target = &tail[..end];
            rest = &tail[end..];
            if target.starts_with("http") || target.contains(' ') {
                continue;
            }
            let (path, anchor) = match target.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (target, None),
            };
            let file = if path.is_empty() {
                f.clone()
            } else {
                dir.join(path)
            };
            let name = f.strip_prefix(root()).unwrap().display().to_string();
            if !file.exists() {
                broken.push(format!("{name}: {target}: no existe {}", file.display()));
                continue;
            }
            if let Some(a) = anchor {
                let target_text = std::fs::read_to_string(&file).unwrap_or_default();
                if !anchors(&target_text).contains(a) {
                    broken.push(format!("{name}: {target}: no hay un título con ese ancla"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "enlaces rotos:\n{}", broken.join("\n"));
}
