//! One pass over a memo's Markdown that measures what the section rules need.
//!
//! The body is parsed once with pulldown-cmark's offset iterator. Every stretch of text
//! between two headings (a section's own text, without its subsections) gets a
//! [`Part`]: its words, the words written as list fragments, the alternatives it
//! enumerates, the evidence it cites and the placeholders left in it. Rules add up
//! the parts of a section and its subsections.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};
use regex::Regex;

use crate::memo::Memo;
use crate::memo::outline::{markdown_options, normalize_heading};
use crate::memo::text::count_words;

/// A list item with at least this many words and two full sentences is a paragraph
/// that happens to sit in a list, so its words count as prose, not as fragments.
pub const PROSE_ITEM_MIN_WORDS: usize = 25;

/// The evidence found in a stretch of text, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Links to a URL or another file (not to a heading of the same memo).
    pub links: usize,
    pub tables: usize,
    /// Images and figures with a unit or a percentage (`40%`, `120 ms`, `$3,000`).
    pub figures: usize,
    pub footnotes: usize,
    /// Citations such as `[@knuth1984]`, `[3]` or `(Smith, 2020)`.
    pub citations: usize,
}

impl Evidence {
    pub fn total(&self) -> usize {
        self.links + self.tables + self.figures + self.footnotes + self.citations
    }

    pub fn add(&mut self, other: &Evidence) {
        self.links += other.links;
        self.tables += other.tables;
        self.figures += other.figures;
        self.footnotes += other.footnotes;
        self.citations += other.citations;
    }

    /// Describes the evidence for people: `2 links, 1 table`, or `none`.
    pub fn describe(&self) -> String {
        let kinds = [
            (self.links, "link"),
            (self.tables, "table"),
            (self.figures, "figure"),
            (self.footnotes, "footnote"),
            (self.citations, "citation"),
        ];
        let parts: Vec<String> = kinds
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, word)| format!("{n} {word}{}", if *n == 1 { "" } else { "s" }))
            .collect();
        if parts.is_empty() {
            "none".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

/// A placeholder word or stub left in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placeholder {
    /// Byte range in the memo's canonical text.
    pub range: Range<usize>,
    pub text: String,
}

/// The measurements of one stretch of text between two headings.
#[derive(Clone, Debug, Default)]
pub struct Part {
    /// Words of paragraphs, list items, tables and quotes; headings, code blocks and
    /// HTML are not counted.
    pub words: usize,
    /// Words in list items written as fragments.
    pub list_words: usize,
    /// Items of lists that are not nested in another list.
    pub items: usize,
    /// Paragraphs that open with an option label (`Option A:`, `(2)`, `B.`).
    pub labelled: usize,
    pub evidence: Evidence,
    pub placeholders: Vec<Placeholder>,
    /// Link reference definitions that only point at a heading anchor, such as
    /// `[summary]: #summary`, the stubs the Rust RFC template leaves under headings.
    pub stubs: Vec<Range<usize>>,
    /// The readable text, for finding a template's prompt in it.
    pub prose: String,
}

/// A Markdown link to a relative path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalLink {
    /// The target as written, without `#fragment` or `?query`.
    pub target: String,
    /// Byte range of the whole link in the memo's canonical text.
    pub range: Range<usize>,
}

/// The measurements of one memo body.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// `parts[0]` is the text before the first heading; `parts[i + 1]` is the own text
    /// of `memo.outline.sections[i]`.
    pub parts: Vec<Part>,
    pub links: Vec<LocalLink>,
    /// Byte ranges of fenced and indented code blocks.
    pub code_blocks: Vec<Range<usize>>,
    /// The normalised heading of each section, for matching template sections.
    pub headings: Vec<String>,
}

impl Analysis {
    /// Returns the part of the text before any heading.
    pub fn preamble(&self) -> &Part {
        &self.parts[0]
    }

    /// Returns the part of section `index`'s own text.
    pub fn own(&self, index: usize) -> &Part {
        &self.parts[index + 1]
    }

