//! Drafts: comments whose write failed, kept in `.git/memo/drafts/` until sent.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::write::Write;
use crate::clock;
use crate::error::{Error, Result};
use crate::events::new_id;
use crate::store::{Repo, write_atomic};

/// The version of the draft file format.
const DRAFT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub version: u32,
    pub id: String,
    pub created: DateTime<Utc>,
    #[serde(flatten)]
    pub write: Write,
}

/// Returns the folder of drafts, `.git/memo/drafts/`, creating it.
pub fn folder(repo: &Repo) -> Result<PathBuf> {
    let dir = repo.data_dir()?.join("drafts");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
    Ok(dir)
}

/// Saves a write as a draft, atomically, and returns the draft's path.
pub fn save(repo: &Repo, write: &Write) -> Result<PathBuf> {
    let draft = Draft {
        version: DRAFT_VERSION,
        id: new_id(),
        created: clock::now(),
        write: write.clone(),
    };
    let path = folder(repo)?.join(format!("{}.json", draft.id));
    let mut bytes = serde_json::to_vec_pretty(&draft)
        .map_err(|e| Error::invalid(format!("cannot encode the draft: {e}")))?;
    bytes.push(b'\n');
    write_atomic(&path, &bytes)?;
    Ok(path)
}

/// Returns the saved drafts, oldest first. A file that cannot be read as a draft is
/// returned as an error beside the others, never deleted.
pub fn list(repo: &Repo) -> Result<Vec<(PathBuf, Result<Draft>)>> {
    let dir = repo.data_dir()?.join("drafts");
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("read", &dir, e)),
    };
    let mut drafts = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io("read", &dir, e))?.path();
        if path.extension().is_some_and(|e| e == "json") {
            let draft = read(&path);
            drafts.push((path, draft));
        }
    }
    drafts.sort_by(|a, b| {
        let key = |d: &Result<Draft>| d.as_ref().ok().map(|d| d.created);
        key(&a.1).cmp(&key(&b.1)).then_with(|| a.0.cmp(&b.0))
    });
    Ok(drafts)
}

fn read(path: &Path) -> Result<Draft> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    let draft: Draft = serde_json::from_slice(&bytes).map_err(|e| {
        Error::invalid_with_hint(
            format!("{} is not a readable draft: {e}", path.display()),
            "open it in an editor to copy your text out, then delete it",
        )
    })?;
    if draft.version > DRAFT_VERSION {
        return Err(Error::invalid_with_hint(
            format!(
                "{} is a draft of format version {}, newer than this memo reads",
                path.display(),
                draft.version
            ),
            "send it with a newer memo",
        ));
    }
    Ok(draft)
}

/// Deletes a draft once it was sent.
pub fn remove(path: &Path) -> Result<()> {
    std::fs::remove_file(path).map_err(|e| Error::io("delete", path, e))
}
