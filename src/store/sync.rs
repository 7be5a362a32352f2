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
//!
//! Objects are copied directly to and from a remote on this machine, and travel
//! through `git fetch` and `git push` (or libgit2) for any other (see
//! [`super::transport`] for why). The merges of all logs reach the disk as one pack
//! before any ref moves, and their refs move in one ref transaction.

use std::collections::BTreeMap;

use git2::build::CheckoutBuilder;
use git2::{CheckoutNotificationType, ErrorCode, Oid, Repository};

use super::copy::{self, Walk};
use super::pack::PackBuilder;
use super::remote::{self, Remote};
use super::transport::{FetchRequest, PushRequest, Rejection, Transport};
use super::{Identity, Repo};
use crate::clock;
use crate::error::{Error, Result};
use crate::events::{self, Author, EventLog, MergeOutcome, Problem, REF_PREFIX};

/// The priority of the in-memory object store that merges write to: above every
/// store on disk, so that writes go to memory.
const IN_MEMORY_PRIORITY: i32 = 1000;

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
    /// No branch is checked out.
    #[default]
    Skipped,
    /// The remote has no branch to exchange with yet.
    NotOnRemote,
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
    let author = merge_author(identity.as_ref());

    let transport = Transport::choose(git, &remote)?;
    let logs_to = format!("refs/memo/remotes/{}/", remote.namespace);
    let branch_tracking = remote_branch
        .as_deref()
        .map(|name| branch_tracking_ref(&remote, name));

    let mut report = SyncReport {
        remote: remote.display.clone(),
        ..SyncReport::default()
    };
    let mut last_rejected = Vec::new();
    for round in 1..=MAX_ROUNDS {
        let started = std::time::Instant::now();
        let request = FetchRequest {
            logs_to: &logs_to,
            branch: remote_branch.as_deref().zip(branch_tracking.as_deref()),
            only: None,
        };
        let advertised = transport.fetch(git, &mut remote, &request)?;
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
            &transport,
            &mut remote,
            &advertised,
            branch.as_deref(),
            remote_branch.as_deref(),
            &mut report,
        )?;
        tracing::debug!(round, elapsed = ?started.elapsed(), pushed = report.pushed, "pushed");
        if rejected.is_empty() {
            return Ok(report);
        }
        tracing::debug!(
            round,
            ?rejected,
            "the remote moved during the sync; fetching again"
        );
        last_rejected = rejected;
    }
    let reasons: Vec<String> = last_rejected
        .iter()
        .take(5)
        .map(|r| format!("\n  {}: {}", r.reference, r.reason))
        .collect();
    Err(Error::invalid_with_hint(
        format!(
            "{} kept rejecting memo's event logs ({} in the last of {MAX_ROUNDS} rounds):{}",
            remote.display,
            last_rejected.len(),
            reasons.concat()
        ),
        "when other clones are pushing right now, run `memo sync` again in a moment; otherwise the reasons above come from the remote",
    ))
}

