//! Rules on the memo's length: `over-page-budget` and `long-read`.

use crate::check::analysis::{Analysis, subsections_end};
use crate::check::rules::sections::template_section_of;
use crate::check::{CheckOptions, Sink};
use crate::memo::Memo;
use crate::template::Template;

/// Returns the sections whose own text counts against the page budget: all but the
/// sections the template marks as appendix, with their subsections.
fn budget_sections(memo: &Memo, template: &Template, analysis: &Analysis) -> Vec<usize> {
    let sections = &memo.outline.sections;
    let mut counted = Vec::with_capacity(sections.len());
    let mut index = 0;
    while index < sections.len() {
        if template_section_of(memo, analysis, template, index).is_some_and(|s| s.appendix) {
            index = subsections_end(memo, index);
        } else {
            counted.push(index);
            index += 1;
        }
    }
    counted
}

/// Counts the words of a memo that count against its page budget: the body without
/// the sections the template marks as appendix.
pub fn budget_words(memo: &Memo, template: &Template, analysis: &Analysis) -> usize {
    analysis.preamble().words
        + budget_sections(memo, template, analysis)
            .into_iter()
            .map(|i| analysis.own(i).words)
            .sum::<usize>()
}

/// Returns the words per page for a template: its own setting, else the repository's.
pub fn words_per_page(template: &Template, options: &CheckOptions) -> u32 {
    template
        .words_per_page
        .unwrap_or(options.words_per_page)
        .max(1)
}

pub fn pages(
    memo: &Memo,
    template: &Template,
    analysis: &Analysis,
    options: &CheckOptions,
    sink: &mut Sink<'_>,
) {
    let Some(budget) = template.pages else {
        return;
    };
    let per_page = words_per_page(template, options) as usize;
    let words = budget_words(memo, template, analysis);
    let allowed = budget as usize * per_page;
    if words <= allowed {
        return;
    }

    // Point at the section in which the last allowed page ends.
    let mut counted = analysis.preamble().words;
    let mut place = None;
    for index in budget_sections(memo, template, analysis) {
        counted += analysis.own(index).words;
        if counted > allowed {
            place = Some(memo.outline.sections[index].heading_range.clone());
            break;
        }
    }
    let range = place.unwrap_or_else(|| sink.line_range(1));
    sink.at(
        "over-page-budget",
        range,
        format!(
            "the memo runs to {:.1} pages ({words} words); template '{}' allows {budget} at {per_page} words a page, and the budget runs out in this section",
            words as f64 / per_page as f64,
            template.name
        ),
        Some(format!(
            "cut {} words, or move supporting detail to an appendix section",
            words - allowed
        )),
    );
}

/// Returns the reading time of a memo's body in whole minutes, rounded up.
pub fn reading_minutes(analysis: &Analysis, options: &CheckOptions) -> usize {
    analysis
        .words()
        .div_ceil(options.words_per_minute.max(1) as usize)
        .max(1)
}

pub fn reading_time(memo: &Memo, analysis: &Analysis, options: &CheckOptions, sink: &mut Sink<'_>) {
    let minutes = reading_minutes(analysis, options);
    let limit = options.max_read_minutes as usize;
    if limit == 0 || minutes <= limit {
        return;
    }
    let range = match memo.outline.sections.first() {
        Some(section) => section.heading_range.clone(),
        None => sink.line_range(1),
    };
    sink.at(
        "long-read",
        range,
        format!(
            "the memo takes {minutes} minutes to read at {} words a minute; a meeting's silent read lasts at most {limit}",
            options.words_per_minute
        ),
        Some(format!(
            "cut it to about {} words, or split it into memos that can be decided one at a time",
            limit * options.words_per_minute as usize
        )),
    );
}
