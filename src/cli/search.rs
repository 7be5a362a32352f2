//! `memo search`.

use std::io::Write;
use std::process::ExitCode;

use super::Context;
use crate::render::sanitize_line;
use crate::search::{Hit, SearchIndex};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query; several words are joined with spaces (see docs/search.md).
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,

    /// Show at most N hits.
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub limit: u32,

    /// Print the hits as a JSON array.
    #[arg(long)]
    pub json: bool,
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
    let query = args.query.join(" ");
    let (index, stats) = SearchIndex::open_updated(&repo, &mut |error| {
        super::warn(&format!("{error}; indexed with what could be read"));
    })?;
    if let Some(notice) = &stats.rebuilt {
        super::warn(notice);
    }
    let hits = index.search(&query, args.limit as usize)?;

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
        .map(|c| c.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    writeln!(
        out,
        "{bold}{number}  {}{bold:#}  {status}{}{status:#}  {dim}{date}{dim:#}",
        sanitize_line(&hit.title),
        sanitize_line(&hit.status)
    )?;
    // Newlines become spaces, one byte for one, so the highlight ranges still fit.
    let flat = hit.snippet.replace(['\n', '\r', '\t'], " ");
    let mut snippet = String::new();
    let mut last = 0;
    for range in &hit.highlights {
        if range.start < last || range.end > flat.len() {
            continue;
        }
        snippet.push_str(&sanitize_line(&flat[last..range.start]));
        snippet.push_str(&format!(
            "{mark}{}{mark:#}",
            sanitize_line(&flat[range.clone()])
        ));
        last = range.end;
    }
    snippet.push_str(&sanitize_line(&flat[last..]));
    if !snippet.trim().is_empty() {
        writeln!(out, "      {}", snippet.trim())?;
    }
    writeln!(out, "      {dim}{}{dim:#}", sanitize_line(&hit.path))?;
    Ok(())
}
