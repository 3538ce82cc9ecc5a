//! clap's own errors are in English; analysts read Spanish. Each kind of
//! usage error is retold here, with the usage line and where to find help.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use reglas::codes::Code;
use reglas::diagnostic::Failure;
use reglas::render::diagnostics::ErrorFormat;

use super::{fail, EXIT_OK, EXIT_USAGE};

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub fn report(e: clap::Error) -> i32 {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return EXIT_OK;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return EXIT_USAGE;
        }
        _ => {}
    }
    let arg = context(&e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(&e, ContextKind::InvalidValue).unwrap_or_default();
    let valid = context(&e, ContextKind::ValidValue);
    let suggested = context(&e, ContextKind::SuggestedArg)
        .or_else(|| context(&e, ContextKind::SuggestedSubcommand))
        .or_else(|| context(&e, ContextKind::SuggestedValue));
    let msg = match e.kind() {
        ErrorKind::MissingRequiredArgument => format!("faltan argumentos obligatorios: {arg}"),
        ErrorKind::MissingSubcommand => {
            "falta el comando: `verificar`, `evaluar` o `explicar`".to_string()
        }
        ErrorKind::InvalidSubcommand => {
            let sub = context(&e, ContextKind::InvalidSubcommand).unwrap_or(value.clone());
            format!("no existe el comando `{sub}`")
        }
        ErrorKind::UnknownArgument if !arg.starts_with('-') => {
            format!("sobra el argumento `{arg}`")
        }
        ErrorKind::UnknownArgument => format!("no se reconoce la opción `{arg}`"),
        ErrorKind::InvalidValue => {
            if value.is_empty() {
                format!("falta el valor de {arg}")
            } else {
                format!("valor no válido `{value}` para {arg}")
            }
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("sobra un argumento: `{value}`")
        }
        ErrorKind::ValueValidation => {
            // Our own validators (`--fecha`) explain the problem in Spanish.
            let why = std::error::Error::source(&e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            if why.is_empty() {
                format!("valor no válido `{value}` para {arg}")
            } else {
                format!("valor no válido para {arg}: {why}")
            }
        }
        ErrorKind::ArgumentConflict => {
            format!("la opción {arg} no se puede usar junto con otra indicada")
        }
        ErrorKind::NoEquals => format!("a {arg} le falta `=` y su valor"),
        ErrorKind::InvalidUtf8 => "un argumento no es texto UTF-8 válido".to_string(),
        _ => "los argumentos no son válidos".to_string(),
    };
    let mut help = Vec::new();
    if let Some(path) = split_path(&arg) {
        help.push(format!(
            "Si es parte de una ruta con espacios, escriba la ruta entre comillas:\n  \"{path}\""
        ));
    }
    if let Some(v) = valid {
        help.push(format!("Valores posibles: {v}."));
    }
    if let Some(s) = suggested {
        help.push(format!("¿Quiso decir `{s}`?"));
    }
    help.push("Uso: reglas <COMANDO> [OPCIONES]\nPara más información, escriba `reglas --help` o `reglas <COMANDO> --help`.".to_string());
    let f = Failure::new(Code::BadOption, msg).help(help.join("\n"));
    fail::usage(f, asked_error_format())
}

/// An unexpected word that is probably the end of a path with a space
/// (`Mis datos/Año.csv` without quotes): the path as it was meant. A part
/// that starts with `-` (`Encuesta -Año.csv`) reaches clap as an option
/// (`-A`): it counts when the word as typed looks like a file name.
fn split_path(arg: &str) -> Option<String> {
    if arg.is_empty() {
        return None;
    }
    let args: Vec<String> = std::env::args().collect();
    let at = args.iter().rposition(|a| a == arg).or_else(|| {
        args.iter()
            .rposition(|a| a.starts_with(arg) && a.len() > arg.len())
    })?;
    let typed = &args[at];
    let file_like = typed.contains(['.', '/', '\\']);
    if typed.starts_with('-') && !file_like {
        return None;
    }
    let before = args.get(at.checked_sub(1)?)?;
    if before.starts_with('-') || at < 3 {
        return None;
    }
    Some(format!("{before} {typed}"))
}

/// The `--formato-errores` asked for, read from the raw arguments: clap
/// could not parse them, but an editor that asked for JSON still gets JSON.
pub fn asked_error_format() -> ErrorFormat {
    let args: Vec<String> = std::env::args().collect();
    let value = args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--formato-errores=")
            .map(str::to_string)
            .or_else(|| {
                (a == "--formato-errores")
                    .then(|| args.get(i + 1).cloned())
                    .flatten()
            })
    });
    match value.as_deref() {
        Some("json") => ErrorFormat::Json,
        Some("plano") => ErrorFormat::Plain,
        _ => super::human_errors(),
    }
}
