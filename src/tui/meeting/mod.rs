//! The meeting screen: the reader on the meeting's revision of the memo, with the
//! countdown, every participant's progress, others' comments hidden until the read is
//! done, the walk through open threads in discussion, and the outcome.
//!
//! State and actions live here; drawing is in [`draw`](self::draw()), the hidden
//! comments in `hidden`, the background sync in `sync`. Time comes from an injected
//! [`Clock`] and is compared with the recorded deadline on every frame ([`tick`]
//! runs before each draw), so tests move time without waiting.
//!
//! [`tick`]: MeetingState::tick

mod draw;
mod hidden;
mod sync;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use git2::Oid;

pub use draw::draw;
pub use hidden::{Hiding, HidingThreads};
pub use sync::{SyncResult, SyncWorker};

use super::app::Action;
use super::reader::ReaderState;
use super::threads::{ThreadState, ThreadStore};
use crate::clock::Clock;
use crate::error::Result;
use crate::events::EventLog;
use crate::meeting::countdown::Zone;
use crate::meeting::progress::MIN_INTERVAL_SECONDS;
use crate::meeting::reading::ReadingMeter;
use crate::meeting::write::{self, revision_state};
use crate::meeting::{self, Decision, Meeting, Outcome, Phase, Progress, ProgressTracker};
use crate::memo::Memo;
use crate::store::{Identity, Repo};

/// Minutes one press of the extend key adds to the silent read.
pub const EXTEND_MINUTES: u32 = 5;

/// How often the screen looks again whether the memo changed after the start.
const REVISION_CHECK_SECONDS: i64 = 60;

/// A box drawn over the screen that takes the keys until it closes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Popup {
    /// The countdown reached zero; shown once.
    TimeUp,
    /// The facilitator asked to move to discussion.
    ConfirmDiscussion,
    /// The facilitator is recording the outcome.
    End(EndDialog),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndDialog {
    pub outcome: Outcome,
    pub rationale: String,
    /// The error of the last attempt.
    pub error: Option<String>,
}

/// The last background sync.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncStatus {
    /// No remote, or `meeting.sync_interval_seconds` is 0.
    Off,
    Waiting,
    Synced(DateTime<Utc>),
    Failed(String),
}

/// A line for the user above the memo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

pub struct MeetingState {
    pub reader: ReaderState,
    repo: Repo,
    identity: std::result::Result<Identity, String>,
    /// The uid of the memo.
    pub uid: String,
    /// The meeting as the log held it at the last read.
    pub meeting: Meeting,
    log_head: Option<Oid>,
    clock: Arc<dyn Clock>,
    pub zone: Zone,
    tracker: ProgressTracker,
    /// The parts of the memo read, by what was on screen and for how long.
    meter: ReadingMeter,
    /// The tracker's active time already credited to the meter, in milliseconds.
    metered_millis: i64,
    /// After a failed progress write, the time of the next attempt.
    retry_after: Option<DateTime<Utc>>,
    pub hiding: Rc<RefCell<Hiding>>,
    /// The participants pane is shown.
    pub show_participants: bool,
    /// A reader's screen follows the thread the facilitator discusses.
    pub follow: bool,
    pub popup: Option<Popup>,
    /// The deadline the time-up notice was shown for, so it is shown once per deadline.
    time_up_shown: Option<DateTime<Utc>>,
    /// The countdown was seen running, so reaching zero is worth a notice.
    countdown_seen: bool,
    pub newer_revision: bool,
    revision_checked: DateTime<Utc>,
    sync: Option<SyncWorker>,
    sync_interval: Duration,
    last_sync_request: Option<DateTime<Utc>>,
    pub sync_status: SyncStatus,
    pub message: Option<Message>,
}

impl std::fmt::Debug for MeetingState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeetingState")
            .field("meeting", &self.meeting.id)
            .field("phase", &self.meeting.phase())
            .finish()
    }
}

