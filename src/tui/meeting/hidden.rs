//! Other readers' comments, kept out of sight during the silent read.
//!
//! So that first impressions are the reader's own, a reader does not see what others
//! wrote until they mark their read done, or press the key that shows it. The thread
//! store is wrapped: it hands the reader their own threads and comments only, and
//! counts what it held back for the meeting bar.

use std::cell::RefCell;
use std::rc::Rc;

use crate::error::Result;
use crate::memo::Memo;
use crate::tui::threads::{Passage, Thread, ThreadState, ThreadStore};

/// The hiding state, shared with the meeting screen that switches it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hiding {
    /// The viewer, as comments name their author (`Name <email>`); compared by email.
    pub viewer: String,
    /// Others' comments are hidden.
    pub active: bool,
    /// Comments held back at the last listing.
    pub hidden: usize,
}

/// A thread store that hides others' comments while [`Hiding::active`] is set.
pub struct HidingThreads {
    inner: Box<dyn ThreadStore>,
    hiding: Rc<RefCell<Hiding>>,
}

impl HidingThreads {
    pub fn new(inner: Box<dyn ThreadStore>, hiding: Rc<RefCell<Hiding>>) -> HidingThreads {
        HidingThreads { inner, hiding }
    }
}

impl ThreadStore for HidingThreads {
    fn author(&self) -> Result<String> {
        self.inner.author()
    }

    fn threads(&mut self, memo: &Memo) -> Result<Vec<Thread>> {
        let threads = self.inner.threads(memo)?;
        let mut hiding = self.hiding.borrow_mut();
        if !hiding.active {
            hiding.hidden = 0;
            return Ok(threads);
        }
        let viewer = email_of(&hiding.viewer).to_lowercase();
        let mut hidden = 0;
        let mut shown = Vec::with_capacity(threads.len());
        for mut thread in threads {
            let before = thread.comments.len();
            thread
                .comments
                .retain(|c| email_of(&c.author).to_lowercase() == viewer);
            hidden += before - thread.comments.len();
            // A thread someone else opened is hidden whole; in the viewer's own
            // thread, only the others' replies are.
            if !thread.comments.is_empty() {
                shown.push(thread);
            }
        }
        hiding.hidden = hidden;
        Ok(shown)
    }

    fn add(&mut self, memo: &Memo, passage: &Passage, body: &str) -> Result<()> {
        self.inner.add(memo, passage, body)
    }

    fn reply(&mut self, memo: &Memo, thread: &str, body: &str) -> Result<()> {
        self.inner.reply(memo, thread, body)
    }

    fn set_state(&mut self, memo: &Memo, thread: &str, state: ThreadState) -> Result<()> {
        self.inner.set_state(memo, thread, state)
    }
}

/// Returns the email of a `Name <email>` author, which tells people apart when their
/// name is written differently on two machines; the whole text when it has none.
fn email_of(author: &str) -> &str {
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
        assert_eq!(email_of("R. Costa <rui@example.com>"), "rui@example.com");
        assert_eq!(email_of("no address"), "no address");
    }
}
