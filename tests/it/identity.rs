//! A missing git identity is found before anything is written or an editor opens.

use crate::common::TestRepo;

fn repo_without_identity() -> TestRepo {
    let repo = TestRepo::new();
    repo.git(&["config", "--unset", "user.name"]);
    repo.git(&["config", "--unset", "user.email"]);
    repo
}

#[test]
fn missing_identity_stops_before_the_editor() {
    let repo = repo_without_identity();
    let marker = repo.home().join("editor-ran");
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.memo(&["new", "First memo"])
        .env("EDITOR", format!("touch {}", marker.display()))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no git identity is configured"))
        .stderr(predicates::str::contains("git config user.name"));
    assert!(!marker.exists(), "the editor never started");
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "",
        "no file was written"
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
}

#[test]
fn empty_name_counts_as_missing() {
    let repo = repo_without_identity();
    repo.git(&["config", "user.name", ""]);
    repo.git(&["config", "user.email", "someone@example.com"]);
    repo.memo(&["new", "--no-edit", "Second memo"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("user.name is not set"));
}

#[test]
fn identity_from_the_environment_is_used() {
    let repo = repo_without_identity();
    repo.memo(&["new", "--no-edit", "Third memo"])
        .env("GIT_AUTHOR_NAME", "Env Author")
        .env("GIT_AUTHOR_EMAIL", "env@example.com")
        .env("GIT_COMMITTER_NAME", "Env Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.com")
        .assert()
        .success();
    let who = repo.git(&["log", "-1", "--format=%an <%ae> / %cn <%ce>"]);
    assert_eq!(
        who.trim(),
        "Env Author <env@example.com> / Env Committer <committer@example.com>"
    );
    assert!(
        repo.read("memos/0001-third-memo.md")
            .contains("- Env Author <env@example.com>")
    );
}

#[test]
fn init_without_identity_writes_nothing() {
    let repo = TestRepo::empty();
    repo.git(&["init", "-q"]);
    repo.memo(&["init"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no git identity"));
    assert!(!repo.path(".memo").exists());
}
