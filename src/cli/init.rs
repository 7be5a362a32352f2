//! `memo init`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::Context;
use crate::config::Config;
use crate::store;
use crate::template::Templates;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to set up; the current one by default.
    pub dir: Option<PathBuf>,

    /// Folder for the memo files, relative to the repository root.
    #[arg(long, value_name = "DIR", default_value = "memos")]
    pub memo_dir: String,

    /// Template `memo new` uses without --template.
    #[arg(long, value_name = "NAME", default_value = "decision")]
    pub template: String,

    /// Reading speed for reading times and meeting countdowns.
    #[arg(long, value_name = "WORDS", default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..))]
    pub words_per_minute: u32,
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let dir = match args.dir {
        Some(dir) => context.cwd.join(dir),
        None => context.cwd.clone(),
    };
    Templates::load(None)?.get(&args.template)?;

    let mut config = Config::default();
    config.memos.dir = args.memo_dir;
    config.memos.default_template = args.template;
    config.reading.words_per_minute = args.words_per_minute;

    let outcome = store::init(&dir, config, None)?;
    let root = context.display_path(&outcome.repo.root);
    let root = if root.is_empty() {
        ".".to_owned()
    } else {
        root
    };
    if outcome.already {
        println!("{root} is already a memo repository; nothing changed");
        return Ok(ExitCode::SUCCESS);
    }
    if outcome.created_git {
        println!("Initialised a git repository in {root}");
    }
    println!(
        "Set up memo in {root}: memos go in {}/, settings in .memo/config.toml",
        outcome.repo.config.memos.dir
    );
    println!("Next: memo new \"Your decision\"");
    Ok(ExitCode::SUCCESS)
}
