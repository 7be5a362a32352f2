//! Rewriting front matter fields in place.
//!
//! An edit replaces the lines of one top-level key and leaves every other byte of the
//! file as it was: comments, key order, quoting, unknown keys, the byte-order mark and
//! the line endings (a CRLF file stays CRLF). The result is parsed again before it is
//! returned, so an edit can never turn a valid memo into an unreadable one.

use std::path::Path;

use serde_yaml_ng::Value;

use super::document::{self, Document, top_level_key};
use crate::error::{Error, Result};

/// A change to one top-level front matter key.
#[derive(Clone, Debug)]
pub enum FieldEdit {
    Set(String, Value),
    Remove(String),
}

impl FieldEdit {
    pub fn set(key: &str, value: impl Into<Value>) -> FieldEdit {
        FieldEdit::Set(key.to_owned(), value.into())
    }

    pub fn set_strings(key: &str, values: &[String]) -> FieldEdit {
        FieldEdit::Set(
            key.to_owned(),
            Value::Sequence(values.iter().map(|v| Value::String(v.clone())).collect()),
        )
    }

    fn key(&self) -> &str {
        match self {
            FieldEdit::Set(key, _) | FieldEdit::Remove(key) => key,
        }
    }
}

/// Applies field edits to the bytes of a memo file and returns the new bytes.
///
/// The file must have a readable front matter block; a file without one gets a new
/// block at the top.
pub fn apply(path: &Path, bytes: &[u8], edits: &[FieldEdit]) -> Result<Vec<u8>> {
    let source = document::decode(path, bytes)?;
    let doc = Document::from_source(path, source.clone());
    if let Some(error) = doc.front_matter_error {
        return Err(Error::Parse(error));
    }
    let eol = source.line_ending.as_str();

    // Work on the original text so that line endings stay as they were.
    let original = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| Error::invalid(format!("{} is not valid UTF-8", path.display())))?;
    let mut lines: Vec<String> = original.split_inclusive('\n').map(str::to_owned).collect();

    let closing = match doc.front_matter {
        Some(_) => closing_fence(&lines),
        None => None,
    };
    let closing = match closing {
        Some(closing) => closing,
        None => {
            lines.insert(0, format!("---{eol}"));
            lines.insert(1, format!("---{eol}"));
            if lines.len() > 2 && !lines[2].trim().is_empty() {
                lines.insert(2, eol.to_owned());
            }
            1
        }
    };

    let mut closing = closing;
    for edit in edits {
        let block = key_block(&lines[1..closing], edit.key()).map(|r| (r.start + 1)..(r.end + 1));
        let replacement = match edit {
            FieldEdit::Set(key, value) => render_field(key, value, eol)?,
            FieldEdit::Remove(_) => Vec::new(),
        };
        let added = replacement.len() as isize;
        match block {
            Some(range) => {
                let removed = range.len() as isize;
                lines.splice(range, replacement);
                closing = (closing as isize + added - removed) as usize;
            }
            None => {
                lines.splice(closing..closing, replacement);
                closing = (closing as isize + added) as usize;
            }
        }
    }

    let mut out = Vec::with_capacity(bytes.len() + 64);
    if source.bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    for line in &lines {
        out.extend_from_slice(line.as_bytes());
    }

    verify(path, &out, edits)?;
    Ok(out)
}

fn closing_fence(lines: &[String]) -> Option<usize> {
    lines.iter().enumerate().skip(1).find_map(|(i, line)| {
        let trimmed = line.trim_end_matches(['\n', '\r', ' ', '\t']);
        (trimmed == "---" || trimmed == "...").then_some(i)
    })
}

