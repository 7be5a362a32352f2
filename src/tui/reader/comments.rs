//! The reader's comment threads: mapping threads and drafts to lines, choosing a
//! passage, and writing comments through the thread store.

use std::ops::Range;

use super::ReaderState;
use crate::store::Repo;
use crate::tui::composer::Composer;
use crate::tui::threads::{
    Draft, Drafts, Passage, Target, Thread, ThreadState, ThreadStore, identity_notice,
};

impl ReaderState {
    pub fn load_drafts(&mut self, repo: &Repo) {
        match Drafts::load(repo, &self.memo) {
            Ok(drafts) => {
                if !drafts.items.is_empty() {
                    self.inform(format!(
                        "{} unsent draft(s) from before: D lists them",
                        drafts.items.len()
                    ));
                }
                self.drafts = drafts;
            }
            Err(e) => self.error(format!("cannot read the drafts: {e}")),
        }
    }

    pub fn reload_threads(&mut self, store: &mut dyn ThreadStore) {
        match store.threads(&self.memo) {
            Ok(threads) => self.threads = threads,
            Err(e) => self.error(format!("cannot read the threads: {e}")),
        }
        if let Some(notice) = store.hidden_notice() {
            self.inform(notice);
        }
        self.map_threads();
    }

    /// Finds the rendered lines of each thread's passage.
    pub(super) fn map_threads(&mut self) {
        let sources = &self.rendered.sources;
        self.thread_lines = self
            .threads
            .iter()
            .map(|thread| {
                let anchor = thread.anchor.as_ref()?;
                lines_of(sources, anchor)
                    .or_else(|| self.rendered.line_of_offset(anchor.start).map(|l| (l, l)))
            })
            .collect();
    }

    /// Returns the indices of the threads whose passage covers a line, in order.
    pub fn threads_at(&self, line: usize) -> Vec<usize> {
        self.thread_lines
            .iter()
            .enumerate()
            .filter(|(_, lines)| lines.is_some_and(|(a, b)| a <= line && line <= b))
            .map(|(i, _)| i)
            .collect()
    }

    /// Returns the thread the pane shows: the chosen one of those on the cursor line.
    pub fn thread_under_cursor(&self) -> Option<usize> {
        let here = self.threads_at(self.cursor);
        if here.is_empty() {
            return None;
        }
        Some(here[self.thread_choice % here.len()])
    }

    /// Returns the drafts of new threads whose passage covers a line.
    pub fn drafts_at(&self, line: usize) -> Vec<&Draft> {
        self.drafts
            .items
            .iter()
            .filter(|d| match &d.target {
                Target::NewThread(passage) => lines_of(&self.rendered.sources, &passage.range)
                    .is_some_and(|(a, b)| a <= line && line <= b),
                Target::Reply { thread, .. } => self
                    .threads
                    .iter()
                    .position(|t| &t.id == thread)
                    .and_then(|i| self.thread_lines.get(i).copied().flatten())
                    .is_some_and(|(a, b)| a <= line && line <= b),
            })
            .collect()
    }

    pub fn outdated(&self) -> Vec<&Thread> {
        self.threads.iter().filter(|t| t.is_outdated()).collect()
    }

    /// Returns the selected lines, or the cursor line alone.
    pub fn selected_lines(&self) -> (usize, usize) {
        match self.selection {
            Some(start) => (start.min(self.cursor), start.max(self.cursor)),
            None => (self.cursor, self.cursor),
        }
    }

    /// Returns the lines of the block (paragraph, list, table, code) under the cursor.
    pub(super) fn paragraph_lines(&self) -> (usize, usize) {
        let blank = |i: usize| self.plain.get(i).is_none_or(|l| l.trim().is_empty());
        let mut start = self.cursor;
        while start > 0 && !blank(start - 1) && !self.is_heading_line(start) {
            start -= 1;
        }
        let mut end = self.cursor;
        while end < self.last_line() && !blank(end + 1) && !self.is_heading_line(end + 1) {
            end += 1;
        }
        (start, end)
    }

    fn is_heading_line(&self, line: usize) -> bool {
        self.rendered.headings.iter().any(|h| h.line == line)
    }

    /// Returns the passage shown on lines `first..=last`, or `None` when they show no
    /// memo text.
    pub fn passage(&self, first: usize, last: usize) -> Option<Passage> {
        let lines = self
            .rendered
            .sources
            .get(first..=last.min(self.last_line()))?;
        let mut range: Option<Range<usize>> = None;
        for source in lines.iter().flatten() {
            range = Some(match range {
                Some(r) => r.start.min(source.start)..r.end.max(source.end),
                None => source.clone(),
            });
        }
        let range = range?;
        self.passage_of(range)
    }

    fn passage_of(&self, range: Range<usize>) -> Option<Passage> {
        let text = self.memo.text();
        let quote = text.get(range.clone())?.trim().to_owned();
        if quote.is_empty() {
            return None;
        }
        let section = self
            .memo
            .outline
            .sections
            .iter()
            .rfind(|s| s.heading_range.start <= range.start)
            .map(|s| s.heading.clone());
        Some(Passage {
            range,
            quote,
            section,
        })
    }

