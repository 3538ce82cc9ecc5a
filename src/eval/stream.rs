//! Evaluating a whole data file in one streaming pass, on every core.
//!
//! Reading, evaluating and writing take comparable time, so they run as a
//! pipeline: one thread reads rows, a few threads evaluate batches of them
//! (and, for JSON and CSV, already encode the records), and the caller's
//! thread consumes the batches in file order. When every evaluating thread
//! is busy, the reading thread evaluates the batch it just read itself
//! instead of waiting: with only the level, reading and evaluating cost
//! about the same, and a reader that waited left a core idle (measured on
//! 2 cores, see docs/rendimiento.md). Batches travel through bounded
//! channels and a fixed number of them exist at once (at most three times
//! the batches in flight, with those the reader made), so memory stays the
//! same whatever the number of rows; a consumer that stops (a full disk, a
//! closed pipe) stops the other threads. The output is the same, byte for
//! byte, whatever the number of threads.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex};

use super::engine::Evaluator;
use super::outcome::{Detail, Rechazo, Salida};
use crate::corrections::CorreccionAplicada;
use crate::data::Row;

/// Rows per batch: enough that channel costs vanish, few enough that the
/// batches in flight stay small.
const BATCH: usize = 64;
/// With the level only, a row costs so little that 64-row batches spent
/// ~3 % of the time waking threads up (the profile's futex calls).
const BATCH_LEVEL: usize = 256;
/// With the full explanation (24 kB of JSON a row), smaller batches keep
/// peak memory down.
const BATCH_FULL: usize = 16;
/// Batches that exist at once, per evaluating thread.
const IN_FLIGHT_PER_THREAD: usize = 3;

/// Work the evaluating threads do on each batch once it is evaluated, so
/// that the consuming thread only copies bytes. Evaluation does not know
/// what the bytes are: the output formats (in `render`) implement it, each
/// giving the same bytes its writer would write for those rows.
pub trait BatchEncoder: Send + Sync {
    fn encode(&self, rows: &[Salida], out: &mut Vec<u8>) -> std::io::Result<()>;
}

/// A row as read, with the cleaning-log corrections applied to it.
pub struct Prepared {
    pub row: Row,
    pub corrections: Vec<CorreccionAplicada>,
}

impl From<Row> for Prepared {
    fn from(row: Row) -> Prepared {
        Prepared {
            row,
            corrections: Vec::new(),
        }
    }
}

/// What counting needs of one output.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Index of the level in the ladder; None without a level or rejected.
    pub level: Option<usize>,
    pub provisional: bool,
    /// The rejection, for rows with data errors.
    pub rejected: Option<Rechazo>,
}

impl Summary {
    /// `levels`: the level ids in ladder order.
    pub fn of<'a>(s: &Salida, levels: impl IntoIterator<Item = &'a str>) -> Summary {
        match s {
            Salida::Evaluada(r) => Summary {
                level: r
                    .nivel
                    .as_deref()
                    .and_then(|n| levels.into_iter().position(|l| l == n)),
                provisional: r.provisional,
                rejected: None,
            },
            Salida::Rechazada(r) => Summary {
                level: None,
                provisional: false,
                rejected: Some(r.clone()),
            },
        }
    }
}

/// One row's result, as the consumer receives it.
pub struct Evaluated {
    /// The output; None when the encoder already put it in [`Batch::encoded`].
    pub salida: Option<Salida>,
    pub summary: Summary,
}

/// Consecutive rows, in file order.
pub struct Batch {
    pub rows: Vec<Evaluated>,
    /// The encoded records of every row, when an encoder was given.
    pub encoded: Vec<u8>,
    /// The evaluating thread that made it, which frees it.
    origin: usize,
}

/// How to run [`Evaluator::evaluate_stream`].
pub struct StreamOptions<'a> {
    pub detail: Detail,
    /// Encodes each batch on the evaluating threads (JSON, CSV).
    pub encoder: Option<&'a dyn BatchEncoder>,
    /// Evaluating threads; 0 = one per core.
    pub threads: usize,
}

