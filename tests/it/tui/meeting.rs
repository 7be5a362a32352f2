//! The meeting screen on a real repository, with a clock the test moves: each phase
//! as a rendered screen, hidden comments, progress events and their throttling, a
//! restart mid-meeting, the discussion walk, the outcome and the background sync.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use memo::clock::ManualClock;
use memo::meeting::{self, Phase, Zone};
use memo::store::Repo;
use memo::tui::App;
use memo::tui::app::Action;
use memo::tui::meeting::{Popup, SyncStatus};
use ratatui::crossterm::event::KeyCode;
use serde_json::Value;

use super::{draw, key, press, snapshot, terminal, type_text};
use crate::common::TestRepo;
use crate::meetings::{FAY, LENA, Person, RUI, ok};

const UID: &str = "01JQ0000000000000000000TUI";

const NIA: Person = Person {
    name: "Nia Park",
    email: "nia@example.com",
};
const PATH: &str = "memos/0003-queue-the-nightly-jobs.md";

/// A memo long enough to scroll through on a 24-row screen.
fn memo_text() -> String {
    let mut body = String::new();
    for (heading, text) in [
        ("Summary", "We move the nightly batch jobs to a queue."),
        (
            "Context",
            "The batch window overran on 14 of the last 70 nights.",
        ),
        (
            "Options",
            "Keep cron and add retries, or use a queue for every job.",
        ),
        ("Costs", "The queue costs 400 EUR a month to run."),
        ("Decision", "A queue, starting in March."),
    ] {
        body.push_str(&format!("## {heading}\n\n"));
        for n in 1..=6 {
            body.push_str(&format!("{text} Point {n} of the {heading} section.\n\n"));
        }
    }
    format!(
        "---\nnumber: 3\nuid: {UID}\ntitle: Queue the nightly jobs\nstatus: review\ntemplate: decision\nauthors:\n- Fay Ortiz <fay@example.com>\ncreated: 2026-03-01T08:00:00Z\n---\n\n# Queue the nightly jobs\n\n{body}"
    )
}

fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("time")
        .with_timezone(&Utc)
}

fn fay(repo: &TestRepo, at: &str, args: &[&str]) -> String {
    ok(repo, FAY, at, args)
}

fn rui(repo: &TestRepo, at: &str, args: &[&str]) -> String {
    ok(repo, RUI, at, args)
}

fn lena(repo: &TestRepo, at: &str, args: &[&str]) -> String {
    ok(repo, LENA, at, args)
}

/// A repository whose memo has a running meeting, started by Fay at 09:00 for 20
/// minutes, that Rui and Lena joined.
fn running_meeting() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(PATH, memo_text());
    repo.git(&["add", PATH]);
    repo.git(&["commit", "-qm", "Add memo 0003"]);
    fay(
        &repo,
        "2026-03-02T09:00:00Z",
        &["meet", "start", "3", "--minutes", "20", "--no-tui"],
    );
    rui(
        &repo,
        "2026-03-02T09:01:00Z",
        &["meet", "join", "3", "--no-tui"],
    );
    lena(
        &repo,
        "2026-03-02T09:01:00Z",
        &["meet", "join", "3", "--no-tui"],
    );
    repo
}

fn status(repo: &TestRepo) -> Value {
    let out = fay(
        repo,
        "2026-03-02T09:00:00Z",
        &["meet", "status", "3", "--json"],
    );
    serde_json::from_str(&out).expect("json")
}

/// Opens the meeting screen as the identity of the repository's git config.
fn open_as(repo: &TestRepo, name: &str, email: &str, clock: &ManualClock) -> App {
    repo.set_identity(name, email);
    let id = status(repo)["id"].as_str().expect("id").to_owned();
    let git = Repo::discover(repo.root()).expect("repository");
    App::meeting(git, UID, &id, Arc::new(clock.clone()), Zone::utc()).expect("meeting screen")
}

/// Draws a frame after the tick the event loop runs before each one.
fn frame_rows(app: &mut App, width: u16, height: u16) -> Vec<String> {
    app.tick();
    draw(&mut terminal(width, height), app)
}

fn count_events(repo: &TestRepo, kind: &str, email: &str) -> usize {
    let git = Repo::discover(repo.root()).expect("repository");
    let log = memo::events::EventLog::open(&git.git, UID).expect("log");
    log.read()
        .expect("read")
        .events
        .iter()
        .filter(|e| e.kind == kind && e.author.email == email)
        .count()
}

