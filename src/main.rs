//! The `reglas` command: a thin layer over the library. Parses arguments,
//! calls the pipeline and prints; all decisions live in the library.

mod cli;

/// Rows are read, evaluated and written on different threads, so much memory
/// is freed by a thread other than the one that took it; glibc's allocator
/// handles that poorly (2× slower than one thread), mimalloc well. Without
/// transparent huge pages (`no_thp`), which would add 20 MB of resident
/// memory for no measurable speed.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    restore_default_sigpipe();
    cli::output::remove_temporaries_on_interrupt();
    let code = cli::output::run_guarded(cli::run);
    std::process::exit(cli::output::stdout_result(code));
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
