//! `memo import rfc` on a small folder written for the test.

use crate::common::TestRepo;

fn rfc_folder(repo: &TestRepo) -> std::path::PathBuf {
    let dir = repo.home().join("rfcs/text");
    let write = |name: &str, content: &[u8]| {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(path, content).expect("write");
    };
    write(
        "0001-private-fields.md",
        b"- Start Date: 2014-03-11\n- RFC PR: [#1](https://example.invalid/1)\n- Rust Issue: [#8122](https://example.invalid/8122)\n- Shepherd: someone\n\n# Summary\n\nMake fields private by default.\n",
    );
    write(
        "0042-windows-lines.md",
        b"- Feature Name: `crlf`\r\n- Start Date: 2016-01-02\r\n\r\n# Windows lines\r\n\r\n# Summary\r\n\r\nKept as they were.\r\n",
    );
    write(
        "2071-impl-trait-existential-types.md",
        b"- Start Date: 2017-07-20\n\n# Summary\n\nAdd existential types.\n",
    );
    write(
        "2071-impl-trait-type-alias.md",
        b"# Summary\n\nA stub that points to the other 2071.\n",
    );
    write(
        "3392-leadership-council.md",
        b"- Start Date: 2023-02-01\n\n# Summary\n\nA council.\n",
    );
    write(
        "3392-leadership-council/translations/ja.md",
        "# 概要\n\n評議会を設立する。\n".as_bytes(),
    );
    write("3392-leadership-council/chart.svg", b"<svg/>");
    write("README.txt", b"not an RFC");
    dir
}

#[test]
fn import_keeps_everything_in_one_commit() {
    let repo = TestRepo::new();
    let dir = rfc_folder(&repo);
    let out = repo.memo_ok(&["import", "rfc", dir.to_str().expect("utf-8 path")]);
    assert!(out.contains("Imported 5 RFCs"), "{out}");
    assert!(out.contains("2 attachment files"), "{out}");
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s"]).trim(),
        "Import 5 RFCs from text/"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");

    let list = repo.memo_json(&["list", "--json"]);
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 5);
    let titles: Vec<&str> = list
        .iter()
        .map(|m| m["title"].as_str().expect("title"))
        .collect();
    assert_eq!(
        titles,
        [
            "Private fields",
            "Windows lines",
            "Impl trait existential types",
            "Impl trait type alias",
            "Leadership council"
        ]
    );
    assert_eq!(list[0]["created"], "2014-03-11T00:00:00Z");
    assert_eq!(list[0]["status"], "accepted");
    assert_eq!(list[0]["template"], "rfc");

    // Bodies are byte for byte, unknown metadata included.
    let memo = repo.read_bytes("memos/0001-private-fields.md");
    let source = std::fs::read(dir.join("0001-private-fields.md")).expect("source");
    assert!(memo.ends_with(&source));
    assert!(String::from_utf8_lossy(&memo).contains("Shepherd: someone"));
    let crlf = repo.read("memos/0042-windows-lines.md");
    assert_eq!(
        crlf.matches('\n').count(),
        crlf.matches("\r\n").count(),
        "CRLF throughout"
    );

    // Attachments are kept and searchable.
    assert!(
        repo.path("memos/3392-leadership-council/translations/ja.md")
            .is_file()
    );
    assert!(
        repo.path("memos/3392-leadership-council/chart.svg")
            .is_file()
    );
    let hits = repo.memo_json(&["search", "評議会を設立する", "--json"]);
    assert_eq!(hits[0]["number"], 3392, "{hits}");

    // Importing again changes nothing.
    let out = repo.memo_ok(&["import", "rfc", dir.to_str().expect("utf-8 path")]);
    assert!(out.contains("Imported 0 RFCs (5 already present)"), "{out}");
}

/// Returns the id of a process that has ended.
fn ended_process_id() -> u32 {
    let mut child = std::process::Command::new("true").spawn().expect("spawn");
    let id = child.id();
    child.wait().expect("wait");
    id
}