fn meeting_state(repo: &TestRepo) -> meeting::Meeting {
    let git = Repo::discover(repo.root()).expect("repository");
    meeting::load(&git.git, UID)
        .expect("meetings")
        .latest()
        .cloned()
        .expect("meeting")
}

#[test]
fn reader_sees_own_comments_until_done() {
    let repo = running_meeting();
    lena(
        &repo,
        "2026-03-02T09:03:00Z",
        &[
            "comment",
            "add",
            "3",
            "--section",
            "Context",
            "-m",
            "Fourteen nights is a lot.",
        ],
    );
    let clock = ManualClock::new(time("2026-03-02T09:05:00Z"));
    let mut app = open_as(&repo, "Rui Costa", "rui@example.com", &clock);
    let rows = frame_rows(&mut app, 100, 24);
    insta::assert_snapshot!("meeting_reading", snapshot(&rows));
    let state = app.meeting.as_ref().expect("meeting");
    assert!(state.reader.threads.is_empty(), "Lena's thread is hidden");
    assert_eq!(state.hiding.borrow().hidden, 1);

    // The reveal key shows it, and hides it again.
    press(&mut app, "s");
    let state = app.meeting.as_ref().expect("meeting");
    assert_eq!(state.reader.threads.len(), 1);
    press(&mut app, "s");
    assert!(
        app.meeting
            .as_ref()
            .expect("meeting")
            .reader
            .threads
            .is_empty()
    );

    // Marking the read done shows everyone's comments for good.
    press(&mut app, "d");
    let state = app.meeting.as_ref().expect("meeting");
    assert_eq!(state.reader.threads.len(), 1);
    assert!(!state.hiding.borrow().active);
    let me = meeting_state(&repo);
    let rui = me.participant("rui@example.com").expect("Rui");
    assert_eq!(rui.done, Some(time("2026-03-02T09:05:00Z")));
}

#[test]
fn facilitator_sees_progress_and_one_time_up_notice() {
    let repo = running_meeting();
    rui(&repo, "2026-03-02T09:12:00Z", &["meet", "done", "3"]);
    let clock = ManualClock::new(time("2026-03-02T09:15:00Z"));
    let mut app = open_as(&repo, "Fay Ortiz", "fay@example.com", &clock);
    let rows = frame_rows(&mut app, 100, 24);
    insta::assert_snapshot!("meeting_facilitator", snapshot(&rows));
    assert!(rows[0].contains("5:00 left"), "{}", rows[0]);

    // Slow frames: the countdown is the deadline against the clock, not a counter.
    clock.advance(Duration::seconds(283));
    let rows = frame_rows(&mut app, 100, 24);
    assert!(rows[0].contains("0:17 left"), "{}", rows[0]);
    clock.advance(Duration::seconds(17));
    let rows = frame_rows(&mut app, 100, 24);
    insta::assert_snapshot!("meeting_time_up", snapshot(&rows));
    let state = app.meeting.as_ref().expect("meeting");
    assert_eq!(state.popup, Some(Popup::TimeUp));

    // Any key closes the notice, and it does not come back.
    app.handle_key(key(KeyCode::Char('j')));
    clock.advance(Duration::seconds(30));
    frame_rows(&mut app, 100, 24);
    assert_eq!(app.meeting.as_ref().expect("meeting").popup, None);

    // The facilitator moves the meeting to discussion.
    press(&mut app, "P");
    assert_eq!(
        app.meeting.as_ref().expect("meeting").popup,
        Some(Popup::ConfirmDiscussion)
    );
    press(&mut app, "y");
    assert_eq!(meeting_state(&repo).phase(), Phase::Discussion);
}

#[test]
fn extension_brings_a_second_notice() {
    let repo = running_meeting();
    let clock = ManualClock::new(time("2026-03-02T09:19:00Z"));
    let mut app = open_as(&repo, "Fay Ortiz", "fay@example.com", &clock);
    clock.set(time("2026-03-02T09:20:00Z"));
    frame_rows(&mut app, 100, 24);
    assert_eq!(
        app.meeting.as_ref().expect("meeting").popup,
        Some(Popup::TimeUp)
    );
    press(&mut app, "+");
    assert_eq!(
        meeting_state(&repo).deadline(),
        time("2026-03-02T09:25:00Z")
    );
    let rows = frame_rows(&mut app, 100, 24);
    assert!(rows[0].contains("5:00 left"), "{}", rows[0]);
    clock.set(time("2026-03-02T09:25:00Z"));
    frame_rows(&mut app, 100, 24);
    assert_eq!(
        app.meeting.as_ref().expect("meeting").popup,
        Some(Popup::TimeUp)
    );
}

