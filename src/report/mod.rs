//! Reports built from many evaluated organizations: the HTML report and
//! Markdown profiles of `reglas informe`, and the baseline vs follow-up
//! comparison of `reglas avance`.
//!
//! Data first, rendering second: [`aggregate`] and [`progress`] are pure,
//! serialisable data (what the tests snapshot); [`html`], [`markdown`],
//! [`svg`] and [`text`] only turn that data into text. Every piece of text
//! that comes from a data file goes through [`escape`].
//!
//! Memory: the report keeps one small [`Perfil`] per organization (not its
//! full trace) and the counts.

pub mod aggregate;
pub mod audit;
pub mod escape;
pub mod html;
pub mod markdown;
pub mod progress;
pub mod svg;
pub mod text;

use serde::Serialize;

use crate::data::{FieldType, Row, Value};
use crate::eval::{CriterioTraza, Fragilidad, GrupoTraza, LeFalta, RecomendacionOut, Resultado, Salida, Tri};
use crate::program::Program;

pub use aggregate::{Agregado, Recolector};
pub use audit::{sha256_file, ArchivoHuella, Auditoria, LecturaUsada};
pub use progress::{comparar, Avance};

/// Fields used for the breakdowns of the summary, when the rule file
/// declares them: (field name, heading).
pub const DESGLOSES: &[(&str, &str)] = &[
    ("region", "Región"),
    ("rubro", "Rubro"),
    ("forma_juridica", "Forma jurídica"),
];

/// Everything `reglas informe` shows, for one data file.
#[derive(Debug, Clone, Serialize)]
pub struct Informe {
    pub resumen: Agregado,
    pub perfiles: Vec<Perfil>,
    pub auditoria: Auditoria,
}

/// A field's value for one organization, used to group organizations
/// (`region` = `amboro`). `valor` is None when the cell is blank.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Etiqueta {
    pub campo: String,
    pub valor: Option<String>,
}

/// The values of the breakdown fields ([`DESGLOSES`]) in a row. Read before
/// evaluating, since the result does not carry fields no rule reads.
pub fn etiquetas(program: &Program, row: &Row) -> Vec<Etiqueta> {
    DESGLOSES
        .iter()
        .filter_map(|(name, _)| {
            let i = program.schema.index_of(name)?;
            let valor = row.values.get(i).and_then(|v| v.as_ref()).map(|v| match v {
                Value::Bool(b) => if *b { "sí" } else { "no" }.to_string(),
                Value::Number(n) => n.to_string(),
                Value::Text(t) => t.trim().to_string(),
                Value::Category(c) => match &program.schema.fields[i].ty {
                    FieldType::Category(names) => names.get(*c as usize).cloned().unwrap_or_default(),
                    _ => c.to_string(),
                },
            });
            Some(Etiqueta {
                campo: (*name).to_string(),
                valor,
            })
        })
        .collect()
}

/// What the report keeps of one evaluated organization: enough to draw its
/// profile and to compare it with a later evaluation, without the full trace.
#[derive(Debug, Clone, Serialize)]
pub struct Perfil {
    pub codigo: Option<String>,
    pub nombre: Option<String>,
    pub fila: usize,
    pub nivel: Option<String>,
    pub nivel_titulo: Option<String>,
    pub provisional: bool,
    pub posibles: Vec<String>,
    pub faltan: Vec<String>,
    pub etiquetas: Vec<Etiqueta>,
    /// Criteria met, unmet, undecided and not applicable, per group.
    pub grupos: Vec<GrupoTraza>,
    /// Why this level: each level tried, from the top down to the one assigned.
    pub por_que: Vec<PasoNivel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub siguiente_nivel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub le_falta: Option<LeFalta>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fragil: Option<Fragilidad>,
    pub recomendaciones: Vec<RecomendacionOut>,
    /// Ids of the criteria met (that apply), for `avance`.
    pub cumplidos: Vec<String>,
}

