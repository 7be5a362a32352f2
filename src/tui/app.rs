//! The UI's state, and the mapping from keys to actions to state changes.
//!
//! A key becomes an [`Action`] through the current view's key map ([`App::action_for`]);
//! [`App::apply`] changes the state. While text is being typed (a library query, a
//! search in the memo, a comment) keys go to that text instead, except `Ctrl-c`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::Rect;

use super::catalog::Catalog;
use super::library::LibraryState;
use super::meeting::{self, Hiding, HidingThreads, MeetingState};
use super::reader::ReaderState;
use super::threads::{MemoryThreads, RepoThreads, ThreadStore};
use super::{help, library, reader, widgets};
use crate::clock::Clock;
use crate::error::Result;
use crate::memo::Memo;
use crate::store::Repo;

/// The smallest window the views can lay out in; below it a one-line notice is drawn.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 4;

/// Lines moved per step of the mouse wheel.
const WHEEL_LINES: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Library,
    Reader,
    Meeting,
}

/// The request a key makes of the current view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    Back,
    Help,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    // Library.
    Search,
    CycleStatus,
    CycleTag,
    CycleSort,
    ReverseSort,
    ClearFilters,
    // Reader.
    ToggleOutline,
    NextSection,
    PreviousSection,
    Find,
    FindNext,
    FindPrevious,
    ToggleThreads,
    NextThread,
    PreviousThread,
    CycleThread,
    PaneDown,
    PaneUp,
    Select,
    Comment,
    CommentSection,
    Reply,
    ToggleResolved,
    Outdated,
    Drafts,
    Links,
    // Meeting.
    MarkDone,
    RevealComments,
    ToggleParticipants,
    ToggleFollow,
    ExtendRead,
    MoveToDiscussion,
    EndMeeting,
}

pub struct App {
    pub view: View,
    pub library: LibraryState,
    pub reader: Option<ReaderState>,
    pub meeting: Option<MeetingState>,
    /// The help overlay is shown.
    pub help: bool,
    help_scroll: usize,
    repo: Option<Repo>,
    threads: Box<dyn ThreadStore>,
    /// Leaving the reader ends the UI, for `memo show --tui`.
    reader_only: bool,
    quit: bool,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("view", &self.view)
            .field("help", &self.help)
            .finish()
    }
}

impl App {
    /// Opens the library of a repository, reading its rows from the search index.
    pub fn library(repo: Repo) -> Result<App> {
        let catalog = Catalog::open(&repo)?;
        let threads = Box::new(RepoThreads::open(&repo.root)?);
        let mut app = App::new(catalog, threads);
        app.repo = Some(repo);
        Ok(app)
    }

    /// Opens the reader on one memo of a repository; leaving it ends the UI.
    pub fn reader_only(repo: Repo, memo: Memo) -> Result<App> {
        let threads = Box::new(RepoThreads::open(&repo.root)?);
        let mut app = App::new(Catalog::from_memos(vec![memo.clone()]), threads);
        app.repo = Some(repo);
        app.open_memo(memo);
        app.reader_only = true;
        Ok(app)
    }

    /// Opens the meeting screen on meeting `meeting_id` of memo `uid`, with time from
    /// `clock` shown in `zone`; leaving it ends the UI.
    pub fn meeting(
        repo: Repo,
        uid: &str,
        meeting_id: &str,
        clock: std::sync::Arc<dyn Clock>,
        zone: crate::meeting::Zone,
    ) -> Result<App> {
        let root = repo.root.clone();
        let (mut state, memo) = MeetingState::open(repo, uid, meeting_id, clock, zone)?;
        let inner = RepoThreads::at_revision(
            &root,
            &state.meeting.revision.blob,
            state.meeting.revision.commit.clone(),
        )?;
        let hiding: std::rc::Rc<std::cell::RefCell<Hiding>> = state.hiding.clone();
        let threads = Box::new(HidingThreads::new(Box::new(inner), hiding));
        let mut app = App::new(Catalog::from_memos(vec![memo]), threads);
        let repo = Repo::discover(&root)?;
        state.reader.load_drafts(&repo);
        app.repo = Some(repo);
        state.tick(app.threads.as_mut());
        state.reader.reload_threads(app.threads.as_mut());
        app.meeting = Some(state);
        app.view = View::Meeting;
        app.reader_only = true;
        Ok(app)
    }

