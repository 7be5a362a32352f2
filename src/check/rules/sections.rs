//! Rules on the template's sections: `missing-section`, `empty-section`,
//! `unfilled-prompt`, `section-too-short`, `section-too-long`, `bullet-fragments`,
//! `too-few-options` and `missing-evidence`, plus heading stubs for `placeholder`.

use crate::check::Sink;
use crate::check::analysis::{Analysis, subsections_end};
use crate::memo::Memo;
use crate::memo::outline::Section;
use crate::template::{Template, TemplateSection, normalize_words};

/// Returns the index of the memo section that stands for a template section. A
/// heading with the section's own name wins over an alias, and aliases rank in the
/// template's order; then the shallowest heading wins, then the first in the file.
pub fn find_section(memo: &Memo, analysis: &Analysis, section: &TemplateSection) -> Option<usize> {
    memo.outline
        .sections
        .iter()
        .zip(&analysis.headings)
        .enumerate()
        .filter_map(|(i, (s, name))| section.match_rank(name).map(|rank| (rank, s.level, i)))
        .min()
        .map(|(_, _, i)| i)
}

/// Returns the template section a memo section stands for, if any.
pub fn template_section_of<'t>(
    memo: &Memo,
    analysis: &Analysis,
    template: &'t Template,
    index: usize,
) -> Option<&'t TemplateSection> {
    template
        .sections
        .iter()
        .find(|t| find_section(memo, analysis, t) == Some(index))
}

pub fn check(memo: &Memo, template: &Template, analysis: &Analysis, sink: &mut Sink<'_>) {
    let found: Vec<Option<usize>> = template
        .sections
        .iter()
        .map(|s| find_section(memo, analysis, s))
        .collect();
    missing_sections(memo, template, &found, sink);

    // One heading may stand for several template sections (`Drawbacks and
    // alternatives`); it is checked once, against the strictest of their rules.
    let mut claimed: Vec<(usize, Vec<&TemplateSection>)> = Vec::new();
    for (section, index) in template.sections.iter().zip(&found) {
        let Some(index) = *index else { continue };
        match claimed.iter_mut().find(|(i, _)| *i == index) {
            Some((_, sections)) => sections.push(section),
            None => claimed.push((index, vec![section])),
        }
    }
    for (index, sections) in claimed {
        let rules = strictest(&sections);
        check_section(memo, template, &rules, index, analysis, sink);
    }
}

/// Merges the rules of template sections that one heading stands for.
fn strictest(sections: &[&TemplateSection]) -> TemplateSection {
    let mut merged = sections[0].clone();
    for other in &sections[1..] {
        merged.required |= other.required;
        merged.min_words = merged.min_words.max(other.min_words);
        merged.max_words = match (merged.max_words, other.max_words) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        merged.max_list_share = match (merged.max_list_share, other.max_list_share) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        merged.min_options = merged.min_options.max(other.min_options);
        merged.evidence |= other.evidence;
        merged.appendix &= other.appendix;
        merged.prompt = format!("{}\n\n{}", merged.prompt, other.prompt);
        merged.sentences.extend(other.sentences.iter().cloned());
    }
    merged
}

