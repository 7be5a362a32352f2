//! `memo import`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::Context;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub kind: Kind,
}

#[derive(Debug, clap::Subcommand)]
pub enum Kind {
    /// Import a folder of RFC-style documents (NNNN-name.md files with a leading
    /// metadata list, as in the Rust RFC repository's text/ folder).
    Rfc {
        /// The folder that holds the documents.
        dir: PathBuf,
    },
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
    match args.kind {
        Kind::Rfc { dir } => {
            let dir = context.cwd.join(dir);
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{msg} {bar:30} {pos}/{len}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.set_message("importing");
            let report = crate::import::rfc::import(&repo, &dir, &|done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            })?;
            bar.finish_and_clear();
            println!(
                "Imported {} RFCs ({} already present) with {} attachment files into {}/",
                report.imported.len(),
                report.unchanged,
                report.attachments,
                repo.config.memos.dir
            );
            for skipped in &report.skipped {
                super::warn(&format!(
                    "skipped {}: {}",
                    skipped.file_name, skipped.reason
                ));
            }
            if !report.shared_numbers.is_empty() {
                let numbers: Vec<String> = report
                    .shared_numbers
                    .iter()
                    .map(|n| format!("{n:04}"))
                    .collect();
                super::warn(&format!(
                    "numbers now used by more than one memo: {}; `memo list` shows which",
                    numbers.join(", ")
                ));
            }
            if report.skipped.is_empty() {
                Ok(ExitCode::SUCCESS)
            } else {
                Ok(ExitCode::from(1))
            }
        }
    }
}
