//! Recording a meeting: starting it, joining, reading progress, the move to
//! discussion, longer reads and the thread under discussion. Ending it is in
//! [`super::outcome`].
//!
//! Each function checks the meeting's state first and writes nothing when the request
//! does not fit it, so a refused command leaves the log as it was.

use chrono::{DateTime, Utc};
use git2::{ObjectType, Oid};
use serde::Serialize;

use super::event::{
    Extended, Focus, MEETING_DONE, MEETING_EXTENDED, MEETING_FOCUS, MEETING_JOINED, MEETING_PHASE,
    MEETING_PROGRESS, MEETING_STARTED, MeetingId, PhaseChange, Progress, Revision, Started,
};
use super::fold::{DISCUSSION, Meeting, Phase, seconds};
use super::{countdown, load};
use crate::error::{Error, Result};
use crate::events::{Author, EventLog, NewEvent};
use crate::memo::{Memo, edit};
use crate::render::sanitize_line;
use crate::store::{Identity, Repo};

/// Appends meeting events to a memo's log as `identity`.
pub fn append(
    repo: &Repo,
    uid: &str,
    identity: &Identity,
    now: DateTime<Utc>,
    events: &[NewEvent],
) -> Result<()> {
    let log = EventLog::open(&repo.git, uid)?;
    log.append(&Author::from_identity(identity), now, events)?;
    Ok(())
}

/// Starts a meeting on `memo` with a silent read of `minutes` (the memo's reading time
/// when `None`), and returns it as read back from the log.
pub fn start(
    repo: &Repo,
    memo: &Memo,
    minutes: Option<u32>,
    identity: &Identity,
    now: DateTime<Utc>,
) -> Result<Meeting> {
    let uid = memo_uid(memo)?;
    let meetings = load(&repo.git, &uid)?;
    if let Some(running) = meetings.running().next() {
        return Err(Error::invalid_with_hint(
            format!(
                "a meeting on {} is already running: {} started it at {} ({}, {})",
                sanitize_line(&memo.label()),
                sanitize_line(&running.facilitator.name),
                countdown::Zone::Local.date_time(running.start),
                running.phase().as_str(),
                short(&running.id),
            ),
            "join it with `memo meet join MEMO`, or end it first with `memo meet end MEMO --outcome ...`",
        ));
    }
    let minutes = match minutes {
        Some(minutes) => countdown::check_minutes(minutes)?,
        None => countdown::default_read_minutes(memo, &repo.config),
    };
    let revision = committed_revision(repo, memo)?;
    let event = NewEvent::new(
        MEETING_STARTED,
        Started {
            revision,
            start: now,
            read_seconds: u64::from(minutes) * 60,
        },
    );
    let id = event.id.clone();
    append(repo, &uid, identity, now, &[event])?;
    load(&repo.git, &uid)?
        .get(&id)
        .cloned()
        .ok_or_else(|| Error::invalid(format!("meeting {id} was written but cannot be read back")))
}

/// Joins a running meeting as a reader. Returns `false`, writing nothing, for someone
/// who already takes part (the facilitator, or a reader joining again).
pub fn join(
    repo: &Repo,
    meeting: &Meeting,
    identity: &Identity,
    now: DateTime<Utc>,
) -> Result<bool> {
    ensure_running(meeting)?;
    if meeting.participant(&identity.email).is_some() {
        return Ok(false);
    }
    let event = NewEvent::new(
        MEETING_JOINED,
        MeetingId {
            meeting: meeting.id.clone(),
        },
    );
    append(repo, &meeting.memo, identity, now, &[event])?;
    Ok(true)
}

/// Records a reader's progress; with `done`, marks their read finished. A reader who
/// has not joined yet joins in the same commit.
pub fn record_progress(
    repo: &Repo,
    meeting: &Meeting,
    progress: Progress,
    done: bool,
    identity: &Identity,
    now: DateTime<Utc>,
) -> Result<()> {
    ensure_running(meeting)?;
    let mut events = Vec::new();
    if meeting.participant(&identity.email).is_none() {
        events.push(NewEvent::new(
            MEETING_JOINED,
            MeetingId {
                meeting: meeting.id.clone(),
            },
        ));
    }
    let kind = if done { MEETING_DONE } else { MEETING_PROGRESS };
    let progress = Progress {
        meeting: meeting.id.clone(),
        ..progress
    };
    events.push(NewEvent::new(kind, progress));
    append(repo, &meeting.memo, identity, now, &events)
}

