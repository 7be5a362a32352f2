//! The record of each memo file the index was built from, so that unchanged files are
//! neither read nor hashed again.
//!
//! The state lives beside the index in `memo-state`. It is read before every search,
//! so it is a binary file that the check walks in place, without building a string
//! per memo. At 10,000 memos, parsing a line-based text format took about 5 ms and
//! checking this one takes about 0.5 ms (release build, the benchmark machine).
//! Layout, all integers little-endian:
//!
//! ```text
//! header   "memostat" (8 bytes), version u32, memo count u32, subfolder count u32,
//!          flags u32 (bit 0: the folder stat is set), scanned_ns i64, documents u64,
//!          folder stat (size u64, modified_ns i64, inode u64), refs count u32,
//!          4 bytes of padding, 4 stats of the comment refs (unused ones zero),
//!          watcher flags u32 (bit 0: a watcher token is set), 4 bytes of padding,
//!          watcher instance u128, watcher generation u64
//! memos    count × 64-byte records: size u64, modified_ns i64, inode u64,
//!          then (offset u32, length u32) of path, blob, uid and inputs in the
//!          string table, then flags u32 (bit 0: indexed, bit 1: has uid,
//!          bit 2: has inputs) and 4 bytes of padding
//! folders  subfolder count × (offset u32, length u32)
//! strings  UTF-8 text the records point into
//! ```
//!
//! The watcher token is the one the watcher gave before the scan behind this state
//! started (see `watch.rs`). Records are sorted by path. A file that fails any check (magic, version, sizes,
//! offsets, UTF-8) reads as missing, which makes the next update rebuild the state
//! from the index.

use std::collections::BTreeMap;
use std::path::Path;

use super::watch::Token;
use crate::error::Result;
use crate::store::write_atomic;

const STATE_FILE: &str = "memo-state";
const VERSION_FILE: &str = "memo-format";
const MAGIC: &[u8; 8] = b"memostat";
const STATE_VERSION: u32 = 3;
/// The maximum number of comment ref stats a state records.
pub const MAX_REFS: usize = 4;
const REFS_AT: usize = 64;
const WATCH_AT: usize = REFS_AT + 8 + MAX_REFS * 24;
const HEADER_BYTES: usize = WATCH_AT + 32;
const RECORD_BYTES: usize = 64;

/// A file's size, modification time and inode: when all three match the recorded
/// ones, the file is taken as unchanged without reading it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stat {
    pub size: u64,
    /// Nanoseconds since the Unix epoch; 0 when unknown.
    pub modified_ns: i64,
    /// 0 where the platform has no inode numbers.
    pub inode: u64,
}

impl Stat {
    pub fn from_metadata(metadata: &std::fs::Metadata) -> Stat {
        let modified_ns = metadata
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(metadata);
        #[cfg(not(unix))]
        let inode = 0;
        Stat {
            size: metadata.len(),
            modified_ns,
            inode,
        }
    }
}

/// The time before a scan within which a modification makes its stat untrusted.
/// Two seconds covers the coarsest common file systems, FAT (2 s) and HFS+ (1 s). On
/// ext4, tmpfs and APFS it costs re-hashing only the files saved in the last 2 s.
pub const RACY_MARGIN_NS: i64 = 2_000_000_000;

/// Returns whether a stat recorded by a scan that started at `scanned_ns` can be
/// trusted to show a later change: a file modified just before the scan may have been
/// modified again within the file system's timestamp resolution.
pub fn is_settled(scanned_ns: i64, stat: &Stat) -> bool {
    stat.modified_ns != 0 && stat.modified_ns < scanned_ns.saturating_sub(RACY_MARGIN_NS)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoState {
    pub stat: Stat,
    /// The git blob id of the content that was indexed.
    pub blob: String,
    /// Whether the index contains a document for this file.
    pub indexed: bool,
    /// The memo's uid in ASCII upper case, as comment logs are keyed.
    pub uid: Option<String>,
    /// Fingerprint of the memo's attachments and comment thread, `None` when it has
    /// neither.
    pub inputs: Option<String>,
}

/// The state as owned data, for building and saving.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexState {
    /// When the scan behind this state started, in nanoseconds since the Unix epoch.
    pub scanned_ns: i64,
    /// The memo folder's stat when its entries were listed.
    pub folder: Option<Stat>,
    /// Subfolders of the memo folder (attachment folders), by name.
    pub subfolders: Vec<String>,
    /// Number of documents in the index when the state was written.
    pub documents: u64,
    /// The stats the comment store gave as its fingerprint at the scan (see
    /// `ThreadSource::fingerprint`), at most [`MAX_REFS`].
    pub refs: Vec<Stat>,
    /// The watcher's token from before the scan, when a watcher replied.
    pub watch: Option<Token>,
    /// Keyed by the memo path relative to the repository root, with `/` separators.
    pub memos: BTreeMap<String, MemoState>,
}

