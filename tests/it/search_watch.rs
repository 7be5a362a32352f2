//! The watcher that spares searches the stat of every memo file: a search trusts it
//! only while it has seen no event, and every change still reaches the results.
#![cfg(target_os = "linux")]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::TestRepo;
use crate::search::{memo, run_search};

/// Stops the repository's watcher when the test ends, even when it fails.
struct Watched<'a> {
    repo: &'a TestRepo,
}

impl Drop for Watched<'_> {
    fn drop(&mut self) {
        let _ = self.repo.memo(&["index", "--stop-watching"]).output();
    }
}

/// Runs a search with the watcher on and debug logging; returns the titles found and
/// standard error.
fn search(repo: &TestRepo, query: &str) -> (Vec<String>, String) {
    let mut command = repo.memo(&["search", "--json", "--", query]);
    command
        .env("MEMO_WATCHER", "always")
        .env("MEMO_LOG", "memo=debug");
    let (hits, stderr) = run_search(command, query);
    let titles = hits
        .iter()
        .map(|h| h["title"].as_str().expect("title").to_owned())
        .collect();
    (titles, stderr)
}

/// Returns a repository with one memo, "Event queue".
fn queue_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-queue.md",
        memo("Event queue", "Move the nightly jobs to a queue."),
    );
    repo
}

const TRUSTED: &str = "the watcher saw no change since the last check";

