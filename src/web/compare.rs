//! What an edit changes, before saving it: the same data evaluated with the
//! rules as loaded and as edited, as `reglas comparar` does (organizations
//! that change level, and the criteria that made them change).

use serde::{Deserialize, Serialize};

use crate::compare::{compare_row, rule_differences, Comparison, Titles, TitulosComparacion};
use crate::eval::Evaluator;

use super::http::{json_body, Handled, Reply};
use super::state::{program_of, State};

#[derive(Debug, Deserialize)]
struct Asked {
    reglas: String,
    /// The text before the edit; the saved file when absent.
    #[serde(default)]
    antes: Option<String>,
    despues: String,
    datos: String,
}

pub fn compare(state: &State, body: &[u8]) -> Handled {
    let asked: Asked = json_body(body)?;
    let before = state.rules(&asked.reglas, asked.antes)?;
    let after = state.rules(&asked.reglas, Some(asked.despues))?;
    let (pa, pb) = (program_of(&before)?, program_of(&after)?);
    let (path, _) = state.data_path(&asked.datos)?;
    // Read once per version: each has its own declared fields.
    let (sa, sb) = (state.open_data(pa, &path)?, state.open_data(pb, &path)?);
    let mut c = rule_differences(pa, pb);
    let (ea, eb) = (Evaluator::new(pa), Evaluator::new(pb));
    for (a, b) in sa.zip(sb) {
        compare_row(&mut c, &ea, &eb, &a, &b);
    }
    let titulos = Titles::new(pa, pb).of(&c);
    Ok(Reply::json(&WithTitles {
        comparacion: &c,
        titulos,
    }))
}

/// The comparison, and the title of each name it uses (the page shows
/// titles; the names stay for the rule editor).
#[derive(Serialize)]
struct WithTitles<'a> {
    #[serde(flatten)]
    comparacion: &'a Comparison,
    titulos: TitulosComparacion,
}
