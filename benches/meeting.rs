//! Speed of the meeting screen: opening it, a frame when nothing changed, and a frame
//! after another participant's event arrived, next to the plain reader on the same memo.
//!
//! Run through `benches/meetings.sh`, which builds the repository and the meeting
//! first, or directly: `cargo bench --bench meeting -- REPO MEMO_UID MEETING_ID`.
//! Every figure is the median of several runs in this process, on ratatui's test
//! backend at 120 by 40 cells, with a clock that moves one second per frame.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use memo::clock::{Clock, ManualClock};
use memo::events::{Author, EventLog, NewEvent};
use memo::meeting::Zone;
use memo::store::Repo;
use memo::thread::fold::{COMMENT_ADDED, CommentAdded};
use memo::tui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [root, uid, meeting_id] = args.as_slice() else {
        eprintln!("usage: cargo bench --bench meeting -- REPO MEMO_UID MEETING_ID");
        return Ok(());
    };
    let root = PathBuf::from(root);
    let clock = ManualClock::new("2026-03-02T09:10:00Z".parse()?);
    let open = || {
        App::meeting(
            Repo::discover(&root).expect("repository"),
            uid,
            meeting_id,
            Arc::new(clock.clone()),
            Zone::utc(),
        )
        .expect("meeting screen")
    };

    // Opening: read the log, fold the meeting, read the revision, place the threads.
    // The first opening reads every event from git; later ones in this process find
    // the log read before (`EventLog::read` keeps the last few).
    let started = Instant::now();
    drop(open());
    println!(
        "open the meeting screen, first in the process: {}",
        ms(started.elapsed())
    );
    let mut samples = Vec::new();
    for _ in 0..9 {
        let started = Instant::now();
        let app = open();
        samples.push(started.elapsed());
        drop(app);
    }
    println!("open the meeting screen again: {}", ms(median(samples)));

    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT))?;
    let mut app = open();
    app.tick();
    terminal.draw(|f| app.draw(f))?;

    // A frame when nothing changed: the tick compares the log's head and the clock.
    let mut samples = Vec::new();
    for _ in 0..200 {
        clock.advance(chrono::Duration::seconds(1));
        let started = Instant::now();
        app.tick();
        terminal.draw(|f| app.draw(f))?;
        samples.push(started.elapsed());
    }
    let unchanged = median(samples);
    println!("meeting frame, nothing changed: {}", ms(unchanged));

    // The peer: a reader frame on the same memo, which neither ticks nor reads the log.
    let mut reader = open();
    reader.view = memo::tui::app::View::Reader;
    reader.reader = reader.meeting.as_ref().map(|m| {
        let mut state = memo::tui::reader::ReaderState::new(m.reader.memo.clone());
        state.threads = m.reader.threads.clone();
        state
    });
    terminal.draw(|f| reader.draw(f))?;
    let mut samples = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        terminal.draw(|f| reader.draw(f))?;
        samples.push(started.elapsed());
    }
    let plain = median(samples);
    println!("reader frame (peer): {}", ms(plain));

    // A frame after another participant's comment: the log is read and folded again
    // and the threads placed again.
    let git = Repo::discover(&root)?;
    let log = EventLog::open(&git.git, uid)?;
    let thread = memo::thread::load(&git.git, uid)?
        .threads
        .first()
        .map(|t| t.id.clone())
        .ok_or("the memo has no thread to reply to")?;
    let author = Author {
        name: "Late Reader".to_owned(),
        email: "late@example.com".to_owned(),
    };
    let mut samples = Vec::new();
    for n in 0..30 {
        let reply = NewEvent::new(
            COMMENT_ADDED,
            CommentAdded {
                thread: thread.clone(),
                body: format!("Reply {n} written while the meeting runs."),
            },
        );
        log.append(&author, clock.now(), &[reply])?;
        clock.advance(chrono::Duration::seconds(1));
        let started = Instant::now();
        app.tick();
        terminal.draw(|f| app.draw(f))?;
        samples.push(started.elapsed());
    }
    let refreshed = median(samples);
    println!("meeting frame after a new event: {}", ms(refreshed));
    println!(
        "ratios: unchanged/reader {:.2}, new event/reader {:.1}",
        unchanged.as_secs_f64() / plain.as_secs_f64(),
        refreshed.as_secs_f64() / plain.as_secs_f64()
    );
    Ok(())
}
