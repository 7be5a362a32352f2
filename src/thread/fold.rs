//! Thread events and the fold that builds threads from them.
//!
//! The fold reads events in (clock, id) order, so every clone that holds the same
//! events builds the same threads. Resolving and reopening follow the last such event.
//! Edits never overwrite silently, because each edit names the versions it replaces.
//! When two edits replace the same version without seeing each other, both texts stay
//! current, and the comment is reported as edited concurrently until a later edit
//! replaces both.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::anchor::Anchor;
use crate::events::{Author, Event, Problem};

/// Event kinds of comment threads.
pub const THREAD_OPENED: &str = "thread.opened";
pub const COMMENT_ADDED: &str = "comment.added";
pub const COMMENT_EDITED: &str = "comment.edited";
pub const THREAD_RESOLVED: &str = "thread.resolved";
pub const THREAD_REOPENED: &str = "thread.reopened";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadOpened {
    pub anchor: Anchor,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentAdded {
    pub thread: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentEdited {
    pub comment: String,
    pub body: String,
    /// The versions (ids of the comment and of earlier edits) the editor saw as
    /// current; this edit replaces them.
    #[serde(default)]
    pub replaces: Vec<String>,
}

/// The payload of `thread.resolved` and `thread.reopened`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadChange {
    pub thread: String,
}

/// One text of a comment: the first, or an edit.
#[derive(Clone, Debug, PartialEq)]
pub struct Version {
    /// The comment's id for the first text, the edit event's id for later ones.
    pub id: String,
    pub author: Author,
    pub time: DateTime<Utc>,
    pub clock: u64,
    pub body: String,
    pub replaced: bool,
}

impl Version {
    /// Makes the current version that `event` (a comment or an edit) writes.
    fn new(event: &Event, body: String) -> Version {
        Version {
            id: event.id.clone(),
            author: event.author.clone(),
            time: event.time,
            clock: event.clock,
            body,
            replaced: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub id: String,
    pub thread: String,
    pub author: Author,
    pub time: DateTime<Utc>,
    pub clock: u64,
    /// Every text the comment had, in fold order; the first is the original.
    pub versions: Vec<Version>,
}

impl Comment {
    /// Returns the versions no edit has replaced, latest first. More than one means the
    /// comment was edited concurrently.
    pub fn current(&self) -> Vec<&Version> {
        let mut current: Vec<&Version> = self.versions.iter().filter(|v| !v.replaced).collect();
        current.sort_by(|a, b| (b.clock, &b.id).cmp(&(a.clock, &a.id)));
        current
    }

    /// Returns the text shown for the comment: the latest current version.
    pub fn body(&self) -> &str {
        self.current()
            .first()
            .map_or(self.versions[0].body.as_str(), |v| v.body.as_str())
    }

    pub fn edited(&self) -> bool {
        self.versions.len() > 1
    }

    pub fn in_conflict(&self) -> bool {
        self.current().len() > 1
    }
}

/// A resolve or reopen, kept to say who did it and when.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub author: Author,
    pub time: DateTime<Utc>,
    pub clock: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Thread {
    pub id: String,
    /// `None` when the opening event could not be read but comments refer to it.
    pub anchor: Option<Anchor>,
    pub author: Author,
    pub time: DateTime<Utc>,
    pub clock: u64,
    pub comments: Vec<Comment>,
    /// The last resolve, while the thread is resolved.
    pub resolved: Option<Change>,
}

impl Thread {
    /// Returns how many comments were added after the thread was resolved.
    pub fn comments_after_resolution(&self) -> usize {
        match &self.resolved {
            Some(change) => self
                .comments
                .iter()
                .filter(|c| c.clock > change.clock)
                .count(),
            None => 0,
        }
    }
}

/// The threads of one memo, in the order they were opened.
#[derive(Clone, Debug, Default)]
pub struct Threads {
    pub threads: Vec<Thread>,
    /// Events that could not be applied, with the reason; the rest is shown.
    pub problems: Vec<Problem>,
}

impl Threads {
    /// Folds a memo's events (ordered by clock and id) into threads. Events of other
    /// kinds (meetings) are left to their own folds.
    pub fn fold(reference: &str, events: &[Event]) -> Threads {
        let mut threads = Threads::default();
        for event in events {
            if let Err(message) = threads.apply(event) {
                threads.problems.push(Problem {
                    reference: reference.to_owned(),
                    event: event.id.clone(),
                    message,
                });
            }
        }
        for problem in &mut threads.problems {
            if problem.reference.is_empty() {
                problem.reference = reference.to_owned();
            }
        }
        threads
    }

    pub fn thread(&self, id: &str) -> Option<&Thread> {
        self.threads.iter().find(|t| t.id == id)
    }

    /// Finds a comment and its thread.
    pub fn comment(&self, id: &str) -> Option<(&Thread, &Comment)> {
        self.threads
            .iter()
            .find_map(|t| t.comments.iter().find(|c| c.id == id).map(|c| (t, c)))
    }

    fn apply(&mut self, event: &Event) -> Result<(), String> {
        match event.kind.as_str() {
            THREAD_OPENED => {
                let payload: ThreadOpened = event.payload()?;
                match self.threads.iter_mut().find(|t| t.id == event.id) {
                    // Comments came first (their clocks were lower than the opening
                    // event's, which a correct writer never does): fill the thread in.
                    Some(thread) => {
                        thread.anchor = Some(payload.anchor);
                        thread.author = event.author.clone();
                        thread.time = event.time;
                        thread.clock = event.clock;
                    }
                    None => self.threads.push(Thread {
                        id: event.id.clone(),
                        anchor: Some(payload.anchor),
                        author: event.author.clone(),
                        time: event.time,
                        clock: event.clock,
                        comments: Vec::new(),
                        resolved: None,
                    }),
                }
            }
            COMMENT_ADDED => {
                let payload: CommentAdded = event.payload()?;
                let thread = self.thread_or_placeholder(&payload.thread, event);
                thread.comments.push(Comment {
                    id: event.id.clone(),
                    thread: payload.thread,
                    author: event.author.clone(),
                    time: event.time,
                    clock: event.clock,
                    versions: vec![Version::new(event, payload.body)],
                });
            }
            COMMENT_EDITED => {
                let payload: CommentEdited = event.payload()?;
                let comment = self
                    .threads
                    .iter_mut()
                    .flat_map(|t| t.comments.iter_mut())
                    .find(|c| c.id == payload.comment)
                    .ok_or_else(|| {
                        format!("edits comment {}, which is not in the log", payload.comment)
                    })?;
                let replaces_known = payload
                    .replaces
                    .iter()
                    .any(|r| comment.versions.iter().any(|v| &v.id == r));
                for version in &mut comment.versions {
                    // An edit that names no version in this log replaces every current one.
                    if !replaces_known || payload.replaces.contains(&version.id) {
                        version.replaced = true;
                    }
                }
                comment.versions.push(Version::new(event, payload.body));
            }
            THREAD_RESOLVED | THREAD_REOPENED => {
                let payload: ThreadChange = event.payload()?;
                let thread = self.thread_or_placeholder(&payload.thread, event);
                thread.resolved = (event.kind == THREAD_RESOLVED).then(|| Change {
                    author: event.author.clone(),
                    time: event.time,
                    clock: event.clock,
                });
            }
            // Other kinds belong to other folds.
            _ => {}
        }
        Ok(())
    }

    /// Returns the thread `id`, or a thread without an anchor when its opening event is
    /// missing or unreadable, so the comments that refer to it are still shown.
    fn thread_or_placeholder(&mut self, id: &str, event: &Event) -> &mut Thread {
        let index = match self.threads.iter().position(|t| t.id == id) {
            Some(index) => index,
            None => {
                self.problems.push(Problem {
                    reference: String::new(),
                    event: event.id.clone(),
                    message: format!(
                        "refers to thread {id}, whose opening event is not in the log; its comments are shown without an anchor"
                    ),
                });
                self.threads.push(Thread {
                    id: id.to_owned(),
                    anchor: None,
                    author: event.author.clone(),
                    time: event.time,
                    clock: event.clock,
                    comments: Vec::new(),
                    resolved: None,
                });
                self.threads.len() - 1
            }
        };
        &mut self.threads[index]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::FORMAT_VERSION;

    fn event(id: &str, clock: u64, who: &str, kind: &str, payload: serde_json::Value) -> Event {
        Event {
            version: FORMAT_VERSION,
            id: id.to_owned(),
            memo: "M".to_owned(),
            kind: kind.to_owned(),
            clock,
            time: DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
                .expect("time")
                .with_timezone(&Utc),
            author: Author {
                name: who.to_owned(),
                email: format!("{who}@example.com"),
            },
            payload,
        }
    }

    fn opened(id: &str) -> Event {
        let anchor = serde_json::json!({"anchor": {"blob": "b", "section": [], "quote": null}});
        event(id, 1, "a", THREAD_OPENED, anchor)
    }

    #[test]
    fn concurrent_edits_keep_both_texts() {
        let events = [
            opened("T"),
            event(
                "C",
                2,
                "a",
                COMMENT_ADDED,
                serde_json::json!({"thread": "T", "body": "first"}),
            ),
            event(
                "E1",
                3,
                "a",
                COMMENT_EDITED,
                serde_json::json!({"comment": "C", "body": "from A", "replaces": ["C"]}),
            ),
            event(
                "E2",
                3,
                "b",
                COMMENT_EDITED,
                serde_json::json!({"comment": "C", "body": "from B", "replaces": ["C"]}),
            ),
        ];
        let threads = Threads::fold("r", &events);
        let (_, comment) = threads.comment("C").expect("comment");
        assert!(comment.in_conflict());
        let bodies: Vec<&str> = comment.current().iter().map(|v| v.body.as_str()).collect();
        assert_eq!(bodies, ["from B", "from A"]);

        let mut settled = events.to_vec();
        settled.push(event(
            "E3",
            4,
            "a",
            COMMENT_EDITED,
            serde_json::json!({"comment": "C", "body": "agreed", "replaces": ["E1", "E2"]}),
        ));
        let threads = Threads::fold("r", &settled);
        let (_, comment) = threads.comment("C").expect("comment");
        assert!(!comment.in_conflict());
        assert_eq!(comment.body(), "agreed");
        assert_eq!(comment.versions.len(), 4, "history kept");
    }

    #[test]
    fn last_resolve_or_reopen_wins() {
        let events = [
            opened("T"),
            event(
                "R",
                2,
                "a",
                THREAD_RESOLVED,
                serde_json::json!({"thread": "T"}),
            ),
            event(
                "O",
                3,
                "b",
                THREAD_REOPENED,
                serde_json::json!({"thread": "T"}),
            ),
        ];
        assert!(Threads::fold("r", &events).threads[0].resolved.is_none());
        assert!(
            Threads::fold("r", &events[..2]).threads[0]
                .resolved
                .is_some()
        );
    }

    #[test]
    fn comment_without_thread_is_kept() {
        let events = [event(
            "C",
            2,
            "a",
            COMMENT_ADDED,
            serde_json::json!({"thread": "GONE", "body": "still here"}),
        )];
        let threads = Threads::fold("r", &events);
        assert_eq!(threads.threads.len(), 1);
        assert!(threads.threads[0].anchor.is_none());
        assert_eq!(threads.threads[0].comments[0].body(), "still here");
        assert_eq!(threads.problems.len(), 1);
    }

    #[test]
    fn invalid_payload_is_a_problem() {
        let events = [
            opened("T"),
            event("C", 2, "a", COMMENT_ADDED, serde_json::json!({"body": 3})),
        ];
        let threads = Threads::fold("r", &events);
        assert_eq!(threads.threads[0].comments.len(), 0);
        assert!(
            threads.problems[0].message.contains("invalid payload"),
            "{:?}",
            threads.problems
        );
    }
}
