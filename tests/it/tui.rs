//! The terminal UI on ratatui's test backend: library, reader and small windows.

use memo::memo::Memo;
use memo::tui::App;
use memo::tui::app::{Action, View};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn memo(number: u32, title: &str, body: &str) -> Memo {
    let text = format!(
        "---\nnumber: {number}\ntitle: \"{title}\"\nstatus: accepted\ncreated: 2026-01-0{number}\n---\n\n{body}"
    );
    Memo::parse(format!("memos/{number:04}-x.md"), text.as_bytes()).expect("parses")
}

/// Returns the rows of the screen as text, leaving out the cells that continue a wide
/// character.
fn screen(terminal: &Terminal<TestBackend>) -> Vec<String> {
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    buffer
        .content()
        .chunks(width)
        .map(|row| {
            let mut text = String::new();
            let mut skip = 0;
            for cell in row {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                text.push_str(cell.symbol());
                skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
            }
            text
        })
        .collect()
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn sample_app() -> App {
    let long_body: String = (1..=80)
        .map(|i| format!("Paragraph number {i}.\n\n"))
        .collect();
    App::from_memos(vec![
        memo(1, "Move jobs to a queue", "## Summary\n\nShort.\n"),
        memo(2, "Launch in 東京 ❤️", &long_body),
    ])
}

#[test]
fn library_lists_memos_and_enter_opens_reader() {
    let mut app = sample_app();
    let mut terminal = Terminal::new(TestBackend::new(60, 10)).expect("terminal");
    terminal.draw(|f| app.draw(f)).expect("draw");
    let rows = screen(&terminal);
    assert!(rows[0].contains("2 memos"), "{rows:#?}");
    assert!(
        rows[1].starts_with("0001  accepted    2026-01-01  Move jobs to a queue"),
        "{rows:#?}"
    );
    assert!(rows[2].contains("Launch in 東京"), "{rows:#?}");

    app.handle_key(key(KeyCode::Down));
    app.handle_key(key(KeyCode::Enter));
    assert_eq!(app.view, View::Reader);
    terminal.draw(|f| app.draw(f)).expect("draw");
    let rows = screen(&terminal);
    assert!(rows[0].contains("0002 Launch in 東京"), "{rows:#?}");
    assert!(rows[1].contains("Paragraph number 1."), "{rows:#?}");

    app.handle_key(key(KeyCode::Char('G')));
    terminal.draw(|f| app.draw(f)).expect("draw");
    let rows = screen(&terminal);
    assert!(
        rows.iter().any(|r| r.contains("Paragraph number 80.")),
        "{rows:#?}"
    );
    assert!(rows[9].contains("100%"), "{rows:#?}");

    app.handle_key(key(KeyCode::Char('q')));
    assert_eq!(app.view, View::Library);
    assert!(!app.should_quit());
    app.handle_key(key(KeyCode::Char('q')));
    assert!(app.should_quit());
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    let mut app = sample_app();
    app.apply(Action::Open);
    app.handle_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert!(app.should_quit());
}

#[test]
fn any_size_draws_without_panic() {
    let mut app = sample_app();
    for (width, height) in [(1, 1), (2, 1), (19, 3), (20, 4), (33, 7), (120, 40)] {
        for view in [Action::Back, Action::Open] {
            if view == Action::Open {
                app.apply(Action::Open);
            }
            let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
            terminal.draw(|f| app.draw(f)).expect("draw");
            if width < 20 || height < 4 {
                let first = &screen(&terminal)[0];
                assert!(
                    first.starts_with('w') || first.starts_with('…'),
                    "{width}x{height}: {first}"
                );
            }
            if view == Action::Open {
                app.apply(Action::Back);
            }
        }
    }
}

#[test]
fn rows_keep_their_width_with_wide_characters() {
    let mut app = App::from_memos(vec![memo(
        1,
        "🚀 Launch plan — 東京 region ❤️ 👩‍👩‍👧 🇯🇵 👍🏽",
        "| Region | Owner |\n|---|---|\n| 東京 | team-👩‍👩‍👧 |\n| 🇯🇵 backup | ⚠️ pending |\n\nmetric\tp50\tp99\nlatency\t120ms\t480ms\n",
    )]);
    let mut terminal = Terminal::new(TestBackend::new(40, 12)).expect("terminal");
    terminal.draw(|f| app.draw(f)).expect("draw");
    app.apply(Action::Open);
    terminal.draw(|f| app.draw(f)).expect("draw");
    let rows = screen(&terminal);
    let table: Vec<&String> = rows.iter().filter(|r| r.contains('│')).collect();
    assert!(table.len() >= 3, "{rows:#?}");
    let columns: Vec<usize> = table
        .iter()
        .map(|r| unicode_width::UnicodeWidthStr::width(r.trim_end()))
        .collect();
    assert!(
        columns.windows(2).all(|w| w[0] == w[1]),
        "right borders line up: {rows:#?}"
    );
    assert!(
        rows.iter().any(|r| r.contains("metric  p50     p99")),
        "tabs expand: {rows:#?}"
    );
    assert!(
        rows.iter().any(|r| r.contains("latency 120ms   480ms")),
        "{rows:#?}"
    );
}
