//! `reglas` run with no arguments by a person, not a script: a Spanish
//! welcome instead of a usage error. On Windows a double-click opens a
//! console that closes when the program ends, so there the welcome waits for
//! Enter; otherwise the analyst would see a window flash and vanish.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

/// The folder separator analysts type on this system.
#[cfg(windows)]
const SEP: &str = "\\";
#[cfg(not(windows))]
const SEP: &str = "/";

/// With no arguments on a console: prints the welcome (and waits for Enter
/// when the console is this program's own) and gives the exit code. None
/// when there are arguments or no console, so the usual parsing goes on
/// (and a script still gets the usage error it expects).
pub fn if_no_arguments() -> Option<i32> {
    if std::env::args_os().len() > 1 {
        return None;
    }
    let own_console = console_is_ours();
    let on_terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if !(own_console || on_terminal) {
        return None;
    }
    outln!("{}", text());
    if own_console {
        // A double-click: the browser app on the rules next to the program,
        // served while this window is open.
        if let Some(folder) = exe_folder().and_then(|d| web_folder(&d)) {
            if let Ok(server) = super::web::start(&folder, true, super::human_errors()) {
                std::thread::spawn(move || server.run());
                outln!("reglas web sigue abierto mientras esta ventana esté abierta.");
            }
        }
        out!("Pulse Enter para cerrar esta ventana.");
        let mut line = String::new();
        // End of input (or an error) closes too: never wait forever.
        let _ = std::io::stdin().lock().read_line(&mut line);
    }
    Some(super::EXIT_OK)
}

fn exe_folder() -> Option<PathBuf> {
    std::env::current_exe()
        .ok()?
        .parent()
        .map(Path::to_path_buf)
}

/// Where the browser app opens on a double-click: the `rules` folder next
/// to the program when it has rule files, else the program's own folder
/// when it has them; None (only the welcome) otherwise.
fn web_folder(exe_dir: &Path) -> Option<PathBuf> {
    let has_rules = |dir: &Path| {
        std::fs::read_dir(dir).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                e.path()
                    .extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("reglas"))
            })
        })
    };
    [exe_dir.join("rules"), exe_dir.to_path_buf()]
        .into_iter()
        .find(|d| has_rules(d))
}

/// The welcome: what the program is, how to open a terminal, the three most
/// common commands (on the example data shipped with it) and where the
/// documentation is.
fn text() -> String {
    let s = SEP;
    let open_terminal = if cfg!(windows) {
        "Para usarlo, abra una terminal en esta carpeta: en el Explorador de archivos,\n\
         escriba cmd en la barra de direcciones y pulse Enter. Para ver un ejemplo sin\n\
         escribir nada, haga doble clic en evaluar-ejemplo.bat."
    } else {
        "Para usarlo, escriba uno de estos comandos en la terminal, en la carpeta del\n\
         programa (./reglas en lugar de reglas si la carpeta no está en el PATH)."
    };
    format!(
        "reglas {version}

Bienvenido a reglas: aplica los criterios de caracterización del CEPAC
(archivos .reglas) a las planillas de organizaciones (OECAs), da a cada una su
nivel de madurez y explica por qué.

Es un programa de línea de comandos, que también se usa desde el navegador
(elegir reglas y planillas, ver los niveles, editar un umbral) con
`reglas web rules`: la página se abre sola y funciona sin internet.
{open_terminal}

Los tres comandos más usados:

  reglas verificar rules{s}cepac.reglas
      revisa un archivo de reglas y muestra sus errores y advertencias

  reglas evaluar rules{s}cepac.reglas rules{s}ejemplos{s}organizaciones.csv --salida resultados.xlsx
      da el nivel de cada organización y lo guarda en un libro de Excel

  reglas explicar rules{s}cepac.reglas rules{s}ejemplos{s}organizaciones.csv AMB-001
      explica por qué una organización tiene su nivel y qué le falta

Cambie rules{s}ejemplos{s}organizaciones.csv por su planilla (.xlsx, .ods o .csv).
Todas las opciones: reglas --help
Documentación: LEEME.txt y la carpeta docs (empiece por docs{s}guia-analistas.md).
",
        version = reglas::build_info::TEXTO,
    )
}

/// True when this process is the only one attached to its console: Windows
/// made the console for it, which is what a double-click in the Explorer
/// does. From a terminal (cmd, PowerShell) the shell is attached too.
#[cfg(windows)]
fn console_is_ours() -> bool {
    #[link(name = "kernel32")]
    extern "system" {
        fn GetConsoleProcessList(list: *mut u32, count: u32) -> u32;
    }
    let mut ids = [0u32; 4];
    // SAFETY: the buffer and its length agree; the call only writes into it.
    let attached = unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) };
    attached == 1
}

#[cfg(not(windows))]
fn console_is_ours() -> bool {
    false
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::web_folder;

    #[test]
    fn the_web_app_opens_on_the_rules_next_to_the_program() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(web_folder(dir.path()), None);
        std::fs::write(dir.path().join("propias.reglas"), "").unwrap();
        assert_eq!(web_folder(dir.path()), Some(dir.path().to_path_buf()));
        std::fs::create_dir(dir.path().join("rules")).unwrap();
        std::fs::write(dir.path().join("rules/cepac.reglas"), "").unwrap();
        assert_eq!(web_folder(dir.path()), Some(dir.path().join("rules")));
    }
}
