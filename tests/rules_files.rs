//! The rule files shipped in `rules/` load cleanly, and the example
//! organizations get the levels documented in `rules/ejemplos/LEEME.md`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use reglas::eval::{Evaluator, Resultado};

fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rule_files(&path, out);
        } else if path.extension().and_then(|e| e.to_str()) == Some("reglas") {
            out.push(path);
        }
    }
}

#[test]
fn every_rule_file_loads_without_errors_or_warnings() {
    let mut files = Vec::new();
    rule_files(Path::new("rules"), &mut files);
    files.sort();
    assert!(
        files.contains(&PathBuf::from("rules/cepac.reglas")),
        "{files:?}"
    );
    for f in &files {
        let loaded = reglas::load::load_file(f);
        let shown = reglas::render::diagnostics::render_problems(
            &loaded.problems,
            &loaded.sources,
            reglas::render::diagnostics::ErrorFormat::Plain,
        );
        assert!(loaded.program.is_some(), "{}:\n{shown}", f.display());
        assert!(loaded.problems.is_empty(), "{}:\n{shown}", f.display());
    }
}

/// One row of the table «organizaciones.csv: nivel esperado» of the LEEME.
#[derive(Debug, PartialEq)]
struct Expected {
    fila: usize,
    codigo: &'static str,
    nivel: Option<&'static str>,
    provisional: bool,
    posibles: &'static [&'static str],
    faltan: &'static [&'static str],
}

const fn e(
    fila: usize,
    codigo: &'static str,
    nivel: Option<&'static str>,
    provisional: bool,
    posibles: &'static [&'static str],
    faltan: &'static [&'static str],
) -> Expected {
    Expected {
        fila,
        codigo,
        nivel,
        provisional,
        posibles,
        faltan,
    }
}

const C: Option<&str> = Some("consolidada");
const P: Option<&str> = Some("en_proceso");
const E: Option<&str> = Some("embrionaria");

#[rustfmt::skip]
const EXPECTED: &[Expected] = &[
    e(2, "AMB-001", P, false, &["en_proceso"], &[]),
    e(3, "AMB-002", P, false, &["en_proceso"], &[]),
    e(4, "AMB-003", E, false, &["embrionaria"], &[]),
    e(5, "AMB-004", None, true, &["consolidada", "en_proceso", "embrionaria"], &["excedentes", "punto_equilibrio_social"]),
    e(6, "AMB-005", P, false, &["en_proceso"], &[]),
    e(7, "CHA-001", C, false, &["consolidada"], &[]),
    e(8, "CHA-002", P, false, &["en_proceso"], &[]),
    e(9, "CHA-003", E, false, &["embrionaria"], &[]),
    e(10, "CHA-004", None, true, &["en_proceso", "embrionaria"], &["lista_socios", "capacitaciones_anio"]),
    e(11, "CHA-005", P, false, &["en_proceso"], &[]),
    e(12, "CHA-006", P, true, &["consolidada", "en_proceso"], &["mercado_concreto"]),
    e(13, "CHI-001", P, false, &["en_proceso"], &[]),
    e(14, "CHI-002", P, false, &["en_proceso"], &[]),
    e(15, "CHI-003", E, false, &["embrionaria"], &[]),
    e(16, "CHI-004", None, true, &["en_proceso", "embrionaria"], &["punto_equilibrio_social"]),
    e(17, "CHI-005", P, true, &["consolidada", "en_proceso"], &["informacion_precios", "certificaciones"]),
    e(18, "NOR-001", P, true, &["consolidada", "en_proceso"], &["socias"]),
    e(19, "NOR-002", P, false, &["en_proceso"], &[]),
    e(20, "NOR-003", E, false, &["embrionaria"], &[]),
    e(21, "NOR-004", P, false, &["en_proceso"], &[]),
];

fn evaluate_all(rules: &str, data: &str) -> Vec<Result<Resultado, Vec<String>>> {
    let loaded = reglas::load::load_file(Path::new(rules));
    let program = loaded.program.expect("las reglas cargan");
    let source = reglas::data::open(Path::new(data), &program.schema, &Default::default()).unwrap();
    let ev = Evaluator::new(&program);
    source
        .map(|row| {
            if row.errors.is_empty() {
                Ok(ev.evaluate(&row, false))
            } else {
                Err(row
                    .errors
                    .iter()
                    .map(|e| e.columna.clone().unwrap_or_default())
                    .collect())
            }
        })
        .collect()
}

