//! A meeting from start to outcome in one repository, two meetings on one memo, and
//! the default read length.

use serde_json::Value;

use super::{FAY, LENA, MEMO_PATH, RUI, UID, memo_as, ok, participant, repo_with_memo, status};

#[test]
fn meeting_runs_from_start_to_outcome() {
    let repo = repo_with_memo();
    let started = ok(
        &repo,
        FAY,
        "2026-03-02T09:00:00Z",
        &["meet", "start", "1", "--minutes", "20"],
    );
    assert!(started.contains("silent read of 20 min"), "{started}");
    assert!(started.contains("not a terminal"), "{started}");

    let first = status(&repo, "2026-03-02T09:00:00Z");
    assert_eq!(first["phase"], "reading");
    assert_eq!(first["read_seconds"], 1200);
    assert_eq!(first["time_left_seconds"], 1200);
    assert_eq!(first["deadline"], "2026-03-02T09:20:00Z");
    assert_eq!(first["memo"]["uid"], UID);
    assert_eq!(
        first["revision"]["commit"].as_str(),
        Some(repo.git(&["rev-parse", "HEAD"]).trim())
    );
    assert_eq!(
        first["revision"]["blob"].as_str(),
        Some(
            repo.git(&["rev-parse", &format!("HEAD:{MEMO_PATH}")])
                .trim()
        )
    );
    assert_eq!(participant(&first, FAY.email)["role"], "facilitator");

    // Two readers join, comment and finish.
    let joined = ok(
        &repo,
        RUI,
        "2026-03-02T09:01:00Z",
        &["meet", "join", "1", "--no-tui"],
    );
    assert!(joined.contains("19:00 left"), "{joined}");
    let rejoined = ok(
        &repo,
        RUI,
        "2026-03-02T09:02:00Z",
        &["meet", "join", "1", "--no-tui"],
    );
    assert!(rejoined.starts_with("Rejoined"), "{rejoined}");
    ok(
        &repo,
        LENA,
        "2026-03-02T09:01:30Z",
        &["meet", "join", "1", "--no-tui"],
    );
    let thread = ok(
        &repo,
        RUI,
        "2026-03-02T09:06:00Z",
        &[
            "comment",
            "add",
            "1",
            "--section",
            "Costs",
            "-m",
            "Who pays for the queue?",
        ],
    );
    let thread = thread.trim();
    ok(
        &repo,
        LENA,
        "2026-03-02T09:07:00Z",
        &[
            "comment",
            "add",
            "1",
            "--section",
            "Options",
            "-m",
            "A third option is missing.",
        ],
    );
    ok(&repo, RUI, "2026-03-02T09:15:00Z", &["meet", "done", "1"]);
    let again = ok(&repo, RUI, "2026-03-02T09:16:00Z", &["meet", "done", "1"]);
    assert!(again.contains("nothing changed"), "{again}");

    let reading = status(&repo, "2026-03-02T09:16:00Z");
    assert_eq!(reading["time_left_seconds"], 240);
    assert_eq!(reading["comments"], 2);
    assert_eq!(reading["threads_opened"], 2);
    let rui = participant(&reading, RUI.email);
    assert_eq!(rui["done"], true);
    assert_eq!(rui["done_at"], "2026-03-02T09:15:00Z");
    assert_eq!(rui["percent"], 100);
    assert_eq!(
        rui["section"],
        serde_json::json!(["Queue the nightly jobs", "Open questions"])
    );
    assert_eq!(rui["comments"], 1);
    assert_eq!(participant(&reading, LENA.email)["done"], false);
    let names: Vec<&str> = reading["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .map(|p| p["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, [FAY.name, RUI.name, LENA.name], "join order");

    // Time runs out; the facilitator moves to discussion and the thread is resolved.
    let over = status(&repo, "2026-03-02T09:21:00Z");
    assert_eq!(over["time_up"], true);
    assert_eq!(over["time_left_seconds"], 0);
    assert_eq!(
        over["phase"], "reading",
        "reading goes on until the facilitator moves"
    );
    let text = ok(&repo, FAY, "2026-03-02T09:21:00Z", &["meet", "status", "1"]);
    assert!(text.contains("time is up"), "{text}");
    let moved = ok(
        &repo,
        FAY,
        "2026-03-02T09:22:00Z",
        &["meet", "discuss", "1"],
    );
    assert!(moved.contains("in discussion"), "{moved}");
    ok(
        &repo,
        RUI,
        "2026-03-02T09:25:00Z",
        &["comment", "reply", thread, "-m", "Platform pays."],
    );
    ok(
        &repo,
        FAY,
        "2026-03-02T09:26:00Z",
        &["comment", "resolve", thread],
    );
    let discussing = status(&repo, "2026-03-02T09:27:00Z");
    assert_eq!(discussing["phase"], "discussion");
    assert_eq!(discussing["time_left_seconds"], Value::Null);
    assert_eq!(discussing["read_taken_seconds"], 22 * 60);
    assert_eq!(discussing["threads_resolved"], 1);

    // The outcome: front matter and one commit that touches only the memo.
    let head_before = repo.git(&["rev-parse", "HEAD"]);
    let ended = ok(
        &repo,
        FAY,
        "2026-03-02T09:40:00Z",
        &[
            "meet",
            "end",
            "1",
            "--outcome",
            "accepted",
            "--rationale",
            "The queue pays for itself in a quarter.",
        ],
    );
    assert!(ended.contains("is now accepted"), "{ended}");
    let text = repo.read(MEMO_PATH);
    let meeting_id = discussing["id"].as_str().expect("id");
    assert!(text.contains("status: accepted\n"), "{text}");
    assert!(text.contains("decided: 2026-03-02T09:40:00Z\n"), "{text}");
    assert!(
        text.contains("deciders:\n- Fay Ortiz <fay@example.com>\n- Rui Costa <rui@example.com>\n- Lena Brandt <lena@example.com>\n"),
        "{text}"
    );
    assert!(text.contains(&format!("meeting: {meeting_id}\n")), "{text}");
    assert_eq!(
        text.replace("status: accepted", "status: review")
            .replace(
                &format!("decided: 2026-03-02T09:40:00Z\ndeciders:\n- Fay Ortiz <fay@example.com>\n- Rui Costa <rui@example.com>\n- Lena Brandt <lena@example.com>\nmeeting: {meeting_id}\n"),
                ""
            ),
        super::memo_text(),
        "only those keys changed"
    );
    assert_eq!(
        repo.git(&["rev-parse", "HEAD~1"]),
        head_before,
        "one commit on top"
    );
    assert_eq!(
        repo.git(&["show", "--name-only", "--format=%s", "HEAD"]),
        format!("Record meeting outcome of memo 0001: accepted\n\n{MEMO_PATH}\n")
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");

    let last = status(&repo, "2026-03-02T10:00:00Z");
    assert_eq!(last["phase"], "ended");
    assert_eq!(last["outcome"]["outcome"], "accepted");
    assert_eq!(
        last["outcome"]["rationale"],
        "The queue pays for itself in a quarter."
    );
    assert_eq!(
        last["outcome"]["commit"].as_str(),
        Some(repo.git(&["rev-parse", "HEAD"]).trim())
    );

    // The record and the minutes.
    let listed: Value = serde_json::from_str(&ok(
        &repo,
        FAY,
        "2026-03-02T10:00:00Z",
        &["meetings", "--json"],
    ))
    .expect("json");
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["memo"]["number"], 1);
    assert_eq!(listed[0]["comments"], 3);
    let row = ok(&repo, FAY, "2026-03-02T10:00:00Z", &["meetings"]);
    assert!(row.contains("accepted"), "{row}");
    assert!(row.contains("read 22 min of 20 min"), "{row}");
    assert!(row.contains("Fay Ortiz, Rui Costa, Lena Brandt"), "{row}");

    let minutes = ok(
        &repo,
        FAY,
        "2026-03-02T10:00:00Z",
        &["meetings", "1", "--minutes"],
    );
    assert!(
        minutes.starts_with("# Minutes: 0001 Queue the nightly jobs\n"),
        "{minutes}"
    );
    assert!(
        minutes.contains("| Rui Costa <rui@example.com> | reader |"),
        "{minutes}"
    );
    assert!(minutes.contains("On section Costs"), "{minutes}");
    assert!(minutes.contains("Who pays for the queue?"), "{minutes}");
    assert!(
        minutes.contains("- **Rui Costa**, 09:25: Platform pays."),
        "{minutes}"
    );
    assert!(
        minutes.contains("Resolved by Fay Ortiz at 09:26."),
        "{minutes}"
    );
    assert!(minutes.contains("A third option is missing."), "{minutes}");
    assert!(minutes.contains("Left open."), "{minutes}");
    assert!(
        minutes.contains("**Accepted.** The queue pays for itself in a quarter."),
        "{minutes}"
    );
    let costs = minutes.find("Who pays").expect("costs thread");
    let options = minutes.find("A third option").expect("options thread");
    assert!(options < costs, "threads in document order:\n{minutes}");
}

