//! Snippets: the passage of a hit that shows why it matched, with the matched words
//! marked.
//!
//! The unit is the section. A memo body is split at its headings into plain text (no
//! Markdown markup), and each section is scored by the query's words and phrases it
//! contains. A window of the best section around its densest matches becomes the
//! snippet, shown with the section's heading. tantivy's snippet generator is not used because it
//! knows no sections, does not highlight prefix matches, and marks every word of a
//! phrase wherever it occurs instead of the places where the phrase occurs.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use unicode_width::UnicodeWidthChar;

use super::analyzer::TermFinder;
use super::query::Pattern;
use crate::memo::outline::markdown_options;

/// The widest snippet, in terminal columns.
pub const SNIPPET_COLUMNS: usize = 160;

/// Columns of context kept before the first match of a snippet.
const CONTEXT_COLUMNS: usize = 40;

/// A part of a memo's text that a snippet can come from.
#[derive(Clone, Debug, Default)]
pub struct Section {
    /// The heading, or a label such as an attachment's file name; `None` for the text
    /// before the first heading.
    pub heading: Option<String>,
    /// Plain text, with control characters already made visible.
    pub text: String,
}

/// The chosen passage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snippet {
    pub section: Option<String>,
    pub text: String,
    /// Byte ranges of the matches in `text`, sorted and not overlapping.
    pub highlights: Vec<Range<usize>>,
}

/// Splits Markdown into sections of plain text, one per heading, as they are needed.
/// `label` prefixes each heading (an attachment's file name).
pub fn sections<'a>(markdown: &'a str, label: Option<&'a str>) -> Sections<'a> {
    Sections {
        parser: Parser::new_ext(markdown, markdown_options()),
        label,
        current: Some(Section {
            heading: label.map(str::to_owned),
            text: String::new(),
        }),
        heading: None,
    }
}

/// The sections of a Markdown text; see [`sections`].
pub struct Sections<'a> {
    parser: Parser<'a>,
    label: Option<&'a str>,
    /// The section being filled.
    current: Option<Section>,
    /// The text of the heading being read.
    heading: Option<String>,
}

impl Iterator for Sections<'_> {
    type Item = Section;

    fn next(&mut self) -> Option<Section> {
        loop {
            let Some(event) = self.parser.next() else {
                return self.current.take().and_then(finish);
            };
            match event {
                Event::Start(Tag::Heading { .. }) => {
                    self.heading = Some(String::new());
                    if let Some(done) = self.current.take().and_then(finish) {
                        return Some(done);
                    }
                }
                Event::End(TagEnd::Heading(_)) => {
                    let text = collapse_spaces(&self.heading.take().unwrap_or_default());
                    let heading = match self.label {
                        Some(label) => format!("{label} › {text}"),
                        None => text,
                    };
                    self.current = Some(Section {
                        heading: Some(heading),
                        text: String::new(),
                    });
                }
                Event::Text(text) | Event::Code(text) => {
                    if let Some(target) = self.target() {
                        push_visible(target, &text);
                    }
                }
                Event::SoftBreak | Event::HardBreak => {
                    if let Some(target) = self.target() {
                        target.push(' ');
                    }
                }
                Event::End(
                    TagEnd::Paragraph
                    | TagEnd::Item
                    | TagEnd::CodeBlock
                    | TagEnd::TableCell
                    | TagEnd::BlockQuote(_)
                    | TagEnd::FootnoteDefinition,
                ) => {
                    if let Some(section) = self.current.as_mut() {
                        section.text.push(' ');
                    }
                }
                _ => {}
            }
        }
    }
}

impl Sections<'_> {
    /// Returns where text goes: the heading being read, else the current section.
    fn target(&mut self) -> Option<&mut String> {
        match self.heading.as_mut() {
            Some(heading) => Some(heading),
            None => self.current.as_mut().map(|s| &mut s.text),
        }
    }
}

