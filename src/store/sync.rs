//! `memo sync`: exchanging event logs and memo files with a remote.
//!
//! A sync fetches the remote's event logs and the checked-out branch. It merges each
//! memo's log with the local one as the union of their events, brings the branch up to
//! date through ordinary git (a fast-forward or a merge commit), and pushes what the
//! remote lacks. Pushes never force: if another clone pushed in between, the remote
//! rejects the update, and the sync fetches and merges again.
//!
//! The work tree is only ever changed by a safe checkout. When incoming memo files
//! conflict with the local branch, or with uncommitted changes, nothing is written and
//! the report lists the files.

use std::collections::BTreeMap;

use git2::build::CheckoutBuilder;
use git2::{CheckoutNotificationType, ErrorCode, FetchOptions, Oid, PushOptions, Repository};

use super::remote::{self, Remote};
use super::{Identity, Repo};
use crate::clock;
use crate::error::{Error, Result};
use crate::events::{self, Author, EventLog, MergeOutcome, Problem, REF_PREFIX};

/// How many times a sync fetches again after the remote rejected a push because
/// another clone pushed first.
const MAX_ROUNDS: u32 = 5;

/// The outcome of a sync.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub remote: String,
    /// Event logs the remote has.
    pub remote_logs: usize,
    /// Local logs that took new events from the remote by moving forward.
    pub fast_forwarded: usize,
    /// Local logs merged with the remote's (both had events the other lacked).
    pub merged: usize,
    /// Event logs pushed to the remote.
    pub pushed: usize,
    pub branch: BranchOutcome,
    /// Whether the branch was pushed.
    pub branch_pushed: bool,
    /// The reason the remote gave for rejecting the branch, when it did.
    pub branch_rejected: Option<String>,
    pub problems: Vec<Problem>,
}

/// The outcome of a sync for the checked-out branch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum BranchOutcome {
    /// No branch is checked out, or the remote has no branch to exchange with.
    #[default]
    Skipped,
    /// The remote branch has no commit the local one lacks.
    UpToDate,
    /// The branch moved forward to the remote's.
    FastForwarded { from: Option<Oid>, to: Oid },
    /// A merge commit joins the local and the remote branch.
    Merged { commit: Oid },
    /// The remote branch could not be brought in; the work tree is untouched.
    NotMerged { reason: String, paths: Vec<String> },
}

/// Syncs the repository with `wanted` (or the default remote).
pub fn sync(repo: &Repo, wanted: Option<&str>) -> Result<SyncReport> {
    let git = &repo.git;
    let branch = checked_out_branch(git);
    let mut remote = remote::open(git, wanted, branch.as_deref())?;
    let remote_branch = branch.as_deref().map(|b| upstream_branch(git, b, &remote));
    let identity = repo.identity().ok();
    let author = identity
        .as_ref()
        .map(Author::from_identity)
        .unwrap_or_else(|| Author {
            name: "memo".to_owned(),
            email: "memo@localhost".to_owned(),
        });

    let mut report = SyncReport {
        remote: remote.display.clone(),
        ..SyncReport::default()
    };
    for round in 1..=MAX_ROUNDS {
        let started = std::time::Instant::now();
        let advertised = fetch(git, &mut remote, remote_branch.as_deref())?;
        tracing::debug!(round, elapsed = ?started.elapsed(), refs = advertised.len(), "fetched");
        merge_logs(git, &remote, &advertised, &author, &mut report)?;
        tracing::debug!(round, elapsed = ?started.elapsed(), merged = report.merged, "merged the logs");
        if let (Some(branch), Some(remote_branch)) = (&branch, &remote_branch) {
            let theirs = advertised
                .get(&format!("refs/heads/{remote_branch}"))
                .copied();
            let outcome = pull_branch(
                repo,
                branch,
                theirs,
                &remote.display,
                remote_branch,
                identity.as_ref(),
            )?;
            // A later round that finds the branch up to date keeps what the first did.
            if round == 1 || outcome != BranchOutcome::UpToDate {
                report.branch = outcome;
            }
        }
        let rejected = push(
            git,
            &mut remote,
            &advertised,
            branch.as_deref(),
            remote_branch.as_deref(),
            &mut report,
        )?;
        if rejected.is_empty() {
            return Ok(report);
        }
        tracing::debug!(
            round,
            ?rejected,
            "the remote moved during the sync; fetching again"
        );
    }
    Err(Error::invalid_with_hint(
        format!("{} kept changing while memo pushed to it", remote.display),
        "other clones are pushing right now; run `memo sync` again in a moment",
    ))
}

