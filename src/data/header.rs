//! Headers: which column holds which declared field. Computed once per file.
//!
//! A header matches a field by its name or an alias (any case, with or without
//! tildes, spaces or hyphens for underscores), by the last part of a group path
//! (Kobo `gobernanza/nit`, ODK Central `gobernanza-nit`) or by the question text
//! (Kobo "labels" exports). Kobo/ODK metadata columns are skipped.

use std::collections::HashMap;
use std::path::Path;

use super::error::{DataFileError, MissingColumn};
use super::schema::{FieldSpec, FieldType, Schema};
use crate::text::{backquoted_list, name_key, question_key, similarity};

/// How sure a header → field match is; the stronger one wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Strength {
    Question,
    Path,
    Exact,
}

/// What a column is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Role {
    Field(usize, Strength),
    /// Kobo/ODK metadata (`_uuid`, `start`, `meta/instanceID`…).
    Metadata,
    /// One option of the multiple-choice field `.0` (`field/option`, 1/0).
    ChoiceOption(usize),
    Unknown,
    Empty,
}

impl Role {
    fn recognized(self) -> bool {
        matches!(
            self,
            Role::Field(..) | Role::Metadata | Role::ChoiceOption(_)
        )
    }
}

/// Field names, aliases and questions, keyed for matching.
pub(crate) struct HeaderMatcher {
    names: HashMap<String, usize>,
    questions: HashMap<String, usize>,
    fields: usize,
}

/// Kobo and ODK Central columns that are not answers (besides anything
/// starting with `_` and anything under `meta/`).
const METADATA: &[&str] = &[
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "audit",
    "instanceid",
];
const ODK_METADATA: &[&str] = &[
    "KEY",
    "SubmissionDate",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
];

fn is_metadata(h: &str) -> bool {
    let lower = h.to_ascii_lowercase();
    h.starts_with('_')
        || METADATA.contains(&lower.as_str())
        || ODK_METADATA.contains(&h)
        || lower.starts_with("meta/")
        || lower.starts_with("meta-")
}

impl HeaderMatcher {
    pub(crate) fn new(schema: &Schema) -> HeaderMatcher {
        let mut names = HashMap::new();
        let mut questions = HashMap::new();
        for (i, f) in schema.fields.iter().enumerate() {
            names.entry(name_key(&f.name)).or_insert(i);
        }
        // Aliases after names, so a name always wins over another field's alias.
        for (i, f) in schema.fields.iter().enumerate() {
            for a in &f.aliases {
                names.entry(name_key(a)).or_insert(i);
            }
            if let Some(q) = &f.question {
                let k = question_key(q);
                if !k.is_empty() {
                    questions.entry(k).or_insert(i);
                }
            }
        }
        HeaderMatcher {
            names,
            questions,
            fields: schema.fields.len(),
        }
    }

    /// How many declared fields there are.
    pub(crate) fn field_count(&self) -> usize {
        self.fields
    }

    pub(crate) fn classify(&self, header: &str) -> Role {
        let h = header.trim();
        if h.is_empty() {
            return Role::Empty;
        }
        if let Some(&i) = self.names.get(&name_key(h)) {
            return Role::Field(i, Strength::Exact);
        }
        if is_metadata(h) {
            return Role::Metadata;
        }
        let last = if let Some((prefix, last)) = h.rsplit_once('/') {
            // `grupo/campo` (a question in a group) before `campo/opcion`:
            // a Kobo group may be named like a field.
            if let Some(&i) = self.names.get(&name_key(last)) {
                return Role::Field(i, Strength::Path);
            }
            let parent = prefix.rsplit('/').next().unwrap_or(prefix);
            if let Some(&f) = self.names.get(&name_key(parent)) {
                return Role::ChoiceOption(f);
            }
            last
        } else if let Some((_, last)) = h.rsplit_once('-') {
            last
        } else {
            h
        };
        if last != h {
            if let Some(&i) = self.names.get(&name_key(last)) {
                return Role::Field(i, Strength::Path);
            }
        }
        for text in [h, last] {
            if let Some(&i) = self.questions.get(&question_key(text)) {
                return Role::Field(i, Strength::Question);
            }
        }
        Role::Unknown
    }

