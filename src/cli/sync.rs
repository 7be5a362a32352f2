//! `memo sync`.

use std::process::ExitCode;

use super::Context;
use crate::render::sanitize_line;
use crate::store::sync::{self, BranchOutcome};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The remote: a configured name, a URL or a path. Without it: the branch's
    /// upstream remote, else `origin`, else the only remote.
    pub remote: Option<String>,

    /// Sync only this memo's comments and meetings (its event log), and not the
    /// branch: a number, a uid (or a unique prefix of one), a file name or a path.
    #[arg(long, value_name = "MEMO")]
    pub memo: Option<String>,
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
    // A path is taken relative to where memo was started (or -C), as git takes it.
    let remote = args.remote.map(|r| {
        let path = context.cwd.join(&r);
        if repo.git.find_remote(&r).is_err() && path.exists() {
            path.to_string_lossy().into_owned()
        } else {
            r
        }
    });
    if let Some(reference) = &args.memo {
        let memo = repo.find_memo(reference)?;
        let uid = crate::meeting::memo_uid(&memo)?;
        let report = sync::sync_log(&repo, remote.as_deref(), &uid)?;
        for problem in &report.problems {
            super::warn(&problem.to_string());
        }
        let done = match (report.received, report.pushed) {
            (true, true) => "took new events and pushed",
            (true, false) => "took new events",
            (false, true) => "pushed",
            (false, false) => "up to date",
        };
        println!(
            "Comments of {}: {done} with {}",
            sanitize_line(&memo.path.to_string_lossy()),
            sanitize_line(&report.remote)
        );
        return Ok(ExitCode::SUCCESS);
    }
    let report = sync::sync(&repo, remote.as_deref())?;
    for problem in &report.problems {
        super::warn(&problem.to_string());
    }

    let remote = sanitize_line(&report.remote);
    println!(
        "Comments: {} log(s) on {remote}; {} took new events, {} merged, {} pushed",
        report.remote_logs, report.fast_forwarded, report.merged, report.pushed
    );
    if let Some(status) = &report.branch_rejected {
        super::warn(&format!(
            "{remote} rejected the branch: {}; push it with git once that is fixed",
            sanitize_line(status)
        ));
    }
    let pushed = if report.branch_pushed { "; pushed" } else { "" };
    match &report.branch {
        BranchOutcome::Skipped => println!("Memo files: not synced (no branch is checked out)"),
        BranchOutcome::NotOnRemote if report.branch_pushed => {
            println!("Memo files: pushed to {remote}")
        }
        BranchOutcome::NotOnRemote => {
            println!("Memo files: {remote} has no such branch yet, and it was not pushed")
        }
        BranchOutcome::UpToDate => println!("Memo files: up to date{pushed}"),
        BranchOutcome::FastForwarded { to, .. } => println!(
            "Memo files: fast-forwarded to {}{pushed}",
            &to.to_string()[..12]
        ),
        BranchOutcome::Merged { commit } => println!(
            "Memo files: merged in commit {}{pushed}",
            &commit.to_string()[..12]
        ),
        BranchOutcome::NotMerged { reason, paths } => {
            let mut lines = paths.clone();
            lines.push("merge by hand with `git pull`, or commit or stash your changes and run `memo sync` again".to_owned());
            super::warn_with_lines(
                &format!("memo files not synced: {reason}; the work tree is unchanged"),
                &lines,
            );
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}
