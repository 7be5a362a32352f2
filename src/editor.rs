//! Opening the user's editor on a file.
//!
//! The editor command is taken from `MEMO_EDITOR`, `VISUAL`, `EDITOR`, then git's
//! `core.editor`, and falls back to `vi`. It is split into words with POSIX shell
//! rules (quotes and backslashes), so `code --wait` and `"/opt/my editor/bin/ed" -n`
//! work, and the file path is always passed as one extra argument; no shell ever sees
//! the path or the memo title.

use std::path::Path;
use std::process::Command;

use crate::error::{Error, Result};

/// The variables read for the editor command, in order of precedence.
pub const EDITOR_VARS: [&str; 3] = ["MEMO_EDITOR", "VISUAL", "EDITOR"];

/// The editor used when nothing is configured.
pub const DEFAULT_EDITOR: &str = "vi";

/// Returns the editor command as program and arguments, and where it came from.
pub fn editor_command(git_config: Option<&git2::Config>) -> Result<(Vec<String>, String)> {
    let configured = EDITOR_VARS
        .iter()
        .find_map(|var| {
            std::env::var(var)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(|v| (v, format!("${var}")))
        })
        .or_else(|| {
            git_config
                .and_then(|c| c.get_string("core.editor").ok())
                .filter(|v| !v.trim().is_empty())
                .map(|v| (v, "git config core.editor".to_owned()))
        });
    let (command, source) =
        configured.unwrap_or_else(|| (DEFAULT_EDITOR.to_owned(), "the default".to_owned()));
    let words = shell_words::split(&command).map_err(|e| Error::Editor {
        message: format!("cannot read the editor command '{command}' from {source}: {e}"),
        hint: "check the quoting, e.g. EDITOR='\"/path with spaces/editor\" --wait'".to_owned(),
    })?;
    if words.is_empty() {
        return Err(Error::Editor {
            message: format!("the editor command from {source} is empty"),
            hint: "set EDITOR to your editor, e.g. EDITOR=nano".to_owned(),
        });
    }
    Ok((words, source))
}

/// Opens the editor on `path` and waits for it to exit.
pub fn edit(path: &Path, git_config: Option<&git2::Config>) -> Result<()> {
    let (words, source) = editor_command(git_config)?;
    let status = Command::new(&words[0])
        .args(&words[1..])
        .arg(path)
        .status()
        .map_err(|e| Error::Editor {
            message: format!(
                "cannot start the editor '{}' (from {source}): {e}",
                words[0]
            ),
            hint:
                "set EDITOR (or VISUAL, or MEMO_EDITOR) to an editor on your PATH, e.g. EDITOR=nano"
                    .to_owned(),
        })?;
    if !status.success() {
        return Err(Error::Editor {
            message: format!("the editor '{}' exited with {status}", words.join(" ")),
            hint: replace_hint(&source),
        });
    }
    Ok(())
}

/// Returns the hint after a failed editor, naming the setting the command came from,
/// because a variable of higher precedence hides a change to `EDITOR`.
fn replace_hint(source: &str) -> String {
    match source.strip_prefix('$') {
        Some(var) => format!("fix the editor or pick another with {var}"),
        None if source == "the default" => {
            format!("fix {DEFAULT_EDITOR} or pick another editor with EDITOR")
        }
        None => format!("fix the editor or pick another with {source}"),
    }
}
