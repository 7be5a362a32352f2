//! `memo search`.

use std::io::{IsTerminal, Write};
use std::ops::Range;
use std::process::ExitCode;

use super::Context;
use crate::render::sanitize_line;
use crate::search::{self, Hit, QueryError, SearchIndex, Sort, UpdateOptions, UpdateStats};
use crate::store::Repo;

/// The query language in brief, for `memo search --help`.
const SYNTAX: &str = "\
Query syntax (docs/search.md has it all):
  queue                 the word, in any form stemming relates (queues, queued)
  \"event queue\"         the words in this order
  event queue           both words (also: event AND queue)
  postgres OR mysql     either word
  -draft, NOT draft     without the word
  (a OR b) c            grouping
  decis*                a word starting with decis
  title:  status:  tag:  author:  template:  section:  comment:  attachment:
  number:42  created:2024  created:>=2025-03-01  decided:<2026  created:2023..2024-06";

#[derive(Debug, clap::Args)]
#[command(after_long_help = SYNTAX)]
pub struct Args {
    /// The query; several arguments are joined with spaces (see docs/search.md). Put
    /// `--` before a query that starts with `-`.
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,

    /// Show at most N hits.
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub limit: u32,

    /// Order of the hits: by relevance, or by creation date.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance, value_name = "ORDER")]
    pub sort: SortArg,

    /// Print the hits as a JSON array.
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Most recently created first.
    Newest,
    /// Least recently created first.
    Oldest,
}

