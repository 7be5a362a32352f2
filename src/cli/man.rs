//! `memo man`: the manual page of memo or of one of its subcommands, in roff.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::bail;
use clap::{ArgAction, CommandFactory};
use roff::{Inline, Roff, bold, italic, roman};

use super::Cli;
use crate::error::Error;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The subcommand whose page to print, such as `check` or `comment add`. Without
    /// it, memo's own page is printed.
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // `help` has no page of its own, so the SUBCOMMANDS section does not list it.
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();

    let mut command = &root;
    for (depth, name) in args.command.iter().enumerate() {
        let Some(sub) = command.find_subcommand(name) else {
            let parent = command.get_bin_name().unwrap_or(command.get_name());
            let list = ["memo man"]
                .into_iter()
                .chain(args.command[..depth].iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" ");
            bail!(
                "no manual page for `{parent} {name}`: `{name}` is not a subcommand of \
                 `{parent}`. `{list}` lists them under SUBCOMMANDS"
            );
        };
        command = sub;
    }

    let page = render(command)?;
    io::stdout()
        .write_all(page.as_bytes())
        .map_err(|e| Error::io("write to", "standard output", e))?;
    Ok(ExitCode::SUCCESS)
}

/// Renders a built command's page with clap_mangen, with its own SYNOPSIS.
fn render(command: &clap::Command) -> anyhow::Result<String> {
    let mut page = Vec::new();
    // The page footer names memo's version, also on a subcommand's page.
    clap_mangen::Man::new(command.clone())
        .source(format!("memo {}", env!("CARGO_PKG_VERSION")))
        .render(&mut page)?;
    let page = String::from_utf8(page)?;

    // clap_mangen 0.3 leaves option values out of the synopsis (`[-C ]` for
    // `-C DIR`), so the section body is replaced by one that names them.
    let heading = ".SH SYNOPSIS\n";
    let Some(start) = page.find(heading).map(|i| i + heading.len()) else {
        return Ok(page);
    };
    let end = page[start..]
        .find("\n.SH ")
        .map_or(page.len(), |i| start + i + 1);
    let mut synopsis = Roff::new();
    synopsis.text(synopsis_line(command));
    Ok(format!(
        "{}{}{}",
        &page[..start],
        synopsis.to_roff(),
        &page[end..]
    ))
}

/// Builds the usage line: the command's full name, its options with their values,
/// its positional arguments and its subcommand.
fn synopsis_line(command: &clap::Command) -> Vec<Inline> {
    let name = command.get_bin_name().unwrap_or(command.get_name());
    let mut line = vec![bold(name)];

    for arg in command
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_positional())
    {
        let (open, close) = brackets(arg);
        line.push(roman(format!(" {open}")));
        match (arg.get_short(), arg.get_long()) {
            (Some(short), Some(long)) => {
                line.push(bold(format!("-{short}")));
                line.push(roman("|"));
                line.push(bold(format!("--{long}")));
            }
            (Some(short), None) => line.push(bold(format!("-{short}"))),
            (None, Some(long)) => line.push(bold(format!("--{long}"))),
            (None, None) => {}
        }
        if arg.get_action().takes_values() {
            line.push(roman(" "));
            line.push(italic(value_name(arg)));
        }
        line.push(roman(close));
        if repeats(arg) {
            line.push(roman("..."));
        }
    }

    for arg in command.get_positionals().filter(|a| !a.is_hide_set()) {
        let (open, close) = brackets(arg);
        line.push(roman(format!(" {open}")));
        line.push(italic(value_name(arg)));
        line.push(roman(close));
        if repeats(arg) {
            line.push(roman("..."));
        }
    }

    if command.has_subcommands() {
        let (open, close) = if command.is_subcommand_required_set() {
            ("<", ">")
        } else {
            ("[", "]")
        };
        line.push(roman(format!(" {open}")));
        line.push(italic("COMMAND"));
        line.push(roman(close));
    }
    line
}

fn brackets(arg: &clap::Arg) -> (&'static str, &'static str) {
    if arg.is_required_set() {
        ("<", ">")
    } else {
        ("[", "]")
    }
}

fn value_name(arg: &clap::Arg) -> String {
    match arg.get_value_names() {
        Some(names) => names
            .iter()
            .map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        None => arg.get_id().as_str().to_uppercase(),
    }
}

/// Returns whether the argument may be given more than once.
fn repeats(arg: &clap::Arg) -> bool {
    matches!(arg.get_action(), ArgAction::Count | ArgAction::Append)
        || arg.get_num_args().is_some_and(|n| n.max_values() > 1)
}
