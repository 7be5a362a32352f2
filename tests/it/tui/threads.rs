//! Threads in the reader: margin marks, the side pane, selecting a passage, the
//! comment editor, replies, resolving, outdated threads and drafts that are never lost.

use memo::memo::Memo;
use memo::store::Repo;
use memo::tui::App;
use memo::tui::app::Action;
use memo::tui::reader::Overlay;
use memo::tui::threads::{Comment, MemoryThreads, Target, Thread, ThreadState, identity_notice};
use ratatui::crossterm::event::KeyCode;

use super::{app_with, ctrl, draw, fixed_time, key, memo, press, snapshot, terminal, type_text};
use crate::common::TestRepo;

const BODY: &str = "## Summary\n\nWe move nightly jobs to a queue.\n\n## Options\n\nKeep cron and add retries.\n\nUse Kafka for every job.\n\n## Decision\n\nKafka, starting in March.\n";

fn sample_memo() -> Memo {
    memo(3, "Queue the nightly jobs", BODY)
}

fn anchor(memo: &Memo, quote: &str) -> std::ops::Range<usize> {
    let start = memo.text().find(quote).expect("quote in memo");
    start..start + quote.len()
}

fn comment(author: &str, body: &str) -> Comment {
    Comment {
        author: author.to_owned(),
        time: fixed_time(),
        body: body.to_owned(),
    }
}

/// Returns a store with an open thread, a resolved one and an outdated one.
fn sample_threads(memo: &Memo) -> MemoryThreads {
    let mut store = MemoryThreads::new("Ana Lima <ana@example.com>", fixed_time());
    store.threads = vec![
        Thread {
            id: "t1".into(),
            state: ThreadState::Open,
            anchor: Some(anchor(memo, "Use Kafka for every job.")),
            quote: "Use Kafka for every job.".into(),
            section: Some("Options".into()),
            comments: vec![
                comment("Bo Chen <bo@example.com>", "Every job, even the tiny ones?"),
                comment("Ana Lima <ana@example.com>", "Yes: one path to operate."),
            ],
        },
        Thread {
            id: "t2".into(),
            state: ThreadState::Resolved,
            anchor: Some(anchor(memo, "We move nightly jobs to a queue.")),
            quote: "We move nightly jobs to a queue.".into(),
            section: Some("Summary".into()),
            comments: vec![comment("Bo Chen <bo@example.com>", "Agreed.")],
        },
        Thread {
            id: "t3".into(),
            state: ThreadState::Open,
            anchor: None,
            quote: "Cron stays for the monthly report.".into(),
            section: Some("Decision".into()),
            comments: vec![comment("Cy Diaz <cy@example.com>", "Where did this go?")],
        },
    ];
    store
}

fn open_app(store: MemoryThreads) -> App {
    let mut app = app_with(vec![sample_memo()], store);
    app.apply(Action::Open);
    app
}

fn threads_of(app: &mut App) -> Vec<Thread> {
    let memo = sample_memo();
    app.thread_store().threads(&memo).expect("threads")
}

#[test]
fn pane_shows_thread_under_cursor() {
    let memo = sample_memo();
    let mut app = open_app(sample_threads(&memo));
    let mut terminal = terminal(100, 18);
    draw(&mut terminal, &mut app);
    press(&mut app, ">");
    let rows = draw(&mut terminal, &mut app);
    let reader = app.reader.as_ref().expect("reader");
    assert!(reader.plain[reader.cursor].contains("We move nightly jobs"));
    assert!(
        rows.iter().any(|r| r.starts_with("○▸We move nightly")),
        "{rows:#?}"
    );
    press(&mut app, ">");
    let rows = draw(&mut terminal, &mut app);
    insta::assert_snapshot!("reader_thread_pane", snapshot(&rows));
    press(&mut app, ">");
    let reader = app.reader.as_ref().expect("reader");
    assert!(reader.notice.is_some(), "no thread further down");
    press(&mut app, "<");
    let reader = app.reader.as_ref().expect("reader");
    assert!(reader.plain[reader.cursor].contains("We move nightly jobs"));
}