/// Moves a meeting from the silent read to discussion. Returns `false`, writing
/// nothing, when it is already in discussion.
pub fn move_to_discussion(
    repo: &Repo,
    meeting: &Meeting,
    identity: &Identity,
    force: bool,
    now: DateTime<Utc>,
) -> Result<bool> {
    ensure_running(meeting)?;
    ensure_facilitator(meeting, identity, force, "move the meeting to discussion")?;
    if meeting.phase() == Phase::Discussion {
        return Ok(false);
    }
    let event = NewEvent::new(
        MEETING_PHASE,
        PhaseChange {
            meeting: meeting.id.clone(),
            phase: DISCUSSION.to_owned(),
        },
    );
    append(repo, &meeting.memo, identity, now, &[event])?;
    Ok(true)
}

/// Adds `minutes` to the silent read and returns the new deadline.
pub fn extend(
    repo: &Repo,
    meeting: &Meeting,
    minutes: u32,
    identity: &Identity,
    force: bool,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    ensure_running(meeting)?;
    ensure_facilitator(meeting, identity, force, "extend the silent read")?;
    if meeting.phase() != Phase::Reading {
        return Err(Error::invalid(format!(
            "meeting {} is in discussion; the silent read is over and cannot be extended",
            short(&meeting.id)
        )));
    }
    countdown::check_minutes(minutes)?;
    // A read that ran out is extended from now, so the readers get the minutes
    // requested. Otherwise the minutes are added to the time left.
    let base = meeting.deadline().max(now);
    let read_seconds = (base - meeting.start).num_seconds().max(0) as u64 + u64::from(minutes) * 60;
    let event = NewEvent::new(
        MEETING_EXTENDED,
        Extended {
            meeting: meeting.id.clone(),
            read_seconds,
        },
    );
    append(repo, &meeting.memo, identity, now, &[event])?;
    Ok(meeting.start + seconds(read_seconds))
}

/// Records the thread the discussion turns to, so every participant's screen can
/// follow it.
pub fn focus(
    repo: &Repo,
    meeting: &Meeting,
    thread: &str,
    identity: &Identity,
    now: DateTime<Utc>,
) -> Result<()> {
    ensure_running(meeting)?;
    if meeting.focus.as_deref() == Some(thread) {
        return Ok(());
    }
    let event = NewEvent::new(
        MEETING_FOCUS,
        Focus {
            meeting: meeting.id.clone(),
            thread: thread.to_owned(),
        },
    );
    append(repo, &meeting.memo, identity, now, &[event])
}

pub(super) fn ensure_running(meeting: &Meeting) -> Result<()> {
    match &meeting.ended {
        None => Ok(()),
        Some(ending) => Err(Error::invalid_with_hint(
            format!(
                "meeting {} already ended: {} recorded the outcome {} at {}",
                short(&meeting.id),
                sanitize_line(&ending.mark.author.name),
                ending.outcome,
                countdown::Zone::Local.date_time(ending.mark.time)
            ),
            "start a new meeting with `memo meet start MEMO`; `memo meetings MEMO` lists the past ones",
        )),
    }
}

pub(super) fn ensure_facilitator(
    meeting: &Meeting,
    identity: &Identity,
    force: bool,
    action: &str,
) -> Result<()> {
    if force || meeting.is_facilitator(&identity.email) {
        return Ok(());
    }
    Err(Error::invalid_with_hint(
        format!(
            "only the facilitator, {}, can {action}; you are {}",
            sanitize_line(&meeting.facilitator.to_string()),
            sanitize_line(&identity.display())
        ),
        "ask the facilitator, or pass --force to do it in their place (the log records that you did)",
    ))
}

/// Returns the memo's uid, which meetings name memos by. A memo in a merge conflict or
/// with unreadable front matter gives that error instead: a new uid would detach its
/// meetings and comments.
pub fn memo_uid(memo: &Memo) -> Result<String> {
    if let Some(error) = memo.unusable_reason() {
        return Err(Error::Parse(error.clone()));
    }
    let uid = memo.uid().ok_or_else(|| {
        Error::invalid_with_hint(
            format!(
                "{} has no uid, which meetings refer to",
                memo.path.display()
            ),
            format!(
                "add a line `uid: {}` to its front matter and commit it",
                ulid::Ulid::generate()
            ),
        )
    })?;
    crate::events::canonical_uid(uid)
}

/// Returns the revision of `memo` that its checked-out commit holds. A file with
/// changes that are not committed cannot be read by the other participants, so it is
/// an error.
pub fn committed_revision(repo: &Repo, memo: &Memo) -> Result<Revision> {
    let path = git_path(memo);
    let blob = work_tree_blob(repo, memo)?;
    let commit = repo
        .git
        .head()
        .ok()
        .and_then(|head| head.peel_to_commit().ok())
        .ok_or_else(|| {
            Error::invalid_with_hint(
                format!("{path} is not committed, so other participants cannot read it"),
                format!("commit it first: git add {path} && git commit"),
            )
        })?;
    let committed = commit
        .tree()
        .ok()
        .and_then(|tree| tree.get_path(&memo.path).ok())
        .map(|entry| entry.id());
    match committed {
        None => Err(Error::invalid_with_hint(
            format!("{path} is not committed, so other participants cannot read it"),
            format!("commit it first: git add {path} && git commit"),
        )),
        Some(committed) if committed != blob => Err(Error::invalid_with_hint(
            format!(
                "{path} has changes that are not committed; every participant must read the same revision"
            ),
            format!(
                "commit them (git commit {path}) or set them aside (git stash), then start the meeting"
            ),
        )),
        Some(_) => Ok(Revision {
            commit: Some(commit.id().to_string()),
            blob: blob.to_string(),
            path,
        }),
    }
}

