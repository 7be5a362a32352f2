//! The fold that builds meetings from a memo's events.
//!
//! Events are applied in (clock, id) order, so every clone that holds the same events
//! shows the same meetings. Wall-clock times inside events are shown, never used for
//! ordering: a participant whose clock is wrong cannot reorder the meeting. The
//! countdown follows the start time the facilitator recorded.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::event::{
    Ended, Extended, Focus, MEETING_DONE, MEETING_ENDED, MEETING_EXTENDED, MEETING_FOCUS,
    MEETING_JOINED, MEETING_PHASE, MEETING_PROGRESS, MEETING_STARTED, MeetingId, Outcome,
    PhaseChange, Progress, Revision, Started,
};
use crate::events::{Author, Event, Problem};
use crate::thread::fold::{
    COMMENT_ADDED, THREAD_OPENED, THREAD_REOPENED, THREAD_RESOLVED, ThreadChange,
};

/// The one phase a `meeting.phase` event can move a meeting to.
pub const DISCUSSION: &str = "discussion";

/// Where a meeting is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// The silent read; it goes on after the countdown reaches zero until the
    /// facilitator moves the meeting to discussion.
    Reading,
    Discussion,
    Ended,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Reading => "reading",
            Phase::Discussion => "discussion",
            Phase::Ended => "ended",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Facilitator,
    Reader,
}

/// Who did something in a meeting, and when by their clock.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub author: Author,
    pub time: DateTime<Utc>,
    pub clock: u64,
}

