//! `memo list` and `memo show`, and how references name memos.

use crate::common::TestRepo;

#[test]
fn list_json_has_the_documented_fields() {
    let repo = TestRepo::new();
    repo.new_memo("Adopt Postgres", &["--tag", "db"]);
    repo.new_memo("Retire the batch window", &["--template", "adr"]);
    let list = repo.memo_json(&["list", "--json"]);
    let entries = list.as_array().expect("array");
    assert_eq!(entries.len(), 2);
    let first = &entries[0];
    for key in [
        "number", "uid", "title", "status", "template", "path", "created", "authors", "tags",
    ] {
        assert!(first.get(key).is_some(), "missing {key} in {first}");
    }
    assert_eq!(first["number"], 1);
    assert_eq!(first["title"], "Adopt Postgres");
    assert_eq!(first["status"], "draft");
    assert_eq!(first["template"], "decision");
    assert_eq!(first["path"], "memos/0001-adopt-postgres.md");
    assert_eq!(first["created"], "2026-03-02T09:00:00Z");
    assert_eq!(first["authors"][0], "Test Author <author@example.com>");
    assert_eq!(first["tags"][0], "db");
    assert_eq!(entries[1]["template"], "adr");
}

#[test]
fn list_filters_by_status_and_tag() {
    let repo = TestRepo::new();
    repo.new_memo("One", &["--tag", "db"]);
    repo.new_memo("Two", &[]);
    let by_tag = repo.memo_json(&["list", "--tag", "DB", "--json"]);
    assert_eq!(by_tag.as_array().expect("array").len(), 1);
    let by_status = repo.memo_json(&["list", "--status", "accepted", "--json"]);
    assert_eq!(by_status.as_array().expect("array").len(), 0);
    let table = repo.memo_ok(&["list"]);
    assert!(
        table.contains("0001  draft") && table.contains("One"),
        "{table}"
    );
}

#[test]
fn list_rejects_an_unknown_status() {
    let repo = TestRepo::new();
    repo.new_memo("Adopt Postgres", &[]);
    repo.memo(&["list", "--status", "bogus"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "unknown status 'bogus' (expected one of: draft, review, accepted, rejected, deferred, superseded)",
        ));
    let drafts = repo.memo_json(&["list", "--status", "Draft", "--json"]);
    assert_eq!(drafts.as_array().expect("array").len(), 1);
}

