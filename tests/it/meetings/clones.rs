//! A meeting across machines: a bare remote and three clones (the facilitator and two
//! readers), each with its own clock, exchanging events through `memo sync`.

use serde_json::Value;
use tempfile::TempDir;

use super::{FAY, LENA, MEMO_PATH, Person, RUI, memo_as, memo_text, ok, participant};
use crate::common::TestRepo;

struct Team {
    remote: TempDir,
}

impl Team {
    /// A bare remote holding the memo.
    fn new() -> Team {
        let team = Team {
            remote: tempfile::tempdir().expect("remote folder"),
        };
        let seed = TestRepo::new();
        seed.write(MEMO_PATH, memo_text());
        seed.git(&["add", MEMO_PATH]);
        seed.git(&["commit", "-qm", "Add memo 0001"]);
        seed.git(&["init", "-q", "--bare", "-b", "main", team.url()]);
        seed.git(&["remote", "add", "origin", team.url()]);
        seed.git(&["push", "-q", "origin", "main"]);
        team
    }

    fn url(&self) -> &str {
        self.remote.path().to_str().expect("utf-8 path")
    }

    fn clone(&self, who: Person) -> TestRepo {
        let clone = TestRepo::empty();
        clone.git(&["clone", "-q", self.url(), "."]);
        clone.set_identity(who.name, who.email);
        clone
    }
}

/// Returns `memo meet status 1 --json` in a clone at `at`.
fn status_in(repo: &TestRepo, who: Person, at: &str) -> Value {
    serde_json::from_str(&ok(repo, who, at, &["meet", "status", "1", "--json"])).expect("json")
}