    /// Makes an app over parsed memos with threads kept in memory, outside a repository.
    pub fn from_memos(memos: Vec<Memo>) -> App {
        let threads = MemoryThreads::new("Test Author <author@example.com>", crate::clock::now());
        App::new(Catalog::from_memos(memos), Box::new(threads))
    }

    /// Makes an app over parsed memos with the given thread store.
    pub fn with_threads(memos: Vec<Memo>, threads: Box<dyn ThreadStore>) -> App {
        App::new(Catalog::from_memos(memos), threads)
    }

    fn new(catalog: Catalog, threads: Box<dyn ThreadStore>) -> App {
        crate::events::keep_recent_reads();
        App {
            view: View::Library,
            library: LibraryState::new(catalog),
            reader: None,
            meeting: None,
            help: false,
            help_scroll: 0,
            repo: None,
            threads,
            reader_only: false,
            quit: false,
        }
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Replaces the thread store, for a store other than the repository's.
    pub fn set_thread_store(&mut self, threads: Box<dyn ThreadStore>) {
        self.threads = threads;
    }

    /// Returns the thread store, for tests that look at what was written.
    pub fn thread_store(&mut self) -> &mut dyn ThreadStore {
        self.threads.as_mut()
    }

    /// Brings a time-dependent view (the meeting screen) up to date with the clock and
    /// the repository; the event loop calls it before every frame.
    pub fn tick(&mut self) {
        if let Some(meeting) = self.meeting.as_mut() {
            meeting.tick(self.threads.as_mut());
        }
    }

    /// Returns whether keys currently go to a text field.
    pub fn is_typing(&self) -> bool {
        match self.view {
            View::Library => self.library.typing,
            View::Reader => self.reader.as_ref().is_some_and(ReaderState::is_typing),
            View::Meeting => self.meeting.as_ref().is_some_and(MeetingState::is_typing),
        }
    }

    /// Maps a key to an action in the current view.
    pub fn action_for(&self, key: KeyEvent) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let common = match key.code {
            KeyCode::Char('c') if ctrl => Some(Action::Quit),
            KeyCode::Char('?') => Some(Action::Help),
            KeyCode::Char('q') | KeyCode::Esc => Some(Action::Back),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
            KeyCode::PageUp | KeyCode::Char('b') => Some(Action::PageUp),
            KeyCode::Char('u') if ctrl => Some(Action::PageUp),
            KeyCode::PageDown | KeyCode::Char(' ') => Some(Action::PageDown),
            KeyCode::Char('d') if ctrl => Some(Action::PageDown),
            KeyCode::Home | KeyCode::Char('g') => Some(Action::Top),
            KeyCode::End | KeyCode::Char('G') => Some(Action::Bottom),
            _ => None,
        };
        if common.is_some() || self.help {
            return common;
        }
        match self.view {
            View::Library => library::action_for(key),
            View::Reader => reader::action_for(key),
            View::Meeting => meeting::action_for(key),
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            self.apply(Action::Quit);
            return;
        }
        if let Some(meeting) = self.meeting.as_mut() {
            meeting.note_input();
        }
        if !self.help && self.is_typing() {
            match self.view {
                View::Library => self.library.type_key(key),
                View::Reader => {
                    if let Some(reader) = self.reader.as_mut() {
                        reader.type_key(key, self.threads.as_mut());
                    }
                }
                View::Meeting => {
                    if let Some(meeting) = self.meeting.as_mut() {
                        meeting.type_key(key, self.threads.as_mut());
                    }
                }
            }
            return;
        }
        if let Some(action) = self.action_for(key) {
            self.apply(action);
        }
    }

