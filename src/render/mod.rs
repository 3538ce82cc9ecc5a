//! Stage 4: rendering. Everything here turns data (problems, results) into
//! text for people or machines; nothing here decides anything.

pub mod brief;
pub mod diagnostics;
pub mod explanation;
pub mod labels;
pub mod results;
pub mod summary;
pub mod verdict;
pub mod xlsx;

pub use crate::text::terminal_safe;
