//! Turning memo text into what a terminal shows: sanitising, wrapping, Markdown
//! rendering and ANSI output.

pub mod ansi;
pub mod markdown;
pub mod sanitize;
pub mod wrap;

pub use markdown::{RenderOptions, Rendered, render};
pub use sanitize::{sanitize, sanitize_line};