#[test]
fn selection_becomes_a_new_thread() {
    let memo = sample_memo();
    let mut app = open_app(MemoryThreads::new(
        "Ana Lima <ana@example.com>",
        fixed_time(),
    ));
    let mut terminal = terminal(90, 20);
    draw(&mut terminal, &mut app);
    // From "Keep cron" down to "Use Kafka": both options.
    let start = app.reader.as_ref().expect("reader").rendered.headings[1].line + 2;
    for _ in 0..start {
        press(&mut app, "j");
    }
    press(&mut app, "v");
    press(&mut app, "jj");
    let rows = draw(&mut terminal, &mut app);
    assert!(rows[18].contains("Selecting 3 line(s)"), "{rows:#?}");
    press(&mut app, "c");
    assert!(app.is_typing());
    type_text(
        &mut app,
        "Two options is thin.\nWhat about a managed scheduler?",
    );
    let rows = draw(&mut terminal, &mut app);
    insta::assert_snapshot!("reader_composer", snapshot(&rows));
    app.handle_key(ctrl('s'));
    assert!(!app.is_typing());

    let threads = threads_of(&mut app);
    assert_eq!(threads.len(), 1);
    let thread = &threads[0];
    assert_eq!(
        thread.quote,
        "Keep cron and add retries.\n\nUse Kafka for every job."
    );
    assert_eq!(thread.anchor, Some(anchor(&memo, &thread.quote)));
    assert_eq!(thread.section.as_deref(), Some("Options"));
    assert_eq!(
        thread.comments[0].body,
        "Two options is thin.\nWhat about a managed scheduler?"
    );
    let rows = draw(&mut terminal, &mut app);
    assert!(rows[18].contains("Comment sent as Ana Lima"), "{rows:#?}");
    assert!(
        rows.iter().any(|r| r.starts_with("● Keep cron")),
        "{rows:#?}"
    );
    assert!(
        rows.iter().any(|r| r.starts_with("┃▸Use Kafka")),
        "{rows:#?}"
    );
}

#[test]
fn comment_on_paragraph_and_section() {
    let memo = sample_memo();
    let mut app = open_app(MemoryThreads::new(
        "Ana Lima <ana@example.com>",
        fixed_time(),
    ));
    draw(&mut terminal(90, 20), &mut app);
    press(&mut app, "]]]j");
    press(&mut app, "jc");
    type_text(&mut app, "When in March?");
    app.handle_key(ctrl('s'));
    press(&mut app, "C");
    type_text(&mut app, "The whole decision needs a date.");
    app.handle_key(ctrl('s'));
    let threads = threads_of(&mut app);
    let quotes: Vec<&str> = threads.iter().map(|t| t.quote.as_str()).collect();
    assert!(quotes.contains(&"Kafka, starting in March."), "{quotes:?}");
    assert!(
        quotes.contains(&"## Decision\n\nKafka, starting in March."),
        "{quotes:?}"
    );
    let section = threads
        .iter()
        .find(|t| t.quote.starts_with("## Decision"))
        .expect("section thread");
    assert_eq!(section.anchor, Some(anchor(&memo, &section.quote)));
}

#[test]
fn reply_resolve_and_reopen() {
    let memo = sample_memo();
    let mut app = open_app(sample_threads(&memo));
    draw(&mut terminal(100, 18), &mut app);
    press(&mut app, ">>");
    press(&mut app, "r");
    type_text(&mut app, "Then the tiny ones share a topic.");
    app.handle_key(ctrl('s'));
    press(&mut app, "x");
    let threads = threads_of(&mut app);
    let thread = threads.iter().find(|t| t.id == "t1").expect("t1");
    assert_eq!(thread.comments.len(), 3);
    assert_eq!(thread.comments[2].body, "Then the tiny ones share a topic.");
    assert_eq!(thread.state, ThreadState::Resolved);
    press(&mut app, "x");
    let threads = threads_of(&mut app);
    let thread = threads.iter().find(|t| t.id == "t1").expect("t1");
    assert_eq!(thread.state, ThreadState::Open);
}

