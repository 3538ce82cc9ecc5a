//! Stage 3: evaluation of one organization against a checked [`Program`].
//! Deterministic, no I/O, no loops (the program is acyclic and nesting is
//! bounded). Values and criteria are computed once per row in dependency
//! order; the trace is only built when asked for.

pub mod display;
mod engine;
pub mod gap;
pub mod outcome;
pub mod record;
mod stream;
mod trace;
mod trace_row;
pub mod value;
mod verdict;

pub use display::field_with_question;
pub use engine::Evaluator;
pub use outcome::*;
pub use stream::{Batch, BatchEncoder, Evaluated, Prepared, StreamOptions, Summary};
pub use value::{Blank, Tri, V};
