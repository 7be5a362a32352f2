//! `memo meet`: start, join, follow and end a meeting on a memo.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Subcommand;

use super::Context;
use crate::clock;
use crate::error::Result;
use crate::meeting::countdown::{Zone, format_length};
use crate::meeting::fold::seconds;
use crate::meeting::report::{MeetingView, MemoView, phase_line, status_text};
use crate::meeting::write::{self, revision_memo, revision_state, short};
use crate::meeting::{self, Decision, Meeting, Meetings, Outcome, Progress};
use crate::memo::Memo;
use crate::render::sanitize_line;
use crate::store::Repo;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: MeetCommand,
}

#[derive(Debug, Subcommand)]
pub enum MeetCommand {
    /// Start a meeting on a memo and open the meeting screen.
    Start(StartArgs),
    /// Join the running meeting on a memo and open the meeting screen.
    Join(JoinArgs),
    /// Print the phase, the time left and every participant's progress.
    Status(StatusArgs),
    /// Mark your silent read finished.
    Done(SelectArgs),
    /// Move the meeting from the silent read to discussion (facilitator).
    Discuss(ForceArgs),
    /// Give the silent read more minutes (facilitator).
    Extend(ExtendArgs),
    /// End the meeting with its outcome, and record it in the memo's front matter
    /// (facilitator).
    End(EndArgs),
}

#[derive(Debug, clap::Args)]
pub struct StartArgs {
    /// The memo: a number, a uid (or a unique prefix of one), a file name or a path.
    pub memo: String,

    /// Length of the silent read in minutes; by default the memo's reading time,
    /// within meeting.min_read_minutes and meeting.max_read_minutes.
    #[arg(long, value_name = "M")]
    pub minutes: Option<u32>,

    /// Record the meeting without opening the meeting screen.
    #[arg(long)]
    pub no_tui: bool,
}

#[derive(Debug, clap::Args)]
pub struct SelectArgs {
    /// The memo: a number, a uid (or a unique prefix of one), a file name or a path.
    pub memo: String,

    /// The meeting, by id or a prefix of it, when another one than the running one.
    #[arg(long, value_name = "ID")]
    pub meeting: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct JoinArgs {
    #[command(flatten)]
    pub select: SelectArgs,

    /// Record joining without opening the meeting screen.
    #[arg(long)]
    pub no_tui: bool,
}

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub select: SelectArgs,

    /// Print a JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ForceArgs {
    #[command(flatten)]
    pub select: SelectArgs,

    /// Act in the facilitator's place; the log records who did.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExtendArgs {
    #[command(flatten)]
    pub select: ForceArgs,

    /// Minutes to add to the silent read (from now, when its time is up).
    #[arg(long, value_name = "M")]
    pub minutes: u32,
}

#[derive(Debug, clap::Args)]
pub struct EndArgs {
    #[command(flatten)]
    pub select: ForceArgs,

    /// The outcome; the memo's status becomes the same, or `draft` for needs-work.
    #[arg(long, value_enum, value_name = "OUTCOME")]
    pub outcome: Outcome,

    /// The reason for the outcome; kept in the outcome event, the commit and the
    /// minutes.
    #[arg(long, value_name = "TEXT")]
    pub rationale: Option<String>,

    /// A decider, as `Name <email>`; repeat for each. By default every participant.
    #[arg(long = "decider", value_name = "NAME")]
    pub deciders: Vec<String>,
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
    match args.command {
        MeetCommand::Start(args) => start(&repo, args),
        MeetCommand::Join(args) => join(&repo, args),
        MeetCommand::Status(args) => status(&repo, args),
        MeetCommand::Done(args) => done(&repo, args),
        MeetCommand::Discuss(args) => discuss(&repo, args),
        MeetCommand::Extend(args) => extend(&repo, args),
        MeetCommand::End(args) => end(&repo, args),
    }
}

/// The memo a command names, with its meetings.
struct Target {
    memo: Memo,
    uid: String,
    meetings: Meetings,
}

