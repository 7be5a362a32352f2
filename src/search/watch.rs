//! The watcher: a background process that follows the memo folder through the
//! kernel's file events, so that a search learns that nothing changed without
//! stat'ing every memo file.
//!
//! At 10,000 memos the stat calls were a third of a search's CPU time. With a watcher,
//! a search requests a token from it: the watcher's instance id and the number of event
//! batches it has read. The search compares the token with the token recorded in the index state
//! before the scan behind that state. Equal tokens mean no memo file or attachment
//! was created, written, touched, renamed or removed since that scan started, and the
//! search skips the scan. Any other response, or none, leads to the usual scan, which
//! records the new token.
//!
//! The exchange is one line each way over a Unix socket in `.git/memo/`:
//!
//! - `check FOLDER` gets the reply `token INSTANCE GENERATION` when the watcher
//!   follows FOLDER, else `elsewhere`. Before it replies, the watcher reads every
//!   event the kernel has queued, so a change that finished before the request was
//!   sent is counted in the reply;
//! - `status` gets `status PID INSTANCE GENERATION WATCHES FOLDER`;
//! - `stop` gets `stopping`, and the watcher exits.
//!
//! One watcher runs per repository, guarded by an operating system file lock that dies
//! with its holder, so a killed watcher needs no cleanup: the next search gets no
//! reply, scans, and starts another. A watcher exits when the memo folder is removed
//! or renamed, when its socket is removed, and after 30 minutes without requests
//! when it was started automatically. File events exist on Linux only; elsewhere every
//! search scans.

use std::path::Path;
use std::time::Duration;

use crate::error::{Error, Result};

/// A watcher's reply to `check`: its instance id and the number of event batches it
/// has read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Token {
    pub instance: u128,
    pub generation: u64,
}

/// A running watcher, as `status` describes it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Status {
    pub pid: u32,
    pub generation: u64,
    pub watches: usize,
    pub folder: String,
}

/// When a watcher is started automatically, set by `MEMO_WATCHER` or the git setting
/// `memo.watcher`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// For a memo folder of at least [`AUTO_MIN_FILES`] memos.
    Auto,
    Always,
    Never,
}

/// The number of memo files from which the stat calls cost more than a request to
/// a watcher (an estimate from the benchmark machine: about 1 ms against 0.1 ms).
pub const AUTO_MIN_FILES: usize = 2000;

/// How long an automatically started watcher waits for a request before it exits.
pub const AUTO_IDLE_EXIT: Duration = Duration::from_secs(30 * 60);

const SOCKET_FILE: &str = "watcher.sock";
const LOCK_FILE: &str = "watcher.lock";
const LOG_FILE: &str = "watcher.log";
/// Touched at each automatic start, so a watcher that cannot run is not started again
/// by every search.
const STARTED_FILE: &str = "watcher.started";
const RESTART_AFTER: Duration = Duration::from_secs(60);
/// How long a search waits for a reply before it scans instead.
const REPLY_TIMEOUT: Duration = Duration::from_millis(50);

impl Mode {
    /// Reads the setting: `MEMO_WATCHER` first, then git's `memo.watcher`.
    pub fn read(git: &git2::Repository) -> std::result::Result<Mode, String> {
        let (source, value) = match std::env::var("MEMO_WATCHER") {
            Ok(value) => ("MEMO_WATCHER", value),
            Err(_) => match git.config().and_then(|c| c.get_string("memo.watcher")) {
                Ok(value) => ("the git setting memo.watcher", value),
                Err(_) => return Ok(Mode::Auto),
            },
        };
        Mode::parse(&value).ok_or_else(|| {
            format!("{source} is {value:?}; expected auto, always or never (the watcher stays off)")
        })
    }