impl Evaluator<'_> {
    /// The output for one row: its evaluation, or, when the reader found
    /// errors in it, the rejection with those errors.
    pub fn salida(&self, prepared: Prepared, detail: Detail) -> Salida {
        self.salida_and_row(prepared, detail).0
    }

    /// [`Evaluator::salida`], handing back the row when it was evaluated
    /// (a rejected row moves its code and errors into the output).
    fn salida_and_row(&self, prepared: Prepared, detail: Detail) -> (Salida, Option<Row>) {
        let Prepared { row, corrections } = prepared;
        if row.errors.is_empty() {
            let mut r = self.evaluate_with(&row, detail);
            match r.registro.as_mut() {
                Some(t) => t.correcciones = corrections,
                None => r.correcciones = corrections,
            }
            (Salida::Evaluada(Box::new(r)), Some(row))
        } else {
            let rejected = Rechazo {
                codigo: row.codigo,
                nombre: row.nombre,
                fila: row.line,
                errores: row.errors,
                variante: None,
            };
            (Salida::Rechazada(rejected), None)
        }
    }

    /// Evaluates every row of `rows` (after `prepare`, which runs on the
    /// reading thread, in file order) and hands the results to `consume`
    /// on the calling thread, batch by batch in file order. Stops at the
    /// first error `consume` returns, and returns it.
    pub fn evaluate_stream<R, P, C, E>(
        &self,
        rows: R,
        prepare: P,
        options: StreamOptions,
        consume: C,
    ) -> Result<(), E>
    where
        R: Iterator<Item = Row> + Send,
        P: FnMut(Row) -> Prepared + Send,
        C: FnMut(&Batch) -> Result<(), E>,
    {
        let threads = match options.threads {
            0 => default_threads(options.detail),
            n => n,
        };
        let in_flight = threads * IN_FLIGHT_PER_THREAD;
        // A token per batch in flight: the reader takes one, the consumer
        // gives it back; this bounds memory even if one thread lags.
        let (tokens, token) = sync_channel::<()>(in_flight);
        for _ in 0..in_flight {
            let _ = tokens.send(());
        }
        let (to_evaluate, read) = sync_channel::<Numbered>(in_flight);
        let read = Arc::new(Mutex::new(read));
        let (to_consume, evaluated) = sync_channel::<(u64, Batch)>(in_flight);
        // Rows go back to be freed by the thread that allocated them:
        // freeing on another thread is slow with every allocator tried.
        let (rows_back, spent_rows) = sync_channel::<Vec<Row>>(in_flight);
        // So do consumed batches, to the thread that evaluated them, which
        // reuses their encoding buffer (a few hundred kB).
        let (mut batches_back, spent_batches): (Vec<_>, Vec<_>) = (0..threads)
            .map(|_| sync_channel::<Batch>(in_flight))
            .unzip();
        // The reading thread's, last.
        let (reader_back, reader_spent) = sync_channel::<Batch>(in_flight);
        batches_back.push(reader_back);
        let consumed = AtomicU64::new(0);
        let helper = Helper {
            evaluator: self,
            id: threads,
            detail: options.detail,
            encoder: options.encoder,
            out: to_consume.clone(),
            spent: reader_spent,
            buffers: Vec::new(),
            consumed: &consumed,
            ahead: (in_flight * 2) as u64,
        };
        std::thread::scope(|s| {
            let size = match options.detail {
                Detail::Full => BATCH_FULL,
                Detail::Level => BATCH_LEVEL,
                Detail::Compact | Detail::Trace => BATCH,
            };
            s.spawn(move || {
                read_batches(rows, prepare, size, token, to_evaluate, spent_rows, helper)
            });
            for (id, spent) in spent_batches.into_iter().enumerate() {
                let worker = Worker {
                    id,
                    detail: options.detail,
                    encoder: options.encoder,
                    read: Arc::clone(&read),
                    out: to_consume.clone(),
                    rows_back: rows_back.clone(),
                    spent,
                };
                s.spawn(move || self.evaluate_batches(worker));
            }
            drop((read, to_consume, rows_back));
            consume_in_order(evaluated, tokens, batches_back, &consumed, consume)
        })
    }

    fn evaluate_batches(&self, worker: Worker) {
        let Worker {
            id,
            detail,
            encoder,
            read,
            out,
            rows_back,
            spent,
        } = worker;
        let mut buffers: Vec<Vec<u8>> = Vec::new();
        loop {
            reuse_buffers(&spent, &mut buffers);
            let next = match read.lock() {
                Ok(r) => r.recv(),
                Err(_) => return,
            };
            let Ok((seq, batch)) = next else {
                return; // every row is read
            };
            let (batch, evaluated_rows) =
                self.evaluate_batch(id, detail, encoder, batch, &mut buffers);
            if let Err(e) = rows_back.try_send(evaluated_rows) {
                drop(e); // the reader is behind: free them here
            }
            if out.send((seq, batch)).is_err() {
                return; // the consumer stopped
            }
        }
    }

    /// Evaluates (and encodes) one batch; hands back the rows evaluated.
    fn evaluate_batch(
        &self,
        id: usize,
        detail: Detail,
        encoder: Option<&dyn BatchEncoder>,
        batch: Vec<Prepared>,
        buffers: &mut Vec<Vec<u8>>,
    ) -> (Batch, Vec<Row>) {
        let mut salidas = Vec::with_capacity(batch.len());
        let mut evaluated_rows = Vec::with_capacity(batch.len());
        for p in batch {
            let (salida, row) = self.salida_and_row(p, detail);
            salidas.push(salida);
            evaluated_rows.extend(row);
        }
        let mut encoded = Vec::new();
        if let Some(enc) = encoder {
            encoded = buffers.pop().unwrap_or_default();
            if let Err(e) = enc.encode(&salidas, &mut encoded) {
                // serde_json and csv only fail writing to memory on a
                // bug; say so in the output rather than lose rows.
                encoded.extend_from_slice(format!("error interno al codificar: {e}\n").as_bytes());
            }
        }
        let rows = salidas
            .into_iter()
            .map(|s| {
                let levels = self.program.levels.iter().map(|l| l.name.as_str());
                let summary = Summary::of(&s, levels);
                Evaluated {
                    salida: if encoder.is_some() { None } else { Some(s) },
                    summary,
                }
            })
            .collect();
        let batch = Batch {
            rows,
            encoded,
            origin: id,
        };
        (batch, evaluated_rows)
    }
}

