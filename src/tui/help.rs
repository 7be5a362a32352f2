//! The help overlay: every key of the current view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::app::View;
use super::widgets::{clear, dim};

/// Keys that work in every view.
pub const COMMON_KEYS: &[(&str, &str)] = &[
    ("↑ k", "move up"),
    ("↓ j", "move down"),
    ("PgUp b Ctrl-u", "page up"),
    ("PgDn Space Ctrl-d", "page down"),
    ("Home g", "to the first"),
    ("End G", "to the last"),
    ("mouse wheel", "scroll"),
    ("?", "show or hide this help"),
    ("q Esc", "back, or quit from the library"),
    ("Ctrl-c", "quit from anywhere"),
];

pub const LIBRARY_KEYS: &[(&str, &str)] = &[
    ("Enter → l", "open the memo"),
    (
        "/",
        "search as you type (Enter keeps the query, Esc clears it)",
    ),
    ("s", "filter by the next status"),
    ("t", "filter by the next tag"),
    ("o", "sort by number, date, title, status or relevance"),
    ("r", "reverse the order"),
    ("x", "clear the search, filters and order"),
];

pub const READER_KEYS: &[(&str, &str)] = &[
    ("o", "outline: jump between sections (Enter jumps)"),
    ("[ / ]", "previous / next section"),
    ("/", "search in the memo"),
    ("n / N", "next / previous match"),
    ("L", "list the links and their URLs"),
    ("t", "show or hide the thread pane"),
    ("< / >", "previous / next thread"),
    ("Tab", "next thread on the same line"),
    ("J / K", "scroll a long thread in the pane"),
    ("v", "start or end a selection of lines"),
    ("c", "comment on the selection, or on the paragraph"),
    ("C", "comment on the whole section"),
    ("r", "reply to the thread"),
    ("x", "resolve or reopen the thread"),
    ("O", "list outdated threads with their quotes"),
    ("D", "list unsent drafts"),
    ("← h q Esc", "back to the library"),
];

pub const MEETING_KEYS: &[(&str, &str)] = &[
    ("d", "mark your silent read done (shows others' comments)"),
    ("s", "show or hide others' comments during the read"),
    ("p", "show or hide every participant's progress"),
    (
        "< / >",
        "previous / next thread; in discussion, the open threads in document order",
    ),
    ("f", "follow the thread the facilitator discusses, or stop"),
    ("+", "facilitator: give the read 5 more minutes"),
    ("P", "facilitator: move the meeting to discussion"),
    ("E", "facilitator: end the meeting with its outcome"),
    (
        "q Esc ← h",
        "leave the meeting screen (the meeting goes on)",
    ),
];

/// Keys of the reader and of every view that mean something else on the meeting
/// screen, where [`MEETING_KEYS`] lists them with that meaning.
const MEETING_REPLACES: &[&str] = &["< / >", "← h q Esc", "q Esc"];

pub const COMPOSER_KEYS: &[(&str, &str)] = &[
    ("Ctrl-s", "send the comment"),
    ("Esc", "close, keeping the text as a draft"),
    ("Enter", "new line"),
    ("Ctrl-z / Ctrl-y", "undo / redo"),
];

/// Draws the help for a view and returns the scroll offset it used.
pub fn draw(frame: &mut Frame, area: Rect, view: View, scroll: usize) -> usize {
    let (name, keys) = match view {
        View::Library => ("Library", LIBRARY_KEYS),
        View::Reader => ("Reader", READER_KEYS),
        View::Meeting => ("Meeting", MEETING_KEYS),
    };
    let key_width = COMMON_KEYS
        .iter()
        .chain(keys)
        .chain(COMPOSER_KEYS)
        .map(|(k, _)| crate::render::wrap::display_width(k))
        .max()
        .unwrap_or(0);
    let mut lines = Vec::new();
    let mut section = |title: &str, keys: &[(&str, &str)]| {
        lines.push(Line::from(Span::styled(
            title.to_owned(),
            Style::new().add_modifier(Modifier::BOLD),
        )));
        for (key, what) in keys {
            let fill = key_width.saturating_sub(crate::render::wrap::display_width(key));
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {key}{}  ", " ".repeat(fill)),
                    Style::new().fg(Color::Cyan),
                ),
                Span::raw((*what).to_owned()),
            ]));
        }
        lines.push(Line::default());
    };
    // The meeting screen lists its own meaning of a key once, in its own section.
    let shown = |keys: &'static [(&'static str, &'static str)]| -> Vec<(&str, &str)> {
        keys.iter()
            .copied()
            .filter(|(key, _)| view != View::Meeting || !MEETING_REPLACES.contains(key))
            .collect()
    };
    section(name, keys);
    if view == View::Meeting {
        section("Reader", &shown(READER_KEYS));
    }
    if view != View::Library {
        section("Comment editor", COMPOSER_KEYS);
    }
    section("Everywhere", &shown(COMMON_KEYS));

    clear(frame, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Keys ")
        .title_bottom(Line::from(" ? or Esc closes ").style(dim()));
    let inner = block.inner(area);
    let scroll = scroll.min(lines.len().saturating_sub(usize::from(inner.height)));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block)
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        area,
    );
    scroll
}
