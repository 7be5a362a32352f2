//! Human output of findings in the style of rustc diagnostics, drawn by
//! annotate-snippets: `error[rule]: message`, the `--> path:line:column` place, the
//! source lines with the span underlined, a `help:` line, and a summary at the end.
//!
//! The output is always styled; the caller writes it through an `anstream` stream,
//! which drops the colours when they are off (`NO_COLOR`, `--color never`, a pipe).
//! Every piece of memo text is sanitised first, so a memo cannot act on the terminal.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anstyle::{AnsiColor, Effects, Style};

use super::{Finding, Severity};
use crate::render::sanitize_line;

/// Counts of one check run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    /// Findings the memos waived.
    pub waived: usize,
    pub memos_checked: usize,
    /// Memos with at least one error or warning.
    pub memos_with_findings: usize,
}

impl Summary {
    /// Counts the findings of one memo.
    pub fn add(&mut self, findings: &[Finding]) {
        self.memos_checked += 1;
        if findings.iter().any(|f| f.severity > Severity::Note) {
            self.memos_with_findings += 1;
        }
        for finding in findings {
            match finding.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Note => self.waived += 1,
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

/// A finding and the source lines its span covers (`None` when they could not be read).
pub type Located = (Finding, Option<String>);

/// The maximum number of findings of one rule in one file that the human output shows.
/// One line counts the rest, and `--json` and the summary line count every finding.
pub const MAX_SHOWN_PER_RULE_AND_FILE: usize = 20;

/// Writes findings with the source they point at, then a summary line. Of each rule's
/// findings in one file the first [`MAX_SHOWN_PER_RULE_AND_FILE`] are shown, and one
/// line after that file's findings counts the others.
pub fn write_human(out: &mut dyn Write, findings: &[Located], summary: &Summary) -> io::Result<()> {
    let renderer = Renderer::styled();
    // Findings of one file come together, so the counts restart with each file.
    let mut rule_counts: Vec<(&'static str, usize)> = Vec::new();
    for (index, (finding, source)) in findings.iter().enumerate() {
        let position = rule_counts
            .iter()
            .position(|(rule, _)| *rule == finding.rule)
            .unwrap_or_else(|| {
                rule_counts.push((finding.rule, 0));
                rule_counts.len() - 1
            });
        rule_counts[position].1 += 1;
        if rule_counts[position].1 <= MAX_SHOWN_PER_RULE_AND_FILE {
            write_finding(out, &renderer, finding, source.as_deref())?;
        }
        let file_ends = findings
            .get(index + 1)
            .is_none_or(|(next, _)| next.path != finding.path);
        if file_ends {
            write_hidden_counts(out, &finding.path, &rule_counts)?;
            rule_counts.clear();
        }
    }
    write_summary(out, summary)
}

/// Writes one line per rule whose findings in `path` were not all shown.
fn write_hidden_counts(
    out: &mut dyn Write,
    path: &std::path::Path,
    rule_counts: &[(&'static str, usize)],
) -> io::Result<()> {
    for (rule, count) in rule_counts {
        if let Some(hidden) = count
            .checked_sub(MAX_SHOWN_PER_RULE_AND_FILE)
            .filter(|n| *n > 0)
        {
            writeln!(
                out,
                "... and {hidden} more [{rule}] finding{} in {} (`--json` lists every finding)\n",
                if hidden == 1 { "" } else { "s" },
                sanitize_line(&path.to_string_lossy())
            )?;
        }
    }
    Ok(())
}

fn write_finding(
    out: &mut dyn Write,
    renderer: &Renderer,
    finding: &Finding,
    source: Option<&str>,
) -> io::Result<()> {
    let snippet = match (source, &finding.waiver) {
        (Some(source), None) => Some(snippet(source, finding)),
        _ => None,
    };
    let rendered = renderer.render(&[group(finding, snippet.as_ref())]);
    // The place line comes from the finding, because the snippet's lines may be
    // cut and its control characters show as wider stand-ins. It goes where rustc
    // puts it, under the title, indented like the line numbers.
    let gutter = match &snippet {
        Some((text, _)) => (finding.line + text.matches('\n').count())
            .to_string()
            .len(),
        None => 0,
    };
    let style = annotate_snippets::renderer::DEFAULT_LINE_NUM_STYLE;
    let (title, rest) = rendered.split_once('\n').unwrap_or((&rendered, ""));
    writeln!(
        out,
        "{title}\n{}{style}-->{style:#} {}:{}:{}\n{rest}\n",
        " ".repeat(gutter),
        sanitize_line(&finding.path.to_string_lossy()),
        finding.line,
        finding.column
    )?;
    Ok(())
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    }
}

fn group<'a>(
    finding: &'a Finding,
    snippet: Option<&'a (String, std::ops::Range<usize>)>,
) -> Group<'a> {
    let title = match &finding.waiver {
        Some(reason) => format!("waived: {}", sanitize_line(reason)),
        None => sanitize_line(&finding.message).into_owned(),
    };
    let mut group = Group::with_title(
        level(finding.severity)
            .primary_title(title)
            .id(finding.rule),
    );
    if let Some((text, span)) = snippet {
        group = group.element(
            Snippet::source(text.as_str())
                .line_start(finding.line)
                .fold(true)
                .annotation(AnnotationKind::Primary.span(span.clone())),
        );
    }
    if finding.waiver.is_some() {
        group = group.element(Level::NOTE.message(sanitize_line(&finding.message).into_owned()));
    } else if let Some(help) = &finding.help {
        group = group.element(Level::HELP.message(sanitize_line(help).into_owned()));
    }
    group
}

/// Characters of a source line shown before and after the start of the span.
const MAX_LINE_HEAD: usize = 80;
const MAX_LINE_TAIL: usize = 160;

/// Sanitises the source lines of a finding and returns them with the byte span of the
/// finding in the sanitised text.
fn snippet(source: &str, finding: &Finding) -> (String, std::ops::Range<usize>) {
    let mut text = String::with_capacity(source.len());
    let mut start = None;
    let mut end = None;
    for (index, line) in source.split('\n').enumerate() {
        let number = finding.line + index;
        if index > 0 {
            text.push('\n');
        }
        // Long lines are cut a little after the span, so that a megabyte-long paragraph
        // does not have to be measured and drawn.
        let (skip, keep) = if number == finding.line {
            let skip = finding.column.saturating_sub(MAX_LINE_HEAD);
            (skip, finding.column + MAX_LINE_TAIL)
        } else {
            (0, MAX_LINE_TAIL)
        };
        if skip > 0 {
            text.push('…');
        }
        for (column, c) in line.chars().enumerate().skip(skip) {
            if column >= keep {
                text.push('…');
                break;
            }
            if number == finding.line && column + 1 == finding.column {
                start = Some(text.len());
            }
            if number == finding.end_line && column + 1 == finding.end_column {
                end = Some(text.len());
            }
            let mut buffer = [0; 4];
            text.push_str(&sanitize_line(c.encode_utf8(&mut buffer)));
        }
        if number == finding.line && start.is_none() {
            start = Some(text.len());
        }
        if number == finding.end_line && end.is_none() {
            end = Some(text.len());
        }
    }
    let start = start.unwrap_or(0);
    let end = end.unwrap_or(text.len()).max(start);
    (text, start..end)
}

fn write_summary(out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
    let color = if summary.errors > 0 {
        AnsiColor::Red
    } else if summary.warnings > 0 {
        AnsiColor::Yellow
    } else {
        AnsiColor::Green
    };
    let status = Style::new()
        .fg_color(Some(color.into()))
        .effects(Effects::BOLD);
    let waived = if summary.waived > 0 {
        format!(", {} waived", summary.waived)
    } else {
        String::new()
    };
    writeln!(
        out,
        "{status}{}, {}{waived}{status:#} in {} of {} checked",
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.memos_with_findings, "memo"),
        summary.memos_checked,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(line: usize, column: usize, end_line: usize, end_column: usize) -> Finding {
        Finding {
            rule: "placeholder",
            severity: Severity::Error,
            path: "memos/0001-x.md".into(),
            line,
            column,
            end_line,
            end_column,
            message: "placeholder `TBD` left in the text".into(),
            help: Some("replace it".into()),
            waiver: None,
        }
    }

    fn render(finding: &Finding, source: &str) -> String {
        let mut out = Vec::new();
        write_human(
            &mut out,
            &[(finding.clone(), Some(source.to_owned()))],
            &Summary::default(),
        )
        .expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        anstream::adapter::strip_str(&text).to_string()
    }

    #[test]
    fn rustc_like_layout() {
        let text = render(&finding(12, 5, 12, 8), "The TBD part.");
        assert!(
            text.contains("error[placeholder]: placeholder `TBD` left in the text"),
            "{text}"
        );
        assert!(text.contains("--> memos/0001-x.md:12:5"), "{text}");
        assert!(text.contains("12 | The TBD part."), "{text}");
        assert!(text.contains("|     ^^^"), "{text}");
        assert!(text.contains("= help: replace it"), "{text}");
    }

    #[test]
    fn source_control_characters_sanitised() {
        let text = render(&finding(3, 8, 3, 11), "a\u{1b}[2J b TBD");
        assert!(!text.contains('\u{1b}'), "{text:?}");
        assert!(text.contains("a␛[2J b TBD"), "{text}");
    }
}