/// Returns the lines a top-level key spans: its own line and the indented or `- `
/// lines that continue its value.
fn key_block(lines: &[String], key: &str) -> Option<std::ops::Range<usize>> {
    let start = lines
        .iter()
        .position(|line| top_level_key(line.trim_end_matches(['\n', '\r'])) == Some(key))?;
    let mut end = start + 1;
    while end < lines.len() {
        let line = lines[end].trim_end_matches(['\n', '\r']);
        let continues = line.starts_with([' ', '\t', '-']) || line.trim().is_empty();
        if !continues {
            break;
        }
        end += 1;
    }
    // Blank lines after the value belong to the next key.
    while end > start + 1 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    Some(start..end)
}

/// Fields whose value memo writes as an RFC 3339 time, which a YAML 1.1 reader may
/// well read as a timestamp.
const TIME_FIELDS: [&str; 2] = ["created", "decided"];

/// Writes a scalar, quoting text that a YAML 1.1 reader would not read as a string
/// (`yes`, `2026-03-02`, `0x1F`), because serde_yaml_ng quotes only what YAML 1.2
/// resolves to another type.
fn render_scalar(value: &Value) -> Result<String> {
    if let Value::String(text) = value
        && super::yaml11::resolves_to_non_string(text)
    {
        return Ok(super::yaml11::single_quoted(text));
    }
    render_plain(value)
}

fn render_plain(value: &Value) -> Result<String> {
    let text = serde_yaml_ng::to_string(value)
        .map_err(|e| Error::invalid(format!("cannot write value as YAML: {e}")))?;
    Ok(text.trim_end_matches('\n').to_owned())
}

fn render_field(key: &str, value: &Value, eol: &str) -> Result<Vec<String>> {
    match value {
        Value::Mapping(mapping) if mapping.is_empty() => Ok(vec![format!("{key}: {{}}{eol}")]),
        // A map of scalars (the `rfc:` metadata of an import, `waivers:`) is written entry
        // by entry, quoted as top-level values are, so `Start Date: 2014-06-26` stays text.
        Value::Mapping(mapping)
            if mapping.iter().all(|(k, v)| {
                !k.is_mapping() && !k.is_sequence() && !v.is_mapping() && !v.is_sequence()
            }) =>
        {
            let mut lines = vec![format!("{key}:{eol}")];
            for (name, item) in mapping {
                lines.push(format!(
                    "  {}: {}{eol}",
                    render_scalar(name)?,
                    render_scalar(item)?
                ));
            }
            Ok(lines)
        }
        // Deeper structures, which memo never writes itself, keep serde_yaml_ng's quoting.
        Value::Mapping(_) => {
            let nested = serde_yaml_ng::to_string(value)
                .map_err(|e| Error::invalid(format!("cannot write value as YAML: {e}")))?;
            let mut lines = vec![format!("{key}:{eol}")];
            for line in nested.lines() {
                lines.push(format!("  {line}{eol}"));
            }
            Ok(lines)
        }
        Value::Sequence(items) if items.is_empty() => Ok(vec![format!("{key}: []{eol}")]),
        Value::Sequence(items) => {
            let mut lines = vec![format!("{key}:{eol}")];
            for item in items {
                lines.push(format!("- {}{eol}", render_scalar(item)?));
            }
            Ok(lines)
        }
        _ if TIME_FIELDS.contains(&key) => {
            Ok(vec![format!("{key}: {}{eol}", render_plain(value)?)])
        }
        _ => Ok(vec![format!("{key}: {}{eol}", render_scalar(value)?)]),
    }
}

/// Returns a complete front matter block, fences included, with the fields in order.
pub fn front_matter_block(fields: &[(&str, Value)]) -> Result<String> {
    let mut out = String::from("---\n");
    for (key, value) in fields {
        for line in render_field(key, value, "\n")? {
            out.push_str(&line);
        }
    }
    out.push_str("---\n");
    Ok(out)
}