/// Returns the checked-out branch's short name, or `None` on a detached HEAD.
fn checked_out_branch(git: &Repository) -> Option<String> {
    let head = git.find_reference("HEAD").ok()?;
    let target = head.symbolic_target().ok().flatten()?;
    target.strip_prefix("refs/heads/").map(str::to_owned)
}

/// Returns the name of the remote branch that `branch` tracks on `remote`, or the same
/// name when it tracks none there.
fn upstream_branch(git: &Repository, branch: &str, remote: &Remote<'_>) -> String {
    let full = format!("refs/heads/{branch}");
    let tracks_this = git
        .branch_upstream_remote(&full)
        .ok()
        .and_then(|b| b.as_str().ok().map(str::to_owned))
        .is_some_and(|name| remote.named && name == remote.display);
    if tracks_this
        && let Ok(merge) = git.branch_upstream_merge(&full)
        && let Ok(merge) = merge.as_str()
        && let Some(name) = merge.strip_prefix("refs/heads/")
    {
        return name.to_owned();
    }
    branch.to_owned()
}

/// Fetches the remote's event logs and branch, and returns the refs it advertised.
// TODO: fetch only the logs whose head moved since the last sync; with a path remote
// libgit2 packs every requested log in-process, about three times `git fetch`'s time.
fn fetch(
    git: &Repository,
    remote: &mut Remote<'_>,
    branch: Option<&str>,
) -> Result<BTreeMap<String, Oid>> {
    let mut refspecs = vec![format!(
        "+{REF_PREFIX}*:refs/memo/remotes/{}/*",
        remote.namespace
    )];
    if let Some(branch) = branch {
        let tracking = if remote.named {
            format!("refs/remotes/{}/{branch}", remote.namespace)
        } else {
            format!("refs/memo/branches/{}/{branch}", remote.namespace)
        };
        refspecs.push(format!("+refs/heads/{branch}:{tracking}"));
    }
    let mut options = FetchOptions::new();
    options.remote_callbacks(remote::callbacks(git));
    options.update_fetchhead(false);
    remote
        .remote
        .fetch(&refspecs, Some(&mut options), Some("memo sync"))
        .map_err(|e| Error::git(format!("fetch from {}", remote.display), e))?;
    let advertised = remote
        .remote
        .list()
        .map_err(|e| Error::git(format!("list the refs of {}", remote.display), e))?
        .iter()
        .map(|head| (head.name().to_owned(), head.oid()))
        .collect();
    Ok(advertised)
}

/// Merges every event log the remote advertised into the local one, and deletes the
/// remote-tracking refs of logs the remote no longer has.
fn merge_logs(
    git: &Repository,
    remote: &Remote<'_>,
    advertised: &BTreeMap<String, Oid>,
    author: &Author,
    report: &mut SyncReport,
) -> Result<()> {
    let time = clock::now();
    report.remote_logs = 0;
    for (name, theirs) in advertised {
        let Some(uid) = name.strip_prefix(REF_PREFIX) else {
            continue;
        };
        report.remote_logs += 1;
        let log = match EventLog::open(git, uid) {
            Ok(log) if log.uid() == uid => log,
            _ => {
                report.problems.push(Problem {
                    reference: name.clone(),
                    event: String::new(),
                    message: "is not the name of a memo's event log; left alone".to_owned(),
                });
                continue;
            }
        };
        match events::merge_into_log(&log, git, *theirs, author, time, &mut report.problems)? {
            MergeOutcome::UpToDate => {}
            MergeOutcome::FastForward(_) => report.fast_forwarded += 1,
            MergeOutcome::Merged(_) => report.merged += 1,
        }
    }
    let tracking = format!("refs/memo/remotes/{}/", remote.namespace);
    for (uid, _) in events::heads_under(git, &tracking)? {
        if !advertised.contains_key(&format!("{REF_PREFIX}{uid}"))
            && let Ok(mut reference) = git.find_reference(&format!("{tracking}{uid}"))
        {
            let _ = reference.delete();
        }
    }
    Ok(())
}