    /// Returns the parts of section `index` and all its subsections.
    pub fn parts_of<'a>(&'a self, memo: &Memo, index: usize) -> &'a [Part] {
        let end = subsections_end(memo, index);
        &self.parts[index + 1..end + 1]
    }

    /// Returns the sum of the parts of a section and its subsections.
    pub fn totals(&self, memo: &Memo, index: usize) -> Totals {
        let mut totals = Totals::default();
        for part in self.parts_of(memo, index) {
            totals.words += part.words;
            totals.list_words += part.list_words;
            totals.evidence.add(&part.evidence);
        }
        totals
    }

    /// Returns the words of the whole body.
    pub fn words(&self) -> usize {
        self.parts.iter().map(|p| p.words).sum()
    }
}

/// Returns the index after the last subsection of section `index`.
pub fn subsections_end(memo: &Memo, index: usize) -> usize {
    let sections = &memo.outline.sections;
    let level = sections[index].level;
    sections[index + 1..]
        .iter()
        .position(|s| s.level <= level)
        .map_or(sections.len(), |p| index + 1 + p)
}

/// Counts of a section with its subsections.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub words: usize,
    pub list_words: usize,
    pub evidence: Evidence,
}

impl Totals {
    /// Returns the share of words written as prose, from 0 to 1 (1 without words).
    pub fn prose_share(&self) -> f64 {
        if self.words == 0 {
            1.0
        } else {
            1.0 - self.list_words as f64 / self.words as f64
        }
    }
}

/// Text being collected for one block: a paragraph, a list item, a table cell.
#[derive(Default)]
struct Block {
    text: String,
    kind: BlockKind,
    /// For an item, whether it sits in a list nested in another list.
    nested: bool,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    #[default]
    Paragraph,
    Item,
    Other,
}

static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        (?:[$€£¥]\s?\d)
        | \b\d[\d,.]*\s?
          (?: %|\ percent\b|ms\b|µs\b|ns\b|s\b|secs?\b|seconds?\b|minutes?\b|mins?\b|hours?\b
            | hrs?\b|days?\b|weeks?\b|months?\b|years?\b|[kmgtp]i?b\b|bytes?\b|[kmg]b/s
            | req/s|rps\b|qps\b|usd\b|eur\b|gbp\b|x\b|×|times\b|users?\b|customers?\b
            | requests?\b|nights?\b|engineers?\b|people\b|servers?\b|nodes?\b|instances?\b
            | cores?\b|[kmb]\b|bn\b|k€|m€)",
    )
    .expect("figure pattern is valid")
});

static CITATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[@[\w:.-]+\]|\[\d{1,3}\]|\([A-Z][\w-]+(?: et al\.)?,? (?:1[89]|20)\d\d[a-z]?\)")
        .expect("citation pattern is valid")
});

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:TODO|TBD|TBA|FIXME|XXX)\b|\{\{[^{}\n]{0,60}\}\}|(?i:\blorem ipsum\b)")
        .expect("placeholder pattern is valid")
});

static OPTION_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*(?:
            (?:option|alternative|approach|choice|proposal)\s+(?:\d{1,2}|[a-h])\b
          | (?:option|alternative|approach)\b[^.:\n]{0,60}[:—–]
          | \(\d{1,2}\)|\([a-h]\)|\d{1,2}[.)]\s|[a-h][.)]\s
        )",
    )
    .expect("option label pattern is valid")
});

static STUB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^ {0,3}\[[^\]\n]+\]:[ \t]*#[^\s]*[ \t]*$").expect("stub pattern is valid")
});

