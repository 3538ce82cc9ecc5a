//! One mixed data file, each row evaluated with the regional variant of its
//! region: `reglas evaluar BASE DATOS --variantes CARPETA`.
//!
//! A KoboToolbox export holds every region; the analyst should not have to
//! split it by hand. The folder's `.reglas` files are the variants; each
//! must be `basado en` the base file, and its file name is the value of the
//! choosing field (`region` by default) it applies to: `chaco.reglas` for
//! `region = chaco`. Rows of other regions, or with the field blank, are
//! evaluated with the base rules. Every output says which rules each row used.

use std::path::{Path, PathBuf};

use crate::codes::Code;
use crate::data::{Row, Value};
use crate::diagnostic::Failure;
use crate::program::Program;
use crate::text::{backquoted_list, did_you_mean, name_key};

/// The name outputs give the base rules, for rows no variant applies to.
pub const GENERAL: &str = "general";

/// A variant and the category value it applies to.
pub struct Variant {
    /// The category value of the choosing field (`chaco`).
    pub value: String,
    pub file: PathBuf,
    pub program: Program,
}

/// The variants of a folder, checked against the base rules.
pub struct VariantSet {
    /// Index of the choosing field in the base schema.
    field: usize,
    pub field_name: String,
    /// For each category of the choosing field, the variant that applies.
    by_category: Vec<Option<usize>>,
    pub variants: Vec<Variant>,
}

/// The `.reglas` files of `folder`, sorted by name.
pub fn files_of(folder: &Path) -> Result<Vec<PathBuf>, Failure> {
    let entries = std::fs::read_dir(folder).map_err(|e| {
        Failure::new(
            Code::Variants,
            format!(
                "no se pudo leer la carpeta de variantes `{}`: {}",
                folder.display(),
                crate::text::system_error(&e)
            ),
        )
        .help("Indique con `--variantes` la carpeta que tiene los archivos de reglas de cada región, por ejemplo `rules/regiones/`.")
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "reglas"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Failure::new(
            Code::Variants,
            format!(
                "la carpeta de variantes `{}` no tiene archivos `.reglas`",
                folder.display()
            ),
        )
        .help("Cada variante es un archivo `REGION.reglas` (por ejemplo `chaco.reglas`) que empieza con `basado en` el archivo general."));
    }
    Ok(files)
}

impl VariantSet {
    /// Checks the loaded variants against `base` (read from `base_path`):
    /// the choosing field is a category of the base; each file is named
    /// after one of its values, is based on the base file and has the same
    /// levels (so that counts by level add up across regions). Every
    /// problem is reported, not only the first.
    pub fn new(
        base: &Program,
        base_path: &Path,
        field_name: &str,
        loaded: Vec<(PathBuf, Program)>,
    ) -> Result<VariantSet, Vec<Failure>> {
        let fail = |m: String, h: String| Failure::new(Code::Variants, m).help(h);
        let Some(field) = base.fields.iter().position(|f| f.name == field_name) else {
            let names = base.fields.iter().map(|f| f.name.as_str());
            let hint = did_you_mean(field_name, names)
                .map(|s| format!("¿Quiso decir `{s}`? "))
                .unwrap_or_default();
            return Err(vec![fail(
                format!("las reglas no declaran el campo `{field_name}` para elegir la variante"),
                format!("{hint}Indique con `--variante-por` un campo de categorías de las reglas, por ejemplo `region`."),
            )]);
        };
        let categories = &base.fields[field].categories;
        if categories.is_empty() {
            return Err(vec![fail(
                format!(
                    "el campo `{field_name}` no es de categorías: no sirve para elegir la variante"
                ),
                "Use un campo de categorías, por ejemplo `region`.".to_string(),
            )]);
        }
        let base_file = canonical(base_path);
        let base_levels: Vec<&str> = base.levels.iter().map(|l| l.name.as_str()).collect();
        let mut problems = Vec::new();
        let mut by_category = vec![None; categories.len()];
        let mut variants = Vec::new();
        for (file, program) in loaded {
            let shown = file.display().to_string();
            let stem = file
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string();
            let Some(c) = categories
                .iter()
                .position(|v| name_key(v) == name_key(&stem))
            else {
                let hint = did_you_mean(&stem, categories.iter().map(String::as_str))
                    .map(|s| format!("¿Quiso decir `{s}.reglas`? "))
                    .unwrap_or_default();
                problems.push(fail(
                    format!("la variante `{shown}` no corresponde a ningún valor de `{field_name}`"),
                    format!(
                        "{hint}El nombre del archivo dice a qué filas se aplica: valores de `{field_name}`: {}.",
                        backquoted_list(categories, 20)
                    ),
                ));
                continue;
            };
            let based_on = program
                .sources
                .files()
                .get(1)
                .and_then(|f| canonical(&f.path));
            if based_on.is_none() || based_on != base_file {
                problems.push(fail(
                    format!("la variante `{shown}` no está basada en `{}`", base_path.display()),
                    format!(
                        "Una variante empieza con `reglas \"…\" versión \"…\" basado en \"{}\"` (la ruta, relativa a la variante).",
                        base_path.display()
                    ),
                ));
                continue;
            }
            let levels: Vec<&str> = program.levels.iter().map(|l| l.name.as_str()).collect();
            if levels != base_levels {
                problems.push(fail(
                    format!("la variante `{shown}` no tiene los mismos niveles que las reglas generales"),
                    format!(
                        "Para que los conteos por nivel se puedan sumar entre regiones, las variantes usan los niveles del archivo general: {}.",
                        backquoted_list(&base_levels, 20)
                    ),
                ));
                continue;
            }
            if let Some(other) = by_category[c] {
                let first: &Variant = &variants[other];
                problems.push(fail(
                    format!(
                        "dos variantes para `{field_name} = {}`: `{}` y `{shown}`",
                        categories[c],
                        first.file.display()
                    ),
                    "Deje una sola variante por región en la carpeta.".to_string(),
                ));
                continue;
            }
            by_category[c] = Some(variants.len());
            variants.push(Variant {
                value: categories[c].clone(),
                file,
                program,
            });
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(VariantSet {
            field,
            field_name: field_name.to_string(),
            by_category,
            variants,
        })
    }

    /// The variant for a row read with the base schema; None = the base rules.
    pub fn choose(&self, base_row: &Row) -> Option<usize> {
        match base_row.values.get(self.field) {
            Some(Some(Value::Category(c))) => self.by_category.get(*c as usize).copied().flatten(),
            _ => None,
        }
    }

    /// The name outputs give the rules of variant `k` (None = the base).
    pub fn name(&self, k: Option<usize>) -> &str {
        match k {
            Some(k) => &self.variants[k].value,
            None => GENERAL,
        }
    }
}

/// The file's canonical path, to compare two ways of writing it.
fn canonical(p: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(p).ok()
}
