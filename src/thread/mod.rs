//! Comment threads: a fold over a memo's event log, anchored to the memo's text.
//!
//! [`fold`] turns events into threads; [`write`] appends new events (keeping typed
//! text as a draft when that fails); [`view`] places threads in the current revision
//! for display; [`place`] makes anchors from what a user points at. The command line
//! and the terminal UI both go through these functions.

pub mod compose;
pub mod draft;
pub mod fold;
mod ids;
pub mod place;
pub mod view;
pub mod write;

use git2::Repository;

pub use fold::{Comment, Thread, Threads};
pub use place::{anchor_for, memo_target};
pub use view::{Listing, ThreadView, list};
pub use write::{Write, Written, send, send_or_keep, set_resolved};

use crate::error::{Error, Result};
use crate::events::{self, EventLog};
use crate::render::sanitize_line;

/// Reads a memo's log and folds it into threads. Events that cannot be read are in
/// [`Threads::problems`], with the rest shown.
pub fn load(git: &Repository, uid: &str) -> Result<Threads> {
    let log = EventLog::open(git, uid)?;
    let read = log.read()?;
    let mut threads = Threads::fold(log.reference(), &read.events);
    let mut problems = read.problems;
    problems.append(&mut threads.problems);
    threads.problems = problems;
    Ok(threads)
}

/// Returns the text of a memo's threads for a search index: each thread's quote and
/// the current text of each comment, one per paragraph.
///
/// While a silent read runs on the memo the text is empty, so search does not find
/// the memo by comments a reader may not see yet. The index is shared by everyone who
/// uses the clone, so it leaves out every comment, not only others'. The event that
/// ends the read moves the log's head, and the memo is indexed again with them.
pub fn index_text(git: &Repository, uid: &str) -> Result<String> {
    let log = EventLog::open(git, uid)?;
    let read = log.read()?;
    let meetings = crate::meeting::Meetings::fold(log.reference(), &read.events);
    if crate::meeting::hidden::any_read_running(&meetings) {
        return Ok(String::new());
    }
    let threads = Threads::fold(log.reference(), &read.events);
    let mut text = String::new();
    for thread in &threads.threads {
        if let Some(quote) = thread.anchor.as_ref().and_then(|a| a.quote.as_deref()) {
            text.push_str(quote);
            text.push_str("\n\n");
        }
        for comment in &thread.comments {
            for version in comment.current() {
                text.push_str(&version.body);
                text.push_str("\n\n");
            }
        }
    }
    Ok(text)
}

/// A thread or comment found by its id or a prefix of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The uid of the memo whose log contains it.
    pub memo: String,
    pub id: String,
}

/// The kind of event an id is expected to name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IdKind {
    Thread,
    Comment,
}

impl IdKind {
    fn noun(self) -> &'static str {
        match self {
            IdKind::Thread => "thread",
            IdKind::Comment => "comment",
        }
    }

    fn kind(self) -> &'static str {
        match self {
            IdKind::Thread => fold::THREAD_OPENED,
            IdKind::Comment => fold::COMMENT_ADDED,
        }
    }
}

/// Finds the thread whose id is `prefix` or starts with it, in any memo's log.
pub fn find_thread(git: &Repository, prefix: &str) -> Result<Found> {
    find(git, prefix, IdKind::Thread)
}

/// Finds the comment whose id is `prefix` or starts with it, in any memo's log.
pub fn find_comment(git: &Repository, prefix: &str) -> Result<Found> {
    find(git, prefix, IdKind::Comment)
}

/// Finds the logs with a matching id through the id cache (see [`ids`]), then reads
/// the few events that match to check their kind.
fn find(git: &Repository, prefix: &str, target: IdKind) -> Result<Found> {
    let wanted = prefix.trim().to_ascii_uppercase();
    let noun = target.noun();
    if wanted.len() < 4 || !wanted.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::invalid_with_hint(
            format!("'{}' is not a {noun} id", sanitize_line(prefix)),
            format!(
                "give the {noun}'s id or at least its first four characters, as `memo comment list MEMO` shows them"
            ),
        ));
    }
    let mut matches = matching_events(
        git,
        ids::logs_with_prefix(git, &wanted, true)?,
        &wanted,
        target,
    )?;
    if matches.is_empty() {
        // Before saying that nothing matches, read every log without the cache, so
        // that not even a damaged cache can hide an id.
        matches = matching_events(
            git,
            ids::logs_with_prefix(git, &wanted, false)?,
            &wanted,
            target,
        )?;
    }
    match matches.len() {
        1 => Ok(matches.remove(0).0),
        0 => Err(Error::invalid_with_hint(
            format!(
                "no {noun} has an id starting with '{}'",
                sanitize_line(prefix)
            ),
            format!(
                "run `memo comment list MEMO --all` to see the {noun} ids; `memo sync` fetches other clones' comments"
            ),
        )),
        _ => {
            let listed: Vec<String> = matches
                .iter()
                .map(|(found, reference)| format!("  {} in {reference}", found.id))
                .collect();
            Err(Error::invalid_with_hint(
                format!(
                    "'{}' starts {} {noun} ids:\n{}",
                    sanitize_line(prefix),
                    matches.len(),
                    listed.join("\n")
                ),
                "give more characters of the id",
            ))
        }
    }
}

/// Returns the events of `target`'s kind whose id starts with `wanted`, in the given
/// logs (uid and head), each with its log's ref.
fn matching_events(
    git: &Repository,
    logs: Vec<(String, git2::Oid)>,
    wanted: &str,
    target: IdKind,
) -> Result<Vec<(Found, String)>> {
    let mut matches = Vec::new();
    for (uid, head) in logs {
        let reference = format!("{}{uid}", events::REF_PREFIX);
        let Ok(tree) = git.find_commit(head).and_then(|c| c.tree()) else {
            continue;
        };
        let mut ignored = Vec::new();
        for (path, blob) in events::event_files(git, &tree, &reference, &mut ignored)? {
            let name = path.rsplit('/').next().unwrap_or(&path);
            let Some((_, id)) = events::parse_file_name(name) else {
                continue;
            };
            if !id.starts_with(wanted) {
                continue;
            }
            let kind = git
                .find_blob(blob)
                .ok()
                .and_then(|b| events::parse(b.content(), &uid).ok())
                .map(|e| e.kind);
            if kind.as_deref() == Some(target.kind()) {
                matches.push((
                    Found {
                        memo: uid.clone(),
                        id: id.to_owned(),
                    },
                    reference.clone(),
                ));
            }
        }
    }
    Ok(matches)
}
