//! One event: the envelope every kind shares, its JSON form and its checks.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::store::Identity;

/// The format version this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// The largest Lamport clock an event may carry: 2^53 - 1, the largest integer every
/// JSON reader holds exactly.
pub const MAX_CLOCK: u64 = (1 << 53) - 1;

/// Who wrote an event.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Author {
    pub name: String,
    pub email: String,
}

impl Author {
    pub fn from_identity(identity: &Identity) -> Author {
        Author {
            name: identity.name.clone(),
            email: identity.email.clone(),
        }
    }
}

impl fmt::Display for Author {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} <{}>", self.name, self.email)
    }
}

/// An event as stored in a memo's log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The format version the event was written in.
    pub version: u32,
    pub id: String,
    /// The uid of the memo the event belongs to.
    pub memo: String,
    pub kind: String,
    /// The Lamport clock: one more than the largest clock in the log the writer saw.
    pub clock: u64,
    pub time: DateTime<Utc>,
    pub author: Author,
    /// Kind-specific fields.
    pub payload: serde_json::Value,
}

/// An event before it is appended: the log assigns its clock, memo, author and time.
#[derive(Clone, Debug, PartialEq)]
pub struct NewEvent {
    pub id: String,
    pub kind: String,
    pub payload: serde_json::Value,
}

impl NewEvent {
    /// Makes an event of `kind` with a fresh id.
    pub fn new(kind: &str, payload: impl Serialize) -> NewEvent {
        NewEvent {
            id: new_id(),
            kind: kind.to_owned(),
            // Payload types are plain structs of strings and numbers, which always
            // serialise.
            payload: serde_json::to_value(payload).unwrap_or(serde_json::Value::Null),
        }
    }
}

impl Event {
    /// Returns the event's bytes as stored: one line of JSON and a newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// Returns the event's file name in the log's tree.
    pub fn file_name(&self) -> String {
        file_name(self.clock, &self.id)
    }

    /// Reads the payload as the type of its kind.
    pub fn payload<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        serde_json::from_value(self.payload.clone())
            .map_err(|e| format!("{} event has an invalid payload: {e}", self.kind))
    }
}

/// Parses and checks one stored event of the log of memo `uid`. The error says what is
/// wrong in words a user can act on.
pub fn parse(bytes: &[u8], uid: &str) -> Result<Event, String> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        format!(
            "not valid JSON: {e} (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    let object = value
        .as_object()
        .ok_or_else(|| "not a JSON object".to_owned())?;

    // The version is checked before anything else, so an event of a newer format is
    // reported as such and not as a missing field.
    let version = object
        .get("version")
        .ok_or_else(|| "has no version field".to_owned())?;
    let version = version
        .as_u64()
        .ok_or_else(|| format!("version {version} is not a whole number"))?;
    if version > u64::from(FORMAT_VERSION) {
        return Err(format!(
            "written in format version {version}, but this memo reads versions up to {FORMAT_VERSION}; update memo to see it"
        ));
    }
    if version == 0 {
        return Err("version 0 is not a format version".to_owned());
    }

    let event: Event = serde_json::from_value(value).map_err(|e| format!("invalid event: {e}"))?;
    if !is_valid_id(&event.id) {
        return Err(format!(
            "id '{}' is not 26 characters of Crockford base32",
            event.id
        ));
    }
    if !event.memo.eq_ignore_ascii_case(uid) {
        return Err(format!(
            "names memo {}, but it is stored in the log of memo {uid}",
            event.memo
        ));
    }
    if event.clock == 0 || event.clock > MAX_CLOCK {
        return Err(format!("clock {} is outside 1 to {MAX_CLOCK}", event.clock));
    }
    if event.kind.is_empty() {
        return Err("kind is empty".to_owned());
    }
    Ok(event)
}

/// The characters of Crockford's base32, which event ids are written in.
const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Returns a new event id: 128 random bits in 26 characters of Crockford base32.
pub fn new_id() -> String {
    let high = getrandom::u64().unwrap_or_else(|_| fallback_random());
    let low = getrandom::u64().unwrap_or_else(|_| fallback_random());
    let mut value = (u128::from(high) << 64) | u128::from(low);
    let mut id = [0u8; 26];
    for slot in id.iter_mut().rev() {
        *slot = CROCKFORD[(value & 31) as usize];
        value >>= 5;
    }
    id.iter().map(|&b| char::from(b)).collect()
}