/// Measures a memo's body.
pub fn analyse(memo: &Memo) -> Analysis {
    let text = memo.text();
    let offset = memo.document.body_offset;
    let body = &text[offset..];
    let sections = &memo.outline.sections;
    let mut analysis = Analysis {
        parts: vec![Part::default(); sections.len() + 1],
        headings: sections
            .iter()
            .map(|s| normalize_heading(&s.heading))
            .collect(),
        ..Analysis::default()
    };

    let mut part = 0;
    let mut blocks: Vec<Block> = Vec::new();
    let mut list_depth = 0usize;
    let mut in_heading = false;
    let mut in_code = false;
    let mut in_image = false;

    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        let range = offset + range.start..offset + range.end;
        while part < sections.len() && sections[part].heading_range.start <= range.start {
            part += 1;
        }
        let current = &mut analysis.parts[part];
        match event {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                analysis.code_blocks.push(range);
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Item) => {
                if list_depth == 1 {
                    current.items += 1;
                }
                blocks.push(Block {
                    kind: BlockKind::Item,
                    nested: list_depth > 1,
                    ..Block::default()
                });
            }
            Event::Start(Tag::Paragraph) if blocks.is_empty() => blocks.push(Block::default()),
            Event::Start(Tag::TableCell | Tag::BlockQuote(_)) => blocks.push(Block {
                kind: BlockKind::Other,
                ..Block::default()
            }),
            Event::End(TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_)) => {
                if let Some(block) = blocks.pop() {
                    finish_block(current, block);
                }
            }
            Event::End(TagEnd::Paragraph)
                if blocks.len() == 1 && blocks[0].kind == BlockKind::Paragraph =>
            {
                if let Some(block) = blocks.pop() {
                    finish_block(current, block);
                }
            }
            Event::Start(Tag::Table(_)) => current.evidence.tables += 1,
            Event::Start(Tag::Image { .. }) => {
                current.evidence.figures += 1;
                in_image = true;
            }
            Event::End(TagEnd::Image) => in_image = false,
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                if !dest_url.is_empty() && !dest_url.starts_with('#') {
                    current.evidence.links += 1;
                }
                if !matches!(link_type, LinkType::Email)
                    && let Some(target) = local_target(&dest_url)
                {
                    analysis.links.push(LocalLink { target, range });
                }
            }
            Event::FootnoteReference(_) => current.evidence.footnotes += 1,
            Event::Text(t) if !in_code && !in_heading && !in_image => {
                for found in PLACEHOLDER.find_iter(&t) {
                    let start = locate(text, &range, &t, found.start());
                    if is_mention(text, start) {
                        continue;
                    }
                    current.placeholders.push(Placeholder {
                        range: start..start + found.len(),
                        text: found.as_str().to_owned(),
                    });
                }
                push_text(&mut blocks, current, &t);
            }
            Event::Code(t) if !in_heading => push_text(&mut blocks, current, &t),
            Event::SoftBreak | Event::HardBreak if !in_heading => {
                push_text(&mut blocks, current, " ")
            }
            _ => {}
        }
    }
    while let Some(block) = blocks.pop() {
        let current = &mut analysis.parts[part];
        finish_block(current, block);
    }

    for found in STUB.find_iter(body) {
        let start = offset + found.start();
        let index = sections.partition_point(|s| s.heading_range.start <= start);
        analysis.parts[index]
            .stubs
            .push(start..offset + found.end());
    }
    analysis
}

/// Returns whether a placeholder word at `start` is mentioned rather than used: in
/// quotes (`the "TBD" behaviour`), or as the abbreviation of a quoted phrase
/// (`"To Be Determined" (TBD)`).
fn is_mention(text: &str, start: usize) -> bool {
    const QUOTES: [char; 6] = ['"', '\'', '“', '‘', '«', '`'];
    let before = text[..start].chars().next_back();
    if before.is_some_and(|c| QUOTES.contains(&c)) {
        return true;
    }
    before == Some('(')
        && text[..start - 1]
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|c| matches!(c, '"' | '”' | '\'' | '’' | '»'))
}

/// Adds text to the innermost open block, or straight to the part outside any.
fn push_text(blocks: &mut [Block], part: &mut Part, text: &str) {
    match blocks.last_mut() {
        Some(block) => block.text.push_str(text),
        None => {
            part.words += count_words(text);
            part.prose.push_str(text);
            part.prose.push('\n');
        }
    }
}

/// Counts a finished block into its part.
fn finish_block(part: &mut Part, block: Block) {
    let words = count_words(&block.text);
    part.words += words;
    part.prose.push_str(&block.text);
    part.prose.push('\n');
    part.evidence.figures += FIGURE.find_iter(&block.text).count();
    part.evidence.citations += CITATION.find_iter(&block.text).count();
    match block.kind {
        BlockKind::Item => {
            let prose_item =
                !block.nested && words >= PROSE_ITEM_MIN_WORDS && sentence_count(&block.text) >= 2;
            if !prose_item {
                part.list_words += words;
            }
        }
        BlockKind::Paragraph => {
            if OPTION_LABEL.is_match(&block.text) {
                part.labelled += 1;
            }
        }
        BlockKind::Other => {}
    }
}