/// Waits until `memo index --stats` reports a running watcher and returns its process
/// id.
fn wait_for_watcher(repo: &TestRepo) -> u32 {
    let started = Instant::now();
    loop {
        let stats = repo.memo_json(&["index", "--stats", "--json"]);
        if let Some(pid) = stats["watcher"]["pid"].as_u64() {
            return pid as u32;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no watcher started; its log:\n{}",
            std::fs::read_to_string(repo.path(".git/memo/watcher.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Starts the watcher through a search and makes the index state record its token, so
/// the next search with nothing changed trusts it.
fn watched(repo: &TestRepo) -> Watched<'_> {
    let guard = Watched { repo };
    // The first search builds the index and starts the watcher.
    search(repo, "anything");
    wait_for_watcher(repo);
    search(repo, "anything");
    let (_, log) = search(repo, "anything");
    assert!(log.contains(TRUSTED), "{log}");
    guard
}

#[test]
fn watcher_skips_scan_yet_sees_every_change() {
    let repo = queue_repo();
    let _watcher = watched(&repo);

    // An edit in place: the next search scans, finds it, and trusts the watcher again.
    let path = repo.path("memos/0001-queue.md");
    let mut text = std::fs::read_to_string(&path).expect("read");
    text.push_str("\nThe zebracorn team owns the queue.\n");
    std::fs::write(&path, text).expect("write");
    let (titles, log) = search(&repo, "zebracorn");
    assert_eq!(titles, ["Event queue"]);
    assert!(!log.contains(TRUSTED), "{log}");
    search(&repo, "zebracorn");
    let (titles, log) = search(&repo, "zebracorn");
    assert_eq!(titles, ["Event queue"]);
    assert!(log.contains(TRUSTED), "{log}");

    // A new memo, and an attachment folder made after the watcher started, whose file
    // then changes in place.
    repo.write(
        "memos/0002-cache.md",
        memo("Cache", "Cache the product pages."),
    );
    repo.write(
        "memos/0002-cache/notes/load.md",
        "Load test by quokkafish.\n",
    );
    assert_eq!(search(&repo, "quokkafish").0, ["Cache"]);
    search(&repo, "quokkafish");
    assert!(search(&repo, "quokkafish").1.contains(TRUSTED));
    repo.write(
        "memos/0002-cache/notes/load.md",
        "Load test by wallabyte.\n",
    );
    assert_eq!(search(&repo, "wallabyte").0, ["Cache"]);
    assert!(search(&repo, "quokkafish").0.is_empty());

    // A memo with a mixed-case extension whose attachment folder existed before the
    // watcher started it: an edit there is seen too.
    repo.write("memos/0003-upper.Md", memo("Upper", "Plain text."));
    repo.write("memos/0003-upper/a.txt", "First draft.\n");
    assert_eq!(search(&repo, "draft").0, ["Upper"]);
    repo.memo_ok(&["index", "--stop-watching"]);
    // Searches start a watcher at most once a minute; this file records the last start.
    std::fs::remove_file(repo.path(".git/memo/watcher.started")).expect("remove");
    let _watcher = watched(&repo);
    repo.write("memos/0003-upper/a.txt", "Second koalamander draft.\n");
    assert_eq!(search(&repo, "koalamander").0, ["Upper"]);

    // A touch changes nothing but the time: found as before.
    let file = std::fs::File::options()
        .append(true)
        .open(&path)
        .expect("open");
    file.set_modified(std::time::SystemTime::now())
        .expect("touch");
    drop(file);
    assert_eq!(search(&repo, "zebracorn").0, ["Event queue"]);

    // A removed memo is gone from the results at once.
    std::fs::remove_file(&path).expect("remove");
    assert!(search(&repo, "zebracorn").0.is_empty());
}

#[test]
fn watcher_killed_costs_only_the_scan() {
    let repo = queue_repo();
    let _watcher = watched(&repo);
    let pid = wait_for_watcher(&repo);
    let pid = rustix::process::Pid::from_raw(pid as i32).expect("a process id");
    rustix::process::kill_process(pid, rustix::process::Signal::KILL).expect("kill");
    let started = Instant::now();
    while repo
        .memo_ok(&["index", "--stats"])
        .contains("Watcher: running")
    {
        assert!(started.elapsed() < Duration::from_secs(10), "still running");
        std::thread::sleep(Duration::from_millis(20));
    }

    // Its socket file is left behind; searches scan and see the change.
    repo.write(
        "memos/0001-queue.md",
        memo("Event queue", "The platypod team owns the queue."),
    );
    let (titles, log) = search(&repo, "platypod");
    assert_eq!(titles, ["Event queue"]);
    assert!(!log.contains(TRUSTED), "{log}");
}

#[test]
fn watcher_stops_with_folder_and_runs_once() {
    let repo = queue_repo();
    let _guard = Watched { repo: &repo };
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("memo"));
    repo.isolate(&mut command);
    let mut first = command
        .args(["index", "--watch"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start a watcher");
    wait_for_watcher(&repo);

    let second = repo
        .memo(&["index", "--watch"])
        .timeout(Duration::from_secs(10))
        .output()
        .expect("run a second watcher");
    assert!(second.status.success());
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("Another watcher already runs"),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );

    std::fs::rename(repo.path("memos"), repo.path("old-memos")).expect("rename");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = first.try_wait().expect("wait") {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the watcher still runs"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut first.stderr.take().expect("stderr"), &mut stderr)
        .expect("read");
    assert!(stderr.contains("was removed or renamed"), "{stderr}");
    assert!(
        !repo.path(".git/memo/watcher.sock").exists(),
        "the watcher removes its socket"
    );
}

#[test]
fn watcher_setting_unknown_is_named() {
    let repo = queue_repo();
    // The first search builds the index; the setting is read by the searches after it.
    repo.memo_ok(&["search", "queue"]);
    let output = repo
        .memo(&["search", "queue"])
        .env("MEMO_WATCHER", "sometimes")
        .output()
        .expect("run memo");
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("MEMO_WATCHER is \"sometimes\"; expected auto, always or never"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("Event queue"));
    assert!(
        !repo
            .memo_ok(&["index", "--stats"])
            .contains("Watcher: running")
    );
}

#[test]
fn watcher_follows_deepest_attachments_and_hard_links() {
    let repo = queue_repo();
    // The index reads attachments down to 16 folders below the attachment folder.
    let deep: String = (1..=16).map(|i| format!("/d{i}")).collect();
    let deep_file = format!("memos/0001-queue{deep}/notes.md");
    repo.write(&deep_file, "Measured by the lemurdrake team.\n");
    std::fs::create_dir_all(repo.path("outside")).expect("folder");
    let link = repo.path("outside/queue.md");
    std::fs::hard_link(repo.path("memos/0001-queue.md"), &link).expect("hard link");
    let _watcher = watched(&repo);
    assert_eq!(search(&repo, "lemurdrake").0, ["Event queue"]);

    repo.write(&deep_file, "Measured by the ocelotroid team.\n");
    assert_eq!(search(&repo, "ocelotroid").0, ["Event queue"]);

    // A write through a name outside the memo folder.
    search(&repo, "anything");
    assert!(search(&repo, "anything").1.contains(TRUSTED));
    let mut text = std::fs::read_to_string(&link).expect("read");
    text.push_str("\nThe gibbonfly team reviews it.\n");
    std::fs::write(&link, text).expect("write through the link");
    assert_eq!(search(&repo, "gibbonfly").0, ["Event queue"]);
}

#[test]
fn watcher_ignored_under_memo_watcher_never() {
    let repo = queue_repo();
    let _watcher = watched(&repo);
    let output = repo
        .memo(&["search", "queue"])
        .env("MEMO_WATCHER", "never")
        .env("MEMO_LOG", "memo=debug")
        .output()
        .expect("run memo");
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains(TRUSTED), "{stderr}");
}

#[test]
fn watcher_exits_when_memo_folder_setting_changes() {
    let repo = queue_repo();
    let _watcher = watched(&repo);
    repo.write(
        "docs2/0001-cache.md",
        memo("Cache", "Cache the product pages."),
    );
    let config = repo.read(".memo/config.toml");
    assert!(config.contains("dir = \"memos\""), "{config}");
    repo.write(
        ".memo/config.toml",
        config.replace("dir = \"memos\"", "dir = \"docs2\""),
    );
    assert_eq!(search(&repo, "cache").0, ["Cache"]);
    let started = Instant::now();
    while repo
        .memo_ok(&["index", "--stats"])
        .contains("Watcher: running")
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the watcher of the old folder still runs"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
