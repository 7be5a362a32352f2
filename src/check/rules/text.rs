//! Rules on the raw text: `conflict-marker`, `control-characters` and
//! `placeholder`.

use serde_yaml_ng::Value;

use crate::check::Sink;
use crate::check::analysis::Analysis;
use crate::memo::Memo;
use crate::memo::document::conflict_marker;
use crate::render::sanitize::is_unsafe;
use crate::render::sanitize_line;

/// Reports every git conflict left in the memo, from its `<<<<<<<` line to its
/// `>>>>>>>` line, and returns whether there was one. Markers inside fenced code
/// blocks are examples, not conflicts.
pub fn conflict_markers(memo: &Memo, sink: &mut Sink<'_>) -> bool {
    let before = sink.findings.len();
    let text = memo.text();
    let code_blocks = code_block_ranges(memo);
    let mut open: Option<(usize, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches('\n');
        let Some(marker) = conflict_marker(content) else {
            continue;
        };
        if code_blocks.iter().any(|r| r.contains(&start)) {
            continue;
        }
        match (marker, open) {
            ("<<<<<<<", None) => open = Some((start, start + content.len())),
            (">>>>>>>", Some((begin, _))) => {
                report_conflict(sink, begin..start + content.len(), true);
                open = None;
            }
            (">>>>>>>" | "<<<<<<<", _) => {
                if let Some((begin, end)) = open.take() {
                    report_conflict(sink, begin..end, false);
                }
                if marker == "<<<<<<<" {
                    open = Some((start, start + content.len()));
                } else {
                    report_conflict(sink, start..start + content.len(), false);
                }
            }
            // `=======` alone is also a setext heading underline; it counts only
            // inside a conflict, which the `<<<<<<<` line opened.
            _ => {}
        }
    }
    if let Some((begin, end)) = open {
        report_conflict(sink, begin..end, false);
    }
    sink.findings.len() > before
}

fn report_conflict(sink: &mut Sink<'_>, range: std::ops::Range<usize>, whole: bool) {
    let first = sink.line_of(range.start);
    let last = sink.line_of(range.end.saturating_sub(1).max(range.start));
    let message = if whole {
        format!("unresolved git merge conflict (lines {first} to {last})")
    } else {
        format!("git conflict marker on line {first}")
    };
    sink.at(
        "conflict-marker",
        range,
        message,
        Some(
            "finish the merge: keep the text that is right, then delete the <<<<<<<, ======= and >>>>>>> lines"
                .to_owned(),
        ),
    );
}

/// Returns the code block ranges of the body, found without a full analysis.
fn code_block_ranges(memo: &Memo) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};

    let text = memo.text();
    if !text.contains("<<<<<<<") && !text.contains(">>>>>>>") {
        return Vec::new();
    }
    let offset = memo.document.body_offset;
    Parser::new_ext(&text[offset..], crate::memo::outline::markdown_options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(_)) => Some(offset + range.start..offset + range.end),
            _ => None,
        })
        .collect()
}

/// Reports terminal control characters, in the text or in front matter values
/// written with YAML escapes, in one finding that names every line.
pub fn control_characters(memo: &Memo, sink: &mut Sink<'_>) {
    let text = memo.text();
    let mut lines: Vec<usize> = Vec::new();
    let mut kinds: Vec<String> = Vec::new();
    let mut first: Option<std::ops::Range<usize>> = None;

    for (offset, c) in text.char_indices().filter(|(_, c)| is_unsafe(*c)) {
        first.get_or_insert(offset..offset + c.len_utf8());
        let line = sink.line_of(offset);
        if lines.last() != Some(&line) {
            lines.push(line);
        }
        let kind = describe(c);
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }

    if let Some(front_matter) = &memo.document.front_matter {
        for (key, value) in &front_matter.mapping {
            let mut found = Vec::new();
            collect_unsafe(value, &mut found);
            if found.is_empty() {
                continue;
            }
            let key = key.as_str().unwrap_or_default();
            let line = front_matter
                .key_line(key)
                .unwrap_or(front_matter.first_line);
            if !lines.contains(&line) {
                lines.push(line);
            }
            if first.is_none() {
                first = Some(sink.line_range(line));
            }
            for c in found {
                let kind = describe(c);
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
            }
        }
    }

    let Some(first) = first else {
        return;
    };
    lines.sort_unstable();
    lines.dedup();
    let shown: Vec<String> = lines.iter().take(20).map(usize::to_string).collect();
    let more = if lines.len() > 20 {
        format!(" and {} more", lines.len() - 20)
    } else {
        String::new()
    };
    sink.at(
        "control-characters",
        first,
        format!(
            "terminal control characters on line{} {}{more} ({})",
            if lines.len() == 1 { "" } else { "s" },
            shown.join(", "),
            kinds.join(", ")
        ),
        Some(
            "delete them: memo shows them as visible stand-ins such as ␛, but other tools may let them act on the terminal"
                .to_owned(),
        ),
    );
}

fn collect_unsafe(value: &Value, found: &mut Vec<char>) {
    match value {
        Value::String(s) => found.extend(s.chars().filter(|c| is_unsafe(*c))),
        Value::Sequence(items) => items.iter().for_each(|v| collect_unsafe(v, found)),
        Value::Mapping(map) => map.values().for_each(|v| collect_unsafe(v, found)),
        Value::Tagged(tagged) => collect_unsafe(&tagged.value, found),
        _ => {}
    }
}

/// Names a control character the way people know it.
fn describe(c: char) -> String {
    match c {
        '\u{1b}' => "ESC".to_owned(),
        '\u{7}' => "BEL".to_owned(),
        '\u{8}' => "BS".to_owned(),
        '\r' => "CR".to_owned(),
        '\u{0}' => "NUL".to_owned(),
        '\u{7f}' => "DEL".to_owned(),
        c => format!("U+{:04X}", c as u32),
    }
}

/// Reports placeholder words (`TODO`, `TBD`, `XXX`, `{{...}}`) left in the prose.
pub fn placeholders(memo: &Memo, analysis: &Analysis, sink: &mut Sink<'_>) {
    for part in &analysis.parts {
        for placeholder in &part.placeholders {
            let shown = sanitize_line(&placeholder.text).into_owned();
            sink.at(
                "placeholder",
                placeholder.range.clone(),
                format!("placeholder `{shown}` left in the text"),
                Some(format!(
                    "replace `{shown}` with what it stands for, or move the open point to the unresolved questions"
                )),
            );
        }
    }
    let _ = memo;
}
