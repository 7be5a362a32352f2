//! The reader's panes and pop-ups: outline, thread pane, and the lists of outdated
//! threads, links and drafts.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Focus, Overlay, ReaderState};
use crate::render::sanitize::{expand_tabs, sanitize};
use crate::render::sanitize_line;
use crate::render::wrap::{Fragment, wrap};
use crate::tui::threads::{Thread, ThreadState};
use crate::tui::widgets::{centered, clear, dim, fit_line};

/// Lines of a quote shown before it is cut.
const QUOTE_LINES: usize = 4;

/// Wraps untrusted text (a comment, a quote) to `width`, sanitised and with tabs
/// expanded, each line behind `prefix`.
fn wrap_text(text: &str, width: usize, style: Style, prefix: &str) -> Vec<Line<'static>> {
    let prefix_width = crate::render::wrap::display_width(prefix);
    let safe = sanitize(&expand_tabs(text)).into_owned();
    let fragments = [Fragment {
        text: safe,
        style,
        source: None,
    }];
    wrap(&fragments, width.saturating_sub(prefix_width).max(1))
        .into_iter()
        .map(|line| {
            let mut spans = vec![Span::styled(prefix.to_owned(), dim())];
            spans.extend(
                line.fragments
                    .into_iter()
                    .map(|f| Span::styled(f.text, f.style)),
            );
            fit_line(spans, width)
        })
        .collect()
}

fn quote_lines(quote: &str, width: usize, limit: usize) -> Vec<Line<'static>> {
    let style = Style::new()
        .fg(Color::DarkGray)
        .add_modifier(Modifier::ITALIC);
    let mut lines = wrap_text(quote, width, style, "▎ ");
    if lines.len() > limit {
        lines.truncate(limit);
        lines.push(fit_line(vec![Span::styled("▎ …", dim())], width));
    }
    lines
}

fn state_label(thread: &Thread) -> Span<'static> {
    match thread.state {
        ThreadState::Open => Span::styled("open", Style::new().fg(Color::Yellow)),
        ThreadState::Resolved => Span::styled("resolved", Style::new().fg(Color::Green)),
    }
}

