//! `reglas evaluar … --variantes CARPETA`: loads the regional variants of a
//! folder, checks them against the base rules and opens the data file once
//! per set of fields, for `batch::evaluate_variants_into`.

use std::path::Path;

use reglas::corrections::CleaningLog;
use reglas::data::DataSource;
use reglas::program::Program;
use reglas::provenance::{ArchivoHuella, Auditoria};
use reglas::render::diagnostics::ErrorFormat;
use reglas::variants::{self, VariantSet};

use super::args::ReadArgs;
use super::{fail, read_corrections, report, EXIT_FAILED};

/// What `--variantes` asked for.
pub struct VariantArgs<'a> {
    pub folder: &'a Path,
    /// The field whose value chooses the variant (`region`).
    pub field: &'a str,
}

/// The variants and, for each, its reader of the data file and its
/// cleaning log (read with its fields).
pub struct Regional {
    pub set: VariantSet,
    pub sources: Vec<DataSource>,
    pub corrections: Vec<Option<CleaningLog>>,
}

/// Loads and checks the variants, reporting every problem; Err is the exit
/// code.
pub fn prepare(
    base: &Program,
    rules: &Path,
    data: &Path,
    args: &VariantArgs,
    read: &ReadArgs,
    correcciones: Option<&Path>,
    errors: ErrorFormat,
) -> Result<Regional, i32> {
    let files = variants::files_of(args.folder).map_err(|f| fail::failed(f, errors))?;
    let mut loaded = Vec::new();
    let mut broken = false;
    for file in files {
        let l = reglas::load::load_file(&file);
        broken |= report::rule_problems(&l, errors);
        if let Some(program) = l.program {
            loaded.push((file, program));
        }
    }
    if broken {
        report::nothing_evaluated(errors);
        return Err(EXIT_FAILED);
    }
    let set = VariantSet::new(base, rules, args.field, loaded).map_err(|failures| {
        for f in &failures {
            fail::print(f, errors);
        }
        EXIT_FAILED
    })?;
    let mut sources = Vec::new();
    let mut corrections = Vec::new();
    for v in &set.variants {
        let source = super::open_data(&v.program, data, read, errors).inspect_err(|_| {
            if errors != ErrorFormat::Json {
                eprintln!(
                    "(al leer los datos con las reglas de la variante {})",
                    v.file.display()
                );
            }
        })?;
        sources.push(source);
        corrections.push(read_corrections(correcciones, &v.program.schema, errors)?);
    }
    Ok(Regional {
        set,
        sources,
        corrections,
    })
}

impl Regional {
    /// The audit record of the base run plus every variant's rule files.
    pub fn audit(&self, mut base: Auditoria) -> Auditoria {
        for v in &self.set.variants {
            for f in ArchivoHuella::de_programa(&v.program) {
                if !base.reglas.contains(&f) {
                    base.reglas.push(f);
                }
            }
        }
        base
    }

    /// Before the results: what was read, what each reader noticed (once
    /// when all noticed it; with the rule file when only that one did), and
    /// which rules go to which rows.
    pub fn describe(&self, data: &Path, base_rules: &Path, base: &DataSource, errors: ErrorFormat) {
        if errors == ErrorFormat::Json {
            return;
        }
        let lectura = reglas::provenance::LecturaUsada::new(data, base.detected());
        eprintln!("Datos: {} ({})", data.display(), lectura.describir());
        let readers: Vec<(&Path, &DataSource)> = std::iter::once((base_rules, base))
            .chain(
                self.set
                    .variants
                    .iter()
                    .map(|v| v.file.as_path())
                    .zip(&self.sources),
            )
            .collect();
        let everywhere = |w: &String| {
            readers
                .iter()
                .all(|(_, s)| s.detected().warnings.contains(w))
        };
        for w in base.detected().warnings.iter().filter(|w| everywhere(w)) {
            eprintln!("advertencia: {w}");
        }
        for (rules, s) in &readers {
            for w in s.detected().warnings.iter().filter(|w| !everywhere(w)) {
                eprintln!("advertencia (con {}): {w}", rules.display());
            }
        }
        let list: Vec<String> = self
            .set
            .variants
            .iter()
            .map(|v| {
                format!(
                    "{} = {} → {}",
                    self.set.field_name,
                    v.value,
                    v.file.display()
                )
            })
            .collect();
        eprintln!(
            "Variantes: {}; las demás filas, con las reglas generales ({}).",
            list.join("; "),
            base_rules.display()
        );
    }
}
