//! A whole data file evaluated into one output, in one streaming pass:
//! corrections applied as rows are read, evaluation on every core, records
//! written in file order, totals counted, and the first rejected rows kept
//! to detail on the terminal. `reglas evaluar` is this plus its options.

use std::io;

use crate::corrections::CleaningLog;
use crate::data::Row;
use crate::eval::{Detail, Evaluator, Prepared, Rechazo, StreamOptions, Summary};
use crate::provenance::Auditoria;
use crate::render::results::{ResultWriter, Totals};
use crate::variants::VariantSet;

/// Rejected rows kept in memory to detail on the terminal at the end (all of
/// them are in the output anyway).
pub const REJECTED_KEPT: usize = 100;

/// What one pass counted.
pub struct Outcome {
    pub totals: Totals,
    /// The first [`REJECTED_KEPT`] rejected rows.
    pub rejected: Vec<Rechazo>,
    /// The audit record the output got.
    pub audit: Auditoria,
}

/// Makes the audit record, evaluates every row of `rows` into `writer` and
/// finishes the writer. The record (which hashes every input file) is made
/// first when the output starts with it (JSON); otherwise it is made on
/// another thread while the rows are evaluated, and given to the writer at
/// the end: hashing a 150 MB file took 5 % of the run before anything else
/// could start. `progress` is told how many rows each batch had.
pub fn evaluate_into(
    evaluator: &Evaluator,
    audit: impl FnOnce() -> Auditoria + Send,
    rows: impl Iterator<Item = Row> + Send,
    corrections: Option<&mut CleaningLog>,
    writer: &mut dyn ResultWriter,
    detail: Detail,
    progress: &dyn Fn(usize),
) -> io::Result<Outcome> {
    std::thread::scope(|s| {
        // Ok: made already; Err: being made on another thread.
        let pending = if writer.audit_at_end() {
            Err(s.spawn(audit))
        } else {
            Ok(audit())
        };
        if let Ok(a) = &pending {
            writer.audit(a)?;
        }
        let (totals, rejected) =
            evaluate_rows(evaluator, rows, corrections, writer, detail, progress)?;
        let audit = match pending {
            Ok(a) => a,
            Err(thread) => {
                let a = thread
                    .join()
                    .map_err(|_| io::Error::other("no se pudo armar el registro de auditoría"))?;
                writer.audit(&a)?;
                a
            }
        };
        writer.finish()?;
        Ok(Outcome {
            totals,
            rejected,
            audit,
        })
    })
}

/// The streaming pass itself: the totals and the first rejected rows.
fn evaluate_rows(
    evaluator: &Evaluator,
    rows: impl Iterator<Item = Row> + Send,
    mut corrections: Option<&mut CleaningLog>,
    writer: &mut dyn ResultWriter,
    detail: Detail,
    progress: &dyn Fn(usize),
) -> io::Result<(Totals, Vec<Rechazo>)> {
    let mut totals = Totals::new(evaluator.program);
    let mut rejected = Vec::new();
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
            totals.add_summary(&e.summary);
            if e.salida.is_none() {
                writer.count(&e.summary);
            }
            if let Some(r) = &e.summary.rejected {
                if rejected.len() < REJECTED_KEPT {
                    rejected.push(r.clone());
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
    Ok((totals, rejected))
}

/// [`evaluate_into`] for a mixed file (`--variantes`): `sources[0]` reads
/// the file with the base rules' fields and `sources[k + 1]` with variant
/// `k`'s, all in step, so each row is read once per set of fields and
/// evaluated with the rules its region chooses; the output says which.
/// `evaluators` and `corrections` are in the same order as `sources`.
/// Sequential: mixed regional files are survey-sized.
#[allow(clippy::too_many_arguments)]
pub fn evaluate_variants_into(
    set: &VariantSet,
    evaluators: &[Evaluator],
    audit: &Auditoria,
    mut sources: Vec<Box<dyn Iterator<Item = Row> + '_>>,
    corrections: &mut [Option<CleaningLog>],
    writer: &mut dyn ResultWriter,
    detail: Detail,
    progress: &dyn Fn(usize),
) -> io::Result<Outcome> {
    writer.audit(audit)?;
    let base = evaluators[0].program;
    let mut outcome = Outcome {
        totals: Totals::new(base),
        rejected: Vec::new(),
        audit: audit.clone(),
    };
    let levels: Vec<&str> = base.levels.iter().map(|l| l.name.as_str()).collect();
    loop {
        let mut rows: Vec<Option<Row>> = sources.iter_mut().map(|s| s.next()).collect();
        if rows.iter().all(Option::is_none) {
            break;
        }
        // Every reader sees the same lines of the same file.
        let line = rows[0].as_ref().map(|r| r.line);
        if rows.iter().any(|r| r.as_ref().map(|r| r.line) != line) {
            return Err(io::Error::other(
                "el archivo no se leyó igual con las reglas de cada variante (¿cambió mientras se leía?)",
            ));
        }
        let chosen = rows[0].as_ref().and_then(|r| set.choose(r));
        let k = chosen.map_or(0, |v| v + 1);
        let Some(mut row) = rows[k].take() else {
            break;
        };
        let applied = match corrections[k].as_mut() {
            Some(log) => log.apply(&mut row),
            None => Vec::new(),
        };
        let prepared = Prepared {
            row,
            corrections: applied,
        };
        let mut salida = evaluators[k].salida(prepared, detail);
        salida.set_variante(set.name(chosen));
        let summary = Summary::of(&salida, levels.iter().copied());
        outcome.totals.add_summary(&summary);
        if let Some(r) = &summary.rejected {
            if outcome.rejected.len() < REJECTED_KEPT {
                outcome.rejected.push(r.clone());
            }
        }
        writer.write(&salida)?;
        progress(1);
    }
    writer.finish()?;
    Ok(outcome)
}
