//! Full-text search over the memos of a repository.
//!
//! The index is derived data in `.git/memo/index/`. Before every search it is brought
//! up to date from the memo files: a file whose size and modification time match the
//! last update is skipped without being read, a changed one is hashed as a git blob and
//! indexed again only if its content changed. A missing, unreadable or older-format
//! index is rebuilt.

mod rows;
mod schema;
mod state;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::memo::{Memo, ParseError};
use crate::store::Repo;
pub use rows::{DocKey, SegmentRows, StoredMemo};
pub use schema::Fields;
use state::{FileState, IndexState};

/// Memory budget of the index writer.
const WRITER_MEMORY: usize = 50_000_000;

/// A search result.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub number: Option<u32>,
    pub uid: Option<String>,
    pub title: String,
    pub status: String,
    pub template: Option<String>,
    pub path: String,
    pub created: Option<DateTime<Utc>>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub score: f32,
    /// A passage of the memo around the match, as plain text.
    pub snippet: String,
    /// Byte ranges of the matched words in `snippet`.
    #[serde(skip)]
    pub highlights: Vec<std::ops::Range<usize>>,
}

/// What an update changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateStats {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Set when the index was rebuilt from nothing, with the reason.
    pub rebuilt: Option<String>,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    dir: PathBuf,
}

impl SearchIndex {
    /// Opens the repository's index, creating or rebuilding it when needed, and brings
    /// it up to date. `warn` receives one line per memo that could not be read fully.
    pub fn open_updated(
        repo: &Repo,
        warn: &mut dyn FnMut(&ParseError),
    ) -> Result<(SearchIndex, UpdateStats)> {
        let dir = repo.data_dir()?.join("index");
        let (mut index, rebuilt) = Self::open_or_create(&dir)?;
        let mut stats = index.update(repo, warn)?;
        stats.rebuilt = rebuilt;
        Ok((index, stats))
    }

