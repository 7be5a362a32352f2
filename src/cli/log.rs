//! `memo log`.

use std::io::Write;
use std::process::ExitCode;

use super::Context;
use crate::error::Error;
use crate::render::sanitize_line;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The memo: a number, a uid (or a unique prefix of one), a file name or a path.
    pub memo: String,
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
    let memo = repo.resolve(&args.memo)?;
    let mut walk = repo
        .git
        .revwalk()
        .map_err(|e| Error::git("walk the history", e))?;
    if walk.push_head().is_err() {
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = anstream::stdout().lock();
    let dim = anstyle::Style::new().dimmed();
    let path = memo.path.clone();
    for id in walk {
        let id = id.map_err(|e| Error::git("walk the history", e))?;
        let commit = repo
            .git
            .find_commit(id)
            .map_err(|e| Error::git("read a commit", e))?;
        let blob = |c: &git2::Commit| {
            c.tree()
                .ok()
                .and_then(|t| t.get_path(&path).ok())
                .map(|e| e.id())
        };
        let here = blob(&commit);
        let changed = match commit.parent(0) {
            Ok(parent) => blob(&parent) != here,
            Err(_) => here.is_some(),
        };
        if !changed {
            continue;
        }
        let time = chrono::DateTime::from_timestamp(commit.time().seconds(), 0)
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        writeln!(
            out,
            "{dim}{}{dim:#}  {time}  {}  {}",
            &id.to_string()[..10],
            sanitize_line(commit.author().name().unwrap_or("?")),
            sanitize_line(commit.summary().ok().flatten().unwrap_or(""))
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
