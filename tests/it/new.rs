//! `memo init` and `memo new`: scaffolding, numbering, file names and commits.

use crate::common::TestRepo;

#[test]
fn init_writes_and_commits_config() {
    let repo = TestRepo::new();
    let config = repo.read(".memo/config.toml");
    assert!(config.contains("dir = \"memos\""), "{config}");
    assert!(
        config.contains("default_template = \"decision\""),
        "{config}"
    );
    assert!(config.contains("words_per_minute = 200"), "{config}");
    let log = repo.git(&["log", "--format=%s", "--name-only"]);
    assert!(log.contains(".memo/config.toml"), "{log}");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn init_runs_git_init_when_needed() {
    let repo = TestRepo::empty();
    // The identity lives in the home folder's git config here, as for most users.
    std::fs::write(
        repo.home().join(".gitconfig"),
        "[user]\n\tname = Home User\n\temail = home@example.com\n",
    )
    .expect("write gitconfig");
    let out = repo.memo_ok(&["init", "sub"]);
    assert!(out.contains("Initialised a git repository"), "{out}");
    assert!(repo.path("sub/.git").is_dir());
    assert!(repo.path("sub/.memo/config.toml").is_file());
}

#[test]
fn init_twice_changes_nothing() {
    let repo = TestRepo::new();
    let head = repo.git(&["rev-parse", "HEAD"]);
    let out = repo.memo_ok(&["init"]);
    assert!(out.contains("already a memo repository"), "{out}");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
}

#[test]
fn new_scaffolds_front_matter_and_sections() {
    let repo = TestRepo::new();
    let path = repo.new_memo("Adopt Postgres", &["--tag", "db", "--tag", "platform"]);
    assert_eq!(path, "memos/0001-adopt-postgres.md");
    let text = repo.read(&path);
    assert!(text.starts_with("---\nnumber: 1\nuid: "), "{text}");
    for expected in [
        "title: Adopt Postgres\n",
        "status: draft\n",
        "template: decision\n",
        "authors:\n- Test Author <author@example.com>\n",
        "created: 2026-03-02T09:00:00Z\n",
        "tags:\n- db\n- platform\n",
        "# Adopt Postgres\n",
        "## Summary\n",
        "## Options considered\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let uid_line = text
        .lines()
        .find(|l| l.starts_with("uid: "))
        .expect("uid line");
    let uid = uid_line.trim_start_matches("uid: ");
    assert_eq!(uid.len(), 26, "a ULID: {uid}");
}

#[test]
fn new_commits_only_its_file() {
    let repo = TestRepo::new();
    repo.write("notes.txt", "unrelated work in progress\n");
    repo.write("staged.txt", "staged by the user\n");
    repo.git(&["add", "staged.txt"]);

    let path = repo.new_memo("First decision", &[]);
    let files = repo.git(&["show", "--format=", "--name-only", "HEAD"]);
    assert_eq!(files.trim(), path);
    let status = repo.git(&["status", "--porcelain"]);
    assert!(
        status.contains("A  staged.txt"),
        "the user's staging survives:\n{status}"
    );
    assert!(status.contains("?? notes.txt"), "{status}");
    assert!(
        !status.contains("memos/"),
        "the memo is committed and clean:\n{status}"
    );
}

#[test]
fn yaml11_non_strings_are_quoted() {
    let repo = TestRepo::new();
    for (title, line) in [
        ("yes", "title: 'yes'\n"),
        ("2026-03-02", "title: '2026-03-02'\n"),
        ("off", "title: 'off'\n"),
        ("12:30", "title: '12:30'\n"),
        ("0x1F", "title: '0x1F'\n"),
        ("Adopt Postgres", "title: Adopt Postgres\n"),
    ] {
        let path = repo.new_memo(title, &["--tag", "yes", "--tag", "1.5", "--tag", "db"]);
        let text = repo.read(&path);
        assert!(text.contains(line), "{text}");
        assert!(text.contains("tags:\n- 'yes'\n- '1.5'\n- db\n"), "{text}");
        assert!(text.contains("created: 2026-03-02T09:00:00Z\n"), "{text}");
    }
    let titles = repo.memo_json(&["list", "--json"]);
    assert_eq!(titles[0]["title"], "yes");
    assert_eq!(titles[1]["title"], "2026-03-02");
}

#[test]
fn numbers_follow_the_highest() {
    let repo = TestRepo::new();
    assert_eq!(repo.new_memo("One", &[]), "memos/0001-one.md");
    repo.write(
        "memos/0041-imported.md",
        "---\ntitle: Imported\nnumber: 41\n---\n",
    );
    assert_eq!(repo.new_memo("Two", &[]), "memos/0042-two.md");
}

#[test]
fn templates_can_be_chosen_and_overridden() {
    let repo = TestRepo::new();
    let path = repo.new_memo("Record a choice", &["--template", "adr"]);
    assert!(repo.read(&path).contains("template: adr\n"));

    repo.write(
        ".memo/templates/adr.md",
        "---\ndescription: Our own ADR.\n---\n# {{title}}\n\n## Why\n\nSay why we decide this now and what it costs us to wait.\n",
    );
    let path = repo.new_memo("Another choice", &["--template", "adr"]);
    let text = repo.read(&path);
    assert!(text.contains("## Why\n"), "{text}");

    repo.memo(&["new", "--no-edit", "--template", "nope", "X"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown template 'nope'"));
    repo.memo(&["new", "--no-edit", "--template", "../../etc/passwd", "X"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("invalid template name"));
}

#[test]
fn titles_give_safe_file_names() {
    let repo = TestRepo::new();
    let nfc = "Caf\u{e9} cr\u{e8}me pricing";
    let nfd = "Cafe\u{301} cre\u{300}me pricing";
    let long = "A".repeat(300);
    let titles = [
        "GET /v2/orders: deprecate the v1 endpoint",
        "../../outside",
        "C:\\temp\\evil",
        "支払い基盤の移行計画",
        "결제 시스템 이전",
        "🚀🚀🚀",
        "🎯🎯",
        nfc,
        nfd,
        long.as_str(),
    ];
    let mut paths = Vec::new();
    for title in titles {
        let path = repo.new_memo(title, &[]);
        let name = path.strip_prefix("memos/").expect("inside the memo folder");
        assert!(!name.contains('/') && !name.contains('\\'), "{name}");
        assert!(name.len() <= 100, "{} bytes: {name}", name.len());
        assert!(!name.contains("-.md"), "no empty slug: {name}");
        assert!(repo.path(&path).is_file());
        paths.push(path);
    }
    let unique: std::collections::BTreeSet<_> = paths.iter().collect();
    assert_eq!(unique.len(), paths.len(), "{paths:?}");
    assert_eq!(paths[1], "memos/0002-outside.md");
    assert_eq!(paths[2], "memos/0003-c-temp-evil.md");
    assert_eq!(
        &paths[7][11..],
        &paths[8][11..],
        "NFC and NFD titles share a slug"
    );
    assert_eq!(&paths[7][11..], "cafe-creme-pricing.md");

    // Titles are kept exactly in the front matter.
    let list = repo.memo_json(&["list", "--json"]);
    let listed: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|m| m["title"].as_str().expect("title"))
        .collect();
    for title in titles {
        assert!(listed.contains(&title.trim()), "{title} in {listed:?}");
    }
    // Nothing was written outside the memo folder.
    assert!(
        !repo
            .root()
            .parent()
            .expect("parent")
            .join("outside.md")
            .exists()
    );
}

#[test]
fn empty_title_is_rejected_without_taking_a_number() {
    let repo = TestRepo::new();
    repo.memo(&["new", "--no-edit", "   "])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("title must not be empty"));
    assert_eq!(repo.new_memo("Real", &[]), "memos/0001-real.md");
}

#[test]
fn unsafe_title_is_shown_visibly() {
    let repo = TestRepo::new();
    let output = repo
        .memo(&["new", "--no-edit", "Pay \u{202E}evil"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("'Pay <U+202E>evil' holds U+202E at character 5"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\u{202E}'),
        "the override reaches the terminal: {stderr}"
    );
    let output = repo
        .memo(&["new", "--no-edit", "Bell\u{7}"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("'Bell\u{2407}' holds U+0007 at character 5"),
        "{stderr}"
    );
    assert!(
        !repo
            .path("memos")
            .read_dir()
            .expect("memo folder")
            .any(|_| true)
    );
}

#[test]
fn concurrent_new_never_shares_a_number() {
    let repo = TestRepo::new();
    let children: Vec<_> = (0..6)
        .map(|i| {
            let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("memo"));
            repo.isolate(&mut command);
            command
                .args(["new", "--no-edit", &format!("Parallel {i}")])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn memo")
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("wait");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let list = repo.memo_json(&["list", "--json"]);
    let mut numbers: Vec<u64> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|m| m["number"].as_u64().expect("number"))
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "",
        "every memo committed"
    );
    let commits = repo.git(&["rev-list", "--count", "HEAD"]);
    assert_eq!(commits.trim(), "7");
}

#[test]
fn detached_head_is_refused() {
    let repo = TestRepo::new();
    repo.new_memo("One", &[]);
    repo.git(&["checkout", "-q", "--detach"]);
    repo.memo(&["new", "--no-edit", "Two"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("HEAD is detached"))
        .stderr(predicates::str::contains("git switch"));
}

#[test]
fn detached_head_writes_nothing() {
    let repo = TestRepo::new();
    repo.new_memo("One", &[]);
    repo.memo_ok(&["meet", "start", "1", "--no-tui"]);
    let sources = repo.home().join("rfcs");
    std::fs::create_dir_all(&sources).expect("folder");
    std::fs::write(sources.join("0007-thing.md"), "# Summary\n\nText.\n").expect("write");
    repo.git(&["checkout", "-q", "--detach"]);
    let before = repo.read("memos/0001-one.md");
    let sources = sources.to_string_lossy().into_owned();
    let commands: [&[&str]; 6] = [
        &["new", "--no-edit", "Two"],
        &["status", "1", "rejected"],
        &["import", "rfc", &sources],
        &["edit", "1"],
        &["meet", "end", "1", "--outcome", "accepted", "--force"],
        &["comment", "list", "1"],
    ];
    for args in &commands[..5] {
        let output = repo.memo(args).output().expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "memo {args:?}: {stderr}");
        assert!(
            stderr.contains("HEAD is detached"),
            "memo {args:?}: {stderr}"
        );
        assert_eq!(
            repo.git(&["status", "--porcelain", "--untracked-files=all"]),
            "",
            "memo {args:?} left a change behind"
        );
    }
    assert_eq!(repo.read("memos/0001-one.md"), before);
    // Reading needs no branch.
    repo.memo_ok(commands[5]);
    let meeting = repo.memo_ok(&["meet", "status", "1"]);
    assert!(!meeting.contains("ended"), "{meeting}");
}

#[test]
fn init_on_detached_head_writes_nothing() {
    let repo = TestRepo::empty();
    repo.git(&["init", "-q", "-b", "main"]);
    repo.set_identity("Test Author", "author@example.com");
    repo.write("README.md", "Decisions.\n");
    repo.git(&["add", "README.md"]);
    repo.git(&["commit", "-q", "-m", "Start"]);
    repo.git(&["checkout", "-q", "--detach"]);
    repo.memo(&["init"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("HEAD is detached"));
    assert!(!repo.path(".memo").exists());
    assert!(!repo.path("memos").exists());
}
