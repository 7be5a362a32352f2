//! Decoding a memo file: its encoding, its line endings and its front matter block.
//!
//! Decoding is lenient where the bytes allow it: a UTF-8 byte-order mark is dropped and
//! CRLF line endings become LF, so the rest of memo sees one canonical text and a memo
//! gives the same sections, lines and findings whatever editor saved it. What decoding
//! cannot fix (invalid UTF-8, a binary file) is an error naming the file, line and byte.
//! A front matter block that is present but broken does not make the file unreadable:
//! the whole text becomes the body and the error is kept beside it, so `list`, `show`
//! and `search` can still show the memo while `check` reports the error.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_yaml_ng::{Mapping, Value};

/// Files larger than this are rejected before they are decoded.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// The line ending a file used before decoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
}

impl LineEnding {
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }
}

/// An error in a memo file, with the place it was found.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}:{line}:{column}: {kind}", path.display())]
pub struct ParseError {
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    pub kind: ParseErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    #[error("file is not valid UTF-8 (byte 0x{byte:02x} cannot start or continue a character)")]
    InvalidUtf8 { byte: u8 },

    #[error("file is UTF-16 encoded; memo reads UTF-8 only")]
    Utf16,

    #[error("file is binary (it contains a NUL byte)")]
    Binary,

    #[error("file is too large ({size} bytes; the limit is {MAX_FILE_BYTES})")]
    TooLarge { size: usize },

    #[error("file is empty")]
    Empty,

    #[error(
        "front matter opened on line {open_line} is never closed{}",
        suspect_text(suspect)
    )]
    UnclosedFrontMatter {
        open_line: usize,
        suspect: Option<(usize, String)>,
    },

    #[error("front matter is not valid YAML: {message}")]
    InvalidYaml { message: String },

    #[error("front matter key '{key}' appears twice (first on line {first_line})")]
    DuplicateKey { key: String, first_line: usize },

    #[error("unresolved merge conflict in the front matter (git marker '{marker}')")]
    ConflictMarker { marker: String },

    #[error("unresolved merge conflict ({})", line_span(*first_line, *last_line))]
    MergeConflict { first_line: usize, last_line: usize },

    #[error("front matter must be a mapping of keys to values, but it is {found}")]
    NotAMapping { found: &'static str },

    #[error("TOML front matter (between +++ lines) is not supported")]
    TomlFrontMatter,
}

fn line_span(first: usize, last: usize) -> String {
    if first == last {
        format!("line {first}")
    } else {
        format!("lines {first} to {last}")
    }
}

fn suspect_text(suspect: &Option<(usize, String)>) -> String {
    match suspect {
        Some((line, text)) => format!(" (line {line} '{text}' looks like a mistyped '---')"),
        None => String::new(),
    }
}

impl ParseError {
    pub fn hint(&self) -> Option<&'static str> {
        Some(match self.kind {
            ParseErrorKind::InvalidUtf8 { .. } => {
                "save the file as UTF-8 (from Latin-1, for example `iconv -f LATIN1 -t UTF-8`)"
            }
            ParseErrorKind::Utf16 => {
                "save the file as UTF-8 (for example `iconv -f UTF-16 -t UTF-8`)"
            }
            ParseErrorKind::Binary | ParseErrorKind::TooLarge { .. } => {
                "memo files are Markdown text; move this file out of the memo folder"
            }
            ParseErrorKind::Empty => "write the memo, or delete the empty file",
            ParseErrorKind::UnclosedFrontMatter { .. } => {
                "end the front matter with a line holding exactly '---'"
            }
            ParseErrorKind::InvalidYaml { .. } => {
                "fix the YAML at that line; quote values that contain ': ' or start with a special character"
            }
            ParseErrorKind::DuplicateKey { .. } => {
                "keep one of the two lines; YAML allows each key once"
            }
            ParseErrorKind::ConflictMarker { .. } | ParseErrorKind::MergeConflict { .. } => {
                "resolve it with git: `git status` lists the conflicted files and `git mergetool` walks through them; keep the right lines, delete the <<<<<<<, ======= and >>>>>>> lines, then commit"
            }
            ParseErrorKind::NotAMapping { .. } => {
                "write the front matter as `key: value` lines, such as `title: My decision`"
            }
            ParseErrorKind::TomlFrontMatter => {
                "rewrite the block as YAML between '---' lines (`title = \"x\"` becomes `title: x`)"
            }
        })
    }
}

