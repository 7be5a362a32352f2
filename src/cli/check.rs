//! `memo check`: memos of a repository, staged memos, or any Markdown files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use super::Context;
use crate::check::stats::{self, MemoStats};
use crate::check::{self, CheckOptions, Finding, RULES, Summary, TemplateChoice, Workspace};
use crate::error::{Error, Result};
use crate::memo::{LineIndex, Memo};
use crate::render::sanitize_line;
use crate::store::{MemoSet, Repo};
use crate::template::{Origin, Template, Templates};

#[derive(Debug, Default, clap::Args)]
pub struct Args {
    /// Memos to check: numbers, uids, file names, or paths of any Markdown files.
    pub memos: Vec<String>,

    /// Check every memo in the repository (the default without MEMO arguments).
    #[arg(long)]
    pub all: bool,

    /// Check the memos staged for the next commit, as staged (the pre-commit hook's check).
    #[arg(long, conflicts_with_all = ["memos", "all"])]
    pub staged: bool,

    /// Check against this template instead of each memo's own: a template name, or
    /// the path of a template file.
    #[arg(long, value_name = "NAME|PATH")]
    pub template: Option<String>,

    /// Print the findings as a JSON array.
    #[arg(long)]
    pub json: bool,

    /// Print per section the words, share of prose, options and evidence, and the
    /// memo's reading time and pages.
    #[arg(long)]
    pub stats: bool,

    /// Turn a rule off for this run (repeatable).
    #[arg(long, value_name = "RULE")]
    pub allow: Vec<String>,

    /// Report a rule's findings as warnings for this run (repeatable).
    #[arg(long, value_name = "RULE")]
    pub warn: Vec<String>,

    /// Report a rule's findings as errors for this run (repeatable).
    #[arg(long, value_name = "RULE")]
    pub deny: Vec<String>,

    /// List the rules with their default severities and exit.
    #[arg(long)]
    pub list_rules: bool,
}

/// Memos and files gathered for one run.
struct Run<'a> {
    options: CheckOptions,
    templates: Templates,
    /// A template given by path with --template, which every memo is checked against.
    forced: Option<Template>,
    default_template: String,
    args: &'a Args,
}

impl Run<'_> {
    fn template_for<'t>(&'t self, memo: &'t Memo) -> TemplateChoice<'t> {
        if let Some(template) = &self.forced {
            return TemplateChoice {
                name: &template.name,
                template: Some(template),
                invalid: None,
            };
        }
        let name = self
            .args
            .template
            .as_deref()
            .or(memo.meta.template.as_deref())
            .unwrap_or(&self.default_template);
        TemplateChoice {
            name,
            template: self.templates.get(name).ok(),
            invalid: self.templates.invalid_named(name),
        }
    }
}

/// The result of checking one memo or file.
struct Checked {
    findings: Vec<Located>,
    stats: Option<MemoStats>,
}

/// A finding and the source lines its span covers.
pub type Located = (Finding, Option<String>);

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    if args.list_rules {
        return list_rules(args.json);
    }
    for rule in args.allow.iter().chain(&args.warn).chain(&args.deny) {
        if check::rule(rule).is_none() {
            return Err(Error::invalid_with_hint(
                format!("unknown rule '{}'", sanitize_line(rule)),
                "run `memo check --list-rules` to list the rules",
            )
            .into());
        }
    }
    for (rules, flag, severity) in [
        (&args.allow, "--allow", "off"),
        (&args.warn, "--warn", "warning"),
    ] {
        for rule in rules {
            let setting = format!("{flag} {rule}");
            if let Some(message) = check::severity_change_error(rule, severity, &setting) {
                return Err(Error::invalid_with_hint(
                    message,
                    "fix what the rule reports; `memo check --list-rules` marks the rules that are always errors",
                )
                .into());
            }
        }
    }

    let repo = context.repo();
    let checked = match &repo {
        Ok(repo) => check_in_repository(context, repo, &args)?,
        Err(error) => {
            if let Some(missing) = missing_path(context, &args.memos) {
                return Err(not_found(missing).into());
            }
            if args.staged || args.memos.is_empty() || !all_files(context, &args.memos) {
                return Err(Error::invalid_with_hint(
                    error.to_string(),
                    "pass paths of Markdown files to check them outside a memo repository, or run `memo init`",
                )
                .into());
            }
            let run = prepare(&args, None)?;
            let files: Vec<PathBuf> = args.memos.iter().map(PathBuf::from).collect();
            check_files(context, &run, &files)?
        }
    };
    print(&args, &checked)
}

