//! The git identity that memo commits and events carry.

use crate::error::{Error, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub email: String,
    /// The committer, when the environment sets one apart from the author.
    pub committer: Option<(String, String)>,
}

impl Identity {
    /// Reads the identity the way the git command line does: `GIT_AUTHOR_NAME` and
    /// `GIT_AUTHOR_EMAIL` first, then `user.name` and `user.email` from git config,
    /// with `EMAIL` as the last source of an address. Empty values count as missing.
    pub fn from_repository(repo: &git2::Repository) -> Result<Identity> {
        let config = repo.config().ok();
        let from_config = |key: &str| {
            config
                .as_ref()
                .and_then(|c| c.get_string(key).ok())
                .filter(|v| !v.trim().is_empty())
        };
        let from_env = |key: &str| std::env::var(key).ok().filter(|v| !v.trim().is_empty());

        let name = from_env("GIT_AUTHOR_NAME").or_else(|| from_config("user.name"));
        let email = from_env("GIT_AUTHOR_EMAIL")
            .or_else(|| from_config("user.email"))
            .or_else(|| from_env("EMAIL"));
        let (name, email) = match (name, email) {
            (Some(name), Some(email)) => (name, email),
            (None, None) => return Err(Error::IdentityMissing { detail: None }),
            (None, Some(_)) => {
                return Err(Error::IdentityMissing {
                    detail: Some("user.name is not set".to_owned()),
                });
            }
            (Some(_), None) => {
                return Err(Error::IdentityMissing {
                    detail: Some("user.email is not set".to_owned()),
                });
            }
        };

        let committer = match (
            from_env("GIT_COMMITTER_NAME"),
            from_env("GIT_COMMITTER_EMAIL"),
        ) {
            (Some(n), Some(e)) => Some((n, e)),
            (Some(n), None) => Some((n, email.clone())),
            (None, Some(e)) => Some((name.clone(), e)),
            (None, None) => None,
        };
        let identity = Identity {
            name,
            email,
            committer,
        };
        // libgit2 rejects names with angle brackets or line breaks. Report that now,
        // before the memo is written.
        identity.author_signature()?;
        Ok(identity)
    }

    /// Returns `Name <email>`, the form front matter uses for authors.
    pub fn display(&self) -> String {
        format!("{} <{}>", self.name, self.email)
    }

    pub fn author_signature(&self) -> Result<git2::Signature<'static>> {
        signature(&self.name, &self.email)
    }

    pub fn committer_signature(&self) -> Result<git2::Signature<'static>> {
        match &self.committer {
            Some((name, email)) => signature(name, email),
            None => self.author_signature(),
        }
    }
}

fn signature(name: &str, email: &str) -> Result<git2::Signature<'static>> {
    git2::Signature::now(name, email).map_err(|e| Error::IdentityMissing {
        detail: Some(format!(
            "'{name} <{email}>' is not a valid identity: {}",
            e.message()
        )),
    })
}