/// A decoded memo file: canonical text plus what the bytes looked like.
#[derive(Clone, Debug)]
pub struct Source {
    /// The text without a byte-order mark and with LF line endings.
    pub text: String,
    pub bom: bool,
    pub line_ending: LineEnding,
}

/// Decodes the bytes of a memo file.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<Source, ParseError> {
    let error = |line, column, kind| ParseError {
        path: path.to_owned(),
        line,
        column,
        kind,
    };

    if bytes.len() > MAX_FILE_BYTES {
        return Err(error(1, 1, ParseErrorKind::TooLarge { size: bytes.len() }));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(error(1, 1, ParseErrorKind::Utf16));
    }
    let (bom, bytes) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };

    if let Some(nul) = memchr_nul(bytes) {
        let (line, column) = byte_position(bytes, nul);
        return Err(error(line, column, ParseErrorKind::Binary));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.valid_up_to();
            let (line, column) = byte_position(bytes, at);
            return Err(error(
                line,
                column,
                ParseErrorKind::InvalidUtf8 { byte: bytes[at] },
            ));
        }
    };

    let line_ending = match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => LineEnding::CrLf,
        _ => LineEnding::Lf,
    };
    let text = if text.contains("\r\n") {
        text.replace("\r\n", "\n")
    } else {
        text.to_owned()
    };
    if text.trim().is_empty() {
        return Err(error(1, 1, ParseErrorKind::Empty));
    }
    Ok(Source {
        text,
        bom,
        line_ending,
    })
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

/// Returns the 1-based line and column of a byte offset, counting columns in
/// characters of the valid UTF-8 before the offset.
fn byte_position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The front matter block of a memo.
#[derive(Clone, Debug)]
pub struct FrontMatter {
    pub mapping: Mapping,
    /// The YAML text between the fences.
    pub yaml: String,
    /// 1-based line of the first YAML line (the line after the opening fence).
    pub first_line: usize,
    /// Byte range of the block in the canonical text, fences included.
    pub range: Range<usize>,
}

impl FrontMatter {
    /// Returns the 1-based file line of a top-level key, if the key is present.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        self.yaml
            .lines()
            .position(|line| top_level_key(line) == Some(key))
            .map(|i| self.first_line + i)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.mapping.get(key)
    }
}

/// Returns the key a top-level `key: value` line sets.
pub(crate) fn top_level_key(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '-', '#']) {
        return None;
    }
    let (key, rest) = line.split_once(':')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let key = key.trim_end();
    let key = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
        .unwrap_or(key);
    (!key.is_empty()).then_some(key)
}

/// A decoded memo file split into front matter and body.
#[derive(Clone, Debug)]
pub struct Document {
    pub source: Source,
    pub front_matter: Option<FrontMatter>,
    /// Set when the file opens a front matter block that cannot be read. The body is
    /// then the whole text, so nothing of the file is hidden.
    pub front_matter_error: Option<ParseError>,
    /// Byte offset of the body in the canonical text.
    pub body_offset: usize,
}

impl Document {
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Document, ParseError> {
        let source = decode(path, bytes)?;
        Ok(Self::from_source(path, source))
    }

    pub fn from_source(path: &Path, source: Source) -> Document {
        let (front_matter, front_matter_error, body_offset) =
            match split_front_matter(path, &source.text) {
                Ok(Some(front_matter)) => {
                    let body_offset = front_matter.range.end;
                    (Some(front_matter), None, body_offset)
                }
                Ok(None) => (None, None, 0),
                Err(e) => (None, Some(e), 0),
            };
        Document {
            source,
            front_matter,
            front_matter_error,
            body_offset,
        }
    }

    pub fn text(&self) -> &str {
        &self.source.text
    }

    pub fn body(&self) -> &str {
        &self.source.text[self.body_offset..]
    }
}

fn is_fence(line: &str, fence: &str) -> bool {
    line.trim_end_matches([' ', '\t']) == fence
}

/// Returns whether a line looks like a slip of the closing `---` fence.
fn looks_like_mistyped_fence(line: &str) -> bool {
    let trimmed = line.trim();
    matches!(
        trimmed,
        "--" | "-" | "----" | "—" | "–" | "-- -" | "- --" | ".."
    ) || (trimmed.len() >= 2 && trimmed.chars().all(|c| c == '-') && trimmed != "---")
}

