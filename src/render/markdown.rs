//! Markdown to styled terminal lines, shared by `memo show` and the TUI reader.
//!
//! The renderer walks pulldown-cmark's events and lays out blocks (headings,
//! paragraphs, lists, quotes, code, tables, rules) at a given width. Every piece of
//! memo text is sanitised on the way in, so control sequences can never reach the
//! terminal, and each output line remembers which bytes of the memo it shows, so the
//! reader can place comment marks beside the passage they quote.

use std::ops::Range;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use super::sanitize::{expand_tabs, sanitize};
use super::wrap::{self, Fragment, WrappedLine, display_width};
use crate::memo::outline::markdown_options;

#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// Width in terminal columns.
    pub width: usize,
    /// Print a link's URL after its text, for output that cannot be clicked.
    pub inline_urls: bool,
}

/// A heading in the rendered output.
#[derive(Clone, Debug, PartialEq)]
pub struct RenderedHeading {
    /// Index of its first line in [`Rendered::lines`].
    pub line: usize,
    pub level: u8,
    pub text: String,
    /// Byte offset of the heading in the source.
    pub offset: usize,
}

#[derive(Clone, Debug, Default)]
pub struct Rendered {
    pub lines: Vec<Line<'static>>,
    /// For each line, the bytes of the source it shows, where known.
    pub sources: Vec<Option<Range<usize>>>,
    pub headings: Vec<RenderedHeading>,
    /// Link targets in the order they appear.
    pub links: Vec<String>,
    /// For each link in `links`, the bytes of the source it was written in.
    pub link_sources: Vec<Range<usize>>,
}

impl Rendered {
    /// Returns the index of the first line showing a source byte at or after `offset`.
    pub fn line_of_offset(&self, offset: usize) -> Option<usize> {
        self.sources
            .iter()
            .position(|s| s.as_ref().is_some_and(|r| r.end > offset))
    }
}

/// Colours and emphasis for each kind of Markdown element.
#[derive(Clone, Debug)]
pub struct Theme {
    pub heading: [Style; 3],
    pub emphasis: Style,
    pub strong: Style,
    pub strikethrough: Style,
    pub code: Style,
    pub code_block: Style,
    pub code_label: Style,
    pub link: Style,
    pub url: Style,
    pub quote: Style,
    pub marker: Style,
    pub rule: Style,
    pub table_border: Style,
    pub table_header: Style,
    pub html: Style,
    pub footnote: Style,
}

impl Default for Theme {
    fn default() -> Self {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Theme {
            heading: [
                bold.fg(Color::Cyan).add_modifier(Modifier::UNDERLINED),
                bold.fg(Color::Cyan),
                bold,
            ],
            emphasis: Style::new().add_modifier(Modifier::ITALIC),
            strong: bold,
            strikethrough: Style::new().add_modifier(Modifier::CROSSED_OUT),
            code: Style::new().fg(Color::Yellow),
            code_block: Style::new().fg(Color::Green),
            code_label: Style::new()
                .fg(Color::DarkGray)
                .add_modifier(Modifier::ITALIC),
            link: Style::new()
                .fg(Color::Blue)
                .add_modifier(Modifier::UNDERLINED),
            url: Style::new().fg(Color::DarkGray),
            quote: Style::new().fg(Color::DarkGray),
            marker: Style::new().fg(Color::Yellow),
            rule: Style::new().fg(Color::DarkGray),
            table_border: Style::new().fg(Color::DarkGray),
            table_header: bold,
            html: Style::new().fg(Color::DarkGray),
            footnote: Style::new().fg(Color::Cyan),
        }
    }
}

/// Renders `markdown`, whose first byte sits at `base_offset` in the memo.
pub fn render(markdown: &str, base_offset: usize, options: &RenderOptions) -> Rendered {
    let mut renderer = Renderer {
        options,
        theme: Theme::default(),
        out: Rendered::default(),
        containers: Vec::new(),
        lists: Vec::new(),
        inline: Vec::new(),
        styles: Vec::new(),
        links: Vec::new(),
        heading: None,
        code: None,
        table: None,
        need_blank: false,
        keep_breaks: false,
        base_offset,
        source: markdown,
    };
    for (event, range) in Parser::new_ext(markdown, markdown_options()).into_offset_iter() {
        renderer.event(event, range);
    }
    renderer.flush_inline();
    renderer.out
}