impl IndexState {
    pub fn save(&self, dir: &Path) -> Result<()> {
        write_atomic(&dir.join(STATE_FILE), &self.encode())
    }

    fn encode(&self) -> Vec<u8> {
        let mut strings = String::new();
        let mut span = |text: &str| -> [u32; 2] {
            let offset = strings.len() as u32;
            strings.push_str(text);
            [offset, text.len() as u32]
        };
        let mut records = Vec::with_capacity(self.memos.len() * RECORD_BYTES);
        for (path, memo) in &self.memos {
            put_u64(&mut records, memo.stat.size);
            put_u64(&mut records, memo.stat.modified_ns as u64);
            put_u64(&mut records, memo.stat.inode);
            for text in [
                path.as_str(),
                memo.blob.as_str(),
                memo.uid.as_deref().unwrap_or(""),
                memo.inputs.as_deref().unwrap_or(""),
            ] {
                let [offset, length] = span(text);
                put_u32(&mut records, offset);
                put_u32(&mut records, length);
            }
            let flags = u32::from(memo.indexed)
                | u32::from(memo.uid.is_some()) << 1
                | u32::from(memo.inputs.is_some()) << 2;
            put_u32(&mut records, flags);
            put_u32(&mut records, 0);
        }
        let mut folders = Vec::with_capacity(self.subfolders.len() * 8);
        for name in &self.subfolders {
            let [offset, length] = span(name);
            put_u32(&mut folders, offset);
            put_u32(&mut folders, length);
        }

        let mut out =
            Vec::with_capacity(HEADER_BYTES + records.len() + folders.len() + strings.len());
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, STATE_VERSION);
        put_u32(&mut out, self.memos.len() as u32);
        put_u32(&mut out, self.subfolders.len() as u32);
        put_u32(&mut out, u32::from(self.folder.is_some()));
        put_u64(&mut out, self.scanned_ns as u64);
        put_u64(&mut out, self.documents);
        let folder = self.folder.unwrap_or_default();
        put_u64(&mut out, folder.size);
        put_u64(&mut out, folder.modified_ns as u64);
        put_u64(&mut out, folder.inode);
        let refs = &self.refs[..self.refs.len().min(MAX_REFS)];
        put_u32(&mut out, refs.len() as u32);
        put_u32(&mut out, 0);
        for slot in 0..MAX_REFS {
            let stat = refs.get(slot).copied().unwrap_or_default();
            put_u64(&mut out, stat.size);
            put_u64(&mut out, stat.modified_ns as u64);
            put_u64(&mut out, stat.inode);
        }
        let watch = self.watch.unwrap_or_default();
        put_u32(&mut out, u32::from(self.watch.is_some()));
        put_u32(&mut out, 0);
        out.extend_from_slice(&watch.instance.to_le_bytes());
        put_u64(&mut out, watch.generation);
        out.extend_from_slice(&records);
        out.extend_from_slice(&folders);
        out.extend_from_slice(strings.as_bytes());
        out
    }
}

