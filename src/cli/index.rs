//! `memo index`.

use std::process::ExitCode;

use super::Context;
use crate::search::SearchIndex;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Delete the index and build it again from the memo files.
    #[arg(long)]
    pub rebuild: bool,

    /// Print what the index holds.
    #[arg(long)]
    pub stats: bool,
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
    if args.rebuild {
        SearchIndex::remove(&repo)?;
    }
    let started = std::time::Instant::now();
    let (index, stats) = SearchIndex::open_updated(&repo, &mut |error| {
        super::warn(&format!("{error}; indexed with what could be read"));
    })?;
    if let Some(notice) = &stats.rebuilt {
        super::warn(notice);
    }
    println!(
        "Index up to date in {} ms: {} added, {} updated, {} removed, {} unchanged",
        started.elapsed().as_millis(),
        stats.added,
        stats.updated,
        stats.removed,
        stats.unchanged
    );
    if args.stats {
        println!("Location: {}", index.dir().display());
        println!("Memos: {}", index.len()?);
        for (status, count) in index.status_counts()? {
            println!("  {status}: {count}");
        }
        let size: u64 = walk_size(index.dir());
        println!("Size on disk: {:.1} MiB", size as f64 / (1024.0 * 1024.0));
    }
    Ok(ExitCode::SUCCESS)
}

fn walk_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => walk_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}
