//! The pest parser generated from `grammar/reglas.pest`.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/reglas.pest"]
pub struct ReglasParser;
