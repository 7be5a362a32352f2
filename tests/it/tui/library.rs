//! The library: rows from the index, search as you type, filters, order, opening.

use memo::store::Repo;
use memo::tui::App;
use memo::tui::app::{Action, View};
use memo::tui::library::Sort;
use ratatui::crossterm::event::KeyCode;

use super::{draw, key, snapshot, terminal, type_text};
use crate::common::TestRepo;

fn write_memo(repo: &TestRepo, number: u32, title: &str, status: &str, tags: &str, body: &str) {
    let text = format!(
        "---\nnumber: {number}\nuid: 01HX{number:022}\ntitle: \"{title}\"\nstatus: {status}\ntemplate: decision\nauthors: [\"Ana Lima <ana@example.com>\", \"Bo Chen <bo@example.com>\"]\ncreated: 2026-02-{number:02}\ntags: [{tags}]\n---\n\n# {title}\n\n{body}\n"
    );
    repo.write(&format!("memos/{number:04}-memo.md"), text);
}

/// Makes a repository with four memos of different statuses, tags and words.
fn sample_repo() -> TestRepo {
    let repo = TestRepo::new();
    write_memo(
        &repo,
        1,
        "Move nightly jobs to a queue",
        "accepted",
        "platform",
        "Kafka carries the nightly batch events.",
    );
    write_memo(
        &repo,
        2,
        "Adopt managed PostgreSQL",
        "review",
        "platform, databases",
        "Managed databases remove the failover toil.",
    );
    write_memo(
        &repo,
        3,
        "Choose a log backend",
        "draft",
        "observability",
        "Loki or Elasticsearch for the logs.",
    );
    write_memo(
        &repo,
        4,
        "Retire the Kafka cluster",
        "rejected",
        "platform",
        "The queue moved elsewhere, so Kafka can go.",
    );
    repo
}

fn open(repo: &TestRepo) -> App {
    App::library(Repo::discover(repo.root()).expect("repo")).expect("library")
}

fn titles(app: &App) -> Vec<String> {
    app.library.rows().map(|r| r.title.clone()).collect()
}

#[test]
fn library_shows_rows_from_the_index() {
    let repo = sample_repo();
    let mut app = open(&repo);
    let mut terminal = terminal(100, 9);
    let rows = draw(&mut terminal, &mut app);
    insta::assert_snapshot!("library", snapshot(&rows));
    assert!(
        repo.path(".git/memo/library.json").is_file(),
        "the rows are cached beside the index"
    );
}

#[test]
fn library_sees_changed_memos_on_open() {
    let repo = sample_repo();
    drop(open(&repo));
    write_memo(
        &repo,
        3,
        "Choose Loki for logs",
        "accepted",
        "observability",
        "Loki.",
    );
    repo.write(
        "memos/0005-memo.md",
        "---\nnumber: 5\ntitle: Fifth\n---\n\nText.\n",
    );
    let app = open(&repo);
    assert_eq!(
        titles(&app),
        [
            "Move nightly jobs to a queue",
            "Adopt managed PostgreSQL",
            "Choose Loki for logs",
            "Retire the Kafka cluster",
            "Fifth"
        ]
    );
}

#[test]
fn search_updates_on_each_keystroke() {
    let repo = sample_repo();
    let mut app = open(&repo);
    app.handle_key(key(KeyCode::Char('/')));
    assert!(app.is_typing());

    // A word still being typed matches as a prefix.
    type_text(&mut app, "kaf");
    assert_eq!(
        titles(&app),
        ["Retire the Kafka cluster", "Move nightly jobs to a queue"]
    );
    assert_eq!(app.library.sort, Sort::Relevance);
    assert_eq!(app.library.selected, 0);

    type_text(&mut app, "ka nightly");
    assert_eq!(titles(&app), ["Move nightly jobs to a queue"]);

    for _ in 0.."nightly".len() {
        app.handle_key(key(KeyCode::Backspace));
    }
    assert_eq!(titles(&app).len(), 2);

    // An unfinished phrase keeps the last results and shows why.
    type_text(&mut app, "\"fail");
    assert_eq!(titles(&app).len(), 2);
    assert!(app.library.query_error.is_some());

    // Enter keeps the query and gives the keys back; Esc would clear it.
    app.handle_key(key(KeyCode::Enter));
    assert!(!app.is_typing());
    app.apply(Action::ClearFilters);
    assert_eq!(titles(&app).len(), 4);
}

