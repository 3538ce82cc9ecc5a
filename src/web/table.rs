//! The table of «Resultados»: an evaluated data file as the page shows it,
//! and one page of it, filtered and sorted here (so 200,000 organizations
//! never reach the browser at once).

use serde::Serialize;

use crate::eval::Rechazo;
use crate::render::results::Totals;

use super::http::query_value;

/// The largest page of the table.
const MAX_PAGE: usize = 500;

/// One organization's line in the table.
#[derive(Debug, Clone, Serialize)]
pub struct OrgRow {
    pub fila: usize,
    pub codigo: Option<String>,
    pub nombre: Option<String>,
    pub nivel: Option<String>,
    pub nivel_titulo: Option<String>,
    /// Position of the level in the ladder (0 = highest), for sorting.
    #[serde(skip)]
    pub orden: usize,
    pub color: String,
    pub provisional: bool,
    /// Criteria that apply and are not met.
    pub no_cumple: usize,
    pub region: Option<String>,
    pub rubro: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct LevelTotal {
    pub id: String,
    pub titulo: String,
    pub color: String,
    pub total: usize,
}

/// An evaluated data file, kept for paging.
#[derive(Debug, Serialize)]
pub struct Evaluation {
    pub id: u64,
    pub reglas: String,
    pub datos: String,
    /// How the data was read: format, separator, encoding, sheet.
    pub lectura: String,
    pub advertencias: Vec<String>,
    pub niveles: Vec<LevelTotal>,
    pub totales: Totals,
    /// The first rejected rows, with their errors.
    pub rechazadas: Vec<Rechazo>,
    pub regiones: Vec<String>,
    pub rubros: Vec<String>,
    #[serde(skip)]
    pub rows: Vec<OrgRow>,
}

/// The different values of a column, sorted.
pub fn distinct(rows: &[OrgRow], get: impl Fn(&OrgRow) -> Option<&str>) -> Vec<String> {
    let set: std::collections::BTreeSet<&str> = rows.iter().filter_map(&get).collect();
    set.into_iter().map(str::to_string).collect()
}

#[derive(Debug, Serialize)]
struct Page<'a> {
    /// Organizations that pass the filters.
    total: usize,
    desde: usize,
    filas: Vec<&'a OrgRow>,
}

/// One page of the table: `desde=0&cuantas=50&orden=nivel&desc=1&nivel=…&region=…&rubro=…&buscar=…`
pub fn page<'a>(evaluation: &'a Evaluation, query: &str) -> impl Serialize + 'a {
    let get = |k: &str| query_value(query, k).filter(|v| !v.is_empty());
    let from: usize = get("desde").and_then(|v| v.parse().ok()).unwrap_or(0);
    let count: usize = get("cuantas")
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
        .min(MAX_PAGE);
    let filter = Filter {
        level: get("nivel"),
        region: get("region"),
        rubro: get("rubro"),
        search: get("buscar").map(|s| crate::text::fold(&s)),
    };
    let mut rows: Vec<&OrgRow> = evaluation.rows.iter().filter(|r| filter.keeps(r)).collect();
    sort(&mut rows, get("orden").as_deref().unwrap_or("fila"));
    if get("desc").as_deref() == Some("1") {
        rows.reverse();
    }
    let total = rows.len();
    let filas = rows.into_iter().skip(from).take(count).collect();
    Page {
        total,
        desde: from,
        filas,
    }
}

struct Filter {
    level: Option<String>,
    region: Option<String>,
    rubro: Option<String>,
    search: Option<String>,
}

impl Filter {
    fn keeps(&self, r: &OrgRow) -> bool {
        let level_ok = match self.level.as_deref() {
            None => true,
            Some("sin_nivel") => r.nivel.is_none(),
            Some(l) => r.nivel.as_deref() == Some(l),
        };
        let same = |want: &Option<String>, have: &Option<String>| {
            want.is_none() || want.as_deref() == have.as_deref()
        };
        let search_ok = self.search.as_deref().is_none_or(|s| {
            [&r.codigo, &r.nombre].iter().any(|v| {
                v.as_deref()
                    .is_some_and(|v| crate::text::fold(v).contains(s))
            })
        });
        level_ok && same(&self.region, &r.region) && same(&self.rubro, &r.rubro) && search_ok
    }
}

/// Sorts by a column; ties keep the file's order (a stable sort).
fn sort(rows: &mut [&OrgRow], by: &str) {
    let text = |v: &Option<String>| v.as_deref().map(crate::text::fold).unwrap_or_default();
    match by {
        "nivel" => rows.sort_by_key(|r| r.orden),
        "codigo" => rows.sort_by_key(|r| text(&r.codigo)),
        "nombre" => rows.sort_by_key(|r| text(&r.nombre)),
        "region" => rows.sort_by_key(|r| text(&r.region)),
        "rubro" => rows.sort_by_key(|r| text(&r.rubro)),
        "no_cumple" => rows.sort_by_key(|r| r.no_cumple),
        "provisional" => rows.sort_by_key(|r| !r.provisional),
        _ => rows.sort_by_key(|r| r.fila),
    }
}