#[test]
fn reader_cannot_run_the_meeting() {
    let repo = running_meeting();
    let clock = ManualClock::new(time("2026-03-02T09:21:00Z"));
    let mut app = open_as(&repo, "Rui Costa", "rui@example.com", &clock);
    frame_rows(&mut app, 100, 24);
    for keys in ["P", "E", "+"] {
        press(&mut app, keys);
        let state = app.meeting.as_ref().expect("meeting");
        let message = state.message.as_ref().expect("message");
        assert!(
            message.error && message.text.contains("only the facilitator"),
            "{keys}"
        );
        assert_eq!(state.popup, None);
    }
    assert_eq!(meeting_state(&repo).phase(), Phase::Reading);
}

/// A reader who moves down a line every five seconds for ten minutes, with a frame
/// every second, writes an event per step of the share read, not one per key or frame.
#[test]
fn progress_is_recorded_and_throttled() {
    let repo = running_meeting();
    let clock = ManualClock::new(time("2026-03-02T09:02:00Z"));
    let mut app = open_as(&repo, "Rui Costa", "rui@example.com", &clock);
    frame_rows(&mut app, 100, 24);
    for second in 1..=600 {
        clock.advance(Duration::seconds(1));
        if second % 5 == 0 {
            app.handle_key(key(KeyCode::Char('j')));
        }
        frame_rows(&mut app, 100, 24);
    }
    let written = count_events(&repo, "meeting.progress", "rui@example.com");
    assert!(written >= 5, "{written} progress events");
    assert!(written <= 600 / 30 + 1, "{written} progress events");

    // Reading time alone writes nothing until the reader leaves.
    app.apply(Action::Quit);
    assert_eq!(
        count_events(&repo, "meeting.progress", "rui@example.com"),
        written + 1
    );

    let recorded = meeting_state(&repo);
    let progress = &recorded
        .participant("rui@example.com")
        .expect("Rui")
        .progress;
    assert!(progress.percent >= 90, "{progress:?}");
    assert_eq!(progress.active_seconds, 600, "{progress:?}");
    assert_eq!(
        progress.section,
        ["Queue the nightly jobs", "Decision"],
        "{progress:?}"
    );
}

#[test]
fn restart_mid_meeting_keeps_countdown_and_progress() {
    let repo = running_meeting();
    let clock = ManualClock::new(time("2026-03-02T09:03:00Z"));
    let mut app = open_as(&repo, "Rui Costa", "rui@example.com", &clock);
    frame_rows(&mut app, 100, 24);
    for _ in 0..60 {
        clock.advance(Duration::seconds(2));
        app.handle_key(key(KeyCode::Char('j')));
        frame_rows(&mut app, 100, 24);
    }
    let before = app.meeting.as_ref().expect("meeting").progress().clone();
    // Leaving writes what the throttle held back.
    app.apply(Action::Quit);
    assert!(app.should_quit());
    let recorded = meeting_state(&repo);
    assert_eq!(
        recorded
            .participant("rui@example.com")
            .expect("Rui")
            .progress
            .percent,
        before.percent
    );

    // The laptop sleeps; the screen opens again seven minutes later.
    clock.set(time("2026-03-02T09:12:00Z"));
    let mut again = open_as(&repo, "Rui Costa", "rui@example.com", &clock);
    let rows = frame_rows(&mut again, 100, 24);
    assert!(rows[0].contains("8:00 left"), "{}", rows[0]);
    let resumed = again.meeting.as_ref().expect("meeting").progress().clone();
    assert_eq!(resumed.percent, before.percent);
    assert_eq!(resumed.active_seconds, before.active_seconds);
    assert_eq!(resumed.section, before.section);
}

