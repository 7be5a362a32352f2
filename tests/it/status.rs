//! `memo status`: rewriting only the status line, and the check gate.

use crate::common::TestRepo;

const CLEAN: &str = "---\nnumber: 1\nuid: 01J0000000000000000000000A\ntitle: Clean\nstatus: draft\ntemplate: tiny\n# a comment that must survive\nextra_key: {keep: me}\n---\n\n# Clean\n\n## Why\n\nBecause the batch window overran on 14 of the last 70 nights.\n";

fn repo_with_tiny_template() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        ".memo/templates/tiny.md",
        "---\ndescription: One section.\n---\n# {{title}}\n\n## Why\n\nSay why this decision has to be made now and by whom.\n",
    );
    repo
}

#[test]
fn status_changes_one_line_and_commits_it() {
    let repo = repo_with_tiny_template();
    repo.write("memos/0001-clean.md", CLEAN);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "add"]);

    repo.memo_ok(&["status", "1", "review"]);
    let after = repo.read("memos/0001-clean.md");
    assert_eq!(after, CLEAN.replace("status: draft", "status: review"));
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s"]).trim(),
        "Set memo 0001 status to review"
    );

    repo.memo_ok(&["status", "1", "accepted"]);
    let after = repo.read("memos/0001-clean.md");
    assert!(after.contains("status: accepted\n"));
    assert!(after.contains("decided: 2026-03-02T09:00:00Z\n"), "{after}");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn crlf_memo_keeps_crlf_and_bom() {
    let repo = repo_with_tiny_template();
    let crlf = format!("\u{feff}{}", CLEAN.replace('\n', "\r\n"));
    repo.write("memos/0001-clean.md", &crlf);
    repo.memo_ok(&["status", "1", "review"]);
    let after = repo.read_bytes("memos/0001-clean.md");
    let expected = crlf.replace("status: draft", "status: review");
    assert_eq!(String::from_utf8(after).expect("utf-8"), expected);
}

#[test]
fn errors_block_review_unless_forced_with_reason() {
    let repo = repo_with_tiny_template();
    let unfinished = CLEAN.replace(
        "Because the batch window overran on 14 of the last 70 nights.",
        "Say why this decision has to be made now and by whom.",
    );
    repo.write("memos/0001-clean.md", &unfinished);
    repo.memo(&["status", "1", "review"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unfilled-prompt"))
        .stderr(predicates::str::contains("cannot move to review"));
    assert!(repo.read("memos/0001-clean.md").contains("status: draft"));

    repo.memo(&["status", "1", "review", "--force"])
        .assert()
        .code(2);
    repo.memo_ok(&[
        "status",
        "1",
        "review",
        "--force",
        "--reason",
        "Reviewers asked for the draft",
    ]);
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.contains("Forced past 1 check error: Reviewers asked for the draft"),
        "{message}"
    );
}

#[test]
fn forced_change_needs_nonblank_reason() {
    let repo = repo_with_tiny_template();
    let unfinished = CLEAN.replace(
        "Because the batch window overran on 14 of the last 70 nights.",
        "Say why this decision has to be made now and by whom.",
    );
    repo.write("memos/0001-clean.md", &unfinished);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "unfinished memo"]);
    let head = repo.git(&["rev-parse", "HEAD"]);

    for reason in ["", "   ", "\t\n"] {
        let output = repo
            .memo(&["status", "1", "review", "--force", "--reason", reason])
            .output()
            .expect("run memo");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{reason:?}: {stderr}");
        assert!(
            stderr.contains("a reason is needed"),
            "{reason:?}: {stderr}"
        );
        assert!(repo.read("memos/0001-clean.md").contains("status: draft"));
        assert_eq!(repo.git(&["rev-parse", "HEAD"]), head, "{reason:?}");
    }
}

#[test]
fn unknown_status_is_a_usage_error() {
    let repo = repo_with_tiny_template();
    repo.write("memos/0001-clean.md", CLEAN);
    repo.memo(&["status", "1", "approved"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown status 'approved'"));
}

#[test]
fn uncommitted_edits_are_not_swept_into_the_status_commit() {
    let repo = repo_with_tiny_template();
    repo.write("memos/0001-clean.md", CLEAN);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "add"]);
    let edited = format!("{CLEAN}\nA paragraph still being written.\n");
    repo.write("memos/0001-clean.md", &edited);

    repo.memo(&["status", "1", "review"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "memos/0001-clean.md has changes that are not committed",
        ))
        .stderr(predicates::str::contains("git commit memos/0001-clean.md"));
    assert_eq!(
        repo.read("memos/0001-clean.md"),
        edited,
        "the file is untouched"
    );
    assert_eq!(repo.git(&["log", "-1", "--format=%s"]).trim(), "add");

    // Once the edit is committed, the status change is a commit of its own.
    repo.git(&["commit", "-qam", "Finish the paragraph"]);
    repo.memo_ok(&["status", "1", "review"]);
    let changed = repo.git(&["show", "--format=", "--stat", "HEAD"]);
    assert!(
        changed.contains("1 insertion(+), 1 deletion(-)"),
        "{changed}"
    );
}
