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
        // Not the stored fields (title, tags, authors): a stored placeholder would come
        // back as an empty value.
        let empty = [
            (f.headings, memo.outline.sections.is_empty()),
            (f.body, memo.body().trim().is_empty()),
            (f.attachments, attachments.is_empty()),
            (f.comments, comments.is_empty()),
        ];
        for (field, empty) in empty {
            if empty {
                add_placeholder(&mut doc, field);
            }
        }
        doc.add_text(f.blob, blob);
        doc.add_text(f.inputs, inputs.unwrap_or(""));
        doc
    }
}

/// A term no query produces: the analyzers drop control characters, and a command
/// line cannot carry a NUL.
const PLACEHOLDER: &str = "\u{0}";

/// BM25 statistics without the placeholder terms: a field's average length counts
/// only the words of memos, so scores are the same as if empty fields held nothing.
/// A placeholder adds one token to an empty field, and only a placeholder is that
/// term, so each field's token total is lowered by the number of memos that contain
/// it.
pub struct Statistics<'a> {
    searcher: &'a tantivy::Searcher,
}

impl<'a> Statistics<'a> {
    pub fn new(searcher: &'a tantivy::Searcher) -> Statistics<'a> {
        Statistics { searcher }
    }
}

impl tantivy::query::Bm25StatisticsProvider for Statistics<'_> {
    fn total_num_tokens(&self, field: tantivy::schema::Field) -> tantivy::Result<u64> {
        let total = self.searcher.total_num_tokens(field)?;
        let placeholders = self
            .searcher
            .doc_freq(&tantivy::Term::from_field_text(field, PLACEHOLDER))?;
        Ok(total.saturating_sub(placeholders))
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.searcher.total_num_docs()
    }

    fn doc_freq(&self, term: &tantivy::Term) -> tantivy::Result<u64> {
        self.searcher.doc_freq(term)
    }
}

/// Gives an empty field of a document the placeholder term, so that every segment has
/// a term dictionary for every field a search reads. For a field without one in some
/// segment, tantivy builds an empty dictionary on first use in each process. Its
/// builder allocates a registry of 20,000 nodes, which cost a search about 230 page
/// faults (`perf record -e page-faults` on `memo search`).
fn add_placeholder(doc: &mut TantivyDocument, field: tantivy::schema::Field) {
    doc.add_pre_tokenized_text(
        field,
        tantivy::tokenizer::PreTokenizedString {
            text: String::new(),
            tokens: vec![tantivy::tokenizer::Token {
                offset_from: 0,
                offset_to: 0,
                position: 0,
                text: PLACEHOLDER.to_owned(),
                position_length: 1,
            }],
        },
    );
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

/// A hit's snippet as far as the memo's own files give it.
pub enum FileSnippet {
    /// A passage of the body or of an attachment that matches.
    Matched(Snippet),
    /// Nothing in the files matched: a comment may, or else the opening of the body
    /// is shown.
    Unmatched { opening: Option<Snippet> },
}

/// Cuts the snippets of several hits from their memo files, on several threads when
/// there are several hits: tokenizing long memos is most of a search's work after the
/// query. Each result is at the index of its path.
pub fn file_snippets(root: &Path, paths: &[String], query: &CompiledQuery) -> Vec<FileSnippet> {
    use std::sync::atomic::{AtomicUsize, Ordering};

    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(4)
        .min(paths.len());
    let next = AtomicUsize::new(0);
    // Each worker takes the next hit not taken yet, so one long memo does not hold
    // back the others.
    let work = || {
        let mut finder = snippet::finder(&query.patterns, &query.section_patterns);
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(path) = paths.get(i) else {
                return done;
            };
            done.push((i, file_snippet(&mut finder, root, path, query)));
        }
    };
    let mut done = if workers < 2 {
        work()
    } else {
        std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
            let mut done = work();
            for helper in helpers {
                match helper.join() {
                    Ok(part) => done.extend(part),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            done
        })
    };
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, found)| found).collect()
}

/// Cuts the snippet of a hit from its files: the body's best section, else an
/// attachment's.
fn file_snippet(
    finder: &mut TermFinder,
    root: &Path,
    path: &str,
    query: &CompiledQuery,
) -> FileSnippet {
    let unreadable = FileSnippet::Unmatched { opening: None };
    let Ok(bytes) = std::fs::read(root.join(path)) else {
        return unreadable;
    };
    let text = String::from_utf8_lossy(&bytes);
    let Ok(document) = Document::parse(Path::new(path), text.as_bytes()) else {
        return unreadable;
    };
    let body = document.body();
    let (patterns, named) = (&query.patterns, &query.section_patterns);
    if let Some(found) = snippet::find(finder, snippet::sections(body, None), patterns, named) {
        return FileSnippet::Matched(found);
    }
    if !patterns.is_empty() {
        let folder = root.join(Path::new(path).with_extension(""));
        for (name, text) in read_attachments(&folder) {
            let found = if name.ends_with(".txt") {
                snippet::find(finder, [snippet::plain(&text, Some(&name))], patterns, &[])
            } else {
                snippet::find(finder, snippet::sections(&text, Some(&name)), patterns, &[])
            };
            if let Some(found) = found {
                return FileSnippet::Matched(found);
            }
        }
    }
    FileSnippet::Unmatched {
        opening: snippet::opening(snippet::sections(body, None)),
    }
}

/// Cuts the snippet of a hit whose files did not match from its comments, else
/// returns the opening of its body.
pub fn finish_snippet(
    found: FileSnippet,
    finder: &mut TermFinder,
    uid: Option<&str>,
    query: &CompiledQuery,
    threads: &dyn ThreadSource,
) -> Option<Snippet> {
    let opening = match found {
        FileSnippet::Matched(snippet) => return Some(snippet),
        FileSnippet::Unmatched { opening } => opening,
    };
    if !query.patterns.is_empty()
        && let Some(uid) = uid
    {
        let comments: Vec<Section> = threads
            .comments(uid)
            .unwrap_or_default()
            .iter()
            .map(|c| snippet::plain(c, Some("comments")))
            .collect();
        if let Some(found) = snippet::find(finder, comments, &query.patterns, &[]) {
            return Some(found);
        }
    }
    opening
}