/// Opens the meeting as Fay in discussion, with threads on Options and Costs.
fn discussion() -> (TestRepo, ManualClock, App) {
    let repo = running_meeting();
    rui(
        &repo,
        "2026-03-02T09:05:00Z",
        &[
            "comment",
            "add",
            "3",
            "--quote",
            "The queue costs 400 EUR a month to run. Point 2",
            "-m",
            "Who pays?",
        ],
    );
    lena(
        &repo,
        "2026-03-02T09:06:00Z",
        &[
            "comment",
            "add",
            "3",
            "--quote",
            "Keep cron and add retries, or use a queue for every job. Point 1",
            "-m",
            "A third option is missing.",
        ],
    );
    fay(&repo, "2026-03-02T09:21:00Z", &["meet", "discuss", "3"]);
    let clock = ManualClock::new(time("2026-03-02T09:22:00Z"));
    let app = open_as(&repo, "Fay Ortiz", "fay@example.com", &clock);
    (repo, clock, app)
}

#[test]
fn discussion_walks_open_threads_in_document_order() {
    let (repo, _clock, mut app) = discussion();
    frame_rows(&mut app, 100, 24);
    press(&mut app, ">");
    let rows = frame_rows(&mut app, 100, 24);
    insta::assert_snapshot!("meeting_discussion", snapshot(&rows));
    let state = app.meeting.as_ref().expect("meeting");
    let first = state.reader.thread_under_cursor().expect("a thread");
    assert_eq!(
        state.reader.threads[first].comments[0].body,
        "A third option is missing."
    );
    assert_eq!(
        meeting_state(&repo).focus.as_deref(),
        Some(state.reader.threads[first].id.as_str())
    );

    // Resolve it and go on to the next open one.
    press(&mut app, "x");
    press(&mut app, ">");
    let state = app.meeting.as_ref().expect("meeting");
    let second = state.reader.thread_under_cursor().expect("a thread");
    assert_eq!(state.reader.threads[second].comments[0].body, "Who pays?");
    press(&mut app, ">");
    let message = app
        .meeting
        .as_ref()
        .expect("meeting")
        .message
        .clone()
        .expect("message");
    assert!(message.text.contains("last open thread"), "{message:?}");
    let recorded = meeting_state(&repo);
    assert_eq!(recorded.discussed.len(), 2);
    assert_eq!(recorded.threads_resolved.len(), 1);
}

#[test]
fn readers_follow_the_discussion_and_see_new_comments() {
    let (repo, clock, mut facilitator) = discussion();
    let mut reader = open_as(&repo, "Rui Costa", "rui@example.com", &clock);
    repo.set_identity("Fay Ortiz", "fay@example.com");
    frame_rows(&mut reader, 100, 24);
    let threads = reader
        .meeting
        .as_ref()
        .expect("meeting")
        .reader
        .threads
        .len();
    assert_eq!(threads, 2, "in discussion every comment is shown");

    // Fay turns to the Costs thread; Rui's screen follows on its next frame.
    frame_rows(&mut facilitator, 100, 24);
    press(&mut facilitator, ">>");
    frame_rows(&mut reader, 100, 24);
    let state = reader.meeting.as_ref().expect("meeting");
    let shown = state.reader.thread_under_cursor().expect("followed");
    assert_eq!(state.reader.threads[shown].comments[0].body, "Who pays?");

    // A comment written elsewhere (another terminal, or a synced clone) appears.
    lena(
        &repo,
        "2026-03-02T09:23:00Z",
        &[
            "comment",
            "add",
            "3",
            "--section",
            "Decision",
            "-m",
            "March is too early.",
        ],
    );
    clock.advance(Duration::seconds(1));
    frame_rows(&mut reader, 100, 24);
    assert_eq!(
        reader
            .meeting
            .as_ref()
            .expect("meeting")
            .reader
            .threads
            .len(),
        3
    );
}

