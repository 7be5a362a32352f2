//! Front matter behind a byte-order mark, with CRLF endings, unclosed or missing.

use crate::common::TestRepo;

const REFERENCE: &str = "---\ntitle: Move nightly batch jobs to an event queue\nstatus: draft\nauthors: [author-a]\ncreated: 2024-05-02T10:00:00+00:00\ntemplate: narrative\n---\n\n# Move nightly batch jobs to an event queue\n\n## Summary\nWe propose replacing the nightly batch window with an event queue.\n\n## Context\nThe batch window overran on 14 of the last 70 nights.\n";

fn repo_with_variants() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        ".memo/templates/narrative.md",
        "---\ndescription: Two sections.\n---\n# {{title}}\n\n## Summary\n\nState the proposal in two sentences a busy reader will remember.\n\n## Context\n\nDescribe the situation and the numbers that show the problem is real.\n",
    );
    let crlf = REFERENCE.replace('\n', "\r\n");
    repo.write("memos/0001-lf.md", REFERENCE);
    repo.write("memos/0002-bom.md", format!("\u{feff}{REFERENCE}"));
    repo.write("memos/0003-crlf.md", &crlf);
    repo.write("memos/0004-bom-crlf.md", format!("\u{feff}{crlf}"));
    repo
}

#[test]
fn bom_and_crlf_read_like_lf() {
    let repo = repo_with_variants();
    let reference = repo.memo_json(&["show", "0001-lf.md", "--json"]);
    for name in ["0002-bom.md", "0003-crlf.md", "0004-bom-crlf.md"] {
        let shown = repo.memo_json(&["show", name, "--json"]);
        assert_eq!(
            shown["title"], "Move nightly batch jobs to an event queue",
            "{name}"
        );
        assert_eq!(shown["status"], "draft", "{name}");
        assert_eq!(shown["created"], "2024-05-02T10:00:00Z", "{name}");
        assert_eq!(shown["sections"], reference["sections"], "{name}");
        let check = repo.memo(&["check", name]).output().expect("run");
        assert_eq!(
            check.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&check.stdout)
        );
    }
}

#[test]
fn bom_and_crlf_memos_are_found_and_indexed_clean() {
    let repo = repo_with_variants();
    let hits = repo.memo_json(&["search", "event queue", "--json", "--limit", "10"]);
    let hits = hits.as_array().expect("array");
    assert_eq!(hits.len(), 4, "{hits:?}");
    for hit in hits {
        let title = hit["title"].as_str().expect("title");
        assert!(
            !title.contains('\u{feff}') && !title.contains('\r'),
            "{title:?}"
        );
        assert!(!hit["snippet"].as_str().expect("snippet").contains('\r'));
    }
}

#[test]
fn status_rewrite_keeps_the_rest_of_the_bytes() {
    let repo = repo_with_variants();
    // The check gate is not under test here.
    for (number, name) in [("3", "memos/0003-crlf.md"), ("2", "memos/0002-bom.md")] {
        let before = repo.read(name);
        repo.memo_ok(&["status", number, "accepted", "--force", "--reason", "test"]);
        let after = repo.read(name);
        let expected = before
            .replacen("status: draft", "status: accepted", 1)
            .replacen(
                "template: narrative",
                &format!(
                    "template: narrative{}decided: 2026-03-02T09:00:00Z",
                    if name.contains("crlf") { "\r\n" } else { "\n" }
                ),
                1,
            );
        assert_eq!(after, expected, "{name}");
    }
}

const UNCLOSED: &str = "---\ntitle: Retire the legacy billing export\nstatus: draft\n--\n\n# Retire the legacy billing export\n\n## Summary\nSwitch off the nightly CSV billing export.\n";

#[test]
fn unclosed_front_matter_is_an_error_and_nothing_is_repaired() {
    let repo = TestRepo::new();
    repo.write("memos/0001-unclosed.md", UNCLOSED);
    repo.memo(&["check", "1"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "front matter opened on line 1 is never closed (line 4 '--' looks like a mistyped '---')",
        ));
    let shown = repo.memo_ok(&["show", "1"]);
    assert!(
        shown.contains("Summary"),
        "the sections stay visible:\n{shown}"
    );
    let hits = repo.memo_json(&["search", "billing export", "--json"]);
    assert_eq!(hits.as_array().expect("array").len(), 1);
    repo.memo(&["status", "1", "accepted", "--force", "--reason", "x"])
        .assert()
        .code(2);
    assert_eq!(
        repo.read("memos/0001-unclosed.md"),
        UNCLOSED,
        "no command changed the file"
    );
}

