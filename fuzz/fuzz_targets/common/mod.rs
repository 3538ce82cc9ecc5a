//! What every data-reader fuzz target checks (issue 11), for bytes written
//! to a file with a given extension and read with [`RULES`]:
//!
//! - nothing panics, overflows the stack or hangs (libFuzzer's `-timeout`);
//! - every row read comes out once, evaluated or rejected: the rows the
//!   streaming evaluator hands back are exactly the rows the reader yields
//!   (same count, same row numbers, in order), and
//!   evaluated + rejected = rows read;
//! - the output parses back: each result as JSON, and the CSV of results
//!   with the `csv` crate, one record per row plus the header;
//! - the messages render (a rejected row's errors, a file error's diagnostic).
//!
//! Included by each target with `#[path = "common/mod.rs"] mod common;`.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

use reglas::data::{ReadOptions, Row};
use reglas::eval::{Detail, Evaluator, Prepared, Salida, StreamOptions};
use reglas::program::Program;
use reglas::render::diagnostics::{render_one, ErrorFormat};
use reglas::render::results::{Csv, ResultWriter};

/// Every kind of field, a `máximo`, a group, levels: the reader's whole
/// repertoire of conversions and row checks.
pub const RULES: &str = r#"reglas "Fuzz" versión "1"
campo codigo: texto
campo nombre: texto
campo socios: entero
campo socias: entero
  máximo socios
campo asistencia: porcentaje
campo monto: número
campo activa: sí/no
campo region: categoría (norte, sur, chaco)
campo apoyos: texto
grupo g "Grupo"
criterio grande "Grande"
  grupo g
  condición socios >= 10 y socias >= 1
criterio asiste "Asiste"
  grupo g
  condición asistencia >= 50% o monto > 1000.5
criterio activa_c "Activa"
  grupo g
  condición activa y region en [norte, chaco] y apoyos en [agua, riego]
nivel alto "Alto"
  condición todos de grupo g
nivel medio "Medio"
  condición al menos 1 de grupo g
nivel bajo "Bajo"
  en otro caso
"#;

thread_local! {
    static PROGRAM: Program = reglas::load::load_text("fuzz.reglas", RULES.to_string())
        .program
        .unwrap_or_else(|| panic!("RULES has errors"));
}

pub fn with_program<T>(f: impl FnOnce(&Program) -> T) -> T {
    quiet_caught_panics();
    PROGRAM.with(|p| f(p))
}

/// libfuzzer-sys's panic hook aborts at once, even for a panic the library
/// catches on purpose (calamine panics on some damaged spreadsheets, see
/// `sheet_source::open`). This hook only prints: a panic that is not caught
/// still reaches libfuzzer-sys's `catch_unwind`, which aborts, so crashes
/// are still found.
pub fn quiet_caught_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| eprintln!("{info}")));
    });
}

/// Writes `data` to a fresh file named `datos.<ext>` and returns its folder
/// (removed on drop).
pub fn data_file(data: &[u8], ext: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let path = dir.path().join(format!("datos.{ext}"));
    let mut f = std::fs::File::create(&path).unwrap_or_else(|e| panic!("create: {e}"));
    f.write_all(data).unwrap_or_else(|e| panic!("write: {e}"));
    (dir, path)
}

/// Reads `path` (with `program`), checks the invariants, returns the rows.
pub fn read_and_check(program: &Program, path: &Path, opts: &ReadOptions) -> Vec<Row> {
    let source = match reglas::data::open(path, &program.schema, opts) {
        Ok(s) => s,
        Err(e) => {
            // A file error: it must render in every form.
            for format in [ErrorFormat::Human { color: false }, ErrorFormat::Plain, ErrorFormat::Json] {
                let _ = render_one(&e, format);
            }
            return Vec::new();
        }
    };
    let rows: Vec<Row> = source.collect();
    check_rows(program, &rows, |r| Prepared::from(r));
    rows
}

/// Streams `rows` through the evaluator (after `prepare`) and checks that
/// every row comes out once, in order, and that the output parses back.
pub fn check_rows(program: &Program, rows: &[Row], prepare: impl FnMut(Row) -> Prepared + Send) {
    let ev = Evaluator::new(program);
    let mut seen: Vec<usize> = Vec::new();
    let (mut evaluated, mut rejected) = (0usize, 0usize);
    let mut csv_out: Vec<u8> = Vec::new();
    {
        let mut writer = Csv::new(&mut csv_out, program, b';').unwrap_or_else(|e| panic!("csv: {e}"));
        let options = StreamOptions {
            detail: Detail::Full,
            encoder: None,
            threads: 1,
        };
        let result: std::io::Result<()> =
            ev.evaluate_stream(rows.to_vec().into_iter(), prepare, options, |batch| {
                for e in &batch.rows {
                    let Some(s) = &e.salida else {
                        panic!("a row without its result");
                    };
                    seen.push(s.fila());
                    match s {
                        Salida::Evaluada(r) => {
                            evaluated += 1;
                            let _ = reglas::render::explanation::explain(r);
                        }
                        Salida::Rechazada(r) => {
                            rejected += 1;
                            assert!(!r.errores.is_empty(), "rejected without a reason");
                        }
                    }
                    let json = serde_json::to_string(s).unwrap_or_else(|e| panic!("json: {e}"));
                    let back: serde_json::Value =
                        serde_json::from_str(&json).unwrap_or_else(|e| panic!("json back: {e}"));
                    assert!(back.is_object());
                    writer.write(s)?;
                }
                Ok(())
            });
        result.unwrap_or_else(|e| panic!("stream: {e}"));
        writer.finish().unwrap_or_else(|e| panic!("csv finish: {e}"));
    }
    let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
    assert_eq!(seen, lines, "rows lost, repeated or out of order");
    assert_eq!(evaluated + rejected, rows.len());
    // The CSV of results: a header and one record per row.
    let text = csv_out.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&csv_out);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let records = reader.byte_records().map(|r| r.unwrap_or_else(|e| panic!("csv back: {e}"))).count();
    assert_eq!(records, rows.len() + 1, "the CSV of results does not parse back");
}
