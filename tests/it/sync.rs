//! `memo sync` between clones of a bare remote, and threads on memos whose numbers
//! collide after a merge.

use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

use crate::common::TestRepo;

/// A bare remote with one committed memo, and clones of it with their own identities.
struct Team {
    remote: TempDir,
}

impl Team {
    fn new() -> Team {
        let team = Team {
            remote: tempfile::tempdir().expect("remote folder"),
        };
        let seed = TestRepo::new();
        seed.new_memo("Queue the nightly jobs", &[]);
        seed.git(&["init", "-q", "--bare", "-b", "main", team.url()]);
        seed.git(&["remote", "add", "origin", team.url()]);
        seed.git(&["push", "-q", "origin", "main"]);
        team
    }

    fn url(&self) -> &str {
        self.remote.path().to_str().expect("utf-8 path")
    }

    fn clone(&self, name: &str, email: &str) -> TestRepo {
        let clone = TestRepo::empty();
        clone.git(&["clone", "-q", self.url(), "."]);
        clone.set_identity(name, email);
        clone
    }
}

fn list_json(repo: &TestRepo) -> Value {
    repo.memo_json(&["comment", "list", "1", "--all", "--json"])
}

fn thread_id(output: String) -> String {
    output.trim().to_owned()
}

#[test]
fn two_clones_converge_in_either_order() {
    for a_first in [true, false] {
        let team = Team::new();
        let a = team.clone("Reviewer A", "a@example.com");
        let b = team.clone("Reviewer B", "b@example.com");

        // A thread both clones know about.
        let thread = thread_id(a.memo_ok(&[
            "comment",
            "add",
            "1",
            "--section",
            "Summary",
            "-m",
            "Is this the right scope?",
        ]));
        a.memo_ok(&["sync"]);
        b.memo_ok(&["sync"]);

        // Concurrent work on both sides, without syncing in between.
        a.memo_ok(&[
            "comment",
            "reply",
            &thread,
            "-m",
            "Agree, but what does it cost?",
        ]);
        a.memo_ok(&["comment", "add", "1", "-m", "From A"]);
        b.memo_ok(&["comment", "reply", &thread, "-m", "We need data first."]);
        b.memo_ok(&["comment", "resolve", &thread]);
        b.memo_ok(&[
            "comment",
            "add",
            "1",
            "--section",
            "Context",
            "-m",
            "From B",
        ]);

        let (first, second) = if a_first { (&a, &b) } else { (&b, &a) };
        first.memo_ok(&["sync"]);
        second.memo_ok(&["sync"]);
        first.memo_ok(&["sync"]);

        let from_a = list_json(&a);
        let from_b = list_json(&b);
        assert_eq!(from_a, from_b, "both clones show the same threads");
        let threads = from_a.as_array().expect("array");
        assert_eq!(threads.len(), 3);
        let shared = threads
            .iter()
            .find(|t| t["id"] == thread.as_str())
            .expect("thread");
        let bodies: Vec<&str> = shared["comments"]
            .as_array()
            .expect("comments")
            .iter()
            .map(|c| c["body"].as_str().expect("body"))
            .collect();
        assert_eq!(bodies.len(), 3);
        assert!(bodies.contains(&"Agree, but what does it cost?"));
        assert!(bodies.contains(&"We need data first."));
        assert_eq!(shared["resolved"], true, "the resolve survives the merge");
        for repo in [&a, &b] {
            assert_eq!(repo.git(&["status", "--porcelain"]), "");
        }
    }
}

