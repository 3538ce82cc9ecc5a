//! The library's modules sit in layers (docs/desarrollo.md, "Capas"): each
//! imports only from its own layer or below. This test reads every
//! `crate::…` path in `src/` and fails, naming the file and line, when a
//! module reaches up; and it fails on any import cycle between the files of
//! one module.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Bottom to top. The command line (`src/cli`, `src/main.rs`) is above all
/// of them and uses the library as `reglas::…`.
const LAYERS: &[&[&str]] = &[
    &["text", "codes", "source", "civil_date", "build_info"],
    &["diagnostic"],
    &["ast", "data"],
    &["program", "corrections"],
    &["syntax", "compose", "provenance"],
    &["check"],
    &["eval"],
    &["lint"],
    &["load"],
    &["format", "template", "testing", "compare", "variants"],
    &["render"],
    &["report", "batch"],
    &["web"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`src/eval/gap.rs` →
/// `eval`), or None for the crate root and the command line.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    let name = first.trim_end_matches(".rs").to_string();
    match name.as_str() {
        "lib" | "main" | "cli" => None,
        _ => Some(name),
    }
}

/// Code without comments: `//` to the end of the line (outside strings is
/// close enough here, as no string of the crate holds `crate::`).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, line)| {
        let code = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        (i + 1, code)
    })
}

/// Every `crate::name` in a line of code.
fn crate_paths(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `$crate::`, `other_crate::`
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.push(name);
        }
    }
    out
}

#[test]
fn every_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(&src, f)).collect();
    let missing: Vec<&String> = modules.iter().filter(|m| layer_of(m).is_none()).collect();
    assert!(
        missing.is_empty(),
        "modules without a layer (add them to LAYERS and to docs/desarrollo.md): {missing:?}"
    );
}

#[test]
fn imports_run_downwards() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut upward = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let Some(own) = layer_of(&module) else {
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in code_lines(&text) {
            for target in crate_paths(line) {
                match layer_of(&target) {
                    Some(l) if l > own => upward.push(format!(
                        "{}:{n}: `{module}` (capa {own}) usa `crate::{target}` (capa {l})",
                        file.strip_prefix(&src).unwrap().display()
                    )),
                    _ => {}
                }
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that run up a layer:\n{}",
        upward.join("\n")
    );
}

/// Sibling files of one module that use each other (`super::engine` in
/// `gap.rs` and `super::gap` in `engine.rs`) form a cycle.
#[test]
fn no_cycle_between_the_files_of_a_module() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for file in &files {
        let dir = file.parent().unwrap();
        let text = std::fs::read_to_string(file).unwrap();
        for (_, line) in code_lines(&text) {
            let mut rest = line;
            while let Some(at) = rest.find("super::") {
                rest = &rest[at + "super::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let sibling = dir.join(format!("{name}.rs"));
                if sibling != *file && sibling.exists() {
                    edges.entry(file.clone()).or_default().insert(sibling);
                }
            }
        }
    }
    for start in edges.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<Vec<PathBuf>> = vec![vec![start.clone()]];
        while let Some(path) = stack.pop() {
            let last = path.last().unwrap();
            for next in edges.get(last).into_iter().flatten() {
                if next == start {
                    let names: Vec<String> = path
                        .iter()
                        .chain([next])
                        .map(|p| p.strip_prefix(&src).unwrap().display().to_string())
                        .collect();
                    panic!("import cycle: {}", names.join(" -> "));
                }
                if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push(longer);
                }
            }
        }
    }
}
