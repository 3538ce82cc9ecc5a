//! From a computed row to its result: the level (three-valued, first level
//! that holds), the recommendations that apply, and, when asked, the
//! explanation as data (compact outcomes by id, or the full trace).

use super::display::{blank_reason, json_value, BlankCause};
use super::engine::CritResult;
use super::engine::{Evaluator, State};
use super::outcome::*;
use super::record::{expand, level_letter, TraceRow, TraceValue};
use super::value::Tri;
use crate::program::*;

impl Evaluator<'_> {
    /// Picks the level and builds the result (and, with `trace`, the
    /// explanation) from a computed state.
    pub fn decide(&self, st: &State, trace: bool) -> Resultado {
        self.decide_with(st, if trace { Detail::Full } else { Detail::Level })
    }

    pub fn decide_with(&self, st: &State, detail: Detail) -> Resultado {
        let trace = detail != Detail::Level;
        let p = self.program;
        let (results, mut chosen) = self.ladder(st);
        let mut posibles = Vec::new();
        let mut missing: Vec<usize> = Vec::new();
        for (i, r) in results.iter().enumerate() {
            if *r == Tri::Unknown || Some(i) == chosen {
                posibles.push(i);
            }
            if *r == Tri::Unknown {
                for &f in &p.levels[i].fields {
                    if matches!(st.row.values.get(f), Some(None)) && !missing.contains(&f) {
                        missing.push(f);
                    }
                }
            }
        }
        // The catch-all is possible whenever it was not reached as "no".
        if chosen.is_none() {
            let last = p.levels.len().wrapping_sub(1);
            if p.levels.last().is_some_and(|l| l.condition.is_none()) && !posibles.contains(&last) {
                posibles.push(last);
            }
        }
        missing.sort_unstable();
        // Data that cannot be right: no level, no recommendation, no gap;
        // the messages say what to check. The trace is still given.
        let revisar: Vec<usize> = p
            .checks
            .iter()
            .enumerate()
            .filter(|(_, c)| self.eval(&c.condition, st) == super::value::V::Bool(true))
            .map(|(i, _)| i)
            .collect();
        if !revisar.is_empty() {
            chosen = None;
            posibles.clear();
            missing.clear();
        }
        let recs = if revisar.is_empty() {
            self.recommendations(chosen, st)
        } else {
            Vec::new()
        };
        let gap = if trace && revisar.is_empty() {
            self.gap(st, chosen)
        } else {
            None
        };
        let fragil = if trace && chosen.is_some() {
            Some(self.fragility(st, chosen, gap.as_ref()))
        } else {
            None
        };
        let provisional = revisar.is_empty() && results.contains(&Tri::Unknown);
        if matches!(detail, Detail::Full | Detail::Trace) {
            let row = TraceRow {
                codigo: st.row.codigo.clone(),
                nombre: st.row.nombre.clone(),
                fila: st.row.line,
                variante: None,
                nivel: chosen,
                posibles,
                faltan: missing,
                recomendaciones: recs,
                revisar,
                niveles: results.iter().map(|r| level_letter(*r)).collect(),
                criterios: st.criteria.iter().map(criterion_letter).collect(),
                campos: self
                    .header()
                    .leidos
                    .iter()
                    .map(|&f| TraceValue::of(self.field(f, st.row)))
                    .collect(),
                valores: st.values.iter().map(|v| TraceValue::of(*v)).collect(),
                // One cause per `?` and `x` criterion, then per blank value.
                motivos: st
                    .criteria
                    .iter()
                    .filter(|c| matches!(criterion_letter(c), '?' | 'x'))
                    .map(|c| c.blank.unwrap_or(super::value::Blank::Unknown))
                    .chain(st.values.iter().filter_map(|v| match v {
                        super::value::V::Blank(b) => Some(*b),
                        _ => None,
                    }))
                    .map(|b| BlankCause::of(p, b))
                    .collect(),
                le_falta: gap,
                fragil,
                correcciones: Vec::new(),
            };
            if detail == Detail::Full {
                return expand(self.header(), &row);
            }
            return Resultado {
                codigo: row.codigo.clone(),
                nombre: None,
                fila: row.fila,
                nivel: chosen.map(|i| p.levels[i].name.clone()),
                nivel_titulo: None,
                provisional,
                posibles: Vec::new(),
                faltan: Vec::new(),
                recomendaciones: Vec::new(),
                revisar_datos: Vec::new(),
                siguiente_nivel: None,
                le_falta: None,
                fragil: None,
                correcciones: Vec::new(),
                explicacion: None,
                traza: None,
                registro: Some(Box::new(row)),
                variante: None,
            };
        }
        let faltan: Vec<String> = missing.iter().map(|&f| p.fields[f].name.clone()).collect();
        let mut recomendaciones: Vec<RecomendacionOut> = recs
            .iter()
            .map(|&i| {
                let r = &p.recommendations[i];
                // People read the CSV and the table: their text; the
                // compact JSON has only ids (the text is in the rules),
                // with section and reason.
                let level = detail == Detail::Level;
                RecomendacionOut {
                    id: r.name.clone(),
                    texto: if level { r.text.clone() } else { String::new() },
                    seccion: if level { None } else { r.section.clone() },
                    motivo: if level {
                        String::new()
                    } else {
                        r.reason.clone()
                    },
                    lugar: String::new(),
                }
            })
            .collect();
        if !faltan.is_empty() {
            recomendaciones.insert(0, complete_the_survey_out(p, &missing, detail));
        }
        let pend = |c: usize| Pendiente {
            id: p.criteria[c].name.clone(),
            titulo: String::new(),
            resultado: st.criteria[c].outcome,
            datos: Vec::new(),
        };
        let le_falta = gap
            .as_ref()
            .map(|g| g.out(p, &pend, &|i| p.recommendations[i].name.clone()));
        Resultado {
            codigo: st.row.codigo.clone(),
            nombre: st.row.nombre.clone(),
            fila: st.row.line,
            nivel: chosen.map(|i| p.levels[i].name.clone()),
            nivel_titulo: chosen.map(|i| p.levels[i].title.clone()),
            provisional,
            posibles: posibles.iter().map(|&i| p.levels[i].name.clone()).collect(),
            faltan,
            recomendaciones,
            revisar_datos: revisar
                .iter()
                .map(|&i| p.checks[i].message.clone())
                .collect(),
            siguiente_nivel: le_falta.as_ref().map(|g| g.nivel.clone()),
            le_falta,
            fragil: fragil.map(|f| f.out(p)),
            correcciones: Vec::new(),
            explicacion: None,
            traza: (detail == Detail::Compact).then(|| self.compact_trace(st, &results)),
            registro: None,
            variante: None,
        }
    }

    /// Each level tried, highest first, up to the first that holds (the
    /// one chosen).
    pub(super) fn ladder(&self, st: &State) -> (Vec<Tri>, Option<usize>) {
        let p = self.program;
        let mut results = Vec::with_capacity(p.levels.len());
        let mut undecided_above = false;
        for (i, l) in p.levels.iter().enumerate() {
            let r = match &l.condition {
                Some(c) => self.eval(c, st).tri(),
                // `en otro caso` holds only when every level above is "no".
                None if undecided_above => Tri::Unknown,
                None => Tri::Yes,
            };
            results.push(r);
            match r {
                Tri::Yes => return (results, Some(i)),
                Tri::Unknown => undecided_above = true,
                Tri::No => {}
            }
        }
        (results, None)
    }

    /// Outcomes only, keyed by id: what a data pipeline needs per
    /// organization. Titles, sentences and places are in the rule file.
    fn compact_trace(&self, st: &State, level_results: &[Tri]) -> TrazaCompacta {
        let p = self.program;
        let mut sin_decidir = Vec::new();
        let criterios = p
            .criteria
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let r = st.criteria[i];
                if let (Tri::Unknown, Some(b)) = (r.outcome, r.blank) {
                    sin_decidir.push((c.name.clone(), blank_reason(p, b)));
                }
                let word = match (r.applies, r.outcome) {
                    (false, _) => "no aplica",
                    (true, t) => t.word(),
                };
                (c.name.clone(), word)
            })
            .collect();
        let niveles = p
            .levels
            .iter()
            .zip(level_results)
            .map(|(l, r)| (l.name.clone(), r.word()))
            .collect();
        let valores = p
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| (v.name.clone(), json_value(p, st.values[i], &v.ty)))
            .collect();
        TrazaCompacta {
            niveles: Pairs(niveles),
            criterios: Pairs(criterios),
            valores: Pairs(valores),
            sin_decidir: Pairs(sin_decidir),
        }
    }

    /// Recommendations that apply, by priority: those of the level first,
    /// then those of the criteria the next level up needs (what unlocks
    /// it), then the rest, each in declaration order: their indices.
    fn recommendations(&self, chosen: Option<usize>, st: &State) -> Vec<usize> {
        let p = self.program;
        let next_level = chosen.and_then(|i| i.checked_sub(1)).map(|i| &p.levels[i]);
        let next_up = next_level.map(|l| &l.criteria[..]).unwrap_or(&[]);
        // What the next level cannot do without, before what it tolerates.
        let mut required = Vec::new();
        required_criteria(next_level.and_then(|l| l.condition.as_ref()), &mut required);
        let mut out = Vec::new();
        let mut rank = Vec::new();
        for (index, r) in p.recommendations.iter().enumerate() {
            let applies = match r.target {
                RecTarget::Level(l) => Some(l) == chosen,
                RecTarget::Criterion(c) => {
                    st.criteria[c].applies && st.criteria[c].outcome == Tri::No
                }
            };
            // A conditional recommendation needs its condition to hold:
            // undecided means "not given", never a guess.
            let holds = r
                .condition
                .as_ref()
                .is_none_or(|c| self.eval(c, st) == super::value::V::Bool(true));
            if !applies || !holds {
                continue;
            }
            // Priority: first what unlocks the next level (its unmet
            // criteria), then what the document says for the level the
            // organization has (§IV), then the other unmet criteria.
            rank.push(match r.target {
                RecTarget::Criterion(c) if required.contains(&c) => 0,
                RecTarget::Criterion(c) if next_up.contains(&c) => 1,
                RecTarget::Level(_) => 2,
                RecTarget::Criterion(_) => 3,
            });
            out.push(index);
        }
        let mut ranked: Vec<(usize, usize)> = rank.into_iter().zip(out).collect();
        ranked.sort_by_key(|(k, _)| *k);
        ranked.into_iter().map(|(_, r)| r).collect()
    }
}

/// The criteria a condition requires outright: those it joins with `y` or
/// `todos de` (not those it counts or tolerates).
fn required_criteria(condition: Option<&CExpr>, out: &mut Vec<usize>) {
    match condition {
        Some(CExpr::Criterion(c)) => out.push(*c),
        Some(CExpr::And(items))
        | Some(CExpr::Quant {
            kind: QuantKind::All,
            items,
        }) => {
            for item in items {
                required_criteria(Some(item), out);
            }
        }
        _ => {}
    }
}

/// A criterion's letter in a trace row (`docs/esquema-json.md`).
fn criterion_letter(r: &CritResult) -> char {
    match (r.applies, r.outcome, r.blank.is_some()) {
        (false, _, _) => '-',
        (true, Tri::Unknown, _) => '?',
        (true, Tri::No, true) => 'x',
        (true, Tri::No, false) => 'n',
        (true, Tri::Yes, _) => 's',
    }
}
