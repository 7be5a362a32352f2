//! Concurrency of the search index: readers never block, a busy writer delays others
//! a bounded time, and a killed writer leaves nothing to clean up.

use std::fs::File;
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin;

use crate::common::TestRepo;
use crate::search::{memo, titles};

fn lock_path(repo: &TestRepo) -> std::path::PathBuf {
    repo.path(".git/memo/search-index.lock")
}

/// Returns a repository whose index contains one memo about walruses while a second
/// one waits to be indexed, and the update lock, held by this process.
fn pending_change_and_held_lock() -> (TestRepo, File) {
    let repo = TestRepo::new();
    repo.write("memos/0001-a.md", memo("Alpha", "The walrus plan."));
    repo.memo_ok(&["index"]);
    repo.write("memos/0002-b.md", memo("Beta", "The walrus budget."));
    let lock = File::options()
        .read(true)
        .write(true)
        .open(lock_path(&repo))
        .expect("open the lock file");
    lock.lock().expect("take the lock");
    (repo, lock)
}

#[test]
fn an_open_reader_never_blocks_commands() {
    use memo::search::{NoThreads, SearchIndex, Sort, UpdateOptions};

    let repo = TestRepo::new();
    repo.write("memos/0001-a.md", memo("Alpha", "The walrus plan."));
    let store = memo::store::Repo::discover(repo.root()).expect("repository");
    let mut warn = |_: &str| {};
    let mut options = UpdateOptions {
        threads: &NoThreads,
        wait: Duration::from_secs(1),
        rebuild: false,
        warn: &mut warn,
        progress: None,
    };
    // This process keeps the index open, as the terminal UI does.
    let (index, _) = SearchIndex::open_updated(&store, &mut options).expect("open");
    let query = memo::search::compile_query("walrus").expect("query");
    assert_eq!(
        index
            .search(&query, 10, Sort::Relevance, &NoThreads)
            .expect("search")
            .len(),
        1
    );

    repo.write("memos/0002-b.md", memo("Beta", "The walrus budget."));
    assert_eq!(titles(&repo, "walrus").len(), 2);
    repo.memo_ok(&["index", "--rebuild"]);
    std::fs::remove_file(repo.path("memos/0001-a.md")).expect("remove");
    assert_eq!(titles(&repo, "walrus"), ["Beta"]);

    // The reader still returns results from the snapshot it opened.
    let hits = index
        .search(&query, 10, Sort::Relevance, &NoThreads)
        .expect("search an old snapshot");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title, "Alpha");
}

#[test]
fn a_held_update_lock_gives_stale_results_not_failures() {
    let (repo, lock) = pending_change_and_held_lock();
    let started = Instant::now();
    let output = repo
        .memo(&["search", "walrus", "--json"])
        .env("MEMO_INDEX_WAIT_MS", "300")
        .output()
        .expect("run memo");
    assert!(output.status.success());
    assert!(started.elapsed() < Duration::from_secs(4));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is updating the search index"), "{stderr}");
    assert!(stderr.contains("may miss"), "{stderr}");
    let hits: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(hits.as_array().expect("array").len(), 1);

    // `memo index` exists to update, so it fails instead, saying why.
    let output = repo
        .memo(&["index"])
        .env("MEMO_INDEX_WAIT_MS", "300")
        .output()
        .expect("run memo");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("try again"));

    drop(lock);
    assert_eq!(titles(&repo, "walrus").len(), 2);
}

#[test]
fn a_briefly_held_lock_is_waited_for() {
    let (repo, lock) = pending_change_and_held_lock();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(400));
        drop(lock);
    });
    let output = repo
        .memo(&["search", "walrus", "--json"])
        .output()
        .expect("run memo");
    holder.join().expect("holder");
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    let hits: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(hits.as_array().expect("array").len(), 2);
}

#[test]
fn the_lock_of_a_killed_process_needs_no_cleanup() {
    let repo = TestRepo::new();
    let paragraph = "The migration moves every nightly batch job to the event queue, \
                     one team at a time, with a rollback plan for each step. "
        .repeat(40);
    let count = 1500;
    for i in 1..=count {
        repo.write(
            &format!("memos/{i:04}-m.md"),
            memo(
                &format!("Memo {i}"),
                &format!("## Plan\n\n{paragraph}\n\nMarker{i}.\n"),
            ),
        );
    }
    repo.memo_ok(&["index"]);

    let mut command = std::process::Command::new(cargo_bin("memo"));
    repo.isolate(&mut command);
    let mut child = command
        .args(["index", "--rebuild"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start a rebuild");

    // Kill the rebuild while it holds the update lock.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen_locked = false;
    while Instant::now() < deadline {
        let file = File::options()
            .read(true)
            .write(true)
            .open(lock_path(&repo));
        if let Ok(file) = file {
            match file.try_lock() {
                Err(std::fs::TryLockError::WouldBlock) => {
                    seen_locked = true;
                    break;
                }
                Ok(()) => drop(file),
                Err(e) => panic!("could not test the lock: {e:?}"),
            }
        }
        if child.try_wait().expect("poll the rebuild").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(
        seen_locked,
        "the rebuild finished before it could be killed"
    );
    child.kill().expect("kill the rebuild");
    child.wait().expect("reap the rebuild");

    // No cleanup: the next commands work at once and see every memo.
    let started = Instant::now();
    let output = repo
        .memo(&["search", "Marker1234", "--json"])
        .output()
        .expect("run memo");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!String::from_utf8_lossy(&output.stderr).contains("updating"));
    assert!(started.elapsed() < Duration::from_secs(30));
    let report = repo.memo_json(&["index", "--stats", "--json"]);
    assert_eq!(report["stats"]["memos"], count, "{report}");
    assert_eq!(titles(&repo, "Marker1500"), ["Memo 1500"]);
}
