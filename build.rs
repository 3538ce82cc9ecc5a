//! Stamps the build into the binary (see `src/build_info.rs`): the git commit
//! and the build date. Building from a source archive without `.git` (or
//! without git installed) still works: the commit is then `REGLAS_COMMIT` if
//! set, or `desconocido`.

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "src/civil_date.rs"]
#[allow(dead_code)]
mod civil_date;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/civil_date.rs");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    println!("cargo:rerun-if-env-changed=REGLAS_COMMIT");

    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let commit = std::env::var("REGLAS_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| git_commit(&dir))
        .unwrap_or_else(|| "desconocido".to_string());
    println!("cargo:rustc-env=REGLAS_COMMIT={}", commit.trim());

    // Reproducible builds set SOURCE_DATE_EPOCH (reproducible-builds.org);
    // a value that is not a number is ignored rather than failing the build.
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        });
    println!(
        "cargo:rustc-env=REGLAS_FECHA_COMPILACION={}",
        civil_date::from_unix_seconds(secs)
    );
}

/// The checked-out commit, and the files whose change means a new commit
/// (so that `build.rs` runs again after each commit, and only then).
fn git_commit(dir: &Path) -> Option<String> {
    let commit = git(dir, &["rev-parse", "--short=12", "HEAD"])?;
    let mut watched = vec![git(dir, &["rev-parse", "--git-path", "HEAD"])];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        watched.push(git(dir, &["rev-parse", "--git-path", &branch]));
    }
    watched.push(git(dir, &["rev-parse", "--git-path", "packed-refs"]));
    for path in watched.into_iter().flatten() {
        let path = dir.join(path);
        // A path that does not exist would make cargo rerun this every build.
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    Some(commit)
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}