impl Target {
    fn load(repo: &Repo, reference: &str) -> Result<Target> {
        let memo = repo.find_usable_memo(reference)?;
        let uid = meeting::memo_uid(&memo)?;
        let meetings = meeting::load(&repo.git, &uid)?;
        for problem in &meetings.problems {
            super::warn(&problem.to_string());
        }
        Ok(Target {
            memo,
            uid,
            meetings,
        })
    }

    /// Returns the running meeting (or the one `--meeting` names), warning when more
    /// than one runs.
    fn running(&self, wanted: Option<&str>) -> Result<&Meeting> {
        let meeting = meeting::select(&self.meetings, &self.memo, wanted)?;
        if wanted.is_none() {
            let others: Vec<&str> = self
                .meetings
                .running()
                .filter(|m| m.id != meeting.id)
                .map(|m| short(&m.id))
                .collect();
            if !others.is_empty() {
                super::warn(&format!(
                    "{} other meeting(s) on this memo are running too ({}), started on other clones at the same time; this command is about {}, the one started first; pass --meeting ID for another",
                    others.len(),
                    others.join(", "),
                    short(&meeting.id)
                ));
            }
        }
        Ok(meeting)
    }

    fn memo_view(&self) -> MemoView {
        MemoView::new(&self.uid, Some(&self.memo))
    }
}

fn start(repo: &Repo, args: StartArgs) -> anyhow::Result<ExitCode> {
    let memo = repo.find_usable_memo(&args.memo)?;
    let identity = repo.identity()?;
    let meeting = meeting::start(repo, &memo, args.minutes, &identity, clock::now())?;
    println!(
        "Started meeting {} on {}: silent read of {}, until {} (local time)",
        short(&meeting.id),
        sanitize_line(&memo.label()),
        format_length(seconds(meeting.read_seconds)),
        Zone::Local.clock_time(meeting.deadline())
    );
    let number = memo
        .number()
        .map_or_else(|| meeting.memo.clone(), |n| n.to_string());
    println!("Readers join with `memo meet join {number}` (after `memo sync` on their clones)");
    open_screen(repo, &meeting, args.no_tui)
}

fn join(repo: &Repo, args: JoinArgs) -> anyhow::Result<ExitCode> {
    let target = Target::load(repo, &args.select.memo)?;
    let meeting = target.running(args.select.meeting.as_deref())?;
    let identity = repo.identity()?;
    // The revision must be readable before anyone joins to read it.
    revision_memo(repo, meeting)?;
    let joined = meeting::join(repo, meeting, &identity, clock::now())?;
    let verb = if joined { "Joined" } else { "Rejoined" };
    println!(
        "{verb} meeting {} on {}: {}",
        short(&meeting.id),
        sanitize_line(&target.memo.label()),
        phase_line(meeting, clock::now(), Zone::Local)
    );
    if revision_state(repo, meeting).newer {
        println!(
            "The memo changed after the meeting started; the meeting reads the revision it started with (blob {})",
            &meeting.revision.blob[..12.min(meeting.revision.blob.len())]
        );
    }
    open_screen(repo, meeting, args.no_tui)
}

