//! Threads placed in the current revision of their memo, ready to show or print.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use serde::Serialize;

use super::fold::{Comment, Thread, Version};
use super::{load, memo_target};
use crate::anchor::{Located, State, Target};
use crate::clock;
use crate::error::Result;
use crate::events::{Author, Problem};
use crate::memo::Memo;
use crate::store::Repo;

/// The threads of a memo in document order, and what could not be read.
#[derive(Clone, Debug, Serialize)]
pub struct Listing {
    pub threads: Vec<ThreadView>,
    #[serde(skip)]
    pub problems: Vec<Problem>,
    /// One message per comment that was edited concurrently.
    #[serde(skip)]
    pub conflicts: Vec<String>,
}

/// A thread as `memo comment list --json` prints it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThreadView {
    pub id: String,
    /// The uid of the memo.
    pub memo: String,
    pub anchor: AnchorView,
    pub resolved: bool,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
    /// Comments added after the thread was resolved.
    pub comments_after_resolution: usize,
    pub comments: Vec<CommentView>,
    /// Byte range of the passage in the current text, for the terminal UI.
    #[serde(skip)]
    pub range: Option<Range<usize>>,
    #[serde(skip)]
    clock: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnchorView {
    pub state: State,
    /// The quoted text as it was when the thread was opened.
    pub quote: Option<String>,
    /// The heading of the section the passage is in now (or was in, when outdated).
    pub section: Option<String>,
    /// The headings from the outermost section down to `section`.
    pub section_path: Vec<String>,
    /// The 1-based line of the passage in the current revision.
    pub line: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CommentView {
    pub id: String,
    pub author: String,
    pub time: String,
    /// The current text (the latest one, when edits conflict).
    pub body: String,
    pub edited: bool,
    /// The author of the current text, when the comment was edited. It can differ from
    /// `author`, because an edit with `--force` or from another clone can come from
    /// anyone.
    pub edited_by: Option<String>,
    /// Other current texts, from edits made concurrently with the one in `body`.
    pub conflict: Vec<VersionView>,
    /// Earlier texts, oldest first.
    pub history: Vec<VersionView>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VersionView {
    pub id: String,
    pub author: String,
    pub time: String,
    pub body: String,
}

impl VersionView {
    fn new(version: &Version) -> VersionView {
        VersionView {
            id: version.id.clone(),
            author: version.author.to_string(),
            time: clock::format(version.time),
            body: version.body.clone(),
        }
    }
}

impl CommentView {
    fn new(comment: &Comment) -> CommentView {
        let current = comment.current();
        CommentView {
            id: comment.id.clone(),
            author: comment.author.to_string(),
            time: clock::format(comment.time),
            body: comment.body().to_owned(),
            edited: comment.edited(),
            edited_by: current
                .first()
                .filter(|_| comment.edited())
                .map(|v| v.author.to_string()),
            conflict: current
                .iter()
                .skip(1)
                .map(|v| VersionView::new(v))
                .collect(),
            history: comment
                .versions
                .iter()
                .filter(|v| v.replaced)
                .map(VersionView::new)
                .collect(),
        }
    }
}

/// Lists the threads of a memo, placed in its current file: open ones, and resolved
/// ones too with `include_resolved`.
pub fn list(repo: &Repo, memo: &Memo, uid: &str, include_resolved: bool) -> Result<Listing> {
    let (target, _) = memo_target(repo, memo)?;
    list_at(repo, &target, uid, include_resolved)
}

/// Lists the threads of a memo placed in the revision `target` holds, which need not
/// be the work tree's file (a meeting reads the revision it started with).
pub fn list_at(
    repo: &Repo,
    target: &Target<'_>,
    uid: &str,
    include_resolved: bool,
) -> Result<Listing> {
    let threads = load(&repo.git, uid)?;
    let mut old_texts: HashMap<String, Option<String>> = HashMap::new();

    let mut views = Vec::new();
    let mut conflicts = Vec::new();
    for thread in &threads.threads {
        for comment in &thread.comments {
            if comment.in_conflict() {
                conflicts.push(conflict_message(comment));
            }
        }
        if thread.resolved.is_some() && !include_resolved {
            continue;
        }
        let located = match &thread.anchor {
            Some(anchor) => {
                let old = old_texts
                    .entry(anchor.blob.clone())
                    .or_insert_with(|| old_text(repo, &anchor.blob, target))
                    .as_deref();
                target.locate(anchor, old)
            }
            None => Located {
                state: State::Outdated,
                range: None,
                line: None,
                section: Vec::new(),
            },
        };
        views.push(view(thread, uid, located));
    }
    views.sort_by_key(|v| {
        let rank = match (v.anchor.state, v.range.as_ref()) {
            (State::Outdated, _) => 2,
            (_, None) => 0,
            _ => 1,
        };
        (rank, v.range.as_ref().map_or(0, |r| r.start), v.clock)
    });
    Ok(Listing {
        threads: views,
        problems: threads.problems,
        conflicts,
    })
}

fn view(thread: &Thread, uid: &str, located: Located) -> ThreadView {
    let recorded = thread
        .anchor
        .as_ref()
        .map(|a| a.section.clone())
        .unwrap_or_default();
    let section_path = if located.state == State::Outdated {
        recorded
    } else {
        located.section
    };
    ThreadView {
        id: thread.id.clone(),
        memo: uid.to_owned(),
        anchor: AnchorView {
            state: located.state,
            quote: thread.anchor.as_ref().and_then(|a| a.quote.clone()),
            section: section_path.last().cloned(),
            section_path,
            line: located.line,
        },
        resolved: thread.resolved.is_some(),
        resolved_by: thread.resolved.as_ref().map(|c| c.author.to_string()),
        resolved_at: thread.resolved.as_ref().map(|c| clock::format(c.time)),
        comments_after_resolution: thread.comments_after_resolution(),
        comments: thread.comments.iter().map(CommentView::new).collect(),
        range: located.range,
        clock: thread.clock,
    }
}

/// Returns the text of an older revision, when the repository has its blob.
fn old_text(repo: &Repo, blob: &str, target: &Target<'_>) -> Option<String> {
    if blob == target.blob() {
        return None;
    }
    let id = git2::Oid::from_str(blob).ok()?;
    let blob = repo.git.find_blob(id).ok()?;
    crate::memo::document::decode(Path::new(""), blob.content())
        .ok()
        .map(|source| source.text)
}

/// Returns the warning for a comment edited concurrently: its authors and the fix.
fn conflict_message(comment: &Comment) -> String {
    let mut authors: Vec<&Author> = Vec::new();
    for version in comment.current() {
        if !authors.contains(&&version.author) {
            authors.push(&version.author);
        }
    }
    let names: Vec<&str> = authors.iter().map(|a| a.name.as_str()).collect();
    let id = super::write::short(&comment.id);
    format!(
        "comment {id} was edited concurrently by {}; both texts are kept until `memo comment edit {id}` replaces them",
        names.join(" and ")
    )
}
