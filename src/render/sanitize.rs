//! Making untrusted text safe to print on a terminal.
//!
//! Memo, comment and author text may hold escape sequences that clear the screen,
//! retitle the window, write the clipboard or hide text. Every such character is
//! replaced by a visible stand-in, so the reader sees that something is there and the
//! terminal never acts on it:
//!
//! - C0 controls become their Unicode control pictures (ESC is `␛`, BEL is `␇`), and
//!   DEL becomes `␡`;
//! - C1 controls (U+0080 to U+009F, among them the one-byte CSI U+009B) and the
//!   bidirectional overrides and isolates become `<U+XXXX>`.
//!
//! Because ESC itself is replaced, the rest of a CSI or OSC sequence is shown as plain
//! text and cannot swallow what follows. Newlines are kept; tabs are kept for the
//! caller to expand (see [`expand_tabs`]).

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

/// Returns whether a character must not reach the terminal as it is.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Replaces every control character except newline and tab with a visible stand-in.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        push_safe(&mut out, c);
    }
    Cow::Owned(out)
}

/// Sanitises a one-line value (a title, an author): newlines and tabs are replaced too.
pub fn sanitize_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) || c == '\n' || c == '\t') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\t' => out.push(' '),
            '\n' => out.push('␤'),
            c => push_safe(&mut out, c),
        }
    }
    Cow::Owned(out)
}

fn push_safe(out: &mut String, c: char) {
    match c {
        '\u{0}'..='\u{1F}' if c != '\n' && c != '\t' => {
            out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'));
        }
        '\u{7F}' => out.push('␡'),
        c if c.is_control() || is_bidi_control(c) => {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        }
        c => out.push(c),
    }
}

/// The column distance between tab stops.
pub const TAB_WIDTH: usize = 8;

/// Expands tabs to spaces up to the next tab stop, counting columns by display width
/// from the start of `text`.
pub fn expand_tabs(text: &str) -> Cow<'_, str> {
    if !text.contains('\t') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut column = 0;
    for c in text.chars() {
        match c {
            '\t' => {
                let spaces = TAB_WIDTH - column % TAB_WIDTH;
                out.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            }
            '\n' => {
                out.push(c);
                column = 0;
            }
            c => {
                out.push(c);
                column += c.width().unwrap_or(0);
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible() {
        let text = "a\u{1b}]0;title\u{7} b\u{1b}[2J c\u{9b}2J d\u{202e}e\rf\u{8}";
        let safe = sanitize(text);
        assert!(!safe.chars().any(is_unsafe), "{safe}");
        assert_eq!(safe, "a␛]0;title␇ b␛[2J c<U+009B>2J d<U+202E>e␍f␈");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(
            sanitize("plain text\nwith\ttab"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn tabs_expand_to_stops() {
        assert_eq!(
            expand_tabs("metric\tp50\nlatency\t120ms"),
            "metric  p50\nlatency 120ms"
        );
        assert_eq!(expand_tabs("東京\tx"), "東京    x");
    }
}