    fn parse(value: &str) -> Option<Mode> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "auto" => Some(Mode::Auto),
            "always" | "true" | "on" | "yes" | "1" => Some(Mode::Always),
            "never" | "false" | "off" | "no" | "0" => Some(Mode::Never),
            _ => None,
        }
    }

    /// Returns whether `MEMO_WATCHER` turns the watcher off, so that a search does not
    /// use one that is running either. Git's setting is not read here: that costs
    /// more than the request it would spare.
    pub fn never_by_env() -> bool {
        std::env::var("MEMO_WATCHER").is_ok_and(|v| Mode::parse(&v) == Some(Mode::Never))
    }

    /// Returns whether a folder of `files` memos wants a watcher.
    pub fn wants(self, files: usize) -> bool {
        match self {
            Mode::Auto => files >= AUTO_MIN_FILES,
            Mode::Always => true,
            Mode::Never => false,
        }
    }
}

/// Requests the token of the repository's watcher; `None` when no watcher replies
/// for `folder` in time.
pub fn request_token(data: &Path, folder: &Path) -> Option<Token> {
    let mut line = b"check ".to_vec();
    line.extend_from_slice(path_bytes(folder)?);
    line.push(b'\n');
    let response = imp::request(data, &line).ok()?;
    let mut words = response.strip_prefix("token ")?.trim_end().split(' ');
    let instance = u128::from_str_radix(words.next()?, 16).ok()?;
    let generation = words.next()?.parse().ok()?;
    Some(Token {
        instance,
        generation,
    })
}

/// Returns the running watcher's status, or `None` when none replies.
pub fn status(data: &Path) -> Option<Status> {
    let response = imp::request(data, b"status\n").ok()?;
    let rest = response.strip_prefix("status ")?.trim_end_matches('\n');
    let mut words = rest.splitn(5, ' ');
    let pid = words.next()?.parse().ok()?;
    let _instance = words.next()?;
    let generation = words.next()?.parse().ok()?;
    let watches = words.next()?.parse().ok()?;
    let folder = words.next()?.to_owned();
    Some(Status {
        pid,
        generation,
        watches,
        folder,
    })
}

/// Requests the running watcher to exit and returns whether one replied.
pub fn stop(data: &Path) -> bool {
    imp::request(data, b"stop\n").is_ok_and(|response| response.starts_with("stopping"))
}

/// Starts a watcher in the background for `root`'s repository, unless one was started
/// in the last minute (a watcher that cannot run is not retried by every search). The
/// watcher's errors go to `.git/memo/watcher.log`.
pub fn start(data: &Path, root: &Path) -> Result<()> {
    if !imp::SUPPORTED {
        return Ok(());
    }
    let started = data.join(STARTED_FILE);
    let recent = std::fs::metadata(&started)
        .and_then(|m| m.modified())
        .is_ok_and(|time| time.elapsed().is_ok_and(|age| age < RESTART_AFTER));
    if recent {
        return Ok(());
    }
    std::fs::write(&started, b"").map_err(|e| Error::io("write", &started, e))?;

    let exe = std::env::current_exe().map_err(|e| Error::io("find", "the memo program", e))?;
    let log_path = data.join(LOG_FILE);
    let log = std::fs::File::create(&log_path).map_err(|e| Error::io("create", &log_path, e))?;
    let mut command = std::process::Command::new(exe);
    command
        .args([
            "index",
            "--watch",
            "--idle-exit",
            &AUTO_IDLE_EXIT.as_secs().to_string(),
        ])
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(log);
    imp::detach(&mut command);

    let mut child = command
        .spawn()
        .map_err(|e| Error::io("start", "the watcher", e))?;
    tracing::debug!(pid = child.id(), "started a watcher");
    // A long-lived caller (the terminal UI) reaps it; a short one exits first and
    // leaves it to init.
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// The reason a watcher run ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// Another watcher has the repository's lock.
    AlreadyRunning,
    /// Stopped on request, idle for too long, or its socket was removed.
    Stopped,
    /// The memo folder was removed or renamed.
    FolderGone,
    /// The repository's settings name another memo folder now.
    Unconfigured,
}