    /// Whether a row looks like the header row: at least half of its non-empty
    /// cells are recognized. Returns the number of recognized cells (0 = no).
    pub(crate) fn header_score<S: AsRef<str>>(&self, cells: &[S]) -> usize {
        let mut non_empty = 0;
        let mut recognized = 0;
        for c in cells {
            match self.classify(c.as_ref()) {
                Role::Empty => {}
                r => {
                    non_empty += 1;
                    if r.recognized() {
                        recognized += 1;
                    }
                }
            }
        }
        if recognized > 0 && recognized * 2 >= non_empty {
            recognized
        } else {
            0
        }
    }
}

/// How many rows at the top of a file are searched for the header.
pub(crate) const HEADER_SEARCH_ROWS: usize = 20;

/// Index of the header among the first rows: the first one where at least
/// half the cells are known column names; failing that (a form with many
/// questions the rules don't use), the one naming the most declared fields,
/// if it names at least two; `None` when no row looks like a header.
pub(crate) fn find_header<S: AsRef<str>>(
    matcher: &HeaderMatcher,
    rows: &[Vec<S>],
) -> Option<usize> {
    if let Some(h) = rows.iter().position(|r| matcher.header_score(r) > 0) {
        return Some(h);
    }
    let fields = |r: &Vec<S>| {
        r.iter()
            .filter(|c| matches!(matcher.classify(c.as_ref()), Role::Field(..)))
            .count()
    };
    let (best, count) = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (i, fields(r)))
        .fold((0, 0), |acc, (i, n)| if n > acc.1 { (i, n) } else { acc });
    let needed = matcher.field_count().min(2);
    (count >= needed && count > 0).then_some(best)
}

/// An HXL hashtag row (`#org`, `#adm1`…) right under a Kobo header.
pub(crate) fn is_hxl_row<'a>(cells: impl IntoIterator<Item = &'a str>) -> bool {
    let mut any = false;
    for c in cells {
        let c = c.trim();
        if c.is_empty() {
            continue;
        }
        if !c.starts_with('#') {
            return false;
        }
        any = true;
    }
    any
}

/// The result of matching a header row against the schema.
#[derive(Debug)]
pub(crate) struct ColumnMap {
    /// For each column of the file, the field it holds.
    pub columns: Vec<Option<usize>>,
    /// The headers as written in the file.
    pub headers: Vec<String>,
    pub warnings: Vec<String>,
    pub ignored: Vec<String>,
    /// A multiple-choice `texto` field exported only as one 1/0 column per
    /// option (`apoyos/credito`…): those columns, in file order.
    pub options: Vec<OptionColumn>,
}

/// A column `field/option` that says, with 1 or 0, whether the option was
/// chosen; the field's value is the chosen options, separated by spaces.
#[derive(Debug, Clone)]
pub(crate) struct OptionColumn {
    pub column: usize,
    pub field: usize,
    pub option: String,
}

impl ColumnMap {
    /// No columns: a placeholder until the header is read.
    pub(crate) fn empty() -> ColumnMap {
        ColumnMap {
            columns: Vec::new(),
            headers: Vec::new(),
            warnings: Vec::new(),
            ignored: Vec::new(),
            options: Vec::new(),
        }
    }
}

