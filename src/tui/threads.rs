//! What the reader needs from comment threads, and the drafts of unsent comments.
//!
//! The reader draws threads, and adds, replies to, resolves and reopens them, through
//! [`ThreadStore`]. A thread's anchor is a byte range of the memo text as it is now;
//! the store re-finds anchors on later revisions, and a thread whose passage is gone
//! comes back without a range and is listed apart as outdated.
//!
//! Typed text is never lost: a comment that could not be sent becomes a [`Draft`],
//! kept in `.git/memo/drafts/` until it is sent, so it survives a failed write, a
//! closed editor and a quit.

use std::ops::Range;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::memo::Memo;
use crate::store::Repo;
use crate::thread;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThreadState {
    Open,
    Resolved,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub author: String,
    pub time: DateTime<Utc>,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thread {
    pub id: String,
    pub state: ThreadState,
    /// The quoted passage's bytes in the memo text, or `None` when the passage is gone
    /// (the thread is outdated).
    pub anchor: Option<Range<usize>>,
    /// The text the thread was anchored to when it was opened.
    pub quote: String,
    /// The heading of the section the passage was in.
    pub section: Option<String>,
    pub comments: Vec<Comment>,
}

impl Thread {
    pub fn is_outdated(&self) -> bool {
        self.anchor.is_none()
    }
}

/// A passage of the memo chosen for a new thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// Bytes of the memo text.
    pub range: Range<usize>,
    pub quote: String,
    pub section: Option<String>,
}

/// What a comment is written for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    NewThread(Passage),
    Reply { thread: String, quote: String },
}

impl Target {
    /// Returns the quote the comment is about, for titles and lists.
    pub fn quote(&self) -> &str {
        match self {
            Target::NewThread(passage) => &passage.quote,
            Target::Reply { quote, .. } => quote,
        }
    }
}

/// The comment threads of memos, as the reader uses them.
pub trait ThreadStore {
    /// Returns who new comments are written as, or why nobody can write them (a
    /// missing git identity). The reader asks before the editor opens.
    fn author(&self) -> Result<String>;

    /// Returns the threads of a memo in document order, outdated threads last.
    fn threads(&mut self, memo: &Memo) -> Result<Vec<Thread>>;

    /// Opens a thread on a passage with its first comment.
    fn add(&mut self, memo: &Memo, passage: &Passage, body: &str) -> Result<()>;

    fn reply(&mut self, memo: &Memo, thread: &str, body: &str) -> Result<()>;

    /// Resolves or reopens a thread.
    fn set_state(&mut self, memo: &Memo, thread: &str, state: ThreadState) -> Result<()>;

    /// Returns a notice about comments the last [`ThreadStore::threads`] held back.
    fn hidden_notice(&self) -> Option<String> {
        None
    }
}

/// The threads of a repository's memos, read from and written to each memo's event log
/// (see `crate::thread`).
pub struct RepoThreads {
    repo: Repo,
    /// The revision the memos shown are read from (blob and commit), when it is not
    /// the work tree's file: a meeting reads the revision it started with.
    revision: Option<(String, Option<String>)>,
    /// Others' comments are held back during a silent read the viewer has not marked
    /// done. The meeting screen does its own hiding, which a key switches.
    hide_during_reads: bool,
    hidden_notice: Option<String>,
}

impl std::fmt::Debug for RepoThreads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RepoThreads")
            .field("root", &self.repo.root)
            .finish()
    }
}

impl RepoThreads {
    /// Opens the repository at `root` for the store's own use.
    pub fn open(root: &std::path::Path) -> Result<RepoThreads> {
        Ok(RepoThreads {
            repo: Repo::discover(root)?,
            revision: None,
            hide_during_reads: true,
            hidden_notice: None,
        })
    }

    /// Opens the repository at `root` for memos read from the revision with git blob
    /// id `blob`, taken from `commit`: threads are placed in that text and new ones
    /// anchored to it.
    pub fn at_revision(
        root: &std::path::Path,
        blob: &str,
        commit: Option<String>,
    ) -> Result<RepoThreads> {
        Ok(RepoThreads {
            repo: Repo::discover(root)?,
            revision: Some((blob.to_owned(), commit)),
            hide_during_reads: false,
            hidden_notice: None,
        })
    }

    /// Returns the memo's text prepared for anchoring, with the commit it came from.
    fn target<'m>(&self, memo: &'m Memo) -> Result<(crate::anchor::Target<'m>, Option<String>)> {
        match &self.revision {
            Some((blob, commit)) => Ok((
                crate::anchor::Target::new(memo.text(), memo.document.body_offset, blob),
                commit.clone(),
            )),
            None => thread::place::memo_target(&self.repo, memo),
        }
    }

    fn uid(memo: &Memo) -> Result<&str> {
        if let Some(error) = memo.unusable_reason() {
            return Err(Error::Parse(error.clone()));
        }
        memo.uid().ok_or_else(|| {
            Error::invalid_with_hint(
                format!(
                    "{} has no uid, so comments cannot refer to it",
                    memo.path.display()
                ),
                "add a `uid:` line to its front matter (any unique id; `memo new` writes a ULID)",
            )
        })
    }

    fn send(&self, write: &thread::Write) -> Result<()> {
        let identity = self.repo.identity()?;
        thread::send(&self.repo, write, &identity)?;
        Ok(())
    }
}

