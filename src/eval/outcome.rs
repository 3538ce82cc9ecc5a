//! The result of evaluating one organization, as data: the level, whether it
//! is provisional, and the structured trace every rendering (text, JSON,
//! reports) is made from. Field names are Spanish: they are the JSON schema
//! documented in `docs/esquema-json.md`.

use serde::Serialize;

use super::display::{field_named, Vocab};
use super::value::Tri;

#[derive(Debug, Clone, Serialize)]
pub struct Resultado {
    pub codigo: Option<String>,
    pub nombre: Option<String>,
    /// Row number in the data file, as the user sees it.
    pub fila: usize,
    /// Level id, or null when no level can be decided.
    pub nivel: Option<String>,
    pub nivel_titulo: Option<String>,
    /// True when a higher level could not be decided for lack of data.
    pub provisional: bool,
    /// Levels still possible (the decided one included), highest first.
    pub posibles: Vec<String>,
    /// Fields whose blanks keep a higher level undecided.
    pub faltan: Vec<String>,
    pub recomendaciones: Vec<RecomendacionOut>,
    /// `revisar …` declarations whose condition holds: the data cannot be
    /// right, so no level is given. Each entry is the message written in
    /// the rule file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub revisar_datos: Vec<String>,
    /// The level just above, when there is one (with the explanation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub siguiente_nivel: Option<String>,
    /// What it lacks to reach `siguiente_nivel`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub le_falta: Option<LeFalta>,
    /// One change away from moving up or down.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fragil: Option<Fragilidad>,
    /// Cleaning-log corrections applied to this organization's data.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub correcciones: Vec<crate::corrections::CorreccionAplicada>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explicacion: Option<Explicacion>,
    /// The compact trace (outcomes only), written under the same key when
    /// the full explanation is not asked for.
    #[serde(rename = "explicacion", skip_serializing_if = "Option::is_none")]
    pub traza: Option<TrazaCompacta>,
    /// With [`Detail::Trace`]: the whole explanation by index, for a trace
    /// file (see [`super::record`]); the other fields only have what
    /// counting needs.
    #[serde(skip)]
    pub registro: Option<Box<super::trace_row::TraceRow>>,
    /// With `--variantes`: the regional rules this row was evaluated with
    /// (`chaco`, or `general` for the base rules).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variante: Option<String>,
}

/// How much of the explanation an evaluation builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Level, possible levels, missing data and the ids of the
    /// recommendations (without section or reason): tables and CSV.
    Level,
    /// Plus the outcome of every level and criterion, values, gap and
    /// fragility, by id: JSON Lines for many organizations.
    Compact,
    /// The whole explanation with titles, places, sentences and data.
    Full,
    /// The whole explanation by index ([`Resultado::registro`]), for a
    /// trace file: what `Full` is made from.
    Trace,
}

/// `{"a": x, "b": y}` from pairs, keeping the rule file's order.
#[derive(Debug, Clone, Default)]
pub struct Pairs<V>(pub Vec<(String, V)>);

impl<V: Serialize> Serialize for Pairs<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TrazaCompacta {
    /// Levels tried, highest first: "sí", "no" or "sin dato".
    pub niveles: Pairs<&'static str>,
    /// Every criterion: "sí", "no", "sin dato" or "no aplica".
    pub criterios: Pairs<&'static str>,
    /// Derived values (null when sin dato).
    pub valores: Pairs<serde_json::Value>,
    /// Why each undecided criterion could not be decided.
    #[serde(skip_serializing_if = "Pairs::is_empty")]
    pub sin_decidir: Pairs<String>,
}