fn all_files(context: &Context, arguments: &[String]) -> bool {
    arguments.iter().all(|a| context.cwd.join(a).is_file())
}

/// Returns the first argument that is written as a file path (it names a Markdown
/// file or a folder) but names nothing that exists.
fn missing_path<'a>(context: &Context, arguments: &'a [String]) -> Option<&'a str> {
    arguments
        .iter()
        .find(|a| is_written_as_path(a) && !context.cwd.join(a).exists())
        .map(String::as_str)
}

/// Returns whether an argument is a path rather than a memo number or uid.
fn is_written_as_path(argument: &str) -> bool {
    argument.contains(['/', '\\']) || crate::memo::is_markdown(Path::new(argument))
}

fn not_found(argument: &str) -> Error {
    Error::invalid(format!("{}: not found", sanitize_line(argument)))
}

fn prepare<'a>(args: &'a Args, repo: Option<&Repo>) -> Result<Run<'a>> {
    let templates = Templates::load(repo.map(|r| r.template_dir()).as_deref())?;
    let mut options = repo.map_or_else(CheckOptions::default, |r| {
        CheckOptions::from_config(&r.config)
    });
    for (rules, level) in [
        (&args.allow, "off"),
        (&args.warn, "warning"),
        (&args.deny, "error"),
    ] {
        for rule in rules {
            options.severity.insert(rule.clone(), level.to_owned());
        }
    }
    let mut forced = None;
    if let Some(value) = &args.template {
        let path = Path::new(value);
        if value.contains(['/', '\\']) || crate::memo::is_markdown(path) {
            let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
            let name = path
                .file_stem()
                .map_or_else(|| value.clone(), |s| s.to_string_lossy().into_owned());
            forced = Some(Template::parse(
                &name,
                Origin::Repository(path.to_owned()),
                &bytes,
            )?);
        } else {
            templates.get(value)?;
        }
    }
    let default_template = repo.map_or_else(
        || "decision".to_owned(),
        |r| r.config.memos.default_template.clone(),
    );
    Ok(Run {
        options,
        templates,
        forced,
        default_template,
        args,
    })
}

fn check_in_repository(context: &Context, repo: &Repo, args: &Args) -> Result<Vec<Checked>> {
    let run = prepare(args, Some(repo))?;
    if args.staged {
        // NOTE: the memos come from the index, but templates and settings come from the
        // work tree, so a template change left unstaged applies to the hook's check.
        let staged = repo.staged_memos(git_index_file().as_deref())?;
        let targets: Vec<&Memo> = staged
            .set
            .memos
            .iter()
            .filter(|m| staged.changed.contains(&m.path))
            .collect();
        let unreadable = staged
            .set
            .unreadable
            .iter()
            .filter(|e| staged.changed.contains(&e.path));
        return Ok(check_memos(repo, &run, &staged.set, &targets, unreadable));
    }

    let set = repo.load_memos()?;
    let mut targets: Vec<&Memo> = Vec::new();
    let mut unreadable = Vec::new();
    let mut files = Vec::new();
    if args.memos.is_empty() || args.all {
        targets.extend(set.memos.iter());
        unreadable.extend(set.unreadable.iter());
    }
    for argument in &args.memos {
        let path = context.cwd.join(argument);
        let relative = path.is_file().then(|| repo.relative(&path)).flatten();
        match relative {
            // A Markdown file of the repository that is not a memo, or any file outside it.
            Some(relative) if !repo.is_memo_path(&relative) => files.push(PathBuf::from(argument)),
            None if path.is_file() => files.push(PathBuf::from(argument)),
            Some(relative) if set.unreadable.iter().any(|e| e.path == relative) => {
                unreadable.extend(set.unreadable.iter().filter(|e| e.path == relative));
            }
            _ => {
                // A memo's file name resolves from any folder; any other path that
                // names nothing is not found.
                let memo = match set.resolve(repo, argument) {
                    Ok(memo) => memo,
                    Err(_) if is_written_as_path(argument) && !path.exists() => {
                        return Err(not_found(argument));
                    }
                    Err(error) => return Err(error),
                };
                if !targets.iter().any(|m| m.path == memo.path) {
                    targets.push(memo);
                }
            }
        }
    }
    let mut checked = check_memos(repo, &run, &set, &targets, unreadable.into_iter());
    checked.extend(check_files(context, &run, &files)?);
    Ok(checked)
}