#[test]
fn outdated_threads_are_listed_apart() {
    let memo = sample_memo();
    let mut app = open_app(sample_threads(&memo));
    let mut terminal = terminal(80, 16);
    draw(&mut terminal, &mut app);
    press(&mut app, "O");
    let rows = draw(&mut terminal, &mut app);
    insta::assert_snapshot!("reader_outdated", snapshot(&rows));
    press(&mut app, "x");
    let threads = threads_of(&mut app);
    let outdated = threads.iter().find(|t| t.id == "t3").expect("t3");
    assert_eq!(outdated.state, ThreadState::Resolved);
    press(&mut app, "r");
    type_text(&mut app, "It moved to the appendix.");
    app.handle_key(ctrl('s'));
    let threads = threads_of(&mut app);
    let outdated = threads.iter().find(|t| t.id == "t3").expect("t3");
    assert_eq!(outdated.comments.len(), 2);
}

#[test]
fn failed_write_keeps_the_text_as_a_draft() {
    let repo = TestRepo::new();
    repo.write("memos/0003-queue.md", sample_memo().text());
    let mut store = MemoryThreads::new("Ana Lima <ana@example.com>", fixed_time());
    store.fail_writes = Some("the repository is locked by another memo".into());
    let mut app = App::library(Repo::discover(repo.root()).expect("repo")).expect("library");
    app.set_thread_store(Box::new(store));
    app.apply(Action::Open);
    let mut terminal = terminal(100, 18);
    draw(&mut terminal, &mut app);
    press(&mut app, "jjc");
    type_text(&mut app, "Queue which jobs first?");
    app.handle_key(ctrl('s'));

    let rows = draw(&mut terminal, &mut app);
    let status = &rows[16];
    assert!(
        status.contains("Not sent, kept as a draft (the repository is locked by another memo)"),
        "{rows:#?}"
    );
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.drafts.items.len(), 1);
    assert_eq!(reader.drafts.items[0].body, "Queue which jobs first?");
    let file = reader.drafts.file().expect("drafts file").to_owned();
    assert!(file.starts_with(repo.path(".git/memo/drafts")), "{file:?}");
    assert!(
        rows.iter().any(|r| r.contains("✎ Draft, not sent")),
        "{rows:#?}"
    );

    // The draft survives leaving the UI and comes back with the memo.
    app.apply(Action::Quit);
    let mut app = App::library(Repo::discover(repo.root()).expect("repo")).expect("library");
    app.set_thread_store(Box::new(MemoryThreads::new(
        "Ana Lima <ana@example.com>",
        fixed_time(),
    )));
    app.apply(Action::Open);
    draw(&mut terminal, &mut app);
    press(&mut app, "D");
    let rows = draw(&mut terminal, &mut app);
    assert!(
        rows.iter().any(|r| r.contains("Queue which jobs first?")),
        "{rows:#?}"
    );
    app.handle_key(key(KeyCode::Enter));
    assert!(app.is_typing(), "Enter opens the draft in the editor");
    app.handle_key(ctrl('s'));
    assert_eq!(threads_of(&mut app).len(), 1);
    let reader = app.reader.as_ref().expect("reader");
    assert!(reader.drafts.items.is_empty());
    assert!(!file.exists(), "a sent draft is removed");
}

