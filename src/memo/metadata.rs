//! Typed access to the front matter fields memo defines.
//!
//! Reading is lenient: a field with the wrong type is left out of [`Metadata`] and
//! recorded as a [`FieldProblem`], which `check` reports, so one bad value never hides
//! a memo from `list` or `search`. The mapping itself is kept as it was, so unknown keys
//! survive every rewrite.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_yaml_ng::Value;

use super::document::FrontMatter;

/// A front matter value that does not have the type its key needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    pub key: String,
    /// 1-based file line of the key.
    pub line: usize,
    pub message: String,
}

#[derive(Clone, Debug, Default)]
pub struct Metadata {
    pub number: Option<u32>,
    pub uid: Option<String>,
    pub title: Option<String>,
    pub status: Option<String>,
    pub template: Option<String>,
    pub authors: Vec<String>,
    pub created: Option<DateTime<Utc>>,
    pub decided: Option<DateTime<Utc>>,
    pub tags: Vec<String>,
    pub deciders: Vec<String>,
    pub supersedes: Vec<String>,
    pub superseded_by: Vec<String>,
    pub problems: Vec<FieldProblem>,
}

impl Metadata {
    pub fn from_front_matter(front_matter: &FrontMatter) -> Metadata {
        let mut reader = Reader {
            front_matter,
            problems: Vec::new(),
        };
        let metadata = Metadata {
            number: reader.number("number"),
            uid: reader.string("uid"),
            title: reader.string("title"),
            status: reader.string("status"),
            template: reader.string("template"),
            authors: reader.strings("authors"),
            created: reader.timestamp("created"),
            decided: reader.timestamp("decided"),
            tags: reader.strings("tags"),
            deciders: reader.strings("deciders"),
            supersedes: reader.strings("supersedes"),
            superseded_by: reader.strings("superseded_by"),
            problems: Vec::new(),
        };
        Metadata {
            problems: reader.problems,
            ..metadata
        }
    }
}

struct Reader<'a> {
    front_matter: &'a FrontMatter,
    problems: Vec<FieldProblem>,
}

impl Reader<'_> {
    fn problem(&mut self, key: &str, message: String) {
        let line = self
            .front_matter
            .key_line(key)
            .unwrap_or(self.front_matter.first_line);
        self.problems.push(FieldProblem {
            key: key.to_owned(),
            line,
            message,
        });
    }

    fn get(&self, key: &str) -> Option<&Value> {
        match self.front_matter.get(key) {
            None | Some(Value::Null) => None,
            Some(value) => Some(value),
        }
    }

    fn number(&mut self, key: &str) -> Option<u32> {
        let value = self.get(key)?.clone();
        let number = match &value {
            Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
            Value::String(s) => s.trim().parse::<u32>().ok(),
            _ => None,
        };
        if number.is_none() {
            self.problem(
                key,
                format!("`{key}` must be a whole number, not {}", describe(&value)),
            );
        }
        number
    }

    fn string(&mut self, key: &str) -> Option<String> {
        let value = self.get(key)?.clone();
        match scalar_string(&value) {
            Some(s) => Some(s),
            None => {
                self.problem(
                    key,
                    format!("`{key}` must be a string, not {}", describe(&value)),
                );
                None
            }
        }
    }

    fn strings(&mut self, key: &str) -> Vec<String> {
        let Some(value) = self.get(key).cloned() else {
            return Vec::new();
        };
        match &value {
            Value::Sequence(items) => {
                let mut strings = Vec::with_capacity(items.len());
                for item in items {
                    match scalar_string(item) {
                        Some(s) => strings.push(s),
                        None => self.problem(
                            key,
                            format!("`{key}` items must be strings, not {}", describe(item)),
                        ),
                    }
                }
                strings
            }
            other => match scalar_string(other) {
                Some(s) => vec![s],
                None => {
                    self.problem(
                        key,
                        format!("`{key}` must be a list of strings, not {}", describe(other)),
                    );
                    Vec::new()
                }
            },
        }
    }

    fn timestamp(&mut self, key: &str) -> Option<DateTime<Utc>> {
        let value = self.get(key)?.clone();
        let parsed = scalar_string(&value).and_then(|s| parse_timestamp(&s));
        if parsed.is_none() {
            self.problem(
                key,
                format!(
                    "`{key}` must be a date (2024-05-02) or a time (2024-05-02T10:00:00Z), not {}",
                    describe(&value)
                ),
            );
        }
        parsed
    }
}

fn scalar_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "an empty value".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("'{}'", s.chars().take(60).collect::<String>()),
        Value::Sequence(_) => "a list".to_owned(),
        Value::Mapping(_) => "a mapping".to_owned(),
        Value::Tagged(_) => "a tagged value".to_owned(),
    }
}

/// Parses the date and time forms front matter uses, as UTC.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f %z", "%Y-%m-%d %H:%M:%S%.f%:z"] {
        if let Ok(time) = DateTime::parse_from_str(text, format) {
            return Some(time.with_timezone(&Utc));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(text, format) {
            return Some(time.and_utc());
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|time| time.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_common_forms() {
        let expected = "2024-05-02T10:00:00Z";
        for text in [
            "2024-05-02T10:00:00+00:00",
            "2024-05-02T10:00:00Z",
            "2024-05-02 10:00:00",
            "2024-05-02T12:00:00+02:00",
        ] {
            let parsed = parse_timestamp(text).expect(text);
            assert_eq!(
                parsed.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                expected
            );
        }
        assert!(parse_timestamp("2024-05-02").is_some());
        assert!(parse_timestamp("last tuesday").is_none());
    }
}
