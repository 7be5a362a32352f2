//! The finished meeting of the sample repository: memo 0004 is read, commented on,
//! discussed and accepted, so the sample shows the whole loop.
//!
//! The memo is committed in review. The meeting's events are written as the sample
//! people at fixed times in February 2026, and ending the meeting sets the front
//! matter of the sample file (`status`, `decided`, `deciders`) plus the meeting's id.

use chrono::{DateTime, TimeZone, Utc};

use crate::anchor::Anchor;
use crate::error::{Error, Result};
use crate::events::{Author, EventLog, NewEvent};
use crate::meeting::{self, Decision, Outcome, Progress};
use crate::memo::Memo;
use crate::memo::edit::{self, FieldEdit};
use crate::store::{Identity, Repo};
use crate::thread::fold::{
    COMMENT_ADDED, CommentAdded, THREAD_OPENED, THREAD_RESOLVED, ThreadChange, ThreadOpened,
};

/// The sample memo the meeting decides.
pub const MEMO_FILE: &str = "0004-move-production-databases-to-managed-postgresql.md";

const TOMAS: (&str, &str) = ("Tomás Ortega", "tomas.ortega@example.com");
const INGRID: (&str, &str) = ("Ingrid Søndergaard", "ingrid.sondergaard@example.com");
const PRIYA: (&str, &str) = ("Priya Raman", "priya.raman@example.com");
const KWAME: (&str, &str) = ("Kwame Mensah", "kwame.mensah@example.com");

/// Returns the sample memo as it stood before its meeting: in review, undecided.
pub fn before_meeting(text: &str) -> Result<String> {
    let path = std::path::Path::new(MEMO_FILE);
    let bytes = edit::apply(
        path,
        text.as_bytes(),
        &[
            FieldEdit::set("status", "review"),
            FieldEdit::Remove("decided".to_owned()),
            FieldEdit::Remove("deciders".to_owned()),
        ],
    )?;
    String::from_utf8(bytes).map_err(|_| Error::invalid("the sample memo is not UTF-8"))
}

fn identity((name, email): (&str, &str)) -> Identity {
    Identity {
        name: name.to_owned(),
        email: email.to_owned(),
        committer: None,
    }
}

/// Returns 5 February 2026 at `hour:minute` UTC.
fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 5, hour, minute, 0)
        .single()
        .unwrap_or_default()
}

