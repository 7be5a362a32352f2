//! Speed of the terminal UI: first frame of the library, redraw of a large memo and
//! keystroke to updated search results.
//!
//! Run through `benches/tui.sh`, which generates the 10,000-memo repository first, or
//! directly: `cargo bench --bench tui -- REPO MEMO_FILE`. Every figure is the median of
//! several runs, measured in this process on ratatui's test backend at 120 by 40 cells,
//! so terminal output time is not included.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use memo::memo::Memo;
use memo::store::Repo;
use memo::tui::App;
use memo::tui::app::Action;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

/// Queries typed into the library's search, one key at a time.
const QUERIES: [&str; 5] = [
    "trait objects",
    "borrow checker",
    "async closures",
    "unsafe",
    "postgres",
];

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal")
}

/// Opens the library and draws its first frame; the index is brought up to date first,
/// as `memo` does.
fn first_frame(root: &Path) -> Duration {
    let start = Instant::now();
    let repo = Repo::discover(root).expect("repository");
    let mut app = App::library(repo).expect("library");
    terminal().draw(|f| app.draw(f)).expect("draw");
    start.elapsed()
}

fn bench_first_frame(root: &Path) {
    // One run to bring the index and the row cache up to date.
    first_frame(root);
    let warm: Vec<Duration> = (0..15).map(|_| first_frame(root)).collect();
    let changed_file = std::fs::read_dir(root.join("memos"))
        .expect("memo folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .min()
        .expect("a memo");
    let original = std::fs::read(&changed_file).expect("read a memo");
    let changed: Vec<Duration> = (0..7)
        .map(|i| {
            let mut text = original.clone();
            text.extend_from_slice(format!("\nEdited {i}.\n").as_bytes());
            std::fs::write(&changed_file, text).expect("edit a memo");
            first_frame(root)
        })
        .collect();
    std::fs::write(&changed_file, &original).expect("restore the memo");
    first_frame(root);
    let cache = root.join(".git/memo/library.json");
    let cold: Vec<Duration> = (0..7)
        .map(|_| {
            let _ = std::fs::remove_file(&cache);
            first_frame(root)
        })
        .collect();
    println!("first frame, 10,000 memos: {}", ms(median(warm)));
    println!(
        "first frame after one memo changed (index update included): {}",
        ms(median(changed))
    );
    println!("first frame without the row cache: {}", ms(median(cold)));
}

fn bench_redraw(file: &Path) {
    let bytes = std::fs::read(file).expect("read the memo");
    let memo = Memo::parse(file, &bytes).expect("parse the memo");
    let mut app = App::from_memos(vec![memo.clone()]);
    app.apply(Action::Open);
    let mut terminal = terminal();
    terminal.draw(|f| app.draw(f)).expect("draw");

    let mut redraws = Vec::new();
    for i in 0..400 {
        app.apply(if i < 200 {
            Action::PageDown
        } else {
            Action::PageUp
        });
        let start = Instant::now();
        terminal.draw(|f| app.draw(f)).expect("draw");
        redraws.push(start.elapsed());
    }

    // A new width lays the whole memo out again, as a resize does.
    let mut layouts = Vec::new();
    for width in [100u16, 110, 90, 105, 95, 115, 85] {
        let mut resized = Terminal::new(TestBackend::new(width, HEIGHT)).expect("terminal");
        let start = Instant::now();
        resized.draw(|f| app.draw(f)).expect("draw");
        layouts.push(start.elapsed());
    }

    let html: Vec<Duration> = (0..15)
        .map(|_| {
            let start = Instant::now();
            let mut out = String::new();
            let parser = pulldown_cmark::Parser::new_ext(
                memo.body(),
                memo::memo::outline::markdown_options(),
            );
            pulldown_cmark::html::push_html(&mut out, parser);
            std::hint::black_box(out);
            start.elapsed()
        })
        .collect();
    println!(
        "redraw of {} ({} KB), paging: {}",
        file.display(),
        bytes.len() / 1000,
        ms(median(redraws))
    );
    println!("layout at a new width (resize): {}", ms(median(layouts)));
    println!(
        "peer: pulldown-cmark to HTML, same file: {}",
        ms(median(html))
    );
}

fn bench_keystrokes(root: &Path) {
    let repo = Repo::discover(root).expect("repository");
    let mut app = App::library(repo).expect("library");
    let mut terminal = terminal();
    terminal.draw(|f| app.draw(f)).expect("draw");

    let mut keystrokes = Vec::new();
    for query in QUERIES {
        app.apply(Action::Search);
        for c in query.chars() {
            let start = Instant::now();
            app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
            terminal.draw(|f| app.draw(f)).expect("draw");
            keystrokes.push(start.elapsed());
        }
        app.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    }
    let max = keystrokes.iter().max().copied().unwrap_or_default();

    // The peer: the index's own search with snippets, as `memo search` runs it, for
    // the same prefixes, 50 hits each.
    let threads = memo::search::NoThreads;
    let mut warn = |_: &str| {};
    let mut options = memo::search::UpdateOptions {
        threads: &threads,
        wait: memo::search::DEFAULT_WAIT,
        rebuild: false,
        warn: &mut warn,
        progress: None,
    };
    let (index, _) =
        memo::search::SearchIndex::open_updated(&Repo::discover(root).expect("repo"), &mut options)
            .expect("index");
    let mut peer = Vec::new();
    for query in QUERIES {
        for end in 1..=query.len() {
            let start = Instant::now();
            // A prefix that is not a valid query yet (an open quote) is skipped.
            if let Ok(compiled) = memo::search::compile_query(&query[..end]) {
                let _ = index.search(&compiled, 50, memo::search::Sort::Relevance, &threads);
            }
            peer.push(start.elapsed());
        }
    }
    println!(
        "keystroke to updated results, 10,000 memos: median {}, max {} ({} keystrokes)",
        ms(median(keystrokes.clone())),
        ms(max),
        keystrokes.len()
    );
    println!(
        "peer: index search with snippets, 50 hits: median {}",
        ms(median(peer))
    );
}

/// Runs `command` in a tmux pane and returns the time until the pane shows `marker`.
fn shown_after(socket: &str, command: &str, marker: &str) -> Duration {
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux")
            .args(["-L", socket])
            .args(args)
            .output()
            .expect("run tmux")
    };
    let start = Instant::now();
    tmux(&["respawn-pane", "-k", "-t", "bench", command]);
    loop {
        let screen = tmux(&["capture-pane", "-p", "-t", "bench"]);
        if String::from_utf8_lossy(&screen.stdout).contains(marker) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{marker} never showed"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Measures the first frame of the real binary in a tmux pane, from starting it to
/// the footer showing, beside the same measurement of `echo`, which is the cost of
/// tmux and of polling it.
fn bench_whole_process(root: &Path) {
    if std::process::Command::new("tmux")
        .arg("-V")
        .output()
        .is_err()
    {
        println!("whole process: skipped, tmux is not installed");
        return;
    }
    let socket = format!("memo-bench-{}", std::process::id());
    let status = std::process::Command::new("tmux")
        .args([
            "-L",
            &socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "bench",
        ])
        .args([
            "-x",
            &WIDTH.to_string(),
            "-y",
            &HEIGHT.to_string(),
            "sleep 600",
        ])
        .status()
        .expect("start tmux");
    assert!(status.success(), "tmux new-session failed");

    let binary = std::env::current_exe()
        .ok()
        .and_then(|p| Some(p.parent()?.parent()?.join("memo")))
        .expect("the memo binary beside the bench");
    let command = format!("{} -C {}; sleep 600", binary.display(), root.display());
    let memo: Vec<Duration> = (0..9)
        .map(|_| shown_after(&socket, &command, "Enter open · ? help"))
        .collect();
    let echo: Vec<Duration> = (0..9)
        .map(|_| {
            shown_after(
                &socket,
                "echo memo-bench-ready; sleep 600",
                "memo-bench-ready",
            )
        })
        .collect();
    let _ = std::process::Command::new("tmux")
        .args(["-L", &socket, "kill-server"])
        .status();
    println!(
        "first frame, whole process in tmux, 10,000 memos: {}; `echo` measured the same way: {}",
        ms(median(memo)),
        ms(median(echo))
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [repo, file] = args.as_slice() else {
        eprintln!("usage: cargo bench --bench tui -- REPO MEMO_FILE (benches/tui.sh sets both)");
        std::process::exit(2);
    };
    bench_first_frame(&PathBuf::from(repo));
    bench_whole_process(&PathBuf::from(repo));
    bench_keystrokes(&PathBuf::from(repo));
    bench_redraw(&PathBuf::from(file));
}
