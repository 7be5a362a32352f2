//! Merging two versions of a memo's log: the union of their events.
//!
//! Events are immutable files named by clock and id, so two logs merge by taking every
//! file of either tree. Nothing can conflict: the same name in both holds the same
//! event. The one exception is a damaged or forged file, where both sides hold
//! different bytes under one name; the merge keeps the side that reads as a valid
//! event (the smaller blob id when both or neither do) and reports the other.

use chrono::{DateTime, Utc};
use git2::{ErrorCode, ObjectType, Oid, Repository};

use super::event::{self, Author};
use super::log::{EventLog, Problem, signature};
use crate::error::{Error, Result};

/// What merging another version of a log into the local one did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeOutcome {
    /// The local log already held every event of the other.
    UpToDate,
    /// The local log had nothing the other lacked, so it moved to the other's commit.
    FastForward(Oid),
    /// Both had events the other lacked; a merge commit holds their union.
    Merged(Oid),
}

/// Returns the commit whose tree is the union of `ours` and `theirs`, with both as
/// parents, or one of them when it already holds the other's history.
pub fn union_merge(
    git: &Repository,
    uid: &str,
    ours: Option<Oid>,
    theirs: Oid,
    author: &Author,
    time: DateTime<Utc>,
    problems: &mut Vec<Problem>,
) -> Result<MergeOutcome> {
    let Some(ours) = ours else {
        return Ok(MergeOutcome::FastForward(theirs));
    };
    if ours == theirs {
        return Ok(MergeOutcome::UpToDate);
    }
    let reference = format!("{}{uid}", super::log::REF_PREFIX);
    // One merge base answers both "already has theirs" and "can move to theirs".
    match git.merge_base(ours, theirs) {
        Ok(base) if base == theirs => return Ok(MergeOutcome::UpToDate),
        Ok(base) if base == ours => return Ok(MergeOutcome::FastForward(theirs)),
        Ok(_) => {}
        Err(e) if e.code() == git2::ErrorCode::NotFound => {}
        Err(e) => {
            return Err(Error::git(
                format!("compare the histories of {reference}"),
                e,
            ));
        }
    }

    let tree_of = |id: Oid| {
        git.find_commit(id)
            .and_then(|c| c.tree())
            .map_err(|e| super::log::missing(&reference, id, e))
    };
    let our_tree = tree_of(ours)?;
    let their_tree = tree_of(theirs)?;
    let context = MergeContext {
        git,
        uid,
        reference: &reference,
    };
    let tree = context.union_trees(&our_tree, &their_tree, "", problems)?;
    let tree = git
        .find_tree(tree)
        .map_err(|e| Error::git("read the merged tree", e))?;
    let our_commit = git
        .find_commit(ours)
        .map_err(|e| super::log::missing(&reference, ours, e))?;
    let their_commit = git
        .find_commit(theirs)
        .map_err(|e| super::log::missing(&reference, theirs, e))?;
    let signature = signature(author, time)?;
    let merged = git
        .commit(
            None,
            &signature,
            &signature,
            "Merge events\n",
            &tree,
            &[&our_commit, &their_commit],
        )
        .map_err(|e| Error::git(format!("write the merge commit of {reference}"), e))?;
    Ok(MergeOutcome::Merged(merged))
}

