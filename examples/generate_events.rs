//! Adds comment threads to the memos of a repository, for benchmarks.
//!
//! Usage: `cargo run --release --example generate_events -- REPO EVENTS [BIG_MEMO_COMMENTS] [SEED]`
//!
//! Writes about EVENTS events through the same log API `memo comment` uses, one append
//! per user action (a thread opened with its first comment, or one reply), so the
//! repository ends up with the commits and objects real use leaves. When
//! BIG_MEMO_COMMENTS is given, the first memo gets that many comments (in threads of
//! ten) on quotes of its text, and the rest of the events are spread over the other
//! memos. SEED varies the comment texts and authors, so two runs on clones of one
//! repository write different events.

use std::path::Path;

use chrono::{DateTime, Utc};
use memo::anchor::{Anchor, Target};
use memo::events::{Author, EventLog, NewEvent};
use memo::store::Repo;
use memo::thread::fold::{COMMENT_ADDED, CommentAdded, THREAD_OPENED, ThreadOpened};

const AUTHORS: [(&str, &str); 4] = [
    ("Priya Raman", "priya.raman@example.com"),
    ("Tomás Ortega", "tomas.ortega@example.com"),
    ("Mei Lin", "mei.lin@example.com"),
    ("Kwame Mensah", "kwame.mensah@example.com"),
];

/// Comments per thread: the opening one and nine replies.
const THREAD_SIZE: usize = 10;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (dir, events, big, seed) = match args.as_slice() {
        [_, dir, events] => (dir, events.parse::<usize>()?, 0usize, 0usize),
        [_, dir, events, big] => (dir, events.parse()?, big.parse()?, 0),
        [_, dir, events, big, seed] => (dir, events.parse()?, big.parse()?, seed.parse()?),
        _ => return Err("usage: generate_events REPO EVENTS [BIG_MEMO_COMMENTS] [SEED]".into()),
    };
    let repo = Repo::discover(Path::new(dir))?;
    let memos = repo.load_memos()?.memos;
    if memos.is_empty() {
        return Err(format!("{dir} holds no memos").into());
    }
    let time: DateTime<Utc> = memo::clock::now();

    let mut written = 0;
    let mut appends = 0;
    // The big memo: BIG_MEMO_COMMENTS comments on quotes of its text.
    if big > 0 {
        let memo = &memos[0];
        let threads = big.div_ceil(THREAD_SIZE);
        let (n, a) = add_threads(&repo, memo, threads, THREAD_SIZE, seed, time)?;
        written += n;
        appends += a;
    }
    // The rest spread evenly: threads of one opening comment and ten replies.
    let others = if big > 0 { &memos[1..] } else { &memos[..] };
    let remaining = events.saturating_sub(written);
    let per_memo = remaining / others.len().max(1);
    for (i, memo) in others.iter().enumerate() {
        let mut budget = per_memo + usize::from(i < remaining % others.len().max(1));
        while budget >= 2 {
            // A thread costs two events, each reply one.
            let replies = (budget - 2).min(10);
            let (n, a) = add_threads(&repo, memo, 1, replies + 1, seed + i, time)?;
            written += n;
            appends += a;
            budget -= n;
        }
    }
    println!(
        "{written} events in {appends} appends over {} memos",
        memos.len()
    );
    Ok(())
}

/// Adds `threads` threads of `size` comments to a memo; returns events and appends.
fn add_threads(
    repo: &Repo,
    memo: &memo::memo::Memo,
    threads: usize,
    size: usize,
    seed: usize,
    time: DateTime<Utc>,
) -> Result<(usize, usize), Box<dyn std::error::Error>> {
    let uid = memo.uid().ok_or("memo without uid")?;
    let log = EventLog::open(&repo.git, uid)?;
    let (target, commit) = memo::thread::memo_target(repo, memo)?;
    let quotes = quote_ranges(&target);
    let path = memo.path.to_string_lossy().into_owned();
    let (mut events, mut appends) = (0, 0);
    for t in 0..threads {
        let anchor = match quotes.get((t * 7 + seed) % quotes.len().max(1)) {
            Some(range) if !quotes.is_empty() => {
                Anchor::quote(&target, range.clone(), &path, commit.clone())
            }
            _ => Anchor::memo(&target, &path, commit.clone()),
        };
        let open = NewEvent::new(THREAD_OPENED, ThreadOpened { anchor });
        let thread = open.id.clone();
        let first = comment(&thread, seed, t, 0);
        log.append(&author(seed + t), time, &[open, first])?;
        events += 2;
        appends += 1;
        for c in 1..size {
            log.append(&author(seed + t + c), time, &[comment(&thread, seed, t, c)])?;
            events += 1;
            appends += 1;
        }
    }
    Ok((events, appends))
}

fn comment(thread: &str, seed: usize, t: usize, c: usize) -> NewEvent {
    NewEvent::new(
        COMMENT_ADDED,
        CommentAdded {
            thread: thread.to_owned(),
            body: format!(
                "Comment {c} of thread {t} (run {seed}): what does this cost, and who owns the rollout?"
            ),
        },
    )
}

fn author(n: usize) -> Author {
    let (name, email) = AUTHORS[n % AUTHORS.len()];
    Author {
        name: name.to_owned(),
        email: email.to_owned(),
    }
}

/// Returns the ranges of the body's lines that read as prose, to quote.
fn quote_ranges(target: &Target<'_>) -> Vec<std::ops::Range<usize>> {
    let text = target.text();
    let mut ranges = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_end();
        if start >= target.body_offset()
            && trimmed.len() > 40
            && trimmed.chars().next().is_some_and(char::is_alphabetic)
        {
            ranges.push(start..start + trimmed.len());
        }
    }
    ranges
}
