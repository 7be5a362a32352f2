//! Full-text search over the memos of a repository.
//!
//! The index is derived data in `.git/memo/index/`: a tantivy index with one document
//! per memo (see `schema`), the state of the files it was built from (`state`), and a
//! format version. Before every search it is brought up to date (see `scan`). When
//! nothing changed, that costs one stat per memo file and takes no lock. Otherwise the
//! update lock is taken (see `lock`), the changed memos are indexed again and the
//! state is saved. A missing, corrupt or other-format index is rebuilt with a notice.

pub mod analyzer;
mod document;
pub mod guard;
mod lock;
mod merge;
pub mod query;
mod rows;
pub(crate) mod scan;
mod schema;
pub mod snippet;
mod state;
pub mod threads;
pub mod watch;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::schema::Value;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term,
};

use crate::error::{Error, Result};
use crate::store::Repo;
pub use lock::{DEFAULT_WAIT, WAIT_VAR, wait_from_env};
pub use query::{CompiledQuery, QueryError};
pub use rows::{DocKey, SegmentRows, StoredMemo};
pub use schema::Fields;
use state::{IndexState, MemoState, StateFile};
pub use threads::{NoThreads, ThreadSource};

/// Memory budget of the index writer per indexing thread. tantivy flushes a segment
/// when it is used up; with two threads this keeps a full build of 10,000 memos under
/// 300 MB.
const WRITER_MEMORY_PER_THREAD: usize = 60_000_000;

/// Below this many changed memos one indexing thread is enough.
const PARALLEL_INDEX_MIN: usize = 200;

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
    /// The heading of the section the snippet comes from; for an attachment, its file
    /// name and heading; `comments` for a comment.
    pub section: Option<String>,
    /// Byte ranges of the matched words in `snippet`.
    #[serde(skip)]
    pub highlights: Vec<std::ops::Range<usize>>,
}

/// The order of search results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (BM25, title matches weigh most).
    #[default]
    Relevance,
    /// Most recently created first; memos without a date last.
    Newest,
    /// Least recently created first; memos without a date last.
    Oldest,
}

/// The changes an update made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateStats {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Set when the index was rebuilt from nothing, with the reason.
    pub rebuilt: Option<String>,
    /// Set when the index could not be brought up to date because another process was
    /// updating it; the results may miss its latest changes.
    pub stale: Option<String>,
}

impl UpdateStats {
    fn unchanged(documents: u64) -> UpdateStats {
        UpdateStats {
            unchanged: documents as usize,
            ..UpdateStats::default()
        }
    }
}

/// How to bring the index up to date.
pub struct UpdateOptions<'a> {
    pub threads: &'a dyn ThreadSource,
    /// How long to wait for another process's update.
    pub wait: Duration,
    /// Index every memo again, from an empty index.
    pub rebuild: bool,
    /// Receives one line per memo that could not be read fully.
    pub warn: &'a mut dyn FnMut(&str),
    /// Receives (done, total) while memos are indexed.
    pub progress: Option<&'a mut dyn FnMut(usize, usize)>,
}

/// Statistics of the index, for `memo index --stats`.
#[derive(Clone, Debug, Serialize)]
pub struct IndexStats {
    pub location: PathBuf,
    pub memos: u64,
    pub statuses: BTreeMap<String, u64>,
    pub segments: usize,
    pub size_bytes: u64,
    pub format: u32,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    dir: PathBuf,
    root: PathBuf,
}

/// The pieces of a finished check that found nothing to do, or the work to do.
struct Check {
    state: StateFile,
    scan: scan::Scan,
    plan: scan::Plan,
    /// The comment log heads the plan was made with.
    heads: BTreeMap<String, String>,
    /// The comment store's fingerprint, taken before the heads were known.
    refs: Option<Vec<state::Stat>>,
    /// The watcher's token, asked before the scan.
    token: Option<watch::Token>,
    /// Whether writing the state again would spare later checks work: a touched file
    /// re-hashed, a folder listed or heads listed that are now settled.
    refresh: bool,
}

