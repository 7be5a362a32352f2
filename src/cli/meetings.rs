//! `memo meetings`: the record of past and running meetings, and their minutes.

use std::io::Write;
use std::process::ExitCode;

use super::Context;
use crate::clock;
use crate::error::Error;
use crate::events;
use crate::meeting::report::{MeetingView, MemoView, list_line};
use crate::meeting::write::revision_state_of;
use crate::meeting::{self, Zone};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only the meetings on this memo: a number, a uid (or a unique prefix of one), a
    /// file name or a path.
    pub memo: Option<String>,

    /// Print a JSON array of meetings.
    #[arg(long, conflicts_with = "minutes")]
    pub json: bool,

    /// Print the minutes of the memo's latest meeting (or the one --meeting names) as
    /// Markdown.
    #[arg(long, requires = "memo")]
    pub minutes: bool,

    /// The meeting whose minutes to print, by id or a prefix of it.
    #[arg(long, value_name = "ID", requires = "minutes")]
    pub meeting: Option<String>,

    /// Show others' comments in the minutes during a silent read you have not marked
    /// done; they are hidden until then, as on the meeting screen.
    #[arg(long, requires = "minutes")]
    pub show_hidden: bool,
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
    let now = clock::now();

    if let Some(reference) = &args.memo {
        let memo = repo.find_usable_memo(reference)?;
        let uid = meeting::memo_uid(&memo)?;
        let meetings = meeting::load(&repo.git, &uid)?;
        for problem in &meetings.problems {
            super::warn(&problem.to_string());
        }
        let view = MemoView::new(&uid, Some(&memo));
        if args.minutes {
            let chosen = meeting::select_shown(&meetings, &memo, args.meeting.as_deref())?;
            let mut threads = crate::thread::load(&repo.git, &uid)?;
            let email = repo.identity().map(|i| i.email).unwrap_or_default();
            if let Some(read) = meeting::hidden::hiding_read(&meetings, &email)
                && !args.show_hidden
            {
                let hidden = meeting::hidden::keep_own(
                    &mut threads.threads,
                    &email,
                    |thread| &mut thread.comments,
                    |comment| comment.author.email.as_str(),
                );
                if hidden > 0 {
                    super::warn(&meeting::hidden::hidden_warning(hidden, read, reference));
                }
            }
            let text = meeting::minutes::minutes(chosen, &view, &threads, Zone::Local);
            std::io::stdout().lock().write_all(text.as_bytes())?;
            return Ok(ExitCode::SUCCESS);
        }
        let rows: Vec<Row> = meetings
            .meetings
            .iter()
            .map(|m| Row {
                meeting: m,
                memo: view.clone(),
                newer: revision_state_of(&repo, m, Some(&memo)).newer,
            })
            .collect();
        return print(&rows, args.json, now);
    }

    // Every memo's log: a log without meeting events adds no row.
    let set = repo.load_memos()?;
    let mut all = Vec::new();
    for (uid, _) in events::heads(&repo.git)? {
        let meetings = meeting::load(&repo.git, &uid)?;
        for problem in &meetings.problems {
            super::warn(&problem.to_string());
        }
        all.extend(meetings.meetings);
    }
    all.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    let rows: Vec<Row> = all
        .iter()
        .map(|m| {
            let memo = set.find_by_uid(&m.memo);
            Row {
                meeting: m,
                memo: MemoView::new(&m.memo, memo),
                newer: revision_state_of(&repo, m, memo).newer,
            }
        })
        .collect();
    print(&rows, args.json, now)
}

/// A meeting with its memo, as one row of the listing.
struct Row<'m> {
    meeting: &'m meeting::Meeting,
    memo: MemoView,
    /// The memo changed after the meeting started.
    newer: bool,
}

fn print(
    rows: &[Row<'_>],
    json: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<ExitCode> {
    if json {
        let views: Vec<MeetingView> = rows
            .iter()
            .map(|row| MeetingView::new(row.meeting, row.memo.clone(), row.newer, now))
            .collect();
        super::print_json(&views)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::BufWriter::new(anstream::stdout().lock());
    if rows.is_empty() {
        writeln!(out, "No meetings yet; `memo meet start MEMO` starts one")
            .map_err(|e| Error::io("write to", "standard output", e))?;
    }
    for row in rows {
        writeln!(out, "{}", list_line(row.meeting, &row.memo, Zone::Local))
            .map_err(|e| Error::io("write to", "standard output", e))?;
    }
    Ok(ExitCode::SUCCESS)
}
