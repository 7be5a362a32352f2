//! The decision repository: discovery, settings, memo files and commits.
//!
//! A decision repository is an ordinary git repository with a `.memo/config.toml`.
//! Memo files live in the work tree; memo's derived data (the search index, locks)
//! lives in `.git/memo/`, which git never commits.

mod commit;
mod copy;
mod identity;
mod init;
mod lookup;
mod memos;
mod pack;
mod refs;
pub mod remote;
mod staged;
pub mod sync;
mod temp;
mod transport;

use std::path::{Path, PathBuf};

pub use commit::commit_paths;
pub use identity::Identity;
pub use init::{InitOutcome, init};
pub use memos::{MemoSet, NewMemoFile};
pub use refs::move_ref;
pub use staged::StagedMemos;
pub use temp::remove_abandoned_temp_files;

use crate::config::{self, Config};
use crate::error::{Error, Result};

pub struct Repo {
    pub git: git2::Repository,
    /// The work tree root.
    pub root: PathBuf,
    pub config: Config,
}

impl std::fmt::Debug for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repo").field("root", &self.root).finish()
    }
}

impl Repo {
    /// Finds the memo repository that contains `start`, searching upwards like git does.
    pub fn discover(start: &Path) -> Result<Repo> {
        let git = git2::Repository::discover(start).map_err(|_| Error::NotAGitRepository {
            path: start.to_owned(),
        })?;
        let root = git
            .workdir()
            .ok_or_else(|| {
                Error::invalid_with_hint(
                    format!("{} is a bare git repository", git.path().display()),
                    "memo needs a work tree for its memo files; clone the repository first",
                )
            })?
            .to_owned();
        let root = root.canonicalize().unwrap_or(root);
        if !root.join(config::CONFIG_FILE).is_file() {
            return Err(Error::NotAMemoRepository { path: root });
        }
        let config = Config::load(&root)?;
        Ok(Repo { git, root, config })
    }

    /// Returns the memo folder, relative to the root.
    pub fn memo_dir_relative(&self) -> PathBuf {
        PathBuf::from(&self.config.memos.dir)
    }

    /// Returns the memo folder as an absolute path.
    pub fn memo_dir(&self) -> PathBuf {
        self.root.join(&self.config.memos.dir)
    }

    /// Returns the folder for memo's derived data, `.git/memo/`, without creating it.
    pub fn data_path(&self) -> PathBuf {
        self.git.commondir().join("memo")
    }

    /// Returns the folder for memo's derived data, `.git/memo/`, creating it.
    pub fn data_dir(&self) -> Result<PathBuf> {
        let dir = self.data_path();
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
        Ok(dir)
    }

    /// Returns the folder of repository templates, `.memo/templates/`.
    pub fn template_dir(&self) -> PathBuf {
        self.root.join(config::MEMO_DIR).join("templates")
    }

    pub fn absolute(&self, relative: &Path) -> PathBuf {
        self.root.join(relative)
    }

    /// Returns a path relative to the root, or `None` for a path outside the repository.
    pub fn relative(&self, path: &Path) -> Option<PathBuf> {
        let absolute = if path.is_absolute() {
            path.to_owned()
        } else {
            std::env::current_dir().ok()?.join(path)
        };
        let absolute = absolute.canonicalize().unwrap_or(absolute);
        absolute.strip_prefix(&self.root).ok().map(Path::to_owned)
    }

    /// Returns the identity memo commits and signs events with, or an error that
    /// explains how to set one. Call it before anything is written or an editor opens.
    pub fn identity(&self) -> Result<Identity> {
        Identity::from_repository(&self.git)
    }
}

/// Writes a file atomically: a temporary file in the same folder, then a rename, so a
/// reader or a killed process sees the old content or the new one, never half. The
/// temporary file is named `.memo-<pid>-<random>.tmp`; a killed writer's file is
/// removed by the next commit in that folder (see [`remove_abandoned_temp_files`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;

    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::Builder::new()
        .prefix(&temp::prefix())
        .suffix(temp::suffix())
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file in", dir, e))?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .map_err(|e| Error::io("write", file.path().to_owned(), e))?;
    if let Ok(metadata) = std::fs::metadata(path) {
        // Keep the permissions of the file being replaced.
        let _ = file.as_file().set_permissions(metadata.permissions());
    }
    file.persist(path)
        .map_err(|e| Error::io("replace", path, e.error))?;
    Ok(())
}