#[test]
fn missing_identity_is_shown_before_typing() {
    let repo = TestRepo::new();
    repo.write("memos/0003-queue.md", sample_memo().text());
    let mut store = MemoryThreads::new("", fixed_time());
    store.author = Err(identity_notice(&memo::Error::IdentityMissing {
        detail: None,
    }));
    let mut app = App::library(Repo::discover(repo.root()).expect("repo")).expect("library");
    app.set_thread_store(Box::new(store));
    app.apply(Action::Open);
    let mut terminal = terminal(90, 20);
    draw(&mut terminal, &mut app);
    press(&mut app, "jjc");
    let rows = draw(&mut terminal, &mut app);
    insta::assert_snapshot!("reader_composer_no_identity", snapshot(&rows));

    type_text(&mut app, "Typed before the identity was set.");
    app.handle_key(ctrl('s'));
    let reader = app.reader.as_ref().expect("reader");
    let draft = &reader.drafts.items[0];
    assert_eq!(draft.body, "Typed before the identity was set.");
    assert!(
        draft
            .error
            .as_deref()
            .is_some_and(|e| e.contains("no git identity")),
        "{draft:?}"
    );
    let rows = draw(&mut terminal, &mut app);
    assert!(
        rows[18].contains("Not sent, kept as a draft (no git identity"),
        "{rows:#?}"
    );
}

#[test]
fn quitting_while_typing_keeps_a_draft() {
    let repo = TestRepo::new();
    repo.write("memos/0003-queue.md", sample_memo().text());
    let mut app = App::library(Repo::discover(repo.root()).expect("repo")).expect("library");
    app.apply(Action::Open);
    draw(&mut terminal(90, 20), &mut app);
    press(&mut app, "jjc");
    type_text(&mut app, "half a thought");
    app.handle_key(ctrl('c'));
    assert!(app.should_quit());
    let reader = app.reader.as_ref().expect("reader");
    let file = reader.drafts.file().expect("file");
    let saved = std::fs::read_to_string(file).expect("drafts saved");
    assert!(saved.contains("half a thought"), "{saved}");
}

#[test]
fn panic_while_typing_keeps_a_draft() {
    let repo = TestRepo::new();
    repo.write("memos/0003-queue.md", sample_memo().text());
    let mut app = App::library(Repo::discover(repo.root()).expect("repo")).expect("library");
    app.apply(Action::Open);
    draw(&mut terminal(90, 20), &mut app);
    press(&mut app, "jjc");
    type_text(&mut app, "words typed before a bug");
    let error = memo::tui::guarded(&mut app, |_| -> memo::Result<()> {
        panic!("a bug in the screen")
    })
    .expect_err("the panic becomes an error");
    assert!(error.to_string().contains("internal error"), "{error}");
    let reader = app.reader.as_ref().expect("reader");
    let file = reader.drafts.file().expect("file");
    let saved = std::fs::read_to_string(file).expect("drafts saved");
    assert!(saved.contains("words typed before a bug"), "{saved}");
}

#[test]
fn escape_keeps_a_draft_and_reopening_restores_it() {
    let memo = sample_memo();
    let mut app = open_app(MemoryThreads::new(
        "Ana Lima <ana@example.com>",
        fixed_time(),
    ));
    draw(&mut terminal(90, 20), &mut app);
    press(&mut app, "jjc");
    type_text(&mut app, "first words");
    app.handle_key(key(KeyCode::Esc));
    assert!(!app.is_typing());
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.drafts.items.len(), 1);
    let target = reader.drafts.items[0].target.clone();
    assert!(
        matches!(&target, Target::NewThread(p) if p.quote == "We move nightly jobs to a queue.")
    );
    press(&mut app, "c");
    type_text(&mut app, ", more");
    app.handle_key(ctrl('s'));
    let threads = threads_of(&mut app);
    assert_eq!(threads[0].comments[0].body, "first words, more");
    assert_eq!(threads[0].anchor, Some(anchor(&memo, &threads[0].quote)));

    // An emptied editor closed with Esc leaves no draft behind.
    press(&mut app, "Cx");
    app.handle_key(key(KeyCode::Backspace));
    app.handle_key(key(KeyCode::Esc));
    assert!(app.reader.as_ref().expect("reader").drafts.items.is_empty());
    assert_eq!(
        app.reader.as_ref().expect("reader").overlay,
        None::<Overlay>
    );
}

