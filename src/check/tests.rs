//! Each rule against a failing and a passing passage, on real parsed memos.

use std::path::Path;

use super::*;
use crate::template::{Origin, Template};

const TEMPLATE: &str = "---
pages: 1
words_per_page: 200
required_fields: [title, status]
sections:
  - heading: Summary
    aliases: [TL;DR]
    min_words: 8
    max_words: 40
  - heading: Context
    evidence: true
    max_list_share: 0.5
  - heading: Options
    aliases: [Alternatives]
    min_options: 2
  - heading: Appendix
    required: false
    appendix: true
---
# {{title}}

## Summary

State the decision you ask the readers to make and what you recommend.

## Context

Explain what forces the decision now and what happens if nothing changes.

## Options

Describe each option that could really be chosen, doing nothing included.

## Appendix

Put supporting tables and detailed data here for readers who want them.
";

/// A memo that passes every rule; each case changes one thing in it.
const BASE: &str = "---
number: 1
title: Move batch jobs to a queue
status: draft
template: test
---
# Move batch jobs to a queue

## Summary

We ask to move the nightly batch jobs to an event queue this quarter.

## Context

The batch window overran on 14 of the last 70 nights, because the jobs start in a
fixed order and each one waits for the one before it.

## Options

- Keep the cron jobs and buy a larger machine.
- Move the jobs to an event queue.
";

const PATH: &str = "memos/0001-move-batch-jobs.md";

/// Words of plain prose, for length rules.
fn words(n: usize) -> String {
    let mut text = "Word ".repeat(n);
    text.pop();
    text.push('.');
    text
}

fn options() -> CheckOptions {
    CheckOptions {
        severity: BTreeMap::new(),
        words_per_page: DEFAULT_WORDS_PER_PAGE,
        words_per_minute: 100,
        max_read_minutes: 3,
    }
}

/// Checks the first file among the others and returns the rules that fired.
fn findings(files: &[(&str, String)]) -> Vec<Finding> {
    let template =
        Template::parse("test", Origin::Builtin, TEMPLATE.as_bytes()).expect("template parses");
    let memos: Vec<Memo> = files
        .iter()
        .filter_map(|(path, text)| Memo::parse(*path, text.as_bytes()).ok())
        .collect();
    let paths: Vec<String> = files.iter().map(|(p, _)| (*p).to_owned()).collect();
    let exists = move |p: &Path| paths.iter().any(|q| Path::new(q) == p);
    let workspace = Workspace {
        memos: &memos,
        file_exists: &exists,
        in_repository: true,
    };
    let (path, text) = &files[0];
    let memo = match Memo::parse(*path, text.as_bytes()) {
        Ok(memo) => memo,
        Err(error) => return vec![unreadable(&error)],
    };
    let name = memo
        .meta
        .template
        .clone()
        .unwrap_or_else(|| "test".to_owned());
    // A memo of template `broken` names a template file that cannot be used.
    let broken = Template::parse("broken", Origin::Builtin, b"---\npages: 0\n---\n")
        .expect_err("a page budget of 0 is invalid");
    let choice = TemplateChoice {
        name: &name,
        template: (name == "test").then_some(&template),
        invalid: (name == "broken").then_some(&broken),
    };
    check_memo(&memo, choice, &workspace, &options())
}

fn rules_of(files: &[(&str, String)]) -> Vec<&'static str> {
    findings(files)
        .iter()
        .filter(|f| f.severity > Severity::Note)
        .map(|f| f.rule)
        .collect()
}

struct Case {
    rule: &'static str,
    failing: Vec<(&'static str, String)>,
    passing: Vec<(&'static str, String)>,
}

fn alone(text: String) -> Vec<(&'static str, String)> {
    vec![(PATH, text)]
}

fn base_with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "the base memo holds {from:?}");
    BASE.replacen(from, to, 1)
}

const OTHER: &str = "memos/0002-keep-cron.md";