#[test]
fn references_by_number_uid_prefix_file_and_path() {
    let repo = TestRepo::new();
    let path = repo.new_memo("Adopt Postgres", &[]);
    let list = repo.memo_json(&["list", "--json"]);
    let uid = list[0]["uid"].as_str().expect("uid").to_owned();
    for reference in [
        "1",
        "0001",
        uid.as_str(),
        &uid[..10],
        &uid.to_lowercase(),
        "0001-adopt-postgres",
        "0001-adopt-postgres.md",
        path.as_str(),
    ] {
        let shown = repo.memo_json(&["show", reference, "--json"]);
        assert_eq!(shown["uid"], uid.as_str(), "reference {reference}");
    }
    repo.memo(&["show", "7"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no memo matches '7'"));
}

#[test]
fn ambiguous_number_lists_candidates() {
    let repo = TestRepo::new();
    repo.new_memo("Baseline", &[]);
    repo.git(&["switch", "-q", "-c", "branch-a"]);
    repo.new_memo("Use a managed queue service", &[]);
    repo.git(&["switch", "-q", "main"]);
    repo.git(&["switch", "-q", "-c", "branch-b"]);
    repo.new_memo("Keep cron, add retries", &[]);
    repo.git(&["switch", "-q", "main"]);
    repo.git(&["merge", "-q", "--no-edit", "branch-a"]);
    repo.git(&["merge", "-q", "--no-edit", "branch-b"]);

    repo.memo(&["show", "2"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("'2' matches 2 memos"))
        .stderr(predicates::str::contains(
            "0002-use-a-managed-queue-service.md",
        ))
        .stderr(predicates::str::contains("0002-keep-cron-add-retries.md"));
    let list = repo.memo_json(&["list", "--json"]);
    let duplicates = list
        .as_array()
        .expect("array")
        .iter()
        .filter(|m| m["duplicate_number"] == true)
        .count();
    assert_eq!(duplicates, 2);
    // Each row names the other memo, never itself.
    let table = repo.memo_ok(&["list"]);
    let queue_row = table
        .lines()
        .find(|l| l.contains("Use a managed queue service"))
        .expect("row of the queue memo");
    assert!(
        queue_row.ends_with("(number also used by 0002-keep-cron-add-retries.md)"),
        "{table}"
    );
    let cron_row = table
        .lines()
        .find(|l| l.contains("Keep cron, add retries"))
        .expect("row of the cron memo");
    assert!(
        cron_row.ends_with("(number also used by 0002-use-a-managed-queue-service.md)"),
        "{table}"
    );
    repo.memo(&["check"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("number 0002 is used by 2 memos"));
    // The next memo gets the highest number plus one.
    assert_eq!(
        repo.new_memo("After the merge", &[]),
        "memos/0003-after-the-merge.md"
    );
}

#[test]
fn show_renders_markdown_and_raw_keeps_bytes() {
    let repo = TestRepo::new();
    let text = "---\ntitle: Rendering\nstatus: draft\n---\n\n# Rendering\n\n## Summary\n\nSome **bold** and `code`, see [docs](https://example.com).\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
    repo.write("memos/0001-rendering.md", text);
    let shown = repo.memo_ok(&["show", "1", "--width", "60"]);
    assert!(shown.starts_with("0001  Rendering\n"), "{shown}");
    assert!(
        shown.contains("Some bold and code, see docs <https://example.com>."),
        "{shown}"
    );
    assert!(shown.contains("• one"), "{shown}");
    assert!(shown.contains("│ 1 │ 2 │"), "{shown}");
    assert!(!shown.contains("**"), "{shown}");
    let raw = repo.memo(&["show", "1", "--raw"]).output().expect("run");
    assert_eq!(raw.stdout, text.as_bytes());
}

#[test]
fn show_never_prints_control_sequences() {
    let repo = TestRepo::new();
    let text = "---\ntitle: \"Quarterly review\\e]0;owned\\a\"\nauthors: [\"author\\e[8m\"]\n---\n\n## Summary\n\nClear:\u{1b}[2J\u{1b}[H done. C1: \u{9b}2J. Bidi: \u{202e}abc\u{202c}. CR: 40%\r99%. BS: a\u{8}b.\n";
    repo.write("memos/0001-quarterly-review.md", text);
    for args in [
        vec!["show", "1"],
        vec!["list"],
        vec!["show", "1", "--json"],
        vec!["check", "1"],
    ] {
        let output = repo.memo(&args).output().expect("run");
        let stdout = String::from_utf8(output.stdout).expect("utf-8");
        for forbidden in ['\u{1b}', '\u{7}', '\u{8}', '\u{9b}', '\u{202e}'] {
            assert!(
                !stdout.contains(forbidden),
                "{args:?} printed U+{:04X}:\n{stdout}",
                forbidden as u32
            );
        }
        assert!(
            !stdout.contains("40%\r99%"),
            "{args:?}: a carriage return inside a line"
        );
    }
    let shown = repo.memo_ok(&["show", "1"]);
    assert!(
        shown.contains("␛[2J"),
        "control characters stay visible: {shown}"
    );
    assert!(shown.contains("<U+202E>"), "{shown}");
}

#[test]
fn skipped_files_are_named_not_missing() {
    let repo = TestRepo::new();
    repo.new_memo("Latin one", &[]);
    repo.new_memo("Fine", &[]);
    let mut bytes = repo.read_bytes("memos/0001-latin-one.md");
    let line = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    bytes.extend_from_slice(b"caf\xe9\n");
    repo.write("memos/0001-latin-one.md", &bytes);
    let mut large = b"---\ntitle: Large\n---\n".to_vec();
    large.resize(65 * 1024 * 1024, b'a');
    repo.write("memos/0003-large.md", &large);

    let utf8_error =
        format!("memos/0001-latin-one.md:{line}:4: file is not valid UTF-8 (byte 0xe9");
    for reference in ["1", "0001", "0001-latin-one", "memos/0001-latin-one.md"] {
        let output = repo.memo(&["show", reference]).output().expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "show {reference}: {stderr}");
        assert!(stderr.contains(&utf8_error), "show {reference}: {stderr}");
        assert!(stderr.contains("save the file as UTF-8"), "{stderr}");
        assert!(!stderr.contains("no memo matches"), "{stderr}");
    }
    let output = repo.memo(&["comment", "list", "3"]).output().expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("memos/0003-large.md:1:1: file is too large"),
        "{stderr}"
    );
    repo.memo(&["show", "4"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no memo matches '4'"));

    let output = repo.memo(&["list"]).output().expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stderr.contains(&utf8_error), "{stderr}");
    assert!(stderr.contains("memos/0003-large.md"), "{stderr}");
    assert_eq!(stderr.matches("; skipped").count(), 2, "{stderr}");
}
