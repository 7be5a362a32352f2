//! Word wrapping of styled text by display width.
//!
//! Break opportunities come from the Unicode line breaking algorithm (UAX #14), so
//! text in scripts without spaces (Chinese, Japanese) wraps between characters and
//! English wraps between words. Widths are display columns, so a CJK character or an
//! emoji counts two. A word wider than the line is split between grapheme clusters,
//! never inside one.

use std::ops::Range;

use ratatui::style::Style;
use unicode_linebreak::{BreakOpportunity, linebreaks};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// A run of text with one style. `source` is the byte offset in the memo of the run's
/// first byte, when the run's bytes are the memo's bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct Fragment {
    pub text: String,
    pub style: Style,
    pub source: Option<usize>,
}

/// One wrapped line: its fragments and the span of memo bytes it shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WrappedLine {
    pub fragments: Vec<Fragment>,
    pub source: Option<Range<usize>>,
}

impl WrappedLine {
    pub fn width(&self) -> usize {
        self.fragments.iter().map(|f| f.text.width()).sum()
    }
}

pub fn display_width(text: &str) -> usize {
    text.width()
}

/// Wraps fragments to `width` columns. A `\n` inside a fragment forces a break.
pub fn wrap(fragments: &[Fragment], width: usize) -> Vec<WrappedLine> {
    let width = width.max(1);
    let mut plain = String::new();
    let mut starts = Vec::with_capacity(fragments.len());
    for fragment in fragments {
        starts.push(plain.len());
        plain.push_str(&fragment.text);
    }

    let mut line_ranges: Vec<Range<usize>> = Vec::new();
    let mut segment_start = 0;
    for segment in plain.split('\n') {
        wrap_segment(segment, segment_start, width, &mut line_ranges);
        segment_start += segment.len() + 1;
    }

    line_ranges
        .into_iter()
        .map(|range| slice_fragments(fragments, &starts, range))
        .collect()
}

fn wrap_segment(segment: &str, offset: usize, width: usize, lines: &mut Vec<Range<usize>>) {
    if segment.is_empty() {
        lines.push(offset..offset);
        return;
    }
    let mut line_start = 0;
    let mut line_end = 0; // end of the last piece's visible content
    let mut line_width = 0; // width up to the end of the last piece, spaces included
    let mut piece_start = 0;

    let mut opportunities: Vec<usize> = linebreaks(segment)
        .filter(|(_, kind)| {
            matches!(
                kind,
                BreakOpportunity::Allowed | BreakOpportunity::Mandatory
            )
        })
        .map(|(i, _)| i)
        .collect();
    if opportunities.last() != Some(&segment.len()) {
        opportunities.push(segment.len());
    }

    for piece_end in opportunities {
        let piece = &segment[piece_start..piece_end];
        let content = piece.trim_end();
        let content_width = content.width();
        let piece_width = piece.width();

        if line_width + content_width <= width {
            line_end = piece_start + content.len();
            line_width += piece_width;
        } else {
            if line_end > line_start || line_width > 0 {
                lines.push(offset + line_start..offset + line_end);
            }
            line_start = piece_start;
            if content_width > width {
                // A word wider than the line: split it between grapheme clusters.
                let mut chunk_start = piece_start;
                let mut chunk_width = 0;
                for (i, grapheme) in content.grapheme_indices(true) {
                    let w = grapheme.width();
                    if chunk_width + w > width && chunk_width > 0 {
                        lines.push(offset + chunk_start..offset + piece_start + i);
                        chunk_start = piece_start + i;
                        chunk_width = 0;
                    }
                    chunk_width += w;
                }
                line_start = chunk_start;
                line_end = piece_start + content.len();
                line_width = chunk_width + (piece_width - content_width);
            } else {
                line_end = piece_start + content.len();
                line_width = piece_width;
            }
        }
        piece_start = piece_end;
    }
    lines.push(offset + line_start..offset + line_end);
}

fn slice_fragments(fragments: &[Fragment], starts: &[usize], range: Range<usize>) -> WrappedLine {
    let mut line = WrappedLine::default();
    for (fragment, &start) in fragments.iter().zip(starts) {
        let end = start + fragment.text.len();
        let from = range.start.max(start);
        let to = range.end.min(end);
        if from >= to {
            continue;
        }
        let text = fragment.text[from - start..to - start].replace('\n', "");
        if text.is_empty() {
            continue;
        }
        let source = fragment.source.map(|s| s + (from - start));
        if let Some(s) = source {
            let span = s..s + (to - from);
            line.source = Some(match line.source.take() {
                Some(r) => r.start.min(span.start)..r.end.max(span.end),
                None => span,
            });
        }
        line.fragments.push(Fragment {
            text,
            style: fragment.style,
            source,
        });
    }
    line
}

/// Cuts text to at most `width` columns, ending with `…` when something was cut, and
/// never inside a grapheme cluster.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for grapheme in text.graphemes(true) {
        let w = grapheme.width();
        if used + w > width - 1 {
            break;
        }
        out.push_str(grapheme);
        used += w;
    }
    out.push('…');
    out
}

/// Pads text with spaces to `width` columns, truncating it first when it is wider.
pub fn pad(text: &str, width: usize) -> String {
    let text = truncate(text, width);
    let fill = width.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(fill))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Vec<Fragment> {
        vec![Fragment {
            text: text.to_owned(),
            style: Style::default(),
            source: Some(0),
        }]
    }

    fn lines(text: &str, width: usize) -> Vec<String> {
        wrap(&plain(text), width)
            .into_iter()
            .map(|l| l.fragments.iter().map(|f| f.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn words_wrap_at_spaces() {
        assert_eq!(
            lines("the quick brown fox jumps", 10),
            ["the quick", "brown fox", "jumps"]
        );
    }

    #[test]
    fn cjk_wraps_between_characters() {
        let wrapped = lines("決済基盤の移行を来期に延期する", 10);
        assert!(wrapped.iter().all(|l| l.width() <= 10), "{wrapped:?}");
        assert_eq!(wrapped.concat(), "決済基盤の移行を来期に延期する");
    }

    #[test]
    fn long_words_split_between_graphemes() {
        let family = "👩\u{200d}👩\u{200d}👧";
        let text = format!("{family}{family}{family}");
        let wrapped = lines(&text, 3);
        assert_eq!(wrapped, [family, family, family]);
    }

    #[test]
    fn sources_follow_the_text() {
        let wrapped = wrap(&plain("alpha beta gamma"), 6);
        let sources: Vec<_> = wrapped.iter().map(|l| l.source.clone()).collect();
        assert_eq!(sources, [Some(0..5), Some(6..10), Some(11..16)]);
    }

    #[test]
    fn truncation_keeps_clusters() {
        assert_eq!(truncate("東京タワー", 5), "東京…");
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(truncate("e\u{301}tude", 3), "e\u{301}t…");
    }
}
