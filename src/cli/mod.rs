//! The command line: argument definitions, one module per command, and the mapping
//! of results to exit codes (0 success, 1 findings or no match, 2 usage or input
//! error).

mod check;
mod comment;
mod completions;
mod demo;
mod edit;
mod hook;
mod import;
mod index;
mod init;
mod list;
mod log;
mod man;
mod meet;
mod meetings;
mod new;
mod search;
mod show;
mod status;
mod sync;
mod templates;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::{Error, Result};
use crate::render::sanitize_line;
use crate::store::Repo;

/// Write, check, meet on and remember narrative decision memos, stored in git.
///
/// Run `memo` without a command to open the library in the terminal UI.
#[derive(Debug, Parser)]
#[command(name = "memo", version, about, max_term_width = 100)]
pub struct Cli {
    /// Run as if memo was started in DIR.
    #[arg(short = 'C', global = true, value_name = "DIR")]
    pub directory: Option<PathBuf>,

    /// When to use colour: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    /// Log more detail to standard error (-v for debug, -vv for trace); MEMO_LOG sets a filter.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Set up a decision repository (running `git init` where there is none).
    Init(init::Args),
    /// Start a memo from a template and open it in your editor.
    New(new::Args),
    /// Open a memo in your editor and commit the change.
    Edit(edit::Args),
    /// List the memos.
    List(list::Args),
    /// Show a memo rendered for the terminal.
    Show(show::Args),
    /// Move a memo to another status (draft, review, accepted, rejected, deferred, superseded).
    Status(status::Args),
    /// Check memos against their template's rules.
    Check(check::Args),
    /// Install or remove the git pre-commit hook that checks staged memos.
    Hook(hook::Args),
    /// Search every memo.
    Search(search::Args),
    /// Bring the search index up to date, rebuild it or show its statistics.
    Index(index::Args),
    /// Show the history of a memo.
    Log(log::Args),
    /// Import memos written elsewhere.
    Import(import::Args),
    /// Comment on a memo: add, reply, edit, resolve, reopen and list threads.
    Comment(comment::Args),
    /// Run a meeting on a memo: start, join, status, done, discuss, extend, end.
    Meet(meet::Args),
    /// List meetings with attendees, reading times, comments and outcomes, or print
    /// one meeting's minutes.
    Meetings(meetings::Args),
    /// Exchange comments and memos with a remote: fetch, merge, push.
    Sync(sync::Args),
    /// List the available templates.
    Templates(templates::Args),
    /// Write a sample decision repository and open it.
    Demo(demo::Args),
    /// Print a shell completion script.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the manual page of memo or of a subcommand (`memo man comment add`) in roff format.
    Man(man::Args),
}

/// What a command run needs from its surroundings.
pub struct Context {
    pub cwd: PathBuf,
    pub color: bool,
}

impl Context {
    pub fn repo(&self) -> Result<Repo> {
        Repo::discover(&self.cwd)
    }

    /// Returns a path for printing: relative to the current directory when it is
    /// inside it, otherwise absolute.
    pub fn display_path(&self, absolute: &std::path::Path) -> String {
        let shown = absolute.strip_prefix(&self.cwd).unwrap_or(absolute);
        sanitize_line(&shown.to_string_lossy()).into_owned()
    }
}

/// Parses the arguments, runs the command and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let color = match cli.color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    color.write_global();

    match run(cli) {
        Ok(code) => code,
        Err(error) => report_error(&error),
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir()?;
    let cwd = match cli.directory {
        Some(dir) => cwd.join(dir),
        None => cwd,
    };
    let cwd = cwd
        .canonicalize()
        .map_err(|e| Error::io("open", cwd.clone(), e))?;
    let color = anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never;
    let context = Context { cwd, color };

    let Some(command) = cli.command else {
        crate::tui::run_library(&context.repo()?)?;
        return Ok(ExitCode::SUCCESS);
    };
    match command {
        Command::Init(args) => init::run(&context, args),
        Command::New(args) => new::run(&context, args),
        Command::Edit(args) => edit::run(&context, args),
        Command::List(args) => list::run(&context, args),
        Command::Show(args) => show::run(&context, args),
        Command::Status(args) => status::run(&context, args),
        Command::Check(args) => check::run(&context, args),
        Command::Hook(args) => hook::run(&context, args),
        Command::Search(args) => search::run(&context, args),
        Command::Index(args) => index::run(&context, args),
        Command::Log(args) => log::run(&context, args),
        Command::Import(args) => import::run(&context, args),
        Command::Comment(args) => comment::run(&context, args),
        Command::Meet(args) => meet::run(&context, args),
        Command::Meetings(args) => meetings::run(&context, args),
        Command::Sync(args) => sync::run(&context, args),
        Command::Templates(args) => templates::run(&context, args),
        Command::Demo(args) => demo::run(&context, args),
        Command::Completions { shell } => completions::run(shell),
        Command::Man(args) => man::run(args),
    }
}

fn init_logging(verbose: u8) {
    use tracing_subscriber::EnvFilter;

    let default = match verbose {
        0 => "warn",
        1 => "memo=debug",
        _ => "memo=trace",
    };
    let filter = EnvFilter::try_from_env("MEMO_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(crate::logging::LogWriter)
        .with_ansi(false)
        .without_time()
        .try_init();
}

/// Prints an error with its causes and hint, and returns exit code 2. A closed
/// output pipe (`memo list | head`) ends the process quietly.
fn report_error(error: &anyhow::Error) -> ExitCode {
    if error
        .chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
    {
        return ExitCode::SUCCESS;
    }
    let mut err = anstream::stderr();
    let red = anstyle::Style::new()
        .fg_color(Some(anstyle::AnsiColor::Red.into()))
        .bold();
    let _ = writeln!(
        err,
        "{red}error{red:#}: {}",
        crate::render::sanitize(&error.to_string())
    );
    for cause in error.chain().skip(1) {
        let _ = writeln!(err, "  caused by: {}", sanitize_line(&cause.to_string()));
    }
    let hint = error
        .chain()
        .find_map(|e| e.downcast_ref::<Error>())
        .and_then(Error::hint);
    if let Some(hint) = hint {
        let _ = writeln!(err, "  hint: {hint}");
    }
    ExitCode::from(2)
}

/// Prints a warning line to standard error.
pub fn warn(message: &str) {
    warn_with_lines(message, &[]);
}

/// Prints a warning followed by indented lines, each made safe on its own so that
/// every line break printed is one memo meant.
pub fn warn_with_lines(message: &str, lines: &[String]) {
    let mut err = anstream::stderr();
    let yellow = anstyle::Style::new()
        .fg_color(Some(anstyle::AnsiColor::Yellow.into()))
        .bold();
    let _ = writeln!(err, "{yellow}warning{yellow:#}: {}", sanitize_line(message));
    for line in lines {
        let _ = writeln!(err, "  {}", sanitize_line(line));
    }
}

/// Prints one warning per memo that could not be read fully.
pub fn warn_parse_errors<'a>(errors: impl IntoIterator<Item = &'a crate::memo::ParseError>) {
    for error in errors {
        warn(&format!("{error} (the rest of the memo is still used)"));
    }
}

/// Writes JSON to standard output.
pub fn print_json(value: &impl serde::Serialize) -> Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(|e| Error::io("write to", "standard output", e.into()))?;
    writeln!(out).map_err(|e| Error::io("write to", "standard output", e))?;
    Ok(())
}
