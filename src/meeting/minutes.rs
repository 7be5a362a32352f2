//! A meeting's minutes as Markdown: attendees, the silent read, the threads the
//! meeting worked on with their resolution, and the outcome.

use std::fmt::Write as _;

use super::countdown::{Zone, format_length};
use super::fold::{Meeting, Role, seconds};
use super::report::MemoView;
use crate::render::{sanitize, sanitize_line};
use crate::thread::{Thread, Threads};

/// Writes the minutes of `meeting`, given the memo's threads.
pub fn minutes(meeting: &Meeting, memo: &MemoView, threads: &Threads, zone: Zone) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Minutes: {}\n", inline(&memo.label()));
    header(&mut out, meeting, zone);
    let title = memo.title.as_deref();
    attendees(&mut out, meeting, title, zone);
    silent_read(&mut out, meeting, zone);
    thread_section(&mut out, meeting, threads, title, zone);
    outcome(&mut out, meeting, zone);
    out
}

fn header(out: &mut String, meeting: &Meeting, zone: Zone) {
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| Meeting | `{}` |", meeting.id);
    let _ = writeln!(out, "| Started | {} |", zone.date_time(meeting.start));
    if let Some(ending) = &meeting.ended {
        let _ = writeln!(out, "| Ended | {} |", zone.date_time(ending.mark.time));
    }
    let _ = writeln!(
        out,
        "| Facilitator | {} |",
        cell(&meeting.facilitator.to_string())
    );
    let commit = meeting.revision.commit.as_deref().unwrap_or("none");
    let _ = writeln!(
        out,
        "| Memo revision | `{}` at commit `{commit}` (blob `{}`) |",
        cell(&meeting.revision.path),
        meeting.revision.blob
    );
    let state = match &meeting.ended {
        Some(ending) => ending.outcome.to_string(),
        None => format!("still running ({})", meeting.phase().as_str()),
    };
    let _ = writeln!(out, "| Outcome | {state} |\n");
}

fn attendees(out: &mut String, meeting: &Meeting, title: Option<&str>, zone: Zone) {
    let _ = writeln!(out, "## Attendees\n");
    let _ = writeln!(
        out,
        "| attendee | role | joined | read | furthest section | reading time | done | comments |"
    );
    let _ = writeln!(out, "|---|---|---|---:|---|---:|---|---:|");
    for participant in &meeting.participants {
        let role = match participant.role {
            Role::Facilitator => "facilitator",
            Role::Reader => "reader",
        };
        let section = if participant.progress.section.is_empty() {
            "-".to_owned()
        } else {
            cell(&section_label(&participant.progress.section, title))
        };
        let done = participant
            .done
            .map_or("no".to_owned(), |time| zone.clock_time(time));
        let _ = writeln!(
            out,
            "| {} | {role} | {} | {} % | {section} | {} | {done} | {} |",
            cell(&participant.author.to_string()),
            zone.clock_time(participant.joined),
            participant.progress.percent,
            format_length(seconds(participant.progress.active_seconds)),
            participant.comments
        );
    }
    out.push('\n');
}

fn silent_read(out: &mut String, meeting: &Meeting, zone: Zone) {
    let _ = writeln!(out, "## Silent read\n");
    let mut text = format!(
        "Planned for {}",
        format_length(seconds(meeting.planned_read_seconds))
    );
    if meeting.read_seconds != meeting.planned_read_seconds {
        let _ = write!(
            text,
            ", extended to {}",
            format_length(seconds(meeting.read_seconds))
        );
    }
    match meeting.read_duration() {
        Some(taken) => {
            let _ = write!(
                text,
                "; it took {}, from {} to {}.",
                format_length(taken),
                zone.clock_time(meeting.start),
                zone.clock_time(meeting.start + taken)
            );
        }
        None => text.push_str("; it is still going on."),
    }
    let total = meeting.participants.len();
    let done = meeting
        .participants
        .iter()
        .filter(|p| p.done.is_some())
        .count();
    let _ = write!(
        text,
        " {done} of {total} participant(s) marked the read done"
    );
    let mut times: Vec<u64> = meeting
        .participants
        .iter()
        .map(|p| p.progress.active_seconds)
        .filter(|s| *s > 0)
        .collect();
    times.sort_unstable();
    if times.is_empty() {
        text.push('.');
    } else {
        let median = times[times.len() / 2];
        let _ = write!(
            text,
            "; the median reading time was {}.",
            format_length(seconds(median))
        );
    }
    let _ = writeln!(out, "{text}\n");
}

/// Returns whether the meeting worked on a thread: opened, discussed, resolved or
/// commented on it while it ran.
fn worked_on(meeting: &Meeting, thread: &Thread) -> bool {
    let during = |clock: u64| {
        clock > meeting.clock
            && meeting
                .ended
                .as_ref()
                .is_none_or(|ending| clock < ending.mark.clock)
    };
    meeting.discussed.contains(&thread.id)
        || meeting.threads_opened.contains(&thread.id)
        || meeting.threads_resolved.contains(&thread.id)
        || thread.comments.iter().any(|c| during(c.clock))
}

