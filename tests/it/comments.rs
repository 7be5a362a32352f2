//! Comment threads through the built binary: adding, replying, editing, resolving,
//! listing, drafts, bad input and concurrent writers.

use std::process::Command;

use predicates::prelude::*;
use serde_json::Value;

use crate::common::TestRepo;

const MEMO: &str = "---
number: 1
uid: 01JQ0000000000000000000001
title: Queue the nightly jobs
status: draft
---

# Queue the nightly jobs

## Summary

We move the nightly batch jobs to a queue. The queue keeps every job for seven days.

## Options

Keep cron and add retries. Doing nothing is an option too.
Doing nothing is cheap.

## Risks

The queue may lose jobs when a broker fails.
";

fn repo_with_memo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("memos/0001-queue-the-nightly-jobs.md", MEMO);
    repo.git(&["add", "memos"]);
    repo.git(&["commit", "-q", "-m", "Add memo"]);
    repo
}

fn threads(repo: &TestRepo, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["comment", "list", "1", "--json"];
    args.extend_from_slice(extra);
    repo.memo_json(&args).as_array().expect("array").clone()
}

#[test]
fn add_reply_edit_resolve_cycle() {
    let repo = repo_with_memo();
    let thread = repo.memo_ok(&[
        "comment",
        "add",
        "1",
        "--quote",
        "The queue keeps every job for seven days.",
        "-m",
        "Is seven days enough?",
    ]);
    let thread = thread.trim();
    assert_eq!(thread.len(), 26, "prints the thread id: {thread}");

    let reply = repo.memo_ok(&[
        "comment",
        "reply",
        &thread[..6],
        "-m",
        "Fourteen would be safer.",
    ]);
    let reply = reply.trim().to_owned();
    repo.memo_ok(&[
        "comment",
        "edit",
        &reply[..8],
        "-m",
        "Fourteen days would be safer.",
    ]);

    let listed = threads(&repo, &[]);
    assert_eq!(listed.len(), 1);
    let first = &listed[0];
    assert_eq!(first["id"], thread);
    assert_eq!(first["anchor"]["state"], "exact");
    assert_eq!(
        first["anchor"]["quote"],
        "The queue keeps every job for seven days."
    );
    assert_eq!(first["anchor"]["section"], "Summary");
    assert_eq!(first["anchor"]["line"], 12);
    assert_eq!(first["resolved"], false);
    let comments = first["comments"].as_array().expect("comments");
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0]["body"], "Is seven days enough?");
    assert_eq!(comments[0]["author"], "Test Author <author@example.com>");
    assert_eq!(comments[0]["time"], crate::common::NOW);
    assert_eq!(comments[0]["edited"], false);
    assert_eq!(comments[1]["id"], reply);
    assert_eq!(comments[1]["body"], "Fourteen days would be safer.");
    assert_eq!(comments[1]["edited"], true);
    assert_eq!(
        comments[1]["history"][0]["body"],
        "Fourteen would be safer."
    );

    repo.memo(&["comment", "resolve", thread])
        .assert()
        .success()
        .stdout(predicate::str::contains("is resolved"));
    repo.memo(&["comment", "resolve", thread])
        .assert()
        .success()
        .stdout(predicate::str::contains("already was resolved"));
    assert!(
        threads(&repo, &[]).is_empty(),
        "resolved threads are hidden"
    );
    let all = threads(&repo, &["--all"]);
    assert_eq!(all[0]["resolved"], true);
    assert_eq!(all[0]["resolved_by"], "Test Author <author@example.com>");

    repo.memo_ok(&["comment", "reopen", thread]);
    assert_eq!(threads(&repo, &[]).len(), 1);
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "",
        "the work tree is untouched"
    );
}

#[test]
fn threads_list_in_document_order() {
    let repo = repo_with_memo();
    repo.memo_ok(&["comment", "add", "1", "--section", "Risks", "-m", "risks"]);
    repo.memo_ok(&[
        "comment",
        "add",
        "1",
        "--quote",
        "We move the nightly",
        "-m",
        "summary",
    ]);
    repo.memo_ok(&["comment", "add", "1", "-m", "whole memo"]);
    let bodies: Vec<Value> = threads(&repo, &[])
        .iter()
        .map(|t| t["comments"][0]["body"].clone())
        .collect();
    assert_eq!(bodies, ["whole memo", "summary", "risks"]);
    let listed = threads(&repo, &[]);
    assert_eq!(listed[0]["anchor"]["line"], Value::Null);
    assert_eq!(listed[2]["anchor"]["section"], "Risks");
    assert_eq!(listed[2]["anchor"]["quote"], Value::Null);
}

