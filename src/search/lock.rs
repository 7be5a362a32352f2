//! The update lock: one process at a time changes the index and its state.
//!
//! The lock is an advisory lock (`flock` on Unix, `LockFileEx` on Windows) on
//! `.git/memo/search-index.lock`, taken only while the index is written. The operating
//! system drops it when the holder exits or is killed, so a lock is never left behind
//! and never needs removing by hand. Searching takes no lock: tantivy readers see the last
//! committed index while a writer works.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

const LOCK_FILE: &str = "search-index.lock";

/// How long a command waits for another process's update by default.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(5);

/// The environment variable that sets the wait, in milliseconds.
pub const WAIT_VAR: &str = "MEMO_INDEX_WAIT_MS";

/// Returns the wait `MEMO_INDEX_WAIT_MS` sets, or the default.
pub fn wait_from_env() -> Duration {
    std::env::var(WAIT_VAR)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .map_or(DEFAULT_WAIT, Duration::from_millis)
}

/// A held update lock; dropping it releases the lock.
#[derive(Debug)]
pub struct UpdateLock {
    _file: File,
}

/// The holder of a lock that could not be taken in time.
#[derive(Clone, Debug)]
pub struct Busy {
    /// The process id the holder wrote into the lock file, if it could be read.
    pub holder: Option<u32>,
}

impl std::fmt::Display for Busy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.holder {
            Some(pid) => write!(f, "memo process {pid} is updating the search index"),
            None => write!(f, "another memo process is updating the search index"),
        }
    }
}

impl UpdateLock {
    /// Takes the lock in `data_dir`, retrying for up to `wait`.
    pub fn acquire(
        data_dir: &Path,
        wait: Duration,
    ) -> Result<std::result::Result<UpdateLock, Busy>> {
        let path = data_dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io("open", &path, e))?;
        let deadline = Instant::now() + wait;
        let mut pause = Duration::from_millis(5);
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return Ok(Err(Busy {
                            holder: read_holder(&mut file),
                        }));
                    }
                    std::thread::sleep(pause.min(deadline - now));
                    pause = (pause * 2).min(Duration::from_millis(100));
                }
                Err(TryLockError::Error(e)) => return Err(Error::io("lock", &path, e)),
            }
        }
        // The holder's process id, for the message another process shows while waiting.
        let _ = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| write!(file, "{}", std::process::id()));
        tracing::debug!(path = %path.display(), "took the index update lock");
        Ok(Ok(UpdateLock { _file: file }))
    }
}

fn read_holder(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}
