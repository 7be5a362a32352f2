//! Search in the memo: matches over the rendered lines' text, case-insensitive.

use std::ops::Range;

use regex::{Regex, RegexBuilder};

use super::ReaderState;

impl ReaderState {
    fn find_regex(&self) -> Option<Regex> {
        if self.find.query.is_empty() {
            return None;
        }
        RegexBuilder::new(&regex::escape(&self.find.query))
            .case_insensitive(true)
            .build()
            .ok()
    }

    pub(super) fn run_find(&mut self) {
        let Some(regex) = self.find_regex() else {
            self.find.matches.clear();
            self.find.current = None;
            return;
        };
        self.find.matches = self
            .plain
            .iter()
            .enumerate()
            .flat_map(|(line, text)| regex.find_iter(text).map(move |m| (line, m.range())))
            .collect();
        self.find.current = None;
    }

    /// Moves to the next match after the cursor, or the first from the cursor on when
    /// `here` is set; wraps around the end.
    pub(super) fn next_match(&mut self, here: bool) {
        let matches = &self.find.matches;
        if matches.is_empty() {
            return;
        }
        let after = |(line, _): &(usize, Range<usize>)| {
            if here {
                *line >= self.cursor
            } else {
                *line > self.cursor
            }
        };
        let index = matches.iter().position(after).unwrap_or(0);
        self.find.current = Some(index);
        let line = self.find.matches[index].0;
        self.jump_to(line);
    }

    pub(super) fn previous_match(&mut self) {
        let matches = &self.find.matches;
        if matches.is_empty() {
            return;
        }
        let index = matches
            .iter()
            .rposition(|(line, _)| *line < self.cursor)
            .unwrap_or(matches.len() - 1);
        self.find.current = Some(index);
        let line = self.find.matches[index].0;
        self.jump_to(line);
    }
}
