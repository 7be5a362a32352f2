//! `memo new`.

use std::process::ExitCode;

use serde_yaml_ng::Value;

use super::Context;
use crate::error::{Error, Result};
use crate::memo::edit::front_matter_block;
use crate::store::{self, Identity, Repo};
use crate::template::{Template, Templates};
use crate::{clock, editor};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The memo's title; several words are joined with spaces.
    #[arg(required = true, value_name = "TITLE")]
    pub title: Vec<String>,

    /// Template to start from (see `memo templates`); the repository default otherwise.
    #[arg(short, long, value_name = "NAME")]
    pub template: Option<String>,

    /// Tag for the memo; repeat for several.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// Write and commit the memo without opening an editor.
    #[arg(long)]
    pub no_edit: bool,
}

/// Checks a title and returns it trimmed.
pub fn validate_title(title: &str) -> Result<String> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::InvalidTitle {
            reason: "title must not be empty".to_owned(),
        });
    }
    let unsafe_char = title
        .chars()
        .enumerate()
        .find(|(_, c)| crate::render::sanitize::is_unsafe(*c) || matches!(c, '\n' | '\t'));
    if let Some((index, c)) = unsafe_char {
        return Err(Error::InvalidTitle {
            reason: format!(
                "'{}' holds {} at character {}; titles must not contain control characters or line breaks",
                crate::render::sanitize_line(title),
                character_name(c),
                index + 1
            ),
        });
    }
    Ok(title.to_owned())
}

/// Returns how an error names a character that a title must not contain.
fn character_name(c: char) -> String {
    match c {
        '\n' => "a line break".to_owned(),
        '\t' => "a tab".to_owned(),
        c => format!("U+{:04X}", c as u32),
    }
}

/// Returns the full text of a new memo.
pub fn memo_text(
    number: u32,
    uid: &str,
    title: &str,
    template: &Template,
    identity: &Identity,
    tags: &[String],
) -> Result<String> {
    let strings =
        |values: &[String]| Value::Sequence(values.iter().cloned().map(Value::String).collect());
    let fields = [
        ("number", Value::Number(number.into())),
        ("uid", Value::String(uid.to_owned())),
        ("title", Value::String(title.to_owned())),
        ("status", Value::String("draft".to_owned())),
        ("template", Value::String(template.name.clone())),
        ("authors", strings(&[identity.display()])),
        ("created", Value::String(clock::format(clock::now()))),
        ("tags", strings(tags)),
    ];
    let mut text = front_matter_block(&fields)?;
    text.push('\n');
    text.push_str(&template.scaffold(title));
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo()?;
    let title = validate_title(&args.title.join(" "))?;
    let tags: Vec<String> = args
        .tags
        .iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();

    // Everything that can fail without the user's input fails before a file exists.
    let identity = repo.identity()?;
    repo.commit_branch()?;
    let templates = Templates::load(Some(&repo.template_dir()))?;
    let template_name = args
        .template
        .as_deref()
        .unwrap_or(&repo.config.memos.default_template);
    let template = templates.get(template_name)?;
    let uid = ulid::Ulid::generate().to_string();
    // Render once up front, so that a value YAML cannot hold fails before a file exists.
    memo_text(0, &uid, &title, template, &identity, &tags)?;
    let git_config = repo.git.config().ok();
    if !args.no_edit {
        editor::editor_command(git_config.as_ref())?;
    }

    let created = repo.create_memo_file(&title, |number| {
        memo_text(number, &uid, &title, template, &identity, &tags).unwrap_or_default()
    })?;
    let absolute = repo.absolute(&created.path);

    if !args.no_edit {
        let scaffold = std::fs::read(&absolute).map_err(|e| Error::io("read", &absolute, e))?;
        if let Err(error) = editor::edit(&absolute, git_config.as_ref()) {
            let now = std::fs::read(&absolute).unwrap_or_default();
            if now == scaffold {
                let _ = std::fs::remove_file(&absolute);
                return Err(anyhow::Error::new(error)
                    .context("the memo was not created (nothing had been written to it)"));
            }
            return Err(anyhow::Error::new(error).context(format!(
                "your text is kept, uncommitted, in {}; commit it with `memo edit {}` or git",
                context.display_path(&absolute),
                created.number
            )));
        }

        // As with git's empty commit message, emptying the file cancels the memo.
        let edited = std::fs::read(&absolute).map_err(|e| Error::io("read", &absolute, e))?;
        let edited = edited.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&edited);
        if edited.iter().all(u8::is_ascii_whitespace) {
            std::fs::remove_file(&absolute).map_err(|e| Error::io("remove", &absolute, e))?;
            eprintln!(
                "Aborting: the memo is empty after editing, so {} was removed and nothing was committed.",
                context.display_path(&absolute)
            );
            return Ok(ExitCode::from(1));
        }
    }

    commit_new(&repo, &created, &title, &identity)?;
    println!("{}", context.display_path(&absolute));
    Ok(ExitCode::SUCCESS)
}

fn commit_new(
    repo: &Repo,
    created: &store::NewMemoFile,
    title: &str,
    identity: &Identity,
) -> Result<()> {
    if let Ok(memo) = repo.load_memo(&created.path)
        && let Some(error) = &memo.document.front_matter_error
    {
        super::warn(&format!("{error}; committing the memo as it is"));
    }
    let message = format!(
        "Add memo {:04}: {}",
        created.number,
        crate::render::sanitize_line(title)
    );
    store::commit_paths(repo, &[created.path.as_path()], &message, identity)?;
    Ok(())
}
