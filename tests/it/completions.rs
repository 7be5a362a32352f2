//! `memo completions`: the generated scripts offer rule ids, statuses, outcomes and
//! template names where an argument takes one, checked by running bash on them.

use std::process::Command;

use crate::common::TestRepo;

/// Runs the bash completion function of the generated script on a command line whose
/// last word is being completed, and returns the words bash would offer.
fn complete_in_bash(repo: &TestRepo, words: &[&str]) -> Vec<String> {
    let script = repo.memo_ok(&["completions", "bash"]);
    repo.write("memo.bash", script);
    let driver = r#"
source ./memo.bash
COMP_WORDS=("$@")
COMP_CWORD=$(( $# - 1 ))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
_memo memo "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"#;
    let mut command = Command::new("bash");
    repo.isolate(&mut command);
    let output = command
        .args(["-c", driver, "bash"])
        .args(words)
        .output()
        .expect("run bash");
    assert!(
        output.status.success(),
        "bash failed on {words:?}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("utf-8 output")
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completes_rule_ids() {
    let repo = TestRepo::empty();
    for option in ["--allow", "--warn", "--deny"] {
        let offered = complete_in_bash(&repo, &["memo", "check", option, ""]);
        for rule in ["front-matter", "missing-section", "bullet-fragments"] {
            assert!(
                offered.iter().any(|w| w == rule),
                "{option} offers {rule}: {offered:?}"
            );
        }
        assert!(
            !offered.iter().any(|w| w == "memo.bash"),
            "{option} offers no file names: {offered:?}"
        );
    }

    let offered = complete_in_bash(&repo, &["memo", "check", "--allow", "missing-s"]);
    assert_eq!(offered, ["missing-section"]);
}

#[test]
fn bash_completes_statuses() {
    let repo = TestRepo::empty();
    let offered = complete_in_bash(&repo, &["memo", "status", "1", ""]);
    for status in [
        "draft",
        "review",
        "accepted",
        "rejected",
        "deferred",
        "superseded",
    ] {
        assert!(
            offered.iter().any(|w| w == status),
            "memo status REF offers {status}: {offered:?}"
        );
    }

    let offered = complete_in_bash(&repo, &["memo", "status", "1", "acc"]);
    assert_eq!(offered, ["accepted"]);

    let offered = complete_in_bash(&repo, &["memo", "list", "--status", "re"]);
    assert_eq!(offered, ["review", "rejected"]);
}

#[test]
fn bash_completes_outcomes_and_templates() {
    let repo = TestRepo::empty();
    let offered = complete_in_bash(&repo, &["memo", "meet", "end", "--outcome", ""]);
    assert_eq!(offered, ["accepted", "rejected", "deferred", "needs-work"]);

    for words in [
        ["memo", "new", "--template", ""],
        ["memo", "new", "-t", ""],
        ["memo", "init", "--template", ""],
    ] {
        let offered = complete_in_bash(&repo, &words);
        for template in ["decision", "adr", "madr", "six-pager"] {
            assert!(
                offered.iter().any(|w| w == template),
                "{words:?} offers {template}: {offered:?}"
            );
        }
    }
}

#[test]
fn other_shells_describe_the_rules() {
    let repo = TestRepo::empty();
    for shell in ["zsh", "fish"] {
        let script = repo.memo_ok(&["completions", shell]);
        assert!(
            script.contains("the file can be read and its front matter block parsed"),
            "{shell} shows a rule's summary beside its id"
        );
        assert!(script.contains("superseded"), "{shell} lists the statuses");
    }
}
