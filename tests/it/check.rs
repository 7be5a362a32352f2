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

const TINY: &str = "---\ndescription: One section with rules.\nrequired_fields: [title, status]\nsections:\n  - heading: Why\n    min_words: 8\n    evidence: true\n---\n# {{title}}\n\n## Why\n\nSay why this decision has to be made now and by whom.\n";

const CLEAN: &str = "---\nnumber: 1\ntitle: Queue\nstatus: draft\ntemplate: tiny\n---\n\n# Queue\n\n## Why\n\nBecause the batch window overran on 14 of the last 70 nights.\n";

fn tiny_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".memo/templates/tiny.md", TINY);
    repo
}

/// A memo with findings of several rules on known lines.
fn faulty() -> String {
    CLEAN
        .replace("status: draft\n", "")
        .replace("Because the batch", "Because TBD the \u{1b}[2Jbatch")
        .replace("on 14 of the last 70 nights.", "often, every single week.")
}

#[test]
fn human_output_reads_like_rustc() {
    let repo = tiny_repo();
    repo.write("memos/0001-queue.md", faulty());
    let output = repo.memo(&["check"]).output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let expected = "error[placeholder]: placeholder `TBD` left in the text
  --> memos/0001-queue.md:11:9
   |
11 | Because TBD the ␛[2Jbatch window overran often, every single week.
   |         ^^^
   |
   = help: replace `TBD` with what it stands for, or move the open point to the unresolved questions
";
    assert!(stdout.contains(expected), "{stdout}");
    assert!(
        stdout
            .contains("warning[control-characters]: terminal control characters on line 11 (ESC)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("warning[missing-evidence]: section 'Why' cites no evidence"),
        "{stdout}"
    );
    assert!(
        stdout.contains("error[missing-field]: front matter key `status` is missing; template 'tiny' requires it"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("2 errors, 2 warnings in 1 memo of 1 checked\n"),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "no escape reaches the output");
}

#[test]
fn colour_only_when_asked() {
    let repo = tiny_repo();
    repo.write("memos/0001-queue.md", faulty());
    let plain = repo.memo(&["check"]).output().expect("run");
    assert!(!plain.stdout.contains(&0x1b));
    let never = repo
        .memo(&["--color", "never", "check"])
        .output()
        .expect("run");
    assert!(!never.stdout.contains(&0x1b));
    let always = repo
        .memo(&["--color", "always", "check"])
        .env_remove("NO_COLOR")
        .output()
        .expect("run");
    let text = String::from_utf8(always.stdout).expect("utf-8");
    assert!(text.contains("\u{1b}["), "{text}");
    assert!(
        !text.contains("\u{1b}[2J"),
        "memo text stays sanitised: {text:?}"
    );
}

#[test]
fn json_findings_have_spans_help_and_waiver() {
    let repo = tiny_repo();
    repo.write("memos/0001-queue.md", faulty());
    let findings = repo.memo_json(&["check", "--json"]);
    let placeholder = findings
        .as_array()
        .expect("array")
        .iter()
        .find(|f| f["rule"] == "placeholder")
        .expect("placeholder finding");
    assert_eq!(
        (
            &placeholder["line"],
            &placeholder["column"],
            &placeholder["end_line"],
            &placeholder["end_column"]
        ),
        (&11.into(), &9.into(), &11.into(), &12.into())
    );
    assert!(
        placeholder["help"]
            .as_str()
            .expect("help")
            .starts_with("replace `TBD`")
    );
    assert!(placeholder["waiver"].is_null());
}

#[test]
fn waiver_prints_its_reason_and_does_not_fail() {
    let repo = tiny_repo();
    let text = CLEAN
        .replace("status: draft\n", "status: draft\nwaivers:\n  missing-evidence: The figures are in the attached incident review.\n")
        .replace("on 14 of the last 70 nights.", "often, as everyone has seen.");
    repo.write("memos/0001-queue.md", &text);
    let output = repo.memo(&["check"]).output().expect("run");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(
            "note[missing-evidence]: waived: The figures are in the attached incident review."
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("0 errors, 0 warnings, 1 waived"),
        "{stdout}"
    );
    let json = repo.memo_json(&["check", "--json"]);
    assert_eq!(json[0]["severity"], "note");
    assert_eq!(
        json[0]["waiver"],
        "The figures are in the attached incident review."
    );

    // A waiver without a reason is an error, and waives nothing.
    repo.write(
        "memos/0001-queue.md",
        text.replace("The figures are in the attached incident review.", "fine"),
    );
    let rules: Vec<String> = repo
        .memo_json(&["check", "--json"])
        .as_array()
        .expect("array")
        .iter()
        .map(|f| format!("{} {}", f["rule"], f["severity"]))
        .collect();
    assert_eq!(
        rules,
        [
            "\"invalid-waiver\" \"error\"",
            "\"missing-evidence\" \"warning\""
        ]
    );

    // A memo whose only errors are waived may go to review.
    repo.write(
        "memos/0001-queue.md",
        text.replace("missing-evidence", "section-too-short")
            .replace("often, as everyone has seen.", "on 14 nights."),
    );
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "memo"]);
    repo.memo_ok(&["status", "1", "review"]);
}

#[test]
fn waiver_reason_counts_real_words() {
    let repo = tiny_repo();
    let with_reason = |reason: &str| {
        CLEAN
            .replace(
                "status: draft\n",
                &format!("status: draft\nwaivers:\n  missing-evidence: \"{reason}\"\n"),
            )
            .replace(
                "on 14 of the last 70 nights.",
                "often, as everyone has seen.",
            )
    };
    // Reason, expected message, and whether the waiver is accepted.
    let cases = [
        (
            "- - -",
            Some("gives no reason (a reason needs at least 3 words)"),
        ),
        (
            "... !!! ???",
            Some("gives no reason (a reason needs at least 3 words)"),
        ),
        (
            "Board asked",
            Some("gives a reason of 2 words; it needs at least 3"),
        ),
        (
            "Ok - -",
            Some("gives a reason of 1 word; it needs at least 3"),
        ),
        ("Figures in 2024-review.", None),
        ("Die Zahlen stehen", None),
    ];
    for (reason, expected) in cases {
        repo.write("memos/0001-queue.md", with_reason(reason));
        let json = repo.memo_json(&["check", "--json"]);
        let invalid: Vec<&str> = json
            .as_array()
            .expect("array")
            .iter()
            .filter(|f| f["rule"] == "invalid-waiver")
            .filter_map(|f| f["message"].as_str())
            .collect();
        match expected {
            Some(message) => {
                assert_eq!(invalid.len(), 1, "{reason:?}: {json:#}");
                assert!(invalid[0].contains(message), "{reason:?}: {}", invalid[0]);
            }
            None => assert!(invalid.is_empty(), "{reason:?}: {json:#}"),
        }
    }
}

#[test]
fn fixed_rules_cannot_be_lowered() {
    let repo = tiny_repo();
    // Broken front matter and a conflict left in the text.
    repo.write(
        "memos/0001-queue.md",
        CLEAN.replace("template: tiny\n---", "template: tiny\n--"),
    );
    repo.write(
        "memos/0002-cache.md",
        CLEAN.replace(
            "Because the batch window",
            "<<<<<<< ours\nBecause\n=======\nSince\n>>>>>>> theirs\nthe batch window",
        ),
    );
    let config = repo.read(".memo/config.toml");

    for rule in [
        "front-matter",
        "conflict-marker",
        "invalid-template",
        "unknown-template",
    ] {
        for flag in ["--allow", "--warn"] {
            let output = repo.memo(&["check", flag, rule]).output().expect("run");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{flag} {rule}: {stderr}");
            let expected =
                format!("{flag} {rule} is not allowed: rule '{rule}' is always an error, because");
            assert!(stderr.contains(&expected), "{stderr}");
        }
        for level in ["off", "warning"] {
            repo.write(
                ".memo/config.toml",
                format!("{config}\n[check.severity]\n{rule} = \"{level}\"\n"),
            );
            let output = repo.memo(&["check"]).output().expect("run");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{rule} = {level}: {stderr}");
            let expected = format!("check.severity.{rule} = '{level}' is not allowed");
            assert!(stderr.contains(&expected), "{stderr}");
        }
        repo.write(".memo/config.toml", &config);
    }

    // Both memos fail with errors, and `--deny` of a fixed rule is allowed.
    let output = repo
        .memo(&["check", "--deny", "front-matter"])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("error[front-matter]"), "{stdout}");
    assert!(stdout.contains("error[conflict-marker]"), "{stdout}");

    let rules = repo.memo_ok(&["check", "--list-rules"]);
    let line = rules
        .lines()
        .find(|l| l.starts_with("front-matter "))
        .expect("front-matter listed");
    assert!(line.contains("always an error"), "{line}");
}