/// Returns the heads of the comment logs, or `None` after a warning when they cannot
/// be listed: the memos are then indexed without their comments, and the next update
/// lists the heads again.
fn thread_heads(options: &mut UpdateOptions<'_>) -> Option<BTreeMap<String, String>> {
    match options.threads.heads() {
        Ok(heads) => Some(heads),
        Err(e) => {
            (options.warn)(&format!(
                "could not list the comment logs: {e}; searching without comments"
            ));
            None
        }
    }
}

/// A check read from the state and the memo files, waiting for the comment log heads
/// when the state could not vouch for them.
struct Scanned {
    state: StateFile,
    scan: scan::Scan,
    /// The heads the state recorded, when the comment store's fingerprint shows they
    /// have not moved since.
    heads: Option<BTreeMap<String, String>>,
    /// The watcher's token, asked before the scan.
    token: Option<watch::Token>,
    /// The identity of the state file read (see [`state::identity`]).
    identity: state::Stat,
}

/// The outcome of a check made without the lock.
enum Found {
    /// The watcher vouched that no memo file changed since the state was written, and
    /// the comment store's fingerprint is the recorded one.
    Unchanged {
        documents: u64,
        identity: state::Stat,
    },
    Scanned(Box<Scanned>),
}

impl Found {
    /// Returns whether the state checked is the one that existed when the index was
    /// opened, given the state file's identity taken just before. Only then is the
    /// index at least as new as the state, because an update saves the state after it
    /// commits the index.
    fn checked_state(&self, opened: Option<state::Stat>) -> bool {
        let identity = match self {
            Found::Unchanged { identity, .. } => identity,
            Found::Scanned(scanned) => &scanned.identity,
        };
        opened == Some(*identity)
    }
}

/// Reads the state and stats the memo files, without taking a lock. When the
/// watcher's token is the one the state recorded, only the state's header is read.
/// `None` when the state is missing, so only a locked update can tell what to do. It runs on a
/// thread of its own, so it takes the comment store's fingerprint, not the store
/// itself.
fn scan_files(
    layout: &scan::Layout,
    dir: &Path,
    refs: Option<&[state::Stat]>,
) -> Result<Option<Found>> {
    let started = std::time::Instant::now();
    let token = layout.watcher_token();
    if let Some(token) = token
        && let Some((header, identity)) = state::Header::read(dir)
        && header.watch() == Some(token)
        && refs.is_some_and(|refs| header.refs_unchanged(refs))
    {
        tracing::debug!(elapsed = ?started.elapsed(), "the watcher saw no change since the last check");
        return Ok(Some(Found::Unchanged {
            documents: header.documents(),
            identity,
        }));
    }
    let Some((state, identity)) = StateFile::read_with_identity(dir) else {
        return Ok(None);
    };
    tracing::debug!(elapsed = ?started.elapsed(), memos = state.len(), "read the index state");
    let heads = refs
        .filter(|refs| state.refs_unchanged(refs))
        .map(|_| state.heads());
    let scan = scan::scan(layout, &state)?;
    tracing::debug!(elapsed = ?started.elapsed(), files = scan.len(), "stat'ed the memo files");
    Ok(Some(Found::Scanned(Box::new(Scanned {
        state,
        scan,
        heads,
        token,
        identity,
    }))))
}

/// Starts a watcher when none replied and the setting calls for one at this many
/// memo files. A failure to start only costs the speed a watcher would bring.
fn start_watcher(repo: &Repo, check: &Check, options: &mut UpdateOptions<'_>) {
    if check.token.is_none() {
        start_watcher_for(repo, check.scan.len(), options);
    }
}

/// Starts a watcher when the setting calls for one at `files` memo files; see
/// [`start_watcher`].
fn start_watcher_for(repo: &Repo, files: usize, options: &mut UpdateOptions<'_>) {
    match watch::Mode::read(&repo.git) {
        Ok(mode) if mode.wants(files) => {
            if let Err(e) = watch::start(&repo.data_path(), &repo.root) {
                tracing::debug!("could not start a watcher: {e}");
            }
        }
        Ok(_) => {}
        Err(message) => (options.warn)(&message),
    }
}

