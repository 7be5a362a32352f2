//! Moving a ref by compare-and-swap.

use git2::{Oid, Reference, Repository};

/// Points `name` at `new` if it still points at `old`, or, with `old` of `None`, creates
/// it if it does not exist yet. Both checks happen under the ref's lock: creating with
/// `force` off would check for the ref before taking the lock, so two first writers
/// could both succeed. A ref that moved or appeared is a `Modified` error, and a
/// locked one a `Locked` error.
pub fn move_ref<'r>(
    git: &'r Repository,
    name: &str,
    new: Oid,
    old: Option<Oid>,
    message: &str,
) -> Result<Reference<'r>, git2::Error> {
    // libgit2 reads the zero id as "must not exist".
    git.reference_matching(name, new, true, old.unwrap_or(Oid::ZERO_SHA1), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creation_fails_when_the_ref_exists() {
        let dir = tempfile::tempdir().expect("folder");
        let git = Repository::init_bare(dir.path()).expect("repository");
        let tree = git.treebuilder(None).and_then(|b| b.write()).expect("tree");
        let tree = git.find_tree(tree).expect("tree");
        let signature = git2::Signature::now("Test", "test@example.com").expect("signature");
        let first = git
            .commit(None, &signature, &signature, "first", &tree, &[])
            .expect("commit");
        let second = git
            .commit(None, &signature, &signature, "second", &tree, &[])
            .expect("commit");

        move_ref(&git, "refs/test/a", first, None, "create").expect("created");
        let again = move_ref(&git, "refs/test/a", second, None, "create again");
        assert_eq!(
            again.map(|_| ()).map_err(|e| e.code()),
            Err(git2::ErrorCode::Modified)
        );
        let stale = move_ref(
            &git,
            "refs/test/a",
            second,
            Some(second),
            "from a stale head",
        );
        assert!(stale.is_err());
        move_ref(&git, "refs/test/a", second, Some(first), "move").expect("moved");
        assert_eq!(git.refname_to_id("refs/test/a").expect("ref"), second);
    }
}