enum Container {
    Quote,
    Item { marker: String, first: bool },
    Footnote { label: String, first: bool },
}

struct CodeBlock {
    language: String,
    text: String,
    start: usize,
    /// The memo offset of the code's first line, once its text is seen.
    content_start: Option<usize>,
}

#[derive(Default)]
struct Table {
    alignments: Vec<Alignment>,
    rows: Vec<Vec<String>>,
    /// The bytes of the memo each row was written in.
    row_sources: Vec<Range<usize>>,
    header_rows: usize,
    cell: String,
    in_header: bool,
    start: usize,
}

struct Renderer<'a> {
    options: &'a RenderOptions,
    theme: Theme,
    out: Rendered,
    containers: Vec<Container>,
    /// For each open list, the next number of an ordered list.
    lists: Vec<Option<u64>>,
    inline: Vec<Fragment>,
    styles: Vec<Style>,
    /// The open links and images: target and source bytes.
    links: Vec<(String, Range<usize>)>,
    heading: Option<(u8, usize)>,
    code: Option<CodeBlock>,
    table: Option<Table>,
    need_blank: bool,
    /// Keep a paragraph's line breaks, for tab-aligned text.
    keep_breaks: bool,
    base_offset: usize,
    source: &'a str,
}

impl Renderer<'_> {
    fn style(&self) -> Style {
        self.styles
            .iter()
            .fold(Style::default(), |acc, s| acc.patch(*s))
    }

    fn push_text(&mut self, text: &str, range: &Range<usize>) {
        if let Some(table) = self.table.as_mut() {
            table.cell.push_str(&sanitize(text));
            return;
        }
        let exact = self.source.get(range.clone()) == Some(text);
        let text = if self.keep_breaks {
            expand_tabs(text)
        } else {
            text.into()
        };
        let text = sanitize(&text).into_owned();
        let source =
            (exact && !text.contains('\u{2400}')).then_some(self.base_offset + range.start);
        self.inline.push(Fragment {
            text,
            style: self.style(),
            source,
        });
    }

    fn push_styled(&mut self, text: String, style: Style) {
        if let Some(table) = self.table.as_mut() {
            table.cell.push_str(&text);
            return;
        }
        self.inline.push(Fragment {
            text,
            style: self.style().patch(style),
            source: None,
        });
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                if let Some(code) = self.code.as_mut() {
                    if code.content_start.is_none() {
                        code.content_start = Some(self.base_offset + range.start);
                    }
                    code.text.push_str(&text);
                } else {
                    self.push_text(&text, &range);
                }
            }
            Event::Code(text) => {
                let style = self.theme.code;
                self.styles.push(style);
                let exact_range = range.start + 1..range.end - 1;
                self.push_text(&text, &exact_range);
                self.styles.pop();
            }
            Event::SoftBreak => {
                let text = if self.keep_breaks { "\n" } else { " " };
                self.push_styled(text.to_owned(), Style::default());
            }
            Event::HardBreak => self.push_styled("\n".to_owned(), Style::default()),
            Event::Rule => {
                self.flush_inline();
                self.blank_if_needed();
                let width = self.available_width();
                let line = vec![Fragment {
                    text: "─".repeat(width),
                    style: self.theme.rule,
                    source: None,
                }];
                self.emit(WrappedLine {
                    fragments: line,
                    source: Some(self.base_offset + range.start..self.base_offset + range.end),
                });
                self.need_blank = true;
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let style = self.theme.html;
                let text = html.trim_end_matches('\n').to_owned();
                if matches!(event_kind(&text), HtmlKind::Block) && self.inline.is_empty() {
                    self.blank_if_needed();
                }
                self.push_styled(sanitize(&text).into_owned(), style);
            }
            Event::FootnoteReference(label) => {
                let style = self.theme.footnote;
                self.push_styled(format!("[{}]", sanitize(&label)), style);
            }
            Event::TaskListMarker(checked) => {
                let style = self.theme.marker;
                self.push_styled(if checked { "[x] " } else { "[ ] " }.to_owned(), style);
            }
            Event::InlineMath(text) | Event::DisplayMath(text) => {
                let style = self.theme.code;
                self.push_styled(sanitize(&text).into_owned(), style);
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Paragraph => {
                self.flush_inline();
                self.blank_if_needed();
                let text = &self.source[range.clone()];
                self.keep_breaks = text.contains('\t');
            }
            Tag::Heading { level, .. } => {
                self.flush_inline();
                self.blank_if_needed();
                let level = heading_level(level);
                self.heading = Some((level, self.base_offset + range.start));
                let style = self.theme.heading[usize::from(level.min(3)) - 1];
                self.styles.push(style);
            }
            Tag::BlockQuote(_) => {
                self.flush_inline();
                self.blank_if_needed();
                self.containers.push(Container::Quote);
            }
            Tag::CodeBlock(kind) => {
                self.flush_inline();
                self.blank_if_needed();
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some(CodeBlock {
                    language,
                    text: String::new(),
                    start: self.base_offset + range.start,
                    content_start: None,
                });
            }
            Tag::HtmlBlock => {
                self.flush_inline();
                self.blank_if_needed();
            }
            Tag::List(first) => {
                self.flush_inline();
                if self.lists.is_empty() {
                    self.blank_if_needed();
                }
                self.lists.push(first);
            }
            Tag::Item => {
                self.flush_inline();
                self.blank_if_needed();
                let depth = self.lists.len().saturating_sub(1);
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let marker = format!("{n}. ");
                        *n += 1;
                        marker
                    }
                    _ => format!("{} ", ["•", "◦", "▪"][depth % 3]),
                };
                self.containers.push(Container::Item {
                    marker,
                    first: true,
                });
            }
            Tag::FootnoteDefinition(label) => {
                self.flush_inline();
                self.blank_if_needed();
                self.containers.push(Container::Footnote {
                    label: format!("[{}]: ", sanitize(&label)),
                    first: true,
                });
            }
            Tag::Table(alignments) => {
                self.flush_inline();
                self.blank_if_needed();
                self.table = Some(Table {
                    alignments,
                    start: self.base_offset + range.start,
                    ..Table::default()
                });
            }
            Tag::TableHead => {
                if let Some(table) = self.table.as_mut() {
                    table.in_header = true;
                    table.rows.push(Vec::new());
                    table
                        .row_sources
                        .push(self.base_offset + range.start..self.base_offset + range.end);
                }
            }
            Tag::TableRow => {
                if let Some(table) = self.table.as_mut() {
                    table.rows.push(Vec::new());
                    table
                        .row_sources
                        .push(self.base_offset + range.start..self.base_offset + range.end);
                }
            }
            Tag::TableCell => {
                if let Some(table) = self.table.as_mut() {
                    table.cell.clear();
                }
            }
            Tag::Emphasis => self.styles.push(self.theme.emphasis),
            Tag::Strong => self.styles.push(self.theme.strong),
            Tag::Strikethrough => self.styles.push(self.theme.strikethrough),
            Tag::Superscript | Tag::Subscript => self.styles.push(Style::default()),
            Tag::Link { dest_url, .. } => {
                self.styles.push(self.theme.link);
                let source = self.base_offset + range.start..self.base_offset + range.end;
                self.links.push((dest_url.to_string(), source));
            }
            Tag::Image { dest_url, .. } => {
                let style = self.theme.link;
                self.styles.push(style);
                let source = self.base_offset + range.start..self.base_offset + range.end;
                self.links.push((dest_url.to_string(), source));
                self.push_styled("[image: ".to_owned(), Style::default());
            }
            Tag::DefinitionList | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => {
                self.flush_inline();
            }
            Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush_inline();
                self.keep_breaks = false;
                self.need_blank = true;
            }
            TagEnd::Heading(_) => {
                let (level, offset) = self.heading.take().unwrap_or((1, 0));
                let text: String = self.inline.iter().map(|f| f.text.as_str()).collect();
                self.styles.pop();
                self.out.headings.push(RenderedHeading {
                    line: self.out.lines.len(),
                    level,
                    text,
                    offset,
                });
                self.flush_inline();
                self.need_blank = true;
            }
            TagEnd::BlockQuote(_) => {
                self.flush_inline();
                self.containers.pop();
                self.need_blank = true;
            }
            TagEnd::CodeBlock => {
                if let Some(code) = self.code.take() {
                    self.emit_code(code);
                }
                self.need_blank = true;
            }
            TagEnd::HtmlBlock => {
                self.flush_inline();
                self.need_blank = true;
            }
            TagEnd::List(_) => {
                self.flush_inline();
                self.lists.pop();
                // A list nested in a tight item runs on into the next item.
                self.need_blank = self.lists.is_empty();
            }
            TagEnd::Item => {
                self.flush_inline();
                self.containers.pop();
            }
            TagEnd::FootnoteDefinition => {
                self.flush_inline();
                self.containers.pop();
                self.need_blank = true;
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.emit_table(table);
                }
                self.need_blank = true;
            }
            TagEnd::TableHead => {
                if let Some(table) = self.table.as_mut() {
                    table.in_header = false;
                    table.header_rows = table.rows.len();
                }
            }
            TagEnd::TableRow => {}
            TagEnd::TableCell => {
                if let Some(table) = self.table.as_mut() {
                    let cell = std::mem::take(&mut table.cell);
                    if let Some(row) = table.rows.last_mut() {
                        row.push(cell.trim().to_owned());
                    }
                }
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => {
                self.styles.pop();
            }
            TagEnd::Link => {
                self.styles.pop();
                let (url, source) = self.links.pop().unwrap_or_default();
                if self.options.inline_urls && !url.is_empty() && !url.starts_with('#') {
                    let style = self.theme.url;
                    self.push_styled(format!(" <{}>", sanitize(&url)), style);
                }
                self.out.links.push(url);
                self.out.link_sources.push(source);
            }
            TagEnd::Image => {
                self.push_styled("]".to_owned(), Style::default());
                self.styles.pop();
                let (url, source) = self.links.pop().unwrap_or_default();
                self.out.links.push(url);
                self.out.link_sources.push(source);
            }
            TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => {
                self.flush_inline();
                self.need_blank = true;
            }
            TagEnd::MetadataBlock(_) => {}
        }
    }

    fn blank_if_needed(&mut self) {
        if self.need_blank && !self.out.lines.is_empty() {
            let in_item_start = self.containers.iter().any(|c| {
                matches!(
                    c,
                    Container::Item { first: true, .. } | Container::Footnote { first: true, .. }
                )
            });
            if !in_item_start {
                self.emit(WrappedLine::default());
            }
        }
        self.need_blank = false;
    }

    /// Returns the width left for text after the container prefixes.
    fn available_width(&self) -> usize {
        let prefix: usize = self
            .containers
            .iter()
            .map(|c| match c {
                Container::Quote => 2,
                Container::Item { marker, .. } => display_width(marker),
                Container::Footnote { label, .. } => display_width(label),
            })
            .sum();
        self.options.width.saturating_sub(prefix).max(1)
    }

    fn flush_inline(&mut self) {
        if self.inline.is_empty() {
            return;
        }
        let fragments = std::mem::take(&mut self.inline);
        for line in wrap::wrap(&fragments, self.available_width()) {
            self.emit(line);
        }
    }

    /// Appends a line behind the prefixes of the open quotes and list items.
    fn emit(&mut self, line: WrappedLine) {
        let mut spans = Vec::new();
        for container in &mut self.containers {
            match container {
                Container::Quote => spans.push(Span::styled("│ ", self.theme.quote)),
                Container::Item { marker, first }
                | Container::Footnote {
                    label: marker,
                    first,
                } => {
                    if *first {
                        spans.push(Span::styled(marker.clone(), self.theme.marker));
                        *first = false;
                    } else {
                        spans.push(Span::raw(" ".repeat(display_width(marker))));
                    }
                }
            }
        }
        let in_quote = self
            .containers
            .iter()
            .any(|c| matches!(c, Container::Quote));
        for fragment in line.fragments {
            let style = if in_quote {
                fragment
                    .style
                    .patch(Style::new().add_modifier(Modifier::ITALIC))
            } else {
                fragment.style
            };
            spans.push(Span::styled(fragment.text, style));
        }
        self.out.lines.push(Line::from(spans));
        self.out.sources.push(line.source);
    }

    fn emit_code(&mut self, code: CodeBlock) {
        let width = self.available_width();
        if !code.language.is_empty() {
            let label = wrap::truncate(&sanitize(&code.language), width);
            self.emit(WrappedLine {
                fragments: vec![Fragment {
                    text: label,
                    style: self.theme.code_label,
                    source: None,
                }],
                source: None,
            });
        }
        let text = code.text.strip_suffix('\n').unwrap_or(&code.text);
        let inner = width.saturating_sub(2).max(1);
        // Each line of code points at its own bytes when the code is the memo's text as
        // written (not an indented block whose indentation was taken off).
        let exact = code.content_start.is_some_and(|start| {
            self.source
                .get(start - self.base_offset..start - self.base_offset + text.len())
                == Some(text)
        });
        let mut line_start = code.content_start.unwrap_or(code.start);
        for source_line in text.split('\n') {
            let line_source = if exact {
                line_start..line_start + source_line.len().max(1)
            } else {
                code.start..code.start + 1
            };
            line_start += source_line.len() + 1;
            let expanded = expand_tabs(source_line);
            let safe = sanitize(&expanded).into_owned();
            let fragments = vec![Fragment {
                text: safe,
                style: self.theme.code_block,
                source: None,
            }];
            for mut line in wrap::wrap(&fragments, inner) {
                line.fragments.insert(
                    0,
                    Fragment {
                        text: "  ".to_owned(),
                        style: Style::default(),
                        source: None,
                    },
                );
                line.source = Some(line_source.clone());
                self.emit(line);
            }
        }
    }

    fn emit_table(&mut self, table: Table) {
        let columns = table.rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        let available = self.available_width();
        let mut widths: Vec<usize> = (0..columns)
            .map(|c| {
                table
                    .rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|cell| display_width(cell))
                    .max()
                    .unwrap_or(0)
                    .max(1)
            })
            .collect();
        // Borders take one column between cells plus a space on each side of a cell.
        let borders = columns * 3 + 1;
        while widths.iter().sum::<usize>() + borders > available {
            let Some((widest, width)) = widths.iter().copied().enumerate().max_by_key(|(_, w)| *w)
            else {
                break;
            };
            if width <= 1 {
                break;
            }
            widths[widest] = width - 1;
        }

        let border = self.theme.table_border;
        let row_source = |r: usize| {
            Some(
                table
                    .row_sources
                    .get(r)
                    .cloned()
                    .unwrap_or(table.start..table.start + 1),
            )
        };
        let last_row = table.rows.len().saturating_sub(1);
        let rule = |left: &str, mid: &str, right: &str| {
            let mut text = left.to_owned();
            for (i, w) in widths.iter().enumerate() {
                text.push_str(&"─".repeat(w + 2));
                text.push_str(if i + 1 == widths.len() { right } else { mid });
            }
            text
        };
        let top = rule("┌", "┬", "┐");
        self.emit_plain(top, border, row_source(0));
        for (r, row) in table.rows.iter().enumerate() {
            let mut fragments = vec![Fragment {
                text: "│".to_owned(),
                style: border,
                source: None,
            }];
            for (c, width) in widths.iter().enumerate() {
                let cell = row.get(c).map(String::as_str).unwrap_or("");
                let cell = wrap::truncate(cell, *width);
                let fill = width - display_width(&cell);
                let (left, right) = match table.alignments.get(c) {
                    Some(Alignment::Right) => (fill, 0),
                    Some(Alignment::Center) => (fill / 2, fill - fill / 2),
                    _ => (0, fill),
                };
                let style = if r < table.header_rows {
                    self.theme.table_header
                } else {
                    Style::default()
                };
                fragments.push(Fragment {
                    text: format!(" {}{cell}{} ", " ".repeat(left), " ".repeat(right)),
                    style,
                    source: None,
                });
                fragments.push(Fragment {
                    text: "│".to_owned(),
                    style: border,
                    source: None,
                });
            }
            self.emit(WrappedLine {
                fragments,
                source: row_source(r),
            });
            if r + 1 == table.header_rows {
                let middle = rule("├", "┼", "┤");
                self.emit_plain(middle, border, row_source(r));
            }
        }
        let bottom = rule("└", "┴", "┘");
        self.emit_plain(bottom, border, row_source(last_row));
    }

    fn emit_plain(&mut self, text: String, style: Style, source: Option<Range<usize>>) {
        self.emit(WrappedLine {
            fragments: vec![Fragment {
                text,
                style,
                source: None,
            }],
            source,
        });
    }
}