/// Tidies a finished section's spacing; `None` for an empty section without heading.
fn finish(mut section: Section) -> Option<Section> {
    section.text = collapse_spaces(&section.text);
    (!section.text.is_empty() || section.heading.is_some()).then_some(section)
}

/// Returns plain text as a single section (a `.txt` attachment, a comment).
pub fn plain(text: &str, heading: Option<&str>) -> Section {
    let mut visible = String::with_capacity(text.len());
    push_visible(&mut visible, text);
    Section {
        heading: heading.map(str::to_owned),
        text: collapse_spaces(&visible),
    }
}

/// Appends text with whitespace made spaces and other control characters replaced by
/// visible stand-ins, so highlight offsets stay valid for what is printed.
fn push_visible(out: &mut String, text: &str) {
    let mut rest = text;
    // Runs of ordinary characters are copied whole.
    while let Some((at, c)) = rest.char_indices().find(|&(_, c)| {
        c == '\n' || c == '\t' || c == '\r' || crate::render::sanitize::is_unsafe(c)
    }) {
        out.push_str(&rest[..at]);
        if c == '\n' || c == '\t' || c == '\r' {
            out.push(' ');
        } else {
            out.push_str(&crate::render::sanitize_line(&c.to_string()));
        }
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
}

fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Picks the section that best matches the patterns and cuts the snippet from it;
/// `None` when no section matches. A section that a `section:` clause names wins,
/// then the one with the most distinct words and phrases, then the one with the most
/// matches. The first section that contains every word and phrase ends the search early.
pub fn find(
    finder: &mut TermFinder,
    sections: impl IntoIterator<Item = Section>,
    patterns: &[Pattern],
    section_patterns: &[Pattern],
) -> Option<Snippet> {
    let mut best: Option<(u64, Section, Vec<Match>)> = None;
    for section in sections {
        let matches = find_matches(finder, &section.text, patterns);
        let named = section
            .heading
            .as_deref()
            .is_some_and(|h| !find_matches(finder, h, section_patterns).is_empty());
        if matches.is_empty() && !named {
            continue;
        }
        let distinct = distinct_patterns(&matches);
        let score =
            u64::from(named) * 1_000_000 + distinct as u64 * 1000 + matches.len().min(999) as u64;
        let complete = distinct == patterns.len() && (named || section_patterns.is_empty());
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, section, matches));
        }
        if complete {
            break;
        }
    }
    best.map(|(_, section, matches)| cut(&section, &matches))
}

/// Returns the analyzer that finds the terms of these patterns.
pub fn finder(patterns: &[Pattern], section_patterns: &[Pattern]) -> TermFinder {
    TermFinder::new(
        patterns
            .iter()
            .chain(section_patterns)
            .flat_map(|p| &p.terms)
            .flat_map(|t| &t.terms)
            .map(String::as_str),
    )
}

/// Returns the start of the first section with text, unmarked: the snippet of a hit
/// that matched on its title or a field.
pub fn opening(sections: impl IntoIterator<Item = Section>) -> Option<Snippet> {
    sections
        .into_iter()
        .find(|s| !s.text.is_empty())
        .map(|section| cut(&section, &[]))
}

/// An occurrence of a pattern: its index and byte range.
#[derive(Clone, Debug)]
struct Match {
    pattern: usize,
    range: Range<usize>,
}

