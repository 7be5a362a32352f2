//! The reader view: one memo rendered, with an outline, search in the memo, and the
//! comment threads anchored to its passages.
//!
//! State and actions live here, comment threads in `comments` and search in the memo
//! in `find`; drawing is in [`draw`](self::draw()), the thread pane and pop-ups in
//! `panes`.

mod comments;
mod draw;
mod find;
mod panes;

use std::ops::Range;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use draw::draw;

use super::app::Action;
use super::composer::Composer;
use super::threads::{Drafts, Target, Thread, ThreadStore};
use crate::memo::Memo;
use crate::render::markdown::plain_lines;
use crate::render::{RenderOptions, Rendered, render};

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
    pub(crate) fn jump_to(&mut self, line: usize) {
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