enum HtmlKind {
    Block,
    Inline,
}

fn event_kind(html: &str) -> HtmlKind {
    if html.contains('\n') || html.starts_with("<!--") {
        HtmlKind::Block
    } else {
        HtmlKind::Inline
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

/// Returns the lines as plain text, one string per line.
pub fn plain_lines(rendered: &Rendered) -> Vec<String> {
    rendered
        .lines
        .iter()
        .map(|line| line.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_plain(markdown: &str, width: usize) -> Vec<String> {
        let rendered = render(
            markdown,
            0,
            &RenderOptions {
                width,
                inline_urls: false,
            },
        );
        plain_lines(&rendered)
    }

    #[test]
    fn headings_paragraphs_and_lists() {
        let lines = render_plain(
            "# Title\n\nSome *text* here.\n\n- one\n- two\n  1. a\n  2. b\n",
            40,
        );
        assert_eq!(
            lines,
            [
                "Title",
                "",
                "Some text here.",
                "",
                "• one",
                "• two",
                "  1. a",
                "  2. b"
            ]
        );
    }

    #[test]
    fn quotes_and_code() {
        let lines = render_plain("> quoted text\n\n```rust\nfn main() {}\n```\n", 40);
        assert_eq!(lines, ["│ quoted text", "", "rust", "  fn main() {}"]);
    }

    #[test]
    fn tables_are_sized_by_display_width() {
        let lines = render_plain("| Region | Owner |\n|---|---|\n| 東京 | a |\n", 40);
        let widths: Vec<usize> = lines.iter().map(|l| display_width(l)).collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{lines:#?}");
        assert!(lines.iter().any(|l| l.contains("東京")));
    }

    #[test]
    fn lines_never_exceed_width() {
        let text = "A very long paragraph with a https://example.invalid/a/very/long/path/without/any/spaces/at/all and 決済基盤の移行を来期に延期する提案 words.";
        // From two columns up: one column cannot hold a wide character.
        for width in [2, 5, 13, 40] {
            for line in render_plain(text, width) {
                assert!(display_width(&line) <= width, "{width}: {line}");
            }
        }
    }

    #[test]
    fn control_sequences_are_neutralised() {
        let lines = render_plain("clear\u{1b}[2J screen\n", 40);
        assert_eq!(lines, ["clear␛[2J screen"]);
    }

    #[test]
    fn tab_aligned_paragraphs_keep_columns() {
        let lines = render_plain("metric\tp50\nlatency\t120ms\n", 40);
        assert_eq!(lines, ["metric  p50", "latency 120ms"]);
    }

    #[test]
    fn sources_point_into_the_text() {
        let text = "# Head\n\nalpha beta\n";
        let rendered = render(
            text,
            100,
            &RenderOptions {
                width: 40,
                inline_urls: false,
            },
        );
        assert_eq!(rendered.sources[2], Some(108..118));
        assert_eq!(rendered.headings[0].offset, 100);
        assert_eq!(rendered.line_of_offset(110), Some(2));
    }
}
