//! Others' comments, hidden from a reader during the silent read.
//!
//! So that first impressions are the reader's own, a reader does not see others'
//! comments until they mark their read done. The meeting screen, `memo comment list`,
//! the minutes and search all decide with these functions.

use super::fold::{Meeting, Meetings, Phase};
use crate::error::Result;
use crate::store::Repo;
use crate::thread::view::ThreadView;

/// Returns the running silent read that hides others' comments from the person with
/// `email`: one in which they have not marked their read done, whether or not they
/// joined it. When two run, it is the one started first.
pub fn hiding_read<'m>(meetings: &'m Meetings, email: &str) -> Option<&'m Meeting> {
    meetings.running().find(|meeting| {
        meeting.phase() == Phase::Reading
            && meeting
                .participant(email)
                .is_none_or(|participant| participant.done.is_none())
    })
}

/// Drops others' comments from the threads of memo `uid` while a silent read runs that
/// the repository's git identity has not marked done. Returns that read and how many
/// comments it dropped, or `None` when no read hides anything from the viewer.
pub fn hide_from_viewer(
    repo: &Repo,
    uid: &str,
    threads: &mut Vec<ThreadView>,
) -> Result<Option<(Meeting, usize)>> {
    let meetings = super::load(&repo.git, uid)?;
    // Without an identity nobody can be told apart, so every comment counts as others'.
    let email = repo.identity().map(|i| i.email).unwrap_or_default();
    let Some(read) = hiding_read(&meetings, &email) else {
        return Ok(None);
    };
    let hidden = keep_own(
        threads,
        &email,
        |thread| &mut thread.comments,
        |comment| comment.author.as_str(),
    );
    Ok(Some((read.clone(), hidden)))
}

/// Returns whether any silent read is running, which hides comments from someone.
pub fn any_read_running(meetings: &Meetings) -> bool {
    meetings.running().any(|m| m.phase() == Phase::Reading)
}

/// Returns the warning a command prints after hiding `hidden` comments during
/// `meeting`'s silent read, naming the memo as `memo_reference`.
pub fn hidden_warning(hidden: usize, meeting: &Meeting, memo_reference: &str) -> String {
    format!(
        "{hidden} comment(s) by others are hidden until you mark your read of meeting {} done (`memo meet done {memo_reference}`); --show-hidden shows them",
        super::write::short(&meeting.id)
    )
}

/// Keeps the comments by `viewer_email` in each thread and drops the threads left
/// empty, so a thread someone else opened is hidden whole. Returns how many comments
/// it dropped.
pub fn keep_own<T, C>(
    threads: &mut Vec<T>,
    viewer_email: &str,
    comments: impl Fn(&mut T) -> &mut Vec<C>,
    author: impl Fn(&C) -> &str,
) -> usize {
    let mut hidden = 0;
    threads.retain_mut(|thread| {
        let list = comments(thread);
        let before = list.len();
        list.retain(|comment| same_person(author(comment), viewer_email));
        hidden += before - list.len();
        !list.is_empty()
    });
    hidden
}

/// Returns whether an author (`Name <email>`, or an email alone) is the person with
/// `email`. People are told apart by email, compared without case, because a name can
/// be written differently on two machines.
pub fn same_person(author: &str, email: &str) -> bool {
    email_of(author).eq_ignore_ascii_case(email_of(email))
}

/// Returns the email of a `Name <email>` author; the whole text when it has none.
pub fn email_of(author: &str) -> &str {
    author
        .rsplit_once('<')
        .and_then(|(_, rest)| rest.strip_suffix('>'))
        .unwrap_or(author)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_compare_by_email() {
        assert_eq!(email_of("Rui Costa <rui@example.com>"), "rui@example.com");
        assert_eq!(email_of("no address"), "no address");
        assert!(same_person("R. Costa <Rui@Example.com>", "rui@example.com"));
        assert!(same_person(
            "Rui Costa <rui@example.com>",
            "Rui <rui@example.com>"
        ));
        assert!(!same_person(
            "Lena Brandt <lena@example.com>",
            "rui@example.com"
        ));
    }

    #[test]
    fn keep_own_hides_others_threads_whole() {
        let mut threads = vec![
            vec!["Rui <rui@example.com>", "Lena <lena@example.com>"],
            vec!["Lena <lena@example.com>"],
            vec!["Fay <fay@example.com>", "Rui <rui@example.com>"],
        ];
        let hidden = keep_own(&mut threads, "rui@example.com", |t| t, |c| c);
        assert_eq!(hidden, 3);
        assert_eq!(
            threads,
            [vec!["Rui <rui@example.com>"], vec!["Rui <rui@example.com>"]]
        );
    }
}