pub(crate) fn map_columns(
    matcher: &HeaderMatcher,
    schema: &Schema,
    headers: Vec<String>,
    path: &Path,
    missing_as_blank: bool,
) -> Result<ColumnMap, DataFileError> {
    let roles: Vec<Role> = headers.iter().map(|h| matcher.classify(h)).collect();
    let mut columns = vec![None; headers.len()];
    let mut warnings = Vec::new();
    let mut missing = Vec::new();
    let mut options = Vec::new();
    for (f, spec) in schema.fields.iter().enumerate() {
        if let Some(chosen) = field_column(f, spec, &headers, &roles, path, &mut warnings)? {
            columns[chosen] = Some(f);
            continue;
        }
        let option_columns = option_columns(f, &headers, &roles);
        if spec.ty == FieldType::Text && !option_columns.is_empty() {
            options.extend(option_columns);
            continue;
        }
        missing.push(MissingColumn {
            field: spec.name.clone(),
            similar: similar_columns(spec, &headers, &roles),
        });
    }
    if !missing.is_empty() && missing_as_blank {
        let names: Vec<&str> = missing.iter().map(|m| m.field.as_str()).collect();
        warnings.push(format!(
            "{} {} en el archivo: se toma{} como sin dato en todas las filas \
             (--columnas-faltantes-sin-dato)",
            if missing.len() == 1 {
                "no está la columna"
            } else {
                "no están las columnas"
            },
            backquoted_list(&names, 50),
            if missing.len() == 1 { "" } else { "n" },
        ));
        missing.clear();
    }
    if !missing.is_empty() {
        let unknown: Vec<&str> = roles
            .iter()
            .zip(&headers)
            .filter(|(r, _)| **r == Role::Unknown)
            .map(|(_, h)| h.as_str())
            .collect();
        return Err(DataFileError::missing_columns(path, missing, &unknown));
    }
    warnings.extend(unknown_columns_warning(&headers, &roles));
    let ignored = roles
        .iter()
        .enumerate()
        .zip(&headers)
        .filter(|((c, r), _)| {
            matches!(r, Role::Metadata | Role::ChoiceOption(_))
                && !options.iter().any(|o: &OptionColumn| o.column == *c)
        })
        .map(|(_, h)| h.clone())
        .collect();
    Ok(ColumnMap {
        columns,
        headers,
        warnings,
        ignored,
        options,
    })
}

/// The column of field `f`: the one that matches it best (None when none
/// does). Two equally good are an error; weaker ones are ignored, with a
/// warning.
fn field_column(
    f: usize,
    spec: &FieldSpec,
    headers: &[String],
    roles: &[Role],
    path: &Path,
    warnings: &mut Vec<String>,
) -> Result<Option<usize>, DataFileError> {
    let candidates: Vec<(usize, Strength)> = roles
        .iter()
        .enumerate()
        .filter_map(|(c, r)| match r {
            Role::Field(i, s) if *i == f => Some((c, *s)),
            _ => None,
        })
        .collect();
    let Some(best) = candidates.iter().map(|(_, s)| *s).max() else {
        return Ok(None);
    };
    let strongest: Vec<usize> = candidates
        .iter()
        .filter(|(_, s)| *s == best)
        .map(|(c, _)| *c)
        .collect();
    if strongest.len() > 1 {
        let cols: Vec<&str> = strongest.iter().map(|&c| headers[c].as_str()).collect();
        return Err(DataFileError::RepeatedColumn {
            path: path.display().to_string(),
            field: spec.name.clone(),
            columns: backquoted_list(&cols, 10),
        });
    }
    let chosen = strongest[0];
    for (c, _) in candidates.iter().filter(|(c, _)| *c != chosen) {
        warnings.push(format!(
            "la columna `{}` también parece ser el campo `{}`; se usa la columna `{}` y esta se ignora",
            headers[*c], spec.name, headers[chosen]
        ));
    }
    Ok(Some(chosen))
}

/// The warning for the columns that match no field, if there are any.
fn unknown_columns_warning(headers: &[String], roles: &[Role]) -> Option<String> {
    let unknown: Vec<&str> = roles
        .iter()
        .zip(headers)
        .filter(|(r, _)| **r == Role::Unknown)
        .map(|(_, h)| h.trim())
        .collect();
    if unknown.is_empty() {
        return None;
    }
    let (word, verb, ignored) = if unknown.len() == 1 {
        ("columna", "no corresponde", "se ignora")
    } else {
        ("columnas", "no corresponden", "se ignoran")
    };
    Some(format!(
        "{} {word} {verb} a ningún campo declarado y {ignored}: {}",
        unknown.len(),
        backquoted_list(&unknown, 20)
    ))
}