fn missing_sections(
    memo: &Memo,
    template: &Template,
    found: &[Option<usize>],
    sink: &mut Sink<'_>,
) {
    let missing: Vec<usize> = template
        .sections
        .iter()
        .enumerate()
        .filter(|(i, s)| s.required && found[*i].is_none())
        .map(|(i, _)| i)
        .collect();
    let required = template.sections.iter().filter(|s| s.required).count();
    if missing.is_empty() {
        return;
    }

    // A memo with none of the sections gets one finding, not one per section.
    if missing.len() == required && required > 1 {
        let names: Vec<String> = missing
            .iter()
            .map(|&i| format!("'{}'", template.sections[i].heading))
            .collect();
        let line = first_body_line(memo, sink);
        sink.line(
            "missing-section",
            line,
            format!(
                "none of the {} sections template '{}' requires is present: {}",
                missing.len(),
                template.name,
                names.join(", ")
            ),
            Some(format!(
                "write the memo in the template's sections (`memo new --template {}` starts from its skeleton)",
                template.name
            )),
        );
        return;
    }

    for i in missing {
        let section = &template.sections[i];
        let heading = format!(
            "{} {}",
            "#".repeat(usize::from(section.level)),
            section.heading
        );
        let also = if section.aliases.is_empty() {
            String::new()
        } else {
            format!(" (also accepted: {})", section.aliases.join(", "))
        };
        // Point at the heading of the next template section that is present, the place
        // where the missing one belongs.
        let next = found[i + 1..].iter().flatten().next();
        match next {
            Some(&next) => {
                let next_section = &memo.outline.sections[next];
                sink.at(
                    "missing-section",
                    next_section.heading_range.clone(),
                    format!("required section '{}' is missing", section.heading),
                    Some(format!(
                        "add a '{heading}' section before '{}'{also}",
                        next_section.heading
                    )),
                );
            }
            None => {
                let end = memo.text().trim_end().len();
                sink.at(
                    "missing-section",
                    end..end,
                    format!("required section '{}' is missing", section.heading),
                    Some(format!("add a '{heading}' section at the end{also}")),
                );
            }
        }
    }
}

fn first_body_line(memo: &Memo, sink: &Sink<'_>) -> usize {
    let text = memo.text();
    let body = memo.document.body_offset;
    let start = text[body..]
        .find(|c: char| !c.is_whitespace())
        .map_or(body, |i| body + i);
    sink.line_of(start.min(text.len().saturating_sub(1)))
}

fn check_section(
    memo: &Memo,
    template: &Template,
    rules: &TemplateSection,
    index: usize,
    analysis: &Analysis,
    sink: &mut Sink<'_>,
) {
    let section: &Section = &memo.outline.sections[index];
    let totals = analysis.totals(memo, index);
    let heading = section.heading_range.clone();
    let name = crate::render::sanitize_line(&section.heading).into_owned();

    if totals.words == 0 {
        let stubs: Vec<_> = analysis
            .parts_of(memo, index)
            .iter()
            .flat_map(|p| p.stubs.iter())
            .collect();
        if let Some(stub) = stubs.first() {
            let stub_text =
                crate::render::sanitize_line(memo.text()[(*stub).clone()].trim()).into_owned();
            sink.at(
                "placeholder",
                (*stub).clone(),
                format!("section '{name}' holds only the stub `{stub_text}`"),
                Some(format!(
                    "write the {} below the stub, or remove the section if the template allows it",
                    rules.heading.to_lowercase()
                )),
            );
        } else {
            sink.at(
                "empty-section",
                heading,
                format!("section '{name}' is empty"),
                Some(format!(
                    "write the {} in full sentences, or remove the heading if the template allows it",
                    rules.heading.to_lowercase()
                )),
            );
        }
        return;
    }

    if let Some(range) = prompt_left(memo, rules, index, analysis) {
        sink.at(
            "unfilled-prompt",
            range,
            format!("section '{name}' still holds the template's prompt"),
            Some("replace the prompt with your own text".to_owned()),
        );
    }

    if let Some(min) = rules.min_words
        && totals.words < min as usize
    {
        sink.at(
            "section-too-short",
            heading.clone(),
            format!(
                "section '{name}' has {} words; template '{}' asks for at least {min}",
                totals.words, template.name
            ),
            Some(format!(
                "write out the reasoning a reader needs to follow the {}",
                rules.heading.to_lowercase()
            )),
        );
    }
    if let Some(max) = rules.max_words
        && totals.words > max as usize
    {
        sink.at(
            "section-too-long",
            heading.clone(),
            format!(
                "section '{name}' has {} words; template '{}' allows at most {max}",
                totals.words, template.name
            ),
            Some("cut it to what the decision needs, or move the detail to an appendix".to_owned()),
        );
    }
    if let Some(max_share) = rules.max_list_share {
        let share = 1.0 - totals.prose_share();
        if share > max_share + f64::EPSILON {
            sink.at(
                "bullet-fragments",
                heading.clone(),
                format!(
                    "{:.0}% of section '{name}' ({} of {} words) is list fragments; template '{}' allows {:.0}%",
                    share * 100.0,
                    totals.list_words,
                    totals.words,
                    template.name,
                    max_share * 100.0
                ),
                Some(
                    "turn the bullets into paragraphs that say how the points connect (because, so, unless)"
                        .to_owned(),
                ),
            );
        }
    }
    if let Some(min) = rules.min_options {
        let count = options_counted(memo, index, analysis);
        if count < min as usize {
            sink.at(
                "too-few-options",
                heading.clone(),
                format!(
                    "section '{name}' describes {count} option{}; template '{}' asks for at least {min}",
                    if count == 1 { "" } else { "s" },
                    template.name
                ),
                Some(
                    "describe each alternative you weighed, doing nothing included, as its own sub-heading, list item or numbered paragraph"
                        .to_owned(),
                ),
            );
        }
    }
    if rules.evidence && totals.evidence.total() == 0 {
        sink.at(
            "missing-evidence",
            heading,
            format!("section '{name}' cites no evidence"),
            Some(
                "back the claims with a link, a table, a figure with its unit (40%, 120 ms), a footnote or a citation"
                    .to_owned(),
            ),
        );
    }
}

