//! Syncing with a repository on this machine (a remote given by path or `file://` URL)
//! by copying objects between the two object databases directly.
//!
//! Both repositories are at hand, so no pack needs to be negotiated, delta-compressed
//! and indexed for a transfer. memo reads the remote's refs, walks the commits one
//! side lacks, collects the objects each commit adds to its parents' trees, and writes
//! them into the other side as one pack (see [`super::pack`]). Refs move by
//! compare-and-swap in one ref transaction, so a log that another clone moved since
//! the fetch is rejected as git would reject it, and the sync fetches and merges again.
//! This is what libgit2 does for such a remote too, without building and compressing
//! a pack first; like libgit2, it runs no hooks of the remote.
//!
//! NOTE: files written into the remote get memo's umask; the remote's
//! `core.sharedRepository` is not applied (libgit2 1.9 reads it only when it creates
//! a repository, so its own writes do not apply it either).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use git2::{ErrorCode, ObjectType, Oid, Repository, Sort, Tree};

use super::pack::PackBuilder;
use super::transport::{FetchRequest, Rejection};
use crate::error::{Error, Result};
use crate::events::{self, REF_PREFIX};

/// The reason a log is rejected when the remote moved it after the fetch; it is the
/// reason git gives.
const MOVED: &str = "fetch first";

/// Returns the path of the repository a remote URL names when it is on this machine.
pub fn local_path(git: &Repository, url: &str) -> Option<PathBuf> {
    let path = match url.strip_prefix("file://") {
        Some(path) => PathBuf::from(path),
        None if url.contains("://") => return None,
        None => PathBuf::from(url),
    };
    let path = if path.is_absolute() {
        path
    } else {
        git.workdir().unwrap_or_else(|| git.path()).join(path)
    };
    path.is_dir().then_some(path)
}

fn open(path: &Path) -> Result<Repository> {
    Repository::open(path)
        .map_err(|e| Error::git(format!("open the repository at {}", path.display()), e))
}

/// Copies the remote's event logs and branch that this repository lacks, points the
/// remote-tracking refs at them, and returns the remote's heads by their names there.
pub fn fetch(
    git: &Repository,
    path: &Path,
    request: &FetchRequest<'_>,
) -> Result<BTreeMap<String, Oid>> {
    let remote = open(path)?;
    let mut heads: BTreeMap<String, Oid> = events::heads_under(&remote, REF_PREFIX)?
        .into_iter()
        .map(|(uid, head)| (format!("{REF_PREFIX}{uid}"), head))
        .filter(|(name, _)| request.wants_log(name))
        .collect();
    let mut branch_head = None;
    if let Some((name, _)) = request.branch {
        let full = format!("refs/heads/{name}");
        if let Ok(head) = remote.refname_to_id(&full) {
            heads.insert(full, head);
            branch_head = Some(head);
        }
    }

    // Each log's walk stops at the log's local head and at the head last seen on the
    // remote, because this repository has both with all they lead to. The branch's
    // walk stops at the local branches.
    let local_odb = git
        .odb()
        .map_err(|e| Error::git("open the object database", e))?;
    let local_logs: BTreeMap<String, Oid> = events::heads(git)?.into_iter().collect();
    let tracking: BTreeMap<String, Oid> = events::heads_under(git, request.logs_to)?
        .into_iter()
        .collect();
    let mut walks = Vec::new();
    for (name, head) in &heads {
        if local_odb.exists(*head) {
            continue;
        }
        let known = match name.strip_prefix(REF_PREFIX) {
            Some(uid) => [local_logs.get(uid), tracking.get(uid)]
                .into_iter()
                .flatten()
                .copied()
                .collect(),
            None => local_branch_heads(git),
        };
        walks.push(Walk { tip: *head, known });
    }
    let mut pack = PackBuilder::new();
    collect_new_objects(&remote, &walks, &mut pack)?;
    let remote_odb = remote
        .odb()
        .map_err(|e| Error::git(format!("open the object database at {}", path.display()), e))?;
    let copied = pack.write(&remote_odb, &local_odb)?;
    tracing::debug!(copied, from = %path.display(), "copied objects");

    // The logs' remote-tracking refs move at the end of the sync, together with those
    // of the logs it pushes (see `store::sync`); the branch's moves now.
    if let (Some((_, tracking_ref)), Some(head)) = (request.branch, branch_head) {
        set_refs(
            git,
            &[(tracking_ref.to_owned(), head)],
            "memo sync: fetched",
        )?;
    }
    Ok(heads)
}