#[test]
fn two_meetings_on_one_memo() {
    let repo = repo_with_memo();
    ok(
        &repo,
        FAY,
        "2026-03-02T09:00:00Z",
        &["meet", "start", "1", "--no-tui"],
    );
    memo_as(
        &repo,
        RUI,
        "2026-03-02T09:01:00Z",
        &["meet", "start", "1", "--no-tui"],
    )
    .assert()
    .code(2)
    .stderr(predicates::str::contains("already running"));
    ok(
        &repo,
        FAY,
        "2026-03-02T09:30:00Z",
        &[
            "meet",
            "end",
            "1",
            "--outcome",
            "needs-work",
            "--rationale",
            "Add the cost figures.",
        ],
    );
    let text = repo.read(MEMO_PATH);
    assert!(text.contains("status: draft\n"), "{text}");
    assert!(
        !text.contains("decided:"),
        "needs-work decides nothing: {text}"
    );
    let first = status(&repo, "2026-03-02T09:31:00Z");

    // The memo is reworked, and a second meeting decides it.
    repo.write(
        MEMO_PATH,
        text.replace(
            "## Costs\n",
            "## Costs\n\nThe queue costs 400 EUR a month.\n",
        ),
    );
    repo.git(&["commit", "-qam", "Add the cost figures"]);
    ok(
        &repo,
        FAY,
        "2026-03-09T09:00:00Z",
        &["meet", "start", "1", "--no-tui", "--minutes", "10"],
    );
    let second = status(&repo, "2026-03-09T09:01:00Z");
    assert_ne!(first["id"], second["id"]);
    assert_eq!(second["phase"], "reading");
    assert_ne!(first["revision"]["blob"], second["revision"]["blob"]);
    ok(
        &repo,
        FAY,
        "2026-03-09T09:30:00Z",
        &["meet", "end", "1", "--outcome", "accepted"],
    );
    let text = repo.read(MEMO_PATH);
    assert!(
        text.contains(&format!(
            "meeting: {}\n",
            second["id"].as_str().expect("id")
        )),
        "{text}"
    );
    assert!(text.contains("status: accepted\n"), "{text}");

    let listed: Value = serde_json::from_str(&ok(
        &repo,
        FAY,
        "2026-03-09T10:00:00Z",
        &["meetings", "1", "--json"],
    ))
    .expect("json");
    let outcomes: Vec<&str> = listed
        .as_array()
        .expect("array")
        .iter()
        .map(|m| m["outcome"]["outcome"].as_str().expect("outcome"))
        .collect();
    assert_eq!(outcomes, ["needs-work", "accepted"]);

    // The first meeting's minutes, by id prefix.
    let prefix = &first["id"].as_str().expect("id")[..8];
    let minutes = ok(
        &repo,
        FAY,
        "2026-03-09T10:00:00Z",
        &["meetings", "1", "--minutes", "--meeting", prefix],
    );
    assert!(
        minutes.contains("**Needs-work.** Add the cost figures."),
        "{minutes}"
    );
    let shown = ok(
        &repo,
        FAY,
        "2026-03-09T10:00:00Z",
        &["meet", "status", "1", "--meeting", prefix],
    );
    assert!(shown.contains("needs-work"), "{shown}");
}

