//! memo: write, check, meet on and remember narrative decision memos, stored in git.
//!
//! The engine modules (`memo`, `template`, `check`, `store`, `search`, `render`) do no
//! terminal I/O; `cli` and `tui` are the two front ends over them.

pub mod anchor;
pub mod check;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod editor;
pub mod error;
pub mod events;
pub mod import;
pub mod logging;
pub mod meeting;
pub mod memo;
pub mod render;
pub mod search;
pub mod store;
pub mod template;
pub mod thread;
pub mod tui;

pub use error::{Error, Result};