#[test]
fn facilitator_and_two_readers_on_three_clones() {
    let team = Team::new();
    let fay = team.clone(FAY);
    let rui = team.clone(RUI);
    let lena = team.clone(LENA);

    // Fay's clock is right; Rui's runs two minutes slow, Lena's three minutes fast.
    ok(
        &fay,
        FAY,
        "2026-03-02T09:00:00Z",
        &["meet", "start", "1", "--minutes", "20", "--no-tui"],
    );
    ok(&fay, FAY, "2026-03-02T09:00:10Z", &["sync"]);

    ok(&rui, RUI, "2026-03-02T08:59:00Z", &["sync"]);
    let joined = ok(
        &rui,
        RUI,
        "2026-03-02T08:59:10Z",
        &["meet", "join", "1", "--no-tui"],
    );
    assert!(joined.contains("left (until 09:20)"), "{joined}");
    ok(&rui, RUI, "2026-03-02T08:59:20Z", &["sync"]);

    ok(&lena, LENA, "2026-03-02T09:04:00Z", &["sync"]);
    ok(
        &lena,
        LENA,
        "2026-03-02T09:04:10Z",
        &["meet", "join", "1", "--no-tui"],
    );
    let lena_thread = ok(
        &lena,
        LENA,
        "2026-03-02T09:08:00Z",
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
    ok(&lena, LENA, "2026-03-02T09:15:00Z", &["meet", "done", "1"]);
    ok(&lena, LENA, "2026-03-02T09:15:10Z", &["sync"]);

    ok(
        &rui,
        RUI,
        "2026-03-02T09:06:00Z",
        &[
            "comment",
            "add",
            "1",
            "--section",
            "Costs",
            "-m",
            "Who pays?",
        ],
    );
    ok(&rui, RUI, "2026-03-02T09:10:00Z", &["meet", "done", "1"]);
    ok(&rui, RUI, "2026-03-02T09:10:10Z", &["sync"]);

    // The facilitator sees both readers' progress and comments.
    ok(&fay, FAY, "2026-03-02T09:12:30Z", &["sync"]);
    let seen = status_in(&fay, FAY, "2026-03-02T09:12:30Z");
    assert_eq!(seen["participants"].as_array().map(Vec::len), Some(3));
    assert_eq!(seen["comments"], 2);
    assert_eq!(seen["time_left_seconds"], 450);
    for reader in [RUI, LENA] {
        let progress = participant(&seen, reader.email);
        assert_eq!(progress["done"], true, "{}", reader.name);
        assert_eq!(progress["percent"], 100);
    }

    // Every clone folds the same events into the same meeting.
    ok(&rui, RUI, "2026-03-02T09:13:00Z", &["sync"]);
    ok(&lena, LENA, "2026-03-02T09:13:00Z", &["sync"]);
    let at = "2026-03-02T09:13:00Z";
    let views = [
        status_in(&fay, FAY, at),
        status_in(&rui, RUI, at),
        status_in(&lena, LENA, at),
    ];
    assert_eq!(views[0], views[1], "facilitator and Rui");
    assert_eq!(views[0], views[2], "facilitator and Lena");
    assert_eq!(views[0]["deadline"], "2026-03-02T09:20:00Z");

    // Discussion: the facilitator moves on, a reader follows through sync.
    ok(&fay, FAY, "2026-03-02T09:21:00Z", &["meet", "discuss", "1"]);
    ok(&fay, FAY, "2026-03-02T09:21:05Z", &["sync"]);
    ok(&rui, RUI, "2026-03-02T09:19:30Z", &["sync"]);
    assert_eq!(
        status_in(&rui, RUI, "2026-03-02T09:19:30Z")["phase"],
        "discussion"
    );
    ok(
        &rui,
        RUI,
        "2026-03-02T09:20:00Z",
        &["comment", "resolve", lena_thread.trim()],
    );
    ok(&rui, RUI, "2026-03-02T09:20:05Z", &["sync"]);

    // The outcome reaches every clone: the event through the log, the front matter
    // through the branch.
    ok(&fay, FAY, "2026-03-02T09:30:00Z", &["sync"]);
    ok(
        &fay,
        FAY,
        "2026-03-02T09:30:10Z",
        &[
            "meet",
            "end",
            "1",
            "--outcome",
            "accepted",
            "--rationale",
            "Cheaper than the overruns.",
        ],
    );
    ok(&fay, FAY, "2026-03-02T09:30:20Z", &["sync"]);
    for (repo, who) in [(&rui, RUI), (&lena, LENA)] {
        ok(repo, who, "2026-03-02T09:31:00Z", &["sync"]);
        let ended = status_in(repo, who, "2026-03-02T09:31:00Z");
        assert_eq!(ended["phase"], "ended", "{}", who.name);
        assert_eq!(ended["outcome"]["outcome"], "accepted");
        assert_eq!(ended["threads_resolved"], 1);
        let text = repo.read(MEMO_PATH);
        assert!(text.contains("status: accepted\n"), "{}: {text}", who.name);
        assert_eq!(repo.git(&["status", "--porcelain"]), "", "{}", who.name);
    }
    let minutes = ok(
        &lena,
        LENA,
        "2026-03-02T09:32:00Z",
        &["meetings", "1", "--minutes"],
    );
    assert!(minutes.contains("Resolved by Rui Costa"), "{minutes}");
    assert!(
        minutes.contains("**Accepted.** Cheaper than the overruns."),
        "{minutes}"
    );
}

/// Two clones each start a meeting before syncing. After the sync both run, and
/// commands act on the one started first (by recorded start, then id), whichever of
/// the two the log holds first.
#[test]
fn concurrent_meetings_act_on_the_one_started_first() {
    let orders = [
        ("2026-03-02T09:00:00Z", "2026-03-02T09:05:00Z"),
        ("2026-03-02T09:05:00Z", "2026-03-02T09:00:00Z"),
    ];
    for (fay_start, rui_start) in orders {
        let team = Team::new();
        let fay = team.clone(FAY);
        let rui = team.clone(RUI);
        let start = ["meet", "start", "1", "--minutes", "20", "--no-tui"];
        ok(&fay, FAY, fay_start, &start);
        ok(&rui, RUI, rui_start, &start);
        ok(&fay, FAY, "2026-03-02T09:06:00Z", &["sync"]);
        ok(&rui, RUI, "2026-03-02T09:06:10Z", &["sync"]);
        ok(&fay, FAY, "2026-03-02T09:06:20Z", &["sync"]);
        let first = if fay_start < rui_start { FAY } else { RUI };

        for (clone, who) in [(&fay, FAY), (&rui, RUI)] {
            let seen = status_in(clone, who, "2026-03-02T09:07:00Z");
            assert_eq!(seen["start"], "2026-03-02T09:00:00Z", "{seen:#}");
            let facilitator = seen["facilitator"].as_str().expect("facilitator");
            assert!(facilitator.contains(first.email), "{facilitator}");

            let output = memo_as(clone, LENA, "2026-03-02T09:08:00Z", &["meet", "done", "1"])
                .output()
                .expect("run memo");
            assert!(output.status.success());
            let warning = String::from_utf8_lossy(&output.stderr);
            let id = seen["id"].as_str().expect("id");
            assert!(warning.contains("the one started first"), "{warning}");
            assert!(warning.contains(&id[..8]), "{warning}");
        }
    }
}
