//! The reader: Markdown on screen, outline, search in the memo, links, progress, help,
//! mouse and window sizes.

use memo::tui::App;
use memo::tui::app::{Action, View};
use memo::tui::reader::{Focus, Overlay};
use memo::tui::threads::MemoryThreads;
use ratatui::crossterm::event::{KeyCode, KeyModifiers, MouseEvent, MouseEventKind};

use super::{app_with, draw, fixed_time, key, memo, press, snapshot, terminal, type_text};

const RICH: &str = "# Queue rollout\n\n## Summary\n\nWe move *nightly* jobs to **Kafka** and ~~cron~~ stop. Run `make jobs` first.\n\n1. Plan\n   - draft the [runbook](https://example.invalid/runbook)\n   - [x] staging done\n   - [ ] production\n2. Ship\n\n> Queues fail loudly, cron fails quietly.\n\n```rust\nfn main() {}\n```\n\n| Region | Owner |\n|:--|--:|\n| 東京 | ops |\n\n![Queue diagram](diagram.png)\n\nSee the note.[^1]\n\n---\n\n<div>raw html</div>\n\n## Risks\n\nConsumer lag.\n\n[^1]: The note text.\n";

fn rich_app() -> App {
    let mut app = app_with(
        vec![memo(7, "Queue rollout", RICH)],
        MemoryThreads::new("Ana Lima <ana@example.com>", fixed_time()),
    );
    app.apply(Action::Open);
    app
}

fn long_app() -> App {
    let body: String = (1..=80)
        .map(|i| format!("## Part {i}\n\nParagraph number {i}.\n\n"))
        .collect();
    let mut app = app_with(
        vec![memo(2, "Long memo", &body)],
        MemoryThreads::new("Ana Lima <ana@example.com>", fixed_time()),
    );
    app.apply(Action::Open);
    app
}

#[test]
fn reader_renders_markdown_elements() {
    let mut app = rich_app();
    app.apply(Action::ToggleThreads);
    let rows = draw(&mut terminal(60, 44), &mut app);
    insta::assert_snapshot!("reader_markdown", snapshot(&rows));
}

#[test]
fn reader_with_pane_and_outline() {
    let mut app = rich_app();
    app.apply(Action::ToggleOutline);
    let rows = draw(&mut terminal(100, 20), &mut app);
    insta::assert_snapshot!("reader_outline", snapshot(&rows));
}

#[test]
fn narrow_outline_leaves_memo_visible() {
    let mut app = rich_app();
    app.apply(Action::ToggleOutline);
    let rows = draw(&mut terminal(25, 6), &mut app);
    insta::assert_snapshot!("reader_outline_25x6", snapshot(&rows));

    for (width, height) in [(20, 4), (22, 5), (25, 6), (40, 10), (79, 10)] {
        let mut app = rich_app();
        app.apply(Action::ToggleOutline);
        let rows = draw(&mut terminal(width, height), &mut app);
        let body = &rows[1..rows.len() - 2];
        assert!(
            body.iter().any(|r| r.contains("Queue")),
            "{width}x{height}: the outline shows the first heading: {rows:#?}"
        );
        assert!(
            body.iter().any(|r| r.contains('▸')),
            "{width}x{height}: the memo and its cursor stay beside the outline: {rows:#?}"
        );
        let outline_columns = body[0].find('│').expect("the outline's border");
        assert!(
            outline_columns < usize::from(width) / 2,
            "{width}x{height}: the outline takes less than half the width: {rows:#?}"
        );
    }
}

#[test]
fn outline_jumps_to_a_section() {
    let mut app = long_app();
    let mut terminal = terminal(100, 20);
    draw(&mut terminal, &mut app);
    press(&mut app, "o");
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.focus, Focus::Outline);
    press(&mut app, "jjj");
    app.handle_key(key(KeyCode::Enter));
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.focus, Focus::Body);
    let heading = &reader.rendered.headings[3];
    assert_eq!(heading.text, "Part 4");
    assert_eq!(reader.cursor, heading.line);
    let rows = draw(&mut terminal, &mut app);
    assert!(rows.iter().any(|r| r.contains("▸Part 4")), "{rows:#?}");
    assert!(rows[19].contains("§ Part 4"), "{rows:#?}");

    // Closing the outline gives the keys back to the memo.
    press(&mut app, "oo");
    assert!(!app.reader.as_ref().expect("reader").show_outline);
}

#[test]
fn brackets_move_between_sections() {
    let mut app = long_app();
    draw(&mut terminal(80, 20), &mut app);
    press(&mut app, "]]");
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.cursor, reader.rendered.headings[2].line);
    press(&mut app, "[");
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.cursor, reader.rendered.headings[1].line);
}

#[test]
fn find_moves_through_matches() {
    let mut app = long_app();
    let mut terminal = terminal(80, 20);
    draw(&mut terminal, &mut app);
    press(&mut app, "/");
    assert!(app.is_typing());
    type_text(&mut app, "NUMBER 7");
    let rows = draw(&mut terminal, &mut app);
    assert!(rows[18].contains("/ NUMBER 7▏  11 matches"), "{rows:#?}");
    app.handle_key(key(KeyCode::Enter));
    assert!(!app.is_typing());
    let line_of = |app: &App| {
        let reader = app.reader.as_ref().expect("reader");
        reader.plain[reader.cursor].clone()
    };
    assert_eq!(line_of(&app), "Paragraph number 7.");
    press(&mut app, "n");
    assert_eq!(line_of(&app), "Paragraph number 70.");
    press(&mut app, "N");
    assert_eq!(line_of(&app), "Paragraph number 7.");
    press(&mut app, "N");
    assert_eq!(line_of(&app), "Paragraph number 79.", "wraps to the last");
    let rows = draw(&mut terminal, &mut app);
    assert!(rows[18].contains("match 11 of 11"), "{rows:#?}");

    // Esc clears the matches before it leaves the memo.
    app.handle_key(key(KeyCode::Esc));
    assert_eq!(app.view, View::Reader);
    assert!(app.reader.as_ref().expect("reader").find.matches.is_empty());
}

