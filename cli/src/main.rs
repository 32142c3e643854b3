//! `waymark`: see the library (`src/lib.rs`) for what it does.

fn main() -> std::process::ExitCode {
    waymark_cli::main()
}