/// Completes a scan into a check, listing the comment log heads if the state could not
/// vouch for them.
fn complete_check(
    layout: &scan::Layout,
    scanned: Scanned,
    refs: Option<Vec<state::Stat>>,
    options: &mut UpdateOptions<'_>,
) -> Result<Check> {
    let Scanned {
        state,
        scan,
        heads,
        token,
        ..
    } = scanned;
    let listed_heads = heads.is_none();
    let (heads, refs) = match heads {
        Some(heads) => (heads, refs),
        // Without the heads, the fingerprint is not recorded, so they are listed again.
        None => match thread_heads(options) {
            Some(heads) => (heads, refs),
            None => (BTreeMap::new(), None),
        },
    };
    let settled =
        |stat: &state::Stat| stat.modified_ns == 0 || state::is_settled(scan.started_ns, stat);
    let plan = scan::plan(layout, &scan, &state, &heads)?;
    tracing::debug!(
        changes = plan.changes.len(),
        removed = plan.removed.len(),
        "checked the memo files against the index"
    );
    let refresh = !plan.restat.is_empty()
        || plan.settles
        || (token.is_some() && token != state.watch())
        || (scan.listed && scan.folder.as_ref().is_some_and(settled))
        || (listed_heads && refs.as_ref().is_some_and(|r| r.iter().all(settled)));
    Ok(Check {
        state,
        scan,
        plan,
        heads,
        refs,
        token,
        refresh,
    })
}

/// Returns the outcome of a check that found nothing to index, or `None` when there
/// is work to do. The state is written again first when that spares later checks
/// work.
fn nothing_to_do(data: &Path, dir: &Path, check: &Check) -> Option<UpdateStats> {
    if !check.plan.is_empty() {
        return None;
    }
    if check.refresh {
        refresh_state(data, dir, check);
    }
    Some(UpdateStats {
        unchanged: check.plan.unchanged,
        ..UpdateStats::default()
    })
}

/// Writes the state again after a check that found nothing to index but saw changes
/// that later checks would otherwise redo: touched files, a folder listing, moved
/// comment refs. It is skipped when another process holds the lock or changed the
/// state since the check.
fn refresh_state(data: &Path, dir: &Path, check: &Check) {
    let Ok(Ok(_lock)) = lock::UpdateLock::acquire(data, Duration::ZERO) else {
        return;
    };
    if StateFile::read(dir).as_ref() != Some(&check.state) {
        return;
    }
    let state = IndexState {
        scanned_ns: check.scan.started_ns,
        folder: check.scan.folder,
        subfolders: check.scan.subfolders.clone(),
        documents: check.state.documents(),
        refs: check.refs.clone().unwrap_or_default(),
        watch: check.token,
        memos: check.plan.carry_over(check.state.to_state()),
    };
    match state.save(dir) {
        Ok(()) => tracing::debug!("wrote the index state again to record settled changes"),
        Err(e) => tracing::debug!("could not write the index state again: {e}"),
    }
}

impl SearchIndex {
    /// Opens the repository's index, creating or rebuilding it when needed, and brings
    /// it up to date.
    pub fn open_updated(
        repo: &Repo,
        options: &mut UpdateOptions<'_>,
    ) -> Result<(SearchIndex, UpdateStats)> {
        let dir = repo.data_dir()?.join("index");
        let mut checked = None;
        // The common case takes no lock: the index opens, its state matches it, and
        // nothing changed.
        let opened = state::identity(&dir);
        if !options.rebuild
            && let Some(index) = Self::open_existing(repo, &dir)
        {
            let layout = scan::Layout::new(repo);
            let refs = options.threads.fingerprint();
            match scan_files(&layout, &dir, refs.as_deref())?
                .filter(|found| found.checked_state(opened))
            {
                Some(Found::Unchanged { documents, .. }) if documents == index.num_docs() => {
                    return Ok((index, UpdateStats::unchanged(documents)));
                }
                Some(Found::Scanned(scanned)) if scanned.state.documents() == index.num_docs() => {
                    let check = complete_check(&layout, *scanned, refs, options)?;
                    start_watcher(repo, &check, options);
                    if let Some(stats) = nothing_to_do(&repo.data_dir()?, &dir, &check) {
                        return Ok((index, stats));
                    }
                    checked = Some(check);
                }
                _ => {}
            }
        }
        Self::update_and_start(repo, options, checked)
    }

