//! `memo sync` between clones of a bare remote, and threads on memos whose numbers
//! collide after a merge.
//!
//! A remote given by path is synced by copying objects directly; the same scenarios
//! also run through the git command line and through libgit2, chosen with
//! `MEMO_SYNC_TRANSPORT`.

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

/// The ways `memo sync` can reach a remote, as `MEMO_SYNC_TRANSPORT` names them.
const TRANSPORTS: [&str; 3] = ["auto", "git", "libgit2"];

/// Runs `memo sync ARGS...` through `transport`.
fn sync(repo: &TestRepo, transport: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    let mut full = vec!["sync"];
    full.extend_from_slice(args);
    repo.memo(&full)
        .env("MEMO_SYNC_TRANSPORT", transport)
        .assert()
}

fn list_json(repo: &TestRepo) -> Value {
    repo.memo_json(&["comment", "list", "1", "--all", "--json"])
}

fn thread_id(output: String) -> String {
    output.trim().to_owned()
}

#[test]
fn two_clones_converge_in_either_order() {
    for transport in TRANSPORTS {
        converge_in_either_order(transport);
    }
}

fn converge_in_either_order(transport: &str) {
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
        sync(&a, transport, &[]).success();
        sync(&b, transport, &[]).success();

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
        sync(first, transport, &[]).success();
        sync(second, transport, &[]).success();
        sync(first, transport, &[]).success();

        let from_a = list_json(&a);
        let from_b = list_json(&b);
        assert_eq!(
            from_a, from_b,
            "both clones show the same threads ({transport})"
        );
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
    b.memo_ok(&["comment", "edit", &comment, "--force", "-m", "text from B"]);
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
    b.memo_ok(&["comment", "edit", &comment, "--force", "-m", "settled"]);
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
    for transport in TRANSPORTS {
        memo_files_come_along_through(transport);
    }
}

fn memo_files_come_along_through(transport: &str) {
    let team = Team::new();
    let a = team.clone("Reviewer A", "a@example.com");
    let b = team.clone("Reviewer B", "b@example.com");

    // Fast-forward: A adds a memo, B receives it.
    a.new_memo("Second decision", &[]);
    sync(&a, transport, &[]).success();
    sync(&b, transport, &[])
        .success()
        .stdout(predicate::str::contains("fast-forwarded"));
    assert!(b.path("memos/0002-second-decision.md").is_file());

    // Diverged: both commit different files; the sync merges and pushes.
    a.new_memo("From A", &[]);
    b.write("notes.txt", "B's own file\n");
    b.git(&["add", "notes.txt"]);
    b.git(&["commit", "-q", "-m", "Add notes"]);
    sync(&a, transport, &[]).success();
    sync(&b, transport, &[])
        .success()
        .stdout(predicate::str::contains("merged in commit"));
    assert!(b.path("memos/0003-from-a.md").is_file());
    sync(&a, transport, &[]).success();
    assert!(a.path("notes.txt").is_file(), "the merge was pushed");
    assert_eq!(b.git(&["status", "--porcelain"]), "");
}

#[test]
fn conflicting_work_tree_is_left_untouched() {
    for transport in TRANSPORTS {
        work_tree_is_left_untouched(transport);
    }
}