fn put_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_u64(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// Returns the memo and subfolder counts of a header, after checking its magic and
/// version.
fn counts(bytes: &[u8]) -> Option<(usize, usize)> {
    let valid =
        bytes.len() >= HEADER_BYTES && &bytes[..8] == MAGIC && get_u32(bytes, 8) == STATE_VERSION;
    valid.then(|| (get_u32(bytes, 12) as usize, get_u32(bytes, 16) as usize))
}

/// Returns where the string table starts.
fn table_offset(memos: usize, subfolders: usize) -> Option<usize> {
    HEADER_BYTES
        .checked_add(memos.checked_mul(RECORD_BYTES)?)?
        .checked_add(subfolders.checked_mul(8)?)
}

fn get_u32(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(word)
}

fn get_u64(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

/// The fixed-size start of a state file. With the watcher's token it shows that
/// nothing changed, without reading the records of every memo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    bytes: Vec<u8>,
}

impl Header {
    /// Reads and checks the header; `None` when the state is missing or damaged.
    /// Returns the state file's identity too (see [`identity`]).
    pub fn read(dir: &Path) -> Option<(Header, Stat)> {
        use std::io::Read;

        let mut file = std::fs::File::open(dir.join(STATE_FILE)).ok()?;
        let identity = Stat::from_metadata(&file.metadata().ok()?);
        let mut bytes = vec![0; HEADER_BYTES];
        file.read_exact(&mut bytes).ok()?;
        counts(&bytes)?;
        Some((Header { bytes }, identity))
    }

    pub fn documents(&self) -> u64 {
        get_u64(&self.bytes, 32)
    }

    pub fn watch(&self) -> Option<Token> {
        header_watch(&self.bytes)
    }

    pub fn refs_unchanged(&self, refs: &[Stat]) -> bool {
        header_refs_unchanged(&self.bytes, refs)
    }
}

fn header_refs(bytes: &[u8]) -> Vec<Stat> {
    let count = (get_u32(bytes, REFS_AT) as usize).min(MAX_REFS);
    (0..count)
        .map(|slot| {
            let at = REFS_AT + 8 + slot * 24;
            Stat {
                size: get_u64(bytes, at),
                modified_ns: get_u64(bytes, at + 8) as i64,
                inode: get_u64(bytes, at + 16),
            }
        })
        .collect()
}

/// Returns whether `refs` equal the recorded ones, recorded long enough after their
/// last change to be trusted (see [`is_settled`]).
fn header_refs_unchanged(bytes: &[u8], refs: &[Stat]) -> bool {
    let recorded = header_refs(bytes);
    let scanned_ns = get_u64(bytes, 24) as i64;
    recorded == refs
        && recorded
            .iter()
            .all(|s| s.modified_ns == 0 || is_settled(scanned_ns, s))
}

fn header_watch(bytes: &[u8]) -> Option<Token> {
    let mut instance = [0; 16];
    instance.copy_from_slice(&bytes[WATCH_AT + 8..WATCH_AT + 24]);
    (get_u32(bytes, WATCH_AT) & 1 == 1).then(|| Token {
        instance: u128::from_le_bytes(instance),
        generation: get_u64(bytes, WATCH_AT + 24),
    })
}

/// The state file as read, checked once so that its records can be walked in place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateFile {
    /// The header and the fixed-size records.
    bytes: Vec<u8>,
    memos: usize,
    subfolders: usize,
    /// The string table, checked as UTF-8 once.
    strings: String,
}

/// One memo of a [`StateFile`], borrowed from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    pub path: &'a str,
    pub stat: Stat,
    pub blob: &'a str,
    pub indexed: bool,
    pub uid: Option<&'a str>,
    pub inputs: Option<&'a str>,
}

impl Entry<'_> {
    pub fn to_memo_state(self) -> MemoState {
        MemoState {
            stat: self.stat,
            blob: self.blob.to_owned(),
            indexed: self.indexed,
            uid: self.uid.map(str::to_owned),
            inputs: self.inputs.map(str::to_owned),
        }
    }
}

/// Returns the identity of the state file: its stat, which changes with every save
/// because a save replaces the file. A search compares the identity taken before it
/// opened the index with that of the state it checked against. Equal identities mean
/// the index is at least as new as that state.
pub fn identity(dir: &Path) -> Option<Stat> {
    std::fs::symlink_metadata(dir.join(STATE_FILE))
        .ok()
        .map(|metadata| Stat::from_metadata(&metadata))
}

impl StateFile {
    /// Reads and checks the state; `None` when it is missing or damaged.
    pub fn read(dir: &Path) -> Option<StateFile> {
        StateFile::read_with_identity(dir).map(|(state, _)| state)
    }

