//! Which build of `reglas` is running: version, git commit and build date,
//! stamped by `build.rs`. `reglas --version` prints them and every audit
//! record carries them, so a result can be traced to the exact program.

/// The package version (`Cargo.toml`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The git commit the binary was built from (12 hex digits), or
/// `desconocido` when it was built outside a git checkout (from a tarball)
/// without `REGLAS_COMMIT` set.
pub const COMMIT: &str = env!("REGLAS_COMMIT");

/// The build date, `AAAA-MM-DD` (UTC): `SOURCE_DATE_EPOCH` when set, so that
/// release builds are reproducible, otherwise the day `build.rs` ran.
pub const FECHA_COMPILACION: &str = env!("REGLAS_FECHA_COMPILACION");

/// `0.1.0 (commit 1a2b3c4d5e6f, compilado el 2026-12-03)`: what
/// `reglas --version` prints after the name, and what audit stamps say.
pub const TEXTO: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("REGLAS_COMMIT"),
    ", compilado el ",
    env!("REGLAS_FECHA_COMPILACION"),
    ")"
);
