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
