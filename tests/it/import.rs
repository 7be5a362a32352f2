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
