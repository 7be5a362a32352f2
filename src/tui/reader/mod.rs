//! The reader view: one memo rendered, with an outline, search in the memo, and the
//! comment threads anchored to its passages.
//!
//! State and actions live here; drawing is in [`draw`](self::draw()), the thread pane
//! and pop-ups in `panes`.

mod draw;
mod panes;

use std::ops::Range;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use regex::{Regex, RegexBuilder};

pub use draw::draw;

use super::app::Action;
use super::composer::Composer;
use super::threads::{
    Draft, Drafts, Passage, Target, Thread, ThreadState, ThreadStore, identity_notice,
};
use crate::memo::Memo;
use crate::render::markdown::plain_lines;
use crate::render::{RenderOptions, Rendered, render};
use crate::store::Repo;

/// The part of the reader that takes the movement keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Body,
    Outline,
}

/// A list drawn over the reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlay {
    Outdated { selected: usize },
    Links { selected: usize },
    Drafts { selected: usize },
}

/// A line for the user below the memo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// Search in the memo.
#[derive(Debug, Default)]
pub struct Find {
    pub query: String,
    /// Keys go to the query.
    pub typing: bool,
    /// Every match: the rendered line and the bytes of its plain text.
    pub matches: Vec<(usize, Range<usize>)>,
    /// The match the cursor was last moved to.
    pub current: Option<usize>,
}

#[derive(Debug)]
pub struct ReaderState {
    pub memo: Memo,
    pub rendered: Rendered,
    /// The plain text of each rendered line.
    pub plain: Vec<String>,
    /// The text width `rendered` was laid out at; zero before the first draw.
    pub width: usize,
    pub cursor: usize,
    pub scroll: usize,
    /// Body lines visible at the last draw, for paging.
    pub page: usize,
    /// The line a selection started at, while one is being made.
    pub selection: Option<usize>,
    pub show_outline: bool,
    pub focus: Focus,
    pub outline_selected: usize,
    pub show_threads: bool,
    pub threads: Vec<Thread>,
    /// For each thread, its first and last rendered line; `None` when outdated.
    pub thread_lines: Vec<Option<(usize, usize)>>,
    /// The index, among the threads on the cursor line, of the one the pane shows.
    pub thread_choice: usize,
    /// Lines of the thread pane scrolled past, for threads taller than the pane.
    pub pane_scroll: usize,
    pub drafts: Drafts,
    pub composer: Option<Composer>,
    pub overlay: Option<Overlay>,
    pub find: Find,
    pub notice: Option<Notice>,
}

impl ReaderState {
    pub fn new(memo: Memo) -> ReaderState {
        ReaderState {
            memo,
            rendered: Rendered::default(),
            plain: Vec::new(),
            width: 0,
            cursor: 0,
            scroll: 0,
            page: 1,
            selection: None,
            show_outline: false,
            focus: Focus::Body,
            outline_selected: 0,
            show_threads: true,
            threads: Vec::new(),
            thread_lines: Vec::new(),
            thread_choice: 0,
            pane_scroll: 0,
            drafts: Drafts::default(),
            composer: None,
            overlay: None,
            find: Find::default(),
            notice: None,
        }
    }

    pub fn line_count(&self) -> usize {
        self.rendered.lines.len()
    }

    pub fn is_typing(&self) -> bool {
        self.composer.is_some() || self.find.typing
    }

    fn error(&mut self, text: String) {
        self.notice = Some(Notice { text, error: true });
    }

