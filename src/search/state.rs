//! What the index knows about each memo file, so unchanged files are not read again.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::store::write_atomic;

const STATE_FILE: &str = "memo-state.json";
const VERSION_FILE: &str = "memo-format";

/// Size and modification time of a file, in nanoseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    pub size: u64,
    pub modified_ns: i128,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    pub stat: Stat,
    /// The git blob id of the content that was indexed.
    pub blob: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct IndexState {
    /// Keyed by the memo path relative to the repository root.
    pub files: BTreeMap<String, FileState>,
}

impl IndexState {
    /// Reads the state, or an empty one when it is missing or unreadable; an empty
    /// state makes the next update hash every file, which repairs it.
    pub fn load(dir: &Path) -> IndexState {
        std::fs::read(dir.join(STATE_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, dir: &Path) -> Result<()> {
        let bytes = serde_json::to_vec(self)
            .map_err(|e| Error::invalid(format!("cannot write the index state: {e}")))?;
        write_atomic(&dir.join(STATE_FILE), &bytes)
    }
}

pub fn stat(metadata: &std::fs::Metadata) -> Stat {
    let modified_ns = metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128);
    Stat {
        size: metadata.len(),
        modified_ns,
    }
}

pub fn read_version(dir: &Path) -> Option<u32> {
    std::fs::read_to_string(dir.join(VERSION_FILE))
        .ok()
        .and_then(|s| s.trim().parse().ok())
}

pub fn write_version(dir: &Path, version: u32) -> Result<()> {
    write_atomic(&dir.join(VERSION_FILE), format!("{version}\n").as_bytes())
}