/// Runs the meeting on the committed sample memo.
pub fn hold(repo: &Repo, memo: &Memo) -> Result<()> {
    let meeting = meeting::start(repo, memo, Some(25), &identity(TOMAS), at(14, 0))?;
    let uid = meeting.memo.clone();
    let log = EventLog::open(&repo.git, &uid)?;
    for (who, minute) in [(INGRID, 1), (PRIYA, 1), (KWAME, 2)] {
        meeting::join(repo, &meeting, &identity(who), at(14, minute))?;
    }

    // The silent read: progress, and the threads readers open as they go.
    let progress = |section: &[&str], percent: u8, minutes: u64| Progress {
        meeting: meeting.id.clone(),
        section: section.iter().map(|s| (*s).to_owned()).collect(),
        percent,
        active_seconds: minutes * 60,
    };
    let title = "Move production databases to managed PostgreSQL";
    meeting::record_progress(
        repo,
        &meeting,
        progress(&[title, "Context"], 30, 6),
        false,
        &identity(INGRID),
        at(14, 7),
    )?;
    let aurora = open_thread(
        &log,
        repo,
        memo,
        Opening {
            who: INGRID,
            time: at(14, 11),
            quote: Some("It costs €4,300 more per month than RDS"),
            section: None,
            body: "Does the €4,300 assume I/O-optimised pricing for every cluster, or for stock only?",
        },
    )?;
    meeting::record_progress(
        repo,
        &meeting,
        progress(&[title, "Recommendation"], 70, 14),
        false,
        &identity(INGRID),
        at(14, 15),
    )?;
    let cutover = open_thread(
        &log,
        repo,
        memo,
        Opening {
            who: TOMAS,
            time: at(14, 16),
            quote: Some(
                "A cutover that needs more than five minutes of paused writes is stopped and rescheduled.",
            ),
            section: None,
            body: "Who decides to stop a cutover at two in the morning?",
        },
    )?;
    let analytics = open_thread(
        &log,
        repo,
        memo,
        Opening {
            who: PRIYA,
            time: at(14, 18),
            quote: None,
            section: Some("Open questions"),
            body: "The analytics replica question needs an owner and a date before March.",
        },
    )?;
    meeting::record_progress(
        repo,
        &meeting,
        progress(&[title, "Open questions"], 100, 19),
        true,
        &identity(PRIYA),
        at(14, 20),
    )?;
    meeting::record_progress(
        repo,
        &meeting,
        progress(&[title, "Open questions"], 100, 21),
        true,
        &identity(INGRID),
        at(14, 22),
    )?;
    meeting::record_progress(
        repo,
        &meeting,
        progress(&[title, "Open questions"], 100, 22),
        true,
        &identity(TOMAS),
        at(14, 23),
    )?;
    meeting::record_progress(
        repo,
        &meeting,
        progress(&[title, "Risks and mitigations"], 85, 23),
        false,
        &identity(KWAME),
        at(14, 25),
    )?;

    // The discussion walks the open threads in document order.
    meeting::move_to_discussion(repo, &meeting, &identity(TOMAS), false, at(14, 26))?;
    let meeting = reload(repo, &uid, &meeting.id)?;
    meeting::write::focus(repo, &meeting, &aurora, &identity(TOMAS), at(14, 27))?;
    reply(
        &log,
        KWAME,
        at(14, 29),
        &aurora,
        "Stock only. The other 13 clusters fit standard pricing with room to spare.",
    )?;
    resolve(&log, TOMAS, at(14, 31), &aurora)?;
    meeting::write::focus(repo, &meeting, &cutover, &identity(TOMAS), at(14, 33))?;
    reply(
        &log,
        KWAME,
        at(14, 36),
        &cutover,
        "The on-call database engineer, following the cutover runbook; they do not need to ask anyone.",
    )?;
    reply(
        &log,
        INGRID,
        at(14, 38),
        &cutover,
        "Then the runbook must be reviewed before the first migration in March.",
    )?;
    resolve(&log, TOMAS, at(14, 40), &cutover)?;
    meeting::write::focus(repo, &meeting, &analytics, &identity(TOMAS), at(14, 42))?;
    reply(
        &log,
        PRIYA,
        at(14, 45),
        &analytics,
        "The data platform team takes it; Zoë answers by 15 March.",
    )?;

    let meeting = reload(repo, &uid, &meeting.id)?;
    meeting::end(
        repo,
        memo,
        &meeting,
        Decision {
            outcome: Outcome::Accepted,
            rationale: Some(
                "RDS gives the platform team back about three engineers at the lowest two-year cost. Mehmet reviews the cost after each of the first four migrations, and the analytics replica question stays open with the data platform team."
                    .to_owned(),
            ),
            deciders: Some(vec![
                identity(TOMAS).display(),
                identity(INGRID).display(),
            ]),
        },
        &identity(TOMAS),
        false,
        at(15, 0),
    )?;
    Ok(())
}

fn reload(repo: &Repo, uid: &str, id: &str) -> Result<meeting::Meeting> {
    meeting::load(&repo.git, uid)?
        .get(id)
        .cloned()
        .ok_or_else(|| Error::invalid(format!("the demo meeting {id} cannot be read back")))
}

fn author((name, email): (&str, &str)) -> Author {
    Author {
        name: name.to_owned(),
        email: email.to_owned(),
    }
}

/// A thread a participant opens during the read.
struct Opening<'a> {
    who: (&'a str, &'a str),
    time: DateTime<Utc>,
    quote: Option<&'a str>,
    section: Option<&'a str>,
    body: &'a str,
}

/// Opens a thread on a quote or a section, and returns its id.
fn open_thread(
    log: &EventLog<'_>,
    repo: &Repo,
    memo: &Memo,
    opening: Opening<'_>,
) -> Result<String> {
    let anchor: Anchor =
        crate::thread::anchor_for(repo, memo, opening.quote, opening.section, None)?;
    let opened = NewEvent::new(THREAD_OPENED, ThreadOpened { anchor });
    let comment = NewEvent::new(
        COMMENT_ADDED,
        CommentAdded {
            thread: opened.id.clone(),
            body: opening.body.to_owned(),
        },
    );
    let id = opened.id.clone();
    log.append(&author(opening.who), opening.time, &[opened, comment])?;
    Ok(id)
}

fn reply(
    log: &EventLog<'_>,
    who: (&str, &str),
    time: DateTime<Utc>,
    thread: &str,
    body: &str,
) -> Result<()> {
    let comment = NewEvent::new(
        COMMENT_ADDED,
        CommentAdded {
            thread: thread.to_owned(),
            body: body.to_owned(),
        },
    );
    log.append(&author(who), time, &[comment])?;
    Ok(())
}

fn resolve(log: &EventLog<'_>, who: (&str, &str), time: DateTime<Utc>, thread: &str) -> Result<()> {
    let change = NewEvent::new(
        THREAD_RESOLVED,
        ThreadChange {
            thread: thread.to_owned(),
        },
    );
    log.append(&author(who), time, &[change])?;
    Ok(())
}