/// A function that returns the memo folder the repository's settings name now, or
/// `None` when they cannot be read.
pub type Configured<'a> = dyn Fn() -> Option<std::path::PathBuf> + 'a;

/// Runs a watcher for `folder` in this process until it is stopped, idle for
/// `idle_exit`, or the folder goes away or stops being the configured one.
pub fn run(
    data: &Path,
    folder: &Path,
    idle_exit: Option<Duration>,
    configured: &Configured<'_>,
) -> Result<Ended> {
    imp::run(data, folder, idle_exit, configured)
}

fn path_bytes(path: &Path) -> Option<&[u8]> {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str());
    #[cfg(not(unix))]
    let bytes = path.to_str()?.as_bytes();
    // The exchange is line-based.
    (!bytes.contains(&b'\n')).then_some(bytes)
}

#[cfg(target_os = "linux")]
mod imp {
    use std::collections::{HashMap, HashSet};
    use std::ffi::OsStr;
    use std::io::{BufRead, Read, Write};
    use std::mem::MaybeUninit;
    use std::os::fd::OwnedFd;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::net::{UnixListener, UnixStream};
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    use rustix::fs::inotify::{self, CreateFlags, ReadFlags, WatchFlags};

    use super::{Configured, Ended, LOCK_FILE, REPLY_TIMEOUT, SOCKET_FILE};
    use crate::error::{Error, Result};
    use crate::search::scan::{ATTACHMENT_MAX_DEPTH, is_text_attachment, list_folder};

    pub const SUPPORTED: bool = true;

    /// The maximum length of a socket path used as it is. A socket address has room
    /// for 108 bytes, so longer paths go through `/proc/self/fd`.
    const SHORT_PATH: usize = 100;
    /// How often an idle watcher checks that its socket is still its own.
    const TICK: Duration = Duration::from_secs(10);

    /// Builds the address of the socket in `data`, with the folder handle it may go
    /// through.
    fn address(data: &Path) -> std::io::Result<(PathBuf, Option<OwnedFd>)> {
        let path = data.join(SOCKET_FILE);
        if path.as_os_str().len() <= SHORT_PATH {
            return Ok((path, None));
        }
        let dir = rustix::fs::open(
            data,
            rustix::fs::OFlags::PATH | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )?;
        let fd = std::os::fd::AsRawFd::as_raw_fd(&dir);
        Ok((
            PathBuf::from(format!("/proc/self/fd/{fd}/{SOCKET_FILE}")),
            Some(dir),
        ))
    }

    /// Sends one line and returns the reply, waiting at most [`REPLY_TIMEOUT`]
    /// for each step.
    pub fn request(data: &Path, line: &[u8]) -> std::io::Result<String> {
        use rustix::net::{AddressFamily, SocketAddrUnix, SocketFlags, SocketType};

        let (path, _dir) = address(data)?;
        let socket = rustix::net::socket_with(
            AddressFamily::UNIX,
            SocketType::STREAM,
            SocketFlags::CLOEXEC | SocketFlags::NONBLOCK,
            None,
        )?;
        // Non-blocking, so a watcher that stopped accepting fails the connect at once
        // instead of holding the search.
        rustix::net::connect(&socket, &SocketAddrUnix::new(path.as_path())?)?;
        let stream = UnixStream::from(socket);
        stream.set_nonblocking(false)?;
        stream.set_read_timeout(Some(REPLY_TIMEOUT))?;
        stream.set_write_timeout(Some(REPLY_TIMEOUT))?;
        (&stream).write_all(line)?;
        let mut response = String::new();
        (&stream).take(4096).read_to_string(&mut response)?;
        Ok(response)
    }

    pub fn detach(command: &mut std::process::Command) {
        // A group of its own keeps the terminal's Ctrl-C for the command that started it.
        std::os::unix::process::CommandExt::process_group(command, 0);
    }

