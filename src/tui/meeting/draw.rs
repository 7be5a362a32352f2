//! Drawing the meeting screen: the meeting bar, the line under it, the participants
//! pane, the reader and the pop-ups.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{EndDialog, MeetingState, Popup, SyncStatus};
use crate::meeting::countdown::{format_length, format_remaining};
use crate::meeting::fold::seconds;
use crate::meeting::report::participant_name;
use crate::meeting::{Outcome, Participant, Phase};
use crate::render::sanitize_line;
use crate::render::wrap::{pad, truncate};
use crate::tui::reader;
use crate::tui::widgets::{centered, clear, dim, fit_line};

/// Minutes left below which the countdown turns yellow.
const WARN_MINUTES: i64 = 5;

pub fn draw(frame: &mut Frame, area: Rect, state: &mut MeetingState) {
    let people = if state.show_participants {
        let wanted = u16::try_from(state.meeting.participants.len() + 2).unwrap_or(u16::MAX);
        wanted.min(area.height / 3)
    } else {
        0
    };
    let [bar, info, people_area, rest] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(people),
        Constraint::Min(1),
    ])
    .areas(area);

    draw_bar(frame, bar, state);
    draw_info(frame, info, state);
    if people > 0 {
        draw_participants(frame, people_area, state);
    }
    reader::draw(frame, rest, &mut state.reader);

    match &state.popup {
        Some(Popup::TimeUp) => draw_time_up(frame, area, state),
        Some(Popup::ConfirmDiscussion) => draw_confirm(frame, area, state),
        Some(Popup::End(dialog)) => draw_end(frame, area, dialog),
        None => {}
    }
}

fn draw_bar(frame: &mut Frame, area: Rect, state: &MeetingState) {
    let meeting = &state.meeting;
    let now = state.now();
    let zone = state.zone;
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut spans = vec![Span::styled(" Meeting ".to_owned(), bold)];
    match meeting.phase() {
        Phase::Reading => {
            let remaining = meeting.remaining(now);
            let (text, color) = if meeting.is_time_up(now) {
                ("time is up".to_owned(), Color::Red)
            } else if remaining <= chrono::Duration::minutes(WARN_MINUTES) {
                (
                    format!("{} left", format_remaining(remaining)),
                    Color::Yellow,
                )
            } else {
                (
                    format!("{} left", format_remaining(remaining)),
                    Color::Green,
                )
            };
            spans.push(Span::raw("· silent read · "));
            spans.push(Span::styled(text, bold.fg(color)));
            spans.push(Span::raw(format!(
                " · until {}",
                zone.clock_time(meeting.deadline())
            )));
        }
        Phase::Discussion => {
            spans.push(Span::raw("· "));
            spans.push(Span::styled("discussion".to_owned(), bold.fg(Color::Cyan)));
            if let Some(mark) = &meeting.discussion {
                spans.push(Span::raw(format!(" since {}", zone.clock_time(mark.time))));
            }
        }
        Phase::Ended => {
            let outcome = meeting
                .ended
                .as_ref()
                .map_or("ended".to_owned(), |e| format!("ended: {}", e.outcome));
            spans.push(Span::raw("· "));
            spans.push(Span::styled(outcome, bold.fg(Color::Magenta)));
        }
    }

    let readers = meeting.participants.len();
    let done = meeting
        .participants
        .iter()
        .filter(|p| p.done.is_some())
        .count();
    spans.push(Span::raw(format!(" · {done} of {readers} done")));

    match &state.sync_status {
        SyncStatus::Off => {}
        SyncStatus::Waiting => spans.push(Span::raw(" · syncing".to_owned())),
        SyncStatus::Synced(time) => spans.push(Span::raw(format!(
            " · synced {}",
            zone.format(*time, "%H:%M:%S")
        ))),
        SyncStatus::Failed(_) => spans.push(Span::styled(
            " · sync failed".to_owned(),
            Style::new().fg(Color::Red),
        )),
    }

    let line = fit_line(spans, usize::from(area.width));
    frame.render_widget(
        Paragraph::new(line).style(Style::new().add_modifier(Modifier::REVERSED)),
        area,
    );
}