/// Returns the git conflict marker a line starts with: seven `<`, `|`, `=` or `>`
/// followed by a space or the end of the line, as git writes them.
pub fn conflict_marker(line: &str) -> Option<&str> {
    ["<<<<<<<", "|||||||", "=======", ">>>>>>>"]
        .into_iter()
        .find(|marker| {
            line.strip_prefix(marker)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
        })
}

/// Returns why a text that opens with a `---` line has no front matter: the line
/// number and text of the first content line, which is not a `key: value` line, so
/// the `---` reads as a Markdown thematic break. `None` when the text does not open
/// with `---` or does have a front matter block.
pub fn thematic_break_start(text: &str) -> Option<(usize, &str)> {
    let mut lines = text.lines();
    if !is_fence(lines.next()?, "---") {
        return None;
    }
    let (index, line) = lines.enumerate().find(|(_, l)| !l.trim().is_empty())?;
    if is_fence(line, "---") || top_level_key(line).is_some() {
        return None;
    }
    Some((index + 2, line))
}

/// Finds the front matter block at the start of a canonical text.
///
/// A first line of exactly `---` opens a block only when its first content line (not
/// blank and not a `#` comment) is a `key:` line; otherwise the `---` is a Markdown
/// thematic break and the file has no front matter.
pub fn split_front_matter(path: &Path, text: &str) -> Result<Option<FrontMatter>, ParseError> {
    let error = |line, column, kind| ParseError {
        path: path.to_owned(),
        line,
        column,
        kind,
    };
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return Ok(None);
    };
    let first = first.trim_end_matches('\n');
    if let Some(marker) = conflict_marker(first) {
        return Err(error(
            1,
            1,
            ParseErrorKind::ConflictMarker {
                marker: marker.to_owned(),
            },
        ));
    }
    if is_fence(first, "+++") {
        return Err(error(1, 1, ParseErrorKind::TomlFrontMatter));
    }
    if !is_fence(first, "---") {
        return Ok(None);
    }

    let mut offset = first.len() + 1;
    let yaml_start = offset;
    let mut opened = false;
    let mut decided = false;
    let mut suspect = None;
    for (index, line) in lines.enumerate() {
        let line_number = index + 2;
        let content = line.trim_end_matches('\n');
        if let Some(marker) = conflict_marker(content)
            && (opened || !decided)
        {
            return Err(error(
                line_number,
                1,
                ParseErrorKind::ConflictMarker {
                    marker: marker.to_owned(),
                },
            ));
        }
        if is_fence(content, "---") || is_fence(content, "...") {
            if !decided {
                // `---` twice with nothing but blanks or comments between: an empty block.
                opened = true;
            }
            if !opened {
                return Ok(None);
            }
            let yaml = &text[yaml_start..offset];
            let end = offset + line.len();
            let mapping = parse_mapping(path, yaml, 2)?;
            return Ok(Some(FrontMatter {
                mapping,
                yaml: yaml.to_owned(),
                first_line: 2,
                range: 0..end,
            }));
        }
        if !decided && !content.trim().is_empty() && !content.trim_start().starts_with('#') {
            decided = true;
            opened = top_level_key(content).is_some();
            if !opened {
                return Ok(None);
            }
        }
        if suspect.is_none() && looks_like_mistyped_fence(content) {
            suspect = Some((line_number, content.trim().to_owned()));
        }
        offset += line.len();
    }
    if !opened {
        return Ok(None);
    }
    Err(error(
        1,
        1,
        ParseErrorKind::UnclosedFrontMatter {
            open_line: 1,
            suspect,
        },
    ))
}