    /// Reads and checks the state, and returns its identity (see [`identity`]).
    pub fn read_with_identity(dir: &Path) -> Option<(StateFile, Stat)> {
        use std::io::Read;

        // The records and the string table are read into separate buffers, so the
        // table becomes a `String` without a copy.
        let mut file = std::fs::File::open(dir.join(STATE_FILE)).ok()?;
        let identity = Stat::from_metadata(&file.metadata().ok()?);
        let mut bytes = vec![0; HEADER_BYTES];
        file.read_exact(&mut bytes).ok()?;
        let (memos, subfolders) = counts(&bytes)?;
        let table = table_offset(memos, subfolders)?;
        // A damaged count must not make this allocate more than the file holds.
        if table as u64 > file.metadata().ok()?.len() {
            return None;
        }
        bytes.resize(table, 0);
        file.read_exact(&mut bytes[HEADER_BYTES..]).ok()?;
        let mut strings = String::new();
        file.read_to_string(&mut strings).ok()?;
        StateFile::check(bytes, strings).map(|state| (state, identity))
    }

    /// Returns an owned state in the form the check reads.
    pub fn from_state(state: &IndexState) -> StateFile {
        StateFile::decode(state.encode()).unwrap_or_else(|| StateFile {
            bytes: Vec::new(),
            memos: 0,
            subfolders: 0,
            strings: String::new(),
        })
    }

    fn decode(mut bytes: Vec<u8>) -> Option<StateFile> {
        let (memos, subfolders) = counts(&bytes)?;
        let table = table_offset(memos, subfolders)?;
        if bytes.len() < table {
            return None;
        }
        let strings = String::from_utf8(bytes.split_off(table)).ok()?;
        StateFile::check(bytes, strings)
    }

    /// Checks every span of the records against the string table.
    fn check(bytes: Vec<u8>, strings: String) -> Option<StateFile> {
        let (memos, subfolders) = counts(&bytes)?;
        if bytes.len() != table_offset(memos, subfolders)? {
            return None;
        }
        let valid = |offset: u32, length: u32| {
            let start = offset as usize;
            start
                .checked_add(length as usize)
                .is_some_and(|end| strings.get(start..end).is_some())
        };
        for i in 0..memos {
            let record = HEADER_BYTES + i * RECORD_BYTES;
            for field in 0..4 {
                let at = record + 24 + field * 8;
                if !valid(get_u32(&bytes, at), get_u32(&bytes, at + 4)) {
                    return None;
                }
            }
        }
        for i in 0..subfolders {
            let at = HEADER_BYTES + memos * RECORD_BYTES + i * 8;
            if !valid(get_u32(&bytes, at), get_u32(&bytes, at + 4)) {
                return None;
            }
        }
        let file = StateFile {
            bytes,
            memos,
            subfolders,
            strings,
        };
        // Sorted, distinct paths are what the check's side-by-side walk relies on.
        let sorted = (1..memos).all(|i| file.path(i - 1) < file.path(i));
        sorted.then_some(file)
    }

    fn text(&self, at: usize) -> &str {
        let start = get_u32(&self.bytes, at) as usize;
        let end = start + get_u32(&self.bytes, at + 4) as usize;
        // `check` proved every span lies on character boundaries of the table.
        self.strings.get(start..end).unwrap_or("")
    }

    pub fn scanned_ns(&self) -> i64 {
        get_u64(&self.bytes, 24) as i64
    }

    pub fn documents(&self) -> u64 {
        get_u64(&self.bytes, 32)
    }

    pub fn folder(&self) -> Option<Stat> {
        (get_u32(&self.bytes, 20) & 1 == 1).then(|| Stat {
            size: get_u64(&self.bytes, 40),
            modified_ns: get_u64(&self.bytes, 48) as i64,
            inode: get_u64(&self.bytes, 56),
        })
    }

    pub fn len(&self) -> usize {
        self.memos
    }

    /// Returns the stats of the comment refs recorded with the state.
    pub fn refs(&self) -> Vec<Stat> {
        header_refs(&self.bytes)
    }

    /// Returns whether `refs` equal the recorded ones, recorded long enough after their
    /// last change to be trusted (see [`is_settled`]).
    pub fn refs_unchanged(&self, refs: &[Stat]) -> bool {
        header_refs_unchanged(&self.bytes, refs)
    }