fn work_tree_is_left_untouched(transport: &str) {
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
    sync(&a, transport, &[]).success();
    let local_edit = original.replace("## Summary", "## Summary\n\nUncommitted by B.");
    b.write(path, &local_edit);
    let head = b.git(&["rev-parse", "HEAD"]);
    sync(&b, transport, &[])
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
    sync(&b, transport, &[])
        .code(1)
        .stderr(predicate::str::contains("conflict with yours"))
        .stderr(predicate::str::contains(path));
    assert_eq!(b.read(path), local_edit);
    assert_eq!(b.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(b.git(&["status", "--porcelain"]), "");
}

#[test]
fn file_url_remote_works() {
    for transport in TRANSPORTS {
        let team = Team::new();
        let a = team.clone("Reviewer A", "a@example.com");
        a.memo_ok(&["comment", "add", "1", "-m", "over a file URL"]);
        let url = format!("file://{}", team.url());
        sync(&a, transport, &[&url]).success();
        // A clone has the memo files but not the comments until it syncs.
        let fresh = TestRepo::empty();
        fresh.git(&["clone", "-q", &url, "."]);
        fresh.set_identity("Reviewer C", "c@example.com");
        assert_eq!(list_json(&fresh), Value::Array(Vec::new()));
        sync(&fresh, transport, &[]).success();
        assert_eq!(
            list_json(&fresh)[0]["comments"][0]["body"],
            "over a file URL",
            "{transport}"
        );
    }
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

/// A repository with a work tree and a comment, and a clone of it (by path) with a
/// comment of its own.
fn origin_with_work_tree_and_clone() -> (TestRepo, TestRepo) {
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
    (origin, clone)
}

#[test]
fn path_remote_with_work_tree_takes_the_logs() {
    for transport in ["auto", "git"] {
        let (origin, clone) = origin_with_work_tree_and_clone();
        clone.new_memo("Second decision", &[]);
        let origin_head = origin.git(&["rev-parse", "HEAD"]);

        // The logs go in; the branch the origin has checked out is refused, as git
        // refuses it, and left for the user.
        sync(&clone, transport, &[])
            .success()
            .stderr(predicate::str::contains("rejected the branch"));
        assert_eq!(list_json(&clone).as_array().expect("array").len(), 2);
        assert_eq!(
            list_json(&origin).as_array().expect("array").len(),
            2,
            "the clone's comment reached the origin ({transport})"
        );
        assert_eq!(origin.git(&["rev-parse", "HEAD"]), origin_head);
        assert_eq!(origin.git(&["status", "--porcelain"]), "");
    }
}

#[test]
fn libgit2_explains_a_path_remote_with_work_tree() {
    let (_origin, clone) = origin_with_work_tree_and_clone();
    sync(&clone, "libgit2", &[])
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

#[test]
fn push_race_leads_to_another_round() {
    // The remote's pre-receive hook lets clone B sync while A's push waits, once, so
    // the remote moves the log between A's fetch and A's push.
    let team = Team::new();
    let a = team.clone("Reviewer A", "a@example.com");
    let b = team.clone("Reviewer B", "b@example.com");
    a.memo_ok(&["comment", "add", "1", "-m", "shared start"]);
    sync(&a, "git", &[]).success();
    sync(&b, "git", &[]).success();
    a.memo_ok(&["comment", "add", "1", "-m", "from A"]);
    b.memo_ok(&["comment", "add", "1", "-m", "from B"]);

    let hook = team.remote.path().join("hooks/pre-receive");
    let marker = team.remote.path().join("hooks/raced");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\n\
             [ -e '{marker}' ] && exit 0\n\
             touch '{marker}'\n\
             unset GIT_DIR GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES\n\
             cd '{b_root}' && HOME='{b_home}' XDG_CONFIG_HOME='{b_home}/.config' '{memo}' sync >/dev/null 2>&1\n",
            marker = marker.display(),
            b_root = b.root().display(),
            b_home = b.home().display(),
            memo = assert_cmd::cargo::cargo_bin("memo").display(),
        ),
    )
    .expect("write hook");
    crate::comments::make_executable(&hook);

    sync(&a, "git", &[])
        .success()
        .stdout(predicate::str::contains("1 merged"));
    assert!(marker.exists(), "the hook ran B's sync");
    sync(&b, "git", &[]).success();
    let bodies = |repo: &TestRepo| -> Vec<String> {
        let mut bodies: Vec<String> = list_json(repo)
            .as_array()
            .expect("array")
            .iter()
            .map(|t| t["comments"][0]["body"].as_str().expect("body").to_owned())
            .collect();
        bodies.sort();
        bodies
    };
    assert_eq!(bodies(&a), ["from A", "from B", "shared start"]);
    assert_eq!(bodies(&b), bodies(&a));
}

#[test]
fn unknown_transport_is_explained() {
    let team = Team::new();
    let a = team.clone("Reviewer A", "a@example.com");
    sync(&a, "carrier-pigeon", &[])
        .code(2)
        .stderr(predicate::str::contains(
            "MEMO_SYNC_TRANSPORT is 'carrier-pigeon'",
        ))
        .stderr(predicate::str::contains("auto, git or libgit2"));
}

#[test]
fn one_memo_syncs_alone() {
    for transport in TRANSPORTS {
        one_memo_syncs_alone_through(transport);
    }
}

fn one_memo_syncs_alone_through(transport: &str) {
    let team = Team::new();
    let a = team.clone("Reviewer A", "a@example.com");
    let b = team.clone("Reviewer B", "b@example.com");
    let remote_git = |args: &[&str]| {
        let mut full = vec!["--git-dir", team.url()];
        full.extend_from_slice(args);
        a.git(&full)
    };
    let branch_before = remote_git(&["rev-parse", "main"]);
    let sync_memo = |repo: &TestRepo| {
        let out = sync(repo, transport, &["--memo", "1"]).success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };

    // The remote has no log yet: the first sync of the memo pushes A's.
    a.memo_ok(&["comment", "add", "1", "-m", "From A"]);
    let stdout = sync_memo(&a);
    assert!(stdout.contains(": pushed with "), "{transport}: {stdout}");

    // B merges A's comment with its own and pushes the merge.
    b.memo_ok(&["comment", "add", "1", "-m", "From B"]);
    let stdout = sync_memo(&b);
    assert!(
        stdout.contains("took new events and pushed"),
        "{transport}: {stdout}"
    );
    let stdout = sync_memo(&a);
    assert!(
        stdout.contains("took new events with"),
        "{transport}: {stdout}"
    );
    assert_eq!(list_json(&a), list_json(&b), "{transport}");
    let stdout = sync_memo(&a);
    assert!(stdout.contains("up to date"), "{transport}: {stdout}");

    // A second memo's log and a new commit on the branch stay where they are.
    a.new_memo("Rotate the signing keys", &[]);
    a.memo_ok(&["comment", "add", "2", "-m", "Not yet shared"]);
    a.memo_ok(&["comment", "add", "1", "-m", "Shared"]);
    sync_memo(&a);
    assert_eq!(
        remote_git(&["for-each-ref", "--format=%(refname)", "refs/memo/events/"])
            .lines()
            .count(),
        1,
        "{transport}: only memo 1's log is on the remote"
    );
    assert_eq!(
        remote_git(&["rev-parse", "main"]),
        branch_before,
        "{transport}"
    );
    sync_memo(&b);
    let bodies = list_json(&b).to_string();
    assert!(bodies.contains("Shared"), "{transport}: {bodies}");
}

#[test]
fn merge_keeping_their_file_reaches_third_clone() {
    for transport in TRANSPORTS {
        let team = Team::new();
        let a = team.clone("Reviewer A", "a@example.com");
        let b = team.clone("Reviewer B", "b@example.com");
        let c = team.clone("Reviewer C", "c@example.com");

        a.memo_ok(&["status", "1", "review", "--force", "--reason", "ready"]);
        sync(&a, transport, &[]).success();
        b.memo_ok(&[
            "status",
            "1",
            "rejected",
            "--force",
            "--reason",
            "too early",
        ]);
        // The memo files conflict: nothing is written and the files are listed.
        let out = sync(&b, transport, &[]).code(1);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            stderr.contains("\n  memos/0001-queue-the-nightly-jobs.md\n"),
            "{transport}: one file per line: {stderr}"
        );
        // B merges by hand and keeps A's file, so the merge's tree is A's.
        let mut pull = std::process::Command::new("git");
        b.isolate(&mut pull);
        let pulled = pull
            .args(["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"])
            .output()
            .expect("run git pull");
        assert!(!pulled.status.success(), "{transport}: the pull conflicts");
        b.git(&["checkout", "--theirs", "memos/"]);
        b.git(&["commit", "-qam", "Keep the review status"]);
        sync(&b, transport, &[]).success();

        sync(&c, transport, &[]).success();
        c.git(&["fsck", "--connectivity-only", "--no-progress"]);
        assert!(
            c.read("memos/0001-queue-the-nightly-jobs.md")
                .contains("status: review"),
            "{transport}"
        );
    }
}

