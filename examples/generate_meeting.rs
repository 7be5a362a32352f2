//! Holds a meeting on one memo of a repository, for benchmarks.
//!
//! Usage: `cargo run --release --example generate_meeting -- REPO MEMO READERS PROGRESS`
//!
//! Starts a meeting on MEMO (a number, uid or path) through the same functions
//! `memo meet` uses, lets READERS readers join, writes PROGRESS progress events for
//! each (the throttle allows about 60 in a 30-minute read), marks them done and moves
//! the meeting to discussion. It prints the meeting's id. Times are fixed, one second
//! apart, from 2026-03-02 09:00 UTC.

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use memo::meeting::{self, Progress};
use memo::store::{Identity, Repo};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, reference, readers, progress] = args.as_slice() else {
        return Err("usage: generate_meeting REPO MEMO READERS PROGRESS".into());
    };
    let readers: usize = readers.parse()?;
    let progress: usize = progress.parse()?;
    let repo = Repo::discover(Path::new(dir))?;
    let memo = repo.find_memo(reference)?;
    let start: DateTime<Utc> = "2026-03-02T09:00:00Z".parse()?;
    let person = |n: usize| Identity {
        name: format!("Reader {n}"),
        email: format!("reader{n}@example.com"),
        committer: None,
    };
    let facilitator = Identity {
        name: "Facilitator".to_owned(),
        email: "facilitator@example.com".to_owned(),
        committer: None,
    };

    let mut clock = start;
    let mut tick = || {
        clock += Duration::seconds(1);
        clock
    };
    let started = meeting::start(&repo, &memo, Some(30), &facilitator, tick())?;
    for reader in 0..readers {
        meeting::join(&repo, &started, &person(reader), tick())?;
    }
    let sections: Vec<String> = memo
        .outline
        .sections
        .iter()
        .map(|s| s.heading.clone())
        .collect();
    for step in 1..=progress {
        for reader in 0..readers {
            let section = sections
                .get(step * sections.len().max(1) / progress.max(1))
                .or(sections.last())
                .cloned()
                .into_iter()
                .collect();
            let report = Progress {
                meeting: started.id.clone(),
                section,
                percent: u8::try_from(step * 100 / progress).unwrap_or(100),
                active_seconds: (step * 30) as u64,
            };
            let done = step == progress;
            meeting::record_progress(&repo, &started, report, done, &person(reader), tick())?;
        }
    }
    meeting::move_to_discussion(&repo, &started, &facilitator, false, tick())?;
    println!("{}", started.id);
    Ok(())
}
