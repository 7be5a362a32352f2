//! Small pieces drawn by several views: bars, status colours, the size notice.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::render::wrap::{pad, truncate};

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

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

/// Draws a one-line bar in reverse video, padded to the full width.
pub fn title_bar(frame: &mut Frame, area: Rect, spans: Vec<Span<'static>>) {
    let line = fit_line(spans, usize::from(area.width));
    frame.render_widget(
        Paragraph::new(line).style(Style::new().add_modifier(Modifier::REVERSED)),
        area,
    );
}

/// Draws a one-line bar in grey text.
pub fn footer(frame: &mut Frame, area: Rect, text: &str) {
    frame.render_widget(
        Paragraph::new(pad(text, usize::from(area.width))).style(dim()),
        area,
    );
}

/// Cuts spans to `width` columns, padding the last with spaces, never inside a
/// grapheme cluster.
pub fn fit_line(spans: Vec<Span<'static>>, width: usize) -> Line<'static> {
    let mut used = 0;
    let mut out = Vec::with_capacity(spans.len() + 1);
    for span in spans {
        if used >= width {
            break;
        }
        let text = truncate(&span.content, width - used);
        used += crate::render::wrap::display_width(&text);
        out.push(Span::styled(text, span.style));
    }
    if used < width {
        out.push(Span::raw(" ".repeat(width - used)));
    }
    Line::from(out)
}

/// Draws the one-line notice shown in a window too small for the views.
pub fn too_small(frame: &mut Frame, area: Rect) {
    let notice = truncate("window too small", usize::from(area.width));
    frame.render_widget(
        Paragraph::new(notice),
        Rect {
            height: area.height.min(1),
            ..area
        },
    );
}

/// Clears an area for a pop-up drawn over a view.
pub fn clear(frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
}

/// Returns an area of at most `width` by `height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}