#[test]
fn concurrent_edits_keep_both_texts() {
    let team = Team::new();
    let a = team.clone("Reviewer A", "a@example.com");
    let b = team.clone("Reviewer B", "b@example.com");
    a.memo_ok(&["comment", "add", "1", "-m", "original"]);
    a.memo_ok(&["sync"]);
    b.memo_ok(&["sync"]);
    let comment = list_json(&b)[0]["comments"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    a.memo_ok(&["comment", "edit", &comment, "-m", "text from A"]);
    b.memo_ok(&["comment", "edit", &comment, "-m", "text from B"]);
    a.memo_ok(&["sync"]);
    b.memo_ok(&["sync"]);
    a.memo_ok(&["sync"]);

    b.memo(&["comment", "list", "1"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "comment {} was edited concurrently by",
            &comment[..8]
        )))
        .stdout(predicate::str::contains("text from A"))
        .stdout(predicate::str::contains("text from B"));
    let listed = list_json(&a);
    assert_eq!(listed, list_json(&b));
    let shown = &listed[0]["comments"][0];
    let mut texts = vec![
        shown["body"].as_str().expect("body").to_owned(),
        shown["conflict"][0]["body"]
            .as_str()
            .expect("other")
            .to_owned(),
    ];
    texts.sort();
    assert_eq!(texts, ["text from A", "text from B"]);

    // An edit made after seeing both settles the conflict.
    b.memo_ok(&["comment", "edit", &comment, "-m", "settled"]);
    let settled = list_json(&b);
    assert_eq!(settled[0]["comments"][0]["body"], "settled");
    assert_eq!(
        settled[0]["comments"][0]["conflict"],
        Value::Array(Vec::new())
    );
    assert_eq!(
        settled[0]["comments"][0]["history"]
            .as_array()
            .expect("history")
            .len(),
        3
    );
}

#[test]
fn memo_files_come_along() {
    let team = Team::new();
    let a = team.clone("Reviewer A", "a@example.com");
    let b = team.clone("Reviewer B", "b@example.com");

    // Fast-forward: A adds a memo, B receives it.
    a.new_memo("Second decision", &[]);
    a.memo(&["sync"]).assert().success();
    b.memo(&["sync"])
        .assert()
        .success()
        .stdout(predicate::str::contains("fast-forwarded"));
    assert!(b.path("memos/0002-second-decision.md").is_file());

    // Diverged: both commit different files; the sync merges and pushes.
    a.new_memo("From A", &[]);
    b.write("notes.txt", "B's own file\n");
    b.git(&["add", "notes.txt"]);
    b.git(&["commit", "-q", "-m", "Add notes"]);
    a.memo_ok(&["sync"]);
    b.memo(&["sync"])
        .assert()
        .success()
        .stdout(predicate::str::contains("merged in commit"));
    assert!(b.path("memos/0003-from-a.md").is_file());
    a.memo_ok(&["sync"]);
    assert!(a.path("notes.txt").is_file(), "the merge was pushed");
    assert_eq!(b.git(&["status", "--porcelain"]), "");
}