#[test]
fn rerun_finishes_an_interrupted_import() {
    let repo = TestRepo::new();
    let dir = rfc_folder(&repo);
    let dir = dir.to_str().expect("utf-8 path");
    repo.memo_ok(&["import", "rfc", dir]);
    // The state a killed import leaves: files written but not committed, and the
    // temporary files of writes that never reached their rename.
    repo.git(&["reset", "-q", "HEAD~1"]);
    let ended = ended_process_id();
    let leftovers = [
        format!("memos/.memo-{ended}-Ab12Cd.tmp"),
        format!("memos/3392-leadership-council/.memo-{ended}-Ef34Gh.tmp"),
    ];
    for leftover in &leftovers {
        repo.write(leftover, "half a memo");
    }
    repo.write("memos/.tmpZz99Yy", "not memo's");
    let untracked = repo.git(&["status", "--porcelain"]);
    assert!(untracked.contains("?? memos/"), "{untracked}");

    let out = repo.memo_ok(&["import", "rfc", dir]);
    assert!(
        out.contains("Imported 5 RFCs (0 already present) with 2 attachment files"),
        "{out}"
    );
    assert_eq!(
        repo.git(&["status", "--porcelain", "--untracked-files=all"]),
        "?? memos/.tmpZz99Yy\n",
        "every imported file is committed and only memo's leftovers are gone"
    );
    for leftover in &leftovers {
        assert!(!repo.path(leftover).exists(), "{leftover} is left");
    }

    // Nothing is left to import, and no attachment is counted again.
    let out = repo.memo_ok(&["import", "rfc", dir]);
    assert!(
        out.contains("Imported 0 RFCs (5 already present) with 0 attachment files"),
        "{out}"
    );
}

#[test]
fn import_killed_midway_is_finished_by_a_rerun() {
    let Some(corpus) = crate::common::corpus("import_killed_midway_is_finished_by_a_rerun") else {
        return;
    };
    let repo = TestRepo::new();
    let corpus = corpus.to_str().expect("utf-8 path");
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("memo"));
    repo.isolate(&mut command);
    let mut child = command
        .args(["import", "rfc", corpus])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn memo");
    // Kill it once it has written some memos. If it finishes first, the rerun below
    // must still find everything committed.
    let memos = repo.path("memos");
    for _ in 0..2000 {
        let written = std::fs::read_dir(&memos).map_or(0, |d| d.count());
        if written > 20 || child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let _ = child.kill();
    child.wait().expect("wait");

    let out = repo.memo_ok(&["import", "rfc", corpus]);
    assert!(out.contains("Imported "), "{out}");
    assert_eq!(
        repo.git(&["status", "--porcelain", "--untracked-files=all"]),
        "",
        "the rerun commits every file and removes the killed run's temporary files"
    );
    let out = repo.memo_ok(&["import", "rfc", corpus]);
    assert!(out.contains("Imported 0 RFCs"), "{out}");
    assert!(out.contains("with 0 attachment files"), "{out}");
}

#[test]
fn import_of_an_empty_folder_is_an_error() {
    let repo = TestRepo::new();
    let dir = repo.home().join("nothing");
    std::fs::create_dir_all(&dir).expect("folder");
    repo.memo(&["import", "rfc", dir.to_str().expect("path")])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("holds no NNNN-name.md documents"));
}

/// Writes `files` into a new folder `name` under the test's home and returns it.
fn folder_with(repo: &TestRepo, name: &str, files: &[(&str, &[u8])]) -> std::path::PathBuf {
    let dir = repo.home().join(name);
    std::fs::create_dir_all(&dir).expect("folder");
    for (file, content) in files {
        std::fs::write(dir.join(file), content).expect("write");
    }
    dir
}

/// Runs `memo import rfc DIR` and returns its exit code, standard output and error.
fn run_import(repo: &TestRepo, dir: &std::path::Path) -> (Option<i32>, String, String) {
    let output = repo
        .memo(&["import", "rfc", dir.to_str().expect("utf-8 path")])
        .output()
        .expect("run");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn reimport_keeps_changed_memos() {
    let repo = TestRepo::new();
    let dir = folder_with(
        &repo,
        "text",
        &[
            (
                "0001-first.md",
                b"- Start Date: 2020-01-01\n\n# Summary\n\nOne.\n",
            ),
            (
                "0002-rfc-process.md",
                b"- Start Date: 2020-01-02\n\n# Summary\n\nTwo.\n",
            ),
            (
                "0003-third.md",
                b"- Start Date: 2020-01-03\n\n# Summary\n\nThree.\n",
            ),
        ],
    );
    let dir_arg = dir.to_str().expect("utf-8 path");
    repo.memo_ok(&["import", "rfc", dir_arg]);
    repo.memo_ok(&["status", "2", "deferred", "--force", "--reason", "parked"]);
    std::fs::write(
        dir.join("0008-eighth.md"),
        b"- Start Date: 2020-01-08\n\n# Summary\n\nEight.\n",
    )
    .expect("write");

    let out = repo.memo_ok(&["import", "rfc", dir_arg]);
    assert!(out.contains("Imported 1 RFCs (3 already present)"), "{out}");
    assert!(repo.path("memos/0008-eighth.md").is_file());
    let changed = repo.read("memos/0002-rfc-process.md");
    assert!(changed.contains("status: deferred"), "{changed}");
}

#[test]
fn different_memo_at_the_path_is_skipped() {
    let repo = TestRepo::new();
    let dir = folder_with(
        &repo,
        "text",
        &[
            ("0001-first.md", b"# Summary\n\nOne.\n"),
            ("0002-second.md", b"# Summary\n\nTwo.\n"),
        ],
    );
    repo.write(
        "memos/0001-first.md",
        "---\nnumber: 1\ntitle: Mine\n---\n\n# Mine\n",
    );
    repo.git(&["add", "memos"]);
    repo.git(&["commit", "-q", "-m", "Add a memo"]);
    repo.memo(&["import", "rfc", dir.to_str().expect("utf-8 path")])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("Imported 1 RFCs"))
        .stderr(predicates::str::contains(
            "skipped 0001-first.md: memos/0001-first.md already exists and is a different memo",
        ));
    assert!(repo.read("memos/0001-first.md").contains("title: Mine"));
}

