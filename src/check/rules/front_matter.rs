//! Rules on the front matter: `front-matter`, `field-type`, `missing-field`,
//! `unknown-template` and `invalid-template`.

use serde_yaml_ng::Value;

use crate::check::Sink;
use crate::memo::document::thematic_break_start;
use crate::memo::{Memo, ParseErrorKind};
use crate::render::sanitize_line;
use crate::template::{Template, TemplateError};

/// Reports a front matter block that cannot be read and values of the wrong type.
pub fn check(memo: &Memo, sink: &mut Sink<'_>) {
    if let Some(error) = &memo.document.front_matter_error {
        // Conflict markers are reported, with every conflict, by `conflict-marker`.
        if !matches!(error.kind, ParseErrorKind::ConflictMarker { .. }) {
            let range = sink.line_range(error.line);
            let start = range.start
                + sink.memo.text()[range.clone()]
                    .char_indices()
                    .nth(error.column.saturating_sub(1))
                    .map_or(0, |(i, _)| i);
            sink.at(
                "front-matter",
                start..range.end.max(start),
                sanitize_line(&error.kind.to_string()).into_owned(),
                error.hint().map(str::to_owned),
            );
        }
    }
    for problem in &memo.meta.problems {
        sink.line(
            "field-type",
            problem.line,
            sanitize_line(&problem.message).into_owned(),
            None,
        );
    }
}

/// Returns whether a front matter value counts as set: not null, not blank, not an
/// empty list or mapping.
fn is_set(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Sequence(items) => !items.is_empty(),
        Value::Mapping(map) => !map.is_empty(),
        _ => true,
    }
}

/// Reports front matter keys the template requires that are missing or empty.
pub fn required_fields(memo: &Memo, template: &Template, sink: &mut Sink<'_>) {
    if template.required_fields.is_empty() {
        return;
    }
    let Some(front_matter) = &memo.document.front_matter else {
        let fields = template.required_fields.join(", ");
        let (line, message) = match thematic_break_start(memo.text()) {
            Some((line, text)) => (
                1,
                format!(
                    "the memo has no front matter: line 1 '---' reads as a thematic break, \
                     because line {line} '{}' is not a `key: value` line",
                    sanitize_line(truncate(text, 40))
                ),
            ),
            None => (1, "the memo has no front matter".to_owned()),
        };
        sink.line(
            "missing-field",
            line,
            format!("{message}, so it lacks {fields}, which template '{}' requires", template.name),
            Some(format!(
                "start the file with a front matter block: a '---' line, `key: value` lines for {fields}, and a closing '---' line"
            )),
        );
        return;
    };
    let closing_line = sink.line_of(front_matter.range.end.saturating_sub(1));
    for key in &template.required_fields {
        let present = front_matter.get(key).is_some_and(is_set);
        if present {
            continue;
        }
        let (line, message) = match front_matter.key_line(key) {
            Some(line) => (line, format!("front matter key `{key}` is empty")),
            None => (closing_line, format!("front matter key `{key}` is missing")),
        };
        sink.line(
            "missing-field",
            line,
            format!("{message}; template '{}' requires it", template.name),
            Some(field_help(key)),
        );
    }
}

fn field_help(key: &str) -> String {
    let example = match key {
        "title" => "title: Move nightly batch jobs to an event queue",
        "status" => "status: draft",
        "authors" => "authors: [Ada Lovelace]",
        "created" => "created: 2024-05-02",
        "deciders" => "deciders: [Grace Hopper]",
        "tags" => "tags: [infrastructure]",
        _ => return format!("add a `{key}:` line to the front matter"),
    };
    format!("add a line such as `{example}` to the front matter")
}

fn truncate(text: &str, chars: usize) -> &str {
    match text.char_indices().nth(chars) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// Reports a template name that no template has.
pub fn unknown_template(memo: &Memo, name: &str, sink: &mut Sink<'_>) {
    let line = template_line(memo);
    sink.line(
        "unknown-template",
        line,
        format!(
            "template '{}' is not defined, so the memo's sections were not checked",
            sanitize_line(name)
        ),
        Some(
            "run `memo templates` to list the templates, or add .memo/templates/NAME.md".to_owned(),
        ),
    );
}

/// Reports a memo whose template file cannot be used, with the template's error.
pub fn invalid_template(memo: &Memo, error: &TemplateError, sink: &mut Sink<'_>) {
    let line = template_line(memo);
    let help = match &error.hint {
        Some(hint) => format!("in the template file, {hint}"),
        None => "fix the template file".to_owned(),
    };
    sink.line(
        "invalid-template",
        line,
        format!(
            "template '{}' is invalid, so the memo's sections were not checked: {}:{}: {}",
            sanitize_line(&error.name),
            sanitize_line(&error.path.to_string_lossy()),
            error.line,
            sanitize_line(&error.message)
        ),
        Some(help),
    );
}

/// Returns the line of the memo's `template:` key, or 1 without one.
fn template_line(memo: &Memo) -> usize {
    memo.document
        .front_matter
        .as_ref()
        .and_then(|f| f.key_line("template"))
        .unwrap_or(1)
}
