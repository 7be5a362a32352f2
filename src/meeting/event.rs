//! Meeting event kinds and their payloads, as stored in a memo's event log.
//!
//! A meeting's id is the id of its `meeting.started` event; every later event of the
//! meeting names it in its `meeting` field. `docs/storage.md` lists the kinds.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::memo::Status;

pub const MEETING_STARTED: &str = "meeting.started";
pub const MEETING_JOINED: &str = "meeting.joined";
pub const MEETING_PROGRESS: &str = "meeting.progress";
pub const MEETING_DONE: &str = "meeting.done";
pub const MEETING_EXTENDED: &str = "meeting.extended";
pub const MEETING_PHASE: &str = "meeting.phase";
pub const MEETING_FOCUS: &str = "meeting.focus";
pub const MEETING_ENDED: &str = "meeting.ended";

/// The memo revision a meeting reads: every participant reads this text, whatever
/// their work tree holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// The commit the file was read from.
    pub commit: Option<String>,
    /// The git blob id of the memo file.
    pub blob: String,
    /// The memo's path then, relative to the repository root with `/`; for messages.
    pub path: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Started {
    pub revision: Revision,
    /// When the silent read began, in UTC; the countdown runs from here.
    pub start: DateTime<Utc>,
    /// Length of the silent read, in seconds.
    pub read_seconds: u64,
}

/// The payload of the kinds that only name their meeting (`meeting.joined`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingId {
    pub meeting: String,
}

/// The payload of `meeting.progress` and `meeting.done`: how far a reader has come.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub meeting: String,
    /// Headings of the furthest section reached, outermost first; empty before the
    /// first heading.
    #[serde(default)]
    pub section: Vec<String>,
    /// Share of the memo read, in per cent: how far down the reader has scrolled.
    #[serde(default)]
    pub percent: u8,
    /// Seconds spent reading, not counting idle stretches.
    #[serde(default)]
    pub active_seconds: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Extended {
    pub meeting: String,
    /// The new length of the whole silent read, in seconds, counted from the start.
    pub read_seconds: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhaseChange {
    pub meeting: String,
    /// The phase the meeting moves to: `discussion`.
    pub phase: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Focus {
    pub meeting: String,
    /// The thread under discussion now.
    pub thread: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ended {
    pub meeting: String,
    pub outcome: Outcome,
    #[serde(default)]
    pub rationale: Option<String>,
    /// The status the memo's front matter was set to.
    pub status: String,
    /// Who the front matter names as deciders.
    #[serde(default)]
    pub deciders: Vec<String>,
    /// The commit that updated the front matter, when one was needed.
    #[serde(default)]
    pub commit: Option<String>,
}

/// How a meeting ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Accepted,
    Rejected,
    Deferred,
    /// The memo goes back to its authors for another draft.
    NeedsWork,
}

impl Outcome {
    pub const NAMES: [&'static str; 4] = ["accepted", "rejected", "deferred", "needs-work"];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Rejected => "rejected",
            Outcome::Deferred => "deferred",
            Outcome::NeedsWork => "needs-work",
        }
    }

    /// Returns the status the memo takes: the outcome itself, or `draft` for
    /// `needs-work`.
    pub fn status(self) -> Status {
        match self {
            Outcome::Accepted => Status::Accepted,
            Outcome::Rejected => Status::Rejected,
            Outcome::Deferred => Status::Deferred,
            Outcome::NeedsWork => Status::Draft,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Outcome {
    type Err = Error;

    fn from_str(text: &str) -> Result<Outcome, Error> {
        match text.trim().to_ascii_lowercase().as_str() {
            "accepted" => Ok(Outcome::Accepted),
            "rejected" => Ok(Outcome::Rejected),
            "deferred" => Ok(Outcome::Deferred),
            "needs-work" => Ok(Outcome::NeedsWork),
            _ => Err(Error::invalid_with_hint(
                format!(
                    "unknown outcome '{}'",
                    crate::render::sanitize_line(text.trim())
                ),
                format!("the outcome is one of {}", Outcome::NAMES.join(", ")),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_read_back_from_their_names() {
        for name in Outcome::NAMES {
            let outcome: Outcome = name.parse().expect("known outcome");
            assert_eq!(outcome.as_str(), name);
            let json = serde_json::to_string(&outcome).expect("serialises");
            assert_eq!(json, format!("\"{name}\""));
        }
        assert!("approved".parse::<Outcome>().is_err());
    }

    #[test]
    fn needs_work_returns_the_memo_to_draft() {
        assert_eq!(Outcome::NeedsWork.status(), Status::Draft);
        assert_eq!(Outcome::Deferred.status(), Status::Deferred);
    }
}
