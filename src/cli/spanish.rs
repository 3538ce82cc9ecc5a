//! clap writes a few words of its own in English ("[OPTIONS]", "[default:
//! …]", "[possible values: …]"). The command is rewritten here so that every
//! word of the help is Spanish: usage lines, default values and the allowed
//! values (with their descriptions) become part of each option's text.

use clap::{Arg, Command, CommandFactory};

use super::args::Cli;

/// The `reglas` command with its help entirely in Spanish.
pub fn command() -> Command {
    let mut cmd = localize(Cli::command());
    cmd.build();
    let usages: Vec<(String, String)> = cmd
        .get_subcommands_mut()
        .map(|s| {
            (
                s.get_name().to_string(),
                spanish_usage(&s.render_usage().to_string()),
            )
        })
        .collect();
    let top = spanish_usage(&cmd.render_usage().to_string());
    let mut cmd = cmd.override_usage(top);
    for (name, usage) in usages {
        cmd = cmd.mut_subcommand(name, |s| s.override_usage(usage));
    }
    cmd
}

fn spanish_usage(rendered: &str) -> String {
    rendered
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", "[OPCIONES]")
        .replace("<COMMAND>", "<COMANDO>")
}

fn localize(cmd: Command) -> Command {
    // Positional arguments are listed in the order they are typed.
    let mut position = 0;
    cmd.mut_args(|a| {
        let a = if a.get_long().is_none() && a.get_short().is_none() {
            position += 1;
            a.display_order(position)
        } else {
            a
        };
        localize_arg(a)
    })
    .mut_subcommands(localize)
}

fn localize_arg(a: Arg) -> Arg {
    if !a.get_action().takes_values() {
        return a;
    }
    let mut extra = Vec::new();
    let values: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| match v.get_help() {
            Some(h) => format!("`{}` ({})", v.get_name(), lower_first(&h.to_string())),
            None => format!("`{}`", v.get_name()),
        })
        .collect();
    if !values.is_empty() {
        extra.push(format!("valores: {}", values.join(", ")));
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() {
        extra.push(format!("por defecto: {}", defaults.join(", ")));
    }
    let a = a.hide_default_value(true);
    if extra.is_empty() {
        return if values.is_empty() {
            a
        } else {
            a.hide_possible_values(true)
        };
    }
    let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
    a.help(format!("{help} [{}]", extra.join("; ")))
        .hide_possible_values(true)
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