    /// Runs [`SearchIndex::update`], then starts a watcher when no check ran before it
    /// (the first search of a repository) and the index is large enough to want one.
    fn update_and_start(
        repo: &Repo,
        options: &mut UpdateOptions<'_>,
        checked: Option<Check>,
    ) -> Result<(SearchIndex, UpdateStats)> {
        let unchecked = checked.is_none();
        let (index, stats) = Self::update(repo, options, checked)?;
        if unchecked && stats.stale.is_none() && scan::Layout::new(repo).watcher_token().is_none() {
            start_watcher_for(repo, index.num_docs() as usize, options);
        }
        Ok((index, stats))
    }

    /// Searches the index while another thread checks it against the memo files. When
    /// nothing changed, the hits are returned as they are; otherwise the index is
    /// updated and searched again. The results equal those of
    /// [`SearchIndex::open_updated`] then [`SearchIndex::search`], sooner.
    pub fn search_updated(
        repo: &Repo,
        options: &mut UpdateOptions<'_>,
        query: &CompiledQuery,
        limit: usize,
        sort: Sort,
    ) -> Result<(Vec<Hit>, UpdateStats)> {
        let dir = repo.data_dir()?.join("index");
        let mut checked = None;
        if !options.rebuild {
            let layout = scan::Layout::new(repo);
            let refs = options.threads.fingerprint();
            let threads = options.threads;
            // The check starts first: it is the longer of the two.
            let (scanned, searched, opened) = std::thread::scope(|scope| {
                let checker = scope.spawn(|| scan_files(&layout, &dir, refs.as_deref()));
                let opened = state::identity(&dir);
                let searched = Self::open_existing(repo, &dir).map(|index| {
                    let documents = index.num_docs();
                    (documents, index.search(query, limit, sort, threads))
                });
                let scanned = checker
                    .join()
                    .unwrap_or_else(|_| Err(Error::invalid("the index check failed")));
                (scanned, searched, opened)
            });
            match (
                scanned?.filter(|found| found.checked_state(opened)),
                searched,
            ) {
                (Some(Found::Unchanged { documents, .. }), Some((indexed, Ok(hits))))
                    if documents == indexed =>
                {
                    return Ok((hits, UpdateStats::unchanged(documents)));
                }
                (Some(Found::Scanned(scanned)), Some((indexed, hits)))
                    if scanned.state.documents() == indexed =>
                {
                    let check = complete_check(&layout, *scanned, refs, options)?;
                    start_watcher(repo, &check, options);
                    if let Some(stats) = nothing_to_do(&repo.data_dir()?, &dir, &check) {
                        match hits {
                            Ok(hits) => return Ok((hits, stats)),
                            Err(error) => {
                                let (index, stats) =
                                    Self::rebuild_unreadable(repo, options, &error)?;
                                let hits = index.search(query, limit, sort, options.threads)?;
                                return Ok((hits, stats));
                            }
                        }
                    }
                    checked = Some(check);
                }
                _ => {}
            }
        }
        let (index, stats) = Self::update_and_start(repo, options, checked)?;
        match index.search(query, limit, sort, options.threads) {
            Ok(hits) => Ok((hits, stats)),
            Err(error) => {
                let (index, stats) = Self::rebuild_unreadable(repo, options, &error)?;
                let hits = index.search(query, limit, sort, options.threads)?;
                Ok((hits, stats))
            }
        }
    }

