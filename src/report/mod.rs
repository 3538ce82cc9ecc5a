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
pub mod escape;
pub mod filtro;
pub mod html;
pub mod libro;
pub mod markdown;
pub mod progress;
pub mod svg;
pub mod text;

use serde::Serialize;

use crate::data::{FieldType, Row, Value};
use crate::eval::{
    CriterioTraza, CriterionOutcome, Fragilidad, GrupoTraza, LeFalta, NivelTraza, Resultado,
    Salida, Tri,
};
use crate::program::Program;

use crate::provenance::Auditoria;
pub use aggregate::{Agregado, Recolector};
pub use progress::{comparar, Avance};

/// Fields used for the breakdowns of the summary, when the rule file
/// declares them: (field name, heading).
pub const DESGLOSES: &[(&str, &str)] = &[
    ("region", "Región"),
    ("rubro", "Rubro"),
    ("forma_juridica", "Forma jurídica"),
];

/// The heading of a breakdown field, or the field name when it is not one.
fn titulo_desglose(campo: &str) -> &str {
    DESGLOSES
        .iter()
        .find(|d| d.0 == campo)
        .map(|d| d.1)
        .unwrap_or(campo)
}

/// Everything `reglas informe` shows, for one data file.
#[derive(Debug, Clone, Serialize)]
pub struct Informe {
    pub resumen: Agregado,
    pub perfiles: Vec<Perfil>,
    pub auditoria: Auditoria,
    pub presentacion: Presentacion,
    /// The filters that chose the rows, if any.
    pub filtrado: filtro::Filtrado,
}

/// Organizations above which a report keeps no per-organization sections
/// (its profiles would make a page of gigabytes): the summary, charts and
/// tables stay, and each organization's result goes to a workbook.
pub const LIMITE_PERFILES: usize = 2000;

/// A report's title when none is given.
pub const TITULO: &str = "Informe de caracterización de organizaciones";

/// How a report is presented: its title block and what it includes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Presentacion {
    pub titulo: Option<String>,
    pub proyecto: Option<String>,
    pub periodo: Option<String>,
    /// Only the summary: no per-organization sections.
    pub solo_resumen: bool,
    /// Where each organization's result was written (a workbook), if asked.
    pub organizaciones: Option<String>,
}

impl Informe {
    /// Whether the per-organization sections are in the report: not with
    /// `--solo-resumen`, nor when there were too many organizations.
    pub fn con_perfiles(&self) -> bool {
        !self.presentacion.solo_resumen && self.resumen.recortado.is_none()
    }
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
            Some(Etiqueta {
                campo: (*name).to_string(),
                valor: valor_texto(program, row, i),
            })
        })
        .collect()
}

/// The `i`-th field's value as a person writes it (a category by its
/// name); None for a blank cell.
fn valor_texto(program: &Program, row: &Row, i: usize) -> Option<String> {
    row.values.get(i).and_then(|v| v.as_ref()).map(|v| match v {
        Value::Bool(b) => if *b { "sí" } else { "no" }.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Text(t) => t.trim().to_string(),
        // The label people read (`Amboró`), or the value's name.
        Value::Category(c) => match &program.schema.fields[i].ty {
            FieldType::Category(names) => program.schema.fields[i]
                .category_labels
                .get(*c as usize)
                .or_else(|| names.get(*c as usize))
                .cloned()
                .unwrap_or_default(),
            _ => c.to_string(),
        },
    })
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
    /// Criteria met, unmet, undecided and not applicable, per group (same
    /// order as [`Agregado::grupos`]).
    pub grupos: Vec<Cuentas>,
    /// Why this level: each level tried, from the top down to the one assigned.
    pub por_que: Vec<PasoNivel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub siguiente_nivel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub le_falta: Option<LeFalta>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fragil: Option<Fragilidad>,
    /// Its recommendations, as indices into [`Agregado::recomendaciones`]
    /// (which has their text, shared by all organizations).
    pub recomendaciones: Vec<u32>,
    /// The criteria met (that apply), as indices into
    /// [`Agregado::criterios`]; for `avance`.
    pub cumplidos: Vec<u32>,
    /// Every criterion's result, in the order of [`Agregado::criterios`]:
    /// the dense table of a profile.
    #[serde(skip)]
    pub resultados: Vec<CriterionOutcome>,
    /// The short explanation (verdict, what it lacks, first
    /// recommendations), the same as `reglas explicar` shows.
    pub resumen: crate::render::brief::Brief,
}