/// Counts the alternatives a section describes: its direct sub-headings, the items of
/// its own top-level lists, or its paragraphs that open with an option label,
/// whichever is most. A section with text but none of these describes one.
pub fn options_counted(memo: &Memo, index: usize, analysis: &Analysis) -> usize {
    let sections = &memo.outline.sections;
    let end = subsections_end(memo, index);
    let children = sections[index + 1..end]
        .iter()
        .filter(|s| s.parent == Some(index))
        .count();
    let own = analysis.own(index);
    let structured = children.max(own.items).max(own.labelled);
    if structured == 0 && analysis.totals(memo, index).words > 0 {
        1
    } else {
        structured
    }
}

/// Returns where a sentence of the template's prompt sits in a section, if one does.
fn prompt_left(
    memo: &Memo,
    rules: &TemplateSection,
    index: usize,
    analysis: &Analysis,
) -> Option<std::ops::Range<usize>> {
    let sentences = rules.prompt_sentences();
    if sentences.is_empty() {
        return None;
    }
    let prose: String = analysis
        .parts_of(memo, index)
        .iter()
        .map(|p| p.prose.as_str())
        .collect();
    let normalized = format!(" {} ", normalize_words(&prose));
    let section = &memo.outline.sections[index];
    let content = &memo.text()[section.heading_range.end..section.range.end];
    for sentence in sentences {
        if normalized.contains(&format!(" {sentence} ")) {
            let first_words: String = sentence.split(' ').take(3).collect::<Vec<_>>().join(" ");
            let start = find_words(content, &first_words).unwrap_or(0);
            let begin = section.heading_range.end + start;
            let line_end = memo.text()[begin..]
                .find('\n')
                .map_or(memo.text().len(), |i| begin + i);
            return Some(begin..line_end);
        }
    }
    None
}

/// Finds the byte offset of a run of normalised words in text, matching case-blind.
fn find_words(text: &str, words: &str) -> Option<usize> {
    let first = words.split(' ').next()?;
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        // Lower-casing changed byte lengths (a few scripts do); the offsets would be off.
        return None;
    }
    let mut from = 0;
    while let Some(i) = lower[from..].find(first) {
        let at = from + i;
        let window: String = lower[at..].chars().take(words.len() * 2).collect();
        if normalize_words(&window).starts_with(words) {
            return Some(at);
        }
        from = at + first.len();
    }
    lower.find(first)
}
