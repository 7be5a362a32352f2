//! Finding one memo without parsing all of them.
//!
//! [`Repo::resolve`] parses every memo, which in a repository of a thousand memos
//! costs more than the command that needs one (adding a comment). [`Repo::find_memo`]
//! reads only the front matter lines that identify each memo (`number:` and `uid:`)
//! and parses just the file that matches. Whenever that scan is not conclusive (no
//! match, several matches, a value it cannot read), it falls back to
//! [`Repo::resolve`], so errors and their messages stay the same.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::Repo;
use crate::error::Result;
use crate::memo::{self, Memo, slug};

/// How much of each file the scan reads first: enough for the front matter memo writes.
const FIRST_READ: usize = 1024;

/// How much of each file the scan reads at most; front matter longer than this is left
/// to the full parse.
const HEADER_BYTES: usize = 8 * 1024;

/// What identifies a memo, as read from the top of its file.
struct Header {
    path: PathBuf,
    number: Option<u32>,
    uid: Option<String>,
}

impl Repo {
    /// Finds the memo a reference names, like [`Repo::resolve`], reading as little as it
    /// can.
    pub fn find_memo(&self, reference: &str) -> Result<Memo> {
        match self.find_memo_quickly(reference.trim()) {
            Some(memo) => Ok(memo),
            None => self.resolve(reference),
        }
    }

    /// Finds a memo like [`Repo::find_memo`] for a command that attaches events to it
    /// or commits it, returning the memo's merge conflict or front matter error when it
    /// has one (see [`Memo::unusable_reason`]).
    pub fn find_usable_memo(&self, reference: &str) -> Result<Memo> {
        let memo = self.find_memo(reference)?;
        match memo.unusable_reason() {
            Some(error) => Err(error.clone().into()),
            None => Ok(memo),
        }
    }

    fn find_memo_quickly(&self, reference: &str) -> Option<Memo> {
        if reference.is_empty() {
            return None;
        }
        let files = self.memo_files().ok()?;
        if reference.chars().all(|c| c.is_ascii_digit()) {
            let number: u32 = reference.parse().ok()?;
            let headers = self.headers(&files)?;
            let mut matches = headers.iter().filter(|h| h.number == Some(number));
            let found = matches.next()?;
            if matches.next().is_some() {
                return None;
            }
            return self.confirm(&found.path, |m| m.number() == Some(number));
        }

        // A path or a file name names its file directly.
        let looks_like_path =
            reference.contains(['/', '\\']) || memo::is_markdown(Path::new(reference));
        if looks_like_path
            && let Some(relative) = self.relative(Path::new(reference))
            && files.contains(&relative)
        {
            return self.confirm(&relative, |_| true);
        }
        let stem = reference.strip_suffix(".md").unwrap_or(reference);
        if let Some(path) = files
            .iter()
            .find(|p| p.file_stem().is_some_and(|s| s.to_string_lossy() == stem))
        {
            return self.confirm(path, |_| true);
        }

        if reference.len() >= 4 {
            let headers = self.headers(&files)?;
            let wanted = reference.to_ascii_uppercase();
            let mut matches = headers.iter().filter(|h| {
                h.uid
                    .as_deref()
                    .is_some_and(|u| u.to_ascii_uppercase().starts_with(&wanted))
            });
            let found = matches.next()?;
            if matches.next().is_some() {
                return None;
            }
            return self.confirm(&found.path, |m| {
                m.uid()
                    .is_some_and(|u| u.to_ascii_uppercase().starts_with(&wanted))
            });
        }
        None
    }

    /// Parses the file and returns it if the full parse agrees with the scan.
    fn confirm(&self, path: &Path, agrees: impl Fn(&Memo) -> bool) -> Option<Memo> {
        let memo = self.load_memo(path).ok()?;
        (memo.document.front_matter_error.is_none() && agrees(&memo)).then_some(memo)
    }

    /// Reads the identifying front matter of every file; `None` when one cannot be read
    /// with confidence.
    fn headers(&self, files: &[PathBuf]) -> Option<Vec<Header>> {
        let mut headers = Vec::with_capacity(files.len());
        let mut bytes = Vec::with_capacity(HEADER_BYTES);
        for path in files {
            bytes.clear();
            let mut file = std::fs::File::open(self.absolute(path)).ok()?;
            (&mut file)
                .take(FIRST_READ as u64)
                .read_to_end(&mut bytes)
                .ok()?;
            let header = match read_header(path, &bytes) {
                Some(header) => header,
                None if bytes.len() == FIRST_READ => {
                    file.take((HEADER_BYTES - FIRST_READ) as u64)
                        .read_to_end(&mut bytes)
                        .ok()?;
                    read_header(path, &bytes)?
                }
                None => return None,
            };
            headers.push(header);
        }
        Some(headers)
    }
}

/// Reads `number:` and `uid:` from the front matter at the top of `bytes`, falling back
/// to the number in the file name as [`Memo::number`] does.
fn read_header(path: &Path, bytes: &[u8]) -> Option<Header> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        // The read may have cut a character in two at the end.
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()?,
    };
    let mut header = Header {
        path: path.to_owned(),
        number: None,
        uid: None,
    };
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) == Some("---") {
        let mut closed = false;
        for line in lines {
            let line = line.trim_end_matches('\r');
            if line.trim_end() == "---" || line.trim_end() == "..." {
                closed = true;
                break;
            }
            if let Some(value) = value_of(line, "number") {
                header.number = Some(value.parse().ok()?);
            } else if let Some(value) = value_of(line, "uid") {
                header.uid = Some(value.to_owned());
            }
        }
        // Front matter that does not end within the scanned bytes is left to the full
        // parse.
        if !closed {
            return None;
        }
    }
    let file_name = path.file_name()?.to_string_lossy();
    if !memo::is_markdown(path) {
        return None;
    }
    header.number = header
        .number
        .or_else(|| slug::number_from_file_name(&file_name));
    Some(header)
}

/// Returns the value of a top-level `key: value` line, without quotes.
fn value_of<'l>(line: &'l str, key: &str) -> Option<&'l str> {
    let rest = line.strip_prefix(key)?.strip_prefix(':')?;
    let value = rest.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_and_file_name_number() {
        let header = read_header(
            Path::new("memos/0007-x.md"),
            b"\xEF\xBB\xBF---\r\nnumber: \"12\"\r\nuid: '01ABC'\r\n---\r\nbody",
        )
        .expect("read");
        assert_eq!(header.number, Some(12));
        assert_eq!(header.uid.as_deref(), Some("01ABC"));
        let plain =
            read_header(Path::new("memos/0007-x.md"), b"# No front matter\n").expect("read");
        assert_eq!(plain.number, Some(7));
    }

    #[test]
    fn unreadable_header_is_inconclusive() {
        assert!(
            read_header(
                Path::new("memos/0001-x.md"),
                b"---\nnumber: 4 # four\n---\n"
            )
            .is_none()
        );
        assert!(read_header(Path::new("memos/0001-x.md"), b"---\nnumber: 4\n").is_none());
    }
}