/// An organization's criteria in one group, by result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Cuentas {
    pub cumplidos: u32,
    pub no_cumplidos: u32,
    pub sin_dato: u32,
    pub no_aplican: u32,
}

impl Cuentas {
    /// Criteria that apply (met, unmet or undecided).
    pub fn aplicables(&self) -> u32 {
        self.cumplidos + self.no_cumplidos + self.sin_dato
    }
}

impl From<&GrupoTraza> for Cuentas {
    fn from(g: &GrupoTraza) -> Cuentas {
        Cuentas {
            cumplidos: g.cumplidos as u32,
            no_cumplidos: g.no_cumplidos as u32,
            sin_dato: g.sin_dato as u32,
            no_aplican: g.no_aplican as u32,
        }
    }
}

/// One level tried for an organization.
#[derive(Debug, Clone, Serialize)]
pub struct PasoNivel {
    /// The level id; its title is in [`Agregado::niveles`].
    pub id: String,
    pub resultado: Tri,
    pub en_otro_caso: bool,
    /// Criteria this level counts that apply to the organization, and how
    /// many of them it meets.
    pub aplicables: usize,
    pub cumplidos: usize,
    /// The criteria of this level it does not meet or that stay undecided:
    /// why a level above was not reached, or what the assigned level
    /// tolerates. Kept only for the levels a profile details (see
    /// [`Perfil::detalla`]), with their sentence only where it is shown.
    pub pendientes: Vec<Motivo>,
}

/// An unmet criterion; its title is in [`Agregado::criterios`].
#[derive(Debug, Clone, Serialize)]
pub struct Motivo {
    pub id: String,
    pub resultado: Tri,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frase: Option<String>,
}

impl PasoNivel {
    /// "No cumple", or "No cumple o sin dato" when some are undecided.
    pub fn encabezado_pendientes(&self) -> &'static str {
        if self.pendientes.iter().all(|m| m.resultado == Tri::No) {
            "No cumple"
        } else if self.pendientes.iter().all(|m| m.resultado == Tri::Unknown) {
            "Sin dato para decidir"
        } else {
            "No cumple o sin dato"
        }
    }
}

impl Perfil {
    /// Builds the profile from a result evaluated with its trace; `a` is
    /// the aggregate of the same rules (for the shared tables).
    pub fn new(r: &Resultado, etiquetas: Vec<Etiqueta>, a: &Agregado) -> Perfil {
        let empty: &[CriterioTraza] = &[];
        let criterios = r
            .explicacion
            .as_ref()
            .map(|e| e.criterios.as_slice())
            .unwrap_or(empty);
        let mut por_que = pasos(r, criterios);
        podar(&mut por_que, r);
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
            grupos: r
                .explicacion
                .as_ref()
                .map(|e| e.grupos.iter().map(Cuentas::from).collect())
                .unwrap_or_default(),
            por_que,
            siguiente_nivel: r.siguiente_nivel.clone(),
            le_falta: r.le_falta.clone(),
            fragil: r.fragil.clone(),
            recomendaciones: r
                .recomendaciones
                .iter()
                .filter_map(|x| a.recomendaciones.iter().position(|c| c.id == x.id))
                .map(|i| i as u32)
                .collect(),
            cumplidos: criterios
                .iter()
                .enumerate()
                .filter(|(_, c)| c.aplica && c.resultado == Tri::Yes)
                .map(|(i, _)| i as u32)
                .collect(),
            resultados: r.criterion_outcomes().unwrap_or_default(),
            resumen: crate::render::brief::brief(r),
        }
    }

    /// Whether the `i`-th level tried (of `n`) lists its unmet criteria.
    pub fn detalla(&self, i: usize) -> bool {
        detalla(self.nivel.is_none(), i, self.por_que.len())
    }

    /// Whether a level's unmet criteria are listed by title only.
    pub fn compacto(&self, paso: &PasoNivel) -> bool {
        compacto(
            self.nivel.as_deref(),
            self.le_falta.as_ref().map(|g| g.nivel.as_str()),
            &paso.id,
        )
    }

    /// Criteria that keep it at its level: losing any one drops it.
    pub fn sostienen(&self) -> &[String] {
        self.fragil
            .as_ref()
            .map(|f| f.baja.as_slice())
            .unwrap_or(&[])
    }

    /// Criteria decided by one unit or less of their threshold.
    pub fn margen(&self) -> &[String] {
        self.fragil
            .as_ref()
            .map(|f| f.margen.as_slice())
            .unwrap_or(&[])
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

/// The assigned level and the one just above it list their unmet
/// criteria; the levels further up only give their count (the whole list is
/// in `reglas explicar`). With no level, every level is detailed.
fn detalla(sin_nivel: bool, i: usize, n: usize) -> bool {
    sin_nivel || i + 2 >= n
}

/// The level just above (the one "what it lacks" details) lists its unmet
/// criteria by title only.
fn compacto(nivel: Option<&str>, gap_level: Option<&str>, paso: &str) -> bool {
    nivel != Some(paso) && gap_level == Some(paso)
}

/// Evaluates every row with `evaluar` (the CLI passes its `evaluate_row`
/// with the trace on) and collects the counts and one profile per
/// organization. `auditoria` is stored as given.
pub fn recolectar<I, F>(program: &Program, rows: I, evaluar: F, auditoria: Auditoria) -> Informe
where
    I: IntoIterator<Item = Row>,
    F: FnMut(Row) -> Salida,
{
    recolectar_hasta(program, rows, evaluar, auditoria, None)
}

/// Like [`recolectar`]; with a `limite`, past that many organizations the
/// profiles are dropped and the lists of rows kept short (the counts stay
/// exact): memory and the report stay small whatever the data's size.
pub fn recolectar_hasta<I, F>(
    program: &Program,
    rows: I,
    mut evaluar: F,
    auditoria: Auditoria,
    limite: Option<usize>,
) -> Informe
where
    I: IntoIterator<Item = Row>,
    F: FnMut(Row) -> Salida,
{
    let mut rec = Recolector::new(program);
    rec.limite = limite;
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
        presentacion: Presentacion::default(),
        filtrado: filtro::Filtrado::default(),
    }
}

