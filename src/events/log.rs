//! A memo's event log on its ref: reading it, reading what changed, appending to it.

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use git2::{ErrorCode, FileMode, ObjectType, Oid, Repository};

use super::event::{self, Author, Event, MAX_CLOCK, NewEvent};
use crate::error::{Error, Result};

/// The namespace of the event logs: `refs/memo/events/<uid>`.
pub const REF_PREFIX: &str = "refs/memo/events/";

/// How long an append keeps retrying while other writers hold or move the ref. A ref
/// is locked for well under a millisecond per write, so a lock that outlasts this was
/// left behind by a killed process.
const APPEND_TIMEOUT: Duration = Duration::from_secs(4);

/// An event that could not be read, and why. The event is skipped; the rest of the
/// log is read as usual.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The log's ref.
    pub reference: String,
    /// The event's path in the log's tree.
    pub event: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: event {}: {}; skipped",
            self.reference, self.event, self.message
        )
    }
}

/// The events of a log (or the part of it that was asked for), ordered by clock and
/// id, plus the events that could not be read.
#[derive(Clone, Debug, Default)]
pub struct LogRead {
    /// The commit the log's ref pointed at when it was read.
    pub head: Option<Oid>,
    pub events: Vec<Event>,
    pub problems: Vec<Problem>,
}

/// Sorts events by clock and id, the order every fold applies them in, and drops
/// repeats of one event.
fn sort_events(events: &mut Vec<Event>) {
    events.sort_by(|a, b| (a.clock, &a.id).cmp(&(b.clock, &b.id)));
    events.dedup_by(|a, b| a.id == b.id);
}

/// How many logs [`EventLog::read`] keeps in memory: the few a screen shows at once.
const RECENT_READS: usize = 4;

/// The logs read last in this process, newest last, by repository and ref.
#[derive(Default)]
struct RecentReads {
    reads: Vec<((std::path::PathBuf, String), LogRead)>,
}

impl RecentReads {
    fn get(&self, key: &(std::path::PathBuf, String)) -> Option<LogRead> {
        self.reads
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, read)| read.clone())
    }

    fn put(&mut self, key: (std::path::PathBuf, String), read: &LogRead) {
        self.reads.retain(|(k, _)| *k != key);
        if self.reads.len() == RECENT_READS {
            self.reads.remove(0);
        }
        self.reads.push((key, read.clone()));
    }
}

/// Whether [`EventLog::read`] keeps what it read, which [`keep_recent_reads`] turns on.
static KEEP_RECENT_READS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes [`EventLog::read`] keep the last few logs it read and read them again only for
/// the events added since. Screens that read the same log again and again turn it on.
/// A command that reads each log once leaves it off, because keeping costs a copy of
/// every event it reads.
pub fn keep_recent_reads() {
    KEEP_RECENT_READS.store(true, std::sync::atomic::Ordering::Relaxed);
}

fn recent_reads() -> std::sync::MutexGuard<'static, RecentReads> {
    static READS: std::sync::LazyLock<std::sync::Mutex<RecentReads>> =
        std::sync::LazyLock::new(Default::default);
    READS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Returns the canonical form of a memo uid (ASCII upper case), after checking that it
/// can name a ref. Upper case keeps `01ab` and `01AB` on one log, also on file systems
/// that ignore case.
pub fn canonical_uid(uid: &str) -> Result<String> {
    let valid = !uid.is_empty()
        && uid.len() <= 128
        && uid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && uid.as_bytes()[0].is_ascii_alphanumeric();
    if !valid {
        return Err(Error::invalid_with_hint(
            format!(
                "memo uid '{}' cannot name an event log",
                crate::render::sanitize_line(uid)
            ),
            "a uid holds only letters, digits, '-' and '_' (memo writes ULIDs); fix the `uid:` line of the memo's front matter",
        ));
    }
    Ok(uid.to_ascii_uppercase())
}

/// The event log of one memo.
pub struct EventLog<'r> {
    git: &'r Repository,
    uid: String,
    reference: String,
}

