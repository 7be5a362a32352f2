//! How much of a memo a reader has read, measured by what was on screen and for how
//! long.
//!
//! The memo is cut into parts: the text before the first heading, then each section's
//! own text (its heading up to the next heading of any level). A part counts as read
//! once both hold:
//!
//! - it was on screen for its dwell time: half the time its words take at
//!   `reading.words_per_minute`, so reading at twice that speed still counts;
//! - its last line has been on screen, so a long section needs scrolling to its end.
//!
//! Dwell time is the reader's active time (see [`super::progress`]), and it goes to the
//! parts on screen in document order: the first unread part takes what it still needs,
//! then the next. So a screen that shows the whole memo does not count the whole memo
//! read at once: it takes as long as reading every part in turn. The share read is the
//! share of the memo's words in parts read, and the furthest section is the last read
//! part in document order.

use crate::memo::Memo;
use crate::memo::text::{count_words, prose_text};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Part {
    words: usize,
    /// Dwell time the part needs, in milliseconds.
    needed_millis: i64,
    dwelt_millis: i64,
    end_seen: bool,
    read: bool,
}

/// The parts of a memo a reader has read. Part 0 is the text before the first
/// heading; part `i + 1` is section `i` of the memo's outline.
#[derive(Clone, Debug)]
pub struct ReadingMeter {
    parts: Vec<Part>,
    total_words: usize,
}

impl ReadingMeter {
    /// Cuts `memo` into parts, with dwell times at `words_per_minute`.
    pub fn new(memo: &Memo, words_per_minute: u32) -> ReadingMeter {
        let text = memo.text();
        let sections = &memo.outline.sections;
        let body_start = memo.document.body_offset.min(text.len());
        let first_heading = sections
            .first()
            .map_or(text.len(), |s| s.heading_range.start);
        let mut slices = vec![text.get(body_start..first_heading).unwrap_or("")];
        for section in sections {
            slices.push(
                text.get(section.heading_range.start..section.own_range.end)
                    .unwrap_or(""),
            );
        }

        // Half the reading time: 60,000 ms per minute, divided by twice the speed.
        let millis_per_word = 30_000 / i64::from(words_per_minute.max(1));
        let parts: Vec<Part> = slices
            .into_iter()
            .map(|slice| {
                let words = count_words(&prose_text(slice));
                Part {
                    words,
                    needed_millis: i64::try_from(words)
                        .unwrap_or(i64::MAX)
                        .saturating_mul(millis_per_word),
                    ..Part::default()
                }
            })
            .collect();
        let total_words = parts.iter().map(|p| p.words).sum();
        ReadingMeter { parts, total_words }
    }

    /// Counts the sections up to and including outline section `section` as read,
    /// for a reader whose log already records that furthest section (after a restart).
    pub fn restore(&mut self, section: usize) {
        let last = (section + 1).min(self.parts.len().saturating_sub(1));
        for part in &mut self.parts[..=last] {
            part.dwelt_millis = part.needed_millis;
            part.end_seen = true;
            part.read = true;
        }
    }

    /// Credits `active_millis` of reading time to the parts on screen. `on_screen`
    /// lists them in document order, each with whether its last line is on screen.
    pub fn observe(&mut self, on_screen: &[(usize, bool)], active_millis: i64) {
        let mut left = active_millis.max(0);
        for &(index, end_shown) in on_screen {
            let Some(part) = self.parts.get_mut(index) else {
                continue;
            };
            part.end_seen |= end_shown;
            if part.read {
                continue;
            }
            let take = (part.needed_millis - part.dwelt_millis).clamp(0, left);
            part.dwelt_millis += take;
            left -= take;
            part.read = part.dwelt_millis >= part.needed_millis && part.end_seen;
        }
    }

    /// Returns the share of the memo's words in parts read, in per cent.
    pub fn percent(&self) -> u8 {
        let read: usize = self.parts.iter().filter(|p| p.read).map(|p| p.words).sum();
        if self.total_words == 0 {
            return if self.parts.iter().all(|p| p.read) {
                100
            } else {
                0
            };
        }
        u8::try_from(read * 100 / self.total_words).unwrap_or(100)
    }

    /// Returns the outline index of the last section read, in document order.
    pub fn furthest_section(&self) -> Option<usize> {
        self.parts
            .iter()
            .rposition(|p| p.read)
            .and_then(|index| index.checked_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A memo of a 20-word introduction and three sections of 40, 100 and 0 words.
    fn memo() -> Memo {
        let words = |n: usize| "word ".repeat(n);
        let text = format!(
            "---\ntitle: T\n---\n\n{}\n\n## A\n\n{}\n\n## B\n\n{}\n\n## C\n",
            words(20),
            words(39),
            words(99)
        );
        Memo::parse("m.md", text.as_bytes()).expect("memo")
    }

    #[test]
    fn parts_need_half_their_reading_time() {
        let meter = ReadingMeter::new(&memo(), 200);
        let needed: Vec<i64> = meter.parts.iter().map(|p| p.needed_millis).collect();
        // At 200 words a minute, a word takes 300 ms; half of that is 150 ms.
        assert_eq!(needed, [3_000, 6_000, 15_000, 150]);
        assert_eq!(meter.total_words, 161);
    }

    #[test]
    fn whole_memo_on_screen_is_read_in_turn() {
        let mut meter = ReadingMeter::new(&memo(), 200);
        let all = [(0, true), (1, true), (2, true), (3, true)];
        meter.observe(&all, 0);
        assert_eq!(meter.percent(), 0, "opening the screen reads nothing");
        assert_eq!(meter.furthest_section(), None);

        meter.observe(&all, 9_000);
        assert_eq!(meter.furthest_section(), Some(0), "introduction and A");
        assert_eq!(meter.percent(), 37, "60 of 161 words");

        meter.observe(&all, 14_999);
        assert_eq!(meter.furthest_section(), Some(0), "B needs one more ms");
        meter.observe(&all, 1_000);
        assert_eq!(meter.furthest_section(), Some(2));
        assert_eq!(meter.percent(), 100);
    }

    #[test]
    fn long_part_needs_its_end_on_screen() {
        let mut meter = ReadingMeter::new(&memo(), 200);
        meter.observe(&[(0, true), (1, true), (2, false)], 60_000);
        assert_eq!(meter.furthest_section(), Some(0), "B's end was not shown");
        meter.observe(&[(2, true), (3, true)], 0);
        assert_eq!(meter.furthest_section(), Some(1), "B was dwelt on already");
    }

    #[test]
    fn jumping_to_the_end_skips_nothing() {
        let mut meter = ReadingMeter::new(&memo(), 200);
        meter.observe(&[(3, true)], 1_000);
        assert_eq!(meter.furthest_section(), Some(2));
        assert_eq!(meter.percent(), 0, "section C has only its heading's word");
    }

    #[test]
    fn restore_counts_sections_up_to_the_recorded_one() {
        let mut meter = ReadingMeter::new(&memo(), 200);
        meter.restore(1);
        assert_eq!(meter.furthest_section(), Some(1));
        assert_eq!(meter.percent(), 99, "160 of 161 words");
        meter.restore(99);
        assert_eq!(meter.percent(), 100);
    }
}
