//! The terminal UI: the library of memos and the reader.
//!
//! State and key handling live in [`app`], drawing in one module per view; nothing
//! here reads or writes the repository except through the library's engine modules.
//! The terminal is restored when the UI ends, on errors and on panics.

pub mod app;
mod library;
mod reader;

use std::io::IsTerminal;
use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind};

pub use app::App;

use crate::error::{Error, Result};
use crate::memo::Memo;
use crate::store::Repo;

/// Opens the library view.
pub fn run_library(repo: &Repo) -> Result<()> {
    let app = App::library(repo)?;
    run(repo, app)
}

/// Opens the reader on one memo; leaving it ends the UI.
pub fn run_reader(repo: &Repo, memo: &Memo) -> Result<()> {
    let app = App::reader_only(repo, memo.clone())?;
    run(repo, app)
}

fn run(repo: &Repo, mut app: App) -> Result<()> {
    if !std::io::stdout().is_terminal() {
        return Err(Error::invalid_with_hint(
            "the terminal UI needs a terminal, but standard output is not one",
            "run `memo list` or `memo show REF` to print instead",
        ));
    }
    let log = repo.data_dir()?.join("tui.log");
    let _ = crate::logging::to_file(&log);

    let mut terminal = ratatui::try_init().map_err(|e| Error::io("set up", "the terminal", e))?;
    let result = event_loop(&mut terminal, &mut app);
    ratatui::restore();
    crate::logging::to_stderr();
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> Result<()> {
    let io_error = |e| Error::io("draw on", "the terminal", e);
    while !app.should_quit() {
        terminal.draw(|frame| app.draw(frame)).map_err(io_error)?;
        if !event::poll(Duration::from_millis(250)).map_err(io_error)? {
            continue;
        }
        match event::read().map_err(io_error)? {
            Event::Key(key) if key.kind != KeyEventKind::Release => app.handle_key(key),
            Event::Resize(_, _) => {}
            _ => {}
        }
    }
    Ok(())
}
