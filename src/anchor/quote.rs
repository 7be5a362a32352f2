//! Finding the passage a user quotes when they open a thread.
//!
//! Users copy quotes from the file or from the rendered memo (`memo show`), where line
//! breaks, emphasis markers, backticks and link syntax are gone. A quote is looked for
//! verbatim first, then with any run of whitespace matching any other, then in the text
//! as rendered, mapped back to the source. The anchor always stores the source text.

use std::ops::Range;

use pulldown_cmark::{Event, Parser};

use super::Target;
use crate::error::{Error, Result};
use crate::memo::outline::{markdown_options, normalize_heading};
use crate::render::sanitize_line;

/// One place a quote occurs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// Byte range in the memo's text.
    pub range: Range<usize>,
    /// 1-based line.
    pub line: usize,
    pub section: Vec<String>,
}

/// Returns every place `quote` occurs in `scope` (a byte range of the body), in order.
pub fn find_occurrences(target: &Target<'_>, scope: Range<usize>, quote: &str) -> Vec<Occurrence> {
    let quote = quote.trim();
    if quote.is_empty() {
        return Vec::new();
    }
    let text = target.text();
    let scoped = &text[scope.clone()];

    let mut ranges: Vec<Range<usize>> = scoped
        .match_indices(quote)
        .map(|(at, _)| scope.start + at..scope.start + at + quote.len())
        .collect();
    if ranges.is_empty() {
        ranges = whitespace_flexible(scoped, quote)
            .into_iter()
            .map(|r| scope.start + r.start..scope.start + r.end)
            .collect();
    }
    if ranges.is_empty() {
        ranges = rendered(text, scope, quote);
    }
    ranges
        .into_iter()
        .map(|range| Occurrence {
            line: target.line(range.start),
            section: target.section_path_at(range.start),
            range,
        })
        .collect()
}

/// Finds `quote` with every run of whitespace in it matching any run in the text.
fn whitespace_flexible(text: &str, quote: &str) -> Vec<Range<usize>> {
    let pattern = quote
        .split_whitespace()
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r"\s+");
    match regex::Regex::new(&pattern) {
        Ok(regex) => regex.find_iter(text).map(|m| m.range()).collect(),
        Err(_) => Vec::new(),
    }
}

/// Finds `quote` in the text as Markdown renders it, and maps each match back to the
/// source range from its first to its last character.
fn rendered(text: &str, scope: Range<usize>, quote: &str) -> Vec<Range<usize>> {
    // The rendered text with whitespace collapsed, and for each of its characters the
    // source range it came from.
    let mut plain = String::new();
    let mut sources: Vec<Range<usize>> = Vec::new();
    let mut push = |c: char, source: Range<usize>, plain: &mut String| {
        if c.is_whitespace() {
            if plain.is_empty() || plain.ends_with(' ') {
                return;
            }
            plain.push(' ');
        } else {
            plain.push(c);
        }
        sources.push(source);
    };
    let body = &text[scope.clone()];
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        let range = scope.start + range.start..scope.start + range.end;
        match event {
            Event::Text(t) | Event::Code(t) => {
                let source = &text[range.clone()];
                match source.find(t.as_ref()) {
                    // The text is in the source as it is: map each character to itself.
                    Some(at) => {
                        let base = range.start + at;
                        for (i, c) in t.char_indices() {
                            push(c, base + i..base + i + c.len_utf8(), &mut plain);
                        }
                    }
                    // Escapes or entities changed it: map every character to the whole
                    // source range.
                    None => {
                        for c in t.chars() {
                            push(c, range.clone(), &mut plain);
                        }
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => push(' ', range, &mut plain),
            Event::End(_) => push(' ', range.end..range.end, &mut plain),
            _ => {}
        }
    }
    let wanted = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    // `sources` has one entry per character of `plain`; find maps byte offsets, so go
    // through character indices.
    let starts: Vec<usize> = plain.char_indices().map(|(i, _)| i).collect();
    plain
        .match_indices(&wanted)
        .filter_map(|(at, found)| {
            let first = starts.binary_search(&at).ok()?;
            let last = starts
                .binary_search(&(at + found.len() - found.chars().last()?.len_utf8()))
                .ok()?;
            let start = sources[first].start;
            let end = sources[last].end;
            (start < end).then_some(start..end)
        })
        .collect()
}

/// Finds the section a `--section` argument names: a heading, or a path of headings
/// joined by ` > ` that ends the section's path. Case, spacing and trailing punctuation
/// do not matter.
pub fn find_section(target: &Target<'_>, wanted: &str) -> Result<usize> {
    let outline = target.outline();
    let parts: Vec<String> = wanted.split(" > ").map(normalize_heading).collect();
    let matches: Vec<usize> = (0..outline.sections.len())
        .filter(|&i| {
            let path: Vec<String> = outline
                .path(i)
                .iter()
                .map(|h| normalize_heading(h))
                .collect();
            path.len() >= parts.len() && path[path.len() - parts.len()..] == parts[..]
        })
        .collect();
    match matches.as_slice() {
        [index] => Ok(*index),
        [] => {
            let headings: Vec<String> = outline
                .sections
                .iter()
                .map(|s| {
                    format!(
                        "{}{}",
                        "  ".repeat(usize::from(s.level.saturating_sub(1))),
                        sanitize_line(&s.heading)
                    )
                })
                .collect();
            Err(Error::invalid_with_hint(
                format!("the memo has no section '{}'", sanitize_line(wanted)),
                if headings.is_empty() {
                    "the memo has no headings; leave out --section to comment on the whole memo"
                        .to_owned()
                } else {
                    format!("its sections are:\n{}", headings.join("\n"))
                },
            ))
        }
        several => {
            let listed: Vec<String> = several
                .iter()
                .map(|&i| {
                    format!(
                        "  line {}: {}",
                        target.line(outline.sections[i].heading_range.start),
                        sanitize_line(&outline.path(i).join(" > "))
                    )
                })
                .collect();
            Err(Error::invalid_with_hint(
                format!(
                    "{} sections are called '{}':\n{}",
                    several.len(),
                    sanitize_line(wanted),
                    listed.join("\n")
                ),
                "name the section by its path, such as --section 'Design > Alternatives'",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_across_a_line_break() {
        let text = "# A\n\nThe cache keeps\nentries for an hour.\n";
        let target = Target::new(text, 0, "b");
        let found = find_occurrences(&target, 0..text.len(), "keeps entries for");
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.clone()], "keeps\nentries for");
    }

    #[test]
    fn quote_of_rendered_text_maps_to_source() {
        let text = "# A\n\nRun **all** jobs through [the queue](https://example.com/q) `now`.\n";
        let target = Target::new(text, 0, "b");
        let found = find_occurrences(&target, 0..text.len(), "Run all jobs through the queue now");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            &text[found[0].range.clone()],
            "Run **all** jobs through [the queue](https://example.com/q) `now"
        );
    }

    #[test]
    fn section_by_heading_and_path() {
        let text = "# A\n\n## Design\n\n### Options\n\n## Review\n\n### Options\n";
        let target = Target::new(text, 0, "b");
        assert!(find_section(&target, "options").is_err(), "ambiguous");
        let index = find_section(&target, "Review > Options").expect("by path");
        assert_eq!(target.outline().path(index), ["A", "Review", "Options"]);
        assert!(find_section(&target, "Costs").is_err());
    }
}
