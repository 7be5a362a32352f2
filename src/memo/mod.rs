//! Memo files: front matter, Markdown structure, numbering and slugs.
//!
//! Nothing here touches the disk or git; callers hand in bytes and a path.

pub mod conflict;
pub mod document;
pub mod edit;
pub mod metadata;
pub mod outline;
mod salvage;
pub mod slug;
pub mod status;
pub mod text;
pub mod yaml11;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

pub use document::{Document, LineIndex, ParseError, ParseErrorKind};
pub use metadata::Metadata;
pub use outline::{Outline, Section};
pub use status::Status;

/// A parsed memo file.
#[derive(Clone, Debug)]
pub struct Memo {
    /// The path relative to the repository root, or as given for a file outside one.
    pub path: PathBuf,
    pub document: Document,
    pub meta: Metadata,
    pub outline: Outline,
    /// The first unresolved git merge conflict in the file, front matter or body.
    pub conflict: Option<ParseError>,
}

impl Memo {
    /// Parses a memo file. Only undecodable bytes are an error: a broken front matter
    /// block is kept in [`Document::front_matter_error`].
    pub fn parse(path: impl Into<PathBuf>, bytes: &[u8]) -> Result<Memo, ParseError> {
        let path = path.into();
        let document = Document::parse(&path, bytes)?;
        Ok(Self::from_document(path, document))
    }

    pub fn from_document(path: PathBuf, document: Document) -> Memo {
        let mut meta = document
            .front_matter
            .as_ref()
            .map(Metadata::from_front_matter)
            .unwrap_or_default();
        if document.front_matter_error.is_some() {
            meta.title = salvage::title_line(document.text());
            meta.status = salvage::key_line(document.text(), "status");
            // A memo is still found by its uid or number while its block is broken,
            // unless the two sides of a merge conflict set them differently.
            meta.uid = salvage::agreed_key_line(document.text(), "uid");
            meta.number =
                salvage::agreed_key_line(document.text(), "number").and_then(|n| n.parse().ok());
        }
        let outline = Outline::parse(document.text(), document.body_offset);
        let conflict =
            conflict::find_conflict(document.text(), document.body_offset).map(|lines| {
                ParseError {
                    path: path.clone(),
                    line: lines.first,
                    column: 1,
                    kind: ParseErrorKind::MergeConflict {
                        first_line: lines.first,
                        last_line: lines.last,
                    },
                }
            });
        Memo {
            path,
            document,
            meta,
            outline,
            conflict,
        }
    }

    /// Returns the title: the front matter's, else the first level-1 heading, else one
    /// made from the file name. When the front matter cannot be read, the title is
    /// taken from its `title:` line, and a heading inside the broken block does not
    /// count.
    pub fn title(&self) -> String {
        if let Some(title) = self.meta.title.as_deref().filter(|t| !t.trim().is_empty()) {
            return title.to_owned();
        }
        let broken_block_end = match &self.document.front_matter_error {
            Some(_) => salvage::block_end(self.text()),
            None => 0,
        };
        let heading = self
            .outline
            .sections
            .iter()
            .filter(|s| s.heading_range.start >= broken_block_end)
            .find(|s| s.level == 1 && !s.heading.is_empty());
        if let Some(section) = heading {
            return section.heading.clone();
        }
        slug::title_from_file_stem(&self.file_stem())
    }

    /// Returns the error that makes the memo unsafe to attach comments, meetings or
    /// commits to: an unresolved merge conflict, else front matter that cannot be read
    /// (without it, memo cannot trust the uid those refer to).
    pub fn unusable_reason(&self) -> Option<&ParseError> {
        self.conflict
            .as_ref()
            .or(self.document.front_matter_error.as_ref())
    }

    /// Returns the number: the front matter's, else the file name's prefix.
    pub fn number(&self) -> Option<u32> {
        self.meta
            .number
            .or_else(|| slug::number_from_file_name(&self.file_name()))
    }

    pub fn status(&self) -> &str {
        self.meta.status.as_deref().unwrap_or("draft")
    }

    pub fn uid(&self) -> Option<&str> {
        self.meta.uid.as_deref()
    }

    pub fn created(&self) -> Option<DateTime<Utc>> {
        self.meta.created
    }

    pub fn text(&self) -> &str {
        self.document.text()
    }

    pub fn body(&self) -> &str {
        self.document.body()
    }

    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    pub fn file_stem(&self) -> String {
        self.path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Returns a short label for messages: `0042 Adopt Postgres (memos/0042-....md)`.
    pub fn label(&self) -> String {
        match self.number() {
            Some(n) => format!("{n:04} {} ({})", self.title(), self.path.display()),
            None => format!("{} ({})", self.title(), self.path.display()),
        }
    }

    /// Returns the reading time of the body without code blocks, in whole minutes
    /// rounded up, at `words_per_minute`.
    pub fn reading_minutes(&self, words_per_minute: u32) -> u32 {
        let words = text::count_words(&text::prose_text(self.body()));
        (words as u32).div_ceil(words_per_minute.max(1)).max(1)
    }
}

/// Returns whether a path names a Markdown file.
pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}