/// Encoding buffers of consumed batches, back for reuse.
fn reuse_buffers(spent: &Receiver<Batch>, buffers: &mut Vec<Vec<u8>>) {
    for done in spent.try_iter() {
        let mut buffer = done.encoded;
        if buffer.capacity() > 0 {
            buffer.clear();
            buffers.push(buffer);
        }
    }
}

fn read_batches<R, P>(
    rows: R,
    mut prepare: P,
    size: usize,
    token: Receiver<()>,
    out: SyncSender<Numbered>,
    spent: Receiver<Vec<Row>>,
    mut helper: Helper,
) where
    R: Iterator<Item = Row>,
    P: FnMut(Row) -> Prepared,
{
    let mut seq = 0;
    let mut batch = Vec::with_capacity(size);
    let mut send = |batch: Vec<Prepared>, seq: &mut u64| {
        spent.try_iter().for_each(drop);
        let n = *seq;
        *seq += 1;
        // No token: the evaluating threads (or the writer) are behind.
        // Evaluate this batch here rather than wait, unless the reader is
        // already far ahead of the writer.
        let batch = match token.try_recv() {
            Ok(()) => return out.send((n, batch)).is_ok(),
            Err(TryRecvError::Disconnected) => return false,
            Err(TryRecvError::Empty) => match helper.help(n, batch) {
                Ok(sent) => return sent,
                Err(batch) => batch,
            },
        };
        token.recv().is_ok() && out.send((n, batch)).is_ok()
    };
    for row in rows {
        batch.push(prepare(row));
        if batch.len() == size {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(size));
            if !send(full, &mut seq) {
                return; // the consumer stopped
            }
        }
    }
    if !batch.is_empty() {
        send(batch, &mut seq);
    }
}