#[test]
fn missing_path_is_not_found() {
    let outside = TestRepo::empty();
    let repo = tiny_repo();
    repo.write("memos/0001-queue.md", CLEAN);
    std::fs::create_dir_all(repo.path("notes")).expect("create folder");

    // Arguments and the folder they run in (relative to the root).
    let cases: [(&TestRepo, &str, &[&str]); 6] = [
        (&outside, ".", &["missing.md"]),
        (&outside, ".", &["sub/missing"]),
        (&repo, ".", &["missing.md"]),
        (&repo, ".", &["memos/0009-gone.md"]),
        (&repo, "notes", &["../memos/0009-gone.md"]),
        (&repo, ".", &["memos/0001-queue.md", "missing.md"]),
    ];
    for (test_repo, dir, args) in cases {
        let missing = args.last().expect("an argument");
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        let output = test_repo
            .memo(&all)
            .current_dir(test_repo.path(dir))
            .output()
            .expect("run memo");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(
            stderr.trim(),
            format!("error: {missing}: not found"),
            "{args:?}"
        );
    }

    // A memo's file name still resolves from another folder.
    let output = repo
        .memo(&["check", "0001-queue.md"])
        .current_dir(repo.path("notes"))
        .output()
        .expect("run memo");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn severity_from_config_and_command_line() {
    let repo = tiny_repo();
    repo.write("memos/0001-queue.md", faulty());
    let config = repo.read(".memo/config.toml");
    repo.write(
        ".memo/config.toml",
        format!("{config}\n[check.severity]\nplaceholder = \"warning\"\nmissing-field = \"off\"\n"),
    );
    let output = repo.memo(&["check"]).output().expect("run");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("warning[placeholder]"), "{stdout}");
    assert!(!stdout.contains("missing-field"), "{stdout}");

    repo.memo(&["check", "--deny", "control-characters"])
        .assert()
        .code(1);
    repo.memo(&["check", "--allow", "nonsense"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown rule 'nonsense'"));

    repo.write(
        ".memo/config.toml",
        format!("{config}\n[check.severity]\nplaceholders = \"warning\"\n"),
    );
    repo.memo(&["check"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "check.severity.placeholders names no rule",
        ));
}

#[test]
fn stats_show_sections_reading_time_and_pages() {
    let repo = tiny_repo();
    repo.write("memos/0001-queue.md", CLEAN);
    let stdout = repo.memo_ok(&["check", "1", "--stats"]);
    assert!(
        stdout.contains("memos/0001-queue.md (template tiny)"),
        "{stdout}"
    );
    assert!(stdout.contains("section"), "{stdout}");
    assert!(stdout.contains("1 figure"), "{stdout}");
    assert!(
        stdout.contains("reading time 1 min at 200 words a minute"),
        "{stdout}"
    );
    let stats = repo.memo_json(&["check", "1", "--stats", "--json"]);
    let memo = &stats[0];
    assert_eq!(memo["path"], "memos/0001-queue.md");
    assert_eq!(memo["words_per_page"], 500);
    let why = memo["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["heading"] == "Why")
        .expect("Why");
    assert_eq!(why["words"], 12);
    assert_eq!(why["prose_share"], 1.0);
    assert_eq!(why["template_section"], "Why");
    assert_eq!(why["evidence"]["figures"], 1);
    assert_eq!(memo["findings"].as_array().expect("findings").len(), 0);
}

#[test]
fn list_rules_names_every_rule() {
    let repo = TestRepo::empty();
    let rules = repo.memo_json(&["check", "--list-rules", "--json"]);
    let ids: Vec<&str> = rules
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert!(
        ids.contains(&"bullet-fragments") && ids.contains(&"conflict-marker"),
        "{ids:?}"
    );
}

#[test]
fn byte_order_mark_and_crlf_give_the_same_findings() {
    let repo = tiny_repo();
    let text = faulty();
    let variants = [
        ("memos/0001-lf.md", text.clone()),
        ("memos/0002-bom.md", format!("\u{feff}{text}")),
        ("memos/0003-crlf.md", text.replace('\n', "\r\n")),
        (
            "memos/0004-bom-crlf.md",
            format!("\u{feff}{}", text.replace('\n', "\r\n")),
        ),
    ];
    let mut results = Vec::new();
    for (path, content) in &variants {
        repo.write(path, content.replace("number: 1", ""));
        let findings = repo.memo_json(&["check", path, "--json"]);
        let mut findings = findings.as_array().expect("array").clone();
        for finding in &mut findings {
            finding["path"] = serde_json::Value::Null;
        }
        assert!(findings.len() >= 4, "{findings:#?}");
        results.push(findings);
    }
    for other in &results[1..] {
        assert_eq!(other, &results[0]);
    }
}

#[test]
fn check_never_modifies_a_file() {
    let repo = tiny_repo();
    let files = [
        ("memos/0001-queue.md", faulty().into_bytes()),
        ("memos/0002-crlf.md", format!("\u{feff}{}", CLEAN.replace("number: 1", "number: 2").replace('\n', "\r\n")).into_bytes()),
        ("memos/0003-unclosed.md", b"---\ntitle: A\n--\n\n# A\n".to_vec()),
        ("memos/0004-conflict.md", b"---\ntitle: A\n<<<<<<< HEAD\nstatus: draft\n=======\nstatus: review\n>>>>>>> other\n---\n".to_vec()),
        ("memos/0005-binary.md", b"\x00\x01\x02".to_vec()),
        ("notes/loose.md", b"# Loose\n\nTODO\n".to_vec()),
    ];
    for (path, bytes) in &files {
        repo.write(path, bytes);
    }
    repo.git(&["add", "-A"]);
    let before = repo.git(&["ls-files", "-s"]);
    let status = repo.git(&["status", "--porcelain"]);
    for args in [
        vec!["check"],
        vec!["check", "--json"],
        vec!["check", "--stats"],
        vec!["check", "--staged"],
        vec!["check", "1", "2", "memos/0005-binary.md", "notes/loose.md"],
    ] {
        repo.memo(&args).output().expect("run");
    }
    for (path, bytes) in &files {
        assert_eq!(&repo.read_bytes(path), bytes, "{path} is unchanged");
    }
    assert_eq!(
        repo.git(&["ls-files", "-s"]),
        before,
        "the index is unchanged"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), status);
}

#[test]
fn conflict_markers_are_one_finding_each() {
    let repo = tiny_repo();
    repo.write(
        "memos/0001-queue.md",
        CLEAN.replace(
            "Because",
            "<<<<<<< HEAD\nBecause\n=======\nSince\n>>>>>>> other\n",
        ),
    );
    repo.write(
        "memos/0002-front.md",
        "---\ntitle: A\n<<<<<<< HEAD\nstatus: draft\n=======\nstatus: review\n>>>>>>> other\n---\n\n# A\n",
    );
    let findings = repo.memo_json(&["check", "--json"]);
    let found: Vec<String> = findings
        .as_array()
        .expect("array")
        .iter()
        .map(|f| {
            format!(
                "{} {} {}-{}",
                f["path"], f["rule"], f["line"], f["end_line"]
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "\"memos/0001-queue.md\" \"conflict-marker\" 12-16",
            "\"memos/0002-front.md\" \"conflict-marker\" 3-7",
        ]
    );
}

#[test]
fn unreadable_memo_named_by_path_is_a_finding() {
    let repo = tiny_repo();
    repo.write("memos/0001-bin.md", b"ab\x00cd".as_slice());
    let output = repo
        .memo(&["check", "memos/0001-bin.md"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("error[front-matter]: file is binary (it contains a NUL byte)"),
        "{stdout}"
    );
    assert!(stdout.contains("--> memos/0001-bin.md:1:3"), "{stdout}");
}

#[test]
fn large_memo_is_checked_without_failing() {
    let repo = tiny_repo();
    let paragraph = "The batch window overran again last night and the morning reports were late. ";
    let body = paragraph.repeat(10 * 1024 * 1024 / paragraph.len());
    repo.write(
        "memos/0001-queue.md",
        CLEAN.replace("Because", &format!("{body}\n\nBecause")),
    );
    let findings = repo.memo_json(&["check", "--json"]);
    let rules: Vec<&str> = findings
        .as_array()
        .expect("array")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule"))
        .collect();
    assert_eq!(rules, ["long-read"]);
    assert_eq!(findings[0]["line"], 8);
}

#[test]
fn files_outside_a_repository_with_a_template_file() {
    let dir = TestRepo::empty();
    dir.write("adr-template.md", TINY);
    dir.write(
        "docs/0001-queue.md",
        faulty().replace("template: tiny\n", ""),
    );
    dir.write("docs/0002-link.md", "---\ntitle: L\nstatus: draft\n---\n\n## Why\n\nSee [the queue memo](0001-queue.md) and [the gone one](0009-gone.md), 40% faster.\n");
    let output = dir
        .memo(&[
            "check",
            "--template",
            "adr-template.md",
            "docs/0001-queue.md",
            "docs/0002-link.md",
            "--json",
        ])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let found = pairs(&findings, "rule");
    assert!(
        found.contains(&"docs/0001-queue.md placeholder".to_owned()),
        "{found:?}"
    );
    assert!(
        found.contains(&"docs/0002-link.md broken-memo-link".to_owned()),
        "{found:?}"
    );
    assert_eq!(
        found
            .iter()
            .filter(|f| f.contains("broken-memo-link"))
            .count(),
        1,
        "{found:?}"
    );

    dir.memo(&["check", "docs/0001-queue.md"]).assert().code(1);
    dir.memo(&["check", "docs/missing.md"]).assert().code(2);
}

#[test]
fn supersession_links_resolve_and_point_both_ways() {
    let repo = tiny_repo();
    repo.write(
        "memos/0001-queue.md",
        CLEAN.replace("status: draft", "status: superseded\nsuperseded_by: [2]"),
    );
    repo.write(
        "memos/0002-queue-v2.md",
        CLEAN
            .replace("number: 1", "number: 2")
            .replace("status: draft", "status: draft\nsupersedes: [1, 7]"),
    );
    repo.write(
        "memos/0003-other.md",
        CLEAN.replace("number: 1", "number: 3").replace(
            "status: draft",
            "status: draft\nsupersedes: [0002-queue-v2]",
        ),
    );
    let findings = repo.memo_json(&["check", "--json"]);
    let found = pairs(&findings, "message");
    assert_eq!(
        found,
        [
            "memos/0002-queue-v2.md `supersedes` names '7', but no memo matches it",
            "memos/0003-other.md this memo's `supersedes` names 0002-queue-v2.md, but its `superseded_by` does not name this memo",
        ]
    );
}

/// Returns `path field` for each finding of a JSON array.
fn pairs(findings: &serde_json::Value, field: &str) -> Vec<String> {
    findings
        .as_array()
        .expect("array")
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["path"].as_str().expect("path"),
                f[field].as_str().expect(field)
            )
        })
        .collect()
}

#[test]
fn human_output_caps_findings_per_rule_and_file() {
    let repo = TestRepo::new();
    let mut text = String::from("# Lorem\n\n## Summary\n\n");
    for i in 0..25 {
        text.push_str(&format!("Paragraph {i} says TODO and waits.\n\n"));
    }
    repo.write("drafts/a.md", &text);
    repo.write("drafts/b.md", &text);

    let findings = repo.memo_json(&["check", "--json", "drafts/a.md", "drafts/b.md"]);
    let findings = findings.as_array().expect("array");
    let placeholders = |path: &str| {
        findings
            .iter()
            .filter(|f| f["rule"] == "placeholder" && f["path"] == path)
            .count()
    };
    assert_eq!(
        placeholders("drafts/a.md"),
        25,
        "--json lists every finding"
    );
    assert_eq!(placeholders("drafts/b.md"), 25);

    let output = repo
        .memo(&["check", "drafts/a.md", "drafts/b.md"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        stdout.matches("error[placeholder]").count(),
        40,
        "20 shown per file: {stdout}"
    );
    for path in ["drafts/a.md", "drafts/b.md"] {
        let line = format!("... and 5 more [placeholder] findings in {path}");
        assert_eq!(stdout.matches(&line).count(), 1, "{stdout}");
    }
    let errors = findings.iter().filter(|f| f["severity"] == "error").count();
    let summary = stdout.lines().last().expect("summary line");
    assert!(
        summary.starts_with(&format!("{errors} errors")),
        "the summary counts the hidden findings: {summary}"
    );
}
