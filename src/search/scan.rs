//! Finding what changed since the last update, at a cost proportional to the number of
//! memos for the check and to what changed for the rest.
//!
//! The check reads no file that is unchanged:
//!
//! 1. the memo folder is stat'ed. When its modification time matches the recorded one
//!    and is older than the racy margin, no file was added, removed or renamed, so the
//!    recorded list of names is used instead of listing the folder;
//! 2. each memo file is stat'ed, relative to the open folder and on several threads
//!    when there are many. Size, modification time and inode equal to the recorded
//!    ones mean unchanged;
//! 3. a file whose stat differs is hashed as a git blob, and indexed again only if the
//!    blob differs from the one indexed;
//! 4. attachment folders are walked (they are few) and the comment thread heads
//!    compared, giving each memo an inputs fingerprint.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::state::MemoState;
use super::state::{self, Entry, IndexState, RACY_MARGIN_NS, Stat, StateFile};
use super::threads;
use crate::error::{Error, Result};
use crate::memo;
use crate::store::Repo;

/// The paths a check needs of a [`Repo`], in a form that the threads checking while a
/// search runs can share.
#[derive(Clone, Debug)]
pub struct Layout {
    pub root: PathBuf,
    /// The memo folder relative to the root.
    pub memo_dir: PathBuf,
    /// The folder of memo's derived data, `.git/memo/`.
    pub data: PathBuf,
}

impl Layout {
    pub fn new(repo: &Repo) -> Layout {
        Layout {
            root: repo.root.clone(),
            memo_dir: repo.memo_dir_relative(),
            data: repo.data_path(),
        }
    }

    /// Requests the token of the repository's watcher (see [`super::watch`]).
    pub fn watcher_token(&self) -> Option<super::watch::Token> {
        if super::watch::Mode::never_by_env() {
            return None;
        }
        super::watch::request_token(&self.data, &self.absolute(&self.memo_dir))
    }

    pub fn absolute(&self, relative: &Path) -> PathBuf {
        self.root.join(relative)
    }

    /// Returns the memo folder relative to the root with a trailing `/`, or nothing
    /// when the memos sit in the root.
    fn prefix(&self) -> String {
        let relative = self
            .memo_dir
            .to_string_lossy()
            .replace('\\', "/")
            .trim_end_matches('/')
            .to_owned();
        if relative.is_empty() || relative == "." {
            String::new()
        } else {
            format!("{relative}/")
        }
    }
}

/// Below this many files the stat calls run on one thread.
const PARALLEL_STAT_MIN: usize = 2000;

/// The memo files present on disk.
#[derive(Clone, Debug, Default)]
pub struct Scan {
    pub started_ns: i64,
    pub folder: Option<Stat>,
    pub subfolders: Vec<String>,
    /// Whether the folder was listed, because it changed or changed too recently to
    /// trust its stat.
    pub listed: bool,
    pub files: Files,
}

/// The memo files found by a scan, with their stat.
#[derive(Clone, Debug)]
pub enum Files {
    /// The files the previous state lists, in its order (`None` for one that is gone):
    /// the folder did not change, so no path had to be built.
    Same(Vec<Option<Stat>>),
    /// A new listing, by path relative to the root (`/` separators), sorted.
    Listed(Vec<(String, Stat)>),
}

impl Default for Files {
    fn default() -> Files {
        Files::Listed(Vec::new())
    }
}

impl Scan {
    /// Returns the number of memo files found.
    pub fn len(&self) -> usize {
        match &self.files {
            Files::Same(stats) => stats.iter().flatten().count(),
            Files::Listed(files) => files.len(),
        }
    }
}

/// A memo file to index again, with what was learnt about it while checking.
#[derive(Debug)]
pub struct Change {
    pub path: String,
    pub stat: Stat,
    pub previous: Option<MemoState>,
}

/// The work an update has to do.
#[derive(Debug, Default)]
pub struct Plan {
    pub changes: Vec<Change>,
    /// Paths whose documents go, because their files are gone.
    pub removed: Vec<String>,
    /// Paths of files that are gone and had no document.
    pub forgotten: Vec<String>,
    /// How many memos stay as they are.
    pub unchanged: usize,
    /// Unchanged memos whose stat moved (a touch, a checkout), with the new stat.
    pub restat: Vec<(String, Stat)>,
    /// Whether a memo was hashed because its stat was recorded too soon after it
    /// changed, and a state written now would record it as settled.
    pub settles: bool,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.removed.is_empty()
    }

    /// Returns the entries of `previous` that stay, with their stat refreshed.
    pub fn carry_over(&self, previous: IndexState) -> BTreeMap<String, MemoState> {
        let mut memos = previous.memos;
        for change in &self.changes {
            memos.remove(&change.path);
        }
        for path in self.removed.iter().chain(&self.forgotten) {
            memos.remove(path);
        }
        for (path, stat) in &self.restat {
            if let Some(entry) = memos.get_mut(path) {
                entry.stat = *stat;
            }
        }
        memos
    }
}

