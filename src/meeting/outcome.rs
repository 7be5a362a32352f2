//! Ending a meeting: the outcome event and the memo's front matter.
//!
//! The front matter change is committed first, touching only the memo's file, and the
//! `meeting.ended` event then records that commit. If the event cannot be written
//! (a ref locked for too long), running the same `memo meet end` again finds the front
//! matter already changed, commits nothing, and writes the event.

use chrono::{DateTime, Utc};

use super::event::{Ended, MEETING_ENDED, Outcome};
use super::fold::Meeting;
use super::write::{append, ensure_facilitator, ensure_running, short, work_tree_blob};
use crate::clock;
use crate::error::{Error, Result};
use crate::events::NewEvent;
use crate::memo::Memo;
use crate::memo::edit::{self, FieldEdit};
use crate::render::{sanitize, sanitize_line};
use crate::store::{self, Identity, Repo};

/// The front matter key that names the meeting that decided a memo.
pub const MEETING_KEY: &str = "meeting";

/// The facilitator's decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub outcome: Outcome,
    pub rationale: Option<String>,
    /// The deciders the front matter names; every participant when `None`.
    pub deciders: Option<Vec<String>>,
}

/// Ends a running meeting with `decision`: updates the memo's front matter in one
/// commit that touches only its file, then records the outcome event. Returns the
/// event's payload.
pub fn end(
    repo: &Repo,
    memo: &Memo,
    meeting: &Meeting,
    decision: Decision,
    identity: &Identity,
    force: bool,
    now: DateTime<Utc>,
) -> Result<Ended> {
    ensure_running(meeting)?;
    ensure_facilitator(meeting, identity, force, "end the meeting")?;
    if let Some(error) = &memo.document.front_matter_error {
        return Err(Error::Parse(error.clone()));
    }
    let rationale = decision
        .rationale
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    let deciders = match decision.deciders {
        Some(deciders) => deciders,
        None => meeting
            .participants
            .iter()
            .map(|p| p.author.to_string())
            .collect(),
    };
    let status = decision.outcome.status();

    // The memo file must be as committed: the outcome commit would otherwise carry
    // the user's unfinished edits.
    let head_blob = repo
        .git
        .head()
        .ok()
        .and_then(|head| head.peel_to_tree().ok())
        .and_then(|tree| tree.get_path(&memo.path).ok())
        .map(|entry| entry.id());
    if head_blob != Some(work_tree_blob(repo, memo)?) {
        return Err(Error::invalid_with_hint(
            format!(
                "{} has changes that are not committed; the outcome commit must touch only the front matter",
                memo.path.display()
            ),
            "commit them (or set them aside with `git stash`), then end the meeting again",
        ));
    }

    let mut edits = vec![FieldEdit::set("status", status.as_str())];
    if status.is_decided() {
        edits.push(FieldEdit::set("decided", clock::format(now)));
        edits.push(FieldEdit::set_strings("deciders", &deciders));
    }
    edits.push(FieldEdit::set(MEETING_KEY, meeting.id.as_str()));
    let absolute = repo.absolute(&memo.path);
    let bytes = std::fs::read(&absolute).map_err(|e| Error::io("read", &absolute, e))?;
    let updated = edit::apply(&memo.path, &bytes, &edits)?;

    let commit = if updated == bytes {
        None
    } else {
        store::write_atomic(&absolute, &updated)?;
        let message = commit_message(memo, meeting, decision.outcome, rationale.as_deref());
        match store::commit_paths(repo, &[memo.path.as_path()], &message, identity) {
            Ok(commit) => Some(commit.to_string()),
            Err(error) => {
                // Put the file back, so a failed commit leaves no half-done change.
                let _ = store::write_atomic(&absolute, &bytes);
                return Err(error);
            }
        }
    };

    let ended = Ended {
        meeting: meeting.id.clone(),
        outcome: decision.outcome,
        rationale,
        status: status.as_str().to_owned(),
        deciders: if status.is_decided() {
            deciders
        } else {
            Vec::new()
        },
        commit: commit.clone(),
    };
    let event = NewEvent::new(MEETING_ENDED, &ended);
    if let Err(error) = append(repo, &meeting.memo, identity, now, &[event]) {
        let done = match &commit {
            Some(commit) => format!("the front matter change was committed ({commit}), but "),
            None => String::new(),
        };
        return Err(Error::invalid_with_hint(
            format!("{done}recording the outcome failed: {error}"),
            "fix the cause and run the same `memo meet end` again; it will not commit twice",
        ));
    }
    Ok(ended)
}

fn commit_message(
    memo: &Memo,
    meeting: &Meeting,
    outcome: Outcome,
    rationale: Option<&str>,
) -> String {
    let subject = match memo.number() {
        Some(n) => format!("Record meeting outcome of memo {n:04}: {outcome}"),
        None => format!(
            "Record meeting outcome of {}: {outcome}",
            memo.path.display()
        ),
    };
    let mut message = format!(
        "{subject}\n\nMeeting {} facilitated by {}.",
        short(&meeting.id),
        sanitize_line(&meeting.facilitator.name)
    );
    if let Some(rationale) = rationale {
        message.push_str(&format!("\n\nRationale: {}", sanitize(rationale)));
    }
    message.push('\n');
    message
}
