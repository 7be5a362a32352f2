//! Printing rendered lines to a stream, with or without colour.

use std::io::{self, Write};

use anstyle::{AnsiColor, Effects};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;

/// Converts a ratatui style into the equivalent ANSI style.
pub fn to_anstyle(style: Style) -> anstyle::Style {
    let mut out = anstyle::Style::new();
    if let Some(fg) = style.fg.and_then(to_color) {
        out = out.fg_color(Some(fg));
    }
    if let Some(bg) = style.bg.and_then(to_color) {
        out = out.bg_color(Some(bg));
    }
    let modifiers = style.add_modifier;
    let mut effects = Effects::new();
    for (modifier, effect) in [
        (Modifier::BOLD, Effects::BOLD),
        (Modifier::DIM, Effects::DIMMED),
        (Modifier::ITALIC, Effects::ITALIC),
        (Modifier::UNDERLINED, Effects::UNDERLINE),
        (Modifier::CROSSED_OUT, Effects::STRIKETHROUGH),
        (Modifier::REVERSED, Effects::INVERT),
    ] {
        if modifiers.contains(modifier) {
            effects |= effect;
        }
    }
    out.effects(effects)
}

fn to_color(color: Color) -> Option<anstyle::Color> {
    let ansi = match color {
        Color::Black => AnsiColor::Black,
        Color::Red => AnsiColor::Red,
        Color::Green => AnsiColor::Green,
        Color::Yellow => AnsiColor::Yellow,
        Color::Blue => AnsiColor::Blue,
        Color::Magenta => AnsiColor::Magenta,
        Color::Cyan => AnsiColor::Cyan,
        Color::Gray => AnsiColor::White,
        Color::DarkGray => AnsiColor::BrightBlack,
        Color::LightRed => AnsiColor::BrightRed,
        Color::LightGreen => AnsiColor::BrightGreen,
        Color::LightYellow => AnsiColor::BrightYellow,
        Color::LightBlue => AnsiColor::BrightBlue,
        Color::LightMagenta => AnsiColor::BrightMagenta,
        Color::LightCyan => AnsiColor::BrightCyan,
        Color::White => AnsiColor::BrightWhite,
        Color::Indexed(i) => return Some(anstyle::Color::Ansi256(anstyle::Ansi256Color(i))),
        Color::Rgb(r, g, b) => return Some(anstyle::Color::Rgb(anstyle::RgbColor(r, g, b))),
        Color::Reset => return None,
    };
    Some(anstyle::Color::Ansi(ansi))
}

/// Writes lines with their styles. The writer decides whether the escape codes
/// survive: an `anstream` stream strips them when colour is off.
pub fn write_lines(out: &mut dyn Write, lines: &[Line<'_>]) -> io::Result<()> {
    for line in lines {
        for span in &line.spans {
            let style = to_anstyle(line.style.patch(span.style));
            write!(out, "{style}{}{style:#}", span.content)?;
        }
        writeln!(out)?;
    }
    Ok(())
}
