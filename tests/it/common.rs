//! Test repositories: real git repositories in temporary folders, driven through the
//! built `memo` binary with a fixed clock and identity and no user configuration.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::cargo_bin;
use tempfile::TempDir;

/// The time every test command sees.
pub const NOW: &str = "2026-03-02T09:00:00Z";

pub struct TestRepo {
    dir: TempDir,
    home: TempDir,
}

impl TestRepo {
    /// A git repository with an identity, set up with `memo init`.
    pub fn new() -> TestRepo {
        let repo = TestRepo::empty();
        repo.git(&["init", "-q", "-b", "main"]);
        repo.set_identity("Test Author", "author@example.com");
        repo.memo(&["init"]).assert().success();
        repo
    }

    /// An empty folder with no git repository.
    pub fn empty() -> TestRepo {
        TestRepo {
            dir: tempfile::tempdir().expect("temporary folder"),
            home: tempfile::tempdir().expect("temporary home"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    pub fn set_identity(&self, name: &str, email: &str) {
        self.git(&["config", "user.name", name]);
        self.git(&["config", "user.email", email]);
    }

    pub fn write(&self, relative: &str, content: impl AsRef<[u8]>) {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(path, content).expect("write file");
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).expect("read file")
    }

    pub fn read_bytes(&self, relative: &str) -> Vec<u8> {
        std::fs::read(self.path(relative)).expect("read file")
    }

    /// Applies the isolation every child process gets: no user or system git config,
    /// no editor, no colour, a fixed clock in UTC.
    pub fn isolate(&self, command: &mut Command) {
        command
            .current_dir(self.root())
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home().join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1")
            .env("MEMO_NOW", NOW)
            .env("TZ", "UTC")
            .env_remove("GIT_AUTHOR_NAME")
            .env_remove("GIT_AUTHOR_EMAIL")
            .env_remove("GIT_COMMITTER_NAME")
            .env_remove("GIT_COMMITTER_EMAIL")
            .env_remove("EMAIL")
            .env_remove("MEMO_EDITOR")
            .env_remove("VISUAL")
            .env_remove("EDITOR")
            .env_remove("MEMO_LOG")
            .env_remove("MEMO_WATCHER");
    }

    /// A `memo` command run in the repository.
    pub fn memo(&self, args: &[&str]) -> assert_cmd::Command {
        let mut command = Command::new(cargo_bin("memo"));
        self.isolate(&mut command);
        command.args(args);
        assert_cmd::Command::from_std(command)
    }

    /// Runs `memo` and returns its standard output, asserting success.
    pub fn memo_ok(&self, args: &[&str]) -> String {
        let output = self.memo(args).output().expect("run memo");
        assert!(
            output.status.success(),
            "memo {args:?} failed with {}:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf-8 output")
    }

    /// Runs `memo ... --json` and parses its output.
    pub fn memo_json(&self, args: &[&str]) -> serde_json::Value {
        let output = self.memo(args).output().expect("run memo");
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "memo {args:?} printed no JSON ({e}); stderr:\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        })
    }

    /// Runs git in the repository and returns its standard output.
    pub fn git(&self, args: &[&str]) -> String {
        let mut command = Command::new("git");
        self.isolate(&mut command);
        let output = command.args(args).output().expect("run git");
        assert!(
            output.status.success(),
            "git {args:?} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf-8 output")
    }

    /// Creates a memo without an editor and returns its path relative to the root.
    pub fn new_memo(&self, title: &str, extra: &[&str]) -> String {
        let mut args = vec!["new", "--no-edit"];
        args.extend_from_slice(extra);
        args.push(title);
        let out = self.memo_ok(&args);
        out.trim().to_owned()
    }
}

/// Returns the folder of the shared test corpus, or `None` (after saying the test is
/// skipped) when `MEMO_TEST_CORPUS` is not set.
pub fn corpus(test: &str) -> Option<PathBuf> {
    match std::env::var_os("MEMO_TEST_CORPUS") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => {
            eprintln!("{test}: skipped because MEMO_TEST_CORPUS is not set");
            None
        }
    }
}

/// Copies a folder tree, so tests never change the corpus itself.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy file");
        }
    }
}