fn other(front_matter: &str) -> (&'static str, String) {
    (
        OTHER,
        format!(
            "---\nnumber: 2\ntitle: Keep cron\nstatus: accepted\n{front_matter}---\n\n# Keep cron\n"
        ),
    )
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            rule: "front-matter",
            failing: alone(base_with("template: test\n---", "template: test\n--")),
            passing: alone(BASE.to_owned()),
        },
        Case {
            rule: "field-type",
            failing: alone(base_with("status: draft", "status: draft\ncreated: last tuesday")),
            passing: alone(base_with("status: draft", "status: draft\ncreated: 2024-05-02")),
        },
        Case {
            rule: "missing-field",
            failing: alone(base_with("status: draft\n", "")),
            passing: alone(BASE.to_owned()),
        },
        Case {
            rule: "unknown-template",
            failing: alone(base_with("template: test", "template: tset")),
            passing: alone(BASE.to_owned()),
        },
        Case {
            rule: "invalid-template",
            failing: alone(base_with("template: test", "template: broken")),
            passing: alone(BASE.to_owned()),
        },
        Case {
            rule: "missing-section",
            failing: alone(base_with("## Options", "## Choices")),
            passing: alone(base_with("## Options", "# Alternatives")),
        },
        Case {
            rule: "empty-section",
            failing: alone(base_with("- Keep the cron jobs and buy a larger machine.\n- Move the jobs to an event queue.\n", "")),
            passing: alone(BASE.to_owned()),
        },
        Case {
            rule: "unfilled-prompt",
            failing: alone(base_with(
                "The batch window",
                "Explain what forces the decision now and what happens if nothing changes.\n\nThe batch window",
            )),
            passing: alone(BASE.to_owned()),
        },
        Case {
            rule: "placeholder",
            failing: alone(base_with("this quarter.", "this quarter, owner TBD.")),
            passing: alone(base_with("this quarter.", "this quarter, as the `TBD` flag says.")),
        },
        Case {
            rule: "placeholder",
            failing: alone(format!("{BASE}\n## Appendix\n[appendix]: #appendix\n")),
            passing: alone(format!("{BASE}\n## Appendix\n[appendix]: #appendix\n\nThe load figures by night.\n")),
        },
        Case {
            rule: "section-too-short",
            failing: alone(base_with(
                "We ask to move the nightly batch jobs to an event queue this quarter.",
                "Use a queue.",
            )),
            passing: alone(BASE.to_owned()),
        },
        Case {
            rule: "section-too-long",
            failing: alone(base_with("this quarter.", &format!("this quarter. {}", words(40)))),
            passing: alone(base_with("this quarter.", &format!("this quarter. {}", words(10)))),
        },
        Case {
            rule: "bullet-fragments",
            failing: alone(base_with(
                "fixed order and each one waits for the one before it.",
                "fixed order.\n\n- jobs wait on each other\n- fixed start order\n- no retries at all\n- manual restarts at night\n- no alerting on delays\n- one shared database\n- no owner per job\n- logs kept for a day",
            )),
            passing: alone(base_with(
                "fixed order and each one waits for the one before it.",
                "fixed order.\n\n- jobs wait on each other",
            )),
        },
        Case {
            rule: "too-few-options",
            failing: alone(base_with(
                "- Keep the cron jobs and buy a larger machine.\n- Move the jobs to an event queue.",
                "We move the jobs to an event queue.",
            )),
            passing: alone(base_with(
                "- Keep the cron jobs and buy a larger machine.\n- Move the jobs to an event queue.",
                "Option A: keep the cron jobs.\n\nOption B: move the jobs to an event queue.",
            )),
        },
        Case {
            rule: "missing-evidence",
            failing: alone(base_with("on 14 of the last 70 nights", "on many nights")),
            passing: alone(base_with(
                "on 14 of the last 70 nights",
                "on many nights ([incident log](https://example.com/log))",
            )),
        },
        Case {
            rule: "over-page-budget",
            failing: alone(format!("{BASE}\nThe queue costs little. {}\n", words(180))),
            passing: alone(format!("{BASE}\n## Appendix\n\nThe queue costs little. {}\n", words(180))),
        },
        Case {
            rule: "long-read",
            failing: alone(format!("{BASE}\n## Appendix\n\n{}\n", words(300))),
            passing: alone(format!("{BASE}\n## Appendix\n\n{}\n", words(150))),
        },
        Case {
            rule: "duplicate-number",
            failing: vec![
                (PATH, BASE.to_owned()),
                (OTHER, other("").1.replace("number: 2", "number: 1")),
            ],
            passing: vec![(PATH, BASE.to_owned()), other("")],
        },
        Case {
            rule: "broken-memo-link",
            failing: vec![(PATH, base_with("status: draft", "status: draft\nsupersedes: [3]")), other("")],
            passing: vec![
                (PATH, base_with("status: draft", "status: draft\nsupersedes: [2]")),
                other("superseded_by: [1]\n"),
            ],
        },
        Case {
            rule: "broken-memo-link",
            failing: vec![(PATH, base_with("this quarter.", "this quarter, as [0002](0002-keep-corn.md) said.")), other("")],
            passing: vec![(PATH, base_with("this quarter.", "this quarter, as [0002](0002-keep-cron.md) said.")), other("")],
        },
        Case {
            rule: "one-way-link",
            failing: vec![(PATH, base_with("status: draft", "status: draft\nsupersedes: [2]")), other("")],
            passing: vec![
                (PATH, base_with("status: draft", "status: draft\nsupersedes: [2]")),
                other("superseded_by: [0001-move-batch-jobs]\n"),
            ],
        },
        Case {
            rule: "conflict-marker",
            failing: alone(base_with(
                "this quarter.",
                "this quarter.\n<<<<<<< HEAD\nWe wait.\n=======\nWe go.\n>>>>>>> feature",
            )),
            passing: alone(base_with(
                "this quarter.",
                "this quarter.\n\n```\n<<<<<<< HEAD\nWe wait.\n=======\nWe go.\n>>>>>>> feature\n```",
            )),
        },
        Case {
            rule: "control-characters",
            failing: alone(base_with("event queue this", "event \u{1b}[2Jqueue this")),
            passing: alone(BASE.to_owned()),
        },
        Case {
            rule: "invalid-waiver",
            failing: alone(base_with("status: draft", "status: draft\nwaivers:\n  section-too-short: ok")),
            passing: alone(base_with(
                "status: draft",
                "status: draft\nwaivers:\n  section-too-short: The board asked for a one-line summary.",
            )),
        },
        Case {
            rule: "unused-waiver",
            failing: alone(base_with(
                "status: draft",
                "status: draft\nwaivers:\n  section-too-short: The board asked for a one-line summary.",
            )),
            passing: alone(
                base_with(
                    "status: draft",
                    "status: draft\nwaivers:\n  section-too-short: The board asked for a one-line summary.",
                )
                .replace(
                    "We ask to move the nightly batch jobs to an event queue this quarter.",
                    "Use a queue.",
                ),
            ),
        },
    ]
}

