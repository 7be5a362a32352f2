//! Repository templates: an invalid template file fails only the memos that use it,
//! and every kind of invalid template is reported with its file, line and fix.

use crate::common::TestRepo;

const TINY: &str = "---\ndescription: One section.\n---\n# {{title}}\n\n## Why\n\nSay why this decision has to be made now and by whom.\n";

const TINY_MEMO: &str = "---\ntitle: Queue\nstatus: draft\ntemplate: tiny\n---\n\n# Queue\n\n## Why\n\nBecause the batch window overran on 14 of the last 70 nights.\n";

const BROKEN_MEMO: &str =
    "---\ntitle: Cache\nstatus: draft\ntemplate: broken\n---\n\n# Cache\n\n## Why\n\nBecause.\n";

/// Creates a repository with a valid `tiny` template and a memo of it.
fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".memo/templates/tiny.md", TINY);
    repo.write("memos/0001-queue.md", TINY_MEMO);
    repo
}

/// Runs `memo check --json` and returns the exit code and the findings.
fn check_json(repo: &TestRepo, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut all = vec!["check", "--json"];
    all.extend_from_slice(args);
    let output = repo.memo(&all).output().expect("run memo");
    let findings = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON ({e}); stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code(), findings)
}

#[test]
fn invalid_template_fails_only_its_memos() {
    let repo = repo();
    repo.write(
        ".memo/templates/broken.md",
        "---\ndescription: [never closed\n---\n# {{title}}\n\n## Why\n\nSay why.\n",
    );
    repo.write("memos/0002-cache.md", BROKEN_MEMO);

    // The memo of the valid template passes on its own.
    let (code, findings) = check_json(&repo, &["1"]);
    assert_eq!(code, Some(0), "{findings:#}");

    // The memo of the broken template fails with the template's error.
    let (code, findings) = check_json(&repo, &["2"]);
    assert_eq!(code, Some(1), "{findings:#}");
    let finding = &findings[0];
    assert_eq!(finding["rule"], "invalid-template");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["line"], 4, "points at the memo's template line");
    let message = finding["message"].as_str().expect("message");
    assert!(
        message.contains("template 'broken' is invalid"),
        "{message}"
    );
    assert!(message.contains(".memo/templates/broken.md:"), "{message}");
    assert!(message.contains("not valid YAML"), "{message}");

    // Every other command that loads templates still works.
    let created = repo.new_memo("Another", &["--template", "tiny"]);
    assert_eq!(created, "memos/0003-another.md");
    repo.new_memo("Default", &[]);
}

#[test]
fn new_with_invalid_template_is_rejected() {
    let repo = repo();
    repo.write(".memo/templates/broken.md", "");
    let output = repo
        .memo(&["new", "--no-edit", "--template", "broken", "Cache"])
        .output()
        .expect("run memo");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("invalid template 'broken'"), "{stderr}");
    assert!(stderr.contains("file is empty"), "{stderr}");
    assert!(stderr.contains("write the template"), "{stderr}");
    assert!(!stderr.contains("write the memo"), "{stderr}");
    assert!(!repo.path("memos/0002-cache.md").exists());
}

#[test]
fn invalid_template_overrides_builtin() {
    let repo = repo();
    repo.write(
        ".memo/templates/decision.md",
        "---\npages: 0\n---\n# {{title}}\n",
    );
    let output = repo
        .memo(&["new", "--no-edit", "Cache"])
        .output()
        .expect("run memo");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("decision.md:2:"), "{stderr}");
}

