//! `memo search` and `memo index`: ranking, snippets, output, freshness and rebuilds.

use crate::common::TestRepo;

pub fn memo(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\nstatus: draft\n---\n\n{body}\n")
}

/// Returns the hits of a `--json` search.
pub fn hits(repo: &TestRepo, query: &str) -> Vec<serde_json::Value> {
    let search = repo.memo(&["search", "--json", "--limit", "50", "--", query]);
    run_search(search, query).0
}

/// Runs a `memo search --json` command and returns its hits and standard error.
pub fn run_search(
    mut search: assert_cmd::Command,
    query: &str,
) -> (Vec<serde_json::Value>, String) {
    let output = search.output().expect("run memo");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "search {query:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (value.as_array().expect("array").clone(), stderr)
}

/// Returns the titles of the hits of a search, best first.
pub fn titles(repo: &TestRepo, query: &str) -> Vec<String> {
    hits(repo, query)
        .iter()
        .map(|h| h["title"].as_str().expect("title").to_owned())
        .collect()
}

/// Returns the parts of a search's coloured output that are marked as matches.
pub fn marked(repo: &TestRepo, query: &str) -> Vec<String> {
    let out = repo.memo_ok(&["--color", "always", "search", query]);
    let open = "\u{1b}[1m\u{1b}[31m";
    let mut found = Vec::new();
    let mut rest = out.as_str();
    while let Some(start) = rest.find(open) {
        rest = &rest[start + open.len()..];
        let end = rest.find("\u{1b}[0m").expect("closed mark");
        found.push(rest[..end].to_owned());
        rest = &rest[end..];
    }
    found
}

#[test]
fn search_finds_ranks_and_follows_changes() {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-queue.md",
        memo(
            "Event queue",
            "Move the nightly batch jobs to an event queue.",
        ),
    );
    repo.write(
        "memos/0002-cache.md",
        memo("Cache", "Cache the product pages for an hour."),
    );
    let hits = hits(&repo, "queue");
    assert_eq!(hits[0]["title"], "Event queue");
    assert_eq!(hits.len(), 1);
    for key in [
        "number", "uid", "title", "status", "template", "path", "created", "authors", "tags",
        "score", "snippet", "section",
    ] {
        assert!(hits[0].get(key).is_some(), "{key}");
    }

    // A changed memo is found by its new text and no longer by its old text.
    repo.write(
        "memos/0002-cache.md",
        memo("Cache", "Put a queue in front of the cache."),
    );
    assert_eq!(titles(&repo, "queue").len(), 2);
    repo.memo(&["search", "hour"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no memo matches"));

    // A deleted memo disappears.
    std::fs::remove_file(repo.path("memos/0001-queue.md")).expect("remove");
    assert_eq!(titles(&repo, "queue"), ["Cache"]);
}

#[test]
fn title_matches_rank_first() {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-a.md",
        memo(
            "Logging",
            "We decided on a queue for the logs, a queue for the metrics.",
        ),
    );
    repo.write("memos/0002-b.md", memo("Queue", "Which broker to use."));
    assert_eq!(titles(&repo, "queue")[0], "Queue");
}

#[test]
fn rewrite_of_the_same_size_is_seen() {
    // Two writes in quick succession can share a modification time; the size is the
    // same too. The index must still see the second.
    let repo = TestRepo::new();
    repo.write("memos/0001-a.md", memo("Colour", "The colour is amber."));
    assert_eq!(titles(&repo, "amber"), ["Colour"]);
    repo.write("memos/0001-a.md", memo("Colour", "The colour is ochre."));
    assert_eq!(titles(&repo, "ochre"), ["Colour"]);
    assert!(titles(&repo, "amber").is_empty());
}

#[test]
fn snippet_comes_from_the_matching_section() {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-a.md",
        memo(
            "Storage",
            "# Storage\n\n## Context\n\nThe disks are full.\n\n## Options\n\nWe could compress the archive or buy disks.\n",
        ),
    );
    let hits = hits(&repo, "compress");
    assert_eq!(hits[0]["section"], "Options");
    assert_eq!(
        hits[0]["snippet"],
        "We could compress the archive or buy disks."
    );
    let out = repo.memo_ok(&["search", "compress"]);
    assert!(out.contains("§ Options"), "{out}");
    assert!(out.contains("We could compress the archive"), "{out}");
    assert!(out.contains("memos/0001-a.md"), "{out}");
    assert_eq!(marked(&repo, "compress"), ["compress"]);
}

