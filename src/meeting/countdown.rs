//! The silent read's length and its countdown as people read it.
//!
//! The countdown is never a counter kept by a program: it is the recorded start plus
//! the read's length (the deadline), compared with the clock whenever it is shown. So
//! a restart, a suspended laptop or a slow frame cannot make it drift. Times are kept
//! in UTC and shown in the local time zone.

use chrono::{DateTime, Duration, FixedOffset, Local, Offset, Utc};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::memo::Memo;

/// The longest silent read `--minutes` accepts: a working day.
pub const MAX_MINUTES: u32 = 8 * 60;

/// Returns the default silent read for a memo, in minutes: its reading time at the
/// repository's reading speed, rounded up, within the configured limits.
pub fn default_read_minutes(memo: &Memo, config: &Config) -> u32 {
    let minutes = memo.reading_minutes(config.reading.words_per_minute);
    minutes.clamp(
        config.meeting.min_read_minutes,
        config.meeting.max_read_minutes,
    )
}

/// Checks a read length given on the command line.
pub fn check_minutes(minutes: u32) -> Result<u32> {
    if minutes == 0 || minutes > MAX_MINUTES {
        return Err(Error::invalid_with_hint(
            format!("--minutes {minutes} is not a silent read memo can run"),
            format!(
                "give a whole number of minutes from 1 to {MAX_MINUTES}, or leave --minutes out to use the memo's reading time"
            ),
        ));
    }
    Ok(minutes)
}

/// Formats time left on a countdown: `24:59`, `1:02:03`, and `0:00` once it is over.
pub fn format_remaining(remaining: Duration) -> String {
    // Round up, so the countdown shows 0:00 only when the time is over.
    let total = (remaining.num_milliseconds().max(0) + 999) / 1000;
    let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

/// Formats a length of time in words: `25 min`, `1 h 5 min`, `40 s`.
pub fn format_length(length: Duration) -> String {
    let seconds = length.num_seconds().max(0);
    if seconds < 60 {
        return format!("{seconds} s");
    }
    let minutes = (seconds + 30) / 60;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// The time zone times are shown in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Zone {
    /// The system's local time zone (`TZ`, else `/etc/localtime`).
    #[default]
    Local,
    /// A fixed offset from UTC, for tests and for output that must not depend on the
    /// machine.
    Fixed(FixedOffset),
}

impl Zone {
    pub fn utc() -> Zone {
        Zone::Fixed(Utc.fix())
    }

    /// Formats a time in this zone with a `chrono` format string.
    pub fn format(self, time: DateTime<Utc>, format: &str) -> String {
        match self {
            Zone::Local => time.with_timezone(&Local).format(format).to_string(),
            Zone::Fixed(offset) => time.with_timezone(&offset).format(format).to_string(),
        }
    }

    /// Formats a time of day: `14:05`.
    pub fn clock_time(self, time: DateTime<Utc>) -> String {
        self.format(time, "%H:%M")
    }

    /// Formats a date and time with the offset from UTC: `2026-03-29 03:20 +02:00`.
    pub fn date_time(self, time: DateTime<Utc>) -> String {
        self.format(time, "%Y-%m-%d %H:%M %:z")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remaining_rounds_up_and_stops_at_zero() {
        assert_eq!(format_remaining(Duration::seconds(1500)), "25:00");
        assert_eq!(format_remaining(Duration::milliseconds(59_001)), "1:00");
        assert_eq!(format_remaining(Duration::seconds(3723)), "1:02:03");
        assert_eq!(format_remaining(Duration::seconds(-40)), "0:00");
    }

    #[test]
    fn lengths_read_as_words() {
        assert_eq!(format_length(Duration::seconds(40)), "40 s");
        assert_eq!(format_length(Duration::seconds(25 * 60)), "25 min");
        assert_eq!(format_length(Duration::seconds(65 * 60)), "1 h 5 min");
    }

    #[test]
    fn read_length_is_clamped_to_the_configuration() {
        let words = "word ".repeat(2000);
        let memo = Memo::parse("m.md", format!("# T\n\n{words}\n").as_bytes()).expect("memo");
        let mut config = Config::default();
        assert_eq!(memo.reading_minutes(config.reading.words_per_minute), 11);
        assert_eq!(default_read_minutes(&memo, &config), 11);
        config.meeting.max_read_minutes = 8;
        assert_eq!(default_read_minutes(&memo, &config), 8);
        let short = Memo::parse("m.md", b"# T\n\nA few words.\n").expect("memo");
        assert_eq!(default_read_minutes(&short, &config), 5);
    }

    #[test]
    fn minutes_out_of_range_are_rejected() {
        assert!(check_minutes(0).is_err());
        assert!(check_minutes(MAX_MINUTES + 1).is_err());
        assert_eq!(check_minutes(25).expect("valid"), 25);
    }
}
