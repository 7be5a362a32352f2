//! Drawing the reader: header, the memo with its margin, the side panes, the status
//! line and the footer.

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::panes;
use super::{Focus, ReaderState};
use crate::render::sanitize_line;
use crate::tui::threads::ThreadState;
use crate::tui::widgets::{dim, fit_line, footer, status_color, title_bar};

/// Columns left of the text: the thread mark and the cursor mark.
pub const MARGIN: u16 = 2;
/// Narrower than this, the thread pane opens below the memo instead of beside it, and
/// the outline takes a larger share of the width.
const SIDE_BY_SIDE: u16 = 80;

pub fn draw(frame: &mut Frame, area: Rect, state: &mut ReaderState) {
    let [header, body, status, footer_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);

    let wide = body.width >= SIDE_BY_SIDE;
    // The outline never covers the whole memo: in a narrow window it takes two fifths
    // of the width and the memo wraps at the rest.
    let outline_width = match (state.show_outline, wide) {
        (false, _) => 0,
        (true, true) => (body.width / 4).clamp(16, 32),
        (true, false) => body.width * 2 / 5,
    };
    let threads_width = if state.show_threads && wide {
        (body.width * 35 / 100).max(28)
    } else {
        0
    };
    let [outline_area, text_area, threads_area] = Layout::horizontal([
        Constraint::Length(outline_width),
        Constraint::Min(0),
        Constraint::Length(threads_width),
    ])
    .areas(body);

    // The memo wraps again when the window is resized or a side pane opens or closes,
    // never when the cursor moves.
    let text_width = usize::from(text_area.width.saturating_sub(MARGIN + 1)).max(1);
    state.ensure_rendered(text_width);

    let narrow_pane_rows = if state.show_threads && !wide && has_pane_content(state) {
        body.height * 2 / 5
    } else {
        0
    };
    let [text_rows, bottom_pane] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(narrow_pane_rows)])
            .areas(text_area);
    state.page = usize::from(text_rows.height).max(1);
    state.clamp();

    draw_header(frame, header, state);
    draw_text(frame, text_rows, state);
    if outline_width > 0 {
        panes::draw_outline(frame, outline_area, state);
    }
    if threads_width > 0 {
        panes::draw_threads(frame, threads_area, state, true);
    }
    if narrow_pane_rows > 0 {
        panes::draw_threads(frame, bottom_pane, state, false);
    }
    draw_status(frame, status, state);
    draw_footer(frame, footer_area, state);

    if let Some(overlay) = state.overlay {
        panes::draw_overlay(frame, body, state, overlay);
    }
    if let Some(composer) = &state.composer {
        let height = body.height.min(12).max(body.height.min(5));
        let popup = Rect {
            y: body.y + body.height - height,
            height,
            ..body
        };
        composer.draw(frame, popup);
    }
}

fn has_pane_content(state: &ReaderState) -> bool {
    state.thread_under_cursor().is_some() || !state.drafts_at(state.cursor).is_empty()
}

