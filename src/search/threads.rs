//! Comment threads as an input of the index, so a memo is found by what was said about
//! it.
//!
//! The index asks for three things: a fingerprint that changes whenever a log's head
//! may have moved (a few stats, taken before every search), the head of each memo's
//! comment log (listed only when the fingerprint changed; a memo is indexed again when
//! its head moves) and, for a memo being indexed, the text of its threads.

use std::collections::BTreeMap;

use super::state::Stat;
use crate::error::Result;
use crate::store::Repo;

/// A source of comment threads for the index.
pub trait ThreadSource {
    /// Returns the head id of every memo's comment log, keyed by memo uid in ASCII upper
    /// case. Called before every search, so it must not read the logs themselves.
    fn heads(&self) -> Result<BTreeMap<String, String>>;

    /// Returns stats that change whenever a head may have changed, or `None` when the
    /// source cannot tell, so the heads are listed every time.
    fn fingerprint(&self) -> Option<Vec<Stat>>;

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

    fn fingerprint(&self) -> Option<Vec<Stat>> {
        Some(Vec::new())
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

    /// Returns the stats of `packed-refs` and of the folder of loose event refs. git
    /// writes a loose ref through a lock file renamed into that folder, and rewrites
    /// `packed-refs` the same way, so any head that moves changes one of the two
    /// (a missing file has a zero stat).
    fn fingerprint(&self) -> Option<Vec<Stat>> {
        let common = self.git.commondir();
        let loose = crate::events::REF_PREFIX.trim_end_matches('/');
        let stat = |path: std::path::PathBuf| {
            std::fs::metadata(path)
                .map(|m| Stat::from_metadata(&m))
                .unwrap_or_default()
        };
        Some(vec![
            stat(common.join("packed-refs")),
            stat(common.join(loose)),
        ])
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
