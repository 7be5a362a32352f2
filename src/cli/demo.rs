//! `memo demo`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use super::Context;
use crate::error::Error;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder for the sample repository; a new temporary folder by default.
    pub dir: Option<PathBuf>,

    /// Only write the repository; do not open the terminal UI.
    #[arg(long)]
    pub no_tui: bool,
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let dir = match args.dir {
        Some(dir) => context.cwd.join(dir),
        None => tempfile::Builder::new()
            .prefix("memo-demo-")
            .tempdir()
            .map_err(|e| Error::io("create a temporary folder in", std::env::temp_dir(), e))?
            .keep(),
    };
    let repo = crate::demo::write(&dir)?;
    let set = repo.load_memos()?;
    println!(
        "Wrote a sample decision repository with {} memos to {}",
        set.memos.len(),
        context.display_path(&repo.root)
    );

    let interactive = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    if args.no_tui || !interactive {
        if !args.no_tui {
            println!("Standard output is not a terminal, so the terminal UI was not opened.");
        }
        println!(
            "Try: cd {} && memo list && memo check && memo",
            context.display_path(&repo.root)
        );
        return Ok(ExitCode::SUCCESS);
    }
    crate::tui::run_library(&repo)?;
    Ok(ExitCode::SUCCESS)
}
