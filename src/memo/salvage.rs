//! Reading what can be read from front matter that failed to parse: the values shown
//! for the memo and the uid and number it is found by.

use super::document::top_level_key;

/// Returns the byte offset just past the closing `---` of a front matter block that
/// opens on the first line, or 0 when there is no closing line.
pub fn block_end(text: &str) -> usize {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return 0;
    };
    if first.trim_end() != "---" {
        return 0;
    }
    let mut offset = first.len();
    for line in lines {
        offset += line.len();
        if matches!(line.trim_end(), "---" | "...") {
            return offset;
        }
    }
    0
}

/// Returns the value of the first top-level `title:` line of the front matter block,
/// read as a YAML scalar when it is one.
pub fn title_line(text: &str) -> Option<String> {
    key_line(text, "title")
}

/// Returns the value of the first top-level line with `key` in the front matter block,
/// read as a YAML scalar when it is one.
pub fn key_line(text: &str, key: &str) -> Option<String> {
    key_lines(text, key).next().and_then(line_value)
}

/// Returns the value of the top-level lines with `key` when they all give the same
/// one, so a key set differently on the two sides of a merge conflict gives none.
pub fn agreed_key_line(text: &str, key: &str) -> Option<String> {
    let mut values = key_lines(text, key).map(line_value);
    let first = values.next()??;
    values
        .all(|value| value.as_ref() == Some(&first))
        .then_some(first)
}

fn key_lines<'t>(text: &'t str, key: &'t str) -> impl Iterator<Item = &'t str> {
    let end = block_end(text);
    text[..end]
        .lines()
        .skip(1)
        .filter(move |l| top_level_key(l) == Some(key))
}

/// Returns the value of a `key: value` line, unquoted when it is a YAML string.
fn line_value(line: &str) -> Option<String> {
    let (_, value) = line.split_once(':')?;
    let value = value.trim();
    let text = match serde_yaml_ng::from_str::<serde_yaml_ng::Value>(value) {
        Ok(serde_yaml_ng::Value::String(text)) => text,
        _ => value.to_owned(),
    };
    (!text.trim().is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_from_a_conflicted_block() {
        let text = "---\nnumber: 1\ntitle: 'One: two'\n<<<<<<< HEAD\nstatus: a\n=======\nstatus: b\n>>>>>>> x\n---\n\n# Heading\n";
        assert_eq!(title_line(text).as_deref(), Some("One: two"));
        assert_eq!(&text[block_end(text)..], "\n# Heading\n");
        assert_eq!(title_line("---\nnumber: 1\n---\n"), None);
        assert_eq!(key_line(text, "status").as_deref(), Some("a"));
        assert_eq!(block_end("# No front matter\n"), 0);
    }

    #[test]
    fn agreed_key_from_a_conflicted_block() {
        let text = "---\nnumber: 1\nuid: 01ABC\n<<<<<<< HEAD\nstatus: a\nnumber: 2\n=======\nstatus: b\nnumber: 1\n>>>>>>> x\n---\n";
        assert_eq!(agreed_key_line(text, "uid").as_deref(), Some("01ABC"));
        assert_eq!(agreed_key_line(text, "status"), None, "the sides differ");
        assert_eq!(agreed_key_line(text, "number"), None, "2 differs from 1");
        assert_eq!(agreed_key_line(text, "title"), None);

        let same = "---\n<<<<<<< HEAD\nuid: '01ABC'\n=======\nuid: 01ABC\n>>>>>>> x\n---\n";
        assert_eq!(agreed_key_line(same, "uid").as_deref(), Some("01ABC"));
    }
}
