//! Search benchmark: `memo search` against `rg -il` (a scan) and SQLite FTS5 (porter
//! stemming, BM25, queried through the `sqlite3` shell), over the same generated memos.
//!
//! Run: `MEMO_TEST_CORPUS=path/to/rust-rfcs/text cargo bench --bench search`
//!
//! Settings (environment):
//! - `MEMO_TEST_CORPUS`: the folder of RFCs the memos are generated from (required);
//! - `MEMO_BENCH_SIZES`: memo counts, comma-separated (default `10000,100000`);
//! - `MEMO_BENCH_DIR`: where the generated repositories go (default: a `memo-bench`
//!   folder in the system's temporary folder; they are reused between runs);
//! - `MEMO_BENCH_RUNS`: timed runs per query and tool (default 7).
//!
//! memo is measured twice: with the watcher a search starts on its own at 2,000 memos
//! (the default), and with `MEMO_WATCHER=never`, where every search stats every memo
//! file. Every figure is whole-process wall time, measured around spawning the command and
//! waiting for it, with its output discarded. Peak memory is the maximum resident set
//! size `/usr/bin/time` reports. The report is printed as Markdown.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use memo::memo::Memo;

/// A query in the three tools' languages.
struct Query {
    label: &'static str,
    memo: &'static str,
    /// The FTS5 MATCH expression.
    fts: &'static str,
    /// Extra SQL condition (dates), or empty.
    fts_where: &'static str,
    /// One pattern for `rg -il` (a scan finds a superset: no fields, no AND).
    rg: &'static str,
}

const QUERIES: [Query; 20] = [
    q("common word", "type", "type", "", "type"),
    q("common word", "error", "error", "", "error"),
    q(
        "two common words",
        "trait object",
        "trait AND object",
        "",
        "trait",
    ),
    q(
        "common phrase",
        "\"type system\"",
        "\"type system\"",
        "",
        "type system",
    ),
    q(
        "phrase",
        "\"borrow checker\"",
        "\"borrow checker\"",
        "",
        "borrow checker",
    ),
    q("rare word", "trampoline", "trampoline", "", "trampoline"),
    q("rare word", "coroutine", "coroutine", "", "coroutine"),
    q(
        "rare phrase",
        "\"unicode identifiers\"",
        "\"unicode identifiers\"",
        "",
        "unicode identifiers",
    ),
    q(
        "mid word",
        "monomorphization",
        "monomorphization",
        "",
        "monomorphization",
    ),
    q("prefix", "specializ*", "specializ*", "", "specializ"),
    q(
        "title field",
        "title:closure",
        "title:closure",
        "",
        "^title:.*closure",
    ),
    q(
        "status field and word",
        "status:accepted unsafe",
        "status:accepted AND unsafe",
        "",
        "^status: accepted",
    ),
    q(
        "tag field and word",
        "tag:cargo lockfile",
        "tags:cargo AND lockfile",
        "",
        "lockfile",
    ),
    q(
        "author field and word",
        "author:priya macro",
        "authors:priya AND macro",
        "",
        "macro",
    ),
    q(
        "OR",
        "coroutine OR generator",
        "coroutine OR generator",
        "",
        "coroutine|generator",
    ),
    q("NOT", "closure -async", "closure NOT async", "", "closure"),
    q(
        "date and word",
        "created:2020 allocator",
        "allocator",
        "AND created >= '2020' AND created < '2021'",
        "allocator",
    ),
    q(
        "three words",
        "lifetime elision rules",
        "lifetime AND elision AND rules",
        "",
        "elision",
    ),
    q(
        "phrase",
        "\"object safety\"",
        "\"object safety\"",
        "",
        "object safety",
    ),
    q("common word", "deprecated", "deprecated", "", "deprecated"),
];

const fn q(
    label: &'static str,
    memo: &'static str,
    fts: &'static str,
    fts_where: &'static str,
    rg: &'static str,
) -> Query {
    Query {
        label,
        memo,
        fts,
        fts_where,
        rg,
    }
}

