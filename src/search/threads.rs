//! Comment threads as an input of the index, so a memo is found by what was said about
//! it.
//!
//! The index asks for two things: the head of each memo's comment log (a listing of
//! refs made before every search; a memo is indexed again when its head moves) and,
//! for a memo being indexed, the text of its threads.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::store::Repo;

/// A source of comment threads for the index.
pub trait ThreadSource {
    /// Returns the head id of every memo's comment log, keyed by memo uid in ASCII upper
    /// case. Called before every search, so it must not read the logs themselves.
    fn heads(&self) -> Result<BTreeMap<String, String>>;

    /// Returns the text of the threads on a memo.
    fn comments(&self, uid: &str) -> Result<Vec<String>>;
}

/// A source with no threads.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoThreads;

impl ThreadSource for NoThreads {
    fn heads(&self) -> Result<BTreeMap<String, String>> {
        Ok(BTreeMap::new())
    }

    fn comments(&self, _uid: &str) -> Result<Vec<String>> {
        Ok(Vec::new())
    }
}

/// The threads of a repository's comment event logs (`refs/memo/events/<uid>`).
pub struct EventThreads<'r> {
    git: &'r git2::Repository,
}

impl ThreadSource for EventThreads<'_> {
    fn heads(&self) -> Result<BTreeMap<String, String>> {
        Ok(crate::events::heads(self.git)?
            .into_iter()
            .map(|(uid, head)| (uid, head.to_string()))
            .collect())
    }

    /// Returns each thread's quote and the current text of each comment, as one text.
    fn comments(&self, uid: &str) -> Result<Vec<String>> {
        let text = crate::thread::index_text(self.git, uid)?;
        Ok(if text.trim().is_empty() {
            Vec::new()
        } else {
            vec![text]
        })
    }
}

/// Returns the thread source of a repository: its comment event logs.
pub fn for_repo(repo: &Repo) -> Box<dyn ThreadSource + '_> {
    Box::new(EventThreads { git: &repo.git })
}

/// Returns a memo's head in `heads`, whatever the case of its uid.
pub fn head_of<'a>(heads: &'a BTreeMap<String, String>, uid: Option<&str>) -> Option<&'a str> {
    let uid = uid?;
    heads.get(&uid.to_ascii_uppercase()).map(String::as_str)
}
