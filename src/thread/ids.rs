//! A cache of the event ids in every log, for finding a thread or comment by a prefix
//! of its id.
//!
//! Event ids are in the event files' names, so listing them means reading every log's
//! trees: about 0.2 s in a repository of 1,000 logs. The cache, `.git/memo/event-ids`,
//! keeps each log's ids with the head commit they were read from. A log whose head
//! did not move has the same tree and so the same ids. A log whose head moved, or that
//! the cache lacks, is read again, and the cache is rewritten. The cache is derived
//! data: when it is missing or unreadable, it is built again from the logs.
//!
//! The format is text: a first line `memo event ids 1`, then for each log a line with
//! its uid and head followed by one line per event id, and a last line `end`. A file
//! cut short lacks that line and is rebuilt, so it never hides ids.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use git2::{Oid, Repository};

use crate::error::{Error, Result};
use crate::events;

/// The first line of the cache file, naming its format.
const HEADER: &str = "memo event ids 1";

/// The last line of a complete cache file.
const END_LINE: &str = "end\n";

/// The length of an event id.
const ID_LENGTH: usize = 26;

/// The event ids of one log, read from the tree of `head`: one id per line, each line
/// ending in a newline.
#[derive(Clone, Debug, PartialEq, Eq)]
struct LogIds<'t> {
    head: Oid,
    ids: Cow<'t, str>,
}

impl LogIds<'_> {
    fn has_prefix(&self, prefix: &str) -> bool {
        self.ids.lines().any(|id| id.starts_with(prefix))
    }
}

/// Returns the uid and head of each log that has an event whose id starts with
/// `prefix`, as the logs are now. With `use_cache` false every log is read again and
/// the cache rebuilt.
pub fn logs_with_prefix(
    git: &Repository,
    prefix: &str,
    use_cache: bool,
) -> Result<Vec<(String, Oid)>> {
    let path = cache_path(git);
    let text = if use_cache {
        std::fs::read_to_string(&path).unwrap_or_default()
    } else {
        String::new()
    };
    let cached = parse(&text).unwrap_or_default();

    let mut changed = false;
    let mut current = BTreeMap::new();
    for (uid, head) in events::heads(git)? {
        let log = match cached.get(uid.as_str()) {
            Some(log) if log.head == head => log.clone(),
            _ => {
                changed = true;
                LogIds {
                    head,
                    ids: Cow::Owned(read_ids(git, &uid, head)?),
                }
            }
        };
        current.insert(uid, log);
    }
    changed |= current.len() != cached.len();

    if changed {
        // The cache only saves time: a failed write leaves the next lookup to read the
        // logs again.
        if let Err(error) = save(git, &path, &current) {
            tracing::debug!(path = %path.display(), %error, "could not save the event id cache");
        }
    }
    Ok(current
        .into_iter()
        .filter(|(_, log)| log.has_prefix(prefix))
        .map(|(uid, log)| (uid, log.head))
        .collect())
}

fn cache_path(git: &Repository) -> PathBuf {
    git.commondir().join("memo").join("event-ids")
}

/// Lists the ids of the event files in the tree of a log's `head`, one a line. A log
/// whose objects are missing lists none, as the lookup without a cache skipped it.
fn read_ids(git: &Repository, uid: &str, head: Oid) -> Result<String> {
    let Ok(tree) = git.find_commit(head).and_then(|c| c.tree()) else {
        return Ok(String::new());
    };
    let reference = format!("{}{uid}", events::REF_PREFIX);
    let mut ignored = Vec::new();
    let mut ids = String::new();
    for (path, _) in events::event_files(git, &tree, &reference, &mut ignored)? {
        let name = path.rsplit('/').next().unwrap_or(&path);
        if let Some((_, id)) = events::parse_file_name(name) {
            ids.push_str(id);
            ids.push('\n');
        }
    }
    Ok(ids)
}

/// Reads the cache file's text, or returns `None` when any line is out of place. The
/// ids stay slices of `text`.
fn parse(text: &str) -> Option<BTreeMap<&str, LogIds<'_>>> {
    let rest = text.strip_prefix(HEADER)?.strip_prefix('\n')?;
    let body = rest.strip_suffix(END_LINE)?;
    let mut logs = BTreeMap::new();
    let mut offset = 0;
    let mut open: Option<(&str, Oid, usize)> = None;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let line = line.strip_suffix('\n')?;
        // An id line is the only kind of 26 characters: a log line has a uid, a space
        // and 40 hex digits.
        if line.len() == ID_LENGTH {
            open.as_ref()?;
            continue;
        }
        let (uid, head) = line.split_once(' ')?;
        if let Some((uid, head, from)) = open.take() {
            let ids = Cow::Borrowed(&body[from..start]);
            logs.insert(uid, LogIds { head, ids });
        }
        open = Some((uid, Oid::from_str(head).ok()?, offset));
    }
    if let Some((uid, head, from)) = open {
        let ids = Cow::Borrowed(&body[from..]);
        logs.insert(uid, LogIds { head, ids });
    }
    Some(logs)
}

/// Writes the cache through a temporary file and a rename, so a reader sees the old
/// file or the new one. Unlike memo's other writes it skips `fsync`: a file that a
/// crash cuts short lacks its last line and is rebuilt.
fn save(git: &Repository, path: &Path, logs: &BTreeMap<String, LogIds<'_>>) -> Result<()> {
    let size = logs.values().map(|log| log.ids.len() + 80).sum::<usize>();
    let mut text = String::with_capacity(size + 64);
    text.push_str(HEADER);
    text.push('\n');
    for (uid, log) in logs {
        text.push_str(&format!("{uid} {}\n", log.head));
        text.push_str(&log.ids);
    }
    text.push_str(END_LINE);

    let dir = git.commondir().join("memo");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
    let mut file = tempfile::NamedTempFile::new_in(&dir)
        .map_err(|e| Error::io("create a temporary file in", &dir, e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io("write", file.path().to_owned(), e))?;
    file.persist(path)
        .map_err(|e| Error::io("replace", path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "0123456789abcdef0123456789abcdef01234567";

    #[test]
    fn cache_text_round_trips() {
        let text = format!(
            "{HEADER}\nA {HEAD}\n{}\n{}\nB {HEAD}\n{END_LINE}",
            "1".repeat(26),
            "2".repeat(26)
        );
        let logs = parse(&text).expect("valid");
        assert_eq!(logs.len(), 2);
        assert!(logs["A"].has_prefix("2222"));
        assert!(!logs["B"].has_prefix("2222"));
    }

    #[test]
    fn damaged_cache_text_is_rejected() {
        let id = "1".repeat(26);
        for text in [
            format!("{HEADER}\nA {HEAD}\n{id}\n"),
            format!("{HEADER}\n{id}\nA {HEAD}\n{END_LINE}"),
            format!("{HEADER}\nA not-a-commit\n{END_LINE}"),
            format!("memo event ids 2\nA {HEAD}\n{END_LINE}"),
            format!("{HEADER}\nA {HEAD}\n{id}\nstray\n{END_LINE}"),
        ] {
            assert!(parse(&text).is_none(), "{text:?}");
        }
    }
}
