//! `memo index`.

use std::process::ExitCode;

use serde::Serialize;

use super::Context;
use crate::error::Error;
use crate::search::{self, IndexStats, watch};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Index every memo again, from an empty index.
    #[arg(long)]
    pub rebuild: bool,

    /// Print what the index holds: memos per status, segments, size on disk.
    #[arg(long)]
    pub stats: bool,

    /// Print the outcome (and the statistics) as a JSON object.
    #[arg(long)]
    pub json: bool,

    /// Run the watcher in the foreground: it follows the memo folder's file events so
    /// that searches need not check every memo file (Linux). Searches start one in the
    /// background on their own at 2,000 memos; MEMO_WATCHER or the git setting
    /// memo.watcher (auto, always, never) changes that.
    #[arg(long, conflicts_with_all = ["rebuild", "stats", "json", "stop_watching"])]
    pub watch: bool,

    /// With --watch: exit after this many seconds without a search.
    #[arg(long, value_name = "SECONDS", requires = "watch", hide = true)]
    pub idle_exit: Option<u64>,

    /// Stop the repository's running watcher.
    #[arg(long, conflicts_with_all = ["rebuild", "stats", "json"])]
    pub stop_watching: bool,
}

/// The object `memo index --json` prints.
#[derive(Debug, Serialize)]
struct Report {
    added: usize,
    updated: usize,
    removed: usize,
    unchanged: usize,
    rebuilt: bool,
    milliseconds: u128,
    #[serde(skip_serializing_if = "Option::is_none")]
    stats: Option<IndexStats>,
    /// The running watcher, with `--stats`; `null` when none runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    watcher: Option<Option<watch::Status>>,
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
    if args.watch {
        return run_watcher(context, &repo, args.idle_exit);
    }
    if args.stop_watching {
        if watch::stop(&repo.data_dir()?) {
            println!("Stopped the watcher.");
        } else {
            println!("No watcher was running.");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let started = std::time::Instant::now();
    let threads = search::threads::for_repo(&repo);
    let (mut index, mut update) = super::search::open_index(&repo, &*threads, args.rebuild)?;
    // Opening reads little of the index, so the checksums are verified before the
    // index is reported up to date.
    if let Err(failure) = index.verify() {
        (index, update) = super::search::rebuild_unreadable_index(&repo, &*threads, &failure)?;
    }
    if let Some(stale) = update.stale {
        return Err(Error::invalid_with_hint(
            stale.replace("; these results may miss its latest changes", ""),
            "try again when it has finished",
        )
        .into());
    }
    let milliseconds = started.elapsed().as_millis();
    let stats = if args.stats {
        Some(index.stats()?)
    } else {
        None
    };

    if args.json {
        super::print_json(&Report {
            added: update.added,
            updated: update.updated,
            removed: update.removed,
            unchanged: update.unchanged,
            rebuilt: args.rebuild || update.rebuilt.is_some(),
            milliseconds,
            watcher: stats
                .is_some()
                .then(|| watch::status(&repo.data_dir().ok()?)),
            stats,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "Index up to date in {milliseconds} ms: {} added, {} updated, {} removed, {} unchanged",
        update.added, update.updated, update.removed, update.unchanged
    );
    if let Some(stats) = stats {
        println!("Location: {}", context.display_path(&stats.location));
        println!("Memos: {}", stats.memos);
        for (status, count) in &stats.statuses {
            println!("  {}: {count}", crate::render::sanitize_line(status));
        }
        println!("Segments: {}", stats.segments);
        println!(
            "Size on disk: {:.1} MiB",
            stats.size_bytes as f64 / (1024.0 * 1024.0)
        );
        println!("Format version: {}", stats.format);
        match watch::status(&repo.data_dir()?) {
            Some(status) => println!(
                "Watcher: running (process {}, following {}, {} watches, {} changes seen)",
                status.pid,
                context.display_path(std::path::Path::new(&status.folder)),
                status.watches,
                status.generation
            ),
            None => println!("Watcher: not running"),
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_watcher(
    context: &Context,
    repo: &crate::store::Repo,
    idle_exit: Option<u64>,
) -> anyhow::Result<ExitCode> {
    let folder = repo.memo_dir();
    let idle = idle_exit.map(std::time::Duration::from_secs);
    if idle.is_none() {
        eprintln!(
            "Watching {} for changes; stop with Ctrl-C or `memo index --stop-watching`.",
            context.display_path(&folder)
        );
    }
    let root = repo.root.clone();
    let configured = move || {
        crate::store::Repo::discover(&root)
            .ok()
            .map(|repo| repo.memo_dir())
    };
    match watch::run(&repo.data_dir()?, &folder, idle, &configured)? {
        watch::Ended::AlreadyRunning => {
            if idle.is_none() {
                eprintln!("Another watcher already runs for this repository.");
            }
        }
        watch::Ended::Stopped => {}
        watch::Ended::Unconfigured => eprintln!(
            "Stopped watching: {} is no longer the memo folder.",
            context.display_path(&folder)
        ),
        watch::Ended::FolderGone => eprintln!(
            "Stopped watching: {} was removed or renamed.",
            context.display_path(&folder)
        ),
    }
    Ok(ExitCode::SUCCESS)
}