fn draw_info(frame: &mut Frame, area: Rect, state: &MeetingState) {
    let (text, style) = info_text(state);
    let line = fit_line(
        vec![Span::styled(format!(" {}", sanitize_line(&text)), style)],
        usize::from(area.width),
    );
    frame.render_widget(Paragraph::new(line), area);
}

/// Returns the line under the meeting bar: a message, else the most useful hint.
fn info_text(state: &MeetingState) -> (String, Style) {
    let meeting = &state.meeting;
    if let Some(message) = &state.message {
        let color = if message.error {
            Color::Red
        } else {
            Color::Green
        };
        return (message.text.clone(), Style::new().fg(color));
    }
    if let SyncStatus::Failed(error) = &state.sync_status {
        return (
            format!("background sync failed: {error}"),
            Style::new().fg(Color::Red),
        );
    }
    if state.newer_revision && meeting.phase() != Phase::Ended {
        return (
            "A newer revision of this memo exists; the meeting reads the one it started with"
                .to_owned(),
            Style::new().fg(Color::Yellow),
        );
    }
    let facilitator = state.is_facilitator();
    match meeting.phase() {
        Phase::Reading => {
            let hiding = state.hiding.borrow();
            if hiding.active && hiding.hidden > 0 {
                return (
                    format!(
                        "{} comment(s) by others hidden until your read is done · d marks it done · s shows them",
                        hiding.hidden
                    ),
                    dim(),
                );
            }
            if facilitator && meeting.is_time_up(state.now()) {
                return (
                    "Time is up · P moves to discussion · + adds 5 minutes".to_owned(),
                    Style::new().fg(Color::Yellow),
                );
            }
            let mut text = "Silent read · d marks your read done · ? lists the keys".to_owned();
            if facilitator {
                text.push_str(" · P moves to discussion");
            }
            (text, dim())
        }
        Phase::Discussion => {
            let open = state.open_threads();
            let current = state
                .reader
                .thread_under_cursor()
                .and_then(|i| open.iter().position(|&o| o == i));
            let place = match current {
                Some(n) => format!("Thread {} of {} open", n + 1, open.len()),
                None => format!("{} open thread(s)", open.len()),
            };
            let mut text = format!("{place} · > next · < previous · r reply · x resolve");
            if facilitator {
                text.push_str(" · E records the outcome");
            }
            (text, dim())
        }
        Phase::Ended => {
            let text = match &meeting.ended {
                Some(ending) => match &ending.rationale {
                    Some(rationale) => format!("Ended as {}: {rationale}", ending.outcome),
                    None => format!("Ended as {}", ending.outcome),
                },
                None => "Ended".to_owned(),
            };
            (text, Style::new().fg(Color::Magenta))
        }
    }
}

fn draw_participants(frame: &mut Frame, area: Rect, state: &MeetingState) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(dim())
        .title(" Participants ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let lines: Vec<Line> = state
        .meeting
        .participants
        .iter()
        .take(usize::from(inner.height))
        .map(|p| participant_line(p, state, width))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn participant_line(
    participant: &Participant,
    state: &MeetingState,
    width: usize,
) -> Line<'static> {
    let name = participant_name(participant);
    let bar_width = 10;
    let filled = usize::from(participant.progress.percent.min(100)) * bar_width / 100;
    let bar = format!("{}{}", "█".repeat(filled), "░".repeat(bar_width - filled));
    let section = participant
        .progress
        .section
        .last()
        .map_or("-".to_owned(), |s| sanitize_line(s).into_owned());
    let done = match participant.done {
        Some(time) => Span::styled(
            format!("✓ {}", state.zone.clock_time(time)),
            Style::new().fg(Color::Green),
        ),
        None if state.meeting.phase() == Phase::Reading => {
            Span::styled("reading".to_owned(), dim())
        }
        None => Span::styled("not done".to_owned(), dim()),
    };
    fit_line(
        vec![
            Span::raw(pad(&truncate(&name, 28), 28)),
            Span::raw(" "),
            Span::styled(bar, Style::new().fg(Color::Cyan)),
            Span::raw(format!(" {:>3} % ", participant.progress.percent)),
            Span::raw(pad(&truncate(&format!("§ {section}"), 16), 16)),
            Span::raw(format!(" {:>7} ", reading_time(participant))),
            done,
            Span::styled(format!("  {} comment(s)", participant.comments), dim()),
        ],
        width,
    )
}