/// The reading thread's means to evaluate a batch itself.
struct Helper<'a> {
    evaluator: &'a Evaluator<'a>,
    /// Its place after the evaluating threads, to get its batches back.
    id: usize,
    detail: Detail,
    encoder: Option<&'a dyn BatchEncoder>,
    out: SyncSender<(u64, Batch)>,
    spent: Receiver<Batch>,
    buffers: Vec<Vec<u8>>,
    /// Batches the consumer has written, and how far ahead of it the
    /// reader may evaluate (what waits to be written is bounded).
    consumed: &'a AtomicU64,
    ahead: u64,
}

impl Helper<'_> {
    /// Evaluates batch `seq` and sends it to the consumer; gives the batch
    /// back when the reader is too far ahead.
    fn help(&mut self, seq: u64, batch: Vec<Prepared>) -> Result<bool, Vec<Prepared>> {
        if seq >= self.consumed.load(Ordering::Relaxed) + self.ahead {
            return Err(batch);
        }
        reuse_buffers(&self.spent, &mut self.buffers);
        let (done, rows) = self.evaluator.evaluate_batch(
            self.id,
            self.detail,
            self.encoder,
            batch,
            &mut self.buffers,
        );
        drop(rows); // made on this thread: freed here
        Ok(self.out.send((seq, done)).is_ok())
    }
}

/// Batches arrive in any order and are consumed in file order. Returning
/// early drops `evaluated` and `tokens`, which stops the other threads.
fn consume_in_order<C, E>(
    evaluated: Receiver<(u64, Batch)>,
    tokens: SyncSender<()>,
    batches_back: Vec<SyncSender<Batch>>,
    consumed: &AtomicU64,
    mut consume: C,
) -> Result<(), E>
where
    C: FnMut(&Batch) -> Result<(), E>,
{
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    for (seq, batch) in evaluated {
        waiting.insert(seq, batch);
        while let Some(batch) = waiting.remove(&next) {
            consume(&batch)?;
            next += 1;
            consumed.store(next, Ordering::Relaxed);
            // The reading thread's own batches took no token.
            let reader_made = batch.origin + 1 == batches_back.len();
            if let Some(back) = batches_back.get(batch.origin) {
                if let Err(e) = back.try_send(batch) {
                    drop(e); // that thread is behind: free it here
                }
            }
            if !reader_made {
                let _ = tokens.try_send(());
            }
        }
    }
    Ok(())
}

/// One evaluating thread per core; but when only the level is asked for,
/// evaluating is as quick as reading, and the reading thread needs a core of
/// its own (measured on 2 cores: 1 evaluating thread is 20 % faster than 2
/// for CSV, 2 are 45 % faster than 1 for JSON Lines). The reader evaluates
/// too when that one thread is behind.
fn default_threads(detail: Detail) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    match detail {
        Detail::Level => cores.saturating_sub(1).max(1),
        Detail::Compact | Detail::Full | Detail::Trace => cores,
    }
}

/// A batch of rows to evaluate, with its place in the file.
type Numbered = (u64, Vec<Prepared>);

/// What each evaluating thread works with.
struct Worker<'a> {
    /// Its place in the list of threads, to get its batches back.
    id: usize,
    detail: Detail,
    encoder: Option<&'a dyn BatchEncoder>,
    read: Arc<Mutex<Receiver<Numbered>>>,
    out: SyncSender<(u64, Batch)>,
    rows_back: SyncSender<Vec<Row>>,
    /// Its batches, once consumed.
    spent: Receiver<Batch>,
}
