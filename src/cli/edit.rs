//! `memo edit`.

use std::process::ExitCode;

use super::Context;
use crate::error::Error;
use crate::{editor, store};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The memo: a number, a uid (or a unique prefix of one), a file name or a path.
    pub memo: String,

    /// Leave the change uncommitted.
    #[arg(long)]
    pub no_commit: bool,
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
    let memo = repo.resolve(&args.memo)?;
    let identity = if args.no_commit {
        None
    } else {
        repo.commit_branch()?;
        Some(repo.identity()?)
    };
    let absolute = repo.absolute(&memo.path);
    let before = std::fs::read(&absolute).map_err(|e| Error::io("read", &absolute, e))?;
    editor::edit(&absolute, repo.git.config().ok().as_ref())?;
    let after = std::fs::read(&absolute).map_err(|e| Error::io("read", &absolute, e))?;

    let Some(identity) = identity else {
        return Ok(ExitCode::SUCCESS);
    };
    let committed_differs = {
        let head_blob = repo
            .git
            .head()
            .ok()
            .and_then(|h| h.peel_to_tree().ok())
            .and_then(|t| t.get_path(&memo.path).ok())
            .map(|e| e.id());
        let current = git2::Oid::hash_object(git2::ObjectType::Blob, &after).ok();
        head_blob != current
    };
    if before == after && !committed_differs {
        println!("No changes to {}", context.display_path(&absolute));
        return Ok(ExitCode::SUCCESS);
    }
    let message = match memo.number() {
        Some(n) => format!(
            "Edit memo {n:04}: {}",
            crate::render::sanitize_line(&memo.title())
        ),
        None => format!("Edit {}", memo.path.display()),
    };
    store::commit_paths(&repo, &[memo.path.as_path()], &message, &identity)?;
    println!("{}", context.display_path(&absolute));
    Ok(ExitCode::SUCCESS)
}
