//! Meetings: the silent read, the discussion and the recorded outcome.
//!
//! A meeting is a run of events in its memo's log (see `docs/storage.md`). [`event`]
//! defines them, [`fold`] builds meetings from them, and [`write`] and [`outcome`]
//! append them. [`countdown`] turns the recorded start into time left. [`reading`]
//! measures what a reader has read, and [`progress`] decides when that is worth an
//! event. [`hidden`] keeps others' comments from a reader during the silent read, and
//! [`report`] and [`minutes`] present meetings to people and programs. The command
//! line and the terminal UI both go through these modules.

pub mod countdown;
pub mod event;
pub mod fold;
pub mod hidden;
pub mod minutes;
pub mod outcome;
pub mod progress;
pub mod reading;
pub mod report;
pub mod write;

use git2::Repository;

pub use countdown::Zone;
pub use event::{Outcome, Progress, Revision};
pub use fold::{Meeting, Meetings, Participant, Phase, Role};
pub use outcome::{Decision, end};
pub use progress::ProgressTracker;
pub use write::{join, memo_uid, move_to_discussion, record_progress, start};

use crate::error::{Error, Result};
use crate::events::EventLog;
use crate::memo::Memo;
use crate::render::sanitize_line;

/// Reads a memo's log and folds it into meetings. Events that cannot be read or
/// applied are in [`Meetings::problems`].
pub fn load(git: &Repository, uid: &str) -> Result<Meetings> {
    let log = EventLog::open(git, uid)?;
    let read = log.read()?;
    let mut meetings = Meetings::fold(log.reference(), &read.events);
    let mut problems = read.problems;
    problems.append(&mut meetings.problems);
    meetings.problems = problems;
    Ok(meetings)
}

/// Picks the meeting a command is about: the one whose id starts with `wanted`, or
/// else the running one (the one started first, by recorded start and then id, when
/// several run after two clones started one each). The error names what to do when
/// there is none.
pub fn select<'m>(
    meetings: &'m Meetings,
    memo: &Memo,
    wanted: Option<&str>,
) -> Result<&'m Meeting> {
    if let Some(wanted) = wanted {
        return find(meetings, memo, wanted);
    }
    match meetings.running().next() {
        Some(meeting) => Ok(meeting),
        None => Err(no_running_meeting(meetings, memo)),
    }
}

/// Picks the meeting to show: the one whose id starts with `wanted`, else the running
/// one, else the latest.
pub fn select_shown<'m>(
    meetings: &'m Meetings,
    memo: &Memo,
    wanted: Option<&str>,
) -> Result<&'m Meeting> {
    if let Some(wanted) = wanted {
        return find(meetings, memo, wanted);
    }
    meetings
        .running()
        .next()
        .or_else(|| meetings.latest())
        .ok_or_else(|| {
            Error::invalid_with_hint(
                format!("{} has had no meeting", sanitize_line(&memo.label())),
                "start one with `memo meet start MEMO`",
            )
        })
}

fn find<'m>(meetings: &'m Meetings, memo: &Memo, wanted: &str) -> Result<&'m Meeting> {
    let prefix = wanted.trim().to_ascii_uppercase();
    let matches: Vec<&Meeting> = meetings
        .meetings
        .iter()
        .filter(|m| !prefix.is_empty() && m.id.starts_with(&prefix))
        .collect();
    match matches.as_slice() {
        [meeting] => Ok(meeting),
        [] => Err(Error::invalid_with_hint(
            format!(
                "{} has no meeting with an id starting with '{}'",
                sanitize_line(&memo.label()),
                sanitize_line(wanted)
            ),
            "`memo meetings MEMO` lists its meetings with their ids",
        )),
        several => Err(Error::invalid_with_hint(
            format!(
                "'{}' starts the ids of {} meetings on {}",
                sanitize_line(wanted),
                several.len(),
                sanitize_line(&memo.label())
            ),
            "give more characters of the id",
        )),
    }
}

fn no_running_meeting(meetings: &Meetings, memo: &Memo) -> Error {
    let last = match meetings
        .latest()
        .and_then(|m| m.ended.as_ref().map(|e| (m, e)))
    {
        Some((meeting, ending)) => format!(
            "; the last one ({}) ended as {} on {}",
            write::short(&meeting.id),
            ending.outcome,
            Zone::Local.date_time(ending.mark.time)
        ),
        None => String::new(),
    };
    Error::invalid_with_hint(
        format!(
            "no meeting is running on {}{last}",
            sanitize_line(&memo.label())
        ),
        "start one with `memo meet start MEMO`; if a colleague started it on their machine, `memo sync` fetches it",
    )
}