#[test]
fn example_organizations_get_the_documented_levels() {
    let results = evaluate_all("rules/cepac.reglas", "rules/ejemplos/organizaciones.csv");
    assert_eq!(results.len(), EXPECTED.len());
    let mut wrong = Vec::new();
    for (got, want) in results.iter().zip(EXPECTED) {
        let r = got
            .as_ref()
            .unwrap_or_else(|e| panic!("{}: errores en los datos {e:?}", want.codigo));
        let got = Expected {
            fila: r.fila,
            codigo: want.codigo,
            nivel: r.nivel.as_deref().map(leak),
            provisional: r.provisional,
            posibles: leak_all(&r.posibles),
            faltan: leak_all(&r.faltan),
        };
        assert_eq!(r.codigo.as_deref(), Some(want.codigo));
        if got != *want {
            wrong.push(format!("  esperado {want:?}\n  obtenido {got:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "niveles distintos de rules/ejemplos/LEEME.md:\n{}",
        wrong.join("\n")
    );

    // The totals line of the LEEME.
    let mut per_level: BTreeMap<&str, usize> = BTreeMap::new();
    for r in results.iter().flatten() {
        *per_level
            .entry(r.nivel.as_deref().unwrap_or("(sin nivel)"))
            .or_default() += 1;
    }
    let provisional_en_proceso = results
        .iter()
        .flatten()
        .filter(|r| r.provisional && r.nivel.as_deref() == Some("en_proceso"))
        .count();
    assert_eq!(
        per_level,
        BTreeMap::from([
            ("(sin nivel)", 3),
            ("consolidada", 1),
            ("embrionaria", 4),
            ("en_proceso", 12)
        ])
    );
    assert_eq!(provisional_en_proceso, 3);
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

fn leak_all(v: &[String]) -> &'static [&'static str] {
    Box::leak(
        v.iter()
            .map(|s| leak(s))
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    )
}

/// The table in the LEEME says the same as [`EXPECTED`]: if one changes, the
/// other must too.
#[test]
fn leeme_table_matches_the_expected_levels() {
    let leeme = std::fs::read_to_string("rules/ejemplos/LEEME.md").unwrap();
    let start = leeme
        .find("## `organizaciones.csv`: nivel esperado")
        .expect("sección de la tabla");
    let rows: Vec<Vec<String>> = leeme[start..]
        .lines()
        .skip_while(|l| !l.starts_with("| fila"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), EXPECTED.len());
    let list = |s: &str| -> Vec<String> {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect()
    };
    for (cells, want) in rows.iter().zip(EXPECTED) {
        assert_eq!(cells[0], want.fila.to_string());
        assert_eq!(cells[1], want.codigo);
        let nivel = if cells[2].starts_with('—') {
            None
        } else {
            Some(cells[2].as_str())
        };
        assert_eq!(nivel, want.nivel, "{}", want.codigo);
        assert_eq!(cells[3] == "sí", want.provisional, "{}", want.codigo);
        assert_eq!(list(&cells[4]), want.posibles, "{}", want.codigo);
        assert_eq!(list(&cells[5]), want.faltan, "{}", want.codigo);
    }
}

/// `organizaciones-con-errores.csv`: every row is read; the five correct
/// ones get their level, each of the others has one error in the expected
/// column (none for the rows whose problem is the whole row).
#[test]
fn example_data_errors() {
    let results = evaluate_all(
        "rules/cepac.reglas",
        "rules/ejemplos/organizaciones-con-errores.csv",
    );
    let want: &[(&str, Result<&str, &str>)] = &[
        ("AMB-010", Ok("en_proceso")),
        ("NOR-010", Ok("consolidada")),
        ("CHI-010", Err("nit")),
        ("CHA-010", Err("alianzas")),
        ("AMB-011", Err("capacitaciones_anio")),
        ("CHA-011", Ok("embrionaria")),
        ("NOR-011", Err("socias")),
        ("CHI-011", Err("region")),
        ("AMB-012", Err("lista_socios")),
        ("CHA-012", Err("asistencia_asambleas")),
        ("CHI-012", Ok("consolidada")),
        ("AMB-010", Err("codigo")),
        ("NOR-012", Err("")),
        ("NOR-013", Ok("embrionaria")),
    ];
    assert_eq!(results.len(), want.len());
    for (i, (got, (code, expected))) in results.iter().zip(want).enumerate() {
        match (got, expected) {
            (Ok(r), Ok(level)) => {
                assert_eq!(r.codigo.as_deref(), Some(*code));
                assert_eq!(r.fila, i + 2);
                assert_eq!(r.nivel.as_deref(), Some(*level), "{code}");
            }
            (Err(columns), Err(column)) => {
                assert_eq!(columns.len(), 1, "{code}: un solo error, no {columns:?}");
                assert_eq!(columns[0], *column, "{code}");
            }
            _ => panic!(
                "fila {} ({code}): se esperaba {expected:?}, resultó {got:?}",
                i + 2
            ),
        }
    }
}

/// Shipped rule files are in the canonical layout, so `reglas formatear
/// --verificar rules/` passes for analysts who copy them.
#[test]
fn every_rule_file_is_in_canonical_layout() {
    let mut files = Vec::new();
    rule_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"),
        &mut files,
    );
    assert!(!files.is_empty());
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let formatted = reglas::format::format_source(&text)
            .unwrap_or_else(|_| panic!("{} no se pudo formatear", f.display()));
        assert!(
            formatted == text,
            "{} no tiene la forma canónica: corra `reglas formatear {}`",
            f.display(),
            f.display()
        );
    }
}
