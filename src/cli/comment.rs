//! `memo comment`: add, reply, edit, resolve, reopen and list comment threads.

use std::io::{Read, Write as _};
use std::process::ExitCode;

use clap::Subcommand;

use super::Context;
use crate::error::{Error, Result};
use crate::meeting::hidden;
use crate::memo::Memo;
use crate::render::{sanitize, sanitize_line};
use crate::store::Repo;
use crate::thread::compose::{ComposeError, compose};
use crate::thread::write::{clean_body, short};
use crate::thread::{self, ThreadView, Write, draft};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: CommentCommand,
}

#[derive(Debug, Subcommand)]
pub enum CommentCommand {
    /// Open a thread on a quote, a section or the whole memo, and print its id.
    Add(AddArgs),
    /// Reply to a thread, and print the comment's id.
    Reply(ReplyArgs),
    /// Replace the text of a comment; earlier texts stay in its history.
    Edit(EditArgs),
    /// Mark a thread as resolved.
    Resolve(ThreadArgs),
    /// Open a resolved thread again.
    Reopen(ThreadArgs),
    /// List a memo's open threads in document order.
    List(ListArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The memo: a number, a uid (or a unique prefix of one), a file name or a path.
    #[arg(required_unless_present = "resume")]
    pub memo: Option<String>,

    /// The passage the thread is about, as written in the memo. Without it the thread is
    /// on the section, or on the whole memo.
    #[arg(long, value_name = "TEXT")]
    pub quote: Option<String>,

    /// The section the thread is on, or the quote is looked for in: a heading, or a path
    /// of headings joined by ' > '.
    #[arg(long, value_name = "HEADING")]
    pub section: Option<String>,

    /// The occurrence to anchor to when the quote occurs more than once, counting from 1.
    #[arg(long, value_name = "N", requires = "quote")]
    pub occurrence: Option<usize>,

    /// The comment; `-` reads it from standard input; without it the editor opens.
    #[arg(short, long, value_name = "BODY")]
    pub message: Option<String>,

    /// Send the comments saved as drafts after a failed write, oldest first.
    #[arg(long, conflicts_with_all = ["memo", "quote", "section", "occurrence", "message"])]
    pub resume: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReplyArgs {
    /// The thread's id, or a unique prefix of it (at least four characters).
    pub thread: String,

    /// The reply; `-` reads it from standard input; without it the editor opens.
    #[arg(short, long, value_name = "BODY")]
    pub message: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// The comment's id, or a unique prefix of it (at least four characters).
    pub comment: String,

    /// The new text; `-` reads it from standard input; without it the editor opens on
    /// the current text.
    #[arg(short, long, value_name = "BODY")]
    pub message: Option<String>,

    /// Edit a comment someone else wrote; the listing then names who wrote its text.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ThreadArgs {
    /// The thread's id, or a unique prefix of it (at least four characters).
    pub thread: String,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// The memo: a number, a uid (or a unique prefix of one), a file name or a path.
    pub memo: String,

    /// Include resolved threads.
    #[arg(long)]
    pub all: bool,

    /// Print a JSON array of threads.
    #[arg(long)]
    pub json: bool,

    /// Show others' comments during a silent read you have not marked done; they are
    /// hidden until then, as on the meeting screen.
    #[arg(long)]
    pub show_hidden: bool,
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
    match args.command {
        CommentCommand::Add(args) if args.resume => resume(&repo),
        CommentCommand::Add(args) => add(&repo, args),
        CommentCommand::Reply(args) => reply(&repo, args),
        CommentCommand::Edit(args) => edit(&repo, args),
        CommentCommand::Resolve(args) => set_resolved(&repo, &args.thread, true),
        CommentCommand::Reopen(args) => set_resolved(&repo, &args.thread, false),
        CommentCommand::List(args) => list(&repo, args),
    }
}

fn add(repo: &Repo, args: AddArgs) -> anyhow::Result<ExitCode> {
    let reference = args.memo.unwrap_or_default();
    let memo = repo.find_memo(&reference)?;
    let uid = memo_uid(&memo)?;
    let anchor = thread::anchor_for(
        repo,
        &memo,
        args.quote.as_deref(),
        args.section.as_deref(),
        args.occurrence,
    )?;
    let mut notes = vec![format!("Memo: {}", memo.label())];
    if let Some(quote) = &anchor.quote {
        notes.push(format!("Quote: {quote}"));
    } else if let Some(section) = anchor.section.last() {
        notes.push(format!("Section: {section}"));
    }
    let make = |body: String| Write::Open {
        memo: uid.clone(),
        anchor: anchor.clone(),
        body,
    };
    let body = body(repo, args.message, "", &notes, &make)?;
    let written = thread::send_or_keep(repo, make(body))?;
    println!("{}", written.thread);
    Ok(ExitCode::SUCCESS)
}

fn reply(repo: &Repo, args: ReplyArgs) -> anyhow::Result<ExitCode> {
    let found = thread::find_thread(&repo.git, &args.thread)?;
    let make = |body: String| Write::Reply {
        memo: found.memo.clone(),
        thread: found.id.clone(),
        body,
    };
    let notes = thread_notes(repo, &found.memo, &found.id)?;
    let body = body(repo, args.message, "", &notes, &make)?;
    let written = thread::send_or_keep(repo, make(body))?;
    println!("{}", written.comment);
    Ok(ExitCode::SUCCESS)
}

fn edit(repo: &Repo, args: EditArgs) -> anyhow::Result<ExitCode> {
    let found = thread::find_comment(&repo.git, &args.comment)?;
    let threads = thread::load(&repo.git, &found.memo)?;
    let (_, comment) = threads
        .comment(&found.id)
        .ok_or_else(|| Error::invalid(format!("comment {} is not in its memo's log", found.id)))?;
    let identity = repo.identity()?;
    if !args.force && !hidden::same_person(&comment.author.email, &identity.email) {
        return Err(Error::invalid_with_hint(
            format!(
                "comment {} is by {}, and only its author can edit a comment; reply instead",
                short(&found.id),
                sanitize_line(&comment.author.to_string())
            ),
            format!(
                "`memo comment reply {}` answers it; --force edits it anyway",
                short(&comment.thread)
            ),
        )
        .into());
    }
    let current = comment.current();
    let replaces: Vec<String> = current.iter().map(|v| v.id.clone()).collect();
    let mut notes = Vec::new();
    for other in current.iter().skip(1) {
        notes.push(format!(
            "Also current, from a concurrent edit by {}:\n{}",
            other.author, other.body
        ));
    }
    let make = |body: String| Write::Edit {
        memo: found.memo.clone(),
        comment: found.id.clone(),
        replaces: replaces.clone(),
        body,
    };
    let body = body(repo, args.message, comment.body(), &notes, &make)?;
    // After concurrent edits a comment has several current texts. An edit that keeps one
    // of them still settles the others, so it is sent even when its text is the same.
    if body == comment.body() && !comment.in_conflict() {
        println!("Comment {} unchanged; nothing sent", short(&found.id));
        return Ok(ExitCode::SUCCESS);
    }
    let written = thread::send_or_keep(repo, make(body))?;
    println!("{}", written.comment);
    Ok(ExitCode::SUCCESS)
}

fn set_resolved(repo: &Repo, reference: &str, resolved: bool) -> anyhow::Result<ExitCode> {
    let found = thread::find_thread(&repo.git, reference)?;
    let identity = repo.identity()?;
    let changed = thread::set_resolved(repo, &found, resolved, &identity)?;
    let state = if resolved { "resolved" } else { "open" };
    if changed {
        println!("Thread {} is {state}", short(&found.id));
    } else {
        println!(
            "Thread {} already was {state}; nothing changed",
            short(&found.id)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn list(repo: &Repo, args: ListArgs) -> anyhow::Result<ExitCode> {
    let memo = repo.find_memo(&args.memo)?;
    let uid = memo_uid(&memo)?;
    let mut listing = thread::list(repo, &memo, &uid, args.all)?;
    for problem in &listing.problems {
        super::warn(&problem.to_string());
    }
    for conflict in &listing.conflicts {
        super::warn(conflict);
    }
    if !args.show_hidden {
        hide_during_read(repo, &uid, &args.memo, &mut listing.threads)?;
    }
    if args.json {
        // One write: a memo's threads can make tens of thousands of lines, and standard
        // output is flushed at every line.
        let mut bytes = serde_json::to_vec_pretty(&listing.threads)
            .map_err(|e| Error::io("write to", "standard output", e.into()))?;
        bytes.push(b'\n');
        std::io::stdout().lock().write_all(&bytes)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::BufWriter::new(anstream::stdout().lock());
    if listing.threads.is_empty() {
        let which = if args.all {
            "no threads"
        } else {
            "no open threads"
        };
        writeln!(out, "{} has {which}", sanitize_line(&memo.label()))?;
    }
    for (i, thread) in listing.threads.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        print_thread(&mut out, thread)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Drops others' comments from `threads` while a silent read runs that the viewer has
/// not marked done, and warns on standard error how many it dropped.
fn hide_during_read(
    repo: &Repo,
    uid: &str,
    memo_reference: &str,
    threads: &mut Vec<ThreadView>,
) -> Result<()> {
    if let Some((read, hidden)) = hidden::hide_from_viewer(repo, uid, threads)?
        && hidden > 0
    {
        super::warn(&hidden::hidden_warning(hidden, &read, memo_reference));
    }
    Ok(())
}

fn print_thread(out: &mut impl std::io::Write, thread: &ThreadView) -> std::io::Result<()> {
    let bold = anstyle::Style::new().bold();
    let dim = anstyle::Style::new().dimmed();
    let mut facts = vec![
        if thread.resolved { "resolved" } else { "open" }.to_owned(),
        thread.anchor.state.as_str().to_owned(),
    ];
    if let Some(line) = thread.anchor.line {
        facts.push(format!("line {line}"));
    }
    match &thread.anchor.section {
        Some(section) => facts.push(sanitize_line(section).into_owned()),
        None if thread.anchor.quote.is_none() => facts.push("whole memo".to_owned()),
        None => {}
    }
    writeln!(
        out,
        "{bold}thread {}{bold:#}  {dim}{}{dim:#}",
        short(&thread.id),
        facts.join(" · ")
    )?;
    if let Some(quote) = &thread.anchor.quote {
        writeln!(out, "  > {}", sanitize_line(quote))?;
    }
    if let Some(by) = &thread.resolved_by {
        let after = match thread.comments_after_resolution {
            0 => String::new(),
            n => format!("; {n} comment(s) since"),
        };
        writeln!(
            out,
            "  {dim}resolved by {}{after}{dim:#}",
            sanitize_line(by)
        )?;
    }
    for comment in &thread.comments {
        let edited = match &comment.edited_by {
            Some(editor) if !hidden::same_person(editor, &comment.author) => {
                format!(" · edited by {}", sanitize_line(editor))
            }
            Some(_) => " · edited".to_owned(),
            None => String::new(),
        };
        writeln!(
            out,
            "  {bold}{}{bold:#} {dim}· {} · {}{edited}{dim:#}",
            sanitize_line(&comment.author),
            comment.time,
            short(&comment.id)
        )?;
        print_body(out, &comment.body, "    ")?;
        for other in &comment.conflict {
            writeln!(
                out,
                "    {dim}edited concurrently by {}:{dim:#}",
                sanitize_line(&other.author)
            )?;
            print_body(out, &other.body, "    ")?;
        }
    }
    Ok(())
}

fn print_body(out: &mut impl std::io::Write, body: &str, indent: &str) -> std::io::Result<()> {
    let body = sanitize(body);
    let body = crate::render::sanitize::expand_tabs(&body);
    for line in body.lines() {
        writeln!(out, "{indent}{line}")?;
    }
    Ok(())
}

/// Sends every saved draft with the current identity, oldest first.
fn resume(repo: &Repo) -> anyhow::Result<ExitCode> {
    let drafts = draft::list(repo)?;
    if drafts.is_empty() {
        println!("No drafts to send");
        return Ok(ExitCode::SUCCESS);
    }
    let identity = repo.identity()?;
    let mut failed = 0;
    for (path, draft) in drafts {
        let draft = match draft {
            Ok(draft) => draft,
            Err(error) => {
                super::warn(&format!("{error}; left in place"));
                failed += 1;
                continue;
            }
        };
        // An edit kept under one identity and resumed under another must not edit that
        // person's comment. The draft does not record --force, so it waits for one.
        if let Write::Edit { memo, comment, .. } = &draft.write
            && let Some(author) = thread::load(&repo.git, memo)?
                .comment(comment)
                .map(|(_, c)| c.author.clone())
            && !hidden::same_person(&author.email, &identity.email)
        {
            super::warn(&format!(
                "draft {}: comment {} is by {}, and only its author can edit it; left in place (`memo comment edit {} --force` edits it anyway, then delete the draft)",
                path.display(),
                short(comment),
                sanitize_line(&author.to_string()),
                short(comment),
            ));
            failed += 1;
            continue;
        }
        match thread::send(repo, &draft.write, &identity) {
            Ok(written) => {
                draft::remove(&path)?;
                let id = match draft.write {
                    Write::Open { .. } => written.thread,
                    _ => written.comment,
                };
                println!("Sent {}: {id}", sanitize_line(&draft.write.describe()));
            }
            Err(error) => {
                super::warn(&format!(
                    "could not send the {} ({error}); it stays in {}",
                    draft.write.describe(),
                    path.display()
                ));
                failed += 1;
            }
        }
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// Returns the comment text: from `-m`, from standard input for `-m -`, or from the
/// editor. A missing identity is reported before the editor opens; text typed in an
/// editor that then fails is kept as a draft.
fn body(
    repo: &Repo,
    message: Option<String>,
    initial: &str,
    notes: &[String],
    make: &dyn Fn(String) -> Write,
) -> Result<String> {
    let text = match message.as_deref() {
        Some("-") => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Error::io("read", "standard input", e))?;
            text
        }
        Some(text) => text.to_owned(),
        None => {
            repo.identity()?;
            match compose(repo, initial, notes) {
                Ok(text) => text,
                Err(ComposeError { error, typed }) => {
                    let Some(typed) = typed.filter(|t| !t.trim().is_empty()) else {
                        return Err(error);
                    };
                    return Err(match draft::save(repo, &make(typed)) {
                        Ok(path) => Error::DraftSaved {
                            cause: Box::new(error),
                            path,
                        },
                        Err(_) => error,
                    });
                }
            }
        }
    };
    clean_body(&text)
}

/// Returns the memo's uid, which its event log is named by. A memo in a merge conflict
/// or with unreadable front matter gives that error instead: its uid cannot be trusted,
/// and a new one would detach its comments.
fn memo_uid(memo: &Memo) -> Result<String> {
    if let Some(error) = memo.unusable_reason() {
        return Err(Error::Parse(error.clone()));
    }
    memo.uid().map(str::to_owned).ok_or_else(|| {
        Error::invalid_with_hint(
            format!(
                "{} has no uid, which comments refer to",
                memo.path.display()
            ),
            format!(
                "add a line `uid: {}` to its front matter and commit it",
                ulid::Ulid::generate()
            ),
        )
    })
}

/// Returns lines describing a thread, for the editor's notes.
fn thread_notes(repo: &Repo, uid: &str, thread_id: &str) -> Result<Vec<String>> {
    let threads = thread::load(&repo.git, uid)?;
    let mut notes = vec![format!("Thread {}", short(thread_id))];
    if let Some(thread) = threads.thread(thread_id) {
        if let Some(quote) = thread.anchor.as_ref().and_then(|a| a.quote.as_deref()) {
            notes.push(format!("Quote: {quote}"));
        }
        for comment in &thread.comments {
            notes.push(format!("{}: {}", comment.author.name, comment.body()));
        }
    }
    Ok(notes)
}
