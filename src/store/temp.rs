//! Names of memo's temporary files, and removing those a killed process left behind.
//!
//! [`super::write_atomic`] writes into `.memo-<pid>-<random>.tmp` beside the target
//! and renames it over the target. A process killed between the two steps leaves that
//! file behind. The process id in the name distinguishes an abandoned file (its writer
//! has exited) from one a running memo process is about to rename, so only abandoned
//! files are removed, and never a file memo did not name.

use std::path::Path;

const PREFIX: &str = ".memo-";
const SUFFIX: &str = ".tmp";

/// Returns the prefix of this process's temporary file names.
pub(super) fn prefix() -> String {
    format!("{PREFIX}{}-", std::process::id())
}

pub(super) const fn suffix() -> &'static str {
    SUFFIX
}

/// Returns the process id a temporary file name of memo carries, or `None` for a name
/// memo did not give.
fn writer_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (pid, random) = rest.split_once('-')?;
    if random.is_empty() || !random.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    pid.parse().ok()
}

/// Returns whether a process with this id is running.
#[cfg(unix)]
fn is_running(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        // The process exists but belongs to another user.
        Err(e) => e == rustix::io::Errno::PERM,
    }
}

/// Without a way to ask, every writer counts as running, so nothing is removed.
#[cfg(not(unix))]
fn is_running(_pid: u32) -> bool {
    true
}

/// Removes the temporary files in `dir` whose writer is no longer running and returns
/// how many it removed. A folder that cannot be read is left alone.
pub fn remove_abandoned_temp_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.filter_map(std::result::Result::ok) {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(writer_pid) else {
            continue;
        };
        if pid == std::process::id() || is_running(pid) {
            continue;
        }
        let path = entry.path();
        match std::fs::remove_file(&path) {
            Ok(()) => {
                tracing::info!(path = %path.display(), pid, "removed an abandoned temporary file");
                removed += 1;
            }
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "could not remove an abandoned temporary file");
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_memo_names_carry_a_writer() {
        assert_eq!(writer_pid(".memo-4242-a1B2c3.tmp"), Some(4242));
        assert_eq!(writer_pid(".tmpAb12Cd"), None);
        assert_eq!(writer_pid(".memo-4242-.tmp"), None);
        assert_eq!(writer_pid(".memo-x-a1.tmp"), None);
        assert_eq!(writer_pid("0001-memo-1-a.tmp"), None);
        assert_eq!(writer_pid(".memo-12-ab.md"), None);
    }

    #[test]
    fn abandoned_files_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        let ended = child.id();
        child.wait().expect("wait");
        let abandoned = dir.path().join(format!(".memo-{ended}-abc123.tmp"));
        let live = dir.path().join(format!("{}abc123{SUFFIX}", prefix()));
        let foreign = dir.path().join(".tmpabc123");
        for path in [&abandoned, &live, &foreign] {
            std::fs::write(path, "x").expect("write");
        }
        assert_eq!(remove_abandoned_temp_files(dir.path()), 1);
        assert!(!abandoned.exists());
        assert!(live.exists());
        assert!(foreign.exists());
    }
}
