//! The rules themselves.

use super::{Finding, Severity, rule};
use crate::memo::outline::Section;
use crate::memo::{LineIndex, Memo, text};
use crate::template::{Template, TemplateSection, normalize_words};

struct Place {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

fn place_of(memo: &Memo, range: std::ops::Range<usize>) -> Place {
    let text = memo.text();
    let index = LineIndex::new(text);
    let (line, column) = index.position(text, range.start);
    let (end_line, end_column) = index.position(text, range.end.max(range.start));
    Place {
        line,
        column,
        end_line,
        end_column,
    }
}

fn push(
    findings: &mut Vec<Finding>,
    id: &'static str,
    memo: &Memo,
    place: Place,
    message: String,
    help: Option<String>,
) {
    let severity = rule(id).map_or(Severity::Error, |r| r.severity);
    findings.push(Finding {
        rule: id,
        severity,
        path: memo.path.clone(),
        line: place.line,
        column: place.column,
        end_line: place.end_line,
        end_column: place.end_column,
        message,
        help,
    });
}

fn line_place(line: usize) -> Place {
    Place {
        line,
        column: 1,
        end_line: line,
        end_column: 1,
    }
}

pub fn front_matter(memo: &Memo, findings: &mut Vec<Finding>) {
    if let Some(error) = &memo.document.front_matter_error {
        push(
            findings,
            "front-matter",
            memo,
            Place {
                line: error.line,
                column: error.column,
                end_line: error.line,
                end_column: error.column,
            },
            error.kind.to_string(),
            error.hint().map(str::to_owned),
        );
    }
    for problem in &memo.meta.problems {
        push(
            findings,
            "field-type",
            memo,
            line_place(problem.line),
            problem.message.clone(),
            None,
        );
    }
}

pub fn unknown_template(memo: &Memo, name: &str, findings: &mut Vec<Finding>) {
    let line = memo
        .document
        .front_matter
        .as_ref()
        .and_then(|f| f.key_line("template"))
        .unwrap_or(1);
    push(
        findings,
        "unknown-template",
        memo,
        line_place(line),
        format!(
            "template '{}' is not defined, so its sections were not checked",
            crate::render::sanitize_line(name)
        ),
        Some(
            "run `memo templates` to list the templates, or add .memo/templates/NAME.md".to_owned(),
        ),
    );
}

/// Returns the memo's sections that belong to a template section.
fn matching_sections<'m>(memo: &'m Memo, section: &TemplateSection) -> Vec<&'m Section> {
    memo.outline
        .sections
        .iter()
        .filter(|s| section.matches(&s.heading))
        .collect()
}

pub fn sections(memo: &Memo, template: &Template, findings: &mut Vec<Finding>) {
    for section in &template.sections {
        let found = matching_sections(memo, section);
        let Some(found) = found.first() else {
            if section.required {
                let line = memo.document.front_matter.as_ref().map_or(1, |f| {
                    crate::memo::LineIndex::new(memo.text()).line(f.range.end.saturating_sub(1))
                });
                push(
                    findings,
                    "missing-section",
                    memo,
                    line_place(line),
                    format!("required section '{}' is missing", section.heading),
                    Some(format!(
                        "add a '{} {}' section{}",
                        "#".repeat(usize::from(section.level)),
                        section.heading,
                        if section.aliases.is_empty() {
                            String::new()
                        } else {
                            format!(" (also accepted: {})", section.aliases.join(", "))
                        }
                    )),
                );
            }
            continue;
        };

        let content = &memo.text()[found.heading_range.end..found.range.end];
        let prose = text::prose_text(content);
        let words = text::count_words(&prose);
        let heading_place = place_of(memo, found.heading_range.clone());
        if words == 0 {
            push(
                findings,
                "empty-section",
                memo,
                heading_place,
                format!("section '{}' is empty", found.heading),
                Some(format!(
                    "write the {} in full sentences, or remove the heading if the template allows it",
                    section.heading.to_lowercase()
                )),
            );
            continue;
        }

        let normalized = normalize_words(&prose);
        for sentence in section.prompt_sentences() {
            if let Some(position) = find_sentence(content, &normalized, &sentence) {
                let start = found.heading_range.end + position;
                let place = place_of(memo, start..start);
                push(
                    findings,
                    "unfilled-prompt",
                    memo,
                    place,
                    format!(
                        "section '{}' still holds the template's prompt",
                        found.heading
                    ),
                    Some("replace the prompt with your own text".to_owned()),
                );
                break;
            }
        }
    }
}

/// Finds a normalised prompt sentence in a section. Returns the byte offset in
/// `content` where the sentence's first word appears.
fn find_sentence(content: &str, normalized: &str, sentence: &str) -> Option<usize> {
    let padded = format!(" {normalized} ");
    if !padded.contains(&format!(" {sentence} ")) {
        return None;
    }
    let first_word = sentence.split(' ').next()?;
    let lower = content.to_lowercase();
    // The lower-cased text can differ in length from the original for a few scripts;
    // fall back to the section start rather than a wrong position.
    Some(
        lower
            .find(first_word)
            .filter(|_| lower.len() == content.len())
            .unwrap_or(0),
    )
}
