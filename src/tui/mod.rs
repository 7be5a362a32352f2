//! The terminal UI: the library of memos, the reader and its comment threads.
//!
//! State and key handling live in [`app`], drawing in one module per view; nothing
//! here reads or writes the repository except through the library's engine modules.
//! The terminal is restored when the UI ends, on errors, on panics and on `Ctrl-c`
//! (which raw mode delivers as a key).

pub mod app;
pub mod catalog;
mod composer;
mod help;
pub mod library;
pub mod meeting;
pub mod reader;
pub mod threads;
mod widgets;

use std::io::{IsTerminal, Write};
use std::time::Duration;

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind};
use crossterm::execute;

pub use app::App;

use crate::error::{Error, Result};
use crate::memo::Memo;
use crate::store::Repo;

/// Opens the library view.
pub fn run_library(repo: &Repo) -> Result<()> {
    let repo = Repo::discover(&repo.root)?;
    let log = repo.data_dir()?.join("tui.log");
    let _ = crate::logging::to_file(&log);
    let result = App::library(repo).and_then(run);
    crate::logging::to_stderr();
    result
}

/// Opens the reader on one memo; leaving it ends the UI.
pub fn run_reader(repo: &Repo, memo: &Memo) -> Result<()> {
    let repo = Repo::discover(&repo.root)?;
    let log = repo.data_dir()?.join("tui.log");
    let _ = crate::logging::to_file(&log);
    let result = App::reader_only(repo, memo.clone()).and_then(run);
    crate::logging::to_stderr();
    result
}

/// Opens the meeting screen on meeting `meeting` of memo `uid`; leaving it ends the UI.
pub fn run_meeting(repo: &Repo, uid: &str, meeting: &str) -> Result<()> {
    let repo = Repo::discover(&repo.root)?;
    let log = repo.data_dir()?.join("tui.log");
    let _ = crate::logging::to_file(&log);
    let clock = std::sync::Arc::new(crate::clock::RunningClock::from_env());
    let result = App::meeting(repo, uid, meeting, clock, crate::meeting::Zone::Local).and_then(run);
    crate::logging::to_stderr();
    result
}

fn run(mut app: App) -> Result<()> {
    if !std::io::stdout().is_terminal() {
        return Err(Error::invalid_with_hint(
            "the terminal UI needs a terminal, but standard output is not one",
            "run `memo list` or `memo show REF` to print instead",
        ));
    }
    install_panic_hook();
    let mut terminal = ratatui::try_init().map_err(|e| Error::io("set up", "the terminal", e))?;
    if let Err(e) = execute!(std::io::stdout(), EnableMouseCapture) {
        tracing::warn!("mouse capture is not available: {e}");
    }
    let result = guarded(&mut app, |app| event_loop(&mut terminal, app));
    restore();
    result
}

/// Runs `body`, and when it panics keeps the comment being typed as a draft, so that a
/// bug in the UI never costs typed text. The panic hook has printed the message by
/// then.
pub fn guarded<T>(app: &mut App, body: impl FnOnce(&mut App) -> Result<T>) -> Result<T> {
    use std::panic::{AssertUnwindSafe, catch_unwind};

    match catch_unwind(AssertUnwindSafe(|| body(&mut *app))) {
        Ok(result) => result,
        Err(_) => {
            let kept = catch_unwind(AssertUnwindSafe(|| app.keep_typed_text())).unwrap_or(false);
            let hint = if kept {
                "the comment you were typing is kept as a draft: open the memo again to send it"
            } else {
                "report the message above, with what you did just before"
            };
            Err(Error::invalid_with_hint(
                "the terminal UI stopped on an internal error (printed above)",
                hint,
            ))
        }
    }
}

/// Leaves mouse capture, raw mode and the alternate screen.
fn restore() {
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    let _ = std::io::stdout().flush();
}

/// Restores the terminal before a panic message is printed, so the message is
/// readable and the shell usable. ratatui's own hook leaves mouse capture on.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A damaged index's panic is reported as an error and the UI goes on.
        if crate::search::guard::in_guarded_read() {
            return;
        }
        restore();
        crate::logging::to_stderr();
        previous(info);
    }));
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> Result<()> {
    let io_error = |e| Error::io("draw on", "the terminal", e);
    while !app.should_quit() {
        app.tick();
        terminal.draw(|frame| app.draw(frame)).map_err(io_error)?;
        if !event::poll(Duration::from_millis(250)).map_err(io_error)? {
            continue;
        }
        // Handle every event already queued before drawing again, so a held key or a
        // fast typist never waits for one frame per key.
        loop {
            match event::read().map_err(io_error)? {
                Event::Key(key) if key.kind != KeyEventKind::Release => app.handle_key(key),
                Event::Mouse(mouse) => app.handle_mouse(mouse),
                _ => {}
            }
            if app.should_quit() || !event::poll(Duration::ZERO).map_err(io_error)? {
                break;
            }
        }
    }
    Ok(())
}