    /// File systems whose changes can come from other machines, which no local file
    /// event reports: NFS, SMB, CIFS, SMB2, FUSE, 9P and AFS (from `linux/magic.h`).
    const REMOTE_FILE_SYSTEMS: [u64; 7] = [
        0x6969,
        0x517b,
        0xff53_4d42,
        0xfe53_4d42,
        0x6573_5546,
        0x0102_1997,
        0x5346_414f,
    ];

    const FOLDER_EVENTS: WatchFlags = WatchFlags::CREATE
        .union(WatchFlags::DELETE)
        .union(WatchFlags::MODIFY)
        .union(WatchFlags::ATTRIB)
        .union(WatchFlags::CLOSE_WRITE)
        .union(WatchFlags::MOVED_FROM)
        .union(WatchFlags::MOVED_TO)
        .union(WatchFlags::DELETE_SELF)
        .union(WatchFlags::MOVE_SELF)
        .union(WatchFlags::DONT_FOLLOW)
        .union(WatchFlags::ONLYDIR)
        .union(WatchFlags::EXCL_UNLINK);

    /// A folder watch reports a write only when it goes through a name in that folder.
    /// So each memo and attachment file is watched itself too, and a write through
    /// another hard link, or a new hard link, reaches the file's own watch.
    const FILE_EVENTS: WatchFlags = WatchFlags::MODIFY
        .union(WatchFlags::ATTRIB)
        .union(WatchFlags::CLOSE_WRITE)
        .union(WatchFlags::DONT_FOLLOW);

    /// The kind of thing a watch descriptor follows.
    #[derive(Clone, Debug)]
    enum Watched {
        /// The memo folder.
        Folder,
        /// A folder of an attachment tree, with its depth (the attachment folder is 0).
        Tree(PathBuf, usize),
        /// A memo file or an attachment file.
        File,
    }

    /// A folder entry an event named, to watch if it is new.
    struct Named {
        parent: Watched,
        name: std::ffi::OsString,
        is_folder: bool,
    }

    struct Watcher {
        folder: PathBuf,
        inotify: OwnedFd,
        watches: HashMap<i32, Watched>,
        root: i32,
        instance: u128,
        generation: u64,
        folder_gone: bool,
        buffer: Vec<MaybeUninit<u8>>,
    }

    impl Watcher {
        fn new(folder: &Path) -> Result<Watcher> {
            let folder = folder
                .canonicalize()
                .map_err(|e| Error::io("open", folder, e))?;
            let kind = rustix::fs::statfs(&folder)
                .map_err(|e| Error::io("read", &folder, e.into()))?
                .f_type as u64;
            if REMOTE_FILE_SYSTEMS.contains(&kind) {
                return Err(Error::invalid_with_hint(
                    format!(
                        "{} is on a network file system (type {kind:#x}), whose changes from \
                         other machines raise no file events",
                        folder.display()
                    ),
                    "searches check every memo file instead; set MEMO_WATCHER=never to stop \
                     trying",
                ));
            }
            let inotify = inotify::init(CreateFlags::CLOEXEC | CreateFlags::NONBLOCK)
                .map_err(|e| Error::io("watch", &folder, e.into()))?;
            let mut watcher = Watcher {
                folder: folder.clone(),
                inotify,
                watches: HashMap::new(),
                root: -1,
                instance: ulid::Ulid::generate().0,
                generation: 0,
                folder_gone: false,
                buffer: vec![MaybeUninit::uninit(); 64 * 1024],
            };
            watcher.root = watcher
                .add(&folder, FOLDER_EVENTS, Watched::Folder)?
                .ok_or_else(|| Error::invalid(format!("cannot watch {}", folder.display())))?;
            watcher.add_folder_contents()?;
            Ok(watcher)
        }