/// Brings the remote branch into the checked-out branch: fast-forward, merge commit,
/// or a report of why not, with the work tree untouched.
fn pull_branch(
    repo: &Repo,
    branch: &str,
    theirs: Option<Oid>,
    remote: &str,
    remote_branch: &str,
    identity: Option<&Identity>,
) -> Result<BranchOutcome> {
    let git = &repo.git;
    let Some(theirs) = theirs else {
        return Ok(BranchOutcome::Skipped);
    };
    let full = format!("refs/heads/{branch}");
    let ours = match git.refname_to_id(&full) {
        Ok(id) => Some(id),
        Err(e) if e.code() == ErrorCode::NotFound => None,
        Err(e) => return Err(Error::git(format!("read {full}"), e)),
    };
    let descends = |a: Oid, b: Oid| {
        git.graph_descendant_of(a, b)
            .map_err(|e| Error::git("compare the branch histories", e))
    };

    let target = match ours {
        Some(ours) if ours == theirs => return Ok(BranchOutcome::UpToDate),
        Some(ours) if descends(ours, theirs)? => return Ok(BranchOutcome::UpToDate),
        None => theirs,
        Some(ours) if descends(theirs, ours)? => theirs,
        Some(ours) => {
            let Some(identity) = identity else {
                return Ok(BranchOutcome::NotMerged {
                    reason: "merging the memo files needs a git identity (see `memo comment add` for how to set one)".to_owned(),
                    paths: Vec::new(),
                });
            };
            match merge_commit(git, ours, theirs, remote, remote_branch, identity)? {
                Ok(commit) => commit,
                Err(paths) => {
                    return Ok(BranchOutcome::NotMerged {
                        reason: format!(
                            "the memo files on {remote}/{remote_branch} conflict with yours"
                        ),
                        paths,
                    });
                }
            }
        }
    };

    // Write the new tree to the work tree first, refusing to overwrite any change that
    // is not committed; only then move the branch.
    let commit = git
        .find_commit(target)
        .map_err(|e| Error::git("read the commit to check out", e))?;
    let mut conflicts: Vec<String> = Vec::new();
    let checked_out = {
        let mut checkout = CheckoutBuilder::new();
        checkout.safe();
        checkout.notify_on(CheckoutNotificationType::CONFLICT);
        checkout.notify(|_, path, _, _, _| {
            if let Some(path) = path {
                conflicts.push(path.to_string_lossy().into_owned());
            }
            true
        });
        git.checkout_tree(commit.as_object(), Some(&mut checkout))
    };
    if let Err(e) = checked_out {
        if e.code() == ErrorCode::Conflict || !conflicts.is_empty() {
            return Ok(BranchOutcome::NotMerged {
                reason: "files you changed and did not commit would be overwritten".to_owned(),
                paths: conflicts,
            });
        }
        return Err(Error::git("check out the synced memo files", e));
    }
    let message = format!("memo sync: {remote}/{remote_branch}");
    let moved = match ours {
        Some(ours) => git.reference_matching(&full, target, true, ours, &message),
        None => git.reference(&full, target, false, &message),
    };
    moved.map_err(|e| {
        Error::git(
            format!("move {full} (the work tree already holds its files)"),
            e,
        )
    })?;
    Ok(if target == theirs {
        BranchOutcome::FastForwarded {
            from: ours,
            to: theirs,
        }
    } else {
        BranchOutcome::Merged { commit: target }
    })
}

