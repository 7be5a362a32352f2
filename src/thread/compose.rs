//! Writing a comment in the user's editor.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::events::new_id;
use crate::store::Repo;

/// The line that ends the comment in the editor's file; it and everything below it
/// are dropped. Markdown headings start with `#`, so lines are not dropped by their
/// first character as git does for commit messages.
pub const SCISSORS: &str = "# ------------------------ >8 ------------------------";

/// Opens the editor on a file holding `initial` above the scissors line and `notes`
/// below it, and returns the text above the line. If the editor fails after text was
/// written, the text is returned in the error so the caller can keep it.
pub fn compose(repo: &Repo, initial: &str, notes: &[String]) -> Result<String, ComposeError> {
    let dir = repo.data_dir().map_err(ComposeError::before)?;
    let path: PathBuf = dir.join(format!("comment-{}.md", new_id()));
    let mut content = String::new();
    content.push_str(initial);
    if !initial.is_empty() && !initial.ends_with('\n') {
        content.push('\n');
    }
    content.push('\n');
    content.push_str(SCISSORS);
    content.push_str("\n# Write the comment above this line; this line and everything below it are dropped.\n# An empty comment is not sent.\n");
    for note in notes {
        for line in note.lines() {
            content.push_str("# ");
            content.push_str(line);
            content.push('\n');
        }
    }
    crate::store::write_atomic(&path, content.as_bytes()).map_err(ComposeError::before)?;

    let edited = crate::editor::edit(&path, repo.git.config().ok().as_ref());
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let _ = std::fs::remove_file(&path);
    let body = above_scissors(&text);
    match edited {
        Ok(()) => Ok(body),
        Err(error) => Err(ComposeError {
            error,
            typed: (body.trim() != initial.trim()).then_some(body),
        }),
    }
}

/// Returns the text above the scissors line (all of it, if the line was deleted).
pub fn above_scissors(text: &str) -> String {
    let mut body = String::new();
    for line in text.split_inclusive('\n') {
        if line.trim_end() == SCISSORS {
            break;
        }
        body.push_str(line);
    }
    body
}

/// An editor session that failed, with what the user had typed, if anything.
#[derive(Debug)]
pub struct ComposeError {
    pub error: Error,
    pub typed: Option<String>,
}

impl ComposeError {
    fn before(error: Error) -> ComposeError {
        ComposeError { error, typed: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_above_the_line_are_kept() {
        let text = format!("# Heading in a comment\n\nBody.\n\n{SCISSORS}\n# note\n");
        assert_eq!(above_scissors(&text), "# Heading in a comment\n\nBody.\n\n");
    }
}
