//! `reglas informe --region amboro --rubro café --filtro forma_juridica=cooperativa`:
//! a report of part of a data file. A filter names a declared field and a
//! value; a row is in the report when each filter's field has that value
//! (compared without case or tildes). The report says which filters were
//! used and how many rows they left out.

use serde::Serialize;

use crate::codes::Code;
use crate::data::{FieldType, Row, Value};
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
    /// For a category field, the category's index (its label may differ
    /// from its name).
    #[serde(skip)]
    category: Option<u32>,
    /// As the report shows it: the category's label, else the value.
    #[serde(skip)]
    shown: String,
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
        let mut category = None;
        let mut shown = None;
        let spec = &program.schema.fields[index];
        if let FieldType::Category(names) = &spec.ty {
            // By its name or its label; shown as the rules name it.
            let found = (0..names.len()).find(|&i| {
                name_key(&names[i]) == name_key(&valor)
                    || spec
                        .category_labels
                        .get(i)
                        .is_some_and(|l| name_key(l) == name_key(&valor))
            });
            if let Some(i) = found {
                valor = names[i].clone();
                category = Some(i as u32);
                shown = spec.category_labels.get(i).cloned();
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
            shown: shown.unwrap_or_else(|| valor.clone()),
            valor,
            index,
            category,
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
        if let Some(c) = self.category {
            return matches!(row.values.get(self.index), Some(Some(Value::Category(v))) if *v == c);
        }
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
    /// "Solo las organizaciones con región = Chaco: 6 de 20 filas leídas.",
    /// with the rows `leidas` (those kept); None without filters.
    pub fn frase(&self, leidas: usize) -> Option<String> {
        (!self.filtros.is_empty()).then(|| {
            format!(
                "Solo las organizaciones con {}: {leidas} de {} filas leídas.",
                self.describir(),
                leidas + self.excluidas
            )
        })
    }

    /// `región = Amboró y rubro = café`.
    pub fn describir(&self) -> String {
        self.filtros
            .iter()
            .map(|f| {
                format!(
                    "{} = {}",
                    super::titulo_desglose(&f.campo).to_lowercase(),
                    f.shown
                )
            })
            .collect::<Vec<_>>()
            .join(" y ")
    }
}
