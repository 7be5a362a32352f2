//! Reading what can be read from front matter that failed to parse, for display only.

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
    let end = block_end(text);
    let line = text[..end]
        .lines()
        .skip(1)
        .find(|l| top_level_key(l) == Some(key))?;
    let (_, value) = line.split_once(':')?;
    let value = value.trim();
    let title = match serde_yaml_ng::from_str::<serde_yaml_ng::Value>(value) {
        Ok(serde_yaml_ng::Value::String(text)) => text,
        _ => value.to_owned(),
    };
    (!title.trim().is_empty()).then_some(title)
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
}
