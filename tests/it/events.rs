//! The event log API on a real repository: appends, reading what is new since a head,
//! union merges and the listing of heads the search index uses.

use memo::events::{self, Author, EventLog, MergeOutcome, NewEvent};
use memo::store::Repo;

use crate::common::TestRepo;

const UID: &str = "01JQ0000000000000000000001";

fn author(name: &str) -> Author {
    Author {
        name: name.to_owned(),
        email: format!("{}@example.com", name.to_lowercase()),
    }
}

fn time() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(crate::common::NOW)
        .expect("time")
        .with_timezone(&chrono::Utc)
}

fn note(text: &str) -> NewEvent {
    NewEvent::new("test.note", serde_json::json!({ "text": text }))
}

fn texts(read: &events::LogRead) -> Vec<String> {
    read.events
        .iter()
        .map(|e| e.payload["text"].as_str().expect("text").to_owned())
        .collect()
}

#[test]
fn appends_assign_increasing_clocks() {
    let repo = TestRepo::new();
    let memo_repo = Repo::discover(repo.root()).expect("repo");
    let log = EventLog::open(&memo_repo.git, &UID.to_lowercase()).expect("log");
    assert_eq!(
        log.reference(),
        format!("refs/memo/events/{UID}"),
        "uids are upper case"
    );
    assert_eq!(log.head().expect("head"), None);

    let first = log
        .append(&author("Ann"), time(), &[note("a"), note("b")])
        .expect("append");
    assert_eq!(first.iter().map(|e| e.clock).collect::<Vec<_>>(), [1, 2]);
    let head = log.head().expect("head");
    log.append(&author("Ann"), time(), &[note("c")])
        .expect("append");

    let all = log.read().expect("read");
    assert_eq!(texts(&all), ["a", "b", "c"]);
    assert_eq!(all.events[2].clock, 3);
    assert!(all.problems.is_empty());
    let since = log.read_since(head).expect("read since");
    assert_eq!(texts(&since), ["c"]);
    assert_eq!(
        texts(&log.read_since(None).expect("read since none")),
        ["a", "b", "c"]
    );

    let heads = events::heads(&memo_repo.git).expect("heads");
    assert_eq!(
        heads,
        [(UID.to_owned(), log.head().expect("head").expect("some"))]
    );
}

#[test]
fn diverged_logs_merge_as_a_union() {
    let repo = TestRepo::new();
    let memo_repo = Repo::discover(repo.root()).expect("repo");
    let git = &memo_repo.git;
    let log = EventLog::open(git, UID).expect("log");
    log.append(&author("Ann"), time(), &[note("shared")])
        .expect("append");
    let base = log.head().expect("head").expect("some");

    // Two writers continue from the same head: one through the ref, one kept aside.
    log.append(&author("Ann"), time(), &[note("ours")])
        .expect("append");
    let ours = log.head().expect("head").expect("some");
    git.reference(log.reference(), base, true, "rewind")
        .expect("rewind");
    log.append(&author("Bob"), time(), &[note("theirs")])
        .expect("append");
    let theirs = log.head().expect("head").expect("some");
    git.reference(log.reference(), ours, true, "back")
        .expect("back");

    let mut problems = Vec::new();
    let outcome = events::merge_into_log(&log, git, theirs, &author("Ann"), time(), &mut problems)
        .expect("merge");
    assert!(matches!(outcome, MergeOutcome::Merged(_)), "{outcome:?}");
    assert!(problems.is_empty(), "{problems:?}");
    let merged = log.read().expect("read");
    let mut got = texts(&merged);
    got.sort();
    assert_eq!(got, ["ours", "shared", "theirs"]);
    assert_eq!(merged.events[1].clock, 2, "both sides wrote clock 2");
    assert_eq!(merged.events[2].clock, 2);

    // Merging again changes nothing; the next append continues after the largest clock.
    let again = events::merge_into_log(&log, git, theirs, &author("Ann"), time(), &mut problems)
        .expect("merge");
    assert_eq!(again, MergeOutcome::UpToDate);
    let next = log
        .append(&author("Ann"), time(), &[note("after")])
        .expect("append");
    assert_eq!(next[0].clock, 3);
}

#[test]
fn index_text_holds_quotes_and_comments() {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-a.md",
        format!("---\nnumber: 1\nuid: {UID}\ntitle: A\n---\n\n# A\n\nThe rollout takes a week.\n"),
    );
    repo.memo_ok(&[
        "comment",
        "add",
        "1",
        "--quote",
        "rollout takes a week",
        "-m",
        "Too slow?",
    ]);
    let memo_repo = Repo::discover(repo.root()).expect("repo");
    let text = memo::thread::index_text(&memo_repo.git, UID).expect("text");
    assert!(text.contains("rollout takes a week"), "{text}");
    assert!(text.contains("Too slow?"), "{text}");
}

#[test]
fn reading_again_after_appends_and_merges_equals_a_fresh_read() {
    let repo = TestRepo::new();
    let memo_repo = Repo::discover(repo.root()).expect("repo");
    let git = &memo_repo.git;
    let log = EventLog::open(git, UID).expect("log");
    let whole = |log: &EventLog<'_>| log.read_since(None).expect("read everything");
    events::keep_recent_reads();

    log.append(&author("Ann"), time(), &[note("shared")])
        .expect("append");
    let base = log.head().expect("head").expect("some");
    log.append(&author("Ann"), time(), &[note("ours")])
        .expect("append");
    let ours = log.head().expect("head").expect("some");
    assert_eq!(texts(&log.read().expect("read")), ["shared", "ours"]);

    // The ref moves to a head that does not descend from the one read last.
    git.reference(log.reference(), base, true, "rewind")
        .expect("rewind");
    log.append(&author("Bob"), time(), &[note("theirs")])
        .expect("append");
    let theirs = log.head().expect("head").expect("some");
    assert_eq!(texts(&log.read().expect("read")), ["shared", "theirs"]);
    git.reference(log.reference(), ours, true, "back")
        .expect("back");
    assert_eq!(texts(&log.read().expect("read")), ["shared", "ours"]);

    // A merge and an append descend from the head read last.
    let mut problems = Vec::new();
    events::merge_into_log(&log, git, theirs, &author("Ann"), time(), &mut problems)
        .expect("merge");
    let merged = log.read().expect("read");
    assert_eq!(merged.events, whole(&log).events);
    assert_eq!(merged.events.len(), 3);
    log.append(&author("Ann"), time(), &[note("after")])
        .expect("append");
    let after = log.read().expect("read");
    assert_eq!(after.events, whole(&log).events);
    assert_eq!(after.head, log.head().expect("head"));
    assert_eq!(texts(&after).last().map(String::as_str), Some("after"));
}