fn thread_section(
    out: &mut String,
    meeting: &Meeting,
    threads: &Threads,
    title: Option<&str>,
    zone: Zone,
) {
    let _ = writeln!(out, "## Threads\n");
    let mut worked: Vec<&Thread> = threads
        .threads
        .iter()
        .filter(|t| worked_on(meeting, t))
        .collect();
    // Document order of the meeting's revision: the whole-memo threads first, then by
    // where each passage starts.
    worked.sort_by_key(|t| {
        let start = t.anchor.as_ref().map_or(usize::MAX, |a| {
            if a.quote.is_none() && a.section.is_empty() {
                0
            } else {
                a.start + 1
            }
        });
        (start, t.clock)
    });
    if worked.is_empty() {
        let _ = writeln!(out, "No thread was opened or discussed.\n");
        return;
    }
    for (number, thread) in worked.iter().enumerate() {
        let about = match thread.anchor.as_ref() {
            Some(anchor) => match (&anchor.quote, anchor.section.is_empty()) {
                (Some(quote), false) => format!(
                    "\"{}\" in {}",
                    inline(&excerpt(quote, 60)),
                    inline(&section_label(&anchor.section, title))
                ),
                (Some(quote), true) => format!("\"{}\"", inline(&excerpt(quote, 60))),
                (None, false) => {
                    format!("section {}", inline(&section_label(&anchor.section, title)))
                }
                (None, true) => "the whole memo".to_owned(),
            },
            None => "a passage no longer recorded".to_owned(),
        };
        let discussed = if meeting.discussed.contains(&thread.id) {
            ", discussed"
        } else {
            ""
        };
        let _ = writeln!(out, "### {}. On {about}{discussed}\n", number + 1);
        for comment in &thread.comments {
            let body = sanitize(comment.body()).replace('\n', "\n  ");
            let _ = writeln!(
                out,
                "- **{}**, {}: {}",
                inline(&comment.author.name),
                zone.clock_time(comment.time),
                body.trim_end()
            );
        }
        let resolution = match &thread.resolved {
            Some(change)
                if meeting
                    .ended
                    .as_ref()
                    .is_none_or(|e| change.clock < e.mark.clock) =>
            {
                format!(
                    "Resolved by {} at {}.",
                    inline(&change.author.name),
                    zone.clock_time(change.time)
                )
            }
            Some(change) => format!(
                "Left open in the meeting; resolved afterwards by {} on {}.",
                inline(&change.author.name),
                zone.date_time(change.time)
            ),
            None => "Left open.".to_owned(),
        };
        let _ = writeln!(out, "\n{resolution}\n");
    }
}

fn outcome(out: &mut String, meeting: &Meeting, zone: Zone) {
    let _ = writeln!(out, "## Outcome\n");
    let Some(ending) = &meeting.ended else {
        let _ = writeln!(out, "The meeting has not ended yet.");
        return;
    };
    let mut outcome = ending.outcome.to_string();
    if let Some(first) = outcome.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    match &ending.rationale {
        Some(rationale) => {
            let _ = writeln!(out, "**{outcome}.** {}\n", sanitize(rationale).trim_end());
        }
        None => {
            let _ = writeln!(out, "**{outcome}.**\n");
        }
    }
    let mut record = format!(
        "Recorded by {} at {}; the memo's status is now {}",
        inline(&ending.mark.author.name),
        zone.date_time(ending.mark.time),
        ending.status
    );
    if let Some(commit) = &ending.commit {
        let _ = write!(record, " (commit `{commit}`)");
    }
    if ending.deciders.is_empty() {
        record.push('.');
    } else {
        let deciders: Vec<String> = ending.deciders.iter().map(|d| inline(d)).collect();
        let _ = write!(record, ". Deciders: {}.", deciders.join(", "));
    }
    let _ = writeln!(out, "{record}");
}

/// Returns a heading path as `Options > Aurora`, without the memo's title heading
/// that every path of a memo with a level-1 title starts with.
fn section_label(path: &[String], title: Option<&str>) -> String {
    let shown = match (path.split_first(), title) {
        (Some((first, rest)), Some(title)) if !rest.is_empty() && first == title => rest,
        _ => path,
    };
    shown.join(" > ")
}

/// Returns one-line text for Markdown, with control characters made visible.
fn inline(text: &str) -> String {
    sanitize_line(text).into_owned()
}

/// Returns text for a Markdown table cell: one line, with `|` escaped.
fn cell(text: &str) -> String {
    inline(text).replace('|', "\\|")
}

/// Returns the first `chars` characters of a quote, on one line, with `…` when cut.
fn excerpt(text: &str, chars: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= chars {
        return flat;
    }
    let mut cut: String = flat.chars().take(chars).collect();
    cut.push('…');
    cut
}