/// Returns a participant's active reading time, or `-` before any was recorded.
fn reading_time(participant: &Participant) -> String {
    match participant.progress.active_seconds {
        0 => "-".to_owned(),
        active => format_length(seconds(active)),
    }
}

fn draw_popup(frame: &mut Frame, area: Rect, title: &str, hint: &str, lines: Vec<Line<'static>>) {
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let popup = centered(area, 64, height);
    clear(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(Color::Yellow))
        .title(Line::from(format!(" {title} ")).style(Style::new().add_modifier(Modifier::BOLD)))
        .title_bottom(Line::from(format!(" {hint} ")).style(dim()));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        popup,
    );
}

fn draw_time_up(frame: &mut Frame, area: Rect, state: &MeetingState) {
    let deadline = state.zone.clock_time(state.meeting.deadline());
    let mut lines = vec![Line::from(format!(
        "The silent read's countdown reached zero at {deadline}."
    ))];
    if state.is_facilitator() {
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled("P", Style::new().fg(Color::Cyan)),
            Span::raw("  move the meeting to discussion"),
        ]));
        lines.push(Line::from(vec![
            Span::styled("+", Style::new().fg(Color::Cyan)),
            Span::raw(format!(
                "  give the read {} more minutes",
                super::EXTEND_MINUTES
            )),
        ]));
    } else {
        lines.push(Line::from(
            "Finish your thought; the facilitator moves the meeting to discussion.",
        ));
    }
    draw_popup(frame, area, "Time is up", "any other key closes", lines);
}

fn draw_confirm(frame: &mut Frame, area: Rect, state: &MeetingState) {
    let meeting = &state.meeting;
    let done = meeting
        .participants
        .iter()
        .filter(|p| p.done.is_some())
        .count();
    let now = state.now();
    let left = if meeting.is_time_up(now) {
        "the countdown is over".to_owned()
    } else {
        format!(
            "{} left on the countdown",
            format_remaining(meeting.remaining(now))
        )
    };
    let lines = vec![
        Line::from(format!(
            "{done} of {} participant(s) marked their read done; {left}.",
            meeting.participants.len()
        )),
        Line::from("Everyone's comments are shown in discussion."),
    ];
    draw_popup(
        frame,
        area,
        "Move to discussion?",
        "y or Enter moves on · any other key stays",
        lines,
    );
}

fn draw_end(frame: &mut Frame, area: Rect, dialog: &EndDialog) {
    let mut choices = vec![Span::raw("Outcome: ")];
    for outcome in [
        Outcome::Accepted,
        Outcome::Rejected,
        Outcome::Deferred,
        Outcome::NeedsWork,
    ] {
        let style = if outcome == dialog.outcome {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new()
        };
        choices.push(Span::styled(format!(" {outcome} "), style));
        choices.push(Span::raw(" "));
    }
    let mut lines = vec![
        Line::from(choices),
        Line::from(vec![
            Span::raw("Rationale: "),
            Span::raw(format!("{}▏", sanitize_line(&dialog.rationale))),
        ]),
        Line::from(Span::styled(
            format!(
                "The memo's status becomes {}; one commit records it.",
                dialog.outcome.status()
            ),
            dim(),
        )),
    ];
    if let Some(error) = &dialog.error {
        lines.push(Line::from(Span::styled(
            sanitize_line(error).into_owned(),
            Style::new().fg(Color::Red),
        )));
    }
    draw_popup(
        frame,
        area,
        "End the meeting",
        "Tab outcome · Enter records · Esc cancels",
        lines,
    );
}