/// Copies the logs' commits that the remote lacks into it and moves the remote's refs,
/// each only from the head the fetch saw (`advertised`). Returns the logs the remote
/// moved meanwhile, as rejected.
pub fn push_logs(
    git: &Repository,
    path: &Path,
    logs: &[(String, Oid)],
    advertised: &BTreeMap<String, Oid>,
) -> Result<Vec<Rejection>> {
    let remote = open(path)?;
    let mut rejected = Vec::new();
    let mut updates = Vec::new();
    for (uid, local) in logs {
        let name = format!("{REF_PREFIX}{uid}");
        let expected = advertised.get(&name).copied();
        // Never force: the new head must contain the one it replaces.
        let fast_forward = match expected {
            None => true,
            Some(old) => *local == old || git.graph_descendant_of(*local, old).unwrap_or(false),
        };
        let reason = if !fast_forward {
            "non-fast-forward"
        } else if current_target(&remote, &name)? != expected {
            MOVED
        } else {
            updates.push((name, expected, *local));
            continue;
        };
        rejected.push(Rejection {
            reference: name,
            reason: reason.to_owned(),
        });
    }
    if updates.is_empty() {
        return Ok(rejected);
    }

    let walks: Vec<Walk> = updates
        .iter()
        .map(|(_, old, local)| Walk {
            tip: *local,
            known: old.iter().copied().collect(),
        })
        .collect();
    let mut pack = PackBuilder::new();
    collect_new_objects(git, &walks, &mut pack)?;
    let remote_odb = remote
        .odb()
        .map_err(|e| Error::git(format!("open the object database at {}", path.display()), e))?;
    let local_odb = git
        .odb()
        .map_err(|e| Error::git("open the object database", e))?;
    let copied = pack.write(&local_odb, &remote_odb)?;
    tracing::debug!(copied, to = %path.display(), "copied objects");

    // Every object is in place; now the refs, each only from the head the fetch saw.
    let failed = |e: git2::Error| Error::git(format!("update the refs at {}", path.display()), e);
    let mut transaction = remote.transaction().map_err(failed)?;
    for (name, expected, local) in updates {
        match transaction.lock_ref(&name) {
            Ok(()) => {}
            Err(e) if e.code() == ErrorCode::Locked => {
                rejected.push(Rejection {
                    reference: name,
                    reason: "locked by another process".to_owned(),
                });
                continue;
            }
            Err(e) => return Err(failed(e)),
        }
        if current_target(&remote, &name)? != expected {
            rejected.push(Rejection {
                reference: name,
                reason: MOVED.to_owned(),
            });
            continue;
        }
        transaction
            .set_target(&name, local, None, "memo sync: pushed")
            .map_err(failed)?;
    }
    transaction.commit().map_err(failed)?;
    Ok(rejected)
}

fn current_target(repo: &Repository, name: &str) -> Result<Option<Oid>> {
    match repo.refname_to_id(name) {
        Ok(id) => Ok(Some(id)),
        Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(Error::git(format!("read {name}"), e)),
    }
}

fn local_branch_heads(git: &Repository) -> Vec<Oid> {
    let Ok(references) = git.references_glob("refs/heads/*") else {
        return Vec::new();
    };
    references
        .flatten()
        .filter_map(|reference| reference.target())
        .collect()
}

/// Points each ref at its commit, in one ref transaction.
pub fn set_refs(git: &Repository, refs: &[(String, Oid)], message: &str) -> Result<()> {
    if refs.is_empty() {
        return Ok(());
    }
    let failed = |e: git2::Error| Error::git("update the remote-tracking refs", e);
    let mut transaction = git.transaction().map_err(failed)?;
    for (name, target) in refs {
        transaction.lock_ref(name).map_err(failed)?;
        transaction
            .set_target(name, *target, None, message)
            .map_err(failed)?;
    }
    transaction.commit().map_err(failed)
}

/// The commits to copy for one ref: those reachable from `tip` and not from `known`.
pub struct Walk {
    pub tip: Oid,
    /// Commits the receiving side has with every object they lead to.
    pub known: Vec<Oid>,
}