/// Parses the edited file and checks that every edit reads back.
fn verify(path: &Path, bytes: &[u8], edits: &[FieldEdit]) -> Result<()> {
    let doc = Document::parse(path, bytes)?;
    if let Some(error) = doc.front_matter_error {
        return Err(Error::Parse(error));
    }
    let front_matter = doc.front_matter.ok_or_else(|| {
        Error::invalid(format!("editing {} lost its front matter", path.display()))
    })?;
    for edit in edits {
        let read_back = front_matter.get(edit.key());
        let ok = match edit {
            FieldEdit::Set(_, value) => read_back == Some(value),
            FieldEdit::Remove(_) => read_back.is_none(),
        };
        if !ok {
            return Err(Error::invalid(format!(
                "editing `{}` in {} did not read back as written; the file was left unchanged",
                edit.key(),
                path.display()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {

    #[test]
    fn nested_scalars_are_quoted_like_top_level_ones() {
        let mut rfc = serde_yaml_ng::Mapping::new();
        rfc.insert("Start Date".into(), "2014-06-26".into());
        rfc.insert("RFC PR".into(), "rust-lang/rfcs#16".into());
        rfc.insert("yes".into(), "no".into());
        let block = front_matter_block(&[("rfc", Value::Mapping(rfc.clone()))]).expect("block");
        assert!(block.contains("  Start Date: '2014-06-26'\n"), "{block}");
        assert!(block.contains("  'yes': 'no'\n"), "{block}");
        let body = block.trim_start_matches("---\n").trim_end_matches("---\n");
        let read: serde_yaml_ng::Mapping = serde_yaml_ng::from_str(body).expect("parses");
        assert_eq!(read.get("rfc"), Some(&Value::Mapping(rfc)));
    }
    use super::*;

    fn edit(text: &[u8], edits: &[FieldEdit]) -> Vec<u8> {
        apply(Path::new("m.md"), text, edits).expect("edit applies")
    }

    #[test]
    fn only_the_status_line_changes() {
        let before = b"---\ntitle: A # keep\nstatus: draft\nextra: {a: 1}\n---\n\n# A\n";
        let after = edit(before, &[FieldEdit::set("status", "accepted")]);
        assert_eq!(
            String::from_utf8(after).expect("utf-8"),
            "---\ntitle: A # keep\nstatus: accepted\nextra: {a: 1}\n---\n\n# A\n"
        );
    }

    #[test]
    fn crlf_and_bom_are_kept() {
        let before = b"\xEF\xBB\xBF---\r\ntitle: A\r\nstatus: draft\r\n---\r\n\r\n# A\r\n";
        let after = edit(
            before,
            &[
                FieldEdit::set("status", "accepted"),
                FieldEdit::set_strings("deciders", &["Ada".into(), "Grace Hopper".into()]),
            ],
        );
        assert!(after.starts_with(b"\xEF\xBB\xBF---\r\n"));
        let text = String::from_utf8(after[3..].to_vec()).expect("utf-8");
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
        assert!(text.contains("status: accepted\r\n"));
        assert!(text.contains("deciders:\r\n- Ada\r\n- Grace Hopper\r\n---"));
    }

    #[test]
    fn list_values_are_replaced_whole() {
        let before = b"---\ntags:\n  - a\n  - b\ntitle: T\n---\n";
        let after = edit(before, &[FieldEdit::set_strings("tags", &["c".into()])]);
        assert_eq!(after, b"---\ntags:\n- c\ntitle: T\n---\n");
    }

    #[test]
    fn values_that_need_quotes_are_quoted() {
        let before = b"---\ntitle: T\n---\n";
        let after = edit(before, &[FieldEdit::set("reason", "a: b # c")]);
        let doc = Document::parse(Path::new("m.md"), &after).expect("parses");
        assert_eq!(
            doc.front_matter.expect("front matter").get("reason"),
            Some(&Value::String("a: b # c".into()))
        );
    }

    #[test]
    fn unclosed_front_matter_is_not_repaired() {
        let before = b"---\ntitle: T\n--\n\n# T\n";
        assert!(
            apply(
                Path::new("m.md"),
                before,
                &[FieldEdit::set("status", "accepted")]
            )
            .is_err()
        );
    }
}
