//! Where log lines go: standard error, or a file while the terminal UI owns the screen.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

use tracing_subscriber::fmt::MakeWriter;

static TUI_LOG: Mutex<Option<File>> = Mutex::new(None);

/// Sends log lines to `path` until [`to_stderr`] is called.
pub fn to_file(path: &Path) -> io::Result<()> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    if let Ok(mut slot) = TUI_LOG.lock() {
        *slot = Some(file);
    }
    Ok(())
}

/// Sends log lines to standard error again.
pub fn to_stderr() {
    if let Ok(mut slot) = TUI_LOG.lock() {
        *slot = None;
    }
}

/// The writer the log subscriber uses.
#[derive(Clone, Copy, Debug, Default)]
pub struct LogWriter;

pub struct LogLine;

impl Write for LogLine {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match TUI_LOG.lock() {
            Ok(mut slot) => match slot.as_mut() {
                Some(file) => file.write(buf),
                None => io::stderr().write(buf),
            },
            Err(_) => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LogWriter {
    type Writer = LogLine;

    fn make_writer(&'a self) -> Self::Writer {
        LogLine
    }
}
