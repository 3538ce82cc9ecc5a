//! The `reglas` command: a thin layer over the library. Parses arguments,
//! calls the pipeline and prints; all decisions live in the library.

mod cli;

fn main() {
    restore_default_sigpipe();
    std::process::exit(cli::run());
}

/// Rust ignores SIGPIPE, so writing to a closed pipe (`reglas … | head`)
/// becomes an error that `eprintln!` turns into a crash. Command-line tools
/// are expected to stop quietly instead, as the default signal action does.
#[cfg(unix)]
fn restore_default_sigpipe() {
    const SIGPIPE: i32 = 13;
    const SIG_DFL: usize = 0;
    extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    // SAFETY: setting the default action of a signal has no preconditions.
    unsafe {
        signal(SIGPIPE, SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_default_sigpipe() {}