#[test]
fn leading_thematic_break_is_not_front_matter() {
    let repo = TestRepo::new();
    let text = "---\n\n# Notes from the pricing offsite\n\n## Summary\n\nThree pricing experiments were discussed.\n";
    repo.write("memos/0001-notes.md", text);
    let shown = repo.memo_json(&["show", "1", "--json"]);
    assert_eq!(shown["title"], "Notes from the pricing offsite");
    // Not a YAML error about the heading, and not a silent "no front matter" either.
    let findings = repo.memo_json(&["check", "1", "--json"]);
    let findings = findings.as_array().expect("array");
    assert!(
        findings.iter().all(|f| f["rule"] != "front-matter"),
        "{findings:#?}"
    );
    let missing = findings
        .iter()
        .find(|f| f["rule"] == "missing-field")
        .expect("missing-field finding");
    assert_eq!(missing["line"], 1);
    let message = missing["message"].as_str().expect("message");
    assert!(
        message.contains("line 1 '---' reads as a thematic break")
            && message.contains("line 3 '# Notes from the pricing offsite'")
            && message.contains("title, status, authors, created"),
        "{message}"
    );
    let hits = repo.memo_json(&["search", "pricing offsite", "--json"]);
    assert_eq!(hits.as_array().expect("array").len(), 1);
}

#[test]
fn nested_duplicate_key_names_second_line() {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-dup.md",
        "---\ntitle: A\nstatus: draft\nwaivers:\n  bullet-fragments: The board asked for a list.\n  bullet-fragments: The FAQ is a list.\n---\n\nBody.\n",
    );
    let findings = repo.memo_json(&["check", "--json"]);
    let finding = &findings[0];
    assert_eq!(finding["rule"], "front-matter");
    assert_eq!(finding["line"], 6);
    assert_eq!(finding["column"], 3);
    assert_eq!(
        finding["message"],
        "front matter key 'waivers.bullet-fragments' appears twice (first on line 5)"
    );
    assert_eq!(
        finding["help"],
        "keep one of the two lines; YAML allows each key once"
    );
}

#[test]
fn bad_files_give_one_precise_error_each() {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-dup.md",
        "---\ntitle: A\nstatus: draft\ntitle: B\n---\n\nBody.\n",
    );
    repo.write("memos/0002-toml.md", "+++\ntitle = \"A\"\n+++\n\nBody.\n");
    repo.write(
        "memos/0003-binary.md",
        b"---\ntitle: A\n---\n\x00\x01\x02".as_slice(),
    );
    repo.write(
        "memos/0004-latin1.md",
        b"---\ntitle: caf\xe9\n---\n".as_slice(),
    );
    repo.write("memos/0005-empty.md", "");
    let findings = repo.memo_json(&["check", "--json"]);
    let findings = findings.as_array().expect("array");
    let find = |path: &str| {
        findings
            .iter()
            .find(|f| f["path"] == path && f["rule"] == "front-matter")
            .unwrap_or_else(|| panic!("no front-matter finding for {path}: {findings:#?}"))
    };
    let dup = find("memos/0001-dup.md");
    assert_eq!(dup["line"], 4);
    assert_eq!(
        dup["message"],
        "front matter key 'title' appears twice (first on line 2)"
    );
    let toml = find("memos/0002-toml.md");
    assert!(
        toml["message"].as_str().expect("message").contains("TOML"),
        "{toml}"
    );
    let binary = find("memos/0003-binary.md");
    assert_eq!(binary["line"], 4);
    let latin1 = find("memos/0004-latin1.md");
    assert_eq!(
        (latin1["line"].as_u64(), latin1["column"].as_u64()),
        (Some(2), Some(11))
    );
    let empty = find("memos/0005-empty.md");
    assert_eq!(
        (empty["line"].as_u64(), empty["message"].as_str()),
        (Some(1), Some("file is empty"))
    );
    for path in [
        "memos/0001-dup.md",
        "memos/0002-toml.md",
        "memos/0003-binary.md",
        "memos/0004-latin1.md",
        "memos/0005-empty.md",
    ] {
        let count = findings.iter().filter(|f| f["path"] == path).count();
        assert_eq!(count, 1, "one finding for {path}: {findings:#?}");
    }
    // The listing warns about the undecodable files and goes on with the others.
    let list = repo.memo(&["list", "--json"]).output().expect("run");
    assert!(list.status.success());
    let stderr = String::from_utf8_lossy(&list.stderr);
    assert!(
        stderr.contains("0003-binary.md:4:1: file is binary"),
        "{stderr}"
    );
    let listed: serde_json::Value = serde_json::from_slice(&list.stdout).expect("json");
    assert_eq!(listed.as_array().expect("array").len(), 2);
}

#[test]
fn yaml_error_has_file_positions_only() {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-bad-yaml.md",
        "---\ntitle: Bad\nnumber: 1\ntags: [a, b\nstatus: draft\n---\n\n# Bad\n",
    );
    let output = repo.memo(&["check", "1"]).output().expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("--> memos/0001-bad-yaml.md:5:7"),
        "the error's place counts file lines: {stdout}"
    );
    // The flow sequence opens on file line 4, the block's third line.
    assert!(
        stdout.contains(
            "did not find expected ',' or ']', while parsing a flow sequence at line 4 column 7"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("at line 3"), "{stdout}");
}
