//! Choosing the remote a sync talks to.
//!
//! memo asks for no credentials itself: remotes reached over a network go through the
//! git command line, which finds them where it always does (see
//! [`super::transport`]).

use std::path::Path;

use git2::Repository;

use crate::error::{Error, Result};

/// A remote to sync with.
pub struct Remote<'r> {
    pub remote: git2::Remote<'r>,
    /// The configured name, or the URL for a remote given by URL or path.
    pub display: String,
    /// The name of the remote-tracking namespace under `refs/memo/remotes/`.
    pub namespace: String,
    /// Whether the remote is configured (and so has remote-tracking branches).
    pub named: bool,
}

/// Opens the remote `wanted` names (a configured name, a URL or a path), or when
/// `None`: the checked-out branch's upstream remote, else `origin`, else the only one.
pub fn open<'r>(
    git: &'r Repository,
    wanted: Option<&str>,
    branch: Option<&str>,
) -> Result<Remote<'r>> {
    let name = match wanted {
        Some(wanted) => wanted.to_owned(),
        None => default_remote(git, branch)?,
    };
    if let Ok(remote) = git.find_remote(&name) {
        return Ok(Remote {
            remote,
            display: name.clone(),
            namespace: name,
            named: true,
        });
    }
    let looks_like_url = name.contains("://") || name.contains('@') || Path::new(&name).exists();
    if !looks_like_url {
        return Err(Error::invalid_with_hint(
            format!(
                "there is no remote named '{}'",
                crate::render::sanitize_line(&name)
            ),
            "`git remote -v` lists the remotes; a URL or a path works too",
        ));
    }
    let remote = git
        .remote_anonymous(&name)
        .map_err(|e| Error::git(format!("use {name} as a remote"), e))?;
    let hash = git2::Oid::hash_object(git2::ObjectType::Blob, name.as_bytes())
        .map(|id| id.to_string())
        .unwrap_or_default();
    Ok(Remote {
        remote,
        display: name,
        namespace: format!("url-{}", &hash[..12.min(hash.len())]),
        named: false,
    })
}

fn default_remote(git: &Repository, branch: Option<&str>) -> Result<String> {
    if let Some(branch) = branch
        && let Ok(name) = git.branch_upstream_remote(branch)
        && let Ok(name) = name.as_str()
    {
        return Ok(name.to_owned());
    }
    let remotes = git
        .remotes()
        .map_err(|e| Error::git("list the remotes", e))?;
    let names: Vec<&str> = remotes.iter().flatten().flatten().collect();
    if names.contains(&"origin") {
        return Ok("origin".to_owned());
    }
    match names.as_slice() {
        [only] => Ok((*only).to_owned()),
        [] => Err(Error::invalid_with_hint(
            "this repository has no remote to sync with",
            "add one with `git remote add origin URL`, or name a URL or path: `memo sync URL`",
        )),
        several => Err(Error::invalid_with_hint(
            format!(
                "this repository has several remotes ({}) and none is `origin`",
                several.join(", ")
            ),
            "name the one to sync with: `memo sync NAME`",
        )),
    }
}
