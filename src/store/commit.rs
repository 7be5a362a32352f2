//! Commits that touch only the paths memo changed.
//!
//! The commit's tree is HEAD's tree with just those paths replaced, built in an
//! in-memory index, so whatever the user has staged or left unstaged elsewhere stays
//! out of the commit and stays where it was. The branch moves by compare-and-swap: if
//! another process committed in between, the tree is rebuilt on the new tip.

use std::path::Path;
use std::time::Duration;

use git2::{ErrorCode, Oid};

use super::{Identity, Repo};
use crate::error::{Error, Result};

const MAX_ATTEMPTS: u32 = 20;

/// Commits the current work-tree content of `paths` (relative to the root; a missing
/// file is committed as a deletion) on the checked-out branch.
pub fn commit_paths(
    repo: &Repo,
    paths: &[&Path],
    message: &str,
    identity: &Identity,
) -> Result<Oid> {
    let git = &repo.git;
    let branch = checked_out_branch(git)?;
    let author = identity.author_signature()?;
    let committer = identity.committer_signature()?;

    let mut blobs = Vec::with_capacity(paths.len());
    for path in paths {
        let absolute = repo.absolute(path);
        let blob = match std::fs::read(&absolute) {
            Ok(bytes) => Some((
                git.blob(&bytes)
                    .map_err(|e| Error::git(format!("store {}", path.display()), e))?,
                file_mode(&absolute),
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io("read", absolute, e)),
        };
        blobs.push((git_path(path), blob));
    }

    let mut attempt = 0;
    let commit = loop {
        attempt += 1;
        let parent = match git.find_reference(&branch) {
            Ok(reference) => Some(
                reference
                    .peel_to_commit()
                    .map_err(|e| Error::git(format!("read {branch}"), e))?,
            ),
            Err(e) if e.code() == ErrorCode::NotFound => None,
            Err(e) => return Err(Error::git(format!("read {branch}"), e)),
        };

        let mut index = git2::Index::new().map_err(|e| Error::git("create an index", e))?;
        if let Some(parent) = &parent {
            let tree = parent
                .tree()
                .map_err(|e| Error::git("read HEAD's tree", e))?;
            index
                .read_tree(&tree)
                .map_err(|e| Error::git("read HEAD's tree", e))?;
        }
        for (path, blob) in &blobs {
            match blob {
                Some((id, mode)) => index
                    .add(&index_entry(path, *id, *mode))
                    .map_err(|e| Error::git(format!("stage {path}"), e))?,
                None => {
                    let _ = index.remove_path(Path::new(path));
                }
            }
        }
        let tree_id = index
            .write_tree_to(git)
            .map_err(|e| Error::git("write the commit's tree", e))?;
        let tree = git
            .find_tree(tree_id)
            .map_err(|e| Error::git("read the commit's tree", e))?;
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        let id = git
            .commit(None, &author, &committer, message, &tree, &parents)
            .map_err(|e| Error::git("create the commit", e))?;

        let log = format!("commit: {}", message.lines().next().unwrap_or_default());
        let updated = super::move_ref(git, &branch, id, parent.as_ref().map(|p| p.id()), &log);
        match updated {
            Ok(_) => break id,
            Err(e)
                if matches!(
                    e.code(),
                    ErrorCode::Modified | ErrorCode::Exists | ErrorCode::Locked
                ) && attempt < MAX_ATTEMPTS =>
            {
                std::thread::sleep(Duration::from_millis(5 * u64::from(attempt)));
            }
            Err(e) => return Err(Error::git(format!("move {branch} to the new commit"), e)),
        }
    };

    refresh_index(repo, &blobs)?;
    remove_abandoned_temp_files_beside(repo, paths);
    Ok(commit)
}

impl Repo {
    /// Returns the branch memo commits to, or the error a commit would fail with on a
    /// detached HEAD. Commands that commit call it before they write anything, so a
    /// refused commit leaves no file behind.
    pub fn commit_branch(&self) -> Result<String> {
        checked_out_branch(&self.git)
    }
}

/// Removes what killed memo processes left in the folders of the committed paths, so a
/// rerun of an interrupted command also clears its temporary files.
fn remove_abandoned_temp_files_beside(repo: &Repo, paths: &[&Path]) {
    let mut folders: Vec<&Path> = paths.iter().filter_map(|p| p.parent()).collect();
    folders.sort();
    folders.dedup();
    for folder in folders {
        super::remove_abandoned_temp_files(&repo.absolute(folder));
    }
}

/// Returns the branch HEAD points at, which may not exist yet in a new repository.
pub(super) fn checked_out_branch(git: &git2::Repository) -> Result<String> {
    if git.head_detached().unwrap_or(false) {
        let commit = git
            .head()
            .ok()
            .and_then(|h| h.target())
            .map(|id| id.to_string()[..12].to_owned())
            .unwrap_or_default();
        return Err(Error::DetachedHead { commit });
    }
    let head = git
        .find_reference("HEAD")
        .map_err(|e| Error::git("read HEAD", e))?;
    match head.symbolic_target() {
        Ok(Some(target)) => Ok(target.to_owned()),
        _ => Err(Error::DetachedHead {
            commit: String::new(),
        }),
    }
}

/// Brings the user's index in line with the commit for the committed paths only, so
/// `git status` does not show them as changed.
fn refresh_index(repo: &Repo, blobs: &[(String, Option<(Oid, u32)>)]) -> Result<()> {
    // git locks the index only while writing it, so two memo processes that read it,
    // add their path and write it back would lose one path. This lock makes the whole
    // read-modify-write one step among memo processes.
    let lock_path = repo.data_dir()?.join("index-update.lock");
    let lock = std::fs::File::create(&lock_path).map_err(|e| Error::io("create", &lock_path, e))?;
    lock.lock().map_err(|e| Error::io("lock", &lock_path, e))?;

    let mut attempt = 0;
    loop {
        attempt += 1;
        let result = (|| -> std::result::Result<(), git2::Error> {
            let mut index = repo.git.index()?;
            index.read(false)?;
            for (path, blob) in blobs {
                match blob {
                    Some(_) => index.add_path(Path::new(path))?,
                    None => {
                        let _ = index.remove_path(Path::new(path));
                    }
                }
            }
            index.write()
        })();
        match result {
            Ok(()) => return Ok(()),
            Err(e) if e.code() == ErrorCode::Locked && attempt < MAX_ATTEMPTS => {
                std::thread::sleep(Duration::from_millis(10 * u64::from(attempt)));
            }
            Err(e) => {
                return Err(Error::git(
                    "update .git/index after committing (the commit itself succeeded; run `git reset -q` if `git status` looks wrong)",
                    e,
                ));
            }
        }
    }
}

fn git_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(unix)]
fn file_mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::metadata(path) {
        Ok(m) if m.permissions().mode() & 0o111 != 0 => 0o100755,
        _ => 0o100644,
    }
}

#[cfg(not(unix))]
fn file_mode(_path: &Path) -> u32 {
    0o100644
}

fn index_entry(path: &str, id: Oid, mode: u32) -> git2::IndexEntry {
    git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: 0,
        id,
        flags: path.len().min(0xfff) as u16,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}
