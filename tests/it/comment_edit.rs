//! Editing comments through the built binary: who may edit, who wrote the shown text,
//! edits that change nothing, and the text checks shared with adding.

use predicates::prelude::*;
use serde_json::Value;

use crate::common::TestRepo;

const MEMO: &str = "---
number: 1
uid: 01JQ0000000000000000000002
title: Retire the build farm
status: draft
---

# Retire the build farm

## Options considered

### Option A

Move every build to hosted runners.

### Option B

Keep two machines for release builds.
";

fn repo_with_memo() -> TestRepo {
    let repo = TestRepo::new();
    repo.set_identity("Tess Ter", "tess@example.com");
    repo.write("memos/0001-retire-the-build-farm.md", MEMO);
    repo.git(&["add", "memos"]);
    repo.git(&["commit", "-q", "-m", "Add memo"]);
    repo
}

fn comments(repo: &TestRepo) -> Vec<Value> {
    let threads = repo.memo_json(&["comment", "list", "1", "--json"]);
    threads
        .as_array()
        .expect("array")
        .iter()
        .flat_map(|t| t["comments"].as_array().expect("comments").clone())
        .collect()
}

/// Adds a comment on the whole memo and returns the comment's id.
fn add_comment(repo: &TestRepo, body: &str) -> String {
    repo.memo_ok(&["comment", "add", "1", "-m", body]);
    comments(repo)
        .last()
        .and_then(|c| c["id"].as_str())
        .expect("comment id")
        .to_owned()
}

fn as_bob(command: &mut assert_cmd::Command) -> &mut assert_cmd::Command {
    command
        .env("GIT_AUTHOR_NAME", "Bob")
        .env("GIT_AUTHOR_EMAIL", "bob@example.com")
}

#[test]
fn edit_by_other_is_rejected() {
    let repo = repo_with_memo();
    let id = add_comment(&repo, "Tess wrote this");

    as_bob(&mut repo.memo(&["comment", "edit", &id, "-m", "bob edits tess"]))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "only its author can edit a comment; reply instead",
        ))
        .stderr(predicate::str::contains("--force"));

    let listed = comments(&repo);
    assert_eq!(listed[0]["body"], "Tess wrote this");
    assert_eq!(listed[0]["edited"], false);
    assert_eq!(listed[0]["edited_by"], Value::Null);
    assert!(
        !repo.path(".git/memo/drafts").exists(),
        "a rejected edit keeps no draft"
    );
}

#[test]
fn edit_compares_email_without_case() {
    let repo = repo_with_memo();
    let id = add_comment(&repo, "Tess wrote this");
    repo.set_identity("T. Ter", "TESS@Example.com");

    repo.memo_ok(&["comment", "edit", &id, "-m", "Tess rewrote this"]);

    let listed = comments(&repo);
    assert_eq!(listed[0]["body"], "Tess rewrote this");
    assert_eq!(listed[0]["edited_by"], "T. Ter <TESS@Example.com>");
    let text = repo.memo_ok(&["comment", "list", "1"]);
    assert!(text.contains(" · edited\n"), "{text}");
    assert!(!text.contains("edited by"), "{text}");
}

#[test]
fn forced_edit_names_its_writer() {
    let repo = repo_with_memo();
    let id = add_comment(&repo, "Tess wrote this");

    as_bob(&mut repo.memo(&["comment", "edit", &id, "--force", "-m", "bob edits tess"]))
        .assert()
        .success();

    let listed = comments(&repo);
    assert_eq!(listed[0]["author"], "Tess Ter <tess@example.com>");
    assert_eq!(listed[0]["body"], "bob edits tess");
    assert_eq!(listed[0]["edited"], true);
    assert_eq!(listed[0]["edited_by"], "Bob <bob@example.com>");
    let text = repo.memo_ok(&["comment", "list", "1"]);
    assert!(
        text.contains("Tess Ter <tess@example.com> · 2026-03-02")
            && text.contains("edited by Bob <bob@example.com>"),
        "{text}"
    );

    // Once the author writes the text again, it is theirs.
    repo.memo_ok(&["comment", "edit", &id, "-m", "Tess wrote this, again"]);
    let listed = comments(&repo);
    assert_eq!(listed[0]["edited_by"], "Tess Ter <tess@example.com>");
    let text = repo.memo_ok(&["comment", "list", "1"]);
    assert!(!text.contains("edited by"), "{text}");
}

