//! From a computed row to its result: the level (three-valued, first level
//! that holds), the recommendations that apply, and, when asked, the
//! explanation as data (compact outcomes by id, or the full trace).

use super::display::{blank_reason, json_value};
use super::engine::{Evaluator, State};
use super::outcome::*;
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
                posibles.push(p.levels[i].name.clone());
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
            if let Some(last) = p.levels.last() {
                if last.condition.is_none() && !posibles.contains(&last.name) {
                    posibles.push(last.name.clone());
                }
            }
        }
        missing.sort_unstable();
        // Data that cannot be right: no level, no recommendation, no gap;
        // the messages say what to check. The trace is still given.
        let revisar_datos: Vec<String> = p
            .checks
            .iter()
            .filter(|c| self.eval(&c.condition, st) == super::value::V::Bool(true))
            .map(|c| c.message.clone())
            .collect();
        if !revisar_datos.is_empty() {
            chosen = None;
            posibles.clear();
            missing.clear();
        }
        let recomendaciones = if revisar_datos.is_empty() {
            let mut recs = self.recommendations(chosen, st, detail);
            if !missing.is_empty() {
                recs.insert(0, complete_the_survey(p, &missing, detail));
            }
            recs
        } else {
            Vec::new()
        };
        let le_falta = if trace && revisar_datos.is_empty() {
            self.gap(st, chosen, detail == Detail::Full)
        } else {
            None
        };
        let fragil = if trace && chosen.is_some() {
            Some(self.fragility(st, chosen, le_falta.as_ref()))
        } else {
            None
        };
        Resultado {
            codigo: st.row.codigo.clone(),
            nombre: st.row.nombre.clone(),
            fila: st.row.line,
            nivel: chosen.map(|i| p.levels[i].name.clone()),
            nivel_titulo: chosen.map(|i| p.levels[i].title.clone()),
            provisional: revisar_datos.is_empty() && results.contains(&Tri::Unknown),
            posibles,
            faltan: missing.iter().map(|&f| p.fields[f].name.clone()).collect(),
            recomendaciones,
            revisar_datos,
            siguiente_nivel: le_falta.as_ref().map(|g| g.nivel.clone()),
            le_falta,
            fragil,
            correcciones: Vec::new(),
            explicacion: (detail == Detail::Full).then(|| self.explain(st, &results)),
            traza: (detail == Detail::Compact).then(|| self.compact_trace(st, &results)),
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
    /// it), then the rest, each in declaration order. Tables and CSV
    /// (`Detail::Level`) only show their ids; the compact JSON adds section
    /// and reason; the full one the text and the place.
    fn recommendations(
        &self,
        chosen: Option<usize>,
        st: &State,
        detail: Detail,
    ) -> Vec<RecomendacionOut> {
        let p = self.program;
        let (ids_only, texts) = (detail == Detail::Level, detail == Detail::Full);
        let next_level = chosen.and_then(|i| i.checked_sub(1)).map(|i| &p.levels[i]);
        let next_up = next_level.map(|l| &l.criteria[..]).unwrap_or(&[]);
        // What the next level cannot do without, before what it tolerates.
        let mut required = Vec::new();
        required_criteria(next_level.and_then(|l| l.condition.as_ref()), &mut required);
        let mut out = Vec::new();
        let mut rank = Vec::new();
        for r in &p.recommendations {
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
            out.push(RecomendacionOut {
                id: r.name.clone(),
                // People read the CSV and the table: their text; the
                // compact JSON has only ids (the text is in the rules).
                texto: if detail != Detail::Compact {
                    r.text.clone()
                } else {
                    String::new()
                },
                seccion: if ids_only { None } else { r.section.clone() },
                motivo: if ids_only {
                    String::new()
                } else {
                    r.reason.clone()
                },
                lugar: if texts {
                    p.place(r.span)
                } else {
                    String::new()
                },
            });
        }
        let mut ranked: Vec<(usize, RecomendacionOut)> = rank.into_iter().zip(out).collect();
        ranked.sort_by_key(|(k, _)| *k);
        ranked.into_iter().map(|(_, r)| r).collect()
    }

    fn explain(&self, st: &State, level_results: &[Tri]) -> Explicacion {
        let p = self.program;
        let valores = (0..p.values.len())
            .map(|i| self.dato(Ref::Value(i), st))
            .collect();
        Explicacion {
            reglas: p.title.clone(),
            version: p.version.clone(),
            niveles: self.level_traces(st, level_results),
            criterios: self.criterion_traces(st),
            grupos: self.group_traces(st),
            valores,
        }
    }

    /// Each level as tried: its condition, result, the criteria it counts
    /// and the failures it tolerated.
    fn level_traces(&self, st: &State, level_results: &[Tri]) -> Vec<NivelTraza> {
        let p = self.program;
        p.levels
            .iter()
            .zip(level_results.iter())
            .map(|(l, r)| NivelTraza {
                id: l.name.clone(),
                titulo: l.title.clone(),
                seccion: l.section.clone(),
                lugar: p.place(l.span),
                cambia: p.overridden(&l.name),
                condicion: l.condition_text.clone(),
                resultado: *r,
                en_otro_caso: l.condition.is_none(),
                criterios: l
                    .criteria
                    .iter()
                    .map(|&c| p.criteria[c].name.clone())
                    .collect(),
                tolerados: if *r == Tri::Yes {
                    l.tolerated
                        .iter()
                        .filter(|&&c| st.criteria[c].applies && st.criteria[c].outcome == Tri::No)
                        .map(|&c| p.criteria[c].name.clone())
                        .collect()
                } else {
                    Vec::new()
                },
                datos: l.reads.iter().map(|r| self.dato(*r, st)).collect(),
            })
            .collect()
    }

    /// Each criterion: result, sentence, how a blank was decided, its data.
    fn criterion_traces(&self, st: &State) -> Vec<CriterioTraza> {
        let p = self.program;
        p
            .criteria
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let r = st.criteria[i];
                // When the blank policy decided, the "no cumple" sentence
                // would assert data nobody has; the policy line explains it.
                let frase = match r.outcome {
                    Tri::Yes if r.applies => c.when_met.as_ref(),
                    Tri::No if !r.policy_applied => c.when_failed.as_ref(),
                    _ => None,
                }
                .map(|t| self.render_template(t, st));
                let politica_sin_dato = r.blank.map(|b| {
                    let why = blank_reason(p, b);
                    if r.policy_applied {
                        format!("no cumple: {why}, y este criterio cuenta la falta de dato como no cumplido")
                    } else {
                        format!("sin decidir: {why}")
                    }
                });
                CriterioTraza {
                    id: c.name.clone(),
                    titulo: c.title.clone(),
                    grupo: c.group.map(|g| p.groups[g].name.clone()),
                    seccion: c.section.clone(),
                    lugar: p.place(c.span),
                    cambia: p.overridden(&c.name),
                    condicion: c.condition_text.clone(),
                    resultado: r.outcome,
                    aplica: r.applies,
                    politica_sin_dato,
                    frase,
                    datos: c.reads.iter().map(|r| self.dato(*r, st)).collect(),
                }
            })
            .collect()
    }

    /// How many criteria of each group were met, failed, undecided or
    /// did not apply.
    fn group_traces(&self, st: &State) -> Vec<GrupoTraza> {
        let p = self.program;
        p.groups
            .iter()
            .map(|g| {
                let mut t = GrupoTraza {
                    id: g.name.clone(),
                    titulo: g.title.clone(),
                    cumplidos: 0,
                    no_cumplidos: 0,
                    sin_dato: 0,
                    no_aplican: 0,
                };
                for &m in &g.members {
                    let r = st.criteria[m];
                    match (r.applies, r.outcome) {
                        (false, _) => t.no_aplican += 1,
                        (true, Tri::Yes) => t.cumplidos += 1,
                        (true, Tri::No) => t.no_cumplidos += 1,
                        (true, Tri::Unknown) => t.sin_dato += 1,
                    }
                }
                t
            })
            .collect()
    }
}