fn parse_mapping(path: &Path, yaml: &str, first_line: usize) -> Result<Mapping, ParseError> {
    let value: Value = serde_yaml_ng::from_str(yaml).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((first_line, 1), |l| (first_line + l.line() - 1, l.column()));
        let message = file_relative_positions(&e.to_string(), first_line);
        // A duplicate key's position is the start of the mapping that contains it, or
        // none at the top level. Point at the second occurrence instead.
        if let Some((parent, key)) = duplicate_key(&message) {
            let (mapping_line, mapping_column) =
                e.location().map_or((1, 1), |l| (l.line(), l.column()));
            let found = duplicate_key_lines(yaml, mapping_line, mapping_column, key);
            if let Some((first, second)) = found {
                let key = match parent {
                    Some(parent) => format!("{parent}.{key}"),
                    None => key.to_owned(),
                };
                return ParseError {
                    path: path.to_owned(),
                    line: first_line + second.0 - 1,
                    column: second.1,
                    kind: ParseErrorKind::DuplicateKey {
                        key,
                        first_line: first_line + first - 1,
                    },
                };
            }
        }
        ParseError {
            path: path.to_owned(),
            line,
            column,
            kind: ParseErrorKind::InvalidYaml { message },
        }
    })?;
    match value {
        Value::Mapping(mapping) => Ok(mapping),
        Value::Null => Ok(Mapping::new()),
        other => Err(ParseError {
            path: path.to_owned(),
            line: first_line,
            column: 1,
            kind: ParseErrorKind::NotAMapping {
                found: match other {
                    Value::Bool(_) => "a boolean",
                    Value::Number(_) => "a number",
                    Value::String(_) => "a single string",
                    Value::Sequence(_) => "a list",
                    _ => "a tagged value",
                },
            },
        }),
    }
}

/// Rewrites the positions in a YAML error message, which count lines from the start of
/// the block, to count from the start of the file. The first position is the error's
/// own, and the caller reports it as the error's place, so it is dropped. A second
/// one, where the construct that failed began, is kept.
fn file_relative_positions(message: &str, first_line: usize) -> String {
    static POSITION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r" at line (\d+) column (\d+)").expect("valid pattern")
    });
    let mut seen = 0;
    POSITION
        .replace_all(message, |found: &regex::Captures<'_>| {
            seen += 1;
            if seen == 1 {
                return String::new();
            }
            let line: usize = found[1].parse().unwrap_or(1);
            format!(" at line {} column {}", line + first_line - 1, &found[2])
        })
        .into_owned()
}

/// Returns the path of the mapping (`None` at the top level) and the key a
/// "duplicate entry with key ..." message names.
fn duplicate_key(message: &str) -> Option<(Option<&str>, &str)> {
    let (before, rest) = message.split_once("duplicate entry with key ")?;
    let parent = before.strip_suffix(": ").filter(|p| !p.is_empty());
    let rest = rest.strip_prefix('"')?;
    Some((parent, rest.split('"').next()?))
}

/// Finds the first two lines that set `key` in the block mapping whose first key
/// starts at `line` and `column` (1-based, counted in the YAML block). Returns the
/// line of the first and the line and column of the second.
fn duplicate_key_lines(
    yaml: &str,
    line: usize,
    column: usize,
    key: &str,
) -> Option<(usize, (usize, usize))> {
    let mut found = Vec::new();
    for (index, text) in yaml.lines().enumerate().skip(line.saturating_sub(1)) {
        let trimmed = text.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = text.len() - trimmed.len();
        // The first line may open a list item (`- key:`). Later lines of the mapping
        // are indented to its keys, so a line indented less ends it.
        let (key_column, entry) = match trimmed.strip_prefix("- ") {
            Some(after) if index + 1 == line => {
                let after_dash = after.trim_start_matches(' ');
                (indent + 1 + trimmed.len() - after_dash.len(), after_dash)
            }
            _ => (indent + 1, trimmed),
        };
        if index + 1 > line && indent + 1 < column {
            break;
        }
        if key_column == column && top_level_key(entry) == Some(key) {
            found.push((index + 1, key_column));
        }
    }
    match found[..] {
        [(first, _), second, ..] => Some((first, second)),
        _ => None,
    }
}