#[test]
fn section_field_prefers_the_named_section() {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-a.md",
        memo(
            "Storage",
            "## Context\n\nThe archive grows.\n\n## Drawbacks\n\nA compressed archive is slower to read.\n",
        ),
    );
    let hits = hits(&repo, "section:drawbacks archive");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["section"], "Drawbacks");
    assert!(titles(&repo, "section:alternatives archive").is_empty());
}

#[test]
fn human_output_without_colour_has_no_escapes() {
    let repo = TestRepo::new();
    repo.write("memos/0001-a.md", memo("Queue", "An event queue."));
    let out = repo.memo_ok(&["search", "queue"]);
    assert!(!out.contains('\u{1b}'), "{out:?}");
    let out = repo.memo_ok(&["--color", "never", "search", "queue"]);
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(out.starts_with("0001  Queue  draft"), "{out}");
}

#[test]
fn control_sequences_never_reach_the_terminal() {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-a.md",
        "---\ntitle: \"Evil \\e]0;owned\\a title\"\nstatus: draft\n---\n\nThe \u{1b}[2J queue \u{9b}31m text.\n",
    );
    let out = repo.memo_ok(&["--color", "always", "search", "queue"]);
    // Only the output's own colour codes (SGR sequences) may remain.
    let styles = regex::Regex::new("\u{1b}\\[[0-9;]*m").expect("regex");
    let plain = styles.replace_all(&out, "");
    assert!(!plain.contains('\u{1b}'), "{out:?}");
    assert!(!out.contains('\u{9b}'), "{out:?}");
    assert!(!out.contains('\u{7}'), "{out:?}");
    assert!(plain.contains("␛[2J"), "{plain:?}");
    let hits = hits(&repo, "queue");
    let snippet = hits[0]["snippet"].as_str().expect("snippet");
    assert!(
        !snippet.contains('\u{1b}') && !snippet.contains('\u{9b}'),
        "{snippet:?}"
    );
}

#[test]
fn limit_and_sort_order_hits() {
    let repo = TestRepo::new();
    for (n, created) in [
        (1, "2021-05-01"),
        (2, "2024-01-10"),
        (3, ""),
        (4, "2019-12-31"),
    ] {
        let date = if created.is_empty() {
            String::new()
        } else {
            format!("created: {created}T00:00:00Z\n")
        };
        repo.write(
            &format!("memos/000{n}-m.md"),
            format!("---\ntitle: Memo {n}\nstatus: draft\n{date}---\n\nAbout the queue.\n"),
        );
    }
    let newest: Vec<String> = hits(&repo, "queue")
        .iter()
        .map(|h| h["title"].as_str().expect("title").to_owned())
        .collect();
    assert_eq!(newest.len(), 4);
    let sorted = |order: &str| -> Vec<String> {
        let out = repo
            .memo(&["search", "queue", "--json", "--sort", order])
            .output()
            .expect("run");
        let hits: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        hits.as_array()
            .expect("array")
            .iter()
            .map(|h| h["title"].as_str().expect("title").to_owned())
            .collect()
    };
    assert_eq!(sorted("newest"), ["Memo 2", "Memo 1", "Memo 4", "Memo 3"]);
    assert_eq!(sorted("oldest"), ["Memo 4", "Memo 1", "Memo 2", "Memo 3"]);
    let out = repo
        .memo(&["search", "queue", "--json", "--limit", "2"])
        .output()
        .expect("run");
    let limited: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(limited.as_array().expect("array").len(), 2);
    repo.memo(&["search", "queue", "--sort", "sideways"])
        .assert()
        .code(2);
}

#[test]
fn broken_front_matter_is_found_by_its_body_with_a_warning() {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-broken.md",
        "---\ntitle: [unclosed\nstatus: draft\n---\n\nThe tapir migration plan.\n",
    );
    let output = repo.memo(&["search", "tapir"]).output().expect("run");
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("warning"), "{stderr}");
    assert!(stderr.contains("0001-broken.md"), "{stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("tapir"));
}

#[test]
fn undecodable_bytes_are_replaced_and_the_rest_is_found() {
    let repo = TestRepo::new();
    let mut bytes = b"---\ntitle: Latin-1\nstatus: draft\n---\n\nCaf\xe9 and the okapi.\n".to_vec();
    bytes.extend_from_slice(b"More text.\n");
    repo.write("memos/0001-latin.md", bytes);
    let output = repo.memo(&["search", "okapi"]).output().expect("run");
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("replaced"));
}

