//! `memo completions SHELL`: shell completion scripts that offer the values an
//! argument accepts where they are fixed: rule ids, statuses and template names.

use std::io;
use std::process::ExitCode;

use clap::CommandFactory;
use clap::builder::{PossibleValue, PossibleValuesParser};

use super::Cli;
use crate::check::RULES;
use crate::memo::Status;
use crate::template::Templates;

pub fn run(shell: clap_complete::Shell) -> anyhow::Result<ExitCode> {
    clap_complete::generate(shell, &mut command()?, "memo", &mut io::stdout());
    Ok(ExitCode::SUCCESS)
}

/// Builds the command line the scripts are generated from: memo's own, with the
/// known values attached to the arguments that take them.
///
/// The values are attached here, for completion alone, so parsing and the error
/// messages for a wrong value stay with each command.
pub fn command() -> anyhow::Result<clap::Command> {
    let rules: Vec<PossibleValue> = RULES
        .iter()
        .map(|rule| PossibleValue::new(rule.id).help(rule.summary))
        .collect();
    let statuses = || PossibleValuesParser::new(Status::NAMES);
    // Only the built-in templates: a script is generated once, outside any repository.
    let templates: Vec<PossibleValue> = Templates::load(None)?
        .templates
        .into_iter()
        .map(|template| PossibleValue::new(template.name).help(template.description))
        .collect();
    let rule_ids = || PossibleValuesParser::new(rules.clone());
    let template_names = || PossibleValuesParser::new(templates.clone());

    Ok(Cli::command()
        .mut_subcommand("check", |check| {
            check
                .mut_arg("allow", |arg| arg.value_parser(rule_ids()))
                .mut_arg("warn", |arg| arg.value_parser(rule_ids()))
                .mut_arg("deny", |arg| arg.value_parser(rule_ids()))
        })
        .mut_subcommand("status", |status| {
            status.mut_arg("status", |arg| arg.value_parser(statuses()))
        })
        .mut_subcommand("list", |list| {
            list.mut_arg("status", |arg| arg.value_parser(statuses()))
        })
        .mut_subcommand("new", |new| {
            new.mut_arg("template", |arg| arg.value_parser(template_names()))
        })
        .mut_subcommand("init", |init| {
            init.mut_arg("template", |arg| arg.value_parser(template_names()))
        }))
}