        /// Adds a watch, or returns `None` when the path is gone or may not be read. The
        /// second case is logged, and a later permission change raises an event that
        /// makes the watcher try again.
        fn add(&mut self, path: &Path, events: WatchFlags, kind: Watched) -> Result<Option<i32>> {
            match inotify::add_watch(&self.inotify, path, events) {
                Ok(wd) => {
                    self.watches.insert(wd, kind);
                    Ok(Some(wd))
                }
                Err(rustix::io::Errno::NOSPC) => Err(Error::invalid_with_hint(
                    format!(
                        "the system's limit of inotify watches is reached at {}",
                        path.display()
                    ),
                    "raise fs.inotify.max_user_watches (sysctl), or set MEMO_WATCHER=never",
                )),
                Err(rustix::io::Errno::NOENT | rustix::io::Errno::NOTDIR) => Ok(None),
                Err(e) => {
                    tracing::warn!(path = %path.display(), "could not watch: {e}");
                    Ok(None)
                }
            }
        }

        /// Watches every memo file and attachment tree of the memo folder, as the
        /// scan lists them.
        fn add_folder_contents(&mut self) -> Result<()> {
            let Ok((files, _)) = list_folder(&self.folder) else {
                return Ok(());
            };
            for name in files {
                self.add(&self.folder.join(name), FILE_EVENTS, Watched::File)?;
            }
            for name in self.attachment_folders() {
                self.add_tree(&self.folder.join(name), 0)?;
            }
            Ok(())
        }

        /// Watches a folder of an attachment tree, its text files and its subfolders,
        /// as deep as the index reads them.
        fn add_tree(&mut self, path: &Path, depth: usize) -> Result<()> {
            if depth > ATTACHMENT_MAX_DEPTH {
                return Ok(());
            }
            let tree = Watched::Tree(path.to_owned(), depth);
            if self.add(path, FOLDER_EVENTS, tree)?.is_none() {
                return Ok(());
            }
            let Ok(entries) = std::fs::read_dir(path) else {
                return Ok(());
            };
            for entry in entries.filter_map(std::result::Result::ok) {
                match entry.file_type() {
                    Ok(kind) if kind.is_dir() => self.add_tree(&entry.path(), depth + 1)?,
                    Ok(kind) if kind.is_file() && is_text_attachment(&entry.path()) => {
                        self.add(&entry.path(), FILE_EVENTS, Watched::File)?;
                    }
                    _ => {}
                }
            }
            Ok(())
        }

        /// Returns the subfolders of the memo folder that contain a memo's attachments:
        /// those named like a memo file beside them, whatever the case of its
        /// extension.
        fn attachment_folders(&self) -> Vec<String> {
            let Ok((files, folders)) = list_folder(&self.folder) else {
                return Vec::new();
            };
            let stems: HashSet<&str> = files
                .iter()
                .filter_map(|name| Path::new(name).file_stem()?.to_str())
                .collect();
            folders
                .into_iter()
                .filter(|name| stems.contains(name.as_str()))
                .collect()
        }

        fn is_attachment_folder(&self, name: &OsStr) -> bool {
            self.attachment_folders()
                .iter()
                .any(|folder| OsStr::new(folder) == name)
        }

        /// Reads every queued event. Any event moves the generation; new files and
        /// folders, and folders whose permissions changed, are watched before the next
        /// reply.
        fn drain(&mut self) -> Result<()> {
            let mut buffer = std::mem::take(&mut self.buffer);
            let mut named = Vec::new();
            let mut seen = false;
            let mut overflowed = false;
            {
                let mut reader = inotify::Reader::new(&self.inotify, &mut buffer);
                loop {
                    let event = match reader.next() {
                        Ok(event) => event,
                        Err(rustix::io::Errno::WOULDBLOCK) => break,
                        Err(rustix::io::Errno::INTR) => continue,
                        Err(e) => return Err(Error::io("watch", &self.folder, e.into())),
                    };
                    seen = true;
                    let flags = event.events();
                    if flags.contains(ReadFlags::QUEUE_OVERFLOW) {
                        // Creations may be among the lost events.
                        overflowed = true;
                        continue;
                    }
                    if event.wd() == self.root
                        && flags.intersects(
                            ReadFlags::DELETE_SELF | ReadFlags::MOVE_SELF | ReadFlags::IGNORED,
                        )
                    {
                        self.folder_gone = true;
                        continue;
                    }
                    if flags.contains(ReadFlags::IGNORED) {
                        self.watches.remove(&event.wd());
                        continue;
                    }
                    let watchable = ReadFlags::CREATE | ReadFlags::MOVED_TO | ReadFlags::ATTRIB;
                    if let Some(name) = event.file_name()
                        && flags.intersects(watchable)
                        && let Some(parent) = self.watches.get(&event.wd())
                        && !matches!(parent, Watched::File)
                    {
                        named.push(Named {
                            parent: parent.clone(),
                            name: OsStr::from_bytes(name.to_bytes()).to_owned(),
                            is_folder: flags.contains(ReadFlags::ISDIR),
                        });
                    }
                }
            }
            self.buffer = buffer;
            if seen {
                self.generation += 1;
            }
            if overflowed {
                self.add_folder_contents()?;
            }
            for entry in named {
                self.watch_named(entry)?;
            }
            Ok(())
        }

