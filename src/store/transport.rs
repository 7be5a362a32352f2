//! Fetching from and pushing to a remote, in one of three ways.
//!
//! - A remote on this machine (a path or a `file://` URL) is synced by copying objects
//!   directly (see [`super::copy`]). Packing for a transfer is what made such a sync
//!   slow: libgit2 builds the pack inside memo and computes every delta again, and
//!   even git spends most of a sync choosing deltas, indexing packs and checking
//!   connectivity on both sides.
//! - Any other remote goes through `git fetch` and `git push` when `git` is on `PATH`,
//!   as jujutsu does. The remote then behaves exactly as in git: `~/.ssh/config`,
//!   `core.sshCommand`, `url.<base>.insteadOf`, proxies, the ssh agent and credential
//!   helpers all apply, and git prompts on the terminal where it would.
//! - Without `git`, libgit2 does both, for remotes on this machine only. memo is built
//!   without libgit2's ssh and https support, which would link OpenSSL and libssh2
//!   into every command (about 6 ms of start-up each, measured with `perf stat`) for a
//!   fallback that uses neither `~/.ssh/config` nor git's credential helpers.
//!
//! Either way a push never forces: the remote rejects a log that moved since the
//! fetch, and the sync fetches and merges again. No hooks run (`--no-verify` for git),
//! so a sync stays a transfer of comments and memo files.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use git2::{ErrorCode, FetchOptions, Oid, PushOptions, RemoteCallbacks, Repository};

use super::copy;
use super::remote::Remote;
use crate::error::{Error, Result};
use crate::events::{self, REF_PREFIX};

/// Environment variables that point git at a repository. memo names the repository
/// with `--git-dir`, so values inherited from a calling git must not override it.
const REPOSITORY_VARIABLES: [&str; 7] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
];

/// The environment variable that chooses how `memo sync` reaches a remote: `auto`
/// (the default), `git` (the git command line, for every remote) or `libgit2`.
pub const TRANSPORT_VARIABLE: &str = "MEMO_SYNC_TRANSPORT";

/// Up to this many logs, `git push` names each; beyond, one pattern names them all.
const EXPLICIT_LOG_REFSPECS: usize = 32;

/// The way a sync reaches its remote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transport {
    network: Network,
    /// The remote's repository when it is on this machine and memo copies objects to
    /// and from it directly (see [`super::copy`]).
    local: Option<PathBuf>,
}

/// The way a sync reaches a remote that is not copied directly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Network {
    /// The `git` command found on `PATH`.
    Command,
    /// libgit2, linked into memo.
    Library,
}

/// The refs a fetch requests and where it writes them.
pub struct FetchRequest<'a> {
    /// The remote-tracking namespace of the logs, ending in `/`:
    /// `refs/memo/remotes/<REMOTE>/`.
    pub logs_to: &'a str,
    /// The remote branch to fetch, and its remote-tracking ref.
    pub branch: Option<(&'a str, &'a str)>,
    /// The one log to fetch, by uid, instead of all of them.
    pub only: Option<&'a str>,
}

impl FetchRequest<'_> {
    /// Returns the refspec of the logs this request fetches. One log is a pattern too (a
    /// uid followed by nothing), so that a remote without that log is no error.
    fn log_refspec(&self) -> String {
        let uid = self.only.unwrap_or("");
        format!("+{REF_PREFIX}{uid}*:{}{uid}*", self.logs_to)
    }

    /// Returns whether the request fetches the log with this ref name on the remote.
    pub fn wants_log(&self, name: &str) -> bool {
        match (name.strip_prefix(REF_PREFIX), self.only) {
            (Some(uid), Some(only)) => uid == only,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

/// The refs a push sends to the remote.
pub struct PushRequest<'a> {
    /// The logs whose local head the remote lacks, by uid, with that head.
    pub logs: &'a [(String, Oid)],
    /// The local branch and the remote branch it goes to.
    pub branch: Option<(&'a str, &'a str)>,
    /// The remote's heads as the fetch found them: a push moves a ref only from there.
    pub advertised: &'a BTreeMap<String, Oid>,
}

/// A ref the remote did not take, with the reason it gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub reference: String,
    pub reason: String,
}