    /// Returns the watcher token recorded with the state.
    pub fn watch(&self) -> Option<Token> {
        header_watch(&self.bytes)
    }

    /// Returns the comment log heads recorded in the memos' inputs, keyed by uid.
    pub fn heads(&self) -> BTreeMap<String, String> {
        (0..self.memos)
            .filter(|&i| self.has_inputs(i))
            .filter_map(|i| {
                let entry = self.entry(i);
                let head = entry.inputs?.split_once('t')?.1;
                Some((entry.uid?.to_owned(), head.to_owned()))
            })
            .collect()
    }

    /// Returns the uid of memo `index`, in ASCII upper case.
    pub fn uid(&self, index: usize) -> Option<&str> {
        let at = HEADER_BYTES + index * RECORD_BYTES;
        (get_u32(&self.bytes, at + 56) & 2 != 0).then(|| self.text(at + 40))
    }

    /// Returns the inputs fingerprint of memo `index`.
    pub fn inputs(&self, index: usize) -> Option<&str> {
        let at = HEADER_BYTES + index * RECORD_BYTES;
        (get_u32(&self.bytes, at + 56) & 4 != 0).then(|| self.text(at + 48))
    }

    /// Returns the path of memo `index`, without decoding the rest of its record.
    pub fn path(&self, index: usize) -> &str {
        self.text(HEADER_BYTES + index * RECORD_BYTES + 24)
    }

    /// Returns the stat of memo `index`, without decoding the rest of its record.
    pub fn stat(&self, index: usize) -> Stat {
        let at = HEADER_BYTES + index * RECORD_BYTES;
        Stat {
            size: get_u64(&self.bytes, at),
            modified_ns: get_u64(&self.bytes, at + 8) as i64,
            inode: get_u64(&self.bytes, at + 16),
        }
    }

    /// Returns whether memo `index` has a document in the index.
    pub fn is_indexed(&self, index: usize) -> bool {
        get_u32(&self.bytes, HEADER_BYTES + index * RECORD_BYTES + 56) & 1 != 0
    }

    /// Returns whether memo `index` has an inputs fingerprint.
    pub fn has_inputs(&self, index: usize) -> bool {
        get_u32(&self.bytes, HEADER_BYTES + index * RECORD_BYTES + 56) & 4 != 0
    }

    pub fn entry(&self, index: usize) -> Entry<'_> {
        let at = HEADER_BYTES + index * RECORD_BYTES;
        let flags = get_u32(&self.bytes, at + 56);
        Entry {
            path: self.text(at + 24),
            stat: Stat {
                size: get_u64(&self.bytes, at),
                modified_ns: get_u64(&self.bytes, at + 8) as i64,
                inode: get_u64(&self.bytes, at + 16),
            },
            blob: self.text(at + 32),
            indexed: flags & 1 != 0,
            uid: (flags & 2 != 0).then(|| self.text(at + 40)),
            inputs: (flags & 4 != 0).then(|| self.text(at + 48)),
        }
    }

    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        (0..self.memos).map(|i| self.entry(i))
    }

    pub fn subfolders(&self) -> Vec<String> {
        let start = HEADER_BYTES + self.memos * RECORD_BYTES;
        (0..self.subfolders)
            .map(|i| self.text(start + i * 8).to_owned())
            .collect()
    }

    /// Returns the state as owned data.
    pub fn to_state(&self) -> IndexState {
        IndexState {
            scanned_ns: self.scanned_ns(),
            folder: self.folder(),
            subfolders: self.subfolders(),
            documents: self.documents(),
            refs: self.refs(),
            watch: self.watch(),
            memos: self
                .entries()
                .map(|e| (e.path.to_owned(), e.to_memo_state()))
                .collect(),
        }
    }
}

pub fn read_version(dir: &Path) -> Option<u32> {
    std::fs::read_to_string(dir.join(VERSION_FILE))
        .ok()
        .and_then(|s| s.trim().parse().ok())
}

