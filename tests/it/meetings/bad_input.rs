//! Requests that do not fit the meeting's state or name no single memo: each is a
//! clear error (exit 2) and changes nothing.

use predicates::prelude::*;

use super::{FAY, MEMO_PATH, RUI, memo_as, ok, repo_with_memo, repository_state, status};
use crate::common::TestRepo;

/// Runs a command that must fail with exit code 2 and a message containing each of
/// `expected`, and checks that it changed nothing.
fn rejected(repo: &TestRepo, who: super::Person, args: &[&str], expected: &[&str]) {
    let before = repository_state(repo);
    let memo_before = repo.read(MEMO_PATH);
    let output = memo_as(repo, who, "2026-03-02T09:30:00Z", args)
        .output()
        .expect("run memo");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "memo {args:?}:\n{stderr}");
    for text in expected {
        assert!(
            stderr.contains(text),
            "memo {args:?}: expected '{text}' in:\n{stderr}"
        );
    }
    assert_eq!(
        repository_state(repo),
        before,
        "memo {args:?} changed the repository"
    );
    assert_eq!(
        repo.read(MEMO_PATH),
        memo_before,
        "memo {args:?} changed the memo"
    );
}

#[test]
fn no_running_meeting_is_an_error() {
    let repo = repo_with_memo();
    for command in [
        vec!["meet", "join", "1", "--no-tui"],
        vec!["meet", "done", "1"],
        vec!["meet", "discuss", "1"],
        vec!["meet", "extend", "1", "--minutes", "5"],
        vec!["meet", "end", "1", "--outcome", "accepted"],
    ] {
        rejected(
            &repo,
            RUI,
            &command,
            &["no meeting is running on 0001", "memo meet start"],
        );
    }
    rejected(
        &repo,
        RUI,
        &["meet", "status", "1"],
        &["has had no meeting"],
    );
    rejected(
        &repo,
        RUI,
        &["meetings", "1", "--minutes"],
        &["has had no meeting"],
    );
    let listed = ok(&repo, RUI, "2026-03-02T09:30:00Z", &["meetings"]);
    assert!(listed.contains("No meetings yet"), "{listed}");
}

#[test]
fn ending_twice_is_an_error() {
    let repo = repo_with_memo();
    ok(
        &repo,
        FAY,
        "2026-03-02T09:00:00Z",
        &["meet", "start", "1", "--no-tui"],
    );
    ok(
        &repo,
        FAY,
        "2026-03-02T09:20:00Z",
        &["meet", "end", "1", "--outcome", "rejected"],
    );
    let id = status(&repo, "2026-03-02T09:21:00Z")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    rejected(
        &repo,
        FAY,
        &["meet", "end", "1", "--outcome", "accepted"],
        &["no meeting is running", "ended as rejected"],
    );
    rejected(
        &repo,
        FAY,
        &[
            "meet",
            "end",
            "1",
            "--outcome",
            "accepted",
            "--meeting",
            &id,
        ],
        &["already ended", "outcome rejected"],
    );
    rejected(
        &repo,
        RUI,
        &["meet", "join", "1", "--no-tui", "--meeting", &id[..6]],
        &["already ended"],
    );
}

#[test]
fn unknown_outcome_is_an_error() {
    let repo = repo_with_memo();
    ok(
        &repo,
        FAY,
        "2026-03-02T09:00:00Z",
        &["meet", "start", "1", "--no-tui"],
    );
    rejected(
        &repo,
        FAY,
        &["meet", "end", "1", "--outcome", "approved"],
        &["approved", "accepted", "needs-work"],
    );
    assert_eq!(status(&repo, "2026-03-02T09:30:00Z")["phase"], "reading");
}

#[test]
fn ambiguous_memo_number_is_an_error() {
    let repo = repo_with_memo();
    let twin = super::memo_text()
        .replace(super::UID, "01JQ0000000000000000000TWN")
        .replace("Queue the nightly jobs", "Queue the weekly jobs");
    repo.write("memos/0001-queue-the-weekly-jobs.md", twin);
    repo.git(&["add", "memos"]);
    repo.git(&["commit", "-qm", "A second memo 0001 from another branch"]);
    for command in [
        vec!["meet", "start", "1", "--no-tui"],
        vec!["meet", "join", "1", "--no-tui"],
        vec!["meet", "status", "1"],
        vec!["meet", "end", "1", "--outcome", "accepted"],
        vec!["meetings", "1"],
    ] {
        rejected(
            &repo,
            FAY,
            &command,
            &["'1' matches 2 memos", "by its file name or uid"],
        );
    }
    // Naming the memo by its file name works.
    ok(
        &repo,
        FAY,
        "2026-03-02T09:00:00Z",
        &["meet", "start", "0001-queue-the-weekly-jobs", "--no-tui"],
    );
}

