//! The rows of the library and the search behind it.
//!
//! In a repository the rows come from the search index's stored fields, after the
//! usual freshness update, so opening the library never parses every memo file. The
//! rows of each index segment are cached in `.git/memo/library.json`. A segment never
//! changes once written, so only the segments added since the last run are read from
//! the index (a changed memo lands in a new segment). A memo is parsed only when it is
//! opened.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::memo::Memo;
use crate::search::{DocKey, SearchIndex, SegmentRows, StoredMemo, UpdateOptions};
use crate::store::Repo;

const CACHE_FILE: &str = "library.json";

/// Bumped when the cache's layout or the rows' fields change.
const CACHE_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Cache {
    version: u32,
    segments: SegmentRows,
}

enum Source {
    Index {
        index: Box<SearchIndex>,
        by_key: HashMap<DocKey, usize>,
    },
    /// Memos given whole, searched by a plain word match.
    Memos(Vec<Memo>),
}

pub struct Catalog {
    pub rows: Vec<StoredMemo>,
    /// One line per memo the index could not read fully.
    pub warnings: Vec<String>,
    source: Source,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("rows", &self.rows.len())
            .finish()
    }
}

impl Catalog {
    /// Brings the index up to date and reads the rows, from the cache when it is of
    /// the index's generation.
    pub fn open(repo: &Repo) -> Result<Catalog> {
        let mut warnings = Vec::new();
        let threads = crate::search::threads::for_repo(repo);
        let mut warn = |message: &str| warnings.push(message.to_owned());
        let mut options = UpdateOptions {
            threads: &*threads,
            wait: crate::search::wait_from_env(),
            rebuild: false,
            warn: &mut warn,
            progress: None,
        };
        let (mut index, mut stats) = SearchIndex::open_updated(repo, &mut options)?;
        let cache_path = repo.data_dir()?.join(CACHE_FILE);
        let known = read_cache(&cache_path).unwrap_or_default();
        let known_ids: Vec<(String, usize)> = known
            .iter()
            .map(|(id, rows)| (id.clone(), rows.len()))
            .collect();
        let mut segments = match index.stored_memos(known) {
            Ok(segments) => segments,
            Err(failure) => {
                // The rebuilt index has new segments, so no cached row applies.
                (index, stats) = SearchIndex::rebuild_unreadable(repo, &mut options, &failure)?;
                index.stored_memos(Default::default())?
            }
        };
        warnings.extend(stats.rebuilt);
        warnings.extend(stats.stale);
        let unchanged = segments
            .iter()
            .map(|(id, rows)| (id.clone(), rows.len()))
            .eq(known_ids);
        if !unchanged {
            let cache = Cache {
                version: CACHE_VERSION,
                segments,
            };
            if let Err(e) = write_cache(&cache_path, &cache) {
                tracing::warn!("could not cache the library rows: {e}");
            }
            segments = cache.segments;
        }
        let rows: Vec<StoredMemo> = segments.into_values().flatten().collect();
        let by_key = rows.iter().enumerate().map(|(i, r)| (r.key, i)).collect();
        Ok(Catalog {
            rows,
            warnings,
            source: Source::Index {
                index: Box::new(index),
                by_key,
            },
        })
    }

    /// Makes a catalog of parsed memos, outside any index.
    pub fn from_memos(memos: Vec<Memo>) -> Catalog {
        let rows = memos.iter().map(row_of).collect();
        Catalog {
            rows,
            warnings: Vec::new(),
            source: Source::Memos(memos),
        }
    }

    /// Returns the rows matching a query, best first, as indices into `rows` with a
    /// score.
    pub fn search(&self, query: &str) -> Result<Vec<(usize, f32)>> {
        match &self.source {
            Source::Index { index, by_key } => Ok(index
                .matching_keys(query, true)?
                .into_iter()
                .filter_map(|(key, score)| by_key.get(&key).map(|&i| (i, score)))
                .collect()),
            Source::Memos(memos) => {
                let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
                Ok(memos
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| {
                        let text = format!("{}\n{}", m.title(), m.body()).to_lowercase();
                        words.iter().all(|w| text.contains(w.as_str()))
                    })
                    .map(|(i, _)| (i, 1.0))
                    .collect())
            }
        }
    }

    /// Returns the memo of a row, parsing its file when the catalog comes from the index.
    pub fn load(&self, repo: Option<&Repo>, row: &StoredMemo) -> Result<Memo> {
        match (&self.source, repo) {
            (Source::Memos(memos), _) => memos
                .iter()
                .find(|m| m.path.to_string_lossy() == row.path)
                .cloned()
                .ok_or_else(|| Error::MemoNotFound {
                    reference: row.path.clone(),
                }),
            (Source::Index { .. }, Some(repo)) => repo.load_memo(&PathBuf::from(&row.path)),
            (Source::Index { .. }, None) => Err(Error::invalid("no repository to read memos from")),
        }
    }
}

/// Returns the row of a parsed memo, as the index would store it.
pub fn row_of(memo: &Memo) -> StoredMemo {
    StoredMemo {
        key: DocKey::default(),
        number: memo.number(),
        uid: memo.uid().map(str::to_owned),
        title: memo.title(),
        status: memo.status().to_owned(),
        template: memo.meta.template.clone(),
        path: memo.path.to_string_lossy().replace('\\', "/"),
        created: memo.created(),
        authors: memo.meta.authors.clone(),
        tags: memo.meta.tags.clone(),
    }
}

fn read_cache(path: &Path) -> Option<SegmentRows> {
    let bytes = std::fs::read(path).ok()?;
    let cache: Cache = serde_json::from_slice(&bytes).ok()?;
    (cache.version == CACHE_VERSION).then_some(cache.segments)
}

fn write_cache(path: &Path, cache: &Cache) -> Result<()> {
    let bytes = serde_json::to_vec(cache)
        .map_err(|e| Error::invalid(format!("cannot encode the library rows: {e}")))?;
    crate::store::write_atomic(path, &bytes)
}
