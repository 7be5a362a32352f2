//! Anchors: where in a memo a thread is, and finding that place again after edits.
//!
//! An anchor records the memo revision it was made on (commit and blob), the section
//! heading path, the quoted text with some text before and after it (the "text quote
//! selector" of W3C Web Annotation), and the quote's byte offsets. On a later revision
//! [`Target::locate`] finds the passage again, trying in turn:
//!
//! 1. the quote verbatim: among several occurrences, the one whose surrounding text
//!    matches the recorded context best, then the one nearest the old position (mapped
//!    through a diff of the two revisions when the old one is in the repository);
//! 2. an approximate match of the quote, scored on the quote's words, its context and
//!    the distance from the old position;
//! 3. the section the quote was in.
//!
//! A passage that none of these finds is `outdated`. The thresholds lean towards
//! outdated: a thread shown on the wrong passage misleads, an outdated one still shows
//! its quote.

mod fuzzy;
mod quote;
mod target;

use std::ops::Range;

use serde::{Deserialize, Serialize};

pub use quote::{Occurrence, find_occurrences, find_section};
pub use target::{Located, Target};

/// How many characters of context an anchor keeps on each side of its quote.
pub const CONTEXT_CHARS: usize = 64;

/// Where a thread was opened, as recorded in its opening event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// The commit of the memo revision, when the file matched the checked-out commit.
    #[serde(default)]
    pub commit: Option<String>,
    /// The git blob id of the memo file the anchor was made on.
    pub blob: String,
    /// The memo file's path then, relative to the repository root; for messages only.
    #[serde(default)]
    pub path: String,
    /// Headings from the outermost section down to the one holding the passage; empty
    /// for a thread on the whole memo.
    #[serde(default)]
    pub section: Vec<String>,
    /// The quoted text; `None` for a thread on a section or on the whole memo.
    #[serde(default)]
    pub quote: Option<String>,
    /// Up to [`CONTEXT_CHARS`] characters before the quote.
    #[serde(default)]
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] characters after the quote.
    #[serde(default)]
    pub suffix: String,
    /// Byte offsets of the passage in the memo's text (UTF-8, without a byte-order
    /// mark, with LF line endings).
    #[serde(default)]
    pub start: usize,
    #[serde(default)]
    pub end: usize,
}

/// How well a thread's passage was found in the current revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// The quote is there verbatim, in the same section (or the section or memo the
    /// thread is on is there).
    Exact,
    /// The quote is there verbatim, but in another section (or the section the thread
    /// is on was found under another parent).
    Moved,
    /// The quote was edited; a close match was found.
    Fuzzy,
    /// The quote is gone, but the section it was in is there.
    Section,
    /// Neither the quote nor its section could be found.
    Outdated,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Exact => "exact",
            State::Moved => "moved",
            State::Fuzzy => "fuzzy",
            State::Section => "section",
            State::Outdated => "outdated",
        }
    }

    pub const ALL: [State; 5] = [
        State::Exact,
        State::Moved,
        State::Fuzzy,
        State::Section,
        State::Outdated,
    ];
}

impl Anchor {
    /// Makes the anchor of a passage `range` of `target`'s text.
    pub fn quote(
        target: &Target,
        range: Range<usize>,
        path: &str,
        commit: Option<String>,
    ) -> Anchor {
        let text = target.text();
        Anchor {
            commit,
            blob: target.blob().to_owned(),
            path: path.to_owned(),
            section: target.section_path_at(range.start),
            quote: Some(text[range.clone()].to_owned()),
            prefix: context_before(text, range.start),
            suffix: context_after(text, range.end),
            start: range.start,
            end: range.end,
        }
    }

    /// Makes the anchor of the section at `index` of `target`'s outline.
    pub fn section(target: &Target, index: usize, path: &str, commit: Option<String>) -> Anchor {
        let section = &target.outline().sections[index];
        Anchor {
            commit,
            blob: target.blob().to_owned(),
            path: path.to_owned(),
            section: target
                .outline()
                .path(index)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            quote: None,
            prefix: String::new(),
            suffix: String::new(),
            start: section.heading_range.start,
            end: section.heading_range.end,
        }
    }

    /// Makes the anchor of a thread on the whole memo.
    pub fn memo(target: &Target, path: &str, commit: Option<String>) -> Anchor {
        Anchor {
            commit,
            blob: target.blob().to_owned(),
            path: path.to_owned(),
            section: Vec::new(),
            quote: None,
            prefix: String::new(),
            suffix: String::new(),
            start: 0,
            end: 0,
        }
    }
}

fn context_before(text: &str, at: usize) -> String {
    let before = &text[..at];
    let start = before
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    before[start..].to_owned()
}

fn context_after(text: &str, at: usize) -> String {
    text[at..].chars().take(CONTEXT_CHARS).collect()
}
