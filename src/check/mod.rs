//! The rules engine behind `memo check`.
//!
//! Each rule looks at one memo against its template and reports findings with a
//! stable rule id, a severity, a span in the file, a message and a help line. A
//! finding's severity starts at its rule's default. The repository's
//! `[check.severity]` table (or the command line) may change it or turn the rule off,
//! and a waiver in the memo's own front matter may then turn it into a note.
//! `docs/check.md` has a page per rule.

pub mod analysis;
mod report;
mod rules;
pub mod stats;
mod waiver;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use report::{Summary, write_human};
pub use waiver::WAIVERS_KEY;

use crate::config::Config;
use crate::memo::{LineIndex, Memo, ParseError, ParseErrorKind};
use crate::template::{Template, TemplateError};

/// How much a finding matters. Errors fail `check` and block `memo status review`;
/// notes are findings a memo waived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem `check` found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub path: PathBuf,
    /// 1-based line of the problem's start.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// 1-based line of the span's end.
    pub end_line: usize,
    /// 1-based column just after the span's last character.
    pub end_column: usize,
    pub message: String,
    pub help: Option<String>,
    /// The reason the memo's front matter gives for waiving this finding.
    pub waiver: Option<String>,
}

/// A rule's identity and default severity.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct RuleInfo {
    pub id: &'static str,
    pub severity: Severity,
    /// The property a memo that passes the rule has.
    pub summary: &'static str,
    /// Whether a memo may waive the rule in its front matter.
    pub waivable: bool,
}

const fn rule_info(
    id: &'static str,
    severity: Severity,
    summary: &'static str,
    waivable: bool,
) -> RuleInfo {
    RuleInfo {
        id,
        severity,
        summary,
        waivable,
    }
}

/// Every rule, in the order `docs/check.md` describes them.
pub const RULES: &[RuleInfo] = &[
    rule_info(
        "front-matter",
        Severity::Error,
        "the file can be read and its front matter block parsed",
        false,
    ),
    rule_info(
        "field-type",
        Severity::Error,
        "known front matter keys have the right type",
        true,
    ),
    rule_info(
        "missing-field",
        Severity::Error,
        "every front matter key the template requires is set",
        true,
    ),
    rule_info(
        "unknown-template",
        Severity::Error,
        "the memo's template exists",
        false,
    ),
    rule_info(
        "invalid-template",
        Severity::Error,
        "the memo's template file can be read and its rules make sense",
        false,
    ),
    rule_info(
        "missing-section",
        Severity::Error,
        "every required template section is present",
        true,
    ),
    rule_info(
        "empty-section",
        Severity::Error,
        "no template section is empty",
        true,
    ),
    rule_info(
        "unfilled-prompt",
        Severity::Error,
        "no section still holds the template's writing prompt",
        true,
    ),
    rule_info(
        "placeholder",
        Severity::Error,
        "no TODO, TBD, XXX, {{...}} or heading stub is left in the text",
        true,
    ),
    rule_info(
        "section-too-short",
        Severity::Warning,
        "sections reach the template's minimum words",
        true,
    ),
    rule_info(
        "section-too-long",
        Severity::Warning,
        "sections stay within the template's maximum words",
        true,
    ),
    rule_info(
        "bullet-fragments",
        Severity::Warning,
        "sections argue in prose, not in list fragments",
        true,
    ),
    rule_info(
        "too-few-options",
        Severity::Error,
        "sections that weigh options describe enough of them",
        true,
    ),
    rule_info(
        "missing-evidence",
        Severity::Warning,
        "sections that need evidence cite some",
        true,
    ),
    rule_info(
        "over-page-budget",
        Severity::Warning,
        "the memo fits the template's page budget",
        true,
    ),
    rule_info(
        "long-read",
        Severity::Warning,
        "the memo can be read within the meeting's longest silent read",
        true,
    ),
    rule_info(
        "duplicate-number",
        Severity::Error,
        "no two memos share a number",
        true,
    ),
    rule_info(
        "broken-memo-link",
        Severity::Error,
        "supersedes, superseded_by and links to Markdown files resolve",
        true,
    ),
    rule_info(
        "one-way-link",
        Severity::Warning,
        "supersedes and superseded_by point both ways",
        true,
    ),
    rule_info(
        "conflict-marker",
        Severity::Error,
        "no git conflict markers are left in the memo",
        false,
    ),
    rule_info(
        "control-characters",
        Severity::Warning,
        "the memo holds no terminal control characters",
        true,
    ),
    rule_info(
        "invalid-waiver",
        Severity::Error,
        "every waiver names a waivable rule and gives a reason",
        false,
    ),
    rule_info(
        "unused-waiver",
        Severity::Warning,
        "every waiver waives a finding",
        false,
    ),
];