#[test]
fn search_escape_clears_the_query() {
    let repo = sample_repo();
    let mut app = open(&repo);
    app.handle_key(key(KeyCode::Char('/')));
    type_text(&mut app, "postgresql");
    assert_eq!(titles(&app), ["Adopt managed PostgreSQL"]);
    let mut terminal = terminal(80, 6);
    let rows = draw(&mut terminal, &mut app);
    assert!(rows[1].contains("/ postgresql▏"), "{rows:#?}");
    app.handle_key(key(KeyCode::Esc));
    assert_eq!(titles(&app).len(), 4);
    assert!(app.library.query.is_empty());
    assert_eq!(app.library.sort, Sort::Number);
}

#[test]
fn invalid_query_keeps_query_and_results() {
    let repo = sample_repo();
    let mut app = open(&repo);
    app.handle_key(key(KeyCode::Char('/')));
    type_text(&mut app, "kafka");
    let before = titles(&app);
    type_text(&mut app, " \"bor");
    assert_eq!(titles(&app), before, "the last results stay");
    let error = app.library.query_error.clone().expect("query error");
    assert!(error.contains("invalid query"), "{error}");

    let mut terminal = terminal(100, 6);
    let rows = draw(&mut terminal, &mut app);
    insta::assert_snapshot!("library_invalid_query", snapshot(&rows));
    assert!(
        rows[1].starts_with(" / kafka \"bor▏  invalid query"),
        "{rows:#?}"
    );

    // Closing the quote runs the query again and the reason goes away.
    type_text(&mut app, "\"");
    assert_eq!(app.library.query_error, None);
    let rows = draw(&mut terminal, &mut app);
    assert!(rows[1].starts_with(" / kafka \"bor\"▏ "), "{rows:#?}");
}

#[test]
fn long_query_keeps_its_end_visible() {
    let repo = sample_repo();
    let mut app = open(&repo);
    app.handle_key(key(KeyCode::Char('/')));
    type_text(&mut app, "managed databases remove the failover toil");
    let mut terminal = terminal(24, 6);
    let rows = draw(&mut terminal, &mut app);
    assert_eq!(rows[1], " / …e the failover toil▏", "{rows:#?}");
}

#[test]
fn notice_stays_beside_the_query() {
    let repo = sample_repo();
    let mut app = open(&repo);
    app.library.notice = Some("cannot open memos/0009-gone.md".to_owned());
    app.handle_key(key(KeyCode::Char('/')));
    let mut terminal = terminal(80, 6);
    let rows = draw(&mut terminal, &mut app);
    assert!(
        rows[1].starts_with(" / ▏  cannot open memos/0009-gone.md"),
        "{rows:#?}"
    );
}

#[test]
fn filters_cycle_through_statuses_and_tags() {
    let repo = sample_repo();
    let mut app = open(&repo);
    app.handle_key(key(KeyCode::Char('s')));
    assert_eq!(app.library.status_filter.as_deref(), Some("accepted"));
    assert_eq!(titles(&app), ["Move nightly jobs to a queue"]);
    app.handle_key(key(KeyCode::Char('s')));
    assert_eq!(app.library.status_filter.as_deref(), Some("draft"));
    assert_eq!(titles(&app), ["Choose a log backend"]);

    app.handle_key(key(KeyCode::Char('x')));
    app.handle_key(key(KeyCode::Char('t')));
    assert_eq!(app.library.tag_filter.as_deref(), Some("databases"));
    assert_eq!(titles(&app), ["Adopt managed PostgreSQL"]);
    for _ in 0..3 {
        app.handle_key(key(KeyCode::Char('t')));
    }
    assert_eq!(
        app.library.tag_filter, None,
        "the cycle ends with no filter"
    );
    assert_eq!(titles(&app).len(), 4);

    let mut terminal = terminal(80, 6);
    app.handle_key(key(KeyCode::Char('t')));
    let rows = draw(&mut terminal, &mut app);
    assert!(
        rows[0].contains("1 of 4 memos · tag databases"),
        "{rows:#?}"
    );
}

