//! From a memo and its inputs (attachments, comments) to an index document, and back
//! to a snippet at search time.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use tantivy::TantivyDocument;

use super::analyzer::TermFinder;
use super::query::CompiledQuery;
use super::scan::{self, Change, Layout};
use super::schema::Fields;
use super::snippet::{self, Section, Snippet};
use super::state::MemoState;
use super::threads::{self, ThreadSource};
use crate::error::Result;
use crate::memo::{Document, Memo, ParseErrorKind};

/// Attachments larger than this are not indexed: they are data, not prose.
const MAX_ATTACHMENT_BYTES: u64 = 4 * 1024 * 1024;

/// Turns changed memo files into documents.
pub struct Indexer<'a> {
    layout: &'a Layout,
    fields: Fields,
    threads: &'a dyn ThreadSource,
    heads: &'a BTreeMap<String, String>,
    subfolders: BTreeSet<&'a str>,
    now_ns: i64,
}

impl<'a> Indexer<'a> {
    pub fn new(
        layout: &'a Layout,
        fields: Fields,
        threads: &'a dyn ThreadSource,
        heads: &'a BTreeMap<String, String>,
        subfolders: &'a [String],
        now_ns: i64,
    ) -> Indexer<'a> {
        Indexer {
            layout,
            fields,
            threads,
            heads,
            subfolders: subfolders.iter().map(String::as_str).collect(),
            now_ns,
        }
    }

    /// Reads a changed memo and returns its new state entry and its document (none for
    /// a file that cannot be decoded). `None` when the file is gone.
    pub fn index(
        &self,
        change: Change,
        warn: &mut dyn FnMut(&str),
    ) -> Result<Option<(MemoState, Option<TantivyDocument>)>> {
        let absolute = self.layout.absolute(Path::new(&change.path));
        let bytes = match std::fs::read(&absolute) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(crate::Error::io("read", absolute, e)),
        };
        let blob = scan::blob_id(&bytes)?;
        let Some(memo) = parse(&change.path, &bytes, warn) else {
            let entry = MemoState {
                stat: change.stat,
                blob,
                indexed: false,
                uid: None,
                inputs: None,
            };
            return Ok(Some((entry, None)));
        };

        let uid = memo.uid().map(str::to_owned);
        let head = threads::head_of(self.heads, uid.as_deref());
        let key = uid.as_deref().map(str::to_ascii_uppercase);
        let inputs = scan::inputs(
            self.layout,
            &change.path,
            &self.subfolders,
            head,
            self.now_ns,
        );
        let comments = match (&uid, head) {
            (Some(uid), Some(_)) => self.threads.comments(uid).unwrap_or_else(|e| {
                warn(&format!(
                    "could not read the comments on {}: {e}; indexed without them",
                    change.path
                ));
                Vec::new()
            }),
            _ => Vec::new(),
        };
        let attachments = if inputs.as_deref().is_some_and(|i| i.starts_with('a')) {
            read_attachments(&scan::attachment_folder(self.layout, &change.path))
        } else {
            Vec::new()
        };
        let document = self.document(
            &memo,
            &change.path,
            &blob,
            inputs.as_deref(),
            &attachments,
            &comments,
        );
        let entry = MemoState {
            stat: change.stat,
            blob,
            indexed: true,
            uid: key,
            inputs,
        };
        Ok(Some((entry, Some(document))))
    }

    fn document(
        &self,
        memo: &Memo,
        path: &str,
        blob: &str,
        inputs: Option<&str>,
        attachments: &[(String, String)],
        comments: &[String],
    ) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.path, path);
        if let Some(uid) = memo.uid() {
            doc.add_text(f.uid, uid);
        }
        if let Some(number) = memo.number() {
            doc.add_u64(f.number, u64::from(number));
        }
        doc.add_text(f.title, memo.title());
        doc.add_text(f.status, memo.status());
        if let Some(template) = &memo.meta.template {
            doc.add_text(f.template, template);
        }
        for tag in &memo.meta.tags {
            doc.add_text(f.tags, tag);
        }
        for author in &memo.meta.authors {
            doc.add_text(f.authors, author);
        }
        if let Some(created) = memo.created() {
            doc.add_date(f.created, date(created));
        }
        if let Some(decided) = memo.meta.decided {
            doc.add_date(f.decided, date(decided));
        }
        for section in &memo.outline.sections {
            doc.add_text(f.headings, &section.heading);
        }
        doc.add_text(f.body, memo.body());
        for (_, text) in attachments {
            doc.add_text(f.attachments, text);
        }
        for comment in comments {
            doc.add_text(f.comments, comment);
        }
        doc.add_text(f.blob, blob);
        doc.add_text(f.inputs, inputs.unwrap_or(""));
        doc
    }
}

