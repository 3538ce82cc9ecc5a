//! Impact of a rule change: the same data evaluated with two versions of the
//! rules, organization by organization. It lists the organizations whose
//! level changed and, apart, those whose criteria changed at the same level;
//! for each, the criteria whose result changed and, for each criterion, what
//! in the rules caused it: a changed parameter it depends on, or its own
//! condition.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::data::Row;
use crate::eval::{Evaluator, Resultado, Tri};
use crate::program::{Constant, Program};

/// What a person reads for the names a comparison uses: each title from
/// the revised rules, else from the current ones (a level, criterion or
/// parameter may exist in only one of them).
pub struct Titles<'a> {
    after: &'a Program,
    before: &'a Program,
}

/// The titles of the criteria and parameters a comparison names, for a
/// page that shows it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TitulosComparacion {
    pub niveles: BTreeMap<String, String>,
    pub criterios: BTreeMap<String, String>,
    pub parametros: BTreeMap<String, String>,
}

impl<'a> Titles<'a> {
    pub fn new(before: &'a Program, after: &'a Program) -> Titles<'a> {
        Titles { after, before }
    }

    fn both(&self) -> [&'a Program; 2] {
        [self.after, self.before]
    }

    fn level_title(&self, id: &str) -> Option<&'a str> {
        self.both()
            .into_iter()
            .find_map(|p| p.levels.iter().find(|l| l.name == id))
            .map(|l| l.title.as_str())
    }

    fn criterion_title(&self, id: &str) -> Option<&'a str> {
        self.both()
            .into_iter()
            .find_map(|p| p.criteria.iter().find(|c| c.name == id))
            .map(|c| c.title.as_str())
    }

    fn param_title(&self, name: &str) -> Option<&'a str> {
        self.both()
            .into_iter()
            .find_map(|p| p.params.iter().find(|x| x.name == name))
            .and_then(|x| x.title.as_deref())
    }

    /// «Título» of a level; `sin nivel` for none.
    pub fn level(&self, id: Option<&str>) -> String {
        match id {
            None => "sin nivel".to_string(),
            Some(id) => self
                .level_title(id)
                .map_or_else(|| id.to_string(), |t| format!("«{t}»")),
        }
    }

    /// «Título» (id) of a criterion: the id is what the rule file says.
    pub fn criterion(&self, id: &str) -> String {
        self.criterion_title(id)
            .map_or_else(|| id.to_string(), |t| format!("«{t}» ({id})"))
    }

    /// A parameter with its title, when it has one.
    pub fn param(&self, name: &str) -> String {
        self.param_title(name)
            .map_or_else(|| name.to_string(), |t| format!("«{t}» ({name})"))
    }

    /// The titles of every level, criterion and parameter `c` names.
    pub fn of(&self, c: &Comparison) -> TitulosComparacion {
        let mut t = TitulosComparacion::default();
        let changes = c.cambios.iter().chain(&c.cambios_de_criterios);
        let levels = changes
            .clone()
            .flat_map(|ch| [&ch.antes, &ch.despues])
            .flatten()
            .chain(&c.niveles_con_otra_condicion)
            .chain(&c.niveles);
        for id in levels {
            if let Some(title) = self.level_title(id) {
                t.niveles.insert(id.clone(), title.to_string());
            }
        }
        let criteria = changes
            .flat_map(|ch| ch.criterios.iter().map(|k| &k.id))
            .chain(&c.criterios_nuevos)
            .chain(&c.criterios_quitados)
            .chain(&c.criterios_con_otra_condicion);
        for id in criteria {
            if let Some(title) = self.criterion_title(id) {
                t.criterios.insert(id.clone(), title.to_string());
            }
        }
        for p in &c.parametros_cambiados {
            if let Some(title) = self.param_title(&p.nombre) {
                t.parametros.insert(p.nombre.clone(), title.to_string());
            }
        }
        t
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ParamChange {
    pub nombre: String,
    pub antes: Option<String>,
    pub despues: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CriterionChange {
    pub id: String,
    pub antes: Option<Tri>,
    pub despues: Option<Tri>,
    /// Changed parameters this criterion depends on (in either version).
    pub parametros: Vec<String>,
    /// Its condition is written differently in the new version.
    pub condicion_cambiada: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelChange {
    pub codigo: Option<String>,
    pub nombre: Option<String>,
    pub fila: usize,
    pub antes: Option<String>,
    pub despues: Option<String>,
    /// Criteria whose result differs between the two versions.
    pub criterios: Vec<CriterionChange>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Comparison {
    pub parametros_cambiados: Vec<ParamChange>,
    pub criterios_nuevos: Vec<String>,
    pub criterios_quitados: Vec<String>,
    pub criterios_con_otra_condicion: Vec<String>,
    pub niveles_nuevos: Vec<String>,
    pub niveles_quitados: Vec<String>,
    pub niveles_con_otra_condicion: Vec<String>,
    pub valores_con_otro_calculo: Vec<String>,
    /// Organizations whose level changed.
    pub cambios: Vec<LevelChange>,
    /// Organizations at the same level whose criteria changed result.
    pub cambios_de_criterios: Vec<LevelChange>,
    /// Level ids in ladder order (both versions), then "sin nivel".
    pub niveles: Vec<String>,
    /// Level id (or "sin nivel") → count, before and after.
    pub antes: BTreeMap<String, usize>,
    pub despues: BTreeMap<String, usize>,
    pub evaluadas: usize,
    pub rechazadas: usize,
    /// Criterion → the changed parameters it depends on.
    #[serde(skip)]
    responsables: HashMap<String, Vec<String>>,
}

fn constant_text(k: &Constant) -> String {
    match k {
        Constant::Num(n) => crate::text::number(*n),
        Constant::Bool(b) => if *b { "sí" } else { "no" }.into(),
        Constant::Text(t) => t.to_string(),
        Constant::Cat(c) => c.to_string(),
    }
}

/// What differs between the two rule sets themselves.
pub fn rule_differences(before: &Program, after: &Program) -> Comparison {
    let mut c = Comparison::default();
    let names: std::collections::BTreeSet<&str> = before
        .params
        .iter()
        .chain(after.params.iter())
        .map(|p| p.name.as_str())
        .collect();
    for n in names {
        let show = |p: &crate::program::Param| {
            let t = constant_text(&p.constant);
            if p.ty == crate::program::Ty::Percent {
                format!("{t} %")
            } else {
                t
            }
        };
        let a = before.params.iter().find(|p| p.name == n).map(show);
        let b = after.params.iter().find(|p| p.name == n).map(show);
        if a != b {
            c.parametros_cambiados.push(ParamChange {
                nombre: n.to_string(),
                antes: a,
                despues: b,
            });
        }
    }
    for cr in &after.criteria {
        match before.criteria.iter().find(|x| x.name == cr.name) {
            None => c.criterios_nuevos.push(cr.name.clone()),
            Some(old) if old.condition_text != cr.condition_text => {
                c.criterios_con_otra_condicion.push(cr.name.clone())
            }
            _ => {}
        }
    }
    for cr in &before.criteria {
        if !after.criteria.iter().any(|x| x.name == cr.name) {
            c.criterios_quitados.push(cr.name.clone());
        }
    }
    for l in &after.levels {
        match before.levels.iter().find(|x| x.name == l.name) {
            None => c.niveles_nuevos.push(l.name.clone()),
            Some(old) if old.condition_text != l.condition_text => {
                c.niveles_con_otra_condicion.push(l.name.clone())
            }
            _ => {}
        }
    }
    for l in &before.levels {
        if !after.levels.iter().any(|x| x.name == l.name) {
            c.niveles_quitados.push(l.name.clone());
        }
    }
    for v in &after.values {
        if let Some(old) = before.values.iter().find(|x| x.name == v.name) {
            if old.expr_text != v.expr_text {
                c.valores_con_otro_calculo.push(v.name.clone());
            }
        }
    }
    c.responsables = responsible_params(before, after, &c.parametros_cambiados);
    for l in before.levels.iter().chain(after.levels.iter()) {
        if !c.niveles.contains(&l.name) {
            c.niveles.push(l.name.clone());
        }
    }
    c.niveles.push("sin nivel".into());
    for l in &before.levels {
        c.antes.insert(l.name.clone(), 0);
    }
    for l in &after.levels {
        c.despues.insert(l.name.clone(), 0);
    }
    c
}

/// For each criterion, the changed parameters it depends on in either
/// version, in the order they were listed.
fn responsible_params(
    before: &Program,
    after: &Program,
    changed: &[ParamChange],
) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for p in [before, after] {
        for cr in &p.criteria {
            let names = out.entry(cr.name.clone()).or_default();
            for &i in &cr.params {
                let Some(param) = p.params.get(i) else {
                    continue;
                };
                if changed.iter().any(|x| x.nombre == param.name) && !names.contains(&param.name) {
                    names.push(param.name.clone());
                }
            }
        }
    }
    out
}

/// Compares one organization (the same data row read for each version).
pub fn compare_row(c: &mut Comparison, before: &Evaluator, after: &Evaluator, a: &Row, b: &Row) {
    if !a.errors.is_empty() || !b.errors.is_empty() {
        c.rechazadas += 1;
        return;
    }
    c.evaluadas += 1;
    let ra = before.evaluate(a, true);
    let rb = after.evaluate(b, true);
    let key = |r: &Resultado| r.nivel.clone().unwrap_or_else(|| "sin nivel".into());
    *c.antes.entry(key(&ra)).or_default() += 1;
    *c.despues.entry(key(&rb)).or_default() += 1;
    let mut criterios = changed_criteria(c, &ra, &rb);
    let same_level = ra.nivel == rb.nivel;
    if same_level {
        // A criterion only one version has would list every organization.
        criterios.retain(|x| x.antes.is_some() && x.despues.is_some());
    }
    if same_level && criterios.is_empty() {
        return;
    }
    let change = LevelChange {
        codigo: ra.codigo.clone(),
        nombre: ra.nombre.clone(),
        fila: ra.fila,
        antes: ra.nivel,
        despues: rb.nivel,
        criterios,
    };
    if same_level {
        c.cambios_de_criterios.push(change);
    } else {
        c.cambios.push(change);
    }
}

/// The criteria whose result differs between the two evaluations (a
/// criterion that does not apply counts as met), with what caused it.
fn changed_criteria(c: &Comparison, ra: &Resultado, rb: &Resultado) -> Vec<CriterionChange> {
    let outcome = |r: &Resultado, id: &str| -> Option<Tri> {
        let e = r.explicacion.as_ref()?;
        let x = e.criterios.iter().find(|x| x.id == id)?;
        Some(if x.aplica { x.resultado } else { Tri::Yes })
    };
    let mut ids: Vec<&str> = Vec::new();
    for r in [ra, rb] {
        if let Some(e) = &r.explicacion {
            for x in &e.criterios {
                if !ids.contains(&x.id.as_str()) {
                    ids.push(&x.id);
                }
            }
        }
    }
    ids.into_iter()
        .filter_map(|id| {
            let (x, y) = (outcome(ra, id), outcome(rb, id));
            (x != y).then(|| CriterionChange {
                id: id.to_string(),
                antes: x,
                despues: y,
                parametros: c.responsables.get(id).cloned().unwrap_or_default(),
                condicion_cambiada: c.criterios_con_otra_condicion.iter().any(|n| n == id),
            })
        })
        .collect()
}
