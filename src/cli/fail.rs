//! How the command line reports a failure: as a diagnostic in the format of
//! `--formato-errores` (one JSON object per error in `json`), returning the
//! exit code that says what kind of failure it was.

use reglas::diagnostic::Failure;
use reglas::render::diagnostics::{render_failure, ErrorFormat};

use super::{EXIT_FAILED, EXIT_USAGE};

pub fn print(f: &Failure, errors: ErrorFormat) {
    eprint!("{}", render_failure(f, errors));
}

/// Nothing could be done: a file that cannot be read or written…
pub fn failed(f: Failure, errors: ErrorFormat) -> i32 {
    print(&f, errors);
    EXIT_FAILED
}

/// The command line itself is wrong: an option value, a missing option.
pub fn usage(f: Failure, errors: ErrorFormat) -> i32 {
    print(&f, errors);
    EXIT_USAGE
}