impl<'r> EventLog<'r> {
    /// Opens the log of memo `uid`; the log need not exist yet.
    pub fn open(git: &'r Repository, uid: &str) -> Result<EventLog<'r>> {
        let uid = canonical_uid(uid)?;
        let reference = format!("{REF_PREFIX}{uid}");
        Ok(EventLog {
            git,
            uid,
            reference,
        })
    }

    pub fn uid(&self) -> &str {
        &self.uid
    }

    pub fn reference(&self) -> &str {
        &self.reference
    }

    /// Returns the commit the log's ref points at, or `None` for a memo without events.
    pub fn head(&self) -> Result<Option<Oid>> {
        match self.git.refname_to_id(&self.reference) {
            Ok(id) => Ok(Some(id)),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(Error::git(format!("read {}", self.reference), e)),
        }
    }

    /// Reads every event of the log.
    ///
    /// After [`keep_recent_reads`], a log read before in this process, at a head the log
    /// has moved on from, is read again only for the events added since. The meeting
    /// screen reads its log each time another participant's events arrive, and reading
    /// thousands of event blobs each time was a visible pause.
    pub fn read(&self) -> Result<LogRead> {
        let Some(head) = self.head()? else {
            return Ok(LogRead::default());
        };
        if !KEEP_RECENT_READS.load(std::sync::atomic::Ordering::Relaxed) {
            return self.read_whole(head);
        }
        let key = (self.git.path().to_owned(), self.reference.clone());
        let earlier = recent_reads().get(&key);
        let read = match earlier {
            Some(earlier) if earlier.head == Some(head) => return Ok(earlier),
            Some(earlier)
                if earlier.head.is_some_and(|old| {
                    self.git.graph_descendant_of(head, old).unwrap_or(false)
                }) =>
            {
                let old = earlier.head.unwrap_or(head);
                let added = self.read_since(Some(old))?;
                let mut read = earlier;
                read.head = added.head;
                read.events.extend(added.events);
                read.problems.extend(added.problems);
                sort_events(&mut read.events);
                read
            }
            _ => self.read_whole(head)?,
        };
        recent_reads().put(key, &read);
        Ok(read)
    }

    /// Reads every event of the log at commit `head`.
    fn read_whole(&self, head: Oid) -> Result<LogRead> {
        let mut read = LogRead {
            head: Some(head),
            ..LogRead::default()
        };
        let tree = self.head_tree(head)?;
        let files = event_files(self.git, &tree, &self.reference, &mut read.problems)?;
        self.read_files(files, &mut read);
        Ok(read)
    }

    /// Reads the events that the log holds now but did not hold at commit `since`. When
    /// `since` is `None` or no longer in the repository, that is every event.
    pub fn read_since(&self, since: Option<Oid>) -> Result<LogRead> {
        let head = self.head()?;
        let old_tree = since
            .and_then(|id| self.git.find_commit(id).ok())
            .and_then(|commit| commit.tree().ok());
        let (Some(head), Some(old_tree)) = (head, old_tree) else {
            return match head {
                Some(head) => self.read_whole(head),
                None => Ok(LogRead::default()),
            };
        };
        let mut read = LogRead {
            head: Some(head),
            ..LogRead::default()
        };
        let tree = self.head_tree(head)?;
        let mut files = Vec::new();
        added_files(self.git, &old_tree, &tree, "", &mut files)?;
        self.read_files(files, &mut read);
        Ok(read)
    }

    /// Reads the given event files into `read`, sorted by clock and id.
    fn read_files(&self, files: Vec<(String, Oid)>, read: &mut LogRead) {
        for (path, blob) in files {
            let problem = |message: String| Problem {
                reference: self.reference.clone(),
                event: path.clone(),
                message,
            };
            let bytes = match self.git.find_blob(blob) {
                Ok(blob) => blob.content().to_vec(),
                Err(e) => {
                    read.problems.push(problem(format!(
                        "its blob {blob} cannot be read ({}); the repository is missing objects, run `git fsck`",
                        e.message()
                    )));
                    continue;
                }
            };
            match event::parse(&bytes, &self.uid) {
                Ok(event) => {
                    let name = path.rsplit('/').next().unwrap_or(&path);
                    match event::parse_file_name(name) {
                        Some((_, id)) if id != event.id => read.problems.push(problem(format!(
                            "its file is named for event {id}, but it holds event {}",
                            event.id
                        ))),
                        _ => read.events.push(event),
                    }
                }
                Err(message) => read.problems.push(problem(message)),
            }
        }
        sort_events(&mut read.events);
    }

    fn head_tree(&self, head: Oid) -> Result<git2::Tree<'r>> {
        let commit = self
            .git
            .find_commit(head)
            .map_err(|e| missing(&self.reference, head, e))?;
        commit
            .tree()
            .map_err(|e| missing(&self.reference, commit.tree_id(), e))
    }