/// Adds to `pack` every object that the walks' commits bring into `source`: the
/// commits, and the trees and blobs each adds to its parents' trees. Walks are made
/// one ref at a time because a walk over many tips at once sorts every commit it
/// meets into one list by date.
///
/// Parents are visited before their children. An entry is skipped when a parent's tree
/// has it at the same path or when the pack has it already. Both skips are sound only
/// if everything under that entry was collected before, because a merge that takes one
/// side's tree, or a change undone later, puts the same tree in a child and an ancestor.
pub fn collect_new_objects(
    source: &Repository,
    walks: &[Walk],
    pack: &mut PackBuilder,
) -> Result<()> {
    if walks.is_empty() {
        return Ok(());
    }
    let failed = |e: git2::Error| Error::git("list the commits to copy", e);
    let odb = source.odb().map_err(failed)?;
    for walk in walks {
        // A new walker each time: resetting one clears every commit it ever met.
        let mut revwalk = source.revwalk().map_err(failed)?;
        revwalk
            .set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
            .map_err(failed)?;
        revwalk.push(walk.tip).map_err(failed)?;
        for id in &walk.known {
            // A commit the source does not have bounds nothing there.
            if odb.exists(*id) {
                revwalk.hide(*id).map_err(failed)?;
            }
        }
        for commit in &mut revwalk {
            let commit = commit.map_err(failed)?;
            if pack.contains(commit) {
                continue;
            }
            pack.add(commit);
            let commit = source.find_commit(commit).map_err(failed)?;
            let tree = commit.tree().map_err(failed)?;
            if pack.contains(tree.id()) {
                continue;
            }
            pack.add(tree.id());
            let parents = commit
                .parents()
                .map(|parent| parent.tree())
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(failed)?;
            collect_tree_changes(source, &tree, &parents, pack)?;
        }
    }
    Ok(())
}

