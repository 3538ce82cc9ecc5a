//! One organization of a trace file (see [`super::record`]): what was
//! decided for it, by index into the header, and how its values and blank
//! causes are written in JSON.

use serde::{Deserialize, Serialize};

use super::display::BlankCause;
use super::value::{Blank, V};
use crate::corrections::CorreccionAplicada;
use crate::program::Ty;

/// One organization of a trace file: what was decided for it, by index
/// into the header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceRow {
    pub codigo: Option<String>,
    pub nombre: Option<String>,
    pub fila: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variante: Option<String>,
    pub nivel: Option<usize>,
    pub posibles: Vec<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faltan: Vec<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recomendaciones: Vec<usize>,
    /// The `revisar` declarations that hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisar: Vec<usize>,
    /// One letter per level tried: `s` sí, `n` no, `?` sin dato.
    pub niveles: String,
    /// One letter per criterion: `s`, `n`, `-` (does not apply), `?` (sin
    /// dato) and `x` (no cumple because data is missing).
    pub criterios: String,
    /// The answers of the header's `leidos`, then every value.
    pub campos: Vec<TraceValue>,
    pub valores: Vec<TraceValue>,
    /// Why each blank is blank: one per `?` and `x` criterion, then one
    /// per blank value, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub motivos: Vec<BlankCause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub le_falta: Option<GapPlan>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fragil: Option<FragileIdx>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub correcciones: Vec<CorreccionAplicada>,
}

/// [`LeFalta`](super::LeFalta) by index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapPlan {
    pub nivel: usize,
    pub minimo: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criterios: Vec<usize>,
    /// `[cuantos, [criterios]]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternativas: Vec<(usize, Vec<usize>)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub condiciones: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recomendaciones: Vec<usize>,
}

/// [`Fragilidad`](super::Fragilidad) by index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FragileIdx {
    pub sube: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub baja: Vec<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub margen: Vec<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cambios: Vec<AnswerChange>,
}

/// [`CambioRespuesta`](super::CambioRespuesta) by index: field `campo` from `ahora` to `seria`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerChange {
    pub campo: usize,
    pub ahora: f64,
    pub seria: f64,
    pub criterios: Vec<usize>,
    /// The level it would get, when it changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nivel: Option<usize>,
    /// It would get no level that can be decided.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sin_nivel: bool,
}

/// A value as a trace row keeps it; its type is in the header. A category
/// is its index, a blank `null` (its cause is in `motivos`).
#[derive(Debug, Clone, PartialEq)]
pub enum TraceValue {
    Blank,
    Bool(bool),
    Num(f64),
    Cat(u32),
    Text(String),
}

impl TraceValue {
    pub fn of(v: V) -> TraceValue {
        match v {
            V::Bool(b) => TraceValue::Bool(b),
            V::Num(n) => TraceValue::Num(n),
            V::Text(t) => TraceValue::Text(t.to_string()),
            V::Cat(c) => TraceValue::Cat(c),
            V::Blank(_) => TraceValue::Blank,
        }
    }

    /// As the evaluator's value of type `ty` (a blank's cause aside).
    pub fn view(&self, ty: &Ty) -> V<'_> {
        let category = matches!(ty, Ty::Category(_));
        match self {
            TraceValue::Blank => V::Blank(Blank::Unknown),
            TraceValue::Bool(b) => V::Bool(*b),
            TraceValue::Num(n) if category && n.fract() == 0.0 && *n >= 0.0 => V::Cat(*n as u32),
            TraceValue::Num(n) => V::Num(*n),
            TraceValue::Cat(c) if category => V::Cat(*c),
            TraceValue::Cat(c) => V::Num(f64::from(*c)),
            TraceValue::Text(t) if ty.is_numeric() => match non_finite(t) {
                Some(n) => V::Num(n),
                None => V::Text(t),
            },
            TraceValue::Text(t) => V::Text(t),
        }
    }
}

/// JSON has no infinities: they are written as these strings.
fn non_finite(s: &str) -> Option<f64> {
    match s {
        "NaN" => Some(f64::NAN),
        "inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

impl Serialize for TraceValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            TraceValue::Blank => s.serialize_none(),
            TraceValue::Bool(b) => s.serialize_bool(*b),
            TraceValue::Num(n) if n.is_nan() => s.serialize_str("NaN"),
            TraceValue::Num(n) if n.is_infinite() && *n > 0.0 => s.serialize_str("inf"),
            TraceValue::Num(n) if n.is_infinite() => s.serialize_str("-inf"),
            TraceValue::Num(n) => s.serialize_f64(*n),
            TraceValue::Cat(c) => s.serialize_u32(*c),
            TraceValue::Text(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for TraceValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = TraceValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("un valor: null, true/false, un número o un texto")
            }
            fn visit_unit<E>(self) -> Result<TraceValue, E> {
                Ok(TraceValue::Blank)
            }
            fn visit_none<E>(self) -> Result<TraceValue, E> {
                Ok(TraceValue::Blank)
            }
            fn visit_bool<E>(self, b: bool) -> Result<TraceValue, E> {
                Ok(TraceValue::Bool(b))
            }
            // Integers are category indices (numbers are written `87.0`).
            fn visit_u64<E>(self, n: u64) -> Result<TraceValue, E> {
                Ok(match u32::try_from(n) {
                    Ok(c) => TraceValue::Cat(c),
                    Err(_) => TraceValue::Num(n as f64),
                })
            }
            fn visit_i64<E>(self, n: i64) -> Result<TraceValue, E> {
                Ok(TraceValue::Num(n as f64))
            }
            fn visit_f64<E>(self, n: f64) -> Result<TraceValue, E> {
                Ok(TraceValue::Num(n))
            }
            fn visit_str<E>(self, s: &str) -> Result<TraceValue, E> {
                Ok(TraceValue::Text(s.to_string()))
            }
        }
        d.deserialize_any(Visit)
    }
}

/// `f3` (field 3 is empty), `z3` (field 3 is 0 and divides), `@file:line`
/// (a division by 0 there), `c3` (criterion 3 undecided), `g3` (no
/// criterion of group 3 applies), `?`.
impl Serialize for BlankCause {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let code = match self {
            BlankCause::Missing(f) => format!("f{f}"),
            BlankCause::ZeroField(f) => format!("z{f}"),
            BlankCause::ZeroAt(place) => format!("@{place}"),
            BlankCause::Undecided(c) => format!("c{c}"),
            BlankCause::EmptyGroup(g) => format!("g{g}"),
            BlankCause::Unknown => "?".to_string(),
        };
        s.serialize_str(&code)
    }
}

impl<'de> Deserialize<'de> for BlankCause {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        let index = |rest: &str| {
            rest.parse::<usize>()
                .map_err(|_| serde::de::Error::custom(format!("motivo desconocido `{code}`")))
        };
        Ok(match code.split_at(code.len().min(1)) {
            ("f", rest) => BlankCause::Missing(index(rest)?),
            ("z", rest) => BlankCause::ZeroField(index(rest)?),
            ("@", place) => BlankCause::ZeroAt(place.to_string()),
            ("c", rest) => BlankCause::Undecided(index(rest)?),
            ("g", rest) => BlankCause::EmptyGroup(index(rest)?),
            ("?", "") => BlankCause::Unknown,
            _ => {
                return Err(serde::de::Error::custom(format!(
                    "motivo desconocido `{code}`"
                )))
            }
        })
    }
}
