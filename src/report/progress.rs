//! Baseline vs follow-up: two evaluations of the same organizations,
//! matched by `codigo`. Pure data: the transition matrix, who moved up,
//! stayed or moved down, the share of organizations at the bottom level that
//! reached the next one, criteria gained and lost, and who is in only one
//! file. Two different rule files make the comparison meaningless: that is
//! recorded in `comparables` and `advertencias`.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{titulo_desglose, Etiqueta, Informe, Perfil, DESGLOSES};
use crate::provenance::ArchivoHuella;
use crate::text::percent;

/// The state of an organization in one evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Estado {
    Nivel(String),
    /// Evaluated, but no level could be decided for lack of data.
    SinNivel,
    /// Its row was rejected for data errors.
    Rechazada,
}

impl Estado {
    /// As shown in tables: the level id, `sin nivel` or `rechazada`.
    pub fn texto(&self) -> &str {
        match self {
            Estado::Nivel(n) => n,
            Estado::SinNivel => "sin nivel",
            Estado::Rechazada => "rechazada",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cambio {
    Sube,
    SeMantiene,
    Baja,
    /// One of the two has no level (undecided or rejected).
    SinComparar,
}

impl Cambio {
    pub fn texto(self) -> &'static str {
        match self {
            Cambio::Sube => "sube",
            Cambio::SeMantiene => "se mantiene",
            Cambio::Baja => "baja",
            Cambio::SinComparar => "sin comparar",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Avance {
    /// False when the two evaluations used different rule files: the levels
    /// are then not comparable.
    pub comparables: bool,
    /// Spanish sentences to show prominently in every output (a warning
    /// may have several lines, separated by `\n`).
    pub advertencias: Vec<String>,
    pub linea_base: Corte,
    pub seguimiento: Corte,
    /// Row and column labels of `matriz`: the levels (highest first), then
    /// `sin nivel` and `rechazada`.
    pub estados: Vec<String>,
    /// `matriz[i][j]`: organizations in state `i` at baseline and `j` at follow-up.
    pub matriz: Vec<Vec<usize>>,
    /// Organizations present in both files, by what happened to their level.
    #[serde(flatten)]
    pub conteos: Conteos,
    /// `suben`, `se_mantienen`, `bajan` and `sin_comparar` as percentages
    /// of `en_ambos` (the logframe indicator: "% que subieron").
    pub porcentajes: Porcentajes,
    /// The same counts per region, rubro and legal form (the value at
    /// follow-up, else at baseline).
    pub desgloses: Vec<DesgloseAvance>,
    pub meta: Meta,
    /// Organizations in both files, in baseline order.
    pub organizaciones: Vec<CambioOrganizacion>,
    pub solo_linea_base: Vec<Presencia>,
    pub solo_seguimiento: Vec<Presencia>,
    /// Rows without a code (they cannot be matched), per file.
    pub sin_codigo_linea_base: usize,
    pub sin_codigo_seguimiento: usize,
    /// Titles of the criteria named in `ganados` / `perdidos`.
    pub criterios: Vec<NombreCriterio>,
    /// What a person reads for each of `estados`: a level's title (from
    /// the baseline's rules, else the follow-up's), `sin nivel`, `rechazada`.
    #[serde(skip)]
    pub titulos: Vec<String>,
}

impl Avance {
    /// A criterion's title (its id when the rules have no such criterion).
    pub fn titulo_criterio<'a>(&'a self, id: &'a str) -> &'a str {
        self.criterios
            .iter()
            .find(|c| c.id == id && !c.titulo.is_empty())
            .map_or(id, |c| c.titulo.as_str())
    }

    /// The title of a state (a level id, `sin nivel` or `rechazada`).
    pub fn titulo<'a>(&'a self, estado: &'a str) -> &'a str {
        self.estados
            .iter()
            .position(|e| e == estado)
            .and_then(|i| self.titulos.get(i))
            .map_or(estado, String::as_str)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Porcentajes {
    pub suben: Option<f64>,
    pub se_mantienen: Option<f64>,
    pub bajan: Option<f64>,
    pub sin_comparar: Option<f64>,
}

impl Porcentajes {
    fn of(c: &Conteos) -> Porcentajes {
        Porcentajes {
            suben: percent(c.suben, c.en_ambos),
            se_mantienen: percent(c.se_mantienen, c.en_ambos),
            bajan: percent(c.bajan, c.en_ambos),
            sin_comparar: percent(c.sin_comparar, c.en_ambos),
        }
    }
}

/// Organizations in both files by what happened to their level.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Conteos {
    pub en_ambos: usize,
    pub suben: usize,
    pub se_mantienen: usize,
    pub bajan: usize,
    pub sin_comparar: usize,
}

impl Conteos {
    /// `suben`, `se_mantienen`, `bajan` and `sin_comparar`, each with its
    /// share of `en_ambos`: what every medium shows, in that order.
    pub fn con_porcentajes(&self, p: &Porcentajes) -> [(usize, Option<f64>); 4] {
        [
            (self.suben, p.suben),
            (self.se_mantienen, p.se_mantienen),
            (self.bajan, p.bajan),
            (self.sin_comparar, p.sin_comparar),
        ]
    }

    fn add(&mut self, c: Cambio) {
        self.en_ambos += 1;
        match c {
            Cambio::Sube => self.suben += 1,
            Cambio::SeMantiene => self.se_mantienen += 1,
            Cambio::Baja => self.bajan += 1,
            Cambio::SinComparar => self.sin_comparar += 1,
        }
    }
}

/// The progress per value of one breakdown field.
#[derive(Debug, Clone, Serialize)]
pub struct DesgloseAvance {
    pub campo: String,
    pub titulo: String,
    pub filas: Vec<FilaAvance>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FilaAvance {
    /// None: a blank cell (or a rejected row in both files).
    pub valor: Option<String>,
    #[serde(flatten)]
    pub conteos: Conteos,
    pub porcentajes: Porcentajes,
}

impl FilaAvance {
    fn new(valor: Option<String>) -> FilaAvance {
        FilaAvance {
            valor,
            conteos: Conteos::default(),
            porcentajes: Porcentajes::default(),
        }
    }
}

/// Percent of each row of a transition matrix (None for an empty row).
pub fn row_shares(matriz: &[Vec<usize>]) -> Vec<Vec<Option<f64>>> {
    matriz
        .iter()
        .map(|row| {
            let total: usize = row.iter().sum();
            row.iter().map(|n| percent(*n, total)).collect()
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Corte {
    /// The rule file, then the files it is based on.
    pub reglas: Vec<ArchivoHuella>,
    pub datos: ArchivoHuella,
    pub organizaciones: usize,
    /// Organizations per level, same order as the levels in `estados`.
    pub por_estado: Vec<usize>,
}

/// The project goal: organizations at the bottom level at baseline that
/// reached the next level or above.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// The bottom level (`embrionaria`).
    pub desde: Option<String>,
    /// The level just above it (`en_proceso`).
    pub hasta: Option<String>,
    /// At the bottom level at baseline and present at follow-up.
    pub en_linea_base: usize,
    pub alcanzaron: usize,
    pub proporcion: Option<f64>,
    /// At the bottom level at baseline but missing from the follow-up.
    pub sin_seguimiento: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CambioOrganizacion {
    pub codigo: String,
    pub nombre: Option<String>,
    pub linea_base: Estado,
    pub seguimiento: Estado,
    pub provisional_linea_base: bool,
    pub provisional_seguimiento: bool,
    pub cambio: Cambio,
    /// Criteria met at follow-up and not at baseline.
    pub ganados: Vec<String>,
    /// Criteria met at baseline and not at follow-up.
    pub perdidos: Vec<String>,
    /// Its region, rubro and legal form (follow-up's, else baseline's).
    #[serde(skip)]
    pub etiquetas: Vec<Etiqueta>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Presencia {
    pub codigo: String,
    pub nombre: Option<String>,
    pub estado: Estado,
}

#[derive(Debug, Clone, Serialize)]
pub struct NombreCriterio {
    pub id: String,
    pub titulo: String,
}

struct Entrada<'a> {
    codigo: String,
    nombre: Option<String>,
    estado: Estado,
    perfil: Option<&'a Perfil>,
}

/// The organizations of one evaluation, keyed by code, in file order. When
/// a code repeats, the first evaluated row wins (the readers reject repeats).
fn entradas(inf: &Informe) -> (Vec<Entrada<'_>>, usize) {
    let mut out: Vec<Entrada> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut sin_codigo = 0;
    let mut items: Vec<(usize, Entrada)> = Vec::new();
    for p in &inf.perfiles {
        let estado = match &p.nivel {
            Some(n) => Estado::Nivel(n.clone()),
            None => Estado::SinNivel,
        };
        items.push((
            p.fila,
            Entrada {
                codigo: p.codigo.clone().unwrap_or_default(),
                nombre: p.nombre.clone(),
                estado,
                perfil: Some(p),
            },
        ));
    }
    for r in &inf.resumen.rechazos {
        items.push((
            r.fila,
            Entrada {
                codigo: r.codigo.clone().unwrap_or_default(),
                nombre: r.nombre.clone(),
                estado: Estado::Rechazada,
                perfil: None,
            },
        ));
    }
    items.sort_by_key(|(fila, _)| *fila);
    for (_, mut e) in items {
        e.codigo = e.codigo.trim().to_string();
        if e.codigo.is_empty() {
            sin_codigo += 1;
            continue;
        }
        match seen.get(&e.codigo) {
            Some(&i) => {
                if out[i].estado == Estado::Rechazada && e.estado != Estado::Rechazada {
                    out[i] = e;
                }
            }
            None => {
                seen.insert(e.codigo.clone(), out.len());
                out.push(e);
            }
        }
    }
    (out, sin_codigo)
}

/// Compares a baseline with a follow-up evaluation.
pub fn comparar(base: &Informe, seg: &Informe) -> Avance {
    let states = States::of(base, seg);
    let (b, sin_codigo_linea_base) = entradas(base);
    let (s, sin_codigo_seguimiento) = entradas(seg);
    let organizaciones = pair_up(&b, &s, &states, base, seg);
    let solo_linea_base = only_in(&b, &s);
    let solo_seguimiento = only_in(&s, &b);
    let meta = meta(base, &states, &organizaciones, &solo_linea_base);
    let linea_base = corte(base, &b, &states);
    let seguimiento = corte(seg, &s, &states);
    let (comparables, advertencias) = advertencias(
        &linea_base.reglas,
        &seguimiento.reglas,
        &linea_base.datos,
        &seguimiento.datos,
    );
    let mut total = Conteos::default();
    for o in &organizaciones {
        total.add(o.cambio);
    }
    Avance {
        comparables,
        advertencias,
        estados: states.labels(),
        titulos: states.titles(base, seg),
        matriz: states.matrix(&organizaciones),
        porcentajes: Porcentajes::of(&total),
        conteos: total,
        desgloses: breakdowns(base, seg, &organizaciones),
        criterios: criterion_names(&organizaciones, base, seg),
        linea_base,
        seguimiento,
        meta,
        organizaciones,
        solo_linea_base,
        solo_seguimiento,
        sin_codigo_linea_base,
        sin_codigo_seguimiento,
    }
}

/// The rows and columns of the transition matrix: the levels (the
/// baseline's ladder, then any level only the follow-up has), then
/// `sin nivel` and `rechazada`.
struct States {
    levels: Vec<String>,
}

impl States {
    fn of(base: &Informe, seg: &Informe) -> States {
        let mut levels: Vec<String> = base.resumen.niveles.iter().map(|l| l.id.clone()).collect();
        for l in &seg.resumen.niveles {
            if !levels.contains(&l.id) {
                levels.push(l.id.clone());
            }
        }
        States { levels }
    }

    fn titles(&self, base: &Informe, seg: &Informe) -> Vec<String> {
        self.labels()
            .iter()
            .map(|id| {
                base.resumen
                    .niveles
                    .iter()
                    .chain(&seg.resumen.niveles)
                    .find(|l| &l.id == id)
                    .map_or_else(|| id.clone(), |l| l.titulo.clone())
            })
            .collect()
    }

    fn labels(&self) -> Vec<String> {
        let mut estados = self.levels.clone();
        estados.push("sin nivel".to_string());
        estados.push("rechazada".to_string());
        estados
    }

    fn len(&self) -> usize {
        self.levels.len() + 2
    }

    fn index(&self, e: &Estado) -> usize {
        let levels = &self.levels;
        match e {
            Estado::Nivel(n) => levels.iter().position(|l| l == n).unwrap_or(levels.len()),
            Estado::SinNivel => levels.len(),
            Estado::Rechazada => levels.len() + 1,
        }
    }

    /// `matriz[i][j]`: organizations in state `i` at baseline and `j` at follow-up.
    fn matrix(&self, orgs: &[CambioOrganizacion]) -> Vec<Vec<usize>> {
        let mut matriz = vec![vec![0usize; self.len()]; self.len()];
        for o in orgs {
            matriz[self.index(&o.linea_base)][self.index(&o.seguimiento)] += 1;
        }
        matriz
    }

    /// Organizations per state.
    fn tally(&self, entries: &[Entrada]) -> Vec<usize> {
        let mut v = vec![0; self.len()];
        for e in entries {
            v[self.index(&e.estado)] += 1;
        }
        v
    }
}

/// One evaluation's side of the comparison.
fn corte(inf: &Informe, entries: &[Entrada], states: &States) -> Corte {
    Corte {
        reglas: inf.auditoria.reglas.clone(),
        datos: inf.auditoria.datos.first().cloned().unwrap_or_default(),
        organizaciones: entries.len(),
        por_estado: states.tally(entries),
    }
}

/// The organizations present in both evaluations, in baseline order.
fn pair_up(
    b: &[Entrada],
    s: &[Entrada],
    states: &States,
    base: &Informe,
    seg: &Informe,
) -> Vec<CambioOrganizacion> {
    let s_by_code: HashMap<&str, &Entrada> = s.iter().map(|e| (e.codigo.as_str(), e)).collect();
    b.iter()
        .filter_map(|eb| {
            let es = s_by_code.get(eb.codigo.as_str())?;
            let (ganados, perdidos) = criteria_change(eb, es, base, seg);
            Some(CambioOrganizacion {
                codigo: eb.codigo.clone(),
                nombre: es.nombre.clone().or_else(|| eb.nombre.clone()),
                linea_base: eb.estado.clone(),
                seguimiento: es.estado.clone(),
                provisional_linea_base: eb.perfil.is_some_and(|p| p.provisional),
                provisional_seguimiento: es.perfil.is_some_and(|p| p.provisional),
                cambio: cambio(states, &eb.estado, &es.estado),
                ganados,
                perdidos,
                etiquetas: es
                    .perfil
                    .or(eb.perfil)
                    .map(|p| p.etiquetas.clone())
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// The counts per value of each breakdown field: values in the order of
/// the baseline's summary (declared categories first), then the follow-up's.
fn breakdowns(base: &Informe, seg: &Informe, orgs: &[CambioOrganizacion]) -> Vec<DesgloseAvance> {
    let present = |campo: &str| {
        base.resumen
            .desgloses
            .iter()
            .chain(&seg.resumen.desgloses)
            .any(|d| d.campo == campo)
    };
    DESGLOSES
        .iter()
        .filter(|(campo, _)| present(campo))
        .map(|(campo, _)| {
            let mut filas: Vec<FilaAvance> = Vec::new();
            for d in base.resumen.desgloses.iter().chain(&seg.resumen.desgloses) {
                for f in d.filas.iter().filter(|_| d.campo == *campo) {
                    if !filas.iter().any(|x| x.valor == f.valor) {
                        filas.push(FilaAvance::new(f.valor.clone()));
                    }
                }
            }
            for o in orgs {
                let valor = o
                    .etiquetas
                    .iter()
                    .find(|e| e.campo == *campo)
                    .and_then(|e| e.valor.clone());
                let i = match filas.iter().position(|f| f.valor == valor) {
                    Some(i) => i,
                    None => {
                        filas.push(FilaAvance::new(valor));
                        filas.len() - 1
                    }
                };
                filas[i].conteos.add(o.cambio);
            }
            filas.retain(|f| f.conteos.en_ambos > 0);
            for f in &mut filas {
                f.porcentajes = Porcentajes::of(&f.conteos);
            }
            DesgloseAvance {
                campo: (*campo).to_string(),
                titulo: titulo_desglose(campo).to_string(),
                filas,
            }
        })
        .collect()
}

/// Up means a lower index: the levels go highest first.
fn cambio(states: &States, b: &Estado, s: &Estado) -> Cambio {
    let (ib, is) = (states.index(b), states.index(s));
    match (b, s) {
        (Estado::Nivel(_), Estado::Nivel(_)) if is < ib => Cambio::Sube,
        (Estado::Nivel(_), Estado::Nivel(_)) if is > ib => Cambio::Baja,
        (Estado::Nivel(_), Estado::Nivel(_)) => Cambio::SeMantiene,
        _ => Cambio::SinComparar,
    }
}

/// Criteria met at follow-up and not at baseline (`ganados`), and the
/// reverse (`perdidos`). Only meaningful when both were evaluated, and only
/// for criteria both rule files have (a criterion a variant removes is not "lost").
fn criteria_change(
    eb: &Entrada,
    es: &Entrada,
    base: &Informe,
    seg: &Informe,
) -> (Vec<String>, Vec<String>) {
    let (Some(pb), Some(ps)) = (eb.perfil, es.perfil) else {
        return (Vec::new(), Vec::new());
    };
    let (met_b, met_s) = (met(pb, base), met(ps, seg));
    let ganados = met_s
        .iter()
        .filter(|c| !met_b.contains(c) && has_criterion(base, c))
        .cloned()
        .collect();
    let perdidos = met_b
        .iter()
        .filter(|c| !met_s.contains(c) && has_criterion(seg, c))
        .cloned()
        .collect();
    (ganados, perdidos)
}

/// The ids of the criteria an organization meets.
fn met(p: &Perfil, inf: &Informe) -> Vec<String> {
    p.cumplidos
        .iter()
        .filter_map(|&i| inf.resumen.criterios.get(i as usize))
        .map(|c| c.id.clone())
        .collect()
}

fn has_criterion(inf: &Informe, id: &str) -> bool {
    inf.resumen.criterios.iter().any(|c| c.id == id)
}

/// The organizations of `these` whose code is not in `others`.
fn only_in(these: &[Entrada], others: &[Entrada]) -> Vec<Presencia> {
    let codes: HashSet<&str> = others.iter().map(|e| e.codigo.as_str()).collect();
    these
        .iter()
        .filter(|e| !codes.contains(e.codigo.as_str()))
        .map(|e| Presencia {
            codigo: e.codigo.clone(),
            nombre: e.nombre.clone(),
            estado: e.estado.clone(),
        })
        .collect()
}

/// The project goal, counted over the organizations at the bottom level at
/// baseline.
fn meta(
    base: &Informe,
    states: &States,
    orgs: &[CambioOrganizacion],
    solo_linea_base: &[Presencia],
) -> Meta {
    let niveles = &base.resumen.niveles;
    let desde = niveles.last().map(|l| l.id.clone());
    let hasta = niveles
        .len()
        .checked_sub(2)
        .and_then(|i| niveles.get(i))
        .map(|l| l.id.clone());
    let at_bottom = |e: &Estado| matches!(e, Estado::Nivel(l) if Some(l) == desde.as_ref());
    let bottom_index = desde
        .as_ref()
        .map(|l| states.index(&Estado::Nivel(l.clone())));
    let from_bottom: Vec<&CambioOrganizacion> =
        orgs.iter().filter(|o| at_bottom(&o.linea_base)).collect();
    let alcanzaron = from_bottom
        .iter()
        .filter(|o| {
            matches!(o.seguimiento, Estado::Nivel(_))
                && bottom_index.is_some_and(|bi| states.index(&o.seguimiento) < bi)
        })
        .count();
    let sin_seguimiento = solo_linea_base
        .iter()
        .filter(|p| at_bottom(&p.estado))
        .count();
    Meta {
        en_linea_base: from_bottom.len(),
        alcanzaron,
        proporcion: percent(alcanzaron, from_bottom.len()),
        sin_seguimiento,
        desde,
        hasta,
    }
}

/// The titles of the criteria gained or lost, in order of first mention.
fn criterion_names(
    orgs: &[CambioOrganizacion],
    base: &Informe,
    seg: &Informe,
) -> Vec<NombreCriterio> {
    let mut named: Vec<&String> = Vec::new();
    for c in orgs
        .iter()
        .flat_map(|o| o.ganados.iter().chain(&o.perdidos))
    {
        if !named.contains(&c) {
            named.push(c);
        }
    }
    named
        .into_iter()
        .map(|id| {
            let titulo = base
                .resumen
                .criterios
                .iter()
                .chain(&seg.resumen.criterios)
                .find(|c| &c.id == id)
                .map(|c| c.titulo.clone())
                .unwrap_or_default();
            NombreCriterio {
                id: id.clone(),
                titulo,
            }
        })
        .collect()
}

/// Whether the two evaluations can be compared, and the warnings to show.
/// The rules are the same when every file (the rule file and the files it is
/// based on) has the same SHA-256, in the same order.
fn advertencias(
    rules_b: &[ArchivoHuella],
    rules_s: &[ArchivoHuella],
    db: &ArchivoHuella,
    ds: &ArchivoHuella,
) -> (bool, Vec<String>) {
    let mut out = Vec::new();
    let none = ArchivoHuella::default();
    let rb = rules_b.first().unwrap_or(&none);
    let rs = rules_s.first().unwrap_or(&none);
    let same_header = rb.titulo == rs.titulo && rb.version == rs.version;
    let hashes = |v: &[ArchivoHuella]| {
        v.iter()
            .map(|f| f.sha256.clone())
            .collect::<Option<Vec<String>>>()
    };
    let same_bytes = match (hashes(rules_b), hashes(rules_s)) {
        (Some(a), Some(b)) => !a.is_empty() && a == b,
        _ => false,
    };
    let comparables = same_bytes;
    if !same_bytes {
        let short = |h: &Option<String>| {
            h.as_deref()
                .map(|h| h.chars().take(12).collect::<String>())
                .unwrap_or_else(|| "desconocido".into())
        };
        let why = if same_header {
            "declaran el mismo título y versión, pero su contenido es distinto"
        } else {
            "tienen distinto título o versión"
        };
        out.push(format!(
            "RESULTADOS NO COMPARABLES: la línea base y el seguimiento se evaluaron con reglas distintas ({why}).\n\
             Línea base:  {} ({}, SHA-256 {}…)\n\
             Seguimiento: {} ({}, SHA-256 {}…)\n\
             Un cambio de nivel puede deberse al cambio de reglas y no a la organización: \
             evalúe los dos archivos con las mismas reglas para medir el avance.",
            rb.nombre_reglas(),
            rb.archivo,
            short(&rb.sha256),
            rs.nombre_reglas(),
            rs.archivo,
            short(&rs.sha256),
        ));
    }
    if db.sha256.is_some() && db.sha256 == ds.sha256 {
        out.push(format!(
            "La línea base y el seguimiento son el mismo archivo de datos ({} y {}): no puede haber avance.",
            db.archivo, ds.archivo
        ));
    }
    (comparables, out)
}
