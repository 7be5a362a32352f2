//! The countdown against the clock: daylight saving changes in the local time zone,
//! participants whose clocks disagree, and a memo that changes while it is read.

use super::{FAY, MEMO_PATH, RUI, memo_as, ok, participant, repo_with_memo, status};

/// Central European time with its daylight saving rules, as a POSIX TZ string, so the
/// test needs no time zone database.
const BERLIN: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

fn status_text(repo: &crate::common::TestRepo, at: &str) -> String {
    let output = memo_as(repo, FAY, at, &["meet", "status", "1"])
        .env("TZ", BERLIN)
        .output()
        .expect("run memo");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

#[test]
fn countdown_across_spring_forward() {
    let repo = repo_with_memo();
    // 01:50 local; at 02:00 the clocks jump to 03:00.
    ok(
        &repo,
        FAY,
        "2026-03-29T00:50:00Z",
        &["meet", "start", "1", "--minutes", "30", "--no-tui"],
    );

    let before = status_text(&repo, "2026-03-29T00:55:00Z");
    assert!(
        before.contains("Started:      2026-03-29 01:50 +01:00"),
        "{before}"
    );
    assert!(
        before.contains("reading, 25:00 left (until 03:20)"),
        "{before}"
    );
    // 03:10 local, twenty minutes after the start by the clock on the wall.
    let after = status_text(&repo, "2026-03-29T01:10:00Z");
    assert!(
        after.contains("reading, 10:00 left (until 03:20)"),
        "{after}"
    );
    assert_eq!(
        status(&repo, "2026-03-29T01:10:00Z")["time_left_seconds"],
        600
    );
    let over = status_text(&repo, "2026-03-29T01:20:00Z");
    assert!(over.contains("time is up (since 03:20)"), "{over}");
}

#[test]
fn countdown_across_fall_back() {
    let repo = repo_with_memo();
    // 02:50 summer time; at 03:00 the clocks go back to 02:00.
    ok(
        &repo,
        FAY,
        "2026-10-25T00:50:00Z",
        &["meet", "start", "1", "--minutes", "30", "--no-tui"],
    );
    let text = status_text(&repo, "2026-10-25T01:05:00Z");
    assert!(
        text.contains("Started:      2026-10-25 02:50 +02:00"),
        "{text}"
    );
    // The deadline reads earlier on the wall than the start did.
    assert!(text.contains("reading, 15:00 left (until 02:20)"), "{text}");
    assert_eq!(
        status(&repo, "2026-10-25T01:05:00Z")["time_left_seconds"],
        900
    );
}

#[test]
fn clock_skew_keeps_order_and_deadline() {
    let repo = repo_with_memo();
    ok(
        &repo,
        FAY,
        "2026-03-02T09:00:00Z",
        &["meet", "start", "1", "--minutes", "20", "--no-tui"],
    );
    // Rui's clock is seven minutes slow: by it, he joins before the meeting started.
    ok(
        &repo,
        RUI,
        "2026-03-02T08:55:00Z",
        &["meet", "join", "1", "--no-tui"],
    );
    ok(
        &repo,
        RUI,
        "2026-03-02T08:58:00Z",
        &[
            "comment",
            "add",
            "1",
            "--section",
            "Costs",
            "-m",
            "Written by a slow clock",
        ],
    );
    ok(&repo, RUI, "2026-03-02T09:03:00Z", &["meet", "done", "1"]);

    // Seen from Rui's clock, the deadline is still the facilitator's.
    let output = memo_as(
        &repo,
        RUI,
        "2026-03-02T09:03:00Z",
        &["meet", "status", "1", "--json"],
    )
    .output()
    .expect("run memo");
    let seen: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(seen["start"], "2026-03-02T09:00:00Z");
    assert_eq!(seen["deadline"], "2026-03-02T09:20:00Z");
    assert_eq!(seen["time_left_seconds"], 17 * 60);

    // The log's order, not the wall clocks, decides: Rui joined after the start and
    // his comment counts towards the meeting.
    assert_eq!(seen["participants"][0]["email"], FAY.email);
    let rui = participant(&seen, RUI.email);
    assert_eq!(
        rui["joined"], "2026-03-02T08:55:00Z",
        "shown as his clock said"
    );
    assert_eq!(rui["done"], true);
    assert_eq!(seen["comments"], 1);
}

#[test]
fn memo_edited_after_start_keeps_the_revision() {
    let repo = repo_with_memo();
    ok(
        &repo,
        FAY,
        "2026-03-02T09:00:00Z",
        &["meet", "start", "1", "--no-tui"],
    );
    let before = status(&repo, "2026-03-02T09:00:00Z");
    assert_eq!(before["newer_revision"], false);

    let text = repo.read(MEMO_PATH);
    repo.write(
        MEMO_PATH,
        text.replace("## Summary\n", "## Summary\n\nA late addition.\n"),
    );
    repo.git(&["commit", "-qam", "Edit during the meeting"]);

    let after = status(&repo, "2026-03-02T09:02:00Z");
    assert_eq!(after["newer_revision"], true);
    assert_eq!(
        after["revision"], before["revision"],
        "the meeting keeps its revision"
    );
    let joined = ok(
        &repo,
        RUI,
        "2026-03-02T09:02:00Z",
        &["meet", "join", "1", "--no-tui"],
    );
    assert!(
        joined.contains("changed after the meeting started"),
        "{joined}"
    );
    let shown = ok(&repo, FAY, "2026-03-02T09:02:00Z", &["meet", "status", "1"]);
    assert!(
        shown.contains("changed after the meeting started"),
        "{shown}"
    );

    // The outcome lands on the newest revision; the edit stays.
    ok(
        &repo,
        FAY,
        "2026-03-02T09:30:00Z",
        &["meet", "end", "1", "--outcome", "accepted"],
    );
    let decided = repo.read(MEMO_PATH);
    assert!(decided.contains("A late addition."), "{decided}");
    assert!(decided.contains("status: accepted"), "{decided}");
}

/// The commit that records the outcome, and any change to the front matter keys memo
/// writes itself, leave the memo's revision as the meeting read it; a body edit does
/// not.
#[test]
fn outcome_commit_is_not_a_newer_revision() {
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
        "2026-03-02T09:30:00Z",
        &["meet", "end", "1", "--outcome", "accepted"],
    );
    let listed = |at: &str| -> serde_json::Value {
        let out = ok(&repo, FAY, at, &["meetings", "1", "--json"]);
        serde_json::from_str(&out).expect("meetings JSON")
    };
    let ended = listed("2026-03-02T09:31:00Z");
    assert_eq!(ended[0]["outcome"]["outcome"], "accepted");
    assert_eq!(ended[0]["newer_revision"], false, "{ended:#}");
    let shown = ok(&repo, FAY, "2026-03-02T09:31:00Z", &["meet", "status", "1"]);
    assert!(!shown.contains("changed after"), "{shown}");

    // A hand edit of the status alone is still the same revision.
    let text = repo.read(MEMO_PATH);
    repo.write(
        MEMO_PATH,
        text.replace("status: accepted", "status: superseded"),
    );
    repo.git(&["commit", "-qam", "Supersede memo 0001"]);
    assert_eq!(listed("2026-03-02T09:32:00Z")[0]["newer_revision"], false);

    // An edit of the body is a newer revision.
    let text = repo.read(MEMO_PATH);
    repo.write(
        MEMO_PATH,
        text.replace("## Costs\n", "## Costs\n\nThe queue needs a second node.\n"),
    );
    repo.git(&["commit", "-qam", "Add a cost"]);
    assert_eq!(listed("2026-03-02T09:33:00Z")[0]["newer_revision"], true);
}
