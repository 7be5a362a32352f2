//! Finding an unresolved git merge conflict in a memo file.
//!
//! git writes a conflict as a `<<<<<<<` line, the two sides split by a `=======`
//! line, and a `>>>>>>>` line. A memo containing one has two versions of some lines, so
//! memo must not read a uid, a status or an anchor from it, nor commit it. Markers
//! inside fenced code blocks are examples, not conflicts, and `=======` alone is also
//! a setext heading underline, so only the `<<<<<<<` and `>>>>>>>` lines count.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use super::document::conflict_marker;

/// The lines of the first conflict, 1-based and inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConflictLines {
    pub first: usize,
    pub last: usize,
}

/// Returns the lines of the first conflict in `text`, looking for code blocks from
/// `body_offset` on (the front matter, before it, holds none).
pub fn find_conflict(text: &str, body_offset: usize) -> Option<ConflictLines> {
    if !text.contains("<<<<<<<") && !text.contains(">>>>>>>") {
        return None;
    }
    let code_blocks = code_block_ranges(text, body_offset);
    let mut open: Option<usize> = None;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let marker = conflict_marker(line.trim_end_matches('\n'));
        if !matches!(marker, Some("<<<<<<<" | ">>>>>>>"))
            || code_blocks.iter().any(|r| r.contains(&start))
        {
            continue;
        }
        let line_number = index + 1;
        match (marker, open) {
            (Some(">>>>>>>"), Some(first)) => {
                return Some(ConflictLines {
                    first,
                    last: line_number,
                });
            }
            // A closing marker without its opening one still is a conflict left over.
            (Some(">>>>>>>"), None) => {
                return Some(ConflictLines {
                    first: line_number,
                    last: line_number,
                });
            }
            (_, None) => open = Some(line_number),
            (_, Some(_)) => {}
        }
    }
    open.map(|first| ConflictLines { first, last: first })
}

fn code_block_ranges(text: &str, body_offset: usize) -> Vec<Range<usize>> {
    Parser::new_ext(&text[body_offset..], super::outline::markdown_options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(_)) => {
                Some(body_offset + range.start..body_offset + range.end)
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflict_lines_from_marker_to_marker() {
        let text =
            "---\ntitle: A\n<<<<<<< HEAD\nstatus: x\n=======\nstatus: y\n>>>>>>> other\n---\n";
        assert_eq!(
            find_conflict(text, 0),
            Some(ConflictLines { first: 3, last: 7 })
        );
        let body = "# A\n\ntext\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> b\n";
        assert_eq!(
            find_conflict(body, 0),
            Some(ConflictLines { first: 4, last: 8 })
        );
    }

    #[test]
    fn examples_and_headings_are_not_conflicts() {
        let fenced = "# A\n\n```\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n```\n";
        assert_eq!(find_conflict(fenced, 0), None);
        let setext = "Title\n=======\n\ntext\n";
        assert_eq!(find_conflict(setext, 0), None);
    }

    #[test]
    fn lone_markers_are_conflicts() {
        assert_eq!(
            find_conflict("a\n>>>>>>> x\n", 0),
            Some(ConflictLines { first: 2, last: 2 })
        );
        assert_eq!(
            find_conflict("a\n<<<<<<< HEAD\nb\n", 0),
            Some(ConflictLines { first: 2, last: 2 })
        );
    }
}
