//! The full explanation of many organizations, compactly: a trace file.
//!
//! Most of a full explanation is the same for every organization: titles,
//! sections, places in the rule file, conditions, sentence templates. A
//! trace file writes that once, in a header ([`TraceHeader`], in the first
//! line of `evaluar --formato jsonl --detalle-completo`), and for each
//! organization only what was decided for it ([`TraceRow`]): each level's and
//! criterion's result, the answers and values they read, why a blank is
//! blank, the recommendations, the gap and fragility, by index. [`expand`]
//! makes the full [`Resultado`] back from the two; the evaluator itself
//! builds every full explanation that way, so the file and the evaluation
//! cannot drift apart. The format is documented in `docs/esquema-json.md`.

use serde::{Deserialize, Serialize};

use super::display::{json_value, show, BlankCause, Vocab};
use super::outcome::*;
pub use super::trace_row::{AnswerChange, FragileIdx, GapPlan, TraceRow, TraceValue};
use super::value::{Blank, Tri, V};
use crate::program::{Constant, Program, Ref, TemplatePart, Ty};

/// The `formato` of a trace file's header.
pub const TRACE_FORMAT: &str = "reglas-traza";
/// Its version: a reader refuses any other.
pub const TRACE_VERSION: u32 = 1;

/// What every row of a trace file shares: the rules, by index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceHeader {
    pub formato: String,
    pub version_formato: u32,
    /// The rule file's title and version.
    pub reglas: String,
    pub version: Option<String>,
    pub campos: Vec<FieldInfo>,
    /// The fields whose answers each row records (those levels and
    /// criteria read), in the order of the row's `campos`.
    pub leidos: Vec<usize>,
    pub parametros: Vec<ParamInfo>,
    pub valores: Vec<ValueInfo>,
    pub grupos: Vec<GroupInfo>,
    pub criterios: Vec<CriterionInfo>,
    pub niveles: Vec<LevelInfo>,
    pub recomendaciones: Vec<RecInfo>,
    /// The message of each `revisar` declaration.
    pub revisiones: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldInfo {
    pub nombre: String,
    pub tipo: Ty,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pregunta: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categorias: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub etiquetas: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamInfo {
    pub nombre: String,
    pub tipo: Ty,
    pub valor: TraceValue,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cambia: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueInfo {
    pub nombre: String,
    pub tipo: Ty,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupInfo {
    pub id: String,
    pub titulo: String,
    pub miembros: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionInfo {
    pub id: String,
    pub titulo: String,
    pub grupo: Option<usize>,
    pub seccion: Option<String>,
    pub lugar: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cambia: Option<String>,
    pub condicion: String,
    /// What its `datos` list: fields, parameters, values and criteria.
    pub lee: Vec<Ref>,
    /// The `si cumple` / `si no cumple` sentences, text and what to put
    /// in between.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub si_cumple: Option<Vec<TemplatePart>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub si_no_cumple: Option<Vec<TemplatePart>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelInfo {
    pub id: String,
    pub titulo: String,
    pub seccion: Option<String>,
    pub lugar: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cambia: Option<String>,
    pub condicion: String,
    pub en_otro_caso: bool,
    pub criterios: Vec<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerados: Vec<usize>,
    pub lee: Vec<Ref>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecInfo {
    pub id: String,
    pub texto: String,
    pub seccion: Option<String>,
    pub motivo: String,
    pub lugar: String,
}

impl TraceHeader {
    pub fn of(p: &Program) -> TraceHeader {
        let mut leidos: Vec<usize> = p
            .levels
            .iter()
            .flat_map(|l| l.reads.iter())
            .chain(p.criteria.iter().flat_map(|c| c.reads.iter()))
            .filter_map(|r| match r {
                Ref::Field(f) => Some(*f),
                _ => None,
            })
            .collect();
        leidos.sort_unstable();
        leidos.dedup();
        let parts = |t: &Option<crate::program::Template>| t.as_ref().map(|t| t.parts.clone());
        TraceHeader {
            formato: TRACE_FORMAT.to_string(),
            version_formato: TRACE_VERSION,
            reglas: p.title.clone(),
            version: p.version.clone(),
            campos: p
                .fields
                .iter()
                .map(|f| FieldInfo {
                    nombre: f.name.clone(),
                    tipo: f.ty.clone(),
                    pregunta: f.question.clone(),
                    categorias: f.categories.clone(),
                    etiquetas: f.category_labels.clone(),
                })
                .collect(),
            leidos,
            parametros: p
                .params
                .iter()
                .map(|x| ParamInfo {
                    nombre: x.name.clone(),
                    tipo: x.ty.clone(),
                    valor: TraceValue::of(match &x.constant {
                        Constant::Num(n) => V::Num(*n),
                        Constant::Bool(b) => V::Bool(*b),
                        Constant::Cat(c) => V::Cat(*c),
                        Constant::Text(t) => V::Text(t),
                    }),
                    cambia: p
                        .overridden(&x.name)
                        .map(|base| format!("{}, cambia {base}", p.place(x.span))),
                })
                .collect(),
            valores: p
                .values
                .iter()
                .map(|v| ValueInfo {
                    nombre: v.name.clone(),
                    tipo: v.ty.clone(),
                })
                .collect(),
            grupos: p
                .groups
                .iter()
                .map(|g| GroupInfo {
                    id: g.name.clone(),
                    titulo: g.title.clone(),
                    miembros: g.members.clone(),
                })
                .collect(),
            criterios: p
                .criteria
                .iter()
                .map(|c| CriterionInfo {
                    id: c.name.clone(),
                    titulo: c.title.clone(),
                    grupo: c.group,
                    seccion: c.section.clone(),
                    lugar: p.place(c.span),
                    cambia: p.overridden(&c.name),
                    condicion: c.condition_text.clone(),
                    lee: c.reads.clone(),
                    si_cumple: parts(&c.when_met),
                    si_no_cumple: parts(&c.when_failed),
                })
                .collect(),
            niveles: p
                .levels
                .iter()
                .map(|l| LevelInfo {
                    id: l.name.clone(),
                    titulo: l.title.clone(),
                    seccion: l.section.clone(),
                    lugar: p.place(l.span),
                    cambia: p.overridden(&l.name),
                    condicion: l.condition_text.clone(),
                    en_otro_caso: l.condition.is_none(),
                    criterios: l.criteria.clone(),
                    tolerados: l.tolerated.clone(),
                    lee: l.reads.clone(),
                })
                .collect(),
            recomendaciones: p
                .recommendations
                .iter()
                .map(|r| RecInfo {
                    id: r.name.clone(),
                    texto: r.text.clone(),
                    seccion: r.section.clone(),
                    motivo: r.reason.clone(),
                    lugar: p.place(r.span),
                })
                .collect(),
            revisiones: p.checks.iter().map(|c| c.message.clone()).collect(),
        }
    }

    /// Whether `row` can be explained with this header: every index in
    /// range, one letter per criterion, one answer per field read. The
    /// message says what is wrong (a file edited by hand, or the header of
    /// other rules).
    pub fn check(&self, row: &TraceRow) -> Result<(), String> {
        let (nl, nc, nf) = (self.niveles.len(), self.criterios.len(), self.campos.len());
        let within = |what: &str, xs: &mut dyn Iterator<Item = usize>, n: usize| {
            for i in xs {
                if i >= n {
                    return Err(format!("`{what}` nombra el número {i}, y hay {n}"));
                }
            }
            Ok(())
        };
        within("nivel", &mut row.nivel.into_iter(), nl)?;
        within("posibles", &mut row.posibles.iter().copied(), nl)?;
        within("faltan", &mut row.faltan.iter().copied(), nf)?;
        within(
            "recomendaciones",
            &mut row.recomendaciones.iter().copied(),
            self.recomendaciones.len(),
        )?;
        within(
            "revisar",
            &mut row.revisar.iter().copied(),
            self.revisiones.len(),
        )?;
        if row.niveles.chars().count() > nl || row.niveles.chars().any(|c| !"sn?".contains(c)) {
            return Err(format!("`niveles` debe tener hasta {nl} letras s, n o ?"));
        }
        if row.criterios.chars().count() != nc
            || row.criterios.chars().any(|c| !"sn-?x".contains(c))
        {
            return Err(format!("`criterios` debe tener {nc} letras s, n, -, ? o x"));
        }
        if row.campos.len() != self.leidos.len() || row.valores.len() != self.valores.len() {
            return Err(format!(
                "`campos` y `valores` deben tener {} y {} elementos",
                self.leidos.len(),
                self.valores.len()
            ));
        }
        let blanks = row.criterios.chars().filter(|c| "?x".contains(*c)).count()
            + row
                .valores
                .iter()
                .filter(|v| **v == TraceValue::Blank)
                .count();
        if row.motivos.len() != blanks {
            return Err(format!("`motivos` debe tener {blanks} elementos"));
        }
        for m in &row.motivos {
            match m {
                BlankCause::Missing(f) | BlankCause::ZeroField(f) => {
                    within("motivos", &mut Some(*f).into_iter(), nf)?
                }
                BlankCause::Undecided(c) => within("motivos", &mut Some(*c).into_iter(), nc)?,
                BlankCause::EmptyGroup(g) => {
                    within("motivos", &mut Some(*g).into_iter(), self.grupos.len())?
                }
                BlankCause::ZeroAt(_) | BlankCause::Unknown => {}
            }
        }
        if let Some(g) = &row.le_falta {
            within("le_falta", &mut Some(g.nivel).into_iter(), nl)?;
            let crits = g
                .criterios
                .iter()
                .chain(g.alternativas.iter().flat_map(|a| a.1.iter()))
                .copied();
            within("le_falta", &mut crits.collect::<Vec<_>>().into_iter(), nc)?;
            within(
                "le_falta",
                &mut g.recomendaciones.iter().copied(),
                self.recomendaciones.len(),
            )?;
        }
        if let Some(f) = &row.fragil {
            let crits = f
                .baja
                .iter()
                .chain(&f.margen)
                .chain(f.cambios.iter().flat_map(|c| c.criterios.iter()));
            within("fragil", &mut crits.copied(), nc)?;
            within("fragil", &mut f.cambios.iter().map(|c| c.campo), nf)?;
            within("fragil", &mut f.cambios.iter().filter_map(|c| c.nivel), nl)?;
        }
        // Indices inside the header itself (a header edited by hand).
        let refs = self
            .criterios
            .iter()
            .flat_map(|c| {
                c.lee.iter().chain(
                    c.si_cumple
                        .iter()
                        .chain(c.si_no_cumple.iter())
                        .flatten()
                        .filter_map(|p| match p {
                            TemplatePart::Ref(r) => Some(r),
                            TemplatePart::Text(_) => None,
                        }),
                )
            })
            .chain(self.niveles.iter().flat_map(|l| l.lee.iter()));
        for r in refs {
            let (i, n) = match *r {
                Ref::Field(i) => (i, nf),
                Ref::Param(i) => (i, self.parametros.len()),
                Ref::Value(i) => (i, self.valores.len()),
                Ref::Criterion(i) => (i, nc),
            };
            within("lee", &mut Some(i).into_iter(), n)?;
        }
        let header_crits = self
            .niveles
            .iter()
            .flat_map(|l| l.criterios.iter().chain(&l.tolerados))
            .chain(self.grupos.iter().flat_map(|g| g.miembros.iter()));
        within("criterios", &mut header_crits.copied(), nc)?;
        within("leidos", &mut self.leidos.iter().copied(), nf)?;
        within(
            "grupo",
            &mut self.criterios.iter().filter_map(|c| c.grupo),
            self.grupos.len(),
        )?;
        Ok(())
    }
}

impl Vocab for TraceHeader {
    fn field_name(&self, f: usize) -> &str {
        self.campos.get(f).map_or("", |x| &x.nombre)
    }
    fn field_question(&self, f: usize) -> Option<&str> {
        self.campos.get(f).and_then(|x| x.pregunta.as_deref())
    }
    fn field_ty(&self, f: usize) -> Option<&Ty> {
        self.campos.get(f).map(|x| &x.tipo)
    }
    fn category(&self, f: usize, c: u32, label: bool) -> &str {
        let Some(field) = self.campos.get(f) else {
            return "";
        };
        let values = if label {
            &field.etiquetas
        } else {
            &field.categorias
        };
        values.get(c as usize).map_or("", String::as_str)
    }
    fn criterion_name(&self, c: usize) -> &str {
        self.criterios.get(c).map_or("", |x| &x.id)
    }
    fn group_name(&self, g: usize) -> &str {
        self.grupos.get(g).map_or("", |x| &x.id)
    }
    fn level_name(&self, l: usize) -> &str {
        self.niveles.get(l).map_or("", |x| &x.id)
    }
    fn level_title(&self, l: usize) -> &str {
        self.niveles.get(l).map_or("", |x| &x.titulo)
    }
}

pub fn level_letter(t: Tri) -> char {
    match t {
        Tri::Yes => 's',
        Tri::No => 'n',
        Tri::Unknown => '?',
    }
}

fn letter_tri(c: char) -> Tri {
    match c {
        's' | '-' => Tri::Yes,
        'n' | 'x' => Tri::No,
        _ => Tri::Unknown,
    }
}

/// A criterion's result, read back from its letter and cause.
#[derive(Clone, Copy)]
struct Crit<'a> {
    applies: bool,
    outcome: Tri,
    policy_applied: bool,
    blank: Option<&'a BlankCause>,
}

/// A trace row with the header, ready to answer "what did it read".
struct Reading<'a> {
    h: &'a TraceHeader,
    r: &'a TraceRow,
    crits: Vec<Crit<'a>>,
    /// For each field, its place in the row's `campos`.
    field_at: Vec<Option<usize>>,
    value_blank: Vec<Option<&'a BlankCause>>,
}

impl<'a> Reading<'a> {
    fn new(h: &'a TraceHeader, r: &'a TraceRow) -> Reading<'a> {
        let mut causes = r.motivos.iter();
        let crits = r
            .criterios
            .chars()
            .map(|c| Crit {
                applies: c != '-',
                outcome: letter_tri(c),
                policy_applied: c == 'x',
                blank: if c == '?' || c == 'x' {
                    causes.next()
                } else {
                    None
                },
            })
            .collect();
        let value_blank = r
            .valores
            .iter()
            .map(|v| match v {
                TraceValue::Blank => causes.next(),
                _ => None,
            })
            .collect();
        let mut field_at = vec![None; h.campos.len()];
        for (k, &f) in h.leidos.iter().enumerate() {
            if let Some(slot) = field_at.get_mut(f) {
                *slot = Some(k);
            }
        }
        Reading {
            h,
            r,
            crits,
            field_at,
            value_blank,
        }
    }

    /// The same [`Dato`] the evaluator would give for `r` in this row.
    fn dato(&self, r: Ref) -> Dato {
        let h = self.h;
        let bool_ty = Ty::Bool;
        let missing;
        let (nombre, clase, v, ty, cause): (&str, &'static str, V, &Ty, Option<&BlankCause>) =
            match r {
                Ref::Field(i) => {
                    let ty = &h.campos[i].tipo;
                    let v = self.field_at[i]
                        .map_or(V::Blank(Blank::Unknown), |k| self.r.campos[k].view(ty));
                    missing = BlankCause::Missing(i);
                    (&h.campos[i].nombre, "campo", v, ty, Some(&missing))
                }
                Ref::Param(i) => {
                    let x = &h.parametros[i];
                    (&x.nombre, "parámetro", x.valor.view(&x.tipo), &x.tipo, None)
                }
                Ref::Value(i) => {
                    let ty = &h.valores[i].tipo;
                    let v = self.r.valores[i].view(ty);
                    (&h.valores[i].nombre, "valor", v, ty, self.value_blank[i])
                }
                Ref::Criterion(i) => {
                    let c = self.crits[i];
                    let v = match c.outcome {
                        Tri::Yes => V::Bool(true),
                        Tri::No => V::Bool(false),
                        Tri::Unknown => V::Blank(Blank::Unknown),
                    };
                    missing = BlankCause::Unknown;
                    let cause = c.blank.or(Some(&missing));
                    (&h.criterios[i].id, "criterio", v, &bool_ty, cause)
                }
            };
        Dato {
            nombre: nombre.to_string(),
            clase,
            valor: json_value(h, v, ty),
            texto: show(h, v, ty),
            pregunta: match r {
                Ref::Field(i) => h.campos[i].pregunta.clone(),
                _ => None,
            },
            motivo: match (v, cause) {
                (V::Blank(_), Some(c)) => Some(c.reason(h)),
                _ => None,
            },
            cambia: match r {
                Ref::Param(i) => h.parametros[i].cambia.clone(),
                _ => None,
            },
        }
    }

    fn sentence(&self, parts: &[TemplatePart]) -> String {
        let mut out = String::new();
        for part in parts {
            match part {
                TemplatePart::Text(s) => out.push_str(s),
                TemplatePart::Ref(r) => out.push_str(&self.dato(*r).texto),
            }
        }
        out
    }

    fn pending(&self, c: usize) -> Pendiente {
        let info = &self.h.criterios[c];
        Pendiente {
            id: info.id.clone(),
            titulo: info.titulo.clone(),
            resultado: self.crits[c].outcome,
            datos: info.lee.iter().map(|r| self.dato(*r)).collect(),
        }
    }

    fn explanation(&self) -> Explicacion {
        let h = self.h;
        let niveles = h
            .niveles
            .iter()
            .zip(self.r.niveles.chars())
            .map(|(l, letter)| {
                let resultado = letter_tri(letter);
                NivelTraza {
                    id: l.id.clone(),
                    titulo: l.titulo.clone(),
                    seccion: l.seccion.clone(),
                    lugar: l.lugar.clone(),
                    cambia: l.cambia.clone(),
                    condicion: l.condicion.clone(),
                    resultado,
                    en_otro_caso: l.en_otro_caso,
                    criterios: l
                        .criterios
                        .iter()
                        .map(|&c| h.criterios[c].id.clone())
                        .collect(),
                    tolerados: if resultado == Tri::Yes {
                        l.tolerados
                            .iter()
                            .filter(|&&c| self.crits[c].applies && self.crits[c].outcome == Tri::No)
                            .map(|&c| h.criterios[c].id.clone())
                            .collect()
                    } else {
                        Vec::new()
                    },
                    datos: l.lee.iter().map(|r| self.dato(*r)).collect(),
                }
            })
            .collect();
        let criterios = h
            .criterios
            .iter()
            .zip(&self.crits)
            .map(|(c, r)| {
                // When the blank policy decided, the "no cumple" sentence
                // would assert data nobody has; the policy line explains it.
                let frase = match r.outcome {
                    Tri::Yes if r.applies => c.si_cumple.as_ref(),
                    Tri::No if !r.policy_applied => c.si_no_cumple.as_ref(),
                    _ => None,
                }
                .map(|t| self.sentence(t));
                let politica_sin_dato = r.blank.map(|b| {
                    let why = b.reason(h);
                    if r.policy_applied {
                        format!("no cumple: {why}, y este criterio cuenta la falta de dato como no cumplido")
                    } else {
                        format!("sin decidir: {why}")
                    }
                });
                CriterioTraza {
                    id: c.id.clone(),
                    titulo: c.titulo.clone(),
                    grupo: c.grupo.map(|g| h.grupos[g].id.clone()),
                    seccion: c.seccion.clone(),
                    lugar: c.lugar.clone(),
                    cambia: c.cambia.clone(),
                    condicion: c.condicion.clone(),
                    resultado: r.outcome,
                    aplica: r.applies,
                    politica_sin_dato,
                    frase,
                    datos: c.lee.iter().map(|r| self.dato(*r)).collect(),
                }
            })
            .collect();
        let outcomes: Vec<CriterionOutcome> = self
            .crits
            .iter()
            .map(|c| CriterionOutcome {
                aplica: c.applies,
                resultado: c.outcome,
            })
            .collect();
        let grupos = h
            .grupos
            .iter()
            .map(|g| {
                let t = GroupTally::of(&g.miembros, &outcomes);
                GrupoTraza {
                    id: g.id.clone(),
                    titulo: g.titulo.clone(),
                    cumplidos: t.cumplidos,
                    no_cumplidos: t.no_cumplidos,
                    sin_dato: t.sin_dato,
                    no_aplican: t.no_aplican,
                }
            })
            .collect();
        Explicacion {
            reglas: h.reglas.clone(),
            version: h.version.clone(),
            niveles,
            criterios,
            grupos,
            valores: (0..h.valores.len())
                .map(|i| self.dato(Ref::Value(i)))
                .collect(),
        }
    }
}

/// The full result of a trace row, as the evaluator gives it with
/// [`Detail::Full`]. The row must have passed [`TraceHeader::check`].
pub fn expand(h: &TraceHeader, r: &TraceRow) -> Resultado {
    let reading = Reading::new(h, r);
    let faltan: Vec<String> = r
        .faltan
        .iter()
        .map(|&f| h.campos[f].nombre.clone())
        .collect();
    let mut recomendaciones = Vec::new();
    if !faltan.is_empty() && r.revisar.is_empty() {
        recomendaciones.push(complete_the_survey_out(h, &r.faltan, Detail::Full));
    }
    recomendaciones.extend(r.recomendaciones.iter().map(|&i| {
        let x = &h.recomendaciones[i];
        RecomendacionOut {
            id: x.id.clone(),
            texto: x.texto.clone(),
            seccion: x.seccion.clone(),
            motivo: x.motivo.clone(),
            lugar: x.lugar.clone(),
        }
    }));
    let le_falta = r.le_falta.as_ref().map(|g| {
        g.out(h, &|c| reading.pending(c), &|i| {
            h.recomendaciones[i].id.clone()
        })
    });
    Resultado {
        codigo: r.codigo.clone(),
        nombre: r.nombre.clone(),
        fila: r.fila,
        nivel: r.nivel.map(|l| h.niveles[l].id.clone()),
        nivel_titulo: r.nivel.map(|l| h.niveles[l].titulo.clone()),
        provisional: r.revisar.is_empty() && r.niveles.contains('?'),
        posibles: r
            .posibles
            .iter()
            .map(|&l| h.niveles[l].id.clone())
            .collect(),
        faltan,
        recomendaciones,
        revisar_datos: r.revisar.iter().map(|&i| h.revisiones[i].clone()).collect(),
        siguiente_nivel: le_falta.as_ref().map(|g| g.nivel.clone()),
        le_falta,
        fragil: r.fragil.as_ref().map(|f| f.out(h)),
        correcciones: r.correcciones.clone(),
        explicacion: Some(reading.explanation()),
        traza: None,
        registro: None,
        variante: r.variante.clone(),
    }
}

impl GapPlan {
    /// With names: `pend` makes each criterion's entry, `rec` names a
    /// recommendation.
    pub fn out<N: Vocab + ?Sized>(
        &self,
        n: &N,
        pend: &dyn Fn(usize) -> Pendiente,
        rec: &dyn Fn(usize) -> String,
    ) -> LeFalta {
        LeFalta {
            nivel: n.level_name(self.nivel).to_string(),
            minimo: self.minimo,
            criterios: self.criterios.iter().map(|&c| pend(c)).collect(),
            alternativas: self
                .alternativas
                .iter()
                .map(|(k, opts)| Eleccion {
                    cuantos: *k,
                    opciones: opts.iter().map(|&c| pend(c)).collect(),
                })
                .collect(),
            condiciones: self.condiciones.clone(),
            recomendaciones: self.recomendaciones.iter().map(|&i| rec(i)).collect(),
        }
    }
}

impl FragileIdx {
    pub fn out<N: Vocab + ?Sized>(&self, n: &N) -> Fragilidad {
        let names = |cs: &[usize]| -> Vec<String> {
            cs.iter()
                .map(|&c| n.criterion_name(c).to_string())
                .collect()
        };
        Fragilidad {
            sube: self.sube,
            baja: names(&self.baja),
            margen: names(&self.margen),
            cambios: self
                .cambios
                .iter()
                .map(|c| {
                    let ty = n.field_ty(c.campo).cloned().unwrap_or(Ty::Number);
                    CambioRespuesta {
                        campo: n.field_name(c.campo).to_string(),
                        ahora: show(n, V::Num(c.ahora), &ty),
                        seria: show(n, V::Num(c.seria), &ty),
                        criterios: names(&c.criterios),
                        nivel: match (c.nivel, c.sin_nivel) {
                            (Some(l), _) => Some(n.level_name(l).to_string()),
                            (None, true) => Some(String::new()),
                            (None, false) => None,
                        },
                        nivel_titulo: c.nivel.map(|l| n.level_title(l).to_string()),
                    }
                })
                .collect(),
        }
    }
}

/// What the first line of a trace file holds besides the audit record.
#[derive(Deserialize)]
struct FirstLine {
    traza: Option<TraceHeader>,
}

/// The header from the first line of a JSON Lines output; an error in
/// Spanish when it is not a trace file (or one of another version).
pub fn read_header(first_line: &str) -> Result<TraceHeader, String> {
    // serde's messages are English: say what is wrong in Spanish instead.
    let first: FirstLine = serde_json::from_str(first_line).map_err(|_| {
        "la primera línea no es el registro de auditoría con una traza que este programa pueda leer"
            .to_string()
    })?;
    let Some(h) = first.traza else {
        return Err("el archivo no tiene la traza completa: la primera línea no tiene la clave `traza` (escríbalo con `reglas evaluar … --formato jsonl --detalle-completo`)".to_string());
    };
    if h.formato != TRACE_FORMAT || h.version_formato != TRACE_VERSION {
        return Err(format!(
                "formato de traza `{}` versión {}: este programa lee `{TRACE_FORMAT}` versión {TRACE_VERSION}",
                h.formato, h.version_formato
            ));
    }
    Ok(h)
}