#[test]
fn network_remote_without_git_is_explained() {
    let team = Team::new();
    let a = team.clone("Reviewer A", "a@example.com");
    // The error comes before any connection: the host is never looked up.
    sync(&a, "libgit2", &["ssh://memo.invalid/team.git"])
        .code(2)
        .stderr(predicate::str::contains(
            "memo reaches ssh://memo.invalid/team.git through the git command line",
        ))
        .stderr(predicate::str::contains("install git"));
}

/// Writes a stand-in for `ssh` that runs the remote command on this machine, so that
/// an `ssh://` remote goes through git's real ssh transport without a network.
fn local_ssh(folder: &std::path::Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = folder.join("local-ssh");
    // git calls `ssh [options] HOST COMMAND`; the command is the last argument.
    std::fs::write(
        &script,
        "#!/bin/sh\nwhile [ $# -gt 1 ]; do shift; done\nexec sh -c \"$1\"\n",
    )
    .expect("write the ssh stand-in");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
        .expect("make it executable");
    script
}

#[test]
fn ssh_remote_goes_through_git_and_its_settings() {
    let team = Team::new();
    let tools = tempfile::tempdir().expect("folder");
    let ssh = local_ssh(tools.path());
    let url = format!("ssh://memo.invalid{}", team.url());
    let a = team.clone("Reviewer A", "a@example.com");
    let b = team.clone("Reviewer B", "b@example.com");
    for clone in [&a, &b] {
        clone.git(&["remote", "set-url", "origin", &url]);
        // The clone's own git settings choose the ssh command, as they would for git.
        clone.git(&[
            "config",
            "core.sshCommand",
            ssh.to_str().expect("utf-8 path"),
        ]);
    }

    a.memo_ok(&["comment", "add", "1", "-m", "Over ssh from A"]);
    b.memo_ok(&["comment", "add", "1", "-m", "Over ssh from B"]);
    for clone in [&a, &b, &a] {
        sync(clone, "auto", &[]).success();
    }
    assert_eq!(list_json(&a), list_json(&b));
    let bodies = list_json(&a).to_string();
    assert!(bodies.contains("Over ssh from A"), "{bodies}");
    assert!(bodies.contains("Over ssh from B"), "{bodies}");
}