#[test]
fn attachments_are_searched_and_followed() {
    let repo = TestRepo::new();
    repo.write("memos/0001-a.md", memo("Storage", "See the notes."));
    repo.write(
        "memos/0001-a/notes/benchmarks.md",
        "# Results\n\nThe zebra layout wins.\n",
    );
    repo.write("memos/0001-a/figure.svg", "<svg>giraffe</svg>");
    let hits = hits(&repo, "zebra");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["section"], "notes/benchmarks.md › Results");
    assert!(titles(&repo, "giraffe").is_empty());

    repo.write(
        "memos/0001-a/notes/benchmarks.md",
        "# Results\n\nThe heron layout wins.\n",
    );
    assert_eq!(titles(&repo, "heron"), ["Storage"]);
    assert!(titles(&repo, "zebra").is_empty());
    assert_eq!(titles(&repo, "attachment:heron"), ["Storage"]);
}

#[test]
fn first_search_builds_the_index_quietly() {
    let repo = TestRepo::new();
    repo.write("memos/0001-a.md", memo("Queue", "An event queue."));
    let output = repo.memo(&["search", "queue"]).output().expect("run");
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn corrupt_index_is_rebuilt() {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-queue.md",
        memo("Event queue", "Move the jobs to an event queue."),
    );
    repo.memo_ok(&["index"]);
    std::fs::write(repo.path(".git/memo/index/meta.json"), "{ not json").expect("corrupt");
    let output = repo
        .memo(&["search", "queue", "--json"])
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("rebuilt the search index"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let hits: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(hits.as_array().expect("array").len(), 1);
}

/// Overwrites the middle of every document store file of the index, as a disk
/// error or a stray write would, and returns how many files it damaged.
pub fn damage_index_stores(repo: &TestRepo) -> usize {
    let mut damaged = 0;
    for entry in std::fs::read_dir(repo.path(".git/memo/index")).expect("index folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "store") {
            let mut bytes = std::fs::read(&path).expect("read store");
            let middle = bytes.len() / 4..bytes.len() / 2;
            bytes[middle].fill(b'A');
            std::fs::write(&path, bytes).expect("damage store");
            damaged += 1;
        }
    }
    damaged
}

fn repo_with_damaged_store() -> TestRepo {
    let repo = TestRepo::new();
    for i in 1..=30 {
        repo.write(
            &format!("memos/{i:04}-queue.md"),
            memo(
                &format!("Event queue {i}"),
                &"Move the nightly jobs to an event queue with retries. ".repeat(40),
            ),
        );
    }
    repo.memo_ok(&["index"]);
    assert!(damage_index_stores(&repo) > 0, "no store file to damage");
    repo
}

#[test]
fn damaged_store_is_rebuilt_by_search() {
    let repo = repo_with_damaged_store();
    let output = repo
        .memo(&["search", "queue", "--json", "--limit", "50"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stderr,
        "warning: rebuilt the search index because it could not be read\n"
    );
    let hits: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(hits.as_array().expect("array").len(), 30);
    let output = repo.memo(&["search", "queue"]).output().expect("run");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "rebuilt once");
}

/// Overwrites the middle half of every term dictionary of the index with bytes from a
/// fixed pseudo-random sequence (tantivy asserts, rather than errs, on some of them).
fn damage_term_dictionaries(repo: &TestRepo) -> usize {
    let mut state: u32 = 0x9E37_79B9;
    let mut damaged = 0;
    for entry in std::fs::read_dir(repo.path(".git/memo/index")).expect("index folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "term") {
            let mut bytes = std::fs::read(&path).expect("read terms");
            let middle = bytes.len() / 2..bytes.len() * 3 / 4;
            for byte in &mut bytes[middle] {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                *byte = state as u8;
            }
            std::fs::write(&path, bytes).expect("damage terms");
            damaged += 1;
        }
    }
    damaged
}

#[test]
fn damaged_term_dictionary_is_rebuilt_by_search() {
    let repo = TestRepo::new();
    for i in 1..=3 {
        repo.new_memo(&format!("Queue {i}"), &[]);
    }
    repo.memo_ok(&["index"]);
    assert!(
        damage_term_dictionaries(&repo) > 0,
        "no term file to damage"
    );
    for _ in 0..2 {
        let output = repo
            .memo(&["search", "queue", "--json"])
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        let hits: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        assert_eq!(hits.as_array().expect("array").len(), 3, "{stderr}");
    }
}