#[test]
fn sort_cycles_and_reverses() {
    let repo = sample_repo();
    let mut app = open(&repo);
    app.handle_key(key(KeyCode::Char('o')));
    assert_eq!(app.library.sort, Sort::Created);
    app.handle_key(key(KeyCode::Char('o')));
    assert_eq!(app.library.sort, Sort::Title);
    assert_eq!(
        titles(&app),
        [
            "Adopt managed PostgreSQL",
            "Choose a log backend",
            "Move nightly jobs to a queue",
            "Retire the Kafka cluster"
        ]
    );
    app.handle_key(key(KeyCode::Char('o')));
    assert_eq!(app.library.sort, Sort::Status);
    assert_eq!(titles(&app)[0], "Choose a log backend", "draft comes first");
    app.handle_key(key(KeyCode::Char('r')));
    assert_eq!(titles(&app)[3], "Choose a log backend");
    app.handle_key(key(KeyCode::Char('o')));
    assert_eq!(
        app.library.sort,
        Sort::Number,
        "relevance only while searching"
    );
}

#[test]
fn date_sort_puts_undated_memos_last() {
    let repo = sample_repo();
    repo.write(
        "memos/0005-undated.md",
        "---\nnumber: 5\nuid: 01HX0000000000000000000005\ntitle: \"Undated plan\"\nstatus: draft\n---\n\n# Undated plan\n\nNo date yet.\n",
    );
    repo.write(
        "memos/0006-undated.md",
        "---\nnumber: 6\nuid: 01HX0000000000000000000006\ntitle: \"Second undated plan\"\nstatus: draft\n---\n\n# Second undated plan\n\nNo date either.\n",
    );
    let mut app = open(&repo);
    app.handle_key(key(KeyCode::Char('o')));
    assert_eq!(app.library.sort, Sort::Created);
    assert_eq!(
        titles(&app),
        [
            "Move nightly jobs to a queue",
            "Adopt managed PostgreSQL",
            "Choose a log backend",
            "Retire the Kafka cluster",
            "Undated plan",
            "Second undated plan"
        ]
    );

    app.handle_key(key(KeyCode::Char('r')));
    assert_eq!(
        titles(&app),
        [
            "Retire the Kafka cluster",
            "Choose a log backend",
            "Adopt managed PostgreSQL",
            "Move nightly jobs to a queue",
            "Second undated plan",
            "Undated plan"
        ],
        "newest first, and the undated memos stay last"
    );
}

#[test]
fn moving_and_opening_a_memo() {
    let repo = sample_repo();
    let mut app = open(&repo);
    app.handle_key(key(KeyCode::Char('j')));
    app.handle_key(key(KeyCode::Down));
    assert_eq!(app.library.selected, 2);
    app.handle_key(key(KeyCode::Char('G')));
    assert_eq!(app.library.selected, 3);
    app.handle_key(key(KeyCode::Char('k')));
    app.handle_key(key(KeyCode::Char('g')));
    assert_eq!(app.library.selected, 0);
    app.handle_key(key(KeyCode::Char('j')));
    app.handle_key(key(KeyCode::Enter));
    assert_eq!(app.view, View::Reader);
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.memo.title(), "Adopt managed PostgreSQL");

    app.handle_key(key(KeyCode::Char('q')));
    assert_eq!(app.view, View::Library);
    assert!(!app.should_quit());
    app.handle_key(key(KeyCode::Char('q')));
    assert!(app.should_quit());
}

#[test]
fn library_reports_deleted_memo() {
    let repo = sample_repo();
    let mut app = open(&repo);
    std::fs::remove_file(repo.path("memos/0001-memo.md")).expect("remove");
    app.apply(Action::Open);
    assert_eq!(app.view, View::Library);
    let notice = app.library.notice.clone().expect("notice");
    assert!(
        notice.contains("cannot open memos/0001-memo.md"),
        "{notice}"
    );
}

#[test]
fn empty_library_says_how_to_start() {
    let repo = TestRepo::new();
    let mut app = open(&repo);
    let rows = draw(&mut terminal(70, 5), &mut app);
    assert!(rows[2].contains("No memos yet"), "{rows:#?}");
    app.apply(Action::Open);
    assert_eq!(app.view, View::Library);
}

#[test]
fn library_rebuilds_a_damaged_index() {
    let repo = sample_repo();
    repo.memo_ok(&["index"]);
    assert!(crate::search::damage_index_stores(&repo) > 0);
    std::fs::remove_file(repo.path(".git/memo/library.json")).ok();
    let catalog = memo::tui::catalog::Catalog::open(&Repo::discover(repo.root()).expect("repo"))
        .expect("the library opens");
    assert_eq!(
        catalog.warnings,
        ["rebuilt the search index because it could not be read"]
    );
    let listed = repo.memo_json(&["list", "--json"]);
    assert_eq!(catalog.rows.len(), listed.as_array().expect("array").len());
}
