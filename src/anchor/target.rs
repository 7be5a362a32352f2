//! A memo revision prepared for finding anchors in it.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;
use std::time::Duration;

use serde::Serialize;

use super::fuzzy::{self, Tokens};
use super::{Anchor, State};
use crate::memo::outline::normalize_heading;
use crate::memo::{LineIndex, Outline};

/// Quotes shorter than this many characters are only taken verbatim when their context
/// or their section confirms the place: short phrases recur all over a memo.
const SHORT_QUOTE_CHARS: usize = 16;

/// Quotes of fewer words are never matched approximately.
const MIN_FUZZY_WORDS: usize = 4;

/// The least similarity of an approximate match with no context to back it.
const FUZZY_ALONE: f64 = 0.85;

/// The least similarity of an approximate match whose context matches at least
/// [`FUZZY_CONTEXT`].
const FUZZY_WITH_CONTEXT: f64 = 0.7;
const FUZZY_CONTEXT: f64 = 0.5;

/// Words of context compared on each side of an approximate match.
const CONTEXT_WORDS: usize = 12;

/// Where a thread's passage is in the current revision.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Located {
    pub state: State,
    /// Byte range of the passage (the heading, for a section); `None` for a thread on the
    /// whole memo or an outdated one.
    pub range: Option<Range<usize>>,
    /// 1-based line of the passage's start.
    pub line: Option<usize>,
    /// The section path where the passage is now.
    pub section: Vec<String>,
}

impl Located {
    fn outdated() -> Located {
        Located {
            state: State::Outdated,
            range: None,
            line: None,
            section: Vec::new(),
        }
    }
}

/// The current revision of a memo, with what locating anchors in it needs.
pub struct Target<'t> {
    text: &'t str,
    body_offset: usize,
    blob: String,
    outline: Outline,
    lines: LineIndex,
    tokens: OnceCell<Tokens<'t>>,
    /// Maps from offsets of older revisions (by blob id) to offsets of this one.
    maps: RefCell<HashMap<String, Rc<PositionMap>>>,
}

impl<'t> Target<'t> {
    /// Prepares `text` (a memo's canonical text, its body starting at `body_offset`),
    /// stored as git blob `blob`.
    pub fn new(text: &'t str, body_offset: usize, blob: &str) -> Target<'t> {
        Target {
            text,
            body_offset,
            blob: blob.to_owned(),
            outline: Outline::parse(text, body_offset),
            lines: LineIndex::new(text),
            tokens: OnceCell::new(),
            maps: RefCell::new(HashMap::new()),
        }
    }

    pub fn text(&self) -> &'t str {
        self.text
    }

    pub fn body_offset(&self) -> usize {
        self.body_offset
    }

    pub fn blob(&self) -> &str {
        &self.blob
    }

    pub fn outline(&self) -> &Outline {
        &self.outline
    }