pub fn rule(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}

/// Rules whose findings are always errors, with the reason. A failure of each one
/// keeps other rules from running, so at a lower severity a memo that was never
/// checked would pass. Configuration and the command line cannot change them.
const FIXED_AT_ERROR: &[(&str, &str)] = &[
    (
        "front-matter",
        "no other rule can run on a memo whose front matter cannot be read",
    ),
    (
        "conflict-marker",
        "the section rules cannot run on a memo with git conflict markers in it",
    ),
    (
        "invalid-template",
        "the section rules cannot run on a memo whose template is invalid",
    ),
    (
        "unknown-template",
        "the section rules cannot run on a memo whose template does not exist",
    ),
];

/// Returns why a rule's findings are always errors, or `None` for a rule whose
/// severity may be changed.
pub fn fixed_at_error(id: &str) -> Option<&'static str> {
    FIXED_AT_ERROR
        .iter()
        .find(|(fixed, _)| *fixed == id)
        .map(|(_, reason)| *reason)
}

/// Returns the error for an attempt (`setting`, in the user's words) to set a rule
/// that is fixed at error to a lower severity, or `None` when the change is allowed.
pub fn severity_change_error(id: &str, severity: &str, setting: &str) -> Option<String> {
    let reason = fixed_at_error(id)?;
    (severity != "error").then(|| {
        format!("{setting} is not allowed: rule '{id}' is always an error, because {reason}")
    })
}

/// Words on one page when the repository and the template set none. A single-spaced
/// page of 11 or 12 point text with 2.5 cm margins has room for about 500 words.
pub const DEFAULT_WORDS_PER_PAGE: u32 = 500;

/// Settings that shape a check run.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// Severity overrides by rule id: `error`, `warning` or `off`.
    pub severity: BTreeMap<String, String>,
    /// Words per page for page budgets, unless the template sets its own.
    pub words_per_page: u32,
    /// Reading speed for reading times.
    pub words_per_minute: u32,
    /// Maximum silent read of a meeting, in minutes.
    pub max_read_minutes: u32,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self::from_config(&Config::default())
    }
}

impl CheckOptions {
    pub fn from_config(config: &Config) -> CheckOptions {
        CheckOptions {
            severity: config.check.severity.clone(),
            words_per_page: config
                .check
                .words_per_page
                .unwrap_or(DEFAULT_WORDS_PER_PAGE),
            words_per_minute: config.reading.words_per_minute,
            max_read_minutes: config.meeting.max_read_minutes,
        }
    }

    /// Returns the severity a rule's findings get, or `None` when it is turned off.
    /// A rule fixed at error stays an error whatever the overrides set.
    pub fn severity_of(&self, rule: &RuleInfo) -> Option<Severity> {
        if fixed_at_error(rule.id).is_some() {
            return Some(Severity::Error);
        }
        match self.severity.get(rule.id).map(String::as_str) {
            Some("off") => None,
            Some("warning") => Some(Severity::Warning),
            Some("error") => Some(Severity::Error),
            _ => Some(rule.severity),
        }
    }
}

/// The memos and files a memo's links and numbers are compared with.
pub struct Workspace<'a> {
    /// Every memo of the repository (the memo being checked may be among them).
    pub memos: &'a [Memo],
    /// Returns whether a file exists, given a path in the form memo paths have.
    pub file_exists: &'a dyn Fn(&Path) -> bool,
    /// Whether memo paths are relative to a repository root that links must not leave.
    pub in_repository: bool,
}

impl Workspace<'_> {
    /// Returns a workspace of no other memos, for checking a memo on its own.
    pub fn alone() -> Workspace<'static> {
        Workspace {
            memos: &[],
            file_exists: &|_| false,
            in_repository: false,
        }
    }
}

/// The template a memo is checked against.
#[derive(Clone, Copy, Debug)]
pub struct TemplateChoice<'a> {
    pub name: &'a str,
    /// `None` when no template has that name.
    pub template: Option<&'a Template>,
    /// The error of the template file of that name when it cannot be used.
    pub invalid: Option<&'a TemplateError>,
}