/// The `field/option` columns of field `f`, in file order.
fn option_columns(f: usize, headers: &[String], roles: &[Role]) -> Vec<OptionColumn> {
    roles
        .iter()
        .zip(headers)
        .enumerate()
        .filter(|(_, (r, _))| **r == Role::ChoiceOption(f))
        .filter_map(|(c, (_, h))| {
            let option = h.trim().rsplit('/').next()?.trim();
            (!option.is_empty()).then(|| OptionColumn {
                column: c,
                field: f,
                option: option.to_string(),
            })
        })
        .collect()
}

/// Unrecognized columns of the file that look like a missing field, best first.
fn similar_columns(
    spec: &super::schema::FieldSpec,
    headers: &[String],
    roles: &[Role],
) -> Vec<String> {
    let keys: Vec<String> = std::iter::once(&spec.name)
        .chain(&spec.aliases)
        .map(|n| name_key(n))
        .collect();
    let mut scored: Vec<(f64, &String)> = headers
        .iter()
        .zip(roles)
        .filter(|(_, r)| **r == Role::Unknown)
        .filter_map(|(h, _)| {
            let last = h.rsplit(['/', '-']).next().unwrap_or(h);
            let hk = [name_key(h), name_key(last)];
            keys.iter()
                .flat_map(|k| hk.iter().filter_map(move |x| similarity(k, x)))
                .max_by(f64::total_cmp)
                .map(|s| (s, h))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, h)| h.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::schema::{FieldSpec, FieldType};

    fn schema() -> Schema {
        let f = |name: &str, aliases: &[&str], question: Option<&str>| FieldSpec {
            name: name.into(),
            ty: FieldType::Text,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            question: question.map(Into::into),
            at_most_field: None,
            category_labels: Vec::new(),
        };
        Schema {
            fields: vec![
                f("codigo", &[], None),
                f("socios_total", &["total_socios"], None),
                f("nit", &[], Some("¿Tiene NIT?")),
                f("lista_socios", &[], None),
            ],
        }
    }

    #[test]
    fn classify_headers() {
        let m = HeaderMatcher::new(&schema());
        assert_eq!(m.classify("Código"), Role::Field(0, Strength::Exact));
        assert_eq!(
            m.classify(" TOTAL SOCIOS "),
            Role::Field(1, Strength::Exact)
        );
        assert_eq!(m.classify("gobernanza/nit"), Role::Field(2, Strength::Path));
        assert_eq!(m.classify("gobernanza-nit"), Role::Field(2, Strength::Path));
        assert_eq!(
            m.classify("Legal/¿Tiene NIT?"),
            Role::Field(2, Strength::Question)
        );
        assert!(matches!(
            m.classify("lista_socios/basica"),
            Role::ChoiceOption(_)
        ));
        assert_eq!(m.classify("_uuid"), Role::Metadata);
        assert_eq!(m.classify("meta/instanceID"), Role::Metadata);
        assert_eq!(m.classify("meta-instanceID"), Role::Metadata);
        assert_eq!(m.classify("start"), Role::Metadata);
        assert_eq!(m.classify("observaciones"), Role::Unknown);
        assert_eq!(m.classify("  "), Role::Empty);
    }

    #[test]
    fn header_detection() {
        let m = HeaderMatcher::new(&schema());
        let rows = vec![
            vec!["Caracterización 2024", "", ""],
            vec!["codigo", "nit", "otra"],
        ];
        assert_eq!(find_header(&m, &rows), Some(1));
        // Many questions the rules don't use: the row naming fields wins.
        let rows = vec![
            vec!["Título", "", "", "", "", ""],
            vec!["codigo", "nit", "p1", "p2", "p3", "p4"],
        ];
        assert_eq!(find_header(&m, &rows), Some(1));
        let rows = vec![vec!["A01", "x", "y"], vec!["codigo", "a", "b"]];
        assert_eq!(find_header(&m, &rows), None);
        assert!(is_hxl_row(["#org", "", "#indicator"]));
        assert!(!is_hxl_row(["#org", "x"]));
        assert!(!is_hxl_row(["", ""]));
    }
}