    /// Appends events in one commit and returns them as stored. Their clocks continue
    /// from the largest clock in the log. The ref moves by compare-and-swap: when another
    /// writer moved it first, the clocks are assigned again on the new head and the
    /// append is retried, so no writer's events are lost.
    pub fn append(
        &self,
        author: &Author,
        time: DateTime<Utc>,
        new: &[NewEvent],
    ) -> Result<Vec<Event>> {
        if new.is_empty() {
            return Ok(Vec::new());
        }
        // A ref that keeps moving means other writers are making progress, not that a
        // killed process left a lock, so each move grants another APPEND_TIMEOUT, up to
        // a bound that no amount of contention passes.
        let started = Instant::now();
        let mut deadline = started + APPEND_TIMEOUT;
        let mut last_head = None;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let head = self.head()?;
            if attempt > 1 && head != last_head {
                deadline = (Instant::now() + APPEND_TIMEOUT).min(started + APPEND_TIMEOUT * 15);
            }
            last_head = head;
            let (events, commit) = self.prepare(head, author, time, new)?;

            let message = format!("memo: {} event(s)", events.len());
            let updated = crate::store::move_ref(self.git, &self.reference, commit, head, &message);
            match updated {
                Ok(_) => return Ok(events),
                Err(e) if is_contention(&e) && Instant::now() < deadline => {
                    tracing::debug!(reference = %self.reference, attempt, "ref moved or locked, retrying: {}", e.message());
                    backoff(attempt, e.code() == ErrorCode::Locked);
                }
                Err(e) if is_contention(&e) => {
                    return Err(locked_error(self.git, &self.reference, e));
                }
                Err(e) => {
                    return Err(Error::git(format!("move {}", self.reference), e));
                }
            }
        }
    }

    /// Writes the events' blobs, tree and commit on top of `head`, without moving the ref.
    fn prepare(
        &self,
        head: Option<Oid>,
        author: &Author,
        time: DateTime<Utc>,
        new: &[NewEvent],
    ) -> Result<(Vec<Event>, Oid)> {
        let git = self.git;
        let (baseline, parent) = match head {
            Some(head) => {
                let commit = git
                    .find_commit(head)
                    .map_err(|e| missing(&self.reference, head, e))?;
                let tree = commit
                    .tree()
                    .map_err(|e| missing(&self.reference, commit.tree_id(), e))?;
                (tree, Some(commit))
            }
            None => {
                let empty = git
                    .treebuilder(None)
                    .and_then(|b| b.write())
                    .and_then(|id| git.find_tree(id))
                    .map_err(|e| Error::git("write an empty tree", e))?;
                (empty, None)
            }
        };
        let max = max_clock(git, &baseline, &self.uid)?;
        if max.saturating_add(new.len() as u64) > MAX_CLOCK {
            return Err(Error::invalid(format!(
                "{} has reached the largest Lamport clock ({MAX_CLOCK}); an event with an absurd clock was written to it",
                self.reference
            )));
        }

        let mut builder = git2::build::TreeUpdateBuilder::new();
        let mut events = Vec::with_capacity(new.len());
        for (i, item) in new.iter().enumerate() {
            let event = Event {
                version: event::FORMAT_VERSION,
                id: item.id.clone(),
                memo: self.uid.clone(),
                kind: item.kind.clone(),
                clock: max + 1 + i as u64,
                time,
                author: author.clone(),
                payload: item.payload.clone(),
            };
            let blob = git
                .blob(&event.to_bytes())
                .map_err(|e| Error::git("store an event", e))?;
            let path = format!("{}/{}", event::folder_name(event.clock), event.file_name());
            builder.upsert(path.as_str(), blob, FileMode::Blob);
            events.push(event);
        }
        let tree = builder
            .create_updated(git, &baseline)
            .and_then(|id| git.find_tree(id))
            .map_err(|e| Error::git("write the log's tree", e))?;

        let signature = signature(author, time)?;
        let kinds: Vec<String> = events
            .iter()
            .map(|e| format!("{} {}", e.kind, e.id))
            .collect();
        let message = format!("Add {} event(s)\n\n{}\n", events.len(), kinds.join("\n"));
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        let commit = git
            .commit(None, &signature, &signature, &message, &tree, &parents)
            .map_err(|e| Error::git("write the log's commit", e))?;
        Ok((events, commit))
    }
}