/// Each level tried, from the top down to the one assigned.
fn pasos(r: &Resultado, criterios: &[CriterioTraza]) -> Vec<PasoNivel> {
    let mut por_que = Vec::new();
    let Some(e) = &r.explicacion else {
        return por_que;
    };
    for l in &e.niveles {
        por_que.push(paso(l, criterios));
        if r.nivel.as_deref() == Some(l.id.as_str()) {
            break;
        }
    }
    por_que
}

/// One level: the criteria it counts that apply, those met, and the rest.
fn paso(l: &NivelTraza, criterios: &[CriterioTraza]) -> PasoNivel {
    let mut aplicables = 0;
    let mut cumplidos = 0;
    let mut pendientes = Vec::new();
    let counted = l
        .criterios
        .iter()
        .filter_map(|id| criterios.iter().find(|c| &c.id == id));
    for c in counted {
        if !c.aplica {
            continue;
        }
        aplicables += 1;
        if c.resultado == Tri::Yes {
            cumplidos += 1;
        } else {
            pendientes.push(motivo(c));
        }
    }
    PasoNivel {
        id: l.id.clone(),
        resultado: l.resultado,
        en_otro_caso: l.en_otro_caso,
        aplicables,
        cumplidos,
        pendientes,
    }
}

fn motivo(c: &CriterioTraza) -> Motivo {
    Motivo {
        id: c.id.clone(),
        resultado: c.resultado,
        // The blank policy's sentence starts with the verdict, which the
        // profile already shows.
        frase: c.frase.clone().or_else(|| {
            c.politica_sin_dato.as_deref().map(|t| {
                t.strip_prefix("sin decidir: ")
                    .or_else(|| t.strip_prefix("no cumple: "))
                    .unwrap_or(t)
                    .to_string()
            })
        }),
    }
}

/// Keeps only what a profile shows: the unmet criteria of the levels it
/// details, and their sentences unless listed by title only.
fn podar(por_que: &mut [PasoNivel], r: &Resultado) {
    let n = por_que.len();
    let gap_level = r.le_falta.as_ref().map(|g| g.nivel.clone());
    for (i, paso) in por_que.iter_mut().enumerate() {
        if !detalla(r.nivel.is_none(), i, n) {
            paso.pendientes.clear();
        } else if compacto(r.nivel.as_deref(), gap_level.as_deref(), &paso.id) {
            for m in &mut paso.pendientes {
                m.frase = None;
            }
        }
    }
}