/// Returns the blob id of the memo's file in the work tree.
pub fn work_tree_blob(repo: &Repo, memo: &Memo) -> Result<Oid> {
    let absolute = repo.absolute(&memo.path);
    let bytes = std::fs::read(&absolute).map_err(|e| Error::io("read", &absolute, e))?;
    Oid::hash_object(ObjectType::Blob, &bytes)
        .map_err(|e| Error::git(format!("hash {}", absolute.display()), e))
}

/// Reads the memo from the meeting's revision. Every participant reads this text,
/// whatever their work tree contains.
pub fn revision_memo(repo: &Repo, meeting: &Meeting) -> Result<Memo> {
    let missing = || {
        Error::invalid_with_hint(
            format!(
                "the revision of {} that meeting {} reads (blob {}) is not in this clone",
                meeting.revision.path,
                short(&meeting.id),
                meeting.revision.blob
            ),
            "run `memo sync` to fetch the facilitator's commits, then try again",
        )
    };
    let id = Oid::from_str(&meeting.revision.blob).map_err(|_| missing())?;
    let blob = repo.git.find_blob(id).map_err(|_| missing())?;
    Ok(Memo::parse(meeting.revision.path.clone(), blob.content())?)
}

/// The memo now, compared with the meeting's revision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RevisionState {
    /// The memo file changed after the meeting started.
    pub newer: bool,
    /// The memo's path now, relative to the root.
    pub path: Option<String>,
}

/// Compares the memo file in the work tree with the meeting's revision.
pub fn revision_state(repo: &Repo, meeting: &Meeting) -> RevisionState {
    revision_state_of(repo, meeting, repo.find_memo(&meeting.memo).ok().as_ref())
}

/// Compares `current`, the memo as the work tree has it (when it has it), with the
/// meeting's revision; for callers that hold the memos already.
pub fn revision_state_of(repo: &Repo, meeting: &Meeting, current: Option<&Memo>) -> RevisionState {
    let newer = current.is_some_and(|memo| differs_from_revision(repo, meeting, memo));
    RevisionState {
        newer,
        path: current.map(git_path),
    }
}

/// The front matter keys memo itself writes when a meeting ends; a change to them
/// alone is not a newer revision of the memo.
const OUTCOME_KEYS: [&str; 4] = ["status", "decided", "deciders", super::outcome::MEETING_KEY];

/// Returns whether the memo file in the work tree differs from the meeting's revision
/// in more than the [`OUTCOME_KEYS`]. When the blob ids differ and the revision is
/// missing from this clone, or either text has unreadable front matter, the file
/// counts as different.
fn differs_from_revision(repo: &Repo, meeting: &Meeting, memo: &Memo) -> bool {
    let Ok(blob) = work_tree_blob(repo, memo) else {
        return false;
    };
    if blob.to_string() == meeting.revision.blob {
        return false;
    }
    let revision = Oid::from_str(&meeting.revision.blob)
        .and_then(|id| repo.git.find_blob(id))
        .map(|blob| blob.content().to_vec());
    let Ok(revision) = revision else {
        return true;
    };
    let Ok(current) = std::fs::read(repo.absolute(&memo.path)) else {
        return true;
    };
    match (
        without_outcome_keys(memo, &revision),
        without_outcome_keys(memo, &current),
    ) {
        (Some(then), Some(now)) => then != now,
        _ => true,
    }
}

/// Returns a memo file's bytes with the [`OUTCOME_KEYS`] removed from its front
/// matter, or `None` when the front matter cannot be read.
fn without_outcome_keys(memo: &Memo, bytes: &[u8]) -> Option<Vec<u8>> {
    let edits: Vec<edit::FieldEdit> = OUTCOME_KEYS
        .iter()
        .map(|key| edit::FieldEdit::Remove((*key).to_owned()))
        .collect();
    edit::apply(&memo.path, bytes, &edits).ok()
}

/// Returns the first eight characters of a meeting id, as shown to people.
pub fn short(id: &str) -> &str {
    crate::thread::write::short(id)
}

fn git_path(memo: &Memo) -> String {
    memo.path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