#[test]
fn base_memo_is_clean() {
    let found = findings(&alone(BASE.to_owned()));
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn each_rule_fails_and_passes() {
    for case in cases() {
        let failing = rules_of(&case.failing);
        assert!(
            failing.contains(&case.rule),
            "{}: the failing passage gives {failing:?}\n{}",
            case.rule,
            case.failing[0].1
        );
        let passing = rules_of(&case.passing);
        assert!(
            !passing.contains(&case.rule),
            "{}: the passing passage gives {passing:?}\n{}",
            case.rule,
            case.passing[0].1
        );
    }
}

#[test]
fn every_rule_has_a_case() {
    let cases = cases();
    for rule in RULES {
        assert!(
            cases.iter().any(|c| c.rule == rule.id),
            "rule {} has no failing and passing passage",
            rule.id
        );
    }
}

#[test]
fn every_rule_has_a_documentation_page() {
    let docs = include_str!("../../docs/check.md");
    for rule in RULES {
        let heading = format!("### `{}`", rule.id);
        let start = docs
            .find(&heading)
            .unwrap_or_else(|| panic!("docs/check.md has no '{heading}'"));
        let page = &docs[start..];
        let page = &page[..page[heading.len()..]
            .find("\n### ")
            .map_or(page.len(), |i| i + heading.len())];
        for part in ["Default severity", "Fails:", "Passes:"] {
            assert!(
                page.contains(part),
                "docs/check.md: {} lacks '{part}'",
                rule.id
            );
        }
    }
}

#[test]
fn waived_findings_become_notes_with_the_reason() {
    let text = base_with(
        "status: draft",
        "status: draft\nwaivers:\n  section-too-short: The board asked for a one-line summary.",
    )
    .replace(
        "We ask to move the nightly batch jobs to an event queue this quarter.",
        "Use a queue.",
    );
    let found = findings(&alone(text));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].severity, Severity::Note);
    assert_eq!(
        found[0].waiver.as_deref(),
        Some("The board asked for a one-line summary.")
    );
}

#[test]
fn configured_severity_and_off() {
    let text = base_with("on 14 of the last 70 nights", "on many nights");
    let memo = Memo::parse(PATH, text.as_bytes()).expect("parses");
    let template = Template::parse("test", Origin::Builtin, TEMPLATE.as_bytes()).expect("template");
    let choice = TemplateChoice {
        name: "test",
        template: Some(&template),
        invalid: None,
    };
    let mut options = options();
    options
        .severity
        .insert("missing-evidence".into(), "error".into());
    let found = check_memo(&memo, choice, &Workspace::alone(), &options);
    assert_eq!(found[0].severity, Severity::Error);
    options
        .severity
        .insert("missing-evidence".into(), "off".into());
    assert!(check_memo(&memo, choice, &Workspace::alone(), &options).is_empty());
}

#[test]
fn bom_and_crlf_give_the_same_findings() {
    let text =
        base_with("this quarter.", "this quarter, owner TBD.\u{7}").replace("status: draft\n", "");
    let lf = findings(&alone(text.clone()));
    assert!(lf.len() >= 3, "{lf:#?}");
    for variant in [
        format!("\u{feff}{text}"),
        text.replace('\n', "\r\n"),
        format!("\u{feff}{}", text.replace('\n', "\r\n")),
    ] {
        assert_eq!(findings(&alone(variant)), lf);
    }
}

#[test]
fn one_heading_for_two_sections_is_checked_once() {
    let template = Template::parse(
        "pair",
        Origin::Builtin,
        b"---\nsections:\n  - heading: Drawbacks\n    aliases: [Drawbacks and alternatives]\n  - heading: Alternatives\n    aliases: [Drawbacks and alternatives]\n---\n# {{title}}\n\n## Drawbacks\n\nGive the honest case against this change and its costs.\n\n## Alternatives\n\nDescribe each alternative you weighed and why it lost.\n",
    )
    .expect("template");
    let memo = Memo::parse("m.md", b"# T\n\n## Drawbacks and alternatives\n\n").expect("memo");
    let choice = TemplateChoice {
        name: "pair",
        template: Some(&template),
        invalid: None,
    };
    let found = check_memo(&memo, choice, &Workspace::alone(), &options());
    let rules: Vec<&str> = found.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["empty-section"], "{found:#?}");
}