fn date(time: chrono::DateTime<chrono::Utc>) -> tantivy::DateTime {
    tantivy::DateTime::from_timestamp_secs(time.timestamp())
}

/// Parses a memo file for indexing. Undecodable UTF-8 is replaced and indexed with a
/// warning, so the rest of the memo is still found. A binary, UTF-16 or oversized file
/// is not indexed.
fn parse(path: &str, bytes: &[u8], warn: &mut dyn FnMut(&str)) -> Option<Memo> {
    match Memo::parse(path, bytes) {
        Ok(memo) => {
            if let Some(error) = &memo.document.front_matter_error {
                warn(&format!("{error}; indexed with what could be read"));
            }
            Some(memo)
        }
        Err(error) if matches!(error.kind, ParseErrorKind::InvalidUtf8 { .. }) => {
            warn(&format!(
                "{error}; indexed with the undecodable bytes replaced"
            ));
            let text = String::from_utf8_lossy(bytes);
            Memo::parse(path, text.as_bytes()).ok()
        }
        Err(error) => {
            warn(&format!("{error}; not indexed"));
            None
        }
    }
}

/// Reads the text attachments of a memo, as (path relative to the folder, text).
fn read_attachments(folder: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for path in scan::attachment_files(folder) {
        let too_large = std::fs::metadata(&path).is_ok_and(|m| m.len() > MAX_ATTACHMENT_BYTES);
        if too_large {
            tracing::debug!(path = %path.display(), "attachment too large to index");
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let relative = path
            .strip_prefix(folder)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        out.push((relative, String::from_utf8_lossy(&bytes).into_owned()));
    }
    out
}

/// Cuts the snippet of a hit: from the body's best section, else an attachment's,
/// else a comment, else the opening of the body.
pub fn snippet(
    finder: &mut TermFinder,
    root: &Path,
    path: &str,
    uid: Option<&str>,
    query: &CompiledQuery,
    threads: &dyn ThreadSource,
) -> Option<Snippet> {
    let bytes = std::fs::read(root.join(path)).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let document = Document::parse(Path::new(path), text.as_bytes()).ok()?;
    let body = document.body();
    let (patterns, named) = (&query.patterns, &query.section_patterns);
    if let Some(found) = snippet::find(finder, snippet::sections(body, None), patterns, named) {
        return Some(found);
    }
    if !patterns.is_empty() {
        let folder = root.join(Path::new(path).with_extension(""));
        for (name, text) in read_attachments(&folder) {
            let found = if name.ends_with(".txt") {
                snippet::find(finder, [snippet::plain(&text, Some(&name))], patterns, &[])
            } else {
                snippet::find(finder, snippet::sections(&text, Some(&name)), patterns, &[])
            };
            if found.is_some() {
                return found;
            }
        }
        if let Some(uid) = uid {
            let comments: Vec<Section> = threads
                .comments(uid)
                .unwrap_or_default()
                .iter()
                .map(|c| snippet::plain(c, Some("comments")))
                .collect();
            if let Some(found) = snippet::find(finder, comments, patterns, &[]) {
                return Some(found);
            }
        }
    }
    snippet::opening(snippet::sections(body, None))
}
