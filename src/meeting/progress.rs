//! A reader's progress during the silent read, and when it is worth an event.
//!
//! The reader's screen reports where the reader is on every frame. This tracker keeps
//! the furthest place, counts active reading time, and decides when to write a
//! `meeting.progress` event. The rule keeps a meeting at tens of events per reader:
//!
//! - an event is written only when the furthest section changed, or the share read
//!   grew by at least [`PERCENT_STEP`] points (or reached 100 %), since the last one;
//! - and at most one every [`MIN_INTERVAL_SECONDS`] seconds: a change within that
//!   time waits until it has passed;
//! - marking the read done, and leaving the meeting screen, write what is pending.
//!
//! A 30-minute read therefore writes at most 60 progress events per reader, and
//! usually about one per section.
//!
//! Active reading time counts the time the meeting screen was open during the read,
//! up to [`IDLE_AFTER_SECONDS`] after the reader's last key: a reader who walked away,
//! or a laptop that was suspended, adds at most that much.

use chrono::{DateTime, Duration, Utc};

use super::event::Progress;

/// The shortest time between two progress events of one reader.
pub const MIN_INTERVAL_SECONDS: i64 = 30;

/// The growth of the share read, in percentage points, that is worth an event.
pub const PERCENT_STEP: u8 = 10;

/// How long after the last key reading time still counts.
pub const IDLE_AFTER_SECONDS: i64 = 120;

#[derive(Clone, Debug)]
pub struct ProgressTracker {
    /// The furthest place reached and the reading time so far.
    reached: Progress,
    /// Milliseconds of active reading, including the part not yet in whole seconds.
    active_millis: i64,
    /// The last progress written, and when.
    written: Option<(DateTime<Utc>, Progress)>,
    last_input: DateTime<Utc>,
    counted_until: DateTime<Utc>,
}

impl ProgressTracker {
    /// Starts tracking for `meeting` at `now`, continuing from what the log already
    /// holds for this reader (after a restart, the count goes on where it was).
    pub fn new(meeting: &str, recorded: Option<&Progress>, now: DateTime<Utc>) -> Self {
        let reached = match recorded {
            Some(progress) => Progress {
                meeting: meeting.to_owned(),
                ..progress.clone()
            },
            None => Progress {
                meeting: meeting.to_owned(),
                ..Progress::default()
            },
        };
        ProgressTracker {
            active_millis: i64::try_from(reached.active_seconds)
                .unwrap_or(i64::MAX / 2000)
                .saturating_mul(1000),
            written: recorded.map(|_| {
                (
                    now - Duration::seconds(MIN_INTERVAL_SECONDS),
                    reached.clone(),
                )
            }),
            reached,
            last_input: now,
            counted_until: now,
        }
    }

    /// Returns the furthest place and reading time so far.
    pub fn reached(&self) -> &Progress {
        &self.reached
    }

    /// Returns the active reading time counted so far, in milliseconds.
    pub fn active_millis(&self) -> i64 {
        self.active_millis
    }

    /// Counts a key press: the reader is active.
    pub fn input(&mut self, now: DateTime<Utc>) {
        self.tick(now);
        self.last_input = self.last_input.max(now);
    }

    /// Adds the active reading time up to `now`.
    pub fn tick(&mut self, now: DateTime<Utc>) {
        let until = now.min(self.last_input + Duration::seconds(IDLE_AFTER_SECONDS));
        if until > self.counted_until {
            self.active_millis += (until - self.counted_until).num_milliseconds();
        }
        self.counted_until = self.counted_until.max(now);
        self.reached.active_seconds = u64::try_from(self.active_millis / 1000).unwrap_or(0);
    }

    /// Stops counting reading time from `now` on without losing what was counted, for
    /// when the read is over.
    pub fn pause(&mut self, now: DateTime<Utc>) {
        self.tick(now);
        self.last_input = self
            .last_input
            .min(now - Duration::seconds(IDLE_AFTER_SECONDS));
    }

    /// Records the place on screen; only a place further down than before counts.
    pub fn reach(&mut self, section: &[String], percent: u8) {
        let percent = percent.min(100);
        if percent > self.reached.percent
            || (percent == self.reached.percent && self.reached.section.is_empty())
        {
            self.reached.percent = percent;
            self.reached.section = section.to_vec();
        }
    }