/// Returns the remote-tracking ref of the remote branch `name`: the usual one for a
/// configured remote, one under `refs/memo/branches/` for a remote given by URL.
fn branch_tracking_ref(remote: &Remote<'_>, name: &str) -> String {
    if remote.named {
        format!("refs/remotes/{}/{name}", remote.namespace)
    } else {
        format!("refs/memo/branches/{}/{name}", remote.namespace)
    }
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

/// Merges every event log the remote advertised into the local one, and deletes the
/// remote-tracking refs of logs the remote no longer has.
fn merge_logs(
    git: &Repository,
    remote: &Remote<'_>,
    advertised: &BTreeMap<String, Oid>,
    author: &Author,
    report: &mut SyncReport,
) -> Result<()> {
    // A second handle on the repository whose new objects stay in memory, so that the
    // merges reach the disk as one pack instead of thousands of loose objects. Its refs
    // move only once the pack is written.
    let failed = |e: git2::Error| Error::git("open the repository for merging", e);
    let batch = Repository::open(git.path()).map_err(failed)?;
    let batch_odb = batch.odb().map_err(failed)?;
    batch_odb
        .add_new_mempack_backend(IN_MEMORY_PRIORITY)
        .map_err(failed)?;

    report.remote_logs = 0;
    let mut incoming = Vec::new();
    for (name, theirs) in advertised {
        let Some(uid) = name.strip_prefix(REF_PREFIX) else {
            continue;
        };
        report.remote_logs += 1;
        match EventLog::open(&batch, uid) {
            Ok(log) if log.uid() == uid => incoming.push((log, *theirs)),
            _ => report.problems.push(Problem {
                reference: name.clone(),
                event: String::new(),
                message: "is not the name of a memo's event log; left alone".to_owned(),
            }),
        }
    }
    let time = clock::now();
    let plan = events::plan_merges(&batch, &incoming, author, time, &mut report.problems)?;
    let walks: Vec<Walk> = plan
        .merge_commits()
        .map(|(index, merge, ours)| Walk {
            tip: merge,
            known: ours.into_iter().chain([incoming[index].1]).collect(),
        })
        .collect();
    let mut pack = PackBuilder::new();
    copy::collect_new_objects(&batch, &walks, &mut pack)?;
    pack.write(&batch_odb, &batch_odb)?;
    let mut outcomes = plan.outcomes.clone();
    let stale = plan.move_refs(&batch, &incoming, author, time)?;
    // A log that a local writer moved meanwhile is merged again through the usual
    // handle, whose objects go to disk at once.
    for index in stale {
        let (log, theirs) = &incoming[index];
        let log = EventLog::open(git, log.uid())?;
        outcomes[index] =
            events::merge_into_log(&log, git, *theirs, author, time, &mut report.problems)?;
    }
    for outcome in outcomes {
        match outcome {
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
        return Ok(BranchOutcome::NotOnRemote);
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
    super::move_ref(git, &full, target, ours, &message).map_err(|e| {
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
    transport: &Transport,
    remote: &mut Remote<'_>,
    advertised: &BTreeMap<String, Oid>,
    branch: Option<&str>,
    remote_branch: Option<&str>,
    report: &mut SyncReport,
) -> Result<Vec<Rejection>> {
    let mut logs = Vec::new();
    for (uid, local) in events::heads(git)? {
        if advertised.get(&format!("{REF_PREFIX}{uid}")) != Some(&local) {
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
            branch_update = Some((branch, remote_branch, local));
        }
    }
    let rejected = if logs.is_empty() && branch_update.is_none() {
        Vec::new()
    } else {
        let request = PushRequest {
            logs: &logs,
            branch: branch_update.map(|(local, theirs, _)| (local, theirs)),
            advertised,
        };
        transport.push(git, remote, &request)?
    };

    // Remote-tracking refs: the logs as the fetch found them, or as the remote took
    // them from this push. Only those that differ are written, in one transaction.
    let rejected_names: std::collections::HashSet<&str> =
        rejected.iter().map(|r| r.reference.as_str()).collect();
    let mut seen: BTreeMap<&str, Oid> = advertised
        .iter()
        .filter_map(|(name, head)| Some((name.strip_prefix(REF_PREFIX)?, *head)))
        .collect();
    for (uid, local) in &logs {
        if !rejected_names.contains(format!("{REF_PREFIX}{uid}").as_str()) {
            report.pushed += 1;
            seen.insert(uid, *local);
        }
    }
    let prefix = format!("refs/memo/remotes/{}/", remote.namespace);
    let recorded: BTreeMap<String, Oid> = events::heads_under(git, &prefix)?.into_iter().collect();
    let mut tracking: Vec<(String, Oid)> = seen
        .into_iter()
        .filter(|(uid, head)| recorded.get(*uid) != Some(head))
        .map(|(uid, head)| (format!("{prefix}{uid}"), head))
        .collect();
    if let Some((_, remote_branch, local)) = branch_update {
        let name = format!("refs/heads/{remote_branch}");
        if let Some(rejection) = rejected.iter().find(|r| r.reference == name) {
            // A rejected branch is not retried: unlike a log, a newer remote branch is
            // merged only by the next sync, and some rejections (a branch checked out
            // in a non-bare remote) never go away.
            report.branch_rejected = Some(rejection.reason.clone());
        } else {
            report.branch_pushed = true;
            if remote.named {
                tracking.push((branch_tracking_ref(remote, remote_branch), local));
            }
        }
    }
    copy::set_refs(git, &tracking, "memo sync")?;
    Ok(rejected
        .into_iter()
        .filter(|r| r.reference.starts_with(REF_PREFIX))
        .collect())
}

/// Returns the author of merge commits: the git identity, else memo itself, because a
/// sync may merge logs in a clone that has no identity set.
fn merge_author(identity: Option<&Identity>) -> Author {
    identity
        .map(Author::from_identity)
        .unwrap_or_else(|| Author {
            name: "memo".to_owned(),
            email: "memo@localhost".to_owned(),
        })
}

/// The outcome of syncing one memo's event log.
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
    let author = merge_author(repo.identity().ok().as_ref());
    let mut report = LogSyncReport {
        remote: remote.display.clone(),
        ..LogSyncReport::default()
    };

    let transport = Transport::choose(git, &remote)?;
    let logs_to = format!("refs/memo/remotes/{}/", remote.namespace);
    for _ in 1..=MAX_ROUNDS {
        let request = FetchRequest {
            logs_to: &logs_to,
            branch: None,
            only: Some(log.uid()),
        };
        let advertised = transport.fetch(git, &mut remote, &request)?;
        let theirs = advertised.get(&name).copied();
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
            copy::set_refs(
                git,
                &[(tracking.clone(), theirs)],
                "memo meeting sync: fetched",
            )?;
        }

        let Some(local) = log.head()? else {
            return Ok(report);
        };
        if Some(local) == theirs {
            return Ok(report);
        }
        let logs = [(log.uid().to_owned(), local)];
        let push = PushRequest {
            logs: &logs,
            branch: None,
            advertised: &advertised,
        };
        let rejected = transport.push(git, &mut remote, &push)?;
        match rejected.first() {
            None => {
                report.pushed = true;
                copy::set_refs(
                    git,
                    &[(tracking.clone(), local)],
                    "memo meeting sync: pushed",
                )?;
                return Ok(report);
            }
            Some(rejection) => {
                tracing::debug!(%name, reason = rejection.reason, "the remote moved during the sync; fetching again");
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
