//! Memo files: front matter, Markdown structure, numbering and slugs.
//!
//! Nothing here touches the disk or git; callers hand in bytes and a path.

pub mod document;
pub mod edit;
pub mod metadata;
pub mod outline;
pub mod slug;
pub mod status;
pub mod text;

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
        let meta = document
            .front_matter
            .as_ref()
            .map(Metadata::from_front_matter)
            .unwrap_or_default();
        let outline = Outline::parse(document.text(), document.body_offset);
        Memo {
            path,
            document,
            meta,
            outline,
        }
    }

    /// Returns the title: the front matter's, else the first level-1 heading, else one
    /// made from the file name.
    pub fn title(&self) -> String {
        if let Some(title) = self.meta.title.as_deref().filter(|t| !t.trim().is_empty()) {
            return title.to_owned();
        }
        if let Some(title) = self.outline.title() {
            return title.to_owned();
        }
        slug::title_from_file_stem(&self.file_stem())
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