/// Returns every blob of a log's tree whose name ends in `.json`, at the root or one
/// folder down, with its path. Other entries are reported.
pub(crate) fn event_files(
    git: &Repository,
    tree: &git2::Tree<'_>,
    reference: &str,
    problems: &mut Vec<Problem>,
) -> Result<Vec<(String, Oid)>> {
    let mut files = Vec::with_capacity(tree.len() * 100);
    for entry in tree.iter() {
        let name = entry.name().unwrap_or_default().to_owned();
        match entry.kind() {
            Some(ObjectType::Blob) if name.ends_with(".json") => files.push((name, entry.id())),
            Some(ObjectType::Tree) => {
                let subtree = git
                    .find_tree(entry.id())
                    .map_err(|e| missing(reference, entry.id(), e))?;
                for inner in subtree.iter() {
                    let inner_name = inner.name().unwrap_or_default();
                    if inner.kind() == Some(ObjectType::Blob) && inner_name.ends_with(".json") {
                        files.push((format!("{name}/{inner_name}"), inner.id()));
                    } else {
                        problems.push(Problem {
                            reference: reference.to_owned(),
                            event: format!("{name}/{inner_name}"),
                            message: "is not an event file (a .json blob)".to_owned(),
                        });
                    }
                }
            }
            _ => problems.push(Problem {
                reference: reference.to_owned(),
                event: name,
                message: "is not an event file (a .json blob)".to_owned(),
            }),
        }
    }
    Ok(files)
}

/// Collects the event files of `new` that `old` does not hold under the same path and
/// blob.
fn added_files(
    git: &Repository,
    old: &git2::Tree<'_>,
    new: &git2::Tree<'_>,
    prefix: &str,
    out: &mut Vec<(String, Oid)>,
) -> Result<()> {
    let old_entries: BTreeMap<String, (Oid, Option<ObjectType>)> = old
        .iter()
        .map(|e| (e.name().unwrap_or_default().to_owned(), (e.id(), e.kind())))
        .collect();
    for entry in new.iter() {
        let name = entry.name().unwrap_or_default();
        let path = format!("{prefix}{name}");
        let before = old_entries.get(name);
        if before.is_some_and(|(id, _)| *id == entry.id()) {
            continue;
        }
        match entry.kind() {
            Some(ObjectType::Tree) => {
                let subtree = git
                    .find_tree(entry.id())
                    .map_err(|e| Error::git(format!("read the tree of {path}"), e))?;
                let old_subtree = match before {
                    Some((id, Some(ObjectType::Tree))) => git.find_tree(*id).ok(),
                    _ => None,
                };
                match old_subtree {
                    Some(old_subtree) => {
                        added_files(git, &old_subtree, &subtree, &format!("{path}/"), out)?
                    }
                    None => {
                        for inner in subtree.iter() {
                            if inner.kind() == Some(ObjectType::Blob) {
                                out.push((
                                    format!("{path}/{}", inner.name().unwrap_or_default()),
                                    inner.id(),
                                ));
                            }
                        }
                    }
                }
            }
            Some(ObjectType::Blob) if name.ends_with(".json") => out.push((path, entry.id())),
            _ => {}
        }
    }
    Ok(())
}

