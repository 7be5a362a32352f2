//! Human output of findings, in the style of compiler diagnostics.

use std::io::{self, Write};

use anstyle::{AnsiColor, Effects, Style};

use super::{Finding, Severity};
use crate::render::sanitize_line;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub memos_checked: usize,
    pub memos_with_findings: usize,
}

impl Summary {
    pub fn add(&mut self, findings: &[Finding]) {
        self.memos_checked += 1;
        if !findings.is_empty() {
            self.memos_with_findings += 1;
        }
        for finding in findings {
            match finding.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Writes findings with the source line they point at, then a summary line.
pub fn write_human(
    out: &mut dyn Write,
    findings: &[(Finding, Option<String>)],
    summary: &Summary,
) -> io::Result<()> {
    let bold = Style::new().effects(Effects::BOLD);
    let blue = Style::new()
        .fg_color(Some(AnsiColor::Blue.into()))
        .effects(Effects::BOLD);
    for (finding, source_line) in findings {
        let color = match finding.severity {
            Severity::Error => AnsiColor::Red,
            Severity::Warning => AnsiColor::Yellow,
        };
        let level = Style::new()
            .fg_color(Some(color.into()))
            .effects(Effects::BOLD);
        writeln!(
            out,
            "{level}{}[{}]{level:#}{bold}: {}{bold:#}",
            finding.severity.as_str(),
            finding.rule,
            sanitize_line(&finding.message)
        )?;
        let number = finding.line.to_string();
        let gutter = " ".repeat(number.len());
        writeln!(
            out,
            "{gutter}{blue}-->{blue:#} {}:{}:{}",
            sanitize_line(&finding.path.to_string_lossy()),
            finding.line,
            finding.column
        )?;
        if let Some(line) = source_line {
            let line = sanitize_line(line);
            writeln!(out, "{gutter} {blue}|{blue:#}")?;
            writeln!(out, "{blue}{number} |{blue:#} {line}")?;
            let start = finding.column.saturating_sub(1);
            let width = if finding.end_line == finding.line && finding.end_column > finding.column {
                finding.end_column - finding.column
            } else {
                1
            };
            let prefix: String = line
                .chars()
                .take(start)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(
                out,
                "{gutter} {blue}|{blue:#} {prefix}{level}{}{level:#}",
                "^".repeat(width.min(200))
            )?;
        }
        if let Some(help) = &finding.help {
            writeln!(
                out,
                "{gutter} {blue}={blue:#} {bold}help{bold:#}: {}",
                sanitize_line(help)
            )?;
        }
        writeln!(out)?;
    }
    let status = if summary.errors > 0 {
        Style::new()
            .fg_color(Some(AnsiColor::Red.into()))
            .effects(Effects::BOLD)
    } else if summary.warnings > 0 {
        Style::new()
            .fg_color(Some(AnsiColor::Yellow.into()))
            .effects(Effects::BOLD)
    } else {
        Style::new()
            .fg_color(Some(AnsiColor::Green.into()))
            .effects(Effects::BOLD)
    };
    writeln!(
        out,
        "{status}{}, {}{status:#} in {} of {} checked",
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.memos_with_findings, "memo"),
        summary.memos_checked,
    )
}
