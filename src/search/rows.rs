//! Listing and matching memos through the index alone, for the terminal UI's library.
//!
//! The library shows one row per memo and refilters on every keystroke. Parsing
//! 10,000 memo files for the rows would take seconds, and building snippets for every
//! hit takes tens of milliseconds, so this module reads rows from the stored fields
//! once and answers queries with document keys and scores only.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RegexQuery};
use tantivy::schema::Value;
use tantivy::tokenizer::TokenStream;
use tantivy::{DocAddress, TantivyDocument};

use super::SearchIndex;
use crate::error::{Error, Result};

/// Where a memo's document sits in the index. A key is valid for the index
/// [generation](SearchIndex::generation) it was read in.
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

impl SearchIndex {
    /// Returns a name for the index's current content: its segments and their deleted
    /// documents. It changes whenever an update commits, so a cache of
    /// [`stored_memos`](Self::stored_memos) stays valid while it is the same.
    pub fn generation(&self) -> Result<String> {
        self.reader.reload().map_err(|e| self.error(e))?;
        let searcher = self.reader.searcher();
        let parts: Vec<String> = searcher
            .segment_readers()
            .iter()
            .map(|s| format!("{}.{}", s.segment_id().uuid_string(), s.num_deleted_docs()))
            .collect();
        Ok(parts.join(","))
    }

    /// Lists the stored fields of every memo in the index, in index order.
    pub fn stored_memos(&self) -> Result<Vec<StoredMemo>> {
        self.reader.reload().map_err(|e| self.error(e))?;
        let searcher = self.reader.searcher();
        let f = self.fields;
        let mut memos = Vec::with_capacity(usize::try_from(searcher.num_docs()).unwrap_or(0));
        for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
            let store = segment.get_store_reader(1).map_err(|e| self.error(e))?;
            let alive = segment.doc_ids_alive();
            let docs = store.iter::<TantivyDocument>(segment.alive_bitset());
            for (doc_id, doc) in alive.zip(docs) {
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
                memos.push(StoredMemo {
                    key: DocKey {
                        segment: u32::try_from(segment_ord).unwrap_or(u32::MAX),
                        doc: doc_id,
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
        }
        Ok(memos)
    }

    /// Runs a query and returns the key and score of every matching memo, best first,
    /// without loading any document. With `prefix_last_word`, the query's last word
    /// also matches words that start with it, for results that follow typing.
    pub fn matching_keys(&self, query: &str, prefix_last_word: bool) -> Result<Vec<(DocKey, f32)>> {
        self.reader.reload().map_err(|e| self.error(e))?;
        let searcher = self.reader.searcher();
        let f = self.fields;
        // TODO: share the parser set-up with `search` once the search module exposes
        // one; until then both must list the same fields, boost and default operator.
        let mut parser =
            QueryParser::for_index(&self.index, vec![f.title, f.body, f.attachments, f.authors]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 3.0);
        let invalid = |e: tantivy::query::QueryParserError| {
            Error::invalid(format!(
                "invalid query '{}': {e}",
                crate::render::sanitize_line(query)
            ))
        };

        let (rest, last) = split_last_word(query);
        let parsed: Box<dyn Query> = match last.filter(|_| prefix_last_word) {
            Some(word) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                if !rest.trim().is_empty() {
                    clauses.push((Occur::Must, parser.parse_query(rest).map_err(invalid)?));
                }
                let mut either: Vec<(Occur, Box<dyn Query>)> =
                    vec![(Occur::Should, parser.parse_query(word).map_err(invalid)?)];
                if let Some(prefix) = self.analyzed_prefix(word) {
                    let pattern = format!("{}.*", regex_escape(&prefix));
                    for field in [f.title, f.body, f.authors] {
                        let regex =
                            RegexQuery::from_pattern(&pattern, field).map_err(|e| self.error(e))?;
                        either.push((Occur::Should, Box::new(regex)));
                    }
                }
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(either))));
                Box::new(BooleanQuery::new(clauses))
            }
            None => parser.parse_query(query).map_err(invalid)?,
        };

        let limit = usize::try_from(searcher.num_docs()).unwrap_or(0).max(1);
        let top: Vec<(f32, DocAddress)> = searcher
            .search(&*parsed, &TopDocs::with_limit(limit).order_by_score())
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

    /// Returns a word as the index stores it (lower case, accents folded, stemmed), or
    /// `None` when the analyzer drops it.
    fn analyzed_prefix(&self, word: &str) -> Option<String> {
        let mut analyzer = self.index.tokenizers().get(super::schema::ANALYZER)?;
        let mut stream = analyzer.token_stream(word);
        let mut token = None;
        while stream.advance() {
            token = Some(stream.token().text.clone());
        }
        token.filter(|t| !t.is_empty())
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

fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !c.is_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
    }
    out
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