/// Id of the recommendation every rule file gets for missing data.
pub const COMPLETE_THE_SURVEY: &str = "completar_ficha";

/// The first recommendation of a provisional result: the answers that are
/// missing and could change the level.
fn complete_the_survey(p: &Program, missing: &[usize], detail: Detail) -> RecomendacionOut {
    let full = detail != Detail::Compact;
    RecomendacionOut {
        id: COMPLETE_THE_SURVEY.to_string(),
        texto: if full {
            complete_the_survey_text(
                missing
                    .iter()
                    .map(|&f| super::display::field_named(p, f))
                    .collect(),
            )
        } else {
            String::new()
        },
        seccion: None,
        motivo: if detail == Detail::Level {
            String::new()
        } else {
            "faltan datos que pueden cambiar el nivel".to_string()
        },
        lugar: String::new(),
    }
}

/// The text of the `completar_ficha` recommendation for the missing
/// fields, each named with its survey question ([`field_with_question`]);
/// a compact trace leaves it out, a workbook writes it from here.
///
/// [`field_with_question`]: super::display::field_with_question
pub fn complete_the_survey_text(names: Vec<String>) -> String {
    format!(
        "Completar la ficha: {} {}; con {} el nivel puede cambiar.",
        if names.len() == 1 { "falta" } else { "faltan" },
        crate::text::spanish_list(&names, "y"),
        if names.len() == 1 {
            "esa respuesta"
        } else {
            "esas respuestas"
        }
    )
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