        /// Watches a folder entry that was created, moved in, or whose permissions
        /// changed, if the index reads it.
        fn watch_named(&mut self, entry: Named) -> Result<()> {
            let Named {
                parent,
                name,
                is_folder,
            } = entry;
            match parent {
                Watched::Folder if is_folder => {
                    if self.is_attachment_folder(&name) {
                        self.add_tree(&self.folder.join(&name), 0)?;
                    }
                }
                Watched::Folder => {
                    let path = self.folder.join(&name);
                    if crate::memo::is_markdown(&path) {
                        self.add(&path, FILE_EVENTS, Watched::File)?;
                        // A memo file whose attachment folder already exists.
                        if let Some(stem) = path.file_stem() {
                            let folder = self.folder.join(stem);
                            if folder.is_dir() {
                                self.add_tree(&folder, 0)?;
                            }
                        }
                    }
                }
                Watched::Tree(parent, depth) if is_folder => {
                    self.add_tree(&parent.join(&name), depth + 1)?;
                }
                Watched::Tree(parent, _) => {
                    let path = parent.join(&name);
                    if is_text_attachment(&path) {
                        self.add(&path, FILE_EVENTS, Watched::File)?;
                    }
                }
                Watched::File => {}
            }
            Ok(())
        }

        /// Replies to one request and returns why the watcher should stop, if it should.
        fn reply_to(
            &mut self,
            stream: UnixStream,
            configured: &Configured<'_>,
        ) -> Result<Option<Ended>> {
            let _ = stream.set_nonblocking(false);
            let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
            let _ = stream.set_write_timeout(Some(Duration::from_millis(500)));
            let mut line = Vec::new();
            if std::io::BufReader::new((&stream).take(4096))
                .read_until(b'\n', &mut line)
                .is_err()
            {
                return Ok(None);
            }
            let line = line.strip_suffix(b"\n").unwrap_or(&line);
            self.drain()?;
            let (reply, stop) = if let Some(folder) = line.strip_prefix(b"check ") {
                if self.folder_gone {
                    ("elsewhere\n".to_owned(), Some(Ended::FolderGone))
                } else if self.follows(Path::new(OsStr::from_bytes(folder))) {
                    (
                        format!("token {:x} {}\n", self.instance, self.generation),
                        None,
                    )
                } else {
                    // Another work tree of the repository, or the memo folder setting
                    // changed: in the second case this watcher gives way.
                    let still = configured().is_some_and(|current| self.follows(&current));
                    (
                        "elsewhere\n".to_owned(),
                        (!still).then_some(Ended::Unconfigured),
                    )
                }
            } else if line == b"status" {
                (
                    format!(
                        "status {} {:x} {} {} {}\n",
                        std::process::id(),
                        self.instance,
                        self.generation,
                        self.watches.len(),
                        self.folder.display()
                    ),
                    None,
                )
            } else if line == b"stop" {
                ("stopping\n".to_owned(), Some(Ended::Stopped))
            } else {
                ("unknown\n".to_owned(), None)
            };
            let _ = (&stream).write_all(reply.as_bytes());
            Ok(stop)
        }

