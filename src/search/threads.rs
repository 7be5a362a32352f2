//! Comment threads as an input of the index, so a memo is found by what was said about
//! it.
//!
//! The index asks for two things: the head of each memo's comment log (a cheap listing
//! made before every search; a memo is indexed again when its head moves) and, for a
//! memo being indexed, the text of its comments.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::store::Repo;

/// A source of comment threads for the index.
pub trait ThreadSource {
    /// Returns the head id of every memo's comment log, keyed by memo uid in ASCII upper
    /// case. Called before every search, so it must not read the logs themselves.
    fn heads(&self) -> Result<BTreeMap<String, String>>;

    /// Returns the text of every comment on a memo, one string per comment.
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

/// Returns the thread source of a repository.
pub fn for_repo(_repo: &Repo) -> Box<dyn ThreadSource> {
    // TODO: return a source over the comment event store once it is in the code base:
    // `heads` lists the per-memo event refs, `comments` folds a memo's events into its
    // threads and returns each comment's current text.
    Box::new(NoThreads)
}

/// Returns a memo's head in `heads`, whatever the case of its uid.
pub fn head_of<'a>(heads: &'a BTreeMap<String, String>, uid: Option<&str>) -> Option<&'a str> {
    let uid = uid?;
    heads.get(&uid.to_ascii_uppercase()).map(String::as_str)
}
