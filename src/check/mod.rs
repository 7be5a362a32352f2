//! The rules engine behind `memo check`.
//!
//! Each rule looks at one memo against its template and reports findings with a rule
//! id, a severity, a place in the file, a message and a help line. Severities come
//! from the rule's default, then the repository's `[check.severity]` table.

mod report;
mod rules;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

pub use report::{Summary, write_human};

use crate::memo::Memo;
use crate::template::Template;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
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
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    pub help: Option<String>,
}

/// A rule's identity and default severity.
#[derive(Clone, Copy, Debug)]
pub struct RuleInfo {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

/// Every rule, in the order `check` runs them.
pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        id: "front-matter",
        severity: Severity::Error,
        summary: "the front matter block can be read",
    },
    RuleInfo {
        id: "field-type",
        severity: Severity::Error,
        summary: "known front matter keys have the right type",
    },
    RuleInfo {
        id: "unknown-template",
        severity: Severity::Warning,
        summary: "the memo's template exists",
    },
    RuleInfo {
        id: "missing-section",
        severity: Severity::Error,
        summary: "every required template section is present",
    },
    RuleInfo {
        id: "empty-section",
        severity: Severity::Error,
        summary: "no template section is empty",
    },
    RuleInfo {
        id: "unfilled-prompt",
        severity: Severity::Error,
        summary: "no section still holds the template's writing prompt",
    },
    RuleInfo {
        id: "duplicate-number",
        severity: Severity::Error,
        summary: "no two memos share a number",
    },
];

pub fn rule(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}

/// Settings that shape a check run.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// Severity overrides by rule id: `error`, `warning` or `off`.
    pub severity: BTreeMap<String, String>,
}

/// Checks one memo against its template (`None` when the template is unknown).
pub fn check_memo(
    memo: &Memo,
    template: Option<&Template>,
    template_name: &str,
    options: &CheckOptions,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    rules::front_matter(memo, &mut findings);
    match template {
        Some(template) => rules::sections(memo, template, &mut findings),
        None => rules::unknown_template(memo, template_name, &mut findings),
    }
    apply_severity(findings, options)
}

/// Applies the configured severities and drops findings of rules turned off.
pub fn apply_severity(findings: Vec<Finding>, options: &CheckOptions) -> Vec<Finding> {
    findings
        .into_iter()
        .filter_map(|mut finding| {
            match options.severity.get(finding.rule).map(String::as_str) {
                Some("off") => return None,
                Some("warning") => finding.severity = Severity::Warning,
                Some("error") => finding.severity = Severity::Error,
                _ => {}
            }
            Some(finding)
        })
        .collect()
}
