use std::process::ExitCode;

fn main() -> ExitCode {
    memo::cli::main()
}