impl MeetingState {
    /// Opens meeting `meeting_id` of memo `uid`. Returns the state and the memo as
    /// the meeting's revision has it.
    pub fn open(
        repo: Repo,
        uid: &str,
        meeting_id: &str,
        clock: Arc<dyn Clock>,
        zone: Zone,
    ) -> Result<(MeetingState, Memo)> {
        let uid = crate::events::canonical_uid(uid)?;
        let meetings = meeting::load(&repo.git, &uid)?;
        for problem in &meetings.problems {
            tracing::warn!("{problem}");
        }
        let meeting = meetings.get(meeting_id).cloned().ok_or_else(|| {
            crate::Error::invalid(format!(
                "meeting {meeting_id} is not in the log of memo {uid}"
            ))
        })?;
        let memo = write::revision_memo(&repo, &meeting)?;
        let log_head = EventLog::open(&repo.git, &uid)?.head()?;
        let identity = repo.identity().map_err(|e| e.to_string());
        let viewer = identity.as_ref().map(Identity::display).unwrap_or_default();
        let now = clock.now();
        let me = identity
            .as_ref()
            .ok()
            .and_then(|i| meeting.participant(&i.email));
        let tracker = ProgressTracker::new(&meeting.id, me.map(|p| &p.progress), now);
        let mut meter = ReadingMeter::new(&memo, repo.config.reading.words_per_minute);
        if let Some(recorded) = me.map(|p| &p.progress.section)
            && let Some(section) = (0..memo.outline.sections.len())
                .find(|&i| memo.outline.path(i) == recorded.as_slice())
        {
            meter.restore(section);
        }
        let done = me.is_some_and(|p| p.done.is_some());
        let phase = meeting.phase();
        let is_facilitator = identity
            .as_ref()
            .is_ok_and(|i| meeting.is_facilitator(&i.email));
        let hiding = Rc::new(RefCell::new(Hiding {
            viewer,
            active: phase == Phase::Reading && !done,
            hidden: 0,
        }));

        let interval = repo.config.meeting.sync_interval_seconds;
        let has_remote = repo.git.remotes().is_ok_and(|r| !r.is_empty());
        let sync =
            (interval > 0 && has_remote).then(|| SyncWorker::start(repo.root.clone(), uid.clone()));
        let newer_revision = revision_state(&repo, &meeting).newer;
        let countdown_seen = !meeting.is_time_up(now);

        let mut state = MeetingState {
            reader: ReaderState::new(memo.clone()),
            repo,
            identity,
            uid,
            meeting,
            log_head,
            clock,
            zone,
            metered_millis: tracker.active_millis(),
            tracker,
            meter,
            retry_after: None,
            hiding,
            show_participants: is_facilitator && phase == Phase::Reading,
            follow: true,
            popup: None,
            time_up_shown: None,
            countdown_seen,
            newer_revision,
            revision_checked: now,
            sync_status: if sync.is_some() {
                SyncStatus::Waiting
            } else {
                SyncStatus::Off
            },
            sync,
            sync_interval: Duration::seconds(i64::from(interval)),
            last_sync_request: None,
            message: None,
        };
        if let Err(reason) = &state.identity {
            state.error(format!(
                "{reason}: your progress and comments are not recorded"
            ));
        }
        Ok((state, memo))
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Returns whether the viewer facilitates the meeting.
    pub fn is_facilitator(&self) -> bool {
        self.identity
            .as_ref()
            .is_ok_and(|i| self.meeting.is_facilitator(&i.email))
    }

    /// Returns the viewer's entry among the participants.
    pub fn me(&self) -> Option<&meeting::Participant> {
        let identity = self.identity.as_ref().ok()?;
        self.meeting.participant(&identity.email)
    }

    /// Returns the furthest place and reading time this screen has counted.
    pub fn progress(&self) -> &Progress {
        self.tracker.reached()
    }

    pub fn is_typing(&self) -> bool {
        self.popup.is_some() || self.reader.is_typing()
    }

    fn inform(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }

    /// Brings the screen up to date with the clock and the log; runs before each frame.
    pub fn tick(&mut self, store: &mut dyn ThreadStore) {
        let now = self.clock.now();
        self.poll_sync(now);
        self.request_sync(now);
        self.refresh(store, false);
        if now - self.revision_checked >= Duration::seconds(REVISION_CHECK_SECONDS) {
            self.newer_revision = revision_state(&self.repo, &self.meeting).newer;
            self.revision_checked = now;
        }
        self.track_progress(now);
        self.check_time_up(now);
    }

    /// Counts a key press towards active reading time.
    pub fn note_input(&mut self) {
        let now = self.clock.now();
        self.tracker.input(now);
    }

    /// Blocks until the running background sync finishes (at most `timeout`) and
    /// applies its result; returns whether one finished.
    pub fn wait_for_sync(&mut self, timeout: std::time::Duration) -> bool {
        let Some(worker) = self.sync.as_mut() else {
            return false;
        };
        match worker.wait(timeout) {
            Some(result) => {
                let now = self.clock.now();
                self.apply_sync(result, now);
                true
            }
            None => false,
        }
    }

    /// Returns when the screen last asked for a background sync.
    pub fn last_sync_request(&self) -> Option<DateTime<Utc>> {
        self.last_sync_request
    }

    fn poll_sync(&mut self, now: DateTime<Utc>) {
        if let Some(result) = self.sync.as_mut().and_then(SyncWorker::poll) {
            self.apply_sync(result, now);
        }
    }

    fn apply_sync(&mut self, result: SyncResult, now: DateTime<Utc>) {
        self.sync_status = match result {
            Ok(report) => {
                for problem in &report.problems {
                    tracing::warn!("{problem}");
                }
                SyncStatus::Synced(now)
            }
            Err(error) => SyncStatus::Failed(error),
        };
    }

    fn request_sync(&mut self, now: DateTime<Utc>) {
        let Some(worker) = self.sync.as_mut() else {
            return;
        };
        let due = self
            .last_sync_request
            .is_none_or(|last| now - last >= self.sync_interval || now < last);
        if due && worker.request() {
            self.last_sync_request = Some(now);
        }
    }

    /// Reads the log again when its head moved (or always with `force`), and updates
    /// the meeting, the hidden comments and the threads. Only the events added since the
    /// last read are read from git (see `EventLog::read`).
    fn refresh(&mut self, store: &mut dyn ThreadStore, force: bool) {
        let head = EventLog::open(&self.repo.git, &self.uid).and_then(|log| log.head());
        let head = match head {
            Ok(head) => head,
            Err(e) => {
                self.error(format!("cannot read the meeting's events: {e}"));
                return;
            }
        };
        if head == self.log_head && !force {
            return;
        }
        self.log_head = head;

        let meetings = match meeting::load(&self.repo.git, &self.uid) {
            Ok(meetings) => meetings,
            Err(e) => {
                self.error(format!("cannot read the meeting's events: {e}"));
                return;
            }
        };
        let Some(fresh) = meetings.get(&self.meeting.id).cloned() else {
            return;
        };

        let before = self.meeting.phase();
        let focus_before = self.meeting.focus.clone();
        self.meeting = fresh;
        let after = self.meeting.phase();
        if before != after {
            self.phase_changed(after);
        }

        self.update_hiding();
        self.reader.reload_threads(store);
        if self.follow
            && !self.is_facilitator()
            && self.meeting.focus != focus_before
            && let Some(thread) = self.meeting.focus.clone()
        {
            self.show_thread(&thread);
        }
    }

    fn phase_changed(&mut self, phase: Phase) {
        let now = self.clock.now();
        self.tracker.pause(now);
        if let Some(pending) = self.tracker.pending()
            && phase == Phase::Discussion
        {
            // What was read before the discussion began still counts.
            self.write_progress(pending, false, now);
        }
        self.popup = match &self.popup {
            Some(Popup::End(_)) if phase == Phase::Discussion => self.popup.clone(),
            _ => None,
        };
        match (phase, &self.meeting.ended) {
            (Phase::Discussion, _) => {
                self.reader.show_threads = true;
                self.show_participants = false;
                self.inform("The meeting is in discussion: > and < walk the open threads");
            }
            (Phase::Ended, Some(ending)) => {
                let text = format!(
                    "The meeting ended: {} (the memo is now {})",
                    ending.outcome, ending.status
                );
                self.inform(text);
            }
            _ => {}
        }
    }

    /// Hides others' comments while the viewer reads and is not done, unless they
    /// chose to see them.
    fn update_hiding(&mut self) {
        let reading = self.meeting.phase() == Phase::Reading;
        let done = self.me().is_some_and(|p| p.done.is_some());
        let mut hiding = self.hiding.borrow_mut();
        if !reading || done {
            hiding.active = false;
        }
    }

    fn track_progress(&mut self, now: DateTime<Utc>) {
        if self.meeting.phase() != Phase::Reading || self.identity.is_err() {
            return;
        }
        self.tracker.tick(now);
        // Key presses count active time too, so the meter takes what the tracker
        // counted since the last frame, not only this tick's share.
        let active = self.tracker.active_millis() - self.metered_millis;
        self.metered_millis = self.tracker.active_millis();
        if let Some(on_screen) = self.parts_on_screen() {
            self.meter.observe(&on_screen, active);
            let outline = &self.reader.memo.outline;
            let section: Vec<String> = self
                .meter
                .furthest_section()
                .map(|index| outline.path(index).into_iter().map(str::to_owned).collect())
                .unwrap_or_default();
            self.tracker.reach(&section, self.meter.percent());
        }
        if self.retry_after.is_some_and(|after| now < after) {
            return;
        }
        if let Some(progress) = self.tracker.due(now) {
            self.write_progress(progress, false, now);
        }
    }

    /// Returns the parts of the memo on screen, in document order, each with whether
    /// its last line is on screen; `None` before the first frame. Parts are numbered
    /// as [`ReadingMeter`] numbers them: 0 before the first heading, then one per
    /// section.
    fn parts_on_screen(&self) -> Option<Vec<(usize, bool)>> {
        let reader = &self.reader;
        let total = reader.line_count();
        if reader.width == 0 || total == 0 {
            return None;
        }
        let top = reader.scroll.min(total);
        let bottom = (reader.scroll + reader.page).min(total);

        // Each part's first line: the memo's first line, then each heading's.
        let mut starts = vec![(0, 0)];
        for heading in &reader.rendered.headings {
            if let Some(section) = reader.memo.outline.section_at(heading.offset) {
                starts.push((section + 1, heading.line));
            }
        }
        let mut on_screen = Vec::new();
        for (i, &(part, first)) in starts.iter().enumerate() {
            let end = starts.get(i + 1).map_or(total, |&(_, next)| next);
            // A part with no lines of its own (no text before the first heading) is
            // on screen when the place it would be is.
            let shown = if first == end {
                top <= first && first <= bottom
            } else {
                first < bottom && end > top
            };
            if shown {
                on_screen.push((part, end <= bottom));
            }
        }
        Some(on_screen)
    }

    fn write_progress(&mut self, progress: Progress, done: bool, now: DateTime<Utc>) {
        let Ok(identity) = self.identity.clone() else {
            return;
        };
        match meeting::record_progress(
            &self.repo,
            &self.meeting,
            progress.clone(),
            done,
            &identity,
            now,
        ) {
            Ok(()) => {
                self.tracker.written(progress, now);
                self.retry_after = None;
            }
            Err(e) => {
                self.retry_after = Some(now + Duration::seconds(MIN_INTERVAL_SECONDS));
                self.error(format!("your progress was not recorded: {e}"));
            }
        }
    }

    fn check_time_up(&mut self, now: DateTime<Utc>) {
        if self.meeting.phase() != Phase::Reading {
            return;
        }
        let deadline = self.meeting.deadline();
        if !self.meeting.is_time_up(now) {
            self.countdown_seen = true;
            return;
        }
        if self.countdown_seen && self.time_up_shown != Some(deadline) {
            self.time_up_shown = Some(deadline);
            if self.popup.is_none() {
                self.popup = Some(Popup::TimeUp);
            }
        }
    }

    /// Writes what the screen counted and not yet recorded, before the screen closes,
    /// and pushes it when a remote is set up.
    pub fn leave(&mut self) {
        let now = self.clock.now();
        if self.meeting.phase() == Phase::Reading {
            self.tracker.tick(now);
            if let Some(pending) = self.tracker.pending() {
                self.write_progress(pending, false, now);
            }
        }
        if let Some(worker) = self.sync.as_mut() {
            // A sync started by the last frame may still run; then one more pushes
            // the last events.
            let _ = worker.wait(std::time::Duration::from_secs(3));
            if worker.request() {
                let _ = worker.wait(std::time::Duration::from_secs(3));
            }
        }
    }

    /// Handles a key while a pop-up is open or text is typed.
    pub fn type_key(&mut self, key: KeyEvent, store: &mut dyn ThreadStore) {
        let Some(popup) = self.popup.clone() else {
            self.reader.type_key(key, store);
            return;
        };
        match popup {
            Popup::TimeUp => {
                self.popup = None;
                match key.code {
                    KeyCode::Char('P') if self.is_facilitator() => {
                        self.popup = Some(Popup::ConfirmDiscussion);
                    }
                    KeyCode::Char('+') if self.is_facilitator() => self.extend(),
                    _ => {}
                }
            }
            Popup::ConfirmDiscussion => {
                self.popup = None;
                if matches!(key.code, KeyCode::Char('y') | KeyCode::Enter) {
                    self.move_to_discussion(store);
                }
            }
            Popup::End(dialog) => self.end_dialog_key(dialog, key, store),
        }
    }

    fn end_dialog_key(
        &mut self,
        mut dialog: EndDialog,
        key: KeyEvent,
        store: &mut dyn ThreadStore,
    ) {
        let outcomes = [
            Outcome::Accepted,
            Outcome::Rejected,
            Outcome::Deferred,
            Outcome::NeedsWork,
        ];
        let index = outcomes
            .iter()
            .position(|o| *o == dialog.outcome)
            .unwrap_or(0);
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => {
                self.popup = None;
                return;
            }
            KeyCode::Tab | KeyCode::Right | KeyCode::Down => {
                dialog.outcome = outcomes[(index + 1) % outcomes.len()];
            }
            KeyCode::BackTab | KeyCode::Left | KeyCode::Up => {
                dialog.outcome = outcomes[(index + outcomes.len() - 1) % outcomes.len()];
            }
            KeyCode::Backspace => {
                dialog.rationale.pop();
            }
            KeyCode::Char('u') if ctrl => dialog.rationale.clear(),
            KeyCode::Enter => {
                self.popup = None;
                match self.end(&dialog, store) {
                    Ok(()) => return,
                    Err(e) => dialog.error = Some(e.to_string()),
                }
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() => dialog.rationale.push(c),
            _ => {}
        }
        self.popup = Some(Popup::End(dialog));
    }

    /// Applies an action; returns whether the screen should be left.
    pub fn apply(&mut self, action: Action, store: &mut dyn ThreadStore) -> bool {
        if self.reader.overlay.is_none() && self.reader.composer.is_none() {
            match action {
                Action::MarkDone => {
                    self.mark_done(store);
                    return false;
                }
                Action::RevealComments => {
                    self.toggle_hidden(store);
                    return false;
                }
                Action::ToggleParticipants => {
                    self.show_participants = !self.show_participants;
                    return false;
                }
                Action::ToggleFollow => {
                    self.follow = !self.follow;
                    let state = if self.follow { "on" } else { "off" };
                    self.inform(format!("following the facilitator's thread is {state}"));
                    return false;
                }
                Action::ExtendRead => {
                    self.extend();
                    return false;
                }
                Action::MoveToDiscussion => {
                    self.ask_discussion();
                    return false;
                }
                Action::EndMeeting => {
                    self.ask_end();
                    return false;
                }
                Action::NextThread | Action::PreviousThread
                    if self.meeting.phase() == Phase::Discussion =>
                {
                    self.walk(action == Action::NextThread);
                    return false;
                }
                _ => {}
            }
        }
        self.message = None;
        let leave = self.reader.apply(action, store);
        if !leave && matches!(action, Action::ToggleResolved | Action::Reply) {
            self.refresh(store, true);
        }
        leave
    }

    fn mark_done(&mut self, store: &mut dyn ThreadStore) {
        if let Some(time) = self.me().and_then(|p| p.done) {
            let text = format!(
                "you marked your read done at {}",
                self.zone.clock_time(time)
            );
            self.inform(text);
            return;
        }
        if !self.meeting.is_running() {
            self.error("the meeting has ended");
            return;
        }
        let now = self.clock.now();
        self.tracker.tick(now);
        let progress = self.tracker.reached().clone();
        self.write_progress(progress, true, now);
        self.refresh(store, true);
        if self.me().is_some_and(|p| p.done.is_some()) {
            let hidden = self.hiding.borrow().hidden;
            self.hiding.borrow_mut().active = false;
            self.refresh(store, true);
            self.inform(if hidden > 0 {
                format!("read marked done; {hidden} comment(s) by others are now shown")
            } else {
                "read marked done".to_owned()
            });
        }
    }

    fn toggle_hidden(&mut self, store: &mut dyn ThreadStore) {
        if self.meeting.phase() != Phase::Reading {
            self.inform("every comment is shown after the silent read");
            return;
        }
        let active = {
            let mut hiding = self.hiding.borrow_mut();
            hiding.active = !hiding.active;
            hiding.active
        };
        self.refresh(store, true);
        if active {
            self.inform("others' comments are hidden again; s shows them");
        } else {
            self.inform("others' comments are shown; s hides them");
        }
    }

    fn facilitator_only(&mut self, what: &str) -> bool {
        if self.is_facilitator() {
            return true;
        }
        let name = self.meeting.facilitator.name.clone();
        self.error(format!("only the facilitator, {name}, can {what}"));
        false
    }

    fn extend(&mut self) {
        if !self.facilitator_only("extend the silent read") {
            return;
        }
        let Ok(identity) = self.identity.clone() else {
            return;
        };
        let now = self.clock.now();
        match write::extend(
            &self.repo,
            &self.meeting,
            EXTEND_MINUTES,
            &identity,
            false,
            now,
        ) {
            Ok(deadline) => {
                let text = format!(
                    "the silent read now ends at {}",
                    self.zone.clock_time(deadline)
                );
                self.inform(text);
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn ask_discussion(&mut self) {
        if !self.facilitator_only("move the meeting to discussion") {
            return;
        }
        match self.meeting.phase() {
            Phase::Reading => self.popup = Some(Popup::ConfirmDiscussion),
            Phase::Discussion => self.inform("the meeting already is in discussion"),
            Phase::Ended => self.error("the meeting has ended"),
        }
    }

    fn move_to_discussion(&mut self, store: &mut dyn ThreadStore) {
        let Ok(identity) = self.identity.clone() else {
            return;
        };
        let now = self.clock.now();
        match meeting::move_to_discussion(&self.repo, &self.meeting, &identity, false, now) {
            Ok(_) => {
                self.refresh(store, true);
                self.walk_from_top();
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn ask_end(&mut self) {
        if !self.facilitator_only("end the meeting") {
            return;
        }
        if !self.meeting.is_running() {
            self.error("the meeting has ended");
            return;
        }
        self.popup = Some(Popup::End(EndDialog {
            outcome: Outcome::Accepted,
            rationale: String::new(),
            error: None,
        }));
    }

    fn end(&mut self, dialog: &EndDialog, store: &mut dyn ThreadStore) -> Result<()> {
        let identity = self.identity.clone().map_err(crate::Error::invalid)?;
        let memo = self.repo.find_memo(&self.uid)?;
        let decision = Decision {
            outcome: dialog.outcome,
            rationale: Some(dialog.rationale.clone()),
            deciders: None,
        };
        let now = self.clock.now();
        meeting::end(
            &self.repo,
            &memo,
            &self.meeting,
            decision,
            &identity,
            false,
            now,
        )?;
        self.refresh(store, true);
        Ok(())
    }

    /// Returns the indices of the open threads the discussion walks: those placed in
    /// the text, in document order.
    pub fn open_threads(&self) -> Vec<usize> {
        self.reader
            .threads
            .iter()
            .enumerate()
            .filter(|(i, t)| {
                t.state == ThreadState::Open
                    && self
                        .reader
                        .thread_lines
                        .get(*i)
                        .is_some_and(Option::is_some)
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn walk_from_top(&mut self) {
        if let Some(&first) = self.open_threads().first() {
            self.focus_thread(first);
        }
    }

    /// Moves to the next (or previous) open thread after the cursor, and for the
    /// facilitator records it as the thread under discussion.
    fn walk(&mut self, forward: bool) {
        let cursor = self.reader.cursor;
        let current = self.reader.thread_under_cursor();
        let open = self.open_threads();
        let start_of = |i: usize| self.reader.thread_lines[i].map_or(0, |(a, _)| a);
        let next = if forward {
            open.iter()
                .copied()
                .find(|&i| start_of(i) > cursor || (start_of(i) == cursor && Some(i) > current))
        } else {
            open.iter()
                .rev()
                .copied()
                .find(|&i| start_of(i) < cursor || (start_of(i) == cursor && Some(i) < current))
        };
        match next {
            Some(index) => self.focus_thread(index),
            None if open.is_empty() => self.inform("no open thread is left; E records the outcome"),
            None if forward => self.inform("that was the last open thread; < goes back"),
            None => self.inform("that was the first open thread; > goes on"),
        }
    }

    fn focus_thread(&mut self, index: usize) {
        let Some(Some((line, _))) = self.reader.thread_lines.get(index).copied() else {
            return;
        };
        self.reader.jump_to(line);
        let here = self.reader.threads_at(line);
        self.reader.thread_choice = here.iter().position(|&i| i == index).unwrap_or(0);
        if self.is_facilitator()
            && let Ok(identity) = self.identity.clone()
        {
            let id = self.reader.threads[index].id.clone();
            let now = self.clock.now();
            if let Err(e) = write::focus(&self.repo, &self.meeting, &id, &identity, now) {
                self.error(format!("the thread under discussion was not recorded: {e}"));
            }
        }
    }

    /// Moves the reader to a thread by id, when it is placed in the text.
    fn show_thread(&mut self, id: &str) {
        if let Some(index) = self.reader.threads.iter().position(|t| t.id == id)
            && let Some(Some((line, _))) = self.reader.thread_lines.get(index).copied()
        {
            self.reader.jump_to(line);
            let here = self.reader.threads_at(line);
            self.reader.thread_choice = here.iter().position(|&i| i == index).unwrap_or(0);
        }
    }
}

/// Maps the meeting screen's own keys; the rest are the reader's.
pub fn action_for(key: KeyEvent) -> Option<Action> {
    Some(match key.code {
        KeyCode::Char('d') => Action::MarkDone,
        KeyCode::Char('s') => Action::RevealComments,
        KeyCode::Char('p') => Action::ToggleParticipants,
        KeyCode::Char('f') => Action::ToggleFollow,
        KeyCode::Char('+') => Action::ExtendRead,
        KeyCode::Char('P') => Action::MoveToDiscussion,
        KeyCode::Char('E') => Action::EndMeeting,
        _ => return super::reader::action_for(key),
    })
}
