//! `memo meet` and `memo meetings` through the built binary, with the clock set per
//! command (`MEMO_NOW`) so no test waits.

mod bad_input;
mod clones;
mod hidden;
mod lifecycle;
mod time;

use serde_json::Value;

use crate::common::TestRepo;

/// A participant: who a command runs as.
#[derive(Clone, Copy)]
pub struct Person {
    pub name: &'static str,
    pub email: &'static str,
}

pub const FAY: Person = Person {
    name: "Fay Ortiz",
    email: "fay@example.com",
};
pub const RUI: Person = Person {
    name: "Rui Costa",
    email: "rui@example.com",
};
pub const LENA: Person = Person {
    name: "Lena Brandt",
    email: "lena@example.com",
};

/// The uid of the memo [`repo_with_memo`] writes.
pub const UID: &str = "01JQ0000000000000000000MTG";

/// A memo of about 1,500 words: eight minutes at the default reading speed.
pub fn memo_text() -> String {
    let paragraph = "The nightly batch window overran on fourteen of the last seventy nights, and each overrun delayed the morning reports that the sales teams open first. ".repeat(10);
    format!(
        "---\nnumber: 1\nuid: {UID}\ntitle: Queue the nightly jobs\nstatus: review\ntemplate: decision\nauthors:\n- Fay Ortiz <fay@example.com>\ncreated: 2026-03-01T08:00:00Z\n---\n\n# Queue the nightly jobs\n\n## Summary\n\n{paragraph}\n\n## Context\n\n{paragraph}\n\n## Options\n\n{paragraph}\n\n## Decision\n\n{paragraph}\n\n## Costs\n\n{paragraph}\n\n## Open questions\n\n{paragraph}\n"
    )
}

pub const MEMO_PATH: &str = "memos/0001-queue-the-nightly-jobs.md";

/// A repository with one committed memo, committed by Fay.
pub fn repo_with_memo() -> TestRepo {
    let repo = TestRepo::new();
    repo.set_identity(FAY.name, FAY.email);
    repo.write(MEMO_PATH, memo_text());
    repo.git(&["add", MEMO_PATH]);
    repo.git(&["commit", "-qm", "Add memo 0001"]);
    repo
}

/// A `memo` command run by `who` with the clock at `at`.
pub fn memo_as(repo: &TestRepo, who: Person, at: &str, args: &[&str]) -> assert_cmd::Command {
    let mut command = repo.memo(args);
    command
        .env("MEMO_NOW", at)
        .env("GIT_AUTHOR_NAME", who.name)
        .env("GIT_AUTHOR_EMAIL", who.email);
    command
}

/// Runs `memo` as `who` at `at`, asserts success and returns standard output.
pub fn ok(repo: &TestRepo, who: Person, at: &str, args: &[&str]) -> String {
    let output = memo_as(repo, who, at, args).output().expect("run memo");
    assert!(
        output.status.success(),
        "memo {args:?} failed with {}:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}

/// Returns `memo meet status 1 --json` at `at`.
pub fn status(repo: &TestRepo, at: &str) -> Value {
    let out = ok(repo, FAY, at, &["meet", "status", "1", "--json"]);
    serde_json::from_str(&out).expect("status JSON")
}

/// Returns the participant with `email` from a status object.
pub fn participant<'v>(status: &'v Value, email: &str) -> &'v Value {
    status["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .find(|p| p["email"] == email)
        .unwrap_or_else(|| panic!("{email} takes no part in {status:#}"))
}

/// Returns the event refs and HEAD, to prove that a command changed nothing.
pub fn repository_state(repo: &TestRepo) -> String {
    format!(
        "{}{}{}",
        repo.git(&["for-each-ref", "refs/memo"]),
        repo.git(&["rev-parse", "HEAD"]),
        repo.git(&["status", "--porcelain"])
    )
}
