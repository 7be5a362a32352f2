//! `memo init`: turning a folder into a decision repository.

use std::path::{Path, PathBuf};

use super::{Identity, Repo, commit_paths, write_atomic};
use crate::config::{self, Config};
use crate::error::{Error, Result};

#[derive(Debug)]
pub struct InitOutcome {
    pub repo: Repo,
    /// Whether `git init` ran because there was no git repository.
    pub created_git: bool,
    /// Whether the folder already was a memo repository, so nothing changed.
    pub already: bool,
}

/// Sets up a memo repository in `dir`, or in the git repository that contains it, and
/// commits its settings as `identity` (the repository's git identity when `None`).
pub fn init(dir: &Path, config: Config, identity: Option<Identity>) -> Result<InitOutcome> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    config::relative_dir(&config.memos.dir)
        .map_err(|reason| Error::invalid(format!("memo folder '{}' {reason}", config.memos.dir)))?;

    let (git, created_git) = match git2::Repository::discover(dir) {
        Ok(git) if git.workdir().is_some() => (git, false),
        Ok(git) => {
            return Err(Error::invalid_with_hint(
                format!("{} is a bare git repository", git.path().display()),
                "clone it and run `memo init` in the clone",
            ));
        }
        Err(_) => {
            let git = git2::Repository::init(dir).map_err(|e| {
                Error::git(format!("initialise a repository in {}", dir.display()), e)
            })?;
            (git, true)
        }
    };
    let root: PathBuf = git
        .workdir()
        .map(|w| w.canonicalize().unwrap_or_else(|_| w.to_owned()))
        .unwrap_or_else(|| dir.to_owned());

    let config_path = root.join(config::CONFIG_FILE);
    if config_path.is_file() {
        let repo = Repo::discover(&root)?;
        return Ok(InitOutcome {
            repo,
            created_git,
            already: true,
        });
    }

    // Check the identity and the branch before anything is written, so a failure
    // leaves no trace.
    let identity = match identity {
        Some(identity) => identity,
        None => Identity::from_repository(&git)?,
    };
    super::commit::checked_out_branch(&git)?;

    let memo_dir = root.join(&config.memos.dir);
    std::fs::create_dir_all(memo_dir.as_path()).map_err(|e| Error::io("create", &memo_dir, e))?;
    let config_dir = root.join(config::MEMO_DIR);
    std::fs::create_dir_all(&config_dir).map_err(|e| Error::io("create", &config_dir, e))?;
    write_atomic(&config_path, config.to_toml().as_bytes())?;

    let repo = Repo { git, root, config };
    commit_paths(
        &repo,
        &[Path::new(config::CONFIG_FILE)],
        "Set up memo repository",
        &identity,
    )?;
    Ok(InitOutcome {
        repo,
        created_git,
        already: false,
    })
}
