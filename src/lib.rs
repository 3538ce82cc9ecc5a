//! `reglas`: a rule engine and a small declarative language in Spanish for
//! classifying Organizaciones Económicas Asociativas (OECAs) into maturity levels.
//!
//! The pipeline, one module per stage:
//! source text → [`syntax`] (pest) → [`ast`] with spans → [`check`] (names, types,
//! cycles) → [`program`] → [`eval`] (per row, three-valued) → explanation →
//! [`render`] (terminal, JSON, CSV). Data readers live in [`data`].

pub mod ast;
pub mod batch;
pub mod build_info;
pub mod check;
mod civil_date;
pub mod codes;
pub mod compare;
pub mod compose;
pub mod corrections;
pub mod data;
pub mod diagnostic;
pub mod eval;
pub mod format;
pub mod lint;
pub mod load;
pub mod program;
pub mod provenance;
pub mod render;
pub mod report;
pub mod source;
pub mod syntax;
pub mod template;
pub mod testing;
pub mod text;
pub mod variants;
pub mod web;
