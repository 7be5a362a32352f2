//! Others' comments during the silent read, from the command line: a reader who has
//! not marked their read done sees only their own, as on the meeting screen.

use serde_json::Value;

use super::{FAY, LENA, RUI, memo_as, ok, repo_with_memo};

/// Returns standard output and standard error of a command that must succeed.
fn run(repo: &crate::common::TestRepo, who: super::Person, args: &[&str]) -> (String, String) {
    let output = memo_as(repo, who, "2026-03-02T09:10:00Z", args)
        .output()
        .expect("run memo");
    assert!(
        output.status.success(),
        "memo {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8(output.stdout).expect("utf-8"),
        String::from_utf8(output.stderr).expect("utf-8"),
    )
}

fn comment(repo: &crate::common::TestRepo, who: super::Person, section: &str, body: &str) {
    ok(
        repo,
        who,
        "2026-03-02T09:05:00Z",
        &["comment", "add", "1", "--section", section, "-m", body],
    );
}

fn authors(listed: &str) -> Vec<String> {
    let threads: Value = serde_json::from_str(listed).expect("JSON threads");
    threads
        .as_array()
        .expect("array")
        .iter()
        .flat_map(|t| t["comments"].as_array().expect("comments").clone())
        .map(|c| c["author"].as_str().expect("author").to_owned())
        .collect()
}

#[test]
fn comment_list_hides_others_until_done() {
    let repo = repo_with_memo();
    ok(
        &repo,
        FAY,
        "2026-03-02T09:00:00Z",
        &["meet", "start", "1", "--minutes", "20", "--no-tui"],
    );
    comment(&repo, LENA, "Context", "Fourteen overruns is too many.");
    comment(&repo, RUI, "Costs", "What does the queue cost?");

    // Rui sees his own thread only, with a warning naming the count and the flag.
    let (listed, warning) = run(&repo, RUI, &["comment", "list", "1", "--json"]);
    assert_eq!(authors(&listed), ["Rui Costa <rui@example.com>"]);
    assert!(
        warning.contains("1 comment(s) by others are hidden"),
        "{warning}"
    );
    assert!(warning.contains("--show-hidden"), "{warning}");
    let (text, _) = run(&repo, RUI, &["comment", "list", "1"]);
    assert!(!text.contains("Fourteen overruns"), "{text}");
    assert!(text.contains("What does the queue cost?"), "{text}");

    // The flag shows them; so does marking the read done.
    let (shown, warning) = run(
        &repo,
        RUI,
        &["comment", "list", "1", "--json", "--show-hidden"],
    );
    assert_eq!(authors(&shown).len(), 2);
    assert!(!warning.contains("hidden"), "{warning}");
    ok(&repo, RUI, "2026-03-02T09:09:00Z", &["meet", "done", "1"]);
    let (listed, warning) = run(&repo, RUI, &["comment", "list", "1", "--json"]);
    assert_eq!(authors(&listed).len(), 2);
    assert!(!warning.contains("hidden"), "{warning}");

    // Lena has not joined or finished: Rui's thread is hidden from her too.
    let (listed, _) = run(&repo, LENA, &["comment", "list", "1", "--json"]);
    assert_eq!(authors(&listed), ["Lena Brandt <lena@example.com>"]);

    // The minutes of the running meeting hide them the same way.
    let (minutes, warning) = run(&repo, LENA, &["meetings", "1", "--minutes"]);
    assert!(!minutes.contains("What does the queue cost?"), "{minutes}");
    assert!(warning.contains("--show-hidden"), "{warning}");
    let (minutes, _) = run(
        &repo,
        LENA,
        &["meetings", "1", "--minutes", "--show-hidden"],
    );
    assert!(minutes.contains("What does the queue cost?"), "{minutes}");

    // In discussion everyone sees every comment.
    ok(
        &repo,
        FAY,
        "2026-03-02T09:20:00Z",
        &["meet", "discuss", "1"],
    );
    let (listed, warning) = run(&repo, LENA, &["comment", "list", "1", "--json"]);
    assert_eq!(authors(&listed).len(), 2);
    assert!(!warning.contains("hidden"), "{warning}");
}

#[test]
fn search_skips_comments_during_the_read() {
    let repo = repo_with_memo();
    comment(&repo, LENA, "Context", "Consider the zeppelin option.");
    let hits = |who| {
        let output = memo_as(
            &repo,
            who,
            "2026-03-02T09:10:00Z",
            &["search", "--json", "zeppelin"],
        )
        .output()
        .expect("run memo");
        let hits: Value = serde_json::from_slice(&output.stdout).expect("JSON hits");
        hits.as_array().expect("array").len()
    };
    assert_eq!(hits(RUI), 1, "before the meeting the comment is found");

    ok(
        &repo,
        FAY,
        "2026-03-02T09:00:00Z",
        &["meet", "start", "1", "--minutes", "20", "--no-tui"],
    );
    assert_eq!(hits(RUI), 0, "during the silent read it is not");
    assert_eq!(hits(LENA), 0, "not even for its author");

    ok(
        &repo,
        FAY,
        "2026-03-02T09:20:00Z",
        &["meet", "discuss", "1"],
    );
    assert_eq!(hits(RUI), 1, "in discussion it is found again");
}

/// Opens the library's reader on memo 1 as the repository's git identity and returns
/// the authors of the threads it shows, with its notice.
fn reader_view(repo: &crate::common::TestRepo) -> (Vec<String>, Option<String>) {
    use memo::tui::App;
    use memo::tui::app::Action;

    let root = memo::store::Repo::discover(repo.root()).expect("repository");
    let mut app = App::library(root).expect("library");
    app.apply(Action::Open);
    let reader = app.reader.as_ref().expect("reader");
    let authors = reader
        .threads
        .iter()
        .flat_map(|t| t.comments.iter().map(|c| c.author.clone()))
        .collect();
    (authors, reader.notice.as_ref().map(|n| n.text.clone()))
}

#[test]
fn library_reader_hides_others_until_done() {
    let repo = repo_with_memo();
    ok(
        &repo,
        FAY,
        "2026-03-02T09:00:00Z",
        &["meet", "start", "1", "--minutes", "20", "--no-tui"],
    );
    comment(&repo, LENA, "Context", "Fourteen overruns is too many.");
    comment(&repo, RUI, "Costs", "What does the queue cost?");
    repo.set_identity(RUI.name, RUI.email);

    let (authors, notice) = reader_view(&repo);
    assert_eq!(authors, ["Rui Costa <rui@example.com>"]);
    let notice = notice.expect("a notice");
    assert!(
        notice.contains("1 comment(s) by others are hidden"),
        "{notice}"
    );

    ok(&repo, RUI, "2026-03-02T09:09:00Z", &["meet", "done", "1"]);
    let (authors, notice) = reader_view(&repo);
    assert_eq!(authors.len(), 2, "{authors:?}");
    assert!(notice.is_none_or(|n| !n.contains("hidden")));
}
