//! `memo man`: memo's manual page and one page per subcommand, nested ones included.

use crate::common::TestRepo;

/// Returns the page names listed under SUBCOMMANDS, such as `memo-check`.
fn listed_pages(page: &str) -> Vec<String> {
    let section = page
        .split(".SH SUBCOMMANDS\n")
        .nth(1)
        .expect("a SUBCOMMANDS section");
    let section = section.split("\n.SH ").next().unwrap_or(section);
    section
        .lines()
        .filter_map(|line| line.strip_suffix("(1)"))
        .map(|name| name.replace("\\-", "-"))
        .collect()
}

/// Returns the body of the SYNOPSIS section.
fn synopsis(page: &str) -> String {
    let section = page
        .split(".SH SYNOPSIS\n")
        .nth(1)
        .expect("a SYNOPSIS section");
    section.split("\n.SH ").next().unwrap_or(section).to_owned()
}

#[test]
fn man_synopsis_names_option_values() {
    let repo = TestRepo::empty();
    let page = repo.memo_ok(&["man"]);
    let synopsis = synopsis(&page);
    assert!(synopsis.starts_with("\\fBmemo\\fR "), "{synopsis}");
    assert!(
        synopsis.contains("[\\fB\\-C\\fR \\fIDIR\\fR]"),
        "{synopsis}"
    );
    assert!(
        synopsis.contains("[\\fB\\-\\-color\\fR \\fIWHEN\\fR]"),
        "{synopsis}"
    );
    assert!(
        synopsis.contains("[\\fB\\-v\\fR|\\fB\\-\\-verbose\\fR]..."),
        "{synopsis}"
    );
    assert!(synopsis.contains("[\\fICOMMAND\\fR]"), "{synopsis}");
}

#[test]
fn man_prints_every_listed_subcommand() {
    let repo = TestRepo::empty();
    let root = repo.memo_ok(&["man"]);
    let pages = listed_pages(&root);
    assert!(pages.contains(&"memo-check".to_owned()), "{pages:?}");
    assert!(
        !pages.contains(&"memo-help".to_owned()),
        "help has no page, so it is not listed: {pages:?}"
    );

    let mut nested = 0;
    for name in &pages {
        let words: Vec<&str> = name.split('-').skip(1).collect();
        let mut args = vec!["man"];
        args.extend(&words);
        let page = repo.memo_ok(&args);
        assert!(
            page.contains(&format!(".TH {name} 1 ")),
            "memo {args:?} prints the page of {name}"
        );
        assert!(
            synopsis(&page).starts_with(&format!("\\fBmemo {}\\fR", words.join(" "))),
            "{name}: {}",
            synopsis(&page)
        );
        // A subcommand with subcommands of its own lists them, and they print too.
        if page.contains(".SH SUBCOMMANDS") {
            for child in listed_pages(&page) {
                let mut child_args = vec!["man"];
                let child_words: Vec<&str> = child.split('-').skip(1).collect();
                child_args.extend(&child_words);
                let child_page = repo.memo_ok(&child_args);
                assert!(
                    child_page.contains(&format!(".TH {child} 1 ")),
                    "memo {child_args:?} prints the page of {child}"
                );
                nested += 1;
            }
        }
    }
    assert!(
        nested > 0,
        "memo comment and memo meet have pages of their own"
    );
}

#[test]
fn man_prints_a_nested_subcommand() {
    let repo = TestRepo::empty();
    let page = repo.memo_ok(&["man", "comment", "add"]);
    assert!(page.contains(".TH memo-comment-add 1 "), "{page}");
    assert!(
        page.contains("\"memo 0."),
        "the footer names memo's version: {page}"
    );
    let synopsis = synopsis(&page);
    assert!(
        synopsis.starts_with("\\fBmemo comment add\\fR"),
        "{synopsis}"
    );
    assert!(
        synopsis.contains("[\\fB\\-\\-quote\\fR \\fITEXT\\fR]"),
        "{synopsis}"
    );
    assert!(
        page.contains("\\fB\\-\\-quote\\fR \\fI<TEXT>\\fR"),
        "{page}"
    );
}

#[test]
fn man_rejects_an_unknown_subcommand() {
    let repo = TestRepo::empty();
    let output = repo
        .memo(&["man", "comment", "nope"])
        .output()
        .expect("run memo");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no manual page for `memo comment nope`"),
        "{stderr}"
    );
    assert!(stderr.contains("`memo man comment` lists them"), "{stderr}");
}
