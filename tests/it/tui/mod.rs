//! The terminal UI on ratatui's test backend, one module per view, plus the live
//! binary in tmux.

mod library;
mod live;
mod meeting;
mod reader;
mod screens;
mod threads;

use chrono::{DateTime, Utc};
use memo::memo::Memo;
use memo::tui::App;
use memo::tui::threads::MemoryThreads;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Parses a memo with the usual front matter.
pub fn memo(number: u32, title: &str, body: &str) -> Memo {
    let text = format!(
        "---\nnumber: {number}\ntitle: \"{title}\"\nstatus: accepted\nauthors: [\"Ana Lima <ana@example.com>\"]\ncreated: 2026-01-{number:02}\n---\n\n{body}"
    );
    Memo::parse(format!("memos/{number:04}-x.md"), text.as_bytes()).expect("parses")
}

pub fn fixed_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
        .expect("time")
        .with_timezone(&Utc)
}

/// Makes an app over parsed memos whose thread store is in memory, with a fixed clock.
pub fn app_with(memos: Vec<Memo>, threads: MemoryThreads) -> App {
    App::with_threads(memos, Box::new(threads))
}

pub fn terminal(width: u16, height: u16) -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(width, height)).expect("terminal")
}

/// Draws a frame and returns its rows as text.
pub fn draw(terminal: &mut Terminal<TestBackend>, app: &mut App) -> Vec<String> {
    rows(&frame(terminal, app))
}

/// Draws a frame and returns the buffer ratatui drew. The test backend only copies the
/// cells that changed and leaves the cell under the second half of a wide character
/// as it was, which a real terminal overwrites, so tests read the frame itself.
pub fn frame(terminal: &mut Terminal<TestBackend>, app: &mut App) -> Buffer {
    terminal.draw(|f| app.draw(f)).expect("draw").buffer.clone()
}

/// Returns the rows of a buffer as text, leaving out the cells that continue a wide
/// character.
pub fn rows(buffer: &Buffer) -> Vec<String> {
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

/// Returns the screen as one string with the right edge of every row marked, for
/// snapshots.
pub fn snapshot(rows: &[String]) -> String {
    rows.iter()
        .map(|r| format!("{r}|"))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Types text one key at a time; a newline is Enter.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        app.handle_key(key(code));
    }
}

pub fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.handle_key(key(KeyCode::Char(c)));
    }
}