    /// Returns the 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.lines.line(offset)
    }

    /// Returns the headings of the section holding `offset`, outermost first.
    pub fn section_path_at(&self, offset: usize) -> Vec<String> {
        self.outline
            .section_at(offset)
            .map(|i| {
                self.outline
                    .path(i)
                    .into_iter()
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn tokens(&self) -> &Tokens<'t> {
        self.tokens.get_or_init(|| Tokens::new(self.text))
    }

    /// Finds an anchor's passage in this revision. `old_text` is the text of the
    /// revision the anchor was made on, when the repository still has it; it sharpens
    /// the expected position.
    pub fn locate(&self, anchor: &Anchor, old_text: Option<&str>) -> Located {
        match &anchor.quote {
            None if anchor.section.is_empty() => Located {
                state: State::Exact,
                range: None,
                line: None,
                section: Vec::new(),
            },
            None => match self.find_section_path(&anchor.section) {
                Some((index, exact)) => {
                    self.at_section(index, if exact { State::Exact } else { State::Moved })
                }
                None => Located::outdated(),
            },
            Some(quote) => self.locate_quote(anchor, quote, old_text),
        }
    }

    fn locate_quote(&self, anchor: &Anchor, quote: &str, old_text: Option<&str>) -> Located {
        if quote.is_empty() {
            return Located::outdated();
        }
        if anchor.blob == self.blob && self.text.get(anchor.start..anchor.end) == Some(quote) {
            return self.at_range(anchor.start..anchor.end, State::Exact);
        }
        let expected = self.expected_offset(anchor, old_text);
        let claimed = self.claimed_by_other_copies(anchor, quote, old_text);

        if let Some(range) = self.find_verbatim(anchor, quote, expected, &claimed) {
            let state = if same_path(&self.section_path_at(range.start), &anchor.section) {
                State::Exact
            } else {
                State::Moved
            };
            return self.at_range(range, state);
        }
        if let Some((range, similarity)) = self.find_approximate(anchor, quote, expected)
            && !self.is_neighbour(&range, anchor, old_text)
            && !self.is_edit_of_another_passage(&range, similarity, anchor, old_text)
        {
            return self.at_range(range, State::Fuzzy);
        }
        match self.find_section_path(&anchor.section) {
            Some((index, _)) => self.at_section(index, State::Section),
            None => Located::outdated(),
        }
    }

    fn at_range(&self, range: Range<usize>, state: State) -> Located {
        Located {
            state,
            line: Some(self.line(range.start)),
            section: self.section_path_at(range.start),
            range: Some(range),
        }
    }

    fn at_section(&self, index: usize, state: State) -> Located {
        let section = &self.outline.sections[index];
        Located {
            state,
            range: Some(section.heading_range.clone()),
            line: Some(self.line(section.heading_range.start)),
            section: self
                .outline
                .path(index)
                .into_iter()
                .map(str::to_owned)
                .collect(),
        }
    }

    /// Finds the quote verbatim in the body, choosing among occurrences by context,
    /// then by distance from `expected`.
    fn find_verbatim(
        &self,
        anchor: &Anchor,
        quote: &str,
        expected: usize,
        claimed: &[usize],
    ) -> Option<Range<usize>> {
        const MAX_OCCURRENCES: usize = 1000;
        let body = &self.text[self.body_offset..];
        let mut best: Option<(f64, usize, usize)> = None;
        let mut count = 0;
        for (at, _) in body.match_indices(quote).take(MAX_OCCURRENCES) {
            let start = self.body_offset + at;
            if claimed.contains(&start) {
                continue;
            }
            count += 1;
            let end = start + quote.len();
            let context = char_context(self.text, start, end, &anchor.prefix, &anchor.suffix);
            let distance = start.abs_diff(expected);
            let better = match best {
                None => true,
                Some((c, d, _)) => {
                    context > c + 1e-9 || ((context - c).abs() <= 1e-9 && distance < d)
                }
            };
            if better {
                best = Some((context, distance, start));
            }
        }
        let (context, _, start) = best?;
        let short = quote.trim().chars().count() < SHORT_QUOTE_CHARS;
        let confirmed = context > 0.25
            || (count == 1 && same_path(&self.section_path_at(start), &anchor.section));
        if short && !confirmed {
            return None;
        }
        Some(start..start + quote.len())
    }

    /// Finds the closest edit of the quote, or `None` when no candidate is close enough
    /// or two candidates are about as close.
    fn find_approximate(
        &self,
        anchor: &Anchor,
        quote: &str,
        expected: usize,
    ) -> Option<(Range<usize>, f64)> {
        let quote_tokens = fuzzy::tokenize(quote);
        let words: Vec<&str> = quote_tokens.iter().map(|t| &quote[t.clone()]).collect();
        if words.len() < MIN_FUZZY_WORDS {
            return None;
        }
        let tokens = self.tokens();
        let first_body_token = tokens.at_offset(self.body_offset);
        let count = tokens.tokens.len();
        let mut starts = tokens.candidate_starts(&words, 8);
        starts.push(tokens.at_offset(expected));

        let prefix = last_words(&anchor.prefix, CONTEXT_WORDS);
        let suffix = first_words(&anchor.suffix, CONTEXT_WORDS);
        let m = words.len();
        let mut found: Vec<Candidate> = Vec::new();
        for start in starts {
            let low = start.saturating_sub(m / 2 + 4).max(first_body_token);
            let high = (start + m + m / 2 + 4).min(count);
            if low >= high {
                continue;
            }
            let Some(alignment) = fuzzy::align(&words, tokens, low..high) else {
                continue;
            };
            if found.iter().any(|c| overlaps(&c.tokens, &alignment.tokens)) {
                continue;
            }
            let similarity = alignment.similarity(m);
            let before: Vec<&str> = (alignment.tokens.start.saturating_sub(CONTEXT_WORDS)
                ..alignment.tokens.start)
                .map(|i| tokens.word(i))
                .collect();
            let after: Vec<&str> = (alignment.tokens.end
                ..(alignment.tokens.end + CONTEXT_WORDS).min(count))
                .map(|i| tokens.word(i))
                .collect();
            let context = mean_context(&prefix, &before, &suffix, &after);
            let byte_start = tokens.tokens[alignment.tokens.start].start;
            let distance = byte_start.abs_diff(expected) as f64 / self.text.len().max(1) as f64;
            found.push(Candidate {
                score: similarity + 0.2 * context - 0.2 * distance,
                similarity,
                context,
                tokens: alignment.tokens,
            });
        }
        found.sort_by(|a, b| b.score.total_cmp(&a.score));
        let best = found.first()?;
        let close_enough = best.similarity >= FUZZY_ALONE
            || (best.similarity >= FUZZY_WITH_CONTEXT && best.context >= FUZZY_CONTEXT);
        if !close_enough {
            return None;
        }
        // Two passages about as close to the quote: guessing could pick the wrong one.
        let rival = found.iter().skip(1).any(|other| {
            other.similarity >= best.similarity - 0.05 && other.context >= best.context - 0.1
        });
        if rival {
            return None;
        }
        Some((
            tokens.tokens[best.tokens.start].start..tokens.tokens[best.tokens.end - 1].end,
            best.similarity,
        ))
    }

    /// Returns the offsets in this text of the quote's other copies in the old
    /// revision, on lines that are unchanged: a verbatim match there is that copy, not
    /// the commented one, whose line may be gone.
    fn claimed_by_other_copies(
        &self,
        anchor: &Anchor,
        quote: &str,
        old_text: Option<&str>,
    ) -> Vec<usize> {
        let Some(old_text) = old_text else {
            return Vec::new();
        };
        let others: Vec<usize> = old_text
            .match_indices(quote)
            .map(|(at, _)| at)
            .filter(|&at| at != anchor.start)
            .take(1000)
            .collect();
        if others.is_empty() {
            return Vec::new();
        }
        let map = self.position_map(anchor, old_text);
        others
            .into_iter()
            .filter_map(|at| {
                let mapped = map.map_unchanged(at)?;
                (self.text.get(mapped..mapped + quote.len()) == Some(quote)).then_some(mapped)
            })
            .collect()
    }

    /// Returns whether an approximate match is closer to another passage of the old
    /// revision than to the quote: then it is that passage, edited, and the commented
    /// one is gone (two list items rewritten the same way).
    fn is_edit_of_another_passage(
        &self,
        range: &Range<usize>,
        similarity: f64,
        anchor: &Anchor,
        old_text: Option<&str>,
    ) -> bool {
        let Some(old_text) = old_text else {
            return false;
        };
        let candidate = &self.text[range.clone()];
        let candidate_tokens = fuzzy::tokenize(candidate);
        let words: Vec<&str> = candidate_tokens
            .iter()
            .map(|t| &candidate[t.clone()])
            .collect();
        if words.is_empty() {
            return false;
        }
        let old_tokens = fuzzy::Tokens::new(old_text);
        let quote_tokens = old_tokens.at_offset(anchor.start)..old_tokens.at_offset(anchor.end);
        let count = old_tokens.tokens.len();
        let m = words.len();
        old_tokens
            .candidate_starts(&words, 8)
            .into_iter()
            .filter_map(|start| {
                let low = start.saturating_sub(m / 2 + 4);
                let high = (start + m + m / 2 + 4).min(count);
                fuzzy::align(&words, &old_tokens, low..high)
            })
            .filter(|alignment| !overlaps(&alignment.tokens, &quote_tokens))
            .any(|alignment| alignment.similarity(m) >= similarity)
    }

    /// Returns whether an approximate match is a passage that stood beside the quote
    /// already, not an edit of it: its text is in the recorded context, or in the old
    /// revision away from the quote. A list of near-identical items would otherwise
    /// hand a deleted item's thread to its sibling.
    fn is_neighbour(&self, range: &Range<usize>, anchor: &Anchor, old_text: Option<&str>) -> bool {
        let candidate = self.text[range.clone()].trim();
        if candidate.is_empty() {
            return true;
        }
        if anchor.prefix.contains(candidate) || anchor.suffix.contains(candidate) {
            return true;
        }
        let Some(old_text) = old_text else {
            return false;
        };
        old_text
            .match_indices(candidate)
            .any(|(at, _)| at + candidate.len() <= anchor.start || at >= anchor.end)
    }

    /// Returns where the anchor's passage would be if nothing around it moved: its old
    /// offset mapped through a line diff of the old revision, when that is known.
    fn expected_offset(&self, anchor: &Anchor, old_text: Option<&str>) -> usize {
        let Some(old_text) = old_text else {
            return anchor.start.min(self.text.len());
        };
        self.position_map(anchor, old_text)
            .map(anchor.start)
            .min(self.text.len())
    }

    /// Returns the map of positions from the anchor's revision to this text, made once
    /// per revision.
    fn position_map(&self, anchor: &Anchor, old_text: &str) -> Rc<PositionMap> {
        let mut maps = self.maps.borrow_mut();
        maps.entry(anchor.blob.clone())
            .or_insert_with(|| Rc::new(PositionMap::new(old_text, self.text)))
            .clone()
    }

    /// Finds a section by its heading path: the whole path (`true`), or else the last
    /// heading alone when exactly one section has it (`false`).
    pub fn find_section_path(&self, path: &[String]) -> Option<(usize, bool)> {
        let wanted: Vec<String> = path.iter().map(|h| normalize_heading(h)).collect();
        let last = wanted.last()?;
        let sections = &self.outline.sections;
        let whole = (0..sections.len()).find(|&i| {
            let here: Vec<String> = self
                .outline
                .path(i)
                .iter()
                .map(|h| normalize_heading(h))
                .collect();
            here == wanted
        });
        if let Some(index) = whole {
            return Some((index, true));
        }
        let mut by_heading =
            (0..sections.len()).filter(|&i| normalize_heading(&sections[i].heading) == *last);
        match (by_heading.next(), by_heading.next()) {
            (Some(index), None) => Some((index, false)),
            _ => None,
        }
    }
}

struct Candidate {
    score: f64,
    similarity: f64,
    context: f64,
    tokens: Range<usize>,
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn same_path(a: &[String], b: &[String]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| normalize_heading(x) == normalize_heading(y))
}

fn last_words(text: &str, n: usize) -> Vec<&str> {
    let tokens = fuzzy::tokenize(text);
    let skip = tokens.len().saturating_sub(n);
    tokens[skip..].iter().map(|t| &text[t.clone()]).collect()
}

fn first_words(text: &str, n: usize) -> Vec<&str> {
    fuzzy::tokenize(text)
        .into_iter()
        .take(n)
        .map(|t| &text[t])
        .collect()
}

/// Returns the mean context similarity of the sides that have recorded context.
fn mean_context(prefix: &[&str], before: &[&str], suffix: &[&str], after: &[&str]) -> f64 {
    let mut sides = Vec::new();
    if !prefix.is_empty() {
        let before_tail = &before[before.len().saturating_sub(prefix.len())..];
        sides.push(fuzzy::context_similarity(prefix, before_tail));
    }
    if !suffix.is_empty() {
        let after_head = &after[..after.len().min(suffix.len())];
        sides.push(fuzzy::context_similarity(suffix, after_head));
    }
    if sides.is_empty() {
        return 0.0;
    }
    sides.iter().sum::<f64>() / sides.len() as f64
}

/// Returns how much of the recorded context surrounds `text[start..end]`, in 0 to 1:
/// the characters it shares with the prefix (backwards from the start) and with the
/// suffix (forwards from the end), over the context's length.
fn char_context(text: &str, start: usize, end: usize, prefix: &str, suffix: &str) -> f64 {
    let before = text[..start]
        .chars()
        .rev()
        .zip(prefix.chars().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let after = text[end..]
        .chars()
        .zip(suffix.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let total = prefix.chars().count() + suffix.chars().count();
    if total == 0 {
        return 0.0;
    }
    (before + after) as f64 / total as f64
}

/// Maps byte offsets of an older revision to this one through a line diff: an offset in
/// an unchanged line moves with its line; one in a changed line goes to the start of
/// what replaced it.
struct PositionMap {
    /// (old lines, new lines, whether unchanged), in order.
    ops: Vec<(Range<usize>, Range<usize>, bool)>,
    old_lines: LineIndex,
    new_lines: LineIndex,
    new_len: usize,
}

impl PositionMap {
    fn new(old: &str, new: &str) -> PositionMap {
        let diff = similar::TextDiff::configure()
            .timeout(Duration::from_millis(200))
            .diff_lines(old, new);
        let ops = diff
            .ops()
            .iter()
            .map(|op| {
                let (tag, old_range, new_range) = op.as_tag_tuple();
                (old_range, new_range, tag == similar::DiffTag::Equal)
            })
            .collect();
        PositionMap {
            ops,
            old_lines: LineIndex::new(old),
            new_lines: LineIndex::new(new),
            new_len: new.len(),
        }
    }

    /// Maps an offset on a line that is unchanged in the new text; `None` for a line
    /// that was edited or removed.
    fn map_unchanged(&self, offset: usize) -> Option<usize> {
        let old_line = self.old_lines.line(offset) - 1;
        let column = offset - self.old_lines.line_start(old_line + 1);
        self.ops
            .iter()
            .find(|(old, _, equal)| *equal && old.contains(&old_line))
            .map(|(old, new, _)| {
                let new_line = new.start + (old_line - old.start);
                self.new_lines.line_start(new_line + 1) + column
            })
    }

    fn map(&self, offset: usize) -> usize {
        let old_line = self.old_lines.line(offset) - 1;
        let column = offset - self.old_lines.line_start(old_line + 1);
        for (old, new, equal) in &self.ops {
            if old.contains(&old_line) || (old.is_empty() && old.start == old_line) {
                if *equal {
                    let new_line = new.start + (old_line - old.start);
                    return self.new_lines.line_start(new_line + 1) + column;
                }
                return self.new_lines.line_start(new.start + 1).min(self.new_len);
            }
        }
        self.new_len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "# Plan\n\n## Summary\n\nWe move the nightly jobs to a queue. The queue keeps every job for seven days.\n\n## Risks\n\nThe queue may lose jobs when a broker fails.\n";

    fn anchor_on(text: &str, quote: &str) -> Anchor {
        let target = Target::new(text, 0, "old");
        let start = text.find(quote).expect("quote in text");
        Anchor::quote(&target, start..start + quote.len(), "memos/1.md", None)
    }

    #[test]
    fn unchanged_text_is_exact() {
        let anchor = anchor_on(OLD, "The queue keeps every job for seven days.");
        let located = Target::new(OLD, 0, "old").locate(&anchor, None);
        assert_eq!(located.state, State::Exact);
        assert_eq!(located.line, Some(5));
        assert_eq!(located.section, ["Plan", "Summary"]);
    }

    #[test]
    fn verbatim_quote_in_another_section_is_moved() {
        let anchor = anchor_on(OLD, "The queue may lose jobs when a broker fails.");
        let new = "# Plan\n\n## Summary\n\nThe queue may lose jobs when a broker fails.\n\n## Risks\n\nNone.\n";
        let located = Target::new(new, 0, "new").locate(&anchor, Some(OLD));
        assert_eq!(located.state, State::Moved);
        assert_eq!(located.line, Some(5));
    }

    #[test]
    fn edited_quote_is_fuzzy() {
        let anchor = anchor_on(OLD, "The queue keeps every job for seven days.");
        let new = OLD.replace(
            "keeps every job for seven days",
            "keeps every job for fourteen days",
        );
        let located = Target::new(&new, 0, "new").locate(&anchor, Some(OLD));
        assert_eq!(located.state, State::Fuzzy);
        let range = located.range.expect("range");
        assert_eq!(&new[range], "The queue keeps every job for fourteen days.");
    }

    #[test]
    fn rewritten_quote_falls_back_to_section() {
        let anchor = anchor_on(OLD, "The queue may lose jobs when a broker fails.");
        let new = OLD.replace(
            "The queue may lose jobs when a broker fails.",
            "Brokers replicate, so a failure costs nothing.",
        );
        let located = Target::new(&new, 0, "new").locate(&anchor, Some(OLD));
        assert_eq!(located.state, State::Section);
        assert_eq!(located.section, ["Plan", "Risks"]);
    }

    #[test]
    fn gone_section_is_outdated() {
        let anchor = anchor_on(OLD, "The queue may lose jobs when a broker fails.");
        let new = "# Plan\n\n## Summary\n\nSomething else entirely.\n";
        let located = Target::new(new, 0, "new").locate(&anchor, None);
        assert_eq!(located.state, State::Outdated);
        assert_eq!(located.line, None);
    }

    #[test]
    fn repeated_quote_follows_its_context() {
        let text = "# A\n\nFirst: we agree. Then more text here.\n\nSecond: we agree. Other words follow.\n";
        let start = text.rfind("we agree.").expect("second");
        let target = Target::new(text, 0, "old");
        let anchor = Anchor::quote(&target, start..start + 9, "m.md", None);
        let new = format!("# A\n\nIntro paragraph added.\n\n{}", &text[5..]);
        let located = Target::new(&new, 0, "new").locate(&anchor, None);
        assert_eq!(located.state, State::Exact);
        let range = located.range.expect("range");
        assert!(
            new[..range.start].ends_with("Second: "),
            "{:?}",
            &new[..range.end]
        );
    }

    #[test]
    fn similar_sibling_sentence_is_not_taken() {
        let old = "# API\n\n- The `open` method returns a handle.\n- The `close` method returns a handle.\n";
        let anchor = anchor_on(old, "The `open` method returns a handle.");
        let new = "# API\n\n- The `close` method returns a handle.\n";
        let located = Target::new(new, 0, "new").locate(&anchor, Some(old));
        assert_ne!(located.state, State::Fuzzy, "{located:?}");
    }
}
