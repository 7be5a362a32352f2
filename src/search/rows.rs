//! Listing and matching memos through the index alone, for the terminal UI's library.
//!
//! The library shows one row per memo and refilters on every keystroke. Parsing
//! 10,000 memo files for the rows would take seconds, and building snippets for every
//! hit takes tens of milliseconds. So this module reads rows from the stored fields,
//! one segment at a time for a caller to keep, and returns only document keys and
//! scores for a query.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

use super::SearchIndex;
use crate::error::{Error, Result};

/// The address of a memo's document in the index: the segment's place in the index's
/// list and the document's number in it. A key is valid until the index changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DocKey {
    pub segment: u32,
    pub doc: u32,
}

/// The metadata the index stores for one memo.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredMemo {
    pub key: DocKey,
    pub number: Option<u32>,
    pub uid: Option<String>,
    pub title: String,
    pub status: String,
    pub template: Option<String>,
    /// Relative to the repository root, with `/` separators.
    pub path: String,
    pub created: Option<DateTime<Utc>>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
}

/// The stored rows of the live memos of each index segment, by segment id. A segment's
/// documents never change once written, and a deleted document never comes back. So a
/// segment's rows stay valid for as long as it exists, less those deleted later, and
/// callers keep them between runs to read only new segments.
pub type SegmentRows = BTreeMap<String, Vec<StoredMemo>>;

impl SearchIndex {
    /// Returns the stored fields of every memo in the index, by segment. Segments
    /// found in `known` are not read again, only checked for deleted memos. New
    /// segments are read, and segments the index no longer has are left out.
    pub fn stored_memos(&self, known: SegmentRows) -> Result<SegmentRows> {
        super::guard::read(&self.dir, || self.stored_memos_unguarded(known))
    }

    fn stored_memos_unguarded(&self, mut known: SegmentRows) -> Result<SegmentRows> {
        self.reader.reload().map_err(|e| self.error(e))?;
        let searcher = self.reader.searcher();
        let mut segments = SegmentRows::new();
        for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
            let id = segment.segment_id().uuid_string();
            let mut rows = match known.remove(&id) {
                Some(rows) => rows,
                None => self.read_segment(segment)?,
            };
            if let Some(alive) = segment.alive_bitset() {
                rows.retain(|row| alive.is_alive(row.key.doc));
            }
            let segment_ord = u32::try_from(segment_ord).unwrap_or(u32::MAX);
            for row in &mut rows {
                row.key.segment = segment_ord;
            }
            segments.insert(id, rows);
        }
        Ok(segments)
    }

    /// Reads the stored fields of every document of a segment; the caller drops the
    /// deleted ones.
    fn read_segment(&self, segment: &tantivy::SegmentReader) -> Result<Vec<StoredMemo>> {
        let f = self.fields;
        let store = segment.get_store_reader(1).map_err(|e| self.error(e))?;
        let mut rows = Vec::with_capacity(segment.max_doc() as usize);
        for (doc_id, doc) in store.iter::<TantivyDocument>(None).enumerate() {
            let doc = doc.map_err(|e| self.error(e))?;
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
            rows.push(StoredMemo {
                key: DocKey {
                    segment: 0,
                    doc: u32::try_from(doc_id).unwrap_or(u32::MAX),
                },
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
            });
        }
        Ok(rows)
    }

    /// Runs a query and returns the key and score of every matching memo, best first,
    /// without loading any document. With `prefix_last_word`, the query's last word
    /// also matches words that start with it, for results that follow typing.
    pub fn matching_keys(&self, query: &str, prefix_last_word: bool) -> Result<Vec<(DocKey, f32)>> {
        super::guard::read(&self.dir, || {
            self.matching_keys_unguarded(query, prefix_last_word)
        })
    }

    fn matching_keys_unguarded(
        &self,
        query: &str,
        prefix_last_word: bool,
    ) -> Result<Vec<(DocKey, f32)>> {
        self.reader.reload().map_err(|e| self.error(e))?;
        let searcher = self.reader.searcher();

        let (rest, last) = split_last_word(query);
        // A one-letter prefix matches nearly every memo and costs the most, so the
        // expansion starts at the second letter. Operators are left as they are.
        let prefix = last.filter(|word| {
            prefix_last_word
                && word.chars().nth(1).is_some()
                && !matches!(*word, "AND" | "OR" | "NOT")
        });
        let text = match prefix {
            Some(word) => format!("{rest}({word} OR {word}*)"),
            None => query.to_owned(),
        };
        let compiled = super::query::compile(&text, &self.fields)
            .map_err(|e| Error::invalid(e.to_string()))?;

        let limit = usize::try_from(searcher.num_docs()).unwrap_or(0).max(1);
        let top: Vec<(f32, DocAddress)> = searcher
            .search(
                &*compiled.query,
                &TopDocs::with_limit(limit).order_by_score(),
            )
            .map_err(|e| self.error(e))?;
        Ok(top
            .into_iter()
            .map(|(score, address)| {
                let key = DocKey {
                    segment: address.segment_ord,
                    doc: address.doc_id,
                };
                (key, score)
            })
            .collect())
    }
}

/// Splits off the query's last word when it is a plain word still being typed: letters
/// and digits only, right at the end of the query.
fn split_last_word(query: &str) -> (&str, Option<&str>) {
    let start = query
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map(|(i, _)| i);
    match start {
        Some(start)
            if query[..start]
                .chars()
                .last()
                .is_none_or(char::is_whitespace) =>
        {
            (&query[..start], Some(&query[start..]))
        }
        _ => (query, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_word_split() {
        assert_eq!(split_last_word("trait obj"), ("trait ", Some("obj")));
        assert_eq!(split_last_word("obj"), ("", Some("obj")));
        assert_eq!(split_last_word("trait "), ("trait ", None));
        assert_eq!(split_last_word("title:obj"), ("title:obj", None));
        assert_eq!(split_last_word("\"a b\""), ("\"a b\"", None));
    }
}
