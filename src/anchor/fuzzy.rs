//! Approximate matching of a quote by its words.
//!
//! Text is compared as tokens (runs of letters and digits, and single punctuation
//! marks), so a reworded sentence costs one edit per changed word however long the
//! words are, and whitespace and line wrapping never count. The best place for a quote
//! is found by a semi-global edit distance (free start and end in the text) inside
//! windows that the quote's rarer words vote for.

use std::collections::HashMap;
use std::ops::Range;

/// A token's byte range in its text.
pub type Token = Range<usize>;

/// Splits `text` into tokens: each run of alphanumeric characters (and `_`) is one, each
/// other character that is not whitespace is one.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() || c == '_' {
            word.get_or_insert(i);
            continue;
        }
        if let Some(start) = word.take() {
            tokens.push(start..i);
        }
        if !c.is_whitespace() {
            tokens.push(i..i + c.len_utf8());
        }
    }
    if let Some(start) = word {
        tokens.push(start..text.len());
    }
    tokens
}

/// The tokens of a text with an index from each token's text to its positions.
pub struct Tokens<'t> {
    pub text: &'t str,
    pub tokens: Vec<Token>,
    index: HashMap<&'t str, Vec<usize>>,
}

impl<'t> Tokens<'t> {
    pub fn new(text: &'t str) -> Tokens<'t> {
        let tokens = tokenize(text);
        let mut index: HashMap<&str, Vec<usize>> = HashMap::with_capacity(tokens.len() / 4);
        for (i, token) in tokens.iter().enumerate() {
            index.entry(&text[token.clone()]).or_default().push(i);
        }
        Tokens {
            text,
            tokens,
            index,
        }
    }

    pub fn word(&self, i: usize) -> &'t str {
        &self.text[self.tokens[i].clone()]
    }

    /// Returns the index of the first token that starts at or after byte `offset`.
    pub fn at_offset(&self, offset: usize) -> usize {
        self.tokens.partition_point(|t| t.start < offset)
    }

    /// Returns token positions where a quote of `words` may start, the likeliest first:
    /// each occurrence of one of the quote's words in the text votes for the start it
    /// implies, and nearby starts share their votes.
    pub fn candidate_starts(&self, words: &[&str], limit: usize) -> Vec<usize> {
        // Words that occur very often (articles, commas) say little about where a
        // passage is and would cost many votes.
        const MAX_OCCURRENCES: usize = 64;
        let bucket = (words.len() / 4).max(4);
        let mut votes: HashMap<usize, usize> = HashMap::new();
        for (i, word) in words.iter().enumerate() {
            let Some(positions) = self.index.get(word) else {
                continue;
            };
            if positions.len() > MAX_OCCURRENCES {
                continue;
            }
            for &position in positions {
                let start = position.saturating_sub(i);
                *votes.entry(start / bucket).or_default() += 1;
            }
        }
        let mut ranked: Vec<(usize, usize)> = votes.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let needed = (words.len() / 5).max(2);
        ranked
            .into_iter()
            .filter(|(_, count)| *count >= needed)
            .take(limit)
            .map(|(b, _)| b * bucket)
            .collect()
    }
}

/// The best approximate place of a quote inside a window of text tokens.
#[derive(Clone, Debug, PartialEq)]
pub struct Alignment {
    /// Token range in the text.
    pub tokens: Range<usize>,
    /// Edits (substituted, inserted or deleted words) between the quote and the range.
    pub edits: usize,
}

impl Alignment {
    /// Returns the similarity in 0 to 1: one minus edits per word of the longer side.
    pub fn similarity(&self, quote_len: usize) -> f64 {
        let longer = quote_len.max(self.tokens.len()).max(1);
        1.0 - self.edits as f64 / longer as f64
    }
}