#[test]
fn unchanged_edit_sends_nothing() {
    let repo = repo_with_memo();
    let id = add_comment(&repo, "Tess wrote this");
    let events_before = repo.git(&["rev-parse", "refs/memo/events/01JQ0000000000000000000002"]);

    repo.memo(&["comment", "edit", &id, "-m", "Tess wrote this"])
        .assert()
        .success()
        .stdout(predicate::str::contains("unchanged; nothing sent"));
    repo.memo(&["comment", "edit", &id])
        .env("MEMO_EDITOR", "true")
        .assert()
        .success()
        .stdout(predicate::str::contains("unchanged; nothing sent"));

    let events_after = repo.git(&["rev-parse", "refs/memo/events/01JQ0000000000000000000002"]);
    assert_eq!(events_before, events_after, "no event was written");
    let listed = comments(&repo);
    assert_eq!(listed[0]["edited"], false);
    assert_eq!(listed[0]["history"].as_array().map(Vec::len), Some(0));
}

#[test]
fn crlf_body_is_stored_with_lf() {
    let repo = repo_with_memo();
    repo.memo(&["comment", "add", "1", "-m", "-"])
        .write_stdin("line1\r\nline2\r\n")
        .assert()
        .success();
    repo.memo_ok(&["comment", "add", "1", "-m", "line3\r\nline4"]);

    let listed = comments(&repo);
    assert_eq!(listed[0]["body"], "line1\nline2");
    assert_eq!(listed[1]["body"], "line3\nline4");
    let text = repo.memo_ok(&["comment", "list", "1"]);
    assert!(text.contains("    line1\n    line2\n"), "{text}");
}

#[test]
fn empty_quote_is_rejected() {
    let repo = repo_with_memo();
    for quote in ["", "  "] {
        repo.memo(&["comment", "add", "1", "--quote", quote, "-m", "x"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("the quote is empty"))
            .stderr(predicate::str::contains("is not in").not());
    }
}

#[test]
fn section_path_without_spaces() {
    let repo = repo_with_memo();
    for section in [
        "Options considered>Option A",
        "Options considered >Option A",
        "options considered > option a",
    ] {
        repo.memo_ok(&["comment", "add", "1", "--section", section, "-m", section]);
    }
    let threads = repo.memo_json(&["comment", "list", "1", "--json"]);
    let sections: Vec<&str> = threads
        .as_array()
        .expect("array")
        .iter()
        .map(|t| t["anchor"]["section"].as_str().expect("section"))
        .collect();
    assert_eq!(sections, ["Option A", "Option A", "Option A"]);

    repo.memo(&[
        "comment",
        "add",
        "1",
        "--section",
        "Options considered>Option C",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains(
        "no section 'Options considered>Option C'",
    ));
}

#[test]
fn locked_log_error_has_no_empty_cause() {
    let repo = repo_with_memo();
    add_comment(&repo, "first");
    let lock = repo.path(".git/refs/memo/events/01JQ0000000000000000000002.lock");
    std::fs::write(&lock, "").expect("lock");

    let output = repo
        .memo(&["comment", "add", "1", "-m", "while locked"])
        .output()
        .expect("run memo");

    std::fs::remove_file(&lock).expect("unlock");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("for writing)"), "{stderr}");
    assert!(!stderr.contains(": )"), "{stderr}");
}

#[test]
fn edit_draft_waits_for_its_author() {
    let repo = repo_with_memo();
    let id = add_comment(&repo, "Tess wrote this");
    // The log is locked, so Tess's edit is kept as a draft.
    let lock = repo.path(".git/refs/memo/events/01JQ0000000000000000000002.lock");
    std::fs::write(&lock, "").expect("lock");
    repo.memo(&["comment", "edit", &id, "-m", "Tess rewrote this"])
        .assert()
        .failure();
    std::fs::remove_file(&lock).expect("unlock");

    // Resumed as Bob, the edit of Tess's comment stays a draft.
    as_bob(&mut repo.memo(&["comment", "add", "--resume"]))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "only its author can edit it; left in place",
        ));
    assert_eq!(comments(&repo)[0]["body"], "Tess wrote this");

    // Resumed as Tess, it is sent.
    repo.memo_ok(&["comment", "add", "--resume"]);
    assert_eq!(comments(&repo)[0]["body"], "Tess rewrote this");
}
