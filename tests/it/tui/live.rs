//! The real binary in a real terminal: tmux runs `memo`, keys are sent and the screen
//! is read back. Skipped, with a message, where tmux is not installed.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin;

use crate::common::TestRepo;

struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    /// Starts `command` in a detached tmux session of the given size, with the test
    /// repository's isolated environment.
    fn start(repo: &TestRepo, command: &str, width: u16, height: u16) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("live TUI test skipped: tmux is not installed");
            return None;
        }
        static SESSIONS: AtomicUsize = AtomicUsize::new(0);
        let number = SESSIONS.fetch_add(1, Ordering::Relaxed);
        let socket = format!("memo-test-{}-{number}", std::process::id());
        let tmux = Tmux {
            socket,
            session: "memo".to_owned(),
        };
        let mut start = Command::new("tmux");
        repo.isolate(&mut start);
        start.env("TERM", "xterm-256color").args([
            "-L",
            &tmux.socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            &tmux.session,
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            command,
        ]);
        let status = start.status().expect("run tmux");
        assert!(status.success(), "tmux new-session failed");
        Some(tmux)
    }

    fn send(&self, keys: &[&str]) {
        let mut command = Command::new("tmux");
        command.args(["-L", &self.socket, "send-keys", "-t", &self.session]);
        command.args(keys);
        assert!(command.status().expect("tmux send-keys").success());
    }

    fn capture(&self) -> String {
        let output = Command::new("tmux")
            .args([
                "-L",
                &self.socket,
                "capture-pane",
                "-p",
                "-t",
                &self.session,
            ])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Waits until the screen contains `text`, failing with the screen after a while.
    fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |screen| screen.contains(text))
    }

    /// Waits until `done` accepts the screen, failing with the screen after a while.
    fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if done(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[test]
fn live_library_search_reader_and_quit() {
    let repo = TestRepo::new();
    repo.new_memo("Move nightly jobs to a queue", &[]);
    repo.new_memo("Adopt managed PostgreSQL", &[]);
    let binary = shell_quote(&cargo_bin("memo").display().to_string());
    // The shell prints the exit code after memo ends, on the restored screen.
    let command = format!("{binary}; echo memo-exited-$?; sleep 30");
    let Some(tmux) = Tmux::start(&repo, &command, 100, 24) else {
        return;
    };

    let screen = tmux.wait_for("2 of 2 memos");
    assert!(screen.contains("Move nightly jobs to a queue"), "{screen}");

    tmux.send(&["/", "postg"]);
    let screen = tmux.wait_for("1 of 2 memos");
    assert!(screen.contains("Adopt managed PostgreSQL"), "{screen}");
    assert!(!screen.contains("Move nightly jobs"), "{screen}");

    tmux.send(&["Enter", "Enter"]);
    let screen = tmux.wait_for("? help · o outline");
    assert!(screen.contains("0002 Adopt managed PostgreSQL"), "{screen}");

    tmux.send(&["?"]);
    tmux.wait_for("Keys");
    // Esc followed at once by another key reads as Alt and that key, so `?` closes.
    tmux.send(&["?"]);
    tmux.wait_until("the help to close", |screen| !screen.contains("Keys"));
    tmux.send(&["q"]);
    tmux.wait_for("1 of 2 memos");
    tmux.send(&["q"]);
    let screen = tmux.wait_for("memo-exited-0");
    assert!(
        !screen.contains("of 2 memos"),
        "the alternate screen is gone: {screen}"
    );
}

#[test]
fn live_ctrl_c_restores_the_terminal() {
    let repo = TestRepo::new();
    let path = repo.new_memo("Plan the queue", &[]);
    let binary = shell_quote(&cargo_bin("memo").display().to_string());
    let command = format!(
        "{binary} show {} --tui; echo memo-exited-$?; if stty -a | grep -q -- -icanon; then echo mode-raw; else echo mode-cooked; fi; sleep 30",
        shell_quote(&path)
    );
    let Some(tmux) = Tmux::start(&repo, &command, 80, 20) else {
        return;
    };
    tmux.wait_for("0001 Plan the queue");
    tmux.send(&["C-c"]);
    let screen = tmux.wait_for("mode-");
    assert!(screen.contains("memo-exited-0"), "{screen}");
    assert!(
        screen.contains("mode-cooked"),
        "raw mode is off again: {screen}"
    );
    let log = repo.path(".git/memo/tui.log");
    assert!(log.exists(), "logs go to a file while the UI runs");
}

#[test]
fn live_missing_identity_keeps_the_comment() {
    let repo = TestRepo::new();
    repo.new_memo("Plan the queue", &[]);
    repo.git(&["config", "--unset", "user.name"]);
    repo.git(&["config", "--unset", "user.email"]);
    let binary = shell_quote(&cargo_bin("memo").display().to_string());
    let command = format!("{binary}; echo memo-exited-$?; sleep 30");
    let Some(tmux) = Tmux::start(&repo, &command, 100, 30) else {
        return;
    };
    tmux.wait_for("1 of 1 memos");
    tmux.send(&["Enter"]);
    tmux.wait_for("? help · o outline");
    // The template's first prose line, then a comment on its paragraph.
    tmux.send(&["]", "j", "j", "c"]);
    let screen = tmux.wait_for("no git identity is configured");
    assert!(screen.contains("git config user.name"), "{screen}");
    assert!(screen.contains("kept as a draft"), "{screen}");
    tmux.send(&["-l", "Typed without an identity"]);
    tmux.send(&["C-s"]);
    let screen = tmux.wait_for("Not sent, kept as a draft (no git identity");
    assert!(screen.contains("✎ Draft, not sent"), "{screen}");
    tmux.send(&["q", "q"]);
    tmux.wait_for("memo-exited-0");

    let drafts = repo.path(".git/memo/drafts/reader");
    let saved: Vec<String> = std::fs::read_dir(&drafts)
        .expect("drafts folder")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("read"))
        .collect();
    assert_eq!(saved.len(), 1);
    assert!(
        saved[0].contains("Typed without an identity"),
        "{}",
        saved[0]
    );
}