#[test]
fn damaged_store_is_rebuilt_by_index() {
    let repo = repo_with_damaged_store();
    let output = repo.memo(&["index"]).output().expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("rebuilt the search index because it could not be read"),
        "{stderr}"
    );
    assert!(stdout.contains("30 added"), "{stdout}");
    let output = repo.memo(&["index"]).output().expect("run");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert!(String::from_utf8_lossy(&output.stdout).contains("30 unchanged"));
}

#[test]
fn index_of_another_format_is_rebuilt() {
    let repo = TestRepo::new();
    repo.write("memos/0001-a.md", memo("Queue", "An event queue."));
    repo.memo_ok(&["index"]);
    std::fs::write(repo.path(".git/memo/index/memo-format"), "1\n").expect("write");
    let output = repo.memo(&["search", "queue"]).output().expect("run");
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("another version of memo"));
    let output = repo.memo(&["search", "queue"]).output().expect("run");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn lost_state_keeps_unchanged_memos_and_drops_deleted_ones() {
    let repo = TestRepo::new();
    repo.write("memos/0001-a.md", memo("Alpha", "The walrus plan."));
    repo.write("memos/0002-b.md", memo("Beta", "The walrus budget."));
    repo.memo_ok(&["index"]);
    std::fs::remove_file(repo.path(".git/memo/index/memo-state")).expect("remove state");
    std::fs::remove_file(repo.path("memos/0002-b.md")).expect("remove memo");

    let report = repo.memo_json(&["index", "--json"]);
    assert_eq!(report["removed"], 1, "{report}");
    assert_eq!(report["unchanged"], 1, "{report}");
    assert_eq!(report["added"], 0, "{report}");
    assert_eq!(titles(&repo, "walrus"), ["Alpha"]);
}

#[test]
fn damaged_state_is_treated_as_lost() {
    let repo = TestRepo::new();
    repo.write("memos/0001-a.md", memo("Alpha", "The walrus plan."));
    repo.write("memos/0002-b.md", memo("Beta", "The walrus budget."));
    repo.memo_ok(&["index"]);
    std::fs::write(repo.path(".git/memo/index/memo-state"), "garbage").expect("damage");
    std::fs::remove_file(repo.path("memos/0001-a.md")).expect("remove memo");
    assert_eq!(titles(&repo, "walrus"), ["Beta"]);
}

#[test]
fn index_reports_and_rebuilds() {
    let repo = TestRepo::new();
    repo.write("memos/0001-a.md", memo("Alpha", "One."));
    repo.write(
        "memos/0002-b.md",
        "---\ntitle: Beta\nstatus: accepted\n---\n\nTwo.\n",
    );
    let first = repo.memo_json(&["index", "--json"]);
    assert_eq!(first["added"], 2, "{first}");
    let again = repo.memo_json(&["index", "--json"]);
    assert_eq!(again["added"], 0, "{again}");
    assert_eq!(again["unchanged"], 2, "{again}");

    let rebuilt = repo.memo_json(&["index", "--rebuild", "--stats", "--json"]);
    assert_eq!(rebuilt["added"], 2, "{rebuilt}");
    assert_eq!(rebuilt["rebuilt"], true, "{rebuilt}");
    assert_eq!(rebuilt["stats"]["memos"], 2, "{rebuilt}");
    assert_eq!(rebuilt["stats"]["statuses"]["accepted"], 1, "{rebuilt}");
    assert_eq!(rebuilt["stats"]["statuses"]["draft"], 1, "{rebuilt}");

    let out = repo.memo_ok(&["index", "--stats"]);
    assert!(out.contains("Memos: 2"), "{out}");
    assert!(out.contains("accepted: 1"), "{out}");
    assert!(out.contains("Size on disk"), "{out}");
}

