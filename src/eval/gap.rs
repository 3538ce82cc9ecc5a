//! What an organization lacks to reach the next level up, and whether its
//! result is fragile (one criterion away from changing level).
//!
//! The next level's condition is read as a formula over criteria: a plan is
//! a set of criteria that must become met, plus "any N of these" choices,
//! plus other conditions on the data. The cheapest plan (fewest changes) is
//! reported; `al menos N de` keeps its alternatives instead of picking some.

use std::collections::BTreeSet;

use super::engine::{Evaluator, State};
use super::trace_row::{AnswerChange, FragileIdx, GapPlan};
use super::value::{Tri, V};
use crate::ast::CmpOp;
use crate::data::Value as Cell;
use crate::program::{CExpr, GroupFunc, QuantKind, Ref};
use crate::text::number;

/// At most this many alternative plans are kept while combining.
const KEEP: usize = 4;

#[derive(Debug, Clone, Default, PartialEq)]
struct Plan {
    must: BTreeSet<usize>,
    choose: Vec<(usize, Vec<usize>)>,
    conds: Vec<String>,
}

impl Plan {
    fn cost(&self) -> usize {
        self.must.len() + self.choose.iter().map(|c| c.0).sum::<usize>() + self.conds.len()
    }

    fn and(&self, other: &Plan) -> Plan {
        let mut p = self.clone();
        p.must.extend(other.must.iter().copied());
        p.choose.extend(other.choose.iter().cloned());
        for c in &other.conds {
            if !p.conds.contains(c) {
                p.conds.push(c.clone());
            }
        }
        p
    }
}

fn best(mut plans: Vec<Plan>) -> Vec<Plan> {
    plans.sort_by_key(Plan::cost);
    plans.dedup();
    plans.truncate(KEEP);
    plans
}