impl Transport {
    /// Chooses how to reach `remote`: directly when it is a repository on this
    /// machine, else through `git` when `git --version` runs, else through libgit2.
    /// [`TRANSPORT_VARIABLE`] can ask for git or libgit2 for every remote.
    pub fn choose(git: &Repository, remote: &Remote<'_>) -> Result<Transport> {
        let wanted = std::env::var(TRANSPORT_VARIABLE).unwrap_or_default();
        let transport = match wanted.as_str() {
            "" | "auto" => Transport {
                network: detect_git(),
                local: copy::local_path(git, remote.remote.url().unwrap_or(&remote.display)),
            },
            "git" => Transport {
                network: Network::Command,
                local: None,
            },
            "libgit2" => Transport {
                network: Network::Library,
                local: None,
            },
            other => {
                return Err(Error::invalid_with_hint(
                    format!(
                        "{TRANSPORT_VARIABLE} is '{}', which names no way to reach a remote",
                        crate::render::sanitize_line(other)
                    ),
                    format!("set {TRANSPORT_VARIABLE} to auto, git or libgit2, or unset it"),
                ));
            }
        };
        if transport.network == Network::Library
            && transport.local.is_none()
            && !is_local(git, remote)
        {
            return Err(Error::invalid_with_hint(
                format!(
                    "memo reaches {} through the git command line, and `git` is not on PATH{}",
                    crate::render::sanitize_line(&remote.display),
                    if wanted == "libgit2" {
                        format!(" or {TRANSPORT_VARIABLE} is libgit2")
                    } else {
                        String::new()
                    }
                ),
                "install git (libgit2 inside memo syncs only with a path or a file:// URL)",
            ));
        }
        tracing::debug!(?transport, "chose how to reach the remote");
        Ok(transport)
    }

    /// Fetches the remote's event logs and branch, and returns the remote's heads of
    /// both by their names on the remote (`refs/memo/events/<UID>`,
    /// `refs/heads/<BRANCH>`). A branch the remote lacks is left out.
    pub fn fetch(
        &self,
        git: &Repository,
        remote: &mut Remote<'_>,
        request: &FetchRequest<'_>,
    ) -> Result<BTreeMap<String, Oid>> {
        match (&self.local, self.network) {
            (Some(path), _) => copy::fetch(git, path, request),
            (None, Network::Command) => fetch_with_command(git, remote, request),
            (None, Network::Library) => fetch_with_library(remote, request),
        }
    }

    /// Pushes without forcing and returns the refs the remote rejected.
    pub fn push(
        &self,
        git: &Repository,
        remote: &mut Remote<'_>,
        request: &PushRequest<'_>,
    ) -> Result<Vec<Rejection>> {
        let Some(path) = &self.local else {
            return match self.network {
                Network::Command => push_with_command(git, remote, request),
                Network::Library => push_with_library(remote, request),
            };
        };
        let mut rejected = copy::push_logs(git, path, request.logs, request.advertised)?;
        // The branch goes through git (or libgit2), so the remote checks it as git's
        // receive-pack does. It rejects, for example, the branch its work tree has
        // checked out.
        if request.branch.is_some() {
            let branch_only = PushRequest {
                logs: &[],
                ..*request
            };
            rejected.extend(match self.network {
                Network::Command => push_with_command(git, remote, &branch_only)?,
                Network::Library => push_with_library(remote, &branch_only)?,
            });
        }
        Ok(rejected)
    }
}

fn detect_git() -> Network {
    let found = Command::new("git")
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if found {
        Network::Command
    } else {
        tracing::debug!("git is not on PATH; libgit2 reaches remotes");
        Network::Library
    }
}

fn branch_refspec((branch, tracking): (&str, &str)) -> String {
    format!("+refs/heads/{branch}:{tracking}")
}