#[test]
fn comments_are_searched_and_followed() {
    let repo = TestRepo::new();
    repo.new_memo("Storage plan", &[]);
    repo.new_memo("Cache plan", &[]);
    assert!(titles(&repo, "okapi").is_empty());

    let thread = repo.memo_ok(&[
        "comment",
        "add",
        "1",
        "-m",
        "The okapi budget is too small.",
    ]);
    let hits = hits(&repo, "okapi");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["title"], "Storage plan");
    assert_eq!(hits[0]["section"], "comments");
    assert!(
        hits[0]["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("okapi budget")),
        "{}",
        hits[0]
    );
    assert_eq!(titles(&repo, "comment:okapi"), ["Storage plan"]);
    assert!(titles(&repo, "title:okapi").is_empty());

    // A reply moves the log's head, so the memo is indexed again with it.
    repo.memo_ok(&[
        "comment",
        "reply",
        thread.trim(),
        "-m",
        "Ask the tapir team.",
    ]);
    assert_eq!(titles(&repo, "tapir"), ["Storage plan"]);
    let report = repo.memo_json(&["index", "--json"]);
    assert_eq!(report["updated"], 0, "{report}");
}

#[test]
fn settled_changes_are_recorded_once() {
    let repo = TestRepo::new();
    repo.new_memo("Storage plan", &[]);
    let thread = repo.memo_ok(&[
        "comment",
        "add",
        "1",
        "-m",
        "The okapi budget is too small.",
    ]);
    repo.memo_ok(&["index"]);
    let memo = std::fs::read_dir(repo.path("memos"))
        .expect("memo folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("a memo file");
    // Everything written so far is within the two seconds in which a stat is not
    // trusted; once they pass, one search records it as settled, and no later one has
    // to.
    std::thread::sleep(std::time::Duration::from_millis(2200));
    let debug_search = |query: &str| {
        let output = repo
            .memo(&["-v", "search", query])
            .output()
            .expect("run memo");
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let first = debug_search("okapi");
    assert!(first.contains("wrote the index state again"), "{first}");
    let second = debug_search("okapi");
    assert!(!second.contains("wrote the index state again"), "{second}");

    // A touch changes the stat but not the content: recorded once, not indexed.
    let file = std::fs::File::options()
        .append(true)
        .open(&memo)
        .expect("open the memo");
    file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(60))
        .expect("touch");
    let touched = debug_search("okapi");
    assert!(touched.contains("wrote the index state again"), "{touched}");
    assert!(!debug_search("okapi").contains("wrote the index state again"));

    // The comment log's head is now taken from the state; a reply still moves it.
    repo.memo_ok(&[
        "comment",
        "reply",
        thread.trim(),
        "-m",
        "Ask the tapir team.",
    ]);
    assert_eq!(titles(&repo, "tapir"), ["Storage plan"]);
}

#[test]
fn empty_fields_show_empty_and_rank_alike() {
    // Memos without tags or authors print empty lists.
    let repo = TestRepo::new();
    repo.write("memos/0001-plain.md", memo("Plain", "alpha"));
    let found = hits(&repo, "alpha");
    assert_eq!(found[0]["tags"], serde_json::json!([]));
    assert_eq!(found[0]["authors"], serde_json::json!([]));

    // Twenty memos with an empty body score the others as twenty bodies without a
    // word do.
    let scores = |filler_body: &str| {
        let repo = TestRepo::new();
        repo.write("memos/0001-short.md", memo("Short", "alpha"));
        let long = "alpha alpha alpha alpha alpha alpha alpha alpha one two";
        repo.write("memos/0002-long.md", memo("Long", long));
        for i in 3..=22 {
            repo.write(
                &format!("memos/{i:04}-filler.md"),
                memo("Filler", filler_body),
            );
        }
        hits(&repo, "alpha")
            .iter()
            .map(|h| (h["title"].to_string(), h["score"].to_string()))
            .collect::<Vec<_>>()
    };
    let empty = scores("");
    assert_eq!(empty.len(), 2);
    assert_eq!(empty, scores("!!!"));
}

#[test]
fn skipped_files_count_as_neither_added_nor_unchanged() {
    let repo = TestRepo::new();
    repo.write("memos/0001-plain.md", memo("Plain", "alpha"));
    repo.write("memos/0002-empty.md", "");
    repo.write(
        "memos/0003-binary.md",
        b"---\ntitle: B\n---\n\0\0\0".as_slice(),
    );
    let first = repo.memo_ok(&["index"]);
    assert!(
        first.contains(": 1 added, 0 updated, 0 removed, 0 unchanged"),
        "{first}"
    );
    let second = repo.memo_ok(&["index"]);
    assert!(
        second.contains(": 0 added, 0 updated, 0 removed, 1 unchanged"),
        "{second}"
    );
}