/// Returns the index git names in `GIT_INDEX_FILE`, which it sets for hooks, most
/// importantly to a temporary index for `git commit -a` and `git commit -- <paths>`.
/// A relative path is relative to the work tree root, where git runs hooks.
fn git_index_file() -> Option<PathBuf> {
    std::env::var_os("GIT_INDEX_FILE")
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
}

fn check_memos<'a>(
    repo: &Repo,
    run: &Run<'_>,
    set: &MemoSet,
    targets: &[&Memo],
    unreadable: impl Iterator<Item = &'a crate::memo::ParseError>,
) -> Vec<Checked> {
    let root = repo.root.clone();
    let file_exists = move |p: &Path| root.join(p).exists();
    let workspace = Workspace {
        memos: &set.memos,
        file_exists: &file_exists,
        in_repository: true,
    };
    let mut checked: Vec<Checked> = unreadable
        .map(|error| unreadable_checked(run, error))
        .collect();
    checked.extend(
        targets
            .iter()
            .map(|memo| check_one_memo(run, memo, &workspace)),
    );
    checked
}

fn check_one_memo(run: &Run<'_>, memo: &Memo, workspace: &Workspace<'_>) -> Checked {
    let choice = run.template_for(memo);
    let findings = check::check_memo(memo, choice, workspace, &run.options);
    let stats = run
        .args
        .stats
        .then(|| stats::measure(memo, choice.template, choice.name, &run.options));
    Checked {
        findings: locate(memo, findings),
        stats,
    }
}

/// Reports a file that could not be decoded; no source is shown for it.
fn unreadable_checked(run: &Run<'_>, error: &crate::memo::ParseError) -> Checked {
    let findings = check::apply_severity(vec![check::unreadable(error)], &run.options);
    Checked {
        findings: findings.into_iter().map(|f| (f, None)).collect(),
        stats: None,
    }
}

/// Checks Markdown files given by path, which need not be memos of a repository.
fn check_files(context: &Context, run: &Run<'_>, files: &[PathBuf]) -> Result<Vec<Checked>> {
    let cwd = context.cwd.clone();
    let file_exists = move |p: &Path| cwd.join(p).exists();
    let workspace = Workspace {
        memos: &[],
        file_exists: &file_exists,
        in_repository: false,
    };
    let mut checked = Vec::new();
    for path in files {
        let absolute = context.cwd.join(path);
        let bytes = std::fs::read(&absolute).map_err(|e| Error::io("read", &absolute, e))?;
        checked.push(match Memo::parse(path.clone(), &bytes) {
            Ok(memo) => check_one_memo(run, &memo, &workspace),
            Err(error) => unreadable_checked(run, &error),
        });
    }
    Ok(checked)
}

/// Maximum source lines shown for one finding.
const MAX_SNIPPET_LINES: usize = 8;

/// Pairs each finding with the source lines its span covers.
pub fn locate(memo: &Memo, findings: Vec<Finding>) -> Vec<Located> {
    let text = memo.text();
    let index = LineIndex::new(text);
    findings
        .into_iter()
        .map(|finding| {
            if finding.line > index.line_count() {
                return (finding, None);
            }
            let last = finding
                .end_line
                .clamp(finding.line, finding.line + MAX_SNIPPET_LINES - 1)
                .min(index.line_count());
            let start = index.line_start(finding.line);
            let end = if last < index.line_count() {
                index.line_start(last + 1).saturating_sub(1)
            } else {
                text.len()
            };
            let source = text[start..end.max(start)]
                .trim_end_matches('\n')
                .to_owned();
            (finding, Some(source))
        })
        .collect()
}