fn distinct_patterns(matches: &[Match]) -> usize {
    let mut seen: Vec<usize> = matches.iter().map(|m| m.pattern).collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

/// Finds every occurrence of every pattern in `text`, phrases only where all their
/// terms stand at the right distances.
fn find_matches(finder: &mut TermFinder, text: &str, patterns: &[Pattern]) -> Vec<Match> {
    if patterns.is_empty() || text.is_empty() {
        return Vec::new();
    }
    let tokens = finder.tokens(text);
    let mut matches = Vec::new();
    for (index, pattern) in patterns.iter().enumerate() {
        for (i, token) in tokens.iter().enumerate() {
            if !pattern.matches(0, &token.text) {
                continue;
            }
            let mut end = token.offset_to;
            let mut whole = true;
            for term_index in 1..pattern.terms.len() {
                let position = token.position + pattern.terms[term_index].offset;
                // Tokens are in position order; the ones at `position` follow soon.
                let found = tokens[i..]
                    .iter()
                    .take_while(|t| t.position <= position)
                    .find(|t| t.position == position && pattern.matches(term_index, &t.text));
                match found {
                    Some(t) => end = end.max(t.offset_to),
                    None => {
                        whole = false;
                        break;
                    }
                }
            }
            if whole {
                matches.push(Match {
                    pattern: index,
                    range: token.offset_from..end,
                });
            }
        }
    }
    matches.sort_by_key(|m| (m.range.start, m.range.end));
    matches
}

/// Cuts a window of at most [`SNIPPET_COLUMNS`] columns from a section, starting a
/// little before the cluster of matches that contains the most distinct patterns.
fn cut(section: &Section, matches: &[Match]) -> Snippet {
    let text = &section.text;
    let anchor = best_anchor(text, matches);
    let start = match anchor {
        Some(anchor) => back_by_columns(text, anchor, CONTEXT_COLUMNS),
        None => 0,
    };
    let end = forward_by_columns(text, start, SNIPPET_COLUMNS);
    let mut snippet = String::new();
    let mut shift = start as isize;
    if start > 0 {
        snippet.push('…');
        shift -= '…'.len_utf8() as isize;
    }
    snippet.push_str(text[start..end].trim_end());
    if end < text.len() {
        snippet.push('…');
    }
    let mut highlights: Vec<Range<usize>> = Vec::new();
    for m in matches {
        if m.range.start < start || m.range.end > end {
            continue;
        }
        let range =
            (m.range.start as isize - shift) as usize..(m.range.end as isize - shift) as usize;
        match highlights.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => highlights.push(range),
        }
    }
    Snippet {
        section: section.heading.clone(),
        text: snippet,
        highlights,
    }
}

/// Returns the start of the match that begins the window with the most distinct
/// patterns (then the most matches).
fn best_anchor(text: &str, matches: &[Match]) -> Option<usize> {
    let mut best: Option<(usize, usize, usize)> = None;
    for (i, first) in matches.iter().enumerate().take(200) {
        let limit = forward_by_columns(text, first.range.start, SNIPPET_COLUMNS - CONTEXT_COLUMNS);
        let window: Vec<Match> = matches[i..]
            .iter()
            .take_while(|m| m.range.end <= limit)
            .cloned()
            .collect();
        let key = (distinct_patterns(&window), window.len());
        if best.is_none_or(|(d, n, _)| key > (d, n)) {
            best = Some((key.0, key.1, first.range.start));
        }
    }
    best.map(|(_, _, start)| start)
}

/// Returns a char boundary about `columns` columns before `offset`, at a space when
/// one is near.
fn back_by_columns(text: &str, offset: usize, columns: usize) -> usize {
    let mut used = 0;
    let mut start = offset;
    for (i, c) in text[..offset].char_indices().rev() {
        used += c.width().unwrap_or(0);
        if used > columns {
            break;
        }
        start = i;
    }
    if start == 0 {
        return 0;
    }
    // Start after a space rather than inside a word.
    match text[start..offset].find(' ') {
        Some(space) => start + space + 1,
        None => start,
    }
}

