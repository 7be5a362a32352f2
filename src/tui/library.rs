//! The library view: every memo, one row each.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::LibraryState;
use crate::memo::Memo;
use crate::render::sanitize_line;
use crate::render::wrap::pad;

/// Returns the colour a status is drawn in.
pub fn status_color(status: &str) -> Color {
    match status {
        "draft" => Color::DarkGray,
        "review" => Color::Yellow,
        "accepted" => Color::Green,
        "rejected" => Color::Red,
        "deferred" => Color::Magenta,
        "superseded" => Color::Blue,
        _ => Color::Reset,
    }
}

/// Draws the library and returns how many rows fit, for paging.
pub fn draw(frame: &mut Frame, area: Rect, memos: &[Memo], state: &mut LibraryState) -> usize {
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);

    let title = format!(" memo · {} memos", memos.len());
    frame.render_widget(
        Paragraph::new(pad(&title, usize::from(header.width)))
            .style(Style::new().add_modifier(Modifier::REVERSED)),
        header,
    );

    let rows = usize::from(body.height);
    if state.selected < state.offset {
        state.offset = state.selected;
    } else if state.selected >= state.offset + rows {
        state.offset = state.selected + 1 - rows;
    }

    let width = usize::from(body.width);
    let title_width = width.saturating_sub(4 + 2 + 10 + 2 + 10 + 2);
    let mut lines = Vec::with_capacity(rows);
    for (i, memo) in memos.iter().enumerate().skip(state.offset).take(rows) {
        let number = memo
            .number()
            .map_or("    ".to_owned(), |n| format!("{n:04}"));
        let status = memo.status();
        let date = memo
            .created()
            .map_or(String::new(), |c| c.format("%Y-%m-%d").to_string());
        let mut line = Line::from(vec![
            Span::raw(format!("{number}  ")),
            Span::styled(
                pad(&sanitize_line(status), 10),
                Style::new().fg(status_color(status)),
            ),
            Span::raw("  "),
            Span::styled(pad(&date, 10), Style::new().fg(Color::DarkGray)),
            Span::raw("  "),
            Span::raw(pad(&sanitize_line(&memo.title()), title_width)),
        ]);
        if i == state.selected {
            line = line.style(Style::new().add_modifier(Modifier::REVERSED));
        }
        lines.push(line);
    }
    if memos.is_empty() {
        lines.push(Line::from(
            "No memos yet. Quit and run `memo new \"Your decision\"`.",
        ));
    }
    frame.render_widget(Paragraph::new(lines), body);

    let keys = " ↑↓ move · Enter open · q quit";
    frame.render_widget(
        Paragraph::new(pad(keys, usize::from(footer.width)))
            .style(Style::new().fg(Color::DarkGray)),
        footer,
    );
    rows
}