/// Merges `theirs` into the local log of `uid` and moves its ref, retrying when a local
/// append moved the ref meanwhile. Returns the outcome and the ref's new target.
pub fn merge_into_log(
    log: &EventLog<'_>,
    git: &Repository,
    theirs: Oid,
    author: &Author,
    time: DateTime<Utc>,
    problems: &mut Vec<Problem>,
) -> Result<MergeOutcome> {
    loop {
        let ours = log.head()?;
        let outcome = union_merge(git, log.uid(), ours, theirs, author, time, problems)?;
        let target = match outcome {
            MergeOutcome::UpToDate => return Ok(outcome),
            MergeOutcome::FastForward(id) | MergeOutcome::Merged(id) => id,
        };
        let updated =
            crate::store::move_ref(git, log.reference(), target, ours, "memo: merge events");
        match updated {
            Ok(_) => return Ok(outcome),
            Err(e)
                if matches!(
                    e.code(),
                    ErrorCode::Modified | ErrorCode::Exists | ErrorCode::Locked
                ) =>
            {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            Err(e) => return Err(Error::git(format!("move {}", log.reference()), e)),
        }
    }
}

/// Merges other versions into many local logs, each given with the other version's
/// head. Every merge commit is written first; then one ref transaction moves the refs
/// that no other writer moved meanwhile, and the others are merged again one by one
/// (see [`merge_into_log`]). Returns the outcomes in the order of `incoming`.
pub fn merge_into_logs(
    git: &Repository,
    incoming: &[(EventLog<'_>, Oid)],
    author: &Author,
    time: DateTime<Utc>,
    problems: &mut Vec<Problem>,
) -> Result<Vec<MergeOutcome>> {
    let plan = plan_merges(git, incoming, author, time, problems)?;
    let mut outcomes = plan.outcomes.clone();
    for i in plan.move_refs(git, incoming, author, time)? {
        let (log, theirs) = &incoming[i];
        outcomes[i] = merge_into_log(log, git, *theirs, author, time, problems)?;
    }
    Ok(outcomes)
}

/// Merges written for many logs whose refs have not moved yet: see [`plan_merges`].
pub struct PlannedMerges {
    /// The outcome for each log, in the order of the logs given.
    pub outcomes: Vec<MergeOutcome>,
    moves: Vec<RefMove>,
}

/// A ref to move from `expected` to `target`, for the log at `index`.
struct RefMove {
    index: usize,
    expected: Option<Oid>,
    target: Oid,
}

/// Writes the merge commit of each log with the other version's head, without moving
/// any ref. [`PlannedMerges::move_refs`] moves them once the caller has the objects
/// where it wants them.
pub fn plan_merges(
    git: &Repository,
    incoming: &[(EventLog<'_>, Oid)],
    author: &Author,
    time: DateTime<Utc>,
    problems: &mut Vec<Problem>,
) -> Result<PlannedMerges> {
    let mut outcomes = Vec::with_capacity(incoming.len());
    let mut moves = Vec::new();
    for (i, (log, theirs)) in incoming.iter().enumerate() {
        let ours = log.head()?;
        let outcome = union_merge(git, log.uid(), ours, *theirs, author, time, problems)?;
        if let MergeOutcome::FastForward(target) | MergeOutcome::Merged(target) = outcome {
            moves.push(RefMove {
                index: i,
                expected: ours,
                target,
            });
        }
        outcomes.push(outcome);
    }
    Ok(PlannedMerges { outcomes, moves })
}

impl PlannedMerges {
    /// Returns each merge commit written, with the index of its log and the local
    /// head it continues; its other parent is the head that was merged in.
    pub fn merge_commits(&self) -> impl Iterator<Item = (usize, Oid, Option<Oid>)> + '_ {
        self.moves
            .iter()
            .filter(|step| matches!(self.outcomes[step.index], MergeOutcome::Merged(_)))
            .map(|step| (step.index, step.target, step.expected))
    }

    /// Moves the refs in one transaction, each only when it still points at the head
    /// the merge continued. Returns the indexes of the logs whose ref moved or was
    /// locked meanwhile; their planned outcome no longer holds.
    pub fn move_refs(
        &self,
        git: &Repository,
        logs: &[(EventLog<'_>, Oid)],
        author: &Author,
        time: DateTime<Utc>,
    ) -> Result<Vec<usize>> {
        let failed = |e: git2::Error| Error::git("move the merged logs' refs", e);
        let signature = signature(author, time)?;
        let mut transaction = git.transaction().map_err(failed)?;
        let mut stale = Vec::new();
        for step in &self.moves {
            let log = &logs[step.index].0;
            match transaction.lock_ref(log.reference()) {
                Ok(()) => {}
                Err(e) if e.code() == ErrorCode::Locked => {
                    stale.push(step.index);
                    continue;
                }
                Err(e) => return Err(failed(e)),
            }
            // The lock is held, so the ref cannot change between this read and the
            // commit.
            if log.head()? != step.expected {
                stale.push(step.index);
                continue;
            }
            transaction
                .set_target(
                    log.reference(),
                    step.target,
                    Some(&signature),
                    "memo: merge events",
                )
                .map_err(failed)?;
        }
        transaction.commit().map_err(failed)?;
        Ok(stale)
    }
}

struct MergeContext<'a> {
    git: &'a Repository,
    uid: &'a str,
    reference: &'a str,
}

impl MergeContext<'_> {
    fn union_trees(
        &self,
        ours: &git2::Tree<'_>,
        theirs: &git2::Tree<'_>,
        prefix: &str,
        problems: &mut Vec<Problem>,
    ) -> Result<Oid> {
        let git = self.git;
        let mut builder = git
            .treebuilder(Some(ours))
            .map_err(|e| Error::git("start the merged tree", e))?;
        for entry in theirs.iter() {
            let name = entry.name().unwrap_or_default().to_owned();
            let path = format!("{prefix}{name}");
            let Some(mine) = ours.get_name(&name) else {
                builder
                    .insert(&name, entry.id(), entry.filemode())
                    .map_err(|e| Error::git(format!("add {path} to the merged tree"), e))?;
                continue;
            };
            if mine.id() == entry.id() {
                continue;
            }
            match (mine.kind(), entry.kind()) {
                (Some(ObjectType::Tree), Some(ObjectType::Tree)) => {
                    let (a, b) = (
                        git.find_tree(mine.id())
                            .map_err(|e| Error::git(format!("read {path}"), e))?,
                        git.find_tree(entry.id())
                            .map_err(|e| Error::git(format!("read {path}"), e))?,
                    );
                    let merged = self.union_trees(&a, &b, &format!("{path}/"), problems)?;
                    builder
                        .insert(&name, merged, mine.filemode())
                        .map_err(|e| Error::git(format!("add {path} to the merged tree"), e))?;
                }
                _ => {
                    let keep_theirs = self.prefer(entry.id(), mine.id());
                    let (kept, dropped) = if keep_theirs {
                        (&entry, &mine)
                    } else {
                        (&mine, &entry)
                    };
                    problems.push(Problem {
                        reference: self.reference.to_owned(),
                        event: path.clone(),
                        message: format!(
                            "the two sides hold different content under one name (blobs {} and {}); kept {}",
                            mine.id(),
                            entry.id(),
                            kept.id()
                        ),
                    });
                    let _ = dropped;
                    builder
                        .insert(&name, kept.id(), kept.filemode())
                        .map_err(|e| Error::git(format!("add {path} to the merged tree"), e))?;
                }
            }
        }
        builder
            .write()
            .map_err(|e| Error::git("write the merged tree", e))
    }

    /// Returns whether blob `a` should win over blob `b` under one name.
    fn prefer(&self, a: Oid, b: Oid) -> bool {
        let valid = |id: Oid| {
            self.git
                .find_blob(id)
                .ok()
                .is_some_and(|blob| event::parse(blob.content(), self.uid).is_ok())
        };
        match (valid(a), valid(b)) {
            (true, false) => true,
            (false, true) => false,
            _ => a < b,
        }
    }
}
