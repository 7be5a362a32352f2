//! The library's error type.
//!
//! Every variant names the value that was wrong (a path, a reference, a key) and most
//! carry a hint that tells the user what to do next. The binary prints the message,
//! the chain of causes and then the hint.

use std::path::PathBuf;

use crate::memo::document::ParseError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not {action} {}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("git: {context}")]
    Git {
        context: String,
        #[source]
        source: git2::Error,
    },

    #[error(transparent)]
    Parse(#[from] ParseError),

    #[error("{} is not inside a git repository", path.display())]
    NotAGitRepository { path: PathBuf },

    #[error("{} is not a memo repository (no .memo/config.toml found)", path.display())]
    NotAMemoRepository { path: PathBuf },

    #[error("invalid configuration in {}: {message}", path.display())]
    Config { path: PathBuf, message: String },

    #[error("no memo matches '{reference}'")]
    MemoNotFound { reference: String },

    #[error("'{reference}' matches {} memos:\n{}", candidates.len(), format_candidates(candidates))]
    AmbiguousReference {
        reference: String,
        candidates: Vec<String>,
    },

    #[error("no git identity is configured{}", detail.as_ref().map(|d| format!(" ({d})")).unwrap_or_default())]
    IdentityMissing { detail: Option<String> },

    #[error("HEAD is detached at {commit}; memo only commits to a branch")]
    DetachedHead { commit: String },

    #[error("unknown template '{name}' (available: {})", available.join(", "))]
    TemplateNotFound {
        name: String,
        available: Vec<String>,
    },

    #[error("invalid template {name}: {message}")]
    Template { name: String, message: String },

    #[error(transparent)]
    InvalidTemplate(Box<crate::template::TemplateError>),

    #[error("invalid title: {reason}")]
    InvalidTitle { reason: String },

    #[error("unknown status '{value}' (expected one of: {})", crate::memo::Status::NAMES.join(", "))]
    InvalidStatus { value: String },

    #[error("{message}")]
    Editor { message: String, hint: String },

    #[error("search index in {}: {message}", path.display())]
    Index { path: PathBuf, message: String },

    #[error("{message}")]
    Invalid {
        message: String,
        hint: Option<String>,
    },

    #[error("{reference} stays locked by another process ({detail})")]
    RefLocked {
        reference: String,
        lock: PathBuf,
        detail: String,
    },

    #[error(
        "{reference} leads to object {object}, which is missing from the repository ({detail})"
    )]
    MissingObject {
        reference: String,
        object: String,
        detail: String,
    },

    #[error("{cause}; your comment was not sent but kept as a draft")]
    DraftSaved { cause: Box<Error>, path: PathBuf },
}

fn format_candidates(candidates: &[String]) -> String {
    candidates
        .iter()
        .map(|c| format!("  {c}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    pub fn git(context: impl Into<String>, source: git2::Error) -> Self {
        Error::Git {
            context: context.into(),
            source,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Error::Invalid {
            message: message.into(),
            hint: None,
        }
    }

    pub fn invalid_with_hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Invalid {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// Returns what the user can do about this error, where the fix is known.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Parse(e) => e.hint().map(str::to_owned),
            Error::NotAGitRepository { .. } | Error::NotAMemoRepository { .. } => Some(
                "run `memo init` to set up a memo repository here, or pass -C DIR".to_owned(),
            ),
            Error::MemoNotFound { .. } => {
                Some("run `memo list` to see the memos and their numbers".to_owned())
            }
            Error::AmbiguousReference { .. } => Some(
                "name the memo by its file name or uid (or a unique uid prefix) instead".to_owned(),
            ),
            Error::IdentityMissing { .. } => Some(
                "set it for this repository with\n      git config user.name \"Your Name\"\n      \
                 git config user.email you@example.com\n  or for every repository with `git config --global ...`,\n  \
                 or set GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL in the environment"
                    .to_owned(),
            ),
            Error::DetachedHead { .. } => Some(
                "switch to a branch first (`git switch main`, or `git switch -c NEW-BRANCH`)"
                    .to_owned(),
            ),
            Error::TemplateNotFound { .. } => Some(
                "run `memo templates` to list them, or add one in .memo/templates/NAME.md"
                    .to_owned(),
            ),
            Error::InvalidStatus { .. } => None,
            Error::InvalidTemplate(error) => error.hint.clone(),
            Error::Editor { hint, .. } => Some(hint.clone()),
            Error::Index { .. } => Some("run `memo index --rebuild` to rebuild it".to_owned()),
            Error::Invalid { hint, .. } => hint.clone(),
            Error::RefLocked { lock, .. } => Some(format!(
                "if no memo or git command is running, a killed process left {} behind; delete it and try again",
                lock.display()
            )),
            Error::DraftSaved { cause, path } => Some(format!(
                "{}your text is saved as a draft in {}; send it with `memo comment add --resume`",
                cause.hint().map(|h| format!("{h}\n  ")).unwrap_or_default(),
                path.display()
            )),
            Error::MissingObject { .. } => Some(
                "the repository is damaged: run `git fsck`, and fetch the object again from a clone that has it (`memo sync`)"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}