#[test]
fn templates_lists_invalid_with_error() {
    let repo = repo();
    repo.write(
        ".memo/templates/broken.md",
        "---\nsize: 3\n---\n# {{title}}\n",
    );
    let listing = repo.memo_ok(&["templates"]);
    assert!(listing.contains("tiny "), "{listing}");
    assert!(listing.contains("decision "), "{listing}");
    let line = listing
        .lines()
        .find(|l| l.starts_with("broken "))
        .unwrap_or_else(|| panic!("broken is listed:\n{listing}"));
    assert!(line.contains("invalid: "), "{line}");
    assert!(line.contains("broken.md:2: "), "{line}");
    assert!(line.contains("unknown field `size`"), "{line}");

    let json = repo.memo_json(&["templates", "--json"]);
    let entries = json.as_array().expect("array");
    let broken = entries
        .iter()
        .find(|e| e["name"] == "broken")
        .expect("broken entry");
    assert!(broken["error"].as_str().is_some_and(|e| e.contains("size")));
    let tiny = entries.iter().find(|e| e["name"] == "tiny").expect("tiny");
    assert!(tiny.get("error").is_none(), "{tiny}");
}

/// Every kind of invalid template: the text, the line the error names, words of the
/// message and words of the hint.
const INVALID: &[(&str, &str, usize, &str, &str)] = &[
    (
        "word limits out of order",
        "---\nsections:\n  - heading: Why\n    max_words: 10\n    min_words: 50\n---\n# {{title}}\n\n## Why\n\nSay why.\n",
        5,
        "min_words 50 is more than max_words 10",
        "no larger than max_words",
    ),
    (
        "zero pages",
        "---\ndescription: x\npages: 0\n---\n# {{title}}\n\n## Why\n\nSay why.\n",
        3,
        "pages: 0 is not allowed",
        "pages of 1 or more",
    ),
    (
        "zero words per page",
        "---\nwords_per_page: 0\n---\n# {{title}}\n\n## Why\n\nSay why.\n",
        2,
        "words_per_page: 0 is not allowed",
        "words_per_page of 1 or more",
    ),
    ("empty file", "", 1, "file is empty", "write the template"),
    (
        "two sections with one heading",
        "---\ndescription: x\n---\n# {{title}}\n\n## Why\n\nSay why.\n\n## Risks\n\nSay what.\n\n## why\n\nAgain.\n",
        14,
        "section 'why' has the same heading as the section 'Why'",
        "its own heading",
    ),
    (
        "two rule entries for one heading",
        "---\nsections:\n  - heading: Why\n    min_words: 5\n  - heading: Why\n    max_words: 9\n---\n# {{title}}\n\n## Why\n\nSay why.\n",
        5,
        "'Why' has a second entry of rules",
        "merge the two entries",
    ),
    (
        "rules for a missing heading",
        "---\nsections:\n  - heading: Why\n  - heading: Nowhere\n---\n# {{title}}\n\n## Why\n\nSay why.\n",
        4,
        "'Nowhere' has rules but no heading in the skeleton",
        "add the heading",
    ),
    (
        "list share above one",
        "---\nsections:\n  - heading: Why\n    max_list_share: 30\n---\n# {{title}}\n\n## Why\n\nSay why.\n",
        4,
        "max_list_share = 30",
        "`max_list_share: 0.3`",
    ),
];

#[test]
fn invalid_templates_name_file_line_and_fix() {
    for (case, text, line, message, hint) in INVALID {
        let repo = TestRepo::new();
        repo.write(".memo/templates/broken.md", text);
        let output = repo
            .memo(&["new", "--no-edit", "--template", "broken", "Cache"])
            .output()
            .expect("run memo");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{case}: {stderr}");
        let place = format!(".memo/templates/broken.md:{line}: invalid template 'broken'");
        assert!(
            stderr.contains(&place),
            "{case}: expected {place}:\n{stderr}"
        );
        assert!(stderr.contains(message), "{case}: {stderr}");
        assert!(stderr.contains(hint), "{case}: {stderr}");
    }
}

#[test]
fn template_file_given_by_path_is_validated() {
    let repo = TestRepo::empty();
    repo.write(
        "t.md",
        "---\nsections:\n  - heading: Why\n    min_words: 50\n    max_words: 10\n---\n# {{title}}\n\n## Why\n\nSay why.\n",
    );
    repo.write(
        "memo.md",
        "# Cache\n\n## Why\n\nBecause the cache misses.\n",
    );
    let output = repo
        .memo(&["check", "--template", "t.md", "memo.md"])
        .output()
        .expect("run memo");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("t.md:4: invalid template 't'"), "{stderr}");
}
