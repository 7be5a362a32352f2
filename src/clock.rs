//! The current time, which tests can fix.

use chrono::{DateTime, SubsecRound, Utc};

/// The environment variable that fixes the clock, as an RFC 3339 time. Tests use it to
/// make timestamps, event ids and countdowns reproducible.
pub const NOW_VAR: &str = "MEMO_NOW";

/// Returns the current time in UTC, to the second, or the time `MEMO_NOW` sets.
pub fn now() -> DateTime<Utc> {
    std::env::var(NOW_VAR)
        .ok()
        .and_then(|text| DateTime::parse_from_rfc3339(&text).ok())
        .map(|time| time.with_timezone(&Utc))
        .unwrap_or_else(|| Utc::now().trunc_subsecs(0))
}

/// Formats a time the way front matter stores it: `2026-03-02T09:15:00Z`.
pub fn format(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A source of the current time. Code that compares deadlines with the clock (the
/// meeting countdown, progress throttling) takes one, so tests can move time forward
/// without waiting.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The process clock: [`now`], which `MEMO_NOW` can fix.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        now()
    }
}

/// The terminal UI's clock: it starts at the time `MEMO_NOW` sets and runs on from
/// there with the wall clock, so a meeting screen opened with `MEMO_NOW` counts down
/// and syncs. Without `MEMO_NOW` it is the system clock. Commands take [`now`]
/// instead, which is fixed at `MEMO_NOW` so their output is reproducible.
#[derive(Clone, Copy, Debug)]
pub struct RunningClock {
    /// The set start minus the wall clock at creation; zero without `MEMO_NOW`.
    offset: chrono::Duration,
}

impl RunningClock {
    /// Returns a clock that starts at `MEMO_NOW`, or the system clock when it is unset
    /// or not an RFC 3339 time.
    pub fn from_env() -> RunningClock {
        let start = std::env::var(NOW_VAR)
            .ok()
            .and_then(|text| DateTime::parse_from_rfc3339(&text).ok())
            .map(|time| time.with_timezone(&Utc));
        RunningClock::starting_at(start)
    }

    /// Returns a clock that reads `start` now and runs on from it; the system clock
    /// when `start` is `None`.
    pub fn starting_at(start: Option<DateTime<Utc>>) -> RunningClock {
        RunningClock {
            offset: start.map_or(chrono::Duration::zero(), |start| start - Utc::now()),
        }
    }
}

impl Clock for RunningClock {
    fn now(&self) -> DateTime<Utc> {
        // The wall clock, not a monotonic one, so time a suspended laptop slept counts.
        (Utc::now() + self.offset).trunc_subsecs(0)
    }
}

/// A clock that stands still until it is set or advanced; clones share one time.
#[derive(Clone, Debug)]
pub struct ManualClock {
    time: std::sync::Arc<std::sync::Mutex<DateTime<Utc>>>,
}

impl ManualClock {
    pub fn new(time: DateTime<Utc>) -> ManualClock {
        ManualClock {
            time: std::sync::Arc::new(std::sync::Mutex::new(time)),
        }
    }

    pub fn set(&self, time: DateTime<Utc>) {
        *self.time.lock().unwrap_or_else(|e| e.into_inner()) = time;
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut time = self.time.lock().unwrap_or_else(|e| e.into_inner());
        *time += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.time.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn running_clock_starts_at_the_set_time_and_runs() {
        let start = time("2026-03-02T09:00:00Z");
        let clock = RunningClock::starting_at(Some(start));
        let first = clock.now();
        assert!(first >= start - chrono::Duration::seconds(1), "{first}");
        assert!(first <= start + chrono::Duration::seconds(2), "{first}");
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert!(clock.now() > first, "the clock stood still at {first}");
    }

    #[test]
    fn running_clock_without_a_start_is_the_system_clock() {
        let clock = RunningClock::starting_at(None);
        let drift = (clock.now() - Utc::now()).num_seconds().abs();
        assert!(drift <= 1, "{drift} s from the system clock");
    }
}
