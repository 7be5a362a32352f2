//! `memo status`.

use std::process::ExitCode;

use super::Context;
use crate::check::Severity;
use crate::error::Error;
use crate::memo::Status;
use crate::memo::edit::{self, FieldEdit};
use crate::render::sanitize_line;
use crate::store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The memo: a number, a uid (or a unique prefix of one), a file name or a path.
    pub memo: String,

    /// The new status: draft, review, accepted, rejected, deferred or superseded.
    pub status: String,

    /// Change the status although `memo check` finds errors; needs --reason.
    #[arg(long, requires = "reason")]
    pub force: bool,

    /// Why the check is overridden; recorded in the commit message.
    #[arg(long, value_name = "TEXT", value_parser = parse_reason)]
    pub reason: Option<String>,
}

/// Accepts a reason with at least one visible character, so a forced change never
/// records an empty one.
fn parse_reason(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        return Err("a reason is needed: say in words why the errors may stand".to_owned());
    }
    Ok(value.to_owned())
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
    let status: Status = args.status.parse()?;
    let set = repo.load_memos()?;
    let memo = set.resolve(&repo, &args.memo)?;
    let identity = repo.identity()?;
    repo.commit_branch()?;
    if let Some(error) = memo.unusable_reason() {
        return Err(Error::Parse(error.clone()).into());
    }
    refuse_uncommitted_edits(&repo, memo)?;
    if memo.status() == status.as_str() {
        println!("{} is already {status}", sanitize_line(&memo.label()));
        return Ok(ExitCode::SUCCESS);
    }

    let mut forced = None;
    if status.needs_clean_check() {
        let findings = super::check::check_one(&repo, &set, memo)?;
        let errors: Vec<_> = findings
            .into_iter()
            .filter(|(f, _)| f.severity == Severity::Error)
            .collect();
        if !errors.is_empty() {
            if !args.force {
                let mut out = anstream::stderr();
                let mut summary = crate::check::Summary::default();
                summary.add(&errors.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>());
                crate::check::write_human(&mut out, &errors, &summary)?;
                return Err(Error::invalid_with_hint(
                    format!(
                        "{} cannot move to {status} while `memo check` finds errors",
                        sanitize_line(&memo.label())
                    ),
                    "fix the errors above, or pass --force --reason TEXT to record why they stand",
                )
                .into());
            }
            forced = Some((errors.len(), args.reason.clone().unwrap_or_default()));
        }
    }

    let mut edits = vec![FieldEdit::set("status", status.as_str())];
    if status.is_decided() {
        edits.push(FieldEdit::set(
            "decided",
            crate::clock::format(crate::clock::now()),
        ));
    }
    let absolute = repo.absolute(&memo.path);
    let bytes = std::fs::read(&absolute).map_err(|e| Error::io("read", &absolute, e))?;
    let updated = edit::apply(&memo.path, &bytes, &edits)?;
    store::write_atomic(&absolute, &updated)?;

    let mut message = match memo.number() {
        Some(n) => format!("Set memo {n:04} status to {status}"),
        None => format!("Set {} status to {status}", memo.path.display()),
    };
    if let Some((errors, reason)) = &forced {
        message.push_str(&format!(
            "\n\nForced past {errors} check error{}: {}",
            if *errors == 1 { "" } else { "s" },
            sanitize_line(reason)
        ));
    }
    if let Err(error) = store::commit_paths(&repo, &[memo.path.as_path()], &message, &identity) {
        // Put the file back, so a failed commit leaves no half-done change.
        let _ = store::write_atomic(&absolute, &bytes);
        return Err(error.into());
    }
    println!("{} is now {status}", sanitize_line(&memo.label()));
    Ok(ExitCode::SUCCESS)
}

/// Refuses a memo whose file has changes that are not committed: the status commit
/// would carry them under a message that names only the status, and the check would
/// pass or stop a text that is not the one committed. A memo never committed is
/// committed whole by the status change.
fn refuse_uncommitted_edits(repo: &store::Repo, memo: &crate::memo::Memo) -> crate::Result<()> {
    let committed = repo
        .git
        .head()
        .ok()
        .and_then(|head| head.peel_to_tree().ok())
        .and_then(|tree| tree.get_path(&memo.path).ok())
        .map(|entry| entry.id());
    let Some(committed) = committed else {
        return Ok(());
    };
    let absolute = repo.absolute(&memo.path);
    let bytes = std::fs::read(&absolute).map_err(|e| Error::io("read", &absolute, e))?;
    let current = git2::Oid::hash_object(git2::ObjectType::Blob, &bytes)
        .map_err(|e| Error::git(format!("hash {}", absolute.display()), e))?;
    if current == committed {
        return Ok(());
    }
    let path = sanitize_line(&memo.path.to_string_lossy()).into_owned();
    Err(Error::invalid_with_hint(
        format!(
            "{path} has changes that are not committed; a status change is a commit of its own"
        ),
        format!(
            "commit them first (git commit {path}), or set them aside (git stash), then set the status"
        ),
    ))
}