/// Returns a char boundary at most `columns` columns after `start`, at a space when
/// one is near.
fn forward_by_columns(text: &str, start: usize, columns: usize) -> usize {
    let mut used = 0;
    let mut end = start;
    for (i, c) in text[start..].char_indices() {
        used += c.width().unwrap_or(0);
        if used > columns {
            break;
        }
        end = start + i + c.len_utf8();
    }
    if end >= text.len() {
        return text.len();
    }
    // End before a word that would be cut, unless that loses most of the window.
    match text[start..end].rfind(' ') {
        Some(space) if space > (end - start) / 2 => start + space,
        _ => end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::{Pattern, PatternTerm};

    fn term(text: &str) -> Pattern {
        Pattern {
            terms: vec![PatternTerm {
                offset: 0,
                terms: vec![text.to_owned()],
                prefix: false,
            }],
        }
    }

    fn phrase(terms: &[&str]) -> Pattern {
        Pattern {
            terms: terms
                .iter()
                .enumerate()
                .map(|(i, t)| PatternTerm {
                    offset: i,
                    terms: vec![(*t).to_owned()],
                    prefix: false,
                })
                .collect(),
        }
    }

    fn snip(sections: impl IntoIterator<Item = Section>, patterns: &[Pattern]) -> Option<Snippet> {
        find(&mut finder(patterns, &[]), sections, patterns, &[])
    }

    fn marked(snippet: &Snippet) -> String {
        let mut out = String::new();
        let mut last = 0;
        for range in &snippet.highlights {
            out.push_str(&snippet.text[last..range.start]);
            out.push('[');
            out.push_str(&snippet.text[range.clone()]);
            out.push(']');
            last = range.end;
        }
        out.push_str(&snippet.text[last..]);
        out
    }

    #[test]
    fn sections_are_plain_text_under_their_headings() {
        let sections: Vec<Section> = sections(
            "Intro **bold** [link](http://x).\n\n## Options\n\n- one\n- two `code`\n\n## Empty\n",
            None,
        )
        .collect();
        let found: Vec<(Option<&str>, &str)> = sections
            .iter()
            .map(|s| (s.heading.as_deref(), s.text.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (None, "Intro bold link."),
                (Some("Options"), "one two code"),
                (Some("Empty"), ""),
            ]
        );
    }

    #[test]
    fn best_section_holds_the_most_patterns() {
        let sections = sections(
            "## Context\n\nThe queue is slow.\n\n## Decision\n\nMove the queue to the cache.\n",
            None,
        );
        let snippet = snip(sections, &[term("queue"), term("cach")]).expect("snippet");
        assert_eq!(snippet.section.as_deref(), Some("Decision"));
        assert_eq!(marked(&snippet), "Move the [queue] to the [cache].");
    }

    #[test]
    fn phrases_are_marked_only_where_they_occur() {
        let sections = sections("An event here. The event queue there.", None);
        let snippet = snip(sections, &[phrase(&["event", "queue"])]).expect("snippet");
        assert_eq!(marked(&snippet), "An event here. The [event queue] there.");
    }

    #[test]
    fn cjk_highlights_cover_the_matched_characters() {
        let sections = sections("現在の請求書発行基盤は夜間処理に依存している。", None);
        let snippet =
            snip(sections, &[phrase(&["請求", "求書", "書発", "発行"])]).expect("snippet");
        assert_eq!(
            marked(&snippet),
            "現在の[請求書発行]基盤は夜間処理に依存している。"
        );
    }

    #[test]
    fn long_sections_are_cut_around_the_match() {
        let text = format!("{} needle {}", "word ".repeat(100), "tail ".repeat(100));
        let snippet = snip([plain(&text, None)], &[term("needl")]).expect("snippet");
        assert!(snippet.text.starts_with('…'));
        assert!(snippet.text.ends_with('…'));
        assert!(marked(&snippet).contains("[needle]"));
        let width: usize = snippet.text.chars().filter_map(|c| c.width()).sum();
        assert!(width <= SNIPPET_COLUMNS + 2, "{width}");
    }

    #[test]
    fn control_characters_become_visible() {
        let section = plain("evil \u{1b}[2J text", None);
        assert!(!section.text.contains('\u{1b}'));
        let snippet = snip([section], &[term("text")]).expect("snippet");
        assert!(marked(&snippet).ends_with("[text]"));
    }

    #[test]
    fn without_matches_the_start_is_shown() {
        let text = "# Title\n\nFirst words here.\n";
        assert!(snip(sections(text, None), &[]).is_none());
        let snippet = opening(sections(text, None)).expect("snippet");
        assert_eq!(snippet.text, "First words here.");
        assert!(snippet.highlights.is_empty());
    }
}