/// Lists and stats the memo files, reusing the previous listing when the folder has
/// not changed.
pub fn scan(layout: &Layout, previous: &StateFile) -> Result<Scan> {
    let started_ns = now_ns();
    let folder_path = layout.absolute(&layout.memo_dir);
    let prefix = layout.prefix();
    let folder = match std::fs::metadata(&folder_path) {
        Ok(metadata) => Stat::from_metadata(&metadata),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Scan {
                started_ns,
                ..Scan::default()
            });
        }
        Err(e) => return Err(Error::io("read", folder_path, e)),
    };

    let unchanged_folder = previous.folder() == Some(folder)
        && state::is_settled(previous.scanned_ns(), &folder)
        && (0..previous.len()).all(|i| previous.path(i).starts_with(&prefix));
    let files = if unchanged_folder {
        let names: Vec<&str> = (0..previous.len())
            .map(|i| &previous.path(i)[prefix.len()..])
            .collect();
        Files::Same(stat_all(&folder_path, &names))
    } else {
        let (names, subfolders) = list_folder(&folder_path)?;
        let borrowed: Vec<&str> = names.iter().map(String::as_str).collect();
        let stats = stat_all(&folder_path, &borrowed);
        let files = names
            .into_iter()
            .zip(stats)
            .filter_map(|(name, stat)| stat.map(|stat| (format!("{prefix}{name}"), stat)))
            .collect();
        return Ok(Scan {
            started_ns,
            folder: Some(folder),
            subfolders,
            listed: true,
            files: Files::Listed(files),
        });
    };
    Ok(Scan {
        started_ns,
        folder: Some(folder),
        subfolders: previous.subfolders(),
        listed: false,
        files,
    })
}

/// Returns the names of the memo files and of the subfolders of the memo folder.
pub fn list_folder(folder: &Path) -> Result<(Vec<String>, Vec<String>)> {
    let mut names = Vec::new();
    let mut subfolders = Vec::new();
    let entries = std::fs::read_dir(folder).map_err(|e| Error::io("read", folder, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read", folder, e))?;
        let Ok(name) = entry.file_name().into_string() else {
            tracing::warn!(name = ?entry.file_name(), "skipped a file whose name is not UTF-8");
            continue;
        };
        match entry.file_type() {
            Ok(kind) if kind.is_file() && memo::is_markdown(Path::new(&name)) => names.push(name),
            Ok(kind) if kind.is_dir() => subfolders.push(name),
            _ => {}
        }
    }
    names.sort();
    subfolders.sort();
    Ok((names, subfolders))
}

/// Stats every name in `folder`; `None` for a file that is gone or not a regular file.
fn stat_all(folder: &Path, names: &[&str]) -> Vec<Option<Stat>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(4);
    if names.len() < PARALLEL_STAT_MIN || threads < 2 {
        return stat_chunk(folder, names);
    }
    // This thread takes the first part, helpers the others.
    let chunk = names.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let mut parts = names.chunks(chunk);
        let first = parts.next().unwrap_or_default();
        let helpers: Vec<_> = parts
            .map(|part| (part, scope.spawn(move || stat_chunk(folder, part))))
            .collect();
        let mut stats = stat_chunk(folder, first);
        for (part, helper) in helpers {
            // The part of a helper that died is stat'ed again here, so no name is skipped.
            stats.extend(helper.join().unwrap_or_else(|_| stat_chunk(folder, part)));
        }
        stats
    })
}

