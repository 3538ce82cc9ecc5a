//! A whole data file evaluated into one output, in one streaming pass:
//! corrections applied as rows are read, evaluation on every core, records
//! written in file order, totals counted, and the first rejected rows kept
//! to detail on the terminal. `reglas evaluar` is this plus its options.

use std::io;

use crate::corrections::CleaningLog;
use crate::data::Row;
use crate::eval::{Detail, Evaluator, Prepared, Rechazo, StreamOptions};
use crate::provenance::Auditoria;
use crate::render::results::{ResultWriter, Totals};

/// Rejected rows kept in memory to detail on the terminal at the end (all of
/// them are in the output anyway).
pub const REJECTED_KEPT: usize = 100;

/// What one pass counted.
pub struct Outcome {
    pub totals: Totals,
    /// The first [`REJECTED_KEPT`] rejected rows.
    pub rejected: Vec<Rechazo>,
}

/// Writes the audit record, evaluates every row of `rows` into `writer`
/// and finishes the writer. `progress` is told how many rows each batch had.
pub fn evaluate_into(
    evaluator: &Evaluator,
    audit: &Auditoria,
    rows: impl Iterator<Item = Row> + Send,
    mut corrections: Option<&mut CleaningLog>,
    writer: &mut dyn ResultWriter,
    detail: Detail,
    progress: &dyn Fn(usize),
) -> io::Result<Outcome> {
    writer.audit(audit)?;
    let mut outcome = Outcome {
        totals: Totals::new(evaluator.program),
        rejected: Vec::new(),
    };
    // Corrections are applied on the reading thread, in file order.
    let prepare = |mut row: Row| {
        let corrections = match corrections.as_deref_mut() {
            Some(log) => log.apply(&mut row),
            None => Vec::new(),
        };
        Prepared { row, corrections }
    };
    // JSON and CSV records are encoded on the evaluating threads.
    let encoder = writer.encoder();
    let options = StreamOptions {
        detail,
        encoder: encoder.as_deref(),
        threads: 0,
    };
    evaluator.evaluate_stream(rows, prepare, options, |batch| {
        progress(batch.rows.len());
        for e in &batch.rows {
            outcome.totals.add_summary(&e.summary);
            if e.salida.is_none() {
                writer.count(&e.summary);
            }
            if let Some(r) = &e.summary.rejected {
                if outcome.rejected.len() < REJECTED_KEPT {
                    outcome.rejected.push(r.clone());
                }
            }
            if let Some(salida) = &e.salida {
                writer.write(salida)?;
            }
        }
        if encoder.is_some() {
            writer.write_encoded(&batch.encoded)?;
        }
        Ok::<(), io::Error>(())
    })?;
    writer.finish()?;
    Ok(outcome)
}