/// Checks one memo of a repository with the repository's settings, including the
/// rules that compare it with the other memos (for `memo status`).
pub fn check_one(repo: &Repo, set: &MemoSet, memo: &Memo) -> Result<Vec<Located>> {
    let args = Args::default();
    let run = prepare(&args, Some(repo))?;
    let checked = check_memos(repo, &run, set, &[memo], std::iter::empty());
    Ok(checked.into_iter().flat_map(|c| c.findings).collect())
}

fn print(args: &Args, checked: &[Checked]) -> anyhow::Result<ExitCode> {
    let mut summary = Summary::default();
    for memo in checked {
        let findings: Vec<Finding> = memo.findings.iter().map(|(f, _)| f.clone()).collect();
        summary.add(&findings);
    }

    if args.json {
        if args.stats {
            #[derive(Serialize)]
            struct StatsEntry<'a> {
                #[serde(flatten)]
                stats: &'a MemoStats,
                findings: Vec<&'a Finding>,
            }
            let entries: Vec<StatsEntry<'_>> = checked
                .iter()
                .filter_map(|c| {
                    c.stats.as_ref().map(|stats| StatsEntry {
                        stats,
                        findings: c.findings.iter().map(|(f, _)| f).collect(),
                    })
                })
                .collect();
            super::print_json(&entries)?;
        } else {
            let findings: Vec<&Finding> = checked
                .iter()
                .flat_map(|c| c.findings.iter().map(|(f, _)| f))
                .collect();
            super::print_json(&findings)?;
        }
    } else {
        let mut out = anstream::stdout().lock();
        for memo in checked {
            if let Some(stats) = &memo.stats {
                write_stats(&mut out, stats)?;
            }
        }
        let findings: Vec<Located> = checked
            .iter()
            .flat_map(|c| c.findings.iter().cloned())
            .collect();
        check::write_human(&mut out, &findings, &summary)?;
    }
    Ok(if summary.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_stats(out: &mut dyn Write, stats: &MemoStats) -> std::io::Result<()> {
    use crate::render::wrap::pad;

    let bold = anstyle::Style::new().bold();
    writeln!(
        out,
        "{bold}{}{bold:#} (template {})",
        sanitize_line(&stats.path),
        sanitize_line(&stats.template)
    )?;
    let width = stats
        .sections
        .iter()
        .map(|s| heading_label(s).chars().count())
        .max()
        .unwrap_or(7)
        .clamp(7, 48);
    writeln!(
        out,
        "  {} {:>6} {:>6} {:>7}  evidence",
        pad("section", width),
        "words",
        "prose",
        "options"
    )?;
    for section in &stats.sections {
        writeln!(
            out,
            "  {} {:>6} {:>5.0}% {:>7}  {}",
            pad(&heading_label(section), width),
            section.words,
            section.prose_share * 100.0,
            section.options,
            section.evidence.describe()
        )?;
    }
    let budget = match stats.page_budget {
        Some(pages) => format!(" of {pages}"),
        None => String::new(),
    };
    writeln!(
        out,
        "  {} words; reading time {} min at {} words a minute; {:.1} pages{budget} at {} words a page\n",
        stats.words,
        stats.reading_minutes,
        stats.words_per_minute,
        stats.pages,
        stats.words_per_page
    )
}

fn heading_label(section: &stats::SectionStats) -> String {
    let indent = "  ".repeat(usize::from(section.level.saturating_sub(1)).min(5));
    let label = format!("{indent}{}", sanitize_line(&section.heading));
    match label.char_indices().nth(48) {
        Some((i, _)) => format!("{}…", &label[..i]),
        None => label,
    }
}

fn list_rules(json: bool) -> anyhow::Result<ExitCode> {
    if json {
        super::print_json(&RULES)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = anstream::stdout().lock();
    for rule in RULES {
        writeln!(
            out,
            "{:<20} {:<8} {}{}",
            rule.id,
            rule.severity.as_str(),
            rule.summary,
            if check::fixed_at_error(rule.id).is_some() {
                " (always an error, cannot be waived)"
            } else if rule.waivable {
                ""
            } else {
                " (cannot be waived)"
            }
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