/// Counts sentence ends: `.`, `!` or `?` (after optional closing quotes or brackets)
/// followed by a space or the end of the text.
fn sentence_count(text: &str) -> usize {
    let chars: Vec<char> = text.trim_end().chars().collect();
    let mut count = 0;
    let mut i = 0;
    while i < chars.len() {
        if matches!(chars[i], '.' | '!' | '?') {
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j], '"' | '\'' | ')' | ']' | '”' | '’') {
                j += 1;
            }
            if j == chars.len() || chars[j].is_whitespace() {
                count += 1;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    count
}

/// Returns the byte offset in `text` of position `at` of an event's text, which
/// equals its source slice unless escapes or entities were decoded.
fn locate(text: &str, range: &Range<usize>, event_text: &str, at: usize) -> usize {
    let source = &text[range.clone()];
    if source.len() == event_text.len() {
        return range.start + at;
    }
    let needle = &event_text[at..];
    let needle = &needle[..needle.len().min(8)];
    source.find(needle).map_or(range.start, |i| range.start + i)
}

/// Returns the path part of a link target that points at a relative Markdown file.
pub fn local_target(dest: &str) -> Option<String> {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() || path.starts_with('/') || path.starts_with('\\') || has_scheme(path) {
        return None;
    }
    let lower = path.to_ascii_lowercase();
    if !(lower.ends_with(".md") || lower.ends_with(".markdown")) {
        return None;
    }
    Some(percent_decode(path))
}

/// Returns whether a link target starts with a URL scheme such as `https:`.
fn has_scheme(target: &str) -> bool {
    match target.find(':') {
        Some(colon) => {
            let scheme = &target[..colon];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Decodes `%20`-style escapes of a link target; invalid escapes stay as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memo(body: &str) -> Memo {
        Memo::parse("m.md", body.as_bytes()).expect("parses")
    }

    #[test]
    fn words_lists_and_items_per_section() {
        let m = memo(
            "# T\n\nIntro text here.\n\n## A\n\nOne two three four.\n\n- alpha beta\n- gamma\n  - nested item\n\n## B\n\n```\ncode words\n```\n",
        );
        let a = analyse(&m);
        assert_eq!(a.own(0).words, 3);
        assert_eq!(a.own(1).words, 9);
        assert_eq!(a.own(1).list_words, 5);
        assert_eq!(a.own(1).items, 2);
        assert_eq!(a.own(2).words, 0);
        assert_eq!(a.code_blocks.len(), 1);
    }

    #[test]
    fn long_items_of_full_sentences_are_prose() {
        let item = "We keep the cron jobs for another quarter while the queue is built. \
                    The batch window still overruns on some nights, but the team can \
                    absorb that cost until the migration is done.";
        let m = memo(&format!("## A\n\n- {item}\n- short fragment\n"));
        let a = analyse(&m);
        assert_eq!(a.own(0).list_words, 2);
    }

    #[test]
    fn evidence_kinds() {
        let m = memo(
            "## A\n\nSee [the report](https://example.com). It fell 40% in 3 weeks.[^1]\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: Source.\n",
        );
        let e = analyse(&m).own(0).evidence;
        assert_eq!(e.links, 1);
        assert_eq!(e.tables, 1);
        assert_eq!(e.footnotes, 1);
        assert!(e.figures >= 2, "{e:?}");
    }

    #[test]
    fn placeholders_outside_code_only() {
        let text = "## A\n\nTBD until `TODO` is done.\n\n```\nXXX\n```\n\nWrite {{owner}} here.\n";
        let m = memo(text);
        let found: Vec<&str> = analyse(&m)
            .own(0)
            .placeholders
            .iter()
            .map(|p| &text[p.range.clone()])
            .collect();
        assert_eq!(found, ["TBD", "{{owner}}"]);
    }

    #[test]
    fn stubs_and_local_links() {
        let m = memo(
            "# Summary\n[summary]: #summary\n\nSee [x](0002-x.md#part) and [y](https://e.com/a.md).\n",
        );
        let a = analyse(&m);
        assert_eq!(a.own(0).stubs.len(), 1);
        assert_eq!(a.links.len(), 1);
        assert_eq!(a.links[0].target, "0002-x.md");
    }

    #[test]
    fn option_labels() {
        let m = memo(
            "## O\n\nOption A: keep it.\n\n**Alternative 2.** Move it.\n\n(3) Drop it.\n\nPlain prose.\n",
        );
        assert_eq!(analyse(&m).own(0).labelled, 3);
    }
}
