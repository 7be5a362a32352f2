//! `memo index`.

use std::process::ExitCode;

use serde::Serialize;

use super::Context;
use crate::error::Error;
use crate::search::{self, IndexStats};

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
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
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
    }
    Ok(ExitCode::SUCCESS)
}