#[test]
fn conflicting_work_tree_is_left_untouched() {
    let team = Team::new();
    let a = team.clone("Reviewer A", "a@example.com");
    let b = team.clone("Reviewer B", "b@example.com");
    let path = "memos/0001-queue-the-nightly-jobs.md";

    // B has an uncommitted change to the file A changes.
    let original = a.read(path);
    a.write(
        path,
        original.replace("## Summary", "## Summary\n\nEdited by A."),
    );
    a.git(&["commit", "-q", "-am", "Edit by A"]);
    a.memo_ok(&["comment", "add", "1", "-m", "comment from A"]);
    a.memo_ok(&["sync"]);
    let local_edit = original.replace("## Summary", "## Summary\n\nUncommitted by B.");
    b.write(path, &local_edit);
    let head = b.git(&["rev-parse", "HEAD"]);
    b.memo(&["sync"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("would be overwritten"))
        .stderr(predicate::str::contains(path));
    assert_eq!(b.read(path), local_edit, "the uncommitted change is kept");
    assert_eq!(
        b.git(&["rev-parse", "HEAD"]),
        head,
        "the branch did not move"
    );
    assert_eq!(
        list_json(&b).as_array().expect("array").len(),
        1,
        "comments synced anyway"
    );

    // B commits a conflicting change: the merge conflicts and nothing is written.
    b.git(&["commit", "-q", "-am", "Edit by B"]);
    let head = b.git(&["rev-parse", "HEAD"]);
    b.memo(&["sync"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("conflict with yours"))
        .stderr(predicate::str::contains(path));
    assert_eq!(b.read(path), local_edit);
    assert_eq!(b.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(b.git(&["status", "--porcelain"]), "");
}

#[test]
fn file_url_remote_works() {
    let team = Team::new();
    let a = team.clone("Reviewer A", "a@example.com");
    a.memo_ok(&["comment", "add", "1", "-m", "over a file URL"]);
    let url = format!("file://{}", team.url());
    a.memo(&["sync", &url]).assert().success();
    // A clone has the memo files but not the comments until it syncs.
    let fresh = TestRepo::empty();
    fresh.git(&["clone", "-q", &url, "."]);
    fresh.set_identity("Reviewer C", "c@example.com");
    assert_eq!(list_json(&fresh), Value::Array(Vec::new()));
    fresh.memo(&["sync"]).assert().success();
    assert_eq!(
        list_json(&fresh)[0]["comments"][0]["body"],
        "over a file URL"
    );
}

#[test]
fn no_remote_is_explained() {
    let repo = TestRepo::new();
    repo.memo(&["sync"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no remote"))
        .stderr(predicate::str::contains("git remote add"));
    repo.memo(&["sync", "nowhere"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no remote named 'nowhere'"));
}

#[test]
fn thread_stays_on_its_memo_after_numbers_collide() {
    let repo = TestRepo::new();
    repo.new_memo("Baseline", &[]);
    repo.git(&["switch", "-q", "-c", "branch-a"]);
    repo.new_memo("Use a managed queue service", &[]);
    repo.git(&["switch", "-q", "main"]);
    repo.git(&["switch", "-q", "-c", "branch-b"]);
    let b_path = repo.new_memo("Keep cron, add retries", &[]);
    repo.memo_ok(&[
        "comment",
        "add",
        "2",
        "--section",
        "Summary",
        "-m",
        "Does this cover the Sunday jobs?",
    ]);
    repo.git(&["switch", "-q", "main"]);
    repo.git(&["merge", "-q", "--no-edit", "branch-a"]);
    repo.git(&["merge", "-q", "--no-edit", "branch-b"]);

    repo.memo(&["comment", "list", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("matches 2 memos"));
    let on_b = repo.memo_json(&["comment", "list", &b_path, "--json"]);
    assert_eq!(
        on_b[0]["comments"][0]["body"],
        "Does this cover the Sunday jobs?"
    );
    let on_a = repo.memo_json(&[
        "comment",
        "list",
        "memos/0002-use-a-managed-queue-service.md",
        "--json",
    ]);
    assert_eq!(on_a, Value::Array(Vec::new()));
}

#[test]
fn path_remote_with_work_tree_is_explained() {
    let origin = TestRepo::new();
    origin.new_memo("Queue the nightly jobs", &[]);
    origin.memo_ok(&["comment", "add", "1", "-m", "from the origin"]);
    let clone = TestRepo::empty();
    clone.git(&[
        "clone",
        "-q",
        origin.root().to_str().expect("utf-8 path"),
        ".",
    ]);
    clone.set_identity("Reviewer A", "a@example.com");
    clone.memo_ok(&["comment", "add", "1", "-m", "from the clone"]);
    clone
        .memo(&["sync"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a repository with a work tree"))
        .stderr(predicate::str::contains("git clone --bare"));
    let bodies: Vec<Value> = list_json(&clone)
        .as_array()
        .expect("array")
        .iter()
        .map(|t| t["comments"][0]["body"].clone())
        .collect();
    assert_eq!(
        bodies.len(),
        2,
        "the origin's comments were fetched: {bodies:?}"
    );
}