#[test]
fn unreadable_files_are_skipped() {
    let repo = TestRepo::new();
    let utf16: Vec<u8> = "\u{feff}# Summary\n\nWide.\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let dir = folder_with(
        &repo,
        "text",
        &[
            ("0001-empty.md", b""),
            ("0002-blank.md", b" \n\n"),
            ("0003-wide.md", &utf16),
            ("0004-fine.md", b"# Summary\n\nFine.\n"),
        ],
    );
    let (code, stdout, stderr) = run_import(&repo, &dir);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stdout.contains("Imported 1 RFCs"), "{stdout}");
    assert!(
        stderr.contains("skipped 0001-empty.md: the file is empty"),
        "{stderr}"
    );
    assert!(
        stderr.contains("skipped 0002-blank.md: the file is empty"),
        "{stderr}"
    );
    assert!(stderr.contains("skipped 0003-wide.md: "), "{stderr}");
    assert!(repo.path("memos/0004-fine.md").is_file());
    assert!(!repo.path("memos/0003-wide.md").exists());
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn odd_file_names_are_skipped() {
    let repo = TestRepo::new();
    let body: &[u8] = b"# Summary\n\nText.\n";
    let dir = folder_with(
        &repo,
        "text",
        &[
            ("0001.md", body),
            ("12-short.md", body),
            ("0013-UPPER.MD", body),
            ("0015-ext.markdown", body),
            ("0014-with space.md", body),
            ("12345-five.md", body),
            ("0016-Self-kept.md", body),
        ],
    );
    let (code, stdout, stderr) = run_import(&repo, &dir);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stdout.contains("Imported 2 RFCs"), "{stdout}");
    for name in [
        "0001.md",
        "12-short.md",
        "0013-UPPER.MD",
        "0015-ext.markdown",
    ] {
        assert!(
            stderr.contains(&format!("skipped {name}: ")),
            "{name}: {stderr}"
        );
    }
    assert!(
        stderr.contains("skipped 0014-with space.md: the name contains whitespace; rename it to 0014-with-space.md"),
        "{stderr}"
    );
    let files: Vec<String> = std::fs::read_dir(repo.path("memos"))
        .expect("memos")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let mut files = files;
    files.sort();
    assert_eq!(files, ["0016-Self-kept.md", "12345-five.md"]);
}

#[test]
fn shared_numbers_are_warned_about() {
    let repo = TestRepo::new();
    repo.new_memo("Adopt Postgres", &[]);
    repo.new_memo("Keep cron", &[]);
    let dir = folder_with(
        &repo,
        "text",
        &[
            ("0002-second.md", b"# Summary\n\nTwo.\n"),
            ("0003-third.md", b"# Summary\n\nThree.\n"),
        ],
    );
    let dir_arg = dir.to_str().expect("utf-8 path");
    repo.memo(&["import", "rfc", dir_arg])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "numbers now used by more than one memo: 0002; `memo list` shows which",
        ));
    repo.memo(&["import", "rfc", dir_arg])
        .assert()
        .success()
        .stderr(predicates::str::contains("0002"));
}

#[test]
fn generic_first_heading_is_not_the_title() {
    let repo = TestRepo::new();
    let dir = folder_with(
        &repo,
        "text",
        &[
            (
                "0001-with-toc.md",
                b"# Table of Contents\n\n- [Summary](#summary)\n\n# Async closures\n\n# Summary\n\nText.\n",
            ),
            ("0002-only-toc.md", b"# TOC:\n\n# Summary\n\nText.\n"),
            ("0003-contents.md", b"# contents\n\nText.\n"),
        ],
    );
    repo.memo_ok(&["import", "rfc", dir.to_str().expect("utf-8 path")]);
    let list = repo.memo_json(&["list", "--json"]);
    assert_eq!(list[0]["title"], "Async closures");
    assert_eq!(list[1]["title"], "Only toc");
    assert_eq!(list[2]["title"], "Contents");
}