/// Checks one memo and returns its findings in file order, waivers applied.
pub fn check_memo(
    memo: &Memo,
    template: TemplateChoice<'_>,
    workspace: &Workspace<'_>,
    options: &CheckOptions,
) -> Vec<Finding> {
    let mut sink = Sink::new(memo);
    let front_matter_readable = memo.document.front_matter_error.is_none();

    rules::front_matter::check(memo, &mut sink);
    let conflicted = rules::text::conflict_markers(memo, &mut sink);
    rules::text::control_characters(memo, &mut sink);

    // The template and the waivers come from the front matter: without it, the
    // section rules would only report what a wrong template expects. A conflict
    // breaks the Markdown structure (`=======` under a line makes it a heading), so
    // the merge has to be finished before the rest can be judged.
    let mut waivers = Vec::new();
    if front_matter_readable && !conflicted {
        let analysis = analysis::analyse(memo);
        waivers = waiver::read(memo, &mut sink);
        match template.template {
            Some(t) => {
                rules::front_matter::required_fields(memo, t, &mut sink);
                rules::sections::check(memo, t, &analysis, &mut sink);
                rules::budget::pages(memo, t, &analysis, options, &mut sink);
            }
            None => match template.invalid {
                Some(error) => rules::front_matter::invalid_template(memo, error, &mut sink),
                None => rules::front_matter::unknown_template(memo, template.name, &mut sink),
            },
        }
        rules::text::placeholders(memo, &analysis, &mut sink);
        rules::budget::reading_time(memo, &analysis, options, &mut sink);
        rules::links::check(memo, &analysis, workspace, &mut sink);
    }

    let mut findings = sink.finish(options);
    waiver::apply(memo, &waivers, &mut findings, options);
    findings.sort_by_key(|f| (f.line, f.column, rule_order(f.rule)));
    findings
}

/// Returns the finding for a file that could not be decoded at all.
pub fn unreadable(error: &ParseError) -> Finding {
    let rule = match error.kind {
        ParseErrorKind::ConflictMarker { .. } | ParseErrorKind::MergeConflict { .. } => {
            "conflict-marker"
        }
        _ => "front-matter",
    };
    Finding {
        rule,
        severity: Severity::Error,
        path: error.path.clone(),
        line: error.line,
        column: error.column,
        end_line: error.line,
        end_column: error.column,
        message: error.kind.to_string(),
        help: error.hint().map(str::to_owned),
        waiver: None,
    }
}

fn rule_order(id: &str) -> usize {
    RULES.iter().position(|r| r.id == id).unwrap_or(RULES.len())
}

/// Collects the findings of one memo, turning byte ranges into lines and columns.
pub(crate) struct Sink<'m> {
    memo: &'m Memo,
    index: LineIndex,
    findings: Vec<Finding>,
}

impl<'m> Sink<'m> {
    fn new(memo: &'m Memo) -> Sink<'m> {
        Sink {
            memo,
            index: LineIndex::new(memo.text()),
            findings: Vec::new(),
        }
    }

    /// Adds a finding that spans a byte range of the memo's canonical text.
    pub fn at(
        &mut self,
        rule: &'static str,
        range: Range<usize>,
        message: String,
        help: impl Into<Option<String>>,
    ) {
        let text = self.memo.text();
        let (line, column) = self.index.position(text, range.start);
        let (end_line, end_column) = self.index.position(text, range.end.max(range.start));
        self.findings.push(Finding {
            rule,
            severity: rule_severity(rule),
            path: self.memo.path.clone(),
            line,
            column,
            end_line,
            end_column,
            message,
            help: help.into(),
            waiver: None,
        });
    }

    /// Adds a finding that spans one whole line (1-based).
    pub fn line(
        &mut self,
        rule: &'static str,
        line: usize,
        message: String,
        help: impl Into<Option<String>>,
    ) {
        let range = self.line_range(line);
        self.at(rule, range, message, help);
    }

    /// Returns the byte range of a 1-based line, without its line break.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let text = self.memo.text();
        let start = self.index.line_start(line).min(text.len());
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        start..end
    }

    pub fn line_of(&self, offset: usize) -> usize {
        self.index.line(offset)
    }

    fn finish(self, options: &CheckOptions) -> Vec<Finding> {
        self.findings
            .into_iter()
            .filter_map(|mut finding| {
                let info = rule(finding.rule)?;
                finding.severity = options.severity_of(info)?;
                Some(finding)
            })
            .collect()
    }
}

fn rule_severity(id: &str) -> Severity {
    rule(id).map_or(Severity::Error, |r| r.severity)
}

/// Applies configured severities to findings made outside [`check_memo`] and drops
/// those of rules turned off.
pub fn apply_severity(findings: Vec<Finding>, options: &CheckOptions) -> Vec<Finding> {
    findings
        .into_iter()
        .filter_map(|mut finding| {
            if let Some(info) = rule(finding.rule) {
                finding.severity = options.severity_of(info)?;
            }
            Some(finding)
        })
        .collect()
}

#[cfg(test)]
mod tests;