pub fn write_version(dir: &Path, version: u32) -> Result<()> {
    write_atomic(&dir.join(VERSION_FILE), format!("{version}\n").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> IndexState {
        let mut state = IndexState {
            scanned_ns: 1_767_000_000_000_000_000,
            folder: Some(Stat {
                size: 4096,
                modified_ns: 1_766_000_000_000_000_000,
                inode: 12,
            }),
            subfolders: vec!["0001-queue".to_owned(), "odd\tname\n".to_owned()],
            documents: 1,
            refs: vec![
                Stat {
                    size: 10,
                    modified_ns: 20,
                    inode: 30,
                },
                Stat::default(),
            ],
            watch: Some(Token {
                instance: u128::MAX - 7,
                generation: 42,
            }),
            memos: BTreeMap::new(),
        };
        state.memos.insert(
            "memos/0001-queue.md".to_owned(),
            MemoState {
                stat: Stat {
                    size: 812,
                    modified_ns: 1_766_000_000_000_000_001,
                    inode: 99,
                },
                blob: "3b18e512dba79e4c8300dd08aeb37f8e728b8dad".to_owned(),
                indexed: true,
                uid: Some("01J0 \"quoted\" ü".to_owned()),
                inputs: Some("a1b2t3c4d".to_owned()),
            },
        );
        state.memos.insert(
            "memos/file with\ttab.md".to_owned(),
            MemoState {
                stat: Stat::default(),
                blob: String::new(),
                indexed: false,
                uid: Some(String::new()),
                inputs: None,
            },
        );
        state
    }

    #[test]
    fn state_round_trips() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let state = sample();
        state.save(dir.path()).expect("save");
        let file = StateFile::read(dir.path()).expect("read");
        assert_eq!(file.to_state(), state);
        assert_eq!(file.entry(1).uid, Some(""));
        assert_eq!(file.entry(1).inputs, None);
        assert_eq!(file.uid(0), Some("01J0 \"quoted\" ü"));
        assert_eq!(file.inputs(1), None);
        let heads = file.heads();
        assert_eq!(
            heads.get("01J0 \"quoted\" ü").map(String::as_str),
            Some("3c4d")
        );
        assert_eq!(heads.len(), 1);

        let (header, identity) = Header::read(dir.path()).expect("header");
        assert_eq!(Some(identity), super::identity(dir.path()));
        assert_eq!(header.watch(), state.watch);
        assert_eq!(header.documents(), 1);
        assert!(header.refs_unchanged(&state.refs));
        assert!(!header.refs_unchanged(&state.refs[..1]));
    }

    #[test]
    fn state_without_watcher_token_has_none() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let state = IndexState {
            watch: None,
            ..sample()
        };
        state.save(dir.path()).expect("save");
        assert_eq!(Header::read(dir.path()).expect("header").0.watch(), None);
        assert_eq!(StateFile::read(dir.path()).expect("read").watch(), None);
    }

    #[test]
    fn damaged_state_reads_as_missing() {
        let good = sample().encode();
        // Every truncation and every single-byte change either reads as missing or
        // reads as some state; none panics.
        for cut in 0..good.len() {
            let _ = StateFile::decode(good[..cut].to_vec());
        }
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] ^= 0xFF;
            let _ = StateFile::decode(bad);
        }
        assert!(StateFile::decode(good[..HEADER_BYTES + 10].to_vec()).is_none());
        // A damaged count reads as missing, without a huge allocation.
        let dir = tempfile::tempdir().expect("temporary folder");
        let mut huge = good.clone();
        huge[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
        std::fs::write(dir.path().join(STATE_FILE), huge).expect("write");
        assert!(StateFile::read(dir.path()).is_none());
        assert!(StateFile::decode(b"{\"files\":{}}".to_vec()).is_none());
        let mut wrong_version = good.clone();
        wrong_version[8] = 9;
        assert!(StateFile::decode(wrong_version).is_none());
    }

    #[test]
    fn recent_stats_are_not_settled() {
        let scanned = 10 * RACY_MARGIN_NS;
        let old = Stat {
            modified_ns: scanned - RACY_MARGIN_NS - 1,
            ..Stat::default()
        };
        let recent = Stat {
            modified_ns: scanned - 1,
            ..Stat::default()
        };
        assert!(is_settled(scanned, &old));
        assert!(!is_settled(scanned, &recent));
        assert!(!is_settled(scanned, &Stat::default()));
    }
}
