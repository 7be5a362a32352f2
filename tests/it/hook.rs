//! `memo hook`: the pre-commit hook checks staged memos and chains to an existing hook.

use std::process::Command;

use crate::common::TestRepo;

const GOOD: &str = "---\ntitle: Queue\nstatus: draft\ntemplate: tiny\n---\n\n# Queue\n\n## Why\n\nBecause the batch window overran on 14 of the last 70 nights.\n";

fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        ".memo/templates/tiny.md",
        "---\ndescription: One section.\n---\n# {{title}}\n\n## Why\n\nSay why this decision has to be made now and by whom.\n",
    );
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "template"]);
    repo
}

/// Runs `git commit` and returns whether it succeeded, with its output.
fn commit(repo: &TestRepo, message: &str) -> (bool, String) {
    git_in(repo, ".", &["commit", "-qm", message])
}

/// Runs git with `args` in the folder `dir` (relative to the root) and returns whether
/// it succeeded, with its output.
fn git_in(repo: &TestRepo, dir: &str, args: &[&str]) -> (bool, String) {
    let mut command = Command::new("git");
    repo.isolate(&mut command);
    let output = command
        .current_dir(repo.path(dir))
        .args(args)
        .output()
        .expect("run git");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn hook_checks_staged_content_not_the_work_tree() {
    let repo = repo();
    repo.memo_ok(&["hook", "install"]);

    // A broken memo is staged and fixed in the work tree only: the commit stops.
    let broken = GOOD.replace("Because the batch window", "TODO: because the batch window");
    repo.write("memos/0001-queue.md", &broken);
    repo.git(&["add", "memos/0001-queue.md"]);
    repo.write("memos/0001-queue.md", GOOD);
    let (ok, output) = commit(&repo, "add queue memo");
    assert!(!ok, "the hook stops the commit:\n{output}");
    assert!(output.contains("error[placeholder]"), "{output}");
    assert!(output.contains("memos/0001-queue.md:11:1"), "{output}");

    // The good version is staged and the work tree broken: the commit goes through.
    repo.git(&["add", "memos/0001-queue.md"]);
    repo.write("memos/0001-queue.md", &broken);
    let (ok, output) = commit(&repo, "add queue memo");
    assert!(ok, "{output}");
}

#[test]
fn commits_without_memos_pass() {
    let repo = repo();
    repo.memo_ok(&["hook", "install"]);
    repo.write(
        "memos/0001-queue.md",
        GOOD.replace("Because", "TODO because"),
    );
    repo.write("notes.txt", "unrelated");
    repo.git(&["add", "notes.txt"]);
    let (ok, output) = commit(&repo, "notes");
    assert!(
        ok,
        "an unstaged broken memo does not block the commit:\n{output}"
    );
}

#[test]
fn existing_hook_is_chained_and_install_is_idempotent() {
    let repo = repo();
    let hooks = repo.path(".git/hooks");
    let existing = "#!/bin/sh\necho ran >> \"$(git rev-parse --show-toplevel)/.git/earlier-hook-ran\"\nexit 0\n";
    repo.write(".git/hooks/pre-commit", existing);
    set_executable(&hooks.join("pre-commit"));

    let first = repo.memo_ok(&["hook", "install"]);
    assert!(first.contains("pre-commit.before-memo"), "{first}");
    let installed = repo.read(".git/hooks/pre-commit");
    let second = repo.memo_ok(&["hook", "install"]);
    assert!(second.contains("already installed"), "{second}");
    assert_eq!(repo.read(".git/hooks/pre-commit"), installed);
    assert_eq!(repo.read(".git/hooks/pre-commit.before-memo"), existing);

    repo.write("memos/0001-queue.md", GOOD);
    repo.git(&["add", "memos/0001-queue.md"]);
    let (ok, output) = commit(&repo, "add queue memo");
    assert!(ok, "{output}");
    assert_eq!(repo.read(".git/earlier-hook-ran"), "ran\n");

    // A failing earlier hook stops the commit before memo's check runs.
    repo.write(
        ".git/hooks/pre-commit.before-memo",
        "#!/bin/sh\necho earlier says no >&2\nexit 3\n",
    );
    repo.write("memos/0001-queue.md", GOOD.replace("Queue", "Queues"));
    repo.git(&["add", "memos/0001-queue.md"]);
    let (ok, output) = commit(&repo, "rename");
    assert!(!ok);
    assert!(output.contains("earlier says no"), "{output}");

    repo.memo_ok(&["hook", "uninstall"]);
    assert!(
        repo.read(".git/hooks/pre-commit")
            .contains("earlier says no")
    );
    assert!(!repo.path(".git/hooks/pre-commit.before-memo").exists());
}

#[test]
fn hooks_path_setting_is_honoured() {
    let repo = repo();
    repo.git(&["config", "core.hooksPath", "githooks"]);
    repo.memo_ok(&["hook", "install"]);
    assert!(repo.read("githooks/pre-commit").contains("memo-hook"));
    assert!(!repo.path(".git/hooks/pre-commit").exists());
}

/// Commits the good memo with the hook installed, then breaks it in the work tree only,
/// so that only a commit that takes the work tree's content sees the placeholder.
fn repo_with_committed_memo() -> TestRepo {
    committed_memo_in(repo())
}

fn committed_memo_in(repo: TestRepo) -> TestRepo {
    repo.memo_ok(&["hook", "install"]);
    repo.write("memos/0001-queue.md", GOOD);
    repo.git(&["add", "memos/0001-queue.md"]);
    let (ok, output) = commit(&repo, "add queue memo");
    assert!(ok, "{output}");
    repo.write(
        "memos/0001-queue.md",
        GOOD.replace("Because the batch window", "TODO: because the batch window"),
    );
    repo.write("sub/notes.txt", "unrelated");
    repo
}

/// Asserts that a commit was stopped by the placeholder finding and left HEAD alone.
fn assert_blocked(repo: &TestRepo, ok: bool, output: &str) {
    assert!(!ok, "the hook stops the commit:\n{output}");
    assert!(output.contains("error[placeholder]"), "{output}");
    assert!(output.contains("memos/0001-queue.md:11:1"), "{output}");
    let head = repo.git(&["log", "--format=%s", "-1"]);
    assert_eq!(head.trim(), "add queue memo");
}

#[test]
fn commit_all_checks_temporary_index() {
    let repo = repo_with_committed_memo();
    let (ok, output) = git_in(&repo, ".", &["commit", "-qam", "break it"]);
    assert_blocked(&repo, ok, &output);
}

#[test]
fn commit_of_paths_checks_temporary_index() {
    let repo = repo_with_committed_memo();
    let (ok, output) = git_in(
        &repo,
        ".",
        &["commit", "-qm", "break it", "--", "memos/0001-queue.md"],
    );
    assert_blocked(&repo, ok, &output);

    let (ok, output) = git_in(
        &repo,
        ".",
        &["commit", "-qm", "break it", "-i", "memos/0001-queue.md"],
    );
    assert_blocked(&repo, ok, &output);
}

#[test]
fn commit_from_subfolder_is_checked() {
    let repo = repo_with_committed_memo();
    let (ok, output) = git_in(&repo, "sub", &["commit", "-qam", "break it"]);
    assert_blocked(&repo, ok, &output);

    let (ok, output) = git_in(
        &repo,
        "sub",
        &["commit", "-qm", "break it", "--", "../memos/0001-queue.md"],
    );
    assert_blocked(&repo, ok, &output);

    let (ok, output) = git_in(&repo, ".", &["-C", "sub", "commit", "-qam", "break it"]);
    assert_blocked(&repo, ok, &output);

    // The hook still lets a good commit of paths through from the subfolder.
    repo.write("memos/0001-queue.md", GOOD.replace("14 of", "15 of"));
    let (ok, output) = git_in(
        &repo,
        "sub",
        &["commit", "-qm", "fix count", "--", "../memos/0001-queue.md"],
    );
    assert!(ok, "{output}");
}

#[test]
fn hooks_path_commit_all_is_checked() {
    let plain = repo();
    plain.git(&["config", "core.hooksPath", "githooks"]);
    let repo = committed_memo_in(plain);
    assert!(repo.path("githooks/pre-commit").exists());
    let (ok, output) = git_in(&repo, ".", &["commit", "-qam", "break it"]);
    assert_blocked(&repo, ok, &output);
}

#[test]
fn staged_check_reads_named_index() {
    let repo = repo_with_committed_memo();
    // A second index that contains the broken memo, named relative to the root and
    // read from a subfolder, as `GIT_INDEX_FILE` names it for hooks.
    let mut command = Command::new("git");
    repo.isolate(&mut command);
    let status = command
        .env("GIT_INDEX_FILE", ".git/other-index")
        .args(["add", "memos/0001-queue.md"])
        .status()
        .expect("run git");
    assert!(status.success());

    repo.memo(&["check", "--staged"]).assert().success();
    let output = repo
        .memo(&["-C", "sub", "check", "--staged"])
        .env("GIT_INDEX_FILE", ".git/other-index")
        .output()
        .expect("run memo");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("error[placeholder]"), "{stdout}");
}

#[cfg(unix)]
fn set_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}
