//! Plain scalars that a YAML 1.1 reader resolves to something other than a string.
//!
//! memo reads front matter as YAML 1.2, where `yes` and `2026-03-02` are strings, but
//! many other tools (PyYAML, Ruby's Psych, Jekyll, Hugo) still resolve plain scalars
//! with the YAML 1.1 types. The patterns below are those of the YAML 1.1 type
//! repository (bool, null, int, float, timestamp, merge, value), plus YAML 1.2's core
//! float form, which accepts `1e3`.

use std::sync::LazyLock;

use regex::Regex;

static NON_STRING: LazyLock<Regex> = LazyLock::new(|| {
    let patterns = [
        // bool
        r"y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
        // null
        r"~|null|Null|NULL",
        // int: binary, octal, decimal, hexadecimal, base 60 (`12:30`)
        r"[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+",
        // float: decimal, base 60, infinity, not-a-number
        r"[-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)",
        // YAML 1.2 core float
        r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?",
        // timestamp: a date, or a date and time
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?",
        // merge and value keys
        r"<<|=",
    ];
    let alternatives: Vec<String> = patterns.iter().map(|p| format!("(?:{p})")).collect();
    Regex::new(&format!("^(?:{})$", alternatives.join("|"))).expect("valid pattern")
});

/// Returns whether `text`, written as a plain scalar, would be read by a YAML 1.1
/// reader as a bool, null, number, timestamp or merge key instead of a string.
pub fn resolves_to_non_string(text: &str) -> bool {
    NON_STRING.is_match(text)
}

/// Writes `text` as a single-quoted YAML scalar.
pub fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml11_non_strings_are_found() {
        for text in [
            "yes",
            "No",
            "ON",
            "off",
            "y",
            "N",
            "true",
            "FALSE",
            "null",
            "~",
            "123",
            "-7",
            "017",
            "0x1F",
            "0b101",
            "1_000",
            "12:30",
            "1.5",
            "1e3",
            "-.inf",
            ".NaN",
            "2026-03-02",
            "2026-3-2T09:00:00Z",
            "2026-03-02 09:00:00",
            "<<",
            "=",
        ] {
            assert!(resolves_to_non_string(text), "{text} reads as a string");
        }
    }

    #[test]
    fn ordinary_text_stays_a_string() {
        for text in [
            "yess",
            "Yes please",
            "Adopt Postgres",
            "v1.2",
            "09:00",
            "2026-03",
            "rfc",
            "no-op",
            "1st",
            "0xZZ",
        ] {
            assert!(!resolves_to_non_string(text), "{text} is not a string");
        }
    }

    #[test]
    fn single_quotes_are_doubled() {
        assert_eq!(single_quoted("it's"), "'it''s'");
    }
}
