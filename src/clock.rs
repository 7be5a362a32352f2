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