/// Adds the entries of `tree` that no parent tree has under the same name, and does
/// the same within each changed folder.
fn collect_tree_changes(
    source: &Repository,
    tree: &Tree<'_>,
    parents: &[Tree<'_>],
    pack: &mut PackBuilder,
) -> Result<()> {
    for entry in tree.iter() {
        let id = entry.id();
        if pack.contains(id) {
            continue;
        }
        // An entry whose name is not UTF-8 is compared with nothing and copied.
        let name = entry.name().ok();
        let in_parent = |parent: &Tree<'_>| {
            name.and_then(|name| parent.get_name(name))
                .is_some_and(|old| old.id() == id)
        };
        if parents.iter().any(in_parent) {
            continue;
        }
        match entry.kind() {
            Some(ObjectType::Blob) => pack.add(id),
            Some(ObjectType::Tree) => {
                pack.add(id);
                let subtree = source
                    .find_tree(id)
                    .map_err(|e| Error::git(format!("read tree {id}"), e))?;
                let old_subtrees: Vec<Tree<'_>> = parents
                    .iter()
                    .filter_map(|parent| name.and_then(|name| parent.get_name(name)))
                    .filter(|old| old.kind() == Some(ObjectType::Tree))
                    .filter_map(|old| source.find_tree(old.id()).ok())
                    .collect();
                collect_tree_changes(source, &subtree, &old_subtrees, pack)?;
            }
            // A submodule's commit lives in the submodule's repository.
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(repo: &Repository, parents: &[Oid], file: &str) -> Oid {
        let blob = repo.blob(file.as_bytes()).expect("blob");
        let mut builder = repo.treebuilder(None).expect("tree builder");
        builder
            .insert(file, blob, git2::FileMode::Blob.into())
            .expect("insert");
        let tree = repo
            .find_tree(builder.write().expect("tree"))
            .expect("find tree");
        let parents: Vec<git2::Commit<'_>> = parents
            .iter()
            .map(|id| repo.find_commit(*id).expect("parent"))
            .collect();
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let signature = git2::Signature::now("Test", "test@example.com").expect("signature");
        repo.commit(None, &signature, &signature, file, &tree, &parents)
            .expect("commit")
    }

    /// Commits the files (path, content) as the whole tree, paths with one folder.
    fn commit_files(repo: &Repository, parents: &[Oid], files: &[(&str, &str)]) -> Oid {
        let mut folders: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
        for (path, content) in files {
            let (folder, name) = path.split_once('/').expect("folder/name");
            folders.entry(folder).or_default().push((name, content));
        }
        let mut root = repo.treebuilder(None).expect("tree builder");
        for (folder, entries) in folders {
            let mut builder = repo.treebuilder(None).expect("tree builder");
            for (name, content) in entries {
                let blob = repo.blob(content.as_bytes()).expect("blob");
                builder
                    .insert(name, blob, git2::FileMode::Blob.into())
                    .expect("insert");
            }
            let tree = builder.write().expect("tree");
            root.insert(folder, tree, git2::FileMode::Tree.into())
                .expect("insert folder");
        }
        let tree = repo
            .find_tree(root.write().expect("tree"))
            .expect("find tree");
        let parents: Vec<git2::Commit<'_>> = parents
            .iter()
            .map(|id| repo.find_commit(*id).expect("parent"))
            .collect();
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let signature = git2::Signature::now("Test", "test@example.com").expect("signature");
        repo.commit(None, &signature, &signature, "files", &tree, &parents)
            .expect("commit")
    }

    /// Copies what `tip` adds over `known` from `source` into a new repository that
    /// holds only `known`'s objects, and returns whether every object of every copied
    /// commit arrived.
    fn copy_is_complete(source: &Repository, known: Oid, tip: Oid) -> bool {
        let target_dir = tempfile::tempdir().expect("folder");
        let target = Repository::init_bare(target_dir.path()).expect("target");
        let source_odb = source.odb().expect("odb");
        let target_odb = target.odb().expect("odb");
        let mut base = PackBuilder::new();
        collect_new_objects(
            source,
            &[Walk {
                tip: known,
                known: vec![],
            }],
            &mut base,
        )
        .expect("collect the base");
        base.write(&source_odb, &target_odb)
            .expect("write the base");
        let mut pack = PackBuilder::new();
        collect_new_objects(
            source,
            &[Walk {
                tip,
                known: vec![known],
            }],
            &mut pack,
        )
        .expect("collect");
        pack.write(&source_odb, &target_odb).expect("write");

        let mut revwalk = source.revwalk().expect("walk");
        revwalk.push(tip).expect("push");
        revwalk.all(|id| {
            let id = id.expect("commit");
            let tree = source
                .find_commit(id)
                .expect("commit")
                .tree()
                .expect("tree");
            let mut complete = target.find_commit(id).is_ok();
            tree.walk(git2::TreeWalkMode::PreOrder, |_, entry| {
                complete &= target_odb.exists(entry.id());
                git2::TreeWalkResult::Ok
            })
            .expect("walk the tree");
            complete && target_odb.exists(tree.id())
        })
    }

    #[test]
    fn merge_keeping_one_side_copies_it() {
        let dir = tempfile::tempdir().expect("folder");
        let repo = Repository::init_bare(dir.path()).expect("repository");
        let base = commit_files(&repo, &[], &[("memos/one.md", "status: draft")]);
        let theirs = commit_files(&repo, &[base], &[("memos/one.md", "status: review")]);
        let ours = commit_files(&repo, &[base], &[("memos/one.md", "status: rejected")]);
        // The merge resolves the conflict with their file, so its tree is theirs.
        let merge = commit_files(
            &repo,
            &[ours, theirs],
            &[("memos/one.md", "status: review")],
        );
        assert!(copy_is_complete(&repo, base, merge));
    }

    #[test]
    fn undone_change_copies_every_version() {
        let dir = tempfile::tempdir().expect("folder");
        let repo = Repository::init_bare(dir.path()).expect("repository");
        let base = commit_files(&repo, &[], &[("memos/one.md", "first")]);
        let changed = commit_files(
            &repo,
            &[base],
            &[("memos/one.md", "first"), ("memos/two.md", "x")],
        );
        let edited = commit_files(
            &repo,
            &[changed],
            &[("memos/one.md", "second"), ("memos/two.md", "x")],
        );
        let undone = commit_files(
            &repo,
            &[edited],
            &[("memos/one.md", "first"), ("memos/two.md", "x")],
        );
        assert!(copy_is_complete(&repo, base, undone));
    }

    #[test]
    fn push_moves_a_log_only_from_the_fetched_head() {
        let local_dir = tempfile::tempdir().expect("folder");
        let remote_dir = tempfile::tempdir().expect("folder");
        let local = Repository::init(local_dir.path()).expect("local");
        let remote = Repository::init_bare(remote_dir.path()).expect("remote");
        let name = format!("{REF_PREFIX}LOG");
        let none = BTreeMap::new();

        // A new log goes in with its objects.
        let first = commit(&local, &[], "a.json");
        let rejected = push_logs(
            &local,
            remote_dir.path(),
            &[("LOG".to_owned(), first)],
            &none,
        )
        .expect("push");
        assert_eq!(rejected, []);
        assert_eq!(remote.refname_to_id(&name).expect("ref"), first);
        assert!(remote.find_commit(first).expect("commit").tree().is_ok());

        // The fetch saw `first`, but the remote moved on meanwhile.
        let second = commit(&local, &[first], "b.json");
        let elsewhere = commit(&remote, &[], "c.json");
        remote
            .reference(&name, elsewhere, true, "another clone")
            .expect("move");
        let push_second = |seen: Oid| {
            let advertised = BTreeMap::from([(name.clone(), seen)]);
            push_logs(
                &local,
                remote_dir.path(),
                &[("LOG".to_owned(), second)],
                &advertised,
            )
            .expect("push")
        };
        let rejected = push_second(first);
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].reason, MOVED);
        assert_eq!(remote.refname_to_id(&name).expect("ref"), elsewhere);

        // A head that does not contain the remote's is never forced over it.
        let rejected = push_second(elsewhere);
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].reason, "non-fast-forward");
        assert_eq!(remote.refname_to_id(&name).expect("ref"), elsewhere);
    }
}
