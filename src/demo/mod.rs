//! The sample decision repository that `memo demo` writes.
//!
//! The sample memos are compiled into the binary. Each is committed by its first
//! author at its creation time, so `memo log` and `git log` read like a real history.

mod meeting;

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::memo::Memo;
use crate::store::{self, Identity, Repo};

/// The sample memos: file name and content.
pub const SAMPLES: [(&str, &str); 6] = [
    sample!("0001-run-postgresql-on-self-managed-virtual-machines.md"),
    sample!("0002-adopt-a-service-mesh-for-all-internal-traffic.md"),
    sample!("0003-platform-engineering-plan-for-2026.md"),
    sample!("0004-move-production-databases-to-managed-postgresql.md"),
    sample!("0005-preview-environments-for-every-pull-request.md"),
    sample!("0006-choose-a-log-storage-backend.md"),
];

macro_rules! sample {
    ($name:literal) => {
        ($name, include_str!(concat!("samples/", $name)))
    };
}
use sample;

/// The identity that commits the repository settings.
const SETUP_NAME: &str = "memo demo";
const SETUP_EMAIL: &str = "demo@example.com";

/// Writes the sample repository into `dir`, which must not exist or be empty.
pub fn write(dir: &Path) -> Result<Repo> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| Error::io("read", dir, e))?
            .next()
            .is_none();
        if !empty {
            return Err(Error::invalid_with_hint(
                format!("{} already exists and is not empty", dir.display()),
                "pick a new folder for the demo, or leave DIR out to use a temporary one",
            ));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    // The demo commits as its memos' authors, whatever identity the user has.
    let setup = Identity {
        name: SETUP_NAME.to_owned(),
        email: SETUP_EMAIL.to_owned(),
        committer: None,
    };
    let repo = store::init(dir, Config::default(), Some(setup))?.repo;

    for (name, text) in SAMPLES {
        // The memo the sample meeting decides starts in review.
        let text = if name == meeting::MEMO_FILE {
            meeting::before_meeting(text)?
        } else {
            text.to_owned()
        };
        let relative = PathBuf::from(&repo.config.memos.dir).join(name);
        let absolute = repo.absolute(&relative);
        store::write_atomic(&absolute, text.as_bytes())?;
        let memo = Memo::parse(relative.clone(), text.as_bytes())?;
        let author = memo
            .meta
            .authors
            .first()
            .and_then(|a| parse_author(a))
            .unwrap_or((SETUP_NAME.to_owned(), SETUP_EMAIL.to_owned()));
        let identity = Identity {
            name: author.0,
            email: author.1,
            committer: None,
        };
        let message = format!(
            "Add memo {:04}: {}",
            memo.number().unwrap_or(0),
            memo.title()
        );
        store::commit_paths(&repo, &[relative.as_path()], &message, &identity)?;
    }

    let decided =
        repo.load_memo(&PathBuf::from(&repo.config.memos.dir).join(meeting::MEMO_FILE))?;
    meeting::hold(&repo, &decided)?;
    Ok(repo)
}

/// Splits `Name <email>` into its parts.
pub fn parse_author(author: &str) -> Option<(String, String)> {
    let (name, rest) = author.split_once('<')?;
    let email = rest.strip_suffix('>')?;
    Some((name.trim().to_owned(), email.trim().to_owned()))
}