#[test]
fn long_thread_scrolls_in_the_pane() {
    let memo = sample_memo();
    let mut store = sample_threads(&memo);
    store.threads[0].comments = (1..=12)
        .map(|i| comment("Bo Chen <bo@example.com>", &format!("Point number {i}.")))
        .collect();
    let mut app = open_app(store);
    let mut terminal = terminal(100, 14);
    draw(&mut terminal, &mut app);
    press(&mut app, ">>");
    let rows = draw(&mut terminal, &mut app);
    assert!(rows[11].contains("… J for more, K back"), "{rows:#?}");
    assert!(
        !rows.iter().any(|r| r.contains("Point number 12.")),
        "{rows:#?}"
    );
    for _ in 0..40 {
        press(&mut app, "J");
    }
    let rows = draw(&mut terminal, &mut app);
    assert!(
        rows.iter().any(|r| r.contains("Point number 12.")),
        "{rows:#?}"
    );
    assert!(!rows.iter().any(|r| r.contains("J for more")), "{rows:#?}");
    press(&mut app, "K");
    assert!(app.reader.as_ref().expect("reader").pane_scroll > 0);
    press(&mut app, "j");
    assert_eq!(app.reader.as_ref().expect("reader").pane_scroll, 0);
}

/// The reader's threads go through the repository's event log: what the reader writes,
/// `memo comment list` shows, and what the command line writes, the reader shows.
#[test]
fn reader_and_command_line_share_threads() {
    let repo = TestRepo::new();
    let text = sample_memo().text().replacen(
        "number: 3\n",
        "number: 3\nuid: 01JQ0000000000000000000003\n",
        1,
    );
    repo.write("memos/0003-queue.md", &text);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "add memo"]);

    let mut app = App::library(Repo::discover(repo.root()).expect("repo")).expect("library");
    app.apply(Action::Open);
    let mut terminal = terminal(100, 18);
    draw(&mut terminal, &mut app);
    press(&mut app, "jjc");
    type_text(&mut app, "Queue which jobs first?");
    app.handle_key(ctrl('s'));
    let reader = app.reader.as_ref().expect("reader");
    assert!(
        reader.drafts.items.is_empty(),
        "sent, not kept: {:?}",
        reader.drafts.items
    );

    let listing = repo.memo_json(&["comment", "list", "3", "--json"]);
    let threads = listing.as_array().expect("threads");
    assert_eq!(threads.len(), 1, "{listing:#}");
    let thread = &threads[0];
    assert_eq!(thread["comments"][0]["body"], "Queue which jobs first?");
    assert_eq!(
        thread["comments"][0]["author"],
        "Test Author <author@example.com>"
    );
    assert_eq!(thread["anchor"]["state"], "exact");
    assert_eq!(thread["anchor"]["section"], "Summary");
    let id = thread["id"].as_str().expect("id").to_owned();

    repo.memo_ok(&["comment", "reply", &id, "-m", "The payroll export first."]);
    app.apply(Action::Back);
    app.apply(Action::Open);
    draw(&mut terminal, &mut app);
    let shown = threads_of_repo(&mut app);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].comments.len(), 2);
    assert_eq!(shown[0].comments[1].body, "The payroll export first.");
    let rows = draw(&mut terminal, &mut app);
    assert!(rows[0].contains("1 open of 1 threads"), "{rows:#?}");
    let marked = rows
        .iter()
        .find(|r| r.contains("We move nightly jobs to a queue."))
        .expect("the quoted line");
    assert!(
        marked.contains('●'),
        "the margin marks the quoted line: {rows:#?}"
    );

    // Resolving in the reader is what the command line sees.
    press(&mut app, ">");
    press(&mut app, "x");
    let listing = repo.memo_json(&["comment", "list", "3", "--all", "--json"]);
    assert_eq!(listing[0]["resolved"], true, "{listing:#}");
}

/// Returns the threads the reader shows for the open memo.
fn threads_of_repo(app: &mut App) -> Vec<Thread> {
    app.reader.as_ref().expect("reader").threads.clone()
}
