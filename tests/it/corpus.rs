//! The whole loop on the real RFC corpus (from `MEMO_TEST_CORPUS`).

use crate::common::{TestRepo, copy_dir, corpus};

#[test]
fn rfc_corpus_end_to_end() {
    let Some(source) = corpus("rfc_corpus_end_to_end") else {
        return;
    };
    let repo = TestRepo::new();
    let copy = repo.home().join("text");
    copy_dir(&source, &copy);
    let files = std::fs::read_dir(&copy)
        .expect("corpus")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "md"))
        })
        .count();

    repo.memo_ok(&["import", "rfc", copy.to_str().expect("utf-8 path")]);
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "",
        "one commit holds everything"
    );

    let list = repo.memo_json(&["list", "--json"]);
    assert_eq!(list.as_array().expect("array").len(), files);
    assert_eq!(files, 639);

    let hits = repo.memo_json(&["search", "existential type", "--json"]);
    assert_eq!(
        hits[0]["number"], 2071,
        "RFC 2071 ranks first: {:#}",
        hits[0]
    );

    let output = repo
        .memo(&["check", "--all", "--json"])
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let findings = findings.as_array().expect("array");
    assert!(!findings.is_empty());
    assert!(
        findings.iter().all(|f| f["rule"] != "front-matter"),
        "imports read back cleanly"
    );
    no_missing_section_that_is_present(repo.root(), findings);

    // Every RFC opens in the reader, from the library's rows in the index.
    let opened = memo::store::Repo::discover(repo.root()).expect("repo");
    let mut app = memo::tui::App::library(opened).expect("library");
    let backend = ratatui::backend::TestBackend::new(100, 30);
    let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
    for index in 0..app.library.visible.len() {
        app.library.selected = index;
        app.apply(memo::tui::app::Action::Open);
        app.apply(memo::tui::app::Action::Bottom);
        terminal.draw(|frame| app.draw(frame)).expect("draw");
        let title = app.reader.as_ref().expect("reader").memo.title();
        let screen: String = terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        let shown: String = title
            .chars()
            .take(20)
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(
            screen.replace(' ', "").contains(&shown),
            "reader shows {title}"
        );
        app.apply(memo::tui::app::Action::Back);
    }
}

/// Headings that, at the start of any heading at any level, mean a section of the
/// `rfc` template is there: its own name and the names RFCs have used for it.
const PRESENT_AS: &[(&str, &[&str])] = &[
    ("Summary", &["summary"]),
    ("Motivation", &["motivation"]),
    (
        "Reference-level explanation",
        &["reference level explanation", "detailed design"],
    ),
    ("Drawbacks", &["drawbacks", "downsides"]),
    (
        "Rationale and alternatives",
        &["rationale and alternatives", "alternatives"],
    ),
    (
        "Unresolved questions",
        &["unresolved questions", "open questions"],
    ),
];

/// Checks that no RFC is told a section is missing while a heading for it is there.
fn no_missing_section_that_is_present(root: &std::path::Path, findings: &[serde_json::Value]) {
    let set = memo::store::Repo::discover(root)
        .expect("repo")
        .load_memos()
        .expect("memos");
    let mut checked = 0;
    for finding in findings.iter().filter(|f| f["rule"] == "missing-section") {
        let path = finding["path"].as_str().expect("path");
        let message = finding["message"].as_str().expect("message");
        let memo = set
            .memos
            .iter()
            .find(|m| m.path == std::path::Path::new(path))
            .expect("memo of the finding");
        let headings: Vec<String> = memo
            .outline
            .sections
            .iter()
            .map(|s| memo::memo::outline::normalize_heading(&s.heading))
            .collect();
        for (section, names) in PRESENT_AS {
            if !message.contains(&format!("'{section}'")) {
                continue;
            }
            checked += 1;
            let present = headings
                .iter()
                .find(|h| names.iter().any(|n| h.starts_with(n)));
            assert!(
                present.is_none(),
                "{path}: {message}, but it has the heading '{}'",
                present.map_or("", String::as_str)
            );
        }
    }
    assert!(checked > 0, "some RFCs lack sections");
}