#[cfg(unix)]
fn stat_chunk(folder: &Path, names: &[&str]) -> Vec<Option<Stat>> {
    use rustix::fs::{AtFlags, CWD, FileType, Mode, OFlags};

    // Stat relative to the open folder: the kernel resolves one name instead of the
    // whole path, which makes the check about a quarter faster.
    let Ok(dir) = rustix::fs::openat(
        CWD,
        folder,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    ) else {
        return names.iter().map(|_| None).collect();
    };
    names
        .iter()
        .map(|name| {
            let stat = rustix::fs::statat(&dir, *name, AtFlags::SYMLINK_NOFOLLOW).ok()?;
            if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
                return None;
            }
            Some(Stat {
                size: stat.st_size as u64,
                modified_ns: stat.st_mtime * 1_000_000_000 + stat.st_mtime_nsec as i64,
                inode: stat.st_ino,
            })
        })
        .collect()
}

#[cfg(not(unix))]
fn stat_chunk(folder: &Path, names: &[&str]) -> Vec<Option<Stat>> {
    names
        .iter()
        .map(|name| {
            let metadata = std::fs::symlink_metadata(folder.join(name)).ok()?;
            metadata.is_file().then(|| Stat::from_metadata(&metadata))
        })
        .collect()
}

/// Compares a scan with the previous state and decides what to index again.
pub fn plan(
    layout: &Layout,
    scan: &Scan,
    previous: &StateFile,
    heads: &BTreeMap<String, String>,
) -> Result<Plan> {
    let mut checker = Checker {
        layout,
        previous,
        heads,
        subfolders: scan.subfolders.iter().map(String::as_str).collect(),
        now_ns: scan.started_ns,
        plan: Plan::default(),
    };
    match &scan.files {
        Files::Same(stats) => {
            for (index, stat) in stats.iter().enumerate() {
                match stat {
                    Some(stat) if checker.is_unchanged(index, stat) => {
                        // A file skipped as unreadable stays out of the count, as it
                        // stays out of the index.
                        if previous.is_indexed(index) {
                            checker.plan.unchanged += 1;
                        }
                    }
                    Some(stat) => {
                        let entry = previous.entry(index);
                        checker.check(entry.path, *stat, Some(entry))?;
                    }
                    None => checker.gone(previous.entry(index)),
                }
            }
        }
        Files::Listed(files) => {
            // Both lists are sorted by path: walk them side by side.
            let mut before = previous.entries().peekable();
            for (path, stat) in files {
                while let Some(gone) = before.next_if(|e| e.path < path.as_str()) {
                    checker.gone(gone);
                }
                let entry = before.next_if(|e| e.path == path);
                checker.check(path, *stat, entry)?;
            }
            for gone in before {
                checker.gone(gone);
            }
        }
    }
    Ok(checker.plan)
}

struct Checker<'a> {
    layout: &'a Layout,
    previous: &'a StateFile,
    heads: &'a BTreeMap<String, String>,
    subfolders: BTreeSet<&'a str>,
    now_ns: i64,
    plan: Plan,
}

impl Checker<'_> {
    /// Returns whether entry `index` is unchanged by its stat and its comment log head
    /// alone, without decoding the rest of the entry: the common case, which must stay
    /// cheap. A memo with an attachment folder takes the full check.
    fn is_unchanged(&self, index: usize, stat: &Stat) -> bool {
        let same_file = self.previous.stat(index) == *stat
            && state::is_settled(self.previous.scanned_ns(), stat);
        if !same_file {
            return false;
        }
        if !self.subfolders.is_empty() {
            let path = Path::new(self.previous.path(index));
            let folder = path.file_stem().and_then(|s| s.to_str());
            if folder.is_some_and(|f| self.subfolders.contains(f)) {
                return false;
            }
        }
        let head = self.previous.uid(index).and_then(|uid| self.heads.get(uid));
        match (head, self.previous.inputs(index)) {
            (None, None) => true,
            (Some(head), Some(inputs)) => inputs.strip_prefix('t') == Some(head.as_str()),
            _ => false,
        }
    }

    fn gone(&mut self, entry: Entry<'_>) {
        if entry.indexed {
            self.plan.removed.push(entry.path.to_owned());
        } else {
            self.plan.forgotten.push(entry.path.to_owned());
        }
    }

    fn check(&mut self, path: &str, stat: Stat, before: Option<Entry<'_>>) -> Result<()> {
        // A new file is indexed whatever it holds; the indexer reads it then.
        let Some(entry) = before else {
            self.plan.changes.push(Change {
                path: path.to_owned(),
                stat,
                previous: None,
            });
            return Ok(());
        };
        let settled = state::is_settled(self.previous.scanned_ns(), &stat);
        if entry.stat == stat && !settled && state::is_settled(self.now_ns, &stat) {
            self.plan.settles = true;
        }
        let same_content = if entry.stat == stat && settled {
            true
        } else {
            let absolute = self.layout.absolute(Path::new(path));
            match std::fs::read(&absolute) {
                Ok(bytes) => entry.blob == blob_id(&bytes)?,
                // Gone since it was listed: treated as removed.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    self.gone(entry);
                    return Ok(());
                }
                Err(e) => return Err(Error::io("read", absolute, e)),
            }
        };
        if same_content {
            let has_inputs =
                !self.subfolders.is_empty() || !self.heads.is_empty() || entry.inputs.is_some();
            let same_inputs = !has_inputs
                || inputs(
                    self.layout,
                    path,
                    &self.subfolders,
                    threads::head_of(self.heads, entry.uid),
                    self.now_ns,
                )
                .as_deref()
                    == entry.inputs;
            if same_inputs {
                if entry.indexed {
                    self.plan.unchanged += 1;
                }
                if entry.stat != stat {
                    self.plan.restat.push((path.to_owned(), stat));
                }
                return Ok(());
            }
        }
        self.plan.changes.push(Change {
            path: path.to_owned(),
            stat,
            previous: Some(entry.to_memo_state()),
        });
        Ok(())
    }
}

