//! The data behind each sentence of an explanation: a name's value as read
//! for this row, and the criteria's sentences with their placeholders filled.

use super::display::{blank_reason, json_value, show};
use super::engine::{Evaluator, State};
use super::outcome::Dato;
use super::value::{Blank, Tri, V};
use crate::program::{Ref, Ty};

impl Evaluator<'_> {
    /// The value of a field, parameter, value or criterion, for the trace.
    pub fn dato(&self, r: Ref, st: &State) -> Dato {
        let p = self.program;
        let (nombre, clase, v, ty) = match r {
            Ref::Field(i) => (
                p.fields[i].name.clone(),
                "campo",
                self.field(i, st.row),
                p.fields[i].ty.clone(),
            ),
            Ref::Param(i) => (
                p.params[i].name.clone(),
                "parámetro",
                self.param(i),
                p.params[i].ty.clone(),
            ),
            Ref::Value(i) => (
                p.values[i].name.clone(),
                "valor",
                st.values[i],
                p.values[i].ty.clone(),
            ),
            Ref::Criterion(i) => {
                let r = st.criteria[i];
                let v = match r.outcome {
                    Tri::Yes => V::Bool(true),
                    Tri::No => V::Bool(false),
                    Tri::Unknown => V::Blank(r.blank.unwrap_or(Blank::Unknown)),
                };
                (p.criteria[i].name.clone(), "criterio", v, Ty::Bool)
            }
        };
        let cambia = match r {
            Ref::Param(i) => p
                .overridden(&p.params[i].name)
                .map(|base| format!("{}, cambia {base}", p.place(p.params[i].span))),
            _ => None,
        };
        Dato {
            pregunta: match r {
                Ref::Field(i) => p.fields[i].question.clone(),
                _ => None,
            },
            cambia,
            nombre,
            clase,
            valor: json_value(p, v, &ty),
            texto: show(p, v, &ty),
            motivo: match v {
                V::Blank(b) => Some(blank_reason(p, b)),
                _ => None,
            },
        }
    }
}
