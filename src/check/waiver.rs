//! Waivers: a memo's own, written reasons to accept a rule's findings.
//!
//! A memo waives rules in its front matter, one reason per rule:
//!
//! ```yaml
//! waivers:
//!   bullet-fragments: The FAQ answers one question per item, as the board asked.
//! ```
//!
//! A waived finding stays in the output as a note that carries the reason, so the
//! exception is visible wherever the memo is checked.

use serde_yaml_ng::Value;

use super::{CheckOptions, Finding, Severity, Sink, rule};
use crate::memo::Memo;
use crate::render::sanitize_line;

/// The front matter key of the waivers.
pub const WAIVERS_KEY: &str = "waivers";

/// Words a reason needs, so that "ok" is not taken for one.
const MIN_REASON_WORDS: usize = 3;

/// A rule a memo waives, with its reason.
#[derive(Clone, Debug)]
pub struct Waiver {
    pub rule: &'static str,
    pub reason: String,
    /// 1-based line of the waiver in the file.
    pub line: usize,
}

/// Reads the memo's waivers, reporting those that name no waivable rule or give no
/// reason.
pub fn read(memo: &Memo, sink: &mut Sink<'_>) -> Vec<Waiver> {
    let Some(front_matter) = &memo.document.front_matter else {
        return Vec::new();
    };
    let Some(value) = front_matter.get(WAIVERS_KEY) else {
        return Vec::new();
    };
    let key_line = front_matter
        .key_line(WAIVERS_KEY)
        .unwrap_or(front_matter.first_line);
    let Value::Mapping(mapping) = value else {
        if !value.is_null() {
            sink.line(
                "invalid-waiver",
                key_line,
                "`waivers` must map rule ids to reasons".to_owned(),
                Some(
                    "write one `rule-id: reason` line per waived rule under `waivers:`".to_owned(),
                ),
            );
        }
        return Vec::new();
    };

    let yaml_lines: Vec<&str> = front_matter.yaml.lines().collect();
    let mut waivers = Vec::new();
    for (key, reason) in mapping {
        let id = key.as_str().unwrap_or_default();
        let line = waiver_line(&yaml_lines, key_line - front_matter.first_line, id)
            .map_or(key_line, |i| front_matter.first_line + i);
        let shown = sanitize_line(id).into_owned();
        let Some(info) = rule(id) else {
            sink.line(
                "invalid-waiver",
                line,
                format!("waiver names '{shown}', which is not a rule"),
                Some("use a rule id from `memo check --list-rules`".to_owned()),
            );
            continue;
        };
        if !info.waivable {
            sink.line(
                "invalid-waiver",
                line,
                format!("rule '{shown}' cannot be waived"),
                Some("fix what the rule reports instead".to_owned()),
            );
            continue;
        }
        let reason = match reason {
            Value::String(s) => s.trim().to_owned(),
            _ => String::new(),
        };
        let words = reason_words(&reason);
        if words < MIN_REASON_WORDS {
            let message = if words == 0 {
                format!(
                    "waiver of '{shown}' gives no reason (a reason needs at least {MIN_REASON_WORDS} words)"
                )
            } else {
                format!(
                    "waiver of '{shown}' gives a reason of {words} word{}; it needs at least {MIN_REASON_WORDS}",
                    if words == 1 { "" } else { "s" }
                )
            };
            sink.line(
                "invalid-waiver",
                line,
                message,
                Some(format!(
                    "write why the memo is right to break the rule, in a sentence: `{shown}: <reason>`"
                )),
            );
            continue;
        }
        waivers.push(Waiver {
            rule: info.id,
            reason,
            line,
        });
    }
    waivers
}

/// Counts the words of a reason: runs of characters that contain a letter or a digit,
/// so that `- - -` or `...` count as no words.
fn reason_words(reason: &str) -> usize {
    reason
        .split_whitespace()
        .filter(|run| run.chars().any(char::is_alphanumeric))
        .count()
}

/// Finds the line index of a waiver's key within the YAML block, after `waivers:`.
fn waiver_line(lines: &[&str], from: usize, id: &str) -> Option<usize> {
    lines
        .iter()
        .enumerate()
        .skip(from + 1)
        .take_while(|(_, l)| l.trim().is_empty() || l.starts_with([' ', '\t']))
        .find(|(_, l)| {
            let trimmed = l.trim_start();
            let key = trimmed
                .split(':')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\'']);
            key == id
        })
        .map(|(i, _)| i)
}

/// Turns the findings a waiver covers into notes carrying its reason, and reports
/// waivers that covered nothing.
pub fn apply(memo: &Memo, waivers: &[Waiver], findings: &mut Vec<Finding>, options: &CheckOptions) {
    let mut unused = Vec::new();
    for waiver in waivers {
        let mut used = false;
        for finding in findings
            .iter_mut()
            .filter(|f| f.rule == waiver.rule && f.waiver.is_none())
        {
            finding.severity = Severity::Note;
            finding.waiver = Some(waiver.reason.clone());
            used = true;
        }
        let active = rule(waiver.rule)
            .and_then(|r| options.severity_of(r))
            .is_some();
        if !used && active {
            unused.push(waiver);
        }
    }
    if unused.is_empty() {
        return;
    }
    let mut sink = Sink::new(memo);
    for waiver in unused {
        sink.line(
            "unused-waiver",
            waiver.line,
            format!(
                "waiver of '{}' waives nothing: the rule finds no fault",
                waiver.rule
            ),
            Some("delete the waiver, so that a later fault is reported".to_owned()),
        );
    }
    findings.extend(sink.finish(options));
}
