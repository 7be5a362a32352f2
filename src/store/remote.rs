//! Reaching a remote: choosing it, and the credentials git would use for it.
//!
//! Credentials come from where the git command line finds them: the ssh agent (then
//! the usual key files in `~/.ssh`) for ssh remotes, and the configured credential
//! helpers for https remotes. memo neither prompts for a password nor stores one.

use std::path::Path;

use git2::{Cred, CredentialType, RemoteCallbacks, Repository};

use crate::error::{Error, Result};

/// The most credentials one connection tries, because libgit2 calls the credential
/// callback again after every rejected one.
const MAX_CREDENTIAL_ATTEMPTS: u32 = 4;

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

/// Returns callbacks that find credentials where the git command line finds them.
pub fn callbacks<'a>(git: &Repository) -> RemoteCallbacks<'a> {
    load_certificates();
    let config = git.config().ok();
    let mut attempts = 0;
    let mut callbacks = RemoteCallbacks::new();
    callbacks.credentials(move |url, username, allowed| {
        attempts += 1;
        if attempts > MAX_CREDENTIAL_ATTEMPTS {
            return Err(git2::Error::from_str(&format!(
                "authentication to {url} failed after {MAX_CREDENTIAL_ATTEMPTS} attempts"
            )));
        }
        let user = username.unwrap_or("git");
        if allowed.contains(CredentialType::SSH_KEY) {
            if attempts == 1 {
                return Cred::ssh_key_from_agent(user);
            }
            if let Some(key) = ssh_key_file(attempts - 2) {
                return Cred::ssh_key(user, None, &key, None);
            }
        }
        if allowed.contains(CredentialType::USER_PASS_PLAINTEXT)
            && let Some(config) = &config
        {
            return Cred::credential_helper(config, url, username);
        }
        if allowed.contains(CredentialType::DEFAULT) {
            return Cred::default();
        }
        if allowed.contains(CredentialType::USERNAME) {
            return Cred::username(user);
        }
        Err(git2::Error::from_str(&format!(
            "no credentials for {url}: start an ssh agent with your key, or configure a git credential helper"
        )))
    });
    callbacks
}

/// Returns the `n`-th private key file that exists in `~/.ssh`, in the order ssh tries
/// them.
fn ssh_key_file(n: u32) -> Option<std::path::PathBuf> {
    let home = std::env::var_os("HOME")?;
    let dir = Path::new(&home).join(".ssh");
    ["id_ed25519", "id_ecdsa", "id_rsa"]
        .iter()
        .map(|name| dir.join(name))
        .filter(|path| path.is_file())
        .nth(n as usize)
}

/// The `SSL_CERT_FILE` the process started with, kept while libgit2 starts without it.
static CERTIFICATE_FILE: std::sync::OnceLock<Option<std::ffi::OsString>> =
    std::sync::OnceLock::new();

/// Starts libgit2 without parsing the system's certificate bundle, which it otherwise
/// does on every start (about 20 ms with OpenSSL 3, more than the rest of adding a
/// comment). [`load_certificates`] loads the bundle before the first connection. Call
/// this first in `main`, before any other thread exists.
pub fn start_git_without_certificates() {
    if !cfg!(all(unix, not(target_os = "macos"), not(target_os = "ios"))) {
        return;
    }
    let original = std::env::var_os("SSL_CERT_FILE");
    let _ = CERTIFICATE_FILE.set(original.clone());
    // SAFETY: this runs at the start of `main`, while the process has one thread, so no
    // other thread reads the environment meanwhile. git2's own start-up (below) sets
    // these variables the same way.
    unsafe { std::env::set_var("SSL_CERT_FILE", "/dev/null") };
    // Any libgit2 option starts libgit2; strict hash verification is on by default.
    git2::opts::strict_hash_verification(true);
    // SAFETY: as above; programs memo starts (the editor, credential helpers) see the
    // variable as it was.
    unsafe {
        match original {
            Some(value) => std::env::set_var("SSL_CERT_FILE", value),
            None => std::env::remove_var("SSL_CERT_FILE"),
        }
    }
}

/// Loads the certificate bundle that [`start_git_without_certificates`] left out: the
/// one `SSL_CERT_FILE` named, or the system's.
pub fn load_certificates() {
    static LOADED: std::sync::Once = std::sync::Once::new();
    let Some(original) = CERTIFICATE_FILE.get() else {
        return;
    };
    LOADED.call_once(|| {
        let file = original
            .clone()
            .map(std::path::PathBuf::from)
            .filter(|path| path.exists())
            .or_else(|| openssl_probe::probe().cert_file);
        if let Some(file) = file {
            // SAFETY: sync calls this before it connects, with no other libgit2 call
            // running in another thread.
            if let Err(error) = unsafe { git2::opts::set_ssl_cert_file(&file) } {
                tracing::warn!(
                    "cannot load the certificates in {}: {error}",
                    file.display()
                );
            }
        }
    });
}