    /// Returns the progress to write now under the throttling rule, if any.
    pub fn due(&self, now: DateTime<Utc>) -> Option<Progress> {
        let changed = match &self.written {
            None => self.reached.percent > 0 || !self.reached.section.is_empty(),
            Some((_, written)) => {
                written.section != self.reached.section
                    || self.reached.percent >= written.percent.saturating_add(PERCENT_STEP)
                    || (self.reached.percent == 100 && written.percent < 100)
            }
        };
        let waited = match &self.written {
            None => true,
            Some((time, _)) => now - *time >= Duration::seconds(MIN_INTERVAL_SECONDS),
        };
        (changed && waited).then(|| self.reached.clone())
    }

    /// Returns what the log does not hold yet (a place or reading time), for writing
    /// when the reader marks the read done or leaves.
    pub fn pending(&self) -> Option<Progress> {
        match &self.written {
            Some((_, written)) if *written == self.reached => None,
            _ => Some(self.reached.clone()),
        }
    }

    /// Notes that `progress` was written at `now`.
    pub fn written(&mut self, progress: Progress, now: DateTime<Utc>) {
        self.written = Some((now, progress));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
            .expect("time")
            .with_timezone(&Utc)
            + Duration::seconds(seconds)
    }

    fn section(name: &str) -> Vec<String> {
        vec![name.to_owned()]
    }

    /// Simulates a reader who moves on every second through 20 sections in 20 minutes,
    /// writing each event the tracker reports as due.
    #[test]
    fn steady_reading_writes_tens_of_events() {
        let mut tracker = ProgressTracker::new("M", None, at(0));
        let mut events = 0;
        for second in 0..1200 {
            let now = at(second);
            tracker.input(now);
            let percent = u8::try_from(second * 100 / 1199).expect("percent");
            tracker.reach(&section(&format!("S{}", second / 60)), percent);
            if let Some(progress) = tracker.due(now) {
                tracker.written(progress, now);
                events += 1;
            }
        }
        assert!(events >= 10, "{events} events");
        assert!(events <= 1200 / MIN_INTERVAL_SECONDS + 1, "{events} events");
    }

    #[test]
    fn small_moves_wait_for_a_step() {
        let mut tracker = ProgressTracker::new("M", None, at(0));
        tracker.reach(&section("A"), 3);
        let first = tracker.due(at(0)).expect("first place is written");
        tracker.written(first, at(0));
        tracker.reach(&section("A"), 9);
        assert_eq!(tracker.due(at(120)), None, "six points in one section");
        tracker.reach(&section("A"), 13);
        assert!(tracker.due(at(10)).is_none(), "too soon after the last");
        assert!(tracker.due(at(30)).is_some());
    }

    #[test]
    fn idle_time_counts_only_briefly() {
        let mut tracker = ProgressTracker::new("M", None, at(0));
        tracker.input(at(10));
        // The laptop sleeps for an hour.
        tracker.tick(at(3610));
        assert_eq!(
            tracker.reached().active_seconds,
            10 + IDLE_AFTER_SECONDS as u64
        );
        tracker.input(at(3620));
        tracker.tick(at(3650));
        assert_eq!(
            tracker.reached().active_seconds,
            10 + IDLE_AFTER_SECONDS as u64 + 30
        );
    }

    #[test]
    fn restart_continues_from_the_log() {
        let recorded = Progress {
            meeting: "M".to_owned(),
            section: section("Options"),
            percent: 60,
            active_seconds: 400,
        };
        let mut tracker = ProgressTracker::new("M", Some(&recorded), at(0));
        assert_eq!(tracker.pending(), None, "nothing new yet");
        tracker.reach(&section("Summary"), 5);
        assert_eq!(tracker.reached().percent, 60, "never moves back");
        tracker.tick(at(20));
        assert_eq!(tracker.reached().active_seconds, 420);
        assert!(tracker.pending().is_some());
    }

    #[test]
    fn pause_stops_the_count() {
        let mut tracker = ProgressTracker::new("M", None, at(0));
        tracker.pause(at(50));
        tracker.tick(at(100));
        assert_eq!(tracker.reached().active_seconds, 50);
    }
}