fn draw_header(frame: &mut Frame, area: Rect, state: &ReaderState) {
    let memo = &state.memo;
    let number = memo
        .number()
        .map(|n| format!("{n:04} "))
        .unwrap_or_default();
    let status = sanitize_line(memo.status()).into_owned();
    let open = state
        .threads
        .iter()
        .filter(|t| t.state == ThreadState::Open)
        .count();
    let threads = if state.threads.is_empty() || area.width < 60 {
        String::new()
    } else {
        format!(" {open} open of {} threads ·", state.threads.len())
    };
    let right = format!("{threads} {status} ");
    let right_width = crate::render::wrap::display_width(&right);
    let title_width = usize::from(area.width).saturating_sub(right_width);
    let title = crate::render::wrap::pad(
        &format!(" {number}{}", sanitize_line(&memo.title())),
        title_width,
    );
    title_bar(
        frame,
        area,
        vec![
            Span::styled(title, Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(threads),
            Span::styled(
                format!(" {status} "),
                Style::new().fg(status_color(memo.status())),
            ),
        ],
    );
}

fn draw_text(frame: &mut Frame, area: Rect, state: &ReaderState) {
    let (sel_first, sel_last) = state.selected_lines();
    let selecting = state.selection.is_some();
    let width = usize::from(area.width);
    let mut lines = Vec::with_capacity(usize::from(area.height));
    for index in state.scroll..(state.scroll + usize::from(area.height)).min(state.line_count()) {
        let mut spans = vec![thread_mark(state, index)];
        let cursor_mark = if index == state.cursor {
            Span::styled(
                "▸",
                Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            )
        } else if selecting && sel_first <= index && index <= sel_last {
            Span::styled("▌", Style::new().fg(Color::Cyan))
        } else {
            Span::raw(" ")
        };
        spans.push(cursor_mark);
        let line = &state.rendered.lines[index];
        let matches: Vec<(Range<usize>, bool)> = state
            .find
            .matches
            .iter()
            .enumerate()
            .filter(|(_, (l, _))| *l == index)
            .map(|(i, (_, r))| (r.clone(), state.find.current == Some(i)))
            .collect();
        if matches.is_empty() {
            spans.extend(line.spans.iter().cloned());
        } else {
            spans.extend(highlight(&line.spans, &matches));
        }
        let mut line = fit_line(spans, width);
        if selecting && sel_first <= index && index <= sel_last {
            line = line.style(Style::new().bg(Color::Indexed(236)));
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// Returns the margin mark of a line: where threads and drafts are anchored.
fn thread_mark(state: &ReaderState, line: usize) -> Span<'static> {
    let here = state.threads_at(line);
    if !here.is_empty() {
        let open = here
            .iter()
            .any(|&i| state.threads[i].state == ThreadState::Open);
        let style = if open {
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(Color::Green)
        };
        let starts = here
            .iter()
            .any(|&i| state.thread_lines[i].is_some_and(|(a, _)| a == line));
        let mark = match (starts, here.len() > 1, open) {
            (true, true, _) => "◆",
            (true, false, true) => "●",
            (true, false, false) => "○",
            (false, _, _) => "┃",
        };
        return Span::styled(mark, style);
    }
    if !state.drafts_at(line).is_empty() {
        return Span::styled("✎", Style::new().fg(Color::Magenta));
    }
    Span::raw(" ")
}

/// Splits spans so the byte ranges of their joined text get a highlight.
fn highlight(spans: &[Span<'static>], matches: &[(Range<usize>, bool)]) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut start = 0;
    for span in spans {
        let text = span.content.as_ref();
        let end = start + text.len();
        let mut cuts = vec![0, text.len()];
        for (range, _) in matches {
            for edge in [range.start, range.end] {
                if edge > start && edge < end && text.is_char_boundary(edge - start) {
                    cuts.push(edge - start);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        for pair in cuts.windows(2) {
            let (from, to) = (pair[0], pair[1]);
            let piece = &text[from..to];
            let absolute = start + from;
            let style = match matches
                .iter()
                .find(|(r, _)| r.start <= absolute && absolute < r.end)
            {
                Some((_, true)) => span
                    .style
                    .patch(Style::new().bg(Color::Yellow).fg(Color::Black)),
                Some((_, false)) => span.style.add_modifier(Modifier::REVERSED),
                None => span.style,
            };
            out.push(Span::styled(piece.to_owned(), style));
        }
        start = end;
    }
    out
}

fn draw_status(frame: &mut Frame, area: Rect, state: &ReaderState) {
    let width = usize::from(area.width);
    let line = if state.find.typing {
        let count = state.find.matches.len();
        fit_line(
            vec![
                Span::styled(" / ", Style::new().fg(Color::Cyan)),
                Span::raw(format!("{}▏", sanitize_line(&state.find.query))),
                Span::styled(
                    format!("  {count} matches · Enter finds · Esc cancels"),
                    dim(),
                ),
            ],
            width,
        )
    } else if let Some(notice) = &state.notice {
        let style = if notice.error {
            Style::new().fg(Color::Red)
        } else {
            Style::new().fg(Color::Green)
        };
        fit_line(
            vec![Span::styled(
                format!(" {}", sanitize_line(&notice.text)),
                style,
            )],
            width,
        )
    } else if let Some(start) = state.selection {
        let (first, last) = (start.min(state.cursor), start.max(state.cursor));
        fit_line(
            vec![Span::styled(
                format!(
                    " Selecting {} line(s): c comments on them, v or Esc cancels",
                    last - first + 1
                ),
                Style::new().fg(Color::Cyan),
            )],
            width,
        )
    } else if let Some(url) = state.links_at(state.cursor).first() {
        fit_line(
            vec![
                Span::styled(" link: ", dim()),
                Span::styled(
                    sanitize_line(url).into_owned(),
                    Style::new()
                        .fg(Color::Blue)
                        .add_modifier(Modifier::UNDERLINED),
                ),
            ],
            width,
        )
    } else if !state.find.matches.is_empty() {
        let current = state.find.current.map_or(0, |c| c + 1);
        fit_line(
            vec![Span::styled(
                format!(
                    " “{}”: match {current} of {} · n next · N previous · Esc clears",
                    sanitize_line(&state.find.query),
                    state.find.matches.len()
                ),
                dim(),
            )],
            width,
        )
    } else {
        fit_line(Vec::new(), width)
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn draw_footer(frame: &mut Frame, area: Rect, state: &ReaderState) {
    let total = state.line_count().max(1);
    let percent = if total <= state.page {
        100
    } else {
        ((state.scroll + state.page).min(total)) * 100 / total
    };
    let section = state
        .current_heading()
        .map(|h| format!(" · § {}", sanitize_line(&state.rendered.headings[h].text)))
        .unwrap_or_default();
    let keys = if state.focus == Focus::Outline {
        "↑↓ section · Enter jump · Esc back"
    } else {
        "? help · o outline · / find · v select · c comment · q back"
    };
    let text = format!(
        " {percent}% · line {}/{total}{section} · {keys}",
        state.cursor + 1
    );
    footer(frame, area, &text);
}
