//! The section structure of a memo body, with source spans.
//!
//! Sections come from pulldown-cmark's headings, at any level, so a heading inside a
//! fenced code block or an HTML block is never mistaken for a section.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Returns the Markdown extensions memo enables for every memo.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The heading's plain text.
    pub heading: String,
    /// 1 to 6.
    pub level: u8,
    /// Byte range of the heading in the canonical text.
    pub heading_range: Range<usize>,
    /// Byte range from the end of the heading to the next heading of any level.
    pub own_range: Range<usize>,
    /// Byte range from the heading to the next heading of the same or a higher level,
    /// so it takes in the subsections.
    pub range: Range<usize>,
    /// Index of the enclosing section.
    pub parent: Option<usize>,
}

#[derive(Clone, Debug, Default)]
pub struct Outline {
    pub sections: Vec<Section>,
}

impl Outline {
    /// Parses the sections of `text[offset..]`, with ranges into the whole `text`.
    pub fn parse(text: &str, offset: usize) -> Outline {
        let body = &text[offset..];
        let mut sections: Vec<Section> = Vec::new();
        let mut current: Option<(u8, usize, String)> = None;

        for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    current = Some((heading_level(level), range.start, String::new()));
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, start, heading)) = current.take() {
                        let end = trim_line_end(body, range.end);
                        sections.push(Section {
                            heading: heading.trim().to_owned(),
                            level,
                            heading_range: offset + start..offset + end,
                            own_range: 0..0,
                            range: 0..0,
                            parent: None,
                        });
                    }
                }
                Event::Text(t) | Event::Code(t) if current.is_some() => {
                    if let Some((_, _, heading)) = current.as_mut() {
                        heading.push_str(&t);
                    }
                }
                Event::SoftBreak | Event::HardBreak if current.is_some() => {
                    if let Some((_, _, heading)) = current.as_mut() {
                        heading.push(' ');
                    }
                }
                _ => {}
            }
        }

        let end = text.len();
        for i in 0..sections.len() {
            let own_end = sections
                .get(i + 1)
                .map_or(end, |next| next.heading_range.start);
            let level = sections[i].level;
            let range_end = sections[i + 1..]
                .iter()
                .find(|s| s.level <= level)
                .map_or(end, |s| s.heading_range.start);
            let parent = sections[..i].iter().rposition(|s| s.level < level);
            let section = &mut sections[i];
            section.own_range = section.heading_range.end..own_end;
            section.range = section.heading_range.start..range_end;
            section.parent = parent;
        }
        Outline { sections }
    }

    /// Returns the text of the first level-1 heading.
    pub fn title(&self) -> Option<&str> {
        self.sections
            .iter()
            .find(|s| s.level == 1)
            .map(|s| s.heading.as_str())
            .filter(|h| !h.is_empty())
    }

    /// Returns the headings from the outermost section down to section `index`.
    pub fn path(&self, index: usize) -> Vec<&str> {
        let mut path = Vec::new();
        let mut next = Some(index);
        while let Some(i) = next {
            path.push(self.sections[i].heading.as_str());
            next = self.sections[i].parent;
        }
        path.reverse();
        path
    }

    /// Returns the index of the innermost section holding a byte offset.
    pub fn section_at(&self, offset: usize) -> Option<usize> {
        self.sections
            .iter()
            .rposition(|s| s.heading_range.start <= offset)
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Moves a heading's end back over its line break, so the range covers the heading
/// text alone.
fn trim_line_end(text: &str, mut end: usize) -> usize {
    while end > 0 && matches!(text.as_bytes()[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    end
}

/// Normalises a heading for comparison: case, spacing and trailing punctuation do not
/// matter, so `## Rationale and Alternatives:` matches `rationale and alternatives`.
pub fn normalize_heading(heading: &str) -> String {
    // A trailing attribute block (`## Alternatives { #alternatives }`) names an anchor,
    // not the section.
    let heading = match heading
        .trim_end()
        .strip_suffix('}')
        .and_then(|h| h.rfind('{').map(|i| &h[..i]))
    {
        Some(rest) if !rest.trim().is_empty() => rest,
        _ => heading,
    };
    let mut out = String::with_capacity(heading.len());
    for word in heading
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
    {
        let word: String = word
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '/' || *c == '&')
            .flat_map(char::to_lowercase)
            .collect();
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_with_levels_and_ranges() {
        let text = "---\nx: 1\n---\n# Title\n\nintro\n\n## A\n\none\n\n### A.1\n\ntwo\n\n## B\n\n```\n# not a heading\n```\n";
        let offset = text.find("# Title").expect("title");
        let outline = Outline::parse(text, offset);
        let headings: Vec<_> = outline
            .sections
            .iter()
            .map(|s| s.heading.as_str())
            .collect();
        assert_eq!(headings, ["Title", "A", "A.1", "B"]);
        assert_eq!(outline.title(), Some("Title"));
        let a = &outline.sections[1];
        assert_eq!(&text[a.heading_range.clone()], "## A");
        assert_eq!(text[a.own_range.clone()].trim(), "one");
        assert!(text[a.range.clone()].contains("two"));
        assert!(!text[a.range.clone()].contains("## B"));
        assert_eq!(outline.path(2), ["Title", "A", "A.1"]);
    }

    #[test]
    fn heading_normalisation() {
        assert_eq!(
            normalize_heading("  Rationale and  Alternatives: "),
            "rationale and alternatives"
        );
        assert_eq!(
            normalize_heading("Guide-level explanation"),
            "guide level explanation"
        );
        assert_eq!(
            normalize_heading("Alternatives and downsides { #alternatives }"),
            "alternatives and downsides"
        );
    }
}
