//! `memo hook`: a git pre-commit hook that runs `memo check --staged`.
//!
//! The hook is a small shell script in git's hooks folder. A `pre-commit` hook that
//! was there before is never overwritten: it is renamed to
//! `pre-commit.before-memo`, and memo's hook runs it first and stops when it fails.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Context;
use crate::error::{Error, Result};
use crate::store::Repo;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Install a pre-commit hook that checks the staged memos, keeping any hook that is
    /// already there.
    Install,
    /// Remove memo's pre-commit hook and put back the hook it replaced.
    Uninstall,
}

/// The line that marks a hook as memo's.
const MARKER: &str = "# memo-hook: pre-commit";
const HOOK: &str = "pre-commit";
/// The name an existing hook is kept under.
const CHAINED: &str = "pre-commit.before-memo";

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
    let dir = hooks_dir(&repo)?;
    let message = match args.action {
        Action::Install => install(&dir)?,
        Action::Uninstall => uninstall(&dir)?,
    };
    println!("{message}");
    Ok(ExitCode::SUCCESS)
}

/// Returns the folder git runs hooks from: `core.hooksPath` when set (relative to the
/// work tree root), else `hooks/` in the repository's git folder.
fn hooks_dir(repo: &Repo) -> Result<PathBuf> {
    let config = repo
        .git
        .config()
        .map_err(|e| Error::git("read the git configuration", e))?;
    match config.get_path("core.hooksPath") {
        Ok(path) if path.is_absolute() => Ok(path),
        Ok(path) => Ok(repo.root.join(path)),
        Err(_) => Ok(repo.git.commondir().join("hooks")),
    }
}

fn is_memo_hook(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| text.contains(MARKER))
}

fn install(dir: &Path) -> Result<String> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    let hook = dir.join(HOOK);
    let chained = dir.join(CHAINED);
    let script = script()?;

    if hook.exists() && !is_memo_hook(&hook) {
        if chained.exists() {
            return Err(Error::invalid_with_hint(
                format!(
                    "both {} and {} exist, and neither is memo's hook",
                    hook.display(),
                    chained.display()
                ),
                "merge them into one pre-commit hook, then run `memo hook install` again",
            ));
        }
        std::fs::rename(&hook, &chained).map_err(|e| Error::io("rename", &hook, e))?;
    } else if std::fs::read_to_string(&hook).is_ok_and(|text| text == script) {
        return Ok(format!(
            "memo's pre-commit hook is already installed in {}",
            dir.display()
        ));
    }

    crate::store::write_atomic(&hook, script.as_bytes())?;
    make_executable(&hook)?;
    let mut message = format!("installed memo's pre-commit hook in {}", dir.display());
    if chained.exists() {
        message.push_str(&format!(
            "; it runs the earlier hook, now {}, first",
            chained.display()
        ));
    }
    Ok(message)
}

fn uninstall(dir: &Path) -> Result<String> {
    let hook = dir.join(HOOK);
    let chained = dir.join(CHAINED);
    if !hook.exists() {
        return Ok(format!("no pre-commit hook in {}", dir.display()));
    }
    if !is_memo_hook(&hook) {
        return Err(Error::invalid_with_hint(
            format!(
                "{} is not memo's hook; it was left in place",
                hook.display()
            ),
            "remove it by hand if you mean to",
        ));
    }
    std::fs::remove_file(&hook).map_err(|e| Error::io("remove", &hook, e))?;
    if chained.exists() {
        std::fs::rename(&chained, &hook).map_err(|e| Error::io("rename", &chained, e))?;
        return Ok(format!(
            "removed memo's pre-commit hook and put back the earlier one in {}",
            hook.display()
        ));
    }
    Ok(format!(
        "removed memo's pre-commit hook from {}",
        dir.display()
    ))
}

/// Returns the hook script. It calls the binary that installed it while that binary
/// exists, else the `memo` on `PATH`.
fn script() -> Result<String> {
    let exe = std::env::current_exe().map_err(|e| Error::io("find", "the memo binary", e))?;
    let exe = exe.to_string_lossy().replace('\'', "'\\''");
    Ok(format!(
        "#!/bin/sh\n\
         {MARKER}\n\
         # Checks the memos staged for this commit; installed by `memo hook install`,\n\
         # removed by `memo hook uninstall`. Skip it once with `git commit --no-verify`.\n\
         hook_dir=$(dirname \"$0\")\n\
         if [ -x \"$hook_dir/{CHAINED}\" ]; then\n\
         \x20   \"$hook_dir/{CHAINED}\" \"$@\" || exit $?\n\
         fi\n\
         memo_bin='{exe}'\n\
         if [ ! -x \"$memo_bin\" ]; then\n\
         \x20   memo_bin=memo\n\
         fi\n\
         exec \"$memo_bin\" check --staged\n"
    ))
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;

    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| Error::io("make executable", path, e))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<()> {
    Ok(())
}
