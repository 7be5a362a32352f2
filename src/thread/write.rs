//! Changing threads: opening, replying, editing, resolving and reopening, for the
//! command line and the terminal UI alike.
//!
//! Every change that carries text the user typed goes through [`send_or_keep`]. When
//! the write fails for any reason (no identity, a locked ref, a full disk), the text is
//! saved as a draft in `.git/memo/drafts/`, and the error tells how to send it later.

use serde::{Deserialize, Serialize};

use super::draft;
use super::fold::{
    COMMENT_ADDED, COMMENT_EDITED, CommentAdded, CommentEdited, THREAD_OPENED, THREAD_REOPENED,
    THREAD_RESOLVED, ThreadChange, ThreadOpened,
};
use super::{Found, load};
use crate::anchor::Anchor;
use crate::clock;
use crate::error::{Error, Result};
use crate::events::{Author, EventLog, NewEvent};
use crate::store::{Identity, Repo};

/// A change that carries typed text, as sent and as kept in a draft.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "lowercase")]
pub enum Write {
    /// Open a thread with its first comment.
    Open {
        memo: String,
        anchor: Anchor,
        body: String,
    },
    Reply {
        memo: String,
        thread: String,
        body: String,
    },
    /// Replace the versions of a comment the writer saw as current.
    Edit {
        memo: String,
        comment: String,
        replaces: Vec<String>,
        body: String,
    },
}

impl Write {
    pub fn memo(&self) -> &str {
        match self {
            Write::Open { memo, .. } | Write::Reply { memo, .. } | Write::Edit { memo, .. } => memo,
        }
    }

    pub fn body(&self) -> &str {
        match self {
            Write::Open { body, .. } | Write::Reply { body, .. } | Write::Edit { body, .. } => body,
        }
    }

    /// Returns what the write does, for messages: `reply to thread 01JX...`.
    pub fn describe(&self) -> String {
        match self {
            Write::Open { anchor, .. } => match (&anchor.quote, anchor.section.last()) {
                (Some(_), _) => format!("new thread on a quote in {}", anchor.path),
                (None, Some(section)) => {
                    format!("new thread on section '{section}' of {}", anchor.path)
                }
                (None, None) => format!("new thread on {}", anchor.path),
            },
            Write::Reply { thread, .. } => format!("reply to thread {}", short(thread)),
            Write::Edit { comment, .. } => format!("edit of comment {}", short(comment)),
        }
    }
}

/// The ids a write added to or changed in a log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Written {
    pub memo: String,
    pub thread: String,
    pub comment: String,
}

/// Returns the first eight characters of an id, as shown to people.
pub fn short(id: &str) -> &str {
    &id[..id.len().min(8)]
}

/// Checks a comment body and returns it with LF line endings and without surrounding
/// blank lines.
pub fn clean_body(body: &str) -> Result<String> {
    let body = body.replace("\r\n", "\n");
    let trimmed = body
        .trim_matches(|c: char| c == '\n' || c == '\r')
        .trim_end();
    if trimmed.trim().is_empty() {
        return Err(Error::invalid_with_hint(
            "the comment is empty; nothing was sent",
            "write the comment with -m TEXT, -m - (standard input) or in the editor",
        ));
    }
    Ok(trimmed.to_owned())
}

/// Appends the write's events as `identity`.
pub fn send(repo: &Repo, write: &Write, identity: &Identity) -> Result<Written> {
    let log = EventLog::open(&repo.git, write.memo())?;
    let author = Author::from_identity(identity);
    let (events, written) = match write {
        Write::Open { anchor, body, .. } => {
            let open = NewEvent::new(
                THREAD_OPENED,
                ThreadOpened {
                    anchor: anchor.clone(),
                },
            );
            let comment = NewEvent::new(
                COMMENT_ADDED,
                CommentAdded {
                    thread: open.id.clone(),
                    body: body.clone(),
                },
            );
            let written = Written {
                memo: log.uid().to_owned(),
                thread: open.id.clone(),
                comment: comment.id.clone(),
            };
            (vec![open, comment], written)
        }
        Write::Reply { thread, body, .. } => {
            let comment = NewEvent::new(
                COMMENT_ADDED,
                CommentAdded {
                    thread: thread.clone(),
                    body: body.clone(),
                },
            );
            let written = Written {
                memo: log.uid().to_owned(),
                thread: thread.clone(),
                comment: comment.id.clone(),
            };
            (vec![comment], written)
        }
        Write::Edit {
            comment,
            replaces,
            body,
            ..
        } => {
            let threads = load(&repo.git, log.uid())?;
            let thread = threads
                .comment(comment)
                .map(|(t, _)| t.id.clone())
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "comment {comment} is not in the log of memo {}",
                        log.uid()
                    ))
                })?;
            let edit = NewEvent::new(
                COMMENT_EDITED,
                CommentEdited {
                    comment: comment.clone(),
                    body: body.clone(),
                    replaces: replaces.clone(),
                },
            );
            let written = Written {
                memo: log.uid().to_owned(),
                thread,
                comment: comment.clone(),
            };
            (vec![edit], written)
        }
    };
    log.append(&author, clock::now(), &events)?;
    Ok(written)
}

/// Sends a write with the repository's identity. When anything fails, the write is
/// saved as a draft and the error names the draft.
pub fn send_or_keep(repo: &Repo, write: Write) -> Result<Written> {
    let result = repo
        .identity()
        .and_then(|identity| send(repo, &write, &identity));
    match result {
        Ok(written) => Ok(written),
        Err(cause) => match draft::save(repo, &write) {
            Ok(path) => Err(Error::DraftSaved {
                cause: Box::new(cause),
                path,
            }),
            Err(save_error) => Err(Error::invalid(format!(
                "{cause}; saving it as a draft failed too ({save_error}); your text was:\n{}",
                write.body()
            ))),
        },
    }
}

/// Resolves (`true`) or reopens a thread. Returns `false`, writing nothing, when it
/// already was in that state.
pub fn set_resolved(
    repo: &Repo,
    thread: &Found,
    resolved: bool,
    identity: &Identity,
) -> Result<bool> {
    let log = EventLog::open(&repo.git, &thread.memo)?;
    let threads = load(&repo.git, log.uid())?;
    let current = threads.thread(&thread.id).ok_or_else(|| {
        Error::invalid(format!(
            "thread {} is not in the log of memo {}",
            thread.id,
            log.uid()
        ))
    })?;
    if current.resolved.is_some() == resolved {
        return Ok(false);
    }
    let kind = if resolved {
        THREAD_RESOLVED
    } else {
        THREAD_REOPENED
    };
    let event = NewEvent::new(
        kind,
        ThreadChange {
            thread: thread.id.clone(),
        },
    );
    log.append(&Author::from_identity(identity), clock::now(), &[event])?;
    Ok(true)
}