    /// Returns the passage of the whole section under the cursor, heading included.
    pub(super) fn section_passage(&self) -> Option<Passage> {
        let heading = self.current_heading()?;
        let headings = &self.rendered.headings;
        let start = headings[heading].offset;
        let level = headings[heading].level;
        let end = headings[heading + 1..]
            .iter()
            .find(|h| h.level <= level)
            .map_or(self.memo.text().len(), |h| h.offset);
        let text = self.memo.text();
        let end = text[..end].trim_end().len().max(start);
        self.passage_of(start..end)
    }

    /// Opens the editor for a target, with its draft's text if there is one.
    pub(super) fn compose(&mut self, target: Target, store: &dyn ThreadStore) {
        let text = self
            .drafts
            .find(&target)
            .map(|d| d.body.clone())
            .unwrap_or_default();
        let author = store.author().map_err(|e| identity_notice(&e));
        self.composer = Some(Composer::new(target, &text, author));
        self.selection = None;
    }

    /// Closes the editor, saving its text as a draft when there is any.
    pub fn keep_composer_as_draft(&mut self) {
        let Some(composer) = self.composer.take() else {
            return;
        };
        let body = composer.text();
        if body.trim().is_empty() {
            if let Err(e) = self.drafts.remove(&composer.target) {
                self.error(format!("cannot update the drafts: {e}"));
            }
            return;
        }
        let error = self
            .drafts
            .find(&composer.target)
            .and_then(|d| d.error.clone());
        let draft = Draft {
            target: composer.target.clone(),
            body,
            error,
        };
        match self.drafts.keep(draft) {
            Ok(()) => self.inform("Kept as a draft: D lists drafts, Ctrl-S in the editor sends it"),
            Err(e) => {
                self.composer = Some(composer);
                self.error(format!(
                    "cannot save the draft ({e}); the text stays in the editor"
                ));
            }
        }
    }

    pub(super) fn send(&mut self, store: &mut dyn ThreadStore) {
        let Some(composer) = self.composer.take() else {
            return;
        };
        let body = composer.text();
        if body.trim().is_empty() {
            self.composer = Some(composer);
            self.error("the comment is empty; type it, or Esc to close".to_owned());
            return;
        }
        let result = match &composer.target {
            Target::NewThread(passage) => store.add(&self.memo, passage, &body),
            Target::Reply { thread, .. } => store.reply(&self.memo, thread, &body),
        };
        match result {
            Ok(()) => {
                if let Err(e) = self.drafts.remove(&composer.target) {
                    self.error(format!("sent, but cannot update the drafts: {e}"));
                } else {
                    let author = composer.author.clone().unwrap_or_default();
                    self.inform(format!("Comment sent as {author}"));
                }
                self.reload_threads(store);
            }
            Err(e) => {
                let reason = identity_notice(&e);
                let draft = Draft {
                    target: composer.target.clone(),
                    body,
                    error: Some(reason.clone()),
                };
                match self.drafts.keep(draft) {
                    Ok(()) => self.error(format!(
                        "Not sent, kept as a draft ({reason}); once fixed, D, Enter and Ctrl-S send it"
                    )),
                    Err(save) => {
                        self.composer = Some(composer);
                        self.error(format!(
                            "Not sent: {reason}; cannot save a draft either ({save}); the text stays in the editor"
                        ));
                    }
                }
            }
        }
    }

    pub(super) fn set_thread_state(&mut self, index: usize, store: &mut dyn ThreadStore) {
        let Some(thread) = self.threads.get(index) else {
            return;
        };
        let state = match thread.state {
            ThreadState::Open => ThreadState::Resolved,
            ThreadState::Resolved => ThreadState::Open,
        };
        let id = thread.id.clone();
        match store.set_state(&self.memo, &id, state) {
            Ok(()) => {
                self.inform(match state {
                    ThreadState::Open => "Thread reopened",
                    ThreadState::Resolved => "Thread resolved",
                });
                self.reload_threads(store);
            }
            Err(e) => self.error(format!("Not changed: {}", identity_notice(&e))),
        }
    }

    pub(super) fn reply_to(&mut self, index: usize, store: &dyn ThreadStore) {
        let Some(thread) = self.threads.get(index) else {
            return;
        };
        let target = Target::Reply {
            thread: thread.id.clone(),
            quote: thread.quote.clone(),
        };
        self.compose(target, store);
    }
}

/// Returns the first and last line whose source overlaps `range`.
pub(super) fn lines_of(
    sources: &[Option<Range<usize>>],
    range: &Range<usize>,
) -> Option<(usize, usize)> {
    let overlaps = |s: &Option<Range<usize>>| {
        s.as_ref()
            .is_some_and(|s| s.start < range.end.max(range.start + 1) && range.start < s.end)
    };
    let first = sources.iter().position(overlaps)?;
    let last = sources.iter().rposition(overlaps)?;
    Some((first, last))
}