#[test]
fn live_wide_text_leaves_no_ghosts_after_scrolling() {
    let repo = TestRepo::new();
    let body: String = (1..=40)
        .map(|i| {
            format!("{i:02} 大阪の計画 👩\u{200d}👩\u{200d}👧 🇯🇵 Cafe\u{301} ❤\u{fe0f}\tend\n\n")
        })
        .collect();
    repo.write(
        "memos/0001-wide.md",
        format!("---\nnumber: 1\ntitle: Wide text\n---\n\n{body}"),
    );
    let binary = shell_quote(&cargo_bin("memo").display().to_string());
    let command = format!("{binary} show 1 --tui; sleep 30");
    let Some(tmux) = Tmux::start(&repo, &command, 60, 16) else {
        return;
    };
    // The footer is the last row drawn, so once it shows, the whole frame is there.
    let first = tmux.wait_for("line 1/");
    for _ in 0..4 {
        tmux.send(&["j", "j", "j", "j", "j", "j", "j", "j", "j", "j"]);
    }
    tmux.wait_for("line 41/");
    for _ in 0..4 {
        tmux.send(&["k", "k", "k", "k", "k", "k", "k", "k", "k", "k"]);
    }
    let back = tmux.wait_for("line 1/");
    assert_eq!(
        back, first,
        "the screen after scrolling back equals the first one"
    );
}

#[test]
fn live_meeting_start_done_and_leave() {
    let repo = TestRepo::new();
    repo.new_memo("Plan the queue", &[]);
    let binary = shell_quote(&cargo_bin("memo").display().to_string());
    let command = format!("{binary} meet start 1 --minutes 20; echo memo-exited-$?; sleep 30");
    let Some(tmux) = Tmux::start(&repo, &command, 100, 30) else {
        return;
    };
    // MEMO_NOW sets the start; the screen's clock runs on from it.
    let screen = tmux.wait_for("Meeting · silent read · ");
    assert!(screen.contains("until 09:20"), "{screen}");
    assert!(screen.contains("Participants"), "{screen}");
    tmux.wait_for("19:5");
    assert!(screen.contains("Test Author (facilitator)"), "{screen}");

    tmux.send(&["d"]);
    tmux.wait_for("read marked done");
    tmux.send(&["q"]);
    tmux.wait_for("memo-exited-0");

    let status: serde_json::Value = repo.memo_json(&["meet", "status", "1", "--json"]);
    assert_eq!(status["phase"], "reading");
    assert_eq!(status["participants"][0]["done"], true);
}

/// With `MEMO_NOW` set, the meeting screen's clock runs from that time: the countdown
/// moves and the background sync runs again after its interval.
#[test]
fn live_meeting_clock_runs_from_memo_now() {
    let repo = TestRepo::new();
    repo.new_memo("Plan the queue", &[]);
    let remote = tempfile::tempdir().expect("remote folder");
    let url = remote.path().to_str().expect("utf-8 path");
    repo.git(&["init", "-q", "--bare", "-b", "main", url]);
    repo.git(&["remote", "add", "origin", url]);
    repo.git(&["push", "-q", "origin", "HEAD:main"]);
    let binary = shell_quote(&cargo_bin("memo").display().to_string());
    let command = format!("{binary} meet start 1 --minutes 20; echo memo-exited-$?; sleep 30");
    let Some(tmux) = Tmux::start(&repo, &command, 100, 30) else {
        return;
    };

    tmux.wait_for("synced 09:00:0");
    // The second sync comes after the five-second interval, on the running clock.
    let screen = tmux.wait_until("a second background sync", |screen| {
        screen
            .split_once("synced 09:00:")
            .and_then(|(_, rest)| rest.get(..2)?.parse::<u32>().ok())
            .is_some_and(|second| second >= 5)
    });
    assert!(screen.contains("19:5"), "the countdown moved: {screen}");

    tmux.send(&["q"]);
    tmux.wait_for("memo-exited-0");
}
