//! The UI's state, and the mapping from keys to actions to state changes.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{library, reader};
use crate::error::Result;
use crate::memo::Memo;
use crate::render::Rendered;
use crate::store::Repo;

/// The smallest window the views can lay out in; below it a notice is drawn.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Library,
    Reader,
}

/// What a key asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
}

#[derive(Debug, Default)]
pub struct LibraryState {
    pub selected: usize,
    /// Index of the first visible row.
    pub offset: usize,
}

#[derive(Debug)]
pub struct ReaderState {
    pub memo: Memo,
    /// The memo rendered at `width`, redone when the width changes.
    pub rendered: Option<(usize, Rendered)>,
    pub scroll: usize,
    /// Body lines visible at the last draw, for paging.
    pub page: usize,
}

impl ReaderState {
    pub fn new(memo: Memo) -> ReaderState {
        ReaderState {
            memo,
            rendered: None,
            scroll: 0,
            page: 1,
        }
    }

    pub fn line_count(&self) -> usize {
        self.rendered.as_ref().map_or(0, |(_, r)| r.lines.len())
    }

    fn max_scroll(&self) -> usize {
        self.line_count().saturating_sub(self.page)
    }
}

#[derive(Debug)]
pub struct App {
    pub memos: Vec<Memo>,
    pub view: View,
    pub library: LibraryState,
    pub reader: Option<ReaderState>,
    /// Leaving the reader ends the UI, for `memo show --tui`.
    reader_only: bool,
    quit: bool,
    /// Rows of the library visible at the last draw, for paging.
    library_page: usize,
}

impl App {
    pub fn library(repo: &Repo) -> Result<App> {
        let set = repo.load_memos()?;
        Ok(App::from_memos(set.memos))
    }

    pub fn reader_only(_repo: &Repo, memo: Memo) -> Result<App> {
        let mut app = App::from_memos(vec![memo.clone()]);
        app.reader = Some(ReaderState::new(memo));
        app.view = View::Reader;
        app.reader_only = true;
        Ok(app)
    }

    pub fn from_memos(memos: Vec<Memo>) -> App {
        App {
            memos,
            view: View::Library,
            library: LibraryState::default(),
            reader: None,
            reader_only: false,
            quit: false,
            library_page: 1,
        }
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Maps a key to an action in the current view.
    pub fn action_for(&self, key: KeyEvent) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        Some(match key.code {
            KeyCode::Char('c') if ctrl => Action::Quit,
            KeyCode::Char('q') | KeyCode::Esc => Action::Back,
            KeyCode::Up | KeyCode::Char('k') => Action::Up,
            KeyCode::Down | KeyCode::Char('j') => Action::Down,
            KeyCode::PageUp | KeyCode::Char('b') => Action::PageUp,
            KeyCode::Char('u') if ctrl => Action::PageUp,
            KeyCode::PageDown | KeyCode::Char(' ') => Action::PageDown,
            KeyCode::Char('d') if ctrl => Action::PageDown,
            KeyCode::Home | KeyCode::Char('g') => Action::Top,
            KeyCode::End | KeyCode::Char('G') => Action::Bottom,
            KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') if self.view == View::Library => {
                Action::Open
            }
            KeyCode::Left | KeyCode::Char('h') if self.view == View::Reader => Action::Back,
            _ => return None,
        })
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        if let Some(action) = self.action_for(key) {
            self.apply(action);
        }
    }

    pub fn apply(&mut self, action: Action) {
        match (self.view, action) {
            (_, Action::Quit) => self.quit = true,
            (View::Library, Action::Back) => self.quit = true,
            (View::Reader, Action::Back) => {
                if self.reader_only {
                    self.quit = true;
                } else {
                    self.view = View::Library;
                }
            }
            (View::Library, Action::Open) => {
                if let Some(memo) = self.memos.get(self.library.selected) {
                    self.reader = Some(ReaderState::new(memo.clone()));
                    self.view = View::Reader;
                }
            }
            (View::Library, motion) => {
                let last = self.memos.len().saturating_sub(1);
                let page = self.library_page.max(1);
                let selected = &mut self.library.selected;
                *selected = match motion {
                    Action::Up => selected.saturating_sub(1),
                    Action::Down => (*selected + 1).min(last),
                    Action::PageUp => selected.saturating_sub(page),
                    Action::PageDown => (*selected + page).min(last),
                    Action::Top => 0,
                    Action::Bottom => last,
                    _ => *selected,
                };
            }
            (View::Reader, motion) => {
                if let Some(reader) = self.reader.as_mut() {
                    let max = reader.max_scroll();
                    let page = reader.page.max(1);
                    reader.scroll = match motion {
                        Action::Up => reader.scroll.saturating_sub(1),
                        Action::Down => (reader.scroll + 1).min(max),
                        Action::PageUp => reader.scroll.saturating_sub(page),
                        Action::PageDown => (reader.scroll + page).min(max),
                        Action::Top => 0,
                        Action::Bottom => max,
                        _ => reader.scroll,
                    };
                }
            }
        }
    }

    pub fn draw(&mut self, frame: &mut Frame) {
        let area = frame.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            draw_too_small(frame, area);
            return;
        }
        match self.view {
            View::Library => {
                self.library_page = library::draw(frame, area, &self.memos, &mut self.library);
            }
            View::Reader => {
                if let Some(reader_state) = self.reader.as_mut() {
                    reader::draw(frame, area, reader_state);
                }
            }
        }
    }
}

fn draw_too_small(frame: &mut Frame, area: Rect) {
    use ratatui::widgets::Paragraph;
    let notice = crate::render::wrap::truncate("window too small", usize::from(area.width));
    frame.render_widget(
        Paragraph::new(notice),
        Rect {
            height: area.height.min(1),
            ..area
        },
    );
}
