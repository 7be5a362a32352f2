//! Meetings as `memo meet status` and `memo meetings` print them: JSON views and
//! the human text.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::countdown::{Zone, format_length, format_remaining};
use super::event::Revision;
use super::fold::{Meeting, Participant, Phase, Role, seconds};
use super::write::short;
use crate::clock;
use crate::memo::Memo;
use crate::render::sanitize_line;
use crate::render::wrap::{pad, truncate};

/// The memo a meeting is on, as the work tree has it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemoView {
    pub uid: String,
    pub number: Option<u32>,
    /// `None` when the work tree has no memo with this uid (it was deleted, or its
    /// commit has not been synced).
    pub title: Option<String>,
    pub path: Option<String>,
}

impl MemoView {
    pub fn new(uid: &str, memo: Option<&Memo>) -> MemoView {
        MemoView {
            uid: uid.to_owned(),
            number: memo.and_then(Memo::number),
            title: memo.map(Memo::title),
            path: memo.map(|m| m.path.to_string_lossy().replace('\\', "/")),
        }
    }

    /// Returns `0003 Title`, or the uid when the memo is not in the work tree.
    pub fn label(&self) -> String {
        match (self.number, &self.title) {
            (Some(n), Some(title)) => format!("{n:04} {title}"),
            (None, Some(title)) => title.clone(),
            _ => format!("memo {}", self.uid),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParticipantView {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub joined: String,
    /// Headings of the furthest section read, outermost first.
    pub section: Vec<String>,
    /// Share of the memo read, in per cent.
    pub percent: u8,
    pub active_seconds: u64,
    pub done: bool,
    pub done_at: Option<String>,
    /// Comments written while the meeting ran.
    pub comments: usize,
}

impl ParticipantView {
    fn new(participant: &Participant) -> ParticipantView {
        ParticipantView {
            name: participant.author.name.clone(),
            email: participant.author.email.clone(),
            role: participant.role,
            joined: clock::format(participant.joined),
            section: participant.progress.section.clone(),
            percent: participant.progress.percent,
            active_seconds: participant.progress.active_seconds,
            done: participant.done.is_some(),
            done_at: participant.done.map(clock::format),
            comments: participant.comments,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutcomeView {
    pub outcome: String,
    pub rationale: Option<String>,
    /// The status the memo was set to.
    pub status: String,
    pub deciders: Vec<String>,
    pub ended_by: String,
    pub ended_at: String,
    /// The commit that changed the front matter.
    pub commit: Option<String>,
}

/// A meeting as `memo meet status --json` and `memo meetings --json` print it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MeetingView {
    pub id: String,
    pub memo: MemoView,
    pub phase: Phase,
    pub facilitator: String,
    /// When the silent read began (UTC).
    pub start: String,
    /// When the countdown reaches zero (UTC).
    pub deadline: String,
    pub planned_read_seconds: u64,
    pub read_seconds: u64,
    /// Seconds left on the countdown during the silent read; `null` after it.
    pub time_left_seconds: Option<i64>,
    pub time_up: bool,
    /// How long the silent read took, once it is over.
    pub read_taken_seconds: Option<i64>,
    pub revision: Revision,
    /// The memo changed after the meeting started; participants still read
    /// `revision`.
    pub newer_revision: bool,
    pub participants: Vec<ParticipantView>,
    pub comments: usize,
    pub threads_opened: usize,
    pub threads_discussed: usize,
    pub threads_resolved: usize,
    pub discussion_started: Option<String>,
    /// The thread under discussion.
    pub focus: Option<String>,
    pub outcome: Option<OutcomeView>,
}

impl MeetingView {
    pub fn new(
        meeting: &Meeting,
        memo: MemoView,
        newer_revision: bool,
        now: DateTime<Utc>,
    ) -> MeetingView {
        let phase = meeting.phase();
        MeetingView {
            id: meeting.id.clone(),
            memo,
            phase,
            facilitator: meeting.facilitator.to_string(),
            start: clock::format(meeting.start),
            deadline: clock::format(meeting.deadline()),
            planned_read_seconds: meeting.planned_read_seconds,
            read_seconds: meeting.read_seconds,
            time_left_seconds: (phase == Phase::Reading)
                .then(|| meeting.remaining(now).num_seconds().max(0)),
            time_up: meeting.is_time_up(now),
            read_taken_seconds: meeting.read_duration().map(|d| d.num_seconds()),
            revision: meeting.revision.clone(),
            newer_revision,
            participants: meeting
                .participants
                .iter()
                .map(ParticipantView::new)
                .collect(),
            comments: meeting.comments,
            threads_opened: meeting.threads_opened.len(),
            threads_discussed: meeting.discussed.len(),
            threads_resolved: meeting.threads_resolved.len(),
            discussion_started: meeting.discussion.as_ref().map(|m| clock::format(m.time)),
            focus: meeting.focus.clone(),
            outcome: meeting.ended.as_ref().map(|ending| OutcomeView {
                outcome: ending.outcome.to_string(),
                rationale: ending.rationale.clone(),
                status: ending.status.clone(),
                deciders: ending.deciders.clone(),
                ended_by: ending.mark.author.to_string(),
                ended_at: clock::format(ending.mark.time),
                commit: ending.commit.clone(),
            }),
        }
    }
}

/// Returns the phase with the time left, as one line: `reading, 12:34 left (until
/// 10:25)`, `reading, time is up (since 10:25)`, `discussion since 10:27`.
pub fn phase_line(meeting: &Meeting, now: DateTime<Utc>, zone: Zone) -> String {
    match meeting.phase() {
        Phase::Reading if meeting.is_time_up(now) => format!(
            "reading, time is up (since {}); the facilitator moves the meeting to discussion",
            zone.clock_time(meeting.deadline())
        ),
        Phase::Reading => format!(
            "reading, {} left (until {})",
            format_remaining(meeting.remaining(now)),
            zone.clock_time(meeting.deadline())
        ),
        Phase::Discussion => {
            let since = meeting.discussion.as_ref().map_or(String::new(), |m| {
                format!(" since {}", zone.clock_time(m.time))
            });
            format!("discussion{since}")
        }
        Phase::Ended => match &meeting.ended {
            Some(ending) => format!(
                "ended {} as {}",
                zone.date_time(ending.mark.time),
                ending.outcome
            ),
            None => "ended".to_owned(),
        },
    }
}

/// Writes the text of `memo meet status`.
pub fn status_text(
    meeting: &Meeting,
    memo: &MemoView,
    newer_revision: bool,
    now: DateTime<Utc>,
    zone: Zone,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Meeting {} on {}",
        short(&meeting.id),
        sanitize_line(&memo.label())
    );
    let _ = writeln!(out, "Phase:        {}", phase_line(meeting, now, zone));
    let _ = writeln!(
        out,
        "Facilitator:  {}",
        sanitize_line(&meeting.facilitator.to_string())
    );

    let extended = if meeting.read_seconds != meeting.planned_read_seconds {
        format!(
            " (planned {})",
            format_length(seconds(meeting.planned_read_seconds))
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "Started:      {}, silent read of {}{extended}",
        zone.date_time(meeting.start),
        format_length(seconds(meeting.read_seconds))
    );

    let commit = meeting
        .revision
        .commit
        .as_deref()
        .map_or("uncommitted".to_owned(), |c| {
            c[..12.min(c.len())].to_owned()
        });
    let _ = writeln!(
        out,
        "Revision:     commit {commit}, blob {}",
        &meeting.revision.blob[..12.min(meeting.revision.blob.len())]
    );
    if newer_revision {
        let _ = writeln!(
            out,
            "              the memo changed after the meeting started; the meeting reads this revision"
        );
    }

    let _ = writeln!(
        out,
        "Comments:     {} written during the meeting, in {} new thread(s)",
        meeting.comments,
        meeting.threads_opened.len()
    );
    if let Some(ending) = &meeting.ended {
        let _ = writeln!(
            out,
            "Outcome:      {} (status {}), recorded by {}",
            ending.outcome,
            ending.status,
            sanitize_line(&ending.mark.author.name)
        );
        if let Some(rationale) = &ending.rationale {
            let _ = writeln!(out, "Rationale:    {}", sanitize_line(rationale));
        }
    }

    let _ = writeln!(out, "Participants:");
    for participant in &meeting.participants {
        let _ = writeln!(out, "  {}", participant_line(participant, zone));
    }
    out
}

/// Returns one participant as a line: name, role, share read, section, time, done.
pub fn participant_line(participant: &Participant, zone: Zone) -> String {
    let name = participant_name(participant);
    let section = participant
        .progress
        .section
        .last()
        .map_or("-".to_owned(), |s| sanitize_line(s).into_owned());
    let done = match participant.done {
        Some(time) => format!("done {}", zone.clock_time(time)),
        None => "reading".to_owned(),
    };
    format!(
        "{}  {:>3} %  {}  {:>7}  {:<10}  {} comment(s)",
        pad(&truncate(&name, 28), 28),
        participant.progress.percent,
        pad(&truncate(&section, 24), 24),
        format_length(seconds(participant.progress.active_seconds)),
        done,
        participant.comments
    )
}

/// Returns a participant's name for a screen, with `(facilitator)` after the
/// facilitator's.
pub fn participant_name(participant: &Participant) -> String {
    let role = match participant.role {
        Role::Facilitator => " (facilitator)",
        Role::Reader => "",
    };
    format!("{}{role}", sanitize_line(&participant.author.name))
}

/// Returns one meeting as a row of `memo meetings`.
pub fn list_line(meeting: &Meeting, memo: &MemoView, zone: Zone) -> String {
    let state = match &meeting.ended {
        Some(ending) => ending.outcome.to_string(),
        None => meeting.phase().as_str().to_owned(),
    };
    let read = match meeting.read_duration() {
        Some(taken) => format!(
            "read {} of {}",
            format_length(taken),
            format_length(seconds(meeting.read_seconds))
        ),
        None => format!("read of {}", format_length(seconds(meeting.read_seconds))),
    };
    let names: Vec<String> = meeting
        .participants
        .iter()
        .map(|p| sanitize_line(&p.author.name).into_owned())
        .collect();
    format!(
        "{}  {}  {}  {:<10}  {}  {} comment(s)  {}",
        short(&meeting.id),
        zone.format(meeting.start, "%Y-%m-%d %H:%M"),
        pad(&truncate(&sanitize_line(&memo.label()), 36), 36),
        state,
        read,
        meeting.comments,
        names.join(", ")
    )
}