/// Writes the merge commit of two branch tips, or returns the conflicting paths.
fn merge_commit(
    git: &Repository,
    ours: Oid,
    theirs: Oid,
    remote: &str,
    remote_branch: &str,
    identity: &Identity,
) -> Result<std::result::Result<Oid, Vec<String>>> {
    let our_commit = git
        .find_commit(ours)
        .map_err(|e| Error::git("read the local branch", e))?;
    let their_commit = git
        .find_commit(theirs)
        .map_err(|e| Error::git("read the remote branch", e))?;
    let mut index = git
        .merge_commits(&our_commit, &their_commit, None)
        .map_err(|e| Error::git("merge the memo files", e))?;
    if index.has_conflicts() {
        let mut paths: Vec<String> = index
            .conflicts()
            .map_err(|e| Error::git("list the merge conflicts", e))?
            .flatten()
            .filter_map(|c| c.our.or(c.their).or(c.ancestor))
            .map(|entry| String::from_utf8_lossy(&entry.path).into_owned())
            .collect();
        paths.dedup();
        return Ok(Err(paths));
    }
    let tree = index
        .write_tree_to(git)
        .and_then(|id| git.find_tree(id))
        .map_err(|e| Error::git("write the merged tree", e))?;
    let author = identity.author_signature()?;
    let committer = identity.committer_signature()?;
    let message = format!("Merge {remote}/{remote_branch} (memo sync)\n");
    let commit = git
        .commit(
            None,
            &author,
            &committer,
            &message,
            &tree,
            &[&our_commit, &their_commit],
        )
        .map_err(|e| Error::git("write the merge commit", e))?;
    Ok(Ok(commit))
}

/// Pushes the event logs and the branch where the remote lacks what the clone has.
/// Returns the event logs the remote rejected.
fn push(
    git: &Repository,
    remote: &mut Remote<'_>,
    advertised: &BTreeMap<String, Oid>,
    branch: Option<&str>,
    remote_branch: Option<&str>,
    report: &mut SyncReport,
) -> Result<Vec<String>> {
    let mut refspecs = Vec::new();
    let mut logs = Vec::new();
    for (uid, local) in events::heads(git)? {
        let name = format!("{REF_PREFIX}{uid}");
        if advertised.get(&name) != Some(&local) {
            refspecs.push(format!("{name}:{name}"));
            logs.push((uid, local));
        }
    }
    let mut branch_update = None;
    if let (Some(branch), Some(remote_branch)) = (branch, remote_branch)
        && let Ok(local) = git.refname_to_id(&format!("refs/heads/{branch}"))
    {
        let theirs = advertised
            .get(&format!("refs/heads/{remote_branch}"))
            .copied();
        let ahead = match theirs {
            None => true,
            Some(theirs) => {
                theirs != local && git.graph_descendant_of(local, theirs).unwrap_or(false)
            }
        };
        if ahead {
            refspecs.push(format!("refs/heads/{branch}:refs/heads/{remote_branch}"));
            branch_update = Some((remote_branch.to_owned(), local));
        }
    }
    if refspecs.is_empty() {
        return Ok(Vec::new());
    }

    let mut rejected: Vec<(String, String)> = Vec::new();
    {
        let mut callbacks = remote::callbacks(git);
        callbacks.push_update_reference(|name, status| {
            if let Some(status) = status {
                tracing::debug!(name, status, "push rejected");
                rejected.push((name.to_owned(), status.to_owned()));
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
                    "share through a bare repository (`git clone --bare`) or a remote reached over ssh or https",
                ),
                _ => Error::git(format!("push to {}", remote.display), e),
            })?;
    }

    // Remote-tracking refs follow what the remote accepted.
    let was_rejected = |name: &str| rejected.iter().any(|(n, _)| n == name);
    for (uid, local) in logs {
        let name = format!("{REF_PREFIX}{uid}");
        if !was_rejected(&name) {
            report.pushed += 1;
            let tracking = format!("refs/memo/remotes/{}/{uid}", remote.namespace);
            let _ = git.reference(&tracking, local, true, "memo sync: pushed");
        }
    }
    if let Some((remote_branch, local)) = branch_update {
        let name = format!("refs/heads/{remote_branch}");
        if let Some((_, status)) = rejected.iter().find(|(n, _)| *n == name) {
            // A rejected branch is not retried: unlike a log, a newer remote branch is
            // merged only by the next sync, and some rejections (a branch checked out
            // in a non-bare remote) never go away.
            report.branch_rejected = Some(status.clone());
        } else {
            report.branch_pushed = true;
            if remote.named {
                let tracking = format!("refs/remotes/{}/{remote_branch}", remote.namespace);
                let _ = git.reference(&tracking, local, true, "memo sync: pushed");
            }
        }
    }
    Ok(rejected
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| name.starts_with(REF_PREFIX))
        .collect())
}

