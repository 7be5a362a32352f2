//! `memo list`.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::Context;
use crate::error::Error;
use crate::memo::{Memo, Status};
use crate::render::sanitize_line;
use crate::render::wrap::pad;
use crate::store::MemoSet;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only memos with this status.
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,

    /// Only memos with this tag.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,

    /// Print a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// A memo as `list --json` prints it.
#[derive(Debug, Serialize)]
pub struct ListEntry {
    pub number: Option<u32>,
    pub uid: Option<String>,
    pub title: String,
    pub status: String,
    pub template: Option<String>,
    pub path: String,
    pub created: Option<String>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    /// Set when another memo has the same number.
    pub duplicate_number: bool,
    /// Set when the file contains an unresolved git merge conflict.
    pub merge_conflict: bool,
}

impl ListEntry {
    pub fn new(memo: &Memo, set: &MemoSet) -> ListEntry {
        ListEntry {
            number: memo.number(),
            uid: memo.uid().map(str::to_owned),
            title: memo.title(),
            status: memo.status().to_owned(),
            template: memo.meta.template.clone(),
            path: memo.path.to_string_lossy().replace('\\', "/"),
            created: memo.created().map(crate::clock::format),
            authors: memo.meta.authors.clone(),
            tags: memo.meta.tags.clone(),
            duplicate_number: set.is_duplicate_number(memo),
            merge_conflict: memo.conflict.is_some(),
        }
    }
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
    let set = repo.load_memos()?;
    for error in &set.unreadable {
        super::warn(&format!("{error}; skipped"));
    }
    for memo in &set.memos {
        if let Some(error) = memo.unusable_reason() {
            super::warn(&format!("{error}; listed with what could be read"));
        }
    }

    // A status no memo could have is a typo, not an empty result. A status outside the
    // lifecycle is still accepted when a memo carries it, so hand-written ones stay
    // listable.
    if let Some(status) = args.status.as_deref()
        && status.parse::<Status>().is_err()
        && !set
            .memos
            .iter()
            .any(|m| m.status().eq_ignore_ascii_case(status))
    {
        return Err(Error::InvalidStatus {
            value: status.to_owned(),
        }
        .into());
    }

    let memos: Vec<&Memo> = set
        .memos
        .iter()
        .filter(|m| {
            args.status
                .as_deref()
                .is_none_or(|s| m.status().eq_ignore_ascii_case(s))
        })
        .filter(|m| {
            args.tag
                .as_deref()
                .is_none_or(|t| m.meta.tags.iter().any(|x| x.eq_ignore_ascii_case(t)))
        })
        .collect();

    if args.json {
        let entries: Vec<ListEntry> = memos.iter().map(|m| ListEntry::new(m, &set)).collect();
        super::print_json(&entries)?;
        return Ok(ExitCode::SUCCESS);
    }

    let mut out = anstream::stdout().lock();
    for memo in memos {
        let number = memo
            .number()
            .map_or("    ".to_owned(), |n| format!("{n:04}"));
        let status = status_style(memo.status());
        let date = memo.created().map_or("          ".to_owned(), |c| {
            c.format("%Y-%m-%d").to_string()
        });
        let others = set.same_number(memo);
        let duplicate = if others.is_empty() {
            String::new()
        } else {
            let red = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Red.into()));
            let names: Vec<String> = others
                .iter()
                .map(|m| sanitize_line(&m.file_name()).into_owned())
                .collect();
            format!("  {red}(number also used by {}){red:#}", names.join(", "))
        };
        let conflict = if memo.conflict.is_some() {
            let red = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Red.into()));
            format!("  {red}(unresolved merge conflict){red:#}")
        } else {
            String::new()
        };
        writeln!(
            out,
            "{number}  {status}{}{status:#}  {date}  {}{duplicate}{conflict}",
            pad(&sanitize_line(memo.status()), 10),
            sanitize_line(&memo.title()),
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Returns the colour of a status in listings.
pub fn status_style(status: &str) -> anstyle::Style {
    use anstyle::AnsiColor;
    let color = match status {
        "draft" => AnsiColor::BrightBlack,
        "review" => AnsiColor::Yellow,
        "accepted" => AnsiColor::Green,
        "rejected" => AnsiColor::Red,
        "deferred" => AnsiColor::Magenta,
        "superseded" => AnsiColor::Blue,
        _ => AnsiColor::White,
    };
    anstyle::Style::new().fg_color(Some(color.into()))
}
