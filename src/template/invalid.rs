//! Invalid templates: the error that names the template file, the line and the fix,
//! and the lines of template keys that such errors point at.

use std::path::PathBuf;

use crate::memo::document::FrontMatter;
use crate::memo::document::top_level_key;
use crate::memo::{ParseError, ParseErrorKind};

/// A template file that cannot be used, with the place and the fix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: invalid template '{name}': {message}", path.display())]
pub struct TemplateError {
    pub name: String,
    pub path: PathBuf,
    /// 1-based line of the problem in the template file.
    pub line: usize,
    pub message: String,
    /// The fix: what to write instead.
    pub hint: Option<String>,
}

impl TemplateError {
    /// Turns an error of reading the template file into a template error, with hints
    /// that speak of a template where the memo hint would mislead.
    pub fn from_parse(name: &str, error: &ParseError) -> TemplateError {
        let hint = match error.kind {
            ParseErrorKind::Empty => Some(
                "write the template: front matter with its rules, a `# {{title}}` line and a \
                 `## Heading` with a writing prompt per section; or delete the empty file"
                    .to_owned(),
            ),
            ParseErrorKind::Binary | ParseErrorKind::TooLarge { .. } => Some(
                "templates are Markdown text; move this file out of .memo/templates".to_owned(),
            ),
            _ => error.hint().map(str::to_owned),
        };
        TemplateError {
            name: name.to_owned(),
            path: error.path.clone(),
            line: error.line,
            message: error.kind.to_string(),
            hint,
        }
    }
}

impl From<TemplateError> for crate::error::Error {
    fn from(error: TemplateError) -> Self {
        crate::error::Error::InvalidTemplate(Box::new(error))
    }
}

/// Returns the 1-based file line of `key` in the `index`-th entry of the `sections:`
/// list, else the entry's first line, else the line of `sections:` itself (as for a
/// list written in flow style, `[...]`).
pub fn section_key_line(front_matter: &FrontMatter, index: usize, key: &str) -> usize {
    let lines: Vec<&str> = front_matter.yaml.lines().collect();
    let Some(start) = lines
        .iter()
        .position(|line| top_level_key(line) == Some("sections"))
    else {
        return front_matter.first_line;
    };
    let sections_line = front_matter.first_line + start;
    let end = lines[start + 1..]
        .iter()
        .position(|line| top_level_key(line).is_some())
        .map_or(lines.len(), |i| start + 1 + i);

    // Entries start with `- ` at the indent of the first entry.
    let block = &lines[start + 1..end];
    let is_entry_start = |line: &str, indent: usize| {
        let trimmed = line.trim_start();
        line.len() - trimmed.len() == indent && (trimmed.starts_with("- ") || trimmed == "-")
    };
    let Some(indent) = block.iter().find_map(|line| {
        let trimmed = line.trim_start();
        trimmed
            .starts_with('-')
            .then_some(line.len() - trimmed.len())
    }) else {
        return sections_line;
    };
    let starts: Vec<usize> = block
        .iter()
        .enumerate()
        .filter(|(_, line)| is_entry_start(line, indent))
        .map(|(i, _)| i)
        .collect();
    let Some(&entry_start) = starts.get(index) else {
        return sections_line;
    };
    let entry_end = starts.get(index + 1).copied().unwrap_or(block.len());

    let key_prefix = format!("{key}:");
    let key_offset = block[entry_start..entry_end].iter().position(|line| {
        let trimmed = line.trim_start();
        let trimmed = trimmed.strip_prefix("- ").unwrap_or(trimmed).trim_start();
        trimmed.starts_with(&key_prefix)
    });
    let line_in_block = entry_start + key_offset.unwrap_or(0);
    front_matter.first_line + start + 1 + line_in_block
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::memo::document::split_front_matter;

    fn front_matter(text: &str) -> FrontMatter {
        split_front_matter(Path::new("t.md"), text)
            .expect("valid front matter")
            .expect("a front matter block")
    }

    #[test]
    fn section_key_line_finds_nested_keys() {
        let text = "---\npages: 2\nsections:\n  - heading: A\n    min_words: 5\n  - heading: B\n    max_words: 9\n    min_words: 50\ndescription: x\n---\n";
        let fm = front_matter(text);
        assert_eq!(section_key_line(&fm, 0, "min_words"), 5);
        assert_eq!(section_key_line(&fm, 1, "heading"), 6);
        assert_eq!(section_key_line(&fm, 1, "min_words"), 8);
        // A key the entry does not have: the entry's first line.
        assert_eq!(section_key_line(&fm, 1, "aliases"), 6);
        // An entry that does not exist: the `sections:` line.
        assert_eq!(section_key_line(&fm, 2, "heading"), 3);
    }

    #[test]
    fn section_key_line_flow_list() {
        let fm = front_matter("---\nsections: [{heading: A, min_words: 5}]\n---\n");
        assert_eq!(section_key_line(&fm, 0, "min_words"), 2);
    }
}