/// Returns the largest clock in a log's tree, from its file names where they follow
/// the layout, else from the events themselves.
fn max_clock(git: &Repository, tree: &git2::Tree<'_>, uid: &str) -> Result<u64> {
    let mut max = 0;
    let mut ignored = Vec::new();
    // Folders are named by clock, so only the last folder needs listing, unless a file
    // breaks the layout; then every file is looked at.
    let is_folder = |e: &git2::TreeEntry<'_>| {
        e.kind() == Some(ObjectType::Tree)
            && e.name()
                .is_ok_and(|n| n.len() == 14 && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let layout_kept = tree.iter().all(|e| is_folder(&e));
    let last_folder = tree.iter().next_back();
    let files = if layout_kept {
        match last_folder {
            Some(folder) => {
                let subtree = git
                    .find_tree(folder.id())
                    .map_err(|e| Error::git("read the log's tree", e))?;
                let name = folder.name().unwrap_or_default().to_owned();
                subtree
                    .iter()
                    .map(|e| (format!("{name}/{}", e.name().unwrap_or_default()), e.id()))
                    .collect()
            }
            None => Vec::new(),
        }
    } else {
        event_files(git, tree, "", &mut ignored)?
    };
    for (path, blob) in files {
        let name = path.rsplit('/').next().unwrap_or(&path);
        let clock = match event::parse_file_name(name) {
            Some((clock, _)) => Some(clock),
            None => git
                .find_blob(blob)
                .ok()
                .and_then(|b| event::parse(b.content(), uid).ok())
                .map(|e| e.clock),
        };
        if let Some(clock) = clock {
            max = max.max(clock.min(MAX_CLOCK));
        }
    }
    Ok(max)
}

/// Returns every memo uid that has an event log, with the commit its ref points at,
/// sorted by uid. It reads refs only, so a caller can find the logs that moved since it
/// last looked at almost no cost.
pub fn heads(git: &Repository) -> Result<Vec<(String, Oid)>> {
    heads_under(git, REF_PREFIX)
}

/// Returns the refs under `prefix` with their targets, keyed by the rest of the name.
pub(crate) fn heads_under(git: &Repository, prefix: &str) -> Result<Vec<(String, Oid)>> {
    let references = git
        .references_glob(&format!("{prefix}*"))
        .map_err(|e| Error::git(format!("list {prefix}*"), e))?;
    let mut heads = Vec::new();
    for reference in references {
        let reference = reference.map_err(|e| Error::git(format!("list {prefix}*"), e))?;
        let (Ok(name), Some(target)) = (reference.name(), reference.target()) else {
            continue;
        };
        if let Some(uid) = name.strip_prefix(prefix) {
            heads.push((uid.to_owned(), target));
        }
    }
    heads.sort();
    Ok(heads)
}

pub(crate) fn signature(author: &Author, time: DateTime<Utc>) -> Result<git2::Signature<'static>> {
    let when = git2::Time::new(time.timestamp(), 0);
    git2::Signature::new(&author.name, &author.email, &when).map_err(|e| Error::IdentityMissing {
        detail: Some(format!(
            "'{author}' is not a valid identity: {}",
            e.message()
        )),
    })
}

fn is_contention(error: &git2::Error) -> bool {
    matches!(
        error.code(),
        ErrorCode::Modified | ErrorCode::Exists | ErrorCode::Locked
    )
}

/// Waits before the next attempt: briefly when the ref moved (the next attempt will
/// likely succeed), longer and growing while it is locked. The wait is jittered so
/// writers that collided do not collide again in step.
fn backoff(attempt: u32, locked: bool) {
    let jitter = u64::from(getrandom::u32().unwrap_or(attempt)) % 1000;
    let micros = if locked {
        500 + u64::from(attempt.min(20)) * 500 + jitter * 5
    } else {
        jitter
    };
    std::thread::sleep(Duration::from_micros(micros));
}

fn locked_error(git: &Repository, reference: &str, error: git2::Error) -> Error {
    let lock = git.commondir().join(format!("{reference}.lock"));
    Error::RefLocked {
        reference: reference.to_owned(),
        lock,
        detail: error_detail(&error),
    }
}

/// The error for an object that a log's ref leads to but the repository lacks.
pub(crate) fn missing(reference: &str, object: Oid, error: git2::Error) -> Error {
    Error::MissingObject {
        reference: reference.to_owned(),
        object: object.to_string(),
        detail: error_detail(&error),
    }
}

/// Returns libgit2's message without the trailing `: ` it leaves when the system gave
/// no further cause, as in `failed to lock file '...' for writing: `.
fn error_detail(error: &git2::Error) -> String {
    error
        .message()
        .trim_end()
        .trim_end_matches(':')
        .trim_end()
        .to_owned()
}
