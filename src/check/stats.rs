//! The measurements `memo check --stats` shows: per section words, share of prose,
//! options counted and evidence found, and the memo's reading time and pages.

use serde::Serialize;

use super::CheckOptions;
use super::analysis::{self, Analysis};
use super::rules::budget::{budget_words, reading_minutes, words_per_page};
use super::rules::sections::{options_counted, template_section_of};
use crate::memo::Memo;
use crate::template::Template;

#[derive(Clone, Debug, Serialize)]
pub struct SectionStats {
    pub heading: String,
    pub level: u8,
    /// 1-based line of the heading.
    pub line: usize,
    /// The template section this heading stands for, if any.
    pub template_section: Option<String>,
    /// Words of the section and its subsections.
    pub words: usize,
    /// Share of those words written as prose rather than list fragments, 0 to 1.
    pub prose_share: f64,
    pub options: usize,
    pub evidence: EvidenceStats,
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct EvidenceStats {
    pub links: usize,
    pub tables: usize,
    pub figures: usize,
    pub footnotes: usize,
    pub citations: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct MemoStats {
    pub path: String,
    pub template: String,
    /// Words of the body, headings and code blocks left out.
    pub words: usize,
    pub reading_minutes: usize,
    pub words_per_minute: u32,
    /// Pages of the words that count against the budget (appendices left out).
    pub pages: f64,
    pub page_budget: Option<u32>,
    pub words_per_page: u32,
    pub sections: Vec<SectionStats>,
}

/// Measures a memo for `--stats`.
pub fn measure(
    memo: &Memo,
    template: Option<&Template>,
    template_name: &str,
    options: &CheckOptions,
) -> MemoStats {
    let analysis: Analysis = analysis::analyse(memo);
    let index = crate::memo::LineIndex::new(memo.text());
    let sections = memo
        .outline
        .sections
        .iter()
        .enumerate()
        .map(|(i, section)| {
            let totals = analysis.totals(memo, i);
            let e = totals.evidence;
            SectionStats {
                heading: section.heading.clone(),
                level: section.level,
                line: index.line(section.heading_range.start),
                template_section: template
                    .and_then(|t| template_section_of(memo, &analysis, t, i))
                    .map(|s| s.heading.clone()),
                words: totals.words,
                prose_share: totals.prose_share(),
                options: options_counted(memo, i, &analysis),
                evidence: EvidenceStats {
                    links: e.links,
                    tables: e.tables,
                    figures: e.figures,
                    footnotes: e.footnotes,
                    citations: e.citations,
                },
            }
        })
        .collect();
    let per_page = template.map_or(options.words_per_page, |t| words_per_page(t, options));
    let counted = template.map_or_else(|| analysis.words(), |t| budget_words(memo, t, &analysis));
    MemoStats {
        path: memo.path.to_string_lossy().replace('\\', "/"),
        template: template_name.to_owned(),
        words: analysis.words(),
        reading_minutes: reading_minutes(&analysis, options),
        words_per_minute: options.words_per_minute,
        pages: counted as f64 / f64::from(per_page.max(1)),
        page_budget: template.and_then(|t| t.pages),
        words_per_page: per_page,
        sections,
    }
}

impl EvidenceStats {
    pub fn describe(&self) -> String {
        analysis::Evidence {
            links: self.links,
            tables: self.tables,
            figures: self.figures,
            footnotes: self.footnotes,
            citations: self.citations,
        }
        .describe()
    }
}
