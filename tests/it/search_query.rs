//! The query language of `memo search`: fields, dates, operators, prefixes, and the
//! errors invalid queries get.

use crate::common::TestRepo;
use crate::search::titles;

/// Returns a repository of four memos with varied front matter.
fn library() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-queue.md",
        "---\ntitle: Adopt an event queue\nstatus: accepted\ntemplate: decision\n\
         authors: [Priya Raman <priya@example.com>]\ntags: [platform, messaging]\n\
         created: 2024-03-05T10:00:00Z\ndecided: 2024-04-01T10:00:00Z\n---\n\n\
         ## Context\n\nThe nightly batch jobs time out.\n\n## Decision\n\nWe move the jobs to an event queue.\n",
    );
    repo.write(
        "memos/0002-cache.md",
        "---\ntitle: Cache product pages\nstatus: draft\ntemplate: one-pager\n\
         authors: [Tomás Ortega]\ntags: [web]\ncreated: 2025-03-02T10:00:00Z\n---\n\n\
         ## Summary\n\nCache the product pages for an hour; the queue stays as it is.\n",
    );
    repo.write(
        "memos/0003-postgres.md",
        "---\ntitle: Move to Postgres\nstatus: rejected\ntemplate: adr\n\
         authors: [Mei Lin]\ntags: [platform]\ncreated: 2023-11-20T10:00:00Z\n---\n\n\
         ## Decision\n\nDecisions about the database were deferred; the queue decision stands.\n",
    );
    repo.write(
        "memos/0004-naming.md",
        "---\ntitle: Naming conventions\nstatus: review\ntemplate: decision\n\
         authors: [Priya Raman]\ntags: [style]\ncreated: 2026-01-15T10:00:00Z\n---\n\n\
         ## Proposal\n\nUse snake_case for event names and deciding verbs.\n",
    );
    repo
}

fn sorted(mut titles: Vec<String>) -> Vec<String> {
    titles.sort();
    titles
}

#[test]
fn words_phrases_and_operators() {
    let repo = library();
    assert_eq!(titles(&repo, "queue").len(), 3);
    assert_eq!(titles(&repo, "\"event queue\""), ["Adopt an event queue"]);
    assert_eq!(
        sorted(titles(&repo, "queue cache")),
        ["Cache product pages"]
    );
    assert_eq!(
        sorted(titles(&repo, "queue AND cache")),
        ["Cache product pages"]
    );
    assert_eq!(
        sorted(titles(&repo, "postgres OR naming")),
        ["Move to Postgres", "Naming conventions"]
    );
    assert_eq!(
        sorted(titles(&repo, "queue -cache NOT postgres")),
        ["Adopt an event queue"]
    );
    assert_eq!(
        sorted(titles(&repo, "(postgres OR cache) queue")),
        ["Cache product pages", "Move to Postgres"]
    );
    // Lower-case operators are words: no memo contains "and" together with "zebra".
    assert!(titles(&repo, "queue and zebra").is_empty());
    // A query of exclusions alone matches the rest.
    assert_eq!(titles(&repo, "-queue"), ["Naming conventions"]);
}

#[test]
fn stemming_and_prefixes() {
    let repo = library();
    // `queues` and `queue` share a stem.
    assert_eq!(titles(&repo, "queues").len(), 3);
    assert_eq!(
        sorted(titles(&repo, "decision*")),
        ["Adopt an event queue", "Move to Postgres"]
    );
    assert_eq!(sorted(titles(&repo, "decid*")), ["Naming conventions"]);
    assert_eq!(titles(&repo, "snake_case"), ["Naming conventions"]);
}

#[test]
fn fields() {
    let repo = library();
    assert_eq!(titles(&repo, "title:queue"), ["Adopt an event queue"]);
    assert_eq!(
        titles(&repo, "title:\"product pages\""),
        ["Cache product pages"]
    );
    assert_eq!(titles(&repo, "status:rejected"), ["Move to Postgres"]);
    assert_eq!(titles(&repo, "status:REJECTED"), ["Move to Postgres"]);
    assert_eq!(
        sorted(titles(&repo, "status:(accepted OR review)")),
        ["Adopt an event queue", "Naming conventions"]
    );
    assert_eq!(
        sorted(titles(&repo, "tag:platform")),
        ["Adopt an event queue", "Move to Postgres"]
    );
    assert!(titles(&repo, "tag:plat").is_empty());
    assert_eq!(
        sorted(titles(&repo, "tag:plat*")),
        ["Adopt an event queue", "Move to Postgres"]
    );
    assert_eq!(
        sorted(titles(&repo, "author:priya")),
        ["Adopt an event queue", "Naming conventions"]
    );
    assert_eq!(titles(&repo, "author:tomas"), ["Cache product pages"]);
    assert_eq!(titles(&repo, "template:adr"), ["Move to Postgres"]);
    assert_eq!(
        sorted(titles(&repo, "section:decision")),
        ["Adopt an event queue", "Move to Postgres"]
    );
    assert_eq!(titles(&repo, "number:3"), ["Move to Postgres"]);
    assert_eq!(
        sorted(titles(&repo, "number:>=3")),
        ["Move to Postgres", "Naming conventions"]
    );
    // A bare word finds tags and authors too.
    assert_eq!(titles(&repo, "messaging"), ["Adopt an event queue"]);
}