/// Returns the git blob id of some content.
pub fn blob_id(bytes: &[u8]) -> Result<String> {
    git2::Oid::hash_object(git2::ObjectType::Blob, bytes)
        .map(|oid| oid.to_string())
        .map_err(|e| Error::git("hash a memo file", e))
}

/// Returns the fingerprint of a memo's inputs besides its file: its attachment folder
/// (names, sizes, modification times) and its comment thread head. `None` when it has
/// neither.
pub fn inputs(
    layout: &Layout,
    path: &str,
    subfolders: &BTreeSet<&str>,
    thread_head: Option<&str>,
    now_ns: i64,
) -> Option<String> {
    let folder_name = Path::new(path).file_stem()?.to_str()?;
    let attachments = subfolders
        .contains(folder_name)
        .then(|| attachment_fingerprint(&attachment_folder(layout, path), now_ns));
    match (attachments, thread_head) {
        (None, None) => None,
        (Some(a), None) => Some(format!("a{a}")),
        (None, Some(t)) => Some(format!("t{t}")),
        (Some(a), Some(t)) => Some(format!("a{a}t{t}")),
    }
}

/// Returns the attachment folder of a memo: the folder named like its file, beside it.
pub fn attachment_folder(layout: &Layout, memo_path: &str) -> PathBuf {
    layout.absolute(&Path::new(memo_path).with_extension(""))
}

/// Returns whether a file is an attachment the index reads.
pub fn is_text_attachment(path: &Path) -> bool {
    path.extension().is_some_and(|e| {
        ["md", "markdown", "txt"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// Lists the text attachments in a folder and its subfolders, sorted.
pub fn attachment_files(folder: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    collect_files(folder, &mut out, 0);
    out.retain(|p| is_text_attachment(p));
    out.sort();
    out
}

/// The deepest folder below an attachment folder (itself at depth 0) whose files are
/// indexed: deep enough for any real attachment tree, and a stop for symlink loops.
pub const ATTACHMENT_MAX_DEPTH: usize = 16;

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > ATTACHMENT_MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(std::result::Result::ok) {
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => collect_files(&entry.path(), out, depth + 1),
            Ok(kind) if kind.is_file() => out.push(entry.path()),
            _ => {}
        }
    }
}

fn attachment_fingerprint(folder: &Path, now_ns: i64) -> String {
    let mut listing = String::new();
    for path in attachment_files(folder) {
        let Ok(metadata) = std::fs::metadata(&path) else {
            continue;
        };
        let stat = Stat::from_metadata(&metadata);
        let relative = path.strip_prefix(folder).unwrap_or(&path);
        listing.push_str(&format!(
            "{}\t{}\t{}\t{}",
            relative.to_string_lossy(),
            stat.size,
            stat.modified_ns,
            stat.inode
        ));
        // A file changed within the timestamp resolution may change again unseen, so
        // its content counts too.
        if stat.modified_ns >= now_ns - RACY_MARGIN_NS
            && let Ok(bytes) = std::fs::read(&path)
            && let Ok(blob) = blob_id(&bytes)
        {
            listing.push('\t');
            listing.push_str(&blob);
        }
        listing.push('\n');
    }
    blob_id(listing.as_bytes()).unwrap_or_default()
}

fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}