/// Returns the lines showing a thread: section, quote and comments.
fn thread_lines(thread: &Thread, width: usize, quote_limit: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some(section) = &thread.section {
        lines.push(fit_line(
            vec![Span::styled(format!("§ {}", sanitize_line(section)), dim())],
            width,
        ));
    }
    lines.extend(quote_lines(&thread.quote, width, quote_limit));
    for comment in &thread.comments {
        lines.push(Line::default());
        lines.push(fit_line(
            vec![
                Span::styled(
                    sanitize_line(&comment.author).into_owned(),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::styled(
                    format!(" · {}", comment.time.format("%Y-%m-%d %H:%M")),
                    dim(),
                ),
            ],
            width,
        ));
        lines.extend(wrap_text(&comment.body, width, Style::default(), ""));
    }
    lines
}

/// Draws the thread under the cursor, the drafts there, or a summary.
pub fn draw_threads(frame: &mut Frame, area: Rect, state: &mut ReaderState, side: bool) {
    if area.width < 3 || area.height == 0 {
        return;
    }
    clear(frame, area);
    let block = if side {
        Block::default().borders(Borders::LEFT).border_style(dim())
    } else {
        Block::default().borders(Borders::TOP).border_style(dim())
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(1),
        ..inner
    };
    let width = usize::from(inner.width);
    let mut lines = Vec::new();

    let here = state.threads_at(state.cursor);
    if let Some(index) = state.thread_under_cursor() {
        let thread = &state.threads[index];
        let position = here.iter().position(|&i| i == index).unwrap_or(0) + 1;
        lines.push(fit_line(
            vec![
                Span::styled(
                    format!("Thread {position} of {} · ", here.len()),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                state_label(thread),
            ],
            width,
        ));
        lines.extend(thread_lines(thread, width, QUOTE_LINES));
        lines.push(Line::default());
        let resolve = match thread.state {
            ThreadState::Open => "x resolve",
            ThreadState::Resolved => "x reopen",
        };
        let more = if here.len() > 1 { " · Tab next" } else { "" };
        lines.push(fit_line(
            vec![Span::styled(format!("r reply · {resolve}{more}"), dim())],
            width,
        ));
    }

    for draft in state.drafts_at(state.cursor) {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(fit_line(
            vec![Span::styled(
                "✎ Draft, not sent",
                Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
            )],
            width,
        ));
        lines.extend(wrap_text(&draft.body, width, Style::default(), ""));
        if let Some(error) = &draft.error {
            lines.extend(wrap_text(error, width, Style::new().fg(Color::Red), ""));
        }
        lines.push(fit_line(
            vec![Span::styled("D, Enter, then Ctrl-S sends it", dim())],
            width,
        ));
    }

    if lines.is_empty() {
        let open = state
            .threads
            .iter()
            .filter(|t| t.state == ThreadState::Open)
            .count();
        let outdated = state.outdated().len();
        let summary = match state.threads.len() {
            0 => "No threads yet.".to_owned(),
            n => format!("{n} threads, {open} open, {outdated} outdated."),
        };
        lines.push(fit_line(vec![Span::raw(summary)], width));
        lines.push(fit_line(vec![Span::raw("No thread on this line.")], width));
        lines.push(Line::default());
        for hint in [
            "c  comment on the paragraph",
            "v  select lines, then c",
            "C  comment on the section",
            "<> previous / next thread",
            "O  outdated threads",
        ] {
            lines.push(fit_line(vec![Span::styled(hint, dim())], width));
        }
    }
    // A thread taller than the pane scrolls with J and K; the last row says so.
    let rows = usize::from(inner.height);
    state.pane_scroll = state.pane_scroll.min(lines.len().saturating_sub(rows));
    let mut visible: Vec<Line> = lines.into_iter().skip(state.pane_scroll).collect();
    if visible.len() > rows && rows > 0 {
        visible.truncate(rows - 1);
        visible.push(fit_line(
            vec![Span::styled("… J for more, K back", dim())],
            width,
        ));
    }
    frame.render_widget(Paragraph::new(visible), inner);
}

pub fn draw_outline(frame: &mut Frame, area: Rect, state: &ReaderState) {
    if area.width < 3 || area.height == 0 {
        return;
    }
    clear(frame, area);
    let block = Block::default().borders(Borders::RIGHT).border_style(dim());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let current = state.current_heading();
    let focused = state.focus == Focus::Outline;
    let selected = if focused {
        Some(state.outline_selected)
    } else {
        current
    };
    let rows = usize::from(inner.height);
    let first = selected.map_or(0, |s| s.saturating_sub(rows.saturating_sub(1)));
    let mut lines = Vec::new();
    for (i, heading) in state
        .rendered
        .headings
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
    {
        let indent = "  ".repeat(usize::from(heading.level.saturating_sub(1)).min(4));
        let mut style = if heading.level == 1 {
            Style::new().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        if Some(i) == current {
            style = style.fg(Color::Cyan);
        }
        let mut line = fit_line(
            vec![Span::styled(format!("{indent}{}", heading.text), style)],
            width,
        );
        if focused && Some(i) == selected {
            line = line.style(Style::new().add_modifier(Modifier::REVERSED));
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(fit_line(vec![Span::styled("No headings.", dim())], width));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Draws a list over the memo: outdated threads, links or drafts.
pub fn draw_overlay(frame: &mut Frame, body: Rect, state: &ReaderState, overlay: Overlay) {
    let area = centered(body, body.width.min(90), body.height);
    clear(frame, area);
    let (title, hint) = match overlay {
        Overlay::Outdated { .. } => (
            " Outdated threads: their passage is no longer in the memo ",
            " r reply · x resolve or reopen · Esc close ",
        ),
        Overlay::Links { .. } => (" Links ", " Enter go to the link · Esc close "),
        Overlay::Drafts { .. } => (
            " Unsent drafts ",
            " Enter edit, then Ctrl-S sends · Esc close ",
        ),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(title))
        .title_bottom(Line::from(hint).style(dim()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);

    // Each item's lines; the selected item's first line is kept in view.
    let mut items: Vec<Vec<Line<'static>>> = Vec::new();
    let selected = match overlay {
        Overlay::Outdated { selected } => {
            for thread in state.outdated() {
                let mut lines = vec![fit_line(
                    vec![
                        state_label(thread),
                        Span::styled(format!(" · {} comment(s)", thread.comments.len()), dim()),
                    ],
                    width,
                )];
                lines.extend(thread_lines(thread, width, QUOTE_LINES));
                lines.push(Line::default());
                items.push(lines);
            }
            selected
        }
        Overlay::Links { selected } => {
            for (i, url) in state.rendered.links.iter().enumerate() {
                let line = state
                    .rendered
                    .link_sources
                    .get(i)
                    .and_then(|r| state.rendered.line_of_offset(r.start))
                    .map_or(String::new(), |l| format!("line {}  ", l + 1));
                items.push(vec![fit_line(
                    vec![
                        Span::styled(format!("{:>3}. {line}", i + 1), dim()),
                        Span::styled(
                            sanitize_line(url).into_owned(),
                            Style::new().fg(Color::Blue),
                        ),
                    ],
                    width,
                )]);
            }
            selected
        }
        Overlay::Drafts { selected } => {
            for draft in &state.drafts.items {
                let mut lines = quote_lines(draft.target.quote(), width, 2);
                lines.extend(wrap_text(&draft.body, width, Style::default(), "  "));
                if let Some(error) = &draft.error {
                    lines.extend(wrap_text(error, width, Style::new().fg(Color::Red), "  "));
                }
                lines.push(Line::default());
                items.push(lines);
            }
            selected
        }
    };
    if items.is_empty() {
        let empty = match overlay {
            Overlay::Outdated { .. } => "No outdated threads.",
            Overlay::Links { .. } => "This memo has no links.",
            Overlay::Drafts { .. } => "No drafts.",
        };
        frame.render_widget(Paragraph::new(Span::styled(empty, dim())), inner);
        return;
    }
    let mut lines = Vec::new();
    let mut selected_start = 0;
    for (i, item) in items.into_iter().enumerate() {
        if i == selected {
            selected_start = lines.len();
        }
        for (j, line) in item.into_iter().enumerate() {
            lines.push(if i == selected && j == 0 {
                line.style(Style::new().add_modifier(Modifier::REVERSED))
            } else {
                line
            });
        }
    }
    let rows = usize::from(inner.height);
    let scroll = selected_start.saturating_sub(rows / 3);
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(rows).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}