    fn inform(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: false,
        });
    }

    /// Lays the memo out at `width` columns when it is not already, keeping the cursor
    /// on the same passage.
    pub fn ensure_rendered(&mut self, width: usize) {
        let width = width.max(1);
        if self.width == width {
            return;
        }
        let anchor = self
            .rendered
            .sources
            .get(self.cursor)
            .cloned()
            .flatten()
            .map(|r| r.start);
        let offset_in_view = self.cursor.saturating_sub(self.scroll);
        self.rendered = render(
            self.memo.body(),
            self.memo.document.body_offset,
            &RenderOptions {
                width,
                inline_urls: false,
            },
        );
        self.plain = plain_lines(&self.rendered);
        self.width = width;
        if let Some(line) = anchor.and_then(|a| self.rendered.line_of_offset(a)) {
            self.cursor = line;
            self.scroll = line.saturating_sub(offset_in_view);
        }
        self.clamp();
        self.map_threads();
        self.run_find();
    }

    fn last_line(&self) -> usize {
        self.line_count().saturating_sub(1)
    }

    fn max_scroll(&self) -> usize {
        self.line_count().saturating_sub(self.page.max(1))
    }

    /// Keeps the cursor inside the memo and the view on the cursor.
    pub fn clamp(&mut self) {
        self.cursor = self.cursor.min(self.last_line());
        let page = self.page.max(1);
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + page {
            self.scroll = self.cursor + 1 - page;
        }
        self.scroll = self.scroll.min(self.max_scroll());
    }

    /// Scrolls the view by `lines`, taking the cursor along when it would leave it.
    pub fn scroll_by(&mut self, down: bool, lines: usize) {
        let page = self.page.max(1);
        self.scroll = if down {
            (self.scroll + lines).min(self.max_scroll())
        } else {
            self.scroll.saturating_sub(lines)
        };
        self.cursor = self
            .cursor
            .clamp(self.scroll, self.scroll + page - 1)
            .min(self.last_line());
    }

    fn move_cursor(&mut self, line: usize) {
        self.cursor = line.min(self.last_line());
        self.thread_choice = 0;
        self.pane_scroll = 0;
        self.clamp();
    }

    /// Moves the cursor to a line and puts that line near the top of the view.
    fn jump_to(&mut self, line: usize) {
        self.cursor = line.min(self.last_line());
        self.scroll = self.cursor.saturating_sub(2).min(self.max_scroll());
        self.thread_choice = 0;
        self.pane_scroll = 0;
        self.clamp();
    }

    /// Returns the index of the heading the cursor is under.
    pub fn current_heading(&self) -> Option<usize> {
        self.rendered
            .headings
            .iter()
            .rposition(|h| h.line <= self.cursor)
    }

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
        self.map_threads();
    }

    /// Finds the rendered lines of each thread's passage.
    fn map_threads(&mut self) {
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
    fn paragraph_lines(&self) -> (usize, usize) {
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
    fn section_passage(&self) -> Option<Passage> {
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

    /// Handles a key while the query or a comment is typed.
    pub fn type_key(&mut self, key: KeyEvent, store: &mut dyn ThreadStore) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if let Some(composer) = self.composer.as_mut() {
            match key.code {
                KeyCode::Char('s') if ctrl => self.send(store),
                KeyCode::Esc => self.keep_composer_as_draft(),
                _ => composer.input(key),
            }
            return;
        }
        match key.code {
            KeyCode::Esc => {
                self.find = Find::default();
            }
            KeyCode::Enter => {
                self.find.typing = false;
                self.run_find();
                self.next_match(true);
                if self.find.matches.is_empty() {
                    self.error(format!("no match for “{}”", self.find.query));
                }
            }
            KeyCode::Backspace => {
                self.find.query.pop();
                self.run_find();
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                self.find.query.push(c);
                self.run_find();
            }
            _ => {}
        }
    }

    fn find_regex(&self) -> Option<Regex> {
        if self.find.query.is_empty() {
            return None;
        }
        RegexBuilder::new(&regex::escape(&self.find.query))
            .case_insensitive(true)
            .build()
            .ok()
    }

    fn run_find(&mut self) {
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
    fn next_match(&mut self, here: bool) {
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

    fn previous_match(&mut self) {
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

    /// Opens the editor for a target, with its draft's text if there is one.
    fn compose(&mut self, target: Target, store: &dyn ThreadStore) {
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

    fn send(&mut self, store: &mut dyn ThreadStore) {
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

    fn set_thread_state(&mut self, index: usize, store: &mut dyn ThreadStore) {
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

    fn reply_to(&mut self, index: usize, store: &dyn ThreadStore) {
        let Some(thread) = self.threads.get(index) else {
            return;
        };
        let target = Target::Reply {
            thread: thread.id.clone(),
            quote: thread.quote.clone(),
        };
        self.compose(target, store);
    }

    /// Applies an action; returns whether the reader should be left.
    pub fn apply(&mut self, action: Action, store: &mut dyn ThreadStore) -> bool {
        if action != Action::Find {
            self.notice = None;
        }
        if let Some(overlay) = self.overlay {
            self.apply_overlay(overlay, action, store);
            return false;
        }
        if self.focus == Focus::Outline {
            let last = self.rendered.headings.len().saturating_sub(1);
            match action {
                Action::Up => self.outline_selected = self.outline_selected.saturating_sub(1),
                Action::Down => self.outline_selected = (self.outline_selected + 1).min(last),
                Action::Top => self.outline_selected = 0,
                Action::Bottom => self.outline_selected = last,
                Action::Open => {
                    if let Some(heading) = self.rendered.headings.get(self.outline_selected) {
                        self.jump_to(heading.line);
                    }
                    self.focus = Focus::Body;
                }
                Action::Back => self.focus = Focus::Body,
                Action::ToggleOutline => {
                    self.focus = Focus::Body;
                    self.show_outline = false;
                }
                _ => {}
            }
            return false;
        }

        let page = self.page.max(1);
        match action {
            Action::Up => self.move_cursor(self.cursor.saturating_sub(1)),
            Action::Down => self.move_cursor(self.cursor + 1),
            Action::PageUp => {
                self.scroll = self.scroll.saturating_sub(page);
                self.move_cursor(self.cursor.saturating_sub(page));
            }
            Action::PageDown => {
                self.scroll = (self.scroll + page).min(self.max_scroll());
                self.move_cursor(self.cursor + page);
            }
            Action::Top => self.move_cursor(0),
            Action::Bottom => self.move_cursor(self.last_line()),
            Action::Back => {
                if self.selection.is_some() {
                    self.selection = None;
                } else if !self.find.matches.is_empty() {
                    self.find = Find::default();
                } else {
                    return true;
                }
            }
            Action::ToggleOutline => {
                self.show_outline = true;
                self.focus = Focus::Outline;
                self.outline_selected = self.current_heading().unwrap_or(0);
            }
            Action::NextSection => {
                if let Some(h) = self.rendered.headings.iter().find(|h| h.line > self.cursor) {
                    let line = h.line;
                    self.jump_to(line);
                }
            }
            Action::PreviousSection => {
                if let Some(h) = self
                    .rendered
                    .headings
                    .iter()
                    .rfind(|h| h.line < self.cursor)
                {
                    let line = h.line;
                    self.jump_to(line);
                }
            }
            Action::Find => {
                self.find = Find {
                    typing: true,
                    ..Find::default()
                };
            }
            Action::FindNext => self.next_match(false),
            Action::FindPrevious => self.previous_match(),
            Action::ToggleThreads => self.show_threads = !self.show_threads,
            Action::NextThread => {
                let next = self
                    .thread_lines
                    .iter()
                    .flatten()
                    .map(|(a, _)| *a)
                    .filter(|a| *a > self.cursor)
                    .min();
                match next {
                    Some(line) => self.jump_to(line),
                    None => self.inform("no thread further down"),
                }
            }
            Action::PreviousThread => {
                let previous = self
                    .thread_lines
                    .iter()
                    .flatten()
                    .map(|(a, _)| *a)
                    .filter(|a| *a < self.cursor)
                    .max();
                match previous {
                    Some(line) => self.jump_to(line),
                    None => self.inform("no thread further up"),
                }
            }
            Action::CycleThread => {
                self.thread_choice += 1;
                self.pane_scroll = 0;
            }
            Action::PaneDown => self.pane_scroll += 1,
            Action::PaneUp => self.pane_scroll = self.pane_scroll.saturating_sub(1),
            Action::Select => {
                self.selection = match self.selection {
                    Some(_) => None,
                    None => Some(self.cursor),
                };
            }
            Action::Comment => {
                let (first, last) = if self.selection.is_some() {
                    self.selected_lines()
                } else {
                    self.paragraph_lines()
                };
                match self.passage(first, last) {
                    Some(passage) => self.compose(Target::NewThread(passage), store),
                    None => self.inform("no memo text on these lines to comment on"),
                }
            }
            Action::CommentSection => match self.section_passage() {
                Some(passage) => self.compose(Target::NewThread(passage), store),
                None => self.inform("the cursor is not in a section"),
            },
            Action::Reply => match self.thread_under_cursor() {
                Some(index) => self.reply_to(index, store),
                None => self.inform("no thread on this line; > goes to the next"),
            },
            Action::ToggleResolved => match self.thread_under_cursor() {
                Some(index) => self.set_thread_state(index, store),
                None => self.inform("no thread on this line; > goes to the next"),
            },
            Action::Outdated => self.overlay = Some(Overlay::Outdated { selected: 0 }),
            Action::Drafts => self.overlay = Some(Overlay::Drafts { selected: 0 }),
            Action::Links => self.overlay = Some(Overlay::Links { selected: 0 }),
            _ => {}
        }
        false
    }

    fn apply_overlay(&mut self, overlay: Overlay, action: Action, store: &mut dyn ThreadStore) {
        let (selected, count) = match overlay {
            Overlay::Outdated { selected } => (selected, self.outdated().len()),
            Overlay::Links { selected } => (selected, self.rendered.links.len()),
            Overlay::Drafts { selected } => (selected, self.drafts.items.len()),
        };
        let last = count.saturating_sub(1);
        let moved = match action {
            Action::Up => selected.saturating_sub(1),
            Action::Down => (selected + 1).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            _ => selected,
        };
        self.overlay = Some(match overlay {
            Overlay::Outdated { .. } => Overlay::Outdated { selected: moved },
            Overlay::Links { .. } => Overlay::Links { selected: moved },
            Overlay::Drafts { .. } => Overlay::Drafts { selected: moved },
        });
        match (overlay, action) {
            (_, Action::Back) => self.overlay = None,
            (Overlay::Outdated { .. }, Action::Outdated)
            | (Overlay::Links { .. }, Action::Links)
            | (Overlay::Drafts { .. }, Action::Drafts) => self.overlay = None,
            (Overlay::Outdated { selected }, Action::Reply | Action::ToggleResolved) => {
                let index = self
                    .threads
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| t.is_outdated())
                    .nth(selected)
                    .map(|(i, _)| i);
                if let Some(index) = index {
                    if action == Action::Reply {
                        self.overlay = None;
                        self.reply_to(index, store);
                    } else {
                        self.set_thread_state(index, store);
                    }
                }
            }
            (Overlay::Links { selected }, Action::Open) => {
                if let Some(source) = self.rendered.link_sources.get(selected)
                    && let Some(line) = self.rendered.line_of_offset(source.start)
                {
                    self.overlay = None;
                    self.jump_to(line);
                }
            }
            (Overlay::Drafts { selected }, Action::Open) => {
                if let Some(draft) = self.drafts.items.get(selected) {
                    let target = draft.target.clone();
                    self.overlay = None;
                    self.compose(target, store);
                }
            }
            _ => {}
        }
    }

    /// Returns the link targets whose text is on a line.
    pub fn links_at(&self, line: usize) -> Vec<&str> {
        let Some(Some(source)) = self.rendered.sources.get(line) else {
            return Vec::new();
        };
        self.rendered
            .links
            .iter()
            .zip(&self.rendered.link_sources)
            .filter(|(_, r)| r.start < source.end && source.start < r.end)
            .map(|(url, _)| url.as_str())
            .collect()
    }
}

/// Returns the first and last line whose source overlaps `range`.
fn lines_of(sources: &[Option<Range<usize>>], range: &Range<usize>) -> Option<(usize, usize)> {
    let overlaps = |s: &Option<Range<usize>>| {
        s.as_ref()
            .is_some_and(|s| s.start < range.end.max(range.start + 1) && range.start < s.end)
    };
    let first = sources.iter().position(overlaps)?;
    let last = sources.iter().rposition(overlaps)?;
    Some((first, last))
}

/// Maps the reader's own keys.
pub fn action_for(key: KeyEvent) -> Option<Action> {
    Some(match key.code {
        KeyCode::Enter => Action::Open,
        KeyCode::Left | KeyCode::Char('h') => Action::Back,
        KeyCode::Char('o') => Action::ToggleOutline,
        KeyCode::Char(']') => Action::NextSection,
        KeyCode::Char('[') => Action::PreviousSection,
        KeyCode::Char('/') => Action::Find,
        KeyCode::Char('n') => Action::FindNext,
        KeyCode::Char('N') => Action::FindPrevious,
        KeyCode::Char('t') => Action::ToggleThreads,
        KeyCode::Char('>') => Action::NextThread,
        KeyCode::Char('<') => Action::PreviousThread,
        KeyCode::Tab => Action::CycleThread,
        KeyCode::Char('J') => Action::PaneDown,
        KeyCode::Char('K') => Action::PaneUp,
        KeyCode::Char('v') => Action::Select,
        KeyCode::Char('c') => Action::Comment,
        KeyCode::Char('C') => Action::CommentSection,
        KeyCode::Char('r') => Action::Reply,
        KeyCode::Char('x') => Action::ToggleResolved,
        KeyCode::Char('O') => Action::Outdated,
        KeyCode::Char('D') => Action::Drafts,
        KeyCode::Char('L') => Action::Links,
        _ => return None,
    })
}