/// Converts byte offsets of a text into 1-based lines and columns.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// Returns the 1-based line that holds a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }

    /// Returns the 1-based line and character column of a byte offset.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.starts[line - 1];
        let offset = offset.min(text.len());
        let column = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }

    /// Returns the byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.clamp(1, self.starts.len()) - 1]
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Document {
        Document::parse(Path::new("m.md"), text.as_bytes()).expect("decodes")
    }

    #[test]
    fn front_matter_behind_bom_and_crlf() {
        let lf = parse("---\ntitle: A\n---\n\n# A\n");
        let crlf = parse("\u{feff}---\r\ntitle: A\r\n---\r\n\r\n# A\r\n");
        assert_eq!(lf.text(), crlf.text());
        assert!(crlf.source.bom);
        assert_eq!(crlf.source.line_ending, LineEnding::CrLf);
        let title = crlf.front_matter.expect("front matter").mapping["title"].clone();
        assert_eq!(title, Value::String("A".into()));
    }

    #[test]
    fn thematic_break_is_not_front_matter() {
        let doc = parse("---\n\n# Notes\n\ntext\n");
        assert!(doc.front_matter.is_none());
        assert!(doc.front_matter_error.is_none());
        assert_eq!(doc.body_offset, 0);
    }

    #[test]
    fn unclosed_front_matter_names_suspect_line() {
        let doc = parse("---\ntitle: A\nstatus: draft\n--\n\n# A\n");
        let error = doc.front_matter_error.clone().expect("error");
        assert_eq!(
            error.kind,
            ParseErrorKind::UnclosedFrontMatter {
                open_line: 1,
                suspect: Some((4, "--".into()))
            }
        );
        assert!(doc.body().contains("# A"));
    }

    #[test]
    fn duplicate_key_is_reported_at_its_line() {
        let doc = parse("---\ntitle: A\nstatus: draft\ntitle: B\n---\n");
        let error = doc.front_matter_error.expect("error");
        assert_eq!(
            error.kind,
            ParseErrorKind::DuplicateKey {
                key: "title".into(),
                first_line: 2
            }
        );
        assert_eq!(error.line, 4);
    }

    #[test]
    fn nested_duplicate_key_is_reported_at_second_line() {
        // Text, key path, first line, and line and column of the second occurrence.
        let cases = [
            (
                "---\ntitle: A\nwaivers:\n  bullet-fragments: one two three\n  long-read: one two three\n  bullet-fragments: four five six\n---\n",
                "waivers.bullet-fragments",
                4,
                (6, 3),
            ),
            (
                "---\ntitle: A\nx:\n  - a: 1\n    a: 2\n  - b: 1\n    c:\n      b: 0\n    b: 2\n---\n",
                "x[0].a",
                4,
                (5, 5),
            ),
            (
                "---\ntitle: A\nx:\n  - a: 1\n  - b: 1\n    c:\n      b: 0\n    b: 2\n---\n",
                "x[1].b",
                5,
                (8, 5),
            ),
            (
                "---\nx:\n  y:\n    z: 1\n    # a comment\n\n    z: 2\ntitle: A\n---\n",
                "x.y.z",
                4,
                (7, 5),
            ),
        ];
        for (text, key, first_line, (line, column)) in cases {
            let error = parse(text).front_matter_error.expect("error");
            assert_eq!(
                error.kind,
                ParseErrorKind::DuplicateKey {
                    key: key.into(),
                    first_line
                },
                "{text}"
            );
            assert_eq!((error.line, error.column), (line, column), "{text}");
        }
    }

    #[test]
    fn invalid_utf8_position() {
        let error = Document::parse(Path::new("m.md"), b"ok\nab\xffc").expect_err("invalid");
        assert_eq!((error.line, error.column), (2, 3));
    }

    #[test]
    fn yaml_error_positions_count_file_lines() {
        let doc = parse("---\ntitle: ok\nnumber: 3\ntags: [a, b\nstatus: draft\n---\n");
        let error = doc.front_matter_error.expect("error");
        let ParseErrorKind::InvalidYaml { message } = &error.kind else {
            panic!("not a YAML error: {error}");
        };
        assert_eq!((error.line, error.column), (5, 7));
        assert_eq!(
            message,
            "did not find expected ',' or ']', while parsing a flow sequence at line 4 column 7"
        );
        let doc = parse("---\ntitle: a: b\n---\n");
        let error = doc.front_matter_error.expect("error");
        assert_eq!(error.line, 2);
        assert!(!error.to_string().contains(" at line "), "{error}");
    }

    #[test]
    fn toml_front_matter_is_an_error() {
        let doc = parse("+++\ntitle = \"A\"\n+++\n");
        assert_eq!(
            doc.front_matter_error.expect("error").kind,
            ParseErrorKind::TomlFrontMatter
        );
    }

    #[test]
    fn line_index_positions() {
        let text = "ab\ncdé\nf";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), (1, 1));
        assert_eq!(index.position(text, 3), (2, 1));
        assert_eq!(index.position(text, 7), (2, 4));
        assert_eq!(index.position(text, 8), (3, 1));
    }
}