        fn follows(&self, folder: &Path) -> bool {
            folder == self.folder || folder.canonicalize().is_ok_and(|f| f == self.folder)
        }
    }

    pub fn run(
        data: &Path,
        folder: &Path,
        idle_exit: Option<Duration>,
        configured: &Configured<'_>,
    ) -> Result<Ended> {
        use rustix::event::{PollFd, PollFlags, Timespec};

        let lock_path = data.join(LOCK_FILE);
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| Error::io("open", &lock_path, e))?;
        match rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(rustix::io::Errno::WOULDBLOCK) => return Ok(Ended::AlreadyRunning),
            Err(e) => return Err(Error::io("lock", &lock_path, e.into())),
        }
        // Watches go in before the socket exists, so every token sent covers
        // every change that follows it.
        let mut watcher = Watcher::new(folder)?;
        let (path, _dir) = address(data).map_err(|e| Error::io("open", data, e))?;
        let socket_path = data.join(SOCKET_FILE);
        // Whatever is at the socket's path belongs to a watcher that is gone: the lock
        // is ours.
        let _ = std::fs::remove_file(&socket_path);
        let listener = UnixListener::bind(&path).map_err(|e| Error::io("listen on", &path, e))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::io("listen on", &path, e))?;
        let socket_inode = std::fs::symlink_metadata(&socket_path)
            .map_err(|e| Error::io("read", &socket_path, e))?
            .ino();
        tracing::info!(
            folder = %watcher.folder.display(),
            watches = watcher.watches.len(),
            "watching"
        );
        let mut last_request = Instant::now();
        let ended = loop {
            let (inotify_ready, listener_ready) = {
                let mut fds = [
                    PollFd::new(&watcher.inotify, PollFlags::IN),
                    PollFd::new(&listener, PollFlags::IN),
                ];
                let tick = Timespec {
                    tv_sec: TICK.as_secs() as i64,
                    tv_nsec: 0,
                };
                match rustix::event::poll(&mut fds, Some(&tick)) {
                    Ok(_) | Err(rustix::io::Errno::INTR) => {}
                    Err(e) => return Err(Error::io("watch", &watcher.folder, e.into())),
                }
                (!fds[0].revents().is_empty(), !fds[1].revents().is_empty())
            };
            if inotify_ready {
                watcher.drain()?;
            }
            let mut stop = None;
            if listener_ready {
                while let Ok((stream, _)) = listener.accept() {
                    last_request = Instant::now();
                    if let Some(why) = watcher.reply_to(stream, configured)? {
                        stop = Some(why);
                    }
                }
            }
            if let Some(why) = stop {
                break why;
            }
            if watcher.folder_gone {
                break Ended::FolderGone;
            }
            let ours =
                std::fs::symlink_metadata(&socket_path).is_ok_and(|m| m.ino() == socket_inode);
            if !ours || idle_exit.is_some_and(|idle| last_request.elapsed() >= idle) {
                break Ended::Stopped;
            }
        };
        if std::fs::symlink_metadata(&socket_path).is_ok_and(|m| m.ino() == socket_inode) {
            let _ = std::fs::remove_file(&socket_path);
        }
        drop(lock);
        Ok(ended)
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use std::path::Path;
    use std::time::Duration;

    use super::{Configured, Ended};
    use crate::error::{Error, Result};

    pub const SUPPORTED: bool = false;

    pub fn request(_data: &Path, _line: &[u8]) -> std::io::Result<String> {
        Err(std::io::ErrorKind::Unsupported.into())
    }

    pub fn detach(_command: &mut std::process::Command) {}

    pub fn run(
        _data: &Path,
        _folder: &Path,
        _idle_exit: Option<Duration>,
        _configured: &Configured<'_>,
    ) -> Result<Ended> {
        Err(Error::invalid(
            "the watcher follows file events on Linux only; searches check every memo file",
        ))
    }
}