/// Aligns `quote` against `text[window]` with a free start and end in the text, and
/// returns the range of least edits (the earliest among equals).
pub fn align(quote: &[&str], text: &Tokens<'_>, window: Range<usize>) -> Option<Alignment> {
    let words: Vec<&str> = window.clone().map(|i| text.word(i)).collect();
    let width = words.len();
    if quote.is_empty() || width == 0 {
        return None;
    }
    // cost[j] and start[j]: least edits aligning the quote so far and ending before text
    // word j, and where that alignment started.
    let mut cost: Vec<usize> = vec![0; width + 1];
    let mut start: Vec<usize> = (0..=width).collect();
    let mut next_cost = vec![0; width + 1];
    let mut next_start = vec![0; width + 1];
    for (i, q) in quote.iter().enumerate() {
        next_cost[0] = i + 1;
        next_start[0] = 0;
        for j in 1..=width {
            let substitute = cost[j - 1] + usize::from(*q != words[j - 1]);
            let skip_quote_word = cost[j] + 1;
            let skip_text_word = next_cost[j - 1] + 1;
            if substitute <= skip_quote_word && substitute <= skip_text_word {
                next_cost[j] = substitute;
                next_start[j] = start[j - 1];
            } else if skip_quote_word <= skip_text_word {
                next_cost[j] = skip_quote_word;
                next_start[j] = start[j];
            } else {
                next_cost[j] = skip_text_word;
                next_start[j] = next_start[j - 1];
            }
        }
        std::mem::swap(&mut cost, &mut next_cost);
        std::mem::swap(&mut start, &mut next_start);
    }
    let (end, edits) = cost
        .iter()
        .enumerate()
        .skip(1)
        .min_by_key(|(j, c)| (**c, *j))
        .map(|(j, c)| (j, *c))?;
    let mut begin = start[end];
    let mut end = end;
    // A text word at either edge that matches no quote word costs no more than leaving
    // the quote word out. So the passage starts and ends on words of the quote, never on
    // the last word of a heading above it.
    while begin < end && !quote.contains(&words[begin]) {
        begin += 1;
    }
    while end > begin && !quote.contains(&words[end - 1]) {
        end -= 1;
    }
    if begin >= end {
        return None;
    }
    Some(Alignment {
        tokens: window.start + begin..window.start + end,
        edits,
    })
}

/// Returns how much of `expected` (words of recorded context) the `actual` words
/// repeat, in 0 to 1, as their longest common subsequence over the expected length.
pub fn context_similarity(expected: &[&str], actual: &[&str]) -> f64 {
    if expected.is_empty() {
        return 0.0;
    }
    let mut row = vec![0usize; actual.len() + 1];
    for e in expected {
        let mut diagonal = 0;
        for (j, a) in actual.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if e == a {
                diagonal + 1
            } else {
                row[j + 1].max(row[j])
            };
            diagonal = above;
        }
    }
    row[actual.len()] as f64 / expected.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).into_iter().map(|t| &text[t]).collect()
    }

    #[test]
    fn tokens_split_words_and_marks() {
        assert_eq!(
            words("Use `foo_bar`, not x."),
            ["Use", "`", "foo_bar", "`", ",", "not", "x", "."]
        );
    }

    #[test]
    fn alignment_finds_edited_sentence() {
        let text = "First sentence here. The cache holds entries for one hour. Last one.";
        let tokens = Tokens::new(text);
        let quote = words("The cache keeps entries for an hour.");
        let found = align(&quote, &tokens, 0..tokens.tokens.len()).expect("aligned");
        let span = tokens.tokens[found.tokens.start].start..tokens.tokens[found.tokens.end - 1].end;
        assert_eq!(&text[span], "The cache holds entries for one hour.");
        assert_eq!(found.edits, 2);
    }

    #[test]
    fn context_similarity_counts_common_words() {
        assert_eq!(
            context_similarity(&["a", "b", "c", "d"], &["a", "x", "c", "d"]),
            0.75
        );
        assert_eq!(context_similarity(&[], &["a"]), 0.0);
    }
}