fn status(repo: &Repo, args: StatusArgs) -> anyhow::Result<ExitCode> {
    let target = Target::load(repo, &args.select.memo)?;
    let meeting = meeting::select_shown(
        &target.meetings,
        &target.memo,
        args.select.meeting.as_deref(),
    )?;
    let newer = revision_state(repo, meeting).newer;
    let now = clock::now();
    if args.json {
        super::print_json(&MeetingView::new(meeting, target.memo_view(), newer, now))?;
    } else {
        print!(
            "{}",
            status_text(meeting, &target.memo_view(), newer, now, Zone::Local)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn done(repo: &Repo, args: SelectArgs) -> anyhow::Result<ExitCode> {
    let target = Target::load(repo, &args.memo)?;
    let meeting = target.running(args.meeting.as_deref())?;
    let identity = repo.identity()?;
    if let Some(participant) = meeting.participant(&identity.email)
        && let Some(time) = participant.done
    {
        println!(
            "You marked your read of meeting {} done at {}; nothing changed",
            short(&meeting.id),
            Zone::Local.clock_time(time)
        );
        return Ok(ExitCode::SUCCESS);
    }

    // Marking the read done from the command line records the whole memo as read.
    let recorded = meeting
        .participant(&identity.email)
        .map(|p| p.progress.clone())
        .unwrap_or_default();
    let last_section = revision_memo(repo, meeting)
        .ok()
        .and_then(|memo| {
            let last = memo.outline.sections.len().checked_sub(1)?;
            Some(
                memo.outline
                    .path(last)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            )
        })
        .unwrap_or(recorded.section.clone());
    let progress = Progress {
        section: last_section,
        percent: 100,
        ..recorded
    };

    meeting::record_progress(repo, meeting, progress, true, &identity, clock::now())?;
    println!(
        "Marked your read of meeting {} on {} done",
        short(&meeting.id),
        sanitize_line(&target.memo.label())
    );
    Ok(ExitCode::SUCCESS)
}

fn discuss(repo: &Repo, args: ForceArgs) -> anyhow::Result<ExitCode> {
    let target = Target::load(repo, &args.select.memo)?;
    let meeting = target.running(args.select.meeting.as_deref())?;
    let identity = repo.identity()?;
    let now = clock::now();
    let moved = meeting::move_to_discussion(repo, meeting, &identity, args.force, now)?;
    if moved {
        let early = if meeting.is_time_up(now) {
            String::new()
        } else {
            format!(
                " ({} before the countdown's end)",
                crate::meeting::countdown::format_remaining(meeting.remaining(now))
            )
        };
        println!(
            "Meeting {} on {} is in discussion{early}",
            short(&meeting.id),
            sanitize_line(&target.memo.label())
        );
    } else {
        println!(
            "Meeting {} already is in discussion; nothing changed",
            short(&meeting.id)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn extend(repo: &Repo, args: ExtendArgs) -> anyhow::Result<ExitCode> {
    let target = Target::load(repo, &args.select.select.memo)?;
    let meeting = target.running(args.select.select.meeting.as_deref())?;
    let identity = repo.identity()?;
    let deadline = write::extend(
        repo,
        meeting,
        args.minutes,
        &identity,
        args.select.force,
        clock::now(),
    )?;
    println!(
        "The silent read of meeting {} now ends at {} (local time)",
        short(&meeting.id),
        Zone::Local.clock_time(deadline)
    );
    Ok(ExitCode::SUCCESS)
}

fn end(repo: &Repo, args: EndArgs) -> anyhow::Result<ExitCode> {
    let target = Target::load(repo, &args.select.select.memo)?;
    let meeting = target.running(args.select.select.meeting.as_deref())?;
    let identity = repo.identity()?;
    // The outcome is committed to the memo's front matter. On a detached HEAD that
    // commit fails, so the command stops before the meeting's end is recorded.
    repo.commit_branch()?;
    let decision = Decision {
        outcome: args.outcome,
        rationale: args.rationale,
        deciders: (!args.deciders.is_empty()).then_some(args.deciders),
    };
    let ended = meeting::end(
        repo,
        &target.memo,
        meeting,
        decision,
        &identity,
        args.select.force,
        clock::now(),
    )?;
    let commit = match &ended.commit {
        Some(commit) => format!(" in commit {}", &commit[..12.min(commit.len())]),
        None => " (the front matter already said so)".to_owned(),
    };
    println!(
        "Ended meeting {} as {}; {} is now {}{commit}",
        short(&meeting.id),
        ended.outcome,
        sanitize_line(&target.memo.label()),
        ended.status
    );
    Ok(ExitCode::SUCCESS)
}

/// Opens the meeting screen, unless asked not to or not on a terminal.
fn open_screen(repo: &Repo, meeting: &Meeting, no_tui: bool) -> anyhow::Result<ExitCode> {
    let interactive = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    if no_tui {
        return Ok(ExitCode::SUCCESS);
    }
    if !interactive {
        println!(
            "Standard output is not a terminal, so the meeting screen was not opened; `memo meet status` follows the meeting"
        );
        return Ok(ExitCode::SUCCESS);
    }
    crate::tui::run_meeting(repo, &meeting.memo, &meeting.id)?;
    Ok(ExitCode::SUCCESS)
}