    /// Scrolls with the mouse wheel; other mouse events are ignored.
    pub fn handle_mouse(&mut self, mouse: MouseEvent) {
        let action = match mouse.kind {
            MouseEventKind::ScrollUp => Action::Up,
            MouseEventKind::ScrollDown => Action::Down,
            _ => return,
        };
        if self.help {
            self.apply(action);
            return;
        }
        match self.view {
            View::Library => {
                for _ in 0..WHEEL_LINES {
                    self.library.apply(action);
                }
            }
            View::Reader => {
                if let Some(reader) = self.reader.as_mut() {
                    reader.scroll_by(action == Action::Down, WHEEL_LINES);
                }
            }
            View::Meeting => {
                if let Some(meeting) = self.meeting.as_mut() {
                    meeting.note_input();
                    meeting
                        .reader
                        .scroll_by(action == Action::Down, WHEEL_LINES);
                }
            }
        }
    }

    pub fn apply(&mut self, action: Action) {
        if action == Action::Quit {
            self.quit();
            return;
        }
        if self.help {
            match action {
                Action::Help | Action::Back => self.help = false,
                Action::Up => self.help_scroll = self.help_scroll.saturating_sub(1),
                Action::Down => self.help_scroll += 1,
                Action::Top => self.help_scroll = 0,
                _ => {}
            }
            return;
        }
        if action == Action::Help {
            self.help = true;
            self.help_scroll = 0;
            return;
        }
        match self.view {
            View::Library => match action {
                Action::Back => self.quit = true,
                Action::Open => self.open_selected(),
                other => self.library.apply(other),
            },
            View::Reader => {
                let Some(reader) = self.reader.as_mut() else {
                    self.view = View::Library;
                    return;
                };
                let leave = reader.apply(action, self.threads.as_mut());
                if leave {
                    if self.reader_only {
                        self.quit = true;
                    } else {
                        self.view = View::Library;
                    }
                }
            }
            View::Meeting => {
                let Some(meeting) = self.meeting.as_mut() else {
                    self.quit = true;
                    return;
                };
                if meeting.apply(action, self.threads.as_mut()) {
                    self.quit();
                }
            }
        }
    }

    /// Keeps any comment being typed as a draft, and returns whether there was one.
    pub fn keep_typed_text(&mut self) -> bool {
        let typing = self.is_typing();
        if let Some(reader) = self.reader.as_mut() {
            reader.keep_composer_as_draft();
        }
        if let Some(meeting) = self.meeting.as_mut() {
            meeting.reader.keep_composer_as_draft();
        }
        typing
    }

    /// Ends the UI, keeping any comment being typed as a draft.
    fn quit(&mut self) {
        if let Some(reader) = self.reader.as_mut() {
            reader.keep_composer_as_draft();
        }
        if let Some(meeting) = self.meeting.as_mut() {
            meeting.reader.keep_composer_as_draft();
            meeting.leave();
        }
        self.quit = true;
    }

    fn open_selected(&mut self) {
        let Some(row) = self.library.selected_row().cloned() else {
            return;
        };
        match self.library.catalog.load(self.repo.as_ref(), &row) {
            Ok(memo) => self.open_memo(memo),
            Err(e) => self.library.notice = Some(format!("cannot open {}: {e}", row.path)),
        }
    }

    fn open_memo(&mut self, memo: Memo) {
        let mut reader = ReaderState::new(memo);
        if let Some(repo) = &self.repo {
            reader.load_drafts(repo);
        }
        reader.reload_threads(self.threads.as_mut());
        self.reader = Some(reader);
        self.view = View::Reader;
    }

    pub fn draw(&mut self, frame: &mut Frame) {
        let area = frame.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            widgets::too_small(frame, area);
            return;
        }
        match self.view {
            View::Library => library::draw(frame, area, &mut self.library),
            View::Reader => {
                if let Some(reader_state) = self.reader.as_mut() {
                    reader::draw(frame, area, reader_state);
                }
            }
            View::Meeting => {
                if let Some(meeting_state) = self.meeting.as_mut() {
                    meeting::draw(frame, area, meeting_state);
                }
            }
        }
        if self.help {
            let inner = Rect {
                x: area.x + 1,
                y: area.y + 1,
                width: area.width.saturating_sub(2),
                height: area.height.saturating_sub(2),
            };
            self.help_scroll = help::draw(frame, inner, self.view, self.help_scroll);
        }
    }
}
