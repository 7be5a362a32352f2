//! Word counts and prose extraction.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use unicode_segmentation::UnicodeSegmentation;

use super::outline::markdown_options;

/// Returns the readable text of a Markdown fragment: paragraphs, headings, list items,
/// quotes and table cells, without code blocks, HTML and link targets.
pub fn prose_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut in_code_block = false;
    for event in Parser::new_ext(markdown, markdown_options()) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(t) | Event::Code(t) if !in_code_block => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// Counts words by Unicode word boundaries. A run of CJK characters, which has no
/// spaces, counts one word per character, which is how reading speeds for those
/// scripts are usually given.
pub fn count_words(text: &str) -> usize {
    text.unicode_words().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_are_not_prose() {
        let text = prose_text("Hello world.\n\n```rust\nlet x = 1;\n```\n\n- item one\n");
        assert_eq!(count_words(&text), 4);
    }
}
