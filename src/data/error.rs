//! Errors that stop a data file from being read at all. Problems with single
//! rows are not errors of the file: they go into [`Row::errors`](super::Row).

use std::path::Path;

use miette::Diagnostic;
use serde::Serialize;
use thiserror::Error;

use crate::text::backquoted_list;

/// A declared field with no column in the file, and the file's columns that
/// look like it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingColumn {
    pub field: String,
    pub similar: Vec<String>,
}

/// Why a data file could not be read.
#[derive(Debug, Error, Diagnostic)]
pub enum DataFileError {
    #[error("no existe el archivo de datos `{path}`")]
    #[diagnostic(
        code(reglas::datos::no_existe),
        help("revise la ruta y el nombre del archivo, incluida la extensión (.csv, .xlsx…)")
    )]
    NotFound { path: String },

    #[error("no se pudo leer el archivo de datos `{path}`: {detail}")]
    #[diagnostic(
        code(reglas::datos::no_se_puede_leer),
        help("compruebe que el archivo exista, que tenga permiso de lectura y que no sea una carpeta")
    )]
    Unreadable { path: String, detail: String },

    #[error("no se reconoce el formato del archivo de datos `{path}`")]
    #[diagnostic(
        code(reglas::datos::formato_desconocido),
        help(
            "formatos aceptados, según la extensión: .csv, .tsv o .txt (texto separado por comas, \
             punto y coma o tabulador); .xlsx, .xls u .ods (planillas); .json (una lista de objetos); \
             .jsonl o .ndjson (un objeto por línea)"
        )
    )]
    UnknownFormat { path: String },

    #[error("el archivo de datos `{path}` está vacío")]
    #[diagnostic(
        code(reglas::datos::vacio),
        help("la primera fila debe tener los nombres de las columnas (codigo, nombre…) y cada fila siguiente una organización")
    )]
    Empty { path: String },

    #[error("no se encontró la fila de encabezados en `{path}`")]
    #[diagnostic(code(reglas::datos::sin_encabezado), help("{help}"))]
    NoHeader { path: String, help: String },

    #[error("{message}")]
    #[diagnostic(code(reglas::datos::faltan_columnas), help("{help}"))]
    MissingColumns {
        path: String,
        missing: Vec<MissingColumn>,
        message: String,
        help: String,
    },

    #[error("hay más de una columna para el campo `{field}` en `{path}`: {columns}")]
    #[diagnostic(
        code(reglas::datos::columna_repetida),
        help("deje una sola de esas columnas, o cambie el nombre de las que no corresponden al campo")
    )]
    RepeatedColumn {
        path: String,
        field: String,
        columns: String,
    },

    #[error("codificación desconocida `{label}` para leer `{path}`")]
    #[diagnostic(
        code(reglas::datos::codificacion_desconocida),
        help("use utf-8, windows-1252 o latin1; sin indicarla, se detecta sola")
    )]
    UnknownEncoding { path: String, label: String },

    #[error("el archivo `{path}` no está en UTF-8: {detail}")]
    #[diagnostic(
        code(reglas::datos::codificacion),
        help("guárdelo de nuevo en UTF-8 (en Excel: «CSV UTF-8»; en un editor de texto: codificación UTF-8)")
    )]
    Encoding { path: String, detail: String },

    #[error("la planilla `{path}` no tiene una hoja llamada `{sheet}`")]
    #[diagnostic(
        code(reglas::datos::hoja_no_existe),
        help("hojas del archivo: {available}; indique una de ellas por su nombre o su número (1 = la primera)")
    )]
    SheetNotFound {
        path: String,
        sheet: String,
        available: String,
    },

    #[error("no se pudo abrir la planilla `{path}` (detalle técnico: {detail})")]
    #[diagnostic(
        code(reglas::datos::planilla_ilegible),
        help("el archivo puede estar dañado, protegido con contraseña o no ser de verdad una planilla; ábralo en Excel o LibreOffice y guárdelo de nuevo como .xlsx")
    )]
    Spreadsheet { path: String, detail: String },

    #[error(
        "la hoja `{sheet}` de `{path}` ocupa {rows} filas por {columns} columnas: más de las \
         {limit} celdas que se leen de una planilla"
    )]
    #[diagnostic(
        code(reglas::datos::hoja_demasiado_grande),
        help(
            "suele ser una celda escrita muy lejos de los datos (o un formato aplicado a filas o \
             columnas enteras): borre las filas y columnas vacías que siguen a los datos; si de \
             verdad son tantos datos, guárdelos como CSV, que se lee fila por fila"
        )
    )]
    SheetTooLarge {
        path: String,
        sheet: String,
        rows: u64,
        columns: u64,
        limit: String,
    },

    #[error("el archivo `{path}` no es JSON válido: {detail}")]
    #[diagnostic(
        code(reglas::datos::json_invalido),
        help("un archivo .json debe contener una lista de objetos, `[{{\"codigo\": \"A1\", …}}, …]`; para un objeto por línea use la extensión .jsonl")
    )]
    Json { path: String, detail: String },
}

pub(crate) fn path_text(path: &Path) -> String {
    path.display().to_string()
}

impl DataFileError {
    pub(crate) fn io(path: &Path, e: &std::io::Error) -> DataFileError {
        if e.kind() == std::io::ErrorKind::NotFound {
            DataFileError::NotFound {
                path: path_text(path),
            }
        } else {
            DataFileError::Unreadable {
                path: path_text(path),
                detail: crate::text::system_error(e),
            }
        }
    }

    pub(crate) fn missing_columns(
        path: &Path,
        missing: Vec<MissingColumn>,
        unknown: &[&str],
    ) -> DataFileError {
        let names: Vec<&str> = missing.iter().map(|m| m.field.as_str()).collect();
        let message = if missing.len() == 1 {
            format!(
                "falta la columna {} en `{}`",
                backquoted_list(&names, 50),
                path.display()
            )
        } else {
            format!(
                "faltan {} columnas en `{}`: {}",
                missing.len(),
                path.display(),
                backquoted_list(&names, 50)
            )
        };
        let mut help = String::new();
        for m in &missing {
            if m.similar.is_empty() {
                help.push_str(&format!("`{}`: no hay ninguna columna parecida\n", m.field));
            } else {
                help.push_str(&format!(
                    "`{}`: ¿es la columna `{}`?\n",
                    m.field,
                    m.similar.join("` o `")
                ));
            }
        }
        help.push_str(
            "Cambie el nombre de la columna en el archivo, o agregue el nombre que usa el archivo \
             al campo en las reglas: `también \"nombre_en_el_archivo\"`. Si el archivo no tiene \
             ese dato (por ejemplo, es de antes de que el campo se agregara a las reglas), use \
             `--columnas-faltantes-sin-dato`: la columna se toma como sin dato en todas las filas.",
        );
        if !unknown.is_empty() {
            help.push_str(&format!(
                "\nColumnas del archivo que no corresponden a ningún campo: {}",
                backquoted_list(unknown, 30)
            ));
        }
        DataFileError::MissingColumns {
            path: path_text(path),
            missing,
            message,
            help,
        }
    }
}
