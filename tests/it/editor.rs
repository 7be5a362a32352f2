//! The editor command: arguments, paths with spaces, failures and precedence.

use std::path::Path;

use crate::common::TestRepo;

/// Writes an editor stand-in that logs its arguments, one per line, and appends a line
/// to the file it edits; with `--fail` it exits 1 without editing.
fn fake_editor(dir: &Path, name: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).expect("create folder");
    let path = dir.join(name);
    let log = dir.join("editor.log");
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\" >> '{}'; done\nfor a in \"$@\"; do [ \"$a\" = --fail ] && exit 1; done\nfor a in \"$@\"; do last=$a; done\nprintf 'Edited.\\n' >> \"$last\"\n",
            log.display()
        ),
    )
    .expect("write editor");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    path
}

fn editor_log(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("editor.log")).unwrap_or_default()
}

#[test]
fn editor_with_arguments_and_spaces() {
    let repo = TestRepo::new();
    let bin = repo.home().join("bin dir");
    let editor = fake_editor(&bin, "fake editor");

    let command = format!("\"{}\" --wait -n", editor.display());
    let out = repo
        .memo(&["new", "Editor path with spaces"])
        .env("EDITOR", &command)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let absolute = repo.path("memos/0001-editor-path-with-spaces.md");
    let log = editor_log(&bin);
    assert_eq!(
        log,
        format!(
            "[--wait]\n[-n]\n[{}]\n",
            absolute.canonicalize().expect("path").display()
        )
    );
    assert!(
        repo.read("memos/0001-editor-path-with-spaces.md")
            .ends_with("Edited.\n")
    );
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "",
        "the edited memo is committed"
    );
}

#[test]
fn backslash_escaped_editor_path() {
    let repo = TestRepo::new();
    let bin = repo.home().join("bin dir");
    let editor = fake_editor(&bin, "fake editor");
    let escaped = editor.display().to_string().replace(' ', "\\ ");
    repo.memo(&["new", "Escaped"])
        .env("EDITOR", escaped)
        .assert()
        .success();
    assert!(editor_log(&bin).ends_with("0001-escaped.md]\n"));
}

#[test]
fn visual_wins_over_editor_and_memo_editor_over_both() {
    let repo = TestRepo::new();
    let bin = repo.home().join("bin");
    let editor = fake_editor(&bin, "ed");
    let with = |flag: &str| format!("{} {flag}", editor.display());

    repo.memo(&["new", "One"])
        .env("VISUAL", with("--visual"))
        .env("EDITOR", with("--editor"))
        .assert()
        .success();
    assert!(
        editor_log(&bin).starts_with("[--visual]\n"),
        "{}",
        editor_log(&bin)
    );

    std::fs::remove_file(bin.join("editor.log")).expect("reset log");
    repo.memo(&["new", "Two"])
        .env("MEMO_EDITOR", with("--memo"))
        .env("VISUAL", with("--visual"))
        .assert()
        .success();
    assert!(
        editor_log(&bin).starts_with("[--memo]\n"),
        "{}",
        editor_log(&bin)
    );
}

#[test]
fn failing_editor_leaves_nothing_behind() {
    let repo = TestRepo::new();
    let bin = repo.home().join("bin");
    let editor = fake_editor(&bin, "ed");
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.memo(&["new", "Editor exits with status 1"])
        .env("EDITOR", format!("{} --fail", editor.display()))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("exited with"))
        .stderr(predicates::str::contains("was not created"));
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head, "no commit");
    assert_eq!(repo.git(&["status", "--porcelain"]), "", "no file left");
}

#[test]
fn failure_hint_names_the_variable_used() {
    let repo = TestRepo::new();
    let bin = repo.home().join("bin");
    let editor = fake_editor(&bin, "ed");
    for var in ["MEMO_EDITOR", "VISUAL", "EDITOR"] {
        repo.memo(&["new", "Editor exits with status 1"])
            .env(var, format!("{} --fail", editor.display()))
            .assert()
            .code(2)
            .stderr(predicates::str::contains(format!(
                "hint: fix the editor or pick another with {var}\n"
            )));
    }
}

/// Writes an editor stand-in that replaces the file's content with `content`.
fn overwriting_editor(dir: &Path, content: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).expect("create folder");
    let path = dir.join("overwrite");
    std::fs::write(
        &path,
        format!("#!/bin/sh\nfor a in \"$@\"; do last=$a; done\nprintf '{content}' > \"$last\"\n"),
    )
    .expect("write editor");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    path
}

#[test]
fn emptied_memo_aborts_new() {
    let repo = TestRepo::new();
    let head = repo.git(&["rev-parse", "HEAD"]);
    for content in ["", "  \\n\\n\\t\\n"] {
        let editor = overwriting_editor(&repo.home().join("bin"), content);
        repo.memo(&["new", "Emptied in the editor"])
            .env("EDITOR", editor.display().to_string())
            .assert()
            .code(1)
            .stderr(predicates::str::contains("the memo is empty"));
        assert_eq!(repo.git(&["rev-parse", "HEAD"]), head, "no commit");
        assert_eq!(
            repo.git(&["status", "--porcelain", "--untracked-files=all"]),
            "",
            "no file left"
        );
    }
}

#[test]
fn title_never_reaches_a_shell() {
    let repo = TestRepo::new();
    let bin = repo.home().join("bin");
    let editor = fake_editor(&bin, "ed");
    let marker = repo.home().join("pwned");
    let title = format!("Title; touch {}", marker.display());
    repo.memo(&["new", &title])
        .env("EDITOR", editor.display().to_string())
        .assert()
        .success();
    assert!(!marker.exists());
}

#[test]
fn missing_editor_program_is_a_clear_error() {
    let repo = TestRepo::new();
    repo.memo(&["new", "No such editor"])
        .env("EDITOR", "definitely-not-an-editor-xyz --wait")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "cannot start the editor 'definitely-not-an-editor-xyz'",
        ))
        .stderr(predicates::str::contains("hint:"));
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}