#[test]
fn default_read_length_follows_reading_time() {
    let repo = repo_with_memo();
    // About 1,500 words at 200 words a minute: 8 minutes.
    ok(
        &repo,
        FAY,
        "2026-03-02T09:00:00Z",
        &["meet", "start", "1", "--no-tui"],
    );
    assert_eq!(
        status(&repo, "2026-03-02T09:00:00Z")["read_seconds"],
        8 * 60
    );
    ok(
        &repo,
        FAY,
        "2026-03-02T09:10:00Z",
        &["meet", "end", "1", "--outcome", "deferred"],
    );

    // A slower reading speed, capped by the configured maximum.
    let config = repo
        .read(".memo/config.toml")
        .replace("words_per_minute = 200", "words_per_minute = 20");
    repo.write(
        ".memo/config.toml",
        format!("{config}\n[meeting]\nmax_read_minutes = 45\n"),
    );
    ok(
        &repo,
        FAY,
        "2026-03-03T09:00:00Z",
        &["meet", "start", "1", "--no-tui"],
    );
    assert_eq!(
        status(&repo, "2026-03-03T09:00:00Z")["read_seconds"],
        45 * 60
    );
}

#[test]
fn facilitator_extends_the_read() {
    let repo = repo_with_memo();
    ok(
        &repo,
        FAY,
        "2026-03-02T09:00:00Z",
        &["meet", "start", "1", "--minutes", "10", "--no-tui"],
    );
    ok(
        &repo,
        FAY,
        "2026-03-02T09:05:00Z",
        &["meet", "extend", "1", "--minutes", "5"],
    );
    assert_eq!(
        status(&repo, "2026-03-02T09:05:00Z")["deadline"],
        "2026-03-02T09:15:00Z"
    );
    // Past the deadline, the minutes count from now.
    let out = ok(
        &repo,
        FAY,
        "2026-03-02T09:20:00Z",
        &["meet", "extend", "1", "--minutes", "3"],
    );
    assert!(out.contains("09:23"), "{out}");
    let extended = status(&repo, "2026-03-02T09:20:00Z");
    assert_eq!(extended["time_left_seconds"], 180);
    assert_eq!(extended["planned_read_seconds"], 600);

    memo_as(
        &repo,
        RUI,
        "2026-03-02T09:21:00Z",
        &["meet", "extend", "1", "--minutes", "3"],
    )
    .assert()
    .code(2)
    .stderr(predicates::str::contains("only the facilitator, Fay Ortiz"));
    ok(
        &repo,
        RUI,
        "2026-03-02T09:21:00Z",
        &["meet", "discuss", "1", "--force"],
    );
    let forced = status(&repo, "2026-03-02T09:22:00Z");
    assert_eq!(forced["phase"], "discussion");
    memo_as(
        &repo,
        FAY,
        "2026-03-02T09:22:00Z",
        &["meet", "extend", "1", "--minutes", "3"],
    )
    .assert()
    .code(2)
    .stderr(predicates::str::contains("in discussion"));
}
