//! What a person reads for each name a result carries: a level's title, a
//! field with its survey question, a recommendation's text. Results keep
//! names (machines and JSON use them); the outputs people read (the table,
//! CSV and XLSX columns) look them up here, once per rule set.

use crate::eval::{complete_the_survey_text, field_with_question, COMPLETE_THE_SURVEY};
use crate::program::Program;

#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// (id, title), highest level first.
    levels: Vec<(String, String)>,
    /// (name, survey question).
    fields: Vec<(String, Option<String>)>,
    /// (name, text).
    recommendations: Vec<(String, String)>,
}

impl Labels {
    pub fn new(p: &Program) -> Labels {
        Labels {
            levels: p
                .levels
                .iter()
                .map(|l| (l.name.clone(), l.title.clone()))
                .collect(),
            fields: p
                .fields
                .iter()
                .map(|f| (f.name.clone(), f.question.clone()))
                .collect(),
            recommendations: p
                .recommendations
                .iter()
                .map(|r| (r.name.clone(), r.text.clone()))
                .collect(),
        }
    }

    /// A level's title (the id itself when the rules have no such level).
    pub fn level<'a>(&'a self, id: &'a str) -> &'a str {
        self.levels
            .iter()
            .find(|(l, _)| l == id)
            .map_or(id, |(_, t)| t.as_str())
    }

    /// The titles of the levels, highest first.
    pub fn level_titles(&self) -> impl Iterator<Item = &str> {
        self.levels.iter().map(|(_, t)| t.as_str())
    }

    /// A field by name with its survey question: `socios_total` («Número
    /// total de socios y socias»).
    pub fn field(&self, name: &str) -> String {
        let question = self
            .fields
            .iter()
            .find(|(f, _)| f == name)
            .and_then(|(_, q)| q.as_deref());
        field_with_question(name, question)
    }

    /// The text of a recommendation, by name; `faltan` gives the text of
    /// `completar_ficha`. Empty for a name the rules do not have.
    pub fn recommendation(&self, id: &str, faltan: &[String]) -> String {
        if id == COMPLETE_THE_SURVEY {
            return complete_the_survey_text(faltan.iter().map(|f| self.field(f)).collect());
        }
        self.recommendations
            .iter()
            .find(|(name, _)| name == id)
            .map(|(_, text)| text.clone())
            .unwrap_or_default()
    }

    /// Level titles joined for one cell: `Organización consolidada |
    /// Organización embrionaria`.
    pub fn levels_cell(&self, ids: &[String]) -> String {
        ids.iter()
            .map(|i| self.level(i))
            .collect::<Vec<_>>()
            .join(" | ")
    }

    /// Fields with their questions joined for one cell.
    pub fn fields_cell(&self, names: &[String]) -> String {
        names
            .iter()
            .map(|f| self.field(f))
            .collect::<Vec<_>>()
            .join(" | ")
    }
}