#[test]
fn links_show_their_url() {
    let mut app = rich_app();
    let mut terminal = terminal(80, 40);
    draw(&mut terminal, &mut app);
    press(&mut app, "L");
    let rows = draw(&mut terminal, &mut app);
    assert!(
        rows.iter()
            .any(|r| r.contains("https://example.invalid/runbook")),
        "{rows:#?}"
    );
    assert!(rows.iter().any(|r| r.contains("diagram.png")), "{rows:#?}");
    app.handle_key(key(KeyCode::Enter));
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.overlay, None);
    assert!(reader.plain[reader.cursor].contains("runbook"));
    let rows = draw(&mut terminal, &mut app);
    assert!(
        rows[38].contains("link: https://example.invalid/runbook"),
        "{rows:#?}"
    );
}

#[test]
fn progress_reaches_the_end() {
    let mut app = long_app();
    let mut terminal = terminal(60, 12);
    let rows = draw(&mut terminal, &mut app);
    assert!(rows[11].starts_with(" 2% · line 1/"), "{rows:#?}");
    press(&mut app, "G");
    let rows = draw(&mut terminal, &mut app);
    let total = app.reader.as_ref().expect("reader").line_count();
    assert!(
        rows[11].starts_with(&format!(" 100% · line {total}/{total} ")),
        "{rows:#?}"
    );
    assert!(
        rows.iter().any(|r| r.contains("Paragraph number 80.")),
        "{rows:#?}"
    );
}

#[test]
fn paging_and_mouse_scroll() {
    let mut app = long_app();
    let mut terminal = terminal(60, 12);
    draw(&mut terminal, &mut app);
    app.handle_key(key(KeyCode::PageDown));
    assert_eq!(app.reader.as_ref().expect("reader").scroll, 9);
    app.handle_key(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    ));
    assert_eq!(app.reader.as_ref().expect("reader").scroll, 0);
    let wheel = |kind| MouseEvent {
        kind,
        column: 5,
        row: 5,
        modifiers: KeyModifiers::NONE,
    };
    app.handle_mouse(wheel(MouseEventKind::ScrollDown));
    app.handle_mouse(wheel(MouseEventKind::ScrollDown));
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.scroll, 6);
    assert!(reader.cursor >= 6, "the cursor stays in view");
    app.handle_mouse(wheel(MouseEventKind::ScrollUp));
    assert_eq!(app.reader.as_ref().expect("reader").scroll, 3);
}

#[test]
fn help_overlay_lists_the_keys() {
    let mut app = rich_app();
    let mut terminal = terminal(80, 36);
    press(&mut app, "?");
    assert!(app.help);
    let rows = draw(&mut terminal, &mut app);
    insta::assert_snapshot!("reader_help", snapshot(&rows));
    press(&mut app, "j");
    assert!(app.help, "movement keys scroll the help");
    press(&mut app, "?");
    assert!(!app.help);
    assert_eq!(app.view, View::Reader);

    app.apply(Action::Back);
    press(&mut app, "?");
    let rows = draw(&mut terminal, &mut app);
    assert!(
        rows.iter().any(|r| r.contains("search as you type")),
        "{rows:#?}"
    );
    app.handle_key(key(KeyCode::Esc));
    assert!(!app.help);
    assert!(!app.should_quit());
}

#[test]
fn every_size_draws_without_panic() {
    let mut app = rich_app();
    let states: [&str; 6] = ["", "o", "L", "O", "c", "?"];
    for setup in states {
        let mut app_state = rich_app();
        press(&mut app_state, setup);
        for width in [1, 2, 5, 19, 20, 21, 33, 59, 60, 79, 80, 81, 120] {
            for height in [1, 2, 3, 4, 5, 8, 30] {
                let rows = draw(&mut terminal(width, height), &mut app_state);
                if width < 20 || height < 4 {
                    assert!(
                        rows[0].starts_with('w') || rows[0].starts_with('…'),
                        "{width}x{height} after {setup:?}: {rows:?}"
                    );
                }
            }
        }
    }
    app.apply(Action::Back);
    for (width, height) in [(1, 1), (20, 4), (200, 60)] {
        draw(&mut terminal(width, height), &mut app);
    }
}

#[test]
fn show_tui_leaves_the_ui_from_the_reader() {
    let repo = crate::common::TestRepo::new();
    let path = repo.new_memo("Plan the queue", &[]);
    let memo = memo::store::Repo::discover(repo.root())
        .expect("repo")
        .load_memo(std::path::Path::new(&path))
        .expect("memo");
    let mut app = App::reader_only(
        memo::store::Repo::discover(repo.root()).expect("repo"),
        memo,
    )
    .expect("app");
    assert_eq!(app.view, View::Reader);
    press(&mut app, "L");
    app.handle_key(key(KeyCode::Esc));
    assert!(!app.should_quit(), "Esc closes the list first");
    assert_eq!(
        app.reader.as_ref().expect("reader").overlay,
        None::<Overlay>
    );
    app.handle_key(key(KeyCode::Char('h')));
    assert!(app.should_quit());
}