impl From<SortArg> for Sort {
    fn from(sort: SortArg) -> Sort {
        match sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Newest => Sort::Newest,
            SortArg::Oldest => Sort::Oldest,
        }
    }
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
    let query = args.query.join(" ");
    let compiled = match search::compile_query(&query) {
        Ok(compiled) => compiled,
        Err(error) => {
            print_query_error(&error);
            return Ok(ExitCode::from(2));
        }
    };
    let threads = search::threads::for_repo(&repo);
    let (hits, stats) = with_index_options(&*threads, false, |options| {
        SearchIndex::search_updated(
            &repo,
            options,
            &compiled,
            args.limit as usize,
            args.sort.into(),
        )
    })?;
    if let Some(stale) = &stats.stale {
        super::warn(stale);
    }

    if args.json {
        super::print_json(&hits)?;
    } else {
        let mut out = anstream::stdout().lock();
        for hit in &hits {
            write_hit(&mut out, hit)?;
        }
    }
    if hits.is_empty() {
        if !args.json {
            eprintln!("no memo matches '{}'", sanitize_line(&query));
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Opens the index brought up to date, printing warnings for memos that could not be
/// read fully and a notice when it was rebuilt.
pub fn open_index(
    repo: &Repo,
    threads: &dyn search::ThreadSource,
    rebuild: bool,
) -> anyhow::Result<(SearchIndex, UpdateStats)> {
    with_index_options(threads, rebuild, |options| {
        SearchIndex::open_updated(repo, options)
    })
}

/// Rebuilds an index that opened but failed to read, printing the notice.
pub fn rebuild_unreadable_index(
    repo: &Repo,
    threads: &dyn search::ThreadSource,
    failure: &crate::Error,
) -> anyhow::Result<(SearchIndex, UpdateStats)> {
    with_index_options(threads, true, |options| {
        SearchIndex::rebuild_unreadable(repo, options, failure)
    })
}

/// Runs an index operation with the options every command uses: warnings printed,
/// the wait `MEMO_INDEX_WAIT_MS` sets, and a progress bar on a terminal while many
/// memos are indexed.
fn with_index_options<T>(
    threads: &dyn search::ThreadSource,
    rebuild: bool,
    operation: impl FnOnce(&mut UpdateOptions<'_>) -> crate::Result<(T, UpdateStats)>,
) -> anyhow::Result<(T, UpdateStats)> {
    let mut warn = |message: &str| super::warn(message);
    let bar = indicatif::ProgressBar::hidden();
    let mut progress = |done: usize, total: usize| {
        if done == 1 && total >= 500 && std::io::stderr().is_terminal() {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.set_length(total as u64);
            bar.set_message("indexing memos");
            bar.set_style(
                indicatif::ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
        }
        bar.set_position(done as u64);
    };
    let mut options = UpdateOptions {
        threads,
        wait: search::wait_from_env(),
        rebuild,
        warn: &mut warn,
        progress: Some(&mut progress),
    };
    let outcome = operation(&mut options);
    bar.finish_and_clear();
    let (value, stats) = outcome?;
    if let Some(notice) = &stats.rebuilt {
        super::warn(notice);
    }
    Ok((value, stats))
}

/// Prints an invalid query with the faulty part marked and what was expected there.
fn print_query_error(error: &QueryError) {
    use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

    let (shown, span) = excerpt(&error.query, &error.span);
    let title = format!("invalid query: {}", sanitize_line(&error.message));
    let label = format!("expected {}", sanitize_line(&error.expected));
    let report = &[Level::ERROR
        .primary_title(&title)
        .element(
            Snippet::source(&shown)
                .line_start(1)
                .annotation(AnnotationKind::Primary.span(span).label(&label)),
        )
        .element(Level::HELP.message(
            "`memo search --help` shows the query syntax; docs/search.md describes it in full",
        ))];
    let color = anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never;
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut err = anstream::stderr();
    let _ = writeln!(err, "{}", renderer.render(report));
}

/// Characters of context shown on each side of the faulty part of a long query.
const EXCERPT_CONTEXT: usize = 50;

/// Returns the part of a query to show, with control characters made visible, and the
/// span of the fault within it.
fn excerpt(query: &str, span: &Range<usize>) -> (String, Range<usize>) {
    // A long fault is marked by its first characters.
    let span_end = query[span.start..span.end]
        .char_indices()
        .nth(EXCERPT_CONTEXT)
        .map_or(span.end, |(i, _)| span.start + i);
    let span = &(span.start..span_end);
    let before: Vec<(usize, char)> = query[..span.start].char_indices().collect();
    let from = before
        .len()
        .checked_sub(EXCERPT_CONTEXT)
        .map_or(0, |i| before[i].0);
    let after_end = query[span.end..]
        .char_indices()
        .nth(EXCERPT_CONTEXT)
        .map_or(query.len(), |(i, _)| span.end + i);
    let mut shown = String::new();
    if from > 0 {
        shown.push('…');
    }
    let mut start = shown.len();
    let mut end = shown.len();
    for (offset, c) in query[from..after_end].char_indices() {
        let offset = from + offset;
        if offset == span.start {
            start = shown.len();
        }
        if offset == span.end {
            end = shown.len();
        }
        shown.push_str(&sanitize_line(&c.to_string()));
    }
    if span.start >= after_end {
        start = shown.len();
    }
    if span.end >= after_end {
        end = shown.len();
    }
    if after_end < query.len() {
        shown.push('…');
    }
    (shown, start..end.max(start))
}

fn write_hit(out: &mut dyn Write, hit: &Hit) -> std::io::Result<()> {
    let bold = anstyle::Style::new().bold();
    let dim = anstyle::Style::new().dimmed();
    let mark = anstyle::Style::new()
        .fg_color(Some(anstyle::AnsiColor::Red.into()))
        .bold();
    let status = super::list::status_style(&hit.status);
    let number = hit.number.map_or("    ".to_owned(), |n| format!("{n:04}"));
    let date = hit
        .created
        .map(|c| format!("  {dim}{}{dim:#}", c.format("%Y-%m-%d")))
        .unwrap_or_default();
    writeln!(
        out,
        "{bold}{number}  {}{bold:#}  {status}{}{status:#}{date}",
        sanitize_line(&hit.title),
        sanitize_line(&hit.status)
    )?;
    if let Some(section) = &hit.section {
        writeln!(out, "      {bold}§ {}{bold:#}", sanitize_line(section))?;
    }
    let mut snippet = String::new();
    let mut last = 0;
    for range in &hit.highlights {
        let valid = range.start >= last
            && range.end <= hit.snippet.len()
            && hit.snippet.is_char_boundary(range.start)
            && hit.snippet.is_char_boundary(range.end);
        if !valid {
            continue;
        }
        snippet.push_str(&sanitize_line(&hit.snippet[last..range.start]));
        snippet.push_str(&format!(
            "{mark}{}{mark:#}",
            sanitize_line(&hit.snippet[range.clone()])
        ));
        last = range.end;
    }
    snippet.push_str(&sanitize_line(&hit.snippet[last..]));
    if !snippet.trim().is_empty() {
        writeln!(out, "      {}", snippet.trim())?;
    }
    writeln!(out, "      {dim}{}{dim:#}", sanitize_line(&hit.path))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_of_a_long_query_keeps_the_fault_in_view() {
        let query = format!("{} \"open", "word ".repeat(300));
        let at = query.rfind('"').expect("quote");
        let (shown, span) = excerpt(&query, &(at..at + 1));
        assert!(shown.starts_with('…'));
        assert_eq!(&shown[span], "\"");
        assert!(shown.chars().count() < 120);
    }

    #[test]
    fn excerpt_makes_control_characters_visible() {
        let query = "a\u{1b}[31m b:";
        let (shown, span) = excerpt(query, &(query.len() - 2..query.len() - 1));
        assert!(!shown.contains('\u{1b}'));
        assert_eq!(&shown[span], "b");
    }

    #[test]
    fn excerpt_at_the_end_is_an_empty_span() {
        let (shown, span) = excerpt("queue AND", &(9..9));
        assert_eq!(shown, "queue AND");
        assert_eq!(span, 9..9);
    }
}