fn fetch_with_command(
    git: &Repository,
    remote: &Remote<'_>,
    request: &FetchRequest<'_>,
) -> Result<BTreeMap<String, Oid>> {
    // No FETCH_HEAD and no check for forced updates: memo prints neither.
    // NOTE: when the branch is among the refs, git first walks every local commit newer
    // than the branch's last commit (`mark_complete_local_refs`, git 2.47): about 0.6 s
    // when 100,000 events are newer than the branch.
    let config = [
        "fetch.writeFetchHead=false",
        "fetch.showForcedUpdates=false",
    ];
    let logs = request.log_refspec();
    let mut branch = request.branch;
    let output = loop {
        let mut args = vec![
            "--quiet",
            "--prune",
            "--no-recurse-submodules",
            "--",
            remote.display.as_str(),
            logs.as_str(),
        ];
        let branch_spec = branch.map(branch_refspec);
        if let Some(spec) = &branch_spec {
            args.push(spec);
        }
        let output = run_git(git, &config, "fetch", &args)?;
        // A remote without the branch (a new, empty remote) fails the whole fetch;
        // fetch the logs alone then.
        if let Some((name, _)) = branch
            && !output.success
            && output
                .stderr
                .contains(&format!("couldn't find remote ref refs/heads/{name}"))
        {
            tracing::debug!(branch = name, "the remote has no such branch");
            branch = None;
            continue;
        }
        break output;
    };
    if !output.success {
        return Err(output.error(format!("fetch from {}", remote.display)));
    }

    let mut heads = BTreeMap::new();
    for (uid, head) in events::heads_under(git, request.logs_to)? {
        let name = format!("{REF_PREFIX}{uid}");
        if request.wants_log(&name) {
            heads.insert(name, head);
        }
    }
    if let Some((name, tracking)) = branch {
        let head = git
            .refname_to_id(tracking)
            .map_err(|e| Error::git(format!("read {tracking}"), e))?;
        heads.insert(format!("refs/heads/{name}"), head);
    }
    Ok(heads)
}

fn fetch_with_library(
    remote: &mut Remote<'_>,
    request: &FetchRequest<'_>,
) -> Result<BTreeMap<String, Oid>> {
    let mut refspecs = vec![request.log_refspec()];
    refspecs.extend(request.branch.map(branch_refspec));
    let mut options = FetchOptions::new();
    options.update_fetchhead(false);
    remote
        .remote
        .fetch(&refspecs, Some(&mut options), Some("memo sync"))
        .map_err(|e| Error::git(format!("fetch from {}", remote.display), e))?;
    // libgit2 fetches the logs the remote has, whose names the list gives.
    let advertised = remote
        .remote
        .list()
        .map_err(|e| Error::git(format!("list the refs of {}", remote.display), e))?
        .iter()
        .map(|head| (head.name().to_owned(), head.oid()))
        .filter(|(name, _)| {
            request.wants_log(name)
                || request
                    .branch
                    .is_some_and(|(branch, _)| *name == format!("refs/heads/{branch}"))
        })
        .collect();
    Ok(advertised)
}