impl ThreadStore for RepoThreads {
    fn author(&self) -> Result<String> {
        self.repo
            .identity()
            .map(|i| i.display())
            .map_err(|e| Error::invalid(identity_notice(&e)))
    }

    fn threads(&mut self, memo: &Memo) -> Result<Vec<Thread>> {
        let Some(uid) = memo.uid() else {
            return Ok(Vec::new());
        };
        let (target, _) = self.target(memo)?;
        let listing = thread::view::list_at(&self.repo, &target, uid, true)?;
        for problem in &listing.problems {
            tracing::warn!("{problem}");
        }
        let mut views = listing.threads;
        self.hidden_notice = None;
        // Others' comments are held back during a silent read, as `memo comment list`
        // holds them back.
        if self.hide_during_reads
            && let Some((read, hidden)) =
                crate::meeting::hidden::hide_from_viewer(&self.repo, uid, &mut views)?
            && hidden > 0
        {
            self.hidden_notice = Some(format!(
                "{hidden} comment(s) by others are hidden until you mark your read of meeting {} done (`d` in the meeting screen, or `memo meet done`)",
                crate::meeting::write::short(&read.id)
            ));
        }
        Ok(views.into_iter().map(thread_from_view).collect())
    }

    fn add(&mut self, memo: &Memo, passage: &Passage, body: &str) -> Result<()> {
        let uid = Self::uid(memo)?;
        let (target, commit) = self.target(memo)?;
        let anchor = thread::place::anchor_in_target(&target, commit, memo, passage.range.clone())?;
        self.send(&thread::Write::Open {
            memo: uid.to_owned(),
            anchor,
            body: thread::write::clean_body(body)?,
        })
    }

    fn reply(&mut self, memo: &Memo, thread_id: &str, body: &str) -> Result<()> {
        let uid = Self::uid(memo)?;
        self.send(&thread::Write::Reply {
            memo: uid.to_owned(),
            thread: thread_id.to_owned(),
            body: thread::write::clean_body(body)?,
        })
    }

    fn set_state(&mut self, memo: &Memo, thread_id: &str, state: ThreadState) -> Result<()> {
        let uid = Self::uid(memo)?;
        let identity = self.repo.identity()?;
        let found = thread::Found {
            memo: uid.to_owned(),
            id: thread_id.to_owned(),
        };
        thread::set_resolved(
            &self.repo,
            &found,
            state == ThreadState::Resolved,
            &identity,
        )?;
        Ok(())
    }

    fn hidden_notice(&self) -> Option<String> {
        self.hidden_notice.clone()
    }
}

/// Converts a placed thread of the event log into what the reader draws.
fn thread_from_view(view: thread::ThreadView) -> Thread {
    let outdated = view.anchor.state == crate::anchor::State::Outdated;
    let quote = match (&view.anchor.quote, &view.anchor.section) {
        (Some(quote), _) => quote.clone(),
        (None, Some(section)) => format!("(the section '{section}')"),
        (None, None) => "(the whole memo)".to_owned(),
    };
    Thread {
        id: view.id,
        state: if view.resolved {
            ThreadState::Resolved
        } else {
            ThreadState::Open
        },
        anchor: if outdated { None } else { view.range },
        quote,
        section: view.anchor.section,
        comments: view
            .comments
            .into_iter()
            .map(|c| Comment {
                author: c.author,
                time: crate::memo::metadata::parse_timestamp(&c.time).unwrap_or_default(),
                body: c.body,
            })
            .collect(),
    }
}

/// Returns a missing identity as one line with its fix, for the screen.
pub fn identity_notice(error: &Error) -> String {
    match error {
        Error::IdentityMissing { .. } => format!(
            "{error}: set it with `git config user.name \"Your Name\"` and \
             `git config user.email you@example.com`"
        ),
        other => other.to_string(),
    }
}

/// Threads kept in memory: the store of tests and of memos shown outside a repository.
#[derive(Debug)]
pub struct MemoryThreads {
    /// Who comments are written as, or the reason nobody can write them.
    pub author: std::result::Result<String, String>,
    pub threads: Vec<Thread>,
    /// The time given to new comments.
    pub now: DateTime<Utc>,
    /// When set, every write fails with this message, as a locked repository would.
    pub fail_writes: Option<String>,
}