impl Evaluator<'_> {
    /// The gap to the level just above `level` (None at the top), by index.
    pub fn gap(&self, st: &State, level: Option<usize>) -> Option<GapPlan> {
        let p = self.program;
        let target = match level {
            Some(0) => return None,
            Some(i) => i - 1,
            // No level decided: nothing sensible to aim at.
            None => return None,
        };
        let cond = p.levels[target].condition.as_ref()?;
        let plan = best(self.plans(cond, st)).into_iter().next()?;
        let mut involved: BTreeSet<usize> = plan.must.clone();
        for (_, opts) in &plan.choose {
            involved.extend(opts.iter().copied());
        }
        let recomendaciones = p
            .recommendations
            .iter()
            .enumerate()
            .filter(|(_, r)| matches!(r.target, crate::program::RecTarget::Criterion(c) if involved.contains(&c)))
            .map(|(i, _)| i)
            .collect();
        Some(GapPlan {
            nivel: target,
            minimo: plan.cost(),
            criterios: plan.must.iter().copied().collect(),
            alternativas: plan.choose.clone(),
            condiciones: plan.conds,
            recomendaciones,
        })
    }

    fn plans(&self, e: &CExpr, st: &State) -> Vec<Plan> {
        if self.eval(e, st) == V::Bool(true) {
            return vec![Plan::default()];
        }
        match e {
            CExpr::Criterion(c) => vec![Plan {
                must: [*c].into(),
                ..Plan::default()
            }],
            CExpr::And(items) => {
                let mut acc = vec![Plan::default()];
                for i in items {
                    let next = self.plans(i, st);
                    let mut combined = Vec::new();
                    for a in &acc {
                        for b in &next {
                            combined.push(a.and(b));
                        }
                    }
                    acc = best(combined);
                }
                acc
            }
            CExpr::Or(items) => best(items.iter().flat_map(|i| self.plans(i, st)).collect()),
            CExpr::Quant { kind, items } => self.quant_plans(kind, items, st),
            CExpr::Cmp(op, a, b) => self.group_threshold_plan(*op, a, b, st),
            _ => vec![Plan {
                conds: vec![self.describe(e, st)],
                ..Plan::default()
            }],
        }
    }

    fn quant_plans(&self, kind: &QuantKind, items: &[CExpr], st: &State) -> Vec<Plan> {
        let mut yes = 0usize;
        let mut unmet: Vec<&CExpr> = Vec::new();
        for i in items {
            if let CExpr::Criterion(c) = i {
                if !st.criteria[*c].applies {
                    continue;
                }
            }
            if self.eval(i, st) == V::Bool(true) {
                yes += 1;
            } else {
                unmet.push(i);
            }
        }
        let total = yes + unmet.len();
        let needed = match kind {
            QuantKind::All => total,
            QuantKind::AtLeast(n) => match self.eval(n, st) {
                V::Num(n) => n.max(0.0).ceil() as usize,
                _ => total,
            },
            QuantKind::AtLeastShare(s) => (s / 100.0 * total as f64 - 1e-9).ceil() as usize,
            QuantKind::Tolerate(n) => match self.eval(n, st) {
                V::Num(n) => total.saturating_sub(n.max(0.0).floor() as usize),
                _ => total,
            },
            QuantKind::None => {
                return vec![Plan {
                    conds: vec!["que ninguna de las condiciones de la lista se cumpla".into()],
                    ..Plan::default()
                }]
            }
        };
        let missing = needed.saturating_sub(yes);
        let simple: Option<Vec<usize>> = unmet
            .iter()
            .map(|i| {
                if let CExpr::Criterion(c) = i {
                    Some(*c)
                } else {
                    None
                }
            })
            .collect();
        match simple {
            Some(crits) if missing < crits.len() => vec![Plan {
                choose: vec![(missing, crits)],
                ..Plan::default()
            }],
            Some(crits) => vec![Plan {
                must: crits.into_iter().collect(),
                ..Plan::default()
            }],
            None => {
                // Mixed items: the cheapest `missing` of them.
                let mut costed: Vec<Plan> = unmet
                    .iter()
                    .filter_map(|i| best(self.plans(i, st)).into_iter().next())
                    .collect();
                costed.sort_by_key(Plan::cost);
                let plan = costed
                    .iter()
                    .take(missing)
                    .fold(Plan::default(), |acc, p| acc.and(p));
                vec![plan]
            }
        }
    }

    /// `cumplidos(g) >= N` and `proporcion(g) >= X%` become "any k of the
    /// group's unmet criteria".
    fn group_threshold_plan(&self, op: CmpOp, a: &CExpr, b: &CExpr, st: &State) -> Vec<Plan> {
        let fallback = || {
            vec![Plan {
                conds: vec![self.describe(
                    &CExpr::Cmp(op, Box::new(a.clone()), Box::new(b.clone())),
                    st,
                )],
                ..Plan::default()
            }]
        };
        let (CExpr::Group(f, g), V::Num(threshold)) = (a, self.eval(b, st)) else {
            return fallback();
        };
        if !matches!(op, CmpOp::Ge | CmpOp::Gt) || *f == GroupFunc::Score {
            return fallback();
        }
        let members = &self.program.groups[*g].members;
        let applicable: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&m| st.criteria[m].applies)
            .collect();
        let yes = applicable
            .iter()
            .filter(|&&m| st.criteria[m].outcome == Tri::Yes)
            .count();
        let unmet: Vec<usize> = applicable
            .iter()
            .copied()
            .filter(|&m| st.criteria[m].outcome != Tri::Yes)
            .collect();
        let strict = if op == CmpOp::Gt { 1e-9 } else { 0.0 };
        let needed_total = match f {
            GroupFunc::Count => (threshold + strict).ceil() as usize,
            _ => ((threshold + strict) / 100.0 * applicable.len() as f64 - 1e-9).ceil() as usize,
        };
        let missing = needed_total.saturating_sub(yes);
        if missing > unmet.len() {
            return Vec::new();
        }
        vec![Plan {
            choose: vec![(missing, unmet)],
            ..Plan::default()
        }]
    }

    /// A short description of a data condition that does not hold.
    fn describe(&self, e: &CExpr, st: &State) -> String {
        let p = self.program;
        let name = |e: &CExpr| -> Option<(String, String)> {
            let r = match e {
                CExpr::Field(i) => Ref::Field(*i),
                CExpr::Value(i) => Ref::Value(*i),
                _ => return None,
            };
            let d = self.dato(r, st);
            Some((d.nombre, d.texto))
        };
        match e {
            CExpr::Cmp(op, a, b) => match (name(a), self.eval(b, st)) {
                (Some((n, now)), V::Num(x)) => {
                    format!("`{n} {} {}` (ahora: {now})", op.symbol(), number(x))
                }
                _ => "otra condición del nivel".to_string(),
            },
            CExpr::Field(i) => format!(
                "`{}` = sí (ahora: {})",
                p.fields[*i].name,
                self.dato(Ref::Field(*i), st).texto
            ),
            CExpr::Not(inner) => match inner.as_ref() {
                CExpr::Criterion(c) => format!("que no se cumpla `{}`", p.criteria[*c].name),
                CExpr::Field(i) => format!("`{}` = no", p.fields[*i].name),
                _ => "otra condición del nivel".to_string(),
            },
            _ => "otra condición del nivel".to_string(),
        }
    }

    /// Fragility of the result at `level`.
    pub fn fragility(&self, st: &State, level: Option<usize>, gap: Option<&GapPlan>) -> FragileIdx {
        let p = self.program;
        let sube = gap.is_some_and(|g| g.minimo == 1);
        let mut baja = Vec::new();
        if let Some(li) = level {
            if let Some(cond) = &p.levels[li].condition {
                // One copy of the state; each criterion is flipped and restored.
                let mut flipped = State {
                    row: st.row,
                    values: st.values.clone(),
                    criteria: st.criteria.clone(),
                };
                for &c in &p.levels[li].criteria {
                    let r = st.criteria[c];
                    if !(r.applies && r.outcome == Tri::Yes) {
                        continue;
                    }
                    flipped.criteria[c].outcome = Tri::No;
                    if self.eval(cond, &flipped) != V::Bool(true) {
                        baja.push(c);
                    }
                    flipped.criteria[c].outcome = Tri::Yes;
                }
            }
        }
        // Criteria one changed answer would flip, among those that decide
        // this level or the next one: each numeric answer moved by one unit,
        // the whole program evaluated again (so `a o b` and values count).
        let watched: Vec<usize> = [level, level.and_then(|l| l.checked_sub(1))]
            .into_iter()
            .flatten()
            .flat_map(|l| p.levels[l].criteria.iter().copied())
            .collect::<BTreeSet<usize>>()
            .into_iter()
            .collect();
        let cambios = self.one_answer_changes(st, level, &watched);
        // The rule file's order, not the order the answers were tried in.
        let margen: Vec<usize> = cambios
            .iter()
            .flat_map(|c| c.criterios.iter().copied())
            .collect::<BTreeSet<usize>>()
            .into_iter()
            .collect();
        FragileIdx {
            sube,
            baja,
            margen,
            cambios,
        }
    }

    /// `st` with the answer to field `f` changed (`row`): only the values
    /// and criteria that depend on it are computed again.
    fn recompute<'a>(&'a self, st: &State<'a>, row: &'a crate::data::Row, f: usize) -> State<'a> {
        let p = self.program;
        let mut changed = State {
            row,
            values: st.values.clone(),
            criteria: st.criteria.clone(),
        };
        for node in p.field_dependents.get(f).into_iter().flatten() {
            match *node {
                Ref::Value(i) => changed.values[i] = self.eval(&p.values[i].expr, &changed),
                Ref::Criterion(i) => changed.criteria[i] = self.criterion(&p.criteria[i], &changed),
                _ => {}
            }
        }
        changed
    }

    /// Each numeric answer the `watched` criteria depend on, one unit up
    /// and one unit down: the changes that flip one of them, with the level
    /// the organization would then get when that changes too.
    fn one_answer_changes(
        &self,
        st: &State,
        level: Option<usize>,
        watched: &[usize],
    ) -> Vec<AnswerChange> {
        let p = self.program;
        let fields: BTreeSet<usize> = [level, level.and_then(|l| l.checked_sub(1))]
            .into_iter()
            .flatten()
            .flat_map(|l| p.levels[l].fields.iter().copied())
            .collect();
        let mut out = Vec::new();
        // One copy of the row, each answer changed and put back: a copy per
        // change was a tenth of the time of a trace file.
        let mut copy: Option<crate::data::Row> = None;
        for f in fields {
            let Some(Some(Cell::Number(x))) = st.row.values.get(f) else {
                continue;
            };
            let x = *x;
            if !p.fields[f].ty.is_numeric() {
                continue;
            }
            let row = copy.get_or_insert_with(|| st.row.clone());
            for other in [x + 1.0, x - 1.0] {
                if other < 0.0 {
                    continue;
                }
                row.values[f] = Some(Cell::Number(other));
                let changed = self.recompute(st, row, f);
                let criterios: Vec<usize> = watched
                    .iter()
                    .copied()
                    .filter(|&c| {
                        let (a, b) = (st.criteria[c], changed.criteria[c]);
                        a.applies == b.applies && a.outcome != b.outcome
                    })
                    .collect();
                if criterios.is_empty() {
                    continue;
                }
                let (_, now) = self.ladder(&changed);
                out.push(AnswerChange {
                    campo: f,
                    ahora: x,
                    seria: other,
                    criterios,
                    nivel: now.filter(|_| now != level),
                    sin_nivel: now.is_none() && now != level,
                });
            }
            row.values[f] = Some(Cell::Number(x));
        }
        out
    }
}
