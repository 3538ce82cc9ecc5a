#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The multi-threaded evaluation (`Evaluator::evaluate_stream`): the same
//! output, byte for byte and in file order, whatever the number of threads,
//! with every row present, and a consumer that stops stops everything.

use std::io::Write;
use std::path::{Path, PathBuf};

use reglas::data::ReadOptions;
use reglas::eval::record::TraceHeader;
use reglas::eval::{Detail, Evaluator, Prepared, StreamOptions};
use reglas::program::Program;
use reglas::render::results::{Csv, JsonArray, JsonLines, ResultWriter};

fn program() -> Program {
    reglas::load::load_file(Path::new("rules/cepac.reglas"))
        .program
        .expect("rules/cepac.reglas loads")
}

/// The good and the broken example rows, over and over: 3,000 rows with
/// evaluated, provisional and rejected ones (bad cells, repeated codes).
fn many_rows(dir: &Path) -> PathBuf {
    let good = std::fs::read_to_string("rules/ejemplos/organizaciones.csv").unwrap();
    let bad = std::fs::read_to_string("rules/ejemplos/organizaciones-con-errores.csv").unwrap();
    let (header, good_rows) = good.split_once('\n').unwrap();
    let bad_rows = bad.split_once('\n').unwrap().1;
    let path = dir.join("muchas.csv");
    let mut f = std::fs::File::create(&path).unwrap();
    writeln!(f, "{header}").unwrap();
    let mut n = 0;
    'outer: for round in 0.. {
        for line in good_rows.lines().chain(bad_rows.lines()) {
            // Fresh codes for the good rows, so most rows are evaluated.
            let line = match line.split_once(',') {
                Some((code, rest)) if round % 3 != 2 => format!("{code}-{round},{rest}"),
                _ => line.to_string(),
            };
            writeln!(f, "{line}").unwrap();
            n += 1;
            if n == 3000 {
                break 'outer;
            }
        }
    }
    path
}

/// Makes a results writer over a buffer.
type MakeWriter<'a> = &'a dyn Fn(&mut Vec<u8>) -> Box<dyn ResultWriter + '_>;

/// What a writer produces for the whole file, evaluating on `threads`
/// threads (0 = one per core; `None` = one row at a time, no threads).
fn output<W>(
    program: &Program,
    data: &Path,
    (threads, detail): (Option<usize>, Detail),
    make: W,
) -> Vec<u8>
where
    W: Fn(&mut Vec<u8>) -> Box<dyn ResultWriter + '_>,
{
    let ev = Evaluator::new(program);
    let source = reglas::data::open(data, &program.schema, &ReadOptions::default()).unwrap();
    let mut out = Vec::new();
    {
        let mut writer = make(&mut out);
        let audit = reglas::provenance::Auditoria::default();
        writer.audit(&audit).unwrap();
        match threads {
            None => {
                for row in source {
                    writer
                        .write(&ev.salida(Prepared::from(row), detail))
                        .unwrap();
                }
            }
            Some(threads) => {
                let encoder = writer.encoder();
                let options = StreamOptions {
                    detail,
                    encoder: encoder.as_deref(),
                    threads,
                };
                ev.evaluate_stream(source, Prepared::from, options, |batch| {
                    for e in &batch.rows {
                        if let Some(s) = &e.salida {
                            writer.write(s)?;
                        }
                    }
                    if encoder.is_some() {
                        writer.write_encoded(&batch.encoded)?;
                    }
                    Ok::<(), std::io::Error>(())
                })
                .unwrap();
            }
        }
        writer.finish().unwrap();
    }
    out
}

#[test]
fn same_bytes_whatever_the_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let data = many_rows(dir.path());
    let program = program();
    let header = TraceHeader::of(&program);
    let writers: [(&str, Detail, MakeWriter); 4] = [
        ("jsonl", Detail::Compact, &|o| Box::new(JsonLines::new(o))),
        ("json", Detail::Compact, &|o| Box::new(JsonArray::new(o))),
        ("csv", Detail::Compact, &|o| {
            Box::new(Csv::new(o, &program, b';').unwrap())
        }),
        // `jsonl --detalle-completo`: a trace file.
        ("traza", Detail::Trace, &|o| {
            Box::new(JsonLines::with_trace(o, header.clone()))
        }),
    ];
    for (name, detail, make) in writers {
        let sequential = output(&program, &data, (None, detail), make);
        for threads in [1, 2, 3, 0] {
            let parallel = output(&program, &data, (Some(threads), detail), make);
            assert!(
                parallel == sequential,
                "{name} with {threads} threads differs from one row at a time"
            );
        }
        if name == "jsonl" || name == "traza" {
            // The audit record, then one line per input row, in file order.
            let text = String::from_utf8(sequential).unwrap();
            let rows: Vec<serde_json::Value> = text
                .lines()
                .skip(1)
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            assert_eq!(rows.len(), 3000);
            let lines: Vec<u64> = rows.iter().map(|r| r["fila"].as_u64().unwrap()).collect();
            assert_eq!(lines, (2..3002).collect::<Vec<u64>>());
            let rejected = rows.iter().filter(|r| r.get("errores").is_some()).count();
            assert!(rejected > 500 && rejected < 2500, "{rejected} rejected");
        }
    }
}

#[test]
fn counts_from_the_threads_match_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let data = many_rows(dir.path());
    let program = program();
    let ev = Evaluator::new(&program);
    let source = reglas::data::open(&data, &program.schema, &ReadOptions::default()).unwrap();
    let mut by_summary = reglas::render::results::Totals::new(&program);
    let mut by_output = reglas::render::results::Totals::new(&program);
    let options = StreamOptions {
        detail: Detail::Level,
        encoder: None,
        threads: 2,
    };
    ev.evaluate_stream(source, Prepared::from, options, |batch| {
        for e in &batch.rows {
            by_summary.add_summary(&e.summary);
            by_output.add(e.salida.as_ref().unwrap());
        }
        Ok::<(), ()>(())
    })
    .unwrap();
    assert_eq!(by_summary.leidas, 3000);
    assert_eq!(
        serde_json::to_value(&by_summary).unwrap(),
        serde_json::to_value(&by_output).unwrap()
    );
}

#[test]
fn a_consumer_that_stops_stops_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let data = many_rows(dir.path());
    let program = program();
    let ev = Evaluator::new(&program);
    let source = reglas::data::open(&data, &program.schema, &ReadOptions::default()).unwrap();
    let mut batches = 0;
    let options = StreamOptions {
        detail: Detail::Full,
        encoder: None,
        threads: 2,
    };
    // Returns (rather than waiting forever) with the consumer's error.
    let result = ev.evaluate_stream(source, Prepared::from, options, |_| {
        batches += 1;
        if batches == 2 {
            Err("disco lleno")
        } else {
            Ok(())
        }
    });
    assert_eq!(result, Err("disco lleno"));
    assert_eq!(batches, 2);
}
