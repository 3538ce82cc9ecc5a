//! `reglas informe --region amboro --rubro café --filtro forma_juridica=cooperativa`:
//! a report of part of a data file. A filter names a declared field and a
//! value; a row is in the report when each filter's field has that value
//! (compared without case or tildes). The report says which filters were
//! used and how many rows they left out.

use serde::Serialize;

use crate::codes::Code;
use crate::data::{FieldType, Row};
use crate::diagnostic::Failure;
use crate::program::Program;
use crate::text::{did_you_mean, fold, name_key};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Filtro {
    pub campo: String,
    pub valor: String,
    #[serde(skip)]
    index: usize,
    #[serde(skip)]
    key: String,
}

impl Filtro {
    /// A filter on a field the rule file declares; for a category field,
    /// the value must be one of its categories.
    pub fn nuevo(program: &Program, campo: &str, valor: &str) -> Result<Filtro, Failure> {
        let campo = campo.trim();
        let Some(index) = program.schema.index_of(campo) else {
            let names = program.schema.fields.iter().map(|f| f.name.as_str());
            let hint = did_you_mean(campo, names)
                .map(|n| format!("¿Quiso decir `{n}`? "))
                .unwrap_or_default();
            return Err(Failure::new(
                Code::BadOption,
                format!("el filtro usa el campo `{campo}`, que el archivo de reglas no declara"),
            )
            .help(format!(
                "{hint}Escriba el filtro como CAMPO=VALOR con un campo de las reglas, por ejemplo `--filtro region=amboro`."
            )));
        };
        let mut valor = valor.trim().to_string();
        if let FieldType::Category(names) = &program.schema.fields[index].ty {
            // Shown as the rules write it (`Amboró` → `amboro`).
            if let Some(n) = names.iter().find(|n| name_key(n) == name_key(&valor)) {
                valor = n.clone();
            } else {
                let hint = did_you_mean(&valor, names.iter().map(|s| s.as_str()))
                    .map(|n| format!("¿Quiso decir `{n}`? "))
                    .unwrap_or_default();
                return Err(Failure::new(
                    Code::BadOption,
                    format!("`{valor}` no es un valor de `{campo}`"),
                )
                .help(format!("{hint}Valores de `{campo}`: {}.", names.join(", "))));
            }
        }
        Ok(Filtro {
            campo: campo.to_string(),
            key: name_key(&valor),
            valor,
            index,
        })
    }

    /// `--filtro CAMPO=VALOR`.
    pub fn de_texto(program: &Program, texto: &str) -> Result<Filtro, Failure> {
        match texto.split_once('=') {
            Some((c, v)) if !c.trim().is_empty() && !v.trim().is_empty() => {
                Filtro::nuevo(program, c, v)
            }
            _ => Err(Failure::new(
                Code::BadOption,
                format!("`--filtro {texto}` no tiene la forma CAMPO=VALOR"),
            )
            .help("Por ejemplo `--filtro region=amboro` o `--filtro forma_juridica=cooperativa`.")),
        }
    }

    /// Whether the row's field has the filter's value. A blank cell (or one
    /// with an error) has no value, so it does not match.
    pub fn acepta(&self, program: &Program, row: &Row) -> bool {
        super::valor_texto(program, row, self.index)
            .is_some_and(|v| name_key(&v) == self.key || fold(&v) == fold(&self.valor))
    }
}

/// The filters of a report and how many rows they left out.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Filtrado {
    pub filtros: Vec<Filtro>,
    /// Rows read whose values did not match.
    pub excluidas: usize,
}

impl Filtrado {
    /// `región = amboro y rubro = café`.
    pub fn describir(&self) -> String {
        self.filtros
            .iter()
            .map(|f| {
                format!(
                    "{} = {}",
                    super::titulo_desglose(&f.campo).to_lowercase(),
                    f.valor
                )
            })
            .collect::<Vec<_>>()
            .join(" y ")
    }
}
