//! The `reglas` command: a thin layer over the library. Parses arguments,
//! calls the pipeline and prints; all decisions live in the library.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
