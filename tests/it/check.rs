//! `memo check`: sections, prompts and exit codes.

use crate::common::TestRepo;

#[test]
fn fresh_memo_reports_every_prompt() {
    let repo = TestRepo::new();
    repo.new_memo("Unwritten", &[]);
    let output = repo.memo(&["check", "1"]).output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        stdout.contains(
            "error[unfilled-prompt]: section 'Summary' still holds the template's prompt"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("--> memos/0001-unwritten.md:"), "{stdout}");
    assert!(
        stdout.contains("help: replace the prompt with your own text"),
        "{stdout}"
    );
}

#[test]
fn json_findings_have_the_documented_fields() {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-x.md",
        "---\ntitle: X\ntemplate: adr\n---\n\n## Context\n\n## Decision\n\nWe decide.\n",
    );
    let findings = repo.memo_json(&["check", "--json"]);
    let findings = findings.as_array().expect("array");
    assert!(!findings.is_empty());
    for finding in findings {
        for key in ["rule", "severity", "path", "line", "column", "message"] {
            assert!(finding.get(key).is_some(), "{key} in {finding}");
        }
    }
    let rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().expect("rule"))
        .collect();
    assert!(rules.contains(&"missing-section"), "{rules:?}");
    assert!(rules.contains(&"empty-section"), "{rules:?}");
    let empty = findings
        .iter()
        .find(|f| f["rule"] == "empty-section")
        .expect("empty");
    assert_eq!(empty["line"], 6);
    assert_eq!(empty["severity"], "error");
}

#[test]
fn clean_memo_exits_zero() {
    let repo = TestRepo::new();
    repo.write(
        ".memo/templates/tiny.md",
        "---\ndescription: One section.\n---\n# {{title}}\n\n## Why\n\nSay why this decision has to be made now and by whom.\n",
    );
    repo.write(
        "memos/0001-x.md",
        "---\ntitle: X\ntemplate: tiny\n---\n\n## Why\n\nBecause it is time.\n",
    );
    repo.memo(&["check"])
        .assert()
        .success()
        .stdout(predicates::str::contains("0 errors, 0 warnings"));
}

#[test]
fn unknown_reference_is_exit_two() {
    let repo = TestRepo::new();
    repo.memo(&["check", "99"]).assert().code(2);
}
