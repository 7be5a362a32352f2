//! The memos as they are staged in git's index, for the pre-commit hook.
//!
//! A commit records the index, not the work tree, so the hook checks the staged bytes
//! of each memo. A fix left unstaged does not let a broken memo through, and a broken
//! line left unstaged does not block a good commit.
//!
//! git runs the pre-commit hook of `git commit -a`, `git commit -- <paths>` and
//! `git commit -i/-o` against a temporary index that it names in `GIT_INDEX_FILE`, so
//! the caller passes that file when it is set.

use std::path::{Path, PathBuf};

use super::{MemoSet, Repo};
use crate::error::{Error, Result};
use crate::memo::{self, Memo};

/// The staged memo files and which of them the commit adds or changes.
#[derive(Debug, Default)]
pub struct StagedMemos {
    /// Every memo file in the index, as staged.
    pub set: MemoSet,
    /// Memo files (relative to the root) that differ from HEAD, in path order.
    pub changed: Vec<PathBuf>,
}

impl Repo {
    /// Returns whether a path relative to the root is a memo file: a Markdown file
    /// directly in the memo folder.
    pub fn is_memo_path(&self, path: &Path) -> bool {
        memo::is_markdown(path) && path.parent() == Some(self.memo_dir_relative().as_path())
    }

    /// Reads the memo files of an index: `index_file` when given (absolute, or
    /// relative to the root), else the repository's own index.
    pub fn staged_memos(&self, index_file: Option<&Path>) -> Result<StagedMemos> {
        let git = &self.git;
        let index = match index_file {
            Some(path) => {
                let path = self.root.join(path);
                git2::Index::open(&path)
                    .map_err(|e| Error::git(format!("read the index {}", path.display()), e))?
            }
            None => git.index().map_err(|e| Error::git("read the index", e))?,
        };
        let head_tree = match git.head() {
            Ok(head) => Some(
                head.peel_to_tree()
                    .map_err(|e| Error::git("read HEAD's tree", e))?,
            ),
            Err(_) => None,
        };
        let diff = git
            .diff_tree_to_index(head_tree.as_ref(), Some(&index), None)
            .map_err(|e| Error::git("compare the index with HEAD", e))?;
        let mut changed: Vec<PathBuf> = diff
            .deltas()
            .filter(|d| d.status() != git2::Delta::Deleted)
            .filter_map(|d| d.new_file().path().map(Path::to_owned))
            .filter(|p| self.is_memo_path(p))
            .collect();
        changed.sort();
        changed.dedup();

        let mut staged = StagedMemos {
            changed,
            ..StagedMemos::default()
        };
        for entry in index.iter() {
            let path = PathBuf::from(String::from_utf8_lossy(&entry.path).into_owned());
            if !self.is_memo_path(&path) {
                continue;
            }
            let blob = git
                .find_blob(entry.id)
                .map_err(|e| Error::git(format!("read the staged {}", path.display()), e))?;
            match Memo::parse(path, blob.content()) {
                Ok(memo) => staged.set.memos.push(memo),
                Err(e) => staged.set.unreadable.push(e),
            }
        }
        staged.set.sort();
        Ok(staged)
    }
}