/// One level tried for an organization.
#[derive(Debug, Clone, Serialize)]
pub struct PasoNivel {
    pub id: String,
    pub titulo: String,
    pub resultado: Tri,
    pub en_otro_caso: bool,
    pub condicion: String,
    /// Criteria this level counts that apply to the organization, and how
    /// many of them it meets.
    pub aplicables: usize,
    pub cumplidos: usize,
    /// The criteria of this level it does not meet or that stay undecided,
    /// with their sentence: why a level above was not reached, or what the
    /// assigned level tolerates.
    pub pendientes: Vec<Motivo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Motivo {
    pub id: String,
    pub titulo: String,
    pub resultado: Tri,
    pub frase: Option<String>,
}

impl Perfil {
    /// Builds the profile from a result evaluated with its trace.
    pub fn new(r: &Resultado, etiquetas: Vec<Etiqueta>) -> Perfil {
        let empty: &[CriterioTraza] = &[];
        let criterios = r.explicacion.as_ref().map(|e| e.criterios.as_slice()).unwrap_or(empty);
        let find = |id: &str| criterios.iter().find(|c| c.id == id);
        let mut por_que = Vec::new();
        if let Some(e) = &r.explicacion {
            for l in &e.niveles {
                let mut aplicables = 0;
                let mut cumplidos = 0;
                let mut pendientes = Vec::new();
                for c in l.criterios.iter().filter_map(|id| find(id)) {
                    if !c.aplica {
                        continue;
                    }
                    aplicables += 1;
                    if c.resultado == Tri::Yes {
                        cumplidos += 1;
                    } else {
                        pendientes.push(Motivo {
                            id: c.id.clone(),
                            titulo: c.titulo.clone(),
                            resultado: c.resultado,
                            frase: c.frase.clone().or_else(|| c.politica_sin_dato.clone()),
                        });
                    }
                }
                por_que.push(PasoNivel {
                    id: l.id.clone(),
                    titulo: l.titulo.clone(),
                    resultado: l.resultado,
                    en_otro_caso: l.en_otro_caso,
                    condicion: l.condicion.clone(),
                    aplicables,
                    cumplidos,
                    pendientes,
                });
                if r.nivel.as_deref() == Some(l.id.as_str()) {
                    break;
                }
            }
        }
        Perfil {
            codigo: r.codigo.clone(),
            nombre: r.nombre.clone(),
            fila: r.fila,
            nivel: r.nivel.clone(),
            nivel_titulo: r.nivel_titulo.clone(),
            provisional: r.provisional,
            posibles: r.posibles.clone(),
            faltan: r.faltan.clone(),
            etiquetas,
            grupos: r.explicacion.as_ref().map(|e| e.grupos.clone()).unwrap_or_default(),
            por_que,
            siguiente_nivel: r.siguiente_nivel.clone(),
            le_falta: r.le_falta.clone(),
            fragil: r.fragil.clone(),
            recomendaciones: r.recomendaciones.clone(),
            cumplidos: criterios
                .iter()
                .filter(|c| c.aplica && c.resultado == Tri::Yes)
                .map(|c| c.id.clone())
                .collect(),
        }
    }

    /// Criteria that keep it at its level: losing any one drops it.
    pub fn sostienen(&self) -> &[String] {
        self.fragil.as_ref().map(|f| f.baja.as_slice()).unwrap_or(&[])
    }

    /// Criteria that keep it from the next level: those it must meet, or,
    /// when the gap is a choice ("any N of"), the options.
    pub fn impiden(&self) -> Vec<&str> {
        let Some(g) = &self.le_falta else {
            return Vec::new();
        };
        let mut out: Vec<&str> = g.criterios.iter().map(|p| p.id.as_str()).collect();
        for e in &g.alternativas {
            for p in &e.opciones {
                if !out.contains(&p.id.as_str()) {
                    out.push(p.id.as_str());
                }
            }
        }
        out
    }

    /// `AMB-001`, or `fila 7` when the row has no code.
    pub fn quien(&self) -> String {
        match &self.codigo {
            Some(c) if !c.trim().is_empty() => c.clone(),
            _ => format!("fila {}", self.fila),
        }
    }
}

/// Evaluates every row with `evaluar` (the CLI passes its `evaluate_row`
/// with the trace on) and collects the counts and one profile per
/// organization. `auditoria` is stored as given.
pub fn recolectar<I, F>(program: &Program, rows: I, mut evaluar: F, auditoria: Auditoria) -> Informe
where
    I: IntoIterator<Item = Row>,
    F: FnMut(Row) -> Salida,
{
    let mut rec = Recolector::new(program);
    for row in rows {
        let labels = etiquetas(program, &row);
        let salida = evaluar(row);
        rec.agregar(&salida, labels);
    }
    let (resumen, perfiles) = rec.terminar();
    Informe {
        resumen,
        perfiles,
        auditoria,
    }
}

/// A share as analysts read it: `33,3 %` (one decimal, decimal comma).
pub fn por_ciento(share: f64) -> String {
    let r = (share * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{} %", r as i64)
    } else {
        format!("{r:.1} %").replace('.', ",")
    }
}

/// `part / whole` as a percent rounded to one decimal, None when `whole` is 0.
pub fn proporcion(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| ((part as f64 / whole as f64) * 1000.0).round() / 10.0)
}