/// What syncing one memo's event log did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogSyncReport {
    pub remote: String,
    /// The local log took events from the remote.
    pub received: bool,
    /// The remote took events from the local log.
    pub pushed: bool,
    pub problems: Vec<Problem>,
}

/// Syncs the event log of memo `uid` with `wanted` (or the default remote), leaving
/// the branch and every other log alone. The meeting screen runs it every few seconds,
/// so it fetches and pushes one ref, never the whole namespace.
pub fn sync_log(repo: &Repo, wanted: Option<&str>, uid: &str) -> Result<LogSyncReport> {
    let git = &repo.git;
    let branch = checked_out_branch(git);
    let mut remote = remote::open(git, wanted, branch.as_deref())?;
    let log = EventLog::open(git, uid)?;
    let name = log.reference().to_owned();
    let tracking = format!("refs/memo/remotes/{}/{}", remote.namespace, log.uid());
    let author = repo
        .identity()
        .ok()
        .as_ref()
        .map(Author::from_identity)
        .unwrap_or_else(|| Author {
            name: "memo".to_owned(),
            email: "memo@localhost".to_owned(),
        });
    let mut report = LogSyncReport {
        remote: remote.display.clone(),
        ..LogSyncReport::default()
    };

    for _ in 1..=MAX_ROUNDS {
        // A refspec that names one ref fetches nothing, without an error, when the
        // remote lacks it.
        let mut options = FetchOptions::new();
        options.remote_callbacks(remote::callbacks(git));
        options.update_fetchhead(false);
        remote
            .remote
            .fetch(
                &[format!("+{name}:{tracking}")],
                Some(&mut options),
                Some("memo meeting sync"),
            )
            .map_err(|e| Error::git(format!("fetch {name} from {}", remote.display), e))?;
        let theirs = remote
            .remote
            .list()
            .map_err(|e| Error::git(format!("list the refs of {}", remote.display), e))?
            .iter()
            .find(|head| head.name() == name)
            .map(|head| head.oid());
        if let Some(theirs) = theirs {
            let outcome = events::merge_into_log(
                &log,
                git,
                theirs,
                &author,
                clock::now(),
                &mut report.problems,
            )?;
            report.received |= outcome != MergeOutcome::UpToDate;
        }

        let Some(local) = log.head()? else {
            return Ok(report);
        };
        if Some(local) == theirs {
            return Ok(report);
        }
        let mut rejected = None;
        {
            let mut callbacks = remote::callbacks(git);
            callbacks.push_update_reference(|_, status| {
                rejected = status.map(str::to_owned);
                Ok(())
            });
            let mut options = PushOptions::new();
            options.remote_callbacks(callbacks);
            remote
                .remote
                .push(&[format!("{name}:{name}")], Some(&mut options))
                .map_err(|e| Error::git(format!("push {name} to {}", remote.display), e))?;
        }
        match rejected {
            None => {
                report.pushed = true;
                let _ = git.reference(&tracking, local, true, "memo meeting sync: pushed");
                return Ok(report);
            }
            Some(status) => {
                tracing::debug!(%name, status, "the remote moved during the sync; fetching again");
            }
        }
    }
    Err(Error::invalid_with_hint(
        format!(
            "{} kept changing while memo pushed {name} to it",
            remote.display
        ),
        "other clones are pushing right now; the next sync tries again",
    ))
}