/// Mixes the time and the process id, for the unlikely case that the operating system
/// offers no random numbers.
fn fallback_random() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ (u64::from(std::process::id()) << 32) ^ 0x9e37_79b9_7f4a_7c15
}

/// Returns whether `id` has the form of an event id.
pub fn is_valid_id(id: &str) -> bool {
    // A match on ranges instead of a search of `CROCKFORD`: this runs for every event
    // file a lookup lists.
    id.len() == 26
        && id.bytes().all(|b| {
            matches!(b, b'0'..=b'9' | b'A'..=b'H' | b'J' | b'K' | b'M' | b'N' | b'P'..=b'T' | b'V'..=b'Z')
        })
}

/// Returns the file name of an event: its clock in 16 digits, a hyphen, its id.
pub fn file_name(clock: u64, id: &str) -> String {
    format!("{clock:016}-{id}.json")
}

/// Returns the folder an event's file sits in: its clock divided by 100, in 14 digits.
/// Folders keep each append's new trees small however long the log grows.
pub fn folder_name(clock: u64) -> String {
    format!("{:014}", clock / 100)
}

/// Reads the clock and id from an event's file name.
pub fn parse_file_name(name: &str) -> Option<(u64, &str)> {
    let stem = name.strip_suffix(".json")?;
    let (clock, id) = stem.split_once('-')?;
    if clock.len() != 16 || !clock.bytes().all(|b| b.is_ascii_digit()) || !is_valid_id(id) {
        return None;
    }
    Some((clock.parse().ok()?, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event_json(version: u64, memo: &str, clock: u64) -> String {
        format!(
            r#"{{"version":{version},"id":"{}","memo":"{memo}","kind":"comment.added","clock":{clock},"time":"2026-03-02T09:00:00Z","author":{{"name":"A","email":"a@example.com"}},"payload":{{}}}}"#,
            "0".repeat(26)
        )
    }

    #[test]
    fn ids_are_unique_and_valid() {
        let a = new_id();
        let b = new_id();
        assert_ne!(a, b);
        assert!(is_valid_id(&a), "{a}");
        assert!(
            !is_valid_id("01JD7X3Q0Y5T8V2M4N6P9R1S3I"),
            "I is not Crockford"
        );
    }

    #[test]
    fn valid_id_characters_are_crockford() {
        for byte in 0..=u8::MAX {
            let id = String::from_utf8(vec![byte; 26]).unwrap_or_default();
            assert_eq!(
                is_valid_id(&id),
                CROCKFORD.contains(&byte),
                "byte {byte:#04x}"
            );
        }
    }

    #[test]
    fn file_names_sort_by_clock_then_id() {
        let names = [file_name(9, &new_id()), file_name(10, &new_id())];
        assert!(names[0] < names[1]);
        assert_eq!(parse_file_name(&names[1]).map(|(c, _)| c), Some(10));
        assert_eq!(folder_name(12_345), "00000000000123");
    }

    #[test]
    fn newer_version_is_reported_before_fields() {
        let error = parse(br#"{"version": 2, "shape": "new"}"#, "M").expect_err("newer");
        assert!(error.contains("format version 2"), "{error}");
    }

    #[test]
    fn event_of_another_memo_is_rejected() {
        let error = parse(event_json(1, "OTHER", 3).as_bytes(), "MEMO").expect_err("wrong memo");
        assert!(error.contains("names memo OTHER"), "{error}");
        assert!(parse(event_json(1, "memo", 3).as_bytes(), "MEMO").is_ok());
    }

    #[test]
    fn clock_must_be_in_range() {
        let error = parse(event_json(1, "M", 0).as_bytes(), "M").expect_err("zero clock");
        assert!(error.contains("clock 0"), "{error}");
    }

    #[test]
    fn invalid_json_names_position() {
        let error = parse(b"{\"version\": 1,\n oops}", "M").expect_err("invalid");
        assert!(error.contains("line 2"), "{error}");
    }
}