impl Mark {
    fn of(event: &Event) -> Mark {
        Mark {
            author: event.author.clone(),
            time: event.time,
            clock: event.clock,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Participant {
    pub author: Author,
    pub role: Role,
    pub joined: DateTime<Utc>,
    /// The furthest the participant has read, as last recorded.
    pub progress: Progress,
    /// When progress was last recorded, by the participant's clock.
    pub progress_time: Option<DateTime<Utc>>,
    /// When the participant marked the read done.
    pub done: Option<DateTime<Utc>>,
    /// Comments the participant wrote while the meeting ran.
    pub comments: usize,
}

impl Participant {
    fn new(author: &Author, role: Role, time: DateTime<Utc>, meeting: &str) -> Participant {
        Participant {
            author: author.clone(),
            role,
            joined: time,
            progress: Progress {
                meeting: meeting.to_owned(),
                ..Progress::default()
            },
            progress_time: None,
            done: None,
            comments: 0,
        }
    }

    /// Takes a progress report, keeping the furthest place and the longest reading
    /// time seen: reports from two sessions of one reader never move them back.
    fn record(&mut self, progress: Progress, time: DateTime<Utc>) {
        if progress.percent >= self.progress.percent {
            self.progress.percent = progress.percent.min(100);
            self.progress.section = progress.section;
        }
        self.progress.active_seconds = self.progress.active_seconds.max(progress.active_seconds);
        self.progress_time = Some(time);
    }
}

/// How a meeting ended.
#[derive(Clone, Debug, PartialEq)]
pub struct Ending {
    pub mark: Mark,
    pub outcome: Outcome,
    pub rationale: Option<String>,
    pub status: String,
    pub deciders: Vec<String>,
    pub commit: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Meeting {
    /// The id of the `meeting.started` event.
    pub id: String,
    /// The uid of the memo.
    pub memo: String,
    pub revision: Revision,
    pub facilitator: Author,
    /// When the silent read began (the facilitator's clock).
    pub start: DateTime<Utc>,
    /// The Lamport clock of the start event.
    pub clock: u64,
    /// The silent read as planned at the start, in seconds.
    pub planned_read_seconds: u64,
    /// The silent read now, after any extensions, in seconds.
    pub read_seconds: u64,
    /// The facilitator first, then readers in the order they joined.
    pub participants: Vec<Participant>,
    /// When the facilitator moved the meeting to discussion.
    pub discussion: Option<Mark>,
    /// The thread under discussion.
    pub focus: Option<String>,
    /// Threads the discussion has turned to, in that order.
    pub discussed: Vec<String>,
    /// Comments written while the meeting ran.
    pub comments: usize,
    /// Threads opened while the meeting ran.
    pub threads_opened: Vec<String>,
    /// Threads resolved during the discussion (and not reopened).
    pub threads_resolved: Vec<String>,
    pub ended: Option<Ending>,
}

impl Meeting {
    pub fn phase(&self) -> Phase {
        match (&self.ended, &self.discussion) {
            (Some(_), _) => Phase::Ended,
            (None, Some(_)) => Phase::Discussion,
            (None, None) => Phase::Reading,
        }
    }

    pub fn is_running(&self) -> bool {
        self.ended.is_none()
    }

    /// Returns when the silent read's countdown reaches zero.
    pub fn deadline(&self) -> DateTime<Utc> {
        self.start + seconds(self.read_seconds)
    }

    /// Returns the time left on the countdown at `now`; negative once it is over.
    pub fn remaining(&self, now: DateTime<Utc>) -> Duration {
        self.deadline() - now
    }

    pub fn is_time_up(&self, now: DateTime<Utc>) -> bool {
        now >= self.deadline()
    }

    /// Returns the participant with this email address (compared ignoring case).
    pub fn participant(&self, email: &str) -> Option<&Participant> {
        self.participants
            .iter()
            .find(|p| p.author.email.eq_ignore_ascii_case(email))
    }

    pub fn is_facilitator(&self, email: &str) -> bool {
        self.facilitator.email.eq_ignore_ascii_case(email)
    }

    /// Returns the readers: every participant but the facilitator.
    pub fn readers(&self) -> impl Iterator<Item = &Participant> {
        self.participants.iter().filter(|p| p.role == Role::Reader)
    }

    /// Returns the time the silent read took, from the start to the discussion (or the
    /// end, for a meeting ended during the read); `None` while it goes on.
    pub fn read_duration(&self) -> Option<Duration> {
        let until = self
            .discussion
            .as_ref()
            .or(self.ended.as_ref().map(|e| &e.mark))?;
        Some((until.time - self.start).max(Duration::zero()))
    }

    fn participant_mut(&mut self, author: &Author, time: DateTime<Utc>) -> &mut Participant {
        let index = match self
            .participants
            .iter()
            .position(|p| p.author.email.eq_ignore_ascii_case(&author.email))
        {
            Some(index) => index,
            None => {
                // A report from someone whose join event is missing: they take part.
                self.participants
                    .push(Participant::new(author, Role::Reader, time, &self.id));
                self.participants.len() - 1
            }
        };
        &mut self.participants[index]
    }
}

/// The meetings of one memo, in the order they were started.
#[derive(Clone, Debug, Default)]
pub struct Meetings {
    pub meetings: Vec<Meeting>,
    /// Events that could not be applied, with the reason; the rest is shown.
    pub problems: Vec<Problem>,
}

impl Meetings {
    /// Folds a memo's events (ordered by clock and id) into meetings. Thread events
    /// count towards the meetings running when they were written; other kinds are
    /// left to their own folds.
    pub fn fold(reference: &str, events: &[Event]) -> Meetings {
        let mut meetings = Meetings::default();
        for event in events {
            if let Err(message) = meetings.apply(event) {
                meetings.problems.push(Problem {
                    reference: reference.to_owned(),
                    event: event.id.clone(),
                    message,
                });
            }
        }
        meetings
    }

    pub fn get(&self, id: &str) -> Option<&Meeting> {
        self.meetings.iter().find(|m| m.id == id)
    }

    /// Returns the meetings that have not ended, the one started first first: by
    /// recorded start, then by id. Two clones that each started a meeting without
    /// syncing have both in their logs, in an order that need not be the start order.
    pub fn running(&self) -> impl Iterator<Item = &Meeting> {
        let mut running: Vec<&Meeting> = self.meetings.iter().filter(|m| m.is_running()).collect();
        running.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
        running.into_iter()
    }

    /// Returns the most recently started meeting.
    pub fn latest(&self) -> Option<&Meeting> {
        self.meetings.last()
    }

    fn apply(&mut self, event: &Event) -> Result<(), String> {
        match event.kind.as_str() {
            MEETING_STARTED => {
                let started: Started = event.payload()?;
                if started.read_seconds == 0 {
                    return Err("starts a meeting with a silent read of 0 seconds".to_owned());
                }
                let facilitator =
                    Participant::new(&event.author, Role::Facilitator, started.start, &event.id);
                self.meetings.push(Meeting {
                    id: event.id.clone(),
                    memo: event.memo.clone(),
                    revision: started.revision,
                    facilitator: event.author.clone(),
                    start: started.start,
                    clock: event.clock,
                    planned_read_seconds: started.read_seconds,
                    read_seconds: started.read_seconds,
                    participants: vec![facilitator],
                    discussion: None,
                    focus: None,
                    discussed: Vec::new(),
                    comments: 0,
                    threads_opened: Vec::new(),
                    threads_resolved: Vec::new(),
                    ended: None,
                });
            }
            MEETING_JOINED => {
                let payload: MeetingId = event.payload()?;
                if let Some(meeting) = self.running_mut(&payload.meeting)? {
                    meeting.participant_mut(&event.author, event.time);
                }
            }
            MEETING_PROGRESS | MEETING_DONE => {
                let progress: Progress = event.payload()?;
                if let Some(meeting) = self.running_mut(&progress.meeting)? {
                    let participant = meeting.participant_mut(&event.author, event.time);
                    participant.record(progress, event.time);
                    if event.kind == MEETING_DONE && participant.done.is_none() {
                        participant.done = Some(event.time);
                    }
                }
            }
            MEETING_EXTENDED => {
                let extended: Extended = event.payload()?;
                if extended.read_seconds == 0 {
                    return Err("sets a silent read of 0 seconds".to_owned());
                }
                if let Some(meeting) = self.running_mut(&extended.meeting)? {
                    meeting.read_seconds = extended.read_seconds;
                }
            }
            MEETING_PHASE => {
                let change: PhaseChange = event.payload()?;
                if change.phase != DISCUSSION {
                    return Err(format!(
                        "moves meeting {} to phase '{}', which this memo does not know",
                        change.meeting, change.phase
                    ));
                }
                if let Some(meeting) = self.running_mut(&change.meeting)?
                    && meeting.discussion.is_none()
                {
                    meeting.discussion = Some(Mark::of(event));
                }
            }
            MEETING_FOCUS => {
                let focus: Focus = event.payload()?;
                if let Some(meeting) = self.running_mut(&focus.meeting)? {
                    if !meeting.discussed.contains(&focus.thread) {
                        meeting.discussed.push(focus.thread.clone());
                    }
                    meeting.focus = Some(focus.thread);
                }
            }
            MEETING_ENDED => {
                let ended: Ended = event.payload()?;
                let meeting = self.meeting_mut(&ended.meeting)?;
                if let Some(first) = &meeting.ended {
                    return Err(format!(
                        "ends meeting {} again (as {}); it already ended as {} by {}, which stands",
                        ended.meeting, ended.outcome, first.outcome, first.mark.author
                    ));
                }
                meeting.focus = None;
                meeting.ended = Some(Ending {
                    mark: Mark::of(event),
                    outcome: ended.outcome,
                    rationale: ended.rationale,
                    status: ended.status,
                    deciders: ended.deciders,
                    commit: ended.commit,
                });
            }
            // Thread events are checked and reported by the thread fold.
            COMMENT_ADDED => {
                for meeting in self.meetings.iter_mut().filter(|m| m.is_running()) {
                    meeting.comments += 1;
                    if let Some(participant) = meeting
                        .participants
                        .iter_mut()
                        .find(|p| p.author.email.eq_ignore_ascii_case(&event.author.email))
                    {
                        participant.comments += 1;
                    }
                }
            }
            THREAD_OPENED => {
                for meeting in self.meetings.iter_mut().filter(|m| m.is_running()) {
                    meeting.threads_opened.push(event.id.clone());
                }
            }
            THREAD_RESOLVED | THREAD_REOPENED => {
                let Ok(change) = event.payload::<ThreadChange>() else {
                    return Ok(());
                };
                for meeting in self
                    .meetings
                    .iter_mut()
                    .filter(|m| m.phase() == Phase::Discussion)
                {
                    meeting.threads_resolved.retain(|t| *t != change.thread);
                    if event.kind == THREAD_RESOLVED {
                        meeting.threads_resolved.push(change.thread.clone());
                    }
                }
            }
            // Other kinds belong to other folds.
            _ => {}
        }
        Ok(())
    }

    fn meeting_mut(&mut self, id: &str) -> Result<&mut Meeting, String> {
        self.meetings
            .iter_mut()
            .find(|m| m.id == id)
            .ok_or_else(|| format!("refers to meeting {id}, which is not in the log"))
    }

    /// Returns the meeting `id` while it runs. Events written for a meeting that has
    /// already ended (progress synced late) change nothing and are not reported.
    fn running_mut(&mut self, id: &str) -> Result<Option<&mut Meeting>, String> {
        let meeting = self.meeting_mut(id)?;
        Ok(meeting.is_running().then_some(meeting))
    }
}

/// Returns a whole number of seconds as a duration, saturating far beyond any meeting.
pub fn seconds(value: u64) -> Duration {
    Duration::seconds(
        i64::try_from(value)
            .unwrap_or(i64::MAX / 1000)
            .min(i64::MAX / 1000),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::FORMAT_VERSION;
    use serde_json::json;

    fn time(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("time")
            .with_timezone(&Utc)
    }

    fn event(id: &str, clock: u64, who: &str, kind: &str, payload: serde_json::Value) -> Event {
        Event {
            version: FORMAT_VERSION,
            id: id.to_owned(),
            memo: "M".to_owned(),
            kind: kind.to_owned(),
            clock,
            time: time("2026-03-02T09:00:00Z") + Duration::minutes(clock as i64),
            author: Author {
                name: who.to_owned(),
                email: format!("{}@example.com", who.to_lowercase()),
            },
            payload,
        }
    }

    fn started(id: &str, clock: u64) -> Event {
        event(
            id,
            clock,
            "Fay",
            MEETING_STARTED,
            json!({
                "revision": {"commit": "c", "blob": "b", "path": "memos/0001-x.md"},
                "start": "2026-03-02T09:00:00Z",
                "read_seconds": 1200
            }),
        )
    }

    #[test]
    fn progress_never_moves_back() {
        let events = [
            started("S", 1),
            event("J", 2, "Rui", MEETING_JOINED, json!({"meeting": "S"})),
            event(
                "P1",
                3,
                "Rui",
                MEETING_PROGRESS,
                json!({"meeting": "S", "section": ["Context"], "percent": 40, "active_seconds": 300}),
            ),
            // A second session of the same reader that started again from the top.
            event(
                "P2",
                4,
                "Rui",
                MEETING_PROGRESS,
                json!({"meeting": "S", "section": ["Summary"], "percent": 10, "active_seconds": 60}),
            ),
        ];
        let meetings = Meetings::fold("r", &events);
        let reader = meetings.meetings[0]
            .participant("rui@example.com")
            .expect("reader");
        assert_eq!(reader.progress.percent, 40);
        assert_eq!(reader.progress.section, ["Context"]);
        assert_eq!(reader.progress.active_seconds, 300);
        assert!(meetings.problems.is_empty(), "{:?}", meetings.problems);
    }

    #[test]
    fn second_ending_is_reported_and_first_stands() {
        let ended = |id: &str, clock: u64, outcome: &str| {
            event(
                id,
                clock,
                "Fay",
                MEETING_ENDED,
                json!({"meeting": "S", "outcome": outcome, "status": outcome}),
            )
        };
        let events = [
            started("S", 1),
            ended("E1", 2, "accepted"),
            ended("E2", 3, "rejected"),
        ];
        let meetings = Meetings::fold("r", &events);
        let ending = meetings.meetings[0].ended.as_ref().expect("ended");
        assert_eq!(ending.outcome, Outcome::Accepted);
        assert_eq!(meetings.problems.len(), 1);
        assert!(meetings.problems[0].message.contains("stands"));
    }

    #[test]
    fn comments_count_towards_running_meetings_only() {
        let comment = |id: &str, clock: u64, who: &str| {
            event(
                id,
                clock,
                who,
                COMMENT_ADDED,
                json!({"thread": "T", "body": "x"}),
            )
        };
        let events = [
            comment("C0", 1, "Rui"),
            started("S", 2),
            event("J", 3, "Rui", MEETING_JOINED, json!({"meeting": "S"})),
            comment("C1", 4, "Rui"),
            comment("C2", 5, "Fay"),
            event(
                "E",
                6,
                "Fay",
                MEETING_ENDED,
                json!({"meeting": "S", "outcome": "deferred", "status": "deferred"}),
            ),
            comment("C3", 7, "Rui"),
        ];
        let meetings = Meetings::fold("r", &events);
        let meeting = &meetings.meetings[0];
        assert_eq!(meeting.comments, 2);
        assert_eq!(
            meeting.participant("rui@example.com").map(|p| p.comments),
            Some(1)
        );
    }

    #[test]
    fn event_of_unknown_meeting_is_reported() {
        let events = [event(
            "J",
            1,
            "Rui",
            MEETING_JOINED,
            json!({"meeting": "NOPE"}),
        )];
        let meetings = Meetings::fold("r", &events);
        assert!(meetings.meetings.is_empty());
        assert!(meetings.problems[0].message.contains("NOPE"));
    }

    #[test]
    fn countdown_follows_recorded_start_and_extensions() {
        let events = [
            started("S", 1),
            event(
                "X",
                2,
                "Fay",
                MEETING_EXTENDED,
                json!({"meeting": "S", "read_seconds": 1500}),
            ),
        ];
        let meetings = Meetings::fold("r", &events);
        let meeting = &meetings.meetings[0];
        assert_eq!(meeting.deadline(), time("2026-03-02T09:25:00Z"));
        assert_eq!(
            meeting.remaining(time("2026-03-02T09:24:30Z")),
            Duration::seconds(30)
        );
        assert!(meeting.is_time_up(time("2026-03-02T09:25:00Z")));
        assert_eq!(meeting.planned_read_seconds, 1200);
    }

    #[test]
    fn unknown_phase_is_reported() {
        let events = [
            started("S", 1),
            event(
                "P",
                2,
                "Fay",
                MEETING_PHASE,
                json!({"meeting": "S", "phase": "voting"}),
            ),
        ];
        let meetings = Meetings::fold("r", &events);
        assert_eq!(meetings.meetings[0].phase(), Phase::Reading);
        assert!(meetings.problems[0].message.contains("voting"));
    }
}