impl<V> Pairs<V> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RecomendacionOut {
    pub id: String,
    /// Empty (and left out) in the compact output: the text is in the rules.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub texto: String,
    pub seccion: Option<String>,
    /// "nivel embrionaria" or "criterio cargos_mujeres no se cumple".
    pub motivo: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub lugar: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Explicacion {
    pub reglas: String,
    pub version: Option<String>,
    pub niveles: Vec<NivelTraza>,
    pub criterios: Vec<CriterioTraza>,
    pub grupos: Vec<GrupoTraza>,
    pub valores: Vec<Dato>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NivelTraza {
    pub id: String,
    pub titulo: String,
    pub seccion: Option<String>,
    /// `cepac.reglas:120`
    pub lugar: String,
    /// In a regional variant: where the base file declared what this overrides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cambia: Option<String>,
    pub condicion: String,
    pub resultado: Tri,
    pub en_otro_caso: bool,
    /// Criteria this level's condition depends on.
    pub criterios: Vec<String>,
    /// Criteria of a `tolera N de` list that are not met, when the level
    /// holds anyway: the failures it tolerates.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tolerados: Vec<String>,
    /// Data, parameters and values the condition reads directly.
    pub datos: Vec<Dato>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CriterioTraza {
    pub id: String,
    pub titulo: String,
    pub grupo: Option<String>,
    pub seccion: Option<String>,
    pub lugar: String,
    /// In a regional variant: where the base file declared what this overrides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cambia: Option<String>,
    pub condicion: String,
    pub resultado: Tri,
    pub aplica: bool,
    /// When the condition had no data: what the blank policy decided
    /// ("no cumple" or "sin decidir").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub politica_sin_dato: Option<String>,
    /// The criterion's own sentence for this result, with the values filled in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frase: Option<String>,
    pub datos: Vec<Dato>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GrupoTraza {
    pub id: String,
    pub titulo: String,
    pub cumplidos: usize,
    pub no_cumplidos: usize,
    pub sin_dato: usize,
    pub no_aplican: usize,
}

/// One value read by a rule: a field, a parameter or a derived value.
#[derive(Debug, Clone, Serialize)]
pub struct Dato {
    pub nombre: String,
    /// "campo", "parámetro" or "valor".
    pub clase: &'static str,
    /// Native value (number, bool, string) or null when blank.
    pub valor: serde_json::Value,
    /// As an analyst reads it: `33,3 %`, `sí`, `sin dato`.
    pub texto: String,
    /// For a field: the survey question, when the rules give one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pregunta: Option<String>,
    /// Why it is blank, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub motivo: Option<String>,
    /// A parameter a regional variant changed: where it is set now and
    /// where the base file set it (`chaco.reglas:20, cambia cepac.reglas:261`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cambia: Option<String>,
}

/// A row that could not be evaluated because of data errors. It stays in the
/// output, with its errors, so nothing is silently dropped.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Rechazo {
    pub codigo: Option<String>,
    pub nombre: Option<String>,
    pub fila: usize,
    pub errores: Vec<crate::data::CellError>,
    /// With `--variantes`: the regional rules whose fields the row was read
    /// with (see [`Resultado::variante`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variante: Option<String>,
}

/// One line of output: an evaluated organization or a rejected row.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Salida {
    Evaluada(Box<Resultado>),
    Rechazada(Rechazo),
}

impl Salida {
    /// The regional rules the row was evaluated with (`--variantes`).
    pub fn variante(&self) -> Option<&str> {
        match self {
            Salida::Evaluada(r) => r.variante.as_deref(),
            Salida::Rechazada(r) => r.variante.as_deref(),
        }
    }

    pub fn set_variante(&mut self, name: &str) {
        let slot = match self {
            Salida::Evaluada(r) => &mut r.variante,
            Salida::Rechazada(r) => &mut r.variante,
        };
        *slot = Some(name.to_string());
    }

    pub fn fila(&self) -> usize {
        match self {
            Salida::Evaluada(r) => r.fila,
            Salida::Rechazada(r) => r.fila,
        }
    }

    pub fn codigo(&self) -> Option<&str> {
        match self {
            Salida::Evaluada(r) => r.codigo.as_deref(),
            Salida::Rechazada(r) => r.codigo.as_deref(),
        }
    }
}

/// What an organization lacks to reach the next level up (computed in
/// [`super::gap`]).
#[derive(Debug, Clone, Serialize)]
pub struct LeFalta {
    /// The level it would reach.
    pub nivel: String,
    /// The fewest changes (criteria to meet, or conditions) needed.
    pub minimo: usize,
    /// Criteria that must all be met.
    pub criterios: Vec<Pendiente>,
    /// "Any `cuantos` of `opciones`".
    pub alternativas: Vec<Eleccion>,
    /// Other conditions on the data that must hold.
    pub condiciones: Vec<String>,
    /// Recommendations attached to the criteria above.
    pub recomendaciones: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pendiente {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub titulo: String,
    /// "no" (not met) or "sin dato" (undecided: complete the data first).
    pub resultado: Tri,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub datos: Vec<Dato>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Eleccion {
    pub cuantos: usize,
    pub opciones: Vec<Pendiente>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Fragilidad {
    /// One change away from the next level up.
    pub sube: bool,
    /// Criteria that, if lost, would drop the organization from its level.
    pub baja: Vec<String>,
    /// Criteria that one numeric answer, one unit more or less, would
    /// flip (evaluated on the whole condition: another branch of an `o`
    /// that still holds keeps a criterion from being fragile).
    pub margen: Vec<String>,
    /// Those answers: which one, what it would be, and what would change.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cambios: Vec<CambioRespuesta>,
}

/// One answer changed by one unit that flips a criterion the level (or the
/// next one) depends on.
#[derive(Debug, Clone, Serialize)]
pub struct CambioRespuesta {
    pub campo: String,
    /// The answer now and the changed one, as an analyst reads them.
    pub ahora: String,
    pub seria: String,
    /// Criteria whose result would change.
    pub criterios: Vec<String>,
    /// The level the organization would then get, when it changes ("" for
    /// none that can be decided).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nivel: Option<String>,
    /// Its title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nivel_titulo: Option<String>,
}

impl Fragilidad {
    pub fn is_fragile(&self) -> bool {
        self.sube || !self.baja.is_empty() || !self.margen.is_empty()
    }
}

/// One criterion's result for one organization: whether it applies, and
/// its outcome (meaningless when it does not apply).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CriterionOutcome {
    pub aplica: bool,
    pub resultado: Tri,
}

/// Criteria of a group by result: met, unmet, undecided, not applicable.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct GroupTally {
    pub cumplidos: usize,
    pub no_cumplidos: usize,
    pub sin_dato: usize,
    pub no_aplican: usize,
}

impl GroupTally {
    /// Over the outcomes of a group's `members` (criterion indices).
    pub fn of(members: &[usize], outcomes: &[CriterionOutcome]) -> GroupTally {
        let mut t = GroupTally::default();
        for o in members.iter().filter_map(|&i| outcomes.get(i)) {
            match (o.aplica, o.resultado) {
                (false, _) => t.no_aplican += 1,
                (true, Tri::Yes) => t.cumplidos += 1,
                (true, Tri::No) => t.no_cumplidos += 1,
                (true, Tri::Unknown) => t.sin_dato += 1,
            }
        }
        t
    }

    pub fn aplicables(&self) -> usize {
        self.cumplidos + self.no_cumplidos + self.sin_dato
    }
}

impl Resultado {
    /// Every criterion's outcome in declaration order, from whichever trace
    /// was built (full or compact); None without a trace.
    pub fn criterion_outcomes(&self) -> Option<Vec<CriterionOutcome>> {
        if let Some(e) = &self.explicacion {
            return Some(
                e.criterios
                    .iter()
                    .map(|c| CriterionOutcome {
                        aplica: c.aplica,
                        resultado: c.resultado,
                    })
                    .collect(),
            );
        }
        let t = self.traza.as_ref()?;
        Some(
            t.criterios
                .0
                .iter()
                .map(|(_, word)| {
                    let resultado = [Tri::Yes, Tri::No, Tri::Unknown]
                        .into_iter()
                        .find(|r| r.word() == *word);
                    CriterionOutcome {
                        aplica: resultado.is_some(),
                        resultado: resultado.unwrap_or(Tri::Yes),
                    }
                })
                .collect(),
        )
    }
}

/// Id of the recommendation every rule file gets for missing data.
pub const COMPLETE_THE_SURVEY: &str = "completar_ficha";

/// The first recommendation of a provisional result: the answers that are
/// missing (`fields`, indices into `vocab`) and could change the level,
/// each named with its survey question; the compact result has no text, so
/// it names nothing.
pub(super) fn complete_the_survey_out<N: Vocab + ?Sized>(
    vocab: &N,
    fields: &[usize],
    detail: Detail,
) -> RecomendacionOut {
    RecomendacionOut {
        id: COMPLETE_THE_SURVEY.to_string(),
        texto: if detail != Detail::Compact {
            complete_the_survey_text(fields.iter().map(|&f| field_named(vocab, f)).collect())
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