fn push_with_command(
    git: &Repository,
    remote: &Remote<'_>,
    request: &PushRequest<'_>,
) -> Result<Vec<Rejection>> {
    // A remote on this machine gains nothing from deltas, which cost about a fifth of
    // the push (measured with git 2.47), and a later `git gc` there computes them.
    let config: &[&str] = if is_local(git, remote) {
        &["pack.window=0"]
    } else {
        &[]
    };
    let mut args = vec!["--porcelain", "--no-verify", "--", remote.display.as_str()];
    // Beyond a few logs, one pattern instead of a refspec per log keeps the command
    // line short however many logs changed. Logs the remote already has are up to
    // date and cost nothing, and rejections of logs memo did not mean to push are
    // ignored below.
    let logs: Vec<String> = if request.logs.len() > EXPLICIT_LOG_REFSPECS {
        vec![format!("{REF_PREFIX}*:{REF_PREFIX}*")]
    } else {
        request
            .logs
            .iter()
            .map(|(uid, _)| format!("{REF_PREFIX}{uid}:{REF_PREFIX}{uid}"))
            .collect()
    };
    args.extend(logs.iter().map(String::as_str));
    let branch = request
        .branch
        .map(|(local, theirs)| format!("refs/heads/{local}:refs/heads/{theirs}"));
    if let Some(spec) = &branch {
        args.push(spec);
    }
    let output = run_git(git, config, "push", &args)?;

    let mut rejected = Vec::new();
    let mut any_rejected = false;
    for line in output.stdout.lines() {
        // `<flag> TAB <from>:<to> TAB <summary>`; `!` marks a rejected ref.
        let mut fields = line.split('\t');
        let (Some("!"), Some(refs), Some(summary)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        any_rejected = true;
        let Some((_, to)) = refs.split_once(':') else {
            continue;
        };
        let intended = match to.strip_prefix(REF_PREFIX) {
            Some(uid) => request.logs.iter().any(|(u, _)| u == uid),
            None => branch.is_some(),
        };
        if intended {
            rejected.push(Rejection {
                reference: to.to_owned(),
                reason: summary.to_owned(),
            });
        }
    }
    if !output.success && !any_rejected {
        return Err(output.error(format!("push to {}", remote.display)));
    }
    Ok(rejected)
}

fn push_with_library(remote: &mut Remote<'_>, request: &PushRequest<'_>) -> Result<Vec<Rejection>> {
    let mut refspecs: Vec<String> = request
        .logs
        .iter()
        .map(|(uid, _)| format!("{REF_PREFIX}{uid}:{REF_PREFIX}{uid}"))
        .collect();
    if let Some((local, theirs)) = request.branch {
        refspecs.push(format!("refs/heads/{local}:refs/heads/{theirs}"));
    }
    let mut rejected = Vec::new();
    let mut callbacks = RemoteCallbacks::new();
    callbacks.push_update_reference(|name, status| {
        if let Some(status) = status {
            rejected.push(Rejection {
                reference: name.to_owned(),
                reason: status.to_owned(),
            });
        }
        Ok(())
    });
    let mut options = PushOptions::new();
    options.remote_callbacks(callbacks);
    remote
        .remote
        .push(&refspecs, Some(&mut options))
        .map_err(|e| match e.code() {
            // libgit2 (1.9) pushes to a path only when the repository there is bare.
            ErrorCode::BareRepo => Error::invalid_with_hint(
                format!(
                    "cannot push to {}: it is a repository with a work tree, given by path (its comments and files were fetched and merged)",
                    remote.display
                ),
                "install git (memo then pushes with it), or share through a bare repository (`git clone --bare`)",
            ),
            _ => Error::git(format!("push to {}", remote.display), e),
        })?;
    drop(options);
    Ok(rejected)
}

/// Returns whether the remote is a repository on this machine.
fn is_local(git: &Repository, remote: &Remote<'_>) -> bool {
    copy::local_path(git, remote.remote.url().unwrap_or(&remote.display)).is_some()
}

/// The result of a git command.
struct GitOutput {
    program: String,
    success: bool,
    status: String,
    stdout: String,
    stderr: String,
}

impl GitOutput {
    fn error(&self, action: String) -> Error {
        let stderr = self.stderr.trim();
        Error::invalid_with_hint(
            format!(
                "could not {action}: `{}` failed ({}){}{stderr}",
                self.program,
                self.status,
                if stderr.is_empty() { "" } else { ":\n" }
            ),
            "the lines from git above say why; `memo sync` uses git's own settings for the remote (try the same with `git fetch`)",
        )
    }
}

/// Runs `git -c CONFIG... SUBCOMMAND ARGS...` on the repository, with standard input
/// closed and the output captured. git still prompts for passwords and host keys on
/// the terminal (`/dev/tty`) where it would.
fn run_git(
    git: &Repository,
    config: &[&str],
    subcommand: &str,
    args: &[&str],
) -> Result<GitOutput> {
    let mut command = Command::new("git");
    command.arg(OsStr::new("--git-dir")).arg(git.path());
    for setting in config {
        command.args(["-c", setting]);
    }
    command.arg(subcommand).args(args);
    command.current_dir(git.workdir().unwrap_or_else(|| git.path()));
    for name in REPOSITORY_VARIABLES {
        command.env_remove(name);
    }
    // Messages in English, so memo can recognise the one it handles.
    command.env("LC_ALL", "C");
    command.stdin(Stdio::null());
    let program = format!("git {subcommand}");
    let started = std::time::Instant::now();
    let output = command
        .output()
        .map_err(|e| Error::io("run", Path::new("git"), e))?;
    tracing::debug!(command = %program, elapsed = ?started.elapsed(), status = %output.status, "ran git");
    Ok(GitOutput {
        program,
        success: output.status.success(),
        status: output.status.to_string(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}