#[test]
fn repeated_quote_needs_an_occurrence() {
    let repo = repo_with_memo();
    repo.memo(&[
        "comment",
        "add",
        "1",
        "--quote",
        "Doing nothing",
        "-m",
        "which?",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("occurs 2 times"))
    .stderr(predicate::str::contains("line 16"))
    .stderr(predicate::str::contains("line 17"))
    .stderr(predicate::str::contains("--occurrence N"));
    repo.memo_ok(&[
        "comment",
        "add",
        "1",
        "--quote",
        "Doing nothing",
        "--occurrence",
        "2",
        "-m",
        "this one",
    ]);
    assert_eq!(threads(&repo, &[])[0]["anchor"]["line"], 17);
    repo.memo(&[
        "comment",
        "add",
        "1",
        "--quote",
        "Doing nothing",
        "--occurrence",
        "3",
        "-m",
        "x",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("out of range"));
}

#[test]
fn quote_and_section_must_exist() {
    let repo = repo_with_memo();
    repo.memo(&[
        "comment",
        "add",
        "1",
        "--quote",
        "not in the memo",
        "-m",
        "x",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("is not in"));
    repo.memo(&["comment", "add", "1", "--section", "Costs", "-m", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no section 'Costs'"))
        .stderr(predicate::str::contains("Risks"));
    // The quote is looked for inside the section only.
    repo.memo(&[
        "comment",
        "add",
        "1",
        "--section",
        "Risks",
        "--quote",
        "seven days",
        "-m",
        "x",
    ])
    .assert()
    .code(2);
}

#[test]
fn body_from_stdin_and_editor() {
    let repo = repo_with_memo();
    repo.memo(&["comment", "add", "1", "-m", "-"])
        .write_stdin("From standard input.\n\nSecond paragraph.\n")
        .assert()
        .success();
    let editor = repo.home().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nprintf '# A heading in a comment\\n\\nWritten in the editor.\\n' | cat - \"$1\" > \"$1.new\" && mv \"$1.new\" \"$1\"\n",
    )
    .expect("write editor");
    make_executable(&editor);
    repo.memo(&["comment", "add", "1", "--section", "Risks"])
        .env("EDITOR", &editor)
        .assert()
        .success();
    let listed = threads(&repo, &[]);
    assert_eq!(
        listed[0]["comments"][0]["body"],
        "From standard input.\n\nSecond paragraph."
    );
    assert_eq!(
        listed[1]["comments"][0]["body"],
        "# A heading in a comment\n\nWritten in the editor."
    );
    repo.memo(&["comment", "add", "1", "-m", "  \n"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty"));
}

#[test]
fn missing_identity_stops_before_the_editor() {
    let repo = repo_with_memo();
    repo.git(&["config", "--unset", "user.name"]);
    repo.git(&["config", "--unset", "user.email"]);
    let marker = repo.home().join("editor-ran");
    repo.memo(&["comment", "add", "1"])
        .env("EDITOR", format!("touch {}", marker.display()))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no git identity is configured"));
    assert!(!marker.exists(), "the editor never started");
    assert!(
        !repo.path(".git/memo/drafts").exists()
            || std::fs::read_dir(repo.path(".git/memo/drafts"))
                .expect("dir")
                .count()
                == 0
    );
}

#[test]
fn failed_write_keeps_a_draft_until_resumed() {
    let repo = repo_with_memo();
    repo.git(&["config", "--unset", "user.name"]);
    repo.memo(&[
        "comment",
        "add",
        "1",
        "--quote",
        "a broker fails",
        "-m",
        "Which broker?",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("kept as a draft"))
    .stderr(predicate::str::contains("memo comment add --resume"));
    let drafts: Vec<_> = std::fs::read_dir(repo.path(".git/memo/drafts"))
        .expect("drafts")
        .collect();
    assert_eq!(drafts.len(), 1);
    assert!(threads(&repo, &[]).is_empty(), "nothing was sent");

    repo.memo(&["comment", "add", "--resume"]).assert().code(2);
    repo.git(&["config", "user.name", "Test Author"]);
    repo.memo(&["comment", "add", "--resume"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Sent new thread"));
    let listed = threads(&repo, &[]);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["comments"][0]["body"], "Which broker?");
    assert_eq!(listed[0]["anchor"]["quote"], "a broker fails");
    assert_eq!(
        std::fs::read_dir(repo.path(".git/memo/drafts"))
            .expect("drafts")
            .count(),
        0
    );
    repo.memo(&["comment", "add", "--resume"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No drafts"));
}

#[test]
fn locked_log_keeps_a_draft() {
    let repo = repo_with_memo();
    repo.memo_ok(&["comment", "add", "1", "-m", "first"]);
    let lock = repo.path(".git/refs/memo/events/01JQ0000000000000000000001.lock");
    std::fs::write(&lock, "").expect("lock");
    repo.memo(&["comment", "add", "1", "-m", "while locked"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("locked by another process"))
        .stderr(predicate::str::contains(".lock"))
        .stderr(predicate::str::contains("kept as a draft"));
    std::fs::remove_file(&lock).expect("unlock");
    repo.memo_ok(&["comment", "add", "--resume"]);
    assert_eq!(threads(&repo, &[]).len(), 2);
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let repo = repo_with_memo();
    repo.git(&["config", "user.name", "reviewer-x\u{1b}[8m"]);
    repo.memo_ok(&[
        "comment",
        "add",
        "1",
        "--section",
        "Summary",
        "-m",
        "Looks fine \u{1b}]0;title\u{7} \u{1b}[2J\rgone\u{9b}2J \u{202e}x",
    ]);
    let output = repo.memo(&["comment", "list", "1"]).output().expect("run");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    for bad in ['\u{1b}', '\u{7}', '\r', '\u{9b}', '\u{202e}'] {
        assert!(
            !stdout.contains(bad),
            "{bad:?} reached the output:\n{stdout}"
        );
    }
    assert!(stdout.contains("Looks fine ␛]0;title␇"), "{stdout}");
    assert!(stdout.contains("reviewer-x␛[8m"), "{stdout}");
    // JSON keeps the text, escaped, so a program can read it exactly.
    let listed = threads(&repo, &[]);
    assert!(
        listed[0]["comments"][0]["body"]
            .as_str()
            .expect("body")
            .contains('\u{1b}')
    );
}

#[test]
fn unknown_and_short_ids_are_errors() {
    let repo = repo_with_memo();
    repo.memo_ok(&["comment", "add", "1", "-m", "x"]);
    repo.memo(&["comment", "reply", "ZZZZZZ", "-m", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no thread has an id starting with 'ZZZZZZ'",
        ));
    repo.memo(&["comment", "resolve", "ab"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "at least its first four characters",
        ));
}

#[test]
fn comment_ids_are_not_thread_ids() {
    let repo = repo_with_memo();
    let thread = repo.memo_ok(&["comment", "add", "1", "-m", "x"]);
    let comment = threads(&repo, &[])[0]["comments"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    repo.memo(&["comment", "reply", &comment, "-m", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no thread"));
    repo.memo(&["comment", "edit", thread.trim(), "-m", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no comment"));
}

#[test]
fn threads_follow_the_text_after_edits() {
    let repo = repo_with_memo();
    repo.memo_ok(&[
        "comment",
        "add",
        "1",
        "--quote",
        "The queue keeps every job for seven days.",
        "-m",
        "edited later",
    ]);
    repo.memo_ok(&[
        "comment",
        "add",
        "1",
        "--quote",
        "The queue may lose jobs when a broker fails.",
        "-m",
        "moved later",
    ]);
    repo.memo_ok(&[
        "comment",
        "add",
        "1",
        "--quote",
        "Keep cron and add retries.",
        "-m",
        "deleted later",
    ]);
    repo.memo_ok(&[
        "comment",
        "add",
        "1",
        "--section",
        "Options",
        "-m",
        "section goes",
    ]);
    let edited = MEMO
        .replace("seven days", "fourteen days")
        .replace("## Risks\n\nThe queue may lose jobs when a broker fails.\n", "")
        .replace(
            "## Summary\n\n",
            "## Summary\n\nThe queue may lose jobs when a broker fails.\n\n",
        )
        .replace("## Options\n\nKeep cron and add retries. Doing nothing is an option too.\nDoing nothing is cheap.\n\n", "");
    repo.write("memos/0001-queue-the-nightly-jobs.md", &edited);
    repo.git(&["commit", "-q", "-am", "Rework memo"]);

    let listed = threads(&repo, &[]);
    let by_body = |body: &str| {
        listed
            .iter()
            .find(|t| t["comments"][0]["body"] == body)
            .unwrap_or_else(|| panic!("thread {body}"))
            .clone()
    };
    let fuzzy = by_body("edited later");
    assert_eq!(fuzzy["anchor"]["state"], "fuzzy");
    assert_eq!(fuzzy["anchor"]["line"], 14);
    let moved = by_body("moved later");
    assert_eq!(moved["anchor"]["state"], "moved");
    assert_eq!(moved["anchor"]["line"], 12);
    let gone = by_body("deleted later");
    assert_eq!(gone["anchor"]["state"], "outdated");
    assert_eq!(
        gone["anchor"]["quote"], "Keep cron and add retries.",
        "the quote is still shown"
    );
    assert_eq!(gone["anchor"]["line"], Value::Null);
    assert_eq!(by_body("section goes")["anchor"]["state"], "outdated");
    assert_eq!(
        listed.last().expect("last")["anchor"]["state"],
        "outdated",
        "outdated threads come last"
    );
}

/// Appends a raw event file to a memo's log with git's own commands, as another
/// program (or a damaged clone) might.
fn append_raw_event(repo: &TestRepo, uid: &str, name: &str, content: &str) {
    let reference = format!("refs/memo/events/{uid}");
    let blob_file = repo.home().join("event.json");
    std::fs::write(&blob_file, content).expect("write event");
    let blob = repo.git(&["hash-object", "-w", blob_file.to_str().expect("path")]);
    let head = repo.git(&["rev-parse", &reference]);
    let tree = repo.git(&["rev-parse", &format!("{}^{{tree}}", head.trim())]);
    let index = repo.home().join("index");
    let run = |args: &[&str]| {
        let mut command = Command::new("git");
        repo.isolate(&mut command);
        let output = command
            .env("GIT_INDEX_FILE", &index)
            .args(args)
            .output()
            .expect("git");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf-8")
    };
    run(&["read-tree", tree.trim()]);
    run(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("100644,{},{name}", blob.trim()),
    ]);
    let new_tree = run(&["write-tree"]);
    let commit = run(&[
        "commit-tree",
        new_tree.trim(),
        "-p",
        head.trim(),
        "-m",
        "raw event",
    ]);
    repo.git(&["update-ref", &reference, commit.trim()]);
}

#[test]
fn id_prefixes_survive_a_stale_cache() {
    let repo = repo_with_memo();
    let uid = "01JQ0000000000000000000001";
    let thread = repo
        .memo_ok(&["comment", "add", "1", "-m", "first"])
        .trim()
        .to_owned();
    repo.memo_ok(&["comment", "reply", &thread[..8], "-m", "second"]);
    let cache = repo.path(".git/memo/event-ids");
    assert!(cache.is_file(), "the lookup keeps a cache");

    // Another program appends two comments whose ids share a prefix, moving the log's
    // head behind memo's back.
    let ids = [
        format!("ABCD{}A", "0".repeat(21)),
        format!("ABCD{}B", "0".repeat(21)),
    ];
    for (clock, id) in [(60, &ids[0]), (61, &ids[1])] {
        let event = format!(
            r#"{{"version":1,"id":"{id}","memo":"{uid}","kind":"comment.added","clock":{clock},"time":"2026-03-02T09:00:00Z","author":{{"name":"F","email":"f@example.com"}},"payload":{{"thread":"{thread}","body":"raw {id}"}}}}"#
        );
        append_raw_event(
            &repo,
            uid,
            &format!("00000000000000/{clock:016}-{id}.json"),
            &event,
        );
    }
    repo.memo(&["comment", "edit", "abcd", "-m", "which one?"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'abcd' starts 2 comment ids"))
        .stderr(predicate::str::contains(format!(
            "{} in refs/memo/events/{uid}",
            ids[0]
        )))
        .stderr(predicate::str::contains(format!(
            "{} in refs/memo/events/{uid}",
            ids[1]
        )));
    repo.memo_ok(&["comment", "edit", &ids[1], "--force", "-m", "edited B"]);

    // A cache cut short is rebuilt.
    let text = std::fs::read_to_string(&cache).expect("cache");
    assert!(text.ends_with("\nend\n"), "{text}");
    std::fs::write(&cache, text.trim_end_matches("end\n")).expect("cut the cache");
    repo.memo_ok(&["comment", "edit", &ids[0], "--force", "-m", "edited A"]);

    // A cache that names the current head but lacks the ids cannot hide them either.
    let text = std::fs::read_to_string(&cache).expect("cache");
    let without_ids: Vec<&str> = text.lines().filter(|line| line.len() != 26).collect();
    std::fs::write(&cache, without_ids.join("\n") + "\n").expect("empty the cache");
    repo.memo_ok(&[
        "comment",
        "edit",
        &ids[0],
        "--force",
        "-m",
        "edited A again",
    ]);

    let bodies: Vec<String> = threads(&repo, &[])[0]["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .map(|c| c["body"].as_str().expect("body").to_owned())
        .collect();
    assert_eq!(
        bodies,
        ["first", "second", "edited A again", "edited B"],
        "every edit reached the comment its id named"
    );
}

#[test]
fn bad_events_are_reported_and_skipped() {
    let repo = repo_with_memo();
    let uid = "01JQ0000000000000000000001";
    let thread = repo.memo_ok(&["comment", "add", "1", "-m", "still shown"]);
    let id = "0000000000000000000000000A";
    append_raw_event(
        &repo,
        uid,
        &format!("00000000000000/0000000000000050-{id}.json"),
        "{\"version\": 1, oops",
    );
    let future = format!(
        r#"{{"version":2,"id":"0000000000000000000000000B","memo":"{uid}","kind":"comment.added","clock":51,"time":"2026-03-02T09:00:00Z","author":{{"name":"F","email":"f@example.com"}},"payload":{{"thread":"{}","body":"from the future"}}}}"#,
        thread.trim()
    );
    append_raw_event(
        &repo,
        uid,
        "00000000000000/0000000000000051-0000000000000000000000000B.json",
        &future,
    );
    let wrong_memo = future
        .replace("\"version\":2", "\"version\":1")
        .replace("0000000000000000000000000B", "0000000000000000000000000C")
        .replace(
            &format!("\"memo\":\"{uid}\""),
            "\"memo\":\"01JQ0000000000000000000099\"",
        )
        .replace("\"clock\":51", "\"clock\":52");
    append_raw_event(
        &repo,
        uid,
        "00000000000000/0000000000000052-0000000000000000000000000C.json",
        &wrong_memo,
    );

    let output = repo
        .memo(&["comment", "list", "1", "--json"])
        .output()
        .expect("run");
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reference = format!("refs/memo/events/{uid}");
    assert!(
        stderr.contains(&format!(
            "{reference}: event 00000000000000/0000000000000050-{id}.json: not valid JSON"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("format version 2"), "{stderr}");
    assert!(
        stderr.contains("names memo 01JQ0000000000000000000099"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("skipped").count(), 3, "{stderr}");
    let listed: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(listed[0]["comments"].as_array().expect("comments").len(), 1);
    assert_eq!(listed[0]["comments"][0]["body"], "still shown");

    // Appending still works on a log with bad events in it.
    repo.memo_ok(&["comment", "reply", thread.trim(), "-m", "after"]);
    assert_eq!(
        threads(&repo, &[])[0]["comments"]
            .as_array()
            .expect("comments")
            .len(),
        2
    );
}

#[test]
fn ref_to_a_missing_object_is_a_clear_error() {
    let repo = repo_with_memo();
    repo.memo_ok(&["comment", "add", "1", "-m", "x"]);
    let missing = "1234567890123456789012345678901234567890";
    std::fs::write(
        repo.path(".git/refs/memo/events/01JQ0000000000000000000001"),
        format!("{missing}\n"),
    )
    .expect("write ref");
    repo.memo(&["comment", "list", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "refs/memo/events/01JQ0000000000000000000001",
        ))
        .stderr(predicate::str::contains(missing))
        .stderr(predicate::str::contains("missing from the repository"))
        .stderr(predicate::str::contains("git fsck"));
}

#[test]
fn memo_without_uid_is_explained() {
    let repo = TestRepo::new();
    repo.write("memos/0001-plain.md", "# Plain\n\nNo front matter.\n");
    repo.memo(&["comment", "add", "1", "-m", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("has no uid"))
        .stderr(predicate::str::contains("uid: "));
}

#[test]
fn eight_writers_lose_no_comment() {
    let repo = repo_with_memo();
    let script = "for i in $(seq 1 100); do \"$MEMO\" comment add 1 -m \"writer $W comment $i\" >/dev/null || echo \"failed $W $i\" >&2; done";
    let writers: Vec<_> = (1..=8)
        .map(|w| {
            let mut command = Command::new("sh");
            repo.isolate(&mut command);
            command
                .args(["-c", script])
                .env("MEMO", assert_cmd::cargo::cargo_bin("memo"))
                .env("W", w.to_string())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn writer")
        })
        .collect();
    for writer in writers {
        let output = writer.wait_with_output().expect("writer");
        assert!(output.status.success());
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            "",
            "every write succeeded"
        );
    }
    let listed = threads(&repo, &[]);
    let mut bodies: Vec<String> = listed
        .iter()
        .map(|t| t["comments"][0]["body"].as_str().expect("body").to_owned())
        .collect();
    bodies.sort();
    bodies.dedup();
    let refs = repo.git(&["for-each-ref", "--format=%(refname)", "refs/memo/events/"]);
    let files = repo.git(&["ls-tree", "-r", "--name-only", refs.trim()]);
    assert_eq!(
        bodies.len(),
        800,
        "{} threads listed, {} event files in the log",
        listed.len(),
        files.lines().count()
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[cfg(unix)]
pub fn make_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// Commits `text` as memo 1, comments on `quote` (its `occurrence`-th copy), commits
/// `edit(text)`, and returns the thread's anchor as `comment list --json` shows it.
fn anchor_after_edit(text: &str, quote: &str, occurrence: &str, edit: &str) -> Value {
    let repo = TestRepo::new();
    repo.write("memos/0001-queue-the-nightly-jobs.md", text);
    repo.git(&["add", "memos"]);
    repo.git(&["commit", "-q", "-m", "Add memo"]);
    repo.memo_ok(&[
        "comment",
        "add",
        "1",
        "--quote",
        quote,
        "--occurrence",
        occurrence,
        "-m",
        "About this",
    ]);
    repo.write("memos/0001-queue-the-nightly-jobs.md", edit);
    repo.git(&["commit", "-q", "-am", "Edit"]);
    threads(&repo, &[])[0]["anchor"].clone()
}

#[test]
fn deleted_copy_stays_off_other_copy() {
    let text = format!(
        "{MEMO}\n## Plan\n\n- Backups: we must test the restore procedure every quarter.\n- Replicas: we must test the restore procedure every quarter.\n"
    );
    let edited = text.replace(
        "- Replicas: we must test the restore procedure every quarter.\n",
        "",
    );
    let anchor = anchor_after_edit(
        &text,
        "we must test the restore procedure every quarter.",
        "2",
        &edited,
    );
    assert_eq!(anchor["state"], "section", "{anchor:#}");

    // The copy that stays keeps its thread where it is.
    let edited = text.replace(
        "- Backups: we must test the restore procedure every quarter.\n",
        "",
    );
    let anchor = anchor_after_edit(
        &text,
        "we must test the restore procedure every quarter.",
        "2",
        &edited,
    );
    assert_eq!(anchor["state"], "exact", "{anchor:#}");
}

#[test]
fn deleted_item_stays_off_edited_sibling() {
    let text = format!(
        "{MEMO}\n## Steps\n\n1. The platform team migrates the billing database to the new cluster in April.\n2. The platform team migrates the search database to the new cluster in May.\n3. The platform team migrates the audit database to the new cluster in June.\n"
    );
    let edited = text
        .replace(
            "3. The platform team migrates the audit database to the new cluster in June.\n",
            "",
        )
        .replace(
            "The platform team migrates the search database to the new cluster in May.",
            "The data team migrates the search database to the new cluster in July.",
        );
    let anchor = anchor_after_edit(
        &text,
        "The platform team migrates the audit database to the new cluster in June.",
        "1",
        &edited,
    );
    assert_eq!(anchor["state"], "section", "{anchor:#}");
}

#[test]
fn fuzzy_match_skips_heading_above() {
    let text = format!(
        "{MEMO}\n## No blanket implementation\n\nThe other major approach previously discussed is to have a receiver trait without a blanket implementation for deref types.\n"
    );
    let edited = text.replace("The other major approach", "Another major approach");
    let anchor = anchor_after_edit(
        &text,
        "The other major approach previously discussed is to have a receiver trait",
        "1",
        &edited,
    );
    assert_eq!(anchor["state"], "fuzzy", "{anchor:#}");
    let line = edited
        .lines()
        .position(|l| l.starts_with("Another major approach"))
        .expect("line")
        + 1;
    assert_eq!(anchor["line"], line, "{anchor:#}");
}
