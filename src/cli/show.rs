//! `memo show`.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::Context;
use crate::error::Error;
use crate::render::{self, RenderOptions, sanitize_line};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The memo: a number, a uid (or a unique prefix of one), a file name or a path.
    pub memo: String,

    /// Print the file exactly as it is stored, control characters included.
    #[arg(long, conflicts_with = "json")]
    pub raw: bool,

    /// Print the memo's metadata and sections as JSON.
    #[arg(long)]
    pub json: bool,

    /// Width to render at; the terminal's width, or 80 when not on a terminal.
    #[arg(long, value_name = "COLUMNS")]
    pub width: Option<u16>,

    /// Open the memo in the terminal UI's reader.
    #[arg(long, conflicts_with_all = ["raw", "json"])]
    pub tui: bool,
}

#[derive(Serialize)]
struct ShowJson {
    #[serde(flatten)]
    entry: super::list::ListEntry,
    deciders: Vec<String>,
    decided: Option<String>,
    supersedes: Vec<String>,
    superseded_by: Vec<String>,
    sections: Vec<SectionJson>,
}

#[derive(Serialize)]
struct SectionJson {
    heading: String,
    level: u8,
    line: usize,
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
    let set = repo.load_memos()?;
    let memo = set.resolve(&repo, &args.memo)?;
    if let Some(error) = &memo.document.front_matter_error {
        super::warn(&format!("{error}; showing the whole file as the body"));
    }

    if args.tui {
        crate::tui::run_reader(&repo, memo)?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.raw {
        let absolute = repo.absolute(&memo.path);
        let bytes = std::fs::read(&absolute).map_err(|e| Error::io("read", &absolute, e))?;
        std::io::stdout().lock().write_all(&bytes)?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.json {
        let index = crate::memo::LineIndex::new(memo.text());
        let json = ShowJson {
            entry: super::list::ListEntry::new(memo, &set),
            deciders: memo.meta.deciders.clone(),
            decided: memo.meta.decided.map(crate::clock::format),
            supersedes: memo.meta.supersedes.clone(),
            superseded_by: memo.meta.superseded_by.clone(),
            sections: memo
                .outline
                .sections
                .iter()
                .map(|s| SectionJson {
                    heading: s.heading.clone(),
                    level: s.level,
                    line: index.line(s.heading_range.start),
                })
                .collect(),
        };
        super::print_json(&json)?;
        return Ok(ExitCode::SUCCESS);
    }

    let width = args
        .width
        .map(usize::from)
        .or_else(|| {
            use std::io::IsTerminal;
            std::io::stdout()
                .is_terminal()
                .then(|| {
                    crossterm::terminal::size()
                        .ok()
                        .map(|(w, _)| usize::from(w))
                })
                .flatten()
        })
        .unwrap_or(80)
        .max(20);

    let mut out = anstream::stdout().lock();
    let bold = anstyle::Style::new().bold();
    let dim = anstyle::Style::new().dimmed();
    let status = super::list::status_style(memo.status());
    let number = memo
        .number()
        .map(|n| format!("{n:04}  "))
        .unwrap_or_default();
    writeln!(
        out,
        "{bold}{number}{}{bold:#}",
        sanitize_line(&memo.title())
    )?;
    let mut facts = vec![format!(
        "{status}{}{status:#}",
        sanitize_line(memo.status())
    )];
    if let Some(created) = memo.created() {
        facts.push(created.format("%Y-%m-%d").to_string());
    }
    if !memo.meta.authors.is_empty() {
        facts.push(sanitize_line(&memo.meta.authors.join(", ")).into_owned());
    }
    if !memo.meta.tags.is_empty() {
        facts.push(format!(
            "tags: {}",
            sanitize_line(&memo.meta.tags.join(", "))
        ));
    }
    writeln!(out, "{}", facts.join(&format!(" {dim}·{dim:#} ")))?;
    writeln!(out, "{dim}{}{dim:#}", "─".repeat(width))?;

    let rendered = render::render(
        memo.body(),
        memo.document.body_offset,
        &RenderOptions {
            width,
            inline_urls: true,
        },
    );
    // The H1 that repeats the title is already in the header.
    let mut lines = rendered.lines.as_slice();
    if let Some(first) = rendered.headings.first()
        && first.level == 1
        && first.line == 0
        && first.text.trim() == memo.title().trim()
    {
        lines = &lines[1..];
        while lines.first().is_some_and(|l| l.width() == 0) {
            lines = &lines[1..];
        }
    }
    render::ansi::write_lines(&mut out, lines)?;
    Ok(ExitCode::SUCCESS)
}