struct Setup {
    memo: PathBuf,
    cargo: String,
    corpus: PathBuf,
    work: PathBuf,
    runs: usize,
}

fn main() {
    // `cargo bench` passes `--bench`; other arguments select nothing here.
    let Some(corpus) = std::env::var_os("MEMO_TEST_CORPUS").map(PathBuf::from) else {
        eprintln!("search benchmark skipped: set MEMO_TEST_CORPUS to the folder of RFCs");
        return;
    };
    let sizes: Vec<usize> = std::env::var("MEMO_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000".to_owned())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let setup = Setup {
        memo: PathBuf::from(env!("CARGO_BIN_EXE_memo")),
        cargo: std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()),
        corpus,
        work: std::env::var_os("MEMO_BENCH_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| std::env::temp_dir().join("memo-bench")),
        runs: std::env::var("MEMO_BENCH_RUNS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(7),
    };
    for tool in ["rg", "sqlite3", "/usr/bin/time", "git"] {
        if Command::new(tool).arg("--version").output().is_err() {
            eprintln!("search benchmark needs `{tool}` on PATH");
            std::process::exit(2);
        }
    }
    println!("# Search benchmark\n");
    println!("- machine: {}", machine());
    println!("- memo: {}", setup.memo.display());
    println!("- {}", version("rg", &["--version"]));
    println!("- sqlite3 {}", version("sqlite3", &["--version"]));
    println!("- runs per query and tool: {}\n", setup.runs);
    for size in sizes {
        bench_size(&setup, size);
    }
}

fn bench_size(setup: &Setup, size: usize) {
    let repo = setup.work.join(format!("memos-{size}"));
    generate(setup, &repo, size);
    let memos = repo.join("memos");
    println!(
        "## {size} memos ({:.0} MB of Markdown)\n",
        folder_bytes(&memos) as f64 / 1e6
    );

    // Full builds, alternating the tools so they share the machine's conditions.
    let sql = repo.join("fts-load.sql");
    write_fts_load(&memos, &sql);
    let database = repo.join("fts.db");
    let build_runs = if size <= 20_000 { 3 } else { 1 };
    let mut memo_builds = Vec::new();
    let mut fts_builds = Vec::new();
    for _ in 0..build_runs {
        let mut build = Command::new(&setup.memo);
        build.args(["index", "--rebuild"]).current_dir(&repo);
        memo_builds.push(measured(&build, None));
        let _ = std::fs::remove_file(&database);
        let mut load = Command::new("sqlite3");
        load.arg(&database).current_dir(&repo);
        fts_builds.push(measured(&load, Some(&sql)));
    }
    let memo_build = median_run(&memo_builds);
    let fts_build = median_run(&fts_builds);
    let memo_size = folder_bytes(&repo.join(".git/memo/index"));
    let fts_size = std::fs::metadata(&database).map_or(0, |m| m.len());

    // Searches. The first search starts the watcher (at 2,000 memos and more), and
    // the one after it records the watcher's token. From then on, a search that finds
    // the token unchanged skips the stat of every memo file.
    ensure_watcher(setup, &repo);
    let mut rows = Vec::new();
    let mut memo_medians = Vec::new();
    let mut fts_medians = Vec::new();
    let mut rg_medians = Vec::new();
    let mut memo_peak = 0;
    let mut fts_peak = 0;
    let mut rg_peak = 0;
    for query in &QUERIES {
        let memo = || {
            let mut c = Command::new(&setup.memo);
            c.args(["search", query.memo]).current_dir(&repo);
            c
        };
        let fts = || {
            let mut c = Command::new("sqlite3");
            c.arg(&database).arg(fts_sql(query)).current_dir(&repo);
            c
        };
        let rg = || {
            let mut c = Command::new("rg");
            c.args(["-il", "-e", query.rg, "memos"]).current_dir(&repo);
            c
        };
        // One untimed run each warms the page cache and checks the command works.
        memo_peak = memo_peak.max(measured(&memo(), None).1);
        fts_peak = fts_peak.max(measured(&fts(), None).1);
        rg_peak = rg_peak.max(measured(&rg(), None).1);
        let (mut m, mut f, mut r) = (Vec::new(), Vec::new(), Vec::new());
        // The tools take turns in a rotating order, so each follows each of the others
        // equally often: a tool run right after rg's scan of every file runs with
        // colder caches (about 20% slower for both memo and FTS5 here).
        for run in 0..setup.runs {
            for turn in 0..3 {
                match (run + turn) % 3 {
                    0 => m.push(timed(&mut memo())),
                    1 => f.push(timed(&mut fts())),
                    _ => r.push(timed(&mut rg())),
                }
            }
        }
        let (m, f, r) = (median(&mut m), median(&mut f), median(&mut r));
        memo_medians.push(m);
        fts_medians.push(f);
        rg_medians.push(r);
        rows.push((query, m, f, r));
    }

    // Incremental update: one memo changes, then `memo index` runs; for FTS5, one
    // UPDATE of that memo through the shell.
    let files = memo_files(&memos);
    let mut memo_updates = Vec::new();
    let mut memo_search_after = Vec::new();
    let mut fts_updates = Vec::new();
    for round in 0..setup.runs {
        let path = &files[(round * 7919) % files.len()];
        append_line(path, round);
        memo_updates.push(timed(
            Command::new(&setup.memo).arg("index").current_dir(&repo),
        ));
        append_line(path, round + 1000);
        memo_search_after.push(timed(
            Command::new(&setup.memo)
                .args(["search", "type"])
                .current_dir(&repo),
        ));
        let relative = path.strip_prefix(&repo).unwrap_or(path);
        let body = std::fs::read_to_string(path).unwrap_or_default();
        let update = format!(
            "UPDATE memos SET body = '{}' WHERE path = '{}';",
            body.replace('\'', "''"),
            relative.to_string_lossy().replace('\'', "''")
        );
        fts_updates.push(timed_with_input(
            Command::new("sqlite3").arg(&database).current_dir(&repo),
            &update,
        ));
    }

    // The same searches without a watcher: every search stats every memo file, as on
    // systems without file events or with MEMO_WATCHER=never.
    stop_watcher(setup, &repo);
    let mut scan_medians = Vec::new();
    for query in &QUERIES {
        let memo = || {
            let mut c = Command::new(&setup.memo);
            c.args(["search", query.memo])
                .env("MEMO_WATCHER", "never")
                .current_dir(&repo);
            c
        };
        timed(&mut memo());
        let mut m: Vec<Duration> = (0..setup.runs).map(|_| timed(&mut memo())).collect();
        scan_medians.push(median(&mut m));
    }
    let rows: Vec<String> = rows
        .into_iter()
        .zip(&scan_medians)
        .map(|((query, m, f, r), scan)| {
            format!(
                "| {} | `{}` | {:.1} | {:.1} | {:.1} | {:.1} |",
                query.label,
                query.memo.replace('|', "\\|"),
                ms(m),
                ms(*scan),
                ms(f),
                ms(r)
            )
        })
        .collect();
    let scan_q = median(&mut scan_medians);

    let (memo_q, fts_q, rg_q) = (
        median(&mut memo_medians),
        median(&mut fts_medians),
        median(&mut rg_medians),
    );
    println!(
        "### Search latency (median of {} runs per query, ms)\n",
        setup.runs
    );
    println!("| query | memo query | memo | memo, no watcher | FTS5 | rg -il |");
    println!("|---|---|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
    println!(
        "| **median of the 20 queries** | | **{:.1}** | **{:.1}** | **{:.1}** | **{:.1}** |\n",
        ms(memo_q),
        ms(scan_q),
        ms(fts_q),
        ms(rg_q)
    );
    println!("### Summary\n");
    println!("| measure | memo | FTS5 | rg -il | memo vs FTS5 | memo vs rg |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| search median (ms) | {:.1} | {:.1} | {:.1} | {:.2}x | {:.1}x faster |",
        ms(memo_q),
        ms(fts_q),
        ms(rg_q),
        memo_q.as_secs_f64() / fts_q.as_secs_f64(),
        rg_q.as_secs_f64() / memo_q.as_secs_f64()
    );
    println!(
        "| search median without a watcher (ms) | {:.1} | {:.1} | {:.1} | {:.2}x | {:.1}x faster |",
        ms(scan_q),
        ms(fts_q),
        ms(rg_q),
        scan_q.as_secs_f64() / fts_q.as_secs_f64(),
        rg_q.as_secs_f64() / scan_q.as_secs_f64()
    );
    println!(
        "| full build (s) | {:.2} | {:.2} | | {:.2}x | |",
        memo_build.0.as_secs_f64(),
        fts_build.0.as_secs_f64(),
        memo_build.0.as_secs_f64() / fts_build.0.as_secs_f64()
    );
    println!(
        "| index size (MB) | {:.1} | {:.1} | | {:.2}x | |",
        memo_size as f64 / 1e6,
        fts_size as f64 / 1e6,
        memo_size as f64 / fts_size.max(1) as f64
    );
    println!(
        "| peak memory, build (MB) | {:.0} | {:.0} | | | |",
        memo_build.1 as f64 / 1024.0,
        fts_build.1 as f64 / 1024.0
    );
    println!(
        "| peak memory, search (MB) | {:.0} | {:.0} | {:.0} | | |",
        memo_peak as f64 / 1024.0,
        fts_peak as f64 / 1024.0,
        rg_peak as f64 / 1024.0
    );
    println!(
        "| update after one memo changes (ms) | {:.1} | {:.1} | | | |",
        ms(median(&mut memo_updates)),
        ms(median(&mut fts_updates))
    );
    println!(
        "| search right after one memo changes (ms) | {:.1} | | | | |\n",
        ms(median(&mut memo_search_after))
    );
}

/// Makes sure the repository's watcher runs and the index state contains its token.
/// A search starts the watcher, and the first search it replies to records the token.
fn ensure_watcher(setup: &Setup, repo: &Path) {
    let search = || {
        timed(
            Command::new(&setup.memo)
                .args(["search", "type"])
                .env("MEMO_WATCHER", "auto")
                .current_dir(repo),
        )
    };
    // A watcher stopped less than a minute ago would delay the automatic start.
    let _ = std::fs::remove_file(repo.join(".git/memo/watcher.started"));
    search();
    for _ in 0..200 {
        let stats = Command::new(&setup.memo)
            .args(["index", "--stats"])
            .current_dir(repo)
            .output()
            .expect("run memo index --stats");
        if String::from_utf8_lossy(&stats.stdout).contains("Watcher: running") {
            search();
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the watcher did not start; see .git/memo/watcher.log");
}

fn stop_watcher(setup: &Setup, repo: &Path) {
    let status = Command::new(&setup.memo)
        .args(["index", "--stop-watching"])
        .current_dir(repo)
        .stdout(Stdio::null())
        .status()
        .expect("run memo index --stop-watching");
    assert!(status.success(), "memo index --stop-watching failed");
}

/// Generates the memos with the repository's generator and makes the folder a git
/// repository, unless an earlier run left them there.
fn generate(setup: &Setup, repo: &Path, size: usize) {
    let done = repo.join(".generated");
    if done.exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(repo);
    std::fs::create_dir_all(repo).expect("create the benchmark folder");
    let status = Command::new(&setup.cargo)
        .args([
            "run",
            "--quiet",
            "--release",
            "--example",
            "generate_memos",
            "--",
        ])
        .arg(&setup.corpus)
        .arg(size.to_string())
        .arg(repo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("run the memo generator");
    assert!(status.success(), "the memo generator failed");
    let status = Command::new("git")
        .args(["init", "-q"])
        .current_dir(repo)
        .status()
        .expect("run git init");
    assert!(status.success(), "git init failed");
    std::fs::write(done, b"").expect("mark the memos as generated");
}

/// Writes the SQL that builds the FTS5 table: the memo fields parsed by memo's own
/// reader, one INSERT per memo, in one transaction.
fn write_fts_load(memos: &Path, sql: &Path) {
    use std::io::Write;

    if sql.exists() {
        return;
    }
    let quote = |text: &str| format!("'{}'", text.replace('\'', "''"));
    let mut out =
        std::io::BufWriter::new(std::fs::File::create(sql).expect("create the load script"));
    writeln!(
        out,
        "CREATE VIRTUAL TABLE memos USING fts5(path UNINDEXED, title, status, tags, authors, \
         template, created UNINDEXED, body, tokenize = 'porter unicode61 remove_diacritics 2');\nBEGIN;"
    )
    .expect("write");
    for path in memo_files(memos) {
        let bytes = std::fs::read(&path).expect("read a memo");
        let relative = path
            .strip_prefix(memos.parent().unwrap_or(memos))
            .unwrap_or(&path);
        let Ok(memo) = Memo::parse(relative, &bytes) else {
            continue;
        };
        writeln!(
            out,
            "INSERT INTO memos VALUES({}, {}, {}, {}, {}, {}, {}, {});",
            quote(&relative.to_string_lossy()),
            quote(&memo.title()),
            quote(memo.status()),
            quote(&memo.meta.tags.join(" ")),
            quote(&memo.meta.authors.join(" ")),
            quote(memo.meta.template.as_deref().unwrap_or("")),
            quote(&memo.created().map(memo::clock::format).unwrap_or_default()),
            quote(memo.body()),
        )
        .expect("write");
    }
    writeln!(out, "COMMIT;").expect("write");
}

fn fts_sql(query: &Query) -> String {
    format!(
        "SELECT path, title, snippet(memos, 7, '[', ']', '…', 16) FROM memos \
         WHERE memos MATCH '{}' {} ORDER BY rank LIMIT 10;",
        query.fts.replace('\'', "''"),
        query.fts_where
    )
}

fn memo_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .expect("read the memo folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

fn append_line(path: &Path, round: usize) {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("open a memo");
    writeln!(
        file,
        "\nBenchmark edit {round}: the incremental update sees this line."
    )
    .expect("append to a memo");
}

/// Runs a command with its output discarded and returns the wall time.
fn timed(command: &mut Command) -> Duration {
    let started = Instant::now();
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run a benchmark command");
    started.elapsed()
}

fn timed_with_input(command: &mut Command, input: &str) -> Duration {
    use std::io::Write;
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run a benchmark command");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes());
    }
    let _ = child.wait();
    started.elapsed()
}

/// Runs a command under `/usr/bin/time`, with `stdin` as its standard input when set,
/// and returns the wall time and the peak resident set size in KiB.
fn measured(command: &Command, stdin: Option<&Path>) -> (Duration, u64) {
    let mut wrapped = Command::new("/usr/bin/time");
    wrapped
        .args(["-f", "memo-bench-peak %M"])
        .arg(command.get_program())
        .args(command.get_args())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(dir) = command.get_current_dir() {
        wrapped.current_dir(dir);
    }
    if let Some(path) = stdin {
        wrapped.stdin(std::fs::File::open(path).expect("open standard input"));
    }
    let started = Instant::now();
    let output = wrapped
        .output()
        .expect("run a benchmark command under /usr/bin/time");
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let peak = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("memo-bench-peak "))
        .filter_map(|v| v.trim().parse().ok())
        .next_back()
        .unwrap_or(0);
    (elapsed, peak)
}

fn median(values: &mut [Duration]) -> Duration {
    values.sort();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn median_run(runs: &[(Duration, u64)]) -> (Duration, u64) {
    let mut sorted = runs.to_vec();
    sorted.sort();
    let peak = runs.iter().map(|r| r.1).max().unwrap_or(0);
    (sorted[sorted.len() / 2].0, peak)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => folder_bytes(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

fn version(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .unwrap_or_default()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or_else(String::new, |kb| format!(", {:.0} GB RAM", kb as f64 / 1e6));
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .map_or_else(String::new, |l| format!(", load average {l} at start"));
    format!("{cpu}, {cores} cores{memory}{load}")
}
