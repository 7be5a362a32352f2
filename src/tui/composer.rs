//! The multi-line comment editor.
//!
//! Editing itself (cursor movement, undo, word deletion, soft wrapping) is
//! ratatui-textarea's. This module adds what a comment needs around it: what the
//! comment is for, who it is sent as, and a notice before typing when it cannot be
//! sent as things stand.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui_textarea::{TextArea, WrapMode};

use super::threads::Target;
use super::widgets::{clear, dim};
use crate::render::sanitize_line;
use crate::render::wrap::truncate;

pub struct Composer {
    pub target: Target,
    editor: TextArea<'static>,
    /// The author the comment is sent as, or the reason it cannot be sent now.
    pub author: Result<String, String>,
}

impl std::fmt::Debug for Composer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Composer")
            .field("target", &self.target)
            .field("text", &self.text())
            .finish()
    }
}

impl Composer {
    pub fn new(target: Target, text: &str, author: Result<String, String>) -> Composer {
        let lines = if text.is_empty() {
            vec![String::new()]
        } else {
            text.split('\n').map(str::to_owned).collect()
        };
        let mut editor = TextArea::new(lines);
        editor.set_wrap_mode(WrapMode::WordOrGlyph);
        editor.set_cursor_line_style(Style::default());
        editor.set_placeholder_text("Write your comment…");
        editor.set_placeholder_style(dim());
        editor.move_cursor(ratatui_textarea::CursorMove::Bottom);
        editor.move_cursor(ratatui_textarea::CursorMove::End);
        Composer {
            target,
            editor,
            author,
        }
    }

    /// Returns the typed text, lines joined by newlines.
    pub fn text(&self) -> String {
        self.editor.lines().join("\n")
    }

    pub fn input(&mut self, key: KeyEvent) {
        self.editor.input(key);
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect) {
        clear(frame, area);
        let quote = self
            .target
            .quote()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let quote = sanitize_line(&quote);
        let kind = match self.target {
            Target::NewThread(_) => "New thread on",
            Target::Reply { .. } => "Reply to",
        };
        let title_room = usize::from(area.width).saturating_sub(kind.len() + 8);
        let title = format!(" {kind} “{}” ", truncate(&quote, title_room));
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(Style::new().fg(Color::Cyan))
            .title(Line::from(title))
            .title_bottom(Line::from(" Ctrl-S send · Esc keep as draft ").style(dim()));
        let inner = block.inner(area);
        frame.render_widget(block, area);

        let notice = match &self.author {
            Ok(author) => Paragraph::new(Line::from(vec![
                Span::styled("as ", dim()),
                Span::raw(sanitize_line(author).into_owned()),
            ])),
            Err(reason) => Paragraph::new(vec![
                Line::from(Span::styled(
                    sanitize_line(reason).into_owned(),
                    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
                )),
                Line::from(Span::styled(
                    "What you type is kept as a draft; fix that, then Ctrl-S sends it.",
                    Style::new().fg(Color::Yellow),
                )),
            ])
            .wrap(ratatui::widgets::Wrap { trim: false }),
        };
        let notice_height = match &self.author {
            Ok(_) => 1,
            Err(reason) => {
                let width = usize::from(inner.width.max(1));
                let reason_rows = crate::render::wrap::display_width(reason).div_ceil(width);
                let hint_rows = 66usize.div_ceil(width);
                u16::try_from(reason_rows + hint_rows).unwrap_or(u16::MAX)
            }
        };
        let notice_height = notice_height.min(inner.height.saturating_sub(1));
        let [notice_area, editor_area] =
            Layout::vertical([Constraint::Length(notice_height), Constraint::Min(0)]).areas(inner);
        frame.render_widget(notice, notice_area);
        frame.render_widget(&self.editor, editor_area);
    }
}