#[test]
fn uncommitted_memo_cannot_be_met_on() {
    let repo = repo_with_memo();
    repo.write(
        MEMO_PATH,
        super::memo_text().replace("## Costs", "## Costs and risks"),
    );
    rejected(
        &repo,
        FAY,
        &["meet", "start", "1", "--no-tui"],
        &["changes that are not committed", "same revision"],
    );
}

#[test]
fn uncommitted_edit_blocks_the_outcome() {
    let repo = repo_with_memo();
    ok(
        &repo,
        FAY,
        "2026-03-02T09:00:00Z",
        &["meet", "start", "1", "--no-tui"],
    );
    repo.write(
        MEMO_PATH,
        super::memo_text().replace("## Costs", "## Costs and risks"),
    );
    rejected(
        &repo,
        FAY,
        &["meet", "end", "1", "--outcome", "accepted"],
        &[
            "changes that are not committed",
            "touch only the front matter",
        ],
    );
}

#[test]
fn bad_lengths_and_missing_arguments() {
    let repo = repo_with_memo();
    rejected(
        &repo,
        FAY,
        &["meet", "start", "1", "--minutes", "0"],
        &["--minutes 0"],
    );
    rejected(
        &repo,
        FAY,
        &["meet", "start", "1", "--minutes", "900"],
        &["from 1 to 480"],
    );
    rejected(&repo, FAY, &["meetings", "--minutes"], &["<MEMO>"]);
    rejected(
        &repo,
        FAY,
        &["meet", "start", "7"],
        &["no memo matches '7'"],
    );
}

#[test]
fn missing_identity_writes_nothing() {
    let repo = repo_with_memo();
    repo.git(&["config", "--unset", "user.name"]);
    let before = repository_state(&repo);
    repo.memo(&["meet", "start", "1", "--no-tui"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no git identity"));
    assert_eq!(repository_state(&repo), before);
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let repo = repo_with_memo();
    let hostile = super::Person {
        name: "Eve \u{1b}]0;owned\u{7} Quinn",
        email: "eve@example.com",
    };
    ok(
        &repo,
        FAY,
        "2026-03-02T09:00:00Z",
        &["meet", "start", "1", "--no-tui"],
    );
    ok(
        &repo,
        hostile,
        "2026-03-02T09:01:00Z",
        &["meet", "join", "1", "--no-tui"],
    );
    ok(
        &repo,
        hostile,
        "2026-03-02T09:02:00Z",
        &[
            "comment",
            "add",
            "1",
            "--section",
            "Costs",
            "-m",
            "Clear \u{1b}[2J the screen",
        ],
    );
    ok(
        &repo,
        FAY,
        "2026-03-02T09:30:00Z",
        &[
            "meet",
            "end",
            "1",
            "--outcome",
            "rejected",
            "--rationale",
            "No \u{1b}[31mred\u{9b}1m here",
        ],
    );
    for args in [
        vec!["meet", "status", "1"],
        vec!["meetings"],
        vec!["meetings", "1", "--minutes"],
    ] {
        let out = ok(&repo, FAY, "2026-03-02T09:31:00Z", &args);
        assert!(!out.contains('\u{1b}'), "memo {args:?}:\n{out}");
        assert!(!out.contains('\u{9b}'), "memo {args:?}:\n{out}");
        assert!(!out.contains('\u{7}'), "memo {args:?}:\n{out}");
    }
    let minutes = ok(
        &repo,
        FAY,
        "2026-03-02T09:31:00Z",
        &["meetings", "1", "--minutes"],
    );
    assert!(minutes.contains("Eve ␛]0;owned␇ Quinn"), "{minutes}");
    assert!(minutes.contains("Clear ␛[2J the screen"), "{minutes}");
    assert!(minutes.contains("No ␛[31mred<U+009B>1m here"), "{minutes}");
    let json = ok(
        &repo,
        FAY,
        "2026-03-02T09:31:00Z",
        &["meet", "status", "1", "--json"],
    );
    let status: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        status["participants"][1]["name"], hostile.name,
        "JSON keeps the text"
    );
}