    /// Deletes the index so that the next update builds it from nothing.
    pub fn remove(repo: &Repo) -> Result<()> {
        let dir = repo.data_dir()?.join("index");
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io("remove", dir, e)),
        }
    }

    fn open_or_create(dir: &Path) -> Result<(SearchIndex, Option<String>)> {
        let index_error = |message: String| Error::Index {
            path: dir.to_owned(),
            message,
        };
        let (schema, fields) = schema::build();
        let version_ok = state::read_version(dir) == Some(schema::FORMAT_VERSION);
        let opened = if version_ok {
            Index::open_in_dir(dir).map_err(|e| e.to_string())
        } else {
            Err(if dir.exists() {
                "it was written by another version of memo".to_owned()
            } else {
                String::new()
            })
        };
        let (index, rebuilt) = match opened {
            Ok(index) if index.schema() == schema => (index, None),
            other => {
                let reason = match other {
                    Ok(_) => "its schema differs".to_owned(),
                    Err(reason) => reason,
                };
                if dir.exists() {
                    std::fs::remove_dir_all(dir).map_err(|e| Error::io("remove", dir, e))?;
                }
                std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
                let index =
                    Index::create_in_dir(dir, schema).map_err(|e| index_error(e.to_string()))?;
                state::write_version(dir, schema::FORMAT_VERSION)?;
                let rebuilt =
                    (!reason.is_empty()).then(|| format!("rebuilt the search index ({reason})"));
                (index, rebuilt)
            }
        };
        index
            .tokenizers()
            .register(schema::ANALYZER, schema::analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| index_error(e.to_string()))?;
        Ok((
            SearchIndex {
                index,
                reader,
                fields,
                dir: dir.to_owned(),
            },
            rebuilt,
        ))
    }

    fn error(&self, message: impl ToString) -> Error {
        Error::Index {
            path: self.dir.clone(),
            message: message.to_string(),
        }
    }

    /// Brings the index up to date with the memo files.
    pub fn update(
        &mut self,
        repo: &Repo,
        warn: &mut dyn FnMut(&ParseError),
    ) -> Result<UpdateStats> {
        let mut stats = UpdateStats::default();
        let old = IndexState::load(&self.dir);
        let mut new = IndexState::default();
        let mut changed: Vec<(PathBuf, FileState)> = Vec::new();

        for path in repo.memo_files()? {
            let absolute = repo.absolute(&path);
            let key = path.to_string_lossy().into_owned();
            let Ok(metadata) = std::fs::metadata(&absolute) else {
                continue;
            };
            let stat = state::stat(&metadata);
            match old.files.get(&key) {
                Some(entry) if entry.stat == stat => {
                    stats.unchanged += 1;
                    new.files.insert(key, entry.clone());
                }
                previous => {
                    let blob = git2::Oid::hash_file(git2::ObjectType::Blob, &absolute)
                        .map_err(|e| Error::git(format!("hash {}", path.display()), e))?
                        .to_string();
                    let entry = FileState { stat, blob };
                    if previous.is_some_and(|p| p.blob == entry.blob) {
                        stats.unchanged += 1;
                        new.files.insert(key, entry);
                    } else {
                        if previous.is_some() {
                            stats.updated += 1;
                        } else {
                            stats.added += 1;
                        }
                        changed.push((path, entry));
                    }
                }
            }
        }
        let removed: Vec<String> = old
            .files
            .keys()
            .filter(|k| {
                !new.files.contains_key(*k)
                    && !changed.iter().any(|(p, _)| p.to_string_lossy() == **k)
            })
            .cloned()
            .collect();
        stats.removed = removed.len();

        if changed.is_empty() && removed.is_empty() {
            return Ok(stats);
        }

        let mut writer = self.writer()?;
        for key in &removed {
            writer.delete_term(Term::from_field_text(self.fields.path, key));
        }
        for (path, entry) in changed {
            let key = path.to_string_lossy().into_owned();
            writer.delete_term(Term::from_field_text(self.fields.path, &key));
            let absolute = repo.absolute(&path);
            let bytes = std::fs::read(&absolute).map_err(|e| Error::io("read", &absolute, e))?;
            match Memo::parse(path.clone(), &bytes) {
                Ok(memo) => {
                    if let Some(error) = &memo.document.front_matter_error {
                        warn(error);
                    }
                    let attachments = read_attachments(repo, &memo);
                    let document = self.document(&memo, &entry.blob, &attachments);
                    writer.add_document(document).map_err(|e| self.error(e))?;
                }
                Err(error) => warn(&error),
            }
            new.files.insert(key, entry);
        }
        writer.commit().map_err(|e| self.error(e))?;
        drop(writer);
        new.save(&self.dir)?;
        Ok(stats)
    }

    /// Takes the index writer, waiting a bounded time for another process to finish.
    fn writer(&self) -> Result<IndexWriter> {
        let mut attempt = 0;
        loop {
            match self.index.writer_with_num_threads(1, WRITER_MEMORY) {
                Ok(writer) => return Ok(writer),
                Err(tantivy::TantivyError::LockFailure(_, _)) if attempt < 50 => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(20 * attempt.min(10)));
                }
                Err(e) => return Err(self.error(format!("cannot take the index writer: {e}"))),
            }
        }
    }

    fn document(&self, memo: &Memo, blob: &str, attachments: &str) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.path, memo.path.to_string_lossy());
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
            doc.add_date(
                f.created,
                tantivy::DateTime::from_timestamp_secs(created.timestamp()),
            );
        }
        doc.add_text(f.body, memo.body());
        if !attachments.is_empty() {
            doc.add_text(f.attachments, attachments);
        }
        doc.add_text(f.blob, blob);
        doc
    }

    /// Returns the number of memos in the index.
    pub fn len(&self) -> Result<u64> {
        self.reader.reload().map_err(|e| self.error(e))?;
        Ok(self.reader.searcher().num_docs())
    }

    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Runs a query and returns the best `limit` hits, best first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        self.reader.reload().map_err(|e| self.error(e))?;
        let searcher = self.reader.searcher();
        let f = self.fields;
        let mut parser =
            QueryParser::for_index(&self.index, vec![f.title, f.body, f.attachments, f.authors]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 3.0);
        let parsed = parser.parse_query(query).map_err(|e| {
            Error::invalid_with_hint(
                format!(
                    "invalid query '{}': {e}",
                    crate::render::sanitize_line(query)
                ),
                "see docs/search.md for the query syntax",
            )
        })?;
        let top = searcher
            .search(&parsed, &TopDocs::with_limit(limit.max(1)).order_by_score())
            .map_err(|e| self.error(e))?;
        let mut body_snippets =
            SnippetGenerator::create(&searcher, &*parsed, f.body).map_err(|e| self.error(e))?;
        body_snippets.set_max_num_chars(200);
        let mut attachment_snippets = SnippetGenerator::create(&searcher, &*parsed, f.attachments)
            .map_err(|e| self.error(e))?;
        attachment_snippets.set_max_num_chars(200);

        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.error(e))?;
            let mut snippet = body_snippets.snippet_from_doc(&doc);
            if snippet.highlighted().is_empty() {
                let from_attachments = attachment_snippets.snippet_from_doc(&doc);
                if !from_attachments.highlighted().is_empty() {
                    snippet = from_attachments;
                }
            }
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            };
            let texts = |field| {
                doc.get_all(field)
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect::<Vec<_>>()
            };
            let fragment = snippet.fragment().to_owned();
            hits.push(Hit {
                number: doc
                    .get_first(f.number)
                    .and_then(|v| v.as_u64())
                    .and_then(|n| u32::try_from(n).ok()),
                uid: text(f.uid),
                title: text(f.title).unwrap_or_default(),
                status: text(f.status).unwrap_or_default(),
                template: text(f.template),
                path: text(f.path).unwrap_or_default(),
                created: doc
                    .get_first(f.created)
                    .and_then(|v| v.as_datetime())
                    .and_then(|d| DateTime::from_timestamp(d.into_timestamp_secs(), 0)),
                authors: texts(f.authors),
                tags: texts(f.tags),
                score,
                highlights: snippet.highlighted().to_vec(),
                snippet: fragment,
            });
        }
        Ok(hits)
    }

    /// Returns the count of memos per status, for `memo index --stats`.
    pub fn status_counts(&self) -> Result<BTreeMap<String, u64>> {
        self.reader.reload().map_err(|e| self.error(e))?;
        let searcher = self.reader.searcher();
        let mut counts = BTreeMap::new();
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(0).map_err(|e| self.error(e))?;
            for id in segment.doc_ids_alive() {
                let doc: TantivyDocument = store.get(id).map_err(|e| self.error(e))?;
                let status = doc
                    .get_first(self.fields.status)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_owned();
                *counts.entry(status).or_insert(0) += 1;
            }
        }
        Ok(counts)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Reads the text attachments of a memo: Markdown and text files in the folder named
/// like the memo file and its subfolders.
fn read_attachments(repo: &Repo, memo: &Memo) -> String {
    let mut paths = Vec::new();
    collect_files(&repo.absolute(&memo.path.with_extension("")), &mut paths);
    paths.sort();
    let mut text = String::new();
    for path in paths {
        let is_text = path.extension().is_some_and(|e| {
            ["md", "markdown", "txt"]
                .iter()
                .any(|x| e.eq_ignore_ascii_case(x))
        });
        if !is_text {
            continue;
        }
        if let Ok(content) = std::fs::read_to_string(&path) {
            text.push_str(&content);
            text.push('\n');
        }
    }
    text
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(std::result::Result::ok) {
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => collect_files(&entry.path(), out),
            Ok(kind) if kind.is_file() => out.push(entry.path()),
            _ => {}
        }
    }
}