#[test]
fn dates() {
    let repo = library();
    assert_eq!(titles(&repo, "created:2024"), ["Adopt an event queue"]);
    assert_eq!(titles(&repo, "created:2025-03"), ["Cache product pages"]);
    assert_eq!(titles(&repo, "created:2025-03-02"), ["Cache product pages"]);
    assert_eq!(
        sorted(titles(&repo, "created:>=2025-03-01")),
        ["Cache product pages", "Naming conventions"]
    );
    assert_eq!(sorted(titles(&repo, "created:<2024")), ["Move to Postgres"]);
    assert_eq!(
        sorted(titles(&repo, "created:2023..2024")),
        ["Adopt an event queue", "Move to Postgres"]
    );
    assert_eq!(titles(&repo, "decided:<2026"), ["Adopt an event queue"]);
    assert!(titles(&repo, "decided:2025").is_empty());
}

/// Runs an invalid query and returns its standard error, checking the exit code.
fn rejected(repo: &TestRepo, query: &str) -> String {
    let output = repo
        .memo(&["search", "--", query])
        .output()
        .expect("run memo");
    assert_eq!(output.status.code(), Some(2), "{query:?} was accepted");
    assert!(output.stdout.is_empty());
    String::from_utf8(output.stderr).expect("utf-8")
}

#[test]
fn invalid_queries_show_where_and_what_was_expected() {
    let repo = library();
    for (query, message, marked_line) in [
        ("title:\"event queue", "never closed", "      ^"),
        ("(queue OR cache", "never closed", "^"),
        ("queue AND", "ends after AND", "         ^"),
        ("OR queue", "nothing on its left", "^^"),
        ("queue OR OR cache", "operator after OR", "         ^^"),
        ("queue -", "lone `-`", "      ^"),
        ("owner:priya", "unknown field `owner`", "^^^^^"),
        ("created:2024-13-01", "no month 13", "        ^^^^^^^^^^"),
        ("created:2024-02-30", "not a day", "        ^^^^^^^^^^"),
        ("decided:soon", "not a date", "        ^^^^"),
        ("queue)", "closes no `(`", "     ^"),
        ("qu*eue", "inside a word", "  ^"),
        ("!!!", "no letters or digits", "^^^"),
    ] {
        let stderr = rejected(&repo, query);
        assert!(stderr.contains("invalid query"), "{query:?}: {stderr}");
        assert!(stderr.contains(message), "{query:?}: {stderr}");
        assert!(stderr.contains("expected"), "{query:?}: {stderr}");
        assert!(stderr.contains(query), "{query:?}: {stderr}");
        // The marker line sits under the query, at the fault.
        let lines: Vec<&str> = stderr.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.ends_with(query))
            .unwrap_or_else(|| panic!("{query:?}: no query line in\n{stderr}"));
        let prefix = lines[at].len() - query.len();
        let marker = &lines[at + 1][prefix.min(lines[at + 1].len())..];
        assert!(
            marker.starts_with(marked_line),
            "{query:?}: marker {marker:?} in\n{stderr}"
        );
    }
}

#[test]
fn unknown_field_suggests_quotes_and_lists_fields() {
    let repo = library();
    let stderr = rejected(&repo, "https://example.com");
    assert!(stderr.contains("unknown field `https`"), "{stderr}");
    assert!(stderr.contains("\"https://example.com\""), "{stderr}");
    assert!(stderr.contains("title, status, tag, author"), "{stderr}");
    assert_eq!(titles(&repo, "\"https://example.com\"").len(), 0);
}

#[test]
fn hostile_queries_fail_cleanly() {
    let repo = library();
    let long = "queue ".repeat(1700);
    let stderr = rejected(&repo, &long);
    assert!(stderr.contains("characters long"), "{stderr}");
    // The excerpt keeps the message short.
    assert!(stderr.len() < 2000, "{}", stderr.len());
    for query in [
        "\"".repeat(10_000),
        "\"".repeat(999),
        "(".repeat(10_000),
        "(".repeat(900),
        ")".repeat(900),
        "AND ".repeat(2_500),
        "AND ".repeat(200),
        "-".repeat(900),
        "NOT ".repeat(200),
        "title:".repeat(100),
        format!("{}x", "-".repeat(30)),
        format!("{}x{}", "(".repeat(200), ")".repeat(200)),
    ] {
        let output = repo
            .memo(&["search", "--", &query])
            .output()
            .expect("run memo");
        assert_eq!(output.status.code(), Some(2), "{}", &query[..20]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("invalid query"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // Control characters in a query are shown, not obeyed.
    let stderr = rejected(&repo, "\u{1b}[2J foo:bar");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
}

#[test]
fn queries_starting_with_a_minus_follow_a_double_dash() {
    let repo = library();
    let output = repo
        .memo(&["search", "--json", "--", "-queue"])
        .output()
        .expect("run memo");
    assert!(output.status.success());
    let hits: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(hits.as_array().expect("array").len(), 1);
}
