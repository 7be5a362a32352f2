//! The status lifecycle of a memo.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// Where a memo is in its life: `draft -> review -> accepted | rejected | deferred`,
/// and `superseded` once a later memo replaces it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Draft,
    Review,
    Accepted,
    Rejected,
    Deferred,
    Superseded,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Draft,
        Status::Review,
        Status::Accepted,
        Status::Rejected,
        Status::Deferred,
        Status::Superseded,
    ];
    pub const NAMES: [&'static str; 6] = [
        "draft",
        "review",
        "accepted",
        "rejected",
        "deferred",
        "superseded",
    ];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// Returns whether a memo must pass `check` before it may move to this status.
    pub fn needs_clean_check(self) -> bool {
        !matches!(self, Status::Draft)
    }

    /// Returns whether this status ends the decision.
    pub fn is_decided(self) -> bool {
        matches!(self, Status::Accepted | Status::Rejected | Status::Deferred)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Self::NAMES
            .iter()
            .position(|name| *name == lower)
            .map(|i| Self::ALL[i])
            .ok_or_else(|| Error::InvalidStatus {
                value: s.to_owned(),
            })
    }
}
