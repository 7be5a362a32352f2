//! `memo search`: ranking, freshness and exit codes.

use crate::common::TestRepo;

fn memo(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\nstatus: draft\n---\n\n{body}\n")
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
    let hits = repo.memo_json(&["search", "queue", "--json"]);
    assert_eq!(hits[0]["title"], "Event queue");
    assert_eq!(hits.as_array().expect("array").len(), 1);
    for key in [
        "number", "uid", "title", "status", "template", "path", "created", "authors", "tags",
        "score", "snippet",
    ] {
        assert!(hits[0].get(key).is_some(), "{key}");
    }

    // A changed memo is found by its new text and no longer by its old text.
    repo.write(
        "memos/0002-cache.md",
        memo("Cache", "Put a queue in front of the cache."),
    );
    let hits = repo.memo_json(&["search", "queue", "--json"]);
    assert_eq!(hits.as_array().expect("array").len(), 2);
    repo.memo(&["search", "hour"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no memo matches"));

    // A deleted memo disappears.
    std::fs::remove_file(repo.path("memos/0001-queue.md")).expect("remove");
    let hits = repo.memo_json(&["search", "queue", "--json"]);
    assert_eq!(hits.as_array().expect("array").len(), 1);
}

#[test]
fn corrupt_index_is_rebuilt() {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-queue.md",
        memo("Event queue", "Move the jobs to an event queue."),
    );
    repo.memo_ok(&["index"]);
    let index = repo.path(".git/memo/index");
    for entry in std::fs::read_dir(&index).expect("index folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json")
            && path.file_name().is_some_and(|n| n == "meta.json")
        {
            std::fs::write(&path, "{ not json").expect("corrupt");
        }
    }
    let output = repo
        .memo(&["search", "queue", "--json"])
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("rebuilt the search index"));
    let hits: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(hits.as_array().expect("array").len(), 1);
}

#[test]
fn invalid_query_is_exit_two() {
    let repo = TestRepo::new();
    repo.write("memos/0001-queue.md", memo("Event queue", "Body."));
    repo.memo(&["search", "title:(unclosed"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("invalid query"));
}