impl MemoryThreads {
    pub fn new(author: &str, now: DateTime<Utc>) -> MemoryThreads {
        MemoryThreads {
            author: Ok(author.to_owned()),
            threads: Vec::new(),
            now,
            fail_writes: None,
        }
    }

    fn write_check(&self) -> Result<String> {
        let author = self.author()?;
        match &self.fail_writes {
            Some(message) => Err(Error::invalid(message.clone())),
            None => Ok(author),
        }
    }
}

impl ThreadStore for MemoryThreads {
    fn author(&self) -> Result<String> {
        self.author.clone().map_err(Error::invalid)
    }

    fn threads(&mut self, _memo: &Memo) -> Result<Vec<Thread>> {
        let mut threads = self.threads.clone();
        threads.sort_by_key(|t| t.anchor.as_ref().map_or(usize::MAX, |r| r.start));
        Ok(threads)
    }

    fn add(&mut self, _memo: &Memo, passage: &Passage, body: &str) -> Result<()> {
        let author = self.write_check()?;
        let id = format!("t{}", self.threads.len() + 1);
        self.threads.push(Thread {
            id,
            state: ThreadState::Open,
            anchor: Some(passage.range.clone()),
            quote: passage.quote.clone(),
            section: passage.section.clone(),
            comments: vec![Comment {
                author,
                time: self.now,
                body: body.to_owned(),
            }],
        });
        Ok(())
    }

    fn reply(&mut self, _memo: &Memo, thread: &str, body: &str) -> Result<()> {
        let author = self.write_check()?;
        let now = self.now;
        let found = self
            .threads
            .iter_mut()
            .find(|t| t.id == thread)
            .ok_or_else(|| Error::invalid(format!("no thread '{thread}'")))?;
        found.comments.push(Comment {
            author,
            time: now,
            body: body.to_owned(),
        });
        Ok(())
    }

    fn set_state(&mut self, _memo: &Memo, thread: &str, state: ThreadState) -> Result<()> {
        self.write_check()?;
        let found = self
            .threads
            .iter_mut()
            .find(|t| t.id == thread)
            .ok_or_else(|| Error::invalid(format!("no thread '{thread}'")))?;
        found.state = state;
        Ok(())
    }
}

/// A comment that was typed but not sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub target: Target,
    pub body: String,
    /// Why the last attempt to send it failed, if it was tried.
    pub error: Option<String>,
}

/// The drafts of one memo, saved in a file when the memo is in a repository.
#[derive(Debug, Default)]
pub struct Drafts {
    pub items: Vec<Draft>,
    file: Option<PathBuf>,
}

impl Drafts {
    /// Loads the drafts of a memo from `.git/memo/drafts/reader/`. The file name is a
    /// hash of the memo's uid (or path), so no text from the memo becomes a path. The
    /// folder is apart from the command line's drafts, whose files hold one write each.
    pub fn load(repo: &Repo, memo: &Memo) -> Result<Drafts> {
        let key = memo
            .uid()
            .map_or_else(|| memo.path.to_string_lossy().into_owned(), str::to_owned);
        let hash = git2::Oid::hash_object(git2::ObjectType::Blob, key.as_bytes())
            .map_err(|e| Error::git("hash a draft name", e))?;
        let dir = repo.data_dir()?.join("drafts").join("reader");
        let file = dir.join(format!("{hash}.json"));
        let items = match std::fs::read(&file) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                Error::invalid_with_hint(
                    format!("invalid drafts file {}: {e}", file.display()),
                    "move the file away to start with no drafts; its text is readable JSON",
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(Error::io("read", &file, e)),
        };
        Ok(Drafts {
            items,
            file: Some(file),
        })
    }

    /// Replaces the draft for the same target, or adds it, and saves.
    pub fn keep(&mut self, draft: Draft) -> Result<()> {
        match self.items.iter_mut().find(|d| d.target == draft.target) {
            Some(existing) => *existing = draft,
            None => self.items.push(draft),
        }
        self.save()
    }

    /// Removes the draft for a target, and saves.
    pub fn remove(&mut self, target: &Target) -> Result<()> {
        let before = self.items.len();
        self.items.retain(|d| &d.target != target);
        if self.items.len() == before {
            return Ok(());
        }
        self.save()
    }

    pub fn find(&self, target: &Target) -> Option<&Draft> {
        self.items.iter().find(|d| &d.target == target)
    }

    fn save(&self) -> Result<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        if self.items.is_empty() {
            return match std::fs::remove_file(file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    Err(Error::io("remove", file, e))
                }
                _ => Ok(()),
            };
        }
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
        }
        let bytes = serde_json::to_vec_pretty(&self.items)
            .map_err(|e| Error::invalid(format!("cannot encode the drafts: {e}")))?;
        crate::store::write_atomic(file, &bytes)
    }

    /// Returns where the drafts are saved, if anywhere.
    pub fn file(&self) -> Option<&std::path::Path> {
        self.file.as_deref()
    }
}
