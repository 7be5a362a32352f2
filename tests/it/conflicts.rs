//! Memo files left with an unresolved git merge conflict.

use crate::common::TestRepo;

/// A repository whose memo 1 has a conflict in its front matter: two branches set
/// different statuses and were merged.
fn conflicted_front_matter() -> TestRepo {
    let repo = TestRepo::new();
    repo.new_memo("One", &[]);
    repo.memo_ok(&["comment", "add", "1", "-m", "keep me"]);
    repo.git(&["switch", "-q", "-c", "other"]);
    repo.memo_ok(&["status", "1", "rejected", "--force", "--reason", "a"]);
    repo.git(&["switch", "-q", "main"]);
    repo.memo_ok(&["status", "1", "deferred", "--force", "--reason", "b"]);
    let mut merge = std::process::Command::new("git");
    repo.isolate(&mut merge);
    let merged = merge
        .args(["merge", "-q", "other"])
        .output()
        .expect("run git");
    assert!(!merged.status.success(), "the merge should conflict");
    assert!(repo.read("memos/0001-one.md").contains("<<<<<<< HEAD"));
    repo
}

#[test]
fn conflict_is_reported_not_a_new_uid() {
    let repo = conflicted_front_matter();
    let commands: [&[&str]; 6] = [
        &["comment", "list", "1"],
        &["comment", "add", "1", "-m", "more"],
        &["status", "1", "accepted", "--force", "--reason", "c"],
        &["meet", "start", "1", "--no-tui"],
        &["meetings", "1"],
        &["sync", "--memo", "1", "."],
    ];
    for args in commands {
        let output = repo.memo(args).output().expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "memo {args:?}: {stderr}");
        assert!(
            stderr.contains("memos/0001-one.md:5:1: unresolved merge conflict (lines 5 to 9)"),
            "memo {args:?}: {stderr}"
        );
        assert!(stderr.contains("git mergetool"), "memo {args:?}: {stderr}");
        assert!(!stderr.contains("uid:"), "memo {args:?}: {stderr}");
    }

    // Resolving the conflict brings the comment back.
    let text = repo.read("memos/0001-one.md");
    let resolved: String = text
        .lines()
        .filter(|l| {
            !l.starts_with("<<<<<<<")
                && !l.starts_with("=======")
                && !l.starts_with(">>>>>>>")
                && *l != "status: rejected"
        })
        .map(|l| format!("{l}\n"))
        .collect();
    repo.write("memos/0001-one.md", resolved);
    repo.git(&["commit", "-q", "-am", "Merge other"]);
    let comments = repo.memo_ok(&["comment", "list", "1"]);
    assert!(comments.contains("keep me"), "{comments}");
}

#[test]
fn uid_reference_reports_the_conflict() {
    let repo = conflicted_front_matter();
    let text = repo.read("memos/0001-one.md");
    let uid = text
        .lines()
        .find_map(|l| l.strip_prefix("uid: "))
        .expect("a uid line outside the conflict")
        .trim_matches(['"', '\''])
        .to_owned();
    let prefix = uid[..6].to_owned();
    let lower = prefix.to_ascii_lowercase();
    for reference in [uid.as_str(), prefix.as_str(), lower.as_str()] {
        let commands: [&[&str]; 4] = [
            &["comment", "list", reference],
            &["comment", "add", reference, "-m", "more"],
            &["status", reference, "accepted", "--force", "--reason", "c"],
            &["meet", "start", reference, "--no-tui"],
        ];
        for args in commands {
            let output = repo.memo(args).output().expect("run");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "memo {args:?}: {stderr}");
            assert!(
                stderr.contains("memos/0001-one.md:5:1: unresolved merge conflict (lines 5 to 9)"),
                "memo {args:?}: {stderr}"
            );
            assert!(
                !stderr.contains("no memo matches"),
                "memo {args:?}: {stderr}"
            );
        }
    }

    // Reading commands find the memo by its uid too.
    let shown = repo.memo_ok(&["show", &prefix]);
    assert!(shown.contains("One"), "{shown}");
    let list = repo.memo_json(&["list", "--json"]);
    assert_eq!(list[0]["uid"], uid.as_str(), "the uid line is read");
}

#[test]
fn list_marks_the_conflict_and_keeps_the_title() {
    let repo = conflicted_front_matter();
    let output = repo.memo(&["list"]).output().expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("  One  (unresolved merge conflict)"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("uid:"),
        "the front matter is no title: {stdout}"
    );
    assert!(
        stderr.contains("memos/0001-one.md:5:1: unresolved merge conflict (lines 5 to 9)"),
        "{stderr}"
    );
    let list = repo.memo_json(&["list", "--json"]);
    assert_eq!(list[0]["title"], "One");
    assert_eq!(list[0]["merge_conflict"], true);
}

#[test]
fn broken_front_matter_is_reported_not_a_new_uid() {
    let repo = TestRepo::new();
    let path = repo.new_memo("Two", &[]);
    repo.memo_ok(&["comment", "add", "1", "-m", "keep me"]);
    repo.memo_ok(&[
        "status",
        "1",
        "review",
        "--force",
        "--reason",
        "before the break",
    ]);
    let text = repo.read(&path).replace("title: Two", "title: Two: broken");
    repo.write(&path, text);
    let output = repo.memo(&["comment", "list", "1"]).output().expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("memos/0001-two.md:4:11: front matter is not valid YAML"),
        "{stderr}"
    );
    assert!(!stderr.contains("uid:"), "{stderr}");
    let list = repo.memo_json(&["list", "--json"]);
    assert_eq!(list[0]["title"], "Two: broken");
    assert_eq!(list[0]["status"], "review", "read from the status line");
    assert_eq!(list[0]["merge_conflict"], false);
}

#[test]
fn body_conflict_stops_comments_but_not_reading() {
    let repo = TestRepo::new();
    let path = repo.new_memo("Three", &[]);
    let mut text = repo.read(&path);
    let conflict_line = text.lines().count() + 2;
    text.push_str("\n<<<<<<< HEAD\nOurs.\n=======\nTheirs.\n>>>>>>> other\n");
    text.push_str("\n```text\n<<<<<<< HEAD\nan example\n>>>>>>> other\n```\n");
    repo.write(&path, text);
    repo.memo(&["comment", "list", "1"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!(
            "memos/0001-three.md:{conflict_line}:1: unresolved merge conflict (lines {conflict_line} to {})",
            conflict_line + 4
        )));
    repo.memo_ok(&["show", "1"]);
    let list = repo.memo_json(&["list", "--json"]);
    assert_eq!(list[0]["title"], "Three");
    assert_eq!(list[0]["merge_conflict"], true);
}