#[test]
fn facilitator_records_the_outcome() {
    let (repo, clock, mut app) = discussion();
    frame_rows(&mut app, 100, 24);
    press(&mut app, "E");
    app.handle_key(key(KeyCode::Tab));
    app.handle_key(key(KeyCode::Tab));
    type_text(&mut app, "Wait for the Q2 budget.");
    let rows = frame_rows(&mut app, 100, 24);
    insta::assert_snapshot!("meeting_end_dialog", snapshot(&rows));
    clock.set(time("2026-03-02T09:40:00Z"));
    app.handle_key(key(KeyCode::Enter));
    let rows = frame_rows(&mut app, 100, 24);
    insta::assert_snapshot!("meeting_ended", snapshot(&rows));

    let ended = meeting_state(&repo);
    let ending = ended.ended.expect("ended");
    assert_eq!(ending.outcome, meeting::Outcome::Deferred);
    assert_eq!(ending.rationale.as_deref(), Some("Wait for the Q2 budget."));
    let text = repo.read(PATH);
    assert!(text.contains("status: deferred\n"), "{text}");
    assert!(text.contains("decided: 2026-03-02T09:40:00Z\n"), "{text}");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn failed_outcome_stays_in_the_dialog() {
    let (repo, _clock, mut app) = discussion();
    repo.write(PATH, memo_text().replace("## Costs", "## Costs and risks"));
    frame_rows(&mut app, 100, 24);
    press(&mut app, "E");
    app.handle_key(key(KeyCode::Enter));
    match &app.meeting.as_ref().expect("meeting").popup {
        Some(Popup::End(dialog)) => {
            let error = dialog.error.as_deref().expect("error");
            assert!(error.contains("not committed"), "{error}");
        }
        other => panic!("the dialog closed: {other:?}"),
    }
    assert!(meeting_state(&repo).is_running());
}

#[test]
fn memo_edited_after_start_reads_the_meeting_revision() {
    let repo = running_meeting();
    repo.write(
        PATH,
        memo_text().replace("## Summary\n", "## Summary\n\nA late addition.\n"),
    );
    repo.git(&["commit", "-qam", "Edit during the meeting"]);
    let clock = ManualClock::new(time("2026-03-02T09:05:00Z"));
    let mut app = open_as(&repo, "Rui Costa", "rui@example.com", &clock);
    let rows = frame_rows(&mut app, 100, 24);
    assert!(
        rows[1].contains("A newer revision of this memo exists"),
        "{}",
        rows[1]
    );
    assert!(
        !rows.iter().any(|r| r.contains("A late addition.")),
        "{rows:#?}"
    );

    // A comment on the revision is anchored to the revision's blob.
    press(&mut app, "jjjjC");
    type_text(&mut app, "On the old text.");
    app.handle_key(super::ctrl('s'));
    let listed = rui(
        &repo,
        "2026-03-02T09:06:00Z",
        &["comment", "list", "3", "--json"],
    );
    let threads: Value = serde_json::from_str(&listed).expect("json");
    assert_eq!(threads.as_array().map(Vec::len), Some(1), "{threads:#}");
    let blob = status(&repo)["revision"]["blob"]
        .as_str()
        .expect("blob")
        .to_owned();
    let git = Repo::discover(repo.root()).expect("repository");
    let loaded = memo::thread::load(&git.git, UID).expect("threads");
    assert_eq!(
        loaded.threads[0].anchor.as_ref().map(|a| a.blob.as_str()),
        Some(blob.as_str())
    );
}

#[test]
fn background_sync_brings_other_clones_events() {
    let remote = tempfile::tempdir().expect("remote");
    let url = remote.path().to_str().expect("utf-8").to_owned();
    let seed = running_meeting();
    seed.git(&["init", "-q", "--bare", "-b", "main", &url]);
    seed.git(&["remote", "add", "origin", &url]);
    seed.git(&["push", "-q", "origin", "main"]);
    fay(&seed, "2026-03-02T09:02:00Z", &["sync"]);

    let other = TestRepo::empty();
    other.git(&["clone", "-q", &url, "."]);
    other.set_identity("Nia Park", "nia@example.com");
    ok(&other, NIA, "2026-03-02T09:02:00Z", &["sync"]);

    let clock = ManualClock::new(time("2026-03-02T09:03:00Z"));
    let mut app = open_as(&seed, "Fay Ortiz", "fay@example.com", &clock);
    // Opening the screen starts a sync; its result is applied on a later frame.
    app.meeting
        .as_mut()
        .expect("meeting")
        .wait_for_sync(std::time::Duration::from_secs(30));
    frame_rows(&mut app, 100, 24);
    let state = app.meeting.as_ref().expect("meeting");
    assert_eq!(
        state.sync_status,
        SyncStatus::Synced(time("2026-03-02T09:03:00Z"))
    );

    // Nia joins on her clone and syncs; Fay's screen picks it up at its next sync,
    // five seconds (`meeting.sync_interval_seconds`) after the last.
    ok(
        &other,
        NIA,
        "2026-03-02T09:04:00Z",
        &["meet", "join", "3", "--no-tui"],
    );
    ok(&other, NIA, "2026-03-02T09:04:10Z", &["sync"]);
    clock.advance(Duration::seconds(4));
    frame_rows(&mut app, 100, 24);
    let state = app.meeting.as_ref().expect("meeting");
    assert_eq!(
        state.last_sync_request(),
        Some(time("2026-03-02T09:03:00Z"))
    );
    clock.advance(Duration::seconds(1));
    frame_rows(&mut app, 100, 24);
    app.meeting
        .as_mut()
        .expect("meeting")
        .wait_for_sync(std::time::Duration::from_secs(30));
    let rows = frame_rows(&mut app, 100, 24);
    let state = app.meeting.as_ref().expect("meeting");
    assert_eq!(
        state.last_sync_request(),
        Some(time("2026-03-02T09:03:05Z"))
    );
    assert!(
        state.meeting.participant("nia@example.com").is_some(),
        "{rows:#?}"
    );
    assert!(rows[0].contains("synced 09:03:05"), "{}", rows[0]);

    // Fay's own progress, written by her screen, reaches Nia's clone through the same
    // sync: in her first seconds she read the title, the only part short enough.
    ok(&other, NIA, "2026-03-02T09:06:00Z", &["sync"]);
    let out = ok(
        &other,
        NIA,
        "2026-03-02T09:06:00Z",
        &["meet", "status", "3", "--json"],
    );
    let seen: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(seen["participants"].as_array().map(Vec::len), Some(4));
    assert_eq!(
        seen["participants"][0]["section"],
        serde_json::json!(["Queue the nightly jobs"]),
        "{seen:#}"
    );
}

/// On a terminal tall enough for the whole memo, opening the screen reads nothing:
/// the sections count as read one after another, as the time to read them passes.
#[test]
fn progress_counts_reading_not_opening() {
    let repo = running_meeting();
    let clock = ManualClock::new(time("2026-03-02T09:02:00Z"));
    let mut app = open_as(&repo, "Rui Costa", "rui@example.com", &clock);
    let rows = frame_rows(&mut app, 100, 120);
    assert!(
        rows.iter()
            .any(|row| row.contains("Point 6 of the Decision")),
        "the whole memo is on screen"
    );
    let opened = app.meeting.as_ref().expect("meeting").progress().clone();
    assert_eq!(opened.percent, 0, "{opened:?}");
    assert!(opened.section.is_empty(), "{opened:?}");
    assert_eq!(
        count_events(&repo, "meeting.progress", "rui@example.com"),
        0
    );

    // A section of about 90 words takes about 14 s at twice 200 words a minute.
    for _ in 0..20 {
        clock.advance(Duration::seconds(1));
        frame_rows(&mut app, 100, 120);
    }
    let early = app.meeting.as_ref().expect("meeting").progress().clone();
    assert_eq!(
        early.section,
        ["Queue the nightly jobs", "Summary"],
        "{early:?}"
    );
    assert!(early.percent > 0 && early.percent < 50, "{early:?}");

    for _ in 0..70 {
        clock.advance(Duration::seconds(1));
        frame_rows(&mut app, 100, 120);
    }
    let read = app.meeting.as_ref().expect("meeting").progress().clone();
    assert_eq!(read.percent, 100, "{read:?}");
    assert_eq!(
        read.section,
        ["Queue the nightly jobs", "Decision"],
        "{read:?}"
    );
}

/// The help on the meeting screen lists each key once, with its meaning there.
#[test]
fn help_lists_the_meeting_keys() {
    let repo = running_meeting();
    let clock = ManualClock::new(time("2026-03-02T09:05:00Z"));
    let mut app = open_as(&repo, "Rui Costa", "rui@example.com", &clock);
    frame_rows(&mut app, 100, 60);
    press(&mut app, "?");
    let rows = frame_rows(&mut app, 100, 60);
    insta::assert_snapshot!("meeting_help", snapshot(&rows));

    let text = rows.join("\n");
    assert!(!text.contains("library"), "{text}");
    assert_eq!(text.matches("< / >").count(), 1, "{text}");
    assert!(text.contains("q Esc ← h"), "{text}");
    assert!(text.contains("leave the meeting screen"), "{text}");
}
