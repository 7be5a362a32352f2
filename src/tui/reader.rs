//! The reader view: one memo, rendered and scrollable.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::Paragraph;

use super::app::ReaderState;
use super::library::status_color;
use crate::render::wrap::pad;
use crate::render::{RenderOptions, render, sanitize_line};

pub fn draw(frame: &mut Frame, area: Rect, state: &mut ReaderState) {
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);

    let width = usize::from(body.width.saturating_sub(2)).max(1);
    if state.rendered.as_ref().is_none_or(|(w, _)| *w != width) {
        let rendered = render(
            state.memo.body(),
            state.memo.document.body_offset,
            &RenderOptions {
                width,
                inline_urls: false,
            },
        );
        state.rendered = Some((width, rendered));
    }
    state.page = usize::from(body.height);
    let max_scroll = state.line_count().saturating_sub(state.page);
    state.scroll = state.scroll.min(max_scroll);

    let memo = &state.memo;
    let number = memo
        .number()
        .map(|n| format!("{n:04} "))
        .unwrap_or_default();
    let status = memo.status();
    let title_width = usize::from(header.width).saturating_sub(status.len() + 3);
    let title = pad(
        &format!(" {number}{}", sanitize_line(&memo.title())),
        title_width,
    );
    let header_line = ratatui::text::Line::from(vec![
        ratatui::text::Span::styled(title, Style::new().add_modifier(Modifier::BOLD)),
        ratatui::text::Span::styled(
            format!(" {} ", sanitize_line(status)),
            Style::new().fg(status_color(status)),
        ),
    ]);
    frame.render_widget(
        Paragraph::new(header_line).style(Style::new().add_modifier(Modifier::REVERSED)),
        header,
    );

    if let Some((_, rendered)) = &state.rendered {
        let visible: Vec<_> = rendered
            .lines
            .iter()
            .skip(state.scroll)
            .take(state.page)
            .cloned()
            .collect();
        let inner = Rect {
            x: body.x + 1,
            width: body.width.saturating_sub(2),
            ..body
        };
        frame.render_widget(Paragraph::new(visible), inner);
    }

    let total = state.line_count();
    let progress = if total <= state.page {
        100
    } else {
        (state.scroll + state.page) * 100 / total
    };
    let keys = format!(" ↑↓ scroll · Space page · q back · {progress}%");
    frame.render_widget(
        Paragraph::new(pad(&keys, usize::from(footer.width)))
            .style(Style::new().fg(Color::DarkGray)),
        footer,
    );
}
