//! Other readers' comments, kept out of sight during the silent read.
//!
//! So that first impressions are the reader's own, a reader does not see what others
//! wrote until they mark their read done, or press the key that shows it. The thread
//! store is wrapped: it hands the reader their own threads and comments only, and
//! counts what it held back for the meeting bar.

use std::cell::RefCell;
use std::rc::Rc;

use crate::error::Result;
use crate::meeting::hidden::{email_of, keep_own};
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
        let mut threads = self.inner.threads(memo)?;
        let mut hiding = self.hiding.borrow_mut();
        if !hiding.active {
            hiding.hidden = 0;
            return Ok(threads);
        }
        let viewer = email_of(&hiding.viewer).to_owned();
        hiding.hidden = keep_own(
            &mut threads,
            &viewer,
            |thread| &mut thread.comments,
            |comment| comment.author.as_str(),
        );
        Ok(threads)
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