    /// Replaces an index that opened but failed to read (a damaged segment file) with
    /// one built from nothing, and returns it with a notice naming the failure.
    pub fn rebuild_unreadable(
        repo: &Repo,
        options: &mut UpdateOptions<'_>,
        failure: &Error,
    ) -> Result<(SearchIndex, UpdateStats)> {
        let data = repo.data_dir()?;
        let dir = data.join("index");
        let lock =
            lock::UpdateLock::acquire(&data, options.wait)?.map_err(|busy| Error::Index {
                path: dir.clone(),
                message: format!("{busy}; it could not be read ({failure}), so it must be rebuilt"),
            })?;
        tracing::info!(%failure, "rebuilding the search index because it could not be read");
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("remove", &dir, e)),
        }
        let (mut index, _) = Self::open_or_create(repo, &dir)?;
        let mut stats = index.update_locked(repo, options, true, None)?;
        drop(lock);
        stats.rebuilt = Some("rebuilt the search index because it could not be read".to_owned());
        Ok((index, stats))
    }

    /// Checks every index file against the checksum tantivy stored in it, which
    /// catches overwritten bytes that opening the index does not read. It reads the
    /// whole index once.
    pub fn verify(&self) -> Result<()> {
        let damaged = self.index.validate_checksum().map_err(|e| self.error(e))?;
        if damaged.is_empty() {
            return Ok(());
        }
        let mut names: Vec<String> = damaged
            .iter()
            .map(|path| path.display().to_string())
            .collect();
        names.sort();
        Err(self.error(format!("checksum mismatch in {}", names.join(", "))))
    }

    /// Takes the update lock and brings the index up to date, reusing `checked` when
    /// the state has not moved since. When another process holds the lock longer than
    /// the wait, the index is returned as it is, with a `stale` notice.
    fn update(
        repo: &Repo,
        options: &mut UpdateOptions<'_>,
        checked: Option<Check>,
    ) -> Result<(SearchIndex, UpdateStats)> {
        let data = repo.data_dir()?;
        let dir = data.join("index");
        let lock = match lock::UpdateLock::acquire(&data, options.wait)? {
            Ok(lock) => lock,
            Err(busy) => {
                return match Self::open_existing(repo, &dir) {
                    Some(index) => {
                        let stats = UpdateStats {
                            stale: Some(format!(
                                "{busy}; these results may miss its latest changes"
                            )),
                            ..UpdateStats::default()
                        };
                        Ok((index, stats))
                    }
                    None => Err(Error::Index {
                        path: dir,
                        message: format!("{busy}, and no finished index exists yet"),
                    }),
                };
            }
        };
        let (mut index, rebuilt) = Self::open_or_create(repo, &dir)?;
        let from_scratch = options.rebuild || rebuilt.is_some();
        let mut stats = index.update_locked(repo, options, from_scratch, checked)?;
        drop(lock);
        stats.rebuilt = rebuilt;
        Ok((index, stats))
    }

    /// Opens the index as it is, without updating it; `None` when it is missing, of
    /// another format or unreadable.
    fn open_existing(repo: &Repo, dir: &Path) -> Option<SearchIndex> {
        if state::read_version(dir) != Some(schema::FORMAT_VERSION) {
            return None;
        }
        let index = Index::open_in_dir(dir).ok()?;
        let (schema, fields) = schema::build();
        if index.schema() != schema {
            return None;
        }
        Self::from_index(repo, dir, index, fields).ok()
    }

    fn from_index(repo: &Repo, dir: &Path, index: Index, fields: Fields) -> Result<SearchIndex> {
        schema::register_analyzers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| Error::Index {
                path: dir.to_owned(),
                message: e.to_string(),
            })?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            dir: dir.to_owned(),
            root: repo.root.clone(),
        })
    }

    /// Opens the index, or creates it after removing whatever is in the way; the
    /// reason is returned when an existing index was replaced. Call it holding the
    /// update lock.
    fn open_or_create(repo: &Repo, dir: &Path) -> Result<(SearchIndex, Option<String>)> {
        if let Some(index) = Self::open_existing(repo, dir) {
            return Ok((index, None));
        }
        let reason = if !dir.exists() {
            None
        } else if state::read_version(dir).is_some_and(|v| v != schema::FORMAT_VERSION) {
            Some("it was written by another version of memo")
        } else {
            Some("it could not be read")
        };
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| Error::io("remove", dir, e))?;
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
        let (schema, fields) = schema::build();
        let index = Index::create_in_dir(dir, schema).map_err(|e| Error::Index {
            path: dir.to_owned(),
            message: e.to_string(),
        })?;
        state::write_version(dir, schema::FORMAT_VERSION)?;
        let index = Self::from_index(repo, dir, index, fields)?;
        let notice = reason.map(|r| format!("rebuilt the search index because {r}"));
        Ok((index, notice))
    }

    fn error(&self, message: impl ToString) -> Error {
        Error::Index {
            path: self.dir.clone(),
            message: message.to_string(),
        }
    }

    fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Brings the index up to date; the caller holds the update lock. `checked` is the
    /// work found before the lock was taken, reused when the state has not moved since.
    fn update_locked(
        &mut self,
        repo: &Repo,
        options: &mut UpdateOptions<'_>,
        from_scratch: bool,
        checked: Option<Check>,
    ) -> Result<UpdateStats> {
        self.reader.reload().map_err(|e| self.error(e))?;
        let state = if from_scratch {
            StateFile::from_state(&IndexState::default())
        } else {
            match StateFile::read(&self.dir) {
                Some(state) if state.documents() == self.num_docs() => state,
                // The state is missing or does not describe this index: take what the
                // index holds, and let the check hash every file against it.
                _ => StateFile::from_state(&self.state_from_documents()?),
            }
        };
        let layout = scan::Layout::new(repo);
        let check = match checked {
            Some(check) if check.state == state => check,
            _ => {
                // The fingerprint is taken before the heads are listed, so a head that
                // moves in between shows as a change next time.
                let token = layout.watcher_token();
                let (heads, refs) = match (options.threads.fingerprint(), thread_heads(options)) {
                    (refs, Some(heads)) => (heads, refs),
                    (_, None) => (BTreeMap::new(), None),
                };
                let scan = scan::scan(&layout, &state)?;
                let plan = scan::plan(&layout, &scan, &state, &heads)?;
                Check {
                    state,
                    scan,
                    plan,
                    heads,
                    refs,
                    token,
                    refresh: false,
                }
            }
        };
        let Check {
            state,
            scan,
            plan,
            heads,
            refs,
            token,
            ..
        } = check;
        let mut stats = UpdateStats {
            unchanged: plan.unchanged,
            removed: plan.removed.len(),
            ..UpdateStats::default()
        };
        // The stats were taken when the scan started, so that is the time against which
        // later checks decide whether a recorded stat can be trusted.
        let mut new_state = IndexState {
            scanned_ns: scan.started_ns,
            folder: scan.folder,
            subfolders: scan.subfolders,
            documents: 0,
            refs: refs.unwrap_or_default(),
            watch: token,
            memos: plan.carry_over(state.to_state()),
        };
        let needs_writer = from_scratch || !plan.changes.is_empty() || !plan.removed.is_empty();
        if needs_writer {
            let mut writer = self.writer(plan.changes.len())?;
            if from_scratch {
                writer.delete_all_documents().map_err(|e| self.error(e))?;
            }
            for path in &plan.removed {
                writer.delete_term(Term::from_field_text(self.fields.path, path));
            }
            let total = plan.changes.len();
            let indexer = document::Indexer::new(
                &layout,
                self.fields,
                options.threads,
                &heads,
                &new_state.subfolders,
                new_state.scanned_ns,
            );
            let mut indexed = Vec::with_capacity(total);
            for (done, change) in plan.changes.into_iter().enumerate() {
                let was_indexed = change.previous.as_ref().is_some_and(|p| p.indexed);
                let path = change.path.clone();
                if was_indexed || !from_scratch {
                    writer.delete_term(Term::from_field_text(self.fields.path, &path));
                }
                // A memo the indexer skips (unreadable, or gone) leaves the index.
                match indexer.index(change, &mut *options.warn)? {
                    Some((entry, Some(document))) => {
                        writer.add_document(document).map_err(|e| self.error(e))?;
                        if was_indexed {
                            stats.updated += 1;
                        } else {
                            stats.added += 1;
                        }
                        indexed.push((path, entry));
                    }
                    Some((entry, None)) => {
                        stats.removed += usize::from(was_indexed);
                        indexed.push((path, entry));
                    }
                    None => stats.removed += usize::from(was_indexed),
                }
                if let Some(progress) = options.progress.as_mut() {
                    progress(done + 1, total);
                }
            }
            new_state.memos.extend(indexed);
            let started = std::time::Instant::now();
            writer.commit().map_err(|e| self.error(e))?;
            tracing::debug!(elapsed = ?started.elapsed(), "committed the index");
            writer.wait_merging_threads().map_err(|e| self.error(e))?;
            tracing::debug!(elapsed = ?started.elapsed(), "finished merging segments");
        }
        new_state.documents = new_state.memos.values().filter(|m| m.indexed).count() as u64;
        new_state.save(&self.dir)?;
        self.reader.reload().map_err(|e| self.error(e))?;
        if self.num_docs() != new_state.documents {
            tracing::warn!(
                documents = self.num_docs(),
                expected = new_state.documents,
                "the index and its state disagree; the next update checks every memo"
            );
        }
        Ok(stats)
    }

    /// Builds a state from the documents in the index, with unknown stats so the next
    /// check hashes every file. A path indexed twice gets an empty blob, so it is
    /// indexed again (which removes both documents first).
    fn state_from_documents(&self) -> Result<IndexState> {
        let searcher = self.reader.searcher();
        let f = self.fields;
        let mut state = IndexState::default();
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(64).map_err(|e| self.error(e))?;
            for id in segment.doc_ids_alive() {
                let doc: TantivyDocument = store.get(id).map_err(|e| self.error(e))?;
                let text = |field| {
                    doc.get_first(field)
                        .and_then(|v| v.as_str())
                        .map(str::to_owned)
                };
                let Some(path) = text(f.path) else { continue };
                let entry = MemoState {
                    stat: state::Stat::default(),
                    blob: text(f.blob).unwrap_or_default(),
                    indexed: true,
                    uid: text(f.uid).map(|uid| uid.to_ascii_uppercase()),
                    inputs: text(f.inputs).filter(|i| !i.is_empty()),
                };
                if let Some(existing) = state.memos.get_mut(&path) {
                    existing.blob.clear();
                } else {
                    state.memos.insert(path, entry);
                }
            }
        }
        state.documents = self.num_docs();
        tracing::debug!(
            memos = state.memos.len(),
            "rebuilt the index state from the index"
        );
        Ok(state)
    }

    /// Takes the tantivy writer, which the update lock leaves free; a short retry
    /// covers a process that is still closing its writer.
    fn writer(&self, changes: usize) -> Result<IndexWriter> {
        let threads = if changes >= PARALLEL_INDEX_MIN {
            std::thread::available_parallelism()
                .map_or(1, usize::from)
                .clamp(1, 2)
        } else {
            1
        };
        let mut attempt = 0;
        loop {
            match self
                .index
                .writer_with_num_threads(threads, WRITER_MEMORY_PER_THREAD * threads)
            {
                Ok(writer) => {
                    writer.set_merge_policy(Box::new(merge::BoundedMergePolicy));
                    return Ok(writer);
                }
                Err(tantivy::TantivyError::LockFailure(_, _)) if attempt < 20 => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(e) => return Err(self.error(format!("could not open the index writer: {e}"))),
            }
        }
    }

    /// Returns the number of memos in the index.
    pub fn len(&self) -> u64 {
        self.num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Runs a compiled query and returns the best `limit` hits in the order asked for.
    pub fn search(
        &self,
        query: &CompiledQuery,
        limit: usize,
        sort: Sort,
        threads: &dyn ThreadSource,
    ) -> Result<Vec<Hit>> {
        guard::read(&self.dir, || {
            self.search_unguarded(query, limit, sort, threads)
        })
    }

    fn search_unguarded(
        &self,
        query: &CompiledQuery,
        limit: usize,
        sort: Sort,
        threads: &dyn ThreadSource,
    ) -> Result<Vec<Hit>> {
        let started = std::time::Instant::now();
        let searcher = self.reader.searcher();
        let statistics = document::Statistics::new(&searcher);
        let limit = limit.max(1);
        let top: Vec<(f32, DocAddress)> = match sort {
            Sort::Relevance => searcher
                .search_with_statistics_provider(
                    &*query.query,
                    &TopDocs::with_limit(limit).order_by_score(),
                    &statistics,
                )
                .map_err(|e| self.error(e))?,
            Sort::Newest | Sort::Oldest => {
                let order = if sort == Sort::Newest {
                    Order::Desc
                } else {
                    Order::Asc
                };
                let by_date = (
                    (
                        SortByStaticFastValue::<tantivy::DateTime>::for_field("created"),
                        order,
                    ),
                    (SortBySimilarityScore, Order::Desc),
                );
                let found = searcher
                    .search_with_statistics_provider(
                        &*query.query,
                        &TopDocs::with_limit(limit).order_by(by_date),
                        &statistics,
                    )
                    .map_err(|e| self.error(e))?;
                let mut found: Vec<(Option<tantivy::DateTime>, f32, DocAddress)> = found
                    .into_iter()
                    .map(|((date, score), address)| (date, score, address))
                    .collect();
                // Memos without a date go last in both orders.
                found.sort_by_key(|(date, _, _)| date.is_none());
                found
                    .into_iter()
                    .map(|(_, score, address)| (score, address))
                    .collect()
            }
        };

        tracing::debug!(elapsed = ?started.elapsed(), hits = top.len(), "ran the query");
        let mut docs = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.error(e))?;
            docs.push((score, doc));
        }
        let paths: Vec<String> = docs
            .iter()
            .map(|(_, doc)| text_field(doc, self.fields.path).unwrap_or_default())
            .collect();
        let snippets = document::file_snippets(&self.root, &paths, query);
        let mut finder = snippet::finder(&query.patterns, &query.section_patterns);
        let hits = docs
            .into_iter()
            .zip(snippets)
            .map(|((score, doc), found)| self.hit(&mut finder, &doc, score, found, query, threads))
            .collect();
        tracing::debug!(elapsed = ?started.elapsed(), "cut the snippets");
        Ok(hits)
    }

    fn hit(
        &self,
        finder: &mut analyzer::TermFinder,
        doc: &TantivyDocument,
        score: f32,
        found: document::FileSnippet,
        query: &CompiledQuery,
        threads: &dyn ThreadSource,
    ) -> Hit {
        let f = self.fields;
        let text = |field| text_field(doc, field);
        let texts = |field| {
            doc.get_all(field)
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect::<Vec<_>>()
        };
        let path = text(f.path).unwrap_or_default();
        let uid = text(f.uid);
        let snippet = document::finish_snippet(found, finder, uid.as_deref(), query, threads)
            .unwrap_or_default();
        Hit {
            number: doc
                .get_first(f.number)
                .and_then(|v| v.as_u64())
                .and_then(|n| u32::try_from(n).ok()),
            uid,
            title: text(f.title).unwrap_or_default(),
            status: text(f.status).unwrap_or_default(),
            template: text(f.template),
            path,
            created: doc
                .get_first(f.created)
                .and_then(|v| v.as_datetime())
                .and_then(|d| DateTime::from_timestamp(d.into_timestamp_secs(), 0)),
            authors: texts(f.authors),
            tags: texts(f.tags),
            score,
            snippet: snippet.text,
            section: snippet.section,
            highlights: snippet.highlights,
        }
    }

    /// Returns what the index holds, for `memo index --stats`.
    pub fn stats(&self) -> Result<IndexStats> {
        let searcher = self.reader.searcher();
        let mut statuses = BTreeMap::new();
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(64).map_err(|e| self.error(e))?;
            for id in segment.doc_ids_alive() {
                let doc: TantivyDocument = store.get(id).map_err(|e| self.error(e))?;
                let status = doc
                    .get_first(self.fields.status)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_owned();
                *statuses.entry(status).or_insert(0) += 1;
            }
        }
        Ok(IndexStats {
            location: self.dir.clone(),
            memos: self.num_docs(),
            statuses,
            segments: searcher.segment_readers().len(),
            size_bytes: folder_size(&self.dir),
            format: schema::FORMAT_VERSION,
        })
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Parses a query against the index's fields.
fn text_field(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

pub fn compile_query(text: &str) -> std::result::Result<CompiledQuery, QueryError> {
    let (_, fields) = schema::build();
    query::compile(text, &fields)
}

fn folder_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(std::result::Result::ok)
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => folder_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}
