//! The meeting screen's background sync of its memo's event log.
//!
//! A worker thread owns its own repository handle, because git handles are not shared
//! across threads, and runs [`store::sync::sync_log`] on each request. The screen
//! requests a sync on its own clock, every `meeting.sync_interval_seconds`, and never
//! waits: it picks up the result on a later frame and reads the log again if it moved.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::time::Duration;

use crate::store::{self, Repo};

/// The outcome of one sync: whether the local log took events, or what failed.
pub type SyncResult = Result<store::sync::LogSyncReport, String>;

pub struct SyncWorker {
    requests: Sender<()>,
    results: Receiver<SyncResult>,
    /// A request was sent and its result has not been picked up.
    busy: bool,
}

impl std::fmt::Debug for SyncWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncWorker")
            .field("busy", &self.busy)
            .finish()
    }
}

impl SyncWorker {
    /// Starts the worker for the log of memo `uid` in the repository at `root`. The
    /// thread ends when the worker is dropped.
    pub fn start(root: PathBuf, uid: String) -> SyncWorker {
        let (requests, incoming) = mpsc::channel::<()>();
        let (outgoing, results) = mpsc::channel();
        std::thread::spawn(move || {
            while incoming.recv().is_ok() {
                let result = Repo::discover(&root)
                    .and_then(|repo| store::sync::sync_log(&repo, None, &uid))
                    .map_err(|e| e.to_string());
                if let Err(error) = &result {
                    tracing::warn!(uid, "background sync failed: {error}");
                }
                if outgoing.send(result).is_err() {
                    break;
                }
            }
        });
        SyncWorker {
            requests,
            results,
            busy: false,
        }
    }

    /// Asks for a sync unless one is running. Returns whether it asked.
    pub fn request(&mut self) -> bool {
        if self.busy {
            return false;
        }
        self.busy = self.requests.send(()).is_ok();
        self.busy
    }

    /// Returns the result of the running sync, when it has finished.
    pub fn poll(&mut self) -> Option<SyncResult> {
        match self.results.try_recv() {
            Ok(result) => {
                self.busy = false;
                Some(result)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.busy = false;
                Some(Err("the sync thread ended".to_owned()))
            }
        }
    }

    /// Blocks until the running sync finishes, for at most `timeout`; for tests and
    /// for leaving the screen with the last events pushed.
    pub fn wait(&mut self, timeout: Duration) -> Option<SyncResult> {
        if !self.busy {
            return None;
        }
        match self.results.recv_timeout(timeout) {
            Ok(result) => {
                self.busy = false;
                Some(result)
            }
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => {
                self.busy = false;
                Some(Err("the sync thread ended".to_owned()))
            }
        }
    }

    pub fn is_busy(&self) -> bool {
        self.busy
    }
}
